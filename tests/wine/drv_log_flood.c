/* SPDX-License-Identifier: MIT */
/*
 * drv_log_flood.exe DLL DIR N — two threads of one process trace at once into the
 * driver log: loads the driver DLL with %LOCALAPPDATA% pointed at DIR (so the log is
 * DIR\LoopCable\driver.log, this run's alone), starts it as winmm does, then two
 * threads, released together, each call wodMessage(0, WODM_GETNUMDEVS) N times (one
 * trace line per call).  The Logging setting must be 1 in the prefix.
 *
 * Prints "thread A=<tid> B=<tid> calls=N" and "drv_log_flood: ok"; the native suite
 * (test_wine_driver.c) then reads the log and checks that every line is whole.
 */
#include <windows.h>
#include <mmsystem.h>
#include <mmddk.h>
#include <stdio.h>
#include <stdlib.h>

typedef LRESULT (CALLBACK *driver_proc_fn)(DWORD_PTR, HDRVR, UINT, LPARAM, LPARAM);
typedef DWORD (APIENTRY *device_message_fn)(UINT, UINT, DWORD_PTR, DWORD_PTR, DWORD_PTR);

static device_message_fn wod;
static HANDLE go;
static long n_calls;

static DWORD WINAPI flood(void *arg)
{
	(void)arg;
	WaitForSingleObject(go, INFINITE);
	for (long i = 0; i < n_calls; i++)
		wod(0, WODM_GETNUMDEVS, 0, 0, 0);
	return 0;
}

int wmain(int argc, wchar_t **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: drv_log_flood.exe DLL DIR N\n");
		return 2;
	}
	n_calls = wcstol(argv[3], NULL, 10);
	/* The driver reads the variable when it opens the log (its first attach). */
	if (!SetEnvironmentVariableW(L"LOCALAPPDATA", argv[2])) {
		fprintf(stderr, "SetEnvironmentVariable failed\n");
		return 3;
	}
	HMODULE dll = LoadLibraryW(argv[1]);
	driver_proc_fn driver_proc =
		dll ? (driver_proc_fn)(void (*)(void))GetProcAddress(dll, "DriverProc") : NULL;
	wod = dll ? (device_message_fn)(void (*)(void))GetProcAddress(dll, "wodMessage") : NULL;
	if (!driver_proc || !wod) {
		fprintf(stderr, "cannot load %ls or its exports\n", argv[1]);
		return 4;
	}
	HDRVR fake_handle = (HDRVR)(UINT_PTR)0x1234;
	driver_proc(0, fake_handle, DRV_LOAD, 0, 0);
	driver_proc(0, fake_handle, DRV_ENABLE, 0, 0);
	LRESULT id = driver_proc(0, fake_handle, DRV_OPEN, 0, 0);
	wod(0, DRVM_INIT, 0, 0, 0);
	DWORD n_devs = wod(0, WODM_GETNUMDEVS, 0, 0, 0);
	printf("devices=%lu\n", (unsigned long)n_devs);

	go = CreateEventW(NULL, TRUE, FALSE, NULL);
	DWORD tid[2];
	HANDLE threads[2];
	for (int i = 0; i < 2; i++)
		threads[i] = CreateThread(NULL, 0, flood, NULL, 0, &tid[i]);
	if (!go || !threads[0] || !threads[1]) {
		fprintf(stderr, "cannot start the threads\n");
		return 5;
	}
	SetEvent(go);
	WaitForMultipleObjects(2, threads, TRUE, INFINITE);
	printf("thread A=%lu B=%lu calls=%ld\n", (unsigned long)tid[0], (unsigned long)tid[1],
	       n_calls);

	wod(0, DRVM_EXIT, 0, 0, 0);
	driver_proc((DWORD_PTR)id, fake_handle, DRV_CLOSE, 0, 0);
	driver_proc(0, fake_handle, DRV_DISABLE, 0, 0);
	driver_proc(0, fake_handle, DRV_FREE, 0, 0);
	printf("drv_log_flood: ok\n");
	return 0;
}
