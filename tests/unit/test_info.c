/**
 * @file test_info.c  mcptt-info, mcvideo-info, mcdata-info
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/info.h>
#include <mcx/migration.h>
#include "body/info.h"
#include "testutil.h"

static struct mcx_info *load(enum mcx_svc svc, const char *path)
{
	struct mcx_info *info = NULL;
	struct mcx_diag d = { "" };
	size_t len;
	uint8_t *buf = tu_load(path, &len);
	int err = mcx_info_decode(&info, svc, buf, len, &d);

	if (err)
		fail_msg("%s: %d %s", path, err, d.reason);
	mem_deref(buf);
	assert_int_equal(svc, info->svc);

	return info;
}

static void assert_encodes(const struct mcx_info *info, const char *exp)
{
	struct mbuf *mb = mbuf_alloc(512);

	assert_int_equal(0, mcx_info_encode(mb, info));
	tu_assert_mbuf_str(mb, exp);
	mem_deref(mb);
}

static void assert_content(const struct mcx_content *c, enum mcx_wrap w,
			   const char *v)
{
	assert_int_equal(w, c->wrap);
	if (v)
		assert_string_equal(c->value, v);
	else
		assert_null(c->value);
}

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

static void invite_client(void **state)
{
	struct mcx_info *i = load(MCX_SVC_MCPTT,
				  "info/mcptt-invite-client.xml");

	(void)state;
	assert_string_equal(i->session_type, "private");
	assert_false(mcx_content_isset(&i->calling_user_id));
	assert_null(i->mig_release);
	assert_encodes(i, XML_DECL
		"<mcpttinfo xmlns=\"urn:3gpp:ns:mcpttInfo:1.0\">\n"
		"  <mcptt-Params>\n"
		"    <session-type>private</session-type>\n"
		"  </mcptt-Params>\n"
		"</mcpttinfo>\n");
	mem_deref(i);
}

static void invite_cf_prefixed(void **state)
{
	struct mcx_info *i = load(MCX_SVC_MCPTT, "info/mcptt-invite-cf.xml");

	(void)state;
	assert_content(&i->calling_user_id, MCX_WRAP_URI,
		       "sip:alice@a.mcx.test");
	assert_int_equal(MCX_PROT_NORMAL, i->calling_user_id.prot);
	assert_content(&i->called_party_id, MCX_WRAP_URI,
		       "sip:bob@b.mcx.test");
	assert_content(&i->emergency_ind, MCX_WRAP_BOOLEAN, "false");
	assert_false(mcx_content_true(&i->emergency_ind));
	assert_int_equal(MCX_PROT_NONE, i->emergency_ind.prot);
	assert_encodes(i, XML_DECL
		"<mcpttinfo xmlns=\"urn:3gpp:ns:mcpttInfo:1.0\">\n"
		"  <mcptt-Params>\n"
		"    <session-type>private</session-type>\n"
		"    <mcptt-calling-user-id type=\"Normal\">\n"
		"      <mcpttURI>sip:alice@a.mcx.test</mcpttURI>\n"
		"    </mcptt-calling-user-id>\n"
		"    <mcptt-called-party-id type=\"Normal\">\n"
		"      <mcpttURI>sip:bob@b.mcx.test</mcpttURI>\n"
		"    </mcptt-called-party-id>\n"
		"    <emergency-ind type=\"Normal\">\n"
		"      <mcpttBoolean>false</mcpttBoolean>\n"
		"    </emergency-ind>\n"
		"  </mcptt-Params>\n"
		"</mcpttinfo>\n");
	mem_deref(i);
}

static void publish_auth(void **state)
{
	struct mcx_info *i = load(MCX_SVC_MCPTT,
				  "info/mcptt-publish-auth.xml");

	(void)state;
	assert_content(&i->access_token, MCX_WRAP_STRING,
		       "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln");
	assert_content(&i->request_uri, MCX_WRAP_URI, "sip:alice@a.mcx.test");
	assert_content(&i->client_id, MCX_WRAP_STRING,
		       "urn:uuid:6f2a0c1e-0000-4000-8000-000000000001");
	mem_deref(i);
}

static void bye_migration(void **state)
{
	struct mcx_info *i = load(MCX_SVC_MCPTT,
				  "info/mcptt-bye-migration.xml");
	struct mcx_info *j = NULL;
	char line[160];

	(void)state;
	assert_non_null(i->mig_release);
	assert_string_equal(i->mig_release->continuation, "c7f3a9d2e1b04f65");
	assert_string_equal(i->mig_release->target_system, "c.mcx.test");
	assert_null(i->release_reason);	/* never the 3GPP enumeration */

	/* the same, built by hand, encodes to exactly this */
	assert_int_equal(0, mcx_info_alloc(&j, MCX_SVC_MCPTT));
	assert_int_equal(0, migr_release_alloc(&j->mig_release,
					       "c7f3a9d2e1b04f65",
					       "c.mcx.test"));
	assert_encodes(j, XML_DECL
		"<mcpttinfo xmlns=\"urn:3gpp:ns:mcpttInfo:1.0\">\n"
		"  <mcptt-Params>\n"
		"    <anyExt>\n"
		"      <migration-release xmlns=\"urn:mcx:ns:migration:1.0\""
		" continuation=\"c7f3a9d2e1b04f65\""
		" target-system=\"c.mcx.test\"/>\n"
		"    </anyExt>\n"
		"  </mcptt-Params>\n"
		"</mcpttinfo>\n");

	(void)re_snprintf(line, sizeof(line), "%H", mcx_info_print, i);
	assert_string_equal(line, "mcpttinfo:; release due to migration to "
			    "c.mcx.test (continuation c7f3a9d2e1b04f65)");
	mem_deref(j);
	mem_deref(i);
}

static void continuation(void **state)
{
	struct mcx_info *i = load(MCX_SVC_MCPTT,
				  "info/mcptt-invite-continuation.xml");

	(void)state;
	assert_non_null(i->mig_cont);
	assert_string_equal(i->mig_cont->id, "c7f3a9d2e1b04f65");
	assert_string_equal(i->mig_cont->primary_id, "sip:alice@a.mcx.test");
	assert_content(&i->calling_user_id, MCX_WRAP_URI,
		       "sip:alice.a@c.mcx.test");
	mem_deref(i);
}

static void migration_auth(void **state)
{
	struct mcx_info *i = load(MCX_SVC_MCPTT,
				  "info/mcptt-migration-auth.xml");

	(void)state;
	assert_content(&i->partner_id, MCX_WRAP_URI, "sip:alice.a@c.mcx.test");
	assert_content(&i->primary_id, MCX_WRAP_URI, "sip:alice@a.mcx.test");
	assert_true(i->selected_profile_index.set);
	assert_int_equal(1, i->selected_profile_index.v);
	mem_deref(i);
}

static void tolerant(void **state)
{
	struct mcx_info *i = load(MCX_SVC_MCPTT, "info/mcptt-tolerant.xml");
	struct mbuf *mb = mbuf_alloc(256);
	struct mcx_info *j = NULL;

	(void)state;
	assert_content(&i->calling_user_id, MCX_WRAP_STRING,
		       "sip:carol@a.mcx.test");
	assert_int_equal(MCX_PROT_NONE, i->calling_user_id.prot);
	assert_content(&i->called_party_id, MCX_WRAP_OPAQUE, NULL);
	assert_int_equal(MCX_PROT_ENCRYPTED, i->called_party_id.prot);
	assert_int_equal(MCX_BOOL_TRUE, i->broadcast_ind);
	assert_content(&i->associated_group_id, MCX_WRAP_TEXT,
		       "sip:group1@a.mcx.test");
	assert_string_equal(i->release_reason, "private-call-expiry");
	assert_string_equal(i->forwarding_reason, "migrated");

	/* an encrypted value cannot be re-encoded: refused, not dropped */
	assert_int_equal(EINVAL, mcx_info_encode(mb, i));

	/* without it, the rest goes out in the current (V18.13) form */
	mcx_content_reset(&i->called_party_id);
	mbuf_reset(mb);
	assert_int_equal(0, mcx_info_encode(mb, i));
	assert_int_equal(0, mcx_info_decode(&j, MCX_SVC_MCPTT, mb->buf,
					    mb->end, NULL));
	assert_content(&j->associated_group_id, MCX_WRAP_STRING,
		       "sip:group1@a.mcx.test");
	assert_string_equal(j->forwarding_reason, "migrated");
	mem_deref(j);
	mem_deref(mb);
	mem_deref(i);
}

static void mcvideo(void **state)
{
	struct mcx_info *i = load(MCX_SVC_MCVIDEO,
				  "info/mcvideo-invite-cf.xml");
	struct mcx_info *e = NULL;

	(void)state;
	assert_content(&i->calling_user_id, MCX_WRAP_URI,
		       "sip:alice@a.mcx.test");
	assert_string_equal(i->release_reason,
			    "call-request-for-viewed-to-client");

	/* mcvideo-Params is mandatory: an empty body still carries it */
	assert_int_equal(0, mcx_info_alloc(&e, MCX_SVC_MCVIDEO));
	assert_encodes(e, XML_DECL
		"<mcvideoinfo xmlns=\"urn:3gpp:ns:mcvideoInfo:1.0\">\n"
		"  <mcvideo-Params/>\n"
		"</mcvideoinfo>\n");
	mem_deref(e);
	mem_deref(i);
}

static void mcdata(void **state)
{
	struct mcx_info *i = load(MCX_SVC_MCDATA,
				  "info/mcdata-bye-migration.xml");

	(void)state;
	assert_string_equal(i->data_request_type, "one-to-one-sds");
	assert_string_equal(i->mig_release->target_system, "b.mcx.test");
	/* our element goes under the root's <anyExt> for MCData */
	assert_encodes(i, XML_DECL
		"<mcdatainfo xmlns=\"urn:3gpp:ns:mcdataInfo:1.0\">\n"
		"  <mcdata-Params>\n"
		"    <request-type>one-to-one-sds</request-type>\n"
		"    <mcdata-calling-user-id type=\"Normal\">\n"
		"      <mcdataURI>sip:alice@a.mcx.test</mcdataURI>\n"
		"    </mcdata-calling-user-id>\n"
		"  </mcdata-Params>\n"
		"  <anyExt>\n"
		"    <migration-release xmlns=\"urn:mcx:ns:migration:1.0\""
		" continuation=\"0123456789abcdef\""
		" target-system=\"b.mcx.test\"/>\n"
		"  </anyExt>\n"
		"</mcdatainfo>\n");
	mem_deref(i);
}

/* Decode, encode, decode, encode: the two encodings are equal */
static void round_trips(void **state)
{
	static const struct { enum mcx_svc svc; const char *path; } v[] = {
		{ MCX_SVC_MCPTT, "info/mcptt-invite-client.xml" },
		{ MCX_SVC_MCPTT, "info/mcptt-invite-cf.xml" },
		{ MCX_SVC_MCPTT, "info/mcptt-publish-auth.xml" },
		{ MCX_SVC_MCPTT, "info/mcptt-bye-migration.xml" },
		{ MCX_SVC_MCPTT, "info/mcptt-invite-continuation.xml" },
		{ MCX_SVC_MCPTT, "info/mcptt-migration-auth.xml" },
		{ MCX_SVC_MCVIDEO, "info/mcvideo-invite-cf.xml" },
		{ MCX_SVC_MCDATA, "info/mcdata-bye-migration.xml" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
		struct mcx_info *a = load(v[k].svc, v[k].path), *b = NULL;
		struct mbuf *m1 = mbuf_alloc(512), *m2 = mbuf_alloc(512);

		assert_int_equal(0, mcx_info_encode(m1, a));
		assert_int_equal(0, mcx_info_decode(&b, v[k].svc, m1->buf,
						    m1->end, NULL));
		assert_int_equal(0, mcx_info_encode(m2, b));
		tu_assert_bytes(m2->buf, m2->end, m1->buf, m1->end);
		mem_deref(m2);
		mem_deref(m1);
		mem_deref(b);
		mem_deref(a);
	}
}

/* Every row of every service: set, encode, decode, compare */
static void every_field(void **state)
{
	const struct info_desc *ds[] = { &info_mcptt_desc, &info_mcvideo_desc,
					 &info_mcdata_desc };

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(ds); k++) {
		const struct info_desc *d = ds[k];
		struct mcx_info *a = NULL, *b = NULL;
		struct mbuf *mb = mbuf_alloc(2048);

		assert_int_equal(0, mcx_info_alloc(&a, (enum mcx_svc)k));
		for (size_t i = 0; i < d->nprm + d->next; i++) {
			const struct info_row *r = i < d->nprm ? &d->prm[i] :
				&d->ext[i - d->nprm];
			void *f = (char *)a + r->off;
			char v[64];

			(void)re_snprintf(v, sizeof(v), "sip:v%zu@x.test", i);
			switch (r->kind) {
			case IK_CONTENT:
			case IK_CONTENT_TEXT:
				assert_int_equal(0, mcx_content_set(
					f, MCX_WRAP_URI, v));
				break;
			case IK_STRING:
				assert_int_equal(0, str_dup(f, v));
				break;
			case IK_BOOL:
				*(enum mcx_bool *)f = MCX_BOOL_TRUE;
				break;
			case IK_ENUM:
				assert_int_equal(0, str_dup(f, r->values[0]));
				break;
			case IK_PROFILE_INDEX:
				((struct mcx_uint *)f)->set = true;
				((struct mcx_uint *)f)->v = 255;
				break;
			}
		}
		assert_int_equal(0, mcx_info_encode(mb, a));
		assert_int_equal(0, mcx_info_decode(&b, (enum mcx_svc)k,
						    mb->buf, mb->end, NULL));
		for (size_t i = 0; i < d->nprm + d->next; i++) {
			const struct info_row *r = i < d->nprm ? &d->prm[i] :
				&d->ext[i - d->nprm];
			const void *fa = (char *)a + r->off;
			const void *fb = (char *)b + r->off;
			const struct mcx_content *ca = fa, *cb = fb;

			switch (r->kind) {
			case IK_CONTENT:
			case IK_CONTENT_TEXT:
				assert_string_equal(ca->value, cb->value);
				break;
			case IK_STRING:
			case IK_ENUM:
				assert_string_equal(*(char *const *)fa,
						    *(char *const *)fb);
				break;
			case IK_BOOL:
				assert_int_equal(MCX_BOOL_TRUE,
						 *(const enum mcx_bool *)fb);
				break;
			case IK_PROFILE_INDEX:
				assert_int_equal(255,
					((const struct mcx_uint *)fb)->v);
				break;
			}
		}
		mem_deref(mb);
		mem_deref(b);
		mem_deref(a);
	}
}

struct bad {
	enum mcx_svc svc;
	const char *doc;
	int err;
	const char *why;
};

#define P(x) "<mcpttinfo xmlns='urn:3gpp:ns:mcpttInfo:1.0'><mcptt-Params>" \
	x "</mcptt-Params></mcpttinfo>"
#define MIG "xmlns='urn:mcx:ns:migration:1.0'"

static void refusals(void **state)
{
	static const struct bad bad[] = {
		{ MCX_SVC_MCPTT, "", ENODATA, "no document" },
		{ MCX_SVC_MCPTT,
		  "<mcpttinfo xmlns='urn:3gpp:ns:mcpttInfo:1.0'>",
		  ENODATA, "cut short" },
		{ MCX_SVC_MCPTT, "<mcpttinfo/>", EBADMSG,
		  "expected <mcpttinfo>" },
		{ MCX_SVC_MCVIDEO, P(""), EBADMSG, "expected <mcvideoinfo>" },
		{ MCX_SVC_MCVIDEO,
		  "<mcvideoinfo xmlns='urn:3gpp:ns:mcvideoInfo:1.0'/>",
		  EBADMSG, "<mcvideo-Params> missing" },
		{ MCX_SVC_MCPTT, P("<session-type>a</session-type>"
				   "<session-type>b</session-type>"),
		  EBADMSG, "<session-type> more than once" },
		{ MCX_SVC_MCPTT, "<mcpttinfo xmlns='urn:3gpp:ns:mcpttInfo:1.0'>"
		  "<mcptt-Params/><mcptt-Params/></mcpttinfo>", EBADMSG,
		  "<mcptt-Params> more than once" },
		{ MCX_SVC_MCPTT, P("<mcptt-calling-user-id/>"), EBADMSG,
		  "<mcptt-calling-user-id>: no value" },
		{ MCX_SVC_MCPTT, P("<mcptt-calling-user-id>sip:a@b"
				   "</mcptt-calling-user-id>"), EBADMSG,
		  "<mcptt-calling-user-id>: no value" },
		{ MCX_SVC_MCPTT, P("<mcptt-calling-user-id><mcpttURI>sip:a b"
				   "</mcpttURI></mcptt-calling-user-id>"),
		  EBADMSG, "<mcptt-calling-user-id>: not a URI" },
		{ MCX_SVC_MCPTT, P("<mcptt-calling-user-id><mcpttURI>a"
				   "</mcpttURI><mcpttURI>b</mcpttURI>"
				   "</mcptt-calling-user-id>"),
		  EBADMSG, "more than one value" },
		{ MCX_SVC_MCPTT, P("<emergency-ind><mcpttBoolean>yes"
				   "</mcpttBoolean></emergency-ind>"),
		  EBADMSG, "<emergency-ind>: not a boolean" },
		{ MCX_SVC_MCPTT, P("<emergency-ind type='Secret'><mcpttBoolean>"
				   "true</mcpttBoolean></emergency-ind>"),
		  EBADMSG, "<emergency-ind>: bad type attribute" },
		{ MCX_SVC_MCPTT, P("<emergency-ind><session-type/>"
				   "</emergency-ind>"),
		  EBADMSG, "<emergency-ind>: unexpected <session-type>" },
		{ MCX_SVC_MCPTT, P("<broadcast-ind>maybe</broadcast-ind>"),
		  EBADMSG, "<broadcast-ind>: not a boolean" },
		{ MCX_SVC_MCPTT, P("<anyExt><release-reason>release due to "
				   "migration</release-reason></anyExt>"),
		  EBADMSG, "<release-reason>: unknown value" },
		{ MCX_SVC_MCPTT, P("<anyExt><selected-user-profile-index/>"
				   "</anyExt>"), EBADMSG,
		  "<user-profile-index> missing" },
		{ MCX_SVC_MCPTT, P("<anyExt><selected-user-profile-index>"
				   "<user-profile-index>256</user-profile-"
				   "index></selected-user-profile-index>"
				   "</anyExt>"), EBADMSG, "not 0..255" },
		{ MCX_SVC_MCPTT, P("<anyExt/><anyExt/>"), EBADMSG,
		  "<anyExt> more than once" },
		{ MCX_SVC_MCPTT, "<mcpttinfo xmlns='urn:3gpp:ns:mcpttInfo:1.0'>"
		  "<mcptt-Params><anyExt><request-type>private-call-call-back-"
		  "request</request-type></anyExt></mcptt-Params><anyExt>"
		  "<request-type>private-call-call-back-request</request-type>"
		  "</anyExt></mcpttinfo>", EBADMSG,
		  "<request-type> more than once" },
		{ MCX_SVC_MCPTT, P("<anyExt><migration-release " MIG
				   " target-system='c.mcx.test'/></anyExt>"),
		  EBADMSG, "<migration-release>: continuation missing" },
		{ MCX_SVC_MCPTT, P("<anyExt><migration-release " MIG
				   " continuation='a b' target-system="
				   "'c.mcx.test'/></anyExt>"),
		  EBADMSG, "<migration-release>: bad continuation" },
		{ MCX_SVC_MCPTT, P("<anyExt><migration-release " MIG
				   " continuation='ab' target-system="
				   "'c..test'/></anyExt>"),
		  EBADMSG, "<migration-release>: bad target-system" },
		{ MCX_SVC_MCPTT, P("<continuation " MIG " id='x'/>"),
		  EBADMSG, "<continuation>: primary-id missing" },
		{ MCX_SVC_MCPTT, P("<continuation " MIG " id='x' primary-id="
				   "'sip:a@b'/><anyExt><continuation " MIG
				   " id='x' primary-id='sip:a@b'/></anyExt>"),
		  EBADMSG, "<continuation> more than once" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct mcx_info *i = NULL;
		struct mcx_diag d = { "" };
		int err = mcx_info_decode(&i, bad[k].svc,
					  (const uint8_t *)bad[k].doc,
					  strlen(bad[k].doc), &d);

		if (err != bad[k].err || !strstr(d.reason, bad[k].why))
			fail_msg("case %zu: %d '%s', expected %d '%s'", k, err,
				 d.reason, bad[k].err, bad[k].why);
		assert_null(i);
	}
}

static void encode_refusals(void **state)
{
	struct mbuf *mb = mbuf_alloc(256);
	struct mcx_info *i = NULL;

	(void)state;
	/* a field MCVideo does not have would be lost */
	assert_int_equal(0, mcx_info_alloc(&i, MCX_SVC_MCVIDEO));
	assert_int_equal(0, str_dup(&i->floor_state, "taken"));
	assert_int_equal(EINVAL, mcx_info_encode(mb, i));
	i = mem_deref(i);

	/* an enumerated value outside its list */
	assert_int_equal(0, mcx_info_alloc(&i, MCX_SVC_MCPTT));
	assert_int_equal(0, str_dup(&i->release_reason,
				    "release due to migration"));
	assert_int_equal(EINVAL, mcx_info_encode(mb, i));
	i = mem_deref(i);

	/* setters check what they can */
	assert_int_equal(0, mcx_info_alloc(&i, MCX_SVC_MCPTT));
	assert_int_equal(EINVAL, mcx_content_set(&i->calling_user_id,
						 MCX_WRAP_URI, "sip:a b"));
	assert_int_equal(EINVAL, mcx_content_set(&i->emergency_ind,
						 MCX_WRAP_BOOLEAN, "yes"));
	assert_int_equal(EINVAL, mcx_content_set(&i->emergency_ind,
						 MCX_WRAP_OPAQUE, "x"));
	assert_int_equal(0, mcx_content_set(&i->calling_user_id,
					    MCX_WRAP_URI, "sip:a@b"));
	assert_int_equal(0, mcx_content_set(&i->calling_user_id,
					    MCX_WRAP_URI, NULL));
	assert_false(mcx_content_isset(&i->calling_user_id));
	assert_int_equal(EINVAL, mcx_info_alloc(&i, (enum mcx_svc)7));
	mem_deref(i);
	mem_deref(mb);
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(mcx_info_mime(MCX_SVC_MCPTT),
			    "application/vnd.3gpp.mcptt-info+xml");
	assert_string_equal(mcx_info_mime(MCX_SVC_MCDATA),
			    "application/vnd.3gpp.mcdata-info+xml");
	assert_null(mcx_info_mime((enum mcx_svc)9));
	assert_string_equal(mcx_svc_name(MCX_SVC_MCVIDEO), "mcvideo");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(invite_client),
		cmocka_unit_test(invite_cf_prefixed),
		cmocka_unit_test(publish_auth),
		cmocka_unit_test(bye_migration),
		cmocka_unit_test(continuation),
		cmocka_unit_test(migration_auth),
		cmocka_unit_test(tolerant),
		cmocka_unit_test(mcvideo),
		cmocka_unit_test(mcdata),
		cmocka_unit_test(round_trips),
		cmocka_unit_test(every_field),
		cmocka_unit_test(refusals),
		cmocka_unit_test(encode_refusals),
		cmocka_unit_test(names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
