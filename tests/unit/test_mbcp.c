/**
 * @file test_mbcp.c  MBCP (TS 24.380): vectors, round trips, refusals
 */
#include <errno.h>
#include <string.h>
#include <re.h>
#include <mcx/diag.h>
#include <mcx/mbcp.h>
#include "testutil.h"

static void decode_vec(const char *path, struct mbcp_msg *m,
		       uint8_t **bufp, size_t *lenp)
{
	struct mcx_diag d = { "" };
	size_t used = 0;
	int err;

	*bufp = tu_load_hex(path, lenp);
	err = mbcp_decode(m, *bufp, *lenp, &used, &d);
	if (err)
		fail_msg("%s: %d %s", path, err, d.reason);
	assert_int_equal(*lenp, used);
}

/* decode the vector, check it, encode it back: the same octets */
static void assert_reencodes(const struct mbcp_msg *m, const uint8_t *buf,
			     size_t len)
{
	struct mbuf *mb = mbuf_alloc(128);

	assert_int_equal(0, mbcp_encode(mb, m));
	tu_assert_bytes(mb->buf, mb->end, buf, len);
	mem_deref(mb);
}

static void request(void **state)
{
	struct mbcp_msg m;
	uint8_t *buf;
	size_t len;

	(void)state;
	decode_vec("mbcp/floor-request.hex", &m, &buf, &len);
	assert_int_equal(MBCP_FLOOR_REQUEST, m.hdr.type);
	assert_false(m.hdr.ack_req);
	assert_int_equal(0x11223344, m.hdr.ssrc);
	assert_int_equal(5, m.priority);
	assert_int_equal(MBCP_FI_NORMAL, m.floor_ind);
	assert_int_equal((1u << MBCP_F_PRIORITY) | (1u << MBCP_F_FLOOR_IND),
			 m.hdr.present);
	assert_reencodes(&m, buf, len);
	mem_deref(buf);
}

static void granted_built(void **state)
{
	struct mbcp_msg m;
	uint8_t *buf;
	size_t len;

	(void)state;
	/* built by hand, as the floor control server does */
	mbcp_init(&m, MBCP_FLOOR_GRANTED, 0x11223344);
	m.hdr.ack_req = true;
	m.duration = 30;
	mbcp_set(&m, MBCP_F_DURATION);
	m.priority = 5;
	mbcp_set(&m, MBCP_F_PRIORITY);
	m.floor_ind = MBCP_FI_NORMAL;
	mbcp_set(&m, MBCP_F_FLOOR_IND);

	buf = tu_load_hex("mbcp/floor-granted-ack.hex", &len);
	assert_reencodes(&m, buf, len);
	mem_deref(buf);
}

static void taken(void **state)
{
	struct mbcp_msg m;
	uint8_t *buf;
	size_t len;
	char line[256];

	(void)state;
	decode_vec("mbcp/floor-taken-ack.hex", &m, &buf, &len);
	assert_int_equal(MBCP_FLOOR_TAKEN, m.hdr.type);
	assert_true(m.hdr.ack_req);
	assert_string_equal(m.granted_party, "sip:alice@example.com");
	assert_int_equal(1, m.permission);
	assert_int_equal(7, m.seq);
	assert_reencodes(&m, buf, len);

	(void)re_snprintf(line, sizeof(line), "%H", mbcp_print, &m);
	assert_string_equal(line, "MBCP Floor Taken (ack req) ssrc=0x11223344"
			    "; Granted Party's Identity=\"sip:alice@example"
			    ".com\"; Permission to Request the Floor=1; "
			    "Message Sequence-Number=7; Floor Indicator="
			    "32768");
	mem_deref(buf);
}

static void deny_revoke_idle(void **state)
{
	struct mbcp_msg m;
	uint8_t *buf;
	size_t len;

	(void)state;
	decode_vec("mbcp/floor-deny-phrase.hex", &m, &buf, &len);
	assert_int_equal(MBCP_FLOOR_DENY, m.hdr.type);
	assert_int_equal(MBCP_DENY_OTHER_HAS_PERMISSION, m.reject.cause);
	assert_string_equal(m.reject.phrase, "busy");
	assert_reencodes(&m, buf, len);
	mem_deref(buf);

	decode_vec("mbcp/floor-revoke.hex", &m, &buf, &len);
	assert_int_equal(MBCP_FLOOR_REVOKE, m.hdr.type);
	assert_int_equal(MBCP_REVOKE_BURST_TOO_LONG, m.reject.cause);
	assert_string_equal(m.reject.phrase, "");
	assert_reencodes(&m, buf, len);
	mem_deref(buf);

	decode_vec("mbcp/floor-idle.hex", &m, &buf, &len);
	assert_int_equal(8, m.seq);
	assert_reencodes(&m, buf, len);
	mem_deref(buf);

	decode_vec("mbcp/floor-release.hex", &m, &buf, &len);
	assert_int_equal(MBCP_FLOOR_RELEASE, m.hdr.type);
	assert_int_equal(0x55667788, m.hdr.ssrc);
	assert_reencodes(&m, buf, len);
	mem_deref(buf);

	decode_vec("mbcp/floor-qpos-info.hex", &m, &buf, &len);
	assert_int_equal(1, m.queue.position);
	assert_int_equal(3, m.queue.priority);
	assert_reencodes(&m, buf, len);
	mem_deref(buf);

	decode_vec("mbcp/floor-ack.hex", &m, &buf, &len);
	assert_int_equal(MBCP_SRC_PARTICIPANT, m.source);
	assert_int_equal(MBCP_FLOOR_GRANTED | FC_ACK_BIT, m.msg_type);
	assert_reencodes(&m, buf, len);
	mem_deref(buf);
}

static void track_info(void **state)
{
	struct mbcp_msg m;
	uint8_t *buf;
	size_t len;

	(void)state;
	decode_vec("mbcp/track-info.hex", &m, &buf, &len);
	assert_int_equal(1, m.track.queueing);
	assert_int_equal(6, m.track.ptype_len);
	assert_memory_equal(m.track.ptype, "normal", 6);
	assert_int_equal(1, m.track.nrefs);
	assert_int_equal(12345, m.track.refs[0]);
	assert_reencodes(&m, buf, len);
	mem_deref(buf);
}

static void legacy_ids(void **state)
{
	struct mbcp_msg m;
	uint8_t *buf;
	size_t len;

	(void)state;
	decode_vec("mbcp/legacy-ids.hex", &m, &buf, &len);
	assert_int_equal(60, m.duration);
	assert_int_equal(7, m.priority);
	assert_int_equal(MBCP_FI_EMERGENCY, m.floor_ind);
	assert_int_equal(0, m.hdr.unknown);
	mem_deref(buf);
}

static void two_packets(void **state)
{
	struct mbcp_msg m;
	uint8_t *buf;
	size_t len, used = 0;

	(void)state;
	buf = tu_load_hex("mbcp/two-packets.hex", &len);
	assert_int_equal(0, mbcp_decode(&m, buf, len, &used, NULL));
	assert_int_equal(MBCP_FLOOR_IDLE, m.hdr.type);
	assert_int_equal(20, used);
	assert_int_equal(0, mbcp_decode(&m, buf + used, len - used, &used,
					NULL));
	assert_int_equal(MBCP_FLOOR_REVOKE, m.hdr.type);
	assert_int_equal(MBCP_REVOKE_OTHER, m.reject.cause);
	assert_int_equal(16, used);
	mem_deref(buf);
}

static void lists_and_unknown(void **state)
{
	struct mbcp_msg m;
	uint8_t *buf;
	size_t len;

	(void)state;
	decode_vec("mbcp/taken-lists.hex", &m, &buf, &len);
	assert_int_equal(0xdeadbeef, m.granted_ssrc);
	assert_string_equal(m.func_alias, "sip:fa1@a.test");
	assert_int_equal(12, m.granted_users.len);
	assert_int_equal(2, m.granted_users.v[0]);
	assert_int_equal(FC_LOC_ECGI, m.location.v[0]);
	assert_int_equal(8, m.location.len);
	assert_int_equal(1, m.hdr.unknown);	/* ID 24 skipped */
	mem_deref(buf);
}

/* Every proper prefix of a packet is incomplete, never malformed */
static void prefixes(void **state)
{
	static const char *vec[] = {
		"mbcp/floor-request.hex", "mbcp/floor-taken-ack.hex",
		"mbcp/track-info.hex", "mbcp/taken-lists.hex",
	};

	(void)state;
	for (size_t v = 0; v < ARRAY_SIZE(vec); v++) {
		size_t len;
		uint8_t *buf = tu_load_hex(vec[v], &len);

		for (size_t n = 0; n < len; n++) {
			struct mbcp_msg m;
			struct mcx_diag d = { "" };
			int err = mbcp_decode(&m, buf, n, NULL, &d);

			if (err != ENODATA)
				fail_msg("%s: prefix %zu: %d %s", vec[v], n,
					 err, d.reason);
		}
		mem_deref(buf);
	}
}

struct bad {
	const char *hex;
	int err;
	const char *why;
};

static void refusals(void **state)
{
	static const struct bad bad[] = {
		{ "40cc0002 11223344 \"MCPT\"", EBADMSG, "version 1" },
		{ "a0cc0002 11223344 \"MCPT\"", EBADMSG, "padding bit" },
		{ "80cc0001 11223344 \"MCPT\"", EBADMSG, "less than a "
		  "header" },
		{ "80c90002 11223344 \"MCPT\"", EBADMSG, "type 201, not APP" },
		{ "80cc0002 11223344 \"MCPC\"", EBADMSG, "APP name" },
		{ "8ccc0002 11223344 \"MCPT\"", EBADMSG, "unknown message "
		  "type 12" },
		{ "90cc0002 11223344 \"MCPT\"", EBADMSG, "Floor Request: "
		  "acknowledgement bit not allowed" },
		{ "80cc0003 11223344 \"MCPT\" 0605 616263", EBADMSG,
		  "field 6 runs past" },
		{ "80cc0003 11223344 \"MCPT\" 060161 01", EBADMSG,
		  "field 6: non-zero padding" },
		{ "80cc0004 11223344 \"MCPT\" 0003 050000 000000", EBADMSG,
		  "Floor Priority: length must be 2" },
		{ "80cc0004 11223344 \"MCPT\" 00020500 00020600", EBADMSG,
		  "Floor Priority more than once" },
		{ "80cc0004 11223344 \"MCPT\" 00020500 66020600", EBADMSG,
		  "Floor Priority more than once" },	/* old ID 102 too */
		{ "80cc0003 11223344 \"MCPT\" 0600 0000", EBADMSG,
		  "User ID: not UTF-8" },
		{ "80cc0003 11223344 \"MCPT\" 0602 c328", EBADMSG,
		  "User ID: not UTF-8" },
		{ "80cc0003 11223344 \"MCPT\" 0602 6100", EBADMSG,
		  "User ID: not UTF-8" },	/* embedded NUL */
		{ "81cc0003 11223344 \"MCPT\" 0102001e", EBADMSG,
		  "Floor Granted: Floor Priority missing" },
		{ "83cc0002 11223344 \"MCPT\"", EBADMSG,
		  "Floor Deny: Reject Cause missing" },
		{ "8acc0003 11223344 \"MCPT\" 0a020000", EBADMSG,
		  "Floor Ack: Message Type missing" },
		{ "85cc0003 11223344 \"MCPT\" 0d028000", EBADMSG,
		  "Floor Idle: Message Sequence-Number missing" },
		{ "80cc0005 11223344 \"MCPT\" 0b0a 0106 6e6f726d616c 0101 "
		  "0000", EBADMSG, "bad participant type padding" },
		{ "80cc0005 11223344 \"MCPT\" 0b07 0002 6162 0000 01 000000",
		  EBADMSG, "references not in 4-octet units" },
		{ "82cc0005 11223344 \"MCPT\" 05020001 08020001 0f02 0105",
		  EBADMSG, "List of Granted Users: entry overruns" },
		{ "80cc0004 11223344 \"MCPT\" 1303 0162f2 00000000",
		  EBADMSG, "length does not match the location type" },
		{ "82cc0005 11223344 \"MCPT\" 05020001 08020001 1402 0109",
		  EBADMSG, "unknown location type in a list" },
		{ "82cc0005 11223344 \"MCPT\" 05020001 08020001 1002 0100",
		  EBADMSG, "List of SSRCs: length does not match" },
		{ "80cc0003 11223344 \"MCPT\" 020101 00", EBADMSG,
		  "Reject Cause: length must be 2 or more" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct mbcp_msg m;
		struct mcx_diag d = { "" };
		char why[64];
		uint8_t *buf = NULL;
		size_t len;
		int err;

		assert_int_equal(0, tu_hex_parse(&buf, &len, bad[k].hex,
						 strlen(bad[k].hex), why,
						 sizeof(why)));
		err = mbcp_decode(&m, buf, len, NULL, &d);
		if (err != bad[k].err || !strstr(d.reason, bad[k].why))
			fail_msg("case %zu: %d '%s', expected '%s'", k, err,
				 d.reason, bad[k].why);
		assert_non_null(strstr(d.reason, "MBCP"));
		mem_deref(buf);
	}
}

static void encode_refusals(void **state)
{
	struct mbuf *mb = mbuf_alloc(64);
	struct mbcp_msg m;

	(void)state;
	/* Duration belongs to Floor Granted, not Floor Request */
	mbcp_init(&m, MBCP_FLOOR_REQUEST, 1);
	m.duration = 5;
	mbcp_set(&m, MBCP_F_DURATION);
	assert_int_equal(EINVAL, mbcp_encode(mb, &m));

	/* no ACK variant of Floor Request */
	mbcp_init(&m, MBCP_FLOOR_REQUEST, 1);
	m.hdr.ack_req = true;
	assert_int_equal(EINVAL, mbcp_encode(mb, &m));

	/* mandatory Duration missing */
	mbcp_init(&m, MBCP_FLOOR_GRANTED, 1);
	mbcp_set(&m, MBCP_F_PRIORITY);
	assert_int_equal(EINVAL, mbcp_encode(mb, &m));

	/* unknown type, unknown field */
	mbcp_init(&m, (enum mbcp_type)12, 1);
	assert_int_equal(EINVAL, mbcp_encode(mb, &m));
	mbcp_init(&m, MBCP_FLOOR_RELEASE, 1);
	m.hdr.present |= 1u << 23;
	assert_int_equal(EINVAL, mbcp_encode(mb, &m));

	/* text setters check */
	mbcp_init(&m, MBCP_FLOOR_TAKEN, 1);
	assert_int_equal(EINVAL, mbcp_set_text(&m, MBCP_F_GRANTED_PARTY, ""));
	assert_int_equal(EINVAL, mbcp_set_text(&m, MBCP_F_GRANTED_PARTY,
					       "\xc3\x28"));
	assert_int_equal(EINVAL, mbcp_set_text(&m, MBCP_F_DURATION, "x"));
	assert_false(mbcp_has(&m, MBCP_F_GRANTED_PARTY));
	assert_int_equal(0, mbcp_set_text(&m, MBCP_F_GRANTED_PARTY,
					  "sip:a@b"));
	assert_true(mbcp_has(&m, MBCP_F_GRANTED_PARTY));

	/* Track Info that cannot fit in 255 octets */
	mbcp_init(&m, MBCP_FLOOR_REQUEST, 1);
	m.track.ptype_len = 200;
	m.track.nrefs = 20;
	mbcp_set(&m, MBCP_F_TRACK_INFO);
	assert_int_equal(EINVAL, mbcp_encode(mb, &m));

	assert_int_equal(0, mb->end);	/* nothing written by failures */
	mem_deref(mb);
}

/* Every field through encode and decode */
static void all_fields(void **state)
{
	static const uint8_t loc[] = { FC_LOC_GEO, 1, 2, 3, 4, 5, 6 };
	static const uint8_t users[] = { 1, 3, 'a', 'b', 'c' };
	static const uint8_t ssrcs[] = { 1, 0, 0, 1, 2, 3, 4 };
	static const uint8_t locs[] = { 2, FC_LOC_NONE, FC_LOC_MBSFN, 9 };
	struct mbuf *mb = mbuf_alloc(512);
	struct mbcp_msg m, n;

	(void)state;
	/* Floor Release Multi Talker takes any field (layout not known) */
	mbcp_init(&m, MBCP_FLOOR_RELEASE_MT, 0xfeedface);
	m.priority = 255;
	m.duration = 65535;
	m.reject.cause = 7;
	str_ncpy(m.reject.phrase, "queue full", sizeof(m.reject.phrase));
	m.queue.position = 254;
	m.queue.priority = 1;
	assert_int_equal(0, mbcp_set_text(&m, MBCP_F_GRANTED_PARTY, "g"));
	m.permission = 1;
	assert_int_equal(0, mbcp_set_text(&m, MBCP_F_USER_ID, "u\xc3\xa9"));
	m.queue_size = 3;
	m.seq = 65535;
	assert_int_equal(0, mbcp_set_text(&m, MBCP_F_QUEUED_USER, "q"));
	m.source = MBCP_SRC_NON_CONTROLLING;
	m.track.queueing = 1;
	m.track.ptype_len = 3;
	memcpy(m.track.ptype, "abc", 3);
	m.track.nrefs = 2;
	m.track.refs[0] = 1;
	m.track.refs[1] = 0xffffffff;
	m.msg_type = 21;
	m.floor_ind = MBCP_FI_NORMAL | MBCP_FI_MULTI_TALKER;
	m.granted_ssrc = 42;
	memcpy(m.granted_users.v, users, sizeof(users));
	m.granted_users.len = sizeof(users);
	memcpy(m.ssrc_list.v, ssrcs, sizeof(ssrcs));
	m.ssrc_list.len = sizeof(ssrcs);
	assert_int_equal(0, mbcp_set_text(&m, MBCP_F_FUNC_ALIAS, "fa"));
	memcpy(m.fa_list.v, users, sizeof(users));
	m.fa_list.len = sizeof(users);
	memcpy(m.location.v, loc, sizeof(loc));
	m.location.len = sizeof(loc);
	memcpy(m.location_list.v, locs, sizeof(locs));
	m.location_list.len = sizeof(locs);
	m.hdr.present = (1u << 21) - 1;	/* IDs 0..20 */

	assert_int_equal(0, mbcp_encode(mb, &m));
	assert_int_equal(0, mb->end % 4);
	assert_int_equal(0, mbcp_decode(&n, mb->buf, mb->end, NULL, NULL));
	assert_memory_equal(&m, &n, sizeof(m));
	mem_deref(mb);
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(mbcp_type_name(MBCP_FLOOR_QPOS_INFO),
			    "Floor Queue Position Info");
	assert_string_equal(mbcp_type_name((enum mbcp_type)13), "?");
	assert_string_equal(mbcp_field_name(MBCP_F_SEQ),
			    "Message Sequence-Number");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(request),
		cmocka_unit_test(granted_built),
		cmocka_unit_test(taken),
		cmocka_unit_test(deny_revoke_idle),
		cmocka_unit_test(track_info),
		cmocka_unit_test(legacy_ids),
		cmocka_unit_test(two_packets),
		cmocka_unit_test(lists_and_unknown),
		cmocka_unit_test(prefixes),
		cmocka_unit_test(refusals),
		cmocka_unit_test(encode_refusals),
		cmocka_unit_test(all_fields),
		cmocka_unit_test(names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
