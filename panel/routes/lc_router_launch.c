/* SPDX-License-Identifier: MIT */
/* lc_router_launch.c — starts lc_router.exe without a window (lc_router_launch.h). */
#include <windows.h>

#include "lc_router_launch.h"

#include <wchar.h>

unsigned long lc_router_launch(wchar_t *path, size_t path_chars)
{
	wchar_t self[MAX_PATH], dir[MAX_PATH], command[MAX_PATH + 16];
	DWORD n = GetModuleFileNameW(NULL, self, MAX_PATH);
	wchar_t *slash = n && n < MAX_PATH ? wcsrchr(self, L'\\') : NULL;
	path[0] = L'\0';
	if (!slash || (size_t)(slash + 1 - self) + wcslen(LC_ROUTER_EXE) >= MAX_PATH)
		return ERROR_FILENAME_EXCED_RANGE;
	wcscpy(slash + 1, LC_ROUTER_EXE);
	wcsncpy(dir, self, (size_t)(slash - self));
	dir[slash - self] = L'\0';
	_snwprintf(path, path_chars, L"%ls", self);
	path[path_chars - 1] = L'\0';
	/* --quiet: nobody would see what it prints. */
	_snwprintf(command, MAX_PATH + 16, L"\"%ls\" --quiet", self);
	command[MAX_PATH + 15] = L'\0';
	STARTUPINFOW startup = { .cb = sizeof(startup) };
	PROCESS_INFORMATION process;
	if (!CreateProcessW(self, command, NULL, NULL, FALSE,
			    CREATE_NO_WINDOW | CREATE_NEW_PROCESS_GROUP, NULL, dir, &startup,
			    &process))
		return GetLastError();
	CloseHandle(process.hThread);
	CloseHandle(process.hProcess);
	return 0;
}
