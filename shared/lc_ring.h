/* SPDX-License-Identifier: MIT */
/*
 * lc_ring.h — one writer's ring of canonical float32 frames, indexed by timeline frame.
 *
 * Owns: the published window [start, end) of struct lc_shm_ring_ctl, the write policy
 * (late and early data), retract, and torn-free reads.  Does not own: the clock
 * (lc_clock.h: callers pass "now" as a frame), where rings live and who owns them
 * (lc_shm.h hands out a struct lc_ring for a claimed writer slot), mixing (lc_mix.h),
 * counters and levels (lc_meter.h: the ring only calls into them).
 *
 * Position is the truth (BlackHole): a ring has no read or write pointer of its own.
 * Frame f lives at slot f & mask; readers and writers agree because they agree on the
 * timeline.  A range that crosses the end of the storage is two copies.
 *
 *   storage (n_frames slots)     |....#######################.......|
 *                                      ^ start & mask          ^ end & mask
 *   timeline      ... start ───── valid frames ───── end (writer cursor) ... now+N-guard
 *
 * Write policy (one writer per ring; "now" is the current timeline frame, N the ring
 * length, lead = lead_frames, guard = guard_frames; every write goes to the cursor):
 *
 *   state / condition             cursor (where the data goes)    counted
 *   ---------------------------   ------------------------------  ------------------------
 *   unprimed (new, reset,         max(end, now + lead); the gap   nothing
 *     retracted)                  from end is silence
 *   primed, end >= now            end (contiguous)                nothing
 *   primed, end < now (late)      now + lead; [end, now + lead)   underflows += 1,
 *     = underflow                 is silence                      underflow_frames += gap
 *   cursor + n > now + N - guard  the first (now + N - guard -    overflows += 1,
 *     = overflow (too far ahead)  cursor) frames are written, the overflow_frames +=
 *                                 rest is refused: returned count refused frames
 *                                 is short, the driver waits
 *
 * A window beyond the timeline (end > now + 2N: no write of this writer can have put
 * it there; another process did) is repaired by the writer: lc_ring_cursor and
 * lc_ring_writable answer as for an empty, unprimed ring, and lc_ring_write resets it
 * (seq + 1) and writes at now + lead, counting nothing.  Otherwise such a window would
 * stall the writer until the timeline reached it (days, for a hostile value).
 *
 * The guard keeps the writer from overwriting frames a reader lagging up to `guard`
 * frames behind "now" may still be copying; lc_ring_writable() says how much fits, so a
 * well-behaved driver never triggers overflow.  A gap of N frames or more restarts the
 * window at the cursor instead of writing silence.
 *
 * Memory orders (the writer is one thread; readers any number, in any process):
 *   - publish:  data stores, then end = new_end (release).  Readers load end (acquire),
 *               so every frame below the end they saw is visible.
 *   - overwrite: start = new_start (relaxed), then a release fence, then the data
 *               stores.  A reader copies, issues an acquire fence and reloads start: if
 *               its copy saw any overwritten sample, the fences pair and it sees the new
 *               start, so it drops the frames below it.
 *   - retract/reset: end (relaxed), then seq + 1 (release: orders end before seq), then a
 *               release fence before any later data store.  Readers load seq first
 *               (acquire) and again after the copy: a change means retry.
 *   No state is ever "odd": a writer that dies mid-write leaves a window readers can
 *   still use, never one they wait on.
 *
 * The payload itself is plain float stores and loads, racing by design (seqlock): the
 * control words above decide which copied frames count.  Under ThreadSanitizer the
 * payload loops are excluded (lc_ring.c, LC_RING_PAYLOAD_*); every control word stays
 * checked.
 */
#ifndef LC_RING_H
#define LC_RING_H

#include <stdint.h>

#include "lc_shm_layout.h"

#define LC_RING_PRIMED 1u  /* lc_shm_ring_ctl.flags: next write continues at end */
#define LC_RING_TRIES 4u   /* lc_ring_read attempts before giving up on a busy ring */
#define LC_RING_MAX_POS (UINT64_C(1) << 62) /* positions beyond are corrupt */

/* Process-local view of one ring; made by lc_ring_view_init() or lc_shm_writer_ring(). */
struct lc_ring {
	struct lc_shm_ring_ctl *ctl;
	float *data;                         /* n_frames * n_channels floats */
	struct lc_shm_meter *meter;          /* writer's meter; NULL: nothing counted */
	const _Atomic uint64_t *owner_state; /* slot state word; NULL: no ownership check */
	uint64_t owner_word;                 /* what owner_state must hold while ours */
	uint32_t n_frames;                   /* power of two */
	uint32_t mask;                       /* n_frames - 1 */
	uint32_t n_channels;
	uint32_t rate_hz;      /* for meter ballistics */
	uint32_t lead_frames;  /* cursor lead after underflow / on start; <= n_frames / 8 */
	uint32_t guard_frames; /* distance kept from readers; n_frames / 4 */
};

/* A range of timeline frames [from, to); empty when from == to. */
struct lc_ring_span {
	uint64_t from;
	uint64_t to;
};

/*
 * Builds a view over caller-provided control block and storage (storage is the caller's:
 * PortAudio style).  lead = min(rate_hz / 100, n_frames / 8) (10 ms), guard =
 * n_frames / 4; the caller may lower lead_frames afterwards.  meter and owner left NULL.
 * @return 0, or LC_E_INVALID (n_frames not a power of two in LC_RING_MIN..MAX_FRAMES,
 *         n_channels 0 or > LC_MAX_CHANNELS, rate_hz 0 or > LC_RATE_MAX_HZ, NULL).
 */
int
lc_ring_view_init(struct lc_ring *ring, struct lc_shm_ring_ctl *ctl, float *data,
		  uint32_t n_frames, uint32_t n_channels, uint32_t rate_hz);

/* Writer: empties the ring (start = end = 0, seq + 1) and unprimes it. */
void
lc_ring_reset(const struct lc_ring *ring);

/* Writer: where the next write at "now" would go (the policy table, without writing). */
uint64_t
lc_ring_cursor(const struct lc_ring *ring, uint64_t now);

/* Writer: frames a write at "now" can take without overflow (0 when ahead enough). */
uint32_t
lc_ring_writable(const struct lc_ring *ring, uint64_t now);

/*
 * Writer: appends n_frames interleaved frames from src (NULL: silence) at the cursor,
 * following the policy table, and updates the writer's meter.
 * @param pos  if not NULL, receives the timeline frame of the first frame written: the
 *             driver returns a buffer (WOM_DONE) once now >= pos + accepted frames.
 * @return frames accepted (<= n_frames; short on overflow), or LC_E_STATE when the slot
 *         is no longer ours, LC_E_INVALID for now >= LC_RING_MAX_POS, LC_E_CORRUPT when
 *         the control block was found inconsistent (it is reset; call again).
 */
int
lc_ring_write(const struct lc_ring *ring, uint64_t now, const float *src, uint32_t n_frames,
	      uint64_t *pos);

/*
 * Writer: takes back every frame at or beyond pos (pause, reset, rewind).  Unprimes the
 * ring, so the next write starts at max(end, now + lead) without counting an underflow.
 * @return frames taken back, or LC_E_STATE when the slot is no longer ours.
 */
int
lc_ring_retract(const struct lc_ring *ring, uint64_t pos);

/*
 * Reader, zero-copy (PortAudio's two-region idea): lc_ring_read_begin() takes a snapshot
 * of the window and points at the stored frames of [lo, hi) = [from, from + n_frames)
 * intersected with it: data1 holds n1 frames from lo, data2 the n2 that wrap to the
 * start of the storage.  The caller consumes them (they may be overwritten while it
 * does), then lc_ring_read_end() says how much of what it consumed is trustworthy.
 */
struct lc_ring_region {
	uint64_t lo, hi;     /* timeline frames covered; empty when lo == hi */
	const float *data1;  /* frames [lo, lo + n1) */
	const float *data2;  /* frames [lo + n1, hi) */
	uint32_t n1, n2;
	uint64_t seq;        /* ring seq at begin */
};

/* @return hi - lo (>= 0); LC_E_INVALID (from >= LC_RING_MAX_POS); LC_E_CORRUPT for a
 *         window no writer could publish (region empty). */
int
lc_ring_read_begin(const struct lc_ring *ring, uint64_t from, uint32_t n_frames,
		   struct lc_ring_region *rg);

/*
 * After consuming a region: if frames below rg->lo + k were overwritten meanwhile,
 * raises rg->lo past them (drop what was consumed below the new lo).
 * @return frames of [rg->lo, rg->hi) that were not torn; LC_E_STATE if the ring was
 *         retracted or reset meanwhile (nothing consumed can be trusted: start over).
 */
int
lc_ring_read_end(const struct lc_ring *ring, struct lc_ring_region *rg);

/*
 * Reader: copies timeline frames [from, from + n_frames) into dst (n_frames * n_channels
 * floats).  Frames outside the valid part are zeroes; *valid (if not NULL) says which
 * part holds written data.  Never returns frames torn by a concurrent overwrite or retract.
 * @return valid frames; LC_E_STATE when the ring changed under LC_RING_TRIES attempts
 *         (dst is all zeroes); LC_E_CORRUPT for an inconsistent window (dst zeroes).
 */
int
lc_ring_read(const struct lc_ring *ring, uint64_t from, uint32_t n_frames, float *dst,
	     struct lc_ring_span *valid);

/*
 * Reader, one attempt: acc[i] += gain * frame data over the valid part of [from, from +
 * n_frames) (acc as in lc_ring_read).  The mixer's fast path: no copy.
 * @return valid frames added; LC_E_STATE if a concurrent overwrite or retract may have
 *         torn what was added (acc is then polluted in *valid: start the mix again);
 *         LC_E_CORRUPT for an inconsistent window (nothing added).
 */
int
lc_ring_add(const struct lc_ring *ring, uint64_t from, uint32_t n_frames, float gain,
	    float *acc, struct lc_ring_span *valid);

/*
 * As lc_ring_add, but acc = gain * frame data over the valid part and 0 everywhere else
 * (the first source of a mix: saves zeroing acc and reading it back).  On LC_E_CORRUPT
 * acc is untouched; on LC_E_STATE it holds a torn first term.
 */
int
lc_ring_store(const struct lc_ring *ring, uint64_t from, uint32_t n_frames, float gain,
	      float *acc, struct lc_ring_span *valid);

#endif /* LC_RING_H */
