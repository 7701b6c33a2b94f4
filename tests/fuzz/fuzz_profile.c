/**
 * @file fuzz_profile.c  User profile decoder (built once per service)
 */
#include <re.h>
#include <mcx/profile.h>
#include "fuzz.h"

static int dec(void **objp, const uint8_t *buf, size_t len)
{
	return profile_decode((struct profile **)objp, FUZZ_SVC, buf, len,
			      NULL);
}

static int enc(struct mbuf *mb, const void *obj)
{
	return profile_encode(mb, obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *a = NULL;
	char line[512];

	if (dec(&a, data, size))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", profile_print, a);
	(void)profile_may_call(a, "sip:bob@b.mcx.test");
	(void)profile_partner_find(a, "c.mcx.test");

	/* everything a profile decodes to, it encodes */
	fuzz_reencode(a, dec, enc, false);
	mem_deref(a);

	return 0;
}
