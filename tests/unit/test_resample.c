/* SPDX-License-Identifier: MIT */
/*
 * test_resample.c — the speexdsp wrapper: a 1 kHz sine keeps its frequency and level
 * through 48 kHz -> 44.1 kHz, the reported latency matches a measured impulse delay,
 * a variable ratio changes the output count by the ratio, reset and drain work, and
 * bad arguments are refused.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lc_resample.h"
#include "lc_result.h"

#define PI 3.14159265358979323846

/* Runs all of in through r in chunks of `chunk` input frames, the way a pump does. */
static uint32_t
run(struct lc_resample *r, uint32_t channels, const float *in, uint32_t in_frames, float *out,
    uint32_t out_cap, uint32_t chunk)
{
	uint32_t consumed = 0, produced = 0;

	while (consumed < in_frames) {
		uint32_t n_in = in_frames - consumed < chunk ? in_frames - consumed : chunk;
		uint32_t n_out = out_cap - produced;

		cr_assert_eq(lc_resample_process(r, in + (size_t)consumed * channels, &n_in,
						 out + (size_t)produced * channels, &n_out),
			     0);
		cr_assert(n_in > 0 || n_out > 0, "no progress");
		consumed += n_in;
		produced += n_out;
		cr_assert_leq(produced, out_cap, "output overflow");
		if (produced == out_cap)
			break;
	}
	return produced;
}

static float *
sine(uint32_t frames, uint32_t channels, double hz, double rate, double amp)
{
	float *s = malloc(sizeof(float) * frames * channels);

	for (uint32_t f = 0; f < frames; f++)
		for (uint32_t c = 0; c < channels; c++)
			s[f * channels + c] = (float)(amp * sin(2 * PI * hz * f / rate));
	return s;
}

/* Frequency from rising zero crossings (linearly interpolated) of channel c. */
static double
measure_hz(const float *x, uint32_t channels, uint32_t c, uint32_t from, uint32_t to, double rate)
{
	double first = -1, last = -1;
	uint32_t crossings = 0;

	for (uint32_t f = from + 1; f < to; f++) {
		double a = x[(f - 1) * channels + c], b = x[f * channels + c];

		if (a < 0 && b >= 0) {
			double t = (f - 1) + a / (a - b);

			if (first < 0)
				first = t;
			last = t;
			crossings++;
		}
	}
	cr_assert_gt(crossings, 10);
	return (crossings - 1) / (last - first) * rate;
}

static double
measure_rms(const float *x, uint32_t channels, uint32_t c, uint32_t from, uint32_t to)
{
	double sum = 0;

	for (uint32_t f = from; f < to; f++)
		sum += (double)x[f * channels + c] * x[f * channels + c];
	return sqrt(sum / (to - from));
}

Test(resample, sine_48k_to_44k1_keeps_frequency_and_level)
{
	const uint32_t ch = 2, in_frames = 48000, cap = 46000;
	float *in = sine(in_frames, ch, 1000.0, 48000.0, 0.5);
	float *out = malloc(sizeof(float) * cap * ch);
	struct lc_resample *r = NULL;

	cr_assert_eq(lc_resample_create(&r, ch, 48000, 44100, LC_RESAMPLE_QUALITY_DEFAULT), 0);
	cr_assert_not_null(r);
	uint32_t produced = run(r, ch, in, in_frames, out, cap, 480);

	/* One second in, one second out (give or take the filter's start). */
	cr_assert(produced >= 44100 - 2 && produced <= 44100 + 2, "produced %u", produced);
	for (uint32_t c = 0; c < ch; c++) {
		double hz = measure_hz(out, ch, c, 1000, produced - 100, 44100.0);
		double rms = measure_rms(out, ch, c, 1000, 1000 + 441 * 90); /* 90 periods */

		cr_assert(fabs(hz - 1000.0) < 0.05, "channel %u: %.4f Hz", c, hz);
		double want_rms = 0.5 / sqrt(2.0);

		cr_assert(fabs(rms / want_rms - 1.0) < 0.005, "channel %u: rms %f", c, rms);
	}
	lc_resample_destroy(r);
	free(in);
	free(out);
}

Test(resample, upsampling_44k1_to_96k_odd_channels_odd_chunks)
{
	const uint32_t ch = 3, in_frames = 44100, cap = 97000;
	float *in = sine(in_frames, ch, 1000.0, 44100.0, 0.25);
	float *out = malloc(sizeof(float) * cap * ch);
	struct lc_resample *r = NULL;

	cr_assert_eq(lc_resample_create(&r, ch, 44100, 96000, 3), 0);
	uint32_t produced = run(r, ch, in, in_frames, out, cap, 253);
	cr_assert(produced >= 96000 - 3 && produced <= 96000 + 3, "produced %u", produced);
	for (uint32_t c = 0; c < ch; c++) {
		double hz = measure_hz(out, ch, c, 2000, produced - 200, 96000.0);
		double rms = measure_rms(out, ch, c, 2000, 2000 + 96 * 900);

		cr_assert(fabs(hz - 1000.0) < 0.05, "channel %u: %.4f Hz", c, hz);
		double want_rms = 0.25 / sqrt(2.0);

		cr_assert(fabs(rms / want_rms - 1.0) < 0.01, "channel %u: rms %f", c, rms);
	}
	lc_resample_destroy(r);
	free(in);
	free(out);
}

/* An impulse at input frame k0 peaks at output frame k0 * out/in + latency. */
static void
check_latency(uint32_t in_hz, uint32_t out_hz, int quality)
{
	const uint32_t in_frames = 4096, k0 = 1000, cap = 4096 * 8;
	float *in = calloc(in_frames, sizeof(float)), *out = calloc(cap, sizeof(float));
	struct lc_resample *r = NULL;
	uint32_t peak = 0;

	cr_assert_eq(lc_resample_create(&r, 1, in_hz, out_hz, quality), 0);
	uint32_t latency = lc_resample_latency_frames(r);
	in[k0] = 1.0f;
	uint32_t produced = run(r, 1, in, in_frames, out, cap, 4096);
	for (uint32_t f = 0; f < produced; f++)
		if (fabsf(out[f]) > fabsf(out[peak]))
			peak = f;
	double expected = (double)k0 * out_hz / in_hz + latency;

	cr_assert_gt(latency, 0);
	cr_assert(fabs(peak - expected) <= 1.5,
		  "%u -> %u q%d: peak at %u, expected %.1f (latency %u)", in_hz, out_hz, quality,
		  peak, expected, latency);
	lc_resample_destroy(r);
	free(in);
	free(out);
}

Test(resample, reported_latency_matches_a_measured_impulse)
{
	check_latency(48000, 48000, LC_RESAMPLE_QUALITY_DEFAULT);
	check_latency(48000, 44100, LC_RESAMPLE_QUALITY_DEFAULT);
	check_latency(44100, 48000, LC_RESAMPLE_QUALITY_DEFAULT);
	check_latency(48000, 44100, 10);
	check_latency(8000, 48000, 0);
}

Test(resample, variable_ratio_changes_output_count_by_the_ratio)
{
	static const double ratios[] = { 1.001, 0.999, 1.00005, 1.05, 0.95 };
	const uint32_t in_frames = 48000, cap = 60000;
	float *in = sine(in_frames, 1, 1000.0, 48000.0, 0.5);
	float *out = malloc(sizeof(float) * cap);

	for (size_t i = 0; i < sizeof(ratios) / sizeof(ratios[0]); i++) {
		struct lc_resample *r = NULL;

		cr_assert_eq(lc_resample_create(&r, 1, 48000, 48000, LC_RESAMPLE_QUALITY_DEFAULT),
			     0);
		cr_assert(lc_resample_ratio(r) == 1.0);
		cr_assert_eq(lc_resample_set_ratio(r, ratios[i]), 0);
		double held = lc_resample_ratio(r);
		cr_assert(fabs(held - ratios[i]) <= 0.5 / 65536, "ratio %.10f held as %.10f",
			  ratios[i], held);
		uint32_t produced = run(r, 1, in, in_frames, out, cap, 441);
		double want = in_frames / held;

		cr_assert(fabs(produced - want) <= 2.0, "ratio %f: %u frames, want %.1f", ratios[i],
			  produced, want);
		/* The pitch moves by the ratio too: 1 kHz read at ratio q is 1000 q Hz. */
		double hz = measure_hz(out, 1, 0, 500, produced - 100, 48000.0);
		cr_assert(fabs(hz / (1000.0 * held) - 1.0) < 1e-5, "ratio %f: %.3f Hz", held, hz);
		lc_resample_destroy(r);
	}
	free(in);
	free(out);
}

Test(resample, ratio_change_mid_stream_is_continuous_and_nominal_is_restored)
{
	const uint32_t in_frames = 9600, cap = 12000;
	float *in = sine(in_frames, 1, 1000.0, 48000.0, 0.5);
	float *out = malloc(sizeof(float) * cap);
	struct lc_resample *r = NULL;
	uint32_t produced = 0;

	cr_assert_eq(lc_resample_create(&r, 1, 48000, 44100, LC_RESAMPLE_QUALITY_DEFAULT), 0);
	const double nominal = 48000.0 / 44100.0;
	for (uint32_t part = 0; part < 4; part++) {
		const double set[] = { nominal, nominal * 1.002, nominal * 0.998, nominal };

		cr_assert_eq(lc_resample_set_ratio(r, set[part]), 0);
		produced += run(r, 1, in + part * 2400, 2400, out + produced, cap - produced, 100);
	}
	cr_assert(lc_resample_ratio(r) == nominal, "nominal not restored: %.12f",
		  lc_resample_ratio(r));
	/* A 1 kHz sine of amplitude 0.5 at 44.1 kHz moves at most 2 pi 1000 / 44100 * 0.5 per
	 * sample; a click at a ratio change would jump much further. */
	double max_step = 0;
	for (uint32_t f = 200; f < produced; f++) {
		double step = fabs(out[f] - out[f - 1]);
		if (step > max_step)
			max_step = step;
	}
	cr_assert(max_step < 2 * PI * 1000.0 / 44100.0 * 0.5 * 1.05, "max step %f", max_step);
	lc_resample_destroy(r);
	free(in);
	free(out);
}

/* Coprime rates give a large nominal denominator; ratio changes must still succeed and
 * the resampler must keep producing sound (a failed speexdsp update makes silence). */
Test(resample, coprime_rates_survive_ratio_changes)
{
	const uint32_t in_frames = 38400, cap = 42000;
	float *in = sine(in_frames, 1, 1000.0, 384000.0, 0.5);
	float *out = malloc(sizeof(float) * cap);
	struct lc_resample *r = NULL;
	const double nominal = 384000.0 / 383999.0; /* 384000/383999: den 383999 */
	const double set[] = { nominal * 1.001, nominal, nominal * 0.97, nominal };

	cr_assert_eq(lc_resample_create(&r, 1, 384000, 383999, LC_RESAMPLE_QUALITY_DEFAULT), 0);
	for (size_t k = 0; k < sizeof(set) / sizeof(set[0]); k++) {
		cr_assert_eq(lc_resample_set_ratio(r, set[k]), 0, "step %zu", k);
		if (set[k] == nominal)
			cr_assert(lc_resample_ratio(r) == nominal, "step %zu: %.12f", k,
				  lc_resample_ratio(r));
		uint32_t produced = run(r, 1, in, in_frames, out, cap, 3840);
		double rms;

		cr_assert_geq(produced, 384 * 91, "step %zu: %u frames", k, produced);
		rms = measure_rms(out, 1, 0, 384, 384 * 91);

		cr_assert(fabs(rms / (0.5 / sqrt(2.0)) - 1.0) < 0.01, "step %zu: rms %f", k, rms);
	}
	lc_resample_destroy(r);
	free(in);
	free(out);
}

Test(resample, reset_forgets_history_and_null_input_drains)
{
	const uint32_t ch = 2, in_frames = 1000, cap = 1200;
	float *in = sine(in_frames, ch, 440.0, 48000.0, 0.5);
	float *a = calloc((size_t)cap * ch, sizeof(float));
	float *b = calloc((size_t)cap * ch, sizeof(float));
	struct lc_resample *r = NULL;

	cr_assert_eq(lc_resample_create(&r, ch, 48000, 32000, 4), 0);
	uint32_t na = run(r, ch, in, in_frames, a, cap, 128);
	cr_assert_eq(lc_resample_reset(r), 0);
	uint32_t nb = run(r, ch, in, in_frames, b, cap, 128);
	cr_assert_eq(na, nb);
	cr_assert(memcmp(a, b, sizeof(float) * na * ch) == 0, "reset left state behind");

	/* Draining: silence in, the tail of the sine out. */
	uint32_t n_in = 200, n_out = 200;
	float tail[400];
	cr_assert_eq(lc_resample_process(r, NULL, &n_in, tail, &n_out), 0);
	cr_assert_eq(n_in, 200);
	cr_assert(n_out >= 132 && n_out <= 134, "drained %u", n_out);
	cr_assert(fabsf(tail[0]) > 0.01f, "the filter's tail should still sound");
	lc_resample_destroy(r);
	free(in);
	free(a);
	free(b);
}

Test(resample, bad_arguments_are_refused)
{
	struct lc_resample *r = (struct lc_resample *)&r;
	uint32_t n_in = 1, n_out = 1;
	float x = 0;

	cr_assert_eq(lc_resample_create(&r, 0, 48000, 44100, 5), LC_E_INVALID);
	cr_assert_null(r);
	cr_assert_eq(lc_resample_create(&r, 33, 48000, 44100, 5), LC_E_INVALID);
	cr_assert_eq(lc_resample_create(&r, 2, 7999, 44100, 5), LC_E_INVALID);
	cr_assert_eq(lc_resample_create(&r, 2, 48000, 384001, 5), LC_E_INVALID);
	cr_assert_eq(lc_resample_create(&r, 2, 48000, 44100, -1), LC_E_INVALID);
	cr_assert_eq(lc_resample_create(&r, 2, 48000, 44100, 11), LC_E_INVALID);
	cr_assert_eq(lc_resample_create(NULL, 2, 48000, 44100, 5), LC_E_INVALID);
	cr_assert_eq(lc_resample_process(NULL, &x, &n_in, &x, &n_out), LC_E_INVALID);
	lc_resample_destroy(NULL);

	cr_assert_eq(lc_resample_create(&r, 2, 384000, 8000, 5), 0);
	cr_assert_eq(lc_resample_process(r, &x, NULL, &x, &n_out), LC_E_INVALID);
	cr_assert_eq(lc_resample_process(r, &x, &n_in, NULL, &n_out), LC_E_INVALID);
	cr_assert_eq(lc_resample_set_ratio(r, 48.0 * 1.06), LC_E_INVALID);
	cr_assert_eq(lc_resample_set_ratio(r, 48.0 * 0.94), LC_E_INVALID);
	cr_assert_eq(lc_resample_set_ratio(r, NAN), LC_E_INVALID);
	cr_assert_eq(lc_resample_set_ratio(r, 48.0 * 1.05), 0); /* the extreme that fits */
	cr_assert(fabs(lc_resample_ratio(r) - 48.0 * 1.05) <= 0.5 / 65536);
	cr_assert_eq(lc_resample_set_ratio(NULL, 1.0), LC_E_INVALID);
	cr_assert_eq(lc_resample_reset(NULL), LC_E_INVALID);
	lc_resample_destroy(r);
}
