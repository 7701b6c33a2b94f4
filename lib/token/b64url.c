/**
 * @file b64url.c  base64url without padding (RFC 4648 5; RFC 7515 2)
 *
 * Decoding is strict, so that one token has one spelling: only the 64
 * characters of the URL-safe alphabet, no "=" padding, no white space, a
 * length that is not 1 modulo 4, and the bits after the last full octet
 * zero (RFC 4648 3.5 lets a decoder refuse them set).
 */
#include <errno.h>
#include <re.h>
#include "tok.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";


static int val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;

	return -1;
}


/**
 * Encode octets
 *
 * @param dst Room for B64URL_LEN(n) characters (no NUL is written)
 * @param src Octets
 * @param n   Number of octets
 *
 * @return Characters written
 */
size_t b64url_encode(char *dst, const uint8_t *src, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)src[i] << 16 |
			(uint32_t)src[i + 1] << 8 | src[i + 2];

		dst[o++] = alphabet[v >> 18 & 0x3f];
		dst[o++] = alphabet[v >> 12 & 0x3f];
		dst[o++] = alphabet[v >> 6 & 0x3f];
		dst[o++] = alphabet[v & 0x3f];
	}

	if (n - i == 1) {
		dst[o++] = alphabet[src[i] >> 2];
		dst[o++] = alphabet[(src[i] & 0x03) << 4];
	}
	else if (n - i == 2) {
		dst[o++] = alphabet[src[i] >> 2];
		dst[o++] = alphabet[(src[i] & 0x03) << 4 | src[i + 1] >> 4];
		dst[o++] = alphabet[(src[i + 1] & 0x0f) << 2];
	}

	return o;
}


/**
 * Encode octets at the position of an mbuf
 *
 * @return 0 or ENOMEM
 */
int b64url_encode_mb(struct mbuf *mb, const uint8_t *src, size_t n)
{
	char chunk[64];

	for (size_t i = 0; i < n; i += 48) {
		size_t k = n - i < 48 ? n - i : 48;
		int err = mbuf_write_mem(mb, (const uint8_t *)chunk,
					 b64url_encode(chunk, src + i, k));

		if (err)
			return err;
	}

	return 0;
}


/**
 * Decode base64url text, strictly
 *
 * @param dst  Where the octets go
 * @param dlen In: room at dst; out: octets written
 * @param src  Text
 * @param n    Characters of text
 *
 * @return 0, EBADMSG (not canonical base64url) or EMSGSIZE (no room)
 */
int b64url_decode(uint8_t *dst, size_t *dlen, const char *src, size_t n)
{
	size_t rem = n % 4, out = n / 4 * 3 + (rem ? rem - 1 : 0);
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;

	if (rem == 1)
		return EBADMSG;
	if (out > *dlen)
		return EMSGSIZE;

	for (size_t i = 0; i < n; i++) {
		int v = val(src[i]);

		if (v < 0)
			return EBADMSG;
		acc = (acc << 6 | (uint32_t)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			dst[o++] = (uint8_t)(acc >> bits);
		}
	}

	/* the 2 or 4 bits left over must be zero */
	if (acc & ((1u << bits) - 1))
		return EBADMSG;

	*dlen = o;

	return 0;
}
