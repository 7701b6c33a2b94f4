/**
 * @file call.c  One on-demand private call (TS 24.379 11.1.1, 11.1.3)
 *
 * The server is a back-to-back user agent between the caller (leg 0) and
 * the callee (leg 1), in the participating and controlling roles at once:
 *
 *   caller                mcxd                      callee
 *     | INVITE (SDP, mcptt-info, resource-lists)        |
 *     |--------------------->|  checks: service auth,   |
 *     |        100 Trying    |  body, profile, callee   |
 *     |<---------------------|  INVITE (our SDP, info)  |
 *     |                      |------------------------->|
 *     |        180 Ringing   |  180 (manual answer)     |
 *     |<---------------------|<-------------------------|
 *     |        200 (our SDP) |  200 (callee's SDP), ACK |
 *     |<---------------------|<------------------------>|
 *     | ACK                  |                          |
 *     |--------------------->|  floor control starts:   |
 *     | Floor Granted (MBCP) |  implicit request        |
 *     |<---------------------|  Floor Taken ----------->|
 *     | RTP ================>|=========================>|  (holder only)
 *     | BYE (Reason, body)   |  BYE (same Reason, body) |
 *     |--------------------->|------------------------->|
 *
 * The 200 to the caller waits for the callee's 200 (confirmed mode), so
 * that "connected" means both ends are.  Media goes through the server:
 * each leg has its own RTP, RTCP and floor ports (relay ports from
 * rtp_port_min..max); RTP is passed on only from the floor holder (or both
 * ways in a call without floor control), RTCP both ways, MBCP to the
 * floor control server (struct fcs).  A leg that sends nothing for
 * media_timeout is taken as gone: the call is released, the other party
 * told why in the BYE's Reason.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/fcs.h>
#include <mcx/info.h>
#include <mcx/log.h>
#include <mcx/mbcp.h>
#include <mcx/mcdlg.h>
#include <mcx/mcsdp.h>
#include <mcx/multipart.h>
#include <mcx/profile.h>
#include <mcx/rlist.h>
#include <mcx/str.h>
#include "mcxd.h"
#include "mcptt.h"

enum {
	MEDIA_CHECK_MS = 500,
	PORT_TRIES = 64,
};

enum call_state {
	CALL_SETUP,		/* INVITE sent to the callee          */
	CALL_ANSWERED,		/* 200 sent to the caller, no ACK yet */
	CALL_ACTIVE,		/* both ends up                       */
	CALL_ENDED,
};

struct call;

struct leg {
	struct call *call;
	unsigned idx;			/* 0 caller, 1 callee: fcs index */
	struct mcdlg *dlg;
	char mc_id[STORE_URI_MAX + 1];
	struct mcsdp sdp;		/* what this party offered/answered */
	struct udp_sock *rtp, *rtcp, *fl;
	struct sa l_rtp, l_rtcp, l_fl;
	uint64_t last_rx;		/* jiffies of the last packet */
	uint64_t rx_rtp, tx_rtp, dropped, rx_rtcp, rx_floor;
};

struct fcs_tmr {
	struct tmr tmr;
	struct call *call;
	enum fcs_timer t;
};

struct call {
	struct le le;
	struct mcptt *m;
	unsigned id;
	enum call_state state;
	char sess_user[24];		/* MCPTT session identity's user */
	bool floor;			/* with floor control           */
	bool manual;			/* manual commencement          */
	struct leg leg[2];
	struct fcs fcs;
	bool fcs_started;
	struct fcs_tmr ftmr[FCS_TIMERS];
	struct tmr tmr_setup;
	struct tmr tmr_media;
	uint32_t ssrc;
	/* monotonic (mcx_mono_us): durations only */
	uint64_t t_invite, t_ringing, t_answer, t_ack, t_granted, t_end;
	char end_reason[160];
};


static const char *state_name(enum call_state st)
{
	static const char *names[] = {"setup", "answered", "active", "ended"};

	return names[st];
}


static struct leg *other(struct leg *l)
{
	return &l->call->leg[!l->idx];
}


/* ---- media relay ---- */

static void touch(struct leg *l)
{
	l->last_rx = tmr_jiffies();
}


static void rtp_handler(const struct sa *src, struct mbuf *mb, void *arg)
{
	struct leg *l = arg;
	struct leg *o = other(l);
	struct call *c = l->call;
	(void)src;

	touch(l);
	++l->rx_rtp;

	if (c->state != CALL_ACTIVE && c->state != CALL_ANSWERED)
		return;

	if (c->floor) {
		if (!c->fcs_started || !fcs_may_send(&c->fcs, l->idx)) {
			++l->dropped;
			return;
		}
		(void)fcs_media(&c->fcs, l->idx);
	}

	if (!sa_isset(&o->sdp.audio, SA_ALL))
		return;
	if (!udp_send(o->rtp, &o->sdp.audio, mb))
		++o->tx_rtp;
}


static void rtcp_handler(const struct sa *src, struct mbuf *mb, void *arg)
{
	struct leg *l = arg;
	struct leg *o = other(l);
	(void)src;

	touch(l);
	++l->rx_rtcp;

	if (sa_isset(&o->sdp.rtcp, SA_ALL))
		(void)udp_send(o->rtcp, &o->sdp.rtcp, mb);
}


static void floor_handler(const struct sa *src, struct mbuf *mb, void *arg)
{
	struct leg *l = arg;
	struct call *c = l->call;
	struct mcx_diag diag;
	struct mbcp_msg m;
	size_t used;

	touch(l);
	++l->rx_floor;

	if (!c->floor || !c->fcs_started)
		return;

	if (mbcp_decode(&m, mbuf_buf(mb), mbuf_get_left(mb), &used,
			&diag)) {
		mcx_log(MCX_INFO, "call", "call %u: MBCP from %J refused: %s",
			c->id, src, diag.reason);
		return;
	}

	mcx_log(MCX_DEBUG, "call", "call %u: %s from %s", c->id,
		mbcp_type_name((enum mbcp_type)m.hdr.type), l->mc_id);
	fcs_recv(&c->fcs, l->idx, &m);
}


static int bind_port(struct udp_sock **usp, struct sa *laddr,
		     const struct sa *ip, uint32_t port, udp_recv_h *rh,
		     void *arg)
{
	*laddr = *ip;
	sa_set_port(laddr, (uint16_t)port);

	return udp_listen(usp, laddr, rh, arg);
}


/* RTP on an even port, RTCP on the next, floor control on the one after:
   four ports per leg from the configured range */
static int leg_media(struct leg *l, struct mcptt *m)
{
	const struct sys *sys = m->sys;
	uint32_t lo = (uint32_t)sys->cfg.rtp_port_min & ~1u;
	uint32_t hi = (uint32_t)sys->cfg.rtp_port_max;
	int err = EADDRINUSE;

	for (unsigned i = 0; i < PORT_TRIES; i++) {
		uint32_t p = m->next_port;

		m->next_port += 4;
		if (m->next_port + 3 > hi)
			m->next_port = lo;
		if (p + 2 > hi)
			continue;

		err = bind_port(&l->rtp, &l->l_rtp, &sys->laddr, p,
				rtp_handler, l);
		if (!err)
			err = bind_port(&l->rtcp, &l->l_rtcp, &sys->laddr,
					p + 1, rtcp_handler, l);
		if (!err)
			err = bind_port(&l->fl, &l->l_fl, &sys->laddr, p + 2,
					floor_handler, l);
		if (!err)
			return 0;

		l->rtp = mem_deref(l->rtp);
		l->rtcp = mem_deref(l->rtcp);
		l->fl = mem_deref(l->fl);

		/* only a port in use is worth trying the next one for; out
		 * of descriptors (EMFILE) or memory, every port fails */
		if (err != EADDRINUSE)
			break;
	}

	return err;
}


/* ---- floor control ---- */

static void fcs_send(void *arg, unsigned p, const struct mbcp_msg *m)
{
	struct call *c = arg;
	struct leg *l = &c->leg[p];
	struct mbuf *mb;

	if (!l->sdp.floor.present || !sa_isset(&l->sdp.floor.addr, SA_ALL))
		return;

	mb = mbuf_alloc(256);
	if (!mb)
		return;

	if (!mbcp_encode(mb, m)) {
		mb->pos = 0;
		(void)udp_send(l->fl, &l->sdp.floor.addr, mb);
	}
	mem_deref(mb);
}


static void fcs_tmr_handler(void *arg)
{
	struct fcs_tmr *ft = arg;

	fcs_timeout(&ft->call->fcs, ft->t);
}


static void fcs_timer(void *arg, enum fcs_timer t, uint32_t ms)
{
	struct call *c = arg;
	struct fcs_tmr *ft = &c->ftmr[t];

	if (!ms) {
		tmr_cancel(&ft->tmr);
		return;
	}
	tmr_start(&ft->tmr, ms, fcs_tmr_handler, ft);
}


static void fcs_event(void *arg, enum fcs_event ev, int p)
{
	struct call *c = arg;
	static const char *names[] = {"granted", "denied", "idle", "revoked"};
	const char *who = p >= 0 ? c->leg[p].mc_id : "-";

	if (ev == FCS_EV_GRANTED && !c->t_granted)
		c->t_granted = mcx_mono_us();

	mcx_log(MCX_INFO, "call", "call %u: floor %s (%s)", c->id,
		names[ev], who);
}


static const struct fcs_ops fcs_ops = {fcs_send, fcs_timer, fcs_event};


static void floor_start(struct call *c)
{
	const struct sys *sys = c->m->sys;
	const char *ids[2] = {c->leg[0].mc_id, c->leg[1].mc_id};
	struct fcs_conf fc;

	memset(&fc, 0, sizeof(fc));
	fc.t1_ms = (uint32_t)sys->cfg.floor_t1 * 1000;
	fc.t2_ms = (uint32_t)sys->cfg.floor_t2 * 1000;
	fc.t8_ms = (uint32_t)sys->cfg.floor_t8 * 1000;
	fc.t20_ms = (uint32_t)sys->cfg.floor_t20_ms;
	fc.c20 = (unsigned)sys->cfg.floor_c20;
	fc.ack_granted = false;
	fc.floor_ind = MBCP_FI_NORMAL;
	fc.max_priority = 15;
	fc.ssrc = c->ssrc;

	for (unsigned t = 0; t < FCS_TIMERS; t++) {
		c->ftmr[t].call = c;
		c->ftmr[t].t = (enum fcs_timer)t;
	}

	if (fcs_init(&c->fcs, &fc, &fcs_ops, c, 2, ids))
		return;
	c->fcs_started = true;

	/* the INVITE asked for the floor (TS 24.380 6.3.4.3.x, implicit) */
	if (c->leg[0].sdp.floor.implicit_request)
		fcs_request(&c->fcs, 0, c->leg[0].sdp.floor.priority);
}


/* ---- bodies ---- */

static int sdp_of(struct mbuf *mb, const struct leg *l, bool floor,
		  const struct mcsdp *peer)
{
	struct mcsdp s;

	memset(&s, 0, sizeof(s));
	s.sess_id = rand_u32();
	s.sess_ver = 1;
	s.audio = l->l_rtp;
	s.rtcp = l->l_rtcp;
	s.audio_pt = MCSDP_PT_PCMU;
	s.pcmu = true;
	if (floor) {
		s.floor.present = true;
		s.floor.addr = l->l_fl;
		s.floor.queueing = peer ? peer->floor.queueing : false;
		s.floor.priority = peer ? peer->floor.priority : 0;
	}

	return mcsdp_encode(mb, &s);
}


static int info_of(struct mbuf *mb, const struct call *c)
{
	struct mcx_info *info = NULL;
	int err;

	err = mcx_info_alloc(&info, MCX_SVC_MCPTT);
	if (err)
		return err;

	err = mcx_strset(&info->session_type, "private");
	err |= mcx_content_set(&info->calling_user_id, MCX_WRAP_URI,
			       c->leg[0].mc_id);
	err |= mcx_content_set(&info->called_party_id, MCX_WRAP_URI,
			       c->leg[1].mc_id);
	if (!err)
		err = mcx_info_encode(mb, info);
	mem_deref(info);

	return err;
}


/* SDP and mcptt-info as multipart/mixed: body and its Content-Type */
static int body_of(struct mbuf **mbp, char *ctype, size_t ctsz,
		   const struct call *c, const struct leg *l,
		   const struct mcsdp *peer)
{
	struct multipart *mp = NULL;
	struct mbuf *sdp = mbuf_alloc(512), *info = mbuf_alloc(512);
	struct mbuf *mb = mbuf_alloc(1024);
	int err = ENOMEM;

	if (!sdp || !info || !mb)
		goto out;

	err = sdp_of(sdp, l, c->floor, peer);
	err |= info_of(info, c);
	err |= multipart_alloc(&mp);
	if (err)
		goto out;

	err = multipart_add(mp, "application/sdp", NULL, sdp->buf, sdp->end);
	err |= multipart_add(mp, MCX_MCPTT_INFO_MIME, NULL, info->buf,
			     info->end);
	err |= multipart_encode(mb, mp);
	if (!err && re_snprintf(ctype, ctsz, "%H", multipart_ctype_print,
				mp) < 0)
		err = ENOSPC;
	if (err)
		goto out;

	mb->pos = 0;
	*mbp = mem_ref(mb);

 out:
	mem_deref(mp);
	mem_deref(sdp);
	mem_deref(info);
	mem_deref(mb);

	return err;
}


/* The SDP of a message whose body is SDP or multipart with an SDP part */
static int sdp_from(struct mcsdp *s, const struct sip_msg *msg,
		    size_t maxbody, struct mcx_diag *diag)
{
	struct multipart *mp = NULL;
	const struct mpart *p;
	int err;

	err = mcsip_body(&mp, msg, maxbody, diag);
	if (err)
		return err;

	p = multipart_find(mp, "application/sdp");
	if (!p)
		err = mcx_diag_set(diag, EBADMSG, "no SDP in the body");
	else
		err = mcsdp_decode(s, p->data, p->len, diag);
	mem_deref(mp);

	return err;
}


/* ---- the call's life ---- */

static void call_destructor(void *arg)
{
	struct call *c = arg;

	list_unlink(&c->le);
	tmr_cancel(&c->tmr_setup);
	tmr_cancel(&c->tmr_media);
	for (unsigned t = 0; t < FCS_TIMERS; t++)
		tmr_cancel(&c->ftmr[t].tmr);

	for (unsigned i = 0; i < 2; i++) {
		struct leg *l = &c->leg[i];

		mcdlg_close(l->dlg, 0, NULL, NULL);
		mem_deref(l->rtp);
		mem_deref(l->rtcp);
		mem_deref(l->fl);
	}
}


static void call_end(struct call *c, const char *why)
{
	if (c->state == CALL_ENDED)
		return;

	if (c->state == CALL_SETUP)
		++c->m->sys->stats.calls_failed;

	c->state = CALL_ENDED;
	c->t_end = mcx_mono_us();
	str_ncpy(c->end_reason, why, sizeof(c->end_reason));
	if (c->fcs_started)
		fcs_stop(&c->fcs);

	mcx_log(MCX_INFO, "call", "call %u %s -> %s ended: %s", c->id,
		c->leg[0].mc_id, c->leg[1].mc_id, why);

	mem_deref(c);
}


/* Close one leg's dialog with the given content; the leg forgets it */
static void leg_close(struct leg *l, uint16_t scode, const char *reason,
		      const struct mcdlg_content *ct)
{
	mcdlg_close(l->dlg, scode, reason, ct);
	l->dlg = NULL;
}


/* Headers of msg named name, as "Name: value\r\n" lines */
static int hdrs_copy(struct mbuf *mb, const struct sip_msg *msg,
		     const char *name)
{
	int err = 0;

	for (struct le *le = msg->hdrl.head; le; le = le->next) {
		const struct sip_hdr *h = le->data;

		if (!pl_strcasecmp(&h->name, name))
			err |= mbuf_printf(mb, "%s: %r\r\n", name, &h->val);
	}

	return err;
}


/* The BYE of one side goes to the other with its Reason and body */
static void relay_bye(struct leg *from, const struct sip_msg *bye)
{
	struct leg *to = other(from);
	const struct sip_hdr *ct = sip_msg_hdr(bye, SIP_HDR_CONTENT_TYPE);
	struct mbuf *hdrs = mbuf_alloc(256);
	struct mcdlg_content content;
	char ctype[256] = "";

	memset(&content, 0, sizeof(content));
	if (hdrs && !hdrs_copy(hdrs, bye, "Reason") &&
	    !mbuf_write_u8(hdrs, 0))
		content.hdrs = (const char *)hdrs->buf;
	if (ct && mbuf_get_left(bye->mb) && !pl_strcpy(&ct->val, ctype,
						       sizeof(ctype))) {
		content.ctype = ctype;
		content.body = bye->mb;
	}

	leg_close(to, 0, NULL, &content);
	mem_deref(hdrs);
}


/* The callee refused: the caller gets the same status and Warning */
static void relay_failure(struct call *c, const struct sip_msg *resp)
{
	struct mbuf *hdrs = mbuf_alloc(256);
	struct mcdlg_content content;
	char reason[64];

	memset(&content, 0, sizeof(content));
	if (hdrs && !hdrs_copy(hdrs, resp, "Warning") &&
	    !hdrs_copy(hdrs, resp, "Reason") && !mbuf_write_u8(hdrs, 0))
		content.hdrs = (const char *)hdrs->buf;

	(void)pl_strcpy(&resp->reason, reason, sizeof(reason));
	leg_close(&c->leg[0], resp->scode, reason, &content);
	mem_deref(hdrs);
}


/* End the caller's INVITE with a status of ours and a Warning */
static void fail_caller(struct call *c, uint16_t scode, const char *reason,
			unsigned warn, const char *text)
{
	struct mcdlg_content content;
	char w[300], hdr[320];

	memset(&content, 0, sizeof(content));
	if (!mcsip_warning(w, sizeof(w), c->m->sys->cfg.domain, warn, text)) {
		(void)re_snprintf(hdr, sizeof(hdr), "Warning: %s\r\n", w);
		content.hdrs = hdr;
	}
	++c->m->sys->stats.sip_rejected;
	leg_close(&c->leg[0], scode, reason, &content);
}


/* A BYE of ours to both ends, saying why */
static void release_both(struct call *c, const char *why)
{
	struct mcdlg_content content;
	char hdr[300];

	memset(&content, 0, sizeof(content));
	(void)re_snprintf(hdr, sizeof(hdr), "Reason: SIP;cause=480;"
			  "text=\"%s\"\r\n", why);
	content.hdrs = hdr;

	for (unsigned i = 0; i < 2; i++) {
		if (c->state == CALL_SETUP && i == 0)
			fail_caller(c, 480, "Temporarily Unavailable",
				    MCSIP_W_BAD_BODY, why);
		else
			leg_close(&c->leg[i], 480, "Temporarily Unavailable",
				  &content);
	}

	call_end(c, why);
}


static void media_check(void *arg)
{
	struct call *c = arg;
	uint64_t now = tmr_jiffies();
	uint64_t limit = (uint64_t)c->m->sys->cfg.media_timeout * 1000;

	for (unsigned i = 0; i < 2; i++) {
		const struct leg *l = &c->leg[i];
		char why[160];

		if (now - l->last_rx < limit)
			continue;

		(void)re_snprintf(why, sizeof(why), "media timeout: %s sent "
				  "nothing for %lld s", l->mc_id,
				  (long long)c->m->sys->cfg.media_timeout);
		release_both(c, why);
		return;
	}

	tmr_start(&c->tmr_media, MEDIA_CHECK_MS, media_check, c);
}


static void setup_timeout(void *arg)
{
	struct call *c = arg;
	char why[160];

	(void)re_snprintf(why, sizeof(why), "%s did not answer within %lld s",
			  c->leg[1].mc_id,
			  (long long)c->m->sys->cfg.call_setup_timeout);
	leg_close(&c->leg[1], 0, NULL, NULL);	/* CANCEL */
	fail_caller(c, 480, "Temporarily Unavailable", MCSIP_W_BAD_BODY,
		    why);
	call_end(c, why);
}


/* ---- the callee's leg ---- */

static void callee_progress(struct mcdlg *d, const struct sip_msg *msg,
			    void *arg)
{
	struct leg *l = arg;
	struct call *c = l->call;
	(void)d;

	if (msg->scode != 180 || c->t_ringing)
		return;

	c->t_ringing = mcx_mono_us();
	(void)mcdlg_progress(c->leg[0].dlg, 180, "Ringing", NULL);
}


/* The callee answered: answer the caller with our side of leg 0 */
static void callee_estab(struct mcdlg *d, const struct sip_msg *msg,
			 void *arg)
{
	struct leg *l = arg;
	struct call *c = l->call;
	struct mcdlg_content content;
	struct mcx_diag diag;
	struct mbuf *body = NULL;
	char ctype[128], why[200], pai[STORE_URI_MAX + 32];
	int err;
	(void)d;

	tmr_cancel(&c->tmr_setup);
	c->t_answer = mcx_mono_us();

	mcx_diag_clear(&diag);
	err = sdp_from(&l->sdp, msg, (size_t)c->m->sys->cfg.max_body, &diag);
	if (!err && !l->sdp.pcmu)
		err = mcx_diag_set(&diag, EPROTO, "the callee's answer has "
				   "no PCMU");
	if (!err && c->floor && !l->sdp.floor.present)
		err = mcx_diag_set(&diag, EPROTO, "the callee refused floor "
				   "control");
	if (err) {
		(void)re_snprintf(why, sizeof(why), "unusable answer from "
				  "%s: %s", l->mc_id, diag.reason);
		release_both(c, why);
		return;
	}

	err = body_of(&body, ctype, sizeof(ctype), c, &c->leg[0],
		      &c->leg[0].sdp);
	if (err) {
		release_both(c, "cannot build the answer");
		return;
	}

	/* who answered, asserted towards the caller (stage3-notes 1.4) */
	(void)re_snprintf(pai, sizeof(pai), "P-Asserted-Identity: <%s>\r\n",
			  c->leg[1].mc_id);

	memset(&content, 0, sizeof(content));
	content.ctype = ctype;
	content.body = body;
	content.hdrs = pai;
	err = mcdlg_answer(c->leg[0].dlg, 200, "OK", &content);
	mem_deref(body);
	if (err) {
		release_both(c, "cannot answer the caller");
		return;
	}

	c->state = CALL_ANSWERED;
	touch(&c->leg[0]);
	touch(&c->leg[1]);
	tmr_start(&c->tmr_media, MEDIA_CHECK_MS, media_check, c);
}


static void leg_closed(struct mcdlg *d, int err, const struct sip_msg *msg,
		       void *arg)
{
	struct leg *l = arg;
	struct call *c = l->call;
	char why[200];
	(void)d;

	if (c->state == CALL_ENDED)
		return;

	if (msg && msg->req) {
		/* BYE: pass it on, Reason and body included */
		const struct sip_hdr *r = sip_msg_xhdr(msg, "Reason");

		(void)re_snprintf(why, sizeof(why), "BYE from %s%s%r",
				  l->mc_id, r ? ": " : "",
				  r ? &r->val : NULL);
		leg_close(l, 0, NULL, NULL);
		relay_bye(l, msg);
		call_end(c, why);
		return;
	}

	if (l->idx == 1 && c->state == CALL_SETUP) {
		leg_close(l, 0, NULL, NULL);
		if (msg) {
			(void)re_snprintf(why, sizeof(why), "%s answered %u "
					  "%r", l->mc_id, msg->scode,
					  &msg->reason);
			relay_failure(c, msg);
		}
		else {
			(void)re_snprintf(why, sizeof(why), "%s unreachable: "
					  "%s", l->mc_id, strerror(err));
			fail_caller(c, err == ETIMEDOUT ? 408 : 480,
				    err == ETIMEDOUT ? "Request Timeout" :
				    "Temporarily Unavailable",
				    MCSIP_W_BAD_BODY, why);
		}
		call_end(c, why);
		return;
	}

	if (l->idx == 0 && err == ECANCELED) {
		leg_close(l, 0, NULL, NULL);
		(void)re_snprintf(why, sizeof(why), "%s cancelled", l->mc_id);
		release_both(c, why);
		return;
	}

	(void)re_snprintf(why, sizeof(why), "%s: dialog ended (%s)",
			  l->mc_id, err ? strerror(err) : "no reason");
	leg_close(l, 0, NULL, NULL);
	release_both(c, why);
}


/* The caller's ACK: the call is up, floor control starts */
static void caller_estab(struct mcdlg *d, const struct sip_msg *msg,
			 void *arg)
{
	struct leg *l = arg;
	struct call *c = l->call;
	(void)d;
	(void)msg;

	c->t_ack = mcx_mono_us();
	c->state = CALL_ACTIVE;
	touch(l);

	mcx_log(MCX_INFO, "call", "call %u %s -> %s connected in %llu ms%s",
		c->id, c->leg[0].mc_id, c->leg[1].mc_id,
		(unsigned long long)(c->t_ack - c->t_invite) / 1000,
		c->floor ? ", floor control" : "");

	if (c->floor)
		floor_start(c);
}


static const struct mcdlg_handlers caller_h = {
	NULL, caller_estab, leg_closed, NULL
};

static const struct mcdlg_handlers callee_h = {
	callee_progress, callee_estab, leg_closed, NULL
};


/* ---- a new call ---- */

/* What the INVITE asks for, checked; a 4xx already sent if not */
struct request {
	struct mcsdp sdp;
	char callee[STORE_URI_MAX + 1];
	bool manual;
};


static bool reject(struct sys *sys, const struct sip_msg *msg,
		   uint16_t scode, const char *reason, unsigned warn,
		   const char *text)
{
	(void)sipcore_reply(sys, msg, scode, reason, warn, "%s", text);
	return false;
}


static bool request_check(struct mcptt *m, const struct sip_msg *msg,
			  const struct store_user *caller,
			  const struct svcauth *auth, struct request *rq,
			  struct store_user *callee)
{
	struct sys *sys = m->sys;
	struct multipart *mp = NULL;
	struct mcx_info *info = NULL;
	struct rlist *rl = NULL;
	struct profile *prof = NULL;
	const struct mpart *p;
	const struct sip_hdr *am;
	struct mcx_diag diag;
	char text[256];
	bool ok = false;
	int err;

	mcx_diag_clear(&diag);
	memset(rq, 0, sizeof(*rq));

	err = mcsip_body(&mp, msg, (size_t)sys->cfg.max_body, &diag);
	if (err == EMSGSIZE)
		return reject(sys, msg, 413, "Request Entity Too Large",
			      MCSIP_W_BAD_BODY, diag.reason);
	if (err)
		return reject(sys, msg, 400, "Bad Request", MCSIP_W_BAD_BODY,
			      diag.reason);

	p = multipart_find(mp, MCX_MCPTT_INFO_MIME);
	if (!p) {
		reject(sys, msg, 400, "Bad Request", MCSIP_W_BAD_BODY,
		       "no mcptt-info body");
		goto out;
	}
	if (mcx_info_decode(&info, MCX_SVC_MCPTT, p->data, p->len, &diag)) {
		(void)re_snprintf(text, sizeof(text), "mcptt-info: %s",
				  diag.reason);
		reject(sys, msg, 400, "Bad Request", MCSIP_W_BAD_BODY, text);
		goto out;
	}
	if (!info->session_type || strcmp(info->session_type, "private")) {
		(void)re_snprintf(text, sizeof(text), "<session-type> %s: "
				  "only private calls are served",
				  info->session_type ? info->session_type :
				  "missing");
		reject(sys, msg, 403, "Forbidden", MCSIP_W_NOT_ALLOWED, text);
		goto out;
	}

	p = multipart_find(mp, "application/resource-lists+xml");
	if (!p) {
		reject(sys, msg, 403, "Forbidden", MCSIP_W_NO_CALLED_PARTY,
		       "no resource-lists body naming the called user");
		goto out;
	}
	if (rlist_decode(&rl, p->data, p->len, &diag)) {
		(void)re_snprintf(text, sizeof(text), "resource-lists: %s",
				  diag.reason);
		reject(sys, msg, 400, "Bad Request", MCSIP_W_BAD_BODY, text);
		goto out;
	}
	if (rlist_count(rl) != 1) {
		reject(sys, msg, 403, "Forbidden", MCSIP_W_NO_CALLED_PARTY,
		       "a private call has exactly one called user");
		goto out;
	}
	str_ncpy(rq->callee, rlist_first_uri(rl), sizeof(rq->callee));

	p = multipart_find(mp, "application/sdp");
	if (!p) {
		reject(sys, msg, 400, "Bad Request", MCSIP_W_BAD_BODY,
		       "no SDP offer");
		goto out;
	}
	if (mcsdp_decode(&rq->sdp, p->data, p->len, &diag)) {
		(void)re_snprintf(text, sizeof(text), "SDP: %s", diag.reason);
		reject(sys, msg, 488, "Not Acceptable Here", MCSIP_W_BAD_BODY,
		       text);
		goto out;
	}
	if (!rq->sdp.pcmu) {
		reject(sys, msg, 488, "Not Acceptable Here", MCSIP_W_BAD_BODY,
		       "SDP: the audio stream must offer PCMU (payload 0)");
		goto out;
	}

	am = sip_msg_xhdr(msg, "Answer-Mode");
	rq->manual = !am || pl_strcasecmp(&am->val, "Auto");

	if (!strcmp(rq->callee, caller->mc_id)) {
		reject(sys, msg, 403, "Forbidden", MCSIP_W_NOT_TO_THIS_USER,
		       "a user cannot call itself");
		goto out;
	}

	/* the caller's profile must allow this call */
	{
		uint8_t idx[STORE_INDEXES];
		size_t n = 0;
		struct mbuf *doc = NULL;
		uint8_t use;

		err = store_profile_list(sys->store, caller->mc_id,
					 MCX_SVC_MCPTT, idx, &n);
		if (err || !n) {
			reject(sys, msg, 403, "Forbidden",
			       MCSIP_W_NO_PRIVATE_CALLS, "no MCPTT user "
			       "profile for the caller");
			goto out;
		}
		use = idx[0];
		for (size_t i = 0; auth->has_index && i < n; i++)
			if (idx[i] == auth->profile_index)
				use = idx[i];

		err = store_profile_get(sys->store, caller->mc_id,
					MCX_SVC_MCPTT, use, &doc);
		if (!err)
			err = profile_decode(&prof, MCX_SVC_MCPTT,
					     mbuf_buf(doc),
					     mbuf_get_left(doc), &diag);
		mem_deref(doc);
		if (err) {
			reject(sys, msg, 500, "Server Internal Error",
			       MCSIP_W_BAD_BODY, "the caller's profile cannot "
			       "be read");
			goto out;
		}
		if (!profile_allows(prof, PA_PRIVATE_CALL)) {
			reject(sys, msg, 403, "Forbidden",
			       MCSIP_W_NO_PRIVATE_CALLS, "the caller's "
			       "profile does not allow private calls");
			goto out;
		}
		if (!profile_allows(prof, rq->manual ?
				    PA_MANUAL_COMMENCEMENT :
				    PA_AUTO_COMMENCEMENT)) {
			(void)re_snprintf(text, sizeof(text), "the caller's "
					  "profile does not allow %s "
					  "commencement", rq->manual ?
					  "manual" : "automatic");
			reject(sys, msg, 403, "Forbidden",
			       MCSIP_W_NOT_ALLOWED, text);
			goto out;
		}
		if (!profile_may_call(prof, rq->callee)) {
			(void)re_snprintf(text, sizeof(text), "the caller's "
					  "profile does not allow calling %s",
					  rq->callee);
			reject(sys, msg, 403, "Forbidden",
			       MCSIP_W_NOT_TO_THIS_USER, text);
			goto out;
		}
	}

	/* the callee: ours, known, registered and authorized */
	if (store_user_get(sys->store, STORE_BY_MC_ID, rq->callee, callee)) {
		(void)re_snprintf(text, sizeof(text), "no MCPTT user %s here",
				  rq->callee);
		reject(sys, msg, 404, "Not Found", MCSIP_W_UNKNOWN_USER, text);
		goto out;
	}
	if (!mcptt_auth_find(m, callee->impu) ||
	    !registrar_is_registered(sys->reg, callee->impu)) {
		(void)re_snprintf(text, sizeof(text), "%s is not registered "
				  "and authorized", rq->callee);
		reject(sys, msg, 480, "Temporarily Unavailable",
		       MCSIP_W_NO_SETTINGS, text);
		goto out;
	}

	ok = true;

 out:
	mem_deref(prof);
	mem_deref(rl);
	mem_deref(info);
	mem_deref(mp);

	return ok;
}


static int invite_callee(struct call *c, const struct store_user *caller,
			 const struct store_user *callee)
{
	struct sys *sys = c->m->sys;
	struct mcdlg_invite inv;
	struct mbuf *body = NULL;
	char contact[STORE_URI_MAX + 1], ctype[128], hdrs[640], cparams[160];
	int err;

	err = registrar_lookup(sys->reg, callee->impu, contact,
			       sizeof(contact));
	if (err)
		return err;

	err = body_of(&body, ctype, sizeof(ctype), c, &c->leg[1], NULL);
	if (err)
		return err;

	(void)re_snprintf(hdrs, sizeof(hdrs),
			  "P-Asserted-Identity: <%s>\r\n"
			  "P-Asserted-Service: %s\r\n"
			  "Accept-Contact: *;%s;require;explicit\r\n"
			  "Accept-Contact: *;%s;require;explicit\r\n"
			  "Answer-Mode: %s\r\n",
			  caller->impu, MCSIP_ICSI_MCPTT, MCSIP_TAG_MCPTT,
			  MCSIP_TAG_ICSI_MCPTT,
			  c->manual ? "Manual" : "Auto");
	(void)re_snprintf(cparams, sizeof(cparams), ";%s;%s;isfocus",
			  MCSIP_TAG_MCPTT, MCSIP_TAG_ICSI_MCPTT);

	memset(&inv, 0, sizeof(inv));
	inv.req_uri = contact;
	inv.to_uri = callee->mc_id;
	inv.from_uri = caller->mc_id;
	inv.from_name = caller->display_name[0] ? caller->display_name :
		NULL;
	inv.contact.user = c->sess_user;
	inv.contact.params = cparams;
	inv.hdrs = hdrs;
	inv.ctype = ctype;
	inv.body = body;

	err = mcdlg_connect(&c->leg[1].dlg, sys->dlgs, &inv, &callee_h,
			    &c->leg[1]);
	mem_deref(body);

	return err;
}


int call_incoming(struct mcptt *m, const struct sip_msg *msg,
		  const struct store_user *caller,
		  const struct svcauth *auth)
{
	struct sys *sys = m->sys;
	struct store_user callee;
	struct request rq;
	struct mcdlg_contact contact;
	struct call *c;
	char cparams[160];
	int err;

	if (mcptt_call_count(m) >= (unsigned)sys->cfg.max_calls) {
		(void)sipcore_reply(sys, msg, 503, "Service Unavailable",
				    MCSIP_W_BAD_BODY, "%lld calls already",
				    (long long)sys->cfg.max_calls);
		return EBUSY;
	}

	if (!request_check(m, msg, caller, auth, &rq, &callee))
		return EPROTO;

	c = mem_zalloc(sizeof(*c), call_destructor);
	if (!c) {
		(void)sip_reply(sys->sip, msg, 500, "Server Internal Error");
		return ENOMEM;
	}

	c->m = m;
	c->id = m->next_call_id++;
	c->state = CALL_SETUP;
	c->floor = rq.sdp.floor.present;
	c->manual = rq.manual;
	c->ssrc = rand_u32();
	/* the MCPTT session identity: one URI per call, in the Contact of
	 * both legs with isfocus (TS 24.379 4.5); random, so that it names
	 * this call and no other, also across restarts */
	(void)re_snprintf(c->sess_user, sizeof(c->sess_user), "pc-%016llx",
			  (unsigned long long)rand_u64());
	c->t_invite = mcx_mono_us();
	tmr_init(&c->tmr_setup);
	tmr_init(&c->tmr_media);
	for (unsigned i = 0; i < 2; i++) {
		c->leg[i].call = c;
		c->leg[i].idx = i;
	}
	str_ncpy(c->leg[0].mc_id, caller->mc_id, sizeof(c->leg[0].mc_id));
	str_ncpy(c->leg[1].mc_id, callee.mc_id, sizeof(c->leg[1].mc_id));
	c->leg[0].sdp = rq.sdp;
	list_append(&m->calls, &c->le, c);
	++sys->stats.calls;

	(void)re_snprintf(cparams, sizeof(cparams), ";%s;%s;isfocus",
			  MCSIP_TAG_MCPTT, MCSIP_TAG_ICSI_MCPTT);
	contact.user = c->sess_user;
	contact.params = cparams;
	err = mcdlg_accept(&c->leg[0].dlg, sys->dlgs, msg, &contact,
			   &caller_h, &c->leg[0]);
	if (err) {
		(void)sipcore_reply(sys, msg, 400, "Bad Request",
				    MCSIP_W_BAD_BODY, "cannot accept: %s",
				    strerror(err));
		call_end(c, "not accepted");
		return err;
	}

	err = leg_media(&c->leg[0], m);
	if (!err)
		err = leg_media(&c->leg[1], m);
	if (err) {
		char why[96];

		if (err == EADDRINUSE)
			(void)re_snprintf(why, sizeof(why), "no media relay "
					  "ports left in %lld..%lld",
					  (long long)m->sys->cfg.rtp_port_min,
					  (long long)m->sys->cfg.rtp_port_max);
		else
			(void)re_snprintf(why, sizeof(why), "media relay: %s",
					  strerror(err));
		mcx_log(MCX_WARN, "call", "call %u: %s", c->id, why);
		fail_caller(c, 503, "Service Unavailable", MCSIP_W_BAD_BODY,
			    why);
		call_end(c, "no media ports");
		return err;
	}

	err = invite_callee(c, caller, &callee);
	if (err) {
		fail_caller(c, 480, "Temporarily Unavailable",
			    MCSIP_W_NO_SETTINGS, "cannot reach the callee");
		call_end(c, "callee unreachable");
		return err;
	}

	tmr_start(&c->tmr_setup, (uint64_t)sys->cfg.call_setup_timeout * 1000,
		  setup_timeout, c);

	mcx_log(MCX_INFO, "call", "call %u: %s calls %s (%s%s)", c->id,
		caller->mc_id, callee.mc_id, c->manual ? "manual" :
		"automatic", c->floor ? ", floor control" : "");

	return 0;
}


void call_close_all(struct mcptt *m)
{
	struct le *le = m->calls.head;

	while (le) {
		struct call *c = le->data;

		le = le->next;
		release_both(c, "the MC system is shutting down");
	}
}


static int leg_print(struct re_printf *pf, const struct leg *l)
{
	return re_hprintf(pf, "{\"mc_id\":%H,\"dialog\":\"%s\","
			  "\"rtp_in\":%llu,\"rtp_out\":%llu,"
			  "\"rtp_dropped\":%llu,\"rtcp_in\":%llu,"
			  "\"floor_in\":%llu}",
			  mcx_json_str, l->mc_id,
			  l->dlg ? mcdlg_state_name(mcdlg_state(l->dlg)) :
			  "closed",
			  (unsigned long long)l->rx_rtp,
			  (unsigned long long)l->tx_rtp,
			  (unsigned long long)l->dropped,
			  (unsigned long long)l->rx_rtcp,
			  (unsigned long long)l->rx_floor);
}


static uint64_t ms_since(uint64_t t0, uint64_t t)
{
	return t && t0 ? (t - t0) / 1000 : 0;
}


/** One call as JSON (le: its list element in mcptt.calls) */
int call_print(struct re_printf *pf, const struct le *le)
{
	const struct call *c = le->data;

	return re_hprintf(pf, "{\"id\":%u,\"session\":\"sip:%s@%s\","
			  "\"state\":\"%s\","
			  "\"mode\":\"%s\",\"floor_control\":%s,"
			  "\"floor\":\"%s\",\"floor_holder\":%H,"
			  "\"caller\":%H,\"callee\":%H,"
			  "\"ms_ringing\":%llu,\"ms_answered\":%llu,"
			  "\"ms_connected\":%llu,\"ms_granted\":%llu}",
			  c->id, c->sess_user, c->m->sys->cfg.domain,
			  state_name(c->state),
			  c->manual ? "manual" : "automatic",
			  c->floor ? "true" : "false",
			  c->fcs_started ? fcs_state_name(c->fcs.state) :
			  "none", mcx_json_str, c->fcs_started &&
			  c->fcs.holder >= 0 ? c->leg[c->fcs.holder].mc_id :
			  NULL, leg_print, &c->leg[0], leg_print, &c->leg[1],
			  (unsigned long long)ms_since(c->t_invite,
						       c->t_ringing),
			  (unsigned long long)ms_since(c->t_invite,
						       c->t_answer),
			  (unsigned long long)ms_since(c->t_invite, c->t_ack),
			  (unsigned long long)ms_since(c->t_invite,
						       c->t_granted));
}
