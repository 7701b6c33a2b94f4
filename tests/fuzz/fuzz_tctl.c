/**
 * @file fuzz_tctl.c  MCVideo transmission control decoder
 */
#include <errno.h>
#include <re.h>
#include <mcx/tctl.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mbuf *m1 = mbuf_alloc(2048), *m2 = mbuf_alloc(2048);
	size_t pos = 0;

	FUZZ_CHECK(m1 && m2);

	while (pos < size) {
		struct tctl_msg a, b;
		size_t used = 0;
		char line[1024];
		int err;

		if (tctl_decode(&a, data + pos, size - pos, &used, NULL))
			break;
		pos += used;

		(void)re_snprintf(line, sizeof(line), "%H", tctl_print, &a);

		mbuf_reset(m1);
		mbuf_reset(m2);
		err = tctl_encode(m1, &a);
		FUZZ_CHECK(!err || err == EINVAL);
		if (err)
			continue;
		FUZZ_CHECK(0 == tctl_decode(&b, m1->buf, m1->end, NULL, NULL));
		FUZZ_CHECK(0 == tctl_encode(m2, &b));
		FUZZ_CHECK(fuzz_same(m1->buf, m1->end, m2->buf, m2->end));
	}

	mem_deref(m2);
	mem_deref(m1);

	return 0;
}
