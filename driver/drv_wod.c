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
 *   queue   [head ............ fill_seq ........ tail)   entries in write order
 *            └ written, waiting  └ being written    └ queued, not written yet
 *              for the timeline    (fill_bytes in)
 *
 *   paused: nothing is written; the frames written beyond "now" were taken back
 *   (lc_ring_retract) and fill_seq/fill_bytes rewound to the first unplayed byte,
 *   found in the ledger (drv_ledger.h), which also gives the position.
 *
 * Loops: the entry with WHDR_BEGINLOOP starts a loop that ends with the entry holding
 * WHDR_ENDLOOP; loops_left is our own counter (winmm does not copy dwLoops, and the
 * queue entry has the value read at submit).  Entries of a running loop stay queued
 * until its last iteration has played.  BREAKLOOP lets the iteration being heard
 * finish and takes back later ones already written.  An iteration that holds not one
 * whole frame ends the loop: repeating silence-of-nothing would spin.
 *
 * Not here: the queue of buffers and handing them back, close, references
 * (drv_stream.c), callbacks (drv_notify.c), the pump thread (drv_pump.c).
 */
#include <windows.h>
#include <mmsystem.h>
#include <mmddk.h>
#include <stdlib.h>

#include "drv_caps.h"
#include "drv_ledger.h"
#include "drv_panel.h"
#include "drv_result.h"
#include "drv_shm.h"
#include "drv_stream.h"
#include "drv_trace.h"
#include "drv_volume.h"
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

struct wave_out {
	struct drv_stream s;
	struct lc_ring ring;
	uint64_t fill_seq;
	uint32_t fill_bytes;
	uint64_t loop_seq;
	uint32_t loops_left;
	bool loop_heard;      /* the loop's current iteration has written a frame */
	struct drv_ledger ledger;
	bool paused;
	bool dead;           /* our slot was reclaimed: buffers go straight back */
	uint64_t paused_at;  /* the frame "now" froze at */
	uint32_t ahead_frames;
	uint64_t last_end;   /* one past the last frame written since the last rewind (0: none) */
	uint64_t heard_end;  /* one past the last frame readers may still pull (drain) */
	bool draining;       /* closed; the slot is kept until drain_until */
	uint64_t drain_until;
};

#define ENTRY(w, seq) drv_queue_at(&(w)->s.queue, (seq))

static struct wave_out *out_of(struct drv_pump_item *item)
{
	return (struct wave_out *)item;
}

static uint64_t now_frame(const struct wave_out *w)
{
	return drv_shm_frame_at(w->s.shm, w->s.cable, drv_shm_now_ticks());
}

/* Takes done entries out of the queue (to be handed back): stops at the first still
 * playing or at the loop being repeated.  @return how many. */
static uint32_t collect_done(struct wave_out *w, uint64_t now)
{
	struct drv_queue *q = &w->s.queue;
	uint32_t n = 0;
	while (q->head < w->fill_seq) {
		if (w->loop_seq != NO_LOOP && q->head >= w->loop_seq)
			break;
		if (now < ENTRY(w, q->head)->end_pos)
			break;
		q->head++;
		n++;
	}
	return n;
}

/* Finishes the entry being written; follows loops. */
static void advance_fill(struct wave_out *w)
{
	const struct drv_queue_entry *e = ENTRY(w, w->fill_seq);
	drv_ledger_add_tail_bytes(&w->ledger, w->fill_seq, e->length - w->fill_bytes);
	w->fill_bytes = 0;
	if ((e->flags & WHDR_ENDLOOP) && w->loop_seq != NO_LOOP) {
		if (w->loops_left > 1 && w->loop_heard) {
			w->loops_left--;
			w->fill_seq = w->loop_seq;
			w->loop_heard = false;
			return;
		}
		w->loop_seq = NO_LOOP;
	}
	w->fill_seq++;
}

/* Writes queued audio into the ring as far as room and the write-ahead allow.
 * Returns false when the slot is no longer ours (reclaimed: the stream is dead). */
static bool fill(struct wave_out *w, uint64_t now)
{
	uint32_t block = w->s.fmt.block_align;
	while (!w->paused && w->fill_seq < w->s.queue.tail) {
		uint64_t cursor = lc_ring_cursor(&w->ring, now);
		uint64_t horizon = now + w->ahead_frames;
		uint32_t room = lc_ring_writable(&w->ring, now);
		if (cursor >= horizon || room == 0)
			break;
		if (horizon - cursor < room)
			room = (uint32_t)(horizon - cursor);
		if (room > w->s.cable_buf_frames)
			room = w->s.cable_buf_frames;

		struct drv_queue_entry *e = ENTRY(w, w->fill_seq);
		if (w->fill_bytes == 0 && (e->flags & WHDR_BEGINLOOP) && w->loop_seq == NO_LOOP) {
			w->loop_seq = w->fill_seq;
			w->loops_left = e->loops ? e->loops : 1;
			w->loop_heard = false;
		}
		uint32_t left = (e->length - w->fill_bytes) / block;
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
		lc_pipeline_write(w->s.pipeline, e->data + w->fill_bytes, &in, w->s.cable_buf, &out);
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
			w->loop_heard = true;
			if (!drv_ledger_append(&w->ledger, &(struct drv_ledger_seg){
					.pos = pos, .frames = (uint32_t)written, .seq = w->fill_seq,
					.byte = w->fill_bytes, .bytes = in * block,
					.loop_seq = w->loop_seq, .loops_left = w->loops_left }))
				break;
		}
		w->fill_bytes += in * block;
		if (in == 0 && out == 0)
			break;
		if (w->fill_bytes + block > e->length)
			advance_fill(w);
	}
	return true;
}

/* Takes back everything from segment n on (or from the part of it after `now`), and
 * makes writing resume where that audio came from. */
static void rewind_to(struct wave_out *w, uint64_t n, uint64_t now)
{
	if (n == w->ledger.tail)
		return;
	struct drv_ledger_seg *seg = drv_ledger_at(&w->ledger, n);
	uint32_t block = w->s.fmt.block_align;
	uint32_t heard = drv_ledger_seg_bytes_at(seg, now);
	heard -= heard % block;
	if (heard >= seg->bytes)
		heard = seg->bytes;
	w->fill_seq = seg->seq;
	w->fill_bytes = seg->byte + heard;
	w->loop_seq = seg->loop_seq;
	w->loops_left = seg->loops_left;
	/* Resuming inside an iteration that was heard: it holds frames. */
	w->loop_heard = !(w->fill_seq == w->loop_seq && w->fill_bytes == 0);
	uint64_t cut = now > seg->pos ? now : seg->pos;
	drv_ledger_cut(&w->ledger, n, cut, heard);
	lc_ring_retract(&w->ring, cut);
	lc_pipeline_reset(w->s.pipeline);
	/* What follows a rewind is not late: no underflow for the gap (a pause).  What
	 * was written before the cut may still be on its way to readers. */
	w->last_end = 0;
	if (w->heard_end > cut)
		w->heard_end = cut;
	/* Entries of the rewound part get their end when written again; one that is
	 * finished (all its frames heard) still ends at the cut. */
	if (w->fill_bytes + block > ENTRY(w, w->fill_seq)->length)
		ENTRY(w, w->fill_seq)->end_pos = cut;
}

static uint64_t service(struct drv_pump_item *item, uint64_t now_ticks)
{
	struct wave_out *w = out_of(item);
	uint64_t next = DRV_PUMP_IDLE;
	struct lc_shm *shm = w->s.shm;
	uint32_t rate = shm->cables[w->s.cable].rate_hz;

	EnterCriticalSection(&w->s.lock);
	if (w->s.closing) {
		/* Closed: only the tail's drain is left, if that. */
		bool over = !w->draining || drv_shm_frame_at(shm, w->s.cable, now_ticks) >= w->drain_until;
		uint64_t until = w->drain_until;
		LeaveCriticalSection(&w->s.lock);
		if (over) {
			drv_pump_remove(item);
			return DRV_PUMP_IDLE;
		}
		return lc_clock_ticks_at(&shm->clock, until, rate);
	}
	uint64_t now = drv_shm_frame_at(shm, w->s.cable, now_ticks);
	if (!w->dead && !fill(w, now)) {
		/* Our slot was reclaimed (we looked dead): nothing we write is heard.  The
		 * buffers go back rather than hang the client. */
		DRV_WARN("cable %u writer %u: slot reclaimed, buffers returned unplayed",
			 w->s.cable, w->s.slot.index);
		w->dead = true;
	}
	if (w->dead) {
		w->fill_seq = w->s.queue.tail;
		w->loop_seq = NO_LOOP;
		for (uint64_t seq = w->s.queue.head; seq < w->s.queue.tail; seq++)
			ENTRY(w, seq)->end_pos = 0;
	}
	uint32_t n_done = collect_done(w, now);
	drv_ledger_prune(&w->ledger, now);
	if (!w->paused && !w->dead) {
		struct drv_queue *q = &w->s.queue;
		if (q->head < w->fill_seq && (w->loop_seq == NO_LOOP || q->head < w->loop_seq))
			next = lc_clock_ticks_at(&shm->clock, ENTRY(w, q->head)->end_pos, rate);
		if (w->fill_seq < q->tail) {
			uint64_t retry = now_ticks + shm->clock.tick_hz * ROOM_WAIT_MS / 1000;
			if (retry < next)
				next = retry;
		}
	}
	drv_stream_unlock(&w->s);

	if (n_done)
		drv_stream_hand_back(&w->s, false);
	return next;
}

static void release(struct drv_pump_item *item)
{
	struct wave_out *w = out_of(item);
	drv_stream_destroy(&w->s);
	drv_ledger_free(&w->ledger);
	free(w);
}

/* A close was accepted: keep the slot, and so the ring, DRAIN_MS past the last frame
 * — readers may not have pulled all that was written (it may even be ahead of "now");
 * the pump removes the stream then. */
static bool closed(struct drv_stream *s)
{
	struct wave_out *w = (struct wave_out *)s;
	uint32_t rate = w->s.shm->cables[w->s.cable].rate_hz;
	w->drain_until = w->heard_end + (uint64_t)rate * DRAIN_MS / 1000;
	w->draining = !w->dead && w->heard_end && now_frame(w) < w->drain_until;
	return w->draining;
}

static const struct drv_stream_class wave_out_class = {
	.pump = { service, release },
	.dir = DRV_STREAM_OUT,
	.open_msg = WOM_OPEN, .done_msg = WOM_DONE, .close_msg = WOM_CLOSE,
	.closed = closed,
};

static DWORD wod_open(UINT device, DWORD_PTR *user, const WAVEOPENDESC *desc, DWORD flags)
{
	struct lc_fmt fmt;
	bool query_only;
	DWORD answer = drv_stream_check_open(device, user, desc, flags, &fmt, &query_only);
	if (answer != MMSYSERR_NOERROR || query_only)
		return answer;

	struct wave_out *w = (struct wave_out *)drv_stream_alloc(sizeof(*w), &wave_out_class);
	if (!w)
		return MMSYSERR_NOMEM;
	w->loop_seq = NO_LOOP;
	int result = drv_ledger_init(&w->ledger);
	if (result == 0)
		result = drv_stream_init(&w->s, device, &fmt, desc, flags);
	if (result != 0) {
		drv_stream_put(&w->s);
		return drv_result_to_mm(result);
	}
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
	return drv_stream_start(&w->s, user);
}

static DWORD wod_write(struct wave_out *w, WAVEHDR *hdr, DWORD_PTR size)
{
	struct drv_queue_entry entry;
	DWORD answer = drv_stream_submit_check(hdr, size, &entry);
	if (answer != MMSYSERR_NOERROR)
		return answer;
	if (!drv_stream_lock(&w->s))
		return MMSYSERR_INVALHANDLE;
	answer = drv_stream_enqueue(&w->s, &entry);
	if (answer != MMSYSERR_NOERROR) {
		drv_stream_unlock(&w->s);
		return answer;
	}
	lc_meter_set_buffer_bytes(&lc_shm_writer_at(w->s.shm, w->s.cable, w->s.slot.index)->meter,
				  entry.length);
	/* Write now, in the caller's thread: the lowest latency, and the pump only has
	 * to finish what did not fit. */
	uint64_t now_ticks = drv_shm_now_ticks();
	if (!w->dead)
		fill(w, drv_shm_frame_at(w->s.shm, w->s.cable, now_ticks));
	/* The pump must wake when this buffer is done — or soon, to finish writing it. */
	struct lc_shm *shm = w->s.shm;
	uint64_t last = w->s.queue.tail - 1;
	uint64_t due = w->fill_seq > last && !w->dead
		? lc_clock_ticks_at(&shm->clock, ENTRY(w, last)->end_pos,
				    shm->cables[w->s.cable].rate_hz)
		: now_ticks + shm->clock.tick_hz * ROOM_WAIT_MS / 1000;
	drv_stream_unlock(&w->s);
	drv_pump_poke_before(due);
	return MMSYSERR_NOERROR;
}

static DWORD wod_pause(struct wave_out *w)
{
	if (!drv_stream_lock(&w->s))
		return MMSYSERR_INVALHANDLE;
	if (!w->paused) {
		uint64_t now = now_frame(w);
		w->paused = true;
		w->paused_at = now;
		/* Resume exactly where the listener is: nothing heard twice, nothing lost. */
		rewind_to(w, drv_ledger_find(&w->ledger, now), now);
	}
	drv_stream_unlock(&w->s);
	return MMSYSERR_NOERROR;
}

static DWORD wod_restart(struct wave_out *w)
{
	if (!drv_stream_lock(&w->s))
		return MMSYSERR_INVALHANDLE;
	w->paused = false;
	if (!w->dead)
		fill(w, now_frame(w));
	drv_stream_unlock(&w->s);
	drv_pump_poke();
	return MMSYSERR_NOERROR;
}

static DWORD wod_reset(struct wave_out *w)
{
	if (!drv_stream_lock(&w->s))
		return MMSYSERR_INVALHANDLE;
	uint64_t now = now_frame(w);
	lc_ring_retract(&w->ring, now);
	lc_pipeline_reset(w->s.pipeline);
	if (w->heard_end > now)
		w->heard_end = now;
	/* Every queued buffer goes back, in order. */
	w->s.queue.head = w->fill_seq = w->s.queue.tail;
	w->fill_bytes = 0;
	w->loop_seq = NO_LOOP;
	w->paused = false;
	drv_ledger_clear(&w->ledger);
	w->last_end = 0;
	drv_stream_unlock(&w->s);

	drv_stream_hand_back(&w->s, true);
	return MMSYSERR_NOERROR;
}

static DWORD wod_break_loop(struct wave_out *w)
{
	if (!drv_stream_lock(&w->s))
		return MMSYSERR_INVALHANDLE;
	if (w->loop_seq != NO_LOOP) {
		uint64_t now = now_frame(w);
		uint64_t loop = w->loop_seq;
		struct drv_ledger *l = &w->ledger;
		/* The iteration being heard: the playing segment's, or the first one if the
		 * loop has not started playing yet. */
		uint64_t n = drv_ledger_find(l, now);
		uint32_t current = ENTRY(w, loop)->loops ? ENTRY(w, loop)->loops : 1;
		if (n < l->tail && drv_ledger_at(l, n)->loop_seq == loop)
			current = drv_ledger_at(l, n)->loops_left;
		/* A later iteration already written is taken back at its first frame. */
		uint64_t later = n;
		while (later < l->tail && !(drv_ledger_at(l, later)->seq == loop
					    && drv_ledger_at(l, later)->byte == 0
					    && drv_ledger_at(l, later)->loops_left < current))
			later++;
		if (later < l->tail) {
			uint64_t cut = drv_ledger_at(l, later)->pos;
			rewind_to(w, later, cut);
			for (uint64_t seq = loop; seq < w->s.queue.tail; seq++) {
				struct drv_queue_entry *e = ENTRY(w, seq);
				if (e->end_pos > cut)
					e->end_pos = cut;
				if (e->flags & WHDR_ENDLOOP) {
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
		if (!w->dead)
			fill(w, now);
	}
	drv_stream_unlock(&w->s);
	drv_pump_poke();
	return MMSYSERR_NOERROR;
}

static DWORD wod_get_pos(struct wave_out *w, MMTIME *time, DWORD_PTR size)
{
	if (!drv_stream_lock(&w->s))
		return MMSYSERR_INVALHANDLE;
	uint64_t bytes = drv_ledger_played_bytes(&w->ledger, w->paused ? w->paused_at : now_frame(w));
	drv_stream_unlock(&w->s);
	return drv_stream_get_pos(&w->s, time, size, bytes);
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
	case LC_WAVE_QUERY_CABLE:
		return drv_caps_query_cable(device);
	case WODM_GETVOLUME:
		return drv_volume_get(NULL, device, (DWORD *)param1);
	case WODM_SETVOLUME:
		return drv_volume_set(NULL, device, (DWORD)param1);
	default:
		return MMSYSERR_NOTSUPPORTED;
	}
}

/* Messages about an open stream, which the caller holds a reference to. */
static DWORD wod_stream_message(struct wave_out *w, UINT device, UINT msg, DWORD_PTR param1,
				DWORD_PTR param2)
{
	switch (msg) {
	case WODM_CLOSE: return drv_stream_close(&w->s);
	case WODM_WRITE: return wod_write(w, (WAVEHDR *)param1, param2);
	case WODM_PAUSE: return wod_pause(w);
	case WODM_RESTART: return wod_restart(w);
	case WODM_RESET: return wod_reset(w);
	case WODM_BREAKLOOP: return wod_break_loop(w);
	case WODM_GETPOS: return wod_get_pos(w, (MMTIME *)param1, param2);
	case WODM_PREPARE: return drv_stream_prepare((WAVEHDR *)param1, param2);
	case WODM_UNPREPARE: return drv_stream_unprepare((WAVEHDR *)param1, param2);
	case WODM_GETVOLUME: return drv_volume_get(&w->s, device, (DWORD *)param1);
	case WODM_SETVOLUME: return drv_volume_set(&w->s, device, (DWORD)param1);
	/* Pitch and playback rate change the sound; a cable carries it unchanged
	 * (WAVECAPS_PITCH/PLAYBACKRATE are not claimed). */
	default: return MMSYSERR_NOTSUPPORTED;
	}
}

static bool is_stream_message(UINT msg, DWORD_PTR user)
{
	switch (msg) {
	case WODM_CLOSE: case WODM_WRITE: case WODM_PAUSE: case WODM_RESTART: case WODM_RESET:
	case WODM_BREAKLOOP: case WODM_GETPOS: case WODM_PREPARE: case WODM_UNPREPARE:
	case WODM_GETPITCH: case WODM_SETPITCH: case WODM_GETPLAYBACKRATE:
	case WODM_SETPLAYBACKRATE:
		return true;
	case WODM_GETVOLUME: case WODM_SETVOLUME:
		/* By handle (an open stream) or by device id (dwUser 0: the cable). */
		return user != 0;
	default:
		return false;
	}
}

DWORD APIENTRY wodMessage(UINT device, UINT msg, DWORD_PTR user, DWORD_PTR param1,
			  DWORD_PTR param2)
{
	DWORD result;
	char answer[16];
	if (is_stream_message(msg, user)) {
		struct drv_stream *s = drv_stream_get(user, DRV_STREAM_OUT);
		result = s ? wod_stream_message((struct wave_out *)s, device, msg, param1, param2)
			   : MMSYSERR_INVALHANDLE;
		drv_stream_put(s);
	} else {
		result = wod_device_message(device, msg, user, param1, param2);
	}
	DRV_TRACE("wodMessage(%u, %s, %#llx, %#llx, %#llx) = %s", device, drv_caps_msg_name(msg),
		  (unsigned long long)user, (unsigned long long)param1, (unsigned long long)param2,
		  drv_caps_answer_name(msg, result, answer));
	return result;
}
