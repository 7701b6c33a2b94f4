/**
 * @file pocset.c  poc-settings bodies (RFC 4354 6; TS 24.379 7.3.3, 7.3.4)
 *
 *   <poc-settings>             zero or more <entity>
 *     <entity id="..">         id required and unique
 *       <isb-settings/>          ignored (incoming session barring)
 *       <am-settings>            at most once
 *         <answer-mode>          exactly once: automatic | manual
 *       </am-settings>
 *       <ipab-settings/>         ignored
 *       <sss-settings/>          ignored
 *       <{mcs}selected-user-profile-index>   at most once
 *         <{mcs}user-profile-index>N</...>   exactly once, 0..255
 *       </...>
 *       <{mcs}multiplex-support>  at most once, xs:boolean
 *     </entity>
 *   </poc-settings>
 *
 * {mcs} is the 3GPP namespace urn:3gpp:mcsSettings:1.0 (docs/wire.md 6),
 * matched by URI whatever its prefix; the encoder writes "mcs10Set". RFC
 * 4354 lets <entity> carry elements of other namespaces, and says unknown
 * ones are ignored; so are the OMA settings we do not use. An element we
 * use, twice in one entity, is malformed.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/pocset.h>
#include "xml/mxml.h"

#define MCS10 "mcs10Set:"	/* the prefix we write for MCX_POCSET_MCS_NS */

static const char *am_names[] = {
	[POCSET_AM_AUTOMATIC] = "automatic",
	[POCSET_AM_MANUAL]    = "manual",
};


static bool id_ok(const char *s)
{
	return mxml_token_ok(s) && strlen(s) <= POCSET_ID_MAX;
}


/** Name of an answer mode ("automatic", "manual"), or NULL for
 *  POCSET_AM_NONE and values out of range */
const char *pocset_am_name(enum pocset_am am)
{
	return (am > POCSET_AM_NONE && (size_t)am < ARRAY_SIZE(am_names)) ?
		am_names[am] : NULL;
}


static void entity_destructor(void *arg)
{
	struct pocset_entity *e = arg;

	list_unlink(&e->le);
	mem_deref(e->id);
}


static void pocset_destructor(void *arg)
{
	struct pocset *ps = arg;

	list_flush(&ps->entities);
}


/**
 * Allocate an empty poc-settings document
 *
 * @param psp Where it goes
 *
 * @return 0, EINVAL or ENOMEM
 */
int pocset_alloc(struct pocset **psp)
{
	struct pocset *ps;

	if (!psp)
		return EINVAL;

	ps = mem_zalloc(sizeof(*ps), pocset_destructor);
	if (!ps)
		return ENOMEM;

	list_init(&ps->entities);
	*psp = ps;

	return 0;
}


static const struct pocset_entity *entity_find(const struct pocset *ps,
					       const char *id)
{
	for (struct le *le = ps->entities.head; le; le = le->next) {
		const struct pocset_entity *e = le->data;

		if (e->id && !strcmp(e->id, id))
			return e;
	}

	return NULL;
}


/**
 * Append an entity with no settings; set its fields through *ep
 *
 * @param ps Document
 * @param id Entity id, the MCPTT client ID (at most 256 bytes, no white
 *           space or control characters, not already in ps)
 * @param ep Where the new entity goes (may be NULL); ps owns it
 *
 * @return 0, EINVAL (bad or duplicate id, already POCSET_MAX_ENTITIES)
 *         or ENOMEM
 */
int pocset_entity_add(struct pocset *ps, const char *id,
		      struct pocset_entity **ep)
{
	struct pocset_entity *e;
	int err;

	if (!ps || !id_ok(id) || entity_find(ps, id))
		return EINVAL;
	if (list_count(&ps->entities) >= POCSET_MAX_ENTITIES)
		return EINVAL;

	e = mem_zalloc(sizeof(*e), entity_destructor);
	if (!e)
		return ENOMEM;

	err = str_dup(&e->id, id);
	if (err) {
		mem_deref(e);
		return err;
	}

	list_append(&ps->entities, &e->le, e);
	if (ep)
		*ep = e;

	return 0;
}


/* <am-settings><answer-mode>automatic|manual</answer-mode></am-settings> */
static int am_decode(struct pocset_entity *e, const xmlNode *n,
		     struct mcx_diag *diag)
{
	const xmlNode *c = mxml_child(n, MCX_POCSET_NS, "answer-mode");
	char *txt = NULL;
	int err;

	if (!c)
		return mcx_diag_set(diag, EBADMSG, "<am-settings>: "
				    "<answer-mode> missing");
	if (mxml_count(n, MCX_POCSET_NS, "answer-mode") > 1)
		return mcx_diag_set(diag, EBADMSG, "<answer-mode> more than "
				    "once");

	err = mxml_text(&txt, c, 16, diag);
	if (err)
		return err;

	if (!strcmp(txt, am_names[POCSET_AM_AUTOMATIC]))
		e->answer_mode = POCSET_AM_AUTOMATIC;
	else if (!strcmp(txt, am_names[POCSET_AM_MANUAL]))
		e->answer_mode = POCSET_AM_MANUAL;
	else
		err = mcx_diag_set(diag, EBADMSG, "<answer-mode>: unknown "
				   "value '%.16s'", txt);

	mem_deref(txt);
	return err;
}


/* <selected-user-profile-index><user-profile-index>N</...></...> */
static int profile_index_decode(struct pocset_entity *e, const xmlNode *n,
				struct mcx_diag *diag)
{
	const xmlNode *c = mxml_child(n, MCX_POCSET_MCS_NS,
				      "user-profile-index");
	char *txt = NULL;
	uint32_t v;
	int err;

	if (!c)
		return mcx_diag_set(diag, EBADMSG, "<selected-user-profile-"
				    "index>: <user-profile-index> missing");
	if (mxml_count(n, MCX_POCSET_MCS_NS, "user-profile-index") > 1)
		return mcx_diag_set(diag, EBADMSG, "<user-profile-index> more "
				    "than once");

	err = mxml_text(&txt, c, 8, diag);
	if (!err && mxml_uint(&v, txt, 255))
		err = mcx_diag_set(diag, EBADMSG, "<user-profile-index>: not "
				   "0..255");
	if (!err) {
		e->profile_index = (uint8_t)v;
		e->has_profile_index = true;
	}

	mem_deref(txt);
	return err;
}


static int multiplex_decode(struct pocset_entity *e, const xmlNode *n,
			    struct mcx_diag *diag)
{
	char *txt = NULL;
	bool b;
	int err;

	err = mxml_text(&txt, n, 8, diag);
	if (!err && mxml_bool(&b, txt))
		err = mcx_diag_set(diag, EBADMSG, "<multiplex-support>: not a "
				   "boolean");
	if (!err)
		e->multiplex = b ? MCX_BOOL_TRUE : MCX_BOOL_FALSE;

	mem_deref(txt);
	return err;
}


/* One child of <entity>: ours, or ignored */
static int entity_child(struct pocset_entity *e, const xmlNode *c,
			struct mcx_diag *diag)
{
	if (mxml_is(c, MCX_POCSET_NS, "am-settings")) {
		if (e->answer_mode != POCSET_AM_NONE)
			return mcx_diag_set(diag, EBADMSG, "<am-settings> "
					    "more than once");
		return am_decode(e, c, diag);
	}
	if (mxml_is(c, MCX_POCSET_MCS_NS, "selected-user-profile-index")) {
		if (e->has_profile_index)
			return mcx_diag_set(diag, EBADMSG, "<selected-user-"
					    "profile-index> more than once");
		return profile_index_decode(e, c, diag);
	}
	if (mxml_is(c, MCX_POCSET_MCS_NS, "multiplex-support")) {
		if (e->multiplex != MCX_BOOL_ABSENT)
			return mcx_diag_set(diag, EBADMSG, "<multiplex-"
					    "support> more than once");
		return multiplex_decode(e, c, diag);
	}

	return 0;	/* isb-, ipab-, sss-settings, extensions: ignored */
}


static int entity_decode(struct pocset *ps, const xmlNode *n,
			 struct mcx_diag *diag)
{
	struct pocset_entity *e;
	int err;

	if (list_count(&ps->entities) >= POCSET_MAX_ENTITIES)
		return mcx_diag_set(diag, EMSGSIZE, "<poc-settings>: more "
				    "than %d entities", POCSET_MAX_ENTITIES);

	e = mem_zalloc(sizeof(*e), entity_destructor);
	if (!e)
		return ENOMEM;

	err = mxml_attr(&e->id, n, NULL, "id", POCSET_ID_MAX, diag);
	if (err == ENOENT)
		err = mcx_diag_set(diag, EBADMSG, "<entity>: id missing");
	else if (!err && !id_ok(e->id))
		err = mcx_diag_set(diag, EBADMSG, "<entity>: bad id");
	else if (!err && entity_find(ps, e->id))
		err = mcx_diag_set(diag, EBADMSG, "<entity> '%.60s' more "
				   "than once", e->id);
	if (err) {
		mem_deref(e);
		return err;
	}

	list_append(&ps->entities, &e->le, e);

	for (xmlNode *c = mxml_first(n); c && !err; c = mxml_next(c))
		err = entity_child(e, c, diag);

	return err;
}


/**
 * Decode an application/poc-settings+xml body
 *
 * @param psp  Where the document goes
 * @param buf  Body bytes
 * @param len  Number of bytes
 * @param diag Reason on failure
 *
 * @return 0, ENODATA, EBADMSG, EMSGSIZE (over POCSET_MAX_SIZE or
 *         POCSET_MAX_ENTITIES), ENOMEM or EINVAL
 */
int pocset_decode(struct pocset **psp, const uint8_t *buf, size_t len,
		  struct mcx_diag *diag)
{
	struct pocset *ps = NULL;
	xmlDoc *doc = NULL;
	xmlNode *root;
	int err;

	if (!psp || (!buf && len))
		return EINVAL;

	err = mxml_parse(&doc, buf, len, POCSET_MAX_SIZE, diag);
	if (err)
		return err;

	err = mxml_root(&root, doc, MCX_POCSET_NS, "poc-settings", diag);
	if (err)
		goto out;

	err = pocset_alloc(&ps);
	if (err)
		goto out;

	for (xmlNode *c = mxml_first(root); c && !err; c = mxml_next(c)) {
		if (mxml_is(c, MCX_POCSET_NS, "entity"))
			err = entity_decode(ps, c, diag);
		/* anything else: an extension, ignored */
	}

 out:
	xmlFreeDoc(doc);
	if (err)
		mem_deref(ps);
	else
		*psp = ps;

	return err;
}


static bool entity_ok(const struct pocset_entity *e)
{
	return id_ok(e->id) &&
		(e->answer_mode == POCSET_AM_NONE ||
		 pocset_am_name(e->answer_mode)) &&
		(unsigned)e->multiplex <= MCX_BOOL_TRUE;
}


static bool uses_mcs(const struct pocset_entity *e)
{
	return e->has_profile_index || e->multiplex != MCX_BOOL_ABSENT;
}


static void entity_write(struct mxw *w, const struct pocset_entity *e)
{
	char num[8];

	mxw_start(w, "entity");
	mxw_attr(w, "id", e->id);

	if (e->answer_mode != POCSET_AM_NONE) {
		mxw_start(w, "am-settings");
		mxw_leaf(w, "answer-mode", pocset_am_name(e->answer_mode));
		mxw_end(w, "am-settings");
	}

	if (e->has_profile_index) {
		(void)re_snprintf(num, sizeof(num), "%u", e->profile_index);
		mxw_start(w, MCS10 "selected-user-profile-index");
		mxw_leaf(w, MCS10 "user-profile-index", num);
		mxw_end(w, MCS10 "selected-user-profile-index");
	}

	if (e->multiplex != MCX_BOOL_ABSENT)
		mxw_leaf(w, MCS10 "multiplex-support",
			 e->multiplex == MCX_BOOL_TRUE ? "true" : "false");

	mxw_end(w, "entity");
}


/**
 * Encode as application/poc-settings+xml. The 3GPP namespace is declared
 * (prefix mcs10Set) only when some entity has one of its elements.
 *
 * @return 0, EINVAL (bad id, answer mode or multiplex value, duplicate
 *         id, too many entities) or ENOMEM
 */
int pocset_encode(struct mbuf *mb, const struct pocset *ps)
{
	bool mcs = false;
	struct mxw w;

	if (!mb || !ps || list_count(&ps->entities) > POCSET_MAX_ENTITIES)
		return EINVAL;

	for (struct le *le = ps->entities.head; le; le = le->next) {
		const struct pocset_entity *e = le->data;

		if (!entity_ok(e) || entity_find(ps, e->id) != e)
			return EINVAL;
		mcs = mcs || uses_mcs(e);
	}

	mxw_init(&w, mb);
	mxw_start(&w, "poc-settings");
	mxw_attr(&w, "xmlns", MCX_POCSET_NS);
	mxw_attr(&w, "xmlns:mcs10Set", mcs ? MCX_POCSET_MCS_NS : NULL);
	for (struct le *le = ps->entities.head; le; le = le->next)
		entity_write(&w, le->data);
	mxw_end(&w, "poc-settings");

	return mxw_finish(&w);
}


/** Print the entities on one line */
int pocset_print(struct re_printf *pf, const struct pocset *ps)
{
	const char *sep = " ";
	int err;

	if (!ps)
		return 0;

	if (!ps->entities.head)
		return re_hprintf(pf, "poc-settings: no entities");

	err = re_hprintf(pf, "poc-settings:");
	for (struct le *le = ps->entities.head; le && !err; le = le->next) {
		const struct pocset_entity *e = le->data;
		const char *am = pocset_am_name(e->answer_mode);

		err = re_hprintf(pf, "%s%s", sep, e->id);
		if (!err && am)
			err = re_hprintf(pf, " answer-mode %s", am);
		if (!err && e->has_profile_index)
			err = re_hprintf(pf, " profile-index %u",
					 e->profile_index);
		if (!err && e->multiplex != MCX_BOOL_ABSENT)
			err = re_hprintf(pf, " multiplex %s",
					 e->multiplex == MCX_BOOL_TRUE ?
					 "true" : "false");
		sep = "; ";
	}

	return err;
}


/** First entity (the one an MCPTT client publishes), or NULL */
const struct pocset_entity *pocset_first(const struct pocset *ps)
{
	if (!ps || !ps->entities.head)
		return NULL;

	return ps->entities.head->data;
}
