/**
 * @file partners.c  Agreements with partner MC systems
 *
 * What this system needs to know about a partner it lets users migrate
 * to or from (TS 23.280 10.1.6.1, TS 33.180 B.7): its SIP core, its IdMS
 * token endpoint and the public key its IdMS signs tokens with, its CMS
 * root (CSC-17), and a shared secret if the agreement has one. Keyed by
 * the partner's domain, compared without regard to case.
 */
#include <errno.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/store.h>
#include <mcx/str.h>
#include "store.h"

/* Printable ASCII and line ends: what PEM text is made of */
static bool pem_text_ok(const char *pem)
{
	for (const char *p = pem; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c < 0x20 && c != '\n' && c != '\r') || c >= 0x7f)
			return false;
	}

	return true;
}


/* A PEM "PUBLIC KEY" (SubjectPublicKeyInfo) that OpenSSL can read:
 * 0, EINVAL or ENOMEM (store.h) */
int store_pubkey_check(struct store *st, const char *pem)
{
	size_t n = strnlen(pem, STORE_PEM_MAX + 1);
	EVP_PKEY *key = NULL;
	BIO *bio;

	if (n && n <= STORE_PEM_MAX && pem_text_ok(pem)) {
		bio = BIO_new_mem_buf(pem, (int)n);
		if (!bio)
			return store_fail(st, ENOMEM, "out of memory");

		key = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
		BIO_free(bio);
		ERR_clear_error();	/* leave none for other users */
	}
	if (!key)
		return store_fail(st, EINVAL, "bad IdMS public key (expected "
				  "a PEM PUBLIC KEY)");

	EVP_PKEY_free(key);
	return 0;
}


static int partner_check(struct store *st, const struct store_partner *p)
{
	int err;

	if (!mcx_domain_valid(p->domain))
		return store_fail(st, EINVAL, "bad partner domain");
	if (!store_sip_uri_ok(p->sip_addr))
		return store_fail(st, EINVAL, "bad SIP address");
	if (!store_url_ok(p->idms_token_url))
		return store_fail(st, EINVAL, "bad IdMS token URL");
	if (!store_url_ok(p->cms_root))
		return store_fail(st, EINVAL, "bad CMS root URL");
	err = store_pubkey_check(st, p->idms_pubkey);
	if (err)
		return err;
	if (p->secret[0] && !store_token_ok(p->secret, STORE_SECRET_MAX))
		return store_fail(st, EINVAL, "bad shared secret (printable, "
				  "no space)");

	return 0;
}


static bool partner_terminated(const struct store_partner *p)
{
	return memchr(p->domain, 0, sizeof(p->domain)) &&
		memchr(p->sip_addr, 0, sizeof(p->sip_addr)) &&
		memchr(p->idms_token_url, 0, sizeof(p->idms_token_url)) &&
		memchr(p->cms_root, 0, sizeof(p->cms_root)) &&
		memchr(p->idms_pubkey, 0, sizeof(p->idms_pubkey)) &&
		memchr(p->secret, 0, sizeof(p->secret));
}


/**
 * Add or replace a partner agreement
 *
 * @param st Store
 * @param p  The agreement; secret "" for none
 *
 * @return 0, EINVAL, EBUSY, ENOMEM or EIO
 */
int store_partner_put(struct store *st, const struct store_partner *p)
{
	sqlite3_stmt *s = NULL;
	int err;

	if (!st || !p)
		return EINVAL;
	if (!partner_terminated(p))
		return store_fail(st, EINVAL, "partner value not terminated");

	err = store_writable(st);
	if (!err)
		err = partner_check(st, p);
	if (!err)
		err = store_stmt(st, &s, ST_PARTNER_PUT);
	if (!err)
		err = store_bind_text(st, s, 1, p->domain);
	if (!err)
		err = store_bind_text(st, s, 2, p->sip_addr);
	if (!err)
		err = store_bind_text(st, s, 3, p->idms_token_url);
	if (!err)
		err = store_bind_text(st, s, 4, p->cms_root);
	if (!err)
		err = store_bind_text(st, s, 5, p->idms_pubkey);
	if (!err)
		err = store_bind_text(st, s, 6, p->secret[0] ? p->secret :
				      NULL);
	if (!err)
		err = store_step_done(st, s);

	store_reset(s);
	return err;
}


static int partner_read(struct store *st, sqlite3_stmt *s,
			struct store_partner *p)
{
	int err;

	memset(p, 0, sizeof(*p));
	err = store_col_text(st, p->domain, sizeof(p->domain), s, 0);
	if (!err)
		err = store_col_text(st, p->sip_addr, sizeof(p->sip_addr), s,
				     1);
	if (!err)
		err = store_col_text(st, p->idms_token_url,
				     sizeof(p->idms_token_url), s, 2);
	if (!err)
		err = store_col_text(st, p->cms_root, sizeof(p->cms_root), s,
				     3);
	if (!err)
		err = store_col_text(st, p->idms_pubkey,
				     sizeof(p->idms_pubkey), s, 4);
	if (!err)
		err = store_col_text(st, p->secret, sizeof(p->secret), s, 5);

	return err;
}


/**
 * Get the agreement with a partner
 *
 * @param st     Store
 * @param domain The partner's domain (any case)
 * @param out    The agreement (written only on success)
 *
 * @return 0, ENOENT, EINVAL, ENOMEM or EIO
 */
int store_partner_get(struct store *st, const char *domain,
		      struct store_partner *out)
{
	struct store_partner *p;
	sqlite3_stmt *s = NULL;
	int err;

	if (!st || !domain || !out)
		return EINVAL;

	/* nearly 6 KiB: not on the stack of whoever calls us */
	p = mem_zalloc(sizeof(*p), NULL);
	if (!p)
		return ENOMEM;

	err = store_stmt(st, &s, ST_PARTNER_GET);
	if (!err)
		err = store_bind_text(st, s, 1, domain);
	if (!err)
		err = store_step_row(st, s);
	if (err == ENOENT)
		err = store_fail(st, ENOENT, "no such partner");
	if (!err)
		err = partner_read(st, s, p);
	if (!err)
		*out = *p;

	store_reset(s);
	mem_deref(p);
	return err;
}


/**
 * Delete the agreement with a partner
 *
 * @return 0, ENOENT, EINVAL, EBUSY or EIO
 */
int store_partner_delete(struct store *st, const char *domain)
{
	sqlite3_stmt *s = NULL;
	int err;

	if (!st || !domain)
		return EINVAL;

	err = store_writable(st);
	if (!err)
		err = store_stmt(st, &s, ST_PARTNER_DELETE);
	if (!err)
		err = store_bind_text(st, s, 1, domain);
	if (!err)
		err = store_step_deleted(st, s, "partner");

	store_reset(s);
	return err;
}


struct partner_walk {
	store_partner_h *h;
	void *arg;
	struct store_partner *p;
};


static int partner_row(struct store *st, sqlite3_stmt *s, void *arg)
{
	struct partner_walk *w = arg;
	int err = partner_read(st, s, w->p);

	return err ? err : w->h(w->p, w->arg);
}


/**
 * Call a handler for each partner agreement, in domain order (store.h:
 * what a handler may do)
 *
 * @param st  Store
 * @param h   Handler; a non-zero return stops the walk
 * @param arg Handler argument
 *
 * @return 0, the handler's non-zero return, EINVAL, EBUSY, ENOMEM or EIO
 */
int store_partner_apply(struct store *st, store_partner_h *h, void *arg)
{
	struct partner_walk w = { h, arg, NULL };
	sqlite3_stmt *s = NULL;
	int err;

	if (!st || !h)
		return EINVAL;

	err = store_writable(st);
	if (!err)
		err = store_stmt(st, &s, ST_PARTNER_ALL);
	if (err)
		return err;

	w.p = mem_zalloc(sizeof(*w.p), NULL);
	if (!w.p)
		return ENOMEM;

	err = store_walk(st, s, partner_row, &w);
	mem_deref(w.p);

	return err;
}
