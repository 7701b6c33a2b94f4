/**
 * @file log.c  The process log (see mcx/log.h)
 *
 * Process-wide by nature, like libre's dbg: the one piece of global state
 * in libmcx, and only configuration (level, handler), never data.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <re.h>
#include "mcx/log.h"

static struct {
	enum mcx_log_level level;
	mcx_log_h *h;
	void *arg;
} lg = { MCX_INFO, NULL, NULL };


uint64_t mcx_now_us(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_REALTIME, &ts);

	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}


/**
 * Microseconds on a clock that only goes forward (CLOCK_MONOTONIC): for
 * durations, which the wall clock may stretch or reverse
 *
 * @return Microseconds since an arbitrary start
 */
uint64_t mcx_mono_us(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);

	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}


/**
 * Print a wall-clock time as ISO 8601 UTC with milliseconds
 *
 * @return the length written, or -1 if buf is too small
 */
int mcx_time_print(char *buf, size_t sz, uint64_t t_us)
{
	time_t secs = (time_t)(t_us / 1000000u);
	struct tm tm;
	int n;

	if (!gmtime_r(&secs, &tm))
		return -1;

	n = snprintf(buf, sz, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec,
		     (unsigned)(t_us % 1000000u / 1000u));

	return n < 0 || (size_t)n >= sz ? -1 : n;
}


char mcx_log_letter(enum mcx_log_level level)
{
	static const char letters[] = "DIWE";

	return level <= MCX_ERROR ? letters[level] : '?';
}


static void default_handler(enum mcx_log_level level, const char *tag,
			    uint64_t t_us, const char *msg, void *arg)
{
	char ts[32];
	(void)arg;

	if (mcx_time_print(ts, sizeof(ts), t_us) < 0)
		ts[0] = '\0';

	(void)fprintf(stderr, "%s %c %s: %s\n", ts, mcx_log_letter(level),
		      tag ? tag : "-", msg);
}


void mcx_vlog(enum mcx_log_level level, const char *tag, const char *fmt,
	      va_list ap)
{
	char msg[MCX_LOG_MAX];
	char *full = NULL;
	size_t n;

	if (level < lg.level)
		return;

	/* libre's re_vsnprintf gives nothing at all when cut: format in
	   full, then cut and say so */
	if (re_vsdprintf(&full, fmt, ap) || !full)
		str_ncpy(msg, fmt, sizeof(msg));
	else
		str_ncpy(msg, full, sizeof(msg));

	n = strlen(full ? full : fmt);
	if (n >= sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4);
	mem_deref(full);

	(lg.h ? lg.h : default_handler)(level, tag, mcx_now_us(), msg,
					lg.arg);
}


void mcx_log(enum mcx_log_level level, const char *tag, const char *fmt,
	     ...)
{
	va_list ap;

	va_start(ap, fmt);
	mcx_vlog(level, tag, fmt, ap);
	va_end(ap);
}


void mcx_log_set_level(enum mcx_log_level level)
{
	lg.level = level;
}


enum mcx_log_level mcx_log_level(void)
{
	return lg.level;
}


void mcx_log_set_handler(mcx_log_h *h, void *arg)
{
	lg.h = h;
	lg.arg = arg;
}


/** "debug", "info", "warn" or "error" */
int mcx_log_level_parse(enum mcx_log_level *lp, const char *s)
{
	static const char *names[] = {"debug", "info", "warn", "error"};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcasecmp(s, names[i])) {
			*lp = (enum mcx_log_level)i;
			return 0;
		}
	}

	return EINVAL;
}
