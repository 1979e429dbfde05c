/* SPDX-License-Identifier: MIT */
/*
 * lc_bridge.h — the drift-compensated bridge of a forwarding route: a producer pushes
 * frames at its clock, a consumer pulls at another, and the bridge resamples between
 * them so that its FIFO holds a steady fill level.
 *
 * Owns: the single-producer / single-consumer FIFO (lock-free, C11 atomics), priming and
 * recovery, applying the controller's ratio to the resampler (with error feedback, below)
 * and the route's statistics.  Does not own: the controller's arithmetic (lc_drift.h),
 * the resampler (lc_resample.h), devices, threads or clocks (the router's).
 * docs/forwarding.md "Drift compensation" has the design and the measured figures.
 *
 * Threads: exactly one producer thread calls push(), exactly one consumer thread calls
 * pull(); stats(), restart() and latency_frames() may be called from any thread.  No
 * call blocks or makes an OS call; allocation only in create()/destroy(), and in pull()
 * where lc_resample allocates by its own contract (a restart rebuilds the resampler's
 * state; a ratio change may grow its filter once when down-sampling).
 *
 * States (the consumer moves them, at its pulls):
 *
 *   create/restart ──> PRIMING ── fill >= target + half a pull: trim to that ──> RUNNING
 *                        ^   outputs silence                                       │
 *                        └────── underrun (output short) or overrun (push dropped) ┘
 *
 * Every prime but the first after create/restart counts one resync; a recovery keeps
 * the clock-offset estimate (same clocks), a restart forgets it.
 *
 * Ratio quantization: lc_resample holds the ratio in steps of 1/65536 (15 ppm).  Each
 * pull asks for the controller's ratio plus the residual owed by earlier pulls (first-
 * order error feedback, in producer frames), so the ratio in force averages to the
 * controller's exactly and the position error stays below one step's worth of a pull.
 */
#ifndef LC_BRIDGE_H
#define LC_BRIDGE_H

#include <stdint.h>

#include "lc_resample.h"

struct lc_bridge; /* opaque */

enum lc_bridge_state { LC_BRIDGE_PRIMING = 0, LC_BRIDGE_RUNNING = 1 };

/* Speex quality 5 (lc_resample's default): 80 taps at unity ratio, 88 when going
 * 48 -> 44.1 kHz.  Delay 0.92 ms at 44.1 -> 48 kHz and 0.83 ms at 48 -> 48 kHz.  Cost:
 * a stereo route takes about 0.6 % of a core, nearly all of it speexdsp's interpolating
 * filter (docs/forwarding.md, bench_bridge).  Quality 4 (64 taps) would save a fifth of
 * that for a worse stop-band. */
#define LC_BRIDGE_QUALITY_DEFAULT LC_RESAMPLE_QUALITY_DEFAULT

/* Largest FIFO accepted, producer frames (about 44 s at 384 kHz). */
#define LC_BRIDGE_MAX_CAPACITY_FRAMES (1u << 24)

struct lc_bridge_config {
	uint32_t channels;        /* 1 .. LC_FMT_MAX_CHANNELS, interleaved float32 on both sides */
	uint32_t in_hz;           /* producer's rate (LC_FMT_MIN_RATE_HZ .. LC_FMT_MAX_RATE_HZ) */
	uint32_t out_hz;          /* consumer's rate */
	uint32_t target_frames;   /* fill target, in producer frames (the route's latency target) */
	uint32_t capacity_frames; /* FIFO size in producer frames; must be >= 2 * target_frames */
	int quality;              /* lc_resample quality; LC_BRIDGE_QUALITY_DEFAULT for routes */
};

struct lc_bridge_stats {
	uint32_t state;           /* enum lc_bridge_state */
	double fill_frames;       /* filtered fill level, producer frames */
	double target_frames;
	double ratio_ppm;         /* controller's correction: (input frames consumed per
	                             output frame) / nominal - 1, in ppm; > 0 when the
	                             producer's clock runs fast */
	uint64_t frames_in, frames_out;   /* pushed (accepted) / pulled */
	uint64_t underruns;       /* pulls that found the FIFO short (silence was output) */
	uint64_t overruns;        /* pushes that found the FIFO full (frames dropped) */
	uint64_t resyncs;         /* primes after start (each underrun/overrun recovery) */
	/* Added to the fixed part above: */
	double applied_ppm;       /* the ratio in force at the last pull (quantized), same unit */
	double offset_ppm;        /* the controller's estimate of the clock offset (its integral
	                             part: ratio_ppm without the proportional jitter), ppm */
	uint64_t frames_consumed; /* producer frames taken out of the FIFO (resampled or trimmed) */
};

/*
 * @param out receives the bridge (NULL on failure)
 * @param cfg channels, rates and quality in their ranges; 1 <= target_frames;
 *            2 * target_frames <= capacity_frames <= LC_BRIDGE_MAX_CAPACITY_FRAMES
 * @return 0, LC_E_INVALID or LC_E_NO_MEMORY.
 */
int
lc_bridge_create(struct lc_bridge **out, const struct lc_bridge_config *cfg);

/* Frees the bridge; NULL is a no-op.  Neither thread may be inside a call. */
void
lc_bridge_destroy(struct lc_bridge *b);

/* Producer thread only.  Returns frames accepted (< n only when the FIFO is full: counted
 * as one overrun, the rest dropped, and the consumer re-primes at its next pull). */
uint32_t
lc_bridge_push(struct lc_bridge *b, const float *frames, uint32_t n);

/* Consumer thread only.  Always writes exactly n frames: silence while priming or on
 * underrun (an underrun outputs what the FIFO had, then silence).  A pull needs about
 * n * in_hz / out_hz producer frames in the FIFO: keep that below the target (minus the
 * producer's chunk) or pulls underrun. */
void
lc_bridge_pull(struct lc_bridge *b, float *out, uint32_t n);

/* Any thread, any time (atomics; values may be from slightly different moments). */
void
lc_bridge_stats(const struct lc_bridge *b, struct lc_bridge_stats *st);

/* Any thread: ask for a fresh start (prime again, history forgotten); the consumer
 * performs it at its next pull.  For device restarts. */
void
lc_bridge_restart(struct lc_bridge *b);

/* Added latency at the target: target plus the resampler's delay, in consumer frames. */
uint32_t
lc_bridge_latency_frames(const struct lc_bridge *b);

/* Producer thread (or any, as a hint): frames a push would accept now. */
uint32_t
lc_bridge_space_frames(const struct lc_bridge *b);

/* Consumer thread (or any, as a hint): producer frames in the FIFO now, unfiltered. */
uint32_t
lc_bridge_fill_frames(const struct lc_bridge *b);

#endif /* LC_BRIDGE_H */
