/**
 * @file fuzz_info.c  mcptt-info, mcvideo-info, mcdata-info decoder
 *
 * Built once per service: FUZZ_SVC is MCX_SVC_MCPTT, _MCVIDEO or _MCDATA.
 */
#include <errno.h>
#include <re.h>
#include <mcx/info.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mcx_info *a = NULL, *b = NULL;
	struct mbuf *m1 = NULL, *m2 = NULL;
	char line[512];
	int err;

	if (mcx_info_decode(&a, FUZZ_SVC, data, size, NULL))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", mcx_info_print, a);

	m1 = mbuf_alloc(1024);
	m2 = mbuf_alloc(1024);
	FUZZ_CHECK(m1 && m2);

	/* EINVAL only for encrypted values, which cannot be re-encoded */
	err = mcx_info_encode(m1, a);
	FUZZ_CHECK(!err || err == EINVAL);
	if (!err) {
		FUZZ_CHECK(0 == mcx_info_decode(&b, FUZZ_SVC, m1->buf, m1->end,
						NULL));
		FUZZ_CHECK(0 == mcx_info_encode(m2, b));
		FUZZ_CHECK(fuzz_same(m1->buf, m1->end, m2->buf, m2->end));
	}

	mem_deref(b);
	mem_deref(m2);
	mem_deref(m1);
	mem_deref(a);

	return 0;
}
