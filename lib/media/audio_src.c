/**
 * @file audio_src.c  The sender's frames: 20 ms of G.711 mu-law at a time
 *
 * A source yields AUDIO_FRAME (160) mu-law octets per call, RTP payload
 * type 0 at 8000 Hz, from one of:
 *
 *   a WAV     8000 Hz mono (wav_check_8k_mono()), held by reference and
 *             not to be changed while the source lives. Looping, the
 *             first sample follows the last within the same frame; not
 *             looping, the last frame is padded with silence (0xff) and
 *             the call after it returns ENODATA.
 *   a tone    endless, its phase carried from frame to frame.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <re.h>
#include <mcx/audio.h>

enum src_kind {
	SRC_WAV,
	SRC_TONE,
};

struct audio_src {
	enum src_kind kind;
	const struct wav *w;	/* SRC_WAV: referenced                    */
	size_t pos;		/* SRC_WAV: next sample                   */
	bool loop;
	struct tone tone;	/* SRC_TONE                               */
};


static void src_destructor(void *arg)
{
	struct audio_src *s = arg;

	/* the reference taken in audio_src_wav() */
	mem_deref((void *)(uintptr_t)s->w);
}


/**
 * A source reading a WAV's samples
 *
 * @param sp   Where the source goes
 * @param w    8000 Hz mono audio from wav_decode() or wav_load()
 *             (referenced with mem_ref(), not copied)
 * @param loop Start again after the last sample, for ever
 *
 * @return 0, ENOMEM, or EINVAL (not 8000 Hz mono: see wav_check_8k_mono)
 */
int audio_src_wav(struct audio_src **sp, const struct wav *w, bool loop)
{
	struct audio_src *s;

	if (!sp || !w || w->rate != AUDIO_RATE || w->channels != 1 ||
	    (!w->samples && w->nsamples))
		return EINVAL;

	s = mem_zalloc(sizeof(*s), src_destructor);
	if (!s)
		return ENOMEM;

	s->kind = SRC_WAV;
	s->w = mem_ref((void *)(uintptr_t)w);
	s->loop = loop;
	*sp = s;

	return 0;
}


/**
 * A source generating a tone at 8000 Hz (see tone_init())
 *
 * @return 0, ENOMEM or EINVAL
 */
int audio_src_tone(struct audio_src **sp, double freq, int16_t amp)
{
	struct audio_src *s;

	if (!sp)
		return EINVAL;

	s = mem_zalloc(sizeof(*s), NULL);
	if (!s)
		return ENOMEM;

	s->kind = SRC_TONE;
	tone_init(&s->tone, AUDIO_RATE, freq, amp);
	*sp = s;

	return 0;
}


static int wav_next(struct audio_src *s, uint8_t *out)
{
	const struct wav *w = s->w;
	size_t i;

	if (!w->nsamples || (!s->loop && s->pos >= w->nsamples))
		return ENODATA;		/* empty, or the end */

	for (i = 0; i < AUDIO_FRAME; i++) {
		if (s->pos == w->nsamples) {
			if (!s->loop)
				break;
			s->pos = 0;
		}
		out[i] = g711_ulaw_enc(w->samples[s->pos++]);
	}
	memset(out + i, G711_ULAW_SILENCE, AUDIO_FRAME - i);

	return 0;
}


/**
 * The next 20 ms frame
 *
 * @param s   The source
 * @param out 160 mu-law octets
 *
 * @return 0, ENODATA (a WAV not looping has ended; out untouched) or
 *         EINVAL
 */
int audio_src_next(struct audio_src *s, uint8_t out[AUDIO_FRAME])
{
	int16_t pcm[AUDIO_FRAME];

	if (!s || !out)
		return EINVAL;

	if (s->kind == SRC_WAV)
		return wav_next(s, out);

	tone_fill(&s->tone, pcm, AUDIO_FRAME);
	g711_ulaw_enc_buf(out, pcm, AUDIO_FRAME);

	return 0;
}
