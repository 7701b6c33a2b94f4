/**
 * @file gen.c  The oracle's packets: our encoders' output in a pcap
 *
 *   oracle_gen OUT.pcap OUT.expect
 *
 * Writes an MBCP exchange, a private-call INVITE with a multipart body
 * (SDP, mcptt-info, resource-lists) and a BYE with our migration release
 * reason, all built by libmcx encoders, into OUT.pcap; and, into
 * OUT.expect, one line per value set: "frame<TAB>tshark-field<TAB>value".
 * The values are written from the same variables that were encoded, so the
 * expectations cannot drift from what was sent. check.py compares them
 * with what tshark decodes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include <mcx/info.h>
#include <mcx/mbcp.h>
#include <mcx/migration.h>
#include <mcx/multipart.h>
#include <mcx/rlist.h>
#include "pcapw.h"

#define SERVER PCAPW_IP(127, 0, 1, 1)
#define CLIENT PCAPW_IP(127, 0, 1, 10)
enum {
	SERVER_SIP_PORT = 5060, CLIENT_SIP_PORT = 5061,
	FLOOR_PORT = 40002, CLIENT_FLOOR_PORT = 40012,
	SERVER_SSRC = 0x11223344, CLIENT_SSRC = 0x55667788,
};

static struct pcapw pw;
static FILE *exp_f;

static void expect(const char *field, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void expect(const char *field, const char *fmt, ...)
{
	va_list ap;

	fprintf(exp_f, "%u\t%s\t", pw.count, field);
	va_start(ap, fmt);
	vfprintf(exp_f, fmt, ap);
	va_end(ap);
	fputc('\n', exp_f);
}

static int send_mbcp(const struct mbcp_msg *m, bool to_client)
{
	struct mbuf *mb = mbuf_alloc(256);
	int err;

	if (!mb)
		return ENOMEM;

	err = mbcp_encode(mb, m);
	if (!err)
		err = to_client ?
			pcapw_udp(&pw, SERVER, FLOOR_PORT, CLIENT,
				  CLIENT_FLOOR_PORT, mb->buf, mb->end) :
			pcapw_udp(&pw, CLIENT, CLIENT_FLOOR_PORT, SERVER,
				  FLOOR_PORT, mb->buf, mb->end);
	mem_deref(mb);

	return err;
}

/* expectations are for the frame about to be written: pw.count + 1 */
#define EXPECT(field, ...) do { pw.count++; expect(field, __VA_ARGS__); \
	pw.count--; } while (0)

static int floor_exchange(void)
{
	struct mbcp_msg m;
	int err;

	mbcp_init(&m, MBCP_FLOOR_REQUEST, CLIENT_SSRC);
	m.priority = 5;
	mbcp_set(&m, MBCP_F_PRIORITY);
	m.floor_ind = MBCP_FI_NORMAL;
	mbcp_set(&m, MBCP_F_FLOOR_IND);
	EXPECT("rtcp.app.name", "MCPT");
	EXPECT("rtcp.app.subtype", "%u", m.hdr.type);
	EXPECT("rtcp.ssrc.identifier", "0x%08x", m.hdr.ssrc);
	EXPECT("rtcp.app_data.mcptt.priority", "%u", m.priority);
	EXPECT("rtcp.app_data.mcptt.floor_ind", "%u", m.floor_ind);
	err = send_mbcp(&m, false);
	if (err)
		return err;

	mbcp_init(&m, MBCP_FLOOR_GRANTED, SERVER_SSRC);
	m.hdr.ack_req = true;
	m.duration = 30;
	mbcp_set(&m, MBCP_F_DURATION);
	m.priority = 5;
	mbcp_set(&m, MBCP_F_PRIORITY);
	m.floor_ind = MBCP_FI_NORMAL;
	mbcp_set(&m, MBCP_F_FLOOR_IND);
	EXPECT("rtcp.app.subtype", "%u", m.hdr.type | FC_ACK_BIT);
	EXPECT("rtcp.app_data.mcptt.duration", "%u", m.duration);
	EXPECT("rtcp.app_data.mcptt.priority", "%u", m.priority);
	err = send_mbcp(&m, true);
	if (err)
		return err;

	mbcp_init(&m, MBCP_FLOOR_ACK, CLIENT_SSRC);
	m.source = MBCP_SRC_PARTICIPANT;
	mbcp_set(&m, MBCP_F_SOURCE);
	m.msg_type = MBCP_FLOOR_GRANTED | FC_ACK_BIT;
	mbcp_set(&m, MBCP_F_MSG_TYPE);
	EXPECT("rtcp.app.subtype", "%u", m.hdr.type);
	EXPECT("rtcp.app_data.mcptt.source", "%u", m.source);
	EXPECT("rtcp.app_data.mcptt.msg_type", "%u", m.msg_type);
	err = send_mbcp(&m, false);
	if (err)
		return err;

	mbcp_init(&m, MBCP_FLOOR_TAKEN, SERVER_SSRC);
	err = mbcp_set_text(&m, MBCP_F_GRANTED_PARTY, "sip:alice@a.mcx.test");
	if (err)
		return err;
	m.permission = 1;
	mbcp_set(&m, MBCP_F_PERMISSION);
	m.seq = 7;
	mbcp_set(&m, MBCP_F_SEQ);
	m.floor_ind = MBCP_FI_NORMAL;
	mbcp_set(&m, MBCP_F_FLOOR_IND);
	EXPECT("rtcp.app.subtype", "%u", m.hdr.type);
	EXPECT("rtcp.mcptt.granted_partys_id", "%s", m.granted_party);
	EXPECT("rtcp.app_data.mcptt.perm_to_req_floor", "%u", m.permission);
	EXPECT("rtcp.app_data.mcptt.msg_seq_num", "%u", m.seq);
	err = send_mbcp(&m, true);
	if (err)
		return err;

	mbcp_init(&m, MBCP_FLOOR_RELEASE, CLIENT_SSRC);
	m.floor_ind = MBCP_FI_NORMAL;
	mbcp_set(&m, MBCP_F_FLOOR_IND);
	EXPECT("rtcp.app.subtype", "%u", m.hdr.type);
	err = send_mbcp(&m, false);
	if (err)
		return err;

	mbcp_init(&m, MBCP_FLOOR_IDLE, SERVER_SSRC);
	m.seq = 8;
	mbcp_set(&m, MBCP_F_SEQ);
	m.floor_ind = MBCP_FI_NORMAL;
	mbcp_set(&m, MBCP_F_FLOOR_IND);
	EXPECT("rtcp.app.subtype", "%u", m.hdr.type);
	EXPECT("rtcp.app_data.mcptt.msg_seq_num", "%u", m.seq);
	err = send_mbcp(&m, true);
	if (err)
		return err;

	mbcp_init(&m, MBCP_FLOOR_DENY, SERVER_SSRC);
	m.reject.cause = MBCP_DENY_OTHER_HAS_PERMISSION;
	str_ncpy(m.reject.phrase, "busy", sizeof(m.reject.phrase));
	mbcp_set(&m, MBCP_F_REJECT_CAUSE);
	EXPECT("rtcp.app.subtype", "%u", m.hdr.type);
	EXPECT("rtcp.app_data.mcptt.rej_cause.floor_deny", "%u",
	       m.reject.cause);
	EXPECT("rtcp.mcptt.rej_phrase", "%s", m.reject.phrase);
	err = send_mbcp(&m, true);
	if (err)
		return err;

	mbcp_init(&m, MBCP_FLOOR_REVOKE, SERVER_SSRC);
	m.reject.cause = MBCP_REVOKE_BURST_TOO_LONG;
	mbcp_set(&m, MBCP_F_REJECT_CAUSE);
	EXPECT("rtcp.app.subtype", "%u", m.hdr.type);
	EXPECT("rtcp.app_data.mcptt.rej_cause.floor_revoke", "%u",
	       m.reject.cause);

	return send_mbcp(&m, true);
}

static const char sdp[] =
	"v=0\r\n"
	"o=- 3940012000 3940012000 IN IP4 127.0.1.10\r\n"
	"s=-\r\n"
	"c=IN IP4 127.0.1.10\r\n"
	"t=0 0\r\n"
	"m=audio 40010 RTP/AVP 0\r\n"
	"i=speech\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtcp:40011\r\n"
	"m=application 40012 udp MCPTT\r\n"
	"a=fmtp:MCPTT mc_queueing;mc_priority=4;mc_implicit_request\r\n";

#define CALL_ID "pc-0001@127.0.1.10"
#define CALLEE "sip:bob@a.mcx.test"
#define ICSI_TAG "+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi." \
	"mcptt\""

static int send_sip(struct mbuf *hdrs, const struct mbuf *body,
		    const char *ctype)
{
	int err;

	err = mbuf_printf(hdrs, "Content-Type: %s\r\nContent-Length: %zu\r\n"
			  "\r\n", ctype, body->end);
	if (!err)
		err = mbuf_write_mem(hdrs, body->buf, body->end);
	if (!err)
		err = pcapw_udp(&pw, CLIENT, CLIENT_SIP_PORT, SERVER,
				SERVER_SIP_PORT, hdrs->buf, hdrs->end);

	return err;
}

static int invite(void)
{
	struct mbuf *hdrs = mbuf_alloc(2048), *body = mbuf_alloc(4096);
	struct mbuf *info_b = mbuf_alloc(512), *rl_b = mbuf_alloc(512);
	struct multipart *mp = NULL;
	struct mcx_info *info = NULL;
	struct rlist *rl = NULL;
	char ctype[128];
	int err;

	if (!hdrs || !body || !info_b || !rl_b) {
		err = ENOMEM;
		goto out;
	}

	err = mcx_info_alloc(&info, MCX_SVC_MCPTT);
	if (!err)
		err = str_dup(&info->session_type, "private");
	if (!err)
		err = mcx_info_encode(info_b, info);
	if (!err)
		err = rlist_alloc(&rl);
	if (!err)
		err = rlist_add(rl, CALLEE, RLIST_COPY_TO);
	if (!err)
		err = rlist_encode(rl_b, rl);
	if (!err)
		err = multipart_alloc(&mp);
	if (!err)
		err = multipart_add(mp, "application/sdp", NULL, sdp,
				    strlen(sdp));
	if (!err)
		err = multipart_add(mp, MCX_MCPTT_INFO_MIME, NULL,
				    info_b->buf, info_b->end);
	if (!err)
		err = multipart_add(mp, MCX_RLIST_MIME, "recipient-list",
				    rl_b->buf, rl_b->end);
	if (!err)
		err = multipart_encode(body, mp);
	if (err)
		goto out;
	(void)re_snprintf(ctype, sizeof(ctype), "%H", multipart_ctype_print,
			  mp);

	err = mbuf_printf(hdrs,
		"INVITE sip:mcptt-orig-pf@a.mcx.test SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 127.0.1.10:5061;branch=z9hG4bK-pc-0001\r\n"
		"Max-Forwards: 70\r\n"
		"From: <sip:alice@a.mcx.test>;tag=a1\r\n"
		"To: <sip:mcptt-orig-pf@a.mcx.test>\r\n"
		"Call-ID: " CALL_ID "\r\n"
		"CSeq: 1 INVITE\r\n"
		"Contact: <sip:alice@127.0.1.10:5061>;+g.3gpp.mcptt;"
		ICSI_TAG "\r\n"
		"P-Preferred-Service: urn:urn-7:3gpp-service.ims.icsi.mcptt\r\n"
		"Accept-Contact: *;+g.3gpp.mcptt;require;explicit\r\n"
		"Accept-Contact: *;" ICSI_TAG ";require;explicit\r\n"
		"Answer-Mode: Auto\r\n"
		"Supported: timer\r\n");
	if (err)
		goto out;

	EXPECT("sip.Method", "INVITE");
	EXPECT("sip.Call-ID", CALL_ID);
	EXPECT("sip.P-Preferred-Service",
	       "urn:urn-7:3gpp-service.ims.icsi.mcptt");
	EXPECT("sip.Answer-Mode", "Auto");
	EXPECT("sip.Content-Type", "%s", ctype);
	EXPECT("mime_multipart.header.content-type", "application/sdp,"
	       MCX_MCPTT_INFO_MIME "," MCX_RLIST_MIME);
	EXPECT("mime_multipart.header.content-disposition", "recipient-list");
	EXPECT("sdp.media.media", "audio,application");
	EXPECT("sdp.media.port", "40010,40012");
	EXPECT("sdp.media.proto", "RTP/AVP,udp");
	EXPECT("sdp.fmtp.parameter", "mc_queueing,mc_priority=4,"
	       "mc_implicit_request");
	EXPECT("xml.cdata", "%s", info->session_type);
	EXPECT("xml.tag", "<mcpttinfo xmlns=\"%s\">,<mcptt-Params>,"
	       "<session-type>,<resource-lists xmlns=\"%s\" xmlns:cp=\"%s\">,"
	       "<entry uri=\"%s\" cp:copyControl=\"to\"/>",
	       MCX_MCPTT_INFO_NS, MCX_RLIST_NS, MCX_RLIST_CP_NS, CALLEE);

	err = send_sip(hdrs, body, ctype);

 out:
	mem_deref(rl);
	mem_deref(info);
	mem_deref(mp);
	mem_deref(rl_b);
	mem_deref(info_b);
	mem_deref(body);
	mem_deref(hdrs);

	return err;
}

static int bye(void)
{
	struct mbuf *hdrs = mbuf_alloc(1024), *body = mbuf_alloc(512);
	struct mcx_info *info = NULL;
	int err;

	if (!hdrs || !body) {
		err = ENOMEM;
		goto out;
	}

	err = mcx_info_alloc(&info, MCX_SVC_MCPTT);
	if (!err)
		err = migr_release_alloc(&info->mig_release,
					 "c7f3a9d2e1b04f65", "c.mcx.test");
	if (!err)
		err = mcx_info_encode(body, info);
	if (!err)
		err = mbuf_printf(hdrs,
			"BYE sip:mcptt-orig-pf@a.mcx.test SIP/2.0\r\n"
			"Via: SIP/2.0/UDP 127.0.1.10:5061;"
			"branch=z9hG4bK-pc-0002\r\n"
			"Max-Forwards: 70\r\n"
			"From: <sip:alice@a.mcx.test>;tag=a1\r\n"
			"To: <sip:mcptt-orig-pf@a.mcx.test>;tag=s1\r\n"
			"Call-ID: " CALL_ID "\r\n"
			"CSeq: 2 BYE\r\n"
			"Reason: " MCX_MIGR_REASON "\r\n");
	if (err)
		goto out;

	EXPECT("sip.Method", "BYE");
	EXPECT("sip.Reason", MCX_MIGR_REASON);
	EXPECT("xml.tag", "<mcpttinfo xmlns=\"%s\">,<mcptt-Params>,<anyExt>,"
	       "<migration-release xmlns=\"%s\" continuation=\"%s\" "
	       "target-system=\"%s\"/>", MCX_MCPTT_INFO_NS, MCX_MIGR_NS,
	       info->mig_release->continuation,
	       info->mig_release->target_system);

	err = send_sip(hdrs, body, MCX_MCPTT_INFO_MIME);

 out:
	mem_deref(info);
	mem_deref(body);
	mem_deref(hdrs);

	return err;
}

int main(int argc, char *argv[])
{
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: oracle_gen OUT.pcap OUT.expect\n");
		return 2;
	}

	exp_f = fopen(argv[2], "w");
	if (!exp_f || pcapw_open(&pw, argv[1])) {
		perror("oracle_gen");
		return 1;
	}

	err = floor_exchange();
	if (!err)
		err = invite();
	if (!err)
		err = bye();

	if (pcapw_close(&pw) || fclose(exp_f))
		err = err ? err : EIO;
	if (err) {
		fprintf(stderr, "oracle_gen: %s\n", strerror(err));
		return 1;
	}

	printf("oracle_gen: %u packets\n", pw.count);

	return 0;
}
