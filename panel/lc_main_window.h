/* SPDX-License-Identifier: MIT */
/*
 * lc_main_window.h — the panel's window, three views switched from the header bar:
 * Cables, a row per cable (lc_cable_row.h) and the event log; Routes
 * (lc_routes_page.h); Settings (lc_settings_page.h).  The view shown last is shown
 * again at the next start (per user, HKCU\Software\LoopCable\Panel, value View).
 * Status is read from the section at display rate (lc_status);
 * events come from the driver (lc_driver_link), and a configuration change makes the
 * window register again, rebuild the rows that changed and reload the settings.
 */
#ifndef LC_MAIN_WINDOW_H
#define LC_MAIN_WINDOW_H

#include <gtk/gtk.h>

#define LC_TYPE_MAIN_WINDOW (lc_main_window_get_type())
G_DECLARE_FINAL_TYPE(LcMainWindow, lc_main_window, LC, MAIN_WINDOW, GtkApplicationWindow)

/*
 * dump_path: if not NULL, the window writes what it shows to that file after every
 * refresh and every Apply (for tests and bug reports; main.c draws the format, the
 * routes' lines at its end are lc_routes_page_dump's).
 * test_settings: if not NULL, settings entered into the Settings page and applied once
 * the window is up and connected (lc_settings_page_enter_test_values; check it first
 * with lc_settings_page_check_test_values).
 * test_routes: if not NULL, a file whose lines, as they are appended to it, are
 * entered on the Routes page one at a time (lc_routes_page_enter_test_step), each
 * logged in the event log and on stderr.
 */
LcMainWindow *lc_main_window_new(GtkApplication *app, const char *dump_path,
				 const char *test_settings, const char *test_routes);

#endif /* LC_MAIN_WINDOW_H */
