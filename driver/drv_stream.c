/* SPDX-License-Identifier: MIT */
/* drv_stream.c — what both directions share (drv_stream.h). */
#include <windows.h>
#include <mmsystem.h>
#include <mmddk.h>
#include <stdlib.h>

#include "drv_panel.h"
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

int drv_stream_register(struct drv_stream *stream)
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

void drv_stream_unregister(struct drv_stream *stream)
{
	AcquireSRWLockExclusive(&live_lock);
	for (size_t i = 0; i < n_live; i++) {
		if (live[i] == stream) {
			live[i] = live[--n_live];
			break;
		}
	}
	ReleaseSRWLockExclusive(&live_lock);
}

struct drv_stream *drv_stream_lookup(DWORD_PTR user, enum drv_stream_dir dir)
{
	struct drv_stream *found = NULL;
	AcquireSRWLockShared(&live_lock);
	for (size_t i = 0; i < n_live; i++) {
		if ((DWORD_PTR)live[i] == user && live[i]->dir == dir) {
			found = live[i];
			break;
		}
	}
	ReleaseSRWLockShared(&live_lock);
	return found;
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

int drv_stream_init(struct drv_stream *stream, enum drv_stream_dir dir, uint32_t cable,
		    const struct lc_fmt *fmt, const struct drv_callback *cb)
{
	struct lc_shm_fmt shm_fmt;
	shm_fmt_from(fmt, &shm_fmt);
	enum lc_slot_kind kind = dir == DRV_STREAM_OUT ? LC_SLOT_WRITER : LC_SLOT_READER;
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
	stream->dir = dir;
	stream->cable = cable;
	stream->fmt = *fmt;
	stream->cb = *cb;
	stream->volume_word = 0xFFFFFFFF;
	InitializeCriticalSection(&stream->lock);
	const struct lc_shm_cable_desc *desc = &shm->cables[cable];
	struct lc_pipeline_cable side = { desc->rate_hz, desc->n_channels, 0 };
	result = lc_pipeline_create(&stream->pipeline,
				    dir == DRV_STREAM_OUT ? LC_PIPELINE_WRITE : LC_PIPELINE_READ,
				    fmt, &side, LC_RESAMPLE_QUALITY_DEFAULT);
	stream->cable_buf_frames = CABLE_BUF_FRAMES;
	if (result == 0) {
		stream->cable_buf = malloc(sizeof(float) * CABLE_BUF_FRAMES * desc->n_channels);
		if (!stream->cable_buf)
			result = LC_E_NO_MEMORY;
	}
	if (result != 0) {
		drv_stream_destroy(stream);
		return result;
	}
	drv_panel_post(shm, lc_event_pack(LC_EVENT_CLIENT_OPENED, cable, stream->slot.index,
				     drv_stream_event_kind(stream)));
	DRV_TRACE("%s stream on cable %u slot %u: %s %u Hz %u ch (%s%s)",
		  dir == DRV_STREAM_OUT ? "out" : "in", cable, stream->slot.index,
		  lc_fmt_sample_name(fmt->sample), fmt->rate_hz, fmt->channels,
		  lc_pipeline_conv_name(stream->pipeline),
		  lc_pipeline_resamples(stream->pipeline) ? ", resampling" : "");
	return 0;
}

uint32_t drv_stream_event_kind(const struct drv_stream *stream)
{
	return stream->dir == DRV_STREAM_OUT ? LC_EVENT_KIND_WRITER : LC_EVENT_KIND_READER;
}

DWORD drv_stream_check_open(UINT device, DWORD_PTR *user, const WAVEOPENDESC *desc, DWORD flags,
			    struct lc_fmt *fmt, bool *query_only)
{
	*query_only = false;
	if (!user || !desc || !desc->lpFormat)
		return MMSYSERR_INVALPARAM;
	struct lc_shm *shm = drv_shm_acquire();
	if (!shm)
		return MMSYSERR_NODRIVER;
	uint32_t n_cables = shm->n_cables;
	drv_shm_release(shm);
	if (device >= n_cables)
		return MMSYSERR_BADDEVICEID;
	/* WAVEOPENDESC declares lpFormat as the old WAVEFORMAT; clients pass more. */
	if (drv_stream_parse_format((const WAVEFORMATEX *)desc->lpFormat, fmt) != 0)
		return WAVERR_BADFORMAT;
	*query_only = (flags & WAVE_FORMAT_QUERY) != 0;
	return MMSYSERR_NOERROR;
}

int drv_stream_start(struct drv_stream *stream)
{
	int result = drv_stream_register(stream);
	if (result == 0 && (result = drv_pump_add(&stream->pump)) != 0)
		drv_stream_unregister(stream);
	if (result != 0)
		drv_stream_destroy(stream);
	return result;
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
	DeleteCriticalSection(&stream->lock);
}

void drv_stream_closed(struct drv_stream *stream, UINT msg)
{
	drv_panel_post(stream->shm, lc_event_pack(LC_EVENT_CLIENT_CLOSED, stream->cable, stream->slot.index,
				     drv_stream_event_kind(stream)));
	drv_notify_client(&stream->cb, msg, 0);
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
	/* Only the pump (or the client's own call) set it, and neither frees the stream
	 * while the call that set it runs. */
	if (packed)
		drv_panel_post(shm, packed);
}

void drv_stream_notify(struct drv_stream *stream, UINT msg, DWORD_PTR param1)
{
	if (!stream->closing)
		drv_notify_client(&stream->cb, msg, param1);
}

bool drv_stream_header_ok(const WAVEHDR *hdr, DWORD_PTR size)
{
	return hdr && size >= sizeof(WAVEHDR) && (hdr->lpData || hdr->dwBufferLength == 0);
}

DWORD drv_stream_prepare(WAVEHDR *hdr, DWORD_PTR size)
{
	if (!drv_stream_header_ok(hdr, size))
		return MMSYSERR_INVALPARAM;
	/* Preparing a prepared header has no effect (waveOutPrepareHeader docs). */
	if (!(hdr->dwFlags & WHDR_PREPARED))
		hdr->dwFlags = (hdr->dwFlags & (WHDR_BEGINLOOP | WHDR_ENDLOOP)) | WHDR_PREPARED;
	return MMSYSERR_NOERROR;
}

DWORD drv_stream_unprepare(WAVEHDR *hdr, DWORD_PTR size)
{
	if (!hdr || size < sizeof(WAVEHDR))
		return MMSYSERR_INVALPARAM;
	if (hdr->dwFlags & WHDR_INQUEUE)
		return WAVERR_STILLPLAYING;
	hdr->dwFlags &= ~WHDR_PREPARED;
	return MMSYSERR_NOERROR;
}

DWORD drv_stream_get_pos(const struct drv_stream *stream, MMTIME *time, DWORD_PTR size,
			 uint64_t bytes)
{
	if (!time)
		return MMSYSERR_INVALPARAM;
	/* Windows drivers answer a short MMTIME with MMSYSERR_ERROR (PLATFORM.md). */
	if (size < sizeof(MMTIME))
		return MMSYSERR_ERROR;
	uint64_t samples = bytes / stream->fmt.block_align;
	switch (time->wType) {
	case TIME_SAMPLES:
		time->u.sample = (DWORD)samples;
		break;
	case TIME_MS:
		time->u.ms = (DWORD)(samples * 1000 / stream->fmt.rate_hz);
		break;
	case TIME_SMPTE: {
		uint64_t secs = samples / stream->fmt.rate_hz;
		time->u.smpte.hour = (BYTE)(secs / 3600 % 24);
		time->u.smpte.min = (BYTE)(secs / 60 % 60);
		time->u.smpte.sec = (BYTE)(secs % 60);
		time->u.smpte.frame = (BYTE)(samples % stream->fmt.rate_hz * 30 / stream->fmt.rate_hz);
		time->u.smpte.fps = 30;
		time->u.smpte.dummy = 0;
		break;
	}
	default:
		/* TIME_BYTES, and what we cannot express (TIME_MIDI, TIME_TICKS): bytes, with
		 * wType rewritten, as Windows' drivers do. */
		time->wType = TIME_BYTES;
		time->u.cb = (DWORD)bytes;
		break;
	}
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
