/**
 * @file fuzz_token.c  Access tokens: token_parse() and token_verify()
 *
 * Input: a token. An input that starts with '{' (never a token: "{" is
 * not base64url) is a payload instead, sent through the JSON reader
 * directly: it is wrapped into a token with an ES256 header and a
 * signature of zeros, and, as a header, with a small payload.
 *
 * The fixed key is the one of RFC 7515 A.3 (tests/data/token/), so that
 * the A.3 example and the seeds signed with it reach the end of
 * token_verify(). What must hold:
 *
 *  - parse and verify never crash and return only their documented codes;
 *    a structural refusal is the same from both
 *  - verify accepts only what parse accepts, with the same claims (the
 *    fuzzer cannot show that it accepts nothing the key did not sign;
 *    this is the part it can check)
 *  - claims that parse sign again (unless too long, or without "exp"),
 *    and that token parses to the same claims and verifies
 */
#include <re.h>
#include <mcx/diag.h>
#include <mcx/token.h>
#include "fuzz.h"

/* RFC 7515 A.3.1's key: public test data, not a secret */
static const char a3_pem[] =
	"-----BEGIN EC PRIVATE KEY-----\n"
	"MHcCAQEEII6bEJ5xkJi/mASH3x9dd+nLKWBuvtImO19XwhPfhPSyoAoGCCqGSM49\n"
	"AwEHoUQDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEXH8UTNG72b\n"
	"focs3+257rn0s2ldbqkLJK2KRiMohYjlrQ==\n"
	"-----END EC PRIVATE KEY-----\n";

#define NOW INT64_C(1735689600)

static struct token_key *fixed_key(void)
{
	static struct token_key *k;	/* once, for the whole run */

	if (!k)
		FUZZ_CHECK(0 == token_key_load_pem(&k, a3_pem,
						   sizeof(a3_pem) - 1, NULL));

	return k;
}

static bool same(const struct token_claims *a, const struct token_claims *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static bool zero(const struct token_claims *c)
{
	static const struct token_claims z;

	return same(c, &z);
}

/* A time at which c's dates all hold, if there is one */
static bool valid_at(const struct token_claims *c, int64_t *now)
{
	if (!c->exp)
		return false;

	*now = c->exp - 1;

	return c->nbf <= *now + TOKEN_SKEW && c->iat <= *now + TOKEN_SKEW;
}

static void check_verify(const struct token_key *k, const char *tok,
			 size_t len, int perr, const struct token_claims *pc)
{
	struct token_claims vc;
	struct mcx_diag d = { "" };
	int64_t now;
	int err;

	err = token_verify(&vc, k, tok, len, NOW, NULL, &d);
	FUZZ_CHECK(!err || err == EBADMSG || err == EMSGSIZE ||
		   err == EACCES);
	if (perr)
		FUZZ_CHECK(err == perr);
	if (err)
		FUZZ_CHECK(zero(&vc));
	else
		FUZZ_CHECK(!perr && same(pc, &vc));

	if (perr || !valid_at(pc, &now))
		return;

	/* where the dates hold: only the key id and signature decide */
	err = token_verify(&vc, k, tok, len, now, pc->aud[0] ? pc->aud : NULL,
			   &d);
	FUZZ_CHECK(!err || err == EACCES);
	if (!err)
		FUZZ_CHECK(same(pc, &vc));
}

/* Sign what parsed: it must come back the same and verify */
static void check_resign(const struct token_key *k,
			 const struct token_claims *pc)
{
	struct mbuf *mb = mbuf_alloc(1024);
	struct token_claims c2;
	char kid[TOKEN_KID_LEN + 1], kid2[TOKEN_KID_LEN + 1];
	struct mcx_diag d = { "" };
	int64_t now;
	int err;

	FUZZ_CHECK(mb);
	err = token_sign(mb, k, pc);
	if (!pc->exp)
		FUZZ_CHECK(err == EINVAL);
	else
		FUZZ_CHECK(!err || err == EMSGSIZE);
	if (err)
		goto out;

	FUZZ_CHECK(mb->end <= TOKEN_MAX);
	FUZZ_CHECK(0 == token_parse(&c2, kid, (char *)mb->buf, mb->end, &d));
	FUZZ_CHECK(same(pc, &c2));
	FUZZ_CHECK(0 == token_key_id(k, kid2));
	FUZZ_CHECK(!strcmp(kid, kid2));

	err = token_verify(&c2, k, (char *)mb->buf, mb->end,
			   valid_at(pc, &now) ? now : NOW,
			   pc->aud[0] ? pc->aud : NULL, &d);
	if (valid_at(pc, &now))
		FUZZ_CHECK(!err && same(pc, &c2));
	else
		FUZZ_CHECK(err == EACCES);

 out:
	mem_deref(mb);
}

static void one_token(const char *tok, size_t len)
{
	const struct token_key *k = fixed_key();
	struct token_claims pc;
	struct mcx_diag d = { "" };
	char kid[TOKEN_KID_LEN + 1];
	char line[4096];
	int perr;

	perr = token_parse(&pc, kid, tok, len, &d);
	FUZZ_CHECK(!perr || perr == EBADMSG || perr == EMSGSIZE);
	if (perr) {
		FUZZ_CHECK(zero(&pc) && !kid[0] && d.reason[0]);
	}
	else {
		FUZZ_CHECK(strlen(kid) <= TOKEN_KID_LEN);
		(void)re_snprintf(line, sizeof(line), "%H",
				  token_claims_print, &pc);
	}

	check_verify(k, tok, len, perr, &pc);
	if (!perr)
		check_resign(k, &pc);
}

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* base64url, no padding, at the end of mb */
static void b64_put(struct mbuf *mb, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t k = n - i < 3 ? n - i : 3;

		if (k > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (k > 2)
			v |= p[i + 2];
		for (size_t j = 0; j <= k; j++)
			FUZZ_CHECK(0 == mbuf_write_u8(mb,
				(uint8_t)b64[v >> (18 - 6 * j) & 0x3f]));
	}
}

static void wrapped(const char *hdr, size_t hlen, const char *pl,
		    size_t plen)
{
	static const uint8_t sig[64];
	struct mbuf *mb = mbuf_alloc(2 * (hlen + plen) + 128);

	FUZZ_CHECK(mb);
	b64_put(mb, (const uint8_t *)hdr, hlen);
	FUZZ_CHECK(0 == mbuf_write_u8(mb, '.'));
	b64_put(mb, (const uint8_t *)pl, plen);
	FUZZ_CHECK(0 == mbuf_write_u8(mb, '.'));
	b64_put(mb, sig, sizeof(sig));

	one_token((const char *)mb->buf, mb->end);
	mem_deref(mb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char hdr[] = "{\"alg\":\"ES256\"}";
	static const char pl[] = "{\"exp\":1735693200}";

	if (size > 2 * TOKEN_MAX)
		return 0;

	if (size && data[0] == '{') {
		wrapped(hdr, sizeof(hdr) - 1, (const char *)data, size);
		wrapped((const char *)data, size, pl, sizeof(pl) - 1);
		return 0;
	}

	one_token((const char *)data, size);

	return 0;
}
