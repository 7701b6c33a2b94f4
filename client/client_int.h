/**
 * @file client_int.h  The client library's parts (private to client/)
 *
 *   client.c  the client: SIP stack, login, profile, registration,
 *             service authorization, events
 *   ccall.c   private calls: SIP dialog, SDP, audio, floor participant
 */
#ifndef MCX_CLIENT_INT_H
#define MCX_CLIENT_INT_H

#include <re.h>
#include <mcx/client.h>

struct mcdlg_sock;
struct audio_src;

enum { MCXC_STR = 512 };

struct mcxc {
	/* configuration, copied */
	char user[128], password[256], domain[256];
	char sip_server[64], http_server[64], local_ip[64];
	char audio_wav[512], record_dir[512];
	bool sip_tcp, answer_auto;
	uint16_t sip_port, rtp_port;
	uint32_t reg_expires;

	mcxc_event_h *eh;
	void *arg;

	/* identity, once logged in */
	char mc_id[MCXC_STR];		/* from the token            */
	char impi[MCXC_STR];		/* user@domain               */
	char psi[MCXC_STR];		/* sip:mcptt-pf@domain       */
	char route[MCXC_STR];		/* sip:SERVER;lr[;transport] */
	char *token;			/* access token (JWT)        */
	char *profile_xml;		/* the MCPTT profile fetched */
	int profile_index;		/* -1: none                  */

	struct sip *sip;	/* borrowed once closing: libre ends it */
	bool closing;
	bool sip_exited;	/* the stack's exit handler ran */
	mcxc_close_h *closeh;
	void *close_arg;
	struct mcdlg_sock *dlgs;
	struct sip_lsnr *lsnr;
	struct sip_auth *auth;		/* shared: PUBLISH, INVITE   */
	struct sipreg *reg;
	struct sip_dialog *pubdlg;	/* PUBLISH's Call-ID, CSeq   */
	struct sip_request *pubreq;
	struct tmr pubtmr;
	char etag[64];
	char client_id[48];	/* urn:uuid:... */
	unsigned pub_auth_tries;	/* 401/407 answered in a row */
	bool registered, authorized;

	struct dnsc *dnsc;
	struct http_cli *http;
	struct http_req *hreq;

	struct audio_src *src;		/* what we send              */
	struct list calls;
	unsigned next_call;
	uint16_t next_port;
};

struct mcxc_event;

void mcxc_emit(struct mcxc *c, enum mcxc_ev type, unsigned call,
	       const char *peer, const char *text, uint16_t scode,
	       const char *reason, const char *warning, int64_t num);

bool ccall_incoming(struct mcxc *c, const struct sip_msg *msg);
void ccall_close_all(struct mcxc *c);

/* One part of a multipart body we send */
struct body_part {
	const char *ctype;
	const char *disp;	/* Content-Disposition, or NULL */
	const struct mbuf *mb;	/* buf[0..end) */
};

int body_multipart(struct mbuf *mb, char *ctype, size_t ctsz,
		   const struct body_part *parts, size_t n);

#endif
