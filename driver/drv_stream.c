/* SPDX-License-Identifier: MIT */
/* drv_stream.c — what both directions share (drv_stream.h). */
#include <windows.h>
#include <mmsystem.h>
#include <mmddk.h>
#include <stdlib.h>

#include "drv_config.h"
#include "drv_panel.h"
#include "drv_reaper.h"
#include "drv_result.h"
#include "drv_shm.h"
#include "drv_stream.h"
#include "drv_trace.h"
#include "lc_event.h"
#include "lc_resample.h"
#include "lc_result.h"

/* Opens racing with settings changes: how often one moves on to a newer generation. */
#define CLAIM_TRIES 4
/* Cable-side scratch per stream: a pipeline step never needs more. */
#define CABLE_BUF_FRAMES 4096u

static SRWLOCK live_lock = SRWLOCK_INIT;
static struct drv_stream **live;
static size_t n_live, live_cap;

static int live_add(struct drv_stream *stream)
{
	int result = 0;
	AcquireSRWLockExclusive(&live_lock);
	if (n_live == live_cap) {
		size_t cap = live_cap ? live_cap * 2 : 16;
		struct drv_stream **grown = realloc(live, cap * sizeof(*grown));
		if (grown) {
			live = grown;
			live_cap = cap;
		}
	}
	if (n_live < live_cap)
		live[n_live++] = stream;
	else
		result = LC_E_NO_MEMORY;
	ReleaseSRWLockExclusive(&live_lock);
	return result;
}

/* Takes the stream out of the live table and drops the table's reference. */
static void live_remove(struct drv_stream *stream)
{
	bool found = false;
	AcquireSRWLockExclusive(&live_lock);
	for (size_t i = 0; i < n_live; i++) {
		if (live[i] == stream) {
			live[i] = live[--n_live];
			found = true;
			break;
		}
	}
	ReleaseSRWLockExclusive(&live_lock);
	if (found)
		drv_stream_put(stream);
}

struct drv_stream *drv_stream_get(DWORD_PTR user, enum drv_stream_dir dir)
{
	struct drv_stream *found = NULL;
	AcquireSRWLockShared(&live_lock);
	for (size_t i = 0; i < n_live; i++) {
		if ((DWORD_PTR)live[i] == user && live[i]->cls->dir == dir) {
			found = live[i];
			drv_pump_item_hold(&found->pump);
			break;
		}
	}
	ReleaseSRWLockShared(&live_lock);
	return found;
}

void drv_stream_put(struct drv_stream *stream)
{
	if (stream)
		drv_pump_item_drop(&stream->pump);
}

struct drv_stream *drv_stream_alloc(size_t size, const struct drv_stream_class *cls)
{
	struct drv_stream *stream = calloc(1, size);
	if (!stream)
		return NULL;
	if (drv_queue_init(&stream->queue) != 0) {
		free(stream);
		return NULL;
	}
	drv_pump_item_init(&stream->pump, &cls->pump);
	stream->cls = cls;
	InitializeCriticalSection(&stream->lock);
	InitializeConditionVariable(&stream->returned);
	stream->lock_ready = true;
	stream->volume_word = 0xFFFFFFFF;
	return stream;
}

static void shm_fmt_from(const struct lc_fmt *fmt, struct lc_shm_fmt *out)
{
	out->tag = fmt->sample == LC_FMT_F32 ? LC_WAVE_FORMAT_IEEE_FLOAT : LC_WAVE_FORMAT_PCM;
	out->sample = fmt->sample;
	out->rate_hz = fmt->rate_hz;
	out->n_channels = fmt->channels;
	out->bits = lc_fmt_sample_bytes(fmt->sample) * 8;
	out->valid_bits = fmt->valid_bits;
	out->channel_mask = fmt->channel_mask;
	out->block_align = fmt->block_align;
}

int drv_stream_init(struct drv_stream *stream, uint32_t cable, const struct lc_fmt *fmt,
		    const WAVEOPENDESC *desc, DWORD flags)
{
	struct lc_shm_fmt shm_fmt;
	shm_fmt_from(fmt, &shm_fmt);
	enum lc_slot_kind kind = stream->cls->dir == DRV_STREAM_OUT ? LC_SLOT_WRITER : LC_SLOT_READER;
	struct lc_shm *shm = NULL;
	int result = LC_E_STATE;
	/* On the current generation, which may be newer than the one drv_stream_check_open
	 * saw.  A claim that lands in a generation just replaced moves on to the new one:
	 * other processes may already have judged the old one empty and stopped hearing
	 * it (drv_shm_is_current). */
	for (int attempt = 0; attempt < CLAIM_TRIES; attempt++) {
		shm = drv_shm_acquire();
		if (!shm)
			return LC_E_STATE;
		if (cable >= shm->n_cables) {
			drv_shm_release(shm);
			return DRV_E_BAD_DEVICE;
		}
		result = lc_shm_claim(shm, kind, cable, drv_shm_pid(), drv_shm_start_time(),
				      &shm_fmt, &stream->slot);
		if (result < 0 || drv_shm_is_current(shm))
			break;
		lc_shm_release(shm, &stream->slot);
		drv_shm_release(shm);
		shm = NULL;
	}
	if (result < 0 || !shm) {
		drv_shm_release(shm);
		return result < 0 ? result : LC_E_STATE;
	}
	stream->shm = shm;
	stream->cable = cable;
	stream->fmt = *fmt;
	stream->cb = (struct drv_callback){ desc->dwCallback, desc->dwInstance, flags,
					    (HANDLE)desc->hWave };
	const struct lc_shm_cable_desc *cd = &shm->cables[cable];
	struct lc_pipeline_cable side = { cd->rate_hz, cd->n_channels, 0 };
	result = lc_pipeline_create(&stream->pipeline,
				    kind == LC_SLOT_WRITER ? LC_PIPELINE_WRITE : LC_PIPELINE_READ,
				    fmt, &side, LC_RESAMPLE_QUALITY_DEFAULT);
	stream->cable_buf_frames = CABLE_BUF_FRAMES;
	if (result == 0) {
		stream->cable_buf = malloc(sizeof(float) * CABLE_BUF_FRAMES * cd->n_channels);
		if (!stream->cable_buf)
			result = LC_E_NO_MEMORY;
	}
	if (result != 0)
		return result;
	DRV_TRACE("%s stream on cable %u slot %u: %s %u Hz %u ch (%s%s)",
		  kind == LC_SLOT_WRITER ? "out" : "in", cable, stream->slot.index,
		  lc_fmt_sample_name(fmt->sample), fmt->rate_hz, fmt->channels,
		  lc_pipeline_conv_name(stream->pipeline),
		  lc_pipeline_resamples(stream->pipeline) ? ", resampling" : "");
	return 0;
}

int drv_stream_claim_again(struct drv_stream *stream)
{
	struct lc_shm_fmt shm_fmt;
	shm_fmt_from(&stream->fmt, &shm_fmt);
	enum lc_slot_kind kind = stream->cls->dir == DRV_STREAM_OUT ? LC_SLOT_WRITER : LC_SLOT_READER;
	struct lc_slot slot;
	int result = lc_shm_claim(stream->shm, kind, stream->cable, drv_shm_pid(),
				  drv_shm_start_time(), &shm_fmt, &slot);
	if (result < 0)
		return result;
	/* Frees nothing unless the old slot is still ours after all (it compares). */
	lc_shm_release(stream->shm, &stream->slot);
	stream->slot = slot;
	return 0;
}

uint32_t drv_stream_event_kind(const struct drv_stream *stream)
{
	return stream->cls->dir == DRV_STREAM_OUT ? LC_EVENT_KIND_WRITER : LC_EVENT_KIND_READER;
}

/* The number of cables a device id is checked against.  A query must leave no trace:
 * with no section attached yet, the settings say how many cables there will be. */
static uint32_t cable_count(bool query_only, bool *ok)
{
	struct lc_shm *shm = query_only ? drv_shm_acquire_attached() : drv_shm_acquire();
	*ok = true;
	if (shm) {
		uint32_t n = shm->n_cables;
		drv_shm_release(shm);
		return n;
	}
	if (query_only) {
		struct drv_config config;
		drv_config_read(&config);
		return config.n_cables;
	}
	*ok = false;
	return 0;
}

DWORD drv_stream_check_open(UINT device, DWORD_PTR *user, const WAVEOPENDESC *desc, DWORD flags,
			    struct lc_fmt *fmt, bool *query_only)
{
	*query_only = (flags & WAVE_FORMAT_QUERY) != 0;
	if ((!user && !*query_only) || !desc || !desc->lpFormat)
		return MMSYSERR_INVALPARAM;
	bool ok;
	uint32_t n_cables = cable_count(*query_only, &ok);
	if (!ok)
		return MMSYSERR_NODRIVER;
	if (device >= n_cables)
		return MMSYSERR_BADDEVICEID;
	/* WAVEOPENDESC declares lpFormat as the old WAVEFORMAT; clients pass more. */
	if (drv_stream_parse_format((const WAVEFORMATEX *)desc->lpFormat, fmt) != 0)
		return WAVERR_BADFORMAT;
	return MMSYSERR_NOERROR;
}

DWORD drv_stream_start(struct drv_stream *stream, DWORD_PTR *user)
{
	int result = drv_pump_add(&stream->pump);
	if (result == 0 && (result = live_add(stream)) != 0)
		drv_pump_remove(&stream->pump);
	if (result != 0) {
		drv_stream_put(stream);
		return drv_result_to_mm(result);
	}
	/* The creator's reference is now the live table's. */
	*user = (DWORD_PTR)stream;
	/* A process with a stream open helps reclaim dead clients' slots. */
	drv_reaper_start();
	drv_panel_post(stream->shm, lc_event_pack(LC_EVENT_CLIENT_OPENED, stream->cable,
						  stream->slot.index, drv_stream_event_kind(stream)));
	drv_notify_client(&stream->cb, stream->cls->open_msg, 0);
	return MMSYSERR_NOERROR;
}

void drv_stream_destroy(struct drv_stream *stream)
{
	if (stream->shm) {
		lc_shm_release(stream->shm, &stream->slot);
		drv_shm_release(stream->shm);
		stream->shm = NULL;
	}
	lc_pipeline_destroy(stream->pipeline);
	stream->pipeline = NULL;
	free(stream->cable_buf);
	stream->cable_buf = NULL;
	drv_queue_free(&stream->queue);
	if (stream->lock_ready)
		DeleteCriticalSection(&stream->lock);
	stream->lock_ready = false;
}

/* Under the lock: waits until every buffer that left the queue is back. */
static void wait_handed_back(struct drv_stream *stream)
{
	stream->n_waiting++;
	while (stream->queue.done < stream->queue.head)
		SleepConditionVariableCS(&stream->returned, &stream->lock, INFINITE);
	stream->n_waiting--;
}

DWORD drv_stream_close(struct drv_stream *stream)
{
	EnterCriticalSection(&stream->lock);
	if (stream->closing) {
		LeaveCriticalSection(&stream->lock);
		return MMSYSERR_INVALHANDLE;
	}
	bool from_callback = stream->handing_back == GetCurrentThreadId();
	/* From a callback of this stream with more buffers still to come back after it,
	 * the client would get them after WOM_CLOSE. */
	if (stream->queue.head != stream->queue.tail
	    || (from_callback && stream->queue.sent != stream->queue.head)) {
		drv_stream_unlock(stream);
		return WAVERR_STILLPLAYING;
	}
	stream->closing = true;
	/* Another thread is handing buffers back (the pump, a reset): their callbacks
	 * come before WOM_CLOSE.  They run with no lock of ours held, so this waits only
	 * for this stream's callbacks to return. */
	if (!from_callback)
		wait_handed_back(stream);
	bool keep = stream->cls->closed(stream);
	drv_stream_unlock(stream);

	drv_panel_post(stream->shm, lc_event_pack(LC_EVENT_CLIENT_CLOSED, stream->cable,
						  stream->slot.index, drv_stream_event_kind(stream)));
	if (keep)
		drv_pump_poke();
	else
		drv_pump_remove(&stream->pump);
	live_remove(stream);
	/* The caller's reference (drv_stream_get) keeps the stream until it answers. */
	drv_notify_client(&stream->cb, stream->cls->close_msg, 0);
	return MMSYSERR_NOERROR;
}

void drv_stream_free_all(void)
{
	for (;;) {
		AcquireSRWLockShared(&live_lock);
		struct drv_stream *stream = n_live ? live[n_live - 1] : NULL;
		if (stream)
			drv_pump_item_hold(&stream->pump);
		ReleaseSRWLockShared(&live_lock);
		if (!stream)
			break;
		EnterCriticalSection(&stream->lock);
		stream->closing = true;
		LeaveCriticalSection(&stream->lock);
		DRV_WARN("cable %u: a stream still open at unload lets go of slot %u",
			 stream->cable, stream->slot.index);
		drv_pump_remove(&stream->pump);
		live_remove(stream);
		drv_stream_put(stream);
	}
}

bool drv_stream_lock(struct drv_stream *stream)
{
	EnterCriticalSection(&stream->lock);
	if (!stream->closing)
		return true;
	LeaveCriticalSection(&stream->lock);
	return false;
}

void drv_stream_event(struct drv_stream *stream, uint32_t packed)
{
	stream->pending_event = packed;
}

void drv_stream_unlock(struct drv_stream *stream)
{
	uint32_t packed = stream->pending_event;
	struct lc_shm *shm = stream->shm;
	stream->pending_event = 0;
	LeaveCriticalSection(&stream->lock);
	/* Whoever unlocks holds a reference: the stream and its generation stay. */
	if (packed)
		drv_panel_post(shm, packed);
}

/* Hands one buffer back: the last the driver does with the header is WHDR_DONE. */
static void return_one(struct drv_stream *stream, const struct drv_queue_entry *entry)
{
	WAVEHDR *hdr = entry->hdr;
	if (stream->cls->dir == DRV_STREAM_IN)
		hdr->dwBytesRecorded = entry->recorded;
	DWORD flags = hdr->dwFlags;
	/* A poller that sees WHDR_DONE must see dwBytesRecorded too. */
	MemoryBarrier();
	hdr->dwFlags = (flags & ~WHDR_INQUEUE) | WHDR_DONE;
	drv_notify_client(&stream->cb, stream->cls->done_msg, (DWORD_PTR)hdr);
}

void drv_stream_hand_back(struct drv_stream *stream, bool wait)
{
	DWORD self = GetCurrentThreadId();
	struct drv_queue *q = &stream->queue;
	EnterCriticalSection(&stream->lock);
	/* This thread hands back if nobody does, or if it already does and a callback
	 * made it come here again (a reset from inside WOM_DONE): the entries still go
	 * out in order, each once. */
	if (stream->handing_back == 0 || stream->handing_back == self) {
		DWORD outer = stream->handing_back;
		stream->handing_back = self;
		while (q->sent < q->head) {
			struct drv_queue_entry entry = *drv_queue_at(q, q->sent++);
			LeaveCriticalSection(&stream->lock);
			return_one(stream, &entry);
			EnterCriticalSection(&stream->lock);
			q->done++;
			if (stream->n_waiting)
				WakeAllConditionVariable(&stream->returned);
		}
		stream->handing_back = outer;
	} else if (wait) {
		wait_handed_back(stream);
	}
	LeaveCriticalSection(&stream->lock);
}

DWORD drv_stream_submit_check(WAVEHDR *hdr, DWORD_PTR size, struct drv_queue_entry *entry)
{
	if (!hdr || size < sizeof(WAVEHDR))
		return MMSYSERR_INVALPARAM;
	*entry = drv_queue_entry_from(hdr);
	if (!entry->data && entry->length)
		return MMSYSERR_INVALPARAM;
	if (!(entry->flags & WHDR_PREPARED))
		return WAVERR_UNPREPARED;
	if (entry->flags & WHDR_INQUEUE)
		return WAVERR_STILLPLAYING;
	return MMSYSERR_NOERROR;
}

DWORD drv_stream_enqueue(struct drv_stream *stream, const struct drv_queue_entry *entry)
{
	if (drv_queue_push(&stream->queue, entry) != 0)
		return MMSYSERR_NOMEM;
	entry->hdr->dwFlags = (entry->flags & (WHDR_BEGINLOOP | WHDR_ENDLOOP | WHDR_PREPARED))
			      | WHDR_INQUEUE;
	if (stream->cls->dir == DRV_STREAM_IN)
		entry->hdr->dwBytesRecorded = 0;
	return MMSYSERR_NOERROR;
}

static bool header_ok(const WAVEHDR *hdr, DWORD_PTR size)
{
	return hdr && size >= sizeof(WAVEHDR) && (hdr->lpData || hdr->dwBufferLength == 0);
}

DWORD drv_stream_prepare(WAVEHDR *hdr, DWORD_PTR size)
{
	if (!header_ok(hdr, size))
		return MMSYSERR_INVALPARAM;
	/* Preparing a prepared header has no effect (waveOutPrepareHeader docs). */
	DWORD flags = hdr->dwFlags;
	if (!(flags & WHDR_PREPARED))
		hdr->dwFlags = (flags & (WHDR_BEGINLOOP | WHDR_ENDLOOP)) | WHDR_PREPARED;
	return MMSYSERR_NOERROR;
}

DWORD drv_stream_unprepare(WAVEHDR *hdr, DWORD_PTR size)
{
	if (!hdr || size < sizeof(WAVEHDR))
		return MMSYSERR_INVALPARAM;
	DWORD flags = hdr->dwFlags;
	if (flags & WHDR_INQUEUE)
		return WAVERR_STILLPLAYING;
	hdr->dwFlags = flags & ~WHDR_PREPARED;
	return MMSYSERR_NOERROR;
}

DWORD drv_stream_get_pos(const struct drv_stream *stream, MMTIME *time, DWORD_PTR size,
			 uint64_t bytes)
{
	if (!time)
		return MMSYSERR_INVALPARAM;
	/* Windows drivers answer a short MMTIME with MMSYSERR_ERROR (docs/wine.md). */
	if (size < sizeof(MMTIME))
		return MMSYSERR_ERROR;
	if (time->wType == TIME_SAMPLES) {
		time->u.sample = (DWORD)(bytes / stream->fmt.block_align);
		return MMSYSERR_NOERROR;
	}
	/* Everything else in bytes, with wType rewritten, as Windows' own drivers answer:
	 * TIME_MS and TIME_SMPTE too, which programs written on Windows have never seen
	 * honoured (and TIME_MIDI, TIME_TICKS, which a wave device cannot express). */
	time->wType = TIME_BYTES;
	time->u.cb = (DWORD)bytes;
	return MMSYSERR_NOERROR;
}

int drv_stream_parse_format(const WAVEFORMATEX *wfx, struct lc_fmt *fmt)
{
	if (!wfx)
		return LC_E_INVALID;
	/* PCMWAVEFORMAT has no cbSize; only EXTENSIBLE needs the bytes cbSize counts. */
	size_t size = 16;
	if (wfx->wFormatTag == LC_WAVE_FORMAT_EXTENSIBLE)
		size = sizeof(WAVEFORMATEX) + wfx->cbSize;
	enum lc_fmt_reject reject;
	int result = lc_fmt_parse_wfx(fmt, wfx, size, &reject);
	if (result != 0)
		DRV_TRACE("format rejected: %s", lc_fmt_reject_str(reject));
	return result;
}
