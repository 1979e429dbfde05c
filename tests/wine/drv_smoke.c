/* SPDX-License-Identifier: MIT */
/*
 * drv_smoke.exe DLL — checks an installable driver's lifecycle answers, twice:
 *   1. calling its exports directly, message by message, with the documented
 *      expectations (DRV_LOAD must return 1, DRV_OPEN non-zero, …);
 *   2. through the real winmm (OpenDriver / SendDriverMessage / CloseDriver), which
 *      refuses to open a driver whose DRV_LOAD fails.
 * Prints one "ok"/"FAIL" line per check and a summary line; the exit code is the
 * number of failed checks.  The native suite (test_wine_driver.c) asserts on both,
 * because a program that never ran also "exits 0" under a missing 32-bit Wine.
 */
#include <windows.h>
#include <mmsystem.h>
#include <mmddk.h>
#include <stdbool.h>
#include <stdio.h>

typedef LRESULT (CALLBACK *driver_proc_fn)(DWORD_PTR, HDRVR, UINT, LPARAM, LPARAM);
typedef DWORD (APIENTRY *device_message_fn)(UINT, UINT, DWORD_PTR, DWORD_PTR, DWORD_PTR);

static int n_checks, n_failed;

static void check(const char *what, long long got, long long want)
{
	n_checks++;
	if (got == want) {
		printf("ok %s\n", what);
	} else {
		n_failed++;
		printf("FAIL %s: got %lld, want %lld\n", what, got, want);
	}
}

static void check_true(const char *what, int cond)
{
	check(what, cond != 0, 1);
}

/* The name of the driver's directory mapping (driver/drv_regkeys.h). */
#define DIRECTORY_NAME L"Local\\LoopCable-abi2"

static bool directory_exists(void)
{
	HANDLE mapping = OpenFileMappingW(FILE_MAP_READ, FALSE, DIRECTORY_NAME);
	if (mapping)
		CloseHandle(mapping);
	return mapping != NULL;
}

/* Whether any generation's section (driver/drv_regkeys.h: "-g<N>") is still mapped. */
static bool any_section_exists(void)
{
	for (unsigned n = 1; n <= 32; n++) {
		wchar_t name[64];
		_snwprintf(name, 64, L"%ls-g%u", DIRECTORY_NAME, n);
		name[63] = L'\0';
		HANDLE mapping = OpenFileMappingW(FILE_MAP_READ, FALSE, name);
		if (mapping) {
			CloseHandle(mapping);
			return true;
		}
	}
	return false;
}

/* WAVE_FORMAT_QUERY asks; it must change nothing: no handle, no callback, and no
 * section created or published (asked here before DRVM_INIT attached anything). */
static void check_query_has_no_side_effects(device_message_fn wod)
{
	check_true("no other process holds the driver's directory", !directory_exists());
	PCMWAVEFORMAT pcm = { { WAVE_FORMAT_PCM, 2, 48000, 48000 * 4, 4 }, 16 };
	WAVEOPENDESC desc = { .hWave = (HWAVE)(UINT_PTR)0x5678, .lpFormat = (LPWAVEFORMAT)&pcm };
	DWORD_PTR user = 0xABCD;
	check("WODM_OPEN WAVE_FORMAT_QUERY",
	      wod(0, WODM_OPEN, (DWORD_PTR)&user, (DWORD_PTR)&desc, WAVE_FORMAT_QUERY),
	      MMSYSERR_NOERROR);
	check("WAVE_FORMAT_QUERY leaves dwUser alone", user, 0xABCD);
	check("WAVE_FORMAT_QUERY of device 99",
	      wod(99, WODM_OPEN, (DWORD_PTR)&user, (DWORD_PTR)&desc, WAVE_FORMAT_QUERY),
	      MMSYSERR_BADDEVICEID);
	pcm.wf.nBlockAlign = 3;
	check("WAVE_FORMAT_QUERY of a contradictory format",
	      wod(0, WODM_OPEN, (DWORD_PTR)&user, (DWORD_PTR)&desc, WAVE_FORMAT_QUERY),
	      WAVERR_BADFORMAT);
	check_true("WAVE_FORMAT_QUERY created no section", !directory_exists());
}

static void check_exports_directly(HMODULE dll)
{
	driver_proc_fn driver_proc = (driver_proc_fn)(void (*)(void))GetProcAddress(dll, "DriverProc");
	device_message_fn wod = (device_message_fn)(void (*)(void))GetProcAddress(dll, "wodMessage");
	device_message_fn wid = (device_message_fn)(void (*)(void))GetProcAddress(dll, "widMessage");
	check_true("export DriverProc", driver_proc != NULL);
	check_true("export wodMessage", wod != NULL);
	check_true("export widMessage", wid != NULL);
	if (!driver_proc || !wod || !wid)
		return;

	/* The sequence Windows' winmm sends when it loads a wave driver. */
	HDRVR fake_handle = (HDRVR)(UINT_PTR)0x1234;
	check("DriverProc DRV_LOAD", driver_proc(0, fake_handle, DRV_LOAD, 0, 0), 1);
	check("DriverProc DRV_ENABLE", driver_proc(0, fake_handle, DRV_ENABLE, 0, 0), 1);
	LRESULT id = driver_proc(0, fake_handle, DRV_OPEN, 0, 0);
	check_true("DriverProc DRV_OPEN returns non-zero", id != 0);
	check_query_has_no_side_effects(wod);
	check("wodMessage DRVM_INIT", wod(0, DRVM_INIT, 0, 0, 0), MMSYSERR_NOERROR);
	check("widMessage DRVM_INIT", wid(0, DRVM_INIT, 0, 0, 0), MMSYSERR_NOERROR);
	printf("info wodMessage WODM_GETNUMDEVS = %lu\n", (unsigned long)wod(0, WODM_GETNUMDEVS, 0, 0, 0));
	printf("info widMessage WIDM_GETNUMDEVS = %lu\n", (unsigned long)wid(0, WIDM_GETNUMDEVS, 0, 0, 0));
	/* A stream the client never closes: DRV_FREE must let go of it (its slot, and
	 * with it the section, which no other process holds here). */
	PCMWAVEFORMAT pcm = { { WAVE_FORMAT_PCM, 2, 48000, 48000 * 4, 4 }, 16 };
	WAVEOPENDESC desc = { .hWave = (HWAVE)(UINT_PTR)0x5678, .lpFormat = (LPWAVEFORMAT)&pcm };
	DWORD_PTR left_open = 0;
	check("wodMessage WODM_OPEN of a stream never closed",
	      wod(0, WODM_OPEN, (DWORD_PTR)&left_open, (DWORD_PTR)&desc, CALLBACK_NULL),
	      MMSYSERR_NOERROR);
	check("wodMessage unknown message", wod(0, 0x7FFF, 0, 0, 0), MMSYSERR_NOTSUPPORTED);
	check("widMessage unknown message", wid(0, 0x7FFF, 0, 0, 0), MMSYSERR_NOTSUPPORTED);
	check("wodMessage DRVM_EXIT", wod(0, DRVM_EXIT, 0, 0, 0), MMSYSERR_NOERROR);
	check("widMessage DRVM_EXIT", wid(0, DRVM_EXIT, 0, 0, 0), MMSYSERR_NOERROR);
	check("DriverProc DRV_CLOSE", driver_proc((DWORD_PTR)id, fake_handle, DRV_CLOSE, 0, 0), 1);
	check("DriverProc DRV_DISABLE", driver_proc(0, fake_handle, DRV_DISABLE, 0, 0), 1);
	check("DriverProc DRV_FREE", driver_proc(0, fake_handle, DRV_FREE, 0, 0), 1);
	check_true("DRV_FREE let go of the stream never closed: no section left",
		   !any_section_exists());
	MMTIME pos = { .wType = TIME_BYTES };
	check("after DRV_FREE the stream never closed is no handle",
	      wod(0, WODM_GETPOS, left_open, (DWORD_PTR)&pos, sizeof(pos)), MMSYSERR_INVALHANDLE);
}

static void check_through_winmm(const wchar_t *dll_path)
{
	HDRVR driver = OpenDriver(dll_path, NULL, 0);
	check_true("winmm OpenDriver", driver != NULL);
	if (!driver)
		return;
	check_true("winmm GetDriverModuleHandle", GetDriverModuleHandle(driver) != NULL);
	/* A driver message the DLL answers itself (not DefDriverProc): proves the
	 * message reached our DriverProc through winmm. */
	check("winmm SendDriverMessage DRV_QUERYCONFIGURE",
	      SendDriverMessage(driver, DRV_QUERYCONFIGURE, 0, 0), 0);
	check_true("winmm CloseDriver", CloseDriver(driver, 0, 0) != 0);
}

int wmain(int argc, wchar_t **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: drv_smoke.exe DRIVER.dll\n");
		return 100;
	}
	HMODULE dll = LoadLibraryW(argv[1]);
	check_true("LoadLibrary", dll != NULL);
	if (dll) {
		check_exports_directly(dll);
		FreeLibrary(dll);
	}
	check_through_winmm(argv[1]);
	printf("drv_smoke: %d checks, %d failed\n", n_checks, n_failed);
	return n_failed;
}
