/**
 * @file test_mcsdp.c  SDP of MC sessions
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/mcsdp.h>
#include "testutil.h"

static void load(struct mcsdp *s, const char *path)
{
	struct mcx_diag d = { "" };
	size_t len;
	uint8_t *buf = tu_load(path, &len);

	if (mcsdp_decode(s, buf, len, &d))
		fail_msg("%s: %s", path, d.reason);
	mem_deref(buf);
}

static void assert_sa(const struct sa *sa, const char *addr, uint16_t port)
{
	struct sa want;
	char got[64];

	assert_int_equal(0, sa_set_str(&want, addr, port));
	if (!sa_cmp(sa, &want, SA_ALL)) {
		/* cmocka checks printf formats: %J goes through libre */
		(void)re_snprintf(got, sizeof(got), "%J", sa);
		fail_msg("%s, expected %s:%u", got, addr, port);
	}
}

static void client_offer(void **state)
{
	struct mcsdp s;

	(void)state;
	load(&s, "sdp/offer-client.sdp");
	assert_sa(&s.audio, "127.0.1.10", 40000);
	assert_sa(&s.rtcp, "127.0.1.10", 40005);
	assert_int_equal(0, s.audio_pt);	/* PCMU preferred */
	assert_true(s.pcmu);
	assert_int_equal(3940012000u, s.sess_id);
	assert_int_equal(3940012001u, s.sess_ver);
	assert_true(s.floor.present);
	assert_sa(&s.floor.addr, "127.0.1.10", 40002);
	assert_true(s.floor.queueing);
	assert_true(s.floor.implicit_request);
	assert_false(s.floor.granted);
	assert_int_equal(4, s.floor.priority);
}

static void media_level(void **state)
{
	struct mcsdp s;

	(void)state;
	load(&s, "sdp/media-level-c.sdp");
	assert_sa(&s.audio, "::1", 5000);
	assert_sa(&s.rtcp, "::1", 5001);	/* port + 1 */
	assert_int_equal(8, s.audio_pt);
	assert_false(s.pcmu);
	assert_sa(&s.floor.addr, "127.0.0.2", 5002);
	assert_true(s.floor.granted);
	assert_int_equal(0, s.floor.priority);

	load(&s, "sdp/no-floor.sdp");
	assert_false(s.floor.present);
	assert_sa(&s.audio, "192.0.2.1", 40000);
}

static void encode(void **state)
{
	struct mbuf *mb = mbuf_alloc(512);
	struct mcsdp s, t;
	char line[200], *text;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.sess_id = 7;
	s.sess_ver = 1;
	assert_int_equal(0, sa_set_str(&s.audio, "127.0.0.1", 40000));
	assert_int_equal(0, sa_set_str(&s.rtcp, "127.0.0.1", 40001));
	s.audio_pt = MCSDP_PT_PCMU;
	s.floor.present = true;
	assert_int_equal(0, sa_set_str(&s.floor.addr, "127.0.0.1", 40002));
	s.floor.queueing = true;
	s.floor.priority = 4;
	s.floor.implicit_request = true;

	assert_int_equal(0, mcsdp_encode(mb, &s));
	tu_assert_mbuf_str(mb,
		"v=0\r\no=mcx 7 1 IN IP4 127.0.0.1\r\ns=-\r\n"
		"c=IN IP4 127.0.0.1\r\nt=0 0\r\n"
		"m=audio 40000 RTP/AVP 0\r\ni=speech\r\n"
		"a=rtpmap:0 PCMU/8000\r\na=rtcp:40001\r\n"
		"m=application 40002 udp MCPTT\r\n"
		"a=fmtp:MCPTT mc_queueing;mc_priority=4;"
		"mc_implicit_request\r\n");

	/* and reads back */
	assert_int_equal(0, mcsdp_decode(&t, mb->buf, mb->end, NULL));
	assert_true(sa_cmp(&t.audio, &s.audio, SA_ALL));
	assert_true(sa_cmp(&t.floor.addr, &s.floor.addr, SA_ALL));
	assert_int_equal(4, t.floor.priority);
	assert_true(t.floor.implicit_request);
	(void)re_snprintf(line, sizeof(line), "%H", mcsdp_print, &t);
	assert_string_equal(line, "audio 127.0.0.1:40000 pt 0 rtcp "
			    "127.0.0.1:40001; floor control 127.0.0.1:40002 "
			    "implicit-request");

	/* without floor control; a bare floor m-line without parameters */
	mbuf_reset(mb);
	s.floor.present = false;
	assert_int_equal(0, mcsdp_encode(mb, &s));
	text = tu_str(mb);
	assert_null(strstr(text, "application"));
	text = mem_deref(text);
	mbuf_reset(mb);
	memset(&s.floor, 0, sizeof(s.floor));
	s.floor.present = true;
	assert_int_equal(0, mcsdp_encode(mb, &s));
	text = tu_str(mb);
	assert_non_null(strstr(text, "m=application 0 udp MCPTT\r\n"));
	assert_null(strstr(text, "fmtp"));
	text = mem_deref(text);

	/* only PCMU is sent; an address is needed */
	s.audio_pt = 8;
	assert_int_equal(EINVAL, mcsdp_encode(mb, &s));
	s.audio_pt = 0;
	sa_init(&s.audio, AF_INET);
	assert_int_equal(EINVAL, mcsdp_encode(mb, &s));
	mem_deref(mb);
}

#define HEAD "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n"

static void refusals(void **state)
{
	static const struct { const char *sdp; int err; const char *why; }
	bad[] = {
		{ "", ENODATA, "empty" },
		{ "s=-\r\nv=0\r\n", EBADMSG, "line 1: not 'v=0' first" },
		{ "v=1\r\n", EBADMSG, "not 'v=0' first" },
		{ HEAD "m=audio 1 RTP/AVP 0\r\n", EBADMSG,
		  "no connection address" },
		{ HEAD "c=IN IP4 1.2.3.4\r\n", EBADMSG, "no audio stream" },
		{ HEAD "c=IN IP4 1.2.3.4\r\nm=audio 70000 RTP/AVP 0\r\n",
		  EBADMSG, "line 6: m= port out of range" },
		{ HEAD "c=IN IP4 1.2.3.4\r\nm=audio 1 udp 0\r\n", EBADMSG,
		  "audio m= is not RTP" },
		{ HEAD "c=IN IP4 1.2.3.4\r\nm=audio 1 RTP/AVP x\r\n", EBADMSG,
		  "not an RTP payload type" },
		{ HEAD "c=IN IP4 1.2.3.4\r\nm=audio 1 RTP/AVP 200\r\n",
		  EBADMSG, "not an RTP payload type" },
		{ HEAD "c=IN IP4 banana\r\n", EBADMSG, "not an IP address" },
		{ HEAD "c=IN IP6 1.2.3.4\r\n", EBADMSG, "other IP version" },
		{ HEAD "c=IN IP4 1.2.3.4\r\nm=audio 1 RTP/AVP 0\r\n"
		  "a=rtcp:x\r\n", EBADMSG, "a=rtcp without a port" },
		{ HEAD "c=IN IP4 1.2.3.4\r\nm=audio 1 RTP/AVP 0\r\n"
		  "m=application 2 udp MCPTT\r\na=fmtp:MCPTT mc_priority=0"
		  "\r\n", EBADMSG, "mc_priority is not 1..255" },
		{ HEAD "c=IN IP4 1.2.3.4\r\nm=audio 1 RTP/AVP 0\r\n"
		  "m=application 2 udp MCPTT\r\na=fmtp:MCPTT mc_priority=256"
		  "\r\n", EBADMSG, "mc_priority is not 1..255" },
		{ HEAD "junk\r\n", EBADMSG, "line 5: not '<letter>=<value>'" },
		{ HEAD "a=x\x01y\r\n", EBADMSG, "control character" },
		{ HEAD "c=IN IP4\r\n", EBADMSG, "c= is not" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct mcsdp s;
		struct mcx_diag d = { "" };
		int err = mcsdp_decode(&s, (const uint8_t *)bad[k].sdp,
				       strlen(bad[k].sdp), &d);

		if (err != bad[k].err || !strstr(d.reason, bad[k].why))
			fail_msg("case %zu: %d '%s', expected %d '%s'", k, err,
				 d.reason, bad[k].err, bad[k].why);
	}

	{
		struct mcsdp s;
		char *big = mem_zalloc(MCSDP_MAX_SIZE + 1, NULL);

		memset(big, 'a', MCSDP_MAX_SIZE);
		assert_int_equal(EMSGSIZE, mcsdp_decode(&s, (uint8_t *)big,
							MCSDP_MAX_SIZE + 1,
							NULL));
		mem_deref(big);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(client_offer),
		cmocka_unit_test(media_level),
		cmocka_unit_test(encode),
		cmocka_unit_test(refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
