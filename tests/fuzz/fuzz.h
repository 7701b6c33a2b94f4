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

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#endif
