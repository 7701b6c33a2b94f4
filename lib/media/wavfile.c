/**
 * @file wavfile.c  WAV files: load one, write one (16-bit mono PCM)
 *
 * The file I/O over the pure codec in wav.c. Blocking stdio: the client
 * loads its file once before it starts, and writes 320 octets per 20 ms
 * received, which a local file absorbs.
 *
 * A writer writes the 44-octet header at once with the sizes of an empty
 * file, then the samples; wav_writer_close() patches the RIFF and data
 * sizes in place. If the writer is released without being closed (the
 * program ends on an error path), its destructor does the same, best
 * effort, with nobody to tell of a failure. A file left behind by a crash
 * decodes as empty: its header still says zero samples.
 *
 * Reasons do not name the file: the caller knows it and logs both.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <re.h>
#include <mcx/audio.h>
#include <mcx/diag.h>
#include "media.h"

enum {
	LOAD_FIRST = 65536,	/* first read buffer, doubled as needed */
	WRITE_CHUNK = 256,	/* samples converted at a time          */
};

struct wav_writer {
	FILE *f;		/* NULL once closed                     */
	uint32_t rate;
	uint64_t n;		/* samples written                      */
	int err;		/* first write error; sticks            */
};


static int io_err(void)
{
	return errno ? errno : EIO;
}


/* Read a whole stream, up to WAV_MAX_SIZE octets. A regular file's size
 * is known: too large, it is refused unread; otherwise one read of its
 * size (plus one octet, to meet the end) takes it all. */
static int slurp(uint8_t **bufp, size_t *lenp, FILE *f,
		 struct mcx_diag *diag)
{
	size_t cap = LOAD_FIRST, len = 0;
	struct stat st;
	uint8_t *buf;
	int err = 0;

	if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode)) {
		if (st.st_size > WAV_MAX_SIZE)
			return mcx_diag_set(diag, EMSGSIZE, "WAV: larger than "
					    "%d MiB", WAV_MAX_SIZE >> 20);
		cap = (size_t)st.st_size + 1;
	}

	buf = mem_alloc(cap, NULL);
	if (!buf)
		return ENOMEM;

	for (;;) {
		size_t n;

		if (len == cap) {
			uint8_t *nbuf;

			if (cap > WAV_MAX_SIZE) {
				err = mcx_diag_set(diag, EMSGSIZE,
						   "WAV: larger than %d MiB",
						   WAV_MAX_SIZE >> 20);
				goto out;
			}
			cap = cap * 2 > WAV_MAX_SIZE ? WAV_MAX_SIZE + 1 :
				cap * 2;
			nbuf = mem_realloc(buf, cap);
			if (!nbuf) {
				err = ENOMEM;
				goto out;
			}
			buf = nbuf;
		}

		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len < cap) {
			if (ferror(f)) {
				err = io_err();
				(void)mcx_diag_set(diag, err, "WAV: cannot "
						   "read: %s", strerror(err));
				goto out;
			}
			if (feof(f))
				break;
		}
	}

 out:
	if (err) {
		mem_deref(buf);
		return err;
	}

	*bufp = buf;
	*lenp = len;

	return 0;
}


/**
 * Load and decode a WAV file (see wav_decode())
 *
 * @param wp   Where the audio goes
 * @param path File name
 * @param diag Reason on failure
 *
 * @return 0, wav_decode()'s errors, or the errno of opening or reading
 */
int wav_load(struct wav **wp, const char *path, struct mcx_diag *diag)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	if (!wp || !path)
		return EINVAL;

	f = fopen(path, "rb");
	if (!f) {
		err = io_err();
		return mcx_diag_set(diag, err, "WAV: cannot open: %s",
				    strerror(err));
	}

	err = slurp(&buf, &len, f, diag);
	(void)fclose(f);
	if (err)
		return err;

	err = wav_decode(wp, buf, len, diag);
	mem_deref(buf);

	return err;
}


/* Patch the sizes, close the file; the first error met */
static int finish(struct wav_writer *w)
{
	uint8_t h[WAV_HEADER_SIZE];
	int err = w->err;

	wav_header_put(h, w->rate, (uint32_t)(2 * w->n));
	if (!err && (fseek(w->f, 0, SEEK_SET) ||
		     fwrite(h, sizeof(h), 1, w->f) != 1))
		err = io_err();
	if (fclose(w->f) && !err)
		err = io_err();
	w->f = NULL;

	return err;
}


static void writer_destructor(void *arg)
{
	struct wav_writer *w = arg;

	if (w->f)
		(void)finish(w);
}


/**
 * Create (or truncate) a WAV file for 16-bit mono PCM samples
 *
 * @param wp   Where the writer goes
 * @param path File name
 * @param rate Samples per second, 1 .. WAV_MAX_RATE
 *
 * @return 0, the errno of creating or writing the file, ENOMEM or EINVAL
 */
int wav_writer_open(struct wav_writer **wp, const char *path, uint32_t rate)
{
	uint8_t h[WAV_HEADER_SIZE];
	struct wav_writer *w;
	int err = 0;

	if (!wp || !path || !rate || rate > WAV_MAX_RATE)
		return EINVAL;

	w = mem_zalloc(sizeof(*w), writer_destructor);
	if (!w)
		return ENOMEM;
	w->rate = rate;

	w->f = fopen(path, "wb");
	if (!w->f) {
		err = io_err();
		goto out;
	}

	wav_header_put(h, rate, 0);
	if (fwrite(h, sizeof(h), 1, w->f) != 1)
		err = io_err();

 out:
	if (err)
		mem_deref(w);
	else
		*wp = w;

	return err;
}


/**
 * Append samples
 *
 * @return 0; EMSGSIZE when the file would grow past WAV_MAX_SIZE or
 *         WAV_MAX_SECONDS (nothing is written); the errno of a failed
 *         write (it sticks: later calls and close return it); EINVAL
 *         (closed, bad arguments)
 */
int wav_writer_write(struct wav_writer *w, const int16_t *s, size_t n)
{
	uint8_t tmp[2 * WRITE_CHUNK];

	if (!w || !w->f || (!s && n))
		return EINVAL;
	if (w->err)
		return w->err;
	if (n > WAV_MAX_SIZE || wav_mono16_fits(w->n + n, w->rate))
		return EMSGSIZE;

	for (size_t i = 0; i < n;) {
		size_t k = n - i < WRITE_CHUNK ? n - i : WRITE_CHUNK;

		wav_le16_put(tmp, s + i, k);
		if (fwrite(tmp, 2, k, w->f) != k) {
			w->err = io_err();
			return w->err;
		}
		i += k;
		w->n += k;
	}

	return 0;
}


/**
 * Finish the file: patch its sizes and close it. The writer stays
 * allocated (mem_deref() it); further calls return EINVAL.
 *
 * @return 0, the first write error met, or EINVAL
 */
int wav_writer_close(struct wav_writer *w)
{
	if (!w || !w->f)
		return EINVAL;

	return finish(w);
}
