/**
 * @file mcx/mcsip.h  MC services over libre's SIP: identifiers, headers,
 *                    digest authentication, bodies
 *
 * The thin layer the SIP core, the MC servers and the client share, so
 * that a later libre is one folder's work (design.md section 7):
 *
 *  - ICSIs and media feature tags (TS 24.379 Annex D/E, 24.281, 24.282)
 *    and the headers that carry them (Accept-Contact, P-Preferred-Service)
 *  - the Warning header of TS 24.379 4.4: 399 host "NNN text"
 *  - stateless digest authentication (RFC 7616 MD5, qop=auth): the nonce
 *    carries its issue time and an HMAC, so any request can be checked
 *    without per-client state; HA1 comes from the store
 *  - bodies: a SIP message's body as a struct multipart, whether it was
 *    multipart/mixed or a single body
 */
#ifndef MCX_MCSIP_H
#define MCX_MCSIP_H

#include <stdbool.h>
#include <stdint.h>
#include <re.h>

struct mcx_diag;
struct multipart;

#define MCSIP_ICSI_MCPTT   "urn:urn-7:3gpp-service.ims.icsi.mcptt"
#define MCSIP_ICSI_MCVIDEO "urn:urn-7:3gpp-service.ims.icsi.mcvideo"
#define MCSIP_ICSI_MCDATA  "urn:urn-7:3gpp-service.ims.icsi.mcdata"
#define MCSIP_TAG_MCPTT    "+g.3gpp.mcptt"
/** The ICSI inside a feature tag, percent-encoded (TS 24.229 7.2A.8) */
#define MCSIP_TAG_ICSI_MCPTT \
	"+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mcptt\""

/** Warning codes of TS 24.379 table 4.4.2-2 that we send */
enum mcsip_warn {
	MCSIP_W_NOT_ALLOWED = 100,	/* function not allowed due to ... */
	MCSIP_W_AUTH_FAILED = 101,	/* service authorisation failed     */
	MCSIP_W_ISFOCUS = 104,		/* isfocus not assigned             */
	MCSIP_W_NO_PRIVATE_CALLS = 107,	/* not authorised for private calls */
	MCSIP_W_DECLINED = 110,		/* user declined the call invitation */
	MCSIP_W_NOT_TO_THIS_USER = 144,	/* not authorised to call this user */
	MCSIP_W_NO_CALLED_PARTY = 145,	/* unable to determine called party */
	MCSIP_W_NO_SETTINGS = 146,	/* T-PF unable to determine the service
					   settings for the called user      */
	MCSIP_W_UNKNOWN_USER = 141,	/* user unknown to the participating
					   function                          */
	MCSIP_W_BAD_BODY = 399,		/* ours: what in the request is wrong */
};

int  mcsip_warning(char *buf, size_t sz, const char *host, unsigned code,
		   const char *text);
bool mcsip_is_service(const struct sip_msg *msg, const char *icsi);
int  mcsip_body(struct multipart **mpp, const struct sip_msg *msg,
		size_t maxsize, struct mcx_diag *diag);
int  mcsip_hdr_param(const struct sip_msg *msg, enum sip_hdrid id,
		     const char *name, struct pl *val);

/* ---- digest authentication, server side ---- */

enum {
	MCSIP_NONCE_LIFETIME = 300,	/**< seconds a nonce is accepted */
	MCSIP_SECRET_LEN = 32,
};

/** The server's digest state: its realm and a secret for its nonces */
struct mcsip_auth {
	char realm[128];
	uint8_t secret[MCSIP_SECRET_LEN];
	uint32_t lifetime;		/**< seconds; 0: the default */
};

/** Look up the HA1 (16 octets) of a user; 0, ENOENT or another error */
typedef int (mcsip_ha1_h)(const struct pl *username, uint8_t ha1[16],
			  void *arg);

int mcsip_auth_init(struct mcsip_auth *a, const char *realm,
		    const uint8_t *secret, size_t secret_len);
int mcsip_auth_challenge(char *buf, size_t sz, const struct mcsip_auth *a,
			 uint64_t now, bool stale);
int mcsip_auth_check(const struct mcsip_auth *a, const struct sip_msg *msg,
		     bool proxy, uint64_t now, mcsip_ha1_h *ha1h, void *arg,
		     struct pl *username, struct mcx_diag *diag);

#endif
