/**
 * @file info.c  MC service info bodies: one codec, three tables
 *
 * Where elements are looked for on decode (docs/wire.md "receiver rules"):
 *
 *   <root>
 *     <*-Params>        table rows; <anyExt> inside: extension rows
 *       ##other         our migration elements
 *     ##other           our migration elements
 *     <anyExt>          extension rows and our migration elements
 *
 * Each row may appear once in all; so may each of our elements.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/info.h>
#include <mcx/migration.h>
#include "xml/mxml.h"
#include "body.h"
#include "info.h"

static const struct info_desc *descs[] = {
	[MCX_SVC_MCPTT]   = &info_mcptt_desc,
	[MCX_SVC_MCVIDEO] = &info_mcvideo_desc,
	[MCX_SVC_MCDATA]  = &info_mcdata_desc,
};

static const char *const svc_names[] = {
	[MCX_SVC_MCPTT]   = "mcptt",
	[MCX_SVC_MCVIDEO] = "mcvideo",
	[MCX_SVC_MCDATA]  = "mcdata",
};


static const struct info_desc *desc_get(enum mcx_svc svc)
{
	return ((unsigned)svc < ARRAY_SIZE(descs)) ? descs[svc] : NULL;
}


/** Name of a service: "mcptt", "mcvideo", "mcdata" */
const char *mcx_svc_name(enum mcx_svc svc)
{
	return ((unsigned)svc < ARRAY_SIZE(svc_names)) ? svc_names[svc] : "?";
}


/** MIME type of a service's info body, or NULL */
const char *mcx_info_mime(enum mcx_svc svc)
{
	const struct info_desc *d = desc_get(svc);

	return d ? d->mime : NULL;
}


static void *field(const struct mcx_info *info, const struct info_row *r)
{
	return (char *)(uintptr_t)info + r->off;
}


/* ---- contentType values ---- */

/**
 * Set a contentType value (type="Normal" when encoded)
 *
 * @param c     The element
 * @param wrap  MCX_WRAP_URI, _STRING or _BOOLEAN (value "true"/"false")
 * @param value The value; NULL clears the element
 *
 * @return 0, EINVAL or ENOMEM
 */
int mcx_content_set(struct mcx_content *c, enum mcx_wrap wrap,
		    const char *value)
{
	char *v = NULL;
	int err;

	if (!c)
		return EINVAL;

	if (!value) {
		mcx_content_reset(c);
		return 0;
	}

	switch (wrap) {

	case MCX_WRAP_URI:
		if (!mxml_token_ok(value))
			return EINVAL;
		break;

	case MCX_WRAP_BOOLEAN:
		if (strcmp(value, "true") && strcmp(value, "false"))
			return EINVAL;
		break;

	case MCX_WRAP_STRING:
		break;

	default:
		return EINVAL;
	}

	err = str_dup(&v, value);
	if (err)
		return err;

	mem_deref(c->value);
	c->value = v;
	c->wrap = wrap;
	c->prot = MCX_PROT_NORMAL;

	return 0;
}


/** Clear a contentType element */
void mcx_content_reset(struct mcx_content *c)
{
	if (!c)
		return;

	c->value = mem_deref(c->value);
	c->wrap = MCX_WRAP_NONE;
	c->prot = MCX_PROT_NONE;
}


/** Is the element present? */
bool mcx_content_isset(const struct mcx_content *c)
{
	return c && c->wrap != MCX_WRAP_NONE;
}


/** Does the element hold the boolean true (in any wrapper)? */
bool mcx_content_true(const struct mcx_content *c)
{
	return c && c->value &&
		(!strcmp(c->value, "true") || !strcmp(c->value, "1"));
}


/* ---- allocation ---- */

static void row_reset(struct mcx_info *info, const struct info_row *r)
{
	void *f = field(info, r);

	switch (r->kind) {

	case IK_CONTENT:
	case IK_CONTENT_TEXT:
		mcx_content_reset(f);
		break;

	case IK_STRING:
	case IK_ENUM:
		*(char **)f = mem_deref(*(char **)f);
		break;

	case IK_BOOL:
		*(enum mcx_bool *)f = MCX_BOOL_ABSENT;
		break;

	case IK_PROFILE_INDEX:
		memset(f, 0, sizeof(struct mcx_uint));
		break;
	}
}


static bool row_isset(const struct mcx_info *info, const struct info_row *r)
{
	const void *f = field(info, r);

	switch (r->kind) {

	case IK_CONTENT:
	case IK_CONTENT_TEXT:
		return mcx_content_isset(f);

	case IK_STRING:
	case IK_ENUM:
		return *(char *const *)f != NULL;

	case IK_BOOL:
		return *(const enum mcx_bool *)f != MCX_BOOL_ABSENT;

	case IK_PROFILE_INDEX:
		return ((const struct mcx_uint *)f)->set;
	}

	return false;
}


/* Rows of all services cover every field; resetting twice is harmless */
static void info_destructor(void *arg)
{
	struct mcx_info *info = arg;

	for (size_t d = 0; d < ARRAY_SIZE(descs); d++) {
		for (size_t i = 0; i < descs[d]->nprm; i++)
			row_reset(info, &descs[d]->prm[i]);
		for (size_t i = 0; i < descs[d]->next; i++)
			row_reset(info, &descs[d]->ext[i]);
	}

	mem_deref(info->mig_release);
	mem_deref(info->mig_cont);
}


/**
 * Allocate an empty info body for a service
 *
 * @param ip  Where it goes
 * @param svc The service
 *
 * @return 0, EINVAL or ENOMEM
 */
int mcx_info_alloc(struct mcx_info **ip, enum mcx_svc svc)
{
	struct mcx_info *info;

	if (!ip || !desc_get(svc))
		return EINVAL;

	info = mem_zalloc(sizeof(*info), info_destructor);
	if (!info)
		return ENOMEM;

	info->svc = svc;
	*ip = info;

	return 0;
}


/* ---- decoding ---- */

struct dec {
	const struct info_desc *d;
	struct mcx_info *info;
	struct mcx_diag *diag;
	uint64_t seen_prm;
	uint64_t seen_ext;
	bool seen_params;
	bool seen_ext_params;	/* <anyExt> inside <*-Params> */
	bool seen_ext_root;	/* <anyExt> under the root    */
};


static int content_decode(struct dec *dc, const struct info_row *r,
			  const xmlNode *n, struct mcx_content *c)
{
	const xmlNode *w = mxml_first(n);
	char *type = NULL, *val = NULL;
	int err;

	err = mxml_attr(&type, n, NULL, "type", 16, dc->diag);
	if (!err) {
		if (!strcmp(type, "Normal"))
			c->prot = MCX_PROT_NORMAL;
		else if (!strcmp(type, "Encrypted"))
			c->prot = MCX_PROT_ENCRYPTED;
		else
			err = mcx_diag_set(dc->diag, EBADMSG,
					   "<%s>: bad type attribute", r->name);
		mem_deref(type);
		if (err)
			return err;
	}
	else if (err != ENOENT) {
		return err;
	}

	if (!w) {
		err = mxml_text(&val, n, r->maxlen, dc->diag);
		if (err)
			return err;
		if (r->kind != IK_CONTENT_TEXT || !val[0]) {
			mem_deref(val);
			return mcx_diag_set(dc->diag, EBADMSG,
					    "<%s>: no value", r->name);
		}
		c->wrap = MCX_WRAP_TEXT;
		c->value = val;
		return 0;
	}

	if (mxml_next(w))
		return mcx_diag_set(dc->diag, EBADMSG,
				    "<%s>: more than one value", r->name);

	if (mxml_is(w, dc->d->ns, dc->d->w_uri)) {
		err = mxml_text(&val, w, r->maxlen, dc->diag);
		if (!err && !mxml_token_ok(val))
			err = mcx_diag_set(dc->diag, EBADMSG,
					   "<%s>: not a URI", r->name);
		c->wrap = MCX_WRAP_URI;
	}
	else if (mxml_is(w, dc->d->ns, dc->d->w_str)) {
		err = mxml_text(&val, w, r->maxlen, dc->diag);
		c->wrap = MCX_WRAP_STRING;
	}
	else if (mxml_is(w, dc->d->ns, dc->d->w_bool)) {
		bool b;

		err = mxml_text(&val, w, 8, dc->diag);
		if (!err && mxml_bool(&b, val))
			err = mcx_diag_set(dc->diag, EBADMSG,
					   "<%s>: not a boolean", r->name);
		if (!err) {
			val = mem_deref(val);
			err = str_dup(&val, b ? "true" : "false");
		}
		c->wrap = MCX_WRAP_BOOLEAN;
	}
	else if (mxml_is(w, dc->d->ns, "anyExt") ||
		 !mxml_in_ns(w, dc->d->ns)) {
		c->wrap = MCX_WRAP_OPAQUE;	/* xmlenc EncryptedData, ... */
	}
	else {
		return mcx_diag_set(dc->diag, EBADMSG, "<%s>: unexpected "
				    "<%.40s>", r->name, mxml_name(w));
	}

	if (err) {
		mem_deref(val);
		c->wrap = MCX_WRAP_NONE;
		return err;
	}

	c->value = val;
	return 0;
}


static bool in_list(const char *const *values, const char *s)
{
	for (; values && *values; values++) {
		if (!strcmp(*values, s))
			return true;
	}

	return false;
}


static int row_decode(struct dec *dc, const struct info_row *r,
		      const xmlNode *n)
{
	void *f = field(dc->info, r);
	char *txt = NULL;
	int err = 0;

	switch (r->kind) {

	case IK_CONTENT:
	case IK_CONTENT_TEXT:
		return content_decode(dc, r, n, f);

	case IK_STRING:
		return mxml_text(f, n, r->maxlen, dc->diag);

	case IK_BOOL: {
		bool b;

		err = mxml_text(&txt, n, 8, dc->diag);
		if (!err && mxml_bool(&b, txt))
			err = mcx_diag_set(dc->diag, EBADMSG,
					   "<%s>: not a boolean", r->name);
		if (!err)
			*(enum mcx_bool *)f = b ? MCX_BOOL_TRUE :
				MCX_BOOL_FALSE;
		break;
	}

	case IK_ENUM:
		err = mxml_text(&txt, n, r->maxlen, dc->diag);
		if (!err && !in_list(r->values, txt))
			err = mcx_diag_set(dc->diag, EBADMSG,
					   "<%s>: unknown value '%.40s'",
					   r->name, txt);
		if (!err) {
			*(char **)f = txt;
			txt = NULL;
		}
		break;

	case IK_PROFILE_INDEX: {
		const xmlNode *c = mxml_child(n, dc->d->ns,
					      "user-profile-index");
		struct mcx_uint *u = f;

		if (!c)
			return mcx_diag_set(dc->diag, EBADMSG,
					    "<%s>: <user-profile-index> "
					    "missing", r->name);
		err = mxml_text(&txt, c, 8, dc->diag);
		if (!err && mxml_uint(&u->v, txt, 255))
			err = mcx_diag_set(dc->diag, EBADMSG,
					   "<user-profile-index>: not 0..255");
		if (!err)
			u->set = true;
		break;
	}
	}

	mem_deref(txt);
	return err;
}


static const struct info_row *row_find(const struct info_row *rows,
				       size_t n, const xmlNode *e,
				       size_t *idx)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(rows[i].name, mxml_name(e))) {
			*idx = i;
			return &rows[i];
		}
	}

	return NULL;
}


static int row_once(struct dec *dc, const struct info_row *rows, size_t n,
		    uint64_t *seen, const xmlNode *e)
{
	const struct info_row *r;
	size_t i;

	r = row_find(rows, n, e, &i);
	if (!r)
		return 0;	/* an element we do not use: ignored */

	if (*seen & (1ULL << i))
		return mcx_diag_set(dc->diag, EBADMSG, "<%s> more than once",
				    r->name);
	*seen |= 1ULL << i;

	return row_decode(dc, r, e);
}


/* One of our elements, wherever a ##other or <anyExt> slot holds it */
static int ours_decode(struct dec *dc, const xmlNode *e)
{
	if (mxml_is(e, MCX_MIGR_NS, "migration-release")) {
		if (dc->info->mig_release)
			return mcx_diag_set(dc->diag, EBADMSG,
					    "<migration-release> more than "
					    "once");
		return migr_release_decode_node(&dc->info->mig_release, e,
						dc->diag);
	}
	if (mxml_is(e, MCX_MIGR_NS, "continuation")) {
		if (dc->info->mig_cont)
			return mcx_diag_set(dc->diag, EBADMSG,
					    "<continuation> more than once");
		return migr_cont_decode_node(&dc->info->mig_cont, e, dc->diag);
	}

	return 0;	/* a later version's element: ignored */
}


static int ext_decode(struct dec *dc, const xmlNode *x, bool *seen)
{
	int err = 0;

	if (*seen)
		return mcx_diag_set(dc->diag, EBADMSG, "<anyExt> more than "
				    "once");
	*seen = true;

	for (xmlNode *e = mxml_first(x); e && !err; e = mxml_next(e)) {
		if (mxml_in_ns(e, dc->d->ns))
			err = row_once(dc, dc->d->ext, dc->d->next,
				       &dc->seen_ext, e);
		else if (mxml_in_ns(e, MCX_MIGR_NS))
			err = ours_decode(dc, e);
	}

	return err;
}


static int params_decode(struct dec *dc, const xmlNode *p)
{
	int err = 0;

	if (dc->seen_params)
		return mcx_diag_set(dc->diag, EBADMSG, "<%s> more than once",
				    dc->d->params);
	dc->seen_params = true;

	for (xmlNode *e = mxml_first(p); e && !err; e = mxml_next(e)) {
		if (mxml_is(e, dc->d->ns, "anyExt"))
			err = ext_decode(dc, e, &dc->seen_ext_params);
		else if (mxml_in_ns(e, dc->d->ns))
			err = row_once(dc, dc->d->prm, dc->d->nprm,
				       &dc->seen_prm, e);
		else if (mxml_in_ns(e, MCX_MIGR_NS))
			err = ours_decode(dc, e);
	}

	return err;
}


/**
 * Decode an info body
 *
 * @param ip   Where the body goes
 * @param svc  Service (which document is expected)
 * @param buf  Body bytes
 * @param len  Number of bytes
 * @param diag Reason on failure, naming the element
 *
 * @return 0, ENODATA, EBADMSG, EMSGSIZE, ENOMEM or EINVAL
 */
int mcx_info_decode(struct mcx_info **ip, enum mcx_svc svc,
		    const uint8_t *buf, size_t len, struct mcx_diag *diag)
{
	struct dec dc;
	xmlDoc *doc = NULL;
	xmlNode *root;
	int err;

	memset(&dc, 0, sizeof(dc));
	dc.d = desc_get(svc);
	dc.diag = diag;
	if (!ip || !dc.d || (!buf && len))
		return EINVAL;

	err = mxml_parse(&doc, buf, len, MCX_INFO_MAX_SIZE, diag);
	if (err)
		return err;

	err = mxml_root(&root, doc, dc.d->ns, dc.d->root, diag);
	if (err)
		goto out;

	err = mcx_info_alloc(&dc.info, svc);
	if (err)
		goto out;

	for (xmlNode *e = mxml_first(root); e && !err; e = mxml_next(e)) {
		if (mxml_is(e, dc.d->ns, dc.d->params))
			err = params_decode(&dc, e);
		else if (mxml_is(e, dc.d->ns, "anyExt"))
			err = ext_decode(&dc, e, &dc.seen_ext_root);
		else if (mxml_in_ns(e, MCX_MIGR_NS))
			err = ours_decode(&dc, e);
	}

	if (!err && dc.d->params_required && !dc.seen_params)
		err = mcx_diag_set(diag, EBADMSG, "<%s> missing",
				   dc.d->params);

 out:
	xmlFreeDoc(doc);
	if (err)
		mem_deref(dc.info);
	else
		*ip = dc.info;

	return err;
}


/* ---- encoding ---- */

static void fail(struct mxw *w, int err)
{
	if (!w->err)
		w->err = err;
}


static void row_write(struct mxw *w, const struct info_desc *d,
		      const struct mcx_info *info, const struct info_row *r)
{
	const void *f = field(info, r);
	char num[16];

	if (!row_isset(info, r))
		return;

	switch (r->kind) {

	case IK_CONTENT:
	case IK_CONTENT_TEXT: {
		const struct mcx_content *c = f;
		const char *wname;

		switch (c->wrap) {

		case MCX_WRAP_URI:     wname = d->w_uri; break;
		case MCX_WRAP_BOOLEAN: wname = d->w_bool; break;
		case MCX_WRAP_STRING:
		case MCX_WRAP_TEXT:    wname = d->w_str; break;
		default:
			/* an encrypted value we cannot re-encode */
			fail(w, EINVAL);
			return;
		}
		if (!c->value) {
			fail(w, EINVAL);
			return;
		}
		mxw_start(w, r->name);
		mxw_attr(w, "type", "Normal");
		mxw_leaf(w, wname, c->value);
		mxw_end(w, r->name);
		break;
	}

	case IK_STRING:
		mxw_leaf(w, r->name, *(char *const *)f);
		break;

	case IK_BOOL:
		mxw_leaf(w, r->name, *(const enum mcx_bool *)f ==
			 MCX_BOOL_TRUE ? "true" : "false");
		break;

	case IK_ENUM:
		if (!in_list(r->values, *(char *const *)f)) {
			fail(w, EINVAL);
			return;
		}
		mxw_leaf(w, r->name, *(char *const *)f);
		break;

	case IK_PROFILE_INDEX:
		(void)re_snprintf(num, sizeof(num), "%u",
				  ((const struct mcx_uint *)f)->v);
		mxw_start(w, r->name);
		mxw_leaf(w, "user-profile-index", num);
		mxw_end(w, r->name);
		break;
	}
}


static bool ext_any(const struct info_desc *d, const struct mcx_info *info)
{
	for (size_t i = 0; i < d->next; i++) {
		if (row_isset(info, &d->ext[i]))
			return true;
	}

	return info->mig_release || info->mig_cont;
}


static void ext_write(struct mxw *w, const struct info_desc *d,
		      const struct mcx_info *info)
{
	mxw_start(w, "anyExt");
	for (size_t i = 0; i < d->next; i++)
		row_write(w, d, info, &d->ext[i]);
	if (info->mig_release)
		migr_release_write(w, info->mig_release);
	if (info->mig_cont)
		migr_cont_write(w, info->mig_cont);
	mxw_end(w, "anyExt");
}


static bool row_in(const struct info_row *rows, size_t n, size_t off)
{
	for (size_t i = 0; i < n; i++) {
		if (rows[i].off == off)
			return true;
	}

	return false;
}


/* A field set that this service does not have would be lost: refuse */
static bool only_own_fields(const struct info_desc *d,
			    const struct mcx_info *info)
{
	for (size_t k = 0; k < ARRAY_SIZE(descs); k++) {
		const struct info_desc *o = descs[k];

		for (size_t i = 0; i < o->nprm + o->next; i++) {
			const struct info_row *r = i < o->nprm ? &o->prm[i] :
				&o->ext[i - o->nprm];

			if (!row_isset(info, r))
				continue;
			if (!row_in(d->prm, d->nprm, r->off) &&
			    !row_in(d->ext, d->next, r->off))
				return false;
		}
	}

	return true;
}


/**
 * Encode an info body
 *
 * @param mb   Buffer the document is appended to
 * @param info The body
 *
 * @return 0, EINVAL (a value XML cannot carry, an enumerated value not in
 *         its list, an encrypted value, a field the service lacks) or ENOMEM
 */
int mcx_info_encode(struct mbuf *mb, const struct mcx_info *info)
{
	const struct info_desc *d;
	bool any_prm = false, any_ext;
	struct mxw w;

	if (!mb || !info)
		return EINVAL;

	d = desc_get(info->svc);
	if (!d || !only_own_fields(d, info))
		return EINVAL;

	for (size_t i = 0; i < d->nprm; i++)
		any_prm |= row_isset(info, &d->prm[i]);
	any_ext = ext_any(d, info);

	mxw_init(&w, mb);
	mxw_start(&w, d->root);
	mxw_attr(&w, "xmlns", d->ns);

	if (any_prm || d->params_required || (any_ext && d->ext_in_params)) {
		mxw_start(&w, d->params);
		for (size_t i = 0; i < d->nprm; i++)
			row_write(&w, d, info, &d->prm[i]);
		if (any_ext && d->ext_in_params)
			ext_write(&w, d, info);
		mxw_end(&w, d->params);
	}

	if (any_ext && !d->ext_in_params)
		ext_write(&w, d, info);

	mxw_end(&w, d->root);

	return mxw_finish(&w);
}


static int row_print(struct re_printf *pf, const struct mcx_info *info,
		     const struct info_row *r)
{
	const void *f = field(info, r);

	if (!row_isset(info, r))
		return 0;

	switch (r->kind) {

	case IK_CONTENT:
	case IK_CONTENT_TEXT: {
		const struct mcx_content *c = f;

		return re_hprintf(pf, " %s=%s%s", r->name,
				  c->value ? c->value : "(opaque)",
				  c->prot == MCX_PROT_ENCRYPTED ?
				  "(encrypted)" : "");
	}

	case IK_STRING:
	case IK_ENUM:
		return re_hprintf(pf, " %s=\"%s\"", r->name,
				  *(char *const *)f);

	case IK_BOOL:
		return re_hprintf(pf, " %s=%s", r->name,
				  *(const enum mcx_bool *)f == MCX_BOOL_TRUE ?
				  "true" : "false");

	case IK_PROFILE_INDEX:
		return re_hprintf(pf, " %s=%u", r->name,
				  ((const struct mcx_uint *)f)->v);
	}

	return 0;
}


/** Print an info body on one line: the root name, then name=value pairs */
int mcx_info_print(struct re_printf *pf, const struct mcx_info *info)
{
	const struct info_desc *d;
	int err;

	if (!info)
		return 0;

	d = desc_get(info->svc);
	if (!d)
		return EINVAL;

	err = re_hprintf(pf, "%s:", d->root);
	for (size_t i = 0; i < d->nprm && !err; i++)
		err = row_print(pf, info, &d->prm[i]);
	for (size_t i = 0; i < d->next && !err; i++)
		err = row_print(pf, info, &d->ext[i]);
	if (!err && info->mig_release)
		err = re_hprintf(pf, "; %H", migr_release_print,
				 info->mig_release);
	if (!err && info->mig_cont)
		err = re_hprintf(pf, "; %H", migr_cont_print, info->mig_cont);

	return err;
}
