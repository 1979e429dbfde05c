/* SPDX-License-Identifier: MIT */
/*
 * lc_conv_avx2.c — AVX2 kernels for the hot pairs (s16, s24_32, s32 <-> f32).
 *
 * Same contract and bit-identical output as the C and SSE2 kernels (lc_conv.h); the
 * tail shorter than a vector goes to the SSE2 kernel of the same pair.  Each function
 * carries __attribute__((target("avx2"))) instead of the file being built with -mavx2,
 * so no AVX instruction can leak into code that runs before the CPU check: these rows
 * are only picked when lc_conv_cpu_flags() reports AVX2 at run time.
 *
 * mingw-w64 gcc cannot realign the stack for 32-byte spills on Win64 (GCC bug 54412):
 * these loops keep every ymm value in registers (a handful of live vectors, no calls
 * inside the loop), so nothing 32-byte wide ever touches the stack.  Keep them small.
 */
#include "lc_conv.h"

#if defined(LC_CONV_HAVE_AVX2)

#include <immintrin.h>
#include <stddef.h>

#define AVX2 __attribute__((target("avx2")))

static inline AVX2 uint32_t
sum_epi32(__m256i v)
{
	__m128i x = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));

	x = _mm_add_epi32(x, _mm_shuffle_epi32(x, _MM_SHUFFLE(1, 0, 3, 2)));
	x = _mm_add_epi32(x, _mm_shuffle_epi32(x, _MM_SHUFFLE(2, 3, 0, 1)));
	return (uint32_t)_mm_cvtsi128_si32(x);
}

/* As in lc_conv_sse2.c: v = x * scale, count |v| > scale, NaN lanes -> 0. */
static inline AVX2 __m256
scale_count_denan(__m256 x, __m256 scale, __m256i *clip)
{
	const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
	__m256 v = _mm256_mul_ps(x, scale);
	__m256 out = _mm256_cmp_ps(_mm256_and_ps(v, abs_mask), scale, _CMP_GT_OQ);

	*clip = _mm256_sub_epi32(*clip, _mm256_castps_si256(out));
	return _mm256_and_ps(v, _mm256_cmp_ps(v, v, _CMP_ORD_Q));
}

static inline AVX2 __m256
loadu_ps(const uint8_t *p)
{
	return _mm256_loadu_ps((const float *)(const void *)p);
}

static inline AVX2 void
storeu_ps(uint8_t *p, __m256 v)
{
	_mm256_storeu_ps((float *)(void *)p, v);
}

static inline AVX2 __m256i
loadu_si256(const uint8_t *p)
{
	return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

static inline AVX2 void
storeu_si256(uint8_t *p, __m256i v)
{
	_mm256_storeu_si256((__m256i *)(void *)p, v);
}

AVX2 uint32_t
lc_conv_s16_to_f32_avx2(void *restrict dst, const void *restrict src, uint32_t n_samples)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	const __m256 k = _mm256_set1_ps(1.0f / 32768.0f);
	uint32_t i = 0;

	for (; n_samples - i >= 16; i += 16) {
		const __m128i *p = (const __m128i *)(const void *)(s + (size_t)i * 2);
		__m256i a = _mm256_cvtepi16_epi32(_mm_loadu_si128(p));
		__m256i b = _mm256_cvtepi16_epi32(_mm_loadu_si128(p + 1));

		storeu_ps(d + (size_t)i * 4, _mm256_mul_ps(_mm256_cvtepi32_ps(a), k));
		storeu_ps(d + (size_t)i * 4 + 32, _mm256_mul_ps(_mm256_cvtepi32_ps(b), k));
	}
	return lc_conv_s16_to_f32_sse2(d + (size_t)i * 4, s + (size_t)i * 2, n_samples - i);
}

AVX2 uint32_t
lc_conv_f32_to_s16_avx2(void *restrict dst, const void *restrict src, uint32_t n_samples)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	const __m256 scale = _mm256_set1_ps(32768.0f);
	const __m256 hi = _mm256_set1_ps(32767.0f);
	__m256i clip = _mm256_setzero_si256();
	uint32_t i = 0;

	for (; n_samples - i >= 16; i += 16) {
		const uint8_t *p = s + (size_t)i * 4;
		__m256 v0 = _mm256_min_ps(scale_count_denan(loadu_ps(p), scale, &clip), hi);
		__m256 v1 = _mm256_min_ps(scale_count_denan(loadu_ps(p + 32), scale, &clip), hi);
		/* vpackssdw packs within 128-bit lanes: 0-3 8-11 4-7 12-15; restore order. */
		__m256i r = _mm256_packs_epi32(_mm256_cvtps_epi32(v0), _mm256_cvtps_epi32(v1));

		r = _mm256_permute4x64_epi64(r, _MM_SHUFFLE(3, 1, 2, 0));
		storeu_si256(d + (size_t)i * 2, r);
	}
	return sum_epi32(clip) +
	       lc_conv_f32_to_s16_sse2(d + (size_t)i * 2, s + (size_t)i * 4, n_samples - i);
}

AVX2 uint32_t
lc_conv_s24_32_to_f32_avx2(void *restrict dst, const void *restrict src, uint32_t n_samples)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	const __m256 k = _mm256_set1_ps(1.0f / 2147483648.0f);
	const __m256i mask = _mm256_set1_epi32(~0xFF);
	uint32_t i = 0;

	for (; n_samples - i >= 8; i += 8) {
		__m256i in = _mm256_and_si256(loadu_si256(s + (size_t)i * 4), mask);

		storeu_ps(d + (size_t)i * 4, _mm256_mul_ps(_mm256_cvtepi32_ps(in), k));
	}
	return lc_conv_s24_32_to_f32_sse2(d + (size_t)i * 4, s + (size_t)i * 4, n_samples - i);
}

AVX2 uint32_t
lc_conv_f32_to_s24_32_avx2(void *restrict dst, const void *restrict src, uint32_t n_samples)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	const __m256 scale = _mm256_set1_ps(8388608.0f);
	const __m256 lo = _mm256_set1_ps(-8388608.0f), hi = _mm256_set1_ps(8388607.0f);
	__m256i clip = _mm256_setzero_si256();
	uint32_t i = 0;

	for (; n_samples - i >= 8; i += 8) {
		__m256 v = scale_count_denan(loadu_ps(s + (size_t)i * 4), scale, &clip);

		v = _mm256_min_ps(_mm256_max_ps(v, lo), hi);
		storeu_si256(d + (size_t)i * 4, _mm256_slli_epi32(_mm256_cvtps_epi32(v), 8));
	}
	return sum_epi32(clip) +
	       lc_conv_f32_to_s24_32_sse2(d + (size_t)i * 4, s + (size_t)i * 4, n_samples - i);
}

AVX2 uint32_t
lc_conv_s32_to_f32_avx2(void *restrict dst, const void *restrict src, uint32_t n_samples)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	const __m256 k = _mm256_set1_ps(1.0f / 2147483648.0f);
	uint32_t i = 0;

	for (; n_samples - i >= 8; i += 8) {
		__m256i in = loadu_si256(s + (size_t)i * 4);

		storeu_ps(d + (size_t)i * 4, _mm256_mul_ps(_mm256_cvtepi32_ps(in), k));
	}
	return lc_conv_s32_to_f32_sse2(d + (size_t)i * 4, s + (size_t)i * 4, n_samples - i);
}

/* As in lc_conv_sse2.c: cvtps2dq's 0x80000000 is right below the range; above it the
 * compare mask flips it to INT32_MAX. */
AVX2 uint32_t
lc_conv_f32_to_s32_avx2(void *restrict dst, const void *restrict src, uint32_t n_samples)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	const __m256 scale = _mm256_set1_ps(2147483648.0f);
	__m256i clip = _mm256_setzero_si256();
	uint32_t i = 0;

	for (; n_samples - i >= 8; i += 8) {
		__m256 v = scale_count_denan(loadu_ps(s + (size_t)i * 4), scale, &clip);
		__m256i top = _mm256_castps_si256(_mm256_cmp_ps(v, scale, _CMP_GE_OQ));

		storeu_si256(d + (size_t)i * 4, _mm256_xor_si256(_mm256_cvtps_epi32(v), top));
	}
	return sum_epi32(clip) +
	       lc_conv_f32_to_s32_sse2(d + (size_t)i * 4, s + (size_t)i * 4, n_samples - i);
}

#else

/* ISO C wants at least one declaration in a translation unit. */
typedef int lc_conv_avx2_unavailable;

#endif /* LC_CONV_HAVE_AVX2 */
