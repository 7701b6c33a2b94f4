/**
 * @file load.c  Many clients in one libre loop: registrations, call setups
 *
 * Every client is one struct mcxc on 127.0.0.1, SIP port 0 and RTP port 0
 * (the library picks), all of them in this process's one main loop.
 *
 * Phase 1, registrations: each client logs in (IdMS token), fetches its
 * profile (CMS), registers (REGISTER, digest) and is authorized (PUBLISH).
 * A client's registration is done at MCXC_EV_AUTHORIZED; --concurrency of
 * them are under way at any time, a new one starting as one ends.
 *
 *   IDLE -> LOGIN -> PROFILE -> REGISTER -> AUTHORIZE -> UP
 *             \________\___________\___________\-----> FAILED
 *                 (an error event, or --timeout ms in one state)
 *
 * Phase 2, call setups: clients 2k and 2k+1 are a pair, the first calls
 * the second: private call, automatic commencement, floor control. The
 * setup time of a call is from mcxc_call() (the INVITE goes out) to the
 * caller's MCXC_EV_FLOOR "granted" (the implicit floor request of the
 * INVITE, granted once the call is up). Then the caller hangs up and the
 * call is done when both sides have MCXC_EV_ENDED.
 *
 *   IDLE -> START -> SETUP -> HANGUP -> ENDING -> IDLE (the next call)
 *             \________\________\_________\-----> DEAD (retired)
 *
 * Lifetime: the library's handlers may run inside its own processing
 * (a floor event comes from inside the floor participant), so nothing
 * is done to a client from its event handler: the next step goes
 * through a 0 ms timer (step). mcxc_hangup() reports the caller's
 * MCXC_EV_ENDED before it returns; the handler only records it.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <re.h>
#include <mcx/client.h>
#include <mcx/diag.h>
#include "bench.h"

enum {
	CTL_POLL_MS = 20,
	DRAIN_MS = 5000,	/* mcxd lets go of calls, registrations */
	IDS_MAX = 16,
	ALLOC_TRIES = 8,
};

enum bc_state {
	BC_IDLE,
	BC_LOGIN,
	BC_PROFILE,
	BC_REGISTER,
	BC_AUTHORIZE,
	BC_UP,
	BC_FAILED,
};

enum bp_state {
	BP_IDLE,
	BP_START,	/* mcxc_call() due (step)                */
	BP_SETUP,	/* INVITE sent, no floor granted yet     */
	BP_HANGUP,	/* granted; mcxc_hangup() due (step)     */
	BP_ENDING,	/* hung up; waiting for both ENDED       */
	BP_DEAD,	/* failed: calls cleared (step), retired */
};

enum phase {
	PH_REG,
	PH_CALLS,
	PH_DRAIN,
};

struct bench;
struct bpair;

struct bclient {
	struct bench *b;
	struct mcxc *c;
	const struct bench_user *u;
	enum bc_state st;
	struct tmr step, to;
	struct bpair *pair;
};

struct bpair {
	struct le le;		/* in bench.idle while BP_IDLE */
	struct bench *b;
	struct bclient *a, *z;	/* caller, callee */
	enum bp_state st;
	unsigned id;		/* the caller's call number */
	uint64_t t_inv;
	bool a_ended, z_ended;
	struct tmr step, to;
};

struct bench {
	const struct bench_opt *o;
	const struct bsys *sys;
	struct bench_result *r;
	struct bclient *cl;	/* mem_* array */
	unsigned ncl;
	struct bpair *pr;	/* mem_* array */
	unsigned npr;
	enum phase ph;
	unsigned next;		/* phase 1: the next client to start */
	unsigned started;	/* phase 2: calls started            */
	unsigned inflight;
	bool limited;		/* --duration-limit: start no more   */
	uint64_t t_start, t_end;
	struct list idle;
	struct tmr limit, poll;
	uint64_t drain_end;
};

static volatile sig_atomic_t signalled;	/* only for the handler */

static const char *bc_names[] = {
	"idle", "login", "profile", "register", "authorize", "up", "failed"
};

static const char *bp_names[] = {
	"idle", "start", "setup", "hangup", "ending", "dead"
};


uint64_t bench_now_us(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);

	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}


/* Count a failure; the first BENCH_FAIL_SHOW are kept, in words */
void bench_fail(struct bench_result *r, enum bench_fails k,
		const char *fmt, ...)
{
	va_list ap;

	if (r->nfail[k] < BENCH_FAIL_SHOW) {
		va_start(ap, fmt);
		(void)re_vsnprintf(r->fail[k][r->nfail[k]], BENCH_FAIL_LEN,
				   fmt, ap);
		va_end(ap);
	}
	++r->nfail[k];
}


/* An event in words: "floor granted", "ended 480 (Temporarily ...)" */
static const char *ev_text(const struct mcxc_event *ev, char *buf,
			   size_t sz)
{
	(void)re_snprintf(buf, sz, "%s%s%s", mcxc_ev_name(ev->type),
			  ev->text ? " " : "", ev->text ? ev->text : "");
	if (ev->scode)
		(void)re_snprintf(buf + strlen(buf), sz - strlen(buf),
				  " %u", ev->scode);
	if (ev->reason)
		(void)re_snprintf(buf + strlen(buf), sz - strlen(buf),
				  " (%s)", ev->reason);
	if (ev->warning)
		(void)re_snprintf(buf + strlen(buf), sz - strlen(buf),
				  " [%s]", ev->warning);

	return buf;
}


static void signal_h(int sig)
{
	(void)sig;
	signalled = 1;
	re_cancel();
}


static void phase_end(struct bench *b)
{
	b->t_end = bench_now_us();
	tmr_cancel(&b->limit);
	re_cancel();
}


static void limit_h(void *arg)
{
	struct bench *b = arg;

	b->limited = true;
	b->r->limited = true;
}


/* ---- phase 1: registrations ---- */

static void reg_next(struct bench *b);


static void reg_done(struct bclient *bc, const char *why)
{
	struct bench *b = bc->b;

	tmr_cancel(&bc->step);
	tmr_cancel(&bc->to);
	if (why) {
		bench_fail(b->r, BF_REG, "register %s: in %s: %s", bc->u->name,
			   bc_names[bc->st], why);
		bc->st = BC_FAILED;
		++b->r->reg_failed;
	}
	else {
		bc->st = BC_UP;
		++b->r->reg_ok;
	}
	--b->inflight;
	reg_next(b);
}


static void reg_step(void *arg)
{
	struct bclient *bc = arg;
	struct mcx_diag diag;
	int err = 0;

	mcx_diag_clear(&diag);
	switch (bc->st) {

	case BC_LOGIN:
		err = mcxc_login(bc->c, &diag);
		break;

	case BC_PROFILE:
		err = mcxc_profile(bc->c, &diag);
		break;

	case BC_REGISTER:
		err = mcxc_register(bc->c, &diag);
		break;

	default:
		break;
	}

	if (err)
		reg_done(bc, diag.reason[0] ? diag.reason : strerror(err));
}


static void reg_timeout(void *arg)
{
	struct bclient *bc = arg;
	char why[64];

	(void)re_snprintf(why, sizeof(why), "no answer in %u ms",
			  bc->b->o->timeout_ms);
	reg_done(bc, why);
}


/* Into the next state; its request goes out from the step timer */
static void reg_to(struct bclient *bc, enum bc_state st, bool send)
{
	bc->st = st;
	tmr_start(&bc->to, bc->b->o->timeout_ms, reg_timeout, bc);
	if (send)
		tmr_start(&bc->step, 0, reg_step, bc);
}


static void reg_next(struct bench *b)
{
	while (!b->limited && b->inflight < b->o->concurrency &&
	       b->next < b->ncl) {
		struct bclient *bc = &b->cl[b->next++];

		++b->inflight;
		reg_to(bc, BC_LOGIN, true);
	}

	if (!b->inflight)
		phase_end(b);
}


static void reg_event(struct bclient *bc, const struct mcxc_event *ev)
{
	char buf[BENCH_FAIL_LEN];

	if (bc->st < BC_LOGIN || bc->st > BC_AUTHORIZE)
		return;

	switch (ev->type) {

	case MCXC_EV_LOGGED_IN:
		if (bc->st == BC_LOGIN)
			reg_to(bc, BC_PROFILE, true);
		break;

	case MCXC_EV_PROFILE:
		if (bc->st == BC_PROFILE)
			reg_to(bc, BC_REGISTER, true);
		break;

	case MCXC_EV_REGISTERED:
		if (bc->st == BC_REGISTER)
			reg_to(bc, BC_AUTHORIZE, false);
		break;

	case MCXC_EV_AUTHORIZED:
		if (bc->st == BC_AUTHORIZE)
			reg_done(bc, NULL);
		break;

	case MCXC_EV_ERROR:
	case MCXC_EV_UNREGISTERED:
		reg_done(bc, ev_text(ev, buf, sizeof(buf)));
		break;

	default:
		break;
	}
}


/* ---- phase 2: call setups ---- */

static void calls_next(struct bench *b);
static void pair_step(void *arg);


static void pair_timeout(void *arg);


static void pair_to(struct bpair *p, enum bp_state st, bool step)
{
	p->st = st;
	if (st != BP_DEAD)
		tmr_start(&p->to, p->b->o->timeout_ms, pair_timeout, p);
	if (step)
		tmr_start(&p->step, 0, pair_step, p);
}


/* A call that went wrong: counted, its calls cleared, the pair retired */
static void pair_fail(struct bpair *p, const char *fmt, ...)
{
	struct bench *b = p->b;
	char why[BENCH_FAIL_LEN];
	va_list ap;

	va_start(ap, fmt);
	(void)re_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);

	bench_fail(b->r, BF_CALL, "call %s -> %s: in %s: %s", p->a->u->name,
		   p->z->u->name, bp_names[p->st], why);
	++b->r->call_failed;
	--b->inflight;
	tmr_cancel(&p->to);
	pair_to(p, BP_DEAD, true);
	calls_next(b);
}


static void pair_done(struct bpair *p)
{
	struct bench *b = p->b;

	tmr_cancel(&p->to);
	tmr_cancel(&p->step);
	p->st = BP_IDLE;
	++b->r->call_ok;
	--b->inflight;
	list_append(&b->idle, &p->le, p);
	calls_next(b);
}


static void pair_timeout(void *arg)
{
	struct bpair *p = arg;

	pair_fail(p, "nothing for %u ms (%s%s)", p->b->o->timeout_ms,
		  p->a_ended ? "caller ended" : "caller not ended",
		  p->z_ended ? ", callee ended" : ", callee not ended");
}


static void calls_clear(struct mcxc *c)
{
	unsigned ids[IDS_MAX];
	unsigned n = mcxc_call_ids(c, ids, IDS_MAX);

	for (unsigned i = 0; i < n; i++)
		(void)mcxc_hangup(c, ids[i], NULL);
}


static void pair_step(void *arg)
{
	struct bpair *p = arg;
	struct mcx_diag diag;
	int err;

	mcx_diag_clear(&diag);
	switch (p->st) {

	case BP_START:
		p->a_ended = p->z_ended = false;
		p->id = 0;
		pair_to(p, BP_SETUP, false);
		p->t_inv = bench_now_us();
		err = mcxc_call(p->a->c, p->z->u->name, false, true, &p->id,
				&diag);
		if (err)
			pair_fail(p, "mcxc_call: %s", diag.reason[0] ?
				  diag.reason : strerror(err));
		break;

	case BP_HANGUP:
		pair_to(p, BP_ENDING, false);
		err = mcxc_hangup(p->a->c, p->id, &diag);
		if (err)
			pair_fail(p, "mcxc_hangup: %s", diag.reason[0] ?
				  diag.reason : strerror(err));
		else if (p->a_ended && p->z_ended)
			pair_done(p);
		break;

	case BP_DEAD:
		calls_clear(p->a->c);
		calls_clear(p->z->c);
		break;

	default:
		break;
	}
}


static void setup_sample(struct bpair *p)
{
	struct bench_result *r = p->b->r;

	r->setup_us[r->nsetup++] = bench_now_us() - p->t_inv;
}


static void caller_event(struct bpair *p, const struct mcxc_event *ev)
{
	char buf[BENCH_FAIL_LEN];

	if (ev->type == MCXC_EV_ERROR) {
		pair_fail(p, "caller: %s", ev_text(ev, buf, sizeof(buf)));
		return;
	}
	if (ev->call != p->id)
		return;

	if (ev->type == MCXC_EV_FLOOR && p->st == BP_SETUP) {
		if (ev->text && !strcmp(ev->text, "granted")) {
			setup_sample(p);
			pair_to(p, BP_HANGUP, true);
		}
		else if (ev->text && strcmp(ev->text, "idle") &&
			 strcmp(ev->text, "taken")) {
			pair_fail(p, "caller: %s",
				  ev_text(ev, buf, sizeof(buf)));
		}
		return;
	}

	if (ev->type != MCXC_EV_ENDED)
		return;

	if (p->st != BP_ENDING) {
		pair_fail(p, "caller: %s", ev_text(ev, buf, sizeof(buf)));
		return;
	}
	p->a_ended = true;
	/* inside mcxc_hangup(): pair_step goes on from there */
}


static void callee_event(struct bpair *p, const struct mcxc_event *ev)
{
	char buf[BENCH_FAIL_LEN];

	if (ev->type == MCXC_EV_ERROR) {
		pair_fail(p, "callee: %s", ev_text(ev, buf, sizeof(buf)));
		return;
	}
	if (ev->type != MCXC_EV_ENDED)
		return;

	if (p->st != BP_ENDING) {
		pair_fail(p, "callee: %s", ev_text(ev, buf, sizeof(buf)));
		return;
	}
	p->z_ended = true;
	if (p->a_ended)
		pair_done(p);
}


static void pair_event(struct bclient *bc, const struct mcxc_event *ev)
{
	struct bpair *p = bc->pair;
	char buf[BENCH_FAIL_LEN];

	if (p->st == BP_IDLE || p->st == BP_DEAD || p->st == BP_START) {
		if (ev->type != MCXC_EV_ERROR)
			return;
		++bc->b->r->checks_failed;
		bench_fail(bc->b->r, BF_CHECK, "%s between calls: %s",
			   bc->u->name, ev_text(ev, buf, sizeof(buf)));
		return;
	}

	if (bc == p->a)
		caller_event(p, ev);
	else
		callee_event(p, ev);
}


static void calls_next(struct bench *b)
{
	while (!b->limited && b->inflight < b->o->concurrency &&
	       b->started < b->o->calls && !list_isempty(&b->idle)) {
		struct bpair *p = list_ledata(list_head(&b->idle));

		list_unlink(&p->le);
		++b->started;
		++b->inflight;
		pair_to(p, BP_START, true);
	}

	if (!b->inflight)
		phase_end(b);
}


/* ---- clients ---- */

static void event_h(const struct mcxc_event *ev, void *arg)
{
	struct bclient *bc = arg;
	struct bench *b = bc->b;
	char buf[BENCH_FAIL_LEN];

	if (b->o->verbose > 1)
		(void)re_fprintf(stderr, "%s: %s (call %u)\n", bc->u->name,
				 ev_text(ev, buf, sizeof(buf)), ev->call);

	if (b->ph == PH_REG)
		reg_event(bc, ev);
	else if (b->ph == PH_CALLS && bc->pair)
		pair_event(bc, ev);
}


static void pairs_stop(struct bench *b)
{
	for (unsigned i = 0; i < b->npr; i++) {
		tmr_cancel(&b->pr[i].step);
		tmr_cancel(&b->pr[i].to);
	}
}


static void bench_destructor(void *arg)
{
	struct bench *b = arg;

	tmr_cancel(&b->limit);
	tmr_cancel(&b->poll);
	pairs_stop(b);
	for (unsigned i = 0; i < b->ncl; i++) {
		tmr_cancel(&b->cl[i].step);
		tmr_cancel(&b->cl[i].to);
		b->cl[i].c = mem_deref(b->cl[i].c);
	}
	mem_deref(b->cl);
	mem_deref(b->pr);
}


static int clients_alloc(struct bench *b)
{
	struct mcxc_conf conf;
	struct mcx_diag diag;
	int err = 0;

	b->cl = mem_zalloc(b->sys->nusers * sizeof(*b->cl), NULL);
	if (!b->cl)
		return ENOMEM;

	memset(&conf, 0, sizeof(conf));
	conf.domain = b->sys->domain;
	conf.sip_server = b->sys->sip_addr;
	conf.http_server = b->sys->http_addr;
	conf.local_ip = "127.0.0.1";
	conf.sip_port = 0;	/* any */
	conf.rtp_port = 0;	/* any: ASTREAM_PORT_ANY_MIN..MAX */

	for (unsigned i = 0; i < b->sys->nusers; i++) {
		struct bclient *bc = &b->cl[i];

		bc->b = b;
		bc->u = &b->sys->users[i];
		tmr_init(&bc->step);
		tmr_init(&bc->to);
		conf.user = bc->u->name;
		conf.password = bc->u->password;
		/* SIP port 0: UDP gets one, TCP must then bind the same;
		 * a TCP socket may hold it (TIME_WAIT): try again */
		for (unsigned t = 0; t < ALLOC_TRIES; t++) {
			mcx_diag_clear(&diag);
			err = mcxc_alloc(&bc->c, &conf, event_h, bc, &diag);
			if (err != EADDRINUSE)
				break;
			++b->r->alloc_retries;
		}
		if (err) {
			(void)re_fprintf(stderr, "mcxbench: client %s: %s\n",
					 bc->u->name, diag.reason[0] ?
					 diag.reason : strerror(err));
			break;
		}
		b->ncl = i + 1;
	}

	return err;
}


/* Pairs of the clients that are up, in order */
static int pairs_alloc(struct bench *b)
{
	struct bclient *up = NULL;

	b->pr = mem_zalloc((b->ncl / 2 + 1) * sizeof(*b->pr), NULL);
	if (!b->pr)
		return ENOMEM;

	for (unsigned i = 0; i < b->ncl; i++) {
		struct bpair *p;

		if (b->cl[i].st != BC_UP)
			continue;
		if (!up) {
			up = &b->cl[i];
			continue;
		}
		p = &b->pr[b->npr++];
		p->b = b;
		p->a = up;
		p->z = &b->cl[i];
		p->a->pair = p->z->pair = p;
		tmr_init(&p->step);
		tmr_init(&p->to);
		list_append(&b->idle, &p->le, p);
		up = NULL;
	}

	return 0;
}


/* ---- mcxd: its count of calls and registrations goes to 0 ---- */

static void drain_poll(void *arg)
{
	struct bench *b = arg;
	struct bsys_status st;
	bool calls = b->ph == PH_CALLS;
	int err = bsys_status_get(b->sys, &st);
	unsigned n = err ? 0 : calls ? st.calls : st.registrations;

	if (!err && !n) {
		re_cancel();
		return;
	}
	if (bench_now_us() > b->drain_end) {
		++b->r->checks_failed;
		if (err)
			bench_fail(b->r, BF_CHECK, "mcxd's control socket: %s",
				   strerror(err));
		else
			bench_fail(b->r, BF_CHECK, "mcxd still has %u %s %u "
				   "ms after the last %s", n, calls ? "calls" :
				   "registrations", DRAIN_MS, calls ?
				   "call ended" : "logout");
		re_cancel();
		return;
	}
	tmr_start(&b->poll, CTL_POLL_MS, drain_poll, b);
}


static int drain(struct bench *b)
{
	b->drain_end = bench_now_us() + (uint64_t)DRAIN_MS * 1000;
	tmr_start(&b->poll, 0, drain_poll, b);

	(void)re_main(signal_h);

	return signalled ? EINTR : 0;
}


static double cpu_self_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0.0;

	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}


/* Run a phase; CPU seconds it took here and in mcxd go to cpu[0..1] */
static void phase_run(struct bench *b, enum phase ph, double cpu[2])
{
	double self0 = cpu_self_s(), mcxd0 = bsys_cpu_s(b->sys);

	b->ph = ph;
	b->inflight = 0;
	b->limited = false;
	b->t_start = b->t_end = bench_now_us();
	if (b->o->duration_limit_s)
		tmr_start(&b->limit, b->o->duration_limit_s * 1000ull,
			  limit_h, b);

	if (ph == PH_REG)
		reg_next(b);
	else
		calls_next(b);

	if (b->inflight)
		(void)re_main(signal_h);
	if (b->inflight || signalled)	/* a signal cut it short */
		b->r->interrupted = true;
	tmr_cancel(&b->limit);

	cpu[0] = cpu_self_s() - self0;
	cpu[1] = mcxd0 < 0.0 ? -1.0 : bsys_cpu_s(b->sys) - mcxd0;
}


static int run(struct bench *b)
{
	struct bench_result *r = b->r;
	double cpu[2];
	int err;

	phase_run(b, PH_REG, cpu);
	r->reg_cpu = cpu[0];
	r->reg_cpu_mcxd = cpu[1];
	r->reg_s = (double)(b->t_end - b->t_start) / 1e6;
	if (r->interrupted)
		return EINTR;

	err = pairs_alloc(b);
	if (err)
		return err;
	r->calls_asked = b->o->calls;
	r->setup_us = mem_zalloc((b->o->calls + 1) * sizeof(uint64_t),
				 NULL);
	if (!r->setup_us)
		return ENOMEM;

	if (b->npr) {
		phase_run(b, PH_CALLS, cpu);
		r->call_s = (double)(b->t_end - b->t_start) / 1e6;
		r->call_cpu = cpu[0];
		r->call_cpu_mcxd = cpu[1];
	}
	pairs_stop(b);
	r->calls_not_run = b->o->calls - r->call_ok - r->call_failed;
	if (r->interrupted)
		return EINTR;

	if (drain(b))
		return EINTR;

	/* logout: un-REGISTER, PUBLISH Expires: 0 */
	b->ph = PH_DRAIN;
	for (unsigned i = 0; i < b->ncl; i++) {
		if (b->cl[i].st == BC_UP)
			(void)mcxc_logout(b->cl[i].c, NULL);
	}

	return drain(b) ? EINTR : 0;
}


/**
 * Run both phases against a running mcxd
 *
 * @param o    The options
 * @param sys  The system, mcxd running
 * @param r    The figures, zeroed; r->setup_us is the caller's to free
 *
 * @return 0 when the run went to its end (failures or not), else an
 *         errno (ENOMEM, EMFILE when clients cannot be made, EINTR)
 */
int bload_run(const struct bench_opt *o, const struct bsys *sys,
	      struct bench_result *r)
{
	struct bench *b;
	int err;

	b = mem_zalloc(sizeof(*b), bench_destructor);
	if (!b)
		return ENOMEM;

	b->o = o;
	b->sys = sys;
	b->r = r;
	list_init(&b->idle);
	tmr_init(&b->limit);
	tmr_init(&b->poll);

	err = clients_alloc(b);
	r->users = b->ncl;
	if (!err)
		err = run(b);

	mem_deref(b);	/* the clients go */

	return err;
}
