/**
 * @file mcx/diag.h  Why a decoder refused its input
 *
 * Every decoder in libmcx returns an errno-style int and, when it refuses its
 * input, fills a struct mcx_diag with one short line that names what was wrong,
 * fit for a SIP Warning header, an HTTP reason phrase or a log line:
 *
 *     <mcptt-calling-user-id>: not a URI
 *     MBCP Floor Deny: Reject Cause missing
 *
 * The return codes mean one thing each, for every decoder:
 *
 *   0         decoded
 *   ENODATA   incomplete: the input stops early; more bytes could make it valid
 *   EBADMSG   malformed: no continuation of the input can make it valid
 *   EMSGSIZE  the input exceeds a size or count limit (SIP/HTTP 413)
 *   ENOMEM    out of memory
 *   EINVAL    bad arguments: a programming error, never bad input
 *
 * A struct mcx_diag is a plain value: put one on the stack, pass its address
 * (or NULL when the reason is not wanted) and read .reason after a failure.
 */
#ifndef MCX_DIAG_H
#define MCX_DIAG_H

#include <stdarg.h>

enum { MCX_DIAG_MAX = 160 };	/**< Longest reason kept, with its NUL */

/** The reason a decoder gives for refusing its input */
struct mcx_diag {
	char reason[MCX_DIAG_MAX];	/**< One line; "" when nothing set */
};

int  mcx_diag_set(struct mcx_diag *diag, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int  mcx_diag_vset(struct mcx_diag *diag, int err, const char *fmt,
		   va_list ap) __attribute__((format(printf, 3, 0)));
int  mcx_diag_prefix(struct mcx_diag *diag, int err, const char *prefix);
void mcx_diag_clear(struct mcx_diag *diag);
const char *mcx_err_name(int err);

#endif
