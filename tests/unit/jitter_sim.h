/* SPDX-License-Identifier: MIT */
/*
 * jitter_sim.h — a network cable's receive side in virtual time, for test_jitter.c and
 * bench_rtp.c: a sender whose clock is off by a given amount packetizes a tone
 * (lc_rtp_packetizer), a simulated network drops packets (singly and in bursts), delays
 * each by a random amount (so they reorder), duplicates some and holds a few back far
 * beyond the buffer, and a consumer on the reference clock pulls jittered chunks from
 * lc_jitter.  A discrete-event loop: whichever comes first in virtual time — the next
 * send, the next arrival, the next pull — runs, so an hour costs only the audio work.
 *
 * The simulator keeps its own tally of what it did to the packets (dropped, held back,
 * duplicated), to be compared with the buffer's counters exactly.  The first
 * SIM_CLEAN_HEAD packets pass untouched and in order (the stream's first packet is
 * its first, and nothing is lost where priming trims), the last SIM_CLEAN_TAIL pass
 * untouched, and the run ends with the sender stopped and
 * the consumer pulling on until the buffer has run dry, so every hole lies between
 * received packets and every packet has arrived.
 *
 * Output checks after `settle_s`: the filtered fill against the target; continuity of
 * the tone (x[j] = 2 cos(w) x[j-1] - x[j-2]), with samples off it merged into runs
 * (samples closer than SIM_RUN_GAP_MS join one run), to be compared with the holes the
 * buffer concealed; channels as fixed multiples of channel 0.
 * Header-only (static functions) so that the test and the benchmark share one copy.
 */
#ifndef JITTER_SIM_H
#define JITTER_SIM_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lc_jitter.h"
#include "lc_rtp.h"

#define JS_PI 3.14159265358979323846
#define JS_TONE_HZ 997.0
#define JS_AMP 0.5
#define JS_MAX_PULL 4096
#define JS_HEAP 1024
#define SIM_CLEAN_TAIL 200
#define SIM_CLEAN_HEAD 200
#define SIM_RUN_GAP_MS 10.0
#define SIM_RESIDUAL_BAD 0.005

struct jsim_cfg {
	struct lc_rtp_format fmt;
	uint32_t out_hz;
	uint32_t target_ms;
	uint32_t conceal;
	double offset_ppm;              /* sender clock vs consumer clock */
	double seconds, settle_s;
	double loss;                    /* probability a packet is dropped alone */
	double burst;                   /* probability a burst of 2 .. burst_max drops starts */
	uint32_t burst_max;
	double dup;                     /* probability a packet is sent twice */
	double held;                    /* probability a packet is held back far too long */
	double delay_ms, jitter_ms;     /* delay: delay_ms + uniform(-jitter_ms, +jitter_ms) */
	double pull_ms_lo, pull_ms_hi;
	uint64_t seed;
};

struct jsim_result {
	int create_err;
	struct lc_jitter_stats st;
	uint64_t sent, dropped, held, duplicated;
	uint64_t bad_samples, bad_runs;
	double max_residual_clean;      /* outside runs: the largest residual below the bound */
	double max_fill_err_ms;
	double max_channel_err;
	uint64_t checked_pulls, running_pulls;
	uint64_t pulls_after_stop;
};

struct jsim_pkt {
	uint32_t len;
	uint8_t bytes[LC_RTP_MAX_PACKET_BYTES];
};

static uint64_t
js_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

static double
js_uniform(uint64_t *s)
{
	return (double)(js_rand(s) >> 11) / 9007199254740992.0;
}

static double
js_gain(uint32_t c)
{
	return c == 0 ? 1.0 : (c & 1) ? -0.5 : 0.25;
}

/* Packets in flight: a pool of buffers and a binary min-heap of (arrival, buffer). */
struct js_entry {
	double at;
	uint32_t idx;
};

struct js_heap {
	struct js_entry *v;
	struct jsim_pkt *pool;
	uint32_t *free_idx;
	uint32_t n, n_free;
};

static int
js_heap_init(struct js_heap *h)
{
	h->v = malloc(sizeof(*h->v) * JS_HEAP);
	h->pool = malloc(sizeof(*h->pool) * JS_HEAP);
	h->free_idx = malloc(sizeof(*h->free_idx) * JS_HEAP);
	h->n = 0;
	h->n_free = JS_HEAP;
	for (uint32_t i = 0; i < JS_HEAP; i++)
		h->free_idx[i] = i;
	return h->v && h->pool && h->free_idx;
}

static void
js_heap_free(struct js_heap *h)
{
	free(h->v);
	free(h->pool);
	free(h->free_idx);
}

/* Returns 0 when the pool is full (the packet is then lost: counted by the caller). */
static int
js_heap_push(struct js_heap *h, double at, const struct jsim_pkt *p)
{
	uint32_t i = h->n++, idx;

	if (h->n_free == 0) {
		h->n--;
		return 0;
	}
	idx = h->free_idx[--h->n_free];
	h->pool[idx].len = p->len;
	memcpy(h->pool[idx].bytes, p->bytes, p->len);
	while (i > 0 && h->v[(i - 1) / 2].at > at) {
		h->v[i] = h->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->v[i] = (struct js_entry){ at, idx };
	return 1;
}

/* The earliest packet; valid until the next push. */
static const struct jsim_pkt *
js_heap_pop(struct js_heap *h, double *at)
{
	struct js_entry top = h->v[0], last = h->v[--h->n];
	uint32_t i = 0;

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1].at < h->v[c].at)
			c++;
		if (h->v[c].at >= last.at)
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n > 0)
		h->v[i] = last;
	h->free_idx[h->n_free++] = top.idx;
	*at = top.at;
	return &h->pool[top.idx];
}

static struct jsim_result
jsim_run(const struct jsim_cfg *c)
{
	struct lc_jitter_config jc = { c->fmt, c->out_hz, c->target_ms, c->conceal, 5 };
	struct jsim_result r;
	struct lc_jitter *j = NULL;
	struct lc_rtp_packetizer *pz = malloc(sizeof(*pz));
	struct js_heap heap;
	struct jsim_pkt pk;
	uint32_t ch = c->fmt.channels, fpp = lc_rtp_ptime_frames(c->fmt.rate_hz, c->fmt.ptime_us);
	float *frames = malloc(sizeof(float) * fpp * ch);
	float *out = malloc(sizeof(float) * JS_MAX_PULL * ch);
	double *tone = malloc(sizeof(double) * c->fmt.rate_hz);
	uint64_t rng = c->seed | 1, produced = 0;
	uint64_t total = (uint64_t)(c->seconds * c->fmt.rate_hz / fpp);
	double delta = c->offset_ppm * 1e-6, ts = 0, tc = 0, x1 = 0, x2 = 0;
	double w = 2 * JS_PI * JS_TONE_HZ * (1 + delta) / c->out_hz, k2 = 2 * cos(w);
	double last_bad = -1e9, run_gap = SIM_RUN_GAP_MS * c->out_hz / 1000.0;
	uint64_t out_pos = 0;
	uint32_t burst_left = 0, gap = (uint32_t)run_gap, pend_head = 0, pend_n = 0;
	/* Residuals of the last `gap` clean samples: one is folded into max_residual_clean
	 * only once `gap` clean samples have followed it, so the resampler's spread of a
	 * hole on either side (its filter is symmetric) does not count as clean. */
	double *pend = malloc(sizeof(double) * (gap + 1));
	int have_x = 0, stopped = 0;

	memset(&r, 0, sizeof r);
	for (uint32_t k = 0; k < c->fmt.rate_hz; k++)
		tone[k] = JS_AMP * sin(2 * JS_PI * JS_TONE_HZ * k / c->fmt.rate_hz);
	r.create_err = lc_jitter_create(&j, &jc);
	if (!js_heap_init(&heap) || r.create_err != 0 ||
	    lc_rtp_packetizer_init(pz, &c->fmt, 0x5eed0001u, (uint16_t)js_rand(&rng),
				   (uint32_t)js_rand(&rng)) != 0)
		goto out;

	for (;;) {
		double next_arrival = heap.n ? heap.v[0].at : INFINITY, at;
		double next_send = r.sent < total ? ts : INFINITY;

		if (next_send <= tc && next_send <= next_arrival) {
			/* The sender: one packet of the tone at its clock. */
			uint32_t used;
			int len;
			double d;

			for (uint32_t f = 0; f < fpp; f++)
				for (uint32_t k = 0; k < ch; k++)
					frames[f * ch + k] =
						(float)(tone[(produced + f) % c->fmt.rate_hz] *
							js_gain(k));
			produced += fpp;
			len = lc_rtp_packetizer_put(pz, frames, fpp, &used, pk.bytes,
						    sizeof pk.bytes);
			pk.len = (uint32_t)len;
			ts += fpp / (c->fmt.rate_hz * (1 + delta));
			r.sent++;
			if (r.sent <= SIM_CLEAN_HEAD) {
				if (!js_heap_push(&heap, ts + c->delay_ms / 1000.0, &pk))
					r.dropped++;
				continue;
			}
			if (r.sent + SIM_CLEAN_TAIL <= total) {
				if (burst_left == 0 && js_uniform(&rng) < c->burst)
					burst_left =
						2 + (uint32_t)(js_rand(&rng) % (c->burst_max - 1));
				if (burst_left > 0 || js_uniform(&rng) < c->loss) {
					if (burst_left > 0)
						burst_left--;
					r.dropped++;
					continue;
				}
			}
			d = c->delay_ms + c->jitter_ms * (2 * js_uniform(&rng) - 1);
			if (r.sent + SIM_CLEAN_TAIL <= total && js_uniform(&rng) < c->held) {
				d += c->target_ms + 20.0;
				r.held++;
			} else if (r.sent + SIM_CLEAN_TAIL <= total && js_uniform(&rng) < c->dup) {
				at = ts + (c->delay_ms +
					   c->jitter_ms * (2 * js_uniform(&rng) - 1)) / 1000.0;
				r.duplicated += (uint64_t)js_heap_push(&heap, at, &pk);
			}
			if (!js_heap_push(&heap, ts + d / 1000.0, &pk))
				r.dropped++;
			continue;
		}
		if (next_arrival <= tc) {
			const struct jsim_pkt *p = js_heap_pop(&heap, &at);

			lc_jitter_push(j, p->bytes, p->len, (uint64_t)(at * 1e6));
			continue;
		}

		/* The consumer. */
		uint32_t n = (uint32_t)((c->pull_ms_lo + (c->pull_ms_hi - c->pull_ms_lo) *
						  js_uniform(&rng)) * c->out_hz / 1000.0 + 0.5);
		struct lc_jitter_stats st;
		int check = tc >= c->settle_s && r.sent < total;

		if (n > JS_MAX_PULL)
			n = JS_MAX_PULL;
		lc_jitter_pull(j, out, n);
		lc_jitter_stats(j, &st);
		if (r.sent >= total && heap.n == 0) {
			r.pulls_after_stop++;
			if (st.state == LC_JITTER_PRIMING)
				stopped = 1;
		}
		if (check) {
			double e = fabs(st.fill_frames - st.target_frames) * 1000.0 /
				   c->fmt.rate_hz;

			r.checked_pulls++;
			r.running_pulls += st.state == LC_JITTER_RUNNING;
			if (e > r.max_fill_err_ms)
				r.max_fill_err_ms = e;
		}
		for (uint32_t f = 0; f < n; f++, out_pos++) {
			double x = out[f * ch];

			if (check && have_x >= 2) {
				double res = fabs(x - k2 * x1 + x2);

				if (res > SIM_RESIDUAL_BAD) {
					r.bad_samples++;
					if ((double)out_pos - last_bad > run_gap)
						r.bad_runs++;
					last_bad = (double)out_pos;
					pend_n = 0;
				} else if ((double)out_pos - last_bad > run_gap) {
					if (pend_n == gap) {
						if (pend[pend_head] > r.max_residual_clean)
							r.max_residual_clean = pend[pend_head];
						pend_head = (pend_head + 1) % gap;
						pend_n--;
					}
					pend[(pend_head + pend_n) % gap] = res;
					pend_n++;
				}
			}
			for (uint32_t k = 1; check && k < ch; k++) {
				double e = fabs(out[f * ch + k] - js_gain(k) * x);

				if (e > r.max_channel_err)
					r.max_channel_err = e;
			}
			x2 = x1;
			x1 = x;
			have_x++;
		}
		tc += n / (double)c->out_hz;
		if (stopped || r.pulls_after_stop > 100000)
			break;
	}
	lc_jitter_stats(j, &r.st);
out:
	lc_jitter_destroy(j);
	free(pz);
	js_heap_free(&heap);
	free(frames);
	free(out);
	free(tone);
	free(pend);
	return r;
}

#endif /* JITTER_SIM_H */
