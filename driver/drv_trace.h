/* SPDX-License-Identifier: MIT */
/*
 * drv_trace.h — the driver's log.  Off unless the Logging setting is 1; then lines go
 * to %LOCALAPPDATA%\LoopCable\driver.log — never to the host process's stdout/stderr.
 * Thread-safe: the threads of a process write their lines one at a time, each whole,
 * in one append; each line carries time, process and thread ids.
 */
#ifndef DRV_TRACE_H
#define DRV_TRACE_H

#include <stdbool.h>
#include <wchar.h>

extern bool drv_trace_enabled;

/* The log's file name in %LOCALAPPDATA%\LoopCable (default "driver.log"); before
 * drv_trace_init.  The router logs with this code too, to router.log. */
void drv_trace_set_file_name(const wchar_t *name);

/* Open (enabled) or close the log.  Called when the settings are read. */
void drv_trace_init(bool enabled);

void drv_trace_write(const char *level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define DRV_TRACE(...) do { if (drv_trace_enabled) drv_trace_write("trace", __VA_ARGS__); } while (0)
#define DRV_WARN(...) do { if (drv_trace_enabled) drv_trace_write("warn", __VA_ARGS__); } while (0)
#define DRV_ERR(...) do { if (drv_trace_enabled) drv_trace_write("err", __VA_ARGS__); } while (0)

#endif /* DRV_TRACE_H */
