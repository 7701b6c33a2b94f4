/**
 * @file media.h  Private to lib/media: what wav.c and wavfile.c share
 */
#ifndef MCX_MEDIA_H
#define MCX_MEDIA_H

#include <stddef.h>
#include <stdint.h>
#include <mcx/audio.h>

void wav_header_put(uint8_t h[WAV_HEADER_SIZE], uint32_t rate,
		    uint32_t datasize);
int  wav_mono16_fits(uint64_t n, uint32_t rate);
void wav_le16_put(uint8_t *p, const int16_t *s, size_t n);

#endif
