/**
 * @file fcs.c  Floor control server of one call (TS 24.380 6.3)
 *
 * The state diagram, the transitions and the invariants are in
 * include/mcx/fcs.h. Each transition is one function here; each event
 * handler ends by asserting the invariants.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/fcs.h>


/** Does the state machine hold what fcs.h promises? */
bool fcs_invariants(const struct fcs *s)
{
	if (!s || s->n == 0 || s->n > FCS_MAX_PARTICIPANTS)
		return false;

	switch (s->state) {

	case FCS_IDLE:
		return s->holder == -1 && !s->ack_pending;

	case FCS_TAKEN:
	case FCS_REVOKING:
		return s->holder >= 0 && (unsigned)s->holder < s->n;
	}

	return false;
}


static void check(const struct fcs *s)
{
	(void)s;
	assert(fcs_invariants(s));
}


static void timer(struct fcs *s, enum fcs_timer t, uint32_t ms)
{
	if (s->ops->timer)
		s->ops->timer(s->arg, t, ms);
}


static void event(struct fcs *s, enum fcs_event ev, int p)
{
	if (s->ops->event)
		s->ops->event(s->arg, ev, p);
}


static void msg_init(struct fcs *s, struct mbcp_msg *m, enum mbcp_type t)
{
	mbcp_init(m, t, s->conf.ssrc);
	m->floor_ind = s->conf.floor_ind;
	mbcp_set(m, MBCP_F_FLOOR_IND);
}


/* Floor Taken to q: who talks, q may ask for the floor */
static void send_taken(struct fcs *s, unsigned q)
{
	struct mbcp_msg m;

	msg_init(s, &m, MBCP_FLOOR_TAKEN);
	if (s->ids[s->holder][0])
		(void)mbcp_set_text(&m, MBCP_F_GRANTED_PARTY,
				    s->ids[s->holder]);
	m.permission = 1;
	mbcp_set(&m, MBCP_F_PERMISSION);
	m.seq = s->seq++;
	mbcp_set(&m, MBCP_F_SEQ);
	s->ops->send(s->arg, q, &m);
}


static void send_idle(struct fcs *s, unsigned q)
{
	struct mbcp_msg m;

	msg_init(s, &m, MBCP_FLOOR_IDLE);
	m.seq = s->seq++;
	mbcp_set(&m, MBCP_F_SEQ);
	s->ops->send(s->arg, q, &m);
}


static void send_granted(struct fcs *s)
{
	struct mbcp_msg m;

	msg_init(s, &m, MBCP_FLOOR_GRANTED);
	m.hdr.ack_req = s->conf.ack_granted;
	m.duration = (uint16_t)(s->conf.t2_ms / 1000);
	mbcp_set(&m, MBCP_F_DURATION);
	m.priority = s->granted_priority;
	mbcp_set(&m, MBCP_F_PRIORITY);

	/* state first: an Ack may come back before send() returns */
	++s->granted_sends;
	s->ack_pending = s->conf.ack_granted;
	if (s->ack_pending)
		timer(s, FCS_T20, s->conf.t20_ms);

	s->ops->send(s->arg, (unsigned)s->holder, &m);
}


static void send_deny(struct fcs *s, unsigned q)
{
	struct mbcp_msg m;

	msg_init(s, &m, MBCP_FLOOR_DENY);
	m.reject.cause = MBCP_DENY_OTHER_HAS_PERMISSION;
	str_ncpy(m.reject.phrase, "another participant has the floor",
		 sizeof(m.reject.phrase));
	mbcp_set(&m, MBCP_F_REJECT_CAUSE);
	s->ops->send(s->arg, q, &m);
}


/* Transition to TAKEN(p) */
static void grant(struct fcs *s, unsigned p, uint8_t priority)
{
	s->state = FCS_TAKEN;
	s->holder = (int)p;
	s->granted_priority = priority > s->conf.max_priority ?
		s->conf.max_priority : priority;
	s->granted_sends = 0;

	send_granted(s);
	for (unsigned q = 0; q < s->n; q++) {
		if (q != p)
			send_taken(s, q);
	}

	timer(s, FCS_T2, s->conf.t2_ms);
	timer(s, FCS_T1, s->conf.t1_ms);
	event(s, FCS_EV_GRANTED, (int)p);
}


/* Transition to IDLE */
static void go_idle(struct fcs *s)
{
	s->state = FCS_IDLE;
	s->holder = -1;
	s->ack_pending = false;

	timer(s, FCS_T1, 0);
	timer(s, FCS_T2, 0);
	timer(s, FCS_T8, 0);
	timer(s, FCS_T20, 0);

	for (unsigned q = 0; q < s->n; q++)
		send_idle(s, q);

	event(s, FCS_EV_IDLE, -1);
}


/* Transition TAKEN(p) -> REVOKING(p) */
static void revoke(struct fcs *s)
{
	struct mbcp_msg m;

	s->state = FCS_REVOKING;
	timer(s, FCS_T1, 0);
	timer(s, FCS_T2, 0);
	timer(s, FCS_T20, 0);
	s->ack_pending = false;

	msg_init(s, &m, MBCP_FLOOR_REVOKE);
	m.reject.cause = MBCP_REVOKE_BURST_TOO_LONG;
	mbcp_set(&m, MBCP_F_REJECT_CAUSE);
	s->ops->send(s->arg, (unsigned)s->holder, &m);

	timer(s, FCS_T8, s->conf.t8_ms);
	event(s, FCS_EV_REVOKED, s->holder);
}


/**
 * Set up the floor control server of a call; the floor starts idle and
 * nothing is sent until a participant asks.
 *
 * @param s    State machine (a value; no allocation)
 * @param conf Timers and what to send
 * @param ops  Where messages, timers and events go (send required)
 * @param arg  Handler argument
 * @param n    Participants (1..FCS_MAX_PARTICIPANTS)
 * @param ids  Their MC service IDs, for Granted Party's Identity (may be
 *             NULL, as may any element)
 *
 * @return 0 or EINVAL
 */
int fcs_init(struct fcs *s, const struct fcs_conf *conf,
	     const struct fcs_ops *ops, void *arg, unsigned n,
	     const char *const ids[])
{
	if (!s || !conf || !ops || !ops->send || !n ||
	    n > FCS_MAX_PARTICIPANTS || conf->t2_ms / 1000 > 0xffff)
		return EINVAL;

	memset(s, 0, sizeof(*s));
	s->state = FCS_IDLE;
	s->holder = -1;
	s->n = n;
	s->conf = *conf;
	s->ops = ops;
	s->arg = arg;

	for (unsigned i = 0; ids && i < n; i++) {
		if (ids[i])
			str_ncpy(s->ids[i], ids[i], sizeof(s->ids[i]));
	}

	check(s);
	return 0;
}


/**
 * A participant asks for the floor: a Floor Request, or the implicit
 * request of the call set-up (mc_implicit_request, TS 24.380 6.3.4.x)
 */
void fcs_request(struct fcs *s, unsigned p, uint8_t priority)
{
	if (!s || p >= s->n)
		return;

	switch (s->state) {

	case FCS_IDLE:
		grant(s, p, priority);
		break;

	case FCS_TAKEN:
		if ((int)p == s->holder) {
			s->granted_sends = 0;
			send_granted(s);	/* its Granted was lost */
		}
		else {
			send_deny(s, p);
			event(s, FCS_EV_DENIED, (int)p);
		}
		break;

	case FCS_REVOKING:
		if ((int)p != s->holder) {
			send_deny(s, p);
			event(s, FCS_EV_DENIED, (int)p);
		}
		break;
	}

	check(s);
}


static void release(struct fcs *s, unsigned p)
{
	if (s->state != FCS_IDLE && (int)p == s->holder) {
		go_idle(s);
		return;
	}

	/* not the holder: tell it how the floor stands */
	if (s->state == FCS_IDLE)
		send_idle(s, p);
	else
		send_taken(s, p);
}


/**
 * An MBCP message from participant p (already decoded). Floor Request,
 * Floor Release and Floor Ack act; others are ignored.
 */
void fcs_recv(struct fcs *s, unsigned p, const struct mbcp_msg *m)
{
	if (!s || !m || p >= s->n)
		return;

	switch (m->hdr.type) {

	case MBCP_FLOOR_REQUEST:
		fcs_request(s, p, mbcp_has(m, MBCP_F_PRIORITY) ? m->priority :
			    s->conf.max_priority);
		return;		/* fcs_request checked the invariants */

	case MBCP_FLOOR_RELEASE:
		release(s, p);
		break;

	case MBCP_FLOOR_ACK:
		if (s->ack_pending && (int)p == s->holder &&
		    (m->msg_type & 0x0f) == MBCP_FLOOR_GRANTED) {
			s->ack_pending = false;
			timer(s, FCS_T20, 0);
		}
		break;

	default:
		break;
	}

	check(s);
}


/**
 * Media (RTP) arrived from participant p
 *
 * @return true if it is to be relayed: p holds the floor (T1 restarts)
 */
bool fcs_media(struct fcs *s, unsigned p)
{
	if (!fcs_may_send(s, p))
		return false;

	timer(s, FCS_T1, s->conf.t1_ms);
	return true;
}


/** May participant p send media now? */
bool fcs_may_send(const struct fcs *s, unsigned p)
{
	return s && s->state == FCS_TAKEN && s->holder == (int)p;
}


/** A timer started through ops->timer has expired */
void fcs_timeout(struct fcs *s, enum fcs_timer t)
{
	if (!s)
		return;

	switch (t) {

	case FCS_T1:		/* the holder stopped sending */
		if (s->state == FCS_TAKEN)
			go_idle(s);
		break;

	case FCS_T2:		/* talked too long */
		if (s->state == FCS_TAKEN)
			revoke(s);
		break;

	case FCS_T8:		/* no Release after the Revoke */
		if (s->state == FCS_REVOKING)
			go_idle(s);
		break;

	case FCS_T20:		/* no Ack for Granted */
		if (s->state == FCS_TAKEN && s->ack_pending) {
			if (s->granted_sends <= s->conf.c20)
				send_granted(s);
			else
				s->ack_pending = false;	/* give up asking */
		}
		break;

	default:
		break;
	}

	check(s);
}


/** The call ends: stop every timer; nothing more is sent */
void fcs_stop(struct fcs *s)
{
	if (!s)
		return;

	for (int t = 0; t < FCS_TIMERS; t++)
		timer(s, (enum fcs_timer)t, 0);

	s->state = FCS_IDLE;
	s->holder = -1;
	s->ack_pending = false;
	check(s);
}


const char *fcs_state_name(enum fcs_state st)
{
	switch (st) {

	case FCS_IDLE:     return "idle";
	case FCS_TAKEN:    return "taken";
	case FCS_REVOKING: return "revoking";
	default:           return "?";
	}
}


const char *fcs_timer_name(enum fcs_timer t)
{
	static const char *const names[] = { "T1", "T2", "T8", "T20" };

	return ((unsigned)t < FCS_TIMERS) ? names[t] : "?";
}
