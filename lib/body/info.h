/**
 * @file info.h  Table-driven codec for the MC service info bodies (private)
 *
 * A row names one element and where its value lives in struct mcx_info; a
 * descriptor holds a service's namespace, element names and two tables:
 * the children of <*-Params> in schema order, and the 3GPP elements meant
 * for <anyExt>. Decode, encode, print and free all walk the same rows.
 */
#ifndef MCX_BODY_INFO_H
#define MCX_BODY_INFO_H

#include <stdbool.h>
#include <stddef.h>

enum info_kind {
	IK_CONTENT,		/* contentType                              */
	IK_CONTENT_TEXT,	/* contentType, or plain text (older schema)  */
	IK_STRING,		/* xs:string                                */
	IK_BOOL,		/* xs:boolean                               */
	IK_ENUM,		/* enumerated xs:string                     */
	IK_PROFILE_INDEX,	/* selected-user-profile-index              */
};

struct info_row {
	const char *name;	/* local name in the service namespace      */
	enum info_kind kind;
	size_t off;		/* offsetof(struct mcx_info, field)          */
	size_t maxlen;		/* longest text accepted                     */
	const char *const *values; /* IK_ENUM: NULL-terminated list         */
};

struct info_desc {
	const char *mime;
	const char *ns;
	const char *root;	/* "mcpttinfo"                               */
	const char *params;	/* "mcptt-Params"                            */
	const char *w_uri;	/* "mcpttURI"                                */
	const char *w_str;	/* "mcpttString"                             */
	const char *w_bool;	/* "mcpttBoolean"                            */
	bool params_required;	/* schema: minOccurs 1                       */
	bool ext_in_params;	/* emit <anyExt> inside <*-Params>           */
	const struct info_row *prm;
	size_t nprm;
	const struct info_row *ext;
	size_t next;
};

extern const struct info_desc info_mcptt_desc;
extern const struct info_desc info_mcvideo_desc;
extern const struct info_desc info_mcdata_desc;

enum {
	INFO_URI_MAX = 512,	/* an MC service ID, group ID, URL          */
	INFO_STR_MAX = 256,	/* session-type, mc-org, client id ...       */
	INFO_TOKEN_MAX = 8192,	/* an access token (a signed JWT)            */
};

#define INFO_ROW(n, k, f, m) { n, k, offsetof(struct mcx_info, f), m, NULL }
#define INFO_ENUM(n, f, v) { n, IK_ENUM, offsetof(struct mcx_info, f), \
			     INFO_STR_MAX, v }

#endif
