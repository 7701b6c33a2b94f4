/**
 * @file test_xcapdir.c  XCAP directory: vectors, round trips, refusals
 *
 * tests/data/xcapdir/good-*.xml are documents a client must accept;
 * bad-*.xml are refusals, each stating in its first comment the code and
 * the reason expected ("expect: EBADMSG <entry>: etag missing"). Adding a
 * bad-*.xml file adds a case: refusal_files() reads the folder.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/str.h>
#include <mcx/xcapdir.h>
#include "testutil.h"

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define ROOT_START \
	"<xcap-directory xmlns=\"urn:oma:xml:xdm:xcap-directory\">\n"
#define NS "xmlns='urn:oma:xml:xdm:xcap-directory'"
#define U0 "http://127.0.1.1:8080/xcap-root/org.3gpp.mcptt.user-profile/" \
	"users/sip:alice@a.mcx.test/user-profile-0.xml"
#define U1 "http://127.0.1.1:8080/xcap-root/org.3gpp.mcptt.user-profile/" \
	"users/sip:alice@a.mcx.test/user-profile-1.xml"
#define UD "http://127.0.1.1:8080/xcap-root/org.3gpp.mcdata.user-profile/" \
	"users/sip:alice@a.mcx.test/mcdata-user-profile-0.xml"
#define MCPTT_UP "org.3gpp.mcptt.user-profile"

static struct xcapdir *load(const char *path)
{
	struct xcapdir *dir = NULL;
	struct mcx_diag d = { "" };
	size_t len;
	uint8_t *buf = tu_load(path, &len);
	int err = xcapdir_decode(&dir, buf, len, &d);

	if (err)
		fail_msg("%s: %d %s", path, err, d.reason);
	mem_deref(buf);
	assert_non_null(dir);

	return dir;
}

static struct xcapdir *decode_str(const char *doc, int experr,
				  const char *why)
{
	struct xcapdir *dir = NULL;
	struct mcx_diag d = { "" };
	int err = xcapdir_decode(&dir, (const uint8_t *)doc, strlen(doc), &d);

	if (err != experr || (why && !strstr(d.reason, why)))
		fail_msg("'%s': %d '%s', expected %d '%s'", doc, err, d.reason,
			 experr, why ? why : "");
	if (err)
		assert_null(dir);

	return dir;
}

static const struct xcapdir_folder *fnth(const struct xcapdir *dir,
					 unsigned n)
{
	struct le *le = list_head(&dir->folders);

	while (le && n--)
		le = le->next;
	assert_non_null(le);
	return le->data;
}

static const struct xcapdir_entry *enth(const struct xcapdir_folder *f,
					unsigned n)
{
	struct le *le = list_head(&f->entries);

	while (le && n--)
		le = le->next;
	assert_non_null(le);
	return le->data;
}

static void assert_opt_str(const char *got, const char *exp)
{
	if (exp)
		assert_string_equal(got, exp);
	else
		assert_null(got);
}

/* size < 0: no size */
static void assert_entry(const struct xcapdir_entry *e, const char *uri,
			 const char *etag, const char *lm, long long size)
{
	assert_string_equal(e->uri, uri);
	assert_string_equal(e->etag, etag);
	assert_opt_str(e->last_modified, lm);
	assert_int_equal(size >= 0, e->has_size);
	if (size >= 0)
		assert_true(e->size == (uint64_t)size);
}

static void assert_encodes(const struct xcapdir *dir, const char *exp)
{
	struct mbuf *mb = mbuf_alloc(1024);

	assert_int_equal(0, xcapdir_encode(mb, dir));
	tu_assert_mbuf_str(mb, exp);
	mem_deref(mb);
}

static void assert_prints(const struct xcapdir *dir, const char *exp)
{
	char line[1024];

	(void)re_snprintf(line, sizeof(line), "%H", xcapdir_print, dir);
	assert_string_equal(line, exp);
}

/* The wire.md example: what our CMS sends for alice's one profile */
static const char profile_dir[] = XML_DECL ROOT_START
	"  <folder auid=\"org.3gpp.mcptt.user-profile\">\n"
	"    <entry uri=\"" U0 "\" etag=\"a1b2\""
	" last-modified=\"2026-11-25T09:00:00Z\" size=\"1234\"/>\n"
	"  </folder>\n"
	"</xcap-directory>\n";

static void profile_directory(void **state)
{
	struct xcapdir *dir = load("xcapdir/good-profile-directory.xml");
	const struct xcapdir_folder *f;

	(void)state;
	assert_int_equal(1, list_count(&dir->folders));
	assert_int_equal(1, xcapdir_count(dir));
	f = xcapdir_find(dir, MCPTT_UP);
	assert_ptr_equal(f, fnth(dir, 0));
	assert_string_equal(f->auid, MCPTT_UP);
	assert_null(f->error);
	assert_entry(enth(f, 0), U0, "a1b2", "2026-11-25T09:00:00Z", 1234);
	assert_null(xcapdir_find(dir, "org.3gpp.mcvideo.user-profile"));

	assert_encodes(dir, profile_dir);
	assert_prints(dir, "xcap-directory: org.3gpp.mcptt.user-profile: "
		      U0 " etag a1b2 modified 2026-11-25T09:00:00Z size 1234");
	mem_deref(dir);
}

static const char cms_full[] = XML_DECL ROOT_START
	"  <folder auid=\"org.3gpp.mcptt.user-profile\">\n"
	"    <entry uri=\"" U0 "\" etag=\"a1b2\""
	" last-modified=\"2026-11-25T09:00:00Z\" size=\"1234\"/>\n"
	"    <entry uri=\"" U1 "\" etag=\"c3d4\"/>\n"
	"  </folder>\n"
	"  <folder auid=\"org.3gpp.mcvideo.user-profile\"/>\n"
	"  <folder auid=\"org.3gpp.mcdata.user-profile\">\n"
	"    <entry uri=\"" UD "\" etag=\"e5f6\""
	" last-modified=\"2026-11-25T10:30:00+01:00\" size=\"0\"/>\n"
	"  </folder>\n"
	"  <folder auid=\"org.openmobilealliance.groups\">\n"
	"    <error-code>503</error-code>\n"
	"  </folder>\n"
	"</xcap-directory>\n";

static void cms_full_dir(void **state)
{
	struct xcapdir *dir = load("xcapdir/good-cms-full.xml");
	const struct xcapdir_folder *f;

	(void)state;
	assert_int_equal(4, list_count(&dir->folders));
	assert_int_equal(3, xcapdir_count(dir));

	f = fnth(dir, 0);
	assert_string_equal(f->auid, MCPTT_UP);
	assert_int_equal(2, list_count(&f->entries));
	assert_entry(enth(f, 0), U0, "a1b2", "2026-11-25T09:00:00Z", 1234);
	assert_entry(enth(f, 1), U1, "c3d4", NULL, -1);

	f = xcapdir_find(dir, "org.3gpp.mcvideo.user-profile");
	assert_ptr_equal(f, fnth(dir, 1));
	assert_int_equal(0, list_count(&f->entries));
	assert_null(f->error);

	f = xcapdir_find(dir, "org.3gpp.mcdata.user-profile");
	assert_entry(enth(f, 0), UD, "e5f6", "2026-11-25T10:30:00+01:00", 0);

	f = xcapdir_find(dir, "org.openmobilealliance.groups");
	assert_ptr_equal(f, fnth(dir, 3));
	assert_string_equal(f->error, "503");
	assert_int_equal(0, list_count(&f->entries));

	assert_encodes(dir, cms_full);
	assert_prints(dir, "xcap-directory: org.3gpp.mcptt.user-profile: "
		      U0 " etag a1b2 modified 2026-11-25T09:00:00Z size 1234, "
		      U1 " etag c3d4; org.3gpp.mcvideo.user-profile: no "
		      "entries; org.3gpp.mcdata.user-profile: " UD " etag e5f6 "
		      "modified 2026-11-25T10:30:00+01:00 size 0; "
		      "org.openmobilealliance.groups: error '503'");
	mem_deref(dir);
}

/* Our namespace under a prefix, another as the default, extensions */
static void prefixed_extensions(void **state)
{
	struct xcapdir *dir = load("xcapdir/good-prefixed-extensions.xml");
	const struct xcapdir_folder *f;

	(void)state;
	assert_int_equal(1, list_count(&dir->folders));
	assert_null(xcapdir_find(dir, "not-ours"));
	assert_null(xcapdir_find(dir, "ignored"));
	f = xcapdir_find(dir, MCPTT_UP);
	assert_non_null(f);
	assert_null(f->error);
	assert_int_equal(1, list_count(&f->entries));
	assert_entry(enth(f, 0), MCPTT_UP "/users/sip:alice@a.mcx.test/"
		     "user-profile-0.xml", "5f3a-01",
		     "2026-11-25T09:00:00.250Z", 42);

	/* what we send is canonical: no prefix, no extension, size as a
	 * plain number */
	assert_encodes(dir, XML_DECL ROOT_START
		"  <folder auid=\"org.3gpp.mcptt.user-profile\">\n"
		"    <entry uri=\"org.3gpp.mcptt.user-profile/users/"
		"sip:alice@a.mcx.test/user-profile-0.xml\" etag=\"5f3a-01\""
		" last-modified=\"2026-11-25T09:00:00.250Z\" size=\"42\"/>\n"
		"  </folder>\n"
		"</xcap-directory>\n");
	mem_deref(dir);
}

/* The CMS builds the two vectors' documents with the builders */
static void build(void **state)
{
	struct xcapdir *dir = NULL;
	struct xcapdir_folder *f = NULL, *g = NULL;

	(void)state;
	assert_int_equal(0, xcapdir_alloc(&dir));
	assert_int_equal(0, xcapdir_folder_add(dir, MCPTT_UP, &f));
	assert_non_null(f);
	assert_int_equal(0, xcapdir_entry_add(f, U0, "a1b2",
					      "2026-11-25T09:00:00Z", 1234));
	assert_encodes(dir, profile_dir);

	assert_int_equal(0, xcapdir_entry_add(f, U1, "c3d4", NULL, -1));
	assert_int_equal(0, xcapdir_folder_add(dir,
					       "org.3gpp.mcvideo.user-profile",
					       NULL));
	assert_int_equal(0, xcapdir_folder_add(dir,
					       "org.3gpp.mcdata.user-profile",
					       &g));
	assert_int_equal(0, xcapdir_entry_add(g, UD, "e5f6",
					      "2026-11-25T10:30:00+01:00", 0));
	assert_int_equal(0, xcapdir_folder_add(dir,
					       "org.openmobilealliance.groups",
					       &g));
	assert_int_equal(0, mcx_strset(&g->error, "503"));
	assert_encodes(dir, cms_full);

	/* a folder with an error takes no entries */
	assert_int_equal(EINVAL, xcapdir_entry_add(g, UD, "x", NULL, -1));
	mem_deref(dir);

	assert_int_equal(0, xcapdir_alloc(&dir));
	assert_int_equal(0, xcapdir_count(dir));
	assert_encodes(dir, XML_DECL
		       "<xcap-directory xmlns=\"urn:oma:xml:xdm:xcap-"
		       "directory\"/>\n");
	assert_prints(dir, "xcap-directory: no folders");
	mem_deref(dir);
}

static bool same_entry(const struct xcapdir_entry *a,
		       const struct xcapdir_entry *b)
{
	return !strcmp(a->uri, b->uri) && !strcmp(a->etag, b->etag) &&
		(a->last_modified ? b->last_modified &&
		 !strcmp(a->last_modified, b->last_modified) :
		 !b->last_modified) &&
		a->has_size == b->has_size && a->size == b->size;
}

static void assert_same(const struct xcapdir *a, const struct xcapdir *b)
{
	struct le *la = list_head(&a->folders), *lb = list_head(&b->folders);

	assert_int_equal(list_count(&a->folders), list_count(&b->folders));
	for (; la && lb; la = la->next, lb = lb->next) {
		const struct xcapdir_folder *fa = la->data, *fb = lb->data;
		struct le *ea = list_head(&fa->entries);
		struct le *eb = list_head(&fb->entries);

		assert_string_equal(fa->auid, fb->auid);
		assert_opt_str(fb->error, fa->error);
		assert_int_equal(list_count(&fa->entries),
				 list_count(&fb->entries));
		for (; ea && eb; ea = ea->next, eb = eb->next)
			assert_true(same_entry(ea->data, eb->data));
	}
}

/* Decode, encode, decode, encode: same content, equal encodings */
static void round_trips(void **state)
{
	static const char *v[] = {
		"xcapdir/good-profile-directory.xml",
		"xcapdir/good-cms-full.xml",
		"xcapdir/good-prefixed-extensions.xml",
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
		struct xcapdir *a = load(v[k]), *b = NULL;
		struct mbuf *m1 = mbuf_alloc(1024), *m2 = mbuf_alloc(1024);

		assert_int_equal(0, xcapdir_encode(m1, a));
		assert_int_equal(0, xcapdir_decode(&b, m1->buf, m1->end,
						   NULL));
		assert_same(a, b);
		assert_int_equal(0, xcapdir_encode(m2, b));
		tu_assert_bytes(m2->buf, m2->end, m1->buf, m1->end);
		mem_deref(m2);
		mem_deref(m1);
		mem_deref(b);
		mem_deref(a);
	}
}

static int err_by_name(const char *name, size_t n)
{
	static const struct { const char *name; int err; } codes[] = {
		{ "ENODATA", ENODATA }, { "EBADMSG", EBADMSG },
		{ "EMSGSIZE", EMSGSIZE },
	};

	for (size_t i = 0; i < ARRAY_SIZE(codes); i++) {
		if (strlen(codes[i].name) == n &&
		    !memcmp(codes[i].name, name, n))
			return codes[i].err;
	}

	fail_msg("unknown error name '%.*s'", (int)n, name);
	return 0;
}

/* One bad-*.xml vector: its "expect: CODE reason" line, then decode */
static void refusal_file(const char *name)
{
	char rel[300], why[MCX_DIAG_MAX];
	struct xcapdir *dir = NULL;
	struct mcx_diag d = { "" };
	const char *p, *sp, *nl;
	uint8_t *buf;
	size_t len;
	int experr, err;

	(void)re_snprintf(rel, sizeof(rel), "xcapdir/%s", name);
	buf = tu_load(rel, &len);
	p = strstr((const char *)buf, "expect: ");
	if (!p)
		fail_msg("%s: no 'expect: ' line", name);
	p += 8;
	sp = strchr(p, ' ');
	nl = strchr(p, '\n');
	if (!sp || !nl || sp > nl || (size_t)(nl - sp - 1) >= sizeof(why))
		fail_msg("%s: bad 'expect: ' line", name);
	experr = err_by_name(p, (size_t)(sp - p));
	memcpy(why, sp + 1, (size_t)(nl - sp - 1));
	why[nl - sp - 1] = '\0';

	err = xcapdir_decode(&dir, buf, len, &d);
	if (err != experr || !strstr(d.reason, why))
		fail_msg("%s: %d '%s', expected %d '%s'", name, err, d.reason,
			 experr, why);
	assert_null(dir);
	mem_deref(buf);
}

static void refusal_files(void **state)
{
	DIR *d = opendir(MCX_TEST_DATA "/xcapdir");
	struct dirent *de;
	unsigned n = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (strncmp(de->d_name, "bad-", 4) || l < 8 ||
		    strcmp(de->d_name + l - 4, ".xml"))
			continue;
		refusal_file(de->d_name);
		++n;
	}
	(void)closedir(d);
	print_message("%u refusal vectors\n", n);
	assert_true(n >= 19);
}

#define F(x) "<xcap-directory " NS "><folder auid='" MCPTT_UP "'>" x \
	"</folder></xcap-directory>"

/* Refusals too small to deserve a file */
static void refusals(void **state)
{
	static const struct { const char *doc; int err; const char *why; }
	bad[] = {
		{ "", ENODATA, "no document" },
		{ "<xcap-directory " NS "><folder auid='a'>", ENODATA,
		  "cut short" },
		{ "<Xcap-directory " NS "/>", EBADMSG,
		  "expected <xcap-directory>" },
		{ "<xcap-directory " NS "><folder auid=''/></xcap-directory>",
		  EBADMSG, "<folder>: bad auid" },
		{ "<xcap-directory " NS "><folder auid='a b'/>"
		  "</xcap-directory>", EBADMSG, "<folder>: bad auid" },
		{ "<xcap-directory " NS "><folder AUID='a'/></xcap-directory>",
		  EBADMSG, "<folder>: auid missing" },
		{ F("<entry uri='' etag='a'/>"), EBADMSG, "<entry>: bad uri" },
		{ F("<entry uri='u' etag=''/>"), EBADMSG, "<entry>: bad etag" },
		{ F("<entry uri='u' etag='a b'/>"), EBADMSG,
		  "<entry>: bad etag" },
		{ F("<entry uri='u' etag='a&#127;'/>"), EBADMSG,
		  "<entry>: bad etag" },
		{ F("<entry uri='u' etag='a' size=''/>"), EBADMSG,
		  "<entry>: bad size ''" },
		{ F("<entry uri='u' etag='a' size='+'/>"), EBADMSG,
		  "<entry>: bad size '+'" },
		{ F("<entry uri='u' etag='a' size='-0'/>"), EBADMSG,
		  "<entry>: bad size '-0'" },
		{ F("<entry uri='u' etag='a' size='1e3'/>"), EBADMSG,
		  "<entry>: bad size '1e3'" },
		{ F("<entry uri='u' etag='a' size='0x10'/>"), EBADMSG,
		  "<entry>: bad size '0x10'" },
		{ F("<entry uri='u' etag='a' size='1 2'/>"), EBADMSG,
		  "<entry>: bad size '1 2'" },
		{ F("<entry uri='u' etag='a' last-modified=''/>"), EBADMSG,
		  "<entry>: last-modified '' is not an xs:dateTime" },
		{ F("<entry uri='u' etag='a' last-modified='Wed, 25 Nov 2026 "
		    "09:00:00 GMT'/>"), EBADMSG,
		  "last-modified 'Wed, 25 Nov 2026 09:00:00 GMT' is not" },
		{ F("<error-code><b>503</b></error-code>"), EBADMSG,
		  "<error-code>: element where text belongs" },
		{ F("<entry uri='u' etag='a'/></folder><folder auid='b'>"
		    "<entry uri='u' etag='a'/><error-code/>"), EBADMSG,
		  "<folder auid='b'>: <entry> and <error-code> together" },
		{ F("<error-code/><entry uri='u' etag='a'/>"), EBADMSG,
		  "<entry> and <error-code> together" },
		{ F("<entry uri='u' etag='a'>"), EBADMSG, "not well-formed" },
		{ F("<entry uri='u' etag='a' etag='b'/>"), EBADMSG,
		  "not well-formed" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct xcapdir *dir = NULL;
		struct mcx_diag d = { "" };
		int err = xcapdir_decode(&dir, (const uint8_t *)bad[k].doc,
					 strlen(bad[k].doc), &d);

		if (err != bad[k].err || !strstr(d.reason, bad[k].why))
			fail_msg("case %zu: %d '%s', expected %d '%s'", k, err,
				 d.reason, bad[k].err, bad[k].why);
		assert_null(dir);
	}
}

/* Namespace URI, not prefix; the same local names elsewhere are not ours;
 * what is ours but unknown is ignored; empty documents are valid */
static void namespaces_and_extensions(void **state)
{
	struct xcapdir *dir;
	const struct xcapdir_folder *f;

	(void)state;
	dir = decode_str("<q:xcap-directory xmlns:q='urn:oma:xml:xdm:xcap-"
			 "directory'><q:folder auid='a'><q:entry uri='u' "
			 "etag='e'/></q:folder></q:xcap-directory>", 0, NULL);
	assert_int_equal(1, xcapdir_count(dir));
	dir = mem_deref(dir);

	/* a folder in another namespace, an entry in another namespace */
	dir = decode_str("<xcap-directory " NS "><folder xmlns='urn:x' "
			 "auid='a'/><folder auid='b'><entry xmlns='urn:x' "
			 "uri='u' etag='e'/></folder></xcap-directory>", 0,
			 NULL);
	assert_int_equal(1, list_count(&dir->folders));
	f = fnth(dir, 0);
	assert_string_equal(f->auid, "b");
	assert_int_equal(0, list_count(&f->entries));
	dir = mem_deref(dir);

	/* unknown elements of our namespace, in the root, a folder, an
	 * entry; foreign attributes */
	dir = decode_str("<xcap-directory " NS " xmlns:x='urn:x' x:a='1'>"
			 "<quota/><folder auid='a' version='2'><hint/>"
			 "<entry uri='u' etag='e' x:b='2' c='3'><sub/></entry>"
			 "</folder></xcap-directory>", 0, NULL);
	assert_entry(enth(fnth(dir, 0), 0), "u", "e", NULL, -1);
	dir = mem_deref(dir);

	/* element names are case-sensitive: <Folder> is not a folder */
	dir = decode_str("<xcap-directory " NS "><Folder auid='a'/>"
			 "</xcap-directory>", 0, NULL);
	assert_int_equal(0, list_count(&dir->folders));
	dir = mem_deref(dir);

	dir = decode_str("<xcap-directory " NS "/>", 0, NULL);
	assert_int_equal(0, list_count(&dir->folders));
	assert_prints(dir, "xcap-directory: no folders");
	dir = mem_deref(dir);

	/* an empty error-code is an error all the same */
	dir = decode_str(F("<error-code/>"), 0, NULL);
	assert_string_equal(fnth(dir, 0)->error, "");
	assert_prints(dir, "xcap-directory: org.3gpp.mcptt.user-profile: "
		      "error ''");
	assert_encodes(dir, XML_DECL ROOT_START
		       "  <folder auid=\"org.3gpp.mcptt.user-profile\">\n"
		       "    <error-code></error-code>\n"
		       "  </folder>\n"
		       "</xcap-directory>\n");
	mem_deref(dir);
}

/* size: xs:nonNegativeInteger within 64 bits */
static void sizes(void **state)
{
	static const struct { const char *in; uint64_t v; } ok[] = {
		{ "0", 0 }, { "+0", 0 }, { "007", 7 }, { " 12 ", 12 },
		{ "+18446744073709551615", UINT64_MAX },
		{ "00000000000000000000000000000001", 1 },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(ok); k++) {
		char doc[512];
		struct xcapdir *dir;
		const struct xcapdir_entry *e;

		(void)re_snprintf(doc, sizeof(doc),
				  F("<entry uri='u' etag='e' size='%s'/>"),
				  ok[k].in);
		dir = decode_str(doc, 0, NULL);
		e = enth(fnth(dir, 0), 0);
		assert_true(e->has_size);
		assert_true(e->size == ok[k].v);
		mem_deref(dir);
	}

	/* 33 characters: longer than any size needs */
	mem_deref(decode_str(F("<entry uri='u' etag='e' size='0000000000000"
			       "00000000000000000001'/>"), EBADMSG,
			     "<entry size>: value longer than 32 bytes"));
}

/* xs:dateTime, as the schema's last-modified */
static void dates(void **state)
{
	static const char *ok[] = {
		"2026-11-25T09:00:00Z", "2026-11-25T09:00:00",
		"2026-11-25T09:00:00.5Z", "2026-11-25T09:00:00.123456789",
		"2024-02-29T00:00:00Z", "2000-02-29T23:59:59-05:00",
		"0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
		"2026-12-31T24:00:00Z", "2026-12-31T24:00:00.000+00:00",
		"2026-04-30T12:30:45+05:30",
	};
	static const char *bad[] = {
		"", "2026-11-25", "2026-11-25 09:00:00Z",
		"2026-11-25t09:00:00Z",
		"26-11-25T09:00:00Z", "02026-11-25T09:00:00Z",
		"-2026-11-25T09:00:00Z", "0000-01-01T00:00:00Z",
		"2026-00-25T09:00:00Z", "2026-13-25T09:00:00Z",
		"2026-11-00T09:00:00Z", "2026-11-31T09:00:00Z",
		"2026-02-29T09:00:00Z", "1900-02-29T09:00:00Z",
		"2026-11-25T25:00:00Z", "2026-11-25T24:00:01Z",
		"2026-11-25T24:00:00.1Z", "2026-11-25T09:60:00Z",
		"2026-11-25T09:00:60Z", "2026-11-25T09:00:00.Z",
		"2026-11-25T09:00:00z", "2026-11-25T09:00:00+1:00",
		"2026-11-25T09:00:00+0100", "2026-11-25T09:00:00+14:01",
		"2026-11-25T09:00:00+15:00", "2026-11-25T09:00:00+01:60",
		"2026-11-25T09:00:00ZZ", "2026-11-25T09:00:00+01:00Z",
		"2026-11-25T9:00:00Z", "1279068803188",
		("2026-11-25T09:00:00.00000000000000000000000000000000000000"
		 "0000000Z"),	/* longer than 64 bytes */
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(ok); k++) {
		if (!xcapdir_date_valid(ok[k]))
			fail_msg("'%s' refused", ok[k]);
	}
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		if (xcapdir_date_valid(bad[k]))
			fail_msg("'%s' accepted", bad[k]);
	}
	assert_false(xcapdir_date_valid(NULL));
}

/* Every proper prefix of a vector is incomplete, never malformed, until
 * the root element is closed; from then on it decodes. */
static void prefixes(void **state)
{
	static const struct { const char *path, *close; } v[] = {
		{ "xcapdir/good-profile-directory.xml", "</xcap-directory>" },
		{ "xcapdir/good-cms-full.xml", "</xcap-directory>" },
		{ "xcapdir/good-prefixed-extensions.xml",
		  "</xd:xcap-directory>" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
		size_t len, closed, cl = strlen(v[k].close);
		uint8_t *buf = tu_load(v[k].path, &len);
		const char *c = strstr((const char *)buf, v[k].close);

		assert_non_null(c);
		closed = (size_t)(c - (const char *)buf) + cl;

		for (size_t n = 0; n < len; n++) {
			struct xcapdir *dir = NULL;
			struct mcx_diag d = { "" };
			int err = xcapdir_decode(&dir, buf, n, &d);

			if (n < closed && err != ENODATA)
				fail_msg("%s: prefix %zu: %d (%s)", v[k].path,
					 n, err, d.reason);
			if (n >= closed && err)
				fail_msg("%s: prefix %zu: %d (%s)", v[k].path,
					 n, err, d.reason);
			mem_deref(dir);
		}
		mem_deref(buf);
	}
}

/* nfolders folders holding nentries entries between them, uris of
 * urilen bytes (at least 8) */
static char *big_doc(unsigned nfolders, unsigned nentries, size_t urilen)
{
	struct mbuf *mb = mbuf_alloc(8192);
	char *s;

	assert_int_equal(0, mbuf_printf(mb, "<xcap-directory %s>", NS));
	for (unsigned i = 0; i < nfolders; i++) {
		assert_int_equal(0, mbuf_printf(mb, "<folder auid='a%u'>", i));
		for (unsigned j = i; j < nentries; j += nfolders) {
			assert_int_equal(0, mbuf_printf(mb, "<entry uri='%05u/",
							j));
			for (size_t k = 6; k < urilen; k++)
				assert_int_equal(0, mbuf_write_u8(mb, 'u'));
			assert_int_equal(0, mbuf_write_str(mb, "' etag='e'/>"));
		}
		assert_int_equal(0, mbuf_write_str(mb, "</folder>"));
	}
	assert_int_equal(0, mbuf_write_str(mb, "</xcap-directory>"));
	s = tu_str(mb);
	mem_deref(mb);

	return s;
}

static void limits(void **state)
{
	struct xcapdir *dir = NULL;
	struct mcx_diag d = { "" };
	struct mbuf *mb = mbuf_alloc(1024);
	char *doc;
	uint8_t *big;

	(void)state;
	doc = big_doc(XCAPDIR_MAX_FOLDERS, XCAPDIR_MAX_ENTRIES, 8);
	dir = decode_str(doc, 0, NULL);
	assert_int_equal(XCAPDIR_MAX_FOLDERS, list_count(&dir->folders));
	assert_int_equal(XCAPDIR_MAX_ENTRIES, xcapdir_count(dir));
	assert_int_equal(0, xcapdir_encode(mb, dir));
	dir = mem_deref(dir);
	mem_deref(doc);

	doc = big_doc(XCAPDIR_MAX_FOLDERS + 1, 0, 8);
	mem_deref(decode_str(doc, EMSGSIZE, "<xcap-directory>: more than 32 "
			     "folders"));
	mem_deref(doc);

	doc = big_doc(3, XCAPDIR_MAX_ENTRIES + 1, 8);
	mem_deref(decode_str(doc, EMSGSIZE, "<xcap-directory>: more than 128"
			     " entries"));
	mem_deref(doc);

	doc = big_doc(1, 1, XCAPDIR_URI_MAX);
	dir = decode_str(doc, 0, NULL);
	assert_int_equal(XCAPDIR_URI_MAX, strlen(enth(fnth(dir, 0), 0)->uri));
	dir = mem_deref(dir);
	mem_deref(doc);

	doc = big_doc(1, 1, XCAPDIR_URI_MAX + 1);
	mem_deref(decode_str(doc, EBADMSG, "<entry uri>: value longer than "
			     "1024 bytes"));
	mem_deref(doc);

	big = mem_zalloc(XCAPDIR_MAX_SIZE + 1, NULL);
	assert_int_equal(EMSGSIZE, xcapdir_decode(&dir, big,
						  XCAPDIR_MAX_SIZE + 1, &d));
	assert_null(dir);
	mem_deref(big);

	/* 64 entries of 1024-byte uris: over 64 KiB, which no decoder of
	 * ours would take, so the encoder refuses it */
	doc = big_doc(2, 64, XCAPDIR_URI_MAX);
	assert_true(strlen(doc) > XCAPDIR_MAX_SIZE);
	mem_deref(decode_str(doc, EMSGSIZE, "larger than 65536 bytes"));
	mem_deref(doc);
	doc = big_doc(2, 62, XCAPDIR_URI_MAX);
	dir = decode_str(doc, 0, NULL);
	mem_deref(doc);
	for (unsigned i = 0; i < 2; i++) {
		char uri[XCAPDIR_URI_MAX + 1];

		memset(uri, 'v', XCAPDIR_URI_MAX);
		uri[XCAPDIR_URI_MAX] = '\0';
		assert_int_equal(0, xcapdir_entry_add(xcapdir_find(dir, "a0"),
						      uri, "e", NULL, -1));
	}
	mbuf_rewind(mb);
	assert_int_equal(EMSGSIZE, xcapdir_encode(mb, dir));
	mem_deref(dir);
	mem_deref(mb);
}

static void arguments(void **state)
{
	struct xcapdir *dir = NULL;
	struct xcapdir_folder *f = NULL, *g = NULL;
	struct xcapdir_entry *e;
	struct mbuf *mb = mbuf_alloc(64);
	char s[XCAPDIR_URI_MAX + 2];

	(void)state;
	assert_int_equal(EINVAL, xcapdir_alloc(NULL));
	assert_int_equal(EINVAL, xcapdir_decode(NULL, (const uint8_t *)"x", 1,
						NULL));
	assert_int_equal(EINVAL, xcapdir_decode(&dir, NULL, 1, NULL));
	assert_int_equal(EINVAL, xcapdir_folder_add(NULL, "a", NULL));
	assert_int_equal(EINVAL, xcapdir_entry_add(NULL, "u", "e", NULL, -1));
	assert_int_equal(EINVAL, xcapdir_encode(mb, NULL));
	assert_null(xcapdir_find(NULL, "a"));
	assert_int_equal(0, xcapdir_count(NULL));
	assert_int_equal(0, xcapdir_print(NULL, NULL));

	assert_int_equal(0, xcapdir_alloc(&dir));
	assert_int_equal(EINVAL, xcapdir_encode(NULL, dir));
	assert_null(xcapdir_find(dir, NULL));
	assert_int_equal(EINVAL, xcapdir_folder_add(dir, NULL, NULL));
	assert_int_equal(EINVAL, xcapdir_folder_add(dir, "", NULL));
	assert_int_equal(EINVAL, xcapdir_folder_add(dir, "a b", NULL));
	assert_int_equal(EINVAL, xcapdir_folder_add(dir, "a/b", NULL));
	memset(s, 'a', XCAPDIR_AUID_MAX + 1);
	s[XCAPDIR_AUID_MAX + 1] = '\0';
	assert_int_equal(EINVAL, xcapdir_folder_add(dir, s, NULL));
	s[XCAPDIR_AUID_MAX] = '\0';
	assert_int_equal(0, xcapdir_folder_add(dir, s, &f));
	assert_int_equal(EINVAL, xcapdir_folder_add(dir, s, &g));
	assert_null(g);

	assert_int_equal(EINVAL, xcapdir_entry_add(f, NULL, "e", NULL, -1));
	assert_int_equal(EINVAL, xcapdir_entry_add(f, "", "e", NULL, -1));
	assert_int_equal(EINVAL, xcapdir_entry_add(f, "u v", "e", NULL, -1));
	assert_int_equal(EINVAL, xcapdir_entry_add(f, "u", NULL, NULL, -1));
	assert_int_equal(EINVAL, xcapdir_entry_add(f, "u", "", NULL, -1));
	assert_int_equal(EINVAL, xcapdir_entry_add(f, "u", "\"e\"", NULL,
						   -1));
	assert_int_equal(EINVAL, xcapdir_entry_add(f, "u", "e", "yesterday",
						   -1));
	assert_int_equal(EINVAL, xcapdir_entry_add(f, "u", "e", NULL, -2));
	memset(s, 'u', XCAPDIR_URI_MAX + 1);
	s[XCAPDIR_URI_MAX + 1] = '\0';
	assert_int_equal(EINVAL, xcapdir_entry_add(f, s, "e", NULL, -1));
	s[XCAPDIR_URI_MAX] = '\0';
	assert_int_equal(0, xcapdir_entry_add(f, s, "e", NULL, INT64_MAX));
	assert_int_equal(1, xcapdir_count(dir));

	/* the entry limit is per document, over all folders */
	for (unsigned i = 1; i < XCAPDIR_MAX_FOLDERS; i++) {
		char auid[16];

		(void)re_snprintf(auid, sizeof(auid), "f%u", i);
		assert_int_equal(0, xcapdir_folder_add(dir, auid, &g));
		for (unsigned j = 0; j < 4; j++) {
			assert_int_equal(0, xcapdir_entry_add(g, "u", "e",
							      NULL, -1));
		}
	}
	assert_int_equal(EINVAL, xcapdir_folder_add(dir, "one-more", NULL));
	assert_int_equal(XCAPDIR_MAX_ENTRIES - 3, xcapdir_count(dir));
	for (unsigned j = 0; j < 3; j++)
		assert_int_equal(0, xcapdir_entry_add(f, "u", "e", NULL, -1));
	assert_int_equal(EINVAL, xcapdir_entry_add(g, "u", "e", NULL, -1));
	assert_int_equal(XCAPDIR_MAX_ENTRIES, xcapdir_count(dir));
	assert_int_equal(0, xcapdir_encode(mb, dir));
	dir = mem_deref(dir);

	/* what encode finds changed after the builders */
	assert_int_equal(0, xcapdir_alloc(&dir));
	assert_int_equal(0, xcapdir_folder_add(dir, "a", &f));
	assert_int_equal(0, xcapdir_folder_add(dir, "b", &g));
	assert_int_equal(0, xcapdir_entry_add(f, "u", "e", NULL, -1));
	e = list_head(&f->entries)->data;
	mbuf_rewind(mb);
	assert_int_equal(0, xcapdir_encode(mb, dir));

	assert_int_equal(0, mcx_strset(&f->error, "500"));
	assert_int_equal(EINVAL, xcapdir_encode(mb, dir));  /* both */
	assert_int_equal(0, mcx_strset(&f->error, NULL));
	assert_int_equal(0, mcx_strset(&g->auid, "a"));
	assert_int_equal(EINVAL, xcapdir_encode(mb, dir));  /* auid twice */
	assert_int_equal(0, mcx_strset(&g->auid, NULL));
	assert_int_equal(EINVAL, xcapdir_encode(mb, dir));
	assert_null(xcapdir_find(dir, "b"));
	assert_int_equal(0, mcx_strset(&g->auid, "b"));
	memset(s, 'x', XCAPDIR_ERROR_MAX + 1);
	s[XCAPDIR_ERROR_MAX + 1] = '\0';
	assert_int_equal(0, mcx_strset(&g->error, s));
	assert_int_equal(EINVAL, xcapdir_encode(mb, dir));
	assert_int_equal(0, mcx_strset(&g->error, "ctl\x01"));
	assert_int_equal(EINVAL, xcapdir_encode(mb, dir));
	assert_int_equal(0, mcx_strset(&g->error, NULL));
	assert_int_equal(0, mcx_strset(&e->last_modified,
				       "2026-13-01T00:00:00"));
	assert_int_equal(EINVAL, xcapdir_encode(mb, dir));
	assert_int_equal(0, mcx_strset(&e->last_modified, NULL));
	assert_int_equal(0, mcx_strset(&e->etag, "a\"b"));
	assert_int_equal(EINVAL, xcapdir_encode(mb, dir));
	assert_int_equal(0, mcx_strset(&e->etag, "e"));
	assert_int_equal(0, mcx_strset(&e->uri, "u\tv"));
	assert_int_equal(EINVAL, xcapdir_encode(mb, dir));
	assert_int_equal(0, mcx_strset(&e->uri, "u"));
	mbuf_rewind(mb);
	assert_int_equal(0, xcapdir_encode(mb, dir));
	mem_deref(dir);

	assert_string_equal(MCX_XCAPDIR_MIME,
			    "application/vnd.oma.xcap-directory+xml");
	assert_string_equal(MCX_XCAPDIR_NS, "urn:oma:xml:xdm:xcap-directory");
	mem_deref(mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(profile_directory),
		cmocka_unit_test(cms_full_dir),
		cmocka_unit_test(prefixed_extensions),
		cmocka_unit_test(build),
		cmocka_unit_test(round_trips),
		cmocka_unit_test(refusal_files),
		cmocka_unit_test(refusals),
		cmocka_unit_test(namespaces_and_extensions),
		cmocka_unit_test(sizes),
		cmocka_unit_test(dates),
		cmocka_unit_test(prefixes),
		cmocka_unit_test(limits),
		cmocka_unit_test(arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
