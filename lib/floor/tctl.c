/**
 * @file tctl.c  MCVideo transmission control (TS 24.581 9)
 *
 * Names and subtypes: TS 24.581 9.2 as Wireshark-independent dissectors
 * read them (Nemergent v15, Alea v18.5.0 agree). The per-message field
 * tables of 9.2.x were not readable: every message accepts any known
 * field and the encoder writes fields in ID order (docs/wire.md marks
 * this [R]); mandatory fields are only those no reading can do without.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <re.h>
#include <mcx/tctl.h>
#include "apfield.h"

#define F(id, kind, name, m) { id, kind, name, offsetof(struct tctl_msg, m) }
#define B(id) (1u << (id))
#define T(t, name) { t, name, true, 0, 0, { 0 } }

static const struct ap_field fields[] = {
	F(TCTL_F_TX_PRIORITY, AK_PRIO, "Transmission Priority", tx_priority),
	F(TCTL_F_DURATION, AK_U16, "Duration", duration),
	F(TCTL_F_REJECT_CAUSE, AK_CAUSE, "Reject Cause", reject),
	F(TCTL_F_QUEUE_INFO, AK_QUEUE, "Queue Info", queue),
	F(TCTL_F_TX_USER, AK_TEXT, "User Id of the Transmitting User",
	  tx_user),
	F(TCTL_F_PERMISSION, AK_U16, "Permission to Request the "
	  "Transmission", permission),
	F(TCTL_F_USER_ID, AK_TEXT, "User ID", user_id),
	F(TCTL_F_QUEUE_SIZE, AK_U16, "Queue Size", queue_size),
	F(TCTL_F_SEQ, AK_U16, "Message Sequence-Number", seq),
	F(TCTL_F_QUEUED_USER, AK_TEXT, "Queued User ID", queued_user),
	F(TCTL_F_SOURCE, AK_U16, "Source", source),
	F(TCTL_F_TRACK_INFO, AK_TRACK, "Track Info", track),
	F(TCTL_F_MSG_TYPE, AK_MSGTYPE, "Message Type", msg_type),
	F(TCTL_F_TX_IND, AK_U16, "Transmission Indicator", tx_ind),
	F(TCTL_F_AUDIO_SSRC, AK_SSRC, "Audio SSRC of the Transmitting User",
	  audio_ssrc),
	F(TCTL_F_RESULT, AK_U16, "Result", result),
	F(TCTL_F_MSG_NAME, AK_NAME4, "Message Name", msg_name),
	F(TCTL_F_OVERRIDING_ID, AK_TEXT, "Overriding ID", overriding_id),
	F(TCTL_F_OVERRIDDEN_ID, AK_TEXT, "Overridden ID", overridden_id),
	F(TCTL_F_RX_PRIORITY, AK_PRIO, "Reception Priority", rx_priority),
	F(TCTL_F_GROUP_ID, AK_TEXT, "MCVideo Group Identity", group_id),
	F(TCTL_F_FUNC_ALIAS, AK_TEXT, "Functional Alias", func_alias),
	F(TCTL_F_RX_MODE, AK_U16, "Reception Mode", rx_mode),
	F(TCTL_F_VIDEO_SSRC, AK_SSRC, "Video SSRC of the Transmitting User",
	  video_ssrc),
};

static const struct ap_type mcv0[] = {
	T(TCTL_TX_REQUEST, "Transmission Request"),
	T(TCTL_TX_RELEASE, "Transmission Release"),
	T(TCTL_QPOS_REQUEST, "Queue Position Request"),
	T(TCTL_RX_MEDIA_REQUEST, "Receive Media Request"),
	T(TCTL_TX_CANCEL_REQUEST, "Transmission Cancel Request"),
	T(TCTL_REMOTE_TX_REQUEST, "Remote Transmission Request"),
	T(TCTL_REMOTE_TX_CANCEL_REQUEST, "Remote Transmission Cancel "
	  "Request"),
};

static const struct ap_type mcv1[] = {
	T(TCTL_TX_GRANTED, "Transmission Granted"),
	{ TCTL_TX_REJECTED, "Transmission Rejected", true,
	  B(TCTL_F_REJECT_CAUSE), 0, { 0 } },
	T(TCTL_TX_ARB_TAKEN, "Transmission Arbitration Taken"),
	T(TCTL_TX_ARB_RELEASE, "Transmission Arbitration Release"),
	{ TCTL_TX_REVOKED, "Transmission Revoked", true,
	  B(TCTL_F_REJECT_CAUSE), 0, { 0 } },
	T(TCTL_QPOS_INFO, "Queue Position Info"),
	T(TCTL_MEDIA_TX_NOTIFY, "Media Transmission Notification"),
	T(TCTL_RX_MEDIA_RESPONSE, "Receive Media Response"),
	T(TCTL_MEDIA_RX_NOTIFY, "Media Reception Notification"),
	T(TCTL_TX_CANCEL_RESPONSE, "Transmission Cancel Response"),
	T(TCTL_TX_CANCEL_REQ_NOTIFY, "Transmission Cancel Request Notify"),
	T(TCTL_REMOTE_TX_RESPONSE, "Remote Transmission Response"),
	T(TCTL_REMOTE_TX_CANCEL_RESPONSE, "Remote Transmission Cancel "
	  "Response"),
	T(TCTL_MEDIA_RX_OVERRIDE_NOTIFY, "Media Reception Override "
	  "Notification"),
	T(TCTL_TX_END_NOTIFY, "Transmission End Notify"),
	T(TCTL_TX_IDLE, "Transmission Idle"),
};

static const struct ap_type mcv2[] = {
	T(TCTL_TX_END_REQUEST, "Transmission End Request"),
	T(TCTL_TX_END_RESPONSE, "Transmission End Response"),
	T(TCTL_RX_END_REQUEST, "Media Reception End Request"),
	T(TCTL_RX_END_RESPONSE, "Media Reception End Response"),
	{ TCTL_ACK, "Transmission Control Ack", false, B(TCTL_F_MSG_TYPE),
	  0, { 0 } },
};

static const struct ap_set sets[] = {
	[TCTL_MCV0] = { "MCV0", mcv0, ARRAY_SIZE(mcv0) },
	[TCTL_MCV1] = { "MCV1", mcv1, ARRAY_SIZE(mcv1) },
	[TCTL_MCV2] = { "MCV2", mcv2, ARRAY_SIZE(mcv2) },
};

static const struct ap_proto tctl = {
	.what = "MCVideo TC",
	.sets = sets,
	.nsets = ARRAY_SIZE(sets),
	.fields = fields,
	.nfields = ARRAY_SIZE(fields),
	.legacy = NULL,
};


/**
 * Start a message: all fields absent
 *
 * @param m    Message
 * @param set  APP name (MCV0, MCV1, MCV2)
 * @param type Subtype within that set (enum tctl_mcv0/1/2)
 * @param ssrc Sender's SSRC
 */
void tctl_init(struct tctl_msg *m, enum tctl_set set, uint8_t type,
	       uint32_t ssrc)
{
	if (!m)
		return;

	memset(m, 0, sizeof(*m));
	m->hdr.set = (uint8_t)set;
	m->hdr.type = type;
	m->hdr.ssrc = ssrc;
}


/** Mark a field present (after setting its member) */
void tctl_set(struct tctl_msg *m, enum tctl_field f)
{
	if (m && (unsigned)f < 32)
		m->hdr.present |= 1u << f;
}


/** Is a field present? */
bool tctl_has(const struct tctl_msg *m, enum tctl_field f)
{
	return m && (unsigned)f < 32 && (m->hdr.present & (1u << f));
}


/**
 * Set a text field (or the 4-character Message Name) and mark it present
 *
 * @return 0 or EINVAL
 */
int tctl_set_text(struct tctl_msg *m, enum tctl_field f, const char *s)
{
	if (!m || (unsigned)f > 255)
		return EINVAL;

	return ap_set_text(&tctl, &m->hdr, (uint8_t)f, s);
}


/**
 * Decode one transmission control packet (MCV0, MCV1 or MCV2)
 *
 * @return 0, ENODATA, EBADMSG or EINVAL (see mbcp_decode)
 */
int tctl_decode(struct tctl_msg *m, const uint8_t *buf, size_t len,
		size_t *used, struct mcx_diag *diag)
{
	if (!m)
		return EINVAL;

	return ap_decode(&tctl, &m->hdr, sizeof(*m), buf, len, used, diag);
}


/** Encode a message as one RTCP APP packet, appended to mb */
int tctl_encode(struct mbuf *mb, const struct tctl_msg *m)
{
	if (!m)
		return EINVAL;

	return ap_encode(&tctl, mb, &m->hdr);
}


/** Print a message on one line */
int tctl_print(struct re_printf *pf, const struct tctl_msg *m)
{
	return m ? ap_print(&tctl, pf, &m->hdr) : 0;
}


/** Name of a message type, or "?" */
const char *tctl_type_name(enum tctl_set set, uint8_t type)
{
	const struct ap_type *t = ap_type_find(&tctl, (uint8_t)set, type);

	return t ? t->name : "?";
}


/** APP name of a set ("MCV0"), or "?" */
const char *tctl_set_name(enum tctl_set set)
{
	return ((unsigned)set < ARRAY_SIZE(sets)) ? sets[set].name : "?";
}
