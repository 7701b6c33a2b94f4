/**
 * @file gen.c  The oracle's packets: our encoders' output in a pcap
 *
 *   oracle_gen [--corrupt] OUT.pcap OUT.expect
 *
 * Writes a private call as a capture on loopback, every body and floor
 * message made by a libmcx encoder: the INVITE (multipart_encode of
 * mcsdp_encode's SDP, mcx_info_encode's mcptt-info and rlist_encode's
 * resource-lists), an MBCP exchange (mbcp_encode) on the floor-control
 * ports, and the BYE that releases the call for migration (RFC 3326
 * Reason MCX_MIGR_REASON; <migration-release> in mcptt-info). The SIP
 * start lines and headers are written here: no encoder of ours makes
 * them yet.
 *
 * OUT.expect holds what tshark must show, one value a line:
 *
 *   FRAME <TAB> TSHARK-FIELD <TAB> VALUE
 *
 * Several lines for one frame and field are its occurrences, in order.
 * Lines starting with '#' are comments, except "#rtcp-port N": decode
 * UDP port N as RTCP. Every value is written from the same variable,
 * constant or formatted string that went on the wire (line() writes
 * both), so the expectations cannot drift from what was encoded.
 *
 * --corrupt makes one packet wrong on purpose (a non-zero padding octet
 * in the Floor Taken), for the self-test that proves check.py fails.
 *
 * The world: the client 127.0.1.10 (SIP 5061, audio 40000, floor
 * control 40002 as its SDP offers) and the server 127.0.1.1 (SIP 5060,
 * floor control 40012).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include <mcx/info.h>
#include <mcx/mbcp.h>
#include <mcx/mcsdp.h>
#include <mcx/migration.h>
#include <mcx/multipart.h>
#include <mcx/rlist.h>
#include "pcapw.h"

#define CLIENT_IP "127.0.1.10"
#define SERVER_IP "127.0.1.1"
#define DOMAIN    "a.mcx.test"
#define CALLER    "sip:alice@" DOMAIN
#define CALLEE    "sip:bob@" DOMAIN
#define PF_URI    "sip:mcptt-orig-pf@" DOMAIN	/* PSI of the O-PF */
#define CALL_ID   "pc-0001@" CLIENT_IP
#define FROM_TAG  "a1"
#define TO_TAG    "s1"
#define BRANCH_INVITE "z9hG4bK-pc-0001"
#define BRANCH_BYE    "z9hG4bK-pc-0002"
#define CONTINUATION  "c7f3a9d2e1b04f65"
#define TARGET_SYSTEM "c.mcx.test"

/* TS 24.379 Annex E; stage3-notes 1.1: the ICSI is percent-encoded in a
 * feature tag. It contains '%': always pass it as an argument. */
#define ICSI     "urn:urn-7:3gpp-service.ims.icsi.mcptt"
#define TAG_MCPTT "+g.3gpp.mcptt"
#define TAG_ICSI \
	"+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mcptt\""

enum {
	CLIENT_SIP_PORT = 5061,
	SERVER_SIP_PORT = 5060,
	CLIENT_AUDIO_PORT = 40000,	/* RTCP on 40001, said by a=rtcp */
	CLIENT_FLOOR_PORT = 40002,	/* m=application 40002 udp MCPTT */
	SERVER_FLOOR_PORT = 40012,
	CLIENT_SSRC = 0x55667788,
	SERVER_SSRC = 0x11223344,
	PCMU_RATE = 8000,
	MAX_FORWARDS = 70,
	VALUE_MAX = 512,		/* longest expected value, octets */
	STEP_USEC = 20000,		/* between two packets */
};

/* tshark -T fields output: "frame.protocols" for each kind of frame */
#define PROTOS_MBCP   "eth:ethertype:ip:udp:rtcp"
#define PROTOS_INVITE "eth:ethertype:ip:udp:sip:mime_multipart:sdp:xml:xml"
#define PROTOS_BYE    "eth:ethertype:ip:udp:sip:xml"
#define MIME_HDR      "mime_multipart.header."

struct gen {
	struct pcapw pw;
	FILE *exp;
	struct sa client_sip, server_sip, client_floor, server_floor;
	uint64_t usec;			/* capture time of the next packet */
	bool corrupt;
	unsigned nexp;			/* expectations written */
};


/* One expectation for the frame written next: "frame\tfield\tvalue".
 * Tabs and newlines would break the file, 0x1f is check.py's separator
 * of occurrences: a value holding one is refused. */
static int expect(struct gen *g, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int expect(struct gen *g, const char *field, const char *fmt, ...)
{
	char v[VALUE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(v))
		return EMSGSIZE;
	if (strpbrk(v, "\t\r\n\x1f"))
		return EINVAL;

	if (fprintf(g->exp, "%u\t%s\t%s\n", g->pw.count + 1, field, v) < 0)
		return EIO;
	++g->nexp;

	return 0;
}


/* Write "key" "sep" value CRLF into mb and, if field is not NULL, expect
 * field = value: one formatted string for the wire and the check. */
static int line(struct gen *g, struct mbuf *mb, const char *key,
		const char *sep, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int line(struct gen *g, struct mbuf *mb, const char *key,
		const char *sep, const char *field, const char *fmt, ...)
{
	char v[VALUE_MAX];
	va_list ap;
	int n, err;

	va_start(ap, fmt);
	n = vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(v))
		return EMSGSIZE;

	err = mbuf_printf(mb, "%s%s%s\r\n", key, sep, v);
	if (!err && field)
		err = expect(g, field, "%s", v);

	return err;
}


/* Expectations every frame has: the dissector path and the addresses */
static int expect_frame(struct gen *g, const char *protos,
			const struct sa *src, const struct sa *dst)
{
	char s[64], d[64];
	int err;

	err = sa_ntop(src, s, sizeof(s));
	if (!err)
		err = sa_ntop(dst, d, sizeof(d));
	if (!err)
		err = expect(g, "frame.protocols", "%s", protos);
	if (!err)
		err = expect(g, "ip.src", "%s", s);
	if (!err)
		err = expect(g, "ip.dst", "%s", d);
	if (!err)
		err = expect(g, "udp.srcport", "%u", (unsigned)sa_port(src));
	if (!err)
		err = expect(g, "udp.dstport", "%u", (unsigned)sa_port(dst));
	/* 1 = "Good": check.py turns tshark's checksum checks on */
	if (!err)
		err = expect(g, "ip.checksum.status", "1");
	if (!err)
		err = expect(g, "udp.checksum.status", "1");

	return err;
}


static int put(struct gen *g, const struct sa *src, const struct sa *dst,
	       const struct mbuf *mb)
{
	int err;

	err = pcapw_udp(&g->pw, src, dst, mb->buf, mb->end, g->usec);
	g->usec += STEP_USEC;

	return err;
}


/* ---- MBCP (TS 24.380 8) ---- */

/* One floor-control message: its fields in the order of the spec's
 * diagram (research mbcp-tc.md 4), which is also the order tshark must
 * list them in rtcp.mcptt.fld_id, and their values. */
struct floor_row {
	enum mbcp_type type;
	bool ack_req;
	bool from_server;
	enum mbcp_field fields[4];
	size_t nfields;
	uint8_t priority;
	uint16_t duration;
	uint16_t cause;
	const char *phrase;
	const char *party;
	uint16_t permission;
	uint16_t seq;
	uint16_t source;
	uint8_t msg_type;
	uint16_t floor_ind;
};

#define FIELDS(...) .fields = { __VA_ARGS__ }, \
	.nfields = sizeof((enum mbcp_field[]){ __VA_ARGS__ }) / \
		   sizeof(enum mbcp_field)

static const struct floor_row floor_rows[] = {
	{ MBCP_FLOOR_REQUEST, false, false,
	  FIELDS(MBCP_F_PRIORITY, MBCP_F_FLOOR_IND),
	  .priority = 5, .floor_ind = MBCP_FI_NORMAL },
	{ MBCP_FLOOR_GRANTED, true, true,
	  FIELDS(MBCP_F_DURATION, MBCP_F_PRIORITY, MBCP_F_FLOOR_IND),
	  .duration = 30, .priority = 5, .floor_ind = MBCP_FI_NORMAL },
	{ MBCP_FLOOR_ACK, false, false,
	  FIELDS(MBCP_F_SOURCE, MBCP_F_MSG_TYPE),
	  .source = MBCP_SRC_PARTICIPANT,
	  .msg_type = MBCP_FLOOR_GRANTED | FC_ACK_BIT },
	{ MBCP_FLOOR_TAKEN, false, true,
	  FIELDS(MBCP_F_GRANTED_PARTY, MBCP_F_PERMISSION, MBCP_F_SEQ,
		 MBCP_F_FLOOR_IND),
	  .party = CALLER, .permission = 1, .seq = 7,
	  .floor_ind = MBCP_FI_NORMAL },
	{ MBCP_FLOOR_RELEASE, false, false,
	  FIELDS(MBCP_F_FLOOR_IND),
	  .floor_ind = MBCP_FI_NORMAL },
	{ MBCP_FLOOR_IDLE, false, true,
	  FIELDS(MBCP_F_SEQ, MBCP_F_FLOOR_IND),
	  .seq = 8, .floor_ind = MBCP_FI_NORMAL },
	{ MBCP_FLOOR_DENY, false, true,
	  FIELDS(MBCP_F_REJECT_CAUSE),
	  .cause = MBCP_DENY_OTHER_HAS_PERMISSION, .phrase = "busy" },
	{ MBCP_FLOOR_REVOKE, false, true,
	  FIELDS(MBCP_F_REJECT_CAUSE),
	  .cause = MBCP_REVOKE_BURST_TOO_LONG },
};


static int floor_msg(struct mbcp_msg *m, const struct floor_row *r)
{
	int err;

	mbcp_init(m, r->type, r->from_server ? SERVER_SSRC : CLIENT_SSRC);
	m->hdr.ack_req = r->ack_req;

	for (size_t i = 0; i < r->nfields; i++) {
		const enum mbcp_field f = r->fields[i];

		switch (f) {

		case MBCP_F_PRIORITY:	m->priority = r->priority;	break;
		case MBCP_F_DURATION:	m->duration = r->duration;	break;
		case MBCP_F_PERMISSION:	m->permission = r->permission;	break;
		case MBCP_F_SEQ:	m->seq = r->seq;		break;
		case MBCP_F_SOURCE:	m->source = r->source;		break;
		case MBCP_F_MSG_TYPE:	m->msg_type = r->msg_type;	break;
		case MBCP_F_FLOOR_IND:	m->floor_ind = r->floor_ind;	break;

		case MBCP_F_REJECT_CAUSE:
			m->reject.cause = r->cause;
			str_ncpy(m->reject.phrase, r->phrase ? r->phrase : "",
				 sizeof(m->reject.phrase));
			break;

		case MBCP_F_GRANTED_PARTY:
			err = mbcp_set_text(m, f, r->party);
			if (err)
				return err;
			continue;

		default:
			return EINVAL;	/* the oracle does not cover it yet */
		}

		mbcp_set(m, f);
	}

	return 0;
}


/* What tshark 4.0.17 shows for one field of an encoded message (names
 * checked with tshark -G fields; research mbcp-tc.md 6.4) */
static int expect_mbcp_field(struct gen *g, const struct mbcp_msg *m,
			     enum mbcp_field f)
{
	const unsigned subtype = m->hdr.type |
		(m->hdr.ack_req ? FC_ACK_BIT : 0);
	const char *cause_field;
	int err;

	switch (f) {

	case MBCP_F_PRIORITY:
		return expect(g, "rtcp.app_data.mcptt.priority", "%u",
			      m->priority);

	case MBCP_F_DURATION:
		return expect(g, "rtcp.app_data.mcptt.duration", "%u",
			      m->duration);

	case MBCP_F_REJECT_CAUSE:
		/* 4.0.17 picks the cause table by the whole 5-bit subtype
		 * (mbcp-tc.md 5.2): 3 Deny, 6 Revoke, else no table */
		cause_field = subtype == MBCP_FLOOR_DENY ?
			"rtcp.app_data.mcptt.rej_cause.floor_deny" :
			subtype == MBCP_FLOOR_REVOKE ?
			"rtcp.app_data.mcptt.rej_cause.floor_revoke" :
			"rtcp.app_data.mcptt.rej_cause";
		err = expect(g, cause_field, "%u", m->reject.cause);
		if (!err && m->reject.phrase[0])
			err = expect(g, "rtcp.mcptt.rej_phrase", "%s",
				     m->reject.phrase);
		return err;

	case MBCP_F_GRANTED_PARTY:
		return expect(g, "rtcp.mcptt.granted_partys_id", "%s",
			      m->granted_party);

	case MBCP_F_PERMISSION:
		return expect(g, "rtcp.app_data.mcptt.perm_to_req_floor", "%u",
			      m->permission);

	case MBCP_F_SEQ:
		return expect(g, "rtcp.app_data.mcptt.msg_seq_num", "%u",
			      m->seq);

	case MBCP_F_SOURCE:
		return expect(g, "rtcp.app_data.mcptt.source", "%u",
			      m->source);

	case MBCP_F_MSG_TYPE:
		return expect(g, "rtcp.app_data.mcptt.msg_type", "%u",
			      m->msg_type);

	case MBCP_F_FLOOR_IND:
		return expect(g, "rtcp.app_data.mcptt.floor_ind", "%u",
			      m->floor_ind);

	default:
		return EINVAL;
	}
}


static int expect_mbcp(struct gen *g, const struct floor_row *r,
		       const struct mbcp_msg *m, size_t len)
{
	int err;

	err = expect(g, "rtcp.version", "2");
	if (!err)
		err = expect(g, "rtcp.padding", "0");
	if (!err)
		err = expect(g, "rtcp.pt", "%u", FC_RTCP_APP);
	if (!err)
		err = expect(g, "rtcp.length", "%zu", len / 4 - 1);
	if (!err)
		err = expect(g, "rtcp.ssrc.identifier", "0x%08x",
			     (unsigned)m->hdr.ssrc);
	if (!err)
		err = expect(g, "rtcp.app.name", "%s", MBCP_NAME);
	if (!err)
		err = expect(g, "rtcp.app.subtype", "%u", m->hdr.type |
			     (m->hdr.ack_req ? FC_ACK_BIT : 0));

	for (size_t i = 0; i < r->nfields && !err; i++)
		err = expect(g, "rtcp.mcptt.fld_id", "%u", r->fields[i]);

	for (size_t i = 0; i < r->nfields && !err; i++)
		err = expect_mbcp_field(g, m, r->fields[i]);

	return err;
}


/* --corrupt: a non-zero padding octet after the Granted Party's Identity
 * (tshark: Error "rtcp.appl.non_zero_pad"). The UDP checksum is computed
 * afterwards, so only the MBCP encoding is wrong. */
static int corrupt_padding(struct mbuf *mb, const struct mbcp_msg *m)
{
	const size_t vlen = strlen(m->granted_party);
	const size_t pad = FC_HDR_LEN + 2 + vlen;

	if ((2 + vlen) % 4 == 0 || pad >= mb->end)
		return EINVAL;		/* no padding to spoil */

	mb->buf[pad] = 0x01;

	return 0;
}


static int floor_exchange(struct gen *g)
{
	struct mbuf *mb = mbuf_alloc(256);
	struct mbcp_msg m;
	int err = 0;

	if (!mb)
		return ENOMEM;

	for (size_t i = 0; i < ARRAY_SIZE(floor_rows) && !err; i++) {
		const struct floor_row *r = &floor_rows[i];
		const struct sa *src = r->from_server ?
			&g->server_floor : &g->client_floor;
		const struct sa *dst = r->from_server ?
			&g->client_floor : &g->server_floor;

		mbuf_rewind(mb);
		err = floor_msg(&m, r);
		if (!err)
			err = mbcp_encode(mb, &m);
		if (!err && g->corrupt && r->type == MBCP_FLOOR_TAKEN)
			err = corrupt_padding(mb, &m);
		if (!err)
			err = expect_frame(g, PROTOS_MBCP, src, dst);
		if (!err)
			err = expect_mbcp(g, r, &m, mb->end);
		if (!err)
			err = put(g, src, dst, mb);
	}

	mem_deref(mb);

	return err;
}


/* ---- SIP ---- */

/* The body, its Content-Type and Content-Length, and the frame */
static int req_send(struct gen *g, struct mbuf *msg, const struct mbuf *body,
		    const char *ctype)
{
	int err;

	err = line(g, msg, "Content-Type", ": ", "sip.Content-Type", "%s",
		   ctype);
	if (!err)
		err = line(g, msg, "Content-Length", ": ", "sip.Content-Length",
			   "%zu", body->end);
	if (!err)
		err = mbuf_write_str(msg, "\r\n");
	if (!err)
		err = mbuf_write_mem(msg, body->buf, body->end);
	if (!err)
		err = put(g, &g->client_sip, &g->server_sip, msg);

	return err;
}


/* Start line and the headers of the dialog (RFC 3261 8.1.1) */
static int req_start(struct gen *g, struct mbuf *msg, const char *method,
		     const char *branch, uint32_t cseq, const char *to_tag)
{
	int err;

	err = mbuf_printf(msg, "%s %s SIP/2.0\r\n", method, PF_URI);
	if (!err)
		err = expect(g, "sip.Method", "%s", method);
	if (!err)
		err = expect(g, "sip.r-uri", "%s", PF_URI);
	if (!err)
		err = line(g, msg, "Via", ": ", "sip.Via",
			   "SIP/2.0/UDP %s:%u;branch=%s", CLIENT_IP,
			   CLIENT_SIP_PORT, branch);
	if (!err)
		err = expect(g, "sip.Via.branch", "%s", branch);
	if (!err)
		err = line(g, msg, "Max-Forwards", ": ", "sip.Max-Forwards",
			   "%u", MAX_FORWARDS);
	if (!err)
		err = line(g, msg, "From", ": ", "sip.From", "<%s>;tag=%s",
			   CALLER, FROM_TAG);
	if (!err)
		err = expect(g, "sip.from.tag", "%s", FROM_TAG);
	if (!err)
		err = line(g, msg, "To", ": ", "sip.To", "<%s>%s%s", PF_URI,
			   to_tag ? ";tag=" : "", to_tag ? to_tag : "");
	if (!err && to_tag)
		err = expect(g, "sip.to.tag", "%s", to_tag);
	if (!err)
		err = line(g, msg, "Call-ID", ": ", "sip.Call-ID", "%s",
			   CALL_ID);
	if (!err)
		err = line(g, msg, "CSeq", ": ", "sip.CSeq", "%u %s", cseq,
			   method);
	if (!err)
		err = expect(g, "sip.CSeq.seq", "%u", cseq);
	if (!err)
		err = expect(g, "sip.CSeq.method", "%s", method);

	return err;
}


/* The SDP offer of stage3-notes 1.7 (PCMU for AMR-WB), by mcsdp_encode */
static int sdp_offer(struct gen *g, struct mbuf *mb)
{
	struct mcsdp s;
	char addr[64], fmtp[128];
	int err;

	memset(&s, 0, sizeof(s));
	s.sess_id = 3940012000ull;
	s.sess_ver = 3940012000ull;
	s.audio_pt = MCSDP_PT_PCMU;
	s.pcmu = true;
	s.floor.present = true;
	s.floor.queueing = true;
	s.floor.priority = 4;
	s.floor.implicit_request = true;
	err = sa_set_str(&s.audio, CLIENT_IP, CLIENT_AUDIO_PORT);
	if (!err)
		err = sa_set_str(&s.rtcp, CLIENT_IP, CLIENT_AUDIO_PORT + 1);
	if (!err)
		err = sa_set_str(&s.floor.addr, CLIENT_IP, CLIENT_FLOOR_PORT);
	if (!err)
		err = mcsdp_encode(mb, &s);
	if (!err)
		err = sa_ntop(&s.audio, addr, sizeof(addr));
	if (!err && re_snprintf(fmtp, sizeof(fmtp), "%smc_priority=%u%s",
				s.floor.queueing ? "mc_queueing;" : "",
				s.floor.priority, s.floor.implicit_request ?
				";mc_implicit_request" : "") < 0)
		err = EMSGSIZE;
	if (err)
		return err;

	err = expect(g, "sdp.owner.sessionid", "%llu",
		     (unsigned long long)s.sess_id);
	if (!err)
		err = expect(g, "sdp.owner.version", "%llu",
			     (unsigned long long)s.sess_ver);
	if (!err)
		err = expect(g, "sdp.owner.address", "%s", addr);
	if (!err)
		err = expect(g, "sdp.connection_info.address", "%s", addr);

	/* m-lines, then their parts, each in order */
	if (!err)
		err = expect(g, "sdp.media", "audio %u RTP/AVP %d",
			     (unsigned)sa_port(&s.audio), s.audio_pt);
	if (!err)
		err = expect(g, "sdp.media", "application %u udp MCPTT",
			     (unsigned)sa_port(&s.floor.addr));
	if (!err)
		err = expect(g, "sdp.media.media", "audio");
	if (!err)
		err = expect(g, "sdp.media.media", "application");
	if (!err)
		err = expect(g, "sdp.media.port", "%u",
			     (unsigned)sa_port(&s.audio));
	if (!err)
		err = expect(g, "sdp.media.port", "%u",
			     (unsigned)sa_port(&s.floor.addr));
	if (!err)
		err = expect(g, "sdp.media.proto", "RTP/AVP");
	if (!err)
		err = expect(g, "sdp.media.proto", "udp");
	if (!err)
		err = expect(g, "sdp.media_title", "speech");

	/* attributes: a=rtpmap, a=rtcp (RFC 3605), a=fmtp:MCPTT */
	if (!err)
		err = expect(g, "sdp.media_attr", "rtpmap:%d PCMU/%u",
			     s.audio_pt, PCMU_RATE);
	if (!err)
		err = expect(g, "sdp.mime.type", "PCMU");
	if (!err)
		err = expect(g, "sdp.sample_rate", "%u", PCMU_RATE);
	if (!err)
		err = expect(g, "sdp.media_attr", "rtcp:%u",
			     (unsigned)sa_port(&s.rtcp));
	if (!err)
		err = expect(g, "sdp.media_attr", "fmtp:MCPTT %s", fmtp);
	if (!err && s.floor.queueing)
		err = expect(g, "sdp.fmtp.parameter", "mc_queueing");
	if (!err)
		err = expect(g, "sdp.fmtp.parameter", "mc_priority=%u",
			     s.floor.priority);
	if (!err && s.floor.implicit_request)
		err = expect(g, "sdp.fmtp.parameter", "mc_implicit_request");

	return err;
}


/* mcptt-info with <session-type>private (stage3-notes 1.4 step 7) */
static int invite_info(struct gen *g, struct mbuf *mb)
{
	struct mcx_info *info = NULL;
	int err;

	err = mcx_info_alloc(&info, MCX_SVC_MCPTT);
	if (!err)
		err = str_dup(&info->session_type, "private");
	if (!err)
		err = mcx_info_encode(mb, info);
	if (!err)
		err = expect(g, "xml.tag", "<mcpttinfo xmlns=\"%s\">",
			     MCX_MCPTT_INFO_NS);
	if (!err)
		err = expect(g, "xml.tag", "<mcptt-Params>");
	if (!err)
		err = expect(g, "xml.tag", "<session-type>");
	if (!err)
		err = expect(g, "xml.attribute", "xmlns=\"%s\"",
			     MCX_MCPTT_INFO_NS);
	if (!err)
		err = expect(g, "xml.cdata", "%s", info->session_type);

	mem_deref(info);

	return err;
}


/* resource-lists naming the called user (stage3-notes 1.4 step 6) */
static int invite_rlist(struct gen *g, struct mbuf *mb)
{
	const char *copy = rlist_copy_name(RLIST_COPY_TO);
	struct rlist *rl = NULL;
	int err;

	err = rlist_alloc(&rl);
	if (!err)
		err = rlist_add(rl, CALLEE, RLIST_COPY_TO);
	if (!err)
		err = rlist_encode(mb, rl);
	if (!err)
		err = expect(g, "xml.tag",
			     "<resource-lists xmlns=\"%s\" xmlns:cp=\"%s\">",
			     MCX_RLIST_NS, MCX_RLIST_CP_NS);
	if (!err)
		err = expect(g, "xml.tag", "<entry uri=\"%s\" "
			     "cp:copyControl=\"%s\"/>", CALLEE, copy);
	if (!err)
		err = expect(g, "xml.attribute", "xmlns=\"%s\"", MCX_RLIST_NS);
	if (!err)
		err = expect(g, "xml.attribute", "xmlns:cp=\"%s\"",
			     MCX_RLIST_CP_NS);
	if (!err)
		err = expect(g, "xml.attribute", "uri=\"%s\"", CALLEE);
	if (!err)
		err = expect(g, "xml.attribute", "cp:copyControl=\"%s\"", copy);
	/* tshark 4.0.17 takes any element named "list" for the root of
	 * RFC 4662 RLMI (its dtds/rlmi.dtd), namespace unseen: <list> is
	 * shown as protocol "list", not as an xml.tag */
	if (!err)
		err = expect(g, "list", "<list>");

	mem_deref(rl);

	return err;
}


/* The private-call INVITE of stage3-notes 1.12 */
static int invite(struct gen *g)
{
	struct mbuf *msg = mbuf_alloc(2048), *body = mbuf_alloc(4096);
	struct mbuf *sdp = mbuf_alloc(512), *info = mbuf_alloc(512);
	struct mbuf *rl = mbuf_alloc(512);
	struct multipart *mp = NULL;
	char ctype[128];
	int err;

	if (!msg || !body || !sdp || !info || !rl) {
		err = ENOMEM;
		goto out;
	}

	err = expect_frame(g, PROTOS_INVITE, &g->client_sip, &g->server_sip);
	if (!err)
		err = req_start(g, msg, "INVITE", BRANCH_INVITE, 1, NULL);
	if (!err)
		err = line(g, msg, "Contact", ": ", "sip.Contact",
			   "<sip:alice@%s:%u>;%s;%s", CLIENT_IP,
			   CLIENT_SIP_PORT, TAG_MCPTT, TAG_ICSI);
	if (!err)
		err = line(g, msg, "P-Preferred-Identity", ": ",
			   "sip.P-Preferred-Identity", "<%s>", CALLER);
	if (!err)
		err = line(g, msg, "P-Preferred-Service", ": ",
			   "sip.P-Preferred-Service", "%s", ICSI);
	if (!err)
		err = line(g, msg, "Accept-Contact", ": ", "sip.Accept-Contact",
			   "*;%s;require;explicit", TAG_MCPTT);
	if (!err)
		err = line(g, msg, "Accept-Contact", ": ", "sip.Accept-Contact",
			   "*;%s;require;explicit", TAG_ICSI);
	if (!err)
		err = line(g, msg, "Answer-Mode", ": ", "sip.Answer-Mode",
			   "Auto");
	if (!err)
		err = line(g, msg, "Supported", ": ", "sip.Supported", "timer");
	if (err)
		goto out;

	err = sdp_offer(g, sdp);
	if (!err)
		err = invite_info(g, info);
	if (!err)
		err = invite_rlist(g, rl);
	if (!err)
		err = multipart_alloc(&mp);
	if (!err)
		err = multipart_add(mp, "application/sdp", NULL, sdp->buf,
				    sdp->end);
	if (!err)
		err = multipart_add(mp, MCX_MCPTT_INFO_MIME, NULL, info->buf,
				    info->end);
	if (!err)
		err = multipart_add(mp, MCX_RLIST_MIME, "recipient-list",
				    rl->buf, rl->end);
	if (!err)
		err = multipart_encode(body, mp);
	if (err)
		goto out;
	if (re_snprintf(ctype, sizeof(ctype), "%H", multipart_ctype_print,
			mp) < 0) {
		err = EMSGSIZE;
		goto out;
	}

	for (struct le *le = list_head(&mp->parts); le && !err;
	     le = le->next) {
		const struct mpart *part = le->data;

		err = expect(g, MIME_HDR "content-type", "%s", part->ctype);
		if (!err && part->disp)
			err = expect(g, MIME_HDR "content-disposition", "%s",
				     part->disp);
	}
	/* tshark shows CR LF inside these two as the characters \r\n */
	if (!err)
		err = expect(g, "mime_multipart.first_boundary", "--%s\\r\\n",
			     mp->boundary);
	if (!err)
		err = expect(g, "mime_multipart.last_boundary",
			     "\\r\\n--%s--\\r\\n", mp->boundary);
	if (!err)
		err = req_send(g, msg, body, ctype);

 out:
	mem_deref(mp);
	mem_deref(rl);
	mem_deref(info);
	mem_deref(sdp);
	mem_deref(body);
	mem_deref(msg);

	return err;
}


/* The release for migration (design.md 3): RFC 3326 Reason, and the
 * <migration-release> in the mcptt-info body's <anyExt> */
static int bye(struct gen *g)
{
	struct mbuf *msg = mbuf_alloc(1024), *body = mbuf_alloc(1024);
	struct mcx_info *info = NULL;
	struct pl proto, cause, text;
	int err;

	if (!msg || !body) {
		err = ENOMEM;
		goto out;
	}

	/* the Reason's parts, as tshark splits them */
	err = re_regex(MCX_MIGR_REASON, strlen(MCX_MIGR_REASON),
		       "[^;]+;cause=[0-9]+;text=\"[^\"]*\"",
		       &proto, &cause, &text);
	if (err)
		goto out;

	err = expect_frame(g, PROTOS_BYE, &g->client_sip, &g->server_sip);
	if (!err)
		err = req_start(g, msg, "BYE", BRANCH_BYE, 2, TO_TAG);
	if (!err)
		err = line(g, msg, "Reason", ": ", "sip.Reason", "%s",
			   MCX_MIGR_REASON);
	if (!err)
		err = expect(g, "sip.reason_protocols", "%.*s",
			     (int)proto.l, proto.p);
	if (!err)
		err = expect(g, "sip.reason_cause_sip", "%.*s",
			     (int)cause.l, cause.p);
	if (!err)
		err = expect(g, "sip.reason_text", "%.*s", (int)text.l, text.p);

	if (!err)
		err = mcx_info_alloc(&info, MCX_SVC_MCPTT);
	if (!err)
		err = migr_release_alloc(&info->mig_release, CONTINUATION,
					 TARGET_SYSTEM);
	if (!err)
		err = mcx_info_encode(body, info);
	if (err)
		goto out;

	err = expect(g, "xml.tag", "<mcpttinfo xmlns=\"%s\">",
		     MCX_MCPTT_INFO_NS);
	if (!err)
		err = expect(g, "xml.tag", "<mcptt-Params>");
	if (!err)
		err = expect(g, "xml.tag", "<anyExt>");
	if (!err)
		err = expect(g, "xml.tag", "<migration-release xmlns=\"%s\" "
			     "continuation=\"%s\" target-system=\"%s\"/>",
			     MCX_MIGR_NS, info->mig_release->continuation,
			     info->mig_release->target_system);
	if (!err)
		err = expect(g, "xml.attribute", "xmlns=\"%s\"",
			     MCX_MCPTT_INFO_NS);
	if (!err)
		err = expect(g, "xml.attribute", "xmlns=\"%s\"", MCX_MIGR_NS);
	if (!err)
		err = expect(g, "xml.attribute", "continuation=\"%s\"",
			     info->mig_release->continuation);
	if (!err)
		err = expect(g, "xml.attribute", "target-system=\"%s\"",
			     info->mig_release->target_system);
	if (!err)
		err = req_send(g, msg, body, MCX_MCPTT_INFO_MIME);

 out:
	mem_deref(info);
	mem_deref(body);
	mem_deref(msg);

	return err;
}


static int gen_run(struct gen *g, const char *pcap)
{
	int err;

	err = sa_set_str(&g->client_sip, CLIENT_IP, CLIENT_SIP_PORT);
	if (!err)
		err = sa_set_str(&g->server_sip, SERVER_IP, SERVER_SIP_PORT);
	if (!err)
		err = sa_set_str(&g->client_floor, CLIENT_IP,
				 CLIENT_FLOOR_PORT);
	if (!err)
		err = sa_set_str(&g->server_floor, SERVER_IP,
				 SERVER_FLOOR_PORT);
	if (err)
		return err;

	g->usec = 1764000000ull * 1000000;	/* 2025-11-24 16:00 UTC */

	if (fprintf(g->exp, "# oracle_gen: what tshark must show in %s\n"
		    "#rtcp-port %u\n#rtcp-port %u\n", pcap,
		    CLIENT_FLOOR_PORT, SERVER_FLOOR_PORT) < 0)
		return EIO;

	err = invite(g);
	if (!err)
		err = floor_exchange(g);
	if (!err)
		err = bye(g);

	return err;
}


int main(int argc, char *argv[])
{
	struct gen g;
	int err, err2;

	memset(&g, 0, sizeof(g));
	if (argc == 4 && !strcmp(argv[1], "--corrupt")) {
		g.corrupt = true;
		++argv;
		--argc;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: oracle_gen [--corrupt] OUT.pcap "
			"OUT.expect\n");
		return 2;
	}

	err = pcapw_open(&g.pw, argv[1]);
	if (err) {
		fprintf(stderr, "oracle_gen: %s: %s\n", argv[1],
			strerror(err));
		return 1;
	}
	g.exp = fopen(argv[2], "w");
	if (!g.exp) {
		err = errno;
		fprintf(stderr, "oracle_gen: %s: %s\n", argv[2],
			strerror(err));
		(void)pcapw_close(&g.pw);
		return 1;
	}

	err = gen_run(&g, argv[1]);

	err2 = pcapw_close(&g.pw);
	if (fclose(g.exp) && !err2)
		err2 = errno;
	if (!err)
		err = err2;
	if (err) {
		fprintf(stderr, "oracle_gen: %s\n", strerror(err));
		return 1;
	}

	printf("oracle_gen: %u packets, %u expectations%s\n", g.pw.count,
	       g.nexp, g.corrupt ? " (one packet corrupted)" : "");

	return 0;
}
