/* SPDX-License-Identifier: MIT */
/*
 * drv_pump.h — the one pump thread per process that moves audio for every open stream
 * of this process (docs/architecture.md: writers fill rings ahead of "now", readers
 * pull the mix).
 *
 * Each open stream embeds a struct drv_pump_item.  The pump wakes at the earliest
 * deadline any item asked for (a high-resolution waitable timer) or when poked (new
 * work: a write, a start), and calls each item's service().  Reclaiming dead clients'
 * slots is not its job (drv_reaper.h has its own thread): nothing slow runs here.
 *
 * Locks: the pump's list lock is held only to link, unlink and pick the next item —
 * never across service().  So a client callback made from service() runs with no pump
 * lock held, and an open or a close on another thread never waits for a callback.
 *
 * Lifetime: an item is reference-counted.  The list holds one reference while the
 * item is listed, and the pump holds one while it services the item; whoever drops
 * the last calls ops->release().  So drv_pump_remove() never waits: an item being
 * serviced right now is freed when its service() returns.
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
	/* Frees the item: its last reference is gone. */
	void (*release)(struct drv_pump_item *item);
};

struct drv_pump_item {
	const struct drv_pump_ops *ops;
	volatile LONG refs;          /* see "Lifetime" above */
	struct drv_pump_item *next;  /* pump list, under the list lock */
	uint32_t sweep;              /* last sweep that serviced it */
	bool listed;
};

/* Sets the item up with one reference: its creator's. */
void drv_pump_item_init(struct drv_pump_item *item, const struct drv_pump_ops *ops);

/* Takes / drops a reference; the last drop calls ops->release(). */
void drv_pump_item_hold(struct drv_pump_item *item);
void drv_pump_item_drop(struct drv_pump_item *item);

/* Lists an item (starting the pump thread on first use); the list takes a reference.
 * @return 0 or LC_E_NO_MEMORY. */
int drv_pump_add(struct drv_pump_item *item);

/* Unlists an item and drops the list's reference.  Never waits; safe from any thread,
 * the pump's own included (a client closing from inside its callback). */
void drv_pump_remove(struct drv_pump_item *item);

/* Wakes the pump now (new data to write, a buffer to fill). */
void drv_pump_poke(void);

/* Wakes the pump only if it would otherwise sleep past `ticks`: new work due then.
 * Cheaper than drv_pump_poke() when many streams add work (each poke is a system
 * call, a server round trip under Wine). */
void drv_pump_poke_before(uint64_t ticks);

/* Stops the pump thread (DRV_FREE) and unlists the items still listed. */
void drv_pump_shutdown(void);

#endif /* DRV_PUMP_H */
