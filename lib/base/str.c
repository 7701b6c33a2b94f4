/**
 * @file str.c  Small string checks shared by the codecs
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include <mcx/str.h>

/**
 * Check that a byte string is well-formed UTF-8 (RFC 3629): no overlong
 * forms, no surrogates, nothing above U+10FFFF.
 *
 * @param s Bytes
 * @param n Number of bytes
 *
 * @return true if valid
 */
bool mcx_utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = s[i];
		size_t k;
		uint32_t cp, min;

		if (c < 0x80) {
			++i;
			continue;
		}
		else if ((c & 0xe0) == 0xc0) {
			k = 1; cp = c & 0x1f; min = 0x80;
		}
		else if ((c & 0xf0) == 0xe0) {
			k = 2; cp = c & 0x0f; min = 0x800;
		}
		else if ((c & 0xf8) == 0xf0) {
			k = 3; cp = c & 0x07; min = 0x10000;
		}
		else {
			return false;
		}

		if (n - i <= k)
			return false;

		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}

		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;

		i += k + 1;
	}

	return true;
}


/**
 * Is s a DNS domain name (RFC 1035 2.3.1, letters/digits/hyphens, labels of
 * 1..63, at most 253 in all, no leading or trailing hyphen)?
 */
bool mcx_domain_valid(const char *s)
{
	size_t total = 0, label = 0;
	char prev = '.';

	if (!s || !*s)
		return false;

	for (; *s; s++, total++) {
		char c = *s;

		if (c == '.') {
			if (!label || prev == '-')
				return false;
			label = 0;
		}
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '-') {
			if (c == '-' && prev == '.')
				return false;
			if (++label > 63)
				return false;
		}
		else {
			return false;
		}
		prev = c;
	}

	return total <= 253 && label && prev != '-';
}


/**
 * Is s an identifier we mint or accept as one: 1..maxlen characters from
 * [A-Za-z0-9._~-] (RFC 3986 unreserved, so it is safe in URIs and headers)?
 */
bool mcx_id_valid(const char *s, size_t maxlen)
{
	size_t n = 0;

	if (!s || !*s)
		return false;

	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '~' || c == '-'))
			return false;
		if (++n > maxlen)
			return false;
	}

	return true;
}


/**
 * Whether s[0..n) is one or more ASCII digits and nothing else (libre's
 * re_regex has no anchors, so "^[0-9]+$" cannot say this)
 *
 * @param s String, need not be terminated
 * @param n Its length
 *
 * @return true if n > 0 and every octet is 0-9
 */
bool mcx_digits(const char *s, size_t n)
{
	if (!s || !n)
		return false;

	for (; n; n--, s++) {
		if (*s < '0' || *s > '9')
			return false;
	}

	return true;
}


/**
 * Edit distance of two short words, a swap of neighbours counting as one
 * edit (optimal string alignment): what suggests "did you mean 'x'?" for
 * option and command names
 *
 * @param a First word (need not be terminated)
 * @param n Its length
 * @param b Second word
 * @param m Its length
 *
 * @return The distance; ~0u when a word is longer than MCX_EDIT_DIST_MAX
 */
unsigned mcx_edit_dist(const char *a, size_t n, const char *b, size_t m)
{
	unsigned r[3][MCX_EDIT_DIST_MAX + 1];
	unsigned *pp = r[0], *p = r[1], *c = r[2], *tmp;

	if (n > MCX_EDIT_DIST_MAX || m > MCX_EDIT_DIST_MAX)
		return ~0u;

	for (size_t j = 0; j <= m; j++)
		p[j] = (unsigned)j;

	for (size_t i = 1; i <= n; i++) {
		c[0] = (unsigned)i;
		for (size_t j = 1; j <= m; j++) {
			unsigned v = p[j - 1] + (a[i - 1] != b[j - 1]);

			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
		}
		tmp = pp;
		pp = p;
		p = c;
		c = tmp;
	}

	return p[m];
}


/**
 * Replace a mem-allocated string with a copy of another
 *
 * @param dstp Where the string lives; the old one is released
 * @param src  New value, or NULL to clear
 *
 * @return 0 or ENOMEM; on error *dstp is unchanged
 */
int mcx_strset(char **dstp, const char *src)
{
	char *s = NULL;

	if (!dstp)
		return EINVAL;

	if (src) {
		int err = str_dup(&s, src);
		if (err)
			return err;
	}

	mem_deref(*dstp);
	*dstp = s;

	return 0;
}


/**
 * Print s as a JSON string, quotes included (RFC 8259 7), for %H:
 * quote, backslash and control characters escaped, other octets as they
 * are (the caller gives UTF-8).  NULL prints null.
 */
int mcx_json_str(struct re_printf *pf, const char *s)
{
	int err;

	if (!s)
		return re_hprintf(pf, "null");

	err = re_hprintf(pf, "\"");
	for (const char *p = s; *p && !err; p++) {
		unsigned char c = (unsigned char)*p;

		switch (c) {

		case '"':  err = re_hprintf(pf, "\\\""); break;
		case '\\': err = re_hprintf(pf, "\\\\"); break;
		case '\n': err = re_hprintf(pf, "\\n"); break;
		case '\r': err = re_hprintf(pf, "\\r"); break;
		case '\t': err = re_hprintf(pf, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				char u[8];

				(void)snprintf(u, sizeof(u), "\\u%04x", c);
				err = re_hprintf(pf, "%s", u);
			}
			else
				err = pf->vph((const char *)p, 1, pf->arg);
			break;
		}
	}

	return err | re_hprintf(pf, "\"");
}
