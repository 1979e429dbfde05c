/* SPDX-License-Identifier: MIT */
/*
 * drv_reaper.h — frees the slots of processes that died without closing (killed,
 * crashed), so their writers stop counting in the mix and their slots can be reused
 * (DESIGN.md decision 10).  Runs on the pump thread of every process that has a stream
 * open; the core's lc_shm_reclaim makes concurrent reapers safe.
 */
#ifndef DRV_REAPER_H
#define DRV_REAPER_H

/* Generations looked at per pass: the current one and those streams still use. */
#define DRV_REAPER_GENERATIONS 16

/* One pass: ask the OS about every slot owner; reclaim the dead.  Returns slots freed. */
int drv_reaper_run(void);

#endif /* DRV_REAPER_H */
