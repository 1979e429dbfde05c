/* SPDX-License-Identifier: MIT */
/*
 * lc_conv_sse2.c — SSE2 kernels for the hot pairs (s16, s24_32, s32 <-> f32).
 *
 * Same contract as the C kernels (lc_conv.h) and bit-identical output; the tail that
 * does not fill a vector is handed to the C kernel of the same pair.  Rounding is
 * cvtps2dq's (MXCSR, to nearest by default), the same mode the C kernels round in.
 *
 * Unlike PipeWire, this file is not a separate library with its own -m flags: SSE2 is
 * the floor of both our targets (x86_64; i686 is built with -msse2), so it compiles
 * wherever __SSE2__ is defined and is empty elsewhere.  A future AVX2 file would need
 * its own library, its own flags and a runtime CPU check before its table rows.
 */
#include "lc_conv.h"

#if defined(LC_CONV_HAVE_SSE2)

#include <emmintrin.h>
#include <stddef.h>

/* Adds the lanes of a vector of per-lane counts. */
static inline uint32_t
sum_epi32(__m128i v)
{
	v = _mm_add_epi32(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(1, 0, 3, 2)));
	v = _mm_add_epi32(v, _mm_shuffle_epi32(v, _MM_SHUFFLE(2, 3, 0, 1)));
	return (uint32_t)_mm_cvtsi128_si32(v);
}

/* v = x * scale; counts (by subtracting all-ones masks) the lanes with |v| > scale,
 * which is |x| > 1.0 (NaN compares false); returns v with NaN lanes set to 0. */
static inline __m128
scale_count_denan(__m128 x, __m128 scale, __m128i *clip)
{
	const __m128 abs_mask = _mm_castsi128_ps(_mm_set1_epi32(0x7FFFFFFF));
	__m128 v = _mm_mul_ps(x, scale);

	__m128 out = _mm_cmpgt_ps(_mm_and_ps(v, abs_mask), scale);

	*clip = _mm_sub_epi32(*clip, _mm_castps_si128(out));
	return _mm_and_ps(v, _mm_cmpord_ps(v, v));
}

uint32_t
lc_conv_s16_to_f32_sse2(void *restrict dst, const void *restrict src, uint32_t n_samples)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	const __m128 k = _mm_set1_ps(1.0f / 32768.0f);
	uint32_t i = 0;

	for (; n_samples - i >= 8; i += 8) {
		/* Sign-extend by interleaving each word with its sign mask.  (Unpacking a
		 * register with itself and shifting right lets clang read an undefined
		 * register and chain every iteration on the previous one.) */
		__m128i in = _mm_loadu_si128((const __m128i *)(const void *)(s + (size_t)i * 2));
		__m128i sign = _mm_srai_epi16(in, 15);
		__m128i lo = _mm_unpacklo_epi16(in, sign);
		__m128i hi = _mm_unpackhi_epi16(in, sign);

		float *f = (float *)(void *)(d + (size_t)i * 4);

		_mm_storeu_ps(f, _mm_mul_ps(_mm_cvtepi32_ps(lo), k));
		_mm_storeu_ps(f + 4, _mm_mul_ps(_mm_cvtepi32_ps(hi), k));
	}
	return lc_conv_s16_to_f32_c(d + (size_t)i * 4, s + (size_t)i * 2, n_samples - i);
}

uint32_t
lc_conv_f32_to_s16_sse2(void *restrict dst, const void *restrict src, uint32_t n_samples)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	const __m128 scale = _mm_set1_ps(32768.0f);
	const __m128 hi = _mm_set1_ps(32767.0f);
	__m128i clip = _mm_setzero_si128();
	uint32_t i = 0;

	for (; n_samples - i >= 8; i += 8) {
		const float *f = (const float *)(const void *)(s + (size_t)i * 4);
		__m128 v0 = scale_count_denan(_mm_loadu_ps(f), scale, &clip);
		__m128 v1 = scale_count_denan(_mm_loadu_ps(f + 4), scale, &clip);

		/* Only the top needs a float clamp: cvtps2dq gives 0x80000000 beyond the int32
		 * range, which packssdw saturates to -32768 -- right for the bottom only. */
		v0 = _mm_min_ps(v0, hi);
		v1 = _mm_min_ps(v1, hi);
		_mm_storeu_si128((__m128i *)(void *)(d + (size_t)i * 2),
				 _mm_packs_epi32(_mm_cvtps_epi32(v0), _mm_cvtps_epi32(v1)));
	}
	return sum_epi32(clip) +
	       lc_conv_f32_to_s16_c(d + (size_t)i * 2, s + (size_t)i * 4, n_samples - i);
}

uint32_t
lc_conv_s24_32_to_f32_sse2(void *restrict dst, const void *restrict src, uint32_t n_samples)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	const __m128 k = _mm_set1_ps(1.0f / 2147483648.0f);
	const __m128i mask = _mm_set1_epi32(~0xFF);
	uint32_t i = 0;

	for (; n_samples - i >= 4; i += 4) {
		__m128i in = _mm_loadu_si128((const __m128i *)(const void *)(s + (size_t)i * 4));

		in = _mm_and_si128(in, mask);
		in = _mm_castps_si128(_mm_mul_ps(_mm_cvtepi32_ps(in), k));
		_mm_storeu_si128((__m128i *)(void *)(d + (size_t)i * 4), in);
	}
	return lc_conv_s24_32_to_f32_c(d + (size_t)i * 4, s + (size_t)i * 4, n_samples - i);
}

uint32_t
lc_conv_f32_to_s24_32_sse2(void *restrict dst, const void *restrict src, uint32_t n_samples)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	const __m128 scale = _mm_set1_ps(8388608.0f);
	const __m128 lo = _mm_set1_ps(-8388608.0f), hi = _mm_set1_ps(8388607.0f);
	__m128i clip = _mm_setzero_si128();
	uint32_t i = 0;

	for (; n_samples - i >= 4; i += 4) {
		__m128 x = _mm_loadu_ps((const float *)(const void *)(s + (size_t)i * 4));
		__m128 v = scale_count_denan(x, scale, &clip);

		v = _mm_min_ps(_mm_max_ps(v, lo), hi);
		_mm_storeu_si128((__m128i *)(void *)(d + (size_t)i * 4),
				 _mm_slli_epi32(_mm_cvtps_epi32(v), 8));
	}
	return sum_epi32(clip) +
	       lc_conv_f32_to_s24_32_c(d + (size_t)i * 4, s + (size_t)i * 4, n_samples - i);
}

uint32_t
lc_conv_s32_to_f32_sse2(void *restrict dst, const void *restrict src, uint32_t n_samples)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	const __m128 k = _mm_set1_ps(1.0f / 2147483648.0f);
	uint32_t i = 0;

	for (; n_samples - i >= 4; i += 4) {
		__m128i in = _mm_loadu_si128((const __m128i *)(const void *)(s + (size_t)i * 4));

		in = _mm_castps_si128(_mm_mul_ps(_mm_cvtepi32_ps(in), k));
		_mm_storeu_si128((__m128i *)(void *)(d + (size_t)i * 4), in);
	}
	return lc_conv_s32_to_f32_c(d + (size_t)i * 4, s + (size_t)i * 4, n_samples - i);
}

/* cvtps2dq gives 0x80000000 outside the int32 range: right below it; for v >= 2^31,
 * flipping every bit (xor with the compare mask) makes it INT32_MAX. */
uint32_t
lc_conv_f32_to_s32_sse2(void *restrict dst, const void *restrict src, uint32_t n_samples)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	const __m128 scale = _mm_set1_ps(2147483648.0f);
	__m128i clip = _mm_setzero_si128();
	uint32_t i = 0;

	for (; n_samples - i >= 4; i += 4) {
		__m128 x = _mm_loadu_ps((const float *)(const void *)(s + (size_t)i * 4));
		__m128 v = scale_count_denan(x, scale, &clip);
		__m128i top = _mm_castps_si128(_mm_cmpge_ps(v, scale));

		_mm_storeu_si128((__m128i *)(void *)(d + (size_t)i * 4),
				 _mm_xor_si128(_mm_cvtps_epi32(v), top));
	}
	return sum_epi32(clip) +
	       lc_conv_f32_to_s32_c(d + (size_t)i * 4, s + (size_t)i * 4, n_samples - i);
}

#else

/* ISO C wants at least one declaration in a translation unit. */
typedef int lc_conv_sse2_unavailable;

#endif /* LC_CONV_HAVE_SSE2 */
