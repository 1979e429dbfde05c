/* SPDX-License-Identifier: MIT */
/*
 * drv_panel.h — telling control panels what happens, across processes
 * (docs/architecture.md decision 8).
 *
 * A panel opens the driver (OpenDriver) and registers a window with
 * SendDriverMessage(h, LC_DRV_REGISTER_WINDOW, hwnd, 0); the driver keeps it in a panel
 * slot of the shared section.  Any driver instance, in any process, then posts
 * LC_WM_DRIVER_EVENT to every registered window through DriverCallback (DCB_WINDOW):
 * wParam 0, lParam the event packed as lc_event.h draws it (id, cable, slot, kind,
 * sequence).  Levels and counters are not in events: panels read them from the section
 * at display rate.  Windows of panels that died are skipped and their slots reclaimed
 * with the process (drv_reaper.c).
 *
 * A process registers only windows it owns, and an event goes to a window only if it
 * belongs to the process whose slot names it (GetWindowThreadProcessId against the
 * slot's pid): any process that can open a cable can write a panel slot, and would
 * otherwise have every client post messages to any window it names.  That check
 * stops windows named with another owner; a slot forged with the window's true owner
 * pid still gets LC_WM_DRIVER_EVENT posted to that window.
 *
 * Wine has no posted-message quota (Windows drops past 10 000 queued): events that can
 * repeat fast (underflow, overflow) are limited per stream by the caller
 * (drv_panel_due()).
 */
#ifndef DRV_PANEL_H
#define DRV_PANEL_H

#include <windows.h>
#include <mmsystem.h>
#include <stdbool.h>
#include <stdint.h>

#include "lc_shm.h"

/* Private driver messages (SendDriverMessage to an OpenDriver handle). */
#define LC_DRV_REGISTER_WINDOW (DRV_USER + 0x4C01)   /* lParam1 HWND; returns 1 or 0 */
#define LC_DRV_UNREGISTER_WINDOW (DRV_USER + 0x4C02) /* lParam1 HWND; returns 1 or 0 */
/* Publishes the registry settings (drv_config_write) to every process: a new section
 * generation replaces the current one (drv_shm.h) and registered windows get
 * LC_EVENT_CONFIG_CHANGED.  Returns the new generation, or 0 on failure. */
#define LC_DRV_APPLY_CONFIG (DRV_USER + 0x4C03)

/* What registered windows receive (lParam: packed lc_event). */
#define LC_WM_DRIVER_EVENT (WM_APP + 0x4C43)

/* DriverProc's part: the two messages above, for the open `driver_id`. */
LRESULT drv_panel_message(DWORD_PTR driver_id, UINT msg, LPARAM param1);

/* DRV_CLOSE of `driver_id`: unregisters the windows that open registered. */
void drv_panel_close(DWORD_PTR driver_id);

/* Posts an event (lc_event_pack) to every window registered in shm's generation,
 * logging it in that section.  Any thread; never blocks (PostMessage). */
void drv_panel_post(struct lc_shm *shm, uint32_t packed);

/* Rate limit for repeating events: true (and *last updated) when at least 250 ms
 * passed since *last (in performance-counter ticks). */
bool drv_panel_due(uint64_t *last, uint64_t now_ticks);

#endif /* DRV_PANEL_H */
