/**
 * @file testutil.c  Helpers for the unit tests
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include "testutil.h"


/**
 * Load a file from tests/data
 *
 * @param relpath Path below tests/data
 * @param lenp    Where its length goes
 *
 * @return mem-allocated bytes with a NUL after them; the test fails if the
 *         file cannot be read
 */
uint8_t *tu_load(const char *relpath, size_t *lenp)
{
	char path[512];
	uint8_t *buf;
	FILE *f;
	long n = 0;

	(void)snprintf(path, sizeof(path), "%s/%s", MCX_TEST_DATA, relpath);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s: %m", path);

	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		fail_msg("cannot size %s", path);

	buf = mem_alloc((size_t)n + 1, NULL);
	assert_non_null(buf);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		fail_msg("short read on %s", path);
	(void)fclose(f);

	buf[n] = 0;
	*lenp = (size_t)n;

	return buf;
}


static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}


/**
 * Parse the annotated hex format (see testutil.h)
 *
 * @return 0, or EBADMSG with the line and what was wrong in why
 */
int tu_hex_parse(uint8_t **bufp, size_t *lenp, const char *text, size_t tlen,
		 char *why, size_t whysz)
{
	struct mbuf *mb = mbuf_alloc(256);
	unsigned line = 1;
	size_t i = 0;
	int err = 0;

	if (!mb)
		return ENOMEM;

	while (i < tlen) {
		char c = text[i];

		if (c == '\n') {
			++line;
			++i;
		}
		else if (c == ' ' || c == '\t' || c == '\r') {
			++i;
		}
		else if (c == '#') {
			while (i < tlen && text[i] != '\n')
				++i;
		}
		else if (c == '"') {
			size_t j = i + 1;

			while (j < tlen && text[j] != '"' && text[j] != '\n')
				++j;
			if (j >= tlen || text[j] != '"') {
				(void)snprintf(why, whysz,
					       "line %u: unterminated string",
					       line);
				err = EBADMSG;
				goto out;
			}
			err = mbuf_write_mem(mb, (const uint8_t *)text + i + 1,
					     j - i - 1);
			if (err)
				goto out;
			i = j + 1;
		}
		else {
			int hi = hexval(c);
			int lo = (i + 1 < tlen) ? hexval(text[i + 1]) : -1;

			if (hi < 0 || lo < 0) {
				(void)snprintf(why, whysz,
					       "line %u: '%c' is not hex", line,
					       c);
				err = EBADMSG;
				goto out;
			}
			err = mbuf_write_u8(mb, (uint8_t)(hi << 4 | lo));
			if (err)
				goto out;
			i += 2;
		}
	}

	*lenp = mb->end;
	*bufp = mem_alloc(mb->end + 1, NULL);
	if (!*bufp) {
		err = ENOMEM;
		goto out;
	}
	memcpy(*bufp, mb->buf, mb->end);

 out:
	mem_deref(mb);
	return err;
}


/** Load an annotated hex vector from tests/data; fails the test if bad */
uint8_t *tu_load_hex(const char *relpath, size_t *lenp)
{
	char why[128] = "";
	uint8_t *text, *buf = NULL;
	size_t tlen;
	int err;

	text = tu_load(relpath, &tlen);
	err = tu_hex_parse(&buf, lenp, (const char *)text, tlen, why,
			   sizeof(why));
	mem_deref(text);
	if (err)
		fail_msg("%s: %s", relpath, why);

	return buf;
}


/** Assert two byte strings are equal; on failure name the first difference */
void tu_assert_bytes(const uint8_t *got, size_t gotlen,
		     const uint8_t *exp, size_t explen)
{
	size_t n = gotlen < explen ? gotlen : explen;

	for (size_t i = 0; i < n; i++) {
		if (got[i] != exp[i])
			fail_msg("byte %zu: got %02x, expected %02x "
				 "(lengths %zu/%zu)", i, got[i], exp[i],
				 gotlen, explen);
	}

	if (gotlen != explen)
		fail_msg("length %zu, expected %zu (equal up to byte %zu)",
			 gotlen, explen, n);
}


/** NUL-terminated copy of an mbuf's content (from 0 to end) */
char *tu_str(const void *mbv)
{
	const struct mbuf *mb = mbv;
	char *s = mem_alloc(mb->end + 1, NULL);

	assert_non_null(s);
	if (mb->end)
		memcpy(s, mb->buf, mb->end);
	s[mb->end] = '\0';

	return s;
}


/** Assert an mbuf holds exactly the string exp */
void tu_assert_mbuf_str(const void *mbv, const char *exp)
{
	char *s = tu_str(mbv);

	assert_string_equal(s, exp);
	mem_deref(s);
}


/* ---- libre main loop with a deadline ---- */

struct re_wait {
	struct tmr poll;
	tu_cond_h *cond;
	void *arg;
	uint64_t deadline;
	int met;
};


static void re_wait_poll(void *arg)
{
	struct re_wait *w = arg;

	if (w->cond(w->arg)) {
		w->met = 1;
		re_cancel();
		return;
	}
	if (tmr_jiffies() >= w->deadline) {
		re_cancel();
		return;
	}
	tmr_start(&w->poll, 1, re_wait_poll, w);
}


int tu_re_wait(tu_cond_h *cond, void *arg, unsigned timeout_ms)
{
	struct re_wait w;

	memset(&w, 0, sizeof(w));
	w.cond = cond;
	w.arg = arg;
	w.deadline = tmr_jiffies() + timeout_ms;
	tmr_init(&w.poll);
	tmr_start(&w.poll, 0, re_wait_poll, &w);

	(void)re_main(NULL);
	tmr_cancel(&w.poll);

	return w.met;
}
