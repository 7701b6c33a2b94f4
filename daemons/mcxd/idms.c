/**
 * @file idms.c  Identity management server: access tokens (TS 33.180 B)
 *
 *   POST /idms/token   grant_type=password (RFC 6749 4.3), username,
 *                      password, optional client_id and scope
 *       200 {"access_token":"<JWT>","token_type":"Bearer",
 *            "expires_in":3600,"scope":"...","mcptt_id":"sip:..."}
 *       400 invalid_request / unsupported_grant_type / invalid_grant
 *   GET  /idms/jwks    {"keys":[<JWK>]}: what a partner verifies with
 *   GET  /idms/key.pem the same key as PEM
 *
 * The token is an ES256 JWT (mcx/token.h) whose audience is the MC
 * system (token_audience) and which names the user's MCPTT ID.  The
 * password grant stands for the OpenID Connect flows of TS 24.482; the
 * claims are those the MC servers check (docs/decisions.md).
 */
#include <string.h>
#include <openssl/crypto.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/form.h>
#include <mcx/log.h>
#include <mcx/store.h>
#include <mcx/str.h>
#include <mcx/token.h>
#include "mcxd.h"
#include "http.h"

#define IDMS_SCOPE "openid 3gpp:mc:ptt_service"


static bool form_type(const struct http_msg *msg)
{
	return msg_ctype_cmp(&msg->ctyp, "application",
			      "x-www-form-urlencoded");
}


static void token_request(struct sys *sys, struct http_conn *conn,
			  const struct http_msg *msg)
{
	const char *body = (const char *)mbuf_buf(msg->mb);
	size_t len = mbuf_get_left(msg->mb);
	char grant[64], user[STORE_NAME_MAX + 1];
	char pass[STORE_PASSWORD_MAX + 1], client[TOKEN_STR_MAX + 1];
	struct token_claims c;
	struct store_user u;
	struct mcx_diag diag;
	struct mbuf *tok, *out;
	int err;

	mcx_diag_clear(&diag);

	if (!form_type(msg)) {
		(void)http_fail(sys, conn, 415, "invalid_request",
				"the body must be "
				"application/x-www-form-urlencoded");
		return;
	}
	if (mcx_form_check(body, len, &diag)) {
		(void)http_fail(sys, conn, 400, "invalid_request", "%s",
				diag.reason);
		return;
	}
	if (mcx_form_get(body, len, "grant_type", grant, sizeof(grant),
			 &diag)) {
		(void)http_fail(sys, conn, 400, "invalid_request",
				"grant_type missing");
		return;
	}
	if (strcmp(grant, "password")) {
		(void)http_fail(sys, conn, 400, "unsupported_grant_type",
				"grant_type %s is not supported (password "
				"is)", grant);
		return;
	}
	if (mcx_form_get(body, len, "username", user, sizeof(user), &diag) ||
	    mcx_form_get(body, len, "password", pass, sizeof(pass), &diag)) {
		(void)http_fail(sys, conn, 400, "invalid_request",
				"username and password are required");
		return;
	}
	if (mcx_form_get(body, len, "client_id", client, sizeof(client),
			 &diag))
		str_ncpy(client, "mcx", sizeof(client));

	err = store_password_check(sys->store, user, pass);
	OPENSSL_cleanse(pass, sizeof(pass));
	if (!err)
		err = store_user_get(sys->store, STORE_BY_NAME, user, &u);
	if (err == EACCES || err == ENOENT || err == EINVAL) {
		(void)http_fail(sys, conn, 400, "invalid_grant",
				"unknown user or wrong password");
		return;
	}
	if (err) {
		(void)http_fail(sys, conn, 500, "server_error", "store: %s",
				store_reason(sys->store));
		return;
	}

	memset(&c, 0, sizeof(c));
	str_ncpy(c.iss, sys->cfg.domain, sizeof(c.iss));
	str_ncpy(c.sub, u.name, sizeof(c.sub));
	str_ncpy(c.aud, sys->cfg.token_audience ? sys->cfg.token_audience :
		 sys->cfg.domain, sizeof(c.aud));
	str_ncpy(c.scope, IDMS_SCOPE, sizeof(c.scope));
	str_ncpy(c.mcptt_id, u.mc_id, sizeof(c.mcptt_id));
	str_ncpy(c.client_id, client, sizeof(c.client_id));
	(void)re_snprintf(c.jti, sizeof(c.jti), "%016llx", rand_u64());
	c.iat = (int64_t)sys_now();
	c.exp = c.iat + sys->cfg.token_lifetime;

	tok = mbuf_alloc(1024);
	if (!tok || token_sign(tok, sys->idms_key, &c)) {
		mem_deref(tok);
		(void)http_fail(sys, conn, 500, "server_error",
				"cannot sign the token");
		return;
	}

	++sys->stats.tokens_issued;
	mcx_log(MCX_INFO, "idms", "token for %s (%s), %lld s", u.name,
		u.mc_id, (long long)sys->cfg.token_lifetime);

	out = mbuf_alloc(2048);
	if (!out || mbuf_printf(out, "{\"access_token\":\"%b\","
				 "\"token_type\":\"Bearer\","
				 "\"expires_in\":%lld,\"scope\":%H,"
				 "\"mcptt_id\":%H}\n", tok->buf, tok->end,
				 (long long)sys->cfg.token_lifetime,
				 mcx_json_str, c.scope, mcx_json_str,
				 c.mcptt_id)) {
		mem_deref(out);
		mem_deref(tok);
		(void)http_fail(sys, conn, 500, "server_error",
				"out of memory");
		return;
	}

	(void)http_send(conn, 200, "OK", "application/json",
			"Cache-Control: no-store\r\nPragma: no-cache\r\n",
			out->buf, out->end);
	mem_deref(out);
	mem_deref(tok);
}


void idms_request(struct sys *sys, struct http_conn *conn,
		  const struct http_msg *msg)
{
	if (!pl_strcmp(&msg->path, "/idms/token")) {
		if (pl_strcmp(&msg->met, "POST")) {
			(void)http_fail(sys, conn, 405, "invalid_request",
					"use POST for /idms/token");
			return;
		}
		token_request(sys, conn, msg);
		return;
	}

	if (pl_strcmp(&msg->met, "GET")) {
		(void)http_fail(sys, conn, 405, "invalid_request",
				"use GET for %r", &msg->path);
		return;
	}

	if (!pl_strcmp(&msg->path, "/idms/jwks")) {
		char *jwks = NULL;

		if (re_sdprintf(&jwks, "{\"keys\":[%H]}\n",
				token_key_jwk_print, sys->idms_key)) {
			(void)http_fail(sys, conn, 500, "server_error",
					"out of memory");
			return;
		}
		(void)http_send(conn, 200, "OK", "application/jwk-set+json",
				NULL, jwks, strlen(jwks));
		mem_deref(jwks);
		return;
	}

	if (!pl_strcmp(&msg->path, "/idms/key.pem")) {
		struct mbuf *mb = mbuf_alloc(512);

		if (!mb || token_key_pem(mb, sys->idms_key, false)) {
			mem_deref(mb);
			(void)http_fail(sys, conn, 500, "server_error",
					"cannot write the key");
			return;
		}
		(void)http_send(conn, 200, "OK", "application/x-pem-file",
				NULL, mb->buf, mb->end);
		mem_deref(mb);
		return;
	}

	(void)http_fail(sys, conn, 404, "not_found", "no IdMS resource %r "
			"(token, jwks, key.pem)", &msg->path);
}
