/* SPDX-License-Identifier: MIT */
/*
 * lc_conv.h — sample conversion between a client's sample type and canonical float32.
 *
 * Owns: struct lc_conv, the kernel signature and every kernel's prototype; the table
 * that maps (src, dst, cpu flags) to a kernel lives in lc_conv.c, the C kernels in
 * lc_conv_c.c, the SIMD ones in lc_conv_sse2.c and lc_conv_avx2.c.  Does not own:
 * channel mapping (lc_chmap.h), rate conversion (lc_resample.h), meters (lc_meter.h).
 *
 * Conventions (every kernel, every architecture):
 * - Interleaved samples; a kernel sees n_samples = frames * channels and does not care
 *   about channels.  Buffers may have any alignment and must not overlap.
 * - Integer -> float is exact for <= 24 bits: x / 2^(bits-1) (u8: (x - 128) / 128;
 *   s24_32: the top 24 bits of the word, the low padding byte is ignored).  s32 -> float
 *   rounds to the nearest float (24-bit mantissa).
 * - Float -> integer: v = x * 2^(bits-1), rounded to nearest (ties to even, under the
 *   default floating-point environment), saturated to [-2^(bits-1), 2^(bits-1) - 1]
 *   (bits = 24 for s24_32, whose container then holds v * 256).
 *   So int -> float -> int is bit-exact for every <= 24-bit type, including both ends.
 *   NaN gives 0; +-Inf saturate.  s24_32 output has a zero low byte.
 * - Clip counting: a float -> integer kernel returns how many input samples were
 *   outside [-1.0, +1.0] (+-Inf included, NaN not).  +1.0 itself maps to the largest
 *   code without counting: it is full scale, not beyond it.  Kernels towards float
 *   return 0.
 * - f32 -> f32 is a copy (LC_CONV_PASSTHROUGH): NaN and values beyond +-1.0 pass.
 */
#ifndef LC_CONV_H
#define LC_CONV_H

#include <stdint.h>

#include "lc_fmt.h"

/* CPU features a kernel needs (the table's cpu column; 0 = plain C). */
#define LC_CONV_CPU_SSE2 (1u << 0)
#define LC_CONV_CPU_AVX2 (1u << 1)

/* Flags lc_conv_init() sets. */
#define LC_CONV_PASSTHROUGH (1u << 0) /* src == dst: the kernel is a plain copy */

/* One signature for every kernel.  Returns the clipped-sample count (see above). */
typedef uint32_t (*lc_conv_func_t)(void *restrict dst, const void *restrict src,
				   uint32_t n_samples);

struct lc_conv {
	enum lc_fmt_sample src;
	enum lc_fmt_sample dst;
	uint32_t channels;
	uint32_t cpu_flags; /* the flags the chosen kernel needs (subset of those offered) */
	uint32_t flags;     /* LC_CONV_* */
	lc_conv_func_t func;
	const char *func_name; /* "lc_conv_s16_to_f32_sse2": for logs and tests */
};

/*
 * CPU features the kernels may use on this machine.  SSE2 is the floor of both Windows
 * targets (x86_64 by definition, i686 is built with -msse2 -mfpmath=sse): a compile-time
 * answer.  AVX2 is asked of the CPU (cpuid and xgetbv through __builtin_cpu_supports,
 * which also checks that the OS saves ymm state: instructions, not OS calls).  Pass the
 * result to lc_conv_init(); pass 0 to force the C reference kernels.  Any thread.
 */
uint32_t
lc_conv_cpu_flags(void);

/*
 * Picks the first kernel in the table for src -> dst whose CPU needs are all in
 * cpu_flags.  One of src, dst must be LC_FMT_F32.
 * @return 0; LC_E_INVALID for channels 0 or > LC_FMT_MAX_CHANNELS or a NULL conv;
 *         LC_E_FORMAT when no kernel converts src to dst.
 */
int
lc_conv_init(struct lc_conv *conv, enum lc_fmt_sample src, enum lc_fmt_sample dst,
	     uint32_t channels, uint32_t cpu_flags);

/*
 * Converts n_frames frames from src to dst; returns the clipped-sample count.
 * n_frames * channels must fit in uint32_t (a WAVEHDR's dwBufferLength bounds it).
 * Reentrant: conv is only read.
 */
static inline uint32_t
lc_conv_process(const struct lc_conv *conv, void *restrict dst, const void *restrict src,
		uint32_t n_frames)
{
	return conv->func(dst, src, n_frames * conv->channels);
}

/* Kernels, named lc_conv_<src>_to_<dst>_<arch>.  Declared for the table and the tests. */
#define LC_CONV_DECLARE(name, arch) \
	uint32_t lc_conv_##name##_##arch(void *restrict dst, const void *restrict src, \
					 uint32_t n_samples)

LC_CONV_DECLARE(u8_to_f32, c);
LC_CONV_DECLARE(s16_to_f32, c);
LC_CONV_DECLARE(s24_to_f32, c);
LC_CONV_DECLARE(s24_32_to_f32, c);
LC_CONV_DECLARE(s32_to_f32, c);
LC_CONV_DECLARE(f32_to_f32, c);
LC_CONV_DECLARE(f32_to_u8, c);
LC_CONV_DECLARE(f32_to_s16, c);
LC_CONV_DECLARE(f32_to_s24, c);
LC_CONV_DECLARE(f32_to_s24_32, c);
LC_CONV_DECLARE(f32_to_s32, c);

#if defined(__SSE2__)
#define LC_CONV_HAVE_SSE2 1
LC_CONV_DECLARE(s16_to_f32, sse2);
LC_CONV_DECLARE(f32_to_s16, sse2);
LC_CONV_DECLARE(s24_32_to_f32, sse2);
LC_CONV_DECLARE(f32_to_s24_32, sse2);
LC_CONV_DECLARE(s32_to_f32, sse2);
LC_CONV_DECLARE(f32_to_s32, sse2);
#endif

/* AVX2 code is compiled per function (target attribute), which gcc and clang support. */
#if defined(LC_CONV_HAVE_SSE2) && (defined(__x86_64__) || defined(__i386__)) && \
	defined(__GNUC__)
#define LC_CONV_HAVE_AVX2 1
LC_CONV_DECLARE(s16_to_f32, avx2);
LC_CONV_DECLARE(f32_to_s16, avx2);
LC_CONV_DECLARE(s24_32_to_f32, avx2);
LC_CONV_DECLARE(f32_to_s24_32, avx2);
LC_CONV_DECLARE(s32_to_f32, avx2);
LC_CONV_DECLARE(f32_to_s32, avx2);
#endif

/* The table, for tests and benchmarks that run every kernel. */
struct lc_conv_kernel {
	enum lc_fmt_sample src;
	enum lc_fmt_sample dst;
	uint32_t cpu_flags;
	lc_conv_func_t func;
	const char *name;
};

/* Row i of the table, or NULL past its end. */
const struct lc_conv_kernel *
lc_conv_kernel_at(uint32_t i);

#endif /* LC_CONV_H */
