/**
 * @file fuzz_userconf.c  users.conf text (store_users_parse)
 *
 * The input is one users.conf. A plain reference splitter written here
 * classifies each line (too long, NUL, skipped, too few fields, bad name,
 * a user) and the parse is held to it:
 *
 *   - every field the handler gets is non-NULL, NUL-terminated within
 *     the input's size, and equal to the reference's token; line numbers
 *     increase, and the lines between two calls are all skipped ones;
 *   - the parse succeeds iff every line is a skipped one or a user line
 *     the handler took; otherwise it stops at the first other line with
 *     that line's code and "fuzz:LINE: " reason;
 *   - a handler's refusal (password "reject") comes back as
 *     "fuzz:LINE: rejected", and ENOMEM as it is with no reason.
 */
#include <strings.h>
#include <mcx/diag.h>
#include <mcx/store.h>
#include "fuzz.h"

enum ref {
	R_SKIP,		/* blank or comment                 */
	R_LONG,		/* longer than STORE_USERS_LINE_MAX */
	R_NUL,		/* a NUL octet                      */
	R_SHORT,	/* fewer than three fields          */
	R_NAME,		/* a bad login name                 */
	R_USER,		/* a user line (MC-ID unchecked)    */
};

struct tok {
	const uint8_t *p;
	size_t n;
};

struct ctx {
	const uint8_t *data;
	size_t size;
	size_t pos;		/* start of line `line`       */
	unsigned line;		/* lines before pos            */
	unsigned calls;
	unsigned rejected;	/* the line refused, or 0      */
	bool nomem;		/* refuse the first with ENOMEM */
};

static bool blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static struct tok tok_next(const uint8_t *b, size_t n, size_t *ip)
{
	struct tok t;
	size_t i = *ip, start;

	while (i < n && blank(b[i]))
		++i;
	start = i;
	while (i < n && !blank(b[i]))
		++i;
	t.p = b + start;
	t.n = i - start;
	*ip = i;
	return t;
}

static bool name_ok(struct tok t)
{
	if (!t.n || t.n > STORE_NAME_MAX)
		return false;
	for (size_t i = 0; i < t.n; i++) {
		uint8_t c = t.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* The line at *posp (advanced past it): its class and fields */
static enum ref ref_line(const uint8_t *data, size_t size, size_t *posp,
			 struct tok f[4])
{
	const uint8_t *b = data + *posp;
	const uint8_t *nl = memchr(b, '\n', size - *posp);
	size_t n = nl ? (size_t)(nl - b) : size - *posp;
	size_t i = 0, e;

	*posp += n + (nl ? 1 : 0);
	if (n && b[n - 1] == '\r')
		--n;
	if (n > STORE_USERS_LINE_MAX)
		return R_LONG;
	if (memchr(b, '\0', n))
		return R_NUL;

	f[0] = tok_next(b, n, &i);
	if (!f[0].n || f[0].p[0] == '#')
		return R_SKIP;
	f[1] = tok_next(b, n, &i);
	f[2] = tok_next(b, n, &i);
	if (!f[2].n)
		return R_SHORT;
	if (!name_ok(f[0]))
		return R_NAME;

	while (i < n && blank(b[i]))
		++i;
	e = n;
	while (e > i && blank(b[e - 1]))
		--e;
	f[3].p = b + i;
	f[3].n = e - i;
	return R_USER;
}

/* Lines before lineno must all be skipped ones; lineno's class */
static enum ref advance(struct ctx *c, unsigned lineno, struct tok f[4])
{
	enum ref r = R_SKIP;

	FUZZ_CHECK(lineno > c->line);
	while (c->line < lineno) {
		FUZZ_CHECK(c->pos < c->size);
		FUZZ_CHECK(r == R_SKIP);
		r = ref_line(c->data, c->size, &c->pos, f);
		++c->line;
	}
	return r;
}

static bool same(const char *s, size_t size, struct tok t)
{
	size_t n = strnlen(s, size + 1);

	FUZZ_CHECK(n <= size && n <= STORE_USERS_LINE_MAX);
	return n == t.n && !memcmp(s, t.p, n);
}

static int user_h(const struct store_user_line *u, void *arg,
		  struct mcx_diag *why)
{
	struct ctx *c = arg;
	struct tok f[4];
	size_t dn;

	FUZZ_CHECK(u && u->name && u->mc_id && u->domain && u->password &&
		   u->display_name);
	FUZZ_CHECK(advance(c, u->lineno, f) == R_USER);
	FUZZ_CHECK(same(u->name, c->size, f[0]));
	FUZZ_CHECK(same(u->mc_id, c->size, f[1]));
	FUZZ_CHECK(same(u->password, c->size, f[2]));
	FUZZ_CHECK(same(u->display_name, c->size, f[3]));

	/* the domain: after an '@' at the end of the MC-ID */
	dn = strnlen(u->domain, c->size + 1);
	FUZZ_CHECK(dn > 0 && dn < f[1].n);
	FUZZ_CHECK(!memcmp(u->domain, f[1].p + f[1].n - dn, dn));
	FUZZ_CHECK(strchr(u->mc_id, '@'));
	FUZZ_CHECK(!strncasecmp(u->mc_id, "sip:", 4));

	++c->calls;
	if (c->nomem)
		return ENOMEM;
	if (!strcmp(u->password, "reject")) {
		c->rejected = u->lineno;
		return mcx_diag_set(why, EBADMSG, "rejected");
	}
	return 0;
}

/* "fuzz:LINE: ..." -> LINE */
static unsigned reason_line(const char *reason)
{
	unsigned long n;
	char *end;

	FUZZ_CHECK(!strncmp(reason, "fuzz:", 5));
	FUZZ_CHECK(reason[5] >= '1' && reason[5] <= '9');
	n = strtoul(reason + 5, &end, 10);
	FUZZ_CHECK(!strncmp(end, ": ", 2) && n <= UINT32_MAX);
	return (unsigned)n;
}

static bool has(const char *reason, const char *s)
{
	return strstr(reason, s) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx c = { data, size, 0, 0, 0, 0, false };
	struct mcx_diag d = { "junk" };
	struct tok f[4];
	unsigned calls;
	int err;

	err = store_users_parse("fuzz", data, size, user_h, &c, &d);

	if (!err) {
		FUZZ_CHECK(d.reason[0] == '\0');
		while (c.pos < size) {
			FUZZ_CHECK(ref_line(data, size, &c.pos, f) == R_SKIP);
			++c.line;
		}
	}
	else if (size > STORE_USERS_SIZE_MAX) {
		FUZZ_CHECK(err == EMSGSIZE && !c.calls);
	}
	else {
		unsigned line = reason_line(d.reason);
		const char *why = strchr(d.reason + 5, ' ') + 1;

		if (line == c.line) {
			/* the handler refused the line it was given */
			FUZZ_CHECK(c.rejected == line && err == EBADMSG);
			FUZZ_CHECK(!strcmp(why, "rejected"));
		}
		else {
			switch (advance(&c, line, f)) {

			case R_LONG:
				FUZZ_CHECK(err == EMSGSIZE);
				FUZZ_CHECK(has(why, "line longer than"));
				break;
			case R_NUL:
				FUZZ_CHECK(err == EBADMSG);
				FUZZ_CHECK(!strcmp(why, "NUL octet"));
				break;
			case R_SHORT:
				FUZZ_CHECK(err == EBADMSG);
				FUZZ_CHECK(has(why, "expected NAME MC-ID"));
				break;
			case R_NAME:
				FUZZ_CHECK(err == EBADMSG);
				FUZZ_CHECK(has(why, "bad login name"));
				break;
			case R_USER:
				FUZZ_CHECK(err == EBADMSG);
				FUZZ_CHECK(has(why, "bad MC service ID"));
				break;
			default:
				FUZZ_CHECK(!"an error on a skipped line");
			}
		}
	}
	calls = c.calls;

	/* ENOMEM from the handler: as it is, no reason, nothing after */
	memset(&c, 0, sizeof(c));
	c.data = data;
	c.size = size;
	c.nomem = true;
	err = store_users_parse("fuzz", data, size, user_h, &c, &d);
	FUZZ_CHECK(c.calls == (calls ? 1u : 0u));
	if (c.calls)
		FUZZ_CHECK(err == ENOMEM && d.reason[0] == '\0');

	return 0;
}
