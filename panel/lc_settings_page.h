/* SPDX-License-Identifier: MIT */
/*
 * lc_settings_page.h — the Settings page: cable count, buffering, logging and, per
 * cable, name, sample rate and channels, applied live.
 *
 * Apply writes the registry (drv_config_write) and asks the driver to publish it
 * (lc_driver_link_apply); running clients and panels then move to the new section
 * generation without a restart.  The page does not follow the driver's events: the
 * window tells it to reload (lc_settings_page_reload) when the configuration changed.
 *
 * Signal "applied" (guint generation, const char *error): after every press of Apply,
 * generation 0 and a human sentence on failure, the new generation and NULL on success.
 */
#ifndef LC_SETTINGS_PAGE_H
#define LC_SETTINGS_PAGE_H

#include <gtk/gtk.h>

struct lc_driver_link;

#define LC_TYPE_SETTINGS_PAGE (lc_settings_page_get_type())
G_DECLARE_FINAL_TYPE(LcSettingsPage, lc_settings_page, LC, SETTINGS_PAGE, GtkBox)

/* The driver Apply publishes through; NULL while there is none (Apply then explains
 * that the driver is not installed).  Borrowed: the caller keeps it alive until it
 * sets another one. */
void lc_settings_page_set_link(LcSettingsPage *self, struct lc_driver_link *link);

/* Reads the registry again and shows it, unless the user has unsaved edits (those win
 * until Apply or Revert). */
void lc_settings_page_reload(LcSettingsPage *self);

/*
 * Test hook.  spec: comma-separated key=value pairs, any subset of cables, ring_ms,
 * logging (0 or 1), nameK, rateK, channelsK (K = cable number, 1-based), e.g.
 * "cables=3,ring_ms=100,name1=Foo,rate1=44100".
 *
 * check: @return FALSE with error set if a key is unknown or a number is not one.
 * enter: puts the values into the page's widgets, in the order given, as a user would,
 * then clicks Apply (even if nothing changed, so that a test can publish again).  The
 * spec must have passed check.
 */
gboolean lc_settings_page_check_test_values(const char *spec, GError **error);
void lc_settings_page_enter_test_values(LcSettingsPage *self, const char *spec);

#endif /* LC_SETTINGS_PAGE_H */
