/* SPDX-License-Identifier: MIT */
/*
 * lc_conv.c — THE kernel table and lc_conv_init() (contracts in lc_conv.h).
 *
 * One row per kernel: {src, dst, cpu flags it needs, function, name}.  lc_conv_init()
 * takes the first row whose pair matches and whose flags the caller offers, so a SIMD
 * row sits above the C row of the same pair and "the fastest kernel this CPU can run"
 * is the table order.  Adding a format or a faster kernel is a row here, the kernel in
 * lc_conv_c.c or lc_conv_<arch>.c, vectors in tests/unit/test_conv.c and a row in
 * tests/bench/bench_conv.c.
 */
#include "lc_conv.h"

#include <stddef.h>

#include "lc_result.h"

#define ROW(s, d, cpu, fn) { LC_FMT_##s, LC_FMT_##d, (cpu), fn, #fn }

static const struct lc_conv_kernel conv_table[] = {
#if defined(LC_CONV_HAVE_AVX2)
	ROW(S16, F32, LC_CONV_CPU_AVX2, lc_conv_s16_to_f32_avx2),
	ROW(S24_32, F32, LC_CONV_CPU_AVX2, lc_conv_s24_32_to_f32_avx2),
	ROW(S32, F32, LC_CONV_CPU_AVX2, lc_conv_s32_to_f32_avx2),
	ROW(F32, S16, LC_CONV_CPU_AVX2, lc_conv_f32_to_s16_avx2),
	ROW(F32, S24_32, LC_CONV_CPU_AVX2, lc_conv_f32_to_s24_32_avx2),
	ROW(F32, S32, LC_CONV_CPU_AVX2, lc_conv_f32_to_s32_avx2),
#endif
#if defined(LC_CONV_HAVE_SSE2)
	ROW(S16, F32, LC_CONV_CPU_SSE2, lc_conv_s16_to_f32_sse2),
	ROW(S24_32, F32, LC_CONV_CPU_SSE2, lc_conv_s24_32_to_f32_sse2),
	ROW(S32, F32, LC_CONV_CPU_SSE2, lc_conv_s32_to_f32_sse2),
	ROW(F32, S16, LC_CONV_CPU_SSE2, lc_conv_f32_to_s16_sse2),
	ROW(F32, S24_32, LC_CONV_CPU_SSE2, lc_conv_f32_to_s24_32_sse2),
	ROW(F32, S32, LC_CONV_CPU_SSE2, lc_conv_f32_to_s32_sse2),
#endif
	ROW(U8, F32, 0, lc_conv_u8_to_f32_c),
	ROW(S16, F32, 0, lc_conv_s16_to_f32_c),
	ROW(S24, F32, 0, lc_conv_s24_to_f32_c),
	ROW(S24_32, F32, 0, lc_conv_s24_32_to_f32_c),
	ROW(S32, F32, 0, lc_conv_s32_to_f32_c),
	ROW(F32, F32, 0, lc_conv_f32_to_f32_c),
	ROW(F32, U8, 0, lc_conv_f32_to_u8_c),
	ROW(F32, S16, 0, lc_conv_f32_to_s16_c),
	ROW(F32, S24, 0, lc_conv_f32_to_s24_c),
	ROW(F32, S24_32, 0, lc_conv_f32_to_s24_32_c),
	ROW(F32, S32, 0, lc_conv_f32_to_s32_c),
};

#define N_ROWS (sizeof(conv_table) / sizeof(conv_table[0]))

uint32_t
lc_conv_cpu_flags(void)
{
	uint32_t flags = 0;

#if defined(LC_CONV_HAVE_SSE2)
	flags |= LC_CONV_CPU_SSE2;
#endif
#if defined(LC_CONV_HAVE_AVX2)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2"))
		flags |= LC_CONV_CPU_AVX2;
#endif
	return flags;
}

const struct lc_conv_kernel *
lc_conv_kernel_at(uint32_t i)
{
	return i < N_ROWS ? &conv_table[i] : NULL;
}

int
lc_conv_init(struct lc_conv *conv, enum lc_fmt_sample src, enum lc_fmt_sample dst,
	     uint32_t channels, uint32_t cpu_flags)
{
	if (conv == NULL || channels == 0 || channels > LC_FMT_MAX_CHANNELS)
		return LC_E_INVALID;

	for (size_t i = 0; i < N_ROWS; i++) {
		const struct lc_conv_kernel *k = &conv_table[i];

		if (k->src != src || k->dst != dst || (k->cpu_flags & ~cpu_flags) != 0)
			continue;
		*conv = (struct lc_conv){
			.src = src,
			.dst = dst,
			.channels = channels,
			.cpu_flags = k->cpu_flags,
			.flags = src == dst ? LC_CONV_PASSTHROUGH : 0,
			.func = k->func,
			.func_name = k->name,
		};
		return 0;
	}
	return LC_E_FORMAT;
}
