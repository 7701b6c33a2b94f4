/**
 * @file mcx/info.h  MC service info bodies: mcptt-info, mcvideo-info,
 *                   mcdata-info (TS 24.379 F.1, TS 24.281 F.1, TS 24.282 D.1)
 *
 * The three documents share their shape: a root (<mcpttinfo>), a params
 * element (<mcptt-Params>) whose children form an xs:sequence, extension
 * slots (xs:any ##other, <anyExt>) and a "contentType" wrapper element
 * (<mcpttURI>, <mcpttString>, <mcpttBoolean>). One struct holds any of them;
 * a table per service (info_mcptt.c ...) says which fields it has, in
 * schema order, and how each is typed.
 *
 * Decoding follows the receiver rules of docs/wire.md: any wrapper on any
 * contentType element; "type" optional; plain text where the older schema
 * had xs:string; extension elements under either <anyExt>; unknown
 * elements ignored; an element twice, a bad boolean, an unknown value of a
 * 3GPP enumeration or a missing value is malformed.
 *
 * Encoding emits fields in schema order with type="Normal", and the 3GPP
 * and mcx extension elements in the <anyExt> the service uses
 * (<mcptt-Params>/<anyExt>; <mcdatainfo>/<anyExt> for MCData).
 */
#ifndef MCX_INFO_H
#define MCX_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mbuf;
struct re_printf;
struct mcx_diag;
struct migr_release;
struct migr_cont;

/** MC services */
enum mcx_svc {
	MCX_SVC_MCPTT = 0,
	MCX_SVC_MCVIDEO,
	MCX_SVC_MCDATA,
};

#define MCX_MCPTT_INFO_MIME   "application/vnd.3gpp.mcptt-info+xml"
#define MCX_MCVIDEO_INFO_MIME "application/vnd.3gpp.mcvideo-info+xml"
#define MCX_MCDATA_INFO_MIME  "application/vnd.3gpp.mcdata-info+xml"
#define MCX_MCPTT_INFO_NS     "urn:3gpp:ns:mcpttInfo:1.0"
#define MCX_MCVIDEO_INFO_NS   "urn:3gpp:ns:mcvideoInfo:1.0"
#define MCX_MCDATA_INFO_NS    "urn:3gpp:ns:mcdataInfo:1.0"

enum { MCX_INFO_MAX_SIZE = 32768 };	/**< Largest info body, bytes */

/** Which child of a contentType element carried the value */
enum mcx_wrap {
	MCX_WRAP_NONE = 0,	/**< Element absent                       */
	MCX_WRAP_URI,		/**< <mcpttURI>                           */
	MCX_WRAP_STRING,	/**< <mcpttString>                        */
	MCX_WRAP_BOOLEAN,	/**< <mcpttBoolean>, value "true"/"false" */
	MCX_WRAP_TEXT,		/**< No wrapper: plain text (older xs:string
				     form of the element)                  */
	MCX_WRAP_OPAQUE,	/**< Encrypted or foreign child: no value  */
};

/** The "type" attribute of a contentType element */
enum mcx_prot {
	MCX_PROT_NONE = 0,	/**< Absent       */
	MCX_PROT_NORMAL,	/**< "Normal"     */
	MCX_PROT_ENCRYPTED,	/**< "Encrypted"  */
};

/** A contentType element; absent while .wrap is MCX_WRAP_NONE */
struct mcx_content {
	enum mcx_wrap wrap;
	enum mcx_prot prot;
	char *value;		/**< NULL for MCX_WRAP_OPAQUE */
};

/** An xs:boolean element */
enum mcx_bool {
	MCX_BOOL_ABSENT = 0,
	MCX_BOOL_FALSE,
	MCX_BOOL_TRUE,
};

/** An xs:nonNegativeInteger element */
struct mcx_uint {
	bool set;
	uint32_t v;
};

/**
 * An info body. Field comments name the element as in mcptt-info; the
 * service's own name (mcvideo-..., mcdata-...) is used on the wire. A
 * field a service does not have stays unset and is never encoded.
 */
struct mcx_info {
	enum mcx_svc svc;

	/* <*-Params>, schema order */
	struct mcx_content access_token;     /* mcptt-access-token        */
	char *session_type;                  /* session-type (MCPTT,MCVideo)*/
	char *data_request_type;             /* request-type (MCData)     */
	struct mcx_content request_uri;      /* mcptt-request-uri         */
	struct mcx_content calling_user_id;  /* mcptt-calling-user-id     */
	struct mcx_content called_party_id;  /* mcptt-called-party-id     */
	struct mcx_content calling_group_id; /* mcptt-calling-group-id    */
	struct mcx_content required;         /* required                  */
	struct mcx_content emergency_ind;    /* emergency-ind             */
	struct mcx_content alert_ind;        /* alert-ind                 */
	struct mcx_content imminentperil_ind;/* imminentperil-ind         */
	enum mcx_bool broadcast_ind;         /* broadcast-ind             */
	char *mc_org;                        /* mc-org                    */
	char *floor_state;                   /* floor-state (MCPTT)       */
	struct mcx_content associated_group_id; /* associated-group-id    */
	struct mcx_content originated_by;    /* originated-by             */
	struct mcx_content client_id;        /* mcptt-client-id           */
	struct mcx_content alert_ind_rcvd;   /* alert-ind-rcvd            */
	struct mcx_content multiple_devices_ind; /* (MCVideo: in Params)  */
	struct mcx_content video_pull_url;   /* video-pull-url (MCVideo)  */
	enum mcx_bool gw_usage;              /* gw-mcptt-usage            */

	/* 3GPP elements under <anyExt> */
	char *release_reason;                /* release-reason (enum)     */
	char *request_type;                  /* request-type (enum)       */
	char *response_type;                 /* response-type (enum)      */
	struct mcx_content req_type;         /* req-type                  */
	struct mcx_content resp_type;        /* resp-type                 */
	char *forwarding_reason;             /* forwarding-reason (enum)  */
	struct mcx_content partner_id;       /* partner-mcptt-id          */
	struct mcx_content primary_id;       /* primary-mcptt-id          */
	struct mcx_content migration_auth_result; /* migration-auth-result */
	struct mcx_uint selected_profile_index; /* selected-user-profile- */
					     /* index/user-profile-index  */

	/* ours, in urn:mcx:ns:migration:1.0 */
	struct migr_release *mig_release;    /* <migration-release>       */
	struct migr_cont *mig_cont;          /* <continuation>            */
};

int  mcx_info_alloc(struct mcx_info **ip, enum mcx_svc svc);
int  mcx_info_decode(struct mcx_info **ip, enum mcx_svc svc,
		     const uint8_t *buf, size_t len, struct mcx_diag *diag);
int  mcx_info_encode(struct mbuf *mb, const struct mcx_info *info);
int  mcx_info_print(struct re_printf *pf, const struct mcx_info *info);
const char *mcx_info_mime(enum mcx_svc svc);
const char *mcx_svc_name(enum mcx_svc svc);

int  mcx_content_set(struct mcx_content *c, enum mcx_wrap wrap,
		     const char *value);
void mcx_content_reset(struct mcx_content *c);
bool mcx_content_isset(const struct mcx_content *c);
bool mcx_content_true(const struct mcx_content *c);

#endif
