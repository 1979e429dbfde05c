/* SPDX-License-Identifier: MIT */
/* test_meter.c — block peaks, release ballistics, counters, hostile level bits. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "lc_meter.h"

static struct lc_shm_meter meter;

static void
setup(void)
{
	memset(&meter, 0xa5, sizeof meter);
	lc_meter_reset(&meter);
}

TestSuite(meter, .init = setup);

static void
set_level_bits(uint32_t ch, uint32_t bits)
{
	atomic_store(&meter.peak[ch], bits);
}

Test(meter, block_peaks_are_per_channel_and_count_overs)
{
	const float block[] = { 0.5f, -0.25f, 0.1f, -1.5f, -0.75f, 0.0f, NAN, 1.0f };
	float peaks[2];
	cr_assert_eq(lc_meter_block_peaks(block, 4, 2, peaks), 1); /* -1.5; 1.0 is not over */
	cr_assert_float_eq(peaks[0], 0.75f, 0);
	cr_assert_float_eq(peaks[1], 1.5f, 0);
}

Test(meter, nan_is_ignored_and_inf_is_over)
{
	const float block[] = { NAN, INFINITY, -INFINITY };
	float pk[3];
	cr_assert_eq(lc_meter_block_peaks(block, 1, 3, pk), 2);
	cr_assert_float_eq(pk[0], 0.0f, 0);
	cr_assert(isinf(pk[1]) && isinf(pk[2]));
}

Test(meter, reset_zeroes_everything)
{
	struct lc_meter_counts c;
	lc_meter_read_counts(&meter, &c);
	cr_assert_eq(c.frames + c.underflows + c.underflow_frames + c.overflows +
			     c.overflow_frames + c.clipped,
		     0);
	for (uint32_t ch = 0; ch < LC_MAX_CHANNELS; ch++)
		cr_assert_eq(lc_meter_level(&meter, ch, 0, 48000), 0.0f);
}

Test(meter, attack_is_instant_and_release_is_20_db_per_second)
{
	const float block[] = { 0.5f, -0.8f, 0.25f, 0.1f };
	lc_meter_update(&meter, block, 2, 2, 48000, 48000);
	cr_assert_float_eq(lc_meter_level(&meter, 0, 48000, 48000), 0.5f, 0);
	cr_assert_float_eq(lc_meter_level(&meter, 1, 48000, 48000), 0.8f, 0);
	/* one second later: -20 dB = x 0.1 */
	cr_assert_float_eq(lc_meter_level(&meter, 0, 96000, 48000), 0.05f, 1e-6);
	cr_assert_float_eq(lc_meter_level(&meter, 1, 96000, 48000), 0.08f, 1e-6);
	/* a quieter block half a second later keeps the decayed, louder level */
	const float quiet[] = { 0.01f, 0.01f };
	lc_meter_update(&meter, quiet, 1, 2, 72000, 48000);
	cr_assert_float_eq(lc_meter_level(&meter, 0, 72000, 48000), 0.5f * powf(10, -0.5f),
			   1e-6);
	/* and decays on from there: total one second */
	cr_assert_float_eq(lc_meter_level(&meter, 0, 96000, 48000), 0.05f, 1e-6);
	/* a louder block replaces it at once */
	const float loud[] = { -0.9f, 0.0f };
	lc_meter_update(&meter, loud, 1, 2, 96000, 48000);
	cr_assert_float_eq(lc_meter_level(&meter, 0, 96000, 48000), 0.9f, 0);
}

Test(meter, update_counts_frames_and_clipped_samples)
{
	const float block[] = { 1.5f, 0.0f, -2.0f, 1.0f, 0.0f, -1.0000001f };
	lc_meter_update(&meter, block, 3, 2, 100, 8000);
	struct lc_meter_counts c;
	lc_meter_read_counts(&meter, &c);
	cr_assert_eq(c.frames, 3);
	cr_assert_eq(c.clipped, 3);
}

Test(meter, counters_accumulate)
{
	lc_meter_count_underflow(&meter, 480);
	lc_meter_count_underflow(&meter, 20);
	lc_meter_count_overflow(&meter, 7);
	lc_meter_add_clipped(&meter, 9);
	lc_meter_add_frames(&meter, 1000);
	struct lc_meter_counts c;
	lc_meter_read_counts(&meter, &c);
	cr_assert_eq(c.underflows, 2);
	cr_assert_eq(c.underflow_frames, 500);
	cr_assert_eq(c.overflows, 1);
	cr_assert_eq(c.overflow_frames, 7);
	cr_assert_eq(c.clipped, 9);
	cr_assert_eq(c.frames, 1000);
}

Test(meter, buffer_size_is_the_latest_and_reset_clears_it)
{
	lc_meter_set_buffer_bytes(&meter, 1920);
	lc_meter_set_buffer_bytes(&meter, 3840);
	struct lc_meter_counts c;
	lc_meter_read_counts(&meter, &c);
	cr_assert_eq(c.buffer_bytes, 3840);
	lc_meter_reset(&meter);
	lc_meter_read_counts(&meter, &c);
	cr_assert_eq(c.buffer_bytes, 0);
}

Test(meter, hostile_level_bits_read_as_silence)
{
	set_level_bits(0, 0x7fc00000u); /* NaN */
	set_level_bits(1, 0xbf800000u); /* -1.0 */
	set_level_bits(2, 0x7f800000u); /* +Inf: a real (if absurd) level */
	cr_assert_eq(lc_meter_level(&meter, 0, 0, 48000), 0.0f);
	cr_assert_eq(lc_meter_level(&meter, 1, 0, 48000), 0.0f);
	cr_assert(isinf(lc_meter_level(&meter, 2, 0, 48000)));
	cr_assert_eq(lc_meter_level(&meter, LC_MAX_CHANNELS, 0, 48000), 0.0f);
	/* the owner's next update replaces NaN with the block's peak */
	const float block[] = { 0.5f };
	lc_meter_update(&meter, block, 1, 1, 10, 48000);
	cr_assert_float_eq(lc_meter_level(&meter, 0, 10, 48000), 0.5f, 0);
}

Test(meter, decay_snaps_to_zero_and_handles_odd_input)
{
	cr_assert_eq(lc_meter_decay(1.0f, 48000 * 11, 48000), 0.0f); /* -220 dB */
	cr_assert_eq(lc_meter_decay(1.0f, 100, 0), 0.0f);
	cr_assert_eq(lc_meter_decay(-1.0f, 0, 48000), 0.0f);
	cr_assert_float_eq(lc_meter_decay(1.0f, 0, 48000), 1.0f, 0);
}
