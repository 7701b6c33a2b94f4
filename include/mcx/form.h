/**
 * @file mcx/form.h  Percent-decoding and application/x-www-form-urlencoded
 *
 * The IdMS token endpoint receives form bodies (RFC 6749 4.3.2, 6; the
 * media type of the HTML/URL standards):
 *
 *   grant_type=password&username=alice&password=s%40cret&client_id=mcx
 *
 * and the CMS decodes percent-encoded URL path segments (RFC 3986 2.1).
 * Nothing here allocates: the caller gives the output buffer.
 *
 * A server checks a body once with mcx_form_check(), which gives one
 * reason for the first thing wrong, then reads its fields with
 * mcx_form_get(). Reasons name offsets and parameter names, never values:
 * values carry passwords.
 */
#ifndef MCX_FORM_H
#define MCX_FORM_H

#include <stdbool.h>
#include <stddef.h>

struct mcx_diag;

#define MCX_FORM_MIME "application/x-www-form-urlencoded"

enum {
	FORM_MAX_SIZE  = 16384,	/**< Largest body, bytes                   */
	FORM_MAX_PAIRS = 32,	/**< name=value pairs per body             */
	FORM_NAME_MAX  = 64,	/**< A decoded name, bytes                 */
	FORM_VALUE_MAX = 4096,	/**< A decoded value, bytes (check)        */
};

int mcx_pct_decode(char *out, size_t outsz, const char *in, size_t len,
		   bool plus_is_space, struct mcx_diag *diag);
int mcx_form_get(const char *body, size_t len, const char *name, char *out,
		 size_t outsz, struct mcx_diag *diag);
int mcx_form_check(const char *body, size_t len, struct mcx_diag *diag);

#endif
