/**
 * @file registrar.c  SIP registrar (RFC 3261 10.3) with digest, bindings in
 *                    the store
 *
 * A REGISTER must carry credentials (else 401).  The authenticated private
 * identity (IMPI) may register only its own public identity (the To
 * AOR), else 403.  Each Contact gets the expiry it asks for (expires
 * parameter, else the Expires header, else reg_expires_max), cut to
 * reg_expires_max; below reg_expires_min is refused with 423 and
 * Min-Expires.  "Contact: *" with Expires: 0 removes every binding of the
 * AOR.  The 200 lists the AOR's bindings with their expiry.
 *
 * Bindings live in the store (they survive a restart); a timer removes
 * the expired ones.  When an AOR loses its last binding the MCPTT server
 * forgets its service authorization.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/log.h>
#include <mcx/store.h>
#include <mcx/str.h>
#include "mcxd.h"

enum {
	EXPIRE_INTERVAL_MS = 1000,
	MAX_CONTACTS = 16,
};

struct registrar {
	struct sys *sys;
	struct tmr tmr;
};

struct contact {
	char uri[STORE_URI_MAX + 1];
	char instance[STORE_TOKEN_MAX + 1];
	int64_t expires;		/* seconds asked */
	bool star;
};


static void destructor(void *arg)
{
	struct registrar *r = arg;

	tmr_cancel(&r->tmr);
}


static void expire_handler(void *arg)
{
	struct registrar *r = arg;
	unsigned n = 0;

	if (!store_reg_expire(r->sys->store, (int64_t)sys_now(), &n) && n)
		mcx_log(MCX_INFO, "registrar", "%u binding(s) expired", n);

	tmr_start(&r->tmr, EXPIRE_INTERVAL_MS, expire_handler, r);
}


int registrar_init(struct registrar **rp, struct sys *sys)
{
	struct registrar *r;

	r = mem_zalloc(sizeof(*r), destructor);
	if (!r)
		return ENOMEM;

	r->sys = sys;
	tmr_init(&r->tmr);
	expire_handler(r);

	*rp = r;

	return 0;
}


/* Parse the Contact headers into cv; EBADMSG with a reason in why */
static int contacts_parse(const struct sip_msg *msg, int64_t dflt,
			  struct contact *cv, size_t *np, char *why,
			  size_t whysz)
{
	struct le *le;
	size_t n = 0;

	for (le = msg->hdrl.head; le; le = le->next) {
		const struct sip_hdr *h = le->data;
		struct sip_addr addr;
		struct pl v;

		if (h->id != SIP_HDR_CONTACT)
			continue;
		if (n == MAX_CONTACTS) {
			(void)re_snprintf(why, whysz, "more than %u Contact "
					  "headers", MAX_CONTACTS);
			return EBADMSG;
		}

		memset(&cv[n], 0, sizeof(cv[n]));
		cv[n].expires = dflt;

		if (!pl_strcmp(&h->val, "*")) {
			cv[n].star = true;
			++n;
			continue;
		}

		if (sip_addr_decode(&addr, &h->val) ||
		    pl_strcpy(&addr.auri, cv[n].uri, sizeof(cv[n].uri))) {
			(void)re_snprintf(why, whysz, "Contact '%r' is not a "
					  "SIP address", &h->val);
			return EBADMSG;
		}
		if (!msg_param_decode(&addr.params, "expires", &v)) {
			if (!mcx_digits(v.p, v.l) || v.l > 9) {
				(void)re_snprintf(why, whysz, "Contact expires"
						  " '%r' is not a number", &v);
				return EBADMSG;
			}
			cv[n].expires = pl_u32(&v);
		}
		if (!msg_param_decode(&addr.params, "+sip.instance", &v))
			(void)pl_strcpy(&v, cv[n].instance,
					sizeof(cv[n].instance));
		++n;
	}

	*np = n;

	return 0;
}


struct reply_ctx {
	struct mbuf *mb;
	int64_t now;
	unsigned n;
};


static int contact_print_h(const struct store_reg *reg, void *arg)
{
	struct reply_ctx *rc = arg;
	int64_t left = reg->expires - rc->now;

	++rc->n;

	return mbuf_printf(rc->mb, "Contact: <%s>;expires=%lld\r\n",
			   reg->contact, (long long)(left > 0 ? left : 0));
}


static void unbind_all(struct registrar *r, const char *aor)
{
	unsigned n = 0;

	(void)store_reg_delete_aor(r->sys->store, aor, &n);
	mcptt_unregistered(r->sys->mcptt, aor);
	mcx_log(MCX_INFO, "registrar", "%s: all %u binding(s) removed", aor,
		n);
}


void registrar_handle(struct registrar *r, const struct sip_msg *msg)
{
	struct sys *sys = r->sys;
	struct contact cv[MAX_CONTACTS];
	struct store_user u;
	struct reply_ctx rc;
	char impi[STORE_URI_MAX + 1], aor[STORE_URI_MAX + 1];
	char why[256];
	int64_t dflt, now = (int64_t)sys_now();
	size_t n = 0;
	int err;

	++sys->stats.registers;

	if (!sipcore_authenticate(sys, msg, false, impi, sizeof(impi)))
		return;

	if (store_user_get(sys->store, STORE_BY_IMPI, impi, &u)) {
		(void)sipcore_reply(sys, msg, 403, "Forbidden",
				    MCSIP_W_BAD_BODY, "%s has no SIP identity "
				    "here", impi);
		return;
	}

	if (pl_strcpy(&msg->to.auri, aor, sizeof(aor)) ||
	    strcmp(aor, u.impu)) {
		(void)sipcore_reply(sys, msg, 403, "Forbidden",
				    MCSIP_W_BAD_BODY, "%s may register %s "
				    "only, not %r", impi, u.impu,
				    &msg->to.auri);
		return;
	}

	dflt = pl_isset(&msg->expires) ? (int64_t)pl_u32(&msg->expires) :
		sys->cfg.reg_expires_max;

	err = contacts_parse(msg, dflt, cv, &n, why, sizeof(why));
	if (err) {
		(void)sipcore_reply(sys, msg, 400, "Bad Request",
				    MCSIP_W_BAD_BODY, "%s", why);
		return;
	}

	if (n == 1 && cv[0].star) {
		if (dflt != 0) {
			(void)sipcore_reply(sys, msg, 400, "Bad Request",
					    MCSIP_W_BAD_BODY, "Contact: * "
					    "needs Expires: 0");
			return;
		}
		unbind_all(r, aor);
		(void)sip_reply(sys->sip, msg, 200, "OK");
		return;
	}

	for (size_t i = 0; i < n; i++) {
		if (cv[i].star) {
			(void)sipcore_reply(sys, msg, 400, "Bad Request",
					    MCSIP_W_BAD_BODY, "Contact: * "
					    "must be alone");
			return;
		}
		if (cv[i].expires && cv[i].expires < sys->cfg.reg_expires_min) {
			(void)sip_replyf(sys->sip, msg, 423,
					 "Interval Too Brief",
					 "Min-Expires: %lld\r\n"
					 "Content-Length: 0\r\n\r\n",
					 (long long)sys->cfg.reg_expires_min);
			++sys->stats.sip_rejected;
			return;
		}
	}

	for (size_t i = 0; i < n; i++) {
		struct store_reg reg;

		if (cv[i].expires == 0) {
			(void)store_reg_delete(sys->store, aor, cv[i].uri);
			continue;
		}

		memset(&reg, 0, sizeof(reg));
		str_ncpy(reg.aor, aor, sizeof(reg.aor));
		str_ncpy(reg.contact, cv[i].uri, sizeof(reg.contact));
		str_ncpy(reg.instance, cv[i].instance, sizeof(reg.instance));
		reg.expires = now + min(cv[i].expires,
					sys->cfg.reg_expires_max);
		(void)pl_strcpy(&msg->callid, reg.call_id,
				sizeof(reg.call_id));
		reg.cseq = msg->cseq.num;

		err = store_reg_put(sys->store, &reg);
		if (err) {
			(void)sipcore_reply(sys, msg, 500,
					    "Server Internal Error",
					    MCSIP_W_BAD_BODY, "store: %s",
					    store_reason(sys->store));
			return;
		}
	}

	rc.mb = mbuf_alloc(512);
	rc.now = now;
	rc.n = 0;
	if (!rc.mb) {
		(void)sip_reply(sys->sip, msg, 500, "Server Internal Error");
		return;
	}
	(void)store_reg_apply(sys->store, aor, contact_print_h, &rc);

	if (!rc.n)
		mcptt_unregistered(sys->mcptt, aor);

	mcx_log(MCX_INFO, "registrar", "%s from %J: %u binding(s)", aor,
		&msg->src, rc.n);

	(void)sip_replyf(sys->sip, msg, 200, "OK", "%b"
			 "Content-Length: 0\r\n\r\n", rc.mb->buf,
			 rc.mb->end);
	mem_deref(rc.mb);
}


struct newest {
	struct store_reg reg;
	int64_t now;
	bool found;
};


static int newest_h(const struct store_reg *reg, void *arg)
{
	struct newest *nw = arg;

	if (reg->expires <= nw->now)
		return 0;
	if (!nw->found || reg->expires > nw->reg.expires) {
		nw->reg = *reg;
		nw->found = true;
	}

	return 0;
}


/** The contact of the AOR's binding that lasts longest; ENOENT if none */
int registrar_lookup(struct registrar *r, const char *aor, char *contact,
		     size_t sz)
{
	struct newest nw;
	int err;

	memset(&nw, 0, sizeof(nw));
	nw.now = (int64_t)sys_now();

	err = store_reg_apply(r->sys->store, aor, newest_h, &nw);
	if (err)
		return err;
	if (!nw.found)
		return ENOENT;

	str_ncpy(contact, nw.reg.contact, sz);

	return 0;
}


bool registrar_is_registered(struct registrar *r, const char *aor)
{
	char c[STORE_URI_MAX + 1];

	return registrar_lookup(r, aor, c, sizeof(c)) == 0;
}
