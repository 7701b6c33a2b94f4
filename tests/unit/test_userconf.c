/**
 * @file test_userconf.c  users.conf text: store_users_parse(), annotated
 *
 * Each row is one case: the text, what the handler must see and the code
 * and exact reason expected, and why. What the handler saw is written
 * one user a line as
 *
 *   LINE|NAME|MC-ID|DOMAIN|PASSWORD|DISPLAY
 *
 * so that a row shows every field. The files under tests/data/userconf
 * (README there) are checked the same way, and imported again with
 * store_import() to show that the store sees what the parser sees.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/store.h>
#include "testutil.h"

enum { SEEN_MAX = 16 };

/* What the handler saw, and how it should answer */
struct rec {
	char out[4096];			/* the users, as above            */
	char names[SEEN_MAX][STORE_NAME_MAX + 1];
	unsigned lines[SEEN_MAX];
	unsigned n;
	unsigned fail_at;		/* refuse this line (0: none)     */
	int fail_err;
	const char *fail_why;		/* NULL: no reason                */
};

/* Records every user; refuses a name seen before, as store_import()
 * does, and the line fail_at if set */
static int rec_h(const struct store_user_line *u, void *arg,
		 struct mcx_diag *why)
{
	struct rec *r = arg;
	size_t len = strlen(r->out);

	assert_non_null(u->name);
	assert_non_null(u->mc_id);
	assert_non_null(u->domain);
	assert_non_null(u->password);
	assert_non_null(u->display_name);
	if (r->n)
		assert_true(u->lineno > r->lines[r->n - 1]);

	/* the domain is the end of the MC service ID */
	assert_true(strlen(u->mc_id) > strlen(u->domain));
	assert_string_equal(u->mc_id + strlen(u->mc_id) - strlen(u->domain),
			    u->domain);

	(void)re_snprintf(r->out + len, sizeof(r->out) - len,
			  "%u|%s|%s|%s|%s|%s\n", u->lineno, u->name, u->mc_id,
			  u->domain, u->password, u->display_name);

	if (u->lineno == r->fail_at) {
		if (r->fail_why)
			return mcx_diag_set(why, r->fail_err, "%s",
					    r->fail_why);
		return r->fail_err;
	}

	for (unsigned i = 0; i < r->n; i++) {
		if (!strcmp(r->names[i], u->name))
			return mcx_diag_set(why, EEXIST, "user %s already on "
					    "line %u", u->name, r->lines[i]);
	}

	assert_true(r->n < SEEN_MAX);
	(void)str_ncpy(r->names[r->n], u->name, sizeof(r->names[0]));
	r->lines[r->n++] = u->lineno;
	return 0;
}

#define U_ALICE "sip:alice@a.mcx.test|a.mcx.test"
#define LINE_OOPS "users.conf:1: "

struct line_case {
	const char *text;
	size_t len;		/* 0: strlen(text)                       */
	int err;
	const char *reason;	/* exact, "" when none                   */
	const char *users;	/* what the handler saw                  */
	const char *why;
};

static const struct line_case line_cases[] = {
	{ "", 0, 0, "", "", "an empty file has no users" },
	{ "# nothing\n\n   \t\n", 0, 0, "", "",
	  "a comment, an empty line, a line of blanks" },
	{ "alice sip:alice@a.mcx.test pw", 0, 0, "",
	  "1|alice|" U_ALICE "|pw|\n",
	  "the least line: no display name, no line end" },
	{ "alice\tsip:alice@a.mcx.test\tpw\t\tA  B\t\n", 0, 0, "",
	  "1|alice|" U_ALICE "|pw|A  B\n",
	  "tabs separate; the display name keeps its inner blanks" },
	{ "  alice   sip:alice@a.mcx.test  pw   \n", 0, 0, "",
	  "1|alice|" U_ALICE "|pw|\n",
	  "blanks before the name and after the password" },
	{ "\n\n\nalice sip:alice@a.mcx.test pw\n", 0, 0, "",
	  "4|alice|" U_ALICE "|pw|\n", "lines count from 1, blank ones too" },
	{ "a sip:a@x.test p\r\nb sip:b@y.test q B\r\n", 0, 0, "",
	  "1|a|sip:a@x.test|x.test|p|\n2|b|sip:b@y.test|y.test|q|B\n",
	  "CRLF: the CR is not part of the last field" },
	{ "a sip:a@x.test p\r", 0, 0, "", "1|a|sip:a@x.test|x.test|p|\n",
	  "a CR at the very end is a line end's CR too" },
	{ "a sip:a@x.test p X\r\r\n", 0, 0, "",
	  "1|a|sip:a@x.test|x.test|p|X\r\n",
	  "only one CR before the LF is taken off" },
	{ "a sip:a@x.test p\rq\n", 0, 0, "",
	  "1|a|sip:a@x.test|x.test|p\rq|\n",
	  "a lone CR ends no line and separates no field" },
	{ "#alice sip:alice@a.mcx.test pw\n  # x\n\t#\n", 0, 0, "", "",
	  "'#' first, after blanks or alone: comments" },
	{ "alice sip:alice@a.mcx.test p#w # Alice\n", 0, 0, "",
	  "1|alice|" U_ALICE "|p#w|# Alice\n",
	  "'#' later on a line is no comment" },
	{ "alice SIP:alice@a.mcx.test pw\n", 0, 0, "",
	  "1|alice|SIP:alice@a.mcx.test|a.mcx.test|pw|\n",
	  "the scheme in any case (RFC 3261 19.1.4)" },
	{ "a.b_c-9 sip:a%20b@x.test pw\n", 0, 0, "",
	  "1|a.b_c-9|sip:a%20b@x.test|x.test|pw|\n",
	  "every character a login name may have; an escaped user part" },
	{ "alice sip:alice@a.mcx.test \xc3\xa9t\xc3\xa9 \xc3\x89lodie\n", 0,
	  0, "", "1|alice|" U_ALICE "|\xc3\xa9t\xc3\xa9|\xc3\x89lodie\n",
	  "UTF-8 in password and display name" },
	{ "alice sip:alice@a.mcx.test", 0, EBADMSG,
	  LINE_OOPS "expected NAME MC-ID PASSWORD [DISPLAY NAME]", "",
	  "no password" },
	{ "alice\n", 0, EBADMSG,
	  LINE_OOPS "expected NAME MC-ID PASSWORD [DISPLAY NAME]", "",
	  "a name alone" },
	{ "Alice sip:alice@a.mcx.test pw\n", 0, EBADMSG,
	  LINE_OOPS "bad login name 'Alice' (expected [a-z0-9._-]{1,64})",
	  "", "no upper case in a login name" },
	{ "alice#x sip:alice@a.mcx.test pw\n", 0, EBADMSG,
	  LINE_OOPS "bad login name 'alice#x' (expected [a-z0-9._-]{1,64})",
	  "", "nor '#': the line is no comment either" },
	{ "\xc3\xa9lodie sip:e@a.mcx.test pw\n", 0, EBADMSG,
	  LINE_OOPS "bad login name '\xc3\xa9lodie' (expected "
	  "[a-z0-9._-]{1,64})", "", "nor UTF-8" },
	{ "alice alice@a.mcx.test pw", 0, EBADMSG,
	  LINE_OOPS "bad MC service ID 'alice@a.mcx.test' (expected "
	  "sip:USER@DOMAIN)", "", "the MC service ID is a SIP URI" },
	{ "alice sips:alice@a.mcx.test pw", 0, EBADMSG,
	  LINE_OOPS "bad MC service ID 'sips:alice@a.mcx.test' (expected "
	  "sip:USER@DOMAIN)", "", "with the sip scheme" },
	{ "alice sip:@a.mcx.test pw", 0, EBADMSG,
	  LINE_OOPS "bad MC service ID 'sip:@a.mcx.test' (expected "
	  "sip:USER@DOMAIN)", "", "with a user part" },
	{ "alice sip:alice pw", 0, EBADMSG,
	  LINE_OOPS "bad MC service ID 'sip:alice' (expected "
	  "sip:USER@DOMAIN)", "", "and a domain" },
	{ "alice sip:alice@a.mcx.test p\0w\n", 31, EBADMSG,
	  LINE_OOPS "NUL octet", "", "a NUL octet in a field" },
	{ "# \0\n", 4, EBADMSG, LINE_OOPS "NUL octet", "",
	  "even in a comment: octets come before tokens" },
	{ "a sip:a@x.test p\n\0", 18, EBADMSG, "users.conf:2: NUL octet",
	  "1|a|sip:a@x.test|x.test|p|\n",
	  "after the last LF is one more line" },
	{ "Bad sip:b@x.test p\na sip:a@x.test p\n", 0, EBADMSG,
	  LINE_OOPS "bad login name 'Bad' (expected [a-z0-9._-]{1,64})", "",
	  "the first error stops: no later line is seen" },
	{ "a sip:a@x.test p\nb\nc sip:c@x.test p\n", 0, EBADMSG,
	  "users.conf:2: expected NAME MC-ID PASSWORD [DISPLAY NAME]",
	  "1|a|sip:a@x.test|x.test|p|\n",
	  "lines before the error have been seen" },
	{ "a sip:a@x.test p\nb sip:b@x.test q\na sip:c@x.test r\n", 0,
	  EEXIST, "users.conf:3: user a already on line 1",
	  "1|a|sip:a@x.test|x.test|p|\n2|b|sip:b@x.test|x.test|q|\n"
	  "3|a|sip:c@x.test|x.test|r|\n",
	  "the handler's reason gets file and line" },
	{ "alice sip:alice@a.mcx.test pw Alice Anders", 35, 0, "",
	  "1|alice|" U_ALICE "|pw|Alice\n", "nothing past len is read" },
};

static void line_table(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(line_cases); k++) {
		const struct line_case *c = &line_cases[k];
		size_t len = c->len ? c->len : strlen(c->text);
		struct mcx_diag d = { "junk" };
		struct rec r;
		uint8_t *buf = mem_alloc(len + 1, NULL);
		int err;

		/* a copy of exactly len octets, for ASan to watch */
		assert_non_null(buf);
		memcpy(buf, c->text, len);
		memset(&r, 0, sizeof(r));
		err = store_users_parse("users.conf", buf, len, rec_h, &r,
					&d);
		if (err != c->err || strcmp(d.reason, c->reason))
			fail_msg("case %zu (%s): %d '%s', expected %d '%s'", k,
				 c->why, err, d.reason, c->err, c->reason);
		if (strcmp(r.out, c->users))
			fail_msg("case %zu (%s): saw\n%s\nexpected\n%s", k,
				 c->why, r.out, c->users);
		mem_deref(buf);
	}
}

/* A line of n octets: a comment, "# xxx..." */
static char *comment_line(size_t n)
{
	char *s = mem_zalloc(n + 1, NULL);

	assert_non_null(s);
	memset(s, 'x', n);
	s[0] = '#';
	return s;
}

static void limits(void **state)
{
	char exp[STORE_USERS_LINE_MAX + 32], *s;
	struct mcx_diag d = { "" };
	struct rec r;
	uint8_t *big;

	(void)state;
	memset(&r, 0, sizeof(r));

	/* STORE_USERS_LINE_MAX octets, without the line end */
	s = comment_line(STORE_USERS_LINE_MAX);
	assert_int_equal(0, store_users_parse("u", (uint8_t *)s, strlen(s),
					      rec_h, &r, &d));
	mem_deref(s);

	s = comment_line(STORE_USERS_LINE_MAX + 1);
	s[STORE_USERS_LINE_MAX] = '\r';
	assert_int_equal(0, store_users_parse("u", (uint8_t *)s, strlen(s),
					      rec_h, &r, &d));
	s[STORE_USERS_LINE_MAX] = 'x';
	assert_int_equal(EMSGSIZE, store_users_parse("u", (uint8_t *)s,
						     strlen(s), rec_h, &r,
						     &d));
	assert_string_equal(d.reason, "u:1: line longer than 1024 octets");
	mem_deref(s);

	/* a user line as long as it may be: the display name fills it */
	s = comment_line(STORE_USERS_LINE_MAX);
	memcpy(s, "a sip:a@x.test p D", 18);
	assert_int_equal(0, store_users_parse("u", (uint8_t *)s, strlen(s),
					      rec_h, &r, &d));
	(void)re_snprintf(exp, sizeof(exp), "1|a|sip:a@x.test|x.test|p|%s\n",
			  s + 17);
	assert_string_equal(r.out, exp);
	mem_deref(s);

	/* the whole text: STORE_USERS_SIZE_MAX octets */
	big = mem_alloc(STORE_USERS_SIZE_MAX + 1, NULL);
	assert_non_null(big);
	memset(big, '\n', STORE_USERS_SIZE_MAX + 1);
	memset(&r, 0, sizeof(r));
	assert_int_equal(0, store_users_parse("users.conf", big,
					      STORE_USERS_SIZE_MAX, rec_h, &r,
					      &d));
	assert_int_equal(EMSGSIZE, store_users_parse("users.conf", big,
						     STORE_USERS_SIZE_MAX + 1,
						     rec_h, &r, &d));
	assert_string_equal(d.reason, "users.conf: larger than 4194304 "
			    "octets");
	assert_string_equal(r.out, "");
	mem_deref(big);
}

/* What the handler returns, and the reason it sets, reach the caller */
static void handler(void **state)
{
	static const uint8_t text[] = "a sip:a@x.test p\nb sip:b@x.test q\n";
	const size_t len = sizeof(text) - 1;
	struct mcx_diag d = { "" };
	struct rec r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.fail_at = 1;
	r.fail_err = EBADMSG;
	r.fail_why = "user a: bad password";
	assert_int_equal(EBADMSG, store_users_parse("etc/x/users.conf", text,
						    len, rec_h, &r, &d));
	assert_string_equal(d.reason, "etc/x/users.conf:1: user a: bad "
			    "password");
	assert_string_equal(r.out, "1|a|sip:a@x.test|x.test|p|\n");

	/* no reason set: the code's text */
	memset(&r, 0, sizeof(r));
	r.fail_at = 2;
	r.fail_err = EIO;
	assert_int_equal(EIO, store_users_parse("users.conf", text, len,
						rec_h, &r, &d));
	assert_string_equal(d.reason, "users.conf:2: Input/output error");

	/* ENOMEM is returned as it is, with no reason */
	memset(&r, 0, sizeof(r));
	r.fail_at = 1;
	r.fail_err = ENOMEM;
	assert_int_equal(ENOMEM, store_users_parse("users.conf", text, len,
						   rec_h, &r, &d));
	assert_string_equal(d.reason, "");
	assert_int_equal(0, r.n);

	/* a reason is not needed */
	memset(&r, 0, sizeof(r));
	r.fail_at = 2;
	r.fail_err = EEXIST;
	r.fail_why = "taken";
	assert_int_equal(EEXIST, store_users_parse("users.conf", text, len,
						   rec_h, &r, NULL));
	assert_int_equal(EBADMSG, store_users_parse("users.conf",
						    (uint8_t *)"x", 1, rec_h,
						    &r, NULL));
}

static void arguments(void **state)
{
	struct mcx_diag d = { "junk" };
	struct rec r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(EINVAL, store_users_parse(NULL, (uint8_t *)"", 0,
						   rec_h, &r, &d));
	assert_int_equal(EINVAL, store_users_parse("u", NULL, 1, rec_h, &r,
						   &d));
	assert_int_equal(EINVAL, store_users_parse("u", (uint8_t *)"", 0,
						   NULL, &r, &d));
	assert_string_equal(d.reason, "junk");
	assert_int_equal(0, store_users_parse("u", NULL, 0, rec_h, NULL, &d));
	assert_string_equal(d.reason, "");
}

/* tests/data/userconf (also the fuzz seeds; see its README) */
static const struct {
	const char *name;
	int err;
	const char *reason;	/* after "NAME:" */
	const char *users;
} files[] = {
	{ "good-comments.conf", 0, NULL,
	  "5|alice|" U_ALICE "|secret|Alice Anders\n"
	  "9|bob|sip:bob@a.mcx.test|a.mcx.test|bob#pw|\n"
	  "11|dave.x_1-2|sip:dave@a.mcx.test|a.mcx.test|d|\n" },
	{ "good-crlf.conf", 0, NULL,
	  "3|alice|" U_ALICE "|secret|Alice Anders\n"
	  "5|bob|sip:bob@b.mcx.test|b.mcx.test|pw|\n"
	  "6|carol|sip:carol@a.mcx.test|a.mcx.test|pw|"
	  "Carol (no line end)\n" },
	{ "good-tabs-utf8.conf", 0, NULL,
	  "1|alice|" U_ALICE "|secret|Alice  Anders\n"
	  "2|bob|sip:bob@a.mcx.test|a.mcx.test|b\xc3\xb6" "b|"
	  "J\xc3\xbcrgen M\xc3\xbcller\n"
	  "3|carol|SIP:carol@b.mcx.test|b.mcx.test|c|"
	  "\xc3\x87" "arol \xc3\x9cnal \xf0\x9f\x8e\x99\n" },
	{ "bad-no-password.conf", EBADMSG,
	  "3: expected NAME MC-ID PASSWORD [DISPLAY NAME]",
	  "2|alice|" U_ALICE "|secret|\n" },
	{ "bad-name.conf", EBADMSG,
	  "4: bad login name 'Eve' (expected [a-z0-9._-]{1,64})",
	  "1|alice|" U_ALICE "|secret|\n"
	  "2|bob|sip:bob@a.mcx.test|a.mcx.test|pw|\n" },
	{ "bad-mc-id.conf", EBADMSG,
	  "2: bad MC service ID 'frank@a.mcx.test' (expected "
	  "sip:USER@DOMAIN)",
	  "1|alice|" U_ALICE "|secret|\n" },
	{ "bad-nul.conf", EBADMSG, "2: NUL octet",
	  "1|alice|" U_ALICE "|secret|\n" },
	{ "bad-long-line.conf", EMSGSIZE, "3: line longer than 1024 octets",
	  "2|alice|" U_ALICE "|secret|\n" },
	{ "bad-duplicate.conf", EEXIST, "4: user dave already on line 2",
	  "2|dave|sip:dave@a.mcx.test|a.mcx.test|one|\n"
	  "3|erin|sip:erin@a.mcx.test|a.mcx.test|two|\n"
	  "4|dave|sip:dave2@a.mcx.test|a.mcx.test|three|\n" },
};

static void data_files(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(files); k++) {
		struct mcx_diag d = { "" };
		char path[128], reason[MCX_DIAG_MAX];
		struct rec r;
		uint8_t *buf;
		size_t len;
		int err;

		(void)re_snprintf(path, sizeof(path), "userconf/%s",
				  files[k].name);
		(void)re_snprintf(reason, sizeof(reason), "%s:%s",
				  files[k].name, files[k].reason);
		buf = tu_load(path, &len);
		memset(&r, 0, sizeof(r));
		err = store_users_parse(files[k].name, buf, len, rec_h, &r,
					&d);
		if (err != files[k].err ||
		    strcmp(d.reason, files[k].reason ? reason : ""))
			fail_msg("%s: %d '%s'", files[k].name, err, d.reason);
		if (strcmp(r.out, files[k].users))
			fail_msg("%s: saw\n%s\nexpected\n%s", files[k].name,
				 r.out, files[k].users);
		mem_deref(buf);
	}
}

/* store_import() of each file as users.conf: the same verdict and
 * reason, and the good files' users in the store */
static void import_agrees(void **state)
{
	const char *t = getenv("TMPDIR");
	char dir[256], path[300];
	struct store *st = NULL;

	(void)state;
	(void)re_snprintf(dir, sizeof(dir), "%s/mcx-userconf-XXXXXX",
			  t && *t ? t : "/tmp");
	assert_non_null(mkdtemp(dir));
	(void)re_snprintf(path, sizeof(path), "%s/users.conf", dir);

	for (size_t k = 0; k < ARRAY_SIZE(files); k++) {
		struct store_import_stats n = { 0, 0, 0 };
		struct mcx_diag d = { "" };
		char rel[128], reason[MCX_DIAG_MAX];
		struct store_user u;
		uint8_t *buf;
		size_t len;
		unsigned users;
		FILE *f;
		int err;

		assert_int_equal(0, store_open(&st, ":memory:", &d));
		(void)re_snprintf(rel, sizeof(rel), "userconf/%s",
				  files[k].name);
		buf = tu_load(rel, &len);
		f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(len, fwrite(buf, 1, len, f));
		assert_int_equal(0, fclose(f));
		mem_deref(buf);

		(void)re_snprintf(reason, sizeof(reason), "users.conf:%s",
				  files[k].reason);
		err = store_import(st, dir, &n, &d);
		if (err != files[k].err ||
		    strcmp(d.reason, files[k].reason ? reason : ""))
			fail_msg("%s: %d '%s'", files[k].name, err, d.reason);

		assert_int_equal(0, store_user_count(st, &users));
		assert_int_equal(files[k].err ? 0 : 3, users);
		if (!files[k].err) {
			assert_int_equal(3, n.users);
			assert_int_equal(0, store_user_get(st, STORE_BY_NAME,
							   "alice", &u));
			assert_string_equal(u.impi, "alice@a.mcx.test");
			assert_string_equal(u.realm, "a.mcx.test");
			assert_string_equal(u.impu, "sip:alice@a.mcx.test");
			assert_int_equal(0, store_password_check(st, "alice",
								 "secret"));
		}
		st = mem_deref(st);
	}

	assert_int_equal(0, unlink(path));
	assert_int_equal(0, rmdir(dir));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_table),
		cmocka_unit_test(limits),
		cmocka_unit_test(handler),
		cmocka_unit_test(arguments),
		cmocka_unit_test(data_files),
		cmocka_unit_test(import_agrees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
