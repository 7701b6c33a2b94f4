/**
 * @file store.c  Opening the store: SQLite connection, schema steps,
 *                statements, and the helpers every table's file uses
 *
 * Opening, in order:
 *
 *   1. sqlite3_open_v2(), extended result codes, busy timeout
 *   2. read PRAGMA user_version and application_id; refuse, before
 *      changing anything in the file, a database of another application
 *      (application_id not STORE_APP_ID, unless the file is new) or of a
 *      newer schema than STORE_SCHEMA_VERSION
 *   3. foreign keys on; journal mode WAL (files only) with
 *      synchronous=NORMAL: a crash of the process loses nothing, a power
 *      cut may lose the last transactions but never corrupts
 *   4. each missing schema step in its own BEGIN IMMEDIATE transaction
 *      that also sets user_version (and, with the first, application_id);
 *      the version is read again inside it, so two processes opening one
 *      file at once apply each step once
 *
 * Statements are prepared on first use and kept until the store goes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/store.h>
#include <mcx/str.h>
#include "store.h"


static void destructor(void *arg)
{
	struct store *st = arg;

	for (size_t i = 0; i < ST_COUNT; i++)
		(void)sqlite3_finalize(st->stmt[i]);

	(void)sqlite3_close(st->db);
}


/**
 * Map an SQLite result code to ours and keep sqlite3_errmsg() as the
 * reason: constraint failures are EEXIST (unique) or ENOENT (a referenced
 * row is missing), a lock held past the busy timeout is EBUSY.
 *
 * @param st Store
 * @param rc SQLite (extended) result code, not SQLITE_OK
 *
 * @return The errno code
 */
int store_dberr(struct store *st, int rc)
{
	int err;

	switch (rc) {

	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		err = EEXIST;
		break;

	case SQLITE_CONSTRAINT_FOREIGNKEY:
		err = ENOENT;
		break;

	default:
		switch (rc & 0xff) {

		case SQLITE_NOMEM:	err = ENOMEM; break;
		case SQLITE_BUSY:
		case SQLITE_LOCKED:	err = EBUSY;  break;
		case SQLITE_CONSTRAINT:	err = EINVAL; break;
		default:		err = EIO;    break;
		}
	}

	return mcx_diag_set(&st->diag, err, "%s", sqlite3_errmsg(st->db));
}


/** Set the reason for a failure and hand back the error code */
int store_fail(struct store *st, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = mcx_diag_vset(&st->diag, err, fmt, ap);
	va_end(ap);

	return err;
}


/**
 * The prepared statement for an id, prepared on first use
 *
 * @param st Store
 * @param sp Where the statement goes (owned by the store)
 * @param id Which
 *
 * @return 0, ENOMEM or EIO
 */
int store_stmt(struct store *st, sqlite3_stmt **sp, enum stmt id)
{
	int rc;

	*sp = NULL;
	if ((unsigned)id >= ST_COUNT)
		return EINVAL;

	if (!st->stmt[id]) {
		rc = sqlite3_prepare_v3(st->db, store_sql(id), -1,
					SQLITE_PREPARE_PERSISTENT,
					&st->stmt[id], NULL);
		if (rc != SQLITE_OK)
			return store_dberr(st, rc);
	}

	*sp = st->stmt[id];
	return 0;
}


/** End a use of a statement: reset it and drop its bindings */
void store_reset(sqlite3_stmt *s)
{
	if (!s)
		return;

	(void)sqlite3_reset(s);
	(void)sqlite3_clear_bindings(s);
}


/** Step a statement that returns no row (INSERT, UPDATE, DELETE, ...) */
int store_step_done(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_ROW)
		return store_fail(st, EIO, "statement returned a row");

	return store_dberr(st, rc);
}


/** Step a DELETE of one thing: ENOENT "no such <what>" if it was not there */
int store_step_deleted(struct store *st, sqlite3_stmt *s, const char *what)
{
	int err = store_step_done(st, s);

	if (!err && !sqlite3_changes(st->db))
		err = store_fail(st, ENOENT, "no such %s", what);

	return err;
}


/** Step a query: 0 with a row, ENOENT at the end, or an error */
int store_step_row(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return ENOENT;

	return store_dberr(st, rc);
}


/**
 * Bind a string parameter; the string must live until store_reset().
 *
 * @param v Value, or NULL for SQL NULL
 */
int store_bind_text(struct store *st, sqlite3_stmt *s, int i, const char *v)
{
	int rc;

	if (v)
		rc = sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		rc = sqlite3_bind_null(s, i);

	return rc == SQLITE_OK ? 0 : store_dberr(st, rc);
}


/**
 * Copy a text column into a fixed-size array; NULL reads as "". A value
 * that does not fit was not written by us: EIO, never truncation.
 */
int store_col_text(struct store *st, char *dst, size_t size,
		   sqlite3_stmt *s, int col)
{
	const unsigned char *t;
	int n;

	if (sqlite3_column_type(s, col) == SQLITE_NULL) {
		dst[0] = '\0';
		return 0;
	}

	t = sqlite3_column_text(s, col);
	if (!t)
		return store_fail(st, ENOMEM, "out of memory reading %s",
				  sqlite3_column_name(s, col));

	n = sqlite3_column_bytes(s, col);
	if (n < 0 || (size_t)n >= size)
		return store_fail(st, EIO, "stored %s longer than %zu",
				  sqlite3_column_name(s, col), size - 1);

	memcpy(dst, t, (size_t)n);
	dst[n] = '\0';

	return 0;
}


/** Writes are refused while an apply walk is under way (store.h) */
int store_writable(struct store *st)
{
	if (st->walks)
		return store_fail(st, EBUSY, "store written from inside an "
				  "apply handler");

	return 0;
}


/**
 * Walk the rows of a bound query, calling rowh for each with the store
 * held and writes refused (store.h); resets the statement
 *
 * @return 0 at the end, rowh's non-zero return, or an error
 */
int store_walk(struct store *st, sqlite3_stmt *s, store_row_h *rowh,
	       void *arg)
{
	int err;

	mem_ref(st);
	++st->walks;
	for (;;) {
		err = store_step_row(st, s);
		if (err == ENOENT) {
			err = 0;
			break;
		}
		if (!err)
			err = rowh(st, s, arg);
		if (err)
			break;
	}
	--st->walks;
	store_reset(s);
	mem_deref(st);

	return err;
}


static int run(struct store *st, enum stmt id)
{
	sqlite3_stmt *s = NULL;
	int err = store_stmt(st, &s, id);

	if (!err)
		err = store_step_done(st, s);
	store_reset(s);

	return err;
}


/** Begin a write transaction (BEGIN IMMEDIATE: lock now, not later) */
int store_tx_begin(struct store *st)
{
	int err;

	if (st->in_tx)
		return store_fail(st, EBUSY, "transaction already open");

	err = run(st, ST_BEGIN);
	if (!err)
		st->in_tx = true;

	return err;
}


/**
 * End a transaction: commit if err is 0, else roll back
 *
 * @return err, or the commit's error (then rolled back)
 */
int store_tx_end(struct store *st, int err)
{
	struct mcx_diag keep;

	if (!st->in_tx)
		return err;

	if (!err)
		err = run(st, ST_COMMIT);

	/* SQLite may have rolled back already (I/O error, out of memory) */
	if (err && !sqlite3_get_autocommit(st->db)) {
		keep = st->diag;
		(void)run(st, ST_ROLLBACK);
		st->diag = keep;
	}

	st->in_tx = false;
	return err;
}


/* ---- opening ---- */

static int exec(struct store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : store_dberr(st, rc);
}


/* A pragma's one-row answer as text */
static int pragma_text(struct store *st, const char *sql, char *buf,
		       size_t size)
{
	sqlite3_stmt *s = NULL;
	int rc, err;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_dberr(st, rc);

	err = store_step_row(st, s);
	if (err == ENOENT)
		err = store_fail(st, EIO, "%s: no answer", sql);
	if (!err)
		err = store_col_text(st, buf, size, s, 0);

	(void)sqlite3_finalize(s);
	return err;
}


static int version_read(struct store *st, unsigned *vp)
{
	sqlite3_stmt *s = NULL;
	int64_t v;
	int err;

	err = store_stmt(st, &s, ST_VERSION);
	if (err)
		return err;

	err = store_step_row(st, s);
	if (err == ENOENT)
		err = store_fail(st, EIO, "no user_version");
	if (!err) {
		v = sqlite3_column_int64(s, 0);
		if (v < 0 || v > 1000000)
			err = store_fail(st, EIO, "bad user_version %lld",
					 (long long)v);
		else
			*vp = (unsigned)v;
	}

	store_reset(s);
	return err;
}


static int newer(struct store *st, unsigned v)
{
	return store_fail(st, ENOTSUP, "database schema version %u is newer "
			  "than this mcx supports (%u)", v,
			  STORE_SCHEMA_VERSION);
}


/* Is this a database of ours (or a new one)? Is it not too new? */
static int kind_check(struct store *st, unsigned v)
{
	char app[24];
	int err;

	err = pragma_text(st, "PRAGMA application_id", app, sizeof(app));
	if (err)
		return err;

	if (strcmp(app, "0") || v) {
		char *end = NULL;
		long long id = strtoll(app, &end, 10);

		if (!end || *end || id != STORE_APP_ID)
			return store_fail(st, EIO, "not an mcx database "
					  "(application_id %s, user_version "
					  "%u)", app, v);
	}

	if (v > STORE_SCHEMA_VERSION)
		return newer(st, v);

	return 0;
}


static int settings(struct store *st, const char *path)
{
	char mode[16];
	int err;

	err = exec(st, "PRAGMA foreign_keys = ON");
	if (err)
		return err;

	err = pragma_text(st, "PRAGMA foreign_keys", mode, sizeof(mode));
	if (!err && strcmp(mode, "1"))
		err = store_fail(st, EIO, "foreign keys not supported");
	if (err)
		return err;

	if (!strcmp(path, ":memory:") || !path[0])
		return 0;

	err = pragma_text(st, "PRAGMA journal_mode = WAL", mode,
			  sizeof(mode));
	if (!err && strcasecmp(mode, "wal"))
		err = store_fail(st, EIO, "journal mode WAL refused (%s)",
				 mode);
	if (!err)
		err = exec(st, "PRAGMA synchronous = NORMAL");

	return err;
}


/* Apply the missing steps up to target, one transaction each */
static int migrate(struct store *st, unsigned target)
{
	char sql[64];
	unsigned v;
	int err;

	for (;;) {
		err = store_tx_begin(st);
		if (err)
			return err;

		err = version_read(st, &v);
		if (!err && v > STORE_SCHEMA_VERSION)
			err = newer(st, v);
		if (err || v >= target) {
			if (!err)
				st->version = v;
			return store_tx_end(st, err);
		}

		err = exec(st, store_step_sql(v + 1));
		if (err) {
			struct mcx_diag why = st->diag;

			err = store_fail(st, err, "schema step %u: %s", v + 1,
					 why.reason);
		}
		if (!err && !v) {
			(void)re_snprintf(sql, sizeof(sql),
					  "PRAGMA application_id = %d",
					  STORE_APP_ID);
			err = exec(st, sql);
		}
		if (!err) {
			(void)re_snprintf(sql, sizeof(sql),
					  "PRAGMA user_version = %u", v + 1);
			err = exec(st, sql);
		}

		err = store_tx_end(st, err);
		if (err)
			return err;
	}
}


/**
 * Open a store, bringing its schema to a given version (tests build
 * older databases with it)
 *
 * @param stp     Where the store goes
 * @param path    SQLite database file, or ":memory:"
 * @param version Schema version to bring it to, 1..STORE_SCHEMA_VERSION
 * @param diag    Reason on failure
 *
 * @return 0 or an error of store_open()
 */
int store_open_version(struct store **stp, const char *path,
		       unsigned version, struct mcx_diag *diag)
{
	const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	struct store *st;
	unsigned v;
	int rc, err;

	if (!stp || !path || !version || version > STORE_SCHEMA_VERSION)
		return EINVAL;

	st = mem_zalloc(sizeof(*st), destructor);
	if (!st)
		return ENOMEM;

	rc = sqlite3_open_v2(path, &st->db, flags, NULL);
	if (!st->db) {
		err = mcx_diag_set(diag, ENOMEM, "%s: out of memory", path);
		goto out;
	}
	if (rc != SQLITE_OK) {
		err = store_dberr(st, rc);
		goto out;
	}

	(void)sqlite3_extended_result_codes(st->db, 1);
	(void)sqlite3_busy_timeout(st->db, STORE_BUSY_MS);

	err = version_read(st, &v);
	if (!err)
		err = kind_check(st, v);
	if (err)
		goto out;

	err = settings(st, path);
	if (err)
		goto out;

	st->version = v;
	if (v < version)
		err = migrate(st, version);

 out:
	if (err) {
		if (st->db)
			(void)mcx_diag_prefix(&st->diag, err, path);
		if (diag && st->diag.reason[0])
			*diag = st->diag;
		mem_deref(st);
		return err;
	}

	mcx_diag_clear(&st->diag);
	*stp = st;
	return 0;
}


/**
 * Open a store and bring its schema up to date
 *
 * A file database runs in WAL mode with foreign keys on and a busy
 * timeout of STORE_BUSY_MS; ":memory:" is a private database that goes
 * with the store. Each missing schema step runs in its own transaction
 * with its PRAGMA user_version; a database of a newer version is refused
 * untouched.
 *
 * @param stp  Where the store goes (assigned only on success); release it
 *             with mem_deref(), which finalizes statements and closes
 * @param path SQLite database file (created if absent), or ":memory:"
 * @param diag Reason on failure, naming the file (may be NULL)
 *
 * @return 0, ENOTSUP (newer database; the reason has both versions),
 *         EBUSY, EIO (not a database, cannot open, a step failed),
 *         ENOMEM or EINVAL
 */
int store_open(struct store **stp, const char *path, struct mcx_diag *diag)
{
	return store_open_version(stp, path, STORE_SCHEMA_VERSION, diag);
}


/** The schema version of an open store (user_version), 0 if none */
unsigned store_version(const struct store *st)
{
	return st ? st->version : 0;
}


/**
 * Why the last call on this store failed, e.g. "bad login name" or
 * sqlite3_errmsg()'s text. Meaningful right after a call returned an
 * error; never NULL.
 */
const char *store_reason(const struct store *st)
{
	return st ? st->diag.reason : "";
}


/* ---- value checks ---- */

/** 1..maxlen printable ASCII characters, no space (a URI, a token) */
bool store_token_ok(const char *s, size_t maxlen)
{
	size_t n = 0;

	if (!s || !*s)
		return false;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c >= 0x7f || ++n > maxlen)
			return false;
	}

	return true;
}


/** 0..maxlen octets of UTF-8 text without control characters */
bool store_text_ok(const char *s, size_t maxlen)
{
	size_t n;

	if (!s)
		return false;

	n = strnlen(s, maxlen + 1);
	if (n > maxlen || !mcx_utf8_valid((const uint8_t *)s, n))
		return false;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			return false;
	}

	return true;
}


/** A SIP or SIPS URI with no white space (RFC 3261 19.1) */
bool store_sip_uri_ok(const char *s)
{
	if (!store_token_ok(s, STORE_URI_MAX))
		return false;

	if (!strncasecmp(s, "sip:", 4))
		return s[4] != '\0';
	if (!strncasecmp(s, "sips:", 5))
		return s[5] != '\0';

	return false;
}


/** An http or https URL with no white space */
bool store_url_ok(const char *s)
{
	if (!store_token_ok(s, STORE_URI_MAX))
		return false;

	if (!strncasecmp(s, "http://", 7))
		return s[7] != '\0';
	if (!strncasecmp(s, "https://", 8))
		return s[8] != '\0';

	return false;
}


/** A login name: [a-z0-9._-]{1,STORE_NAME_MAX} */
bool store_name_ok(const char *s)
{
	size_t n = 0;

	if (!s || !*s)
		return false;

	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
		if (++n > STORE_NAME_MAX)
			return false;
	}

	return true;
}


static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		(c >= 'A' && c <= 'F');
}


/* RFC 3261 25.1 user: unreserved, escaped and user-unreserved; ends at
 * the '@', which must follow */
static const char *user_end(const char *s)
{
	const char *p = s;

	while (*p && *p != '@') {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.!~*'()&=+$,;?/", *p))
			++p;
		else if (*p == '%' && is_hex(p[1]) && is_hex(p[2]))
			p += 3;
		else
			return NULL;
	}

	return (*p == '@' && p > s) ? p : NULL;
}


/** A SIP private identity as a NAI: USER@DOMAIN (TS 23.003 13.3) */
bool store_impi_ok(const char *s)
{
	const char *at;

	if (!store_token_ok(s, STORE_URI_MAX))
		return false;

	at = user_end(s);

	return at && mcx_domain_valid(at + 1);
}


/**
 * Check an MC service ID, which mcx writes sip:USER@DOMAIN, and find its
 * domain
 *
 * @return The domain inside mc_id, or NULL if mc_id is not of that form
 */
const char *store_mc_id_domain(const char *mc_id)
{
	const char *at;

	if (!store_token_ok(mc_id, STORE_URI_MAX) ||
	    strncasecmp(mc_id, "sip:", 4))
		return NULL;

	at = user_end(mc_id + 4);
	if (!at || !mcx_domain_valid(at + 1))
		return NULL;

	return at + 1;
}
