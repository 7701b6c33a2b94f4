/**
 * @file profiles.c  User profile documents (TS 24.484), kept as imported
 *
 * Keyed by (MC service ID, service, profile index). The store does not
 * parse them: store_import() decodes each before it is put, and the CMS
 * serves the octets as they are. The service is stored by name
 * ("mcptt", ...), not by enum value, so that the file never depends on
 * the order of enum mcx_svc. A document goes when its user goes, and
 * follows a change of the user's MC service ID.
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/profile.h>
#include <mcx/store.h>
#include "store.h"

static const char *const svc_keys[] = {
	[MCX_SVC_MCPTT]   = "mcptt",
	[MCX_SVC_MCVIDEO] = "mcvideo",
	[MCX_SVC_MCDATA]  = "mcdata",
};


static const char *svc_key(enum mcx_svc svc)
{
	return ((unsigned)svc < ARRAY_SIZE(svc_keys)) ? svc_keys[svc] : NULL;
}


/* Bind (mc_id, svc[, index]) to ?1, ?2[, ?3] */
static int bind_key(struct store *st, sqlite3_stmt *s, const char *mc_id,
		    enum mcx_svc svc, int index)
{
	int err, rc;

	err = store_bind_text(st, s, 1, mc_id);
	if (!err)
		err = store_bind_text(st, s, 2, svc_key(svc));
	if (err || index < 0)
		return err;

	rc = sqlite3_bind_int(s, 3, index);

	return rc == SQLITE_OK ? 0 : store_dberr(st, rc);
}


/**
 * Add or replace a user profile document
 *
 * @param st    Store
 * @param mc_id MC service ID of the user, which must exist
 * @param svc   Service whose profile it is
 * @param index Profile index (user-profile-index)
 * @param xml   The document, 1..PROFILE_MAX_SIZE octets (not parsed here)
 * @param len   Its length
 *
 * @return 0, ENOENT (no user with that MC service ID), EINVAL, EBUSY,
 *         ENOMEM or EIO
 */
int store_profile_put(struct store *st, const char *mc_id, enum mcx_svc svc,
		      uint8_t index, const uint8_t *xml, size_t len)
{
	sqlite3_stmt *s = NULL;
	int rc, err;

	if (!st || !mc_id || !xml)
		return EINVAL;
	if (!store_mc_id_domain(mc_id))
		return store_fail(st, EINVAL, "bad MC service ID");
	if (!svc_key(svc))
		return store_fail(st, EINVAL, "bad service");
	if (!len || len > PROFILE_MAX_SIZE)
		return store_fail(st, EINVAL, "document not 1..%d octets",
				  PROFILE_MAX_SIZE);

	err = store_writable(st);
	if (!err)
		err = store_stmt(st, &s, ST_PROF_PUT);
	if (!err)
		err = bind_key(st, s, mc_id, svc, index);
	if (err)
		goto out;

	rc = sqlite3_bind_blob(s, 4, xml, (int)len, SQLITE_STATIC);
	if (rc != SQLITE_OK) {
		err = store_dberr(st, rc);
		goto out;
	}

	err = store_step_done(st, s);
	if (err == ENOENT)
		err = store_fail(st, ENOENT, "no user with MC service ID %s",
				 mc_id);

 out:
	store_reset(s);
	return err;
}


/**
 * Get a user profile document
 *
 * @param st    Store
 * @param mc_id MC service ID of the user
 * @param svc   Service
 * @param index Profile index
 * @param mbp   Where a new mbuf with the document goes (position 0)
 *
 * @return 0, ENOENT, EINVAL, ENOMEM or EIO
 */
int store_profile_get(struct store *st, const char *mc_id, enum mcx_svc svc,
		      uint8_t index, struct mbuf **mbp)
{
	struct mbuf *mb = NULL;
	sqlite3_stmt *s = NULL;
	const void *doc;
	int n, err;

	if (!st || !mc_id || !mbp || !svc_key(svc))
		return EINVAL;

	err = store_stmt(st, &s, ST_PROF_GET);
	if (!err)
		err = bind_key(st, s, mc_id, svc, index);
	if (!err)
		err = store_step_row(st, s);
	if (err == ENOENT)
		err = store_fail(st, ENOENT, "no such profile");
	if (err)
		goto out;

	doc = sqlite3_column_blob(s, 0);
	n = sqlite3_column_bytes(s, 0);
	if (!doc || n <= 0 || n > PROFILE_MAX_SIZE) {
		err = store_fail(st, EIO, "stored profile is empty or too "
				 "large");
		goto out;
	}

	mb = mbuf_alloc((size_t)n);
	if (!mb) {
		err = ENOMEM;
		goto out;
	}
	err = mbuf_write_mem(mb, doc, (size_t)n);
	if (err)
		goto out;
	mb->pos = 0;

	*mbp = mb;
	mb = NULL;

 out:
	mem_deref(mb);
	store_reset(s);
	return err;
}


/**
 * List the profile indexes a user has for a service
 *
 * @param st    Store
 * @param mc_id MC service ID of the user
 * @param svc   Service
 * @param idxv  Where the indexes go, in increasing order
 * @param np    Where their number goes (0 if none: not an error)
 *
 * @return 0, EINVAL, ENOMEM or EIO
 */
int store_profile_list(struct store *st, const char *mc_id,
		       enum mcx_svc svc, uint8_t idxv[STORE_INDEXES],
		       size_t *np)
{
	sqlite3_stmt *s = NULL;
	size_t n = 0;
	int err;

	if (!st || !mc_id || !idxv || !np || !svc_key(svc))
		return EINVAL;

	err = store_stmt(st, &s, ST_PROF_LIST);
	if (!err)
		err = bind_key(st, s, mc_id, svc, -1);

	while (!err && !(err = store_step_row(st, s))) {
		int v = sqlite3_column_int(s, 0);

		if (v < 0 || v >= STORE_INDEXES || n >= STORE_INDEXES)
			err = store_fail(st, EIO, "stored profile index %d",
					 v);
		else
			idxv[n++] = (uint8_t)v;
	}
	if (err == ENOENT) {
		err = 0;
		*np = n;
	}

	store_reset(s);
	return err;
}


/**
 * Delete a user profile document
 *
 * @return 0, ENOENT, EINVAL, EBUSY or EIO
 */
int store_profile_delete(struct store *st, const char *mc_id,
			 enum mcx_svc svc, uint8_t index)
{
	sqlite3_stmt *s = NULL;
	int err;

	if (!st || !mc_id || !svc_key(svc))
		return EINVAL;

	err = store_writable(st);
	if (!err)
		err = store_stmt(st, &s, ST_PROF_DELETE);
	if (!err)
		err = bind_key(st, s, mc_id, svc, index);
	if (!err)
		err = store_step_deleted(st, s, "profile");

	store_reset(s);
	return err;
}
