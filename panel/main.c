/* SPDX-License-Identifier: MIT */
/*
 * loopcable-panel.exe — the LoopCable control panel.
 *
 *   loopcable-panel.exe [--dump FILE] [--quit-after SECONDS]
 *
 * --dump writes what the window shows to FILE after every refresh; --quit-after ends
 * the panel by itself (both for tests).  One instance per session: starting it again
 * raises the running window (GtkApplication).
 */
#include <gtk/gtk.h>

#include "lc_main_window.h"

static char *dump_path;
static double quit_after;

static gboolean quit_cb(gpointer app)
{
	g_application_quit(G_APPLICATION(app));
	return G_SOURCE_REMOVE;
}

static void activate_cb(GtkApplication *app, gpointer data)
{
	(void)data;
	GtkWindow *window = gtk_application_get_active_window(app);
	if (!window)
		window = GTK_WINDOW(lc_main_window_new(app, dump_path));
	gtk_window_present(window);
	if (quit_after > 0)
		g_timeout_add((guint)(quit_after * 1000), quit_cb, app);
}

int main(int argc, char **argv)
{
	const GOptionEntry options[] = {
		{ "dump", 0, 0, G_OPTION_ARG_FILENAME, &dump_path, "Write the shown state to FILE", "FILE" },
		{ "quit-after", 0, 0, G_OPTION_ARG_DOUBLE, &quit_after, "Quit after SECONDS", "SECONDS" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GtkApplication) app = gtk_application_new("org.loopcable.Panel", G_APPLICATION_DEFAULT_FLAGS);
	g_application_add_main_option_entries(G_APPLICATION(app), options);
	g_signal_connect(app, "activate", G_CALLBACK(activate_cb), NULL);
	return g_application_run(G_APPLICATION(app), argc, argv);
}
