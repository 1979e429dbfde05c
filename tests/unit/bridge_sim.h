/* SPDX-License-Identifier: MIT */
/*
 * bridge_sim.h — a route in virtual time, for test_bridge.c and bench_bridge.c: a
 * producer whose clock is off by a given (possibly wandering) amount pushes a tone in
 * jittered chunks, a consumer on the reference clock pulls jittered chunks, and every
 * pulled frame is checked.  A discrete-event loop: whichever side's next call comes
 * first in virtual time runs, so an hour of audio costs only the CPU of the audio work.
 *
 * The checks, all on the output after `settle_s`:
 * - the filtered fill (lc_bridge_stats) against the target;
 * - continuity, sample by sample: a pure tone obeys x[j] = 2 cos(w) x[j-1] - x[j-2], so a
 *   dropped, repeated or mangled frame leaves a residual of order w * amplitude (0.06
 *   here) where the resampler's own error is below 1e-3;
 * - the other channels are fixed multiples of channel 0 (interleaving intact);
 * - the tone's phase, fitted every 0.5 s on a block, turned into the delay from the
 *   producer's clock to the output (unwrapped from block to block): bounded, and free of
 *   jumps;
 * - the controller's ratio and the applied (quantized) ratio against the true offset.
 * Header-only (static functions) so that the test and the benchmark share one copy.
 */
#ifndef BRIDGE_SIM_H
#define BRIDGE_SIM_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lc_bridge.h"
#include "lc_fmt.h"

#define SIM_PI 3.14159265358979323846
#define SIM_TONE_HZ 997.0
#define SIM_AMP 0.5
#define SIM_MAX_CHUNK 8192
#define SIM_WINDOW_S 300.0 /* ratio means are judged over windows this long */

struct sim_cfg {
	uint32_t channels, in_hz, out_hz;
	double offset_ppm;        /* producer clock vs consumer clock, constant part */
	double wander_ppm;        /* amplitude of a sine on top */
	double wander_period_s;
	double walk_ppm;          /* a random walk on top, bounded to +-walk_ppm */
	double seconds;           /* audio simulated (consumer seconds) */
	double settle_s;          /* checks start here */
	double lock_s;            /* ... and the instantaneous ratio checks here */
	double push_ms_lo, push_ms_hi; /* producer chunk sizes, uniform */
	double pull_ms_lo, pull_ms_hi; /* consumer chunk sizes, uniform */
	double target_ms;
	uint64_t seed;
};

struct sim_result {
	int create_err;
	struct lc_bridge_stats st;      /* at the end */
	double max_fill_err_ms;         /* |filtered fill - target| after settling */
	double max_ratio_err_ppm;       /* |controller - true offset| after settling */
	double max_offset_err_ppm;      /* |controller's offset estimate - true offset| */
	double max_applied_mean_err_ppm; /* |mean applied - mean true| over 60 s windows */
	double max_ctrl_mean_err_ppm;   /* same for the controller's ratio */
	double hour_applied_minus_ctrl_ppm; /* means over the whole checked span */
	double max_residual;            /* continuity residual, channel 0 */
	double max_channel_err;         /* other channels vs their multiple of channel 0 */
	double delay_min_ms, delay_max_ms; /* tone delay, producer clock -> output */
	double max_delay_step_ms;       /* between consecutive fits, 0.5 s apart */
	uint64_t n_residual_bad;        /* samples over the residual bound */
	uint32_t n_fits;
	uint64_t running_pulls;         /* pulls after settling that were RUNNING */
	uint64_t checked_pulls;
	uint32_t end_fill;              /* FIFO fill at the end, unfiltered */
};

static uint64_t
sim_rand(uint64_t *s)
{
	/* xorshift64*: plenty for chunk jitter, and reproducible. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

static double
sim_uniform(uint64_t *s)
{
	return (double)(sim_rand(s) >> 11) / 9007199254740992.0;
}

static uint32_t
sim_chunk(uint64_t *s, double lo_ms, double hi_ms, uint32_t hz)
{
	double ms = lo_ms + (hi_ms - lo_ms) * sim_uniform(s);
	uint32_t n = (uint32_t)(ms * hz / 1000.0 + 0.5);

	return n < 1 ? 1 : n > SIM_MAX_CHUNK ? SIM_MAX_CHUNK : n;
}

/* The channel multiples: ch 0 is the tone, ch c carries it times gain(c). */
static double
sim_gain(uint32_t c)
{
	return c == 0 ? 1.0 : (c & 1) ? -0.5 : 0.25;
}

struct sim_state {
	double walk;
};

/* Producer clock offset at consumer time t, as a ratio. */
static double
sim_offset(const struct sim_cfg *c, struct sim_state *ss, uint64_t *rng, double t)
{
	double d = c->offset_ppm;

	if (c->wander_ppm != 0)
		d += c->wander_ppm * sin(2 * SIM_PI * t / c->wander_period_s);
	if (c->walk_ppm != 0) {
		ss->walk += (sim_uniform(rng) - 0.5) * 0.2; /* per producer chunk */
		if (ss->walk > c->walk_ppm)
			ss->walk = 2 * c->walk_ppm - ss->walk;
		if (ss->walk < -c->walk_ppm)
			ss->walk = -2 * c->walk_ppm - ss->walk;
		d += ss->walk;
	}
	return d * 1e-6;
}

/* Least-squares phase (cycles, [0,1)) of a tone of w rad/sample at x's middle sample. */
static double
sim_phase(const float *x, uint32_t stride, uint32_t n, double w)
{
	double ss = 0, sc = 0, cc = 0, xs = 0, xc = 0, a, b, det, ph;
	double mid = (n - 1) / 2.0;

	for (uint32_t j = 0; j < n; j++) {
		double s = sin(w * (j - mid)), k = cos(w * (j - mid)), v = x[j * stride];

		ss += s * s;
		sc += s * k;
		cc += k * k;
		xs += v * s;
		xc += v * k;
	}
	det = ss * cc - sc * sc;
	a = (xs * cc - xc * sc) / det; /* x ~ a sin + b cos = A sin(. + ph) */
	b = (xc * ss - xs * sc) / det;
	ph = atan2(b, a) / (2 * SIM_PI);
	return ph - floor(ph);
}

static struct sim_result
sim_run(const struct sim_cfg *c)
{
	struct lc_bridge_config bc = {
		.channels = c->channels,
		.in_hz = c->in_hz,
		.out_hz = c->out_hz,
		.target_frames = (uint32_t)(c->target_ms * c->in_hz / 1000.0 + 0.5),
		.capacity_frames = (uint32_t)(4 * c->target_ms * c->in_hz / 1000.0 + 0.5),
		.quality = LC_BRIDGE_QUALITY_DEFAULT,
	};
	struct sim_result r;
	struct sim_state ss = { 0 };
	struct lc_bridge *b = NULL;
	uint64_t rng = c->seed | 1, produced = 0;
	float *in = malloc(sizeof(float) * SIM_MAX_CHUNK * c->channels);
	float *out = malloc(sizeof(float) * SIM_MAX_CHUNK * c->channels);
	double tp = 0, tc = 0, delta = 0, x1 = 0, x2 = 0, next_fit = c->settle_s;
	double win_start = -1, win_true = 0, win_appl = 0, win_ctrl = 0, win_n = 0;
	double all_appl = 0, all_ctrl = 0, all_n = 0, prev_delay = NAN;
	double last_push_t = 0, last_push_rate = c->in_hz;
	uint64_t last_push_pos = 0;
	int have_x = 0;
	/* One second of the tone: a whole number of its periods, so indexing it by the
	 * sample count modulo the rate is continuous, and as exact at the hour as at the
	 * start (and spares a sin() per frame). */
	double *tone = malloc(sizeof(double) * c->in_hz);

	for (uint32_t k = 0; k < c->in_hz; k++)
		tone[k] = SIM_AMP * sin(2 * SIM_PI * SIM_TONE_HZ * k / c->in_hz);

	memset(&r, 0, sizeof(r));
	r.delay_min_ms = INFINITY;
	r.delay_max_ms = -INFINITY;
	r.create_err = lc_bridge_create(&b, &bc);
	if (r.create_err != 0) {
		free(tone);
		free(in);
		free(out);
		return r;
	}
	while (tc < c->seconds) {
		if (tp <= tc) {
			uint32_t n = sim_chunk(&rng, c->push_ms_lo, c->push_ms_hi, c->in_hz);

			delta = sim_offset(c, &ss, &rng, tp);
			for (uint32_t f = 0; f < n; f++) {
				double v = tone[(produced + f) % c->in_hz];
				float *frame = in + (size_t)f * c->channels;

				for (uint32_t ch = 0; ch < c->channels; ch++)
					frame[ch] = (float)(v * sim_gain(ch));
			}
			lc_bridge_push(b, in, n);
			last_push_t = tp;
			last_push_pos = produced;
			last_push_rate = c->in_hz * (1 + delta);
			produced += n;
			tp += n / (c->in_hz * (1 + delta));
			continue;
		}

		uint32_t n = sim_chunk(&rng, c->pull_ms_lo, c->pull_ms_hi, c->out_hz);
		struct lc_bridge_stats st, before;
		double w = 2 * SIM_PI * SIM_TONE_HZ * (1 + delta) / c->out_hz;
		double k2 = 2 * cos(w);
		int check = tc >= c->settle_s;

		/* The correction a pull applies is the one in force before it. */
		lc_bridge_stats(b, &before);
		lc_bridge_pull(b, out, n);
		lc_bridge_stats(b, &st);
		if (check) {
			double e_ms = fabs(st.fill_frames - st.target_frames) * 1000.0 / c->in_hz;

			r.checked_pulls++;
			if (st.state == LC_BRIDGE_RUNNING)
				r.running_pulls++;
			if (e_ms > r.max_fill_err_ms)
				r.max_fill_err_ms = e_ms;
			double ratio_err = fabs(st.ratio_ppm - delta * 1e6);
			double offset_err = fabs(st.offset_ppm - delta * 1e6);

			if (tc >= c->lock_s && ratio_err > r.max_ratio_err_ppm)
				r.max_ratio_err_ppm = ratio_err;
			if (win_start < 0)
				win_start = tc;
			win_true += delta * 1e6 * n;
			win_appl += st.applied_ppm * n;
			win_ctrl += before.ratio_ppm * n;
			win_n += n;
			all_appl += st.applied_ppm * n;
			all_ctrl += before.ratio_ppm * n;
			if (tc >= c->lock_s && offset_err > r.max_offset_err_ppm)
				r.max_offset_err_ppm = offset_err;
			all_n += n;
			if (tc - win_start >= SIM_WINDOW_S) {
				double ea = fabs(win_appl - win_true) / win_n;
				double ec = fabs(win_ctrl - win_true) / win_n;

				if (ea > r.max_applied_mean_err_ppm)
					r.max_applied_mean_err_ppm = ea;
				if (ec > r.max_ctrl_mean_err_ppm)
					r.max_ctrl_mean_err_ppm = ec;
				win_start = tc;
				win_true = win_appl = win_ctrl = win_n = 0;
			}
		}
		for (uint32_t f = 0; f < n; f++) {
			double x = out[f * c->channels];

			if (check && have_x >= 2) {
				double res = fabs(x - k2 * x1 + x2);

				if (res > r.max_residual)
					r.max_residual = res;
				if (res > 0.005)
					r.n_residual_bad++;
			}
			for (uint32_t ch = 1; check && ch < c->channels; ch++) {
				double e = fabs(out[f * c->channels + ch] - sim_gain(ch) * x);

				if (e > r.max_channel_err)
					r.max_channel_err = e;
			}
			x2 = x1;
			x1 = x;
			have_x++;
		}
		if (check && tc >= next_fit && n >= 256) {
			/* Delay of the block's middle frame: the producer's position now (its
			 * clock, extrapolated from its last push) minus the producer frame
			 * whose tone phase the output shows, in producer ms. */
			double t_mid = tc + (n - 1) / 2.0 / c->out_hz;
			double pos = last_push_pos + (t_mid - last_push_t) * last_push_rate;
			double period = c->in_hz / SIM_TONE_HZ; /* producer frames */
			double ph = sim_phase(out, c->channels, n, w);
			double now_cyc = fmod(pos, c->in_hz) / period;
			double lag_cyc = (now_cyc - floor(now_cyc)) - ph; /* mod 1 */
			double delay;

			lag_cyc -= floor(lag_cyc);
			delay = lag_cyc * period * 1000.0 / c->in_hz;
			if (isnan(prev_delay)) {
				/* Pick the cycle nearest the target plus the filter's delay. */
				double per_ms = period * 1000.0 / c->in_hz;
				double expect = c->target_ms + 1.0;

				delay += per_ms * floor((expect - delay) / per_ms + 0.5);
			} else {
				double per_ms = period * 1000.0 / c->in_hz;

				delay += per_ms * floor((prev_delay - delay) / per_ms + 0.5);
				if (fabs(delay - prev_delay) > r.max_delay_step_ms)
					r.max_delay_step_ms = fabs(delay - prev_delay);
			}
			prev_delay = delay;
			if (delay < r.delay_min_ms)
				r.delay_min_ms = delay;
			if (delay > r.delay_max_ms)
				r.delay_max_ms = delay;
			r.n_fits++;
			next_fit = tc + 0.5;
		}
		tc += n / (double)c->out_hz;
	}
	if (all_n > 0)
		r.hour_applied_minus_ctrl_ppm = (all_appl - all_ctrl) / all_n;
	lc_bridge_stats(b, &r.st);
	r.end_fill = lc_bridge_fill_frames(b);
	lc_bridge_destroy(b);
	free(tone);
	free(in);
	free(out);
	return r;
}

#endif /* BRIDGE_SIM_H */
