/**
 * @file client.c  The MC service client: login, profile, registration,
 *                 service authorization (see mcx/client.h)
 *
 *   login     POST http://SERVER/idms/token (password grant)
 *   profile   GET  http://SERVER/xcap-root/org.openmobilealliance.
 *                  xcap-directory/users/XUI/directory.xml, then the
 *                  MCPTT user profile document it lists (Bearer token)
 *   register  REGISTER sip:DOMAIN through the SIP core (digest, 401),
 *             then PUBLISH poc-settings to the MCPTT PSI with the access
 *             token in mcptt-info (TS 24.379 7.2.1, 7.3.1; 407)
 *
 * One struct sip_auth holds the credentials for PUBLISH and INVITE, so
 * after the first challenge requests carry them from the start.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>
#include <re.h>
#include <mcx/audio.h>
#include <mcx/client.h>
#include <mcx/diag.h>
#include <mcx/info.h>
#include <mcx/log.h>
#include <mcx/mcdlg.h>
#include <mcx/mcsip.h>
#include <mcx/multipart.h>
#include <mcx/pocset.h>
#include <mcx/profile.h>
#include <mcx/xcapdir.h>
#include "client_int.h"

#define PSI_USER "mcptt-pf"
#define XCAPDIR_AUID "org.openmobilealliance.xcap-directory"

enum {
	PUBLISH_EXPIRES = 3600,
	SIP_PORT_TRIES = 16,	/* free UDP ports whose TCP twin is taken */
	HTTP_BODY_MAX = 65536,
};


void mcxc_emit(struct mcxc *c, enum mcxc_ev type, unsigned call,
	       const char *peer, const char *text, uint16_t scode,
	       const char *reason, const char *warning, int64_t num)
{
	struct mcxc_event ev;

	if (!c->eh)
		return;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.t_us = mcx_now_us();
	ev.call = call;
	ev.peer = peer;
	ev.text = text;
	ev.scode = scode;
	ev.reason = reason;
	ev.warning = warning;
	ev.num = num;

	c->eh(&ev, c->arg);
}


const char *mcxc_ev_name(enum mcxc_ev type)
{
	static const char *names[] = {
		"logged-in", "profile", "registered", "authorized",
		"unregistered", "incoming", "ringing", "connected", "floor",
		"media", "ended", "error",
	};

	return (size_t)type < ARRAY_SIZE(names) ? names[type] : "?";
}


/* The text of a SIP response's Warning header, or NULL */
static const char *warning_of(const struct sip_msg *msg, char *buf,
			      size_t sz)
{
	const struct sip_hdr *w = msg ? sip_msg_hdr(msg, SIP_HDR_WARNING) :
		NULL;

	if (!w || re_snprintf(buf, sz, "%r", &w->val) < 0)
		return NULL;

	return buf;
}


/* Report a failed SIP transaction as an error event */
static void sip_error(struct mcxc *c, const char *what, int err,
		      const struct sip_msg *msg)
{
	char reason[128], warn[256], text[64];

	(void)re_snprintf(text, sizeof(text), "%s", what);
	if (msg) {
		(void)re_snprintf(reason, sizeof(reason), "%r", &msg->reason);
		mcxc_emit(c, MCXC_EV_ERROR, 0, NULL, text, msg->scode, reason,
			  warning_of(msg, warn, sizeof(warn)), 0);
	}
	else {
		mcxc_emit(c, MCXC_EV_ERROR, 0, NULL, text, 0, strerror(err),
			  NULL, 0);
	}
}


static int auth_handler(char **user, char **pass, const char *realm,
			void *arg)
{
	struct mcxc *c = arg;

	if (strcmp(realm, c->domain))
		return EAUTH;

	return re_sdprintf(user, "%s", c->impi) |
		re_sdprintf(pass, "%s", c->password);
}


/* ---- HTTP: login and profile ---- */

/* Print a string percent-encoded for a form (RFC 3986 unreserved kept) */
static int pct_print(struct re_printf *pf, const char *s)
{
	int err = 0;

	for (; *s && !err; s++) {
		unsigned char ch = (unsigned char)*s;
		char e[4];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("-._~", ch)) {
			err = pf->vph(s, 1, pf->arg);
			continue;
		}
		(void)snprintf(e, sizeof(e), "%%%02X", ch);
		err = pf->vph(e, 3, pf->arg);
	}

	return err;
}


/* A JSON string member of a flat object: "name":"value" (no escapes in
   the values we read: tokens and SIP URIs) */
static int json_member(const struct http_msg *msg, const char *name,
		       char **out)
{
	struct pl v;
	char pat[64];

	(void)re_snprintf(pat, sizeof(pat), "\"%s\"[ ]*:[ ]*\"[^\"\\\\]*\"",
			  name);
	if (!msg->mb || re_regex((const char *)mbuf_buf(msg->mb),
				 mbuf_get_left(msg->mb), pat, NULL, NULL, &v))
		return ENOENT;

	return pl_strdup(out, &v);
}


static bool http_ok(struct mcxc *c, int err, const struct http_msg *msg,
		    const char *what)
{
	char reason[256];

	if (err || !msg) {
		mcxc_emit(c, MCXC_EV_ERROR, 0, NULL, what, 0,
			  strerror(err ? err : EPROTO), NULL, 0);
		return false;
	}
	if (msg->scode >= 300) {
		(void)re_snprintf(reason, sizeof(reason), "%r", &msg->reason);
		mcxc_emit(c, MCXC_EV_ERROR, 0, NULL, what, msg->scode, reason,
			  NULL, 0);
		return false;
	}

	return true;
}


static void login_resp(int err, const struct http_msg *msg, void *arg)
{
	struct mcxc *c = arg;
	char *tok = NULL, *id = NULL;

	c->hreq = mem_deref(c->hreq);
	if (!http_ok(c, err, msg, "login"))
		return;

	if (json_member(msg, "access_token", &tok) ||
	    json_member(msg, "mcptt_id", &id)) {
		mem_deref(tok);
		mcxc_emit(c, MCXC_EV_ERROR, 0, NULL, "login", msg->scode,
			  "no access_token or mcptt_id in the answer", NULL,
			  0);
		return;
	}

	mem_deref(c->token);
	c->token = tok;
	str_ncpy(c->mc_id, id, sizeof(c->mc_id));
	mem_deref(id);

	mcxc_emit(c, MCXC_EV_LOGGED_IN, 0, c->mc_id, NULL, msg->scode, NULL,
		  NULL, 0);
}


int mcxc_login(struct mcxc *c, struct mcx_diag *diag)
{
	char uri[128];
	char *body = NULL;
	int err;

	if (!c)
		return EINVAL;
	if (c->hreq)
		return mcx_diag_set(diag, EBUSY, "an HTTP request is under "
				    "way");

	(void)re_snprintf(uri, sizeof(uri), "http://%s/idms/token",
			  c->http_server);

	/* the body first: its length goes in the header */
	err = re_sdprintf(&body, "grant_type=password&username=%H"
			  "&password=%H&client_id=mcx", pct_print, c->user,
			  pct_print, c->password);
	if (err)
		return mcx_diag_set(diag, err, "out of memory");

	err = http_request(&c->hreq, c->http, "POST", uri, login_resp, NULL,
			   c,
			   "Content-Type: application/x-www-form-urlencoded\r\n"
			   "Content-Length: %zu\r\n\r\n%s",
			   strlen(body), body);
	if (body)
		(void)OPENSSL_cleanse(body, strlen(body));
	mem_deref(body);

	return err ? mcx_diag_set(diag, EIO, "cannot reach %s",
				  c->http_server) : 0;
}


static void profile_doc_resp(int err, const struct http_msg *msg, void *arg)
{
	struct mcxc *c = arg;
	struct profile *p = NULL;
	struct mcx_diag diag;
	char text[160];

	c->hreq = mem_deref(c->hreq);
	if (!http_ok(c, err, msg, "profile"))
		return;

	mcx_diag_clear(&diag);
	err = profile_decode(&p, MCX_SVC_MCPTT, mbuf_buf(msg->mb),
			     mbuf_get_left(msg->mb), &diag);
	if (err) {
		mcxc_emit(c, MCXC_EV_ERROR, 0, NULL, "profile", msg->scode,
			  diag.reason, NULL, 0);
		return;
	}

	c->profile_index = p->index;
	c->profile_xml = mem_deref(c->profile_xml);
	(void)re_sdprintf(&c->profile_xml, "%b", mbuf_buf(msg->mb),
			  mbuf_get_left(msg->mb));

	(void)re_snprintf(text, sizeof(text), "index %u, private calls %s",
			  p->index, profile_allows(p, PA_PRIVATE_CALL) ?
			  "allowed" : "not allowed");
	mcxc_emit(c, MCXC_EV_PROFILE, 0, NULL, text, msg->scode, NULL, NULL,
		  p->index);
	mem_deref(p);
}


static void directory_resp(int err, const struct http_msg *msg, void *arg)
{
	struct mcxc *c = arg;
	const struct xcapdir_folder *f;
	const struct xcapdir_entry *e;
	struct xcapdir *dir = NULL;
	struct mcx_diag diag;

	c->hreq = mem_deref(c->hreq);
	if (!http_ok(c, err, msg, "profile"))
		return;

	mcx_diag_clear(&diag);
	err = xcapdir_decode(&dir, mbuf_buf(msg->mb), mbuf_get_left(msg->mb),
			     &diag);
	if (err) {
		mcxc_emit(c, MCXC_EV_ERROR, 0, NULL, "profile", msg->scode,
			  diag.reason, NULL, 0);
		return;
	}

	f = xcapdir_find(dir, profile_auid(MCX_SVC_MCPTT));
	e = f ? list_ledata(list_head(&f->entries)) : NULL;
	if (!e) {
		mem_deref(dir);
		mcxc_emit(c, MCXC_EV_ERROR, 0, NULL, "profile", 404,
			  "no MCPTT user profile for this user", NULL, 0);
		return;
	}

	err = http_request(&c->hreq, c->http, "GET", e->uri,
			   profile_doc_resp, NULL, c,
			   "Authorization: Bearer %s\r\n"
			   "Accept: %s\r\n\r\n", c->token,
			   profile_mime(MCX_SVC_MCPTT));
	if (err)
		mcxc_emit(c, MCXC_EV_ERROR, 0, NULL, "profile", 0,
			  strerror(err), NULL, 0);
	mem_deref(dir);
}


int mcxc_profile(struct mcxc *c, struct mcx_diag *diag)
{
	char uri[MCXC_STR * 2];

	if (!c)
		return EINVAL;
	if (!c->token)
		return mcx_diag_set(diag, EPERM, "log in first");
	if (c->hreq)
		return mcx_diag_set(diag, EBUSY, "an HTTP request is under "
				    "way");

	(void)re_snprintf(uri, sizeof(uri), "http://%s/xcap-root/"
			  XCAPDIR_AUID "/users/%s/directory.xml",
			  c->http_server, c->mc_id);

	if (http_request(&c->hreq, c->http, "GET", uri, directory_resp,
			 NULL, c, "Authorization: Bearer %s\r\n\r\n",
			 c->token))
		return mcx_diag_set(diag, EIO, "cannot reach %s",
				    c->http_server);

	return 0;
}


/* ---- SIP: registration and service authorization ---- */

static void publish_send(struct mcxc *c, uint32_t expires);


static void publish_refresh(void *arg)
{
	struct mcxc *c = arg;

	publish_send(c, PUBLISH_EXPIRES);
}


static void publish_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct mcxc *c = arg;
	const struct sip_hdr *etag;
	uint32_t expires = PUBLISH_EXPIRES;

	/* the SIP core asks for our digest credentials (24.229 5.1.1.2:
	 * 407 from a proxy; a server may use 401); one answer per
	 * challenge, a second challenge in a row is a refusal */
	if (!err && msg && (msg->scode == 401 || msg->scode == 407) &&
	    c->pub_auth_tries++ < 1 && !sip_auth_authenticate(c->auth, msg)) {
		publish_send(c, PUBLISH_EXPIRES);
		return;
	}

	if (err || !msg || msg->scode >= 300) {
		c->pub_auth_tries = 0;
		c->authorized = false;
		sip_error(c, "authorize", err, msg);
		return;
	}
	if (msg->scode < 200)
		return;

	c->pub_auth_tries = 0;

	etag = sip_msg_xhdr(msg, "SIP-ETag");
	if (etag)
		(void)pl_strcpy(&etag->val, c->etag, sizeof(c->etag));
	if (pl_isset(&msg->expires))
		expires = pl_u32(&msg->expires);
	if (!expires)
		return;

	tmr_start(&c->pubtmr, (uint64_t)expires * 800, publish_refresh, c);

	if (!c->authorized) {
		c->authorized = true;
		mcxc_emit(c, MCXC_EV_AUTHORIZED, 0, c->mc_id, NULL,
			  msg->scode, NULL, NULL, expires);
	}
}


/**
 * A multipart/mixed body of the given parts, and its Content-Type
 *
 * @param mb    Where the body goes
 * @param ctype Where its Content-Type goes (with the boundary)
 * @param ctsz  Size of ctype
 * @param parts The parts, in order
 * @param n     How many
 *
 * @return 0, ENOMEM, or ENOSPC when ctype is too small
 */
int body_multipart(struct mbuf *mb, char *ctype, size_t ctsz,
		   const struct body_part *parts, size_t n)
{
	struct multipart *mp = NULL;
	int err;

	err = multipart_alloc(&mp);
	for (size_t i = 0; i < n && !err; i++)
		err = multipart_add(mp, parts[i].ctype, parts[i].disp,
				    parts[i].mb->buf, parts[i].mb->end);
	if (!err)
		err = multipart_encode(mb, mp);
	if (!err && re_snprintf(ctype, ctsz, "%H", multipart_ctype_print,
				mp) < 0)
		err = ENOSPC;
	mem_deref(mp);

	return err;
}


/* poc-settings + mcptt-info with the access token */
static int publish_body(struct mcxc *c, struct mbuf *mb, char *ctype,
			size_t ctsz)
{
	struct pocset *ps = NULL;
	struct pocset_entity *e;
	struct mcx_info *info = NULL;
	struct mbuf *a = mbuf_alloc(512), *b = mbuf_alloc(2048);
	int err = ENOMEM;

	if (!a || !b)
		goto out;

	err = pocset_alloc(&ps);
	if (!err)
		err = pocset_entity_add(ps, c->client_id, &e);
	if (!err) {
		e->answer_mode = c->answer_auto ? POCSET_AM_AUTOMATIC :
			POCSET_AM_MANUAL;
		if (c->profile_index >= 0) {
			e->has_profile_index = true;
			e->profile_index = (uint8_t)c->profile_index;
		}
		err = pocset_encode(a, ps);
	}
	if (!err)
		err = mcx_info_alloc(&info, MCX_SVC_MCPTT);
	if (!err)
		err = mcx_content_set(&info->access_token, MCX_WRAP_STRING,
				      c->token);
	if (!err)
		err = mcx_content_set(&info->client_id, MCX_WRAP_STRING,
				      c->client_id);
	if (!err)	/* the MCPTT ID asked for (24.379 7.3.3, 7.3.4) */
		err = mcx_content_set(&info->request_uri, MCX_WRAP_URI,
				      c->mc_id);
	if (!err)
		err = mcx_info_encode(b, info);
	if (!err) {
		const struct body_part parts[] = {
			{ "application/poc-settings+xml", NULL, a },
			{ MCX_MCPTT_INFO_MIME, NULL, b },
		};

		err = body_multipart(mb, ctype, ctsz, parts,
				     ARRAY_SIZE(parts));
	}

 out:
	mem_deref(ps);
	mem_deref(info);
	mem_deref(a);
	mem_deref(b);

	return err;
}


static void publish_send(struct mcxc *c, uint32_t expires)
{
	struct mbuf *body = mbuf_alloc(4096);
	char ctype[128] = "";
	int err;

	if (!body)
		return;

	if (expires && (err = publish_body(c, body, ctype, sizeof(ctype)))) {
		mem_deref(body);
		mcxc_emit(c, MCXC_EV_ERROR, 0, NULL, "authorize", 0,
			  strerror(err), NULL, 0);
		return;
	}

	c->pubreq = mem_deref(c->pubreq);
	err = sip_drequestf(&c->pubreq, c->sip, true, "PUBLISH", c->pubdlg,
			    0, c->auth, NULL, expires ? publish_resp : NULL,
			    c,
			    "Event: poc-settings\r\n"
			    "Accept-Contact: *;+g.3gpp.mcptt;require;"
			    "explicit\r\n"
			    "Expires: %u\r\n"
			    "P-Preferred-Service: " MCSIP_ICSI_MCPTT "\r\n"
			    "%s%s%s"
			    "%s%s%s"
			    "Content-Length: %zu\r\n\r\n%b",
			    expires,
			    c->etag[0] ? "SIP-If-Match: " : "", c->etag,
			    c->etag[0] ? "\r\n" : "",
			    expires ? "Content-Type: " : "", ctype,
			    expires ? "\r\n" : "",
			    body->end, body->buf, body->end);
	mem_deref(body);
	if (err)
		mcxc_emit(c, MCXC_EV_ERROR, 0, NULL, "authorize", 0,
			  strerror(err), NULL, 0);
}


static void reg_resp(int err, const struct sip_msg *msg, void *arg)
{
	struct mcxc *c = arg;

	if (err || !msg || msg->scode >= 300) {
		bool was = c->registered;

		c->registered = false;
		c->authorized = false;
		sip_error(c, "register", err, msg);
		/* refusals a retry cannot fix: stop trying */
		if (msg && (msg->scode == 403 || msg->scode == 404 ||
			    msg->scode == 401))
			c->reg = mem_deref(c->reg);
		if (was)
			mcxc_emit(c, MCXC_EV_UNREGISTERED, 0, c->mc_id, NULL,
				  msg ? msg->scode : 0, NULL, NULL, 0);
		return;
	}
	if (msg->scode < 200)
		return;

	if (!c->registered) {
		c->registered = true;
		mcxc_emit(c, MCXC_EV_REGISTERED, 0, c->mc_id, NULL,
			  msg->scode, NULL, NULL,
			  sipreg_proxy_expires(c->reg));
		if (c->token)
			publish_send(c, PUBLISH_EXPIRES);
	}
}


int mcxc_register(struct mcxc *c, struct mcx_diag *diag)
{
	const char *routev[1];
	char reg_uri[MCXC_STR], params[256];
	int err;

	if (!c)
		return EINVAL;
	if (c->reg)
		return mcx_diag_set(diag, EALREADY, "already registering");
	if (!c->mc_id[0])
		(void)re_snprintf(c->mc_id, sizeof(c->mc_id), "sip:%s@%s",
				  c->user, c->domain);

	c->pubdlg = mem_deref(c->pubdlg);
	routev[0] = c->route;
	err = sip_dialog_alloc(&c->pubdlg, c->psi, c->psi, NULL, c->mc_id,
			       routev, 1);
	if (err)
		return mcx_diag_set(diag, err, "PUBLISH dialog: %s",
				    strerror(err));
	c->etag[0] = '\0';

	(void)re_snprintf(reg_uri, sizeof(reg_uri), "sip:%s", c->domain);
	(void)re_snprintf(params, sizeof(params), "%s;%s", MCSIP_TAG_MCPTT,
			  MCSIP_TAG_ICSI_MCPTT);

	err = sipreg_register(&c->reg, c->sip, reg_uri, c->mc_id, NULL,
			      c->mc_id, c->reg_expires, c->user, routev, 1, 0,
			      auth_handler, c, false, reg_resp, c, params,
			      NULL);
	if (err)
		return mcx_diag_set(diag, err, "REGISTER: %s", strerror(err));

	return 0;
}


int mcxc_logout(struct mcxc *c, struct mcx_diag *diag)
{
	bool was;

	if (!c)
		return EINVAL;
	(void)diag;

	ccall_close_all(c);
	tmr_cancel(&c->pubtmr);
	if (c->authorized && c->pubdlg)
		publish_send(c, 0);
	c->authorized = false;

	was = c->registered || c->reg;
	c->reg = mem_deref(c->reg);	/* libre sends REGISTER Expires: 0 */
	c->registered = false;
	c->token = mem_deref(c->token);

	if (was)
		mcxc_emit(c, MCXC_EV_UNREGISTERED, 0, c->mc_id, "logout", 0,
			  NULL, NULL, 0);

	return 0;
}


/* ---- requests outside dialogs ---- */

static bool request_handler(const struct sip_msg *msg, void *arg)
{
	struct mcxc *c = arg;

	if (!pl_strcmp(&msg->met, "ACK"))
		return true;

	if (!pl_strcmp(&msg->met, "INVITE"))
		return ccall_incoming(c, msg);

	if (!pl_strcmp(&msg->met, "OPTIONS")) {
		(void)sip_replyf(c->sip, msg, 200, "OK",
				 "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS\r\n"
				 "Content-Length: 0\r\n\r\n");
		return true;
	}

	if (!pl_strcmp(&msg->met, "CANCEL")) {
		(void)sip_reply(c->sip, msg, 481,
				"Call/Transaction Does Not Exist");
		return true;
	}

	(void)sip_replyf(c->sip, msg, 405, "Method Not Allowed",
			 "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS\r\n"
			 "Content-Length: 0\r\n\r\n");
	return true;
}


/* ---- the client ---- */

/* This client's MCPTT client ID: a random (version 4) UUID URN, new for
 * each client instance (TS 24.379 mcptt-client-id; RFC 4122 4.4) */
static void client_id_make(char *buf, size_t sz)
{
	uint8_t u[16];

	rand_bytes(u, sizeof(u));
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);
	(void)re_snprintf(buf, sz, "urn:uuid:%w-%w-%w-%w-%w", u, (size_t)4,
			  u + 4, (size_t)2, u + 6, (size_t)2, u + 8, (size_t)2,
			  u + 10, (size_t)6);
}


/* After mcxc_close(), the last transaction ended. libre calls this from
 * the stack's destructor, having taken a reference again: the stack is
 * ours to release (in our destructor, not from inside its own). */
static void sip_exit_handler(void *arg)
{
	struct mcxc *c = arg;
	mcxc_close_h *h = c->closeh;

	c->sip_exited = true;
	c->closeh = NULL;
	if (h)
		h(c->close_arg);
}


void mcxc_close(struct mcxc *c, mcxc_close_h *h, void *arg)
{
	if (!c || c->closing)
		return;

	ccall_close_all(c);
	tmr_cancel(&c->pubtmr);
	c->reg = mem_deref(c->reg);	/* an unregister under way goes on */
	c->lsnr = mem_deref(c->lsnr);

	c->closing = true;
	c->closeh = h;
	c->close_arg = arg;

	/* our reference goes; the stack lives while transactions do, and
	 * its exit handler says when the last one ended (and gives the
	 * reference back) */
	sip_close(c->sip, false);
}


static void destructor(void *arg)
{
	struct mcxc *c = arg;

	c->closeh = NULL;

	ccall_close_all(c);
	tmr_cancel(&c->pubtmr);
	mem_deref(c->hreq);
	mem_deref(c->http);
	mem_deref(c->dnsc);
	mem_deref(c->reg);
	mem_deref(c->pubreq);
	mem_deref(c->pubdlg);
	mem_deref(c->auth);
	mem_deref(c->lsnr);
	mcdlg_sock_close(c->dlgs);
	mem_deref(c->dlgs);
	/* closing and still waiting: end what is under way, so that the
	 * stack's exit handler runs and gives our reference back */
	if (c->closing && !c->sip_exited && c->sip)
		sip_close(c->sip, true);
	if (!c->closing || c->sip_exited) {
		if (c->sip)
			sip_close(c->sip, true);
		mem_deref(c->sip);
	}
	mem_deref(c->src);
	mem_deref(c->token);
	mem_deref(c->profile_xml);
}


static int copy(char *dst, size_t sz, const char *src, const char *what,
		bool required, struct mcx_diag *diag)
{
	if (!src || !*src) {
		if (required)
			return mcx_diag_set(diag, EINVAL, "%s is not set",
					    what);
		dst[0] = '\0';
		return 0;
	}
	if (strlen(src) >= sz)
		return mcx_diag_set(diag, EINVAL, "%s is too long", what);

	str_ncpy(dst, src, sz);

	return 0;
}


static int audio_init(struct mcxc *c, struct mcx_diag *diag)
{
	struct wav *w = NULL;
	int err;

	if (!c->audio_wav[0])
		return audio_src_tone(&c->src, 440.0, 8000);

	err = wav_load(&w, c->audio_wav, diag);
	if (!err)
		err = wav_to_mono(w);
	if (!err)
		err = wav_check_8k_mono(w, diag);
	if (!err)
		err = audio_src_wav(&c->src, w, true);
	mem_deref(w);

	return err;
}


static int stack_init(struct mcxc *c, struct mcx_diag *diag)
{
	struct sa laddr, ns;
	int err;

	err = sa_set_str(&laddr, c->local_ip, c->sip_port);
	if (err)
		return mcx_diag_set(diag, err, "local_ip %s: not an address",
				    c->local_ip);

	/* TCP on the port UDP got, so the Contact fits both. With any
	 * port (0), the one the system gave UDP may be taken for TCP (by
	 * an outgoing connection): try other ports */
	for (unsigned tries = 0;; tries++) {
		struct sa tl;

		err = sip_alloc(&c->sip, NULL, 32, 32, 32, "mcx",
				sip_exit_handler, c);
		if (!err)
			err = sip_transp_add(c->sip, SIP_TRANSP_UDP, &laddr);
		if (!err)
			err = sip_transp_laddr(c->sip, &tl, SIP_TRANSP_UDP,
					       NULL);
		if (!err)
			err = sip_transp_add(c->sip, SIP_TRANSP_TCP, &tl);
		if (err != EADDRINUSE || c->sip_port ||
		    tries + 1 >= SIP_PORT_TRIES)
			break;
		sip_close(c->sip, true);
		c->sip = mem_deref(c->sip);
	}
	if (err)
		return mcx_diag_set(diag, err, "SIP on %s:%u: %s",
				    c->local_ip, c->sip_port, strerror(err));

	err = mcdlg_sock_alloc(&c->dlgs, c->sip);
	if (!err)
		err = sip_listen(&c->lsnr, c->sip, true, request_handler, c);
	if (!err)
		err = sip_auth_alloc(&c->auth, auth_handler, c, false);
	if (err)
		return mcx_diag_set(diag, err, "SIP: %s", strerror(err));

	/* HTTP goes to an address, never a name: this resolver is never
	   asked, but libre's HTTP client wants one */
	(void)sa_set_str(&ns, "127.0.0.1", 53);
	err = dnsc_alloc(&c->dnsc, NULL, &ns, 1);
	if (!err)
		err = http_client_alloc(&c->http, c->dnsc);
	if (err)
		return mcx_diag_set(diag, err, "HTTP client: %s",
				    strerror(err));

	return 0;
}


int mcxc_alloc(struct mcxc **cp, const struct mcxc_conf *conf,
	       mcxc_event_h *eh, void *arg, struct mcx_diag *diag)
{
	struct mcxc *c;
	struct sa sa;
	int err;

	if (!cp || !conf)
		return EINVAL;

	c = mem_zalloc(sizeof(*c), destructor);
	if (!c)
		return ENOMEM;

	c->eh = eh;
	c->arg = arg;
	c->profile_index = -1;
	c->next_call = 1;
	c->next_port = conf->rtp_port;
	tmr_init(&c->pubtmr);

	err = copy(c->user, sizeof(c->user), conf->user, "user", true, diag);
	err = err ? err : copy(c->password, sizeof(c->password),
			       conf->password, "password", true, diag);
	err = err ? err : copy(c->domain, sizeof(c->domain), conf->domain,
			       "domain", true, diag);
	err = err ? err : copy(c->sip_server, sizeof(c->sip_server),
			       conf->sip_server, "sip_server", true, diag);
	err = err ? err : copy(c->http_server, sizeof(c->http_server),
			       conf->http_server, "http_server", true, diag);
	err = err ? err : copy(c->local_ip, sizeof(c->local_ip),
			       conf->local_ip ? conf->local_ip : "127.0.0.1",
			       "local_ip", true, diag);
	err = err ? err : copy(c->audio_wav, sizeof(c->audio_wav),
			       conf->audio_wav, "audio_wav", false, diag);
	err = err ? err : copy(c->record_dir, sizeof(c->record_dir),
			       conf->record_dir, "record_dir", false, diag);
	if (err)
		goto out;

	if (sa_decode(&sa, c->sip_server, strlen(c->sip_server))) {
		err = mcx_diag_set(diag, EINVAL, "sip_server %s: expected "
				   "IP:PORT", c->sip_server);
		goto out;
	}

	c->sip_tcp = conf->sip_tcp;
	c->answer_auto = conf->answer_auto;
	c->sip_port = conf->sip_port;
	c->reg_expires = conf->reg_expires ? conf->reg_expires : 600;

	(void)re_snprintf(c->impi, sizeof(c->impi), "%s@%s", c->user,
			  c->domain);
	client_id_make(c->client_id, sizeof(c->client_id));
	(void)re_snprintf(c->psi, sizeof(c->psi), "sip:" PSI_USER "@%s",
			  c->domain);
	/* libre appends ";lr" to a route it is given */
	(void)re_snprintf(c->route, sizeof(c->route), "sip:%s%s",
			  c->sip_server, c->sip_tcp ? ";transport=tcp" : "");

	err = audio_init(c, diag);
	if (!err)
		err = stack_init(c, diag);

 out:
	if (err)
		mem_deref(c);
	else
		*cp = c;

	return err;
}


bool mcxc_registered(const struct mcxc *c)
{
	return c && c->registered;
}


bool mcxc_authorized(const struct mcxc *c)
{
	return c && c->authorized;
}


const char *mcxc_mc_id(const struct mcxc *c)
{
	return c ? c->mc_id : NULL;
}
