/**
 * @file diag.c  Decoder diagnostics
 *
 * Reasons often quote the input (an element name, a value). They end up inside
 * a quoted SIP warn-text (RFC 3261 25.1) and in logs, so they are cleaned here,
 * once: no control characters, no double quotes, no backslashes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mcx/diag.h>

static void clean(char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			*s = ' ';
		else if (c == '"')
			*s = '\'';
		else if (c == '\\')
			*s = '/';
	}
}


/**
 * Set the reason for a refusal and hand back the error code
 *
 * @param diag Diagnostic to fill (may be NULL)
 * @param err  Error code to return
 * @param fmt  printf-style format of the reason
 *
 * @return err, so that a decoder can end with
 *         `return mcx_diag_set(d, EBADMSG, ...);`
 */
int mcx_diag_set(struct mcx_diag *diag, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = mcx_diag_vset(diag, err, fmt, ap);
	va_end(ap);

	return err;
}


/** va_list form of mcx_diag_set() */
int mcx_diag_vset(struct mcx_diag *diag, int err, const char *fmt, va_list ap)
{
	if (!diag)
		return err;

	(void)vsnprintf(diag->reason, sizeof(diag->reason), fmt, ap);
	clean(diag->reason);

	return err;
}


/**
 * Put a context prefix in front of a reason already set, e.g. the part of a
 * multipart body the reason belongs to. Sets a generic reason if none was set.
 *
 * @return err
 */
int mcx_diag_prefix(struct mcx_diag *diag, int err, const char *prefix)
{
	char tmp[MCX_DIAG_MAX];

	if (!diag)
		return err;

	if (!diag->reason[0])
		return mcx_diag_set(diag, err, "%s: %s", prefix,
				    mcx_err_name(err));

	/* truncation is fine: the reason is one line for a human */
	if (snprintf(tmp, sizeof(tmp), "%s: %s", prefix, diag->reason) < 0)
		return err;
	memcpy(diag->reason, tmp, sizeof(tmp));
	clean(diag->reason);

	return err;
}


/** Forget any reason set */
void mcx_diag_clear(struct mcx_diag *diag)
{
	if (diag)
		diag->reason[0] = '\0';
}


/**
 * Name an error code the way the decoders use it
 *
 * @return "incomplete", "malformed", ... or strerror()'s text for others
 */
const char *mcx_err_name(int err)
{
	switch (err) {

	case 0:        return "ok";
	case ENODATA:  return "incomplete";
	case EBADMSG:  return "malformed";
	case EMSGSIZE: return "too large";
	case ENOMEM:   return "out of memory";
	case EINVAL:   return "invalid argument";
	default:       return strerror(err);
	}
}
