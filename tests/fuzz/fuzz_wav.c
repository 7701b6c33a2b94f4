/**
 * @file fuzz_wav.c  WAV decoder
 *
 * Whatever decodes prints, mixes down to mono and encodes as 16-bit mono
 * PCM; that encoding decodes to the same samples at the same rate. G.711
 * files decode to levels of their law, which the law maps to themselves.
 * At 8000 Hz the sender's frame source plays it to the end.
 */
#include <re.h>
#include <mcx/audio.h>
#include "fuzz.h"

static void g711_fixed(const struct wav *w)
{
	size_t n = w->nsamples * w->channels;

	for (size_t i = 0; i < n; i++) {
		int16_t s = w->samples[i];

		if (w->format == WAV_FMT_MULAW)
			FUZZ_CHECK(g711_ulaw_dec(g711_ulaw_enc(s)) == s);
		else if (w->format == WAV_FMT_ALAW)
			FUZZ_CHECK(g711_alaw_dec(g711_alaw_enc(s)) == s);
	}
}

static void play(const struct wav *w)
{
	struct audio_src *src = NULL;
	uint8_t frame[AUDIO_FRAME];
	size_t frames = 0;
	int err;

	FUZZ_CHECK(0 == audio_src_wav(&src, w, false));
	while (!(err = audio_src_next(src, frame)))
		++frames;
	FUZZ_CHECK(err == ENODATA);
	FUZZ_CHECK(frames == (w->nsamples + AUDIO_FRAME - 1) / AUDIO_FRAME);
	mem_deref(src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wav *a = NULL, *b = NULL;
	struct mbuf *mb;
	char line[256];
	int err;

	if (wav_decode(&a, data, size, NULL))
		return 0;

	(void)re_snprintf(line, sizeof(line), "%H", wav_print, a);
	FUZZ_CHECK(a->channels == 1 || a->channels == 2);
	FUZZ_CHECK(!a->samples == !a->nsamples);
	g711_fixed(a);

	FUZZ_CHECK(0 == wav_to_mono(a));
	if (!wav_check_8k_mono(a, NULL))
		play(a);

	mb = mbuf_alloc(WAV_HEADER_SIZE + 2 * a->nsamples);
	FUZZ_CHECK(mb);
	err = wav_encode(mb, a->samples, a->nsamples, a->rate);
	if (err == EMSGSIZE) {
		/* 8-bit G.711 doubles in size as 16-bit PCM */
		FUZZ_CHECK(a->bits == 8);
		goto out;
	}
	FUZZ_CHECK(!err);

	FUZZ_CHECK(0 == wav_decode(&b, mb->buf, mb->end, NULL));
	FUZZ_CHECK(b->rate == a->rate);
	FUZZ_CHECK(b->channels == 1 && b->bits == 16);
	FUZZ_CHECK(b->format == WAV_FMT_PCM);
	FUZZ_CHECK(b->nsamples == a->nsamples);
	FUZZ_CHECK(fuzz_same(a->samples, 2 * a->nsamples, b->samples,
			     2 * b->nsamples));

 out:
	mem_deref(b);
	mem_deref(mb);
	mem_deref(a);

	return 0;
}
