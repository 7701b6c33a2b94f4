/**
 * @file mcx/fcs.h  Floor control server of one call (TS 24.380 6.3)
 *
 * The arbitration state machine of the controlling function for one call,
 * pure: MBCP messages, media activity and timer expiries go in; messages
 * to send, timers to (re)start and notifications come out through struct
 * fcs_ops. No I/O, no clock, no allocation. The owner (the MCPTT server's
 * call object) owns the sockets and the libre timers.
 *
 *                         Floor Request (p)
 *      +----------+  ------------------------->  +-------------+
 *      |   IDLE   |                              |  TAKEN (p)  | --+
 *      +----------+  <-------------------------  +-------------+   | Request
 *           ^         Floor Release (p), T1            |    ^      | (q != p):
 *           |         (no media from p)                |    +------+ Deny to q
 *           |                                      T2  |  (stop talking)
 *           |         Floor Release (p), T8            v
 *           +------------------------------------ +-------------+
 *                                                 | REVOKING (p)|
 *                                                 +-------------+
 *
 * Transitions (all in fcs.c):
 *
 *   IDLE        -- Request(p) ---> TAKEN(p)   grant(): Floor Granted to p
 *                                             (Duration = T2), Floor Taken
 *                                             to the others; T2, T1 start
 *   TAKEN(p)    -- Request(p) ---> TAKEN(p)   Floor Granted again (lost?)
 *   TAKEN(p)    -- Request(q) ---> TAKEN(p)   Floor Deny to q, cause 1
 *   TAKEN(p)    -- Release(p) ---> IDLE       go_idle(): Floor Idle to all
 *   TAKEN(p)    -- T1 -----------> IDLE       go_idle()
 *   TAKEN(p)    -- T2 -----------> REVOKING   Floor Revoke to p, cause 2; T8
 *   REVOKING(p) -- Release(p), T8 -> IDLE     go_idle()
 *   REVOKING(p) -- Request(q) ---> REVOKING   Floor Deny to q, cause 1
 *   any         -- Release(q), q not holder   Floor Idle to q, or Taken to q
 *                                             if someone holds the floor
 *
 * Floor Granted is sent with the acknowledgement bit when the configuration
 * asks for it; T20 then resends it up to C20 times until Floor Ack.
 * Media is relayed only from the participant that holds the floor
 * (fcs_may_send); media from it restarts T1.
 *
 * Invariants (fcs_invariants, asserted after every event in debug builds):
 *   IDLE      holder == -1
 *   TAKEN     0 <= holder < n
 *   REVOKING  0 <= holder < n
 */
#ifndef MCX_FCS_H
#define MCX_FCS_H

#include <stdbool.h>
#include <stdint.h>
#include <mcx/mbcp.h>

enum {
	FCS_MAX_PARTICIPANTS = 8,
	FCS_ID_MAX = 256,
};

enum fcs_state {
	FCS_IDLE = 0,
	FCS_TAKEN,
	FCS_REVOKING,
};

enum fcs_timer {
	FCS_T1 = 0,	/**< end of RTP media: holder silent this long   */
	FCS_T2,		/**< stop talking: longest a holder may talk     */
	FCS_T8,		/**< floor revoke: wait for Release after Revoke */
	FCS_T20,	/**< floor granted: resend Granted until Ack     */
	FCS_TIMERS
};

/** What happened, for the owner's logs, events and media gate */
enum fcs_event {
	FCS_EV_GRANTED,		/**< p holds the floor               */
	FCS_EV_DENIED,		/**< p's request refused             */
	FCS_EV_IDLE,		/**< nobody holds the floor          */
	FCS_EV_REVOKED,		/**< p's permission is being revoked */
};

struct fcs_conf {
	uint32_t t1_ms;		/**< end of RTP media                 */
	uint32_t t2_ms;		/**< stop talking (Duration in Granted) */
	uint32_t t8_ms;		/**< floor revoke                     */
	uint32_t t20_ms;	/**< floor granted retransmission     */
	unsigned c20;		/**< Granted sent at most 1 + c20 times */
	bool ack_granted;	/**< ask for Floor Ack of Granted     */
	uint16_t floor_ind;	/**< Floor Indicator sent (normal, emergency) */
	uint8_t max_priority;	/**< highest priority granted         */
	uint32_t ssrc;		/**< SSRC of the floor control server */
};

struct fcs_ops {
	/** Send an MBCP message to participant p */
	void (*send)(void *arg, unsigned p, const struct mbcp_msg *m);
	/** (Re)start timer t for ms milliseconds; ms == 0 stops it */
	void (*timer)(void *arg, enum fcs_timer t, uint32_t ms);
	/** A state change, about participant p (-1: none) */
	void (*event)(void *arg, enum fcs_event ev, int p);
};

/** The floor control server of one call */
struct fcs {
	enum fcs_state state;
	int holder;		/**< participant with permission, or -1 */
	unsigned n;		/**< participants                        */
	char ids[FCS_MAX_PARTICIPANTS][FCS_ID_MAX]; /**< their MC IDs    */
	uint16_t seq;		/**< Message Sequence-Number, next to send */
	uint8_t granted_priority;
	unsigned granted_sends;	/**< Granted sent for the current grant */
	bool ack_pending;	/**< Granted awaits its Floor Ack        */
	struct fcs_conf conf;
	const struct fcs_ops *ops;
	void *arg;
};

int  fcs_init(struct fcs *s, const struct fcs_conf *conf,
	      const struct fcs_ops *ops, void *arg, unsigned n,
	      const char *const ids[]);
void fcs_recv(struct fcs *s, unsigned p, const struct mbcp_msg *m);
void fcs_request(struct fcs *s, unsigned p, uint8_t priority);
bool fcs_media(struct fcs *s, unsigned p);
bool fcs_may_send(const struct fcs *s, unsigned p);
void fcs_timeout(struct fcs *s, enum fcs_timer t);
void fcs_stop(struct fcs *s);
bool fcs_invariants(const struct fcs *s);
const char *fcs_state_name(enum fcs_state st);
const char *fcs_timer_name(enum fcs_timer t);

#endif
