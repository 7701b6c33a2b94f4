/**
 * @file key.c  ES256 keys: P-256 key pairs and public keys over OpenSSL
 *
 * A struct token_key wraps one EVP_PKEY that is an EC key on the named
 * curve P-256 (secp256r1, "prime256v1"); keys on other curves, of other
 * types or with explicit curve parameters are refused. The public point
 * and the key id (RFC 7638 thumbprint) are computed once, when the key is
 * made.
 *
 * PEM in: "PRIVATE KEY" (PKCS #8), "EC PRIVATE KEY" (SEC 1) or "PUBLIC
 * KEY" (SubjectPublicKeyInfo); encrypted keys are refused (we never ask
 * for a pass phrase). PEM out: "PRIVATE KEY" or "PUBLIC KEY".
 *
 * OpenSSL calls that cannot fail on valid input (generating, writing,
 * hashing) are taken to fail only for want of memory: ENOMEM. Where a
 * failure may be bad input (reading PEM, checking a signature), OpenSSL's
 * error queue tells: ERR_R_MALLOC_FAILURE in it means ENOMEM. So the
 * functions of this module empty this thread's OpenSSL error queue, before
 * they start and when they fail.
 *
 * No I/O here: key files are keyfile.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <re.h>
#include <mcx/diag.h>
#include "tok.h"


/**
 * Did the OpenSSL call that just failed run out of memory? Empties this
 * thread's OpenSSL error queue either way, so that errors do not pile up
 * in a long-running process.
 */
bool tok_ssl_oom(void)
{
	unsigned long e;
	bool oom = false;

	while ((e = ERR_get_error()) != 0) {
		if (ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE)
			oom = true;
	}

	return oom;
}


static void key_destructor(void *arg)
{
	struct token_key *k = arg;

	EVP_PKEY_free(k->pkey);
}


/* Is it an EC key on the named curve P-256? */
static bool is_p256(EVP_PKEY *pkey)
{
	char grp[32];
	size_t len = 0;

	return EVP_PKEY_is_a(pkey, "EC") &&
		EVP_PKEY_get_group_name(pkey, grp, sizeof(grp), &len) &&
		OBJ_sn2nid(grp) == NID_X9_62_prime256v1;
}


/* X and Y as 32 octets each, big-endian */
static int pub_point(uint8_t xy[2 * TOK_COORD_LEN], EVP_PKEY *pkey)
{
	BIGNUM *x = NULL, *y = NULL;
	int err = 0;

	if (!EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
	    !EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y) ||
	    BN_bn2binpad(x, xy, TOK_COORD_LEN) != TOK_COORD_LEN ||
	    BN_bn2binpad(y, xy + TOK_COORD_LEN, TOK_COORD_LEN) !=
	    TOK_COORD_LEN)
		err = tok_ssl_oom() ? ENOMEM : EBADMSG;

	BN_free(x);
	BN_free(y);

	return err;
}


/*
 * Wrap an EVP_PKEY (taken over, freed on failure too): check it is
 * P-256, keep its coordinates and its RFC 7638 thumbprint, the SHA-256 of
 * the members required for an EC JWK in lexicographic order, no white
 * space (RFC 7638 3.2, 3.3)
 */
static int key_wrap(struct token_key **kp, EVP_PKEY *pkey, bool priv,
		    struct mcx_diag *diag)
{
	uint8_t xy[2 * TOK_COORD_LEN], md[32];
	struct token_key *k;
	char jwk[128];
	int err, n;

	k = mem_zalloc(sizeof(*k), key_destructor);
	if (!k) {
		EVP_PKEY_free(pkey);
		return ENOMEM;
	}
	k->pkey = pkey;
	k->priv = priv;

	if (!is_p256(pkey)) {
		err = tok_ssl_oom() ? ENOMEM :
			mcx_diag_set(diag, EBADMSG, "key: not an EC P-256 "
				     "key");
		goto out;
	}

	err = pub_point(xy, pkey);
	if (err) {
		mcx_diag_set(diag, err, "key: no public point");
		goto out;
	}
	k->x[b64url_encode(k->x, xy, TOK_COORD_LEN)] = '\0';
	k->y[b64url_encode(k->y, xy + TOK_COORD_LEN, TOK_COORD_LEN)] = '\0';

	n = snprintf(jwk, sizeof(jwk), "{\"crv\":\"P-256\",\"kty\":\"EC\","
		     "\"x\":\"%s\",\"y\":\"%s\"}", k->x, k->y);
	if (n < 0 || (size_t)n >= sizeof(jwk) ||
	    !EVP_Digest(jwk, (size_t)n, md, NULL, EVP_sha256(), NULL)) {
		(void)tok_ssl_oom();
		err = ENOMEM;
		goto out;
	}
	k->kid[b64url_encode(k->kid, md, sizeof(md))] = '\0';

 out:
	if (err)
		mem_deref(k);
	else
		*kp = k;

	return err;
}


/**
 * Generate a new P-256 key pair
 *
 * @param kp Where the key goes
 *
 * @return 0, EINVAL or ENOMEM
 */
int token_key_generate(struct token_key **kp)
{
	EVP_PKEY *pkey;

	if (!kp)
		return EINVAL;

	ERR_clear_error();
	pkey = EVP_EC_gen(SN_X9_62_prime256v1);
	if (!pkey) {
		(void)tok_ssl_oom();
		return ENOMEM;
	}

	return key_wrap(kp, pkey, true, NULL);
}


/* Never a pass phrase: an encrypted key fails to load */
static int no_pass(char *buf, int size, int rwflag, void *arg)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)arg;

	return -1;
}


/**
 * Load a key from PEM text: a private key (then the key signs and
 * verifies) or a public key (it only verifies)
 *
 * @param kp   Where the key goes
 * @param pem  PEM text; the first private key in it wins, else the first
 *             public key
 * @param len  Its length, at most TOKEN_PEM_MAX
 * @param diag Reason on failure
 *
 * @return 0, EINVAL, EBADMSG (no P-256 key), EMSGSIZE or ENOMEM
 */
int token_key_load_pem(struct token_key **kp, const char *pem, size_t len,
		       struct mcx_diag *diag)
{
	EVP_PKEY *pkey;
	bool priv = true;
	BIO *bio;

	if (!kp || (!pem && len))
		return EINVAL;
	if (len > TOKEN_PEM_MAX)
		return mcx_diag_set(diag, EMSGSIZE, "key: PEM longer than %d "
				    "octets", TOKEN_PEM_MAX);

	ERR_clear_error();

	bio = BIO_new_mem_buf(len ? pem : "", (int)len);
	if (!bio)
		goto oom;
	pkey = PEM_read_bio_PrivateKey(bio, NULL, no_pass, NULL);
	BIO_free(bio);

	if (!pkey) {
		if (tok_ssl_oom())
			return ENOMEM;
		priv = false;
		bio = BIO_new_mem_buf(len ? pem : "", (int)len);
		if (!bio)
			goto oom;
		pkey = PEM_read_bio_PUBKEY(bio, NULL, no_pass, NULL);
		BIO_free(bio);
	}
	if (!pkey) {
		if (tok_ssl_oom())
			return ENOMEM;
		return mcx_diag_set(diag, EBADMSG, "key: no unencrypted "
				    "private key or public key in PEM");
	}

	return key_wrap(kp, pkey, priv, diag);

 oom:
	(void)tok_ssl_oom();
	return ENOMEM;
}


/**
 * Write a key as PEM at the position of an mbuf: "PRIVATE KEY" (PKCS #8,
 * not encrypted) or "PUBLIC KEY". The mbuf then holds a secret: the caller
 * wipes it.
 *
 * @param mb           Where it goes
 * @param k            Key
 * @param private_part The private key (k must hold it), else the public
 *
 * @return 0, EINVAL or ENOMEM
 */
int token_key_pem(struct mbuf *mb, const struct token_key *k,
		  bool private_part)
{
	char *data = NULL;
	long len;
	BIO *bio;
	int ok, err;

	if (!mb || !k || (private_part && !k->priv))
		return EINVAL;

	/* secure memory: wiped when freed */
	bio = BIO_new(private_part ? BIO_s_secmem() : BIO_s_mem());
	if (!bio)
		goto oom;

	if (private_part)
		ok = PEM_write_bio_PrivateKey(bio, k->pkey, NULL, NULL, 0,
					      NULL, NULL);
	else
		ok = PEM_write_bio_PUBKEY(bio, k->pkey);

	len = BIO_get_mem_data(bio, &data);
	if (!ok || len <= 0) {
		BIO_free(bio);
		goto oom;
	}

	err = mbuf_write_mem(mb, (const uint8_t *)data, (size_t)len);
	BIO_free(bio);

	return err;

 oom:
	(void)tok_ssl_oom();
	return ENOMEM;
}


/** Does the key hold its private part (can it sign)? */
bool token_key_has_private(const struct token_key *k)
{
	return k && k->priv;
}


/**
 * The key id: the RFC 7638 JWK thumbprint, base64url of a SHA-256
 *
 * @param k   Key
 * @param kid Where the 43 characters and a NUL go
 *
 * @return 0 or EINVAL
 */
int token_key_id(const struct token_key *k, char kid[TOKEN_KID_LEN + 1])
{
	if (!k || !kid)
		return EINVAL;

	memcpy(kid, k->kid, TOKEN_KID_LEN + 1);

	return 0;
}


/**
 * Print the public key as a JWK (RFC 7517 4, RFC 7518 6.2.1), on one
 * line, for the IdMS to publish to the systems that verify its tokens:
 *
 *   {"kty":"EC","crv":"P-256","x":"..","y":"..","kid":"..","use":"sig",
 *    "alg":"ES256"}
 */
int token_key_jwk_print(struct re_printf *pf, const struct token_key *k)
{
	if (!k)
		return 0;

	return re_hprintf(pf, "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\","
			  "\"y\":\"%s\",\"kid\":\"%s\",\"use\":\"sig\","
			  "\"alg\":\"ES256\"}", k->x, k->y, k->kid);
}
