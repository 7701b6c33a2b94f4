/**
 * @file fuzz_conf.c  Configuration files, over a table with every type
 *
 * Arbitrary bytes load on top of the defaults. Refused: the struct is
 * still the defaults. Accepted: its print loads again, without error, to
 * equal values that print identically. The sample check, the required
 * check and the reload check run over the same input and result.
 * The table has the names of tests/unit/test_conf.c's, so that its
 * vectors (tests/data/conf/) are the seeds.
 */
#include <stddef.h>
#include <mcx/conf.h>
#include <mcx/diag.h>
#include "fuzz.h"

struct fconf {
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

#define OFF(m) offsetof(struct fconf, m)

static const struct conf_opt opts[] = {
	{ .name = "name", .type = CONF_STR, .def = "mcx", .min = 1,
	  .max = 32, .reload = true, .doc = "STR 1..32", .off = OFF(name) },
	{ .name = "motd", .type = CONF_STR, .reload = true,
	  .doc = "STR, no default", .off = OFF(motd) },
	{ .name = "workers", .type = CONF_INT, .def = "4", .min = 1,
	  .max = 64, .doc = "INT", .off = OFF(workers) },
	{ .name = "offset", .type = CONF_INT, .def = "-5", .min = INT64_MIN,
	  .max = INT64_MAX, .reload = true, .doc = "INT, all of int64_t",
	  .off = OFF(offset) },
	{ .name = "tls", .type = CONF_BOOL, .def = "no", .doc = "BOOL",
	  .off = OFF(tls) },
	{ .name = "verbose", .type = CONF_BOOL, .def = "yes", .reload = true,
	  .off = OFF(verbose) },
	{ .name = "sip_port", .type = CONF_PORT, .def = "5060",
	  .doc = "PORT", .off = OFF(sip_port) },
	{ .name = "rtp_min", .type = CONF_PORT, .def = "40000", .min = 1024,
	  .max = 65535, .doc = "PORT 1024..65535", .off = OFF(rtp_min) },
	{ .name = "listen", .type = CONF_IP, .def = "0.0.0.0",
	  .doc = "IP:\n\nv4 or v6", .off = OFF(listen) },
	{ .name = "domain", .type = CONF_DOMAIN, .required = true,
	  .doc = "DOMAIN, required", .off = OFF(domain) },
	{ .name = "registrar", .type = CONF_URI,
	  .def = "sip:registrar.mcx.test", .max = 256, .doc = "URI",
	  .off = OFF(registrar) },
	{ .name = "db", .type = CONF_PATH, .def = "/var/lib/mcx/mcx.db",
	  .doc = "PATH", .off = OFF(db) },
	{ .name = "hold", .type = CONF_SECONDS, .def = "30", .min = 1,
	  .max = 3600, .reload = true, .doc = "SECONDS", .off = OFF(hold) },
	{ .name = "transport", .type = CONF_ENUM, .def = "udp",
	  .values = transports, .doc = "ENUM", .off = OFF(transport) },
	{ .name = "banner", .type = CONF_STR, .def = " \"quoted\" # ",
	  .reload = true, .doc = "STR", .off = OFF(banner) },
};

static const struct conf_table tbl = { opts, sizeof(opts) / sizeof(opts[0]) };

static int mb_write(const char *p, size_t size, void *arg)
{
	return mbuf_write_mem(arg, (const uint8_t *)p, size);
}

static struct mbuf *print(const struct fconf *c)
{
	struct mbuf *mb = mbuf_alloc(1024);
	struct re_printf pf = { mb_write, mb };

	FUZZ_CHECK(mb);
	FUZZ_CHECK(0 == conf_print(&pf, c, &tbl));

	return mb;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fconf def, a, b;
	struct mcx_diag d = { "" };
	struct mbuf *p0, *p1, *p2 = NULL;
	int err;

	memset(&def, 0, sizeof(def));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	FUZZ_CHECK(0 == conf_defaults(&def, &tbl, NULL));
	FUZZ_CHECK(0 == conf_defaults(&a, &tbl, NULL));
	FUZZ_CHECK(0 == conf_defaults(&b, &tbl, NULL));
	p0 = print(&def);

	err = conf_load_buf(&a, &tbl, "fuzz", (const char *)data, size, &d);
	FUZZ_CHECK(!err || err == EBADMSG || err == EMSGSIZE);
	FUZZ_CHECK(!err || d.reason[0]);
	p1 = print(&a);

	if (err) {
		/* refused: nothing applied */
		FUZZ_CHECK(conf_equal(&a, &def, &tbl));
		FUZZ_CHECK(fuzz_same(p0->buf, p0->end, p1->buf, p1->end));
	}
	else {
		err = conf_load_buf(&b, &tbl, "printed", (const char *)p1->buf,
				    p1->end, &d);
		if (err)
			fprintf(stderr, "reload: %s\n", d.reason);
		FUZZ_CHECK(!err);
		FUZZ_CHECK(conf_equal(&a, &b, &tbl));
		p2 = print(&b);
		FUZZ_CHECK(fuzz_same(p1->buf, p1->end, p2->buf, p2->end));

		err = conf_check(&a, &tbl, &d);
		FUZZ_CHECK(!err == (a.domain != NULL));
		err = conf_reload_check(&def, &a, &tbl, &d);
		FUZZ_CHECK(!err || err == ENOTSUP);

		/* what prints the defaults is a valid sample */
		if (conf_equal(&a, &def, &tbl))
			FUZZ_CHECK(0 == conf_sample_check(&tbl, "printed",
				   (const char *)p1->buf, p1->end, &d));
	}

	err = conf_sample_check(&tbl, "fuzz", (const char *)data, size, &d);
	FUZZ_CHECK(!err || err == EBADMSG || err == EMSGSIZE);

	mem_deref(p2);
	mem_deref(p1);
	mem_deref(p0);
	conf_reset(&b, &tbl);
	conf_reset(&a, &tbl);
	conf_reset(&def, &tbl);

	return 0;
}
