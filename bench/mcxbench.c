/**
 * @file mcxbench.c  mcxbench: registrations and call setups against one
 *                   mcxd, many clients in one process (docs/bench.md)
 *
 *   mcxbench [--users N] [--calls N] [--concurrency N]
 *            [--duration-limit S] [--timeout MS] [--mcxd PATH]
 *            [--setup DIR] [--mcxd-log LEVEL] [--keep] [--json] [-v]
 *
 * In order: raise RLIMIT_NOFILE to its hard limit; make (or read) the
 * system's configuration; start mcxd and wait for its control socket;
 * run the two phases (load.c); stop mcxd with SIGTERM; print the
 * figures. Exit status: 0 when every registration and call went right
 * and mcxd exited with 0; 1 when anything failed (a benchmark with
 * failures is not a figure); 2 for a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/log.h>
#include "bench.h"

#ifndef MCXBENCH_MCXD
#define MCXBENCH_MCXD "mcxd"
#endif
#ifndef MCXBENCH_BUILD
#define MCXBENCH_BUILD "unknown"
#endif

enum {
	STATUS_FAIL = 1,
	STATUS_USAGE = 2,
	START_WAIT_MS = 10000,
	START_WAIT_USER_MS = 25,	/* import: a PBKDF2 hash per user */
	CPU_MAX = 128,
	CALLS_MAX = 10000000,
	CONCURRENCY_MAX = 1000,
};

static const char usage[] =
	"usage: mcxbench [--users N] [--calls N] [--concurrency N]\n"
	"                [--duration-limit S] [--timeout MS] [--mcxd PATH]\n"
	"                [--setup DIR] [--mcxd-log LEVEL] [--keep] [--json]"
	" [-v]\n"
	"\n"
	"  --users N           clients, user0001..userNNNN (200)\n"
	"  --calls N           private calls in phase 2 (1000)\n"
	"  --concurrency N     operations under way at once (20)\n"
	"  --duration-limit S  a phase starts nothing new after S s (60;\n"
	"                      0: no limit)\n"
	"  --timeout MS        one step of an operation, at most (10000)\n"
	"  --mcxd PATH         the mcxd to run (" MCXBENCH_MCXD ")\n"
	"  --setup DIR         the system's directory: used as it is if it\n"
	"                      has mcxd.conf, else generated there and kept\n"
	"  --mcxd-log LEVEL    log_level of a generated mcxd.conf (warn)\n"
	"  --keep              keep the temporary directory\n"
	"  --json              one JSON object instead of the table\n"
	"  -v                  progress on stderr; -v -v: every event\n"
	"\n"
	"Exit status: 0 no failure, 1 any failure, 2 usage error.\n";

struct machine {
	long nproc;
	char cpu[CPU_MAX];
	char kernel[CPU_MAX];
};


/* ---- arguments ---- */

static int uint_arg(unsigned *vp, const char *name, const char *s,
		    unsigned min, unsigned max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v < min || v > max) {
		(void)fprintf(stderr, "mcxbench: %s %s: expected %u..%u\n",
			      name, s, min, max);
		return EINVAL;
	}
	*vp = (unsigned)v;

	return 0;
}


static int args_parse(struct bench_opt *o, int argc, char *argv[])
{
	int i = 1;

	while (i < argc) {
		const char *s = argv[i], *v = i + 1 < argc ? argv[i + 1] :
			NULL;
		int err = 0;

		/* flags take one word, options two */
		if (!strcmp(s, "--json"))
			o->json = true;
		else if (!strcmp(s, "--keep"))
			o->keep = true;
		else if (!strcmp(s, "-v"))
			++o->verbose;
		else if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			(void)fputs(usage, stdout);
			exit(0);
		}
		else if (!v) {
			(void)fprintf(stderr, "mcxbench: %s: unknown, or no "
				      "value\n%s", s, usage);
			return EINVAL;
		}
		else if (!strcmp(s, "--users"))
			err = uint_arg(&o->users, s, v, 2, BENCH_USERS_MAX);
		else if (!strcmp(s, "--calls"))
			err = uint_arg(&o->calls, s, v, 0, CALLS_MAX);
		else if (!strcmp(s, "--concurrency"))
			err = uint_arg(&o->concurrency, s, v, 1,
				       CONCURRENCY_MAX);
		else if (!strcmp(s, "--duration-limit"))
			err = uint_arg(&o->duration_limit_s, s, v, 0, 86400);
		else if (!strcmp(s, "--timeout"))
			err = uint_arg(&o->timeout_ms, s, v, 100, 600000);
		else if (!strcmp(s, "--mcxd"))
			o->mcxd = v;
		else if (!strcmp(s, "--setup"))
			o->setup = v;
		else if (!strcmp(s, "--mcxd-log"))
			o->mcxd_log = v;
		else {
			(void)fprintf(stderr, "mcxbench: %s: unknown "
				      "argument\n%s", s, usage);
			return EINVAL;
		}
		if (err)
			return err;
		i += (!strcmp(s, "--json") || !strcmp(s, "--keep") ||
		      !strcmp(s, "-v")) ? 1 : 2;
	}

	return 0;
}


/* ---- the machine ---- */

/* Every descriptor we may have: clients take several each */
static rlim_t nofile_raise(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 1024;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}

	return rl.rlim_cur;
}


static void machine_get(struct machine *m)
{
	struct utsname un;
	char ln[256];
	FILE *f;

	memset(m, 0, sizeof(*m));
	m->nproc = sysconf(_SC_NPROCESSORS_ONLN);
	if (!uname(&un))
		(void)re_snprintf(m->kernel, sizeof(m->kernel), "%s %s",
				  un.sysname, un.release);

	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(ln, sizeof(ln), f)) {
		const char *c = strchr(ln, ':');

		if (strncmp(ln, "model name", 10) || !c)
			continue;
		c += 1 + strspn(c + 1, " \t");
		(void)re_snprintf(m->cpu, sizeof(m->cpu), "%b", c,
				  strcspn(c, "\r\n"));
		break;
	}
	if (f)
		(void)fclose(f);
}


/* ---- figures ---- */

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}


/* Nearest rank: the ceil(p/100 * n)-th smallest, 1-based; sorted v */
static double pct_ms(const uint64_t *v, unsigned n, unsigned p)
{
	uint64_t rank;

	if (!n)
		return 0.0;
	rank = ((uint64_t)p * n + 99) / 100;
	if (rank < 1)
		rank = 1;

	return (double)v[rank - 1] / 1000.0;
}


static double rate(unsigned n, double s)
{
	return s > 0.0 ? (double)n / s : 0.0;
}


static unsigned failures(const struct bench_result *r)
{
	return r->reg_failed + r->call_failed + r->calls_not_run +
		r->checks_failed + (r->interrupted ? 1 : 0);
}


struct report {
	const struct bench_opt *o;
	const struct bench_result *r;
	const struct machine *m;
	const struct bsys *sys;
	int mcxd_status;	/* -1: did not exit */
	unsigned log_errors, log_warnings;
};


static void table_print(const struct report *rp)
{
	const struct bench_result *r = rp->r;
	const uint64_t *v = r->setup_us;
	unsigned n = r->nsetup;

	(void)printf("mcxbench: %u users, %u calls, concurrency %u; one "
		     "mcxd, loopback 127.0.0.1\n", r->users, r->calls_asked,
		     rp->o->concurrency);
	(void)printf("machine: nproc %ld, %s, %s; build %s\n\n",
		     rp->m->nproc, rp->m->cpu[0] ? rp->m->cpu : "cpu ?",
		     rp->m->kernel, MCXBENCH_BUILD);
	(void)printf("  %-18s %10s   %s\n", "figure", "value", "over");
	(void)printf("  %-18s %10.1f   %u ok, %u failed in %.2f s\n",
		     "registrations/s", rate(r->reg_ok, r->reg_s), r->reg_ok,
		     r->reg_failed, r->reg_s);
	(void)printf("  %-18s %10.1f   %u ok, %u failed, %u not run in "
		     "%.2f s\n", "call setups/s", rate(r->call_ok, r->call_s),
		     r->call_ok, r->call_failed, r->calls_not_run, r->call_s);
	(void)printf("  %-18s %10.2f   %u calls\n", "setup p50 ms",
		     pct_ms(v, n, 50), n);
	(void)printf("  %-18s %10.2f\n", "setup p99 ms", pct_ms(v, n, 99));
	(void)printf("  %-18s %10.2f\n", "setup max ms", pct_ms(v, n, 100));
	(void)printf("  %-18s %10u   %u server checks; mcxd %s %d; its "
		     "log: %u E, %u W\n", "failures", failures(r),
		     r->checks_failed, rp->mcxd_status < 0 ? "did not exit" :
		     "exit", rp->mcxd_status, rp->log_errors,
		     rp->log_warnings);
	(void)printf("\n  CPU seconds       mcxbench     mcxd   (phase "
		     "seconds)\n");
	(void)printf("  %-16s %9.2f %8.2f   (%.2f)\n", "registrations",
		     r->reg_cpu, r->reg_cpu_mcxd, r->reg_s);
	(void)printf("  %-16s %9.2f %8.2f   (%.2f)\n", "call setups",
		     r->call_cpu, r->call_cpu_mcxd, r->call_s);
	if (r->alloc_retries)
		(void)printf("\n(%u client allocations tried again: "
			     "EADDRINUSE on SIP port 0)\n", r->alloc_retries);
	if (r->limited)
		(void)printf("\n(a phase stopped at --duration-limit %u s)\n",
			     rp->o->duration_limit_s);
}


static int json_str(struct re_printf *pf, const char *s)
{
	int err = re_hprintf(pf, "\"");

	for (; *s && !err; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			err = re_hprintf(pf, "\\%c", ch);
		else if (ch < 0x20)
			err = re_hprintf(pf, "\\u%04x", ch);
		else
			err = re_hprintf(pf, "%c", ch);
	}

	return err ? err : re_hprintf(pf, "\"");
}


static int json_fails(struct re_printf *pf, const struct bench_result *r)
{
	int err = 0;
	bool first = true;

	for (unsigned k = 0; k < BENCH_FAILS; k++) {
		unsigned n = r->nfail[k] < BENCH_FAIL_SHOW ? r->nfail[k] :
			BENCH_FAIL_SHOW;

		for (unsigned i = 0; i < n && !err; i++) {
			err = re_hprintf(pf, "%s%H", first ? "" : ",",
					 json_str, r->fail[k][i]);
			first = false;
		}
	}

	return err;
}


static void json_print(const struct report *rp)
{
	const struct bench_result *r = rp->r;
	const uint64_t *v = r->setup_us;
	unsigned n = r->nsetup;

	(void)re_printf("{\"users\":%u,\"calls\":%u,\"concurrency\":%u,"
			"\"registrations\":{\"ok\":%u,\"failed\":%u,"
			"\"seconds\":%.3f,\"per_s\":%.1f},"
			"\"call_setups\":{\"ok\":%u,\"failed\":%u,"
			"\"not_run\":%u,\"seconds\":%.3f,\"per_s\":%.1f},",
			r->users, r->calls_asked, rp->o->concurrency,
			r->reg_ok, r->reg_failed, r->reg_s,
			rate(r->reg_ok, r->reg_s), r->call_ok,
			r->call_failed, r->calls_not_run, r->call_s,
			rate(r->call_ok, r->call_s));
	(void)re_printf("\"setup_ms\":{\"samples\":%u,\"p50\":%.3f,"
			"\"p99\":%.3f,\"max\":%.3f},",
			n, pct_ms(v, n, 50), pct_ms(v, n, 99),
			pct_ms(v, n, 100));
	(void)re_printf("\"failures\":%u,\"server_checks_failed\":%u,"
			"\"alloc_retries\":%u,\"limited\":%s,"
			"\"interrupted\":%s,\"failure_reasons\":[%H],",
			failures(r), r->checks_failed, r->alloc_retries,
			r->limited ? "true" : "false",
			r->interrupted ? "true" : "false", json_fails, r);
	(void)re_printf("\"cpu_s\":{\"registrations\":{\"mcxbench\":%.2f,"
			"\"mcxd\":%.2f},\"call_setups\":{\"mcxbench\":%.2f,"
			"\"mcxd\":%.2f}},", r->reg_cpu, r->reg_cpu_mcxd,
			r->call_cpu, r->call_cpu_mcxd);
	(void)re_printf("\"mcxd\":{\"exit\":%d,\"log_errors\":%u,"
			"\"log_warnings\":%u},",
			rp->mcxd_status, rp->log_errors, rp->log_warnings);
	(void)re_printf("\"machine\":{\"nproc\":%ld,\"cpu\":%H,"
			"\"kernel\":%H,\"network\":\"loopback 127.0.0.1\","
			"\"build\":%H}}\n", rp->m->nproc, json_str,
			rp->m->cpu, json_str, rp->m->kernel, json_str,
			MCXBENCH_BUILD);
}


static void fails_print(const struct bench_result *r)
{
	for (unsigned k = 0; k < BENCH_FAILS; k++) {
		unsigned n = r->nfail[k] < BENCH_FAIL_SHOW ? r->nfail[k] :
			BENCH_FAIL_SHOW;

		for (unsigned i = 0; i < n; i++)
			(void)fprintf(stderr, "mcxbench: failure: %s\n",
				      r->fail[k][i]);
		if (r->nfail[k] > n)
			(void)fprintf(stderr, "mcxbench: ... and %u more "
				      "like these\n", r->nfail[k] - n);
	}
}


/* ---- the run ---- */

static int run(const struct bench_opt *o, struct bsys *sys,
	       struct bench_result *r, struct report *rp)
{
	struct mcx_diag diag;
	int err, status = 0;

	mcx_diag_clear(&diag);
	err = bsys_setup(sys, o, &diag);
	if (!err)
		err = bsys_start(sys, o->mcxd, START_WAIT_MS +
				 START_WAIT_USER_MS * o->users, &diag);
	if (err) {
		(void)fprintf(stderr, "mcxbench: %s\n", diag.reason[0] ?
			      diag.reason : strerror(err));
		return err;
	}
	(void)re_snprintf(sys->sip_addr, sizeof(sys->sip_addr), "%s:%u",
			  sys->ip, sys->sip_port);
	(void)re_snprintf(sys->http_addr, sizeof(sys->http_addr), "%s:%u",
			  sys->ip, sys->http_port);
	if (o->verbose)
		(void)fprintf(stderr, "mcxbench: mcxd %d up in %s (SIP %s)\n",
			      (int)sys->pid, sys->dir, sys->sip_addr);

	err = bload_run(o, sys, r);
	if (r->setup_us)
		qsort(r->setup_us, r->nsetup, sizeof(*r->setup_us), u64_cmp);
	if (err && err != EINTR)
		bench_fail(r, BF_CHECK, "the run stopped: %s", strerror(err));
	if (err)
		r->interrupted = true;

	mcx_diag_clear(&diag);
	rp->mcxd_status = -1;
	if (bsys_stop(sys, &status, &diag)) {
		++r->checks_failed;
		bench_fail(r, BF_CHECK, "%s", diag.reason);
	}
	if (status || !diag.reason[0])
		rp->mcxd_status = WIFEXITED(status) ? WEXITSTATUS(status) :
			128 + WTERMSIG(status);
	bsys_log_count(sys, &rp->log_errors, &rp->log_warnings);

	return 0;
}


int main(int argc, char *argv[])
{
	struct bench_opt o;
	struct bench_result r;
	struct bsys sys;
	struct machine m;
	struct report rp;
	rlim_t nofile;
	int err, status;

	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	memset(&sys, 0, sizeof(sys));
	o.users = 200;
	o.calls = 1000;
	o.concurrency = 20;
	o.duration_limit_s = 60;
	o.timeout_ms = 10000;
	o.mcxd = MCXBENCH_MCXD;
	o.mcxd_log = "warn";

	if (args_parse(&o, argc, argv))
		return STATUS_USAGE;

	/* before libre: its main loop sizes its tables once */
	nofile = nofile_raise();
	err = libre_init();
	if (!err)
		err = fd_setsize((int)(nofile > 1000000 ? 1000000 : nofile));
	if (err) {
		(void)fprintf(stderr, "mcxbench: libre: %s\n", strerror(err));
		return STATUS_FAIL;
	}
	mcx_log_set_level(o.verbose ? MCX_INFO : MCX_WARN);
	machine_get(&m);

	memset(&rp, 0, sizeof(rp));
	rp.o = &o;
	rp.r = &r;
	rp.m = &m;
	rp.sys = &sys;
	if (o.verbose)
		(void)fprintf(stderr, "mcxbench: RLIMIT_NOFILE %llu\n",
			      (unsigned long long)nofile);

	status = STATUS_FAIL;
	if (!run(&o, &sys, &r, &rp)) {
		if (o.json)
			json_print(&rp);
		else
			table_print(&rp);
		fails_print(&r);
		status = failures(&r) ? STATUS_FAIL : 0;
	}

	bsys_close(&sys, o.keep || status);
	if (status && sys.tmp)
		(void)fprintf(stderr, "mcxbench: kept %s (mcxd.log)\n",
			      sys.dir);
	mem_deref(r.setup_us);
	libre_close();

	return status;
}
