/**
 * @file cms.c  Configuration management server: user profiles over XCAP
 *
 *   GET /xcap-root/org.3gpp.mcptt.user-profile/users/<XUI>/
 *       user-profile-<INDEX>.xml                          (TS 24.484 8.2)
 *   GET /xcap-root/org.3gpp.mcvideo.user-profile/users/<XUI>/
 *       mcvideo-user-profile-<INDEX>.xml
 *   GET /xcap-root/org.3gpp.mcdata.user-profile/users/<XUI>/
 *       mcdata-user-profile-<INDEX>.xml
 *   GET /xcap-root/org.openmobilealliance.xcap-directory/users/<XUI>/
 *       directory.xml                  which profile documents there are
 *
 * XUI is the MC service ID (sip:alice@a.mcx.test), literal or
 * percent-encoded.  Every request needs "Authorization: Bearer <token>"
 * from our IdMS whose MCPTT ID is the XUI (401 without a valid token,
 * 403 for someone else's documents).
 */
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/form.h>
#include <mcx/info.h>
#include <mcx/log.h>
#include <mcx/profile.h>
#include <mcx/str.h>
#include <mcx/store.h>
#include <mcx/token.h>
#include <mcx/xcapdir.h>
#include "mcxd.h"
#include "http.h"

#define DIR_AUID "org.openmobilealliance.xcap-directory"
#define DIR_MIME "application/vnd.oma.xcap-directory+xml"

static const struct {
	enum mcx_svc svc;
	const char *prefix;	/* document name before the index */
} docs[] = {
	{MCX_SVC_MCPTT,   "user-profile-"},
	{MCX_SVC_MCVIDEO, "mcvideo-user-profile-"},
	{MCX_SVC_MCDATA,  "mcdata-user-profile-"},
};


/* The token must be ours, valid, and for this XUI; else reply */
static bool authorized(struct sys *sys, struct http_conn *conn,
		       const struct http_msg *msg, const char *xui)
{
	const char *aud = sys->cfg.token_audience ?
		sys->cfg.token_audience : sys->cfg.domain;
	struct token_claims c;
	struct mcx_diag diag;
	struct pl tok;

	http_bearer(&tok, msg);
	if (!pl_isset(&tok)) {
		static const char body[] = "{\"error\":\"invalid_request\","
			"\"error_description\":\"Bearer token required\"}\n";

		char hdrs[STORE_URI_MAX + 96];

		(void)re_snprintf(hdrs, sizeof(hdrs), "WWW-Authenticate: "
				  "Bearer realm=\"%s\"\r\n"
				  "Cache-Control: no-store\r\n",
				  sys->cfg.domain);
		(void)http_send(conn, 401, "Bearer token required",
				"application/json", hdrs, body,
				sizeof(body) - 1);
		return false;
	}

	mcx_diag_clear(&diag);
	if (token_verify(&c, sys->idms_key, tok.p, tok.l, (int64_t)sys_now(),
			 aud, &diag)) {
		(void)http_fail(sys, conn, 401, "invalid_token", "%s",
				diag.reason);
		return false;
	}

	if (strcmp(c.mcptt_id, xui)) {
		(void)http_fail(sys, conn, 403, "insufficient_scope",
				"the token is for %s, not %s", c.mcptt_id,
				xui);
		return false;
	}

	return true;
}


static int index_of(const struct pl *doc, const char *prefix,
		    uint8_t *idx)
{
	size_t n = strlen(prefix);
	struct pl num;
	uint32_t v;

	if (doc->l <= n + 4 || strncmp(doc->p, prefix, n))
		return EINVAL;
	if (pl_strcmp(&(struct pl){doc->p + doc->l - 4, 4}, ".xml"))
		return EINVAL;

	num.p = doc->p + n;
	num.l = doc->l - n - 4;
	if (num.l < 1 || num.l > 3 ||
	    !mcx_digits(num.p, num.l))
		return EINVAL;
	v = pl_u32(&num);
	if (v > 255)
		return EINVAL;

	*idx = (uint8_t)v;

	return 0;
}


static void profile_get(struct sys *sys, struct http_conn *conn,
			const char *xui, enum mcx_svc svc, uint8_t idx)
{
	struct mbuf *doc = NULL;
	int err;

	err = store_profile_get(sys->store, xui, svc, idx, &doc);
	if (err == ENOENT) {
		(void)http_fail(sys, conn, 404, "not_found", "no %s user "
				"profile %u for %s", mcx_svc_name(svc), idx,
				xui);
		return;
	}
	if (err) {
		(void)http_fail(sys, conn, 500, "server_error", "store: %s",
				store_reason(sys->store));
		return;
	}

	{
		char etag[32];

		(void)re_snprintf(etag, sizeof(etag), "ETag: \"%08x\"\r\n",
				  crc32(0, mbuf_buf(doc),
					(uint32_t)mbuf_get_left(doc)));
		(void)http_send(conn, 200, "OK", profile_mime(svc), etag,
				mbuf_buf(doc), mbuf_get_left(doc));
	}
	mem_deref(doc);
}


/* The directory: every profile document of the XUI, all services */
static void directory_get(struct sys *sys, struct http_conn *conn,
			  const char *xui, const struct pl *xui_raw)
{
	struct xcapdir *dir = NULL;
	struct mbuf *mb = mbuf_alloc(1024);
	int err = xcapdir_alloc(&dir);

	for (size_t i = 0; !err && mb && i < ARRAY_SIZE(docs); i++) {
		uint8_t idxv[STORE_INDEXES];
		struct xcapdir_folder *f = NULL;
		size_t n = 0;

		err = store_profile_list(sys->store, xui, docs[i].svc, idxv,
					 &n);
		if (err == ENOENT) {
			err = 0;
			continue;
		}
		if (!err && n)
			err = xcapdir_folder_add(dir, profile_auid(
							 docs[i].svc), &f);

		for (size_t k = 0; !err && k < n; k++) {
			struct mbuf *doc = NULL;
			char uri[STORE_URI_MAX * 2], etag[16];

			err = store_profile_get(sys->store, xui, docs[i].svc,
						idxv[k], &doc);
			if (err)
				break;
			(void)re_snprintf(etag, sizeof(etag), "%08x",
					  crc32(0, mbuf_buf(doc), (uint32_t)
						mbuf_get_left(doc)));
			(void)re_snprintf(uri, sizeof(uri), "http://%s:%lld"
					  "/xcap-root/%s/users/%r/%s%u.xml",
					  sys->cfg.listen_ip,
					  (long long)sys->cfg.http_port,
					  profile_auid(docs[i].svc), xui_raw,
					  docs[i].prefix, idxv[k]);
			err = xcapdir_entry_add(f, uri, etag, NULL,
						(int64_t)mbuf_get_left(doc));
			mem_deref(doc);
		}
	}

	if (!err && mb)
		err = xcapdir_encode(mb, dir);
	if (err || !mb) {
		(void)http_fail(sys, conn, 500, "server_error", "cannot list "
				"the documents of %s", xui);
	}
	else {
		(void)http_send(conn, 200, "OK", DIR_MIME, NULL, mb->buf,
				mb->end);
	}

	mem_deref(dir);
	mem_deref(mb);
}


/* Next '/'-separated segment of *rest (rest starts after a '/'); a
 * segment is never empty. The last one ends the path. */
static bool segment(struct pl *seg, struct pl *rest, bool last)
{
	const char *slash = pl_strchr(rest, '/');

	seg->p = rest->p;
	seg->l = slash ? (size_t)(slash - rest->p) : rest->l;
	if (!seg->l || (last != !slash))
		return false;

	pl_advance(rest, seg->l + (slash ? 1 : 0));

	return true;
}


/* /xcap-root/AUID/users/XUI/DOCUMENT into its three parts */
static bool xcap_path(const struct pl *path, struct pl *auid,
		      struct pl *xui, struct pl *doc)
{
	static const char root[] = "/xcap-root/";
	struct pl rest, users;

	if (path->l <= sizeof(root) - 1 ||
	    memcmp(path->p, root, sizeof(root) - 1))
		return false;

	rest.p = path->p + sizeof(root) - 1;
	rest.l = path->l - (sizeof(root) - 1);

	return segment(auid, &rest, false) && segment(&users, &rest, false) &&
		!pl_strcmp(&users, "users") && segment(xui, &rest, false) &&
		segment(doc, &rest, true);
}


void cms_request(struct sys *sys, struct http_conn *conn,
		 const struct http_msg *msg)
{
	struct pl auid, xui_raw, doc;
	char xui[STORE_URI_MAX + 1];
	struct mcx_diag diag;
	uint8_t idx;

	if (pl_strcmp(&msg->met, "GET")) {
		(void)http_fail(sys, conn, 405, "invalid_request", "the CMS "
				"serves GET only");
		return;
	}

	if (!xcap_path(&msg->path, &auid, &xui_raw, &doc)) {
		(void)http_fail(sys, conn, 404, "not_found", "%r is not an "
				"XCAP document URI (/xcap-root/AUID/users/XUI/"
				"DOCUMENT)", &msg->path);
		return;
	}

	mcx_diag_clear(&diag);
	if (mcx_pct_decode(xui, sizeof(xui), xui_raw.p, xui_raw.l, false,
			   &diag)) {
		(void)http_fail(sys, conn, 400, "invalid_request", "XUI: %s",
				diag.reason);
		return;
	}

	if (!authorized(sys, conn, msg, xui))
		return;

	if (!pl_strcmp(&auid, DIR_AUID)) {
		if (pl_strcmp(&doc, "directory.xml")) {
			(void)http_fail(sys, conn, 404, "not_found", "the "
					"directory is directory.xml");
			return;
		}
		directory_get(sys, conn, xui, &xui_raw);
		return;
	}

	for (size_t i = 0; i < ARRAY_SIZE(docs); i++) {
		if (pl_strcmp(&auid, profile_auid(docs[i].svc)))
			continue;
		if (index_of(&doc, docs[i].prefix, &idx)) {
			(void)http_fail(sys, conn, 404, "not_found",
					"documents of %r are named "
					"%sINDEX.xml", &auid, docs[i].prefix);
			return;
		}
		profile_get(sys, conn, xui, docs[i].svc, idx);
		return;
	}

	(void)http_fail(sys, conn, 404, "not_found", "no application usage "
			"%r here", &auid);
}
