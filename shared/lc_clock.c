/* SPDX-License-Identifier: MIT */
/*
 * lc_clock.c — timeline arithmetic (see lc_clock.h for the overflow argument).
 */
#include "lc_clock.h"

#include "lc_result.h"
#include "lc_shm_layout.h"

int
lc_clock_check(const struct lc_clock *clock)
{
	if (!clock || clock->tick_hz == 0 || clock->tick_hz > LC_CLOCK_MAX_HZ)
		return LC_E_INVALID;
	return LC_OK;
}

static int
args_ok(const struct lc_clock *clock, uint32_t rate_hz)
{
	return lc_clock_check(clock) == LC_OK && rate_hz != 0 && rate_hz <= LC_RATE_MAX_HZ;
}

/* a * b + c, or UINT64_MAX when it does not fit. */
static uint64_t
mul_add_sat(uint64_t a, uint64_t b, uint64_t c)
{
	if (b != 0 && a > (UINT64_MAX - c) / b)
		return UINT64_MAX;
	return a * b + c;
}

uint64_t
lc_clock_frame_at(const struct lc_clock *clock, uint64_t now_ticks, uint32_t rate_hz)
{
	if (!args_ok(clock, rate_hz) || now_ticks <= clock->epoch_ticks)
		return 0;
	uint64_t elapsed = now_ticks - clock->epoch_ticks;
	uint64_t secs = elapsed / clock->tick_hz;
	uint64_t rem = elapsed % clock->tick_hz;
	/* rem < tick_hz <= 1e12 and rate_hz <= 384000: rem * rate_hz < 2^59. */
	return mul_add_sat(secs, rate_hz, rem * rate_hz / clock->tick_hz);
}

uint64_t
lc_clock_ticks_for(const struct lc_clock *clock, uint64_t n_frames, uint32_t rate_hz)
{
	if (!args_ok(clock, rate_hz))
		return 0;
	uint64_t secs = n_frames / rate_hz;
	uint64_t rem = n_frames % rate_hz;
	/* rem < 384000 and tick_hz <= 1e12: the product stays below 2^59.  Rounded up so
	 * that frame_at(epoch + ticks_for(f)) >= f. */
	uint64_t rem_ticks = (rem * clock->tick_hz + rate_hz - 1) / rate_hz;
	return mul_add_sat(secs, clock->tick_hz, rem_ticks);
}

uint64_t
lc_clock_ticks_at(const struct lc_clock *clock, uint64_t frame, uint32_t rate_hz)
{
	if (!args_ok(clock, rate_hz))
		return 0;
	uint64_t ticks = lc_clock_ticks_for(clock, frame, rate_hz);
	if (ticks > UINT64_MAX - clock->epoch_ticks)
		return UINT64_MAX;
	return clock->epoch_ticks + ticks;
}
