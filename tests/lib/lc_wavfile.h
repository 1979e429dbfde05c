/* SPDX-License-Identifier: MIT */
/*
 * lc_wavfile.h — native test helper: read the WAV files the Windows test clients
 * write, and measure them (level, frequency, discontinuities, alignment).
 */
#ifndef LC_WAVFILE_H
#define LC_WAVFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lc_wavfile {
	uint32_t rate_hz;
	uint32_t channels;
	uint32_t bits;      /* container bits per sample */
	bool is_float;
	size_t frames;
	double *samples;    /* frames × channels, interleaved, full scale ±1.0 */
	uint8_t *raw;       /* the data chunk as stored */
	size_t raw_bytes;
};

/* @return true on success; free with lc_wavfile_free. */
bool lc_wavfile_read(const char *path, struct lc_wavfile *wav);
void lc_wavfile_free(struct lc_wavfile *wav);

/* The sample at (frame, channel). */
static inline double lc_wavfile_at(const struct lc_wavfile *w, size_t frame, uint32_t ch)
{
	return w->samples[frame * w->channels + ch];
}

/* First frame whose |sample| on channel ch exceeds threshold, or SIZE_MAX. */
size_t lc_wavfile_first_above(const struct lc_wavfile *w, uint32_t ch, double threshold);

/* Amplitude of the hz component of channel ch over [from, from + n) (a single-bin DFT,
 * scaled so a full-scale sine reads 1.0). */
double lc_wavfile_tone_amplitude(const struct lc_wavfile *w, uint32_t ch, size_t from, size_t n,
				 double hz);

/* The tone at hz on channel ch measured in consecutive windows of `window` frames over
 * [from, to): the window amplitude farthest from `want` (a drop shows a gap or a cut),
 * and where that window starts in *at (may be NULL).  want if no window fits. */
double lc_wavfile_tone_worst(const struct lc_wavfile *w, uint32_t ch, size_t from, size_t to,
			     size_t window, double hz, double want, size_t *at);

/* Frequency of channel ch over [from, from + n) from its upward zero crossings,
 * interpolated (accurate to a fraction of a hertz for a clean tone). */
double lc_wavfile_frequency(const struct lc_wavfile *w, uint32_t ch, size_t from, size_t n);

/* Largest |second difference| on channel ch over [from, from + n), relative to the
 * tone's amplitude: a click or a gap in a sine shows as a value near 1 or more, a clean
 * sine of f Hz at rate r stays below (2 pi f / r)^2. */
double lc_wavfile_max_kink(const struct lc_wavfile *w, uint32_t ch, size_t from, size_t n,
			   double amplitude);

#endif /* LC_WAVFILE_H */
