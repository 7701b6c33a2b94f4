/**
 * @file test_form.c  Percent-decoding and form bodies: annotated tables
 *
 * Each row is one case: the input, what is expected (a value, or a code
 * and a piece of the reason) and why. Offsets in reasons are 0-based
 * positions in the input.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/form.h>
#include "testutil.h"

#define TOKEN_BODY "grant_type=password&username=alice&password=s%40cret" \
	"&client_id=mcx"

struct pct_case {
	const char *in;		/* encoded (no NUL inside unless len set) */
	size_t len;		/* 0: strlen(in)                          */
	bool plus;		/* plus_is_space                          */
	int err;
	const char *exp;	/* decoded value, or a piece of the reason */
	const char *why;
};

static const struct pct_case pct_cases[] = {
	{ "sip%3Aalice%40a.mcx.test", 0, false, 0, "sip:alice@a.mcx.test",
	  "an XUI path segment (RFC 3986 2.1)" },
	{ "%3a%2F%7e", 0, false, 0, ":/~", "hex digits in either case" },
	{ "a+b", 0, false, 0, "a+b", "'+' is '+' in a path segment" },
	{ "a+b", 0, true, 0, "a b", "'+' is a space in a form body" },
	{ "%2B", 0, true, 0, "+", "an escaped '+' stays '+'" },
	{ "", 0, false, 0, "", "empty in, empty out" },
	{ "%C3%A9l%C3%B6die", 0, false, 0, "\xc3\xa9l\xc3\xb6" "die",
	  "UTF-8 escapes" },
	{ "\xc3\xa9t\xc3\xa9", 0, false, 0, "\xc3\xa9t\xc3\xa9",
	  "raw UTF-8 passes through" },
	{ "%F0%9F%93%BB", 0, false, 0, "\xf0\x9f\x93\xbb",
	  "four-octet UTF-8 (U+1F4FB)" },
	{ "%25", 0, false, 0, "%", "an escaped '%'" },
	{ "%2525", 0, false, 0, "%25", "decoded once, not twice" },
	{ "100%", 0, false, EBADMSG,
	  "'%' at offset 3 not followed by two hex digits",
	  "'%' at the end: the value is whole, so malformed, not cut short" },
	{ "%4", 0, false, EBADMSG, "offset 0 not followed",
	  "one hex digit" },
	{ "ab%g0", 0, false, EBADMSG, "'%' at offset 2", "'g' is no hex" },
	{ "a%0g", 0, false, EBADMSG, "'%' at offset 1", "nor in second place" },
	{ "%%41", 0, false, EBADMSG, "'%' at offset 0",
	  "'%' does not escape itself" },
	{ "% 41", 0, false, EBADMSG, "offset 0", "no space inside" },
	{ "%+41", 0, true, EBADMSG, "offset 0", "nor '+' as a digit" },
	{ "ab%00cd", 0, false, EBADMSG, "NUL octet at offset 2",
	  "a decoded NUL would cut the C string short" },
	{ "ab\0cd", 5, false, EBADMSG, "NUL octet at offset 2",
	  "a raw NUL likewise" },
	{ "%C3%28", 0, false, EBADMSG, "not valid UTF-8",
	  "a lead octet without its continuation" },
	{ "%C0%AF", 0, false, EBADMSG, "not valid UTF-8",
	  "an overlong '/' (the classic path traversal)" },
	{ "%ED%A0%80", 0, false, EBADMSG, "not valid UTF-8",
	  "a UTF-16 surrogate" },
	{ "%F4%90%80%80", 0, false, EBADMSG, "not valid UTF-8",
	  "above U+10FFFF" },
	{ "%FF", 0, false, EBADMSG, "not valid UTF-8", "0xFF is never UTF-8" },
	{ "%E2%82", 0, false, EBADMSG, "not valid UTF-8",
	  "a sequence cut short" },
	{ "%zz%00", 0, false, EBADMSG, "'%' at offset 0",
	  "left to right: the first problem is reported" },
	{ "%00%C3", 0, false, EBADMSG, "NUL octet at offset 0",
	  "octet checks come before UTF-8" },
};

static void pct_table(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(pct_cases); k++) {
		const struct pct_case *c = &pct_cases[k];
		size_t len = c->len ? c->len : strlen(c->in);
		struct mcx_diag d = { "" };
		char out[64] = "junk";
		int err = mcx_pct_decode(out, sizeof(out), c->in, len, c->plus,
					 &d);

		if (err != c->err)
			fail_msg("case %zu (%s): %d '%s', expected %d", k,
				 c->why, err, d.reason, c->err);
		if (!err && strcmp(out, c->exp))
			fail_msg("case %zu (%s): '%s', expected '%s'", k,
				 c->why, out, c->exp);
		if (err && (strcmp(out, "") || !strstr(d.reason, c->exp)))
			fail_msg("case %zu (%s): '%s', expected '%s'", k,
				 c->why, d.reason, c->exp);
	}
}

/* The output buffer holds the value and its NUL, or it is EMSGSIZE */
static void pct_sizes(void **state)
{
	struct mcx_diag d = { "" };
	char out[8];

	(void)state;
	assert_int_equal(0, mcx_pct_decode(out, 4, "a%41c", 5, false, &d));
	assert_string_equal(out, "aAc");
	assert_int_equal(EMSGSIZE, mcx_pct_decode(out, 3, "a%41c", 5, false,
						  &d));
	assert_string_equal(out, "");
	assert_string_equal(d.reason, "decoded value longer than 2 bytes");
	assert_int_equal(0, mcx_pct_decode(out, 1, "", 0, false, &d));
	assert_string_equal(out, "");
	assert_int_equal(EMSGSIZE, mcx_pct_decode(out, 1, "a", 1, false, &d));

	/* malformed wins over too long: the input is wrong whatever the
	 * buffer */
	assert_int_equal(EBADMSG, mcx_pct_decode(out, 2, "abcdef%", 7, false,
						 &d));
	assert_string_equal(d.reason, "'%' at offset 6 not followed by two "
			    "hex digits");
	/* not UTF-8 is only known once the whole value is there */
	assert_int_equal(EMSGSIZE, mcx_pct_decode(out, 2, "%C3%28", 6, false,
						  &d));

	/* only len bytes are read */
	assert_int_equal(0, mcx_pct_decode(out, sizeof(out), "ab%41", 2,
					   false, &d));
	assert_string_equal(out, "ab");
	assert_int_equal(EBADMSG, mcx_pct_decode(out, sizeof(out), "ab%41",
						 4, false, &d));

	assert_int_equal(EINVAL, mcx_pct_decode(NULL, 8, "a", 1, false, &d));
	assert_int_equal(EINVAL, mcx_pct_decode(out, 0, "a", 1, false, &d));
	assert_int_equal(EINVAL, mcx_pct_decode(out, 8, NULL, 1, false, &d));
	assert_int_equal(0, mcx_pct_decode(out, 8, NULL, 0, false, NULL));
	assert_int_equal(EBADMSG, mcx_pct_decode(out, 8, "%", 1, false, NULL));
}

struct get_case {
	const char *body;
	const char *name;
	int err;
	const char *exp;	/* value, or a piece of the reason */
	const char *why;
};

static const struct get_case get_cases[] = {
	{ TOKEN_BODY, "grant_type", 0, "password", "first pair" },
	{ TOKEN_BODY, "username", 0, "alice", "a middle pair" },
	{ TOKEN_BODY, "password", 0, "s@cret", "%40 is '@'" },
	{ TOKEN_BODY, "client_id", 0, "mcx", "last pair" },
	{ TOKEN_BODY, "scope", ENOENT, "parameter 'scope' missing",
	  "absent" },
	{ TOKEN_BODY, "Username", ENOENT, "missing",
	  "names are compared exactly: case matters" },
	{ TOKEN_BODY, "user", ENOENT, "missing", "no prefix match" },
	{ "scope=openid+3gpp%3Amc%3Aptt_service", "scope", 0,
	  "openid 3gpp:mc:ptt_service", "'+' is a space in a value" },
	{ "a+b=1&a%20c=2", "a b", 0, "1",
	  "names are decoded ('+' too) before they are compared" },
	{ "a+b=1&a%20c=2", "a c", 0, "2", "%20 in a name" },
	{ "a%3Db=1", "a=b", 0, "1", "an escaped '=' belongs to the name" },
	{ "x=a=b", "x", 0, "a=b", "the first '=' splits" },
	{ "x=&y=1", "x", 0, "", "an empty value is present" },
	{ "x=", "x", 0, "", "an empty value at the end" },
	{ "&&x=1&", "x", 0, "1", "empty pairs and a trailing '&' are skipped" },
	{ "", "x", ENOENT, "missing", "an empty body has no parameters" },
	{ "x=1&x=2", "x", EBADMSG, "parameter 'x' given twice",
	  "RFC 6749 3.1: parameters must not be repeated" },
	{ "x=1&x=1", "x", EBADMSG, "given twice", "even with one value" },
	{ "x=1&%78=2", "x", EBADMSG, "given twice",
	  "duplicates are found after decoding (%78 is 'x')" },
	{ "x=1&y=2&y=3", "x", 0, "1",
	  "get looks only at the name asked for; check refuses this body" },
	{ "x=1&debug", "x", EBADMSG, "form: pair at offset 4 has no '='",
	  "a pair without '=' anywhere in the body" },
	{ "=1&x=2", "x", EBADMSG, "form: pair at offset 0 has no name",
	  "a pair without a name" },
	{ "x=1&%zz=2", "x", EBADMSG,
	  "form: name: '%' at offset 4 not followed",
	  "every name is decoded to be compared" },
	{ "y=%zz&x=1", "x", 0, "1", "other values are not decoded by get" },
	{ "x=%zz", "x", EBADMSG,
	  "parameter 'x': '%' at offset 2 not followed by two hex digits",
	  "the offset is in the body" },
	{ "a=1&x=%00", "x", EBADMSG, "parameter 'x': NUL octet at offset 6",
	  "a decoded NUL" },
	{ "x=%C3%28", "x", EBADMSG, "parameter 'x': not valid UTF-8",
	  "not UTF-8" },
};

static void get_table(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(get_cases); k++) {
		const struct get_case *c = &get_cases[k];
		struct mcx_diag d = { "" };
		char out[64] = "junk";
		int err = mcx_form_get(c->body, strlen(c->body), c->name, out,
				       sizeof(out), &d);

		if (err != c->err)
			fail_msg("case %zu (%s): %d '%s', expected %d", k,
				 c->why, err, d.reason, c->err);
		if (!err && strcmp(out, c->exp))
			fail_msg("case %zu (%s): '%s', expected '%s'", k,
				 c->why, out, c->exp);
		if (err && (strcmp(out, "") || !strstr(d.reason, c->exp)))
			fail_msg("case %zu (%s): '%s', expected '%s'", k,
				 c->why, d.reason, c->exp);
	}
}

struct check_case {
	const char *body;
	size_t len;		/* 0: strlen(body) */
	int err;
	const char *reason;	/* a piece of it */
	const char *why;
};

static const struct check_case check_cases[] = {
	{ TOKEN_BODY, 0, 0, "", "the token request of the brief" },
	{ "", 0, 0, "", "no parameters" },
	{ "&", 0, 0, "", "only an empty pair" },
	{ "a=&b=", 0, 0, "", "empty values" },
	{ "x=1&y=2&y=3", 0, EBADMSG, "parameter 'y' given twice",
	  "a duplicate that get(x) does not see" },
	{ "y=%zz&x=1", 0, EBADMSG, "parameter 'y': '%' at offset 2",
	  "a value that get(x) does not decode" },
	{ "a=1&b", 0, EBADMSG, "pair at offset 4 has no '='",
	  "a pair without '='" },
	{ "a=%zz&b", 0, EBADMSG, "parameter 'a'",
	  "the first problem in body order wins" },
	{ "a=1\0&b=2", 7, EBADMSG, "parameter 'a': NUL octet at offset 3",
	  "a raw NUL" },
	{ "%C3%A9=1&%C3%A9=2", 0, EBADMSG,
	  "parameter '\xc3\xa9' given twice", "UTF-8 names" },
	{ "%FF=1", 0, EBADMSG, "form: name: not valid UTF-8",
	  "a name that is not UTF-8" },
};

static void check_table(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(check_cases); k++) {
		const struct check_case *c = &check_cases[k];
		size_t len = c->len ? c->len : strlen(c->body);
		struct mcx_diag d = { "" };
		int err = mcx_form_check(c->body, len, &d);

		if (err != c->err || !strstr(d.reason, c->reason))
			fail_msg("case %zu (%s): %d '%s', expected %d '%s'", k,
				 c->why, err, d.reason, c->err, c->reason);
	}
}

/* A body of n pairs "pI=v" with values of vlen bytes */
static char *pairs_body(unsigned n, size_t vlen)
{
	struct mbuf *mb = mbuf_alloc(1024);
	char *s;

	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(0, mbuf_printf(mb, "%sp%u=", i ? "&" : "", i));
		for (size_t j = 0; j < vlen; j++)
			assert_int_equal(0, mbuf_write_u8(mb, 'v'));
	}
	s = tu_str(mb);
	mem_deref(mb);

	return s;
}

static void limits(void **state)
{
	struct mcx_diag d = { "" };
	char name[FORM_NAME_MAX + 8], *body, *big;
	char out[FORM_VALUE_MAX + 2];

	(void)state;
	body = pairs_body(FORM_MAX_PAIRS, 1);
	assert_int_equal(0, mcx_form_check(body, strlen(body), &d));
	assert_int_equal(0, mcx_form_get(body, strlen(body), "p31", out,
					 sizeof(out), &d));
	assert_string_equal(out, "v");
	mem_deref(body);

	body = pairs_body(FORM_MAX_PAIRS + 1, 1);
	assert_int_equal(EMSGSIZE, mcx_form_check(body, strlen(body), &d));
	assert_string_equal(d.reason, "form: more than 32 parameters");
	assert_int_equal(EMSGSIZE, mcx_form_get(body, strlen(body), "p0",
						out, sizeof(out), &d));
	mem_deref(body);

	body = pairs_body(1, FORM_VALUE_MAX);
	assert_int_equal(0, mcx_form_check(body, strlen(body), &d));
	mem_deref(body);
	body = pairs_body(1, FORM_VALUE_MAX + 1);
	assert_int_equal(EMSGSIZE, mcx_form_check(body, strlen(body), &d));
	assert_string_equal(d.reason, "parameter 'p0': decoded value longer "
			    "than 4096 bytes");
	/* get is bounded by the caller's buffer only */
	assert_int_equal(0, mcx_form_get(body, strlen(body), "p0", out,
					 sizeof(out), &d));
	assert_int_equal(FORM_VALUE_MAX + 1, strlen(out));
	assert_int_equal(EMSGSIZE, mcx_form_get(body, strlen(body), "p0", out,
						FORM_VALUE_MAX, &d));
	assert_string_equal(out, "");
	mem_deref(body);

	/* names: 64 bytes once decoded */
	memset(name, 'n', FORM_NAME_MAX);
	(void)re_snprintf(name + FORM_NAME_MAX, 8, "=1");
	assert_int_equal(0, mcx_form_check(name, strlen(name), &d));
	name[FORM_NAME_MAX] = '\0';
	assert_int_equal(ENOENT, mcx_form_get("a=2&", 4, name, out,
					      sizeof(out), &d));
	(void)re_snprintf(name + FORM_NAME_MAX, 8, "n=1");
	assert_int_equal(EMSGSIZE, mcx_form_check(name, strlen(name), &d));
	assert_string_equal(d.reason, "form: name at offset 0 longer than 64 "
			    "bytes");
	assert_int_equal(EMSGSIZE, mcx_form_get(name, strlen(name), "x", out,
						sizeof(out), &d));

	big = mem_zalloc(FORM_MAX_SIZE + 1, NULL);
	memset(big, 'a', FORM_MAX_SIZE);
	assert_int_equal(EBADMSG, mcx_form_check(big, FORM_MAX_SIZE, &d));
	assert_int_equal(EMSGSIZE, mcx_form_check(big, FORM_MAX_SIZE + 1,
						  &d));
	assert_string_equal(d.reason, "form: body larger than 16384 bytes");
	assert_int_equal(EMSGSIZE, mcx_form_get(big, FORM_MAX_SIZE + 1, "a",
						out, sizeof(out), &d));
	mem_deref(big);
}

static void arguments(void **state)
{
	char out[8] = "junk", longname[FORM_NAME_MAX + 2];

	(void)state;
	assert_int_equal(EINVAL, mcx_form_get(NULL, 1, "a", out, 8, NULL));
	assert_int_equal(EINVAL, mcx_form_get("a=1", 3, NULL, out, 8, NULL));
	assert_int_equal(EINVAL, mcx_form_get("a=1", 3, "", out, 8, NULL));
	assert_int_equal(EINVAL, mcx_form_get("a=1", 3, "a", NULL, 8, NULL));
	assert_int_equal(EINVAL, mcx_form_get("a=1", 3, "a", out, 0, NULL));
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(EINVAL, mcx_form_get("a=1", 3, longname, out, 8,
					      NULL));
	assert_int_equal(ENOENT, mcx_form_get(NULL, 0, "a", out, 8, NULL));
	assert_int_equal(0, mcx_form_get("a=1", 3, "a", out, 8, NULL));
	assert_string_equal(out, "1");
	assert_int_equal(EINVAL, mcx_form_check(NULL, 1, NULL));
	assert_int_equal(0, mcx_form_check(NULL, 0, NULL));
	assert_string_equal(MCX_FORM_MIME,
			    "application/x-www-form-urlencoded");
}

/* tests/data/form (also the fuzz seeds; see its README) */
static void data_files(void **state)
{
	static const struct { const char *path; int err; const char *why; }
	v[] = {
		{ "form/token-password.form", 0, "" },
		{ "form/token-refresh.form", 0, "" },
		{ "form/token-authcode.form", 0, "" },
		{ "form/utf8-empty-skips.form", 0, "" },
		{ "form/bad-escape-at-end.form", EBADMSG,
		  "parameter 'password': '%' at offset 47" },
		{ "form/bad-duplicate.form", EBADMSG,
		  "parameter 'username' given twice" },
		{ "form/bad-nul.form", EBADMSG,
		  "parameter 'username': NUL octet at offset 34" },
		{ "form/bad-utf8.form", EBADMSG,
		  "parameter 'username': not valid UTF-8" },
		{ "form/bad-no-equals.form", EBADMSG,
		  "form: pair at offset 20 has no '='" },
	};
	static const struct { const char *path, *name, *value; } get[] = {
		{ "form/token-password.form", "password", "s@cret" },
		{ "form/token-refresh.form", "scope",
		  "openid 3gpp:mc:ptt_service" },
		{ "form/token-authcode.form", "redirect_uri",
		  "http://127.0.0.1:49152/cb" },
		{ "form/token-authcode.form", "code_verifier",
		  "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" },
		{ "form/utf8-empty-skips.form", "display",
		  "J\xc3\xbcrgen M\xc3\xbcller" },
		{ "form/utf8-empty-skips.form", "username",
		  "\xc3\xa9lodie" },
		{ "form/utf8-empty-skips.form", "empty", "" },
		{ "form/utf8-empty-skips.form", "last", "a=b" },
	};
	char out[256];
	size_t len;
	uint8_t *buf;

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
		struct mcx_diag d = { "" };
		int err;

		buf = tu_load(v[k].path, &len);
		err = mcx_form_check((const char *)buf, len, &d);
		if (err != v[k].err || !strstr(d.reason, v[k].why))
			fail_msg("%s: %d '%s', expected %d '%s'", v[k].path,
				 err, d.reason, v[k].err, v[k].why);
		mem_deref(buf);
	}

	for (size_t k = 0; k < ARRAY_SIZE(get); k++) {
		buf = tu_load(get[k].path, &len);
		assert_int_equal(0, mcx_form_get((const char *)buf, len,
						 get[k].name, out,
						 sizeof(out), NULL));
		assert_string_equal(out, get[k].value);
		mem_deref(buf);
	}

	buf = tu_load("form/xui-segment.pct", &len);
	assert_int_equal(0, mcx_pct_decode(out, sizeof(out), (char *)buf, len,
					   false, NULL));
	assert_string_equal(out, "sip:alice@a.mcx.test");
	mem_deref(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pct_table),
		cmocka_unit_test(pct_sizes),
		cmocka_unit_test(get_table),
		cmocka_unit_test(check_table),
		cmocka_unit_test(limits),
		cmocka_unit_test(arguments),
		cmocka_unit_test(data_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
