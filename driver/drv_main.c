/* SPDX-License-Identifier: MIT */
/*
 * drv_main.c — the DLL's door: DllMain and DriverProc (the installable-driver
 * lifecycle that OpenDriver/CloseDriver and winmm drive).
 *
 * Not here: the wave devices themselves (drv_wod.c, drv_wid.c).
 *
 * Order seen from winmm and from Wine's OpenDriver (docs/wine.md): DRV_LOAD (must
 * return 1 or the load is abandoned), DRV_ENABLE, DRV_OPEN (must return non-zero;
 * the value becomes dwDriverId of later calls), … DRV_CLOSE, DRV_DISABLE, DRV_FREE.
 */
#include <windows.h>
#include <mmsystem.h>
#include <mmddk.h>

#include "drv_launch.h"
#include "drv_main.h"
#include "drv_panel.h"
#include "drv_pump.h"
#include "drv_reaper.h"
#include "drv_shm.h"
#include "drv_stream.h"

/* DRV_OPEN's answer becomes dwDriverId of that open's later messages: a counter, so
 * that DRV_CLOSE can undo what that open registered (panel windows, drv_panel.c). */
static volatile LONG open_count;

static HINSTANCE drv_module;

HINSTANCE drv_main_module(void)
{
	return drv_module;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
	(void)reserved;
	if (reason == DLL_PROCESS_ATTACH) {
		drv_module = instance;
		/* Host processes create and end threads freely; we need no per-thread
		 * notifications. */
		DisableThreadLibraryCalls(instance);
	}
	/* At process exit the slots of streams never closed, or closed but still
	 * draining their tail, stay claimed: another process's reaper frees them once
	 * readers have had the time to pull what was written (drv_reaper.c). */
	return TRUE;
}

LRESULT CALLBACK DriverProc(DWORD_PTR driver_id, HDRVR hdrvr, UINT msg,
			    LPARAM lparam1, LPARAM lparam2)
{
	switch (msg) {
	case DRV_FREE:
		/* winmm unloads us: the pump thread must not outlive the code it runs, and
		 * the sections must not outlive the image that knew their handles.  Streams
		 * the client never closed let go of their slots: the process may live on
		 * without us, and no reaper would ever free them. */
		drv_stream_free_all();
		drv_pump_shutdown();
		drv_reaper_stop();
		drv_shm_detach();
		return 1;
	case DRV_LOAD:
	case DRV_ENABLE:
	case DRV_DISABLE:
		return 1;
	case DRV_OPEN: {
		LONG id = InterlockedIncrement(&open_count);
		return id ? id : InterlockedIncrement(&open_count);
	}
	case DRV_CLOSE:
		drv_panel_close(driver_id);
		return 1;
	case LC_DRV_REGISTER_WINDOW:
	case LC_DRV_UNREGISTER_WINDOW:
		return drv_panel_message(driver_id, msg, lparam1);
	case LC_DRV_APPLY_CONFIG:
		/* Only through an OpenDriver handle (driver_id != 0): the panel's path. */
		return driver_id ? (LRESULT)drv_shm_apply_config() : 0;
	case DRV_INSTALL:
	case DRV_REMOVE:
		/* Registration is the installer's job (planned: docs/architecture.md); nothing to
		 * change at run time, and no restart is needed. */
		return DRVCNF_OK;
	case DRV_QUERYCONFIGURE: {
		/* Yes when the control panel is installed (or beside us). */
		wchar_t path[MAX_PATH];
		return drv_launch_find_panel(drv_module, path);
	}
	case DRV_CONFIGURE:
		/* The panel is its own process: no window inside the host, and nothing to
		 * restart afterwards (settings apply live). */
		return drv_launch_panel(drv_module) ? DRVCNF_OK : DRVCNF_CANCEL;
	default:
		return DefDriverProc(driver_id, hdrvr, msg, lparam1, lparam2);
	}
}
