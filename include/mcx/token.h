/**
 * @file mcx/token.h  Access tokens: JSON Web Tokens signed with ES256
 *
 * The IdMS issues access tokens (TS 33.180 B.2.2, B.4) that MC servers,
 * and partner systems holding only its public key (TS 33.180 B.7, B.8),
 * verify before serving a request:
 *
 *   BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature)
 *
 *   header     {"alg":"ES256","typ":"JWT","kid":"<RFC 7638 thumbprint>"}
 *   payload    the claims below, a JSON object (RFC 7519 4)
 *   signature  ECDSA P-256 over SHA-256 of the two first parts, as the
 *              64 octets R || S (RFC 7518 3.4), not DER
 *
 * base64url is RFC 4648 5 without padding, read strictly: no padding, no
 * white space, no set bits after the last full octet. JSON is read by a
 * small strict decoder of our own (RFC 8259 text, UTF-8 only, bounded in
 * size, depth and member count; duplicate member names at the top level
 * are malformed, RFC 7515 4 and RFC 7519 4).
 *
 * Only "ES256" is accepted; "none", the HMAC algorithms and all others
 * are refused before anything else is looked at (RFC 8725 3.1). A header
 * with "crit" is refused (we understand no extension, RFC 7515 4.1.11).
 * "jku", "jwk", "x5u", "x5c" are ignored: the key always comes from the
 * caller, never from the token. "typ" must be a string when present; its
 * value is not checked.
 *
 * Claims: each string claim is one fixed-size field, "" when absent; the
 * dates are NumericDate (seconds since the epoch) in 0..TOKEN_DATE_MAX,
 * 0 when absent. A fraction is cut off; an exponent ("1.7e9") or a
 * negative date is malformed. Unknown claims are ignored. "aud" may be a
 * string or a non-empty array of strings (RFC 7519 4.1.3): the claims hold
 * the expected audience when the array contains it (token_verify() with
 * an audience), otherwise its first entry.
 *
 * Return codes follow mcx/diag.h. A token arrives whole, so a cut token is
 * malformed (EBADMSG), never incomplete. Verification refuses with EACCES
 * and one of these reasons (for a SIP Warning or an HTTP reason phrase):
 *
 *   token signature invalid
 *   token signed with another key
 *   token expired
 *   token not yet valid
 *   token without expiry
 *   token for another audience (aud ...)
 *
 * The codec reads no clock: the caller passes the time.
 *
 * A token's text is not unique: ECDSA signatures are malleable ((R, n-S)
 * verifies as well as (R, S); RFC 7518 does not ask for low S). Detect
 * replays by "jti", never by the token text.
 */
#ifndef MCX_TOKEN_H
#define MCX_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mbuf;
struct re_printf;
struct mcx_diag;

enum {
	TOKEN_MAX         = 8192,	/**< Longest token, octets       */
	TOKEN_SKEW        = 30,		/**< Allowed clock skew, seconds */
	TOKEN_STR_MAX     = 255,	/**< Longest string claim        */
	TOKEN_SCOPE_MAX   = 1023,	/**< Longest "scope"             */
	TOKEN_KID_LEN     = 43,		/**< base64url of a SHA-256      */
	TOKEN_AUD_MAX     = 16,		/**< Entries of an "aud" array   */
	TOKEN_MEMBERS_MAX = 64,		/**< Members of header, payload  */
	TOKEN_DEPTH_MAX   = 16,		/**< JSON nesting                */
	TOKEN_PEM_MAX     = 16384,	/**< Longest PEM key file        */
};

/** Latest NumericDate accepted: 9999-12-31T23:59:59Z */
#define TOKEN_DATE_MAX INT64_C(253402300799)

/** An ES256 key: a P-256 key pair, or only its public part */
struct token_key;

/**
 * The claims we read and write (RFC 7519 4.1; TS 33.180 B.2.1.3 and
 * B.2.2.3 for the MC service IDs). Strings are UTF-8 without NUL. The
 * decoders leave every octet after a string's NUL zero, so that claims
 * compare with memcmp().
 */
struct token_claims {
	char iss[TOKEN_STR_MAX + 1];		/**< Issuer: the IdMS     */
	char sub[TOKEN_STR_MAX + 1];		/**< Subject              */
	char aud[TOKEN_STR_MAX + 1];		/**< One audience         */
	char scope[TOKEN_SCOPE_MAX + 1];	/**< Space-separated      */
	char mcptt_id[TOKEN_STR_MAX + 1];	/**< MCPTT ID             */
	char mcvideo_id[TOKEN_STR_MAX + 1];	/**< MCVideo ID           */
	char mcdata_id[TOKEN_STR_MAX + 1];	/**< MCData ID            */
	char client_id[TOKEN_STR_MAX + 1];	/**< OAuth client         */
	char jti[TOKEN_STR_MAX + 1];		/**< Token id             */
	int64_t iat;				/**< Issued at, 0 absent  */
	int64_t nbf;				/**< Not before, 0 absent */
	int64_t exp;				/**< Expires; required    */
};

int  token_key_generate(struct token_key **kp);
int  token_key_load_pem(struct token_key **kp, const char *pem, size_t len,
			struct mcx_diag *diag);
int  token_key_load_file(struct token_key **kp, const char *path,
			 struct mcx_diag *diag);
int  token_key_pem(struct mbuf *mb, const struct token_key *k,
		   bool private_part);
int  token_key_save_file(const struct token_key *k, const char *path,
			 bool private_part);
bool token_key_has_private(const struct token_key *k);
int  token_key_id(const struct token_key *k, char kid[TOKEN_KID_LEN + 1]);
int  token_key_jwk_print(struct re_printf *pf, const struct token_key *k);

int  token_sign(struct mbuf *out, const struct token_key *k,
		const struct token_claims *c);
int  token_parse(struct token_claims *c, char kid[TOKEN_KID_LEN + 1],
		 const char *tok, size_t len, struct mcx_diag *diag);
int  token_verify(struct token_claims *c, const struct token_key *pub,
		  const char *tok, size_t len, int64_t now,
		  const char *audience, struct mcx_diag *diag);
int  token_claims_print(struct re_printf *pf, const struct token_claims *c);

#endif
