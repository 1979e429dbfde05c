/* SPDX-License-Identifier: MIT */
/*
 * rt_route.h — one running route: the cable side (rt_cable.h), the device side (a
 * PortAudio stream) and between them the drift-compensated bridge (lc_bridge.h).
 *
 *   listen:  cable recorder --push--> bridge --pull--> PortAudio output callback
 *   feed:    PortAudio input callback --push--> bridge --pull--> cable player
 *
 * A network route (host API "RTP", lc_rtp_url.h) has rt_net.h in the device's place:
 *   send:    cable recorder --push--> bridge --pull (the packet clock)--> RTP packets
 *   receive: RTP packets --> jitter buffer (lc_jitter.h) --pull--> cable player
 *
 * The bridge runs at the cable's channel count; the device side maps channels with
 * lc_chmap when the device has another count.  Each side runs at its own rate and clock;
 * the bridge's controller absorbs both differences (docs/forwarding.md).
 * Owned by the router's main thread; the two audio threads touch only the bridge and
 * their own counters.
 */
#ifndef RT_ROUTE_H
#define RT_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "lc_route.h"
#include "lc_router_status.h"

struct rt_route;

/* A route with its settings, stopped.  NULL when out of memory. */
struct rt_route *
rt_route_new(const struct lc_route *cfg);

void
rt_route_free(struct rt_route *r);

/* The settings it was made with. */
const struct lc_route *
rt_route_config(const struct rt_route *r);

/*
 * Opens the device and the cable and starts both.  The cable's format is given (the
 * cable's settings).  @return 0, or an lc_result with the reason in the route's state
 * text (the route is then stopped and WAITING or ERROR).
 */
int
rt_route_start(struct rt_route *r, uint32_t cable_rate_hz, uint32_t cable_channels);

/* Stops and closes both sides (no-op when stopped).  `state` and `text` become the
 * route's state (DISABLED, WAITING, ERROR). */
void
rt_route_stop(struct rt_route *r, uint32_t state, const char *text);

bool
rt_route_running(const struct rt_route *r);

/* The router's watchdog, called a few times a second with GetTickCount64()'s value:
 * false when a side stopped moving or failed (the route stops itself, WAITING, and
 * counts a restart). */
bool
rt_route_check(struct rt_route *r, uint64_t now_ms);

/* The cable format it runs with (0 when stopped). */
void
rt_route_cable_format(const struct rt_route *r, uint32_t *rate_hz, uint32_t *channels);

/* The state for the router's status section. */
void
rt_route_status(const struct rt_route *r, struct lc_route_status *st);

#endif /* RT_ROUTE_H */
