/**
 * @file mcsip.c  MC services over libre's SIP: identifiers, headers,
 *                digest authentication, bodies
 *
 * Digest nonces (RFC 7616 3.3 leaves their form to the server):
 *
 *   nonce = 16 hex digits of the issue time (UNIX seconds)
 *           + 32 hex digits of HMAC-SHA-256(secret, time || realm)
 *
 * so a nonce needs no state to check: its MAC proves we issued it, its
 * time how old it is. An old one is "stale": the client is challenged
 * again with stale=true and answers without asking the user.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/mcsip.h>
#include <mcx/multipart.h>

enum {
	NONCE_TIME_HEX = 16,
	NONCE_MAC_LEN = 16,
	NONCE_LEN = NONCE_TIME_HEX + 2 * NONCE_MAC_LEN,
	CLOCK_SKEW = 5,
};


/**
 * Format a Warning header value as TS 24.379 4.4.1 has it:
 * 399 host "NNN text" (the text cleaned for a quoted-string)
 *
 * @return 0, or ENOSPC if it did not fit in sz
 */
int mcsip_warning(char *buf, size_t sz, const char *host, unsigned code,
		  const char *text)
{
	char clean[160];
	size_t i;
	int n;

	/* the warn-text is a quoted-string: no quotes, no control chars */
	for (i = 0; text && text[i] && i < sizeof(clean) - 1; i++) {
		unsigned char c = (unsigned char)text[i];

		clean[i] = (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) ?
			' ' : (char)c;
	}
	clean[i] = '\0';

	n = snprintf(buf, sz, "399 %s \"%03u %s\"", host ? host : "-",
		     code % 1000, clean);

	return (n < 0 || (size_t)n >= sz) ? ENOSPC : 0;
}


static bool icsi_in(const struct sip_hdr *hdr, const struct sip_msg *msg,
		    void *arg)
{
	const char *enc = arg;
	size_t n = strlen(enc);
	(void)msg;

	for (size_t i = 0; i + n <= hdr->val.l; i++) {
		if (!strncasecmp(hdr->val.p + i, enc, n))
			return true;
	}

	return false;
}


/**
 * Is the request for a given MC service: its ICSI in P-Preferred-Service,
 * P-Asserted-Service or (percent-encoded) in an Accept-Contact?
 */
bool mcsip_is_service(const struct sip_msg *msg, const char *icsi)
{
	const struct sip_hdr *h;
	char enc[128];
	size_t j = 0;

	if (!msg || !icsi)
		return false;

	h = sip_msg_xhdr(msg, "P-Preferred-Service");
	if (h && !pl_strcasecmp(&h->val, icsi))
		return true;
	h = sip_msg_xhdr(msg, "P-Asserted-Service");
	if (h && !pl_strcasecmp(&h->val, icsi))
		return true;

	for (size_t i = 0; icsi[i] && j + 4 < sizeof(enc); i++) {
		if (icsi[i] == ':') {
			memcpy(enc + j, "%3A", 3);
			j += 3;
		}
		else {
			enc[j++] = icsi[i];
		}
	}
	enc[j] = '\0';

	return NULL != sip_msg_hdr_apply(msg, true, SIP_HDR_ACCEPT_CONTACT,
					 icsi_in, enc);
}


/**
 * A message's body as a multipart: its parts when it is multipart/mixed,
 * one part when it is a single body, none when it has no body
 *
 * @param mpp     Where the body goes
 * @param msg     SIP message
 * @param maxsize Largest body accepted (EMSGSIZE beyond)
 * @param diag    Reason on failure (fit for a Warning)
 *
 * @return 0, EBADMSG, ENODATA, EMSGSIZE or ENOMEM
 */
int mcsip_body(struct multipart **mpp, const struct sip_msg *msg,
	       size_t maxsize, struct mcx_diag *diag)
{
	const struct sip_hdr *ct;
	struct multipart *mp;
	const uint8_t *buf;
	size_t len;
	int err;

	if (!mpp || !msg)
		return EINVAL;

	buf = mbuf_buf(msg->mb);
	len = mbuf_get_left(msg->mb);
	if (len > maxsize)
		return mcx_diag_set(diag, EMSGSIZE, "body of %zu octets, more "
				    "than %zu", len, maxsize);

	ct = sip_msg_hdr(msg, SIP_HDR_CONTENT_TYPE);
	if (len && !ct)
		return mcx_diag_set(diag, EBADMSG, "body without "
				    "Content-Type");

	if (ct && !pl_strcasecmp(&msg->ctyp.type, "multipart"))
		return multipart_decode(mpp, &ct->val, buf, len, diag);

	err = multipart_alloc(&mp);
	if (err)
		return err;

	if (len) {
		char *ctype = NULL;

		err = pl_strdup(&ctype, &ct->val);
		if (!err)
			err = multipart_add(mp, ctype, NULL, buf, len);
		mem_deref(ctype);
		if (err == EINVAL)
			err = mcx_diag_set(diag, EBADMSG, "bad Content-Type");
		if (err) {
			mem_deref(mp);
			return err;
		}
	}

	*mpp = mp;
	return 0;
}


/**
 * A parameter of a header (the first of its kind), e.g. the "text" of a
 * Reason header; quotes removed
 *
 * @return 0, ENOENT (no header or no parameter)
 */
int mcsip_hdr_param(const struct sip_msg *msg, enum sip_hdrid id,
		    const char *name, struct pl *val)
{
	const struct sip_hdr *h = sip_msg_hdr(msg, id);
	struct pl v;

	if (!name || !val)
		return EINVAL;
	if (!h)
		return ENOENT;

	if (msg_param_decode(&h->val, name, &v))
		return ENOENT;

	if (v.l >= 2 && v.p[0] == '"' && v.p[v.l - 1] == '"') {
		++v.p;
		v.l -= 2;
	}
	*val = v;

	return 0;
}


/* ---- digest authentication ---- */

/**
 * Set up a server's digest state
 *
 * @param a          State
 * @param realm      Realm (the domain)
 * @param secret     Key of the nonce MACs (keep it secret)
 * @param secret_len Its length, at least 16
 *
 * @return 0 or EINVAL
 */
int mcsip_auth_init(struct mcsip_auth *a, const char *realm,
		    const uint8_t *secret, size_t secret_len)
{
	if (!a || !realm || !*realm || strlen(realm) >= sizeof(a->realm) ||
	    !secret || secret_len < 16)
		return EINVAL;

	memset(a, 0, sizeof(*a));
	str_ncpy(a->realm, realm, sizeof(a->realm));
	memcpy(a->secret, secret, secret_len < sizeof(a->secret) ?
	       secret_len : sizeof(a->secret));
	a->lifetime = MCSIP_NONCE_LIFETIME;

	return 0;
}


static int nonce_mac(const struct mcsip_auth *a, uint64_t t,
		     uint8_t mac[NONCE_MAC_LEN])
{
	uint8_t data[8 + sizeof(a->realm)], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t rlen = strlen(a->realm);

	for (int i = 0; i < 8; i++)
		data[i] = (uint8_t)(t >> (56 - 8 * i));
	memcpy(data + 8, a->realm, rlen);

	if (!HMAC(EVP_sha256(), a->secret, sizeof(a->secret), data, 8 + rlen,
		  md, &mdlen) || mdlen < NONCE_MAC_LEN)
		return ENOMEM;

	memcpy(mac, md, NONCE_MAC_LEN);
	return 0;
}


/**
 * Format a digest challenge: the value of WWW-Authenticate (401,
 * REGISTER) or Proxy-Authenticate (407, other requests)
 *
 * @param buf   Where it goes
 * @param sz    Its size (200 is plenty)
 * @param a     Server state
 * @param now   Current UNIX time
 * @param stale The client's nonce was only too old (RFC 7616 3.3)
 */
int mcsip_auth_challenge(char *buf, size_t sz, const struct mcsip_auth *a,
			 uint64_t now, bool stale)
{
	uint8_t mac[NONCE_MAC_LEN];
	char hex[2 * NONCE_MAC_LEN + 1];
	int err, n;

	if (!buf || !a)
		return EINVAL;

	err = nonce_mac(a, now, mac);
	if (err)
		return err;

	for (size_t i = 0; i < sizeof(mac); i++)
		(void)snprintf(hex + 2 * i, 3, "%02x", mac[i]);

	n = snprintf(buf, sz, "Digest realm=\"%s\", nonce=\"%016llx%s\", "
		     "qop=\"auth\", algorithm=MD5%s", a->realm,
		     (unsigned long long)now, hex,
		     stale ? ", stale=true" : "");

	return (n < 0 || (size_t)n >= sz) ? ENOSPC : 0;
}


struct find {
	const struct mcsip_auth *a;
	struct httpauth_digest_resp resp;
	bool bad;
};


static bool realm_match(const struct sip_hdr *hdr, const struct sip_msg *msg,
			void *arg)
{
	struct find *f = arg;
	(void)msg;

	if (httpauth_digest_response_decode(&f->resp, &hdr->val)) {
		f->bad = true;
		return false;
	}

	return 0 == pl_strcmp(&f->resp.realm, f->a->realm);
}


/* a lower-case hex digit's value, or -1 (our nonces are lower case) */
static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}


static int nonce_check(const struct mcsip_auth *a, const struct pl *nonce,
		       uint64_t now)
{
	uint8_t mac[NONCE_MAC_LEN], got[NONCE_MAC_LEN];
	uint32_t lifetime = a->lifetime ? a->lifetime : MCSIP_NONCE_LIFETIME;
	uint64_t t = 0;

	if (nonce->l != NONCE_LEN)
		return EACCES;

	for (size_t i = 0; i < NONCE_TIME_HEX; i++) {
		if (hexval(nonce->p[i]) < 0)
			return EACCES;
	}
	{
		struct pl tp = { nonce->p, NONCE_TIME_HEX };

		t = pl_x64(&tp);
	}
	for (size_t i = 0; i < sizeof(got); i++) {
		int hi = hexval(nonce->p[NONCE_TIME_HEX + 2 * i]);
		int lo = hexval(nonce->p[NONCE_TIME_HEX + 2 * i + 1]);

		if (hi < 0 || lo < 0)
			return EACCES;
		got[i] = (uint8_t)(hi << 4 | lo);
	}
	if (nonce_mac(a, t, mac) || CRYPTO_memcmp(mac, got, sizeof(mac)))
		return EACCES;

	if (t > now + CLOCK_SKEW)
		return EACCES;
	if (now - t > lifetime)
		return ETIMEDOUT;

	return 0;
}


/**
 * Check a request's digest credentials for our realm
 *
 * @param a        Server state
 * @param msg      The request
 * @param proxy    Look in Proxy-Authorization (else Authorization)
 * @param now      Current UNIX time
 * @param ha1h     Looks up a user's HA1
 * @param arg      Its argument
 * @param username The authenticated user name (IMPI), a slice of msg
 * @param diag     Why not, fit for a Warning or a log
 *
 * @return 0 (authenticated), ENOENT (no credentials for our realm:
 *         challenge), ETIMEDOUT (our nonce, too old: challenge with
 *         stale=true), EACCES (wrong credentials, unknown user, a nonce
 *         we did not issue), EBADMSG (unreadable header)
 */
int mcsip_auth_check(const struct mcsip_auth *a, const struct sip_msg *msg,
		     bool proxy, uint64_t now, mcsip_ha1_h *ha1h, void *arg,
		     struct pl *username, struct mcx_diag *diag)
{
	struct find f;
	uint8_t ha1[16];
	int err;

	if (!a || !msg || !ha1h)
		return EINVAL;

	memset(&f, 0, sizeof(f));
	f.a = a;
	if (!sip_msg_hdr_apply(msg, true, proxy ?
			       SIP_HDR_PROXY_AUTHORIZATION :
			       SIP_HDR_AUTHORIZATION, realm_match, &f)) {
		if (f.bad)
			return mcx_diag_set(diag, EBADMSG, "bad %s header",
					    proxy ? "Proxy-Authorization" :
					    "Authorization");
		return ENOENT;
	}

	if (pl_isset(&f.resp.qop) && pl_strcasecmp(&f.resp.qop, "auth"))
		return mcx_diag_set(diag, EACCES, "digest qop not 'auth'");

	err = nonce_check(a, &f.resp.nonce, now);
	if (err == ETIMEDOUT)
		return mcx_diag_set(diag, ETIMEDOUT, "digest nonce stale");
	if (err)
		return mcx_diag_set(diag, EACCES, "digest nonce not ours");

	err = ha1h(&f.resp.username, ha1, arg);
	if (err == ENOENT)
		return mcx_diag_set(diag, EACCES, "unknown user");
	if (err)
		return err;

	err = httpauth_digest_response_auth(&f.resp, &msg->met, ha1);
	if (err)
		return mcx_diag_set(diag, EACCES, "wrong credentials");

	if (username)
		*username = f.resp.username;

	return 0;
}
