/**
 * @file fuzz_mbcp.c  MBCP decoder: a datagram of one or more packets
 */
#include <errno.h>
#include <re.h>
#include <mcx/mbcp.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mbuf *m1 = mbuf_alloc(2048), *m2 = mbuf_alloc(2048);
	size_t pos = 0;

	FUZZ_CHECK(m1 && m2);

	while (pos < size) {
		struct mbcp_msg a, b;
		size_t used = 0;
		char line[1024];
		int err;

		if (mbcp_decode(&a, data + pos, size - pos, &used, NULL))
			break;
		FUZZ_CHECK(used >= FC_HDR_LEN && used <= size - pos &&
			   used % 4 == 0);
		pos += used;

		(void)re_snprintf(line, sizeof(line), "%H", mbcp_print, &a);

		/* a decoder accepts fields the encoder would not send in
		 * that message (EINVAL); all else must round-trip */
		mbuf_reset(m1);
		mbuf_reset(m2);
		err = mbcp_encode(m1, &a);
		FUZZ_CHECK(!err || err == EINVAL);
		if (err)
			continue;
		FUZZ_CHECK(0 == mbcp_decode(&b, m1->buf, m1->end, &used,
					    NULL));
		FUZZ_CHECK(used == m1->end);
		FUZZ_CHECK(0 == mbcp_encode(m2, &b));
		FUZZ_CHECK(fuzz_same(m1->buf, m1->end, m2->buf, m2->end));
	}

	mem_deref(m2);
	mem_deref(m1);

	return 0;
}
