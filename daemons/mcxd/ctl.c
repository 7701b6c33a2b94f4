/**
 * @file ctl.c  Control socket: one command per line, one JSON line back
 *
 *   $ printf 'status\n' | nc -q1 127.0.0.1 7070
 *   {"ok":true,"domain":"a.mcx.test",...}
 *
 * Commands: status, registrations, auths, calls, partners, help.  A line
 * may also be a JSON object {"cmd":"status"}.  TCP on 127.0.0.1 only,
 * whatever listen_ip says: it is for the operator and the tests on this
 * machine.
 */
#include <string.h>
#include <unistd.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/log.h>
#include <mcx/store.h>
#include <mcx/str.h>
#include "mcxd.h"

enum { LINE_MAX_LEN = 1024 };

struct ctl {
	struct sys *sys;
	struct tcp_sock *ts;
	struct list conns;
};

struct ctl_conn {
	struct le le;
	struct ctl *ctl;
	struct tcp_conn *tc;
	struct mbuf *in;
};


static void conn_destructor(void *arg)
{
	struct ctl_conn *cc = arg;

	list_unlink(&cc->le);
	mem_deref(cc->tc);
	mem_deref(cc->in);
}


static void ctl_destructor(void *arg)
{
	struct ctl *ctl = arg;

	list_flush(&ctl->conns);
	mem_deref(ctl->ts);
}


struct reg_ctx {
	struct re_printf *pf;
	int64_t now;
	unsigned n;
};


static int reg_h(const struct store_reg *r, void *arg)
{
	struct reg_ctx *rc = arg;

	return re_hprintf(rc->pf, "%s{\"aor\":%H,\"contact\":%H,"
			  "\"expires_in\":%lld}", rc->n++ ? "," : "",
			  mcx_json_str, r->aor, mcx_json_str, r->contact,
			  (long long)(r->expires - rc->now));
}


static int regs_print(struct re_printf *pf, const struct sys *sys)
{
	struct reg_ctx rc = {pf, (int64_t)sys_now(), 0};
	int err;

	err = re_hprintf(pf, "[");
	err |= store_reg_apply(sys->store, NULL, reg_h, &rc);

	return err | re_hprintf(pf, "]");
}


static int reg_count_h(const struct store_reg *r, void *arg)
{
	(void)r;
	++*(unsigned *)arg;
	return 0;
}


static int status_print(struct re_printf *pf, const struct sys *sys)
{
	const struct sys_stats *s = &sys->stats;
	unsigned regs = 0;

	(void)store_reg_apply(sys->store, NULL, reg_count_h, &regs);

	return re_hprintf(pf, "\"domain\":%H,\"pid\":%d,\"uptime_s\":%llu,"
			  "\"sip\":\"%s:%lld\",\"http\":\"%s:%lld\","
			  "\"psi\":%H,\"registrations\":%u,\"calls\":%u,"
			  "\"stats\":{\"sip_requests\":%llu,"
			  "\"sip_rejected\":%llu,\"registers\":%llu,"
			  "\"auth_challenges\":%llu,\"service_auths\":%llu,"
			  "\"calls\":%llu,\"calls_failed\":%llu,"
			  "\"tokens_issued\":%llu,\"http_requests\":%llu}",
			  mcx_json_str, sys->cfg.domain, (int)getpid(),
			  (unsigned long long)(mcx_mono_us() - sys->start_us)
			  / 1000000, sys->cfg.listen_ip,
			  (long long)sys->cfg.sip_port, sys->cfg.listen_ip,
			  (long long)sys->cfg.http_port, mcx_json_str,
			  sys->psi, regs, mcptt_call_count(sys->mcptt),
			  (unsigned long long)s->sip_requests,
			  (unsigned long long)s->sip_rejected,
			  (unsigned long long)s->registers,
			  (unsigned long long)s->auth_challenges,
			  (unsigned long long)s->service_auths,
			  (unsigned long long)s->calls,
			  (unsigned long long)s->calls_failed,
			  (unsigned long long)s->tokens_issued,
			  (unsigned long long)s->http_requests);
}


static int command(struct mbuf *out, const struct sys *sys,
		   const struct pl *cmd)
{
	if (!pl_strcmp(cmd, "status"))
		return mbuf_printf(out, "{\"ok\":true,%H}\n", status_print,
				   sys);
	if (!pl_strcmp(cmd, "registrations"))
		return mbuf_printf(out, "{\"ok\":true,\"registrations\":%H}\n",
				   regs_print, sys);
	if (!pl_strcmp(cmd, "auths"))
		return mbuf_printf(out, "{\"ok\":true,\"auths\":%H}\n",
				   mcptt_auths_print, sys->mcptt);
	if (!pl_strcmp(cmd, "calls"))
		return mbuf_printf(out, "{\"ok\":true,\"calls\":%H}\n",
				   mcptt_calls_print, sys->mcptt);
	if (!pl_strcmp(cmd, "partners"))
		return mbuf_printf(out, "{\"ok\":true,\"partners\":%H}\n",
				   partners_print, sys);
	if (!pl_strcmp(cmd, "help"))
		return mbuf_printf(out, "{\"ok\":true,\"commands\":[\"status\","
				   "\"registrations\",\"auths\",\"calls\","
				   "\"partners\",\"help\"]}\n");

	return mbuf_printf(out, "{\"ok\":false,\"error\":\"unknown command "
			   "'%r' (status, registrations, auths, calls, "
			   "partners, help)\"}\n", cmd);
}


/* The line is one word of a-z between optional blanks */
static bool bare_word(struct pl *cmd, const struct pl *ln)
{
	struct pl w = *ln;
	size_t i;

	while (w.l && (w.p[0] == ' ' || w.p[0] == '\t'))
		pl_advance(&w, 1);
	while (w.l && (w.p[w.l - 1] == ' ' || w.p[w.l - 1] == '\t' ||
		       w.p[w.l - 1] == '\r'))
		--w.l;
	if (!w.l)
		return false;
	for (i = 0; i < w.l; i++) {
		if (w.p[i] < 'a' || w.p[i] > 'z')
			return false;
	}

	*cmd = w;

	return true;
}


static void line(struct ctl_conn *cc, const struct pl *ln)
{
	struct mbuf *out = mbuf_alloc(1024);
	struct pl cmd;

	if (!out)
		return;

	/* a bare word, or {"cmd":"word"} */
	if (!bare_word(&cmd, ln) &&
	    re_regex(ln->p, ln->l, "\"cmd\"[ \t]*:[ \t]*\"[a-z]+\"", NULL,
		     NULL, &cmd)) {
		(void)mbuf_printf(out, "{\"ok\":false,\"error\":\"expected a "
				  "command word or {\\\"cmd\\\":\\\"...\\\"}"
				  "\"}\n");
	}
	else
		(void)command(out, cc->ctl->sys, &cmd);

	out->pos = 0;
	(void)tcp_send(cc->tc, out);
	mem_deref(out);
}


static void recv_handler(struct mbuf *mb, void *arg)
{
	struct ctl_conn *cc = arg;
	struct mbuf *in = cc->in;
	size_t rpos = in->pos;	/* pos reads lines, writes append at end */

	in->pos = in->end;
	if (mbuf_write_mem(in, mbuf_buf(mb), mbuf_get_left(mb))) {
		mem_deref(cc);	/* out of memory: drop the connection */
		return;
	}
	in->pos = rpos;

	for (;;) {
		const uint8_t *b = in->buf + in->pos;
		size_t n = in->end - in->pos;
		const uint8_t *nl = memchr(b, '\n', n);
		struct pl ln;

		if (!nl) {
			if (n > LINE_MAX_LEN)
				mem_deref(cc);	/* no line: drop it */
			else if (in->pos == in->end)
				in->pos = in->end = 0;
			return;
		}
		ln.p = (const char *)b;
		ln.l = (size_t)(nl - b);
		in->pos += ln.l + 1;
		if (ln.l)
			line(cc, &ln);
	}
}


static void close_handler(int err, void *arg)
{
	struct ctl_conn *cc = arg;
	(void)err;

	mem_deref(cc);
}


static void conn_handler(const struct sa *peer, void *arg)
{
	struct ctl *ctl = arg;
	struct ctl_conn *cc;
	(void)peer;

	cc = mem_zalloc(sizeof(*cc), conn_destructor);
	if (!cc) {
		tcp_reject(ctl->ts);
		return;
	}
	cc->ctl = ctl;
	cc->in = mbuf_alloc(LINE_MAX_LEN);
	if (!cc->in || tcp_accept(&cc->tc, ctl->ts, NULL, recv_handler,
				  close_handler, cc)) {
		mem_deref(cc);
		tcp_reject(ctl->ts);
		return;
	}
	list_append(&ctl->conns, &cc->le, cc);
}


int ctl_init(struct ctl **cp, struct sys *sys, struct mcx_diag *diag)
{
	struct ctl *ctl;
	struct sa laddr;
	int err;

	*cp = NULL;
	if (!sys->cfg.ctl_port)
		return 0;

	ctl = mem_zalloc(sizeof(*ctl), ctl_destructor);
	if (!ctl)
		return ENOMEM;
	ctl->sys = sys;

	(void)sa_set_str(&laddr, "127.0.0.1", (uint16_t)sys->cfg.ctl_port);
	err = tcp_listen(&ctl->ts, &laddr, conn_handler, ctl);
	if (err) {
		mem_deref(ctl);
		return mcx_diag_set(diag, err, "control socket on "
				    "127.0.0.1:%lld: %s",
				    (long long)sys->cfg.ctl_port,
				    strerror(err));
	}

	*cp = ctl;

	return 0;
}
