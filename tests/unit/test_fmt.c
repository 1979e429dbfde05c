/* SPDX-License-Identifier: MIT */
/*
 * test_fmt.c — the WAVEFORMATEX validator: every accepted shape, every rejection
 * reason (a table that must cover them all), and the EXTENSIBLE writer's round trip.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "lc_fmt.h"
#include "lc_result.h"

static const uint8_t guid_pcm[16] = LC_KSDATAFORMAT_SUBTYPE_PCM_BYTES;
static const uint8_t guid_float[16] = LC_KSDATAFORMAT_SUBTYPE_IEEE_FLOAT_BYTES;

static void
put16(uint8_t *b, size_t off, uint32_t v)
{
	b[off] = (uint8_t)v;
	b[off + 1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *b, size_t off, uint32_t v)
{
	put16(b, off, v);
	put16(b, off + 2, v >> 16);
}

/* A consistent WAVEFORMATEX (18 bytes used). */
static void
make_wfx(uint8_t *b, uint32_t tag, uint32_t channels, uint32_t rate, uint32_t bits)
{
	uint32_t align = channels * bits / 8;

	memset(b, 0, 64);
	put16(b, 0, tag);
	put16(b, 2, channels);
	put32(b, 4, rate);
	put32(b, 8, rate * align);
	put16(b, 12, align);
	put16(b, 14, bits);
	put16(b, 16, 0);
}

/* A consistent WAVEFORMATEXTENSIBLE (40 bytes used). */
static void
make_ext(uint8_t *b, uint32_t channels, uint32_t rate, uint32_t bits, uint32_t valid,
	 uint32_t mask, int is_float)
{
	make_wfx(b, LC_WAVE_FORMAT_EXTENSIBLE, channels, rate, bits);
	put16(b, 16, 22);
	put16(b, 18, valid);
	put32(b, 20, mask);
	memcpy(b + 24, is_float ? guid_float : guid_pcm, 16);
}

static struct lc_fmt
parse_ok(const uint8_t *b, size_t size)
{
	struct lc_fmt f;
	enum lc_fmt_reject why = LC_FMT_N_REJECTS;
	int r = lc_fmt_parse_wfx(&f, b, size, &why);

	cr_assert_eq(r, 0, "rejected: %s", lc_fmt_reject_str(why));
	cr_assert_eq(why, LC_FMT_REJECT_NONE);
	return f;
}

static void
assert_fmt(struct lc_fmt f, enum lc_fmt_sample sample, uint32_t rate, uint32_t channels,
	   uint32_t mask, uint32_t valid)
{
	cr_assert_eq(f.sample, sample, "sample %s, want %s", lc_fmt_sample_name(f.sample),
		     lc_fmt_sample_name(sample));
	cr_assert_eq(f.rate_hz, rate);
	cr_assert_eq(f.channels, channels);
	cr_assert_eq(f.block_align, channels * lc_fmt_sample_bytes(sample));
	cr_assert_eq(f.channel_mask, mask);
	cr_assert_eq(f.valid_bits, valid);
}

Test(fmt, pcm_and_float_tags_give_every_plain_sample_type)
{
	uint8_t b[64];

	make_wfx(b, LC_WAVE_FORMAT_PCM, 1, 8000, 8);
	assert_fmt(parse_ok(b, 18), LC_FMT_U8, 8000, 1, 0, 8);
	make_wfx(b, LC_WAVE_FORMAT_PCM, 2, 44100, 16);
	assert_fmt(parse_ok(b, 18), LC_FMT_S16, 44100, 2, 0, 16);
	make_wfx(b, LC_WAVE_FORMAT_PCM, 2, 96000, 24);
	assert_fmt(parse_ok(b, 18), LC_FMT_S24, 96000, 2, 0, 24);
	make_wfx(b, LC_WAVE_FORMAT_PCM, 6, 192000, 32);
	assert_fmt(parse_ok(b, 18), LC_FMT_S32, 192000, 6, 0, 32);
	make_wfx(b, LC_WAVE_FORMAT_IEEE_FLOAT, 2, 384000, 32);
	assert_fmt(parse_ok(b, 18), LC_FMT_F32, 384000, 2, 0, 32);
}

Test(fmt, pcmwaveformat_without_cbsize_is_enough_for_pcm)
{
	uint8_t b[64];

	make_wfx(b, LC_WAVE_FORMAT_PCM, 2, 48000, 16);
	put16(b, 16, 0xBEEF); /* would be cbSize: PCM ignores it, and 16 bytes hide it */
	assert_fmt(parse_ok(b, 16), LC_FMT_S16, 48000, 2, 0, 16);
	assert_fmt(parse_ok(b, 18), LC_FMT_S16, 48000, 2, 0, 16);
	make_wfx(b, LC_WAVE_FORMAT_IEEE_FLOAT, 1, 48000, 32);
	assert_fmt(parse_ok(b, 16), LC_FMT_F32, 48000, 1, 0, 32);
}

Test(fmt, extensible_subformats_valid_bits_and_masks)
{
	uint8_t b[64];

	make_ext(b, 2, 48000, 16, 16, 0x3, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_S16, 48000, 2, 0x3, 16);
	make_ext(b, 6, 48000, 24, 20, 0x3F, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_S24, 48000, 6, 0x3F, 20);
	make_ext(b, 2, 48000, 32, 24, 0x3, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_S24_32, 48000, 2, 0x3, 24);
	make_ext(b, 2, 48000, 32, 20, 0x3, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_S24_32, 48000, 2, 0x3, 20);
	make_ext(b, 2, 48000, 32, 32, 0x3, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_S32, 48000, 2, 0x3, 32);
	make_ext(b, 2, 48000, 32, 25, 0x3, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_S32, 48000, 2, 0x3, 25);
	make_ext(b, 8, 48000, 32, 32, 0x63F, 1);
	assert_fmt(parse_ok(b, 40), LC_FMT_F32, 48000, 8, 0x63F, 32);
	make_ext(b, 1, 8000, 8, 8, 0x4, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_U8, 8000, 1, 0x4, 8);
}

Test(fmt, extensible_valid_bits_zero_means_container)
{
	uint8_t b[64];

	make_ext(b, 2, 48000, 24, 0, 0x3, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_S24, 48000, 2, 0x3, 24);
	make_ext(b, 2, 48000, 32, 0, 0x3, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_S32, 48000, 2, 0x3, 32);
	make_ext(b, 2, 48000, 32, 0, 0x3, 1);
	assert_fmt(parse_ok(b, 40), LC_FMT_F32, 48000, 2, 0x3, 32);
}

Test(fmt, extensible_mask_zero_and_fewer_bits_than_channels_are_accepted)
{
	uint8_t b[64];

	make_ext(b, 2, 48000, 16, 16, 0, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_S16, 48000, 2, 0, 16);
	make_ext(b, 32, 48000, 16, 16, 0, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_S16, 48000, 32, 0, 16);
	make_ext(b, 4, 48000, 16, 16, 0x3, 0); /* two positioned + two aux channels */
	assert_fmt(parse_ok(b, 40), LC_FMT_S16, 48000, 4, 0x3, 16);
	make_ext(b, 18, 48000, 16, 16, LC_FMT_MASK_DEFINED, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_S16, 48000, 18, LC_FMT_MASK_DEFINED, 16);
}

Test(fmt, avg_bytes_zero_is_derived_for_every_tag)
{
	uint8_t b[64];

	/* Old programs leave nAvgBytesPerSec 0; WAVEFORMATEX only says it "should" be
	 * rate x block align, and Windows opens such formats. */
	make_wfx(b, LC_WAVE_FORMAT_PCM, 2, 44100, 16);
	put32(b, 8, 0);
	assert_fmt(parse_ok(b, 16), LC_FMT_S16, 44100, 2, 0, 16);
	assert_fmt(parse_ok(b, 18), LC_FMT_S16, 44100, 2, 0, 16);
	make_wfx(b, LC_WAVE_FORMAT_PCM, 1, 8000, 8);
	put32(b, 8, 0);
	assert_fmt(parse_ok(b, 18), LC_FMT_U8, 8000, 1, 0, 8);
	make_wfx(b, LC_WAVE_FORMAT_IEEE_FLOAT, 2, 48000, 32);
	put32(b, 8, 0);
	assert_fmt(parse_ok(b, 18), LC_FMT_F32, 48000, 2, 0, 32);
	make_ext(b, 6, 48000, 24, 24, 0x3F, 0);
	put32(b, 8, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_S24, 48000, 6, 0x3F, 24);
}

Test(fmt, extensible_speaker_all_is_an_unspecified_layout)
{
	uint8_t b[64];

	/* SPEAKER_ALL: "any speaker layout", i.e. none in particular, as mask 0. */
	make_ext(b, 2, 48000, 16, 16, 0x80000000u, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_S16, 48000, 2, 0, 16);
	make_ext(b, 1, 48000, 16, 16, 0x80000000u, 0);
	assert_fmt(parse_ok(b, 40), LC_FMT_S16, 48000, 1, 0, 16);
	make_ext(b, 32, 96000, 32, 32, 0x80000000u, 1);
	assert_fmt(parse_ok(b, 40), LC_FMT_F32, 96000, 32, 0, 32);
}

Test(fmt, extensible_cbsize_above_22_and_trailing_bytes_are_ignored)
{
	uint8_t b[64];

	make_ext(b, 2, 48000, 16, 16, 0x3, 0);
	put16(b, 16, 30);
	memset(b + 40, 0xA5, 24);
	assert_fmt(parse_ok(b, 64), LC_FMT_S16, 48000, 2, 0x3, 16);
	make_wfx(b, LC_WAVE_FORMAT_PCM, 2, 48000, 16);
	memset(b + 18, 0xA5, 46);
	assert_fmt(parse_ok(b, 64), LC_FMT_S16, 48000, 2, 0, 16);
}

Test(fmt, rate_and_channel_limits_are_inclusive)
{
	uint8_t b[64];

	make_wfx(b, LC_WAVE_FORMAT_PCM, 1, LC_FMT_MIN_RATE_HZ, 16);
	parse_ok(b, 18);
	make_wfx(b, LC_WAVE_FORMAT_PCM, 1, LC_FMT_MAX_RATE_HZ, 16);
	parse_ok(b, 18);
	make_ext(b, LC_FMT_MAX_CHANNELS, 384000, 32, 32, 0, 1);
	assert_fmt(parse_ok(b, 40), LC_FMT_F32, 384000, 32, 0, 32);
}

/* --- rejections ------------------------------------------------------------------------ */

struct reject_case {
	const char *what;
	enum lc_fmt_reject want;
	void (*make)(uint8_t *b, size_t *size);
};

#define CASE(name, body) \
	static void make_##name(uint8_t *b, size_t *size) \
	{ \
		(void)size; \
		body; \
	}
#define ROW(name, want) { #name, want, make_##name }

CASE(short15, { make_wfx(b, 1, 2, 48000, 16); *size = 15; })
CASE(ext_17, { make_ext(b, 2, 48000, 16, 16, 3, 0); *size = 17; })
CASE(ext_39, { make_ext(b, 2, 48000, 16, 16, 3, 0); *size = 39; })
CASE(tag_adpcm, { make_wfx(b, 0x0002, 2, 48000, 16); })
CASE(tag_zero, { make_wfx(b, 0x0000, 2, 48000, 16); })
CASE(ext_cb_21, { make_ext(b, 2, 48000, 16, 16, 3, 0); put16(b, 16, 21); })
CASE(ext_cb_0, { make_ext(b, 2, 48000, 16, 16, 3, 0); put16(b, 16, 0); })
CASE(sub_alaw, { make_ext(b, 2, 48000, 16, 16, 3, 0); b[24] = 0x06; })
CASE(sub_tail, { make_ext(b, 2, 48000, 16, 16, 3, 0); b[39] ^= 1; })
CASE(channels_0, { make_wfx(b, 1, 1, 48000, 16); put16(b, 2, 0); })
CASE(channels_33, { make_ext(b, 33, 48000, 16, 16, 0, 0); })
CASE(rate_7999, { make_wfx(b, 1, 2, 7999, 16); })
CASE(rate_384001, { make_wfx(b, 1, 2, 384001, 16); })
CASE(rate_0, { make_wfx(b, 1, 2, 0, 16); })
CASE(bits_0, { make_wfx(b, 1, 2, 48000, 16); put16(b, 14, 0); })
CASE(bits_12, { make_wfx(b, 1, 2, 48000, 16); put16(b, 14, 12); })
CASE(bits_40, { make_wfx(b, 1, 1, 48000, 40); })
CASE(bits_64, { make_ext(b, 1, 48000, 64, 64, 0, 0); })
CASE(float_8, { make_wfx(b, 3, 2, 48000, 8); })
CASE(float_16, { make_ext(b, 2, 48000, 16, 16, 3, 1); })
CASE(float_64, { make_wfx(b, 3, 2, 48000, 64); })
CASE(valid_25_of_24, { make_ext(b, 2, 48000, 24, 25, 3, 0); })
CASE(valid_17_of_16, { make_ext(b, 2, 48000, 16, 17, 3, 0); })
CASE(valid_33_of_32, { make_ext(b, 2, 48000, 32, 33, 3, 0); })
CASE(float_valid_24, { make_ext(b, 2, 48000, 32, 24, 3, 1); })
CASE(align_low, { make_wfx(b, 1, 2, 48000, 16); put16(b, 12, 2); put32(b, 8, 96000); })
CASE(align_high, { make_ext(b, 2, 48000, 24, 24, 3, 0); put16(b, 12, 8); put32(b, 8, 384000); })
CASE(avg_off_by_one, { make_wfx(b, 1, 2, 48000, 16); put32(b, 8, 192001); })
CASE(avg_double, { make_wfx(b, 3, 2, 48000, 32); put32(b, 8, 2 * 384000); })
CASE(avg_one, { make_wfx(b, 1, 2, 48000, 16); put32(b, 8, 1); })
CASE(mask_3_bits_2_ch, { make_ext(b, 2, 48000, 16, 16, 0x7, 0); })
CASE(mask_7_1_in_6_ch, { make_ext(b, 6, 48000, 16, 16, 0x63F, 0); })
CASE(mask_all_and_fl, { make_ext(b, 2, 48000, 16, 16, 0x80000001u, 0); })
CASE(mask_reserved, { make_ext(b, 2, 48000, 16, 16, 0x40000000u, 0); })
CASE(mask_bit_18, { make_ext(b, 2, 48000, 16, 16, 0x40001u, 0); })

static const struct reject_case reject_cases[] = {
	ROW(short15, LC_FMT_REJECT_TRUNCATED),
	ROW(ext_17, LC_FMT_REJECT_TRUNCATED),
	ROW(ext_39, LC_FMT_REJECT_TRUNCATED),
	ROW(tag_adpcm, LC_FMT_REJECT_TAG),
	ROW(tag_zero, LC_FMT_REJECT_TAG),
	ROW(ext_cb_21, LC_FMT_REJECT_EXT_CB_SIZE),
	ROW(ext_cb_0, LC_FMT_REJECT_EXT_CB_SIZE),
	ROW(sub_alaw, LC_FMT_REJECT_SUBFORMAT),
	ROW(sub_tail, LC_FMT_REJECT_SUBFORMAT),
	ROW(channels_0, LC_FMT_REJECT_CHANNELS),
	ROW(channels_33, LC_FMT_REJECT_CHANNELS),
	ROW(rate_7999, LC_FMT_REJECT_RATE),
	ROW(rate_384001, LC_FMT_REJECT_RATE),
	ROW(rate_0, LC_FMT_REJECT_RATE),
	ROW(bits_0, LC_FMT_REJECT_INT_BITS),
	ROW(bits_12, LC_FMT_REJECT_INT_BITS),
	ROW(bits_40, LC_FMT_REJECT_INT_BITS),
	ROW(bits_64, LC_FMT_REJECT_INT_BITS),
	ROW(float_8, LC_FMT_REJECT_FLOAT_BITS),
	ROW(float_16, LC_FMT_REJECT_FLOAT_BITS),
	ROW(float_64, LC_FMT_REJECT_FLOAT_BITS),
	ROW(valid_25_of_24, LC_FMT_REJECT_VALID_BITS),
	ROW(valid_17_of_16, LC_FMT_REJECT_VALID_BITS),
	ROW(valid_33_of_32, LC_FMT_REJECT_VALID_BITS),
	ROW(float_valid_24, LC_FMT_REJECT_FLOAT_VALID_BITS),
	ROW(align_low, LC_FMT_REJECT_BLOCK_ALIGN),
	ROW(align_high, LC_FMT_REJECT_BLOCK_ALIGN),
	ROW(avg_off_by_one, LC_FMT_REJECT_AVG_BYTES),
	ROW(avg_double, LC_FMT_REJECT_AVG_BYTES),
	ROW(avg_one, LC_FMT_REJECT_AVG_BYTES),
	ROW(mask_3_bits_2_ch, LC_FMT_REJECT_MASK_BITS),
	ROW(mask_7_1_in_6_ch, LC_FMT_REJECT_MASK_BITS),
	ROW(mask_all_and_fl, LC_FMT_REJECT_MASK_RESERVED),
	ROW(mask_reserved, LC_FMT_REJECT_MASK_RESERVED),
	ROW(mask_bit_18, LC_FMT_REJECT_MASK_RESERVED),
};

Test(fmt, every_rejection_reason_is_reported_for_its_cause)
{
	const size_t n = sizeof(reject_cases) / sizeof(reject_cases[0]);
	int seen[LC_FMT_N_REJECTS] = { 0 };

	for (size_t i = 0; i < n; i++) {
		uint8_t b[64];
		size_t size = sizeof(b);
		struct lc_fmt f;
		enum lc_fmt_reject why = LC_FMT_REJECT_NONE;

		memset(&f, 0x5A, sizeof(f));
		reject_cases[i].make(b, &size);
		cr_assert_eq(lc_fmt_parse_wfx(&f, b, size, &why), LC_E_FORMAT, "%s accepted",
			     reject_cases[i].what);
		cr_assert_eq(why, reject_cases[i].want, "%s: got \"%s\", want \"%s\"",
			     reject_cases[i].what, lc_fmt_reject_str(why),
			     lc_fmt_reject_str(reject_cases[i].want));
		cr_assert_eq(f.rate_hz, 0x5A5A5A5Au, "%s: fmt written on failure",
			     reject_cases[i].what);
		cr_assert_eq(lc_fmt_parse_wfx(&f, b, size, NULL), LC_E_FORMAT);
		seen[why] = 1;
	}
	/* SAMPLE only comes from lc_fmt_check(), tested below; NONE is success. */
	for (int r = LC_FMT_REJECT_TRUNCATED; r < LC_FMT_N_REJECTS; r++)
		if (r != LC_FMT_REJECT_SAMPLE)
			cr_assert(seen[r], "no case for %s", lc_fmt_reject_str(r));
}

Test(fmt, null_arguments_are_invalid_not_format_errors)
{
	uint8_t b[64];
	struct lc_fmt f;
	enum lc_fmt_reject why = LC_FMT_REJECT_TAG;

	make_wfx(b, LC_WAVE_FORMAT_PCM, 2, 48000, 16);
	cr_assert_eq(lc_fmt_parse_wfx(NULL, b, 18, &why), LC_E_INVALID);
	cr_assert_eq(why, LC_FMT_REJECT_NONE);
	cr_assert_eq(lc_fmt_parse_wfx(&f, NULL, 18, NULL), LC_E_INVALID);
	cr_assert_eq(lc_fmt_check(NULL, NULL), LC_E_INVALID);
	cr_assert_eq(lc_fmt_to_wfx_extensible(NULL, b, sizeof(b)), LC_E_INVALID);
}

Test(fmt, reason_and_sample_names_are_distinct_and_never_null)
{
	for (int i = 0; i < LC_FMT_N_REJECTS; i++) {
		cr_assert_not_null(lc_fmt_reject_str(i));
		for (int j = 0; j < i; j++)
			cr_assert_str_neq(lc_fmt_reject_str(i), lc_fmt_reject_str(j));
	}
	cr_assert_str_eq(lc_fmt_reject_str(LC_FMT_N_REJECTS),
			 "unknown: not an lc_fmt_reject value");
	cr_assert_str_eq(lc_fmt_sample_name(LC_FMT_S24_32), "s24_32");
	cr_assert_str_eq(lc_fmt_sample_name(LC_FMT_N_SAMPLES), "invalid");
	cr_assert_eq(lc_fmt_sample_bytes(LC_FMT_S24), 3);
	cr_assert_eq(lc_fmt_sample_bytes(LC_FMT_N_SAMPLES), 0);
}

/* --- lc_fmt_init / lc_fmt_check / the writer --------------------------------------------- */

Test(fmt, init_derives_fields_and_check_applies_the_same_rules)
{
	struct lc_fmt f;
	enum lc_fmt_reject why;

	cr_assert_eq(lc_fmt_init(&f, LC_FMT_S24_32, 48000, 2, 0x3, &why), 0);
	assert_fmt(f, LC_FMT_S24_32, 48000, 2, 0x3, 24);
	cr_assert_eq(lc_fmt_init(&f, LC_FMT_S16, 48000, 0, 0, &why), LC_E_FORMAT);
	cr_assert_eq(why, LC_FMT_REJECT_CHANNELS);
	cr_assert_eq(lc_fmt_init(&f, LC_FMT_S16, 400000, 2, 0, &why), LC_E_FORMAT);
	cr_assert_eq(why, LC_FMT_REJECT_RATE);
	cr_assert_eq(lc_fmt_init(&f, LC_FMT_N_SAMPLES, 48000, 2, 0, &why), LC_E_FORMAT);
	cr_assert_eq(why, LC_FMT_REJECT_SAMPLE);
	cr_assert_eq(lc_fmt_init(&f, LC_FMT_S16, 48000, 1, 0x3, &why), LC_E_FORMAT);
	cr_assert_eq(why, LC_FMT_REJECT_MASK_BITS);

	cr_assert_eq(lc_fmt_init(&f, LC_FMT_S32, 48000, 2, 0, NULL), 0);
	f.valid_bits = 24; /* that would be S24_32 */
	cr_assert_eq(lc_fmt_check(&f, &why), LC_E_FORMAT);
	cr_assert_eq(why, LC_FMT_REJECT_VALID_BITS);
	f.valid_bits = 0;
	cr_assert_eq(lc_fmt_check(&f, &why), LC_E_FORMAT);
	cr_assert_eq(why, LC_FMT_REJECT_VALID_BITS);
	cr_assert_eq(lc_fmt_init(&f, LC_FMT_F32, 48000, 2, 0, NULL), 0);
	f.valid_bits = 24;
	cr_assert_eq(lc_fmt_check(&f, &why), LC_E_FORMAT);
	cr_assert_eq(why, LC_FMT_REJECT_FLOAT_VALID_BITS);
	cr_assert_eq(lc_fmt_init(&f, LC_FMT_S16, 48000, 2, 0, NULL), 0);
	f.block_align = 3;
	cr_assert_eq(lc_fmt_check(&f, &why), LC_E_FORMAT);
	cr_assert_eq(why, LC_FMT_REJECT_BLOCK_ALIGN);
}

Test(fmt, extensible_image_round_trips_for_every_sample_type)
{
	static const uint32_t channels[] = { 1, 2, 6, 8, 32 };

	for (int s = 0; s < LC_FMT_N_SAMPLES; s++) {
		for (size_t c = 0; c < sizeof(channels) / sizeof(channels[0]); c++) {
			struct lc_fmt f, g;
			uint8_t b[LC_WFX_EXTENSIBLE_BYTES];
			uint32_t mask = channels[c] == 6 ? 0x3F : 0;

			cr_assert_eq(lc_fmt_init(&f, s, 44100, channels[c], mask, NULL), 0);
			cr_assert_eq(lc_fmt_to_wfx_extensible(&f, b, sizeof(b)),
				     (int)LC_WFX_EXTENSIBLE_BYTES);
			g = parse_ok(b, sizeof(b));
			cr_assert(memcmp(&f, &g, sizeof(f)) == 0, "%s x %u differs",
				  lc_fmt_sample_name(s), channels[c]);
		}
	}
}

Test(fmt, extensible_image_has_the_documented_bytes)
{
	struct lc_fmt f;
	uint8_t b[LC_WFX_EXTENSIBLE_BYTES + 1];
	static const uint8_t want[40] = {
		0xFE, 0xFF, 0x02, 0x00, 0x80, 0xBB, 0x00, 0x00, /* tag, 2 ch, 48000 Hz */
		0x00, 0xDC, 0x05, 0x00, 0x08, 0x00, 0x20, 0x00, /* 384000 B/s, align 8, 32 bit */
		0x16, 0x00, 0x18, 0x00, 0x03, 0x00, 0x00, 0x00, /* cbSize 22, 24 valid, FL|FR */
		0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, /* KSDATAFORMAT_SUBTYPE_PCM */
		0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
	};

	cr_assert_eq(lc_fmt_init(&f, LC_FMT_S24_32, 48000, 2, 0x3, NULL), 0);
	memset(b, 0xEE, sizeof(b));
	cr_assert_eq(lc_fmt_to_wfx_extensible(&f, b, sizeof(b)), 40);
	cr_assert(memcmp(b, want, 40) == 0);
	cr_assert_eq(b[40], 0xEE, "wrote past the structure");
	cr_assert_eq(lc_fmt_to_wfx_extensible(&f, b, 39), LC_E_TOO_SMALL);
	f.rate_hz = 1;
	cr_assert_eq(lc_fmt_to_wfx_extensible(&f, b, sizeof(b)), LC_E_FORMAT);
}
