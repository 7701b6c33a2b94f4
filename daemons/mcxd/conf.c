/**
 * @file conf.c  mcxd's options: one table, everything else derives from it
 *
 * `mcxd --print-config` prints this table as a complete, commented file;
 * etc/mcxd.conf.sample is checked against it in make check.
 */
#include <stddef.h>
#include <mcx/conf.h>
#include "mcxd.h"

#define OFF(m) offsetof(struct mcxd_conf, m)

static const char *const log_levels[] = {
	"debug", "info", "warn", "error", NULL
};

static const struct conf_opt opts[] = {
	{ .name = "domain", .type = CONF_DOMAIN, .required = true,
	  .doc = "Domain of this MC system: its SIP domain, the realm of\n"
		 "digest authentication and the issuer of its tokens",
	  .off = OFF(domain) },
	{ .name = "listen_ip", .type = CONF_IP, .def = "127.0.0.1",
	  .doc = "Address of SIP, HTTP and media relay ports",
	  .off = OFF(listen_ip) },
	{ .name = "sip_port", .type = CONF_PORT, .def = "5060",
	  .doc = "SIP port, UDP and TCP",
	  .off = OFF(sip_port) },
	{ .name = "http_port", .type = CONF_PORT, .def = "8080",
	  .doc = "HTTP port of the IdMS (/idms/) and the CMS (/xcap-root/)",
	  .off = OFF(http_port) },
	{ .name = "ctl_port", .type = CONF_PORT, .def = "7070",
	  .doc = "Control socket, TCP on 127.0.0.1 only: JSON lines\n"
		 "(status, registrations, calls); 0 turns it off",
	  .off = OFF(ctl_port) },
	{ .name = "data_dir", .type = CONF_PATH, .def = "var/a",
	  .doc = "Directory of the store (mcx.db) and the IdMS key\n"
		 "(idms-key.pem); created if missing. Relative paths are\n"
		 "relative to the working directory",
	  .off = OFF(data_dir) },
	{ .name = "import_dir", .type = CONF_PATH,
	  .doc = "Users (users.conf) and profiles (profiles/*.xml) to import\n"
		 "into the store at start; unset: import nothing",
	  .off = OFF(import_dir) },
	{ .name = "rtp_port_min", .type = CONF_PORT, .def = "20000",
	  .min = 1024, .max = 65534,
	  .doc = "Lowest UDP port of the media relay (even)",
	  .off = OFF(rtp_port_min) },
	{ .name = "rtp_port_max", .type = CONF_PORT, .def = "29999",
	  .min = 1025, .max = 65535,
	  .doc = "Highest UDP port of the media relay",
	  .off = OFF(rtp_port_max) },
	{ .name = "mcptt_psi", .type = CONF_STR, .def = "mcptt-pf",
	  .min = 1, .max = 64,
	  .doc = "User part of the MCPTT server's PSI: clients send their\n"
		 "MCPTT requests to sip:<mcptt_psi>@<domain>",
	  .off = OFF(mcptt_psi) },
	{ .name = "token_lifetime", .type = CONF_SECONDS, .def = "3600",
	  .min = 60, .max = 86400,
	  .doc = "Lifetime of the access tokens the IdMS issues",
	  .off = OFF(token_lifetime) },
	{ .name = "token_audience", .type = CONF_STR, .max = 255,
	  .doc = "Audience of the access tokens; unset: the domain",
	  .off = OFF(token_audience) },
	{ .name = "reg_expires_min", .type = CONF_SECONDS, .def = "60",
	  .min = 1, .max = 3600,
	  .doc = "Shortest registration accepted; shorter gets 423",
	  .off = OFF(reg_expires_min) },
	{ .name = "reg_expires_max", .type = CONF_SECONDS, .def = "3600",
	  .min = 1, .max = 86400,
	  .doc = "Longest registration granted; longer is cut to this",
	  .off = OFF(reg_expires_max) },
	{ .name = "call_setup_timeout", .type = CONF_SECONDS, .def = "30",
	  .min = 1, .max = 600,
	  .doc = "A private call the callee has not answered in this time\n"
		 "is cancelled; the caller gets 480 with a Warning",
	  .off = OFF(call_setup_timeout) },
	{ .name = "media_timeout", .type = CONF_SECONDS, .def = "30",
	  .min = 1, .max = 3600,
	  .doc = "A call leg that sends nothing (RTP, RTCP or floor control)\n"
		 "this long is taken as gone: the call is released and the\n"
		 "other party told why. Clients send RTCP every 5 s",
	  .off = OFF(media_timeout) },
	{ .name = "floor_t1", .type = CONF_SECONDS, .def = "4",
	  .min = 1, .max = 600,
	  .doc = "Floor timer T1 (end of RTP media): a talker silent this\n"
		 "long loses the floor (TS 24.380)",
	  .off = OFF(floor_t1) },
	{ .name = "floor_t2", .type = CONF_SECONDS, .def = "30",
	  .min = 1, .max = 3600,
	  .doc = "Floor timer T2 (stop talking): longest talk burst",
	  .off = OFF(floor_t2) },
	{ .name = "floor_t8", .type = CONF_SECONDS, .def = "1",
	  .min = 1, .max = 60,
	  .doc = "Floor timer T8 (floor revoke)",
	  .off = OFF(floor_t8) },
	{ .name = "floor_t20_ms", .type = CONF_INT, .def = "500",
	  .min = 20, .max = 10000,
	  .doc = "Floor timer T20 (floor granted), milliseconds",
	  .off = OFF(floor_t20_ms) },
	{ .name = "floor_c20", .type = CONF_INT, .def = "3",
	  .min = 0, .max = 10,
	  .doc = "Counter C20: Floor Granted is resent at most this often",
	  .off = OFF(floor_c20) },
	{ .name = "max_body", .type = CONF_INT, .def = "65536",
	  .min = 1024, .max = 1048576,
	  .doc = "Largest SIP body accepted, octets; larger gets 413",
	  .off = OFF(max_body) },
	{ .name = "max_calls", .type = CONF_INT, .def = "1000",
	  .min = 1, .max = 100000,
	  .doc = "Most private calls at once; more get 503",
	  .off = OFF(max_calls) },
	{ .name = "log_level", .type = CONF_ENUM, .def = "info",
	  .values = log_levels,
	  .doc = "debug, info, warn or error", .reload = true,
	  .off = OFF(log_level) },
};

static const struct conf_table table = {
	opts, sizeof(opts) / sizeof(opts[0])
};


const struct conf_table *mcxd_conf_table(void)
{
	return &table;
}
