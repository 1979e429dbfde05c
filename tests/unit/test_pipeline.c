/* SPDX-License-Identifier: MIT */
/* test_pipeline.c — a client's path to and from its cable (lc_pipeline.h). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lc_fmt.h"
#include "lc_pipeline.h"
#include "lc_resample.h"
#include "lc_result.h"

static const struct lc_pipeline_cable stereo_48k = { 48000, 2, 0 };

static struct lc_fmt fmt_of(enum lc_fmt_sample sample, uint32_t rate, uint32_t channels)
{
	struct lc_fmt f = { .sample = sample, .rate_hz = rate, .channels = channels,
			    .block_align = channels * lc_fmt_sample_bytes(sample),
			    .valid_bits = lc_fmt_sample_bytes(sample) * 8 };
	if (sample == LC_FMT_S24_32)
		f.valid_bits = 24;
	return f;
}

Test(pipeline, same_format_round_trip_is_bit_exact_for_every_s16_code)
{
	struct lc_fmt fmt = fmt_of(LC_FMT_S16, 48000, 2);
	struct lc_pipeline *w, *r;
	cr_assert_eq(lc_pipeline_create(&w, LC_PIPELINE_WRITE, &fmt, &stereo_48k, 5), 0);
	cr_assert_eq(lc_pipeline_create(&r, LC_PIPELINE_READ, &fmt, &stereo_48k, 5), 0);
	cr_assert(!lc_pipeline_resamples(w));

	/* Every code once, as 32768 stereo frames; odd chunk sizes run the tails. */
	int16_t *in = malloc(65536 * 2), *out = calloc(65536, 2);
	float *cable = malloc(65536 * sizeof(float));
	for (int i = 0; i < 65536; i++)
		in[i] = (int16_t)(i - 32768);
	uint32_t done = 0;
	while (done < 32768) {
		uint32_t n = 32768 - done < 1013 ? 32768 - done : 1013;
		uint32_t in_frames = n, out_frames = n;
		cr_assert_eq(lc_pipeline_write(w, in + done * 2, &in_frames, cable + done * 2, &out_frames), 0);
		cr_assert_eq(in_frames, n);
		cr_assert_eq(out_frames, n);
		done += n;
	}
	uint32_t in_frames = 32768, out_frames = 32768;
	cr_assert_eq(lc_pipeline_read(r, cable, &in_frames, out, &out_frames), 0);
	cr_assert_eq(out_frames, 32768);
	cr_assert_eq(memcmp(in, out, 65536 * 2), 0);
	lc_pipeline_destroy(w);
	lc_pipeline_destroy(r);
	free(in);
	free(out);
	free(cable);
}

Test(pipeline, mono_client_is_heard_on_both_cable_channels)
{
	struct lc_fmt fmt = fmt_of(LC_FMT_F32, 48000, 1);
	struct lc_pipeline *w;
	cr_assert_eq(lc_pipeline_create(&w, LC_PIPELINE_WRITE, &fmt, &stereo_48k, 5), 0);
	float in[64], cable[128];
	for (int i = 0; i < 64; i++)
		in[i] = (float)i / 64.0f - 0.5f;
	uint32_t in_frames = 64, out_frames = 64;
	cr_assert_eq(lc_pipeline_write(w, in, &in_frames, cable, &out_frames), 0);
	cr_assert_eq(out_frames, 64);
	for (int i = 0; i < 64; i++) {
		cr_assert_float_eq(cable[2 * i], in[i], 0.0f);
		cr_assert_float_eq(cable[2 * i + 1], in[i], 0.0f);
	}
	lc_pipeline_destroy(w);
}

Test(pipeline, reader_output_saturates_and_counts_clipped_samples)
{
	struct lc_fmt fmt = fmt_of(LC_FMT_S16, 48000, 2);
	struct lc_pipeline *r;
	cr_assert_eq(lc_pipeline_create(&r, LC_PIPELINE_READ, &fmt, &stereo_48k, 5), 0);
	float cable[8] = { 1.5f, -1.5f, 1.0f, -1.0f, 0.5f, 0.0f, 2.0f, -0.25f };
	int16_t out[8];
	uint32_t in_frames = 4, out_frames = 4;
	int clipped = lc_pipeline_read(r, cable, &in_frames, out, &out_frames);
	cr_assert_eq(clipped, 3, "clipped %d", clipped);
	cr_assert_eq(out[0], 32767);
	cr_assert_eq(out[1], -32768);
	cr_assert_eq(out[2], 32767);
	cr_assert_eq(out[3], -32768);
	cr_assert_eq(out[4], 16384);
	cr_assert_eq(out[6], 32767);
	lc_pipeline_destroy(r);
}

/* Consumption follows the room: the rest is offered again by the caller. */
Test(pipeline, stops_at_the_output_room_and_reports_what_it_consumed)
{
	struct lc_fmt fmt = fmt_of(LC_FMT_S16, 48000, 2);
	struct lc_pipeline *w;
	cr_assert_eq(lc_pipeline_create(&w, LC_PIPELINE_WRITE, &fmt, &stereo_48k, 5), 0);
	int16_t in[200] = { 0 };
	float cable[200];
	uint32_t in_frames = 100, out_frames = 37;
	cr_assert_eq(lc_pipeline_write(w, in, &in_frames, cable, &out_frames), 0);
	cr_assert_eq(in_frames, 37);
	cr_assert_eq(out_frames, 37);
	lc_pipeline_destroy(w);
}

static double frequency_of(const float *x, uint32_t stride, uint32_t n, double rate)
{
	double first = -1, last = -1;
	int crossings = 0;
	for (uint32_t i = 1; i < n; i++) {
		double a = x[(i - 1) * stride], b = x[i * stride];
		if (a < 0 && b >= 0) {
			double t = (i - 1) + a / (a - b);
			if (first < 0)
				first = t;
			else
				crossings++;
			last = t;
		}
	}
	return crossings * rate / (last - first);
}

Test(pipeline, resampling_writer_keeps_pitch_and_rate)
{
	struct lc_fmt fmt = fmt_of(LC_FMT_S16, 44100, 2);
	struct lc_pipeline *w;
	cr_assert_eq(lc_pipeline_create(&w, LC_PIPELINE_WRITE, &fmt, &stereo_48k, 5), 0);
	cr_assert(lc_pipeline_resamples(w));
	const uint32_t n_in = 44100;
	int16_t *in = malloc(n_in * 2 * sizeof(int16_t));
	for (uint32_t i = 0; i < n_in; i++)
		in[2 * i] = in[2 * i + 1] = (int16_t)lrint(16384 * sin(2 * 3.14159265358979323846 * 1000.0 * i / 44100.0));
	float *cable = malloc(60000 * 2 * sizeof(float));
	uint32_t consumed = 0, produced = 0;
	while (consumed < n_in) {
		uint32_t in_frames = n_in - consumed, out_frames = 1000;
		cr_assert_eq(lc_pipeline_write(w, in + consumed * 2, &in_frames, cable + produced * 2,
					       &out_frames), 0);
		cr_assert(in_frames > 0 || out_frames > 0, "no progress");
		consumed += in_frames;
		produced += out_frames;
	}
	/* One second in, one second out, less the filter's delay. */
	cr_assert(produced > 48000 - 200 && produced <= 48000, "produced %u", produced);
	double hz = frequency_of(cable + 2 * 1000, 2, produced - 2000, 48000);
	cr_assert(fabs(hz - 1000.0) < 0.5, "frequency %f", hz);
	lc_pipeline_destroy(w);
	free(in);
	free(cable);
}

Test(pipeline, rejects_what_it_cannot_build)
{
	struct lc_pipeline *p = (struct lc_pipeline *)1;
	struct lc_fmt fmt = fmt_of(LC_FMT_S16, 48000, 2);
	struct lc_pipeline_cable bad = { 48000, 0, 0 };
	cr_assert_eq(lc_pipeline_create(&p, LC_PIPELINE_WRITE, &fmt, &bad, 5), LC_E_INVALID);
	cr_assert_null(p);
	fmt.channels = 0;
	cr_assert_eq(lc_pipeline_create(&p, LC_PIPELINE_READ, &fmt, &stereo_48k, 5), LC_E_INVALID);
	cr_assert_eq(lc_pipeline_create(NULL, LC_PIPELINE_READ, &fmt, &stereo_48k, 5), LC_E_INVALID);
}

/* Chunking must not change the result: the driver feeds whatever room and timing give
 * it, re-offering what was not consumed.  Same input, one call vs. ragged calls. */
static void run_ragged(enum lc_pipeline_dir dir, const struct lc_fmt *fmt,
		       const struct lc_pipeline_cable *cable, uint32_t seed)
{
	struct lc_pipeline *whole, *ragged;
	cr_assert_eq(lc_pipeline_create(&whole, dir, fmt, cable, 5), 0);
	cr_assert_eq(lc_pipeline_create(&ragged, dir, fmt, cable, 5), 0);
	uint32_t in_ch = dir == LC_PIPELINE_WRITE ? fmt->channels : cable->n_channels;
	uint32_t out_ch = dir == LC_PIPELINE_WRITE ? cable->n_channels : fmt->channels;
	const uint32_t n_in = 20000, cap = 6 * 20000 + 1000; /* 8 kHz -> 48 kHz: 6x */
	float *in = malloc(sizeof(float) * n_in * in_ch);
	for (uint32_t i = 0; i < n_in * in_ch; i++)
		in[i] = (float)(0.5 * sin(i * 0.01));
	float *a = calloc((size_t)cap * out_ch, sizeof(float));
	float *b = calloc((size_t)cap * out_ch, sizeof(float));
	/* f32 clients: the client side is float too, so both buffers are float. */
	uint32_t made_a = 0, used_a = 0;
	while (used_a < n_in) {
		uint32_t i_n = n_in - used_a, o_n = cap - made_a;
		if (dir == LC_PIPELINE_WRITE)
			lc_pipeline_write(whole, in + used_a * in_ch, &i_n, a + made_a * out_ch, &o_n);
		else
			lc_pipeline_read(whole, in + used_a * in_ch, &i_n, a + made_a * out_ch, &o_n);
		cr_assert(i_n || o_n, "no progress at %u", used_a);
		used_a += i_n;
		made_a += o_n;
	}
	uint32_t made_b = 0, used_b = 0;
	while (used_b < n_in) {
		seed = seed * 1103515245u + 12345u;
		uint32_t i_n = 1 + (seed >> 16) % 700;
		seed = seed * 1103515245u + 12345u;
		uint32_t o_n = 1 + (seed >> 16) % 900;
		if (o_n > cap - made_b)
			o_n = cap - made_b;
		if (i_n > n_in - used_b)
			i_n = n_in - used_b;
		if (dir == LC_PIPELINE_WRITE)
			lc_pipeline_write(ragged, in + used_b * in_ch, &i_n, b + made_b * out_ch, &o_n);
		else
			lc_pipeline_read(ragged, in + used_b * in_ch, &i_n, b + made_b * out_ch, &o_n);
		cr_assert(i_n || o_n || made_b == cap, "no progress at %u", used_b);
		used_b += i_n;
		made_b += o_n;
	}
	uint32_t n = made_a < made_b ? made_a : made_b;
	cr_assert(n > 0);
	for (uint32_t i = 0; i < n * out_ch; i++)
		cr_assert_float_eq(a[i], b[i], 1e-6, "sample %u (frame %u): %f vs %f", i, i / out_ch,
				   a[i], b[i]);
	lc_pipeline_destroy(whole);
	lc_pipeline_destroy(ragged);
	free(in);
	free(a);
	free(b);
}

Test(pipeline, reader_with_resampler_and_downmix_is_independent_of_chunking)
{
	struct lc_fmt fmt = fmt_of(LC_FMT_F32, 44100, 1);
	run_ragged(LC_PIPELINE_READ, &fmt, &stereo_48k, 1);
}

Test(pipeline, reader_upsampling_is_independent_of_chunking)
{
	struct lc_fmt fmt = fmt_of(LC_FMT_F32, 96000, 2);
	run_ragged(LC_PIPELINE_READ, &fmt, &stereo_48k, 2);
}

Test(pipeline, writer_upsampling_mono_is_independent_of_chunking)
{
	struct lc_fmt fmt = fmt_of(LC_FMT_F32, 8000, 1);
	run_ragged(LC_PIPELINE_WRITE, &fmt, &stereo_48k, 3);
}
