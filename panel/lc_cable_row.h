/* SPDX-License-Identifier: MIT */
/*
 * lc_cable_row.h — one cable in the window's list: its format and how far ahead its
 * players write, a level meter per channel with a clip indicator, volume and mute
 * (applied live through lc_status_set_cable_volume), and a line per client (direction,
 * process, format, buffer size, how far ahead a player is, underflows, overflows).
 *
 * A row is built for one name, rate and channel count (the meters depend on it); when
 * lc_cable_row_shows() says the cable no longer matches, the window builds a new row.
 * Main thread only.
 */
#ifndef LC_CABLE_ROW_H
#define LC_CABLE_ROW_H

#include <gtk/gtk.h>
#include <stdint.h>

#include "lc_status.h"

#define LC_TYPE_CABLE_ROW (lc_cable_row_get_type())
G_DECLARE_FINAL_TYPE(LcCableRow, lc_cable_row, LC, CABLE_ROW, GtkListBoxRow)

/* A row for cable `index` (0-based) as `cable` describes it. */
GtkWidget *lc_cable_row_new(uint32_t index, const struct lc_status_cable *cable);

/* TRUE if the row was built for cable's name, rate and channel count. */
gboolean lc_cable_row_shows(LcCableRow *self, const struct lc_status_cable *cable);

/* Shows cable's levels, clients and counters, at display rate.  `cable` must be one the
 * row shows (lc_cable_row_shows). */
void lc_cable_row_update(LcCableRow *self, const struct lc_status_cable *cable);

#endif /* LC_CABLE_ROW_H */
