/**
 * @file mcx/conf.h  Table-driven configuration (mcxd, the mcx client)
 *
 * A program describes its options in one table, one row per option: name,
 * type, default, bounds, whether it may change on reload, a line of
 * documentation, and where its value lives in the program's own config
 * struct (offsetof). Loading a file, command-line overrides, validation,
 * printing a complete file (--print-config) and the check of the sample
 * file under etc/ all derive from that table (style.md habit 8).
 *
 *     struct mcxd_conf { char *domain; int64_t sip_port; bool tls; };
 *
 *     static const struct conf_opt mcxd_opts[] = {
 *         { .name = "domain", .type = CONF_DOMAIN, .required = true,
 *           .doc = "Domain of this MC system",
 *           .off = offsetof(struct mcxd_conf, domain) },
 *         { .name = "sip_port", .type = CONF_PORT, .def = "5060",
 *           .doc = "UDP and TCP port for SIP",
 *           .off = offsetof(struct mcxd_conf, sip_port) },
 *         ...
 *     };
 *
 *     conf_defaults(&cfg, &tbl, &d);              then, in this order:
 *     conf_load_file(&cfg, &tbl, path, &d);       the file,
 *     conf_set(&cfg, &tbl, "sip_port", "5070", &d);  each -o name=value,
 *     conf_check(&cfg, &tbl, &d);                 required options set?
 *     ...
 *     re_fprintf(stdout, "%H", conf_ref_print,    --print-config
 *                &(struct conf_ref){ &cfg, &tbl });
 *     conf_reset(&cfg, &tbl);
 *
 * File syntax (UTF-8 text, at most CONF_FILE_MAX octets):
 *
 *     # a comment                       '#' at the start of a line, or
 *     sip_port 5060   # a comment       after white space outside quotes
 *     domain a.mcx.test
 *     motd "  two blanks, a # and a \" inside "
 *
 *   - one option per line: `name value`; name is [a-z0-9_]+, separated
 *     from the value by spaces or tabs;
 *   - the value is the rest of the line with its leading and trailing
 *     blanks removed, or a double-quoted string in which `\"` is a quote
 *     and `\\` a backslash (no other escapes). Quotes are needed for an
 *     empty value, leading or trailing blanks, a `#`, or a value that
 *     starts with `"`; after the closing quote only blanks and a comment
 *     may follow;
 *   - blank lines are ignored; lines end in LF or CRLF; a UTF-8 byte order
 *     mark at the start of the file is skipped;
 *   - a line is at most CONF_LINE_MAX octets (without its end), a value at
 *     most CONF_VALUE_MAX octets (after unquoting); control characters
 *     (C0 but tab, DEL, C1) are refused anywhere, comments included;
 *   - each option at most once per file. A later source (another file,
 *     conf_set) overrides an earlier one.
 *
 * Values by type, and the member of the config struct each one fills:
 *
 *   CONF_STR      any text                           char *
 *   CONF_INT      decimal integer, min..max          int64_t
 *   CONF_BOOL     yes/no, true/false, on/off, 1/0    bool
 *                 (any case; printed as yes/no)
 *   CONF_PORT     0..65535 (min..max inside that     int64_t
 *                 if max > 0)
 *   CONF_IP       IPv4 or IPv6 literal (inet_pton)   char *
 *   CONF_DOMAIN   DNS name (mcx_domain_valid)        char *
 *   CONF_URI      no white space or control chars    char *
 *   CONF_PATH     a file name, not empty             char *
 *   CONF_SECONDS  integer number of seconds, min..max int64_t
 *   CONF_ENUM     one of .values (case-sensitive)    char *
 *
 * Strings are mem-allocated (libre mem_*), owned by the config struct and
 * released by conf_reset(). For string types, max > 0 bounds the length in
 * octets to min..max. Integers must have bounds (min < max). Numbers and
 * booleans always have a default; a string option may have none (def
 * NULL): its member stays NULL until a source sets it, and `required`
 * makes conf_check() refuse that.
 *
 * Errors: EBADMSG for a refused file or value, with a reason of the form
 * "NAME:LINE: option 'x': what is wrong" (NAME is the name the caller
 * gave): unknown (with "did you mean 'y'?" when an option is within edit
 * distance CONF_SUGGEST_DIST), set twice (and the line it was first set
 * on), value missing, a bad value (the reason names the type and bounds),
 * quoting errors, a line too long, control characters or bad UTF-8.
 * EMSGSIZE for a file over CONF_FILE_MAX; the errno of open/read for a
 * file that cannot be read, with a reason naming it; ENOTSUP from
 * conf_reload_check(); ENOMEM; EINVAL for a programming error, including
 * an invalid table. On any error the config struct is left as it was:
 * sources load into a scratch copy that replaces the values only once
 * everything was accepted.
 *
 * Sample files (etc/): conf_sample_check() wants each option exactly once
 * with its default, either set (`name value`) or commented out
 * (`# name value`). A comment counts as an option only when its first
 * word is an option name and the rest a valid value for it; otherwise it
 * is prose. An option without a default may show any value, or `# name`.
 * conf_print() of the defaults is a valid sample.
 */
#ifndef MCX_CONF_H
#define MCX_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct re_printf;
struct mcx_diag;

enum {
	CONF_FILE_MAX  = 1 << 20,	/**< File size, octets            */
	CONF_LINE_MAX  = 4096,		/**< Line, octets, without its end */
	CONF_VALUE_MAX = 1024,		/**< Value after unquoting, octets */
	CONF_NAME_MAX  = 64,		/**< Option name, characters      */
	CONF_SUGGEST_DIST = 2,		/**< "Did you mean": edit distance */
};

/** What an option holds; see the file comment for syntax and members */
enum conf_type {
	CONF_STR,
	CONF_INT,
	CONF_BOOL,
	CONF_PORT,
	CONF_IP,
	CONF_DOMAIN,
	CONF_URI,
	CONF_PATH,
	CONF_SECONDS,
	CONF_ENUM,
};

/** One row of a configuration table */
struct conf_opt {
	const char *name;	/**< [a-z0-9_]+, unique in its table       */
	enum conf_type type;	/**< Syntax and member type                 */
	const char *def;	/**< Default, as conf_set() takes it; NULL:
				     none (strings only)                   */
	int64_t min, max;	/**< Bounds (integers), length (strings)   */
	const char *const *values; /**< CONF_ENUM: NULL-terminated list    */
	bool reload;		/**< May change while the program runs     */
	bool required;		/**< No default, and must be set           */
	const char *doc;	/**< Printed as '# ' lines; '\n' separates */
	size_t off;		/**< offsetof() the member in the struct   */
};

/** A program's options */
struct conf_table {
	const struct conf_opt *opts;	/**< Rows                         */
	size_t n;			/**< Number of rows               */
};

/** A config struct with its table: the one argument "%H" passes on,
 *  for conf_ref_print() */
struct conf_ref {
	const void *cfg;		/**< The program's config struct  */
	const struct conf_table *t;	/**< Its table                    */
};

int  conf_defaults(void *cfg, const struct conf_table *t,
		   struct mcx_diag *diag);
int  conf_load_buf(void *cfg, const struct conf_table *t, const char *name,
		   const char *buf, size_t len, struct mcx_diag *diag);
int  conf_load_file(void *cfg, const struct conf_table *t, const char *path,
		    struct mcx_diag *diag);
int  conf_set(void *cfg, const struct conf_table *t, const char *name,
	      const char *value, struct mcx_diag *diag);
int  conf_check(const void *cfg, const struct conf_table *t,
		struct mcx_diag *diag);
int  conf_print(struct re_printf *pf, const void *cfg,
		const struct conf_table *t);
int  conf_ref_print(struct re_printf *pf, const struct conf_ref *r);
void conf_reset(void *cfg, const struct conf_table *t);
const struct conf_opt *conf_find(const struct conf_table *t,
				 const char *name);
bool conf_equal(const void *a, const void *b, const struct conf_table *t);
int  conf_reload_check(const void *cur, const void *next,
		       const struct conf_table *t, struct mcx_diag *diag);
int  conf_sample_check(const struct conf_table *t, const char *name,
		       const char *buf, size_t len, struct mcx_diag *diag);

#endif
