/**
 * @file rlist.c  resource-lists bodies (RFC 4826 3, copyControl RFC 5364)
 *
 *   <resource-lists>           zero or more <list>
 *     <list>                   display-name, then any of list, external,
 *       <display-name/>          entry, entry-ref
 *       <entry uri="..">       uri required
 *         <display-name/>        optional
 *       </entry>
 *       <list> ... </list>     nested lists: entries flattened in order
 *       <external anchor=".."/>   refused: a reference we cannot resolve
 *       <entry-ref ref=".."/>     refused: the same
 *     </list>
 *   </resource-lists>
 *
 * copyControl is an attribute of <entry> in urn:ietf:params:xml:ns:
 * copycontrol (RFC 5364), matched by namespace URI whatever its prefix:
 * to, cc or bcc, "to" when absent. The private-call INVITE of TS 24.379
 * 11.1.1.2.1.1 carries one entry: the called MC service ID (Annex H.3).
 *
 * Other elements (a list's display-name, foreign extensions, elements of
 * later versions) are ignored. Nesting is bounded by the parser's depth
 * limit (MXML_MAX_DEPTH), so the recursion over lists is bounded too.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/rlist.h>
#include "xml/mxml.h"

static const char *copy_names[] = {
	[RLIST_COPY_TO]  = "to",
	[RLIST_COPY_CC]  = "cc",
	[RLIST_COPY_BCC] = "bcc",
};


static bool uri_ok(const char *s)
{
	return mxml_token_ok(s) && strlen(s) <= RLIST_URI_MAX;
}


static bool copy_ok(enum rlist_copy copy)
{
	return (unsigned)copy < ARRAY_SIZE(copy_names);
}


/** Name of a copyControl value ("to", "cc", "bcc"), or NULL */
const char *rlist_copy_name(enum rlist_copy copy)
{
	return copy_ok(copy) ? copy_names[copy] : NULL;
}


static void entry_destructor(void *arg)
{
	struct rlist_entry *e = arg;

	list_unlink(&e->le);
	mem_deref(e->uri);
	mem_deref(e->display_name);
}


static void rlist_destructor(void *arg)
{
	struct rlist *rl = arg;

	list_flush(&rl->entries);
}


/**
 * Allocate an empty resource-lists document
 *
 * @param rlp Where it goes
 *
 * @return 0, EINVAL or ENOMEM
 */
int rlist_alloc(struct rlist **rlp)
{
	struct rlist *rl;

	if (!rlp)
		return EINVAL;

	rl = mem_zalloc(sizeof(*rl), rlist_destructor);
	if (!rl)
		return ENOMEM;

	list_init(&rl->entries);
	*rlp = rl;

	return 0;
}


/* A new entry at the end of the list, owned by it */
static struct rlist_entry *entry_append(struct rlist *rl)
{
	struct rlist_entry *e = mem_zalloc(sizeof(*e), entry_destructor);

	if (e)
		list_append(&rl->entries, &e->le, e);

	return e;
}


/**
 * Append an entry (without display-name; set .display_name of the last
 * entry with mcx_strset() to add one)
 *
 * @param rl   Document
 * @param uri  The recipient, e.g. an MC service ID (at most 512 bytes, no
 *             white space or control characters)
 * @param copy copyControl
 *
 * @return 0, EINVAL (bad uri or copy, already RLIST_MAX_ENTRIES entries)
 *         or ENOMEM
 */
int rlist_add(struct rlist *rl, const char *uri, enum rlist_copy copy)
{
	struct rlist_entry *e;
	char *s = NULL;
	int err;

	if (!rl || !uri_ok(uri) || !copy_ok(copy))
		return EINVAL;
	if (list_count(&rl->entries) >= RLIST_MAX_ENTRIES)
		return EINVAL;

	err = str_dup(&s, uri);
	if (err)
		return err;

	e = entry_append(rl);
	if (!e) {
		mem_deref(s);
		return ENOMEM;
	}

	e->uri = s;
	e->copy = copy;

	return 0;
}


/* RFC 5364: the copyControl attribute, by namespace URI */
static int copy_decode(enum rlist_copy *copyp, const xmlNode *n,
		       struct mcx_diag *diag)
{
	char *v = NULL;
	size_t i;
	int err;

	err = mxml_attr(&v, n, MCX_RLIST_CP_NS, "copyControl", 16, diag);
	if (err == ENOENT) {
		*copyp = RLIST_COPY_TO;
		return 0;
	}
	if (err)
		return err;

	for (i = 0; i < ARRAY_SIZE(copy_names); i++) {
		if (!strcmp(v, copy_names[i]))
			break;
	}

	if (i == ARRAY_SIZE(copy_names))
		err = mcx_diag_set(diag, EBADMSG, "<entry>: bad copyControl "
				   "'%.16s'", v);
	else
		*copyp = (enum rlist_copy)i;

	mem_deref(v);
	return err;
}


/* <entry uri=".."> with an optional <display-name> */
static int entry_decode(struct rlist *rl, const xmlNode *n,
			struct mcx_diag *diag)
{
	struct rlist_entry *e;
	int err;

	if (list_count(&rl->entries) >= RLIST_MAX_ENTRIES)
		return mcx_diag_set(diag, EMSGSIZE, "<resource-lists>: more "
				    "than %d entries", RLIST_MAX_ENTRIES);

	e = entry_append(rl);
	if (!e)
		return ENOMEM;

	err = mxml_attr(&e->uri, n, NULL, "uri", RLIST_URI_MAX, diag);
	if (err == ENOENT)
		return mcx_diag_set(diag, EBADMSG, "<entry>: uri missing");
	if (err)
		return err;
	if (!uri_ok(e->uri))
		return mcx_diag_set(diag, EBADMSG, "<entry>: bad uri");

	err = copy_decode(&e->copy, n, diag);
	if (err)
		return err;

	for (xmlNode *c = mxml_first(n); c && !err; c = mxml_next(c)) {
		if (!mxml_is(c, MCX_RLIST_NS, "display-name"))
			continue;	/* extensions: ignored */
		if (e->display_name)
			return mcx_diag_set(diag, EBADMSG, "<entry>: "
					    "<display-name> more than once");
		err = mxml_text(&e->display_name, c, RLIST_NAME_MAX, diag);
	}

	return err;
}


/* The children of a <list>, nested lists included */
static int list_decode(struct rlist *rl, const xmlNode *l,
		       struct mcx_diag *diag)
{
	int err = 0;

	for (xmlNode *c = mxml_first(l); c && !err; c = mxml_next(c)) {
		if (mxml_is(c, MCX_RLIST_NS, "entry"))
			err = entry_decode(rl, c, diag);
		else if (mxml_is(c, MCX_RLIST_NS, "list"))
			err = list_decode(rl, c, diag);
		else if (mxml_is(c, MCX_RLIST_NS, "external") ||
			 mxml_is(c, MCX_RLIST_NS, "entry-ref"))
			err = mcx_diag_set(diag, EBADMSG, "<%s>: not supported"
					   " (references are not resolved)",
					   mxml_name(c));
		/* the list's <display-name>, extensions: ignored */
	}

	return err;
}


/**
 * Decode an application/resource-lists+xml body
 *
 * @param rlp  Where the document goes
 * @param buf  Body bytes
 * @param len  Number of bytes
 * @param diag Reason on failure
 *
 * @return 0, ENODATA, EBADMSG (also for <external> and <entry-ref>),
 *         EMSGSIZE (over RLIST_MAX_SIZE or RLIST_MAX_ENTRIES), ENOMEM or
 *         EINVAL
 */
int rlist_decode(struct rlist **rlp, const uint8_t *buf, size_t len,
		 struct mcx_diag *diag)
{
	struct rlist *rl = NULL;
	xmlDoc *doc = NULL;
	xmlNode *root;
	int err;

	if (!rlp || (!buf && len))
		return EINVAL;

	err = mxml_parse(&doc, buf, len, RLIST_MAX_SIZE, diag);
	if (err)
		return err;

	err = mxml_root(&root, doc, MCX_RLIST_NS, "resource-lists", diag);
	if (err)
		goto out;

	err = rlist_alloc(&rl);
	if (err)
		goto out;

	for (xmlNode *c = mxml_first(root); c && !err; c = mxml_next(c)) {
		if (mxml_is(c, MCX_RLIST_NS, "list"))
			err = list_decode(rl, c, diag);
		/* anything else: not in RFC 4826, ignored */
	}

 out:
	xmlFreeDoc(doc);
	if (err)
		mem_deref(rl);
	else
		*rlp = rl;

	return err;
}


static bool entry_ok(const struct rlist_entry *e)
{
	return uri_ok(e->uri) && copy_ok(e->copy) &&
		(!e->display_name ||
		 strlen(e->display_name) <= RLIST_NAME_MAX);
}


/**
 * Encode as application/resource-lists+xml: one <list>, copyControl on
 * every entry
 *
 * @return 0, EINVAL (bad entry, too many) or ENOMEM
 */
int rlist_encode(struct mbuf *mb, const struct rlist *rl)
{
	struct mxw w;

	if (!mb || !rl || list_count(&rl->entries) > RLIST_MAX_ENTRIES)
		return EINVAL;

	for (struct le *le = rl->entries.head; le; le = le->next) {
		if (!entry_ok(le->data))
			return EINVAL;
	}

	mxw_init(&w, mb);
	mxw_start(&w, "resource-lists");
	mxw_attr(&w, "xmlns", MCX_RLIST_NS);
	mxw_attr(&w, "xmlns:cp", MCX_RLIST_CP_NS);
	mxw_start(&w, "list");
	for (struct le *le = rl->entries.head; le; le = le->next) {
		const struct rlist_entry *e = le->data;

		mxw_start(&w, "entry");
		mxw_attr(&w, "uri", e->uri);
		mxw_attr(&w, "cp:copyControl", copy_names[e->copy]);
		mxw_leaf(&w, "display-name", e->display_name);
		mxw_end(&w, "entry");
	}
	mxw_end(&w, "list");
	mxw_end(&w, "resource-lists");

	return mxw_finish(&w);
}


/** Print the entries on one line: copyControl, display-name, uri */
int rlist_print(struct re_printf *pf, const struct rlist *rl)
{
	const char *sep = " ";
	int err;

	if (!rl)
		return 0;

	if (!rl->entries.head)
		return re_hprintf(pf, "resource-lists: no entries");

	err = re_hprintf(pf, "resource-lists:");
	for (struct le *le = rl->entries.head; le && !err; le = le->next) {
		const struct rlist_entry *e = le->data;
		const char *cn = rlist_copy_name(e->copy);

		err = re_hprintf(pf, "%s%s ", sep, cn ? cn : "?");
		if (!err && e->display_name)
			err = re_hprintf(pf, "\"%s\" ", e->display_name);
		if (!err)
			err = re_hprintf(pf, "%s", e->uri);
		sep = ", ";
	}

	return err;
}


/** Number of entries */
unsigned rlist_count(const struct rlist *rl)
{
	return rl ? list_count(&rl->entries) : 0;
}


/** uri of the first entry (the called party of an Annex H.3 INVITE), or
 *  NULL when there is none */
const char *rlist_first_uri(const struct rlist *rl)
{
	const struct rlist_entry *e;

	if (!rl || !rl->entries.head)
		return NULL;

	e = rl->entries.head->data;
	return e->uri;
}
