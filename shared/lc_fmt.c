/* SPDX-License-Identifier: MIT */
/*
 * lc_fmt.c — WAVEFORMATEX(TENSIBLE) validator and writer (contracts in lc_fmt.h).
 *
 * The parse reads the raw fields into a struct wfx_fields, then one function applies
 * the rules in a fixed order, so that a format breaking several rules always gets the
 * same, first, reason: structure size and tag, then channels and rate, then the sample
 * type, then the derived fields (block align, bytes per second), then the speaker mask.
 */
#include "lc_fmt.h"

#include <stdbool.h>
#include <string.h>

#include "lc_result.h"

static const uint8_t subtype_pcm[16] = LC_KSDATAFORMAT_SUBTYPE_PCM_BYTES;
static const uint8_t subtype_float[16] = LC_KSDATAFORMAT_SUBTYPE_IEEE_FLOAT_BYTES;

/* Indexed by enum lc_fmt_reject; "indices must match" is checked by the static assert. */
static const char *const reject_names[] = {
	[LC_FMT_REJECT_NONE] = "none: format accepted",
	[LC_FMT_REJECT_TRUNCATED] = "truncated: fewer bytes than the structure needs",
	[LC_FMT_REJECT_TAG] = "tag: wFormatTag is not PCM, IEEE_FLOAT or EXTENSIBLE",
	[LC_FMT_REJECT_EXT_CB_SIZE] = "ext_cb_size: EXTENSIBLE with cbSize < 22",
	[LC_FMT_REJECT_SUBFORMAT] = "subformat: SubFormat is neither PCM nor IEEE_FLOAT",
	[LC_FMT_REJECT_CHANNELS] = "channels: nChannels is 0 or more than 32",
	[LC_FMT_REJECT_RATE] = "rate: nSamplesPerSec is outside 8000..384000",
	[LC_FMT_REJECT_INT_BITS] = "int_bits: integer container is not 8, 16, 24 or 32 bits",
	[LC_FMT_REJECT_FLOAT_BITS] = "float_bits: float container is not 32 bits",
	[LC_FMT_REJECT_VALID_BITS] = "valid_bits: wValidBitsPerSample exceeds the container",
	[LC_FMT_REJECT_FLOAT_VALID_BITS] = "float_valid_bits: float with wValidBitsPerSample != 32",
	[LC_FMT_REJECT_BLOCK_ALIGN] = "block_align: nBlockAlign != nChannels * container bytes",
	[LC_FMT_REJECT_AVG_BYTES] =
		"avg_bytes: nAvgBytesPerSec is neither 0 nor nSamplesPerSec * nBlockAlign",
	[LC_FMT_REJECT_MASK_BITS] = "mask_bits: dwChannelMask has more bits set than channels",
	[LC_FMT_REJECT_MASK_RESERVED] = "mask_reserved: dwChannelMask uses reserved speaker bits",
	[LC_FMT_REJECT_SAMPLE] = "sample: sample type out of range",
};
_Static_assert(sizeof(reject_names) / sizeof(reject_names[0]) == LC_FMT_N_REJECTS,
	       "reject_names must name every enum lc_fmt_reject value");

static const struct {
	const char *name;
	uint32_t bytes;
} sample_info[] = {
	[LC_FMT_U8] = { "u8", 1 },         [LC_FMT_S16] = { "s16", 2 },
	[LC_FMT_S24] = { "s24", 3 },       [LC_FMT_S24_32] = { "s24_32", 4 },
	[LC_FMT_S32] = { "s32", 4 },       [LC_FMT_F32] = { "f32", 4 },
};
_Static_assert(sizeof(sample_info) / sizeof(sample_info[0]) == LC_FMT_N_SAMPLES,
	       "sample_info must describe every enum lc_fmt_sample value");

/* The fields as the client wrote them, before any rule is applied. */
struct wfx_fields {
	uint32_t tag;
	uint32_t channels;
	uint32_t rate_hz;
	uint32_t avg_bytes;
	uint32_t block_align;
	uint32_t container_bits;
	uint32_t valid_bits; /* 0 = same as the container */
	uint32_t channel_mask;
	bool is_float;
};

const char *
lc_fmt_reject_str(enum lc_fmt_reject reason)
{
	if ((unsigned)reason >= LC_FMT_N_REJECTS)
		return "unknown: not an lc_fmt_reject value";
	return reject_names[reason];
}

const char *
lc_fmt_sample_name(enum lc_fmt_sample sample)
{
	return (unsigned)sample < LC_FMT_N_SAMPLES ? sample_info[sample].name : "invalid";
}

uint32_t
lc_fmt_sample_bytes(enum lc_fmt_sample sample)
{
	return (unsigned)sample < LC_FMT_N_SAMPLES ? sample_info[sample].bytes : 0;
}

static uint32_t
get_le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t
get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
put_le16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

static uint32_t
popcount32(uint32_t v)
{
	uint32_t n = 0;

	for (; v != 0; v &= v - 1)
		n++;
	return n;
}

/* Structure-level rules: size, tag, cbSize, sub-format.  Fills *f. */
static enum lc_fmt_reject
read_fields(struct wfx_fields *f, const uint8_t *b, size_t size)
{
	if (size < LC_PCMWAVEFORMAT_BYTES)
		return LC_FMT_REJECT_TRUNCATED;

	memset(f, 0, sizeof(*f));
	f->tag = get_le16(b + 0);
	f->channels = get_le16(b + 2);
	f->rate_hz = get_le32(b + 4);
	f->avg_bytes = get_le32(b + 8);
	f->block_align = get_le16(b + 12);
	f->container_bits = get_le16(b + 14);

	switch (f->tag) {
	case LC_WAVE_FORMAT_PCM:
		return LC_FMT_REJECT_NONE;
	case LC_WAVE_FORMAT_IEEE_FLOAT:
		f->is_float = true;
		return LC_FMT_REJECT_NONE;
	case LC_WAVE_FORMAT_EXTENSIBLE:
		break;
	default:
		return LC_FMT_REJECT_TAG;
	}

	if (size < LC_WFX_BYTES)
		return LC_FMT_REJECT_TRUNCATED;
	if (get_le16(b + 16) < LC_WFX_EXTENSIBLE_CB_SIZE)
		return LC_FMT_REJECT_EXT_CB_SIZE;
	if (size < LC_WFX_EXTENSIBLE_BYTES)
		return LC_FMT_REJECT_TRUNCATED;

	f->valid_bits = get_le16(b + 18);
	f->channel_mask = get_le32(b + 20);
	/* SPEAKER_ALL ("any layout") names no layout in particular: the same as mask 0.
	 * Combined with speaker bits it is a contradiction and stays refused. */
	if (f->channel_mask == LC_FMT_SPEAKER_ALL)
		f->channel_mask = 0;
	if (memcmp(b + 24, subtype_float, 16) == 0)
		f->is_float = true;
	else if (memcmp(b + 24, subtype_pcm, 16) != 0)
		return LC_FMT_REJECT_SUBFORMAT;
	return LC_FMT_REJECT_NONE;
}

/* Sample type from container and valid bits, or the reason there is none. */
static enum lc_fmt_reject
pick_sample(const struct wfx_fields *f, enum lc_fmt_sample *sample, uint32_t *valid_bits)
{
	uint32_t valid = f->valid_bits != 0 ? f->valid_bits : f->container_bits;

	if (f->is_float) {
		if (f->container_bits != 32)
			return LC_FMT_REJECT_FLOAT_BITS;
		if (valid != 32)
			return LC_FMT_REJECT_FLOAT_VALID_BITS;
		*sample = LC_FMT_F32;
		*valid_bits = 32;
		return LC_FMT_REJECT_NONE;
	}

	switch (f->container_bits) {
	case 8: *sample = LC_FMT_U8; break;
	case 16: *sample = LC_FMT_S16; break;
	case 24: *sample = LC_FMT_S24; break;
	/* Up to 24 valid bits fit a float exactly and round-trip bit-exact as S24_32;
	 * more need the 32-bit kernels, or their low bits would be zeroed. */
	case 32: *sample = valid <= 24 ? LC_FMT_S24_32 : LC_FMT_S32; break;
	default: return LC_FMT_REJECT_INT_BITS;
	}
	if (valid > f->container_bits)
		return LC_FMT_REJECT_VALID_BITS;
	*valid_bits = valid;
	return LC_FMT_REJECT_NONE;
}

/* The rules shared by the parse and lc_fmt_check(), on an already typed format. */
static enum lc_fmt_reject
check_layout(const struct lc_fmt *fmt, uint32_t avg_bytes)
{
	uint64_t bytes_per_sec = (uint64_t)fmt->rate_hz * fmt->block_align;

	if (fmt->block_align != fmt->channels * lc_fmt_sample_bytes(fmt->sample))
		return LC_FMT_REJECT_BLOCK_ALIGN;
	/* WAVEFORMATEX only says nAvgBytesPerSec "should" be rate x block align: old
	 * programs leave it 0 and Windows opens their formats, so 0 means "not given"
	 * (the value is derived, never used).  Any other value that differs describes
	 * another format than the other fields: refused. */
	if (avg_bytes != 0 && avg_bytes != bytes_per_sec)
		return LC_FMT_REJECT_AVG_BYTES;
	if (popcount32(fmt->channel_mask) > fmt->channels)
		return LC_FMT_REJECT_MASK_BITS;
	if ((fmt->channel_mask & ~LC_FMT_MASK_DEFINED) != 0)
		return LC_FMT_REJECT_MASK_RESERVED;
	return LC_FMT_REJECT_NONE;
}

static enum lc_fmt_reject
check_counts(uint32_t channels, uint32_t rate_hz)
{
	if (channels == 0 || channels > LC_FMT_MAX_CHANNELS)
		return LC_FMT_REJECT_CHANNELS;
	if (rate_hz < LC_FMT_MIN_RATE_HZ || rate_hz > LC_FMT_MAX_RATE_HZ)
		return LC_FMT_REJECT_RATE;
	return LC_FMT_REJECT_NONE;
}

static enum lc_fmt_reject
parse(struct lc_fmt *out, const uint8_t *b, size_t size)
{
	struct wfx_fields f;
	struct lc_fmt fmt;
	enum lc_fmt_reject r;

	r = read_fields(&f, b, size);
	if (r == LC_FMT_REJECT_NONE)
		r = check_counts(f.channels, f.rate_hz);
	if (r == LC_FMT_REJECT_NONE)
		r = pick_sample(&f, &fmt.sample, &fmt.valid_bits);
	if (r != LC_FMT_REJECT_NONE)
		return r;

	fmt.rate_hz = f.rate_hz;
	fmt.channels = f.channels;
	fmt.block_align = f.block_align;
	fmt.channel_mask = f.channel_mask;
	r = check_layout(&fmt, f.avg_bytes);
	if (r == LC_FMT_REJECT_NONE)
		*out = fmt;
	return r;
}

int
lc_fmt_parse_wfx(struct lc_fmt *fmt, const void *wfx, size_t size_bytes,
		 enum lc_fmt_reject *reject)
{
	enum lc_fmt_reject r;

	if (reject != NULL)
		*reject = LC_FMT_REJECT_NONE;
	if (fmt == NULL || wfx == NULL)
		return LC_E_INVALID;

	r = parse(fmt, wfx, size_bytes);
	if (reject != NULL)
		*reject = r;
	return r == LC_FMT_REJECT_NONE ? 0 : LC_E_FORMAT;
}

static enum lc_fmt_reject
check(const struct lc_fmt *fmt)
{
	uint32_t container_bits, max_valid;
	enum lc_fmt_reject r;

	if ((unsigned)fmt->sample >= LC_FMT_N_SAMPLES)
		return LC_FMT_REJECT_SAMPLE;
	r = check_counts(fmt->channels, fmt->rate_hz);
	if (r != LC_FMT_REJECT_NONE)
		return r;

	container_bits = 8 * lc_fmt_sample_bytes(fmt->sample);
	if (fmt->sample == LC_FMT_F32 && fmt->valid_bits != 32)
		return LC_FMT_REJECT_FLOAT_VALID_BITS;
	/* Same split as pick_sample(): a 32-bit container is S24_32 up to 24 valid bits. */
	max_valid = fmt->sample == LC_FMT_S24_32 ? 24 : container_bits;
	if (fmt->valid_bits == 0 || fmt->valid_bits > max_valid ||
	    (fmt->sample == LC_FMT_S32 && fmt->valid_bits <= 24))
		return LC_FMT_REJECT_VALID_BITS;
	return check_layout(fmt, (uint32_t)((uint64_t)fmt->rate_hz * fmt->block_align));
}

int
lc_fmt_check(const struct lc_fmt *fmt, enum lc_fmt_reject *reject)
{
	enum lc_fmt_reject r;

	if (fmt == NULL)
		return LC_E_INVALID;
	r = check(fmt);
	if (reject != NULL)
		*reject = r;
	return r == LC_FMT_REJECT_NONE ? 0 : LC_E_FORMAT;
}

int
lc_fmt_init(struct lc_fmt *fmt, enum lc_fmt_sample sample, uint32_t rate_hz,
	    uint32_t channels, uint32_t channel_mask, enum lc_fmt_reject *reject)
{
	if (fmt == NULL)
		return LC_E_INVALID;
	fmt->sample = sample;
	fmt->rate_hz = rate_hz;
	fmt->channels = channels;
	fmt->block_align = channels * lc_fmt_sample_bytes(sample);
	fmt->channel_mask = channel_mask;
	fmt->valid_bits = sample == LC_FMT_S24_32 ? 24 : 8 * lc_fmt_sample_bytes(sample);
	return lc_fmt_check(fmt, reject);
}

int
lc_fmt_to_wfx_extensible(const struct lc_fmt *fmt, void *out, size_t size_bytes)
{
	uint8_t *b = out;

	if (fmt == NULL || out == NULL)
		return LC_E_INVALID;
	if (check(fmt) != LC_FMT_REJECT_NONE)
		return LC_E_FORMAT;
	if (size_bytes < LC_WFX_EXTENSIBLE_BYTES)
		return LC_E_TOO_SMALL;

	put_le16(b + 0, LC_WAVE_FORMAT_EXTENSIBLE);
	put_le16(b + 2, fmt->channels);
	put_le32(b + 4, fmt->rate_hz);
	put_le32(b + 8, fmt->rate_hz * fmt->block_align);
	put_le16(b + 12, fmt->block_align);
	put_le16(b + 14, 8 * lc_fmt_sample_bytes(fmt->sample));
	put_le16(b + 16, LC_WFX_EXTENSIBLE_CB_SIZE);
	put_le16(b + 18, fmt->valid_bits);
	put_le32(b + 20, fmt->channel_mask);
	memcpy(b + 24, fmt->sample == LC_FMT_F32 ? subtype_float : subtype_pcm, 16);
	return (int)LC_WFX_EXTENSIBLE_BYTES;
}
