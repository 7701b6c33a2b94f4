/**
 * @file test_floorsm.c  Floor control state machines: server and participant
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/fcp.h>
#include <mcx/fcs.h>
#include "testutil.h"

/* ---- a recorder standing in for the owner of a state machine ---- */

enum { MAXREC = 32 };

struct rec {
	unsigned nmsg;
	unsigned to[MAXREC];
	struct mbcp_msg msg[MAXREC];
	uint32_t timer_ms[FCS_TIMERS];	/* last request per timer */
	unsigned ntimer;
	int last_ev;
	int last_ev_p;
};

static void rec_reset(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	r->last_ev = -1;
}

/* every message a state machine sends must be one we can encode */
static void rec_msg(struct rec *r, unsigned to, const struct mbcp_msg *m)
{
	struct mbuf *mb = mbuf_alloc(256);

	assert_int_equal(0, mbcp_encode(mb, m));
	mem_deref(mb);
	assert_true(r->nmsg < MAXREC);
	r->to[r->nmsg] = to;
	r->msg[r->nmsg++] = *m;
}

static void s_send(void *arg, unsigned p, const struct mbcp_msg *m)
{
	rec_msg(arg, p, m);
}

static void s_timer(void *arg, enum fcs_timer t, uint32_t ms)
{
	struct rec *r = arg;

	r->timer_ms[t] = ms;
	++r->ntimer;
}

static void s_event(void *arg, enum fcs_event ev, int p)
{
	struct rec *r = arg;

	r->last_ev = (int)ev;
	r->last_ev_p = p;
}

static const struct fcs_ops sops = { s_send, s_timer, s_event };

static const struct fcs_conf sconf = {
	.t1_ms = 4000, .t2_ms = 30000, .t8_ms = 1000, .t20_ms = 1000,
	.c20 = 3, .ack_granted = true, .floor_ind = MBCP_FI_NORMAL,
	.max_priority = 5, .ssrc = 0x5e7e7e7e,
};

static const char *const ids[] = { "sip:alice@a.mcx.test",
				   "sip:bob@a.mcx.test" };

static void server_grant_release(void **state)
{
	struct fcs s;
	struct rec r;

	(void)state;
	rec_reset(&r);
	assert_int_equal(0, fcs_init(&s, &sconf, &sops, &r, 2, ids));
	assert_int_equal(FCS_IDLE, s.state);
	assert_int_equal(0, r.nmsg);

	/* alice asks for priority 7: granted 5 (capped), bob told */
	fcs_request(&s, 0, 7);
	assert_int_equal(FCS_TAKEN, s.state);
	assert_int_equal(2, r.nmsg);
	assert_int_equal(0, r.to[0]);
	assert_int_equal(MBCP_FLOOR_GRANTED, r.msg[0].hdr.type);
	assert_true(r.msg[0].hdr.ack_req);
	assert_int_equal(30, r.msg[0].duration);
	assert_int_equal(5, r.msg[0].priority);
	assert_int_equal(1, r.to[1]);
	assert_int_equal(MBCP_FLOOR_TAKEN, r.msg[1].hdr.type);
	assert_string_equal("sip:alice@a.mcx.test", r.msg[1].granted_party);
	assert_int_equal(1, r.msg[1].permission);
	assert_int_equal(0, r.msg[1].seq);
	assert_int_equal(30000, r.timer_ms[FCS_T2]);
	assert_int_equal(4000, r.timer_ms[FCS_T1]);
	assert_int_equal(1000, r.timer_ms[FCS_T20]);
	assert_int_equal(FCS_EV_GRANTED, r.last_ev);
	assert_true(fcs_may_send(&s, 0));
	assert_false(fcs_may_send(&s, 1));

	/* bob asks: denied, cause 1 */
	fcs_request(&s, 1, 1);
	assert_int_equal(3, r.nmsg);
	assert_int_equal(MBCP_FLOOR_DENY, r.msg[2].hdr.type);
	assert_int_equal(MBCP_DENY_OTHER_HAS_PERMISSION, r.msg[2].reject.cause);
	assert_int_equal(FCS_EV_DENIED, r.last_ev);
	assert_int_equal(1, r.last_ev_p);

	/* media: only the holder's is relayed, and it restarts T1 */
	r.timer_ms[FCS_T1] = 0;
	assert_true(fcs_media(&s, 0));
	assert_int_equal(4000, r.timer_ms[FCS_T1]);
	assert_false(fcs_media(&s, 1));

	/* alice releases: Idle to both, sequence numbers go on */
	{
		struct mbcp_msg rel;

		mbcp_init(&rel, MBCP_FLOOR_RELEASE, 1);
		fcs_recv(&s, 0, &rel);
	}
	assert_int_equal(FCS_IDLE, s.state);
	assert_int_equal(5, r.nmsg);
	assert_int_equal(MBCP_FLOOR_IDLE, r.msg[3].hdr.type);
	assert_int_equal(1, r.msg[3].seq);
	assert_int_equal(MBCP_FLOOR_IDLE, r.msg[4].hdr.type);
	assert_int_equal(2, r.msg[4].seq);
	for (int t = 0; t < FCS_TIMERS; t++)
		assert_int_equal(0, r.timer_ms[t]);
	assert_false(fcs_may_send(&s, 0));
}

static void server_timers(void **state)
{
	struct mbcp_msg m;
	struct fcs s;
	struct rec r;

	(void)state;
	rec_reset(&r);
	assert_int_equal(0, fcs_init(&s, &sconf, &sops, &r, 2, ids));

	/* stop talking: Revoke (cause 2), then T8 ends it */
	fcs_request(&s, 1, 1);
	fcs_timeout(&s, FCS_T2);
	assert_int_equal(FCS_REVOKING, s.state);
	assert_int_equal(MBCP_FLOOR_REVOKE, r.msg[r.nmsg - 1].hdr.type);
	assert_int_equal(MBCP_REVOKE_BURST_TOO_LONG,
			 r.msg[r.nmsg - 1].reject.cause);
	assert_int_equal(1, r.to[r.nmsg - 1]);
	assert_int_equal(1000, r.timer_ms[FCS_T8]);
	assert_false(fcs_may_send(&s, 1));	/* no more relaying */
	fcs_request(&s, 0, 1);			/* others still denied */
	assert_int_equal(MBCP_FLOOR_DENY, r.msg[r.nmsg - 1].hdr.type);
	fcs_timeout(&s, FCS_T8);
	assert_int_equal(FCS_IDLE, s.state);

	/* end of RTP media: T1 makes the floor idle */
	fcs_request(&s, 0, 1);
	fcs_timeout(&s, FCS_T1);
	assert_int_equal(FCS_IDLE, s.state);
	assert_int_equal(MBCP_FLOOR_IDLE, r.msg[r.nmsg - 1].hdr.type);

	/* T20: Granted resent C20 times without Ack, then no more */
	rec_reset(&r);
	fcs_request(&s, 0, 1);
	for (unsigned i = 0; i < sconf.c20 + 2; i++)
		fcs_timeout(&s, FCS_T20);
	{
		unsigned granted = 0;

		for (unsigned i = 0; i < r.nmsg; i++)
			granted += r.msg[i].hdr.type == MBCP_FLOOR_GRANTED;
		assert_int_equal(1 + sconf.c20, granted);
	}

	/* an Ack stops T20 */
	rec_reset(&r);
	fcs_stop(&s);
	fcs_request(&s, 1, 1);
	mbcp_init(&m, MBCP_FLOOR_ACK, 2);
	m.msg_type = MBCP_FLOOR_GRANTED | FC_ACK_BIT;
	mbcp_set(&m, MBCP_F_MSG_TYPE);
	fcs_recv(&s, 1, &m);
	assert_false(s.ack_pending);
	assert_int_equal(0, r.timer_ms[FCS_T20]);
	r.nmsg = 0;
	fcs_timeout(&s, FCS_T20);		/* stale expiry: nothing */
	assert_int_equal(0, r.nmsg);
}

static void server_odd_inputs(void **state)
{
	struct mbcp_msg m;
	struct fcs s;
	struct rec r;

	(void)state;
	rec_reset(&r);
	assert_int_equal(EINVAL, fcs_init(&s, &sconf, &sops, &r, 0, ids));
	assert_int_equal(EINVAL, fcs_init(&s, &sconf, &sops, &r,
					  FCS_MAX_PARTICIPANTS + 1, ids));
	assert_int_equal(0, fcs_init(&s, &sconf, &sops, &r, 2, NULL));

	/* a Release from someone without the floor: told the state */
	mbcp_init(&m, MBCP_FLOOR_RELEASE, 1);
	fcs_recv(&s, 1, &m);
	assert_int_equal(MBCP_FLOOR_IDLE, r.msg[r.nmsg - 1].hdr.type);
	fcs_request(&s, 0, 1);
	fcs_recv(&s, 1, &m);
	assert_int_equal(MBCP_FLOOR_TAKEN, r.msg[r.nmsg - 1].hdr.type);
	assert_int_equal(FCS_TAKEN, s.state);

	/* the holder asks again (its Granted was lost): Granted again */
	fcs_request(&s, 0, 1);
	assert_int_equal(MBCP_FLOOR_GRANTED, r.msg[r.nmsg - 1].hdr.type);

	/* out-of-range participants and unknown messages change nothing */
	r.nmsg = 0;
	fcs_request(&s, 7, 1);
	mbcp_init(&m, MBCP_FLOOR_QPOS_REQUEST, 1);
	fcs_recv(&s, 1, &m);
	assert_int_equal(0, r.nmsg);
	assert_true(fcs_invariants(&s));
	assert_string_equal("taken", fcs_state_name(s.state));
	assert_string_equal("T20", fcs_timer_name(FCS_T20));
}

/* ---- participant ---- */

static void p_send(void *arg, const struct mbcp_msg *m)
{
	rec_msg(arg, 0, m);
}

static void p_timer(void *arg, enum fcp_timer t, uint32_t ms)
{
	struct rec *r = arg;

	r->timer_ms[t] = ms;
	++r->ntimer;
}

static void p_event(void *arg, enum fcp_event ev, const struct mbcp_msg *m)
{
	struct rec *r = arg;

	(void)m;
	r->last_ev = (int)ev;
}

static const struct fcp_ops pops = { p_send, p_timer, p_event };

static const struct fcp_conf pconf = {
	.t100_ms = 1000, .t101_ms = 1000, .c100 = 3, .c101 = 3,
	.priority = 3, .floor_ind = MBCP_FI_NORMAL, .ssrc = 0x11111111,
};

static void server_msg(struct mbcp_msg *m, enum mbcp_type t, bool ack)
{
	mbcp_init(m, t, 0x5e7e7e7e);
	m->hdr.ack_req = ack;
}

static void participant(void **state)
{
	struct mbcp_msg m;
	struct fcp c;
	struct rec r;

	(void)state;
	rec_reset(&r);
	assert_int_equal(0, fcp_init(&c, &pconf, &pops, &r));
	assert_int_equal(ENOTCONN, fcp_press(&c));
	fcp_start(&c, false);
	assert_int_equal(FCP_NO_PERMISSION, c.state);

	/* press: Request with our priority, T101 */
	assert_int_equal(0, fcp_press(&c));
	assert_int_equal(EALREADY, fcp_press(&c));
	assert_int_equal(MBCP_FLOOR_REQUEST, r.msg[0].hdr.type);
	assert_int_equal(3, r.msg[0].priority);
	assert_int_equal(1000, r.timer_ms[FCP_T101]);

	/* Granted with ACK: Floor Ack echoing the subtype, permission */
	server_msg(&m, MBCP_FLOOR_GRANTED, true);
	m.duration = 30;
	mbcp_set(&m, MBCP_F_DURATION);
	fcp_recv(&c, &m);
	assert_int_equal(FCP_HAS_PERMISSION, c.state);
	assert_true(fcp_may_send(&c));
	assert_int_equal(MBCP_FLOOR_ACK, r.msg[1].hdr.type);
	assert_int_equal(MBCP_FLOOR_GRANTED | FC_ACK_BIT, r.msg[1].msg_type);
	assert_int_equal(0, r.timer_ms[FCP_T101]);
	assert_int_equal(FCP_EV_GRANTED, r.last_ev);

	/* release: Release, T100; Idle ends it */
	assert_int_equal(0, fcp_release(&c));
	assert_int_equal(MBCP_FLOOR_RELEASE, r.msg[2].hdr.type);
	assert_false(fcp_may_send(&c));
	assert_int_equal(1000, r.timer_ms[FCP_T100]);
	server_msg(&m, MBCP_FLOOR_IDLE, false);
	fcp_recv(&c, &m);
	assert_int_equal(FCP_NO_PERMISSION, c.state);
	assert_int_equal(0, r.timer_ms[FCP_T100]);
	assert_int_equal(EALREADY, fcp_release(&c));

	/* someone else talks */
	server_msg(&m, MBCP_FLOOR_TAKEN, false);
	(void)mbcp_set_text(&m, MBCP_F_GRANTED_PARTY, "sip:bob@a.mcx.test");
	fcp_recv(&c, &m);
	assert_true(c.floor_taken);
	assert_string_equal("sip:bob@a.mcx.test", c.talker);
	assert_int_equal(FCP_EV_TAKEN, r.last_ev);

	/* press while taken: Deny */
	assert_int_equal(0, fcp_press(&c));
	server_msg(&m, MBCP_FLOOR_DENY, false);
	m.reject.cause = MBCP_DENY_OTHER_HAS_PERMISSION;
	mbcp_set(&m, MBCP_F_REJECT_CAUSE);
	fcp_recv(&c, &m);
	assert_int_equal(FCP_NO_PERMISSION, c.state);
	assert_int_equal(FCP_EV_DENIED, r.last_ev);

	/* Revoke while talking: stop, Release */
	assert_int_equal(0, fcp_press(&c));
	server_msg(&m, MBCP_FLOOR_GRANTED, false);
	fcp_recv(&c, &m);
	server_msg(&m, MBCP_FLOOR_REVOKE, false);
	fcp_recv(&c, &m);
	assert_int_equal(FCP_PENDING_RELEASE, c.state);
	assert_int_equal(MBCP_FLOOR_RELEASE, r.msg[r.nmsg - 1].hdr.type);
	assert_false(fcp_may_send(&c));

	fcp_stop(&c);
	assert_int_equal(FCP_START_STOP, c.state);
	assert_int_equal(0, r.timer_ms[FCP_T100]);
}

static void participant_timers(void **state)
{
	struct fcp c;
	struct rec r;
	unsigned req = 0;

	(void)state;
	rec_reset(&r);
	assert_int_equal(0, fcp_init(&c, &pconf, &pops, &r));

	/* implicit request: no Request sent, T101 runs; expiry resends
	 * until C101 Requests, then gives up */
	fcp_start(&c, true);
	assert_int_equal(FCP_PENDING_REQUEST, c.state);
	assert_int_equal(0, r.nmsg);
	assert_int_equal(1000, r.timer_ms[FCP_T101]);
	for (unsigned i = 0; i < pconf.c101 + 1; i++)
		fcp_timeout(&c, FCP_T101);
	for (unsigned i = 0; i < r.nmsg; i++)
		req += r.msg[i].hdr.type == MBCP_FLOOR_REQUEST;
	assert_int_equal(pconf.c101, req);
	assert_int_equal(FCP_NO_PERMISSION, c.state);
	assert_int_equal(FCP_EV_NO_ANSWER, r.last_ev);

	/* a Release nobody answers: C100 Releases, then no permission */
	rec_reset(&r);
	assert_int_equal(0, fcp_press(&c));
	assert_int_equal(0, fcp_release(&c));
	for (unsigned i = 0; i < pconf.c100 + 1; i++)
		fcp_timeout(&c, FCP_T100);
	assert_int_equal(1 + pconf.c100, r.nmsg);	/* 1 request */
	assert_int_equal(FCP_NO_PERMISSION, c.state);
}

/* ---- a server and two participants, through the real MBCP codec ---- */

struct world {
	struct fcs s;
	struct fcp c[2];
	struct mbuf *wire;	/* one message in flight */
	int from;		/* -1: server */
	unsigned to;
	unsigned delivered;
};

static void deliver(struct world *w)
{
	struct mbcp_msg m;

	assert_int_equal(0, mbcp_decode(&m, w->wire->buf, w->wire->end, NULL,
					NULL));
	mbuf_reset(w->wire);
	++w->delivered;
	if (w->from < 0)
		fcp_recv(&w->c[w->to], &m);
	else
		fcs_recv(&w->s, (unsigned)w->from, &m);
}

static struct world *world_of_c;

static void ws_send(void *arg, unsigned p, const struct mbcp_msg *m)
{
	struct world *w = arg;

	mbuf_reset(w->wire);
	assert_int_equal(0, mbcp_encode(w->wire, m));
	w->from = -1;
	w->to = p;
	deliver(w);
}

static void wc_send(void *arg, const struct mbcp_msg *m)
{
	struct world *w = world_of_c;
	struct mbuf *mb = mbuf_alloc(128);
	struct mbcp_msg d;

	assert_int_equal(0, mbcp_encode(mb, m));
	assert_int_equal(0, mbcp_decode(&d, mb->buf, mb->end, NULL, NULL));
	mem_deref(mb);
	++w->delivered;
	fcs_recv(&w->s, (unsigned)(uintptr_t)arg, &d);
}

static void whole_call(void **state)
{
	static const struct fcs_ops wsops = { ws_send, NULL, NULL };
	static const struct fcp_ops wcops = { wc_send, NULL, NULL };
	struct world w;

	(void)state;
	memset(&w, 0, sizeof(w));
	w.wire = mbuf_alloc(128);
	world_of_c = &w;
	assert_int_equal(0, fcs_init(&w.s, &sconf, &wsops, &w, 2, ids));
	for (uintptr_t i = 0; i < 2; i++) {
		assert_int_equal(0, fcp_init(&w.c[i], &pconf, &wcops,
					     (void *)i));
		fcp_start(&w.c[i], false);
	}

	/* alice talks; bob sees who; her Ack of Granted arrived */
	assert_int_equal(0, fcp_press(&w.c[0]));
	assert_false(w.s.ack_pending);
	assert_true(fcp_may_send(&w.c[0]));
	assert_true(fcs_may_send(&w.s, 0));
	assert_true(w.c[1].floor_taken);
	assert_string_equal("sip:alice@a.mcx.test", w.c[1].talker);

	/* bob is denied while alice talks */
	assert_int_equal(0, fcp_press(&w.c[1]));
	assert_int_equal(FCP_NO_PERMISSION, w.c[1].state);

	/* alice releases: both idle; bob talks */
	assert_int_equal(0, fcp_release(&w.c[0]));
	assert_int_equal(FCP_NO_PERMISSION, w.c[0].state);
	assert_false(w.c[1].floor_taken);
	assert_int_equal(0, fcp_press(&w.c[1]));
	assert_true(fcp_may_send(&w.c[1]));
	assert_string_equal("sip:bob@a.mcx.test", w.c[0].talker);

	/* bob talks too long: revoked, released, idle everywhere */
	fcs_timeout(&w.s, FCS_T2);
	assert_false(fcp_may_send(&w.c[1]));
	assert_int_equal(FCS_IDLE, w.s.state);
	assert_int_equal(FCP_NO_PERMISSION, w.c[1].state);
	assert_true(w.delivered > 10);
	mem_deref(w.wire);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(server_grant_release),
		cmocka_unit_test(server_timers),
		cmocka_unit_test(server_odd_inputs),
		cmocka_unit_test(participant),
		cmocka_unit_test(participant_timers),
		cmocka_unit_test(whole_call),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
