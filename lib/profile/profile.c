/**
 * @file profile.c  MC service user profile documents (TS 24.484 8.3, 9.3,
 *                  10.3) and our migration part
 *
 * Element names: the MCPTT profile as the MCOP SDK and a Rel-13 XSD copy
 * have it, the MCVideo profile as the V20.0.0 XSD has it (its private call
 * list wraps each entry in <PrivateCallOnNetwork>), the MCData profile by
 * analogy (docs/wire.md marks each). All 3GPP elements, the allow-*
 * actions included, are in the profile's namespace; ruleset, rule and
 * actions are in common-policy (RFC 4745).
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/migration.h>
#include <mcx/profile.h>
#include <mcx/str.h>
#include "xml/mxml.h"

#define CP MCX_COMMON_POLICY_NS
#define BIT(a) (1u << (a))

enum { URI_MAX = 512, STR_MAX = 256 };

struct pdesc {
	const char *ns;
	const char *root;
	const char *uid;	/* <MCPTTUserID> ...                      */
	const char *recipient;	/* <MCPTTPrivateRecipient> ..., or NULL   */
	bool onnet_wrap;	/* entries wrapped in <PrivateCallOnNetwork> */
	const char *mime;
	const char *auid;
	uint32_t allow_mask;	/* allow-* names this document has        */
};

static const struct {
	const char *name;
	enum profile_allow bit;
} allows[] = {
	{ "allow-private-call", PA_PRIVATE_CALL },
	{ "allow-automatic-commencement", PA_AUTO_COMMENCEMENT },
	{ "allow-manual-commencement", PA_MANUAL_COMMENCEMENT },
	{ "allow-force-auto-answer", PA_FORCE_AUTO_ANSWER },
	{ "allow-failure-restriction", PA_FAILURE_RESTRICTION },
	{ "allow-emergency-private-call", PA_EMERGENCY_PRIVATE_CALL },
	{ "allow-cancel-private-emergency-call", PA_CANCEL_PRIVATE_EMERGENCY },
	{ "allow-private-call-to-any-user", PA_PRIVATE_CALL_TO_ANY },
	{ "allow-private-call-participation", PA_PRIVATE_CALL_PARTICIPATION },
	{ "allow-private-call-media-protection", PA_MEDIA_PROTECTION },
	{ "allow-private-call-floor-control-protection",
	  PA_FLOOR_CONTROL_PROTECTION },
	{ "allow-query-availability-for-private-calls",
	  PA_QUERY_AVAILABILITY },
	{ "allow-request-private-call-call-back", PA_REQUEST_CALL_BACK },
	{ "allow-cancel-private-call-call-back", PA_CANCEL_CALL_BACK },
	{ "allow-request-remote-init-private-call",
	  PA_REMOTE_INIT_PRIVATE_CALL },
	{ "allow-request-first-to-answer-call", PA_FIRST_TO_ANSWER },
	{ "allow-to-receive-private-call-from-any-user", PA_RECEIVE_FROM_ANY },
};

static const struct pdesc pdescs[] = {
	[MCX_SVC_MCPTT] = {
		MCX_PROFILE_MCPTT_NS, "mcptt-user-profile", "MCPTTUserID",
		"MCPTTPrivateRecipient", false,
		"application/vnd.3gpp.mcptt-user-profile+xml",
		"org.3gpp.mcptt.user-profile",
		(BIT(PA_COUNT) - 1) & ~BIT(PA_RECEIVE_FROM_ANY)
	},
	[MCX_SVC_MCVIDEO] = {
		MCX_PROFILE_MCVIDEO_NS, "mcvideo-user-profile",
		"MCVideoUserID", "MCVideoPrivateRecipient", true,
		"application/vnd.3gpp.mcvideo-user-profile+xml",
		"org.3gpp.mcvideo.user-profile",
		BIT(PA_PRIVATE_CALL) | BIT(PA_AUTO_COMMENCEMENT) |
		BIT(PA_MANUAL_COMMENCEMENT) | BIT(PA_FORCE_AUTO_ANSWER) |
		BIT(PA_FAILURE_RESTRICTION) | BIT(PA_EMERGENCY_PRIVATE_CALL) |
		BIT(PA_CANCEL_PRIVATE_EMERGENCY) |
		BIT(PA_PRIVATE_CALL_TO_ANY) |
		BIT(PA_PRIVATE_CALL_PARTICIPATION) | BIT(PA_MEDIA_PROTECTION) |
		BIT(PA_QUERY_AVAILABILITY) | BIT(PA_RECEIVE_FROM_ANY)
	},
	[MCX_SVC_MCDATA] = {
		MCX_PROFILE_MCDATA_NS, "mcdata-user-profile", "MCDataUserID",
		NULL, false,
		"application/vnd.3gpp.mcdata-user-profile+xml",
		"org.3gpp.mcdata.user-profile",
		0
	},
};


static const struct pdesc *desc_get(enum mcx_svc svc)
{
	return ((unsigned)svc < ARRAY_SIZE(pdescs)) ? &pdescs[svc] : NULL;
}


/** Namespace of a service's profile document, or NULL */
const char *profile_ns(enum mcx_svc svc)
{
	const struct pdesc *d = desc_get(svc);

	return d ? d->ns : NULL;
}


/** MIME type of a service's profile document, or NULL */
const char *profile_mime(enum mcx_svc svc)
{
	const struct pdesc *d = desc_get(svc);

	return d ? d->mime : NULL;
}


/** XCAP application unique ID of a service's profile document, or NULL */
const char *profile_auid(enum mcx_svc svc)
{
	const struct pdesc *d = desc_get(svc);

	return d ? d->auid : NULL;
}


/** Element name of a permission ("allow-private-call"), or "?" */
const char *profile_allow_name(enum profile_allow a)
{
	for (size_t i = 0; i < ARRAY_SIZE(allows); i++) {
		if (allows[i].bit == a)
			return allows[i].name;
	}

	return "?";
}


/* ---- objects ---- */

static void user_destructor(void *arg)
{
	struct profile_user *u = arg;

	list_unlink(&u->le);
	mem_deref(u->uri);
	mem_deref(u->display_name);
}


static void partner_destructor(void *arg)
{
	struct profile_partner *pt = arg;

	list_unlink(&pt->le);
	mem_deref(pt->system);
	mem_deref(pt->sip_core);
	mem_deref(pt->idms_token_ep);
	mem_deref(pt->idms_audience);
	mem_deref(pt->cms_root);
	mem_deref(pt->impu);
	mem_deref(pt->impi);
}


static void profile_destructor(void *arg)
{
	struct profile *p = arg;

	mem_deref(p->xui_uri);
	mem_deref(p->name);
	mem_deref(p->profile_name);
	mem_deref(p->user_id);
	mem_deref(p->user_display);
	mem_deref(p->mc_org);
	mem_deref(p->participant_type);
	list_flush(&p->private_calls);
	mem_deref(p->emergency_recipient);
	list_flush(&p->partners);
}


static bool uri_ok(const char *s)
{
	return mxml_token_ok(s) && strlen(s) <= URI_MAX;
}


static struct profile *profile_new(enum mcx_svc svc)
{
	struct profile *p = mem_zalloc(sizeof(*p), profile_destructor);

	if (!p)
		return NULL;

	p->svc = svc;
	p->use_in_primary = true;
	list_init(&p->private_calls);
	list_init(&p->partners);

	return p;
}


/**
 * Allocate a profile with its required parts
 *
 * @param pp      Where it goes
 * @param svc     Service of the document
 * @param xui_uri XUI-URI attribute (the XCAP user)
 * @param index   user-profile-index
 * @param user_id The MC service ID the profile is for
 *
 * @return 0, EINVAL or ENOMEM
 */
int profile_alloc(struct profile **pp, enum mcx_svc svc,
		  const char *xui_uri, uint8_t index, const char *user_id)
{
	struct profile *p;
	int err;

	if (!pp || !desc_get(svc) || !uri_ok(xui_uri) || !uri_ok(user_id))
		return EINVAL;

	p = profile_new(svc);
	if (!p)
		return ENOMEM;

	err = str_dup(&p->xui_uri, xui_uri);
	if (!err)
		err = str_dup(&p->user_id, user_id);
	if (err) {
		mem_deref(p);
		return err;
	}

	p->index = index;
	*pp = p;

	return 0;
}


static int user_append(struct profile *p, char *uri, char *display)
{
	struct profile_user *u;

	if (list_count(&p->private_calls) >= PROFILE_MAX_LIST) {
		mem_deref(uri);
		mem_deref(display);
		return EMSGSIZE;
	}

	u = mem_zalloc(sizeof(*u), user_destructor);
	if (!u) {
		mem_deref(uri);
		mem_deref(display);
		return ENOMEM;
	}

	u->uri = uri;
	u->display_name = display;
	list_append(&p->private_calls, &u->le, u);

	return 0;
}


/**
 * Add a user to the private call list
 *
 * @return 0, EINVAL (bad URI, list full) or ENOMEM
 */
int profile_user_add(struct profile *p, const char *uri,
		     const char *display_name)
{
	char *u = NULL, *d = NULL;
	int err;

	if (!p || !uri_ok(uri) ||
	    (display_name && strlen(display_name) > STR_MAX))
		return EINVAL;
	if (list_count(&p->private_calls) >= PROFILE_MAX_LIST)
		return EINVAL;

	err = str_dup(&u, uri);
	if (!err && display_name)
		err = str_dup(&d, display_name);
	if (err) {
		mem_deref(u);
		mem_deref(d);
		return err;
	}

	return user_append(p, u, d);
}


static bool partner_ok(const struct profile_partner *pt)
{
	return mcx_domain_valid(pt->system) && uri_ok(pt->sip_core) &&
		uri_ok(pt->idms_token_ep) && uri_ok(pt->idms_audience) &&
		uri_ok(pt->cms_root) && (!pt->impu || uri_ok(pt->impu)) &&
		(!pt->impi || uri_ok(pt->impi)) && (pt->impu || !pt->impi);
}


/**
 * Add a partner system to the migration part (copies the strings) and
 * mark the part present
 *
 * @return 0, EINVAL (a value missing or bad, a partner twice, too many)
 *         or ENOMEM
 */
int profile_partner_add(struct profile *p, const struct profile_partner *in)
{
	struct profile_partner *pt;
	int err;

	if (!p || !in || !partner_ok(in))
		return EINVAL;
	if (profile_partner_find(p, in->system) ||
	    list_count(&p->partners) >= PROFILE_MAX_PARTNERS)
		return EINVAL;

	pt = mem_zalloc(sizeof(*pt), partner_destructor);
	if (!pt)
		return ENOMEM;

	pt->profile_index = in->profile_index;
	err = str_dup(&pt->system, in->system);
	if (!err)
		err = str_dup(&pt->sip_core, in->sip_core);
	if (!err)
		err = str_dup(&pt->idms_token_ep, in->idms_token_ep);
	if (!err)
		err = str_dup(&pt->idms_audience, in->idms_audience);
	if (!err)
		err = str_dup(&pt->cms_root, in->cms_root);
	if (!err && in->impu)
		err = str_dup(&pt->impu, in->impu);
	if (!err && in->impi)
		err = str_dup(&pt->impi, in->impi);
	if (err) {
		mem_deref(pt);
		return err;
	}

	list_append(&p->partners, &pt->le, pt);
	p->has_migration = true;

	return 0;
}


/** The partner entry for an MC system (domain, case-insensitive), or NULL */
const struct profile_partner *profile_partner_find(const struct profile *p,
						   const char *system)
{
	if (!p || !system)
		return NULL;

	for (struct le *le = p->partners.head; le; le = le->next) {
		const struct profile_partner *pt = le->data;

		if (!str_casecmp(pt->system, system))
			return pt;
	}

	return NULL;
}


/** Does the profile grant a permission? */
bool profile_allows(const struct profile *p, enum profile_allow a)
{
	return p && (unsigned)a < PA_COUNT && (p->allow & BIT(a));
}


/**
 * May this user make a private call to uri: allowed to make private calls
 * at all, and either to any user or to one in its private call list?
 */
bool profile_may_call(const struct profile *p, const char *uri)
{
	if (!profile_allows(p, PA_PRIVATE_CALL) || !uri)
		return false;
	if (profile_allows(p, PA_PRIVATE_CALL_TO_ANY))
		return true;

	for (struct le *le = p->private_calls.head; le; le = le->next) {
		const struct profile_user *u = le->data;

		if (!strcmp(u->uri, uri))
			return true;
	}

	return false;
}


/* ---- decoding ---- */

struct dec {
	const struct pdesc *d;
	struct profile *p;
	struct mcx_diag *diag;
};


/* A text element that may appear once */
static int text_once(struct dec *dc, char **dst, const xmlNode *n,
		     size_t maxlen)
{
	if (*dst)
		return mcx_diag_set(dc->diag, EBADMSG, "<%s> more than once",
				    mxml_name(n));

	return mxml_text(dst, n, maxlen, dc->diag);
}


static int uri_text(struct dec *dc, char **dst, const xmlNode *n)
{
	int err = text_once(dc, dst, n, URI_MAX);

	if (!err && !mxml_token_ok(*dst))
		err = mcx_diag_set(dc->diag, EBADMSG, "<%s>: not a URI",
				   mxml_name(n));

	return err;
}


/* EntryType (TS 24.484): <uri-entry>, optional <display-name> */
static int entry_decode(struct dec *dc, const xmlNode *e, char **urip,
			char **dispp)
{
	const xmlNode *u = mxml_child(e, dc->d->ns, "uri-entry");
	const xmlNode *dn = mxml_child(e, dc->d->ns, "display-name");
	int err;

	if (!u)
		return mcx_diag_set(dc->diag, EBADMSG, "<%s>: <uri-entry> "
				    "missing", mxml_name(e));
	if (mxml_count(e, dc->d->ns, "uri-entry") > 1)
		return mcx_diag_set(dc->diag, EBADMSG, "<%s>: <uri-entry> more "
				    "than once", mxml_name(e));

	err = uri_text(dc, urip, u);
	if (!err && dn && dispp)
		err = text_once(dc, dispp, dn, STR_MAX);

	return err;
}


static int private_call_entry(struct dec *dc, const xmlNode *e)
{
	char *uri = NULL, *disp = NULL;
	int err;

	if (list_count(&dc->p->private_calls) >= PROFILE_MAX_LIST)
		return mcx_diag_set(dc->diag, EMSGSIZE, "<PrivateCallList>: "
				    "more than %d entries", PROFILE_MAX_LIST);

	err = entry_decode(dc, e, &uri, &disp);
	if (err) {
		mem_deref(uri);
		mem_deref(disp);
		return err;
	}

	return user_append(dc->p, uri, disp);
}


static int private_call_decode(struct dec *dc, const xmlNode *pc)
{
	const char *ns = dc->d->ns;
	int err = 0;

	for (xmlNode *c = mxml_first(pc); c && !err; c = mxml_next(c)) {
		if (mxml_is(c, ns, "PrivateCallList")) {
			for (xmlNode *e = mxml_first(c); e && !err;
			     e = mxml_next(e)) {
				const xmlNode *u = e;

				if (dc->d->onnet_wrap) {
					if (!mxml_is(e, ns,
						     "PrivateCallOnNetwork"))
						continue;
					u = mxml_child(e, ns,
						       "PrivateCallURI");
					if (!u)
						return mcx_diag_set(
							dc->diag, EBADMSG,
							"<PrivateCallOnNetwork>"
							": <PrivateCallURI> "
							"missing");
				}
				if (mxml_is(u, ns, "PrivateCallURI"))
					err = private_call_entry(dc, u);
			}
		}
		else if (mxml_is(c, ns, "EmergencyCall") && dc->d->recipient) {
			const xmlNode *r = mxml_child(c, ns,
						      dc->d->recipient);
			const xmlNode *e = r ? mxml_child(r, ns, "entry") :
				NULL;

			if (e)
				err = entry_decode(dc, e,
						   &dc->p->emergency_recipient,
						   NULL);
		}
	}

	return err;
}


static int common_decode(struct dec *dc, const xmlNode *cm)
{
	const char *ns = dc->d->ns;
	bool seen_pc = false;
	int err = 0;

	for (xmlNode *c = mxml_first(cm); c && !err; c = mxml_next(c)) {
		if (mxml_is(c, ns, dc->d->uid)) {
			if (dc->p->user_id)
				return mcx_diag_set(dc->diag, EBADMSG, "<%s> "
						    "more than once",
						    dc->d->uid);
			err = entry_decode(dc, c, &dc->p->user_id,
					   &dc->p->user_display);
		}
		else if (mxml_is(c, ns, "MissionCriticalOrganization")) {
			err = text_once(dc, &dc->p->mc_org, c, STR_MAX);
		}
		else if (mxml_is(c, ns, "ParticipantType")) {
			err = text_once(dc, &dc->p->participant_type, c,
					STR_MAX);
		}
		else if (mxml_is(c, ns, "PrivateCall")) {
			if (seen_pc)
				return mcx_diag_set(dc->diag, EBADMSG,
						    "<PrivateCall> more than "
						    "once");
			seen_pc = true;
			err = private_call_decode(dc, c);
		}
	}

	return err;
}


/* <partner system=".." profile-index="N"> ... </partner> */
static int partner_decode(struct dec *dc, const xmlNode *n)
{
	struct profile_partner *pt;
	char *idx = NULL;
	uint32_t v;
	int err;

	if (list_count(&dc->p->partners) >= PROFILE_MAX_PARTNERS)
		return mcx_diag_set(dc->diag, EMSGSIZE, "<migration>: more "
				    "than %d partners", PROFILE_MAX_PARTNERS);

	pt = mem_zalloc(sizeof(*pt), partner_destructor);
	if (!pt)
		return ENOMEM;

	err = mxml_attr(&pt->system, n, NULL, "system", 256, dc->diag);
	if (err == ENOENT || (!err && !mcx_domain_valid(pt->system))) {
		err = mcx_diag_set(dc->diag, EBADMSG, "<partner>: system "
				   "missing or not a domain");
		goto out;
	}
	if (err)
		goto out;
	if (profile_partner_find(dc->p, pt->system)) {
		err = mcx_diag_set(dc->diag, EBADMSG, "<partner> %s more than "
				   "once", pt->system);
		goto out;
	}

	err = mxml_attr(&idx, n, NULL, "profile-index", 8, dc->diag);
	if (err == ENOENT || (!err && mxml_uint(&v, idx, 255))) {
		err = mcx_diag_set(dc->diag, EBADMSG, "<partner %s>: "
				   "profile-index missing or not 0..255",
				   pt->system);
		goto out;
	}
	if (err)
		goto out;
	pt->profile_index = (uint8_t)v;

	for (xmlNode *c = mxml_first(n); c && !err; c = mxml_next(c)) {
		if (mxml_is(c, MCX_MIGR_NS, "sip-core"))
			err = uri_text(dc, &pt->sip_core, c);
		else if (mxml_is(c, MCX_MIGR_NS, "idms-token-endpoint"))
			err = uri_text(dc, &pt->idms_token_ep, c);
		else if (mxml_is(c, MCX_MIGR_NS, "idms-audience"))
			err = uri_text(dc, &pt->idms_audience, c);
		else if (mxml_is(c, MCX_MIGR_NS, "cms-root"))
			err = uri_text(dc, &pt->cms_root, c);
		else if (mxml_is(c, MCX_MIGR_NS, "partner-sip-identity")) {
			if (pt->impu) {
				err = mcx_diag_set(dc->diag, EBADMSG,
					"<partner-sip-identity> more than "
					"once");
				break;
			}
			err = mxml_attr(&pt->impu, c, NULL, "impu", URI_MAX,
					dc->diag);
			if (err == ENOENT || (!err && !uri_ok(pt->impu)))
				err = mcx_diag_set(dc->diag, EBADMSG,
						   "<partner-sip-identity>: "
						   "impu missing or bad");
			if (!err) {
				err = mxml_attr(&pt->impi, c, NULL, "impi",
						URI_MAX, dc->diag);
				if (err == ENOENT)
					err = 0;
				else if (!err && !uri_ok(pt->impi))
					err = mcx_diag_set(
						dc->diag, EBADMSG,
						"<partner-sip-identity>: bad "
						"impi");
			}
		}
	}
	if (err)
		goto out;

	if (!pt->sip_core || !pt->idms_token_ep || !pt->idms_audience ||
	    !pt->cms_root) {
		err = mcx_diag_set(dc->diag, EBADMSG, "<partner %s>: needs "
				   "<sip-core>, <idms-token-endpoint>, "
				   "<idms-audience> and <cms-root>",
				   pt->system);
		goto out;
	}

	list_append(&dc->p->partners, &pt->le, pt);
	pt = NULL;

 out:
	mem_deref(idx);
	mem_deref(pt);
	return err;
}


static int migration_decode(struct dec *dc, const xmlNode *m)
{
	char *s = NULL;
	int err;

	if (dc->p->has_migration)
		return mcx_diag_set(dc->diag, EBADMSG, "<migration> more than "
				    "once");
	dc->p->has_migration = true;

	err = mxml_attr(&s, m, NULL, "use-in-primary", 8, dc->diag);
	if (!err && mxml_bool(&dc->p->use_in_primary, s))
		err = mcx_diag_set(dc->diag, EBADMSG, "<migration>: "
				   "use-in-primary not a boolean");
	mem_deref(s);
	if (err == ENOENT)
		err = 0;	/* default: true */

	for (xmlNode *c = mxml_first(m); c && !err; c = mxml_next(c)) {
		if (mxml_is(c, MCX_MIGR_NS, "partner"))
			err = partner_decode(dc, c);
	}

	return err;
}


static int onnetwork_decode(struct dec *dc, const xmlNode *on)
{
	int err = 0;

	for (xmlNode *c = mxml_first(on); c && !err; c = mxml_next(c)) {
		if (mxml_is(c, dc->d->ns, "anyExt")) {
			for (xmlNode *e = mxml_first(c); e && !err;
			     e = mxml_next(e)) {
				if (mxml_is(e, MCX_MIGR_NS, "migration"))
					err = migration_decode(dc, e);
			}
		}
		else if (mxml_is(c, MCX_MIGR_NS, "migration")) {
			err = migration_decode(dc, c);
		}
	}

	return err;
}


static int allow_decode(struct dec *dc, const xmlNode *a)
{
	char *txt = NULL;
	bool b;
	int err;

	for (size_t i = 0; i < ARRAY_SIZE(allows); i++) {
		if (strcmp(allows[i].name, mxml_name(a)))
			continue;

		err = mxml_text(&txt, a, 8, dc->diag);
		if (!err && mxml_bool(&b, txt))
			err = mcx_diag_set(dc->diag, EBADMSG, "<%s>: not a "
					   "boolean", allows[i].name);
		if (!err && b && (dc->d->allow_mask & BIT(allows[i].bit)))
			dc->p->allow |= BIT(allows[i].bit);
		mem_deref(txt);
		return err;
	}

	return 0;	/* an action we do not use */
}


static int ruleset_decode(struct dec *dc, const xmlNode *rs)
{
	const char *ns = dc->d->ns;
	int err = 0;

	for (xmlNode *r = mxml_first(rs); r && !err; r = mxml_next(r)) {
		const xmlNode *acts;

		if (!mxml_is(r, CP, "rule"))
			continue;

		acts = mxml_child(r, CP, "actions");
		for (xmlNode *a = mxml_first(acts); a && !err;
		     a = mxml_next(a)) {
			if (mxml_is(a, ns, "anyExt")) {
				for (xmlNode *x = mxml_first(a); x && !err;
				     x = mxml_next(x)) {
					if (mxml_in_ns(x, ns))
						err = allow_decode(dc, x);
				}
			}
			else if (mxml_in_ns(a, ns)) {
				err = allow_decode(dc, a);
			}
		}
	}

	return err;
}


static int root_attrs(struct dec *dc, const xmlNode *root)
{
	char *idx = NULL;
	uint32_t v;
	int err;

	err = mxml_attr(&dc->p->xui_uri, root, NULL, "XUI-URI", URI_MAX,
			dc->diag);
	if (err == ENOENT || (!err && !mxml_token_ok(dc->p->xui_uri)))
		return mcx_diag_set(dc->diag, EBADMSG, "<%s>: XUI-URI missing "
				    "or bad", dc->d->root);
	if (err)
		return err;

	err = mxml_attr(&idx, root, NULL, "user-profile-index", 8, dc->diag);
	if (err == ENOENT || (!err && mxml_uint(&v, idx, 255)))
		err = mcx_diag_set(dc->diag, EBADMSG, "<%s>: "
				   "user-profile-index missing or not 0..255",
				   dc->d->root);
	else if (!err)
		dc->p->index = (uint8_t)v;

	mem_deref(idx);
	return err;
}


static int root_child(struct dec *dc, const xmlNode *c, unsigned *seen)
{
	static const char *const once[] = {
		"Common", "OnNetwork", "Status", "Pre-selected-indication"
	};
	const char *ns = dc->d->ns;
	char *txt = NULL;
	int err = 0;

	for (size_t i = 0; i < ARRAY_SIZE(once); i++) {
		if (!mxml_is(c, ns, once[i]))
			continue;
		if (*seen & (1u << i))
			return mcx_diag_set(dc->diag, EBADMSG, "<%s> more than "
					    "once", once[i]);
		*seen |= 1u << i;
	}

	if (mxml_is(c, ns, "Name"))
		err = text_once(dc, &dc->p->name, c, STR_MAX);
	else if (mxml_is(c, ns, "ProfileName"))
		err = text_once(dc, &dc->p->profile_name, c, STR_MAX);
	else if (mxml_is(c, ns, "Pre-selected-indication"))
		dc->p->preselected = true;
	else if (mxml_is(c, ns, "Status")) {
		bool b;

		err = mxml_text(&txt, c, 8, dc->diag);
		if (!err && mxml_bool(&b, txt))
			err = mcx_diag_set(dc->diag, EBADMSG, "<Status>: not a "
					   "boolean");
		if (!err)
			dc->p->status = b ? MCX_BOOL_TRUE : MCX_BOOL_FALSE;
	}
	else if (mxml_is(c, ns, "Common"))
		err = common_decode(dc, c);
	else if (mxml_is(c, ns, "OnNetwork"))
		err = onnetwork_decode(dc, c);
	else if (mxml_is(c, CP, "ruleset"))
		err = ruleset_decode(dc, c);

	mem_deref(txt);
	return err;
}


/**
 * Decode a user profile document
 *
 * @param pp   Where the profile goes
 * @param svc  Which document (MCPTT, MCVideo, MCData)
 * @param buf  Document octets
 * @param len  Number of octets
 * @param diag Reason on failure, naming the element
 *
 * @return 0, ENODATA, EBADMSG, EMSGSIZE, ENOMEM or EINVAL
 */
int profile_decode(struct profile **pp, enum mcx_svc svc,
		   const uint8_t *buf, size_t len, struct mcx_diag *diag)
{
	struct dec dc = { .d = desc_get(svc), .p = NULL, .diag = diag };
	xmlDoc *doc = NULL;
	xmlNode *root;
	unsigned seen = 0;
	int err;

	if (!pp || !dc.d || (!buf && len))
		return EINVAL;

	err = mxml_parse(&doc, buf, len, PROFILE_MAX_SIZE, diag);
	if (err)
		return err;

	err = mxml_root(&root, doc, dc.d->ns, dc.d->root, diag);
	if (err)
		goto out;

	dc.p = profile_new(svc);
	if (!dc.p) {
		err = ENOMEM;
		goto out;
	}

	err = root_attrs(&dc, root);
	for (xmlNode *c = mxml_first(root); c && !err; c = mxml_next(c))
		err = root_child(&dc, c, &seen);

	if (!err && !dc.p->user_id)
		err = mcx_diag_set(diag, EBADMSG, "<Common>/<%s> missing",
				   dc.d->uid);

 out:
	xmlFreeDoc(doc);
	if (err)
		mem_deref(dc.p);
	else
		*pp = dc.p;

	return err;
}


/* ---- encoding ---- */

static void entry_write(struct mxw *w, const char *el, const char *uri,
			const char *display)
{
	mxw_start(w, el);
	mxw_leaf(w, "uri-entry", uri);
	mxw_leaf(w, "display-name", display);
	mxw_end(w, el);
}


static void private_call_write(struct mxw *w, const struct pdesc *d,
			       const struct profile *p)
{
	if (!p->private_calls.head)
		return;

	mxw_start(w, "PrivateCall");
	mxw_start(w, "PrivateCallList");
	for (struct le *le = p->private_calls.head; le; le = le->next) {
		const struct profile_user *u = le->data;

		if (d->onnet_wrap)
			mxw_start(w, "PrivateCallOnNetwork");
		entry_write(w, "PrivateCallURI", u->uri, u->display_name);
		if (d->onnet_wrap)
			mxw_end(w, "PrivateCallOnNetwork");
	}
	mxw_end(w, "PrivateCallList");

	if (p->emergency_recipient && d->recipient) {
		mxw_start(w, "EmergencyCall");
		mxw_start(w, d->recipient);
		entry_write(w, "entry", p->emergency_recipient, NULL);
		mxw_end(w, d->recipient);
		mxw_end(w, "EmergencyCall");
	}
	mxw_end(w, "PrivateCall");
}


static void migration_write(struct mxw *w, const struct profile *p)
{
	if (!p->has_migration)
		return;

	mxw_start(w, "OnNetwork");
	mxw_attr(w, "index", "1");
	mxw_start(w, "anyExt");
	mxw_start(w, "migration");
	mxw_attr(w, "xmlns", MCX_MIGR_NS);
	mxw_attr(w, "use-in-primary", p->use_in_primary ? "true" : "false");
	for (struct le *le = p->partners.head; le; le = le->next) {
		const struct profile_partner *pt = le->data;
		char idx[8];

		(void)re_snprintf(idx, sizeof(idx), "%u", pt->profile_index);
		mxw_start(w, "partner");
		mxw_attr(w, "system", pt->system);
		mxw_attr(w, "profile-index", idx);
		mxw_leaf(w, "sip-core", pt->sip_core);
		mxw_leaf(w, "idms-token-endpoint", pt->idms_token_ep);
		mxw_leaf(w, "idms-audience", pt->idms_audience);
		mxw_leaf(w, "cms-root", pt->cms_root);
		if (pt->impu) {
			mxw_start(w, "partner-sip-identity");
			mxw_attr(w, "impu", pt->impu);
			mxw_attr(w, "impi", pt->impi);
			mxw_end(w, "partner-sip-identity");
		}
		mxw_end(w, "partner");
	}
	mxw_end(w, "migration");
	mxw_end(w, "anyExt");
	mxw_end(w, "OnNetwork");
}


static void ruleset_write(struct mxw *w, const struct profile *p)
{
	if (!p->allow)
		return;

	mxw_start(w, "cp:ruleset");
	mxw_start(w, "cp:rule");
	mxw_attr(w, "id", "permissions");
	mxw_start(w, "cp:actions");
	for (size_t i = 0; i < ARRAY_SIZE(allows); i++) {
		if (p->allow & BIT(allows[i].bit))
			mxw_leaf(w, allows[i].name, "true");
	}
	mxw_end(w, "cp:actions");
	mxw_end(w, "cp:rule");
	mxw_end(w, "cp:ruleset");
}


/**
 * Encode a user profile document
 *
 * @return 0, EINVAL (required part missing or bad, a permission the
 *         document cannot carry, a bad partner) or ENOMEM
 */
int profile_encode(struct mbuf *mb, const struct profile *p)
{
	const struct pdesc *d;
	struct mxw w;
	char idx[8];

	if (!mb || !p)
		return EINVAL;

	d = desc_get(p->svc);
	if (!d || !uri_ok(p->xui_uri) || !uri_ok(p->user_id) ||
	    (p->allow & ~d->allow_mask))
		return EINVAL;
	if (p->emergency_recipient && !uri_ok(p->emergency_recipient))
		return EINVAL;
	for (struct le *le = p->partners.head; le; le = le->next) {
		if (!partner_ok(le->data))
			return EINVAL;
	}

	mxw_init(&w, mb);
	mxw_start(&w, d->root);
	mxw_attr(&w, "xmlns", d->ns);
	if (p->allow)
		mxw_attr(&w, "xmlns:cp", CP);
	mxw_attr(&w, "XUI-URI", p->xui_uri);
	(void)re_snprintf(idx, sizeof(idx), "%u", p->index);
	mxw_attr(&w, "user-profile-index", idx);

	mxw_leaf(&w, "Name", p->name);
	mxw_leaf(&w, "ProfileName", p->profile_name);
	if (p->preselected) {
		mxw_start(&w, "Pre-selected-indication");
		mxw_end(&w, "Pre-selected-indication");
	}
	if (p->status != MCX_BOOL_ABSENT)
		mxw_leaf(&w, "Status", p->status == MCX_BOOL_TRUE ? "true" :
			 "false");

	mxw_start(&w, "Common");
	mxw_attr(&w, "index", "1");
	entry_write(&w, d->uid, p->user_id, p->user_display);
	mxw_leaf(&w, "MissionCriticalOrganization", p->mc_org);
	mxw_leaf(&w, "ParticipantType", p->participant_type);
	private_call_write(&w, d, p);
	mxw_end(&w, "Common");

	migration_write(&w, p);
	ruleset_write(&w, p);
	mxw_end(&w, d->root);

	return mxw_finish(&w);
}


/** Print a summary of a profile on one line */
int profile_print(struct re_printf *pf, const struct profile *p)
{
	const struct pdesc *d;
	int err;

	if (!p)
		return 0;

	d = desc_get(p->svc);
	err = re_hprintf(pf, "%s %u for %s: %u private call entries, allow",
			 d ? d->root : "?", p->index, p->user_id,
			 list_count(&p->private_calls));
	for (size_t i = 0; i < ARRAY_SIZE(allows) && !err; i++) {
		if (p->allow & BIT(allows[i].bit))
			err = re_hprintf(pf, " %s", allows[i].name + 6);
	}
	if (!err && !p->allow)
		err = re_hprintf(pf, " nothing");

	if (!err && p->has_migration) {
		err = re_hprintf(pf, "; migration (%s in primary):",
				 p->use_in_primary ? "usable" : "not usable");
		for (struct le *le = p->partners.head; le && !err;
		     le = le->next) {
			const struct profile_partner *pt = le->data;

			err = re_hprintf(pf, " %s (profile %u)", pt->system,
					 pt->profile_index);
		}
	}

	return err;
}
