/**
 * @file test_store.c  The store: schema steps, users and credentials,
 *                     profiles, registrations, partners, import
 *
 * HA1 values are written as literals computed apart from this code:
 *
 *   printf %s 'alice@a.mcx.test:a.mcx.test:secret' | md5sum
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <re.h>
#include <sqlite3.h>
#include <mcx/diag.h>
#include <mcx/profile.h>
#include <mcx/store.h>
#include "store/store.h"
#include "testutil.h"

#define HA1_ALICE_SECRET     "f634a321699ba19d3f362733e1fe05e7"
#define HA1_ALICE_NEW_SECRET "e8c6a95c34e3a5220add30ff10e8f856"
#define HA1_CAROL            "79a54d882726e0dfb698c6d521dc2687"
#define HA1_A_ALICE          "d7b1784152e07076202f56c18606a8f7"
#define HA1_A_BOB            "7f36ef0c3ff2b7a7097d46731dbab051"

#define ETC_DIR MCX_TEST_DATA "/../../etc/a.mcx.test"

static char tmpdir[256];


static int group_setup(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	(void)snprintf(tmpdir, sizeof(tmpdir), "%s/mcx-store-XXXXXX",
		       t && *t ? t : "/tmp");

	return mkdtemp(tmpdir) ? 0 : -1;
}


static int group_teardown(void **state)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	char path[512];

	(void)state;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		(void)snprintf(path, sizeof(path), "%s/%s", tmpdir,
			       de->d_name);
		(void)unlink(path);
	}
	if (d)
		(void)closedir(d);

	return rmdir(tmpdir);
}


static const char *db_path(const char *name)
{
	static char path[512];

	(void)snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return path;
}


static struct store *mem_store(void)
{
	struct store *st = NULL;
	struct mcx_diag d = { "" };
	int err = store_open(&st, ":memory:", &d);

	if (err)
		fail_msg("open: %d %s", err, d.reason);

	return st;
}


static const struct store_user_new alice = {
	.name = "alice", .mc_id = "sip:alice@a.mcx.test",
	.impi = "alice@a.mcx.test", .impu = "sip:alice@a.mcx.test",
	.realm = "a.mcx.test", .password = "secret",
	.display_name = "Alice",
};

static const struct store_user_new bob = {
	.name = "bob", .mc_id = "sip:bob@a.mcx.test",
	.impi = "bob@a.mcx.test", .impu = "sip:bob@a.mcx.test",
	.realm = "a.mcx.test", .password = "bob-secret",
	.display_name = NULL,
};


/* One answer of a pragma, through a connection of our own */
static void pragma_expect(const char *path, const char *sql,
			  const char *exp)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;

	assert_int_equal(SQLITE_OK, sqlite3_open(path, &db));
	assert_int_equal(SQLITE_OK, sqlite3_prepare_v2(db, sql, -1, &s,
						       NULL));
	assert_int_equal(SQLITE_ROW, sqlite3_step(s));
	assert_string_equal(exp, (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}


static void sql_run(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(SQLITE_OK, sqlite3_open(path, &db));
	assert_int_equal(SQLITE_OK, sqlite3_exec(db, sql, NULL, NULL, NULL));
	sqlite3_close(db);
}


/* ---- opening and schema steps ---- */

static void open_close(void **state)
{
	struct store *st = NULL;
	struct mcx_diag d = { "" };

	(void)state;
	assert_int_equal(EINVAL, store_open(NULL, ":memory:", &d));
	assert_int_equal(EINVAL, store_open(&st, NULL, &d));
	assert_null(st);

	st = mem_store();
	assert_int_equal(STORE_SCHEMA_VERSION, store_version(st));
	assert_string_equal("", store_reason(st));
	st = mem_deref(st);

	assert_int_equal(0, store_version(NULL));
	assert_string_equal("", store_reason(NULL));

	/* a folder that does not exist */
	assert_int_equal(EIO, store_open(&st, "/nonexistent/x/y.db", &d));
	assert_null(st);
	assert_non_null(strstr(d.reason, "/nonexistent/x/y.db: unable to "
			       "open"));
}


/* Steps apply in order, one transaction each, and data stays */
static void schema_steps(void **state)
{
	const char *path = db_path("steps.db");
	struct store *st = NULL;
	struct store_user u;
	struct mcx_diag d = { "" };
	uint8_t idx[STORE_INDEXES];
	size_t n;

	(void)state;
	assert_int_equal(0, store_open_version(&st, path, 1, &d));
	assert_int_equal(1, store_version(st));
	assert_int_equal(0, store_user_add(st, &alice));
	/* later tables are not there yet */
	assert_int_equal(EIO, store_profile_list(st, alice.mc_id,
						 MCX_SVC_MCPTT, idx, &n));
	assert_non_null(strstr(store_reason(st), "no such table"));
	st = mem_deref(st);
	pragma_expect(path, "PRAGMA user_version", "1");
	pragma_expect(path, "PRAGMA application_id", "1835235443");
	pragma_expect(path, "PRAGMA journal_mode", "wal");

	/* reopened: brought to the last version, alice kept */
	assert_int_equal(0, store_open(&st, path, &d));
	assert_int_equal(STORE_SCHEMA_VERSION, store_version(st));
	assert_int_equal(0, store_user_get(st, STORE_BY_NAME, "alice", &u));
	assert_string_equal(HA1_ALICE_SECRET, u.ha1);
	assert_int_equal(0, store_profile_put(st, alice.mc_id, MCX_SVC_MCPTT,
					      0, (const uint8_t *)"<x/>", 4));
	st = mem_deref(st);
	pragma_expect(path, "PRAGMA user_version", "4");

	/* once more: nothing to do, all kept */
	assert_int_equal(0, store_open(&st, path, &d));
	assert_int_equal(0, store_password_check(st, "alice", "secret"));
	assert_int_equal(0, store_profile_list(st, alice.mc_id,
					       MCX_SVC_MCPTT, idx, &n));
	assert_int_equal(1, n);
	st = mem_deref(st);
}


/* A database newer than the code is refused and left untouched */
static void newer_refused(void **state)
{
	const char *path = db_path("newer.db");
	struct store *st = NULL;
	struct mcx_diag d = { "" };

	(void)state;
	sql_run(path, "CREATE TABLE future (x); PRAGMA user_version = 99; "
		"PRAGMA application_id = 1835235443;");	/* STORE_APP_ID */

	assert_int_equal(ENOTSUP, store_open(&st, path, &d));
	assert_null(st);
	assert_non_null(strstr(d.reason, "database schema version 99 is "
			       "newer than this mcx supports (4)"));
	assert_non_null(strstr(d.reason, "newer.db"));

	pragma_expect(path, "PRAGMA user_version", "99");
	pragma_expect(path, "PRAGMA journal_mode", "delete");
}


/* Another application's database is refused and left untouched */
static void foreign_refused(void **state)
{
	static const struct { const char *sql, *why; } v[] = {
		{ "CREATE TABLE t (x); PRAGMA user_version = 3;",
		  "not an mcx database (application_id 0, user_version 3)" },
		{ "PRAGMA application_id = 42;",
		  "not an mcx database (application_id 42, user_version 0)" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
		char name[32];
		const char *path;
		struct store *st = NULL;
		struct mcx_diag d = { "" };

		(void)re_snprintf(name, sizeof(name), "foreign%zu.db", k);
		path = db_path(name);
		sql_run(path, v[k].sql);
		assert_int_equal(EIO, store_open(&st, path, &d));
		assert_null(st);
		assert_non_null(strstr(d.reason, v[k].why));
		pragma_expect(path, "PRAGMA journal_mode", "delete");
	}
}


static void not_a_database(void **state)
{
	const char *path = db_path("text.db");
	struct store *st = NULL;
	struct mcx_diag d = { "" };
	FILE *f = fopen(path, "w");

	(void)state;
	assert_non_null(f);
	for (int i = 0; i < 100; i++)
		fputs("this is not an SQLite database\n", f);
	fclose(f);

	assert_int_equal(EIO, store_open(&st, path, &d));
	assert_null(st);
	assert_non_null(strstr(d.reason, "file is not a database"));
}


/* Two stores on one file see each other's writes (WAL, busy timeout) */
static void two_connections(void **state)
{
	const char *path = db_path("two.db");
	struct store *a = NULL, *b = NULL;
	struct store_user u;
	struct mcx_diag d;
	unsigned n;

	(void)state;
	assert_int_equal(0, store_open(&a, path, &d));
	assert_int_equal(0, store_open(&b, path, &d));
	assert_int_equal(0, store_user_add(a, &alice));
	assert_int_equal(0, store_user_get(b, STORE_BY_IMPI,
					   "alice@a.mcx.test", &u));
	assert_int_equal(EEXIST, store_user_add(b, &alice));
	assert_int_equal(0, store_user_add(b, &bob));
	assert_int_equal(0, store_user_count(a, &n));
	assert_int_equal(2, n);
	mem_deref(b);
	mem_deref(a);
}


/* ---- users ---- */

static void users(void **state)
{
	struct store *st = mem_store();
	struct store_user u;
	struct store_user_new x;
	unsigned n;

	(void)state;
	assert_int_equal(0, store_user_count(st, &n));
	assert_int_equal(0, n);
	assert_int_equal(0, store_user_add(st, &alice));
	assert_int_equal(0, store_user_add(st, &bob));

	static const struct { enum store_key key; const char *v; } keys[] = {
		{ STORE_BY_NAME,  "alice" },
		{ STORE_BY_MC_ID, "sip:alice@a.mcx.test" },
		{ STORE_BY_IMPI,  "alice@a.mcx.test" },
		{ STORE_BY_IMPU,  "sip:alice@a.mcx.test" },
	};
	for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
		memset(&u, 0xa5, sizeof(u));
		assert_int_equal(0, store_user_get(st, keys[k].key, keys[k].v,
						   &u));
		assert_string_equal("alice", u.name);
		assert_string_equal("sip:alice@a.mcx.test", u.mc_id);
		assert_string_equal("alice@a.mcx.test", u.impi);
		assert_string_equal("sip:alice@a.mcx.test", u.impu);
		assert_string_equal("a.mcx.test", u.realm);
		assert_string_equal(HA1_ALICE_SECRET, u.ha1);
		assert_string_equal("Alice", u.display_name);
	}

	assert_int_equal(0, store_user_get(st, STORE_BY_NAME, "bob", &u));
	assert_string_equal("", u.display_name);

	/* not found leaves out alone */
	memset(&u, 0, sizeof(u));
	assert_int_equal(ENOENT, store_user_get(st, STORE_BY_NAME, "carol",
						&u));
	assert_int_equal(ENOENT, store_user_get(st, STORE_BY_MC_ID,
						"sip:Alice@a.mcx.test", &u));
	assert_int_equal(ENOENT, store_user_get(st, STORE_BY_IMPI, "", &u));
	assert_string_equal("", u.name);
	assert_int_equal(EINVAL, store_user_get(st, 9, "alice", &u));
	assert_int_equal(EINVAL, store_user_get(st, STORE_BY_NAME, NULL, &u));
	assert_int_equal(EINVAL, store_user_get(st, STORE_BY_NAME, "alice",
						NULL));

	/* duplicates: name, MC service ID, IMPI; IMPU may be shared */
	x = alice;
	assert_int_equal(EEXIST, store_user_add(st, &x));
	assert_non_null(strstr(store_reason(st), "name, MC service ID or "
			       "IMPI taken: UNIQUE constraint failed"));
	x.mc_id = "sip:alice2@a.mcx.test";
	x.impi = "alice2@a.mcx.test";
	assert_int_equal(EEXIST, store_user_add(st, &x));
	assert_non_null(strstr(store_reason(st), "users.name"));
	x.name = "alice2";
	x.mc_id = alice.mc_id;
	assert_int_equal(EEXIST, store_user_add(st, &x));
	assert_non_null(strstr(store_reason(st), "users.mc_id"));
	x.mc_id = "sip:alice2@a.mcx.test";
	x.impi = alice.impi;
	assert_int_equal(EEXIST, store_user_add(st, &x));
	assert_non_null(strstr(store_reason(st), "users.impi"));
	x.impi = "alice2@a.mcx.test";
	assert_int_equal(0, store_user_add(st, &x));
	assert_int_equal(0, store_user_get(st, STORE_BY_IMPU,
					   "sip:alice@a.mcx.test", &u));
	assert_string_equal("alice", u.name);	/* first by name */

	assert_int_equal(0, store_user_count(st, &n));
	assert_int_equal(3, n);

	assert_int_equal(0, store_user_delete(st, "alice2"));
	assert_int_equal(ENOENT, store_user_delete(st, "alice2"));
	assert_int_equal(0, store_user_count(st, &n));
	assert_int_equal(2, n);
	assert_int_equal(EINVAL, store_user_count(st, NULL));
	assert_int_equal(EINVAL, store_user_count(NULL, &n));
	mem_deref(st);
}


static void user_refusals(void **state)
{
	static char long_name[STORE_NAME_MAX + 2];
	static char long_pw[STORE_PASSWORD_MAX + 2];
	static const struct {
		const char *field;
		const char *value;
		const char *why;
	} bad[] = {
		{ "name", "Alice", "bad login name" },
		{ "name", "", "bad login name" },
		{ "name", "al ice", "bad login name" },
		{ "name", long_name, "bad login name" },
		{ "name", NULL, "bad login name" },
		{ "mc_id", "alice@a.mcx.test", "bad MC service ID" },
		{ "mc_id", "sip:a.mcx.test", "bad MC service ID" },
		{ "mc_id", "sip:alice@", "bad MC service ID" },
		{ "mc_id", "sip:al ice@a.mcx.test", "bad MC service ID" },
		{ "mc_id", "sip:alice@a..test", "bad MC service ID" },
		{ "impi", "alice", "bad IMPI" },
		{ "impi", "@a.mcx.test", "bad IMPI" },
		{ "impu", "alice@a.mcx.test", "bad IMPU" },
		{ "impu", "sip:", "bad IMPU" },
		{ "realm", "a mcx", "bad realm" },
		{ "password", "", "bad password" },
		{ "password", "tab\there", "bad password" },
		{ "password", "\xff\xfe", "bad password" },
		{ "password", long_pw, "bad password" },
		{ "password", NULL, "bad password" },
		{ "display_name", "line\nbreak", "bad display name" },
	};
	struct store *st = mem_store();
	unsigned n;

	(void)state;
	memset(long_name, 'n', sizeof(long_name) - 1);
	memset(long_pw, 'p', sizeof(long_pw) - 1);

	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct store_user_new x = alice;
		int err;

		if (!strcmp(bad[k].field, "name"))
			x.name = bad[k].value;
		else if (!strcmp(bad[k].field, "mc_id"))
			x.mc_id = bad[k].value;
		else if (!strcmp(bad[k].field, "impi"))
			x.impi = bad[k].value;
		else if (!strcmp(bad[k].field, "impu"))
			x.impu = bad[k].value;
		else if (!strcmp(bad[k].field, "realm"))
			x.realm = bad[k].value;
		else if (!strcmp(bad[k].field, "password"))
			x.password = bad[k].value;
		else
			x.display_name = bad[k].value;

		err = store_user_add(st, &x);
		if (err != EINVAL || !strstr(store_reason(st), bad[k].why))
			fail_msg("case %zu (%s): %d '%s'", k, bad[k].field,
				 err, store_reason(st));
		assert_int_equal(EINVAL, store_user_put(st, &x));
	}

	assert_int_equal(EINVAL, store_user_add(st, NULL));
	assert_int_equal(EINVAL, store_user_add(NULL, &alice));
	assert_int_equal(0, store_user_count(st, &n));
	assert_int_equal(0, n);
	mem_deref(st);
}


/* store_user_put: add or update by name; profiles follow the MC ID */
static void user_put(void **state)
{
	struct store *st = mem_store();
	struct store_user_new x = alice;
	struct store_user u;
	struct mbuf *mb = NULL;
	unsigned n;

	(void)state;
	assert_int_equal(0, store_user_put(st, &alice));
	assert_int_equal(0, store_user_put(st, &alice));
	assert_int_equal(0, store_user_put(st, &bob));
	assert_int_equal(0, store_user_count(st, &n));
	assert_int_equal(2, n);
	assert_int_equal(0, store_profile_put(st, alice.mc_id, MCX_SVC_MCPTT,
					      0, (const uint8_t *)"<a/>", 4));

	x.mc_id = "sip:alice.a@c.mcx.test";
	x.impi = "alice.a@c.mcx.test";
	x.realm = "c.mcx.test";
	x.password = "other";
	x.display_name = NULL;
	assert_int_equal(0, store_user_put(st, &x));
	assert_int_equal(0, store_user_get(st, STORE_BY_NAME, "alice", &u));
	assert_string_equal("sip:alice.a@c.mcx.test", u.mc_id);
	assert_string_equal("c.mcx.test", u.realm);
	assert_string_equal("", u.display_name);
	assert_int_equal(EACCES, store_password_check(st, "alice", "secret"));
	assert_int_equal(0, store_password_check(st, "alice", "other"));

	/* the profile moved with the MC service ID */
	assert_int_equal(ENOENT, store_profile_get(st, alice.mc_id,
						   MCX_SVC_MCPTT, 0, &mb));
	assert_int_equal(0, store_profile_get(st, x.mc_id, MCX_SVC_MCPTT, 0,
					      &mb));
	mb = mem_deref(mb);

	/* bob's MC service ID or IMPI cannot be taken over */
	x.mc_id = bob.mc_id;
	assert_int_equal(EEXIST, store_user_put(st, &x));
	x.mc_id = alice.mc_id;
	x.impi = bob.impi;
	assert_int_equal(EEXIST, store_user_put(st, &x));
	assert_int_equal(0, store_user_get(st, STORE_BY_NAME, "alice", &u));
	assert_string_equal("sip:alice.a@c.mcx.test", u.mc_id);

	/* deleting the user deletes the profile */
	assert_int_equal(0, store_user_delete(st, "alice"));
	assert_int_equal(ENOENT, store_profile_put(st,
						   "sip:alice.a@c.mcx.test",
						   MCX_SVC_MCPTT, 1,
						   (const uint8_t *)"<a/>",
						   4));
	assert_int_equal(ENOENT, store_profile_get(st, "sip:alice.a@c.mcx.test",
						   MCX_SVC_MCPTT, 0, &mb));
	mem_deref(st);
}


static void password_check(void **state)
{
	char long_pw[STORE_PASSWORD_MAX + 10];
	struct store *st = mem_store();

	(void)state;
	memset(long_pw, 's', sizeof(long_pw) - 1);
	long_pw[sizeof(long_pw) - 1] = '\0';

	assert_int_equal(0, store_user_add(st, &alice));
	assert_int_equal(0, store_password_check(st, "alice", "secret"));
	assert_int_equal(EACCES, store_password_check(st, "alice", "Secret"));
	assert_int_equal(EACCES, store_password_check(st, "alice", "secre"));
	assert_int_equal(EACCES, store_password_check(st, "alice", ""));
	assert_string_equal("wrong name or password", store_reason(st));
	assert_int_equal(EACCES, store_password_check(st, "alice", long_pw));
	assert_int_equal(EACCES, store_password_check(st, "mallory",
						      "secret"));
	assert_int_equal(EACCES, store_password_check(st, "Alice", "secret"));
	assert_int_equal(EACCES, store_password_check(st, "", "secret"));
	assert_int_equal(EINVAL, store_password_check(st, NULL, "secret"));
	assert_int_equal(EINVAL, store_password_check(st, "alice", NULL));
	assert_int_equal(EINVAL, store_password_check(NULL, "alice", "x"));
	mem_deref(st);
}


struct walk {
	struct store *st;
	unsigned n;
	char names[4][STORE_NAME_MAX + 1];
	int stop_at;		/* return EINTR at this row, or -1 */
};


static int user_h(const struct store_user *u, void *arg)
{
	struct walk *w = arg;
	struct store_user v;
	unsigned n;

	/* reads are fine, writes and walks are not */
	assert_int_equal(0, store_user_get(w->st, STORE_BY_NAME, u->name,
					   &v));
	assert_int_equal(0, store_user_count(w->st, &n));
	assert_int_equal(EBUSY, store_user_add(w->st, &bob));
	assert_int_equal(EBUSY, store_user_delete(w->st, u->name));
	assert_int_equal(EBUSY, store_user_apply(w->st, user_h, arg));
	assert_int_equal(EBUSY, store_reg_expire(w->st, 0, NULL));
	assert_int_equal(EBUSY, store_import(w->st, ETC_DIR, NULL, NULL));

	if (w->n < ARRAY_SIZE(w->names))
		(void)re_snprintf(w->names[w->n], sizeof(w->names[0]), "%s",
				  u->name);
	if ((int)w->n++ == w->stop_at)
		return EINTR;

	return 0;
}


static void user_walk(void **state)
{
	struct store *st = mem_store();
	struct store_user_new x = bob;
	struct walk w;

	(void)state;
	memset(&w, 0, sizeof(w));
	w.st = st;
	w.stop_at = -1;
	assert_int_equal(0, store_user_apply(st, user_h, &w));
	assert_int_equal(0, w.n);

	assert_int_equal(0, store_user_add(st, &bob));
	assert_int_equal(0, store_user_add(st, &alice));
	x.name = "carol";
	x.mc_id = "sip:carol@a.mcx.test";
	x.impi = "carol@a.mcx.test";
	assert_int_equal(0, store_user_add(st, &x));

	assert_int_equal(0, store_user_apply(st, user_h, &w));
	assert_int_equal(3, w.n);
	assert_string_equal("alice", w.names[0]);
	assert_string_equal("bob", w.names[1]);
	assert_string_equal("carol", w.names[2]);

	/* a handler's error stops the walk and comes back */
	memset(&w, 0, sizeof(w));
	w.st = st;
	w.stop_at = 1;
	assert_int_equal(EINTR, store_user_apply(st, user_h, &w));
	assert_int_equal(2, w.n);

	/* writes work again after the walk */
	assert_int_equal(0, store_user_delete(st, "carol"));
	assert_int_equal(EINVAL, store_user_apply(st, NULL, &w));
	mem_deref(st);
}


/* ---- profiles ---- */

static void profiles(void **state)
{
	static const uint8_t doc1[] = "<doc n='1'/>", doc2[] = "<doc n='2'/>";
	struct store *st = mem_store();
	struct mbuf *mb = NULL;
	uint8_t idx[STORE_INDEXES];
	uint8_t *big;
	size_t n = 99;

	(void)state;
	assert_int_equal(0, store_user_add(st, &alice));
	assert_int_equal(0, store_user_add(st, &bob));

	assert_int_equal(0, store_profile_list(st, alice.mc_id, MCX_SVC_MCPTT,
					       idx, &n));
	assert_int_equal(0, n);

	assert_int_equal(0, store_profile_put(st, alice.mc_id, MCX_SVC_MCPTT,
					      255, doc1, sizeof(doc1) - 1));
	assert_int_equal(0, store_profile_put(st, alice.mc_id, MCX_SVC_MCPTT,
					      0, doc1, sizeof(doc1) - 1));
	assert_int_equal(0, store_profile_put(st, alice.mc_id,
					      MCX_SVC_MCVIDEO, 7, doc2,
					      sizeof(doc2) - 1));
	assert_int_equal(0, store_profile_put(st, bob.mc_id, MCX_SVC_MCPTT,
					      1, doc2, sizeof(doc2) - 1));

	assert_int_equal(0, store_profile_get(st, alice.mc_id, MCX_SVC_MCPTT,
					      255, &mb));
	assert_int_equal(0, mb->pos);
	tu_assert_bytes(mb->buf, mb->end, doc1, sizeof(doc1) - 1);
	mb = mem_deref(mb);

	/* replace */
	assert_int_equal(0, store_profile_put(st, alice.mc_id, MCX_SVC_MCPTT,
					      0, doc2, sizeof(doc2) - 1));
	assert_int_equal(0, store_profile_get(st, alice.mc_id, MCX_SVC_MCPTT,
					      0, &mb));
	tu_assert_bytes(mb->buf, mb->end, doc2, sizeof(doc2) - 1);
	mb = mem_deref(mb);

	assert_int_equal(0, store_profile_list(st, alice.mc_id, MCX_SVC_MCPTT,
					       idx, &n));
	assert_int_equal(2, n);
	assert_int_equal(0, idx[0]);
	assert_int_equal(255, idx[1]);
	assert_int_equal(0, store_profile_list(st, alice.mc_id,
					       MCX_SVC_MCVIDEO, idx, &n));
	assert_int_equal(1, n);
	assert_int_equal(7, idx[0]);
	assert_int_equal(0, store_profile_list(st, alice.mc_id,
					       MCX_SVC_MCDATA, idx, &n));
	assert_int_equal(0, n);

	/* not found */
	assert_int_equal(ENOENT, store_profile_get(st, alice.mc_id,
						   MCX_SVC_MCPTT, 1, &mb));
	assert_int_equal(ENOENT, store_profile_get(st, alice.mc_id,
						   MCX_SVC_MCDATA, 0, &mb));
	assert_int_equal(ENOENT, store_profile_get(st, "sip:x@a.mcx.test",
						   MCX_SVC_MCPTT, 0, &mb));
	assert_null(mb);

	/* the user must exist */
	assert_int_equal(ENOENT, store_profile_put(st, "sip:zed@a.mcx.test",
						   MCX_SVC_MCPTT, 0, doc1,
						   sizeof(doc1) - 1));
	assert_non_null(strstr(store_reason(st), "no user with MC service "
			       "ID sip:zed@a.mcx.test"));

	/* bad values */
	big = mem_zalloc(PROFILE_MAX_SIZE + 1, NULL);
	assert_non_null(big);
	assert_int_equal(0, store_profile_put(st, bob.mc_id, MCX_SVC_MCDATA,
					      0, big, PROFILE_MAX_SIZE));
	assert_int_equal(EINVAL, store_profile_put(st, bob.mc_id,
						   MCX_SVC_MCDATA, 0, big,
						   PROFILE_MAX_SIZE + 1));
	mem_deref(big);
	assert_int_equal(EINVAL, store_profile_put(st, bob.mc_id,
						   MCX_SVC_MCDATA, 0, doc1,
						   0));
	assert_int_equal(EINVAL, store_profile_put(st, bob.mc_id, 3, 0, doc1,
						   1));
	assert_int_equal(EINVAL, store_profile_put(st, "bob", MCX_SVC_MCPTT,
						   0, doc1, 1));
	assert_int_equal(EINVAL, store_profile_put(st, bob.mc_id,
						   MCX_SVC_MCPTT, 0, NULL, 1));
	assert_int_equal(EINVAL, store_profile_get(st, bob.mc_id, 3, 0, &mb));
	assert_int_equal(EINVAL, store_profile_get(st, bob.mc_id,
						   MCX_SVC_MCPTT, 0, NULL));
	assert_int_equal(EINVAL, store_profile_list(st, bob.mc_id,
						    MCX_SVC_MCPTT, NULL, &n));

	/* delete */
	assert_int_equal(0, store_profile_delete(st, alice.mc_id,
						 MCX_SVC_MCPTT, 255));
	assert_int_equal(ENOENT, store_profile_delete(st, alice.mc_id,
						      MCX_SVC_MCPTT, 255));
	assert_int_equal(0, store_profile_list(st, alice.mc_id, MCX_SVC_MCPTT,
					       idx, &n));
	assert_int_equal(1, n);
	mem_deref(st);
}


/* ---- registrations ---- */

static struct store_reg reg_make(const char *aor, const char *contact,
				 const char *instance, int64_t expires,
				 const char *call_id, uint32_t cseq)
{
	struct store_reg r;

	memset(&r, 0, sizeof(r));
	(void)re_snprintf(r.aor, sizeof(r.aor), "%s", aor);
	(void)re_snprintf(r.contact, sizeof(r.contact), "%s", contact);
	(void)re_snprintf(r.instance, sizeof(r.instance), "%s", instance);
	(void)re_snprintf(r.call_id, sizeof(r.call_id), "%s", call_id);
	r.expires = expires;
	r.cseq = cseq;

	return r;
}


struct regs {
	unsigned n;
	struct store_reg r[4];
};


static int reg_h(const struct store_reg *r, void *arg)
{
	struct regs *rs = arg;

	if (rs->n < ARRAY_SIZE(rs->r))
		rs->r[rs->n] = *r;
	++rs->n;

	return 0;
}


static void registrations(void **state)
{
	const char *aa = "sip:alice@a.mcx.test", *ab = "sip:bob@a.mcx.test";
	struct store_reg r1 = reg_make(aa, "sip:alice@127.0.0.1:5070",
				       "\"<urn:uuid:0000-1>\"", 1000,
				       "c1@127.0.0.1", 1);
	struct store_reg r2 = reg_make(aa, "sip:alice@127.0.0.1:5071;"
				       "transport=tcp", "", 2000, "c2", 7);
	struct store_reg r3 = reg_make(ab, "sip:bob@127.0.0.1:5080", "",
				       1500, "c3", 4000000000u);
	struct store *st = mem_store();
	struct store_reg g;
	struct regs rs;
	unsigned n;

	(void)state;
	assert_int_equal(0, store_reg_put(st, &r1));
	assert_int_equal(0, store_reg_put(st, &r2));
	assert_int_equal(0, store_reg_put(st, &r3));

	memset(&g, 0, sizeof(g));
	assert_int_equal(0, store_reg_get(st, aa, r1.contact, &g));
	assert_memory_equal(&r1, &g, sizeof(g));	/* both zero-filled */
	assert_int_equal(0, store_reg_get(st, ab, r3.contact, &g));
	assert_int_equal(4000000000u, g.cseq);
	assert_string_equal("", g.instance);
	assert_int_equal(ENOENT, store_reg_get(st, ab, r1.contact, &g));

	memset(&rs, 0, sizeof(rs));
	assert_int_equal(0, store_reg_apply(st, aa, reg_h, &rs));
	assert_int_equal(2, rs.n);
	assert_string_equal(r1.contact, rs.r[0].contact);
	assert_string_equal(r2.contact, rs.r[1].contact);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(0, store_reg_apply(st, "sip:none@a.mcx.test", reg_h,
					    &rs));
	assert_int_equal(0, rs.n);

	/* every binding, by aor then contact */
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(0, store_reg_apply(st, NULL, reg_h, &rs));
	assert_int_equal(3, rs.n);
	assert_string_equal(r1.contact, rs.r[0].contact);
	assert_string_equal(r2.contact, rs.r[1].contact);
	assert_string_equal(r3.contact, rs.r[2].contact);

	/* a refresh replaces the binding */
	r1.expires = 3000;
	r1.cseq = 2;
	r1.instance[0] = '\0';
	assert_int_equal(0, store_reg_put(st, &r1));
	assert_int_equal(0, store_reg_get(st, aa, r1.contact, &g));
	assert_int_equal(3000, g.expires);
	assert_int_equal(2, g.cseq);
	assert_string_equal("", g.instance);

	/* expiry: bindings with expires <= now go */
	assert_int_equal(0, store_reg_expire(st, 1499, &n));
	assert_int_equal(0, n);
	assert_int_equal(0, store_reg_expire(st, 1500, &n));
	assert_int_equal(1, n);
	assert_int_equal(ENOENT, store_reg_get(st, ab, r3.contact, &g));
	assert_int_equal(0, store_reg_expire(st, 2999, &n));
	assert_int_equal(1, n);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(0, store_reg_apply(st, aa, reg_h, &rs));
	assert_int_equal(1, rs.n);
	assert_string_equal(r1.contact, rs.r[0].contact);
	assert_int_equal(0, store_reg_expire(st, 2999, NULL));

	/* delete one, delete all of an aor */
	assert_int_equal(0, store_reg_delete(st, aa, r1.contact));
	assert_int_equal(ENOENT, store_reg_delete(st, aa, r1.contact));
	assert_int_equal(0, store_reg_put(st, &r1));
	assert_int_equal(0, store_reg_put(st, &r2));
	assert_int_equal(0, store_reg_put(st, &r3));
	assert_int_equal(0, store_reg_delete_aor(st, aa, &n));
	assert_int_equal(2, n);
	assert_int_equal(0, store_reg_delete_aor(st, aa, &n));
	assert_int_equal(0, n);
	assert_int_equal(0, store_reg_get(st, ab, r3.contact, &g));

	/* bad values */
	g = r1;
	(void)re_snprintf(g.aor, sizeof(g.aor), "alice@a.mcx.test");
	assert_int_equal(EINVAL, store_reg_put(st, &g));
	assert_non_null(strstr(store_reason(st), "address of record"));
	g = r1;
	g.call_id[0] = '\0';
	assert_int_equal(EINVAL, store_reg_put(st, &g));
	g = r1;
	g.expires = -1;
	assert_int_equal(EINVAL, store_reg_put(st, &g));
	g = r1;
	(void)re_snprintf(g.instance, sizeof(g.instance), "a\nb");
	assert_int_equal(EINVAL, store_reg_put(st, &g));
	g = r1;
	memset(g.contact, 'a', sizeof(g.contact));	/* no NUL */
	assert_int_equal(EINVAL, store_reg_put(st, &g));
	assert_int_equal(EINVAL, store_reg_put(st, NULL));
	assert_int_equal(EINVAL, store_reg_apply(st, aa, NULL, NULL));
	assert_int_equal(EINVAL, store_reg_delete_aor(st, NULL, &n));
	assert_int_equal(EINVAL, store_reg_expire(NULL, 0, &n));
	mem_deref(st);
}


/* ---- partners ---- */

static struct store_partner *partner_new(const char *domain,
					 const char *pem)
{
	struct store_partner *p = mem_zalloc(sizeof(*p), NULL);

	assert_non_null(p);
	(void)re_snprintf(p->domain, sizeof(p->domain), "%s", domain);
	(void)re_snprintf(p->sip_addr, sizeof(p->sip_addr),
			  "sip:127.0.1.3:5060");
	(void)re_snprintf(p->idms_token_url, sizeof(p->idms_token_url),
			  "http://127.0.1.3:8080/idms/token");
	(void)re_snprintf(p->cms_root, sizeof(p->cms_root),
			  "http://127.0.1.3:8080/cms");
	(void)re_snprintf(p->idms_pubkey, sizeof(p->idms_pubkey), "%s", pem);

	return p;
}


static int partner_h(const struct store_partner *p, void *arg)
{
	struct mbuf *mb = arg;

	return mbuf_printf(mb, "%s;", p->domain);
}


static void partners(void **state)
{
	struct store *st = mem_store();
	struct store_partner *p, *g;
	struct mbuf *mb = mbuf_alloc(64);
	size_t len;
	char *pem = (char *)tu_load("store/pubkey.pem", &len);

	(void)state;
	p = partner_new("c.mcx.test", pem);
	g = mem_zalloc(sizeof(*g), NULL);
	assert_non_null(g);

	assert_int_equal(0, store_partner_put(st, p));
	assert_int_equal(0, store_partner_get(st, "C.mcx.TEST", g));
	assert_memory_equal(p, g, sizeof(*g));
	assert_string_equal("", g->secret);
	assert_int_equal(ENOENT, store_partner_get(st, "b.mcx.test", g));

	/* replaced, whatever the case of the key */
	(void)re_snprintf(p->domain, sizeof(p->domain), "C.MCX.TEST");
	(void)re_snprintf(p->secret, sizeof(p->secret), "s3cret!");
	(void)re_snprintf(p->cms_root, sizeof(p->cms_root),
			  "https://cms.c.mcx.test/");
	assert_int_equal(0, store_partner_put(st, p));
	assert_int_equal(0, store_partner_get(st, "c.mcx.test", g));
	assert_string_equal("c.mcx.test", g->domain);	/* first spelling */
	assert_string_equal("s3cret!", g->secret);
	assert_string_equal("https://cms.c.mcx.test/", g->cms_root);

	(void)re_snprintf(p->domain, sizeof(p->domain), "b.mcx.test");
	assert_int_equal(0, store_partner_put(st, p));
	assert_int_equal(0, store_partner_apply(st, partner_h, mb));
	tu_assert_mbuf_str(mb, "b.mcx.test;c.mcx.test;");

	assert_int_equal(0, store_partner_delete(st, "B.mcx.test"));
	assert_int_equal(ENOENT, store_partner_delete(st, "b.mcx.test"));

	/* bad values */
	static const struct { const char *field, *value, *why; } bad[] = {
		{ "domain", "c_mcx", "bad partner domain" },
		{ "sip", "127.0.1.3:5060", "bad SIP address" },
		{ "token", "ftp://idms/", "bad IdMS token URL" },
		{ "cms", "http://", "bad CMS root URL" },
		{ "pem", "", "bad IdMS public key" },
		{ "pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n"
		  "-----END PUBLIC KEY-----\n", "bad IdMS public key" },
		{ "secret", "two words", "bad shared secret" },
	};
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct store_partner *x = partner_new("d.mcx.test", pem);
		char *f = !strcmp(bad[k].field, "domain") ? x->domain :
			!strcmp(bad[k].field, "sip") ? x->sip_addr :
			!strcmp(bad[k].field, "token") ? x->idms_token_url :
			!strcmp(bad[k].field, "cms") ? x->cms_root :
			!strcmp(bad[k].field, "pem") ? x->idms_pubkey :
			x->secret;
		int err;

		(void)re_snprintf(f, 64, "%s", bad[k].value);
		err = store_partner_put(st, x);
		if (err != EINVAL || !strstr(store_reason(st), bad[k].why))
			fail_msg("case %zu: %d '%s'", k, err,
				 store_reason(st));
		mem_deref(x);
	}
	assert_int_equal(ENOENT, store_partner_get(st, "d.mcx.test", g));
	assert_int_equal(EINVAL, store_partner_put(st, NULL));
	assert_int_equal(EINVAL, store_partner_apply(st, NULL, NULL));

	mem_deref(g);
	mem_deref(p);
	mem_deref(pem);
	mem_deref(mb);
	mem_deref(st);
}


/* ---- import ---- */

static struct store *import_good(void)
{
	struct store *st = mem_store();
	struct store_import_stats n = { 9, 9, 9 };
	struct mcx_diag d = { "" };
	int err = store_import(st, MCX_TEST_DATA "/store/good", &n, &d);

	if (err)
		fail_msg("import: %d %s", err, d.reason);
	assert_int_equal(4, n.users);
	assert_int_equal(4, n.profiles);

	return st;
}


static struct profile *profile_load(struct store *st, const char *mc_id,
				    enum mcx_svc svc, uint8_t index)
{
	struct profile *p = NULL;
	struct mbuf *mb = NULL;
	struct mcx_diag d = { "" };

	assert_int_equal(0, store_profile_get(st, mc_id, svc, index, &mb));
	if (profile_decode(&p, svc, mb->buf, mb->end, &d))
		fail_msg("profile: %s", d.reason);
	mem_deref(mb);

	return p;
}


static void import_files(void **state)
{
	struct store *st = import_good();
	struct store_import_stats n;
	struct store_user u;
	struct mcx_diag d = { "" };
	struct profile *p;
	struct mbuf *mb = NULL;
	uint8_t idx[STORE_INDEXES], *file;
	size_t cnt, len;
	unsigned users;

	(void)state;
	assert_int_equal(0, store_user_get(st, STORE_BY_NAME, "alice", &u));
	assert_string_equal("sip:alice@a.mcx.test", u.mc_id);
	assert_string_equal("alice@a.mcx.test", u.impi);
	assert_string_equal("sip:alice@a.mcx.test", u.impu);
	assert_string_equal("a.mcx.test", u.realm);
	assert_string_equal(HA1_ALICE_SECRET, u.ha1);
	assert_string_equal("Alice Anders", u.display_name);
	assert_int_equal(0, store_user_get(st, STORE_BY_NAME, "bob", &u));
	assert_string_equal("", u.display_name);
	assert_int_equal(0, store_user_get(st, STORE_BY_IMPI,
					   "carol@b.mcx.test", &u));
	assert_string_equal("b.mcx.test", u.realm);
	assert_string_equal(HA1_CAROL, u.ha1);
	assert_string_equal("Carol  \xc3\x9cnal", u.display_name);
	assert_int_equal(0, store_password_check(st, "carol", "c#rol"));
	assert_int_equal(0, store_user_get(st, STORE_BY_NAME, "dan", &u));
	assert_string_equal("Dan (CRLF line end)", u.display_name);
	assert_int_equal(0, store_password_check(st, "dan", "dan-secret"));

	/* documents as imported, under the key inside them */
	assert_int_equal(0, store_profile_get(st, "sip:alice@a.mcx.test",
					      MCX_SVC_MCPTT, 0, &mb));
	file = tu_load("store/good/profiles/alice-mcptt-0.xml", &len);
	tu_assert_bytes(mb->buf, mb->end, file, len);
	mb = mem_deref(mb);
	mem_deref(file);

	assert_int_equal(0, store_profile_list(st, "sip:alice@a.mcx.test",
					       MCX_SVC_MCPTT, idx, &cnt));
	assert_int_equal(2, cnt);
	assert_int_equal(0, idx[0]);
	assert_int_equal(3, idx[1]);
	assert_int_equal(0, store_profile_list(st, "sip:alice@a.mcx.test",
					       MCX_SVC_MCVIDEO, idx, &cnt));
	assert_int_equal(1, cnt);
	assert_int_equal(0, store_profile_list(st, "sip:bob@a.mcx.test",
					       MCX_SVC_MCDATA, idx, &cnt));
	assert_int_equal(1, cnt);
	assert_int_equal(2, idx[0]);

	p = profile_load(st, "sip:alice@a.mcx.test", MCX_SVC_MCPTT, 0);
	assert_true(profile_may_call(p, "sip:carol@b.mcx.test"));
	mem_deref(p);

	/* again: the same, nothing added */
	assert_int_equal(0, store_import(st, MCX_TEST_DATA "/store/good", &n,
					 &d));
	assert_int_equal(4, n.users);
	assert_int_equal(4, n.profiles);
	assert_int_equal(0, store_user_count(st, &users));
	assert_int_equal(4, users);
	assert_int_equal(0, store_password_check(st, "alice", "secret"));

	/* an update: changes, additions, nothing deleted */
	assert_int_equal(0, store_import(st, MCX_TEST_DATA "/store/update",
					 &n, &d));
	assert_int_equal(2, n.users);
	assert_int_equal(1, n.profiles);
	assert_int_equal(0, store_user_count(st, &users));
	assert_int_equal(5, users);
	assert_int_equal(0, store_user_get(st, STORE_BY_NAME, "alice", &u));
	assert_string_equal("Alice A. Anders", u.display_name);
	assert_string_equal(HA1_ALICE_NEW_SECRET, u.ha1);
	assert_int_equal(EACCES, store_password_check(st, "alice", "secret"));
	assert_int_equal(0, store_password_check(st, "alice", "new-secret"));
	assert_int_equal(0, store_password_check(st, "bob", "bob-secret"));
	p = profile_load(st, "sip:alice@a.mcx.test", MCX_SVC_MCPTT, 0);
	assert_false(profile_may_call(p, "sip:carol@b.mcx.test"));
	assert_true(profile_may_call(p, "sip:bob@a.mcx.test"));
	mem_deref(p);
	assert_int_equal(0, store_profile_list(st, "sip:alice@a.mcx.test",
					       MCX_SVC_MCPTT, idx, &cnt));
	assert_int_equal(2, cnt);

	assert_int_equal(EINVAL, store_import(st, NULL, &n, &d));
	assert_int_equal(EINVAL, store_import(NULL, ".", &n, &d));
	mem_deref(st);
}


/* Importing the same files keeps the stored password hashes as they are */
static void import_idempotent(void **state)
{
	static const char sql[] = "SELECT group_concat(hex(pw_salt) || "
		"hex(pw_hash) || ha1, ',') FROM users";
	const char *path = db_path("import.db");
	struct store *st = NULL;
	struct mcx_diag d = { "" };
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	char before[1024];

	(void)state;
	assert_int_equal(0, store_open(&st, path, &d));
	assert_int_equal(0, store_import(st, MCX_TEST_DATA "/store/good",
					 NULL, &d));

	assert_int_equal(SQLITE_OK, sqlite3_open(path, &db));
	assert_int_equal(SQLITE_OK, sqlite3_prepare_v2(db, sql, -1, &s,
						       NULL));
	assert_int_equal(SQLITE_ROW, sqlite3_step(s));
	(void)re_snprintf(before, sizeof(before), "%s",
			  (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);

	assert_int_equal(0, store_import(st, MCX_TEST_DATA "/store/good",
					 NULL, &d));
	assert_int_equal(SQLITE_ROW, sqlite3_step(s));
	assert_string_equal(before, (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
	mem_deref(st);
}


/* Refused imports name file and line, and leave nothing behind */
static void import_refusals(void **state)
{
	static const struct {
		const char *dir;
		int err;
		const char *why;
	} bad[] = {
		{ "bad-line", EBADMSG, "users.conf:7: bad login name 'Eve' "
		  "(expected [a-z0-9._-]{1,64})" },
		{ "dup-user", EEXIST, "users.conf:4: user dave already on "
		  "line 3" },
		{ "taken", EEXIST, "users.conf:4: user alice2: name, MC "
		  "service ID or IMPI taken: UNIQUE constraint failed: "
		  "users.mc_id" },
		{ "bad-user", ENOENT, "profiles/zed-mcptt-0.xml: no user "
		  "with MC service ID sip:zed@a.mcx.test" },
		{ "bad-xml", EBADMSG, "profiles/x-bad.xml: " },
		{ "no-uid", EBADMSG, "profiles/x-bad.xml: <Common>/"
		  "<MCPTTUserID> missing" },
		{ "not-profile", EBADMSG, "profiles/x-bad.xml: not a user "
		  "profile: root <mcpttinfo> in urn:3gpp:ns:mcpttInfo:1.0" },
		{ "dup-profile", EEXIST, "profiles/x-dup.xml: "
		  "org.3gpp.mcptt.user-profile profile 0 of "
		  "sip:dave@a.mcx.test already in "
		  "profiles/dave-mcptt-0.xml" },
		{ "none", ENOENT, "users.conf: No such file or directory" },
	};
	struct store *st = import_good();

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct store_import_stats n = { 77, 77, 77 };
		struct mcx_diag d = { "" };
		struct store_user u;
		struct mbuf *mb = NULL;
		char dir[512];
		unsigned users;
		int err;

		(void)re_snprintf(dir, sizeof(dir), "%s/store/%s",
				  MCX_TEST_DATA, bad[k].dir);
		err = store_import(st, dir, &n, &d);
		if (err != bad[k].err || strncmp(d.reason, bad[k].why,
						 strlen(bad[k].why)))
			fail_msg("%s: %d '%s'", bad[k].dir, err, d.reason);
		assert_int_equal(77, n.users);

		/* rolled back: no dave, alice as she was */
		assert_int_equal(0, store_user_count(st, &users));
		assert_int_equal(4, users);
		assert_int_equal(ENOENT, store_user_get(st, STORE_BY_NAME,
							"dave", &u));
		assert_int_equal(ENOENT, store_profile_get(
					 st, "sip:dave@a.mcx.test",
					 MCX_SVC_MCPTT, 0, &mb));
		assert_int_equal(0, store_user_get(st, STORE_BY_NAME, "alice",
						   &u));
		assert_string_equal("Alice Anders", u.display_name);
		assert_int_equal(0, store_password_check(st, "alice",
							 "secret"));
	}

	/* and the store still takes a good import */
	assert_int_equal(0, store_import(st, MCX_TEST_DATA "/store/update",
					 NULL, NULL));
	mem_deref(st);
}


/* users.conf lines, one file each */
static void import_lines(void **state)
{
	static char long_line[1100], long_pw[200];
	static const struct {
		const char *text;
		size_t len;	/* 0: strlen(text) */
		int err;
		unsigned users;
		const char *why;
	} v[] = {
		{ "", 0, 0, 0, "" },
		{ "# nothing\n\n   \t\n", 0, 0, 0, "" },
		{ "alice sip:alice@a.mcx.test pw", 0, 0, 1, "" },
		{ "alice\tsip:alice@a.mcx.test\tpw\t\tA  B\t\n", 0, 0, 1,
		  "" },
		{ "alice sip:alice@a.mcx.test", 0, EBADMSG, 0,
		  "users.conf:1: expected NAME MC-ID PASSWORD [DISPLAY NAME]" },
		{ "alice alice@a.mcx.test pw", 0, EBADMSG, 0,
		  "users.conf:1: bad MC service ID 'alice@a.mcx.test' "
		  "(expected sip:USER@DOMAIN)" },
		{ "a\r\n\r\nb sip:b@x.test pw \xff\r\n", 0, EBADMSG, 0,
		  "users.conf:1: expected" },
		{ "b sip:b@x.test pw\r\n\r\nc sip:c@x.test pw \xff\r\n", 0,
		  EBADMSG, 0, "users.conf:3: user c: bad display name" },
		{ "b sip:b@x.test p\0w\n", 19, EBADMSG, 0,
		  "users.conf:1: NUL octet" },
		{ long_line, 0, EMSGSIZE, 0,
		  "users.conf:2: line longer than 1024 octets" },
		{ long_pw, 0, EBADMSG, 0,
		  "users.conf:1: user p: bad password" },
	};
	char dir[512], path[600];
	struct store *st = mem_store();

	(void)state;
	/* line 2 is 1025 octets; a password of 129 */
	(void)re_snprintf(long_line, sizeof(long_line), "# one\n%1025s\n",
			  "x");
	(void)re_snprintf(long_pw, sizeof(long_pw), "p sip:p@x.test %129s",
			  "z");
	for (char *c = long_pw + 15; *c == ' '; c++)
		*c = 'y';

	(void)re_snprintf(dir, sizeof(dir), "%s/lines", tmpdir);
	(void)re_snprintf(path, sizeof(path), "%s/users.conf", dir);
	assert_int_equal(0, mkdir(dir, 0700));

	for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
		size_t len = v[k].len ? v[k].len : strlen(v[k].text);
		struct store_import_stats n = { 0, 0, 0 };
		struct mcx_diag d = { "" };
		FILE *f = fopen(path, "wb");
		unsigned users;
		int err;

		assert_non_null(f);
		assert_int_equal(len, fwrite(v[k].text, 1, len, f));
		fclose(f);

		err = store_import(st, dir, &n, &d);
		if (err != v[k].err || strncmp(d.reason, v[k].why,
					       strlen(v[k].why)))
			fail_msg("case %zu: %d '%s'", k, err, d.reason);
		assert_int_equal(v[k].users, n.users);
		assert_int_equal(0, store_user_count(st, &users));
		assert_int_equal(v[k].users, users);
		if (users) {
			assert_int_equal(0, store_password_check(st, "alice",
								 "pw"));
			assert_int_equal(0, store_user_delete(st, "alice"));
		}
	}

	assert_int_equal(0, unlink(path));
	assert_int_equal(0, rmdir(dir));
	mem_deref(st);
}


/* The demo world's system A as shipped under etc/ */
static void import_etc_sample(void **state)
{
	struct store *st = mem_store();
	struct store_import_stats n;
	struct store_user u;
	struct mcx_diag d = { "" };
	struct profile *p;
	int err;

	(void)state;
	err = store_import(st, ETC_DIR, &n, &d);
	if (err)
		fail_msg("etc/a.mcx.test: %d %s", err, d.reason);
	assert_int_equal(2, n.users);
	assert_int_equal(2, n.profiles);

	assert_int_equal(0, store_user_get(st, STORE_BY_MC_ID,
					   "sip:alice@a.mcx.test", &u));
	assert_string_equal("alice@a.mcx.test", u.impi);
	assert_string_equal("a.mcx.test", u.realm);
	assert_string_equal(HA1_A_ALICE, u.ha1);
	assert_int_equal(0, store_password_check(st, "alice",
						 "alice-secret"));
	assert_int_equal(0, store_user_get(st, STORE_BY_MC_ID,
					   "sip:bob@a.mcx.test", &u));
	assert_string_equal(HA1_A_BOB, u.ha1);
	assert_int_equal(0, store_password_check(st, "bob", "bob-secret"));

	p = profile_load(st, "sip:alice@a.mcx.test", MCX_SVC_MCPTT, 0);
	assert_true(profile_may_call(p, "sip:bob@a.mcx.test"));
	assert_true(profile_allows(p, PA_PRIVATE_CALL));
	assert_true(profile_allows(p, PA_AUTO_COMMENCEMENT));
	assert_true(profile_allows(p, PA_MANUAL_COMMENCEMENT));
	mem_deref(p);

	p = profile_load(st, "sip:bob@a.mcx.test", MCX_SVC_MCPTT, 0);
	assert_true(profile_may_call(p, "sip:alice@a.mcx.test"));
	assert_true(profile_allows(p, PA_PRIVATE_CALL));
	assert_true(profile_allows(p, PA_AUTO_COMMENCEMENT));
	assert_true(profile_allows(p, PA_MANUAL_COMMENCEMENT));
	mem_deref(p);
	mem_deref(st);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_close),
		cmocka_unit_test(schema_steps),
		cmocka_unit_test(newer_refused),
		cmocka_unit_test(foreign_refused),
		cmocka_unit_test(not_a_database),
		cmocka_unit_test(two_connections),
		cmocka_unit_test(users),
		cmocka_unit_test(user_refusals),
		cmocka_unit_test(user_put),
		cmocka_unit_test(password_check),
		cmocka_unit_test(user_walk),
		cmocka_unit_test(profiles),
		cmocka_unit_test(registrations),
		cmocka_unit_test(partners),
		cmocka_unit_test(import_files),
		cmocka_unit_test(import_idempotent),
		cmocka_unit_test(import_refusals),
		cmocka_unit_test(import_lines),
		cmocka_unit_test(import_etc_sample),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
