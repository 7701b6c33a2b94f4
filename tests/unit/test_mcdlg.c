/**
 * @file test_mcdlg.c  INVITE dialogs between two SIP stacks on loopback
 *
 * Two libre SIP stacks in this process talk over 127.0.0.1 (UDP, and TCP
 * for one call): "caller" uses mcdlg_connect, "callee" answers with
 * mcdlg_accept.  Each test drives one RFC 3261 path and asserts what the
 * other end saw on the wire: the messages handed to the handlers.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/mcdlg.h>
#include <mcx/mcsip.h>
#include "testutil.h"

enum { WAIT_MS = 5000 };

enum uas_mode {
	UAS_ANSWER,		/* 180, then 200 with a body           */
	UAS_RING,		/* 180 only                            */
	UAS_REJECT,		/* 486 with a Warning                  */
	UAS_CHALLENGE,		/* 407 first, answer with credentials  */
	UAS_ANSWER_CLOSE,	/* 200, then hang up before the ACK    */
	UAS_RAW_200,		/* 200 by hand, retransmitted by hand  */
};

struct ua {
	struct sip *sip;
	struct mcdlg_sock *sock;
	struct sip_lsnr *lsnr;
	struct sa udp, tcp;
	struct mcdlg *d;
	enum uas_mode mode;
	bool close_in_handler;	/* release the dialog in the close handler */
	struct mcsip_auth auth;
	int progr, estab, closed, close_err, invites, acks, ok_seen;
	uint16_t close_scode;
	char close_met[16];
	char close_reason[128];
	char close_warning[128];
	char close_body[128];
	char req_hdr[128];
	char req_body[128];
	char resp_body[128];
};

static struct ua caller, callee;


static void copy_hdr(char *buf, size_t sz, const struct sip_msg *msg,
		     const char *name)
{
	const struct sip_hdr *h = sip_msg_xhdr(msg, name);

	buf[0] = '\0';
	if (h)
		(void)re_snprintf(buf, sz, "%r", &h->val);
}


static void copy_body(char *buf, size_t sz, const struct sip_msg *msg)
{
	buf[0] = '\0';
	if (msg && mbuf_get_left(msg->mb))
		(void)re_snprintf(buf, sz, "%b", mbuf_buf(msg->mb),
				  mbuf_get_left(msg->mb));
}


static void progr_h(struct mcdlg *d, const struct sip_msg *msg, void *arg)
{
	struct ua *ua = arg;
	(void)d;
	(void)msg;

	++ua->progr;
}


static void estab_h(struct mcdlg *d, const struct sip_msg *msg, void *arg)
{
	struct ua *ua = arg;
	(void)d;

	++ua->estab;
	if (msg->req)
		return;
	copy_body(ua->resp_body, sizeof(ua->resp_body), msg);
}


static void close_h(struct mcdlg *d, int err, const struct sip_msg *msg,
		    void *arg)
{
	struct ua *ua = arg;
	(void)d;

	++ua->closed;
	ua->close_err = err;
	ua->close_scode = msg && !msg->req ? msg->scode : 0;
	ua->close_met[0] = '\0';
	if (msg && msg->req)
		(void)re_snprintf(ua->close_met, sizeof(ua->close_met), "%r",
				  &msg->met);
	if (msg) {
		copy_hdr(ua->close_reason, sizeof(ua->close_reason), msg,
			 "Reason");
		copy_hdr(ua->close_warning, sizeof(ua->close_warning), msg,
			 "Warning");
		copy_body(ua->close_body, sizeof(ua->close_body), msg);
	}

	if (ua->close_in_handler) {
		/* what a B2BUA does: let go at once, inside the handler */
		mcdlg_close(d, 0, NULL, NULL);
		ua->d = NULL;
	}
}


static const struct mcdlg_handlers handlers = {
	progr_h, estab_h, close_h, NULL
};


static int ha1_h(const struct pl *user, uint8_t ha1[16], void *arg)
{
	(void)arg;

	if (pl_strcmp(user, "alice@a.mcx.test"))
		return ENOENT;

	return md5_printf(ha1, "alice@a.mcx.test:a.mcx.test:alice-secret");
}


static int auth_h(char **user, char **pass, const char *realm, void *arg)
{
	(void)arg;

	if (strcmp(realm, "a.mcx.test"))
		return EAUTH;

	return re_sdprintf(user, "alice@a.mcx.test") |
		re_sdprintf(pass, "alice-secret");
}


static void raw_200(struct ua *ua, const struct sip_msg *msg)
{
	/* what a careless UAS might do: the same 200 three times */
	for (int i = 0; i < 3; i++)
		(void)sip_replyf(ua->sip, msg, 200, "OK",
				 "Contact: <sip:bob@%J>\r\n"
				 "Content-Length: 0\r\n\r\n", &ua->udp);
}


static bool uas_request(const struct sip_msg *msg, void *arg)
{
	struct ua *ua = arg;
	struct mcx_diag diag;
	struct pl user;
	char chal[512];
	int err;

	if (!pl_strcmp(&msg->met, "ACK")) {
		++ua->acks;
		return false;		/* mcdlg's listener sees it too */
	}
	if (pl_strcmp(&msg->met, "INVITE") || pl_isset(&msg->to.tag))
		return false;

	++ua->invites;
	copy_hdr(ua->req_hdr, sizeof(ua->req_hdr), msg, "P-Test");
	copy_body(ua->req_body, sizeof(ua->req_body), msg);

	if (ua->mode == UAS_RAW_200) {
		raw_200(ua, msg);
		return true;
	}

	if (ua->mode == UAS_CHALLENGE) {
		uint64_t now = (uint64_t)time(NULL);

		err = mcsip_auth_check(&ua->auth, msg, true, now, ha1_h,
				       NULL, &user, &diag);
		if (err) {
			assert_int_equal(0, mcsip_auth_challenge(
				chal, sizeof(chal), &ua->auth, now, false));
			(void)sip_replyf(ua->sip, msg, 407,
					 "Proxy Authentication Required",
					 "Proxy-Authenticate: %s\r\n"
					 "Content-Length: 0\r\n\r\n", chal);
			return true;
		}
	}

	struct mcdlg_contact c = {"bob", ";+g.3gpp.mcptt"};
	assert_int_equal(0, mcdlg_accept(&ua->d, ua->sock, msg, &c,
					 &handlers, ua));

	if (ua->mode == UAS_REJECT) {
		struct mcdlg_content ct = {
			"Warning: 399 b.mcx.test \"busy testing\"\r\n",
			NULL, NULL};

		mcdlg_close(ua->d, 486, "Busy Here", &ct);
		ua->d = NULL;
		return true;
	}

	assert_int_equal(0, mcdlg_progress(ua->d, 180, "Ringing", NULL));
	if (ua->mode == UAS_RING)
		return true;

	struct mbuf *body = mbuf_alloc(64);
	(void)mbuf_write_str(body, "answer-body");
	body->pos = 0;
	struct mcdlg_content ct = {NULL, "application/x-test", body};
	assert_int_equal(0, mcdlg_answer(ua->d, 200, "OK", &ct));
	mem_deref(body);

	if (ua->mode == UAS_ANSWER_CLOSE) {
		mcdlg_close(ua->d, 0, NULL, NULL);
		ua->d = NULL;
	}

	return true;
}


static bool uac_response(const struct sip_msg *msg, void *arg)
{
	struct ua *ua = arg;

	if (msg->scode == 200)
		++ua->ok_seen;

	return false;
}


static int ua_init(struct ua *ua, bool uas)
{
	struct sa a;
	int err;

	memset(ua, 0, sizeof(*ua));
	err = sip_alloc(&ua->sip, NULL, 16, 16, 16, "mcx-test", NULL, NULL);
	if (err)
		return err;

	(void)sa_set_str(&a, "127.0.0.1", 0);
	err  = sip_transp_add(ua->sip, SIP_TRANSP_UDP, &a);
	err |= sip_transp_add(ua->sip, SIP_TRANSP_TCP, &a);
	err |= sip_transp_laddr(ua->sip, &ua->udp, SIP_TRANSP_UDP, NULL);
	err |= sip_transp_laddr(ua->sip, &ua->tcp, SIP_TRANSP_TCP, NULL);
	if (err)
		return err;

	/* our listeners first, so that they count what mcdlg sees */
	if (uas)
		err = sip_listen(&ua->lsnr, ua->sip, true, uas_request, ua);
	else
		err = sip_listen(&ua->lsnr, ua->sip, false, uac_response, ua);
	if (err)
		return err;

	err = mcdlg_sock_alloc(&ua->sock, ua->sip);
	if (err)
		return err;

	return mcsip_auth_init(&ua->auth, "a.mcx.test",
			       (const uint8_t *)"0123456789abcdef", 16);
}


static void ua_close(struct ua *ua)
{
	mcdlg_close(ua->d, 0, NULL, NULL);
	ua->d = NULL;
	mem_deref(ua->lsnr);
	mcdlg_sock_close(ua->sock);
	mem_deref(ua->sock);
	sip_close(ua->sip, true);
	mem_deref(ua->sip);
}


static int setup(void **state)
{
	(void)state;

	if (ua_init(&caller, false) || ua_init(&callee, true))
		return -1;

	return 0;
}


static int teardown(void **state)
{
	(void)state;

	ua_close(&caller);
	ua_close(&callee);

	return 0;
}


static int group_setup(void **state)
{
	(void)state;

	return libre_init() ? -1 : 0;
}


static int group_teardown(void **state)
{
	(void)state;

	libre_close();

	return 0;
}


static int call(struct sip_auth *auth, bool tcp, const char *body)
{
	struct mcdlg_invite inv;
	struct mbuf *mb = NULL;
	char uri[96];
	int err;

	(void)re_snprintf(uri, sizeof(uri), "sip:bob@%J%s",
			  tcp ? &callee.tcp : &callee.udp,
			  tcp ? ";transport=tcp" : "");

	memset(&inv, 0, sizeof(inv));
	inv.req_uri = uri;
	inv.to_uri = "sip:bob@b.mcx.test";
	inv.from_uri = "sip:alice@a.mcx.test";
	inv.from_name = "Alice";
	inv.contact.user = "alice";
	inv.hdrs = "P-Test: one\r\n";
	inv.auth = auth;
	if (body) {
		mb = mbuf_alloc(64);
		(void)mbuf_write_str(mb, body);
		mb->pos = 0;
		inv.ctype = "application/x-test";
		inv.body = mb;
	}

	err = mcdlg_connect(&caller.d, caller.sock, &inv, &handlers,
			    &caller);
	mem_deref(mb);

	return err;
}


static int both_estab(void *arg)
{
	(void)arg;
	return caller.estab && callee.estab;
}


static int callee_closed(void *arg)
{
	(void)arg;
	return callee.closed;
}


static int caller_closed(void *arg)
{
	(void)arg;
	return caller.closed;
}


static int all_gone(void *arg)
{
	(void)arg;
	return !mcdlg_sock_count(caller.sock) &&
		!mcdlg_sock_count(callee.sock) &&
		!mcdlg_sock_pending(caller.sock) &&
		!mcdlg_sock_pending(callee.sock);
}


static void hangup_with_reason(void)
{
	struct mcdlg_content ct;
	struct mbuf *mb = mbuf_alloc(64);

	(void)mbuf_write_str(mb, "bye-body");
	mb->pos = 0;
	ct.hdrs = "Reason: SIP;cause=200;text=\"migrated\"\r\n";
	ct.ctype = "application/x-test";
	ct.body = mb;
	mcdlg_close(caller.d, 0, NULL, &ct);
	caller.d = NULL;
	mem_deref(mb);
}


/* INVITE with headers and body; 180; 200 with a body; ACK; BYE with a
   Reason and a body, both of which reach the callee's owner */
static void basic(bool tcp)
{
	callee.mode = UAS_ANSWER;
	assert_int_equal(0, call(NULL, tcp, "offer-body"));
	assert_int_equal(MCDLG_CALLING, mcdlg_state(caller.d));

	assert_true(tu_re_wait(both_estab, NULL, WAIT_MS));
	assert_int_equal(1, caller.progr);
	assert_string_equal("one", callee.req_hdr);
	assert_string_equal("offer-body", callee.req_body);
	assert_string_equal("answer-body", caller.resp_body);
	assert_int_equal(MCDLG_ESTABLISHED, mcdlg_state(caller.d));
	assert_int_equal(MCDLG_ESTABLISHED, mcdlg_state(callee.d));
	assert_string_equal(mcdlg_callid(caller.d), mcdlg_callid(callee.d));

	hangup_with_reason();
	assert_true(tu_re_wait(callee_closed, NULL, WAIT_MS));
	assert_int_equal(0, callee.close_err);
	assert_string_equal("BYE", callee.close_met);
	assert_string_equal("SIP;cause=200;text=\"migrated\"",
			    callee.close_reason);
	assert_string_equal("bye-body", callee.close_body);
	assert_int_equal(MCDLG_CLOSED, mcdlg_state(callee.d));

	mcdlg_close(callee.d, 0, NULL, NULL);
	callee.d = NULL;
	assert_true(tu_re_wait(all_gone, NULL, WAIT_MS));
	assert_int_equal(0, caller.closed);
}


static void test_call_udp(void **state)
{
	(void)state;
	basic(false);
}


static void test_call_tcp(void **state)
{
	(void)state;
	basic(true);
}


/* a failure response ends the call at the caller with the Warning */
static void test_reject(void **state)
{
	(void)state;

	callee.mode = UAS_REJECT;
	assert_int_equal(0, call(NULL, false, NULL));
	assert_true(tu_re_wait(caller_closed, NULL, WAIT_MS));
	assert_int_equal(0, caller.close_err);
	assert_int_equal(486, caller.close_scode);
	assert_string_equal("399 b.mcx.test \"busy testing\"",
			    caller.close_warning);
	assert_int_equal(0, caller.estab);
	assert_int_equal(MCDLG_CLOSED, mcdlg_state(caller.d));

	mcdlg_close(caller.d, 0, NULL, NULL);
	caller.d = NULL;
	assert_true(tu_re_wait(all_gone, NULL, WAIT_MS));
}


/* the caller gives up while it rings: CANCEL, 487, the callee's owner
   learns why; nothing is left on either side */
static void test_cancel(void **state)
{
	(void)state;

	callee.mode = UAS_RING;
	assert_int_equal(0, call(NULL, false, NULL));
	assert_true(tu_re_wait(caller_closed, NULL, 300) == 0);
	assert_int_equal(1, caller.progr);

	mcdlg_close(caller.d, 0, NULL, NULL);
	caller.d = NULL;
	assert_true(tu_re_wait(callee_closed, NULL, WAIT_MS));
	assert_int_equal(ECANCELED, callee.close_err);

	mcdlg_close(callee.d, 0, NULL, NULL);
	callee.d = NULL;
	assert_true(tu_re_wait(all_gone, NULL, WAIT_MS));
	assert_int_equal(0, caller.closed);
}


/* 407, then the INVITE again with credentials the server accepts */
static void test_challenge(void **state)
{
	struct sip_auth *auth = NULL;
	(void)state;

	assert_int_equal(0, sip_auth_alloc(&auth, auth_h, NULL, false));
	callee.mode = UAS_CHALLENGE;
	assert_int_equal(0, call(auth, false, "offer-body"));
	mem_deref(auth);

	assert_true(tu_re_wait(both_estab, NULL, WAIT_MS));
	assert_int_equal(2, callee.invites);
	assert_string_equal("offer-body", callee.req_body);
}


/* the callee hangs up: the caller's owner gets the BYE */
static void test_callee_hangs_up(void **state)
{
	(void)state;

	callee.mode = UAS_ANSWER;
	assert_int_equal(0, call(NULL, false, NULL));
	assert_true(tu_re_wait(both_estab, NULL, WAIT_MS));

	mcdlg_close(callee.d, 0, NULL, NULL);
	callee.d = NULL;
	assert_true(tu_re_wait(caller_closed, NULL, WAIT_MS));
	assert_int_equal(0, caller.close_err);
	assert_string_equal("BYE", caller.close_met);
	assert_int_equal(MCDLG_CLOSED, mcdlg_state(caller.d));
}


/* the callee hangs up before the ACK: the BYE waits for it */
static void test_close_before_ack(void **state)
{
	(void)state;

	callee.mode = UAS_ANSWER_CLOSE;
	assert_int_equal(0, call(NULL, false, NULL));
	assert_true(tu_re_wait(caller_closed, NULL, WAIT_MS));
	assert_int_equal(1, caller.estab);
	assert_string_equal("BYE", caller.close_met);
	assert_int_equal(1, callee.acks);
	assert_int_equal(0, callee.estab);

	mcdlg_close(caller.d, 0, NULL, NULL);
	caller.d = NULL;
	assert_true(tu_re_wait(all_gone, NULL, WAIT_MS));
}


/* owners that release their dialog inside the close handler: a
   rejected call, then a BYE (run under AddressSanitizer in make check) */
static void test_close_in_handler(void **state)
{
	(void)state;

	caller.close_in_handler = callee.close_in_handler = true;

	callee.mode = UAS_REJECT;
	assert_int_equal(0, call(NULL, false, NULL));
	assert_true(tu_re_wait(caller_closed, NULL, WAIT_MS));
	assert_int_equal(486, caller.close_scode);
	assert_null(caller.d);

	caller.closed = 0;
	callee.mode = UAS_ANSWER;
	assert_int_equal(0, call(NULL, false, NULL));
	assert_true(tu_re_wait(both_estab, NULL, WAIT_MS));
	mcdlg_close(callee.d, 0, NULL, NULL);
	callee.d = NULL;
	assert_true(tu_re_wait(caller_closed, NULL, WAIT_MS));
	assert_null(caller.d);
	assert_true(tu_re_wait(all_gone, NULL, WAIT_MS));
}


static int two_acks(void *arg)
{
	(void)arg;
	return callee.acks >= 2;
}


/* every copy of the 2xx gets an ACK (RFC 3261 13.2.2.4) */
static void test_ack_again(void **state)
{
	(void)state;

	callee.mode = UAS_RAW_200;
	assert_int_equal(0, call(NULL, false, NULL));
	assert_true(tu_re_wait(two_acks, NULL, WAIT_MS));
	assert_int_equal(1, caller.estab);
}


static int callee_retransmitted(void *arg)
{
	(void)arg;
	return caller.ok_seen >= 3;
}


/* without an ACK the callee sends its 200 again, T1 then 2*T1 later.
   The caller here is a bare transaction that never acknowledges. */
static void test_2xx_retransmitted(void **state)
{
	struct sip_request *req = NULL;
	char uri[64];
	(void)state;

	callee.mode = UAS_ANSWER;
	(void)re_snprintf(uri, sizeof(uri), "sip:bob@%J", &callee.udp);
	assert_int_equal(0, sip_requestf(&req, caller.sip, true, "INVITE",
					 uri, NULL, NULL, NULL, NULL, NULL,
					 "To: <%s>\r\n"
					 "From: <sip:x@a.mcx.test>;tag=1\r\n"
					 "Call-ID: rtx-test\r\n"
					 "CSeq: 1 INVITE\r\n"
					 "Max-Forwards: 70\r\n"
					 "Contact: <sip:x@%J>\r\n"
					 "Content-Length: 0\r\n\r\n",
					 uri, &caller.udp));
	assert_true(tu_re_wait(callee_retransmitted, NULL, WAIT_MS));
	assert_int_equal(0, callee.estab);
	mem_deref(req);
}


/* a request for a dialog nobody has: 481 with a Warning */
static void resp_h(int err, const struct sip_msg *msg, void *arg)
{
	uint16_t *scode = arg;

	*scode = err ? 1 : msg->scode;
}


static int got_scode(void *arg)
{
	return *(uint16_t *)arg != 0;
}


static void test_unknown_dialog(void **state)
{
	struct sip_request *req = NULL;
	uint16_t scode = 0;
	char uri[64];
	(void)state;

	(void)re_snprintf(uri, sizeof(uri), "sip:bob@%J", &callee.udp);
	assert_int_equal(0, sip_requestf(&req, caller.sip, true, "BYE",
					 uri, NULL, NULL, NULL, resp_h,
					 &scode,
					 "To: <%s>;tag=nosuchtag\r\n"
					 "From: <sip:x@a.mcx.test>;tag=1\r\n"
					 "Call-ID: nosuchcall\r\n"
					 "CSeq: 5 BYE\r\n"
					 "Max-Forwards: 70\r\n"
					 "Content-Length: 0\r\n\r\n", uri));
	assert_true(tu_re_wait(got_scode, &scode, WAIT_MS));
	assert_int_equal(481, scode);
}


/* INFO inside a dialog whose owner takes no requests: 501 */
static void test_request_not_handled(void **state)
{
	struct sip_request *req = NULL;
	uint16_t scode = 0;
	(void)state;

	callee.mode = UAS_ANSWER;
	assert_int_equal(0, call(NULL, false, NULL));
	assert_true(tu_re_wait(both_estab, NULL, WAIT_MS));

	assert_int_equal(0, sip_drequestf(&req, caller.sip, true, "INFO",
					  mcdlg_dialog(caller.d), 0, NULL,
					  NULL, resp_h, &scode,
					  "Content-Length: 0\r\n\r\n"));
	assert_true(tu_re_wait(got_scode, &scode, WAIT_MS));
	assert_int_equal(501, scode);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_call_udp, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_call_tcp, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reject, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_challenge, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_callee_hangs_up, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_close_before_ack, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_close_in_handler, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ack_again, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_2xx_retransmitted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unknown_dialog, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_request_not_handled,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
