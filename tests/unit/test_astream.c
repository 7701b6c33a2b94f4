/**
 * @file test_astream.c  The audio RTP stream between real sockets
 *
 * Streams talk over 127.0.0.1 in this process, on libre's loop. Where the
 * wire itself is checked (headers, pace, what a receiver makes of loss
 * and junk), the other end is a bare UDP socket of the test's own.
 * Waits poll a condition under a deadline (tu_re_wait); none sleeps.
 *
 * RTCP: each stream sends one report as soon as it knows its peer, then
 * libre's every 5 s. The group setup starts a pair that is left alone
 * until the last test, which waits for libre's first periodic report:
 * the other tests run meanwhile, and the whole file stays near 5 s.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <re.h>
#include <mcx/astream.h>
#include <mcx/audio.h>
#include <mcx/diag.h>
#include "testutil.h"

enum {
	WAIT_MS = 3000,
	TONE_HZ = 1000,
	TONE_AMP = 8000,
	RAW_MAX = 128,		/* packets a raw receiver keeps */
	PERIODIC_MS = 7000,	/* libre's 5 s, and slack        */
};

static const double TWO_PI = 6.283185307179586476925286766559;


static uint64_t mono_us(void)
{
	struct timespec ts;

	assert_int_equal(0, clock_gettime(CLOCK_MONOTONIC, &ts));

	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}


/* ---- One end: a stream and what its burst handler saw ---- */

struct end {
	struct astream *s;
	unsigned bursts;		/* handler calls            */
	struct astream_stats seen;	/* what the last call got   */
	bool release;			/* release s in the handler */
};

static void burst_h(const struct astream_stats *st, void *arg)
{
	struct end *e = arg;

	++e->bursts;
	e->seen = *st;
	if (e->release)
		e->s = mem_deref(e->s);
}

static void end_alloc(struct end *e)
{
	struct sa lo;

	memset(e, 0, sizeof(*e));
	assert_int_equal(0, sa_set_str(&lo, "127.0.0.1", 0));
	assert_int_equal(0, astream_alloc(&e->s, &lo, 0, 0, "t@mcx.test",
					  burst_h, e));
}

/* a and b send to each other */
static void pair_alloc(struct end *a, struct end *b)
{
	end_alloc(a);
	end_alloc(b);
	assert_int_equal(0, astream_set_remote(a->s, astream_rtp_local(b->s),
					       astream_rtcp_local(b->s)));
	assert_int_equal(0, astream_set_remote(b->s, astream_rtp_local(a->s),
					       NULL));
}

static void tone_source(struct astream *s)
{
	struct audio_src *src = NULL;

	assert_int_equal(0, audio_src_tone(&src, TONE_HZ, TONE_AMP));
	astream_set_source(s, src);
	mem_deref(src);		/* the stream holds it */
}

static struct astream_stats stats(const struct astream *s)
{
	struct astream_stats st;

	astream_stats(s, &st);

	return st;
}


/* ---- Conditions ---- */

/* A counter (a uint64_t of struct astream_stats) reaches n */
struct want {
	const struct astream *s;
	size_t off;
	uint64_t n;
};

static int want_met(void *arg)
{
	const struct want *w = arg;
	struct astream_stats st = stats(w->s);
	uint64_t v;

	memcpy(&v, (const char *)&st + w->off, sizeof(v));

	return v >= w->n;
}

static int wait_stat(const struct astream *s, size_t off, uint64_t n,
		     unsigned ms)
{
	struct want w = { s, off, n };

	return tu_re_wait(want_met, &w, ms);
}

#define WAIT_STAT(s, field, n, ms) \
	wait_stat(s, offsetof(struct astream_stats, field), n, ms)

static int time_met(void *arg)
{
	const uint64_t *until = arg;

	return mono_us() >= *until;
}

/* Run the loop for ms (the time itself is what is awaited) */
static void run_for(unsigned ms)
{
	uint64_t until = mono_us() + ms * 1000ull;

	assert_true(tu_re_wait(time_met, &until, ms + 1000));
}

static int span_met(void *arg)
{
	struct astream_stats st = stats(arg);

	return st.rx_packets && st.last_rx_us - st.first_rx_us >= 1000000;
}

static int not_sending(void *arg)
{
	return !astream_sending(arg);
}


/* ---- Temporary files ---- */

struct tmp {
	char dir[64];
	char path[96];
};

static void tmp_make(struct tmp *t)
{
	(void)snprintf(t->dir, sizeof(t->dir), "/tmp/mcx-astream-XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	(void)snprintf(t->path, sizeof(t->path), "%s/rx.wav", t->dir);
}

static int tmp_remove(struct tmp *t)
{
	if (!t->dir[0])
		return 0;
	(void)unlink(t->path);

	return rmdir(t->dir);
}


/* Power at freq (Goertzel), relative to the signal's length */
static double goertzel(const int16_t *x, size_t n, double freq)
{
	double k = 2 * cos(TWO_PI * freq / AUDIO_RATE);
	double s1 = 0, s2 = 0;

	for (size_t i = 0; i < n; i++) {
		double s0 = x[i] + k * s1 - s2;

		s2 = s1;
		s1 = s0;
	}

	return (s1 * s1 + s2 * s2 - k * s1 * s2) / (double)n;
}


/* ---- A bare UDP socket at the other end ---- */

struct rawpkt {
	uint64_t at;			/* arrival, monotonic us */
	struct rtp_header h;
	size_t len;			/* payload octets        */
	uint8_t pl[AUDIO_FRAME];
};

struct raw {
	struct udp_sock *us;
	struct sa addr;
	struct rawpkt pkt[RAW_MAX];
	size_t n;
};

static void raw_recv(const struct sa *src, struct mbuf *mb, void *arg)
{
	struct raw *r = arg;
	struct rawpkt *p;
	(void)src;

	if (r->n == RAW_MAX)
		return;
	p = &r->pkt[r->n++];
	p->at = mono_us();
	assert_int_equal(0, rtp_hdr_decode(&p->h, mb));
	p->len = mbuf_get_left(mb);
	memcpy(p->pl, mbuf_buf(mb), p->len < AUDIO_FRAME ? p->len :
	       AUDIO_FRAME);
}

static struct raw *raw_alloc(void)
{
	struct raw *r = mem_zalloc(sizeof(*r), NULL);
	struct sa lo;

	assert_non_null(r);
	assert_int_equal(0, sa_set_str(&lo, "127.0.0.1", 0));
	assert_int_equal(0, udp_listen(&r->us, &lo, raw_recv, r));
	assert_int_equal(0, udp_local_get(r->us, &r->addr));

	return r;
}

static void raw_free(struct raw *r)
{
	mem_deref(r->us);
	mem_deref(r);
}

/* ---- The group: a pair whose periodic RTCP the last test awaits ---- */

struct group {
	struct end a, b;
	uint64_t t0;
};

static struct group grp;

static int group_setup(void **state)
{
	(void)state;

	if (libre_init())
		return -1;

	pair_alloc(&grp.a, &grp.b);
	grp.t0 = mono_us();

	return 0;
}

static int group_teardown(void **state)
{
	(void)state;

	mem_deref(grp.a.s);
	mem_deref(grp.b.s);
	libre_close();

	return 0;
}


/* ---- Each test's things, released by its teardown even on failure
 * (a stream left behind would call its handler on a dead stack) ---- */

/* A test's own RTP sender */
struct rawtx {
	struct udp_sock *us;
	struct mbuf *mb;
};

struct fx {
	struct end a, b, c;
	struct raw *r;
	struct rawtx tx;
	struct tmp t;
};

static struct fx fx;

static int setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof(fx));

	return 0;
}

static int teardown(void **state)
{
	(void)state;

	mem_deref(fx.a.s);
	mem_deref(fx.b.s);
	mem_deref(fx.c.s);
	if (fx.r)
		raw_free(fx.r);
	mem_deref(fx.tx.us);
	mem_deref(fx.tx.mb);

	return tmp_remove(&fx.t) ? -1 : 0;
}


/* ---- Tests ---- */

/*
 * A sends a tone to B for a second of B's clock: about 50 packets a
 * second, 160 octets each, one burst, nothing lost, and B's recording
 * holds every packet's samples and the tone.
 */
static void exchange(void **state)
{
	struct astream_stats sa, sb;
	struct mcx_diag d = { "" };
	struct wav *w = NULL;
	struct end *a = &fx.a, *b = &fx.b;
	double rate, p_tone, p_far, p_low;
	(void)state;

	tmp_make(&fx.t);
	pair_alloc(a, b);
	tone_source(a->s);
	assert_int_equal(0, astream_record(b->s, fx.t.path, &d));

	assert_false(astream_sending(a->s));
	assert_int_equal(0, astream_send(a->s, true));
	assert_true(astream_sending(a->s));
	assert_int_equal(0, astream_send(a->s, true));	/* idempotent */

	assert_true(tu_re_wait(span_met, b->s, WAIT_MS));

	/* counters and recording at the same instant: no loop between */
	sb = stats(b->s);
	assert_int_equal(0, astream_record(b->s, NULL, &d));
	sa = stats(a->s);

	rate = (double)(sb.rx_packets - 1) * 1e6 /
		(double)(sb.last_rx_us - sb.first_rx_us);
	print_message("exchange: %llu packets in %.3f s: %.1f/s\n",
		      (unsigned long long)sb.rx_packets,
		      (double)(sb.last_rx_us - sb.first_rx_us) / 1e6, rate);
	assert_true(rate >= 35 && rate <= 60);
	assert_true(sb.rx_packets >= 36);

	assert_int_equal(sb.rx_packets * AUDIO_FRAME, sb.rx_bytes);
	assert_int_equal(0, sb.rx_lost);
	assert_int_equal(0, sb.rx_ignored);
	assert_int_equal(1, sb.rx_bursts);
	assert_int_equal(sa.tx_ssrc, sb.rx_ssrc);
	assert_int_equal(0, sb.tx_packets);
	assert_true(sa.tx_packets >= sb.rx_packets);
	assert_int_equal(sa.tx_packets * AUDIO_FRAME, sa.tx_bytes);
	assert_int_equal(0, sa.tx_errors);
	assert_int_not_equal(sa.tx_ssrc, sb.tx_ssrc);

	/* the handler: once, on the first packet */
	assert_int_equal(1, b->bursts);
	assert_int_equal(1, b->seen.rx_bursts);
	assert_int_equal(1, b->seen.rx_packets);
	assert_int_equal(sa.tx_ssrc, b->seen.rx_ssrc);
	assert_int_equal(0, a->bursts);

	assert_int_equal(0, astream_send(a->s, false));
	assert_false(astream_sending(a->s));
	assert_int_equal(0, astream_send(a->s, false));

	/* the recording: 8 kHz mono, every sample, the tone */
	assert_int_equal(0, wav_load(&w, fx.t.path, &d));
	assert_int_equal(AUDIO_RATE, w->rate);
	assert_int_equal(1, w->channels);
	assert_int_equal(sb.rx_packets * AUDIO_FRAME, w->nsamples);
	p_tone = goertzel(w->samples, w->nsamples, TONE_HZ);
	p_far = goertzel(w->samples, w->nsamples, 3100);
	p_low = goertzel(w->samples, w->nsamples, 300);
	print_message("exchange: Goertzel %d Hz over 3100 Hz: %.0f dB, "
		      "over 300 Hz: %.0f dB\n", TONE_HZ,
		      10 * log10(p_tone / p_far), 10 * log10(p_tone / p_low));
	assert_true(p_tone > 1000 * p_far);
	assert_true(p_tone > 1000 * p_low);
	/* a sine of amplitude A gives about A^2 n / 4: a quarter of it */
	assert_true(p_tone > (double)TONE_AMP * TONE_AMP / 16 *
		    (double)w->nsamples);
	mem_deref(w);
}


/*
 * Bursts: a pause of 300 ms starts a new one, a pause of 60 ms does not,
 * a new SSRC does at once. The handler fires once per burst.
 */
static void bursts(void **state)
{
	struct end *a = &fx.a, *b = &fx.b, *c = &fx.c;
	uint64_t n;
	(void)state;

	pair_alloc(a, b);
	tone_source(a->s);

	assert_int_equal(0, astream_send(a->s, true));
	assert_true(WAIT_STAT(b->s, rx_packets, 3, WAIT_MS));
	assert_int_equal(0, astream_send(a->s, false));
	run_for(300);
	n = stats(b->s).rx_packets;
	assert_int_equal(1, b->bursts);

	/* talk again after 300 ms: burst 2 */
	assert_int_equal(0, astream_send(a->s, true));
	assert_true(WAIT_STAT(b->s, rx_packets, n + 3, WAIT_MS));
	assert_int_equal(2, b->bursts);
	assert_int_equal(2, b->seen.rx_bursts);
	assert_int_equal(n + 1, b->seen.rx_packets);

	/* 60 ms: the same burst */
	assert_int_equal(0, astream_send(a->s, false));
	run_for(60);
	n = stats(b->s).rx_packets;
	assert_int_equal(0, astream_send(a->s, true));
	assert_true(WAIT_STAT(b->s, rx_packets, n + 3, WAIT_MS));
	assert_int_equal(2, b->bursts);
	assert_int_equal(2, stats(b->s).rx_bursts);

	/* another source takes over at once: burst 3 */
	assert_int_equal(0, astream_send(a->s, false));
	end_alloc(c);
	tone_source(c->s);
	assert_int_equal(0, astream_set_remote(c->s, astream_rtp_local(b->s),
					       NULL));
	n = stats(b->s).rx_packets;
	assert_int_equal(0, astream_send(c->s, true));
	assert_true(WAIT_STAT(b->s, rx_packets, n + 3, WAIT_MS));
	assert_int_equal(3, b->bursts);
	assert_int_equal(3, stats(b->s).rx_bursts);
	assert_int_equal(stats(c->s).tx_ssrc, b->seen.rx_ssrc);
	assert_int_equal(0, stats(b->s).rx_lost);
}


/* The raw receiver has n packets */
struct rawwant {
	const struct raw *r;
	size_t n;
};

static int raw_has(void *arg)
{
	const struct rawwant *w = arg;

	return w->r->n >= w->n;
}

/*
 * The wire, seen by a bare socket: headers of RFC 3550 5.1 as RFC 3551
 * wants them for PCMU, the source's frames in order, and a pace without
 * drift: each arrival against its timestamp, early packets vs late ones.
 */
static void wire(void **state)
{
	struct audio_src *ref = NULL;
	struct raw *r = fx.r = raw_alloc();
	struct rawwant w1 = { r, 50 }, w2 = { r, 55 };
	struct end *a = &fx.a;
	int64_t dmin_first = INT64_MAX, dmin_last = INT64_MAX, dmax = 0;
	uint64_t gap_us;
	uint32_t gap_ts;
	size_t first2 = 0;
	(void)state;

	end_alloc(a);
	tone_source(a->s);
	assert_int_equal(0, astream_set_remote(a->s, &r->addr, NULL));

	assert_int_equal(0, astream_send(a->s, true));
	assert_true(tu_re_wait(raw_has, &w1, WAIT_MS));
	assert_int_equal(0, astream_send(a->s, false));
	first2 = r->n;
	run_for(250);
	assert_int_equal(first2, r->n);		/* stopped means stopped */
	assert_int_equal(0, astream_send(a->s, true));
	assert_true(tu_re_wait(raw_has, &w2, WAIT_MS));
	assert_int_equal(0, astream_send(a->s, false));

	assert_int_equal(0, audio_src_tone(&ref, TONE_HZ, TONE_AMP));
	for (size_t i = 0; i < r->n; i++) {
		const struct rawpkt *p = &r->pkt[i];
		const struct rawpkt *q = &r->pkt[i ? i - 1 : 0];
		uint8_t frame[AUDIO_FRAME];

		assert_int_equal(RTP_VERSION, p->h.ver);
		assert_int_equal(AUDIO_PT_PCMU, p->h.pt);
		assert_false(p->h.pad);
		assert_false(p->h.ext);
		assert_int_equal(0, p->h.cc);
		assert_int_equal(stats(a->s).tx_ssrc, p->h.ssrc);
		assert_int_equal(AUDIO_FRAME, p->len);
		assert_int_equal(0, audio_src_next(ref, frame));
		assert_memory_equal(frame, p->pl, AUDIO_FRAME);
		/* marker: the first packet of each burst, only */
		assert_int_equal(i == 0 || i == first2, p->h.m);
		if (!i)
			continue;
		assert_int_equal((uint16_t)(q->h.seq + 1), p->h.seq);
		if (i == first2)
			continue;
		/* whole frames; more than one only after the loop was held
		 * up past ASTREAM_MAX_LAG_MS (missed packets skipped) */
		assert_int_equal(0, (uint32_t)(p->h.ts - q->h.ts) %
				 AUDIO_FRAME);
		if (p->h.ts - q->h.ts != AUDIO_FRAME) {
			print_message("wire: packet %zu: timestamp +%u\n", i,
				      (unsigned)(p->h.ts - q->h.ts));
			assert_true(p->at - q->at >=
				    (ASTREAM_MAX_LAG_MS - 20) * 1000u);
		}
	}
	mem_deref(ref);

	/* pace in the first burst: arrival minus timestamp, in us */
	for (size_t i = 0; i < first2; i++) {
		const struct rawpkt *p = &r->pkt[i];
		int64_t dev = (int64_t)(p->at - r->pkt[0].at) -
			(int64_t)(p->h.ts - r->pkt[0].h.ts) * 125;

		if (i < 10 && dev < dmin_first)
			dmin_first = dev;
		if (i >= first2 - 10 && dev < dmin_last)
			dmin_last = dev;
		if (dev > dmax)
			dmax = dev;
	}
	print_message("wire: %zu packets; lateness vs timestamp: at most "
		      "%lld us; drift over %zu packets %lld us\n", first2,
		      (long long)dmax, first2,
		      (long long)(dmin_last - dmin_first));
	assert_true(dmin_last - dmin_first < 10000);
	assert_true(dmin_last - dmin_first > -10000);

	/* across the pause the timestamp follows the clock */
	gap_us = r->pkt[first2].at - r->pkt[first2 - 1].at;
	gap_ts = r->pkt[first2].h.ts - r->pkt[first2 - 1].h.ts;
	print_message("wire: pause %llu us, timestamp +%u (%llu us)\n",
		      (unsigned long long)gap_us, gap_ts,
		      (unsigned long long)gap_ts * 125);
	assert_true(gap_ts * 125ull + 25000 > gap_us);
	assert_true(gap_ts * 125ull < gap_us + 25000);
}


static void rawtx_send(struct rawtx *t, const struct sa *dst, uint8_t pt,
		       uint16_t seq, size_t len, uint8_t fill, uint8_t pad)
{
	struct rtp_header h;

	memset(&h, 0, sizeof(h));
	h.ver = RTP_VERSION;
	h.pad = pad != 0;
	h.pt = pt;
	h.seq = seq;
	h.ts = seq * (uint32_t)AUDIO_FRAME;
	h.ssrc = 0x11223344;

	mbuf_reset(t->mb);
	assert_int_equal(0, rtp_hdr_encode(t->mb, &h));
	if (len)
		assert_int_equal(0, mbuf_fill(t->mb, fill, len));
	if (pad) {
		assert_int_equal(0, mbuf_fill(t->mb, 0, pad - 1u));
		assert_int_equal(0, mbuf_write_u8(t->mb, pad == 0xff ? 0 :
						  pad));
	}
	t->mb->pos = 0;
	assert_int_equal(0, udp_send(t->us, dst, t->mb));
}

static int all_seen(void *arg)
{
	struct astream_stats st = stats(arg);

	return st.rx_packets + st.rx_ignored >= 10;
}

/*
 * Loss, junk and restarts, sent by hand: what is counted, and what the
 * recording holds (silence for lost packets, 50 at most).
 */
static void loss(void **state)
{
	static const struct {
		uint8_t pt;
		uint16_t seq;
		size_t len;
		uint8_t pad;		/* 0xff: a pad count of 0 */
		const char *what;
	} pkt[] = {
		{ 0,   100, 160, 0,    "first"                   },
		{ 0,   101, 160, 0,    "next"                    },
		{ 0,   104, 160, 0,    "after 2 lost"            },
		{ 8,   105, 160, 0,    "PCMA: ignored"           },
		{ 0,   102, 160, 0,    "late: ignored"           },
		{ 0,   105, 160, 4,    "padded"                  },
		{ 0,   106, 160, 0xff, "pad count 0: ignored"    },
		{ 0,   306, 160, 0,    "after 200 lost"          },
		{ 0,   307, 0,   0,    "empty: ignored"          },
		{ 0, 40000, 160, 0,    "restart: nothing lost"   },
	};
	/* the recording, packet by packet: fill octet, or silence */
	static const int layout[] = {
		1, 2, -2, 3, 6, -50, 8, 10
	};
	struct mcx_diag d = { "" };
	struct astream_stats st;
	struct wav *w = NULL;
	struct rawtx *tx = &fx.tx;
	struct end *b = &fx.b;
	struct sa lo;
	size_t pos = 0;
	(void)state;

	tmp_make(&fx.t);
	end_alloc(b);
	assert_int_equal(0, astream_record(b->s, fx.t.path, &d));
	assert_int_equal(0, sa_set_str(&lo, "127.0.0.1", 0));
	assert_int_equal(0, udp_listen(&tx->us, &lo, NULL, NULL));
	tx->mb = mbuf_alloc(512);
	assert_non_null(tx->mb);

	for (size_t i = 0; i < ARRAY_SIZE(pkt); i++)
		rawtx_send(tx, astream_rtp_local(b->s), pkt[i].pt, pkt[i].seq,
			   pkt[i].len, (uint8_t)(i + 1), pkt[i].pad);
	assert_true(tu_re_wait(all_seen, b->s, WAIT_MS));

	st = stats(b->s);
	assert_int_equal(6, st.rx_packets);
	assert_int_equal(6 * AUDIO_FRAME, st.rx_bytes);
	assert_int_equal(4, st.rx_ignored);
	assert_int_equal(2 + 200, st.rx_lost);
	assert_int_equal(1, st.rx_bursts);
	assert_int_equal(0x11223344, st.rx_ssrc);
	assert_int_equal(1, b->bursts);

	assert_int_equal(0, astream_record(b->s, NULL, &d));
	assert_int_equal(0, wav_load(&w, fx.t.path, &d));
	assert_int_equal((6 + 2 + 50) * AUDIO_FRAME, w->nsamples);
	for (size_t i = 0; i < ARRAY_SIZE(layout); i++) {
		size_t k = layout[i] < 0 ? (size_t)-layout[i] * AUDIO_FRAME :
			AUDIO_FRAME;
		int16_t v = layout[i] < 0 ? 0 :
			g711_ulaw_dec((uint8_t)layout[i]);

		for (size_t j = 0; j < k; j++)
			assert_int_equal(v, w->samples[pos + j]);
		pos += k;
	}
	assert_int_equal(w->nsamples, pos);

	mem_deref(w);
}


/*
 * RTCP both ways at once: each end reports as soon as it knows the other,
 * on the RTCP port (RTP + 1, given or implied), not the RTP one.
 */
static void rtcp_first(void **state)
{
	struct astream_stats sa, sb;
	struct end *a = &fx.a, *b = &fx.b;
	uint64_t t0 = mono_us(), t1;
	(void)state;

	pair_alloc(a, b);
	assert_int_equal(sa_port(astream_rtp_local(a->s)) + 1,
			 sa_port(astream_rtcp_local(a->s)));
	assert_true(WAIT_STAT(a->s, rtcp_rx, 1, 1000));
	assert_true(WAIT_STAT(b->s, rtcp_rx, 1, 1000));
	t1 = mono_us();
	print_message("rtcp: first report both ways within %llu us\n",
		      (unsigned long long)(t1 - t0));

	sa = stats(a->s);
	sb = stats(b->s);
	assert_true(sa.rtcp_tx >= 1);
	assert_true(sb.rtcp_tx >= 1);
	assert_int_equal(0, sa.rx_ignored);
	assert_int_equal(0, sb.rx_ignored);
	assert_int_equal(0, sa.rx_packets);
}


/* The group's pair, left alone since the start: libre's periodic
 * report (5 s) has come both ways, on top of the first one */
static void rtcp_periodic(void **state)
{
	uint64_t end = grp.t0 + PERIODIC_MS * 1000ull, now = mono_us();
	unsigned ms = end > now ? (unsigned)((end - now) / 1000) : 0;
	(void)state;

	/* at least 200 ms: a report due while the loop was not running
	 * (other tests failing slowly) is sent when it runs again */
	assert_true(WAIT_STAT(grp.a.s, rtcp_rx, 2, ms > 200 ? ms : 200));
	assert_true(WAIT_STAT(grp.b.s, rtcp_rx, 2, 200));
	print_message("rtcp: periodic report %llu ms after the start\n",
		      (unsigned long long)(mono_us() - grp.t0) / 1000);
	assert_true(stats(grp.a.s).rtcp_tx >= 2);
	assert_true(stats(grp.b.s).rtcp_tx >= 2);
}


/* Allocate in [lo, hi] */
static int alloc_in(struct astream **sp, uint16_t lo, uint16_t hi)
{
	struct sa la;

	assert_int_equal(0, sa_set_str(&la, "127.0.0.1", 0));

	return astream_alloc(sp, &la, lo, hi, "p@mcx.test", NULL, NULL);
}

static void assert_pair(const struct astream *s, uint16_t lo, uint16_t hi)
{
	uint16_t p = sa_port(astream_rtp_local(s));

	assert_int_equal(0, p % 2);
	assert_true(p >= lo && p + 1 <= hi);
	assert_int_equal(p + 1, sa_port(astream_rtcp_local(s)));
}

/*
 * Ports: even, RTCP next, inside the range; a full range refuses with
 * EADDRINUSE; a freed pair is found again.
 */
static void ports(void **state)
{
	struct astream *x = NULL, *y = NULL, *z = NULL;
	uint16_t base = 0, px, py;
	(void)state;

	/* any port */
	assert_int_equal(0, alloc_in(&x, 0, 0));
	assert_pair(x, ASTREAM_PORT_ANY_MIN, ASTREAM_PORT_ANY_MAX);
	x = mem_deref(x);

	/* four free ports [base, base+3] (another process may hold some) */
	for (int tries = 0; tries < 50 && !y; tries++) {
		base = (uint16_t)(20000 + 4 * (rand_u16() % 2000));
		if (alloc_in(&x, base, base + 3))
			continue;
		if (alloc_in(&y, base, base + 3))
			x = mem_deref(x);
	}
	assert_non_null(y);
	assert_pair(x, base, base + 3);
	assert_pair(y, base, base + 3);
	px = sa_port(astream_rtp_local(x));
	py = sa_port(astream_rtp_local(y));
	assert_int_not_equal(px, py);

	/* full */
	assert_int_equal(EADDRINUSE, alloc_in(&z, base, base + 3));
	assert_null(z);
	assert_int_equal(EADDRINUSE, alloc_in(&z, px, px + 1));

	/* freed: found again */
	x = mem_deref(x);
	assert_int_equal(0, alloc_in(&x, base, base + 3));
	assert_int_equal(px, sa_port(astream_rtp_local(x)));
	x = mem_deref(x);

	/* odd bounds: the one even pair inside */
	assert_int_equal(0, alloc_in(&x, (uint16_t)(px - 1), px + 2));
	assert_int_equal(px, sa_port(astream_rtp_local(x)));
	x = mem_deref(x);

	/* no pair fits */
	assert_int_equal(EINVAL, alloc_in(&x, px + 1, px + 2));
	assert_int_equal(EINVAL, alloc_in(&x, px, px));
	assert_int_equal(EINVAL, alloc_in(&x, px + 2, px));
	assert_int_equal(EINVAL, alloc_in(&x, 65535, 65535));
	assert_null(x);

	mem_deref(y);
}


/* Refusals, and what they mean */
static void api(void **state)
{
	struct mcx_diag d = { "" };
	struct astream_stats st;
	struct astream *s = NULL;
	char cname[ASTREAM_CNAME_MAX + 2];
	struct sa la, unset;
	(void)state;

	assert_int_equal(0, sa_set_str(&la, "127.0.0.1", 0));
	sa_init(&unset, AF_INET);
	memset(cname, 'x', sizeof(cname) - 1);
	cname[sizeof(cname) - 1] = '\0';

	assert_int_equal(EINVAL, astream_alloc(NULL, &la, 0, 0, "c", NULL,
					       NULL));
	assert_int_equal(EINVAL, astream_alloc(&s, NULL, 0, 0, "c", NULL,
					       NULL));
	assert_int_equal(EINVAL, astream_alloc(&s, &unset, 0, 0, "c", NULL,
					       NULL));
	assert_int_equal(EINVAL, astream_alloc(&s, &la, 0, 0, NULL, NULL,
					       NULL));
	assert_int_equal(EINVAL, astream_alloc(&s, &la, 0, 0, "", NULL,
					       NULL));
	assert_int_equal(EINVAL, astream_alloc(&s, &la, 0, 0, cname, NULL,
					       NULL));
	assert_null(s);
	cname[ASTREAM_CNAME_MAX] = '\0';	/* 255: fits */
	assert_int_equal(0, astream_alloc(&s, &la, 0, 0, cname, NULL, NULL));

	/* no remote, then no source */
	assert_int_equal(ENOTCONN, astream_send(s, true));
	assert_int_equal(EINVAL, astream_set_remote(s, &unset, NULL));
	assert_int_equal(EINVAL, astream_set_remote(s, NULL, NULL));
	assert_int_equal(0, astream_set_remote(s, astream_rtp_local(s),
					       NULL));
	assert_int_equal(EINVAL, astream_send(s, true));
	assert_false(astream_sending(s));
	assert_int_equal(0, astream_send(s, false));

	/* recording: a directory that is not there */
	assert_int_equal(ENOENT, astream_record(s, "/nonexistent/x.wav", &d));
	assert_non_null(strstr(d.reason, "recording: cannot create"));
	assert_int_equal(0, astream_record(s, NULL, &d));

	/* no stream */
	assert_int_equal(EINVAL, astream_send(NULL, true));
	assert_false(astream_sending(NULL));
	assert_null(astream_rtp_local(NULL));
	assert_int_equal(EINVAL, astream_record(NULL, NULL, &d));
	astream_set_source(NULL, NULL);
	memset(&st, 0x55, sizeof(st));
	astream_stats(NULL, &st);
	assert_int_equal(0, st.rx_packets);
	astream_stats(s, NULL);

	mem_deref(s);
}


/*
 * A WAV that ends ends the burst: 3 frames and 10 samples make 4
 * packets, then the sender stops by itself. Taking the source away
 * stops a burst too.
 */
static void source_end(void **state)
{
	struct audio_src *src = NULL;
	struct mcx_diag d = { "" };
	struct mbuf *mb = mbuf_alloc(1024);
	struct wav *w = NULL;
	struct end *a = &fx.a, *b = &fx.b;
	int16_t pcm[3 * AUDIO_FRAME + 10];
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(pcm); i++)
		pcm[i] = (int16_t)(i * 50);
	assert_non_null(mb);
	assert_int_equal(0, wav_encode(mb, pcm, ARRAY_SIZE(pcm), AUDIO_RATE));
	assert_int_equal(0, wav_decode(&w, mb->buf, mb->end, &d));
	mem_deref(mb);

	pair_alloc(a, b);
	assert_int_equal(0, audio_src_wav(&src, w, false));
	mem_deref(w);		/* the source holds it */
	astream_set_source(a->s, src);
	assert_int_equal(0, astream_send(a->s, true));
	assert_true(tu_re_wait(not_sending, a->s, WAIT_MS));
	assert_int_equal(4, stats(a->s).tx_packets);
	assert_true(WAIT_STAT(b->s, rx_packets, 4, WAIT_MS));
	mem_deref(src);

	/* a tone, taken away while sending */
	tone_source(a->s);
	assert_int_equal(0, astream_send(a->s, true));
	assert_true(astream_sending(a->s));
	astream_set_source(a->s, NULL);
	assert_false(astream_sending(a->s));
	assert_int_equal(EINVAL, astream_send(a->s, true));
}


/* The handler releases its stream: it must survive until it returns */
static void release_in_handler(void **state)
{
	struct end *a = &fx.a, *b = &fx.b;
	(void)state;

	pair_alloc(a, b);
	b->release = true;
	tone_source(a->s);
	assert_int_equal(0, astream_send(a->s, true));
	assert_true(WAIT_STAT(a->s, tx_packets, 3, WAIT_MS));
	assert_int_equal(1, b->bursts);
	assert_null(b->s);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(exchange, setup, teardown),
		cmocka_unit_test_setup_teardown(bursts, setup, teardown),
		cmocka_unit_test_setup_teardown(wire, setup, teardown),
		cmocka_unit_test_setup_teardown(loss, setup, teardown),
		cmocka_unit_test_setup_teardown(rtcp_first, setup, teardown),
		cmocka_unit_test_setup_teardown(ports, setup, teardown),
		cmocka_unit_test_setup_teardown(api, setup, teardown),
		cmocka_unit_test_setup_teardown(source_end, setup, teardown),
		cmocka_unit_test_setup_teardown(release_in_handler, setup,
						teardown),
		/* last: see the top of the file */
		cmocka_unit_test(rtcp_periodic),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
