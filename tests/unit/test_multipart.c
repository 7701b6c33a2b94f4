/**
 * @file test_multipart.c  multipart/mixed: vectors, round trips, refusals
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/multipart.h>
#include "testutil.h"

static int decode(struct multipart **mp, const char *ctype,
		  const uint8_t *buf, size_t len, struct mcx_diag *d)
{
	struct pl pl;

	pl_set_str(&pl, ctype);
	return multipart_decode(mp, &pl, buf, len, d);
}

static const struct mpart *nth(const struct multipart *mp, unsigned n)
{
	struct le *le = list_head(&mp->parts);

	while (le && n--)
		le = le->next;
	assert_non_null(le);
	return le->data;
}

static void assert_part(const struct mpart *p, const char *ctype,
			const char *disp, const void *data, size_t len)
{
	assert_string_equal(p->ctype, ctype);
	if (disp)
		assert_string_equal(p->disp, disp);
	else
		assert_null(p->disp);
	tu_assert_bytes(p->data, p->len, data, len);
}

static void vector_invite(void **state)
{
	static const char sdp[] =
		"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
		"c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n"
		"m=application 40002 udp MCPTT\r\n"
		"a=fmtp:MCPTT mc_queueing;mc_priority=4;"
		"mc_implicit_request\r\n";
	struct multipart *mp = NULL;
	struct mcx_diag d;
	uint8_t *buf;
	size_t len;

	(void)state;
	buf = tu_load_hex("multipart/invite-private-call.hex", &len);
	assert_int_equal(0, decode(&mp, "multipart/mixed;boundary=mcx", buf,
				   len, &d));
	assert_int_equal(3, multipart_count(mp));
	assert_string_equal(mp->boundary, "mcx");
	assert_part(nth(mp, 0), "application/sdp", NULL, sdp, strlen(sdp));
	assert_string_equal(nth(mp, 1)->ctype,
			    "application/vnd.3gpp.mcptt-info+xml");
	assert_int_equal(0, memcmp(nth(mp, 1)->data, "<mcpttinfo", 10));
	assert_int_equal('>', nth(mp, 1)->data[nth(mp, 1)->len - 1]);
	assert_string_equal(nth(mp, 2)->disp, "recipient-list");

	assert_ptr_equal(nth(mp, 2),
			 multipart_find(mp, "Application/Resource-Lists+XML"));
	assert_null(multipart_find(mp, "text/plain"));

	mem_deref(mp);
	mem_deref(buf);
}

static void vector_binary(void **state)
{
	static const uint8_t sig[] = { 1, 0, 0, 0, 0, 0 };
	static const uint8_t pay[] = { 3, 1, '\r', '\n', '-', '-', 'b', 0,
				       '\r' };
	struct multipart *mp = NULL;
	struct mcx_diag d;
	uint8_t *buf;
	size_t len;

	(void)state;
	buf = tu_load_hex("multipart/binary-parts.hex", &len);
	assert_int_equal(0, decode(&mp, "multipart/mixed; boundary=\"b 1\"",
				   buf, len, &d));
	assert_int_equal(2, multipart_count(mp));
	assert_part(nth(mp, 0), "application/vnd.3gpp.mcdata-signalling",
		    NULL, sig, sizeof(sig));
	assert_part(nth(mp, 1), "application/vnd.3gpp.mcdata-payload",
		    NULL, pay, sizeof(pay));
	mem_deref(mp);
	mem_deref(buf);
}

/* Every proper prefix of a valid body is "incomplete", never "malformed",
 * until the close delimiter is complete; from then on it decodes. */
static void prefixes_incomplete(void **state)
{
	const char *vec[] = { "multipart/invite-private-call.hex",
			      "multipart/binary-parts.hex" };
	const char *ct[] = { "multipart/mixed;boundary=mcx",
			     "multipart/mixed;boundary=\"b 1\"" };
	const char *close[] = { "\r\n--mcx--", "\r\n--b 1--" };

	(void)state;
	for (size_t v = 0; v < ARRAY_SIZE(vec); v++) {
		size_t len, closed;
		uint8_t *buf = tu_load_hex(vec[v], &len);
		const uint8_t *c = NULL;

		for (size_t i = 0; i + strlen(close[v]) <= len; i++) {
			if (!memcmp(buf + i, close[v], strlen(close[v])))
				c = buf + i;
		}
		assert_non_null(c);
		closed = (size_t)(c - buf) + strlen(close[v]);

		for (size_t n = 0; n < len; n++) {
			struct multipart *mp = NULL;
			struct mcx_diag d = { "" };
			int err = decode(&mp, ct[v], buf, n, &d);

			if (n < closed && err != ENODATA)
				fail_msg("%s: prefix %zu: %d (%s)", vec[v], n,
					 err, d.reason);
			if (n >= closed && err)
				fail_msg("%s: prefix %zu: %d (%s)", vec[v], n,
					 err, d.reason);
			mem_deref(mp);
		}
		mem_deref(buf);
	}
}

static void round_trip(void **state)
{
	static const uint8_t bin[] = { 0, 1, 2, '\r', '\n', '-', '-', 0xff };
	struct multipart *mp = NULL, *mp2 = NULL, *mp3 = NULL;
	struct mbuf *mb = mbuf_alloc(512), *mb2 = mbuf_alloc(512);
	struct mcx_diag d;
	char ctype[128];

	(void)state;
	assert_int_equal(0, multipart_alloc(&mp));
	assert_int_equal(0, multipart_add(mp, "application/sdp", NULL,
					  "v=0\r\n", 5));
	assert_int_equal(0, multipart_add(mp, "application/vnd.3gpp.mcptt-"
					  "info+xml",
					  "render;handling=optional",
					  "<x/>", 4));
	assert_int_equal(0, multipart_add(mp, "application/octet-stream",
					  NULL, bin, sizeof(bin)));
	assert_int_equal(0, multipart_add(mp, "text/plain", NULL, "", 0));
	assert_int_equal(0, multipart_encode(mb, mp));
	(void)re_snprintf(ctype, sizeof(ctype), "%H", multipart_ctype_print,
			  mp);
	assert_int_equal(0, strncmp(ctype, "multipart/mixed;boundary=mcx-",
				    29));

	assert_int_equal(0, decode(&mp2, ctype, mb->buf, mb->end, &d));
	assert_int_equal(4, multipart_count(mp2));
	assert_part(nth(mp2, 0), "application/sdp", NULL, "v=0\r\n", 5);
	assert_part(nth(mp2, 1), "application/vnd.3gpp.mcptt-info+xml",
		    "render;handling=optional", "<x/>", 4);
	assert_part(nth(mp2, 2), "application/octet-stream", NULL, bin,
		    sizeof(bin));
	assert_part(nth(mp2, 3), "text/plain", NULL, "", 0);

	/* deterministic: the same parts give the same bytes */
	assert_int_equal(0, multipart_encode(mb2, mp2));
	tu_assert_bytes(mb2->buf, mb2->end, mb->buf, mb->end);

	/* a part that contains the boundary forces another one */
	assert_int_equal(0, multipart_add(mp2, "text/plain", NULL,
					  mp->boundary,
					  strlen(mp->boundary)));
	mbuf_reset(mb2);
	assert_int_equal(0, multipart_encode(mb2, mp2));
	assert_string_not_equal(mp2->boundary, mp->boundary);
	(void)re_snprintf(ctype, sizeof(ctype), "%H", multipart_ctype_print,
			  mp2);
	assert_int_equal(0, decode(&mp3, ctype, mb2->buf, mb2->end, &d));
	assert_int_equal(5, multipart_count(mp3));
	assert_part(nth(mp3, 4), "text/plain", NULL, mp->boundary,
		    strlen(mp->boundary));

	mem_deref(mp3);
	mem_deref(mp2);
	mem_deref(mp);
	mem_deref(mb2);
	mem_deref(mb);
}

/* A folded header whose value starts on the continuation line */
static void folded_header(void **state)
{
	const char *body = "--x\r\nContent-Type:\r\n application/sdp;\r\n"
		"\tx=1\r\n\r\nv=0\r\n--x--";
	struct multipart *mp = NULL;

	(void)state;
	assert_int_equal(0, decode(&mp, "multipart/mixed;boundary=x",
				   (const uint8_t *)body, strlen(body), NULL));
	assert_string_equal(nth(mp, 0)->ctype, "application/sdp;   x=1");
	assert_non_null(multipart_find(mp, "application/sdp"));
	mem_deref(mp);
}

static void lf_and_base64(void **state)
{
	const char *body = "--x\nContent-Type: text/plain\n\nhello\n"
		"--x\nContent-Type: application/octet-stream\n"
		"Content-Transfer-Encoding: BASE64\n\naGVs\nbG8=\n--x--\n";
	const char *nohdr = "--x\r\n\r\nplain\r\n--x--";
	struct multipart *mp = NULL;
	struct mcx_diag d;

	(void)state;
	assert_int_equal(0, decode(&mp, "multipart/mixed;boundary=x",
				   (const uint8_t *)body, strlen(body), &d));
	assert_part(nth(mp, 0), "text/plain", NULL, "hello", 5);
	assert_part(nth(mp, 1), "application/octet-stream", NULL, "hello", 5);
	mp = mem_deref(mp);

	/* no headers at all: RFC 2046 default type */
	assert_int_equal(0, decode(&mp, "multipart/mixed;boundary=x",
				   (const uint8_t *)nohdr, strlen(nohdr), &d));
	assert_part(nth(mp, 0), "text/plain", NULL, "plain", 5);
	mem_deref(mp);
}

struct bad {
	const char *ctype;
	const char *body;
	int err;
	const char *why;
};

static void refusals(void **state)
{
	static const struct bad bad[] = {
		{ "multipart/mixed", "--x\r\n\r\na\r\n--x--", EBADMSG,
		  "boundary missing" },
		{ "application/sdp;boundary=x", "--x--", EBADMSG,
		  "not multipart" },
		{ "multipart/mixed;boundary=x", "no delimiter at all here",
		  ENODATA, "boundary 'x' not found" },
		{ "multipart/mixed;boundary=x", "--x--\r\n", EBADMSG,
		  "no parts" },
		{ "multipart/mixed;boundary=x", "--xjunk\r\n\r\na\r\n--x--",
		  EBADMSG, "junk after boundary" },
		{ "multipart/mixed;boundary=x",
		  "--x\r\nno colon\r\n\r\na\r\n--x--", EBADMSG,
		  "part 1: header line without a name" },
		{ "multipart/mixed;boundary=x",
		  "--x\r\nContent-Type: text/plain\r\n--x--", EBADMSG,
		  "part 1: no empty line" },
		{ "multipart/mixed;boundary=x",
		  "--x\r\n\r\na\r\n--x\r\nContent-Type: bad\r\n\r\nb\r\n--x--",
		  EBADMSG, "part 2: Content-Type" },
		{ "multipart/mixed;boundary=x",
		  "--x\r\nContent-Disposition: a/b\r\n\r\nb\r\n--x--",
		  EBADMSG, "part 1: Content-Disposition" },
		{ "multipart/mixed;boundary=x",
		  "--x\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
		  "b\r\n--x--", EBADMSG, "'quoted-printable' not supported" },
		{ "multipart/mixed;boundary=x",
		  "--x\r\nContent-Transfer-Encoding: base64\r\n\r\n"
		  "a*==\r\n--x--", EBADMSG, "bad base64" },
		{ "multipart/mixed;boundary=x",
		  "--x\r\nContent-Transfer-Encoding: base64\r\n\r\n"
		  "abc\r\n--x--", EBADMSG, "bad base64" },
		{ "multipart/mixed;boundary=x",
		  "--x\r\nContent-Type: a/b\x01" "c\r\n\r\nb\r\n--x--", EBADMSG,
		  "part 1: control character in a header" },
		{ "multipart/mixed;boundary=x", "--x\r\n\r\nabc", ENODATA,
		  "closing boundary missing" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct multipart *mp = NULL;
		struct mcx_diag d = { "" };
		int err = decode(&mp, bad[i].ctype,
				 (const uint8_t *)bad[i].body,
				 strlen(bad[i].body), &d);

		if (err != bad[i].err || !strstr(d.reason, bad[i].why))
			fail_msg("case %zu: %d '%s', expected %d '%s'", i, err,
				 d.reason, bad[i].err, bad[i].why);
		assert_null(mp);
	}
}

static void limits(void **state)
{
	struct mbuf *mb = mbuf_alloc(1024);
	struct multipart *mp = NULL;
	struct mcx_diag d;
	uint8_t *big;

	(void)state;
	for (int i = 0; i <= MCX_MULTIPART_MAX_PARTS; i++)
		mbuf_write_str(mb, "--x\r\n\r\np\r\n");
	mbuf_write_str(mb, "--x--");
	assert_int_equal(EMSGSIZE, decode(&mp, "multipart/mixed;boundary=x",
					  mb->buf, mb->end, &d));
	assert_non_null(strstr(d.reason, "more than"));

	big = mem_zalloc(MCX_MULTIPART_MAX_SIZE + 1, NULL);
	assert_int_equal(EMSGSIZE, decode(&mp, "multipart/mixed;boundary=x",
					  big, MCX_MULTIPART_MAX_SIZE + 1,
					  &d));
	mem_deref(big);

	assert_int_equal(EBADMSG, decode(&mp, "multipart/mixed;boundary="
					 "01234567890123456789012345678901234"
					 "567890123456789012345678901234567"
					 "890", mb->buf, mb->end, &d));
	assert_null(mp);
	mem_deref(mb);
}

static void add_refuses(void **state)
{
	struct multipart *mp = NULL;
	struct mbuf *mb = mbuf_alloc(16);

	(void)state;
	assert_int_equal(0, multipart_alloc(&mp));
	assert_int_equal(EINVAL, multipart_encode(mb, mp));  /* no parts */
	assert_int_equal(EINVAL, multipart_add(mp, "text/plain\r\nX: y", NULL,
					       "a", 1));
	assert_int_equal(EINVAL, multipart_add(mp, "text/plain",
					       "inline\nX: y", "a", 1));
	assert_int_equal(EINVAL, multipart_add(mp, "textplain", NULL, "a",
					       1));
	assert_int_equal(EINVAL, multipart_add(mp, "text/plain", NULL, NULL,
					       1));
	for (int i = 0; i < MCX_MULTIPART_MAX_PARTS; i++)
		assert_int_equal(0, multipart_add(mp, "text/plain", NULL,
						  "a", 1));
	assert_int_equal(EINVAL, multipart_add(mp, "text/plain", NULL, "a",
					       1));
	mem_deref(mp);
	mem_deref(mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vector_invite),
		cmocka_unit_test(vector_binary),
		cmocka_unit_test(prefixes_incomplete),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(folded_header),
		cmocka_unit_test(lf_and_base64),
		cmocka_unit_test(refusals),
		cmocka_unit_test(limits),
		cmocka_unit_test(add_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
