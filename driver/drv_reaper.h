/* SPDX-License-Identifier: MIT */
/*
 * drv_reaper.h — frees the slots of processes that died without closing (killed,
 * crashed), so their writers stop counting in the mix and their slots can be reused
 * (docs/architecture.md decision 10).  Every process that has a stream open or a panel
 * registered runs a pass every REAP_PERIOD_MS on a thread of its own, at low
 * priority: a pass asks the OS about processes and maps older generations, which must
 * never stall the pump; the core's lc_shm_reclaim makes concurrent reapers safe.
 */
#ifndef DRV_REAPER_H
#define DRV_REAPER_H

/* Generations looked at per pass: the current one and those streams still use. */
#define DRV_REAPER_GENERATIONS 16

/* One pass: ask the OS about every slot owner; reclaim the dead.  Returns slots freed. */
int drv_reaper_run(void);

/* Starts the reaper thread once per process (idempotent).  @return 0 or LC_E_NO_MEMORY. */
int drv_reaper_start(void);

/* Stops it (DRV_FREE). */
void drv_reaper_stop(void);

#endif /* DRV_REAPER_H */
