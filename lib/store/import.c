/**
 * @file import.c  Users, profiles and partners from files (design.md 4)
 *
 *   DIR/users.conf          one user per line, format in mcx/store.h
 *   DIR/profiles/NAME.xml   user profile documents (TS 24.484), optional
 *   DIR/partners/DOMAIN.conf partner agreements (TS 23.280 10.1.4),
 *                           optional; format in mcx/store.h
 *
 * One transaction for the whole import: the first error rolls all of it
 * back and names the file and line ("users.conf:7: bad login name 'X'",
 * "profiles/x.xml: <Common>/<MCPTTUserID> missing"). Importing again
 * updates what is there (store_user_put(), store_profile_put()) and
 * never deletes: a user or document no longer in the files stays until
 * it is deleted explicitly. Partner agreements are the exception: the
 * files are the agreements, and one whose file is gone goes.
 *
 * A profile document's service is the one whose namespace its root
 * element is in (MCPTT, MCVideo, then MCData are tried); it is then
 * decoded as that service's profile, so that an error names what is
 * wrong in it rather than that it is not another service's. It is
 * stored under its own user ID (<Common>/<MCxxUserID>), service and
 * user-profile-index, and that user must exist by then.
 *
 * The same login name on two lines, or two documents with the same key,
 * is an error: the second would silently replace the first. So is a
 * partner domain in two files (names that differ in case only).
 *
 * A partner file is read in two layers too: store_partner_parse()
 * (partnerconf.c) turns the text into an agreement and the name of the
 * key file; partner_key() reads that file (at most STORE_PEM_MAX octets,
 * a PEM PUBLIC KEY and no private key) and store_partner_put() writes.
 * Files are taken in the order of their names (strcmp), after the users
 * and the profiles.
 *
 * users.conf is read in two layers: store_users_parse() turns the text
 * into user lines (no I/O, no store, no allocation) and user_put() derives
 * the SIP identities, finds duplicates and writes each user.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/crypto.h>
#include <re.h>
#include <mcx/conf.h>
#include <mcx/diag.h>
#include <mcx/profile.h>
#include <mcx/store.h>
#include "xml/mxml.h"
#include "store.h"

enum {
	IMPORT_PATH_MAX  = 4096,	/**< A file name with its folder     */
	IMPORT_FILES_MAX = 4096,	/**< Documents under profiles/       */
	IMPORT_READ_CHUNK = 4096,
};

#define USERS_FILE "users.conf"
#define PROFILES_DIR "profiles"
#define PARTNERS_DIR "partners"
#define CONF_SUFFIX ".conf"

struct import {
	struct store *st;
	const char *dir;
	struct store_import_stats n;
	struct hash *seen;	/* struct seen: keys written, and where */
	struct mcx_diag *diag;
};

struct seen {
	struct le he;
	char *key;
	char *where;
};


static void seen_destructor(void *arg)
{
	struct seen *s = arg;

	hash_unlink(&s->he);
	mem_deref(s->key);
	mem_deref(s->where);
}


static bool seen_cmp(struct le *le, void *arg)
{
	const struct seen *s = le->data;

	return !strcmp(s->key, arg);
}


/* Remember that key was written from where; EEXIST with *prevp if it was
 * written already in this import */
static int seen_add(struct import *im, char *key, const char *where,
		    const char **prevp)
{
	uint32_t h = hash_joaat_str(key);
	struct le *le = hash_lookup(im->seen, h, seen_cmp, key);
	struct seen *s;
	int err;

	if (le) {
		*prevp = ((struct seen *)le->data)->where;
		return EEXIST;
	}

	s = mem_zalloc(sizeof(*s), seen_destructor);
	if (!s)
		return ENOMEM;

	err = str_dup(&s->key, key);
	if (!err)
		err = str_dup(&s->where, where);
	if (err) {
		mem_deref(s);
		return err;
	}

	hash_append(im->seen, h, &s->he, s);
	return 0;
}


/* Read a whole file of at most maxsize octets. users.conf holds passwords:
 * the buffer is sized from the file up front so that it is not moved by
 * realloc (which would leave a copy behind), and the chunk is wiped */
static int file_load(struct mbuf **mbp, const char *path, size_t maxsize)
{
	uint8_t buf[IMPORT_READ_CHUNK];
	size_t cap = sizeof(buf);
	struct mbuf *mb;
	struct stat sb;
	FILE *f;
	int err = 0;

	f = fopen(path, "rb");
	if (!f)
		return errno ? errno : EIO;

	if (!fstat(fileno(f), &sb) && sb.st_size > 0)
		cap = (uint64_t)sb.st_size < maxsize ?
			(size_t)sb.st_size + 1 : maxsize + 1;

	mb = mbuf_alloc(cap);
	if (!mb) {
		(void)fclose(f);
		return ENOMEM;
	}

	for (;;) {
		size_t n = fread(buf, 1, sizeof(buf), f);

		if (n > maxsize - mb->end) {
			err = EMSGSIZE;
			break;
		}
		if (n) {
			err = mbuf_write_mem(mb, buf, n);
			if (err)
				break;
		}
		if (n < sizeof(buf)) {
			if (ferror(f))
				err = EIO;
			break;
		}
	}
	(void)fclose(f);
	OPENSSL_cleanse(buf, sizeof(buf));

	if (err) {
		OPENSSL_cleanse(mb->buf, mb->size);
		mem_deref(mb);
		return err;
	}

	*mbp = mb;
	return 0;
}


/* A file's load error as a reason */
static int load_fail(struct import *im, int err, const char *rel,
		     size_t maxsize)
{
	if (err == EMSGSIZE)
		return mcx_diag_set(im->diag, err, "%s: larger than %zu "
				    "octets", rel, maxsize);
	if (err == ENOMEM)
		return err;

	return mcx_diag_set(im->diag, err, "%s: %s", rel, strerror(err));
}


static int path_make(char *buf, size_t size, const char *dir,
		     const char *rel)
{
	int n = snprintf(buf, size, "%s/%s", dir, rel);

	return (n < 0 || (size_t)n >= size) ? ENAMETOOLONG : 0;
}


/* ---- users.conf ---- */

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}


/* The next blank-separated token, NUL-terminated in place, or NULL */
static char *token(char **pp)
{
	char *p = *pp, *t;

	while (blank(*p))
		++p;
	if (!*p) {
		*pp = p;
		return NULL;
	}

	t = p;
	while (*p && !blank(*p))
		++p;
	if (*p)
		*p++ = '\0';

	*pp = p;
	return t;
}


/* The rest of the line without blanks around it */
static char *rest(char *p)
{
	char *e;

	while (blank(*p))
		++p;

	e = p + strlen(p);
	while (e > p && blank(e[-1]))
		*--e = '\0';

	return p;
}


/* One line, NUL-terminated; reasons without the "FNAME:N: " */
static int user_line(char *line, unsigned lineno, store_user_line_h *h,
		     void *arg, struct mcx_diag *why)
{
	struct store_user_line u;
	char *p = line, *name;

	memset(&u, 0, sizeof(u));
	name = token(&p);
	if (!name || name[0] == '#')
		return 0;

	u.name = name;
	u.mc_id = token(&p);
	u.password = token(&p);
	u.display_name = rest(p);
	u.lineno = lineno;
	if (!u.password)
		return mcx_diag_set(why, EBADMSG, "expected NAME MC-ID "
				    "PASSWORD [DISPLAY NAME]");

	if (!store_name_ok(u.name))
		return mcx_diag_set(why, EBADMSG, "bad login name '%.64s' "
				    "(expected [a-z0-9._-]{1,%d})", u.name,
				    STORE_NAME_MAX);

	u.domain = store_mc_id_domain(u.mc_id);
	if (!u.domain)
		return mcx_diag_set(why, EBADMSG, "bad MC service ID '%.64s' "
				    "(expected sip:USER@DOMAIN)", u.mc_id);

	return h(&u, arg, why);
}


/**
 * Parse users.conf text (format in mcx/store.h): no I/O, no storing and
 * no allocation. Each user line is checked (tokens, login name, MC service
 * ID) and handed to h, in file order; comments and blank lines are
 * skipped. Password and display name are not checked further (length,
 * UTF-8, control characters: the store checks them), nor are names
 * checked for duplicates: that needs memory, and the handler sees every
 * line.
 *
 * The copy of each line on the stack is wiped before the function
 * returns; the caller wipes buf.
 *
 * @param fname  File name for reasons, e.g. "users.conf"
 * @param buf    The text; need not be NUL-terminated
 * @param len    Its length, at most STORE_USERS_SIZE_MAX
 * @param h      Called per user line; non-zero stops the parse
 * @param arg    For h
 * @param diag   Reason on failure: "FNAME:LINE: reason" (may be NULL)
 *
 * @return 0; EBADMSG (a line that is not a user line), EMSGSIZE (the text
 *         or a line too long), what h returned, or EINVAL (arguments).
 *         The first error stops the parse; no later line reaches h.
 */
int store_users_parse(const char *fname, const uint8_t *buf, size_t len,
		      store_user_line_h *h, void *arg, struct mcx_diag *diag)
{
	char line[STORE_USERS_LINE_MAX + 1];
	unsigned lineno = 0;
	size_t pos = 0;
	int err = 0;

	if (!fname || (!buf && len) || !h)
		return EINVAL;

	mcx_diag_clear(diag);

	if (len > STORE_USERS_SIZE_MAX)
		return mcx_diag_set(diag, EMSGSIZE, "%s: larger than %d "
				    "octets", fname, STORE_USERS_SIZE_MAX);

	while (pos < len && !err) {
		const uint8_t *b = buf + pos;
		const uint8_t *nl = memchr(b, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - b) : len - pos;
		struct mcx_diag why = { "" };

		++lineno;
		pos += n + (nl ? 1 : 0);
		if (n && b[n - 1] == '\r')
			--n;

		if (n > STORE_USERS_LINE_MAX)
			err = mcx_diag_set(&why, EMSGSIZE, "line longer than "
					   "%d octets", STORE_USERS_LINE_MAX);
		else if (memchr(b, '\0', n))
			err = mcx_diag_set(&why, EBADMSG, "NUL octet");
		else {
			memcpy(line, b, n);
			line[n] = '\0';
			err = user_line(line, lineno, h, arg, &why);
		}
		if (err && err != ENOMEM)
			err = mcx_diag_set(diag, err, "%s:%u: %s", fname,
					   lineno, why.reason[0] ? why.reason :
					   strerror(err));
	}

	/* the text holds passwords in clear: leave no copy behind */
	OPENSSL_cleanse(line, sizeof(line));
	return err;
}


/* store_users_parse() handler: a user line into the store */
static int user_put(const struct store_user_line *l, void *arg,
		    struct mcx_diag *why)
{
	struct import *im = arg;
	char impi[STORE_URI_MAX + 1], where[32], name[STORE_NAME_MAX + 1];
	struct store_user_new u;
	const char *prev;
	int err;

	memset(&u, 0, sizeof(u));
	(void)str_ncpy(name, l->name, sizeof(name));
	(void)re_snprintf(impi, sizeof(impi), "%s@%s", l->name, l->domain);
	u.name = l->name;
	u.mc_id = l->mc_id;
	u.impi = impi;
	u.impu = l->mc_id;
	u.realm = l->domain;
	u.password = l->password;
	u.display_name = l->display_name;

	(void)re_snprintf(where, sizeof(where), "line %u", l->lineno);
	err = seen_add(im, name, where, &prev);
	if (err == EEXIST)
		return mcx_diag_set(why, err, "user %s already on %s",
				    u.name, prev);
	if (err)
		return err;

	err = store_user_put(im->st, &u);
	if (err == EINVAL)
		err = EBADMSG;	/* a bad value in the file */
	if (err)
		return mcx_diag_set(why, err, "user %s: %s", u.name,
				    store_reason(im->st));

	++im->n.users;
	return 0;
}


static int users_import(struct import *im)
{
	char path[IMPORT_PATH_MAX];
	struct mbuf *mb = NULL;
	int err;

	err = path_make(path, sizeof(path), im->dir, USERS_FILE);
	if (err)
		return mcx_diag_set(im->diag, err, "%s: path too long",
				    im->dir);

	err = file_load(&mb, path, STORE_USERS_SIZE_MAX);
	if (err)
		return load_fail(im, err, USERS_FILE, STORE_USERS_SIZE_MAX);

	err = store_users_parse(USERS_FILE, mb->buf, mb->end, user_put, im,
				im->diag);

	/* the file holds passwords in clear: leave no copy behind */
	OPENSSL_cleanse(mb->buf, mb->size);
	mem_deref(mb);
	return err;
}


/* ---- profiles/ ---- */

/* Which service's profile this is, by its root element's namespace */
static int doc_svc(enum mcx_svc *svcp, const uint8_t *buf, size_t len,
		   struct mcx_diag *why)
{
	static const enum mcx_svc order[] = {
		MCX_SVC_MCPTT, MCX_SVC_MCVIDEO, MCX_SVC_MCDATA
	};
	xmlDoc *doc = NULL;
	xmlNode *root;
	const char *ns;
	int err;

	err = mxml_parse(&doc, buf, len, PROFILE_MAX_SIZE, why);
	if (err)
		return err;

	root = xmlDocGetRootElement(doc);
	if (!root) {
		err = mcx_diag_set(why, EBADMSG, "no root element");
		goto out;
	}

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		if (mxml_in_ns(root, profile_ns(order[i]))) {
			*svcp = order[i];
			goto out;
		}
	}

	ns = mxml_ns(root);
	err = mcx_diag_set(why, EBADMSG, "not a user profile: root <%.40s> "
			   "in %.60s", mxml_name(root),
			   ns ? ns : "no namespace");

 out:
	xmlFreeDoc(doc);
	return err;
}


static int profile_file(struct import *im, const char *rel,
			struct mcx_diag *why)
{
	char path[IMPORT_PATH_MAX], key[STORE_URI_MAX + 16];
	struct profile *p = NULL;
	struct mbuf *mb = NULL;
	enum mcx_svc svc = MCX_SVC_MCPTT;
	const char *prev;
	int err;

	err = path_make(path, sizeof(path), im->dir, rel);
	if (err)
		return mcx_diag_set(why, err, "path too long");

	err = file_load(&mb, path, PROFILE_MAX_SIZE);
	if (err == EMSGSIZE)
		return mcx_diag_set(why, err, "larger than %d octets",
				    PROFILE_MAX_SIZE);
	if (err)
		return mcx_diag_set(why, err, "%s", strerror(err));

	err = doc_svc(&svc, mb->buf, mb->end, why);
	if (!err)
		err = profile_decode(&p, svc, mb->buf, mb->end, why);
	if (err)
		goto out;

	(void)re_snprintf(key, sizeof(key), "%s %u %s", profile_ns(svc),
			  p->index, p->user_id);
	err = seen_add(im, key, rel, &prev);
	if (err == EEXIST) {
		err = mcx_diag_set(why, err, "%s profile %u of %s already "
				   "in %s", profile_auid(svc), p->index,
				   p->user_id, prev);
		goto out;
	}
	if (err)
		goto out;

	err = store_profile_put(im->st, p->user_id, svc, p->index, mb->buf,
				mb->end);
	if (err == EINVAL)
		err = EBADMSG;	/* a user ID that cannot be an MC ID */
	if (err) {
		err = mcx_diag_set(why, err, "%s", store_reason(im->st));
		goto out;
	}

	++im->n.profiles;

 out:
	mem_deref(p);
	mem_deref(mb);
	return err;
}


static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}


static void names_free(char **names, size_t n)
{
	if (!names)
		return;
	for (size_t i = 0; i < n; i++)
		mem_deref(names[i]);
	mem_deref(names);
}


static bool name_has(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return s[0] != '.' && n > k && !strcmp(s + n - k, suffix);
}


/* The names ending in suffix under DIR/sub, as "sub/NAME", sorted; none
 * if it does not exist. At most IMPORT_FILES_MAX (what: "documents") */
static int dir_names(struct import *im, const char *sub, const char *suffix,
		     const char *what, char ***namesp, size_t *np)
{
	char path[IMPORT_PATH_MAX];
	char **names = NULL;
	struct dirent *de;
	size_t n = 0;
	DIR *d;
	int err;

	err = path_make(path, sizeof(path), im->dir, sub);
	if (err)
		return mcx_diag_set(im->diag, err, "%s: path too long",
				    im->dir);

	d = opendir(path);
	if (!d) {
		err = errno ? errno : EIO;
		if (err == ENOENT)
			return 0;
		return mcx_diag_set(im->diag, err, "%s: %s", sub,
				    strerror(err));
	}

	names = mem_zalloc(IMPORT_FILES_MAX * sizeof(*names), NULL);
	if (!names)
		err = ENOMEM;

	while (!err) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				err = mcx_diag_set(im->diag, errno, "%s: %s",
						   sub, strerror(errno));
			break;
		}
		if (!name_has(de->d_name, suffix))
			continue;
		if (n >= IMPORT_FILES_MAX) {
			err = mcx_diag_set(im->diag, EMSGSIZE, "%s: more "
					   "than %d %s", sub,
					   IMPORT_FILES_MAX, what);
			break;
		}
		err = re_sdprintf(&names[n], "%s/%s", sub, de->d_name);
		if (!err)
			++n;
	}
	(void)closedir(d);

	if (err) {
		names_free(names, n);
		return err;
	}

	qsort(names, n, sizeof(*names), name_cmp);
	*namesp = names;
	*np = n;
	return 0;
}


static int profiles_import(struct import *im)
{
	char **names = NULL;
	size_t n = 0;
	int err;

	err = dir_names(im, PROFILES_DIR, ".xml", "documents", &names, &n);

	for (size_t i = 0; !err && i < n; i++) {
		struct mcx_diag why = { "" };

		err = profile_file(im, names[i], &why);
		if (err && err != ENOMEM)
			err = mcx_diag_set(im->diag, err, "%s: %s", names[i],
					   why.reason);
	}

	names_free(names, n);
	return err;
}


/* ---- partners/ ---- */

/* The partner's IdMS key from the file pf names, into p->idms_pubkey:
 * PEM text of a PUBLIC KEY, never a private key. Reasons name the
 * partner file, the line of idms_key and the key file. */
static int partner_key(struct import *im, struct store_partner *p,
		       const struct store_partner_file *pf, const char *rel)
{
	struct mbuf *mb = NULL;
	const char *pem = p->idms_pubkey;
	char where[IMPORT_PATH_MAX / 8];
	int err;

	(void)snprintf(where, sizeof(where), "%s:%u: option 'idms_key': "
		       "%.60s", rel, pf->idms_key_line, pf->idms_key);

	err = file_load(&mb, pf->idms_key, STORE_PEM_MAX);
	if (err == EMSGSIZE)
		return mcx_diag_set(im->diag, err, "%s: larger than %d "
				    "octets", where, STORE_PEM_MAX);
	if (err == ENOMEM)
		return err;
	if (err)
		return mcx_diag_set(im->diag, err, "%s: %s", where,
				    strerror(err));

	if (memchr(mb->buf, '\0', mb->end)) {
		err = mcx_diag_set(im->diag, EBADMSG, "%s: not PEM text (a "
				   "NUL octet)", where);
		goto out;
	}
	memcpy(p->idms_pubkey, mb->buf, mb->end);
	p->idms_pubkey[mb->end] = '\0';

	/* a private key given by mistake is said so, and goes no further */
	if (strstr(pem, "PRIVATE KEY")) {
		err = mcx_diag_set(im->diag, EBADMSG, "%s: a private key: "
				   "give the partner IdMS's public key only",
				   where);
		goto out;
	}
	if (!strstr(pem, "-----BEGIN PUBLIC KEY-----")) {
		err = mcx_diag_set(im->diag, EBADMSG, "%s: no -----BEGIN "
				   "PUBLIC KEY-----", where);
		goto out;
	}

	err = store_pubkey_check(im->st, pem);
	if (err == EINVAL)
		err = EBADMSG;
	if (err && err != ENOMEM)
		err = mcx_diag_set(im->diag, err, "%s: %s", where,
				   store_reason(im->st));

 out:
	mem_deref(mb);
	return err;
}


static int partner_file(struct import *im, const char *rel,
			struct store_partner *p)
{
	char path[IMPORT_PATH_MAX], key[STORE_DOMAIN_MAX + 16];
	struct store_partner_file pf;
	struct mbuf *mb = NULL;
	const char *prev;
	int err;

	err = path_make(path, sizeof(path), im->dir, rel);
	if (err)
		return mcx_diag_set(im->diag, err, "%s: path too long", rel);

	err = file_load(&mb, path, CONF_FILE_MAX);
	if (err)
		return load_fail(im, err, rel, CONF_FILE_MAX);

	err = store_partner_parse(p, &pf, rel, (const char *)mb->buf,
				  mb->end, im->diag);

	/* the file holds the shared secret: leave no copy behind */
	OPENSSL_cleanse(mb->buf, mb->size);
	mem_deref(mb);
	if (err)
		return err;

	/* domains are keys without regard to case */
	(void)re_snprintf(key, sizeof(key), "partner %s", p->domain);
	for (char *c = key; *c; c++) {
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	}
	err = seen_add(im, key, rel, &prev);
	if (err == EEXIST)
		return mcx_diag_set(im->diag, err, "%s:%u: option 'domain': "
				    "partner %s already in %s", rel,
				    pf.domain_line, p->domain, prev);
	if (err)
		return err;

	err = partner_key(im, p, &pf, rel);
	if (err)
		return err;

	err = store_partner_put(im->st, p);
	if (err == EINVAL)
		err = EBADMSG;	/* a value the store refuses */
	if (err && err != ENOMEM)
		return mcx_diag_set(im->diag, err, "%s: partner %s: %s", rel,
				    p->domain, store_reason(im->st));
	if (err)
		return err;

	++im->n.partners;
	return 0;
}


/* The domains of the agreements in the store, to forget them */
struct old_partners {
	char (*domain)[STORE_DOMAIN_MAX + 1];
	size_t n, max;
};


static int old_partner_h(const struct store_partner *p, void *arg)
{
	struct old_partners *op = arg;

	if (op->n == op->max) {
		size_t max = op->max ? 2 * op->max : 8;
		void *d = op->domain ?
			mem_realloc(op->domain, max * sizeof(*op->domain)) :
			mem_zalloc(max * sizeof(*op->domain), NULL);

		if (!d)
			return ENOMEM;
		op->domain = d;
		op->max = max;
	}
	str_ncpy(op->domain[op->n++], p->domain, sizeof(*op->domain));

	return 0;
}


/* Agreements are what the files say: one whose file is gone goes too
 * (unlike users, which an import never deletes) */
static int partners_forget(struct import *im)
{
	struct old_partners op = { NULL, 0, 0 };
	int err;

	err = store_partner_apply(im->st, old_partner_h, &op);
	for (size_t i = 0; !err && i < op.n; i++)
		err = store_partner_delete(im->st, op.domain[i]);
	mem_deref(op.domain);

	if (err && err != ENOMEM)
		return mcx_diag_set(im->diag, err, "partners: %s",
				    store_reason(im->st));
	return err;
}


static int partners_import(struct import *im)
{
	struct store_partner *p;
	char **names = NULL;
	size_t n = 0;
	int err;

	err = partners_forget(im);
	if (err)
		return err;

	/* some 6 KiB: not on the stack */
	p = mem_zalloc(sizeof(*p), NULL);
	if (!p)
		return ENOMEM;

	err = dir_names(im, PARTNERS_DIR, CONF_SUFFIX, "files", &names, &n);

	for (size_t i = 0; !err && i < n; i++)
		err = partner_file(im, names[i], p);

	OPENSSL_cleanse(p, sizeof(*p));
	mem_deref(p);
	names_free(names, n);
	return err;
}


/**
 * Import users, user profiles and partner agreements from files under a
 * folder (see the file comment and mcx/store.h for the formats), all in
 * one transaction
 *
 * @param st    Store
 * @param dir   The folder, e.g. etc/a.mcx.test
 * @param stats What was written (may be NULL); set only on success
 * @param diag  Reason on failure, naming the file and line
 *
 * @return 0; EBADMSG, ENODATA or EMSGSIZE (a file's content), ENOENT
 *         (users.conf or a partner's key file missing, or a profile's
 *         user unknown), EEXIST (a user, document or partner twice, or an
 *         MC service ID or IMPI that is another user's), another errno
 *         of a file that cannot be read, EBUSY, ENOMEM, EIO or EINVAL. On
 *         any error nothing of the import stays.
 */
int store_import(struct store *st, const char *dir,
		 struct store_import_stats *stats, struct mcx_diag *diag)
{
	struct import im = { .st = st, .dir = dir, .diag = diag };
	int err;

	if (!st || !dir)
		return EINVAL;

	mcx_diag_clear(diag);

	err = hash_alloc(&im.seen, 256);
	if (err)
		return err;

	err = store_writable(st);
	if (!err)
		err = store_tx_begin(st);
	if (err) {
		(void)mcx_diag_set(diag, err, "%s", store_reason(st));
		goto out;
	}

	err = users_import(&im);
	if (!err)
		err = profiles_import(&im);
	if (!err)
		err = partners_import(&im);
	if (err == ENOMEM)
		(void)mcx_diag_set(diag, err, "out of memory");

	err = store_tx_end(st, err);
	if (err && diag && !diag->reason[0])
		(void)mcx_diag_set(diag, err, "%s", store_reason(st));
	if (!err && stats)
		*stats = im.n;

 out:
	hash_flush(im.seen);
	mem_deref(im.seen);
	return err;
}
