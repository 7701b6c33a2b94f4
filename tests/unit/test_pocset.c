/**
 * @file test_pocset.c  poc-settings: vectors, round trips, refusals
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/pocset.h>
#include <mcx/str.h>
#include "testutil.h"

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define OMA_NS "urn:oma:params:xml:ns:poc:poc-settings"
#define ROOT_PLAIN "<poc-settings xmlns=\"" OMA_NS "\">\n"
#define ROOT_MCS "<poc-settings xmlns=\"" OMA_NS "\"" \
	" xmlns:mcs10Set=\"urn:3gpp:mcsSettings:1.0\">\n"
#define CLIENT_ID "urn:uuid:6f2a0c1e-0000-4000-8000-000000000001"
#define NS "xmlns='urn:oma:params:xml:ns:poc:poc-settings'"
#define MCS "xmlns:m='urn:3gpp:mcsSettings:1.0'"

static struct pocset *load(const char *path)
{
	struct pocset *ps = NULL;
	struct mcx_diag d = { "" };
	size_t len;
	uint8_t *buf = tu_load(path, &len);
	int err = pocset_decode(&ps, buf, len, &d);

	if (err)
		fail_msg("%s: %d %s", path, err, d.reason);
	mem_deref(buf);
	assert_non_null(ps);

	return ps;
}

static struct pocset *decode_str(const char *doc, int experr)
{
	struct pocset *ps = NULL;
	struct mcx_diag d = { "" };
	int err = pocset_decode(&ps, (const uint8_t *)doc, strlen(doc), &d);

	if (err != experr)
		fail_msg("'%s': %d '%s', expected %d", doc, err, d.reason,
			 experr);
	if (err)
		assert_null(ps);

	return ps;
}

static const struct pocset_entity *nth(const struct pocset *ps, unsigned n)
{
	struct le *le = list_head(&ps->entities);

	while (le && n--)
		le = le->next;
	assert_non_null(le);
	return le->data;
}

static void assert_encodes(const struct pocset *ps, const char *exp)
{
	struct mbuf *mb = mbuf_alloc(512);

	assert_int_equal(0, pocset_encode(mb, ps));
	tu_assert_mbuf_str(mb, exp);
	mem_deref(mb);
}

static void assert_prints(const struct pocset *ps, const char *exp)
{
	char line[256];

	(void)re_snprintf(line, sizeof(line), "%H", pocset_print, ps);
	assert_string_equal(line, exp);
}

static const char auto_enc[] = XML_DECL ROOT_PLAIN
	"  <entity id=\"" CLIENT_ID "\">\n"
	"    <am-settings>\n"
	"      <answer-mode>automatic</answer-mode>\n"
	"    </am-settings>\n"
	"  </entity>\n"
	"</poc-settings>\n";

static void publish_auto(void **state)
{
	struct pocset *ps = load("pocset/publish-auto.xml");
	const struct pocset_entity *e = pocset_first(ps);

	(void)state;
	assert_int_equal(1, list_count(&ps->entities));
	assert_non_null(e);
	assert_string_equal(e->id, CLIENT_ID);
	assert_int_equal(POCSET_AM_AUTOMATIC, e->answer_mode);
	assert_false(e->has_profile_index);
	assert_int_equal(MCX_BOOL_ABSENT, e->multiplex);

	/* no 3GPP element: no mcs10Set declaration */
	assert_encodes(ps, auto_enc);
	assert_prints(ps, "poc-settings: " CLIENT_ID " answer-mode "
		      "automatic");
	mem_deref(ps);
}

static void with_extension(void **state)
{
	struct pocset *ps = load("pocset/with-extension.xml");
	const struct pocset_entity *e = pocset_first(ps);

	(void)state;
	assert_int_equal(1, list_count(&ps->entities));
	assert_string_equal(e->id, CLIENT_ID);
	assert_int_equal(POCSET_AM_MANUAL, e->answer_mode);
	assert_true(e->has_profile_index);
	assert_int_equal(3, e->profile_index);
	assert_int_equal(MCX_BOOL_TRUE, e->multiplex);

	assert_encodes(ps, XML_DECL ROOT_MCS
		"  <entity id=\"" CLIENT_ID "\">\n"
		"    <am-settings>\n"
		"      <answer-mode>manual</answer-mode>\n"
		"    </am-settings>\n"
		"    <mcs10Set:selected-user-profile-index>\n"
		"      <mcs10Set:user-profile-index>3"
		"</mcs10Set:user-profile-index>\n"
		"    </mcs10Set:selected-user-profile-index>\n"
		"    <mcs10Set:multiplex-support>true"
		"</mcs10Set:multiplex-support>\n"
		"  </entity>\n"
		"</poc-settings>\n");
	assert_prints(ps, "poc-settings: " CLIENT_ID " answer-mode manual "
		      "profile-index 3 multiplex true");
	mem_deref(ps);
}

/* The PUBLISH body built by hand is the vector's encoding; then an entity
 * with only 3GPP elements, and one with nothing */
static void build(void **state)
{
	struct pocset *ps = NULL;
	struct pocset_entity *e = NULL;

	(void)state;
	assert_int_equal(0, pocset_alloc(&ps));
	assert_null(pocset_first(ps));
	assert_encodes(ps, XML_DECL
		       "<poc-settings xmlns=\"" OMA_NS "\"/>\n");
	assert_prints(ps, "poc-settings: no entities");

	assert_int_equal(0, pocset_entity_add(ps, CLIENT_ID, &e));
	assert_ptr_equal(e, pocset_first(ps));
	e->answer_mode = POCSET_AM_AUTOMATIC;
	assert_encodes(ps, auto_enc);

	assert_int_equal(0, pocset_entity_add(ps, "sip:b@a.mcx.test", &e));
	e->has_profile_index = true;
	e->profile_index = 0;
	e->multiplex = MCX_BOOL_FALSE;
	assert_int_equal(0, pocset_entity_add(ps, "x&y", NULL));
	assert_encodes(ps, XML_DECL ROOT_MCS
		"  <entity id=\"" CLIENT_ID "\">\n"
		"    <am-settings>\n"
		"      <answer-mode>automatic</answer-mode>\n"
		"    </am-settings>\n"
		"  </entity>\n"
		"  <entity id=\"sip:b@a.mcx.test\">\n"
		"    <mcs10Set:selected-user-profile-index>\n"
		"      <mcs10Set:user-profile-index>0"
		"</mcs10Set:user-profile-index>\n"
		"    </mcs10Set:selected-user-profile-index>\n"
		"    <mcs10Set:multiplex-support>false"
		"</mcs10Set:multiplex-support>\n"
		"  </entity>\n"
		"  <entity id=\"x&amp;y\"/>\n"
		"</poc-settings>\n");
	assert_prints(ps, "poc-settings: " CLIENT_ID " answer-mode "
		      "automatic; sip:b@a.mcx.test profile-index 0 multiplex "
		      "false; x&y");
	mem_deref(ps);
}

static void assert_same(const struct pocset *a, const struct pocset *b)
{
	assert_int_equal(list_count(&a->entities), list_count(&b->entities));
	for (unsigned i = 0; i < list_count(&a->entities); i++) {
		const struct pocset_entity *ea = nth(a, i), *eb = nth(b, i);

		assert_string_equal(ea->id, eb->id);
		assert_int_equal(ea->answer_mode, eb->answer_mode);
		assert_int_equal(ea->has_profile_index, eb->has_profile_index);
		assert_int_equal(ea->profile_index, eb->profile_index);
		assert_int_equal(ea->multiplex, eb->multiplex);
	}
}

/* Decode, encode, decode, encode: same settings, equal encodings */
static void round_trips(void **state)
{
	static const char *v[] = { "pocset/publish-auto.xml",
				   "pocset/with-extension.xml" };

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
		struct pocset *a = load(v[k]), *b = NULL;
		struct mbuf *m1 = mbuf_alloc(512), *m2 = mbuf_alloc(512);

		assert_int_equal(0, pocset_encode(m1, a));
		assert_int_equal(0, pocset_decode(&b, m1->buf, m1->end, NULL));
		assert_same(a, b);
		assert_int_equal(0, pocset_encode(m2, b));
		tu_assert_bytes(m2->buf, m2->end, m1->buf, m1->end);
		mem_deref(m2);
		mem_deref(m1);
		mem_deref(b);
		mem_deref(a);
	}
}

/* Elements are matched by namespace URI and local name, never by prefix;
 * what is not ours is ignored */
static void namespaces(void **state)
{
	struct pocset *ps;
	const struct pocset_entity *e;

	(void)state;
	/* the 3GPP elements in the OMA namespace are not the 3GPP ones */
	ps = decode_str("<poc-settings " NS "><entity id='a'>"
			"<selected-user-profile-index><user-profile-index>1"
			"</user-profile-index></selected-user-profile-index>"
			"<multiplex-support>true</multiplex-support>"
			"</entity></poc-settings>", 0);
	e = pocset_first(ps);
	assert_false(e->has_profile_index);
	assert_int_equal(MCX_BOOL_ABSENT, e->multiplex);
	mem_deref(ps);

	/* the OMA elements under any prefix; xs:boolean "0" */
	ps = decode_str("<o:poc-settings xmlns:o='urn:oma:params:xml:ns:poc:"
			"poc-settings' " MCS "><o:entity id='a'><o:am-settings>"
			"<o:answer-mode> manual </o:answer-mode>"
			"</o:am-settings><m:multiplex-support>0"
			"</m:multiplex-support><o:sss-settings/>"
			"<o:ipab-settings/></o:entity><o:other/>"
			"</o:poc-settings>", 0);
	e = pocset_first(ps);
	assert_int_equal(POCSET_AM_MANUAL, e->answer_mode);
	assert_int_equal(MCX_BOOL_FALSE, e->multiplex);
	mem_deref(ps);

	/* entities in another namespace are not ours; zero is valid */
	ps = decode_str("<poc-settings " NS "><entity xmlns='urn:example:x' "
			"id='a'/></poc-settings>", 0);
	assert_null(pocset_first(ps));
	mem_deref(ps);
}

/* Every proper prefix of a vector is incomplete, never malformed, until
 * the root element is closed; from then on it decodes. */
static void prefixes(void **state)
{
	static const char *v[] = { "pocset/publish-auto.xml",
				   "pocset/with-extension.xml" };
	static const char close[] = "</poc-settings>";

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
		size_t len, closed, cl = strlen(close);
		uint8_t *buf = tu_load(v[k], &len);
		const uint8_t *c = NULL;

		for (size_t i = 0; i + cl <= len; i++) {
			if (!memcmp(buf + i, close, cl))
				c = buf + i;
		}
		assert_non_null(c);
		closed = (size_t)(c - buf) + cl;

		for (size_t n = 0; n < len; n++) {
			struct pocset *ps = NULL;
			struct mcx_diag d = { "" };
			int err = pocset_decode(&ps, buf, n, &d);

			if (n < closed && err != ENODATA)
				fail_msg("%s: prefix %zu: %d (%s)", v[k], n,
					 err, d.reason);
			if (n >= closed && (err || !pocset_first(ps)))
				fail_msg("%s: prefix %zu: %d (%s)", v[k], n,
					 err, d.reason);
			mem_deref(ps);
		}
		mem_deref(buf);
	}
}

#define E(x) "<poc-settings " NS " " MCS "><entity id='a'>" x "</entity>" \
	"</poc-settings>"
#define AM(x) E("<am-settings>" x "</am-settings>")
#define UPI(x) E("<m:selected-user-profile-index>" x \
		 "</m:selected-user-profile-index>")

static void refusals(void **state)
{
	static const struct { const char *doc; int err; const char *why; }
	bad[] = {
		{ "", ENODATA, "no document" },
		{ "<poc-settings " NS "><entity id='a'>", ENODATA,
		  "cut short" },
		{ "<poc-settings/>", EBADMSG, "expected <poc-settings>" },
		{ "<poc-settings xmlns='urn:ietf:params:xml:ns:poc-settings'/>",
		  EBADMSG, "expected <poc-settings>" },
		{ "<poc-settings " NS "><entity/></poc-settings>", EBADMSG,
		  "<entity>: id missing" },
		{ "<poc-settings " NS "><entity ID='a'/></poc-settings>",
		  EBADMSG, "<entity>: id missing" },
		{ "<poc-settings " NS "><entity id=''/></poc-settings>",
		  EBADMSG, "<entity>: bad id" },
		{ "<poc-settings " NS "><entity id='a b'/></poc-settings>",
		  EBADMSG, "<entity>: bad id" },
		{ "<poc-settings " NS "><entity id='a'/><entity id='b'/>"
		  "<entity id='a'/></poc-settings>", EBADMSG,
		  "<entity> 'a' more than once" },
		{ E("<am-settings><answer-mode>manual</answer-mode>"
		    "</am-settings><am-settings><answer-mode>manual"
		    "</answer-mode></am-settings>"), EBADMSG,
		  "<am-settings> more than once" },
		{ AM(""), EBADMSG, "<am-settings>: <answer-mode> missing" },
		{ AM("<m:answer-mode>manual</m:answer-mode>"), EBADMSG,
		  "<am-settings>: <answer-mode> missing" },
		{ AM("<answer-mode>manual</answer-mode><answer-mode>manual"
		     "</answer-mode>"), EBADMSG,
		  "<answer-mode> more than once" },
		{ AM("<answer-mode>Automatic</answer-mode>"), EBADMSG,
		  "<answer-mode>: unknown value 'Automatic'" },
		{ AM("<answer-mode>auto</answer-mode>"), EBADMSG,
		  "<answer-mode>: unknown value 'auto'" },
		{ AM("<answer-mode/>"), EBADMSG,
		  "<answer-mode>: unknown value ''" },
		{ AM("<answer-mode><x/></answer-mode>"), EBADMSG,
		  "<answer-mode>: element where text belongs" },
		{ UPI(""), EBADMSG, "<user-profile-index> missing" },
		{ UPI("<user-profile-index>1</user-profile-index>"), EBADMSG,
		  "<user-profile-index> missing" },
		{ UPI("<m:user-profile-index>1</m:user-profile-index>"
		      "<m:user-profile-index>2</m:user-profile-index>"),
		  EBADMSG, "<user-profile-index> more than once" },
		{ UPI("<m:user-profile-index>256</m:user-profile-index>"),
		  EBADMSG, "<user-profile-index>: not 0..255" },
		{ UPI("<m:user-profile-index>-1</m:user-profile-index>"),
		  EBADMSG, "<user-profile-index>: not 0..255" },
		{ UPI("<m:user-profile-index></m:user-profile-index>"),
		  EBADMSG, "<user-profile-index>: not 0..255" },
		{ E("<m:selected-user-profile-index><m:user-profile-index>1"
		    "</m:user-profile-index></m:selected-user-profile-index>"
		    "<m:selected-user-profile-index><m:user-profile-index>1"
		    "</m:user-profile-index></m:selected-user-profile-index>"),
		  EBADMSG, "<selected-user-profile-index> more than once" },
		{ E("<m:multiplex-support>yes</m:multiplex-support>"), EBADMSG,
		  "<multiplex-support>: not a boolean" },
		{ E("<m:multiplex-support>true</m:multiplex-support>"
		    "<m:multiplex-support>true</m:multiplex-support>"), EBADMSG,
		  "<multiplex-support> more than once" },
		{ "<poc-settings " NS "><entity id='a'><x:y/></entity>"
		  "</poc-settings>", EBADMSG, "namespace error" },
		{ "<!DOCTYPE poc-settings><poc-settings " NS "/>", EBADMSG,
		  "DOCTYPE not allowed" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct pocset *ps = NULL;
		struct mcx_diag d = { "" };
		int err = pocset_decode(&ps, (const uint8_t *)bad[k].doc,
					strlen(bad[k].doc), &d);

		if (err != bad[k].err || !strstr(d.reason, bad[k].why))
			fail_msg("case %zu: %d '%s', expected %d '%s'", k, err,
				 d.reason, bad[k].err, bad[k].why);
		assert_null(ps);
	}
}

/* n entities with ids e0, e1, ... */
static char *entities_doc(unsigned n)
{
	struct mbuf *mb = mbuf_alloc(512);
	char *s;

	assert_int_equal(0, mbuf_printf(mb, "<poc-settings %s>", NS));
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(0, mbuf_printf(mb, "<entity id='e%u'/>", i));
	assert_int_equal(0, mbuf_write_str(mb, "</poc-settings>"));
	s = tu_str(mb);
	mem_deref(mb);

	return s;
}

/* One entity with an id of n bytes */
static char *id_doc(size_t n)
{
	struct mbuf *mb = mbuf_alloc(512);
	char *s;

	assert_int_equal(0, mbuf_printf(mb, "<poc-settings %s><entity id='",
					NS));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(0, mbuf_write_u8(mb, 'i'));
	assert_int_equal(0, mbuf_write_str(mb, "'/></poc-settings>"));
	s = tu_str(mb);
	mem_deref(mb);

	return s;
}

static void limits(void **state)
{
	struct pocset *ps = NULL;
	struct mcx_diag d = { "" };
	char *doc;
	uint8_t *big;

	(void)state;
	doc = entities_doc(POCSET_MAX_ENTITIES);
	ps = decode_str(doc, 0);
	assert_int_equal(POCSET_MAX_ENTITIES, list_count(&ps->entities));
	assert_string_equal(nth(ps, POCSET_MAX_ENTITIES - 1)->id, "e7");
	ps = mem_deref(ps);
	mem_deref(doc);

	doc = entities_doc(POCSET_MAX_ENTITIES + 1);
	assert_int_equal(EMSGSIZE, pocset_decode(&ps, (const uint8_t *)doc,
						 strlen(doc), &d));
	assert_non_null(strstr(d.reason, "more than 8 entities"));
	assert_null(ps);
	mem_deref(doc);

	doc = id_doc(POCSET_ID_MAX);
	ps = decode_str(doc, 0);
	assert_int_equal(POCSET_ID_MAX, strlen(pocset_first(ps)->id));
	ps = mem_deref(ps);
	mem_deref(doc);

	doc = id_doc(POCSET_ID_MAX + 1);
	assert_int_equal(EBADMSG, pocset_decode(&ps, (const uint8_t *)doc,
						strlen(doc), &d));
	assert_non_null(strstr(d.reason, "<entity id>: value longer than "
			       "256 bytes"));
	mem_deref(doc);

	ps = decode_str(E("<m:selected-user-profile-index>"
			  "<m:user-profile-index>255</m:user-profile-index>"
			  "</m:selected-user-profile-index>"), 0);
	assert_int_equal(255, pocset_first(ps)->profile_index);
	ps = mem_deref(ps);

	big = mem_zalloc(POCSET_MAX_SIZE + 1, NULL);
	assert_int_equal(EMSGSIZE, pocset_decode(&ps, big,
						 POCSET_MAX_SIZE + 1, &d));
	assert_null(ps);
	mem_deref(big);
}

static void arguments(void **state)
{
	struct pocset *ps = NULL;
	struct pocset_entity *e = NULL, *e2 = NULL;
	struct mbuf *mb = mbuf_alloc(64);
	char id[POCSET_ID_MAX + 2];

	(void)state;
	assert_int_equal(EINVAL, pocset_alloc(NULL));
	assert_int_equal(EINVAL, pocset_decode(NULL, (const uint8_t *)"x", 1,
					       NULL));
	assert_int_equal(EINVAL, pocset_decode(&ps, NULL, 1, NULL));
	assert_int_equal(EINVAL, pocset_entity_add(NULL, "a", NULL));
	assert_int_equal(EINVAL, pocset_encode(mb, NULL));

	assert_int_equal(0, pocset_alloc(&ps));
	assert_int_equal(EINVAL, pocset_encode(NULL, ps));
	assert_int_equal(EINVAL, pocset_entity_add(ps, NULL, &e));
	assert_int_equal(EINVAL, pocset_entity_add(ps, "", &e));
	assert_int_equal(EINVAL, pocset_entity_add(ps, "a b", &e));
	memset(id, 'i', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0';			/* 257 bytes */
	assert_int_equal(EINVAL, pocset_entity_add(ps, id, &e));
	assert_null(e);
	id[POCSET_ID_MAX] = '\0';			/* 256 bytes */
	assert_int_equal(0, pocset_entity_add(ps, id, &e));
	assert_int_equal(EINVAL, pocset_entity_add(ps, id, &e2));
	assert_null(e2);
	for (unsigned i = 1; i < POCSET_MAX_ENTITIES; i++) {
		char s[8];

		(void)re_snprintf(s, sizeof(s), "e%u", i);
		assert_int_equal(0, pocset_entity_add(ps, s, NULL));
	}
	assert_int_equal(EINVAL, pocset_entity_add(ps, "e9", NULL));
	assert_int_equal(POCSET_MAX_ENTITIES, list_count(&ps->entities));
	assert_int_equal(0, pocset_encode(mb, ps));

	/* what encode finds changed after pocset_entity_add */
	e->answer_mode = (enum pocset_am)3;
	assert_int_equal(EINVAL, pocset_encode(mb, ps));
	e->answer_mode = POCSET_AM_MANUAL;
	e->multiplex = (enum mcx_bool)3;
	assert_int_equal(EINVAL, pocset_encode(mb, ps));
	e->multiplex = MCX_BOOL_TRUE;
	assert_int_equal(0, mcx_strset(&e->id, "e1"));	/* duplicate */
	assert_int_equal(EINVAL, pocset_encode(mb, ps));
	assert_int_equal(0, mcx_strset(&e->id, NULL));
	assert_int_equal(EINVAL, pocset_encode(mb, ps));
	assert_int_equal(0, mcx_strset(&e->id, "e0"));
	mbuf_reset(mb);
	assert_int_equal(0, pocset_encode(mb, ps));
	mem_deref(ps);

	assert_string_equal(pocset_am_name(POCSET_AM_AUTOMATIC), "automatic");
	assert_string_equal(pocset_am_name(POCSET_AM_MANUAL), "manual");
	assert_null(pocset_am_name(POCSET_AM_NONE));
	assert_null(pocset_am_name((enum pocset_am)3));
	assert_null(pocset_first(NULL));
	assert_string_equal(MCX_POCSET_MIME, "application/poc-settings+xml");
	mem_deref(mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(publish_auto),
		cmocka_unit_test(with_extension),
		cmocka_unit_test(build),
		cmocka_unit_test(round_trips),
		cmocka_unit_test(namespaces),
		cmocka_unit_test(prefixes),
		cmocka_unit_test(refusals),
		cmocka_unit_test(limits),
		cmocka_unit_test(arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
