/* SPDX-License-Identifier: MIT */
/*
 * lc_meter.c — peak ballistics and counters (the contract is in lc_meter.h).
 */
#include "lc_meter.h"

#include <math.h>
#include <string.h>

/* Float bits travel through _Atomic uint32_t: there is no lock-free atomic float
 * guarantee to lean on, and the bits are what both bitnesses agree on. */
static uint32_t
float_bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	return u;
}

static float
bits_float(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

/* A level read from shared memory: NaN and negatives are hostile, read as silence. */
static float
sane_level(uint32_t bits)
{
	float f = bits_float(bits);
	return (f >= 0.0f) ? f : 0.0f; /* false for NaN too */
}

void
lc_meter_reset(struct lc_shm_meter *meter)
{
	atomic_store_explicit(&meter->frames, 0, memory_order_relaxed);
	atomic_store_explicit(&meter->underflows, 0, memory_order_relaxed);
	atomic_store_explicit(&meter->underflow_frames, 0, memory_order_relaxed);
	atomic_store_explicit(&meter->overflows, 0, memory_order_relaxed);
	atomic_store_explicit(&meter->overflow_frames, 0, memory_order_relaxed);
	atomic_store_explicit(&meter->clipped, 0, memory_order_relaxed);
	atomic_store_explicit(&meter->peak_pos, 0, memory_order_relaxed);
	atomic_store_explicit(&meter->buffer_bytes, 0, memory_order_relaxed);
	for (uint32_t ch = 0; ch < LC_MAX_CHANNELS; ch++)
		atomic_store_explicit(&meter->peak[ch], 0, memory_order_relaxed);
}

uint32_t
lc_meter_block_peaks(const float *interleaved, uint32_t n_frames, uint32_t n_channels,
		     float *peaks)
{
	uint32_t over = 0;

	for (uint32_t ch = 0; ch < n_channels; ch++)
		peaks[ch] = 0.0f;
	/* Channel-outer keeps the inner loop a plain strided max the compiler can unroll;
	 * blocks are small enough that the strided walk stays in cache. */
	for (uint32_t ch = 0; ch < n_channels; ch++) {
		const float *p = interleaved + ch;
		float pk = 0.0f;
		uint32_t n_over = 0;
		for (uint32_t i = 0; i < n_frames; i++) {
			float a = fabsf(p[(size_t)i * n_channels]);
			pk = a > pk ? a : pk; /* NaN compares false: ignored */
			n_over += a > 1.0f;
		}
		peaks[ch] = pk;
		over += n_over;
	}
	return over;
}

float
lc_meter_decay(float level, uint64_t age_frames, uint32_t rate_hz)
{
	if (rate_hz == 0 || !(level > 0.0f))
		return 0.0f;
	double secs = (double)age_frames / (double)rate_hz;
	/* Below -200 dB nobody sees it: snap to silence instead of computing denormals. */
	double db = (double)LC_METER_DECAY_DB_PER_S * secs;
	if (db > 200.0)
		return 0.0f;
	return level * (float)pow(10.0, -db / 20.0);
}

void
lc_meter_update(struct lc_shm_meter *meter, const float *interleaved, uint32_t n_frames,
		uint32_t n_channels, uint64_t end_pos, uint32_t rate_hz)
{
	float peaks[LC_MAX_CHANNELS];

	if (n_frames == 0)
		return;
	if (n_channels > LC_MAX_CHANNELS)
		n_channels = LC_MAX_CHANNELS;
	uint32_t over = lc_meter_block_peaks(interleaved, n_frames, n_channels, peaks);
	uint64_t old_pos = atomic_load_explicit(&meter->peak_pos, memory_order_relaxed);
	uint64_t age = end_pos > old_pos ? end_pos - old_pos : 0;
	for (uint32_t ch = 0; ch < n_channels; ch++) {
		uint32_t bits = atomic_load_explicit(&meter->peak[ch], memory_order_relaxed);
		float held = lc_meter_decay(sane_level(bits), age, rate_hz);
		float level = peaks[ch] > held ? peaks[ch] : held;
		atomic_store_explicit(&meter->peak[ch], float_bits(level), memory_order_relaxed);
	}
	atomic_store_explicit(&meter->peak_pos, end_pos, memory_order_relaxed);
	if (over)
		atomic_fetch_add_explicit(&meter->clipped, over, memory_order_relaxed);
	atomic_fetch_add_explicit(&meter->frames, n_frames, memory_order_relaxed);
}

void
lc_meter_set_buffer_bytes(struct lc_shm_meter *meter, uint64_t n_bytes)
{
	atomic_store_explicit(&meter->buffer_bytes, n_bytes, memory_order_relaxed);
}

void
lc_meter_count_underflow(struct lc_shm_meter *meter, uint64_t n_frames)
{
	atomic_fetch_add_explicit(&meter->underflows, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&meter->underflow_frames, n_frames, memory_order_relaxed);
}

void
lc_meter_count_overflow(struct lc_shm_meter *meter, uint64_t n_frames)
{
	atomic_fetch_add_explicit(&meter->overflows, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&meter->overflow_frames, n_frames, memory_order_relaxed);
}

void
lc_meter_add_clipped(struct lc_shm_meter *meter, uint64_t n_samples)
{
	atomic_fetch_add_explicit(&meter->clipped, n_samples, memory_order_relaxed);
}

void
lc_meter_add_frames(struct lc_shm_meter *meter, uint64_t n_frames)
{
	atomic_fetch_add_explicit(&meter->frames, n_frames, memory_order_relaxed);
}

float
lc_meter_level(const struct lc_shm_meter *meter, uint32_t ch, uint64_t now_pos,
	       uint32_t rate_hz)
{
	if (ch >= LC_MAX_CHANNELS)
		return 0.0f;
	uint32_t bits = atomic_load_explicit(&meter->peak[ch], memory_order_relaxed);
	uint64_t pos = atomic_load_explicit(&meter->peak_pos, memory_order_relaxed);
	return lc_meter_decay(sane_level(bits), now_pos > pos ? now_pos - pos : 0, rate_hz);
}

void
lc_meter_read_counts(const struct lc_shm_meter *meter, struct lc_meter_counts *out)
{
	out->frames = atomic_load_explicit(&meter->frames, memory_order_relaxed);
	out->underflows = atomic_load_explicit(&meter->underflows, memory_order_relaxed);
	out->underflow_frames =
		atomic_load_explicit(&meter->underflow_frames, memory_order_relaxed);
	out->overflows = atomic_load_explicit(&meter->overflows, memory_order_relaxed);
	out->overflow_frames = atomic_load_explicit(&meter->overflow_frames, memory_order_relaxed);
	out->clipped = atomic_load_explicit(&meter->clipped, memory_order_relaxed);
	out->buffer_bytes = atomic_load_explicit(&meter->buffer_bytes, memory_order_relaxed);
}
