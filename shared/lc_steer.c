/* SPDX-License-Identifier: MIT */
/*
 * lc_steer.c — a drift controller's ratio applied to lc_resample (lc_steer.h).
 */
#include "lc_steer.h"

#include <stddef.h>

/*
 * A request that would reduce to a fraction with a small denominator is moved one step
 * of 1/32768.  lc_resample holds num / 65536, or num / 32768 when the previous
 * denominator was 65536 (lc_resample.c keeps old_den * new_den within 32 bits), and
 * speexdsp reduces the fraction and rescales the filter phase to the new denominator by
 * truncation: landing on, say, exactly 1/1 at equal rates (32768 / 32768) drops up to one
 * input frame of phase, an audible click each time the ratio crosses the nominal one.
 * Keeping the reduced denominator >= 1024 on either grid bounds the phase error below
 * 1/1024 frame.  The error feedback books the step like any other quantization.
 */
static int
coarse_fraction(double ask)
{
	uint32_t n16 = (uint32_t)(ask * 65536.0 + 0.5), n15 = (uint32_t)(ask * 32768.0 + 0.5);

	return (n16 & 127u) == 0 || (n15 & 31u) == 0;
}

static double
avoid_coarse_fraction(double ask)
{
	double up = ask + 1.0 / 32768, down = ask - 1.0 / 32768;

	if (!coarse_fraction(ask))
		return ask;
	/* Coarse points on either grid are >= 64 steps of 1/65536 apart, so a step away
	 * from the one hit is fine: below it when ask rounds up to it, else above. */
	if (ask * 32768.0 - (double)(uint32_t)(ask * 32768.0) >= 0.5)
		return coarse_fraction(down) ? up : down;
	return coarse_fraction(up) ? down : up;
}

/*
 * Error feedback: the ratio in force is kept while keeping it leaves what this and
 * earlier pulls owe within HOLD_FRAMES producer frames; otherwise the request is the
 * controller's ratio plus the debt spread over this pull's n frames.  Either way the
 * difference between wanted and granted is booked, so the granted ratio averages to the
 * wanted one exactly, and the position error stays below HOLD_FRAMES plus one step
 * times a pull (a fraction of a frame).  Holding matters for the cost: each change
 * makes speexdsp rebuild its interpolation table (update_filter(): filter length times
 * oversampling windowed sincs), and the controller's ratio moves a little at every
 * pull.  bench_bridge: asking at every pull cost 1.5x lc_resample alone at a fixed
 * ratio, holding 1.2x.
 */
#define HOLD_FRAMES 0.5

void
lc_steer_reset(struct lc_steer *s)
{
	s->residual = 0;
}

void
lc_steer_apply(struct lc_steer *s, struct lc_resample *rs, double want, double nominal,
	       uint32_t n)
{
	double keep = s->residual + (want - lc_resample_ratio(rs)) * n;
	double lo = nominal * (1 - LC_RESAMPLE_MAX_DEVIATION / 2);
	double hi = nominal * (1 + LC_RESAMPLE_MAX_DEVIATION / 2);
	double ask;

	if (keep <= HOLD_FRAMES && keep >= -HOLD_FRAMES) {
		s->residual = keep;
		return;
	}
	ask = want + s->residual / n;
	ask = ask < lo ? lo : ask > hi ? hi : ask;
	/* LC_E_NO_MEMORY leaves the resampler silent until a later call succeeds: the next
	 * pull asks again; the residual books whatever ratio is in force either way. */
	(void)lc_resample_set_ratio(rs, avoid_coarse_fraction(ask));
	s->residual += (want - lc_resample_ratio(rs)) * n;
}
