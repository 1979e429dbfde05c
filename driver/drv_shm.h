/* SPDX-License-Identifier: MIT */
/*
 * drv_shm.h — this process's attachment to the LoopCable section: the named file
 * mapping every client process shares (DESIGN.md decision 1), and the clock.
 *
 * The first process creates the section from the registry settings (drv_config.h) and
 * stamps the timeline epoch; later ones open and validate it (lc_shm_open).  The core
 * (shared/lc_shm.h) does all layout work; this file only maps memory and reads the
 * performance counter.
 */
#ifndef DRV_SHM_H
#define DRV_SHM_H

#include <stdint.h>

#include "drv_config.h"
#include "lc_shm.h"

/* Attach once per process (idempotent, thread-safe).  @return 0 or an lc_result. */
int drv_shm_attach(void);

/* The attached section (NULL before a successful drv_shm_attach). */
struct lc_shm *drv_shm_get(void);

/* The settings read when the process attached. */
const struct drv_config *drv_shm_config(void);

/* QueryPerformanceCounter now. */
uint64_t drv_shm_now_ticks(void);

/* The cable's timeline frame at ticks. */
uint64_t drv_shm_frame_at(uint32_t cable, uint64_t ticks);

/* This process as a slot owner (pid + creation time). */
uint32_t drv_shm_pid(void);
uint64_t drv_shm_start_time(void);

#endif /* DRV_SHM_H */
