/**
 * @file http.h  The HTTP side of mcxd: shared helpers, IdMS and CMS
 */
#ifndef MCXD_HTTP_H
#define MCXD_HTTP_H

struct http_conn;
struct http_msg;
struct sys;

int  http_send(struct http_conn *conn, uint16_t scode, const char *reason,
	       const char *ctype, const char *hdrs, const void *body,
	       size_t len);
int  http_fail(struct sys *sys, struct http_conn *conn, uint16_t scode,
	       const char *error, const char *fmt, ...);
void http_bearer(struct pl *tok, const struct http_msg *msg);

void idms_request(struct sys *sys, struct http_conn *conn,
		  const struct http_msg *msg);
void cms_request(struct sys *sys, struct http_conn *conn,
		 const struct http_msg *msg);

#endif
