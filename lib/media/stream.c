/**
 * @file stream.c  The client's audio RTP stream: PCMU over RTP/RTCP
 *
 * RFC 3550 (RTP/RTCP), RFC 3551 4.5.14 (PCMU: payload type 0, 8000 Hz),
 * over libre's rtp_sock. What libre 1.1.0 does and does not do, read in
 * its src/rtp/ and src/udp/, and what this file does about it:
 *
 *  - Ports (rtp.c udp_range_listen): RTP on min + rand % (max - min),
 *    rounded down to even, RTCP on the next port, 64 random tries. The
 *    upper bound is exclusive, an odd min can round below the range, and
 *    min 0 binds RTP to an ephemeral port while rtp_local() says 0 and
 *    RTCP goes to port 1. So we turn [port_min, port_max] into the even
 *    bounds libre needs, and map port_min 0 to a range of our own.
 *  - Sequence number and SSRC are random (rtp_alloc()); the timestamp is
 *    the caller's: we draw its origin with rand_u32().
 *  - RTCP (sess.c): rtcp_start() arms a fixed 5000 ms timer, neither
 *    randomised nor halved for the first report (RFC 3550 6.2, 6.3.5),
 *    with no API to change it; each report is an SR (even from a member
 *    that has never sent) + SDES CNAME; the session's destructor sends a
 *    BYE + SDES. libre counts nothing we could read, so a UDP helper on
 *    the RTCP socket counts what goes out and what comes in. The helper
 *    is in the socket's list and freed by the socket's destructor too
 *    (list_flush()): it must be released before the rtp_sock.
 *  - Padding (RFC 3550 5.1) is left in the payload by rtp_decode(): we
 *    strip it.
 *  - tmr_jiffies() is gettimeofday() in 1.1.0, not a monotonic clock:
 *    the sender reads CLOCK_MONOTONIC for its schedule and uses libre's
 *    timers only to wake up, at millisecond resolution. A wall clock
 *    stepped back while a timer runs still delays that timer (every
 *    libre timer shares this).
 *
 * The sender's state machine:
 *
 *       astream_send(on)            source ended, or removed
 *   TX_IDLE ---------> TX_TALKING ----------------------------> TX_IDLE
 *      ^                    |
 *      +--------------------+  astream_send(off)
 *
 *   TX_TALKING: a remote is set, s->tmr runs (between ticks), tx_due is
 *   the next packet's time and tx_ts its timestamp.
 */
#include <assert.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <re.h>
#include <mcx/astream.h>
#include <mcx/audio.h>
#include <mcx/diag.h>

enum {
	PTIME_US = AUDIO_PTIME * 1000,
	MAX_LAG_US = ASTREAM_MAX_LAG_MS * 1000,
	BURST_GAP_US = ASTREAM_BURST_GAP_MS * 1000,
	MAX_DROPOUT = 3000,	/* RFC 3550 A.1: a larger jump: restart  */
	MAX_MISORDER = 100,	/* ... a packet this far behind: late    */
	RTCP_PT_MIN = 192,	/* RFC 5761 4: RTCP packet types         */
	RTCP_PT_MAX = 223,
	RTCP_LAYER = 0,		/* our helper is alone on the socket     */
};

enum tx_state {
	TX_IDLE,
	TX_TALKING,
};

struct astream {
	struct rtp_sock *rtp;
	struct udp_helper *rtcp_uh;	/* counts RTCP both ways          */
	struct sa rtcp_local;
	struct sa rtp_remote;		/* unset until astream_set_remote */
	struct sa rtcp_remote;
	char *cname;
	astream_burst_h *bursth;
	void *arg;
	struct astream_stats st;

	/* sender */
	enum tx_state txs;
	struct audio_src *src;
	struct tmr tmr;
	struct mbuf *txmb;		/* reused for every packet        */
	uint64_t epoch_us;		/* monotonic time of ts0          */
	uint32_t ts0;			/* random timestamp origin        */
	uint64_t tx_due;		/* next packet, monotonic us      */
	uint32_t tx_ts;			/* its RTP timestamp              */
	bool tx_marker;			/* it starts a burst              */

	/* receiver */
	bool rx_seen;			/* a packet was accepted          */
	uint16_t rx_seq_next;		/* expected sequence number       */
	uint64_t rx_last_mono;		/* arrival of the last, us        */
	struct wav_writer *rec;
	int rec_err;			/* first recording error; sticks  */
};


static uint64_t clock_us(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts))
		return 0;

	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}


#ifndef NDEBUG	/* asserted only */
static bool tx_invariant(const struct astream *s)
{
	if (s->txs == TX_IDLE)
		return true;

	return sa_isset(&s->rtp_remote, SA_ALL) && s->src;
}
#endif


static void destructor(void *arg)
{
	struct astream *s = arg;

	tmr_cancel(&s->tmr);
	s->rtcp_uh = mem_deref(s->rtcp_uh);	/* before the socket */
	mem_deref(s->rtp);
	mem_deref(s->rec);
	mem_deref(s->src);
	mem_deref(s->txmb);
	mem_deref(s->cname);
}


/* ---- RTCP: counting, and the first report ---- */

static bool rtcp_sent(int *err, struct sa *dst, struct mbuf *mb, void *arg)
{
	struct astream *s = arg;
	(void)err;
	(void)dst;
	(void)mb;

	++s->st.rtcp_tx;

	return false;		/* libre sends it */
}


static bool rtcp_recv(struct sa *src, struct mbuf *mb, void *arg)
{
	struct astream *s = arg;
	const uint8_t *p = mbuf_buf(mb);
	(void)src;

	/* RFC 3550 6.4: version 2, then the packet type */
	if (mbuf_get_left(mb) >= 4 && p[0] >> 6 == RTCP_VERSION &&
	    p[1] >= RTCP_PT_MIN && p[1] <= RTCP_PT_MAX)
		++s->st.rtcp_rx;

	return false;		/* libre decodes it */
}


/* libre's private rtcp_encode_h, which rtcp_encode() takes as vararg */
typedef int (rtcp_part_h)(struct mbuf *mb, void *arg);

static int sdes_encode(struct mbuf *mb, void *arg)
{
	struct astream *s = arg;

	return rtcp_sdes_encode(mb, rtp_sess_ssrc(s->rtp), 1,
				(int)RTCP_SDES_CNAME, s->cname);
}


/* RFC 3550 6.1: a compound packet: RR without report blocks, SDES CNAME */
static int first_report(struct mbuf **mbp, struct astream *s)
{
	struct mbuf *mb = mbuf_alloc(64 + strlen(s->cname));
	int err;

	if (!mb)
		return ENOMEM;

	err = rtcp_encode(mb, RTCP_RR, 0, rtp_sess_ssrc(s->rtp),
			  (rtcp_part_h *)NULL, (void *)NULL);
	if (err)
		goto out;

	err = rtcp_encode(mb, RTCP_SDES, 1, sdes_encode, (void *)s);
	if (err)
		goto out;

	mb->pos = 0;

 out:
	if (err)
		mem_deref(mb);
	else
		*mbp = mb;

	return err;
}


/* ---- Receiving ---- */

/* Write n samples of silence */
static int rec_silence(struct wav_writer *w, size_t n)
{
	static const int16_t zero[AUDIO_FRAME];

	while (n) {
		size_t k = n < AUDIO_FRAME ? n : AUDIO_FRAME;
		int err = wav_writer_write(w, zero, k);

		if (err)
			return err;
		n -= k;
	}

	return 0;
}


static int rec_pcmu(struct wav_writer *w, const uint8_t *p, size_t n)
{
	int16_t pcm[AUDIO_FRAME];

	while (n) {
		size_t k = n < AUDIO_FRAME ? n : AUDIO_FRAME;
		int err;

		g711_ulaw_dec_buf(pcm, p, k);
		err = wav_writer_write(w, pcm, k);
		if (err)
			return err;
		p += k;
		n -= k;
	}

	return 0;
}


/* The packet's samples, after silence for up to ASTREAM_FILL_MAX lost
 * packets of the same length; a write error stops the recording */
static void rec_write(struct astream *s, uint32_t lost, const uint8_t *p,
		      size_t n)
{
	int err = 0;

	if (!s->rec || s->rec_err)
		return;

	if (lost)
		err = rec_silence(s->rec, (lost < ASTREAM_FILL_MAX ? lost :
					   ASTREAM_FILL_MAX) * n);
	if (!err)
		err = rec_pcmu(s->rec, p, n);
	if (err)
		s->rec_err = err;
}


/*
 * Where a packet stands against the one expected (RFC 3550 A.1, without
 * probation): true to accept it, with *lost the packets skipped before
 * it; false for a late or duplicate packet. A jump beyond MAX_DROPOUT,
 * or back beyond MAX_MISORDER, is a restarted sender: accepted, nothing
 * counted lost.
 */
static bool rx_seq_check(const struct astream *s, uint16_t seq,
			 uint32_t *lost)
{
	uint16_t ahead = (uint16_t)(seq - s->rx_seq_next);
	uint16_t behind = (uint16_t)(s->rx_seq_next - seq);

	*lost = ahead < MAX_DROPOUT ? ahead : 0;

	return ahead < MAX_DROPOUT || behind > MAX_MISORDER;
}


static void rtp_recv(const struct sa *src, const struct rtp_header *hdr,
		     struct mbuf *mb, void *arg)
{
	struct astream *s = arg;
	struct astream_stats st;
	const uint8_t *p = mbuf_buf(mb);
	size_t n = mbuf_get_left(mb);
	uint64_t now = clock_us(CLOCK_MONOTONIC);
	uint32_t lost = 0;
	bool burst;
	(void)src;

	if (hdr->pt != AUDIO_PT_PCMU)
		goto ignore;

	/* RFC 3550 5.1: the last octet counts the padding, itself too */
	if (hdr->pad) {
		if (!n || !p[n - 1] || p[n - 1] > n)
			goto ignore;
		n -= p[n - 1];
	}
	if (!n)
		goto ignore;

	if (!s->rx_seen || hdr->ssrc != s->st.rx_ssrc) {
		burst = true;
	}
	else {
		if (!rx_seq_check(s, hdr->seq, &lost))
			goto ignore;
		burst = now - s->rx_last_mono >= BURST_GAP_US;
	}

	s->rx_seq_next = (uint16_t)(hdr->seq + 1);
	s->rx_last_mono = now;
	s->st.last_rx_us = clock_us(CLOCK_REALTIME);
	if (!s->rx_seen)
		s->st.first_rx_us = s->st.last_rx_us;
	s->rx_seen = true;
	s->st.rx_ssrc = hdr->ssrc;
	s->st.rx_packets += 1;
	s->st.rx_bytes += n;
	s->st.rx_lost += lost;
	if (burst)
		s->st.rx_bursts += 1;

	rec_write(s, lost, p, n);

	if (!burst || !s->bursth)
		return;

	/* the handler may release the stream: it lives until we return */
	st = s->st;
	mem_ref(s);
	s->bursth(&st, s->arg);
	mem_deref(s);
	return;

 ignore:
	++s->st.rx_ignored;
}


/* ---- Sending ---- */

static void tx_stop(struct astream *s)
{
	tmr_cancel(&s->tmr);
	s->txs = TX_IDLE;
}


/* One packet: 0, or ENODATA when the source has nothing more */
static int tx_packet(struct astream *s)
{
	uint8_t frame[AUDIO_FRAME];
	struct mbuf *mb = s->txmb;
	int err;

	err = audio_src_next(s->src, frame);
	if (err)
		return err;

	mb->pos = mb->end = RTP_HEADER_SIZE;
	err = mbuf_write_mem(mb, frame, sizeof(frame));
	if (err)
		return err;	/* cannot happen: txmb is large enough */
	mb->pos = RTP_HEADER_SIZE;

	err = rtp_send(s->rtp, &s->rtp_remote, false, s->tx_marker,
		       AUDIO_PT_PCMU, s->tx_ts, mb);
	if (err) {
		++s->st.tx_errors;	/* a lost packet; go on */
		return 0;
	}

	s->tx_marker = false;
	s->st.tx_packets += 1;
	s->st.tx_bytes += AUDIO_FRAME;

	return 0;
}


/*
 * Send every packet that is due, then sleep until the next one. Times
 * come from CLOCK_MONOTONIC, never from the timer's own delay, so
 * lateness does not accumulate.
 */
static void tx_tick(void *arg)
{
	struct astream *s = arg;
	uint64_t now = clock_us(CLOCK_MONOTONIC);

	assert(tx_invariant(s));

	if (!s->src) {
		tx_stop(s);
		return;
	}

	if (now > s->tx_due + MAX_LAG_US) {
		uint64_t skip = (now - s->tx_due) / PTIME_US;

		s->tx_due += skip * PTIME_US;
		s->tx_ts += (uint32_t)(skip * AUDIO_FRAME);
	}

	while (s->tx_due <= now) {
		if (tx_packet(s)) {
			tx_stop(s);	/* the source ended */
			return;
		}
		s->tx_due += PTIME_US;
		s->tx_ts += AUDIO_FRAME;
	}

	tmr_start(&s->tmr, (s->tx_due - now + 999) / 1000, tx_tick, s);
}


/* ---- The API ---- */

/* [port_min, port_max] as libre's [min, max): even pairs inside */
static int port_bounds(uint16_t *minp, uint16_t *maxp, uint16_t port_min,
		       uint16_t port_max)
{
	uint32_t lo = port_min, hi = port_max;

	if (!port_min) {
		lo = ASTREAM_PORT_ANY_MIN;
		hi = ASTREAM_PORT_ANY_MAX;
	}

	lo = (lo + 1) & ~1u;		/* first even port         */
	if (hi < 1 || lo > hi - 1)
		return EINVAL;		/* no pair fits            */
	hi = (hi - 1) & ~1u;		/* last even port with p+1 */

	*minp = (uint16_t)lo;
	*maxp = (uint16_t)(hi + 1);

	return 0;
}


/**
 * A stream bound to a pair of local ports, not sending
 *
 * @param sp       Where the stream goes
 * @param laddr    Local IP address (its port is ignored)
 * @param port_min Lowest port for RTP and RTCP; 0: any (see astream.h)
 * @param port_max Highest
 * @param cname    RTCP CNAME (RFC 3550 6.5.1), 1..255 octets
 * @param bursth   Called on each talk burst received, or NULL
 * @param arg      Its argument
 *
 * @return 0; EINVAL (bad arguments, a range without an even pair);
 *         EADDRINUSE or another bind error; ENOMEM
 */
int astream_alloc(struct astream **sp, const struct sa *laddr,
		  uint16_t port_min, uint16_t port_max, const char *cname,
		  astream_burst_h *bursth, void *arg)
{
	struct astream *s;
	uint16_t lo, hi;
	size_t clen;
	int err;

	if (!sp || !laddr || !sa_isset(laddr, SA_ADDR) || !cname ||
	    (port_min && port_max < port_min))
		return EINVAL;

	clen = strlen(cname);
	if (!clen || clen > ASTREAM_CNAME_MAX)
		return EINVAL;

	err = port_bounds(&lo, &hi, port_min, port_max);
	if (err)
		return err;

	s = mem_zalloc(sizeof(*s), destructor);
	if (!s)
		return ENOMEM;

	tmr_init(&s->tmr);
	sa_init(&s->rtp_remote, AF_UNSPEC);
	sa_init(&s->rtcp_remote, AF_UNSPEC);
	s->bursth = bursth;
	s->arg = arg;
	s->txs = TX_IDLE;

	err = str_dup(&s->cname, cname);
	if (err)
		goto out;

	s->txmb = mbuf_alloc(RTP_HEADER_SIZE + AUDIO_FRAME);
	if (!s->txmb) {
		err = ENOMEM;
		goto out;
	}

	err = rtp_listen(&s->rtp, IPPROTO_UDP, laddr, lo, hi, true,
			 rtp_recv, NULL, s);
	if (err)
		goto out;

	err = udp_local_get(rtcp_sock(s->rtp), &s->rtcp_local);
	if (err)
		goto out;

	err = udp_register_helper(&s->rtcp_uh, rtcp_sock(s->rtp),
				  RTCP_LAYER, rtcp_sent, rtcp_recv, s);
	if (err)
		goto out;

	/* for the report blocks' jitter and the SR's RTP timestamp */
	rtcp_set_srate(s->rtp, AUDIO_RATE, AUDIO_RATE);

	s->st.tx_ssrc = rtp_sess_ssrc(s->rtp);
	s->ts0 = rand_u32();
	s->tx_ts = s->ts0;
	s->epoch_us = clock_us(CLOCK_MONOTONIC);

 out:
	if (err)
		mem_deref(s);
	else
		*sp = s;

	return err;
}


/** The local RTP address (IP and port), or NULL */
const struct sa *astream_rtp_local(const struct astream *s)
{
	return s ? rtp_local(s->rtp) : NULL;
}


/** The local RTCP address, or NULL */
const struct sa *astream_rtcp_local(const struct astream *s)
{
	return s ? &s->rtcp_local : NULL;
}


/**
 * Where to send RTP and RTCP; starts RTCP (again, to a new address, if
 * the remote changes: a migrated call) and sends a first report at once.
 * That report, like libre's, may be refused by the socket without error.
 *
 * @param s    The stream
 * @param rtp  Remote RTP address
 * @param rtcp Remote RTCP address, or NULL for the RTP port + 1
 *
 * @return 0, EINVAL or ENOMEM (nothing changed)
 */
int astream_set_remote(struct astream *s, const struct sa *rtp,
		       const struct sa *rtcp)
{
	struct mbuf *mb = NULL;
	struct sa rtcp_remote;
	int err;

	if (!s || !rtp || !sa_isset(rtp, SA_ALL) ||
	    (rtcp && !sa_isset(rtcp, SA_ALL)))
		return EINVAL;

	if (rtcp) {
		rtcp_remote = *rtcp;
	}
	else {
		if (sa_port(rtp) == UINT16_MAX)
			return EINVAL;
		rtcp_remote = *rtp;
		sa_set_port(&rtcp_remote, (uint16_t)(sa_port(rtp) + 1));
	}

	err = first_report(&mb, s);
	if (err)
		return err;

	s->rtp_remote = *rtp;
	s->rtcp_remote = rtcp_remote;
	rtcp_start(s->rtp, s->cname, &s->rtcp_remote);

	(void)udp_send(rtcp_sock(s->rtp), &s->rtcp_remote, mb);
	mem_deref(mb);

	return 0;
}


/**
 * What to send: held with mem_ref() (the previous one released); NULL
 * removes it, which ends a burst being sent
 */
void astream_set_source(struct astream *s, struct audio_src *src)
{
	if (!s)
		return;

	mem_ref(src);		/* first: src may be the one held */
	mem_deref(s->src);
	s->src = src;
	if (!src && s->txs == TX_TALKING)
		tx_stop(s);
}


/**
 * Start or stop talking; starting sends the first packet at once
 *
 * @param s  The stream
 * @param on True to start a burst (nothing if one is running), false to
 *           stop it (nothing if none)
 *
 * @return 0; ENOTCONN: no remote yet; EINVAL: no source, no stream
 */
int astream_send(struct astream *s, bool on)
{
	uint64_t now;
	uint32_t ts;

	if (!s)
		return EINVAL;

	if (!on) {
		tx_stop(s);
		return 0;
	}
	if (s->txs == TX_TALKING)
		return 0;
	if (!sa_isset(&s->rtp_remote, SA_ALL))
		return ENOTCONN;
	if (!s->src)
		return EINVAL;

	/* the timestamp follows the clock from ts0 (RFC 3550 5.1), never
	 * going back from where the last burst ended */
	now = clock_us(CLOCK_MONOTONIC);
	ts = s->ts0 + (uint32_t)((now - s->epoch_us) * AUDIO_RATE / 1000000);
	if ((int32_t)(ts - s->tx_ts) > 0)
		s->tx_ts = ts;

	s->txs = TX_TALKING;
	s->tx_due = now;
	s->tx_marker = true;
	tx_tick(s);

	return 0;
}


/** True while a burst is being sent */
bool astream_sending(const struct astream *s)
{
	return s && s->txs == TX_TALKING;
}


/**
 * Write what is received, decoded to 16-bit PCM, to an 8000 Hz mono WAV
 * file: each packet's samples in arrival order, silence for packets lost
 * in between (ASTREAM_FILL_MAX at most), nothing for the pauses between
 * bursts. A recording already open is closed first (see below).
 *
 * @param s        The stream
 * @param wav_path File to create or truncate; NULL: close the recording
 * @param diag     Why the file cannot be created
 *
 * @return Opening: 0, the errno of creating the file, ENOMEM, EINVAL.
 *         Closing: 0, or the first error met while writing or closing
 *         (EMSGSIZE: the file reached WAV_MAX_SIZE; recording stopped
 *         there)
 */
int astream_record(struct astream *s, const char *wav_path,
		   struct mcx_diag *diag)
{
	int err;

	if (!s)
		return EINVAL;

	if (s->rec) {
		err = wav_writer_close(s->rec);
		if (!err)
			err = s->rec_err;
		s->rec = mem_deref(s->rec);
		s->rec_err = 0;
		if (!wav_path)
			return err;
	}
	if (!wav_path)
		return 0;

	err = wav_writer_open(&s->rec, wav_path, AUDIO_RATE);
	if (err)
		return mcx_diag_set(diag, err, "recording: cannot create "
				    "WAV file: %s", strerror(err));

	return 0;
}


/** A copy of the counters (zeroes without a stream) */
void astream_stats(const struct astream *s, struct astream_stats *st)
{
	if (!st)
		return;

	if (!s) {
		memset(st, 0, sizeof(*st));
		return;
	}

	*st = s->st;
}
