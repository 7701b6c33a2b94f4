/**
 * @file mcx/log.h  One log for a process: levels, module tags, a handler
 *
 *     mcx_log(MCX_INFO, "sipcore", "REGISTER %s: %u bindings", aor, n);
 *
 * The default handler writes one line per entry to stderr:
 *
 *     2026-11-25T09:14:03.125Z I sipcore: REGISTER sip:alice@...: 1 bindings
 *
 * (UTC, milliseconds, level letter D/I/W/E).  A program may replace it, e.g.
 * to write JSON.  Formatting is libre's (re_vsnprintf: %r, %J, %H work);
 * an entry longer than MCX_LOG_MAX octets is cut and ends in "...".
 */
#ifndef MCX_LOG_H
#define MCX_LOG_H

#include <stdarg.h>
#include <stdint.h>

enum mcx_log_level {
	MCX_DEBUG = 0,
	MCX_INFO,
	MCX_WARN,
	MCX_ERROR,
};

enum { MCX_LOG_MAX = 2048 };

typedef void (mcx_log_h)(enum mcx_log_level level, const char *tag,
			 uint64_t t_us, const char *msg, void *arg);

void mcx_log(enum mcx_log_level level, const char *tag, const char *fmt,
	     ...);
void mcx_vlog(enum mcx_log_level level, const char *tag, const char *fmt,
	      va_list ap);
void mcx_log_set_level(enum mcx_log_level level);
enum mcx_log_level mcx_log_level(void);
void mcx_log_set_handler(mcx_log_h *h, void *arg);
int  mcx_log_level_parse(enum mcx_log_level *lp, const char *s);
char mcx_log_letter(enum mcx_log_level level);

uint64_t mcx_now_us(void);
uint64_t mcx_mono_us(void);
int  mcx_time_print(char *buf, size_t sz, uint64_t t_us);

#endif
