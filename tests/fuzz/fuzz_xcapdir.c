/**
 * @file fuzz_xcapdir.c  XCAP directory decoder
 *
 * Beyond fuzz_reencode(): a decoded document may encode to more than
 * XCAPDIR_MAX_SIZE (our encoder writes indentation and escapes that the
 * input may have left out), which the encoder refuses with EMSGSIZE;
 * anything it does encode must decode and encode again to the same
 * octets. Every folder must be found by its auid (auids are unique).
 */
#include <re.h>
#include <mcx/xcapdir.h>
#include "fuzz.h"

static void reencode(const struct xcapdir *a)
{
	struct mbuf *m1 = mbuf_alloc(1024), *m2 = mbuf_alloc(1024);
	struct xcapdir *b = NULL;
	int err;

	FUZZ_CHECK(m1 && m2);
	err = xcapdir_encode(m1, a);
	FUZZ_CHECK(!err || err == EMSGSIZE);
	if (!err) {
		FUZZ_CHECK(m1->end <= XCAPDIR_MAX_SIZE);
		FUZZ_CHECK(0 == xcapdir_decode(&b, m1->buf, m1->end, NULL));
		FUZZ_CHECK(xcapdir_count(a) == xcapdir_count(b));
		FUZZ_CHECK(0 == xcapdir_encode(m2, b));
		FUZZ_CHECK(fuzz_same(m1->buf, m1->end, m2->buf, m2->end));
	}

	mem_deref(b);
	mem_deref(m2);
	mem_deref(m1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xcapdir *a = NULL;
	unsigned n = 0;
	char line[512];

	if (xcapdir_decode(&a, data, size, NULL))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", xcapdir_print, a);
	for (struct le *le = a->folders.head; le; le = le->next) {
		const struct xcapdir_folder *f = le->data;

		FUZZ_CHECK(xcapdir_find(a, f->auid) == f);
		FUZZ_CHECK(!f->error || !f->entries.head);
		n += list_count(&f->entries);
	}
	FUZZ_CHECK(n == xcapdir_count(a) && n <= XCAPDIR_MAX_ENTRIES);
	reencode(a);
	mem_deref(a);

	return 0;
}
