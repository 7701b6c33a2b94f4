/**
 * @file mcdlg.c  INVITE dialogs, both ends (see mcx/mcdlg.h)
 *
 * libre gives transactions (sip_request, sip_strans) and dialog state
 * (sip_dialog); this file is the glue RFC 3261 puts between them for
 * INVITE: 13.2.2.4 (ACK for every 2xx), 13.3.1.4 (2xx retransmission),
 * 15.1 (BYE), 9 (CANCEL), 22.2 (credentials).
 *
 * The object is reference counted.  The owner has one reference.  While
 * the object must finish something after the owner let go, it holds one
 * on itself (d->self), dropped when that work is done.
 */
#include <stdint.h>
#include <string.h>
#include <re.h>
#include "mcx/mcdlg.h"

enum {
	HASH_SIZE = 256,
	MAX_AUTH_RETRIES = 2,
};

struct mcdlg_sock {
	struct sip *sip;
	struct sip_lsnr *lsnr_req;
	struct sip_lsnr *lsnr_resp;
	struct hash *ht;		/* struct mcdlg by Call-ID */
	struct list byel;		/* struct bye in flight    */
	struct list dlgl;		/* every struct mcdlg      */
};

struct mcdlg {
	struct le he;
	struct le le;
	struct mcdlg_sock *sock;
	struct sip_dialog *dlg;
	enum mcdlg_state st;
	bool uac;
	bool owned;			/* the owner still has its reference */
	bool self;			/* we hold a reference on ourselves  */
	struct mcdlg_handlers h;
	void *arg;
	char *cuser;
	char *cparams;
	struct mbuf *bye;		/* content of a BYE still to send */

	/* UAC */
	struct sip_request *req;
	struct sip_auth *auth;
	struct mbuf *content;		/* the INVITE's headers and body */
	struct mbuf *ack;		/* our ACK, for retransmitted 2xx */
	struct sa ack_dst;
	enum sip_transp ack_tp;
	uint32_t inv_cseq;
	unsigned auth_tries;

	/* UAS */
	struct sip_msg *msg;		/* the INVITE (a reference) */
	struct sip_strans *strans;
	struct mbuf *resp;		/* our 2xx, retransmitted until ACK */
	struct sa resp_dst;
	struct tmr tmr;
	uint32_t rtx_ival;
	uint32_t rtx_total;
};

struct bye {
	struct le le;
	struct sip_request *req;
	struct sip_dialog *dlg;
	struct sip_auth *auth;
};


static void bye_destructor(void *arg)
{
	struct bye *b = arg;

	list_unlink(&b->le);
	mem_deref(b->req);
	mem_deref(b->dlg);
	mem_deref(b->auth);
}


static void bye_resp_handler(int err, const struct sip_msg *msg, void *arg)
{
	struct bye *b = arg;
	(void)err;
	(void)msg;

	/* libre's sip_drequestf answers a challenge only if asked again;
	   a BYE is not worth a second round: the dialog ends either way */
	mem_deref(b);
}


/* Write headers, Content-Type, Content-Length, blank line and body */
static int content_encode(struct mbuf *mb, const struct mcdlg_content *ct)
{
	size_t blen = 0;
	int err = 0;

	if (ct && ct->body)
		blen = mbuf_get_left(ct->body);

	if (ct && ct->hdrs)
		err |= mbuf_write_str(mb, ct->hdrs);
	if (blen && ct->ctype)
		err |= mbuf_printf(mb, "Content-Type: %s\r\n", ct->ctype);
	err |= mbuf_printf(mb, "Content-Length: %zu\r\n\r\n", blen);
	if (blen)
		err |= mbuf_write_mem(mb, mbuf_buf(ct->body), blen);

	return err;
}


static int content_alloc(struct mbuf **mbp, const struct mcdlg_content *ct)
{
	struct mbuf *mb = mbuf_alloc(512);
	int err;

	if (!mb)
		return ENOMEM;

	err = content_encode(mb, ct);
	if (err) {
		mem_deref(mb);
		return err;
	}

	mb->pos = 0;
	*mbp = mb;

	return 0;
}


static int send_bye(struct mcdlg *d, const struct mbuf *content)
{
	struct mcdlg_sock *sock = d->sock;
	struct bye *b;
	int err;

	b = mem_zalloc(sizeof(*b), bye_destructor);
	if (!b)
		return ENOMEM;

	b->dlg  = mem_ref(d->dlg);
	b->auth = mem_ref(d->auth);
	list_append(&sock->byel, &b->le, b);

	err = sip_drequestf(&b->req, sock->sip, true, "BYE", d->dlg, 0,
			    d->auth, NULL, bye_resp_handler, b, "%b",
			    content ? mbuf_buf(content) : (uint8_t *)
			    "Content-Length: 0\r\n\r\n",
			    content ? mbuf_get_left(content) : (size_t)22);
	if (err)
		mem_deref(b);

	return err;
}


static void destructor(void *arg)
{
	struct mcdlg *d = arg;

	tmr_cancel(&d->tmr);
	hash_unlink(&d->he);
	list_unlink(&d->le);

	/* the owner let go of a call not answered yet */
	if (d->strans)
		(void)sip_treply(&d->strans, d->sock->sip, d->msg, 500,
				 "Server Internal Error");

	mem_deref(d->req);
	mem_deref(d->dlg);
	mem_deref(d->auth);
	mem_deref(d->content);
	mem_deref(d->ack);
	mem_deref(d->bye);
	mem_deref(d->cuser);
	mem_deref(d->cparams);
	mem_deref(d->msg);
	mem_deref(d->resp);
	mem_deref(d->sock);
}


static void self_hold(struct mcdlg *d)
{
	if (!d->self) {
		d->self = true;
		mem_ref(d);
	}
}


static void self_release(struct mcdlg *d)
{
	if (d->self) {
		d->self = false;
		mem_deref(d);
	}
}


/* The dialog is over: tell the owner, if it still listens */
static void terminate(struct mcdlg *d, int err, const struct sip_msg *msg)
{
	mcdlg_close_h *closeh = d->owned ? d->h.closeh : NULL;

	d->st = MCDLG_CLOSED;
	tmr_cancel(&d->tmr);
	hash_unlink(&d->he);

	if (closeh)
		closeh(d, err, msg, d->arg);
}


static int alloc(struct mcdlg **dp, struct mcdlg_sock *sock,
		 const struct mcdlg_contact *c,
		 const struct mcdlg_handlers *h, void *arg)
{
	struct mcdlg *d;
	int err;

	d = mem_zalloc(sizeof(*d), destructor);
	if (!d)
		return ENOMEM;

	d->sock = mem_ref(sock);
	list_append(&sock->dlgl, &d->le, d);
	d->owned = true;
	if (h)
		d->h = *h;
	d->arg = arg;
	tmr_init(&d->tmr);

	err = str_dup(&d->cuser, c && c->user ? c->user : "mcx");
	if (!err && c && c->params)
		err = str_dup(&d->cparams, c->params);
	if (err) {
		mem_deref(d);
		return err;
	}

	*dp = d;

	return 0;
}


struct contact {
	const struct mcdlg *d;
	const struct sa *laddr;
	enum sip_transp tp;
};


static int contact_print(struct re_printf *pf, const struct contact *c)
{
	if (!c)
		return 0;

	return re_hprintf(pf, "Contact: <sip:%s@%J%s>%s\r\n", c->d->cuser,
			  c->laddr, sip_transp_param(c->tp),
			  c->d->cparams ? c->d->cparams : "");
}


/* ---- UAC ---- */

static int invite_send_handler(enum sip_transp tp, const struct sa *src,
			       const struct sa *dst, struct mbuf *mb,
			       void *arg)
{
	struct contact c = {arg, src, tp};
	(void)dst;

	return mbuf_printf(mb, "%H", contact_print, &c);
}


static int ack_send_handler(enum sip_transp tp, const struct sa *src,
			    const struct sa *dst, struct mbuf *mb, void *arg)
{
	struct mcdlg *d = arg;
	(void)src;

	/* libre appends the rest and sends this very buffer: keeping a
	   reference keeps the whole ACK, for retransmitted 2xx */
	mem_deref(d->ack);
	d->ack = mem_ref(mb);
	d->ack_dst = *dst;
	d->ack_tp = tp;

	return 0;
}


static int send_ack(struct mcdlg *d, uint32_t cseq)
{
	struct sip_request *req = NULL;

	/* stateless: libre sends it and frees the request at once */
	return sip_drequestf(&req, d->sock->sip, false, "ACK", d->dlg, cseq,
			     d->auth, ack_send_handler, NULL, d,
			     "Content-Length: 0\r\n\r\n");
}


static void invite_resp_handler(int err, const struct sip_msg *msg,
				void *arg);


static int send_invite(struct mcdlg *d)
{
	int err;

	err = sip_drequestf(&d->req, d->sock->sip, true, "INVITE", d->dlg, 0,
			    d->auth, invite_send_handler, invite_resp_handler,
			    d, "%b", mbuf_buf(d->content),
			    mbuf_get_left(d->content));
	if (!err)
		d->inv_cseq = sip_dialog_lseq(d->dlg) - 1;

	return err;
}


/* A 2xx: the dialog is confirmed.  Only the first one counts; a 2xx from
   another fork gets an ACK and a BYE (RFC 3261 13.2.2.4). */
static void invite_2xx(struct mcdlg *d, const struct sip_msg *msg)
{
	int err;

	err = sip_dialog_create(d->dlg, msg);
	if (!err)
		err = send_ack(d, msg->cseq.num);
	if (!err)
		hash_append(d->sock->ht, hash_joaat_pl(&msg->callid), &d->he,
			    d);

	if (err) {
		terminate(d, err, msg);
		return;
	}

	if (!d->owned) {
		/* the owner hung up while we were calling: the CANCEL
		   crossed this 2xx, so end the new dialog with a BYE */
		d->st = MCDLG_CLOSED;
		(void)send_bye(d, d->bye);
		hash_unlink(&d->he);
		self_release(d);
		return;
	}

	d->st = MCDLG_ESTABLISHED;
	if (d->h.estabh)
		d->h.estabh(d, msg, d->arg);
}


static void invite_resp(struct mcdlg *d, int err, const struct sip_msg *msg)
{
	if (err || !msg) {
		terminate(d, err ? err : ECONNABORTED, NULL);
		self_release(d);
		return;
	}

	if (msg->scode < 200) {
		/* 100 is hop by hop: it says nothing about the callee */
		if (msg->scode > 100 && d->owned && d->h.progrh)
			d->h.progrh(d, msg, d->arg);
		return;
	}

	if (msg->scode < 300) {
		invite_2xx(d, msg);
		return;
	}

	if ((msg->scode == 401 || msg->scode == 407) && d->owned && d->auth &&
	    d->auth_tries < MAX_AUTH_RETRIES) {

		++d->auth_tries;
		err = sip_auth_authenticate(d->auth, msg);
		if (!err)
			err = send_invite(d);
		if (!err)
			return;
		/* EAUTH: no credentials for this realm; say what the
		   server said */
		terminate(d, err == EAUTH ? 0 : err, msg);
		self_release(d);
		return;
	}

	terminate(d, 0, msg);
	self_release(d);
}


/* Every entry from libre that may call the owner's handlers holds a
   reference, so that an owner closing the dialog in a handler does not
   free it under our feet */
static void invite_resp_handler(int err, const struct sip_msg *msg,
				void *arg)
{
	struct mcdlg *d = mem_ref(arg);

	invite_resp(d, err, msg);
	mem_deref(d);
}


int mcdlg_connect(struct mcdlg **dp, struct mcdlg_sock *sock,
		  const struct mcdlg_invite *inv,
		  const struct mcdlg_handlers *h, void *arg)
{
	struct mcdlg_content ct;
	const char *routev[1];
	struct mcdlg *d;
	int err;

	if (!dp || !sock || !inv || !inv->req_uri || !inv->to_uri ||
	    !inv->from_uri)
		return EINVAL;

	err = alloc(&d, sock, &inv->contact, h, arg);
	if (err)
		return err;

	d->uac = true;
	d->st = MCDLG_CALLING;
	d->auth = mem_ref(inv->auth);

	routev[0] = inv->route;
	err = sip_dialog_alloc(&d->dlg, inv->req_uri, inv->to_uri,
			       inv->from_name, inv->from_uri, routev,
			       inv->route ? 1 : 0);
	if (err)
		goto out;

	ct.hdrs = inv->hdrs;
	ct.ctype = inv->ctype;
	ct.body = inv->body;
	err = content_alloc(&d->content, &ct);
	if (err)
		goto out;

	err = send_invite(d);

 out:
	if (err)
		mem_deref(d);
	else
		*dp = d;

	return err;
}


/* ---- UAS ---- */

static void cancel_handler(void *arg)
{
	struct mcdlg *d = mem_ref(arg);

	(void)sip_treply(&d->strans, d->sock->sip, d->msg, 487,
			 "Request Terminated");
	terminate(d, ECANCELED, NULL);
	mem_deref(d);
}


static int reply(struct mcdlg *d, uint16_t scode, const char *reason,
		 const struct mcdlg_content *ct, struct mbuf **mbp)
{
	struct contact c = {d, &d->msg->dst, d->msg->tp};
	struct mbuf *content = NULL;
	int err;

	err = content_alloc(&content, ct);
	if (err)
		return err;

	err = sip_treplyf(&d->strans, mbp, d->sock->sip, d->msg, true, scode,
			  reason ? reason : "", "%H%b", contact_print,
			  scode > 100 && scode < 300 ? &c : NULL,
			  mbuf_buf(content),
			  mbuf_get_left(content));
	mem_deref(content);

	return err;
}


int mcdlg_accept(struct mcdlg **dp, struct mcdlg_sock *sock,
		 const struct sip_msg *msg, const struct mcdlg_contact *c,
		 const struct mcdlg_handlers *h, void *arg)
{
	struct mcdlg *d;
	int err;

	if (!dp || !sock || !msg || pl_strcmp(&msg->met, "INVITE"))
		return EINVAL;

	err = alloc(&d, sock, c, h, arg);
	if (err)
		return err;

	d->st = MCDLG_INCOMING;
	d->msg = mem_ref((void *)(uintptr_t)msg);

	err = sip_dialog_accept(&d->dlg, msg);
	if (err)
		goto out;

	err = sip_strans_alloc(&d->strans, sock->sip, msg, cancel_handler, d);
	if (err)
		goto out;

	hash_append(sock->ht, hash_joaat_pl(&msg->callid), &d->he, d);

	err = reply(d, 100, "Trying", NULL, NULL);

 out:
	if (err)
		mem_deref(d);
	else
		*dp = d;

	return err;
}


int mcdlg_progress(struct mcdlg *d, uint16_t scode, const char *reason,
		   const struct mcdlg_content *ct)
{
	if (!d || scode < 101 || scode > 199)
		return EINVAL;
	if (d->st != MCDLG_INCOMING)
		return EPROTO;

	return reply(d, scode, reason, ct, NULL);
}


static void rtx_handler(void *arg)
{
	struct mcdlg *d = arg;

	d->rtx_total += d->rtx_ival;
	if (d->rtx_total >= 64 * SIP_T1) {
		/* 13.3.1.4: no ACK; confirm and end the dialog */
		mem_ref(d);
		d->st = MCDLG_CLOSED;
		(void)send_bye(d, d->bye);
		terminate(d, ETIMEDOUT, NULL);
		self_release(d);
		mem_deref(d);
		return;
	}

	(void)sip_send(d->sock->sip, d->msg->sock, d->msg->tp, &d->resp_dst,
		       d->resp);

	d->rtx_ival = min(d->rtx_ival * 2, SIP_T2);
	tmr_start(&d->tmr, d->rtx_ival, rtx_handler, d);
}


int mcdlg_answer(struct mcdlg *d, uint16_t scode, const char *reason,
		 const struct mcdlg_content *ct)
{
	int err;

	if (!d || scode < 200 || scode > 299)
		return EINVAL;
	if (d->st != MCDLG_INCOMING)
		return EPROTO;

	err = reply(d, scode, reason, ct, &d->resp);
	if (err)
		return err;

	d->st = MCDLG_ACCEPTED;
	sip_reply_addr(&d->resp_dst, d->msg, true);
	d->rtx_total = 0;
	if (d->msg->tp != SIP_TRANSP_UDP) {
		/* no retransmission; still give up if no ACK ever comes */
		d->rtx_ival = 64 * SIP_T1;
	}
	else
		d->rtx_ival = SIP_T1;
	tmr_start(&d->tmr, d->rtx_ival, rtx_handler, d);

	return 0;
}


static void ack_handler(struct mcdlg *d, const struct sip_msg *msg)
{
	if (d->st != MCDLG_ACCEPTED || msg->cseq.num != d->msg->cseq.num)
		return;

	tmr_cancel(&d->tmr);
	d->resp = mem_deref(d->resp);

	if (!d->owned) {
		/* the owner hung up before the ACK came: now the BYE */
		d->st = MCDLG_CLOSED;
		(void)send_bye(d, d->bye);
		hash_unlink(&d->he);
		self_release(d);
		return;
	}

	d->st = MCDLG_ESTABLISHED;
	if (d->h.estabh)
		d->h.estabh(d, msg, d->arg);
}


/* ---- both ---- */

void mcdlg_close(struct mcdlg *d, uint16_t scode, const char *reason,
		 const struct mcdlg_content *ct)
{
	if (!d)
		return;

	d->owned = false;

	switch (d->st) {

	case MCDLG_CALLING:
		/* CANCEL; wait for the final response, as a 2xx may cross
		   the CANCEL and need an ACK and a BYE */
		if (d->req && !content_alloc(&d->bye, ct)) {
			self_hold(d);
			sip_request_cancel(d->req);
		}
		break;

	case MCDLG_INCOMING:
		if (scode < 300)
			scode = 480;
		(void)reply(d, scode, reason ? reason : scode == 480 ?
			    "Temporarily Unavailable" : "Rejected", ct, NULL);
		d->st = MCDLG_CLOSED;
		break;

	case MCDLG_ACCEPTED:
		/* BYE only once the ACK is here (RFC 3261 15) */
		if (!content_alloc(&d->bye, ct))
			self_hold(d);
		break;

	case MCDLG_ESTABLISHED:
		if (!content_alloc(&d->bye, ct))
			(void)send_bye(d, d->bye);
		d->st = MCDLG_CLOSED;
		break;

	case MCDLG_CLOSED:
		break;
	}

	if (d->st == MCDLG_CLOSED)
		hash_unlink(&d->he);

	mem_deref(d);
}


enum mcdlg_state mcdlg_state(const struct mcdlg *d)
{
	return d ? d->st : MCDLG_CLOSED;
}


const char *mcdlg_state_name(enum mcdlg_state st)
{
	switch (st) {

	case MCDLG_CALLING:     return "calling";
	case MCDLG_INCOMING:    return "incoming";
	case MCDLG_ACCEPTED:    return "accepted";
	case MCDLG_ESTABLISHED: return "established";
	case MCDLG_CLOSED:      return "closed";
	}

	return "?";
}


const char *mcdlg_callid(const struct mcdlg *d)
{
	return d ? sip_dialog_callid(d->dlg) : NULL;
}


const struct sip_msg *mcdlg_invite_msg(const struct mcdlg *d)
{
	return d ? d->msg : NULL;
}


struct sip_dialog *mcdlg_dialog(const struct mcdlg *d)
{
	return d ? d->dlg : NULL;
}


struct sip *mcdlg_sip(const struct mcdlg *d)
{
	return d ? d->sock->sip : NULL;
}


/* ---- the socket: requests and responses that belong to a dialog ---- */

static bool cmp_handler(struct le *le, void *arg)
{
	const struct mcdlg *d = le->data;
	const struct sip_msg *msg = arg;

	return sip_dialog_established(d->dlg) && sip_dialog_cmp(d->dlg, msg);
}


static struct mcdlg *find(struct mcdlg_sock *sock, const struct sip_msg *msg)
{
	return list_ledata(hash_lookup(sock->ht, hash_joaat_pl(&msg->callid),
				       cmp_handler,
				       (void *)(uintptr_t)msg));
}


static void bye_handler(struct mcdlg *d, const struct sip_msg *msg)
{
	(void)sip_reply(d->sock->sip, msg, 200, "OK");

	if (d->st == MCDLG_ACCEPTED && !d->owned) {
		self_release(d);
		return;
	}

	terminate(d, 0, msg);
}


static void in_dialog(struct mcdlg *d, const struct sip_msg *msg)
{
	struct sip *sip = d->sock->sip;

	if (!pl_strcmp(&msg->met, "ACK")) {
		ack_handler(d, msg);
		return;
	}

	if (!sip_dialog_rseq_valid(d->dlg, msg)) {
		(void)sip_replyf(sip, msg, 500, "Server Internal Error",
				 "Warning: 399 mcx "
				 "\"399 CSeq out of order\"\r\n"
				 "Content-Length: 0\r\n\r\n");
		return;
	}

	if (!pl_strcmp(&msg->met, "BYE")) {
		bye_handler(d, msg);
		return;
	}

	if (d->owned && d->h.reqh) {
		d->h.reqh(d, msg, d->arg);
		return;
	}

	(void)sip_replyf(sip, msg, 501, "Not Implemented",
			 "Warning: 399 mcx \"399 %r is not supported inside"
			 " this dialog\"\r\n"
			 "Content-Length: 0\r\n\r\n", &msg->met);
}


static bool request_handler(const struct sip_msg *msg, void *arg)
{
	struct mcdlg_sock *sock = arg;
	struct mcdlg *d;

	if (!pl_isset(&msg->to.tag))
		return false;		/* not inside a dialog */

	d = find(sock, msg);
	if (d) {
		/* held: the owner may close the dialog in a handler */
		mem_ref(d);
		in_dialog(d, msg);
		mem_deref(d);
		return true;
	}

	if (!pl_strcmp(&msg->met, "ACK"))
		return true;		/* a stray ACK has no reply */

	(void)sip_replyf(sock->sip, msg, 481,
			 "Call/Transaction Does Not Exist",
			 "Warning: 399 mcx \"399 no such dialog\"\r\n"
			 "Content-Length: 0\r\n\r\n");
	return true;
}


static void ack_again(struct mcdlg_sock *sock, const struct sip_msg *msg)
{
	struct mcdlg *d = find(sock, msg);

	if (d && d->uac && d->ack && msg->cseq.num == d->inv_cseq)
		(void)sip_send(sock->sip, NULL, d->ack_tp, &d->ack_dst,
			       d->ack);
}


static bool response_handler(const struct sip_msg *msg, void *arg)
{
	struct mcdlg_sock *sock = arg;

	if (pl_strcmp(&msg->cseq.met, "INVITE") || msg->scode < 200 ||
	    msg->scode > 299)
		return false;

	ack_again(sock, msg);

	return true;
}


static void sock_destructor(void *arg)
{
	struct mcdlg_sock *sock = arg;

	mem_deref(sock->lsnr_req);
	mem_deref(sock->lsnr_resp);
	list_flush(&sock->byel);
	mem_deref(sock->ht);
}


int mcdlg_sock_alloc(struct mcdlg_sock **sockp, struct sip *sip)
{
	struct mcdlg_sock *sock;
	int err;

	if (!sockp || !sip)
		return EINVAL;

	sock = mem_zalloc(sizeof(*sock), sock_destructor);
	if (!sock)
		return ENOMEM;

	sock->sip = sip;

	err = hash_alloc(&sock->ht, HASH_SIZE);
	if (!err)
		err = sip_listen(&sock->lsnr_req, sip, true, request_handler,
				 sock);
	if (!err)
		err = sip_listen(&sock->lsnr_resp, sip, false,
				 response_handler, sock);
	if (err) {
		mem_deref(sock);
		return err;
	}

	*sockp = sock;

	return 0;
}


uint32_t mcdlg_sock_count(const struct mcdlg_sock *sock)
{
	return sock ? list_count(&sock->dlgl) : 0;
}


/**
 * Give up what is still being finished (a BYE waiting for an ACK, a
 * CANCEL waiting for its final response, BYE transactions): for a
 * shutdown, once the owners have closed their dialogs and the loop has
 * had its chance.  Dialogs the owners still hold are left alone.
 */
void mcdlg_sock_close(struct mcdlg_sock *sock)
{
	struct le *le;

	if (!sock)
		return;

	le = sock->dlgl.head;
	while (le) {
		struct mcdlg *d = le->data;

		le = le->next;
		if (d->self && !d->owned)
			self_release(d);
	}

	list_flush(&sock->byel);
}


uint32_t mcdlg_sock_pending(const struct mcdlg_sock *sock)
{
	return sock ? list_count(&sock->byel) : 0;
}
