/**
 * @file mcx/multipart.h  multipart/mixed SIP bodies (RFC 2046 5.1, RFC 5621)
 *
 * MC requests carry several bodies at once (SDP + mcptt-info +
 * resource-lists; MCData signalling + payload as raw binary). A decoded
 * multipart owns copies of its parts; an encoded one picks a boundary that
 * occurs in none of its parts.
 *
 * Decoding: parts in order, each with its Content-Type (default
 * "text/plain"), Content-Disposition and Content-ID if present, and its
 * body. Content-Transfer-Encoding 7bit, 8bit, binary and base64 (decoded
 * here) are accepted; others are refused. The preamble and epilogue are
 * ignored, as RFC 2046 says.
 *
 * Errors: ENODATA when the closing boundary never comes (cut short), EBADMSG
 * for bad syntax, EMSGSIZE past MCX_MULTIPART_MAX_PARTS or _MAX_SIZE.
 */
#ifndef MCX_MULTIPART_H
#define MCX_MULTIPART_H

#include <stddef.h>
#include <stdint.h>
#include <re.h>

struct mcx_diag;

enum {
	MCX_MULTIPART_MAX_PARTS = 16,	   /**< Parts per body              */
	MCX_MULTIPART_MAX_SIZE  = 262144,  /**< Whole body, bytes           */
	MCX_MULTIPART_MAX_HDR   = 1024,	   /**< One part header line, bytes */
	MCX_MULTIPART_MAX_BOUNDARY = 70,   /**< RFC 2046 limit              */
};

/** One body part */
struct mpart {
	struct le le;		/**< Member of multipart.parts            */
	char *ctype;		/**< Content-Type value (with params)     */
	char *disp;		/**< Content-Disposition value, or NULL   */
	char *cid;		/**< Content-ID value, or NULL            */
	uint8_t *data;		/**< Body bytes (NUL after them, not counted) */
	size_t len;		/**< Body length                          */
};

/** A multipart body */
struct multipart {
	struct list parts;	/**< struct mpart, in order               */
	char boundary[MCX_MULTIPART_MAX_BOUNDARY + 1]; /**< set by codec  */
};

int  multipart_alloc(struct multipart **mpp);
int  multipart_add(struct multipart *mp, const char *ctype, const char *disp,
		   const void *data, size_t len);
int  multipart_decode(struct multipart **mpp, const struct pl *ctype,
		      const uint8_t *buf, size_t len, struct mcx_diag *diag);
int  multipart_encode(struct mbuf *mb, struct multipart *mp);
int  multipart_ctype_print(struct re_printf *pf, const struct multipart *mp);
int  multipart_print(struct re_printf *pf, const struct multipart *mp);
const struct mpart *multipart_find(const struct multipart *mp,
				   const char *mime);
unsigned multipart_count(const struct multipart *mp);

#endif
