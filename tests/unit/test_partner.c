/**
 * @file test_partner.c  Partner agreement files: store_partner_parse(),
 *                       and their import with store_import()
 *
 * Each row is one case: the text, the agreement expected and the code
 * and exact reason, and why. An agreement is written on one line as
 *
 *   DOMAIN|SIP|IDMS-TOKEN-URL|CMS-ROOT|SECRET|KEY-PATH|KEY-LINE|DOMAIN-LINE
 *
 * so that a row shows every field. The files under tests/data/partner
 * (README there) are checked the same way, and then imported with
 * store_import() into a store, from a folder made for each, with the
 * key files they name found relative to tests/data/partner (the working
 * directory during the import).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <re.h>
#include <mcx/conf.h>
#include <mcx/diag.h>
#include <mcx/store.h>
#include "testutil.h"

#define PUB "keys/public.pem"

/* The agreement and file as one line (see the file comment) */
static void show(char *buf, size_t size, const struct store_partner *p,
		 const struct store_partner_file *pf)
{
	(void)re_snprintf(buf, size, "%s|%s|%s|%s|%s|%s|%u|%u", p->domain,
			  p->sip_addr, p->idms_token_url, p->cms_root,
			  p->secret, pf->idms_key, pf->idms_key_line,
			  pf->domain_line);
}

struct pcase {
	const char *fname;
	const char *text;
	size_t len;		/* 0: strlen(text)                      */
	int err;
	const char *reason;	/* exact, "" when none                  */
	const char *out;	/* the agreement, "" on failure          */
	const char *why;
};

#define B_HEAD "domain b.mcx.test\n"
#define B_TAIL "http 127.0.2.1:8080\nidms_key k.pem\n"
#define B_OK "b.mcx.test|sip:127.0.2.1:5060|" \
	"http://127.0.2.1:8080/idms/token|http://127.0.2.1:8080/xcap-root"
#define SECRET16 "0123456789abcdef"

static const struct pcase cases[] = {
	{ "b.mcx.test.conf",
	  B_HEAD "sip 127.0.2.1:5060\n" B_TAIL, 0, 0, "",
	  B_OK "||k.pem|4|1", "the least file: four options, no secret" },
	{ "partners/b.mcx.test.conf",
	  "# b\n\n" B_HEAD "sip 127.0.2.1:5060\n" B_TAIL "secret " SECRET16,
	  0, 0, "", B_OK "|" SECRET16 "|k.pem|6|3",
	  "a folder before the name; secret of 16 octets, no line end" },
	{ "B.MCX.test.conf",
	  B_HEAD "sip 127.0.2.1:5060\n" B_TAIL, 0, 0, "",
	  B_OK "||k.pem|4|1",
	  "the domain is the file's name without regard to case" },
	{ "b.mcx.test",
	  B_HEAD "sip 127.0.2.1:5060\n" B_TAIL, 0, 0, "",
	  B_OK "||k.pem|4|1", "a name without .conf is the domain whole" },
	{ "b.mcx.test.conf",
	  "\xef\xbb\xbf  domain b.mcx.test\r\nsip\t127.0.2.1:5060\r\n"
	  "http 127.0.2.1:8080\r\nidms_key \"a # b.pem\"\r\n", 0, 0, "",
	  B_OK "||a # b.pem|4|1",
	  "BOM, blanks before a name, CRLF, a tab, a quoted path" },
	{ "b.mcx.test.conf",
	  B_HEAD "sip [2001:DB8::0:5]:5060\nhttp [::ffff:127.0.0.1]:1\n"
	  "idms_key k.pem\n", 0, 0, "",
	  "b.mcx.test|sip:[2001:db8::5]:5060|"
	  "http://[::ffff:127.0.0.1]:1/idms/token|"
	  "http://[::ffff:127.0.0.1]:1/xcap-root||k.pem|4|1",
	  "IPv6 in brackets, written as inet_ntop() does; port 1" },
	{ "b.mcx.test.conf",
	  B_HEAD "sip 127.0.2.1:65535\n" B_TAIL "secret \"" SECRET16
	  SECRET16 SECRET16 SECRET16 SECRET16 SECRET16 SECRET16 SECRET16
	  "\"\n", 0, 0, "",
	  "b.mcx.test|sip:127.0.2.1:65535|http://127.0.2.1:8080/idms/token|"
	  "http://127.0.2.1:8080/xcap-root|" SECRET16 SECRET16 SECRET16
	  SECRET16 SECRET16 SECRET16 SECRET16 SECRET16 "|k.pem|4|1",
	  "port 65535; a secret of 128 octets" },

	/* what the engine refuses, in its words */
	{ "b.mcx.test.conf", "domain b.mcx.test\nsipp 127.0.2.1:5060\n",
	  0, EBADMSG, "b.mcx.test.conf:2: option 'sipp': unknown, did you "
	  "mean 'sip'?", "", "an unknown option, with a suggestion" },
	{ "b.mcx.test.conf", "domain b.mcx.test\ndomain b.mcx.test\n", 0,
	  EBADMSG, "b.mcx.test.conf:2: option 'domain': set twice (first "
	  "on line 1)", "", "an option twice" },
	{ "b.mcx.test.conf", "domain b_mcx.test\n", 0, EBADMSG,
	  "b.mcx.test.conf:1: option 'domain': 'b_mcx.test' is not a "
	  "domain name", "", "the domain is a DNS name" },
	{ "b.mcx.test.conf", "domain b.mcx.test\nsip 1\0\n", 25, EBADMSG,
	  "b.mcx.test.conf:2: option 'sip': control character 0x00", "",
	  "a NUL octet" },
	{ "b.mcx.test.conf", "sip 127.0.2.1:5060\n" B_TAIL, 0, EBADMSG,
	  "b.mcx.test.conf: option 'domain': required, not set", "",
	  "no domain: the file is named, there is no line" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2.1:5060\nhttp 1.2.3.4:5\n",
	  0, EBADMSG, "b.mcx.test.conf: option 'idms_key': required, not "
	  "set", "", "no key file" },
	{ "b.mcx.test.conf", "", 0, EBADMSG,
	  "b.mcx.test.conf: option 'domain': required, not set", "",
	  "an empty file" },

	/* what this parser refuses */
	{ "partners/b.mcx.test.conf",
	  "domain c.mcx.test\nsip 127.0.2.1:5060\n" B_TAIL, 0, EBADMSG,
	  "partners/b.mcx.test.conf:1: option 'domain': 'c.mcx.test' is "
	  "not the file's name 'b.mcx.test.conf' without .conf", "",
	  "the domain is not the file's name" },
	{ "b.mcx.test.conf",
	  "domain b.mcx.test.\n", 0, EBADMSG,
	  "b.mcx.test.conf:1: option 'domain': 'b.mcx.test.' is not a "
	  "domain name", "", "no trailing dot" },
	{ "b.mcx.test.conf", B_HEAD "sip b.mcx.test:5060\n" B_TAIL, 0,
	  EBADMSG, "b.mcx.test.conf:2: option 'sip': 'b.mcx.test:5060' is "
	  "not IPv4:PORT or [IPv6]:PORT", "", "an address, not a name" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2.1\n" B_TAIL, 0, EBADMSG,
	  "b.mcx.test.conf:2: option 'sip': '127.0.2.1' is not IPv4:PORT "
	  "or [IPv6]:PORT", "", "a port is needed" },
	{ "b.mcx.test.conf", B_HEAD "sip ::1:5060\n" B_TAIL, 0, EBADMSG,
	  "b.mcx.test.conf:2: option 'sip': '::1:5060' is not IPv4:PORT "
	  "or [IPv6]:PORT", "", "IPv6 needs its brackets" },
	{ "b.mcx.test.conf", B_HEAD "sip [127.0.2.1]:5060\n" B_TAIL, 0,
	  EBADMSG, "b.mcx.test.conf:2: option 'sip': '[127.0.2.1]:5060' is "
	  "not IPv4:PORT or [IPv6]:PORT", "", "IPv4 in brackets is not" },
	{ "b.mcx.test.conf", B_HEAD "sip [::1]5060\n" B_TAIL, 0, EBADMSG,
	  "b.mcx.test.conf:2: option 'sip': '[::1]5060' is not IPv4:PORT "
	  "or [IPv6]:PORT", "", "a colon after the bracket" },
	{ "b.mcx.test.conf", B_HEAD "sip [fe80::1%eth0]:5060\n" B_TAIL, 0,
	  EBADMSG, "b.mcx.test.conf:2: option 'sip': '[fe80::1%eth0]:5060' "
	  "is not IPv4:PORT or [IPv6]:PORT", "", "no zone index" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2:5060\n" B_TAIL, 0,
	  EBADMSG, "b.mcx.test.conf:2: option 'sip': '127.0.2:5060' is not "
	  "IPv4:PORT or [IPv6]:PORT", "", "four parts to IPv4" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2.1:0\n" B_TAIL, 0, EBADMSG,
	  "b.mcx.test.conf:2: option 'sip': bad port in '127.0.2.1:0' "
	  "(expected 1..65535)", "", "port 0" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2.1:65536\n" B_TAIL, 0,
	  EBADMSG, "b.mcx.test.conf:2: option 'sip': bad port in "
	  "'127.0.2.1:65536' (expected 1..65535)", "", "port 65536" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2.1:\n" B_TAIL, 0, EBADMSG,
	  "b.mcx.test.conf:2: option 'sip': bad port in '127.0.2.1:' "
	  "(expected 1..65535)", "", "an empty port" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2.1:+5060\n" B_TAIL, 0,
	  EBADMSG, "b.mcx.test.conf:2: option 'sip': bad port in "
	  "'127.0.2.1:+5060' (expected 1..65535)", "", "digits only" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2.1:050600\n" B_TAIL, 0,
	  EBADMSG, "b.mcx.test.conf:2: option 'sip': bad port in "
	  "'127.0.2.1:050600' (expected 1..65535)", "",
	  "five digits at most" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2.1:5060\nhttp 127.0.2.1\n"
	  "idms_key k.pem\n", 0, EBADMSG, "b.mcx.test.conf:3: option "
	  "'http': '127.0.2.1' is not IPv4:PORT or [IPv6]:PORT", "",
	  "http is checked the same way" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2.1:5060\n" B_TAIL
	  "secret 0123456789abcde\n", 0, EBADMSG, "b.mcx.test.conf:5: "
	  "option 'secret': 15 octets (expected 16..128)", "",
	  "a secret too short; it is not quoted" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2.1:5060\n" B_TAIL
	  "secret \"\"\n", 0, EBADMSG, "b.mcx.test.conf:5: "
	  "option 'secret': 0 octets (expected 16..128)", "",
	  "an empty secret is not no secret" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2.1:5060\n" B_TAIL
	  "secret \"" SECRET16 SECRET16 SECRET16 SECRET16 SECRET16 SECRET16
	  SECRET16 SECRET16 "x\"\n", 0, EBADMSG, "b.mcx.test.conf:5: "
	  "option 'secret': 129 octets (expected 16..128)", "",
	  "a secret too long" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2.1:5060\n" B_TAIL
	  "secret \"0123456789 abcdef\"\n", 0, EBADMSG, "b.mcx.test.conf:5: "
	  "option 'secret': octet 11 is not printable ASCII (blanks "
	  "neither)", "", "a blank in a secret" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2.1:5060\n" B_TAIL
	  "secret 0123456789abcdef\xc3\xa9\n", 0, EBADMSG,
	  "b.mcx.test.conf:5: option 'secret': octet 17 is not printable "
	  "ASCII (blanks neither)", "", "UTF-8 in a secret" },
	{ "b.mcx.test.conf", "domain b.mcx.test\nsip 127.0.2.1:0\n"
	  "domain c\n", 0, EBADMSG, "b.mcx.test.conf:3: option 'domain': "
	  "set twice (first on line 1)", "",
	  "the engine reads the whole text before values are checked" },
	{ "b.mcx.test.conf", B_HEAD "sip 127.0.2.1:5060\n" B_TAIL, 18,
	  EBADMSG, "b.mcx.test.conf: option 'sip': required, not set", "",
	  "nothing past len is read" },
};

static void table(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(cases); k++) {
		const struct pcase *c = &cases[k];
		size_t len = c->len ? c->len : strlen(c->text);
		struct mcx_diag d = { "junk" };
		struct store_partner *p = mem_zalloc(sizeof(*p), NULL);
		struct store_partner_file pf;
		char out[2048] = "", *buf = mem_alloc(len + 1, NULL);
		int err;

		/* a copy of exactly len octets, for ASan to watch */
		assert_non_null(p);
		assert_non_null(buf);
		memcpy(buf, c->text, len);
		memset(p, 'x', sizeof(*p));
		memset(&pf, 'x', sizeof(pf));

		err = store_partner_parse(p, &pf, c->fname, buf, len, &d);
		if (!err)
			show(out, sizeof(out), p, &pf);
		if (err != c->err || strcmp(d.reason, c->reason))
			fail_msg("case %zu (%s): %d '%s', expected %d '%s'", k,
				 c->why, err, d.reason, c->err, c->reason);
		if (strcmp(out, c->out))
			fail_msg("case %zu (%s): got\n%s\nexpected\n%s", k,
				 c->why, out, c->out);

		/* the key is the caller's to read; on failure all is 0 */
		assert_string_equal(p->idms_pubkey, "");
		if (err) {
			assert_string_equal(p->domain, "");
			assert_string_equal(p->secret, "");
			assert_string_equal(pf.idms_key, "");
			assert_int_equal(0, pf.idms_key_line);
		}
		mem_deref(buf);
		mem_deref(p);
	}
}

static void arguments(void **state)
{
	struct store_partner *p = mem_zalloc(sizeof(*p), NULL);
	struct store_partner_file pf;
	struct mcx_diag d = { "junk" };
	char *big;

	(void)state;
	assert_non_null(p);
	assert_int_equal(EINVAL, store_partner_parse(NULL, &pf, "x", "", 0,
						     &d));
	assert_int_equal(EINVAL, store_partner_parse(p, NULL, "x", "", 0,
						     &d));
	assert_int_equal(EINVAL, store_partner_parse(p, &pf, NULL, "", 0,
						     &d));
	assert_int_equal(EINVAL, store_partner_parse(p, &pf, "x", NULL, 1,
						     &d));
	assert_string_equal(d.reason, "junk");
	assert_int_equal(EBADMSG, store_partner_parse(p, &pf, "x", NULL, 0,
						      NULL));

	/* the engine's limit on a file */
	big = mem_alloc((size_t)CONF_FILE_MAX + 1, NULL);
	assert_non_null(big);
	memset(big, '\n', (size_t)CONF_FILE_MAX + 1);
	assert_int_equal(EMSGSIZE, store_partner_parse(p, &pf, "x.conf", big,
						       CONF_FILE_MAX + 1,
						       &d));
	assert_string_equal(d.reason, "x.conf: larger than 1048576 octets");
	mem_deref(big);
	mem_deref(p);
}

/* tests/data/partner (also the fuzz seeds; see its README): what the
 * parser makes of each, and what the import does with it */
static const struct {
	const char *name;
	int err;		/* of the parse                       */
	const char *reason;	/* after "NAME:"                      */
	const char *out;
	int ierr;		/* of the import                      */
	const char *ireason;	/* after "partners/NAME:"; NULL: the
				   parse's                            */
} files[] = {
	{ "good.mcx.test.conf", 0, NULL,
	  "good.mcx.test|sip:127.0.2.1:5060|"
	  "http://127.0.2.1:8080/idms/token|"
	  "http://127.0.2.1:8080/xcap-root|0123456789abcdef-shared!|"
	  PUB "|7|2", 0, NULL },
	{ "nosecret.mcx.test.conf", 0, NULL,
	  "nosecret.mcx.test|sip:10.0.0.7:5070|"
	  "http://10.0.0.7:80/idms/token|http://10.0.0.7:80/xcap-root||"
	  PUB "|4|1", 0, NULL },
	{ "ipv6.mcx.test.conf", 0, NULL,
	  "IPv6.MCX.test|sip:[2001:db8::5]:5060|"
	  "http://[::1]:65535/idms/token|http://[::1]:65535/xcap-root|"
	  "!#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~|" PUB "|4|1",
	  0, NULL },
	{ "bad-unknown.mcx.test.conf", EBADMSG,
	  "2: option 'sipp': unknown, did you mean 'sip'?", "", 0, NULL },
	{ "bad-no-domain.mcx.test.conf", EBADMSG,
	  " option 'domain': required, not set", "", 0, NULL },
	{ "bad-name.mcx.test.conf", EBADMSG,
	  "1: option 'domain': 'good.mcx.test' is not the file's name "
	  "'bad-name.mcx.test.conf' without .conf", "", 0, NULL },
	{ "bad-sip.mcx.test.conf", EBADMSG,
	  "3: option 'sip': 'sip.bad-sip.mcx.test:5060' is not IPv4:PORT or "
	  "[IPv6]:PORT", "", 0, NULL },
	{ "bad-port.mcx.test.conf", EBADMSG,
	  "3: option 'http': bad port in '127.0.2.1:70000' (expected "
	  "1..65535)", "", 0, NULL },
	{ "bad-secret.mcx.test.conf", EBADMSG,
	  "5: option 'secret': 15 octets (expected 16..128)", "", 0, NULL },
	{ "bad-private.mcx.test.conf", 0, NULL,
	  "bad-private.mcx.test|sip:127.0.2.1:5060|"
	  "http://127.0.2.1:8080/idms/token|"
	  "http://127.0.2.1:8080/xcap-root||keys/private.pem|5|1",
	  EBADMSG, "5: option 'idms_key': keys/private.pem: a private key: "
	  "give the partner IdMS's public key only" },
	{ "bad-nokey.mcx.test.conf", 0, NULL,
	  "bad-nokey.mcx.test|sip:127.0.2.1:5060|"
	  "http://127.0.2.1:8080/idms/token|"
	  "http://127.0.2.1:8080/xcap-root||keys/missing.pem|4|1",
	  ENOENT, "4: option 'idms_key': keys/missing.pem: No such file or "
	  "directory" },
	{ "bad-garbage.mcx.test.conf", 0, NULL,
	  "bad-garbage.mcx.test|sip:127.0.2.1:5060|"
	  "http://127.0.2.1:8080/idms/token|"
	  "http://127.0.2.1:8080/xcap-root||keys/garbage.pem|4|1",
	  EBADMSG, "4: option 'idms_key': keys/garbage.pem: bad IdMS public "
	  "key (expected a PEM PUBLIC KEY)" },
};

static void data_files(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(files); k++) {
		struct store_partner *p = mem_zalloc(sizeof(*p), NULL);
		struct store_partner_file pf;
		char path[128], reason[MCX_DIAG_MAX], out[2048] = "";
		struct mcx_diag d = { "" };
		uint8_t *buf;
		size_t len;
		int err;

		assert_non_null(p);
		(void)re_snprintf(path, sizeof(path), "partner/%s",
				  files[k].name);
		(void)re_snprintf(reason, sizeof(reason), "%s:%s",
				  files[k].name, files[k].reason);
		buf = tu_load(path, &len);
		err = store_partner_parse(p, &pf, files[k].name,
					  (const char *)buf, len, &d);
		if (!err)
			show(out, sizeof(out), p, &pf);
		if (err != files[k].err ||
		    strcmp(d.reason, files[k].reason ? reason : ""))
			fail_msg("%s: %d '%s'", files[k].name, err, d.reason);
		if (strcmp(out, files[k].out))
			fail_msg("%s: got\n%s\nexpected\n%s", files[k].name,
				 out, files[k].out);
		mem_deref(buf);
		mem_deref(p);
	}
}

/* ---- import ---- */

static char tmpdir[256];
static char olddir[1024];

static void file_write(const char *dir, const char *name, const void *buf,
		       size_t len)
{
	char path[512];
	FILE *f;

	(void)re_snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(len, fwrite(buf, 1, len, f));
	assert_int_equal(0, fclose(f));
}

static void file_copy(const char *rel, const char *name)
{
	uint8_t *buf;
	size_t len;

	buf = tu_load(rel, &len);
	file_write(tmpdir, name, buf, len);
	mem_deref(buf);
}

static void file_rm(const char *name)
{
	char path[512];

	(void)re_snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	assert_int_equal(0, unlink(path));
}

/* A folder with an empty users.conf and partners/; the working
 * directory where the vectors' key paths lead */
static int import_setup(void **state)
{
	const char *t = getenv("TMPDIR");
	char path[512];

	(void)state;
	(void)re_snprintf(tmpdir, sizeof(tmpdir), "%s/mcx-partner-XXXXXX",
			  t && *t ? t : "/tmp");
	if (!mkdtemp(tmpdir))
		return -1;
	file_write(tmpdir, "users.conf", "", 0);
	(void)re_snprintf(path, sizeof(path), "%s/partners", tmpdir);
	if (mkdir(path, 0700))
		return -1;

	if (!getcwd(olddir, sizeof(olddir)))
		return -1;
	return chdir(MCX_TEST_DATA "/partner");
}

static int import_teardown(void **state)
{
	char path[512];

	(void)state;
	file_rm("users.conf");
	(void)re_snprintf(path, sizeof(path), "%s/partners", tmpdir);
	if (rmdir(path) || rmdir(tmpdir))
		return -1;
	return chdir(olddir);
}

static struct store *store_new(void)
{
	struct mcx_diag d = { "" };
	struct store *st = NULL;

	assert_int_equal(0, store_open(&st, ":memory:", &d));
	return st;
}

static unsigned partners_n;

static int count_h(const struct store_partner *p, void *arg)
{
	(void)p;
	(void)arg;
	++partners_n;
	return 0;
}

static unsigned partner_count(struct store *st)
{
	partners_n = 0;
	assert_int_equal(0, store_partner_apply(st, count_h, NULL));
	return partners_n;
}

/* Each file alone in partners/: the import's verdict, and for the good
 * ones the row as the parse saw it plus the key file's text */
static void import_each(void **state)
{
	uint8_t *pem = NULL;
	size_t pemlen;

	(void)state;
	pem = tu_load("partner/" PUB, &pemlen);

	for (size_t k = 0; k < ARRAY_SIZE(files); k++) {
		struct store_partner *p = mem_zalloc(sizeof(*p), NULL);
		struct store_import_stats n = { 9, 9, 9 };
		char rel[128], name[128], reason[MCX_DIAG_MAX];
		struct mcx_diag d = { "" };
		struct store *st = store_new();
		const char *why;
		int exp;
		int err;

		assert_non_null(p);
		(void)re_snprintf(rel, sizeof(rel), "partner/%s",
				  files[k].name);
		(void)re_snprintf(name, sizeof(name), "partners/%s",
				  files[k].name);
		file_copy(rel, name);

		exp = files[k].err ? files[k].err : files[k].ierr;
		why = files[k].err ? files[k].reason : files[k].ireason;
		(void)re_snprintf(reason, sizeof(reason), "partners/%s:%s",
				  files[k].name, why);
		err = store_import(st, tmpdir, &n, &d);
		if (err != exp || strcmp(d.reason, why ? reason : ""))
			fail_msg("%s: %d '%s'", files[k].name, err, d.reason);

		if (!err) {
			char domain[STORE_DOMAIN_MAX + 1];

			assert_int_equal(0, n.users);
			assert_int_equal(0, n.profiles);
			assert_int_equal(1, n.partners);
			(void)str_ncpy(domain, files[k].out, sizeof(domain));
			*strchr(domain, '|') = '\0';
			assert_int_equal(0, store_partner_get(st, domain, p));
			assert_string_equal(p->idms_pubkey, (char *)pem);
			assert_true(!strncmp(files[k].out, p->domain,
					     strlen(p->domain)));
		}
		else {
			assert_int_equal(9, n.partners);
		}
		assert_int_equal(err ? 0 : 1, partner_count(st));

		file_rm(name);
		mem_deref(st);
		mem_deref(p);
	}
	mem_deref(pem);
}

/* All good files at once, twice; then one bad file among them rolls
 * back everything, users included */
static void import_all(void **state)
{
	static const char *const good[] = {
		"good.mcx.test.conf", "ipv6.mcx.test.conf",
		"nosecret.mcx.test.conf",
	};
	static const char users[] = "alice sip:alice@a.mcx.test pw\n";
	struct store_import_stats n = { 0, 0, 0 };
	struct store_partner *p = mem_zalloc(sizeof(*p), NULL);
	struct mcx_diag d = { "" };
	struct store *st = store_new();
	char rel[128], name[128];
	unsigned nu;

	(void)state;
	assert_non_null(p);
	for (size_t k = 0; k < ARRAY_SIZE(good); k++) {
		(void)re_snprintf(rel, sizeof(rel), "partner/%s", good[k]);
		(void)re_snprintf(name, sizeof(name), "partners/%s", good[k]);
		file_copy(rel, name);
	}
	/* not *.conf, hidden, a folder: none of them is read */
	file_write(tmpdir, "partners/c.mcx.test.conf~", "x", 1);
	file_write(tmpdir, "partners/.d.mcx.test.conf", "x", 1);
	file_write(tmpdir, "partners/README", "x", 1);
	file_write(tmpdir, "partners/.conf", "x", 1);

	assert_int_equal(0, store_import(st, tmpdir, &n, &d));
	assert_int_equal(3, n.partners);
	assert_int_equal(3, partner_count(st));
	assert_int_equal(0, store_import(st, tmpdir, &n, &d));
	assert_int_equal(3, n.partners);
	assert_int_equal(3, partner_count(st));

	assert_int_equal(0, store_partner_get(st, "ipv6.mcx.test", p));
	assert_string_equal(p->domain, "IPv6.MCX.test");
	assert_string_equal(p->sip_addr, "sip:[2001:db8::5]:5060");
	assert_string_equal(p->idms_token_url,
			    "http://[::1]:65535/idms/token");
	assert_string_equal(p->cms_root, "http://[::1]:65535/xcap-root");
	assert_int_equal(0, store_partner_get(st, "good.mcx.test", p));
	assert_string_equal(p->secret, "0123456789abcdef-shared!");
	assert_int_equal(0, store_partner_get(st, "nosecret.mcx.test", p));
	assert_string_equal(p->secret, "");

	/* the files are the agreements: one whose file is gone goes too */
	{
		char path[512];

		(void)re_snprintf(path, sizeof(path), "%s/partners/"
				  "nosecret.mcx.test.conf", tmpdir);
		assert_int_equal(0, unlink(path));
	}
	assert_int_equal(0, store_import(st, tmpdir, &n, &d));
	assert_int_equal(2, n.partners);
	assert_int_equal(2, partner_count(st));
	assert_int_equal(ENOENT, store_partner_get(st, "nosecret.mcx.test",
						   p));
	file_copy("partner/nosecret.mcx.test.conf",
		  "partners/nosecret.mcx.test.conf");
	st = mem_deref(st);

	/* a bad one, sorted last: nothing stays, the users neither */
	st = store_new();
	file_write(tmpdir, "users.conf", users, sizeof(users) - 1);
	file_copy("partner/bad-port.mcx.test.conf",
		  "partners/bad-port.mcx.test.conf");
	n.partners = 7;
	assert_int_equal(EBADMSG, store_import(st, tmpdir, &n, &d));
	assert_string_equal(d.reason, "partners/bad-port.mcx.test.conf:3: "
			    "option 'http': bad port in '127.0.2.1:70000' "
			    "(expected 1..65535)");
	assert_int_equal(7, n.partners);
	assert_int_equal(0, partner_count(st));
	assert_int_equal(0, store_user_count(st, &nu));
	assert_int_equal(0, nu);
	file_rm("partners/bad-port.mcx.test.conf");

	/* and without it, users and partners go in */
	assert_int_equal(0, store_import(st, tmpdir, &n, &d));
	assert_int_equal(1, n.users);
	assert_int_equal(3, n.partners);
	file_write(tmpdir, "users.conf", "", 0);

	for (size_t k = 0; k < ARRAY_SIZE(good); k++) {
		(void)re_snprintf(name, sizeof(name), "partners/%s", good[k]);
		file_rm(name);
	}
	file_rm("partners/c.mcx.test.conf~");
	file_rm("partners/.d.mcx.test.conf");
	file_rm("partners/README");
	file_rm("partners/.conf");
	mem_deref(st);
	mem_deref(p);
}

/* Two files whose domains differ in case only: the second (in strcmp
 * order, "Dup" before "dup") is refused, naming the first */
static void import_duplicate(void **state)
{
	struct store_import_stats n = { 0, 0, 0 };
	struct mcx_diag d = { "" };
	struct store *st = store_new();

	(void)state;
	file_copy("partner/dup/Dup.mcx.test.conf",
		  "partners/Dup.mcx.test.conf");
	file_copy("partner/dup/dup.mcx.test.conf",
		  "partners/dup.mcx.test.conf");

	assert_int_equal(EEXIST, store_import(st, tmpdir, &n, &d));
	assert_string_equal(d.reason, "partners/dup.mcx.test.conf:1: option "
			    "'domain': partner dup.mcx.test already in "
			    "partners/Dup.mcx.test.conf");
	assert_int_equal(0, partner_count(st));

	file_rm("partners/Dup.mcx.test.conf");
	file_rm("partners/dup.mcx.test.conf");
	mem_deref(st);
}

/* No partners/ folder: no partners, no error */
static void import_no_folder(void **state)
{
	struct store_import_stats n = { 9, 9, 9 };
	struct mcx_diag d = { "" };
	struct store *st = store_new();
	char dir[512];

	(void)state;
	(void)re_snprintf(dir, sizeof(dir), "%s/x", tmpdir);
	assert_int_equal(0, mkdir(dir, 0700));
	file_write(dir, "users.conf", "", 0);

	assert_int_equal(0, store_import(st, dir, &n, &d));
	assert_int_equal(0, n.partners);
	assert_int_equal(0, partner_count(st));

	(void)re_snprintf(dir, sizeof(dir), "%s/x/users.conf", tmpdir);
	assert_int_equal(0, unlink(dir));
	(void)re_snprintf(dir, sizeof(dir), "%s/x", tmpdir);
	assert_int_equal(0, rmdir(dir));
	mem_deref(st);
}

/* A key file over STORE_PEM_MAX, and one with a NUL octet */
static void import_key_limits(void **state)
{
	static const char conf[] = "domain k.mcx.test\nsip 127.0.0.1:1\n"
		"http 127.0.0.1:2\nidms_key %s/k.pem\n";
	struct store_import_stats n = { 0, 0, 0 };
	struct mcx_diag d = { "" };
	struct store *st = store_new();
	char text[1024], exp[MCX_DIAG_MAX], kpath[512];
	uint8_t *pem, *big;
	size_t len;

	(void)state;
	(void)re_snprintf(kpath, sizeof(kpath), "%s/k.pem", tmpdir);
	(void)re_snprintf(text, sizeof(text), conf, tmpdir);
	file_write(tmpdir, "partners/k.mcx.test.conf", text, strlen(text));

	/* the key, then comment lines up to STORE_PEM_MAX octets: fine */
	pem = tu_load("partner/" PUB, &len);
	big = mem_zalloc(STORE_PEM_MAX + 1, NULL);
	assert_non_null(big);
	memset(big, 'x', STORE_PEM_MAX + 1);
	memcpy(big, pem, len);
	for (size_t i = len; i < STORE_PEM_MAX; i += 64)
		big[i] = '\n';
	file_write(tmpdir, "k.pem", big, STORE_PEM_MAX);
	assert_int_equal(0, store_import(st, tmpdir, &n, &d));
	assert_int_equal(1, n.partners);

	file_write(tmpdir, "k.pem", big, STORE_PEM_MAX + 1);
	assert_int_equal(EMSGSIZE, store_import(st, tmpdir, &n, &d));
	(void)snprintf(exp, sizeof(exp), "partners/k.mcx.test.conf:4: "
		       "option 'idms_key': %.60s: larger than 4096 "
		       "octets", kpath);
	assert_string_equal(d.reason, exp);

	big[len] = '\0';
	file_write(tmpdir, "k.pem", big, len + 1);
	assert_int_equal(EBADMSG, store_import(st, tmpdir, &n, &d));
	(void)snprintf(exp, sizeof(exp), "partners/k.mcx.test.conf:4: "
		       "option 'idms_key': %.60s: not PEM text (a "
		       "NUL octet)", kpath);
	assert_string_equal(d.reason, exp);

	/* no BEGIN line at all */
	file_write(tmpdir, "k.pem", "hello\n", 6);
	assert_int_equal(EBADMSG, store_import(st, tmpdir, &n, &d));
	(void)snprintf(exp, sizeof(exp), "partners/k.mcx.test.conf:4: "
		       "option 'idms_key': %.60s: no -----BEGIN "
		       "PUBLIC KEY-----", kpath);
	assert_string_equal(d.reason, exp);

	file_rm("k.pem");
	file_rm("partners/k.mcx.test.conf");
	mem_deref(big);
	mem_deref(pem);
	mem_deref(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(arguments),
		cmocka_unit_test(data_files),
		cmocka_unit_test(import_each),
		cmocka_unit_test(import_all),
		cmocka_unit_test(import_duplicate),
		cmocka_unit_test(import_no_folder),
		cmocka_unit_test(import_key_limits),
	};

	return cmocka_run_group_tests(tests, import_setup, import_teardown);
}
