/**
 * @file cmd.h  mcx commands: the tokenizer, the table, the runner
 *
 * Input is lines of commands; words are separated by blanks, double
 * quotes group (inside them \" is a quote and \\ a backslash), '#' at the
 * start of a word comments out the rest of the line, ';' separates
 * commands on one line. cmd_split() takes one command off a line.
 *
 * The table (cmd.c) has one row per command: name, alias, argument
 * synopsis, argument counts, one line of help, an example, the handler.
 * `help`, `help CMD`, the usage line of a wrong call, the "did you mean"
 * of a typo and docs/cli.md's list (checked by the unit test) derive
 * from it.
 *
 * The runner (struct cmdr) executes commands one after the other under
 * libre's main loop, never blocking it: a command that takes time
 * (wait, sleep, up) is a state the runner is in until an event or a
 * timer moves it on.
 *
 *                   line read, command parsed
 *        +--------+ ------------------------> exec: done at once ---+
 *        |  IDLE  | <----------------------------------------------+
 *        +--------+ <-------- match / timer / failure -------+
 *         |  |  |   exec wait/sleep/up                      |
 *         |  |  +-------------------------> WAIT, SLEEP, UP -+
 *         |  | end of input, quit, stop(), script failure
 *         |  v
 *         | CLOSING --(no calls and unregistered, or CMD_CLOSE_MS)--> DONE
 *         +--(every state but DONE: stop())--^
 *
 * Transitions, and the function that makes each:
 *
 *   IDLE    -> IDLE     a command that completes at once, a wait
 *                       whose event is queued already     (cmd_exec)
 *   IDLE    -> WAIT     wait                              (cmd_wait)
 *   IDLE    -> SLEEP    sleep                             (cmd_sleep)
 *   IDLE    -> UP       up: its first operation started   (cmd_up)
 *   WAIT    -> IDLE     the event wanted arrived          (wait_check)
 *                       a timeout                         (wait_timeout)
 *   UP      -> UP       a step's events arrived; next step (wait_check)
 *   UP      -> IDLE     last step done, an error event    (wait_check)
 *                       a timeout                         (wait_timeout)
 *   SLEEP   -> IDLE     its timer                         (sleep_done)
 *   any     -> CLOSING  end of input, quit, a failure in a script,
 *                       cmdr_stop()                       (close_start)
 *   CLOSING -> DONE     nothing left, or CMD_CLOSE_MS     (close_poll)
 *
 * Invariants (cmdr_invariants, asserted in debug builds):
 *
 *   IDLE      no command running; no timer but the kick
 *   WAIT, UP  1..CMD_WANT_MAX events wanted; the timeout timer runs
 *   SLEEP     the sleep timer runs
 *   CLOSING   no input wanted; the done handler not called yet
 *   DONE      no timer runs; the done handler was called (once: the
 *             runner never leaves DONE, and may be released in it)
 *   always    the event queue holds at most CMD_EVQ_MAX events
 *
 * Events: cmdr_event_h() is the client's event handler. It prints the
 * event and appends a copy to the queue; nothing else happens inside it
 * (no mcxc_* call, no next command): a zero timer (the kick) moves the
 * runner on from the main loop. A wait looks at the queued events first,
 * so an event that arrived before the wait was read counts; a wait that
 * returns consumes the event it matched and every event before it (the
 * events after it stay for the next wait); a wait that times out
 * consumes the whole queue.
 *
 * Failures: in a script (--script, -e, commands piped in) the first
 * failing command ends the run (status 1) and is reported with its file
 * and line; interactively the error is printed and the next command is
 * read. The end (of input, by quit, by failure or by cmdr_stop()) hangs
 * up every call and logs out, for at most CMD_CLOSE_MS, then calls the
 * done handler with the exit status.
 *
 * Lifetime: the runner holds no reference to the client; the client
 * must live until the done handler was called, and the runner until the
 * client is gone (its event handler is cmdr_event_h with the runner as
 * its argument).
 */
#ifndef MCX_CMD_H
#define MCX_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cmdr;
struct mcxc;
struct mcxc_event;
struct mcx_diag;
struct out;

enum {
	CMD_LINE_MAX     = 4096,	/**< Input line, octets, no end   */
	CMD_ARGC_MAX     = 16,		/**< Words in one command         */
	CMD_INPUT_MAX    = 1 << 20,	/**< Input buffered, octets       */
	CMD_EVQ_MAX      = 256,		/**< Events queued for wait       */
	CMD_EVSTR_MAX    = 1024,	/**< A queued event's string      */
	CMD_WANT_MAX     = 2,		/**< Events one wait needs        */
	CMD_WAIT_MS      = 10000,	/**< wait's default timeout       */
	CMD_WAIT_MAX_MS  = 3600000,	/**< wait's longest timeout       */
	CMD_SLEEP_MAX_MS = 3600000,	/**< sleep's longest              */
	CMD_CLOSE_MS     = 2000,	/**< Hang up and log out at most  */
	CMD_CLOSE_POLL_MS = 20,		/**< ... looking this often       */
	CMD_REASON_MAX   = 1024,	/**< A command's error message    */
	CMD_TEXT_MAX     = 256,		/**< A command quoted in messages */
	CMD_MEANWHILE    = 8,		/**< Events a timeout lists       */
	CMD_CALLS_MAX    = 64,		/**< Calls listed                 */
	CMD_SUGGEST_DIST = 2,		/**< "did you mean": edit distance */
	CMD_SYN_MAX      = 34,		/**< "name ARGS" in help's list   */
	CMD_HELP_MAX     = 43,		/**< help: 80 columns in the list */
};

/** One command split into words; argv points into buf */
struct cmd_words {
	unsigned argc;
	char *argv[CMD_ARGC_MAX + 1];		/**< NULL-terminated    */
	char buf[CMD_LINE_MAX + CMD_ARGC_MAX + 1];
};

int cmd_split(struct cmd_words *w, const char **sp, struct mcx_diag *diag);

typedef int (cmd_h)(struct cmdr *r, unsigned argc, char *const argv[]);

/** One row of the command table */
struct cmd_def {
	const char *name;
	const char *alias;	/**< another name; NULL: none             */
	const char *args;	/**< synopsis, "PEER [auto|manual] ..."   */
	unsigned min, max;	/**< number of arguments                  */
	const char *help;	/**< CMD_HELP_MAX octets at most          */
	const char *more;	/**< help CMD: more lines ('\n'); or NULL */
	const char *example;	/**< a complete command                   */
	cmd_h *h;		/**< handler (argv: the arguments only)   */
	/** the client operation of login, profile, register, logout */
	int (*op)(struct mcxc *c, struct mcx_diag *diag);
	/** ... of answer, reject, hangup, press, release */
	int (*callop)(struct mcxc *c, unsigned id, struct mcx_diag *diag);
};

const struct cmd_def *cmd_find(const char *name);
const struct cmd_def *cmd_suggest(const char *name);
const struct cmd_def *cmd_table(size_t *np);
const char *cmd_closest(const char *word, const char *const *cands,
			size_t n);

/** The runner's states; see the diagram above */
enum cmdr_state {
	CMDR_IDLE,
	CMDR_WAIT,
	CMDR_SLEEP,
	CMDR_UP,
	CMDR_CLOSING,
	CMDR_DONE,
};

/** The runner asks for input (want) or says it has enough (!want) */
typedef void (cmdr_input_h)(bool want, void *arg);
/** The run is over: status 0 (success) or 1 (a command failed) */
typedef void (cmdr_done_h)(int status, void *arg);

/** How a runner runs */
struct cmdr_prm {
	struct out *out;	/**< where to print; outlives the runner  */
	const char *src;	/**< input name in messages ("x.mcx",
				     "-e", "<stdin>"); NULL: interactive  */
	cmdr_input_h *inh;	/**< NULL: all input is given at once     */
	cmdr_done_h *doneh;
	void *arg;		/**< of both handlers                     */
	bool keep_going;	/**< a script runs on after a failure and
				     ends with status 1                   */
};

int  cmdr_alloc(struct cmdr **rp, const struct cmdr_prm *prm);
void cmdr_start(struct cmdr *r, struct mcxc *c);
int  cmdr_input(struct cmdr *r, const char *buf, size_t len);
void cmdr_input_eof(struct cmdr *r);
void cmdr_stop(struct cmdr *r);
void cmdr_event_h(const struct mcxc_event *ev, void *arg);
enum cmdr_state cmdr_state(const struct cmdr *r);
const char *cmdr_state_name(enum cmdr_state st);

#endif
