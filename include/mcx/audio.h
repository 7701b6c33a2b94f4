/**
 * @file mcx/audio.h  Audio for the client: G.711, WAV files, tones, frames
 *
 * The MCPTT client sends G.711 mu-law (RTP payload type 0, 8000 Hz) in
 * 20 ms packets of 160 octets, taken from a WAV file or a generated tone,
 * and writes what it receives to a WAV file. This module holds the parts
 * that need no network:
 *
 *   g711.c       G.711 mu-law and A-law, sample by sample and in buffers
 *   wav.c        WAV codec: wav_decode() (bytes to samples), wav_encode()
 *   wavfile.c    WAV files: wav_load(), struct wav_writer
 *   tone.c       struct tone, a sine generator continuous across calls
 *   audio_src.c  struct audio_src, the sender's 20 ms mu-law frames
 *
 * wav_decode() and wav_encode() are a pure codec (no I/O); wavfile.c does
 * the file I/O on top. A decoded struct wav keeps the file's channels
 * (stereo interleaved); wav_to_mono() mixes them down. The client accepts
 * 8000 Hz mono only and resamples nothing: it calls, in this order,
 *
 *     wav_load() -> wav_to_mono() -> wav_check_8k_mono() -> audio_src_wav()
 *
 * Errors as in mcx/diag.h. wav_check_8k_mono() adds ENOTSUP: a valid file
 * the client cannot send as it is.
 */
#ifndef MCX_AUDIO_H
#define MCX_AUDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mbuf;
struct re_printf;
struct mcx_diag;

enum {
	AUDIO_RATE = 8000,		/**< What the client sends, Hz  */
	AUDIO_PTIME = 20,		/**< Packet duration, ms         */
	AUDIO_FRAME = 160,		/**< Samples (octets) per packet */
	AUDIO_PT_PCMU = 0,		/**< RTP payload type, mu-law    */
	AUDIO_PT_PCMA = 8,		/**< RTP payload type, A-law     */
	G711_ULAW_SILENCE = 0xff,	/**< mu-law code of 0            */
	G711_ALAW_SILENCE = 0xd5,	/**< A-law code nearest 0        */
};


/* ---- G.711 (ITU-T G.711, 11/88): 16-bit linear <-> 8-bit codes ---- */

uint8_t g711_ulaw_enc(int16_t x);
int16_t g711_ulaw_dec(uint8_t c);
uint8_t g711_alaw_enc(int16_t x);
int16_t g711_alaw_dec(uint8_t c);
void g711_ulaw_enc_buf(uint8_t *out, const int16_t *in, size_t n);
void g711_ulaw_dec_buf(int16_t *out, const uint8_t *in, size_t n);
void g711_alaw_enc_buf(uint8_t *out, const int16_t *in, size_t n);
void g711_alaw_dec_buf(int16_t *out, const uint8_t *in, size_t n);


/* ---- WAV (RIFF WAVE) ---- */

enum {
	WAV_MAX_SIZE = 64 * 1024 * 1024,   /**< Largest file, octets      */
	WAV_MAX_SECONDS = 24 * 3600,	   /**< Longest audio             */
	WAV_MAX_CHANNELS = 2,
	WAV_MAX_RATE = 1000000,		   /**< Beyond any audio rate, Hz */
	WAV_HEADER_SIZE = 44,		   /**< What wav_encode() writes  */
};

/** wFormatTag values (RFC 2361 appendix A; 0xfffe: Microsoft's
 * WAVEFORMATEXTENSIBLE) */
enum wav_format {
	WAV_FMT_PCM = 0x0001,
	WAV_FMT_FLOAT = 0x0003,
	WAV_FMT_ALAW = 0x0006,
	WAV_FMT_MULAW = 0x0007,
	WAV_FMT_EXTENSIBLE = 0xfffe,
};

/** Decoded audio; samples are always 16-bit linear */
struct wav {
	uint32_t rate;		/**< Samples per second per channel       */
	uint16_t channels;	/**< 1, or 2 interleaved L R              */
	uint16_t bits;		/**< Bits per sample in the file: 16 or 8 */
	uint16_t format;	/**< WAV_FMT_PCM, _ALAW or _MULAW (the
				     subformat of an extensible file)   */
	int16_t *samples;	/**< nsamples * channels (mem); NULL if 0 */
	size_t nsamples;	/**< Per channel                          */
};

int  wav_decode(struct wav **wp, const uint8_t *buf, size_t len,
		struct mcx_diag *diag);
int  wav_encode(struct mbuf *mb, const int16_t *s, size_t n, uint32_t rate);
int  wav_to_mono(struct wav *w);
int  wav_check_8k_mono(const struct wav *w, struct mcx_diag *diag);
int  wav_print(struct re_printf *pf, const struct wav *w);
const char *wav_format_name(uint16_t format);

int  wav_load(struct wav **wp, const char *path, struct mcx_diag *diag);

struct wav_writer;

int  wav_writer_open(struct wav_writer **wp, const char *path,
		     uint32_t rate);
int  wav_writer_write(struct wav_writer *w, const int16_t *s, size_t n);
int  wav_writer_close(struct wav_writer *w);


/* ---- Tone generator ---- */

/** A sine wave; the phase carries over from one tone_fill() to the next */
struct tone {
	double freq;		/**< Hz, as asked                          */
	uint32_t rate;		/**< Samples per second                    */
	int16_t amp;		/**< Peak amplitude                        */
	uint32_t phase;		/**< Current phase, 2^32 per period        */
	uint32_t step;		/**< Phase advance per sample              */
};

void tone_init(struct tone *t, uint32_t rate, double freq, int16_t amp);
void tone_fill(struct tone *t, int16_t *out, size_t n);


/* ---- The sender's frames: 20 ms of mu-law at a time ---- */

struct audio_src;

int  audio_src_wav(struct audio_src **sp, const struct wav *w, bool loop);
int  audio_src_tone(struct audio_src **sp, double freq, int16_t amp);
int  audio_src_next(struct audio_src *s, uint8_t out[AUDIO_FRAME]);

#endif
