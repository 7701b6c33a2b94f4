/**
 * @file mcx/mime.h  Media types and dispositions with parameters
 *
 *   Content-Type:        type "/" subtype *( ";" name "=" value )  RFC 2045
 *   Content-Disposition: type *( ";" name [ "=" value ] )          RFC 2183
 *
 * Decoding is zero-copy: the slices point into the caller's string, which
 * must outlive them. Names compare case-insensitively, as the RFCs say.
 */
#ifndef MCX_MIME_H
#define MCX_MIME_H

#include <stdbool.h>
#include <re.h>

struct mcx_diag;

enum { MCX_MIME_MAX_PARAMS = 16 };	/**< Parameters accepted per header */

/** A decoded media type or disposition */
struct mcx_ctype {
	struct pl type;		/**< "application", or the disposition type */
	struct pl subtype;	/**< "sdp"; empty for a disposition         */
	struct pl params;	/**< Everything after the first ';'          */
};

int  mcx_ctype_decode(struct mcx_ctype *ct, const struct pl *pl,
		      struct mcx_diag *diag);
int  mcx_disp_decode(struct mcx_ctype *disp, const struct pl *pl,
		     struct mcx_diag *diag);
bool mcx_ctype_is(const struct mcx_ctype *ct, const char *mime);
int  mcx_param_get(const struct pl *params, const char *name,
		   struct pl *val);

#endif
