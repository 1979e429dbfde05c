/* SPDX-License-Identifier: MIT */
/*
 * lc_jitter.c — packet store, concealment, stream identity and the drift loop of the
 * receive side (the contract and the position diagram are in lc_jitter.h).
 *
 * The store: `capacity` frames of float32 (a power of two) indexed by unwrapped RTP
 * timestamp modulo capacity, with one `have` byte per frame.  A frame's slot is only
 * written while it lies in [frontier, read + capacity), so nothing unread is ever
 * overwritten; `have` is cleared when the frame is made final (materialize()) or
 * skipped, so a slot never carries a flag into its next turn.
 *
 * Duplicates are found by sequence number, in a bitmap of the last SEQ_WINDOW numbers:
 * a duplicate of a packet already played is a duplicate, not a late packet.
 *
 * Longer than docs/style.md's 400 lines on purpose: the store, the stream rules,
 * concealment and the drift loop all move the same three positions (read, frontier,
 * newest_end); split, each part would need them behind an interface of its own.
 */
#include "lc_jitter.h"

#include <stdlib.h>
#include <string.h>

#include "lc_drift.h"
#include "lc_resample.h"
#include "lc_result.h"
#include "lc_steer.h"

#define SEQ_WINDOW 4096u /* bits; 0.5 s of packets at 1/8 ms */
#define HIST_FRAMES LC_RTP_MAX_PACKET_FRAMES
#define TS_BASE (INT64_C(1) << 32) /* the first timestamp unwraps to itself + this */

struct lc_jitter {
	struct lc_jitter_config cfg;
	uint32_t ch, capacity, mask, target, latency_frames;
	double nominal;
	float *ring;     /* capacity * ch */
	uint8_t *have;   /* capacity */
	float *scratch;  /* HIST_FRAMES * ch: the frames repeated over a hole */
	float *hist;     /* HIST_FRAMES * ch: the last frames made final (circular) */
	uint8_t *seen;   /* SEQ_WINDOW / 8 */
	struct lc_resample *rs;
	struct lc_drift drift;

	/* The stream. */
	int have_stream, started;
	uint32_t ssrc, state;
	int64_t read, frontier, newest_end;
	int64_t seq_base, seq_high;
	uint64_t stream_received, lost_before, n_streams;
	uint32_t last_packet_frames;
	/* Candidate for a new stream (lc_jitter.h "Stream identity"). */
	uint32_t cand_n, cand_ssrc, cand_next_ts;
	uint16_t cand_seq;
	/* Interarrival jitter (RFC 3550 A.8), stream frames. */
	int have_transit;
	double transit, jitter;

	/* Concealment. */
	uint32_t hist_pos, hist_n, rep_n, rep_pos, conceal_run, fade_in_left;
	uint32_t fade_frames, fade_in_frames;
	float conceal_gain; /* gain of the last concealed frame: the fade-in starts there */

	/* Ratio application (as lc_bridge.c). */
	struct lc_steer steer; /* the ratio in force and what its quantization owes */
	double want;
	uint32_t excess_run;

	struct lc_jitter_stats st;
};

static uint32_t
pow2_at_least(uint32_t n)
{
	uint32_t p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

int
lc_jitter_create(struct lc_jitter **out, const struct lc_jitter_config *cfg)
{
	struct lc_jitter *j;
	int err;
	uint32_t target;

	if (out == NULL)
		return LC_E_INVALID;
	*out = NULL;
	if (cfg == NULL)
		return LC_E_INVALID;
	err = lc_rtp_format_check(&cfg->fmt);
	if (err != 0)
		return err;
	if (cfg->target_ms < LC_JITTER_TARGET_MIN_MS || cfg->target_ms > LC_JITTER_TARGET_MAX_MS ||
	    cfg->conceal > LC_JITTER_CONCEAL_REPEAT_FADE || cfg->out_hz < 8000 ||
	    cfg->out_hz > 384000 || cfg->quality < LC_RESAMPLE_QUALITY_MIN ||
	    cfg->quality > LC_RESAMPLE_QUALITY_MAX)
		return LC_E_INVALID;
	target = (uint32_t)((uint64_t)cfg->fmt.rate_hz * cfg->target_ms / 1000u);
	if (target < 1)
		target = 1;

	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return LC_E_NO_MEMORY;
	j->cfg = *cfg;
	j->ch = cfg->fmt.channels;
	j->target = target;
	/* Room for the target twice over (the step rule trims above 2x or target + 30 ms),
	 * the largest packet and the largest pull's frames on top. */
	j->capacity = pow2_at_least(4 * target + (uint32_t)((uint64_t)cfg->fmt.rate_hz *
							    (2 * LC_JITTER_JUMP_MS) / 1000u) +
				    4 * LC_RTP_MAX_PACKET_FRAMES);
	j->mask = j->capacity - 1;
	j->ring = calloc((size_t)j->capacity * j->ch, sizeof(float));
	j->have = calloc(j->capacity, 1);
	j->scratch = calloc((size_t)HIST_FRAMES * j->ch, sizeof(float));
	j->hist = calloc((size_t)HIST_FRAMES * j->ch, sizeof(float));
	j->seen = calloc(SEQ_WINDOW / 8, 1);
	err = LC_E_NO_MEMORY;
	if (j->ring != NULL && j->have != NULL && j->scratch != NULL && j->hist != NULL &&
	    j->seen != NULL)
		err = lc_resample_create(&j->rs, j->ch, cfg->fmt.rate_hz, cfg->out_hz,
					 cfg->quality);
	if (err != 0) {
		lc_jitter_destroy(j);
		return err;
	}
	j->nominal = (double)cfg->fmt.rate_hz / cfg->out_hz;
	j->want = j->nominal;
	j->latency_frames = (uint32_t)((double)target / j->nominal + 0.5) +
			    lc_resample_latency_frames(j->rs);
	j->fade_frames = cfg->fmt.rate_hz * LC_JITTER_FADE_MS / 1000u;
	j->fade_in_frames = cfg->fmt.rate_hz * LC_JITTER_FADE_IN_MS / 1000u;
	lc_drift_init(&j->drift, cfg->fmt.rate_hz, cfg->out_hz, target);
	j->st.target_frames = target;
	j->st.fill_frames = target;
	*out = j;
	return 0;
}

void
lc_jitter_destroy(struct lc_jitter *j)
{
	if (j == NULL)
		return;
	lc_resample_destroy(j->rs);
	free(j->ring);
	free(j->have);
	free(j->scratch);
	free(j->hist);
	free(j->seen);
	free(j);
}

uint32_t
lc_jitter_latency_frames(const struct lc_jitter *j)
{
	return j->latency_frames;
}

/* Ends the stream's loss accounting (RFC 3550 6.4.1: expected minus received). */
static void
close_stream(struct lc_jitter *j)
{
	if (j->have_stream) {
		uint64_t expected = (uint64_t)(j->seq_high - j->seq_base + 1);

		if (expected > j->stream_received)
			j->lost_before += expected - j->stream_received;
	}
	j->have_stream = 0;
}

static void
open_stream(struct lc_jitter *j, const struct lc_rtp_header *h)
{
	if (j->n_streams++ > 0)
		j->st.restarts++;
	j->have_stream = 1;
	j->started = 0;
	j->ssrc = h->ssrc;
	j->read = j->frontier = j->newest_end = TS_BASE + h->timestamp;
	j->seq_base = j->seq_high = 0x10000 + h->seq;
	j->stream_received = 0;
	j->have_transit = 0;
	j->cand_n = 0;
	j->conceal_run = 0;
	j->fade_in_left = 0;
	j->excess_run = 0;
	memset(j->have, 0, j->capacity);
	memset(j->seen, 0, SEQ_WINDOW / 8);
	j->state = LC_JITTER_PRIMING;
}

void
lc_jitter_reset(struct lc_jitter *j)
{
	close_stream(j);
	j->cand_n = 0;
	j->state = LC_JITTER_PRIMING;
}

/* Records seq; returns 1 if it was new, 0 for a duplicate or one older than the window
 * (which cannot be told from a duplicate, and is far behind the frontier anyway). */
static int
note_seq(struct lc_jitter *j, uint16_t seq)
{
	int64_t e = lc_rtp_seq_extend(j->seq_high, seq);
	uint32_t bit;

	if (e > j->seq_high) {
		if (e - j->seq_high >= SEQ_WINDOW) {
			memset(j->seen, 0, SEQ_WINDOW / 8);
		} else {
			for (int64_t s = j->seq_high + 1; s <= e; s++)
				j->seen[(s & (SEQ_WINDOW - 1)) >> 3] &=
					(uint8_t)~(1u << (s & 7));
		}
		j->seq_high = e;
	} else if (j->seq_high - e >= SEQ_WINDOW) {
		return 0;
	} else if (e < j->seq_base) {
		j->seq_base = e; /* overtaken by the stream's first packet: expected after all */
	}
	bit = (uint32_t)(e & (SEQ_WINDOW - 1));
	if (j->seen[bit >> 3] & (1u << (bit & 7)))
		return 0;
	j->seen[bit >> 3] |= (uint8_t)(1u << (bit & 7));
	j->stream_received++;
	j->st.packets_received++;
	return 1;
}

static void
note_arrival(struct lc_jitter *j, uint32_t ts, uint64_t arrival_us)
{
	/* RFC 3550 A.8: J += (|D| - J) / 16, D the change in transit time, in timestamp
	 * units.  Unsigned arithmetic wraps; the difference is taken modulo 2^32. */
	double arrival = (double)arrival_us * j->cfg.fmt.rate_hz / 1e6;
	double transit = arrival - (double)ts;

	if (j->have_transit) {
		double d = transit - j->transit;

		d -= 4294967296.0 * (double)(int64_t)(d / 4294967296.0 + (d < 0 ? -0.5 : 0.5));
		j->jitter += ((d < 0 ? -d : d) - j->jitter) / 16.0;
	}
	j->transit = transit;
	j->have_transit = 1;
}

/* A packet outside the stream: one more of a candidate run, or a new candidate.
 * Returns 1 when the run is long enough to become the stream. */
static int
candidate(struct lc_jitter *j, const struct lc_rtp_header *h, uint32_t frames)
{
	if (j->cand_n > 0 && h->ssrc == j->cand_ssrc && h->seq == (uint16_t)(j->cand_seq + 1) &&
	    h->timestamp == j->cand_next_ts)
		j->cand_n++;
	else
		j->cand_n = 1;
	j->cand_ssrc = h->ssrc;
	j->cand_seq = h->seq;
	j->cand_next_ts = h->timestamp + frames;
	return j->cand_n >= LC_JITTER_SWITCH_PACKETS;
}

static void
store(struct lc_jitter *j, const uint8_t *payload, int64_t at, uint32_t frames)
{
	uint32_t idx = (uint32_t)(at & j->mask);
	uint32_t first = j->capacity - idx < frames ? j->capacity - idx : frames;
	uint32_t fb = j->ch * lc_rtp_sample_bytes(j->cfg.fmt.encoding);

	lc_rtp_decode(j->cfg.fmt.encoding, j->ch, payload, first, j->ring + (size_t)idx * j->ch);
	lc_rtp_decode(j->cfg.fmt.encoding, j->ch, payload + (size_t)first * fb, frames - first,
		      j->ring);
	memset(j->have + idx, 1, first);
	memset(j->have, 1, frames - first);
	if (at + frames > j->newest_end)
		j->newest_end = at + frames;
	j->last_packet_frames = frames;
}

/* While priming (no pulls yet, or after an underrun) the stream may outrun the window:
 * its oldest frames go, as priming's trim would take them anyway. */
static void
slide(struct lc_jitter *j, int64_t to)
{
	for (int64_t p = j->frontier; p < to; p++)
		j->have[p & j->mask] = 0;
	j->st.frames_skipped += (uint64_t)(to - j->read);
	j->read = j->frontier = to;
}

int
lc_jitter_push(struct lc_jitter *j, const uint8_t *pkt, size_t len, uint64_t arrival_us)
{
	struct lc_rtp_header h;
	int frames = 0, err;
	int64_t at;

	if (j == NULL)
		return LC_E_INVALID;
	err = lc_rtp_parse(pkt, len, &h);
	if (err == LC_E_INVALID)
		return err;
	if (err == 0)
		err = frames = lc_rtp_check_payload(&h, &j->cfg.fmt);
	if (err < 0) {
		j->st.packets_malformed++;
		return LC_E_CORRUPT;
	}
	if (h.payload_type != j->cfg.fmt.payload_type) {
		j->st.packets_foreign++;
		return 0;
	}
	if (!j->have_stream) {
		open_stream(j, &h);
	} else if (h.ssrc != j->ssrc) {
		if (!candidate(j, &h, (uint32_t)frames)) {
			j->st.packets_foreign++;
			return 0;
		}
		close_stream(j);
		open_stream(j, &h);
	}
	at = lc_rtp_ts_extend(j->newest_end, h.timestamp);
	if (j->state == LC_JITTER_PRIMING && at + frames > j->read + j->capacity &&
	    at + frames - j->newest_end < j->capacity / 2)
		slide(j, at + frames - j->capacity / 2);
	if (at + frames > j->read + j->capacity || at < j->frontier - (int64_t)j->capacity) {
		/* Far outside the window: a stray packet or a restarted sender. */
		if (!candidate(j, &h, (uint32_t)frames)) {
			j->st.packets_foreign++;
			return 0;
		}
		close_stream(j);
		open_stream(j, &h);
		at = j->newest_end;
	} else {
		j->cand_n = 0;
	}
	if (!note_seq(j, h.seq)) {
		j->st.packets_duplicate++;
		return 0;
	}
	note_arrival(j, h.timestamp, arrival_us);
	if (at < j->frontier) {
		j->st.packets_late++;
		return 0;
	}
	store(j, pkt + h.payload_offset, at, (uint32_t)frames);
	return 0;
}

static void
hist_put(struct lc_jitter *j, const float *frame)
{
	memcpy(j->hist + (size_t)j->hist_pos * j->ch, frame, j->ch * sizeof(float));
	j->hist_pos = (j->hist_pos + 1) % HIST_FRAMES;
	if (j->hist_n < HIST_FRAMES)
		j->hist_n++;
}

/* Fills one missing frame in place. */
static void
conceal(struct lc_jitter *j, float *frame)
{
	uint32_t k = j->conceal_run;

	if (k == 0) {
		j->st.conceal_events++;
		/* Repeat the last packet's worth of frames (a period of the audio we have). */
		j->rep_n = j->last_packet_frames < j->hist_n ? j->last_packet_frames : j->hist_n;
		for (uint32_t i = 0; i < j->rep_n; i++) {
			uint32_t src = (j->hist_pos + HIST_FRAMES - j->rep_n + i) % HIST_FRAMES;

			memcpy(j->scratch + (size_t)i * j->ch, j->hist + (size_t)src * j->ch,
			       j->ch * sizeof(float));
		}
	}
	j->conceal_run++;
	j->st.frames_concealed++;
	if (j->cfg.conceal == LC_JITTER_CONCEAL_REPEAT_FADE && j->rep_n > 0 &&
	    k < j->fade_frames) {
		float g = 1.0f - (float)(k + 1) / (float)(j->fade_frames + 1);
		const float *src = j->scratch + (size_t)(k % j->rep_n) * j->ch;

		for (uint32_t c = 0; c < j->ch; c++)
			frame[c] = src[c] * g;
		j->conceal_gain = g;
		return;
	}
	j->conceal_gain = 0;
	memset(frame, 0, j->ch * sizeof(float));
}

/* Makes up to n more frames final from the frontier on; stops at newest_end (nothing
 * to conceal a hole against).  Returns frames made final. */
static uint32_t
materialize(struct lc_jitter *j, uint32_t n)
{
	uint32_t done = 0;

	while (done < n && j->frontier < j->newest_end) {
		uint32_t idx = (uint32_t)(j->frontier & j->mask);
		float *frame = j->ring + (size_t)idx * j->ch;

		if (j->have[idx]) {
			if (j->conceal_run > 0 && j->cfg.conceal == LC_JITTER_CONCEAL_REPEAT_FADE)
				j->fade_in_left = j->fade_in_frames;
			j->conceal_run = 0;
			if (j->fade_in_left > 0) {
				/* From the level the concealment ended at, up to 1. */
				float r = (float)j->fade_in_left / (float)(j->fade_in_frames + 1);
				float g = 1.0f - r * (1.0f - j->conceal_gain);

				for (uint32_t c = 0; c < j->ch; c++)
					frame[c] *= g;
				j->fade_in_left--;
			}
			j->have[idx] = 0;
		} else {
			conceal(j, frame);
		}
		hist_put(j, frame);
		j->frontier++;
		done++;
	}
	return done;
}

static void
apply_ratio(struct lc_jitter *j, uint32_t n)
{
	lc_steer_apply(&j->steer, j->rs, j->want, j->nominal, n);
}

/* lc_bridge.c's step rule (excess_persists()), on this buffer's fill. */
static int
excess_persists(struct lc_jitter *j, uint32_t n)
{
	double margin = (double)j->cfg.fmt.rate_hz * LC_JITTER_JUMP_MS / 1000.0;
	double limit = j->target + (margin > j->target ? margin : j->target) + n * j->want;

	if ((double)(j->newest_end - j->read) <= limit) {
		j->excess_run = 0;
		return 0;
	}
	j->excess_run += n;
	if ((uint64_t)j->excess_run * 1000 < (uint64_t)j->cfg.out_hz * LC_JITTER_JUMP_AFTER_MS)
		return 0;
	j->excess_run = 0;
	return 1;
}

/* PRIMING: once the fill reaches the target plus half this pull, drop what is beyond
 * (the one allowed jump) and run.  Returns 1 when running. */
static int
prime(struct lc_jitter *j, uint32_t n)
{
	double need_f = j->target + 0.5 * n * j->want + 0.5;
	int64_t need = (int64_t)need_f, start;

	if (j->newest_end - j->frontier < need)
		return 0;
	start = j->newest_end - need;
	slide(j, start);
	j->conceal_run = 0;
	lc_drift_start(&j->drift, j->started);
	j->want = j->nominal * (1.0 + lc_drift_correction(&j->drift));
	if (j->started)
		j->st.resyncs++;
	else
		lc_steer_reset(&j->steer);
	j->started = 1;
	j->state = LC_JITTER_RUNNING;
	return 1;
}

/* Resamples from `read`, making frames final as the resampler needs them. */
static uint32_t
run(struct lc_jitter *j, float *out, uint32_t n, uint32_t *consumed)
{
	uint32_t produced = 0;

	*consumed = 0;
	while (produced < n) {
		uint32_t ready = (uint32_t)(j->frontier - j->read);
		uint32_t want_in = (uint32_t)((n - produced) * j->want) + 2;
		uint32_t idx, in_n, out_n;

		if (ready < want_in)
			ready += materialize(j, want_in - ready);
		if (ready == 0)
			break;
		idx = (uint32_t)(j->read & j->mask);
		in_n = j->capacity - idx < ready ? j->capacity - idx : ready;
		out_n = n - produced;
		(void)lc_resample_process(j->rs, j->ring + (size_t)idx * j->ch, &in_n,
					  out + (size_t)produced * j->ch, &out_n);
		if (in_n == 0 && out_n == 0) {
			/* The resampler wants more than is final: one more frame, if any. */
			if (materialize(j, 1) == 0)
				break;
			continue;
		}
		j->read += in_n;
		*consumed += in_n;
		produced += out_n;
	}
	return produced;
}

void
lc_jitter_pull(struct lc_jitter *j, float *out, uint32_t n)
{
	uint32_t produced, consumed;

	if (n == 0)
		return;
	j->st.frames_out += n;
	if (j->have_stream && j->state == LC_JITTER_RUNNING && excess_persists(j, n))
		j->state = LC_JITTER_PRIMING;
	if (!j->have_stream || (j->state == LC_JITTER_PRIMING && !prime(j, n))) {
		memset(out, 0, (size_t)n * j->ch * sizeof(float));
		return;
	}
	apply_ratio(j, n);
	produced = run(j, out, n, &consumed);
	if (produced < n) {
		memset(out + (size_t)produced * j->ch, 0, (size_t)(n - produced) * j->ch *
		       sizeof(float));
		j->st.underruns++;
		j->state = LC_JITTER_PRIMING;
		return;
	}
	/* The fill half-way through this pull stands for its time average (lc_bridge.c). */
	j->want = j->nominal *
		  (1.0 + lc_drift_update(&j->drift,
					 (double)(j->newest_end - j->read) + 0.5 * consumed, n));
}

void
lc_jitter_stats(const struct lc_jitter *j, struct lc_jitter_stats *st)
{
	*st = j->st;
	st->state = j->state;
	st->have_stream = (uint32_t)j->have_stream;
	st->ssrc = j->ssrc;
	st->fill_frames = lc_drift_fill_frames(&j->drift);
	st->ratio_ppm = 1e6 * lc_drift_correction(&j->drift);
	st->offset_ppm = 1e6 * lc_drift_offset(&j->drift);
	st->applied_ppm = 1e6 * (lc_resample_ratio(j->rs) / j->nominal - 1.0);
	st->jitter_frames = j->jitter;
	st->packets_lost = j->lost_before;
	if (j->have_stream) {
		uint64_t expected = (uint64_t)(j->seq_high - j->seq_base + 1);

		if (expected > j->stream_received)
			st->packets_lost += expected - j->stream_received;
	}
}
