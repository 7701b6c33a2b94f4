/**
 * @file fcp.c  Floor participant of one call (TS 24.380 6.2)
 *
 * Diagram, transitions and invariants: include/mcx/fcp.h.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/fcp.h>


/** Does the state machine hold what fcp.h promises? */
bool fcp_invariants(const struct fcp *c)
{
	if (!c)
		return false;

	switch (c->state) {

	case FCP_START_STOP:
	case FCP_NO_PERMISSION:
	case FCP_HAS_PERMISSION:
		return true;

	case FCP_PENDING_REQUEST:
	case FCP_PENDING_RELEASE:
		return c->sends >= 1 || c->state == FCP_PENDING_REQUEST;
	}

	return false;
}


static void check(const struct fcp *c)
{
	(void)c;
	assert(fcp_invariants(c));
}


static void timer(struct fcp *c, enum fcp_timer t, uint32_t ms)
{
	if (c->ops->timer)
		c->ops->timer(c->arg, t, ms);
}


static void event(struct fcp *c, enum fcp_event ev, const struct mbcp_msg *m)
{
	if (c->ops->event)
		c->ops->event(c->arg, ev, m);
}


static void msg_init(struct fcp *c, struct mbcp_msg *m, enum mbcp_type t)
{
	mbcp_init(m, t, c->conf.ssrc);
	m->floor_ind = c->conf.floor_ind;
	mbcp_set(m, MBCP_F_FLOOR_IND);
}


static void send_request(struct fcp *c)
{
	struct mbcp_msg m;

	msg_init(c, &m, MBCP_FLOOR_REQUEST);
	m.priority = c->conf.priority;
	mbcp_set(&m, MBCP_F_PRIORITY);
	c->ops->send(c->arg, &m);
	++c->sends;
	timer(c, FCP_T101, c->conf.t101_ms);
}


static void send_release(struct fcp *c)
{
	struct mbcp_msg m;

	msg_init(c, &m, MBCP_FLOOR_RELEASE);
	c->ops->send(c->arg, &m);
	++c->sends;
	timer(c, FCP_T100, c->conf.t100_ms);
}


/* TS 24.380 6.2.x: a message with the ACK bit gets a Floor Ack */
static void ack(struct fcp *c, const struct mbcp_msg *in)
{
	struct mbcp_msg m;

	if (!in->hdr.ack_req)
		return;

	mbcp_init(&m, MBCP_FLOOR_ACK, c->conf.ssrc);
	m.source = MBCP_SRC_PARTICIPANT;
	mbcp_set(&m, MBCP_F_SOURCE);
	m.msg_type = (uint8_t)(in->hdr.type | FC_ACK_BIT);
	mbcp_set(&m, MBCP_F_MSG_TYPE);
	c->ops->send(c->arg, &m);
}


static void enter(struct fcp *c, enum fcp_state st)
{
	if (c->state == FCP_PENDING_REQUEST && st != FCP_PENDING_REQUEST)
		timer(c, FCP_T101, 0);
	if (c->state == FCP_PENDING_RELEASE && st != FCP_PENDING_RELEASE)
		timer(c, FCP_T100, 0);
	if (st != c->state)
		c->sends = 0;

	c->state = st;
}


/**
 * Set up a participant; it is in START_STOP until fcp_start()
 *
 * @return 0 or EINVAL
 */
int fcp_init(struct fcp *c, const struct fcp_conf *conf,
	     const struct fcp_ops *ops, void *arg)
{
	if (!c || !conf || !ops || !ops->send || !conf->c100 || !conf->c101)
		return EINVAL;

	memset(c, 0, sizeof(*c));
	c->conf = *conf;
	c->ops = ops;
	c->arg = arg;
	check(c);

	return 0;
}


/**
 * The call is connected. With an implicit request (the INVITE carried
 * mc_implicit_request), the floor has been asked for already: wait for
 * the answer under T101 without sending a Request (TS 24.380 6.2.1).
 */
void fcp_start(struct fcp *c, bool implicit_request)
{
	if (!c || c->state != FCP_START_STOP)
		return;

	enter(c, implicit_request ? FCP_PENDING_REQUEST : FCP_NO_PERMISSION);
	if (implicit_request)
		timer(c, FCP_T101, c->conf.t101_ms);
	check(c);
}


/**
 * The user presses the talk button
 *
 * @return 0 (Request sent), EALREADY (asking or talking already) or
 *         ENOTCONN (no call)
 */
int fcp_press(struct fcp *c)
{
	if (!c)
		return EINVAL;

	switch (c->state) {

	case FCP_START_STOP:
		return ENOTCONN;

	case FCP_NO_PERMISSION:
	case FCP_PENDING_RELEASE:
		enter(c, FCP_PENDING_REQUEST);
		send_request(c);
		check(c);
		return 0;

	default:
		return EALREADY;
	}
}


/**
 * The user releases the talk button (or hangs up the floor)
 *
 * @return 0 (Release sent), EALREADY (nothing to release) or ENOTCONN
 */
int fcp_release(struct fcp *c)
{
	if (!c)
		return EINVAL;

	switch (c->state) {

	case FCP_START_STOP:
		return ENOTCONN;

	case FCP_PENDING_REQUEST:
	case FCP_HAS_PERMISSION:
		enter(c, FCP_PENDING_RELEASE);
		send_release(c);
		check(c);
		return 0;

	default:
		return EALREADY;
	}
}


static void taken(struct fcp *c, const struct mbcp_msg *m)
{
	c->floor_taken = true;
	if (mbcp_has(m, MBCP_F_GRANTED_PARTY))
		str_ncpy(c->talker, m->granted_party, sizeof(c->talker));
	else
		c->talker[0] = '\0';

	if (c->state != FCP_NO_PERMISSION)
		enter(c, FCP_NO_PERMISSION);
	event(c, FCP_EV_TAKEN, m);
}


/** An MBCP message from the floor control server (already decoded) */
void fcp_recv(struct fcp *c, const struct mbcp_msg *m)
{
	if (!c || !m || c->state == FCP_START_STOP)
		return;

	ack(c, m);

	switch (m->hdr.type) {

	case MBCP_FLOOR_GRANTED:
		/* a grant we no longer want is given back */
		if (c->state == FCP_PENDING_RELEASE) {
			send_release(c);
			break;
		}
		c->floor_taken = false;
		c->talker[0] = '\0';
		if (c->state != FCP_HAS_PERMISSION) {
			enter(c, FCP_HAS_PERMISSION);
			event(c, FCP_EV_GRANTED, m);
		}
		break;

	case MBCP_FLOOR_DENY:
		if (c->state == FCP_PENDING_REQUEST) {
			enter(c, FCP_NO_PERMISSION);
			event(c, FCP_EV_DENIED, m);
		}
		break;

	case MBCP_FLOOR_TAKEN:
		taken(c, m);
		break;

	case MBCP_FLOOR_IDLE:
		c->floor_taken = false;
		c->talker[0] = '\0';
		if (c->state == FCP_PENDING_REQUEST)
			break;		/* our request may be on its way */
		if (c->state != FCP_NO_PERMISSION)
			enter(c, FCP_NO_PERMISSION);
		event(c, FCP_EV_IDLE, m);
		break;

	case MBCP_FLOOR_REVOKE:
		if (c->state == FCP_HAS_PERMISSION) {
			event(c, FCP_EV_REVOKED, m);
			enter(c, FCP_PENDING_RELEASE);
			send_release(c);
		}
		break;

	default:
		break;
	}

	check(c);
}


/** A timer started through ops->timer has expired */
void fcp_timeout(struct fcp *c, enum fcp_timer t)
{
	if (!c)
		return;

	if (t == FCP_T101 && c->state == FCP_PENDING_REQUEST) {
		if (c->sends < c->conf.c101) {
			send_request(c);
		}
		else {
			enter(c, FCP_NO_PERMISSION);
			event(c, FCP_EV_NO_ANSWER, NULL);
		}
	}
	else if (t == FCP_T100 && c->state == FCP_PENDING_RELEASE) {
		if (c->sends < c->conf.c100) {
			send_release(c);
		}
		else {
			enter(c, FCP_NO_PERMISSION);
			event(c, FCP_EV_NO_ANSWER, NULL);
		}
	}

	check(c);
}


/** The call ends: stop the timers; back to START_STOP */
void fcp_stop(struct fcp *c)
{
	if (!c)
		return;

	enter(c, FCP_START_STOP);
	timer(c, FCP_T100, 0);
	timer(c, FCP_T101, 0);
	c->floor_taken = false;
	c->talker[0] = '\0';
	check(c);
}


/** May we send media now (we hold the floor)? */
bool fcp_may_send(const struct fcp *c)
{
	return c && c->state == FCP_HAS_PERMISSION;
}


const char *fcp_state_name(enum fcp_state st)
{
	switch (st) {

	case FCP_START_STOP:      return "start-stop";
	case FCP_NO_PERMISSION:   return "has no permission";
	case FCP_PENDING_REQUEST: return "pending request";
	case FCP_HAS_PERMISSION:  return "has permission";
	case FCP_PENDING_RELEASE: return "pending release";
	default:                  return "?";
	}
}
