/**
 * @file test_mcsip.c  MC SIP helpers: service, Warning, bodies, digest
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/mcsip.h>
#include <mcx/multipart.h>
#include "testutil.h"

static struct sip_msg *msg_of(const char *text)
{
	struct mbuf *mb = mbuf_alloc(2048);
	struct sip_msg *msg = NULL;

	assert_non_null(mb);
	assert_int_equal(0, mbuf_write_str(mb, text));
	mb->pos = 0;
	assert_int_equal(0, sip_msg_decode(&msg, mb));
	mem_deref(mb);

	return msg;
}

#define REQ_HEAD(method) \
	method " sip:mcptt-pf@a.mcx.test SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bK-1\r\n" \
	"From: <sip:alice@a.mcx.test>;tag=1\r\n" \
	"To: <sip:mcptt-pf@a.mcx.test>\r\n" \
	"Call-ID: c1\r\n" \
	"CSeq: 1 " method "\r\n"

static void warning(void **state)
{
	char buf[200];

	(void)state;
	assert_int_equal(0, mcsip_warning(buf, sizeof(buf), "a.mcx.test",
					  146, "T-PF unable to \"determine\""));
	assert_string_equal(buf, "399 a.mcx.test \"146 T-PF unable to "
			    " determine \"");
	assert_int_equal(0, mcsip_warning(buf, sizeof(buf), NULL, 1,
					  "x\r\ny"));
	assert_string_equal(buf, "399 - \"001 x  y\"");
	assert_int_equal(ENOSPC, mcsip_warning(buf, 10, "h", 100, "long"));
}

static void service(void **state)
{
	struct sip_msg *m;

	(void)state;
	m = msg_of(REQ_HEAD("INVITE")
		   "P-Preferred-Service: urn:urn-7:3gpp-service.ims.icsi."
		   "mcptt\r\nContent-Length: 0\r\n\r\n");
	assert_true(mcsip_is_service(m, MCSIP_ICSI_MCPTT));
	assert_false(mcsip_is_service(m, MCSIP_ICSI_MCVIDEO));
	mem_deref(m);

	m = msg_of(REQ_HEAD("INVITE")
		   "Accept-Contact: *;+g.3gpp.mcptt;require;explicit\r\n"
		   "Accept-Contact: *;" MCSIP_TAG_ICSI_MCPTT
		   ";require;explicit\r\nContent-Length: 0\r\n\r\n");
	assert_true(mcsip_is_service(m, MCSIP_ICSI_MCPTT));
	assert_false(mcsip_is_service(m, MCSIP_ICSI_MCDATA));
	mem_deref(m);

	m = msg_of(REQ_HEAD("INVITE") "Content-Length: 0\r\n\r\n");
	assert_false(mcsip_is_service(m, MCSIP_ICSI_MCPTT));
	mem_deref(m);
}

static void bodies(void **state)
{
	struct multipart *mp = NULL;
	struct mcx_diag d;
	struct sip_msg *m;
	struct pl v;

	(void)state;
	m = msg_of(REQ_HEAD("INVITE")
		   "Content-Type: multipart/mixed;boundary=b\r\n"
		   "Content-Length: 50\r\n\r\n"
		   "--b\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n--b--");
	assert_int_equal(0, mcsip_body(&mp, m, 1024, &d));
	assert_int_equal(1, multipart_count(mp));
	assert_non_null(multipart_find(mp, "application/sdp"));
	mp = mem_deref(mp);
	assert_int_equal(EMSGSIZE, mcsip_body(&mp, m, 10, &d));
	mem_deref(m);

	m = msg_of(REQ_HEAD("BYE")
		   "Reason: SIP;cause=200;text=\"release due to migration\"\r\n"
		   "Content-Type: application/vnd.3gpp.mcptt-info+xml\r\n"
		   "Content-Length: 5\r\n\r\n<a/>\n");
	assert_int_equal(0, mcsip_body(&mp, m, 1024, &d));
	assert_int_equal(1, multipart_count(mp));
	assert_int_equal(5, ((struct mpart *)mp->parts.head->data)->len);
	mp = mem_deref(mp);
	assert_int_equal(0, mcsip_hdr_param(m, SIP_HDR_REASON, "text", &v));
	assert_int_equal(0, pl_strcmp(&v, "release due to migration"));
	assert_int_equal(0, mcsip_hdr_param(m, SIP_HDR_REASON, "cause", &v));
	assert_int_equal(0, pl_strcmp(&v, "200"));
	assert_int_equal(ENOENT, mcsip_hdr_param(m, SIP_HDR_REASON, "x", &v));
	assert_int_equal(ENOENT, mcsip_hdr_param(m, SIP_HDR_WARNING, "x",
						 &v));
	mem_deref(m);

	m = msg_of(REQ_HEAD("BYE") "Content-Length: 0\r\n\r\n");
	assert_int_equal(0, mcsip_body(&mp, m, 1024, &d));
	assert_int_equal(0, multipart_count(mp));
	mp = mem_deref(mp);
	mem_deref(m);

	m = msg_of(REQ_HEAD("BYE") "Content-Length: 3\r\n\r\nabc");
	assert_int_equal(EBADMSG, mcsip_body(&mp, m, 1024, &d));
	assert_non_null(strstr(d.reason, "without Content-Type"));
	mem_deref(m);

	m = msg_of(REQ_HEAD("INVITE")
		   "Content-Type: multipart/mixed\r\n"
		   "Content-Length: 3\r\n\r\nabc");
	assert_int_equal(EBADMSG, mcsip_body(&mp, m, 1024, &d));
	assert_non_null(strstr(d.reason, "boundary missing"));
	mem_deref(m);
}

/* ---- digest ---- */

static const uint8_t secret[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

static int ha1_of(const struct pl *user, uint8_t ha1[16], void *arg)
{
	(void)arg;
	if (pl_strcmp(user, "alice@a.mcx.test"))
		return ENOENT;
	return md5_printf(ha1, "alice@a.mcx.test:a.mcx.test:alice-secret");
}

/* What a client computes (RFC 7616 3.4.1, MD5, qop=auth), for a digest
 * uri that may differ from the Request-URI */
static struct sip_msg *authorized_uri(const char *hdr, const char *user,
				      const char *pw, const struct pl *nonce,
				      const char *qop, const char *uri)
{
	uint8_t ha1[16], ha2[16], resp[16];
	char text[1024];

	assert_int_equal(0, md5_printf(ha1, "%s:a.mcx.test:%s", user, pw));
	assert_int_equal(0, md5_printf(ha2, "INVITE:%s", uri));
	assert_int_equal(0, md5_printf(resp, "%w:%r:00000001:c0ffee:%s:%w",
				       ha1, sizeof(ha1), nonce, qop, ha2,
				       sizeof(ha2)));
	(void)re_snprintf(text, sizeof(text), REQ_HEAD("INVITE")
			  "%s: Digest username=\"%s\", realm=\"a.mcx.test\", "
			  "nonce=\"%r\", uri=\"%s\", "
			  "response=\"%w\", qop=%s, nc=00000001, "
			  "cnonce=\"c0ffee\", algorithm=MD5\r\n"
			  "Content-Length: 0\r\n\r\n", hdr, user, nonce, uri,
			  resp, sizeof(resp), qop);

	return msg_of(text);
}


static struct sip_msg *authorized(const char *hdr, const char *user,
				  const char *pw, const struct pl *nonce,
				  const char *qop)
{
	return authorized_uri(hdr, user, pw, nonce, qop,
			      "sip:mcptt-pf@a.mcx.test");
}

static void nonce_of(struct pl *nonce, char *buf, size_t sz,
		     const struct mcsip_auth *a, uint64_t now)
{
	char chall[300];
	struct httpauth_digest_chall c;
	struct pl pl;

	assert_int_equal(0, mcsip_auth_challenge(chall, sizeof(chall), a, now,
						 false));
	pl_set_str(&pl, chall);
	assert_int_equal(0, httpauth_digest_challenge_decode(&c, &pl));
	assert_int_equal(0, pl_strcmp(&c.realm, "a.mcx.test"));
	assert_int_equal(0, pl_strcmp(&c.qop, "auth"));
	assert_int_equal(0, pl_strcpy(&c.nonce, buf, sz));
	pl_set_str(nonce, buf);
}

static void digest(void **state)
{
	struct mcsip_auth a;
	struct mcx_diag d;
	struct sip_msg *m;
	struct pl user, nonce;
	char nb[80];
	const uint64_t now = 1764000000;

	(void)state;
	assert_int_equal(EINVAL, mcsip_auth_init(&a, "a.mcx.test", secret, 8));
	assert_int_equal(0, mcsip_auth_init(&a, "a.mcx.test", secret,
					    sizeof(secret)));
	nonce_of(&nonce, nb, sizeof(nb), &a, now);

	/* right password, in Proxy-Authorization */
	m = authorized("Proxy-Authorization", "alice@a.mcx.test",
		       "alice-secret", &nonce, "auth");
	if (mcsip_auth_check(&a, m, true, now + 10, ha1_of, NULL, &user, &d))
		fail_msg("refused: %s", d.reason);
	assert_int_equal(0, pl_strcmp(&user, "alice@a.mcx.test"));
	/* looked for in Authorization: none there */
	assert_int_equal(ENOENT, mcsip_auth_check(&a, m, false, now, ha1_of,
						  NULL, &user, &d));
	/* too old: stale */
	assert_int_equal(ETIMEDOUT, mcsip_auth_check(&a, m, true,
						     now + 301, ha1_of, NULL,
						     &user, &d));
	/* from the future */
	assert_int_equal(EACCES, mcsip_auth_check(&a, m, true, now - 60,
						  ha1_of, NULL, &user, &d));
	mem_deref(m);

	/* wrong password, unknown user */
	m = authorized("Authorization", "alice@a.mcx.test", "guess", &nonce,
		       "auth");
	assert_int_equal(EACCES, mcsip_auth_check(&a, m, false, now, ha1_of,
						  NULL, &user, &d));
	assert_non_null(strstr(d.reason, "wrong credentials"));
	mem_deref(m);
	m = authorized("Authorization", "eve@a.mcx.test", "x", &nonce,
		       "auth");
	assert_int_equal(EACCES, mcsip_auth_check(&a, m, false, now, ha1_of,
						  NULL, &user, &d));
	assert_non_null(strstr(d.reason, "unknown user"));
	mem_deref(m);

	/* a nonce another secret made */
	{
		struct mcsip_auth other;
		uint8_t s2[32] = { 9 };
		struct pl n2;
		char nb2[80];

		assert_int_equal(0, mcsip_auth_init(&other, "a.mcx.test", s2,
						    sizeof(s2)));
		nonce_of(&n2, nb2, sizeof(nb2), &other, now);
		m = authorized("Authorization", "alice@a.mcx.test",
			       "alice-secret", &n2, "auth");
		assert_int_equal(EACCES, mcsip_auth_check(&a, m, false, now,
							  ha1_of, NULL, &user,
							  &d));
		assert_non_null(strstr(d.reason, "nonce not ours"));
		mem_deref(m);
	}

	/* credentials computed over another digest uri than the
	 * Request-URI are accepted (decisions.md 22: sipp and others
	 * use one uri for all requests); the response still covers the
	 * uri the client sent */
	m = authorized_uri("Authorization", "alice@a.mcx.test",
			   "alice-secret", &nonce, "auth",
			   "sip:127.0.0.1:5060");
	if (mcsip_auth_check(&a, m, false, now, ha1_of, NULL, &user, &d))
		fail_msg("refused: %s", d.reason);
	mem_deref(m);
	m = authorized_uri("Authorization", "alice@a.mcx.test", "guess",
			   &nonce, "auth", "sip:127.0.0.1:5060");
	assert_int_equal(EACCES, mcsip_auth_check(&a, m, false, now, ha1_of,
						  NULL, &user, &d));
	mem_deref(m);

	/* qop other than auth */
	m = authorized("Authorization", "alice@a.mcx.test", "alice-secret",
		       &nonce, "auth-int");
	assert_int_equal(EACCES, mcsip_auth_check(&a, m, false, now, ha1_of,
						  NULL, &user, &d));
	mem_deref(m);

	/* another realm only: not ours to check */
	m = msg_of(REQ_HEAD("INVITE")
		   "Authorization: Digest username=\"a\", realm=\"b.mcx.test\""
		   ", nonce=\"x\", uri=\"sip:x\", response=\"00\"\r\n"
		   "Content-Length: 0\r\n\r\n");
	assert_int_equal(ENOENT, mcsip_auth_check(&a, m, false, now, ha1_of,
						  NULL, &user, &d));
	mem_deref(m);

	/* stale=true in a challenge */
	{
		char c[300];

		assert_int_equal(0, mcsip_auth_challenge(c, sizeof(c), &a, now,
							 true));
		assert_non_null(strstr(c, ", stale=true"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(warning),
		cmocka_unit_test(service),
		cmocka_unit_test(bodies),
		cmocka_unit_test(digest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
