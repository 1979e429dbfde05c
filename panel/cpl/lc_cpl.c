/* SPDX-License-Identifier: MIT */
/*
 * lc_cpl.c — loopcable.cpl, the Control Panel applet: one item, "LoopCable", whose
 * double-click starts the control panel (drv_launch.c).  No UI of its own.
 *
 * The applet protocol (cpl.h): CPL_INIT, CPL_GETCOUNT, CPL_INQUIRE and/or
 * CPL_NEWINQUIRE per item, CPL_DBLCLK to open, CPL_STOP per item and CPL_EXIT when
 * the host unloads us.  Name, description and icon are answered dynamically
 * (CPL_DYNAMIC_RES), so the DLL carries no resources.
 */
#include <windows.h>
#include <cpl.h>

#include "drv_launch.h"

static HMODULE cpl_module;

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
	(void)reserved;
	if (reason == DLL_PROCESS_ATTACH) {
		cpl_module = instance;
		DisableThreadLibraryCalls(instance);
	}
	return TRUE;
}

LONG APIENTRY CPlApplet(HWND hwnd, UINT msg, LPARAM param1, LPARAM param2)
{
	(void)hwnd;
	switch (msg) {
	case CPL_INIT:
		return 1; /* non-zero: initialized */
	case CPL_GETCOUNT:
		return 1;
	case CPL_INQUIRE: {
		if (param1 != 0 || !param2)
			return 1;
		CPLINFO *info = (CPLINFO *)param2;
		info->idIcon = CPL_DYNAMIC_RES;
		info->idName = CPL_DYNAMIC_RES;
		info->idInfo = CPL_DYNAMIC_RES;
		info->lData = 0;
		return 0;
	}
	case CPL_NEWINQUIRE: {
		if (param1 != 0 || !param2)
			return 1;
		NEWCPLINFOW *info = (NEWCPLINFOW *)param2;
		ZeroMemory(info, sizeof(*info));
		info->dwSize = sizeof(*info);
		info->hIcon = LoadIconW(NULL, (LPCWSTR)IDI_APPLICATION);
		lstrcpynW(info->szName, L"LoopCable", ARRAYSIZE(info->szName));
		lstrcpynW(info->szInfo, L"Virtual audio cables: status, levels and settings",
			  ARRAYSIZE(info->szInfo));
		return 0;
	}
	case CPL_DBLCLK:
	case CPL_STARTWPARMSW:
		/* 0 means handled; a panel that cannot be found is an error. */
		return drv_launch_panel(cpl_module) ? 0 : 1;
	case CPL_STOP:
	case CPL_EXIT:
		return 0;
	default:
		return 0;
	}
}
