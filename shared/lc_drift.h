/* SPDX-License-Identifier: MIT */
/*
 * lc_drift.h — the drift controller of a forwarding route: FIFO fill level in, resampling
 * ratio correction out.
 *
 * Owns: the arithmetic only (a low-pass filter on the fill level and a PI loop with a
 * two-speed bandwidth).  Does not own: the FIFO, the resampler or applying the ratio with
 * its quantization (lc_bridge.c), nor any clock: time is counted in consumer frames.
 * Pure arithmetic, no allocation, no libm: the caller embeds struct lc_drift.  One thread
 * (the bridge's consumer) calls everything; docs/forwarding.md "Drift compensation" has
 * the design and the measured figures.
 *
 * The plant.  With a correction c the consumer takes in_hz/out_hz * (1 + c) producer
 * frames per consumer frame, so the fill, counted in seconds of producer audio, moves as
 *
 *     d fill / dt = delta - c          delta: producer clock / consumer clock - 1
 *
 * an integrator.  A PI law  c = Kp e + Ki * integral(e),  e = fill - target, closes it
 * into  s^2 + Kp s + Ki:  Kp = 2 zeta w, Ki = w^2.  zeta = 1 (critically damped: a clock
 * step never overshoots the target, so the fill never dips towards an underrun).  In
 * steady state the integral holds delta exactly: it is the controller's estimate of
 * the clock offset.
 *
 * The measurement.  Producer and consumer move audio in chunks (2 .. 20 ms), so the fill
 * seen at the consumer's calls is a sawtooth whose phase relative to the pulls wanders:
 * noise of a few ms, far above the 2 ms we hold the fill to.  A one-pole low-pass
 * filter, stepped by the consumer frames elapsed (so bursty observations weigh by the
 * time they stand for, not by their number), removes most of it; its time constant is
 * TAU_W / w, a fixed fraction of the loop's own time scale, so its phase lag at the
 * loop's crossover stays small (atan(2 * 0.15) = 17 degrees) at either speed.
 *
 * Two speeds.  One bandwidth cannot serve both aims: locking onto a 500 ppm offset
 * within a few seconds needs w ~ 0.5 rad/s, but then Kp turns the sawtooth's residue into
 * ratio jitter near the clamp (it grows as w^1.5: a larger Kp on a less filtered fill);
 * at w = 0.1 rad/s it stays within +-200 ppm (0.35 cent; its means are within a few ppm,
 * docs/forwarding.md), but locking would take most of a minute.  So the loop starts
 * fast (W_FAST for HOLD_FAST_S seconds after a prime) and then narrows, its time scale
 * 1/w growing linearly to 1/W_SLOW over NARROW_S seconds (gear shifting, as in PLLs).
 * The integral state is the correction itself, not the integral of e, so changing
 * Ki changes no output.  W_SLOW still tracks a clock that wanders by +-300 ppm over
 * five minutes with less than 1 ms of fill error (error ~ delta_amplitude * omega / w^2).
 *
 * Anti-windup.  The correction is clamped to +-LC_DRIFT_MAX_CORRECTION (1000 ppm: twice
 * the worst pair of crystals we expect, and inaudible: 1.7 cents).  While clamped, the
 * integral does not move further into the clamp, so it leaves saturation as soon as the
 * error turns.
 */
#ifndef LC_DRIFT_H
#define LC_DRIFT_H

#include <stdint.h>

#define LC_DRIFT_MAX_CORRECTION 1e-3 /* +-1000 ppm */

/* Embedded by the caller; fields are private to lc_drift.c. */
struct lc_drift {
	double in_hz, out_hz;
	double target_frames; /* producer frames */
	double fill_frames;   /* filtered fill, producer frames */
	double integral;      /* the integral part of the correction (a ratio, not ppm) */
	double correction;    /* last output */
	double since_prime_s; /* consumer seconds since the last lc_drift_start() */
};

/*
 * Sets the rates and target and forgets everything (lc_drift_start(d, 0) follows).
 * in_hz, out_hz > 0; target_frames >= 0 (the caller validates).
 */
void
lc_drift_init(struct lc_drift *d, uint32_t in_hz, uint32_t out_hz, double target_frames);

/*
 * The FIFO was just primed to the target: the filter restarts at the target.
 * keep_estimate = 0: a fresh start (correction 0, fast speed again).  keep_estimate = 1:
 * a recovery after an underrun or overrun, the clocks are the same ones: the offset
 * estimate and the speed are kept.
 */
void
lc_drift_start(struct lc_drift *d, int keep_estimate);

/*
 * One observation: the fill level (producer frames; the caller's best estimate of the
 * time-averaged level, lc_bridge.c uses the mid-point of a pull) after consumer_frames
 * consumer frames since the previous observation.
 * @return the new correction, within +-LC_DRIFT_MAX_CORRECTION: the consumer should
 *         take in_hz / out_hz * (1 + correction) producer frames per consumer frame.
 */
double
lc_drift_update(struct lc_drift *d, double fill_frames, uint32_t consumer_frames);

/* The last correction (0 after init). */
double
lc_drift_correction(const struct lc_drift *d);

/* The integral part of the correction: the estimate of the clock offset (a ratio). */
double
lc_drift_offset(const struct lc_drift *d);

/* The filtered fill level, producer frames. */
double
lc_drift_fill_frames(const struct lc_drift *d);

/* The loop's current natural frequency w, rad/s (between W_SLOW and W_FAST). */
double
lc_drift_bandwidth(const struct lc_drift *d);

#endif /* LC_DRIFT_H */
