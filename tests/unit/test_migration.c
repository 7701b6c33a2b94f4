/**
 * @file test_migration.c  Our migration documents
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/migration.h>
#include "testutil.h"

static void notice_vector(void **state)
{
	struct migr_notice *n = NULL, *m = NULL;
	struct mbuf *mb = mbuf_alloc(256);
	struct mcx_diag d;
	uint8_t *buf;
	size_t len;
	char line[128];

	(void)state;
	buf = tu_load("migration/notice.xml", &len);
	assert_int_equal(0, migr_notice_decode(&n, buf, len, &d));
	assert_string_equal(n->target_system, "c.mcx.test");
	assert_int_equal(MCX_SVC_BIT_MCPTT | MCX_SVC_BIT_MCDATA, n->services);
	assert_int_equal(30, n->hold_time);

	assert_int_equal(0, migr_notice_encode(mb, n));
	tu_assert_mbuf_str(mb,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<migration-notice xmlns=\"urn:mcx:ns:migration:1.0\">\n"
		"  <target-system>c.mcx.test</target-system>\n"
		"  <service>mcptt</service>\n"
		"  <service>mcdata</service>\n"
		"  <hold-time>30</hold-time>\n"
		"</migration-notice>\n");
	assert_int_equal(0, migr_notice_decode(&m, mb->buf, mb->end, &d));
	assert_int_equal(n->services, m->services);

	(void)re_snprintf(line, sizeof(line), "%H", migr_notice_print, n);
	assert_string_equal(line, "migration notice: to c.mcx.test, hold 30s,"
			    " services mcptt mcdata");
	mem_deref(m);
	mem_deref(n);
	mem_deref(mb);
	mem_deref(buf);
}

#define NS "xmlns='urn:mcx:ns:migration:1.0'"

static void notice_refusals(void **state)
{
	static const struct { const char *doc; int err; const char *why; }
	bad[] = {
		{ "<migration-notice " NS "><service>mcptt</service>"
		  "<hold-time>5</hold-time></migration-notice>", EBADMSG,
		  "<target-system> missing" },
		{ "<migration-notice " NS "><target-system>c.mcx.test"
		  "</target-system><hold-time>5</hold-time>"
		  "</migration-notice>", EBADMSG, "<service> missing" },
		{ "<migration-notice " NS "><target-system>c.mcx.test"
		  "</target-system><service>mcptt</service>"
		  "</migration-notice>", EBADMSG, "<hold-time> missing" },
		{ "<migration-notice " NS "><target-system>not a domain"
		  "</target-system></migration-notice>", EBADMSG,
		  "not a domain" },
		{ "<migration-notice " NS "><service>mcfax</service>"
		  "</migration-notice>", EBADMSG, "unknown 'mcfax'" },
		{ "<migration-notice " NS "><service>mcptt</service><service>"
		  "mcptt</service></migration-notice>", EBADMSG,
		  "more than once" },
		{ "<migration-notice " NS "><hold-time>0</hold-time>"
		  "</migration-notice>", EBADMSG, "not 1..3600" },
		{ "<migration-notice " NS "><hold-time>3601</hold-time>"
		  "</migration-notice>", EBADMSG, "not 1..3600" },
		{ "<migration-notice><target-system>c.mcx.test</target-system>"
		  "</migration-notice>", EBADMSG,
		  "expected <migration-notice>" },
		{ "<migration-notice " NS ">", ENODATA, "cut short" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct migr_notice *n = NULL;
		struct mcx_diag d = { "" };
		int err = migr_notice_decode(&n, (const uint8_t *)bad[k].doc,
					     strlen(bad[k].doc), &d);

		if (err != bad[k].err || !strstr(d.reason, bad[k].why))
			fail_msg("case %zu: %d '%s'", k, err, d.reason);
		assert_null(n);
	}
}

static void allocators_check(void **state)
{
	struct migr_release *r = NULL;
	struct migr_cont *c = NULL;
	struct migr_notice *n = NULL;
	struct mbuf *mb = mbuf_alloc(64);

	(void)state;
	assert_int_equal(EINVAL, migr_release_alloc(&r, "", "c.mcx.test"));
	assert_int_equal(EINVAL, migr_release_alloc(&r, "id", "-c.test"));
	assert_int_equal(EINVAL, migr_release_alloc(
				 &r, "01234567890123456789012345678901234567"
				 "890123456789012345678901234", "c.mcx.test"));
	assert_int_equal(EINVAL, migr_cont_alloc(&c, "id", "sip:a b"));
	assert_int_equal(EINVAL, migr_notice_alloc(&n, "c.mcx.test", 0, 5));
	assert_int_equal(EINVAL, migr_notice_alloc(&n, "c.mcx.test", 8, 5));
	assert_int_equal(EINVAL, migr_notice_alloc(&n, "c.mcx.test", 1, 0));
	assert_int_equal(0, migr_notice_alloc(&n, "c.mcx.test",
					      MCX_SVC_BIT_MCVIDEO, 3600));
	n->hold_time = 4000;	/* changed after allocation */
	assert_int_equal(EINVAL, migr_notice_encode(mb, n));
	mem_deref(n);
	mem_deref(mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(notice_vector),
		cmocka_unit_test(notice_refusals),
		cmocka_unit_test(allocators_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
