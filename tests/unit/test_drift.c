/* SPDX-License-Identifier: MIT */
/*
 * test_drift.c — the fill-level controller alone, against a model of the FIFO (an
 * integrator of the clock offset minus the correction) observed through a sawtooth of
 * chunked transfers at jittered intervals: it locks onto the offset without an underrun-
 * sized excursion, holds the ratio within a few ppm, survives bursty observations,
 * saturates without winding up, and narrows its bandwidth after the start.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "lc_drift.h"

#define IN_HZ 48000
#define OUT_HZ 44100
#define TARGET 960.0 /* producer frames: 20 ms */

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

static double
uniform(uint64_t *s)
{
	return (double)(rnd(s) >> 11) / 9007199254740992.0;
}

struct plant {
	double fill; /* producer frames, the true time-averaged level */
	double t;    /* seconds */
	uint64_t rng;
	double saw_frames; /* observation noise: uniform over this width, centred */
};

/* Advances the model by n consumer frames under correction c with producer offset
 * delta, and returns what the controller would observe. */
static double
step(struct plant *p, uint32_t n, double delta, double c)
{
	double dt = (double)n / OUT_HZ;

	p->fill += IN_HZ * (delta - c) * dt;
	p->t += dt;
	return p->fill + (uniform(&p->rng) - 0.5) * p->saw_frames;
}

static uint32_t
pull_frames(struct plant *p, double lo_ms, double hi_ms)
{
	return (uint32_t)((lo_ms + (hi_ms - lo_ms) * uniform(&p->rng)) * OUT_HZ / 1000.0) + 1;
}

struct run_stats {
	double max_err_ms_after;  /* |filtered - target| after `after` s */
	double max_true_err_ms;   /* |true fill - target| over the whole run */
	double max_ratio_err_ppm; /* |c - delta| after `after` s */
	double max_offset_err_ppm; /* |lc_drift_offset - delta| after `after` s */
	double mean_c_err_ppm;    /* time-weighted mean of c - delta after `after` s */
	double final_c;
};

static struct run_stats
run(struct lc_drift *d, struct plant *p, double seconds, double delta, double after,
    double lo_ms, double hi_ms)
{
	struct run_stats rs = { 0 };
	double c = lc_drift_correction(d), end = p->t + seconds, start = p->t, sum = 0, sum_t = 0;

	while (p->t < end) {
		uint32_t n = pull_frames(p, lo_ms, hi_ms);
		double obs = step(p, n, delta, c);

		c = lc_drift_update(d, obs, n);
		cr_assert_leq(fabs(c), LC_DRIFT_MAX_CORRECTION + 1e-15);
		if (fabs(p->fill - TARGET) * 1000.0 / IN_HZ > rs.max_true_err_ms)
			rs.max_true_err_ms = fabs(p->fill - TARGET) * 1000.0 / IN_HZ;
		if (p->t - start >= after) {
			double e = fabs(lc_drift_fill_frames(d) - TARGET) * 1000.0 / IN_HZ;

			if (e > rs.max_err_ms_after)
				rs.max_err_ms_after = e;
			if (fabs(c - delta) * 1e6 > rs.max_ratio_err_ppm)
				rs.max_ratio_err_ppm = fabs(c - delta) * 1e6;
			if (fabs(lc_drift_offset(d) - delta) * 1e6 > rs.max_offset_err_ppm)
				rs.max_offset_err_ppm = fabs(lc_drift_offset(d) - delta) * 1e6;
			sum += (c - delta) * n;
			sum_t += n;
		}
	}
	rs.mean_c_err_ppm = sum_t > 0 ? 1e6 * sum / sum_t : 0;
	rs.final_c = c;
	return rs;
}

Test(drift, noiseless_lock_is_exact)
{
	struct lc_drift d;
	struct plant p = { .fill = TARGET, .rng = 1 };
	struct run_stats rs;

	lc_drift_init(&d, IN_HZ, OUT_HZ, TARGET);
	rs = run(&d, &p, 300, 500e-6, 200, 10, 10);
	cr_log_info("noiseless: ratio err %.5f ppm, peak fill err %.3f ms", rs.max_ratio_err_ppm,
		    rs.max_true_err_ms);
	cr_expect_leq(rs.max_ratio_err_ppm, 0.01, "%.4f ppm", rs.max_ratio_err_ppm);
	cr_expect_leq(rs.max_err_ms_after, 0.001);
	/* Locking onto a 500 ppm step costs well under 2 ms of fill (critically damped). */
	cr_expect_leq(rs.max_true_err_ms, 1.5, "%.3f ms", rs.max_true_err_ms);
	cr_expect_gt(rs.max_true_err_ms, 0.1, "the offset did move the fill");
}

Test(drift, sawtooth_observations_plus_and_minus_500ppm)
{
	static const double offsets[] = { 500e-6, -500e-6 };

	for (int i = 0; i < 2; i++) {
		struct lc_drift d;
		/* A 7.5 ms wide sawtooth: producer chunks of 5..10 ms. */
		struct plant p = { .fill = TARGET, .rng = 7 + i, .saw_frames = 0.0075 * IN_HZ };
		struct run_stats settle, steady;

		lc_drift_init(&d, IN_HZ, OUT_HZ, TARGET);
		settle = run(&d, &p, 10, offsets[i], 5, 2, 20);
		steady = run(&d, &p, 600, offsets[i], 20, 2, 20);
		cr_log_info("%+.0f ppm: fill err after 5 s %.3f ms, then %.3f ms (true %.3f ms); "
			    "after 30 s: ratio err %.2f ppm, offset estimate err %.2f ppm, mean "
			    "ratio err %.3f ppm",
			    offsets[i] * 1e6, settle.max_err_ms_after, steady.max_err_ms_after,
			    steady.max_true_err_ms, steady.max_ratio_err_ppm,
			    steady.max_offset_err_ppm, steady.mean_c_err_ppm);
		cr_expect_leq(settle.max_true_err_ms, 2.0);
		cr_expect_leq(steady.max_true_err_ms, 2.0);
		cr_expect_leq(steady.max_err_ms_after, 1.0);
		/* iid noise of 2.2 ms rms per observation (harsher than a real sawtooth, whose
		 * successive samples are related) leaves jitter in the proportional part;
		 * the integral (the offset estimate) and the mean are tight. */
		cr_expect_leq(steady.max_ratio_err_ppm, 200.0, "%.2f ppm",
			      steady.max_ratio_err_ppm);
		cr_expect_leq(steady.max_offset_err_ppm, 45.0, "%.2f ppm",
			      steady.max_offset_err_ppm);
		cr_expect_leq(fabs(steady.mean_c_err_ppm), 1.0, "%.3f ppm",
			      steady.mean_c_err_ppm);
	}
}

Test(drift, bursty_observations)
{
	struct lc_drift d;
	struct plant p = { .fill = TARGET, .rng = 3, .saw_frames = 0.005 * IN_HZ };
	double c = 0, max_off = 0;

	lc_drift_init(&d, IN_HZ, OUT_HZ, TARGET);
	/* Bursts: ten pulls of 1 ms, then one of 100 ms, as a consumer that stalls and then
	 * catches up; the filter weighs each by the time it stands for. */
	while (p.t < 300) {
		for (int k = 0; k < 10; k++)
			c = lc_drift_update(&d, step(&p, OUT_HZ / 1000, 300e-6, c), OUT_HZ / 1000);
		c = lc_drift_update(&d, step(&p, OUT_HZ / 10, 300e-6, c), OUT_HZ / 10);
		cr_assert_leq(fabs(p.fill - TARGET) * 1000.0 / IN_HZ, 2.0, "t %.1f s", p.t);
		if (p.t > 30 && fabs(lc_drift_offset(&d) - 300e-6) * 1e6 > max_off)
			max_off = fabs(lc_drift_offset(&d) - 300e-6) * 1e6;
	}
	cr_log_info("bursty: offset estimate err %.2f ppm after 30 s", max_off);
	cr_expect_leq(max_off, 40.0, "%.2f ppm", max_off);
	/* A zero-frame observation is no time: nothing changes. */
	cr_expect_eq(lc_drift_update(&d, TARGET * 10, 0), c);
}

Test(drift, saturation_without_windup)
{
	struct lc_drift d;
	struct plant p = { .fill = TARGET, .rng = 5 };
	struct run_stats rs;

	lc_drift_init(&d, IN_HZ, OUT_HZ, TARGET);
	/* 3000 ppm is beyond the clamp: the fill runs away at 2000 ppm. */
	rs = run(&d, &p, 20, 3000e-6, 0, 10, 10);
	cr_expect_eq(rs.final_c, LC_DRIFT_MAX_CORRECTION);
	cr_expect_gt(p.fill - TARGET, 0.030 * IN_HZ, "fill should have grown 40 ms");
	/* The clock comes back to 0 ppm.  The loop works the excess off at up to 1000 ppm
	 * and lands without an undershoot worth an underrun: a wound-up integral would
	 * hold the correction high long after the error crossed zero. */
	rs = run(&d, &p, 300, 0, 200, 10, 10);
	cr_log_info("after saturation: fill err %.4f ms, c %.3f ppm", rs.max_err_ms_after,
		    rs.final_c * 1e6);
	cr_expect_leq(rs.max_err_ms_after, 0.05);
	cr_expect_leq(fabs(rs.final_c) * 1e6, 0.5);
	{
		struct plant q = p;
		double c = lc_drift_correction(&d), low = 0;

		lc_drift_init(&d, IN_HZ, OUT_HZ, TARGET);
		q.fill = TARGET + 0.040 * IN_HZ;
		for (int k = 0; k < 12000; k++) {
			c = lc_drift_update(&d, step(&q, 441, 0, c), 441);
			if (TARGET - q.fill > low)
				low = TARGET - q.fill;
		}
		cr_log_info("40 ms excess worked off: undershoot %.3f ms", low * 1000.0 / IN_HZ);
		cr_expect_leq(low * 1000.0 / IN_HZ, 4.0, "undershoot %.2f ms",
			      low * 1000.0 / IN_HZ);
	}
}

Test(drift, bandwidth_narrows_and_restarts)
{
	struct lc_drift d;
	struct plant p = { .fill = TARGET, .rng = 9 };

	lc_drift_init(&d, IN_HZ, OUT_HZ, TARGET);
	cr_expect_eq(lc_drift_correction(&d), 0);
	cr_expect_eq(lc_drift_fill_frames(&d), TARGET);
	double w0 = lc_drift_bandwidth(&d);

	(void)run(&d, &p, 60, 200e-6, 0, 10, 10);
	double w1 = lc_drift_bandwidth(&d);

	cr_expect_gt(w0, 4 * w1, "fast %.3f, slow %.3f rad/s", w0, w1);
	/* A recovery keeps the estimate and the speed; the filter restarts at the target. */
	double c = lc_drift_correction(&d);

	lc_drift_start(&d, 1);
	cr_expect_float_eq(lc_drift_correction(&d), c, 2e-6);
	cr_expect_eq(lc_drift_bandwidth(&d), w1);
	cr_expect_eq(lc_drift_fill_frames(&d), TARGET);
	/* A fresh start forgets both. */
	lc_drift_start(&d, 0);
	cr_expect_eq(lc_drift_correction(&d), 0);
	cr_expect_eq(lc_drift_bandwidth(&d), w0);
}
