/* SPDX-License-Identifier: MIT */
/*
 * rt_log.h — the router's log: the driver's log code (drv_trace.h) writing
 * %LOCALAPPDATA%\LoopCable\router.log, on when the Logging setting is 1, like the
 * driver's.  Never the console: the router usually has none.
 */
#ifndef RT_LOG_H
#define RT_LOG_H

#include "drv_trace.h"

#define RT_LOG(...) do { if (drv_trace_enabled) drv_trace_write("info", __VA_ARGS__); } while (0)

#endif /* RT_LOG_H */
