/* SPDX-License-Identifier: MIT */
/*
 * drv_stream.h — what every open wave device (a "stream": one waveOutOpen or
 * waveInOpen) has in common, and the table of live streams of this process.
 *
 * winmm hands our instance pointer back as dwUser on every message.  A client can
 * pass anything there (a closed handle, junk), so a pointer is trusted only after
 * drv_stream_lookup() found it in the live table — nothing is dereferenced before.
 *
 * Locks: stream->lock guards the stream's queue and state.  It is never held while
 * calling a client (drv_notify.h) or while taking the pump's sweep lock.
 */
#ifndef DRV_STREAM_H
#define DRV_STREAM_H

#include <windows.h>
#include <stdbool.h>

#include "drv_notify.h"
#include "drv_pump.h"
#include "lc_fmt.h"
#include "lc_pipeline.h"
#include "lc_shm.h"

enum drv_stream_dir { DRV_STREAM_OUT = 1, DRV_STREAM_IN = 2 };

struct drv_stream {
	struct drv_pump_item pump; /* first: the pump hands it back */
	enum drv_stream_dir dir;
	CRITICAL_SECTION lock;
	struct drv_callback cb;
	struct lc_fmt fmt;
	struct lc_shm *shm;        /* the generation the stream opened on (a reference) */
	uint32_t cable;
	struct lc_slot slot;
	struct lc_pipeline *pipeline;
	float *cable_buf;          /* pipeline scratch on the cable side */
	uint32_t cable_buf_frames;
	volatile LONG closing;     /* set by close: no more callbacks */
	DWORD volume_word;         /* last WODM_SETVOLUME value, read back by GETVOLUME */
	uint64_t last_xrun_post;   /* ticks of the last under/overflow event (rate limit) */
	uint32_t pending_event;    /* packed lc_event to post once the lock is left; 0: none */
};

/* Registers a stream as live.  @return 0 or LC_E_NO_MEMORY. */
int drv_stream_register(struct drv_stream *stream);

/* Forgets a stream (close). */
void drv_stream_unregister(struct drv_stream *stream);

/* The live stream of that direction whose instance value is `user`, or NULL. */
struct drv_stream *drv_stream_lookup(DWORD_PTR user, enum drv_stream_dir dir);

/*
 * What WODM_OPEN and WIDM_OPEN check before allocating anything: arguments, device id,
 * the client's format (into *fmt).  Returns the answer on failure, else
 * MMSYSERR_NOERROR with *query_only telling a WAVE_FORMAT_QUERY (open nothing).
 */
DWORD drv_stream_check_open(UINT device, DWORD_PTR *user, const WAVEOPENDESC *desc, DWORD flags,
			    struct lc_fmt *fmt, bool *query_only);

/* After drv_stream_init and the direction's own set-up: makes the stream reachable
 * (the live table, the pump).  On failure it undoes drv_stream_init.
 * @return 0 or an lc_result. */
int drv_stream_start(struct drv_stream *stream);

/*
 * The common part of WODM_OPEN / WIDM_OPEN after the format was validated: claims a
 * slot on the cable, builds the pipeline and the cable-side scratch.
 * @return 0 or an lc_result (LC_E_NO_SLOT when the cable is full), or DRV_E_BAD_DEVICE
 * (drv_result.h) when the cable is gone from the generation the open landed on.
 */
int drv_stream_init(struct drv_stream *stream, enum drv_stream_dir dir, uint32_t cable,
		    const struct lc_fmt *fmt, const struct drv_callback *cb);

/* The lc_event kind of the stream's slot (writer or reader). */
uint32_t drv_stream_event_kind(const struct drv_stream *stream);

/* Undoes drv_stream_init (releases the slot). */
void drv_stream_destroy(struct drv_stream *stream);

/* A client closed the stream: tells panels, then the client (WOM_CLOSE / WIM_CLOSE).
 * The slot itself may stay claimed a little longer (drv_wod.c drains). */
void drv_stream_closed(struct drv_stream *stream, UINT msg);

/* Under the lock: an event for panels (lc_event_pack), posted by drv_stream_unlock —
 * posting is a call out (DriverCallback), and DESIGN.md decision 9 keeps those out of
 * our locks.  A second event before the unlock replaces the first. */
void drv_stream_event(struct drv_stream *stream, uint32_t packed);

/* LeaveCriticalSection(&stream->lock), then posts the pending event if any. */
void drv_stream_unlock(struct drv_stream *stream);

/* Calls back the client unless the stream is closing. */
void drv_stream_notify(struct drv_stream *stream, UINT msg, DWORD_PTR param1);

/* Validates a header pointer and size from a client (WODM_PREPARE & co). */
bool drv_stream_header_ok(const WAVEHDR *hdr, DWORD_PTR size);

/* PREPARE/UNPREPARE are the same for both directions (flags only). */
DWORD drv_stream_prepare(WAVEHDR *hdr, DWORD_PTR size);
DWORD drv_stream_unprepare(WAVEHDR *hdr, DWORD_PTR size);

/* GETPOS for both directions: `bytes` in the type the caller asked for (see there). */
DWORD drv_stream_get_pos(const struct drv_stream *stream, MMTIME *time, DWORD_PTR size,
			 uint64_t bytes);

/* The format a client passed at open, validated: the size we may read is only known
 * for EXTENSIBLE via cbSize, so it is derived here.  @return 0 or LC_E_FORMAT. */
int drv_stream_parse_format(const WAVEFORMATEX *wfx, struct lc_fmt *fmt);

#endif /* DRV_STREAM_H */
