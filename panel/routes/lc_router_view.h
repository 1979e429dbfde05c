/* SPDX-License-Identifier: MIT */
/*
 * lc_router_view.h — what the router is doing, for the CLI and the panel: opens the
 * router's section (lc_router_status.h) read-only, checks it and copies every route's
 * state out.  The section exists while a router runs; a router process that is gone
 * but whose section some reader still maps is not running (its pid and creation time
 * are checked).
 */
#ifndef LC_ROUTER_VIEW_H
#define LC_ROUTER_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "lc_router_status.h"

struct lc_router_view {
	bool running;
	uint32_t pid;
	uint64_t heartbeat;
	uint32_t changes;
	uint32_t n_routes;
	struct lc_route_status routes[LC_ROUTE_MAX]; /* valid ones, in slot order */
};

/* @return 0 (running or not), LC_E_VERSION or LC_E_CORRUPT when a section is there but
 * unusable (view->running is then false). */
int
lc_router_view_read(struct lc_router_view *view);

/* The state of route `id` in a view, or NULL if the router does not report it. */
const struct lc_route_status *
lc_router_view_find(const struct lc_router_view *view, uint32_t id);

#endif /* LC_ROUTER_VIEW_H */
