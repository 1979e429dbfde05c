/* SPDX-License-Identifier: MIT */
/* test_clock.c — the timeline: exact against 128-bit arithmetic, monotonic, invertible,
 * and free of overflow at years of uptime with fast counters. */
#include <criterion/criterion.h>

#include "lc_clock.h"
#include "lc_result.h"

typedef unsigned __int128 u128;

static uint64_t
ref_frame(uint64_t epoch, uint64_t hz, uint64_t now, uint32_t rate)
{
	if (now <= epoch)
		return 0;
	u128 f = (u128)(now - epoch) * rate / hz;
	return f > UINT64_MAX ? UINT64_MAX : (uint64_t)f;
}

/* xorshift64*: deterministic inputs */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

Test(clock, one_second_is_rate_frames)
{
	struct lc_clock c = { 12345, 10000000 };
	cr_assert_eq(lc_clock_frame_at(&c, 12345 + 10000000, 48000), 48000);
	cr_assert_eq(lc_clock_frame_at(&c, 12345 + 5000000, 44100), 22050);
	cr_assert_eq(lc_clock_frame_at(&c, 12345, 48000), 0);
}

Test(clock, before_the_epoch_is_frame_zero)
{
	struct lc_clock c = { 1000000, 10000000 };
	cr_assert_eq(lc_clock_frame_at(&c, 0, 48000), 0);
	cr_assert_eq(lc_clock_frame_at(&c, 999999, 384000), 0);
}

Test(clock, ten_years_at_10mhz_is_exact)
{
	const uint64_t hz = 10000000, year = UINT64_C(31557600);
	struct lc_clock c = { 777, hz };
	for (uint64_t years = 1; years <= 100; years *= 10) {
		uint64_t now = 777 + years * year * hz + 1234567;
		/* years * year * hz * rate would be 1.2e21 at 100 years: beyond 2^64. */
		cr_assert_eq(lc_clock_frame_at(&c, now, 384000), ref_frame(777, hz, now, 384000),
			     "%llu years", (unsigned long long)years);
		cr_assert_eq(lc_clock_frame_at(&c, now, 48000), years * year * 48000 + 5925);
	}
}

Test(clock, matches_128_bit_reference_for_random_inputs)
{
	static const uint64_t hzs[] = { 1, 1000, 3579545, 10000000, 24000000, 1000000000,
					LC_CLOCK_MAX_HZ };
	static const uint32_t rates[] = { 8000, 11025, 44100, 48000, 96000, 192000, 384000 };
	uint64_t s = 0x9E3779B97F4A7C15u;
	for (int i = 0; i < 200000; i++) {
		uint64_t hz = hzs[rnd(&s) % 7];
		uint32_t rate = rates[rnd(&s) % 7];
		uint64_t epoch = rnd(&s) >> (rnd(&s) % 64);
		uint64_t now = rnd(&s) >> (rnd(&s) % 64);
		struct lc_clock c = { epoch, hz };
		cr_assert_eq(lc_clock_frame_at(&c, now, rate), ref_frame(epoch, hz, now, rate),
			     "hz %llu rate %u epoch %llu now %llu", (unsigned long long)hz, rate,
			     (unsigned long long)epoch, (unsigned long long)now);
	}
}

Test(clock, is_monotonic_across_a_second_boundary_and_years_in)
{
	struct lc_clock c = { 5, 10000000 };
	uint64_t base = 5 + UINT64_C(315576000) * 10000000 - 500; /* ~10 years in */
	uint64_t prev = lc_clock_frame_at(&c, base, 44100);
	for (uint64_t t = base + 1; t < base + 2000; t++) {
		uint64_t f = lc_clock_frame_at(&c, t, 44100);
		cr_assert(f == prev || f == prev + 1, "step %llu -> %llu", (unsigned long long)prev,
			  (unsigned long long)f);
		prev = f;
	}
}

Test(clock, ticks_at_is_the_first_tick_of_the_frame)
{
	uint64_t s = 42;
	static const uint32_t rates[] = { 8000, 44100, 48000, 384000 };
	for (int i = 0; i < 100000; i++) {
		struct lc_clock c = { rnd(&s) >> 20, (rnd(&s) % 100000000) + 1 };
		uint32_t rate = rates[i % 4];
		uint64_t frame = rnd(&s) >> 24;
		uint64_t t = lc_clock_ticks_at(&c, frame, rate);
		cr_assert_geq(lc_clock_frame_at(&c, t, rate), frame);
		if (frame > 0)
			cr_assert_lt(lc_clock_frame_at(&c, t - 1, rate), frame,
				     "frame %llu tick %llu", (unsigned long long)frame,
				     (unsigned long long)t);
	}
}

Test(clock, ticks_for_rounds_up)
{
	struct lc_clock c = { 0, 10000000 };
	cr_assert_eq(lc_clock_ticks_for(&c, 48000, 48000), 10000000);
	cr_assert_eq(lc_clock_ticks_for(&c, 1, 48000), 209); /* 208.33 -> 209 */
	cr_assert_eq(lc_clock_ticks_for(&c, 441, 44100), 100000);
}

Test(clock, saturates_instead_of_wrapping)
{
	struct lc_clock c = { 0, 1 }; /* 1 Hz counter: seconds * 384000 overflows */
	cr_assert_eq(lc_clock_frame_at(&c, UINT64_MAX, 384000), UINT64_MAX);
	/* UINT64_MAX = 2305843009213693 * 8000 + 1615: the remainder rounds up one tick */
	cr_assert_eq(lc_clock_ticks_at(&c, UINT64_MAX, 8000), UINT64_C(2305843009213694));
	struct lc_clock fast = { UINT64_MAX - 10, LC_CLOCK_MAX_HZ };
	cr_assert_eq(lc_clock_ticks_at(&fast, 384000, 384000), UINT64_MAX);
}

Test(clock, rejects_bad_parameters)
{
	struct lc_clock zero = { 0, 0 }, huge = { 0, LC_CLOCK_MAX_HZ + 1 }, ok = { 0, 1000 };
	cr_assert_eq(lc_clock_check(&zero), LC_E_INVALID);
	cr_assert_eq(lc_clock_check(&huge), LC_E_INVALID);
	cr_assert_eq(lc_clock_check(NULL), LC_E_INVALID);
	cr_assert_eq(lc_clock_check(&ok), LC_OK);
	cr_assert_eq(lc_clock_frame_at(&zero, 5000, 48000), 0);
	cr_assert_eq(lc_clock_frame_at(&ok, 5000, 0), 0);
	cr_assert_eq(lc_clock_frame_at(&ok, 5000, 384001), 0);
}
