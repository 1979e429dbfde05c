/* SPDX-License-Identifier: MIT */
/*
 * drv_stream.h — what every open wave device (a "stream": one waveOutOpen or
 * waveInOpen) has in common: the table of live streams, references, the buffer queue,
 * handing buffers back, and the one close path of both directions.
 *
 * Handles.  winmm hands our instance pointer back as dwUser on every message.  A
 * client can pass anything there (a closed handle, junk), so a pointer is trusted only
 * after drv_stream_get() found it in the live table — nothing is dereferenced before —
 * and found it takes a reference, dropped by drv_stream_put() when the message is
 * answered.  A close on another thread therefore never frees a stream under a caller;
 * once a close has begun, every call answers MMSYSERR_INVALHANDLE (drv_stream_lock).
 *
 * References: the live table holds one (from open to close), the pump list one (while
 * the pump services it: drv_pump.h), each message being answered one.  The last one
 * frees the stream (its class's release()).
 *
 * Returning buffers.  A buffer leaves the queue under the stream lock (its direction
 * moves the queue's head past it) and goes back to the client with no lock held
 * (drv_stream_hand_back): dwBytesRecorded, then WHDR_DONE, then the callback.  One
 * thread at a time hands a stream's buffers back, strictly in queue order: a thread
 * that finds another doing it leaves its buffers to that one (the pump), or waits for
 * them to be back (a reset or a stop: Windows promises them WHDR_DONE when the call
 * returns).  After WHDR_DONE the header is the client's again: it may be re-submitted
 * or freed at once, so nothing of it is read or written afterwards.
 *
 * Close.  WOM_CLOSE / WIM_CLOSE is the last message a client gets: a close with
 * buffers queued answers WAVERR_STILLPLAYING; buffers already on their way back are
 * waited for — that stream's own callbacks only, never another stream's.  From inside
 * a callback of the stream (the thread handing back is the caller's own), a close is
 * accepted once that buffer is the last on its way back.
 *
 * Locks: stream->lock guards the stream's queue and state.  It is never held while
 * calling a client (drv_notify.h) or posting to a panel (drv_stream_unlock).
 */
#ifndef DRV_STREAM_H
#define DRV_STREAM_H

#include <windows.h>
#include <mmsystem.h>
#include <mmddk.h>
#include <stdbool.h>

#include "drv_notify.h"
#include "drv_pump.h"
#include "drv_queue.h"
#include "lc_fmt.h"
#include "lc_pipeline.h"
#include "lc_shm.h"

enum drv_stream_dir { DRV_STREAM_OUT = 1, DRV_STREAM_IN = 2 };

struct drv_stream;

/* What differs between the directions, for what drv_stream.c does for both. */
struct drv_stream_class {
	struct drv_pump_ops pump;
	enum drv_stream_dir dir;
	UINT open_msg, done_msg, close_msg; /* WOM_* or WIM_* */
	/* Under the lock, once a close has been accepted: the direction lets go of
	 * what it does.  @return true if the pump keeps the stream a while longer
	 * (a writer's tail still to be heard); it then removes it itself. */
	bool (*closed)(struct drv_stream *stream);
};

struct drv_stream {
	struct drv_pump_item pump; /* first: the pump hands it back */
	const struct drv_stream_class *cls;
	CRITICAL_SECTION lock;
	CONDITION_VARIABLE returned; /* queue.done moved on (under lock) */
	struct drv_callback cb;
	struct lc_fmt fmt;
	struct lc_shm *shm;        /* the generation the stream opened on (a reference) */
	uint32_t cable;
	struct lc_slot slot;
	struct lc_pipeline *pipeline;
	float *cable_buf;          /* pipeline scratch on the cable side */
	uint32_t cable_buf_frames;
	struct drv_queue queue;    /* submitted buffers (under lock) */
	DWORD handing_back;        /* the thread handing buffers back; 0: none */
	uint32_t n_waiting;        /* threads waiting for buffers to be back */
	bool closing;              /* close accepted: no more calls, no more callbacks */
	bool lock_ready;
	DWORD volume_word;         /* last WODM_SETVOLUME value, read back by GETVOLUME */
	uint64_t last_xrun_post;   /* ticks of the last under/overflow event (rate limit) */
	uint32_t pending_event;    /* packed lc_event to post once the lock is left; 0: none */
};

/* Allocates a stream of `size` bytes (a direction's struct, drv_stream first) with one
 * reference, its queue and lock.  NULL if out of memory. */
struct drv_stream *drv_stream_alloc(size_t size, const struct drv_stream_class *cls);

/* The live stream of that direction whose instance value is `user`, with a reference;
 * NULL if there is none. */
struct drv_stream *drv_stream_get(DWORD_PTR user, enum drv_stream_dir dir);

/* Drops a reference (drv_stream_get's, or the creator's on a failed open). */
void drv_stream_put(struct drv_stream *stream);

/*
 * What WODM_OPEN and WIDM_OPEN check before allocating anything: arguments, device id,
 * the client's format (into *fmt).  Returns the answer on failure, else
 * MMSYSERR_NOERROR with *query_only telling a WAVE_FORMAT_QUERY (open nothing).
 * A query creates, maps and publishes nothing.
 */
DWORD drv_stream_check_open(UINT device, DWORD_PTR *user, const WAVEOPENDESC *desc, DWORD flags,
			    struct lc_fmt *fmt, bool *query_only);

/*
 * The common part of WODM_OPEN / WIDM_OPEN after the format was validated: claims a
 * slot on the cable, builds the pipeline and the cable-side scratch.
 * @return 0 or an lc_result (LC_E_NO_SLOT when the cable is full), or DRV_E_BAD_DEVICE
 * (drv_result.h) when the cable is gone from the generation the open landed on.
 */
int drv_stream_init(struct drv_stream *stream, uint32_t cable, const struct lc_fmt *fmt,
		    const WAVEOPENDESC *desc, DWORD flags);

/* After drv_stream_init and the direction's own set-up: makes the stream reachable
 * (the pump, the live table), stores the handle in *user and sends WOM_OPEN/WIM_OPEN.
 * On failure the creator's reference is dropped (the stream is freed).
 * @return the answer for winmm. */
DWORD drv_stream_start(struct drv_stream *stream, DWORD_PTR *user);

/* Frees what drv_stream_alloc/init set up (the class's release() calls it last). */
void drv_stream_destroy(struct drv_stream *stream);

/* WODM_CLOSE / WIDM_CLOSE (see "Close" above). */
DWORD drv_stream_close(struct drv_stream *stream);

/* DRV_FREE: every stream the client never closed lets go of its slot, silently. */
void drv_stream_free_all(void);

/* Enters the lock unless a close has begun.  @return false (lock not held) then. */
bool drv_stream_lock(struct drv_stream *stream);

/* LeaveCriticalSection(&stream->lock), then posts the pending panel event if any. */
void drv_stream_unlock(struct drv_stream *stream);

/* Under the lock: an event for panels (lc_event_pack), posted by drv_stream_unlock —
 * posting is a call out (DriverCallback), and docs/architecture.md decision 9 keeps
 * those out of our locks.  A second event before the unlock replaces the first. */
void drv_stream_event(struct drv_stream *stream, uint32_t packed);

/* Under the lock: the stream's slot is no longer its own (reclaimed as if its process
 * had died, or overwritten): claims another of the same kind on the same cable and
 * generation.  @return 0 or an lc_result (LC_E_NO_SLOT: the cable is full). */
int drv_stream_claim_again(struct drv_stream *stream);

/* The lc_event kind of the stream's slot (writer or reader). */
uint32_t drv_stream_event_kind(const struct drv_stream *stream);

/* No lock held: hands back the buffers that left the queue (see "Returning
 * buffers").  `wait`: return only once they are all back, even if another thread is
 * handing them back (a client's reset or stop); else leave them to that thread (the
 * pump). */
void drv_stream_hand_back(struct drv_stream *stream, bool wait);

/* WODM_WRITE / WIDM_ADDBUFFER's checks of the header (read once into *entry). */
DWORD drv_stream_submit_check(WAVEHDR *hdr, DWORD_PTR size, struct drv_queue_entry *entry);

/* Under the lock: queues a checked entry and marks the header queued.
 * @return MMSYSERR_NOERROR or MMSYSERR_NOMEM. */
DWORD drv_stream_enqueue(struct drv_stream *stream, const struct drv_queue_entry *entry);

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
