/**
 * @file test_testutil.c  The vector loader is a decoder too: test it
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include "testutil.h"

static void hex_ok(void **state)
{
	const char *t = "# header comment\n"
		"81 cc  # two bytes\n"
		"\"MCPT\" 00\n"
		"0A0b\r\n";
	static const uint8_t exp[] = {
		0x81, 0xcc, 'M', 'C', 'P', 'T', 0x00, 0x0a, 0x0b
	};
	uint8_t *buf = NULL;
	size_t len = 0;
	char why[80];

	(void)state;
	assert_int_equal(0, tu_hex_parse(&buf, &len, t, strlen(t), why,
					 sizeof(why)));
	tu_assert_bytes(buf, len, exp, sizeof(exp));
	mem_deref(buf);
}

static void hex_bad(void **state)
{
	static const char *bad[] = { "8", "zz", "81 \"MCPT\n\"", "1 2" };
	uint8_t *buf = NULL;
	size_t len;
	char why[80];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		why[0] = '\0';
		assert_int_equal(EBADMSG, tu_hex_parse(&buf, &len, bad[i],
						       strlen(bad[i]), why,
						       sizeof(why)));
		assert_non_null(strstr(why, "line"));
		assert_null(buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hex_ok),
		cmocka_unit_test(hex_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
