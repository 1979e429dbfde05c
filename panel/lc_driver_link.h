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

/* Registers the window again.  Needed after LC_EVENT_CONFIG_CHANGED: registrations are
 * kept in the section's panel slots and events go to the windows of the current
 * generation (drv_panel.h), so the window must be registered in the new one.
 * @return TRUE if the driver took it. */
gboolean lc_driver_link_reregister(struct lc_driver_link *link);

/* Asks the driver to publish the registry settings (drv_config_write) to every process
 * (LC_DRV_APPLY_CONFIG): registered windows then get LC_EVENT_CONFIG_CHANGED.
 * Main thread; returns when the new section is in place.
 * @return the new configuration generation, 0 on failure. */
guint32 lc_driver_link_apply(struct lc_driver_link *link);

/* The Drivers32 alias the driver was found under ("wave1"). */
const char *lc_driver_link_alias(const struct lc_driver_link *link);

#endif /* LC_DRIVER_LINK_H */
