/* SPDX-License-Identifier: MIT */
/*
 * lc_launch_test.exe CPL DRIVER MARKER — the two ways to open the control panel:
 * the Control Panel applet's CPlApplet sequence (as control.exe calls it) and the
 * driver's DRV_QUERYCONFIGURE / DRV_CONFIGURE (as winmm's Sound dialog calls it).
 * HKLM\Software\LoopCable PanelPath must name a program that appends a line to MARKER
 * (lc_launch_probe.exe; MARKER is passed to it through %LC_LAUNCH_MARKER%).
 * Prints ok/FAIL lines and "lc_launch_test: N checks, M failed"; exit code M.
 */
#include <windows.h>
#include <cpl.h>
#include <mmsystem.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

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

/* Lines in the marker file: each launch of the probe adds one. */
static int launches(const wchar_t *marker)
{
	FILE *f = _wfopen(marker, L"r");
	int n = 0;
	char line[64];
	while (f && fgets(line, sizeof(line), f))
		n += strcmp(line, "launched\n") == 0;
	if (f)
		fclose(f);
	return n;
}

static int wait_for_launches(const wchar_t *marker, int want)
{
	for (int i = 0; i < 500 && launches(marker) < want; i++)
		Sleep(10);
	return launches(marker);
}

int wmain(int argc, wchar_t **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: lc_launch_test.exe CPL DRIVER MARKER\n");
		return 100;
	}
	const wchar_t *marker = argv[3];
	SetEnvironmentVariableW(L"LC_LAUNCH_MARKER", marker);
	DeleteFileW(marker);

	HMODULE cpl = LoadLibraryW(argv[1]);
	APPLET_PROC applet = cpl ? (APPLET_PROC)(void (*)(void))GetProcAddress(cpl, "CPlApplet") : NULL;
	check("loopcable.cpl exports CPlApplet", applet != NULL, 1);
	if (applet) {
		HWND parent = GetDesktopWindow();
		check("CPL_INIT", applet(parent, CPL_INIT, 0, 0) != 0, 1);
		check("CPL_GETCOUNT", applet(parent, CPL_GETCOUNT, 0, 0), 1);
		CPLINFO info = { 0 };
		check("CPL_INQUIRE", applet(parent, CPL_INQUIRE, 0, (LPARAM)&info), 0);
		check("CPL_INQUIRE name is dynamic", info.idName, CPL_DYNAMIC_RES);
		NEWCPLINFOW newinfo = { 0 };
		check("CPL_NEWINQUIRE", applet(parent, CPL_NEWINQUIRE, 0, (LPARAM)&newinfo), 0);
		check("CPL_NEWINQUIRE name", wcscmp(newinfo.szName, L"LoopCable"), 0);
		check("CPL_NEWINQUIRE has an icon", newinfo.hIcon != NULL, 1);
		check("CPL_DBLCLK", applet(parent, CPL_DBLCLK, 0, 0), 0);
		check("CPL_DBLCLK started the panel", wait_for_launches(marker, 1), 1);
		check("CPL_STOP", applet(parent, CPL_STOP, 0, 0), 0);
		check("CPL_EXIT", applet(parent, CPL_EXIT, 0, 0), 0);
	}

	HDRVR driver = OpenDriver(argv[2], NULL, 0);
	check("OpenDriver", driver != NULL, 1);
	if (driver) {
		check("DRV_QUERYCONFIGURE says yes", SendDriverMessage(driver, DRV_QUERYCONFIGURE, 0, 0), 1);
		check("DRV_CONFIGURE", SendDriverMessage(driver, DRV_CONFIGURE, 0, 0), DRVCNF_OK);
		check("DRV_CONFIGURE started the panel", wait_for_launches(marker, 2), 2);
		CloseDriver(driver, 0, 0);
	}
	printf("lc_launch_test: %d checks, %d failed\n", n_checks, n_failed);
	return n_failed;
}
