/**
 * @file test_conf.c  Table-driven configuration: syntax, types, refusals,
 *                    printing, overrides and the sample check
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <re.h>
#include <mcx/conf.h>
#include <mcx/diag.h>
#include "testutil.h"

/* A table with every type; tests/fuzz/fuzz_conf.c has the same names */
struct tconf {
	char *name;
	char *motd;
	int64_t workers;
	int64_t offset;
	bool tls;
	bool verbose;
	int64_t sip_port;
	int64_t rtp_min;
	char *listen;
	char *domain;
	char *registrar;
	char *db;
	int64_t hold;
	char *transport;
	char *banner;
};

static const char *const transports[] = { "udp", "tcp", "tls", NULL };

#define OFF(m) offsetof(struct tconf, m)

static const struct conf_opt opts[] = {
	{ .name = "name", .type = CONF_STR, .def = "mcx", .min = 1,
	  .max = 32, .reload = true, .doc = "Name of this system in logs.",
	  .off = OFF(name) },
	{ .name = "motd", .type = CONF_STR, .reload = true,
	  .doc = "Message of the day; none by default.", .off = OFF(motd) },
	{ .name = "workers", .type = CONF_INT, .def = "4", .min = 1,
	  .max = 64, .doc = "Worker threads.", .off = OFF(workers) },
	{ .name = "offset", .type = CONF_INT, .def = "-5", .min = -100,
	  .max = 100, .reload = true, .doc = "A signed number.",
	  .off = OFF(offset) },
	{ .name = "tls", .type = CONF_BOOL, .def = "no",
	  .doc = "Offer SIP over TLS.", .off = OFF(tls) },
	{ .name = "verbose", .type = CONF_BOOL, .def = "yes", .reload = true,
	  .doc = "Log more.", .off = OFF(verbose) },
	{ .name = "sip_port", .type = CONF_PORT, .def = "5060",
	  .doc = "SIP port, UDP and TCP.", .off = OFF(sip_port) },
	{ .name = "rtp_min", .type = CONF_PORT, .def = "40000", .min = 1024,
	  .max = 65535, .doc = "Lowest RTP port.", .off = OFF(rtp_min) },
	{ .name = "listen", .type = CONF_IP, .def = "0.0.0.0",
	  .doc = "Address to listen on:\n\nIPv4 or IPv6.",
	  .off = OFF(listen) },
	{ .name = "domain", .type = CONF_DOMAIN, .required = true,
	  .doc = "Domain of this MC system (required).", .off = OFF(domain) },
	{ .name = "registrar", .type = CONF_URI,
	  .def = "sip:registrar.mcx.test", .doc = "Where to register.",
	  .off = OFF(registrar) },
	{ .name = "db", .type = CONF_PATH, .def = "/var/lib/mcx/mcx.db",
	  .off = OFF(db) },
	{ .name = "hold", .type = CONF_SECONDS, .def = "30", .min = 1,
	  .max = 3600, .reload = true, .doc = "Seconds to hold state.",
	  .off = OFF(hold) },
	{ .name = "transport", .type = CONF_ENUM, .def = "udp",
	  .values = transports, .doc = "SIP transport.",
	  .off = OFF(transport) },
	{ .name = "banner", .type = CONF_STR, .def = " \"quoted\" # ",
	  .reload = true, .doc = "Needs quotes when printed.",
	  .off = OFF(banner) },
};

static const struct conf_table tbl = { opts, ARRAY_SIZE(opts) };

/* Defaults, checked */
static void cfg_init(struct tconf *c)
{
	struct mcx_diag d = { "" };

	memset(c, 0, sizeof(*c));
	if (conf_defaults(c, &tbl, &d))
		fail_msg("defaults: %s", d.reason);
}

static int load_str(struct tconf *c, const char *text, struct mcx_diag *d)
{
	return conf_load_buf(c, &tbl, "t.conf", text, strlen(text), d);
}

static int mb_write(const char *p, size_t size, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, size);
}

/* conf_print into a mem string */
static char *print_tbl(const void *c, const struct conf_table *t)
{
	struct mbuf *mb = mbuf_alloc(1024);
	struct re_printf pf = { mb_write, mb };
	char *s = NULL;

	assert_non_null(mb);
	assert_int_equal(0, conf_print(&pf, c, t));
	mbuf_set_pos(mb, 0);
	assert_int_equal(0, mbuf_strdup(mb, &s, mb->end));
	mem_deref(mb);

	return s;
}

static char *print_str(const struct tconf *c)
{
	return print_tbl(c, &tbl);
}

/* One option's value as text: "(null)", "7", "yes", or the string */
static const char *value_of(const struct tconf *c, const char *name,
			    char *buf, size_t sz)
{
	const struct conf_opt *o = conf_find(&tbl, name);
	const char *p;

	assert_non_null(o);
	p = (const char *)c + o->off;

	switch (o->type) {

	case CONF_BOOL:
		return *(const bool *)p ? "yes" : "no";

	case CONF_INT:
	case CONF_PORT:
	case CONF_SECONDS:
		(void)snprintf(buf, sz, "%lld",
			       (long long)*(const int64_t *)p);
		return buf;

	default:
		return *(char *const *)p ? *(char *const *)p : "(null)";
	}
}

static void defaults(void **state)
{
	struct tconf c;
	char *s;

	(void)state;
	cfg_init(&c);
	assert_string_equal(c.name, "mcx");
	assert_null(c.motd);
	assert_int_equal(4, c.workers);
	assert_int_equal(-5, c.offset);
	assert_false(c.tls);
	assert_true(c.verbose);
	assert_int_equal(5060, c.sip_port);
	assert_int_equal(40000, c.rtp_min);
	assert_string_equal(c.listen, "0.0.0.0");
	assert_null(c.domain);
	assert_string_equal(c.registrar, "sip:registrar.mcx.test");
	assert_string_equal(c.db, "/var/lib/mcx/mcx.db");
	assert_int_equal(30, c.hold);
	assert_string_equal(c.transport, "udp");
	assert_string_equal(c.banner, " \"quoted\" # ");

	/* again, on a filled struct: the old strings are released */
	s = c.name;
	assert_int_equal(0, load_str(&c, "name other\nmotd hi\n", NULL));
	assert_int_equal(0, conf_defaults(&c, &tbl, NULL));
	assert_string_equal(c.name, "mcx");
	assert_null(c.motd);
	(void)s;

	conf_reset(&c, &tbl);
	assert_null(c.name);
	assert_null(c.banner);
	assert_int_equal(0, c.workers);
	conf_reset(&c, &tbl);
}

/* The exact print of the defaults (tests/data/conf/defaults.conf) */
static void print_defaults(void **state)
{
	struct tconf c;
	size_t len;
	uint8_t *exp;
	char *s;

	(void)state;
	cfg_init(&c);
	s = print_str(&c);
	exp = tu_load("conf/defaults.conf", &len);
	tu_assert_bytes((uint8_t *)s, strlen(s), exp, len);
	mem_deref(exp);
	mem_deref(s);
	conf_reset(&c, &tbl);
}

static void vector_full(void **state)
{
	struct tconf c;
	struct mcx_diag d = { "" };
	uint8_t *buf;
	size_t len;

	(void)state;
	cfg_init(&c);
	buf = tu_load("conf/full.conf", &len);
	if (conf_load_buf(&c, &tbl, "full.conf", (char *)buf, len, &d))
		fail_msg("%s", d.reason);

	assert_string_equal(c.name, "mcx-test");
	assert_string_equal(c.motd, "Hello, \"world\"#1 \\ path");
	assert_int_equal(16, c.workers);
	assert_int_equal(-100, c.offset);
	assert_true(c.tls);
	assert_false(c.verbose);
	assert_int_equal(5061, c.sip_port);
	assert_int_equal(1024, c.rtp_min);
	assert_string_equal(c.listen, "2001:db8::1");
	assert_string_equal(c.domain, "a.mcx.test");
	assert_string_equal(c.registrar, "sip:reg.a.mcx.test;transport=tcp");
	assert_string_equal(c.db, "/var/lib/mcx/a b#1.db");
	assert_int_equal(3600, c.hold);
	assert_string_equal(c.transport, "tls");
	assert_string_equal(c.banner, "\"\xc3\x9c" "n\xc3\xaf" "c\xc3\xb6"
			    "d\xc3\xa9\" \\ kept ");
	assert_int_equal(0, conf_check(&c, &tbl, &d));

	mem_deref(buf);
	conf_reset(&c, &tbl);
}

/* Values accepted, one line each, and what the option then holds */
static void accepted(void **state)
{
	static const struct { const char *text, *opt, *val; } ok[] = {
		/* syntax */
		{ "name  a b  \n", "name", "a b" },
		{ "name a#b", "name", "a#b" },
		{ "name a #b", "name", "a" },
		{ "name a\t#b", "name", "a" },
		{ "name\tx", "name", "x" },
		{ "  \tname x", "name", "x" },
		{ "name \"#\"", "name", "#" },
		{ "name \"\\\"\\\\\"", "name", "\"\\" },
		{ "name \" a \"  # c", "name", " a " },
		{ "name \"a\" ", "name", "a" },
		{ "name \"a\"\t#", "name", "a" },
		{ "name x\r\n", "name", "x" },
		{ "\r\n\r\nname x\r\nworkers 5\r\n", "workers", "5" },
		{ "\xef\xbb\xbfname x", "name", "x" },
		{ "#\n#x\n\n  \nname x\n", "name", "x" },
		{ "motd \"\"", "motd", "" },
		{ "motd a\"b", "motd", "a\"b" },
		{ "motd \\", "motd", "\\" },
		{ "motd \"a\\\\b\"", "motd", "a\\b" },
		{ "motd \xc3\xa9t\xc3\xa9 \xe2\x82\xac", "motd",
		  "\xc3\xa9t\xc3\xa9 \xe2\x82\xac" },
		{ "motd a\t b", "motd", "a\t b" },
		{ "name 01234567890123456789012345678901", "name",
		  "01234567890123456789012345678901" },
		/* numbers */
		{ "workers 1", "workers", "1" },
		{ "workers 64", "workers", "64" },
		{ "workers 007", "workers", "7" },
		{ "offset -100", "offset", "-100" },
		{ "offset 100", "offset", "100" },
		{ "offset -0", "offset", "0" },
		{ "sip_port 0", "sip_port", "0" },
		{ "sip_port 65535", "sip_port", "65535" },
		{ "rtp_min 65535", "rtp_min", "65535" },
		{ "hold 1", "hold", "1" },
		/* booleans */
		{ "tls yes", "tls", "yes" }, { "tls true", "tls", "yes" },
		{ "tls on", "tls", "yes" }, { "tls 1", "tls", "yes" },
		{ "tls TRUE", "tls", "yes" }, { "tls Yes", "tls", "yes" },
		{ "verbose no", "verbose", "no" },
		{ "verbose false", "verbose", "no" },
		{ "verbose off", "verbose", "no" },
		{ "verbose 0", "verbose", "no" },
		{ "verbose OFF", "verbose", "no" },
		/* addresses and names */
		{ "listen 192.0.2.1", "listen", "192.0.2.1" },
		{ "listen ::", "listen", "::" },
		{ "listen ::ffff:192.0.2.1", "listen", "::ffff:192.0.2.1" },
		{ "domain localhost", "domain", "localhost" },
		{ "domain A.MCX.TEST", "domain", "A.MCX.TEST" },
		{ "registrar sips:r.mcx.test:5061;transport=tls", "registrar",
		  "sips:r.mcx.test:5061;transport=tls" },
		{ "db relative/x.db", "db", "relative/x.db" },
		{ "transport tcp", "transport", "tcp" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		struct tconf c;
		struct mcx_diag d = { "" };
		char buf[32];
		const char *v;
		int err;

		cfg_init(&c);
		err = load_str(&c, ok[i].text, &d);
		if (err)
			fail_msg("case %zu: %d '%s'", i, err, d.reason);
		v = value_of(&c, ok[i].opt, buf, sizeof(buf));
		if (strcmp(v, ok[i].val))
			fail_msg("case %zu: '%s', expected '%s'", i, v,
				 ok[i].val);
		conf_reset(&c, &tbl);
	}
}

struct bad {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	int err;
	const char *why;
};

/* Every rule of the syntax and of each type, refused with its reason;
 * the struct is left as it was */
static void refusals(void **state)
{
	static const struct bad bad[] = {
		/* unknown options, with a suggestion when one is near */
		{ "nmae x\n", 0, EBADMSG,
		  "t.conf:1: option 'nmae': unknown, did you mean 'name'?" },
		{ "Name x\n", 0, EBADMSG, "did you mean 'name'?" },
		{ "sip-port 1\n", 0, EBADMSG, "did you mean 'sip_port'?" },
		{ "hodl 3\n", 0, EBADMSG, "did you mean 'hold'?" },
		{ "wrkrs 3\n", 0, EBADMSG, "did you mean 'workers'?" },
		{ "bogus 1\n", 0, EBADMSG,
		  "t.conf:1: option 'bogus': unknown" },
		{ "x\xc3\xa9 1\n", 0, EBADMSG, "unknown" },
		{ "name=x\n", 0, EBADMSG, "option 'name=x': unknown" },
		{ "\"name\" x\n", 0, EBADMSG, "unknown" },
		/* set twice */
		{ "name a\n\nname b\n", 0, EBADMSG,
		  "t.conf:3: option 'name': set twice (first on line 1)" },
		/* missing value */
		{ "name\n", 0, EBADMSG,
		  "t.conf:1: option 'name': value missing" },
		{ "name   \n", 0, EBADMSG, "option 'name': value missing" },
		{ "name   # c\n", 0, EBADMSG, "option 'name': value missing" },
		/* quotes */
		{ "name a\nmotd \"x\n", 0, EBADMSG,
		  "t.conf:2: option 'motd': unterminated quote" },
		{ "motd \"x\\\"\n", 0, EBADMSG, "unterminated quote" },
		{ "motd \"a\\b\"\n", 0, EBADMSG, "backslash in quotes" },
		{ "motd \"a\\", 0, EBADMSG, "backslash in quotes" },
		{ "motd \"a\"b\n", 0, EBADMSG, "text after the closing quote" },
		{ "motd \"a\"#b\n", 0, EBADMSG,
		  "text after the closing quote" },
		{ "motd \"a\" b\n", 0, EBADMSG,
		  "text after the closing quote" },
		/* bad values: type and bounds named */
		{ "workers 0\n", 0, EBADMSG,
		  "t.conf:1: option 'workers': '0' is not an integer in "
		  "1..64" },
		{ "workers 65\n", 0, EBADMSG,
		  "'65' is not an integer in 1..64" },
		{ "workers 1x\n", 0, EBADMSG, "is not an integer" },
		{ "workers +1\n", 0, EBADMSG, "is not an integer" },
		{ "workers 0x10\n", 0, EBADMSG, "is not an integer" },
		{ "workers 1 2\n", 0, EBADMSG, "'1 2' is not an integer" },
		{ "workers \"\"\n", 0, EBADMSG, "'' is not an integer" },
		{ "workers -\n", 0, EBADMSG, "is not an integer" },
		{ "workers 99999999999999999999\n", 0, EBADMSG,
		  "is not an integer in 1..64" },
		{ "offset -101\n", 0, EBADMSG,
		  "'-101' is not an integer in -100..100" },
		{ "tls maybe\n", 0, EBADMSG, "'maybe' is not a boolean "
		  "(yes/no, true/false, on/off, 1/0)" },
		{ "tls y\n", 0, EBADMSG, "is not a boolean" },
		{ "sip_port 65536\n", 0, EBADMSG,
		  "'65536' is not a port number in 0..65535" },
		{ "sip_port -1\n", 0, EBADMSG, "is not a port number" },
		{ "rtp_min 1023\n", 0, EBADMSG,
		  "'1023' is not a port number in 1024..65535" },
		{ "listen 1.2.3\n", 0, EBADMSG,
		  "'1.2.3' is not an IPv4 or IPv6 address" },
		{ "listen 1.2.3.256\n", 0, EBADMSG, "not an IPv4 or IPv6" },
		{ "listen [::1]\n", 0, EBADMSG, "not an IPv4 or IPv6" },
		{ "listen ::1%lo\n", 0, EBADMSG, "not an IPv4 or IPv6" },
		{ "listen localhost\n", 0, EBADMSG, "not an IPv4 or IPv6" },
		{ "domain -a.test\n", 0, EBADMSG,
		  "'-a.test' is not a domain name" },
		{ "domain a..test\n", 0, EBADMSG, "is not a domain name" },
		{ "domain a_b.test\n", 0, EBADMSG, "is not a domain name" },
		{ "registrar sip:a b\n", 0, EBADMSG,
		  "'sip:a b' is not a URI (no white space)" },
		{ "registrar \"\"\n", 0, EBADMSG, "is not a URI" },
		{ "db \"\"\n", 0, EBADMSG, "option 'db': '' is not a path" },
		{ "hold 0\n", 0, EBADMSG,
		  "'0' is not a number of seconds in 1..3600" },
		{ "hold 3601\n", 0, EBADMSG, "not a number of seconds" },
		{ "hold 30s\n", 0, EBADMSG, "not a number of seconds" },
		{ "transport sctp\n", 0, EBADMSG,
		  "'sctp' is not one of udp, tcp, tls" },
		{ "transport UDP\n", 0, EBADMSG,
		  "is not one of udp, tcp, tls" },
		{ "name 012345678901234567890123456789012\n", 0, EBADMSG,
		  "is not a string of 1..32 octets" },
		{ "name \"\"\n", 0, EBADMSG,
		  "'' is not a string of 1..32 octets" },
		{ "registrar sip:0123456789012345678901234567890123456789 x\n",
		  0, EBADMSG, "'sip:012345678901234567890123456789012345...' "
		  "is not" },
		/* control characters and encoding, comments included */
		{ "motd a\x01" "b\n", 0, EBADMSG,
		  "t.conf:1: option 'motd': control character 0x01" },
		{ "motd a\x7f\n", 0, EBADMSG, "control character 0x7f" },
		{ "motd \xc2\x85\n", 0, EBADMSG, "control character U+0085" },
		{ "motd \xff\n", 0, EBADMSG, "option 'motd': not UTF-8" },
		{ "motd \xc0\xaf\n", 0, EBADMSG, "not UTF-8" },
		{ "name a\nmotd \xe2\x82\n", 0, EBADMSG, "t.conf:2: option "
		  "'motd': not UTF-8" },
		{ "# a comment \x1b[0m\n", 0, EBADMSG,
		  "t.conf:1: control character 0x1b" },
		{ "name a\rb\n", 0, EBADMSG, "control character 0x0d" },
		{ "name a\r", 0, EBADMSG, "control character 0x0d" },
		{ "name a\r\r\n", 0, EBADMSG, "control character 0x0d" },
		{ "\x0cname a\n", 0, EBADMSG, "t.conf:1: control character" },
		{ "name a\0b\n", 9, EBADMSG, "control character 0x00" },
		{ "\xef\xbb\xbf\xef\xbb\xbfname a\n", 0, EBADMSG, "unknown" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct tconf c;
		struct mcx_diag d = { "" };
		char *before, *after;
		size_t len = bad[i].len ? bad[i].len : strlen(bad[i].text);
		int err;

		cfg_init(&c);
		assert_int_equal(0, load_str(&c, "motd before\n", NULL));
		before = print_str(&c);
		err = conf_load_buf(&c, &tbl, "t.conf", bad[i].text, len, &d);
		if (err != bad[i].err || !strstr(d.reason, bad[i].why))
			fail_msg("case %zu: %d '%s', expected %d '%s'", i, err,
				 d.reason, bad[i].err, bad[i].why);
		after = print_str(&c);
		if (strcmp(before, after))
			fail_msg("case %zu: the struct changed", i);
		mem_deref(after);
		mem_deref(before);
		conf_reset(&c, &tbl);
	}
}

/* A reason without a suggestion says nothing more */
static void no_suggestion(void **state)
{
	struct tconf c;
	struct mcx_diag d = { "" };

	(void)state;
	cfg_init(&c);
	assert_int_equal(EBADMSG, load_str(&c, "xyzzy 1", &d));
	assert_string_equal(d.reason, "t.conf:1: option 'xyzzy': unknown");
	/* three edits away from 'workers' */
	assert_int_equal(EBADMSG, load_str(&c, "wkrs 1", &d));
	assert_string_equal(d.reason, "t.conf:1: option 'wkrs': unknown");
	/* far too long to be a typo: no suggestion, reason cut */
	assert_int_equal(EBADMSG, load_str(&c, "namenamenamenamenamenamenamena"
					   "menamenamenamenamenamenamenamenamen"
					   "amename 1", &d));
	assert_null(strstr(d.reason, "did you mean"));
	conf_reset(&c, &tbl);
}

/* On error nothing of the file is applied: not even the lines before */
static void atomic(void **state)
{
	static const char text[] =
		"name other\nworkers 9\nlisten ::2\ntls yes\nhold 0\n";
	struct tconf c;
	struct mcx_diag d = { "" };
	char *name, *listen, *before, *after;

	(void)state;
	cfg_init(&c);
	assert_int_equal(0, load_str(&c, "domain a.mcx.test\n", NULL));
	name = c.name;
	listen = c.listen;
	before = print_str(&c);

	assert_int_equal(EBADMSG, load_str(&c, text, &d));
	assert_non_null(strstr(d.reason, "t.conf:5: option 'hold'"));
	assert_ptr_equal(name, c.name);
	assert_ptr_equal(listen, c.listen);
	assert_int_equal(4, c.workers);
	assert_false(c.tls);
	after = print_str(&c);
	assert_string_equal(before, after);

	/* the same lines without the bad one do apply */
	assert_int_equal(0, conf_load_buf(&c, &tbl, "t.conf", text,
					  strlen(text) - 7, &d));
	assert_string_equal(c.name, "other");
	assert_int_equal(9, c.workers);
	assert_string_equal(c.listen, "::2");
	assert_true(c.tls);
	assert_string_equal(c.domain, "a.mcx.test");	/* kept */

	mem_deref(after);
	mem_deref(before);
	conf_reset(&c, &tbl);
}

/* Printed output loads back to equal values and prints the same */
static void round_trip(void **state)
{
	struct tconf a, b, c;
	struct mcx_diag d = { "" };
	uint8_t *buf;
	size_t len;
	char *s1, *s2;

	(void)state;
	cfg_init(&a);
	cfg_init(&b);
	buf = tu_load("conf/full.conf", &len);
	assert_int_equal(0, conf_load_buf(&a, &tbl, "full.conf", (char *)buf,
					  len, &d));
	assert_false(conf_equal(&a, &b, &tbl));

	s1 = print_str(&a);
	if (load_str(&b, s1, &d))
		fail_msg("%s\n%s", d.reason, s1);
	assert_true(conf_equal(&a, &b, &tbl));
	s2 = print_str(&b);
	assert_string_equal(s1, s2);
	assert_non_null(strstr(s1, "\nbanner \"\\\"\xc3\x9cn"));
	assert_non_null(strstr(s1, "\ndb \"/var/lib/mcx/a b#1.db\"\n"));
	assert_non_null(strstr(s1, "\nmotd \"Hello, \\\"world\\\"#1 \\\\ "
			       "path\"\n"));
	assert_non_null(strstr(s1, "\nverbose no\n"));
	mem_deref(s2);

	/* the same through "%H" */
	s2 = NULL;
	assert_int_equal(0, re_sdprintf(&s2, "%H", conf_ref_print,
					&(struct conf_ref){ &a, &tbl }));
	assert_string_equal(s1, s2);
	mem_deref(s2);

	/* the defaults, with a string option that has no value */
	cfg_init(&c);
	s2 = print_str(&c);
	conf_reset(&b, &tbl);
	cfg_init(&b);
	assert_int_equal(0, load_str(&b, s2, &d));
	assert_true(conf_equal(&b, &c, &tbl));
	assert_null(b.motd);

	mem_deref(s2);
	mem_deref(s1);
	mem_deref(buf);
	conf_reset(&a, &tbl);
	conf_reset(&b, &tbl);
	conf_reset(&c, &tbl);
}

/* Values at the limits print to lines that load again */
static void limits(void **state)
{
	char *line = mem_alloc(CONF_FILE_MAX + 2, NULL);
	struct tconf c, c2;
	struct mcx_diag d = { "" };
	char *s;

	(void)state;
	assert_non_null(line);
	cfg_init(&c);

	/* a line of CONF_LINE_MAX octets, and one more */
	memset(line, 'x', CONF_LINE_MAX + 1);
	line[0] = '#';
	assert_int_equal(0, conf_load_buf(&c, &tbl, "t.conf", line,
					  CONF_LINE_MAX, &d));
	assert_int_equal(EBADMSG, conf_load_buf(&c, &tbl, "t.conf", line,
						CONF_LINE_MAX + 1, &d));
	assert_string_equal(d.reason, "t.conf:1: line longer than 4096 "
			    "octets");
	memcpy(line, "motd ", 5);
	assert_int_equal(EBADMSG, conf_load_buf(&c, &tbl, "t.conf", line,
						CONF_LINE_MAX + 1, &d));
	assert_string_equal(d.reason, "t.conf:1: option 'motd': line longer "
			    "than 4096 octets");
	/* the limit is on the line without its end */
	memcpy(line + CONF_LINE_MAX - 1, "x\r\n", 3);
	line[0] = '#';
	assert_int_equal(0, conf_load_buf(&c, &tbl, "t.conf", line,
					  CONF_LINE_MAX + 2, &d));

	/* a value of CONF_VALUE_MAX octets, and one more */
	memcpy(line, "motd ", 5);
	memset(line + 5, 'v', CONF_VALUE_MAX + 1);
	assert_int_equal(0, conf_load_buf(&c, &tbl, "t.conf", line,
					  5 + CONF_VALUE_MAX, &d));
	assert_int_equal(CONF_VALUE_MAX, strlen(c.motd));
	assert_int_equal(EBADMSG, conf_load_buf(&c, &tbl, "t.conf", line,
						6 + CONF_VALUE_MAX, &d));
	assert_string_equal(d.reason, "t.conf:1: option 'motd': value longer "
			    "than 1024 octets");

	/* ... quoted: every octet escaped doubles its printed size */
	line[5] = '"';
	for (size_t i = 0; i <= CONF_VALUE_MAX; i++)
		memcpy(line + 6 + 2 * i, "\\\"", 2);
	line[6 + 2 * (CONF_VALUE_MAX + 1)] = '"';
	assert_int_equal(EBADMSG, conf_load_buf(&c, &tbl, "t.conf", line,
						7 + 2 * (CONF_VALUE_MAX + 1),
						&d));
	assert_string_equal(d.reason, "t.conf:1: option 'motd': value longer "
			    "than 1024 octets");
	line[6 + 2 * CONF_VALUE_MAX] = '"';
	assert_int_equal(0, conf_load_buf(&c, &tbl, "t.conf", line,
					  7 + 2 * CONF_VALUE_MAX, &d));
	assert_int_equal(CONF_VALUE_MAX, strlen(c.motd));
	assert_int_equal('"', c.motd[CONF_VALUE_MAX - 1]);
	s = print_str(&c);
	cfg_init(&c2);
	assert_int_equal(0, load_str(&c2, s, &d));
	assert_true(conf_equal(&c, &c2, &tbl));
	mem_deref(s);
	conf_reset(&c2, &tbl);

	/* the whole file */
	memset(line, '\n', CONF_FILE_MAX + 1);
	assert_int_equal(0, conf_load_buf(&c, &tbl, "t.conf", line,
					  CONF_FILE_MAX, &d));
	assert_int_equal(EMSGSIZE, conf_load_buf(&c, &tbl, "t.conf", line,
						 CONF_FILE_MAX + 1, &d));
	assert_string_equal(d.reason, "t.conf: larger than 1048576 octets");

	/* an empty file changes nothing */
	assert_int_equal(0, conf_load_buf(&c, &tbl, "t.conf", NULL, 0, &d));

	mem_deref(line);
	conf_reset(&c, &tbl);
}

/* Integers over the whole of int64_t */
static void wide_integers(void **state)
{
	static const struct conf_opt wopts[] = {
		{ .name = "n", .type = CONF_INT, .def = "0",
		  .min = INT64_MIN, .max = INT64_MAX, .off = 0 },
	};
	static const struct conf_table wt = { wopts, 1 };
	static const struct { const char *v; int err; int64_t n; } v[] = {
		{ "9223372036854775807", 0, INT64_MAX },
		{ "-9223372036854775808", 0, INT64_MIN },
		{ "9223372036854775808", EBADMSG, 0 },
		{ "-9223372036854775809", EBADMSG, 0 },
		{ "18446744073709551616", EBADMSG, 0 },
		{ "-", EBADMSG, 0 },
		{ "--1", EBADMSG, 0 },
	};
	int64_t n = 0;
	char *s = NULL;

	(void)state;
	assert_int_equal(0, conf_defaults(&n, &wt, NULL));
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		struct mcx_diag d = { "" };
		int err = conf_set(&n, &wt, "n", v[i].v, &d);

		if (err != v[i].err || (!err && n != v[i].n))
			fail_msg("case %zu: %d '%s'", i, err, d.reason);
	}
	assert_int_equal(0, conf_set(&n, &wt, "n", "-9223372036854775808",
				     NULL));
	s = print_tbl(&n, &wt);
	assert_string_equal(s, "n -9223372036854775808\n");
	mem_deref(s);
}

static void overrides(void **state)
{
	struct tconf c;
	struct mcx_diag d = { "" };
	char big[CONF_VALUE_MAX + 2];
	char *s;

	(void)state;
	cfg_init(&c);
	assert_int_equal(0, load_str(&c, "workers 8\nname file\n", &d));

	/* a later source overrides an earlier one */
	assert_int_equal(0, conf_set(&c, &tbl, "workers", "12", &d));
	assert_int_equal(12, c.workers);
	assert_int_equal(0, conf_set(&c, &tbl, "workers", "13", &d));
	assert_int_equal(13, c.workers);
	/* taken as it is: blanks, '#' and quotes are text */
	assert_int_equal(0, conf_set(&c, &tbl, "name", " a # \"b\" ", &d));
	assert_string_equal(c.name, " a # \"b\" ");
	assert_int_equal(0, conf_set(&c, &tbl, "tls", "On", &d));
	assert_true(c.tls);
	assert_int_equal(0, conf_set(&c, &tbl, "motd", "", &d));
	assert_string_equal(c.motd, "");

	s = c.name;
	assert_int_equal(EBADMSG, conf_set(&c, &tbl, "workers", "0", &d));
	assert_string_equal(d.reason, "option 'workers': '0' is not an "
			    "integer in 1..64");
	assert_int_equal(EBADMSG, conf_set(&c, &tbl, "wrokers", "3", &d));
	assert_string_equal(d.reason, "option 'wrokers': unknown, did you "
			    "mean 'workers'?");
	assert_int_equal(EBADMSG, conf_set(&c, &tbl, "zzz", "3", &d));
	assert_string_equal(d.reason, "option 'zzz': unknown");
	assert_int_equal(EBADMSG, conf_set(&c, &tbl, "name", "a\nb", &d));
	assert_string_equal(d.reason, "option 'name': control character "
			    "0x0a");
	assert_int_equal(EBADMSG, conf_set(&c, &tbl, "name", "\xfe", &d));
	assert_string_equal(d.reason, "option 'name': not UTF-8");
	assert_int_equal(EBADMSG, conf_set(&c, &tbl, "name", "", &d));
	assert_int_equal(EBADMSG, conf_set(&c, &tbl, "domain", "a b", &d));
	assert_string_equal(d.reason, "option 'domain': 'a b' is not a domain "
			    "name");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(EBADMSG, conf_set(&c, &tbl, "motd", big, &d));
	assert_string_equal(d.reason, "option 'motd': value longer than 1024 "
			    "octets");
	assert_int_equal(EINVAL, conf_set(&c, &tbl, "name", NULL, &d));
	assert_int_equal(EINVAL, conf_set(&c, &tbl, NULL, "x", &d));
	assert_int_equal(EINVAL, conf_set(NULL, &tbl, "name", "x", &d));
	assert_int_equal(EINVAL, conf_set(&c, NULL, "name", "x", &d));
	assert_int_equal(EBADMSG, conf_set(&c, &tbl, "workers", "0", NULL));
	/* unchanged by any of these */
	assert_ptr_equal(s, c.name);
	assert_int_equal(13, c.workers);
	assert_string_equal(c.motd, "");

	conf_reset(&c, &tbl);
}

static void required(void **state)
{
	struct tconf c;
	struct mcx_diag d = { "" };

	(void)state;
	cfg_init(&c);
	assert_int_equal(EBADMSG, conf_check(&c, &tbl, &d));
	assert_string_equal(d.reason, "option 'domain': required, not set");
	assert_int_equal(0, conf_set(&c, &tbl, "domain", "a.mcx.test", &d));
	assert_int_equal(0, conf_check(&c, &tbl, &d));
	assert_int_equal(EINVAL, conf_check(NULL, &tbl, &d));
	conf_reset(&c, &tbl);
}

static void reload(void **state)
{
	struct tconf cur, next;
	struct mcx_diag d = { "" };

	(void)state;
	cfg_init(&cur);
	cfg_init(&next);
	assert_int_equal(0, conf_reload_check(&cur, &next, &tbl, &d));

	/* reloadable ones may change */
	assert_int_equal(0, load_str(&next, "verbose no\nhold 5\nname x\n"
				     "motd hi\n", &d));
	assert_int_equal(0, conf_reload_check(&cur, &next, &tbl, &d));

	/* others only on restart: the first one is named */
	assert_int_equal(0, conf_set(&next, &tbl, "transport", "tcp", &d));
	assert_int_equal(0, conf_set(&next, &tbl, "workers", "5", &d));
	assert_int_equal(ENOTSUP, conf_reload_check(&cur, &next, &tbl, &d));
	assert_string_equal(d.reason, "option 'workers': changes only on "
			    "restart");
	assert_int_equal(0, conf_set(&next, &tbl, "workers", "4", &d));
	assert_int_equal(ENOTSUP, conf_reload_check(&cur, &next, &tbl, &d));
	assert_string_equal(d.reason, "option 'transport': changes only on "
			    "restart");
	/* a string option that gets a value where it had none */
	assert_int_equal(0, conf_set(&next, &tbl, "transport", "udp", &d));
	assert_int_equal(0, conf_set(&next, &tbl, "domain", "a.test", &d));
	assert_int_equal(ENOTSUP, conf_reload_check(&cur, &next, &tbl, &d));
	assert_string_equal(d.reason, "option 'domain': changes only on "
			    "restart");

	conf_reset(&cur, &tbl);
	conf_reset(&next, &tbl);
}

static void find_and_args(void **state)
{
	struct tconf c;

	(void)state;
	assert_ptr_equal(&opts[12], conf_find(&tbl, "hold"));
	assert_ptr_equal(&opts[0], conf_find(&tbl, "name"));
	assert_null(conf_find(&tbl, "hol"));
	assert_null(conf_find(&tbl, "holdx"));
	assert_null(conf_find(&tbl, ""));
	assert_null(conf_find(NULL, "hold"));
	assert_null(conf_find(&tbl, NULL));

	cfg_init(&c);
	assert_int_equal(EINVAL, conf_defaults(NULL, &tbl, NULL));
	assert_int_equal(EINVAL, conf_defaults(&c, NULL, NULL));
	assert_int_equal(EINVAL, conf_load_buf(NULL, &tbl, "t", "", 0, NULL));
	assert_int_equal(EINVAL, conf_load_buf(&c, &tbl, NULL, "", 0, NULL));
	assert_int_equal(EINVAL, conf_load_buf(&c, &tbl, "t", NULL, 1, NULL));
	assert_int_equal(EINVAL, conf_load_file(&c, &tbl, NULL, NULL));
	assert_int_equal(EINVAL, conf_print(NULL, &c, &tbl));
	assert_int_equal(EINVAL, conf_ref_print(NULL, NULL));
	assert_int_equal(EINVAL, conf_sample_check(&tbl, "t", NULL, 1, NULL));
	assert_int_equal(EINVAL, conf_reload_check(&c, NULL, &tbl, NULL));
	assert_false(conf_equal(&c, NULL, &tbl));
	conf_reset(NULL, &tbl);
	conf_reset(&c, &tbl);
}

/* Bad tables are programming errors: EINVAL naming the row, and the
 * struct left alone */
static void bad_tables(void **state)
{
	static const char *const none[] = { NULL };
	static const char *const empty[] = { "udp", "", NULL };
	static const struct {
		struct conf_opt o[2];
		const char *why;
	} bad[] = {
		{ { { .name = "Bad", .type = CONF_STR } },
		  "option 0: bad name" },
		{ { { .name = "", .type = CONF_STR } }, "option 0: bad name" },
		{ { { .name = NULL, .type = CONF_STR } },
		  "option 0: bad name" },
		{ { { .name = "a", .type = CONF_STR },
		    { .name = "a", .type = CONF_STR } },
		  "option 'a': twice in the table" },
		{ { { .name = "i", .type = CONF_INT, .def = "0" } },
		  "option 'i': no bounds (min < max)" },
		{ { { .name = "i", .type = CONF_INT, .def = "0", .min = 5,
		      .max = 1 } }, "no bounds" },
		{ { { .name = "s", .type = CONF_SECONDS, .def = "0",
		      .min = -1, .max = 5 } },
		  "option 's': negative seconds" },
		{ { { .name = "p", .type = CONF_PORT, .def = "1", .min = 1,
		      .max = 70000 } }, "option 'p': bad port bounds" },
		{ { { .name = "p", .type = CONF_PORT, .def = "1", .min = -1,
		      .max = 7 } }, "bad port bounds" },
		{ { { .name = "e", .type = CONF_ENUM, .def = "udp" } },
		  "option 'e': no values" },
		{ { { .name = "e", .type = CONF_ENUM, .def = "udp",
		      .values = none } }, "option 'e': no values" },
		{ { { .name = "e", .type = CONF_ENUM, .def = "udp",
		      .values = empty } }, "option 'e': bad value 1" },
		{ { { .name = "s", .type = CONF_STR, .max = 2000 } },
		  "option 's': bad length bounds" },
		{ { { .name = "s", .type = CONF_URI, .min = 3, .max = 2 } },
		  "bad length bounds" },
		{ { { .name = "t", .type = (enum conf_type)99 } },
		  "option 't': bad type 99" },
		{ { { .name = "i", .type = CONF_INT, .min = 0, .max = 9 } },
		  "option 'i': a number or boolean needs a default" },
		{ { { .name = "b", .type = CONF_BOOL } },
		  "a number or boolean needs a default" },
		{ { { .name = "r", .type = CONF_STR, .def = "x",
		      .required = true } },
		  "option 'r': required, yet has a default" },
		{ { { .name = "d", .type = CONF_STR, .doc = "ok\nbad\x01" } },
		  "option 'd': doc: control character 0x01" },
		{ { { .name = "p", .type = CONF_PORT, .def = "70000" } },
		  "option 'p': default '70000' is not a port number in "
		  "0..65535" },
		{ { { .name = "e", .type = CONF_ENUM, .def = "sctp",
		      .values = transports } },
		  "option 'e': default 'sctp' is not one of udp, tcp, tls" },
		{ { { .name = "b", .type = CONF_BOOL, .def = "maybe" } },
		  "default 'maybe' is not a boolean" },
		{ { { .name = "s", .type = CONF_STR, .def = "a\nb" } },
		  "option 's': default: control character 0x0a" },
		{ { { .name = "x", .type = CONF_STR },
		    { .name = "s", .type = CONF_IP, .def = "::1::" } },
		  "option 's': default '::1::' is not an IPv4" },
	};
	char *doc = mem_alloc(CONF_LINE_MAX + 1, NULL);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct conf_table t = { bad[i].o, bad[i].o[1].name ? 2 : 1 };
		struct mcx_diag d = { "" };
		int64_t mem[4] = { 7, 7, 7, 7 };
		int err = conf_defaults(mem, &t, &d);

		if (err != EINVAL || !strstr(d.reason, bad[i].why))
			fail_msg("case %zu: %d '%s', expected '%s'", i, err,
				 d.reason, bad[i].why);
		assert_int_equal(7, mem[0]);
	}

	/* a doc line that would print longer than a line */
	memset(doc, 'd', CONF_LINE_MAX);
	doc[CONF_LINE_MAX - 2] = '\0';
	{
		struct conf_opt o = { .name = "d", .type = CONF_STR,
				      .doc = doc };
		struct conf_table t = { &o, 1 };
		struct mcx_diag d = { "" };
		char *s = NULL;

		assert_int_equal(0, conf_defaults(&s, &t, &d));
		doc[CONF_LINE_MAX - 2] = 'd';
		doc[CONF_LINE_MAX - 1] = '\0';
		assert_int_equal(EINVAL, conf_defaults(&s, &t, &d));
		assert_string_equal(d.reason, "option 'd': doc: line too "
				    "long");
	}

	/* the empty table is a table */
	{
		struct conf_table t = { NULL, 0 };
		int x = 0;

		assert_int_equal(0, conf_defaults(&x, &t, NULL));
		assert_int_equal(0, conf_load_buf(&x, &t, "t", "\n# c\n", 5,
						  NULL));
		assert_int_equal(0, conf_sample_check(&t, "t", "", 0, NULL));
	}
	mem_deref(doc);
}

/* Replace the first occurrence of from in s (a mem string) */
static char *replace(char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	size_t off, flen = strlen(from), tlen = strlen(to);
	char *r;

	assert_non_null(p);
	off = (size_t)(p - s);
	r = mem_alloc(strlen(s) - flen + tlen + 1, NULL);
	assert_non_null(r);
	memcpy(r, s, off);
	memcpy(r + off, to, tlen);
	memcpy(r + off + tlen, s + off + flen, strlen(s + off + flen) + 1);
	mem_deref(s);
	return r;
}

static void sample_check(void **state)
{
	static const struct { const char *from, *to, *why; } bad[] = {
		{ "hold 30\n", "", "s.conf: option 'hold': missing" },
		{ "hold 30\n", "hold 31\n",
		  "s.conf:39: option 'hold': not its default '30'" },
		{ "hold 30\n", "# hold 31\n",
		  "s.conf:39: option 'hold': not its default '30'" },
		{ "hold 30\n", "#hold 0030 # a comment\n", NULL },
		{ "hold 30\n", "# hold the line\n",
		  "s.conf: option 'hold': missing" },
		{ "hold 30\n", "hold 30\n# hold 30\n",
		  "s.conf:40: option 'hold': appears twice (lines 39 and 40)" },
		{ "hold 30\n", "# hold 30\n# hold 30\n",
		  "s.conf:40: option 'hold': appears twice (lines 39 and 40)" },
		{ "hold 30\n", "hold 30\nhold 30\n",
		  "s.conf:40: option 'hold': set twice (first on line 39)" },
		{ "hold 30\n", "# hold 30\nhold 30\n",
		  "s.conf:40: option 'hold': appears twice (lines 39 and 40)" },
		{ "hold 30\n", "hold 0\n",
		  "s.conf:39: option 'hold': '0' is not a number of seconds" },
		{ "hold 30\n", "hodl 30\n",
		  "s.conf:39: option 'hodl': unknown, did you mean 'hold'?" },
		{ "tls no\n", "tls off\n", NULL },
		{ "tls no\n", "# tls 0\n", NULL },
		{ "tls no\n", "tls 1\n", "option 'tls': not its default 'no'" },
		{ "# motd\n", "# motd anything at all\n", NULL },
		{ "# motd\n", "motd set\n", NULL },
		{ "# motd\n", "", "s.conf: option 'motd': missing" },
		{ "# domain\n", "# domain -bad-\n",
		  "s.conf: option 'domain': missing" },
		{ "# domain\n", "domain -bad-\n", "is not a domain name" },
		{ "banner \" \\\"quoted\\\" # \"\n",
		  "# banner \" \\\"quoted\\\" # \"   # a comment\n", NULL },
		{ "banner \" \\\"quoted\\\" # \"\n", "banner quoted\n",
		  "option 'banner': not its default ' 'quoted' # '" },
		{ "# Worker", "\x01", "s.conf:7: control character 0x01" },
	};
	struct tconf c;
	struct mcx_diag d = { "" };
	uint8_t *buf;
	size_t len;
	char *def;

	(void)state;
	/* the hand-written sample and the print of the defaults pass */
	buf = tu_load("conf/sample.conf", &len);
	if (conf_sample_check(&tbl, "sample.conf", (char *)buf, len, &d))
		fail_msg("%s", d.reason);
	mem_deref(buf);

	cfg_init(&c);
	def = print_str(&c);
	conf_reset(&c, &tbl);
	if (conf_sample_check(&tbl, "s.conf", def, strlen(def), &d))
		fail_msg("%s\n%s", d.reason, def);

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		char *s = NULL;
		int err;

		assert_int_equal(0, re_sdprintf(&s, "%s", def));
		s = replace(s, bad[i].from, bad[i].to);
		mcx_diag_clear(&d);
		err = conf_sample_check(&tbl, "s.conf", s, strlen(s), &d);
		if (!bad[i].why && err)
			fail_msg("case %zu: %d '%s'", i, err, d.reason);
		if (bad[i].why && (err != EBADMSG ||
				   !strstr(d.reason, bad[i].why)))
			fail_msg("case %zu: %d '%s', expected '%s'", i, err,
				 d.reason, bad[i].why);
		mem_deref(s);
	}

	/* two things wrong: the first option in table order is named */
	def = replace(def, "hold 30\n", "hold 31\n");
	def = replace(def, "workers 4\n", "");
	assert_int_equal(EBADMSG, conf_sample_check(&tbl, "s.conf", def,
						    strlen(def), &d));
	assert_string_equal(d.reason, "s.conf: option 'workers': missing");

	mem_deref(def);
}

/* Cut anywhere, a file loads or is refused as malformed; cut at the end
 * of a line, it loads */
static void prefixes(void **state)
{
	struct mcx_diag d = { "" };
	uint8_t *buf;
	size_t len;

	(void)state;
	buf = tu_load("conf/full.conf", &len);
	for (size_t n = 0; n <= len; n++) {
		struct tconf c;
		int err;

		cfg_init(&c);
		err = conf_load_buf(&c, &tbl, "full.conf", (char *)buf, n, &d);
		if (err && err != EBADMSG)
			fail_msg("prefix %zu: %d '%s'", n, err, d.reason);
		if (err && (n == len || buf[n] == '\n'))
			fail_msg("prefix %zu: %d '%s'", n, err, d.reason);
		if (err && c.domain)
			fail_msg("prefix %zu: refused yet applied", n);
		conf_reset(&c, &tbl);
	}
	mem_deref(buf);
}

static void files(void **state)
{
	char path[] = "/tmp/test_conf.XXXXXX";
	char full[512];
	struct tconf c, c2;
	struct mcx_diag d = { "" };
	uint8_t *buf;
	size_t len;
	char *big;
	int fd;

	(void)state;
	cfg_init(&c);
	cfg_init(&c2);
	(void)snprintf(full, sizeof(full), "%s/conf/full.conf",
		       MCX_TEST_DATA);
	assert_int_equal(0, conf_load_file(&c, &tbl, full, &d));
	buf = tu_load("conf/full.conf", &len);
	assert_int_equal(0, conf_load_buf(&c2, &tbl, "x", (char *)buf, len,
					  &d));
	assert_true(conf_equal(&c, &c2, &tbl));
	mem_deref(buf);

	assert_int_equal(ENOENT, conf_load_file(&c, &tbl, "/nonexistent/m.conf",
						&d));
	assert_string_equal(d.reason, "/nonexistent/m.conf: No such file or "
			    "directory");
	assert_int_equal(EISDIR, conf_load_file(&c, &tbl, MCX_TEST_DATA, &d));
	assert_non_null(strstr(d.reason, MCX_TEST_DATA ": "));

	/* reasons start with the path */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(10, write(fd, "hold 0\r\n\r\n", 10));
	assert_int_equal(EBADMSG, conf_load_file(&c, &tbl, path, &d));
	assert_int_equal(0, strncmp(d.reason, path, strlen(path)));
	assert_non_null(strstr(d.reason, ":1: option 'hold': '0' is not"));

	/* unreadable (root reads anything) */
	assert_int_equal(0, fchmod(fd, 0));
	if (geteuid() != 0) {
		assert_int_equal(EACCES, conf_load_file(&c, &tbl, path, &d));
		assert_non_null(strstr(d.reason, "Permission denied"));
	}
	assert_int_equal(0, fchmod(fd, 0600));

	/* larger than CONF_FILE_MAX */
	big = mem_alloc(CONF_FILE_MAX + 1, NULL);
	assert_non_null(big);
	memset(big, '\n', CONF_FILE_MAX + 1);
	assert_int_equal(0, ftruncate(fd, 0));
	assert_int_equal(CONF_FILE_MAX + 1,
			 pwrite(fd, big, CONF_FILE_MAX + 1, 0));
	assert_int_equal(EMSGSIZE, conf_load_file(&c, &tbl, path, &d));
	assert_non_null(strstr(d.reason, ": larger than 1048576 octets"));
	assert_int_equal(0, ftruncate(fd, CONF_FILE_MAX));
	assert_int_equal(0, conf_load_file(&c, &tbl, path, &d));
	mem_deref(big);

	(void)close(fd);
	(void)unlink(path);
	assert_true(conf_equal(&c, &c2, &tbl));
	conf_reset(&c, &tbl);
	conf_reset(&c2, &tbl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(print_defaults),
		cmocka_unit_test(vector_full),
		cmocka_unit_test(accepted),
		cmocka_unit_test(refusals),
		cmocka_unit_test(no_suggestion),
		cmocka_unit_test(atomic),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(limits),
		cmocka_unit_test(wide_integers),
		cmocka_unit_test(overrides),
		cmocka_unit_test(required),
		cmocka_unit_test(reload),
		cmocka_unit_test(find_and_args),
		cmocka_unit_test(bad_tables),
		cmocka_unit_test(sample_check),
		cmocka_unit_test(prefixes),
		cmocka_unit_test(files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
