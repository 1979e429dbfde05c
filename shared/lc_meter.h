/* SPDX-License-Identifier: MIT */
/*
 * lc_meter.h — per-slot counters and per-channel peak levels in shared memory.
 *
 * Owns: the meaning of struct lc_shm_meter (lc_shm_layout.h), how its owner updates it
 * and how a panel reads it.  Does not own: where meters live (one per writer and reader
 * slot, lc_shm.h), who calls the updates (lc_ring.c for writers, lc_mix.c for readers,
 * the driver for the counters only it can see).
 *
 * Writers of a meter: only the slot's owner (one thread) updates it; everybody else only
 * reads.  Every field is a relaxed atomic: a panel wants each number to be a value that
 * was really stored, not a consistent snapshot of all of them.
 *
 * Counters (monotonic, uint64, never reset while the slot is claimed):
 *
 *   field             writer slot                       reader slot
 *   frames            frames accepted into the ring     frames mixed for the client
 *   underflows        late writes (lc_ring.h policy)    client had no buffer (driver)
 *   underflow_frames  silence frames inserted           frames the client missed
 *   overflows         writes refused as too far ahead   reads older than the ring holds
 *   overflow_frames   frames refused                    frames lost
 *   clipped           client samples beyond +-1.0       mixed samples beyond +-1.0, plus
 *                                                       what lc_conv counts (driver)
 *
 * Peaks (ballistics: instant attack, exponential release of LC_METER_DECAY_DB_PER_S):
 *   peak[ch] holds the level *at* timeline frame peak_pos.  On each block the owner
 *   stores max(decayed previous level, block peak) and sets peak_pos to the block's end.
 *   A panel reads at display rate with lc_meter_level(ch, now): the stored level decayed
 *   by (now - peak_pos), so a slot that stops producing falls to silence without its
 *   owner doing anything.  A peak-hold marker is a display matter (the panel keeps its
 *   own maximum and timestamp).  peak[] and peak_pos are separate atomics: a panel may
 *   pair a level with the position of the next block, one block (a few ms) off, which is
 *   invisible at display rate.
 */
#ifndef LC_METER_H
#define LC_METER_H

#include <stdint.h>

#include "lc_shm_layout.h"

#define LC_METER_DECAY_DB_PER_S 20.0f /* release rate: -20 dB in one second */

struct lc_meter_counts {
	uint64_t frames;
	uint64_t underflows;
	uint64_t underflow_frames;
	uint64_t overflows;
	uint64_t overflow_frames;
	uint64_t clipped;
	uint64_t buffer_bytes; /* the client's latest buffer size */
};

/* Zeroes every counter and level (the new owner does this while claiming). */
void
lc_meter_reset(struct lc_shm_meter *meter);

/*
 * Per-channel peak (max |x|) of an interleaved block into peaks[0..n_channels); NaN
 * samples are ignored, +-Inf count as Inf.  Returns how many samples lie beyond +-1.0.
 * n_channels 1..LC_MAX_CHANNELS.  Pure: no shared memory.
 */
uint32_t
lc_meter_block_peaks(const float *interleaved, uint32_t n_frames, uint32_t n_channels,
		     float *peaks);

/*
 * Owner only.  Folds a block into the meter: peaks (see the ballistics above, with the
 * block ending at timeline frame end_pos of a rate_hz cable), clipped += samples beyond
 * +-1.0, frames += n_frames.  n_channels above LC_MAX_CHANNELS is clamped.
 */
void
lc_meter_update(struct lc_shm_meter *meter, const float *interleaved, uint32_t n_frames,
		uint32_t n_channels, uint64_t end_pos, uint32_t rate_hz);

/* Owner only: the counters the table above assigns to the driver or the ring. */
void
lc_meter_count_underflow(struct lc_shm_meter *meter, uint64_t n_frames);
void
lc_meter_count_overflow(struct lc_shm_meter *meter, uint64_t n_frames);
void
lc_meter_add_clipped(struct lc_shm_meter *meter, uint64_t n_samples);
void
lc_meter_add_frames(struct lc_shm_meter *meter, uint64_t n_frames);
/* Owner only: the size of the buffer the client just handed over (shown by panels). */
void
lc_meter_set_buffer_bytes(struct lc_shm_meter *meter, uint64_t n_bytes);

/*
 * Any process, display rate: the level of channel ch at timeline frame now_pos (0 for a
 * channel out of range).  Hostile bits (NaN, negative) read as 0; +Inf reads as +Inf.
 */
float
lc_meter_level(const struct lc_shm_meter *meter, uint32_t ch, uint64_t now_pos,
	       uint32_t rate_hz);

/* level decayed over age_frames at rate_hz: level * 10^(-DECAY/20 * seconds). */
float
lc_meter_decay(float level, uint64_t age_frames, uint32_t rate_hz);

/* Any process: every counter (each one individually atomic). */
void
lc_meter_read_counts(const struct lc_shm_meter *meter, struct lc_meter_counts *out);

#endif /* LC_METER_H */
