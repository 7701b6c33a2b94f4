/**
 * @file cmd.c  mcx commands: the tokenizer, the table, the runner
 *
 * See cmd.h for the syntax, the runner's state diagram and its rules.
 * This file uses the client library through include/mcx/client.h only
 * (the unit test links a fake of it, tests/unit/mcxc_fake.c).
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include <mcx/client.h>
#include <mcx/diag.h>
#include <mcx/log.h>
#include <mcx/str.h>
#include "cmd.h"
#include "out.h"

enum {
	ACK_MAX = 32,		/* "call 12345" */
};

/* A queued event: a copy that owns its strings */
struct qev {
	struct le le;
	uint64_t seq;		/* 1, 2, ... in order of arrival      */
	struct mcxc_event ev;	/* its strings point to those below   */
	char *peer, *text, *reason, *warning;
};

/* One event a wait needs */
struct want {
	enum mcxc_ev type;
	const char *text;	/* NULL: any; else the event's text   */
};

struct cmdr {
	enum cmdr_state state;
	struct mcxc *c;		/* not a reference (cmd.h: Lifetime)  */
	struct out *out;
	char *src;		/* input name; NULL: interactive      */
	cmdr_input_h *inh;
	cmdr_done_h *doneh;
	void *arg;
	bool started;		/* cmdr_start() was called            */
	bool done_called;

	/* input */
	struct mbuf *in;	/* not yet read, from pos to end      */
	bool eof;		/* no input after what is in `in`     */
	bool want_in;		/* input asked for (inh(true))        */
	bool skip;		/* dropping the rest of a long line   */
	unsigned lineno;
	char line[CMD_LINE_MAX + 1];
	const char *rest;	/* what is left of line; NULL: none   */

	/* the command running */
	struct cmd_words w;
	const struct cmd_def *def;	/* NULL: not a command        */
	char text[CMD_TEXT_MAX];	/* as typed, for messages     */
	char reason[CMD_REASON_MAX];
	char ack[ACK_MAX];
	unsigned res_call;
	int (*data)(struct re_printf *pf, void *arg);
	const struct cmd_def *help_def;
	bool quit;
	bool keep_going;	/* a script goes on after a failure */
	bool failed;		/* ... and ends with status 1       */

	/* wait, up */
	struct want want[CMD_WANT_MAX];
	unsigned nwant;
	uint64_t from_seq;	/* events before this one do not count */
	uint64_t timeout_ms;
	unsigned up_step;

	/* events not yet consumed by a wait */
	struct list evq;
	unsigned nev;
	uint64_t seq;		/* of the last event queued           */
	unsigned dropped;	/* since the last wait returned       */

	struct tmr tmr;		/* wait/up timeout, sleep, close poll */
	struct tmr kick;	/* the next step, from the main loop  */

	/* closing */
	uint64_t deadline;
	bool logout_sent;
	bool unregistered;	/* an unregistered event while closing */
	int status;
};

static void step(void *arg);
static void close_start(struct cmdr *r, int status);


/* ---- small helpers ---- */

static int fail(struct cmdr *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct cmdr *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);

	return err;
}


static int diag_fail(struct cmdr *r, int err, const struct mcx_diag *diag)
{
	return fail(r, err, "%s", diag->reason[0] ? diag->reason :
		    strerror(err));
}


/* A bounded string for re_hprintf(): what does not fit is cut, and the
 * end then says "..." */
struct sbuf {
	char *p;
	size_t sz;
	size_t n;
	bool cut;
};


static int sbuf_vph(const char *p, size_t n, void *arg)
{
	struct sbuf *b = arg;
	size_t room = b->sz - 1 - b->n;

	if (n > room) {
		n = room;
		b->cut = true;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';

	return 0;
}


static void sbuf_init(struct sbuf *b, struct re_printf *pf, char *p,
		      size_t sz, bool append)
{
	b->p = p;
	b->sz = sz;
	b->n = append ? strlen(p) : 0;
	b->cut = false;
	p[b->n] = '\0';
	pf->vph = sbuf_vph;
	pf->arg = b;
}


static void sbuf_end(struct sbuf *b)
{
	size_t n = b->n;

	if (!b->cut || b->sz < 4)
		return;

	/* room for "...", not cutting a UTF-8 sequence */
	n = n > b->sz - 4 ? b->sz - 4 : n;
	while (n && ((unsigned char)b->p[n] & 0xc0) == 0x80)
		--n;
	memcpy(b->p + n, "...", 4);
	b->n = n + 3;
}


static void kick(struct cmdr *r)
{
	tmr_start(&r->kick, 0, step, r);
}


/* Decimal, no sign, at most max */
static int u64_parse(uint64_t *vp, const char *s, uint64_t max)
{
	uint64_t v = 0;

	if (!*s)
		return EINVAL;

	for (; *s; s++) {
		uint64_t d;

		if (*s < '0' || *s > '9')
			return EINVAL;
		d = (uint64_t)(*s - '0');
		if (d > max || v > (max - d) / 10)
			return ERANGE;
		v = v * 10 + d;
	}

	*vp = v;
	return 0;
}


/* Seconds with up to three decimals ("10", "0.5") to milliseconds */
static int ms_parse(uint64_t *msp, const char *s, uint64_t max_ms)
{
	char ipart[24];
	const char *dot = strchr(s, '.');
	size_t n = dot ? (size_t)(dot - s) : strlen(s);
	uint64_t sec, frac = 0;
	int err;

	if (!n || n >= sizeof(ipart))
		return EINVAL;
	memcpy(ipart, s, n);
	ipart[n] = '\0';

	err = u64_parse(&sec, ipart, max_ms / 1000);
	if (err)
		return err;

	if (dot) {
		size_t k = strlen(dot + 1);

		if (!k || k > 3)
			return EINVAL;
		err = u64_parse(&frac, dot + 1, 999);
		if (err)
			return err;
		for (; k < 3; k++)
			frac *= 10;
	}

	if (sec * 1000 + frac > max_ms)
		return ERANGE;

	*msp = sec * 1000 + frac;
	return 0;
}


/* "10 s", "0.5 s" */
static void secs_str(char *buf, size_t sz, uint64_t ms)
{
	char frac[8];
	size_t n;

	if (!(ms % 1000)) {
		(void)snprintf(buf, sz, "%llu s", (unsigned long long)(ms /
								      1000));
		return;
	}

	(void)snprintf(frac, sizeof(frac), "%03u", (unsigned)(ms % 1000));
	for (n = strlen(frac); n > 1 && frac[n - 1] == '0'; n--)
		frac[n - 1] = '\0';
	(void)snprintf(buf, sz, "%llu.%s s", (unsigned long long)(ms / 1000),
		       frac);
}


/* ---- the tokenizer ---- */

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}


static bool ctl(char c)
{
	return ((unsigned char)c < 0x20 && c != '\t') || c == 0x7f;
}


/**
 * Take the first command off a line: its words into w, *sp moved past
 * it (past its ';', or to the end of the line at a comment or the end).
 *
 * Words are separated by blanks (space, tab). Double quotes group blanks,
 * ';' and '#' into a word; inside them \" is a quote and \\ a backslash;
 * quoted and unquoted parts of one word join (a"b c"d is `ab cd`).
 * '#' at the start of a word starts a comment. An empty command (a blank
 * line, a comment, ";;") gives argc 0.
 *
 * @param w    Words (argv points into w->buf)
 * @param sp   Rest of the line, NUL-terminated, at most CMD_LINE_MAX
 * @param diag Why the line was refused
 *
 * @return 0, EBADMSG (unterminated quote, unknown escape, control
 *         character), E2BIG (more than CMD_ARGC_MAX words), EMSGSIZE
 *         (line too long) or EINVAL
 */
int cmd_split(struct cmd_words *w, const char **sp, struct mcx_diag *diag)
{
	const char *p;
	size_t k = 0;

	if (!w || !sp || !*sp)
		return EINVAL;

	p = *sp;
	w->argc = 0;
	w->argv[0] = NULL;

	if (strlen(p) > CMD_LINE_MAX)
		return mcx_diag_set(diag, EMSGSIZE, "line longer than %d "
				    "octets", CMD_LINE_MAX);

	for (;;) {
		while (blank(*p))
			++p;
		if (!*p || *p == '#') {
			p += strlen(p);
			break;
		}
		if (*p == ';') {
			++p;
			break;
		}
		if (w->argc == CMD_ARGC_MAX)
			return mcx_diag_set(diag, E2BIG, "more than %d words",
					    CMD_ARGC_MAX);

		w->argv[w->argc++] = &w->buf[k];

		while (*p && !blank(*p) && *p != ';') {
			if (ctl(*p))
				return mcx_diag_set(diag, EBADMSG, "control "
						    "character 0x%02x",
						    (unsigned char)*p);
			if (*p != '"') {
				w->buf[k++] = *p++;
				continue;
			}
			for (++p; *p && *p != '"'; p++) {
				if (ctl(*p))
					return mcx_diag_set(diag, EBADMSG,
						"control character 0x%02x",
						(unsigned char)*p);
				if (*p == '\\') {
					if (p[1] != '"' && p[1] != '\\')
						return mcx_diag_set(diag,
							EBADMSG, "backslash in "
							"quotes: a quote or a "
							"backslash must "
							"follow");
					++p;
				}
				w->buf[k++] = *p;
			}
			if (!*p)
				return mcx_diag_set(diag, EBADMSG,
						    "unterminated quote");
			++p;
		}
		w->buf[k++] = '\0';
	}

	w->argv[w->argc] = NULL;
	*sp = p;

	return 0;
}


/* ---- the table ---- */

static cmd_h cmd_help, cmd_up, cmd_op, cmd_call, cmd_callop, cmd_calls,
	cmd_status, cmd_wait, cmd_sleep, cmd_echo, cmd_quit;

static const struct cmd_def cmds[] = {
	{ .name = "help", .alias = "?", .args = "[CMD]", .max = 1,
	  .help = "the commands, or one in detail",
	  .example = "help wait", .h = cmd_help },
	{ .name = "up", .args = "",
	  .help = "login, profile, register; each awaited",
	  .more = "Each step waits up to 10 s for its events (logged-in;\n"
		  "profile; registered and authorized); an error or\n"
		  "unregistered event fails it at once.",
	  .example = "up", .h = cmd_up },
	{ .name = "login", .args = "",
	  .help = "get an access token (logged-in)",
	  .example = "login", .h = cmd_op, .op = mcxc_login },
	{ .name = "profile", .args = "",
	  .help = "fetch the user profile (profile)",
	  .example = "profile", .h = cmd_op, .op = mcxc_profile },
	{ .name = "register", .args = "",
	  .help = "REGISTER, PUBLISH (registered, authorized)",
	  .example = "register", .h = cmd_op, .op = mcxc_register },
	{ .name = "logout", .args = "",
	  .help = "unregister, forget the token (unregistered)",
	  .example = "logout", .h = cmd_op, .op = mcxc_logout },
	{ .name = "call", .args = "PEER [auto|manual] [nofloor]",
	  .min = 1, .max = 3,
	  .help = "private call; prints its number N",
	  .more = "PEER: a user of our domain (bob) or an MC ID.\n"
		  "auto (default): the callee's client answers by itself;\n"
		  "manual: the callee answers. nofloor: no floor control,\n"
		  "audio flows both ways all the time.",
	  .example = "call bob manual", .h = cmd_call },
	{ .name = "answer", .args = "[N]", .max = 1,
	  .help = "answer incoming call N (default: the one)",
	  .example = "answer 1", .h = cmd_callop, .callop = mcxc_answer },
	{ .name = "reject", .args = "[N]", .max = 1,
	  .help = "reject incoming call N",
	  .example = "reject", .h = cmd_callop, .callop = mcxc_reject },
	{ .name = "hangup", .alias = "bye", .args = "[N]", .max = 1,
	  .help = "end call N",
	  .example = "hangup 2", .h = cmd_callop, .callop = mcxc_hangup },
	{ .name = "press", .args = "[N]", .max = 1,
	  .help = "talk button down: request the floor",
	  .example = "press", .h = cmd_callop, .callop = mcxc_press },
	{ .name = "release", .args = "[N]", .max = 1,
	  .help = "talk button up: release the floor",
	  .example = "release", .h = cmd_callop, .callop = mcxc_release },
	{ .name = "calls", .args = "",
	  .help = "the calls: state, mode, floor, packets",
	  .example = "calls", .h = cmd_calls },
	{ .name = "status", .args = "",
	  .help = "who, MC ID, registered, authorized, calls",
	  .example = "status", .h = cmd_status },
	{ .name = "wait", .args = "EVENT [TEXT] [TIMEOUT_S]",
	  .min = 1, .max = 3,
	  .help = "until EVENT (with TEXT) since last wait",
	  .more = "Events count from the end of the previous wait, also\n"
		  "those that came before this command was read; a wait\n"
		  "consumes the event it matched and those before it.\n"
		  "TIMEOUT_S: seconds (0.5 works), default 10; 0 only looks\n"
		  "at what came already. A TEXT that is a number needs a\n"
		  "TIMEOUT_S after it.",
	  .example = "wait floor granted 5", .h = cmd_wait },
	{ .name = "sleep", .args = "MS", .min = 1, .max = 1,
	  .help = "pause MS milliseconds (a talk burst)",
	  .example = "sleep 2000", .h = cmd_sleep },
	{ .name = "echo", .args = "[TEXT]...", .max = CMD_ARGC_MAX - 1,
	  .help = "print TEXT (a marker in the output)",
	  .example = "echo \"bob is talking\"", .h = cmd_echo },
	{ .name = "quit", .alias = "exit", .args = "",
	  .help = "hang up, log out (2 s at most), exit",
	  .example = "quit", .h = cmd_quit },
};


/** The table, for documentation and tests */
const struct cmd_def *cmd_table(size_t *np)
{
	if (np)
		*np = ARRAY_SIZE(cmds);

	return cmds;
}


/** The row of a command name or alias; NULL if there is none */
const struct cmd_def *cmd_find(const char *name)
{
	if (!name)
		return NULL;

	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (!strcmp(name, cmds[i].name) ||
		    (cmds[i].alias && !strcmp(name, cmds[i].alias)))
			return &cmds[i];
	}

	return NULL;
}


/**
 * The candidate closest to a mistyped word: the only one it is a prefix
 * of (two letters at least), or else the first within CMD_SUGGEST_DIST
 * edits and at most half the word's length (so that "re" suggests no
 * "up"). NULL if none is close.
 */
const char *cmd_closest(const char *word, const char *const *cands,
			size_t n)
{
	const char *best = NULL, *prefix = NULL;
	unsigned bestd = CMD_SUGGEST_DIST + 1, nprefix = 0;
	size_t wl;

	if (!word || !cands)
		return NULL;

	wl = strlen(word);
	for (size_t i = 0; i < n; i++) {
		unsigned d;

		if (!cands[i])
			continue;
		if (wl >= 2 && !strncmp(cands[i], word, wl)) {
			prefix = cands[i];
			++nprefix;
		}
		d = mcx_edit_dist(word, wl, cands[i], strlen(cands[i]));
		if (d < bestd && 2 * (size_t)d <= wl) {
			best = cands[i];
			bestd = d;
		}
	}

	return nprefix == 1 ? prefix : best;
}


/** The command a typo most likely meant; NULL if none is close */
const struct cmd_def *cmd_suggest(const char *name)
{
	const char *cands[2 * ARRAY_SIZE(cmds)];
	const char *best;
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		cands[n++] = cmds[i].name;
		if (cmds[i].alias)
			cands[n++] = cmds[i].alias;
	}

	best = cmd_closest(name, cands, n);

	return best ? cmd_find(best) : NULL;
}


static const char *ev_name(enum mcxc_ev type)
{
	const char *name = mcxc_ev_name(type);

	return name ? name : "?";
}


static int ev_parse(struct cmdr *r, enum mcxc_ev *tp, const char *name)
{
	const char *cands[MCXC_EV_ERROR + 1];
	const char *near;
	struct re_printf pf;
	struct sbuf b;

	for (int t = 0; t <= MCXC_EV_ERROR; t++) {
		cands[t] = ev_name((enum mcxc_ev)t);
		if (!strcmp(name, cands[t])) {
			*tp = (enum mcxc_ev)t;
			return 0;
		}
	}

	near = cmd_closest(name, cands, ARRAY_SIZE(cands));
	if (near)
		return fail(r, EINVAL, "unknown event '%s', did you mean "
			    "'%s'?", name, near);

	sbuf_init(&b, &pf, r->reason, sizeof(r->reason), false);
	(void)re_hprintf(&pf, "unknown event %H (one of", out_text_val,
			 name);
	for (size_t t = 0; t < ARRAY_SIZE(cands); t++)
		(void)re_hprintf(&pf, " %s", cands[t]);
	(void)re_hprintf(&pf, ")");
	sbuf_end(&b);

	return EINVAL;
}


/* ---- the event queue ---- */

static void qev_destructor(void *arg)
{
	struct qev *q = arg;

	list_unlink(&q->le);
	mem_deref(q->peer);
	mem_deref(q->text);
	mem_deref(q->reason);
	mem_deref(q->warning);
}


/* A copy of at most CMD_EVSTR_MAX octets */
static int str_copy(char **dp, const char *s)
{
	size_t n;

	*dp = NULL;
	if (!s)
		return 0;

	n = strnlen(s, CMD_EVSTR_MAX);
	*dp = mem_alloc(n + 1, NULL);
	if (!*dp)
		return ENOMEM;
	memcpy(*dp, s, n);
	(*dp)[n] = '\0';

	return 0;
}


static void queue_pop(struct cmdr *r)
{
	struct le *le = list_head(&r->evq);

	if (!le)
		return;
	mem_deref(le->data);
	--r->nev;
}


static void queue_push(struct cmdr *r, const struct mcxc_event *ev)
{
	struct qev *q;

	if (r->nev >= CMD_EVQ_MAX) {
		queue_pop(r);
		++r->dropped;
	}

	q = mem_zalloc(sizeof(*q), qev_destructor);
	if (!q) {
		++r->dropped;
		return;
	}

	if (str_copy(&q->peer, ev->peer) || str_copy(&q->text, ev->text) ||
	    str_copy(&q->reason, ev->reason) ||
	    str_copy(&q->warning, ev->warning)) {
		mem_deref(q);
		++r->dropped;
		return;
	}

	q->ev = *ev;
	q->ev.peer = q->peer;
	q->ev.text = q->text;
	q->ev.reason = q->reason;
	q->ev.warning = q->warning;
	q->seq = ++r->seq;
	list_append(&r->evq, &q->le, q);
	++r->nev;
}


/* Consume the events up to and including `last` (NULL: all) */
static void queue_consume(struct cmdr *r, const struct le *last)
{
	struct le *le;

	while ((le = list_head(&r->evq)) != NULL) {
		bool end = le == last;

		queue_pop(r);
		if (end)
			break;
	}
	r->dropped = 0;
}


static bool want_match(const struct want *w, const struct mcxc_event *ev)
{
	if (ev->type != w->type)
		return false;

	return !w->text || (ev->text && !strcmp(ev->text, w->text));
}


/* The queued event at which every wanted one has arrived, or NULL; in
 * up, *badp is an error or unregistered event that came first */
static struct le *wait_match(const struct cmdr *r, const struct qev **badp)
{
	bool found[CMD_WANT_MAX] = { false };
	unsigned nfound = 0;
	struct le *le;

	*badp = NULL;
	LIST_FOREACH(&r->evq, le) {
		const struct qev *q = le->data;

		if (q->seq < r->from_seq)
			continue;

		if (r->state == CMDR_UP &&
		    (q->ev.type == MCXC_EV_ERROR ||
		     q->ev.type == MCXC_EV_UNREGISTERED)) {
			*badp = q;
			return NULL;
		}

		for (unsigned i = 0; i < r->nwant; i++) {
			if (!found[i] && want_match(&r->want[i], &q->ev)) {
				found[i] = true;
				++nfound;
				break;
			}
		}
		if (nfound == r->nwant)
			return le;
	}

	return NULL;
}


/* " (events meanwhile: 3 earlier, ringing call=1, ended ...)" */
static void meanwhile_print(struct re_printf *pf, const struct cmdr *r)
{
	unsigned n = 0, skip, i = 0;
	struct le *le;

	LIST_FOREACH(&r->evq, le) {
		const struct qev *q = le->data;

		n += q->seq >= r->from_seq;
	}

	if (!n && !r->dropped) {
		(void)re_hprintf(pf, " (no events meanwhile)");
		return;
	}

	skip = n > CMD_MEANWHILE ? n - CMD_MEANWHILE : 0;
	(void)re_hprintf(pf, " (events meanwhile: ");
	if (skip + r->dropped)
		(void)re_hprintf(pf, "%u earlier%s", skip + r->dropped,
				 n ? ", " : "");

	LIST_FOREACH(&r->evq, le) {
		const struct qev *q = le->data;

		if (q->seq < r->from_seq || i++ < skip)
			continue;
		(void)re_hprintf(pf, "%H%s", out_event_brief, &q->ev,
				 i < n ? ", " : "");
	}
	(void)re_hprintf(pf, ")");
}


/* ---- the runner: commands ---- */

/* The client's call numbers, at most CMD_CALLS_MAX */
static unsigned call_ids(const struct cmdr *r, unsigned *ids)
{
	unsigned n;

	if (!r->c)
		return 0;

	n = mcxc_call_ids(r->c, ids, CMD_CALLS_MAX);

	return n > CMD_CALLS_MAX ? CMD_CALLS_MAX : n;
}


#ifndef NDEBUG	/* asserted only */
static bool cmdr_invariants(const struct cmdr *r)
{
	if (r->nev > CMD_EVQ_MAX || r->nev != list_count(&r->evq))
		return false;

	switch (r->state) {

	case CMDR_IDLE:
		return !tmr_isrunning(&r->tmr);

	case CMDR_WAIT:
	case CMDR_UP:
		return r->nwant >= 1 && r->nwant <= CMD_WANT_MAX &&
			tmr_isrunning(&r->tmr);

	case CMDR_SLEEP:
		return tmr_isrunning(&r->tmr);

	case CMDR_CLOSING:
		return !r->want_in && !r->done_called;

	case CMDR_DONE:
		return !tmr_isrunning(&r->tmr) && !tmr_isrunning(&r->kick) &&
			r->done_called && !r->want_in;

	default:
		return false;
	}
}
#endif


static void input_want(struct cmdr *r, bool want)
{
	if (want == r->want_in)
		return;

	r->want_in = want;
	if (want && !r->src)
		out_prompt(r->out);
	if (r->inh)
		r->inh(want, r->arg);
}


/* The outcome of the command running: print it, then go on */
static void cmd_end(struct cmdr *r, int err)
{
	struct out_res res;

	tmr_cancel(&r->tmr);
	r->state = CMDR_IDLE;

	memset(&res, 0, sizeof(res));
	res.cmd = r->def ? r->def->name : r->w.argc ? r->w.argv[0] : "";
	res.text = r->text;
	res.file = r->src;
	res.line = r->lineno;
	res.err = err;
	res.reason = r->reason;
	res.call = r->res_call;
	res.ack = r->ack[0] ? r->ack : NULL;
	res.data = err ? NULL : r->data;
	res.arg = r;
	out_result(r->out, &res);

	if (err && r->src) {
		r->failed = true;
		if (!r->keep_going) {
			close_start(r, 1);
			return;
		}
	}
	if (r->quit) {
		close_start(r, 0);
		return;
	}

	kick(r);
}


/* The command as typed, words re-quoted where needed */
static void text_set(struct cmdr *r)
{
	struct re_printf pf;
	struct sbuf b;

	sbuf_init(&b, &pf, r->text, sizeof(r->text), false);
	for (unsigned i = 0; i < r->w.argc; i++)
		(void)re_hprintf(&pf, "%s%H", i ? " " : "", out_text_val,
				 r->w.argv[i]);
	sbuf_end(&b);
}


static void cmd_reset(struct cmdr *r)
{
	r->def = NULL;
	r->text[0] = '\0';
	r->reason[0] = '\0';
	r->ack[0] = '\0';
	r->res_call = 0;
	r->data = NULL;
	r->help_def = NULL;
	r->nwant = 0;
}


/* Split off the next command of the current line and run it */
static void cmd_exec(struct cmdr *r)
{
	struct mcx_diag diag;
	const struct cmd_def *d;
	unsigned argc;
	int err;

	cmd_reset(r);
	mcx_diag_clear(&diag);

	err = cmd_split(&r->w, &r->rest, &diag);
	if (err) {
		r->rest = NULL;		/* the rest of the line is lost */
		r->w.argc = 0;
		(void)fail(r, err, "%s", diag.reason);
		cmd_end(r, err);
		return;
	}
	if (!r->w.argc)
		return;

	text_set(r);
	d = cmd_find(r->w.argv[0]);
	if (!d) {
		const struct cmd_def *near = cmd_suggest(r->w.argv[0]);

		if (near)
			(void)fail(r, EINVAL, "unknown command '%s', did you "
				   "mean '%s'?", r->w.argv[0], near->name);
		else
			(void)fail(r, EINVAL, "unknown command '%s' (help "
				   "lists them)", r->w.argv[0]);
		cmd_end(r, EINVAL);
		return;
	}

	r->def = d;
	argc = r->w.argc - 1;
	if (argc < d->min || argc > d->max) {
		(void)fail(r, EINVAL, "usage: %s%s%s", d->name,
			   *d->args ? " " : "", d->args);
		cmd_end(r, EINVAL);
		return;
	}

	err = d->h(r, argc, r->w.argv + 1);
	if (err || r->state == CMDR_IDLE)
		cmd_end(r, err);
	/* else wait, sleep or up runs on; it ends with cmd_end() */
}


/* The next line of input into r->line; ENODATA when there is none yet */
static int line_next(struct cmdr *r)
{
	struct mbuf *mb = r->in;
	const uint8_t *p, *nl;
	size_t left, n, used;

	for (;;) {
		p = mbuf_buf(mb);
		left = mbuf_get_left(mb);
		nl = left ? memchr(p, '\n', left) : NULL;

		if (!r->skip)
			break;
		if (!nl) {
			mbuf_rewind(mb);
			return ENODATA;
		}
		mbuf_advance(mb, (ssize_t)(nl - p + 1));
		r->skip = false;
	}

	if (!nl && left > CMD_LINE_MAX) {
		mbuf_rewind(mb);
		++r->lineno;
		r->skip = !r->eof;
		return fail(r, EMSGSIZE, "line longer than %d octets",
			    CMD_LINE_MAX);
	}
	if (!nl && (!r->eof || !left)) {
		if (!left)
			mbuf_rewind(mb);
		return ENODATA;
	}

	n = nl ? (size_t)(nl - p) : left;
	used = n + (nl != NULL);
	++r->lineno;

	/* a UTF-8 byte order mark before the first line */
	if (r->lineno == 1 && n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) {
		p += 3;
		n -= 3;
	}
	if (n && p[n - 1] == '\r')
		--n;

	if (n > CMD_LINE_MAX) {
		mbuf_advance(mb, (ssize_t)used);
		return fail(r, EMSGSIZE, "line longer than %d octets",
			    CMD_LINE_MAX);
	}
	if (memchr(p, '\0', n)) {
		mbuf_advance(mb, (ssize_t)used);
		return fail(r, EBADMSG, "NUL octet in the line");
	}

	memcpy(r->line, p, n);
	r->line[n] = '\0';
	mbuf_advance(mb, (ssize_t)used);
	if (!mbuf_get_left(mb))
		mbuf_rewind(mb);

	return 0;
}


/* IDLE: run commands until one takes time or the input runs out */
static void pump(struct cmdr *r)
{
	while (r->state == CMDR_IDLE) {
		int err;

		if (r->rest && *r->rest) {
			cmd_exec(r);
			continue;
		}

		r->rest = NULL;
		cmd_reset(r);
		r->w.argc = 0;
		err = line_next(r);
		if (err == ENODATA) {
			if (r->eof)
				close_start(r, 0);
			else
				input_want(r, true);
			return;
		}
		input_want(r, false);
		if (err) {
			cmd_end(r, err);
			continue;
		}
		r->rest = r->line;
	}
}


/* ---- wait, sleep, up ---- */

/* The steps of up: an operation and the events that complete it */
static const struct up_step {
	const char *name;
	int (*op)(struct mcxc *c, struct mcx_diag *diag);
	enum mcxc_ev ev[CMD_WANT_MAX];
	unsigned nev;
} up_steps[] = {
	{ "login",    mcxc_login,    { MCXC_EV_LOGGED_IN },  1 },
	{ "profile",  mcxc_profile,  { MCXC_EV_PROFILE },    1 },
	{ "register", mcxc_register, { MCXC_EV_REGISTERED,
				       MCXC_EV_AUTHORIZED }, 2 },
};


/* The reason of a wait or up step that timed out; consumes the queue */
static int wait_expired(struct cmdr *r)
{
	char secs[32];
	struct re_printf pf;
	struct sbuf b;

	secs_str(secs, sizeof(secs), r->timeout_ms);
	sbuf_init(&b, &pf, r->reason, sizeof(r->reason), false);

	if (r->state == CMDR_UP) {
		(void)re_hprintf(&pf, "%s: no %s", up_steps[r->up_step].name,
				 ev_name(r->want[0].type));
		for (unsigned i = 1; i < r->nwant; i++)
			(void)re_hprintf(&pf, " and %s",
					 ev_name(r->want[i].type));
		(void)re_hprintf(&pf, " after %s", secs);
	}
	else {
		(void)re_hprintf(&pf, "timed out after %s", secs);
	}
	meanwhile_print(&pf, r);
	sbuf_end(&b);

	queue_consume(r, NULL);

	return ETIMEDOUT;
}


static void wait_timeout(void *arg)
{
	struct cmdr *r = arg;

	cmd_end(r, wait_expired(r));
}


static int up_step_start(struct cmdr *r)
{
	const struct up_step *st = &up_steps[r->up_step];
	struct mcx_diag diag;
	int err;

	mcx_diag_clear(&diag);

	/* before the operation: it may report at once */
	r->from_seq = r->seq + 1;
	r->nwant = st->nev;
	for (unsigned i = 0; i < st->nev; i++) {
		r->want[i].type = st->ev[i];
		r->want[i].text = NULL;
	}
	r->timeout_ms = CMD_WAIT_MS;

	err = st->op(r->c, &diag);
	if (err)
		return fail(r, err, "%s: %s", st->name, diag.reason[0] ?
			    diag.reason : strerror(err));

	r->state = CMDR_UP;
	tmr_start(&r->tmr, r->timeout_ms, wait_timeout, r);
	kick(r);

	return 0;
}


/* WAIT, UP: have the events wanted arrived? */
static void wait_check(struct cmdr *r)
{
	const struct qev *bad;
	struct le *last = wait_match(r, &bad);
	int err;

	if (bad) {
		struct re_printf pf;
		struct sbuf b;

		sbuf_init(&b, &pf, r->reason, sizeof(r->reason), false);
		(void)re_hprintf(&pf, "%s: %H", up_steps[r->up_step].name,
				 out_event_brief, &bad->ev);
		sbuf_end(&b);
		queue_consume(r, &bad->le);
		cmd_end(r, EPROTO);
		return;
	}
	if (!last)
		return;

	queue_consume(r, last);

	if (r->state == CMDR_UP && r->up_step + 1 < ARRAY_SIZE(up_steps)) {
		tmr_cancel(&r->tmr);
		r->state = CMDR_IDLE;
		++r->up_step;
		err = up_step_start(r);
		if (err)
			cmd_end(r, err);
		return;
	}

	cmd_end(r, 0);
}


static void sleep_done(void *arg)
{
	cmd_end(arg, 0);
}


/* ---- the runner: closing ---- */

static void close_done(struct cmdr *r)
{
	tmr_cancel(&r->tmr);
	tmr_cancel(&r->kick);
	r->state = CMDR_DONE;
	r->done_called = true;
	assert(cmdr_invariants(r));

	if (r->doneh)
		r->doneh(r->status, r->arg);
}


static void close_tick(void *arg)
{
	kick(arg);
}


static void close_poll(struct cmdr *r)
{
	unsigned ids[CMD_CALLS_MAX];
	struct mcx_diag diag;
	unsigned n;

	if (!r->c || tmr_jiffies() >= r->deadline) {
		close_done(r);
		return;
	}

	n = call_ids(r, ids);
	if (!n && !r->logout_sent) {
		r->logout_sent = true;
		if (!mcxc_registered(r->c)) {
			close_done(r);
			return;
		}
		mcx_diag_clear(&diag);
		if (mcxc_logout(r->c, &diag)) {
			close_done(r);
			return;
		}
	}
	if (!n && (r->unregistered || !mcxc_registered(r->c))) {
		close_done(r);
		return;
	}

	tmr_start(&r->tmr, CMD_CLOSE_POLL_MS, close_tick, r);
}


static void close_start(struct cmdr *r, int status)
{
	unsigned ids[CMD_CALLS_MAX], n;
	struct mcx_diag diag;

	if (r->state == CMDR_CLOSING || r->state == CMDR_DONE)
		return;

	tmr_cancel(&r->tmr);
	input_want(r, false);
	r->status = status || r->failed ? 1 : 0;
	r->state = CMDR_CLOSING;
	r->deadline = tmr_jiffies() + CMD_CLOSE_MS;

	n = call_ids(r, ids);
	for (unsigned i = 0; i < n; i++) {
		mcx_diag_clear(&diag);
		(void)mcxc_hangup(r->c, ids[i], &diag);
	}

	kick(r);
}


/* The kick: every step of the runner starts here, in the main loop */
static void step(void *arg)
{
	struct cmdr *r = arg;

	assert(cmdr_invariants(r));

	switch (r->state) {

	case CMDR_IDLE:
		if (r->started)
			pump(r);
		break;

	case CMDR_WAIT:
	case CMDR_UP:
		wait_check(r);
		break;

	case CMDR_CLOSING:
		tmr_cancel(&r->tmr);
		close_poll(r);
		break;

	default:
		break;
	}
	/* r may be gone: the done handler may have released it */
}


/* ---- handlers ---- */

static int help_print(struct re_printf *pf, void *arg)
{
	const struct cmdr *r = arg;
	const struct cmd_def *one = r->help_def;
	int err = 0;

	if (r->out->json) {
		err = re_hprintf(pf, ",\"commands\":[");
		for (size_t i = 0; i < ARRAY_SIZE(cmds) && !err; i++) {
			const struct cmd_def *d = &cmds[i];

			if (one && d != one)
				continue;
			err = re_hprintf(pf, "%s{\"name\":%H,\"alias\":%H,"
					 "\"args\":%H,\"help\":%H,"
					 "\"example\":%H}",
					 one || !i ? "" : ",",
					 out_json_str, d->name,
					 out_json_str, d->alias,
					 out_json_str, d->args,
					 out_json_str, d->help,
					 out_json_str, d->example);
		}
		return err ? err : re_hprintf(pf, "]");
	}

	if (one) {
		err = re_hprintf(pf, "usage: %s%s%s\n  %s\n", one->name,
				 *one->args ? " " : "", one->args, one->help);
		for (const char *m = one->more; m && *m && !err;) {
			const char *nl = strchr(m, '\n');
			size_t k = nl ? (size_t)(nl - m) : strlen(m);

			err = re_hprintf(pf, "  %b\n", m, k);
			m += k + (nl != NULL);
		}
		if (!err && one->alias)
			err = re_hprintf(pf, "  alias: %s\n", one->alias);
		if (!err)
			err = re_hprintf(pf, "  example: %s\n", one->example);
		if (!err && one->h == cmd_wait) {
			err = re_hprintf(pf, "  events:");
			for (int t = 0; t <= MCXC_EV_ERROR && !err; t++)
				err = re_hprintf(pf, " %s",
						 ev_name((enum mcxc_ev)t));
			if (!err)
				err = re_hprintf(pf, "\n");
		}
		return err;
	}

	err = re_hprintf(pf, "commands (help CMD for one):\n");
	for (size_t i = 0; i < ARRAY_SIZE(cmds) && !err; i++) {
		char syn[CMD_SYN_MAX + 1], line[CMD_SYN_MAX + CMD_HELP_MAX + 8];

		/* (libre's printf has no '*' width: the C library pads) */
		(void)snprintf(syn, sizeof(syn), "%s%s%s", cmds[i].name,
			       *cmds[i].args ? " " : "", cmds[i].args);
		(void)snprintf(line, sizeof(line), "  %-*s %s\n",
			       CMD_SYN_MAX, syn, cmds[i].help);
		err = re_hprintf(pf, "%s", line);
	}

	return err;
}


static int cmd_help(struct cmdr *r, unsigned argc, char *const argv[])
{
	if (argc) {
		r->help_def = cmd_find(argv[0]);
		if (!r->help_def) {
			const struct cmd_def *near = cmd_suggest(argv[0]);

			if (near)
				return fail(r, EINVAL, "unknown command '%s', "
					    "did you mean '%s'?", argv[0],
					    near->name);
			return fail(r, EINVAL, "unknown command '%s'",
				    argv[0]);
		}
	}

	r->data = help_print;
	return 0;
}


static int cmd_up(struct cmdr *r, unsigned argc, char *const argv[])
{
	(void)argc;
	(void)argv;

	r->up_step = 0;

	return up_step_start(r);
}


/* login, profile, register, logout */
static int cmd_op(struct cmdr *r, unsigned argc, char *const argv[])
{
	struct mcx_diag diag;
	int err;
	(void)argc;
	(void)argv;

	mcx_diag_clear(&diag);
	err = r->def->op(r->c, &diag);

	return err ? diag_fail(r, err, &diag) : 0;
}


static int cmd_call(struct cmdr *r, unsigned argc, char *const argv[])
{
	bool manual = false, floor_ctrl = true;
	struct mcx_diag diag;
	unsigned id = 0;
	int err;

	for (unsigned i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "auto"))
			manual = false;
		else if (!strcmp(argv[i], "manual"))
			manual = true;
		else if (!strcmp(argv[i], "nofloor"))
			floor_ctrl = false;
		else
			return fail(r, EINVAL, "'%s': expected auto, manual "
				    "or nofloor", argv[i]);
	}

	mcx_diag_clear(&diag);
	err = mcxc_call(r->c, argv[0], manual, floor_ctrl, &id, &diag);
	if (err)
		return diag_fail(r, err, &diag);

	r->res_call = id;
	(void)snprintf(r->ack, sizeof(r->ack), "call %u", id);

	return 0;
}


/* The call a command means: N, or else the only call there is */
static int call_pick(struct cmdr *r, unsigned argc, char *const argv[],
		     unsigned *idp)
{
	unsigned ids[CMD_CALLS_MAX], n;
	uint64_t v;

	if (argc) {
		if (u64_parse(&v, argv[0], ~0u) || !v)
			return fail(r, EINVAL, "'%s': not a call number",
				    argv[0]);
		*idp = (unsigned)v;
		return 0;
	}

	n = call_ids(r, ids);
	if (!n)
		return fail(r, ENOENT, "no call");
	if (n > 1) {
		struct re_printf pf;
		struct sbuf b;

		sbuf_init(&b, &pf, r->reason, sizeof(r->reason), false);
		(void)re_hprintf(&pf, "%u calls, say which:", n);
		for (unsigned i = 0; i < n; i++)
			(void)re_hprintf(&pf, " %u", ids[i]);
		sbuf_end(&b);
		return EINVAL;
	}

	*idp = ids[0];
	return 0;
}


/* answer, reject, hangup, press, release */
static int cmd_callop(struct cmdr *r, unsigned argc, char *const argv[])
{
	struct mcx_diag diag;
	unsigned id = 0;
	int err;

	err = call_pick(r, argc, argv, &id);
	if (err)
		return err;

	mcx_diag_clear(&diag);
	err = r->def->callop(r->c, id, &diag);
	if (err)
		return diag_fail(r, err, &diag);

	r->res_call = id;
	return 0;
}


static int calls_print(struct re_printf *pf, void *arg)
{
	const struct cmdr *r = arg;
	unsigned ids[CMD_CALLS_MAX], n, k = 0;
	struct mcxc_call_info *ci;
	int err;

	n = call_ids(r, ids);
	ci = mem_zalloc((n ? n : 1) * sizeof(*ci), NULL);
	if (!ci)
		return ENOMEM;

	for (unsigned i = 0; i < n; i++) {
		if (!mcxc_call_get(r->c, ids[i], &ci[k]))
			++k;
	}

	if (r->out->json)
		err = re_hprintf(pf, ",\"calls\":");
	else
		err = 0;
	if (!err)
		err = out_calls_print(pf, r->out->json, ci, k, mcx_now_us());

	mem_deref(ci);

	return err;
}


static int cmd_calls(struct cmdr *r, unsigned argc, char *const argv[])
{
	(void)argc;
	(void)argv;

	r->data = calls_print;
	return 0;
}


static int status_print(struct re_printf *pf, void *arg)
{
	const struct cmdr *r = arg;
	unsigned ids[CMD_CALLS_MAX];
	unsigned n = call_ids(r, ids);
	bool reg = mcxc_registered(r->c), auth = mcxc_authorized(r->c);
	const char *mc_id = mcxc_mc_id(r->c);

	if (r->out->json)
		return re_hprintf(pf, ",\"who\":%H,\"mc_id\":%H,"
				  "\"registered\":%s,\"authorized\":%s,"
				  "\"calls\":%u", out_json_str, r->out->who,
				  out_json_str, mc_id, reg ? "true" : "false",
				  auth ? "true" : "false", n);

	return re_hprintf(pf, "who=%H mc_id=%H registered=%s authorized=%s "
			  "calls=%u\n", out_text_val, r->out->who,
			  out_text_val, mc_id ? mc_id : "-", reg ? "yes" : "no",
			  auth ? "yes" : "no", n);
}


static int cmd_status(struct cmdr *r, unsigned argc, char *const argv[])
{
	(void)argc;
	(void)argv;

	r->data = status_print;
	return 0;
}


static int cmd_wait(struct cmdr *r, unsigned argc, char *const argv[])
{
	uint64_t ms = CMD_WAIT_MS;
	const char *text = NULL;
	const struct qev *bad;
	struct le *match;
	enum mcxc_ev type = MCXC_EV_ERROR;
	int err;

	err = ev_parse(r, &type, argv[0]);
	if (err)
		return err;

	/* wait EVENT TIMEOUT_S, wait EVENT TEXT, wait EVENT TEXT TIMEOUT_S:
	 * a TEXT that is a number needs the TIMEOUT_S after it */
	if (argc == 2 && ms_parse(&ms, argv[1], CMD_WAIT_MAX_MS))
		text = argv[1];
	if (argc == 3) {
		text = argv[1];
		if (ms_parse(&ms, argv[2], CMD_WAIT_MAX_MS))
			return fail(r, EINVAL, "'%s': not a timeout in "
				    "seconds (0 to %d, 3 decimals at most)",
				    argv[2], CMD_WAIT_MAX_MS / 1000);
	}

	r->want[0].type = type;
	r->want[0].text = text;	/* in r->w, kept until the next command */
	r->nwant = 1;
	r->from_seq = 0;
	r->timeout_ms = ms;

	/* what is queued first: done at once, or timed out at once */
	match = wait_match(r, &bad);
	if (match) {
		queue_consume(r, match);
		return 0;
	}
	if (!ms)
		return wait_expired(r);

	r->state = CMDR_WAIT;
	tmr_start(&r->tmr, ms, wait_timeout, r);

	return 0;
}


static int cmd_sleep(struct cmdr *r, unsigned argc, char *const argv[])
{
	uint64_t ms;
	(void)argc;

	if (u64_parse(&ms, argv[0], CMD_SLEEP_MAX_MS))
		return fail(r, EINVAL, "'%s': not a number of milliseconds "
			    "(0 to %d)", argv[0], CMD_SLEEP_MAX_MS);

	r->state = CMDR_SLEEP;
	tmr_start(&r->tmr, ms, sleep_done, r);

	return 0;
}


static int echo_print(struct re_printf *pf, void *arg)
{
	const struct cmdr *r = arg;
	char text[sizeof(r->w.buf)];
	size_t n = 0;

	/* the words fit: they came from w.buf, which holds their NULs */
	text[0] = '\0';
	for (unsigned i = 1; i < r->w.argc; i++) {
		size_t k = strlen(r->w.argv[i]);

		if (i > 1)
			text[n++] = ' ';
		memcpy(text + n, r->w.argv[i], k + 1);
		n += k;
	}

	if (r->out->json)
		return re_hprintf(pf, ",\"text\":%H", out_json_str, text);

	return re_hprintf(pf, "%s\n", text);
}


static int cmd_echo(struct cmdr *r, unsigned argc, char *const argv[])
{
	(void)argc;
	(void)argv;

	r->data = echo_print;
	return 0;
}


static int cmd_quit(struct cmdr *r, unsigned argc, char *const argv[])
{
	(void)argc;
	(void)argv;

	r->quit = true;
	return 0;
}


/* ---- the runner: its interface ---- */

static void cmdr_destructor(void *arg)
{
	struct cmdr *r = arg;

	tmr_cancel(&r->tmr);
	tmr_cancel(&r->kick);
	list_flush(&r->evq);
	mem_deref(r->in);
	mem_deref(r->src);
}


/**
 * A runner, idle until cmdr_start()
 *
 * @return 0, EINVAL or ENOMEM
 */
int cmdr_alloc(struct cmdr **rp, const struct cmdr_prm *prm)
{
	struct cmdr *r;
	int err;

	if (!rp || !prm || !prm->out)
		return EINVAL;

	r = mem_zalloc(sizeof(*r), cmdr_destructor);
	if (!r)
		return ENOMEM;

	r->state = CMDR_IDLE;
	r->out = prm->out;
	r->inh = prm->inh;
	r->doneh = prm->doneh;
	r->arg = prm->arg;
	r->keep_going = prm->keep_going;
	tmr_init(&r->tmr);
	tmr_init(&r->kick);
	list_init(&r->evq);

	r->in = mbuf_alloc(CMD_LINE_MAX);
	err = r->in ? 0 : ENOMEM;
	if (!err && prm->src)
		err = str_dup(&r->src, prm->src);
	if (err) {
		mem_deref(r);
		return err;
	}

	*rp = r;
	return 0;
}


/** Begin running commands, on this client (not a reference) */
void cmdr_start(struct cmdr *r, struct mcxc *c)
{
	if (!r || r->started)
		return;

	r->c = c;
	r->started = true;
	kick(r);
}


/**
 * More input, appended to what is not read yet
 *
 * @return 0, EINVAL, EMSGSIZE (more than CMD_INPUT_MAX unread) or ENOMEM
 */
int cmdr_input(struct cmdr *r, const char *buf, size_t len)
{
	struct mbuf *mb;
	size_t pos;
	int err;

	if (!r || (!buf && len) || r->eof)
		return EINVAL;

	mb = r->in;
	if (mbuf_get_left(mb) + len > CMD_INPUT_MAX)
		return EMSGSIZE;

	pos = mb->pos;
	mb->pos = mb->end;
	err = mbuf_write_mem(mb, (const uint8_t *)buf, len);
	mb->pos = pos;
	if (err)
		return err;

	if (!r->src)
		r->out->prompted = false;	/* the user pressed enter */
	if (r->state == CMDR_IDLE)
		kick(r);

	return 0;
}


/** No more input: what is buffered runs, then the run ends */
void cmdr_input_eof(struct cmdr *r)
{
	if (!r || r->eof)
		return;

	r->eof = true;
	if (r->out->prompted) {
		/* ^D at the prompt: end its line */
		r->out->prompted = false;
		if (r->out->fp) {
			(void)fputc('\n', r->out->fp);
			(void)fflush(r->out->fp);
		}
	}
	if (r->state == CMDR_IDLE)
		kick(r);
}


/** Stop (a signal): hang up, log out, then the done handler, status 0 */
void cmdr_stop(struct cmdr *r)
{
	if (!r)
		return;

	close_start(r, 0);
}


/**
 * The client's event handler (mcxc_event_h): print the event, queue it
 * for wait, and kick the runner if it waits. Nothing else: see cmd.h.
 */
void cmdr_event_h(const struct mcxc_event *ev, void *arg)
{
	struct cmdr *r = arg;

	if (!r || !ev)
		return;

	out_event(r->out, ev);

	switch (r->state) {

	case CMDR_DONE:
		return;

	case CMDR_CLOSING:
		if (ev->type == MCXC_EV_UNREGISTERED)
			r->unregistered = true;
		kick(r);
		return;

	default:
		break;
	}

	queue_push(r, ev);
	if (r->state == CMDR_WAIT || r->state == CMDR_UP)
		kick(r);
}


enum cmdr_state cmdr_state(const struct cmdr *r)
{
	return r ? r->state : CMDR_DONE;
}


const char *cmdr_state_name(enum cmdr_state st)
{
	switch (st) {

	case CMDR_IDLE:    return "idle";
	case CMDR_WAIT:    return "wait";
	case CMDR_SLEEP:   return "sleep";
	case CMDR_UP:      return "up";
	case CMDR_CLOSING: return "closing";
	case CMDR_DONE:    return "done";
	default:           return "?";
	}
}
