/**
 * @file regs.c  SIP registrar bindings (RFC 3261 10.3)
 *
 * One row per (address of record, contact URI); a REGISTER that refreshes
 * a binding replaces it. Expiry is an absolute time in UNIX seconds: a
 * binding is expired once now >= expires. The registrar removes expired
 * bindings (store_reg_expire()) before it reads or answers; reads do not
 * filter them. Values are stored as they came in the REGISTER, compared
 * exactly.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/store.h>
#include "store.h"

static int reg_check(struct store *st, const struct store_reg *r)
{
	if (!store_sip_uri_ok(r->aor))
		return store_fail(st, EINVAL, "bad address of record");
	if (!store_sip_uri_ok(r->contact))
		return store_fail(st, EINVAL, "bad contact URI");
	if (r->instance[0] &&
	    !store_text_ok(r->instance, STORE_TOKEN_MAX))
		return store_fail(st, EINVAL, "bad +sip.instance");
	if (!store_token_ok(r->call_id, STORE_TOKEN_MAX))
		return store_fail(st, EINVAL, "bad Call-ID");
	if (r->expires < 0)
		return store_fail(st, EINVAL, "bad expiry time");

	return 0;
}


/* Both ends NUL-terminated within their arrays */
static bool reg_terminated(const struct store_reg *r)
{
	return memchr(r->aor, 0, sizeof(r->aor)) &&
		memchr(r->contact, 0, sizeof(r->contact)) &&
		memchr(r->instance, 0, sizeof(r->instance)) &&
		memchr(r->call_id, 0, sizeof(r->call_id));
}


/**
 * Add or replace the binding of a contact to an address of record
 *
 * @param st Store
 * @param r  The binding; instance "" if the REGISTER had none
 *
 * @return 0, EINVAL, EBUSY, ENOMEM or EIO
 */
int store_reg_put(struct store *st, const struct store_reg *r)
{
	sqlite3_stmt *s = NULL;
	int rc, err;

	if (!st || !r)
		return EINVAL;
	if (!reg_terminated(r))
		return store_fail(st, EINVAL, "binding value not terminated");

	err = store_writable(st);
	if (!err)
		err = reg_check(st, r);
	if (!err)
		err = store_stmt(st, &s, ST_REG_PUT);
	if (!err)
		err = store_bind_text(st, s, 1, r->aor);
	if (!err)
		err = store_bind_text(st, s, 2, r->contact);
	if (!err)
		err = store_bind_text(st, s, 3, r->instance[0] ?
				      r->instance : NULL);
	if (!err)
		err = store_bind_text(st, s, 5, r->call_id);
	if (err)
		goto out;

	rc = sqlite3_bind_int64(s, 4, r->expires);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 6, r->cseq);
	if (rc != SQLITE_OK) {
		err = store_dberr(st, rc);
		goto out;
	}

	err = store_step_done(st, s);

 out:
	store_reset(s);
	return err;
}


/* Read a row of REG_COLS into all of *r */
static int reg_read(struct store *st, sqlite3_stmt *s, struct store_reg *r)
{
	int64_t cseq;
	int err;

	memset(r, 0, sizeof(*r));	/* no stack left-overs after a NUL */
	err = store_col_text(st, r->aor, sizeof(r->aor), s, 0);
	if (!err)
		err = store_col_text(st, r->contact, sizeof(r->contact), s,
				     1);
	if (!err)
		err = store_col_text(st, r->instance, sizeof(r->instance), s,
				     2);
	if (!err)
		err = store_col_text(st, r->call_id, sizeof(r->call_id), s,
				     4);
	if (err)
		return err;

	r->expires = sqlite3_column_int64(s, 3);
	cseq = sqlite3_column_int64(s, 5);
	if (cseq < 0 || cseq > UINT32_MAX)
		return store_fail(st, EIO, "stored CSeq %lld",
				  (long long)cseq);
	r->cseq = (uint32_t)cseq;

	return 0;
}


/**
 * Get the binding of a contact to an address of record
 *
 * @param st      Store
 * @param aor     Address of record
 * @param contact Contact URI
 * @param out     The binding (written only on success)
 *
 * @return 0, ENOENT, EINVAL, ENOMEM or EIO
 */
int store_reg_get(struct store *st, const char *aor, const char *contact,
		  struct store_reg *out)
{
	struct store_reg r;
	sqlite3_stmt *s = NULL;
	int err;

	if (!st || !aor || !contact || !out)
		return EINVAL;

	err = store_stmt(st, &s, ST_REG_GET);
	if (!err)
		err = store_bind_text(st, s, 1, aor);
	if (!err)
		err = store_bind_text(st, s, 2, contact);
	if (!err)
		err = store_step_row(st, s);
	if (err == ENOENT)
		err = store_fail(st, ENOENT, "no such binding");
	if (!err)
		err = reg_read(st, s, &r);
	if (!err)
		*out = r;

	store_reset(s);
	return err;
}


/**
 * Delete the binding of a contact to an address of record
 *
 * @return 0, ENOENT, EINVAL, EBUSY or EIO
 */
int store_reg_delete(struct store *st, const char *aor, const char *contact)
{
	sqlite3_stmt *s = NULL;
	int err;

	if (!st || !aor || !contact)
		return EINVAL;

	err = store_writable(st);
	if (!err)
		err = store_stmt(st, &s, ST_REG_DELETE);
	if (!err)
		err = store_bind_text(st, s, 1, aor);
	if (!err)
		err = store_bind_text(st, s, 2, contact);
	if (!err)
		err = store_step_deleted(st, s, "binding");

	store_reset(s);
	return err;
}


/* Run a bound DELETE and count what went */
static int delete_count(struct store *st, sqlite3_stmt *s, unsigned *np)
{
	int err = store_step_done(st, s);

	if (!err && np)
		*np = (unsigned)sqlite3_changes(st->db);

	return err;
}


/**
 * Delete every binding of an address of record (REGISTER with
 * "Contact: *" and Expires 0, RFC 3261 10.3 step 6)
 *
 * @param st  Store
 * @param aor Address of record
 * @param np  Where the number deleted goes (may be NULL); 0 is no error
 *
 * @return 0, EINVAL, EBUSY or EIO
 */
int store_reg_delete_aor(struct store *st, const char *aor, unsigned *np)
{
	sqlite3_stmt *s = NULL;
	int err;

	if (!st || !aor)
		return EINVAL;

	err = store_writable(st);
	if (!err)
		err = store_stmt(st, &s, ST_REG_DELETE_AOR);
	if (!err)
		err = store_bind_text(st, s, 1, aor);
	if (!err)
		err = delete_count(st, s, np);

	store_reset(s);
	return err;
}


struct reg_walk {
	store_reg_h *h;
	void *arg;
};


static int reg_row(struct store *st, sqlite3_stmt *s, void *arg)
{
	struct reg_walk *w = arg;
	struct store_reg r;
	int err = reg_read(st, s, &r);

	return err ? err : w->h(&r, w->arg);
}


/**
 * Call a handler for each binding of an address of record, in contact
 * order, or of every address of record, in (aor, contact) order
 * (store.h: what a handler may do)
 *
 * @param st  Store
 * @param aor Address of record, or NULL for all
 * @param h   Handler; a non-zero return stops the walk
 * @param arg Handler argument
 *
 * @return 0 (also when there is none), the handler's non-zero return,
 *         EINVAL, EBUSY, ENOMEM or EIO
 */
int store_reg_apply(struct store *st, const char *aor, store_reg_h *h,
		    void *arg)
{
	struct reg_walk w = { h, arg };
	sqlite3_stmt *s = NULL;
	int err;

	if (!st || !h)
		return EINVAL;

	err = store_writable(st);
	if (!err)
		err = store_stmt(st, &s, aor ? ST_REG_LIST : ST_REG_ALL);
	if (!err && aor)
		err = store_bind_text(st, s, 1, aor);
	if (!err)
		return store_walk(st, s, reg_row, &w);

	store_reset(s);
	return err;
}


/**
 * Delete every binding that has expired by a time
 *
 * @param st  Store
 * @param now The time, UNIX seconds: bindings with expires <= now go
 * @param np  Where the number deleted goes (may be NULL)
 *
 * @return 0, EINVAL, EBUSY or EIO
 */
int store_reg_expire(struct store *st, int64_t now, unsigned *np)
{
	sqlite3_stmt *s = NULL;
	int rc, err;

	if (!st)
		return EINVAL;

	err = store_writable(st);
	if (!err)
		err = store_stmt(st, &s, ST_REG_EXPIRE);
	if (err)
		return err;

	rc = sqlite3_bind_int64(s, 1, now);
	if (rc != SQLITE_OK)
		err = store_dberr(st, rc);
	else
		err = delete_count(st, s, np);

	store_reset(s);
	return err;
}
