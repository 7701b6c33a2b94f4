/**
 * @file partners.c  The partner MC systems this one has agreements with
 *
 * Agreements come from the store (imported from IMPORT_DIR/partners/,
 * docs/store.md): the partner's SIP core and HTTP root, its IdMS public
 * key (the trust anchor of TS 33.180 5.1.4, provisioned out of band: the
 * partner's `mcxd --export-key`), and the secret the two systems share
 * for server-to-server SIP digest. They are read once at start; a key
 * that does not load stops the start with the partner named, so that a
 * system never runs with an agreement it cannot honour.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <openssl/crypto.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/log.h>
#include <mcx/store.h>
#include <mcx/str.h>
#include <mcx/token.h>
#include "mcxd.h"

struct partner {
	struct le le;
	struct store_partner sp;
	struct token_key *key;
	char kid[TOKEN_KID_LEN + 1];
};

struct load_ctx {
	struct sys *sys;
	struct mcx_diag *diag;
};


static void partner_destructor(void *arg)
{
	struct partner *p = arg;

	list_unlink(&p->le);
	mem_deref(p->key);
	/* the shared secret is not left in freed memory */
	OPENSSL_cleanse(p->sp.secret, sizeof(p->sp.secret));
}


static int load_h(const struct store_partner *sp, void *arg)
{
	struct load_ctx *lc = arg;
	struct partner *p;
	int err;

	if (!strcasecmp(sp->domain, lc->sys->cfg.domain))
		return mcx_diag_set(lc->diag, EINVAL, "partner %s: that is "
				    "this system's own domain", sp->domain);

	p = mem_zalloc(sizeof(*p), partner_destructor);
	if (!p)
		return ENOMEM;
	p->sp = *sp;

	err = token_key_load_pem(&p->key, sp->idms_pubkey,
				 strlen(sp->idms_pubkey), lc->diag);
	if (!err && token_key_has_private(p->key))
		err = mcx_diag_set(lc->diag, EINVAL, "a private key");
	if (!err)
		err = token_key_id(p->key, p->kid);
	if (err) {
		char prefix[STORE_DOMAIN_MAX + 32];

		mem_deref(p);
		(void)re_snprintf(prefix, sizeof(prefix), "partner %s: its "
				  "IdMS key", sp->domain);
		return mcx_diag_prefix(lc->diag, err == ENOMEM ? ENOMEM :
				       EINVAL, prefix);
	}

	list_append(&lc->sys->partners, &p->le, p);
	mcx_log(MCX_INFO, "partners", "%s: SIP %s, IdMS key %s%s",
		sp->domain, sp->sip_addr, p->kid,
		sp->secret[0] ? ", shared secret" : "");

	return 0;
}


/**
 * Read the agreements from the store; EINVAL (with the partner named)
 * when one cannot be honoured
 */
int partners_load(struct sys *sys, struct mcx_diag *diag)
{
	struct load_ctx lc = { sys, diag };
	int err;

	list_init(&sys->partners);
	err = store_partner_apply(sys->store, load_h, &lc);
	if (err && !diag->reason[0])
		mcx_diag_set(diag, err, "partners: %s",
			     store_reason(sys->store));
	if (err)
		partners_close(sys);

	return err;
}


void partners_close(struct sys *sys)
{
	list_flush(&sys->partners);
}


/** The agreement with a partner system, by domain (any case); NULL */
const struct partner *partner_find(const struct sys *sys, const char *domain)
{
	struct le *le;

	for (le = list_head(&sys->partners); le; le = le->next) {
		const struct partner *p = le->data;

		if (!strcasecmp(p->sp.domain, domain))
			return p;
	}

	return NULL;
}


/** The partners as a JSON array (the secret is never shown) */
int partners_print(struct re_printf *pf, const struct sys *sys)
{
	struct le *le;
	int err = re_hprintf(pf, "[");

	for (le = list_head(&sys->partners); le && !err; le = le->next) {
		const struct partner *p = le->data;

		err = re_hprintf(pf, "%s{\"domain\":%H,\"sip\":%H,"
				 "\"idms_token_url\":%H,\"cms_root\":%H,"
				 "\"idms_kid\":%H,\"secret\":%s}",
				 le == list_head(&sys->partners) ? "" : ",",
				 mcx_json_str, p->sp.domain, mcx_json_str,
				 p->sp.sip_addr, mcx_json_str,
				 p->sp.idms_token_url, mcx_json_str,
				 p->sp.cms_root, mcx_json_str, p->kid,
				 p->sp.secret[0] ? "true" : "false");
	}

	return err ? err : re_hprintf(pf, "]");
}
