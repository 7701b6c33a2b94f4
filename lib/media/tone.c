/**
 * @file tone.c  Sine tone generator
 *
 * Integer phase accumulation: the phase is a 32-bit fraction of a period
 * that wraps by itself, advanced by a fixed step per sample, so a tone
 * neither drifts nor loses precision however long it runs, and n samples
 * in one call are exactly the samples of any split of n into calls. Only
 * the sample value goes through sin().
 *
 * The step is freq / rate periods, modulo one: a frequency above rate / 2
 * aliases as sampling makes it (rate - freq sounds), a negative one is the
 * same tone phase-inverted. A rate of 0 or a frequency that is not a
 * number gives silence.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <mcx/audio.h>

static const double TWO_PI = 6.283185307179586476925286766559;
static const double PHASE_ONE = 4294967296.0;	/* 2^32: one period */


/**
 * Set a tone up, at phase 0
 *
 * @param t    The tone
 * @param rate Samples per second
 * @param freq Frequency, Hz
 * @param amp  Peak amplitude (negative: inverted)
 */
void tone_init(struct tone *t, uint32_t rate, double freq, int16_t amp)
{
	double periods;

	if (!t)
		return;

	memset(t, 0, sizeof(*t));
	t->freq = freq;
	t->rate = rate;
	t->amp = amp;

	if (!rate || !isfinite(freq))
		return;

	periods = fmod(freq / rate, 1.0);	/* (-1, 1) */
	if (periods < 0)
		periods += 1.0;
	t->step = (uint32_t)((uint64_t)llround(periods * PHASE_ONE) &
			     0xffffffffu);
}


/**
 * Write the next n samples; the next call goes on from there
 */
void tone_fill(struct tone *t, int16_t *out, size_t n)
{
	if (!t || !out)
		return;

	for (size_t i = 0; i < n; i++) {
		double v = t->amp * sin(TWO_PI * t->phase / PHASE_ONE);
		long s = lrint(v);

		if (s > INT16_MAX)
			s = INT16_MAX;
		else if (s < INT16_MIN)
			s = INT16_MIN;
		out[i] = (int16_t)s;
		t->phase += t->step;
	}
}
