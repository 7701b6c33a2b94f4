/**
 * @file fuzz_sdp.c  SDP decoder of MC sessions
 */
#include <errno.h>
#include <re.h>
#include <mcx/mcsdp.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mcsdp a, b;
	struct mbuf *m1, *m2;
	char line[256];
	int err;

	if (mcsdp_decode(&a, data, size, NULL))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", mcsdp_print, &a);

	/* what we read, we can answer with (as PCMU), and read back */
	a.audio_pt = MCSDP_PT_PCMU;
	m1 = mbuf_alloc(512);
	m2 = mbuf_alloc(512);
	FUZZ_CHECK(m1 && m2);
	err = mcsdp_encode(m1, &a);
	FUZZ_CHECK(!err || err == EINVAL);	/* EINVAL: no audio address */
	if (!err) {
		FUZZ_CHECK(0 == mcsdp_decode(&b, m1->buf, m1->end, NULL));
		FUZZ_CHECK(0 == mcsdp_encode(m2, &b));
		FUZZ_CHECK(fuzz_same(m1->buf, m1->end, m2->buf, m2->end));
	}
	mem_deref(m2);
	mem_deref(m1);

	return 0;
}
