/**
 * @file fuzz_profile.c  User profile decoder (built once per service)
 */
#include <re.h>
#include <mcx/profile.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile *a = NULL, *b = NULL;
	struct mbuf *m1, *m2;
	char line[512];

	if (profile_decode(&a, FUZZ_SVC, data, size, NULL))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", profile_print, a);
	(void)profile_may_call(a, "sip:bob@b.mcx.test");
	(void)profile_partner_find(a, "c.mcx.test");

	/* everything a profile decodes to, it encodes */
	m1 = mbuf_alloc(4096);
	m2 = mbuf_alloc(4096);
	FUZZ_CHECK(m1 && m2);
	FUZZ_CHECK(0 == profile_encode(m1, a));
	FUZZ_CHECK(0 == profile_decode(&b, FUZZ_SVC, m1->buf, m1->end, NULL));
	FUZZ_CHECK(0 == profile_encode(m2, b));
	FUZZ_CHECK(fuzz_same(m1->buf, m1->end, m2->buf, m2->end));

	mem_deref(b);
	mem_deref(m2);
	mem_deref(m1);
	mem_deref(a);

	return 0;
}
