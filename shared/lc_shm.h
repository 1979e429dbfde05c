/* SPDX-License-Identifier: MIT */
/*
 * lc_shm.h — create, validate and use the shared-memory section in memory the caller
 * mapped.  Never maps anything, never calls the OS.
 *
 * Owns: the section geometry (lc_shm_size_for), init and open/validate, the slot life
 * cycle (claim, release, reclaim of dead owners), panel window registration, the event
 * log and sequence, volume/mute storage, the retire flag.  Does not own: the bytes'
 * layout (lc_shm_layout.h), ring protocol (lc_ring.h), mixing (lc_mix.h), meters
 * (lc_meter.h), event packing (lc_event.h), mapping the section, process liveness and
 * reading the performance counter (the driver: drv_shm_win32.c, drv_reaper.c).
 *
 * Trust model.  Another process may write any byte at any time.  So:
 *   - lc_shm_open() validates everything (magic, version, sizes, counts, every offset
 *     and length, recomputed from the configuration) once, reading each shared field
 *     once, and keeps the validated geometry in the process-local struct lc_shm.  From
 *     then on every address is computed from that snapshot, never from shared bytes.
 *   - What stays in shared memory and changes (slot states, ring windows, volumes,
 *     levels) is re-validated where used; a bad value makes that operation fail with
 *     LC_E_CORRUPT (or skip that slot), and is counted in shm->n_corrupt and in the
 *     header's corrupt_events.  lc_shm_verify() re-checks the header against the
 *     snapshot; slot operations and lc_mix_read() call it.
 *
 * Threads: one struct lc_shm may be shared by all threads of a process; the functions
 * are thread-safe except where "owner" is said (one thread per claimed slot).
 *
 * Slot life cycle (state word drawn in lc_shm_layout.h):
 *   claim: CAS FREE(g) -> CLAIMING(pid, g + 1); publish owner start time; reset format,
 *          volume, meter (and ring); store ACTIVE(pid, g + 1) with release.
 *   release (owner): CAS ACTIVE(ours) -> FREE.  Fails with LC_E_STATE if reclaimed.
 *   reclaim: the driver lists owners (lc_shm_owners), asks the OS which are dead, and
 *          passes them back (lc_shm_reclaim): each slot whose owner matches is CASed from
 *          the exact state word it was read with to FREE, so a slot that changed hands
 *          in between is never freed.
 */
#ifndef LC_SHM_H
#define LC_SHM_H

#include <stdbool.h>
#include <stdint.h>

#include "lc_clock.h"
#include "lc_meter.h"
#include "lc_ring.h"
#include "lc_shm_layout.h"

#define LC_GAIN_MAX 16.0f /* +24 dB: larger volumes read from shared memory are clamped */
#define LC_SHM_MAX_OWNERS (LC_MAX_CABLES * (LC_WRITER_SLOTS + LC_READER_SLOTS) + LC_PANEL_SLOTS)

/* --- configuration ------------------------------------------------------------------ */

struct lc_shm_cable_config {
	char name[LC_NAME_BYTES]; /* NUL-terminated */
	uint32_t rate_hz;         /* LC_RATE_MIN_HZ..LC_RATE_MAX_HZ */
	uint32_t n_channels;      /* 1..LC_MAX_CHANNELS */
	uint32_t ring_frames;     /* power of two, LC_RING_MIN_FRAMES..LC_RING_MAX_FRAMES */
};

struct lc_shm_config {
	uint32_t n_cables; /* 1..LC_MAX_CABLES */
	struct lc_shm_cable_config cables[LC_MAX_CABLES];
};

#define LC_SHM_DEFAULT_CABLES 2u
#define LC_SHM_DEFAULT_RATE_HZ 48000u
#define LC_SHM_DEFAULT_CHANNELS 2u
#define LC_SHM_DEFAULT_RING_FRAMES 16384u /* 341 ms at 48 kHz; section ~8 MiB */

/* 2 cables "LoopCable 1", "LoopCable 2", 48 kHz stereo, 16384-frame rings. */
void
lc_shm_config_default(struct lc_shm_config *cfg);

/* @return 0, or LC_E_INVALID naming no field: any range, a name without NUL, or a
 *         section larger than LC_SHM_MAX_BYTES. */
int
lc_shm_config_check(const struct lc_shm_config *cfg);

/* Bytes the section needs for cfg; 0 if lc_shm_config_check() rejects it. */
uint64_t
lc_shm_size_for(const struct lc_shm_config *cfg);

/* --- the process-local handle -------------------------------------------------------- */

/* Validated geometry (treat as read-only; filled by lc_shm_init/lc_shm_open). */
struct lc_shm {
	uint8_t *base;
	uint64_t mapped_bytes;
	uint64_t section_bytes;
	struct lc_clock clock;
	uint32_t config_generation;
	uint32_t n_cables;
	struct lc_shm_cable_desc cables[LC_MAX_CABLES]; /* computed, not copied */
	_Atomic uint64_t n_corrupt; /* validation failures seen by this process */
};

/*
 * Creator: formats a fresh section at base (mapped_bytes long) for cfg and the timeline
 * clock, then opens it into shm.  The magic is stored last (release), so an opener that
 * sees it sees a complete section.
 * base must be 64-byte aligned (a mapped view is).
 * @return 0; LC_E_INVALID (cfg, clock, NULL, misaligned base); LC_E_TOO_SMALL
 *         (mapped_bytes < size_for).
 */
int
lc_shm_init(struct lc_shm *shm, void *base, uint64_t mapped_bytes,
	    const struct lc_shm_config *cfg, const struct lc_clock *clock,
	    uint32_t config_generation);

/*
 * Opener: validates the section at base (64-byte aligned) and fills shm.
 * @return 0; LC_E_INVALID (NULL, misaligned base); LC_E_STATE (magic still 0: the creator is initializing, retry);
 *         LC_E_VERSION (another ABI version); LC_E_TOO_SMALL (mapping shorter than the
 *         header or than section_bytes); LC_E_CORRUPT (anything else inconsistent).
 */
int
lc_shm_open(struct lc_shm *shm, void *base, uint64_t mapped_bytes);

/* Re-checks the header and cable descriptors against the snapshot.
 * @return 0 or LC_E_CORRUPT (counted). */
int
lc_shm_verify(struct lc_shm *shm);

/* Counts one validation failure (process-local and in the header). */
void
lc_shm_count_corrupt(struct lc_shm *shm);

/* Retire: a newer section (config_generation + 1) replaces this one; clients reopen. */
void
lc_shm_retire(struct lc_shm *shm);
int
lc_shm_is_retired(const struct lc_shm *shm);

/* --- slots ---------------------------------------------------------------------------- */

enum lc_slot_kind { LC_SLOT_WRITER = 1, LC_SLOT_READER = 2, LC_SLOT_PANEL = 3 };

/* A claimed slot, process-local.  word is the ACTIVE state word that proves ownership. */
struct lc_slot {
	uint32_t kind; /* enum lc_slot_kind */
	uint32_t cable;
	uint32_t index;
	uint32_t reserved;
	uint64_t word;
};

/* The client's format, as the driver's struct lc_fmt gives it (field order of enum
 * lc_shm_fmt_field). */
struct lc_shm_fmt {
	uint32_t tag;
	uint32_t sample;
	uint32_t rate_hz;
	uint32_t n_channels;
	uint32_t bits;
	uint32_t valid_bits;
	uint32_t channel_mask;
	uint32_t block_align;
};

/* A process: its id and its start time (FILETIME of creation; never 0 for a real one). */
struct lc_owner {
	uint32_t pid;
	uint32_t reserved;
	uint64_t start_time; /* 0 in lc_shm_owners: not yet published (see lc_shm_reclaim) */
};

/*
 * Claims a free writer or reader slot of cable for the process (pid, start_time), both
 * non-zero, with the client's format (NULL: zeroes).  Volume 1, unmuted, counters zero;
 * a writer's ring is empty and unprimed.
 * @return the slot index; LC_E_NO_SLOT; LC_E_INVALID; LC_E_CORRUPT (section damaged).
 */
int
lc_shm_claim(struct lc_shm *shm, enum lc_slot_kind kind, uint32_t cable, uint32_t pid,
	     uint64_t start_time, const struct lc_shm_fmt *fmt, struct lc_slot *out);

/* Owner: frees a claimed slot (panel slots too).  @return 0, LC_E_STATE (not ours any
 * more: reclaimed), LC_E_INVALID, LC_E_CORRUPT. */
int
lc_shm_release(struct lc_shm *shm, const struct lc_slot *slot);

/* @return 0 if the slot still holds our state word, LC_E_STATE if not, LC_E_INVALID. */
int
lc_shm_slot_check(const struct lc_shm *shm, const struct lc_slot *slot);

/* Owner: replaces the stored client format (format change). */
int
lc_shm_set_format(struct lc_shm *shm, const struct lc_slot *slot, const struct lc_shm_fmt *fmt);

/* A writer's ring, for its owner: counts into the slot's meter, checks ownership. */
int
lc_shm_writer_ring(const struct lc_shm *shm, const struct lc_slot *slot, struct lc_ring *out);

/* Any writer slot's ring for reading (no meter, no owner): the mixer's view. */
int
lc_shm_ring_view(const struct lc_shm *shm, uint32_t cable, uint32_t index, struct lc_ring *out);

/* Snapshot of one slot for a panel.  state is LC_SLOT_FREE/CLAIMING/ACTIVE. */
struct lc_slot_info {
	uint32_t state;
	uint32_t pid;
	uint64_t start_time; /* 0 while unpublished */
	struct lc_shm_fmt fmt;
	float volume;
	uint32_t mute;
	struct lc_meter_counts counts;
};

/* @return 0; LC_E_INVALID (kind/cable/index); LC_E_CORRUPT (bad state word, counted);
 *         LC_E_STATE (the slot changed hands while being read: ask again). */
int
lc_shm_slot_info(struct lc_shm *shm, enum lc_slot_kind kind, uint32_t cable, uint32_t index,
		 struct lc_slot_info *info);

/* Pointers into the section, computed from the snapshot; NULL when out of range. */
struct lc_shm_cable *
lc_shm_cable_at(const struct lc_shm *shm, uint32_t cable);
struct lc_shm_writer *
lc_shm_writer_at(const struct lc_shm *shm, uint32_t cable, uint32_t index);
struct lc_shm_reader *
lc_shm_reader_at(const struct lc_shm *shm, uint32_t cable, uint32_t index);

/* --- dead owners ---------------------------------------------------------------------- */

/*
 * Every distinct owner of an occupied slot (any kind, any cable), at most cap of them.
 * start_time is 0 for a claim whose start time is not yet published.
 * @return the number written, LC_E_TOO_SMALL if there were more than cap.
 */
int
lc_shm_owners(struct lc_shm *shm, struct lc_owner *out, uint32_t cap);

/*
 * Frees every slot whose owner is in dead[]: an entry matches a slot with the same pid
 * and the same start time as lc_shm_owners() reports it, never the pid alone.  An entry
 * with start_time 0 matches only claims whose start time is still unpublished (pass it
 * only when the OS says no process has that pid): a slot with a published start time
 * is never freed by it, since its owner may be a newer process that got the pid.  A
 * slot that changes state while being examined is left alone.  Safe against live owners
 * and other reclaimers running at the same time.
 * @return slots freed, or LC_E_INVALID / LC_E_CORRUPT.
 */
int
lc_shm_reclaim(struct lc_shm *shm, const struct lc_owner *dead, uint32_t n_dead);

/* --- panel windows -------------------------------------------------------------------- */

/* Registers a panel window (HWND as an integer) for (pid, start_time).
 * @return the slot index; LC_E_NO_SLOT; LC_E_INVALID (hwnd/pid/start 0); LC_E_CORRUPT. */
int
lc_shm_panel_register(struct lc_shm *shm, uint64_t hwnd, uint32_t pid, uint64_t start_time,
		      struct lc_slot *out);

/* Owner: same as lc_shm_release(). */
int
lc_shm_panel_unregister(struct lc_shm *shm, const struct lc_slot *slot);

/* Registered windows, at most cap.  @return the number written, LC_E_CORRUPT. */
int
lc_shm_panel_list(struct lc_shm *shm, uint64_t *hwnds, uint32_t cap);

/* A registered window and the process whose slot names it: events go to the window
 * only if that process owns it (the driver asks the OS; any process can write a slot). */
struct lc_panel_target {
	uint64_t hwnd;
	uint32_t pid;
	uint32_t reserved;
};

/* As lc_shm_panel_list, with each slot's owner.  @return the number written,
 * LC_E_INVALID, LC_E_CORRUPT. */
int
lc_shm_panel_targets(struct lc_shm *shm, struct lc_panel_target *out, uint32_t cap);

/* --- events --------------------------------------------------------------------------- */

/* Bumps the event sequence and logs packed (lc_event_pack) with the new number's low
 * bits (lc_event_with_seq) under that number, which it returns; the driver posts
 * lc_event_with_seq(packed, seq).  A panel that misses a post finds it here by number. */
uint32_t
lc_shm_event_post(struct lc_shm *shm, uint32_t packed);

/* The current event sequence number (0: nothing posted yet). */
uint32_t
lc_shm_event_seq(const struct lc_shm *shm);

/* @return 0 and *packed; LC_E_STATE when seq is not in the log (too old or not yet). */
int
lc_shm_event_get(const struct lc_shm *shm, uint32_t seq, uint32_t *packed);

/* --- volume ----------------------------------------------------------------------------- */

/* Any process (panel or owner): volume 0..LC_GAIN_MAX (linear), mute 0/1. */
int
lc_shm_set_volume(struct lc_shm *shm, enum lc_slot_kind kind, uint32_t cable, uint32_t index,
		  float volume, uint32_t mute);
int
lc_shm_cable_set_volume(struct lc_shm *shm, uint32_t cable, float volume, uint32_t mute);

/* Whether any writer slot of any cable is taken (claiming or active): an older
 * generation without writers has nothing left for other generations' readers. */
bool
lc_shm_has_writers(const struct lc_shm *shm);

/* Whether any writer or reader slot is taken (panel slots do not count). */
bool
lc_shm_has_clients(const struct lc_shm *shm);

/* A cable's volume and mute from another section (a settings change keeps what the user
 * set).  Values read from src are validated: @return 0, LC_E_INVALID (either cable out
 * of range), LC_E_CORRUPT (src holds no valid pair; counted, dst unchanged). */
int
lc_shm_cable_copy_volume(struct lc_shm *dst, uint32_t dst_cable, struct lc_shm *src,
			 uint32_t src_cable);

/*
 * The effective linear gain of a (volume, mute) pair read from shared memory: 0 when
 * muted; a NaN, negative or mute value other than 0/1 reads as 0 and is counted;
 * volumes above LC_GAIN_MAX are clamped.
 */
float
lc_shm_gain(struct lc_shm *shm, const _Atomic uint32_t *volume, const _Atomic uint32_t *mute);

#endif /* LC_SHM_H */
