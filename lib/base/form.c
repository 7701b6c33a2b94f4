/**
 * @file form.c  Percent-decoding (RFC 3986 2.1) and form bodies
 *               (application/x-www-form-urlencoded)
 *
 * Percent-decoding. "%" HEXDIG HEXDIG is one octet; a "%" not followed by
 * two hex digits is malformed (RFC 3986 2.1, 2.4: no lenient pass-through
 * as some browsers do). "+" is a space only in form bodies (the HTML/URL
 * standards' form encoding), never in a path segment. The result must be
 * valid UTF-8 (RFC 3986 2.5 for new schemes; RFC 6749 appendix B for
 * OAuth form values) and may not hold a NUL octet: it is handed on as a C
 * string, and a NUL would cut it short. The input is a whole value (the
 * HTTP layer framed the body), so a "%" at its end is malformed, not
 * incomplete. Checks run in this order: the octets left to right (bad
 * escape, NUL), then the output size, then UTF-8.
 *
 * Form bodies. Pairs are separated by "&"; empty ones ("a=1&&b=2", a
 * trailing "&") are skipped, as the URL standard's parser does. Every
 * other pair needs "=" (the first one splits; the value may hold more)
 * and a non-empty name. Names and values are decoded with "+" as space;
 * names are compared after decoding, exactly (case-sensitive). A name
 * given twice is malformed: RFC 6749 3.1 and 3.2 say request parameters
 * must not be included more than once, and two values for one name would
 * let a proxy and the server read different ones.
 *
 * Reasons name offsets in the input (0-based) and parameter names, never
 * values.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mcx/diag.h>
#include <mcx/form.h>
#include <mcx/str.h>

/* One name=value pair, raw, with offsets in the body */
struct pair {
	const char *name;
	size_t nlen, noff;
	const char *value;
	size_t vlen, voff;
};


static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}


/*
 * Decode in[0..len) into out (outsz bytes with the NUL). off is where in
 * starts in the caller's input, for the reasons; what prefixes them
 * ("parameter 'x': "). On failure out holds "".
 */
static int pct_run(char *out, size_t outsz, const char *in, size_t len,
		   bool plus, size_t off, const char *what,
		   struct mcx_diag *diag)
{
	size_t n = 0;
	int err = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		size_t at = i;

		if (c == '%') {
			int hi = i + 1 < len ? hexval(in[i + 1]) : -1;
			int lo = i + 2 < len ? hexval(in[i + 2]) : -1;

			if (hi < 0 || lo < 0) {
				err = mcx_diag_set(diag, EBADMSG, "%s'%%' at "
						   "offset %zu not followed by"
						   " two hex digits", what,
						   off + at);
				goto out;
			}
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		else if (c == '+' && plus) {
			c = ' ';
		}

		if (!c) {
			err = mcx_diag_set(diag, EBADMSG, "%sNUL octet at "
					   "offset %zu", what, off + at);
			goto out;
		}

		if (n + 1 < outsz)
			out[n] = (char)c;
		++n;
	}

	if (n >= outsz) {
		err = mcx_diag_set(diag, EMSGSIZE, "%sdecoded value longer "
				   "than %zu bytes", what, outsz - 1);
		goto out;
	}

	out[n] = '\0';
	if (!mcx_utf8_valid((const uint8_t *)out, n))
		err = mcx_diag_set(diag, EBADMSG, "%snot valid UTF-8 after "
				   "decoding", what);

 out:
	if (err)
		out[0] = '\0';

	return err;
}


/**
 * Percent-decode a string (RFC 3986 2.1) into a NUL-terminated buffer
 *
 * @param out           Output buffer; "" on failure
 * @param outsz         Its size, with room for the NUL
 * @param in            Encoded bytes (need no NUL)
 * @param len           Number of bytes
 * @param plus_is_space Decode "+" as a space (form bodies only)
 * @param diag          Reason on failure
 *
 * @return 0, EBADMSG ("%" without two hex digits, a NUL octet, not UTF-8
 *         once decoded), EMSGSIZE (out too small) or EINVAL
 */
int mcx_pct_decode(char *out, size_t outsz, const char *in, size_t len,
		   bool plus_is_space, struct mcx_diag *diag)
{
	if (!out || !outsz || (!in && len))
		return EINVAL;

	return pct_run(out, outsz, in, len, plus_is_space, 0, "", diag);
}


/* The next non-empty pair from *posp: 0, ENOENT at the end or EBADMSG */
static int pair_next(struct pair *p, const char *body, size_t len,
		     size_t *posp, struct mcx_diag *diag)
{
	while (*posp < len) {
		size_t pos = *posp;
		const char *seg = body + pos;
		const char *amp = memchr(seg, '&', len - pos);
		size_t slen = amp ? (size_t)(amp - seg) : len - pos;
		const char *eq;

		*posp = pos + slen + (amp ? 1 : 0);
		if (!slen)
			continue;	/* "&&", a trailing "&" */

		eq = memchr(seg, '=', slen);
		if (!eq)
			return mcx_diag_set(diag, EBADMSG, "form: pair at "
					    "offset %zu has no '='", pos);
		if (eq == seg)
			return mcx_diag_set(diag, EBADMSG, "form: pair at "
					    "offset %zu has no name", pos);

		p->name = seg;
		p->nlen = (size_t)(eq - seg);
		p->noff = pos;
		p->value = eq + 1;
		p->vlen = slen - p->nlen - 1;
		p->voff = pos + p->nlen + 1;
		return 0;
	}

	return ENOENT;
}


/* A pair's name, decoded into FORM_NAME_MAX + 1 bytes */
static int name_decode(char *name, const struct pair *p,
		       struct mcx_diag *diag)
{
	int err = pct_run(name, FORM_NAME_MAX + 1, p->name, p->nlen, true,
			  p->noff, "form: name: ", diag);

	if (err == EMSGSIZE)
		err = mcx_diag_set(diag, EMSGSIZE, "form: name at offset %zu"
				   " longer than %d bytes", p->noff,
				   FORM_NAME_MAX);

	return err;
}


/* A pair's value, decoded, with the parameter's name in the reasons */
static int value_decode(char *out, size_t outsz, const struct pair *p,
			const char *name, struct mcx_diag *diag)
{
	char what[FORM_NAME_MAX + 32];

	(void)snprintf(what, sizeof(what), "parameter '%.40s': ", name);

	return pct_run(out, outsz, p->value, p->vlen, true, p->voff, what,
		       diag);
}


static int body_ok(const char *body, size_t len, struct mcx_diag *diag)
{
	if (!body && len)
		return EINVAL;
	if (len > FORM_MAX_SIZE)
		return mcx_diag_set(diag, EMSGSIZE, "form: body larger than "
				    "%d bytes", FORM_MAX_SIZE);

	return 0;
}


static int too_many(struct mcx_diag *diag)
{
	return mcx_diag_set(diag, EMSGSIZE, "form: more than %d parameters",
			    FORM_MAX_PAIRS);
}


static int twice(const char *name, struct mcx_diag *diag)
{
	return mcx_diag_set(diag, EBADMSG, "parameter '%.40s' given twice",
			    name);
}


/**
 * Get one parameter of a form body, decoded
 *
 * Checks the structure of every pair and decodes every name (to compare
 * it), but only the value asked for; mcx_form_check() checks them all.
 *
 * @param body  Form body (needs no NUL)
 * @param len   Its length (at most FORM_MAX_SIZE)
 * @param name  Parameter name, decoded (1 to FORM_NAME_MAX bytes)
 * @param out   Where the decoded value goes, NUL-terminated; "" when
 *              absent or on failure (an empty value is "" too, and 0)
 * @param outsz Size of out
 * @param diag  Reason on failure
 *
 * @return 0, ENOENT (absent), EBADMSG (a pair without "=" or name, a bad
 *         escape, NUL, not UTF-8, the name given twice), EMSGSIZE (body,
 *         pairs or a name over the limits; the value longer than out
 *         holds) or EINVAL
 */
int mcx_form_get(const char *body, size_t len, const char *name, char *out,
		 size_t outsz, struct mcx_diag *diag)
{
	char pname[FORM_NAME_MAX + 1];
	struct pair p, found = { NULL, 0, 0, NULL, 0, 0 };
	unsigned npairs = 0;
	size_t pos = 0;
	bool have = false;
	int err;

	if (!name || !*name || strlen(name) > FORM_NAME_MAX || !out ||
	    !outsz)
		return EINVAL;

	out[0] = '\0';
	err = body_ok(body, len, diag);
	if (err)
		return err;

	while (!(err = pair_next(&p, body, len, &pos, diag))) {
		if (npairs++ == FORM_MAX_PAIRS)
			return too_many(diag);

		err = name_decode(pname, &p, diag);
		if (err)
			return err;
		if (strcmp(pname, name))
			continue;
		if (have)
			return twice(name, diag);

		found = p;
		have = true;
	}
	if (err != ENOENT)
		return err;

	if (!have)
		return mcx_diag_set(diag, ENOENT, "parameter '%.40s' missing",
				    name);

	return value_decode(out, outsz, &found, name, diag);
}


/**
 * Check a whole form body: every pair has "=" and a name, every name and
 * value decodes (values up to FORM_VALUE_MAX bytes), no name twice. An
 * empty body is valid (no parameters).
 *
 * @param body Form body (needs no NUL)
 * @param len  Its length
 * @param diag Reason for the first thing wrong, in body order
 *
 * @return 0, EBADMSG, EMSGSIZE (over FORM_MAX_SIZE, FORM_MAX_PAIRS,
 *         FORM_NAME_MAX or FORM_VALUE_MAX) or EINVAL
 */
int mcx_form_check(const char *body, size_t len, struct mcx_diag *diag)
{
	char names[FORM_MAX_PAIRS][FORM_NAME_MAX + 1];
	char value[FORM_VALUE_MAX + 1];
	unsigned n = 0;
	size_t pos = 0;
	struct pair p;
	int err;

	err = body_ok(body, len, diag);
	if (err)
		return err;

	while (!(err = pair_next(&p, body, len, &pos, diag))) {
		if (n == FORM_MAX_PAIRS)
			return too_many(diag);

		err = name_decode(names[n], &p, diag);
		if (err)
			return err;
		for (unsigned i = 0; i < n; i++) {
			if (!strcmp(names[i], names[n]))
				return twice(names[n], diag);
		}

		err = value_decode(value, sizeof(value), &p, names[n], diag);
		if (err)
			return err;
		++n;
	}

	return err == ENOENT ? 0 : err;
}
