/**
 * @file mcx/fcp.h  Floor participant of one call (TS 24.380 6.2)
 *
 * The client side of floor control, pure like struct fcs: the user's
 * talk button, MBCP messages from the floor control server and timer
 * expiries go in; messages, timers and notifications come out through
 * struct fcp_ops.
 *
 *                    press: Request,
 *   +---------------+    T101          +-----------------+
 *   | NO_PERMISSION | ---------------> | PENDING_REQUEST |
 *   +---------------+ <--------------- +-----------------+
 *      ^        ^     Deny, Taken,        |           |
 *      |        |     T101 x C101         | Granted   | release
 *      |        |                         v           |
 *      |        |     Taken          +----------------+ |
 *      |        +------------------- | HAS_PERMISSION | |
 *      |                             +----------------+ |
 *      |   Idle, Taken,      release, Revoke: |         |
 *      |   T100 x C100       Release, T100    v         v
 *      |                             +-----------------+
 *      +---------------------------- | PENDING_RELEASE |
 *                                    +-----------------+
 *   START_STOP --start()--> NO_PERMISSION, or PENDING_REQUEST with an
 *                           implicit request (the INVITE asked for it)
 *
 * Transitions (fcp.c):
 *   NO_PERMISSION   -- press ------> PENDING_REQUEST  Floor Request; T101
 *   PENDING_REQUEST -- Granted -----> HAS_PERMISSION  (Ack if asked)
 *   PENDING_REQUEST -- Deny/Taken --> NO_PERMISSION
 *   PENDING_REQUEST -- T101 --------> same, Request again; after C101
 *                                     attempts NO_PERMISSION
 *   PENDING_REQUEST -- release -----> PENDING_RELEASE Floor Release; T100
 *   HAS_PERMISSION  -- release -----> PENDING_RELEASE Floor Release; T100
 *   HAS_PERMISSION  -- Revoke ------> PENDING_RELEASE Floor Release; T100
 *   HAS_PERMISSION  -- Taken -------> NO_PERMISSION   (the server moved on)
 *   PENDING_RELEASE -- Idle/Taken --> NO_PERMISSION
 *   PENDING_RELEASE -- T100 --------> same, Release again; after C100
 *                                     attempts NO_PERMISSION
 *   NO_PERMISSION   -- Granted -----> HAS_PERMISSION  (a late grant)
 *   any but START_STOP -- Idle/Taken: the floor's state is noted
 *
 * Invariants: HAS_PERMISSION and only it lets media be sent; T101 runs
 * only in PENDING_REQUEST, T100 only in PENDING_RELEASE.
 */
#ifndef MCX_FCP_H
#define MCX_FCP_H

#include <stdbool.h>
#include <stdint.h>
#include <mcx/mbcp.h>

enum fcp_state {
	FCP_START_STOP = 0,
	FCP_NO_PERMISSION,
	FCP_PENDING_REQUEST,
	FCP_HAS_PERMISSION,
	FCP_PENDING_RELEASE,
};

enum fcp_timer {
	FCP_T100 = 0,	/**< floor release: resend Release       */
	FCP_T101,	/**< floor request: resend Request       */
	FCP_TIMERS
};

enum fcp_event {
	FCP_EV_GRANTED,		/**< we may talk                       */
	FCP_EV_DENIED,		/**< our request refused (m: the Deny) */
	FCP_EV_TAKEN,		/**< someone else talks (m: the Taken) */
	FCP_EV_IDLE,		/**< nobody talks                      */
	FCP_EV_REVOKED,		/**< our permission is taken back      */
	FCP_EV_NO_ANSWER,	/**< the server did not answer          */
};

struct fcp_conf {
	uint32_t t100_ms;
	uint32_t t101_ms;
	unsigned c100;		/**< Release sent at most c100 times */
	unsigned c101;		/**< Request sent at most c101 times */
	uint8_t priority;	/**< Floor Priority we ask for       */
	uint16_t floor_ind;	/**< Floor Indicator we send         */
	uint32_t ssrc;		/**< our SSRC                        */
};

struct fcp_ops {
	void (*send)(void *arg, const struct mbcp_msg *m);
	void (*timer)(void *arg, enum fcp_timer t, uint32_t ms);
	/** m: the message that caused it, or NULL */
	void (*event)(void *arg, enum fcp_event ev, const struct mbcp_msg *m);
};

struct fcp {
	enum fcp_state state;
	bool floor_taken;	/**< someone else holds the floor      */
	char talker[FC_TEXT_MAX + 1]; /**< who, from Floor Taken        */
	unsigned sends;		/**< Request/Release sent in this state */
	struct fcp_conf conf;
	const struct fcp_ops *ops;
	void *arg;
};

int  fcp_init(struct fcp *c, const struct fcp_conf *conf,
	      const struct fcp_ops *ops, void *arg);
void fcp_start(struct fcp *c, bool implicit_request);
int  fcp_press(struct fcp *c);
int  fcp_release(struct fcp *c);
void fcp_recv(struct fcp *c, const struct mbcp_msg *m);
void fcp_timeout(struct fcp *c, enum fcp_timer t);
void fcp_stop(struct fcp *c);
bool fcp_may_send(const struct fcp *c);
bool fcp_invariants(const struct fcp *c);
const char *fcp_state_name(enum fcp_state st);

#endif
