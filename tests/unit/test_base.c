/**
 * @file test_base.c  lib/base: the log and JSON strings
 */
#include <string.h>
#include <re.h>
#include <mcx/log.h>
#include <mcx/str.h>
#include "testutil.h"


static void json(const char *in, const char *want)
{
	char buf[256];

	assert_true(re_snprintf(buf, sizeof(buf), "%H", mcx_json_str, in) >=
		    0);
	assert_string_equal(want, buf);
}


static void json_strings(void **state)
{
	(void)state;

	json("plain", "\"plain\"");
	json("a \"quote\" and \\", "\"a \\\"quote\\\" and \\\\\"");
	json("tab\tnl\ncr\r", "\"tab\\tnl\\ncr\\r\"");
	json("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	json("Gr\xc3\xbc\xc3\x9f" "e", "\"Gr\xc3\xbc\xc3\x9f" "e\"");
	json("", "\"\"");
	json(NULL, "null");
}


/* The digit check that replaces an anchored regex */
static void digits(void **state)
{
	(void)state;
	assert_true(mcx_digits("0", 1));
	assert_true(mcx_digits("600", 3));
	assert_true(mcx_digits("12a", 2));	/* only the first n count */
	assert_false(mcx_digits("12a", 3));
	assert_false(mcx_digits("", 0));
	assert_false(mcx_digits(NULL, 0));
	assert_false(mcx_digits("-1", 2));
	assert_false(mcx_digits(" 1", 2));
	assert_false(mcx_digits("1 ", 2));
}


/* What "did you mean" rests on: insert, delete, replace, swap = 1 */
static void edit_distance(void **state)
{
	(void)state;
	assert_int_equal(0, mcx_edit_dist("call", 4, "call", 4));
	assert_int_equal(1, mcx_edit_dist("cll", 3, "call", 4));
	assert_int_equal(1, mcx_edit_dist("calls", 5, "call", 4));
	assert_int_equal(1, mcx_edit_dist("cal1", 4, "call", 4));
	assert_int_equal(1, mcx_edit_dist("sip_prot", 8, "sip_port", 8));
	assert_int_equal(2, mcx_edit_dist("ab", 2, "", 0));
	assert_int_equal(3, mcx_edit_dist("abc", 3, "xyz", 3));
	assert_int_equal(~0u, mcx_edit_dist("a", 1, "x",
					    MCX_EDIT_DIST_MAX + 1));
}


/* Durations come from a clock that never goes back */
static void mono_clock(void **state)
{
	uint64_t a, b;

	(void)state;
	a = mcx_mono_us();
	for (int i = 0; i < 1000; i++) {
		b = mcx_mono_us();
		assert_true(b >= a);
		a = b;
	}
	assert_true(a > 0);
}


static void time_format(void **state)
{
	char buf[32];
	(void)state;

	/* 2026-11-25 09:14:03.125 UTC */
	assert_int_equal(24, mcx_time_print(buf, sizeof(buf),
					    1795598043125000ull));
	assert_string_equal("2026-11-25T09:14:03.125Z", buf);
	assert_int_equal(-1, mcx_time_print(buf, 10, 0));
}


struct captured {
	unsigned n;
	enum mcx_log_level level;
	char tag[16];
	char msg[MCX_LOG_MAX];
};


static void capture(enum mcx_log_level level, const char *tag,
		    uint64_t t_us, const char *msg, void *arg)
{
	struct captured *c = arg;
	(void)t_us;

	++c->n;
	c->level = level;
	str_ncpy(c->tag, tag, sizeof(c->tag));
	str_ncpy(c->msg, msg, sizeof(c->msg));
}


static void log_levels_and_handler(void **state)
{
	struct captured c;
	enum mcx_log_level l;
	char big[MCX_LOG_MAX + 100];
	(void)state;

	memset(&c, 0, sizeof(c));
	mcx_log_set_handler(capture, &c);
	mcx_log_set_level(MCX_INFO);

	mcx_log(MCX_DEBUG, "t", "hidden");
	assert_int_equal(0, c.n);

	mcx_log(MCX_WARN, "sip", "%u bindings from %s", 2u, "here");
	assert_int_equal(1, c.n);
	assert_int_equal(MCX_WARN, c.level);
	assert_string_equal("sip", c.tag);
	assert_string_equal("2 bindings from here", c.msg);

	/* too long: cut, and says so */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	mcx_log(MCX_ERROR, "t", "%s", big);
	assert_int_equal(2, c.n);
	assert_int_equal(MCX_LOG_MAX - 1, strlen(c.msg));
	assert_string_equal("...", c.msg + MCX_LOG_MAX - 4);

	assert_int_equal(0, mcx_log_level_parse(&l, "Debug"));
	assert_int_equal(MCX_DEBUG, l);
	assert_int_equal(EINVAL, mcx_log_level_parse(&l, "loud"));
	assert_int_equal('W', mcx_log_letter(MCX_WARN));

	mcx_log_set_handler(NULL, NULL);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_strings),
		cmocka_unit_test(digits),
		cmocka_unit_test(edit_distance),
		cmocka_unit_test(mono_clock),
		cmocka_unit_test(time_format),
		cmocka_unit_test(log_levels_and_handler),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
