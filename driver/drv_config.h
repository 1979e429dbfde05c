/* SPDX-License-Identifier: MIT */
/*
 * drv_config.h — the settings the driver runs with, read from the registry
 * (drv_regkeys.h lists every key).  Out-of-range or missing values fall back to the
 * defaults, so a damaged registry never stops the driver.
 */
#ifndef DRV_CONFIG_H
#define DRV_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "lc_shm.h"

struct drv_cable_config {
	char name[LC_NAME_BYTES]; /* UTF-8, <= 31 bytes + NUL */
	uint32_t rate_hz;
	uint32_t n_channels;
};

struct drv_config {
	uint32_t n_cables;
	uint32_t ring_ms;
	uint32_t logging;
	/* Read only: drv_config_write leaves it as the administrator set it. */
	uint32_t allow_low_integrity;
	/* Every entry is filled, those beyond n_cables too (as stored, or the defaults):
	 * raising the count brings back what was set before. */
	struct drv_cable_config cables[LC_MAX_CABLES];
};

/* Ranges of the numeric settings (what drv_config_read accepts; the panel offers these). */
#define DRV_RING_MS_MIN 20u
#define DRV_RING_MS_MAX 2000u

/* Fill *config from HKLM\Software\LoopCable and defaults.  Never fails. */
void drv_config_read(struct drv_config *config);

/* The section layout for *config (ring lengths: RingMs rounded up to a power of two). */
void drv_config_to_shm(const struct drv_config *config, struct lc_shm_config *out);

/* Bytes of the section *config needs; 0 when it cannot be made (a value out of range,
 * or all together beyond LC_SHM_MAX_BYTES, e.g. 4 cables of 8 channels at 192 kHz with
 * 250 ms rings). */
uint64_t drv_config_section_bytes(const struct drv_config *config);

/*
 * Stores *config in the registry (the values drv_config_read reads; per-cable keys for
 * cables 1..n_cables, keys of cables beyond n_cables are left for a later increase).
 * Values out of range, or settings whose section would be too large
 * (drv_config_section_bytes), are refused before anything is written.  Running processes
 * notice nothing until LC_DRV_APPLY_CONFIG (drv_panel.h) publishes the new settings.
 * @return 0, ERROR_INVALID_PARAMETER, or the Win32 error of the registry (typically
 *         ERROR_ACCESS_DENIED for a user without write access to HKLM\Software\LoopCable).
 */
long drv_config_write(const struct drv_config *config);

/*
 * A decimal number that is all of `text` (no sign, no spaces) within [min, max]: the
 * one reading of numbers typed by a user, for the settings and the CLI alike.
 * @return true with *out set, or false with *out unchanged.
 */
bool drv_parse_decimal(const char *text, uint32_t min, uint32_t max, uint32_t *out);

/*
 * Changes one setting of *config from "KEY=VALUE" text (the CLI's `set`, the tests):
 * cables, ring_ms, logging, and per cable K: nameK, rateK, channelsK.  The value is
 * checked against the same ranges drv_config_read and the panel use; the settings
 * together are checked by drv_config_write.
 * @return true, or false with *why (static text) and *config unchanged.
 */
bool drv_config_set(struct drv_config *config, const char *assignment, const char **why);

#endif /* DRV_CONFIG_H */
