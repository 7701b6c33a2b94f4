/**
 * @file mcx/mcdlg.h  INVITE dialogs, both ends, over libre's SIP stack
 *
 * One object per INVITE-initiated dialog, whether we sent the INVITE
 * (UAC: the client, or a server's leg towards a callee) or received it
 * (UAS).  It does what RFC 3261 asks of the dialog layer and libre's
 * transaction layer does not: ACK for 2xx (and again for a retransmitted
 * 2xx), retransmission of our 2xx until the ACK comes (13.3.1.4), 401/407
 * retry with credentials, CANCEL in both directions, BYE with the headers
 * and body the caller gives (a Reason, a migration document), and
 * incoming BYE handed to the owner with the message, so a B2BUA can
 * pass on what the peer said.
 *
 * Life cycle: the owner holds one reference.  The close handler is called
 * at most once, when the dialog ends for a reason the owner did not
 * choose (final failure response, CANCEL, BYE, timeout); after it only
 * mcdlg_close() is useful.  mcdlg_close() ends the dialog whatever its
 * state and gives up the owner's reference; the object lives on only as
 * long as needed to finish (a CANCEL crossed by a 2xx, a BYE waiting
 * for our 2xx to be acknowledged), without calling handlers again.
 */
#ifndef MCX_MCDLG_H
#define MCX_MCDLG_H

#include <stdbool.h>
#include <stdint.h>
#include <re.h>

struct mcdlg;
struct mcdlg_sock;

/** UAC: a provisional response (1xx) */
typedef void (mcdlg_progr_h)(struct mcdlg *d, const struct sip_msg *msg,
			     void *arg);
/** UAC: the 2xx (ACK already sent); UAS: the ACK of our 2xx */
typedef void (mcdlg_estab_h)(struct mcdlg *d, const struct sip_msg *msg,
			     void *arg);
/**
 * The dialog ended without the owner asking:
 *  err 0 with msg: a final failure response (UAC) or a BYE (200 sent);
 *  ECANCELED: the caller cancelled (UAS; 487 sent);
 *  ETIMEDOUT: no answer, or our 2xx was never acknowledged (BYE sent);
 *  another errno: transport failure, or a response we cannot use.
 */
typedef void (mcdlg_close_h)(struct mcdlg *d, int err,
			     const struct sip_msg *msg, void *arg);
/**
 * Another request inside the dialog (INFO, MESSAGE, re-INVITE, UPDATE,
 * ...).  The handler must reply, e.g. with sip_treplyf().  Without a
 * handler the request gets 501 with a Warning.
 */
typedef void (mcdlg_req_h)(struct mcdlg *d, const struct sip_msg *msg,
			   void *arg);

struct mcdlg_handlers {
	mcdlg_progr_h *progrh;
	mcdlg_estab_h *estabh;
	mcdlg_close_h *closeh;
	mcdlg_req_h   *reqh;
};

/** Our Contact: <sip:USER@local-address[;transport=..]>PARAMS */
struct mcdlg_contact {
	const char *user;
	const char *params;	/**< e.g. ";+g.3gpp.mcptt;isfocus", or NULL */
};

/** What an outgoing INVITE carries */
struct mcdlg_invite {
	const char *req_uri;
	const char *to_uri;
	const char *from_uri;
	const char *from_name;		/**< or NULL */
	const char *route;		/**< outbound proxy URI, or NULL */
	struct mcdlg_contact contact;
	const char *hdrs;		/**< extra headers, each CRLF-ended */
	const char *ctype;		/**< body type, or NULL */
	const struct mbuf *body;	/**< from its pos to end, or NULL */
	struct sip_auth *auth;		/**< credentials for 401/407, or NULL */
};

/** What a response or a BYE carries beyond the fixed headers */
struct mcdlg_content {
	const char *hdrs;		/**< extra headers, each CRLF-ended */
	const char *ctype;
	const struct mbuf *body;
};

enum mcdlg_state {
	MCDLG_CALLING,		/**< UAC: INVITE sent, no final response   */
	MCDLG_INCOMING,		/**< UAS: INVITE received, no final answer */
	MCDLG_ACCEPTED,		/**< UAS: 2xx sent, waiting for the ACK    */
	MCDLG_ESTABLISHED,
	MCDLG_CLOSED,
};

int  mcdlg_sock_alloc(struct mcdlg_sock **sockp, struct sip *sip);
uint32_t mcdlg_sock_count(const struct mcdlg_sock *sock);
uint32_t mcdlg_sock_pending(const struct mcdlg_sock *sock);
void mcdlg_sock_close(struct mcdlg_sock *sock);

int  mcdlg_connect(struct mcdlg **dp, struct mcdlg_sock *sock,
		   const struct mcdlg_invite *inv,
		   const struct mcdlg_handlers *h, void *arg);

int  mcdlg_accept(struct mcdlg **dp, struct mcdlg_sock *sock,
		  const struct sip_msg *msg, const struct mcdlg_contact *c,
		  const struct mcdlg_handlers *h, void *arg);
int  mcdlg_progress(struct mcdlg *d, uint16_t scode, const char *reason,
		    const struct mcdlg_content *ct);
int  mcdlg_answer(struct mcdlg *d, uint16_t scode, const char *reason,
		  const struct mcdlg_content *ct);

void mcdlg_close(struct mcdlg *d, uint16_t scode, const char *reason,
		 const struct mcdlg_content *ct);

enum mcdlg_state mcdlg_state(const struct mcdlg *d);
const char *mcdlg_state_name(enum mcdlg_state st);
const char *mcdlg_callid(const struct mcdlg *d);
const struct sip_msg *mcdlg_invite_msg(const struct mcdlg *d);
struct sip_dialog *mcdlg_dialog(const struct mcdlg *d);
struct sip *mcdlg_sip(const struct mcdlg *d);

#endif
