/**
 * @file token.c  JWTs signed with ES256: sign, parse, verify (mcx/token.h)
 *
 * RFC 7519 (JWT) in the JWS compact serialization (RFC 7515 3.1, 7.1)
 * with ES256 (RFC 7518 3.4). One table of claims drives encoding,
 * decoding and printing; its order is the order claims are written in.
 *
 * Verification goes: structure (EBADMSG), key id, signature, then the
 * claims (EACCES). Nothing from the payload is trusted before the
 * signature holds; the structure has to be read first to find it.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/str.h>
#include "tok.h"

#define ALG "ES256"

enum claim_type {
	CL_STR,		/**< A string, one field           */
	CL_AUD,		/**< A string or array of strings  */
	CL_DATE,	/**< A NumericDate                 */
};

/** One claim: JSON name, type and where it lives in struct token_claims */
struct claim {
	const char *name;
	enum claim_type type;
	size_t off;
	size_t size;	/**< Of a string field, with its NUL */
};

#define FIELD_SIZE(f) sizeof(((struct token_claims *)NULL)->f)
#define CLAIM(f, t) { #f, t, offsetof(struct token_claims, f), \
		      t == CL_DATE ? 0 : FIELD_SIZE(f) }

/* RFC 7519 4.1; TS 33.180 B.2.2.2 (client_id, scope), B.2.1.3/B.2.2.3
 * (MC service IDs) */
static const struct claim claimv[] = {
	CLAIM(iss,        CL_STR),
	CLAIM(sub,        CL_STR),
	CLAIM(aud,        CL_AUD),
	CLAIM(exp,        CL_DATE),
	CLAIM(nbf,        CL_DATE),
	CLAIM(iat,        CL_DATE),
	CLAIM(jti,        CL_STR),
	CLAIM(client_id,  CL_STR),
	CLAIM(scope,      CL_STR),
	CLAIM(mcptt_id,   CL_STR),
	CLAIM(mcvideo_id, CL_STR),
	CLAIM(mcdata_id,  CL_STR),
};

/** A token taken apart (no signature checked yet) */
struct jws {
	struct token_claims c;
	char alg[32];
	char kid[TOKEN_KID_LEN + 1];
	bool has_alg;
	bool has_kid;
	bool has_crit;
	uint8_t sig[TOK_SIG_LEN];	/**< R || S                       */
	size_t tbs_len;			/**< Signed: header "." payload   */
};

/** What the payload reader works on */
struct payload_ctx {
	struct token_claims *c;
	const char *audience;		/**< Expected, or NULL            */
	bool aud_match;			/**< An "aud" entry is audience   */
};


static char *str_at(struct token_claims *c, const struct claim *cl)
{
	return (char *)c + cl->off;
}


static const char *cstr_at(const struct token_claims *c,
			   const struct claim *cl)
{
	return (const char *)c + cl->off;
}


static int64_t *date_at(struct token_claims *c, const struct claim *cl)
{
	return (int64_t *)(void *)((char *)c + cl->off);
}


static int64_t cdate_at(const struct token_claims *c, const struct claim *cl)
{
	return *(const int64_t *)(const void *)((const char *)c + cl->off);
}


/* ---- reading ---- */

/* Set a string field, zeros after the NUL: claims compare with memcmp */
static void field_set(char *dst, size_t size, const char *src)
{
	memset(dst, 0, size);
	str_ncpy(dst, src, size);
}


static int header_member(struct tjson *js, const struct tjson_key *key,
			 void *arg)
{
	struct jws *j = arg;

	if (tjson_key_is(key, "alg")) {
		j->has_alg = true;
		return tjson_string(js, "alg", j->alg, sizeof(j->alg));
	}
	if (tjson_key_is(key, "kid")) {
		j->has_kid = true;
		return tjson_string(js, "kid", j->kid, sizeof(j->kid));
	}
	if (tjson_key_is(key, "typ") && !tjson_is(js, '"'))
		return mcx_diag_set(js->diag, EBADMSG, "token: typ is not a "
				    "string");
	if (tjson_key_is(key, "crit"))
		j->has_crit = true;

	/* typ's value, jku, jwk, x5u, x5c (never used), others: ignored */
	return tjson_skip(js);
}


static int aud_elem(struct tjson *js, size_t idx, void *arg)
{
	struct payload_ctx *pc = arg;
	char aud[TOKEN_STR_MAX + 1];
	int err;

	err = tjson_string(js, "aud", aud, sizeof(aud));
	if (err)
		return err;

	if (idx == 0)
		field_set(pc->c->aud, sizeof(pc->c->aud), aud);
	if (pc->audience && !strcmp(aud, pc->audience))
		pc->aud_match = true;

	return 0;
}


static int payload_member(struct tjson *js, const struct tjson_key *key,
			  void *arg)
{
	struct payload_ctx *pc = arg;

	for (size_t i = 0; i < ARRAY_SIZE(claimv); i++) {
		const struct claim *cl = &claimv[i];

		if (!tjson_key_is(key, cl->name))
			continue;

		switch (cl->type) {

		case CL_STR:
			return tjson_string(js, cl->name, str_at(pc->c, cl),
					    cl->size);

		case CL_DATE:
			return tjson_date(js, cl->name, date_at(pc->c, cl));

		case CL_AUD:
			if (tjson_is(js, '['))
				return tjson_array(js, cl->name,
						   TOKEN_AUD_MAX, aud_elem,
						   pc);
			return tjson_string(js, cl->name, str_at(pc->c, cl),
					    cl->size);
		}
	}

	return tjson_skip(js);	/* a claim we do not know */
}


static int alg_check(const struct jws *j, struct mcx_diag *diag)
{
	if (!j->has_alg)
		return mcx_diag_set(diag, EBADMSG, "token: alg missing");
	if (strcmp(j->alg, ALG))
		return mcx_diag_set(diag, EBADMSG, "token: alg '%s' not "
				    "accepted", j->alg);
	if (j->has_crit)
		return mcx_diag_set(diag, EBADMSG, "token: crit header not "
				    "supported");

	return 0;
}


/*
 * Take a token apart: three base64url parts, the header (alg first),
 * the claims, a signature of the right size. audience picks the "aud"
 * kept from an array.
 */
static int jws_decode(struct jws *j, const char *tok, size_t len,
		      const char *audience, struct mcx_diag *diag)
{
	struct payload_ctx pc = { &j->c, audience, false };
	uint8_t raw[TOK_RAW_MAX];
	const char *d1, *d2, *end;
	struct tjson js;
	size_t n;
	int err;

	memset(j, 0, sizeof(*j));

	if (len > TOKEN_MAX)
		return mcx_diag_set(diag, EMSGSIZE, "token: longer than %d "
				    "octets", TOKEN_MAX);
	if (!len)
		return mcx_diag_set(diag, EBADMSG, "token: empty");
	end = tok + len;

	d1 = memchr(tok, '.', len);
	d2 = d1 ? memchr(d1 + 1, '.', (size_t)(end - d1 - 1)) : NULL;
	if (!d2 || memchr(d2 + 1, '.', (size_t)(end - d2 - 1)))
		return mcx_diag_set(diag, EBADMSG, "token: not three "
				    "base64url parts");

	n = sizeof(raw);
	if (b64url_decode(raw, &n, tok, (size_t)(d1 - tok)))
		return mcx_diag_set(diag, EBADMSG, "token: header is not "
				    "base64url");
	tjson_init(&js, raw, n, "header", diag);
	err = tjson_object(&js, header_member, j);
	if (err)
		return err;
	err = alg_check(j, diag);
	if (err)
		return err;

	n = sizeof(raw);
	if (b64url_decode(raw, &n, d1 + 1, (size_t)(d2 - d1 - 1)))
		return mcx_diag_set(diag, EBADMSG, "token: payload is not "
				    "base64url");
	tjson_init(&js, raw, n, "payload", diag);
	err = tjson_object(&js, payload_member, &pc);
	if (err)
		return err;
	if (pc.aud_match)
		field_set(j->c.aud, sizeof(j->c.aud), audience);

	n = sizeof(j->sig);
	err = b64url_decode(j->sig, &n, d2 + 1, (size_t)(end - d2 - 1));
	if (err == EBADMSG)
		return mcx_diag_set(diag, EBADMSG, "token: signature is not "
				    "base64url");
	if (err || n != TOK_SIG_LEN)
		return mcx_diag_set(diag, EBADMSG, "token: signature is not "
				    "%d octets", TOK_SIG_LEN);

	j->tbs_len = (size_t)(d2 - tok);

	return 0;
}


/**
 * Read a token's header and claims without checking its signature: for
 * logs, tools and the fuzzer, never to grant anything
 *
 * @param c    Where the claims go (zeroed on failure)
 * @param kid  Where the header's key id goes, "" if none (may be NULL)
 * @param tok  Token text
 * @param len  Its length
 * @param diag Reason on failure
 *
 * @return 0, EINVAL, EBADMSG or EMSGSIZE
 */
int token_parse(struct token_claims *c, char kid[TOKEN_KID_LEN + 1],
		const char *tok, size_t len, struct mcx_diag *diag)
{
	struct jws j;
	int err;

	if (!c || (!tok && len))
		return EINVAL;

	err = jws_decode(&j, tok, len, NULL, diag);
	if (err)
		memset(&j, 0, sizeof(j));

	*c = j.c;
	if (kid)
		memcpy(kid, j.kid, sizeof(j.kid));

	return err;
}


/* ---- the signature: R || S outside, DER inside OpenSSL ---- */

static int sig_check(const struct token_key *k, const char *tbs, size_t n,
		     const uint8_t sig[TOK_SIG_LEN], struct mcx_diag *diag)
{
	unsigned char der[80], *p = der;
	EVP_MD_CTX *md = NULL;
	ECDSA_SIG *es;
	BIGNUM *r, *s;
	int derlen, ok, err = 0;

	ERR_clear_error();	/* what is in it after this is ours */
	es = ECDSA_SIG_new();
	r = BN_bin2bn(sig, TOK_COORD_LEN, NULL);
	s = BN_bin2bn(sig + TOK_COORD_LEN, TOK_COORD_LEN, NULL);
	if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s)) {
		BN_free(r);
		BN_free(s);
		goto oom;
	}

	/* at most 2 + 2 * (2 + 33) octets: fits */
	derlen = i2d_ECDSA_SIG(es, &p);
	md = EVP_MD_CTX_new();
	if (derlen <= 0 || !md)
		goto oom;
	/* used once: no copy of the context at the end (a copy that fails
	 * for want of memory reads as a bad signature in OpenSSL 3.0) */
	EVP_MD_CTX_set_flags(md, EVP_MD_CTX_FLAG_FINALISE);
	if (EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, k->pkey) != 1)
		goto oom;

	/* 1 valid; 0 not, or an allocation failed inside (seen with
	 * OpenSSL 3.0); below 0 another error. Anything but 1 refuses. */
	ok = EVP_DigestVerify(md, der, (size_t)derlen, (const uint8_t *)tbs,
			      n);
	if (ok != 1)
		err = tok_ssl_oom() ? ENOMEM :
			mcx_diag_set(diag, EACCES, "token signature invalid");

 out:
	(void)tok_ssl_oom();	/* empty the error queue */
	EVP_MD_CTX_free(md);
	ECDSA_SIG_free(es);

	return err;

 oom:
	err = ENOMEM;
	goto out;
}


static int sig_make(uint8_t sig[TOK_SIG_LEN], const struct token_key *k,
		    const uint8_t *tbs, size_t n)
{
	unsigned char der[80];
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	size_t derlen = sizeof(der);
	ECDSA_SIG *es = NULL;
	EVP_MD_CTX *md;
	int err = 0;

	md = EVP_MD_CTX_new();
	if (md)
		EVP_MD_CTX_set_flags(md, EVP_MD_CTX_FLAG_FINALISE);
	if (!md ||
	    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k->pkey) != 1 ||
	    EVP_DigestSign(md, der, &derlen, tbs, n) != 1 ||
	    !(es = d2i_ECDSA_SIG(NULL, &p, (long)derlen))) {
		err = ENOMEM;
		goto out;
	}

	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, sig, TOK_COORD_LEN) != TOK_COORD_LEN ||
	    BN_bn2binpad(s, sig + TOK_COORD_LEN, TOK_COORD_LEN) !=
	    TOK_COORD_LEN)
		err = ENOMEM;

 out:
	(void)tok_ssl_oom();
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(md);

	return err;
}


/* ---- verifying ---- */

/**
 * Verify a token: its structure, its key id and signature against pub,
 * its dates against now (TOKEN_SKEW seconds of clock skew allowed), and
 * its audience. "exp" is required.
 *
 * @param c        Where the claims go (zeroed on failure; may be NULL)
 * @param pub      Key of the issuer (its public part is used)
 * @param tok      Token text
 * @param len      Its length
 * @param now      Current time, seconds since the epoch
 * @param audience Required "aud" (an "aud" array must contain it; not
 *                 ""), or NULL not to check
 * @param diag     Reason on failure
 *
 * @return 0; EBADMSG or EMSGSIZE (malformed); EACCES (refused: see
 *         mcx/token.h for the reasons); EINVAL or ENOMEM
 */
int token_verify(struct token_claims *c, const struct token_key *pub,
		 const char *tok, size_t len, int64_t now,
		 const char *audience, struct mcx_diag *diag)
{
	struct jws j;
	int err;

	if (c)
		memset(c, 0, sizeof(*c));
	if (!pub || (!tok && len) || now < 0 || now > TOKEN_DATE_MAX ||
	    (audience && !*audience))
		return EINVAL;

	err = jws_decode(&j, tok, len, audience, diag);
	if (err)
		return err;

	if (j.has_kid && strcmp(j.kid, pub->kid))
		return mcx_diag_set(diag, EACCES, "token signed with another "
				    "key");

	err = sig_check(pub, tok, j.tbs_len, j.sig, diag);
	if (err)
		return err;

	/* RFC 7519 4.1.4, 4.1.5, 4.1.6 */
	if (!j.c.exp)
		return mcx_diag_set(diag, EACCES, "token without expiry");
	if (j.c.exp <= now - TOKEN_SKEW)
		return mcx_diag_set(diag, EACCES, "token expired");
	if (j.c.nbf > now + TOKEN_SKEW)
		return mcx_diag_set(diag, EACCES, "token not yet valid");
	if (j.c.iat > now + TOKEN_SKEW)
		return mcx_diag_set(diag, EACCES, "token not yet valid "
				    "(issued in the future)");

	/* RFC 7519 4.1.3 */
	if (audience && strcmp(j.c.aud, audience))
		return mcx_diag_set(diag, EACCES, "token for another "
				    "audience (aud %s)",
				    j.c.aud[0] ? j.c.aud : "missing");

	if (c)
		*c = j.c;

	return 0;
}


/* ---- writing ---- */

/* Strings NUL-terminated in their fields and UTF-8; dates in range */
static bool claims_ok(const struct token_claims *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(claimv); i++) {
		const struct claim *cl = &claimv[i];

		if (cl->type == CL_DATE) {
			int64_t d = cdate_at(c, cl);

			if (d < 0 || d > TOKEN_DATE_MAX)
				return false;
		}
		else {
			const char *s = cstr_at(c, cl);
			const char *nul = memchr(s, '\0', cl->size);

			if (!nul || !mcx_utf8_valid((const uint8_t *)s,
						    (size_t)(nul - s)))
				return false;
		}
	}

	return c->exp > 0;
}


static int header_encode(struct mbuf *mb, const struct token_key *k)
{
	return mbuf_printf(mb, "{\"alg\":\"" ALG "\",\"typ\":\"JWT\","
			   "\"kid\":\"%s\"}", k->kid);
}


/* The claims as one JSON object, table order, absent ones left out */
static int payload_encode(struct mbuf *mb, const struct token_claims *c)
{
	const char *sep = "";
	int err = mbuf_write_u8(mb, '{');

	for (size_t i = 0; i < ARRAY_SIZE(claimv) && !err; i++) {
		const struct claim *cl = &claimv[i];

		if (cl->type == CL_DATE) {
			int64_t d = cdate_at(c, cl);

			if (d)
				err = mbuf_printf(mb, "%s\"%s\":%lld", sep,
						  cl->name, (long long)d);
		}
		else if (*cstr_at(c, cl)) {
			err = mbuf_printf(mb, "%s\"%s\":", sep, cl->name);
			if (!err)
				err = tjson_write_str(mb, cstr_at(c, cl));
		}
		else {
			continue;
		}
		sep = ",";
	}

	return err ? err : mbuf_write_u8(mb, '}');
}


/**
 * Sign claims: write the token (compact JWS) at the position of out
 *
 * @param out Where the token goes; on failure its position and end are
 *            put back
 * @param k   Key holding its private part
 * @param c   Claims: strings UTF-8 without NUL within their fields,
 *            dates 0..TOKEN_DATE_MAX, exp set (non-zero)
 *
 * @return 0, EINVAL, EMSGSIZE (longer than TOKEN_MAX) or ENOMEM
 */
int token_sign(struct mbuf *out, const struct token_key *k,
	       const struct token_claims *c)
{
	uint8_t sig[TOK_SIG_LEN];
	struct mbuf *json = NULL;
	size_t start, end;
	int err;

	if (!out || !k || !k->priv || !c || !claims_ok(c))
		return EINVAL;

	start = out->pos;
	end = out->end;

	json = mbuf_alloc(1024);
	if (!json)
		return ENOMEM;

	err = header_encode(json, k);
	if (!err)
		err = b64url_encode_mb(out, json->buf, json->end);
	if (!err)
		err = mbuf_write_u8(out, '.');
	if (err)
		goto out;

	mbuf_rewind(json);
	err = payload_encode(json, c);
	if (!err)
		err = b64url_encode_mb(out, json->buf, json->end);
	if (err)
		goto out;

	if (out->pos - start + 1 + B64URL_LEN(TOK_SIG_LEN) > TOKEN_MAX) {
		err = EMSGSIZE;
		goto out;
	}

	err = sig_make(sig, k, out->buf + start, out->pos - start);
	if (!err)
		err = mbuf_write_u8(out, '.');
	if (!err)
		err = b64url_encode_mb(out, sig, sizeof(sig));

 out:
	if (err) {
		out->pos = start;
		out->end = end;
	}
	mem_deref(json);

	return err;
}


/* A string in double quotes, quote, backslash and controls escaped as in
 * JSON: a claim read from a token must not break a log line */
static int str_print(struct re_printf *pf, const char *s)
{
	int err = pf->vph("\"", 1, pf->arg);

	while (*s && !err) {
		size_t n = 0;

		while (s[n] && s[n] != '"' && s[n] != '\\' &&
		       (uint8_t)s[n] >= 0x20 && s[n] != 0x7f)
			++n;
		if (n) {
			err = pf->vph(s, n, pf->arg);
			s += n;
		}
		else {
			err = *s == '"' || *s == '\\' ?
				re_hprintf(pf, "\\%c", *s) :
				re_hprintf(pf, "\\u%04x", (uint8_t)*s);
			++s;
		}
	}

	return err ? err : pf->vph("\"", 1, pf->arg);
}


/**
 * Print claims on one line, for logs: name=value, absent ones left out;
 * strings quoted, with '"', '\\' and control characters escaped
 */
int token_claims_print(struct re_printf *pf, const struct token_claims *c)
{
	const char *sep = "";
	int err = 0;

	if (!c)
		return 0;

	for (size_t i = 0; i < ARRAY_SIZE(claimv) && !err; i++) {
		const struct claim *cl = &claimv[i];

		if (cl->type == CL_DATE) {
			int64_t d = cdate_at(c, cl);

			if (d)
				err = re_hprintf(pf, "%s%s=%lld", sep,
						 cl->name, (long long)d);
			else
				continue;
		}
		else if (*cstr_at(c, cl)) {
			err = re_hprintf(pf, "%s%s=", sep, cl->name);
			if (!err)
				err = str_print(pf, cstr_at(c, cl));
		}
		else {
			continue;
		}
		sep = " ";
	}

	return err;
}
