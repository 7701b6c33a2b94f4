/**
 * @file fuzz_rlist.c  resource-lists decoder
 */
#include <re.h>
#include <mcx/rlist.h>
#include "fuzz.h"

static int dec(void **objp, const uint8_t *buf, size_t len)
{
	return rlist_decode((struct rlist **)objp, buf, len, NULL);
}

static int enc(struct mbuf *mb, const void *obj)
{
	return rlist_encode(mb, obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *a = NULL;
	char line[512];

	if (dec(&a, data, size))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", rlist_print, a);
	(void)rlist_first_uri(a);
	fuzz_reencode(a, dec, enc, false);
	mem_deref(a);

	return 0;
}
