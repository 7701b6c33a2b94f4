/**
 * @file fuzz_mcdata.c  MCData signalling decoder
 */
#include <errno.h>
#include <re.h>
#include <mcx/mcdata.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mcdata_msg *a = NULL, *b = NULL;
	struct mbuf *m1, *m2;
	char line[1024];
	int err;

	if (mcdata_decode(&a, data, size, NULL))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", mcdata_print, a);

	m1 = mbuf_alloc(size + 64);
	m2 = mbuf_alloc(size + 64);
	FUZZ_CHECK(m1 && m2);

	/* EINVAL: opaque types, flags, IEs the type does not carry */
	err = mcdata_encode(m1, a);
	FUZZ_CHECK(!err || err == EINVAL);
	if (!err) {
		FUZZ_CHECK(0 == mcdata_decode(&b, m1->buf, m1->end, NULL));
		FUZZ_CHECK(0 == mcdata_encode(m2, b));
		FUZZ_CHECK(fuzz_same(m1->buf, m1->end, m2->buf, m2->end));
	}

	mem_deref(b);
	mem_deref(m2);
	mem_deref(m1);
	mem_deref(a);

	return 0;
}
