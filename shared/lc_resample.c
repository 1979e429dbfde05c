/* SPDX-License-Identifier: MIT */
/*
 * lc_resample.c — the speexdsp resampler behind lc_resample.h.
 *
 * speexdsp holds the ratio as num/den (input per output frame), reduced by their gcd,
 * in 32-bit arithmetic, and a failed speex_resampler_set_rate_frac() leaves it producing
 * silence.  So set_ratio() picks fractions it can always take (speexdsp 1.2.1,
 * resample.c):
 * - the phase (< old den) is rescaled as phase * new_den / old_den by _muldiv(), which
 *   refuses products over 32 bits: old_den * new_den must fit;
 * - when down-sampling, update_filter() computes base_length (<= 256) * num: num must
 *   stay below 2^24;
 * - the interpolating kernel computes phase * oversample (<= 32): den <= 2^27.
 * A fixed denominator of 2^16 meets all three for every ratio we accept (num <= 2^16 *
 * 48 * 1.05), so drift corrections are steps of 1/65536 frame per output frame.  Only
 * when the previous denominator was a large nominal one (coprime rates) is it lowered
 * to keep old_den * new_den within 32 bits.
 */
#include "lc_resample.h"

#include <speex/speex_resampler.h>
#include <stdlib.h>

#include "lc_fmt.h"
#include "lc_result.h"

#define FRAC_DEN (1u << 16)

struct lc_resample {
	SpeexResamplerState *st;
	uint32_t channels;
	uint32_t in_hz;
	uint32_t out_hz;
	int quality;
};

static int
rate_ok(uint32_t hz)
{
	return hz >= LC_FMT_MIN_RATE_HZ && hz <= LC_FMT_MAX_RATE_HZ;
}

int
lc_resample_create(struct lc_resample **out, uint32_t channels, uint32_t in_hz, uint32_t out_hz,
		   int quality)
{
	struct lc_resample *r;
	int err = RESAMPLER_ERR_SUCCESS;

	if (out == NULL)
		return LC_E_INVALID;
	*out = NULL;
	if (channels == 0 || channels > LC_FMT_MAX_CHANNELS || !rate_ok(in_hz) ||
	    !rate_ok(out_hz) || quality < LC_RESAMPLE_QUALITY_MIN ||
	    quality > LC_RESAMPLE_QUALITY_MAX)
		return LC_E_INVALID;

	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return LC_E_NO_MEMORY;
	r->st = speex_resampler_init(channels, in_hz, out_hz, quality, &err);
	if (r->st == NULL) {
		free(r);
		return err == RESAMPLER_ERR_ALLOC_FAILED ? LC_E_NO_MEMORY : LC_E_INVALID;
	}
	r->channels = channels;
	r->in_hz = in_hz;
	r->out_hz = out_hz;
	r->quality = quality;
	*out = r;
	return 0;
}

void
lc_resample_destroy(struct lc_resample *r)
{
	if (r == NULL)
		return;
	speex_resampler_destroy(r->st);
	free(r);
}

int
lc_resample_process(struct lc_resample *r, const float *in, uint32_t *in_frames, float *out,
		    uint32_t *out_frames)
{
	spx_uint32_t in_len, out_len;
	int err;

	if (r == NULL || in_frames == NULL || out == NULL || out_frames == NULL)
		return LC_E_INVALID;
	in_len = *in_frames;
	out_len = *out_frames;
	err = speex_resampler_process_interleaved_float(r->st, in, &in_len, out, &out_len);
	*in_frames = in_len;
	*out_frames = out_len;
	return err == RESAMPLER_ERR_SUCCESS ? 0 : LC_E_INVALID;
}

static uint32_t
gcd32(uint32_t a, uint32_t b)
{
	while (b != 0) {
		uint32_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

int
lc_resample_set_ratio(struct lc_resample *r, double in_per_out)
{
	spx_uint32_t old_num = 0, old_den = 1;
	uint32_t g, num, den, max_den;
	double nominal, deviation;
	int err;

	if (r == NULL)
		return LC_E_INVALID;
	nominal = (double)r->in_hz / r->out_hz;
	/* fabs() without libm; the 1e-12 lets nominal * 1.05 itself in despite rounding. */
	deviation = in_per_out / nominal - 1.0;
	deviation = deviation < 0 ? -deviation : deviation;
	if (!(deviation <= LC_RESAMPLE_MAX_DEVIATION + 1e-12))
		return LC_E_INVALID; /* also NaN */

	speex_resampler_get_ratio(r->st, &old_num, &old_den);
	max_den = UINT32_MAX / (old_den > 0 ? old_den : 1);
	g = gcd32(r->in_hz, r->out_hz);
	num = r->in_hz / g;
	den = r->out_hz / g;
	if (in_per_out != nominal || den > max_den) {
		for (den = FRAC_DEN; den > max_den; den >>= 1)
			;
		num = (uint32_t)(in_per_out * den + 0.5); /* positive: truncation rounds */
	}
	err = speex_resampler_set_rate_frac(r->st, num, den, r->in_hz, r->out_hz);
	if (err == RESAMPLER_ERR_ALLOC_FAILED)
		return LC_E_NO_MEMORY;
	return err == RESAMPLER_ERR_SUCCESS ? 0 : LC_E_INVALID;
}

double
lc_resample_ratio(const struct lc_resample *r)
{
	spx_uint32_t num = 0, den = 1;

	speex_resampler_get_ratio(r->st, &num, &den);
	return (double)num / den;
}

uint32_t
lc_resample_latency_frames(const struct lc_resample *r)
{
	int frames = speex_resampler_get_output_latency(r->st);

	return frames > 0 ? (uint32_t)frames : 0;
}

/*
 * speex_resampler_reset_mem() of speexdsp 1.2.1 zeroes channels * (filt_len - 1) values
 * from the start of its history buffer, but each channel's history sits at a stride of
 * mem_alloc_size: only channel 0 is cleared (test_resample.c catches it).  So a reset
 * builds a fresh state with the same ratio instead.
 */
int
lc_resample_reset(struct lc_resample *r)
{
	spx_uint32_t num = 1, den = 1;
	SpeexResamplerState *st;
	int err = RESAMPLER_ERR_SUCCESS;

	if (r == NULL)
		return LC_E_INVALID;
	speex_resampler_get_ratio(r->st, &num, &den);
	st = speex_resampler_init_frac(r->channels, num, den, r->in_hz, r->out_hz, r->quality,
				       &err);
	if (st == NULL)
		return err == RESAMPLER_ERR_ALLOC_FAILED ? LC_E_NO_MEMORY : LC_E_INVALID;
	speex_resampler_destroy(r->st);
	r->st = st;
	return 0;
}
