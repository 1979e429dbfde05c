/* SPDX-License-Identifier: MIT */
/* drv_launch.c — finding and starting the control panel (drv_launch.h). */
#include <windows.h>
#include <wchar.h>

#include "drv_launch.h"
#include "drv_regkeys.h"

#define PANEL_EXE L"loopcable-panel.exe"

static bool is_file(const wchar_t *path)
{
	DWORD attributes = GetFileAttributesW(path);
	return attributes != INVALID_FILE_ATTRIBUTES && !(attributes & FILE_ATTRIBUTE_DIRECTORY);
}

bool drv_launch_find_panel(HMODULE caller, wchar_t path[MAX_PATH])
{
	DWORD size = MAX_PATH * sizeof(wchar_t), type;
	HKEY key;
	if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, DRV_REG_ROOT, 0, KEY_READ | DRV_REG_VIEW, &key) == ERROR_SUCCESS) {
		LSTATUS status = RegQueryValueExW(key, DRV_REG_PANEL_PATH, NULL, &type, (BYTE *)path, &size);
		RegCloseKey(key);
		if (status == ERROR_SUCCESS && type == REG_SZ && size >= sizeof(wchar_t)) {
			path[MAX_PATH - 1] = L'\0';
			if (is_file(path))
				return true;
		}
	}
	DWORD n = GetModuleFileNameW(caller, path, MAX_PATH);
	if (n == 0 || n >= MAX_PATH)
		return false;
	wchar_t *slash = wcsrchr(path, L'\\');
	if (!slash || (size_t)(slash + 1 - path) + wcslen(PANEL_EXE) >= MAX_PATH)
		return false;
	wcscpy(slash + 1, PANEL_EXE);
	return is_file(path);
}

bool drv_launch_panel(HMODULE caller)
{
	wchar_t path[MAX_PATH];
	if (!drv_launch_find_panel(caller, path))
		return false;
	wchar_t command[MAX_PATH + 2];
	_snwprintf(command, MAX_PATH + 2, L"\"%ls\"", path);
	command[MAX_PATH + 1] = L'\0';
	STARTUPINFOW startup = { .cb = sizeof(startup) };
	PROCESS_INFORMATION process;
	if (!CreateProcessW(path, command, NULL, NULL, FALSE, 0, NULL, NULL, &startup, &process))
		return false;
	CloseHandle(process.hThread);
	CloseHandle(process.hProcess);
	return true;
}
