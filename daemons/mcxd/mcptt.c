/**
 * @file mcptt.c  The MCPTT server: requests to its PSI, service
 *                authorization, the table of private calls
 *
 * One process plays the participating and the controlling role for the
 * users of its system (TS 24.379 5.2, 5.3).  Requests reach it at the PSI
 * sip:<mcptt_psi>@<domain>:
 *
 *   PUBLISH  Event: poc-settings, body poc-settings + mcptt-info with the
 *            access token: service authorization (TS 24.379 7.3.2, 7.3.3)
 *   INVITE   on-demand private call (11.1.1.3.1.1, 11.1.1.4.1): call.c
 *
 * Both need digest credentials (407) from a user of the store; the
 * service authorization binds the authenticated SIP identity to the
 * MCPTT ID the token names, and calls need one.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/info.h>
#include <mcx/log.h>
#include <mcx/multipart.h>
#include <mcx/str.h>
#include <mcx/token.h>
#include "mcxd.h"
#include "mcptt.h"

enum {
	AUTH_HASH_SIZE = 256,
	PUBLISH_EXPIRES_DEFAULT = 3600,
	HOUSEKEEPING_MS = 1000,
};


static void destructor(void *arg)
{
	struct mcptt *m = arg;

	tmr_cancel(&m->tmr);
	call_close_all(m);
	hash_flush(m->auths);
	mem_deref(m->auths);
}


static void auth_destructor(void *arg)
{
	struct svcauth *a = arg;

	hash_unlink(&a->he);
}


static bool auth_cmp(struct le *le, void *arg)
{
	const struct svcauth *a = le->data;

	return !strcmp(a->impu, arg);
}


struct svcauth *mcptt_auth_find(struct mcptt *m, const char *impu)
{
	struct svcauth *a;

	a = list_ledata(hash_lookup(m->auths, hash_joaat_str(impu), auth_cmp,
				    (void *)(uintptr_t)impu));
	if (a && a->expires <= sys_now()) {
		mem_deref(a);
		return NULL;
	}

	return a;
}


static bool mc_id_cmp(struct le *le, void *arg)
{
	const struct svcauth *a = le->data;

	return !strcmp(a->mc_id, arg);
}


struct svcauth *mcptt_auth_by_mc_id(struct mcptt *m, const char *mc_id)
{
	struct svcauth *a;

	a = list_ledata(hash_apply(m->auths, mc_id_cmp,
				   (void *)(uintptr_t)mc_id));
	if (a && a->expires <= sys_now()) {
		mem_deref(a);
		return NULL;
	}

	return a;
}


static bool expire_h(struct le *le, void *arg)
{
	struct svcauth *a = le->data;
	uint64_t *now = arg;

	if (a->expires <= *now) {
		mcx_log(MCX_INFO, "mcptt", "service authorization of %s "
			"(%s) expired", a->mc_id, a->impu);
		mem_deref(a);
	}

	return false;
}


static void housekeeping(void *arg)
{
	struct mcptt *m = arg;
	uint64_t now = sys_now();

	(void)hash_apply(m->auths, expire_h, &now);
	tmr_start(&m->tmr, HOUSEKEEPING_MS, housekeeping, m);
}


int mcptt_init(struct mcptt **mp, struct sys *sys)
{
	struct mcptt *m;
	int err;

	m = mem_zalloc(sizeof(*m), destructor);
	if (!m)
		return ENOMEM;

	m->sys = sys;
	m->next_call_id = 1;
	m->next_port = (uint32_t)sys->cfg.rtp_port_min & ~1u;
	tmr_init(&m->tmr);

	err = hash_alloc(&m->auths, AUTH_HASH_SIZE);
	if (err) {
		mem_deref(m);
		return err;
	}

	tmr_start(&m->tmr, HOUSEKEEPING_MS, housekeeping, m);
	*mp = m;

	return 0;
}


void mcptt_unregistered(struct mcptt *m, const char *impu)
{
	struct svcauth *a;

	if (!m)
		return;

	a = mcptt_auth_find(m, impu);
	if (a) {
		mcx_log(MCX_INFO, "mcptt", "%s unregistered: service "
			"authorization of %s ends", impu, a->mc_id);
		mem_deref(a);
	}
}


/* What a poc-settings part says: answer mode, selected profile */
static int pocset_apply(struct svcauth *a, const struct multipart *mp,
			struct mcx_diag *diag)
{
	const struct mpart *p = multipart_find(mp,
					       "application/poc-settings+xml");
	const struct pocset_entity *e;
	struct pocset *ps = NULL;
	int err;

	if (!p)
		return 0;

	err = pocset_decode(&ps, p->data, p->len, diag);
	if (err)
		return mcx_diag_prefix(diag, err, "poc-settings");

	e = pocset_first(ps);
	if (e) {
		a->am = e->answer_mode;
		a->has_index = e->has_profile_index;
		a->profile_index = e->profile_index;
		if (e->id)
			str_ncpy(a->client_id, e->id, sizeof(a->client_id));
	}
	mem_deref(ps);

	return 0;
}


/* Check the access token of an mcptt-info part against the user */
static int token_check(struct sys *sys, const struct multipart *mp,
		       const struct store_user *u, struct mcx_diag *diag)
{
	const struct mpart *p = multipart_find(mp, mcx_info_mime(
						       MCX_SVC_MCPTT));
	const char *aud = sys->cfg.token_audience ?
		sys->cfg.token_audience : sys->cfg.domain;
	struct token_claims c;
	struct mcx_info *info = NULL;
	const char *tok;
	int err;

	if (!p)
		return mcx_diag_set(diag, EACCES, "no mcptt-info with an "
				    "access token");

	err = mcx_info_decode(&info, MCX_SVC_MCPTT, p->data, p->len, diag);
	if (err)
		return mcx_diag_prefix(diag, EBADMSG, "mcptt-info");

	tok = info->access_token.value;
	if (!tok || !*tok) {
		mem_deref(info);
		return mcx_diag_set(diag, EACCES, "<mcptt-access-token> "
				    "missing");
	}

	err = token_verify(&c, sys->idms_key, tok, strlen(tok),
			   (int64_t)sys_now(), aud, diag);
	mem_deref(info);
	if (err)
		return err == EBADMSG ? EACCES : err;

	if (strcmp(c.mcptt_id, u->mc_id))
		return mcx_diag_set(diag, EACCES, "token is for %s, not %s",
				    c.mcptt_id[0] ? c.mcptt_id : "nobody",
				    u->mc_id);

	return 0;
}


/* PUBLISH poc-settings: service authorization (TS 24.379 7.3.2) */
static void publish(struct mcptt *m, const struct sip_msg *msg,
		    const struct store_user *u)
{
	struct sys *sys = m->sys;
	const struct sip_hdr *ev = sip_msg_hdr(msg, SIP_HDR_EVENT);
	struct multipart *mp = NULL;
	struct mcx_diag diag;
	struct svcauth *a;
	uint32_t expires = PUBLISH_EXPIRES_DEFAULT;
	int err;

	mcx_diag_clear(&diag);

	if (!ev || pl_strcasecmp(&ev->val, "poc-settings")) {
		(void)sip_replyf(sys->sip, msg, 489, "Bad Event",
				 "Allow-Events: poc-settings\r\n"
				 "Content-Length: 0\r\n\r\n");
		++sys->stats.sip_rejected;
		return;
	}

	if (pl_isset(&msg->expires))
		expires = min(pl_u32(&msg->expires),
			      (uint32_t)sys->cfg.reg_expires_max);

	if (expires == 0) {
		mcptt_unregistered(m, u->impu);
		(void)sip_replyf(sys->sip, msg, 200, "OK",
				 "Expires: 0\r\nContent-Length: 0\r\n\r\n");
		return;
	}

	err = mcsip_body(&mp, msg, (size_t)sys->cfg.max_body, &diag);
	if (err == EMSGSIZE) {
		(void)sipcore_reply(sys, msg, 413, "Request Entity Too Large",
				    MCSIP_W_BAD_BODY, "%s", diag.reason);
		return;
	}
	if (err) {
		(void)sipcore_reply(sys, msg, 400, "Bad Request",
				    MCSIP_W_BAD_BODY, "%s", diag.reason);
		return;
	}

	err = token_check(sys, mp, u, &diag);
	if (err) {
		mem_deref(mp);
		(void)sipcore_reply(sys, msg, err == EACCES ? 403 : 400,
				    err == EACCES ? "Forbidden" :
				    "Bad Request", MCSIP_W_AUTH_FAILED,
				    "service authorisation failed: %s",
				    diag.reason);
		return;
	}

	a = mcptt_auth_find(m, u->impu);
	if (!a) {
		a = mem_zalloc(sizeof(*a), auth_destructor);
		if (!a) {
			mem_deref(mp);
			(void)sip_reply(sys->sip, msg, 500,
					"Server Internal Error");
			return;
		}
		str_ncpy(a->impu, u->impu, sizeof(a->impu));
		hash_append(m->auths, hash_joaat_str(a->impu), &a->he, a);
	}
	str_ncpy(a->mc_id, u->mc_id, sizeof(a->mc_id));
	a->expires = sys_now() + expires;
	(void)re_snprintf(a->etag, sizeof(a->etag), "%08x", rand_u32());

	err = pocset_apply(a, mp, &diag);
	mem_deref(mp);
	if (err) {
		mem_deref(a);
		(void)sipcore_reply(sys, msg, 400, "Bad Request",
				    MCSIP_W_BAD_BODY, "%s", diag.reason);
		return;
	}

	++sys->stats.service_auths;
	mcx_log(MCX_INFO, "mcptt", "%s authorized as %s for %u s (answer "
		"mode %s)", u->impu, a->mc_id, expires,
		a->am ? pocset_am_name(a->am) : "none");

	(void)sip_replyf(sys->sip, msg, 200, "OK",
			 "SIP-ETag: %s\r\nExpires: %u\r\n"
			 "Content-Length: 0\r\n\r\n", a->etag, expires);
}


static bool to_psi(const struct mcptt *m, const struct sip_msg *msg)
{
	return !pl_strcmp(&msg->uri.user, m->sys->cfg.mcptt_psi);
}


/**
 * A request outside any dialog, for us: take it if it is for the PSI
 *
 * @return true if handled (replied to)
 */
bool mcptt_handle(struct mcptt *m, const struct sip_msg *msg)
{
	struct sys *sys = m->sys;
	struct store_user u;
	struct svcauth *a;
	char impi[STORE_URI_MAX + 1];
	bool invite = !pl_strcmp(&msg->met, "INVITE");

	if (!to_psi(m, msg))
		return false;

	if (!invite && pl_strcmp(&msg->met, "PUBLISH")) {
		(void)sip_replyf(sys->sip, msg, 405, "Method Not Allowed",
				 "Allow: INVITE, PUBLISH\r\n"
				 "Warning: 399 %s \"399 %r to the MCPTT "
				 "server is not supported\"\r\n"
				 "Content-Length: 0\r\n\r\n", sys->cfg.domain,
				 &msg->met);
		++sys->stats.sip_rejected;
		return true;
	}

	if (!sipcore_authenticate(sys, msg, true, impi, sizeof(impi)))
		return true;

	if (store_user_get(sys->store, STORE_BY_IMPI, impi, &u)) {
		(void)sipcore_reply(sys, msg, 403, "Forbidden",
				    MCSIP_W_UNKNOWN_USER, "%s is not an MCPTT "
				    "user here", impi);
		return true;
	}

	if (!invite) {
		publish(m, msg, &u);
		return true;
	}

	if (!mcsip_is_service(msg, MCSIP_ICSI_MCPTT)) {
		(void)sipcore_reply(sys, msg, 403, "Forbidden",
				    MCSIP_W_NOT_ALLOWED, "not an MCPTT "
				    "request: the MCPTT ICSI is missing");
		return true;
	}

	a = mcptt_auth_find(m, u.impu);
	if (!a) {
		(void)sipcore_reply(sys, msg, 403, "Forbidden",
				    MCSIP_W_AUTH_FAILED, "%s has no service "
				    "authorization: PUBLISH poc-settings with "
				    "an access token first", u.mc_id);
		return true;
	}

	(void)call_incoming(m, msg, &u, a);

	return true;
}


void mcptt_close_all(struct mcptt *m)
{
	if (m)
		call_close_all(m);
}


unsigned mcptt_call_count(const struct mcptt *m)
{
	return m ? list_count(&m->calls) : 0;
}


struct print_ctx {
	struct re_printf *pf;
	unsigned n;
	int err;
};


static bool auth_print_h(struct le *le, void *arg)
{
	const struct svcauth *a = le->data;
	struct print_ctx *pc = arg;

	if (pc->err)
		return true;
	pc->err = re_hprintf(pc->pf, "%s{\"impu\":%H,\"mc_id\":%H,"
			     "\"client_id\":%H,"
			     "\"answer_mode\":\"%s\",\"expires\":%llu}",
			     pc->n++ ? "," : "", mcx_json_str, a->impu,
			     mcx_json_str, a->mc_id, mcx_json_str, a->client_id,
			     a->am ? pocset_am_name(a->am) : "none",
			     (unsigned long long)a->expires);

	return pc->err != 0;
}


/** Service authorizations as a JSON array */
int mcptt_auths_print(struct re_printf *pf, const struct mcptt *m)
{
	struct print_ctx pc = {pf, 0, 0};

	pc.err = re_hprintf(pf, "[");
	(void)hash_apply(m->auths, auth_print_h, &pc);

	return pc.err | re_hprintf(pf, "]");
}


/** Calls as a JSON array */
int mcptt_calls_print(struct re_printf *pf, const struct mcptt *m)
{
	int err = re_hprintf(pf, "[");

	for (struct le *le = m->calls.head; le && !err; le = le->next)
		err = re_hprintf(pf, "%s%H", le->prev ? "," : "", call_print,
				 le);

	return err | re_hprintf(pf, "]");
}
