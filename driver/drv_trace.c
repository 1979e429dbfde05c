/* SPDX-License-Identifier: MIT */
/* drv_trace.c — the driver's log file (drv_trace.h).
 *
 * log_lock guards log_file: exclusive to open or close it, and exclusive for every
 * write too, so that the lines of one process never interleave. */
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>

#include "drv_trace.h"

bool drv_trace_enabled;

static HANDLE log_file = INVALID_HANDLE_VALUE;
static SRWLOCK log_lock = SRWLOCK_INIT;

/* The driver writes driver.log; the router, which shares this code, router.log. */
static const wchar_t *log_name = L"driver.log";

void drv_trace_set_file_name(const wchar_t *name)
{
	log_name = name;
}

static HANDLE open_log(void)
{
	wchar_t path[MAX_PATH];
	DWORD n = GetEnvironmentVariableW(L"LOCALAPPDATA", path, MAX_PATH);
	if (n == 0 || n > MAX_PATH - 32)
		return INVALID_HANDLE_VALUE;
	wcscat(path, L"\\LoopCable");
	CreateDirectoryW(path, NULL);
	wcscat(path, L"\\");
	wcsncat(path, log_name, MAX_PATH - 1 - wcslen(path));
	/* Shared write access: every client process appends to the same file. */
	return CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
			   OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
}

void drv_trace_init(bool enabled)
{
	AcquireSRWLockExclusive(&log_lock);
	if (enabled && log_file == INVALID_HANDLE_VALUE)
		log_file = open_log();
	if (!enabled && log_file != INVALID_HANDLE_VALUE) {
		CloseHandle(log_file);
		log_file = INVALID_HANDLE_VALUE;
	}
	drv_trace_enabled = log_file != INVALID_HANDLE_VALUE;
	ReleaseSRWLockExclusive(&log_lock);
}

void drv_trace_write(const char *level, const char *fmt, ...)
{
	char line[1024];
	SYSTEMTIME t;
	GetLocalTime(&t);
	int n = snprintf(line, sizeof(line), "%02u:%02u:%02u.%03u %5lu %5lu %-5s ", t.wHour,
			 t.wMinute, t.wSecond, t.wMilliseconds, GetCurrentProcessId(),
			 GetCurrentThreadId(), level);
	va_list args;
	va_start(args, fmt);
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 2, fmt, args);
	va_end(args);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\r';
	line[len++] = '\n';

	/* Exclusive: one line at a time per process.  Two threads appending through one
	 * handle at once lose and mix lines under Wine (an append there is not one atomic
	 * step); the line is formatted before, so the lock covers only the write. */
	AcquireSRWLockExclusive(&log_lock);
	if (log_file != INVALID_HANDLE_VALUE) {
		DWORD written;
		WriteFile(log_file, line, (DWORD)len, &written, NULL);
	}
	ReleaseSRWLockExclusive(&log_lock);
}
