/* SPDX-License-Identifier: MIT */
/*
 * lc_driver_link.h — the panel's line to the driver: it opens the installed driver
 * (OpenDriver on its Drivers32 alias), registers the panel's top-level window for
 * events (drv_panel.h) and turns the posted LC_WM_DRIVER_EVENT messages, caught by a
 * window-message filter on the GDK window, into calls of `on_event` in the GTK main
 * loop.  Levels and counters are not events: the window reads them with lc_status.
 */
#ifndef LC_DRIVER_LINK_H
#define LC_DRIVER_LINK_H

#include <gtk/gtk.h>
#include <stdint.h>

typedef void (*lc_driver_link_event_cb)(uint32_t packed_event, gpointer user_data);

/* Connects `window` (realized) to the driver.  Returns NULL and sets error if the
 * driver is not installed or refuses the registration. */
struct lc_driver_link *lc_driver_link_new(GtkWidget *window, lc_driver_link_event_cb on_event,
					  gpointer user_data, GError **error);

/* Unregisters the window and closes the driver. */
void lc_driver_link_free(struct lc_driver_link *link);

/* The Drivers32 alias the driver was found under ("wave1"). */
const char *lc_driver_link_alias(const struct lc_driver_link *link);

#endif /* LC_DRIVER_LINK_H */
