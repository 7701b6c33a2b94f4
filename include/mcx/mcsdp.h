/**
 * @file mcx/mcsdp.h  SDP of MC sessions (RFC 4566, TS 24.379 6.2.1,
 *                    TS 24.380 12 and 14)
 *
 * What an MCPTT private call offers and answers: one audio stream
 * (RTP/AVP; G.711 PCMU here) with its RTCP port (RFC 3605 a=rtcp), and,
 * for a call with floor control, one media-plane control stream:
 *
 *   m=application <port> udp MCPTT
 *   a=fmtp:MCPTT mc_queueing;mc_priority=<1..255>;mc_implicit_request;
 *               mc_granted
 *
 * A call without floor control has no such m-line (TS 24.379 11.1.2).
 * The decoder reads any SDP: it takes the first audio m-line and the first
 * application m-line with format MCPTT, ignores other streams, attributes
 * and unknown fmtp parameters, and refuses what it cannot use (no audio,
 * no address, bad port, an MCPTT fmtp it cannot read). A port of 0 means
 * the stream was refused.
 */
#ifndef MCX_MCSDP_H
#define MCX_MCSDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <re.h>

struct mcx_diag;

enum {
	MCSDP_MAX_SIZE = 8192,		/**< largest SDP body, octets */
	MCSDP_MAX_LINE = 1024,		/**< longest line             */
	MCSDP_PT_PCMU = 0,		/**< RTP payload type, G.711 mu-law */
};

/** The floor-control stream's parameters (TS 24.380 12.1.2.2) */
struct mcsdp_floor {
	bool present;		/**< the m-line is there (call with floor
				     control)                             */
	struct sa addr;		/**< where MBCP goes (port 0: refused)    */
	bool queueing;		/**< mc_queueing                          */
	bool implicit_request;	/**< mc_implicit_request                  */
	bool granted;		/**< mc_granted                           */
	uint8_t priority;	/**< mc_priority, 0 when absent           */
};

/** An MC session description, as sent or as read */
struct mcsdp {
	uint64_t sess_id;	/**< o= session id and version            */
	uint64_t sess_ver;
	struct sa audio;	/**< RTP address and port (0: refused)    */
	struct sa rtcp;		/**< RTCP address and port                */
	int audio_pt;		/**< payload type used: PCMU if offered,
				     else the first one; -1 if none        */
	bool pcmu;		/**< PCMU is among the offered formats    */
	struct mcsdp_floor floor;
};

int mcsdp_decode(struct mcsdp *s, const uint8_t *buf, size_t len,
		 struct mcx_diag *diag);
int mcsdp_encode(struct mbuf *mb, const struct mcsdp *s);
int mcsdp_print(struct re_printf *pf, const struct mcsdp *s);

#endif
