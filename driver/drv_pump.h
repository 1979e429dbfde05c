/* SPDX-License-Identifier: MIT */
/*
 * drv_pump.h — the one pump thread per process that moves audio for every open stream
 * of this process (DESIGN.md: writers fill rings ahead of "now", readers pull the mix).
 *
 * Each open stream embeds a struct drv_pump_item.  The pump wakes at the earliest
 * deadline any item asked for (a high-resolution waitable timer) or when poked (new
 * work: a write, a start), calls each item's service(), and every ~250 ms reclaims
 * slots of dead processes (drv_reaper).
 *
 * Thread context: service() runs on the pump thread with no pump lock that a client
 * call could need, except the sweep lock taken by drv_pump_add/remove.  Items make
 * their own client callbacks from service(), outside their own locks.
 *
 * Removal: drv_pump_remove() unlinks an item.  Called from any thread but the pump's,
 * it returns once the pump no longer touches the item (the caller frees it).  Called
 * on the pump thread (a client closing from inside its callback), the item may still
 * be in use by the sweep, so the pump frees it with ops->release() when the sweep
 * ends; drv_pump_remove() then returns false.
 */
#ifndef DRV_PUMP_H
#define DRV_PUMP_H

#include <windows.h>
#include <stdbool.h>
#include <stdint.h>

#define DRV_PUMP_IDLE UINT64_MAX /* service(): nothing due until poked */

struct drv_pump_item;

struct drv_pump_ops {
	/* Does what is due at now_ticks; returns the tick at which to be called again
	 * (DRV_PUMP_IDLE: only when poked). */
	uint64_t (*service)(struct drv_pump_item *item, uint64_t now_ticks);
	/* Frees an item removed on the pump thread (see above). */
	void (*release)(struct drv_pump_item *item);
};

struct drv_pump_item {
	const struct drv_pump_ops *ops;
	struct drv_pump_item *next;  /* pump list, under the sweep lock */
	uint32_t sweep;              /* last sweep that serviced it */
};

/* Starts the pump thread with no item: a panel's process has no stream but must reap
 * dead clients too.  @return 0 or LC_E_NO_MEMORY. */
int drv_pump_start(void);

/* Adds an item (starting the pump thread on first use).  @return 0 or LC_E_NO_MEMORY. */
int drv_pump_add(struct drv_pump_item *item);

/* Unlinks an item; see "Removal" above.  @return true if the caller may free it now. */
bool drv_pump_remove(struct drv_pump_item *item);

/* Wakes the pump now (new data to write, a buffer to fill). */
void drv_pump_poke(void);

/* Wakes the pump only if it would otherwise sleep past `ticks`: new work due then.
 * Cheaper than drv_pump_poke() when many streams add work (each poke is a system
 * call, a server round trip under Wine). */
void drv_pump_poke_before(uint64_t ticks);

/* Stops the pump thread (DRV_FREE) and releases the items still listed: by then
 * only closed streams that were draining their tail. */
void drv_pump_shutdown(void);

#endif /* DRV_PUMP_H */
