/**
 * @file mcx/migration.h  Our migration documents (namespace MCX_MIGR_NS)
 *
 * 3GPP stage 3 has no encoding for a release "due to migration", for the
 * notice to the serving server, or for linking the re-initiated
 * communication to the released one (docs/wire.md, docs/decisions.md).
 * These are ours, in namespace urn:mcx:ns:migration:1.0, placed where
 * schema-valid peers ignore them:
 *
 *   <migration-notice>   root of application/vnd.mcx.migration+xml, the body
 *                        of the SIP MESSAGE that tells the participating
 *                        server an interruption is coming (seed step 2)
 *   <migration-release>  inside the <anyExt> of the release's info body
 *                        (seed step 3), next to RFC 3326 Reason
 *   <continuation>       inside the <anyExt> of the re-initiating request's
 *                        info body (seed step 6)
 */
#ifndef MCX_MIGRATION_H
#define MCX_MIGRATION_H

#include <stddef.h>
#include <stdint.h>

struct mbuf;
struct re_printf;
struct mcx_diag;

#define MCX_MIGR_NS   "urn:mcx:ns:migration:1.0"
#define MCX_MIGR_MIME "application/vnd.mcx.migration+xml"
/** RFC 3326 Reason header value sent beside <migration-release> */
#define MCX_MIGR_REASON "SIP;cause=200;text=\"release due to migration\""

enum {
	MCX_MIGR_ID_MAX   = 64,		/**< Continuation id, characters  */
	MCX_MIGR_URI_MAX  = 512,	/**< An MC service ID             */
	MCX_MIGR_HOLD_MAX = 3600,	/**< Hold time, seconds           */
};

/** MC services a migration concerns (bit mask) */
enum mcx_svc_bit {
	MCX_SVC_BIT_MCPTT   = 1 << 0,
	MCX_SVC_BIT_MCVIDEO = 1 << 1,
	MCX_SVC_BIT_MCDATA  = 1 << 2,
};

/** <migration-release continuation=".." target-system=".."/> */
struct migr_release {
	char *continuation;	/**< Id the new communication will carry */
	char *target_system;	/**< Domain of the MC system moved to    */
};

/** <continuation id=".." primary-id=".."/> */
struct migr_cont {
	char *id;		/**< Continuation id of the release      */
	char *primary_id;	/**< MC service ID in the primary system */
};

/** <migration-notice> */
struct migr_notice {
	char *target_system;	/**< Domain of the MC system moving to   */
	unsigned services;	/**< enum mcx_svc_bit, at least one      */
	uint32_t hold_time;	/**< Seconds to hold state, 1..HOLD_MAX  */
};

int migr_release_alloc(struct migr_release **rp, const char *continuation,
		       const char *target_system);
int migr_release_print(struct re_printf *pf, const struct migr_release *r);
int migr_cont_alloc(struct migr_cont **cp, const char *id,
		    const char *primary_id);
int migr_cont_print(struct re_printf *pf, const struct migr_cont *c);

int migr_notice_alloc(struct migr_notice **np, const char *target_system,
		      unsigned services, uint32_t hold_time);
int migr_notice_decode(struct migr_notice **np, const uint8_t *buf,
		       size_t len, struct mcx_diag *diag);
int migr_notice_encode(struct mbuf *mb, const struct migr_notice *n);
int migr_notice_print(struct re_printf *pf, const struct migr_notice *n);

#endif
