/* SPDX-License-Identifier: MIT */
/*
 * lc_chmap.c — channel matrices and their application (contracts in lc_chmap.h).
 *
 * The fold-down table says where a speaker goes when the output lacks it: a list of
 * alternatives, each a set of (target, gain) pairs, the first one whose targets all
 * exist wins.  Gains: 0.7071 = -3 dB (ITU-R BS.775 for centre and surrounds into
 * stereo), 0.5 = the average into mono, products of those for two steps.
 */
#include "lc_chmap.h"

#include <string.h>

#include "lc_result.h"

#define G3 0.70710678f  /* -3 dB */
#define G6 0.5f         /* -6 dB */
#define G9 0.35355339f  /* -9 dB */
#define G12 0.25f       /* -12 dB */

#define MAX_ALTS 5
#define MAX_TARGETS 2

struct fold_target {
	uint8_t pos;
	float gain;
};

struct fold_alt {
	uint8_t n;
	struct fold_target t[MAX_TARGETS];
};

#define ALT1(p, g) { 1, { { LC_CHMAP_##p, g } } }
#define ALT2(p, q, g) { 2, { { LC_CHMAP_##p, g }, { LC_CHMAP_##q, g } } }

/* Indexed by enum lc_chmap_pos.  LFE has no row: it is never folded into full-range
 * speakers (ITU-R BS.775 drops it), only kept by position or by index (rule 4). */
static const struct fold_alt fold_table[LC_CHMAP_N_POS][MAX_ALTS] = {
	[LC_CHMAP_FL] = { ALT1(FC, G6) },
	[LC_CHMAP_FR] = { ALT1(FC, G6) },
	[LC_CHMAP_FC] = { ALT2(FL, FR, G3) },
	[LC_CHMAP_BL] = { ALT1(SL, 1.0f), ALT1(FL, G3), ALT1(FC, G9) },
	[LC_CHMAP_BR] = { ALT1(SR, 1.0f), ALT1(FR, G3), ALT1(FC, G9) },
	[LC_CHMAP_FLC] = { ALT2(FL, FC, G3), ALT1(FL, 1.0f), ALT1(FC, G6) },
	[LC_CHMAP_FRC] = { ALT2(FR, FC, G3), ALT1(FR, 1.0f), ALT1(FC, G6) },
	[LC_CHMAP_BC] = { ALT2(BL, BR, G3), ALT2(SL, SR, G3), ALT2(FL, FR, G6), ALT1(FC, G6) },
	[LC_CHMAP_SL] = { ALT1(BL, 1.0f), ALT1(FL, G3), ALT1(FC, G9) },
	[LC_CHMAP_SR] = { ALT1(BR, 1.0f), ALT1(FR, G3), ALT1(FC, G9) },
	[LC_CHMAP_TC] = { ALT1(FC, G3), ALT2(FL, FR, G6) },
	[LC_CHMAP_TFL] = { ALT1(FL, G3), ALT1(FC, G9) },
	[LC_CHMAP_TFC] = { ALT1(FC, G3), ALT2(FL, FR, G6) },
	[LC_CHMAP_TFR] = { ALT1(FR, G3), ALT1(FC, G9) },
	[LC_CHMAP_TBL] = { ALT1(BL, G3), ALT1(SL, G3), ALT1(FL, G6), ALT1(FC, G12) },
	[LC_CHMAP_TBC] = { ALT1(BC, G3), ALT2(BL, BR, G6), ALT2(SL, SR, G6), ALT2(FL, FR, G9),
			   ALT1(FC, G9) },
	[LC_CHMAP_TBR] = { ALT1(BR, G3), ALT1(SR, G3), ALT1(FR, G6), ALT1(FC, G12) },
};

static const char *const pos_names[LC_CHMAP_N_POS] = {
	"FL", "FR", "FC", "LFE", "BL", "BR", "FLC", "FRC", "BC",
	"SL", "SR", "TC", "TFL", "TFC", "TFR", "TBL", "TBC", "TBR",
};

/* KSAUDIO_SPEAKER_* for 1..8 channels (ksmedia.h); 3 and 5 have no Windows constant. */
static const uint32_t default_masks[9] = {
	0,
	0x4,   /* MONO: FC */
	0x3,   /* STEREO */
	0x7,   /* FL FR FC */
	0x33,  /* QUAD: FL FR BL BR */
	0x37,  /* FL FR FC BL BR */
	0x3F,  /* 5POINT1 */
	0x13F, /* 5.1 + BC */
	0x63F, /* 7POINT1_SURROUND: 5.1 + SL SR */
};

uint32_t
lc_chmap_default_mask(uint32_t channels)
{
	return channels < sizeof(default_masks) / sizeof(default_masks[0]) ? default_masks[channels]
									  : 0;
}

const char *
lc_chmap_pos_name(enum lc_chmap_pos pos)
{
	if ((unsigned)pos < LC_CHMAP_N_POS)
		return pos_names[pos];
	return pos == LC_CHMAP_AUX ? "AUX" : "?";
}

/* Positions of each channel of a layout; mono is FC whatever the mask says. */
static int
fill_positions(uint8_t *pos, uint32_t channels, uint32_t mask)
{
	uint32_t bits = 0, ch = 0;

	if (channels == 0 || channels > LC_FMT_MAX_CHANNELS)
		return LC_E_INVALID;
	if ((mask & ~LC_FMT_MASK_DEFINED) != 0)
		return LC_E_FORMAT;
	if (mask == 0)
		mask = lc_chmap_default_mask(channels);
	for (uint32_t m = mask; m != 0; m &= m - 1)
		bits++;
	if (bits > channels)
		return LC_E_FORMAT;

	for (uint32_t b = 0; b < LC_CHMAP_N_POS; b++)
		if (mask & (1u << b))
			pos[ch++] = (uint8_t)b;
	for (; ch < channels; ch++)
		pos[ch] = LC_CHMAP_AUX;
	if (channels == 1)
		pos[0] = LC_CHMAP_FC;
	return 0;
}

/* Output channel carrying pos, or -1. */
static int
find(const struct lc_chmap *map, uint32_t pos)
{
	for (uint32_t o = 0; o < map->n_out; o++)
		if (map->out_pos[o] == pos)
			return (int)o;
	return -1;
}

static void
route(struct lc_chmap *map, int out, uint32_t in, float gain)
{
	map->matrix[out][in] += gain;
}

/* Rules 2 and 3 of lc_chmap.h; returns whether the channel was placed. */
static int
place_by_position(struct lc_chmap *map, uint32_t in, uint32_t pos)
{
	int out = find(map, pos);

	if (out >= 0) {
		route(map, out, in, 1.0f);
		return 1;
	}
	for (int a = 0; a < MAX_ALTS && fold_table[pos][a].n != 0; a++) {
		const struct fold_alt *alt = &fold_table[pos][a];
		int outs[MAX_TARGETS], ok = 1;

		for (int t = 0; t < alt->n; t++)
			ok &= (outs[t] = find(map, alt->t[t].pos)) >= 0;
		if (!ok)
			continue;
		for (int t = 0; t < alt->n; t++)
			route(map, outs[t], in, alt->t[t].gain);
		return 1;
	}
	return 0;
}

static void
place_mono(struct lc_chmap *map)
{
	int fl = find(map, LC_CHMAP_FL), fr = find(map, LC_CHMAP_FR), fc = find(map, LC_CHMAP_FC);

	if (fl >= 0 && fr >= 0) {
		route(map, fl, 0, 1.0f);
		route(map, fr, 0, 1.0f);
	} else {
		route(map, fc >= 0 ? fc : 0, 0, 1.0f);
	}
}

/* The per-row term lists, and the fast-path flags: COPY when every row is empty or a
 * single 1.0, IDENTITY when moreover row o is input o for every o. */
static void
finish(struct lc_chmap *map)
{
	int identity = map->n_in == map->n_out, copy = 1;

	for (uint32_t o = 0; o < map->n_out; o++) {
		uint8_t n = 0;

		for (uint32_t i = 0; i < map->n_in; i++) {
			if (map->matrix[o][i] == 0.0f)
				continue;
			map->term_in[o][n] = (uint8_t)i;
			map->term_gain[o][n] = map->matrix[o][i];
			n++;
		}
		map->n_terms[o] = n;
		map->copy_from[o] = n == 1 ? (int8_t)map->term_in[o][0] : -1;
		if (n > 1 || (n == 1 && map->term_gain[o][0] != 1.0f))
			copy = 0;
		if (n != 1 || map->term_in[o][0] != o || map->term_gain[o][0] != 1.0f)
			identity = 0;
	}
	map->flags = (copy ? LC_CHMAP_COPY : 0u) | (identity ? LC_CHMAP_IDENTITY : 0u);
}

int
lc_chmap_init(struct lc_chmap *map, uint32_t in_channels, uint32_t in_mask,
	      uint32_t out_channels, uint32_t out_mask)
{
	int r;

	if (map == NULL)
		return LC_E_INVALID;
	memset(map, 0, sizeof(*map));
	r = fill_positions(map->in_pos, in_channels, in_mask);
	if (r == 0)
		r = fill_positions(map->out_pos, out_channels, out_mask);
	if (r != 0)
		return r;
	map->n_in = in_channels;
	map->n_out = out_channels;

	if (in_channels == 1) {
		place_mono(map);
	} else {
		for (uint32_t i = 0; i < in_channels; i++) {
			uint32_t pos = map->in_pos[i];

			if (pos != LC_CHMAP_AUX && place_by_position(map, i, pos))
				continue;
			/* Rule 4: by index. */
			if (i < out_channels &&
			    (pos == LC_CHMAP_AUX || map->out_pos[i] == LC_CHMAP_AUX))
				route(map, (int)i, i, 1.0f);
		}
	}
	finish(map);
	return 0;
}

void
lc_chmap_process(const struct lc_chmap *map, float *restrict dst, const float *restrict src,
		 uint32_t n_frames)
{
	const uint32_t n_in = map->n_in, n_out = map->n_out;

	if (map->flags & LC_CHMAP_IDENTITY) {
		memcpy(dst, src, (size_t)n_frames * n_in * sizeof(float));
		return;
	}
	if (map->flags & LC_CHMAP_COPY) {
		for (uint32_t f = 0; f < n_frames; f++, src += n_in, dst += n_out)
			for (uint32_t o = 0; o < n_out; o++)
				dst[o] = map->copy_from[o] >= 0 ? src[map->copy_from[o]] : 0.0f;
		return;
	}
	for (uint32_t f = 0; f < n_frames; f++, src += n_in, dst += n_out) {
		for (uint32_t o = 0; o < n_out; o++) {
			float sum = 0.0f;

			for (uint32_t t = 0; t < map->n_terms[o]; t++)
				sum += map->term_gain[o][t] * src[map->term_in[o][t]];
			dst[o] = sum;
		}
	}
}
