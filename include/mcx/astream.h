/**
 * @file mcx/astream.h  The client's audio RTP stream (one per call)
 *
 * G.711 mu-law (RTP payload type 0, 8000 Hz, RFC 3551 4.5.14), 20 ms and
 * 160 octets per packet, over RTP/RTCP (RFC 3550) on UDP, with libre's
 * rtp_sock underneath. One stream sends what a struct audio_src yields
 * while the user talks (astream_send()), receives the other party's talk
 * bursts, counts both ways, and can write what it receives to a WAV file.
 *
 * Ports: RTP on an even port of [port_min, port_max], RTCP on the next
 * one, both inside the range (RFC 3550 11). libre picks the pair at
 * random, 64 tries, and returns the last bind error (EADDRINUSE when the
 * range is full). port_min 0 means [ASTREAM_PORT_ANY_MIN,
 * ASTREAM_PORT_ANY_MAX], below Linux's ephemeral ports.
 *
 * Sending: packet k of a burst leaves at start + k * 20 ms on the
 * monotonic clock, whatever the timer's lateness, so the pace does not
 * drift. When the loop was held up more than ASTREAM_MAX_LAG_MS, the
 * missed packets are skipped (timestamp advanced, sequence number not)
 * rather than sent in a heap. The RTP timestamp follows the clock across
 * bursts; the first packet of a burst has the marker bit (RFC 3551 4.1).
 * A WAV source that ends (not looping) ends the burst: astream_sending()
 * turns false.
 *
 * Receiving: payload type 0 only; other types, packets behind the one
 * expected (late or duplicate), empty or badly padded ones are counted in
 * rx_ignored and dropped. Packets are accepted from any address. A talk
 * burst starts on the first packet, on a new SSRC, or after
 * ASTREAM_BURST_GAP_MS without packets.
 *
 * RTCP: libre sends SR + SDES every 5 s once astream_set_remote() has
 * been called, and RTCP BYE when the stream is destroyed. libre's first
 * report would come 5 s after the start; astream_set_remote() sends an RR
 * + SDES at once, so that the server sees the leg alive from the start.
 *
 * Callback contract: the burst handler runs on the libre loop from the
 * receive path; it may call any astream function, including releasing
 * the stream (a reference is held for the duration of the call).
 */
#ifndef MCX_ASTREAM_H
#define MCX_ASTREAM_H

#include <stdbool.h>
#include <stdint.h>

struct sa;
struct audio_src;
struct mcx_diag;

enum {
	ASTREAM_BURST_GAP_MS = 200,	/**< Silence that ends a talk burst */
	ASTREAM_PORT_ANY_MIN = 16384,	/**< Range for port_min 0           */
	ASTREAM_PORT_ANY_MAX = 32767,
	ASTREAM_MAX_LAG_MS = 100,	/**< Later than this: skip packets  */
	ASTREAM_FILL_MAX = 50,		/**< Lost packets filled, at most   */
	ASTREAM_CNAME_MAX = 255,	/**< SDES item length (RFC 3550 6.5) */
};

struct astream;

/** Counters; bytes are RTP payload octets */
struct astream_stats {
	uint64_t tx_packets, tx_bytes;
	uint64_t rx_packets, rx_bytes;	/**< Accepted PCMU packets      */
	uint64_t rx_lost;	/**< From RTP sequence gaps              */
	uint64_t rx_bursts;	/**< Talk bursts seen                    */
	uint64_t first_rx_us;	/**< Wall clock (CLOCK_REALTIME), us     */
	uint64_t last_rx_us;
	uint32_t rx_ssrc;	/**< Of the last accepted packet         */
	uint32_t tx_ssrc;
	uint64_t rtcp_tx;	/**< Compound RTCP packets (datagrams)
				     handed to the socket, ours and libre's */
	uint64_t rtcp_rx;	/**< ... received (V=2, PT 192..223)     */
	uint64_t rx_ignored;	/**< RTP dropped: see the file comment   */
	uint64_t tx_errors;	/**< RTP packets the socket refused      */
};

/**
 * The first packet of a talk burst arrived; st counts it
 * (st->rx_bursts is the burst's number, st->rx_ssrc its source)
 */
typedef void (astream_burst_h)(const struct astream_stats *st, void *arg);

int  astream_alloc(struct astream **sp, const struct sa *laddr,
		   uint16_t port_min, uint16_t port_max, const char *cname,
		   astream_burst_h *bursth, void *arg);
const struct sa *astream_rtp_local(const struct astream *s);
const struct sa *astream_rtcp_local(const struct astream *s);
int  astream_set_remote(struct astream *s, const struct sa *rtp,
			const struct sa *rtcp);
void astream_set_source(struct astream *s, struct audio_src *src);
int  astream_send(struct astream *s, bool on);
bool astream_sending(const struct astream *s);
int  astream_record(struct astream *s, const char *wav_path,
		    struct mcx_diag *diag);
void astream_stats(const struct astream *s, struct astream_stats *st);

#endif
