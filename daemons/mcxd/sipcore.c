/**
 * @file sipcore.c  The embedded SIP core: transports and request dispatch
 *
 * Requests inside a dialog go to mcdlg (its listener comes first).  The
 * rest are dispatched here:
 *
 *   REGISTER                          registrar.c
 *   INVITE, PUBLISH, MESSAGE to the   mcptt.c (it checks the ICSI and
 *   MCPTT PSI                         authenticates the sender)
 *   OPTIONS                           200 with Allow and Accept
 *   CANCEL with no transaction        481
 *   anything else                     404 (not for us), 405 (method)
 *
 * Every refusal carries a Warning saying why (sipcore_reply).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/log.h>
#include <mcx/mcdlg.h>
#include <mcx/store.h>
#include "mcxd.h"

#define ALLOW "INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, PUBLISH, " \
	"MESSAGE, INFO"


uint64_t sys_now(void)
{
	return (uint64_t)time(NULL);
}


/**
 * Reply to a request, with a Warning when warn is not 0
 *
 * The Warning text is the formatted rest (libre formatting); extra
 * headers are not supported here: callers that need them use
 * sip_treplyf directly.
 */
int sipcore_reply(struct sys *sys, const struct sip_msg *msg,
		  uint16_t scode, const char *reason, unsigned warn,
		  const char *fmt, ...)
{
	char text[256] = "";
	char wbuf[400];
	va_list ap;

	if (scode >= 300)
		++sys->stats.sip_rejected;

	if (!warn)
		return sip_reply(sys->sip, msg, scode, reason);

	if (fmt) {
		va_start(ap, fmt);
		(void)re_vsnprintf(text, sizeof(text), fmt, ap);
		va_end(ap);
	}

	if (mcsip_warning(wbuf, sizeof(wbuf), sys->cfg.domain, warn, text))
		return sip_reply(sys->sip, msg, scode, reason);

	mcx_log(MCX_INFO, "sip", "%r %r from %J: %u %s (%s)", &msg->met,
		&msg->ruri, &msg->src, scode, reason, text);

	return sip_replyf(sys->sip, msg, scode, reason,
			  "Warning: %s\r\nContent-Length: 0\r\n\r\n", wbuf);
}


static int ha1_handler(const struct pl *username, uint8_t ha1[16],
		       void *arg)
{
	struct sys *sys = arg;
	struct store_user u;
	char name[STORE_URI_MAX + 1];
	int err;

	if (pl_strcpy(username, name, sizeof(name)))
		return ENOENT;

	err = store_user_get(sys->store, STORE_BY_IMPI, name, &u);
	if (err)
		return err;

	return str_hex(ha1, 16, u.ha1);
}


/**
 * Check a request's digest credentials; if they are missing, stale or
 * wrong, reply (401/407 challenge, 403, 400) and return false.
 *
 * @param impi  The authenticated private identity, on success
 */
bool sipcore_authenticate(struct sys *sys, const struct sip_msg *msg,
			  bool proxy, char *impi, size_t impisz)
{
	struct mcx_diag diag;
	struct pl user;
	char chal[512];
	int err;

	mcx_diag_clear(&diag);
	err = mcsip_auth_check(&sys->auth, msg, proxy, sys_now(),
			       ha1_handler, sys, &user, &diag);
	switch (err) {

	case 0:
		(void)pl_strcpy(&user, impi, impisz);
		return true;

	case ENOENT:
	case ETIMEDOUT:
		++sys->stats.auth_challenges;
		if (mcsip_auth_challenge(chal, sizeof(chal), &sys->auth,
					 sys_now(), err == ETIMEDOUT))
			break;
		(void)sip_replyf(sys->sip, msg, proxy ? 407 : 401,
				 proxy ? "Proxy Authentication Required" :
				 "Unauthorized",
				 "%s: %s\r\nContent-Length: 0\r\n\r\n",
				 proxy ? "Proxy-Authenticate" :
				 "WWW-Authenticate", chal);
		return false;

	case EBADMSG:
		(void)sipcore_reply(sys, msg, 400, "Bad Request",
				    MCSIP_W_BAD_BODY, "%s", diag.reason);
		return false;

	case EACCES:
		(void)sipcore_reply(sys, msg, 403, "Forbidden",
				    MCSIP_W_BAD_BODY, "%s", diag.reason);
		return false;

	default:
		break;
	}

	(void)sipcore_reply(sys, msg, 500, "Server Internal Error",
			    MCSIP_W_BAD_BODY, "authentication: %s",
			    strerror(err));
	return false;
}


/* Is the Request-URI's host our domain or our address? */
static bool for_us(const struct sys *sys, const struct sip_msg *msg)
{
	struct sa sa;

	if (!pl_strcasecmp(&msg->uri.host, sys->cfg.domain))
		return true;

	if (sa_set(&sa, &msg->uri.host, 0))
		return false;

	return sa_cmp(&sa, &sys->laddr, SA_ADDR);
}


static bool request_handler(const struct sip_msg *msg, void *arg)
{
	struct sys *sys = arg;

	++sys->stats.sip_requests;

	if (!pl_strcmp(&msg->met, "ACK"))
		return true;		/* not ours: nothing to answer */

	if (!pl_strcmp(&msg->met, "CANCEL")) {
		(void)sipcore_reply(sys, msg, 481,
				    "Call/Transaction Does Not Exist",
				    MCSIP_W_BAD_BODY, "no such INVITE");
		return true;
	}

	if (!for_us(sys, msg)) {
		(void)sipcore_reply(sys, msg, 404, "Not Found",
				    MCSIP_W_BAD_BODY, "%r is not served by %s",
				    &msg->uri.host, sys->cfg.domain);
		return true;
	}

	if (sys->stopping) {
		(void)sip_replyf(sys->sip, msg, 503, "Service Unavailable",
				 "Retry-After: 5\r\n"
				 "Content-Length: 0\r\n\r\n");
		return true;
	}

	if (!pl_strcmp(&msg->met, "REGISTER")) {
		registrar_handle(sys->reg, msg);
		return true;
	}

	if (!pl_strcmp(&msg->met, "OPTIONS")) {
		(void)sip_replyf(sys->sip, msg, 200, "OK",
				 "Allow: " ALLOW "\r\n"
				 "Accept: application/sdp, multipart/mixed, "
				 "application/vnd.3gpp.mcptt-info+xml\r\n"
				 "Content-Length: 0\r\n\r\n");
		return true;
	}

	if (mcptt_handle(sys->mcptt, msg))
		return true;

	if (!pl_strcmp(&msg->met, "INVITE") ||
	    !pl_strcmp(&msg->met, "PUBLISH") ||
	    !pl_strcmp(&msg->met, "MESSAGE")) {
		(void)sipcore_reply(sys, msg, 404, "Not Found",
				    MCSIP_W_BAD_BODY, "%r: MCPTT requests go "
				    "to %s", &msg->uri, sys->psi);
		return true;
	}

	(void)sip_replyf(sys->sip, msg, 405, "Method Not Allowed",
			 "Allow: " ALLOW "\r\n"
			 "Warning: 399 %s \"399 %r is not supported\"\r\n"
			 "Content-Length: 0\r\n\r\n", sys->cfg.domain,
			 &msg->met);
	++sys->stats.sip_rejected;
	return true;
}


/* The digest nonce secret: kept in data_dir, so that nonces stay valid
   across a restart */
static int load_secret(struct sys *sys, uint8_t *secret, size_t len)
{
	char path[512];
	ssize_t n;
	int fd, err = 0;

	(void)re_snprintf(path, sizeof(path), "%s/sip-secret",
			  sys->cfg.data_dir);

	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, secret, len);
		(void)close(fd);
		if (n == (ssize_t)len)
			return 0;
	}

	rand_bytes(secret, len);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return errno;
	if (write(fd, secret, len) != (ssize_t)len)
		err = errno ? errno : EIO;
	if (close(fd) && !err)
		err = errno;

	return err;
}


int sipcore_init(struct sys *sys, struct mcx_diag *diag)
{
	uint8_t secret[MCSIP_SECRET_LEN];
	struct sa laddr;
	char ua[64];
	int err;

	err = load_secret(sys, secret, sizeof(secret));
	if (!err)
		err = mcsip_auth_init(&sys->auth, sys->cfg.domain, secret,
				      sizeof(secret));
	if (err)
		return mcx_diag_set(diag, err, "%s/sip-secret: %s",
				    sys->cfg.data_dir, strerror(err));

	(void)re_snprintf(ua, sizeof(ua), "mcxd (%s)", sys->cfg.domain);
	err = sip_alloc(&sys->sip, NULL, 1024, 1024, 1024, ua, NULL, NULL);
	if (err)
		return mcx_diag_set(diag, err, "SIP stack: %s", strerror(err));

	laddr = sys->laddr;
	sa_set_port(&laddr, (uint16_t)sys->cfg.sip_port);
	err = sip_transp_add(sys->sip, SIP_TRANSP_UDP, &laddr);
	if (!err)
		err = sip_transp_add(sys->sip, SIP_TRANSP_TCP, &laddr);
	if (err)
		return mcx_diag_set(diag, err, "SIP on %s:%lld: %s",
				    sys->cfg.listen_ip,
				    (long long)sys->cfg.sip_port,
				    strerror(err));

	/* dialogs first: in-dialog requests never reach the dispatch */
	err = mcdlg_sock_alloc(&sys->dlgs, sys->sip);
	if (!err)
		err = sip_listen(&sys->lsnr, sys->sip, true, request_handler,
				 sys);
	if (err)
		return mcx_diag_set(diag, err, "SIP listeners: %s",
				    strerror(err));

	return 0;
}


void sipcore_close(struct sys *sys)
{
	sys->lsnr = mem_deref(sys->lsnr);
	mcdlg_sock_close(sys->dlgs);
	sys->dlgs = mem_deref(sys->dlgs);
	if (sys->sip) {
		sip_close(sys->sip, true);
		/* server transactions that keep the stack alive until their
		 * timers end must not keep our sockets open */
		sip_transp_flush(sys->sip);
	}
	sys->sip = mem_deref(sys->sip);
}
