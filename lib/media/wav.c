/**
 * @file wav.c  WAV codec: RIFF WAVE octets <-> 16-bit samples
 *
 * Layout (IBM/Microsoft, Multimedia Programming Interface and Data
 * Specifications 1.0, 1991: RIFF, WAVE; Microsoft WAVEFORMATEXTENSIBLE),
 * all integers little-endian:
 *
 *   "RIFF" size(4) "WAVE"    size counts the octets after itself
 *   chunk*                   id(4) size(4) data[size], then one pad octet
 *                            when size is odd (not counted in size)
 *
 *   "fmt "  wFormatTag(2) nChannels(2) nSamplesPerSec(4)
 *           nAvgBytesPerSec(4) nBlockAlign(2) wBitsPerSample(2)
 *           [cbSize(2) extension(cbSize)]
 *           WAVE_FORMAT_EXTENSIBLE (0xfffe), cbSize >= 22:
 *           wValidBitsPerSample(2) dwChannelMask(4) SubFormat(16), a GUID
 *           whose first two octets are a wFormatTag and the other fourteen
 *           the fixed tail of KSDATAFORMAT_SUBTYPE_*,
 *           0000xxxx-0000-0010-8000-00aa00389b71
 *   "data"  frames of nBlockAlign octets, channels interleaved
 *
 * Accepted: PCM 16-bit, A-law and mu-law 8-bit (decoded with G.711), one
 * or two channels, any rate up to WAV_MAX_RATE. fmt must come before data;
 * other chunks (LIST, fact, cue, ...) are skipped wherever they are.
 *
 * Strict: chunk IDs are printable ASCII; nBlockAlign is channels times
 * octets per sample; data is whole frames; octets inside the RIFF chunk
 * that do not make a chunk are malformed. Lenient, as real files need:
 * nAvgBytesPerSec and dwChannelMask are not checked (informational);
 * wValidBitsPerSample may be anything up to the container size; octets
 * after the RIFF chunk are ignored; the pad octet of the last chunk may be
 * missing when the RIFF size leaves it out.
 *
 * Incomplete vs malformed: a RIFF size larger than the input means more
 * octets are to come, so running out of input is ENODATA; a chunk that
 * runs past a RIFF chunk wholly present is EBADMSG.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <re.h>
#include <mcx/audio.h>
#include <mcx/diag.h>
#include "media.h"

enum {
	RIFF_HDR = 12,		/* "RIFF" size "WAVE"                    */
	CHUNK_HDR = 8,		/* id size                               */
	FMT_MIN = 16,		/* PCMWAVEFORMAT                         */
	FMT_EXT_MIN = 40,	/* WAVEFORMATEXTENSIBLE                  */
	FMT_EXT_CB = 22,	/* its cbSize                            */
	GUID_TAIL = 14,
	ENC_CHUNK = 256,	/* samples converted at a time (encoder)  */
};

/* KSDATAFORMAT_SUBTYPE_* after its first two octets (a format tag) */
static const uint8_t guid_tail[GUID_TAIL] = {
	0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00,
	0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71
};

static const struct {
	uint16_t format;
	const char *name;
} fnames[] = {
	{ WAV_FMT_PCM, "PCM" },
	{ 0x0002, "MS ADPCM" },
	{ WAV_FMT_FLOAT, "IEEE float" },
	{ WAV_FMT_ALAW, "A-law" },
	{ WAV_FMT_MULAW, "mu-law" },
	{ 0x0011, "IMA ADPCM" },
	{ 0x0031, "GSM 6.10" },
	{ 0x0055, "MPEG layer 3" },
	{ WAV_FMT_EXTENSIBLE, "extensible" },
};

/* What the fmt chunk says */
struct fmt {
	uint16_t format;	/* PCM, ALAW or MULAW (subformat resolved) */
	uint16_t channels;
	uint32_t rate;
	uint16_t block;
	uint16_t bits;
};


/** Name of a wFormatTag ("mu-law"), or "?" */
const char *wav_format_name(uint16_t format)
{
	for (size_t i = 0; i < ARRAY_SIZE(fnames); i++) {
		if (fnames[i].format == format)
			return fnames[i].name;
	}

	return "?";
}


static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}


static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}


static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}


static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}


/* Do the octets present match the start of a 4-octet magic? */
static bool magic_ok(const uint8_t *p, size_t avail, const char *magic)
{
	return !avail || !memcmp(p, magic, avail < 4 ? avail : 4);
}


static bool fourcc_ok(const uint8_t *p)
{
	for (int i = 0; i < 4; i++) {
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	}

	return true;
}


/* "fmt", "data" or "'LIST'", for reasons */
static const char *chunk_name(char buf[8], const uint8_t *id)
{
	if (!memcmp(id, "fmt ", 4))
		return "fmt";
	if (!memcmp(id, "data", 4))
		return "data";

	buf[0] = '\'';
	memcpy(buf + 1, id, 4);
	buf[5] = '\'';
	buf[6] = '\0';

	return buf;
}


static int unsupported(struct mcx_diag *diag, const char *what,
		       uint16_t format)
{
	const char *name = wav_format_name(format);

	if (name[0] == '?')
		return mcx_diag_set(diag, EBADMSG, "WAV fmt chunk: %s %u not "
				    "supported", what, format);

	return mcx_diag_set(diag, EBADMSG, "WAV fmt chunk: %s %u (%s) not "
			    "supported", what, format, name);
}


/* WAVEFORMATEXTENSIBLE: the subformat becomes the format */
static int ext_decode(struct fmt *f, const uint8_t *p, uint32_t size,
		      struct mcx_diag *diag)
{
	uint16_t valid;

	if (size < FMT_EXT_MIN)
		return mcx_diag_set(diag, EBADMSG, "WAV fmt chunk: extensible "
				    "format in %u octets, fewer than %d", size,
				    FMT_EXT_MIN);
	if (le16(p + 16) < FMT_EXT_CB)
		return mcx_diag_set(diag, EBADMSG, "WAV fmt chunk: extensible "
				    "format with cbSize %u, less than %d",
				    le16(p + 16), FMT_EXT_CB);

	valid = le16(p + 18);
	if (valid > f->bits)
		return mcx_diag_set(diag, EBADMSG, "WAV fmt chunk: %u valid "
				    "bits in a %u-bit container", valid,
				    f->bits);
	if (memcmp(p + 26, guid_tail, GUID_TAIL))
		return mcx_diag_set(diag, EBADMSG, "WAV fmt chunk: extensible "
				    "subformat GUID not supported");

	f->format = le16(p + 24);
	if (f->format != WAV_FMT_PCM && f->format != WAV_FMT_ALAW &&
	    f->format != WAV_FMT_MULAW)
		return unsupported(diag, "extensible subformat", f->format);

	return 0;
}


static int fmt_decode(struct fmt *f, const uint8_t *p, uint32_t size,
		      struct mcx_diag *diag)
{
	unsigned expect;
	int err;

	if (size < FMT_MIN)
		return mcx_diag_set(diag, EBADMSG, "WAV fmt chunk: %u octets, "
				    "fewer than %d", size, FMT_MIN);

	f->format = le16(p);
	f->channels = le16(p + 2);
	f->rate = le32(p + 4);
	/* p + 8: nAvgBytesPerSec, informational */
	f->block = le16(p + 12);
	f->bits = le16(p + 14);

	if (f->format == WAV_FMT_EXTENSIBLE) {
		err = ext_decode(f, p, size, diag);
		if (err)
			return err;
	}

	switch (f->format) {

	case WAV_FMT_PCM:
		if (f->bits != 16)
			return mcx_diag_set(diag, EBADMSG, "WAV fmt chunk: "
					    "%u-bit samples not supported",
					    f->bits);
		break;

	case WAV_FMT_ALAW:
	case WAV_FMT_MULAW:
		if (f->bits != 8)
			return mcx_diag_set(diag, EBADMSG, "WAV fmt chunk: %s "
					    "with %u bits per sample, not 8",
					    wav_format_name(f->format),
					    f->bits);
		break;

	default:
		return unsupported(diag, "format", f->format);
	}

	if (!f->channels)
		return mcx_diag_set(diag, EBADMSG, "WAV fmt chunk: no "
				    "channels");
	if (f->channels > WAV_MAX_CHANNELS)
		return mcx_diag_set(diag, EBADMSG, "WAV fmt chunk: %u channels "
				    "not supported (1 or 2)", f->channels);
	if (!f->rate)
		return mcx_diag_set(diag, EBADMSG, "WAV fmt chunk: sample rate "
				    "0");
	if (f->rate > WAV_MAX_RATE)
		return mcx_diag_set(diag, EBADMSG, "WAV fmt chunk: sample rate "
				    "%u above %d", f->rate, WAV_MAX_RATE);

	expect = f->channels * (f->bits / 8u);
	if (f->block != expect)
		return mcx_diag_set(diag, EBADMSG, "WAV fmt chunk: block align "
				    "%u, expected %u (%u x %u bits)", f->block,
				    expect, f->channels, f->bits);

	return 0;
}


/* The data chunk header, before its octets are looked at */
static int data_check(const struct fmt *f, bool have_fmt, bool have_data,
		      uint32_t size, struct mcx_diag *diag)
{
	uint64_t frames;

	if (!have_fmt)
		return mcx_diag_set(diag, EBADMSG, "WAV data chunk: no fmt "
				    "chunk before it");
	if (have_data)
		return mcx_diag_set(diag, EBADMSG, "WAV: more than one data "
				    "chunk");
	if (size % f->block)
		return mcx_diag_set(diag, EBADMSG, "WAV data chunk: %u octets, "
				    "not a multiple of the %u-octet block",
				    size, f->block);

	frames = size / f->block;
	if (frames > (uint64_t)f->rate * WAV_MAX_SECONDS)
		return mcx_diag_set(diag, EMSGSIZE, "WAV data chunk: %llu "
				    "seconds, longer than %d hours",
				    (unsigned long long)(frames / f->rate),
				    WAV_MAX_SECONDS / 3600);

	return 0;
}


static void wav_destructor(void *arg)
{
	struct wav *w = arg;

	mem_deref(w->samples);
}


/* Samples from validated data octets */
static int build(struct wav **wp, const struct fmt *f, const uint8_t *p,
		 uint32_t size)
{
	struct wav *w;
	size_t n;

	w = mem_zalloc(sizeof(*w), wav_destructor);
	if (!w)
		return ENOMEM;

	w->rate = f->rate;
	w->channels = f->channels;
	w->bits = f->bits;
	w->format = f->format;
	w->nsamples = size / f->block;
	n = w->nsamples * f->channels;

	if (n) {
		w->samples = mem_alloc(n * sizeof(*w->samples), NULL);
		if (!w->samples) {
			mem_deref(w);
			return ENOMEM;
		}
	}

	switch (f->format) {

	case WAV_FMT_ALAW:
		g711_alaw_dec_buf(w->samples, p, n);
		break;

	case WAV_FMT_MULAW:
		g711_ulaw_dec_buf(w->samples, p, n);
		break;

	default:
		for (size_t i = 0; i < n; i++) {
			int32_t v = le16(p + 2 * i);

			w->samples[i] = (int16_t)(v >= 0x8000 ? v - 0x10000 :
						  v);
		}
		break;
	}

	*wp = w;

	return 0;
}


/* Where the walk over the chunks is */
struct walk {
	const uint8_t *buf;
	size_t pos, end;	/* next chunk; end of the RIFF chunk or input */
	bool cut;		/* the RIFF chunk runs past the input        */
	struct fmt fmt;
	bool have_fmt, have_data;
	const uint8_t *data;
	uint32_t datasize;
	struct mcx_diag *diag;
};


/* One chunk: check it, take fmt and data, step over the others */
static int chunk_decode(struct walk *k)
{
	const uint8_t *id = k->buf + k->pos;
	bool is_fmt, is_data;
	const char *name;
	uint32_t size;
	char nbuf[8];
	int err;

	if (k->end - k->pos < CHUNK_HDR) {
		if (k->cut)
			return mcx_diag_set(k->diag, ENODATA, "WAV: chunk "
					    "header cut short");
		return mcx_diag_set(k->diag, EBADMSG, "WAV: %zu stray octets "
				    "at the end of the RIFF chunk",
				    k->end - k->pos);
	}
	if (!fourcc_ok(id))
		return mcx_diag_set(k->diag, EBADMSG, "WAV: chunk ID not ASCII "
				    "at offset %zu", k->pos);

	is_fmt = !memcmp(id, "fmt ", 4);
	is_data = !memcmp(id, "data", 4);
	name = chunk_name(nbuf, id);
	size = le32(id + 4);
	if (size > WAV_MAX_SIZE)
		return mcx_diag_set(k->diag, EMSGSIZE, "WAV %s chunk: %u "
				    "octets, larger than %d MiB", name, size,
				    WAV_MAX_SIZE >> 20);

	if (is_fmt && k->have_data)
		return mcx_diag_set(k->diag, EBADMSG, "WAV fmt chunk: after "
				    "the data chunk");
	if (is_fmt && k->have_fmt)
		return mcx_diag_set(k->diag, EBADMSG, "WAV: more than one fmt "
				    "chunk");
	if (is_data) {
		err = data_check(&k->fmt, k->have_fmt, k->have_data, size,
				 k->diag);
		if (err)
			return err;
	}

	/* limits before presence: more octets would not help */
	if (size > k->end - k->pos - CHUNK_HDR) {
		if (k->cut)
			return mcx_diag_set(k->diag, ENODATA, "WAV %s chunk: "
					    "cut short", name);
		return mcx_diag_set(k->diag, EBADMSG, "WAV %s chunk: %u "
				    "octets, past the end of the RIFF chunk",
				    name, size);
	}

	if (is_fmt) {
		err = fmt_decode(&k->fmt, id + CHUNK_HDR, size, k->diag);
		if (err)
			return err;
		k->have_fmt = true;
	}
	else if (is_data) {
		k->data = id + CHUNK_HDR;
		k->datasize = size;
		k->have_data = true;
	}

	k->pos += CHUNK_HDR + (size_t)size + (size & 1);
	if (k->pos > k->end)
		k->pos = k->end;	/* pad left out of the RIFF size */

	return 0;
}


/**
 * Decode a WAV file held in memory
 *
 * @param wp   Where the audio goes (mem; samples in 16-bit, channels kept)
 * @param buf  File octets
 * @param len  Number of octets
 * @param diag Reason on failure, naming the chunk
 *
 * @return 0, ENODATA (cut short), EBADMSG (malformed or not supported),
 *         EMSGSIZE (over WAV_MAX_SIZE or WAV_MAX_SECONDS), ENOMEM, EINVAL
 */
int wav_decode(struct wav **wp, const uint8_t *buf, size_t len,
	       struct mcx_diag *diag)
{
	struct walk k;
	uint32_t riff;
	int err;

	if (!wp || (!buf && len))
		return EINVAL;

	if (len > WAV_MAX_SIZE)
		return mcx_diag_set(diag, EMSGSIZE, "WAV: larger than %d MiB",
				    WAV_MAX_SIZE >> 20);
	if (!magic_ok(buf, len, "RIFF"))
		return mcx_diag_set(diag, EBADMSG, "WAV: not a RIFF file");
	if (len < 8)
		return mcx_diag_set(diag, ENODATA, "WAV RIFF header: cut "
				    "short");

	riff = le32(buf + 4);
	if (riff > WAV_MAX_SIZE - 8)
		return mcx_diag_set(diag, EMSGSIZE, "WAV RIFF chunk: %u "
				    "octets, larger than %d MiB", riff,
				    WAV_MAX_SIZE >> 20);
	if (riff < 4)
		return mcx_diag_set(diag, EBADMSG, "WAV RIFF chunk: %u "
				    "octets, no room for WAVE", riff);
	if (!magic_ok(buf + 8, len - 8, "WAVE"))
		return mcx_diag_set(diag, EBADMSG, "WAV: RIFF form type not "
				    "WAVE");
	if (len < RIFF_HDR)
		return mcx_diag_set(diag, ENODATA, "WAV RIFF header: cut "
				    "short");

	memset(&k, 0, sizeof(k));
	k.buf = buf;
	k.pos = RIFF_HDR;
	k.end = 8 + (size_t)riff;
	k.cut = k.end > len;
	if (k.cut)
		k.end = len;
	k.diag = diag;

	while (k.pos < k.end) {
		err = chunk_decode(&k);
		if (err)
			return err;
	}

	if (k.cut)
		return mcx_diag_set(diag, ENODATA, "WAV RIFF chunk: cut short "
				    "(%zu of %u octets)", len - 8, riff);
	if (!k.have_fmt)
		return mcx_diag_set(diag, EBADMSG, "WAV: fmt chunk missing");
	if (!k.have_data)
		return mcx_diag_set(diag, EBADMSG, "WAV: data chunk missing");

	return build(wp, &k.fmt, k.data, k.datasize);
}


/* Can n 16-bit mono samples at this rate make a WAV we would decode? */
int wav_mono16_fits(uint64_t n, uint32_t rate)
{
	if (n > (WAV_MAX_SIZE - WAV_HEADER_SIZE) / 2)
		return EMSGSIZE;
	if (n > (uint64_t)rate * WAV_MAX_SECONDS)
		return EMSGSIZE;

	return 0;
}


/* The 44-octet header of a 16-bit mono PCM file */
void wav_header_put(uint8_t h[WAV_HEADER_SIZE], uint32_t rate,
		    uint32_t datasize)
{
	memcpy(h, "RIFF", 4);
	put32(h + 4, WAV_HEADER_SIZE - 8 + datasize);
	memcpy(h + 8, "WAVE", 4);
	memcpy(h + 12, "fmt ", 4);
	put32(h + 16, FMT_MIN);
	put16(h + 20, WAV_FMT_PCM);
	put16(h + 22, 1);			/* nChannels       */
	put32(h + 24, rate);			/* nSamplesPerSec  */
	put32(h + 28, 2 * rate);		/* nAvgBytesPerSec */
	put16(h + 32, 2);			/* nBlockAlign     */
	put16(h + 34, 16);			/* wBitsPerSample  */
	memcpy(h + 36, "data", 4);
	put32(h + 40, datasize);
}


/* n samples as 16-bit little-endian octets */
void wav_le16_put(uint8_t *p, const int16_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put16(p + 2 * i, (uint16_t)s[i]);
}


/**
 * Encode samples as a 16-bit mono PCM WAV file
 *
 * @param mb   Buffer the file is appended to (untouched on error)
 * @param s    Samples
 * @param n    Number of samples
 * @param rate Samples per second, 1 .. WAV_MAX_RATE
 *
 * @return 0, EMSGSIZE (a file wav_decode() would refuse as too large or
 *         too long), ENOMEM or EINVAL
 */
int wav_encode(struct mbuf *mb, const int16_t *s, size_t n, uint32_t rate)
{
	uint8_t hdr[WAV_HEADER_SIZE], tmp[2 * ENC_CHUNK];
	size_t pos, end;
	int err;

	if (!mb || (!s && n) || !rate || rate > WAV_MAX_RATE)
		return EINVAL;

	err = wav_mono16_fits(n, rate);
	if (err)
		return err;

	pos = mb->pos;
	end = mb->end;

	wav_header_put(hdr, rate, (uint32_t)(2 * n));
	err = mbuf_write_mem(mb, hdr, sizeof(hdr));
	for (size_t i = 0; i < n && !err;) {
		size_t k = n - i < ENC_CHUNK ? n - i : ENC_CHUNK;

		wav_le16_put(tmp, s + i, k);
		err = mbuf_write_mem(mb, tmp, 2 * k);
		i += k;
	}

	if (err) {
		mb->pos = pos;
		mb->end = end;
	}

	return err;
}


/**
 * Mix stereo down to mono in place: each sample the mean of left and
 * right, rounded toward zero. Mono is left as it is.
 *
 * @return 0 or EINVAL
 */
int wav_to_mono(struct wav *w)
{
	if (!w || !w->channels || w->channels > WAV_MAX_CHANNELS)
		return EINVAL;

	if (w->channels == 2) {
		for (size_t i = 0; i < w->nsamples; i++) {
			int32_t l = w->samples[2 * i];
			int32_t r = w->samples[2 * i + 1];

			w->samples[i] = (int16_t)((l + r) / 2);
		}
		w->channels = 1;
	}

	return 0;
}


/**
 * Can the client send this audio as it is? It sends 8000 Hz mono and
 * resamples nothing.
 *
 * @return 0, ENOTSUP (another rate, or not yet mixed down) or EINVAL
 */
int wav_check_8k_mono(const struct wav *w, struct mcx_diag *diag)
{
	if (!w)
		return EINVAL;

	if (w->rate != AUDIO_RATE)
		return mcx_diag_set(diag, ENOTSUP, "WAV: %u Hz; the client "
				    "sends %d Hz and does not resample "
				    "(convert it: sox in.wav -r %d -c 1 "
				    "out.wav)", w->rate, AUDIO_RATE,
				    AUDIO_RATE);
	if (w->channels != 1)
		return mcx_diag_set(diag, ENOTSUP, "WAV: %u channels; the "
				    "client sends mono (mix down with "
				    "wav_to_mono() first)", w->channels);

	return 0;
}


/** Print a one-line summary: "WAV mu-law 8-bit 8000 Hz mono, ..." */
int wav_print(struct re_printf *pf, const struct wav *w)
{
	if (!w)
		return 0;

	return re_hprintf(pf, "WAV %s %u-bit %u Hz %s, %zu samples (%llu ms)",
			  wav_format_name(w->format), w->bits, w->rate,
			  w->channels == 1 ? "mono" : w->channels == 2 ?
			  "stereo" : "?", w->nsamples,
			  (unsigned long long)(w->rate ? (uint64_t)w->nsamples *
					       1000 / w->rate : 0));
}
