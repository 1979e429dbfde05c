/* SPDX-License-Identifier: MIT */
/*
 * lc_steer.h — a drift controller's ratio (lc_drift.h) applied to the resampler
 * (lc_resample.h), for every consumer that steers one: the forwarding bridge
 * (lc_bridge.h) and the network jitter buffer (lc_jitter.h).
 *
 * lc_resample holds the ratio in steps of 1/65536 (15 ppm).  Each pull asks for the
 * controller's ratio plus what earlier pulls owe (first-order error feedback, in
 * producer frames), so the ratio in force averages to the controller's exactly; the
 * ratio is changed only when the debt would pass half a frame (each change costs
 * speexdsp a filter-table rebuild), and never to a fraction that speexdsp would reduce
 * to a small denominator (lc_steer.c says why).  No OS calls, no allocation beyond
 * lc_resample's own contract.
 */
#ifndef LC_STEER_H
#define LC_STEER_H

#include <stdint.h>

#include "lc_resample.h"

struct lc_steer {
	double residual; /* producer frames owed by the quantized ratio */
};

/* Forgets the debt (a restart: a new resampler history). */
void
lc_steer_reset(struct lc_steer *s);

/*
 * Before a pull of n consumer frames: keeps or changes rs's ratio.
 * @param want     the controller's ratio, producer frames per consumer frame
 * @param nominal  the rates' own ratio; requests are clamped to within half of
 *                 LC_RESAMPLE_MAX_DEVIATION of it
 */
void
lc_steer_apply(struct lc_steer *s, struct lc_resample *rs, double want, double nominal,
	       uint32_t n);

#endif /* LC_STEER_H */
