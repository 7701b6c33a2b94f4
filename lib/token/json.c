/**
 * @file json.c  A strict, bounded JSON reader for token headers and claims
 *
 * Reads RFC 8259 text in one pass, with nothing allocated: the caller
 * walks the top-level object member by member and reads each value with
 * the reader for the type it expects (string, date, array) or skips it.
 *
 * Strict: UTF-8 only, checked (shortest form, no surrogates, nothing
 * above U+10FFFF), in raw text and in \u escapes alike (a lone surrogate
 * escape is malformed); no control characters in strings; numbers as the
 * RFC 8259 6 grammar, nothing else (no NaN, no leading "+" or zeros); no
 * bytes after the top-level object but white space. Bounded: the text is
 * at most one decoded token part, at most TOKEN_DEPTH_MAX levels deep
 * (EMSGSIZE), at most TOKEN_MEMBERS_MAX top-level members (EMSGSIZE, which
 * also bounds the duplicate check, quadratic in that number).
 *
 * Duplicate member names are found at the top level, where RFC 7515 4
 * and RFC 7519 4 require unique names, by comparing names after escapes
 * are undone ("a" and "\u0061" are the same name).
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include "tok.h"


/** Start reading buf; part names it in reasons ("header", "payload") */
void tjson_init(struct tjson *js, const uint8_t *buf, size_t len,
		const char *part, struct mcx_diag *diag)
{
	js->start = (const char *)buf;
	js->p = js->start;
	js->end = js->start + len;
	js->part = part;
	js->diag = diag;
}


static int not_json(const struct tjson *js)
{
	return mcx_diag_set(js->diag, EBADMSG, "token: %s is not JSON "
			    "(octet %zu)", js->part,
			    (size_t)(js->p - js->start));
}


static void ws(struct tjson *js)
{
	while (js->p < js->end && (*js->p == ' ' || *js->p == '\t' ||
				   *js->p == '\n' || *js->p == '\r'))
		++js->p;
}


/** Is the next octet c? */
bool tjson_is(const struct tjson *js, char c)
{
	return js->p < js->end && *js->p == c;
}


static int hex4(const char *p, const char *end, uint32_t *v)
{
	*v = 0;
	if (end - p < 4)
		return -1;

	for (int i = 0; i < 4; i++) {
		char c = p[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return -1;
		*v = *v << 4 | d;
	}

	return 0;
}


/* One UTF-8 sequence that starts with c0 >= 0x80 (RFC 3629 4) */
static int utf8_next(const char **pp, const char *end, uint32_t *cp)
{
	const uint8_t *p = (const uint8_t *)*pp;
	uint8_t c0 = p[0], lo = 0x80, hi = 0xbf;
	size_t k;

	if (c0 >= 0xc2 && c0 <= 0xdf) {
		k = 1;
		*cp = c0 & 0x1f;
	}
	else if (c0 >= 0xe0 && c0 <= 0xef) {
		k = 2;
		*cp = c0 & 0x0f;
		if (c0 == 0xe0)
			lo = 0xa0;	/* shortest form */
		else if (c0 == 0xed)
			hi = 0x9f;	/* no surrogates */
	}
	else if (c0 >= 0xf0 && c0 <= 0xf4) {
		k = 3;
		*cp = c0 & 0x07;
		if (c0 == 0xf0)
			lo = 0x90;	/* shortest form */
		else if (c0 == 0xf4)
			hi = 0x8f;	/* at most U+10FFFF */
	}
	else {
		return -1;
	}

	if ((size_t)(end - *pp) <= k)
		return -1;
	for (size_t i = 1; i <= k; i++) {
		if (p[i] < lo || p[i] > hi)
			return -1;
		lo = 0x80;
		hi = 0xbf;
		*cp = *cp << 6 | (p[i] & 0x3f);
	}

	*pp += k + 1;

	return 1;
}


/* One escape after its backslash, at *pp */
static int escape_next(const char **pp, const char *end, uint32_t *cp)
{
	const char *p = *pp;
	uint32_t lo;

	if (p >= end)
		return -1;

	switch (*p) {

	case '"':  *cp = '"';  break;
	case '\\': *cp = '\\'; break;
	case '/':  *cp = '/';  break;
	case 'b':  *cp = '\b'; break;
	case 'f':  *cp = '\f'; break;
	case 'n':  *cp = '\n'; break;
	case 'r':  *cp = '\r'; break;
	case 't':  *cp = '\t'; break;

	case 'u':
		if (hex4(p + 1, end, cp))
			return -1;
		p += 4;
		if (*cp >= 0xdc00 && *cp <= 0xdfff)
			return -1;	/* a low surrogate alone */
		if (*cp < 0xd800 || *cp > 0xdbff)
			break;

		/* a high surrogate: its low half must follow (RFC 8259 7) */
		if (end - p < 3 || p[1] != '\\' || p[2] != 'u' ||
		    hex4(p + 3, end, &lo) || lo < 0xdc00 || lo > 0xdfff)
			return -1;
		*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
		p += 6;
		break;

	default:
		return -1;
	}

	*pp = p + 1;

	return 1;
}


/*
 * The next code point of a string whose opening quote is behind *pp:
 * 1 and the code point; 0 at the closing quote (*pp then after it);
 * -1 malformed or unterminated.
 */
static int str_next(const char **pp, const char *end, uint32_t *cp)
{
	uint8_t c;

	if (*pp >= end)
		return -1;

	c = (uint8_t)**pp;
	if (c == '"') {
		++*pp;
		return 0;
	}
	if (c < 0x20)
		return -1;
	if (c == '\\') {
		++*pp;
		return escape_next(pp, end, cp);
	}
	if (c >= 0x80)
		return utf8_next(pp, end, cp);

	*cp = c;
	++*pp;

	return 1;
}


/* Put a code point as UTF-8; false when it does not fit */
static bool utf8_put(char *dst, size_t size, size_t *o, uint32_t cp)
{
	uint8_t b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		n = 1;
	}
	else if (cp < 0x800) {
		b[0] = (uint8_t)(0xc0 | cp >> 6);
		b[1] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 2;
	}
	else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xe0 | cp >> 12);
		b[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 3;
	}
	else {
		b[0] = (uint8_t)(0xf0 | cp >> 18);
		b[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}

	if (size - *o <= n)	/* keep room for the NUL */
		return false;
	memcpy(dst + *o, b, n);
	*o += n;

	return true;
}


/* Check a string at js (its opening quote) and step over it */
static int str_skip(struct tjson *js)
{
	uint32_t cp;
	int r;

	if (!tjson_is(js, '"'))
		return not_json(js);

	++js->p;
	while ((r = str_next(&js->p, js->end, &cp)) > 0)
		;

	return r < 0 ? not_json(js) : 0;
}


/**
 * Does a member name, escapes undone, equal name (ASCII)?
 */
bool tjson_key_is(const struct tjson_key *key, const char *name)
{
	const char *p = key->p, *end = key->p + key->n + 1;
	uint32_t cp;

	for (; *name; name++) {
		if (str_next(&p, end, &cp) <= 0 || cp != (uint8_t)*name)
			return false;
	}

	return str_next(&p, end, &cp) == 0;
}


static bool key_eq(const struct tjson_key *a, const struct tjson_key *b)
{
	const char *p = a->p, *q = b->p;
	const char *pe = a->p + a->n + 1, *qe = b->p + b->n + 1;

	for (;;) {
		uint32_t c1 = 0, c2 = 0;
		int r1 = str_next(&p, pe, &c1), r2 = str_next(&q, qe, &c2);

		if (r1 != r2 || c1 != c2)
			return false;
		if (r1 <= 0)
			return r1 == 0;
	}
}


static int skip_value(struct tjson *js, unsigned depth);

static int skip_number(struct tjson *js)
{
	const char *p = js->p, *end = js->end;

	if (p < end && *p == '-')
		++p;
	if (p < end && *p == '0')
		++p;
	else if (p < end && *p >= '1' && *p <= '9')
		while (p < end && *p >= '0' && *p <= '9')
			++p;
	else
		return not_json(js);

	if (p < end && *p == '.') {
		if (++p >= end || *p < '0' || *p > '9')
			return not_json(js);
		while (p < end && *p >= '0' && *p <= '9')
			++p;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		++p;
		if (p < end && (*p == '+' || *p == '-'))
			++p;
		if (p >= end || *p < '0' || *p > '9')
			return not_json(js);
		while (p < end && *p >= '0' && *p <= '9')
			++p;
	}

	js->p = p;

	return 0;
}


static int skip_word(struct tjson *js, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(js->end - js->p) < n || memcmp(js->p, w, n))
		return not_json(js);
	js->p += n;

	return 0;
}


/* '[' or '{' with their contents; depth counts the levels open */
static int skip_container(struct tjson *js, unsigned depth)
{
	char close = *js->p == '{' ? '}' : ']';
	int err;

	if (depth >= TOKEN_DEPTH_MAX)
		return mcx_diag_set(js->diag, EMSGSIZE, "token: %s nested "
				    "deeper than %d", js->part,
				    TOKEN_DEPTH_MAX);

	++js->p;
	ws(js);
	if (tjson_is(js, close)) {
		++js->p;
		return 0;
	}

	for (;;) {
		if (close == '}') {
			err = str_skip(js);
			if (err)
				return err;
			ws(js);
			if (!tjson_is(js, ':'))
				return not_json(js);
			++js->p;
			ws(js);
		}

		err = skip_value(js, depth + 1);
		if (err)
			return err;

		ws(js);
		if (tjson_is(js, close)) {
			++js->p;
			return 0;
		}
		if (!tjson_is(js, ','))
			return not_json(js);
		++js->p;
		ws(js);
	}
}


static int skip_value(struct tjson *js, unsigned depth)
{
	if (js->p >= js->end)
		return not_json(js);

	switch (*js->p) {

	case '{':
	case '[': return skip_container(js, depth);
	case '"': return str_skip(js);
	case 't': return skip_word(js, "true");
	case 'f': return skip_word(js, "false");
	case 'n': return skip_word(js, "null");
	default:  return skip_number(js);
	}
}


/**
 * Step over a value of any type, checking it (a member we do not know)
 *
 * @return 0, EBADMSG or EMSGSIZE (too deep)
 */
int tjson_skip(struct tjson *js)
{
	/* a member value sits one level down in the top-level object */
	return skip_value(js, 1);
}


/* How much of a name to quote in a reason: printable ASCII, at most 32 */
static int ascii_len(const struct tjson_key *key)
{
	size_t i;

	for (i = 0; i < key->n && i < 32; i++) {
		if (key->p[i] < 0x20 || key->p[i] > 0x7e)
			break;
	}

	return (int)i;
}


/**
 * Read the top-level object, calling mh for each member. mh must read
 * (or skip) exactly the value. Nothing but white space may follow.
 *
 * @return 0, EBADMSG, EMSGSIZE or what mh returned
 */
int tjson_object(struct tjson *js, tjson_member_h *mh, void *arg)
{
	struct tjson_key keys[TOKEN_MEMBERS_MAX];
	size_t n = 0;
	int err;

	ws(js);
	if (!tjson_is(js, '{'))
		return not_json(js);
	++js->p;
	ws(js);
	if (tjson_is(js, '}')) {
		++js->p;
		goto end;
	}

	for (;;) {
		struct tjson_key key;

		key.p = js->p + 1;
		err = str_skip(js);
		if (err)
			return err;
		key.n = (size_t)(js->p - key.p) - 1;

		for (size_t i = 0; i < n; i++) {
			if (key_eq(&keys[i], &key))
				return mcx_diag_set(js->diag, EBADMSG,
						    "token: %s has '%.*s' "
						    "twice", js->part,
						    ascii_len(&key), key.p);
		}
		if (n == TOKEN_MEMBERS_MAX)
			return mcx_diag_set(js->diag, EMSGSIZE, "token: %s "
					    "has more than %d members",
					    js->part, TOKEN_MEMBERS_MAX);
		keys[n++] = key;

		ws(js);
		if (!tjson_is(js, ':'))
			return not_json(js);
		++js->p;
		ws(js);
		if (js->p >= js->end)
			return not_json(js);

		err = mh(js, &key, arg);
		if (err)
			return err;

		ws(js);
		if (tjson_is(js, '}')) {
			++js->p;
			break;
		}
		if (!tjson_is(js, ','))
			return not_json(js);
		++js->p;
		ws(js);
	}

 end:
	ws(js);
	if (js->p != js->end)
		return not_json(js);

	return 0;
}


/**
 * Read an array of a member's value, calling eh for each element
 *
 * @param js   At the '['
 * @param name Member name, for reasons
 * @param max  Most elements accepted (EMSGSIZE beyond)
 * @param eh   Reads one element
 * @param arg  For eh
 *
 * @return 0, EBADMSG (also for an empty array), EMSGSIZE or eh's error
 */
int tjson_array(struct tjson *js, const char *name, size_t max,
		tjson_elem_h *eh, void *arg)
{
	size_t n = 0;
	int err;

	if (!tjson_is(js, '['))
		return mcx_diag_set(js->diag, EBADMSG, "token: %s is not an "
				    "array", name);
	++js->p;
	ws(js);
	if (tjson_is(js, ']'))
		return mcx_diag_set(js->diag, EBADMSG, "token: %s is an "
				    "empty array", name);

	for (;;) {
		if (n == max)
			return mcx_diag_set(js->diag, EMSGSIZE, "token: %s has "
					    "more than %zu entries", name,
					    max);
		if (js->p >= js->end)
			return not_json(js);
		err = eh(js, n++, arg);
		if (err)
			return err;

		ws(js);
		if (tjson_is(js, ']')) {
			++js->p;
			return 0;
		}
		if (!tjson_is(js, ','))
			return not_json(js);
		++js->p;
		ws(js);
		if (tjson_is(js, ']'))
			return not_json(js);	/* [1,] */
	}
}


/**
 * Read a string value into a buffer, escapes undone
 *
 * @param js   At the value
 * @param name Member name, for reasons
 * @param dst  Buffer; holds a NUL-terminated string on success
 * @param size Its size: the string is at most size - 1 octets
 *
 * @return 0 or EBADMSG: not a string, too long, contains NUL, not JSON
 */
int tjson_string(struct tjson *js, const char *name, char *dst, size_t size)
{
	size_t o = 0;
	uint32_t cp;
	int r;

	if (!tjson_is(js, '"'))
		return mcx_diag_set(js->diag, EBADMSG, "token: %s is not a "
				    "string", name);

	++js->p;
	while ((r = str_next(&js->p, js->end, &cp)) > 0) {
		if (!cp)
			return mcx_diag_set(js->diag, EBADMSG, "token: %s "
					    "contains NUL", name);
		if (!utf8_put(dst, size, &o, cp))
			return mcx_diag_set(js->diag, EBADMSG, "token: %s "
					    "longer than %zu octets", name,
					    size - 1);
	}
	if (r < 0)
		return not_json(js);

	dst[o] = '\0';

	return 0;
}


/**
 * Read a NumericDate (RFC 7519 2): 0..TOKEN_DATE_MAX seconds; a fraction
 * is cut off
 *
 * @return 0 or EBADMSG: not a number, negative, too large, an exponent
 */
int tjson_date(struct tjson *js, const char *name, int64_t *v)
{
	const char *p = js->p;
	int64_t d = 0;
	int err;

	if (p >= js->end || (*p != '-' && (*p < '0' || *p > '9')))
		return mcx_diag_set(js->diag, EBADMSG, "token: %s is not a "
				    "number", name);

	err = skip_number(js);	/* checks the grammar */
	if (err)
		return err;

	if (*p == '-')
		return mcx_diag_set(js->diag, EBADMSG, "token: %s out of "
				    "range", name);

	for (; p < js->p && *p >= '0' && *p <= '9'; p++) {
		d = d * 10 + (*p - '0');
		if (d > TOKEN_DATE_MAX)
			return mcx_diag_set(js->diag, EBADMSG, "token: %s "
					    "out of range", name);
	}
	if (p < js->p && *p == '.')
		while (p < js->p && *p != 'e' && *p != 'E')
			++p;
	if (p < js->p)
		return mcx_diag_set(js->diag, EBADMSG, "token: %s has an "
				    "exponent", name);

	*v = d;

	return 0;
}


/**
 * Write a JSON string, quoted and escaped (RFC 8259 7): quote, backslash
 * and the control characters; UTF-8 passes as it is
 *
 * @return 0 or ENOMEM
 */
int tjson_write_str(struct mbuf *mb, const char *s)
{
	int err = mbuf_write_u8(mb, '"');

	for (; *s && !err; s++) {
		uint8_t c = (uint8_t)*s;

		switch (c) {

		case '"':  err = mbuf_write_str(mb, "\\\""); break;
		case '\\': err = mbuf_write_str(mb, "\\\\"); break;
		case '\b': err = mbuf_write_str(mb, "\\b"); break;
		case '\f': err = mbuf_write_str(mb, "\\f"); break;
		case '\n': err = mbuf_write_str(mb, "\\n"); break;
		case '\r': err = mbuf_write_str(mb, "\\r"); break;
		case '\t': err = mbuf_write_str(mb, "\\t"); break;
		default:
			if (c < 0x20)
				err = mbuf_printf(mb, "\\u%04x", c);
			else
				err = mbuf_write_u8(mb, c);
			break;
		}
	}

	return err ? err : mbuf_write_u8(mb, '"');
}
