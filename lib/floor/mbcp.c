/**
 * @file mbcp.c  MCPTT floor control messages, MBCP (TS 24.380 8)
 *
 * The tables below are the protocol; apfield.c does the work. Field order
 * per message follows the spec diagrams (TS 24.380 8.2.4 ff., as MCOP and
 * Wireshark read them); mandatory fields are those sent in every
 * on-network instance (docs/wire.md, "MBCP").
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <re.h>
#include <mcx/mbcp.h>
#include "apfield.h"

#define F(id, kind, name, m) { id, kind, name, offsetof(struct mbcp_msg, m) }
#define B(id) (1u << (id))

static const struct ap_field fields[] = {
	F(MBCP_F_PRIORITY, AK_PRIO, "Floor Priority", priority),
	F(MBCP_F_DURATION, AK_U16, "Duration", duration),
	F(MBCP_F_REJECT_CAUSE, AK_CAUSE, "Reject Cause", reject),
	F(MBCP_F_QUEUE_INFO, AK_QUEUE, "Queue Info", queue),
	F(MBCP_F_GRANTED_PARTY, AK_TEXT, "Granted Party's Identity",
	  granted_party),
	F(MBCP_F_PERMISSION, AK_U16, "Permission to Request the Floor",
	  permission),
	F(MBCP_F_USER_ID, AK_TEXT, "User ID", user_id),
	F(MBCP_F_QUEUE_SIZE, AK_U16, "Queue Size", queue_size),
	F(MBCP_F_SEQ, AK_U16, "Message Sequence-Number", seq),
	F(MBCP_F_QUEUED_USER, AK_TEXT, "Queued User ID", queued_user),
	F(MBCP_F_SOURCE, AK_U16, "Source", source),
	F(MBCP_F_TRACK_INFO, AK_TRACK, "Track Info", track),
	F(MBCP_F_MSG_TYPE, AK_MSGTYPE, "Message Type", msg_type),
	F(MBCP_F_FLOOR_IND, AK_U16, "Floor Indicator", floor_ind),
	F(MBCP_F_SSRC, AK_SSRC, "SSRC", granted_ssrc),
	F(MBCP_F_GRANTED_USERS, AK_USERLIST, "List of Granted Users",
	  granted_users),
	F(MBCP_F_SSRC_LIST, AK_SSRCLIST, "List of SSRCs", ssrc_list),
	F(MBCP_F_FUNC_ALIAS, AK_TEXT, "Functional Alias", func_alias),
	F(MBCP_F_FA_LIST, AK_USERLIST, "List of Functional Aliases",
	  fa_list),
	F(MBCP_F_LOCATION, AK_LOCATION, "Location", location),
	F(MBCP_F_LOCATION_LIST, AK_LOCLIST, "List of Locations",
	  location_list),
};

/* name, ACK bit allowed, mandatory fields, field order (diagram order) */
static const struct ap_type types[] = {
	{ MBCP_FLOOR_REQUEST, "Floor Request", false, 0, 6,
	  { MBCP_F_PRIORITY, MBCP_F_USER_ID, MBCP_F_TRACK_INFO,
	    MBCP_F_FLOOR_IND, MBCP_F_FUNC_ALIAS, MBCP_F_LOCATION } },
	{ MBCP_FLOOR_GRANTED, "Floor Granted", true,
	  B(MBCP_F_DURATION) | B(MBCP_F_PRIORITY), 8,
	  { MBCP_F_DURATION, MBCP_F_SSRC, MBCP_F_PRIORITY, MBCP_F_USER_ID,
	    MBCP_F_QUEUE_SIZE, MBCP_F_TRACK_INFO, MBCP_F_FLOOR_IND,
	    MBCP_F_FUNC_ALIAS } },
	{ MBCP_FLOOR_TAKEN, "Floor Taken", true,
	  B(MBCP_F_PERMISSION) | B(MBCP_F_SEQ), 12,
	  { MBCP_F_GRANTED_PARTY, MBCP_F_PERMISSION, MBCP_F_USER_ID,
	    MBCP_F_SEQ, MBCP_F_TRACK_INFO, MBCP_F_FLOOR_IND, MBCP_F_SSRC,
	    MBCP_F_FUNC_ALIAS, MBCP_F_GRANTED_USERS, MBCP_F_SSRC_LIST,
	    MBCP_F_LOCATION, MBCP_F_LOCATION_LIST } },
	{ MBCP_FLOOR_DENY, "Floor Deny", true, B(MBCP_F_REJECT_CAUSE), 4,
	  { MBCP_F_REJECT_CAUSE, MBCP_F_USER_ID, MBCP_F_TRACK_INFO,
	    MBCP_F_FLOOR_IND } },
	{ MBCP_FLOOR_RELEASE, "Floor Release", true, 0, 3,
	  { MBCP_F_USER_ID, MBCP_F_TRACK_INFO, MBCP_F_FLOOR_IND } },
	{ MBCP_FLOOR_IDLE, "Floor Idle", true, B(MBCP_F_SEQ), 3,
	  { MBCP_F_SEQ, MBCP_F_TRACK_INFO, MBCP_F_FLOOR_IND } },
	{ MBCP_FLOOR_REVOKE, "Floor Revoke", false, B(MBCP_F_REJECT_CAUSE), 3,
	  { MBCP_F_REJECT_CAUSE, MBCP_F_TRACK_INFO, MBCP_F_FLOOR_IND } },
	{ MBCP_FLOOR_REVOKE_REQUEST, "Floor Revoke Request", false, 0, 0,
	  { 0 } },
	{ MBCP_FLOOR_QPOS_REQUEST, "Floor Queue Position Request", false, 0,
	  2, { MBCP_F_USER_ID, MBCP_F_TRACK_INFO } },
	{ MBCP_FLOOR_QPOS_INFO, "Floor Queue Position Info", true,
	  B(MBCP_F_QUEUE_INFO), 6,
	  { MBCP_F_USER_ID, MBCP_F_SSRC, MBCP_F_QUEUED_USER,
	    MBCP_F_QUEUE_INFO, MBCP_F_TRACK_INFO, MBCP_F_FLOOR_IND } },
	{ MBCP_FLOOR_ACK, "Floor Ack", false,
	  B(MBCP_F_SOURCE) | B(MBCP_F_MSG_TYPE), 3,
	  { MBCP_F_SOURCE, MBCP_F_MSG_TYPE, MBCP_F_TRACK_INFO } },
	{ MBCP_UNICAST_MFC, "Unicast Media Flow Control", true, 0, 0, { 0 } },
	{ MBCP_QUEUED_REQUESTS, "Floor Queued Cancel", true, 0, 0, { 0 } },
	{ MBCP_FLOOR_RELEASE_MT, "Floor Release Multi Talker", false, 0, 0,
	  { 0 } },
};

static const struct ap_set sets[] = {
	{ MBCP_NAME, types, ARRAY_SIZE(types) },
};

/* Before v13.3.0: 102..116 for Floor Priority..Floor Indicator, no 107 */
static int legacy(uint8_t id)
{
	if (id >= 102 && id <= 106)
		return id - 102;
	if (id >= 108 && id <= 116)
		return id - 103;

	return -1;
}

static const struct ap_proto mbcp = {
	.what = "MBCP",
	.sets = sets,
	.nsets = ARRAY_SIZE(sets),
	.fields = fields,
	.nfields = ARRAY_SIZE(fields),
	.legacy = legacy,
};


/**
 * Start a message: all fields absent
 *
 * @param m    Message
 * @param type Message type
 * @param ssrc Sender's SSRC
 */
void mbcp_init(struct mbcp_msg *m, enum mbcp_type type, uint32_t ssrc)
{
	if (!m)
		return;

	memset(m, 0, sizeof(*m));
	m->hdr.type = (uint8_t)type;
	m->hdr.ssrc = ssrc;
}


/** Mark a field present (after setting its member) */
void mbcp_set(struct mbcp_msg *m, enum mbcp_field f)
{
	if (m && (unsigned)f < 32)
		m->hdr.present |= 1u << f;
}


/** Is a field present? */
bool mbcp_has(const struct mbcp_msg *m, enum mbcp_field f)
{
	return m && (unsigned)f < 32 && (m->hdr.present & (1u << f));
}


/**
 * Set a text field (Granted Party's Identity, User ID, Queued User ID,
 * Functional Alias) and mark it present
 *
 * @return 0 or EINVAL (not a text field; empty, too long, not UTF-8)
 */
int mbcp_set_text(struct mbcp_msg *m, enum mbcp_field f, const char *s)
{
	if (!m || (unsigned)f > 255)
		return EINVAL;

	return ap_set_text(&mbcp, &m->hdr, (uint8_t)f, s);
}


/**
 * Decode one MBCP packet
 *
 * @param m    Message (overwritten)
 * @param buf  Octets starting at the packet
 * @param len  Octets available; a datagram may hold several packets
 * @param used Octets of this packet (may be NULL)
 * @param diag Reason on failure, naming message and field
 *
 * @return 0, ENODATA (cut short), EBADMSG or EINVAL
 */
int mbcp_decode(struct mbcp_msg *m, const uint8_t *buf, size_t len,
		size_t *used, struct mcx_diag *diag)
{
	if (!m)
		return EINVAL;

	return ap_decode(&mbcp, &m->hdr, sizeof(*m), buf, len, used, diag);
}


/**
 * Encode a message as one RTCP APP packet, appended to mb
 *
 * @return 0, EINVAL (see ap_encode) or ENOMEM
 */
int mbcp_encode(struct mbuf *mb, const struct mbcp_msg *m)
{
	if (!m)
		return EINVAL;

	return ap_encode(&mbcp, mb, &m->hdr);
}


/** Print a message on one line */
int mbcp_print(struct re_printf *pf, const struct mbcp_msg *m)
{
	return m ? ap_print(&mbcp, pf, &m->hdr) : 0;
}


/** Name of a message type ("Floor Granted"), or "?" */
const char *mbcp_type_name(enum mbcp_type type)
{
	const struct ap_type *t = ap_type_find(&mbcp, 0, (uint8_t)type);

	return t ? t->name : "?";
}


/** Name of a field ("Duration"), or "?" */
const char *mbcp_field_name(enum mbcp_field f)
{
	const struct ap_field *fd = ap_field_find(&mbcp, (uint8_t)f);

	return fd ? fd->name : "?";
}
