/**
 * @file out.c  Event lines, command results, JSON strings (see out.h)
 *
 * Everything is formatted through libre's print handlers (struct
 * re_printf), so the same code writes to a FILE in mcx and to a buffer in
 * the unit test. Nothing here knows the client library beyond its public
 * structs and mcxc_ev_name().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include <mcx/client.h>
#include <mcx/log.h>
#include <mcx/str.h>
#include "out.h"

enum {
	TIME_MAX = 32,		/* "2026-11-25T09:14:03.125Z" and NUL */
};


/* Octets of the well-formed UTF-8 sequence at p, or 0 if it is not one
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) */
static size_t utf8_seq(const unsigned char *p)
{
	size_t k;

	if (*p >= 0xc2 && *p <= 0xdf)
		k = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		k = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		k = 4;
	else
		return 0;

	/* a NUL is no continuation octet: this stops at the string's end */
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	}

	return mcx_utf8_valid(p, k) ? k : 0;
}


static int put(struct re_printf *pf, const void *p, size_t n)
{
	return n ? pf->vph(p, n, pf->arg) : 0;
}


/**
 * Print s as a JSON string, quotes included (RFC 8259 7); a "%H" handler.
 * Quote, backslash and C0 controls are escaped (\b \f \n \r \t, others
 * \u00XX), DEL as \u007f; valid UTF-8 passes through; each octet that
 * does not start a valid sequence becomes \ufffd. NULL prints null.
 *
 * @return 0 or the print handler's error
 */
int out_json_str(struct re_printf *pf, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run;
	int err;

	if (!pf)
		return EINVAL;
	if (!s)
		return put(pf, "null", 4);

	err = put(pf, "\"", 1);
	for (run = p; *p && !err;) {
		const char *esc;
		char u[8];

		if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') {
			++p;
			continue;
		}
		if (*p >= 0x80) {
			size_t k = utf8_seq(p);

			if (k) {
				p += k;
				continue;
			}
			esc = "\\ufffd";
		}
		else {
			switch (*p) {

			case '"':  esc = "\\\""; break;
			case '\\': esc = "\\\\"; break;
			case '\b': esc = "\\b";  break;
			case '\f': esc = "\\f";  break;
			case '\n': esc = "\\n";  break;
			case '\r': esc = "\\r";  break;
			case '\t': esc = "\\t";  break;
			default:
				(void)snprintf(u, sizeof(u), "\\u%04x", *p);
				esc = u;
				break;
			}
		}

		err = put(pf, run, (size_t)(p - run));
		if (!err)
			err = put(pf, esc, strlen(esc));
		run = ++p;
	}
	if (!err)
		err = put(pf, run, (size_t)(p - run));
	if (!err)
		err = put(pf, "\"", 1);

	return err;
}


static bool text_special(unsigned char c)
{
	return c < 0x20 || c == 0x7f || c == ' ' || c == '"' || c == '\\' ||
		c == '#' || c == ';';
}


/**
 * Print a value of a text-mode line: as it is, or double-quoted when it
 * is empty or holds a blank, a quote, a backslash, '#', ';' or a control
 * character (then \" \\ \t \n \r \xHH inside); a "%H" handler. Octets
 * from 0x80 up pass through. NULL prints as "".
 *
 * @return 0 or the print handler's error
 */
int out_text_val(struct re_printf *pf, const char *s)
{
	const unsigned char *p, *run;
	bool quote;
	int err;

	if (!pf)
		return EINVAL;
	if (!s)
		s = "";

	quote = !*s;
	for (p = (const unsigned char *)s; *p && !quote; p++)
		quote = text_special(*p);
	if (!quote)
		return put(pf, s, strlen(s));

	err = put(pf, "\"", 1);
	for (run = p = (const unsigned char *)s; *p && !err; p++) {
		char esc[8];

		if (*p >= 0x20 && *p != 0x7f && *p != '"' && *p != '\\')
			continue;

		switch (*p) {

		case '"':  (void)snprintf(esc, sizeof(esc), "\\\""); break;
		case '\\': (void)snprintf(esc, sizeof(esc), "\\\\"); break;
		case '\t': (void)snprintf(esc, sizeof(esc), "\\t"); break;
		case '\n': (void)snprintf(esc, sizeof(esc), "\\n"); break;
		case '\r': (void)snprintf(esc, sizeof(esc), "\\r"); break;
		default:
			(void)snprintf(esc, sizeof(esc), "\\x%02x", *p);
			break;
		}
		err = put(pf, run, (size_t)(p - run));
		if (!err)
			err = put(pf, esc, strlen(esc));
		run = p + 1;
	}
	if (!err)
		err = put(pf, run, (size_t)(p - run));
	if (!err)
		err = put(pf, "\"", 1);

	return err;
}


static bool set(const char *s)
{
	return s && *s;
}


static const char *ev_name(enum mcxc_ev type)
{
	const char *name = mcxc_ev_name(type);

	return name ? name : "?";
}


/**
 * An event without time and label, as the text line has it:
 * `connected call=1 peer=sip:bob@a.mcx.test`, then whichever of text,
 * scode, reason, warning and num are set (strings not empty, numbers not
 * zero). Used in event lines and in the list of events a timed-out wait
 * reports.
 */
int out_event_brief(struct re_printf *pf, const struct mcxc_event *ev)
{
	int err;

	if (!pf || !ev)
		return EINVAL;

	err = re_hprintf(pf, "%s", ev_name(ev->type));
	if (!err && ev->call)
		err = re_hprintf(pf, " call=%u", ev->call);
	if (!err && set(ev->peer))
		err = re_hprintf(pf, " peer=%H", out_text_val, ev->peer);
	if (!err && set(ev->text))
		err = re_hprintf(pf, " text=%H", out_text_val, ev->text);
	if (!err && ev->scode)
		err = re_hprintf(pf, " scode=%u", (unsigned)ev->scode);
	if (!err && set(ev->reason))
		err = re_hprintf(pf, " reason=%H", out_text_val, ev->reason);
	if (!err && set(ev->warning))
		err = re_hprintf(pf, " warning=%H", out_text_val,
				 ev->warning);
	if (!err && ev->num)
		err = re_hprintf(pf, " num=%lld", (long long)ev->num);

	return err;
}


static void time_str(char *buf, size_t sz, uint64_t t_us)
{
	if (mcx_time_print(buf, sz, t_us) < 0)
		(void)snprintf(buf, sz, "-");
}


static int event_json(struct re_printf *pf, const struct out *o,
		      const struct mcxc_event *ev)
{
	char ts[TIME_MAX];
	int err;

	time_str(ts, sizeof(ts), ev->t_us);
	err = re_hprintf(pf, "{\"t\":\"%s\",\"who\":%H,\"event\":%H", ts,
			 out_json_str, o->who, out_json_str,
			 ev_name(ev->type));
	if (!err && ev->call)
		err = re_hprintf(pf, ",\"call\":%u", ev->call);
	if (!err && set(ev->peer))
		err = re_hprintf(pf, ",\"peer\":%H", out_json_str, ev->peer);
	if (!err && set(ev->text))
		err = re_hprintf(pf, ",\"text\":%H", out_json_str, ev->text);
	if (!err && ev->scode)
		err = re_hprintf(pf, ",\"scode\":%u", (unsigned)ev->scode);
	if (!err && set(ev->reason))
		err = re_hprintf(pf, ",\"reason\":%H", out_json_str,
				 ev->reason);
	if (!err && set(ev->warning))
		err = re_hprintf(pf, ",\"warning\":%H", out_json_str,
				 ev->warning);
	if (!err && ev->num)
		err = re_hprintf(pf, ",\"num\":%lld", (long long)ev->num);
	if (!err)
		err = re_hprintf(pf, "}");

	return err;
}


/**
 * One event as its line, without the line end: text or JSON by o->json
 *
 * @return 0, EINVAL or the print handler's error
 */
int out_event_print(struct re_printf *pf, const struct out *o,
		    const struct mcxc_event *ev)
{
	char ts[TIME_MAX];

	if (!pf || !o || !ev)
		return EINVAL;

	if (o->json)
		return event_json(pf, o, ev);

	time_str(ts, sizeof(ts), ev->t_us);

	return re_hprintf(pf, "%s %H %H", ts, out_text_val, o->who,
			  out_event_brief, ev);
}


static int result_json(struct re_printf *pf, const struct out_res *res)
{
	int err;

	err = re_hprintf(pf, "{\"cmd\":%H,\"ok\":%s", out_json_str,
			 res->cmd ? res->cmd : "", res->err ? "false" : "true");
	if (err)
		return err;

	if (res->err) {
		err = re_hprintf(pf, ",\"error\":%H", out_json_str,
				 res->reason && *res->reason ? res->reason :
				 strerror(res->err));
		if (!err && res->file)
			err = re_hprintf(pf, ",\"file\":%H,\"line\":%u",
					 out_json_str, res->file, res->line);
	}
	else {
		if (res->call)
			err = re_hprintf(pf, ",\"call\":%u", res->call);
		if (!err && res->data)
			err = res->data(pf, res->arg);
	}
	if (!err)
		err = re_hprintf(pf, "}\n");

	return err;
}


static int result_text(struct re_printf *pf, const struct out *o,
		       const struct out_res *res)
{
	int err = 0;

	if (res->err) {
		if (res->file)
			err = re_hprintf(pf, "%s:%u: ", res->file, res->line);
		else
			err = re_hprintf(pf, "mcx: ");
		if (!err && res->text && *res->text)
			err = re_hprintf(pf, "%s: ", res->text);
		if (!err)
			err = re_hprintf(pf, "%s\n", res->reason &&
					 *res->reason ? res->reason :
					 strerror(res->err));
		return err;
	}

	if (res->ack && !o->quiet)
		err = re_hprintf(pf, "%s\n", res->ack);
	if (!err && res->data)
		err = res->data(pf, res->arg);

	return err;
}


/**
 * A command's outcome, line end(s) included. JSON: one object. Text: on
 * failure `FILE:LINE: TEXT: reason` (script) or `mcx: TEXT: reason`; on
 * success the acknowledgement (unless quiet), then the data lines.
 *
 * @return 0, EINVAL or the print handler's error
 */
int out_result_print(struct re_printf *pf, const struct out *o,
		     const struct out_res *res)
{
	if (!pf || !o || !res)
		return EINVAL;

	return o->json ? result_json(pf, res) : result_text(pf, o, res);
}


/* "5.2s": tenths of seconds since from_us; "-" if not yet */
static void duration_str(char *buf, size_t sz, uint64_t from_us,
			 uint64_t now_us)
{
	uint64_t ds;

	if (!from_us || now_us < from_us) {
		(void)snprintf(buf, sz, "-");
		return;
	}

	ds = (now_us - from_us) / 100000u;
	(void)snprintf(buf, sz, "%llu.%llus", (unsigned long long)(ds / 10),
		       (unsigned long long)(ds % 10));
}


static int call_json(struct re_printf *pf,
		     const struct mcxc_call_info *ci)
{
	char t0[TIME_MAX], t1[TIME_MAX];
	int err;

	time_str(t0, sizeof(t0), ci->t_start_us);
	time_str(t1, sizeof(t1), ci->t_connected_us);

	err = re_hprintf(pf, "{\"id\":%u,\"dir\":\"%s\",\"state\":%H,"
			 "\"manual\":%s,\"floor_ctrl\":%s,\"floor\":%H,"
			 "\"peer\":%H,\"rx_packets\":%llu,"
			 "\"tx_packets\":%llu,\"t_start\":\"%s\"",
			 ci->id, ci->outgoing ? "out" : "in", out_json_str,
			 ci->state, ci->manual ? "true" : "false",
			 ci->floor_ctrl ? "true" : "false", out_json_str,
			 ci->floor, out_json_str, ci->peer,
			 (unsigned long long)ci->rx_packets,
			 (unsigned long long)ci->tx_packets, t0);
	if (!err && ci->t_connected_us)
		err = re_hprintf(pf, ",\"t_connected\":\"%s\"", t1);
	if (!err)
		err = re_hprintf(pf, "}");

	return err;
}


/**
 * Calls as a table (text, line ends included) or as a JSON array
 *
 *     CALL DIR STATE      MODE   FLOOR            RX     TX      UP PEER
 *        1 out connected  auto   has-permission   250  1000    5.0s sip:..
 *
 * MODE is auto or manual, with ",nofloor" without floor control; UP is
 * the time since the call connected (now_us: the wall clock now).
 *
 * @return 0, EINVAL or the print handler's error
 */
int out_calls_print(struct re_printf *pf, bool json,
		    const struct mcxc_call_info *calls, unsigned n,
		    uint64_t now_us)
{
	int err = 0;

	if (!pf || (!calls && n))
		return EINVAL;

	if (json) {
		err = re_hprintf(pf, "[");
		for (unsigned i = 0; i < n && !err; i++) {
			if (i)
				err = re_hprintf(pf, ",");
			if (!err)
				err = call_json(pf, &calls[i]);
		}
		return err ? err : re_hprintf(pf, "]");
	}

	if (!n)
		return re_hprintf(pf, "no calls\n");

	err = re_hprintf(pf, "CALL DIR %-10s %-14s %-16s %7s %7s %7s PEER\n",
			 "STATE", "MODE", "FLOOR", "RX", "TX", "UP");
	for (unsigned i = 0; i < n && !err; i++) {
		const struct mcxc_call_info *ci = &calls[i];
		char mode[16], up[24];

		(void)snprintf(mode, sizeof(mode), "%s%s",
			       ci->manual ? "manual" : "auto",
			       ci->floor_ctrl ? "" : ",nofloor");
		duration_str(up, sizeof(up), ci->t_connected_us, now_us);
		err = re_hprintf(pf, "%4u %-3s %-10s %-14s %-16s %7llu %7llu "
				 "%7s %H\n", ci->id, ci->outgoing ? "out" :
				 "in", ci->state, mode, ci->floor,
				 (unsigned long long)ci->rx_packets,
				 (unsigned long long)ci->tx_packets, up,
				 out_text_val, ci->peer);
	}

	return err;
}


/* ---- writing to the FILEs ---- */

static int file_vph(const char *p, size_t n, void *arg)
{
	return fwrite(p, 1, n, arg) == n ? 0 : EIO;
}


static void prompt_clear(struct out *o, FILE *fp)
{
	if (!o->prompted)
		return;

	/* the prompt (and what the user has typed so far) stays on its
	 * line; what we print starts on the next one */
	(void)fputc('\n', o->fp);
	(void)fflush(o->fp);
	if (fp != o->fp)
		(void)fflush(fp);
	o->prompted = false;
}


/** Print an event line to o->fp, unless quiet; the prompt follows it */
void out_event(struct out *o, const struct mcxc_event *ev)
{
	struct re_printf pf;
	bool reprompt;

	if (!o || !ev || o->quiet || !o->fp)
		return;

	reprompt = o->prompted;
	prompt_clear(o, o->fp);

	pf.vph = file_vph;
	pf.arg = o->fp;
	(void)out_event_print(&pf, o, ev);
	(void)fputc('\n', o->fp);
	(void)fflush(o->fp);

	if (reprompt)
		out_prompt(o);
}


/** Print a command's outcome: errors in text mode to efp, else to fp */
void out_result(struct out *o, const struct out_res *res)
{
	struct re_printf pf;
	FILE *fp;

	if (!o || !res)
		return;

	fp = res->err && !o->json && o->efp ? o->efp : o->fp;
	if (!fp)
		return;

	prompt_clear(o, fp);
	pf.vph = file_vph;
	pf.arg = fp;
	(void)out_result_print(&pf, o, res);
	(void)fflush(fp);
}


/** Show the prompt (interactive mode), once */
void out_prompt(struct out *o)
{
	if (!o || !o->prompt || o->prompted || !o->fp)
		return;

	(void)fputs(o->prompt, o->fp);
	(void)fflush(o->fp);
	o->prompted = true;
}
