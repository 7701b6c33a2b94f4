/**
 * @file mcx/client.h  The MC service client: one user on one MC system
 *
 * What a UE does for MCPTT, as a library under libre's main loop (the mcx
 * CLI drives it; tests and the demo drive the CLI):
 *
 *   login      password at the IdMS token endpoint -> access token
 *   profile    the user profile from the CMS (XCAP GET, Bearer token)
 *   register   SIP REGISTER with digest, then service authorization:
 *              PUBLISH poc-settings + mcptt-info with the access token
 *   call       private call (TS 24.379 11.1.1.2.1.1): INVITE to the
 *              participating function's PSI, called party in a
 *              resource-lists body, automatic or manual commencement,
 *              with or without floor control
 *   answer / reject   an incoming private call
 *   press / release   the talk button (TS 24.380 floor participant)
 *   hangup     BYE (11.1.3)
 *   logout     unregister, forget the token
 *
 * Each call carries audio: PCMU, 20 ms packets, from a WAV file or a
 * tone, sent only while we hold the floor (or always, without floor
 * control); what is received is counted and may be written to a WAV.
 *
 * Everything the client learns arrives as an event (struct mcxc_event),
 * in order, with a timestamp; an operation that cannot start fails at
 * once with an errno and a reason (struct mcx_diag).
 */
#ifndef MCX_CLIENT_H
#define MCX_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

struct mcx_diag;
struct re_printf;
struct mcxc;

/** Where the client finds its MC system and who it is */
struct mcxc_conf {
	const char *user;	/**< login name, e.g. "alice"             */
	const char *password;
	const char *domain;	/**< the MC system, e.g. "a.mcx.test"    */
	const char *sip_server;	/**< IP:port of its SIP core             */
	bool sip_tcp;		/**< TCP instead of UDP to the SIP core  */
	const char *http_server;/**< IP:port of its IdMS and CMS          */
	const char *local_ip;	/**< address to bind, e.g. "127.0.1.10"  */
	uint16_t sip_port;	/**< local SIP port; 0: any              */
	uint16_t rtp_port;	/**< first local media port; 0: any      */
	uint32_t reg_expires;	/**< seconds asked in REGISTER           */
	const char *audio_wav;	/**< WAV to send; NULL: a 440 Hz tone    */
	const char *record_dir;	/**< write received audio here; NULL: no */
	bool answer_auto;	/**< answer manual calls without asking  */
};

enum mcxc_ev {
	MCXC_EV_LOGGED_IN,	/**< access token received (text: expiry) */
	MCXC_EV_PROFILE,	/**< user profile fetched (text: summary) */
	MCXC_EV_REGISTERED,	/**< 200 to REGISTER (num: expires)       */
	MCXC_EV_AUTHORIZED,	/**< service authorization accepted       */
	MCXC_EV_UNREGISTERED,	/**< logged out, or registration lost     */
	MCXC_EV_INCOMING,	/**< a call for us (peer, text: mode)     */
	MCXC_EV_RINGING,	/**< our call rings at the callee         */
	MCXC_EV_CONNECTED,	/**< the call is up                       */
	MCXC_EV_FLOOR,		/**< floor state changed (text: what)     */
	MCXC_EV_MEDIA,		/**< first audio packet of a talk burst   */
	MCXC_EV_ENDED,		/**< call over (scode, reason, warning)   */
	MCXC_EV_ERROR,		/**< something failed (reason)            */
};

/** One thing that happened; strings are valid during the handler only */
struct mcxc_event {
	enum mcxc_ev type;
	uint64_t t_us;		/**< wall clock, microseconds since 1970 */
	unsigned call;		/**< call number (1, 2, ...), 0: none     */
	const char *peer;	/**< the other party's MC service ID      */
	const char *text;	/**< detail, e.g. "granted", "manual"     */
	uint16_t scode;		/**< SIP status, if a response said it    */
	const char *reason;	/**< SIP Reason header or reason phrase   */
	const char *warning;	/**< Warning header text                  */
	int64_t num;		/**< a number: expires, packets, ...      */
};

typedef void (mcxc_event_h)(const struct mcxc_event *ev, void *arg);

/** A call as the client sees it (mcxc_call_get) */
struct mcxc_call_info {
	unsigned id;
	bool outgoing;
	bool floor_ctrl;	/**< with floor control                   */
	bool manual;		/**< manual commencement                  */
	char peer[256];
	char state[16];		/**< "calling", "incoming", "connected" ... */
	char floor[24];		/**< fcp state name, or "none"            */
	uint64_t rx_packets;	/**< audio packets received               */
	uint64_t tx_packets;	/**< audio packets sent                   */
	uint64_t t_start_us;	/**< INVITE sent or received              */
	uint64_t t_connected_us;/**< 0 until connected                    */
};

int  mcxc_alloc(struct mcxc **cp, const struct mcxc_conf *conf,
		mcxc_event_h *eh, void *arg, struct mcx_diag *diag);

int  mcxc_login(struct mcxc *c, struct mcx_diag *diag);
int  mcxc_profile(struct mcxc *c, struct mcx_diag *diag);
int  mcxc_register(struct mcxc *c, struct mcx_diag *diag);
int  mcxc_logout(struct mcxc *c, struct mcx_diag *diag);

/**
 * The client is about to go: let what is under way on the wire finish
 * (the REGISTER and PUBLISH with Expires: 0 of a logout, their digest
 * retries, BYEs), then call h. Nothing new may be started; mem_deref()
 * of the client at any time cuts the wait short (h is then not called).
 */
typedef void (mcxc_close_h)(void *arg);
void mcxc_close(struct mcxc *c, mcxc_close_h *h, void *arg);

/** peer: "bob", "sip:bob@a.mcx.test"; returns the call number in *idp */
int  mcxc_call(struct mcxc *c, const char *peer, bool manual,
	       bool floor_ctrl, unsigned *idp, struct mcx_diag *diag);
int  mcxc_answer(struct mcxc *c, unsigned id, struct mcx_diag *diag);
int  mcxc_reject(struct mcxc *c, unsigned id, struct mcx_diag *diag);
int  mcxc_hangup(struct mcxc *c, unsigned id, struct mcx_diag *diag);
int  mcxc_press(struct mcxc *c, unsigned id, struct mcx_diag *diag);
int  mcxc_release(struct mcxc *c, unsigned id, struct mcx_diag *diag);

/** The one call when id is 0 and there is exactly one */
int  mcxc_call_get(const struct mcxc *c, unsigned id,
		   struct mcxc_call_info *info);
unsigned mcxc_call_ids(const struct mcxc *c, unsigned *ids, unsigned max);
bool mcxc_registered(const struct mcxc *c);
bool mcxc_authorized(const struct mcxc *c);
const char *mcxc_mc_id(const struct mcxc *c);

const char *mcxc_ev_name(enum mcxc_ev type);

#endif
