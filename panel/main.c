/* SPDX-License-Identifier: MIT */
/*
 * loopcable-panel.exe — the LoopCable control panel.
 *
 *   loopcable-panel.exe [--dump FILE] [--quit-after SECONDS] [--test-settings SPEC]
 *                       [--test-routes FILE]
 *   loopcable-panel.exe --start-router
 *
 * --dump writes what the window shows to FILE after every refresh and every Apply;
 * --quit-after ends the panel by itself; --test-settings enters SPEC into the Settings
 * page and presses Apply once the window is connected; --test-routes enters the lines
 * appended to FILE on the Routes page (lc_routes_page_enter_test_step; all four for
 * tests).  --start-router starts the routing app without a window and exits at once,
 * showing nothing: the installer's log-on entry (a console program started from the
 * Run key would open a console window).  One
 * instance per session: starting it again raises the running window (GtkApplication).
 *
 * The dump (tests/wine/test_wine_panel.c reads it; fields are only ever appended):
 *
 *   running=0|1                 the shared section exists
 *   cables=N
 *   events=N                    driver events received
 *   linked=0|1                  connected to the driver
 *   generation=N                configuration generation the cables below show
 *   applied=N                   generation the last Apply published, 0 if none or failed
 *   detached=N                  clients on cables changed or removed since they opened
 *   apply_error="…"             only if the last Apply failed: what the page said
 *   link_error="…"              only if the window could not be linked to the driver
 *   cable K name="…" rate=HZ channels=N clients=N                    per cable, K from 1
 *   client cable=K kind=player|recorder pid=N format="…" process="…" buffer=BYTES
 *
 * SPEC: comma-separated key=value, any of cables, ring_ms, logging, nameK, rateK,
 * channelsK (K = cable number), e.g. "cables=3,ring_ms=100,name1=Foo,rate1=44100".
 * An unknown key or a malformed number exits with status 2 before any window opens.
 */
#include <windows.h>
#include <gtk/gtk.h>

#include "lc_main_window.h"
#include "lc_router_launch.h"
#include "lc_settings_page.h"

static char *dump_path;
static double quit_after;
static char *test_settings;
static char *test_routes;
static gboolean start_router;

static gboolean quit_cb(gpointer app)
{
	g_application_quit(G_APPLICATION(app));
	return G_SOURCE_REMOVE;
}

/* Runs after option parsing, before a window: a bad --test-settings ends the run here. */
static int handle_local_options_cb(GApplication *app, GVariantDict *options, gpointer data)
{
	(void)app, (void)options, (void)data;
	g_autoptr(GError) error = NULL;
	if (start_router) {
		wchar_t path[MAX_PATH];
		DWORD code = lc_router_launch(path, MAX_PATH);
		if (code != 0) {
			g_autofree char *reason = g_win32_error_message((gint)code);
			g_autofree char *where = g_utf16_to_utf8((const gunichar2 *)path, -1, NULL,
								 NULL, NULL);
			g_printerr("loopcable-panel: cannot start %s: %s\n",
				   where && where[0] ? where : "lc_router.exe", reason);
		}
		return code == 0 ? 0 : 1;
	}
	if (test_settings && !lc_settings_page_check_test_values(test_settings, &error)) {
		g_printerr("loopcable-panel: --test-settings: %s\n", error->message);
		return 2;
	}
	return -1;
}

static void activate_cb(GtkApplication *app, gpointer data)
{
	(void)data;
	GtkWindow *window = gtk_application_get_active_window(app);
	if (!window)
		window = GTK_WINDOW(lc_main_window_new(app, dump_path, test_settings, test_routes));
	gtk_window_present(window);
	if (quit_after > 0)
		g_timeout_add((guint)(quit_after * 1000), quit_cb, app);
}

int main(int argc, char **argv)
{
	const GOptionEntry options[] = {
		{ "dump", 0, 0, G_OPTION_ARG_FILENAME, &dump_path, "Write the shown state to FILE", "FILE" },
		{ "quit-after", 0, 0, G_OPTION_ARG_DOUBLE, &quit_after, "Quit after SECONDS", "SECONDS" },
		{ "test-settings", 0, 0, G_OPTION_ARG_STRING, &test_settings,
		  "Enter SPEC on the Settings page and apply it", "SPEC" },
		{ "start-router", 0, 0, G_OPTION_ARG_NONE, &start_router,
		  "Start the routing app without a window, then exit", NULL },
		{ "test-routes", 0, 0, G_OPTION_ARG_FILENAME, &test_routes,
		  "Enter the lines appended to FILE on the Routes page", "FILE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GtkApplication) app = gtk_application_new("org.loopcable.Panel", G_APPLICATION_DEFAULT_FLAGS);
	g_application_add_main_option_entries(G_APPLICATION(app), options);
	g_signal_connect(app, "handle-local-options", G_CALLBACK(handle_local_options_cb), NULL);
	g_signal_connect(app, "activate", G_CALLBACK(activate_cb), NULL);
	return g_application_run(G_APPLICATION(app), argc, argv);
}
