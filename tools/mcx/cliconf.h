/**
 * @file cliconf.h  The options of the mcx client (one table in conf.c)
 *
 * The table fills struct cli_conf (conf.h's member types); cli_conf_mcxc()
 * turns it into the struct mcxc_conf the client library takes.
 */
#ifndef MCX_CLICONF_H
#define MCX_CLICONF_H

#include <stdint.h>

struct conf_table;
struct mcx_diag;
struct mcxc_conf;

/** Options, filled from the table in conf.c */
struct cli_conf {
	char *user;
	char *password;
	char *domain;
	char *sip_server;	/* IP:PORT */
	char *sip_transport;	/* "udp" or "tcp" */
	char *http_server;	/* IP:PORT */
	char *local_ip;
	int64_t sip_port;
	int64_t rtp_port;
	int64_t reg_expires;
	char *audio_wav;	/* NULL: a tone */
	char *record_dir;	/* NULL: no recording */
	char *answer;		/* "auto" or "manual" */
	char *log_level;
	char *name;		/* NULL: user */
};

const struct conf_table *cli_conf_table(void);
int  cli_conf_check(const struct cli_conf *cfg, struct mcx_diag *diag);
void cli_conf_mcxc(struct mcxc_conf *mc, const struct cli_conf *cfg);
const char *cli_conf_name(const struct cli_conf *cfg);

#endif
