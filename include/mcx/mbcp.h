/**
 * @file mcx/mbcp.h  MCPTT floor control messages, MBCP (TS 24.380 8)
 *
 * RTCP APP name "MCPT". Message types are the subtype's low 4 bits (plus
 * 7 and 11..15 of later releases); fields are IDs 0..20 (the pre-v13.3.0
 * IDs 102..116 are decoded, never sent; IDs 21 and up are skipped and
 * counted). Decoding takes one APP packet and reports its length, so
 * several packets in one datagram are read in a loop.
 *
 * Per message, the encoder emits fields in the order of the spec's
 * diagram and refuses fields the message does not carry; the decoder
 * requires the fields that are mandatory on-network (docs/wire.md).
 */
#ifndef MCX_MBCP_H
#define MCX_MBCP_H

#include <mcx/floor.h>

struct mbuf;
struct re_printf;
struct mcx_diag;

#define MBCP_NAME "MCPT"

/** Message types (TS 24.380 table 8.2.2-1) */
enum mbcp_type {
	MBCP_FLOOR_REQUEST = 0,
	MBCP_FLOOR_GRANTED = 1,
	MBCP_FLOOR_TAKEN = 2,
	MBCP_FLOOR_DENY = 3,
	MBCP_FLOOR_RELEASE = 4,
	MBCP_FLOOR_IDLE = 5,
	MBCP_FLOOR_REVOKE = 6,
	MBCP_FLOOR_REVOKE_REQUEST = 7,	/* Rel-19 */
	MBCP_FLOOR_QPOS_REQUEST = 8,
	MBCP_FLOOR_QPOS_INFO = 9,
	MBCP_FLOOR_ACK = 10,
	MBCP_UNICAST_MFC = 11,		/* Rel-17 */
	MBCP_QUEUED_REQUESTS = 14,	/* Rel-17 Floor Queued Cancel */
	MBCP_FLOOR_RELEASE_MT = 15,	/* Rel-15 Release Multi Talker */
};

/** Field IDs (TS 24.380 table 8.2.3.1-2) */
enum mbcp_field {
	MBCP_F_PRIORITY = 0,
	MBCP_F_DURATION = 1,
	MBCP_F_REJECT_CAUSE = 2,
	MBCP_F_QUEUE_INFO = 3,
	MBCP_F_GRANTED_PARTY = 4,
	MBCP_F_PERMISSION = 5,
	MBCP_F_USER_ID = 6,
	MBCP_F_QUEUE_SIZE = 7,
	MBCP_F_SEQ = 8,
	MBCP_F_QUEUED_USER = 9,
	MBCP_F_SOURCE = 10,
	MBCP_F_TRACK_INFO = 11,
	MBCP_F_MSG_TYPE = 12,
	MBCP_F_FLOOR_IND = 13,
	MBCP_F_SSRC = 14,
	MBCP_F_GRANTED_USERS = 15,
	MBCP_F_SSRC_LIST = 16,
	MBCP_F_FUNC_ALIAS = 17,
	MBCP_F_FA_LIST = 18,
	MBCP_F_LOCATION = 19,
	MBCP_F_LOCATION_LIST = 20,
};

/** Floor Deny reject causes (8.2.6.2) */
enum mbcp_deny_cause {
	MBCP_DENY_OTHER_HAS_PERMISSION = 1,
	MBCP_DENY_SERVER_ERROR = 2,
	MBCP_DENY_ONLY_ONE_PARTICIPANT = 3,
	MBCP_DENY_RETRY_AFTER = 4,
	MBCP_DENY_RECEIVE_ONLY = 5,
	MBCP_DENY_NO_RESOURCES = 6,
	MBCP_DENY_QUEUE_FULL = 7,
	MBCP_DENY_OTHER = 255,
};

/** Floor Revoke causes (8.2.10.2): another table, same field */
enum mbcp_revoke_cause {
	MBCP_REVOKE_ONLY_ONE_CLIENT = 1,
	MBCP_REVOKE_BURST_TOO_LONG = 2,
	MBCP_REVOKE_NO_PERMISSION = 3,
	MBCP_REVOKE_PREEMPTED = 4,
	MBCP_REVOKE_NO_RESOURCES = 6,
	MBCP_REVOKE_BY_CLIENT = 7,	/* Rel-19 */
	MBCP_REVOKE_OTHER = 255,
};

/** Source (8.2.3.11) */
enum mbcp_source {
	MBCP_SRC_PARTICIPANT = 0,
	MBCP_SRC_PARTICIPATING = 1,
	MBCP_SRC_CONTROLLING = 2,
	MBCP_SRC_NON_CONTROLLING = 3,
};

/** Floor Indicator bits (8.2.3.14) */
enum mbcp_floor_ind {
	MBCP_FI_NORMAL = 0x8000,
	MBCP_FI_BROADCAST = 0x4000,
	MBCP_FI_SYSTEM = 0x2000,
	MBCP_FI_EMERGENCY = 0x1000,
	MBCP_FI_IMMINENT_PERIL = 0x0800,
	MBCP_FI_QUEUEING = 0x0400,
	MBCP_FI_DUAL_FLOOR = 0x0200,
	MBCP_FI_TEMP_GROUP = 0x0100,
	MBCP_FI_MULTI_TALKER = 0x0080,
};

/** An MBCP message */
struct mbcp_msg {
	struct fc_hdr hdr;			/* type: enum mbcp_type  */
	uint8_t priority;			/*  0 Floor Priority     */
	uint16_t duration;			/*  1 Duration, seconds  */
	struct fc_cause reject;			/*  2 Reject Cause       */
	struct fc_queue queue;			/*  3 Queue Info         */
	char granted_party[FC_TEXT_MAX + 1];	/*  4 Granted Party's Id */
	uint16_t permission;			/*  5 0 no, 1 yes        */
	char user_id[FC_TEXT_MAX + 1];		/*  6 User ID            */
	uint16_t queue_size;			/*  7 Queue Size         */
	uint16_t seq;				/*  8 Message Seq-Number */
	char queued_user[FC_TEXT_MAX + 1];	/*  9 Queued User ID     */
	uint16_t source;			/* 10 enum mbcp_source   */
	struct fc_track track;			/* 11 Track Info         */
	uint8_t msg_type;			/* 12 acknowledged subtype */
	uint16_t floor_ind;			/* 13 enum mbcp_floor_ind */
	uint32_t granted_ssrc;			/* 14 SSRC               */
	struct fc_raw granted_users;		/* 15 List of Granted Users */
	struct fc_raw ssrc_list;		/* 16 List of SSRCs      */
	char func_alias[FC_TEXT_MAX + 1];	/* 17 Functional Alias   */
	struct fc_raw fa_list;			/* 18 List of Func. Aliases */
	struct fc_raw location;			/* 19 Location           */
	struct fc_raw location_list;		/* 20 List of Locations  */
};

void mbcp_init(struct mbcp_msg *m, enum mbcp_type type, uint32_t ssrc);
void mbcp_set(struct mbcp_msg *m, enum mbcp_field f);
bool mbcp_has(const struct mbcp_msg *m, enum mbcp_field f);
int  mbcp_set_text(struct mbcp_msg *m, enum mbcp_field f, const char *s);
int  mbcp_decode(struct mbcp_msg *m, const uint8_t *buf, size_t len,
		 size_t *used, struct mcx_diag *diag);
int  mbcp_encode(struct mbuf *mb, const struct mbcp_msg *m);
int  mbcp_print(struct re_printf *pf, const struct mbcp_msg *m);
const char *mbcp_type_name(enum mbcp_type type);
const char *mbcp_field_name(enum mbcp_field f);

#endif
