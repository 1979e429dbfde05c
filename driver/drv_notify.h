/* SPDX-License-Identifier: MIT */
/*
 * drv_notify.h — telling clients what happened: WOM_/WIM_ callbacks through winmm's
 * DriverCallback, for every CALLBACK_* kind.
 *
 * Rule (docs/architecture.md decision 9): call these with no lock held.  Clients call waveOut*
 * from inside their callbacks (CALLBACK_FUNCTION runs on our thread, synchronously).
 */
#ifndef DRV_NOTIFY_H
#define DRV_NOTIFY_H

#include <windows.h>
#include <mmsystem.h>

/* What the client gave at open (WAVEOPENDESC + open flags). */
struct drv_callback {
	DWORD_PTR callback; /* function, window, thread id or event, by flags */
	DWORD_PTR instance; /* dwInstance, given back to CALLBACK_FUNCTION */
	DWORD open_flags;   /* CALLBACK_* in the high word */
	HANDLE device;      /* hWave: the handle winmm gave the client */
};

/* Post or call `msg` (WOM_OPEN, WOM_DONE, WIM_DATA, …) with dwParam1 = param1. */
void drv_notify_client(const struct drv_callback *cb, UINT msg, DWORD_PTR param1);

#endif /* DRV_NOTIFY_H */
