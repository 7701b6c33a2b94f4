/**
 * @file fuzz_mcdata.c  MCData signalling decoder
 */
#include <re.h>
#include <mcx/mcdata.h>
#include "fuzz.h"

static int dec(void **objp, const uint8_t *buf, size_t len)
{
	return mcdata_decode((struct mcdata_msg **)objp, buf, len, NULL);
}

static int enc(struct mbuf *mb, const void *obj)
{
	return mcdata_encode(mb, obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *a = NULL;
	char line[1024];

	if (dec(&a, data, size))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", mcdata_print, a);

	/* EINVAL: opaque types, flags, IEs the type does not carry */
	fuzz_reencode(a, dec, enc, true);
	mem_deref(a);

	return 0;
}
