/**
 * @file partnerconf.c  A partner agreement file: text to struct
 *
 * One file per partner MC system, partners/DOMAIN.conf, in the syntax of
 * the configuration engine (mcx/conf.h); its options and what is stored
 * are in mcx/store.h. The agreement is the one of TS 23.280 10.1.4 (the
 * partner's MC system, its SIP core and its IdMS and CMS) with the trust
 * anchor of TS 33.180 5.1.4 (the key the partner's IdMS signs with,
 * provisioned out of band: named here, read by store_import()).
 *
 * Two layers, as for users.conf: the engine does the syntax, unknown
 * options ("did you mean"), options set twice, the domain's and the
 * path's type; this file checks what the engine has no type for (an
 * IP:PORT, the secret's octets, the domain against the file name) and
 * builds the URLs. Its reasons have the engine's form,
 * "FNAME:LINE: option 'x': what", the line found again in the text (the
 * engine has accepted it, so each option is on one line that starts with
 * its name). The secret is never quoted in a reason.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <openssl/crypto.h>
#include <re.h>
#include <mcx/conf.h>
#include <mcx/diag.h>
#include <mcx/store.h>
#include "store.h"

_Static_assert((int)STORE_KEY_PATH_MAX <= (int)CONF_VALUE_MAX,
	       "idms_key is bounded by the engine's value length");
_Static_assert(STORE_PARTNER_SECRET_MAX <= STORE_SECRET_MAX,
	       "a partner file's secret fits the store's");

enum {
	QUOTE_MAX = 60,		/**< Octets of a value quoted in a reason */
	HOST_MAX  = 64,		/**< An IP literal as written, octets      */
	HOSTPORT_MAX = 64,	/**< "[IPv6]:PORT" as stored, octets       */
};

#define CONF_SUFFIX ".conf"

/* The text, to find an option's line in */
struct conf_src {
	const char *buf;
	size_t len;
};

/* The options of a partner file, as the engine fills them */
struct pconf {
	char *domain;
	char *sip;
	char *http;
	char *idms_key;
	char *secret;
};

static const struct conf_opt partner_opts[] = {
	{ .name = "domain", .type = CONF_DOMAIN, .required = true,
	  .doc = "The partner MC system's domain: the file's name without "
		 ".conf",
	  .off = offsetof(struct pconf, domain) },
	{ .name = "sip", .type = CONF_STR, .required = true,
	  .doc = "Its SIP core: IPv4:PORT or [IPv6]:PORT",
	  .off = offsetof(struct pconf, sip) },
	{ .name = "http", .type = CONF_STR, .required = true,
	  .doc = "Its IdMS and CMS (HTTP): IPv4:PORT or [IPv6]:PORT",
	  .off = offsetof(struct pconf, http) },
	{ .name = "idms_key", .type = CONF_PATH, .required = true,
	  .min = 1, .max = STORE_KEY_PATH_MAX,
	  .doc = "PEM file with its IdMS's public key (TS 33.180 5.1.4)",
	  .off = offsetof(struct pconf, idms_key) },
	{ .name = "secret", .type = CONF_STR,
	  .doc = "Shared secret for server-to-server SIP digest: 16..128\n"
		 "printable ASCII octets, no blanks (optional)",
	  .off = offsetof(struct pconf, secret) },
};

static const struct conf_table partner_tbl = {
	partner_opts, ARRAY_SIZE(partner_opts)
};


static bool blank(char c)
{
	return c == ' ' || c == '\t';
}


/* The line an accepted text sets an option on (0 if it does not) */
static unsigned line_of(const char *buf, size_t len, const char *name)
{
	const char *p = buf, *e = buf + len;
	size_t nlen = strlen(name);
	unsigned line = 0;

	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;

	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e;

		++line;
		while (p < le && blank(*p))
			++p;
		if ((size_t)(le - p) > nlen && !memcmp(p, name, nlen) &&
		    blank(p[nlen]))
			return line;
		p = nl ? nl + 1 : e;
	}

	return 0;
}


/* Set "FNAME:LINE: option 'NAME': what" */
__attribute__((format(printf, 6, 7)))
static int opt_fail(struct mcx_diag *diag, int err, const char *fname,
		    const struct conf_src *src, const char *name,
		    const char *fmt, ...)
{
	char what[MCX_DIAG_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);

	return mcx_diag_set(diag, err, "%s:%u: option '%s': %s", fname,
			    line_of(src->buf, src->len, name), name, what);
}


/* Port: 1..5 decimal digits, 1..65535 */
static bool port_ok(const char *s)
{
	unsigned v = 0;
	size_t n = 0;

	for (; *s; s++, n++) {
		if (*s < '0' || *s > '9' || n >= 5)
			return false;
		v = v * 10 + (unsigned)(*s - '0');
	}

	return n && v >= 1 && v <= 65535;
}


/*
 * IPv4:PORT or [IPv6]:PORT into out as "IP:PORT" with the address as
 * inet_ntop() writes it (brackets for IPv6)
 *
 * @return 0, EBADMSG (not such an address) or ERANGE (a bad port)
 */
static int hostport_parse(char *out, size_t size, const char *s)
{
	char host[HOST_MAX], txt[INET6_ADDRSTRLEN];
	unsigned char a[16];
	const char *h = s, *he, *port;
	bool v6 = false;
	size_t n;

	if (*s == '[') {
		h = s + 1;
		he = strchr(h, ']');
		if (!he || he[1] != ':')
			return EBADMSG;
		port = he + 2;
		v6 = true;
	}
	else {
		he = strchr(s, ':');
		if (!he || strchr(he + 1, ':'))
			return EBADMSG;	/* no port, or IPv6 without [] */
		port = he + 1;
	}

	n = (size_t)(he - h);
	if (!n || n >= sizeof(host))
		return EBADMSG;
	memcpy(host, h, n);
	host[n] = '\0';

	if (inet_pton(v6 ? AF_INET6 : AF_INET, host, a) != 1 ||
	    !inet_ntop(v6 ? AF_INET6 : AF_INET, a, txt, sizeof(txt)))
		return EBADMSG;
	if (!port_ok(port))
		return ERANGE;

	n = (size_t)re_snprintf(out, size, v6 ? "[%s]:%s" : "%s:%s", txt,
				port);
	return n < size ? 0 : EBADMSG;
}


/* An address option's value into out (reasons as hostport_parse()) */
static int addr_get(char *out, size_t size, const char *val,
		    const char *fname, const struct conf_src *src,
		    const char *name, struct mcx_diag *diag)
{
	size_t n = strlen(val);
	int q = n > QUOTE_MAX ? QUOTE_MAX : (int)n;
	const char *more = n > QUOTE_MAX ? "..." : "";
	int err = hostport_parse(out, size, val);

	if (err == ERANGE)
		return opt_fail(diag, EBADMSG, fname, src, name, "bad port "
				"in '%.*s%s' (expected 1..65535)", q, val,
				more);
	if (err)
		return opt_fail(diag, EBADMSG, fname, src, name, "'%.*s%s' "
				"is not IPv4:PORT or [IPv6]:PORT", q, val,
				more);
	return 0;
}


/* The secret's octets; it is not quoted */
static int secret_check(const char *s, const char *fname,
			const struct conf_src *src, struct mcx_diag *diag)
{
	size_t n = strlen(s);

	if (n < STORE_PARTNER_SECRET_MIN || n > STORE_PARTNER_SECRET_MAX)
		return opt_fail(diag, EBADMSG, fname, src, "secret", "%zu "
				"octets (expected %d..%d)", n,
				STORE_PARTNER_SECRET_MIN,
				STORE_PARTNER_SECRET_MAX);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f)
			return opt_fail(diag, EBADMSG, fname, src, "secret",
					"octet %zu is not printable ASCII "
					"(blanks neither)", i + 1);
	}

	return 0;
}


/* The domain the file's name gives: its base name without ".conf" */
static bool name_matches(const char *fname, const char *domain)
{
	const char *base = strrchr(fname, '/');
	size_t n, sl = strlen(CONF_SUFFIX);

	base = base ? base + 1 : fname;
	n = strlen(base);
	if (n > sl && !strcmp(base + n - sl, CONF_SUFFIX))
		n -= sl;

	return strlen(domain) == n && !strncasecmp(base, domain, n);
}


static int fill(struct store_partner *out, struct store_partner_file *pf,
		const struct pconf *c, const char *fname,
		const struct conf_src *src, struct mcx_diag *diag)
{
	char hp[HOSTPORT_MAX];
	const char *base;
	int err;

	if (!name_matches(fname, c->domain)) {
		base = strrchr(fname, '/');
		return opt_fail(diag, EBADMSG, fname, src, "domain", "'%.60s' "
				"is not the file's name '%.60s' without "
				CONF_SUFFIX, c->domain, base ? base + 1 :
				fname);
	}
	(void)str_ncpy(out->domain, c->domain, sizeof(out->domain));

	err = addr_get(hp, sizeof(hp), c->sip, fname, src, "sip", diag);
	if (err)
		return err;
	(void)re_snprintf(out->sip_addr, sizeof(out->sip_addr), "sip:%s",
			  hp);

	err = addr_get(hp, sizeof(hp), c->http, fname, src, "http", diag);
	if (err)
		return err;
	(void)re_snprintf(out->idms_token_url, sizeof(out->idms_token_url),
			  "http://%s/idms/token", hp);
	(void)re_snprintf(out->cms_root, sizeof(out->cms_root),
			  "http://%s/xcap-root", hp);

	if (c->secret) {
		err = secret_check(c->secret, fname, src, diag);
		if (err)
			return err;
		(void)str_ncpy(out->secret, c->secret, sizeof(out->secret));
	}

	(void)str_ncpy(pf->idms_key, c->idms_key, sizeof(pf->idms_key));
	pf->idms_key_line = line_of(src->buf, src->len, "idms_key");
	pf->domain_line = line_of(src->buf, src->len, "domain");

	return 0;
}


/**
 * Parse a partner agreement file (format in mcx/store.h): no I/O, no
 * store. Everything but the IdMS key is checked and filled in; the key is
 * left "" and the file it is in returned in pf, for the caller to read
 * (store_import() does).
 *
 * @param out    The agreement, idms_pubkey ""; zeroed on failure
 * @param pf     The idms_key path as written, its line and the domain's;
 *               zeroed on failure
 * @param fname  File name for reasons; its base name without ".conf" is
 *               the domain the file must give, e.g.
 *               "partners/b.mcx.test.conf"
 * @param buf    The text; need not be NUL-terminated
 * @param len    Its length, at most CONF_FILE_MAX
 * @param diag   Reason on failure, "FNAME:LINE: option 'x': what", or
 *               "FNAME: option 'x': required, not set" (may be NULL)
 *
 * @return 0; EBADMSG (a refused text or value), EMSGSIZE (over
 *         CONF_FILE_MAX), ENOMEM or EINVAL (arguments)
 */
int store_partner_parse(struct store_partner *out,
			struct store_partner_file *pf, const char *fname,
			const char *buf, size_t len, struct mcx_diag *diag)
{
	const struct conf_src src = { buf, len };
	struct pconf c = { NULL, NULL, NULL, NULL, NULL };
	struct mcx_diag why = { "" };
	int err;

	if (!out || !pf || !fname || (!buf && len))
		return EINVAL;

	mcx_diag_clear(diag);
	memset(out, 0, sizeof(*out));
	memset(pf, 0, sizeof(*pf));

	err = conf_defaults(&c, &partner_tbl, diag);
	if (!err)
		err = conf_load_buf(&c, &partner_tbl, fname, buf, len, diag);
	if (err)
		goto out;

	err = conf_check(&c, &partner_tbl, &why);
	if (err) {
		err = mcx_diag_set(diag, err, "%s: %s", fname, why.reason);
		goto out;
	}

	err = fill(out, pf, &c, fname, &src, diag);

 out:
	if (c.secret)
		OPENSSL_cleanse(c.secret, strlen(c.secret));
	conf_reset(&c, &partner_tbl);
	if (err) {
		OPENSSL_cleanse(out, sizeof(*out));
		memset(pf, 0, sizeof(*pf));
	}

	return err;
}
