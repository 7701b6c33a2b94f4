/**
 * @file migration.c  Our migration documents (urn:mcx:ns:migration:1.0)
 *
 *   <migration-notice xmlns="urn:mcx:ns:migration:1.0">
 *     <target-system>c.mcx.test</target-system>
 *     <service>mcptt</service>           1..3, each at most once
 *     <hold-time>30</hold-time>          seconds, 1..3600
 *   </migration-notice>
 *
 *   <migration-release xmlns="urn:mcx:ns:migration:1.0"
 *                      continuation="ID" target-system="c.mcx.test"/>
 *   <continuation xmlns="urn:mcx:ns:migration:1.0"
 *                 id="ID" primary-id="sip:alice@a.mcx.test"/>
 *
 * Unknown elements and attributes are ignored (a later version may add
 * some); a required one missing or a bad value is malformed.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/migration.h>
#include <mcx/str.h>
#include "xml/mxml.h"
#include "body.h"

static const struct {
	const char *name;
	unsigned bit;
} svcs[] = {
	{ "mcptt",   MCX_SVC_BIT_MCPTT },
	{ "mcvideo", MCX_SVC_BIT_MCVIDEO },
	{ "mcdata",  MCX_SVC_BIT_MCDATA },
};


static bool cont_id_ok(const char *s)
{
	return mcx_id_valid(s, MCX_MIGR_ID_MAX);
}


static bool uri_ok(const char *s)
{
	return mxml_token_ok(s) && strlen(s) <= MCX_MIGR_URI_MAX;
}


/* ---- <migration-release> ---- */

static void release_destructor(void *arg)
{
	struct migr_release *r = arg;

	mem_deref(r->continuation);
	mem_deref(r->target_system);
}


/**
 * Allocate a release reason
 *
 * @param rp            Where it goes
 * @param continuation  Continuation id (1..64 of [A-Za-z0-9._~-])
 * @param target_system Domain of the target MC system
 *
 * @return 0, EINVAL (bad value) or ENOMEM
 */
int migr_release_alloc(struct migr_release **rp, const char *continuation,
		       const char *target_system)
{
	struct migr_release *r;
	int err;

	if (!rp || !cont_id_ok(continuation) ||
	    !mcx_domain_valid(target_system))
		return EINVAL;

	r = mem_zalloc(sizeof(*r), release_destructor);
	if (!r)
		return ENOMEM;

	err = str_dup(&r->continuation, continuation);
	if (!err)
		err = str_dup(&r->target_system, target_system);
	if (err) {
		mem_deref(r);
		return err;
	}

	*rp = r;
	return 0;
}


/* Read a required attribute and check it */
static int req_attr(char **strp, const xmlNode *n, const char *name,
		    bool (*ok)(const char *), struct mcx_diag *diag)
{
	int err = mxml_attr(strp, n, NULL, name, 0, diag);

	if (err == ENOENT)
		return mcx_diag_set(diag, EBADMSG, "<%s>: %s missing",
				    mxml_name(n), name);
	if (err)
		return err;

	if (!ok(*strp))
		return mcx_diag_set(diag, EBADMSG, "<%s>: bad %s",
				    mxml_name(n), name);

	return 0;
}


/** Decode a <migration-release> element (private: used by info bodies) */
int migr_release_decode_node(struct migr_release **rp, const xmlNode *n,
			     struct mcx_diag *diag)
{
	struct migr_release *r;
	int err;

	r = mem_zalloc(sizeof(*r), release_destructor);
	if (!r)
		return ENOMEM;

	err = req_attr(&r->continuation, n, "continuation", cont_id_ok, diag);
	if (!err)
		err = req_attr(&r->target_system, n, "target-system",
			       mcx_domain_valid, diag);
	if (err) {
		mem_deref(r);
		return err;
	}

	*rp = r;
	return 0;
}


/** Write a <migration-release> element (private: used by info bodies) */
void migr_release_write(struct mxw *w, const struct migr_release *r)
{
	mxw_start(w, "migration-release");
	mxw_attr(w, "xmlns", MCX_MIGR_NS);
	mxw_attr(w, "continuation", r->continuation);
	mxw_attr(w, "target-system", r->target_system);
	mxw_end(w, "migration-release");
}


/** Print a release reason on one line */
int migr_release_print(struct re_printf *pf, const struct migr_release *r)
{
	if (!r)
		return 0;

	return re_hprintf(pf, "release due to migration to %s "
			  "(continuation %s)", r->target_system,
			  r->continuation);
}


/* ---- <continuation> ---- */

static void cont_destructor(void *arg)
{
	struct migr_cont *c = arg;

	mem_deref(c->id);
	mem_deref(c->primary_id);
}


/**
 * Allocate a continuation element
 *
 * @param cp         Where it goes
 * @param id         Continuation id from the release
 * @param primary_id MC service ID of the user in its primary system
 *
 * @return 0, EINVAL or ENOMEM
 */
int migr_cont_alloc(struct migr_cont **cp, const char *id,
		    const char *primary_id)
{
	struct migr_cont *c;
	int err;

	if (!cp || !cont_id_ok(id) || !uri_ok(primary_id))
		return EINVAL;

	c = mem_zalloc(sizeof(*c), cont_destructor);
	if (!c)
		return ENOMEM;

	err = str_dup(&c->id, id);
	if (!err)
		err = str_dup(&c->primary_id, primary_id);
	if (err) {
		mem_deref(c);
		return err;
	}

	*cp = c;
	return 0;
}


/** Decode a <continuation> element (private: used by info bodies) */
int migr_cont_decode_node(struct migr_cont **cp, const xmlNode *n,
			  struct mcx_diag *diag)
{
	struct migr_cont *c;
	int err;

	c = mem_zalloc(sizeof(*c), cont_destructor);
	if (!c)
		return ENOMEM;

	err = req_attr(&c->id, n, "id", cont_id_ok, diag);
	if (!err)
		err = req_attr(&c->primary_id, n, "primary-id", uri_ok, diag);
	if (err) {
		mem_deref(c);
		return err;
	}

	*cp = c;
	return 0;
}


/** Write a <continuation> element (private: used by info bodies) */
void migr_cont_write(struct mxw *w, const struct migr_cont *c)
{
	mxw_start(w, "continuation");
	mxw_attr(w, "xmlns", MCX_MIGR_NS);
	mxw_attr(w, "id", c->id);
	mxw_attr(w, "primary-id", c->primary_id);
	mxw_end(w, "continuation");
}


/** Print a continuation on one line */
int migr_cont_print(struct re_printf *pf, const struct migr_cont *c)
{
	if (!c)
		return 0;

	return re_hprintf(pf, "continuation %s of %s", c->id, c->primary_id);
}


/* ---- <migration-notice> ---- */

static void notice_destructor(void *arg)
{
	struct migr_notice *n = arg;

	mem_deref(n->target_system);
}


static bool services_ok(unsigned services)
{
	return services && !(services & ~(unsigned)(MCX_SVC_BIT_MCPTT |
						    MCX_SVC_BIT_MCVIDEO |
						    MCX_SVC_BIT_MCDATA));
}


/**
 * Allocate an interruption notice
 *
 * @param np            Where it goes
 * @param target_system Domain of the MC system the user moves to
 * @param services      enum mcx_svc_bit mask, not empty
 * @param hold_time     Seconds the server should hold state, 1..3600
 *
 * @return 0, EINVAL or ENOMEM
 */
int migr_notice_alloc(struct migr_notice **np, const char *target_system,
		      unsigned services, uint32_t hold_time)
{
	struct migr_notice *n;
	int err;

	if (!np || !mcx_domain_valid(target_system) ||
	    !services_ok(services) || !hold_time ||
	    hold_time > MCX_MIGR_HOLD_MAX)
		return EINVAL;

	n = mem_zalloc(sizeof(*n), notice_destructor);
	if (!n)
		return ENOMEM;

	err = str_dup(&n->target_system, target_system);
	if (err) {
		mem_deref(n);
		return err;
	}

	n->services = services;
	n->hold_time = hold_time;
	*np = n;

	return 0;
}


static int notice_child(struct migr_notice *n, const xmlNode *c,
			struct mcx_diag *diag)
{
	char *txt = NULL;
	int err = 0;

	if (mxml_is(c, MCX_MIGR_NS, "target-system")) {
		if (n->target_system)
			return mcx_diag_set(diag, EBADMSG, "<target-system> "
					    "more than once");
		err = mxml_text(&n->target_system, c, 256, diag);
		if (!err && !mcx_domain_valid(n->target_system))
			err = mcx_diag_set(diag, EBADMSG,
					   "<target-system>: not a domain");
	}
	else if (mxml_is(c, MCX_MIGR_NS, "service")) {
		size_t i;

		err = mxml_text(&txt, c, 16, diag);
		if (err)
			goto out;
		for (i = 0; i < ARRAY_SIZE(svcs); i++) {
			if (!strcmp(txt, svcs[i].name))
				break;
		}
		if (i == ARRAY_SIZE(svcs))
			err = mcx_diag_set(diag, EBADMSG,
					   "<service>: unknown '%s'", txt);
		else if (n->services & svcs[i].bit)
			err = mcx_diag_set(diag, EBADMSG,
					   "<service>: '%s' more than once",
					   txt);
		else
			n->services |= svcs[i].bit;
	}
	else if (mxml_is(c, MCX_MIGR_NS, "hold-time")) {
		if (n->hold_time)
			return mcx_diag_set(diag, EBADMSG, "<hold-time> "
					    "more than once");
		err = mxml_text(&txt, c, 16, diag);
		if (!err && (mxml_uint(&n->hold_time, txt, MCX_MIGR_HOLD_MAX) ||
			     !n->hold_time))
			err = mcx_diag_set(diag, EBADMSG, "<hold-time>: not "
					   "1..%d seconds", MCX_MIGR_HOLD_MAX);
	}
	/* anything else: a later version's addition, ignored */

 out:
	mem_deref(txt);
	return err;
}


/**
 * Decode an application/vnd.mcx.migration+xml body
 *
 * @param np   Where the notice goes
 * @param buf  Body bytes
 * @param len  Number of bytes
 * @param diag Reason on failure
 *
 * @return 0, ENODATA, EBADMSG, EMSGSIZE or ENOMEM
 */
int migr_notice_decode(struct migr_notice **np, const uint8_t *buf,
		       size_t len, struct mcx_diag *diag)
{
	struct migr_notice *n = NULL;
	xmlDoc *doc = NULL;
	xmlNode *root;
	int err;

	if (!np || (!buf && len))
		return EINVAL;

	err = mxml_parse(&doc, buf, len, 4096, diag);
	if (err)
		return err;

	err = mxml_root(&root, doc, MCX_MIGR_NS, "migration-notice", diag);
	if (err)
		goto out;

	n = mem_zalloc(sizeof(*n), notice_destructor);
	if (!n) {
		err = ENOMEM;
		goto out;
	}

	for (xmlNode *c = mxml_first(root); c && !err; c = mxml_next(c))
		err = notice_child(n, c, diag);
	if (err)
		goto out;

	if (!n->target_system)
		err = mcx_diag_set(diag, EBADMSG, "<migration-notice>: "
				   "<target-system> missing");
	else if (!n->services)
		err = mcx_diag_set(diag, EBADMSG, "<migration-notice>: "
				   "<service> missing");
	else if (!n->hold_time)
		err = mcx_diag_set(diag, EBADMSG, "<migration-notice>: "
				   "<hold-time> missing");

 out:
	xmlFreeDoc(doc);
	if (err)
		mem_deref(n);
	else
		*np = n;

	return err;
}


/**
 * Encode an interruption notice as application/vnd.mcx.migration+xml
 *
 * @return 0, EINVAL or ENOMEM
 */
int migr_notice_encode(struct mbuf *mb, const struct migr_notice *n)
{
	struct mxw w;
	char num[16];

	if (!mb || !n || !mcx_domain_valid(n->target_system) ||
	    !services_ok(n->services) || !n->hold_time ||
	    n->hold_time > MCX_MIGR_HOLD_MAX)
		return EINVAL;

	mxw_init(&w, mb);
	mxw_start(&w, "migration-notice");
	mxw_attr(&w, "xmlns", MCX_MIGR_NS);
	mxw_leaf(&w, "target-system", n->target_system);
	for (size_t i = 0; i < ARRAY_SIZE(svcs); i++) {
		if (n->services & svcs[i].bit)
			mxw_leaf(&w, "service", svcs[i].name);
	}
	(void)re_snprintf(num, sizeof(num), "%u", n->hold_time);
	mxw_leaf(&w, "hold-time", num);
	mxw_end(&w, "migration-notice");

	return mxw_finish(&w);
}


/** Print a notice on one line */
int migr_notice_print(struct re_printf *pf, const struct migr_notice *n)
{
	int err;

	if (!n)
		return 0;

	err = re_hprintf(pf, "migration notice: to %s, hold %us, services",
			 n->target_system, n->hold_time);
	for (size_t i = 0; i < ARRAY_SIZE(svcs) && !err; i++) {
		if (n->services & svcs[i].bit)
			err = re_hprintf(pf, " %s", svcs[i].name);
	}

	return err;
}
