/**
 * @file fuzz_mime.c  Content-Type and Content-Disposition decoders
 */
#include <re.h>
#include <mcx/mime.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mcx_ctype ct;
	struct pl pl = { (const char *)data, size }, v;

	if (!mcx_ctype_decode(&ct, &pl, NULL)) {
		/* slices stay inside the input */
		FUZZ_CHECK(ct.type.p >= pl.p &&
			   ct.type.p + ct.type.l <= pl.p + pl.l);
		FUZZ_CHECK(ct.params.p + ct.params.l == pl.p + pl.l);
		(void)mcx_ctype_is(&ct, "multipart/mixed");
		if (!mcx_param_get(&ct.params, "boundary", &v))
			FUZZ_CHECK(v.p >= pl.p && v.p + v.l <= pl.p + pl.l);
	}

	if (!mcx_disp_decode(&ct, &pl, NULL))
		(void)mcx_param_get(&ct.params, "handling", &v);

	return 0;
}
