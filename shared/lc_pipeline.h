/* SPDX-License-Identifier: MIT */
/*
 * lc_pipeline.h — one client's path to and from its cable: sample conversion
 * (lc_conv), channel mapping (lc_chmap) and rate conversion (lc_resample), chained.
 *
 *   writer (player):   client bytes ─conv→ float, client layout ─chmap→ cable layout
 *                      ─resample→ cable rate  ⇒ canonical frames for the ring
 *   reader (recorder): canonical frames ─chmap→ client layout ─resample→ client rate
 *                      ─conv→ client bytes (saturating; clipped samples counted)
 *
 * Channel mapping runs before the rate conversion on the way in and after the mix on
 * the way out, so the resampler never runs on more channels than both sides have…
 * except for an up-mix on write (mono client, stereo cable), where it runs on the
 * cable's count — cheap, and it keeps one code path.
 *
 * Conventions (soxr's, as lc_resample.h): lengths in frames; *in_frames / *out_frames
 * go in as "available / capacity" and come back as "consumed / produced".  Input the
 * pipeline did not consume is simply offered again by the caller (the client buffer
 * and the ring still hold it), so the pipeline keeps no input of its own.
 *
 * A pipeline whose client format equals the cable's (same sample rate, layout, and a
 * ≤ 24-bit integer or float sample) is bit-exact end to end: integer → float is exact,
 * the mapping is an identity and no resampler is created.
 * A handle is used by one thread at a time.  Allocates at create only.
 */
#ifndef LC_PIPELINE_H
#define LC_PIPELINE_H

#include <stdint.h>

#include "lc_fmt.h"

struct lc_pipeline; /* opaque */

enum lc_pipeline_dir { LC_PIPELINE_WRITE, LC_PIPELINE_READ };

/* The cable side: canonical float32 at this rate and layout. */
struct lc_pipeline_cable {
	uint32_t rate_hz;
	uint32_t n_channels;
	uint32_t channel_mask; /* 0: the default layout for n_channels */
};

/*
 * @param client  the client's validated format (lc_fmt_parse_wfx)
 * @param quality resampler quality (LC_RESAMPLE_QUALITY_*), used only when rates differ
 * @return 0; LC_E_INVALID; LC_E_FORMAT (no conversion or mapping); LC_E_NO_MEMORY.
 */
int
lc_pipeline_create(struct lc_pipeline **out, enum lc_pipeline_dir dir, const struct lc_fmt *client,
		   const struct lc_pipeline_cable *cable, int quality);

void
lc_pipeline_destroy(struct lc_pipeline *p);

/*
 * Writer: client frames (bytes in the client's format) → canonical cable frames.
 * @return 0 or LC_E_INVALID.
 */
int
lc_pipeline_write(struct lc_pipeline *p, const void *client, uint32_t *in_frames, float *cable,
		  uint32_t *out_frames);

/*
 * Reader: canonical cable frames → client frames (bytes).
 * @return clipped samples (>= 0), or LC_E_INVALID.
 */
int
lc_pipeline_read(struct lc_pipeline *p, const float *cable, uint32_t *in_frames, void *client,
		 uint32_t *out_frames);

/* Input frames that yield about out_frames output frames (rounded up, at least 1):
 * how much to offer for a given room. */
uint32_t
lc_pipeline_in_for_out(const struct lc_pipeline *p, uint32_t out_frames);

/* Output frames that in_frames input frames yield, rounded down. */
uint32_t
lc_pipeline_out_for_in(const struct lc_pipeline *p, uint32_t in_frames);

/* Forgets the resampler's history (pause, reset, a gap). */
void
lc_pipeline_reset(struct lc_pipeline *p);

/* Whether a resampler is in the path (the client rate differs from the cable's). */
int
lc_pipeline_resamples(const struct lc_pipeline *p);

/* The kernel the conversion uses, for logs ("lc_conv_s16_to_f32_sse2"). */
const char *
lc_pipeline_conv_name(const struct lc_pipeline *p);

#endif /* LC_PIPELINE_H */
