/* SPDX-License-Identifier: MIT */
/*
 * test_chmap.c — channel matrices: defaults, fast-path flags, the usual up/down-mix
 * coefficients, layouts without positions, and process() against the matrix.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lc_chmap.h"
#include "lc_result.h"

#define M3 0.70710678f /* -3 dB */

static struct lc_chmap map; /* ~9 KiB: not on the stack */

static void
init_ok(uint32_t in_ch, uint32_t in_mask, uint32_t out_ch, uint32_t out_mask)
{
	int r = lc_chmap_init(&map, in_ch, in_mask, out_ch, out_mask);

	cr_assert_eq(r, 0, "init %u/%#x -> %u/%#x: %s", in_ch, in_mask, out_ch, out_mask,
		     lc_result_str(r));
}

/* want is n_out rows of n_in gains. */
static void
assert_matrix(const float *want)
{
	for (uint32_t o = 0; o < map.n_out; o++)
		for (uint32_t i = 0; i < map.n_in; i++)
			cr_assert_float_eq(map.matrix[o][i], want[o * map.n_in + i], 1e-6f,
					   "[%u][%u] = %f, want %f", o, i, map.matrix[o][i],
					   want[o * map.n_in + i]);
}

Test(chmap, default_masks_follow_ksaudio_speaker_layouts)
{
	cr_assert_eq(lc_chmap_default_mask(0), 0);
	cr_assert_eq(lc_chmap_default_mask(1), 0x4);
	cr_assert_eq(lc_chmap_default_mask(2), 0x3);
	cr_assert_eq(lc_chmap_default_mask(4), 0x33);
	cr_assert_eq(lc_chmap_default_mask(6), 0x3F);
	cr_assert_eq(lc_chmap_default_mask(8), 0x63F);
	cr_assert_eq(lc_chmap_default_mask(9), 0);
	cr_assert_eq(lc_chmap_default_mask(32), 0);
	cr_assert_str_eq(lc_chmap_pos_name(LC_CHMAP_LFE), "LFE");
	cr_assert_str_eq(lc_chmap_pos_name(LC_CHMAP_AUX), "AUX");
	cr_assert_str_eq(lc_chmap_pos_name(LC_CHMAP_N_POS), "?");
}

Test(chmap, same_layout_is_identity_and_mask_zero_means_default)
{
	init_ok(2, 0, 2, 0x3);
	cr_assert_eq(map.flags, LC_CHMAP_IDENTITY | LC_CHMAP_COPY);
	init_ok(6, 0x3F, 6, 0);
	cr_assert_eq(map.flags, LC_CHMAP_IDENTITY | LC_CHMAP_COPY);
	init_ok(16, 0, 16, 0);
	cr_assert_eq(map.flags, LC_CHMAP_IDENTITY | LC_CHMAP_COPY);
	init_ok(1, 0x1, 1, 0); /* mono is mono, whatever the mask */
	cr_assert_eq(map.flags, LC_CHMAP_IDENTITY | LC_CHMAP_COPY);
}

Test(chmap, mono_to_stereo_copies_to_both)
{
	const float want[] = { 1, 1 };
	const float in[3] = { 0.25f, -1.0f, 0.5f };
	float out[6];

	init_ok(1, 0, 2, 0);
	assert_matrix(want);
	cr_assert_eq(map.flags, LC_CHMAP_COPY);
	lc_chmap_process(&map, out, in, 3);
	for (int f = 0; f < 3; f++) {
		cr_assert(out[2 * f] == in[f]);
		cr_assert(out[2 * f + 1] == in[f]);
	}
}

Test(chmap, stereo_to_mono_averages)
{
	const float want[] = { 0.5f, 0.5f };
	const float in[4] = { 1.0f, 0.0f, 0.25f, 0.75f };
	float out[2];

	init_ok(2, 0, 1, 0);
	assert_matrix(want);
	cr_assert_eq(map.flags, 0);
	lc_chmap_process(&map, out, in, 2);
	cr_assert_float_eq(out[0], 0.5f, 1e-7f);
	cr_assert_float_eq(out[1], 0.5f, 1e-7f);
}

Test(chmap, itu_downmix_5_1_to_stereo)
{
	/* in: FL FR FC LFE BL BR */
	const float want[] = {
		1, 0, M3, 0, M3, 0, /* FL */
		0, 1, M3, 0, 0, M3, /* FR */
	};

	init_ok(6, 0, 2, 0);
	assert_matrix(want);
	init_ok(6, 0x60F, 2, 0); /* 5.1 with side surrounds: FL FR FC LFE SL SR */
	assert_matrix(want);
}

Test(chmap, downmix_7_1_to_5_1_and_5_1_to_mono)
{
	/* 7.1: FL FR FC LFE BL BR SL SR -> 5.1: FL FR FC LFE BL BR */
	const float want71[] = {
		1, 0, 0, 0, 0, 0, 0, 0,
		0, 1, 0, 0, 0, 0, 0, 0,
		0, 0, 1, 0, 0, 0, 0, 0,
		0, 0, 0, 1, 0, 0, 0, 0,
		0, 0, 0, 0, 1, 0, 1, 0,
		0, 0, 0, 0, 0, 1, 0, 1,
	};
	const float want_mono[] = { 0.5f, 0.5f, 1.0f, 0.0f, 0.35355339f, 0.35355339f };

	init_ok(8, 0, 6, 0);
	assert_matrix(want71);
	cr_assert_eq(map.flags, 0);
	init_ok(6, 0, 1, 0);
	assert_matrix(want_mono);
}

Test(chmap, upmix_copies_and_leaves_new_speakers_silent)
{
	const float stereo_to_51[] = { 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 };
	const float mono_to_51[] = { 1, 1, 0, 0, 0, 0 };
	const float in[2] = { 0.25f, -0.5f };
	float out[6];

	init_ok(2, 0, 6, 0);
	assert_matrix(stereo_to_51);
	cr_assert_eq(map.flags, LC_CHMAP_COPY);
	memset(out, 0x7F, sizeof(out));
	lc_chmap_process(&map, out, in, 1);
	cr_assert(out[0] == 0.25f && out[1] == -0.5f);
	for (int o = 2; o < 6; o++)
		cr_assert(out[o] == 0.0f, "channel %d not silent", o);

	init_ok(1, 0, 6, 0);
	assert_matrix(mono_to_51);
	init_ok(6, 0, 8, 0); /* 5.1 -> 7.1: LFE kept, nothing invented */
	cr_assert_eq(map.flags, LC_CHMAP_COPY);
	cr_assert(map.matrix[3][3] == 1.0f);
}

Test(chmap, back_and_side_surrounds_swap_as_a_copy)
{
	/* 5.0 back (FL FR FC BL BR) -> 5.1 side (FL FR FC LFE SL SR): a permutation. */
	const float in[5] = { 1, 2, 3, 4, 5 };
	const float want[6] = { 1, 2, 3, 0, 4, 5 };
	float out[6];

	init_ok(5, 0x37, 6, 0x60F);
	cr_assert_eq(map.flags, LC_CHMAP_COPY);
	lc_chmap_process(&map, out, in, 1);
	for (int c = 0; c < 6; c++)
		cr_assert(out[c] == want[c], "channel %d: %f", c, out[c]);
	/* Same index after the swap: FL FR SL SR (0x603) -> quad FL FR BL BR is a copy
	 * that happens to be the identity. */
	init_ok(4, 0x603, 4, 0x33);
	cr_assert_eq(map.flags, LC_CHMAP_IDENTITY | LC_CHMAP_COPY);
}

Test(chmap, layouts_without_positions_map_by_index)
{
	const float in[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	float out[16];

	init_ok(2, 0, 16, 0); /* stereo into a 16-channel cable */
	cr_assert_eq(map.flags, LC_CHMAP_COPY);
	lc_chmap_process(&map, out, in, 1);
	cr_assert(out[0] == 1 && out[1] == 2);
	for (int o = 2; o < 16; o++)
		cr_assert(out[o] == 0.0f);

	init_ok(10, 0, 2, 0); /* no layout: channel order is the layout */
	cr_assert_eq(map.flags, LC_CHMAP_COPY);
	lc_chmap_process(&map, out, in, 1);
	cr_assert(out[0] == 1 && out[1] == 2);

	init_ok(1, 0, 16, 0); /* mono with no FL/FR/FC to go to: channel 0 */
	cr_assert(map.matrix[0][0] == 1.0f && map.matrix[1][0] == 0.0f);

	init_ok(6, 0, 12, 0); /* 5.1 into 12 aux channels: all six by index, LFE too */
	cr_assert_eq(map.flags, LC_CHMAP_COPY);
	for (uint32_t c = 0; c < 6; c++)
		cr_assert(map.matrix[c][c] == 1.0f, "channel %u", c);

	init_ok(4, 0x3, 4, 0); /* FL FR + two aux -> quad: aux by index */
	cr_assert_eq(map.flags, LC_CHMAP_IDENTITY | LC_CHMAP_COPY);
}

Test(chmap, every_speaker_of_every_default_layout_is_heard_somewhere)
{
	static const uint32_t counts[] = { 1, 2, 3, 4, 5, 6, 7, 8, 12 };
	const size_t n = sizeof(counts) / sizeof(counts[0]);

	for (size_t a = 0; a < n; a++) {
		for (size_t b = 0; b < n; b++) {
			init_ok(counts[a], 0, counts[b], 0);
			for (uint32_t i = 0; i < map.n_in; i++) {
				float sum = 0;

				for (uint32_t o = 0; o < map.n_out; o++)
					sum += map.matrix[o][i];
				if (map.in_pos[i] == LC_CHMAP_LFE ||
				    (map.in_pos[i] == LC_CHMAP_AUX && i >= map.n_out))
					continue;
				cr_assert(sum > 0.0f, "%u -> %u channels: input %u (%s) is lost",
					  counts[a], counts[b], i,
					  lc_chmap_pos_name(map.in_pos[i]));
			}
		}
	}
}

Test(chmap, top_and_center_speakers_fold_down)
{
	/* FL FR TFL TFR -> stereo: tops at -3 dB on their side. */
	init_ok(4, 0x5003, 2, 0);
	cr_assert_float_eq(map.matrix[0][2], M3, 1e-6f);
	cr_assert_float_eq(map.matrix[1][3], M3, 1e-6f);
	cr_assert(map.matrix[0][3] == 0.0f);
	/* FL FR FC BC -> stereo: BC at -6 dB into both. */
	init_ok(4, 0x107, 2, 0);
	cr_assert_float_eq(map.matrix[0][3], 0.5f, 1e-6f);
	cr_assert_float_eq(map.matrix[1][3], 0.5f, 1e-6f);
}

Test(chmap, process_equals_the_matrix_on_odd_frame_counts)
{
	static const uint32_t layouts[][2] = {
		{ 6, 0 }, { 8, 0 }, { 2, 0 }, { 1, 0 }, { 11, 0x3F }, { 3, 0 },
	};
	const size_t n = sizeof(layouts) / sizeof(layouts[0]);
	static float in[253 * 11], out[253 * 11 + 1];
	uint32_t seed = 7;

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		seed = seed * 1103515245u + 12345u;
		in[i] = (float)(int32_t)(seed >> 8 & 0xFFFF) / 32768.0f - 1.0f;
	}
	for (size_t a = 0; a < n; a++) {
		for (size_t b = 0; b < n; b++) {
			init_ok(layouts[a][0], layouts[a][1], layouts[b][0], layouts[b][1]);
			out[253 * map.n_out] = 42.0f;
			lc_chmap_process(&map, out, in, 253);
			for (uint32_t f = 0; f < 253; f++) {
				for (uint32_t o = 0; o < map.n_out; o++) {
					double want = 0;

					const float *frame = in + f * map.n_in;

					for (uint32_t i = 0; i < map.n_in; i++)
						want += (double)map.matrix[o][i] * frame[i];
					cr_assert(fabs(out[f * map.n_out + o] - want) < 1e-5,
						  "frame %u out %u", f, o);
				}
			}
			cr_assert(out[253 * map.n_out] == 42.0f, "wrote past the last frame");
		}
	}
}

Test(chmap, bad_layouts_are_refused)
{
	cr_assert_eq(lc_chmap_init(NULL, 2, 0, 2, 0), LC_E_INVALID);
	cr_assert_eq(lc_chmap_init(&map, 0, 0, 2, 0), LC_E_INVALID);
	cr_assert_eq(lc_chmap_init(&map, 2, 0, 33, 0), LC_E_INVALID);
	cr_assert_eq(lc_chmap_init(&map, 2, 0x7, 2, 0), LC_E_FORMAT);
	cr_assert_eq(lc_chmap_init(&map, 2, 0, 2, 0x80000000u), LC_E_FORMAT);
	cr_assert_eq(lc_chmap_init(&map, 2, 0x40000u, 2, 0), LC_E_FORMAT);
}
