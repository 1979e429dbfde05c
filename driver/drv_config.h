/* SPDX-License-Identifier: MIT */
/*
 * drv_config.h — the settings the driver runs with, read from the registry
 * (drv_regkeys.h lists every key).  Out-of-range or missing values fall back to the
 * defaults, so a damaged registry never stops the driver.
 */
#ifndef DRV_CONFIG_H
#define DRV_CONFIG_H

#include <stdint.h>

#include "lc_shm_layout.h"

struct drv_cable_config {
	char name[LC_NAME_BYTES]; /* UTF-8, <= 31 bytes + NUL */
	uint32_t rate_hz;
	uint32_t n_channels;
};

struct drv_config {
	uint32_t n_cables;
	uint32_t ring_ms;
	uint32_t logging;
	struct drv_cable_config cables[LC_MAX_CABLES];
};

/* Fill *config from HKLM\Software\LoopCable and defaults.  Never fails. */
void drv_config_read(struct drv_config *config);

#endif /* DRV_CONFIG_H */
