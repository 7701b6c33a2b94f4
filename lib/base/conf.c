/**
 * @file conf.c  Table-driven configuration
 *
 * Every source (defaults, a file, a command-line override) is parsed into
 * a scratch array with one slot per row of the table; only when the whole
 * source was accepted do the slots replace the members of the caller's
 * struct, a step that cannot fail. The same value parser serves defaults,
 * files, overrides and the sample check, so that they cannot disagree on
 * what a value means. Syntax and rules: include/mcx/conf.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <re.h>
#include <mcx/conf.h>
#include <mcx/diag.h>
#include <mcx/str.h>

enum {
	QUOTE_MAX = 40,		/* Octets of input quoted in a reason   */
	DESC_MAX  = 96,		/* "an integer in -5..5" and the like   */
};

/* A value between parsing and the member it goes to */
union val {
	char *s;
	int64_t i;
	bool b;
};

/* One option while a source is read */
struct slot {
	union val v;		/* the value, owned until committed      */
	unsigned line;		/* set on this line; 0: not set          */
	unsigned cline;		/* sample: commented out on this line    */
	bool cdef;		/* sample: ... with its default          */
};

/* A source being read */
struct src {
	const struct conf_table *t;
	struct slot *slot;
	const char *name;	/* for reasons: the file name given      */
	unsigned line;		/* current line, from 1                  */
	bool sample;		/* conf_sample_check(): read comments too */
	struct mcx_diag *diag;
};

static const struct {
	const char *word;
	bool val;
} bools[] = {
	{ "yes", true }, { "no", false }, { "true", true },
	{ "false", false }, { "on", true }, { "off", false },
	{ "1", true }, { "0", false },
};


static bool is_str(enum conf_type type)
{
	switch (type) {

	case CONF_INT:
	case CONF_BOOL:
	case CONF_PORT:
	case CONF_SECONDS:
		return false;

	default:
		return true;
	}
}


static bool blank(char c)
{
	return c == ' ' || c == '\t';
}


static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}


static bool name_ok(const char *s, size_t n)
{
	if (!n || n > CONF_NAME_MAX)
		return false;

	for (size_t i = 0; i < n; i++) {
		if (!name_char(s[i]))
			return false;
	}

	return true;
}


/* How much of p[0..n) to quote in a reason: at most max octets, not
 * cutting a UTF-8 sequence */
static int clip(const char *p, size_t n, size_t max)
{
	if (n <= max)
		return (int)n;

	while (max && ((unsigned char)p[max] & 0xc0) == 0x80)
		--max;

	return (int)max;
}


static void *member(void *cfg, const struct conf_opt *o)
{
	return (char *)cfg + o->off;
}


static const void *cmember(const void *cfg, const struct conf_opt *o)
{
	return (const char *)cfg + o->off;
}


static union val member_get(const void *cfg, const struct conf_opt *o)
{
	union val v;

	if (is_str(o->type))
		memcpy(&v.s, cmember(cfg, o), sizeof(v.s));
	else if (o->type == CONF_BOOL)
		memcpy(&v.b, cmember(cfg, o), sizeof(v.b));
	else
		memcpy(&v.i, cmember(cfg, o), sizeof(v.i));

	return v;
}


/* Replace a member; takes over a string, releases the old one */
static void member_put(void *cfg, const struct conf_opt *o, union val *v)
{
	if (is_str(o->type)) {
		char **sp = member(cfg, o);

		mem_deref(*sp);
		*sp = v->s;
		v->s = NULL;
	}
	else if (o->type == CONF_BOOL) {
		*(bool *)member(cfg, o) = v->b;
	}
	else {
		*(int64_t *)member(cfg, o) = v->i;
	}
}


static bool val_equal(const struct conf_opt *o, const union val *a,
		      const union val *b)
{
	if (is_str(o->type)) {
		if (!a->s || !b->s)
			return a->s == b->s;
		return !strcmp(a->s, b->s);
	}
	if (o->type == CONF_BOOL)
		return a->b == b->b;

	return a->i == b->i;
}


static void val_free(const struct conf_opt *o, union val *v)
{
	if (is_str(o->type))
		v->s = mem_deref(v->s);
}


/* Find an option by a name that is not NUL-terminated */
static const struct conf_opt *find(const struct conf_table *t, const char *p,
				   size_t n)
{
	for (size_t i = 0; i < t->n; i++) {
		const char *name = t->opts[i].name;

		if (!strncmp(name, p, n) && !name[n])
			return &t->opts[i];
	}

	return NULL;
}


/* The option whose name is nearest to p[0..n), if within
 * CONF_SUGGEST_DIST; the first one on a tie */
static const struct conf_opt *suggest(const struct conf_table *t,
				      const char *p, size_t n)
{
	const struct conf_opt *best = NULL;
	unsigned bestd = CONF_SUGGEST_DIST + 1;

	_Static_assert(CONF_NAME_MAX + CONF_SUGGEST_DIST <= MCX_EDIT_DIST_MAX,
		       "option names fit mcx_edit_dist");

	if (n > CONF_NAME_MAX + CONF_SUGGEST_DIST)
		return NULL;

	for (size_t i = 0; i < t->n; i++) {
		const char *name = t->opts[i].name;
		size_t m = strlen(name);
		unsigned d;

		if (m > CONF_NAME_MAX || (m > n ? m - n : n - m) >= bestd)
			continue;
		d = mcx_edit_dist(p, n, name, m);
		if (d < bestd) {
			best = &t->opts[i];
			bestd = d;
		}
	}

	return best;
}


/*
 * Set the reason "FILE:LINE: option 'x': what" and return err. file is
 * NULL for conf_set() and defaults, line 0 for no line, opt NULL when the
 * line names no option.
 */
__attribute__((format(printf, 7, 8)))
static int fail(struct mcx_diag *diag, int err, const char *file,
		unsigned line, const char *opt, size_t optlen,
		const char *fmt, ...)
{
	char what[MCX_DIAG_MAX], where[MCX_DIAG_MAX] = "";
	int olen = opt ? clip(opt, optlen, CONF_NAME_MAX) : 0;
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);

	if (file && line)
		(void)snprintf(where, sizeof(where), "%s:%u: ", file, line);
	else if (file)
		(void)snprintf(where, sizeof(where), "%s: ", file);

	if (opt)
		return mcx_diag_set(diag, err, "%soption '%.*s': %s", where,
				    olen, opt, what);

	return mcx_diag_set(diag, err, "%s%s", where, what);
}


/* What an option takes, for reasons: "an integer in 1..64" */
static void describe(char *buf, size_t sz, const struct conf_opt *o)
{
	int64_t pmin = 0, pmax = 65535;
	size_t k;
	int n = 0;

	switch (o->type) {

	case CONF_STR:
		n = snprintf(buf, sz, "a string");
		break;

	case CONF_INT:
		n = snprintf(buf, sz, "an integer in %lld..%lld",
			     (long long)o->min, (long long)o->max);
		break;

	case CONF_SECONDS:
		n = snprintf(buf, sz, "a number of seconds in %lld..%lld",
			     (long long)o->min, (long long)o->max);
		break;

	case CONF_PORT:
		if (o->max > 0) {
			pmin = o->min;
			pmax = o->max;
		}
		n = snprintf(buf, sz, "a port number in %lld..%lld",
			     (long long)pmin, (long long)pmax);
		break;

	case CONF_BOOL:
		n = snprintf(buf, sz, "a boolean (yes/no, true/false, "
			     "on/off, 1/0)");
		break;

	case CONF_IP:
		n = snprintf(buf, sz, "an IPv4 or IPv6 address");
		break;

	case CONF_DOMAIN:
		n = snprintf(buf, sz, "a domain name");
		break;

	case CONF_URI:
		n = snprintf(buf, sz, "a URI (no white space)");
		break;

	case CONF_PATH:
		n = snprintf(buf, sz, "a path");
		break;

	case CONF_ENUM:
		n = snprintf(buf, sz, "one of");
		for (size_t i = 0; o->values[i] && n >= 0 && (size_t)n < sz;
		     i++) {
			k = (size_t)n;
			n = snprintf(buf + k, sz - k, "%s %s", i ? "," : "",
				     o->values[i]);
			if (n >= 0)
				n += (int)k;
		}
		break;
	}

	if (n < 0 || (size_t)n >= sz || !is_str(o->type) || o->max <= 0)
		return;

	k = (size_t)n;
	(void)snprintf(buf + k, sz - k, " of %lld..%lld octets",
		       (long long)o->min, (long long)o->max);
}


/* Decimal integer: an optional '-' and digits, within int64_t */
static bool int_parse(int64_t *vp, const char *s)
{
	uint64_t v = 0, lim = INT64_MAX;
	bool neg = false;

	if (*s == '-') {
		neg = true;
		lim = (uint64_t)INT64_MAX + 1;
		++s;
	}
	if (!*s)
		return false;

	for (; *s; s++) {
		unsigned d;

		if (*s < '0' || *s > '9')
			return false;
		d = (unsigned)(*s - '0');
		if (v > (lim - d) / 10)
			return false;
		v = v * 10 + d;
	}

	if (!neg)
		*vp = (int64_t)v;
	else if (v == (uint64_t)INT64_MAX + 1)
		*vp = INT64_MIN;
	else
		*vp = -(int64_t)v;

	return true;
}


static bool ip_ok(const char *s)
{
	unsigned char a[16];

	return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}


static bool uri_ok(const char *s)
{
	if (!*s)
		return false;

	for (; *s; s++) {
		if (blank(*s))
			return false;
	}

	return true;
}


static bool enum_ok(const struct conf_opt *o, const char *s)
{
	for (size_t i = 0; o->values[i]; i++) {
		if (!strcmp(o->values[i], s))
			return true;
	}

	return false;
}


/*
 * Parse the text of a value (unquoted, NUL-terminated, already checked
 * for control characters and UTF-8) for an option.
 *
 * @return 0, EBADMSG (not a value of the option's type) or ENOMEM
 */
static int val_parse(union val *v, const struct conf_opt *o, const char *s)
{
	size_t len = strlen(s);
	bool ok;

	switch (o->type) {

	case CONF_INT:
	case CONF_SECONDS:
		if (!int_parse(&v->i, s) || v->i < o->min || v->i > o->max)
			return EBADMSG;
		return 0;

	case CONF_PORT:
		if (!int_parse(&v->i, s) || v->i < 0 || v->i > 65535)
			return EBADMSG;
		if (o->max > 0 && (v->i < o->min || v->i > o->max))
			return EBADMSG;
		return 0;

	case CONF_BOOL:
		for (size_t i = 0; i < ARRAY_SIZE(bools); i++) {
			if (!str_casecmp(s, bools[i].word)) {
				v->b = bools[i].val;
				return 0;
			}
		}
		return EBADMSG;

	case CONF_STR:    ok = true;                     break;
	case CONF_IP:     ok = ip_ok(s);                 break;
	case CONF_DOMAIN: ok = mcx_domain_valid(s);      break;
	case CONF_URI:    ok = uri_ok(s);                break;
	case CONF_PATH:   ok = len > 0;                  break;
	case CONF_ENUM:   ok = enum_ok(o, s);            break;
	default:          return EINVAL;
	}

	if (!ok || len > CONF_VALUE_MAX)
		return EBADMSG;
	if (o->max > 0 && ((int64_t)len < o->min || (int64_t)len > o->max))
		return EBADMSG;

	return str_dup(&v->s, s);
}


/*
 * The first thing wrong with a piece of text that must be UTF-8 without
 * control characters (C0 but tab, DEL, C1), written to why; or false.
 */
static bool text_bad(char *why, size_t sz, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			(void)snprintf(why, sz, "control character 0x%02x", c);
			return true;
		}
	}

	if (!mcx_utf8_valid((const uint8_t *)p, n)) {
		(void)snprintf(why, sz, "not UTF-8");
		return true;
	}

	for (size_t i = 0; i + 1 < n; i++) {
		unsigned char c = (unsigned char)p[i + 1];

		if ((unsigned char)p[i] == 0xc2 && c >= 0x80 && c <= 0x9f) {
			(void)snprintf(why, sz, "control character U+%04X", c);
			return true;
		}
	}

	return false;
}


/* A value that was refused: "'70000' is not a port number in 0..65535";
 * what comes before the quoted value ("" or "default ") */
static int bad_value(struct mcx_diag *diag, int err, const char *file,
		     unsigned line, const struct conf_opt *o, const char *what,
		     const char *val)
{
	char desc[DESC_MAX];
	size_t n = strlen(val);

	describe(desc, sizeof(desc), o);

	return fail(diag, err, file, line, o->name, strlen(o->name),
		    "%s'%.*s%s' is not %s", what, clip(val, n, QUOTE_MAX), val,
		    n > QUOTE_MAX ? "..." : "", desc);
}


/* ---- reading a source ---- */

enum vget {
	VGET_OK,
	VGET_MISSING,
	VGET_UNTERMINATED,
	VGET_ESCAPE,
	VGET_JUNK,
	VGET_LONG,
};

static const char *vget_str(enum vget v)
{
	switch (v) {

	case VGET_MISSING:      return "value missing";
	case VGET_UNTERMINATED: return "unterminated quote";
	case VGET_ESCAPE:       return "backslash in quotes not followed "
				       "by a quote or a backslash";
	case VGET_JUNK:         return "text after the closing quote";
	default:                return "?";
	}
}


/*
 * The value on a line after the option name, unquoted into out (at least
 * CONF_VALUE_MAX + 1 octets), NUL-terminated.
 */
static enum vget value_get(char *out, const char *p, const char *e)
{
	const char *end, *q;
	size_t k = 0;

	while (p < e && blank(*p))
		++p;
	if (p == e || *p == '#')
		return VGET_MISSING;

	if (*p != '"') {
		for (end = p + 1; end < e; end++) {
			if (*end == '#' && blank(end[-1]))
				break;
		}
		while (blank(end[-1]))
			--end;
		if ((size_t)(end - p) > CONF_VALUE_MAX)
			return VGET_LONG;
		memcpy(out, p, (size_t)(end - p));
		out[end - p] = '\0';
		return VGET_OK;
	}

	for (++p; p < e && *p != '"'; p++) {
		char c = *p;

		if (c == '\\') {
			if (p + 1 == e || (p[1] != '"' && p[1] != '\\'))
				return VGET_ESCAPE;
			c = *++p;
		}
		if (k == CONF_VALUE_MAX)
			return VGET_LONG;
		out[k++] = c;
	}
	if (p == e)
		return VGET_UNTERMINATED;

	for (q = ++p; q < e && blank(*q); q++)
		;
	if (q < e && (*q != '#' || q == p))
		return VGET_JUNK;

	out[k] = '\0';
	return VGET_OK;
}


/* sample: "# name value" is an option commented out when name is an
 * option and the rest a valid value for it; anything else is prose */
static int sample_comment(struct src *s, const char *p, const char *e)
{
	char val[CONF_VALUE_MAX + 1];
	const struct conf_opt *o;
	const char *tok;
	struct slot *sl;
	union val v = { NULL };
	bool isdef = true;
	int err;

	while (p < e && blank(*p))
		++p;
	for (tok = p; p < e && !blank(*p); p++)
		;
	o = find(s->t, tok, (size_t)(p - tok));
	if (!o || !name_ok(tok, (size_t)(p - tok)))
		return 0;

	sl = &s->slot[o - s->t->opts];
	switch (value_get(val, p, e)) {

	case VGET_OK:
		err = val_parse(&v, o, val);
		if (err == EBADMSG)
			return 0;
		if (err)
			return err;
		if (o->def) {
			union val d = { NULL };

			err = val_parse(&d, o, o->def);
			if (err) {
				val_free(o, &v);
				return err;
			}
			isdef = val_equal(o, &v, &d);
			val_free(o, &d);
		}
		val_free(o, &v);
		break;

	case VGET_MISSING:
		isdef = !o->def;
		break;

	default:
		return 0;
	}

	if (sl->line || sl->cline)
		return fail(s->diag, EBADMSG, s->name, s->line, o->name,
			    strlen(o->name), "appears twice (lines %u and %u)",
			    sl->line ? sl->line : sl->cline, s->line);

	sl->cline = s->line;
	sl->cdef = isdef;

	return 0;
}


/* One line, without its end (LF or CRLF) */
static int line_do(struct src *s, const char *p, size_t n)
{
	char val[CONF_VALUE_MAX + 1], why[64];
	const char *e = p + n, *tok, *opt;
	const struct conf_opt *o;
	struct slot *sl;
	size_t tlen;
	enum vget vg;
	int err;

	while (p < e && blank(*p))
		++p;
	for (tok = p; p < e && !blank(*p); p++)
		;
	tlen = (size_t)(p - tok);

	/* reasons name the option when the line starts with a name */
	opt = name_ok(tok, tlen) ? tok : NULL;

	if (n > CONF_LINE_MAX)
		return fail(s->diag, EBADMSG, s->name, s->line, opt, tlen,
			    "line longer than %d octets", CONF_LINE_MAX);
	if (text_bad(why, sizeof(why), e - n, n))
		return fail(s->diag, EBADMSG, s->name, s->line, opt, tlen,
			    "%s", why);

	if (!tlen)
		return 0;
	if (tok[0] == '#')
		return s->sample ? sample_comment(s, tok + 1, e) : 0;

	o = find(s->t, tok, tlen);
	if (!o || !opt) {
		const struct conf_opt *near = suggest(s->t, tok, tlen);

		if (near)
			return fail(s->diag, EBADMSG, s->name, s->line, tok,
				    tlen, "unknown, did you mean '%s'?",
				    near->name);
		return fail(s->diag, EBADMSG, s->name, s->line, tok, tlen,
			    "unknown");
	}

	vg = value_get(val, p, e);
	if (vg == VGET_LONG)
		return fail(s->diag, EBADMSG, s->name, s->line, tok, tlen,
			    "value longer than %d octets", CONF_VALUE_MAX);
	if (vg != VGET_OK)
		return fail(s->diag, EBADMSG, s->name, s->line, tok, tlen,
			    "%s", vget_str(vg));

	sl = &s->slot[o - s->t->opts];
	if (sl->line)
		return fail(s->diag, EBADMSG, s->name, s->line, tok, tlen,
			    "set twice (first on line %u)", sl->line);
	if (sl->cline)
		return fail(s->diag, EBADMSG, s->name, s->line, tok, tlen,
			    "appears twice (lines %u and %u)", sl->cline,
			    s->line);

	err = val_parse(&sl->v, o, val);
	if (err == EBADMSG)
		return bad_value(s->diag, EBADMSG, s->name, s->line, o, "",
				 val);
	if (err)
		return err;

	sl->line = s->line;

	return 0;
}


static int src_read(struct src *s, const char *buf, size_t len)
{
	const char *p = buf, *e = buf + len;

	if (len > CONF_FILE_MAX)
		return fail(s->diag, EMSGSIZE, s->name, 0, NULL, 0,
			    "larger than %d octets", CONF_FILE_MAX);

	/* a UTF-8 byte order mark */
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;

	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t n = (size_t)((nl ? nl : e) - p);
		int err;

		if (nl && n && p[n - 1] == '\r')
			--n;
		++s->line;
		err = line_do(s, p, n);
		if (err)
			return err;
		p = nl ? nl + 1 : e;
	}

	return 0;
}


static struct slot *slots_alloc(const struct conf_table *t)
{
	return mem_zalloc((t->n ? t->n : 1) * sizeof(struct slot), NULL);
}


static void *slots_free(const struct conf_table *t, struct slot *sl)
{
	if (!sl)
		return NULL;

	for (size_t i = 0; i < t->n; i++)
		val_free(&t->opts[i], &sl[i].v);

	return mem_deref(sl);
}


/* The step that cannot fail: values set by a source replace members */
static void slots_commit(void *cfg, const struct conf_table *t,
			 struct slot *sl)
{
	for (size_t i = 0; i < t->n; i++) {
		if (sl[i].line)
			member_put(cfg, &t->opts[i], &sl[i].v);
	}
}


/* ---- the table itself ---- */

static int opt_check(const struct conf_table *t, size_t i,
		     struct mcx_diag *diag)
{
	const struct conf_opt *o = &t->opts[i];
	const char *nm = o->name;
	char why[64];

	if (!nm || !name_ok(nm, strlen(nm)))
		return mcx_diag_set(diag, EINVAL, "option %zu: bad name", i);

	for (size_t j = 0; j < i; j++) {
		if (!strcmp(t->opts[j].name, nm))
			return fail(diag, EINVAL, NULL, 0, nm, strlen(nm),
				    "twice in the table");
	}

	switch (o->type) {

	case CONF_INT:
	case CONF_SECONDS:
		if (o->min >= o->max)
			return fail(diag, EINVAL, NULL, 0, nm, strlen(nm),
				    "no bounds (min < max)");
		if (o->type == CONF_SECONDS && o->min < 0)
			return fail(diag, EINVAL, NULL, 0, nm, strlen(nm),
				    "negative seconds");
		break;

	case CONF_PORT:
		if (o->max && (o->min < 0 || o->min > o->max ||
			       o->max > 65535))
			return fail(diag, EINVAL, NULL, 0, nm, strlen(nm),
				    "bad port bounds");
		break;

	case CONF_BOOL:
		break;

	case CONF_ENUM:
		if (!o->values || !o->values[0])
			return fail(diag, EINVAL, NULL, 0, nm, strlen(nm),
				    "no values");
		for (size_t k = 0; o->values[k]; k++) {
			size_t n = strlen(o->values[k]);

			if (!n || n > CONF_VALUE_MAX ||
			    text_bad(why, sizeof(why), o->values[k], n))
				return fail(diag, EINVAL, NULL, 0, nm,
					    strlen(nm), "bad value %zu", k);
		}
		break;

	case CONF_STR:
	case CONF_IP:
	case CONF_DOMAIN:
	case CONF_URI:
	case CONF_PATH:
		break;

	default:
		return fail(diag, EINVAL, NULL, 0, nm, strlen(nm),
			    "bad type %d", (int)o->type);
	}

	if (is_str(o->type) && o->max &&
	    (o->min < 0 || o->min > o->max || o->max > CONF_VALUE_MAX))
		return fail(diag, EINVAL, NULL, 0, nm, strlen(nm),
			    "bad length bounds");

	if (!o->def && !is_str(o->type))
		return fail(diag, EINVAL, NULL, 0, nm, strlen(nm),
			    "a number or boolean needs a default");
	if (o->def && o->required)
		return fail(diag, EINVAL, NULL, 0, nm, strlen(nm),
			    "required, yet has a default");

	/* printed as comment lines: each must load again */
	for (const char *d = o->doc; d && *d;) {
		const char *nl = strchr(d, '\n');
		size_t n = nl ? (size_t)(nl - d) : strlen(d);

		if (n + 2 > CONF_LINE_MAX || text_bad(why, sizeof(why), d, n))
			return fail(diag, EINVAL, NULL, 0, nm, strlen(nm),
				    "doc: %s", n + 2 > CONF_LINE_MAX ?
				    "line too long" : why);
		d += n + (nl != NULL);
	}

	return 0;
}


/**
 * Check a table and set every member of a config struct to its default.
 * A table that fails is a programming error: call this from a unit test
 * of each real table.
 *
 * @param cfg  The program's config struct: zeroed, or filled by conf_*
 *             before (its strings are released)
 * @param t    Table
 * @param diag Names the bad option on failure
 *
 * @return 0, EINVAL (a bad row or default; cfg unchanged) or ENOMEM
 */
int conf_defaults(void *cfg, const struct conf_table *t,
		  struct mcx_diag *diag)
{
	char why[64];
	struct slot *sl;
	int err = 0;

	if (!cfg || !t || (!t->opts && t->n))
		return EINVAL;

	for (size_t i = 0; i < t->n; i++) {
		err = opt_check(t, i, diag);
		if (err)
			return err;
	}

	sl = slots_alloc(t);
	if (!sl)
		return ENOMEM;

	for (size_t i = 0; i < t->n && !err; i++) {
		const struct conf_opt *o = &t->opts[i];

		sl[i].line = 1;
		if (!o->def)
			continue;
		if (text_bad(why, sizeof(why), o->def, strlen(o->def)))
			err = fail(diag, EINVAL, NULL, 0, o->name,
				   strlen(o->name), "default: %s", why);
		else
			err = val_parse(&sl[i].v, o, o->def);
		if (err == EBADMSG)
			err = bad_value(diag, EINVAL, NULL, 0, o, "default ",
					o->def);
	}

	if (!err)
		slots_commit(cfg, t, sl);
	slots_free(t, sl);

	return err;
}


static int load(void *cfg, const struct conf_table *t, const char *name,
		const char *buf, size_t len, bool sample,
		struct mcx_diag *diag)
{
	struct src s = { t, NULL, name, 0, sample, diag };
	int err;

	s.slot = slots_alloc(t);
	if (!s.slot)
		return ENOMEM;

	err = src_read(&s, buf, len);
	if (!err && sample) {
		for (size_t i = 0; i < t->n && !err; i++) {
			const struct conf_opt *o = &t->opts[i];
			const struct slot *sl = &s.slot[i];
			union val d = { NULL };
			bool isdef = sl->cdef;

			if (!sl->line && !sl->cline) {
				err = fail(diag, EBADMSG, name, 0, o->name,
					   strlen(o->name), "missing");
				break;
			}
			if (sl->line && o->def) {
				err = val_parse(&d, o, o->def);
				if (err)
					break;
				isdef = val_equal(o, &sl->v, &d);
				val_free(o, &d);
			}
			else if (sl->line) {
				isdef = true;
			}
			if (!isdef)
				err = fail(diag, EBADMSG, name,
					   sl->line ? sl->line : sl->cline,
					   o->name, strlen(o->name),
					   "not its default '%.*s'",
					   clip(o->def, strlen(o->def),
						QUOTE_MAX), o->def);
		}
	}
	if (!err && cfg)
		slots_commit(cfg, t, s.slot);

	slots_free(t, s.slot);

	return err;
}


/**
 * Load a configuration from memory, on top of the current values
 *
 * @param cfg  Config struct (conf_defaults() done)
 * @param t    Its table
 * @param name File name for reasons ("NAME:LINE: ...")
 * @param buf  Text (need not be NUL-terminated)
 * @param len  Its length in octets
 * @param diag Reason on failure
 *
 * @return 0, EBADMSG, EMSGSIZE (over CONF_FILE_MAX) or ENOMEM; on error
 *         cfg is unchanged
 */
int conf_load_buf(void *cfg, const struct conf_table *t, const char *name,
		  const char *buf, size_t len, struct mcx_diag *diag)
{
	if (!cfg || !t || !name || (!buf && len))
		return EINVAL;

	return load(cfg, t, name, buf ? buf : "", len, false, diag);
}


/* Read a whole file of at most CONF_FILE_MAX octets (one more to see
 * that it is larger) */
static int file_read(char **bufp, size_t *lenp, const char *path,
		     struct mcx_diag *diag)
{
	size_t len = 0;
	char *buf;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		return mcx_diag_set(diag, err, "%s: %s", path, strerror(err));
	}

	buf = mem_alloc(CONF_FILE_MAX + 1, NULL);
	if (!buf) {
		err = ENOMEM;
		goto out;
	}

	while (len <= CONF_FILE_MAX) {
		ssize_t n = read(fd, buf + len, CONF_FILE_MAX + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			(void)mcx_diag_set(diag, err, "%s: %s", path,
					   strerror(err));
			goto out;
		}
		if (!n)
			break;
		len += (size_t)n;
	}

 out:
	(void)close(fd);
	if (err) {
		mem_deref(buf);
		return err;
	}

	*bufp = buf;
	*lenp = len;

	return 0;
}


/**
 * Load a configuration file, on top of the current values
 *
 * @param cfg  Config struct (conf_defaults() done)
 * @param t    Its table
 * @param path File; reasons start with it
 * @param diag Reason on failure
 *
 * @return 0, what conf_load_buf() returns, or the errno of open/read
 *         (ENOENT, EACCES, EISDIR, ...) with a reason naming the file;
 *         on error cfg is unchanged
 */
int conf_load_file(void *cfg, const struct conf_table *t, const char *path,
		   struct mcx_diag *diag)
{
	char *buf = NULL;
	size_t len = 0;
	int err;

	if (!cfg || !t || !path)
		return EINVAL;

	err = file_read(&buf, &len, path, diag);
	if (err)
		return err;

	err = load(cfg, t, path, buf, len, false, diag);
	mem_deref(buf);

	return err;
}


/**
 * Set one option from text, as a command-line override (-o name=value)
 * does. The value is taken as it is: no quotes, no comment, no trimming.
 *
 * @param cfg   Config struct (conf_defaults() done)
 * @param t     Its table
 * @param name  Option name
 * @param value Its new value
 * @param diag  Reason on failure: "option 'x': ..."
 *
 * @return 0, EBADMSG (unknown option, bad value) or ENOMEM; on error cfg
 *         is unchanged
 */
int conf_set(void *cfg, const struct conf_table *t, const char *name,
	     const char *value, struct mcx_diag *diag)
{
	const struct conf_opt *o;
	union val v = { NULL };
	char why[64];
	size_t n;
	int err;

	if (!cfg || !t || !name || !value)
		return EINVAL;

	o = conf_find(t, name);
	if (!o) {
		const struct conf_opt *near = suggest(t, name, strlen(name));

		if (near)
			return fail(diag, EBADMSG, NULL, 0, name, strlen(name),
				    "unknown, did you mean '%s'?", near->name);
		return fail(diag, EBADMSG, NULL, 0, name, strlen(name),
			    "unknown");
	}

	n = strlen(value);
	if (n > CONF_VALUE_MAX)
		return fail(diag, EBADMSG, NULL, 0, name, strlen(name),
			    "value longer than %d octets", CONF_VALUE_MAX);
	if (text_bad(why, sizeof(why), value, n))
		return fail(diag, EBADMSG, NULL, 0, name, strlen(name), "%s",
			    why);

	err = val_parse(&v, o, value);
	if (err == EBADMSG)
		return bad_value(diag, EBADMSG, NULL, 0, o, "", value);
	if (err)
		return err;

	member_put(cfg, o, &v);

	return 0;
}


/**
 * Check that a configuration is complete: every required option set.
 * Call it after the last source (file, then overrides).
 *
 * @return 0 or EBADMSG ("option 'x': required, not set")
 */
int conf_check(const void *cfg, const struct conf_table *t,
	       struct mcx_diag *diag)
{
	if (!cfg || !t)
		return EINVAL;

	for (size_t i = 0; i < t->n; i++) {
		const struct conf_opt *o = &t->opts[i];

		if (o->required && !member_get(cfg, o).s)
			return fail(diag, EBADMSG, NULL, 0, o->name,
				    strlen(o->name), "required, not set");
	}

	return 0;
}


static bool needs_quotes(const char *s)
{
	size_t n = strlen(s);

	return !n || blank(s[0]) || blank(s[n - 1]) || s[0] == '"' ||
		strchr(s, '#');
}


/* A string value, quoted when it needs it */
static int str_print(struct re_printf *pf, const char *s)
{
	const char *run = s;
	int err;

	if (!needs_quotes(s))
		return re_hprintf(pf, "%s", s);

	err = re_hprintf(pf, "\"");
	for (; *s && !err; s++) {
		if (*s != '"' && *s != '\\')
			continue;
		err = re_hprintf(pf, "%b\\%c", run, (size_t)(s - run), *s);
		run = s + 1;
	}
	if (!err)
		err = re_hprintf(pf, "%s\"", run);

	return err;
}


static int doc_print(struct re_printf *pf, const char *d)
{
	int err = 0;

	while (d && *d && !err) {
		const char *nl = strchr(d, '\n');
		size_t n = nl ? (size_t)(nl - d) : strlen(d);

		err = re_hprintf(pf, "#%s%b\n", n ? " " : "", d, n);
		d += n + (nl != NULL);
	}

	return err;
}


/**
 * Print a configuration as a file that loads back to the same values:
 * for each option its doc as '# ' lines, then `name value`; a blank line
 * between options. A string option without a value prints as `# name`.
 * Two arguments after pf: not a "%H" handler (that passes one); with
 * re_hprintf() and its kin, use conf_ref_print().
 *
 * @param pf  Where to print
 * @param cfg Config struct
 * @param t   Its table
 *
 * @return 0 or the print handler's error
 */
int conf_print(struct re_printf *pf, const void *cfg,
	       const struct conf_table *t)
{
	int err = 0;

	if (!pf || !cfg || !t)
		return EINVAL;

	for (size_t i = 0; i < t->n && !err; i++) {
		const struct conf_opt *o = &t->opts[i];
		union val v = member_get(cfg, o);

		if (i)
			err = re_hprintf(pf, "\n");
		if (!err)
			err = doc_print(pf, o->doc);
		if (err)
			break;

		if (is_str(o->type) && !v.s) {
			err = re_hprintf(pf, "# %s\n", o->name);
			continue;
		}

		err = re_hprintf(pf, "%s ", o->name);
		if (err)
			break;
		if (is_str(o->type))
			err = str_print(pf, v.s);
		else if (o->type == CONF_BOOL)
			err = re_hprintf(pf, "%s", v.b ? "yes" : "no");
		else
			err = re_hprintf(pf, "%lld", (long long)v.i);
		if (!err)
			err = re_hprintf(pf, "\n");
	}

	return err;
}


/**
 * conf_print() as a "%H" handler:
 *
 *     re_fprintf(stdout, "%H", conf_ref_print,
 *                &(struct conf_ref){ &cfg, &table });
 *
 * @return 0, EINVAL or the print handler's error
 */
int conf_ref_print(struct re_printf *pf, const struct conf_ref *r)
{
	if (!r)
		return EINVAL;

	return conf_print(pf, r->cfg, r->t);
}


/**
 * Release the strings of a config struct and zero its members
 */
void conf_reset(void *cfg, const struct conf_table *t)
{
	if (!cfg || !t)
		return;

	for (size_t i = 0; i < t->n; i++) {
		const struct conf_opt *o = &t->opts[i];
		union val v;

		memset(&v, 0, sizeof(v));
		member_put(cfg, o, &v);
	}
}


/**
 * Find an option by name
 *
 * @return The row, or NULL
 */
const struct conf_opt *conf_find(const struct conf_table *t,
				 const char *name)
{
	if (!t || !name)
		return NULL;

	return find(t, name, strlen(name));
}


/**
 * Do two config structs of the same table hold the same values?
 */
bool conf_equal(const void *a, const void *b, const struct conf_table *t)
{
	if (!a || !b || !t)
		return false;

	for (size_t i = 0; i < t->n; i++) {
		union val va = member_get(a, &t->opts[i]);
		union val vb = member_get(b, &t->opts[i]);

		if (!val_equal(&t->opts[i], &va, &vb))
			return false;
	}

	return true;
}


/**
 * May a running program move from one configuration to another? Only
 * options marked reload may differ.
 *
 * @param cur  Configuration in use
 * @param next Configuration just loaded
 * @param t    Their table
 * @param diag Names the first option that may not change
 *
 * @return 0 or ENOTSUP ("option 'x': changes only on restart")
 */
int conf_reload_check(const void *cur, const void *next,
		      const struct conf_table *t, struct mcx_diag *diag)
{
	if (!cur || !next || !t)
		return EINVAL;

	for (size_t i = 0; i < t->n; i++) {
		const struct conf_opt *o = &t->opts[i];
		union val a = member_get(cur, o), b = member_get(next, o);

		if (!o->reload && !val_equal(o, &a, &b))
			return fail(diag, ENOTSUP, NULL, 0, o->name,
				    strlen(o->name),
				    "changes only on restart");
	}

	return 0;
}


/**
 * Check a documented sample file (etc/) against its table: it must load,
 * and each option must appear exactly once with its default, either set
 * (`name value`) or commented out (`# name value`, `#name value`). A
 * comment counts as an option only when its first word is an option name
 * and the rest a valid value for it; other comments are prose. An option
 * without a default may appear with any value, or as `# name` alone.
 *
 * @param t    Table
 * @param name File name for reasons
 * @param buf  Sample text
 * @param len  Its length
 * @param diag Names the first option (in table order) missing or with
 *             another value, or what the file does wrong
 *
 * @return 0, EBADMSG, EMSGSIZE or ENOMEM
 */
int conf_sample_check(const struct conf_table *t, const char *name,
		      const char *buf, size_t len, struct mcx_diag *diag)
{
	if (!t || !name || (!buf && len))
		return EINVAL;

	return load(NULL, t, name, buf ? buf : "", len, true, diag);
}
