/* SPDX-License-Identifier: MIT */
/*
 * lc_chmap.h — channel mapping between a client's speaker layout and the cable's.
 *
 * Owns: speaker positions, the default layout for a channel count, the mixing matrix
 * from one layout to another (with IDENTITY / COPY fast paths) and applying it to
 * interleaved float frames.  Does not own: sample conversion (lc_conv.h), format
 * validation (lc_fmt.h: a mask with more bits than channels never gets here).
 *
 * A layout is (channels, dwChannelMask) as in WAVEFORMATEXTENSIBLE: the first
 * popcount(mask) channels carry the mask's speakers in ascending bit order, any further
 * channels have no position ("aux").  Mask 0 means the default layout for the count
 * (lc_chmap_default_mask(); Windows' KSAUDIO_SPEAKER_* choices), all aux beyond 8.
 *
 * How the matrix is built, per input channel (out[o] += gain * in[i]):
 * 1. A single channel is mono, whatever its mask.  A mono input goes at 1.0 to FL and
 *    FR if the output has both (mono -> stereo copies to both), else to FC, else to
 *    output channel 0.  A mono output is treated as FC.
 * 2. A positioned channel the output also has goes there at 1.0.
 * 3. Otherwise the first fold-down rule of its position whose targets all exist
 *    (table in lc_chmap.c), e.g. ITU-R BS.775 for 5.1 -> stereo: FC and the surrounds
 *    at -3 dB (0.7071) into FL/FR; stereo -> mono: 0.5 each (the average).  LFE has no
 *    rule: it is never folded into full-range speakers (so 5.1 -> stereo drops it).
 * 4. Still unplaced: an aux input channel k goes at 1.0 to output channel k if that
 *    exists (with no layout, channel order is the layout); a positioned one goes to
 *    output channel k only if that channel is aux.  So layouts without positions (16
 *    channels, mask 0) map channel k to channel k, and stereo into them fills 0 and 1.
 * Downmix gains are not normalised: a loud 5.1 source can exceed full scale in
 * stereo; lc_conv's saturating output counts it as clipping.
 */
#ifndef LC_CHMAP_H
#define LC_CHMAP_H

#include <stdint.h>

#include "lc_fmt.h"

/* Speaker positions = bit numbers of dwChannelMask (SPEAKER_* in ksmedia.h). */
enum lc_chmap_pos {
	LC_CHMAP_FL = 0,  /* front left */
	LC_CHMAP_FR = 1,  /* front right */
	LC_CHMAP_FC = 2,  /* front center */
	LC_CHMAP_LFE = 3, /* low frequency */
	LC_CHMAP_BL = 4,  /* back left */
	LC_CHMAP_BR = 5,  /* back right */
	LC_CHMAP_FLC = 6, /* front left of center */
	LC_CHMAP_FRC = 7, /* front right of center */
	LC_CHMAP_BC = 8,  /* back center */
	LC_CHMAP_SL = 9,  /* side left */
	LC_CHMAP_SR = 10, /* side right */
	LC_CHMAP_TC = 11, /* top center */
	LC_CHMAP_TFL = 12,
	LC_CHMAP_TFC = 13,
	LC_CHMAP_TFR = 14,
	LC_CHMAP_TBL = 15,
	LC_CHMAP_TBC = 16,
	LC_CHMAP_TBR = 17,
	LC_CHMAP_N_POS,
	LC_CHMAP_AUX = 0xFF /* a channel with no speaker position */
};

#define LC_CHMAP_IDENTITY (1u << 0) /* same layout: dst = src */
#define LC_CHMAP_COPY (1u << 1)     /* every output is one input at 1.0, or silent */

struct lc_chmap {
	uint32_t n_in;
	uint32_t n_out;
	uint32_t flags;                                        /* LC_CHMAP_* */
	uint8_t in_pos[LC_FMT_MAX_CHANNELS];                   /* enum lc_chmap_pos */
	uint8_t out_pos[LC_FMT_MAX_CHANNELS];
	float matrix[LC_FMT_MAX_CHANNELS][LC_FMT_MAX_CHANNELS]; /* [out][in] */
	/* COPY: the input each output copies, or -1 for silence. */
	int8_t copy_from[LC_FMT_MAX_CHANNELS];
	/* General case: the non-zero terms of each output row. */
	uint8_t n_terms[LC_FMT_MAX_CHANNELS];
	uint8_t term_in[LC_FMT_MAX_CHANNELS][LC_FMT_MAX_CHANNELS];
	float term_gain[LC_FMT_MAX_CHANNELS][LC_FMT_MAX_CHANNELS];
};

/* The mask mask-0 stands for: 1 FC; 2 FL FR; 3 FL FR FC; 4 FL FR BL BR; 5 FL FR FC
 * BL BR; 6 5.1 (FL FR FC LFE BL BR); 7 6.1 (5.1 + BC); 8 7.1 (5.1 + SL SR); else 0. */
uint32_t
lc_chmap_default_mask(uint32_t channels);

/* Short name of a position ("FL", "LFE", "AUX"), "?" for anything else. */
const char *
lc_chmap_pos_name(enum lc_chmap_pos pos);

/*
 * Builds the matrix from the input layout (in_channels, in_mask) to the output layout.
 * Masks as in WAVEFORMATEXTENSIBLE; 0 = default layout for the count.
 * @return 0; LC_E_INVALID for a NULL map or a channel count of 0 or > 32;
 *         LC_E_FORMAT for a mask with more bits than channels or reserved bits.
 * Pure (no allocation); *map is about 9 KiB and owned by the caller.
 */
int
lc_chmap_init(struct lc_chmap *map, uint32_t in_channels, uint32_t in_mask,
	      uint32_t out_channels, uint32_t out_mask);

/*
 * dst[f * n_out + o] = sum over i of matrix[o][i] * src[f * n_in + i], for n_frames
 * frames.  dst and src must not overlap (even for IDENTITY).  Reentrant.
 */
void
lc_chmap_process(const struct lc_chmap *map, float *restrict dst, const float *restrict src,
		 uint32_t n_frames);

#endif /* LC_CHMAP_H */
