/* SPDX-License-Identifier: MIT */
/*
 * lc_router_launch.h — starts the routing app (lc_router.exe) the way a user expects a
 * background program to start: from the folder of the program asking (the panel's,
 * where the installer puts both), with no console window, in a process group of its
 * own (it outlives its starter and takes no Ctrl+C meant for anything else).  The
 * panel's Start router button and its --start-router (the installer's log-on entry)
 * use it.  A router already running makes the new one exit at once (lc_router.c).
 */
#ifndef LC_ROUTER_LAUNCH_H
#define LC_ROUTER_LAUNCH_H

#include <stddef.h>
#include <wchar.h>

#define LC_ROUTER_EXE L"lc_router.exe"

/*
 * @param path  receives the router's full path (also on failure, when it could be
 *              made), for messages; path_chars >= 1
 * @return 0, or the Win32 error: ERROR_FILE_NOT_FOUND / ERROR_PATH_NOT_FOUND when the
 *         router is not beside the calling program, ERROR_FILENAME_EXCED_RANGE when
 *         the folder's path is too long
 */
unsigned long lc_router_launch(wchar_t *path, size_t path_chars);

#endif /* LC_ROUTER_LAUNCH_H */
