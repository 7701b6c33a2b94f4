/**
 * @file fuzz_info.c  mcptt-info, mcvideo-info, mcdata-info decoder
 *
 * Built once per service: FUZZ_SVC is MCX_SVC_MCPTT, _MCVIDEO or _MCDATA.
 */
#include <re.h>
#include <mcx/info.h>
#include "fuzz.h"

static int dec(void **objp, const uint8_t *buf, size_t len)
{
	return mcx_info_decode((struct mcx_info **)objp, FUZZ_SVC, buf, len,
			       NULL);
}

static int enc(struct mbuf *mb, const void *obj)
{
	return mcx_info_encode(mb, obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *a = NULL;
	char line[512];

	if (dec(&a, data, size))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", mcx_info_print, a);

	/* EINVAL only for encrypted values, which cannot be re-encoded */
	fuzz_reencode(a, dec, enc, true);
	mem_deref(a);

	return 0;
}
