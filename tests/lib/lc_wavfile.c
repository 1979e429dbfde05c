/* SPDX-License-Identifier: MIT */
/* lc_wavfile.c — WAV reading and measurements for the native suites (lc_wavfile.h). */
#include "lc_wavfile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static double decode(const uint8_t *p, uint32_t bits, bool is_float)
{
	switch (bits) {
	case 8: return ((int)p[0] - 128) / 128.0;
	case 16: return (int16_t)le16(p) / 32768.0;
	case 24: return ((int32_t)(le32(p) << 8) >> 8) / 8388608.0;
	default: {
		uint32_t v = le32(p);
		if (is_float) {
			float f;
			memcpy(&f, &v, 4);
			return f;
		}
		return (int32_t)v / 2147483648.0;
	}
	}
}

bool lc_wavfile_read(const char *path, struct lc_wavfile *wav)
{
	memset(wav, 0, sizeof(*wav));
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *file = malloc(size > 0 ? (size_t)size : 1);
	bool ok = file && size >= 12 && fread(file, 1, (size_t)size, f) == (size_t)size;
	fclose(f);
	ok = ok && !memcmp(file, "RIFF", 4) && !memcmp(file + 8, "WAVE", 4);
	bool have_fmt = false;
	size_t at = 12;
	while (ok && at + 8 <= (size_t)size) {
		uint32_t len = le32(file + at + 4);
		const uint8_t *body = file + at + 8;
		if (at + 8 + len > (size_t)size)
			len = (uint32_t)((size_t)size - at - 8);
		if (!memcmp(file + at, "fmt ", 4) && len >= 16) {
			uint16_t tag = le16(body);
			wav->channels = le16(body + 2);
			wav->rate_hz = le32(body + 4);
			wav->bits = le16(body + 14);
			wav->is_float = tag == 3;
			if (tag == 0xFFFE && len >= 40)
				wav->is_float = le32(body + 24) == 3;
			have_fmt = true;
		} else if (!memcmp(file + at, "data", 4) && have_fmt) {
			wav->raw = malloc(len ? len : 1);
			memcpy(wav->raw, body, len);
			wav->raw_bytes = len;
			break;
		}
		at += 8 + len + (len & 1);
	}
	free(file);
	if (!ok || !wav->raw || !wav->channels || !wav->bits) {
		lc_wavfile_free(wav);
		return false;
	}
	uint32_t block = wav->channels * (wav->bits / 8);
	wav->frames = wav->raw_bytes / block;
	wav->samples = malloc(sizeof(double) * (wav->frames * wav->channels + 1));
	for (size_t i = 0; i < wav->frames * wav->channels; i++)
		wav->samples[i] = decode(wav->raw + i * (wav->bits / 8), wav->bits, wav->is_float);
	return true;
}

void lc_wavfile_free(struct lc_wavfile *wav)
{
	free(wav->samples);
	free(wav->raw);
	memset(wav, 0, sizeof(*wav));
}

size_t lc_wavfile_first_above(const struct lc_wavfile *w, uint32_t ch, double threshold)
{
	for (size_t f = 0; f < w->frames; f++)
		if (fabs(lc_wavfile_at(w, f, ch)) > threshold)
			return f;
	return SIZE_MAX;
}

double lc_wavfile_tone_amplitude(const struct lc_wavfile *w, uint32_t ch, size_t from, size_t n,
				 double hz)
{
	double re = 0, im = 0;
	if (from >= w->frames)
		return 0;
	if (from + n > w->frames)
		n = w->frames - from;
	for (size_t i = 0; i < n; i++) {
		double phase = 2 * 3.14159265358979323846 * hz * (double)i / w->rate_hz;
		double x = lc_wavfile_at(w, from + i, ch);
		re += x * cos(phase);
		im += x * sin(phase);
	}
	return n ? 2 * sqrt(re * re + im * im) / (double)n : 0;
}

double lc_wavfile_frequency(const struct lc_wavfile *w, uint32_t ch, size_t from, size_t n)
{
	double first = -1, last = -1;
	long crossings = 0;
	if (from + n > w->frames)
		n = w->frames > from ? w->frames - from : 0;
	for (size_t i = from + 1; i < from + n; i++) {
		double a = lc_wavfile_at(w, i - 1, ch), b = lc_wavfile_at(w, i, ch);
		if (a < 0 && b >= 0) {
			double t = (double)(i - 1) + a / (a - b);
			if (first < 0)
				first = t;
			else
				crossings++;
			last = t;
		}
	}
	return crossings > 0 ? crossings * (double)w->rate_hz / (last - first) : 0;
}

double lc_wavfile_max_kink(const struct lc_wavfile *w, uint32_t ch, size_t from, size_t n,
			   double amplitude)
{
	double worst = 0;
	if (from < 1)
		from = 1;
	for (size_t i = from; i + 1 < from + n && i + 1 < w->frames; i++) {
		double d2 = lc_wavfile_at(w, i + 1, ch) - 2 * lc_wavfile_at(w, i, ch)
			    + lc_wavfile_at(w, i - 1, ch);
		if (fabs(d2) > worst)
			worst = fabs(d2);
	}
	return amplitude > 0 ? worst / amplitude : worst;
}

double lc_wavfile_tone_worst(const struct lc_wavfile *w, uint32_t ch, size_t from, size_t to,
			     size_t window, double hz, double want, size_t *at)
{
	double worst = want;
	if (at)
		*at = from;
	for (size_t pos = from; pos + window <= to && pos + window <= w->frames; pos += window) {
		double amp = lc_wavfile_tone_amplitude(w, ch, pos, window, hz);
		if (fabs(amp - want) > fabs(worst - want)) {
			worst = amp;
			if (at)
				*at = pos;
		}
	}
	return worst;
}
