/**
 * @file test_mcdata.c  MCData signalling (TS 24.282 clause 15)
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/mcdata.h>
#include "testutil.h"

static const uint8_t conv[16] = {
	0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
	0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8
};

static struct mcdata_msg *vec(const char *path, uint8_t **bufp,
			      size_t *lenp)
{
	struct mcdata_msg *m = NULL;
	struct mcx_diag d = { "" };
	int err;

	*bufp = tu_load_hex(path, lenp);
	err = mcdata_decode(&m, *bufp, *lenp, &d);
	if (err)
		fail_msg("%s: %d %s", path, err, d.reason);

	return m;
}

static void assert_reencodes(const struct mcdata_msg *m, const uint8_t *buf,
			     size_t len)
{
	struct mbuf *mb = mbuf_alloc(128);

	assert_int_equal(0, mcdata_encode(mb, m));
	tu_assert_bytes(mb->buf, mb->end, buf, len);
	mem_deref(mb);
}

static void sds(void **state)
{
	struct mcdata_msg *m, built;
	uint8_t *buf;
	size_t len;
	char line[300];

	(void)state;
	m = vec("mcdata/sds-signalling.hex", &buf, &len);
	assert_int_equal(MCDATA_SDS_SIGNALLING, m->type);
	assert_int_equal(0, m->flags);
	assert_int_equal(1735689600, m->date);
	assert_memory_equal(m->conv_id, conv, 16);
	assert_int_equal(0x11, m->msg_id[3]);
	assert_true(mcdata_has(m, MCDATA_IE_SDS_DISP));
	assert_int_equal(MCDATA_DISP_DELIVERY, m->sds_disp);
	assert_int_equal(20, m->sender.n);
	assert_memory_equal(m->sender.p, "sip:alice@a.mcx.test", 20);
	assert_reencodes(m, buf, len);

	(void)re_snprintf(line, sizeof(line), "%H", mcdata_print, m);
	assert_string_equal(line, "MCData SDS SIGNALLING PAYLOAD "
			    "date=1735689600 conversation=6ba7b810-9dad-11d1-"
			    "80b4-00c04fd430c8 message=6ba7b811-9dad-11d1-80b4"
			    "-00c04fd430c8; SDS disposition request type=1; "
			    "Sender MCData user ID=\"sip:alice@a.mcx.test\"");

	/* built by hand, as a client does */
	mcdata_init(&built, MCDATA_SDS_SIGNALLING);
	built.date = 1735689600;
	memcpy(built.conv_id, m->conv_id, 16);
	memcpy(built.msg_id, m->msg_id, 16);
	built.sds_disp = MCDATA_DISP_DELIVERY;
	mcdata_set(&built, MCDATA_IE_SDS_DISP);
	built.sender.p = (const uint8_t *)"sip:alice@a.mcx.test";
	built.sender.n = 20;
	mcdata_set(&built, MCDATA_IE_SENDER);
	assert_reencodes(&built, buf, len);

	mem_deref(m);
	mem_deref(buf);
}

static void data_payload(void **state)
{
	struct mcdata_msg *m, built;
	uint8_t *buf;
	size_t len;

	(void)state;
	m = vec("mcdata/data-payload.hex", &buf, &len);
	assert_int_equal(MCDATA_DATA_PAYLOAD, m->type);
	assert_int_equal(1, m->npayloads);
	assert_int_equal(MCDATA_CT_TEXT, m->payload[0].ctype);
	assert_int_equal(2, m->payload[0].data.n);
	assert_memory_equal(m->payload[0].data.p, "Hi", 2);

	mcdata_init(&built, MCDATA_DATA_PAYLOAD);
	assert_int_equal(0, mcdata_add_payload(&built, MCDATA_CT_TEXT, "Hi",
					       2));
	assert_reencodes(&built, buf, len);
	mem_deref(m);
	mem_deref(buf);
}

static void notification_fd_term(void **state)
{
	struct mcdata_msg *m;
	uint8_t *buf;
	size_t len;

	(void)state;
	m = vec("mcdata/sds-notification.hex", &buf, &len);
	assert_int_equal(MCDATA_SDS_NOTIFICATION, m->type);
	assert_int_equal(MCDATA_NOTIF_DELIVERED, m->notif);
	assert_int_equal(1735689610, m->date);
	assert_reencodes(m, buf, len);
	mem_deref(m);
	mem_deref(buf);

	m = vec("mcdata/fd-signalling.hex", &buf, &len);
	assert_int_equal(MCDATA_FD_SIGNALLING, m->type);
	assert_int_equal(1, m->fd_disp);
	assert_int_equal(1, m->mandatory_dl);
	assert_int_equal(1, m->npayloads);
	assert_int_equal(MCDATA_CT_FILEURL, m->payload[0].ctype);
	assert_memory_equal(m->payload[0].data.p, "http://127.0.0.1/f/12345",
			    24);
	assert_memory_equal(m->metadata.p, "name=a.txt;", 11);
	assert_reencodes(m, buf, len);
	mem_deref(m);
	mem_deref(buf);

	m = vec("mcdata/fd-http-termination.hex", &buf, &len);
	assert_int_equal(MCDATA_FD_HTTP_TERMINATION, m->type);
	assert_int_equal(2, m->term);
	assert_int_equal(1, m->rel_response);
	assert_int_equal(0, m->date);
	assert_reencodes(m, buf, len);
	mem_deref(m);
	mem_deref(buf);
}

static void opaque(void **state)
{
	struct mbuf *mb = mbuf_alloc(64);
	struct mcdata_msg *m;
	uint8_t *buf;
	size_t len;

	(void)state;
	m = vec("mcdata/comm-release.hex", &buf, &len);
	assert_int_equal(MCDATA_COMM_RELEASE, m->type);
	assert_false(mcdata_is_parsed(m->type));
	assert_int_equal(len - 1, m->opaque.n);
	assert_int_equal(EINVAL, mcdata_encode(mb, m));	/* never sent */
	mem_deref(m);
	mem_deref(buf);

	m = vec("mcdata/protected.hex", &buf, &len);
	assert_int_equal(MCDATA_SDS_SIGNALLING, m->type);
	assert_int_equal(MCDATA_FLAG_PROT, m->flags);
	assert_int_equal(len - 1, m->opaque.n);
	assert_int_equal(EINVAL, mcdata_encode(mb, m));
	assert_int_equal(0, mb->end);
	mem_deref(m);
	mem_deref(buf);
	mem_deref(mb);
}

static void prefixes(void **state)
{
	static const char *v[] = {
		"mcdata/sds-signalling.hex", "mcdata/data-payload.hex",
		"mcdata/sds-notification.hex", "mcdata/fd-signalling.hex",
		"mcdata/fd-http-termination.hex",
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
		size_t len;
		uint8_t *buf = tu_load_hex(v[k], &len);

		/* every cut inside the fixed part or an IE is incomplete;
		 * a cut between IEs is a shorter valid message */
		for (size_t n = 0; n < len; n++) {
			struct mcdata_msg *m = NULL;
			struct mcx_diag d = { "" };
			int err = mcdata_decode(&m, buf, n, &d);

			if (err && err != ENODATA)
				fail_msg("%s: prefix %zu: %d %s", v[k], n, err,
					 d.reason);
			mem_deref(m);
		}
		mem_deref(buf);
	}
}

static void refusals(void **state)
{
	static const struct { const char *hex; int err; const char *why; }
	bad[] = {
		{ "", ENODATA, "empty body" },
		{ "04", EBADMSG, "unknown message type 4" },
		{ "3f", EBADMSG, "unknown message type 63" },
		{ "01 0067748580", ENODATA, "cut short in the conversation" },
		{ "05 09", EBADMSG, "unknown notification type 9" },
		{ "05 00", EBADMSG, "unknown notification type 0" },
		{ "0d 00000000000000000000000000000000 "
		  "00000000000000000000000000000000 08", EBADMSG,
		  "unknown termination information type 8" },
		{ "03 00", EBADMSG, "no payload" },
		{ "03 11", EMSGSIZE, "more than 16 payloads" },
		{ "03 01 79 0000", EBADMSG, "IEI 0x79 where Payload" },
		{ "03 01 78 0000", EBADMSG, "Payload without content type" },
		{ "03 01 78 0002 01 ff", EBADMSG, "Payload text not UTF-8" },
		{ "03 01 78 0002 01 41 00", EBADMSG, "octets after the last" },
		{ "03 02 78 0002 01 41", ENODATA, "cut short in a Payload" },
		{ "01 0067748580 00000000000000000000000000000000 "
		  "00000000000000000000000000000000 84", EBADMSG,
		  "SDS disposition request type: unknown value 4" },
		{ "01 0067748580 00000000000000000000000000000000 "
		  "00000000000000000000000000000000 81 82", EBADMSG,
		  "SDS disposition request type more than once" },
		{ "01 0067748580 00000000000000000000000000000000 "
		  "00000000000000000000000000000000 23 00", EBADMSG,
		  "unknown IEI 0x23" },
		{ "01 0067748580 00000000000000000000000000000000 "
		  "00000000000000000000000000000000 51 0002 c328", EBADMSG,
		  "Sender MCData user ID: not UTF-8" },
		{ "01 0067748580 00000000000000000000000000000000 "
		  "00000000000000000000000000000000 51 0000", EBADMSG,
		  "Sender MCData user ID: not UTF-8" },
		{ "01 0067748580 00000000000000000000000000000000 "
		  "00000000000000000000000000000000 7d 0000", EBADMSG,
		  "content type missing" },
		{ "01 0067748580 00000000000000000000000000000000 "
		  "00000000000000000000000000000000 51 0005 6162", ENODATA,
		  "cut short in Sender MCData user ID" },
		{ "01 0067748580 00000000000000000000000000000000 "
		  "00000000000000000000000000000000 21 0102", ENODATA,
		  "cut short in InReplyTo" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct mcdata_msg *m = NULL;
		struct mcx_diag d = { "" };
		char why[64];
		uint8_t *buf = NULL;
		size_t len;
		int err;

		assert_int_equal(0, tu_hex_parse(&buf, &len, bad[k].hex,
						 strlen(bad[k].hex), why,
						 sizeof(why)));
		err = mcdata_decode(&m, buf, len, &d);
		if (err != bad[k].err || !strstr(d.reason, bad[k].why))
			fail_msg("case %zu: %d '%s', expected %d '%s'", k, err,
				 d.reason, bad[k].err, bad[k].why);
		assert_null(m);
		mem_deref(buf);
	}
}

static void unknown_skipped(void **state)
{
	/* a 7x IE of a later release and an E- nibble: skipped, counted */
	const char *hex = "01 0067748580 00000000000000000000000000000000 "
		"00000000000000000000000000000000 77 0002 abcd e5 82";
	struct mcdata_msg *m = NULL;
	uint8_t *buf = NULL;
	size_t len;
	char why[64];

	(void)state;
	assert_int_equal(0, tu_hex_parse(&buf, &len, hex, strlen(hex), why,
					 sizeof(why)));
	assert_int_equal(0, mcdata_decode(&m, buf, len, NULL));
	assert_int_equal(2, m->unknown);
	assert_int_equal(MCDATA_DISP_READ, m->sds_disp);
	mem_deref(m);
	mem_deref(buf);
}

static void encode_refusals(void **state)
{
	struct mbuf *mb = mbuf_alloc(64);
	struct mcdata_msg m;

	(void)state;
	/* FD disposition does not belong in an SDS */
	mcdata_init(&m, MCDATA_SDS_SIGNALLING);
	m.fd_disp = 1;
	mcdata_set(&m, MCDATA_IE_FD_DISP);
	assert_int_equal(EINVAL, mcdata_encode(mb, &m));

	/* payloads that an SDS SIGNALLING PAYLOAD would not carry */
	mcdata_init(&m, MCDATA_SDS_SIGNALLING);
	assert_int_equal(0, mcdata_add_payload(&m, MCDATA_CT_TEXT, "x", 1));
	assert_int_equal(EINVAL, mcdata_encode(mb, &m));

	/* values out of range */
	mcdata_init(&m, MCDATA_SDS_SIGNALLING);
	m.date = 1ULL << 40;
	assert_int_equal(EINVAL, mcdata_encode(mb, &m));
	mcdata_init(&m, MCDATA_SDS_NOTIFICATION);
	assert_int_equal(EINVAL, mcdata_encode(mb, &m));   /* notif 0 */
	mcdata_init(&m, MCDATA_DATA_PAYLOAD);
	assert_int_equal(EINVAL, mcdata_encode(mb, &m));   /* no payload */
	assert_int_equal(0, mcdata_add_payload(&m, MCDATA_CT_TEXT,
					       "\xff", 1));
	assert_int_equal(EINVAL, mcdata_encode(mb, &m));   /* not UTF-8 */
	mcdata_init(&m, MCDATA_SDS_SIGNALLING);
	m.flags = MCDATA_FLAG_AUTH;
	assert_int_equal(EINVAL, mcdata_encode(mb, &m));   /* cannot sign */
	mcdata_init(&m, MCDATA_FD_SIGNALLING);
	mcdata_set(&m, MCDATA_IE_PAYLOAD);
	assert_int_equal(EINVAL, mcdata_encode(mb, &m));   /* none there */
	assert_int_equal(0, mb->end);	/* failures left nothing behind */

	for (int i = 0; i < MCDATA_MAX_PAYLOADS; i++)
		assert_int_equal(0, mcdata_add_payload(&m, MCDATA_CT_BINARY,
						       "", 0));
	assert_int_equal(EINVAL, mcdata_add_payload(&m, MCDATA_CT_BINARY,
						    "", 0));
	mem_deref(mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sds),
		cmocka_unit_test(data_payload),
		cmocka_unit_test(notification_fd_term),
		cmocka_unit_test(opaque),
		cmocka_unit_test(prefixes),
		cmocka_unit_test(refusals),
		cmocka_unit_test(unknown_skipped),
		cmocka_unit_test(encode_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
