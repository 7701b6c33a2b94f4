/**
 * @file test_rlist.c  resource-lists: vectors, round trips, refusals
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/rlist.h>
#include <mcx/str.h>
#include "testutil.h"

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define ROOT_START "<resource-lists xmlns=\"urn:ietf:params:xml:ns:" \
	"resource-lists\" xmlns:cp=\"urn:ietf:params:xml:ns:copycontrol\">\n"
#define NS "xmlns='urn:ietf:params:xml:ns:resource-lists'"
#define CP "xmlns:cp='urn:ietf:params:xml:ns:copycontrol'"

static struct rlist *load(const char *path)
{
	struct rlist *rl = NULL;
	struct mcx_diag d = { "" };
	size_t len;
	uint8_t *buf = tu_load(path, &len);
	int err = rlist_decode(&rl, buf, len, &d);

	if (err)
		fail_msg("%s: %d %s", path, err, d.reason);
	mem_deref(buf);
	assert_non_null(rl);

	return rl;
}

static struct rlist *decode_str(const char *doc, int experr)
{
	struct rlist *rl = NULL;
	struct mcx_diag d = { "" };
	int err = rlist_decode(&rl, (const uint8_t *)doc, strlen(doc), &d);

	if (err != experr)
		fail_msg("'%s': %d '%s', expected %d", doc, err, d.reason,
			 experr);
	if (err)
		assert_null(rl);

	return rl;
}

static const struct rlist_entry *nth(const struct rlist *rl, unsigned n)
{
	struct le *le = list_head(&rl->entries);

	while (le && n--)
		le = le->next;
	assert_non_null(le);
	return le->data;
}

static void assert_entry(const struct rlist_entry *e, const char *uri,
			 const char *disp, enum rlist_copy copy)
{
	assert_string_equal(e->uri, uri);
	if (disp)
		assert_string_equal(e->display_name, disp);
	else
		assert_null(e->display_name);
	assert_int_equal(copy, e->copy);
}

static void assert_encodes(const struct rlist *rl, const char *exp)
{
	struct mbuf *mb = mbuf_alloc(512);

	assert_int_equal(0, rlist_encode(mb, rl));
	tu_assert_mbuf_str(mb, exp);
	mem_deref(mb);
}

static void assert_prints(const struct rlist *rl, const char *exp)
{
	char line[256];

	(void)re_snprintf(line, sizeof(line), "%H", rlist_print, rl);
	assert_string_equal(line, exp);
}

static const char one_entry[] = XML_DECL ROOT_START
	"  <list>\n"
	"    <entry uri=\"sip:bob@a.mcx.test\" cp:copyControl=\"to\"/>\n"
	"  </list>\n"
	"</resource-lists>\n";

static void invite_one_entry(void **state)
{
	struct rlist *rl = load("rlist/invite-one-entry.xml");

	(void)state;
	assert_int_equal(1, rlist_count(rl));
	assert_string_equal(rlist_first_uri(rl), "sip:bob@a.mcx.test");
	assert_entry(nth(rl, 0), "sip:bob@a.mcx.test", NULL, RLIST_COPY_TO);
	assert_encodes(rl, one_entry);
	assert_prints(rl, "resource-lists: to sip:bob@a.mcx.test");
	mem_deref(rl);
}

static void nested_lists(void **state)
{
	struct rlist *rl = load("rlist/nested-lists.xml");

	(void)state;
	assert_int_equal(5, rlist_count(rl));
	assert_entry(nth(rl, 0), "sip:alice@a.mcx.test", "Alice",
		     RLIST_COPY_TO);
	assert_entry(nth(rl, 1), "sip:bob@b.mcx.test", "Bob & Co",
		     RLIST_COPY_CC);
	assert_entry(nth(rl, 2), "sip:carol@c.mcx.test", NULL,
		     RLIST_COPY_BCC);
	/* an unqualified copyControl is not RFC 5364's: "to" */
	assert_entry(nth(rl, 3), "sip:dave@a.mcx.test", NULL, RLIST_COPY_TO);
	assert_entry(nth(rl, 4), "sip:erin@b.mcx.test", NULL, RLIST_COPY_TO);
	assert_string_equal(rlist_first_uri(rl), "sip:alice@a.mcx.test");

	assert_encodes(rl, XML_DECL ROOT_START
		"  <list>\n"
		"    <entry uri=\"sip:alice@a.mcx.test\" cp:copyControl=\"to\">"
		"\n"
		"      <display-name>Alice</display-name>\n"
		"    </entry>\n"
		"    <entry uri=\"sip:bob@b.mcx.test\" cp:copyControl=\"cc\">\n"
		"      <display-name>Bob &amp; Co</display-name>\n"
		"    </entry>\n"
		"    <entry uri=\"sip:carol@c.mcx.test\""
		" cp:copyControl=\"bcc\"/>\n"
		"    <entry uri=\"sip:dave@a.mcx.test\" cp:copyControl=\"to\"/>"
		"\n"
		"    <entry uri=\"sip:erin@b.mcx.test\" cp:copyControl=\"to\"/>"
		"\n"
		"  </list>\n"
		"</resource-lists>\n");
	assert_prints(rl, "resource-lists: to \"Alice\" sip:alice@a.mcx.test,"
		      " cc \"Bob & Co\" sip:bob@b.mcx.test, bcc "
		      "sip:carol@c.mcx.test, to sip:dave@a.mcx.test, to "
		      "sip:erin@b.mcx.test");
	mem_deref(rl);
}

/* The INVITE body built by hand is the vector's encoding */
static void build(void **state)
{
	struct rlist *rl = NULL;
	struct rlist_entry *e;

	(void)state;
	assert_int_equal(0, rlist_alloc(&rl));
	assert_int_equal(0, rlist_count(rl));
	assert_null(rlist_first_uri(rl));
	assert_int_equal(0, rlist_add(rl, "sip:bob@a.mcx.test",
				      RLIST_COPY_TO));
	assert_encodes(rl, one_entry);

	assert_int_equal(0, rlist_add(rl, "sip:x@a.mcx.test?a=1&b=2",
				      RLIST_COPY_BCC));
	e = list_tail(&rl->entries)->data;
	assert_int_equal(0, mcx_strset(&e->display_name, "<X> \"Y\""));
	assert_encodes(rl, XML_DECL ROOT_START
		"  <list>\n"
		"    <entry uri=\"sip:bob@a.mcx.test\" cp:copyControl=\"to\"/>"
		"\n"
		"    <entry uri=\"sip:x@a.mcx.test?a=1&amp;b=2\""
		" cp:copyControl=\"bcc\">\n"
		"      <display-name>&lt;X&gt; \"Y\"</display-name>\n"
		"    </entry>\n"
		"  </list>\n"
		"</resource-lists>\n");
	assert_int_equal(2, rlist_count(rl));
	assert_string_equal(rlist_first_uri(rl), "sip:bob@a.mcx.test");
	mem_deref(rl);
}

static void assert_same(const struct rlist *a, const struct rlist *b)
{
	assert_int_equal(rlist_count(a), rlist_count(b));
	for (unsigned i = 0; i < rlist_count(a); i++) {
		const struct rlist_entry *ea = nth(a, i), *eb = nth(b, i);

		assert_entry(eb, ea->uri, ea->display_name, ea->copy);
	}
}

/* Decode, encode, decode, encode: same entries, equal encodings */
static void round_trips(void **state)
{
	static const char *v[] = { "rlist/invite-one-entry.xml",
				   "rlist/nested-lists.xml" };

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
		struct rlist *a = load(v[k]), *b = NULL;
		struct mbuf *m1 = mbuf_alloc(512), *m2 = mbuf_alloc(512);

		assert_int_equal(0, rlist_encode(m1, a));
		assert_int_equal(0, rlist_decode(&b, m1->buf, m1->end, NULL));
		assert_same(a, b);
		assert_int_equal(0, rlist_encode(m2, b));
		tu_assert_bytes(m2->buf, m2->end, m1->buf, m1->end);
		mem_deref(m2);
		mem_deref(m1);
		mem_deref(b);
		mem_deref(a);
	}
}

/* No entries is a valid document; the caller decides what it means */
static void empty(void **state)
{
	static const char *docs[] = {
		"<resource-lists " NS "/>",
		"<resource-lists " NS "><list/><list><list/></list>"
		"</resource-lists>",
		"<resource-lists " NS "><list><display-name>none"
		"</display-name></list></resource-lists>",
	};
	struct rlist *rl = NULL;

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(docs); k++) {
		rl = decode_str(docs[k], 0);
		assert_int_equal(0, rlist_count(rl));
		assert_null(rlist_first_uri(rl));
		rl = mem_deref(rl);
	}

	assert_int_equal(0, rlist_alloc(&rl));
	assert_encodes(rl, XML_DECL ROOT_START
		"  <list/>\n"
		"</resource-lists>\n");
	assert_prints(rl, "resource-lists: no entries");
	mem_deref(rl);
}

/* copyControl is matched by namespace URI: any prefix bound to it works,
 * the usual prefix bound to another URI does not */
static void ns_not_prefix(void **state)
{
	struct rlist *rl;

	(void)state;
	rl = decode_str("<resource-lists " NS " xmlns:zz='urn:ietf:params:"
			"xml:ns:copycontrol'><list><entry uri='sip:a@b' "
			"zz:copyControl='bcc'/></list></resource-lists>", 0);
	assert_int_equal(RLIST_COPY_BCC, nth(rl, 0)->copy);
	mem_deref(rl);

	rl = decode_str("<resource-lists " NS " xmlns:cp='urn:example:other'>"
			"<list><entry uri='sip:a@b' cp:copyControl='bcc'/>"
			"</list></resource-lists>", 0);
	assert_int_equal(RLIST_COPY_TO, nth(rl, 0)->copy);
	mem_deref(rl);

	/* entries in another namespace are not ours */
	rl = decode_str("<resource-lists " NS "><list><entry xmlns='urn:"
			"example:other' uri='sip:a@b'/></list>"
			"</resource-lists>", 0);
	assert_int_equal(0, rlist_count(rl));
	mem_deref(rl);
}

/* Every proper prefix of a vector is incomplete, never malformed, until
 * the root element is closed; from then on it decodes. */
static void prefixes(void **state)
{
	static const struct { const char *path, *close; unsigned n; } v[] = {
		{ "rlist/invite-one-entry.xml", "</resource-lists>", 1 },
		{ "rlist/nested-lists.xml", "</rl:resource-lists>", 5 },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
		size_t len, closed, cl = strlen(v[k].close);
		uint8_t *buf = tu_load(v[k].path, &len);
		const uint8_t *c = NULL;

		for (size_t i = 0; i + cl <= len; i++) {
			if (!memcmp(buf + i, v[k].close, cl))
				c = buf + i;
		}
		assert_non_null(c);
		closed = (size_t)(c - buf) + cl;

		for (size_t n = 0; n < len; n++) {
			struct rlist *rl = NULL;
			struct mcx_diag d = { "" };
			int err = rlist_decode(&rl, buf, n, &d);

			if (n < closed && err != ENODATA)
				fail_msg("%s: prefix %zu: %d (%s)", v[k].path,
					 n, err, d.reason);
			if (n >= closed && (err || rlist_count(rl) != v[k].n))
				fail_msg("%s: prefix %zu: %d (%s)", v[k].path,
					 n, err, d.reason);
			mem_deref(rl);
		}
		mem_deref(buf);
	}
}

#define L(x) "<resource-lists " NS " " CP "><list>" x "</list>" \
	"</resource-lists>"

static void refusals(void **state)
{
	static const struct { const char *doc; int err; const char *why; }
	bad[] = {
		{ "", ENODATA, "no document" },
		{ "<resource-lists " NS "><list>", ENODATA, "cut short" },
		{ "<resource-lists/>", EBADMSG, "expected <resource-lists>" },
		{ "<rls-services " NS "/>", EBADMSG,
		  "expected <resource-lists>" },
		{ L("<entry/>"), EBADMSG, "<entry>: uri missing" },
		{ L("<entry URI='sip:a@b'/>"), EBADMSG,
		  "<entry>: uri missing" },
		{ L("<entry uri=''/>"), EBADMSG, "<entry>: bad uri" },
		{ L("<entry uri='sip:a b@c'/>"), EBADMSG, "<entry>: bad uri" },
		{ L("<entry uri='sip:a@b' cp:copyControl='CC'/>"), EBADMSG,
		  "<entry>: bad copyControl 'CC'" },
		{ L("<entry uri='sip:a@b' cp:copyControl='from'/>"), EBADMSG,
		  "<entry>: bad copyControl 'from'" },
		{ L("<entry uri='sip:a@b' cp:copyControl=''/>"), EBADMSG,
		  "<entry>: bad copyControl ''" },
		{ L("<entry uri='sip:a@b'><display-name>a</display-name>"
		    "<display-name>b</display-name></entry>"), EBADMSG,
		  "<entry>: <display-name> more than once" },
		{ L("<entry uri='sip:a@b'><display-name><b>a</b>"
		    "</display-name></entry>"), EBADMSG,
		  "<display-name>: element where text belongs" },
		{ L("<external anchor='http://xcap.a.mcx.test/x'/>"), EBADMSG,
		  "<external>: not supported" },
		{ L("<entry uri='sip:a@b'/><entry-ref ref='users/a/b'/>"),
		  EBADMSG, "<entry-ref>: not supported" },
		{ L("<list><list><external anchor='x'/></list></list>"),
		  EBADMSG, "<external>: not supported" },
		{ "<resource-lists " NS "><list><entry uri='sip:a@b' "
		  "cq:copyControl='to'/></list></resource-lists>", EBADMSG,
		  "namespace error" },
		{ "<!DOCTYPE resource-lists><resource-lists " NS "/>", EBADMSG,
		  "DOCTYPE not allowed" },
		{ L("</entry>"), EBADMSG, "not well-formed" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct rlist *rl = NULL;
		struct mcx_diag d = { "" };
		int err = rlist_decode(&rl, (const uint8_t *)bad[k].doc,
				       strlen(bad[k].doc), &d);

		if (err != bad[k].err || !strstr(d.reason, bad[k].why))
			fail_msg("case %zu: %d '%s', expected %d '%s'", k, err,
				 d.reason, bad[k].err, bad[k].why);
		assert_null(rl);
	}
}

/* n entries spread over nested lists */
static char *entries_doc(unsigned n)
{
	struct mbuf *mb = mbuf_alloc(4096);
	char *s;

	assert_int_equal(0, mbuf_printf(mb, "<resource-lists %s><list>", NS));
	for (unsigned i = 0; i < n; i++) {
		if (i % 10 == 0)
			assert_int_equal(0, mbuf_write_str(mb, "<list>"));
		assert_int_equal(0, mbuf_printf(mb, "<entry uri='sip:u%u@a'/>",
						i));
		if (i % 10 == 9 || i + 1 == n)
			assert_int_equal(0, mbuf_write_str(mb, "</list>"));
	}
	assert_int_equal(0, mbuf_write_str(mb, "</list></resource-lists>"));
	s = tu_str(mb);
	mem_deref(mb);

	return s;
}

/* A document with one entry whose uri (or display-name) is n bytes */
static char *long_doc(size_t n, bool name)
{
	struct mbuf *mb = mbuf_alloc(1024);
	char *s;

	assert_int_equal(0, mbuf_printf(mb, "<resource-lists %s><list>"
					"<entry uri='sip:", NS));
	for (size_t i = 0; i < (name ? 1 : n - 4); i++)
		assert_int_equal(0, mbuf_write_u8(mb, 'u'));
	assert_int_equal(0, mbuf_write_str(mb, "'>"));
	if (name) {
		assert_int_equal(0, mbuf_write_str(mb, "<display-name>"));
		for (size_t i = 0; i < n; i++)
			assert_int_equal(0, mbuf_write_u8(mb, 'n'));
		assert_int_equal(0, mbuf_write_str(mb, "</display-name>"));
	}
	assert_int_equal(0, mbuf_write_str(mb, "</entry></list>"
					   "</resource-lists>"));
	s = tu_str(mb);
	mem_deref(mb);

	return s;
}

static void limits(void **state)
{
	struct rlist *rl = NULL;
	struct mcx_diag d = { "" };
	char *doc;
	uint8_t *big;

	(void)state;
	doc = entries_doc(RLIST_MAX_ENTRIES);
	rl = decode_str(doc, 0);
	assert_int_equal(RLIST_MAX_ENTRIES, rlist_count(rl));
	assert_string_equal(nth(rl, RLIST_MAX_ENTRIES - 1)->uri, "sip:u63@a");
	rl = mem_deref(rl);
	mem_deref(doc);

	doc = entries_doc(RLIST_MAX_ENTRIES + 1);
	assert_int_equal(EMSGSIZE, rlist_decode(&rl, (const uint8_t *)doc,
						strlen(doc), &d));
	assert_non_null(strstr(d.reason, "more than 64 entries"));
	assert_null(rl);
	mem_deref(doc);

	doc = long_doc(RLIST_URI_MAX, false);
	rl = decode_str(doc, 0);
	assert_int_equal(RLIST_URI_MAX, strlen(rlist_first_uri(rl)));
	rl = mem_deref(rl);
	mem_deref(doc);

	doc = long_doc(RLIST_URI_MAX + 1, false);
	assert_int_equal(EBADMSG, rlist_decode(&rl, (const uint8_t *)doc,
					       strlen(doc), &d));
	assert_non_null(strstr(d.reason, "<entry uri>: value longer than "
			       "512 bytes"));
	mem_deref(doc);

	doc = long_doc(RLIST_NAME_MAX, true);
	rl = decode_str(doc, 0);
	assert_int_equal(RLIST_NAME_MAX, strlen(nth(rl, 0)->display_name));
	rl = mem_deref(rl);
	mem_deref(doc);

	doc = long_doc(RLIST_NAME_MAX + 1, true);
	assert_int_equal(EBADMSG, rlist_decode(&rl, (const uint8_t *)doc,
					       strlen(doc), &d));
	assert_non_null(strstr(d.reason, "<display-name>: text longer than "
			       "256 bytes"));
	mem_deref(doc);

	big = mem_zalloc(RLIST_MAX_SIZE + 1, NULL);
	assert_int_equal(EMSGSIZE, rlist_decode(&rl, big, RLIST_MAX_SIZE + 1,
						&d));
	assert_null(rl);
	mem_deref(big);
}

static void arguments(void **state)
{
	struct rlist *rl = NULL;
	struct rlist_entry *e;
	struct mbuf *mb = mbuf_alloc(64);
	char uri[RLIST_URI_MAX + 2];

	(void)state;
	assert_int_equal(EINVAL, rlist_alloc(NULL));
	assert_int_equal(EINVAL, rlist_decode(NULL, (const uint8_t *)"x", 1,
					      NULL));
	assert_int_equal(EINVAL, rlist_decode(&rl, NULL, 1, NULL));
	assert_int_equal(EINVAL, rlist_add(NULL, "sip:a@b", RLIST_COPY_TO));
	assert_int_equal(EINVAL, rlist_encode(mb, NULL));

	assert_int_equal(0, rlist_alloc(&rl));
	assert_int_equal(EINVAL, rlist_encode(NULL, rl));
	assert_int_equal(EINVAL, rlist_add(rl, NULL, RLIST_COPY_TO));
	assert_int_equal(EINVAL, rlist_add(rl, "", RLIST_COPY_TO));
	assert_int_equal(EINVAL, rlist_add(rl, "sip:a b", RLIST_COPY_TO));
	assert_int_equal(EINVAL, rlist_add(rl, "sip:a@b",
					   (enum rlist_copy)3));
	memset(uri, 'u', sizeof(uri) - 1);
	uri[sizeof(uri) - 1] = '\0';			/* 513 bytes */
	assert_int_equal(EINVAL, rlist_add(rl, uri, RLIST_COPY_TO));
	uri[RLIST_URI_MAX] = '\0';			/* 512 bytes */
	assert_int_equal(0, rlist_add(rl, uri, RLIST_COPY_TO));
	assert_int_equal(1, rlist_count(rl));

	for (unsigned i = 1; i < RLIST_MAX_ENTRIES; i++)
		assert_int_equal(0, rlist_add(rl, "sip:a@b", RLIST_COPY_CC));
	assert_int_equal(EINVAL, rlist_add(rl, "sip:a@b", RLIST_COPY_CC));
	assert_int_equal(RLIST_MAX_ENTRIES, rlist_count(rl));
	assert_int_equal(0, rlist_encode(mb, rl));
	rl = mem_deref(rl);

	/* what encode finds changed after rlist_add */
	assert_int_equal(0, rlist_alloc(&rl));
	assert_int_equal(0, rlist_add(rl, "sip:a@b", RLIST_COPY_TO));
	e = list_head(&rl->entries)->data;
	e->copy = (enum rlist_copy)7;
	assert_int_equal(EINVAL, rlist_encode(mb, rl));
	e->copy = RLIST_COPY_CC;
	memset(uri, 'n', RLIST_NAME_MAX + 1);
	uri[RLIST_NAME_MAX + 1] = '\0';
	assert_int_equal(0, mcx_strset(&e->display_name, uri));
	assert_int_equal(EINVAL, rlist_encode(mb, rl));
	assert_int_equal(0, mcx_strset(&e->display_name, "ctl\x01"));
	assert_int_equal(EINVAL, rlist_encode(mb, rl));
	assert_int_equal(0, mcx_strset(&e->display_name, NULL));
	assert_int_equal(0, mcx_strset(&e->uri, "sip:a\tb"));
	assert_int_equal(EINVAL, rlist_encode(mb, rl));
	mem_deref(rl);

	assert_string_equal(rlist_copy_name(RLIST_COPY_TO), "to");
	assert_string_equal(rlist_copy_name(RLIST_COPY_CC), "cc");
	assert_string_equal(rlist_copy_name(RLIST_COPY_BCC), "bcc");
	assert_null(rlist_copy_name((enum rlist_copy)3));
	assert_int_equal(0, rlist_count(NULL));
	assert_null(rlist_first_uri(NULL));
	assert_string_equal(MCX_RLIST_MIME, "application/resource-lists+xml");
	mem_deref(mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(invite_one_entry),
		cmocka_unit_test(nested_lists),
		cmocka_unit_test(build),
		cmocka_unit_test(round_trips),
		cmocka_unit_test(empty),
		cmocka_unit_test(ns_not_prefix),
		cmocka_unit_test(prefixes),
		cmocka_unit_test(refusals),
		cmocka_unit_test(limits),
		cmocka_unit_test(arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
