/**
 * @file main.c  mcx: one MC service client, driven by commands (wiring)
 *
 *   mcx -c FILE [-o NAME=VALUE]... [--script FILE | -e 'CMD; CMD']
 *       [--json] [-q]
 *   mcx [-c FILE] [-o NAME=VALUE]... --print-config
 *
 * Where commands come from: --script FILE or -e (read at once); else
 * stdin, with a prompt on a terminal, and as a script otherwise (read as
 * it comes, so that a test can feed a pipe). docs/cli.md has the rest.
 *
 * Exit status: 0 at the end of the input, after quit or a signal; 1 when
 * a command of a script failed or the client could not start; 2 for a
 * usage or configuration error (the message names file, line, option).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <re.h>
#include <mcx/client.h>
#include <mcx/conf.h>
#include <mcx/diag.h>
#include <mcx/log.h>
#include "cliconf.h"
#include "cmd.h"
#include "out.h"

enum {
	STATUS_USAGE = 2,
	READ_CHUNK = 4096,
	PROMPT_MAX = 64,
};

static const char usage[] =
	"usage: mcx -c FILE [-o NAME=VALUE]... [--script FILE | -e 'CMD; CMD']"
	"\n           [--json] [-q] [-k]\n"
	"       mcx [-c FILE] [-o NAME=VALUE]... --print-config\n"
	"\n"
	"  -c FILE          client configuration (etc/clients/alice.conf)\n"
	"  -o NAME=VALUE    set an option, after the file\n"
	"  --script FILE    run the commands in FILE, then exit\n"
	"  -e 'CMD; CMD'    run these commands, then exit\n"
	"  --json           events and results as JSON lines\n"
	"  -k, --keep-going a script goes on after a failing command\n"
	"                   (exit status 1 at its end)\n"
	"  -q, --quiet      no event lines\n"
	"  --print-config   print every option in effect, then exit\n"
	"  -h, --help       this text\n"
	"\n"
	"Without --script or -e, commands come from stdin: a prompt on a\n"
	"terminal, a script otherwise. `help` lists the commands.\n"
	"Exit status: 0 done, 1 a command failed or the client did not\n"
	"start, 2 usage or configuration error.\n";

struct app {
	struct cli_conf cfg;
	const char *conf_path;
	const char *script;	/* --script FILE               */
	const char **exprs;	/* -e, in order                */
	unsigned nexpr;
	const char **sets;	/* -o NAME=VALUE, in order     */
	unsigned nset;
	bool json, quiet, print, keep_going;

	char prompt[PROMPT_MAX];
	struct out out;
	struct cmdr *r;
	struct mcxc *c;

	struct tmr close_tmr;	/* bounds mcxc_close()         */
	bool stdin_on;		/* stdin in the main loop      */
	bool stdin_eof;
	int sigfd[2];		/* signal self-pipe            */
	unsigned signals;
	int status;
};

static int sig_wfd = -1;	/* only for the signal handler */


/* ---- arguments and options ---- */

/* "mcx: ARG: WHY" (or "mcx: WHY"), then the usage */
static int usage_fail(const char *arg, const char *why)
{
	if (arg)
		(void)fprintf(stderr, "mcx: %s: %s\n%s", arg, why, usage);
	else
		(void)fprintf(stderr, "mcx: %s\n%s", why, usage);

	return EINVAL;
}


static int args_parse(struct app *a, int argc, char *argv[])
{
	size_t n = (size_t)argc;

	a->exprs = mem_zalloc(n * sizeof(*a->exprs), NULL);
	a->sets = mem_zalloc(n * sizeof(*a->sets), NULL);
	if (!a->exprs || !a->sets)
		return ENOMEM;

	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		bool more = i + 1 < argc;

		if (!strcmp(s, "-c") && more)
			a->conf_path = argv[++i];
		else if (!strcmp(s, "-o") && more)
			a->sets[a->nset++] = argv[++i];
		else if (!strcmp(s, "--script") && more)
			a->script = argv[++i];
		else if (!strcmp(s, "-e") && more)
			a->exprs[a->nexpr++] = argv[++i];
		else if (!strcmp(s, "--json"))
			a->json = true;
		else if (!strcmp(s, "-k") || !strcmp(s, "--keep-going"))
			a->keep_going = true;
		else if (!strcmp(s, "-q") || !strcmp(s, "--quiet"))
			a->quiet = true;
		else if (!strcmp(s, "--print-config"))
			a->print = true;
		else if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			(void)fputs(usage, stdout);
			exit(0);
		}
		else if (!strcmp(s, "-c") || !strcmp(s, "-o") ||
			 !strcmp(s, "--script") || !strcmp(s, "-e"))
			return usage_fail(s, "needs an argument");
		else
			return usage_fail(s, "unknown argument");
	}

	if (a->script && a->nexpr)
		return usage_fail(NULL, "--script and -e exclude each other");
	if (!a->conf_path && !a->print)
		return usage_fail(NULL, "no configuration file (-c)");

	return 0;
}


static int conf_load(struct app *a)
{
	const struct conf_table *t = cli_conf_table();
	struct mcx_diag diag;
	int err;

	mcx_diag_clear(&diag);
	err = conf_defaults(&a->cfg, t, &diag);
	if (!err && a->conf_path)
		err = conf_load_file(&a->cfg, t, a->conf_path, &diag);

	for (unsigned i = 0; i < a->nset && !err; i++) {
		const char *eq = strchr(a->sets[i], '=');
		char name[CONF_NAME_MAX + 1];
		size_t n;

		n = eq ? (size_t)(eq - a->sets[i]) : 0;
		if (!eq || !n || n > CONF_NAME_MAX) {
			err = mcx_diag_set(&diag, EINVAL, "-o %s: expected "
					   "NAME=VALUE", a->sets[i]);
			break;
		}
		memcpy(name, a->sets[i], n);
		name[n] = '\0';
		err = conf_set(&a->cfg, t, name, eq + 1, &diag);
	}

	/* --print-config alone prints the defaults: a template to fill */
	if (!err && a->conf_path)
		err = conf_check(&a->cfg, t, &diag);
	if (!err)
		err = cli_conf_check(&a->cfg, &diag);

	if (err)
		(void)fprintf(stderr, "mcx: %s\n", diag.reason[0] ?
			      diag.reason : strerror(err));

	return err;
}


/* A whole file (a script, stdin that is a file) at most CMD_INPUT_MAX */
static int file_read(struct mbuf **mbp, int fd, const char *name)
{
	struct mbuf *mb = mbuf_alloc(READ_CHUNK);
	int err = 0;

	if (!mb)
		return ENOMEM;

	for (;;) {
		ssize_t n;

		if (mb->end > CMD_INPUT_MAX) {
			(void)fprintf(stderr, "mcx: %s: larger than %d "
				      "octets\n", name, CMD_INPUT_MAX);
			err = EMSGSIZE;
			break;
		}
		err = mbuf_resize(mb, mb->end + READ_CHUNK);
		if (err)
			break;
		n = read(fd, mb->buf + mb->end, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			(void)fprintf(stderr, "mcx: %s: %s\n", name,
				      strerror(err));
			break;
		}
		if (!n)
			break;
		mb->end += (size_t)n;
	}

	if (err)
		mem_deref(mb);
	else
		*mbp = mb;

	return err;
}


/* ---- stdin in the main loop ---- */

static void stdin_set(struct app *a, bool on);

static void stdin_readh(int flags, void *arg)
{
	struct app *a = arg;
	char buf[READ_CHUNK];
	ssize_t n;
	(void)flags;

	n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;

	if (n <= 0) {
		stdin_set(a, false);
		a->stdin_eof = true;
		cmdr_input_eof(a->r);
		return;
	}

	/* the runner reads stdin only while it has no complete line, so
	 * its buffer holds less than a line and one chunk */
	if (cmdr_input(a->r, buf, (size_t)n)) {
		stdin_set(a, false);
		a->stdin_eof = true;
		cmdr_input_eof(a->r);
	}
}


/*
 * The runner asks for input. stdin stays blocking (O_NONBLOCK would be
 * shared with the shell that started us, on the same terminal); libre
 * calls stdin_readh only when a read will not block, and reads one
 * chunk.
 */
static void stdin_set(struct app *a, bool on)
{
	if (on == a->stdin_on || (on && a->stdin_eof))
		return;

	if (on) {
		int err = fd_listen(STDIN_FILENO, FD_READ, stdin_readh, a);

		if (err) {
			(void)fprintf(stderr, "mcx: stdin: %s\n",
				      strerror(err));
			a->stdin_eof = true;
			cmdr_input_eof(a->r);
			return;
		}
	}
	else {
		fd_close(STDIN_FILENO);
	}
	a->stdin_on = on;
}


static void input_h(bool want, void *arg)
{
	stdin_set(arg, want);
}


/* ---- signals: a self-pipe into the main loop ---- */

static void signal_h(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;

	if (sig_wfd >= 0) {
		ssize_t n = write(sig_wfd, &c, 1);
		(void)n;
	}
	errno = saved;
}


static void sig_readh(int flags, void *arg)
{
	struct app *a = arg;
	unsigned char buf[16];
	ssize_t n;
	(void)flags;

	n = read(a->sigfd[0], buf, sizeof(buf));
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] != SIGINT && buf[i] != SIGTERM)
			continue;
		if (++a->signals == 1) {
			cmdr_stop(a->r);	/* hang up, log out, done_h */
		}
		else {
			re_cancel();		/* a second one: now */
			return;
		}
	}
}


static int signals_init(struct app *a)
{
	int err;

	if (pipe(a->sigfd))
		return errno;

	for (int i = 0; i < 2; i++) {
		int fl = fcntl(a->sigfd[i], F_GETFL);

		if (fl < 0 || fcntl(a->sigfd[i], F_SETFL, fl | O_NONBLOCK) ||
		    fcntl(a->sigfd[i], F_SETFD, FD_CLOEXEC))
			return errno;
	}

	err = fd_listen(a->sigfd[0], FD_READ, sig_readh, a);
	if (err)
		return err;

	sig_wfd = a->sigfd[1];
	(void)signal(SIGPIPE, SIG_IGN);

	return 0;
}


static void signals_close(struct app *a)
{
	sig_wfd = -1;
	for (int i = 0; i < 2; i++) {
		if (a->sigfd[i] < 0)
			continue;
		if (!i)
			fd_close(a->sigfd[i]);
		(void)close(a->sigfd[i]);
		a->sigfd[i] = -1;
	}
}


/* ---- the run ---- */

static void closed_h(void *arg)
{
	struct app *a = arg;

	tmr_cancel(&a->close_tmr);
	re_cancel();
}


static void close_timeout(void *arg)
{
	(void)arg;
	re_cancel();		/* what is still under way is cut short */
}


/* The runner is done: let the last requests (the logout's REGISTER and
 * PUBLISH with their digest retries) finish on the wire, for at most
 * CMD_CLOSE_MS, so that the server does not keep a stale binding */
static void done_h(int status, void *arg)
{
	struct app *a = arg;

	a->status = status;
	if (!a->c) {
		re_cancel();
		return;
	}
	tmr_start(&a->close_tmr, CMD_CLOSE_MS, close_timeout, a);
	mcxc_close(a->c, closed_h, a);
}


/* Where commands come from; the runner's input name (NULL: prompt) */
static int input_setup(struct app *a, const char **srcp,
		       struct mbuf **allp)
{
	struct stat st;
	int fd, err;

	*srcp = NULL;
	*allp = NULL;

	if (a->script) {
		*srcp = a->script;
		fd = open(a->script, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			err = errno;
			(void)fprintf(stderr, "mcx: %s: %s\n", a->script,
				      strerror(err));
			return err;
		}
		err = file_read(allp, fd, a->script);
		(void)close(fd);
		return err;
	}

	if (a->nexpr) {
		struct mbuf *mb = mbuf_alloc(256);

		*srcp = "-e";
		if (!mb)
			return ENOMEM;
		for (unsigned i = 0; i < a->nexpr; i++) {
			err = mbuf_printf(mb, "%s\n", a->exprs[i]);
			if (err) {
				mem_deref(mb);
				return err;
			}
		}
		mb->pos = 0;
		*allp = mb;
		return 0;
	}

	if (isatty(STDIN_FILENO))
		return 0;

	*srcp = "<stdin>";

	/* a file (or /dev/null) cannot be polled: read it all now */
	if (!fstat(STDIN_FILENO, &st) && (S_ISREG(st.st_mode) ||
					  S_ISCHR(st.st_mode)))
		return file_read(allp, STDIN_FILENO, *srcp);

	return 0;
}


static int run(struct app *a)
{
	struct cmdr_prm prm;
	struct mcxc_conf mc;
	struct mcx_diag diag;
	struct mbuf *all = NULL;
	const char *src;
	int err;

	err = input_setup(a, &src, &all);
	if (err)
		return STATUS_USAGE;

	a->out.fp = stdout;
	a->out.efp = stderr;
	a->out.who = cli_conf_name(&a->cfg);
	a->out.json = a->json;
	a->out.quiet = a->quiet;
	if (!src) {
		(void)snprintf(a->prompt, sizeof(a->prompt), "mcx(%s)> ",
			       a->out.who);
		a->out.prompt = a->prompt;
	}

	memset(&prm, 0, sizeof(prm));
	prm.out = &a->out;
	prm.src = src;
	prm.inh = all ? NULL : input_h;
	prm.doneh = done_h;
	prm.arg = a;
	prm.keep_going = a->keep_going;
	err = cmdr_alloc(&a->r, &prm);
	if (!err && all) {
		err = cmdr_input(a->r, (const char *)mbuf_buf(all),
				 mbuf_get_left(all));
		cmdr_input_eof(a->r);
	}
	mem_deref(all);
	if (err) {
		(void)fprintf(stderr, "mcx: %s\n", strerror(err));
		return 1;
	}

	cli_conf_mcxc(&mc, &a->cfg);
	mcx_diag_clear(&diag);
	err = mcxc_alloc(&a->c, &mc, cmdr_event_h, a->r, &diag);
	if (err) {
		(void)fprintf(stderr, "mcx: cannot start the client: %s\n",
			      diag.reason[0] ? diag.reason : strerror(err));
		return 1;
	}

	err = signals_init(a);
	if (err) {
		(void)fprintf(stderr, "mcx: signals: %s\n", strerror(err));
		return 1;
	}

	cmdr_start(a->r, a->c);
	err = re_main(signal_h);
	if (err) {
		(void)fprintf(stderr, "mcx: main loop: %s\n", strerror(err));
		return 1;
	}

	return a->status;
}


int main(int argc, char *argv[])
{
	struct app a;
	enum mcx_log_level lvl;
	int err, status;

	memset(&a, 0, sizeof(a));
	a.sigfd[0] = a.sigfd[1] = -1;

	err = libre_init();
	if (err) {
		(void)fprintf(stderr, "mcx: libre_init: %s\n",
			      strerror(err));
		return 1;
	}

	if (args_parse(&a, argc, argv) || conf_load(&a)) {
		status = STATUS_USAGE;
		goto out;
	}

	if (a.print) {
		(void)re_fprintf(stdout, "%H", conf_ref_print,
				 &(struct conf_ref){ &a.cfg,
						     cli_conf_table() });
		status = 0;
		goto out;
	}

	if (!mcx_log_level_parse(&lvl, a.cfg.log_level))
		mcx_log_set_level(lvl);

	status = run(&a);

	/* the client goes first: its event handler's argument is the
	 * runner (cmd.h, Lifetime) */
	stdin_set(&a, false);
	signals_close(&a);
	tmr_cancel(&a.close_tmr);
	a.c = mem_deref(a.c);
	a.r = mem_deref(a.r);

 out:
	mem_deref(a.exprs);
	mem_deref(a.sets);
	conf_reset(&a.cfg, cli_conf_table());
	libre_close();
	tmr_debug();
	mem_debug();

	return status;
}
