/**
 * @file mcxd.h  One MC system: the struct that holds it, and its parts
 *
 * struct sys is the whole system and is passed explicitly to every part;
 * there are no globals (design.md section 5).  main.c wires the parts;
 * each part has an init that takes the sys and a close that undoes it.
 *
 *   conf.c       the option table (mcxd --print-config)
 *   sipcore.c    SIP transports, dispatch of requests to the parts
 *   registrar.c  REGISTER with digest, bindings in the store
 *   mcptt.c      MCPTT server: service authorization, private calls
 *   call.c       one private call: two SIP legs, media relay, floor
 *   relay.c      UDP media ports of one call leg
 *   http.c       the HTTP listener shared by the IdMS and the CMS
 *   idms.c       token endpoint and published key
 *   cms.c        user profiles over XCAP-style GET
 *   ctl.c        control socket: JSON lines on loopback TCP
 *   partners.c   the agreements with partner MC systems
 */
#ifndef MCXD_H
#define MCXD_H

#include <stdbool.h>
#include <stdint.h>
#include <re.h>
#include <mcx/mcsip.h>

struct store;
struct token_key;
struct mcdlg_sock;
struct registrar;
struct mcptt;
struct ctl;
struct mcx_diag;
struct conf_table;

/** Options, filled from the table in conf.c */
struct mcxd_conf {
	char *domain;
	char *listen_ip;
	int64_t sip_port;
	int64_t http_port;
	int64_t ctl_port;
	char *data_dir;
	char *import_dir;
	int64_t rtp_port_min;
	int64_t rtp_port_max;
	char *mcptt_psi;
	int64_t token_lifetime;
	char *token_audience;
	int64_t reg_expires_min;
	int64_t reg_expires_max;
	int64_t call_setup_timeout;
	int64_t media_timeout;
	int64_t floor_t1;
	int64_t floor_t2;
	int64_t floor_t8;
	int64_t floor_t20_ms;
	int64_t floor_c20;
	int64_t max_body;
	int64_t max_calls;
	char *log_level;
};

/** Counters the control socket reports */
struct sys_stats {
	uint64_t sip_requests;
	uint64_t sip_rejected;		/* 4xx/5xx we sent to requests */
	uint64_t registers;
	uint64_t auth_challenges;
	uint64_t service_auths;
	uint64_t calls;			/* private calls started        */
	uint64_t calls_failed;		/* ended before connecting      */
	uint64_t tokens_issued;
	uint64_t http_requests;
};

struct sys {
	struct mcxd_conf cfg;
	const char *conf_path;
	char psi[256];			/* sip:<mcptt_psi>@<domain> */
	struct sa laddr;		/* listen_ip, port 0 */
	uint64_t start_us;		/* mcx_mono_us() at start */
	bool stopping;

	struct store *store;
	struct token_key *idms_key;
	struct sip *sip;
	struct mcdlg_sock *dlgs;
	struct sip_lsnr *lsnr;
	struct mcsip_auth auth;
	struct http_sock *http;
	struct registrar *reg;
	struct mcptt *mcptt;
	struct ctl *ctl;
	struct list partners;		/* struct partner (partners.c) */
	struct sys_stats stats;
};

const struct conf_table *mcxd_conf_table(void);

struct partner;
int  partners_load(struct sys *sys, struct mcx_diag *diag);
void partners_close(struct sys *sys);
const struct partner *partner_find(const struct sys *sys,
				   const char *domain);
int  partners_print(struct re_printf *pf, const struct sys *sys);

int  sipcore_init(struct sys *sys, struct mcx_diag *diag);
void sipcore_close(struct sys *sys);
int  sipcore_reply(struct sys *sys, const struct sip_msg *msg,
		   uint16_t scode, const char *reason, unsigned warn,
		   const char *fmt, ...);
bool sipcore_authenticate(struct sys *sys, const struct sip_msg *msg,
			  bool proxy, char *impi, size_t impisz);
uint64_t sys_now(void);

int  registrar_init(struct registrar **rp, struct sys *sys);
void registrar_handle(struct registrar *r, const struct sip_msg *msg);
int  registrar_lookup(struct registrar *r, const char *aor,
		      char *contact, size_t sz);
bool registrar_is_registered(struct registrar *r, const char *aor);
int  registrar_print(struct re_printf *pf, const struct registrar *r);
unsigned registrar_count(const struct registrar *r);

int  mcptt_init(struct mcptt **mp, struct sys *sys);
bool mcptt_handle(struct mcptt *m, const struct sip_msg *msg);
void mcptt_unregistered(struct mcptt *m, const char *impu);
void mcptt_close_all(struct mcptt *m);
int  mcptt_calls_print(struct re_printf *pf, const struct mcptt *m);
int  mcptt_auths_print(struct re_printf *pf, const struct mcptt *m);
unsigned mcptt_call_count(const struct mcptt *m);

int  http_init(struct sys *sys, struct mcx_diag *diag);
void http_close(struct sys *sys);

int  ctl_init(struct ctl **cp, struct sys *sys, struct mcx_diag *diag);

#endif
