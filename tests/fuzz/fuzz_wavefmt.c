/* SPDX-License-Identifier: MIT */
/*
 * fuzz_wavefmt.c — libFuzzer target for the WAVEFORMATEX validator (lc_fmt_parse_wfx).
 *
 * The input is the client's bytes, its length the size the driver vouches for.  Beyond
 * "no sanitizer report", it aborts when the validator's answers are inconsistent: a
 * rejection without a reason, an accepted format that lc_fmt_check() refuses or whose
 * fields break the rules, or an EXTENSIBLE image of it that does not parse back to the
 * same struct.  An accepted format then drives what the driver would do with it: a
 * converter and a channel map to stereo, run over the bytes after the header.
 *
 * The first input byte picks a mode: even = the rest is the structure as is; odd = the
 * same, but with nBlockAlign and nAvgBytesPerSec made consistent with the other fields
 * first, so that most inputs get past those checks and the later rules and the
 * conversion paths see fuzzed formats too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lc_chmap.h"
#include "lc_conv.h"
#include "lc_fmt.h"
#include "lc_result.h"

#define MAX_FRAMES 64
#define MAX_INPUT 4096

static struct lc_chmap map;
static float as_float[MAX_FRAMES * LC_FMT_MAX_CHANNELS];
static float stereo[MAX_FRAMES * 2];
static uint8_t back[MAX_FRAMES * LC_FMT_MAX_CHANNELS * 4];
static uint8_t fixed[MAX_INPUT];

static void
check(int cond)
{
	if (!cond)
		abort();
}

static void
exercise(const struct lc_fmt *f, const uint8_t *data, size_t size)
{
	size_t skip = size < LC_WFX_EXTENSIBLE_BYTES ? size : LC_WFX_EXTENSIBLE_BYTES;
	size_t frames = (size - skip) / f->block_align;
	struct lc_conv in, out;

	if (frames > MAX_FRAMES)
		frames = MAX_FRAMES;
	check(lc_conv_init(&in, f->sample, LC_FMT_F32, f->channels, lc_conv_cpu_flags()) == 0);
	check(lc_conv_init(&out, LC_FMT_F32, f->sample, f->channels, lc_conv_cpu_flags()) == 0);
	check(lc_chmap_init(&map, f->channels, f->channel_mask, 2, 0) == 0);
	lc_conv_process(&in, as_float, data + skip, (uint32_t)frames);
	lc_chmap_process(&map, stereo, as_float, (uint32_t)frames);
	check(lc_conv_process(&out, back, as_float, (uint32_t)frames) <= frames * f->channels);
}

/* Consistent nBlockAlign (offset 12) and nAvgBytesPerSec (offset 8), little-endian. */
static void
fix_derived_fields(uint8_t *b, size_t size)
{
	uint32_t channels, rate, bits, align, avg;

	if (size < LC_PCMWAVEFORMAT_BYTES)
		return;
	channels = (uint32_t)b[2] | (uint32_t)b[3] << 8;
	rate = (uint32_t)b[4] | (uint32_t)b[5] << 8 | (uint32_t)b[6] << 16 | (uint32_t)b[7] << 24;
	bits = (uint32_t)b[14] | (uint32_t)b[15] << 8;
	align = (channels * (bits / 8)) & 0xFFFF;
	avg = rate * align;
	b[12] = (uint8_t)align;
	b[13] = (uint8_t)(align >> 8);
	for (int i = 0; i < 4; i++)
		b[8 + i] = (uint8_t)(avg >> (8 * i));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lc_fmt f, g;
	enum lc_fmt_reject why = LC_FMT_N_REJECTS;
	uint8_t image[LC_WFX_EXTENSIBLE_BYTES];
	int r;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		size = size - 1 < MAX_INPUT ? size - 1 : MAX_INPUT;
		memcpy(fixed, data + 1, size);
		fix_derived_fields(fixed, size);
		data = fixed;
	} else {
		data++;
		size--;
	}
	r = lc_fmt_parse_wfx(&f, data, size, &why);

	if (r != 0) {
		check(r == LC_E_FORMAT);
		check(why > LC_FMT_REJECT_NONE && why < LC_FMT_N_REJECTS);
		check(lc_fmt_reject_str(why) != NULL);
		return 0;
	}
	check(why == LC_FMT_REJECT_NONE);
	check(f.sample < LC_FMT_N_SAMPLES);
	check(f.channels >= 1 && f.channels <= LC_FMT_MAX_CHANNELS);
	check(f.rate_hz >= LC_FMT_MIN_RATE_HZ && f.rate_hz <= LC_FMT_MAX_RATE_HZ);
	check(f.block_align == f.channels * lc_fmt_sample_bytes(f.sample));
	check(f.valid_bits >= 1 && f.valid_bits <= 8 * lc_fmt_sample_bytes(f.sample));
	check(lc_fmt_check(&f, NULL) == 0);

	check(lc_fmt_to_wfx_extensible(&f, image, sizeof(image)) == (int)sizeof(image));
	check(lc_fmt_parse_wfx(&g, image, sizeof(image), NULL) == 0);
	check(memcmp(&f, &g, sizeof(f)) == 0);

	exercise(&f, data, size);
	return 0;
}
