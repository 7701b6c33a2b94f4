/**
 * @file mcx/profile.h  MC service user profile documents (TS 24.484) with
 *                      our migration part
 *
 * One codec for the three documents, which share their shape:
 *
 *   <mcptt-user-profile XUI-URI=".." user-profile-index="N">   8.3
 *   <mcvideo-user-profile ...>                                 9.3
 *   <mcdata-user-profile ...>                                  10.3
 *     Name, ProfileName, Pre-selected-indication, Status
 *     Common: <svc>UserID, MissionCriticalOrganization, ParticipantType,
 *             PrivateCall (list of users this user may call privately;
 *             emergency private call recipient)
 *     OnNetwork: ... <anyExt>: our <migration> part
 *     cp:ruleset/cp:rule/cp:actions: allow-* permissions
 *
 * The migration part (namespace urn:mcx:ns:migration:1.0; 3GPP has no
 * element names for it in any text we found) lists the partner MC systems
 * the user may migrate to, with the connectivity information of each
 * (TS 23.280 10.1.6.1) and the index of the profile to use there
 * (10.1.4.1), and says whether this profile may be used in the primary
 * system. docs/wire.md has an example and the evidence for every name.
 *
 * Permissions: an allow-* action counts when some rule sets it to true;
 * an absent one is not allowed. Rule conditions are not evaluated (our
 * profiles have none); docs/wire.md says so.
 */
#ifndef MCX_PROFILE_H
#define MCX_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>
#include <mcx/info.h>

struct mcx_diag;

#define MCX_PROFILE_MCPTT_NS   "urn:3gpp:mcptt:user-profile:1.0"
#define MCX_PROFILE_MCVIDEO_NS "urn:3gpp:ns:mcvideo:user-profile:1.0"
#define MCX_PROFILE_MCDATA_NS  "urn:3gpp:ns:mcdata:user-profile:1.0"
#define MCX_COMMON_POLICY_NS   "urn:ietf:params:xml:ns:common-policy"

enum {
	PROFILE_MAX_SIZE = 65536,	/**< Largest document, octets     */
	PROFILE_MAX_LIST = 256,		/**< Private call list entries    */
	PROFILE_MAX_PARTNERS = 16,	/**< Partner systems              */
};

/**
 * Permissions from the ruleset (bits of struct profile .allow); each is
 * the action element allow-<name>, e.g. PA_PRIVATE_CALL_TO_ANY is
 * <allow-private-call-to-any-user>. profile_allow_name() gives the name.
 */
enum profile_allow {
	PA_PRIVATE_CALL = 0,		/* private-call                   */
	PA_AUTO_COMMENCEMENT,		/* automatic-commencement         */
	PA_MANUAL_COMMENCEMENT,		/* manual-commencement            */
	PA_FORCE_AUTO_ANSWER,		/* force-auto-answer              */
	PA_FAILURE_RESTRICTION,		/* failure-restriction            */
	PA_EMERGENCY_PRIVATE_CALL,	/* emergency-private-call         */
	PA_CANCEL_PRIVATE_EMERGENCY,	/* cancel-private-emergency-call  */
	PA_PRIVATE_CALL_TO_ANY,		/* private-call-to-any-user       */
	PA_PRIVATE_CALL_PARTICIPATION,	/* private-call-participation     */
	PA_MEDIA_PROTECTION,		/* private-call-media-protection  */
	PA_FLOOR_CONTROL_PROTECTION,	/* private-call-floor-control-... */
	PA_QUERY_AVAILABILITY,		/* query-availability-for-...     */
	PA_REQUEST_CALL_BACK,		/* request-private-call-call-back */
	PA_CANCEL_CALL_BACK,		/* cancel-private-call-call-back  */
	PA_REMOTE_INIT_PRIVATE_CALL,	/* request-remote-init-private-call */
	PA_FIRST_TO_ANSWER,		/* request-first-to-answer-call   */
	PA_RECEIVE_FROM_ANY,		/* to-receive-private-call-... */
	PA_COUNT
};

/** A user in the private call list */
struct profile_user {
	struct le le;
	char *uri;		/**< MC service ID                       */
	char *display_name;	/**< Optional                            */
};

/** One partner MC system the user may migrate to (ours) */
struct profile_partner {
	struct le le;
	char *system;		/**< Its MC system id: its domain        */
	uint8_t profile_index;	/**< Profile to use there                */
	char *sip_core;		/**< SIP URI of its SIP core             */
	char *idms_token_ep;	/**< Its IdMS token endpoint (URL)       */
	char *idms_audience;	/**< "aud" of a security token for it    */
	char *cms_root;		/**< Its CMS XCAP root URI               */
	char *impu;		/**< Partner SIP identity: IMPU (or NULL) */
	char *impi;		/**< Partner SIP identity: IMPI (or NULL) */
};

/** A user profile document */
struct profile {
	enum mcx_svc svc;
	char *xui_uri;		/**< XUI-URI attribute (required)        */
	uint8_t index;		/**< user-profile-index (required)       */
	char *name;		/**< <Name>                              */
	char *profile_name;	/**< <ProfileName>                       */
	bool preselected;	/**< <Pre-selected-indication/>          */
	enum mcx_bool status;	/**< <Status> enabled/disabled           */
	char *user_id;		/**< Common/<svc>UserID/uri-entry        */
	char *user_display;	/**< Common/<svc>UserID/display-name     */
	char *mc_org;		/**< Common/MissionCriticalOrganization  */
	char *participant_type;	/**< Common/ParticipantType              */
	struct list private_calls; /**< struct profile_user              */
	char *emergency_recipient; /**< Private emergency call recipient */
	uint32_t allow;		/**< 1 << enum profile_allow             */

	/* our migration part (OnNetwork/anyExt/migration) */
	bool has_migration;	/**< The part is present                 */
	bool use_in_primary;	/**< May be used in the primary system   */
	struct list partners;	/**< struct profile_partner              */
};

int  profile_alloc(struct profile **pp, enum mcx_svc svc,
		   const char *xui_uri, uint8_t index, const char *user_id);
int  profile_decode(struct profile **pp, enum mcx_svc svc,
		    const uint8_t *buf, size_t len, struct mcx_diag *diag);
int  profile_encode(struct mbuf *mb, const struct profile *p);
int  profile_print(struct re_printf *pf, const struct profile *p);
int  profile_user_add(struct profile *p, const char *uri,
		      const char *display_name);
int  profile_partner_add(struct profile *p, const struct profile_partner *in);
const struct profile_partner *profile_partner_find(const struct profile *p,
						   const char *system);
bool profile_allows(const struct profile *p, enum profile_allow a);
bool profile_may_call(const struct profile *p, const char *uri);
const char *profile_allow_name(enum profile_allow a);
const char *profile_ns(enum mcx_svc svc);
const char *profile_mime(enum mcx_svc svc);
const char *profile_auid(enum mcx_svc svc);

#endif
