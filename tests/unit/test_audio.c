/**
 * @file test_audio.c  G.711, WAV, tones and the sender's frame source
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <re.h>
#include <mcx/audio.h>
#include <mcx/diag.h>
#include "testutil.h"


/* ---- G.711 ---- */

/* mu-law character of segment seg, step step, positive or not */
static uint8_t ulaw_char(bool pos, unsigned seg, unsigned step)
{
	return (uint8_t)((pos ? 0x80 : 0) | (~(seg << 4 | step) & 0x7f));
}

/* A-law character of segment seg, step step, positive or not */
static uint8_t alaw_char(bool pos, unsigned seg, unsigned step)
{
	return (uint8_t)(((pos ? 0x80 : 0) | seg << 4 | step) ^ 0x55);
}

static void g711_known(void **state)
{
	/* G.711 table 2a (mu-law) in 14-bit units: segment s starts at
	 * decision value 31, 95, 223, ... (8159 is overload), decodes its
	 * step 0 to 33, 99, 231, ...; times 4 for our 16-bit samples */
	static const int32_t uend[8] = {
		0, 31, 95, 223, 479, 991, 2015, 4063
	};
	static const int32_t ustep0[8] = {
		0, 33, 99, 231, 495, 1023, 2079, 4191
	};
	/* table 1a (A-law) in 13-bit units: segment s > 0 starts at 16 << s
	 * and decodes its step 0 to 1, 33, 66, 132, ...; times 8 */
	static const int32_t astep0[8] = {
		1, 33, 66, 132, 264, 528, 1056, 2112
	};

	(void)state;

	/* mu-law */
	assert_int_equal(0xff, g711_ulaw_enc(0));
	assert_int_equal(0x7f, g711_ulaw_enc(-1));	/* negative zero */
	assert_int_equal(0, g711_ulaw_dec(0xff));
	assert_int_equal(0, g711_ulaw_dec(0x7f));
	assert_int_equal(32124, g711_ulaw_dec(0x80));	/* 8031 * 4 */
	assert_int_equal(-32124, g711_ulaw_dec(0x00));
	assert_int_equal(0x80, g711_ulaw_enc(32767));	/* overload */
	assert_int_equal(0x00, g711_ulaw_enc(-32768));
	assert_int_equal(0x80, g711_ulaw_enc(32124));
	assert_int_equal(8, g711_ulaw_dec(0xfe));	/* 0..1, then 2 */
	assert_int_equal(0xfe, g711_ulaw_enc(4));
	for (unsigned s = 0; s < 8; s++) {
		assert_int_equal(4 * ustep0[s],
				 g711_ulaw_dec(ulaw_char(true, s, 0)));
		assert_int_equal(-4 * ustep0[s],
				 g711_ulaw_dec(ulaw_char(false, s, 0)));
		if (!s)
			continue;
		/* the segment end: last step below, first step at */
		assert_int_equal(ulaw_char(true, s - 1, 15),
				 g711_ulaw_enc((int16_t)(4 * uend[s] - 1)));
		assert_int_equal(ulaw_char(true, s, 0),
				 g711_ulaw_enc((int16_t)(4 * uend[s])));
		assert_int_equal(ulaw_char(false, s - 1, 15),
				 g711_ulaw_enc((int16_t)(-4 * uend[s])));
		assert_int_equal(ulaw_char(false, s, 0),
				 g711_ulaw_enc((int16_t)(-4 * uend[s] - 1)));
	}

	/* A-law */
	assert_int_equal(0xd5, g711_alaw_enc(0));
	assert_int_equal(0x55, g711_alaw_enc(-1));
	assert_int_equal(8, g711_alaw_dec(0xd5));	/* no zero level */
	assert_int_equal(-8, g711_alaw_dec(0x55));
	assert_int_equal(32256, g711_alaw_dec(0xaa));	/* 4032 * 8 */
	assert_int_equal(-32256, g711_alaw_dec(0x2a));
	assert_int_equal(0xaa, g711_alaw_enc(32767));
	assert_int_equal(0x2a, g711_alaw_enc(-32768));
	for (unsigned s = 0; s < 8; s++) {
		assert_int_equal(8 * astep0[s],
				 g711_alaw_dec(alaw_char(true, s, 0)));
		assert_int_equal(-8 * astep0[s],
				 g711_alaw_dec(alaw_char(false, s, 0)));
		if (!s)
			continue;
		assert_int_equal(alaw_char(true, s - 1, 15),
				 g711_alaw_enc((int16_t)(8 * (16 << s) - 1)));
		assert_int_equal(alaw_char(true, s, 0),
				 g711_alaw_enc((int16_t)(8 * (16 << s))));
		assert_int_equal(alaw_char(false, s, 0),
				 g711_alaw_enc((int16_t)(-8 * (16 << s) - 1)));
	}
}

static void g711_idempotent(void **state)
{
	(void)state;

	for (unsigned c = 0; c < 256; c++) {
		int16_t u = g711_ulaw_dec((uint8_t)c);
		int16_t a = g711_alaw_dec((uint8_t)c);

		assert_int_equal(u, g711_ulaw_dec(g711_ulaw_enc(u)));
		assert_int_equal(a, g711_alaw_dec(g711_alaw_enc(a)));

		/* each character comes back, but mu-law's negative zero */
		if (c != 0x7f)
			assert_int_equal(c, g711_ulaw_enc(u));
		assert_int_equal(c, g711_alaw_enc(a));
	}
}

static void g711_error_bound(void **state)
{
	int32_t uprev = INT32_MIN, aprev = INT32_MIN;

	(void)state;

	for (int32_t x = INT16_MIN; x <= INT16_MAX; x++) {
		uint8_t uc = g711_ulaw_enc((int16_t)x);
		uint8_t ac = g711_alaw_enc((int16_t)x);
		int32_t ud = g711_ulaw_dec(uc), ad = g711_alaw_dec(ac);
		unsigned useg = (~uc >> 4) & 7, aseg = ((ac ^ 0x55) >> 4) & 7;
		int32_t ustep = 8 << useg;			/* 16-bit */
		int32_t astep = aseg < 2 ? 16 : 8 << aseg;
		int32_t uerr = abs(x - ud), aerr = abs(x - ad);

		/* within half a step, but in mu-law's overload region
		 * (beyond the decision value 8159 * 4) */
		if (uerr > ustep / 2 && !(abs(ud) == 32124 &&
					  (x >= 32636 || x <= -32637)))
			fail_msg("mu-law %d -> %02x -> %d: error %d, step %d",
				 x, uc, ud, uerr, ustep);
		assert_true(uerr <= ustep);
		if (aerr > astep / 2)
			fail_msg("A-law %d -> %02x -> %d: error %d, step %d",
				 x, ac, ad, aerr, astep);

		/* and the quantizers are monotonic */
		assert_true(ud >= uprev);
		assert_true(ad >= aprev);
		uprev = ud;
		aprev = ad;
	}
}

static void g711_buffers(void **state)
{
	int16_t pcm[512], back[512];
	uint8_t law[512];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(pcm); i++)
		pcm[i] = (int16_t)((int32_t)i * 131 - 32768);

	g711_ulaw_enc_buf(law, pcm, ARRAY_SIZE(pcm));
	g711_ulaw_dec_buf(back, law, ARRAY_SIZE(pcm));
	for (size_t i = 0; i < ARRAY_SIZE(pcm); i++) {
		assert_int_equal(g711_ulaw_enc(pcm[i]), law[i]);
		assert_int_equal(g711_ulaw_dec(law[i]), back[i]);
	}

	g711_alaw_enc_buf(law, pcm, ARRAY_SIZE(pcm));
	g711_alaw_dec_buf(back, law, ARRAY_SIZE(pcm));
	for (size_t i = 0; i < ARRAY_SIZE(pcm); i++) {
		assert_int_equal(g711_alaw_enc(pcm[i]), law[i]);
		assert_int_equal(g711_alaw_dec(law[i]), back[i]);
	}
}


/* ---- WAV decoding ---- */

static struct wav *vec(const char *path)
{
	struct wav *w = NULL;
	struct mcx_diag d = { "" };
	uint8_t *buf;
	size_t len;
	int err;

	buf = tu_load_hex(path, &len);
	err = wav_decode(&w, buf, len, &d);
	if (err)
		fail_msg("%s: %d %s", path, err, d.reason);
	mem_deref(buf);

	return w;
}

static void assert_line(const struct wav *w, const char *exp)
{
	char line[160];

	(void)re_snprintf(line, sizeof(line), "%H", wav_print, w);
	assert_string_equal(line, exp);
}

static void wav_pcm(void **state)
{
	static const int16_t exp[12] = {
		0, 1000, -1000, 32767, -32768, 1, -1, 256, 4660, -4660, 100,
		-100
	};
	struct wav *w;

	(void)state;
	w = vec("audio/pcm-mono.hex");
	assert_int_equal(8000, w->rate);
	assert_int_equal(1, w->channels);
	assert_int_equal(16, w->bits);
	assert_int_equal(WAV_FMT_PCM, w->format);
	assert_int_equal(12, w->nsamples);
	assert_memory_equal(w->samples, exp, sizeof(exp));
	assert_line(w, "WAV PCM 16-bit 8000 Hz mono, 12 samples (1 ms)");
	assert_int_equal(0, wav_check_8k_mono(w, NULL));
	assert_int_equal(0, wav_to_mono(w));		/* mono: unchanged */
	assert_memory_equal(w->samples, exp, sizeof(exp));
	mem_deref(w);
}

static void wav_extensible(void **state)
{
	static const int16_t exp[12] = {
		100, 300, -100, -301, 32767, 32767, -32768, -32768, 1000,
		-1000, 7, 8
	};
	static const int16_t mono[6] = {
		200, -200, 32767, -32768, 0, 7
	};
	struct mcx_diag d = { "" };
	struct wav *w;

	(void)state;
	w = vec("audio/pcm-extensible.hex");
	assert_int_equal(2, w->channels);
	assert_int_equal(WAV_FMT_PCM, w->format);	/* the subformat */
	assert_int_equal(6, w->nsamples);
	assert_memory_equal(w->samples, exp, sizeof(exp));
	assert_line(w, "WAV PCM 16-bit 8000 Hz stereo, 6 samples (0 ms)");

	assert_int_equal(ENOTSUP, wav_check_8k_mono(w, &d));
	assert_non_null(strstr(d.reason, "2 channels"));
	assert_int_equal(0, wav_to_mono(w));
	assert_int_equal(1, w->channels);
	assert_int_equal(6, w->nsamples);
	assert_memory_equal(w->samples, mono, sizeof(mono));
	assert_int_equal(0, wav_check_8k_mono(w, NULL));
	mem_deref(w);
}

static void wav_g711(void **state)
{
	static const int16_t ulaw[13] = {
		0, 0, 32124, -32124, 120, 132, 372, 396, -120, -132, 6652,
		-6652, 8
	};
	static const int16_t alaw[8] = {
		8, -8, 32256, -32256, 264, 504, 528, -528
	};
	struct wav *w;

	(void)state;
	w = vec("audio/mulaw.hex");
	assert_int_equal(WAV_FMT_MULAW, w->format);
	assert_int_equal(8, w->bits);
	assert_int_equal(13, w->nsamples);
	assert_memory_equal(w->samples, ulaw, sizeof(ulaw));
	assert_line(w, "WAV mu-law 8-bit 8000 Hz mono, 13 samples (1 ms)");
	mem_deref(w);

	w = vec("audio/alaw.hex");
	assert_int_equal(WAV_FMT_ALAW, w->format);
	assert_int_equal(8, w->nsamples);
	assert_memory_equal(w->samples, alaw, sizeof(alaw));
	mem_deref(w);
}

static const char *vectors[] = {
	"audio/pcm-mono.hex", "audio/pcm-extensible.hex", "audio/mulaw.hex",
	"audio/alaw.hex",
};

static void wav_prefixes(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(vectors); k++) {
		size_t len;
		uint8_t *buf = tu_load_hex(vectors[k], &len);

		/* the RIFF size promises more: every prefix is incomplete */
		for (size_t n = 0; n < len; n++) {
			struct wav *w = NULL;
			struct mcx_diag d = { "" };
			int err = wav_decode(&w, buf, n, &d);

			if (err != ENODATA)
				fail_msg("%s: prefix %zu: %d %s", vectors[k], n,
					 err, d.reason);
			assert_null(w);
		}
		mem_deref(buf);
	}
}

/* Pieces of broken files, in the annotated hex format */
#define RIFF(sz)	"\"RIFF\" " sz " \"WAVE\" "
#define FMT(tag, ch, rate, block, bits) \
	"\"fmt \" 10000000 " tag " " ch " " rate " 00000000 " block " " \
	bits " "
#define PCM16		FMT("0100", "0100", "401f0000", "0200", "1000")
#define EXT(size, cb, valid, guid) \
	"\"fmt \" " size " feff 0100 401f0000 803e0000 0200 1000 " cb " " \
	valid " 03000000 " guid " "
#define GUID_PCM	"01000000 00001000 800000aa 00389b71"
#define DATA0		"\"data\" 00000000 "
#define SZ		"00000000"	/* RIFF size: set to fit */

static void wav_refusals(void **state)
{
	static const struct {
		const char *hex;
		bool fit;	/* set the RIFF size to what follows it */
		int err;
		const char *why;
	} bad[] = {
		{ "", false, ENODATA, "WAV RIFF header: cut short" },
		{ "\"RIF\"", false, ENODATA, "cut short" },
		{ "\"RIFF\" 04000000 \"WA\"", false, ENODATA, "cut short" },
		{ "\"RIFX\" 04000000 \"WAVE\"", false, EBADMSG,
		  "WAV: not a RIFF file" },
		{ RIFF(SZ) , true, EBADMSG, "WAV: fmt chunk missing" },
		{ "\"RIFF\" 04000000 \"AVI \"", false, EBADMSG,
		  "RIFF form type not WAVE" },
		{ "\"RIFF\" 02000000 \"WAVE\"", false, EBADMSG,
		  "WAV RIFF chunk: 2 octets, no room for WAVE" },
		{ "\"RIFF\" f9ffff03 \"WAVE\"", false, EMSGSIZE,
		  "WAV RIFF chunk: 67108857 octets, larger than 64 MiB" },
		{ RIFF(SZ) PCM16, true, EBADMSG, "WAV: data chunk missing" },
		{ RIFF(SZ) "\"LIST\" 04000000 \"INFO\"", true, EBADMSG,
		  "WAV: fmt chunk missing" },
		{ RIFF(SZ) DATA0 PCM16, true, EBADMSG,
		  "WAV data chunk: no fmt chunk before it" },
		{ RIFF(SZ) PCM16 DATA0 PCM16, true, EBADMSG,
		  "WAV fmt chunk: after the data chunk" },
		{ RIFF(SZ) PCM16 PCM16 DATA0, true, EBADMSG,
		  "WAV: more than one fmt chunk" },
		{ RIFF(SZ) PCM16 DATA0 DATA0, true, EBADMSG,
		  "WAV: more than one data chunk" },
		{ RIFF(SZ) "\"fmt \" 0e000000 0100 0100 401f0000 803e0000 "
		  "0200" DATA0, true, EBADMSG,
		  "WAV fmt chunk: 14 octets, fewer than 16" },
		{ RIFF(SZ) FMT("0300", "0100", "401f0000", "0400", "2000")
		  DATA0, true, EBADMSG,
		  "WAV fmt chunk: format 3 (IEEE float) not supported" },
		{ RIFF(SZ) FMT("5500", "0100", "401f0000", "0100", "0000")
		  DATA0, true, EBADMSG,
		  "WAV fmt chunk: format 85 (MPEG layer 3) not supported" },
		{ RIFF(SZ) FMT("3412", "0100", "401f0000", "0200", "1000")
		  DATA0, true, EBADMSG,
		  "WAV fmt chunk: format 4660 not supported" },
		{ RIFF(SZ) FMT("0100", "0100", "401f0000", "0300", "1800")
		  DATA0, true, EBADMSG,
		  "WAV fmt chunk: 24-bit samples not supported" },
		{ RIFF(SZ) FMT("0100", "0100", "401f0000", "0100", "0800")
		  DATA0, true, EBADMSG,
		  "WAV fmt chunk: 8-bit samples not supported" },
		{ RIFF(SZ) FMT("0700", "0100", "401f0000", "0200", "1000")
		  DATA0, true, EBADMSG,
		  "WAV fmt chunk: mu-law with 16 bits per sample, not 8" },
		{ RIFF(SZ) FMT("0100", "0000", "401f0000", "0000", "1000")
		  DATA0, true, EBADMSG, "WAV fmt chunk: no channels" },
		{ RIFF(SZ) FMT("0100", "0300", "401f0000", "0600", "1000")
		  DATA0, true, EBADMSG,
		  "WAV fmt chunk: 3 channels not supported" },
		{ RIFF(SZ) FMT("0100", "0100", "00000000", "0200", "1000")
		  DATA0, true, EBADMSG, "WAV fmt chunk: sample rate 0" },
		{ RIFF(SZ) FMT("0100", "0100", "80841e00", "0200", "1000")
		  DATA0, true, EBADMSG,
		  "WAV fmt chunk: sample rate 2000000 above 1000000" },
		{ RIFF(SZ) FMT("0100", "0100", "401f0000", "0300", "1000")
		  DATA0, true, EBADMSG,
		  "WAV fmt chunk: block align 3, expected 2" },
		{ RIFF(SZ) FMT("0100", "0200", "401f0000", "0200", "1000")
		  DATA0, true, EBADMSG,
		  "WAV fmt chunk: block align 2, expected 4" },
		{ RIFF(SZ) "\"fmt \" 12000000 feff 0100 401f0000 803e0000 0200 "
		  "1000 0000" DATA0, true, EBADMSG, "WAV fmt chunk: "
		  "extensible format in 18 octets, fewer than 40" },
		{ RIFF(SZ) EXT("28000000", "0a00", "1000", GUID_PCM) DATA0,
		  true, EBADMSG, "WAV fmt chunk: extensible format with "
		  "cbSize 10, less than 22" },
		{ RIFF(SZ) EXT("28000000", "1600", "1400", GUID_PCM) DATA0,
		  true, EBADMSG, "WAV fmt chunk: 20 valid bits in a 16-bit "
		  "container" },
		{ RIFF(SZ) EXT("28000000", "1600", "1000",
			       "03000000 00001000 800000aa 00389b71") DATA0,
		  true, EBADMSG, "WAV fmt chunk: extensible subformat 3 (IEEE "
		  "float) not supported" },
		{ RIFF(SZ) EXT("28000000", "1600", "1000",
			       "01000000 00001000 800000aa 00389b72") DATA0,
		  true, EBADMSG,
		  "WAV fmt chunk: extensible subformat GUID not supported" },
		{ RIFF(SZ) PCM16 "\"data\" 03000000 000000 00", true, EBADMSG,
		  "WAV data chunk: 3 octets, not a multiple of the 2-octet "
		  "block" },
		/* 1 Hz: 86401 samples are over a day long; limits come before
		 * the octets are looked for */
		{ RIFF(SZ) FMT("0100", "0100", "01000000", "0200", "1000")
		  "\"data\" 02a30200", true, EMSGSIZE,
		  "WAV data chunk: 86401 seconds, longer than 24 hours" },
		{ RIFF(SZ) "\"LIST\" 00000005", true, EMSGSIZE,
		  "WAV 'LIST' chunk: 83886080 octets, larger than 64 MiB" },
		{ RIFF("3c000000") PCM16 "\"data\" 18000000 00000000", false,
		  ENODATA, "WAV data chunk: cut short" },
		{ RIFF(SZ) PCM16 "\"data\" 18000000 00000000", true, EBADMSG,
		  "WAV data chunk: 24 octets, past the end of the RIFF chunk" },
		{ RIFF(SZ) "\"LIST\" 08000000 \"INFO\"", true, EBADMSG,
		  "WAV 'LIST' chunk: 8 octets, past the end of the RIFF" },
		{ RIFF("40000000") PCM16, false, ENODATA,
		  "WAV RIFF chunk: cut short (28 of 64 octets)" },
		{ RIFF("40000000") PCM16 "\"da\"", false, ENODATA,
		  "WAV: chunk header cut short" },
		{ RIFF(SZ) PCM16 DATA0 "000000", true, EBADMSG,
		  "WAV: 3 stray octets at the end of the RIFF chunk" },
		{ RIFF(SZ) "00010203 00000000", true, EBADMSG,
		  "WAV: chunk ID not ASCII at offset 12" },
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		struct wav *w = NULL;
		struct mcx_diag d = { "" };
		uint8_t *buf = NULL;
		size_t len;
		char why[64];
		int err;

		assert_int_equal(0, tu_hex_parse(&buf, &len, bad[k].hex,
						 strlen(bad[k].hex), why,
						 sizeof(why)));
		if (bad[k].fit) {
			assert_true(len >= 8);
			buf[4] = (uint8_t)(len - 8);
			buf[5] = (uint8_t)((len - 8) >> 8);
			buf[6] = 0;
			buf[7] = 0;
		}
		err = wav_decode(&w, buf, len, &d);
		if (err != bad[k].err || !strstr(d.reason, bad[k].why))
			fail_msg("case %zu: %d '%s', expected %d '%s'", k, err,
				 d.reason, bad[k].err, bad[k].why);
		assert_null(w);
		mem_deref(buf);
	}

	assert_int_equal(EINVAL, wav_decode(NULL, NULL, 0, NULL));
	assert_int_equal(EINVAL, wav_check_8k_mono(NULL, NULL));
	assert_int_equal(EINVAL, wav_to_mono(NULL));
}

static void wav_lenient(void **state)
{
	static const char *ok[] = {
		/* octets after the RIFF chunk */
		RIFF("28000000") PCM16 "\"data\" 04000000 01000200 "
		"\"junk\" ff",
		/* the last chunk's pad octet left out of the RIFF size */
		RIFF("27000000") FMT("0700", "0100", "401f0000", "0100",
				     "0800") "\"data\" 03000000 ffffff",
		/* extensible, wValidBitsPerSample 0, mu-law subformat */
		RIFF("40000000") "\"fmt \" 28000000 feff 0100 401f0000 "
		"401f0000 0100 0800 1600 0000 04000000 "
		"07000000 00001000 800000aa 00389b71 "
		"\"data\" 04000000 ffff0080",
		/* nAvgBytesPerSec wrong, an empty data chunk */
		RIFF("24000000") "\"fmt \" 10000000 0100 0100 401f0000 "
		"12345678 0200 1000" DATA0,
	};

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(ok); k++) {
		struct wav *w = NULL;
		struct mcx_diag d = { "" };
		uint8_t *buf = NULL;
		size_t len;
		char why[64];
		int err;

		assert_int_equal(0, tu_hex_parse(&buf, &len, ok[k],
						 strlen(ok[k]), why,
						 sizeof(why)));
		err = wav_decode(&w, buf, len, &d);
		if (err)
			fail_msg("case %zu: %d '%s'", k, err, d.reason);
		if (k == 0) {
			assert_int_equal(2, w->nsamples);
			assert_int_equal(2, w->samples[1]);
		}
		if (k == 2) {
			assert_int_equal(WAV_FMT_MULAW, w->format);
			assert_int_equal(4, w->nsamples);
			assert_int_equal(32124, w->samples[3]);
		}
		if (k == 3) {
			assert_int_equal(0, w->nsamples);
			assert_null(w->samples);
		}
		mem_deref(w);
		mem_deref(buf);
	}
}


/* ---- WAV encoding and files ---- */

static void wav_roundtrip(void **state)
{
	/* the header wav_encode() writes, field by field */
	static const char hdr[] =
		"\"RIFF\" 2c000000 \"WAVE\" "
		"\"fmt \" 10000000 0100 0100 401f0000 803e0000 0200 1000 "
		"\"data\" 08000000 0000 e803 18fc 0080";
	static const int16_t s[4] = { 0, 1000, -1000, -32768 };
	struct mbuf *mb = mbuf_alloc(64);
	struct wav *w = NULL, *v;
	uint8_t *exp = NULL;
	size_t len;
	char why[64];

	(void)state;
	assert_int_equal(0, wav_encode(mb, s, ARRAY_SIZE(s), 8000));
	assert_int_equal(0, tu_hex_parse(&exp, &len, hdr, strlen(hdr), why,
					 sizeof(why)));
	tu_assert_bytes(mb->buf, mb->end, exp, len);
	assert_int_equal(0, wav_decode(&w, mb->buf, mb->end, NULL));
	assert_int_equal(4, w->nsamples);
	assert_memory_equal(w->samples, s, sizeof(s));
	mem_deref(w);
	mem_deref(exp);

	/* every vector, mixed down, survives encoding */
	for (size_t k = 0; k < ARRAY_SIZE(vectors); k++) {
		v = vec(vectors[k]);
		assert_int_equal(0, wav_to_mono(v));
		mbuf_rewind(mb);
		assert_int_equal(0, wav_encode(mb, v->samples, v->nsamples,
					       v->rate));
		assert_int_equal(0, wav_decode(&w, mb->buf, mb->end, NULL));
		assert_int_equal(v->rate, w->rate);
		assert_int_equal(v->nsamples, w->nsamples);
		assert_memory_equal(w->samples, v->samples,
				    v->nsamples * sizeof(int16_t));
		w = mem_deref(w);
		mem_deref(v);
	}

	/* an empty file */
	mbuf_rewind(mb);
	assert_int_equal(0, wav_encode(mb, NULL, 0, 16000));
	assert_int_equal(WAV_HEADER_SIZE, mb->end);
	assert_int_equal(0, wav_decode(&w, mb->buf, mb->end, NULL));
	assert_int_equal(16000, w->rate);
	assert_int_equal(0, w->nsamples);
	w = mem_deref(w);

	/* refusals leave the buffer as it was */
	mbuf_rewind(mb);
	assert_int_equal(EINVAL, wav_encode(mb, s, 4, 0));
	assert_int_equal(EINVAL, wav_encode(mb, s, 4, WAV_MAX_RATE + 1));
	assert_int_equal(EINVAL, wav_encode(mb, NULL, 4, 8000));
	assert_int_equal(EINVAL, wav_encode(NULL, s, 4, 8000));
	assert_int_equal(EMSGSIZE, wav_encode(mb, s, WAV_MAX_SIZE / 2,
					      8000));
	assert_int_equal(EMSGSIZE, wav_encode(mb, s, 86401, 1));
	assert_int_equal(0, mb->end);
	mem_deref(mb);
}

/* A fresh file name in a fresh directory */
struct tmp {
	char dir[64];
	char path[96];
};

static void tmp_make(struct tmp *t)
{
	(void)snprintf(t->dir, sizeof(t->dir), "/tmp/mcx-audio-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	(void)snprintf(t->path, sizeof(t->path), "%s/out.wav", t->dir);
}

static void tmp_remove(struct tmp *t)
{
	(void)unlink(t->path);
	assert_int_equal(0, rmdir(t->dir));
}

static void wav_files(void **state)
{
	struct wav_writer *ww = NULL;
	struct mcx_diag d = { "" };
	struct wav *w = NULL;
	int16_t s[400];
	struct tmp t;
	FILE *f;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		s[i] = (int16_t)((int32_t)i * 163 - 30000);
	tmp_make(&t);

	/* written in pieces, closed, loaded */
	assert_int_equal(0, wav_writer_open(&ww, t.path, 8000));
	assert_int_equal(0, wav_writer_write(ww, s, 80));
	assert_int_equal(0, wav_writer_write(ww, s + 80, 0));
	assert_int_equal(0, wav_writer_write(ww, s + 80, 320));
	assert_int_equal(0, wav_writer_close(ww));
	assert_int_equal(EINVAL, wav_writer_write(ww, s, 1));
	assert_int_equal(EINVAL, wav_writer_close(ww));
	ww = mem_deref(ww);
	assert_int_equal(0, wav_load(&w, t.path, &d));
	assert_int_equal(8000, w->rate);
	assert_int_equal(400, w->nsamples);
	assert_memory_equal(w->samples, s, sizeof(s));
	w = mem_deref(w);

	/* not closed: the destructor patches the sizes */
	assert_int_equal(0, wav_writer_open(&ww, t.path, 16000));
	assert_int_equal(0, wav_writer_write(ww, s, 123));
	ww = mem_deref(ww);
	assert_int_equal(0, wav_load(&w, t.path, &d));
	assert_int_equal(16000, w->rate);
	assert_int_equal(123, w->nsamples);
	assert_memory_equal(w->samples, s, 123 * sizeof(int16_t));
	w = mem_deref(w);

	/* over the limits: nothing written */
	assert_int_equal(0, wav_writer_open(&ww, t.path, 1));
	assert_int_equal(0, wav_writer_write(ww, s, 400));
	assert_int_equal(EMSGSIZE, wav_writer_write(ww, s, 86400));
	assert_int_equal(0, wav_writer_close(ww));
	ww = mem_deref(ww);
	assert_int_equal(0, wav_load(&w, t.path, &d));
	assert_int_equal(400, w->nsamples);
	w = mem_deref(w);

	/* a file too large is refused before it is read */
	f = fopen(t.path, "wb");
	assert_non_null(f);
	assert_int_equal(0, ftruncate(fileno(f), WAV_MAX_SIZE + 1L));
	assert_int_equal(0, fclose(f));
	assert_int_equal(EMSGSIZE, wav_load(&w, t.path, &d));
	assert_string_equal(d.reason, "WAV: larger than 64 MiB");
	assert_null(w);

	/* a file that is not WAV */
	f = fopen(t.path, "wb");
	assert_non_null(f);
	assert_int_equal(5, fwrite("hello", 1, 5, f));
	assert_int_equal(0, fclose(f));
	assert_int_equal(EBADMSG, wav_load(&w, t.path, &d));
	assert_string_equal(d.reason, "WAV: not a RIFF file");

	tmp_remove(&t);

	/* no such file, no such directory */
	assert_int_equal(ENOENT, wav_load(&w, t.path, &d));
	assert_non_null(strstr(d.reason, "WAV: cannot open: "));
	assert_int_equal(ENOENT, wav_writer_open(&ww, t.path, 8000));
	assert_null(ww);
	assert_int_equal(EINVAL, wav_writer_open(&ww, "x.wav", 0));
	assert_int_equal(EINVAL, wav_load(NULL, "x.wav", NULL));
}

static void wav_check(void **state)
{
	struct mcx_diag d = { "" };
	struct mbuf *mb = mbuf_alloc(64);
	int16_t s[2] = { 1, 2 };
	struct wav *w = NULL;

	(void)state;
	assert_int_equal(0, wav_encode(mb, s, 2, 44100));
	assert_int_equal(0, wav_decode(&w, mb->buf, mb->end, NULL));
	assert_int_equal(ENOTSUP, wav_check_8k_mono(w, &d));
	assert_string_equal(d.reason, "WAV: 44100 Hz; the client sends 8000 "
			    "Hz and does not resample (convert it: sox in.wav "
			    "-r 8000 -c 1 out.wav)");
	mem_deref(w);
	mem_deref(mb);
}


/* ---- tones ---- */

static void tone_values(void **state)
{
	static const int16_t period[8] = {
		0, 7071, 10000, 7071, 0, -7071, -10000, -7071
	};
	int16_t out[24];
	struct tone t;

	(void)state;
	tone_init(&t, 8000, 1000, 10000);
	tone_fill(&t, out, ARRAY_SIZE(out));
	for (size_t i = 0; i < ARRAY_SIZE(out); i++)
		assert_int_equal(period[i % 8], out[i]);

	/* above rate / 2 it aliases: 9000 Hz sounds as 1000 Hz */
	tone_init(&t, 8000, 9000, 10000);
	tone_fill(&t, out, 8);
	assert_memory_equal(out, period, sizeof(period));

	/* negative: inverted */
	tone_init(&t, 8000, -1000, 10000);
	tone_fill(&t, out, 8);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(-period[i], out[i]);

	/* full scale does not wrap */
	tone_init(&t, 8000, 2000, INT16_MIN);
	tone_fill(&t, out, 4);
	assert_int_equal(0, out[0]);
	assert_int_equal(INT16_MIN, out[1]);
	assert_int_equal(INT16_MAX, out[3]);

	/* nothing to make a tone of: silence */
	tone_init(&t, 0, 1000, 10000);
	tone_fill(&t, out, 8);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(0, out[i]);
	tone_init(&t, 8000, NAN, 10000);
	tone_fill(&t, out, 8);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(0, out[i]);
}

static void tone_continuous(void **state)
{
	int16_t one[160], two[160];
	struct tone a, b;

	(void)state;
	tone_init(&a, 8000, 440, 12000);
	tone_init(&b, 8000, 440, 12000);
	for (int k = 0; k < 50; k++) {
		tone_fill(&a, one, 160);
		tone_fill(&b, two, 80);
		tone_fill(&b, two + 80, 80);
		assert_memory_equal(one, two, sizeof(one));
	}
}

static void tone_frequency(void **state)
{
	int16_t s[8000];
	int crossings = 0, peak = 0;
	struct tone t;

	(void)state;
	tone_init(&t, 8000, 440, 16000);
	tone_fill(&t, s, ARRAY_SIZE(s));
	for (size_t i = 1; i < ARRAY_SIZE(s); i++) {
		if ((s[i - 1] < 0) != (s[i] < 0))
			++crossings;
		if (abs(s[i]) > peak)
			peak = abs(s[i]);
	}

	/* one second: two crossings per period */
	assert_in_range(crossings, 878, 882);
	assert_in_range(peak, 15900, 16000);
}


/* ---- the sender's frames ---- */

static struct wav *ramp(size_t n, uint32_t rate)
{
	struct mbuf *mb = mbuf_alloc(64);
	int16_t *s = mem_alloc(n * sizeof(*s) + 1, NULL);
	struct wav *w = NULL;

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = (int16_t)((int32_t)i * 64 - 16000);
	assert_int_equal(0, wav_encode(mb, s, n, rate));
	assert_int_equal(0, wav_decode(&w, mb->buf, mb->end, NULL));
	mem_deref(s);
	mem_deref(mb);

	return w;
}

static void src_wav_once(void **state)
{
	struct audio_src *src = NULL;
	struct wav *w = ramp(400, 8000);
	uint8_t f[AUDIO_FRAME];

	(void)state;
	assert_int_equal(0, audio_src_wav(&src, w, false));
	mem_deref(w);		/* the source holds its own reference */

	for (size_t k = 0; k < 3; k++) {
		assert_int_equal(0, audio_src_next(src, f));
		for (size_t i = 0; i < AUDIO_FRAME; i++) {
			size_t j = k * AUDIO_FRAME + i;
			uint8_t exp = j < 400 ?
				g711_ulaw_enc((int16_t)((int32_t)j * 64 -
							      16000)) :
				G711_ULAW_SILENCE;

			assert_int_equal(exp, f[i]);
		}
	}
	memset(f, 0x11, sizeof(f));
	assert_int_equal(ENODATA, audio_src_next(src, f));
	assert_int_equal(ENODATA, audio_src_next(src, f));
	assert_int_equal(0x11, f[0]);		/* untouched */
	mem_deref(src);

	/* a whole number of frames: no padded frame after them */
	w = ramp(320, 8000);
	assert_int_equal(0, audio_src_wav(&src, w, false));
	assert_int_equal(0, audio_src_next(src, f));
	assert_int_equal(0, audio_src_next(src, f));
	assert_int_equal(g711_ulaw_enc((int16_t)(319 * 64 - 16000)),
			 f[AUDIO_FRAME - 1]);
	assert_int_equal(ENODATA, audio_src_next(src, f));
	mem_deref(src);
	mem_deref(w);
}

static void src_wav_loop(void **state)
{
	struct audio_src *src = NULL;
	struct wav *w = ramp(100, 8000);
	uint8_t f[AUDIO_FRAME];

	(void)state;
	assert_int_equal(0, audio_src_wav(&src, w, true));
	for (size_t k = 0; k < 10; k++) {
		assert_int_equal(0, audio_src_next(src, f));
		for (size_t i = 0; i < AUDIO_FRAME; i++) {
			size_t j = (k * AUDIO_FRAME + i) % 100;

			assert_int_equal(g711_ulaw_enc(w->samples[j]), f[i]);
		}
	}
	mem_deref(src);
	mem_deref(w);

	/* an empty WAV ends at once, looping or not */
	w = ramp(0, 8000);
	assert_int_equal(0, audio_src_wav(&src, w, true));
	assert_int_equal(ENODATA, audio_src_next(src, f));
	mem_deref(src);
	mem_deref(w);

	/* not 8000 Hz mono */
	w = ramp(10, 16000);
	assert_int_equal(EINVAL, audio_src_wav(&src, w, false));
	mem_deref(w);
	w = vec("audio/pcm-extensible.hex");
	assert_int_equal(EINVAL, audio_src_wav(&src, w, false));
	assert_int_equal(0, wav_to_mono(w));
	assert_int_equal(0, audio_src_wav(&src, w, false));
	mem_deref(src);
	mem_deref(w);
	assert_int_equal(EINVAL, audio_src_next(NULL, f));
}

static void src_tone(void **state)
{
	struct audio_src *src = NULL;
	uint8_t f[AUDIO_FRAME], exp[AUDIO_FRAME];
	int16_t pcm[AUDIO_FRAME];
	struct tone t;

	(void)state;
	assert_int_equal(0, audio_src_tone(&src, 1000, 8000));
	tone_init(&t, AUDIO_RATE, 1000, 8000);
	for (int k = 0; k < 100; k++) {
		tone_fill(&t, pcm, AUDIO_FRAME);
		g711_ulaw_enc_buf(exp, pcm, AUDIO_FRAME);
		assert_int_equal(0, audio_src_next(src, f));
		assert_memory_equal(f, exp, sizeof(f));
	}
	mem_deref(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(g711_known),
		cmocka_unit_test(g711_idempotent),
		cmocka_unit_test(g711_error_bound),
		cmocka_unit_test(g711_buffers),
		cmocka_unit_test(wav_pcm),
		cmocka_unit_test(wav_extensible),
		cmocka_unit_test(wav_g711),
		cmocka_unit_test(wav_prefixes),
		cmocka_unit_test(wav_refusals),
		cmocka_unit_test(wav_lenient),
		cmocka_unit_test(wav_roundtrip),
		cmocka_unit_test(wav_files),
		cmocka_unit_test(wav_check),
		cmocka_unit_test(tone_values),
		cmocka_unit_test(tone_continuous),
		cmocka_unit_test(tone_frequency),
		cmocka_unit_test(src_wav_once),
		cmocka_unit_test(src_wav_loop),
		cmocka_unit_test(src_tone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
