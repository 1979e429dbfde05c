/* SPDX-License-Identifier: MIT */
/*
 * lc_routes_reg.h — the user's forwarding routes in the registry
 * (HKCU\Software\LoopCable\Routes\<id>, drv_regkeys.h), shared by the router, the CLI
 * and the panel so all three agree on names and validation.
 *
 * Routes are per user (drv_regkeys.h says why).  Every write validates with
 * lc_route_check() first and changes nothing when a route is refused; reading skips
 * keys that do not hold a valid route (a hand-edited key cannot break the others).
 */
#ifndef LC_ROUTES_REG_H
#define LC_ROUTES_REG_H

#include <stdint.h>

#include "lc_route.h"

/*
 * Reads every valid route, sorted by id, into out[0 .. cap).
 * @return the number read (0 when there is no Routes key).
 */
uint32_t
lc_routes_load(struct lc_route *out, uint32_t cap);

/* Reads route `id`.  @return 0, or LC_E_INVALID when there is no valid route `id`. */
int
lc_routes_get(uint32_t id, struct lc_route *out);

/*
 * Writes `r`, validated against `n_cables`; r->id 0 takes the lowest free id and
 * stores it in r->id.  At most LC_ROUTE_MAX routes.
 * @return 0; LC_E_INVALID (with *why) when refused; LC_E_NO_SLOT when full;
 *         LC_E_STATE when the registry refused the write.
 */
int
lc_routes_save(struct lc_route *r, uint32_t n_cables, const char **why);

/* Deletes route `id`.  @return 0, or LC_E_INVALID when there is no route `id`. */
int
lc_routes_remove(uint32_t id);

/* The registry key the router watches for changes (opened for KEY_NOTIFY; created if
 * missing so that the first route added is noticed).  NULL on failure. */
void *
lc_routes_open_watch(void);

#endif /* LC_ROUTES_REG_H */
