/**
 * @file mcx/pocset.h  poc-settings bodies (RFC 4354 6, 3GPP extension)
 *
 * The MCPTT client publishes its service settings in an
 * application/poc-settings+xml body of a PUBLISH with Event: poc-settings
 * (TS 24.379 7.3.3 with service authorisation, 7.3.4 settings only):
 *
 *   <poc-settings xmlns="urn:oma:params:xml:ns:poc:poc-settings"
 *                 xmlns:mcs10Set="urn:3gpp:mcsSettings:1.0">
 *     <entity id="urn:uuid:...">
 *       <am-settings><answer-mode>manual</answer-mode></am-settings>
 *       <mcs10Set:selected-user-profile-index>
 *         <mcs10Set:user-profile-index>3</mcs10Set:user-profile-index>
 *       </mcs10Set:selected-user-profile-index>
 *       <mcs10Set:multiplex-support>true</mcs10Set:multiplex-support>
 *     </entity>
 *   </poc-settings>
 *
 * Decoding keeps answer mode and the two 3GPP elements of each entity; the
 * other OMA settings (isb-, ipab-, sss-settings) and unknown elements are
 * ignored. Encoding declares the 3GPP namespace, with the customary prefix
 * mcs10Set, on the root only when some entity uses one of its elements, so
 * a plain answer-mode PUBLISH carries no unused declaration.
 */
#ifndef MCX_POCSET_H
#define MCX_POCSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>
#include <mcx/info.h>

struct mcx_diag;

#define MCX_POCSET_MIME "application/poc-settings+xml"
#define MCX_POCSET_NS   "urn:oma:params:xml:ns:poc:poc-settings"
#define MCX_POCSET_MCS_NS "urn:3gpp:mcsSettings:1.0"  /**< 3GPP extension */

enum {
	POCSET_MAX_ENTITIES = 8,	/**< <entity> elements per document  */
	POCSET_ID_MAX       = 256,	/**< An entity id, bytes             */
	POCSET_MAX_SIZE     = 16384,	/**< Largest document, bytes         */
};

/** <answer-mode> (RFC 4354 6.1) */
enum pocset_am {
	POCSET_AM_NONE = 0,	/**< No <am-settings>  */
	POCSET_AM_AUTOMATIC,	/**< "automatic"       */
	POCSET_AM_MANUAL,	/**< "manual"          */
};

/** One <entity> */
struct pocset_entity {
	struct le le;		      /**< Member of pocset.entities          */
	char *id;		      /**< id attribute (the MCPTT client ID) */
	enum pocset_am answer_mode;   /**< <am-settings><answer-mode>         */
	bool has_profile_index;	      /**< <selected-user-profile-index> set  */
	uint8_t profile_index;	      /**< its <user-profile-index>           */
	enum mcx_bool multiplex;      /**< <multiplex-support>                */
};

/** A poc-settings document */
struct pocset {
	struct list entities;	/**< struct pocset_entity, in order       */
};

int  pocset_alloc(struct pocset **psp);
int  pocset_entity_add(struct pocset *ps, const char *id,
		       struct pocset_entity **ep);
int  pocset_decode(struct pocset **psp, const uint8_t *buf, size_t len,
		   struct mcx_diag *diag);
int  pocset_encode(struct mbuf *mb, const struct pocset *ps);
int  pocset_print(struct re_printf *pf, const struct pocset *ps);
const struct pocset_entity *pocset_first(const struct pocset *ps);
const char *pocset_am_name(enum pocset_am am);

#endif
