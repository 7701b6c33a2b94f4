/**
 * @file test_oom.c  Out of memory: every allocation of every codec fails once
 *
 * This program interposes malloc, calloc, realloc and free (over glibc's
 * __libc_* functions) for itself and everything it links: libmcx, libre's
 * mem_* and libxml2. For each case, a warm-up run must succeed; then the
 * case runs again with allocation 0 failing, then 1, 2, ... until a run
 * reaches the end without meeting the failure. Every failed run must
 * either return ENOMEM or produce exactly the result of the warm-up run
 * (libxml2 absorbs a few failures of things we never read, such as its
 * copy of the encoding name), never another error or a different result,
 * and must leave exactly as many blocks allocated as before it.
 *
 * libxml2 keeps the last error in a global record (strings allocated on
 * error, freed by the next one); it is cleared before counting, so that it
 * does not pass for a leak.
 *
 * Only in the plain build: AddressSanitizer owns malloc in the other.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <re.h>
#include <libxml/xmlerror.h>
#include <openssl/crypto.h>
#include <mcx/audio.h>
#include <mcx/conf.h>
#include <mcx/diag.h>
#include <mcx/form.h>
#include <mcx/info.h>
#include <mcx/mbcp.h>
#include <mcx/mcdata.h>
#include <mcx/migration.h>
#include <mcx/multipart.h>
#include <mcx/pocset.h>
#include <mcx/profile.h>
#include <mcx/rlist.h>
#include <mcx/store.h>
#include <mcx/str.h>
#include <mcx/tctl.h>
#include <mcx/token.h>
#include <mcx/xcapdir.h>
#include "testutil.h"

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t m);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);

static long countdown = -1;	/* allocations until one fails; -1 never */
static long live;		/* blocks handed out and not yet freed   */
static long hits;		/* allocations seen while armed          */

/* The blocks we handed out: glibc allocates some internally, bypassing
 * these functions, and such a block freed through free() must not count.
 * Open addressing, linear probing; deleted slots are re-filled in place. */
enum { TRACK_SLOTS = 1 << 18 };
static void *track[TRACK_SLOTS];
static void *const TOMB = &track;

static size_t slot_of(const void *p)
{
	return ((uintptr_t)p >> 4) * 2654435761u % TRACK_SLOTS;
}

static void track_add(void *p)
{
	for (size_t i = slot_of(p);; i = (i + 1) % TRACK_SLOTS) {
		if (!track[i] || track[i] == TOMB) {
			track[i] = p;
			++live;
			return;
		}
	}
}

static bool track_del(const void *p)
{
	for (size_t i = slot_of(p); track[i]; i = (i + 1) % TRACK_SLOTS) {
		if (track[i] == p) {
			track[i] = TOMB;
			--live;
			return true;
		}
	}

	return false;
}

static bool fail_now(void)
{
	if (countdown < 0)
		return false;
	++hits;
	if (countdown == 0) {
		countdown = -1;	/* fail once, then let cleanup allocate */
		return true;
	}
	--countdown;
	return false;
}

void *malloc(size_t n)
{
	void *p;

	if (fail_now())
		return NULL;
	p = __libc_malloc(n);
	if (p)
		track_add(p);
	return p;
}

void *calloc(size_t n, size_t m)
{
	void *p;

	if (fail_now())
		return NULL;
	p = __libc_calloc(n, m);
	if (p)
		track_add(p);
	return p;
}

void *realloc(void *p, size_t n)
{
	void *q;

	if (!p)
		return malloc(n);
	if (!n) {
		free(p);
		return NULL;
	}
	if (fail_now())
		return NULL;
	q = __libc_realloc(p, n);
	if (q && track_del(p))
		track_add(q);
	return q;
}

void free(void *p)
{
	if (p)
		(void)track_del(p);
	__libc_free(p);
}

/* OpenSSL's allocations fail in turn like the others but are not
 * counted: its per-thread error queue keeps copies of file and function
 * names in each of its slots until the slot is reused, so the number of
 * its blocks alive changes from one error to the next without any leak.
 * (OpenSSL objects our code would leak show up under LeakSanitizer.)
 * Installed first thing in main(), before OpenSSL allocates. */
static void *ssl_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return fail_now() ? NULL : __libc_malloc(n);
}

static void *ssl_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return n && fail_now() ? NULL : __libc_realloc(p, n);
}

static void ssl_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	__libc_free(p);
}

/* One case: run it to completion with every allocation failing in turn.
 * fn writes its result (an encoding) to out, which is preallocated so that
 * filling it allocates nothing. */
static void oom_case(const char *name, int (*fn)(const void *arg,
						 struct mbuf *out),
		     const void *arg)
{
	struct mbuf *out = mbuf_alloc(65536), *exp = mbuf_alloc(65536);
	long n, absorbed = 0;

	assert_non_null(out);
	assert_non_null(exp);
	if (fn(arg, exp))
		fail_msg("%s: fails without any allocation failure", name);

	for (n = 0;; n++) {
		long before;
		bool met;
		int err;

		xmlResetLastError();
		before = live;
		hits = 0;
		mbuf_rewind(out);	/* keeps the buffer: no allocation */
		countdown = n;
		err = fn(arg, out);
		met = countdown < 0;	/* the failure was injected */
		countdown = -1;
		xmlResetLastError();

		if (live != before)
			fail_msg("%s: allocation %ld failed: %ld blocks leaked",
				 name, n, live - before);
		if (!met) {
			if (err)
				fail_msg("%s: error %d with no failure", name,
					 err);
			break;
		}
		if (!err) {
			if (out->end != exp->end ||
			    memcmp(out->buf, exp->buf, exp->end))
				fail_msg("%s: allocation %ld failed silently: "
					 "the result differs", name, n);
			++absorbed;
			continue;
		}
		if (err != ENOMEM)
			fail_msg("%s: allocation %ld failed: got %d (%s), not "
				 "ENOMEM", name, n, err, mcx_err_name(err));
	}

	print_message("%s: %ld allocations failed in turn: %ld ENOMEM, %ld "
		      "absorbed with the same result\n", name, n,
		      n - absorbed, absorbed);
	mem_deref(exp);
	mem_deref(out);
}

/* ---- the cases: decode a vector, print it, encode it ---- */

struct vec {
	const char *path;
	int kind;
	uint8_t *buf;
	size_t len;
};

enum { K_INFO_MCPTT, K_INFO_MCVIDEO, K_INFO_MCDATA, K_NOTICE, K_RLIST,
       K_POCSET, K_PROFILE_MCPTT, K_PROFILE_MCVIDEO, K_MULTIPART, K_MBCP,
       K_TCTL, K_MCDATA, K_WAV, K_XCAPDIR };

static int run_vec(const void *arg, struct mbuf *mb)
{
	const struct vec *v = arg;
	char line[1024];
	void *obj = NULL;
	int err;

	switch (v->kind) {

	case K_INFO_MCPTT:
	case K_INFO_MCVIDEO:
	case K_INFO_MCDATA:
		err = mcx_info_decode((struct mcx_info **)&obj,
				      (enum mcx_svc)(v->kind - K_INFO_MCPTT),
				      v->buf, v->len, NULL);
		if (!err)
			err = re_snprintf(line, sizeof(line), "%H",
					  mcx_info_print, obj) < 0 ? ENOMEM :
				mcx_info_encode(mb, obj);
		break;

	case K_NOTICE:
		err = migr_notice_decode((struct migr_notice **)&obj, v->buf,
					 v->len, NULL);
		if (!err)
			err = migr_notice_encode(mb, obj);
		break;

	case K_RLIST:
		err = rlist_decode((struct rlist **)&obj, v->buf, v->len,
				   NULL);
		if (!err)
			err = rlist_encode(mb, obj);
		break;

	case K_POCSET:
		err = pocset_decode((struct pocset **)&obj, v->buf, v->len,
				    NULL);
		if (!err)
			err = pocset_encode(mb, obj);
		break;

	case K_PROFILE_MCPTT:
	case K_PROFILE_MCVIDEO:
		err = profile_decode((struct profile **)&obj,
				     v->kind == K_PROFILE_MCPTT ?
				     MCX_SVC_MCPTT : MCX_SVC_MCVIDEO,
				     v->buf, v->len, NULL);
		if (!err)
			err = profile_encode(mb, obj);
		break;

	case K_MULTIPART: {
		struct pl ct = PL("multipart/mixed;boundary=mcx");

		err = multipart_decode((struct multipart **)&obj, &ct, v->buf,
				       v->len, NULL);
		if (!err)
			err = multipart_encode(mb, obj);
		break;
	}

	case K_MBCP: {
		struct mbcp_msg m;

		err = mbcp_decode(&m, v->buf, v->len, NULL, NULL);
		if (!err)
			err = mbcp_encode(mb, &m);
		break;
	}

	case K_TCTL: {
		struct tctl_msg m;

		err = tctl_decode(&m, v->buf, v->len, NULL, NULL);
		if (!err)
			err = tctl_encode(mb, &m);
		break;
	}

	case K_MCDATA:
		err = mcdata_decode((struct mcdata_msg **)&obj, v->buf,
				    v->len, NULL);
		if (!err)
			err = mcdata_encode(mb, obj);
		break;

	case K_WAV: {
		struct wav *w = NULL;

		err = wav_decode(&w, v->buf, v->len, NULL);
		if (!err)
			err = wav_to_mono(w);
		if (!err)
			err = wav_encode(mb, w->samples, w->nsamples, w->rate);
		obj = w;
		break;
	}

	case K_XCAPDIR:
		err = xcapdir_decode((struct xcapdir **)&obj, v->buf, v->len,
				     NULL);
		if (!err)
			err = re_snprintf(line, sizeof(line), "%H",
					  xcapdir_print, obj) < 0 ? ENOMEM :
				xcapdir_encode(mb, obj);
		break;

	default:
		err = EINVAL;
		break;
	}

	mem_deref(obj);

	return err;
}

static void every_codec(void **state)
{
	static struct vec v[] = {
		{ "info/mcptt-invite-continuation.xml", K_INFO_MCPTT, 0, 0 },
		{ "info/mcptt-migration-auth.xml", K_INFO_MCPTT, 0, 0 },
		{ "info/mcvideo-invite-cf.xml", K_INFO_MCVIDEO, 0, 0 },
		{ "info/mcdata-bye-migration.xml", K_INFO_MCDATA, 0, 0 },
		{ "migration/notice.xml", K_NOTICE, 0, 0 },
		{ "rlist/nested-lists.xml", K_RLIST, 0, 0 },
		{ "pocset/with-extension.xml", K_POCSET, 0, 0 },
		{ "profile/mcptt-alice.xml", K_PROFILE_MCPTT, 0, 0 },
		{ "profile/mcvideo-alice.xml", K_PROFILE_MCVIDEO, 0, 0 },
		{ "multipart/invite-private-call.hex", K_MULTIPART, 0, 0 },
		{ "mbcp/taken-lists.hex", K_MBCP, 0, 0 },
		{ "tctl/tx-granted.hex", K_TCTL, 0, 0 },
		{ "mcdata/fd-signalling.hex", K_MCDATA, 0, 0 },
		{ "audio/pcm-extensible.hex", K_WAV, 0, 0 },
		{ "audio/mulaw.hex", K_WAV, 0, 0 },
		{ "xcapdir/good-cms-full.xml", K_XCAPDIR, 0, 0 },
		{ "xcapdir/good-prefixed-extensions.xml", K_XCAPDIR, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		if (strstr(v[i].path, ".hex"))
			v[i].buf = tu_load_hex(v[i].path, &v[i].len);
		else
			v[i].buf = tu_load(v[i].path, &v[i].len);

		oom_case(v[i].path, run_vec, &v[i]);
		v[i].buf = mem_deref(v[i].buf);
	}
}

/* The CMS builds a directory: every builder's failure path */
static int run_xcapdir_build(const void *arg, struct mbuf *mb)
{
	struct xcapdir *dir = NULL;
	struct xcapdir_folder *f = NULL;
	int err;

	(void)arg;
	err = xcapdir_alloc(&dir);
	if (!err)
		err = xcapdir_folder_add(dir, "org.3gpp.mcptt.user-profile",
					 &f);
	if (!err)
		err = xcapdir_entry_add(f, "u0", "a1b2",
					"2026-11-25T09:00:00Z", 1234);
	if (!err)
		err = xcapdir_entry_add(f, "u1", "c3d4", NULL, -1);
	if (!err)
		err = xcapdir_folder_add(dir, "org.openmobilealliance.groups",
					 &f);
	if (!err)
		err = mcx_strset(&f->error, "503");
	if (!err)
		err = xcapdir_encode(mb, dir);
	mem_deref(dir);

	return err;
}

static void xcapdir_build(void **state)
{
	(void)state;
	oom_case("xcapdir build", run_xcapdir_build, NULL);
}

/* The form and percent decoders allocate nothing: the first allocation
 * would fail, and none is made */
static void form_no_alloc(void **state)
{
	static const char body[] = "grant_type=password&username=alice&"
		"password=s%40cret&client_id=mcx";
	char out[64];

	(void)state;
	countdown = 0;
	assert_int_equal(0, mcx_form_check(body, sizeof(body) - 1, NULL));
	assert_int_equal(0, mcx_form_get(body, sizeof(body) - 1, "password",
					 out, sizeof(out), NULL));
	assert_int_equal(0, mcx_pct_decode(out, sizeof(out), "sip%3Aa%40b",
					   11, false, NULL));
	assert_int_equal(0, countdown);
	countdown = -1;
}

/* The users.conf parser allocates nothing either: a line is copied to
 * the stack, and errors and users go out through diag and the handler */
static int userconf_count(const struct store_user_line *u, void *arg,
			  struct mcx_diag *why)
{
	(void)u;
	(void)why;
	++*(unsigned *)arg;
	return 0;
}

static void userconf_no_alloc(void **state)
{
	static const char text[] = "# users\r\n\r\n"
		"alice sip:alice@a.mcx.test secret Alice Anders\r\n"
		"bob\tsip:bob@a.mcx.test\tpw\n";
	struct mcx_diag d = { "" };
	unsigned n = 0;

	(void)state;
	countdown = 0;
	assert_int_equal(0, store_users_parse("users.conf",
					      (const uint8_t *)text,
					      sizeof(text) - 1,
					      userconf_count, &n, &d));
	assert_int_equal(2, n);
	assert_int_equal(EBADMSG, store_users_parse("users.conf",
						    (const uint8_t *)"Eve",
						    3, userconf_count, &n,
						    &d));
	assert_int_equal(0, countdown);
	countdown = -1;
	assert_string_equal(d.reason, "users.conf:1: expected NAME MC-ID "
			    "PASSWORD [DISPLAY NAME]");
}

/* ---- partner agreement files (the configuration engine allocates) ---- */

/* A good file, then one the engine refuses and one the parser refuses:
 * ENOMEM, or the same agreements and reasons */
static int run_partner(const void *arg, struct mbuf *mb)
{
	static const char good[] = "domain b.mcx.test\n"
		"sip [2001:db8::5]:5060\nhttp 127.0.2.1:8080\n"
		"idms_key keys/b.pem\nsecret 0123456789abcdef\n";
	static const char unknown[] = "domain b.mcx.test\nsipp 1.2.3.4:5\n";
	static const char port[] = "domain b.mcx.test\nsip 1.2.3.4:0\n"
		"http 1.2.3.4:5\nidms_key k\n";
	struct store_partner *p = mem_zalloc(sizeof(*p), NULL);
	struct store_partner_file pf;
	struct mcx_diag d = { "" };
	int err;

	(void)arg;
	if (!p)
		return ENOMEM;

	err = store_partner_parse(p, &pf, "b.mcx.test.conf", good,
				  sizeof(good) - 1, &d);
	if (!err)
		err = mbuf_printf(mb, "%s|%s|%s|%s|%s|%s|%u|%u\n", p->domain,
				  p->sip_addr, p->idms_token_url, p->cms_root,
				  p->secret, pf.idms_key, pf.idms_key_line,
				  pf.domain_line);
	if (err)
		goto out;

	err = store_partner_parse(p, &pf, "b.mcx.test.conf", unknown,
				  sizeof(unknown) - 1, &d);
	if (err == EBADMSG)
		err = mbuf_printf(mb, "%s\n", d.reason);
	if (err)
		goto out;

	err = store_partner_parse(p, &pf, "b.mcx.test.conf", port,
				  sizeof(port) - 1, &d);
	if (err == EBADMSG)
		err = mbuf_printf(mb, "%s\n", d.reason);

 out:
	mem_deref(p);
	return err;
}

static void partner_file(void **state)
{
	(void)state;
	oom_case("partner file", run_partner, NULL);
}

/* ---- the configuration engine ---- */

struct oconf {
	char *name;
	int64_t port;
	char *mode;
};

static const char *const oconf_modes[] = { "a", "b", NULL };

static const struct conf_opt oconf_opts[] = {
	{ .name = "name", .type = CONF_STR, .def = "x", .doc = "A name",
	  .off = offsetof(struct oconf, name) },
	{ .name = "port", .type = CONF_PORT, .def = "5060",
	  .off = offsetof(struct oconf, port) },
	{ .name = "mode", .type = CONF_ENUM, .def = "a",
	  .values = oconf_modes, .off = offsetof(struct oconf, mode) },
};

static const struct conf_table oconf_tbl = {
	oconf_opts, ARRAY_SIZE(oconf_opts)
};

static int oconf_write(const char *p, size_t n, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, n);
}

/* Defaults, a file on top, an override, the print. A load that fails
 * must leave the struct as it was (anything else is not ENOMEM and so
 * fails the case). */
static int run_conf(const void *arg, struct mbuf *mb)
{
	static const char text[] = "name \"a \\\"b\\\"\"\nport 5070\n"
		"mode b\n";
	struct oconf c = { NULL, 0, NULL };
	struct re_printf pf = { oconf_write, mb };
	int err;

	(void)arg;
	err = conf_defaults(&c, &oconf_tbl, NULL);
	if (err)
		goto out;

	err = conf_load_buf(&c, &oconf_tbl, "oom.conf", text,
			    sizeof(text) - 1, NULL);
	if (err == ENOMEM && (strcmp(c.name, "x") || c.port != 5060 ||
			      strcmp(c.mode, "a")))
		err = EINVAL;
	if (err)
		goto out;

	err = conf_set(&c, &oconf_tbl, "mode", "a", NULL);
	if (err == ENOMEM && strcmp(c.mode, "b"))
		err = EINVAL;
	if (!err)
		err = conf_print(&pf, &c, &oconf_tbl);

 out:
	conf_reset(&c, &oconf_tbl);
	return err;
}

static void conf_engine(void **state)
{
	(void)state;
	oom_case("conf", run_conf, NULL);
}

/* ---- access tokens (OpenSSL allocates as well) ---- */

struct tokcase {
	const struct token_key *priv;
	const struct token_key *pub;
	const uint8_t *tok;
	size_t len;
};

static int tok_verify(const void *arg, struct mbuf *mb)
{
	const struct tokcase *t = arg;
	struct token_claims c;
	int err;

	err = token_verify(&c, t->pub, (const char *)t->tok, t->len,
			   1735689600, "mcptt.a.mcx.test", NULL);
	if (!err)
		err = mbuf_printf(mb, "%H", token_claims_print, &c);

	return err;
}

static int tok_sign(const void *arg, struct mbuf *mb)
{
	const struct tokcase *t = arg;
	struct mbuf *tok = mbuf_alloc(1024);
	struct token_claims c;
	int err;

	if (!tok)
		return ENOMEM;
	err = token_parse(&c, NULL, (const char *)t->tok, t->len, NULL);
	if (!err)
		err = token_sign(tok, t->priv, &c);
	if (!err)
		err = token_verify(&c, t->pub, (const char *)tok->buf,
				   tok->end, 1735689600, NULL, NULL);
	if (!err)	/* the signature differs each time; the claims not */
		err = mbuf_printf(mb, "%H", token_claims_print, &c);
	mem_deref(tok);

	return err;
}

static struct token_key *tok_key(const char *relpath)
{
	struct token_key *k = NULL;
	uint8_t *pem;
	size_t len;

	pem = tu_load(relpath, &len);
	assert_int_equal(0, token_key_load_pem(&k, (const char *)pem, len,
					       NULL));
	mem_deref(pem);

	return k;
}

/*
 * Sign and verify. Loading PEM keys is left out: OpenSSL 3.0 drops the
 * allocation failure from its error queue when its PEM decoders fall
 * back, so the failure reads as a malformed PEM (EBADMSG). Keys are
 * loaded once at start-up, where that misnomer does no harm.
 */
static void tokens(void **state)
{
	struct tokcase t;
	struct token_key *priv, *pub;
	uint8_t *tok;

	(void)state;
	priv = tok_key("token/rfc7515-a3-key.pem");
	pub = tok_key("token/rfc7515-a3-pub.pem");
	tok = tu_load("token/mcptt-a3.jwt", &t.len);

	t.priv = priv;
	t.pub = pub;
	t.tok = tok;
	oom_case("token/mcptt-a3.jwt verify", tok_verify, &t);
	oom_case("token/mcptt-a3.jwt sign", tok_sign, &t);

	mem_deref(tok);
	mem_deref(pub);
	mem_deref(priv);
}

/* libxml2 reports its own allocation failures on stderr before a parser
 * context exists; the test keeps its output readable */
static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* The injection itself works: a failing malloc is seen by libre */
static void harness(void **state)
{
	void *p;

	(void)state;
	countdown = 0;
	p = mem_alloc(16, NULL);
	assert_null(p);
	assert_int_equal(-1, countdown);
	p = mem_alloc(16, NULL);
	assert_non_null(p);
	mem_deref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(harness),
		cmocka_unit_test(every_codec),
		cmocka_unit_test(conf_engine),
		cmocka_unit_test(tokens),
		cmocka_unit_test(xcapdir_build),
		cmocka_unit_test(form_no_alloc),
		cmocka_unit_test(userconf_no_alloc),
		cmocka_unit_test(partner_file),
	};

	if (!CRYPTO_set_mem_functions(ssl_malloc, ssl_realloc, ssl_free))
		return 1;
	xmlSetGenericErrorFunc(NULL, quiet);

	return cmocka_run_group_tests(tests, NULL, NULL);
}
