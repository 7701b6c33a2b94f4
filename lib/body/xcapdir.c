/**
 * @file xcapdir.c  XCAP directory documents (OMA XDM Core, application
 *                  usage org.openmobilealliance.xcap-directory)
 *
 *   <xcap-directory>             any number of <folder>
 *     <folder auid="..">         auid required, unique in the document
 *       <entry uri=".."          uri, etag required
 *              etag=".."
 *              last-modified=".." size=".."/>    optional
 *       ... or instead of entries, one
 *       <error-code>..</error-code>
 *     </folder>
 *   </xcap-directory>
 *
 * Source: the application usage's schema (OMA xdm_xcapDirectory XSD) as
 * copied in AGProjects/python-sipsimple, sipsimple/payloads/xml-schemas/
 * xcap-directory.xsd: a folder is a choice of entry* or one error-code;
 * entry has uri (xs:anyURI, required), etag (xs:string, required),
 * last-modified (xs:dateTime), size (xs:nonNegativeInteger) and lax
 * anyAttribute; attributes are unqualified. We could not read the OMA TS
 * XDM Core text itself (the directory usage, 6.7 in V1.1 by other
 * implementations' citations), so what the text alone would say is [R]:
 * the meaning of <error-code> (kept as opaque text), and whether one AUID
 * may have two folders (we refuse it: a client could not tell which
 * listing is right).
 *
 * Values, beyond the schema (our reading, [R]):
 *   auid  no white space or control characters, no '/': it is one path
 *         segment of an XCAP URI (RFC 4825 6)
 *   uri   no white space or control characters; may be relative (a
 *         document selector, as an XDMS that does not know the XCAP root
 *         writes it)
 *   etag  HTTP etagc (RFC 9110 8.8.3: no DQUOTE, space or control), as
 *         the client copies it into If-Match: "<etag>"
 *   last-modified  the xs:dateTime lexical form, see xcapdir_date_valid()
 *   size  optional '+' and digits (xs:nonNegativeInteger), up to 2^64-1;
 *         "-0", valid in the schema, is refused
 *
 * Anything else, in our namespace or another (child elements, attributes
 * other than these), is ignored: extensions.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/xcapdir.h>
#include "xml/mxml.h"

enum { SIZE_TEXT_MAX = 32 };	/* size attribute, with leading zeros */


static bool auid_ok(const char *s)
{
	return mxml_token_ok(s) && !strchr(s, '/') &&
		strlen(s) <= XCAPDIR_AUID_MAX;
}


static bool uri_ok(const char *s)
{
	return mxml_token_ok(s) && strlen(s) <= XCAPDIR_URI_MAX;
}


/* RFC 9110 8.8.3: etagc = %x21 / %x23-7E / obs-text */
static bool etag_ok(const char *s)
{
	size_t n = 0;

	if (!s || !*s)
		return false;

	for (; *s; s++, n++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x21 || c == '"' || c == 0x7f)
			return false;
	}

	return n <= XCAPDIR_ETAG_MAX;
}


static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}


/* n decimal digits at s (stops at the NUL, which is no digit) */
static bool digits(const char *s, size_t n, unsigned *vp)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}

	*vp = v;
	return true;
}


static bool leap_year(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}


/* Time zone: absent, "Z" or (+|-)hh:mm within 14:00 */
static bool tz_ok(const char *s)
{
	unsigned h, m;

	if (!*s || !strcmp(s, "Z"))
		return true;

	if ((*s != '+' && *s != '-') || !digits(s + 1, 2, &h) ||
	    s[3] != ':' || !digits(s + 4, 2, &m) || s[6])
		return false;

	return h < 14 ? m <= 59 : (h == 14 && m == 0);
}


/**
 * Is s an xs:dateTime (XML Schema Part 2, 3.2.7), such as
 * 2026-11-25T09:00:00Z? YYYY-MM-DDThh:mm:ss, an optional fraction of a
 * second and an optional time zone (Z or +hh:mm / -hh:mm, at most 14:00).
 * The date must exist (leap years included); 24:00:00 is allowed as the
 * schema allows it. Years are 0001 to 9999: negative years and years of
 * more than four digits, also valid xs:dateTime, are refused. At most
 * XCAPDIR_DATE_MAX bytes.
 */
bool xcapdir_date_valid(const char *s)
{
	static const uint8_t mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	unsigned y, mo, d, h, mi, sec;
	bool frac_zero = true;
	size_t len;

	if (!s)
		return false;

	len = strnlen(s, XCAPDIR_DATE_MAX + 1);
	if (len < 19 || len > XCAPDIR_DATE_MAX)
		return false;

	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || s[10] != 'T' ||
	    !digits(s + 11, 2, &h) || s[13] != ':' ||
	    !digits(s + 14, 2, &mi) || s[16] != ':' ||
	    !digits(s + 17, 2, &sec))
		return false;

	if (y == 0 || mo < 1 || mo > 12 || d < 1)
		return false;
	if (d > mdays[mo - 1] + (mo == 2 && leap_year(y) ? 1u : 0u))
		return false;
	if (h > 24 || mi > 59 || sec > 59)
		return false;

	s += 19;
	if (*s == '.') {
		++s;
		if (!is_digit(*s))
			return false;
		for (; is_digit(*s); s++) {
			if (*s != '0')
				frac_zero = false;
		}
	}

	if (h == 24 && (mi || sec || !frac_zero))
		return false;

	return tz_ok(s);
}


/* xs:nonNegativeInteger within uint64_t: optional '+', then digits */
static int size_parse(uint64_t *vp, const char *s)
{
	uint64_t v = 0;

	if (*s == '+')
		++s;
	if (!*s)
		return EBADMSG;

	for (; *s; s++) {
		unsigned dg;

		if (!is_digit(*s))
			return EBADMSG;
		dg = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - dg) / 10)
			return EBADMSG;
		v = v * 10 + dg;
	}

	*vp = v;
	return 0;
}


static void entry_destructor(void *arg)
{
	struct xcapdir_entry *e = arg;

	list_unlink(&e->le);
	mem_deref(e->uri);
	mem_deref(e->etag);
	mem_deref(e->last_modified);
}


static void folder_destructor(void *arg)
{
	struct xcapdir_folder *f = arg;

	list_unlink(&f->le);
	list_flush(&f->entries);
	mem_deref(f->auid);
	mem_deref(f->error);
}


static void dir_destructor(void *arg)
{
	struct xcapdir *dir = arg;

	list_flush(&dir->folders);
}


/**
 * Allocate an empty xcap-directory document
 *
 * @param dirp Where it goes
 *
 * @return 0, EINVAL or ENOMEM
 */
int xcapdir_alloc(struct xcapdir **dirp)
{
	struct xcapdir *dir;

	if (!dirp)
		return EINVAL;

	dir = mem_zalloc(sizeof(*dir), dir_destructor);
	if (!dir)
		return ENOMEM;

	list_init(&dir->folders);
	*dirp = dir;

	return 0;
}


/**
 * The folder of an application usage
 *
 * @param dir  Document
 * @param auid Application usage ID, e.g. "org.3gpp.mcptt.user-profile"
 *
 * @return The folder (owned by dir), or NULL
 */
struct xcapdir_folder *xcapdir_find(const struct xcapdir *dir,
				    const char *auid)
{
	if (!dir || !auid)
		return NULL;

	for (struct le *le = dir->folders.head; le; le = le->next) {
		struct xcapdir_folder *f = le->data;

		if (f->auid && !strcmp(f->auid, auid))
			return f;
	}

	return NULL;
}


/** Number of entries, all folders */
unsigned xcapdir_count(const struct xcapdir *dir)
{
	unsigned n = 0;

	if (!dir)
		return 0;

	for (struct le *le = dir->folders.head; le; le = le->next) {
		const struct xcapdir_folder *f = le->data;

		n += list_count(&f->entries);
	}

	return n;
}


/* A new folder, owning auid, at the end of the document */
static struct xcapdir_folder *folder_append(struct xcapdir *dir, char *auid)
{
	struct xcapdir_folder *f = mem_zalloc(sizeof(*f), folder_destructor);

	if (!f) {
		mem_deref(auid);
		return NULL;
	}

	list_init(&f->entries);
	f->auid = auid;
	list_append(&dir->folders, &f->le, f);

	return f;
}


/**
 * Append a folder
 *
 * @param dir     Document
 * @param auid    Application usage ID (at most XCAPDIR_AUID_MAX bytes, no
 *                white space, control characters or '/')
 * @param folderp Where the new folder goes (owned by dir; may be NULL)
 *
 * @return 0, EINVAL (bad auid, a folder for it exists already, already
 *         XCAPDIR_MAX_FOLDERS folders) or ENOMEM
 */
int xcapdir_folder_add(struct xcapdir *dir, const char *auid,
		       struct xcapdir_folder **folderp)
{
	struct xcapdir_folder *f;
	char *s = NULL;
	int err;

	if (!dir || !auid_ok(auid) || xcapdir_find(dir, auid))
		return EINVAL;
	if (list_count(&dir->folders) >= XCAPDIR_MAX_FOLDERS)
		return EINVAL;

	err = str_dup(&s, auid);
	if (err)
		return err;

	f = folder_append(dir, s);
	if (!f)
		return ENOMEM;

	if (folderp)
		*folderp = f;

	return 0;
}


/* Entries in the document that holds folder f */
static unsigned doc_entries(const struct xcapdir_folder *f)
{
	unsigned n = 0;

	if (!f->le.list)
		return list_count(&f->entries);

	for (struct le *le = f->le.list->head; le; le = le->next) {
		const struct xcapdir_folder *g = le->data;

		n += list_count(&g->entries);
	}

	return n;
}


static struct xcapdir_entry *entry_alloc(void)
{
	return mem_zalloc(sizeof(struct xcapdir_entry), entry_destructor);
}


/**
 * Append an entry to a folder
 *
 * @param folder        Folder (from xcapdir_folder_add(), without .error)
 * @param uri           The document's XCAP URI (at most XCAPDIR_URI_MAX
 *                      bytes, no white space or control characters)
 * @param etag          Its entity tag, without quotes (RFC 9110 etagc)
 * @param last_modified xs:dateTime (xcapdir_date_valid()), or NULL
 * @param size          Size in bytes, or -1 for none
 *
 * @return 0, EINVAL (a bad value, a folder with an error, already
 *         XCAPDIR_MAX_ENTRIES in the document) or ENOMEM
 */
int xcapdir_entry_add(struct xcapdir_folder *folder, const char *uri,
		      const char *etag, const char *last_modified,
		      int64_t size)
{
	struct xcapdir_entry *e;
	int err;

	if (!folder || folder->error || !uri_ok(uri) || !etag_ok(etag))
		return EINVAL;
	if ((last_modified && !xcapdir_date_valid(last_modified)) ||
	    size < -1)
		return EINVAL;
	if (doc_entries(folder) >= XCAPDIR_MAX_ENTRIES)
		return EINVAL;

	e = entry_alloc();
	if (!e)
		return ENOMEM;

	err = str_dup(&e->uri, uri);
	if (!err)
		err = str_dup(&e->etag, etag);
	if (!err && last_modified)
		err = str_dup(&e->last_modified, last_modified);
	if (err) {
		mem_deref(e);
		return err;
	}

	if (size >= 0) {
		e->has_size = true;
		e->size = (uint64_t)size;
	}
	list_append(&folder->entries, &e->le, e);

	return 0;
}


/* A required unqualified attribute */
static int attr_req(char **strp, const xmlNode *n, const char *name,
		    size_t maxlen, struct mcx_diag *diag)
{
	int err = mxml_attr(strp, n, NULL, name, maxlen, diag);

	if (err == ENOENT)
		return mcx_diag_set(diag, EBADMSG, "<%s>: %s missing",
				    mxml_name(n), name);

	return err;
}


/* <entry uri=".." etag=".." last-modified=".." size=".."/> */
static int entry_decode(struct xcapdir_folder *f, const xmlNode *n,
			struct mcx_diag *diag)
{
	struct xcapdir_entry *e;
	char *v = NULL;
	int err;

	e = entry_alloc();
	if (!e)
		return ENOMEM;
	list_append(&f->entries, &e->le, e);

	err = attr_req(&e->uri, n, "uri", XCAPDIR_URI_MAX, diag);
	if (err)
		return err;
	if (!uri_ok(e->uri))
		return mcx_diag_set(diag, EBADMSG, "<entry>: bad uri");

	err = attr_req(&e->etag, n, "etag", XCAPDIR_ETAG_MAX, diag);
	if (err)
		return err;
	if (!etag_ok(e->etag))
		return mcx_diag_set(diag, EBADMSG, "<entry>: bad etag");

	err = mxml_attr(&e->last_modified, n, NULL, "last-modified",
			XCAPDIR_DATE_MAX, diag);
	if (err && err != ENOENT)
		return err;
	if (!err && !xcapdir_date_valid(e->last_modified))
		return mcx_diag_set(diag, EBADMSG, "<entry>: last-modified "
				    "'%.40s' is not an xs:dateTime",
				    e->last_modified);

	err = mxml_attr(&v, n, NULL, "size", SIZE_TEXT_MAX, diag);
	if (err == ENOENT)
		return 0;
	if (err)
		return err;

	if (size_parse(&e->size, v))
		err = mcx_diag_set(diag, EBADMSG, "<entry>: bad size '%.24s'",
				   v);
	else
		e->has_size = true;

	mem_deref(v);
	return err;
}


/* <folder auid=".."> with entries or an <error-code> */
static int folder_decode(struct xcapdir *dir, unsigned *nentries,
			 const xmlNode *n, struct mcx_diag *diag)
{
	struct xcapdir_folder *f;
	char *auid = NULL;
	int err;

	if (list_count(&dir->folders) >= XCAPDIR_MAX_FOLDERS)
		return mcx_diag_set(diag, EMSGSIZE, "<xcap-directory>: more "
				    "than %d folders", XCAPDIR_MAX_FOLDERS);

	err = attr_req(&auid, n, "auid", XCAPDIR_AUID_MAX, diag);
	if (err)
		return err;
	if (!auid_ok(auid)) {
		mem_deref(auid);
		return mcx_diag_set(diag, EBADMSG, "<folder>: bad auid");
	}
	if (xcapdir_find(dir, auid)) {
		err = mcx_diag_set(diag, EBADMSG, "<folder>: auid '%.60s' "
				   "more than once", auid);
		mem_deref(auid);
		return err;
	}

	f = folder_append(dir, auid);
	if (!f)
		return ENOMEM;

	for (xmlNode *c = mxml_first(n); c && !err; c = mxml_next(c)) {
		if (mxml_is(c, MCX_XCAPDIR_NS, "entry")) {
			if (*nentries >= XCAPDIR_MAX_ENTRIES)
				return mcx_diag_set(diag, EMSGSIZE,
						    "<xcap-directory>: more "
						    "than %d entries",
						    XCAPDIR_MAX_ENTRIES);
			++*nentries;
			err = entry_decode(f, c, diag);
		}
		else if (mxml_is(c, MCX_XCAPDIR_NS, "error-code")) {
			if (f->error)
				return mcx_diag_set(diag, EBADMSG, "<folder "
						    "auid='%.60s'>: <error-"
						    "code> more than once",
						    f->auid);
			err = mxml_text(&f->error, c, XCAPDIR_ERROR_MAX,
					diag);
		}
		/* extensions: ignored */
	}
	if (err)
		return err;

	if (f->error && f->entries.head)
		return mcx_diag_set(diag, EBADMSG, "<folder auid='%.60s'>: "
				    "<entry> and <error-code> together",
				    f->auid);

	return 0;
}


/**
 * Decode an application/vnd.oma.xcap-directory+xml document
 *
 * @param dirp Where the document goes
 * @param buf  Document bytes
 * @param len  Number of bytes
 * @param diag Reason on failure
 *
 * @return 0, ENODATA, EBADMSG, EMSGSIZE (over XCAPDIR_MAX_SIZE,
 *         XCAPDIR_MAX_FOLDERS or XCAPDIR_MAX_ENTRIES), ENOMEM or EINVAL
 */
int xcapdir_decode(struct xcapdir **dirp, const uint8_t *buf, size_t len,
		   struct mcx_diag *diag)
{
	struct xcapdir *dir = NULL;
	unsigned nentries = 0;
	xmlDoc *doc = NULL;
	xmlNode *root;
	int err;

	if (!dirp || (!buf && len))
		return EINVAL;

	err = mxml_parse(&doc, buf, len, XCAPDIR_MAX_SIZE, diag);
	if (err)
		return err;

	err = mxml_root(&root, doc, MCX_XCAPDIR_NS, "xcap-directory", diag);
	if (err)
		goto out;

	err = xcapdir_alloc(&dir);
	if (err)
		goto out;

	for (xmlNode *c = mxml_first(root); c && !err; c = mxml_next(c)) {
		if (mxml_is(c, MCX_XCAPDIR_NS, "folder"))
			err = folder_decode(dir, &nentries, c, diag);
		/* extensions: ignored */
	}

 out:
	xmlFreeDoc(doc);
	if (err)
		mem_deref(dir);
	else
		*dirp = dir;

	return err;
}


static bool entry_ok(const struct xcapdir_entry *e)
{
	return uri_ok(e->uri) && etag_ok(e->etag) &&
		(!e->last_modified || xcapdir_date_valid(e->last_modified));
}


/* What encode needs: what the builders promise, checked again since the
 * structs are open */
static bool dir_ok(const struct xcapdir *dir)
{
	unsigned nentries = 0;

	if (list_count(&dir->folders) > XCAPDIR_MAX_FOLDERS)
		return false;

	for (struct le *le = dir->folders.head; le; le = le->next) {
		const struct xcapdir_folder *f = le->data;

		if (!auid_ok(f->auid) || xcapdir_find(dir, f->auid) != f)
			return false;
		if (f->error && (f->entries.head ||
				 strlen(f->error) > XCAPDIR_ERROR_MAX))
			return false;

		for (struct le *l = f->entries.head; l; l = l->next) {
			if (!entry_ok(l->data))
				return false;
		}
		nentries += list_count(&f->entries);
	}

	return nentries <= XCAPDIR_MAX_ENTRIES;
}


/**
 * Encode as application/vnd.oma.xcap-directory+xml
 *
 * @param mb  Where the document is written (on error it may hold part
 *            of it)
 * @param dir Document
 *
 * @return 0, EINVAL (a bad value, a folder with both entries and an
 *         error, over a count limit), EMSGSIZE (the document would be
 *         larger than XCAPDIR_MAX_SIZE, which no decoder of ours would
 *         take) or ENOMEM
 */
int xcapdir_encode(struct mbuf *mb, const struct xcapdir *dir)
{
	struct mxw w;
	size_t start;
	int err;

	if (!mb || !dir || !dir_ok(dir))
		return EINVAL;

	start = mb->pos;
	mxw_init(&w, mb);
	mxw_start(&w, "xcap-directory");
	mxw_attr(&w, "xmlns", MCX_XCAPDIR_NS);

	for (struct le *le = dir->folders.head; le; le = le->next) {
		const struct xcapdir_folder *f = le->data;

		mxw_start(&w, "folder");
		mxw_attr(&w, "auid", f->auid);
		for (struct le *l = f->entries.head; l; l = l->next) {
			const struct xcapdir_entry *e = l->data;
			char size[24];

			(void)snprintf(size, sizeof(size), "%" PRIu64,
				       e->size);
			mxw_start(&w, "entry");
			mxw_attr(&w, "uri", e->uri);
			mxw_attr(&w, "etag", e->etag);
			mxw_attr(&w, "last-modified", e->last_modified);
			mxw_attr(&w, "size", e->has_size ? size : NULL);
			mxw_end(&w, "entry");
		}
		mxw_leaf(&w, "error-code", f->error);
		mxw_end(&w, "folder");
	}

	mxw_end(&w, "xcap-directory");
	err = mxw_finish(&w);
	if (!err && mb->pos - start > XCAPDIR_MAX_SIZE)
		err = EMSGSIZE;

	return err;
}


static int entry_print(struct re_printf *pf, const struct xcapdir_entry *e)
{
	int err = re_hprintf(pf, "%s etag %s", e->uri, e->etag);

	if (!err && e->last_modified)
		err = re_hprintf(pf, " modified %s", e->last_modified);
	if (!err && e->has_size)
		err = re_hprintf(pf, " size %llu",
				 (unsigned long long)e->size);

	return err;
}


/**
 * Print on one line: per folder its auid, then its entries (uri, etag,
 * last-modified, size), its error or "no entries"
 */
int xcapdir_print(struct re_printf *pf, const struct xcapdir *dir)
{
	const char *fsep = " ";
	int err;

	if (!dir)
		return 0;

	if (!dir->folders.head)
		return re_hprintf(pf, "xcap-directory: no folders");

	err = re_hprintf(pf, "xcap-directory:");
	for (struct le *le = dir->folders.head; le && !err; le = le->next) {
		const struct xcapdir_folder *f = le->data;
		const char *esep = " ";

		err = re_hprintf(pf, "%s%s:", fsep, f->auid);
		fsep = "; ";
		if (!err && f->error)
			err = re_hprintf(pf, " error '%s'", f->error);
		else if (!err && !f->entries.head)
			err = re_hprintf(pf, " no entries");

		for (struct le *l = f->entries.head; l && !err; l = l->next) {
			err = re_hprintf(pf, "%s", esep);
			if (!err)
				err = entry_print(pf, l->data);
			esep = ", ";
		}
	}

	return err;
}
