/* SPDX-License-Identifier: MIT */
/*
 * bench_bridge.c — the forwarding bridge: throughput against baselines measured in the
 * same run, the resampler's delay, and the drift loop's figures over simulated hours.
 *
 * Not a test: prints tables.
 * 1. Throughput of a stereo route (push 480 frames, pull 512, one second of audio per
 *    run, best of N_RUNS) at 44.1 -> 48 kHz and 48 -> 48 kHz, against memcpy of the
 *    same audio in and out, and libsamplerate doing the same conversion
 *    (src_process, SRC_SINC_FASTEST, its cheapest band-limited converter; SRC_LINEAR for
 *    the record).  Also lc_resample alone at the exact nominal ratio, and at the
 *    nominal ratio + 100 ppm: speexdsp's cost of a drift-corrected ratio (an
 *    interpolated filter table instead of a direct one).
 * 2. The resampler's delay at LC_BRIDGE_QUALITY_DEFAULT.
 * 3. One simulated hour per case (tests/unit/bridge_sim.h, as test_bridge.c runs them):
 *    max |fill - target| after 10 s, the ratio's jitter and its means, the delay range.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif
#include <math.h>
#include <samplerate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bridge_sim.h"
#include "lc_bridge.h"
#include "lc_resample.h"

#define N_RUNS 7
#define CH 2
#define PUSH 480
#define PULL 512
#define MAX_OUT 96000

static float in_buf[MAX_OUT * CH], out_buf[MAX_OUT * CH];
static void *(*volatile memcpy_fn)(void *, const void *, size_t) = memcpy;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

enum job { JOB_MEMCPY, JOB_BRIDGE, JOB_SRC, JOB_RESAMPLE };

struct job_cfg {
	enum job job;
	uint32_t in_hz, out_hz;
	int src_type;      /* JOB_SRC */
	double ppm;        /* JOB_RESAMPLE: offset from nominal; 0 = exact nominal */
};

/* Seconds of CPU for one second of audio (best of N_RUNS). */
static double
best_s(const struct job_cfg *j)
{
	double best = INFINITY;

	for (int run = 0; run < N_RUNS; run++) {
		double t0 = 0, t = 0;

		if (j->job == JOB_MEMCPY) {
			t0 = now_s();
			for (uint32_t f = 0; f < j->in_hz; f += PUSH)
				memcpy_fn(out_buf, in_buf, PUSH * CH * sizeof(float));
			for (uint32_t f = 0; f < j->out_hz; f += PULL)
				memcpy_fn(in_buf + MAX_OUT, out_buf, PULL * CH * sizeof(float));
			t = now_s() - t0;
		} else if (j->job == JOB_BRIDGE) {
			struct lc_bridge_config cfg = { CH, j->in_hz, j->out_hz, j->in_hz / 50,
							j->in_hz / 10, LC_BRIDGE_QUALITY_DEFAULT };
			struct lc_bridge *b;
			uint32_t pushed = 0, pulled = 0;

			if (lc_bridge_create(&b, &cfg) != 0)
				exit(2);
			/* Prime outside the timing, then alternate by the clocks. */
			while (lc_bridge_fill_frames(b) < cfg.target_frames + PULL)
				pushed += lc_bridge_push(b, in_buf, PUSH);
			lc_bridge_pull(b, out_buf, PULL);
			t0 = now_s();
			while (pulled < j->out_hz) {
				if ((double)pushed / j->in_hz <= (double)pulled / j->out_hz + 0.02)
					pushed += lc_bridge_push(b, in_buf, PUSH);
				lc_bridge_pull(b, out_buf, PULL);
				pulled += PULL;
			}
			t = now_s() - t0;
			lc_bridge_destroy(b);
		} else if (j->job == JOB_SRC) {
			int err;
			SRC_STATE *s = src_new(j->src_type, CH, &err);
			SRC_DATA d = { 0 };
			uint32_t used = 0;

			d.src_ratio = (double)j->out_hz / j->in_hz * (1 - 100e-6);
			t0 = now_s();
			while (used < j->in_hz) {
				d.data_in = in_buf;
				d.input_frames = PUSH;
				d.data_out = out_buf;
				d.output_frames = MAX_OUT;
				d.end_of_input = 0;
				src_process(s, &d);
				used += (uint32_t)d.input_frames_used;
			}
			t = now_s() - t0;
			src_delete(s);
		} else {
			struct lc_resample *r;
			double nominal = (double)j->in_hz / j->out_hz;
			uint32_t used = 0;

			if (lc_resample_create(&r, CH, j->in_hz, j->out_hz,
					       LC_BRIDGE_QUALITY_DEFAULT) != 0)
				exit(2);
			if (j->ppm != 0)
				lc_resample_set_ratio(r, nominal * (1 + j->ppm * 1e-6));
			t0 = now_s();
			while (used < j->in_hz) {
				uint32_t in_n = PUSH, out_n = MAX_OUT;

				lc_resample_process(r, in_buf, &in_n, out_buf, &out_n);
				used += in_n;
			}
			t = now_s() - t0;
			lc_resample_destroy(r);
		}
		if (t < best)
			best = t;
	}
	return best;
}

static void
throughput(uint32_t in_hz, uint32_t out_hz)
{
	struct job_cfg mc = { JOB_MEMCPY, in_hz, out_hz, 0, 0 };
	struct job_cfg br = { JOB_BRIDGE, in_hz, out_hz, 0, 0 };
	struct job_cfg sf = { JOB_SRC, in_hz, out_hz, SRC_SINC_FASTEST, 0 };
	struct job_cfg sl = { JOB_SRC, in_hz, out_hz, SRC_LINEAR, 0 };
	struct job_cfg rn = { JOB_RESAMPLE, in_hz, out_hz, 0, 0 };
	struct job_cfg rd = { JOB_RESAMPLE, in_hz, out_hz, 0, 100 };
	double t_mc = best_s(&mc), t_sf = best_s(&sf);

	printf("\n%u -> %u Hz, %u ch, one second of audio per run (push %u, pull %u)\n", in_hz,
	       out_hz, CH, PUSH, PULL);
	printf("  %-40s %10s %12s %9s %10s\n", "routine", "us/s audio", "x realtime",
	       "vs memcpy", "vs SINC_FASTEST");
#define ROW(name, t) \
	printf("  %-40s %10.1f %12.0f %8.3fx %9.2fx\n", name, (t) * 1e6, 1.0 / (t), t_mc / (t), \
	       t_sf / (t))
	ROW("memcpy in + out", t_mc);
	ROW("libsamplerate SRC_SINC_FASTEST", t_sf);
	ROW("libsamplerate SRC_LINEAR", best_s(&sl));
	ROW("lc_resample, exact nominal ratio", best_s(&rn));
	ROW("lc_resample, nominal + 100 ppm", best_s(&rd));
	ROW("lc_bridge push + pull (drift loop on)", best_s(&br));
#undef ROW
}

static void
delay(uint32_t in_hz, uint32_t out_hz)
{
	struct lc_bridge_config cfg = { CH, in_hz, out_hz, 1, 2, LC_BRIDGE_QUALITY_DEFAULT };
	struct lc_bridge *b;

	if (lc_bridge_create(&b, &cfg) != 0)
		exit(2);
	/* latency_frames = target (1 producer frame, rounded) + the resampler's delay. */
	uint32_t frames = lc_bridge_latency_frames(b) - (uint32_t)((double)out_hz / in_hz + 0.5);

	printf("  %6u -> %6u Hz: %3u output frames = %.3f ms\n", in_hz, out_hz, frames,
	       frames * 1000.0 / out_hz);
	lc_bridge_destroy(b);
}

static void
hour(const char *name, uint32_t channels, uint32_t in_hz, uint32_t out_hz, double offset,
     double wander, uint64_t seed)
{
	struct sim_cfg c = {
		.channels = channels, .in_hz = in_hz, .out_hz = out_hz, .offset_ppm = offset,
		.wander_ppm = wander, .wander_period_s = 600, .seconds = 3600, .settle_s = 10,
		.lock_s = 60, .push_ms_lo = 5, .push_ms_hi = 10, .pull_ms_lo = 2,
		.pull_ms_hi = 20, .target_ms = 25, .seed = seed,
	};
	double t0 = now_s();
	struct sim_result r = sim_run(&c);

	printf("  %-34s %7.3f %8.1f %8.1f %8.2f %8.2f %9.4f %7.3f %6.4f  %llu/%llu/%llu %5.1f\n",
	       name, r.max_fill_err_ms, r.max_ratio_err_ppm, r.max_offset_err_ppm,
	       r.max_ctrl_mean_err_ppm, r.max_applied_mean_err_ppm,
	       r.hour_applied_minus_ctrl_ppm, r.delay_max_ms - r.delay_min_ms, r.max_residual,
	       (unsigned long long)r.st.underruns, (unsigned long long)r.st.overruns,
	       (unsigned long long)r.st.resyncs, now_s() - t0);
}

int
main(void)
{
	for (uint32_t i = 0; i < MAX_OUT * CH; i++)
		in_buf[i] = 0.5f * sinf((float)i * 0.01f);
	printf("bench_bridge: best of %d runs; ratios > 1 mean faster than the baseline.\n",
	       N_RUNS);
	throughput(44100, 48000);
	throughput(48000, 48000);

	printf("\nresampler delay at LC_BRIDGE_QUALITY_DEFAULT (%d)\n", LC_BRIDGE_QUALITY_DEFAULT);
	delay(44100, 48000);
	delay(48000, 48000);
	delay(48000, 44100);

	printf("\none simulated hour each: producer chunks 5..10 ms, consumer 2..20 ms, target "
	       "25 ms;\nfill error after 10 s; ratio and offset-estimate errors after 60 s; "
	       "means over %.0f s windows\n", SIM_WINDOW_S);
	printf("  %-34s %7s %8s %8s %8s %8s %9s %7s %6s  %s %5s\n", "case", "fill ms",
	       "ratio", "offset", "mean c", "mean ap", "ap-c run", "delay", "resid", "u/o/r",
	       "cpu s");
	hour("+500 ppm, 44.1 -> 48 kHz, stereo", 2, 44100, 48000, 500, 0, 1);
	hour("-500 ppm, 48 -> 44.1 kHz, mono", 1, 48000, 44100, -500, 0, 2);
	hour("+100 +-300 ppm/10 min, 48 -> 48", 2, 48000, 48000, 100, 300, 3);
	printf("(ratio, offset, means: ppm, max |error| against the true offset; delay: ms, "
	       "max - min\n of the tone's delay through the route; resid: continuity "
	       "residual, 0.06 = a lost frame)\n");
	return 0;
}
