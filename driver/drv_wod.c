/* SPDX-License-Identifier: MIT */
/*
 * drv_wod.c — wodMessage: the playback ("wave out") side of every cable.
 *
 * A playback stream owns a writer slot of its cable.  Buffers (WAVEHDR) are converted
 * into the slot's ring — canonical float at the cable's rate — as soon as they arrive
 * and there is room, starting a little ahead of the cable's "now" (lc_ring.h); a
 * buffer is done (WOM_DONE) once the timeline has passed the last frame written from
 * it.  Readers hear the ring; no thread here "plays" anything.
 *
 * Per-stream state (under stream.lock):
 *
 *   queue   [head_seq ............ fill_seq ........ tail_seq)   entries in write order
 *            └ written, waiting     └ being written    └ queued, not written yet
 *              for the timeline       (fill_bytes in)
 *
 *   paused: nothing is written; the frames written beyond "now" were taken back
 *   (lc_ring_retract) and fill_seq/fill_bytes rewound to the first unplayed byte.
 *
 * The ledger: every chunk written to the ring is one segment {timeline position,
 * frames, the entry and byte it came from, the loop state, client bytes before it}.
 * Position (GETPOS) is read from it, and pause and BREAKLOOP rewind with it: they find
 * the segment playing at "now", take back the ring beyond, and resume writing exactly
 * where the listener is — inside a loop too.
 *
 * Loops: the entry with WHDR_BEGINLOOP starts a loop that ends with the entry holding
 * WHDR_ENDLOOP; winmm does not copy dwLoops, so loops_left is our own counter.  Entries
 * of a running loop stay queued until its last iteration has played.  BREAKLOOP lets
 * the iteration being heard finish and takes back later ones already written.
 *
 * Not here: the message plumbing shared with recording (drv_stream.c), callbacks
 * (drv_notify.c), the pump thread (drv_pump.c).
 */
#include <windows.h>
#include <mmsystem.h>
#include <mmddk.h>
#include <stdlib.h>

#include "drv_caps.h"
#include "drv_panel.h"
#include "drv_result.h"
#include "drv_shm.h"
#include "drv_stream.h"
#include "drv_trace.h"
#include "lc_event.h"
#include "lc_mix.h"
#include "lc_result.h"

/* How far ahead of "now" buffers are written: far enough that a late pump never
 * starves the cable, near enough that pause/reset/breakloop take effect quickly. */
#define WRITE_AHEAD_MS 200
/* Where the first frame of a stream lands, after "now": the driver's whole added
 * latency on the playback side.  It must cover converting one buffer. */
#define LEAD_US 500
/* Re-check interval while waiting for ring room (the ring frees with time). */
#define ROOM_WAIT_MS 2
/* A closed stream keeps its slot this long past the last frame it wrote: readers
 * pull up to "now" a few milliseconds late (drv_wid.c reads every READ_PERIOD_MS),
 * and must still find the tail of what was played. */
#define DRAIN_MS 50

#define NO_LOOP UINT64_MAX

struct out_entry {
	WAVEHDR *hdr;
	uint64_t end_pos; /* one past the last frame written from it (last iteration) */
};

/* One chunk written to the ring: the ledger entry described at the top. */
struct out_seg {
	uint64_t pos;          /* timeline frame of its first frame */
	uint64_t bytes_before; /* client bytes written before it since open/reset */
	uint64_t seq;          /* the entry it was written from */
	uint64_t loop_seq;     /* loop state when written: where a rewind resumes */
	DWORD loops_left;
	uint32_t frames;       /* cable frames */
	uint32_t byte;         /* offset in the entry's buffer of its first frame */
	uint32_t bytes;        /* client bytes these frames came from */
};

struct wave_out {
	struct drv_stream s;
	struct lc_ring ring;
	struct out_entry *q; /* ring buffer of entries, q_cap a power of two */
	uint64_t q_cap, head_seq, fill_seq, tail_seq;
	uint32_t fill_bytes;
	uint64_t loop_seq;
	DWORD loops_left;
	struct out_seg *segs; /* the ledger, a ring buffer; seg_cap a power of two */
	uint64_t seg_cap, seg_head, seg_tail;
	uint64_t bytes_written; /* client bytes in the ledger so far (since open/reset) */
	bool paused;
	uint64_t paused_at;  /* the frame "now" froze at */
	uint32_t ahead_frames;
	uint64_t last_end;   /* one past the last frame written since the last rewind (0: none) */
	uint64_t heard_end;  /* one past the last frame readers may still pull (drain) */
	bool draining;       /* closed; the slot is kept until drain_until */
	uint64_t drain_until;
};

#define ENTRY(w, seq) (&(w)->q[(seq) & ((w)->q_cap - 1)])
#define SEG(w, n) (&(w)->segs[(n) & ((w)->seg_cap - 1)])

/* A done buffer to call back about, collected under the lock, called outside it. */
struct done_list {
	WAVEHDR *hdr[64];
	uint32_t n;
};

static struct wave_out *out_of(struct drv_pump_item *item)
{
	return (struct wave_out *)item;
}

static uint64_t now_frame(const struct wave_out *w)
{
	return drv_shm_frame_at(w->s.shm, w->s.cable, drv_shm_now_ticks());
}

/* Moves done entries to `done` (flags set); stops at the first still playing, at the
 * loop being repeated, or when `done` is full. */
static void collect_done(struct wave_out *w, uint64_t now, struct done_list *done)
{
	while (w->head_seq < w->fill_seq && done->n < ARRAYSIZE(done->hdr)) {
		if (w->loop_seq != NO_LOOP && w->head_seq >= w->loop_seq)
			break;
		struct out_entry *e = ENTRY(w, w->head_seq);
		if (now < e->end_pos)
			break;
		WAVEHDR *hdr = e->hdr;
		hdr->dwFlags = (hdr->dwFlags & ~WHDR_INQUEUE) | WHDR_DONE;
		done->hdr[done->n++] = hdr;
		w->head_seq++;
	}
}

static void notify_done(struct wave_out *w, const struct done_list *done)
{
	for (uint32_t i = 0; i < done->n; i++)
		drv_stream_notify(&w->s, WOM_DONE, (DWORD_PTR)done->hdr[i]);
}

/* Finishes the entry being written; follows loops. */
static void advance_fill(struct wave_out *w)
{
	WAVEHDR *hdr = ENTRY(w, w->fill_seq)->hdr;
	/* Bytes short of a whole frame are not heard but count in the position (as on
	 * Windows): they go with the entry's last segment. */
	uint32_t rest = hdr->dwBufferLength - w->fill_bytes;
	if (rest && w->seg_tail > w->seg_head && SEG(w, w->seg_tail - 1)->seq == w->fill_seq) {
		SEG(w, w->seg_tail - 1)->bytes += rest;
		w->bytes_written += rest;
	}
	w->fill_bytes = 0;
	if ((hdr->dwFlags & WHDR_ENDLOOP) && w->loop_seq != NO_LOOP) {
		if (w->loops_left > 1) {
			w->loops_left--;
			w->fill_seq = w->loop_seq;
			return;
		}
		w->loop_seq = NO_LOOP;
	}
	w->fill_seq++;
}

static bool ledger_append(struct wave_out *w, const struct out_seg *seg);

/* Writes queued audio into the ring as far as room and the write-ahead allow.
 * Returns false when the slot is no longer ours (reclaimed: the stream is dead). */
static bool fill(struct wave_out *w, uint64_t now)
{
	uint32_t block = w->s.fmt.block_align;
	while (!w->paused && w->fill_seq < w->tail_seq) {
		uint64_t cursor = lc_ring_cursor(&w->ring, now);
		uint64_t horizon = now + w->ahead_frames;
		uint32_t room = lc_ring_writable(&w->ring, now);
		if (cursor >= horizon || room == 0)
			break;
		if (horizon - cursor < room)
			room = (uint32_t)(horizon - cursor);
		if (room > w->s.cable_buf_frames)
			room = w->s.cable_buf_frames;

		struct out_entry *e = ENTRY(w, w->fill_seq);
		WAVEHDR *hdr = e->hdr;
		if (w->fill_bytes == 0 && (hdr->dwFlags & WHDR_BEGINLOOP) && w->loop_seq == NO_LOOP) {
			w->loop_seq = w->fill_seq;
			w->loops_left = hdr->dwLoops ? hdr->dwLoops : 1;
		}
		uint32_t left = (hdr->dwBufferLength - w->fill_bytes) / block;
		if (left == 0) {
			/* Nothing (more) to play: done when the timeline reaches the cursor. */
			if (w->fill_bytes == 0)
				e->end_pos = cursor;
			advance_fill(w);
			continue;
		}
		uint32_t in = left, out = room;
		uint32_t want = lc_pipeline_in_for_out(w->s.pipeline, room);
		if (in > want)
			in = want;
		lc_pipeline_write(w->s.pipeline, (const BYTE *)hdr->lpData + w->fill_bytes, &in,
				  w->s.cable_buf, &out);
		if (out > 0) {
			/* "now" again, after converting: the cursor's lead over readers is
			 * half a millisecond, and converting a large buffer takes a while. */
			uint64_t pos;
			int written = lc_ring_write(&w->ring, now_frame(w), w->s.cable_buf, out, &pos);
			if (written == LC_E_STATE)
				return false;
			if (written < 0)
				break;
			if (w->last_end && pos > w->last_end) {
				DRV_WARN("cable %u writer %u: underflow, %llu frames of silence before %llu",
					 w->s.cable, w->s.slot.index,
					 (unsigned long long)(pos - w->last_end), (unsigned long long)pos);
				if (drv_panel_due(&w->s.last_xrun_post, drv_shm_now_ticks()))
					drv_stream_event(&w->s, lc_event_pack(LC_EVENT_UNDERFLOW,
									      w->s.cable, w->s.slot.index,
									      LC_EVENT_KIND_WRITER));
			}
			e->end_pos = pos + (uint32_t)written;
			w->last_end = e->end_pos;
			w->heard_end = e->end_pos;
			if (!ledger_append(w, &(struct out_seg){
					.pos = pos, .frames = (uint32_t)written, .seq = w->fill_seq,
					.byte = w->fill_bytes, .bytes = in * block,
					.loop_seq = w->loop_seq, .loops_left = w->loops_left }))
				break;
		}
		w->fill_bytes += in * block;
		if (in == 0 && out == 0)
			break;
		if (w->fill_bytes + block > hdr->dwBufferLength)
			advance_fill(w);
	}
	return true;
}

/* Appends a segment (bytes_before filled in here).  False if out of memory: the
 * caller stops writing, and the pump retries later. */
static bool ledger_append(struct wave_out *w, const struct out_seg *seg)
{
	if (w->seg_tail - w->seg_head == w->seg_cap) {
		uint64_t cap = w->seg_cap * 2;
		struct out_seg *segs = malloc(cap * sizeof(*segs));
		if (!segs)
			return false;
		for (uint64_t n = w->seg_head; n < w->seg_tail; n++)
			segs[n & (cap - 1)] = *SEG(w, n);
		free(w->segs);
		w->segs = segs;
		w->seg_cap = cap;
	}
	struct out_seg *at = SEG(w, w->seg_tail++);
	*at = *seg;
	at->bytes_before = w->bytes_written;
	w->bytes_written += seg->bytes;
	return true;
}

/* Forgets segments wholly in the past, keeping the newest (it carries the total). */
static void ledger_prune(struct wave_out *w, uint64_t now)
{
	while (w->seg_tail - w->seg_head >= 2 && SEG(w, w->seg_head + 1)->pos <= now)
		w->seg_head++;
}

/* The segment playing at `now` or the first one still to play; seg_tail if every
 * segment is in the past. */
static uint64_t ledger_find(const struct wave_out *w, uint64_t now)
{
	uint64_t n = w->seg_head;
	while (n < w->seg_tail && now >= SEG(w, n)->pos + SEG(w, n)->frames)
		n++;
	return n;
}

/* Client bytes of `seg` heard by `now` (all of them once it has played through). */
static uint32_t seg_bytes_at(const struct out_seg *seg, uint64_t now)
{
	if (now <= seg->pos)
		return 0;
	if (now >= seg->pos + seg->frames)
		return seg->bytes;
	return (uint32_t)((now - seg->pos) * seg->bytes / seg->frames);
}

/* Bytes played so far: everything the timeline has passed (exact at equal rates,
 * proportional inside a segment through a resampler). */
static uint64_t played_bytes(const struct wave_out *w, uint64_t now)
{
	uint64_t n = ledger_find(w, now);
	if (n == w->seg_tail)
		return w->bytes_written;
	const struct out_seg *seg = SEG(w, n);
	return seg->bytes_before + seg_bytes_at(seg, now);
}

/* Takes back everything from segment n on (or from the part of it after `now`), and
 * makes writing resume where that audio came from. */
static void ledger_rewind(struct wave_out *w, uint64_t n, uint64_t now)
{
	if (n == w->seg_tail)
		return;
	struct out_seg *seg = SEG(w, n);
	uint32_t block = w->s.fmt.block_align;
	uint32_t heard = seg_bytes_at(seg, now);
	heard -= heard % block;
	if (heard >= seg->bytes)
		heard = seg->bytes;
	w->fill_seq = seg->seq;
	w->fill_bytes = seg->byte + heard;
	w->loop_seq = seg->loop_seq;
	w->loops_left = seg->loops_left;
	uint64_t cut = now > seg->pos ? now : seg->pos;
	if (heard > 0) {
		seg->frames = (uint32_t)(cut - seg->pos);
		seg->bytes = heard;
		n++;
	}
	w->seg_tail = n;
	w->bytes_written = seg->bytes_before + heard;
	lc_ring_retract(&w->ring, cut);
	lc_pipeline_reset(w->s.pipeline);
	/* What follows a rewind is not late: no underflow for the gap (a pause).  What
	 * was written before the cut may still be on its way to readers. */
	w->last_end = 0;
	if (w->heard_end > cut)
		w->heard_end = cut;
	/* Entries of the rewound part get their end when written again; one that is
	 * finished (all its frames heard) still ends at the cut. */
	if (w->fill_bytes + block > ENTRY(w, w->fill_seq)->hdr->dwBufferLength)
		ENTRY(w, w->fill_seq)->end_pos = cut;
}

static uint64_t service(struct drv_pump_item *item, uint64_t now_ticks)
{
	struct wave_out *w = out_of(item);
	struct done_list done = { .n = 0 };
	uint64_t next = DRV_PUMP_IDLE;
	struct lc_shm *shm = w->s.shm;

	if (w->draining) {
		/* Closed: no client call reaches it any more, only the pump does. */
		if (drv_shm_frame_at(w->s.shm, w->s.cable, now_ticks) >= w->drain_until) {
			drv_pump_remove(item);
			return DRV_PUMP_IDLE;
		}
		return lc_clock_ticks_at(&shm->clock, w->drain_until, shm->cables[w->s.cable].rate_hz);
	}

	EnterCriticalSection(&w->s.lock);
	uint64_t now = drv_shm_frame_at(w->s.shm, w->s.cable, now_ticks);
	bool alive = fill(w, now);
	collect_done(w, now, &done);
	ledger_prune(w, now);
	if (!alive) {
		/* Our slot was reclaimed (we looked dead): nothing we write is heard.  Return
		 * the buffers rather than hang the client. */
		while (w->head_seq < w->tail_seq && done.n < ARRAYSIZE(done.hdr)) {
			WAVEHDR *hdr = ENTRY(w, w->head_seq++)->hdr;
			hdr->dwFlags = (hdr->dwFlags & ~WHDR_INQUEUE) | WHDR_DONE;
			done.hdr[done.n++] = hdr;
		}
		w->fill_seq = w->head_seq;
	} else if (!w->paused) {
		if (w->head_seq < w->fill_seq && (w->loop_seq == NO_LOOP || w->head_seq < w->loop_seq))
			next = lc_clock_ticks_at(&shm->clock, ENTRY(w, w->head_seq)->end_pos,
						 shm->cables[w->s.cable].rate_hz);
		if (w->fill_seq < w->tail_seq) {
			uint64_t retry = now_ticks + shm->clock.tick_hz * ROOM_WAIT_MS / 1000;
			if (retry < next)
				next = retry;
		}
	}
	bool more = done.n == ARRAYSIZE(done.hdr);
	drv_stream_unlock(&w->s);

	notify_done(w, &done);
	return more ? now_ticks : next;
}

static void release(struct drv_pump_item *item)
{
	struct wave_out *w = out_of(item);
	drv_stream_destroy(&w->s);
	free(w->q);
	free(w->segs);
	free(w);
}

static const struct drv_pump_ops wave_out_ops = { service, release };

static DWORD wod_open(UINT device, DWORD_PTR *user, const WAVEOPENDESC *desc, DWORD flags)
{
	struct lc_fmt fmt;
	bool query_only;
	DWORD answer = drv_stream_check_open(device, user, desc, flags, &fmt, &query_only);
	if (answer != MMSYSERR_NOERROR || query_only)
		return answer;

	struct wave_out *w = calloc(1, sizeof(*w));
	if (!w)
		return MMSYSERR_NOMEM;
	w->q_cap = 16;
	w->q = calloc(w->q_cap, sizeof(*w->q));
	w->seg_cap = 64;
	w->segs = calloc(w->seg_cap, sizeof(*w->segs));
	w->loop_seq = NO_LOOP;
	w->s.pump.ops = &wave_out_ops;
	struct drv_callback cb = { desc->dwCallback, desc->dwInstance, flags, (HANDLE)desc->hWave };
	int result = w->q && w->segs ? drv_stream_init(&w->s, DRV_STREAM_OUT, device, &fmt, &cb)
				     : LC_E_NO_MEMORY;
	if (result == 0) {
		struct lc_shm *shm = w->s.shm;
		lc_shm_writer_ring(shm, &w->s.slot, &w->ring);
		uint32_t rate = shm->cables[device].rate_hz;
		uint32_t lead = (uint32_t)((uint64_t)rate * LEAD_US / 1000000);
		if (lead < w->ring.lead_frames)
			w->ring.lead_frames = lead ? lead : 1;
		w->ahead_frames = rate * WRITE_AHEAD_MS / 1000;
		/* Never further than the ring lets a writer be ahead. */
		if (w->ahead_frames > w->ring.n_frames - w->ring.guard_frames - w->ring.lead_frames)
			w->ahead_frames = w->ring.n_frames - w->ring.guard_frames - w->ring.lead_frames;
		result = drv_stream_start(&w->s);
	}
	if (result != 0) {
		free(w->q);
		free(w->segs);
		free(w);
		return drv_result_to_mm(result);
	}
	*user = (DWORD_PTR)w;
	drv_stream_notify(&w->s, WOM_OPEN, 0);
	return MMSYSERR_NOERROR;
}

static DWORD wod_close(struct wave_out *w)
{
	EnterCriticalSection(&w->s.lock);
	bool busy = w->head_seq < w->tail_seq;
	bool drain = false;
	uint64_t until = 0;
	if (!busy) {
		w->s.closing = 1;
		/* Readers may not have pulled all that was written yet (it may even be
		 * ahead of "now"): keep the slot, and so the ring, DRAIN_MS past its last
		 * frame; the pump frees the stream then. */
		uint32_t rate = w->s.shm->cables[w->s.cable].rate_hz;
		until = w->heard_end + (uint64_t)rate * DRAIN_MS / 1000;
		drain = w->heard_end && now_frame(w) < until;
	}
	drv_stream_unlock(&w->s);
	if (busy)
		return WAVERR_STILLPLAYING;

	drv_stream_unregister(&w->s);
	/* Told before the pump may free the stream: once draining is set, the pump ends
	 * it (and frees w) as soon as the drain time is over. */
	drv_stream_closed(&w->s, WOM_CLOSE);
	if (drain) {
		EnterCriticalSection(&w->s.lock);
		w->drain_until = until;
		w->draining = true;
		drv_stream_unlock(&w->s);
		drv_pump_poke();
		return MMSYSERR_NOERROR;
	}
	if (drv_pump_remove(&w->s.pump))
		release(&w->s.pump);
	return MMSYSERR_NOERROR;
}

static DWORD wod_write(struct wave_out *w, WAVEHDR *hdr, DWORD_PTR size)
{
	if (!drv_stream_header_ok(hdr, size))
		return MMSYSERR_INVALPARAM;
	if (!(hdr->dwFlags & WHDR_PREPARED))
		return WAVERR_UNPREPARED;
	if (hdr->dwFlags & WHDR_INQUEUE)
		return WAVERR_STILLPLAYING;

	EnterCriticalSection(&w->s.lock);
	if (w->tail_seq - w->head_seq == w->q_cap) {
		/* Grow the entry ring, keeping sequence positions. */
		uint64_t cap = w->q_cap * 2;
		struct out_entry *q = calloc(cap, sizeof(*q));
		if (!q) {
			drv_stream_unlock(&w->s);
			return MMSYSERR_NOMEM;
		}
		for (uint64_t seq = w->head_seq; seq < w->tail_seq; seq++)
			q[seq & (cap - 1)] = *ENTRY(w, seq);
		free(w->q);
		w->q = q;
		w->q_cap = cap;
	}
	hdr->dwFlags = (hdr->dwFlags & (WHDR_BEGINLOOP | WHDR_ENDLOOP | WHDR_PREPARED)) | WHDR_INQUEUE;
	lc_meter_set_buffer_bytes(&lc_shm_writer_at(w->s.shm, w->s.cable, w->s.slot.index)->meter,
				  hdr->dwBufferLength);
	hdr->lpNext = NULL;
	*ENTRY(w, w->tail_seq) = (struct out_entry){ .hdr = hdr };
	w->tail_seq++;
	/* Write now, in the caller's thread: the lowest latency, and the pump only has
	 * to finish what did not fit. */
	uint64_t now_ticks = drv_shm_now_ticks();
	fill(w, drv_shm_frame_at(w->s.shm, w->s.cable, now_ticks));
	/* The pump must wake when this buffer is done — or soon, to finish writing it. */
	struct lc_shm *shm = w->s.shm;
	uint64_t due = w->fill_seq > w->tail_seq - 1
		? lc_clock_ticks_at(&shm->clock, ENTRY(w, w->tail_seq - 1)->end_pos,
				    shm->cables[w->s.cable].rate_hz)
		: now_ticks + shm->clock.tick_hz * ROOM_WAIT_MS / 1000;
	drv_stream_unlock(&w->s);
	drv_pump_poke_before(due);
	return MMSYSERR_NOERROR;
}

static DWORD wod_pause(struct wave_out *w)
{
	EnterCriticalSection(&w->s.lock);
	if (!w->paused) {
		uint64_t now = now_frame(w);
		w->paused = true;
		w->paused_at = now;
		/* Resume exactly where the listener is: nothing heard twice, nothing lost. */
		ledger_rewind(w, ledger_find(w, now), now);
	}
	drv_stream_unlock(&w->s);
	return MMSYSERR_NOERROR;
}

static DWORD wod_restart(struct wave_out *w)
{
	EnterCriticalSection(&w->s.lock);
	w->paused = false;
	fill(w, now_frame(w));
	drv_stream_unlock(&w->s);
	drv_pump_poke();
	return MMSYSERR_NOERROR;
}

static DWORD wod_reset(struct wave_out *w)
{
	struct done_list done = { .n = 0 };
	WAVEHDR *rest = NULL, **rest_tail = &rest;
	EnterCriticalSection(&w->s.lock);
	uint64_t now = now_frame(w);
	lc_ring_retract(&w->ring, now);
	lc_pipeline_reset(w->s.pipeline);
	if (w->heard_end > now)
		w->heard_end = now;
	/* All buffers go back, in order; more than one done_list's worth is chained
	 * through lpNext (ours while they are queued). */
	for (uint64_t seq = w->head_seq; seq < w->tail_seq; seq++) {
		WAVEHDR *hdr = ENTRY(w, seq)->hdr;
		hdr->dwFlags = (hdr->dwFlags & ~WHDR_INQUEUE) | WHDR_DONE;
		if (done.n < ARRAYSIZE(done.hdr)) {
			done.hdr[done.n++] = hdr;
		} else {
			hdr->lpNext = NULL;
			*rest_tail = hdr;
			rest_tail = &hdr->lpNext;
		}
	}
	w->head_seq = w->fill_seq = w->tail_seq;
	w->fill_bytes = 0;
	w->loop_seq = NO_LOOP;
	w->paused = false;
	w->seg_head = w->seg_tail = 0;
	w->bytes_written = 0;
	w->last_end = 0;
	drv_stream_unlock(&w->s);

	notify_done(w, &done);
	while (rest) {
		WAVEHDR *next = rest->lpNext;
		drv_stream_notify(&w->s, WOM_DONE, (DWORD_PTR)rest);
		rest = next;
	}
	return MMSYSERR_NOERROR;
}

static DWORD wod_break_loop(struct wave_out *w)
{
	EnterCriticalSection(&w->s.lock);
	if (w->loop_seq != NO_LOOP) {
		uint64_t now = now_frame(w);
		uint64_t loop = w->loop_seq;
		/* The iteration being heard: the playing segment's, or the first one if the
		 * loop has not started playing yet. */
		uint64_t n = ledger_find(w, now);
		DWORD current = ENTRY(w, loop)->hdr->dwLoops ? ENTRY(w, loop)->hdr->dwLoops : 1;
		if (n < w->seg_tail && SEG(w, n)->loop_seq == loop)
			current = SEG(w, n)->loops_left;
		/* A later iteration already written is taken back at its first frame. */
		uint64_t later = n;
		while (later < w->seg_tail && !(SEG(w, later)->seq == loop && SEG(w, later)->byte == 0
						 && SEG(w, later)->loops_left < current))
			later++;
		if (later < w->seg_tail) {
			uint64_t cut = SEG(w, later)->pos;
			ledger_rewind(w, later, cut);
			for (uint64_t seq = loop; seq < w->tail_seq; seq++) {
				struct out_entry *e = ENTRY(w, seq);
				if (e->end_pos > cut)
					e->end_pos = cut;
				if (e->hdr->dwFlags & WHDR_ENDLOOP) {
					w->fill_seq = seq + 1;
					w->fill_bytes = 0;
					break;
				}
			}
			w->loop_seq = NO_LOOP;
		} else {
			/* The iteration being written is the one heard: let it be the last. */
			w->loops_left = 1;
		}
		fill(w, now);
	}
	drv_stream_unlock(&w->s);
	drv_pump_poke();
	return MMSYSERR_NOERROR;
}

static DWORD wod_get_pos(struct wave_out *w, MMTIME *time, DWORD_PTR size)
{
	EnterCriticalSection(&w->s.lock);
	uint64_t bytes = played_bytes(w, w->paused ? w->paused_at : now_frame(w));
	drv_stream_unlock(&w->s);
	return drv_stream_get_pos(&w->s, time, size, bytes);
}

/* Volume words: low word left, high word right, 0xFFFF full.  We have one gain per
 * client (WAVECAPS_VOLUME without LRVOLUME), so the low word counts (waveOutSetVolume
 * docs); the word is kept to be read back unchanged. */
static DWORD wod_set_volume(struct wave_out *w, UINT device, DWORD word)
{
	float gain = (float)LOWORD(word) / 65535.0f;
	if (w) {
		w->s.volume_word = word;
		int result = lc_shm_set_volume(w->s.shm, LC_SLOT_WRITER, w->s.cable,
					       w->s.slot.index, gain, 0);
		if (result == 0)
			drv_panel_post(w->s.shm, lc_event_pack(LC_EVENT_VOLUME_CHANGED, w->s.cable,
							      w->s.slot.index, LC_EVENT_KIND_WRITER));
		return drv_result_to_mm(result);
	}
	/* By device: the cable of the current generation (the one new opens get). */
	struct lc_shm *shm = drv_shm_acquire();
	if (!shm)
		return MMSYSERR_NODRIVER;
	if (device >= shm->n_cables) {
		drv_shm_release(shm);
		return MMSYSERR_BADDEVICEID;
	}
	int result = lc_shm_cable_set_volume(shm, device, gain, 0);
	if (result == 0)
		drv_panel_post(shm, lc_event_pack(LC_EVENT_VOLUME_CHANGED, device, LC_EVENT_NO_INDEX,
						  LC_EVENT_KIND_NONE));
	/* The same cable in older generations (readers opened before a settings change)
	 * follows too. */
	struct lc_shm *peers[LC_MIX_MAX_PEERS];
	int n_peers = drv_shm_peers(shm, device, peers, LC_MIX_MAX_PEERS);
	for (int i = 0; i < n_peers; i++) {
		if (result == 0)
			lc_shm_cable_set_volume(peers[i], device, gain, 0);
		drv_shm_release(peers[i]);
	}
	drv_shm_release(shm);
	return drv_result_to_mm(result);
}

static DWORD wod_get_volume(struct wave_out *w, UINT device, DWORD *word)
{
	if (!word)
		return MMSYSERR_INVALPARAM;
	if (w) {
		*word = w->s.volume_word;
		return MMSYSERR_NOERROR;
	}
	struct lc_shm *shm = drv_shm_acquire();
	if (!shm)
		return MMSYSERR_NODRIVER;
	DWORD answer = MMSYSERR_BADDEVICEID;
	if (device < shm->n_cables) {
		struct lc_shm_cable *cable = lc_shm_cable_at(shm, device);
		float gain = lc_shm_gain(shm, &cable->ctl.volume, &cable->ctl.mute);
		DWORD level = gain >= 1.0f ? 0xFFFF : (DWORD)(gain * 65535.0f + 0.5f);
		*word = level | (level << 16);
		answer = MMSYSERR_NOERROR;
	}
	drv_shm_release(shm);
	return answer;
}

/* Messages that need no open stream. */
static DWORD wod_device_message(UINT device, UINT msg, DWORD_PTR user, DWORD_PTR param1,
				DWORD_PTR param2)
{
	switch (msg) {
	case DRVM_INIT:
		return drv_shm_attach() == 0 ? MMSYSERR_NOERROR : MMSYSERR_NODRIVER;
	case DRVM_EXIT:
	case DRVM_ENABLE:
	case DRVM_DISABLE:
		return MMSYSERR_NOERROR;
	case WODM_GETNUMDEVS:
		return drv_caps_num_devs();
	case WODM_GETDEVCAPS:
		return drv_caps_wave_out(device, (WAVEOUTCAPSW *)param1, param2);
	case WODM_OPEN:
		return wod_open(device, (DWORD_PTR *)user, (const WAVEOPENDESC *)param1, (DWORD)param2);
	case DRV_QUERYDEVICEINTERFACESIZE:
	case DRV_QUERYDEVICEINTERFACE:
	case DRV_QUERYFUNCTIONINSTANCEIDSIZE:
	case DRV_QUERYFUNCTIONINSTANCEID:
		return drv_caps_query_string(DRV_STREAM_OUT, device, msg, param1, param2);
	case WODM_GETVOLUME:
		return wod_get_volume(NULL, device, (DWORD *)param1);
	case WODM_SETVOLUME:
		return wod_set_volume(NULL, device, (DWORD)param1);
	default:
		return MMSYSERR_NOTSUPPORTED;
	}
}

DWORD APIENTRY wodMessage(UINT device, UINT msg, DWORD_PTR user, DWORD_PTR param1,
			  DWORD_PTR param2)
{
	DWORD result;
	struct wave_out *w = NULL;
	switch (msg) {
	case WODM_CLOSE: case WODM_WRITE: case WODM_PAUSE: case WODM_RESTART: case WODM_RESET:
	case WODM_BREAKLOOP: case WODM_GETPOS: case WODM_PREPARE: case WODM_UNPREPARE:
	case WODM_GETPITCH: case WODM_SETPITCH: case WODM_GETPLAYBACKRATE:
	case WODM_SETPLAYBACKRATE:
		w = (struct wave_out *)drv_stream_lookup(user, DRV_STREAM_OUT);
		if (!w) {
			result = MMSYSERR_INVALHANDLE;
			goto out;
		}
		break;
	case WODM_GETVOLUME: case WODM_SETVOLUME:
		/* By handle (an open stream) or by device id (dwUser 0: the cable). */
		w = user ? (struct wave_out *)drv_stream_lookup(user, DRV_STREAM_OUT) : NULL;
		if (user && !w) {
			result = MMSYSERR_INVALHANDLE;
			goto out;
		}
		break;
	}

	switch (msg) {
	case WODM_CLOSE: result = wod_close(w); break;
	case WODM_WRITE: result = wod_write(w, (WAVEHDR *)param1, param2); break;
	case WODM_PAUSE: result = wod_pause(w); break;
	case WODM_RESTART: result = wod_restart(w); break;
	case WODM_RESET: result = wod_reset(w); break;
	case WODM_BREAKLOOP: result = wod_break_loop(w); break;
	case WODM_GETPOS: result = wod_get_pos(w, (MMTIME *)param1, param2); break;
	case WODM_PREPARE: result = drv_stream_prepare((WAVEHDR *)param1, param2); break;
	case WODM_UNPREPARE: result = drv_stream_unprepare((WAVEHDR *)param1, param2); break;
	case WODM_GETVOLUME:
		result = w ? wod_get_volume(w, device, (DWORD *)param1)
			   : wod_device_message(device, msg, user, param1, param2);
		break;
	case WODM_SETVOLUME:
		result = w ? wod_set_volume(w, device, (DWORD)param1)
			   : wod_device_message(device, msg, user, param1, param2);
		break;
	/* Pitch and playback rate change the sound; a cable carries it unchanged
	 * (WAVECAPS_PITCH/PLAYBACKRATE are not claimed). */
	case WODM_GETPITCH: case WODM_SETPITCH: case WODM_GETPLAYBACKRATE:
	case WODM_SETPLAYBACKRATE:
		result = MMSYSERR_NOTSUPPORTED;
		break;
	default: result = wod_device_message(device, msg, user, param1, param2); break;
	}
out:
	DRV_TRACE("wodMessage(%u, %s, %#llx, %#llx, %#llx) = %s", device, drv_caps_msg_name(msg),
		  (unsigned long long)user, (unsigned long long)param1, (unsigned long long)param2,
		  drv_result_mm_name(result));
	return result;
}
