/**
 * @file fuzz_rlist.c  resource-lists decoder
 */
#include <re.h>
#include <mcx/rlist.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rlist *a = NULL, *b = NULL;
	struct mbuf *m1, *m2;
	char line[512];

	if (rlist_decode(&a, data, size, NULL))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", rlist_print, a);
	(void)rlist_first_uri(a);

	/* whatever decodes encodes, and encodes the same the second time */
	m1 = mbuf_alloc(1024);
	m2 = mbuf_alloc(1024);
	FUZZ_CHECK(m1 && m2);
	FUZZ_CHECK(0 == rlist_encode(m1, a));
	FUZZ_CHECK(0 == rlist_decode(&b, m1->buf, m1->end, NULL));
	FUZZ_CHECK(rlist_count(a) == rlist_count(b));
	FUZZ_CHECK(0 == rlist_encode(m2, b));
	FUZZ_CHECK(fuzz_same(m1->buf, m1->end, m2->buf, m2->end));

	mem_deref(b);
	mem_deref(m2);
	mem_deref(m1);
	mem_deref(a);

	return 0;
}
