/* SPDX-License-Identifier: MIT */
/*
 * lc_main_window.h — the panel's window: a row per cable (format, per-channel level
 * meters with clip indicator, volume and mute applied live, and every client with its
 * process, direction, format and xrun counters) and the event log.  Status is read
 * from the section at display rate (lc_status); events come from the driver
 * (lc_driver_link).
 */
#ifndef LC_MAIN_WINDOW_H
#define LC_MAIN_WINDOW_H

#include <gtk/gtk.h>

#define LC_TYPE_MAIN_WINDOW (lc_main_window_get_type())
G_DECLARE_FINAL_TYPE(LcMainWindow, lc_main_window, LC, MAIN_WINDOW, GtkApplicationWindow)

/* dump_path: if not NULL, the window writes what it shows to that file after every
 * refresh (for tests and bug reports). */
LcMainWindow *lc_main_window_new(GtkApplication *app, const char *dump_path);

#endif /* LC_MAIN_WINDOW_H */
