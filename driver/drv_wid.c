/* SPDX-License-Identifier: MIT */
/*
 * drv_wid.c — widMessage: the recording ("wave in") side of every cable.
 *
 * A recording stream owns a reader slot of its cable.  Once started it has its own
 * clock — the cable timeline — and fills its buffers in real time whether or not
 * anyone plays (silence then): the pump mixes every writer for the frames the
 * timeline has passed (lc_mix_read), converts them to the client's format and returns
 * each buffer (WIM_DATA) as it fills.  With no buffer queued, the passing frames are
 * lost and counted as an overflow.
 *
 *   stopped ──START──► started ──STOP──► stopped (a partly filled buffer returns)
 *      ▲                  │
 *      └──── RESET ───────┘  (every buffer returns; position back to 0)
 *
 * A recorder whose slot is no longer its own (reclaimed as if its process had died,
 * or overwritten by another process) records on in a new slot of the cable; if the
 * cable has none free, it returns its buffers and stops.
 *
 * Not here: the queue of buffers and handing them back, close, references
 * (drv_stream.c), the pump (drv_pump.c).
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

/* How often a started stream pulls, whatever its buffer size: readers stay within a
 * few milliseconds of "now", so a writer's tail is still there when they pull it
 * (drv_wod.c keeps a closed writer's slot DRAIN_MS) and meters stay live. */
#define READ_PERIOD_MS 5

struct wave_in {
	struct drv_stream s;
	bool started;
	bool dead;            /* our slot was reclaimed */
	uint64_t cursor;      /* next cable frame to record */
	uint64_t bytes_done;  /* bytes recorded since open/reset, for GETPOS */
};

#define ENTRY(r, seq) drv_queue_at(&(r)->s.queue, (seq))

static struct wave_in *in_of(struct drv_pump_item *item)
{
	return (struct wave_in *)item;
}

static uint64_t now_frame(const struct wave_in *r)
{
	return drv_shm_frame_at(r->s.shm, r->s.cable, drv_shm_now_ticks());
}

/* The head buffer leaves the queue, to be handed back. */
static void pop_head(struct wave_in *r)
{
	r->s.queue.head++;
}

static struct lc_shm_meter *meter(struct wave_in *r)
{
	return &lc_shm_reader_at(r->s.shm, r->s.cable, r->s.slot.index)->meter;
}

/* Records the frames [cursor, now) into queued buffers; full ones leave the queue.
 * @return false if the slot is no longer ours. */
static bool record(struct wave_in *r, uint64_t now)
{
	struct lc_shm *shm = r->s.shm;
	uint32_t block = r->s.fmt.block_align;
	bool alive = true;
	/* Writers of the same cable in other generations (opened before or after a
	 * settings change) are heard too. */
	struct lc_shm *peers[LC_MIX_MAX_PEERS];
	int n_peers = drv_shm_peers(shm, r->s.cable, peers, LC_MIX_MAX_PEERS);

	/* A reader that fell behind the rings' horizon (a stalled process) skips. */
	uint64_t horizon = lc_mix_horizon(shm, r->s.cable, now);
	if (r->cursor < horizon) {
		lc_meter_count_overflow(meter(r), horizon - r->cursor);
		r->cursor = horizon;
	}
	while (r->cursor < now) {
		if (r->s.queue.head == r->s.queue.tail) {
			lc_meter_count_overflow(meter(r), now - r->cursor);
			if (drv_panel_due(&r->s.last_xrun_post, drv_shm_now_ticks()))
				drv_stream_event(&r->s, lc_event_pack(LC_EVENT_OVERFLOW, r->s.cable,
								      r->s.slot.index,
								      LC_EVENT_KIND_READER));
			r->cursor = now;
			break;
		}
		struct drv_queue_entry *e = ENTRY(r, r->s.queue.head);
		uint32_t room = (e->length - e->recorded) / block;
		if (room == 0) {
			pop_head(r);
			continue;
		}
		uint64_t due = now - r->cursor;
		uint32_t n = lc_pipeline_in_for_out(r->s.pipeline, room);
		if (n > due)
			n = (uint32_t)due;
		if (n > r->s.cable_buf_frames)
			n = r->s.cable_buf_frames;
		/* Silence on failure: the timeline goes on whatever the rings hold. */
		struct lc_mix_stats stats;
		int mixed = lc_mix_read_peers(shm, &r->s.slot, r->s.cable, peers, (uint32_t)n_peers,
					      r->cursor, n, r->s.cable_buf, &stats);
		if (mixed < 0 && lc_shm_slot_check(shm, &r->s.slot) != LC_OK) {
			alive = false;
			break;
		}
		if (mixed < 0 || stats.n_attempts > 1 || stats.n_excluded)
			DRV_WARN("cable %u reader %u: mix of %u frames at %llu: %s, %u attempts, "
				 "%u writers excluded", r->s.cable, r->s.slot.index, n,
				 (unsigned long long)r->cursor, lc_result_str(mixed), stats.n_attempts,
				 stats.n_excluded);
		uint32_t in = n, out = room;
		lc_pipeline_read(r->s.pipeline, r->s.cable_buf, &in, e->data + e->recorded, &out);
		r->cursor += in;
		e->recorded += out * block;
		r->bytes_done += out * block;
		if (e->length - e->recorded < block)
			pop_head(r);
		else if (in == 0)
			break;
	}
	for (int i = 0; i < n_peers; i++)
		drv_shm_release(peers[i]);
	return alive;
}

/* Under the lock, after record() found the slot lost.  @return whether recording goes on. */
static bool recover(struct wave_in *r)
{
	uint32_t old = r->s.slot.index;
	int result = drv_stream_claim_again(&r->s);
	if (result == 0) {
		DRV_WARN("cable %u reader %u: slot lost, recording goes on in slot %u", r->s.cable,
			 old, r->s.slot.index);
		return true;
	}
	DRV_WARN("cable %u reader %u: slot lost and none free (%s): buffers returned, recording "
		 "stopped", r->s.cable, old, lc_result_str(result));
	/* Stopped for good: what it holds goes back now; buffers added later stay queued,
	 * as on any stopped device, until a reset or the close. */
	r->dead = true;
	r->started = false;
	r->s.queue.head = r->s.queue.tail;
	return false;
}

/* Frames after the cursor at which the stream next needs pulling. */
static uint64_t due_frames(const struct wave_in *r, uint32_t rate)
{
	uint64_t frames = (uint64_t)rate * READ_PERIOD_MS / 1000;
	if (r->s.queue.head < r->s.queue.tail) {
		const struct drv_queue_entry *e = ENTRY(r, r->s.queue.head);
		uint32_t room = (e->length - e->recorded) / r->s.fmt.block_align;
		uint64_t fill = lc_pipeline_in_for_out(r->s.pipeline, room ? room : 1);
		if (fill < frames)
			frames = fill;
	}
	return frames;
}

static uint64_t service(struct drv_pump_item *item, uint64_t now_ticks)
{
	struct wave_in *r = in_of(item);
	uint64_t next = DRV_PUMP_IDLE;
	struct lc_shm *shm = r->s.shm;

	if (!drv_stream_lock(&r->s))
		return DRV_PUMP_IDLE;
	uint64_t head = r->s.queue.head;
	if (r->started && !r->dead) {
		/* Due: when the head buffer can be filled, and at least every
		 * READ_PERIOD_MS.  Pulling earlier than that only costs (the pump wakes for
		 * other streams too). */
		uint32_t rate = shm->cables[r->s.cable].rate_hz;
		uint64_t now = drv_shm_frame_at(shm, r->s.cable, now_ticks);
		if (now >= r->cursor + due_frames(r, rate) && !record(r, now) && !recover(r))
			next = DRV_PUMP_IDLE;
		else
			next = lc_clock_ticks_at(&shm->clock, r->cursor + due_frames(r, rate), rate);
	}
	bool returned = r->s.queue.head != head;
	drv_stream_unlock(&r->s);

	if (returned)
		drv_stream_hand_back(&r->s, false);
	return next;
}

static void release(struct drv_pump_item *item)
{
	struct wave_in *r = in_of(item);
	drv_stream_destroy(&r->s);
	free(r);
}

/* Nothing of a recorder outlives its close. */
static bool closed(struct drv_stream *s)
{
	((struct wave_in *)s)->started = false;
	return false;
}

static const struct drv_stream_class wave_in_class = {
	.pump = { service, release },
	.dir = DRV_STREAM_IN,
	.open_msg = WIM_OPEN, .done_msg = WIM_DATA, .close_msg = WIM_CLOSE,
	.closed = closed,
};

static DWORD wid_open(UINT device, DWORD_PTR *user, const WAVEOPENDESC *desc, DWORD flags)
{
	struct lc_fmt fmt;
	bool query_only;
	DWORD answer = drv_stream_check_open(device, user, desc, flags, &fmt, &query_only);
	if (answer != MMSYSERR_NOERROR || query_only)
		return answer;

	struct wave_in *r = (struct wave_in *)drv_stream_alloc(sizeof(*r), &wave_in_class);
	if (!r)
		return MMSYSERR_NOMEM;
	int result = drv_stream_init(&r->s, device, &fmt, desc, flags);
	if (result != 0) {
		drv_stream_put(&r->s);
		return drv_result_to_mm(result);
	}
	return drv_stream_start(&r->s, user);
}

static DWORD wid_add_buffer(struct wave_in *r, WAVEHDR *hdr, DWORD_PTR size)
{
	struct drv_queue_entry entry;
	DWORD answer = drv_stream_submit_check(hdr, size, &entry);
	if (answer != MMSYSERR_NOERROR)
		return answer;
	if (!drv_stream_lock(&r->s))
		return MMSYSERR_INVALHANDLE;
	/* Into an empty queue: the pump is dropping what the timeline passes (overflow)
	 * until it sees this buffer.  Otherwise its wake-ups already cover it. */
	bool was_empty = r->s.queue.head == r->s.queue.tail;
	answer = drv_stream_enqueue(&r->s, &entry);
	if (answer == MMSYSERR_NOERROR)
		lc_meter_set_buffer_bytes(meter(r), entry.length);
	bool poke = r->started && was_empty;
	drv_stream_unlock(&r->s);
	if (answer == MMSYSERR_NOERROR && poke)
		drv_pump_poke();
	return answer;
}

static DWORD wid_start(struct wave_in *r)
{
	if (!drv_stream_lock(&r->s))
		return MMSYSERR_INVALHANDLE;
	if (!r->started && !r->dead) {
		r->started = true;
		r->cursor = now_frame(r);
	}
	drv_stream_unlock(&r->s);
	drv_pump_poke();
	return MMSYSERR_NOERROR;
}

/* STOP returns the buffer being filled if it holds anything; RESET returns every
 * buffer, in order, and sets the position back to 0.  What was recorded up to now
 * goes into the buffers first. */
static DWORD wid_stop_or_reset(struct wave_in *r, bool reset)
{
	if (!drv_stream_lock(&r->s))
		return MMSYSERR_INVALHANDLE;
	if (r->started && !record(r, now_frame(r)))
		recover(r);
	r->started = false;
	lc_pipeline_reset(r->s.pipeline);
	struct drv_queue *q = &r->s.queue;
	if (reset) {
		q->head = q->tail;
		r->bytes_done = 0;
	} else if (q->head < q->tail && ENTRY(r, q->head)->recorded > 0) {
		pop_head(r);
	}
	drv_stream_unlock(&r->s);
	drv_stream_hand_back(&r->s, true);
	return MMSYSERR_NOERROR;
}

static DWORD wid_get_pos(struct wave_in *r, MMTIME *time, DWORD_PTR size)
{
	if (!drv_stream_lock(&r->s))
		return MMSYSERR_INVALHANDLE;
	uint64_t bytes = r->bytes_done;
	drv_stream_unlock(&r->s);
	return drv_stream_get_pos(&r->s, time, size, bytes);
}

/* Messages that need no open stream. */
static DWORD wid_device_message(UINT device, UINT msg, DWORD_PTR user, DWORD_PTR param1,
				DWORD_PTR param2)
{
	switch (msg) {
	case DRVM_INIT:
		return drv_shm_attach() == 0 ? MMSYSERR_NOERROR : MMSYSERR_NODRIVER;
	case DRVM_EXIT:
	case DRVM_ENABLE:
	case DRVM_DISABLE:
		return MMSYSERR_NOERROR;
	case WIDM_GETNUMDEVS:
		return drv_caps_num_devs();
	case WIDM_GETDEVCAPS:
		return drv_caps_wave_in(device, (WAVEINCAPSW *)param1, param2);
	case WIDM_OPEN:
		return wid_open(device, (DWORD_PTR *)user, (const WAVEOPENDESC *)param1, (DWORD)param2);
	case DRV_QUERYDEVICEINTERFACESIZE:
	case DRV_QUERYDEVICEINTERFACE:
	case DRV_QUERYFUNCTIONINSTANCEIDSIZE:
	case DRV_QUERYFUNCTIONINSTANCEID:
		return drv_caps_query_string(DRV_STREAM_IN, device, msg, param1, param2);
	case LC_WAVE_QUERY_CABLE:
		return drv_caps_query_cable(device);
	default:
		return MMSYSERR_NOTSUPPORTED;
	}
}

/* Messages about an open stream, which the caller holds a reference to. */
static DWORD wid_stream_message(struct wave_in *r, UINT msg, DWORD_PTR param1, DWORD_PTR param2)
{
	switch (msg) {
	case WIDM_CLOSE: return drv_stream_close(&r->s);
	case WIDM_ADDBUFFER: return wid_add_buffer(r, (WAVEHDR *)param1, param2);
	case WIDM_START: return wid_start(r);
	case WIDM_STOP: return wid_stop_or_reset(r, false);
	case WIDM_RESET: return wid_stop_or_reset(r, true);
	case WIDM_GETPOS: return wid_get_pos(r, (MMTIME *)param1, param2);
	case WIDM_PREPARE: return drv_stream_prepare((WAVEHDR *)param1, param2);
	case WIDM_UNPREPARE: return drv_stream_unprepare((WAVEHDR *)param1, param2);
	default: return MMSYSERR_NOTSUPPORTED;
	}
}

static bool is_stream_message(UINT msg)
{
	switch (msg) {
	case WIDM_CLOSE: case WIDM_ADDBUFFER: case WIDM_START: case WIDM_STOP: case WIDM_RESET:
	case WIDM_GETPOS: case WIDM_PREPARE: case WIDM_UNPREPARE:
		return true;
	default:
		return false;
	}
}

DWORD APIENTRY widMessage(UINT device, UINT msg, DWORD_PTR user, DWORD_PTR param1,
			  DWORD_PTR param2)
{
	DWORD result;
	char answer[16];
	if (is_stream_message(msg)) {
		struct drv_stream *s = drv_stream_get(user, DRV_STREAM_IN);
		result = s ? wid_stream_message((struct wave_in *)s, msg, param1, param2)
			   : MMSYSERR_INVALHANDLE;
		drv_stream_put(s);
	} else {
		result = wid_device_message(device, msg, user, param1, param2);
	}
	DRV_TRACE("widMessage(%u, %s, %#llx, %#llx, %#llx) = %s", device, drv_caps_msg_name(msg),
		  (unsigned long long)user, (unsigned long long)param1, (unsigned long long)param2,
		  drv_caps_answer_name(msg, result, answer));
	return result;
}
