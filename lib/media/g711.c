/**
 * @file g711.c  G.711 mu-law and A-law (ITU-T G.711, 11/88)
 *
 * Both laws are piecewise linear: eight segments per sign, sixteen equal
 * steps per segment, the step doubling from one segment to the next. A
 * character is a sign bit, a 3-bit segment number and a 4-bit step number
 * within the segment. The decoder gives the middle of the step.
 *
 * mu-law (tables 2a/2b): 14-bit magnitudes up to 8159; the first step of
 * segment 0 is 1 wide (0..1 decodes to 0), the other steps of segment s
 * are 2 << s wide. Adding 33 to the magnitude moves the segment ends to
 * powers of two, 32 << s, so that the segment is the position of the
 * highest bit and the step number the four bits below it. Positive values
 * have the sign bit 1; the other seven bits are sent inverted.
 *
 * A-law (tables 1a/1b): 13-bit magnitudes up to 4095; segments 0 and 1
 * both have steps 2 wide, segment s > 1 steps 1 << s wide, and segment
 * s > 0 starts at 16 << s. Positive values have the sign bit 1; the even
 * bits (0x55) are sent inverted.
 *
 * Our samples are 16-bit: the low 2 (mu-law) or 3 (A-law) bits are
 * dropped on the way in and zero on the way out. A negative sample's
 * magnitude is taken as its ones' complement (-1 -> 0), which keeps the
 * quantizer symmetric: x and -1 - x get characters differing only in sign.
 */
#include <stddef.h>
#include <stdint.h>
#include <mcx/audio.h>

enum {
	ULAW_BIAS = 33,		/* moves the segment ends to 32 << s      */
	ULAW_CLIP = 8158,	/* largest magnitude below overload (8159) */
	ULAW_SHIFT = 2,		/* 16-bit -> 14-bit                       */
	ALAW_SHIFT = 3,		/* 16-bit -> 13-bit                       */
	ALAW_MASK = 0x55,	/* the even bits, inverted on the line    */
	G711_SIGN = 0x80,	/* set for positive values in both laws   */
};


/* Position of the highest bit set in v > 0 */
static unsigned hibit(uint32_t v)
{
	unsigned n = 0;

	while (v >>= 1)
		++n;

	return n;
}


/* Magnitude of a 16-bit sample (ones' complement for negatives) and its
 * sign bit */
static uint32_t magnitude(int16_t x, uint8_t *sign)
{
	int32_t v = x;

	if (v < 0) {
		*sign = 0;
		return (uint32_t)(-v - 1);
	}

	*sign = G711_SIGN;
	return (uint32_t)v;
}


/** Encode a 16-bit sample as a mu-law character */
uint8_t g711_ulaw_enc(int16_t x)
{
	uint8_t sign;
	uint32_t v = magnitude(x, &sign) >> ULAW_SHIFT;
	unsigned seg, step;

	if (v > ULAW_CLIP)
		v = ULAW_CLIP;			/* overload: top step */
	v += ULAW_BIAS;				/* 33 .. 8191          */

	seg = hibit(v) - 5;		/* v in [32 << seg, 64 << seg) */
	step = (v >> (seg + 1)) & 0x0f;

	return (uint8_t)(sign | (~(seg << 4 | step) & 0x7f));
}


/** Decode a mu-law character to a 16-bit sample (at most +-32124) */
int16_t g711_ulaw_dec(uint8_t c)
{
	unsigned u = ~c & 0x7f;
	unsigned seg = u >> 4, step = u & 0x0f;
	int32_t mag;

	/* middle of the step: (32 << seg) + step * (2 << seg) + (1 << seg) */
	mag = (int32_t)(((2 * step + ULAW_BIAS) << seg) - ULAW_BIAS);
	mag <<= ULAW_SHIFT;

	return (int16_t)((c & G711_SIGN) ? mag : -mag);
}


/** Encode a 16-bit sample as an A-law character */
uint8_t g711_alaw_enc(int16_t x)
{
	uint8_t sign;
	uint32_t v = magnitude(x, &sign) >> ALAW_SHIFT;	/* 0 .. 4095 */
	unsigned seg, step;

	if (v < 32) {
		seg = 0;
		step = v >> 1;
	}
	else {
		seg = hibit(v) - 4;	/* v in [16 << seg, 32 << seg) */
		step = (v >> seg) & 0x0f;
	}

	return (uint8_t)((sign | seg << 4 | step) ^ ALAW_MASK);
}


/** Decode an A-law character to a 16-bit sample (at most +-32256) */
int16_t g711_alaw_dec(uint8_t c)
{
	unsigned u = c ^ ALAW_MASK;
	unsigned seg = (u >> 4) & 0x07, step = u & 0x0f;
	int32_t mag;

	if (seg == 0)
		mag = (int32_t)(2 * step + 1);
	else
		mag = (int32_t)((2 * step + 33) << (seg - 1));
	mag <<= ALAW_SHIFT;

	return (int16_t)((u & G711_SIGN) ? mag : -mag);
}


/** Encode n samples as mu-law */
void g711_ulaw_enc_buf(uint8_t *out, const int16_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = g711_ulaw_enc(in[i]);
}


/** Decode n mu-law characters */
void g711_ulaw_dec_buf(int16_t *out, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = g711_ulaw_dec(in[i]);
}


/** Encode n samples as A-law */
void g711_alaw_enc_buf(uint8_t *out, const int16_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = g711_alaw_enc(in[i]);
}


/** Decode n A-law characters */
void g711_alaw_dec_buf(int16_t *out, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = g711_alaw_dec(in[i]);
}
