/**
 * @file test_token.c  Access tokens: JWT, JWS compact, ES256 (mcx/token.h)
 *
 * Vectors in tests/data/token/:
 *
 *   rfc7515-a3.jwt       RFC 7515 Appendix A.3, the ES256 example JWS
 *                        (signed by its authors, not by us)
 *   rfc7515-a3-key.pem   The A.3 key (RFC 7515 A.3.1 JWK: x, y, d) as a
 *                        SEC 1 "EC PRIVATE KEY": its DER was put together
 *                        by hand from the JWK members and converted with
 *                        `openssl ec -inform DER -check`
 *   rfc7515-a3-pub.pem   Its public part: `openssl pkey -pubout`
 *
 *   mcptt-a3.jwt         token_sign() with the A.3 key, once: a
 *                        regression vector for what we write
 *   aud-array-a3.jwt     Signed with OpenSSL directly with the A.3 key:
 *                        "aud" array, "typ" at+jwt, no kid, escapes,
 *                        a fractional exp, claims we do not know
 *   no-exp-a3.jwt        Signed the same way, with our kid, no "exp"
 *   alg-none.jwt         {"alg":"none"}, empty signature
 *   hs256.jwt            {"alg":"HS256"}, 32 octets of signature
 *
 * `openssl dgst -sha256 -verify rfc7515-a3-pub.pem` accepts the A.3,
 * mcptt-a3, aud-array-a3 and no-exp-a3 signatures (converted from
 * R || S to DER by hand), so vectors and key agree without our code. The
 * .jwt files are also the fuzz seeds (scripts/fuzz-seed).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/token.h>
#include "token/tok.h"
#include "testutil.h"

/*
 * RFC 7638 thumbprint of the A.3 key, computed without our code from
 * OpenSSL's command line output:
 *
 *   openssl pkey -pubin -in rfc7515-a3-pub.pem -outform DER | tail -c 64
 *     -> X (32 octets) || Y (32 octets), base64url'd with basenc
 *   printf '{"crv":"P-256","kty":"EC","x":"%s","y":"%s"}' $X $Y |
 *     openssl dgst -sha256 -binary | basenc --base64url | tr -d =
 *
 * X and Y came out as the x and y of the RFC 7515 A.3.1 JWK.
 */
#define A3_X   "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
#define A3_Y   "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
#define A3_KID "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U"
#define A3_EXP 1300819380

#define NOW INT64_C(1735689600)		/* 2025-01-01T00:00:00Z */

static struct token_key *load_key(const char *relpath)
{
	struct token_key *k = NULL;
	struct mcx_diag d = { "" };
	uint8_t *pem;
	size_t len;
	int err;

	pem = tu_load(relpath, &len);
	err = token_key_load_pem(&k, (const char *)pem, len, &d);
	if (err)
		fail_msg("%s: %d %s", relpath, err, d.reason);
	mem_deref(pem);

	return k;
}

/* base64url(a) "." base64url(b) [ "." base64url(sig) ]: a mem string */
static char *tok_make(const char *hdr, const char *payload,
		      const uint8_t *sig, size_t siglen)
{
	struct mbuf *mb = mbuf_alloc(256);
	char *s;

	assert_int_equal(0, b64url_encode_mb(mb, (const uint8_t *)hdr,
					     strlen(hdr)));
	assert_int_equal(0, mbuf_write_u8(mb, '.'));
	assert_int_equal(0, b64url_encode_mb(mb, (const uint8_t *)payload,
					     strlen(payload)));
	if (sig) {
		assert_int_equal(0, mbuf_write_u8(mb, '.'));
		assert_int_equal(0, b64url_encode_mb(mb, sig, siglen));
	}
	s = tu_str(mb);
	mem_deref(mb);

	return s;
}

/*
 * Sign any header and payload with OpenSSL directly, not with
 * token_sign(): tokens our signer would never write (no "exp", "aud"
 * arrays, foreign headers), and a second opinion on the R || S form.
 */
static char *tok_signed(const struct token_key *k, const char *hdr,
			const char *payload)
{
	unsigned char der[80];
	const unsigned char *p = der;
	size_t derlen = sizeof(der);
	const BIGNUM *r, *s;
	uint8_t sig[64];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	ECDSA_SIG *es;
	char *unsig, *tok;
	struct mbuf *mb;

	unsig = tok_make(hdr, payload, NULL, 0);
	assert_non_null(md);
	assert_int_equal(1, EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL,
					       k->pkey));
	assert_int_equal(1, EVP_DigestSign(md, der, &derlen,
					   (const uint8_t *)unsig,
					   strlen(unsig)));
	es = d2i_ECDSA_SIG(NULL, &p, (long)derlen);
	assert_non_null(es);
	ECDSA_SIG_get0(es, &r, &s);
	assert_int_equal(32, BN_bn2binpad(r, sig, 32));
	assert_int_equal(32, BN_bn2binpad(s, sig + 32, 32));

	mb = mbuf_alloc(256);
	assert_int_equal(0, mbuf_printf(mb, "%s.", unsig));
	assert_int_equal(0, b64url_encode_mb(mb, sig, sizeof(sig)));
	tok = tu_str(mb);

	mem_deref(mb);
	mem_deref(unsig);
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);

	return tok;
}

static void claims_full(struct token_claims *c)
{
	memset(c, 0, sizeof(*c));
	str_ncpy(c->iss, "https://idms.a.mcx.test", sizeof(c->iss));
	str_ncpy(c->sub, "alice", sizeof(c->sub));
	str_ncpy(c->aud, "mcptt.a.mcx.test", sizeof(c->aud));
	str_ncpy(c->scope, "openid 3gpp:mc:ptt_service "
		 "3gpp:mc:ptt_config_management_service", sizeof(c->scope));
	str_ncpy(c->mcptt_id, "sip:alice@a.mcx.test", sizeof(c->mcptt_id));
	str_ncpy(c->mcvideo_id, "sip:alice-v@a.mcx.test",
		 sizeof(c->mcvideo_id));
	str_ncpy(c->mcdata_id, "sip:alice-d@a.mcx.test",
		 sizeof(c->mcdata_id));
	str_ncpy(c->client_id, "mcx-client", sizeof(c->client_id));
	str_ncpy(c->jti, "t-0001", sizeof(c->jti));
	c->iat = NOW;
	c->nbf = NOW;
	c->exp = NOW + 3600;
}

/* Split a token into its three parts (in place: dots become NULs) */
static void split(char *tok, char **h, char **p, char **s)
{
	*h = tok;
	*p = strchr(tok, '.');
	assert_non_null(*p);
	*(*p)++ = '\0';
	*s = strchr(*p, '.');
	assert_non_null(*s);
	*(*s)++ = '\0';
}

static char *b64_part(const char *part, size_t *lenp)
{
	size_t n = strlen(part);
	uint8_t *raw = mem_zalloc(n + 1, NULL);

	*lenp = n;
	assert_int_equal(0, b64url_decode(raw, lenp, part, n));
	raw[*lenp] = 0;

	return (char *)raw;
}

static void expect(int exp_err, const char *why, int err,
		   const struct mcx_diag *d, const char *what)
{
	if (err != exp_err || !strstr(d->reason, why))
		fail_msg("%s: %d '%s', expected %d '%s'", what, err,
			 d->reason, exp_err, why);
}


/* ---- base64url ---- */

static void b64url_vectors(void **state)
{
	/* RFC 4648 10, without the padding; the last two use the two
	 * characters where base64url differs from base64 ("+/8=") */
	static const struct { const char *in; size_t n; const char *out; }
	v[] = {
		{ "", 0, "" },
		{ "f", 1, "Zg" },
		{ "fo", 2, "Zm8" },
		{ "foo", 3, "Zm9v" },
		{ "foob", 4, "Zm9vYg" },
		{ "fooba", 5, "Zm9vYmE" },
		{ "foobar", 6, "Zm9vYmFy" },
		{ "\xfb\xff", 2, "-_8" },
		{ "\x00\xff\xfe\x3e", 4, "AP_-Pg" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		char enc[16];
		uint8_t dec[16];
		size_t n = sizeof(dec);
		size_t len = b64url_encode(enc, (const uint8_t *)v[i].in,
					   v[i].n);

		assert_int_equal(len, strlen(v[i].out));
		assert_int_equal(len, B64URL_LEN(v[i].n));
		assert_memory_equal(enc, v[i].out, len);
		assert_int_equal(0, b64url_decode(dec, &n, v[i].out, len));
		tu_assert_bytes(dec, n, (const uint8_t *)v[i].in, v[i].n);
	}
}

static void b64url_refusals(void **state)
{
	static const struct { const char *in; int err; } bad[] = {
		{ "Zg==", EBADMSG },	/* padding */
		{ "Zm8=", EBADMSG },
		{ "Z", EBADMSG },	/* 1 modulo 4 */
		{ "Zm9vY", EBADMSG },
		{ "Zh", EBADMSG },	/* 'h': low bits set */
		{ "Zm9", EBADMSG },	/* '9': low bits set */
		{ "+/8", EBADMSG },	/* base64, not base64url */
		{ "Zm 9v", EBADMSG },	/* white space */
		{ "Zm9v\n", EBADMSG },
		{ "Zm9vYmFyZm9v", EMSGSIZE },	/* 9 octets, room for 8 */
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		uint8_t dec[8];
		size_t n = sizeof(dec);

		if (b64url_decode(dec, &n, bad[i].in, strlen(bad[i].in)) !=
		    bad[i].err)
			fail_msg("'%s' not refused with %d", bad[i].in,
				 bad[i].err);
	}
}


/* ---- keys ---- */

static void rfc7515_key(void **state)
{
	struct token_key *pub, *priv;
	char kid[TOKEN_KID_LEN + 1], jwk[256];

	(void)state;
	pub = load_key("token/rfc7515-a3-pub.pem");
	priv = load_key("token/rfc7515-a3-key.pem");

	assert_false(token_key_has_private(pub));
	assert_true(token_key_has_private(priv));
	assert_int_equal(0, token_key_id(pub, kid));
	assert_string_equal(kid, A3_KID);
	assert_int_equal(0, token_key_id(priv, kid));
	assert_string_equal(kid, A3_KID);
	assert_int_equal(EINVAL, token_key_id(NULL, kid));

	(void)re_snprintf(jwk, sizeof(jwk), "%H", token_key_jwk_print, pub);
	assert_string_equal(jwk, "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
			    A3_X "\",\"y\":\"" A3_Y "\",\"kid\":\"" A3_KID
			    "\",\"use\":\"sig\",\"alg\":\"ES256\"}");

	mem_deref(priv);
	mem_deref(pub);
}

static void rfc7515_a3(void **state)
{
	struct token_claims c;
	struct mcx_diag d = { "" };
	char kid[TOKEN_KID_LEN + 1] = "x";
	struct token_key *pub;
	uint8_t *tok;
	size_t len;

	(void)state;
	pub = load_key("token/rfc7515-a3-pub.pem");
	tok = tu_load("token/rfc7515-a3.jwt", &len);

	/* {"iss":"joe",\r\n "exp":1300819380,\r\n
	 *  "http://example.com/is_root":true}, header {"alg":"ES256"} */
	assert_int_equal(0, token_parse(&c, kid, (const char *)tok, len, &d));
	assert_string_equal(c.iss, "joe");
	assert_int_equal(A3_EXP, c.exp);
	assert_string_equal(kid, "");

	memset(&c, 0xff, sizeof(c));
	assert_int_equal(0, token_verify(&c, pub, (const char *)tok, len,
					 A3_EXP - 60, NULL, &d));
	assert_string_equal(c.iss, "joe");
	assert_string_equal(c.sub, "");
	assert_int_equal(0, c.iat);

	/* exp must be after now - TOKEN_SKEW */
	assert_int_equal(0, token_verify(&c, pub, (const char *)tok, len,
					 A3_EXP + TOKEN_SKEW - 1, NULL, &d));
	expect(EACCES, "token expired",
	       token_verify(&c, pub, (const char *)tok, len,
			    A3_EXP + TOKEN_SKEW, NULL, &d), &d, "expired");
	assert_string_equal(c.iss, "");		/* zeroed on failure */

	expect(EACCES, "token for another audience (aud missing)",
	       token_verify(&c, pub, (const char *)tok, len, A3_EXP - 60,
			    "mcptt.a.mcx.test", &d), &d, "audience");

	mem_deref(tok);
	mem_deref(pub);
}


static void stored_vectors(void **state)
{
	struct token_claims c, exp;
	struct mcx_diag d = { "" };
	struct token_key *pub;
	uint8_t *tok;
	size_t len;

	(void)state;
	pub = load_key("token/rfc7515-a3-pub.pem");

	tok = tu_load("token/mcptt-a3.jwt", &len);
	claims_full(&exp);
	assert_int_equal(0, token_verify(&c, pub, (char *)tok, len, NOW,
					 "mcptt.a.mcx.test", &d));
	assert_memory_equal(&c, &exp, sizeof(c));
	mem_deref(tok);

	tok = tu_load("token/aud-array-a3.jwt", &len);
	assert_int_equal(0, token_verify(&c, pub, (char *)tok, len, NOW,
					 "mcptt.a.mcx.test", &d));
	assert_string_equal(c.iss, "https://idms.b.mcx.test");
	assert_string_equal(c.aud, "mcptt.a.mcx.test");
	assert_string_equal(c.sub, "b\xc3\xb6" "b \"\xf0\x9f\x98\x80\"");
	assert_string_equal(c.mcptt_id, "sip:bob@b.mcx.test");
	assert_int_equal(NOW + 3600, c.exp);
	assert_int_equal(NOW, c.nbf);
	assert_int_equal(0, token_parse(&c, NULL, (char *)tok, len, &d));
	assert_string_equal(c.aud, "kms.b.mcx.test");
	expect(EACCES, "token for another audience (aud kms.b.mcx.test)",
	       token_verify(&c, pub, (char *)tok, len, NOW, "cms.b.mcx.test",
			    &d), &d, "aud-array");
	mem_deref(tok);

	tok = tu_load("token/no-exp-a3.jwt", &len);
	expect(EACCES, "token without expiry",
	       token_verify(&c, pub, (char *)tok, len, NOW, NULL, &d), &d,
	       "no exp");
	assert_int_equal(0, token_parse(&c, NULL, (char *)tok, len, &d));
	assert_string_equal(c.sub, "alice");
	mem_deref(tok);

	tok = tu_load("token/alg-none.jwt", &len);
	expect(EBADMSG, "token: alg 'none' not accepted",
	       token_verify(&c, pub, (char *)tok, len, NOW, NULL, &d), &d,
	       "none");
	mem_deref(tok);

	tok = tu_load("token/hs256.jwt", &len);
	expect(EBADMSG, "token: alg 'HS256' not accepted",
	       token_verify(&c, pub, (char *)tok, len, NOW, NULL, &d), &d,
	       "HS256");
	mem_deref(tok);

	mem_deref(pub);
}


/* ---- signing ---- */

static void round_trip(void **state)
{
	struct token_claims c, p, v;
	struct mbuf *mb = mbuf_alloc(1024);
	struct token_key *k = NULL;
	struct mcx_diag d = { "" };
	char kid[TOKEN_KID_LEN + 1], pkid[TOKEN_KID_LEN + 1];
	char *tok;

	(void)state;
	assert_int_equal(0, token_key_generate(&k));
	assert_true(token_key_has_private(k));
	assert_int_equal(0, token_key_id(k, kid));
	assert_int_equal(TOKEN_KID_LEN, strlen(kid));

	claims_full(&c);
	/* strings that need escaping: quote, backslash, controls, UTF-8 */
	str_ncpy(c.sub, "a\"b\\c\n\t\x01\x1f\x7f/\xc3\xa9\xf0\x9f\x98\x80",
		 sizeof(c.sub));

	assert_int_equal(0, mbuf_write_str(mb, "Bearer "));
	assert_int_equal(0, token_sign(mb, k, &c));
	tok = tu_str(mb);

	assert_int_equal(0, token_parse(&p, pkid, tok + 7, strlen(tok + 7),
					&d));
	assert_memory_equal(&c, &p, sizeof(c));
	assert_string_equal(pkid, kid);

	assert_int_equal(0, token_verify(&v, k, tok + 7, strlen(tok + 7),
					 NOW + 10, "mcptt.a.mcx.test", &d));
	assert_memory_equal(&c, &v, sizeof(c));
	assert_int_equal(0, token_verify(NULL, k, tok + 7, strlen(tok + 7),
					 NOW, NULL, &d));

	mem_deref(tok);
	mem_deref(mb);
	mem_deref(k);
}

/* What we write, octet for octet (the signature differs every time) */
static void encoding(void **state)
{
	struct token_claims c, v;
	struct mbuf *mb = mbuf_alloc(1024);
	struct token_key *k, *pub;
	struct mcx_diag d = { "" };
	char *tok, *h, *p, *s, *hj, *pj;
	uint8_t sig[64];
	size_t n;

	(void)state;
	k = load_key("token/rfc7515-a3-key.pem");
	pub = load_key("token/rfc7515-a3-pub.pem");
	claims_full(&c);
	str_ncpy(c.sub, "al\"ice\\\x01", sizeof(c.sub));
	c.nbf = 0;

	assert_int_equal(0, token_sign(mb, k, &c));
	tok = tu_str(mb);
	assert_int_equal(0, token_verify(&v, pub, tok, strlen(tok), NOW,
					 NULL, &d));
	split(tok, &h, &p, &s);

	hj = b64_part(h, &n);
	assert_string_equal(hj, "{\"alg\":\"ES256\",\"typ\":\"JWT\","
			    "\"kid\":\"" A3_KID "\"}");
	pj = b64_part(p, &n);
	assert_string_equal(pj,
		"{\"iss\":\"https://idms.a.mcx.test\","
		"\"sub\":\"al\\\"ice\\\\\\u0001\","
		"\"aud\":\"mcptt.a.mcx.test\","
		"\"exp\":1735693200,"
		"\"iat\":1735689600,"
		"\"jti\":\"t-0001\","
		"\"client_id\":\"mcx-client\","
		"\"scope\":\"openid 3gpp:mc:ptt_service "
		"3gpp:mc:ptt_config_management_service\","
		"\"mcptt_id\":\"sip:alice@a.mcx.test\","
		"\"mcvideo_id\":\"sip:alice-v@a.mcx.test\","
		"\"mcdata_id\":\"sip:alice-d@a.mcx.test\"}");
	n = sizeof(sig);
	assert_int_equal(0, b64url_decode(sig, &n, s, strlen(s)));
	assert_int_equal(64, n);	/* R || S, not DER */
	assert_int_equal(86, strlen(s));

	mem_deref(pj);
	mem_deref(hj);
	mem_deref(tok);
	mem_deref(pub);
	mem_deref(k);
	mem_deref(mb);
}

static void print(void **state)
{
	struct token_claims c;
	char line[512];

	(void)state;
	memset(&c, 0, sizeof(c));
	str_ncpy(c.iss, "idms", sizeof(c.iss));
	str_ncpy(c.mcptt_id, "sip:alice@a.mcx.test", sizeof(c.mcptt_id));
	c.exp = 5;
	(void)re_snprintf(line, sizeof(line), "%H", token_claims_print, &c);
	assert_string_equal(line, "iss=\"idms\" exp=5 "
			    "mcptt_id=\"sip:alice@a.mcx.test\"");

	/* a claim from a token cannot break the log line */
	str_ncpy(c.sub, "a\"b\\c\r\nd\x7f\xc3\xa9", sizeof(c.sub));
	(void)re_snprintf(line, sizeof(line), "%H", token_claims_print, &c);
	assert_string_equal(line, "iss=\"idms\" sub=\"a\\\"b\\\\c\\u000d"
			    "\\u000ad\\u007f\xc3\xa9\" exp=5 "
			    "mcptt_id=\"sip:alice@a.mcx.test\"");
}

static void sign_refusals(void **state)
{
	struct mbuf *mb = mbuf_alloc(64);
	struct token_key *k = NULL, *pub;
	struct token_claims c;

	(void)state;
	assert_int_equal(0, token_key_generate(&k));
	pub = load_key("token/rfc7515-a3-pub.pem");

	claims_full(&c);
	assert_int_equal(EINVAL, token_sign(mb, pub, &c)); /* cannot sign */
	assert_int_equal(EINVAL, token_sign(NULL, k, &c));
	assert_int_equal(EINVAL, token_sign(mb, k, NULL));

	c.exp = 0;					/* required */
	assert_int_equal(EINVAL, token_sign(mb, k, &c));
	claims_full(&c);
	c.iat = -1;
	assert_int_equal(EINVAL, token_sign(mb, k, &c));
	claims_full(&c);
	c.nbf = TOKEN_DATE_MAX + 1;
	assert_int_equal(EINVAL, token_sign(mb, k, &c));
	claims_full(&c);
	str_ncpy(c.sub, "\xc3\x28", sizeof(c.sub));	/* not UTF-8 */
	assert_int_equal(EINVAL, token_sign(mb, k, &c));
	claims_full(&c);
	memset(c.jti, 'a', sizeof(c.jti));		/* no NUL */
	assert_int_equal(EINVAL, token_sign(mb, k, &c));
	assert_int_equal(0, mb->end);

	/* every string at its longest, all escaped: over TOKEN_MAX */
	claims_full(&c);
	memset(c.scope, 1, sizeof(c.scope) - 1);
	memset(c.sub, 1, sizeof(c.sub) - 1);
	memset(c.iss, 1, sizeof(c.iss) - 1);
	assert_int_equal(0, mbuf_write_str(mb, "kept"));
	assert_int_equal(EMSGSIZE, token_sign(mb, k, &c));
	assert_int_equal(4, mb->end);
	assert_int_equal(4, mb->pos);

	mem_deref(pub);
	mem_deref(k);
	mem_deref(mb);
}


/* ---- verifying ---- */

/* The token with one bit of one part's octets flipped, re-encoded */
static char *flip_part(const char *tok, int part, size_t at)
{
	struct mbuf *mb = mbuf_alloc(1024);
	char *t, *pv[3], *raw, *out;
	size_t n;

	assert_int_equal(0, str_dup(&t, tok));
	split(t, &pv[0], &pv[1], &pv[2]);
	raw = b64_part(pv[part], &n);
	assert_true(at < n);
	raw[at] ^= 0x01;

	for (int i = 0; i < 3; i++) {
		if (i)
			assert_int_equal(0, mbuf_write_u8(mb, '.'));
		if (i == part)
			assert_int_equal(0, b64url_encode_mb(mb,
				(const uint8_t *)raw, n));
		else
			assert_int_equal(0, mbuf_write_str(mb, pv[i]));
	}
	out = tu_str(mb);

	mem_deref(raw);
	mem_deref(t);
	mem_deref(mb);

	return out;
}

static void tampered(void **state)
{
	struct token_key *k = NULL;
	struct mcx_diag d = { "" };
	struct token_claims c;
	struct mbuf *mb = mbuf_alloc(1024);
	char *tok;
	static const struct { int part; size_t at; } flips[] = {
		{ 0, 22 },	/* inside "typ": JWT -> KWT */
		{ 1, 10 },	/* inside "iss" */
		{ 1, 40 },	/* inside "sub" */
		{ 2, 0 },	/* R */
		{ 2, 63 },	/* S */
	};

	(void)state;
	assert_int_equal(0, token_key_generate(&k));
	claims_full(&c);
	assert_int_equal(0, token_sign(mb, k, &c));
	tok = tu_str(mb);
	assert_int_equal(0, token_verify(&c, k, tok, strlen(tok), NOW, NULL,
					 &d));

	for (size_t i = 0; i < ARRAY_SIZE(flips); i++) {
		char *t = flip_part(tok, flips[i].part, flips[i].at);

		/* still well-formed: parse takes it */
		if (token_parse(&c, NULL, t, strlen(t), &d))
			fail_msg("flip %zu: %s", i, d.reason);
		expect(EACCES, "token signature invalid",
		       token_verify(&c, k, t, strlen(t), NOW, NULL, &d), &d,
		       "flipped bit");
		mem_deref(t);
	}

	mem_deref(tok);
	mem_deref(mb);
	mem_deref(k);
}

static void bad_signatures(void **state)
{
	/* P-256 group order n */
	static const uint8_t order[32] = {
		0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
		0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
	};
	static const char *hdr = "{\"alg\":\"ES256\"}";
	static const char *pl = "{\"exp\":1735693200}";
	struct token_key *k;
	struct mcx_diag d = { "" };
	uint8_t sig[64];
	size_t n;
	char *t;

	(void)state;
	k = load_key("token/rfc7515-a3-pub.pem");

	memset(sig, 0, sizeof(sig));			/* R = S = 0 */
	t = tok_make(hdr, pl, sig, sizeof(sig));
	expect(EACCES, "token signature invalid",
	       token_verify(NULL, k, t, strlen(t), NOW, NULL, &d), &d, "0");
	mem_deref(t);

	memcpy(sig, order, 32);				/* R = n */
	memcpy(sig + 32, order, 32);
	t = tok_make(hdr, pl, sig, sizeof(sig));
	expect(EACCES, "token signature invalid",
	       token_verify(NULL, k, t, strlen(t), NOW, NULL, &d), &d, "n");
	mem_deref(t);

	memset(sig, 0xff, sizeof(sig));		/* above n */
	t = tok_make(hdr, pl, sig, sizeof(sig));
	expect(EACCES, "token signature invalid",
	       token_verify(NULL, k, t, strlen(t), NOW, NULL, &d), &d, "ff");
	mem_deref(t);

	/* the A.3 signature, genuine, over another payload */
	{
		uint8_t *a3 = tu_load("token/rfc7515-a3.jwt", &n);
		const char *s = strrchr((char *)a3, '.') + 1;

		n = sizeof(sig);
		assert_int_equal(0, b64url_decode(sig, &n, s, strlen(s)));
		t = tok_make(hdr, pl, sig, sizeof(sig));
		expect(EACCES, "token signature invalid",
		       token_verify(NULL, k, t, strlen(t), NOW, NULL, &d), &d,
		       "a3");
		mem_deref(t);
		mem_deref(a3);
	}

	mem_deref(k);
}

/*
 * ECDSA signatures are malleable: (R, n - S) verifies as well as (R, S).
 * RFC 7518 does not ask for low S, and neither do we: a token's text is
 * not unique, so replay caches key on "jti", never on the token text.
 */
static void malleable(void **state)
{
	struct token_key *k;
	struct mcx_diag d = { "" };
	uint8_t *tok, sig[64];
	BIGNUM *n, *sv;
	char *t, *h, *p, *s, *t2;
	size_t len;

	(void)state;
	k = load_key("token/rfc7515-a3-pub.pem");
	tok = tu_load("token/rfc7515-a3.jwt", &len);
	assert_int_equal(0, str_dup(&t, (char *)tok));
	split(t, &h, &p, &s);
	len = sizeof(sig);
	assert_int_equal(0, b64url_decode(sig, &len, s, strlen(s)));

	n = BN_new();
	assert_non_null(n);
	assert_int_not_equal(0, BN_hex2bn(&n, "FFFFFFFF00000000FFFFFFFFFFFFFFFF"
					  "BCE6FAADA7179E84F3B9CAC2FC632551"));
	sv = BN_bin2bn(sig + 32, 32, NULL);
	assert_non_null(sv);
	assert_int_equal(1, BN_sub(sv, n, sv));
	assert_int_equal(32, BN_bn2binpad(sv, sig + 32, 32));

	{
		struct mbuf *mb = mbuf_alloc(256);

		assert_int_equal(0, mbuf_printf(mb, "%s.%s.", h, p));
		assert_int_equal(0, b64url_encode_mb(mb, sig, sizeof(sig)));
		t2 = tu_str(mb);
		mem_deref(mb);
	}
	assert_int_equal(0, token_verify(NULL, k, t2, strlen(t2),
					 A3_EXP - 60, NULL, &d));
	assert_string_not_equal(t2, (char *)tok);

	BN_free(sv);
	BN_free(n);
	mem_deref(t2);
	mem_deref(t);
	mem_deref(tok);
	mem_deref(k);
}

static void algorithms(void **state)
{
	static const struct { const char *hdr; size_t siglen;
			      const char *why; }
	v[] = {
		{ "{\"alg\":\"none\"}", 0, "token: alg 'none' not accepted" },
		{ "{\"alg\":\"none\",\"typ\":\"JWT\"}", 64, "alg 'none'" },
		{ "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", 32,
		  "token: alg 'HS256' not accepted" },
		{ "{\"alg\":\"RS256\"}", 256, "alg 'RS256' not accepted" },
		{ "{\"alg\":\"ES384\"}", 96, "alg 'ES384' not accepted" },
		{ "{\"alg\":\"es256\"}", 64, "alg 'es256' not accepted" },
		{ "{\"alg\":\"ES256 \"}", 64, "alg 'ES256 ' not accepted" },
		{ "{\"alg\":\"\"}", 64, "alg '' not accepted" },
		{ "{\"typ\":\"JWT\"}", 64, "token: alg missing" },
	};
	struct token_key *k = NULL;
	struct mcx_diag d = { "" };
	uint8_t sig[256];

	(void)state;
	assert_int_equal(0, token_key_generate(&k));
	memset(sig, 0x5a, sizeof(sig));

	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		struct token_claims c;
		char *t = tok_make(v[i].hdr, "{\"sub\":\"x\",\"exp\":"
				   "1735693200}", sig, v[i].siglen);

		expect(EBADMSG, v[i].why,
		       token_parse(&c, NULL, t, strlen(t), &d), &d, t);
		assert_string_equal(c.sub, "");
		expect(EBADMSG, v[i].why,
		       token_verify(&c, k, t, strlen(t), NOW, NULL, &d), &d,
		       t);
		mem_deref(t);
	}

	mem_deref(k);
}

static void times(void **state)
{
	/* NOW is 1735689600: exp must be above NOW - 30, nbf and iat at
	 * most NOW + 30 */
	static const struct { const char *payload; int err;
			      const char *why; }
	v[] = {
		{ "{\"sub\":\"a\"}", EACCES, "token without expiry" },
		{ "{\"exp\":0}", EACCES, "token without expiry" },
		{ "{\"exp\":0.5}", EACCES, "token without expiry" },
		{ "{\"exp\":1735689570}", EACCES, "token expired" },
		{ "{\"exp\":1735689570.999}", EACCES, "token expired" },
		{ "{\"exp\":1735689571}", 0, "" },
		{ "{\"exp\":1735690000,\"nbf\":1735689630}", 0, "" },
		{ "{\"exp\":1735690000,\"nbf\":1735689631}", EACCES,
		  "token not yet valid" },
		{ "{\"exp\":1735690000,\"iat\":1735689630}", 0, "" },
		{ "{\"exp\":1735690000,\"iat\":1735689631}", EACCES,
		  "token not yet valid (issued in the future)" },
		{ "{\"exp\":1,\"nbf\":1735689631}", EACCES, "token expired" },
	};
	struct token_key *k = NULL;
	struct mcx_diag d = { "" };

	(void)state;
	assert_int_equal(0, token_key_generate(&k));

	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		char *t = tok_signed(k, "{\"alg\":\"ES256\"}", v[i].payload);

		mcx_diag_clear(&d);
		expect(v[i].err, v[i].why,
		       token_verify(NULL, k, t, strlen(t), NOW, NULL, &d), &d,
		       v[i].payload);
		mem_deref(t);
	}

	assert_int_equal(EINVAL, token_verify(NULL, k, "a", 1, -1, NULL,
					      &d));
	assert_int_equal(EINVAL, token_verify(NULL, k, "a", 1,
					      TOKEN_DATE_MAX + 1, NULL, &d));
	assert_int_equal(EINVAL, token_verify(NULL, k, "a", 1, NOW, "", &d));
	assert_int_equal(EINVAL, token_verify(NULL, NULL, "a", 1, NOW, NULL,
					      &d));
	mem_deref(k);
}

static void audiences(void **state)
{
	static const struct { const char *payload; const char *aud;
			      int err; const char *why; const char *got; }
	v[] = {
		{ "{\"exp\":1735693200,\"aud\":\"mcptt\"}", "mcptt", 0, "",
		  "mcptt" },
		{ "{\"exp\":1735693200,\"aud\":\"mcptt\"}", NULL, 0, "",
		  "mcptt" },
		{ "{\"exp\":1735693200,\"aud\":\"mcdata\"}", "mcptt", EACCES,
		  "token for another audience (aud mcdata)", "" },
		{ "{\"exp\":1735693200}", "mcptt", EACCES,
		  "token for another audience (aud missing)", "" },
		{ "{\"exp\":1735693200,\"aud\":[\"kms\",\"mcptt\"]}", "mcptt",
		  0, "", "mcptt" },
		{ "{\"exp\":1735693200,\"aud\":[\"kms\",\"mcptt\"]}", NULL,
		  0, "", "kms" },
		{ "{\"exp\":1735693200,\"aud\":[\"kms\",\"cms\"]}", "mcptt",
		  EACCES, "token for another audience (aud kms)", "" },
		{ "{\"exp\":1735693200,\"aud\":\"MCPTT\"}", "mcptt", EACCES,
		  "another audience", "" },
		{ "{\"exp\":1735693200,\"aud\":[\"mcptt.a.mcx.test\",\"kms\"]}",
		  "kms", 0, "", "kms" },
	};
	struct token_key *k = NULL;
	struct mcx_diag d = { "" };

	(void)state;
	assert_int_equal(0, token_key_generate(&k));

	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		char *t = tok_signed(k, "{\"alg\":\"ES256\"}", v[i].payload);
		struct token_claims c;

		mcx_diag_clear(&d);
		expect(v[i].err, v[i].why,
		       token_verify(&c, k, t, strlen(t), NOW, v[i].aud, &d),
		       &d, v[i].payload);
		assert_string_equal(c.aud, v[i].got);
		for (size_t j = strlen(c.aud); j < sizeof(c.aud); j++)
			assert_int_equal(0, c.aud[j]);	/* memcmp-able */
		mem_deref(t);
	}

	mem_deref(k);
}

static void other_keys(void **state)
{
	struct token_key *a = NULL, *b = NULL, *a3;
	struct mcx_diag d = { "" };
	struct mbuf *mb = mbuf_alloc(1024);
	struct token_claims c;
	char *t, hdr[128];

	(void)state;
	assert_int_equal(0, token_key_generate(&a));
	assert_int_equal(0, token_key_generate(&b));
	a3 = load_key("token/rfc7515-a3-pub.pem");
	claims_full(&c);

	/* our header names the key: refused before the signature */
	assert_int_equal(0, token_sign(mb, a, &c));
	t = tu_str(mb);
	expect(EACCES, "token signed with another key",
	       token_verify(NULL, b, t, strlen(t), NOW, NULL, &d), &d, "kid");
	mem_deref(t);

	/* no kid: the signature tells */
	t = tok_signed(a, "{\"alg\":\"ES256\"}", "{\"exp\":1735693200}");
	expect(EACCES, "token signature invalid",
	       token_verify(NULL, b, t, strlen(t), NOW, NULL, &d), &d,
	       "no kid");
	assert_int_equal(0, token_verify(NULL, a, t, strlen(t), NOW, NULL,
					 &d));
	mem_deref(t);

	/* a kid that lies about the key: still the signature decides */
	(void)re_snprintf(hdr, sizeof(hdr), "{\"alg\":\"ES256\",\"kid\":"
			  "\"%s\"}", A3_KID);
	t = tok_signed(a, hdr, "{\"exp\":1735693200}");
	expect(EACCES, "token signature invalid",
	       token_verify(NULL, a3, t, strlen(t), NOW, NULL, &d), &d,
	       "lying kid");
	expect(EACCES, "token signed with another key",
	       token_verify(NULL, a, t, strlen(t), NOW, NULL, &d), &d,
	       "lying kid, right key");
	mem_deref(t);

	/* an empty kid is a kid, and not ours */
	t = tok_signed(a, "{\"alg\":\"ES256\",\"kid\":\"\"}",
		       "{\"exp\":1735693200}");
	expect(EACCES, "token signed with another key",
	       token_verify(NULL, a, t, strlen(t), NOW, NULL, &d), &d,
	       "empty kid");
	mem_deref(t);

	mem_deref(a3);
	mem_deref(b);
	mem_deref(a);
	mem_deref(mb);
}

/* Headers we accept: foreign members are ignored, never used */
static void headers(void **state)
{
	static const char *ok[] = {
		"{\"alg\":\"ES256\"}",
		" {\r\n\t\"alg\" : \"ES256\" } \n",
		"{\"typ\":\"at+jwt\",\"alg\":\"ES256\"}",
		"{\"alg\":\"ES256\",\"jku\":\"https://evil.test/k\","
		"\"jwk\":{\"kty\":\"EC\"},\"x5u\":\"https://evil.test\","
		"\"x5c\":[\"AAAA\"],\"cty\":\"JWT\",\"zip\":\"DEF\"}",
		"{\"\\u0061lg\":\"ES\\u0032\\u00356\"}",
	};
	struct token_key *k = NULL;
	struct mcx_diag d = { "" };

	(void)state;
	assert_int_equal(0, token_key_generate(&k));

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		char *t = tok_signed(k, ok[i], "{\"exp\":1735693200}");

		if (token_verify(NULL, k, t, strlen(t), NOW, NULL, &d))
			fail_msg("%s: %s", ok[i], d.reason);
		mem_deref(t);
	}

	mem_deref(k);
}


/* ---- structure ---- */

/* n arrays inside each other: [[...]] */
static void nest(struct mbuf *mb, int n)
{
	for (int i = 0; i < n; i++)
		assert_int_equal(0, mbuf_write_u8(mb, '['));
	for (int i = 0; i < n; i++)
		assert_int_equal(0, mbuf_write_u8(mb, ']'));
}

static void parse_accepts(void **state)
{
	static const char *hdr = "{\"alg\":\"ES256\"}";
	struct token_claims c;
	struct mcx_diag d = { "" };
	uint8_t sig[64] = { 0 };
	struct mbuf *mb;
	char *t, big[TOKEN_STR_MAX];

	(void)state;

	/* unknown claims of every type; a fraction; escaped names */
	t = tok_make(hdr, "{\"x\":{\"a\":[1,-2.5e-3,1E+2,true,false,null,"
		     "\"s\",{},[]]},\"y\":-0.5,\"\\u0073ub\":\"\\ud83d"
		     "\\ude00\\/\\u00e9\",\"exp\":1735693200.75,"
		     "\"sub2\":\"\\u0000\"}", sig, sizeof(sig));
	assert_int_equal(0, token_parse(&c, NULL, t, strlen(t), &d));
	assert_string_equal(c.sub, "\xf0\x9f\x98\x80/\xc3\xa9");
	assert_int_equal(1735693200, c.exp);
	mem_deref(t);

	/* a string at its longest; TOKEN_MEMBERS_MAX members; the top
	 * object and 15 arrays: TOKEN_DEPTH_MAX levels */
	memset(big, 'a', sizeof(big));
	mb = mbuf_alloc(2048);
	assert_int_equal(0, mbuf_printf(mb, "{\"sub\":\"%b\"", big,
					sizeof(big)));
	for (int i = 1; i < TOKEN_MEMBERS_MAX - 1; i++)
		assert_int_equal(0, mbuf_printf(mb, ",\"m%d\":%d", i, i));
	assert_int_equal(0, mbuf_write_str(mb, ",\"deep\":"));
	nest(mb, TOKEN_DEPTH_MAX - 1);
	assert_int_equal(0, mbuf_write_u8(mb, '}'));
	t = tu_str(mb);
	mem_deref(mb);
	{
		char *tok = tok_make(hdr, t, sig, sizeof(sig));

		if (token_parse(&c, NULL, tok, strlen(tok), &d))
			fail_msg("%s", d.reason);
		assert_int_equal(TOKEN_STR_MAX, strlen(c.sub));
		mem_deref(tok);
	}
	mem_deref(t);
}

/* Refusals of token_parse (and token_verify): code and reason */
static void refusals(void **state)
{
	static const char *S64 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	/* whole tokens */
	static const struct { const char *tok; int err; const char *why; }
	raw[] = {
		{ "", EBADMSG, "token: empty" },
		{ "abc", EBADMSG, "token: not three base64url parts" },
		{ "a.b", EBADMSG, "not three base64url parts" },
		{ "a.b.c.d", EBADMSG, "not three base64url parts" },
		{ "..", EBADMSG, "token: header is not JSON" },
		{ "eyJhbGciOiJFUzI1NiJ9=.e30.", EBADMSG,
		  "token: header is not base64url" },
		{ "eyJhbGciOiJFUzI1NiJ9 .e30.", EBADMSG,
		  "header is not base64url" },
		{ "eyJhbGciOiJFUzI1NiJ9.e30=.", EBADMSG,
		  "token: payload is not base64url" },
		{ "eyJhbGciOiJFUzI1NiJ9.e30.", EBADMSG,
		  "token: signature is not 64 octets" },
		{ "eyJhbGciOiJFUzI1NiJ9.e30.AAAA", EBADMSG,
		  "signature is not 64 octets" },
		{ "eyJhbGciOiJFUzI1NiJ9.e30.AAAA+AAA", EBADMSG,
		  "token: signature is not base64url" },
		{ "eyJhbGciOiJFUzI1NiJ9..", EBADMSG,
		  "token: payload is not JSON" },
		{ "eHl6.e30.", EBADMSG, "token: header is not JSON" },
		{ "e30.e30.", EBADMSG, "token: alg missing" },
	};
	/* header and payload JSON, with a 64-octet signature */
	static const struct { const char *hdr, *pl; int err;
			      const char *why; }
	js[] = {
		{ "[]", "{}", EBADMSG, "token: header is not JSON" },
		{ "{\"alg\":\"ES256\"}x", "{}", EBADMSG,
		  "header is not JSON (octet 15)" },
		{ "{\"alg\":\"ES256\",}", "{}", EBADMSG, "header is not JSON" },
		{ "{\"alg\":1}", "{}", EBADMSG, "token: alg is not a string" },
		{ "{\"alg\":\"ES256\",\"alg\":\"ES256\"}", "{}", EBADMSG,
		  "token: header has 'alg' twice" },
		{ "{\"alg\":\"ES256\",\"\\u0061lg\":\"none\"}", "{}", EBADMSG,
		  "header has '/u0061lg' twice" },
		{ "{\"alg\":\"ES256\",\"crit\":[\"exp\"]}", "{}", EBADMSG,
		  "token: crit header not supported" },
		{ "{\"alg\":\"ES256\",\"typ\":1}", "{}", EBADMSG,
		  "token: typ is not a string" },
		{ "{\"alg\":\"ES256\",\"kid\":\"0123456789012345678901234567"
		  "8901234567890123\"}", "{}", EBADMSG,
		  "token: kid longer than 43 octets" },
		{ "{\"alg\":\"ES256\",\"kid\":7}", "{}", EBADMSG,
		  "kid is not a string" },
		{ "{\"alg\":\"ES256\"}", "", EBADMSG,
		  "token: payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "[]", EBADMSG, "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "\"s\"", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"sub\":1}", EBADMSG,
		  "token: sub is not a string" },
		{ "{\"alg\":\"ES256\"}", "{\"mcptt_id\":[\"sip:a@b\"]}",
		  EBADMSG, "token: mcptt_id is not a string" },
		{ "{\"alg\":\"ES256\"}", "{\"exp\":\"1\"}", EBADMSG,
		  "token: exp is not a number" },
		{ "{\"alg\":\"ES256\"}", "{\"iat\":null}", EBADMSG,
		  "token: iat is not a number" },
		{ "{\"alg\":\"ES256\"}", "{\"exp\":-1}", EBADMSG,
		  "token: exp out of range" },
		{ "{\"alg\":\"ES256\"}", "{\"exp\":253402300800}", EBADMSG,
		  "token: exp out of range" },
		{ "{\"alg\":\"ES256\"}", "{\"nbf\":99999999999999999999999}",
		  EBADMSG, "token: nbf out of range" },
		{ "{\"alg\":\"ES256\"}", "{\"exp\":1.7e9}", EBADMSG,
		  "token: exp has an exponent" },
		{ "{\"alg\":\"ES256\"}", "{\"exp\":01}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"exp\":1.}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"exp\":1,\"exp\":2}", EBADMSG,
		  "token: payload has 'exp' twice" },
		{ "{\"alg\":\"ES256\"}", "{\"x\":1,\"y\":1,\"x\":[]}", EBADMSG,
		  "payload has 'x' twice" },
		{ "{\"alg\":\"ES256\"}", "{\"sub\":\"a\\u0000b\"}", EBADMSG,
		  "token: sub contains NUL" },
		{ "{\"alg\":\"ES256\"}", "{\"sub\":\"\\ud800\"}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"sub\":\"\\udc00\\ud800\"}",
		  EBADMSG, "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"sub\":\"\\ud800\\u0041\"}",
		  EBADMSG, "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"sub\":\"\\u12\"}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"sub\":\"\\q\"}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"sub\":\"\xc3\x28\"}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"sub\":\"\xc0\xaf\"}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"sub\":\"\xed\xa0\x80\"}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"sub\":\"\xf4\x90\x80\x80\"}",
		  EBADMSG, "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"sub\":\"a\nb\"}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"sub\":\"ab", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"aud\":[]}", EBADMSG,
		  "token: aud is an empty array" },
		{ "{\"alg\":\"ES256\"}", "{\"aud\":[1]}", EBADMSG,
		  "token: aud is not a string" },
		{ "{\"alg\":\"ES256\"}", "{\"aud\":{}}", EBADMSG,
		  "token: aud is not a string" },
		{ "{\"alg\":\"ES256\"}", "{\"aud\":[\"a\",]}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"aud\":[\"1\",\"2\",\"3\",\"4\","
		  "\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\",\"12\",\"13\","
		  "\"14\",\"15\",\"16\",\"17\"]}", EMSGSIZE,
		  "token: aud has more than 16 entries" },
		{ "{\"alg\":\"ES256\"}", "{\"x\":+1}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"x\":NaN}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"x\":tru}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"x\":1,}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"x\" 1}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{x:1}", EBADMSG,
		  "payload is not JSON" },
		{ "{\"alg\":\"ES256\"}", "{\"x\":1}{}", EBADMSG,
		  "payload is not JSON" },
	};
	struct token_key *k = NULL;
	struct mcx_diag d;

	(void)state;
	assert_int_equal(0, token_key_generate(&k));

	for (size_t i = 0; i < ARRAY_SIZE(raw); i++) {
		struct token_claims c;

		mcx_diag_clear(&d);
		expect(raw[i].err, raw[i].why,
		       token_parse(&c, NULL, raw[i].tok, strlen(raw[i].tok),
				   &d), &d, raw[i].tok);
		mcx_diag_clear(&d);
		expect(raw[i].err, raw[i].why,
		       token_verify(&c, k, raw[i].tok, strlen(raw[i].tok),
				    NOW, NULL, &d), &d, raw[i].tok);
	}

	for (size_t i = 0; i < ARRAY_SIZE(js); i++) {
		char *t = tok_make(js[i].hdr, js[i].pl, NULL, 0);
		char *tok = NULL;
		struct token_claims c;

		assert_int_equal(0, re_sdprintf(&tok, "%s.%s", t, S64));
		mcx_diag_clear(&d);
		expect(js[i].err, js[i].why,
		       token_parse(&c, NULL, tok, strlen(tok), &d), &d,
		       js[i].pl);
		mcx_diag_clear(&d);
		expect(js[i].err, js[i].why,
		       token_verify(&c, k, tok, strlen(tok), NOW, NULL, &d),
		       &d, js[i].pl);
		mem_deref(tok);
		mem_deref(t);
	}

	mem_deref(k);
}

static void limits(void **state)
{
	/* header {"alg":"ES256"}: 20 characters; signature: 86; so a
	 * payload of 6063 octets (8084 characters) makes TOKEN_MAX */
	static const char *pre = "{\"exp\":1735693200,\"p\":\"";
	const size_t plen = (TOKEN_MAX - 20 - 1 - 1 - 86) / 4 * 3;
	struct token_key *k = NULL;
	struct mcx_diag d = { "" };
	struct token_claims c;
	struct mbuf *mb;
	char *pl, *t;

	(void)state;
	assert_int_equal(0, token_key_generate(&k));

	mb = mbuf_alloc(plen + 8);
	assert_int_equal(0, mbuf_write_str(mb, pre));
	while (mb->end < plen - 2)
		assert_int_equal(0, mbuf_write_u8(mb, 'p'));
	assert_int_equal(0, mbuf_write_str(mb, "\"}"));
	pl = tu_str(mb);
	t = tok_signed(k, "{\"alg\":\"ES256\"}", pl);
	assert_int_equal(TOKEN_MAX, strlen(t));
	if (token_verify(&c, k, t, strlen(t), NOW, NULL, &d))
		fail_msg("%s", d.reason);
	mem_deref(t);
	mem_deref(pl);

	/* one octet more */
	mbuf_rewind(mb);
	assert_int_equal(0, mbuf_write_u8(mb, ' '));
	assert_int_equal(0, mbuf_write_str(mb, pre));
	while (mb->end < plen + 1 - 2)
		assert_int_equal(0, mbuf_write_u8(mb, 'p'));
	assert_int_equal(0, mbuf_write_str(mb, "\"}"));
	pl = tu_str(mb);
	t = tok_signed(k, "{\"alg\":\"ES256\"}", pl);
	assert_int_equal(TOKEN_MAX + 2, strlen(t));
	expect(EMSGSIZE, "token: longer than 8192 octets",
	       token_verify(&c, k, t, strlen(t), NOW, NULL, &d), &d, "max");
	expect(EMSGSIZE, "token: longer than 8192 octets",
	       token_parse(&c, NULL, t, strlen(t), &d), &d, "max");
	mem_deref(t);
	mem_deref(pl);

	/* TOKEN_MEMBERS_MAX + 1 members */
	mbuf_rewind(mb);
	assert_int_equal(0, mbuf_write_str(mb, "{\"exp\":1"));
	for (int i = 1; i < TOKEN_MEMBERS_MAX + 1; i++)
		assert_int_equal(0, mbuf_printf(mb, ",\"m%d\":0", i));
	assert_int_equal(0, mbuf_write_u8(mb, '}'));
	pl = tu_str(mb);
	t = tok_signed(k, "{\"alg\":\"ES256\"}", pl);
	expect(EMSGSIZE, "token: payload has more than 64 members",
	       token_parse(&c, NULL, t, strlen(t), &d), &d, "members");
	mem_deref(t);
	mem_deref(pl);

	/* TOKEN_DEPTH_MAX + 1 levels */
	mbuf_rewind(mb);
	assert_int_equal(0, mbuf_write_str(mb, "{\"exp\":1,\"x\":"));
	nest(mb, TOKEN_DEPTH_MAX);
	assert_int_equal(0, mbuf_write_u8(mb, '}'));
	pl = tu_str(mb);
	t = tok_signed(k, "{\"alg\":\"ES256\"}", pl);
	expect(EMSGSIZE, "token: payload nested deeper than 16",
	       token_parse(&c, NULL, t, strlen(t), &d), &d, "depth");
	mem_deref(t);
	mem_deref(pl);

	mem_deref(mb);
	mem_deref(k);
}

/* A token cut anywhere is malformed, never valid, never a crash */
static void prefixes(void **state)
{
	struct token_key *k;
	struct mcx_diag d;
	struct token_claims c;
	uint8_t *tok;
	size_t len;

	(void)state;
	k = load_key("token/rfc7515-a3-pub.pem");
	tok = tu_load("token/rfc7515-a3.jwt", &len);

	for (size_t n = 0; n < len; n++) {
		int err = token_verify(&c, k, (const char *)tok, n,
				       A3_EXP - 60, NULL, &d);

		if (err != EBADMSG)
			fail_msg("prefix %zu: %d %s", n, err, d.reason);
	}

	mem_deref(tok);
	mem_deref(k);
}


/* ---- PEM ---- */

struct tmpdir {
	char dir[64];
	char path[128];
};

static const char *tmp_path(struct tmpdir *t, const char *name)
{
	(void)re_snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
	return t->path;
}

static mode_t file_mode(const char *path)
{
	struct stat st;

	assert_int_equal(0, stat(path, &st));
	return st.st_mode & 07777;
}

static void pem_files(void **state)
{
	struct tmpdir t = { "/tmp/mcx-token-XXXXXX", "" };
	struct token_key *k = NULL, *priv = NULL, *pub = NULL;
	char kid[TOKEN_KID_LEN + 1], kid2[TOKEN_KID_LEN + 1];
	struct mcx_diag d = { "" };
	struct mbuf *mb = mbuf_alloc(1024);
	struct token_claims c;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(t.dir));
	assert_int_equal(0, token_key_generate(&k));
	assert_int_equal(0, token_key_id(k, kid));

	/* a private key file is 0600, even replacing a readable file */
	f = fopen(tmp_path(&t, "idms.key"), "w");
	assert_non_null(f);
	assert_int_equal(0, fclose(f));
	assert_int_equal(0, chmod(t.path, 0644));
	assert_int_equal(0, token_key_save_file(k, t.path, true));
	assert_int_equal(0600, file_mode(t.path));
	assert_int_equal(0, token_key_load_file(&priv, t.path, &d));
	assert_true(token_key_has_private(priv));
	assert_int_equal(0, token_key_id(priv, kid2));
	assert_string_equal(kid, kid2);

	assert_int_equal(0, token_key_save_file(k, tmp_path(&t, "idms.pub"),
						false));
	assert_int_equal(0644, file_mode(t.path));
	assert_int_equal(0, token_key_load_file(&pub, t.path, &d));
	assert_false(token_key_has_private(pub));
	assert_int_equal(0, token_key_id(pub, kid2));
	assert_string_equal(kid, kid2);
	assert_int_equal(EINVAL, token_key_save_file(pub, t.path, true));

	/* the loaded keys sign and verify together */
	claims_full(&c);
	assert_int_equal(0, token_sign(mb, priv, &c));
	assert_int_equal(0, token_verify(NULL, pub, (char *)mb->buf, mb->end,
					 NOW, NULL, &d));

	/* PEM text */
	mbuf_rewind(mb);
	assert_int_equal(0, token_key_pem(mb, k, false));
	assert_int_equal(0, memcmp(mb->buf, "-----BEGIN PUBLIC KEY-----",
				   26));
	mbuf_rewind(mb);
	assert_int_equal(0, token_key_pem(mb, k, true));
	assert_int_equal(0, memcmp(mb->buf, "-----BEGIN PRIVATE KEY-----",
				   27));
	assert_int_equal(EINVAL, token_key_pem(mb, pub, true));

	assert_int_equal(ENOENT, token_key_load_file(&priv,
		tmp_path(&t, "missing"), &d));
	assert_non_null(strstr(d.reason, "missing"));

	(void)unlink(tmp_path(&t, "idms.key"));
	(void)unlink(tmp_path(&t, "idms.pub"));
	assert_int_equal(0, rmdir(t.dir));
	mem_deref(priv);
	mem_deref(pub);
	mem_deref(k);
	mem_deref(mb);
}

/* A PEM of some other key, made with OpenSSL directly */
static char *foreign_pem(EVP_PKEY *pk)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *s = NULL;
	long n;

	assert_non_null(pk);
	assert_int_equal(1, PEM_write_bio_PUBKEY(bio, pk));
	n = BIO_get_mem_data(bio, &data);
	assert_int_equal(0, re_sdprintf(&s, "%b", data, (size_t)n));
	BIO_free(bio);
	EVP_PKEY_free(pk);

	return s;
}

static void pem_refusals(void **state)
{
	struct token_key *k = NULL;
	struct mcx_diag d = { "" };
	char *pem, *big;

	(void)state;
	pem = foreign_pem(EVP_EC_gen("secp384r1"));
	expect(EBADMSG, "key: not an EC P-256 key",
	       token_key_load_pem(&k, pem, strlen(pem), &d), &d, "P-384");
	mem_deref(pem);

	pem = foreign_pem(EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"));
	expect(EBADMSG, "key: not an EC P-256 key",
	       token_key_load_pem(&k, pem, strlen(pem), &d), &d, "Ed25519");
	mem_deref(pem);

	expect(EBADMSG, "key: no unencrypted private key or public key",
	       token_key_load_pem(&k, "hello", 5, &d), &d, "text");
	expect(EBADMSG, "no unencrypted private key",
	       token_key_load_pem(&k, "", 0, &d), &d, "empty");

	big = mem_zalloc(TOKEN_PEM_MAX + 1, NULL);
	memset(big, '-', TOKEN_PEM_MAX + 1);
	expect(EMSGSIZE, "key: PEM longer than 16384 octets",
	       token_key_load_pem(&k, big, TOKEN_PEM_MAX + 1, &d), &d, "big");
	mem_deref(big);

	assert_null(k);
	assert_int_equal(EINVAL, token_key_load_pem(NULL, "", 0, &d));
	assert_int_equal(EINVAL, token_key_generate(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(b64url_vectors),
		cmocka_unit_test(b64url_refusals),
		cmocka_unit_test(rfc7515_key),
		cmocka_unit_test(rfc7515_a3),
		cmocka_unit_test(stored_vectors),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(encoding),
		cmocka_unit_test(print),
		cmocka_unit_test(sign_refusals),
		cmocka_unit_test(tampered),
		cmocka_unit_test(bad_signatures),
		cmocka_unit_test(malleable),
		cmocka_unit_test(algorithms),
		cmocka_unit_test(times),
		cmocka_unit_test(audiences),
		cmocka_unit_test(other_keys),
		cmocka_unit_test(headers),
		cmocka_unit_test(parse_accepts),
		cmocka_unit_test(refusals),
		cmocka_unit_test(limits),
		cmocka_unit_test(prefixes),
		cmocka_unit_test(pem_files),
		cmocka_unit_test(pem_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
