/**
 * @file mcx/floor.h  Types shared by the RTCP APP control protocols:
 *                    MBCP (TS 24.380) and MCVideo transmission control
 *                    (TS 24.581)
 *
 * Both send one RTCP APP packet per message (PT 204, not compound, P = 0),
 * with a 5-bit subtype whose bit 0x10 asks for an acknowledgement, and a
 * body of fields: ID (1 octet), length (1 octet; 2 when ID >= 192), value,
 * zero padding to 32 bits. The length counts the value only (Track Info:
 * including its internal padding). docs/wire.md has the details and the
 * evidence for each.
 *
 * A decoded message is a plain value: fixed-size members, no allocation.
 * hdr.present has bit (1 << field ID) set for each field present.
 */
#ifndef MCX_FLOOR_H
#define MCX_FLOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	FC_HDR_LEN       = 12,	/**< V/P/subtype, PT, length, SSRC, name */
	FC_TEXT_MAX      = 255,	/**< Longest text field value, octets    */
	FC_TRACK_MAX_REFS = 63,	/**< Floor participant references        */
	FC_ACK_BIT       = 0x10,/**< Subtype bit: acknowledgement required */
	FC_RTCP_APP      = 204,	/**< RTCP packet type APP                */
};

/** Fields common to every message */
struct fc_hdr {
	uint8_t set;		/**< Which APP name (protocol-specific)   */
	uint8_t type;		/**< Message type: subtype without ACK bit */
	bool ack_req;		/**< Subtype bit 0x10                     */
	uint32_t ssrc;		/**< Sender's SSRC                        */
	uint32_t present;	/**< 1 << field ID per field present      */
	unsigned unknown;	/**< Fields of unknown ID skipped         */
};

/** Reject Cause (ID 2): cause code and optional UTF-8 phrase */
struct fc_cause {
	uint16_t cause;
	char phrase[FC_TEXT_MAX + 1];	/**< "" when absent */
};

/** Queue Info (ID 3) */
struct fc_queue {
	uint8_t position;	/**< 254 not queued, 255 unknown/withheld */
	uint8_t priority;	/**< Queue priority level                 */
};

/** Track Info (ID 11) */
struct fc_track {
	uint8_t queueing;	/**< Queueing capability: 0 no, 1 yes     */
	uint8_t ptype_len;	/**< Participant type length              */
	uint8_t ptype[FC_TEXT_MAX]; /**< Participant type (octets)        */
	uint8_t nrefs;		/**< Floor participant references         */
	uint32_t refs[FC_TRACK_MAX_REFS];
};

/** A field kept as its value octets (lists, Location), structure checked */
struct fc_raw {
	uint8_t len;
	uint8_t v[FC_TEXT_MAX];
};

/** Location types (TS 24.380 8.2.3.20) */
enum fc_loc_type {
	FC_LOC_NONE = 0, FC_LOC_ECGI, FC_LOC_TAI, FC_LOC_PLMN,
	FC_LOC_MBMS_SA, FC_LOC_MBSFN, FC_LOC_GEO,
};

int fc_peek(const uint8_t *buf, size_t len, char name[5], uint8_t *subtype);

#endif
