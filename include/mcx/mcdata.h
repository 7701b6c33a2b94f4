/**
 * @file mcx/mcdata.h  MCData signalling messages (TS 24.282 clause 15)
 *
 * The binary bodies application/vnd.3gpp.mcdata-signalling and
 * application/vnd.3gpp.mcdata-payload: a message-type octet (flags 0x80
 * authenticated, 0x40 protected), a fixed part of V fields, then optional
 * IEs (TV with a full or half-octet IEI, TLV-E with a 2-octet length).
 *
 * Parsed: SDS SIGNALLING PAYLOAD, FD SIGNALLING PAYLOAD, DATA PAYLOAD,
 * SDS NOTIFICATION, FD NOTIFICATION, FD NETWORK NOTIFICATION, FD HTTP
 * TERMINATION. Decoded as an opaque body, never encoded, because no text
 * we could read gives their layout: COMMUNICATION RELEASE, DEFERRED LIST
 * ACCESS REQUEST/RESPONSE, the off-network and emergency-alert messages,
 * and any signed or encrypted message (TS 33.180). One-to-one release is
 * SIP BYE and IPcon has no clause-15 message (docs/wire.md).
 *
 * A decoded message owns a copy of its input; the byte slices point into
 * it. A message built for encoding may point anywhere that outlives the
 * call to mcdata_encode().
 */
#ifndef MCX_MCDATA_H
#define MCX_MCDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mbuf;
struct re_printf;
struct mcx_diag;

#define MCX_MCDATA_SIG_MIME     "application/vnd.3gpp.mcdata-signalling"
#define MCX_MCDATA_PAYLOAD_MIME "application/vnd.3gpp.mcdata-payload"

enum {
	MCDATA_MAX_SIZE = 262144,	/**< Largest message, octets   */
	MCDATA_MAX_PAYLOADS = 16,	/**< Payload IEs per message   */
	MCDATA_UUID_LEN = 16,
	MCDATA_FLAG_AUTH = 0x80,	/**< Message authenticated     */
	MCDATA_FLAG_PROT = 0x40,	/**< Message protected         */
	MCDATA_TYPE_MASK = 0x3f,
};

/** Message types (table 15.2.2-1) */
enum mcdata_type {
	MCDATA_SDS_SIGNALLING = 1,
	MCDATA_FD_SIGNALLING = 2,
	MCDATA_DATA_PAYLOAD = 3,
	MCDATA_SDS_NOTIFICATION = 5,
	MCDATA_FD_NOTIFICATION = 6,
	MCDATA_SDS_OFFNET_MESSAGE = 7,
	MCDATA_SDS_OFFNET_NOTIFICATION = 8,
	MCDATA_FD_NETWORK_NOTIFICATION = 9,
	MCDATA_COMM_RELEASE = 10,
	MCDATA_DEFERRED_REQUEST = 11,
	MCDATA_DEFERRED_RESPONSE = 12,
	MCDATA_FD_HTTP_TERMINATION = 13,
	MCDATA_GROUP_EMERGENCY_ALERT = 17,
	MCDATA_GROUP_EMERGENCY_ALERT_ACK = 18,
	MCDATA_GROUP_EMERGENCY_ALERT_CANCEL = 19,
	MCDATA_GROUP_EMERGENCY_ALERT_CANCEL_ACK = 20,
};

/** Optional IEs (bits of struct mcdata_msg .ies) */
enum mcdata_ie {
	MCDATA_IE_IN_REPLY_TO = 0,	/**< 21 TV  InReplyTo message ID   */
	MCDATA_IE_APP_ID,		/**< 22 TV  Application ID         */
	MCDATA_IE_SDS_DISP,		/**< 8- TV  SDS disposition request */
	MCDATA_IE_FD_DISP,		/**< 9- TV  FD disposition request  */
	MCDATA_IE_MANDATORY_DL,		/**< A- TV  Mandatory download      */
	MCDATA_IE_DATA_QUERY,		/**< B- TV  Data query type         */
	MCDATA_IE_EXT_RESPONSE,		/**< C- TV  Extension response type */
	MCDATA_IE_REL_RESPONSE,		/**< D- TV  Release response type   */
	MCDATA_IE_SENDER,		/**< 51 TLV-E Sender MCData user ID */
	MCDATA_IE_DEFERRED,		/**< 52 TLV-E Deferred FD signalling */
	MCDATA_IE_APP_METADATA,		/**< 53 TLV-E App metadata container */
	MCDATA_IE_METADATA,		/**< 79 TLV-E Metadata              */
	MCDATA_IE_GROUP_ID,		/**< 7B TLV-E MCData group ID       */
	MCDATA_IE_RECIPIENT,		/**< 7C TLV-E Recipient user ID     */
	MCDATA_IE_EXT_APP_ID,		/**< 7D TLV-E Extended application ID */
	MCDATA_IE_LOCATION,		/**< 7E TLV-E User location         */
	MCDATA_IE_ORG_NAME,		/**< 7F TLV-E Organization name     */
	MCDATA_IE_PAYLOAD,		/**< 78 TLV-E Payload (FD SIGNALLING) */
};

/** SDS disposition request type (15.2.3) */
enum mcdata_sds_disp {
	MCDATA_DISP_DELIVERY = 1,
	MCDATA_DISP_READ = 2,
	MCDATA_DISP_DELIVERY_AND_READ = 3,
};

/** SDS disposition notification type (15.2.5) */
enum mcdata_sds_notif {
	MCDATA_NOTIF_UNDELIVERED = 1,
	MCDATA_NOTIF_DELIVERED = 2,
	MCDATA_NOTIF_READ = 3,
	MCDATA_NOTIF_DELIVERED_AND_READ = 4,
	MCDATA_NOTIF_PREVENTED = 5,
};

/** Payload content types (15.2.13-2) */
enum mcdata_content {
	MCDATA_CT_TEXT = 1,
	MCDATA_CT_BINARY = 2,
	MCDATA_CT_HYPERLINKS = 3,
	MCDATA_CT_FILEURL = 4,
	MCDATA_CT_LOCATION = 5,
	MCDATA_CT_ENHANCED_STATUS = 6,
	MCDATA_CT_INTERWORKING = 7,
	MCDATA_CT_LOCATION_ALTITUDE = 8,
	MCDATA_CT_LOCATION_TIMESTAMP = 9,
	MCDATA_CT_CODED_TEXT = 10,
};

/** A run of octets */
struct mcdata_bytes {
	const uint8_t *p;
	size_t n;
};

/** One Payload IE (15.2.13) */
struct mcdata_payload {
	uint8_t ctype;			/**< enum mcdata_content */
	struct mcdata_bytes data;
};

/** An MCData signalling or payload message */
struct mcdata_msg {
	uint8_t type;			/**< enum mcdata_type           */
	uint8_t flags;			/**< MCDATA_FLAG_AUTH, _PROT    */
	uint8_t notif;			/**< types 5, 6, 9: notification type */
	uint8_t term;			/**< type 13: termination information */
	uint64_t date;			/**< seconds since 1970 (40 bits) */
	uint8_t conv_id[MCDATA_UUID_LEN];
	uint8_t msg_id[MCDATA_UUID_LEN];

	uint32_t ies;			/**< 1 << enum mcdata_ie        */
	uint8_t in_reply_to[MCDATA_UUID_LEN];
	uint8_t app_id;
	uint8_t sds_disp, fd_disp, mandatory_dl, data_query;
	uint8_t ext_response, rel_response;
	struct mcdata_bytes sender, deferred, app_metadata, metadata;
	struct mcdata_bytes group_id, recipient, ext_app_id, location;
	struct mcdata_bytes org_name;

	uint8_t npayloads;		/**< Payload IEs (type 3, FD sig.) */
	struct mcdata_payload payload[MCDATA_MAX_PAYLOADS];

	struct mcdata_bytes opaque;	/**< Body after the type octet of a
					     message we do not parse     */
	unsigned unknown;		/**< Unknown IEs skipped         */
	uint8_t *raw;			/**< Decoded copy (owned)        */
};

void mcdata_init(struct mcdata_msg *m, enum mcdata_type type);
void mcdata_set(struct mcdata_msg *m, enum mcdata_ie ie);
bool mcdata_has(const struct mcdata_msg *m, enum mcdata_ie ie);
int  mcdata_add_payload(struct mcdata_msg *m, enum mcdata_content ctype,
			const void *data, size_t n);
int  mcdata_decode(struct mcdata_msg **mp, const uint8_t *buf, size_t len,
		   struct mcx_diag *diag);
int  mcdata_encode(struct mbuf *mb, const struct mcdata_msg *m);
int  mcdata_print(struct re_printf *pf, const struct mcdata_msg *m);
const char *mcdata_type_name(uint8_t type);
bool mcdata_is_parsed(uint8_t type);

#endif
