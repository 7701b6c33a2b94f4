/**
 * @file testutil.h  Helpers for the unit tests: test data and vectors
 *
 * Annotated hex vectors (tests/data/MODULE/NAME.hex) hold wire bytes written
 * down field by field from the spec's figures:
 *
 *     # TS 24.380 8.2.4 Floor Granted        <- '#' comments to end of line
 *     81          # V=2 P=0 subtype=00001
 *     cc          # PT=204 (APP)
 *     "MCPT"      # name, as ASCII in double quotes (no escapes)
 *
 * Bytes are hex pairs separated by white space.
 */
#ifndef MCX_TESTUTIL_H
#define MCX_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

uint8_t *tu_load(const char *relpath, size_t *lenp);
uint8_t *tu_load_hex(const char *relpath, size_t *lenp);
int  tu_hex_parse(uint8_t **bufp, size_t *lenp, const char *text, size_t tlen,
		  char *why, size_t whysz);
void tu_assert_bytes(const uint8_t *got, size_t gotlen,
		     const uint8_t *exp, size_t explen);
void tu_assert_mbuf_str(const void *mb, const char *exp);
char *tu_str(const void *mb);

/**
 * Run libre's main loop until cond(arg) is true or timeout_ms passes; the
 * condition is polled every millisecond.  True if it became true.
 */
typedef int (tu_cond_h)(void *arg);
int  tu_re_wait(tu_cond_h *cond, void *arg, unsigned timeout_ms);

#endif
