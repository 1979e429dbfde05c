/* SPDX-License-Identifier: MIT */
/*
 * lc_drift.c — the fill-level PI controller (design and constants: lc_drift.h).
 */
#include "lc_drift.h"

#define W_FAST 0.5        /* rad/s: locks 500 ppm in ~10 s (zeta = 1: e^-wt (1 + wt)) */
#define W_SLOW 0.1        /* rad/s: ratio jitter within +-200 ppm, still tracks wander */
#define ZETA 1.0          /* critically damped */
#define TAU_W 0.15        /* filter time constant * w: 0.3 s fast, 1.5 s slow */
#define HOLD_FAST_S 6.0   /* fast speed for this long after a fresh start */
#define NARROW_S 12.0     /* then 1/w grows linearly to 1/W_SLOW over this long */

void
lc_drift_init(struct lc_drift *d, uint32_t in_hz, uint32_t out_hz, double target_frames)
{
	d->in_hz = in_hz;
	d->out_hz = out_hz;
	d->target_frames = target_frames;
	lc_drift_start(d, 0);
}

void
lc_drift_start(struct lc_drift *d, int keep_estimate)
{
	d->fill_frames = d->target_frames;
	if (!keep_estimate) {
		d->integral = 0;
		d->since_prime_s = 0;
	}
	/* On a recovery the proportional part restarts from a zero error. */
	d->correction = d->integral;
}

double
lc_drift_bandwidth(const struct lc_drift *d)
{
	double t = d->since_prime_s - HOLD_FAST_S;

	if (t <= 0)
		return W_FAST;
	if (t >= NARROW_S)
		return W_SLOW;
	return 1.0 / (1.0 / W_FAST + (1.0 / W_SLOW - 1.0 / W_FAST) * t / NARROW_S);
}

static double
clamp(double x, double lim)
{
	return x > lim ? lim : x < -lim ? -lim : x;
}

double
lc_drift_update(struct lc_drift *d, double fill_frames, uint32_t consumer_frames)
{
	double dt = consumer_frames / d->out_hz;
	double w = lc_drift_bandwidth(d);
	double tau = TAU_W / w;
	double e, kp, ki, out, integral;

	if (consumer_frames == 0)
		return d->correction;
	/* Backward Euler one-pole: unconditionally stable for any dt, even a pull longer
	 * than tau (a stalled consumer), and needs no exp(). */
	d->fill_frames += (fill_frames - d->fill_frames) * (dt / (tau + dt));
	e = (d->fill_frames - d->target_frames) / d->in_hz; /* seconds of audio */

	kp = 2.0 * ZETA * w;
	ki = w * w;
	integral = clamp(d->integral + ki * e * dt, LC_DRIFT_MAX_CORRECTION);
	out = kp * e + integral;
	/* Anti-windup: while the output is clamped, the integral may only move back out. */
	if (out > LC_DRIFT_MAX_CORRECTION || out < -LC_DRIFT_MAX_CORRECTION) {
		if ((integral - d->integral) * out <= 0)
			d->integral = integral;
		out = clamp(out, LC_DRIFT_MAX_CORRECTION);
	} else {
		d->integral = integral;
	}
	d->correction = out;
	d->since_prime_s += dt;
	return out;
}

double
lc_drift_correction(const struct lc_drift *d)
{
	return d->correction;
}

double
lc_drift_offset(const struct lc_drift *d)
{
	return d->integral;
}

double
lc_drift_fill_frames(const struct lc_drift *d)
{
	return d->fill_frames;
}
