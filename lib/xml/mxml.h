/**
 * @file mxml.h  Namespace-aware, bounded XML over libxml2 (private to libmcx)
 *
 * Reading. mxml_parse() builds a libxml2 tree with safe options: no network,
 * no DTD (a DOCTYPE is refused outright, so no entity can be declared or
 * expanded), a size limit and a nesting limit. Elements are then matched by
 * namespace URI and local name, case-sensitively, never by prefix, walking
 * the expected path (mxml_child, mxml_next): no search anywhere in the tree.
 *
 * Writing. struct mxw appends a document to an mbuf with escaping done here
 * and only here. Its error is sticky: after the first failure every call is a
 * no-op and mxw_finish() returns that first error.
 *
 * Names: mxml_* and mxw_*, never xml*, which belongs to libxml2.
 */
#ifndef MCX_MXML_H
#define MCX_MXML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libxml/tree.h>

struct mbuf;
struct mcx_diag;

enum {
	MXML_MAX_SIZE  = 65536,	/**< Largest document parsed, bytes        */
	MXML_MAX_DEPTH = 32,	/**< Deepest element nesting accepted      */
	MXML_MAX_TEXT  = 8192,	/**< Longest text or attribute copied out  */
};

int  mxml_parse(xmlDoc **docp, const uint8_t *buf, size_t len, size_t maxsize,
		struct mcx_diag *diag);
int  mxml_root(xmlNode **rootp, xmlDoc *doc, const char *ns,
	       const char *name, struct mcx_diag *diag);
bool mxml_is(const xmlNode *n, const char *ns, const char *name);
bool mxml_in_ns(const xmlNode *n, const char *ns);
const char *mxml_ns(const xmlNode *n);
const char *mxml_name(const xmlNode *n);
xmlNode *mxml_first(const xmlNode *parent);
xmlNode *mxml_next(const xmlNode *n);
xmlNode *mxml_child(const xmlNode *parent, const char *ns, const char *name);
unsigned mxml_count(const xmlNode *parent, const char *ns, const char *name);
bool mxml_has_elem(const xmlNode *n);
int  mxml_text(char **strp, const xmlNode *n, size_t maxlen,
	       struct mcx_diag *diag);
int  mxml_attr(char **strp, const xmlNode *n, const char *ns,
	       const char *name, size_t maxlen, struct mcx_diag *diag);
int  mxml_uint(uint32_t *vp, const char *s, uint32_t max);
int  mxml_bool(bool *vp, const char *s);
bool mxml_token_ok(const char *s);

/** XML writer over an mbuf; see the file comment */
struct mxw {
	struct mbuf *mb;	/**< Where the document goes            */
	unsigned depth;		/**< Open elements                      */
	bool in_tag;		/**< A start tag awaits its '>'         */
	bool inline_text;	/**< The open element holds text only   */
	int err;		/**< First error; later calls do nothing */
};

void mxw_init(struct mxw *w, struct mbuf *mb);
void mxw_start(struct mxw *w, const char *name);
void mxw_attr(struct mxw *w, const char *name, const char *value);
void mxw_text(struct mxw *w, const char *text);
void mxw_end(struct mxw *w, const char *name);
void mxw_leaf(struct mxw *w, const char *name, const char *text);
int  mxw_finish(struct mxw *w);

#endif
