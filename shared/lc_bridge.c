/* SPDX-License-Identifier: MIT */
/*
 * lc_bridge.c — FIFO, priming, recovery and ratio application (the contract is in
 * lc_bridge.h; the controller is lc_drift.c).
 *
 * The FIFO: capacity frames of interleaved floats and two positions in [0, 2 * capacity),
 * the write one owned by the producer, the read one by the consumer (counting to twice the
 * size tells full from empty without a spare frame):
 *
 *   fill = (wpos - rpos) mod 2 * capacity          frame index = pos mod capacity
 *
 * Memory orders: the producer copies frames, then stores wpos with release; the consumer
 * loads wpos with acquire before reading them.  Symmetrically the consumer stores rpos
 * with release after it has read the frames, and the producer loads it with acquire
 * before overwriting them.  Everything else (flags, statistics) is relaxed: each value is
 * meaningful alone, or is acted on after an acquire of a position that orders it.
 */
#include "lc_bridge.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lc_drift.h"
#include "lc_fmt.h"
#include "lc_result.h"
#include "lc_steer.h"

struct lc_bridge {
	uint32_t channels, in_hz, out_hz, target, capacity;
	double nominal; /* in_hz / out_hz */
	uint32_t latency_frames;
	float *fifo;

	_Atomic uint32_t wpos, rpos;
	_Atomic uint32_t restart_req;  /* any thread sets, consumer clears */
	_Atomic uint32_t overrun_flag; /* producer sets, consumer clears */

	/* Consumer only. */
	struct lc_resample *rs;
	struct lc_drift drift;
	uint32_t state;
	int started;        /* primed once since create/restart: later primes are resyncs */
	struct lc_steer steer; /* the ratio in force and what its quantization owes */
	double want;        /* the ratio the controller asks for, input per output frame */
	uint32_t excess_run; /* consumer frames pulled in a row with the fill far too high */
	uint32_t settle_run; /* consumer frames pulled in a row with enough to prime */

	/* Statistics: written by their owning thread, read by any (relaxed). */
	_Atomic uint32_t st_state;
	_Atomic uint64_t st_fill_bits, st_ratio_bits, st_applied_bits, st_offset_bits;
	_Atomic uint64_t frames_in, frames_out, frames_consumed;
	_Atomic uint64_t underruns, overruns, resyncs;
};

static uint64_t
double_bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return u;
}

static double
bits_double(uint64_t u)
{
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

static int
rate_ok(uint32_t hz)
{
	return hz >= LC_FMT_MIN_RATE_HZ && hz <= LC_FMT_MAX_RATE_HZ;
}

int
lc_bridge_create(struct lc_bridge **out, const struct lc_bridge_config *cfg)
{
	struct lc_bridge *b;
	int err;

	if (out == NULL)
		return LC_E_INVALID;
	*out = NULL;
	if (cfg == NULL || cfg->channels == 0 || cfg->channels > LC_FMT_MAX_CHANNELS ||
	    !rate_ok(cfg->in_hz) || !rate_ok(cfg->out_hz) || cfg->target_frames == 0 ||
	    cfg->capacity_frames > LC_BRIDGE_MAX_CAPACITY_FRAMES ||
	    cfg->capacity_frames / 2 < cfg->target_frames ||
	    cfg->quality < LC_RESAMPLE_QUALITY_MIN || cfg->quality > LC_RESAMPLE_QUALITY_MAX)
		return LC_E_INVALID;

	b = calloc(1, sizeof(*b));
	if (b == NULL)
		return LC_E_NO_MEMORY;
	b->fifo = calloc((size_t)cfg->capacity_frames * cfg->channels, sizeof(float));
	if (b->fifo == NULL) {
		free(b);
		return LC_E_NO_MEMORY;
	}
	err = lc_resample_create(&b->rs, cfg->channels, cfg->in_hz, cfg->out_hz, cfg->quality);
	if (err != 0) {
		free(b->fifo);
		free(b);
		return err;
	}
	b->channels = cfg->channels;
	b->in_hz = cfg->in_hz;
	b->out_hz = cfg->out_hz;
	b->target = cfg->target_frames;
	b->capacity = cfg->capacity_frames;
	b->nominal = (double)cfg->in_hz / cfg->out_hz;
	b->want = b->nominal;
	b->latency_frames = (uint32_t)((double)cfg->target_frames * cfg->out_hz / cfg->in_hz +
				       0.5) +
			    lc_resample_latency_frames(b->rs);
	lc_drift_init(&b->drift, cfg->in_hz, cfg->out_hz, cfg->target_frames);
	b->state = LC_BRIDGE_PRIMING;
	atomic_init(&b->wpos, 0);
	atomic_init(&b->rpos, 0);
	atomic_init(&b->st_fill_bits, double_bits(cfg->target_frames));
	*out = b;
	return 0;
}

void
lc_bridge_destroy(struct lc_bridge *b)
{
	if (b == NULL)
		return;
	lc_resample_destroy(b->rs);
	free(b->fifo);
	free(b);
}

static uint32_t
fill_of(const struct lc_bridge *b, uint32_t wpos, uint32_t rpos)
{
	return wpos >= rpos ? wpos - rpos : wpos + 2 * b->capacity - rpos;
}

static uint32_t
advance(const struct lc_bridge *b, uint32_t pos, uint32_t n)
{
	pos += n;
	return pos >= 2 * b->capacity ? pos - 2 * b->capacity : pos;
}

uint32_t
lc_bridge_space_frames(const struct lc_bridge *b)
{
	uint32_t r = atomic_load_explicit(&b->rpos, memory_order_acquire);
	uint32_t w = atomic_load_explicit(&b->wpos, memory_order_relaxed);

	return b->capacity - fill_of(b, w, r);
}

uint32_t
lc_bridge_fill_frames(const struct lc_bridge *b)
{
	uint32_t w = atomic_load_explicit(&b->wpos, memory_order_acquire);
	uint32_t r = atomic_load_explicit(&b->rpos, memory_order_relaxed);

	return fill_of(b, w, r);
}

uint32_t
lc_bridge_push(struct lc_bridge *b, const float *frames, uint32_t n)
{
	uint32_t w = atomic_load_explicit(&b->wpos, memory_order_relaxed);
	uint32_t r = atomic_load_explicit(&b->rpos, memory_order_acquire);
	uint32_t space = b->capacity - fill_of(b, w, r);
	uint32_t k = n < space ? n : space;
	uint32_t idx = w >= b->capacity ? w - b->capacity : w;
	uint32_t first = b->capacity - idx < k ? b->capacity - idx : k;
	size_t ch = b->channels;

	if (k > 0) {
		memcpy(b->fifo + idx * ch, frames, first * ch * sizeof(float));
		memcpy(b->fifo, frames + first * ch, (k - first) * ch * sizeof(float));
	}
	atomic_store_explicit(&b->wpos, advance(b, w, k), memory_order_release);
	atomic_fetch_add_explicit(&b->frames_in, k, memory_order_relaxed);
	if (k < n) {
		atomic_fetch_add_explicit(&b->overruns, 1, memory_order_relaxed);
		atomic_store_explicit(&b->overrun_flag, 1, memory_order_relaxed);
	}
	return k;
}

void
lc_bridge_restart(struct lc_bridge *b)
{
	atomic_store_explicit(&b->restart_req, 1, memory_order_relaxed);
}

uint32_t
lc_bridge_latency_frames(const struct lc_bridge *b)
{
	return b->latency_frames;
}

static void
apply_ratio(struct lc_bridge *b, uint32_t n)
{
	lc_steer_apply(&b->steer, b->rs, b->want, b->nominal, n);
}

/* Runs the resampler on the FIFO's frames from rpos: returns frames produced (<= n). */
static uint32_t
resample_from_fifo(struct lc_bridge *b, uint32_t *rpos, uint32_t avail, float *out, uint32_t n,
		   uint32_t *consumed)
{
	size_t ch = b->channels;
	uint32_t produced = 0;

	*consumed = 0;
	while (produced < n && avail > 0) {
		uint32_t idx = *rpos >= b->capacity ? *rpos - b->capacity : *rpos;
		uint32_t in_n = b->capacity - idx < avail ? b->capacity - idx : avail;
		uint32_t out_n = n - produced;

		(void)lc_resample_process(b->rs, b->fifo + idx * ch, &in_n, out + produced * ch,
					  &out_n);
		if (in_n == 0 && out_n == 0)
			break;
		*rpos = advance(b, *rpos, in_n);
		avail -= in_n;
		*consumed += in_n;
		produced += out_n;
	}
	return produced;
}

static void
publish(struct lc_bridge *b, uint32_t n)
{
	atomic_store_explicit(&b->st_state, b->state, memory_order_relaxed);
	atomic_store_explicit(&b->st_fill_bits, double_bits(lc_drift_fill_frames(&b->drift)),
			      memory_order_relaxed);
	atomic_store_explicit(&b->st_ratio_bits, double_bits(lc_drift_correction(&b->drift)),
			      memory_order_relaxed);
	atomic_store_explicit(&b->st_offset_bits, double_bits(lc_drift_offset(&b->drift)),
			      memory_order_relaxed);
	atomic_fetch_add_explicit(&b->frames_out, n, memory_order_relaxed);
}

/* Fresh start: the FIFO's frames are dropped, the resampler's history and the
 * controller's estimate forgotten. */
static void
restart_now(struct lc_bridge *b, uint32_t *rpos, uint32_t wpos)
{
	atomic_fetch_add_explicit(&b->frames_consumed, fill_of(b, wpos, *rpos),
				  memory_order_relaxed);
	*rpos = wpos;
	atomic_store_explicit(&b->rpos, *rpos, memory_order_release);
	(void)lc_resample_reset(b->rs); /* on LC_E_NO_MEMORY the old history plays out */
	lc_drift_start(&b->drift, 0);
	lc_steer_reset(&b->steer);
	b->want = b->nominal;
	b->started = 0;
	b->excess_run = 0;
	b->settle_run = 0;
	b->state = LC_BRIDGE_PRIMING;
}

/*
 * A step up in the fill that the controller could only work off at its slew limit, over
 * minutes: a side that stalled and then delivered its backlog at once, or a device that
 * took its start-up buffer in one go.  The rule of the bridge is that recovery may jump
 * once, so a fill beyond the target by more than LC_BRIDGE_JUMP_MS (or the target, if
 * larger) plus this pull, for LC_BRIDGE_JUMP_AFTER_MS of pulls in a row, trims back to
 * the target like a new start (a resync).  Ordinary jitter stays far below it.
 */
static int
excess_persists(struct lc_bridge *b, uint32_t avail, uint32_t n)
{
	double margin = (double)b->in_hz * LC_BRIDGE_JUMP_MS / 1000.0;
	double limit = b->target + (margin > b->target ? margin : b->target) + n * b->want;

	if ((double)avail <= limit) {
		b->excess_run = 0;
		return 0;
	}
	b->excess_run += n;
	if ((uint64_t)b->excess_run * 1000 < (uint64_t)b->out_hz * LC_BRIDGE_JUMP_AFTER_MS)
		return 0;
	b->excess_run = 0;
	return 1;
}

void
lc_bridge_pull(struct lc_bridge *b, float *out, uint32_t n)
{
	uint32_t rpos = atomic_load_explicit(&b->rpos, memory_order_relaxed);
	uint32_t wpos = atomic_load_explicit(&b->wpos, memory_order_acquire);
	uint32_t avail, consumed, produced;
	size_t ch = b->channels;

	if (n == 0)
		return;
	if (atomic_exchange_explicit(&b->restart_req, 0, memory_order_relaxed))
		restart_now(b, &rpos, wpos);
	if (atomic_exchange_explicit(&b->overrun_flag, 0, memory_order_relaxed) &&
	    b->state == LC_BRIDGE_RUNNING)
		b->state = LC_BRIDGE_PRIMING; /* the FIFO is full: trim back to the target */
	avail = fill_of(b, wpos, rpos);
	if (b->state == LC_BRIDGE_RUNNING && excess_persists(b, avail, n))
		b->state = LC_BRIDGE_PRIMING; /* jump back to the target once */

	if (b->state == LC_BRIDGE_PRIMING) {
		/* Prime so that the fill is at the target half-way through this pull, where
		 * the controller measures it: the loop starts with no error to work off. */
		double need_f = b->target + 0.5 * n * b->want + 0.5;
		uint32_t need = need_f > b->capacity ? b->capacity : (uint32_t)need_f;

		/* At the first start, enough must have been there for LC_BRIDGE_SETTLE_MS
		 * of pulls in a row: a side's start-up burst (a recorder handing over what
		 * it already had, a device filling its host buffer) passes first, and the
		 * trim takes it off instead of leaving it in the fill as a step.  A
		 * recovery primes at once: its gap is already audible. */
		if (avail < need)
			b->settle_run = 0;
		else
			b->settle_run += n;
		if (avail < need ||
		    (!b->started &&
		     (uint64_t)b->settle_run * 1000 < (uint64_t)b->out_hz * LC_BRIDGE_SETTLE_MS)) {
			/* While it settles, what is beyond the target goes, as the prime
			 * would take it: the FIFO never fills up waiting. */
			if (avail > need) {
				atomic_fetch_add_explicit(&b->frames_consumed, avail - need,
							  memory_order_relaxed);
				rpos = advance(b, rpos, avail - need);
				atomic_store_explicit(&b->rpos, rpos, memory_order_release);
			}
			memset(out, 0, n * ch * sizeof(float));
			publish(b, n);
			return;
		}
		b->settle_run = 0;
		atomic_fetch_add_explicit(&b->frames_consumed, avail - need,
					  memory_order_relaxed);
		rpos = advance(b, rpos, avail - need);
		avail = need;
		lc_drift_start(&b->drift, b->started);
		b->want = b->nominal * (1.0 + lc_drift_correction(&b->drift));
		if (b->started)
			atomic_fetch_add_explicit(&b->resyncs, 1, memory_order_relaxed);
		b->started = 1;
		b->state = LC_BRIDGE_RUNNING;
	}

	apply_ratio(b, n);
	atomic_store_explicit(&b->st_applied_bits,
			      double_bits(lc_resample_ratio(b->rs) / b->nominal - 1.0),
			      memory_order_relaxed);
	produced = resample_from_fifo(b, &rpos, avail, out, n, &consumed);
	atomic_store_explicit(&b->rpos, rpos, memory_order_release);
	atomic_fetch_add_explicit(&b->frames_consumed, consumed, memory_order_relaxed);
	if (produced < n) {
		memset(out + produced * ch, 0, (n - produced) * ch * sizeof(float));
		atomic_fetch_add_explicit(&b->underruns, 1, memory_order_relaxed);
		b->state = LC_BRIDGE_PRIMING;
	} else {
		/* The mid-point of this pull stands for the fill averaged over time: right
		 * after a pull the FIFO is at its lowest, and about `consumed` frames arrive
		 * before the next one. */
		double mid = (double)(avail - consumed) + 0.5 * consumed;

		b->want = b->nominal * (1.0 + lc_drift_update(&b->drift, mid, n));
	}
	publish(b, n);
}

void
lc_bridge_stats(const struct lc_bridge *b, struct lc_bridge_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->state = atomic_load_explicit(&b->st_state, memory_order_relaxed);
	st->fill_frames =
		bits_double(atomic_load_explicit(&b->st_fill_bits, memory_order_relaxed));
	st->target_frames = b->target;
	st->ratio_ppm =
		1e6 * bits_double(atomic_load_explicit(&b->st_ratio_bits, memory_order_relaxed));
	st->applied_ppm =
		1e6 * bits_double(atomic_load_explicit(&b->st_applied_bits, memory_order_relaxed));
	st->offset_ppm =
		1e6 * bits_double(atomic_load_explicit(&b->st_offset_bits, memory_order_relaxed));
	st->frames_in = atomic_load_explicit(&b->frames_in, memory_order_relaxed);
	st->frames_out = atomic_load_explicit(&b->frames_out, memory_order_relaxed);
	st->frames_consumed = atomic_load_explicit(&b->frames_consumed, memory_order_relaxed);
	st->underruns = atomic_load_explicit(&b->underruns, memory_order_relaxed);
	st->overruns = atomic_load_explicit(&b->overruns, memory_order_relaxed);
	st->resyncs = atomic_load_explicit(&b->resyncs, memory_order_relaxed);
}
