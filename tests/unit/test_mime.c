/**
 * @file test_mime.c  Content-Type and Content-Disposition decoding
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/mime.h>
#include "testutil.h"

static int ct(struct mcx_ctype *c, const char *s)
{
	struct pl pl;

	pl_set_str(&pl, s);
	return mcx_ctype_decode(c, &pl, NULL);
}

static void ctype_ok(void **state)
{
	struct mcx_ctype c;
	struct pl v;

	(void)state;
	assert_int_equal(0, ct(&c, "application/sdp"));
	assert_true(mcx_ctype_is(&c, "application/sdp"));
	assert_true(mcx_ctype_is(&c, "Application/SDP"));
	assert_false(mcx_ctype_is(&c, "application/sdpx"));
	assert_false(mcx_ctype_is(&c, "application"));

	assert_int_equal(0, ct(&c, "multipart/mixed;boundary=mcx-1"));
	assert_true(mcx_ctype_is(&c, "multipart/mixed"));
	assert_int_equal(0, mcx_param_get(&c.params, "BOUNDARY", &v));
	assert_int_equal(0, pl_strcmp(&v, "mcx-1"));
	assert_int_equal(ENOENT, mcx_param_get(&c.params, "charset", &v));

	assert_int_equal(0, ct(&c, " multipart/mixed ; a=1;\t"
			       "boundary=\"x; y\""));
	assert_int_equal(0, mcx_param_get(&c.params, "boundary", &v));
	assert_int_equal(0, pl_strcmp(&v, "x; y"));
	assert_int_equal(0, mcx_param_get(&c.params, "a", &v));
	assert_int_equal(0, pl_strcmp(&v, "1"));
}

#define SEVENTEEN_PARAMS ("a/b;p=1;p=2;p=3;p=4;p=5;p=6;p=7;p=8;p=9;p=10;" \
			  "p=11;p=12;p=13;p=14;p=15;p=16;p=17")

static void ctype_bad(void **state)
{
	static const char *bad[] = {
		"", " ", "application", "application/", "/sdp",
		"app lication/sdp", "application/sdp;", "application/sdp;=x",
		"application/sdp;a", "application/sdp;a=", "application/sdp x",
		"application/sdp;a=\"unterminated", "a/b;c=\"\x01\"",
		SEVENTEEN_PARAMS,
	};
	struct mcx_diag d;
	struct mcx_ctype c;
	struct pl pl;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		d.reason[0] = '\0';
		pl_set_str(&pl, bad[i]);
		if (mcx_ctype_decode(&c, &pl, &d) != EBADMSG)
			fail_msg("accepted '%s'", bad[i]);
		assert_non_null(strstr(d.reason, "Content-Type"));
	}
}

static void disposition(void **state)
{
	struct mcx_ctype d;
	struct pl pl, v;

	(void)state;
	pl_set_str(&pl, "render;handling=optional");
	assert_int_equal(0, mcx_disp_decode(&d, &pl, NULL));
	assert_int_equal(0, pl_strcmp(&d.type, "render"));
	assert_int_equal(0, mcx_param_get(&d.params, "handling", &v));
	assert_int_equal(0, pl_strcmp(&v, "optional"));

	pl_set_str(&pl, "recipient-list");
	assert_int_equal(0, mcx_disp_decode(&d, &pl, NULL));
	assert_int_equal(0, pl_strcmp(&d.type, "recipient-list"));
	assert_false(pl_isset(&d.params) && d.params.l);

	pl_set_str(&pl, "attachment;flag");	/* valueless: fine here */
	assert_int_equal(0, mcx_disp_decode(&d, &pl, NULL));

	pl_set_str(&pl, "a/b");
	assert_int_equal(EBADMSG, mcx_disp_decode(&d, &pl, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ctype_ok),
		cmocka_unit_test(ctype_bad),
		cmocka_unit_test(disposition),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
