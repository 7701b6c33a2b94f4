/**
 * @file fuzz_migration.c  <migration-notice> decoder
 */
#include <re.h>
#include <mcx/migration.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct migr_notice *a = NULL, *b = NULL;
	struct mbuf *m1, *m2;
	char line[256];

	if (migr_notice_decode(&a, data, size, NULL))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", migr_notice_print, a);

	m1 = mbuf_alloc(512);
	m2 = mbuf_alloc(512);
	FUZZ_CHECK(m1 && m2);
	FUZZ_CHECK(0 == migr_notice_encode(m1, a));
	FUZZ_CHECK(0 == migr_notice_decode(&b, m1->buf, m1->end, NULL));
	FUZZ_CHECK(0 == migr_notice_encode(m2, b));
	FUZZ_CHECK(fuzz_same(m1->buf, m1->end, m2->buf, m2->end));

	mem_deref(b);
	mem_deref(m2);
	mem_deref(m1);
	mem_deref(a);

	return 0;
}
