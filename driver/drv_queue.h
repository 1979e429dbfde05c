/* SPDX-License-Identifier: MIT */
/*
 * drv_queue.h — the buffers (WAVEHDR) a stream holds, in submit order, as they were
 * when the client submitted them.
 *
 * A WAVEHDR stays in the client's memory while it is queued, and the client can
 * write to it at any time (a bug, or a hostile program).  So everything the driver
 * needs from a header is read once, at WODM_WRITE / WIDM_ADDBUFFER, into an entry
 * here: the buffer pointer, its length, the loop flags and count.  The pump works
 * from the entry only; the header itself is written when it goes back to the client,
 * and nothing in it is read after submit.  How much was recorded into a buffer is the
 * driver's count too, written to dwBytesRecorded when the buffer returns.
 *
 * Entries are numbered by sequence (seq); an entry's slot is seq modulo a power-of-two
 * capacity that grows as needed.  The owning stream's lock guards the queue.
 *
 *   [done ..... sent ........ head ............ tail)
 *    └ being    └ waiting to   └ queued: the stream's (playing, recording, waiting)
 *      handed     be handed
 *      back       back
 *
 * A buffer leaves the queue by moving `head` past it; it is then handed back to the
 * client in order (drv_stream.h: "Returning buffers"): `sent` counts those whose
 * return has begun, `done` those whose callback has returned.
 */
#ifndef DRV_QUEUE_H
#define DRV_QUEUE_H

#include <windows.h>
#include <mmsystem.h>
#include <stdint.h>

struct drv_queue_entry {
	WAVEHDR *hdr;      /* the client's header: only written, when it returns */
	BYTE *data;        /* lpData at submit */
	uint32_t length;   /* dwBufferLength at submit */
	DWORD flags;       /* dwFlags at submit (WHDR_BEGINLOOP, WHDR_ENDLOOP: playback) */
	DWORD loops;       /* dwLoops at submit (playback; winmm does not copy it) */
	uint32_t recorded; /* bytes recorded into it (recording) */
	uint64_t end_pos;  /* playback: one past the last timeline frame written from it */
};

struct drv_queue {
	struct drv_queue_entry *entries;
	uint64_t cap;  /* a power of two */
	uint64_t done; /* buffers handed back so far (their callback returned) */
	uint64_t sent; /* the oldest entry whose return has not begun */
	uint64_t head; /* the oldest entry still queued */
	uint64_t tail; /* one past the newest */
};

/* @return 0 or LC_E_NO_MEMORY. */
int drv_queue_init(struct drv_queue *q);
void drv_queue_free(struct drv_queue *q);

/* Appends a copy of *entry, growing the queue if needed.  @return 0 or LC_E_NO_MEMORY. */
int drv_queue_push(struct drv_queue *q, const struct drv_queue_entry *entry);

/* The entry numbered seq (sent <= seq < tail). */
static inline struct drv_queue_entry *drv_queue_at(const struct drv_queue *q, uint64_t seq)
{
	return &q->entries[seq & (q->cap - 1)];
}

static inline uint64_t drv_queue_count(const struct drv_queue *q)
{
	return q->tail - q->head;
}

/* The entry for a header the client submits: what the driver needs, read once. */
struct drv_queue_entry drv_queue_entry_from(WAVEHDR *hdr);

#endif /* DRV_QUEUE_H */
