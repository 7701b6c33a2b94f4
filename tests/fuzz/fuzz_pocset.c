/**
 * @file fuzz_pocset.c  poc-settings decoder
 */
#include <re.h>
#include <mcx/pocset.h>
#include "fuzz.h"

static int dec(void **objp, const uint8_t *buf, size_t len)
{
	return pocset_decode((struct pocset **)objp, buf, len, NULL);
}

static int enc(struct mbuf *mb, const void *obj)
{
	return pocset_encode(mb, obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *a = NULL;
	char line[512];

	if (dec(&a, data, size))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", pocset_print, a);
	(void)pocset_first(a);
	fuzz_reencode(a, dec, enc, false);
	mem_deref(a);

	return 0;
}
