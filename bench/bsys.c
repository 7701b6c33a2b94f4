/**
 * @file bsys.c  The system under test: configuration, mcxd, control socket
 *
 * A generated system lives in one directory (a temporary one, or --setup
 * DIR when that has no mcxd.conf yet):
 *
 *   DIR/mcxd.conf                 free ports on 127.0.0.1
 *   DIR/import/users.conf         user0001 .. userNNNN, a password each
 *   DIR/import/profiles/          a profile per user: private calls,
 *                                 automatic commencement
 *   DIR/data/                     mcxd's store and IdMS key
 *   DIR/mcxd.log                  mcxd's stdout and stderr
 *
 * A given one (--setup DIR with DIR/mcxd.conf) is used as it is: its
 * domain, addresses and ports are read from mcxd.conf, its users from
 * import_dir/users.conf.
 *
 * mcxd runs as a child in DIR; ready means its control socket answers
 * "status" (polled against a deadline); it stops on SIGTERM and must
 * exit with 0.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <re.h>
#include <mcx/diag.h>
#include "bench.h"

#define DOMAIN "bench.mcx.test"

enum {
	CTL_TIMEOUT_MS = 2000,
	CTL_REPLY_MAX = 8192,
	POLL_MS = 20,
	STOP_WAIT_MS = 10000,
	LINE_MAX_LEN = 1024,
	PORT_TRIES = 100,
	MAX_CALLS_MIN = 1000,	/* mcxd's default */
};

static const char profile_fmt[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<mcptt-user-profile xmlns=\"urn:3gpp:mcptt:user-profile:1.0\"\n"
	"    xmlns:cp=\"urn:ietf:params:xml:ns:common-policy\"\n"
	"    XUI-URI=\"%s\" user-profile-index=\"0\">\n"
	"  <Common index=\"1\">\n"
	"    <MCPTTUserID><uri-entry>%s</uri-entry></MCPTTUserID>\n"
	"    <PrivateCall><PrivateCallList></PrivateCallList></PrivateCall>\n"
	"  </Common>\n"
	"  <cp:ruleset><cp:rule id=\"r\"><cp:actions>\n"
	"<allow-private-call>true</allow-private-call>\n"
	"<allow-automatic-commencement>true</allow-automatic-commencement>\n"
	"<allow-private-call-to-any-user>true"
	"</allow-private-call-to-any-user>\n"
	"  </cp:actions></cp:rule></cp:ruleset>\n"
	"</mcptt-user-profile>\n";


static void sleep_ms(unsigned ms)
{
	struct timespec ts = {(time_t)(ms / 1000),
			      (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}


/* ---- ports ---- */

static int bind_one(int type, const char *ip, uint16_t port,
		    uint16_t *gotp)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int one = 1, err = 0;
	int fd = socket(AF_INET, type, 0);

	if (fd < 0)
		return errno;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	if (inet_pton(AF_INET, ip, &sin.sin_addr) != 1)
		err = EINVAL;
	if (!err && type == SOCK_STREAM &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		err = errno;
	if (!err && bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
		err = errno;
	if (!err && gotp &&
	    getsockname(fd, (struct sockaddr *)&sin, &len))
		err = errno;
	if (!err && gotp)
		*gotp = ntohs(sin.sin_port);
	(void)close(fd);

	return err;
}


/* A port free on ip for UDP and TCP, none of the taken ones */
static int port_free(uint16_t *pp, const char *ip, const uint16_t *taken,
		     unsigned ntaken)
{
	for (unsigned i = 0; i < PORT_TRIES; i++) {
		uint16_t p = 0;
		bool dup = false;

		if (bind_one(SOCK_DGRAM, ip, 0, &p))
			continue;
		for (unsigned k = 0; k < ntaken; k++)
			dup = dup || taken[k] == p;
		if (dup || bind_one(SOCK_STREAM, ip, p, NULL))
			continue;
		*pp = p;
		return 0;
	}

	return EADDRINUSE;
}


/* ---- files ---- */

/* path made absolute against the working directory (not resolved) */
static int path_abs(char *out, size_t sz, const char *path)
{
	char cwd[BENCH_PATH_MAX];

	if (path[0] == '/')
		return re_snprintf(out, sz, "%s", path) < 0 ? ENAMETOOLONG : 0;
	if (!getcwd(cwd, sizeof(cwd)))
		return errno;

	return re_snprintf(out, sz, "%s/%s", cwd, path) < 0 ?
		ENAMETOOLONG : 0;
}


static int mkdir_one(const char *path)
{
	if (mkdir(path, 0750) && errno != EEXIST)
		return errno;

	return 0;
}


static int file_write(const char *path, const char *text,
		      struct mcx_diag *diag)
{
	FILE *f = fopen(path, "w");
	size_t n = strlen(text);
	int err = 0;

	if (!f)
		return mcx_diag_set(diag, errno, "%s: %s", path,
				    strerror(errno));
	if (fwrite(text, 1, n, f) != n)
		err = EIO;
	if (fclose(f) && !err)
		err = errno;

	return err ? mcx_diag_set(diag, err, "%s: %s", path,
				  strerror(err)) : 0;
}


static void rm_tree(const char *path)
{
	struct dirent *e;
	struct stat st;
	DIR *d;

	if (lstat(path, &st))
		return;
	if (!S_ISDIR(st.st_mode)) {
		(void)unlink(path);
		return;
	}

	d = opendir(path);
	while (d && (e = readdir(d))) {
		char sub[BENCH_PATH_MAX];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (re_snprintf(sub, sizeof(sub), "%s/%s", path,
				e->d_name) < 0)
			continue;
		rm_tree(sub);
	}
	if (d)
		(void)closedir(d);
	(void)rmdir(path);
}


/* ---- a generated system ---- */

static int users_make(struct bsys *s, unsigned n)
{
	s->users = mem_zalloc(n * sizeof(*s->users), NULL);
	if (!s->users)
		return ENOMEM;

	for (unsigned i = 0; i < n; i++) {
		struct bench_user *u = &s->users[i];

		(void)re_snprintf(u->name, sizeof(u->name), "user%04u",
				  i + 1);
		(void)re_snprintf(u->password, sizeof(u->password),
				  "pw-%08x-%04u", rand_u32(), i + 1);
	}
	s->nusers = n;

	return 0;
}


static int import_write(const struct bsys *s, struct mcx_diag *diag)
{
	char path[BENCH_PATH_MAX], id[256];
	struct mbuf *mb = mbuf_alloc(64 * s->nusers + 64);
	int err = 0;

	if (!mb)
		return ENOMEM;

	(void)re_snprintf(path, sizeof(path), "%s/import", s->dir);
	err = mkdir_one(path);
	(void)re_snprintf(path, sizeof(path), "%s/import/profiles", s->dir);
	if (!err)
		err = mkdir_one(path);
	if (err) {
		mem_deref(mb);
		return mcx_diag_set(diag, err, "%s: %s", path,
				    strerror(err));
	}

	for (unsigned i = 0; i < s->nusers && !err; i++) {
		const struct bench_user *u = &s->users[i];
		char xml[sizeof(profile_fmt) + 2 * sizeof(id)];

		(void)re_snprintf(id, sizeof(id), "sip:%s@%s", u->name,
				  s->domain);
		err = mbuf_printf(mb, "%s %s %s Bench %u\n", u->name, id,
				  u->password, i + 1);
		if (err)
			break;
		(void)re_snprintf(path, sizeof(path),
				  "%s/import/profiles/%s-mcptt-0.xml",
				  s->dir, u->name);
		(void)re_snprintf(xml, sizeof(xml), profile_fmt, id, id);
		err = file_write(path, xml, diag);
	}
	if (!err)
		err = mbuf_write_u8(mb, 0);
	if (!err) {
		(void)re_snprintf(path, sizeof(path),
				  "%s/import/users.conf", s->dir);
		err = file_write(path, (const char *)mb->buf, diag);
	}
	mem_deref(mb);

	return err;
}


static int conf_write(struct bsys *s, const struct bench_opt *o,
		      struct mcx_diag *diag)
{
	uint16_t taken[3];
	unsigned max_calls = o->concurrency * 2;
	char path[BENCH_PATH_MAX], *text = NULL;
	int err;

	err = port_free(&s->sip_port, s->ip, NULL, 0);
	taken[0] = s->sip_port;
	if (!err)
		err = port_free(&s->http_port, s->ip, taken, 1);
	taken[1] = s->http_port;
	if (!err)
		err = port_free(&s->ctl_port, "127.0.0.1", taken, 2);
	if (err)
		return mcx_diag_set(diag, err, "no free port on %s", s->ip);

	if (max_calls < MAX_CALLS_MIN)
		max_calls = MAX_CALLS_MIN;

	err = re_sdprintf(&text,
			  "# mcxbench: generated, one run\n"
			  "domain %s\n"
			  "listen_ip %s\n"
			  "sip_port %u\n"
			  "http_port %u\n"
			  "ctl_port %u\n"
			  "data_dir %s/data\n"
			  "import_dir %s/import\n"
			  "rtp_port_min %u\n"
			  "rtp_port_max %u\n"
			  "max_calls %u\n"
			  "log_level %s\n",
			  s->domain, s->ip, s->sip_port, s->http_port,
			  s->ctl_port, s->dir, s->dir, BENCH_RELAY_MIN,
			  BENCH_RELAY_MAX, max_calls, o->mcxd_log);
	if (err)
		return err;

	(void)re_snprintf(path, sizeof(path), "%s/mcxd.conf", s->dir);
	err = file_write(path, text, diag);
	mem_deref(text);

	return err;
}


static int generate(struct bsys *s, const struct bench_opt *o,
		    struct mcx_diag *diag)
{
	int err;

	str_ncpy(s->domain, DOMAIN, sizeof(s->domain));
	str_ncpy(s->ip, "127.0.0.1", sizeof(s->ip));

	err = users_make(s, o->users);
	if (!err)
		err = import_write(s, diag);
	if (!err)
		err = conf_write(s, o, diag);

	return err;
}


/* ---- a given system ---- */

/* "name value" of a configuration line; the value unquoted */
static bool conf_line(const char *ln, const char *name, char *val,
		      size_t sz)
{
	size_t n = strlen(name), k;

	while (*ln == ' ' || *ln == '\t')
		++ln;
	if (strncmp(ln, name, n) || (ln[n] != ' ' && ln[n] != '\t'))
		return false;
	ln += n;
	while (*ln == ' ' || *ln == '\t' || *ln == '"')
		++ln;
	k = strcspn(ln, "\"#\r\n");
	while (k && (ln[k - 1] == ' ' || ln[k - 1] == '\t'))
		--k;
	if (k >= sz)
		return false;
	memcpy(val, ln, k);
	val[k] = '\0';

	return true;
}


static int port_of(uint16_t *pp, const char *v)
{
	char *end;
	unsigned long p = strtoul(v, &end, 10);

	if (!*v || *end || !p || p > 65535)
		return EINVAL;
	*pp = (uint16_t)p;

	return 0;
}


static int conf_read(struct bsys *s, char *import, size_t isz,
		     struct mcx_diag *diag)
{
	char path[BENCH_PATH_MAX], ln[LINE_MAX_LEN], v[BENCH_PATH_MAX];
	char sip[8] = "5060", http[8] = "8080", ctl[8] = "7070";
	FILE *f;
	int err = 0;

	str_ncpy(s->ip, "127.0.0.1", sizeof(s->ip));
	import[0] = '\0';
	(void)re_snprintf(path, sizeof(path), "%s/mcxd.conf", s->dir);
	f = fopen(path, "r");
	if (!f)
		return mcx_diag_set(diag, errno, "%s: %s", path,
				    strerror(errno));

	while (fgets(ln, sizeof(ln), f)) {
		if (conf_line(ln, "domain", v, sizeof(v)))
			str_ncpy(s->domain, v, sizeof(s->domain));
		else if (conf_line(ln, "listen_ip", v, sizeof(v)))
			str_ncpy(s->ip, v, sizeof(s->ip));
		else if (conf_line(ln, "sip_port", v, sizeof(v)))
			str_ncpy(sip, v, sizeof(sip));
		else if (conf_line(ln, "http_port", v, sizeof(v)))
			str_ncpy(http, v, sizeof(http));
		else if (conf_line(ln, "ctl_port", v, sizeof(v)))
			str_ncpy(ctl, v, sizeof(ctl));
		else if (conf_line(ln, "import_dir", v, sizeof(v)))
			str_ncpy(import, v, isz);
	}
	(void)fclose(f);

	if (!s->domain[0] || !import[0])
		err = mcx_diag_set(diag, EINVAL, "%s: needs domain and "
				   "import_dir", path);
	else if (port_of(&s->sip_port, sip) ||
		 port_of(&s->http_port, http) || port_of(&s->ctl_port, ctl))
		err = mcx_diag_set(diag, EINVAL, "%s: a port is not 1..65535 "
				   "(ctl_port must be on)", path);

	return err;
}


/* The first `want` users of users.conf: NAME MC-ID PASSWORD [DISPLAY] */
static int users_read(struct bsys *s, const char *import, unsigned want,
		      struct mcx_diag *diag)
{
	char path[BENCH_PATH_MAX], ln[LINE_MAX_LEN];
	FILE *f;

	if (import[0] == '/')
		(void)re_snprintf(path, sizeof(path), "%s/users.conf",
				  import);
	else
		(void)re_snprintf(path, sizeof(path), "%s/%s/users.conf",
				  s->dir, import);

	s->users = mem_zalloc(want * sizeof(*s->users), NULL);
	if (!s->users)
		return ENOMEM;

	f = fopen(path, "r");
	if (!f)
		return mcx_diag_set(diag, errno, "%s: %s", path,
				    strerror(errno));

	while (s->nusers < want && fgets(ln, sizeof(ln), f)) {
		struct bench_user *u = &s->users[s->nusers];
		char id[256];
		const char *p = ln + strspn(ln, " \t");

		if (*p == '#' || *p == '\n' || *p == '\r' || !*p)
			continue;
		if (sscanf(p, "%63s %255s %63s", u->name, id,
			   u->password) != 3)
			continue;
		++s->nusers;
	}
	(void)fclose(f);

	if (s->nusers < 2)
		return mcx_diag_set(diag, EINVAL, "%s: fewer than 2 users",
				    path);

	return 0;
}


/**
 * Make or read the system's configuration
 *
 * @param s     The system, zeroed
 * @param o     The options (users, setup, mcxd_log, concurrency)
 * @param diag  Why not
 *
 * @return 0, or an errno with diag set
 */
int bsys_setup(struct bsys *s, const struct bench_opt *o,
	       struct mcx_diag *diag)
{
	char path[BENCH_PATH_MAX], import[BENCH_PATH_MAX];
	struct stat st;
	int err;

	if (!o->setup) {
		char tmpl[] = "/tmp/mcxbench.XXXXXX";

		if (!mkdtemp(tmpl))
			return mcx_diag_set(diag, errno, "mkdtemp: %s",
					    strerror(errno));
		str_ncpy(s->dir, tmpl, sizeof(s->dir));
		s->tmp = true;
		return generate(s, o, diag);
	}

	err = mkdir_one(o->setup);
	if (!err)
		err = path_abs(s->dir, sizeof(s->dir), o->setup);
	if (err)
		return mcx_diag_set(diag, err, "%s: %s", o->setup,
				    strerror(err));

	(void)re_snprintf(path, sizeof(path), "%s/mcxd.conf", s->dir);
	if (stat(path, &st))
		return generate(s, o, diag);

	err = conf_read(s, import, sizeof(import), diag);
	if (!err)
		err = users_read(s, import, o->users, diag);

	return err;
}


/* ---- mcxd ---- */

static void child_exec(const struct bsys *s, const char *mcxd)
{
	char conf[BENCH_PATH_MAX], log[BENCH_PATH_MAX];
	char *argv[4];
	int fd;

	(void)re_snprintf(conf, sizeof(conf), "%s/mcxd.conf", s->dir);
	(void)re_snprintf(log, sizeof(log), "%s/mcxd.log", s->dir);

	/* mcxd goes when we go, even if we crash */
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM);

	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0640);
	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
	    dup2(fd, STDERR_FILENO) < 0)
		_exit(126);
	(void)close(fd);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		(void)dup2(fd, STDIN_FILENO);
	if (chdir(s->dir))
		_exit(126);

	argv[0] = (char *)(uintptr_t)mcxd;
	argv[1] = (char *)(uintptr_t)"-c";
	argv[2] = conf;
	argv[3] = NULL;
	(void)execv(mcxd, argv);
	_exit(127);
}


static const char *exit_text(int status, char *buf, size_t sz)
{
	if (WIFEXITED(status))
		(void)re_snprintf(buf, sz, "exit status %d",
				  WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		(void)re_snprintf(buf, sz, "signal %d", WTERMSIG(status));
	else
		(void)re_snprintf(buf, sz, "status 0x%x", status);

	return buf;
}


/**
 * Start mcxd and wait until its control socket answers
 *
 * @param s        The system (bsys_setup done)
 * @param mcxd     Path of the mcxd program
 * @param wait_ms  Deadline
 * @param diag     Why not
 *
 * @return 0, or an errno with diag set (mcxd is then not running)
 */
int bsys_start(struct bsys *s, const char *mcxd, unsigned wait_ms,
	       struct mcx_diag *diag)
{
	char abs[BENCH_PATH_MAX], why[64];
	struct bsys_status st;
	uint64_t end = bench_now_us() + (uint64_t)wait_ms * 1000;
	int status;
	pid_t pid;

	if (path_abs(abs, sizeof(abs), mcxd) || access(abs, X_OK))
		return mcx_diag_set(diag, ENOENT, "mcxd %s: not an "
				    "executable file", mcxd);

	pid = fork();
	if (pid < 0)
		return mcx_diag_set(diag, errno, "fork: %s", strerror(errno));
	if (!pid)
		child_exec(s, abs);
	s->pid = pid;

	for (;;) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			s->pid = 0;
			return mcx_diag_set(diag, ECHILD, "mcxd ended at "
					    "start (%s): see %s/mcxd.log",
					    exit_text(status, why,
						      sizeof(why)), s->dir);
		}
		if (!bsys_status_get(s, &st))
			return 0;
		if (bench_now_us() > end)
			break;
		sleep_ms(POLL_MS);
	}

	(void)kill(pid, SIGKILL);
	(void)waitpid(pid, &status, 0);
	s->pid = 0;

	return mcx_diag_set(diag, ETIMEDOUT, "mcxd did not answer on "
			    "127.0.0.1:%u within %u ms: see %s/mcxd.log",
			    s->ctl_port, wait_ms, s->dir);
}


/* The number after "key": in a JSON text, the first one */
static int json_u64(const char *js, const char *key, uint64_t *vp)
{
	char pat[64];
	const char *p;
	char *end;

	(void)re_snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(js, pat);
	if (!p)
		return ENOENT;
	p += strlen(pat);
	*vp = strtoull(p, &end, 10);

	return end == p ? EBADMSG : 0;
}


static int ctl_ask(const struct bsys *s, const char *cmd, char *buf,
		   size_t sz)
{
	struct timeval tv = {CTL_TIMEOUT_MS / 1000,
			     (CTL_TIMEOUT_MS % 1000) * 1000};
	struct sockaddr_in sin;
	size_t len = 0;
	int fd, err = 0;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return errno;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(s->ctl_port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    send(fd, cmd, strlen(cmd), 0) < 0)
		err = errno;

	while (!err && len + 1 < sz) {
		ssize_t n = recv(fd, buf + len, sz - 1 - len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n ? errno : EPIPE;
			break;
		}
		len += (size_t)n;
		if (buf[len - 1] == '\n')
			break;
	}
	(void)close(fd);
	buf[len] = '\0';

	if (!err && len + 1 >= sz)
		err = EMSGSIZE;

	return err;
}


/**
 * Ask mcxd's control socket for its status (blocking, 2 s at most)
 *
 * @return 0; ECONNREFUSED and friends; EBADMSG when it answers not ok
 */
int bsys_status_get(const struct bsys *s, struct bsys_status *st)
{
	char buf[CTL_REPLY_MAX];
	uint64_t regs = 0, calls = 0;
	int err;

	err = ctl_ask(s, "status\n", buf, sizeof(buf));
	if (err)
		return err;
	if (!strstr(buf, "\"ok\":true"))
		return EBADMSG;

	memset(st, 0, sizeof(*st));
	/* the first "calls" is the number now; stats.calls comes after,
	 * and "calls_failed" does not match "calls": */
	err = json_u64(buf, "registrations", &regs);
	if (!err)
		err = json_u64(buf, "calls", &calls);
	if (!err) {
		const char *stats = strstr(buf, "\"stats\":");

		err = stats ? json_u64(stats, "calls", &st->calls_total) :
			EBADMSG;
	}
	if (!err)
		err = json_u64(buf, "calls_failed", &st->calls_failed);
	if (!err)
		err = json_u64(buf, "sip_rejected", &st->sip_rejected);
	st->registrations = (unsigned)regs;
	st->calls = (unsigned)calls;

	return err;
}


/**
 * SIGTERM to mcxd; wait for it (10 s, then SIGKILL)
 *
 * @param s        The system
 * @param statusp  Its wait status
 * @param diag     What went wrong: not 0 at exit, a signal, no exit
 *
 * @return 0 when mcxd exited with 0
 */
int bsys_stop(struct bsys *s, int *statusp, struct mcx_diag *diag)
{
	uint64_t end = bench_now_us() + (uint64_t)STOP_WAIT_MS * 1000;
	char why[64];
	int status = 0;

	if (!s->pid)
		return 0;

	(void)kill(s->pid, SIGTERM);
	for (;;) {
		pid_t r = waitpid(s->pid, &status, WNOHANG);

		if (r == s->pid)
			break;
		if (r < 0 && errno != EINTR) {
			s->pid = 0;
			return mcx_diag_set(diag, errno, "waitpid: %s",
					    strerror(errno));
		}
		if (bench_now_us() > end) {
			(void)kill(s->pid, SIGKILL);
			(void)waitpid(s->pid, &status, 0);
			s->pid = 0;
			return mcx_diag_set(diag, ETIMEDOUT, "mcxd did not "
					    "stop within %u ms of SIGTERM",
					    (unsigned)STOP_WAIT_MS);
		}
		sleep_ms(POLL_MS);
	}
	s->pid = 0;
	*statusp = status;

	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;

	return mcx_diag_set(diag, ECHILD, "mcxd ended with %s: see "
			    "%s/mcxd.log", exit_text(status, why, sizeof(why)),
			    s->dir);
}


/* CPU time mcxd used so far, seconds (user + system); -1: unknown */
double bsys_cpu_s(const struct bsys *s)
{
	char path[64], buf[1024];
	unsigned long long ut, st;
	const char *p;
	size_t n;
	FILE *f;

	(void)re_snprintf(path, sizeof(path), "/proc/%d/stat", (int)s->pid);
	f = fopen(path, "r");
	if (!f)
		return -1.0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	(void)fclose(f);
	buf[n] = '\0';

	/* after "(comm)": state is field 3, utime 14, stime 15 */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u "
			 "%*u %llu %llu", &ut, &st) != 2)
		return -1.0;

	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}


/* Lines of mcxd's log at level E and W ("...Z E tag: text"); libre's
 * own warnings (red, "\033[31m") count as W */
void bsys_log_count(const struct bsys *s, unsigned *errors,
		    unsigned *warnings)
{
	char path[BENCH_PATH_MAX], ln[LINE_MAX_LEN];
	FILE *f;

	*errors = *warnings = 0;
	(void)re_snprintf(path, sizeof(path), "%s/mcxd.log", s->dir);
	f = fopen(path, "r");
	if (!f)
		return;

	while (fgets(ln, sizeof(ln), f)) {
		const char *z = strstr(ln, "Z ");

		if (strstr(ln, "\033[31m")) {	/* libre's DEBUG_WARNING */
			++*warnings;
			continue;
		}
		if (!z || z - ln > 30)
			continue;
		if (!strncmp(z, "Z E ", 4))
			++*errors;
		else if (!strncmp(z, "Z W ", 4))
			++*warnings;
	}
	(void)fclose(f);
}


/* Forget the system; remove its directory if we made it and !keep */
void bsys_close(struct bsys *s, bool keep)
{
	if (s->pid) {
		int status;

		(void)kill(s->pid, SIGKILL);
		(void)waitpid(s->pid, &status, 0);
		s->pid = 0;
	}
	if (s->tmp && !keep)
		rm_tree(s->dir);
	s->users = mem_deref(s->users);
	s->nusers = 0;
}
