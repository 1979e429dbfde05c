/* SPDX-License-Identifier: MIT */
/*
 * lc_clock.h — the cable timeline: performance-counter ticks <-> cable frames.
 *
 * Owns: the integer arithmetic that turns (now_ticks - epoch_ticks) into a frame
 * position at a cable's rate, and back.  Does not own: reading the counter (the
 * driver's QueryPerformanceCounter, driver/drv_shm_win32.c) or where the epoch is
 * stored (struct lc_shm_header, lc_shm_layout.h).
 *
 * Why integers only: every process, 32- or 64-bit, must compute the *same* frame for the
 * same tick value, or writers and readers disagree about "now".  The elapsed ticks are
 * split into whole seconds and a remainder, so no intermediate product exceeds 2^63:
 *
 *   frames = secs * rate + (rem * rate) / hz        secs = elapsed / hz, rem = elapsed % hz
 *            └ < 2^64 for ~1.5 million years at      └ rem < hz <= LC_CLOCK_MAX_HZ (1e12),
 *              384 kHz (saturates beyond)              rate <= 384000: product < 2^59
 *
 * which equals floor(elapsed * rate / hz) exactly, so the result is monotonic in
 * now_ticks.  Ticks before the epoch map to frame 0 (the timeline never goes negative).
 */
#ifndef LC_CLOCK_H
#define LC_CLOCK_H

#include <stdint.h>

#define LC_CLOCK_MAX_HZ UINT64_C(1000000000000) /* 1 THz: far above any QPC rate */

/* A timeline as every process sees it: copied from the section header. */
struct lc_clock {
	uint64_t epoch_ticks; /* counter value of frame 0 */
	uint64_t tick_hz;     /* counter frequency, 1..LC_CLOCK_MAX_HZ */
};

/*
 * Checks a timeline read from shared memory.
 * @return 0, or LC_E_INVALID if tick_hz is 0 or above LC_CLOCK_MAX_HZ.
 */
int
lc_clock_check(const struct lc_clock *clock);

/*
 * The cable frame at now_ticks: floor((now_ticks - epoch) * rate_hz / tick_hz), 0 before
 * the epoch, UINT64_MAX if it would not fit (not reachable within a million years).
 * rate_hz must be 1..LC_RATE_MAX_HZ and the clock checked; otherwise 0.
 * Pure function: any thread, any process.
 */
uint64_t
lc_clock_frame_at(const struct lc_clock *clock, uint64_t now_ticks, uint32_t rate_hz);

/*
 * The first tick value at which lc_clock_frame_at() reaches frame: the inverse, rounded
 * up, for timers ("wake me when frame f has played").  UINT64_MAX if it would not fit.
 * Same argument rules as lc_clock_frame_at().
 */
uint64_t
lc_clock_ticks_at(const struct lc_clock *clock, uint64_t frame, uint32_t rate_hz);

/* Ticks that n_frames last at rate_hz, rounded up (UINT64_MAX if it would not fit). */
uint64_t
lc_clock_ticks_for(const struct lc_clock *clock, uint64_t n_frames, uint32_t rate_hz);

#endif /* LC_CLOCK_H */
