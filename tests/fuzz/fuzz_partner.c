/**
 * @file fuzz_partner.c  A partner agreement file (store_partner_parse)
 *
 * The input is one partner file. It is parsed under the name its own
 * first `domain` line gives (partners/DOMAIN.conf, found by a plain scan
 * here), so that inputs get past the check of the name, and again under
 * a name no domain can match. The parse is held to:
 *
 *   - success only under the matching name, with no reason; then every
 *     field is NUL-terminated and well-formed: sip:HOSTPORT and the two
 *     http://HOSTPORT/... URLs on one HOSTPORT each, a secret of
 *     16..128 printable octets or none, no key text, a key path and
 *     lines from 1;
 *   - an agreement written out again as a file (path and secret quoted)
 *     parses to the same agreement (fields, key path; lines are those of
 *     the new file);
 *   - failure with EBADMSG or EMSGSIZE, a reason that starts with the
 *     file name, and the agreement and file zeroed.
 */
#include <strings.h>
#include <mcx/diag.h>
#include <mcx/store.h>
#include <mcx/str.h>
#include "fuzz.h"

enum { NAME_MAX_ = 300, TEXT_MAX = 4096 };

static struct store_partner p1, p2;
static struct store_partner_file f1, f2;

static bool dns_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '.' || c == '-';
}

/* partners/VALUE.conf from the first line "domain VALUE", VALUE the
 * letters, digits, dots and hyphens after the blanks: a plain scan, not
 * the engine's. (Other octets could not be a domain, and the reason would
 * show some of them otherwise: mcx_diag_set() cleans quotes.) */
static void name_guess(char *out, size_t size, const uint8_t *d, size_t n)
{
	size_t i = 0;

	(void)snprintf(out, size, "partners/none.conf");
	while (i < n) {
		const uint8_t *nl = memchr(d + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - d) : n, s = i, v;

		while (s < e && (d[s] == ' ' || d[s] == '\t'))
			++s;
		if (e - s > 7 && !memcmp(d + s, "domain", 6) &&
		    (d[s + 6] == ' ' || d[s + 6] == '\t')) {
			s += 7;
			while (s < e && (d[s] == ' ' || d[s] == '\t'))
				++s;
			for (v = s; v < e && v - s < 253 &&
				     dns_char(d[v]); v++)
				;
			(void)snprintf(out, size, "partners/%.*s.conf",
				       (int)(v - s), (const char *)d + s);
			return;
		}
		i = e + 1;
	}
}

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static void check_ok(const struct store_partner *p,
		     const struct store_partner_file *f, const char *fname)
{
	const char *hp = p->sip_addr + 4, *base = strrchr(fname, '/') + 1;
	char url[STORE_URI_MAX + 1];
	size_t n;

	FUZZ_CHECK(terminated(p->domain, sizeof(p->domain)));
	FUZZ_CHECK(terminated(p->sip_addr, sizeof(p->sip_addr)));
	FUZZ_CHECK(terminated(p->idms_token_url, sizeof(p->idms_token_url)));
	FUZZ_CHECK(terminated(p->cms_root, sizeof(p->cms_root)));
	FUZZ_CHECK(terminated(p->secret, sizeof(p->secret)));
	FUZZ_CHECK(terminated(f->idms_key, sizeof(f->idms_key)));

	FUZZ_CHECK(mcx_domain_valid(p->domain));
	n = strlen(p->domain);
	FUZZ_CHECK(!strncasecmp(base, p->domain, n));
	FUZZ_CHECK(!strcmp(base + n, ".conf"));

	FUZZ_CHECK(!strncmp(p->sip_addr, "sip:", 4));
	FUZZ_CHECK(strlen(hp) >= 9 && strchr(hp, ':'));
	for (const char *c = hp; *c; c++)
		FUZZ_CHECK(strchr("0123456789abcdef.:[]", *c));
	FUZZ_CHECK(!strncmp(p->idms_token_url, "http://", 7));
	n = strlen(p->idms_token_url);
	FUZZ_CHECK(n > 18 && !strcmp(p->idms_token_url + n - 11,
				     "/idms/token"));
	(void)snprintf(url, sizeof(url), "%.*s/xcap-root", (int)(n - 11),
		       p->idms_token_url);
	FUZZ_CHECK(!strcmp(url, p->cms_root));

	n = strlen(p->secret);
	FUZZ_CHECK(n == 0 || (n >= STORE_PARTNER_SECRET_MIN &&
			      n <= STORE_PARTNER_SECRET_MAX));
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(p->secret[i] > ' ' && p->secret[i] < 0x7f);

	FUZZ_CHECK(p->idms_pubkey[0] == '\0');
	FUZZ_CHECK(f->idms_key[0] != '\0');
	FUZZ_CHECK(f->idms_key_line >= 1 && f->domain_line >= 1);
}

static void check_zero(const struct store_partner *p,
		       const struct store_partner_file *f)
{
	static const struct store_partner zp;
	static const struct store_partner_file zf;

	FUZZ_CHECK(!memcmp(p, &zp, sizeof(zp)));
	FUZZ_CHECK(!memcmp(f, &zf, sizeof(zf)));
}

/* "VALUE" with \" and \\ */
static size_t quoted(char *out, size_t size, const char *s)
{
	size_t n = 0;

	out[n++] = '"';
	for (; *s && n + 3 < size; s++) {
		if (*s == '"' || *s == '\\')
			out[n++] = '\\';
		out[n++] = *s;
	}
	out[n++] = '"';
	out[n] = '\0';
	return n;
}

/* The agreement written out as a file, parsed again */
static void rewrite(const struct store_partner *p,
		    const struct store_partner_file *f, const char *fname)
{
	static char text[TEXT_MAX], path[2 * STORE_KEY_PATH_MAX + 3];
	char secret[2 * STORE_PARTNER_SECRET_MAX + 3];
	char hp[STORE_URI_MAX + 1];
	struct mcx_diag d = { "" };
	int n, err;

	/* http://HOSTPORT/idms/token */
	(void)snprintf(hp, sizeof(hp), "%.*s",
		       (int)(strlen(p->idms_token_url) - 18),
		       p->idms_token_url + 7);
	(void)quoted(path, sizeof(path), f->idms_key);
	(void)quoted(secret, sizeof(secret), p->secret);
	n = snprintf(text, sizeof(text), "domain %s\nsip %s\nhttp %s\n"
		     "idms_key %s\n%s%s\n", p->domain, p->sip_addr + 4, hp,
		     path, p->secret[0] ? "secret " : "",
		     p->secret[0] ? secret : "");
	FUZZ_CHECK(n > 0 && (size_t)n < sizeof(text));

	err = store_partner_parse(&p2, &f2, fname, text, (size_t)n, &d);
	if (err)
		fprintf(stderr, "rewrite: %s\n%s", d.reason, text);
	FUZZ_CHECK(!err);
	FUZZ_CHECK(!strcmp(p->domain, p2.domain));
	FUZZ_CHECK(!strcmp(p->sip_addr, p2.sip_addr));
	FUZZ_CHECK(!strcmp(p->idms_token_url, p2.idms_token_url));
	FUZZ_CHECK(!strcmp(p->cms_root, p2.cms_root));
	FUZZ_CHECK(!strcmp(p->secret, p2.secret));
	FUZZ_CHECK(!strcmp(f->idms_key, f2.idms_key));
	FUZZ_CHECK(f2.domain_line == 1 && f2.idms_key_line == 4);
}

/* The reason starts with the file name and a colon, as far as it goes
 * (MCX_DIAG_MAX) */
static void check_fail(int err, const struct mcx_diag *d, const char *fname)
{
	size_t n = strlen(fname), r = strlen(d->reason);

	FUZZ_CHECK(err == EBADMSG || err == EMSGSIZE);
	FUZZ_CHECK(r == MCX_DIAG_MAX - 1 || r > n);
	FUZZ_CHECK(!strncmp(d->reason, fname, n < r ? n : r));
	FUZZ_CHECK(n >= r || d->reason[n] == ':');
	check_zero(&p1, &f1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char fname[NAME_MAX_];
	struct mcx_diag d = { "junk" };
	int err;

	name_guess(fname, sizeof(fname), data, size);

	memset(&p1, 0xa5, sizeof(p1));
	memset(&f1, 0xa5, sizeof(f1));
	err = store_partner_parse(&p1, &f1, fname, (const char *)data, size,
				  &d);
	if (!err) {
		FUZZ_CHECK(d.reason[0] == '\0');
		check_ok(&p1, &f1, fname);
		rewrite(&p1, &f1, fname);
	}
	else {
		check_fail(err, &d, fname);
	}

	/* no domain is "-": this name never matches */
	memset(&p1, 0xa5, sizeof(p1));
	err = store_partner_parse(&p1, &f1, "partners/-.conf",
				  (const char *)data, size, &d);
	check_fail(err, &d, "partners/-.conf");

	return 0;
}
