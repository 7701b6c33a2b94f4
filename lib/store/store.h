/**
 * @file store.h  The store's private interface (lib/store only, and tests)
 *
 * A statement is named by enum stmt; its SQL text is in sql.c. It is
 * prepared on first use and kept for the life of the store. Every use
 * ends in store_reset(), which also clears its bindings, so that no
 * statement holds a read lock or a caller's string after a call returns.
 */
#ifndef MCX_STORE_PRIV_H
#define MCX_STORE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include <mcx/diag.h>

enum {
	STORE_SCHEMA_VERSION = 4,	/**< user_version the code brings  */
	STORE_APP_ID = 0x6d637873,	/**< application_id: "mcxs"        */
	STORE_BUSY_MS = 2000,		/**< Wait for another's lock, ms   */
};

enum stmt {
	ST_BEGIN = 0,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_VERSION,

	ST_USER_INSERT,
	ST_USER_UPSERT,
	ST_USER_CRED,
	ST_USER_BY_NAME,	/* the four in enum store_key's order */
	ST_USER_BY_MC_ID,
	ST_USER_BY_IMPI,
	ST_USER_BY_IMPU,
	ST_USER_DELETE,
	ST_USER_COUNT,
	ST_USER_ALL,

	ST_PROF_PUT,
	ST_PROF_GET,
	ST_PROF_LIST,
	ST_PROF_DELETE,

	ST_REG_PUT,
	ST_REG_GET,
	ST_REG_DELETE,
	ST_REG_DELETE_AOR,
	ST_REG_LIST,
	ST_REG_ALL,
	ST_REG_EXPIRE,

	ST_PARTNER_PUT,
	ST_PARTNER_GET,
	ST_PARTNER_DELETE,
	ST_PARTNER_ALL,

	ST_COUNT
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[ST_COUNT];	/* prepared on first use         */
	unsigned version;		/* user_version after opening    */
	unsigned walks;			/* apply walks under way         */
	bool in_tx;			/* store_tx_begin() done         */
	struct mcx_diag diag;		/* reason for the last failure   */
};

/** Reads one row of a walk and hands it on */
typedef int (store_row_h)(struct store *st, sqlite3_stmt *s, void *arg);

/* sql.c */
const char *store_sql(enum stmt id);
const char *store_step_sql(unsigned version);

/* store.c */
int  store_open_version(struct store **stp, const char *path,
			unsigned version, struct mcx_diag *diag);
int  store_stmt(struct store *st, sqlite3_stmt **sp, enum stmt id);
void store_reset(sqlite3_stmt *s);
int  store_dberr(struct store *st, int rc);
int  store_fail(struct store *st, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int  store_step_done(struct store *st, sqlite3_stmt *s);
int  store_step_deleted(struct store *st, sqlite3_stmt *s, const char *what);
int  store_step_row(struct store *st, sqlite3_stmt *s);
int  store_bind_text(struct store *st, sqlite3_stmt *s, int i,
		     const char *v);
int  store_col_text(struct store *st, char *dst, size_t size,
		    sqlite3_stmt *s, int col);
int  store_writable(struct store *st);
int  store_walk(struct store *st, sqlite3_stmt *s, store_row_h *rowh,
		void *arg);
int  store_tx_begin(struct store *st);
int  store_tx_end(struct store *st, int err);

bool store_token_ok(const char *s, size_t maxlen);
bool store_text_ok(const char *s, size_t maxlen);
bool store_sip_uri_ok(const char *s);
bool store_url_ok(const char *s);
bool store_name_ok(const char *s);
bool store_impi_ok(const char *s);
const char *store_mc_id_domain(const char *mc_id);

/* partners.c */
int  store_pubkey_check(struct store *st, const char *pem);

#endif
