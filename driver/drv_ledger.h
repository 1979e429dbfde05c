/* SPDX-License-Identifier: MIT */
/*
 * drv_ledger.h — a playback stream's account of what it wrote to its ring.
 *
 * Every chunk written is one segment: where on the timeline it landed, how many frames,
 * which queue entry and byte it came from, the loop state then, and the client bytes
 * written before it.  The stream's position (GETPOS) is read from it — the bytes of
 * every segment the timeline has passed, in proportion inside the one playing — and a
 * pause or a BREAKLOOP rewinds with it: they find the segment playing at "now" and
 * resume writing from exactly the byte (and loop iteration) the listener is at.
 *
 * Segments live in a ring whose capacity (a power of two) grows as needed; those
 * wholly in the past are forgotten except the newest, which carries the total.
 * The owning stream's lock guards it.
 */
#ifndef DRV_LEDGER_H
#define DRV_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

struct drv_ledger_seg {
	uint64_t pos;          /* timeline frame of its first frame */
	uint64_t bytes_before; /* client bytes written before it since open/reset */
	uint64_t seq;          /* the queue entry it was written from */
	uint64_t loop_seq;     /* loop state when written: where a rewind resumes */
	uint32_t loops_left;
	uint32_t frames;       /* cable frames */
	uint32_t byte;         /* offset in the entry's buffer of its first frame */
	uint32_t bytes;        /* client bytes these frames came from */
};

struct drv_ledger {
	struct drv_ledger_seg *segs;
	uint64_t cap, head, tail; /* segments [head, tail), numbered like queue entries */
	uint64_t bytes_written;   /* client bytes in the ledger so far (since open/reset) */
};

/* @return 0 or LC_E_NO_MEMORY. */
int drv_ledger_init(struct drv_ledger *ledger);
void drv_ledger_free(struct drv_ledger *ledger);

/* Forgets every segment and the byte count (a reset). */
void drv_ledger_clear(struct drv_ledger *ledger);

static inline struct drv_ledger_seg *drv_ledger_at(const struct drv_ledger *ledger, uint64_t n)
{
	return &ledger->segs[n & (ledger->cap - 1)];
}

/* Appends a segment (bytes_before filled in here).  False if out of memory: the
 * caller stops writing, and the pump retries later. */
bool drv_ledger_append(struct drv_ledger *ledger, const struct drv_ledger_seg *seg);

/* Counts `bytes` more client bytes into the newest segment if it came from entry
 * `seq` (the tail of a buffer that is not a whole frame: not heard, but counted in the
 * position, as on Windows). */
void drv_ledger_add_tail_bytes(struct drv_ledger *ledger, uint64_t seq, uint32_t bytes);

/* Forgets segments wholly in the past, keeping the newest. */
void drv_ledger_prune(struct drv_ledger *ledger, uint64_t now);

/* The segment playing at `now` or the first one still to play; tail if every segment
 * is in the past. */
uint64_t drv_ledger_find(const struct drv_ledger *ledger, uint64_t now);

/* Client bytes of `seg` heard by `now` (all of them once it has played through). */
uint32_t drv_ledger_seg_bytes_at(const struct drv_ledger_seg *seg, uint64_t now);

/* Bytes played by `now`: exact at equal rates, proportional inside a segment through a
 * resampler. */
uint64_t drv_ledger_played_bytes(const struct drv_ledger *ledger, uint64_t now);

/* Cuts the ledger at segment n: keeps `heard` bytes of it (0: drops it too), drops
 * every later one, and sets the byte count to match. */
void drv_ledger_cut(struct drv_ledger *ledger, uint64_t n, uint64_t cut_pos, uint32_t heard);

#endif /* DRV_LEDGER_H */
