/* SPDX-License-Identifier: MIT */
/* lc_pipeline.c — conversion, channel mapping and resampling chained (lc_pipeline.h). */
#include "lc_pipeline.h"

#include <stdlib.h>
#include <string.h>

#include "lc_chmap.h"
#include "lc_conv.h"
#include "lc_resample.h"
#include "lc_result.h"

/* Frames handled per step: bounds the scratch buffers (2 × 1024 × 32 channels × 4 bytes
 * = 256 KiB at most) while keeping per-call overhead negligible. */
#define CHUNK_FRAMES 1024u

struct lc_pipeline {
	enum lc_pipeline_dir dir;
	uint32_t client_rate_hz, cable_rate_hz;
	uint32_t client_channels, cable_channels;
	uint32_t client_block_align;
	struct lc_conv conv;
	struct lc_chmap chmap;
	struct lc_resample *resample; /* NULL: same rate */
	float *scratch_a;             /* CHUNK_FRAMES × LC_FMT_MAX_CHANNELS */
	float *scratch_b;
};

int
lc_pipeline_create(struct lc_pipeline **out, enum lc_pipeline_dir dir, const struct lc_fmt *client,
		   const struct lc_pipeline_cable *cable, int quality)
{
	if (!out)
		return LC_E_INVALID;
	*out = NULL;
	if (!client || !cable || (dir != LC_PIPELINE_WRITE && dir != LC_PIPELINE_READ)
	    || cable->n_channels == 0 || cable->n_channels > LC_FMT_MAX_CHANNELS
	    || client->channels == 0 || client->channels > LC_FMT_MAX_CHANNELS
	    || client->block_align == 0)
		return LC_E_INVALID;

	struct lc_pipeline *p = calloc(1, sizeof(*p));
	if (!p)
		return LC_E_NO_MEMORY;
	p->dir = dir;
	p->client_rate_hz = client->rate_hz;
	p->cable_rate_hz = cable->rate_hz;
	p->client_channels = client->channels;
	p->cable_channels = cable->n_channels;
	p->client_block_align = client->block_align;

	int result;
	if (dir == LC_PIPELINE_WRITE) {
		result = lc_conv_init(&p->conv, client->sample, LC_FMT_F32, client->channels,
				      lc_conv_cpu_flags());
		if (result == 0)
			result = lc_chmap_init(&p->chmap, client->channels, client->channel_mask,
					       cable->n_channels, cable->channel_mask);
		if (result == 0 && client->rate_hz != cable->rate_hz)
			result = lc_resample_create(&p->resample, cable->n_channels, client->rate_hz,
						    cable->rate_hz, quality);
	} else {
		result = lc_conv_init(&p->conv, LC_FMT_F32, client->sample, client->channels,
				      lc_conv_cpu_flags());
		if (result == 0)
			result = lc_chmap_init(&p->chmap, cable->n_channels, cable->channel_mask,
					       client->channels, client->channel_mask);
		if (result == 0 && client->rate_hz != cable->rate_hz)
			result = lc_resample_create(&p->resample, client->channels, cable->rate_hz,
						    client->rate_hz, quality);
	}
	if (result == 0) {
		p->scratch_a = malloc(sizeof(float) * CHUNK_FRAMES * LC_FMT_MAX_CHANNELS);
		p->scratch_b = malloc(sizeof(float) * CHUNK_FRAMES * LC_FMT_MAX_CHANNELS);
		if (!p->scratch_a || !p->scratch_b)
			result = LC_E_NO_MEMORY;
	}
	if (result != 0) {
		lc_pipeline_destroy(p);
		return result;
	}
	*out = p;
	return 0;
}

void
lc_pipeline_destroy(struct lc_pipeline *p)
{
	if (!p)
		return;
	lc_resample_destroy(p->resample);
	free(p->scratch_a);
	free(p->scratch_b);
	free(p);
}

static uint32_t
min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

int
lc_pipeline_write(struct lc_pipeline *p, const void *client, uint32_t *in_frames, float *cable,
		  uint32_t *out_frames)
{
	if (!p || p->dir != LC_PIPELINE_WRITE || !in_frames || !out_frames
	    || (*in_frames && !client) || (*out_frames && !cable))
		return LC_E_INVALID;
	const uint8_t *src = client;
	uint32_t in_left = *in_frames, out_left = *out_frames;
	uint32_t consumed = 0, produced = 0;

	while (in_left > 0 && out_left > 0) {
		uint32_t n = min_u32(in_left, CHUNK_FRAMES);
		if (!p->resample)
			n = min_u32(n, out_left);
		/* Straight into the caller's buffer when no later stage needs a scratch. */
		int direct = (p->chmap.flags & LC_CHMAP_IDENTITY) && !p->resample;
		float *as_float = direct ? cable + (size_t)produced * p->cable_channels : p->scratch_a;
		lc_conv_process(&p->conv, as_float, src + (size_t)consumed * p->client_block_align, n);

		float *mapped = as_float;
		if (!(p->chmap.flags & LC_CHMAP_IDENTITY)) {
			mapped = p->resample ? p->scratch_b : cable + (size_t)produced * p->cable_channels;
			lc_chmap_process(&p->chmap, mapped, as_float, n);
		}

		uint32_t used = n, made = n;
		if (p->resample) {
			made = out_left;
			lc_resample_process(p->resample, mapped, &used, cable + (size_t)produced * p->cable_channels,
					    &made);
		}
		consumed += used;
		produced += made;
		in_left -= used;
		out_left -= made;
		if (used == 0 && made == 0)
			break;
	}
	*in_frames = consumed;
	*out_frames = produced;
	return 0;
}

int
lc_pipeline_read(struct lc_pipeline *p, const float *cable, uint32_t *in_frames, void *client,
		 uint32_t *out_frames)
{
	if (!p || p->dir != LC_PIPELINE_READ || !in_frames || !out_frames
	    || (*in_frames && !cable) || (*out_frames && !client))
		return LC_E_INVALID;
	uint8_t *dst = client;
	uint32_t in_left = *in_frames, out_left = *out_frames;
	uint32_t consumed = 0, produced = 0;
	uint64_t clipped = 0;

	while (in_left > 0 && out_left > 0) {
		uint32_t n = min_u32(in_left, CHUNK_FRAMES);
		if (!p->resample)
			n = min_u32(n, out_left);
		const float *mapped = cable + (size_t)consumed * p->cable_channels;
		if (!(p->chmap.flags & LC_CHMAP_IDENTITY)) {
			lc_chmap_process(&p->chmap, p->scratch_a, mapped, n);
			mapped = p->scratch_a;
		}

		uint32_t used = n, made = n;
		const float *at_rate = mapped;
		if (p->resample) {
			made = min_u32(out_left, CHUNK_FRAMES);
			lc_resample_process(p->resample, mapped, &used, p->scratch_b, &made);
			at_rate = p->scratch_b;
		}
		clipped += lc_conv_process(&p->conv, dst + (size_t)produced * p->client_block_align,
					   at_rate, made);
		consumed += used;
		produced += made;
		in_left -= used;
		out_left -= made;
		if (used == 0 && made == 0)
			break;
	}
	*in_frames = consumed;
	*out_frames = produced;
	return clipped > INT32_MAX ? INT32_MAX : (int)clipped;
}

uint32_t
lc_pipeline_in_for_out(const struct lc_pipeline *p, uint32_t out_frames)
{
	uint32_t in_hz = p->dir == LC_PIPELINE_WRITE ? p->client_rate_hz : p->cable_rate_hz;
	uint32_t out_hz = p->dir == LC_PIPELINE_WRITE ? p->cable_rate_hz : p->client_rate_hz;
	if (in_hz == out_hz)
		return out_frames;
	uint64_t in = ((uint64_t)out_frames * in_hz + out_hz - 1) / out_hz;
	if (in == 0)
		in = 1;
	return in > UINT32_MAX ? UINT32_MAX : (uint32_t)in;
}

uint32_t
lc_pipeline_out_for_in(const struct lc_pipeline *p, uint32_t in_frames)
{
	uint32_t in_hz = p->dir == LC_PIPELINE_WRITE ? p->client_rate_hz : p->cable_rate_hz;
	uint32_t out_hz = p->dir == LC_PIPELINE_WRITE ? p->cable_rate_hz : p->client_rate_hz;
	uint64_t out = (uint64_t)in_frames * out_hz / in_hz;
	return out > UINT32_MAX ? UINT32_MAX : (uint32_t)out;
}

void
lc_pipeline_reset(struct lc_pipeline *p)
{
	if (p && p->resample)
		lc_resample_reset(p->resample);
}

int
lc_pipeline_resamples(const struct lc_pipeline *p)
{
	return p && p->resample != NULL;
}

const char *
lc_pipeline_conv_name(const struct lc_pipeline *p)
{
	return p ? p->conv.func_name : "";
}
