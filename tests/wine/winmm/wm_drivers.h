/* SPDX-License-Identifier: MIT */
/*
 * wm_drivers.h — the wave drivers named in Drivers32, loaded once per process, and
 * the global device ids built from them (the test winmm's view of "the devices").
 *
 * Global ids number the devices of every loaded driver in load order: driver `wave`
 * first (its devices 0…n-1), then `wave1`, … `wave9`.  A device remembers its
 * driver's wodMessage/widMessage and its id inside that driver ("local id"), which
 * is what the driver receives as uDeviceID.
 *
 * Thread: any.  Loading happens inside the first call of any function here (winmm
 * loads lazily too), exactly once, even when several threads race to it.  A driver
 * must not call the wave API from DRV_LOAD/DRV_ENABLE/DRV_OPEN/DRVM_INIT/GETNUMDEVS:
 * that would wait for the loading it is part of.
 */
#ifndef WM_DRIVERS_H
#define WM_DRIVERS_H

#include <windows.h>
#include <mmsystem.h>

enum wm_dir { WM_OUT, WM_IN };

/* wodMessage and widMessage share this signature. */
typedef DWORD(APIENTRY *wm_message_fn)(UINT local_id, UINT msg, DWORD_PTR user, DWORD_PTR param1,
				       DWORD_PTR param2);

struct wm_device {
	wm_message_fn message; /* the driver's wodMessage or widMessage */
	UINT local_id;	       /* uDeviceID for that driver */
};

/* Number of devices of one direction over all loaded drivers. */
UINT wm_drivers_count(enum wm_dir dir);

/* The device with global id `id`, or NULL when id >= wm_drivers_count(dir).
 * The table never changes after loading: the pointer stays valid. */
const struct wm_device *wm_drivers_device(enum wm_dir dir, UINT id);

#endif /* WM_DRIVERS_H */
