/**
 * @file ccall.c  The client's private calls (TS 24.379 11.1.1.2, 11.1.3.1)
 *
 * Outgoing: INVITE to the MCPTT PSI with a multipart body (SDP offer with
 * the audio and floor-control streams, mcptt-info session-type private,
 * resource-lists naming the callee), Answer-Mode Auto or Manual.  The
 * floor participant asks for the floor implicitly (mc_implicit_request);
 * the server grants it once the call is up.
 *
 * Incoming: the server's INVITE carries its SDP offer and mcptt-info with
 * the caller.  Answer-Mode: Auto is answered at once (automatic
 * commencement); otherwise the client rings (180) and waits for
 * mcxc_answer() or mcxc_reject(), unless answer_auto is configured.
 *
 * Audio is sent only while the floor participant may send (or always,
 * in a call without floor control).
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/astream.h>
#include <mcx/diag.h>
#include <mcx/fcp.h>
#include <mcx/info.h>
#include <mcx/log.h>
#include <mcx/mbcp.h>
#include <mcx/mcdlg.h>
#include <mcx/mcsdp.h>
#include <mcx/mcsip.h>
#include <mcx/multipart.h>
#include <mcx/rlist.h>
#include <mcx/str.h>
#include "client_int.h"

enum ccall_state {
	CC_CALLING,		/* INVITE sent                    */
	CC_INCOMING,		/* INVITE received, not answered  */
	CC_ANSWERED,		/* 200 sent, no ACK yet           */
	CC_CONNECTED,
	CC_ENDED,
};

struct ccall;

struct ftmr {
	struct tmr tmr;
	struct ccall *cc;
	enum fcp_timer t;
};

struct ccall {
	struct le le;
	struct mcxc *c;
	unsigned id;
	bool outgoing;
	bool floor_ctrl;
	bool manual;
	enum ccall_state st;
	char peer[MCXC_STR];
	struct mcdlg *dlg;
	struct astream *as;
	struct udp_sock *fl;
	struct sa l_fl;
	struct mcsdp remote;		/* the other side's SDP */
	struct fcp fcp;
	bool fcp_started;
	struct ftmr ftmr[FCP_TIMERS];
	uint64_t t_start, t_connected;	/* wall clock, for display */
	uint64_t m_start;		/* monotonic, for the setup time */
};

static const char *state_names[] = {
	"calling", "incoming", "answered", "connected", "ended"
};


static void ccall_destructor(void *arg)
{
	struct ccall *cc = arg;

	list_unlink(&cc->le);
	for (unsigned t = 0; t < FCP_TIMERS; t++)
		tmr_cancel(&cc->ftmr[t].tmr);
	mcdlg_close(cc->dlg, 0, NULL, NULL);
	mem_deref(cc->as);
	mem_deref(cc->fl);
}


/* Audio flows while we may talk */
static void media_sync(struct ccall *cc)
{
	bool on = cc->st == CC_CONNECTED &&
		(!cc->floor_ctrl || fcp_may_send(&cc->fcp));

	(void)astream_send(cc->as, on);
}


static void ended(struct ccall *cc, const char *text, uint16_t scode,
		  const char *reason, const char *warning)
{
	struct mcxc *c = cc->c;
	unsigned id = cc->id;
	char peer[MCXC_STR];

	if (cc->st == CC_ENDED)
		return;

	cc->st = CC_ENDED;
	if (cc->fcp_started)
		fcp_stop(&cc->fcp);
	str_ncpy(peer, cc->peer, sizeof(peer));
	mem_deref(cc);

	mcxc_emit(c, MCXC_EV_ENDED, id, peer, text, scode, reason, warning,
		  0);
}


/* ---- floor participant ---- */

static void fcp_send(void *arg, const struct mbcp_msg *m)
{
	struct ccall *cc = arg;
	struct mbuf *mb;

	if (!sa_isset(&cc->remote.floor.addr, SA_ALL))
		return;

	mb = mbuf_alloc(256);
	if (!mb)
		return;
	if (!mbcp_encode(mb, m)) {
		mb->pos = 0;
		(void)udp_send(cc->fl, &cc->remote.floor.addr, mb);
	}
	mem_deref(mb);
}


static void ftmr_handler(void *arg)
{
	struct ftmr *ft = arg;
	struct ccall *cc = ft->cc;

	fcp_timeout(&cc->fcp, ft->t);
	media_sync(cc);
}


static void fcp_timer(void *arg, enum fcp_timer t, uint32_t ms)
{
	struct ccall *cc = arg;

	if (!ms)
		tmr_cancel(&cc->ftmr[t].tmr);
	else
		tmr_start(&cc->ftmr[t].tmr, ms, ftmr_handler, &cc->ftmr[t]);
}


static void fcp_event(void *arg, enum fcp_event ev, const struct mbcp_msg *m)
{
	static const char *names[] = {
		"granted", "denied", "taken", "idle", "revoked", "no-answer"
	};
	struct ccall *cc = arg;
	const char *who = NULL;
	char cause[64] = "";

	if (ev == FCP_EV_TAKEN && m && m->granted_party[0])
		who = m->granted_party;
	if ((ev == FCP_EV_DENIED || ev == FCP_EV_REVOKED) && m)
		(void)re_snprintf(cause, sizeof(cause), "cause %u%s%s",
				  m->reject.cause, m->reject.phrase[0] ?
				  ": " : "", m->reject.phrase);

	media_sync(cc);
	mcxc_emit(cc->c, MCXC_EV_FLOOR, cc->id, who, names[ev], 0,
		  cause[0] ? cause : NULL, NULL, 0);
}


static const struct fcp_ops fcp_ops = {fcp_send, fcp_timer, fcp_event};


static void floor_recv(const struct sa *src, struct mbuf *mb, void *arg)
{
	struct ccall *cc = arg;
	struct mcx_diag diag;
	struct mbcp_msg m;
	size_t used;

	if (!cc->fcp_started)
		return;

	if (mbcp_decode(&m, mbuf_buf(mb), mbuf_get_left(mb), &used, &diag)) {
		mcx_log(MCX_INFO, "floor", "MBCP from %J refused: %s", src,
			diag.reason);
		return;
	}

	fcp_recv(&cc->fcp, &m);
	media_sync(cc);
}


static void floor_start(struct ccall *cc, bool implicit)
{
	struct astream_stats st;
	struct fcp_conf fc;

	astream_stats(cc->as, &st);
	memset(&fc, 0, sizeof(fc));
	fc.t100_ms = 1000;
	fc.t101_ms = 1000;
	fc.c100 = 3;
	fc.c101 = 3;
	fc.priority = 1;
	fc.floor_ind = MBCP_FI_NORMAL;
	fc.ssrc = st.tx_ssrc;

	for (unsigned t = 0; t < FCP_TIMERS; t++) {
		cc->ftmr[t].cc = cc;
		cc->ftmr[t].t = (enum fcp_timer)t;
	}

	if (fcp_init(&cc->fcp, &fc, &fcp_ops, cc))
		return;
	cc->fcp_started = true;
	fcp_start(&cc->fcp, implicit);
}


/* ---- media and SDP ---- */

static void burst_handler(const struct astream_stats *st, void *arg)
{
	struct ccall *cc = arg;

	mcxc_emit(cc->c, MCXC_EV_MEDIA, cc->id, cc->peer, "audio", 0, NULL,
		  NULL, (int64_t)st->rx_bursts);
}


static int media_alloc(struct ccall *cc, bool floor_ctrl)
{
	struct mcxc *c = cc->c;
	struct sa laddr;
	uint16_t lo = c->next_port, hi = lo ? (uint16_t)(lo + 998) : 0;
	int err;

	(void)sa_set_str(&laddr, c->local_ip, 0);
	err = astream_alloc(&cc->as, &laddr, lo, hi, c->mc_id, burst_handler,
			    cc);
	if (err)
		return err;
	astream_set_source(cc->as, c->src);

	if (c->record_dir[0]) {
		char path[MCXC_STR * 2];

		(void)re_snprintf(path, sizeof(path), "%s/%s-call%u.wav",
				  c->record_dir, c->user, cc->id);
		err = astream_record(cc->as, path, NULL);
		if (err)
			return err;
	}

	if (!floor_ctrl)
		return 0;

	err = udp_listen(&cc->fl, &laddr, floor_recv, cc);
	if (!err)
		err = udp_local_get(cc->fl, &cc->l_fl);

	return err;
}


/* Our SDP: the offer (implicit floor request) or the answer, whose
 * mc_priority is at most the offered one and absent when it was
 * (TS 24.380 12.1.2.2) */
static int sdp_print(struct mbuf *mb, const struct ccall *cc, bool implicit)
{
	struct mcsdp s;

	memset(&s, 0, sizeof(s));
	s.sess_id = rand_u32();
	s.sess_ver = 1;
	s.audio = *astream_rtp_local(cc->as);
	s.rtcp = *astream_rtcp_local(cc->as);
	s.audio_pt = MCSDP_PT_PCMU;
	s.pcmu = true;
	if (cc->floor_ctrl) {
		s.floor.present = true;
		s.floor.addr = cc->l_fl;
		s.floor.implicit_request = implicit;
		s.floor.priority = cc->outgoing ? 1 :
			min(cc->remote.floor.priority, 1);
	}

	return mcsdp_encode(mb, &s);
}


/* The SDP in a message's body (SDP alone or a multipart part) */
static int sdp_of(struct mcsdp *s, const struct sip_msg *msg,
		  struct mcx_diag *diag)
{
	struct multipart *mp = NULL;
	const struct mpart *p;
	int err;

	err = mcsip_body(&mp, msg, MCSDP_MAX_SIZE * 8, diag);
	if (err)
		return err;

	p = multipart_find(mp, "application/sdp");
	err = p ? mcsdp_decode(s, p->data, p->len, diag) :
		mcx_diag_set(diag, EBADMSG, "no SDP in the body");
	mem_deref(mp);

	return err;
}


static void connected(struct ccall *cc)
{
	cc->st = CC_CONNECTED;
	cc->t_connected = mcx_now_us();
	(void)astream_set_remote(cc->as, &cc->remote.audio, &cc->remote.rtcp);

	mcxc_emit(cc->c, MCXC_EV_CONNECTED, cc->id, cc->peer,
		  cc->floor_ctrl ? "floor control" : "no floor control", 0,
		  NULL, NULL, (int64_t)(mcx_mono_us() - cc->m_start) / 1000);

	if (cc->floor_ctrl)
		floor_start(cc, cc->outgoing);
	media_sync(cc);
}


/* ---- dialog handlers ---- */

static void progr_h(struct mcdlg *d, const struct sip_msg *msg, void *arg)
{
	struct ccall *cc = arg;
	(void)d;

	if (msg->scode == 180)
		mcxc_emit(cc->c, MCXC_EV_RINGING, cc->id, cc->peer, NULL,
			  msg->scode, NULL, NULL, 0);
}


static void estab_h(struct mcdlg *d, const struct sip_msg *msg, void *arg)
{
	struct ccall *cc = arg;
	struct mcx_diag diag;
	(void)d;

	if (cc->outgoing) {
		mcx_diag_clear(&diag);
		if (sdp_of(&cc->remote, msg, &diag)) {
			ended(cc, "bad answer", 0, diag.reason, NULL);
			return;
		}
		if (cc->floor_ctrl && !cc->remote.floor.present)
			cc->floor_ctrl = false;	/* the server said no */
	}

	connected(cc);
}


static void close_h(struct mcdlg *d, int err, const struct sip_msg *msg,
		    void *arg)
{
	struct ccall *cc = arg;
	char reason[256] = "", warn[256] = "";
	const struct sip_hdr *h;
	(void)d;

	if (msg && msg->req) {
		h = sip_msg_xhdr(msg, "Reason");
		if (h)
			(void)re_snprintf(reason, sizeof(reason), "%r",
					  &h->val);
		ended(cc, "bye", 0, reason[0] ? reason : NULL, NULL);
		return;
	}

	if (msg) {
		h = sip_msg_hdr(msg, SIP_HDR_WARNING);
		if (h)
			(void)re_snprintf(warn, sizeof(warn), "%r", &h->val);
		(void)re_snprintf(reason, sizeof(reason), "%r", &msg->reason);
		ended(cc, "failed", msg->scode, reason,
		      warn[0] ? warn : NULL);
		return;
	}

	ended(cc, err == ECANCELED ? "cancelled" : "failed", 0,
	      strerror(err), NULL);
}


static const struct mcdlg_handlers handlers = {
	progr_h, estab_h, close_h, NULL
};


static struct ccall *ccall_new(struct mcxc *c, bool outgoing, bool floor,
			       const char *peer)
{
	struct ccall *cc = mem_zalloc(sizeof(*cc), ccall_destructor);

	if (!cc)
		return NULL;

	cc->c = c;
	cc->id = c->next_call++;
	cc->outgoing = outgoing;
	cc->floor_ctrl = floor;
	cc->t_start = mcx_now_us();
	cc->m_start = mcx_mono_us();
	str_ncpy(cc->peer, peer, sizeof(cc->peer));
	for (unsigned t = 0; t < FCP_TIMERS; t++)
		tmr_init(&cc->ftmr[t].tmr);
	list_append(&c->calls, &cc->le, cc);

	return cc;
}


/* ---- outgoing ---- */

static int invite_body(struct mbuf *mb, char *ctype, size_t ctsz,
		       const struct ccall *cc)
{
	struct mcx_info *info = NULL;
	struct rlist *rl = NULL;
	struct mbuf *sdp = mbuf_alloc(512), *xi = mbuf_alloc(512);
	struct mbuf *xr = mbuf_alloc(512);
	int err = ENOMEM;

	if (!sdp || !xi || !xr)
		goto out;

	err = sdp_print(sdp, cc, true);
	if (!err)
		err = mcx_info_alloc(&info, MCX_SVC_MCPTT);
	if (!err)
		err = mcx_strset(&info->session_type, "private");
	if (!err)
		err = mcx_info_encode(xi, info);
	if (!err)
		err = rlist_alloc(&rl);
	if (!err)
		err = rlist_add(rl, cc->peer, RLIST_COPY_TO);
	if (!err)
		err = rlist_encode(xr, rl);
	if (!err) {
		const struct body_part parts[] = {
			{ "application/sdp", NULL, sdp },
			{ MCX_MCPTT_INFO_MIME, NULL, xi },
			{ "application/resource-lists+xml", "recipient-list",
			  xr },
		};

		err = body_multipart(mb, ctype, ctsz, parts,
				     ARRAY_SIZE(parts));
	}

 out:
	mem_deref(info);
	mem_deref(rl);
	mem_deref(sdp);
	mem_deref(xi);
	mem_deref(xr);

	return err;
}


int mcxc_call(struct mcxc *c, const char *peer, bool manual,
	      bool floor_ctrl, unsigned *idp, struct mcx_diag *diag)
{
	struct mcdlg_invite inv;
	struct ccall *cc;
	struct mbuf *body;
	char uri[MCXC_STR], ctype[128], hdrs[640], cparams[200];
	int err;

	if (!c || !peer || !*peer)
		return EINVAL;
	if (!c->authorized)
		return mcx_diag_set(diag, EPERM, "not registered and "
				    "authorized: run register first");

	if (strchr(peer, ':'))
		str_ncpy(uri, peer, sizeof(uri));
	else
		(void)re_snprintf(uri, sizeof(uri), "sip:%s@%s", peer,
				  c->domain);

	cc = ccall_new(c, true, floor_ctrl, uri);
	if (!cc)
		return ENOMEM;
	cc->manual = manual;
	cc->st = CC_CALLING;

	err = media_alloc(cc, floor_ctrl);
	if (err) {
		mem_deref(cc);
		return mcx_diag_set(diag, err, "media ports: %s",
				    strerror(err));
	}

	body = mbuf_alloc(4096);
	err = body ? invite_body(body, ctype, sizeof(ctype), cc) : ENOMEM;
	if (err) {
		mem_deref(body);
		mem_deref(cc);
		return mcx_diag_set(diag, err, "INVITE body: %s",
				    strerror(err));
	}
	body->pos = 0;

	(void)re_snprintf(hdrs, sizeof(hdrs),
			  "Accept-Contact: *;%s;require;explicit\r\n"
			  "Accept-Contact: *;%s;require;explicit\r\n"
			  "P-Preferred-Service: %s\r\n"
			  "P-Preferred-Identity: <%s>\r\n"
			  "Answer-Mode: %s\r\n",
			  MCSIP_TAG_ICSI_MCPTT, MCSIP_TAG_MCPTT,
			  MCSIP_ICSI_MCPTT, c->mc_id,
			  manual ? "Manual" : "Auto");
	(void)re_snprintf(cparams, sizeof(cparams), ";%s;%s",
			  MCSIP_TAG_MCPTT, MCSIP_TAG_ICSI_MCPTT);

	memset(&inv, 0, sizeof(inv));
	inv.req_uri = c->psi;
	inv.to_uri = c->psi;
	inv.from_uri = c->mc_id;
	inv.route = c->route;
	inv.contact.user = c->user;
	inv.contact.params = cparams;
	inv.hdrs = hdrs;
	inv.ctype = ctype;
	inv.body = body;
	inv.auth = c->auth;

	err = mcdlg_connect(&cc->dlg, c->dlgs, &inv, &handlers, cc);
	mem_deref(body);
	if (err) {
		mem_deref(cc);
		return mcx_diag_set(diag, err, "INVITE: %s", strerror(err));
	}

	if (idp)
		*idp = cc->id;

	return 0;
}


/* ---- incoming ---- */

/* The 200's body: our SDP, and mcptt-info naming us as the called party
 * (TS 24.379 11.1.1.2.1.2, Annex H.3) */
static int answer_body(struct mbuf *mb, char *ctype, size_t ctsz,
		       const struct ccall *cc)
{
	struct mbuf *sdp = mbuf_alloc(512), *xi = mbuf_alloc(512);
	struct mcx_info *info = NULL;
	int err = ENOMEM;

	if (!sdp || !xi)
		goto out;

	err = sdp_print(sdp, cc, false);
	if (!err)
		err = mcx_info_alloc(&info, MCX_SVC_MCPTT);
	if (!err)
		err = mcx_content_set(&info->called_party_id, MCX_WRAP_URI,
				      cc->c->mc_id);
	if (!err)
		err = mcx_info_encode(xi, info);
	if (!err) {
		const struct body_part parts[] = {
			{ "application/sdp", NULL, sdp },
			{ MCX_MCPTT_INFO_MIME, NULL, xi },
		};

		err = body_multipart(mb, ctype, ctsz, parts,
				     ARRAY_SIZE(parts));
	}

 out:
	mem_deref(info);
	mem_deref(sdp);
	mem_deref(xi);

	return err;
}


static int answer(struct ccall *cc)
{
	struct mcdlg_content ct;
	struct mbuf *body = mbuf_alloc(1024);
	char ctype[128];
	int err;

	if (!body)
		return ENOMEM;

	err = answer_body(body, ctype, sizeof(ctype), cc);
	if (err) {
		mem_deref(body);
		return err;
	}
	body->pos = 0;

	memset(&ct, 0, sizeof(ct));
	ct.ctype = ctype;
	ct.body = body;
	err = mcdlg_answer(cc->dlg, 200, "OK", &ct);
	mem_deref(body);
	if (!err)
		cc->st = CC_ANSWERED;

	return err;
}


bool ccall_incoming(struct mcxc *c, const struct sip_msg *msg)
{
	struct multipart *mp = NULL;
	struct mcx_info *info = NULL;
	const struct mpart *p;
	const struct sip_hdr *am;
	struct mcdlg_contact contact;
	struct mcx_diag diag;
	struct mcsdp offer;
	struct ccall *cc;
	char peer[MCXC_STR], cparams[200];
	bool auto_answer;
	int err;

	mcx_diag_clear(&diag);
	err = mcsip_body(&mp, msg, 65536, &diag);
	p = err ? NULL : multipart_find(mp, "application/sdp");
	if (!err && !p)
		err = mcx_diag_set(&diag, EBADMSG, "no SDP offer");
	if (!err)
		err = mcsdp_decode(&offer, p->data, p->len, &diag);
	if (!err && !offer.pcmu)
		err = mcx_diag_set(&diag, EPROTO, "PCMU not offered");
	if (err) {
		mem_deref(mp);
		(void)sip_replyf(c->sip, msg, 488, "Not Acceptable Here",
				 "Warning: 399 %s \"399 %s\"\r\n"
				 "Content-Length: 0\r\n\r\n", c->domain,
				 diag.reason);
		return true;
	}

	/* who calls: mcptt-info, else the From URI */
	(void)re_snprintf(peer, sizeof(peer), "%r", &msg->from.auri);
	p = multipart_find(mp, MCX_MCPTT_INFO_MIME);
	if (p && !mcx_info_decode(&info, MCX_SVC_MCPTT, p->data, p->len,
				  NULL) && info->calling_user_id.value)
		str_ncpy(peer, info->calling_user_id.value, sizeof(peer));
	mem_deref(info);
	mem_deref(mp);

	am = sip_msg_xhdr(msg, "Answer-Mode");
	auto_answer = (am && !pl_strcasecmp(&am->val, "Auto")) ||
		c->answer_auto;

	cc = ccall_new(c, false, offer.floor.present, peer);
	if (!cc) {
		(void)sip_reply(c->sip, msg, 500, "Server Internal Error");
		return true;
	}
	cc->remote = offer;
	cc->manual = !(am && !pl_strcasecmp(&am->val, "Auto"));
	cc->st = CC_INCOMING;

	(void)re_snprintf(cparams, sizeof(cparams), ";%s;%s",
			  MCSIP_TAG_MCPTT, MCSIP_TAG_ICSI_MCPTT);
	contact.user = c->user;
	contact.params = cparams;

	err = media_alloc(cc, cc->floor_ctrl);
	if (!err)
		err = mcdlg_accept(&cc->dlg, c->dlgs, msg, &contact,
				   &handlers, cc);
	if (err) {
		mem_deref(cc);
		(void)sip_reply(c->sip, msg, 500, "Server Internal Error");
		return true;
	}

	mcxc_emit(c, MCXC_EV_INCOMING, cc->id, cc->peer, cc->manual ?
		  "manual" : "automatic", 0, NULL, NULL, 0);

	if (auto_answer) {
		if (answer(cc))
			ended(cc, "failed", 0, "cannot answer", NULL);
		return true;
	}

	(void)mcdlg_progress(cc->dlg, 180, "Ringing", NULL);

	return true;
}


static struct ccall *find(const struct mcxc *c, unsigned id)
{
	struct ccall *only = NULL;
	unsigned n = 0;

	for (struct le *le = c->calls.head; le; le = le->next) {
		struct ccall *cc = le->data;

		if (id && cc->id == id)
			return cc;
		only = cc;
		++n;
	}

	return !id && n == 1 ? only : NULL;
}


static int call_arg(struct ccall **ccp, struct mcxc *c, unsigned id,
		    struct mcx_diag *diag)
{
	if (!c)
		return EINVAL;

	*ccp = find(c, id);
	if (*ccp)
		return 0;

	if (id)
		return mcx_diag_set(diag, ENOENT, "no call %u", id);

	return mcx_diag_set(diag, ENOENT, list_isempty(&c->calls) ?
			    "no call" : "more than one call: say which");
}


int mcxc_answer(struct mcxc *c, unsigned id, struct mcx_diag *diag)
{
	struct ccall *cc;
	int err = call_arg(&cc, c, id, diag);

	if (err)
		return err;
	if (cc->st != CC_INCOMING)
		return mcx_diag_set(diag, EPROTO, "call %u is %s, not "
				    "incoming", cc->id, state_names[cc->st]);

	err = answer(cc);

	return err ? mcx_diag_set(diag, err, "cannot answer: %s",
				  strerror(err)) : 0;
}


int mcxc_reject(struct mcxc *c, unsigned id, struct mcx_diag *diag)
{
	struct mcdlg_content ct;
	struct ccall *cc;
	char hdr[256], w[200];
	int err = call_arg(&cc, c, id, diag);

	if (err)
		return err;
	if (cc->st != CC_INCOMING)
		return mcx_diag_set(diag, EPROTO, "call %u is %s, not "
				    "incoming", cc->id, state_names[cc->st]);

	memset(&ct, 0, sizeof(ct));
	if (!mcsip_warning(w, sizeof(w), c->domain, MCSIP_W_DECLINED,
			   "user declined the call invitation")) {
		(void)re_snprintf(hdr, sizeof(hdr), "Warning: %s\r\n", w);
		ct.hdrs = hdr;
	}
	mcdlg_close(cc->dlg, 480, "Temporarily Unavailable", &ct);
	cc->dlg = NULL;
	ended(cc, "rejected", 480, "Temporarily Unavailable", NULL);

	return 0;
}


int mcxc_hangup(struct mcxc *c, unsigned id, struct mcx_diag *diag)
{
	struct ccall *cc;
	int err = call_arg(&cc, c, id, diag);

	if (err)
		return err;

	mcdlg_close(cc->dlg, 0, NULL, NULL);
	cc->dlg = NULL;
	ended(cc, "hangup", 0, NULL, NULL);

	return 0;
}


/* The talk button, down (press) or up: on a connected call with floor
 * control; pressing a button that is down already changes nothing (the
 * request, the implicit one at setup say, stands) */
static int floor_op(struct mcxc *c, unsigned id, bool press,
		    struct mcx_diag *diag)
{
	struct ccall *cc;
	int err = call_arg(&cc, c, id, diag);

	if (err)
		return err;
	if (cc->st != CC_CONNECTED)
		return mcx_diag_set(diag, EPROTO, "call %u is not connected",
				    cc->id);
	if (!cc->floor_ctrl || !cc->fcp_started)
		return mcx_diag_set(diag, EPROTO, "call %u has no floor "
				    "control", cc->id);

	err = press ? fcp_press(&cc->fcp) : fcp_release(&cc->fcp);
	media_sync(cc);
	if (press && err == EALREADY)
		return 0;

	return err ? mcx_diag_set(diag, err, "floor is %s",
				  fcp_state_name(cc->fcp.state)) : 0;
}


int mcxc_press(struct mcxc *c, unsigned id, struct mcx_diag *diag)
{
	return floor_op(c, id, true, diag);
}


int mcxc_release(struct mcxc *c, unsigned id, struct mcx_diag *diag)
{
	return floor_op(c, id, false, diag);
}


int mcxc_call_get(const struct mcxc *c, unsigned id,
		  struct mcxc_call_info *info)
{
	const struct ccall *cc;
	struct astream_stats st;

	if (!c || !info)
		return EINVAL;

	cc = find(c, id);
	if (!cc)
		return ENOENT;

	astream_stats(cc->as, &st);
	memset(info, 0, sizeof(*info));
	info->id = cc->id;
	info->outgoing = cc->outgoing;
	info->floor_ctrl = cc->floor_ctrl;
	info->manual = cc->manual;
	str_ncpy(info->peer, cc->peer, sizeof(info->peer));
	str_ncpy(info->state, state_names[cc->st], sizeof(info->state));
	str_ncpy(info->floor, cc->fcp_started ?
		 fcp_state_name(cc->fcp.state) : "none", sizeof(info->floor));
	info->rx_packets = st.rx_packets;
	info->tx_packets = st.tx_packets;
	info->t_start_us = cc->t_start;
	info->t_connected_us = cc->t_connected;

	return 0;
}


unsigned mcxc_call_ids(const struct mcxc *c, unsigned *ids, unsigned max)
{
	unsigned n = 0;

	for (struct le *le = c ? c->calls.head : NULL; le && n < max;
	     le = le->next)
		ids[n++] = ((struct ccall *)le->data)->id;

	return n;
}


void ccall_close_all(struct mcxc *c)
{
	struct le *le = c->calls.head;

	while (le) {
		struct ccall *cc = le->data;

		le = le->next;
		mcdlg_close(cc->dlg, 0, NULL, NULL);
		cc->dlg = NULL;
		ended(cc, "hangup", 0, NULL, NULL);
	}
}
