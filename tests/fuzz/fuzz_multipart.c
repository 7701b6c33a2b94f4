/**
 * @file fuzz_multipart.c  multipart/mixed decoder
 *
 * Input: the Content-Type header value, a newline, then the body.
 */
#include <re.h>
#include <mcx/multipart.h>
#include "fuzz.h"

static bool same_parts(const struct multipart *a, const struct multipart *b)
{
	const struct le *x = a->parts.head, *y = b->parts.head;

	for (; x && y; x = x->next, y = y->next) {
		const struct mpart *p = x->data, *q = y->data;

		if (strcmp(p->ctype, q->ctype) || !fuzz_same(p->data, p->len,
							     q->data, q->len))
			return false;
		if ((p->disp == NULL) != (q->disp == NULL) ||
		    (p->disp && strcmp(p->disp, q->disp)))
			return false;
	}

	return !x && !y;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	struct multipart *mp = NULL, *mp2 = NULL;
	struct mbuf *mb = NULL;
	struct pl ct;
	char line[256];

	if (!nl)
		return 0;
	ct.p = (const char *)data;
	ct.l = (size_t)(nl - data);

	if (multipart_decode(&mp, &ct, nl + 1, size - ct.l - 1, NULL))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", multipart_print, mp);
	(void)multipart_find(mp, "application/sdp");

	/* what was decoded encodes, and decodes to the same parts */
	mb = mbuf_alloc(size + 256);
	FUZZ_CHECK(mb);
	FUZZ_CHECK(0 == multipart_encode(mb, mp));
	(void)re_snprintf(line, sizeof(line), "%H", multipart_ctype_print, mp);
	pl_set_str(&ct, line);
	FUZZ_CHECK(0 == multipart_decode(&mp2, &ct, mb->buf, mb->end, NULL));
	FUZZ_CHECK(same_parts(mp, mp2));

	mem_deref(mp2);
	mem_deref(mb);
	mem_deref(mp);

	return 0;
}
