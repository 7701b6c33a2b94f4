/**
 * @file body.h  Pieces the body codecs share (private to libmcx)
 *
 * Our migration elements live inside 3GPP info bodies, so their node-level
 * codecs are called from info.c.
 */
#ifndef MCX_BODY_H
#define MCX_BODY_H

#include <libxml/tree.h>

struct mxw;
struct mcx_diag;
struct migr_release;
struct migr_cont;

int  migr_release_decode_node(struct migr_release **rp, const xmlNode *n,
			      struct mcx_diag *diag);
void migr_release_write(struct mxw *w, const struct migr_release *r);
int  migr_cont_decode_node(struct migr_cont **cp, const xmlNode *n,
			   struct mcx_diag *diag);
void migr_cont_write(struct mxw *w, const struct migr_cont *c);

#endif
