/* SPDX-License-Identifier: MIT */
/*
 * lc_routes_page.h — the Routes page: the user's forwarding routes (docs/forwarding.md)
 * as the registry holds them, each with its live state as the router publishes it, and
 * the controls that change them.
 *
 * A row per route: id, cable, direction in words ("listen: LoopCable 1 → Speakers"),
 * device, latency target and an enabled switch; from the router's section (read at
 * display rate): the state in words, FIFO fill against the target, the resampling
 * correction and the underrun, overrun and restart counts — "not running" for a route
 * the router does not report.  Above the rows the router itself: running (pid) or not,
 * with a button that starts lc_router.exe from the panel's folder.  Below them a form
 * adds a route (cable, direction, a device of that direction from PortAudio, latency).
 *
 * The page only edits the registry (lc_routes_reg.h); the router notices changes by
 * itself.  Changes made elsewhere (lc_cli, another panel) show at the next refresh: the
 * page watches the Routes key.  Main thread only.
 */
#ifndef LC_ROUTES_PAGE_H
#define LC_ROUTES_PAGE_H

#include <gtk/gtk.h>
#include <stdbool.h>
#include <stdio.h>

#define LC_TYPE_ROUTES_PAGE (lc_routes_page_get_type())
G_DECLARE_FINAL_TYPE(LcRoutesPage, lc_routes_page, LC, ROUTES_PAGE, GtkBox)

/* Reads the router's section (opening it when a router appeared, letting it go when
 * its router is gone) and the registry if the Routes key changed, and shows both.  The
 * window calls it at display rate. */
void lc_routes_page_refresh(LcRoutesPage *self);

/* The cables' count or names may have changed (new settings were published). */
void lc_routes_page_reload_cables(LcRoutesPage *self);

/*
 * Writes what the page shows, for the window's --dump (as of the last refresh):
 *
 *   router=0|1 pid=N heartbeat=N a router runs (its section is there, its process
 *                                alive); heartbeat counts its loop's passes (0 if none)
 *   routes=N                     routes in the registry
 *   route id=N cable=K dir=listen|feed device="…" latency_ms=N enabled=0|1 reported=0|1
 *         state="…" fill_ms=F target_ms=F ratio_ppm=F underruns=N overruns=N restarts=N
 *                                one line per route, by id; device as
 *                                lc_route_format_device writes it, state as
 *                                lc_route_state_name or "not running" when reported=0
 *                                (the numbers are 0 then); '"' and '\' in strings are
 *                                escaped with '\'
 *   outcome="…"                  what the page last said of a change (route added,
 *                                not changed and why, router started), while shown
 */
void lc_routes_page_dump(LcRoutesPage *self, FILE *out);

/*
 * For tests: enters one step in the page's own widgets, as a user would, and presses
 * the button it names:
 *
 *   start-router                      the Start router button
 *   add CABLE listen|feed MS DEVICE…  the form (DEVICE as the list shows it: "Default",
 *                                     "WASAPI:Speakers"), then Add
 *   enable ID | disable ID            route ID's switch
 *   remove ID                         route ID's Remove button
 *
 * What the page then says shows in the dump's outcome line.
 * @return false with *error for a malformed step, a route the page does not show, or
 *         a cable or device its lists do not offer.
 */
bool lc_routes_page_enter_test_step(LcRoutesPage *self, const char *step, GError **error);

#endif /* LC_ROUTES_PAGE_H */
