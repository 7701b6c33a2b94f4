/**
 * @file conf.c  The mcx client's options: one table, the rest derives
 *
 * `mcx --print-config` prints this table as a complete, commented file;
 * every file under etc/clients/ is loaded through it in make check
 * (tests/unit/test_mcxcli.c, and `mcx --print-config -c` when mcx is
 * built).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <re.h>
#include <mcx/client.h>
#include <mcx/conf.h>
#include <mcx/diag.h>
#include "cliconf.h"

#define OFF(m) offsetof(struct cli_conf, m)

static const char *const transports[] = { "udp", "tcp", NULL };
static const char *const answers[] = { "auto", "manual", NULL };
static const char *const log_levels[] = {
	"debug", "info", "warn", "error", NULL
};

static const struct conf_opt opts[] = {
	{ .name = "user", .type = CONF_STR, .required = true,
	  .min = 1, .max = 64,
	  .doc = "Login name at the IdMS, e.g. alice",
	  .off = OFF(user) },
	{ .name = "password", .type = CONF_STR, .required = true,
	  .min = 1, .max = 128,
	  .doc = "Password at the IdMS (and for SIP digest)",
	  .off = OFF(password) },
	{ .name = "domain", .type = CONF_DOMAIN, .required = true,
	  .doc = "Domain of the MC system, e.g. a.mcx.test",
	  .off = OFF(domain) },
	{ .name = "sip_server", .type = CONF_URI, .required = true,
	  .max = 64,
	  .doc = "IP:PORT of the system's SIP core, e.g. 127.0.1.1:5060\n"
		 "(IPv6: [::1]:5060)",
	  .off = OFF(sip_server) },
	{ .name = "sip_transport", .type = CONF_ENUM, .def = "udp",
	  .values = transports,
	  .doc = "udp or tcp, to the SIP core",
	  .off = OFF(sip_transport) },
	{ .name = "http_server", .type = CONF_URI, .required = true,
	  .max = 64,
	  .doc = "IP:PORT of the system's IdMS and CMS (HTTP)",
	  .off = OFF(http_server) },
	{ .name = "local_ip", .type = CONF_IP, .def = "127.0.0.1",
	  .doc = "Address of this client's SIP and media ports",
	  .off = OFF(local_ip) },
	{ .name = "sip_port", .type = CONF_PORT, .def = "0",
	  .doc = "Local SIP port; 0: any free port",
	  .off = OFF(sip_port) },
	{ .name = "rtp_port", .type = CONF_PORT, .def = "0",
	  .doc = "First local media port (RTP, RTCP on the next); 0: any",
	  .off = OFF(rtp_port) },
	{ .name = "reg_expires", .type = CONF_SECONDS, .def = "600",
	  .min = 1, .max = 86400,
	  .doc = "Registration lifetime asked in REGISTER; the server may\n"
		 "shorten it, or refuse one too short (423)",
	  .off = OFF(reg_expires) },
	{ .name = "audio_wav", .type = CONF_PATH,
	  .doc = "WAV file to send while holding the floor (mono, 8 kHz or\n"
		 "resampled); unset: a 440 Hz tone",
	  .off = OFF(audio_wav) },
	{ .name = "record_dir", .type = CONF_PATH,
	  .doc = "Directory to write received audio to, one WAV per call;\n"
		 "unset: no recording",
	  .off = OFF(record_dir) },
	{ .name = "answer", .type = CONF_ENUM, .def = "manual",
	  .values = answers,
	  .doc = "Calls with manual commencement: auto answers them at\n"
		 "once, manual waits for the answer command. Calls with\n"
		 "automatic commencement are always answered",
	  .off = OFF(answer) },
	{ .name = "log_level", .type = CONF_ENUM, .def = "warn",
	  .values = log_levels,
	  .doc = "Log of the client library on stderr: debug, info, warn\n"
		 "or error",
	  .off = OFF(log_level) },
	{ .name = "name", .type = CONF_STR, .min = 1, .max = 32,
	  .doc = "Label of this client in event lines and the prompt;\n"
		 "unset: the user",
	  .off = OFF(name) },
};

static const struct conf_table table = {
	opts, sizeof(opts) / sizeof(opts[0])
};


const struct conf_table *cli_conf_table(void)
{
	return &table;
}


static int hostport_check(const char *name, const char *val,
			  struct mcx_diag *diag)
{
	struct sa sa;

	if (!val)
		return 0;	/* conf_check() names a missing one */

	if (sa_decode(&sa, val, strlen(val)) || !sa_port(&sa))
		return mcx_diag_set(diag, EBADMSG, "option '%s': '%s' is "
				    "not IP:PORT (e.g. 127.0.1.1:5060)", name,
				    val);

	return 0;
}


/**
 * What the table cannot say: the servers are IP:PORT
 *
 * @return 0 or EBADMSG with a reason naming the option
 */
int cli_conf_check(const struct cli_conf *cfg, struct mcx_diag *diag)
{
	int err;

	if (!cfg)
		return EINVAL;

	err = hostport_check("sip_server", cfg->sip_server, diag);
	if (err)
		return err;

	return hostport_check("http_server", cfg->http_server, diag);
}


/**
 * The library's view of the options; its strings point into cfg, which
 * must outlive the use of mc
 */
void cli_conf_mcxc(struct mcxc_conf *mc, const struct cli_conf *cfg)
{
	if (!mc || !cfg)
		return;

	memset(mc, 0, sizeof(*mc));
	mc->user        = cfg->user;
	mc->password    = cfg->password;
	mc->domain      = cfg->domain;
	mc->sip_server  = cfg->sip_server;
	mc->sip_tcp     = cfg->sip_transport &&
			  !strcmp(cfg->sip_transport, "tcp");
	mc->http_server = cfg->http_server;
	mc->local_ip    = cfg->local_ip;
	mc->sip_port    = (uint16_t)cfg->sip_port;
	mc->rtp_port    = (uint16_t)cfg->rtp_port;
	mc->reg_expires = (uint32_t)cfg->reg_expires;
	mc->audio_wav   = cfg->audio_wav;
	mc->record_dir  = cfg->record_dir;
	mc->answer_auto = cfg->answer && !strcmp(cfg->answer, "auto");
}


/** The label in event lines: name, or else user */
const char *cli_conf_name(const struct cli_conf *cfg)
{
	if (!cfg)
		return "mcx";

	return cfg->name ? cfg->name : cfg->user ? cfg->user : "mcx";
}
