/* SPDX-License-Identifier: MIT */
/*
 * bench_mix.c — "2 writers mixed -> s16 reader" throughput against memcpy and
 * libsamplerate.
 *
 * Not a test: prints a table.  The job is what a recorder's pump does per buffer:
 * lc_mix_read() of two writers' rings (the seqlock checks, slot scan and gains included)
 * into a float block, then lc_conv (the kernel lc_conv_init() picks) to s16.  Every
 * figure is measured in this run, on the same buffers, best of N_RUNS runs of enough
 * calls to last about a millisecond:
 *   memcpy         the bytes the mix reads: both writers' float frames (the larger side,
 *                  as bench_conv.c measures it);
 *   libsamplerate  src_float_to_short_array() of the same number of samples: the
 *                  conversion alone, libsamplerate cannot mix;
 *   ours           the whole job, and its two parts for insight.
 * Targets (docs/architecture.md): >= 0.5x memcpy, >= 2x libsamplerate at the reference size,
 * 4096 frames x 2 channels.  `bench_mix --check` exits 1 when one is missed (default
 * exit 0: a noisy shared machine should not fail a build by itself).
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

#include "lc_conv.h"
#include "lc_mix.h"
#include "lc_result.h"

#define N_RUNS 40
#define CH 2u
#define RING 65536u
#define MAX_FRAMES 16384u
#define REFERENCE_FRAMES 4096u

/* The compiler matters here (a clang build once ran the mix 5x slower than a gcc one),
 * and a build directory's name does not say which one it has: print it. */
#if defined(__clang__)
#define COMPILER __VERSION__ /* "Debian Clang 14.0.6", say */
#elif defined(__GNUC__)
#define COMPILER "gcc " __VERSION__
#else
#define COMPILER "an unknown compiler"
#endif

static const uint32_t sizes_frames[] = { 1024, REFERENCE_FRAMES, MAX_FRAMES };

static struct lc_shm shm;
static struct lc_conv conv;
static uint64_t from;
static float mixed[MAX_FRAMES * CH], src_a[MAX_FRAMES * CH], src_b[MAX_FRAMES * CH];
static float copy_dst[2 * MAX_FRAMES * CH];
static short out_s16[MAX_FRAMES * CH];
/* Called through a volatile pointer so the compiler cannot drop or fold the copy. */
static void *(*volatile memcpy_fn)(void *, const void *, size_t) = memcpy;

enum job { JOB_MEMCPY, JOB_SRC, JOB_MIX_S16, JOB_MIX_ONLY, JOB_CONV_ONLY };

static void
run_job(enum job job, uint32_t n)
{
	size_t samples = (size_t)n * CH;
	switch (job) {
	case JOB_MEMCPY: /* both writers' frames: what the mix reads */
		memcpy_fn(copy_dst, src_a, samples * sizeof(float));
		memcpy_fn(copy_dst + samples, src_b, samples * sizeof(float));
		break;
	case JOB_SRC:
		src_float_to_short_array(mixed, out_s16, (int)samples);
		break;
	case JOB_MIX_S16:
		if (lc_mix_read(&shm, NULL, 0, from, n, mixed, NULL) != (int)n)
			abort();
		lc_conv_process(&conv, out_s16, mixed, n);
		break;
	case JOB_MIX_ONLY:
		if (lc_mix_read(&shm, NULL, 0, from, n, mixed, NULL) != (int)n)
			abort();
		break;
	case JOB_CONV_ONLY:
		lc_conv_process(&conv, out_s16, mixed, n);
		break;
	}
}

static double
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Best time of one call, in ns: N_RUNS runs of enough calls to last ~1 ms. */
static double
best_ns(enum job job, uint32_t n)
{
	uint32_t calls = 1;
	for (;;) {
		double t = now_ns();
		for (uint32_t i = 0; i < calls; i++)
			run_job(job, n);
		if (now_ns() - t > 1e6 || calls >= (1u << 20))
			break;
		calls *= 2;
	}
	double best = INFINITY;
	for (int k = 0; k < N_RUNS; k++) {
		double t = now_ns();
		for (uint32_t i = 0; i < calls; i++)
			run_job(job, n);
		t = (now_ns() - t) / calls;
		if (t < best)
			best = t;
	}
	return best;
}

static int
setup(void)
{
	struct lc_shm_config cfg = { .n_cables = 1 };
	cfg.cables[0] = (struct lc_shm_cable_config){ "bench", 48000, CH, RING };
	uint64_t size = lc_shm_size_for(&cfg);
	void *mem = aligned_alloc(64, (size_t)size);
	const struct lc_clock clk = { 0, 48000 };
	if (!mem || lc_shm_init(&shm, mem, size, &cfg, &clk, 1) != LC_OK)
		return -1;
	srand(7);
	for (uint32_t i = 0; i < MAX_FRAMES * CH; i++) {
		src_a[i] = (float)rand() / (float)RAND_MAX - 0.5f;
		src_b[i] = (float)rand() / (float)RAND_MAX - 0.5f;
	}
	for (int w = 0; w < 2; w++) {
		struct lc_slot slot;
		struct lc_ring ring;
		uint64_t pos;
		if (lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 100 + w, 1, NULL, &slot) < 0 ||
		    lc_shm_writer_ring(&shm, &slot, &ring) != LC_OK ||
		    lc_ring_write(&ring, 0, w ? src_b : src_a, MAX_FRAMES, &pos) != (int)MAX_FRAMES)
			return -1;
		from = pos;
	}
	return lc_conv_init(&conv, LC_FMT_F32, LC_FMT_S16, CH, lc_conv_cpu_flags());
}

int
main(int argc, char **argv)
{
	int check = argc > 1 && strcmp(argv[1], "--check") == 0;
	int missed = 0;

	if (setup() != 0) {
		fprintf(stderr, "bench_mix: setup failed\n");
		return 1;
	}
	run_job(JOB_MIX_S16, MAX_FRAMES);
	for (uint32_t i = 0; i < MAX_FRAMES * CH; i++)
		if (mixed[i] != src_a[i] + src_b[i]) {
			fprintf(stderr, "bench_mix: the mix is wrong at sample %u\n", i);
			return 1;
		}
	printf("bench_mix: 2 writers mixed -> s16 reader (lc_mix_read + %s), %u channels, "
	       "best of %d runs, built with %s\n",
	       conv.func_name, CH, N_RUNS, COMPILER);
	printf("%7s %10s %10s %10s %10s %10s %9s %9s  %s\n", "frames", "memcpy", "libsrate",
	       "mix+s16", "mix", "s16", "x memcpy", "x libsr", "verdict (>= 0.5x, >= 2x)");
	for (size_t s = 0; s < sizeof sizes_frames / sizeof sizes_frames[0]; s++) {
		uint32_t n = sizes_frames[s];
		double t_mc = best_ns(JOB_MEMCPY, n), t_sr = best_ns(JOB_SRC, n);
		double t_job = best_ns(JOB_MIX_S16, n), t_mix = best_ns(JOB_MIX_ONLY, n);
		double t_conv = best_ns(JOB_CONV_ONLY, n);
		double r_mc = t_mc / t_job, r_sr = t_sr / t_job;
		int ok_mc = r_mc >= 0.5, ok_sr = r_sr >= 2.0;
		int ref = n == REFERENCE_FRAMES;
		if (ref && !(ok_mc && ok_sr))
			missed = 1;
		printf("%7u %8.0fns %8.0fns %8.0fns %8.0fns %8.0fns %8.2fx %8.2fx  memcpy %s, "
		       "libsamplerate %s%s\n",
		       n, t_mc, t_sr, t_job, t_mix, t_conv, r_mc, r_sr, ok_mc ? "met" : "NOT met",
		       ok_sr ? "met" : "NOT met", ref ? "  <- reference size" : "");
	}
	return check && missed ? 1 : 0;
}
