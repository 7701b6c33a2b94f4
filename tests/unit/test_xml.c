/**
 * @file test_xml.c  The XML adapter: safe parsing, namespace matching, writer
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include "xml/mxml.h"
#include "testutil.h"

#define NS_A "urn:example:a"
#define NS_B "urn:example:b"

static int parse(xmlDoc **doc, const char *s, struct mcx_diag *d)
{
	return mxml_parse(doc, (const uint8_t *)s, strlen(s), 0, d);
}

static void parse_expect(const char *s, int exp, const char *reason_part)
{
	struct mcx_diag d = { "" };
	xmlDoc *doc = NULL;
	int err = parse(&doc, s, &d);

	if (err != exp)
		fail_msg("'%.60s': got %d (%s), expected %d", s, err,
			 d.reason, exp);
	if (reason_part && !strstr(d.reason, reason_part))
		fail_msg("'%.60s': reason '%s' lacks '%s'", s, d.reason,
			 reason_part);
	if (!err)
		xmlFreeDoc(doc);
	else
		assert_null(doc);
}

/* The same document under two prefixes and as default namespace matches;
 * the same prefix bound to another URI does not. */
static void ns_by_uri_not_prefix(void **state)
{
	static const char *same[] = {
		"<a:r xmlns:a='" NS_A "'><a:c>x</a:c></a:r>",
		"<zz:r xmlns:zz='" NS_A "'><zz:c>x</zz:c></zz:r>",
		"<r xmlns='" NS_A "'><c>x</c></r>",
	};
	const char *other = "<a:r xmlns:a='" NS_B "'><a:c>x</a:c></a:r>";
	struct mcx_diag d;
	xmlNode *root, *c;
	xmlDoc *doc;
	char *txt;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(same); i++) {
		assert_int_equal(0, parse(&doc, same[i], &d));
		assert_int_equal(0, mxml_root(&root, doc, NS_A, "r", &d));
		c = mxml_child(root, NS_A, "c");
		assert_non_null(c);
		assert_null(mxml_child(root, NS_B, "c"));
		assert_null(mxml_child(root, NS_A, "C"));  /* case matters */
		assert_int_equal(0, mxml_text(&txt, c, 0, &d));
		assert_string_equal(txt, "x");
		mem_deref(txt);
		xmlFreeDoc(doc);
	}

	assert_int_equal(0, parse(&doc, other, &d));
	assert_int_equal(EBADMSG, mxml_root(&root, doc, NS_A, "r", &d));
	assert_non_null(strstr(d.reason, NS_B));
	xmlFreeDoc(doc);
}

static void no_namespace(void **state)
{
	struct mcx_diag d;
	xmlNode *root;
	xmlDoc *doc;

	(void)state;
	assert_int_equal(0, parse(&doc, "<r><c/></r>", &d));
	assert_int_equal(EBADMSG, mxml_root(&root, doc, NS_A, "r", &d));
	assert_int_equal(0, mxml_root(&root, doc, NULL, "r", &d));
	assert_non_null(mxml_child(root, NULL, "c"));
	xmlFreeDoc(doc);
}

/* No DTD at all: entity bombs and external entities never get a chance */
static void dtd_refused(void **state)
{
	(void)state;
	parse_expect("<?xml version='1.0'?>"
		     "<!DOCTYPE lolz [<!ENTITY lol 'lol'>"
		     "<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;'>]>"
		     "<lolz>&lol2;</lolz>", EBADMSG, "DOCTYPE");
	parse_expect("<!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
		     "<r>&x;</r>", EBADMSG, "DOCTYPE");
	parse_expect("<!DOCTYPE r SYSTEM 'http://127.0.0.1:9/x.dtd'><r/>",
		     EBADMSG, "DOCTYPE");
	/* an undeclared entity is simply not well-formed */
	parse_expect("<r>&x;</r>", EBADMSG, "not well-formed");
	/* predefined entities and character references are fine */
	parse_expect("<r>&lt;&amp;&#65;</r>", 0, NULL);
}

static void incomplete_vs_malformed(void **state)
{
	(void)state;
	parse_expect("", ENODATA, "no document");
	parse_expect("   \n", ENODATA, NULL);
	parse_expect("<?xml version='1.0'?>", ENODATA, NULL);
	parse_expect("<r xmlns='" NS_A "'><c>x</c>", ENODATA, "cut short");
	parse_expect("<r><c>x</c></r", ENODATA, "cut short");
	parse_expect("<r><c>x</d></r>", EBADMSG, "not well-formed");
	parse_expect("<r/><s/>", EBADMSG, "not well-formed");
	parse_expect("<r/>junk", EBADMSG, "not well-formed");
	parse_expect("<r a='1' a='2'/>", EBADMSG, NULL);
	parse_expect("<p:r/>", EBADMSG, NULL);	/* unbound prefix */
	/* a start tag cut short is incomplete even where its prefix or
	 * namespace declaration is cut; a complete one with an unbound
	 * prefix is malformed, whatever follows */
	parse_expect("<r xmlns:", ENODATA, "cut short");
	parse_expect("<r xmlns:p='urn:b'><p:", ENODATA, "cut short");
	parse_expect("<r><p:c xmlns:p='u'", ENODATA, "cut short");
	parse_expect("<r xmlns:p='u'><q:c/>", EBADMSG, "namespace error");
	parse_expect("\xff\xfe<r/>", EBADMSG, NULL);
}

static void limits(void **state)
{
	struct mbuf *mb = mbuf_alloc(1024);
	struct mcx_diag d;
	xmlDoc *doc = NULL;

	(void)state;
	/* nesting: MXML_MAX_DEPTH is fine, one more is not */
	for (int i = 0; i < MXML_MAX_DEPTH; i++)
		mbuf_write_str(mb, "<e>");
	for (int i = 0; i < MXML_MAX_DEPTH; i++)
		mbuf_write_str(mb, "</e>");
	assert_int_equal(0, mxml_parse(&doc, mb->buf, mb->end, 0, &d));
	xmlFreeDoc(doc);

	mbuf_reset(mb);
	for (int i = 0; i <= MXML_MAX_DEPTH; i++)
		mbuf_write_str(mb, "<e>");
	for (int i = 0; i <= MXML_MAX_DEPTH; i++)
		mbuf_write_str(mb, "</e>");
	assert_int_equal(EBADMSG, mxml_parse(&doc, mb->buf, mb->end, 0, &d));
	assert_non_null(strstr(d.reason, "deep"));

	/* size */
	assert_int_equal(EMSGSIZE, mxml_parse(&doc, mb->buf, mb->end, 16, &d));
	assert_non_null(strstr(d.reason, "16 bytes"));

	mem_deref(mb);
}

static void text_and_attrs(void **state)
{
	const char *s = "<r xmlns='" NS_A "' xmlns:b='" NS_B "' plain=' v '"
		" b:q='bq'><t>  a &amp; b\n</t><m>x<i/>y</m>"
		"<long>0123456789</long><n>42</n></r>";
	struct mcx_diag d;
	xmlNode *root;
	xmlDoc *doc;
	char *v = NULL;
	uint32_t u;
	bool b;

	(void)state;
	assert_int_equal(0, parse(&doc, s, &d));
	assert_int_equal(0, mxml_root(&root, doc, NS_A, "r", &d));

	assert_int_equal(0, mxml_text(&v, mxml_child(root, NS_A, "t"), 0, &d));
	assert_string_equal(v, "a & b");
	v = mem_deref(v);

	assert_int_equal(EBADMSG, mxml_text(&v, mxml_child(root, NS_A, "m"),
					    0, &d));
	assert_non_null(strstr(d.reason, "<m>"));

	assert_int_equal(EBADMSG, mxml_text(&v, mxml_child(root, NS_A, "long"),
					    5, &d));
	assert_non_null(strstr(d.reason, "longer than 5"));

	assert_int_equal(0, mxml_attr(&v, root, NULL, "plain", 0, &d));
	assert_string_equal(v, "v");
	v = mem_deref(v);
	assert_int_equal(ENOENT, mxml_attr(&v, root, NS_A, "plain", 0, &d));
	assert_int_equal(0, mxml_attr(&v, root, NS_B, "q", 0, &d));
	assert_string_equal(v, "bq");
	v = mem_deref(v);
	assert_int_equal(ENOENT, mxml_attr(&v, root, NULL, "q", 0, &d));

	assert_int_equal(0, mxml_uint(&u, "42", 100));
	assert_int_equal(42, u);
	assert_int_equal(EBADMSG, mxml_uint(&u, "101", 100));
	assert_int_equal(EBADMSG, mxml_uint(&u, "-1", 100));
	assert_int_equal(EBADMSG, mxml_uint(&u, "", 100));
	assert_int_equal(EBADMSG, mxml_uint(&u, "99999999999999999999", ~0u));
	assert_int_equal(0, mxml_bool(&b, "1"));
	assert_true(b);
	assert_int_equal(0, mxml_bool(&b, "false"));
	assert_false(b);
	assert_int_equal(EBADMSG, mxml_bool(&b, "TRUE"));

	assert_true(mxml_token_ok("sip:alice@a.mcx.test"));
	assert_false(mxml_token_ok("sip:a lice"));
	assert_false(mxml_token_ok(""));

	xmlFreeDoc(doc);
}

static void writer(void **state)
{
	struct mbuf *mb = mbuf_alloc(256);
	struct mcx_diag d;
	struct mxw w;
	xmlNode *root;
	xmlDoc *doc;
	char *v;

	(void)state;
	mxw_init(&w, mb);
	mxw_start(&w, "r");
	mxw_attr(&w, "xmlns", NS_A);
	mxw_attr(&w, "q", "a\"<&>\tb");
	mxw_leaf(&w, "t", "x < y & \"z\"");
	mxw_start(&w, "e");
	mxw_end(&w, "e");
	mxw_leaf(&w, "absent", NULL);
	mxw_end(&w, "r");
	assert_int_equal(0, mxw_finish(&w));

	tu_assert_mbuf_str(mb,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<r xmlns=\"" NS_A "\" q=\"a&quot;&lt;&amp;&gt;&#9;b\">\n"
		"  <t>x &lt; y &amp; \"z\"</t>\n"
		"  <e/>\n"
		"</r>\n");

	/* and it reads back as written */
	assert_int_equal(0, mxml_parse(&doc, mb->buf, mb->end, 0, &d));
	assert_int_equal(0, mxml_root(&root, doc, NS_A, "r", &d));
	assert_int_equal(0, mxml_attr(&v, root, NULL, "q", 0, &d));
	assert_string_equal(v, "a\"<&>\tb");
	mem_deref(v);
	xmlFreeDoc(doc);

	/* what XML cannot carry is refused, and the error sticks */
	mbuf_reset(mb);
	mxw_init(&w, mb);
	mxw_start(&w, "r");
	mxw_text(&w, "bell\a");
	mxw_end(&w, "r");
	assert_int_equal(EINVAL, mxw_finish(&w));

	mbuf_reset(mb);
	mxw_init(&w, mb);
	mxw_start(&w, "r");
	mxw_text(&w, "\xc3\x28");	/* invalid UTF-8 */
	assert_int_equal(EINVAL, mxw_finish(&w));

	mbuf_reset(mb);
	mxw_init(&w, mb);
	mxw_start(&w, "r");
	assert_int_equal(EINVAL, mxw_finish(&w));	/* unbalanced */

	mbuf_reset(mb);
	mxw_init(&w, mb);
	mxw_start(&w, "bad name");
	assert_int_equal(EINVAL, mxw_finish(&w));

	mbuf_reset(mb);
	mxw_init(&w, mb);
	mxw_start(&w, "r");
	mxw_text(&w, "t");
	mxw_start(&w, "mixed");
	assert_int_equal(EINVAL, mxw_finish(&w));

	mem_deref(mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ns_by_uri_not_prefix),
		cmocka_unit_test(no_namespace),
		cmocka_unit_test(dtd_refused),
		cmocka_unit_test(incomplete_vs_malformed),
		cmocka_unit_test(limits),
		cmocka_unit_test(text_and_attrs),
		cmocka_unit_test(writer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
