/* SPDX-License-Identifier: MIT */
/*
 * test_bridge.c — the drift-compensated bridge: an hour of audio per case through a
 * producer clock off by +500 ppm, -500 ppm, or wandering +-300 ppm, at 44.1 -> 48,
 * 48 -> 44.1 and 48 -> 48 kHz, mono and stereo, in virtual time (bridge_sim.h): the fill
 * holds its target within 2 ms, nothing underruns, overruns or resyncs, the tone comes
 * through continuous with a bounded delay, and the ratio lands on the true offset within
 * 5 ppm.  Then the state machine (priming, underrun, overrun, restart), bad configs, and
 * two real threads.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* nanosleep, sched_yield */
#endif
#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bridge_sim.h"
#include "lc_bridge.h"
#include "lc_result.h"

#define HOUR_S 3600.0
/* The controller's ratio, instant by instant, around the true offset after settling:
 * what the sawtooth of chunked transfers leaves in it (docs/forwarding.md). */
#define RATIO_JITTER_PPM 250.0
#define OFFSET_PPM 40.0

static struct sim_cfg
hour(uint32_t channels, uint32_t in_hz, uint32_t out_hz, double offset_ppm, uint64_t seed)
{
	return (struct sim_cfg){
		.channels = channels,
		.in_hz = in_hz,
		.out_hz = out_hz,
		.offset_ppm = offset_ppm,
		.seconds = HOUR_S,
		.settle_s = 10.0,
		.lock_s = 60.0,
		.push_ms_lo = 5,
		.push_ms_hi = 10,
		.pull_ms_lo = 2,
		.pull_ms_hi = 20,
		.target_ms = 25,
		.seed = seed,
	};
}

/* The acceptance bounds, shared by every hour-long case. */
static void
check_steady(const struct sim_cfg *c, const struct sim_result *r)
{
	cr_log_info("%u ch %u -> %u Hz, %+.0f ppm (wander %.0f, walk %.0f): fill err max %.3f ms, "
		    "ratio err max %.2f ppm, offset err max %.2f ppm, 300 s means: ctrl %.3f "
		    "applied %.3f ppm, "
		    "applied - ctrl over the run %.4f ppm, delay %.3f .. %.3f ms (step %.4f), "
		    "residual %.5f, channel err %.2g, fits %u",
		    c->channels, c->in_hz, c->out_hz, c->offset_ppm, c->wander_ppm, c->walk_ppm,
		    r->max_fill_err_ms, r->max_ratio_err_ppm, r->max_offset_err_ppm,
		    r->max_ctrl_mean_err_ppm,
		    r->max_applied_mean_err_ppm, r->hour_applied_minus_ctrl_ppm, r->delay_min_ms,
		    r->delay_max_ms, r->max_delay_step_ms, r->max_residual, r->max_channel_err,
		    r->n_fits);
	cr_assert_eq(r->create_err, 0);
	cr_expect_eq(r->st.underruns, 0);
	cr_expect_eq(r->st.overruns, 0);
	cr_expect_eq(r->st.resyncs, 0);
	cr_expect_eq(r->running_pulls, r->checked_pulls, "left RUNNING after settling");
	cr_expect_leq(r->max_fill_err_ms, 2.0, "fill error %.3f ms", r->max_fill_err_ms);
	/* Continuity: nothing dropped, repeated or mangled, channels in place. */
	cr_expect_eq(r->n_residual_bad, 0, "%llu discontinuities (max residual %.4f)",
		     (unsigned long long)r->n_residual_bad, r->max_residual);
	cr_expect_lt(r->max_channel_err, 1e-5);
	/* The delay the tone shows moves with the fill only (+-2 ms), and smoothly. */
	cr_expect_gt(r->n_fits, (uint32_t)((c->seconds - c->settle_s) * 1.5));
	cr_expect_leq(r->delay_max_ms - r->delay_min_ms, 4.0, "delay %.3f .. %.3f ms",
		      r->delay_min_ms, r->delay_max_ms);
	cr_expect_leq(r->max_delay_step_ms, 0.25, "delay step %.4f ms", r->max_delay_step_ms);
	/* The ratio: the controller's and the applied one, averaged over each minute,
	 * within 5 ppm of the true offset; the applied one's mean equals the controller's
	 * (error feedback) though it moves in steps of 15 ppm. */
	cr_expect_leq(r->max_ctrl_mean_err_ppm, 5.0, "%.3f ppm", r->max_ctrl_mean_err_ppm);
	cr_expect_leq(r->max_applied_mean_err_ppm, 5.0, "%.3f ppm",
		      r->max_applied_mean_err_ppm);
	cr_expect_leq(fabs(r->hour_applied_minus_ctrl_ppm), 0.05, "%.4f ppm",
		      r->hour_applied_minus_ctrl_ppm);
	cr_expect_eq(r->st.frames_in, r->st.frames_consumed + r->end_fill,
		     "frames lost or invented in the FIFO");
	cr_expect_leq(r->max_ratio_err_ppm, RATIO_JITTER_PPM, "%.2f ppm", r->max_ratio_err_ppm);
	/* The offset estimate (the integral part) of a steady clock: within OFFSET_PPM.
	 * A wandering one it follows with a lag, which the proportional part covers. */
	if (c->wander_ppm == 0 && c->walk_ppm == 0)
		cr_expect_leq(r->max_offset_err_ppm, OFFSET_PPM, "%.2f ppm", r->max_offset_err_ppm);
}

Test(bridge, hour_plus_500ppm_44k1_to_48k_stereo)
{
	struct sim_cfg c = hour(2, 44100, 48000, +500, 1);
	struct sim_result r = sim_run(&c);

	check_steady(&c, &r);
}

Test(bridge, hour_minus_500ppm_48k_to_44k1_mono)
{
	struct sim_cfg c = hour(1, 48000, 44100, -500, 2);
	struct sim_result r = sim_run(&c);

	check_steady(&c, &r);
}

/* +-300 ppm over ten minutes (a clock wandering far faster than temperature moves a
 * crystal), around a 100 ppm offset: the ratio follows within 5 ppm. */
Test(bridge, hour_wandering_300ppm_48k_to_48k_stereo)
{
	struct sim_cfg c = hour(2, 48000, 48000, +100, 3);
	struct sim_result r;

	c.wander_ppm = 300;
	c.wander_period_s = 600;
	r = sim_run(&c);
	check_steady(&c, &r);
}

/* A random walk within +-300 ppm, 44.1 -> 48 kHz mono. */
Test(bridge, hour_random_walk_300ppm_44k1_to_48k_mono)
{
	struct sim_cfg c = hour(1, 44100, 48000, 0, 4);
	struct sim_result r;

	c.walk_ppm = 300;
	r = sim_run(&c);
	check_steady(&c, &r);
}

/* --- the state machine, with deterministic 10 ms chunks at 48 kHz on both sides */

#define CH 2
#define CHUNK 480
#define TARGET 960

struct det {
	struct lc_bridge *b;
	float in[CHUNK * CH], out[CHUNK * CH];
	uint64_t phase;
};

static struct lc_bridge *
make(uint32_t channels, uint32_t in_hz, uint32_t out_hz, uint32_t target, uint32_t capacity)
{
	struct lc_bridge_config cfg = { channels, in_hz, out_hz, target, capacity,
					LC_BRIDGE_QUALITY_DEFAULT };
	struct lc_bridge *b = NULL;

	cr_assert_eq(lc_bridge_create(&b, &cfg), 0);
	cr_assert_not_null(b);
	return b;
}

static uint32_t
push_tone(struct det *d)
{
	for (uint32_t f = 0; f < CHUNK; f++, d->phase++) {
		double t = (double)(d->phase % 48000) / 48000;
		float v = (float)(SIM_AMP * sin(2 * SIM_PI * SIM_TONE_HZ * t));

		for (uint32_t c = 0; c < CH; c++)
			d->in[f * CH + c] = v;
	}
	return lc_bridge_push(d->b, d->in, CHUNK);
}

static int
out_silent(const struct det *d, uint32_t from)
{
	for (uint32_t i = from * CH; i < CHUNK * CH; i++)
		if (d->out[i] != 0.0f)
			return 0;
	return 1;
}

static struct lc_bridge_stats
stats(const struct det *d)
{
	struct lc_bridge_stats st;

	lc_bridge_stats(d->b, &st);
	return st;
}

/* Push then pull, n times. */
static void
run_steps(struct det *d, int n)
{
	for (int i = 0; i < n; i++) {
		cr_assert_eq(push_tone(d), CHUNK);
		lc_bridge_pull(d->b, d->out, CHUNK);
	}
}

Test(bridge, primes_once_then_runs)
{
	struct det d = { .b = make(CH, 48000, 48000, TARGET, 4 * TARGET) };
	struct lc_bridge_stats st;

	lc_bridge_pull(d.b, d.out, CHUNK);
	cr_expect(out_silent(&d, 0));
	st = stats(&d);
	cr_expect_eq(st.state, LC_BRIDGE_PRIMING);
	cr_expect_eq(st.frames_out, CHUNK);
	cr_expect_eq(st.underruns, 0, "priming is no underrun");
	/* Primed when target + half a pull is in: 960 + 240 frames, at the third push. */
	cr_assert_eq(push_tone(&d), CHUNK);
	lc_bridge_pull(d.b, d.out, CHUNK);
	cr_assert_eq(push_tone(&d), CHUNK);
	lc_bridge_pull(d.b, d.out, CHUNK);
	cr_expect_eq(stats(&d).state, LC_BRIDGE_PRIMING);
	cr_expect(out_silent(&d, 0));
	cr_assert_eq(push_tone(&d), CHUNK);
	lc_bridge_pull(d.b, d.out, CHUNK);
	st = stats(&d);
	cr_expect_eq(st.state, LC_BRIDGE_RUNNING);
	cr_expect(!out_silent(&d, 0), "the first running pull carries audio");
	run_steps(&d, 500);
	st = stats(&d);
	cr_expect_eq(st.state, LC_BRIDGE_RUNNING);
	cr_expect_eq(st.resyncs, 0);
	cr_expect_eq(st.underruns, 0);
	cr_expect_eq(st.overruns, 0);
	cr_expect_eq(st.frames_in, 503 * CHUNK);
	cr_expect_eq(st.frames_out, 504 * CHUNK);
	cr_expect_leq(fabs(st.fill_frames - TARGET), 48, "fill %.1f", st.fill_frames);
	cr_expect_eq(st.target_frames, TARGET);
	cr_expect_eq(lc_bridge_latency_frames(d.b),
		     TARGET + 40u /* speex quality 5 at 1:1: 80 taps / 2 */);
	lc_bridge_destroy(d.b);
}

Test(bridge, underrun_outputs_silence_counts_once_and_recovers)
{
	struct det d = { .b = make(CH, 48000, 48000, TARGET, 4 * TARGET) };
	struct lc_bridge_stats st;
	int silent_pulls = 0;

	run_steps(&d, 500); /* 5 s */
	cr_assert_eq(stats(&d).state, LC_BRIDGE_RUNNING);
	/* The producer stops for 200 ms; the consumer keeps pulling. */
	for (int i = 0; i < 20; i++) {
		lc_bridge_pull(d.b, d.out, CHUNK);
		if (stats(&d).underruns == 1 && out_silent(&d, 0))
			silent_pulls++;
	}
	st = stats(&d);
	cr_expect_eq(st.underruns, 1, "one underrun, not one per silent pull");
	cr_expect_eq(st.state, LC_BRIDGE_PRIMING);
	cr_expect_geq(silent_pulls, 16, "the FIFO held about 2.5 pulls");
	cr_expect(out_silent(&d, 0));
	cr_expect_eq(st.resyncs, 0);
	/* The producer comes back: one prime, then audio again and nothing more counted. */
	run_steps(&d, 500);
	st = stats(&d);
	cr_expect_eq(st.resyncs, 1);
	cr_expect_eq(st.underruns, 1);
	cr_expect_eq(st.overruns, 0);
	cr_expect_eq(st.state, LC_BRIDGE_RUNNING);
	cr_expect(!out_silent(&d, 0));
	cr_expect_leq(fabs(st.fill_frames - TARGET), 48, "fill %.1f", st.fill_frames);
	lc_bridge_destroy(d.b);
}

Test(bridge, overrun_counted_and_trimmed)
{
	struct det d = { .b = make(CH, 48000, 48000, TARGET, 4 * TARGET) };
	struct lc_bridge_stats st;

	run_steps(&d, 300);
	/* The consumer stalls while the producer keeps going: the FIFO fills up. */
	int short_pushes = 0;

	for (int i = 0; i < 10; i++)
		if (push_tone(&d) < CHUNK)
			short_pushes++;
	st = stats(&d);
	cr_expect_geq(short_pushes, 2, "the FIFO holds 8 chunks, some were in it");
	cr_expect_eq(st.overruns, (uint64_t)short_pushes, "each short push counts once");
	cr_expect_eq(lc_bridge_space_frames(d.b), 0);
	cr_expect_eq(lc_bridge_fill_frames(d.b), 4 * TARGET);
	cr_expect_eq(st.frames_in, st.frames_consumed + 4 * TARGET,
		     "dropped frames are not counted in");
	cr_expect_eq(st.state, LC_BRIDGE_RUNNING, "nothing happens until the consumer pulls");
	/* The next pull trims back to the target (one resync) and plays on. */
	lc_bridge_pull(d.b, d.out, CHUNK);
	st = stats(&d);
	cr_expect_eq(st.resyncs, 1);
	cr_expect_eq(st.state, LC_BRIDGE_RUNNING);
	cr_expect(!out_silent(&d, 0));
	cr_expect_leq(abs((int)lc_bridge_fill_frames(d.b) - (TARGET + CHUNK / 2 - CHUNK)), 2,
		      "trimmed to target + half a pull, then one pull taken (%u)",
		      lc_bridge_fill_frames(d.b));
	run_steps(&d, 300);
	st = stats(&d);
	cr_expect_eq(st.overruns, (uint64_t)short_pushes);
	cr_expect_eq(st.resyncs, 1);
	cr_expect_eq(st.underruns, 0);
	cr_expect_eq(st.frames_in, st.frames_consumed + lc_bridge_fill_frames(d.b));
	lc_bridge_destroy(d.b);
}

Test(bridge, restart_forgets_and_primes_again)
{
	struct det d = { .b = make(CH, 48000, 48000, TARGET, 4 * TARGET) };
	struct lc_bridge_stats st;

	run_steps(&d, 300);
	cr_assert_eq(push_tone(&d), CHUNK);
	lc_bridge_restart(d.b);
	lc_bridge_pull(d.b, d.out, CHUNK);
	st = stats(&d);
	cr_expect_eq(st.state, LC_BRIDGE_PRIMING);
	cr_expect(out_silent(&d, 0), "history forgotten: no old audio after a restart");
	cr_expect_eq(lc_bridge_fill_frames(d.b), 0, "the FIFO was emptied");
	cr_expect_eq(st.ratio_ppm, 0);
	cr_expect_eq(st.fill_frames, TARGET);
	/* Primes again like a fresh start: no resync, no underrun counted. */
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(push_tone(&d), CHUNK);
		lc_bridge_pull(d.b, d.out, CHUNK);
		cr_expect(out_silent(&d, 0));
	}
	run_steps(&d, 100);
	st = stats(&d);
	cr_expect_eq(st.state, LC_BRIDGE_RUNNING);
	cr_expect_eq(st.resyncs, 0);
	cr_expect_eq(st.underruns, 0);
	cr_expect(!out_silent(&d, 0));
	lc_bridge_destroy(d.b);
}

Test(bridge, invalid_configs_rejected)
{
	const struct lc_bridge_config ok = { 2, 48000, 44100, 960, 1920,
					     LC_BRIDGE_QUALITY_DEFAULT };
	struct lc_bridge_config bad[] = { ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, ok };
	struct lc_bridge *b = (struct lc_bridge *)&b;

	bad[0].channels = 0;
	bad[1].channels = LC_FMT_MAX_CHANNELS + 1;
	bad[2].in_hz = LC_FMT_MIN_RATE_HZ - 1;
	bad[3].out_hz = LC_FMT_MAX_RATE_HZ + 1;
	bad[4].target_frames = 0;
	bad[5].capacity_frames = 2 * ok.target_frames - 1;
	bad[6].capacity_frames = LC_BRIDGE_MAX_CAPACITY_FRAMES + 1;
	bad[6].target_frames = LC_BRIDGE_MAX_CAPACITY_FRAMES / 2;
	bad[7].quality = LC_RESAMPLE_QUALITY_MIN - 1;
	bad[8].quality = LC_RESAMPLE_QUALITY_MAX + 1;
	bad[9].out_hz = 0;
	bad[10].target_frames = UINT32_MAX;
	bad[10].capacity_frames = UINT32_MAX;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(lc_bridge_create(&b, &bad[i]), LC_E_INVALID, "config %zu", i);
		cr_expect_null(b, "config %zu", i);
	}
	cr_expect_eq(lc_bridge_create(&b, NULL), LC_E_INVALID);
	cr_expect_eq(lc_bridge_create(NULL, &ok), LC_E_INVALID);
	cr_assert_eq(lc_bridge_create(&b, &ok), 0, "capacity exactly 2 * target is fine");
	lc_bridge_destroy(b);
	lc_bridge_destroy(NULL);
}

/* --- two real threads */

#define T_IN_HZ 48000
#define T_OUT_HZ 44100
#define T_CH 2
#define T_TARGET 1920
#define T_PUSH 256
#define T_PULL 300

struct threads {
	struct lc_bridge *b;
	atomic_int stop;
	uint64_t pushed;
	uint64_t pulled;
	uint64_t bad_residual, bad_channel, audible, short_pushes, bad_stats;
	double max_residual;
};

static void *
producer(void *arg)
{
	struct threads *t = arg;
	float in[T_PUSH * T_CH];
	uint64_t k = 0;

	while (!atomic_load(&t->stop)) {
		if (lc_bridge_space_frames(t->b) < T_PUSH) {
			sched_yield();
			continue;
		}
		for (uint32_t f = 0; f < T_PUSH; f++, k++) {
			double t_s = (double)(k % T_IN_HZ) / T_IN_HZ;
			double v = SIM_AMP * sin(2 * SIM_PI * SIM_TONE_HZ * t_s);

			in[f * T_CH] = (float)v;
			in[f * T_CH + 1] = (float)(-0.5 * v);
		}
		/* No cr_assert off the test's thread: count, the test checks. */
		uint32_t k_in = lc_bridge_push(t->b, in, T_PUSH);

		if (k_in != T_PUSH)
			t->short_pushes++;
		t->pushed += k_in;
	}
	return NULL;
}

/* Pulls only when the FIFO holds enough for a whole pull (so no underrun can happen
 * whatever the scheduler does), and checks every frame: a continuous tone in channel 0,
 * channel 1 at -0.5 times it. */
static void *
consumer(void *arg)
{
	struct threads *t = arg;
	float out[T_PULL * T_CH];
	double w = 2 * SIM_PI * SIM_TONE_HZ / T_OUT_HZ, k2 = 2 * cos(w), x1 = 0, x2 = 0;
	/* The ratio may be off by the clamp and the quantum: 1.05 pull's worth is safe. */
	uint32_t need = T_TARGET + (uint32_t)(T_PULL * 1.1 * T_IN_HZ / T_OUT_HZ) + 2;

	while (!atomic_load(&t->stop)) {
		if (lc_bridge_fill_frames(t->b) < need) {
			sched_yield();
			continue;
		}
		lc_bridge_pull(t->b, out, T_PULL);
		for (uint32_t f = 0; f < T_PULL; f++) {
			double x = out[f * T_CH];

			if (x != 0.0)
				t->audible++;
			/* Skip the onset: the tone starts abruptly, the filter rings. */
			if (t->audible > 200) {
				double res = fabs(x - k2 * x1 + x2);

				/* The ratio moves by up to 1000 ppm here: w with it. */
				if (res > 0.005)
					t->bad_residual++;
				if (res > t->max_residual)
					t->max_residual = res;
			}
			if (fabs(out[f * T_CH + 1] + 0.5 * x) > 1e-5)
				t->bad_channel++;
			x2 = x1;
			x1 = x;
		}
		t->pulled += T_PULL;
	}
	return NULL;
}

static void *
observer(void *arg)
{
	struct threads *t = arg;
	struct lc_bridge_stats st;
	uint64_t last_in = 0, last_out = 0;

	/* Counters only grow; the ratio stays within the clamp; the fill is a number. */
	while (!atomic_load(&t->stop)) {
		lc_bridge_stats(t->b, &st);
		if (st.frames_in < last_in || st.frames_out < last_out ||
		    !(fabs(st.ratio_ppm) <= 1000.0 + 1e-9) || !(st.fill_frames >= 0))
			t->bad_stats++;
		last_in = st.frames_in;
		last_out = st.frames_out;
		sched_yield();
	}
	return NULL;
}

Test(bridge, two_threads_for_a_second)
{
	struct threads t = { .b = make(T_CH, T_IN_HZ, T_OUT_HZ, T_TARGET, 4 * T_TARGET) };
	struct lc_bridge_stats st;
	struct timespec ts = { 1, 0 };
	pthread_t p, c, o;

	cr_assert_eq(pthread_create(&p, NULL, producer, &t), 0);
	cr_assert_eq(pthread_create(&c, NULL, consumer, &t), 0);
	cr_assert_eq(pthread_create(&o, NULL, observer, &t), 0);
	nanosleep(&ts, NULL);
	atomic_store(&t.stop, 1);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	pthread_join(o, NULL);
	st = stats(&(struct det){ .b = t.b });
	cr_log_info("two threads: %llu frames in, %llu out, max residual %.5f",
		    (unsigned long long)t.pushed, (unsigned long long)t.pulled, t.max_residual);
	cr_expect_gt(t.pulled, 20 * T_OUT_HZ / 10, "too little flowed to mean anything");
	cr_expect_eq(st.frames_in, t.pushed);
	cr_expect_eq(st.frames_out, t.pulled);
	cr_expect_eq(st.frames_in, st.frames_consumed + lc_bridge_fill_frames(t.b));
	cr_expect_eq(st.overruns, 0);
	cr_expect_eq(st.underruns, 0);
	cr_expect_eq(st.resyncs, 0);
	cr_expect_eq(t.bad_residual, 0, "%llu discontinuities, max %.4f",
		     (unsigned long long)t.bad_residual, t.max_residual);
	cr_expect_eq(t.bad_channel, 0);
	cr_expect_eq(t.short_pushes, 0);
	cr_expect_eq(t.bad_stats, 0);
	lc_bridge_destroy(t.b);
}
