/**
 * @file test_mcxcli.c  The mcx command line: tokenizer, command table,
 *                      runner (wait, up, scripts), output, options
 *
 * The runner runs under libre's main loop against a fake client library
 * (mcxc_fake.c); its output goes to memory streams and is compared
 * whole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <re.h>
#include <mcx/client.h>
#include <mcx/conf.h>
#include <mcx/diag.h>
#include "testutil.h"
#include "mcxc_fake.h"
#include "cliconf.h"
#include "cmd.h"
#include "out.h"


/* ---- a runner on the fake, output in memory ---- */

struct h {
	struct out out;
	char *obuf, *ebuf;
	size_t olen, elen;
	struct cmdr *r;
	struct mcxc *c;
	bool done;
	int status;
	struct tmr stop;
	struct tmr type;
	bool typing;		/* input typed at the prompt (typist) */
	unsigned typed;
};


static void done_h(int status, void *arg)
{
	struct h *h = arg;

	h->done = true;
	h->status = status;
}


static int done_cond(void *arg)
{
	return ((struct h *)arg)->done;
}


static void typist_h(bool want, void *arg);


/* src NULL: interactive, with a prompt; keep: -k */
static void h_init_k(struct h *h, const char *src, bool json, bool keep)
{
	struct cmdr_prm prm;
	struct mcxc_conf mc;

	fake_reset();
	memset(h, 0, sizeof(*h));
	tmr_init(&h->stop);
	tmr_init(&h->type);

	h->out.fp = open_memstream(&h->obuf, &h->olen);
	h->out.efp = open_memstream(&h->ebuf, &h->elen);
	assert_non_null(h->out.fp);
	assert_non_null(h->out.efp);
	h->out.who = "alice";
	h->out.json = json;
	h->out.prompt = src ? NULL : "mcx(alice)> ";

	memset(&prm, 0, sizeof(prm));
	prm.out = &h->out;
	prm.src = src;
	prm.inh = typist_h;
	prm.doneh = done_h;
	prm.arg = h;
	prm.keep_going = keep;
	assert_int_equal(0, cmdr_alloc(&h->r, &prm));

	memset(&mc, 0, sizeof(mc));
	assert_int_equal(0, mcxc_alloc(&h->c, &mc, cmdr_event_h, h->r,
				       NULL));
}


static void h_init(struct h *h, const char *src, bool json)
{
	h_init_k(h, src, json, false);
}


static void h_run(struct h *h, const char *input, unsigned timeout_ms)
{
	if (!h->typing) {
		assert_int_equal(0, cmdr_input(h->r, input, strlen(input)));
		cmdr_input_eof(h->r);
	}
	cmdr_start(h->r, h->c);

	assert_true(tu_re_wait(done_cond, h, timeout_ms));
	assert_int_equal(CMDR_DONE, cmdr_state(h->r));
	(void)fflush(h->out.fp);
	(void)fflush(h->out.efp);
}


static void h_close(struct h *h)
{
	tmr_cancel(&h->stop);
	tmr_cancel(&h->type);
	h->c = mem_deref(h->c);
	h->r = mem_deref(h->r);
	(void)fclose(h->out.fp);
	(void)fclose(h->out.efp);
	free(h->obuf);
	free(h->ebuf);
}


/* ---- the tokenizer ---- */

static void split_one(const char *line, unsigned argc, const char *words[],
		      const char *rest)
{
	struct cmd_words w;
	struct mcx_diag diag;
	const char *p = line;

	mcx_diag_clear(&diag);
	assert_int_equal(0, cmd_split(&w, &p, &diag));
	assert_int_equal(argc, w.argc);
	for (unsigned i = 0; i < argc; i++)
		assert_string_equal(words[i], w.argv[i]);
	assert_null(w.argv[argc]);
	assert_string_equal(rest, p);
}


static void split_bad(const char *line, int err, const char *reason)
{
	struct cmd_words w;
	struct mcx_diag diag;
	const char *p = line;

	mcx_diag_clear(&diag);
	assert_int_equal(err, cmd_split(&w, &p, &diag));
	assert_string_equal(reason, diag.reason);
}


static void tokenize(void **state)
{
	char longline[CMD_LINE_MAX + 2];
	(void)state;

	split_one("call bob manual",
		  3, (const char *[]){ "call", "bob", "manual" }, "");
	split_one("  \tcall\t bob  ", 2, (const char *[]){ "call", "bob" },
		  "");
	split_one("echo \"a b\"  c",
		  3, (const char *[]){ "echo", "a b", "c" }, "");
	split_one("echo x\"a b\"y", 2, (const char *[]){ "echo", "xa by" },
		  "");
	split_one("echo \"q\\\"uote\" \"back\\\\slash\"",
		  3, (const char *[]){ "echo", "q\"uote", "back\\slash" },
		  "");
	split_one("echo \"\"", 2, (const char *[]){ "echo", "" }, "");

	/* '#' at the start of a word: a comment; inside a word: a letter */
	split_one("wait floor granted 5 # after press",
		  4, (const char *[]){ "wait", "floor", "granted", "5" }, "");
	split_one("echo a#b", 2, (const char *[]){ "echo", "a#b" }, "");
	split_one("echo \"# not a comment\"",
		  2, (const char *[]){ "echo", "# not a comment" }, "");
	split_one("# all comment", 0, NULL, "");
	split_one("", 0, NULL, "");

	/* ';' separates commands, but not inside quotes */
	split_one("login; profile ;register",
		  1, (const char *[]){ "login" }, " profile ;register");
	split_one(" profile ;register",
		  1, (const char *[]){ "profile" }, "register");
	split_one("echo \"a;b\"; quit",
		  2, (const char *[]){ "echo", "a;b" }, " quit");
	split_one("echo a;b", 2, (const char *[]){ "echo", "a" }, "b");
	split_one(";;", 0, NULL, ";");
	split_one("sleep 1 # x; not a command",
		  2, (const char *[]){ "sleep", "1" }, "");

	split_bad("echo \"abc", EBADMSG, "unterminated quote");
	split_bad("echo \"a\\nb\"", EBADMSG,
		  "backslash in quotes: a quote or a backslash must follow");
	split_bad("echo a\x01", EBADMSG, "control character 0x01");
	split_bad("echo \"\x1b[A\"", EBADMSG, "control character 0x1b");
	split_bad("a b c d e f g h i j k l m n o p q", E2BIG,
		  "more than 16 words");

	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	split_bad(longline, EMSGSIZE, "line longer than 4096 octets");
}


/* ---- the table ---- */

static void table(void **state)
{
	const struct cmd_def *t;
	size_t n;
	(void)state;

	t = cmd_table(&n);
	assert_true(n >= 18);

	for (size_t i = 0; i < n; i++) {
		const struct cmd_def *d = &t[i];
		struct cmd_words w;
		const char *p = d->example;

		assert_non_null(d->name);
		assert_non_null(d->args);
		assert_non_null(d->help);
		assert_non_null(d->h);
		assert_true(d->min <= d->max);
		assert_true(d->max < CMD_ARGC_MAX);
		assert_ptr_equal(d, cmd_find(d->name));
		if (d->alias)
			assert_ptr_equal(d, cmd_find(d->alias));
		/* synopsis and help fit on help's 80 columns */
		assert_true(strlen(d->name) + 1 + strlen(d->args) <=
			    CMD_SYN_MAX);
		assert_true(strlen(d->help) <= CMD_HELP_MAX);

		/* the example is a valid call of the command */
		assert_non_null(d->example);
		assert_int_equal(0, cmd_split(&w, &p, NULL));
		assert_ptr_equal(d, cmd_find(w.argv[0]));
		assert_true(w.argc - 1 >= d->min && w.argc - 1 <= d->max);

		for (size_t j = 0; j < i; j++) {
			assert_string_not_equal(d->name, t[j].name);
			if (d->alias && t[j].alias)
				assert_string_not_equal(d->alias,
							t[j].alias);
		}
	}

	assert_string_equal("quit", cmd_find("exit")->name);
	assert_string_equal("help", cmd_find("?")->name);
	assert_string_equal("hangup", cmd_find("bye")->name);
	assert_null(cmd_find("Call"));
	assert_null(cmd_find(""));
}


static void suggest(void **state)
{
	(void)state;

	assert_string_equal("call", cmd_suggest("cll")->name);
	assert_string_equal("call", cmd_suggest("cal")->name);
	assert_string_equal("hangup", cmd_suggest("hangpu")->name);
	assert_string_equal("wait", cmd_suggest("wiat")->name);
	assert_string_equal("login", cmd_suggest("lgoin")->name);
	assert_string_equal("register", cmd_suggest("regis")->name);
	assert_string_equal("quit", cmd_suggest("exti")->name);
	assert_null(cmd_suggest("re"));		/* three prefixes, no */
	assert_null(cmd_suggest("x"));
	assert_null(cmd_suggest("xyzzy"));
	assert_null(cmd_suggest(""));
}


/* ---- the runner ---- */

static void unknown_command(void **state)
{
	struct h h;
	(void)state;

	h_init(&h, "t.mcx", false);
	h_run(&h, "cll bob\necho never\n", 2000);

	assert_int_equal(1, h.status);
	assert_string_equal("t.mcx:1: cll bob: unknown command 'cll', did "
			    "you mean 'call'?\n", h.ebuf);
	assert_string_equal("", h.obuf);
	assert_string_equal("", fake_log());
	h_close(&h);

	h_init(&h, "t.mcx", false);
	h_run(&h, "frobnicate\n", 2000);
	assert_string_equal("t.mcx:1: frobnicate: unknown command "
			    "'frobnicate' (help lists them)\n", h.ebuf);
	h_close(&h);
}


static void usage_lines(void **state)
{
	struct h h;
	(void)state;

	h_init(&h, "t.mcx", false);
	h_run(&h, "call\n", 2000);
	assert_int_equal(1, h.status);
	assert_string_equal("t.mcx:1: call: usage: call PEER "
			    "[auto|manual] [nofloor]\n", h.ebuf);
	h_close(&h);

	h_init(&h, "t.mcx", false);
	h_run(&h, "sleep 1 2\n", 2000);
	assert_string_equal("t.mcx:1: sleep 1 2: usage: sleep MS\n", h.ebuf);
	h_close(&h);

	h_init(&h, "t.mcx", false);
	h_run(&h, "login now\n", 2000);
	assert_string_equal("t.mcx:1: login now: usage: login\n", h.ebuf);
	h_close(&h);

	/* arguments the handler refuses */
	h_init(&h, "t.mcx", false);
	h_run(&h, "call bob later\n", 2000);
	assert_string_equal("t.mcx:1: call bob later: 'later': expected "
			    "auto, manual or nofloor\n", h.ebuf);
	h_close(&h);

	h_init(&h, "t.mcx", false);
	h_run(&h, "sleep soon\n", 2000);
	assert_string_equal("t.mcx:1: sleep soon: 'soon': not a number of "
			    "milliseconds (0 to 3600000)\n", h.ebuf);
	h_close(&h);

	h_init(&h, "t.mcx", false);
	h_run(&h, "wait floor granted 1.2345\n", 2000);
	assert_string_equal("t.mcx:1: wait floor granted 1.2345: '1.2345': "
			    "not a timeout in seconds (0 to 3600, 3 decimals "
			    "at most)\n", h.ebuf);
	h_close(&h);
}


static void wait_type(void **state)
{
	struct h h;
	(void)state;

	h_init(&h, "t.mcx", false);
	fake_auto(true);
	h_run(&h, "login\nwait logged-in 1\necho done\n", 2000);

	assert_int_equal(0, h.status);
	assert_string_equal("", h.ebuf);
	assert_string_equal("2026-11-25T09:14:03.126Z alice logged-in\n"
			    "done\n", h.obuf);
	assert_string_equal("login;", fake_log());	/* no logout: not
							   registered */
	h_close(&h);
}


/* Events that arrive before a wait is read count, and a wait consumes
 * only up to the event it matched */
static void wait_queued_before(void **state)
{
	struct h h;
	(void)state;

	h_init(&h, "t.mcx", false);
	fake_auto(true);
	h_run(&h, "up\ncall bob\nsleep 30\nwait ringing 0\n"
		  "wait connected 0\ncalls\n", 3000);

	assert_int_equal(0, h.status);
	assert_string_equal("", h.ebuf);
	assert_non_null(strstr(h.obuf, "alice ringing call=1 "
			       "peer=bob\n"));
	assert_non_null(strstr(h.obuf, "alice connected call=1 "
			       "peer=bob\n"));
	assert_non_null(strstr(h.obuf, "call 1\n"));
	assert_non_null(strstr(h.obuf, "   1 out connected  auto"));

	/* the end: the call hung up, then logged out */
	assert_string_equal("login;profile;register;call bob auto floor;"
			    "hangup 1;logout;", fake_log());
	assert_non_null(strstr(h.obuf, "alice ended call=1 peer=bob\n"));
	assert_non_null(strstr(h.obuf, "alice unregistered\n"));
	h_close(&h);
}


static void wait_text(void **state)
{
	struct h h;
	(void)state;

	/* granted, then idle, both queued: "idle" skips "granted" and
	 * consumes it, so a wait for granted then finds nothing */
	h_init(&h, "t.mcx", false);
	fake_auto(true);
	h_run(&h, "call bob; sleep 20; press; release; sleep 20\n"
		  "wait floor idle 0\n"
		  "wait floor granted 0\n", 3000);

	assert_int_equal(1, h.status);
	assert_string_equal("t.mcx:3: wait floor granted 0: timed out "
			    "after 0 s (no events meanwhile)\n", h.ebuf);
	h_close(&h);

	/* a wait whose event comes later, while it waits */
	h_init(&h, "t.mcx", false);
	fake_auto(true);
	h_run(&h, "call bob manual nofloor\npress 1\n"
		  "wait floor granted 2\n", 3000);
	assert_int_equal(0, h.status);
	assert_string_equal("", h.ebuf);
	assert_string_equal("call bob manual nofloor;press 1;hangup 1;",
			    fake_log());
	h_close(&h);
}


static void wait_timeout_message(void **state)
{
	struct mcxc_event ev;
	struct h h;
	(void)state;

	h_init(&h, "script.mcx", false);
	(void)fake_add_call("sip:bob@a.mcx.test", true, "calling");

	/* before the script starts: these are queued */
	memset(&ev, 0, sizeof(ev));
	ev.type = MCXC_EV_FLOOR;
	ev.call = 1;
	ev.text = "idle";
	fake_emit_full(&ev);
	ev.type = MCXC_EV_ENDED;
	ev.text = NULL;
	ev.peer = "sip:bob@a.mcx.test";
	ev.scode = 480;
	ev.reason = "Temporarily Unavailable";
	fake_emit_full(&ev);

	h_run(&h, "# waits in vain\nwait connected 0.05\n", 2000);

	assert_int_equal(1, h.status);
	assert_string_equal("script.mcx:2: wait connected 0.05: timed out "
			    "after 0.05 s (events meanwhile: floor call=1 "
			    "text=idle, ended call=1 peer=sip:bob@a.mcx.test "
			    "scode=480 reason=\"Temporarily Unavailable\")\n",
			    h.ebuf);
	h_close(&h);

	/* more than CMD_MEANWHILE events: the last ones, and a count */
	h_init(&h, "t.mcx", false);
	for (unsigned i = 0; i < CMD_MEANWHILE + 3; i++)
		fake_emit(MCXC_EV_MEDIA, 0, NULL);
	h_run(&h, "wait connected 0\n", 2000);
	assert_non_null(strstr(h.ebuf, "(events meanwhile: 3 earlier, "
			       "media, media,"));
	h_close(&h);

	/* an unknown event: the nearest name */
	h_init(&h, "t.mcx", false);
	h_run(&h, "wait conected\n", 2000);
	assert_string_equal("t.mcx:1: wait conected: unknown event "
			    "'conected', did you mean 'connected'?\n",
			    h.ebuf);
	h_close(&h);

	h_init(&h, "t.mcx", false);
	h_run(&h, "wait nothing\n", 2000);
	assert_string_equal("t.mcx:1: wait nothing: unknown event nothing "
			    "(one of logged-in profile registered authorized "
			    "unregistered incoming ringing connected floor "
			    "media ended error)\n", h.ebuf);
	h_close(&h);
}


/* The first failure stops a script; file and line name it */
static void script_failure(void **state)
{
	struct h h;
	(void)state;

	h_init(&h, "call.mcx", false);
	fake_auto(true);
	h_run(&h, "# alice calls\r\n"
		  "login   # first\n"
		  "\n"
		  "echo \"step two\"; hangup\n"
		  "echo never\n", 2000);

	assert_int_equal(1, h.status);
	assert_string_equal("call.mcx:4: hangup: no call\n", h.ebuf);
	assert_null(strstr(h.obuf, "never"));
	assert_non_null(strstr(h.obuf, "step two\n"));
	assert_string_equal("login;", fake_log());
	h_close(&h);

	/* a line that does not parse */
	h_init(&h, "t.mcx", false);
	h_run(&h, "echo one\necho \"two\n", 2000);
	assert_string_equal("t.mcx:2: unterminated quote\n", h.ebuf);
	h_close(&h);

	/* -e: commands separated by ';' */
	h_init(&h, "-e", false);
	h_run(&h, "echo a; echo b;cll", 2000);
	assert_int_equal(1, h.status);
	assert_string_equal("a\nb\n", h.obuf);
	assert_string_equal("-e:1: cll: unknown command 'cll', did you mean "
			    "'call'?\n", h.ebuf);
	h_close(&h);

	/* a failing operation: the library's reason */
	h_init(&h, "t.mcx", false);
	fake_fail("login", EACCES, "401 Unauthorized: bad password");
	h_run(&h, "login\n", 2000);
	assert_string_equal("t.mcx:1: login: 401 Unauthorized: bad "
			    "password\n", h.ebuf);
	h_close(&h);

	/* -k: every command runs, the failures are reported, status 1 */
	h_init_k(&h, "t.mcx", false, true);
	h_run(&h, "echo one\nhangup\necho two\ncll\necho three\n", 2000);
	assert_int_equal(1, h.status);
	assert_string_equal("one\ntwo\nthree\n", h.obuf);
	assert_string_equal("t.mcx:2: hangup: no call\n"
			    "t.mcx:4: cll: unknown command 'cll', did you mean "
			    "'call'?\n", h.ebuf);
	h_close(&h);

	/* -k with nothing failing: status 0 */
	h_init_k(&h, "t.mcx", false, true);
	h_run(&h, "echo one\n", 2000);
	assert_int_equal(0, h.status);
	h_close(&h);

	/* quit ends a script with success */
	h_init(&h, "t.mcx", false);
	h_run(&h, "echo one\nquit\necho never\n", 2000);
	assert_int_equal(0, h.status);
	assert_string_equal("one\n", h.obuf);
	h_close(&h);
}


static void line_limits(void **state)
{
	char *big;
	struct h h;
	(void)state;

	big = malloc(CMD_LINE_MAX + 32);
	assert_non_null(big);
	memset(big, 'x', CMD_LINE_MAX + 10);
	memcpy(big + CMD_LINE_MAX + 10, "\necho ok\n", 10);

	h_init(&h, NULL, false);
	h_run(&h, big, 2000);
	assert_int_equal(0, h.status);
	assert_string_equal("mcx: line longer than 4096 octets\n", h.ebuf);
	assert_non_null(strstr(h.obuf, "ok\n"));
	h_close(&h);
	free(big);

	h_init(&h, "t.mcx", false);
	assert_int_equal(0, cmdr_input(h.r, "echo a\0b\n", 9));
	h_run(&h, "", 2000);
	assert_string_equal("t.mcx:1: NUL octet in the line\n", h.ebuf);
	h_close(&h);
}


static void up(void **state)
{
	struct h h;
	(void)state;

	h_init(&h, "t.mcx", false);
	fake_auto(true);
	h_run(&h, "up\nstatus\n", 2000);
	assert_int_equal(0, h.status);
	assert_string_equal("", h.ebuf);
	assert_non_null(strstr(h.obuf, "who=alice "
			       "mc_id=sip:alice@a.mcx.test registered=yes "
			       "authorized=yes calls=0\n"));
	assert_string_equal("login;profile;register;logout;", fake_log());
	h_close(&h);

	/* an operation refused at once */
	h_init(&h, "t.mcx", false);
	fake_auto(true);
	fake_fail("profile", ENOENT, "404 no profile for alice");
	h_run(&h, "up\n", 2000);
	assert_int_equal(1, h.status);
	assert_string_equal("t.mcx:1: up: profile: 404 no profile for "
			    "alice\n", h.ebuf);
	h_close(&h);

	/* an error event stops it at once, not after 10 s */
	h_init(&h, "t.mcx", false);
	fake_auto(true);
	fake_fail_later("register", "403 Forbidden");
	h_run(&h, "up\n", 2000);
	assert_int_equal(1, h.status);
	assert_string_equal("t.mcx:1: up: register: error "
			    "reason=\"403 Forbidden\"\n", h.ebuf);
	assert_string_equal("login;profile;register;", fake_log());
	h_close(&h);
}


static void json_results(void **state)
{
	struct h h;
	(void)state;

	h_init(&h, "t.mcx", true);
	h_run(&h, "call bob\necho \"say \\\"hi\\\"\"\nhangup 9\n", 2000);

	/* the end hangs call 1 up: ended comes from inside mcxc_hangup */
	assert_int_equal(1, h.status);
	assert_string_equal("", h.ebuf);
	assert_string_equal("call bob auto floor;hangup 9;hangup 1;",
			    fake_log());
	assert_string_equal("{\"cmd\":\"call\",\"ok\":true,\"call\":1}\n"
			    "{\"cmd\":\"echo\",\"ok\":true,"
			    "\"text\":\"say \\\"hi\\\"\"}\n"
			    "{\"cmd\":\"hangup\",\"ok\":false,"
			    "\"error\":\"no call 9\",\"file\":\"t.mcx\","
			    "\"line\":3}\n"
			    "{\"t\":\"2026-11-25T09:14:03.126Z\","
			    "\"who\":\"alice\",\"event\":\"ended\","
			    "\"call\":1,\"peer\":\"bob\"}\n", h.obuf);
	h_close(&h);

	/* events as JSON */
	h_init(&h, "t.mcx", true);
	fake_auto(true);
	h_run(&h, "login; wait logged-in\n", 2000);
	assert_string_equal("{\"cmd\":\"login\",\"ok\":true}\n"
			    "{\"t\":\"2026-11-25T09:14:03.126Z\","
			    "\"who\":\"alice\",\"event\":\"logged-in\"}\n"
			    "{\"cmd\":\"wait\",\"ok\":true}\n", h.obuf);
	h_close(&h);

	/* calls and help in JSON */
	h_init(&h, "t.mcx", true);
	h_run(&h, "calls\nhelp sleep\n", 2000);
	assert_string_equal("{\"cmd\":\"calls\",\"ok\":true,\"calls\":[]}\n"
			    "{\"cmd\":\"help\",\"ok\":true,\"commands\":["
			    "{\"name\":\"sleep\",\"alias\":null,"
			    "\"args\":\"MS\",\"help\":\"pause MS "
			    "milliseconds (a talk burst)\","
			    "\"example\":\"sleep 2000\"}]}\n", h.obuf);
	h_close(&h);
}


/* A user at the prompt: each line typed after the prompt showed */
static void typist(void *arg)
{
	struct h *h = arg;

	switch (h->typed++) {

	case 0:
		assert_int_equal(0, cmdr_input(h->r, "hangup\n", 7));
		break;

	case 1:
		/* an event while the prompt shows: it goes on a line of its
		 * own, and the prompt comes again */
		fake_emit(MCXC_EV_FLOOR, 0, "idle");
		assert_int_equal(0, cmdr_input(h->r, "echo still here\n", 16));
		break;

	default:
		cmdr_input_eof(h->r);
		break;
	}
}


static void typist_h(bool want, void *arg)
{
	struct h *h = arg;

	if (want && h->typing)
		tmr_start(&h->type, 1, typist, h);
}


static void interactive(void **state)
{
	struct h h;
	(void)state;

	/* a failure is printed and the next command runs */
	h_init(&h, NULL, false);
	h.typing = true;
	h_run(&h, "", 2000);
	assert_int_equal(0, h.status);
	assert_int_equal(3, h.typed);
	assert_string_equal("mcx: hangup: no call\n", h.ebuf);
	assert_string_equal("mcx(alice)> "
			    "mcx(alice)> \n"
			    "2026-11-25T09:14:03.126Z alice floor text=idle\n"
			    "mcx(alice)> still here\n"
			    "mcx(alice)> \n", h.obuf);
	h_close(&h);

	/* help CMD */
	h_init(&h, NULL, false);
	h_run(&h, "help wait\n", 2000);
	assert_string_equal(
		"usage: wait EVENT [TEXT] [TIMEOUT_S]\n"
		"  until EVENT (with TEXT) since last wait\n"
		"  Events count from the end of the previous wait, also\n"
		"  those that came before this command was read; a wait\n"
		"  consumes the event it matched and those before it.\n"
		"  TIMEOUT_S: seconds (0.5 works), default 10; 0 only looks\n"
		"  at what came already. A TEXT that is a number needs a\n"
		"  TIMEOUT_S after it.\n"
		"  example: wait floor granted 5\n"
		"  events: logged-in profile registered authorized "
		"unregistered incoming ringing connected floor media ended "
		"error\n", h.obuf);
	h_close(&h);

	h_init(&h, NULL, false);
	h_run(&h, "help\n", 2000);
	assert_non_null(strstr(h.obuf, "commands (help CMD for one):\n"
			       "  help [CMD]  "));
	assert_non_null(strstr(h.obuf, "\n  call PEER [auto|manual] "
			       "[nofloor]  private call; prints its number "
			       "N\n"));
	h_close(&h);

	/* two calls: say which */
	h_init(&h, NULL, false);
	(void)fake_add_call("bob", true, "connected");
	(void)fake_add_call("carol", false, "incoming");
	h_run(&h, "answer\nanswer 2\n", 2000);
	assert_string_equal("mcx: answer: 2 calls, say which: 1 2\n",
			    h.ebuf);
	assert_string_equal("answer 2;hangup 1;hangup 2;", fake_log());
	h_close(&h);
}


static void stop_now(void *arg)
{
	cmdr_stop(((struct h *)arg)->r);
}


/* A signal during a wait: hang up, log out, status 0 */
static void stop(void **state)
{
	struct h h;
	(void)state;

	h_init(&h, "t.mcx", false);
	fake_auto(true);
	tmr_start(&h.stop, 100, stop_now, &h);
	h_run(&h, "up\ncall bob\nwait incoming 5\necho never\n", 2000);
	assert_int_equal(0, h.status);
	assert_null(strstr(h.obuf, "never"));
	assert_string_equal("login;profile;register;call bob auto floor;"
			    "hangup 1;logout;", fake_log());
	h_close(&h);
}


/* Calls that do not end: the end gives up after CMD_CLOSE_MS */
static void close_bounded(void **state)
{
	uint64_t t0;
	struct h h;
	(void)state;

	h_init(&h, "t.mcx", false);
	fake_hold(true);
	t0 = tmr_jiffies();
	h_run(&h, "call bob\n", CMD_CLOSE_MS + 1000);
	assert_int_equal(0, h.status);
	assert_true(tmr_jiffies() - t0 >= CMD_CLOSE_MS);
	assert_string_equal("call bob auto floor;hangup 1;", fake_log());
	h_close(&h);
}


/* ---- output ---- */

static void json(const char *in, const char *want)
{
	char buf[256];

	assert_true(re_snprintf(buf, sizeof(buf), "%H", out_json_str, in) >=
		    0);
	assert_string_equal(want, buf);
}


static void json_escape(void **state)
{
	(void)state;

	json("plain", "\"plain\"");
	json("", "\"\"");
	json(NULL, "null");
	json("a \"quote\" and a \\", "\"a \\\"quote\\\" and a \\\\\"");
	json("tab\tnl\ncr\rbs\bff\f", "\"tab\\tnl\\ncr\\rbs\\bff\\f\"");
	json("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	json("/<>'", "\"/<>'\"");

	/* UTF-8 passes through: 2, 3 and 4 octets */
	json("Gr\xc3\xbc\xc3\x9f" "e", "\"Gr\xc3\xbc\xc3\x9f" "e\"");
	json("\xe2\x82\xac 5", "\"\xe2\x82\xac 5\"");
	json("\xf0\x9f\x93\xbb", "\"\xf0\x9f\x93\xbb\"");

	/* invalid UTF-8: each bad octet is U+FFFD */
	json("a\xff" "b", "\"a\\ufffdb\"");
	json("\xc3", "\"\\ufffd\"");			/* cut short  */
	json("\xc3(", "\"\\ufffd(\"");			/* no cont.   */
	json("\xc0\xaf", "\"\\ufffd\\ufffd\"");		/* overlong   */
	json("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");  /* surrogate */
	json("\xf4\x90\x80\x80",			/* > U+10FFFF */
	     "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	json("\x80", "\"\\ufffd\"");			/* lone cont. */
}


static void text(const char *in, const char *want)
{
	char buf[256];

	assert_true(re_snprintf(buf, sizeof(buf), "%H", out_text_val, in) >=
		    0);
	assert_string_equal(want, buf);
}


static void text_values(void **state)
{
	(void)state;

	text("granted", "granted");
	text("sip:bob@a.mcx.test", "sip:bob@a.mcx.test");
	text("a=b", "a=b");
	text("", "\"\"");
	text(NULL, "\"\"");
	text("Not Found", "\"Not Found\"");
	text("say \"hi\"", "\"say \\\"hi\\\"\"");
	text("back\\slash", "\"back\\\\slash\"");
	text("a#b", "\"a#b\"");
	text("a;b", "\"a;b\"");
	text("l1\nl2\t\x01", "\"l1\\nl2\\t\\x01\"");
	text("Gr\xc3\xbc\xc3\x9f" "e", "Gr\xc3\xbc\xc3\x9f" "e");
}


struct evp {
	const struct out *o;
	const struct mcxc_event *ev;
};


static int evp_print(struct re_printf *pf, void *arg)
{
	const struct evp *e = arg;

	return out_event_print(pf, e->o, e->ev);
}


static void event_line(bool json_mode, const struct mcxc_event *ev,
		       const char *want)
{
	struct out o;
	struct evp e = { &o, ev };
	char buf[1024];

	memset(&o, 0, sizeof(o));
	o.who = "alice";
	o.json = json_mode;
	assert_true(re_snprintf(buf, sizeof(buf), "%H", evp_print, &e) > 0);
	assert_string_equal(want, buf);
}


static void event_lines(void **state)
{
	struct mcxc_event ev;
	(void)state;

	memset(&ev, 0, sizeof(ev));
	ev.type = MCXC_EV_CONNECTED;
	ev.t_us = FAKE_T0_US;
	ev.call = 1;
	ev.peer = "sip:bob@a.mcx.test";
	event_line(false, &ev, "2026-11-25T09:14:03.125Z alice connected "
		   "call=1 peer=sip:bob@a.mcx.test");
	event_line(true, &ev, "{\"t\":\"2026-11-25T09:14:03.125Z\","
		   "\"who\":\"alice\",\"event\":\"connected\",\"call\":1,"
		   "\"peer\":\"sip:bob@a.mcx.test\"}");

	/* every field; empty strings and zeros are not printed */
	ev.type = MCXC_EV_ENDED;
	ev.text = "";
	ev.scode = 480;
	ev.reason = "Temporarily Unavailable";
	ev.warning = "399 mcx \"callee did not answer\"";
	ev.num = -3;
	event_line(false, &ev, "2026-11-25T09:14:03.125Z alice ended call=1 "
		   "peer=sip:bob@a.mcx.test scode=480 "
		   "reason=\"Temporarily Unavailable\" "
		   "warning=\"399 mcx \\\"callee did not answer\\\"\" num=-3");
	event_line(true, &ev, "{\"t\":\"2026-11-25T09:14:03.125Z\","
		   "\"who\":\"alice\",\"event\":\"ended\",\"call\":1,"
		   "\"peer\":\"sip:bob@a.mcx.test\",\"scode\":480,"
		   "\"reason\":\"Temporarily Unavailable\","
		   "\"warning\":\"399 mcx \\\"callee did not answer\\\"\","
		   "\"num\":-3}");

	/* no call: no call=; the registration's expires in num */
	memset(&ev, 0, sizeof(ev));
	ev.type = MCXC_EV_REGISTERED;
	ev.t_us = FAKE_T0_US + 999;
	ev.num = 600;
	event_line(false, &ev, "2026-11-25T09:14:03.125Z alice registered "
		   "num=600");

	ev.type = MCXC_EV_FLOOR;
	ev.call = 2;
	ev.text = "granted";
	event_line(false, &ev, "2026-11-25T09:14:03.125Z alice floor call=2 "
		   "text=granted num=600");

	/* a label with a blank is quoted too */
	{
		struct out o;
		struct evp e = { &o, &ev };
		char buf[256];

		memset(&o, 0, sizeof(o));
		o.who = "alice 2";
		assert_true(re_snprintf(buf, sizeof(buf), "%H", evp_print,
					&e) > 0);
		assert_string_equal("2026-11-25T09:14:03.125Z \"alice 2\" "
				    "floor call=2 text=granted num=600", buf);
	}
}


struct callsp {
	bool json;
	const struct mcxc_call_info *ci;
	unsigned n;
};


static int callsp_print(struct re_printf *pf, void *arg)
{
	const struct callsp *c = arg;

	return out_calls_print(pf, c->json, c->ci, c->n,
			       FAKE_T0_US + 5250000);
}


static void calls_table(void **state)
{
	struct mcxc_call_info ci[2];
	struct callsp c = { false, ci, 2 };
	char buf[1024];
	(void)state;

	memset(ci, 0, sizeof(ci));
	ci[0].id = 1;
	ci[0].outgoing = true;
	ci[0].floor_ctrl = true;
	(void)snprintf(ci[0].peer, sizeof(ci[0].peer), "sip:bob@a.mcx.test");
	(void)snprintf(ci[0].state, sizeof(ci[0].state), "connected");
	(void)snprintf(ci[0].floor, sizeof(ci[0].floor), "has-permission");
	ci[0].rx_packets = 250;
	ci[0].tx_packets = 1000;
	ci[0].t_start_us = FAKE_T0_US;
	ci[0].t_connected_us = FAKE_T0_US;
	ci[1].id = 2;
	ci[1].manual = true;
	(void)snprintf(ci[1].peer, sizeof(ci[1].peer), "sip:carol@x y");
	(void)snprintf(ci[1].state, sizeof(ci[1].state), "incoming");
	(void)snprintf(ci[1].floor, sizeof(ci[1].floor), "none");
	ci[1].t_start_us = FAKE_T0_US;

	assert_true(re_snprintf(buf, sizeof(buf), "%H", callsp_print, &c) >
		    0);
	assert_string_equal(
		"CALL DIR STATE      MODE           FLOOR                 RX"
		"      TX      UP PEER\n"
		"   1 out connected  auto           has-permission       250"
		"    1000    5.2s sip:bob@a.mcx.test\n"
		"   2 in  incoming   manual,nofloor none                   0"
		"       0       - \"sip:carol@x y\"\n", buf);

	c.json = true;
	c.n = 1;
	assert_true(re_snprintf(buf, sizeof(buf), "%H", callsp_print, &c) >
		    0);
	assert_string_equal("[{\"id\":1,\"dir\":\"out\","
			    "\"state\":\"connected\","
			    "\"manual\":false,\"floor_ctrl\":true,"
			    "\"floor\":\"has-permission\","
			    "\"peer\":\"sip:bob@a.mcx.test\","
			    "\"rx_packets\":250,\"tx_packets\":1000,"
			    "\"t_start\":\"2026-11-25T09:14:03.125Z\","
			    "\"t_connected\":\"2026-11-25T09:14:03.125Z\"}]",
			    buf);

	c.json = false;
	c.n = 0;
	assert_true(re_snprintf(buf, sizeof(buf), "%H", callsp_print, &c) >
		    0);
	assert_string_equal("no calls\n", buf);
}


/* ---- options, samples, docs ---- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(0, fseek(f, 0, SEEK_END));
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal((size_t)n, fread(buf, 1, (size_t)n, f));
	buf[n] = '\0';
	(void)fclose(f);

	return buf;
}


/* Each option appears in the sample: set, or commented out */
static void sample_documents(const char *path, const char *text)
{
	const struct conf_table *t = cli_conf_table();

	for (size_t i = 0; i < t->n; i++) {
		char set[80], off[80];

		(void)snprintf(set, sizeof(set), "\n%s ", t->opts[i].name);
		(void)snprintf(off, sizeof(off), "\n# %s", t->opts[i].name);
		if (!strstr(text, set) && !strstr(text, off))
			fail_msg("%s: option %s not there", path,
				 t->opts[i].name);
	}
}


static void conf_samples(void **state)
{
	const struct conf_table *t = cli_conf_table();
	struct cli_conf cfg;
	struct mcxc_conf mc;
	struct mcx_diag diag;
	struct dirent *de;
	unsigned n = 0;
	DIR *d;
	(void)state;

	d = opendir(MCX_SOURCE_DIR "/etc/clients");
	assert_non_null(d);

	while ((de = readdir(d)) != NULL) {
		char path[512];
		size_t len = strlen(de->d_name);
		char *text;

		if (len < 6 || strcmp(de->d_name + len - 5, ".conf"))
			continue;
		(void)snprintf(path, sizeof(path), "%s/etc/clients/%s",
			       MCX_SOURCE_DIR, de->d_name);

		memset(&cfg, 0, sizeof(cfg));
		mcx_diag_clear(&diag);
		assert_int_equal(0, conf_defaults(&cfg, t, &diag));
		if (conf_load_file(&cfg, t, path, &diag) ||
		    conf_check(&cfg, t, &diag) ||
		    cli_conf_check(&cfg, &diag))
			fail_msg("%s: %s", path, diag.reason);

		text = slurp(path);
		sample_documents(path, text);
		free(text);

		cli_conf_mcxc(&mc, &cfg);
		assert_string_equal(cfg.user, mc.user);
		assert_int_equal(cfg.reg_expires, mc.reg_expires);
		conf_reset(&cfg, t);
		++n;
	}
	(void)closedir(d);
	assert_true(n >= 2);

	/* alice as the documentation says */
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(0, conf_defaults(&cfg, t, &diag));
	assert_int_equal(0, conf_load_file(&cfg, t, MCX_SOURCE_DIR
					   "/etc/clients/alice.conf", &diag));
	cli_conf_mcxc(&mc, &cfg);
	assert_string_equal("alice", mc.user);
	assert_string_equal("alice-secret", mc.password);
	assert_string_equal("a.mcx.test", mc.domain);
	assert_string_equal("127.0.1.1:5060", mc.sip_server);
	assert_string_equal("127.0.1.1:8080", mc.http_server);
	assert_string_equal("127.0.1.10", mc.local_ip);
	assert_false(mc.sip_tcp);
	assert_int_equal(600, mc.reg_expires);
	assert_null(mc.audio_wav);
	assert_string_equal("alice", cli_conf_name(&cfg));

	/* what the table cannot say */
	assert_int_equal(0, conf_set(&cfg, t, "sip_server", "127.0.1.1",
				     &diag));
	assert_int_equal(EBADMSG, cli_conf_check(&cfg, &diag));
	assert_string_equal("option 'sip_server': '127.0.1.1' is not "
			    "IP:PORT (e.g. 127.0.1.1:5060)", diag.reason);
	assert_int_equal(0, conf_set(&cfg, t, "sip_server", "[::1]:5060",
				     &diag));
	assert_int_equal(0, cli_conf_check(&cfg, &diag));

	/* errors name the option */
	assert_int_equal(EBADMSG, conf_set(&cfg, t, "sip_transport", "tls",
					   &diag));
	assert_non_null(strstr(diag.reason, "sip_transport"));
	assert_int_equal(0, conf_set(&cfg, t, "sip_transport", "tcp",
				     &diag));
	assert_int_equal(0, conf_set(&cfg, t, "answer", "auto", &diag));
	assert_int_equal(0, conf_set(&cfg, t, "name", "Alice A", &diag));
	cli_conf_mcxc(&mc, &cfg);
	assert_true(mc.sip_tcp);
	assert_true(mc.answer_auto);
	assert_string_equal("Alice A", cli_conf_name(&cfg));
	conf_reset(&cfg, t);

	/* a file error names file, line and option */
	memset(&cfg, 0, sizeof(cfg));
	assert_int_equal(0, conf_defaults(&cfg, t, &diag));
	assert_int_equal(EBADMSG, conf_load_buf(&cfg, t, "x.conf",
						"user bob\nreg_expirs 60\n",
						23, &diag));
	assert_string_equal("x.conf:2: option 'reg_expirs': unknown, did "
			    "you mean 'reg_expires'?", diag.reason);
	conf_reset(&cfg, t);
}


/* docs/cli.md documents every command and every option */
static void docs(void **state)
{
	const struct conf_table *t = cli_conf_table();
	const struct cmd_def *c;
	char *text;
	size_t n;
	(void)state;

	text = slurp(MCX_SOURCE_DIR "/docs/cli.md");

	c = cmd_table(&n);
	for (size_t i = 0; i < n; i++) {
		char head[64];

		(void)snprintf(head, sizeof(head), "\n### `%s", c[i].name);
		if (!strstr(text, head))
			fail_msg("docs/cli.md: no \"### `%s\"", c[i].name);
		if (!strstr(text, c[i].example))
			fail_msg("docs/cli.md: no example \"%s\"",
				 c[i].example);
	}
	for (size_t i = 0; i < t->n; i++) {
		char row[80];

		(void)snprintf(row, sizeof(row), "| `%s` |", t->opts[i].name);
		if (!strstr(text, row))
			fail_msg("docs/cli.md: option %s not in the table",
				 t->opts[i].name);
	}
	for (int e = 0; e <= MCXC_EV_ERROR; e++) {
		char row[64];

		(void)snprintf(row, sizeof(row), "| `%s` |",
			       mcxc_ev_name((enum mcxc_ev)e));
		if (!strstr(text, row))
			fail_msg("docs/cli.md: event %s not in the table",
				 mcxc_ev_name((enum mcxc_ev)e));
	}

	free(text);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tokenize),
		cmocka_unit_test(table),
		cmocka_unit_test(suggest),
		cmocka_unit_test(unknown_command),
		cmocka_unit_test(usage_lines),
		cmocka_unit_test(wait_type),
		cmocka_unit_test(wait_queued_before),
		cmocka_unit_test(wait_text),
		cmocka_unit_test(wait_timeout_message),
		cmocka_unit_test(script_failure),
		cmocka_unit_test(line_limits),
		cmocka_unit_test(up),
		cmocka_unit_test(json_results),
		cmocka_unit_test(interactive),
		cmocka_unit_test(stop),
		cmocka_unit_test(close_bounded),
		cmocka_unit_test(json_escape),
		cmocka_unit_test(text_values),
		cmocka_unit_test(event_lines),
		cmocka_unit_test(calls_table),
		cmocka_unit_test(conf_samples),
		cmocka_unit_test(docs),
	};
	int err;

	err = libre_init();
	if (err)
		return 1;

	err = cmocka_run_group_tests(tests, NULL, NULL);

	libre_close();
	tmr_debug();
	mem_debug();

	return err;
}
