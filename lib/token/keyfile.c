/**
 * @file keyfile.c  ES256 keys in PEM files: the module's only file I/O
 *
 * A key file is replaced at once: written to a temporary file beside it
 * (mkstemp: O_EXCL, mode 0600 from its creation), synced, then renamed
 * over the target, so that a reader sees the old key or the new one and a
 * private key is never readable by others, not even for a moment.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <re.h>
#include <mcx/diag.h>
#include "tok.h"


/**
 * Load a key from a PEM file (see token_key_load_pem())
 *
 * @return 0, EINVAL, EBADMSG, EMSGSIZE, ENOMEM or the errno of opening or
 *         reading the file (ENOENT, EACCES, ...)
 */
int token_key_load_file(struct token_key **kp, const char *path,
			struct mcx_diag *diag)
{
	char *buf;
	size_t n;
	FILE *f;
	int err;

	if (!kp || !path)
		return EINVAL;

	f = fopen(path, "rb");
	if (!f) {
		err = errno;
		return mcx_diag_set(diag, err, "key: %s: %s", path,
				    strerror(err));
	}

	buf = mem_alloc(TOKEN_PEM_MAX + 1, NULL);
	if (!buf) {
		(void)fclose(f);
		return ENOMEM;
	}

	n = fread(buf, 1, TOKEN_PEM_MAX + 1, f);
	if (ferror(f))
		err = mcx_diag_set(diag, EIO, "key: %s: read error", path);
	else if (n > TOKEN_PEM_MAX)
		err = mcx_diag_set(diag, EMSGSIZE, "key: %s: longer than %d "
				   "octets", path, TOKEN_PEM_MAX);
	else
		err = token_key_load_pem(kp, buf, n, diag);
	(void)fclose(f);

	OPENSSL_cleanse(buf, TOKEN_PEM_MAX + 1);
	mem_deref(buf);

	return err;
}


static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		p += w;
		n -= (size_t)w;
	}

	return 0;
}


/**
 * Save a key as a PEM file, replacing the file at path at once (written
 * to a temporary file beside it, then renamed). A private key file has
 * mode 0600 from its creation on, a public key file 0644.
 *
 * @param k            Key
 * @param path         File name
 * @param private_part Save the private key (k must hold it), else the
 *                     public key
 *
 * @return 0, EINVAL, ENOMEM or the errno of a failed file operation
 */
int token_key_save_file(const struct token_key *k, const char *path,
			bool private_part)
{
	struct mbuf *mb = NULL;
	char *tmp = NULL;
	int fd = -1, err;

	if (!k || !path || (private_part && !k->priv))
		return EINVAL;

	mb = mbuf_alloc(512);
	if (!mb)
		return ENOMEM;

	err = token_key_pem(mb, k, private_part);
	if (err)
		goto out;

	err = re_sdprintf(&tmp, "%s.XXXXXX", path);
	if (err)
		goto out;

	fd = mkstemp(tmp);	/* O_EXCL, mode 0600 */
	if (fd < 0) {
		err = errno;
		tmp = mem_deref(tmp);
		goto out;
	}

	if (!private_part && fchmod(fd, 0644)) {
		err = errno;
		goto out;
	}

	err = write_all(fd, mb->buf, mb->end);
	if (err)
		goto out;

	if (fsync(fd)) {
		err = errno;
		goto out;
	}

	if (close(fd)) {
		fd = -1;
		err = errno;
		goto out;
	}
	fd = -1;

	if (rename(tmp, path))
		err = errno;

 out:
	if (fd >= 0)
		(void)close(fd);
	if (err && tmp)
		(void)unlink(tmp);
	mem_deref(tmp);
	OPENSSL_cleanse(mb->buf, mb->size);
	mem_deref(mb);

	return err;
}
