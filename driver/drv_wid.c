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
 * Not here: what both directions share (drv_stream.c), the pump (drv_pump.c).
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
	WAVEHDR *head, *tail; /* queued buffers, linked through lpNext */
	bool started;
	uint64_t cursor;      /* next cable frame to record */
	uint64_t bytes_done;  /* bytes recorded since open/reset, for GETPOS */
};

/* Returned buffers, collected under the lock and called back outside it. */
struct data_list {
	WAVEHDR *first, **last;
};

static struct wave_in *in_of(struct drv_pump_item *item)
{
	return (struct wave_in *)item;
}

static uint64_t now_frame(const struct wave_in *r)
{
	return drv_shm_frame_at(r->s.shm, r->s.cable, drv_shm_now_ticks());
}

static void pop_head(struct wave_in *r, struct data_list *list)
{
	WAVEHDR *hdr = r->head;
	r->head = hdr->lpNext;
	if (!r->head)
		r->tail = NULL;
	hdr->lpNext = NULL;
	hdr->dwFlags = (hdr->dwFlags & ~WHDR_INQUEUE) | WHDR_DONE;
	*list->last = hdr;
	list->last = &hdr->lpNext;
}

static void notify_data(struct wave_in *r, WAVEHDR *first)
{
	while (first) {
		/* Read the link before the callback: the client owns the buffer again. */
		WAVEHDR *next = first->lpNext;
		drv_stream_notify(&r->s, WIM_DATA, (DWORD_PTR)first);
		first = next;
	}
}

/* Records the frames [cursor, now) into queued buffers. */
static void record(struct wave_in *r, uint64_t now, struct data_list *list)
{
	struct lc_shm *shm = r->s.shm;
	uint32_t block = r->s.fmt.block_align;
	/* Writers of the same cable in other generations (opened before or after a
	 * settings change) are heard too. */
	struct lc_shm *peers[LC_MIX_MAX_PEERS];
	int n_peers = drv_shm_peers(shm, r->s.cable, peers, LC_MIX_MAX_PEERS);

	/* A reader that fell behind the rings' horizon (a stalled process) skips. */
	uint64_t horizon = lc_mix_horizon(shm, r->s.cable, now);
	if (r->cursor < horizon) {
		lc_meter_count_overflow(&lc_shm_reader_at(shm, r->s.cable, r->s.slot.index)->meter,
					horizon - r->cursor);
		r->cursor = horizon;
	}
	while (r->cursor < now) {
		WAVEHDR *hdr = r->head;
		if (!hdr) {
			lc_meter_count_overflow(&lc_shm_reader_at(shm, r->s.cable, r->s.slot.index)->meter,
						now - r->cursor);
			if (drv_panel_due(&r->s.last_xrun_post, drv_shm_now_ticks()))
				drv_stream_event(&r->s, lc_event_pack(LC_EVENT_OVERFLOW, r->s.cable,
								      r->s.slot.index,
								      LC_EVENT_KIND_READER));
			r->cursor = now;
			break;
		}
		uint32_t room = (hdr->dwBufferLength - hdr->dwBytesRecorded) / block;
		if (room == 0) {
			pop_head(r, list);
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
		if (mixed < 0 || stats.n_attempts > 1 || stats.n_excluded)
			DRV_WARN("cable %u reader %u: mix of %u frames at %llu: %s, %u attempts, "
				 "%u writers excluded", r->s.cable, r->s.slot.index, n,
				 (unsigned long long)r->cursor, lc_result_str(mixed), stats.n_attempts,
				 stats.n_excluded);
		uint32_t in = n, out = room;
		lc_pipeline_read(r->s.pipeline, r->s.cable_buf, &in, (BYTE *)hdr->lpData + hdr->dwBytesRecorded,
				 &out);
		r->cursor += in;
		hdr->dwBytesRecorded += out * block;
		r->bytes_done += out * block;
		if (hdr->dwBufferLength - hdr->dwBytesRecorded < block)
			pop_head(r, list);
		else if (in == 0)
			break;
	}
	for (int i = 0; i < n_peers; i++)
		drv_shm_release(peers[i]);
}

/* Frames after the cursor at which the stream next needs pulling. */
static uint64_t due_frames(const struct wave_in *r, uint32_t rate)
{
	uint64_t frames = (uint64_t)rate * READ_PERIOD_MS / 1000;
	if (r->head) {
		uint32_t room = (r->head->dwBufferLength - r->head->dwBytesRecorded) / r->s.fmt.block_align;
		uint64_t fill = lc_pipeline_in_for_out(r->s.pipeline, room ? room : 1);
		if (fill < frames)
			frames = fill;
	}
	return frames;
}

static uint64_t service(struct drv_pump_item *item, uint64_t now_ticks)
{
	struct wave_in *r = in_of(item);
	struct data_list list = { NULL, &list.first };
	uint64_t next = DRV_PUMP_IDLE;
	struct lc_shm *shm = r->s.shm;

	EnterCriticalSection(&r->s.lock);
	if (r->started) {
		/* Due: when the head buffer can be filled, and at least every
		 * READ_PERIOD_MS.  Pulling earlier than that only costs (the pump wakes for
		 * other streams too). */
		uint32_t rate = shm->cables[r->s.cable].rate_hz;
		uint64_t now = drv_shm_frame_at(r->s.shm, r->s.cable, now_ticks);
		if (now >= r->cursor + due_frames(r, rate))
			record(r, now, &list);
		next = lc_clock_ticks_at(&shm->clock, r->cursor + due_frames(r, rate), rate);
	}
	drv_stream_unlock(&r->s);

	notify_data(r, list.first);
	return next;
}

static void release(struct drv_pump_item *item)
{
	struct wave_in *r = in_of(item);
	drv_stream_destroy(&r->s);
	free(r);
}

static const struct drv_pump_ops wave_in_ops = { service, release };

static DWORD wid_open(UINT device, DWORD_PTR *user, const WAVEOPENDESC *desc, DWORD flags)
{
	struct lc_fmt fmt;
	bool query_only;
	DWORD answer = drv_stream_check_open(device, user, desc, flags, &fmt, &query_only);
	if (answer != MMSYSERR_NOERROR || query_only)
		return answer;

	struct wave_in *r = calloc(1, sizeof(*r));
	if (!r)
		return MMSYSERR_NOMEM;
	r->s.pump.ops = &wave_in_ops;
	struct drv_callback cb = { desc->dwCallback, desc->dwInstance, flags, (HANDLE)desc->hWave };
	int result = drv_stream_init(&r->s, DRV_STREAM_IN, device, &fmt, &cb);
	if (result == 0)
		result = drv_stream_start(&r->s);
	if (result != 0) {
		free(r);
		return drv_result_to_mm(result);
	}
	*user = (DWORD_PTR)r;
	drv_stream_notify(&r->s, WIM_OPEN, 0);
	return MMSYSERR_NOERROR;
}

static DWORD wid_close(struct wave_in *r)
{
	EnterCriticalSection(&r->s.lock);
	bool busy = r->head != NULL;
	if (!busy)
		r->s.closing = 1;
	drv_stream_unlock(&r->s);
	if (busy)
		return WAVERR_STILLPLAYING;

	drv_stream_unregister(&r->s);
	bool free_now = drv_pump_remove(&r->s.pump);
	drv_stream_closed(&r->s, WIM_CLOSE);
	if (free_now)
		release(&r->s.pump);
	return MMSYSERR_NOERROR;
}

static DWORD wid_add_buffer(struct wave_in *r, WAVEHDR *hdr, DWORD_PTR size)
{
	if (!drv_stream_header_ok(hdr, size))
		return MMSYSERR_INVALPARAM;
	if (!(hdr->dwFlags & WHDR_PREPARED))
		return WAVERR_UNPREPARED;
	if (hdr->dwFlags & WHDR_INQUEUE)
		return WAVERR_STILLPLAYING;
	EnterCriticalSection(&r->s.lock);
	hdr->dwFlags = (hdr->dwFlags & WHDR_PREPARED) | WHDR_INQUEUE;
	lc_meter_set_buffer_bytes(&lc_shm_reader_at(r->s.shm, r->s.cable, r->s.slot.index)->meter,
				  hdr->dwBufferLength);
	hdr->dwBytesRecorded = 0;
	hdr->lpNext = NULL;
	/* Into an empty queue: the pump is dropping what the timeline passes (overflow)
	 * until it sees this buffer.  Otherwise its wake-ups already cover it. */
	bool was_empty = r->tail == NULL;
	if (r->tail)
		r->tail->lpNext = hdr;
	else
		r->head = hdr;
	r->tail = hdr;
	bool started = r->started;
	drv_stream_unlock(&r->s);
	if (started && was_empty)
		drv_pump_poke();
	return MMSYSERR_NOERROR;
}

static DWORD wid_start(struct wave_in *r)
{
	EnterCriticalSection(&r->s.lock);
	if (!r->started) {
		r->started = true;
		r->cursor = now_frame(r);
	}
	drv_stream_unlock(&r->s);
	drv_pump_poke();
	return MMSYSERR_NOERROR;
}

/* STOP returns the buffer being filled if it holds anything; RESET returns all. */
static DWORD wid_stop_or_reset(struct wave_in *r, bool reset)
{
	struct data_list list = { NULL, &list.first };
	EnterCriticalSection(&r->s.lock);
	if (r->started)
		record(r, now_frame(r), &list);
	r->started = false;
	lc_pipeline_reset(r->s.pipeline);
	if (reset) {
		while (r->head)
			pop_head(r, &list);
		r->bytes_done = 0;
	} else if (r->head && r->head->dwBytesRecorded > 0) {
		pop_head(r, &list);
	}
	drv_stream_unlock(&r->s);
	notify_data(r, list.first);
	return MMSYSERR_NOERROR;
}

static DWORD wid_get_pos(struct wave_in *r, MMTIME *time, DWORD_PTR size)
{
	EnterCriticalSection(&r->s.lock);
	uint64_t bytes = r->bytes_done;
	drv_stream_unlock(&r->s);
	return drv_stream_get_pos(&r->s, time, size, bytes);
}

DWORD APIENTRY widMessage(UINT device, UINT msg, DWORD_PTR user, DWORD_PTR param1,
			  DWORD_PTR param2)
{
	DWORD result;
	struct wave_in *r = NULL;
	switch (msg) {
	case WIDM_CLOSE: case WIDM_ADDBUFFER: case WIDM_START: case WIDM_STOP: case WIDM_RESET:
	case WIDM_GETPOS: case WIDM_PREPARE: case WIDM_UNPREPARE:
		r = (struct wave_in *)drv_stream_lookup(user, DRV_STREAM_IN);
		if (!r) {
			result = MMSYSERR_INVALHANDLE;
			goto out;
		}
		break;
	}

	switch (msg) {
	case DRVM_INIT:
		result = drv_shm_attach() == 0 ? MMSYSERR_NOERROR : MMSYSERR_NODRIVER;
		break;
	case DRVM_EXIT: case DRVM_ENABLE: case DRVM_DISABLE:
		result = MMSYSERR_NOERROR;
		break;
	case WIDM_GETNUMDEVS: result = drv_caps_num_devs(); break;
	case WIDM_GETDEVCAPS: result = drv_caps_wave_in(device, (WAVEINCAPSW *)param1, param2); break;
	case WIDM_OPEN:
		result = wid_open(device, (DWORD_PTR *)user, (const WAVEOPENDESC *)param1, (DWORD)param2);
		break;
	case WIDM_CLOSE: result = wid_close(r); break;
	case WIDM_ADDBUFFER: result = wid_add_buffer(r, (WAVEHDR *)param1, param2); break;
	case WIDM_START: result = wid_start(r); break;
	case WIDM_STOP: result = wid_stop_or_reset(r, false); break;
	case WIDM_RESET: result = wid_stop_or_reset(r, true); break;
	case WIDM_GETPOS: result = wid_get_pos(r, (MMTIME *)param1, param2); break;
	case WIDM_PREPARE: result = drv_stream_prepare((WAVEHDR *)param1, param2); break;
	case WIDM_UNPREPARE: result = drv_stream_unprepare((WAVEHDR *)param1, param2); break;
	case DRV_QUERYDEVICEINTERFACESIZE: case DRV_QUERYDEVICEINTERFACE:
	case DRV_QUERYFUNCTIONINSTANCEIDSIZE: case DRV_QUERYFUNCTIONINSTANCEID:
		result = drv_caps_query_string(DRV_STREAM_IN, device, msg, param1, param2);
		break;
	default: result = MMSYSERR_NOTSUPPORTED; break;
	}
out:
	DRV_TRACE("widMessage(%u, %s, %#llx, %#llx, %#llx) = %s", device, drv_caps_msg_name(msg),
		  (unsigned long long)user, (unsigned long long)param1, (unsigned long long)param2,
		  drv_result_mm_name(result));
	return result;
}
