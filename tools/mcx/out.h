/**
 * @file out.h  What mcx prints: event lines, command results, JSON
 *
 * Text mode, one line per event on fp, as it happens:
 *
 *     2026-11-25T09:14:03.125Z alice connected call=1 peer=sip:bob@...
 *
 * then whichever of text, scode, reason, warning, num are set, as
 * key=value; a value that is empty or holds a blank, a quote, a
 * backslash, '#', ';' or a control character is double-quoted, with \"
 * \\ \t \n \r and \xHH inside. Command errors go to efp as
 * `mcx: CMD: reason`, or `FILE:LINE: CMD: reason` in a script.
 *
 * JSON mode (--json), everything on fp, one object per line:
 *
 *     {"t":"...","who":"alice","event":"connected","call":1,"peer":"..."}
 *     {"cmd":"call","ok":true,"call":1}
 *     {"cmd":"wait","ok":false,"error":"...","file":"x.mcx","line":7}
 *
 * Strings are escaped by out_json_str(): quote, backslash and control
 * characters escaped, valid UTF-8 passed through, each octet of an
 * invalid sequence replaced by U+FFFD (the output is always valid JSON
 * and valid UTF-8, whatever the network sent).
 *
 * Each line is written with one fwrite and flushed, so that a reader at
 * the other end of a pipe sees it at once.
 */
#ifndef MCX_OUT_H
#define MCX_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct re_printf;
struct mcxc_event;
struct mcxc_call_info;

/** Where and how to print; a plain value, owned by the program */
struct out {
	FILE *fp;		/**< events, results (stdout)               */
	FILE *efp;		/**< text-mode errors (stderr)              */
	const char *who;	/**< label of this client in event lines    */
	bool json;		/**< JSON lines instead of text             */
	bool quiet;		/**< no event lines, no acknowledgements    */
	const char *prompt;	/**< interactive prompt; NULL: none         */
	bool prompted;		/**< the prompt is the last thing printed   */
};

/** A command's outcome, for out_result() */
struct out_res {
	const char *cmd;	/**< command name; as typed if unknown  */
	const char *text;	/**< the command as typed               */
	const char *file;	/**< script name; NULL: not a script    */
	unsigned line;		/**< line in file                       */
	int err;		/**< 0: success                         */
	const char *reason;	/**< why it failed                      */
	unsigned call;		/**< JSON "call" member; 0: none        */
	const char *ack;	/**< text-mode acknowledgement (not -q) */
	int (*data)(struct re_printf *pf, void *arg);	/**< output */
	void *arg;		/**< ... its argument                   */
};

int  out_json_str(struct re_printf *pf, const char *s);
int  out_text_val(struct re_printf *pf, const char *s);
int  out_event_brief(struct re_printf *pf, const struct mcxc_event *ev);
int  out_event_print(struct re_printf *pf, const struct out *o,
		     const struct mcxc_event *ev);
int  out_result_print(struct re_printf *pf, const struct out *o,
		      const struct out_res *res);
int  out_calls_print(struct re_printf *pf, bool json,
		     const struct mcxc_call_info *calls, unsigned n,
		     uint64_t now_us);

void out_event(struct out *o, const struct mcxc_event *ev);
void out_result(struct out *o, const struct out_res *res);
void out_prompt(struct out *o);

#endif
