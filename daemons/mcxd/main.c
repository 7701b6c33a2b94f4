/**
 * @file main.c  mcxd: one MC system in one process (wiring only)
 *
 *   mcxd -c etc/a.conf [-o name=value ...]   run in the foreground
 *   mcxd -c etc/a.conf --print-config        the options in effect
 *   mcxd -c etc/a.conf --import              import users and profiles
 *
 * Exit status: 0 after SIGTERM/SIGINT, 1 on a runtime failure, 2 for a
 * usage or configuration error (the message names file, line, option).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <re.h>
#include <mcx/conf.h>
#include <mcx/diag.h>
#include <mcx/log.h>
#include <mcx/mcdlg.h>
#include <mcx/store.h>
#include <mcx/token.h>
#include "mcxd.h"

enum {
	SHUTDOWN_MS = 2000,
	FD_TABLE_MAX = 65536,	/* libre's fd table, at most */
};

static const char usage[] =
	"usage: mcxd -c FILE [-o NAME=VALUE]... [--print-config | --import |\n"
	"                                           --export-key FILE]\n"
	"       mcxd --check-sample FILE\n"
	"\n"
	"  -c FILE          configuration file (see etc/mcxd.conf.sample)\n"
	"  -o NAME=VALUE    set an option, after the file\n"
	"  --print-config   print every option in effect, then exit\n"
	"  --import         import import_dir into the store, then exit\n"
	"  --export-key FILE  write the IdMS public key (PEM) to FILE,\n"
	"                   for partner systems (made if there is none)\n"
	"  --check-sample FILE  check that FILE documents every option\n"
	"                   with its default (etc/mcxd.conf.sample)\n"
	"  -h, --help       this text\n";

struct shutdown {
	struct sys *sys;
	struct tmr tmr;
	uint64_t deadline;
};


static void shutdown_poll(void *arg)
{
	struct shutdown *sd = arg;

	if (!mcdlg_sock_pending(sd->sys->dlgs) ||
	    tmr_jiffies() >= sd->deadline) {
		re_cancel();
		return;
	}
	tmr_start(&sd->tmr, 20, shutdown_poll, sd);
}


static struct shutdown *the_shutdown;	/* only for the signal handler */

static void signal_handler(int sig)
{
	struct shutdown *sd = the_shutdown;

	if (!sd || sd->sys->stopping) {
		re_cancel();
		return;
	}

	mcx_log(MCX_INFO, "mcxd", "signal %d: ending calls and stopping",
		sig);
	sd->sys->stopping = true;
	mcptt_close_all(sd->sys->mcptt);
	sd->deadline = tmr_jiffies() + SHUTDOWN_MS;
	tmr_start(&sd->tmr, 0, shutdown_poll, sd);
}


/* Descriptors: each logged-in client keeps an HTTP connection (and a TCP
 * one over SIP/TCP), each call six relay sockets. The soft limit (often
 * 1024) goes up to the hard one, and libre's table with it. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur > FD_TABLE_MAX)
		rl.rlim_cur = FD_TABLE_MAX;
	(void)fd_setsize((int)rl.rlim_cur);
}


/* --check-sample FILE: 0 when the sample documents every option with its
 * default (conf_sample_check); else the reason names file and line */
static int check_sample(const char *path)
{
	struct mcx_diag diag;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int err = 0;

	mcx_diag_clear(&diag);
	f = fopen(path, "rb");
	if (!f) {
		(void)fprintf(stderr, "mcxd: %s: %s\n", path, strerror(errno));
		return 2;
	}
	buf = malloc(CONF_FILE_MAX + 1);
	if (buf)
		len = fread(buf, 1, CONF_FILE_MAX + 1, f);
	if (!buf || ferror(f))
		err = buf ? EIO : ENOMEM;
	(void)fclose(f);
	if (!err && len > CONF_FILE_MAX)
		err = mcx_diag_set(&diag, EMSGSIZE, "%s: larger than %u octets",
				   path, (unsigned)CONF_FILE_MAX);
	if (!err)
		err = conf_sample_check(mcxd_conf_table(), path, buf, len,
					&diag);
	free(buf);

	if (err) {
		(void)fprintf(stderr, "mcxd: %s\n", diag.reason[0] ?
			      diag.reason : strerror(err));
		return 1;
	}
	(void)printf("%s: every option documented with its default\n", path);

	return 0;
}


static int load_conf(struct sys *sys, int argc, char *argv[], bool *print,
		     bool *import, const char **exportp)
{
	const struct conf_table *t = mcxd_conf_table();
	struct mcx_diag diag;
	int err;

	mcx_diag_clear(&diag);
	err = conf_defaults(&sys->cfg, t, &diag);
	if (err)
		goto out;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-c") && i + 1 < argc) {
			sys->conf_path = argv[++i];
			err = conf_load_file(&sys->cfg, t, sys->conf_path,
					     &diag);
		}
		else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			char *eq = strchr(argv[++i], '=');

			if (!eq) {
				(void)fprintf(stderr, "mcxd: -o %s: expected "
					      "NAME=VALUE\n", argv[i]);
				return EINVAL;
			}
			*eq = '\0';
			err = conf_set(&sys->cfg, t, argv[i], eq + 1, &diag);
			*eq = '=';
		}
		else if (!strcmp(argv[i], "--print-config"))
			*print = true;
		else if (!strcmp(argv[i], "--import"))
			*import = true;
		else if (!strcmp(argv[i], "--export-key") && i + 1 < argc)
			*exportp = argv[++i];
		else if (!strcmp(argv[i], "-h") ||
			 !strcmp(argv[i], "--help")) {
			(void)fputs(usage, stdout);
			exit(0);
		}
		else {
			(void)fprintf(stderr, "mcxd: %s: unknown argument\n%s",
				      argv[i], usage);
			return EINVAL;
		}
		if (err)
			goto out;
	}

	if (!sys->conf_path && !*print) {
		(void)fprintf(stderr, "mcxd: no configuration file (-c)\n%s",
			      usage);
		return EINVAL;
	}

	err = conf_check(&sys->cfg, t, &diag);
	if (!err && sys->cfg.rtp_port_min + 3 > sys->cfg.rtp_port_max) {
		err = mcx_diag_set(&diag, EINVAL, "rtp_port_min %lld and "
				   "rtp_port_max %lld leave no room for a call",
				   (long long)sys->cfg.rtp_port_min,
				   (long long)sys->cfg.rtp_port_max);
	}
	if (!err && sys->cfg.reg_expires_min > sys->cfg.reg_expires_max) {
		err = mcx_diag_set(&diag, EINVAL, "reg_expires_min is above "
				   "reg_expires_max");
	}

 out:
	if (err)
		(void)fprintf(stderr, "mcxd: %s\n", diag.reason[0] ?
			      diag.reason : strerror(err));
	return err;
}


static int mkdir_p(const char *path)
{
	char buf[512];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return EINVAL;
	memcpy(buf, path, n + 1);

	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0750) && errno != EEXIST)
			return errno;
		buf[i] = i < n ? '/' : '\0';
	}

	return 0;
}


static int open_store(struct sys *sys, struct mcx_diag *diag)
{
	char path[512];
	int err;

	err = mkdir_p(sys->cfg.data_dir);
	if (err) {
		return mcx_diag_set(diag, err, "data_dir %s: %s",
				    sys->cfg.data_dir, strerror(err));
	}

	(void)re_snprintf(path, sizeof(path), "%s/mcx.db", sys->cfg.data_dir);
	err = store_open(&sys->store, path, diag);
	if (err)
		return err;

	if (sys->cfg.import_dir) {
		struct store_import_stats st;

		err = store_import(sys->store, sys->cfg.import_dir, &st,
				   diag);
		if (err) {
			/* the reason names files relative to import_dir: say
			 * which, without cutting the reason short */
			mcx_log(MCX_ERROR, "store", "import_dir %s: %s",
				sys->cfg.import_dir, diag->reason);
			return err;
		}
		mcx_log(MCX_INFO, "store", "imported %s: %u users, "
			"%u profiles, %u partners", sys->cfg.import_dir,
			st.users, st.profiles, st.partners);
	}

	return 0;
}


/* The IdMS signing key: made once, kept in data_dir (mode 0600) */
static int load_key(struct sys *sys, struct mcx_diag *diag)
{
	char path[512];
	struct stat stt;
	int err;

	(void)re_snprintf(path, sizeof(path), "%s/idms-key.pem",
			  sys->cfg.data_dir);

	if (!stat(path, &stt))
		return token_key_load_file(&sys->idms_key, path, diag);

	err = token_key_generate(&sys->idms_key);
	if (!err)
		err = token_key_save_file(sys->idms_key, path, true);
	if (err)
		mcx_diag_set(diag, err, "%s: cannot create the IdMS key: %s",
			     path, strerror(err));
	else
		mcx_log(MCX_INFO, "idms", "new signing key in %s", path);

	return err;
}


/*
 * --export-key FILE: the IdMS's public key (made now if there is none
 * yet), as PEM, for the partners' administrators: the trust anchor of
 * TS 33.180 5.1.4, provisioned out of band
 */
static int export_key(struct sys *sys, const char *path,
		      struct mcx_diag *diag)
{
	char kid[TOKEN_KID_LEN + 1];
	struct mbuf *mb = NULL;
	FILE *f = NULL;
	int err;

	err = mkdir_p(sys->cfg.data_dir);
	if (err)
		return mcx_diag_set(diag, err, "data_dir %s: %s",
				    sys->cfg.data_dir, strerror(err));

	err = load_key(sys, diag);
	if (err)
		goto out;

	mb = mbuf_alloc(512);
	err = mb ? token_key_pem(mb, sys->idms_key, false) : ENOMEM;
	if (!err)
		err = token_key_id(sys->idms_key, kid);
	if (err) {
		mcx_diag_set(diag, err, "the public key: %s", strerror(err));
		goto out;
	}

	f = fopen(path, "w");
	if (!f || fwrite(mb->buf, 1, mb->end, f) != mb->end) {
		err = errno ? errno : EIO;
		mcx_diag_set(diag, err, "%s: %s", path, strerror(err));
		goto out;
	}
	(void)printf("%s: public key of the IdMS of %s (kid %s)\n", path,
		     sys->cfg.domain, kid);

 out:
	if (f && fclose(f) && !err)
		err = mcx_diag_set(diag, errno, "%s: %s", path,
				   strerror(errno));
	mem_deref(mb);
	sys->idms_key = mem_deref(sys->idms_key);

	return err;
}


static int start(struct sys *sys, struct mcx_diag *diag)
{
	int err;

	err = sa_set_str(&sys->laddr, sys->cfg.listen_ip, 0);
	if (err) {
		return mcx_diag_set(diag, err, "listen_ip %s: not an address",
				    sys->cfg.listen_ip);
	}
	(void)re_snprintf(sys->psi, sizeof(sys->psi), "sip:%s@%s",
			  sys->cfg.mcptt_psi, sys->cfg.domain);

	err = load_key(sys, diag);
	if (!err)
		err = partners_load(sys, diag);
	if (err)
		return err;
	err = sipcore_init(sys, diag);
	if (err)
		return err;
	err = registrar_init(&sys->reg, sys);
	if (!err)
		err = mcptt_init(&sys->mcptt, sys);
	if (err) {
		return mcx_diag_set(diag, err, "cannot start: %s",
				    strerror(err));
	}
	err = http_init(sys, diag);
	if (err)
		return err;

	return ctl_init(&sys->ctl, sys, diag);
}


static void stop(struct sys *sys)
{
	sys->ctl = mem_deref(sys->ctl);
	http_close(sys);
	mcptt_close_all(sys->mcptt);
	sys->mcptt = mem_deref(sys->mcptt);
	sys->reg = mem_deref(sys->reg);
	sipcore_close(sys);
	partners_close(sys);
	sys->idms_key = mem_deref(sys->idms_key);
	sys->store = mem_deref(sys->store);
}


int main(int argc, char *argv[])
{
	struct sys sys;
	struct shutdown sd;
	struct mcx_diag diag;
	bool print = false, import = false;
	const char *export_path = NULL;
	enum mcx_log_level lvl;
	int err, status = 0;

	memset(&sys, 0, sizeof(sys));
	memset(&sd, 0, sizeof(sd));
	mcx_diag_clear(&diag);
	sys.start_us = mcx_mono_us();

	err = libre_init();
	if (err) {
		(void)fprintf(stderr, "mcxd: libre_init: %s\n",
			      strerror(err));
		return 1;
	}

	raise_fd_limit();

	if (argc == 3 && !strcmp(argv[1], "--check-sample")) {
		status = check_sample(argv[2]);
		goto out;
	}

	if (load_conf(&sys, argc, argv, &print, &import, &export_path)) {
		status = 2;
		goto out;
	}

	if (print) {
		struct conf_ref ref = {&sys.cfg, mcxd_conf_table()};

		(void)re_fprintf(stdout, "%H", conf_ref_print, &ref);
		goto out;
	}

	if (!mcx_log_level_parse(&lvl, sys.cfg.log_level))
		mcx_log_set_level(lvl);

	/* before the store: partner keys need not exist yet */
	if (export_path) {
		err = export_key(&sys, export_path, &diag);
		if (err) {
			(void)fprintf(stderr, "mcxd: %s\n", diag.reason);
			status = 1;
		}
		goto out;
	}

	err = open_store(&sys, &diag);
	if (err || import) {
		if (err) {
			(void)fprintf(stderr, "mcxd: %s\n", diag.reason);
			status = 1;
		}
		sys.store = mem_deref(sys.store);
		goto out;
	}

	err = start(&sys, &diag);
	if (err) {
		(void)fprintf(stderr, "mcxd: %s\n", diag.reason[0] ?
			      diag.reason : strerror(err));
		status = 1;
		stop(&sys);
		goto out;
	}

	mcx_log(MCX_INFO, "mcxd", "%s ready: SIP %s:%lld (UDP, TCP), "
		"HTTP %lld, ctl %lld, PSI %s", sys.cfg.domain,
		sys.cfg.listen_ip, (long long)sys.cfg.sip_port,
		(long long)sys.cfg.http_port, (long long)sys.cfg.ctl_port,
		sys.psi);

	sd.sys = &sys;
	tmr_init(&sd.tmr);
	the_shutdown = &sd;
	err = re_main(signal_handler);
	the_shutdown = NULL;
	tmr_cancel(&sd.tmr);
	if (err) {
		mcx_log(MCX_ERROR, "mcxd", "main loop: %s", strerror(err));
		status = 1;
	}

	stop(&sys);
	mcx_log(MCX_INFO, "mcxd", "%s stopped", sys.cfg.domain);

 out:
	conf_reset(&sys.cfg, mcxd_conf_table());
	libre_close();
	tmr_debug();
	mem_debug();

	return status;
}
