/**
 * @file users.c  Users: identities and credentials
 *
 * Two kinds of credential are kept for a user, derived from one password:
 *
 *   ha1      SIP digest (RFC 2617 3.2.2.2, RFC 7616 3.4.2, algorithm MD5):
 *            lowercase hex of MD5(IMPI ":" realm ":" password). The SIP
 *            registrar needs it to check a digest response.
 *   pw_*     the IdMS login: PBKDF2-HMAC-SHA256 (RFC 8018 5.2) with a
 *            random STORE_SALT_LEN-octet salt and the iteration count it
 *            was made with, checked in constant time.
 *
 * Writing a user whose password still matches keeps the stored salt and
 * hash, so that importing the same file twice leaves the same rows; a
 * hash made with fewer iterations than STORE_PBKDF2_ITER is made again.
 */
#include <errno.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/store.h>
#include <mcx/str.h>
#include "store.h"

enum {
	STORE_PBKDF2_ITER = 20000,	/**< PBKDF2 iterations for new hashes */
	STORE_PBKDF2_ITER_MAX = 10000000, /**< Most accepted when stored    */
	STORE_SALT_LEN = 16,		/**< PBKDF2 salt, octets            */
	STORE_PWHASH_LEN = 32,		/**< PBKDF2 output: SHA-256 size    */
	MD5_LEN = 16,
};

/* A login hash as stored */
struct cred {
	uint8_t salt[STORE_SALT_LEN];
	uint8_t hash[STORE_PWHASH_LEN];
	unsigned iter;
};


static int pbkdf2(struct store *st, const char *pw, size_t pwlen,
		  const struct cred *c, uint8_t out[STORE_PWHASH_LEN])
{
	if (!PKCS5_PBKDF2_HMAC(pw, (int)pwlen, c->salt, sizeof(c->salt),
			       (int)c->iter, EVP_sha256(), STORE_PWHASH_LEN,
			       out))
		return store_fail(st, EIO, "PBKDF2 failed");

	return 0;
}


/* HA1 = MD5(username ":" realm ":" password), RFC 7616 3.4.2 */
static int ha1_make(struct store *st, char out[STORE_HA1_LEN + 1],
		    const char *impi, const char *realm, const char *pw)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	if (!ctx)
		return store_fail(st, ENOMEM, "out of memory");

	ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) &&
		EVP_DigestUpdate(ctx, impi, strlen(impi)) &&
		EVP_DigestUpdate(ctx, ":", 1) &&
		EVP_DigestUpdate(ctx, realm, strlen(realm)) &&
		EVP_DigestUpdate(ctx, ":", 1) &&
		EVP_DigestUpdate(ctx, pw, strlen(pw)) &&
		EVP_DigestFinal_ex(ctx, md, &mdlen) && mdlen == MD5_LEN;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return store_fail(st, EIO, "MD5 not available");

	for (size_t i = 0; i < MD5_LEN; i++) {
		out[2 * i]     = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[STORE_HA1_LEN] = '\0';

	return 0;
}


static bool password_ok(const char *pw)
{
	return store_text_ok(pw, STORE_PASSWORD_MAX) && pw[0];
}


static int user_check(struct store *st, const struct store_user_new *u)
{
	if (!store_name_ok(u->name))
		return store_fail(st, EINVAL, "bad login name");
	if (!store_mc_id_domain(u->mc_id))
		return store_fail(st, EINVAL, "bad MC service ID (expected "
				  "sip:USER@DOMAIN)");
	if (!store_impi_ok(u->impi))
		return store_fail(st, EINVAL, "bad IMPI (expected "
				  "USER@DOMAIN)");
	if (!store_sip_uri_ok(u->impu))
		return store_fail(st, EINVAL, "bad IMPU (expected a SIP URI)");
	if (!mcx_domain_valid(u->realm))
		return store_fail(st, EINVAL, "bad realm (expected a domain)");
	if (!u->password || !password_ok(u->password))
		return store_fail(st, EINVAL, "bad password (1..%d octets of "
				  "text)", STORE_PASSWORD_MAX);
	if (u->display_name &&
	    !store_text_ok(u->display_name, STORE_DISPLAY_MAX))
		return store_fail(st, EINVAL, "bad display name (UTF-8 text, "
				  "at most %d octets)", STORE_DISPLAY_MAX);

	return 0;
}


/* The stored login hash of a user: 0, ENOENT or an error */
static int cred_get(struct store *st, const char *name, struct cred *c)
{
	const void *salt, *hash;
	sqlite3_stmt *s = NULL;
	int64_t iter;
	int err;

	err = store_stmt(st, &s, ST_USER_CRED);
	if (err)
		return err;

	err = store_bind_text(st, s, 1, name);
	if (!err)
		err = store_step_row(st, s);
	if (err)
		goto out;

	salt = sqlite3_column_blob(s, 0);
	hash = sqlite3_column_blob(s, 2);
	iter = sqlite3_column_int64(s, 1);
	if (!salt || sqlite3_column_bytes(s, 0) != STORE_SALT_LEN ||
	    !hash || sqlite3_column_bytes(s, 2) != STORE_PWHASH_LEN ||
	    iter < 1 || iter > STORE_PBKDF2_ITER_MAX) {
		err = store_fail(st, EIO, "user %s: stored password hash is "
				 "malformed", name);
		goto out;
	}

	memcpy(c->salt, salt, STORE_SALT_LEN);
	memcpy(c->hash, hash, STORE_PWHASH_LEN);
	c->iter = (unsigned)iter;

 out:
	store_reset(s);
	return err;
}


/* Keep the stored hash if the password still matches (see file comment) */
static int cred_make(struct store *st, const struct store_user_new *u,
		     bool reuse, struct cred *c)
{
	uint8_t h[STORE_PWHASH_LEN];
	int err;

	if (reuse) {
		err = cred_get(st, u->name, c);
		if (err && err != ENOENT)
			return err;
		if (!err && c->iter >= STORE_PBKDF2_ITER) {
			err = pbkdf2(st, u->password, strlen(u->password), c,
				     h);
			if (err)
				return err;
			if (!CRYPTO_memcmp(h, c->hash, sizeof(h)))
				return 0;
		}
	}

	if (RAND_bytes(c->salt, sizeof(c->salt)) != 1)
		return store_fail(st, EIO, "no random salt");

	c->iter = STORE_PBKDF2_ITER;

	return pbkdf2(st, u->password, strlen(u->password), c, c->hash);
}


static int user_write(struct store *st, const struct store_user_new *u,
		      bool upsert)
{
	char ha1[STORE_HA1_LEN + 1];
	sqlite3_stmt *s = NULL;
	struct cred c;
	int rc, err;

	if (!st || !u)
		return EINVAL;

	err = store_writable(st);
	if (!err)
		err = user_check(st, u);
	if (!err)
		err = ha1_make(st, ha1, u->impi, u->realm, u->password);
	if (!err)
		err = cred_make(st, u, upsert, &c);
	if (!err)
		err = store_stmt(st, &s, upsert ? ST_USER_UPSERT :
				 ST_USER_INSERT);
	if (err)
		goto out;

	err = store_bind_text(st, s, 1, u->name);
	if (!err)
		err = store_bind_text(st, s, 2, u->mc_id);
	if (!err)
		err = store_bind_text(st, s, 3, u->impi);
	if (!err)
		err = store_bind_text(st, s, 4, u->impu);
	if (!err)
		err = store_bind_text(st, s, 5, u->realm);
	if (!err)
		err = store_bind_text(st, s, 6, ha1);
	if (!err)
		err = store_bind_text(st, s, 7, u->display_name ?
				      u->display_name : "");
	if (err)
		goto out;

	rc = sqlite3_bind_blob(s, 8, c.salt, sizeof(c.salt),
			       SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(s, 9, c.iter);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(s, 10, c.hash, sizeof(c.hash),
				       SQLITE_STATIC);
	if (rc != SQLITE_OK) {
		err = store_dberr(st, rc);
		goto out;
	}

	err = store_step_done(st, s);
	if (err == EEXIST)
		(void)mcx_diag_prefix(&st->diag, err, "name, MC service ID "
				      "or IMPI taken");

 out:
	store_reset(s);
	return err;
}


/**
 * Add a user
 *
 * Computes the digest HA1 from IMPI, realm and password, and a salted
 * PBKDF2 hash of the password for the IdMS login; the password itself is
 * not kept.
 *
 * @param st Store
 * @param u  The user; display_name may be NULL
 *
 * @return 0, EEXIST (the name, MC service ID or IMPI is taken), EINVAL
 *         (a bad value: store_reason() names it), EBUSY, ENOMEM or EIO
 */
int store_user_add(struct store *st, const struct store_user_new *u)
{
	return user_write(st, u, false);
}


/**
 * Add a user, or update the user of that login name (re-import)
 *
 * @param st Store
 * @param u  The user; every value is replaced, the password hash only
 *           if the password changed
 *
 * @return 0, EEXIST (the MC service ID or IMPI is another user's),
 *         EINVAL, EBUSY, ENOMEM or EIO
 */
int store_user_put(struct store *st, const struct store_user_new *u)
{
	return user_write(st, u, true);
}


/* Read a row of ST_USER_ALL's columns */
static int user_read(struct store *st, sqlite3_stmt *s, struct store_user *u)
{
	int err;

	memset(u, 0, sizeof(*u));	/* no stack left-overs after a NUL */
	err = store_col_text(st, u->name, sizeof(u->name), s, 0);
	if (!err)
		err = store_col_text(st, u->mc_id, sizeof(u->mc_id), s, 1);
	if (!err)
		err = store_col_text(st, u->impi, sizeof(u->impi), s, 2);
	if (!err)
		err = store_col_text(st, u->impu, sizeof(u->impu), s, 3);
	if (!err)
		err = store_col_text(st, u->realm, sizeof(u->realm), s, 4);
	if (!err)
		err = store_col_text(st, u->ha1, sizeof(u->ha1), s, 5);
	if (!err)
		err = store_col_text(st, u->display_name,
				     sizeof(u->display_name), s, 6);

	return err;
}


/**
 * Find a user
 *
 * @param st    Store
 * @param key   Which value to look for; STORE_BY_IMPU, which is not
 *              unique, gives the first such user by login name
 * @param value The value, compared exactly
 * @param out   The user (written only on success)
 *
 * @return 0, ENOENT, EINVAL, ENOMEM or EIO
 */
int store_user_get(struct store *st, enum store_key key, const char *value,
		   struct store_user *out)
{
	struct store_user u;
	sqlite3_stmt *s = NULL;
	int err;

	if (!st || !value || !out || (unsigned)key > STORE_BY_IMPU)
		return EINVAL;

	err = store_stmt(st, &s, ST_USER_BY_NAME + key);
	if (!err)
		err = store_bind_text(st, s, 1, value);
	if (!err)
		err = store_step_row(st, s);
	if (err == ENOENT)
		err = store_fail(st, ENOENT, "no such user");
	if (!err)
		err = user_read(st, s, &u);
	if (!err)
		*out = u;

	store_reset(s);
	return err;
}


/**
 * Delete a user, and with it the user's profile documents
 *
 * @return 0, ENOENT, EINVAL, EBUSY or EIO
 */
int store_user_delete(struct store *st, const char *name)
{
	sqlite3_stmt *s = NULL;
	int err;

	if (!st || !name)
		return EINVAL;

	err = store_writable(st);
	if (!err)
		err = store_stmt(st, &s, ST_USER_DELETE);
	if (!err)
		err = store_bind_text(st, s, 1, name);
	if (!err)
		err = store_step_deleted(st, s, "user");

	store_reset(s);
	return err;
}


/**
 * Count the users
 *
 * @param st Store
 * @param np Where the number goes
 *
 * @return 0, EINVAL, ENOMEM or EIO
 */
int store_user_count(struct store *st, unsigned *np)
{
	sqlite3_stmt *s = NULL;
	int err;

	if (!st || !np)
		return EINVAL;

	err = store_stmt(st, &s, ST_USER_COUNT);
	if (!err)
		err = store_step_row(st, s);
	if (err == ENOENT)
		err = store_fail(st, EIO, "count gave no row");
	if (!err)
		*np = (unsigned)sqlite3_column_int64(s, 0);

	store_reset(s);
	return err;
}


struct user_walk {
	store_user_h *h;
	void *arg;
};


static int user_row(struct store *st, sqlite3_stmt *s, void *arg)
{
	struct user_walk *w = arg;
	struct store_user u;
	int err = user_read(st, s, &u);

	return err ? err : w->h(&u, w->arg);
}


/**
 * Call a handler for each user, in login name order (store.h: what a
 * handler may do)
 *
 * @param st  Store
 * @param h   Handler; a non-zero return stops the walk
 * @param arg Handler argument
 *
 * @return 0, the handler's non-zero return, EINVAL, EBUSY, ENOMEM or EIO
 */
int store_user_apply(struct store *st, store_user_h *h, void *arg)
{
	struct user_walk w = { h, arg };
	sqlite3_stmt *s = NULL;
	int err;

	if (!st || !h)
		return EINVAL;

	err = store_writable(st);
	if (!err)
		err = store_stmt(st, &s, ST_USER_ALL);
	if (!err)
		err = store_walk(st, s, user_row, &w);

	return err;
}


/**
 * Check a user's IdMS login password
 *
 * Takes the same time whether or not the user exists: an unknown name
 * still costs one PBKDF2 with a fixed salt. The hashes are compared with
 * CRYPTO_memcmp().
 *
 * @param st       Store
 * @param name     Login name
 * @param password Password in clear
 *
 * @return 0 if it is the user's password, EACCES if not (or no such
 *         user), EINVAL, ENOMEM or EIO
 */
int store_password_check(struct store *st, const char *name,
			 const char *password)
{
	static const struct cred dummy = { .iter = STORE_PBKDF2_ITER };
	uint8_t h[STORE_PWHASH_LEN];
	struct cred c = dummy;
	size_t pwlen;
	bool found = false;
	int err;

	if (!st || !name || !password)
		return EINVAL;

	pwlen = strnlen(password, STORE_PASSWORD_MAX + 1);
	if (store_name_ok(name) && pwlen <= STORE_PASSWORD_MAX) {
		err = cred_get(st, name, &c);
		if (err && err != ENOENT)
			return err;
		found = !err;
		if (!found)
			c = dummy;
	}
	if (pwlen > STORE_PASSWORD_MAX)
		pwlen = STORE_PASSWORD_MAX;

	err = pbkdf2(st, password, pwlen, &c, h);
	if (err)
		return err;

	if (!found || CRYPTO_memcmp(h, c.hash, sizeof(h)))
		return store_fail(st, EACCES, "wrong name or password");

	return 0;
}
