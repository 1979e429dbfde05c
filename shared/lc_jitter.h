/* SPDX-License-Identifier: MIT */
/*
 * lc_jitter.h — the receive side of a network cable: RTP packets in (any order, lost,
 * duplicated, late), a steady stream of frames out at the consumer's clock.
 *
 * Owns: the packet store keyed by RTP timestamp (reordering, duplicates, late packets,
 * concealment of losses), stream identity (SSRC changes, sender restarts), the latency
 * target, and the drift loop that holds the fill level at that target while the
 * sender's clock runs off the consumer's (lc_drift.h steering lc_resample.h, applied
 * as lc_bridge.c applies it).  Does not own: sockets, threads or clocks (the router's),
 * packet parsing (lc_rtp.h).  docs/network.md has the design and the measured figures.
 *
 * Threads: NOT thread-safe.  Every call on one buffer — push(), pull(), stats(),
 * reset() — must be serialised by the caller (the router holds one lock per receive
 * route around each call; push() is a parse and a copy of one packet, pull() one
 * consumer period of resampling, so neither holds it long).  No call blocks or makes an
 * OS call; allocation only in create()/destroy(), and in pull() where lc_resample
 * allocates by its own contract (a ratio change may grow its filter once when the stream
 * is down-sampled to a lower cable rate); the resampler is never reset after create
 * (that would allocate): a new stream's first frames pass through its short history.
 *
 * Positions are in stream frames (RTP timestamp units), unwrapped to 64 bits:
 *
 *     read        frontier                       newest_end          read + capacity
 *      │ concealed │ received / holes (reorder room) │ nothing yet        │
 *   ───┴───────────┴─────────────────────────────────┴────────────────────┴──
 *      the resampler takes frames from `read`; frames below `frontier` are final
 *      (received or concealed); fill = newest_end - read.
 *
 * A packet is stored when it lies within [frontier, read + capacity); one that starts
 * below the frontier is late (counted, dropped whole: its frames were already
 * concealed or will be).  A hole is concealed only when the consumer reaches it and a
 * later packet exists; when nothing lies ahead, the buffer has run dry: an underrun
 * (silence, counted), then priming again.
 *
 * States (pull() moves them):
 *
 *   create/reset/new stream ──> PRIMING ── fill >= target + half a pull: trim ──> RUNNING
 *                                 ^  silence                                       │
 *                                 └──── underrun, or fill far above target ────────┘
 *
 * Stream identity: the first packet's SSRC is the stream.  A packet of another SSRC, or
 * of this SSRC but far outside the window (a sender restart: a random new timestamp),
 * is dropped and counted as foreign — unless LC_JITTER_SWITCH_PACKETS of them arrive
 * in sequence (consecutive seq, contiguous timestamps) with none of the current stream
 * in between: then the buffer restarts on them (counted in `restarts`).  A stray
 * packet cannot hijack the stream; a restarted sender is followed within a few packets.
 */
#ifndef LC_JITTER_H
#define LC_JITTER_H

#include <stdint.h>

#include "lc_rtp.h"

struct lc_jitter; /* opaque */

enum lc_jitter_state { LC_JITTER_PRIMING = 0, LC_JITTER_RUNNING = 1 };

enum lc_jitter_conceal {
	LC_JITTER_CONCEAL_SILENCE = 0,     /* zeros */
	LC_JITTER_CONCEAL_REPEAT_FADE = 1  /* the frames before the hole, repeated and faded
	                                      out over LC_JITTER_FADE_MS; the audio after it
	                                      faded in over LC_JITTER_FADE_IN_MS */
};

#define LC_JITTER_SWITCH_PACKETS 4
#define LC_JITTER_FADE_MS 4
#define LC_JITTER_FADE_IN_MS 1
/* A fill this far above the target (or the target, if larger), for this long, is a step
 * (a sender that skipped ahead): trimmed back once, as lc_bridge.h does. */
#define LC_JITTER_JUMP_MS 30
#define LC_JITTER_JUMP_AFTER_MS 100
/* Latency target limits, ms.  The default suits ptime 1 ms over a LAN with a consumer
 * period of up to 10 ms (docs/network.md). */
#define LC_JITTER_TARGET_MIN_MS 1
#define LC_JITTER_TARGET_MAX_MS 500
#define LC_JITTER_TARGET_DEFAULT_MS 20

struct lc_jitter_config {
	struct lc_rtp_format fmt; /* encoding, rate, channels and payload type expected;
	                             ptime_us is informative: any packet size is accepted */
	uint32_t out_hz;          /* the consumer's rate (the cable's) */
	uint32_t target_ms;       /* latency target: LC_JITTER_TARGET_MIN_MS .. _MAX_MS */
	uint32_t conceal;         /* enum lc_jitter_conceal */
	int quality;              /* lc_resample quality; LC_BRIDGE_QUALITY_DEFAULT for routes */
};

struct lc_jitter_stats {
	uint32_t state;             /* enum lc_jitter_state */
	uint32_t ssrc;              /* the stream followed (0 before the first packet) */
	uint32_t have_stream;
	double fill_frames;         /* filtered fill level, stream frames */
	double target_frames;
	double ratio_ppm;           /* controller's correction (> 0: sender clock fast) */
	double applied_ppm;         /* the quantized ratio in force */
	double offset_ppm;          /* the controller's clock-offset estimate */
	double jitter_frames;       /* RFC 3550 6.4.1 interarrival jitter, stream frames */
	uint64_t packets_received;  /* stored or late: every packet of the stream, once */
	uint64_t packets_lost;      /* RFC 3550: expected (by seq) minus received, summed
	                               over streams; a reordered packet still on its way
	                               counts until it arrives */
	uint64_t packets_late;      /* began below the frontier: dropped */
	uint64_t packets_duplicate; /* a seq already received: dropped */
	uint64_t packets_malformed; /* refused by lc_rtp_parse / lc_rtp_check_payload */
	uint64_t packets_foreign;   /* other payload type, other SSRC, far outside the window */
	uint64_t frames_concealed;  /* holes filled at play time */
	uint64_t conceal_events;    /* holes (runs of concealed frames) */
	uint64_t frames_skipped;    /* stream frames dropped by priming's trim */
	uint64_t frames_out;        /* consumer frames pulled */
	uint64_t underruns;         /* pulls that found nothing ahead (silence output) */
	uint64_t resyncs;           /* primes after the first of a stream */
	uint64_t restarts;          /* new streams after the first (SSRC change, jump) */
};

/* @return 0, LC_E_INVALID, LC_E_FORMAT or LC_E_NO_MEMORY; *out NULL on failure. */
int
lc_jitter_create(struct lc_jitter **out, const struct lc_jitter_config *cfg);

/* NULL is a no-op. */
void
lc_jitter_destroy(struct lc_jitter *j);

/*
 * One datagram as received.  arrival_us: the receive time on any monotonic clock in
 * microseconds (the router's receive timestamp); only differences are used, for the
 * interarrival jitter statistic.
 * @return 0 (stored, or dropped and counted: late, duplicate, foreign),
 *         LC_E_CORRUPT (malformed: counted) or LC_E_INVALID (NULL).
 */
int
lc_jitter_push(struct lc_jitter *j, const uint8_t *pkt, size_t len, uint64_t arrival_us);

/* Always writes exactly n frames at out_hz, interleaved float32 (silence while
 * priming and on underrun).  n should stay below the target (a pull takes about
 * n * rate_hz / out_hz stream frames). */
void
lc_jitter_pull(struct lc_jitter *j, float *out, uint32_t n);

void
lc_jitter_stats(const struct lc_jitter *j, struct lc_jitter_stats *st);

/* Forgets the stream (the next packet starts one); counters are kept. */
void
lc_jitter_reset(struct lc_jitter *j);

/* Latency at the target: target plus the resampler's delay, consumer frames. */
uint32_t
lc_jitter_latency_frames(const struct lc_jitter *j);

#endif /* LC_JITTER_H */
