/**
 * @file mcx/rlist.h  resource-lists bodies (RFC 4826, copyControl RFC 5364)
 *
 * An MCPTT private-call INVITE names the called user in an
 * application/resource-lists+xml body sent with Content-Disposition:
 * recipient-list (RFC 5366; TS 24.379 11.1.1.2.1.1, Annex H.3):
 *
 *   <resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"
 *                   xmlns:cp="urn:ietf:params:xml:ns:copycontrol">
 *     <list>
 *       <entry uri="sip:bob@a.mcx.test" cp:copyControl="to"/>
 *     </list>
 *   </resource-lists>
 *
 * Decoding flattens the entries of every <list>, nested ones included, in
 * document order. <external> and <entry-ref> point to lists elsewhere; we
 * cannot resolve them, so they are refused rather than dropped. A document
 * without entries is valid: whether that is acceptable is the caller's
 * decision. Encoding writes one <list> and always states copyControl.
 */
#ifndef MCX_RLIST_H
#define MCX_RLIST_H

#include <stddef.h>
#include <stdint.h>
#include <re.h>

struct mcx_diag;

#define MCX_RLIST_MIME "application/resource-lists+xml"
#define MCX_RLIST_NS   "urn:ietf:params:xml:ns:resource-lists"
#define MCX_RLIST_CP_NS "urn:ietf:params:xml:ns:copycontrol"  /**< RFC 5364 */

enum {
	RLIST_MAX_ENTRIES = 64,		/**< Entries per document, all lists */
	RLIST_URI_MAX     = 512,	/**< An entry's uri, bytes           */
	RLIST_NAME_MAX    = 256,	/**< An entry's display-name, bytes  */
	RLIST_MAX_SIZE    = 65536,	/**< Largest document, bytes         */
};

/** RFC 5364 copyControl: how the recipient is addressed */
enum rlist_copy {
	RLIST_COPY_TO = 0,	/**< "to" (also when the attribute is absent) */
	RLIST_COPY_CC,		/**< "cc"                                     */
	RLIST_COPY_BCC,		/**< "bcc"                                    */
};

/** One <entry> */
struct rlist_entry {
	struct le le;		/**< Member of rlist.entries              */
	char *uri;		/**< uri attribute                        */
	char *display_name;	/**< <display-name> text, or NULL         */
	enum rlist_copy copy;	/**< copyControl                          */
};

/** A resource-lists document, its lists flattened */
struct rlist {
	struct list entries;	/**< struct rlist_entry, document order   */
};

int  rlist_alloc(struct rlist **rlp);
int  rlist_add(struct rlist *rl, const char *uri, enum rlist_copy copy);
int  rlist_decode(struct rlist **rlp, const uint8_t *buf, size_t len,
		  struct mcx_diag *diag);
int  rlist_encode(struct mbuf *mb, const struct rlist *rl);
int  rlist_print(struct re_printf *pf, const struct rlist *rl);
unsigned rlist_count(const struct rlist *rl);
const char *rlist_first_uri(const struct rlist *rl);
const char *rlist_copy_name(enum rlist_copy copy);

#endif
