/**
 * @file mxml.c  Namespace-aware, bounded XML over libxml2
 *
 * Parsing uses libxml2's push parser in two phases: first all input bytes
 * without "terminate", then "terminate". An error in the first phase, or a
 * trailing error after the root element was complete, means malformed input;
 * an error that only the end of input reveals means the document was cut
 * short (incomplete). That is how ENODATA and EBADMSG stay apart for XML.
 *
 * Errors reach a structured handler of our own, per parser. It notes any
 * out-of-memory report, which then wins over whatever errors follow from
 * it, and the structural namespace errors (an unbound prefix, ...). It
 * ignores libxml2's warnings about the form of a namespace URI: they change
 * nothing we match on, and libxml2 also raises one when it runs out of
 * memory checking a URI. The tree builder reports its own allocation
 * failures without a parser context, so for the length of a parse our
 * handler is also libxml2's structured error handler (which libxml2 keeps
 * per thread); the caller's is restored afterwards.
 */
#include <errno.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/str.h>
#include "mxml.h"

/* No network, no error printing, CDATA merged into text. NOENT (entity
 * substitution), DTDLOAD, DTDATTR, XINCLUDE and HUGE stay off. */
enum {
	PARSE_OPTS = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
		     XML_PARSE_NOCDATA | XML_PARSE_NOXINCNODE
};

struct pstate {
	const char *refused;	/* set when one of our hooks stopped parsing */
	unsigned maxdepth;
	bool oom;		/* libxml2 reported an allocation failure    */
	bool ns_bad;		/* a structural namespace error              */
};


static void sax_start_ns(void *ctx, const xmlChar *localname,
			 const xmlChar *prefix, const xmlChar *uri,
			 int nb_ns, const xmlChar **nss, int nb_attr,
			 int nb_def, const xmlChar **attrs)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct pstate *ps = ctxt->_private;

	if ((unsigned)ctxt->nodeNr >= ps->maxdepth) {
		ps->refused = "elements nested too deep";
		xmlStopParser(ctxt);
		return;
	}

	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_ns, nss,
			      nb_attr, nb_def, attrs);
}


static void refuse_dtd(void *ctx)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct pstate *ps = ctxt->_private;

	ps->refused = "DOCTYPE not allowed";
	xmlStopParser(ctxt);
}


static void sax_subset(void *ctx, const xmlChar *name, const xmlChar *eid,
		       const xmlChar *sid)
{
	(void)name;
	(void)eid;
	(void)sid;
	refuse_dtd(ctx);
}


static void sax_entity(void *ctx, const xmlChar *name, int type,
		       const xmlChar *pid, const xmlChar *sid, xmlChar *content)
{
	(void)name;
	(void)type;
	(void)pid;
	(void)sid;
	(void)content;
	refuse_dtd(ctx);
}


static void sax_serror(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct pstate *ps = ctxt ? ctxt->_private : NULL;

	if (!ps || !e)
		return;

	if (e->code == XML_ERR_NO_MEMORY)
		ps->oom = true;
	else if (e->domain == XML_FROM_NAMESPACE &&
		 e->code >= XML_NS_ERR_XML_NAMESPACE)
		ps->ns_bad = true;
}


/* Errors raised without a parser context (the tree builder's) */
static void glob_serror(void *ctx, xmlErrorPtr e)
{
	struct pstate *ps = ctx;

	if (ps && e && e->code == XML_ERR_NO_MEMORY)
		ps->oom = true;
}


/* Did libxml2 run out of memory anywhere in this parse? */
static bool oom_seen(const struct pstate *ps, xmlParserCtxtPtr ctxt)
{
	return ps->oom || ctxt->errNo == XML_ERR_NO_MEMORY;
}


/* libxml2's message, without its trailing newline */
static int parse_error(struct mcx_diag *diag, int err, xmlParserCtxtPtr ctxt,
		       const char *what)
{
	const xmlError *e = xmlCtxtGetLastError(ctxt);
	char msg[120] = "";

	if (e && e->message) {
		size_t n;

		str_ncpy(msg, e->message, sizeof(msg));
		n = strlen(msg);
		while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = '\0';
	}

	return mcx_diag_set(diag, err, "XML %s (line %d): %s", what,
			    e ? e->line : 0, msg[0] ? msg : "parse error");
}


/*
 * What the parser found so far: 0 to go on. At the end of input, an error
 * that only the end revealed means the document was cut short, unless the
 * root element was complete before it (state: the parser's state before
 * the end). "Cut short" is decided before the namespace check: a start
 * tag that the end truncates ("<p:c", "<r xmlns:") raises a namespace
 * error too, though more bytes could complete it; complete tags were
 * checked before the end.
 */
static int verdict(const struct pstate *ps, xmlParserCtxtPtr ctxt,
		   bool at_end, xmlParserInputState state,
		   struct mcx_diag *diag)
{
	if (oom_seen(ps, ctxt))
		return ENOMEM;
	if (ps->refused)
		return mcx_diag_set(diag, EBADMSG, "XML: %s", ps->refused);

	if (at_end && (!ctxt->wellFormed || !ctxt->myDoc)) {
		if (state == XML_PARSER_EPILOG)
			return parse_error(diag, EBADMSG, ctxt,
					   "not well-formed");
		if (state == XML_PARSER_START)
			return mcx_diag_set(diag, ENODATA, "XML: no document");
		return parse_error(diag, ENODATA, ctxt, "cut short");
	}

	if (!ctxt->wellFormed)
		return parse_error(diag, EBADMSG, ctxt, "not well-formed");
	/* An unbound prefix is only a warning to libxml2; without a URI the
	 * element could not be matched, so it is malformed here. */
	if (ps->ns_bad)
		return parse_error(diag, EBADMSG, ctxt, "namespace error");

	return 0;
}


/**
 * Parse an XML document with safe options and limits
 *
 * @param docp    Where the document goes on success (free with xmlFreeDoc)
 * @param buf     Document bytes
 * @param len     Number of bytes
 * @param maxsize Largest document accepted (0: MXML_MAX_SIZE)
 * @param diag    Reason on failure (may be NULL)
 *
 * @return 0, ENODATA (cut short or empty), EBADMSG (not well-formed,
 *         DOCTYPE, too deep), EMSGSIZE (over maxsize), ENOMEM or EINVAL
 */
int mxml_parse(xmlDoc **docp, const uint8_t *buf, size_t len, size_t maxsize,
	       struct mcx_diag *diag)
{
	struct pstate ps = { .refused = NULL, .maxdepth = MXML_MAX_DEPTH };
	xmlParserCtxtPtr ctxt;
	xmlParserInputState state;
	xmlStructuredErrorFunc old_h;
	void *old_ctx;
	int err = 0;

	if (!docp || (!buf && len))
		return EINVAL;

	if (!maxsize)
		maxsize = MXML_MAX_SIZE;
	if (len > maxsize)
		return mcx_diag_set(diag, EMSGSIZE,
				    "XML document larger than %zu bytes",
				    maxsize);

	old_h = xmlStructuredError;
	old_ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(&ps, glob_serror);

	ctxt = xmlCreatePushParserCtxt(NULL, NULL, NULL, 0, NULL);
	if (!ctxt) {
		xmlSetStructuredErrorFunc(old_ctx, old_h);
		return ENOMEM;
	}

	(void)xmlCtxtUseOptions(ctxt, PARSE_OPTS);
	ctxt->_private = &ps;
	ctxt->sax->serror = sax_serror;
	ctxt->sax->startElementNs = sax_start_ns;
	ctxt->sax->internalSubset = sax_subset;
	ctxt->sax->externalSubset = sax_subset;
	ctxt->sax->entityDecl = sax_entity;

	/* Phase 1: every byte, no end of input yet */
	if (len)
		(void)xmlParseChunk(ctxt, (const char *)buf, (int)len, 0);
	err = verdict(&ps, ctxt, false, XML_PARSER_EOF, diag);
	if (err)
		goto out;

	/* Phase 2: the end of input */
	state = ctxt->instate;
	(void)xmlParseChunk(ctxt, NULL, 0, 1);
	err = verdict(&ps, ctxt, true, state, diag);
	if (err)
		goto out;

	*docp = ctxt->myDoc;
	ctxt->myDoc = NULL;

 out:
	if (ctxt->myDoc)
		xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);
	xmlSetStructuredErrorFunc(old_ctx, old_h);

	return err;
}


/** Namespace URI of an element, or NULL when it has none */
const char *mxml_ns(const xmlNode *n)
{
	return (n && n->ns && n->ns->href) ? (const char *)n->ns->href : NULL;
}


/** Local name of a node */
const char *mxml_name(const xmlNode *n)
{
	return (n && n->name) ? (const char *)n->name : "";
}


/**
 * Check the root element of a document
 *
 * @param rootp Where the root goes
 * @param doc   Document
 * @param ns    Expected namespace URI
 * @param name  Expected local name
 * @param diag  Reason on failure
 *
 * @return 0 or EBADMSG
 */
int mxml_root(xmlNode **rootp, xmlDoc *doc, const char *ns, const char *name,
	      struct mcx_diag *diag)
{
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;

	if (!root)
		return mcx_diag_set(diag, EBADMSG, "XML: no root element");

	if (!mxml_is(root, ns, name)) {
		const char *rns = mxml_ns(root);

		return mcx_diag_set(diag, EBADMSG,
				    "root <%.40s> in %.60s: expected <%s> "
				    "in %s",
				    mxml_name(root), rns ? rns : "no namespace",
				    name, ns ? ns : "no namespace");
	}

	*rootp = root;
	return 0;
}


/**
 * Is this node the element {ns}name? Case-sensitive; the prefix is ignored.
 *
 * @param n    Node
 * @param ns   Namespace URI (NULL: the element must have no namespace)
 * @param name Local name
 */
bool mxml_is(const xmlNode *n, const char *ns, const char *name)
{
	const char *nns;

	if (!n || n->type != XML_ELEMENT_NODE)
		return false;

	if (strcmp(mxml_name(n), name))
		return false;

	nns = mxml_ns(n);
	if (!ns || !nns)
		return !ns && !nns;

	return 0 == strcmp(ns, nns);
}


/** Is this node an element in namespace ns? */
bool mxml_in_ns(const xmlNode *n, const char *ns)
{
	const char *nns = mxml_ns(n);

	return n && n->type == XML_ELEMENT_NODE && nns && ns &&
		0 == strcmp(nns, ns);
}


static xmlNode *skip_to_elem(const xmlNode *n)
{
	while (n && n->type != XML_ELEMENT_NODE)
		n = n->next;

	return (xmlNode *)(uintptr_t)n;
}


/** First element child of parent */
xmlNode *mxml_first(const xmlNode *parent)
{
	return parent ? skip_to_elem(parent->children) : NULL;
}


/** Next element sibling of n */
xmlNode *mxml_next(const xmlNode *n)
{
	return n ? skip_to_elem(n->next) : NULL;
}


/** First element child {ns}name of parent, or NULL */
xmlNode *mxml_child(const xmlNode *parent, const char *ns, const char *name)
{
	for (xmlNode *c = mxml_first(parent); c; c = mxml_next(c)) {
		if (mxml_is(c, ns, name))
			return c;
	}

	return NULL;
}


/** Number of element children {ns}name of parent */
unsigned mxml_count(const xmlNode *parent, const char *ns, const char *name)
{
	unsigned n = 0;

	for (xmlNode *c = mxml_first(parent); c; c = mxml_next(c)) {
		if (mxml_is(c, ns, name))
			++n;
	}

	return n;
}


/** Does n have element children? */
bool mxml_has_elem(const xmlNode *n)
{
	return mxml_first(n) != NULL;
}


static bool is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}


static int copy_trimmed(char **strp, const struct mbuf *mb)
{
	const char *s = (const char *)mb->buf;
	size_t n = mb->end;

	while (n && is_xml_space(*s)) {
		++s;
		--n;
	}
	while (n && is_xml_space(s[n - 1]))
		--n;

	if (!n)
		return str_dup(strp, "");

	struct pl pl = { .p = s, .l = n };

	return pl_strdup(strp, &pl);
}


/* Gather the text of a node list into mb, at most maxlen bytes */
static int gather(struct mbuf *mb, const xmlNode *n, size_t maxlen)
{
	for (; n; n = n->next) {
		size_t len;

		if (n->type == XML_ELEMENT_NODE)
			return EBADMSG;
		if (n->type != XML_TEXT_NODE &&
		    n->type != XML_CDATA_SECTION_NODE)
			continue;	/* comments, PIs */
		if (!n->content)
			continue;

		len = strlen((const char *)n->content);
		if (mb->end + len > maxlen)
			return EMSGSIZE;
		if (mbuf_write_mem(mb, n->content, len))
			return ENOMEM;
	}

	return 0;
}


/**
 * Text content of an element that must hold text only, trimmed of XML
 * white space at both ends
 *
 * @param strp   Where a mem-allocated copy goes
 * @param n      Element
 * @param maxlen Longest text accepted (0: MXML_MAX_TEXT)
 * @param diag   Reason on failure
 *
 * @return 0, EBADMSG (element children, too long) or ENOMEM
 */
int mxml_text(char **strp, const xmlNode *n, size_t maxlen,
	      struct mcx_diag *diag)
{
	struct mbuf mb;
	int err;

	if (!strp || !n)
		return EINVAL;

	if (!maxlen)
		maxlen = MXML_MAX_TEXT;

	mbuf_init(&mb);
	err = gather(&mb, n->children, maxlen);
	if (err == EBADMSG) {
		err = mcx_diag_set(diag, EBADMSG,
				   "<%.60s>: element where text belongs",
				   mxml_name(n));
		goto out;
	}
	if (err == EMSGSIZE) {
		err = mcx_diag_set(diag, EBADMSG,
				   "<%.60s>: text longer than %zu bytes",
				   mxml_name(n), maxlen);
		goto out;
	}
	if (err)
		goto out;

	err = copy_trimmed(strp, &mb);

 out:
	mem_deref(mb.buf);
	return err;
}


/**
 * Value of an attribute, matched by namespace URI and local name
 *
 * @param strp   Where a mem-allocated copy goes
 * @param n      Element
 * @param ns     Attribute namespace URI (NULL: an unqualified attribute)
 * @param name   Local name
 * @param maxlen Longest value accepted (0: MXML_MAX_TEXT)
 * @param diag   Reason on failure
 *
 * @return 0, ENOENT (absent), EBADMSG (too long) or ENOMEM
 */
int mxml_attr(char **strp, const xmlNode *n, const char *ns, const char *name,
	      size_t maxlen, struct mcx_diag *diag)
{
	struct mbuf mb;
	int err;

	if (!strp || !n || !name)
		return EINVAL;

	if (!maxlen)
		maxlen = MXML_MAX_TEXT;

	for (const xmlAttr *a = n->properties; a; a = a->next) {
		const char *ans = (a->ns && a->ns->href) ?
			(const char *)a->ns->href : NULL;

		if (strcmp((const char *)a->name, name))
			continue;
		if ((ns == NULL) != (ans == NULL))
			continue;
		if (ns && strcmp(ns, ans))
			continue;

		mbuf_init(&mb);
		err = gather(&mb, a->children, maxlen);
		if (err == EMSGSIZE || err == EBADMSG)
			err = mcx_diag_set(diag, EBADMSG,
					   "<%.40s %.40s>: value longer than "
					   "%zu bytes", mxml_name(n), name,
					   maxlen);
		else if (!err)
			err = copy_trimmed(strp, &mb);

		mem_deref(mb.buf);
		return err;
	}

	return ENOENT;
}


/**
 * Parse an unsigned decimal (xs:nonNegativeInteger within a bound)
 *
 * @return 0 or EBADMSG (empty, sign, non-digit, above max)
 */
int mxml_uint(uint32_t *vp, const char *s, uint32_t max)
{
	uint64_t v = 0;

	if (!vp || !s || !*s)
		return EBADMSG;

	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return EBADMSG;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return EBADMSG;
	}

	*vp = (uint32_t)v;
	return 0;
}


/**
 * Parse an xs:boolean ("true", "false", "1", "0")
 *
 * @return 0 or EBADMSG
 */
int mxml_bool(bool *vp, const char *s)
{
	if (!vp || !s)
		return EBADMSG;

	if (!strcmp(s, "true") || !strcmp(s, "1"))
		*vp = true;
	else if (!strcmp(s, "false") || !strcmp(s, "0"))
		*vp = false;
	else
		return EBADMSG;

	return 0;
}


/**
 * Is s usable as a URI or token: non-empty, no white space or control
 * characters? (Syntax beyond that is checked where the value is used.)
 */
bool mxml_token_ok(const char *s)
{
	if (!s || !*s)
		return false;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c == 0x7f)
			return false;
	}

	return true;
}


/* ---- Writer ---- */

static void put(struct mxw *w, const char *s)
{
	if (!w->err)
		w->err = mbuf_write_str(w->mb, s);
}


static void indent(struct mxw *w, unsigned depth)
{
	put(w, "\n");
	for (unsigned i = 0; i < depth && !w->err; i++)
		w->err = mbuf_write_str(w->mb, "  ");
}


/* Escape text or an attribute value; refuse what XML 1.0 cannot carry */
static void put_escaped(struct mxw *w, const char *s, bool attr)
{
	size_t len;

	if (w->err)
		return;

	len = strlen(s);
	if (!mcx_utf8_valid((const uint8_t *)s, len)) {
		w->err = EINVAL;
		return;
	}

	for (; *s && !w->err; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {

		case '&': put(w, "&amp;"); break;
		case '<': put(w, "&lt;"); break;
		case '>': put(w, "&gt;"); break;
		case '"': put(w, attr ? "&quot;" : "\""); break;
		case '\t': put(w, attr ? "&#9;" : "\t"); break;
		case '\n': put(w, attr ? "&#10;" : "\n"); break;
		case '\r': put(w, "&#13;"); break;
		default:
			if (c < 0x20) {
				w->err = EINVAL;
				return;
			}
			w->err = mbuf_write_u8(w->mb, c);
			break;
		}
	}
}


static bool name_ok(const char *name)
{
	if (!name || !*name)
		return false;

	for (; *name; name++) {
		unsigned char c = (unsigned char)*name;

		if (!(c == '-' || c == '_' || c == '.' || c == ':' ||
		      (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z')))
			return false;
	}

	return true;
}


static void close_start_tag(struct mxw *w)
{
	if (w->in_tag) {
		put(w, ">");
		w->in_tag = false;
	}
}


/** Begin a document: the XML declaration */
void mxw_init(struct mxw *w, struct mbuf *mb)
{
	if (!w)
		return;

	memset(w, 0, sizeof(*w));
	w->mb = mb;
	if (!mb) {
		w->err = EINVAL;
		return;
	}

	put(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
}


/** Open an element; attributes may follow until its first child or text */
void mxw_start(struct mxw *w, const char *name)
{
	if (w->err)
		return;
	if (!name_ok(name) || w->inline_text) {
		w->err = EINVAL;
		return;
	}

	close_start_tag(w);
	indent(w, w->depth);
	put(w, "<");
	put(w, name);
	w->in_tag = true;
	++w->depth;
}


/** Add an attribute to the element just opened (NULL value: no attribute) */
void mxw_attr(struct mxw *w, const char *name, const char *value)
{
	if (w->err || !value)
		return;
	if (!w->in_tag || !name_ok(name)) {
		w->err = EINVAL;
		return;
	}

	put(w, " ");
	put(w, name);
	put(w, "=\"");
	put_escaped(w, value, true);
	put(w, "\"");
}


/** Text content of the element just opened (no mixed content) */
void mxw_text(struct mxw *w, const char *text)
{
	if (w->err)
		return;
	if (!w->depth || !text) {
		w->err = EINVAL;
		return;
	}

	close_start_tag(w);
	put_escaped(w, text, false);
	w->inline_text = true;
}


/** Close the innermost open element */
void mxw_end(struct mxw *w, const char *name)
{
	if (w->err)
		return;
	if (!w->depth || !name_ok(name)) {
		w->err = EINVAL;
		return;
	}

	--w->depth;

	if (w->in_tag) {
		put(w, "/>");
		w->in_tag = false;
	}
	else {
		if (!w->inline_text)
			indent(w, w->depth);
		put(w, "</");
		put(w, name);
		put(w, ">");
	}

	w->inline_text = false;
}


/** <name>text</name>; nothing when text is NULL */
void mxw_leaf(struct mxw *w, const char *name, const char *text)
{
	if (!text)
		return;

	mxw_start(w, name);
	mxw_text(w, text);
	mxw_end(w, name);
}


/**
 * End the document
 *
 * @return 0 or the first error of any call: EINVAL (unbalanced, bad name,
 *         text XML cannot carry) or ENOMEM
 */
int mxw_finish(struct mxw *w)
{
	if (!w)
		return EINVAL;

	if (!w->err && (w->depth || w->in_tag))
		w->err = EINVAL;

	put(w, "\n");

	return w->err;
}
