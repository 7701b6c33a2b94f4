/**
 * @file http.c  The HTTP listener the IdMS and the CMS share
 *
 *   POST /idms/token                 idms.c: password grant -> access token
 *   GET  /idms/jwks                  idms.c: the public key as a JWK Set
 *   GET  /idms/key.pem               idms.c: the public key as PEM
 *   GET  /xcap-root/...              cms.c: profile documents, directory
 *
 * Every refusal is a 4xx/5xx whose reason phrase says what is wrong, with
 * a JSON body {"error": ..., "error_description": ...} (RFC 6749 5.2 for
 * the token endpoint; the same shape elsewhere).
 */
#include <string.h>
#include <strings.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/log.h>
#include <mcx/str.h>
#include "mcxd.h"
#include "http.h"


/**
 * Answer a request: every answer carries Date (RFC 9110 6.6.1: an origin
 * server with a clock), Content-Type and Content-Length
 *
 * @param conn   The connection
 * @param scode  Status code
 * @param reason Reason phrase
 * @param ctype  Content-Type of the body
 * @param hdrs   More header lines, each CRLF-ended, or NULL
 * @param body   The body
 * @param len    Its length
 *
 * @return 0 or an errno
 */
int http_send(struct http_conn *conn, uint16_t scode, const char *reason,
	      const char *ctype, const char *hdrs, const void *body,
	      size_t len)
{
	return http_reply(conn, scode, reason,
			  "Date: %H\r\n"
			  "%s"
			  "Content-Type: %s\r\n"
			  "Content-Length: %zu\r\n\r\n%b",
			  fmt_gmtime, NULL, hdrs ? hdrs : "", ctype, len,
			  body, len);
}


/** Refuse a request: status, reason phrase = description, JSON body */
int http_fail(struct sys *sys, struct http_conn *conn, uint16_t scode,
	      const char *error, const char *fmt, ...)
{
	char desc[256], reason[256], auth[512] = "";
	char *body = NULL;
	va_list ap;
	int err;

	va_start(ap, fmt);
	(void)re_vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);

	/* a reason phrase is one line of visible text */
	str_ncpy(reason, desc, sizeof(reason));
	for (char *p = reason; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';

	mcx_log(MCX_INFO, "http", "%u %s", scode, desc);

	err = re_sdprintf(&body, "{\"error\":%H,\"error_description\":%H}\n",
			  mcx_json_str, error, mcx_json_str, desc);
	if (err)
		return err;

	/* a 401 says which scheme would do (RFC 9110 15.5.2), and so does a
	 * 403 for a token without the right (RFC 6750 3) */
	if (scode == 401 || (scode == 403 &&
			     !strcmp(error, "insufficient_scope")))
		(void)re_snprintf(auth, sizeof(auth), "WWW-Authenticate: Bearer"
				  " realm=\"%s\", error=\"%s\"\r\n",
				  sys->cfg.domain, error);

	(void)str_ncpy(auth + strlen(auth), "Cache-Control: no-store\r\n",
		       sizeof(auth) - strlen(auth));
	err = http_send(conn, scode, reason, "application/json", auth, body,
			strlen(body));
	mem_deref(body);

	return err;
}


/* Whether path starts with the prefix (a string literal) */
static bool path_under(const struct pl *path, const char *prefix)
{
	size_t n = strlen(prefix);

	return path->l >= n && !memcmp(path->p, prefix, n);
}


static void request_handler(struct http_conn *conn,
			    const struct http_msg *msg, void *arg)
{
	struct sys *sys = arg;

	++sys->stats.http_requests;

	if (!pl_strcmp(&msg->path, "/idms") ||
	    path_under(&msg->path, "/idms/")) {
		idms_request(sys, conn, msg);
		return;
	}

	if (path_under(&msg->path, "/xcap-root/")) {
		cms_request(sys, conn, msg);
		return;
	}

	(void)http_fail(sys, conn, 404, "not_found", "no resource %r here "
			"(the IdMS is under /idms/, the CMS under "
			"/xcap-root/)", &msg->path);
}


int http_init(struct sys *sys, struct mcx_diag *diag)
{
	struct sa laddr = sys->laddr;
	int err;

	sa_set_port(&laddr, (uint16_t)sys->cfg.http_port);
	err = http_listen(&sys->http, &laddr, request_handler, sys);
	if (err)
		return mcx_diag_set(diag, err, "HTTP on %s:%lld: %s",
				    sys->cfg.listen_ip,
				    (long long)sys->cfg.http_port,
				    strerror(err));

	return 0;
}


void http_close(struct sys *sys)
{
	sys->http = mem_deref(sys->http);
}


/** The Bearer token of a request, or an empty pl */
void http_bearer(struct pl *tok, const struct http_msg *msg)
{
	const struct http_hdr *h = http_msg_hdr(msg, HTTP_HDR_AUTHORIZATION);

	pl_set_str(tok, "");
	if (!h)
		return;

	/* "Bearer" SP token68 (RFC 6750 2.1); the scheme is
	 * case-insensitive (RFC 9110 11.1) */
	if (h->val.l < 8 || strncasecmp(h->val.p, "Bearer ", 7))
		return;

	tok->p = h->val.p + 7;
	tok->l = h->val.l - 7;
	while (tok->l && tok->p[0] == ' ')
		pl_advance(tok, 1);
	while (tok->l && tok->p[tok->l - 1] == ' ')
		--tok->l;
	if (pl_strchr(tok, ' '))
		pl_set_str(tok, "");
}
