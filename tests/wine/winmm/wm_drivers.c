/* SPDX-License-Identifier: MIT */
/*
 * wm_drivers.c — loads the wave drivers of Drivers32 the way Windows' winmm does
 * and builds the global device table (wm_drivers.h).
 *
 * Not here: handles and the API (wm_handles.c, wm_wave.c).
 *
 * Per alias `wave`, `wave1` … `wave9` (HKLM\Software\Microsoft\Windows NT\
 * CurrentVersion\Drivers32; Wine's OpenDriver reads it, and redirects a 32-bit
 * process to the WOW6432Node view like Windows):
 *   OpenDriver(alias, "Drivers32", 0)   -> DriverProc DRV_LOAD, DRV_ENABLE, DRV_OPEN
 *   wodMessage(0, DRVM_INIT, 0, 0, 0)   -> must be MMSYSERR_NOERROR, else no outputs
 *   wodMessage(0, WODM_GETNUMDEVS, …)   -> n outputs, global ids appended
 *   widMessage: the same with WIDM_GETNUMDEVS.
 * A value that is absent, a DLL that does not load or refuses DRV_LOAD/DRV_OPEN, or
 * one without wodMessage and widMessage is skipped; the next alias still loads.
 * The drivers stay open for the life of the process: unloading them from our
 * DLL_PROCESS_DETACH would run driver code under the loader lock (a driver that
 * joins a thread in DRV_FREE would hang there), so no DRVM_EXIT/DRV_CLOSE is sent.
 *
 * OpenDriver and GetDriverModuleHandle are Wine's real ones, taken from wbwinmm.dll
 * (Wine's winmm under another name, beside us; see meson.build) at run time.
 */
#include "wm_drivers.h"

#include <mmddk.h>
#include <stdbool.h>
#include <stdio.h>

#define WM_N_ALIASES 10
/* Per direction over all drivers; a driver claiming more is cut (and traced). */
#define WM_MAX_DEVICES 256

typedef HDRVR(WINAPI *open_driver_fn)(LPCWSTR, LPCWSTR, LPARAM);
typedef LRESULT(WINAPI *close_driver_fn)(HDRVR, LPARAM, LPARAM);
typedef HMODULE(WINAPI *driver_module_fn)(HDRVR);

struct wbwinmm {
	open_driver_fn open_driver;
	close_driver_fn close_driver;
	driver_module_fn driver_module;
};

/* Written only inside load_all(); InitOnceExecuteOnce publishes them to every
 * thread that returns from it (it is a full barrier). */
static struct wm_device devices[2][WM_MAX_DEVICES];
static UINT n_devices[2];
static INIT_ONCE load_once = INIT_ONCE_STATIC_INIT;

static const UINT getnumdevs_msg[2] = { [WM_OUT] = WODM_GETNUMDEVS, [WM_IN] = WIDM_GETNUMDEVS };
static const char *const message_export[2] = { [WM_OUT] = "wodMessage", [WM_IN] = "widMessage" };

/* Visible with WINEDEBUG=warn+debugstr. */
static void trace(const wchar_t *alias, const char *what)
{
	char line[256];
	snprintf(line, sizeof(line), "loopcable test winmm: %ls: %s\n", alias, what);
	OutputDebugStringA(line);
}

static FARPROC resolve(HMODULE module, const char *name)
{
	return module ? GetProcAddress(module, name) : NULL;
}

static bool load_wbwinmm(struct wbwinmm *wb)
{
	HMODULE module = LoadLibraryW(L"wbwinmm.dll");
	/* The casts go through a generic function pointer: GetProcAddress's FARPROC
	 * says nothing of the real signature. */
	wb->open_driver = (open_driver_fn)(void (*)(void))resolve(module, "OpenDriver");
	wb->close_driver = (close_driver_fn)(void (*)(void))resolve(module, "CloseDriver");
	wb->driver_module =
		(driver_module_fn)(void (*)(void))resolve(module, "GetDriverModuleHandle");
	return wb->open_driver && wb->close_driver && wb->driver_module;
}

static void add_devices(enum wm_dir dir, wm_message_fn message, const wchar_t *alias)
{
	if (message(0, DRVM_INIT, 0, 0, 0) != MMSYSERR_NOERROR) {
		trace(alias, dir == WM_OUT ? "wodMessage DRVM_INIT failed: outputs skipped"
					   : "widMessage DRVM_INIT failed: inputs skipped");
		return;
	}
	DWORD count = message(0, getnumdevs_msg[dir], 0, 0, 0);
	for (DWORD local = 0; local < count; local++) {
		if (n_devices[dir] == WM_MAX_DEVICES) {
			trace(alias, "device table full: further devices dropped");
			return;
		}
		devices[dir][n_devices[dir]++] = (struct wm_device){ message, (UINT)local };
	}
}

static void load_driver(const struct wbwinmm *wb, const wchar_t *alias)
{
	HDRVR driver = wb->open_driver(alias, L"Drivers32", 0);
	if (!driver)
		return; /* not registered, or the DLL is missing or refused to load */
	HMODULE module = wb->driver_module(driver);
	wm_message_fn message[2];
	for (int dir = WM_OUT; dir <= WM_IN; dir++)
		message[dir] = (wm_message_fn)(void (*)(void))resolve(module, message_export[dir]);
	if (!message[WM_OUT] && !message[WM_IN]) {
		trace(alias, "no wodMessage and no widMessage: skipped");
		wb->close_driver(driver, 0, 0);
		return;
	}
	for (int dir = WM_OUT; dir <= WM_IN; dir++)
		if (message[dir])
			add_devices((enum wm_dir)dir, message[dir], alias);
}

static BOOL CALLBACK load_all(PINIT_ONCE once, PVOID param, PVOID *context)
{
	(void)once;
	(void)param;
	(void)context;
	struct wbwinmm wb;
	if (!load_wbwinmm(&wb)) {
		trace(L"wbwinmm.dll", "not found (Wine's winmm belongs beside us): no devices");
		return TRUE;
	}
	for (int i = 0; i < WM_N_ALIASES; i++) {
		/* "wave", then "wave1" … "wave9". */
		wchar_t alias[] = L"wave0";
		alias[4] = i == 0 ? L'\0' : (wchar_t)(L'0' + i);
		load_driver(&wb, alias);
	}
	return TRUE;
}

static void ensure_loaded(void)
{
	InitOnceExecuteOnce(&load_once, load_all, NULL, NULL);
}

UINT wm_drivers_count(enum wm_dir dir)
{
	ensure_loaded();
	return n_devices[dir];
}

const struct wm_device *wm_drivers_device(enum wm_dir dir, UINT id)
{
	ensure_loaded();
	return id < n_devices[dir] ? &devices[dir][id] : NULL;
}
