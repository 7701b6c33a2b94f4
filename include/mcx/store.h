/**
 * @file mcx/store.h  The persistent store of one MC system
 *
 * All SQL of mcx lives behind these plain functions (lib/store); SQLite
 * now, another backend (PostgreSQL, design.md section 6) later. The store
 * holds:
 *
 *   users          login name, MC service ID, SIP identities (IMPI, IMPU),
 *                  digest realm and HA1, the IdMS password hash
 *   user profiles  the XML documents (TS 24.484) as imported, keyed by
 *                  (MC service ID, service, profile index)
 *   registrations  SIP registrar bindings (RFC 3261 10.3)
 *   partners       agreements with partner MC systems (migration)
 *
 * Values are checked on the way in (EINVAL) and come back in structs of
 * fixed-size, NUL-terminated arrays: no allocation, no password material
 * other than the digest HA1. Identifiers are compared exactly; callers
 * normalize them (a domain used as a key is case-insensitive).
 *
 * Return codes, one meaning each:
 *
 *   0        done
 *   ENOENT   no such row (or a referenced user is missing)
 *   EEXIST   a unique value (name, MC service ID, IMPI, ...) is taken
 *   EINVAL   a bad argument or value; store_reason() says which
 *   EACCES   wrong credentials (store_password_check() only)
 *   EBUSY    the database is locked by another connection past the busy
 *            timeout, or a write was tried from inside an apply handler
 *   ENOTSUP  the database is newer than this code (store_open() only)
 *   ENOMEM   out of memory
 *   EIO      any other SQLite or OpenSSL failure; the reason has
 *            sqlite3_errmsg()
 *
 * Functions that take no struct mcx_diag keep the reason for their last
 * failure in the store: see store_reason(). Nothing here logs.
 *
 * Apply handlers (store_*_apply) see each row once; a non-zero return
 * stops the walk and is returned. A handler may read the store
 * (store_*_get) but not write to it or start another walk: such calls
 * return EBUSY. The store is held for the duration of the walk, so a
 * handler that drops the caller's reference does not free it under the
 * walk.
 *
 * users.conf, read by store_import() (one user per line; blank lines and
 * lines whose first non-blank character is '#' are ignored; fields are
 * separated by spaces or tabs):
 *
 *   NAME MC-ID PASSWORD [DISPLAY NAME...]
 *   alice sip:alice@a.mcx.test alice-secret Alice Anders
 *
 *   NAME      login name, [a-z0-9._-]{1,64}
 *   MC-ID     MC service ID, sip:USER@DOMAIN
 *   PASSWORD  in clear, no white space: it cannot contain any
 *   DISPLAY   the rest of the line (optional, UTF-8)
 *
 * and derives the SIP identities from them: IMPI = NAME@DOMAIN,
 * IMPU = MC-ID, realm = DOMAIN. Lines end in LF or CRLF and are at most
 * STORE_USERS_LINE_MAX octets (without the line end); a NUL octet is an
 * error. store_users_parse() reads this format from a buffer without
 * storing anything.
 *
 * partners/DOMAIN.conf, also read by store_import(), one file per partner
 * MC system (TS 23.280 10.1.4, TS 33.180 5.1.4), in the syntax of
 * mcx/conf.h:
 *
 *   domain   b.mcx.test                 required; equal to the file's
 *                                       name without .conf (any case)
 *   sip      127.0.2.1:5060             required; its SIP core, IPv4:PORT
 *                                       or [IPv6]:PORT, PORT 1..65535
 *   http     127.0.2.1:8080             required; its IdMS and CMS
 *   idms_key etc/b.mcx.test/idms.pub    required; its IdMS's public key,
 *                                       a PEM file (relative: to the
 *                                       working directory)
 *   secret   0123456789abcdef           optional; 16..128 printable
 *                                       ASCII octets, no blanks
 *
 * stored as sip_addr "sip:IP:PORT", idms_token_url
 * "http://IP:PORT/idms/token", cms_root "http://IP:PORT/xcap-root" (IP as
 * inet_ntop() writes it, in brackets for IPv6), the key file's text (at
 * most STORE_PEM_MAX octets, a PUBLIC KEY, never a PRIVATE KEY) and the
 * secret ("" when none). store_partner_parse() reads a partner file from a
 * buffer; store_import() reads the key file and stores.
 */
#ifndef MCX_STORE_H
#define MCX_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <mcx/info.h>

struct mbuf;
struct mcx_diag;
struct store;

enum {
	STORE_NAME_MAX     = 64,	/**< Login name, characters        */
	STORE_URI_MAX      = 512,	/**< A SIP URI or URL              */
	STORE_DOMAIN_MAX   = 253,	/**< A domain name (RFC 1035)      */
	STORE_DISPLAY_MAX  = 128,	/**< Display name, octets (UTF-8)  */
	STORE_PASSWORD_MAX = 128,	/**< Password in clear, octets     */
	STORE_HA1_LEN      = 32,	/**< HA1: MD5 as lowercase hex     */
	STORE_TOKEN_MAX    = 256,	/**< Call-ID, +sip.instance        */
	STORE_PEM_MAX      = 4096,	/**< A public key as PEM text      */
	STORE_SECRET_MAX   = 256,	/**< A shared secret               */
	STORE_INDEXES      = 256,	/**< Profile indexes 0..255        */
	STORE_USERS_LINE_MAX = 1024,	/**< A line of users.conf, octets  */
	STORE_USERS_SIZE_MAX = 1 << 22,	/**< users.conf, octets            */
	STORE_PARTNER_SECRET_MIN = 16,	/**< A partner file's secret ...   */
	STORE_PARTNER_SECRET_MAX = 128,	/**< ... octets, at least, at most */
	STORE_KEY_PATH_MAX = 1024,	/**< A partner file's idms_key     */
};

/** Which unique value finds a user in store_user_get() */
enum store_key {
	STORE_BY_NAME = 0,	/**< Login name                          */
	STORE_BY_MC_ID,		/**< MC service ID                       */
	STORE_BY_IMPI,		/**< SIP private identity                */
	STORE_BY_IMPU,		/**< SIP public identity (first by name) */
};

/** A user to add or update; the only place a password is given in clear */
struct store_user_new {
	const char *name;	  /**< Login name [a-z0-9._-]{1,64}       */
	const char *mc_id;	  /**< MC service ID, sip:USER@DOMAIN     */
	const char *impi;	  /**< SIP private identity, USER@DOMAIN  */
	const char *impu;	  /**< SIP public identity (SIP URI)      */
	const char *realm;	  /**< SIP digest realm: a domain         */
	const char *password;	  /**< 1..STORE_PASSWORD_MAX octets UTF-8 */
	const char *display_name; /**< Optional (NULL or "")              */
};

/** A user as stored */
struct store_user {
	char name[STORE_NAME_MAX + 1];
	char mc_id[STORE_URI_MAX + 1];
	char impi[STORE_URI_MAX + 1];
	char impu[STORE_URI_MAX + 1];
	char realm[STORE_DOMAIN_MAX + 1];
	char ha1[STORE_HA1_LEN + 1];	/**< MD5(IMPI ":" realm ":" pw), hex */
	char display_name[STORE_DISPLAY_MAX + 1];	/**< "" if none  */
};

/** A SIP registrar binding (RFC 3261 10.3), keyed by (aor, contact) */
struct store_reg {
	char aor[STORE_URI_MAX + 1];		/**< Address of record    */
	char contact[STORE_URI_MAX + 1];	/**< Contact URI          */
	char instance[STORE_TOKEN_MAX + 1];	/**< +sip.instance, or "" */
	int64_t expires;			/**< Absolute, UNIX s     */
	char call_id[STORE_TOKEN_MAX + 1];	/**< Call-ID of REGISTER  */
	uint32_t cseq;				/**< Its CSeq number      */
};

/** An agreement with a partner MC system, keyed by its domain */
struct store_partner {
	char domain[STORE_DOMAIN_MAX + 1];	 /**< Its MC system id     */
	char sip_addr[STORE_URI_MAX + 1];	 /**< SIP URI of its core  */
	char idms_token_url[STORE_URI_MAX + 1]; /**< Its IdMS token URL   */
	char cms_root[STORE_URI_MAX + 1];	 /**< Its CMS root URL     */
	char idms_pubkey[STORE_PEM_MAX + 1];	 /**< Its IdMS key, PEM    */
	char secret[STORE_SECRET_MAX + 1];	 /**< Shared secret or ""  */
};

/** What store_import() wrote */
struct store_import_stats {
	unsigned users;		/**< Users added or updated              */
	unsigned profiles;	/**< Profile documents added or updated  */
	unsigned partners;	/**< Partner agreements added or updated */
};

/** What store_partner_parse() found in a partner file besides the
 *  agreement: where its IdMS key is, and lines for reasons (from 1) */
struct store_partner_file {
	char idms_key[STORE_KEY_PATH_MAX + 1];	/**< Key file, as written */
	unsigned idms_key_line;			/**< Line of idms_key     */
	unsigned domain_line;			/**< Line of domain       */
};

/**
 * One user line of users.conf as store_users_parse() found it. The
 * strings are NUL-terminated and valid during the handler's call only
 * (they live in a buffer that is wiped afterwards: copy what you keep).
 */
struct store_user_line {
	const char *name;	  /**< Login name, [a-z0-9._-]{1,64}     */
	const char *mc_id;	  /**< MC service ID, sip:USER@DOMAIN    */
	const char *domain;	  /**< Its DOMAIN (points into mc_id)    */
	const char *password;	  /**< In clear, 1+ octets, no blanks    */
	const char *display_name; /**< The rest of the line, trimmed; "" */
	unsigned lineno;	  /**< 1-based line number               */
};

/**
 * Called by store_users_parse() for each user line, in file order. A
 * non-zero return stops the parse and is returned; a reason set in why
 * (without "FNAME:LINE: ") is returned as "FNAME:LINE: reason", except
 * with ENOMEM, which is returned as it is.
 */
typedef int (store_user_line_h)(const struct store_user_line *u, void *arg,
				struct mcx_diag *why);

/** Walk handlers: the row is valid during the call only; non-zero stops */
typedef int (store_user_h)(const struct store_user *u, void *arg);
typedef int (store_reg_h)(const struct store_reg *r, void *arg);
typedef int (store_partner_h)(const struct store_partner *p, void *arg);

int  store_open(struct store **stp, const char *path,
		struct mcx_diag *diag);
unsigned store_version(const struct store *st);
const char *store_reason(const struct store *st);

int  store_user_add(struct store *st, const struct store_user_new *u);
int  store_user_put(struct store *st, const struct store_user_new *u);
int  store_user_get(struct store *st, enum store_key key, const char *value,
		    struct store_user *out);
int  store_user_delete(struct store *st, const char *name);
int  store_user_count(struct store *st, unsigned *np);
int  store_user_apply(struct store *st, store_user_h *h, void *arg);
int  store_password_check(struct store *st, const char *name,
			  const char *password);

int  store_profile_put(struct store *st, const char *mc_id, enum mcx_svc svc,
		       uint8_t index, const uint8_t *xml, size_t len);
int  store_profile_get(struct store *st, const char *mc_id, enum mcx_svc svc,
		       uint8_t index, struct mbuf **mbp);
int  store_profile_list(struct store *st, const char *mc_id,
			enum mcx_svc svc, uint8_t idxv[STORE_INDEXES],
			size_t *np);
int  store_profile_delete(struct store *st, const char *mc_id,
			  enum mcx_svc svc, uint8_t index);

int  store_reg_put(struct store *st, const struct store_reg *r);
int  store_reg_get(struct store *st, const char *aor, const char *contact,
		   struct store_reg *out);
int  store_reg_delete(struct store *st, const char *aor, const char *contact);
int  store_reg_delete_aor(struct store *st, const char *aor, unsigned *np);
int  store_reg_apply(struct store *st, const char *aor, store_reg_h *h,
		     void *arg);
int  store_reg_expire(struct store *st, int64_t now, unsigned *np);

int  store_partner_put(struct store *st, const struct store_partner *p);
int  store_partner_get(struct store *st, const char *domain,
		       struct store_partner *out);
int  store_partner_delete(struct store *st, const char *domain);
int  store_partner_apply(struct store *st, store_partner_h *h, void *arg);

int  store_import(struct store *st, const char *dir,
		  struct store_import_stats *stats, struct mcx_diag *diag);
int  store_users_parse(const char *fname, const uint8_t *buf, size_t len,
		       store_user_line_h *h, void *arg,
		       struct mcx_diag *diag);
int  store_partner_parse(struct store_partner *out,
			 struct store_partner_file *pf, const char *fname,
			 const char *buf, size_t len, struct mcx_diag *diag);

#endif
