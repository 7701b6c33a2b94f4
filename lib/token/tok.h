/**
 * @file tok.h  Private to lib/token: the key object, base64url, JSON
 */
#ifndef MCX_TOK_H
#define MCX_TOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>
#include <mcx/token.h>

struct mbuf;
struct mcx_diag;

enum {
	TOK_COORD_LEN = 32,			/**< P-256 coordinate  */
	TOK_SIG_LEN   = 2 * TOK_COORD_LEN,	/**< R || S            */
	TOK_RAW_MAX   = TOKEN_MAX / 4 * 3,	/**< Decoded part max  */
};

/* ---- key.c ---- */

/** An ES256 key (see token_key_generate()) */
struct token_key {
	EVP_PKEY *pkey;			/**< P-256, public or pair      */
	bool priv;			/**< Holds the private part     */
	char x[TOKEN_KID_LEN + 1];	/**< base64url X coordinate     */
	char y[TOKEN_KID_LEN + 1];	/**< base64url Y coordinate     */
	char kid[TOKEN_KID_LEN + 1];	/**< RFC 7638 thumbprint        */
};

bool tok_ssl_oom(void);

/* ---- b64url.c: RFC 4648 5, no padding ---- */

/** Characters of the base64url encoding of n octets, without padding */
#define B64URL_LEN(n) ((n) / 3 * 4 + ((n) % 3 ? (n) % 3 + 1 : 0))

size_t b64url_encode(char *dst, const uint8_t *src, size_t n);
int    b64url_encode_mb(struct mbuf *mb, const uint8_t *src, size_t n);
int    b64url_decode(uint8_t *dst, size_t *dlen, const char *src,
		     size_t n);

/* ---- json.c: a strict, bounded JSON reader over one decoded part ---- */

/** Where the reader is, and what for the reasons it gives */
struct tjson {
	const char *start;		/**< First octet of the text    */
	const char *p;			/**< Next octet                 */
	const char *end;		/**< One past the last octet    */
	const char *part;		/**< "header" or "payload"      */
	struct mcx_diag *diag;		/**< Reason on failure          */
};

/** A member name as it stands between its quotes (escapes kept) */
struct tjson_key {
	const char *p;
	size_t n;
};

/** Reads one member's value; js is at its first octet */
typedef int (tjson_member_h)(struct tjson *js, const struct tjson_key *key,
			     void *arg);
/** Reads one array element; js is at its first octet */
typedef int (tjson_elem_h)(struct tjson *js, size_t idx, void *arg);

void tjson_init(struct tjson *js, const uint8_t *buf, size_t len,
		const char *part, struct mcx_diag *diag);
int  tjson_object(struct tjson *js, tjson_member_h *mh, void *arg);
int  tjson_array(struct tjson *js, const char *name, size_t max,
		 tjson_elem_h *eh, void *arg);
bool tjson_key_is(const struct tjson_key *key, const char *name);
bool tjson_is(const struct tjson *js, char c);
int  tjson_string(struct tjson *js, const char *name, char *dst,
		  size_t size);
int  tjson_date(struct tjson *js, const char *name, int64_t *v);
int  tjson_skip(struct tjson *js);
int  tjson_write_str(struct mbuf *mb, const char *s);

#endif
