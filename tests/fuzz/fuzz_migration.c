/**
 * @file fuzz_migration.c  <migration-notice> decoder
 */
#include <re.h>
#include <mcx/migration.h>
#include "fuzz.h"

static int dec(void **objp, const uint8_t *buf, size_t len)
{
	return migr_notice_decode((struct migr_notice **)objp, buf, len,
				  NULL);
}

static int enc(struct mbuf *mb, const void *obj)
{
	return migr_notice_encode(mb, obj);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *a = NULL;
	char line[256];

	if (dec(&a, data, size))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", migr_notice_print, a);
	fuzz_reencode(a, dec, enc, false);
	mem_deref(a);

	return 0;
}
