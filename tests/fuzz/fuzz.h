/**
 * @file fuzz.h  Shared by the fuzz drivers
 *
 * Each driver feeds one decoder. Whatever decodes must also survive the
 * rest of its life: print, and (where the codec encodes) encode; and an
 * encoding must decode again to a message that encodes to the same octets.
 * A broken promise aborts, which libFuzzer and the replay driver report.
 */
#ifndef MCX_FUZZ_H
#define MCX_FUZZ_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: check failed: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

/* Same octets? */
static inline int fuzz_same(const void *a, size_t alen, const void *b,
			    size_t blen)
{
	return alen == blen && (!alen || !memcmp(a, b, alen));
}

/* Adapters over a codec's decode and encode, for fuzz_reencode() */
typedef int (fuzz_decode_h)(void **objp, const uint8_t *buf, size_t len);
typedef int (fuzz_encode_h)(struct mbuf *mb, const void *obj);

/*
 * The promise every allocating codec keeps: a decoded object encodes
 * (or, where einval_ok, may be refused with EINVAL: an encrypted value,
 * a message type we never send), and its encoding decodes to an object
 * that encodes to the same octets.
 */
static inline void fuzz_reencode(const void *obj, fuzz_decode_h *dec,
				 fuzz_encode_h *enc, bool einval_ok)
{
	struct mbuf *m1 = mbuf_alloc(1024), *m2 = mbuf_alloc(1024);
	void *obj2 = NULL;
	int err;

	FUZZ_CHECK(m1 && m2);
	err = enc(m1, obj);
	FUZZ_CHECK(!err || (einval_ok && err == EINVAL));
	if (!err) {
		FUZZ_CHECK(0 == dec(&obj2, m1->buf, m1->end));
		FUZZ_CHECK(0 == enc(m2, obj2));
		FUZZ_CHECK(fuzz_same(m1->buf, m1->end, m2->buf, m2->end));
	}

	mem_deref(obj2);
	mem_deref(m2);
	mem_deref(m1);
}

#endif
