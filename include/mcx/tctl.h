/**
 * @file mcx/tctl.h  MCVideo transmission control (TS 24.581 9)
 *
 * Three RTCP APP names, each with its own subtype table: "MCV0" (sent by
 * the transmission participant), "MCV1" (sent by the transmission control
 * server), "MCV2" (both). Fields share the MBCP framing; IDs 0..14 mean
 * what they mean in MBCP, 15..24 are MCVideo's. Several layouts are not
 * settled by any text we could read; docs/wire.md marks them [R].
 */
#ifndef MCX_TCTL_H
#define MCX_TCTL_H

#include <mcx/floor.h>

struct mbuf;
struct re_printf;
struct mcx_diag;

/** APP name sets (struct fc_hdr .set) */
enum tctl_set {
	TCTL_MCV0 = 0,	/**< transmission participant -> server */
	TCTL_MCV1 = 1,	/**< server -> transmission participant */
	TCTL_MCV2 = 2,	/**< either direction                   */
};

/** MCV0 subtypes */
enum tctl_mcv0 {
	TCTL_TX_REQUEST = 0,
	TCTL_TX_RELEASE = 2,
	TCTL_QPOS_REQUEST = 3,
	TCTL_RX_MEDIA_REQUEST = 4,
	TCTL_TX_CANCEL_REQUEST = 5,
	TCTL_REMOTE_TX_REQUEST = 7,
	TCTL_REMOTE_TX_CANCEL_REQUEST = 8,
};

/** MCV1 subtypes */
enum tctl_mcv1 {
	TCTL_TX_GRANTED = 0,
	TCTL_TX_REJECTED = 1,
	TCTL_TX_ARB_TAKEN = 2,
	TCTL_TX_ARB_RELEASE = 3,
	TCTL_TX_REVOKED = 4,
	TCTL_QPOS_INFO = 5,
	TCTL_MEDIA_TX_NOTIFY = 6,
	TCTL_RX_MEDIA_RESPONSE = 7,
	TCTL_MEDIA_RX_NOTIFY = 8,
	TCTL_TX_CANCEL_RESPONSE = 9,
	TCTL_TX_CANCEL_REQ_NOTIFY = 10,
	TCTL_REMOTE_TX_RESPONSE = 11,
	TCTL_REMOTE_TX_CANCEL_RESPONSE = 12,
	TCTL_MEDIA_RX_OVERRIDE_NOTIFY = 13,
	TCTL_TX_END_NOTIFY = 14,
	TCTL_TX_IDLE = 15,
};

/** MCV2 subtypes */
enum tctl_mcv2 {
	TCTL_TX_END_REQUEST = 0,
	TCTL_TX_END_RESPONSE = 1,
	TCTL_RX_END_REQUEST = 2,
	TCTL_RX_END_RESPONSE = 3,
	TCTL_ACK = 4,
};

/** Field IDs (TS 24.581 table 9.2.3.1-1, Rel-18 names) */
enum tctl_field {
	TCTL_F_TX_PRIORITY = 0,
	TCTL_F_DURATION = 1,
	TCTL_F_REJECT_CAUSE = 2,
	TCTL_F_QUEUE_INFO = 3,
	TCTL_F_TX_USER = 4,
	TCTL_F_PERMISSION = 5,
	TCTL_F_USER_ID = 6,
	TCTL_F_QUEUE_SIZE = 7,
	TCTL_F_SEQ = 8,
	TCTL_F_QUEUED_USER = 9,
	TCTL_F_SOURCE = 10,
	TCTL_F_TRACK_INFO = 11,
	TCTL_F_MSG_TYPE = 12,
	TCTL_F_TX_IND = 13,
	TCTL_F_AUDIO_SSRC = 14,
	TCTL_F_RESULT = 15,
	TCTL_F_MSG_NAME = 16,
	TCTL_F_OVERRIDING_ID = 17,
	TCTL_F_OVERRIDDEN_ID = 18,
	TCTL_F_RX_PRIORITY = 19,
	TCTL_F_GROUP_ID = 20,
	TCTL_F_FUNC_ALIAS = 21,
	TCTL_F_RX_MODE = 22,
	TCTL_F_VIDEO_SSRC = 24,
};

/** Transmission Rejected causes (9.2.6.2) */
enum tctl_reject_cause {
	TCTL_REJ_LIMIT_REACHED = 1,
	TCTL_REJ_SERVER_ERROR = 2,
	TCTL_REJ_ONLY_ONE_PARTICIPANT = 3,
	TCTL_REJ_RETRY_AFTER = 4,
	TCTL_REJ_RECEIVE_ONLY = 5,
	TCTL_REJ_NO_RESOURCES = 6,
	TCTL_REJ_OTHER = 255,
};

/** Transmission Revoked causes (9.2.10.2) */
enum tctl_revoke_cause {
	TCTL_REV_ONLY_ONE_CLIENT = 1,
	TCTL_REV_BURST_TOO_LONG = 2,
	TCTL_REV_NO_PERMISSION = 3,
	TCTL_REV_PREEMPTED = 4,
	TCTL_REV_TERMINATE_STREAM = 5,
	TCTL_REV_NO_RESOURCES = 6,
	TCTL_REV_QUEUE = 7,
	TCTL_REV_NO_RECEIVER = 8,
	TCTL_REV_OTHER = 255,
};

/** Transmission Indicator bits (9.2.3.14) */
enum tctl_tx_ind {
	TCTL_TI_NORMAL = 0x8000,
	TCTL_TI_BROADCAST = 0x4000,
	TCTL_TI_SYSTEM = 0x2000,
	TCTL_TI_EMERGENCY = 0x1000,
	TCTL_TI_IMMINENT_PERIL = 0x0800,
};

/** A transmission control message */
struct tctl_msg {
	struct fc_hdr hdr;			/* set: enum tctl_set    */
	uint8_t tx_priority;			/*  0 Transmission Priority */
	uint16_t duration;			/*  1 Duration, seconds  */
	struct fc_cause reject;			/*  2 Reject Cause       */
	struct fc_queue queue;			/*  3 Queue Info         */
	char tx_user[FC_TEXT_MAX + 1];		/*  4 User Id of Tx User */
	uint16_t permission;			/*  5 Permission to Request */
	char user_id[FC_TEXT_MAX + 1];		/*  6 User ID            */
	uint16_t queue_size;			/*  7 Queue Size         */
	uint16_t seq;				/*  8 Message Seq-Number */
	char queued_user[FC_TEXT_MAX + 1];	/*  9 Queued User ID     */
	uint16_t source;			/* 10 Source             */
	struct fc_track track;			/* 11 Track Info         */
	uint8_t msg_type;			/* 12 acknowledged subtype */
	uint16_t tx_ind;			/* 13 Transmission Indicator */
	uint32_t audio_ssrc;			/* 14 Audio SSRC of Tx User */
	uint16_t result;			/* 15 Result [R]         */
	char msg_name[5];			/* 16 Message Name [R]   */
	char overriding_id[FC_TEXT_MAX + 1];	/* 17 Overriding ID [R]  */
	char overridden_id[FC_TEXT_MAX + 1];	/* 18 Overridden ID [R]  */
	uint8_t rx_priority;			/* 19 Reception Priority */
	char group_id[FC_TEXT_MAX + 1];		/* 20 MCVideo Group Id [R] */
	char func_alias[FC_TEXT_MAX + 1];	/* 21 Functional Alias   */
	uint16_t rx_mode;			/* 22 Reception Mode [R] */
	uint32_t video_ssrc;			/* 24 Video SSRC of Tx User */
};

void tctl_init(struct tctl_msg *m, enum tctl_set set, uint8_t type,
	       uint32_t ssrc);
void tctl_set(struct tctl_msg *m, enum tctl_field f);
bool tctl_has(const struct tctl_msg *m, enum tctl_field f);
int  tctl_set_text(struct tctl_msg *m, enum tctl_field f, const char *s);
int  tctl_decode(struct tctl_msg *m, const uint8_t *buf, size_t len,
		 size_t *used, struct mcx_diag *diag);
int  tctl_encode(struct mbuf *mb, const struct tctl_msg *m);
int  tctl_print(struct re_printf *pf, const struct tctl_msg *m);
const char *tctl_type_name(enum tctl_set set, uint8_t type);
const char *tctl_set_name(enum tctl_set set);

#endif
