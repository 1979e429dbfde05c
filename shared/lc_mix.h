/* SPDX-License-Identifier: MIT */
/*
 * lc_mix.h — the pull mixer: what a reader hears on a cable for a range of frames.
 *
 * Owns: summing every active writer's valid frames, per-writer and per-cable and
 * per-reader volume/mute, the reader's peak meter and over-full-scale count.  Does not
 * own: converting the float mix to the client's format (the driver, with lc_conv.h),
 * channel mapping (lc_chmap.h), ring validity (lc_ring.h), gains' storage (lc_shm.h).
 *
 * out[f][c] = reader_gain * cable_gain * sum over active writers w (in slot order) of
 *             writer_gain(w) * frame(w, f, c), where a frame no one wrote is 0.
 *
 * Readers modify nothing in shared memory but their own slot's meter.  The sum takes one
 * writer at a time straight from its ring (lc_ring_store for the first, lc_ring_add for
 * the others: vectorized loops, AVX2 where the CPU has it); if a
 * concurrent overwrite or retract may have torn what was added, the whole mix starts
 * again (up to LC_MIX_TRIES times), and a writer that tears twice is left out of this
 * read.  Summation order is fixed (slot 0 first), so the result is deterministic: with
 * unit gains two writers mix to exactly a + b.
 */
#ifndef LC_MIX_H
#define LC_MIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lc_shm.h"

#define LC_MIX_TRIES 4u
/* Sections besides the reader's own that one read may take writers from. */
#define LC_MIX_MAX_PEERS 3u

struct lc_mix_stats {
	uint32_t n_writers;  /* active, unmuted writers whose rings were looked at */
	uint32_t n_attempts; /* 1 unless something tore */
	uint32_t n_excluded; /* writers left out after tearing twice, or corrupt */
	uint32_t n_corrupt;  /* slots or windows that failed validation (also counted in shm) */
};

/*
 * Mixes cable frames [from, from + n_frames) into out (n_frames * the cable's channel
 * count floats, interleaved).  reader: the caller's claimed reader slot on that cable,
 * whose volume applies and whose meter is updated (peaks, clipped, frames); NULL mixes
 * anonymously (unit reader gain, no meter).  Call with from + n_frames <= now: frames
 * ahead of now may still be retracted.
 * @return n_frames; LC_E_INVALID (arguments, n_frames > LC_RING_MAX_FRAMES);
 *         LC_E_STATE (the reader slot is not ours, or the rings kept changing: out is
 *         silence); LC_E_CORRUPT (the header changed since open: out is silence).
 */
int
lc_mix_read(struct lc_shm *shm, const struct lc_slot *reader, uint32_t cable, uint64_t from,
	    uint32_t n_frames, float *out, struct lc_mix_stats *stats);

/*
 * lc_mix_read, with the writers of the same cable in other sections added: the
 * generations of the configuration that are still alive (drv_shm.h).  A cable whose
 * rate and channels did not change between two generations is one cable: a reader of
 * either hears the writers of both.  Peers that are not compatible
 * (lc_mix_peer_compatible), NULL, shm itself, or fail lc_shm_verify add nothing.
 * The cable's and the reader's gains are those of shm.
 * @return as lc_mix_read; LC_E_INVALID also for n_peers > LC_MIX_MAX_PEERS.
 */
int
lc_mix_read_peers(struct lc_shm *shm, const struct lc_slot *reader, uint32_t cable,
		  struct lc_shm *const *peers, uint32_t n_peers, uint64_t from, uint32_t n_frames,
		  float *out, struct lc_mix_stats *stats);

/* Whether cable `cable` of a and b is the same cable: both exist, same timeline (epoch
 * and counter frequency), same rate and channel count (names and ring lengths may
 * differ). */
bool
lc_mix_peer_compatible(const struct lc_shm *a, const struct lc_shm *b, uint32_t cable);

/*
 * The oldest frame a reader can still get at "now" (older ones may be overwritten: a
 * driver whose reader is behind counts the gap with lc_meter_count_overflow and skips).
 */
uint64_t
lc_mix_horizon(const struct lc_shm *shm, uint32_t cable, uint64_t now);

/* buf[i] *= gain (vectorizable). */
void
lc_mix_scale(float *buf, size_t n_samples, float gain);

#endif /* LC_MIX_H */
