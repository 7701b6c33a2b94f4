/**
 * @file sql.c  Every SQL text of mcx: the schema steps and the statements
 *
 * One file so that a second backend (PostgreSQL, design.md section 6) has
 * one place to translate. Plain SQL that both engines understand where
 * possible: TEXT, INTEGER, BLOB (bytea), INSERT ... ON CONFLICT DO UPDATE.
 *
 * Schema steps. steps[k] takes a database from user_version k to k + 1
 * and runs in one transaction with the new user_version. Steps are only
 * ever appended: a released step is never edited, since databases in the
 * field have already run it.
 */
#include <stddef.h>
#include <re.h>
#include "store.h"

static const char *const steps[] = {

	/* 1: users. pw_* is the IdMS login hash: PBKDF2-HMAC-SHA256 with
	 * its own salt and iteration count, so that a later, higher count
	 * applies as each user is next written. */
	"CREATE TABLE users ("
	"  id           INTEGER PRIMARY KEY,"
	"  name         TEXT NOT NULL UNIQUE,"
	"  mc_id        TEXT NOT NULL UNIQUE,"
	"  impi         TEXT NOT NULL UNIQUE,"
	"  impu         TEXT NOT NULL,"
	"  realm        TEXT NOT NULL,"
	"  ha1          TEXT NOT NULL,"
	"  pw_salt      BLOB NOT NULL,"
	"  pw_iter      INTEGER NOT NULL,"
	"  pw_hash      BLOB NOT NULL,"
	"  display_name TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE INDEX users_impu ON users (impu);",

	/* 2: user profile documents, gone with their user */
	"CREATE TABLE profiles ("
	"  mc_id TEXT NOT NULL REFERENCES users (mc_id)"
	"        ON UPDATE CASCADE ON DELETE CASCADE,"
	"  svc   TEXT NOT NULL CHECK (svc IN ('mcptt', 'mcvideo', 'mcdata')),"
	"  idx   INTEGER NOT NULL CHECK (idx BETWEEN 0 AND 255),"
	"  doc   BLOB NOT NULL,"
	"  PRIMARY KEY (mc_id, svc, idx)"
	");",

	/* 3: registrar bindings. No reference to users: an address of
	 * record may be a partner SIP identity of a migrated user. */
	"CREATE TABLE registrations ("
	"  aor      TEXT NOT NULL,"
	"  contact  TEXT NOT NULL,"
	"  instance TEXT,"
	"  expires  INTEGER NOT NULL,"
	"  call_id  TEXT NOT NULL,"
	"  cseq     INTEGER NOT NULL,"
	"  PRIMARY KEY (aor, contact)"
	");"
	"CREATE INDEX registrations_expires ON registrations (expires);",

	/* 4: partner MC system agreements */
	"CREATE TABLE partners ("
	"  domain         TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,"
	"  sip_addr       TEXT NOT NULL,"
	"  idms_token_url TEXT NOT NULL,"
	"  cms_root       TEXT NOT NULL,"
	"  idms_pubkey    TEXT NOT NULL,"
	"  secret         TEXT"
	");",
};

_Static_assert(ARRAY_SIZE(steps) == STORE_SCHEMA_VERSION,
	       "one schema step per version");

#define USER_COLS "name, mc_id, impi, impu, realm, ha1, display_name"
#define REG_COLS  "aor, contact, instance, expires, call_id, cseq"
#define PARTNER_COLS \
	"domain, sip_addr, idms_token_url, cms_root, idms_pubkey, secret"

static const char *const stmts[ST_COUNT] = {
	[ST_BEGIN]    = "BEGIN IMMEDIATE",
	[ST_COMMIT]   = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_VERSION]  = "PRAGMA user_version",

	[ST_USER_INSERT] =
	"INSERT INTO users (" USER_COLS ", pw_salt, pw_iter, pw_hash) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_USER_UPSERT] =
	"INSERT INTO users (" USER_COLS ", pw_salt, pw_iter, pw_hash) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
	"ON CONFLICT (name) DO UPDATE SET mc_id = excluded.mc_id, "
	"impi = excluded.impi, impu = excluded.impu, "
	"realm = excluded.realm, ha1 = excluded.ha1, "
	"display_name = excluded.display_name, pw_salt = excluded.pw_salt, "
	"pw_iter = excluded.pw_iter, pw_hash = excluded.pw_hash",
	[ST_USER_CRED] =
	"SELECT pw_salt, pw_iter, pw_hash FROM users WHERE name = ?1",
	[ST_USER_BY_NAME] =
	"SELECT " USER_COLS " FROM users WHERE name = ?1",
	[ST_USER_BY_MC_ID] =
	"SELECT " USER_COLS " FROM users WHERE mc_id = ?1",
	[ST_USER_BY_IMPI] =
	"SELECT " USER_COLS " FROM users WHERE impi = ?1",
	[ST_USER_BY_IMPU] =
	"SELECT " USER_COLS " FROM users WHERE impu = ?1 "
	"ORDER BY name LIMIT 1",
	[ST_USER_DELETE] = "DELETE FROM users WHERE name = ?1",
	[ST_USER_COUNT]  = "SELECT count(*) FROM users",
	[ST_USER_ALL]    = "SELECT " USER_COLS " FROM users ORDER BY name",

	[ST_PROF_PUT] =
	"INSERT INTO profiles (mc_id, svc, idx, doc) VALUES (?1, ?2, ?3, ?4) "
	"ON CONFLICT (mc_id, svc, idx) DO UPDATE SET doc = excluded.doc",
	[ST_PROF_GET] =
	"SELECT doc FROM profiles WHERE mc_id = ?1 AND svc = ?2 AND idx = ?3",
	[ST_PROF_LIST] =
	"SELECT idx FROM profiles WHERE mc_id = ?1 AND svc = ?2 "
	"ORDER BY idx",
	[ST_PROF_DELETE] =
	"DELETE FROM profiles WHERE mc_id = ?1 AND svc = ?2 AND idx = ?3",

	[ST_REG_PUT] =
	"INSERT INTO registrations (" REG_COLS ") "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	"ON CONFLICT (aor, contact) DO UPDATE SET "
	"instance = excluded.instance, expires = excluded.expires, "
	"call_id = excluded.call_id, cseq = excluded.cseq",
	[ST_REG_GET] =
	"SELECT " REG_COLS " FROM registrations "
	"WHERE aor = ?1 AND contact = ?2",
	[ST_REG_DELETE] =
	"DELETE FROM registrations WHERE aor = ?1 AND contact = ?2",
	[ST_REG_DELETE_AOR] = "DELETE FROM registrations WHERE aor = ?1",
	[ST_REG_LIST] =
	"SELECT " REG_COLS " FROM registrations WHERE aor = ?1 "
	"ORDER BY contact",
	[ST_REG_ALL] =
	"SELECT " REG_COLS " FROM registrations ORDER BY aor, contact",
	[ST_REG_EXPIRE] = "DELETE FROM registrations WHERE expires <= ?1",

	[ST_PARTNER_PUT] =
	"INSERT INTO partners (" PARTNER_COLS ") "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	"ON CONFLICT (domain) DO UPDATE SET sip_addr = excluded.sip_addr, "
	"idms_token_url = excluded.idms_token_url, "
	"cms_root = excluded.cms_root, idms_pubkey = excluded.idms_pubkey, "
	"secret = excluded.secret",
	[ST_PARTNER_GET] =
	"SELECT " PARTNER_COLS " FROM partners WHERE domain = ?1",
	[ST_PARTNER_DELETE] = "DELETE FROM partners WHERE domain = ?1",
	[ST_PARTNER_ALL] =
	"SELECT " PARTNER_COLS " FROM partners ORDER BY domain",
};


/** The SQL text of a statement */
const char *store_sql(enum stmt id)
{
	return ((unsigned)id < ST_COUNT) ? stmts[id] : NULL;
}


/**
 * The schema step that takes a database to a version
 *
 * @param version 1..STORE_SCHEMA_VERSION
 *
 * @return SQL text (one or more statements), or NULL
 */
const char *store_step_sql(unsigned version)
{
	if (!version || version > ARRAY_SIZE(steps))
		return NULL;

	return steps[version - 1];
}

