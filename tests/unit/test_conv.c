/* SPDX-License-Identifier: MIT */
/*
 * test_conv.c — every kernel of the table (C, SSE2, AVX2 where the CPU has it) against
 * exact expected values at the edges, against an independent double-precision reference
 * on random and hostile input (253 frames x 11 channels, unaligned), and for lossless
 * round trips over every code of every <= 24-bit type.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_conv.h"
#include "lc_result.h"

#define FRAMES 253
#define CHANNELS 11
#define N_SAMPLES (FRAMES * CHANNELS)
#define GUARD 0xA5

static uint32_t
bytes_of(enum lc_fmt_sample s)
{
	return lc_fmt_sample_bytes(s);
}

static int
int_bits(enum lc_fmt_sample s)
{
	switch (s) {
	case LC_FMT_U8: return 8;
	case LC_FMT_S16: return 16;
	case LC_FMT_S24:
	case LC_FMT_S24_32: return 24;
	default: return 32;
	}
}

static float
f32_of_bits(uint32_t b)
{
	float f;

	memcpy(&f, &b, 4);
	return f;
}

/* --- the reference: double precision, libm rounding, written independently ------------ */

static int64_t
read_int(enum lc_fmt_sample s, const uint8_t *p)
{
	int32_t v;

	switch (s) {
	case LC_FMT_U8: return (int64_t)p[0] - 128;
	case LC_FMT_S16: return (int16_t)(p[0] | p[1] << 8);
	case LC_FMT_S24: {
		int64_t u = p[0] | p[1] << 8 | (int64_t)p[2] << 16;
		return u >= 0x800000 ? u - 0x1000000 : u;
	}
	case LC_FMT_S24_32:
		memcpy(&v, p, 4);
		return ((int64_t)v - (v & 0xFF)) / 256; /* top 24 bits, floor */
	default:
		memcpy(&v, p, 4);
		return v;
	}
}

static float
ref_to_f32(enum lc_fmt_sample s, const uint8_t *p)
{
	return (float)((double)read_int(s, p) / ldexp(1.0, int_bits(s) - 1));
}

/* Writes the expected bytes; returns 1 if the sample counts as clipped. */
static int
ref_from_f32(enum lc_fmt_sample s, float x, uint8_t *out)
{
	int bits = int_bits(s);
	double lo = -ldexp(1.0, bits - 1), hi = ldexp(1.0, bits - 1) - 1;
	double v = isnan(x) ? 0.0 : rint((double)x * ldexp(1.0, bits - 1));
	int64_t r = (int64_t)(v < lo ? lo : v > hi ? hi : v);
	uint32_t u = (uint32_t)r;

	switch (s) {
	case LC_FMT_U8: out[0] = (uint8_t)(r + 128); break;
	case LC_FMT_S16: out[0] = (uint8_t)u; out[1] = (uint8_t)(u >> 8); break;
	case LC_FMT_S24:
		out[0] = (uint8_t)u;
		out[1] = (uint8_t)(u >> 8);
		out[2] = (uint8_t)(u >> 16);
		break;
	case LC_FMT_S24_32: u <<= 8; memcpy(out, &u, 4); break;
	default: memcpy(out, &u, 4); break;
	}
	return !isnan(x) && fabs((double)x) > 1.0;
}

/* --- input generators ---------------------------------------------------------------------- */

static uint32_t rng_state = 12345;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* Floats a converter must survive: edges, ties, +-Inf, NaN, tiny, huge, random. */
static float
hostile_float(uint32_t i)
{
	static const float special[] = {
		0.0f, -0.0f, 1.0f, -1.0f, 0.5f, -0.5f, 1.0000001f, -1.0000001f, 2.0f, -2.0f,
		1e30f, -1e30f, INFINITY, -INFINITY, NAN, -NAN, 1e-40f, -1e-40f,
		0.5f / 32768, 1.5f / 32768, 2.5f / 32768, -0.5f / 32768, -1.5f / 32768,
		0.5f / 8388608, 1.5f / 8388608, -2.5f / 8388608, 0.5f / 128, 1.5f / 128,
		32767.5f / 32768, -32768.5f / 32768, 127.5f / 128, -128.5f / 128,
		8388607.5f / 8388608, 0.99999994f, -0.99999994f, 3.4e38f,
	};
	const uint32_t n = sizeof(special) / sizeof(special[0]);

	if (i < n)
		return special[i];
	switch (rng() % 4) {
	case 0: return f32_of_bits(rng());                         /* anything at all */
	case 1: return ((float)(int32_t)rng() / 2147483648.0f) * 1.25f; /* around +-1 */
	case 2: return (float)((int32_t)(rng() % 65536) - 32768) / 32768.0f + 0.5f / 32768;
	default: return ((float)(int32_t)rng() / 2147483648.0f) * 1e-3f;
	}
}

static int
cpu_has(uint32_t need)
{
	return (need & ~lc_conv_cpu_flags()) == 0;
}

/* The CPU levels to run a check at: C only, SSE2, everything this CPU has. */
static int
cpu_levels(uint32_t levels[3])
{
	const uint32_t all = lc_conv_cpu_flags();
	int n = 0;

	levels[n++] = 0;
	if ((all & LC_CONV_CPU_SSE2) && all != LC_CONV_CPU_SSE2)
		levels[n++] = LC_CONV_CPU_SSE2;
	if (all != 0)
		levels[n++] = all;
	return n;
}

#define FOR_EACH_LEVEL(flags) \
	for (uint32_t levels_[3], l_ = 0, n_ = (uint32_t)cpu_levels(levels_); \
	     l_ < n_ && ((flags) = levels_[l_], 1); l_++)

/* --- every table row against the reference -------------------------------------------- */

static void
check_to_f32(const struct lc_conv_kernel *k, size_t offset)
{
	uint32_t in_bytes = bytes_of(k->src);
	uint8_t *in = malloc((size_t)N_SAMPLES * in_bytes + offset + 8);
	uint8_t *out = malloc((size_t)N_SAMPLES * 4 + offset + 8);

	for (size_t i = 0; i < (size_t)N_SAMPLES * in_bytes; i++)
		in[offset + i] = (uint8_t)rng();
	memset(out, GUARD, (size_t)N_SAMPLES * 4 + offset + 8);
	cr_assert_eq(k->func(out + offset, in + offset, N_SAMPLES), 0, "%s", k->name);
	for (uint32_t i = 0; i < N_SAMPLES; i++) {
		float got, want = ref_to_f32(k->src, in + offset + (size_t)i * in_bytes);

		memcpy(&got, out + offset + (size_t)i * 4, 4);
		if (k->src == LC_FMT_F32) /* passthrough: bits, NaN payloads included */
			cr_assert(memcmp(&got, in + offset + (size_t)i * 4, 4) == 0, "%s", k->name);
		else
			cr_assert(got == want, "%s sample %u: got %a want %a", k->name, i, got,
				  want);
	}
	for (size_t i = 0; i < 8; i++)
		cr_assert_eq(out[offset + (size_t)N_SAMPLES * 4 + i], GUARD, "%s overran", k->name);
	free(in);
	free(out);
}

static void
check_from_f32(const struct lc_conv_kernel *k, size_t offset)
{
	uint32_t out_bytes = bytes_of(k->dst);
	uint8_t *in = malloc((size_t)N_SAMPLES * 4 + offset);
	uint8_t *out = malloc((size_t)N_SAMPLES * out_bytes + offset + 8);
	uint32_t want_clipped = 0;

	for (uint32_t i = 0; i < N_SAMPLES; i++) {
		float f = hostile_float(i);
		memcpy(in + offset + (size_t)i * 4, &f, 4);
	}
	memset(out, GUARD, (size_t)N_SAMPLES * out_bytes + offset + 8);
	uint32_t clipped = k->func(out + offset, in + offset, N_SAMPLES);
	for (uint32_t i = 0; i < N_SAMPLES; i++) {
		uint8_t want[4];
		float x;

		memcpy(&x, in + offset + (size_t)i * 4, 4);
		want_clipped += (uint32_t)ref_from_f32(k->dst, x, want);
		cr_assert(memcmp(out + offset + (size_t)i * out_bytes, want, out_bytes) == 0,
			  "%s sample %u (x = %a)", k->name, i, x);
	}
	cr_assert_eq(clipped, want_clipped, "%s clipped %u, want %u", k->name, clipped,
		     want_clipped);
	for (size_t i = 0; i < 8; i++)
		cr_assert_eq(out[offset + (size_t)N_SAMPLES * out_bytes + i], GUARD, "%s overran",
			     k->name);
	free(in);
	free(out);
}

Test(conv, every_kernel_matches_the_reference_on_odd_unaligned_buffers)
{
	uint32_t ran = 0;

	for (uint32_t r = 0; lc_conv_kernel_at(r) != NULL; r++) {
		const struct lc_conv_kernel *k = lc_conv_kernel_at(r);

		if (!cpu_has(k->cpu_flags))
			continue;
		for (size_t offset = 0; offset < 4; offset++) {
			if (k->src == LC_FMT_F32 && k->dst != LC_FMT_F32)
				check_from_f32(k, offset);
			else
				check_to_f32(k, offset);
		}
		ran++;
	}
	cr_assert_geq(ran, 11, "only %u kernels ran", ran);
}

/* Lengths 0..70 run every tail path of the SIMD loops; nothing past n is touched. */
Test(conv, simd_kernels_equal_c_at_every_short_length)
{
	uint8_t in[70 * 4], out_simd[70 * 4 + 8], out_c[70 * 4 + 8];
	struct lc_conv c;

	for (uint32_t i = 0; i < 70; i++) {
		float f = hostile_float(i);
		memcpy(in + i * 4, &f, 4);
	}
	for (uint32_t r = 0; lc_conv_kernel_at(r) != NULL; r++) {
		const struct lc_conv_kernel *k = lc_conv_kernel_at(r);

		if (k->cpu_flags == 0 || !cpu_has(k->cpu_flags))
			continue;
		cr_assert_eq(lc_conv_init(&c, k->src, k->dst, 1, 0), 0);
		for (uint32_t n = 0; n <= 70; n++) {
			uint32_t out_len = n * bytes_of(k->dst);

			memset(out_simd, GUARD, sizeof(out_simd));
			memset(out_c, GUARD, sizeof(out_c));
			uint32_t a = k->func(out_simd, in, n);
			uint32_t b = c.func(out_c, in, n);
			cr_assert_eq(a, b, "%s n=%u clipped %u vs %u", k->name, n, a, b);
			cr_assert(memcmp(out_simd, out_c, out_len + 8) == 0, "%s n=%u", k->name, n);
		}
	}
}

/* --- exact values at the edges ------------------------------------------------------------ */

struct edge {
	float x;
	int64_t want; /* the integer value, before the container's offset or shift */
	int clipped;
};

static const float NaN = NAN;

static void
check_edges(enum lc_fmt_sample dst, const struct edge *e, size_t n)
{
	struct lc_conv cv;

	uint32_t flags;

	FOR_EACH_LEVEL(flags) {
		cr_assert_eq(lc_conv_init(&cv, LC_FMT_F32, dst, 1, flags), 0);
		for (size_t i = 0; i < n; i++) {
			/* Sixteen copies: the SIMD kernels take the value in their vector loop. */
			float in[16];
			uint8_t out[16 * 4];

			for (int j = 0; j < 16; j++)
				in[j] = e[i].x;
			uint32_t clipped = lc_conv_process(&cv, out, in, 16);
			int64_t got = read_int(dst, out + 15 * bytes_of(dst));
			int64_t got0 = read_int(dst, out);

			cr_assert_eq(got, e[i].want, "%s: %a -> %lld, want %lld", cv.func_name,
				     e[i].x, (long long)got, (long long)e[i].want);
			cr_assert_eq(got0, e[i].want, "%s: vector and tail differ", cv.func_name);
			cr_assert_eq(clipped, e[i].clipped ? 16u : 0u, "%s: %a clipped %u",
				     cv.func_name, e[i].x, clipped);
			if (dst == LC_FMT_S24_32)
				cr_assert_eq(out[0], 0, "%s: low byte not zero", cv.func_name);
		}
	}
}

Test(conv, f32_to_s16_edges)
{
	const struct edge e[] = {
		{ 0.0f, 0, 0 },          { -0.0f, 0, 0 },        { 1.0f, 32767, 0 },
		{ -1.0f, -32768, 0 },    { 0.5f, 16384, 0 },     { -0.5f, -16384, 0 },
		{ 1.0f / 32768, 1, 0 },  { -1.0f / 32768, -1, 0 }, { 32767.0f / 32768, 32767, 0 },
		{ 0.5f / 32768, 0, 0 },  { 1.5f / 32768, 2, 0 }, { 2.5f / 32768, 2, 0 },
		{ -1.5f / 32768, -2, 0 }, { 0.4f / 32768, 0, 0 }, { 0.6f / 32768, 1, 0 },
		{ 32767.5f / 32768, 32767, 0 }, { 1.0000001f, 32767, 1 },
		{ -1.0000001f, -32768, 1 },
		{ 2.0f, 32767, 1 },      { -2.0f, -32768, 1 },   { 1e30f, 32767, 1 },
		{ -1e30f, -32768, 1 },   { INFINITY, 32767, 1 }, { -INFINITY, -32768, 1 },
		{ NaN, 0, 0 },           { -NaN, 0, 0 },         { 1e-40f, 0, 0 },
	};
	check_edges(LC_FMT_S16, e, sizeof(e) / sizeof(e[0]));
}

Test(conv, f32_to_u8_edges)
{
	const struct edge e[] = {
		{ 0.0f, 0, 0 },         { 1.0f, 127, 0 },      { -1.0f, -128, 0 },
		{ 1.0f / 128, 1, 0 },   { -1.0f / 128, -1, 0 }, { 0.5f / 128, 0, 0 },
		{ 1.5f / 128, 2, 0 },   { 127.5f / 128, 127, 0 }, { 1.5f, 127, 1 },
		{ -1.5f, -128, 1 },     { INFINITY, 127, 1 },  { -INFINITY, -128, 1 },
		{ NaN, 0, 0 },
	};
	check_edges(LC_FMT_U8, e, sizeof(e) / sizeof(e[0]));
}

Test(conv, f32_to_s24_and_s24_32_edges)
{
	const struct edge e[] = {
		{ 0.0f, 0, 0 },             { 1.0f, 8388607, 0 },       { -1.0f, -8388608, 0 },
		{ 1.0f / 8388608, 1, 0 },   { -1.0f / 8388608, -1, 0 }, { 0.5f / 8388608, 0, 0 },
		{ 1.5f / 8388608, 2, 0 },   { -2.5f / 8388608, -2, 0 }, { 0.99999994f, 8388607, 0 },
		{ -0.99999994f, -8388608, 0 }, { 1.0000001f, 8388607, 1 },
		{ -1.0000001f, -8388608, 1 },
		{ INFINITY, 8388607, 1 },   { -INFINITY, -8388608, 1 }, { NaN, 0, 0 },
		{ 3.4e38f, 8388607, 1 },    { -3.4e38f, -8388608, 1 },
	};
	check_edges(LC_FMT_S24, e, sizeof(e) / sizeof(e[0]));
	check_edges(LC_FMT_S24_32, e, sizeof(e) / sizeof(e[0]));
}

Test(conv, f32_to_s32_edges)
{
	const struct edge e[] = {
		{ 0.0f, 0, 0 },
		{ 1.0f, INT32_MAX, 0 },
		{ -1.0f, INT32_MIN, 0 },
		{ 0.5f, 0x40000000, 0 },
		{ -0.5f, -0x40000000, 0 },
		{ 0.99999994f, 2147483520, 0 }, /* largest float below 1: 2^31 - 128 */
		{ 1.0f / 2147483648.0f, 1, 0 },
		{ 0.5f / 2147483648.0f, 0, 0 },
		{ 1.5f / 2147483648.0f, 2, 0 },
		{ -1.5f / 2147483648.0f, -2, 0 },
		{ 8388607.5f / 2147483648.0f, 8388608, 0 }, /* tie just below 2^23: even */
		{ 1.0000001f, INT32_MAX, 1 },
		{ -1.0000001f, INT32_MIN, 1 },
		{ INFINITY, INT32_MAX, 1 },
		{ -INFINITY, INT32_MIN, 1 },
		{ NaN, 0, 0 },
		{ 3.4e38f, INT32_MAX, 1 },
	};
	check_edges(LC_FMT_S32, e, sizeof(e) / sizeof(e[0]));
}

Test(conv, integers_to_f32_edges)
{
	struct lc_conv cv;
	const uint8_t u8[] = { 0, 1, 127, 128, 129, 255 };
	const float u8_want[] = { -1.0f, -127.0f / 128, -1.0f / 128,
				  0.0f,  1.0f / 128,    127.0f / 128 };
	const int16_t s16[] = { INT16_MIN, -1, 0, 1, INT16_MAX };
	const float s16_want[] = { -1.0f, -1.0f / 32768, 0.0f, 1.0f / 32768, 32767.0f / 32768 };
	const uint8_t s24[] = { 0x00, 0x00, 0x80, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00,
				0xFF, 0xFF, 0x7F };
	const float s24_want[] = { -1.0f, -1.0f / 8388608, 1.0f / 8388608, 8388607.0f / 8388608 };
	/* s24_32: the low byte is padding and must not matter. */
	const int32_t s24_32[] = { INT32_MIN, (int32_t)0x800000FF, 0x000001FF, 0x7FFFFF00,
				   0x7FFFFFFF, 0x000000FF };
	const float s24_32_want[] = { -1.0f, -1.0f, 1.0f / 8388608, 8388607.0f / 8388608,
				      8388607.0f / 8388608, 0.0f };
	const int32_t s32[] = { INT32_MIN, -1, 0, 1, 0x40000000, INT32_MAX };
	/* INT32_MAX has no float: it rounds to 2^31, i.e. 1.0. */
	const float s32_want[] = { -1.0f, -1.0f / 2147483648.0f, 0.0f, 1.0f / 2147483648.0f, 0.5f,
				   1.0f };
	float out[8];
	uint32_t flags;

	FOR_EACH_LEVEL(flags) {
#define CHECK(type, in, want) \
		do { \
			size_t n = sizeof(want) / sizeof(want[0]); \
			cr_assert_eq(lc_conv_init(&cv, type, LC_FMT_F32, 1, flags), 0); \
			cr_assert_eq(lc_conv_process(&cv, out, in, (uint32_t)n), 0); \
			for (size_t i = 0; i < n; i++) \
				cr_assert(out[i] == want[i], "%s [%zu]: %a, want %a", \
					  cv.func_name, i, out[i], want[i]); \
		} while (0)
		CHECK(LC_FMT_U8, u8, u8_want);
		CHECK(LC_FMT_S16, s16, s16_want);
		CHECK(LC_FMT_S24, s24, s24_want);
		CHECK(LC_FMT_S24_32, s24_32, s24_32_want);
		CHECK(LC_FMT_S32, s32, s32_want);
#undef CHECK
	}
}

/* --- round trips ------------------------------------------------------------------------- */

static void
round_trip_range(enum lc_fmt_sample s, uint32_t flags, int64_t first, int64_t count)
{
	const uint32_t chunk = 1u << 16;
	uint32_t nb = bytes_of(s);
	uint8_t *in = malloc((size_t)chunk * nb), *back = malloc((size_t)chunk * nb);
	float *mid = malloc((size_t)chunk * sizeof(float));
	struct lc_conv to, from;

	cr_assert_eq(lc_conv_init(&to, s, LC_FMT_F32, 1, flags), 0);
	cr_assert_eq(lc_conv_init(&from, LC_FMT_F32, s, 1, flags), 0);
	for (int64_t base = 0; base < count; base += chunk) {
		uint32_t n = (uint32_t)(count - base < chunk ? count - base : chunk);

		for (uint32_t i = 0; i < n; i++) {
			int64_t code = first + base + i;
			uint32_t u = (uint32_t)code;
			uint8_t *p = in + (size_t)i * nb;

			if (s == LC_FMT_U8)
				p[0] = (uint8_t)(code + 128);
			else if (s == LC_FMT_S24_32)
				u <<= 8;
			if (s != LC_FMT_U8)
				memcpy(p, &u, nb); /* little-endian host: the low bytes first */
		}
		lc_conv_process(&to, mid, in, n);
		cr_assert_eq(lc_conv_process(&from, back, mid, n), 0, "%s clipped", from.func_name);
		for (uint32_t i = 0; i < n; i++)
			cr_assert(memcmp(in + (size_t)i * nb, back + (size_t)i * nb, nb) == 0,
				  "%s/%s: code %lld", to.func_name, from.func_name,
				  (long long)(first + base + i));
	}
	free(in);
	free(back);
	free(mid);
}

Test(conv, u8_and_s16_round_trip_every_code)
{
	uint32_t flags;

	FOR_EACH_LEVEL(flags) {
		round_trip_range(LC_FMT_U8, flags, -128, 256);
		round_trip_range(LC_FMT_S16, flags, -32768, 65536);
	}
}

Test(conv, s24_and_s24_32_round_trip_every_code)
{
	uint32_t flags;

	FOR_EACH_LEVEL(flags) {
		round_trip_range(LC_FMT_S24, flags, -8388608, 1 << 24);
		round_trip_range(LC_FMT_S24_32, flags, -8388608, 1 << 24);
	}
}

/* s32 keeps 24 significant bits through float: codes that fit them come back exactly. */
Test(conv, s32_round_trips_codes_with_24_significant_bits)
{
	const int32_t codes[] = { INT32_MIN, -256, 0, 256, 0x7FFFFF00, 1, -1, 0x12345600,
				  0x00FFFFFF, -0x00FFFFFF, 12345 };
	const size_t n = sizeof(codes) / sizeof(codes[0]);
	int32_t back[sizeof(codes) / sizeof(codes[0])];
	float mid[sizeof(codes) / sizeof(codes[0])];
	struct lc_conv to, from;
	uint32_t flags;

	FOR_EACH_LEVEL(flags) {
		cr_assert_eq(lc_conv_init(&to, LC_FMT_S32, LC_FMT_F32, 1, flags), 0);
		cr_assert_eq(lc_conv_init(&from, LC_FMT_F32, LC_FMT_S32, 1, flags), 0);
		lc_conv_process(&to, mid, codes, (uint32_t)n);
		lc_conv_process(&from, back, mid, (uint32_t)n);
		for (size_t i = 0; i < n; i++)
			cr_assert_eq(back[i], codes[i], "%s: %d -> %d", from.func_name, codes[i],
				     back[i]);
	}
}

/* --- lc_conv_init and the table ------------------------------------------------------------ */

Test(conv, init_picks_by_pair_and_cpu_and_names_the_kernel)
{
	struct lc_conv cv;

	for (int s = 0; s < LC_FMT_N_SAMPLES; s++) {
		char want[64];

		cr_assert_eq(lc_conv_init(&cv, s, LC_FMT_F32, 2, 0), 0);
		snprintf(want, sizeof(want), "lc_conv_%s_to_f32_c", lc_fmt_sample_name(s));
		cr_assert_str_eq(cv.func_name, want);
		cr_assert_eq(cv.cpu_flags, 0);
		cr_assert_eq(lc_conv_init(&cv, LC_FMT_F32, s, 2, lc_conv_cpu_flags()), 0);
		cr_assert_eq(cv.flags, s == LC_FMT_F32 ? LC_CONV_PASSTHROUGH : 0u);
		cr_assert_eq(cv.cpu_flags & ~lc_conv_cpu_flags(), 0);
		cr_assert_eq(cv.channels, 2);
	}
	cr_assert_eq(lc_conv_init(&cv, LC_FMT_S16, LC_FMT_S24, 2, 0), LC_E_FORMAT);
	cr_assert_eq(lc_conv_init(&cv, LC_FMT_S16, LC_FMT_N_SAMPLES, 2, 0), LC_E_FORMAT);
	cr_assert_eq(lc_conv_init(&cv, LC_FMT_S16, LC_FMT_F32, 0, 0), LC_E_INVALID);
	cr_assert_eq(lc_conv_init(&cv, LC_FMT_S16, LC_FMT_F32, 33, 0), LC_E_INVALID);
	cr_assert_eq(lc_conv_init(NULL, LC_FMT_S16, LC_FMT_F32, 2, 0), LC_E_INVALID);
#if defined(__SSE2__)
	cr_assert(lc_conv_cpu_flags() & LC_CONV_CPU_SSE2);
	cr_assert_eq(lc_conv_init(&cv, LC_FMT_S16, LC_FMT_F32, 2, LC_CONV_CPU_SSE2), 0);
	cr_assert_str_eq(cv.func_name, "lc_conv_s16_to_f32_sse2");
#endif
}

Test(conv, every_row_is_named_for_its_pair)
{
	for (uint32_t r = 0; lc_conv_kernel_at(r) != NULL; r++) {
		const struct lc_conv_kernel *k = lc_conv_kernel_at(r);
		char prefix[64];

		snprintf(prefix, sizeof(prefix), "lc_conv_%s_to_%s_", lc_fmt_sample_name(k->src),
			 lc_fmt_sample_name(k->dst));
		cr_assert(strncmp(k->name, prefix, strlen(prefix)) == 0, "%s", k->name);
		cr_assert(k->src == LC_FMT_F32 || k->dst == LC_FMT_F32, "%s", k->name);
	}
}

Test(conv, process_converts_frames_times_channels_and_no_more)
{
	struct lc_conv cv;
	int16_t in[3 * 5];
	float out[3 * 5 + 4];

	for (int i = 0; i < 15; i++)
		in[i] = (int16_t)(i * 1000 - 7000);
	memset(out, GUARD, sizeof(out));
	cr_assert_eq(lc_conv_init(&cv, LC_FMT_S16, LC_FMT_F32, 5, lc_conv_cpu_flags()), 0);
	lc_conv_process(&cv, out, in, 3);
	for (int i = 0; i < 15; i++)
		cr_assert(out[i] == (float)in[i] / 32768.0f);
	for (int i = 15; i < 19; i++) {
		uint32_t b;
		memcpy(&b, &out[i], 4);
		cr_assert_eq(b, 0xA5A5A5A5u);
	}
}
