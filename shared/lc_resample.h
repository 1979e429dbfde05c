/* SPDX-License-Identifier: MIT */
/*
 * lc_resample.h — sample-rate conversion: a small opaque wrapper over speexdsp.
 *
 * Owns: the one resampler the project uses, behind an interface of our own, so that the
 * library could be swapped without touching callers.  Does not own: formats or channel
 * layouts (input and output are interleaved float32 with the same channel count; see
 * lc_conv.h and lc_chmap.h), nor the drift controller that steers the ratio (that is
 * the planned router's, docs/architecture.md decision 7; it only applies the ratio it is given).
 *
 * Why speexdsp's resampler (docs/architecture.md decision 6):
 * - low latency: short windowed-sinc filters (quality 5: 80 taps at unity ratio, about
 *   40 input frames of delay), which matters for a loopback cable;
 * - variable ratio: speex_resampler_set_rate_frac() changes the ratio between calls and
 *   keeps the filter phase, which is what drift correction needs;
 * - small (one C file), BSD licensed, float and SSE paths, in Debian, and for years the
 *   resampler behind PulseAudio's default ("speex-float-N").
 * libsoxr has better stop-band figures but longer filters by default; libsamplerate's
 * sinc converters are slower at equal quality.
 *
 * Conventions (soxr's): lengths are in frames (samples per channel); *_frames in/out
 * parameters go in as "available / capacity" and come back as "used / produced".
 * This is the only module of the core that allocates memory (create, reset, and
 * set_ratio when a filter grows; speexdsp keeps its tables on the heap).  A handle is
 * used by one thread at a time.
 */
#ifndef LC_RESAMPLE_H
#define LC_RESAMPLE_H

#include <stdint.h>

struct lc_resample; /* opaque */

#define LC_RESAMPLE_QUALITY_MIN 0
#define LC_RESAMPLE_QUALITY_MAX 10
#define LC_RESAMPLE_QUALITY_DEFAULT 5 /* SPEEX_RESAMPLER_QUALITY_DESKTOP */

/* set_ratio() accepts the nominal ratio times 1 +- this: 5%, far beyond any clock drift
 * (crystals are within 100 ppm), and a bound on how far the anti-alias cutoff moves. */
#define LC_RESAMPLE_MAX_DEVIATION 0.05

/*
 * @param out      receives the handle (NULL on failure)
 * @param channels 1 .. LC_FMT_MAX_CHANNELS
 * @param in_hz, out_hz  8000 .. 384000 (LC_FMT_MIN_RATE_HZ .. LC_FMT_MAX_RATE_HZ)
 * @param quality  LC_RESAMPLE_QUALITY_MIN .. _MAX
 * @return 0, LC_E_INVALID (an argument out of range) or LC_E_NO_MEMORY.
 */
int
lc_resample_create(struct lc_resample **out, uint32_t channels, uint32_t in_hz, uint32_t out_hz,
		   int quality);

/* Frees the handle; NULL is a no-op. */
void
lc_resample_destroy(struct lc_resample *r);

/*
 * Converts interleaved float frames.
 * @param in         *in_frames frames, or NULL to feed *in_frames frames of silence
 *                   (to drain the filter at the end of a stream)
 * @param in_frames  in: frames available; out: frames consumed
 * @param out        room for *out_frames frames; must not overlap in
 * @param out_frames in: capacity; out: frames produced
 * Stops when either side runs out; call again with the rest.
 * @return 0, or LC_E_INVALID (NULL handle, counts or out).
 */
int
lc_resample_process(struct lc_resample *r, const float *in, uint32_t *in_frames, float *out,
		    uint32_t *out_frames);

/*
 * Sets the conversion ratio, in input frames consumed per output frame.  Nominal is
 * in_hz / out_hz; drift correction sets nominal * (1 + e) for a small e.  Held as
 * num / 65536 (steps of 1/65536: 15 ppm at a ratio of 1; lc_resample.c says why not
 * finer), with the filter phase carried over, so a change is click-free.  Setting exactly
 * the nominal ratio restores the exact nominal fraction (when speexdsp's 32-bit phase
 * rescaling allows; else the nearest num / 65536).  Call between process() calls.
 * @return 0; LC_E_INVALID if ratio is not within nominal * (1 +- LC_RESAMPLE_MAX_DEVIATION);
 *         LC_E_NO_MEMORY if speexdsp could not grow its filter (it then outputs silence
 *         until a later set_ratio() succeeds).
 */
int
lc_resample_set_ratio(struct lc_resample *r, double in_per_out);

/* The ratio in force (input frames per output frame), as speexdsp holds it. */
double
lc_resample_ratio(const struct lc_resample *r);

/* Delay through the filter, in output frames (speex_resampler_get_output_latency). */
uint32_t
lc_resample_latency_frames(const struct lc_resample *r);

/*
 * Forgets all history (filter memory and phase), as after create; keeps the ratio.
 * Allocates: it replaces the speexdsp state (lc_resample.c says why).  On failure the
 * old state, history included, stays in place.
 * @return 0, LC_E_INVALID (NULL) or LC_E_NO_MEMORY.
 */
int
lc_resample_reset(struct lc_resample *r);

#endif /* LC_RESAMPLE_H */
