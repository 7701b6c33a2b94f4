/**
 * @file test_tctl.c  MCVideo transmission control (TS 24.581)
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/tctl.h>
#include "testutil.h"

static void vec(const char *path, struct tctl_msg *m)
{
	struct mcx_diag d = { "" };
	struct mbuf *mb = mbuf_alloc(128);
	size_t len, used = 0;
	uint8_t *buf = tu_load_hex(path, &len);
	int err = tctl_decode(m, buf, len, &used, &d);

	if (err)
		fail_msg("%s: %d %s", path, err, d.reason);
	assert_int_equal(len, used);

	/* and back to the same octets */
	assert_int_equal(0, tctl_encode(mb, m));
	tu_assert_bytes(mb->buf, mb->end, buf, len);
	mem_deref(mb);
	mem_deref(buf);
}

static void vectors(void **state)
{
	struct tctl_msg m;
	char line[200];

	(void)state;
	vec("tctl/tx-request.hex", &m);
	assert_int_equal(TCTL_MCV0, m.hdr.set);
	assert_int_equal(TCTL_TX_REQUEST, m.hdr.type);
	assert_true(m.hdr.ack_req);
	assert_int_equal(7, m.tx_priority);
	assert_int_equal(TCTL_TI_NORMAL, m.tx_ind);

	vec("tctl/tx-granted.hex", &m);
	assert_int_equal(TCTL_MCV1, m.hdr.set);
	assert_int_equal(TCTL_TX_GRANTED, m.hdr.type);
	assert_int_equal(60, m.duration);
	assert_int_equal(0x0a0b0c0d, m.audio_ssrc);
	assert_int_equal(0x0a0b0c0e, m.video_ssrc);
	(void)re_snprintf(line, sizeof(line), "%H", tctl_print, &m);
	assert_non_null(strstr(line, "MCVideo TC Transmission Granted"));
	assert_non_null(strstr(line, "Video SSRC of the Transmitting User="
			       "0x0a0b0c0e"));

	vec("tctl/tx-rejected.hex", &m);
	assert_int_equal(TCTL_TX_REJECTED, m.hdr.type);
	assert_int_equal(TCTL_REJ_LIMIT_REACHED, m.reject.cause);

	vec("tctl/tx-end-request.hex", &m);
	assert_int_equal(TCTL_MCV2, m.hdr.set);
	assert_int_equal(TCTL_TX_END_REQUEST, m.hdr.type);
	assert_string_equal(m.user_id, "sip:bob@b.mcx.test.x");

	vec("tctl/tx-ack.hex", &m);
	assert_int_equal(TCTL_ACK, m.hdr.type);
	assert_int_equal(0x10, m.msg_type);
	assert_string_equal(m.msg_name, "MCV0");
}

/* The same subtype means different messages under different names */
static void sets_differ(void **state)
{
	(void)state;
	assert_string_equal(tctl_type_name(TCTL_MCV0, 0),
			    "Transmission Request");
	assert_string_equal(tctl_type_name(TCTL_MCV1, 0),
			    "Transmission Granted");
	assert_string_equal(tctl_type_name(TCTL_MCV2, 0),
			    "Transmission End Request");
	assert_string_equal(tctl_type_name(TCTL_MCV0, 1), "?");
	assert_string_equal(tctl_set_name(TCTL_MCV2), "MCV2");
	assert_string_equal(tctl_set_name((enum tctl_set)3), "?");
}

static void refusals(void **state)
{
	static const struct { const char *hex; const char *why; } bad[] = {
		{ "81cc0002 01020304 \"MCV0\"",
		  "MCV0: unknown message type 1" },
		{ "80cc0002 01020304 \"MCV3\"", "APP name not one of ours" },
		{ "81cc0002 01020304 \"MCV1\"", "Transmission Rejected: Reject "
		  "Cause missing" },
		{ "94cc0003 01020304 \"MCV2\" 0c021000",
		  "Transmission Control Ack: acknowledgement bit" },
		{ "80cc0003 01020304 \"MCV2\" 1002 4d43", "Message Name: "
		  "length must be 4" },
		{ "80cc0004 01020304 \"MCV2\" 1004 4d432056 0000",
		  "Message Name: not 4 ASCII" },
		{ "80cc0004 01020304 \"MCV1\" 1805 0102030400 00",
		  "Video SSRC of the Transmitting User: length must be 6" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct tctl_msg m;
		struct mcx_diag d = { "" };
		char why[64];
		uint8_t *buf = NULL;
		size_t len;
		int err;

		assert_int_equal(0, tu_hex_parse(&buf, &len, bad[k].hex,
						 strlen(bad[k].hex), why,
						 sizeof(why)));
		err = tctl_decode(&m, buf, len, NULL, &d);
		if (err != EBADMSG || !strstr(d.reason, bad[k].why))
			fail_msg("case %zu: %d '%s', expected '%s'", k, err,
				 d.reason, bad[k].why);
		mem_deref(buf);
	}
}

static void build(void **state)
{
	struct mbuf *mb = mbuf_alloc(128);
	struct tctl_msg m, n;

	(void)state;
	tctl_init(&m, TCTL_MCV1, TCTL_TX_ARB_TAKEN, 9);
	assert_int_equal(0, tctl_set_text(&m, TCTL_F_TX_USER,
					  "sip:alice@a.mcx.test"));
	m.permission = 0;
	tctl_set(&m, TCTL_F_PERMISSION);
	m.seq = 3;
	tctl_set(&m, TCTL_F_SEQ);
	assert_int_equal(EINVAL, tctl_set_text(&m, TCTL_F_MSG_NAME, "MCV"));
	assert_int_equal(0, tctl_set_text(&m, TCTL_F_MSG_NAME, "MCV0"));
	assert_true(tctl_has(&m, TCTL_F_MSG_NAME));
	assert_int_equal(0, tctl_encode(mb, &m));
	assert_int_equal(0, tctl_decode(&n, mb->buf, mb->end, NULL, NULL));
	assert_memory_equal(&m, &n, sizeof(m));

	/* Transmission Rejected needs its cause */
	tctl_init(&m, TCTL_MCV1, TCTL_TX_REJECTED, 9);
	assert_int_equal(EINVAL, tctl_encode(mb, &m));
	mem_deref(mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vectors),
		cmocka_unit_test(sets_differ),
		cmocka_unit_test(refusals),
		cmocka_unit_test(build),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
