/**
 * @file fuzz_form.c  Percent-decoding and form bodies
 *
 * The input is taken three ways: as a whole form body (mcx_form_check),
 * pair by pair (mcx_pct_decode of each name and value, and mcx_form_get
 * of each name), and as one percent-encoded string in both modes. Each
 * decode is compared with a plain reference decoder written here: the
 * same verdict, the same octets, and a success is valid UTF-8 without a
 * NUL. When the body passes mcx_form_check, mcx_form_get must find every
 * name with the value the reference gives.
 */
#include <re.h>
#include <mcx/form.h>
#include <mcx/str.h>
#include "fuzz.h"

enum { REF_MAX = 1 << 16 };

static int hexv(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reference decoder: 0, BAD_OCTET (bad escape, NUL) or BAD_UTF8; *np is
 * the decoded length unless BAD_OCTET */
enum { BAD_OCTET = 1, BAD_UTF8 = 2 };

static int ref_decode(uint8_t *out, size_t *np, const uint8_t *in,
		      size_t len, bool plus)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		uint8_t c = in[i];

		if (c == '%') {
			if (len - i < 3 || hexv(in[i + 1]) < 0 ||
			    hexv(in[i + 2]) < 0)
				return BAD_OCTET;
			c = (uint8_t)(hexv(in[i + 1]) * 16 + hexv(in[i + 2]));
			i += 2;
		}
		else if (plus && c == '+') {
			c = ' ';
		}
		if (!c)
			return BAD_OCTET;
		out[n++] = c;
	}

	*np = n;
	return mcx_utf8_valid(out, n) ? 0 : BAD_UTF8;
}

/* mcx_pct_decode against the reference, with a roomy buffer and one of
 * tight bytes: octet errors first, then the size, then UTF-8 */
static void pct_one(const uint8_t *in, size_t len, bool plus, size_t tight)
{
	static uint8_t ref[REF_MAX];
	static char out[REF_MAX + 1];
	size_t n = 0;
	int r, err;

	if (len > REF_MAX)
		return;
	r = ref_decode(ref, &n, in, len, plus);

	err = mcx_pct_decode(out, sizeof(out), (const char *)in, len, plus,
			     NULL);
	FUZZ_CHECK(err == (r ? EBADMSG : 0));
	if (!err) {
		FUZZ_CHECK(strlen(out) == n && !memcmp(out, ref, n));
		FUZZ_CHECK(mcx_utf8_valid((const uint8_t *)out, n));
	}
	else {
		FUZZ_CHECK(out[0] == '\0');
	}

	err = mcx_pct_decode(out, tight, (const char *)in, len, plus, NULL);
	if (r == BAD_OCTET)
		FUZZ_CHECK(err == EBADMSG);
	else if (n >= tight)
		FUZZ_CHECK(err == EMSGSIZE);
	else if (r == BAD_UTF8)
		FUZZ_CHECK(err == EBADMSG);
	else
		FUZZ_CHECK(!err && !memcmp(out, ref, n) && !out[n]);
}

static void pairs(const uint8_t *data, size_t size, bool checked)
{
	static uint8_t ref[REF_MAX], nref[REF_MAX];
	static char out[REF_MAX + 1];
	size_t pos = 0;

	while (pos < size) {
		const uint8_t *seg = data + pos;
		const uint8_t *amp = memchr(seg, '&', size - pos);
		size_t slen = amp ? (size_t)(amp - seg) : size - pos;
		const uint8_t *eq = memchr(seg, '=', slen);

		pos += slen + 1;
		if (!eq) {
			FUZZ_CHECK(!checked || !slen);
			continue;
		}

		pct_one(seg, (size_t)(eq - seg), true, 4);
		pct_one(eq + 1, slen - (size_t)(eq - seg) - 1, true, 4);

		if (checked) {
			size_t nl = 0, vl = 0;

			FUZZ_CHECK(!ref_decode(nref, &nl, seg,
					       (size_t)(eq - seg), true));
			FUZZ_CHECK(!ref_decode(ref, &vl, eq + 1,
					       slen - (size_t)(eq - seg) - 1,
					       true));
			FUZZ_CHECK(nl > 0 && nl <= FORM_NAME_MAX);
			FUZZ_CHECK(vl <= FORM_VALUE_MAX);
			nref[nl] = '\0';
			FUZZ_CHECK(0 == mcx_form_get((const char *)data, size,
						     (const char *)nref, out,
						     sizeof(out), NULL));
			FUZZ_CHECK(strlen(out) == vl && !memcmp(out, ref, vl));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[64];
	bool checked;
	int err;

	err = mcx_form_check((const char *)data, size, NULL);
	FUZZ_CHECK(!err || err == EBADMSG || err == EMSGSIZE);
	checked = !err;
	pairs(data, size, checked);

	pct_one(data, size, false, size ? (size_t)data[0] % 32 + 1 : 1);
	pct_one(data, size, true, 16);

	/* fixed names, as the token endpoint asks for them */
	err = mcx_form_get((const char *)data, size, "grant_type", out,
			   sizeof(out), NULL);
	FUZZ_CHECK(err != EINVAL);
	FUZZ_CHECK(!err || out[0] == '\0');
	if (checked)
		FUZZ_CHECK(!err || err == ENOENT || err == EMSGSIZE);

	return 0;
}
