/* SPDX-License-Identifier: MIT */
/*
 * wm_handles.h — HWAVEOUT/HWAVEIN values: a table of live opens that any value a
 * caller passes can be checked against without dereferencing it.
 *
 * Lifecycle of one slot (all transitions under the table's lock; the lock is never
 * held while a driver runs):
 *
 *   FREE --reserve--> RESERVED --publish--> OPEN --begin_close--> CLOSING
 *     ^                  |                   ^                      |
 *     +-----release------+                   +--end_close(false)----+
 *     +-----------------------------------------end_close(true)-----+
 *
 * RESERVED exists because the driver needs the handle (WAVEOPENDESC.hWave) for its
 * callbacks before WODM_OPEN returns; CLOSING makes a second close of the same
 * handle, racing the first, fail with MMSYSERR_INVALHANDLE instead of reaching the
 * driver twice.  Only OPEN slots are found by wm_handles_lookup().
 */
#ifndef WM_HANDLES_H
#define WM_HANDLES_H

#include <stdbool.h>

#include "wm_drivers.h"

/* What an open handle stands for. */
struct wm_open {
	const struct wm_device *device;
	UINT id;	/* global device id (waveOutGetID) */
	DWORD_PTR user; /* the instance the driver stored through dwUser at OPEN */
};

/* A new handle in state RESERVED, or NULL when every slot is in use. */
HANDLE wm_handles_reserve(enum wm_dir dir);

/* RESERVED -> OPEN with `open`. */
void wm_handles_publish(HANDLE handle, const struct wm_open *open);

/* RESERVED -> FREE (an open that failed, or a WAVE_FORMAT_QUERY). */
void wm_handles_release(HANDLE handle);

/* A copy of the open behind `handle` if it is an OPEN handle of direction `dir`;
 * false for anything else (junk, NULL, closed, the other direction). */
bool wm_handles_lookup(HANDLE handle, enum wm_dir dir, struct wm_open *out);

/* OPEN -> CLOSING, with a copy of the open; false as for wm_handles_lookup(). */
bool wm_handles_begin_close(HANDLE handle, enum wm_dir dir, struct wm_open *out);

/* CLOSING -> FREE when `closed`, else back to OPEN (the driver refused the close). */
void wm_handles_end_close(HANDLE handle, bool closed);

#endif /* WM_HANDLES_H */
