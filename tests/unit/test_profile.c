/**
 * @file test_profile.c  User profile documents (TS 24.484) and our
 *                       migration part
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/profile.h>
#include "testutil.h"

static struct profile *load(enum mcx_svc svc, const char *path)
{
	struct profile *p = NULL;
	struct mcx_diag d = { "" };
	size_t len;
	uint8_t *buf = tu_load(path, &len);
	int err = profile_decode(&p, svc, buf, len, &d);

	if (err)
		fail_msg("%s: %d %s", path, err, d.reason);
	mem_deref(buf);

	return p;
}

static const struct profile_user *user_n(const struct profile *p, unsigned n)
{
	struct le *le = p->private_calls.head;

	while (le && n--)
		le = le->next;
	assert_non_null(le);

	return le->data;
}

static void mcptt_primary(void **state)
{
	struct profile *p = load(MCX_SVC_MCPTT, "profile/mcptt-alice.xml");
	const struct profile_partner *c, *b;
	char line[300];

	(void)state;
	assert_string_equal(p->xui_uri, "sip:alice@a.mcx.test");
	assert_int_equal(0, p->index);
	assert_string_equal(p->name, "Alice");
	assert_string_equal(p->profile_name, "alice-primary");
	assert_true(p->preselected);
	assert_int_equal(MCX_BOOL_TRUE, p->status);
	assert_string_equal(p->user_id, "sip:alice@a.mcx.test");
	assert_string_equal(p->user_display, "Alice");
	assert_string_equal(p->mc_org, "Fire A");
	assert_int_equal(2, list_count(&p->private_calls));
	assert_string_equal(user_n(p, 0)->uri, "sip:bob@b.mcx.test");
	assert_string_equal(user_n(p, 0)->display_name, "Bob");
	assert_string_equal(user_n(p, 1)->uri, "sip:carol@a.mcx.test");
	assert_null(user_n(p, 1)->display_name);
	assert_string_equal(p->emergency_recipient, "sip:dispatch@a.mcx.test");

	/* permissions: true in some rule, anyExt included; false is not */
	assert_true(profile_allows(p, PA_PRIVATE_CALL));
	assert_true(profile_allows(p, PA_AUTO_COMMENCEMENT));
	assert_true(profile_allows(p, PA_MANUAL_COMMENCEMENT));
	assert_true(profile_allows(p, PA_EMERGENCY_PRIVATE_CALL));
	assert_true(profile_allows(p, PA_QUERY_AVAILABILITY));
	assert_false(profile_allows(p, PA_FORCE_AUTO_ANSWER));
	assert_false(profile_allows(p, PA_PRIVATE_CALL_TO_ANY));

	/* who alice may call */
	assert_true(profile_may_call(p, "sip:bob@b.mcx.test"));
	assert_false(profile_may_call(p, "sip:eve@b.mcx.test"));

	/* migration part */
	assert_true(p->has_migration);
	assert_true(p->use_in_primary);
	assert_int_equal(2, list_count(&p->partners));
	c = profile_partner_find(p, "C.MCX.TEST");
	assert_non_null(c);
	assert_int_equal(1, c->profile_index);
	assert_string_equal(c->sip_core, "sip:127.0.1.3:5060");
	assert_string_equal(c->idms_token_ep,
			    "http://127.0.1.3:8080/idms/token");
	assert_string_equal(c->idms_audience, "https://idms.c.mcx.test");
	assert_string_equal(c->cms_root, "http://127.0.1.3:8080/cms");
	assert_string_equal(c->impu, "sip:alice.a@c.mcx.test");
	assert_string_equal(c->impi, "alice.a@c.mcx.test");
	b = profile_partner_find(p, "b.mcx.test");
	assert_non_null(b);
	assert_null(b->impu);
	assert_null(profile_partner_find(p, "d.mcx.test"));

	(void)re_snprintf(line, sizeof(line), "%H", profile_print, p);
	assert_string_equal(line, "mcptt-user-profile 0 for sip:alice@a.mcx."
			    "test: 2 private call entries, allow private-call "
			    "automatic-commencement manual-commencement "
			    "emergency-private-call query-availability-for-"
			    "private-calls; migration (usable in primary): "
			    "c.mcx.test (profile 1) b.mcx.test (profile 2)");
	mem_deref(p);
}

static void mcptt_partner(void **state)
{
	struct profile *p = load(MCX_SVC_MCPTT,
				 "profile/mcptt-alice-partner-c.xml");

	(void)state;
	assert_string_equal(p->user_id, "sip:alice.a@c.mcx.test");
	assert_int_equal(1, p->index);
	assert_true(p->has_migration);
	assert_false(p->use_in_primary);
	assert_int_equal(0, list_count(&p->partners));
	assert_true(profile_may_call(p, "sip:bob@b.mcx.test"));
	assert_int_equal(MCX_BOOL_ABSENT, p->status);
	mem_deref(p);
}

static void mcvideo_mcdata(void **state)
{
	struct profile *p = load(MCX_SVC_MCVIDEO, "profile/mcvideo-alice.xml");

	(void)state;
	assert_string_equal(p->user_id, "sip:alice@a.mcx.test");
	assert_int_equal(1, list_count(&p->private_calls));
	assert_string_equal(user_n(p, 0)->uri, "sip:bob@b.mcx.test");
	assert_string_equal(p->emergency_recipient, "sip:dispatch@a.mcx.test");
	assert_true(profile_allows(p, PA_RECEIVE_FROM_ANY));
	assert_false(profile_allows(p, PA_FLOOR_CONTROL_PROTECTION));
	mem_deref(p);

	p = load(MCX_SVC_MCDATA, "profile/mcdata-alice.xml");
	assert_int_equal(MCX_BOOL_FALSE, p->status);
	assert_string_equal(p->user_id, "sip:alice@a.mcx.test");
	mem_deref(p);
}

/* The same document read as another service's is refused by namespace */
static void wrong_service(void **state)
{
	struct profile *p = NULL;
	struct mcx_diag d;
	size_t len;
	uint8_t *buf = tu_load("profile/mcptt-alice.xml", &len);

	(void)state;
	assert_int_equal(EBADMSG, profile_decode(&p, MCX_SVC_MCVIDEO, buf, len,
						 &d));
	assert_non_null(strstr(d.reason, "expected <mcvideo-user-profile>"));
	assert_null(p);
	mem_deref(buf);
}

/* decode -> encode -> decode -> encode: encodings equal, content kept */
static void round_trips(void **state)
{
	static const struct { enum mcx_svc svc; const char *path; } v[] = {
		{ MCX_SVC_MCPTT, "profile/mcptt-alice.xml" },
		{ MCX_SVC_MCPTT, "profile/mcptt-alice-partner-c.xml" },
		{ MCX_SVC_MCVIDEO, "profile/mcvideo-alice.xml" },
		{ MCX_SVC_MCDATA, "profile/mcdata-alice.xml" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
		struct profile *a = load(v[k].svc, v[k].path), *b = NULL;
		struct mbuf *m1 = mbuf_alloc(1024), *m2 = mbuf_alloc(1024);
		struct mcx_diag d = { "" };
		int err;

		assert_int_equal(0, profile_encode(m1, a));
		err = profile_decode(&b, v[k].svc, m1->buf, m1->end, &d);
		if (err)
			fail_msg("%s re-decoded: %s", v[k].path, d.reason);
		assert_int_equal(0, profile_encode(m2, b));
		tu_assert_bytes(m2->buf, m2->end, m1->buf, m1->end);

		assert_string_equal(a->user_id, b->user_id);
		assert_int_equal(a->allow, b->allow);
		assert_int_equal(list_count(&a->private_calls),
				 list_count(&b->private_calls));
		assert_int_equal(list_count(&a->partners),
				 list_count(&b->partners));
		assert_int_equal(a->use_in_primary, b->use_in_primary);
		assert_int_equal(a->has_migration, b->has_migration);
		mem_deref(m2);
		mem_deref(m1);
		mem_deref(b);
		mem_deref(a);
	}
}

static void build_exact(void **state)
{
	struct profile_partner pt = {
		.system = "c.mcx.test", .profile_index = 3,
		.sip_core = "sip:127.0.1.3", .idms_token_ep = "http://i/t",
		.idms_audience = "aud", .cms_root = "http://c/",
		.impu = "sip:a.a@c.mcx.test", .impi = NULL,
	};
	struct mbuf *mb = mbuf_alloc(512);
	struct profile *p = NULL;

	(void)state;
	assert_int_equal(0, profile_alloc(&p, MCX_SVC_MCPTT,
					  "sip:a@a.mcx.test", 2,
					  "sip:a@a.mcx.test"));
	assert_int_equal(0, profile_user_add(p, "sip:b@b.mcx.test", NULL));
	p->allow = 1u << PA_PRIVATE_CALL;
	assert_int_equal(0, profile_partner_add(p, &pt));
	assert_int_equal(EINVAL, profile_partner_add(p, &pt)); /* twice */
	assert_int_equal(0, profile_encode(mb, p));
	tu_assert_mbuf_str(mb,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<mcptt-user-profile xmlns=\"urn:3gpp:mcptt:user-profile:1.0\""
		" xmlns:cp=\"urn:ietf:params:xml:ns:common-policy\""
		" XUI-URI=\"sip:a@a.mcx.test\" user-profile-index=\"2\">\n"
		"  <Common index=\"1\">\n"
		"    <MCPTTUserID>\n"
		"      <uri-entry>sip:a@a.mcx.test</uri-entry>\n"
		"    </MCPTTUserID>\n"
		"    <PrivateCall>\n"
		"      <PrivateCallList>\n"
		"        <PrivateCallURI>\n"
		"          <uri-entry>sip:b@b.mcx.test</uri-entry>\n"
		"        </PrivateCallURI>\n"
		"      </PrivateCallList>\n"
		"    </PrivateCall>\n"
		"  </Common>\n"
		"  <OnNetwork index=\"1\">\n"
		"    <anyExt>\n"
		"      <migration xmlns=\"urn:mcx:ns:migration:1.0\""
		" use-in-primary=\"true\">\n"
		"        <partner system=\"c.mcx.test\" profile-index=\"3\">\n"
		"          <sip-core>sip:127.0.1.3</sip-core>\n"
		"          <idms-token-endpoint>http://i/t"
		"</idms-token-endpoint>\n"
		"          <idms-audience>aud</idms-audience>\n"
		"          <cms-root>http://c/</cms-root>\n"
		"          <partner-sip-identity"
		" impu=\"sip:a.a@c.mcx.test\"/>\n"
		"        </partner>\n"
		"      </migration>\n"
		"    </anyExt>\n"
		"  </OnNetwork>\n"
		"  <cp:ruleset>\n"
		"    <cp:rule id=\"permissions\">\n"
		"      <cp:actions>\n"
		"        <allow-private-call>true</allow-private-call>\n"
		"      </cp:actions>\n"
		"    </cp:rule>\n"
		"  </cp:ruleset>\n"
		"</mcptt-user-profile>\n");

	/* a permission the document cannot carry is refused, not dropped */
	p->allow |= 1u << PA_RECEIVE_FROM_ANY;
	assert_int_equal(EINVAL, profile_encode(mb, p));

	mem_deref(p);
	mem_deref(mb);
}

static void api_checks(void **state)
{
	struct profile_partner pt = {
		.system = "bad domain", .sip_core = "sip:x",
		.idms_token_ep = "http://x", .idms_audience = "a",
		.cms_root = "http://x",
	};
	struct profile *p = NULL;

	(void)state;
	assert_int_equal(EINVAL, profile_alloc(&p, MCX_SVC_MCPTT, "sip:a b",
					       0, "sip:a@b"));
	assert_int_equal(EINVAL, profile_alloc(&p, (enum mcx_svc)5, "sip:a",
					       0, "sip:a@b"));
	assert_int_equal(0, profile_alloc(&p, MCX_SVC_MCPTT, "sip:a", 0,
					  "sip:a@b"));
	assert_int_equal(EINVAL, profile_partner_add(p, &pt));
	pt.system = "c.mcx.test";
	pt.impi = "i@c";	/* an IMPI without IMPU */
	assert_int_equal(EINVAL, profile_partner_add(p, &pt));
	assert_false(p->has_migration);
	assert_int_equal(EINVAL, profile_user_add(p, "", NULL));
	for (int i = 0; i < PROFILE_MAX_LIST; i++)
		assert_int_equal(0, profile_user_add(p, "sip:x@y", NULL));
	assert_int_equal(EINVAL, profile_user_add(p, "sip:x@y", NULL));

	/* private calls need allow-private-call, whatever the list */
	assert_false(profile_may_call(p, "sip:x@y"));
	p->allow = 1u << PA_PRIVATE_CALL;
	assert_true(profile_may_call(p, "sip:x@y"));

	assert_string_equal(profile_allow_name(PA_FIRST_TO_ANSWER),
			    "allow-request-first-to-answer-call");
	assert_string_equal(profile_auid(MCX_SVC_MCDATA),
			    "org.3gpp.mcdata.user-profile");
	assert_string_equal(profile_mime(MCX_SVC_MCVIDEO),
			    "application/vnd.3gpp.mcvideo-user-profile+xml");
	assert_null(profile_ns((enum mcx_svc)9));
	mem_deref(p);
}

#define UP "xmlns='urn:3gpp:mcptt:user-profile:1.0'"
#define ROOT "<mcptt-user-profile " UP " XUI-URI='sip:a@b' " \
	"user-profile-index='0'>"
#define UID "<Common><MCPTTUserID><uri-entry>sip:a@b</uri-entry>" \
	"</MCPTTUserID></Common>"
#define MIG(x) ROOT UID "<OnNetwork><anyExt><migration " \
	"xmlns='urn:mcx:ns:migration:1.0'>" x "</migration></anyExt>" \
	"</OnNetwork></mcptt-user-profile>"
#define PARTNER "<sip-core>sip:c</sip-core><idms-token-endpoint>http://t" \
	"</idms-token-endpoint><idms-audience>a</idms-audience><cms-root>" \
	"http://c</cms-root>"

static void refusals(void **state)
{
	static const struct { const char *doc; int err; const char *why; }
	bad[] = {
		{ "<mcptt-user-profile " UP " user-profile-index='0'>" UID
		  "</mcptt-user-profile>", EBADMSG, "XUI-URI missing" },
		{ "<mcptt-user-profile " UP " XUI-URI='sip:a@b'>" UID
		  "</mcptt-user-profile>", EBADMSG,
		  "user-profile-index missing or not 0..255" },
		{ "<mcptt-user-profile " UP " XUI-URI='sip:a@b' "
		  "user-profile-index='256'>" UID "</mcptt-user-profile>",
		  EBADMSG, "not 0..255" },
		{ ROOT "</mcptt-user-profile>", EBADMSG,
		  "<Common>/<MCPTTUserID> missing" },
		{ ROOT UID UID "</mcptt-user-profile>", EBADMSG,
		  "<Common> more than once" },
		{ ROOT "<Common><MCPTTUserID/></Common></mcptt-user-profile>",
		  EBADMSG, "<MCPTTUserID>: <uri-entry> missing" },
		{ ROOT "<Common><MCPTTUserID><uri-entry>a</uri-entry>"
		  "<uri-entry>b</uri-entry></MCPTTUserID></Common>"
		  "</mcptt-user-profile>", EBADMSG,
		  "<uri-entry> more than once" },
		{ ROOT "<Common><MCPTTUserID><uri-entry>sip:a b</uri-entry>"
		  "</MCPTTUserID></Common></mcptt-user-profile>", EBADMSG,
		  "<uri-entry>: not a URI" },
		{ ROOT UID "<Status>maybe</Status></mcptt-user-profile>",
		  EBADMSG, "<Status>: not a boolean" },
		{ ROOT UID "<Name>a</Name><Name>b</Name>"
		  "</mcptt-user-profile>", EBADMSG, "<Name> more than once" },
		{ ROOT UID "<ruleset xmlns='urn:ietf:params:xml:ns:common-"
		  "policy'><rule id='r'><actions><allow-private-call "
		  UP ">yes</allow-private-call></actions></rule></ruleset>"
		  "</mcptt-user-profile>", EBADMSG,
		  "<allow-private-call>: not a boolean" },
		{ ROOT "<Common><MCPTTUserID><uri-entry>sip:a@b</uri-entry>"
		  "</MCPTTUserID><PrivateCall><PrivateCallList>"
		  "<PrivateCallURI/></PrivateCallList></PrivateCall></Common>"
		  "</mcptt-user-profile>", EBADMSG,
		  "<PrivateCallURI>: <uri-entry> missing" },
		{ MIG("<partner profile-index='1'>" PARTNER "</partner>"),
		  EBADMSG, "<partner>: system missing" },
		{ MIG("<partner system='c.mcx.test'>" PARTNER "</partner>"),
		  EBADMSG, "profile-index missing" },
		{ MIG("<partner system='c.mcx.test' profile-index='1'>"
		      "<sip-core>sip:c</sip-core></partner>"), EBADMSG,
		  "needs <sip-core>, <idms-token-endpoint>" },
		{ MIG("<partner system='c.mcx.test' profile-index='1'>" PARTNER
		      "</partner><partner system='c.mcx.test' "
		      "profile-index='2'>" PARTNER "</partner>"), EBADMSG,
		  "<partner> c.mcx.test more than once" },
		{ MIG("<partner system='c.mcx.test' profile-index='1'>" PARTNER
		      "<partner-sip-identity impi='x'/></partner>"), EBADMSG,
		  "impu missing" },
		{ ROOT UID "<OnNetwork><anyExt><migration xmlns='urn:mcx:ns:"
		  "migration:1.0' use-in-primary='perhaps'/></anyExt>"
		  "</OnNetwork></mcptt-user-profile>", EBADMSG,
		  "use-in-primary not a boolean" },
		{ ROOT UID, ENODATA, "cut short" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct profile *p = NULL;
		struct mcx_diag d = { "" };
		int err = profile_decode(&p, MCX_SVC_MCPTT,
					 (const uint8_t *)bad[k].doc,
					 strlen(bad[k].doc), &d);

		if (err != bad[k].err || !strstr(d.reason, bad[k].why))
			fail_msg("case %zu: %d '%s', expected %d '%s'", k, err,
				 d.reason, bad[k].err, bad[k].why);
		assert_null(p);
	}
}

static void limits(void **state)
{
	struct mbuf *mb = mbuf_alloc(65536);
	struct profile *p = NULL;
	struct mcx_diag d;

	(void)state;
	mbuf_write_str(mb, ROOT "<Common><MCPTTUserID><uri-entry>sip:a@b"
		       "</uri-entry></MCPTTUserID><PrivateCall>"
		       "<PrivateCallList>");
	for (int i = 0; i <= PROFILE_MAX_LIST; i++)
		mbuf_write_str(mb, "<PrivateCallURI><uri-entry>sip:x@y"
			       "</uri-entry></PrivateCallURI>");
	mbuf_write_str(mb, "</PrivateCallList></PrivateCall></Common>"
		       "</mcptt-user-profile>");
	assert_int_equal(EMSGSIZE, profile_decode(&p, MCX_SVC_MCPTT, mb->buf,
						  mb->end, &d));
	assert_non_null(strstr(d.reason, "more than 256 entries"));
	mem_deref(mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mcptt_primary),
		cmocka_unit_test(mcptt_partner),
		cmocka_unit_test(mcvideo_mcdata),
		cmocka_unit_test(wrong_service),
		cmocka_unit_test(round_trips),
		cmocka_unit_test(build_exact),
		cmocka_unit_test(api_checks),
		cmocka_unit_test(refusals),
		cmocka_unit_test(limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
