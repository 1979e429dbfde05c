/* SPDX-License-Identifier: MIT */
/*
 * bench_rtp.c — a network cable's cost: one second of a 48 kHz stereo L24 stream in
 * 1 ms packets, against baselines measured in the same run.
 *
 * Not a test: prints a table.  Per second of audio (best of N_RUNS):
 * - memcpy of the same bytes: the float frames in and the packets out (the least any
 *   send side does) — the baseline;
 * - send: lc_rtp_packetizer_put, float frames in 480-frame chunks (a cable period) to
 *   1000 packets;
 * - depacketize: lc_rtp_parse + lc_rtp_check_payload + lc_rtp_decode of those packets;
 * - receive: lc_jitter_push of the 1000 packets, lc_jitter_pull of 480-frame chunks at
 *   48 kHz (drift loop on, so speexdsp runs its interpolating filter);
 * - lc_bridge push + pull of the same audio (480 / 480): a forwarding route's cost,
 *   for comparison with the receive side.
 * Cost is printed as % of one core (CPU seconds per second of audio) and as a ratio to
 * memcpy and to lc_bridge.  Then one simulated network minute (tests/unit/jitter_sim.h)
 * with its fill error and counters.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jitter_sim.h"
#include "lc_bridge.h"
#include "lc_jitter.h"
#include "lc_rtp.h"

#define N_RUNS 7
#define CH 2
#define RATE 48000
#define FPP 48
#define CHUNK 480
#define N_PKT (RATE / FPP)
#define PKT_BYTES (12 + FPP * CH * 3)

static float frames[RATE * CH], back[RATE * CH];
static uint8_t packets[N_PKT][PKT_BYTES], copy_dst[N_PKT * PKT_BYTES];
static void *(*volatile memcpy_fn)(void *, const void *, size_t) = memcpy;
static volatile float sink;

static const struct lc_rtp_format fmt = { LC_RTP_L24, RATE, CH, 96, 1000 };

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

enum job { JOB_MEMCPY, JOB_SEND, JOB_DEPAY, JOB_RECEIVE, JOB_BRIDGE };

static double
once(enum job job)
{
	double t0 = now_s(), t;

	switch (job) {
	case JOB_MEMCPY:
		for (uint32_t f = 0; f < RATE; f += CHUNK)
			memcpy_fn(back + f * CH, frames + f * CH, CHUNK * CH * sizeof(float));
		for (uint32_t k = 0; k < N_PKT; k++)
			memcpy_fn(copy_dst + k * PKT_BYTES, packets[k], PKT_BYTES);
		break;
	case JOB_SEND: {
		static struct lc_rtp_packetizer p;
		uint32_t k = 0;

		lc_rtp_packetizer_init(&p, &fmt, 0x12345678u, 100, 1000);
		t0 = now_s();
		for (uint32_t f = 0; f < RATE; f += CHUNK) {
			uint32_t off = 0;

			while (off < CHUNK) {
				uint32_t used;
				int len = lc_rtp_packetizer_put(&p, frames + (f + off) * CH,
								CHUNK - off, &used,
								packets[k % N_PKT], PKT_BYTES);

				off += used;
				k += len > 0;
			}
		}
		if (k != N_PKT)
			exit(2);
		break;
	}
	case JOB_DEPAY:
		for (uint32_t k = 0; k < N_PKT; k++) {
			struct lc_rtp_header h;

			if (lc_rtp_parse(packets[k], PKT_BYTES, &h) != 0 ||
			    lc_rtp_check_payload(&h, &fmt) != FPP)
				exit(2);
			lc_rtp_decode(LC_RTP_L24, CH, packets[k] + h.payload_offset, FPP,
				      back + k * FPP * CH);
		}
		break;
	case JOB_RECEIVE: {
		struct lc_jitter_config cfg = { fmt, RATE, 20, LC_JITTER_CONCEAL_SILENCE,
						LC_BRIDGE_QUALITY_DEFAULT };
		struct lc_jitter *j;
		uint32_t k = 0, pulled = 0;

		if (lc_jitter_create(&j, &cfg) != 0)
			exit(2);
		/* Prime outside the timing: 30 packets ahead, then a pull. */
		for (; k < 30; k++)
			lc_jitter_push(j, packets[k], PKT_BYTES, 0);
		lc_jitter_pull(j, back, CHUNK);
		t0 = now_s();
		/* Packets keep 20 ms ahead of the pulls, as on a steady network; each packet
		 * is re-stamped (seq, timestamp) to continue the stream past the first second. */
		while (pulled < RATE) {
			while ((k - 30) * FPP < pulled + CHUNK) {
				uint8_t *p = packets[k % N_PKT];
				uint32_t ts = 1000 + k * FPP;
				uint16_t seq = (uint16_t)(100 + k);

				p[2] = (uint8_t)(seq >> 8);
				p[3] = (uint8_t)seq;
				p[4] = (uint8_t)(ts >> 24);
				p[5] = (uint8_t)(ts >> 16);
				p[6] = (uint8_t)(ts >> 8);
				p[7] = (uint8_t)ts;
				lc_jitter_push(j, p, PKT_BYTES, 0);
				k++;
			}
			lc_jitter_pull(j, back, CHUNK);
			pulled += CHUNK;
		}
		t = now_s() - t0;
		{
			struct lc_jitter_stats st;

			lc_jitter_stats(j, &st);
			if (st.underruns != 0 || st.frames_concealed != 0)
				exit(3);
		}
		lc_jitter_destroy(j);
		return t;
	}
	case JOB_BRIDGE: {
		struct lc_bridge_config cfg = { CH, RATE, RATE, RATE / 50, RATE / 10,
						LC_BRIDGE_QUALITY_DEFAULT };
		struct lc_bridge *b;
		uint32_t pushed = 0, pulled = 0;

		if (lc_bridge_create(&b, &cfg) != 0)
			exit(2);
		while (lc_bridge_fill_frames(b) < cfg.target_frames + CHUNK)
			pushed += lc_bridge_push(b, frames, CHUNK);
		lc_bridge_pull(b, back, CHUNK);
		t0 = now_s();
		while (pulled < RATE) {
			if ((double)pushed <= (double)pulled + 0.02 * RATE)
				pushed += lc_bridge_push(b, frames, CHUNK);
			lc_bridge_pull(b, back, CHUNK);
			pulled += CHUNK;
		}
		t = now_s() - t0;
		lc_bridge_destroy(b);
		return t;
	}
	}
	t = now_s() - t0;
	sink = back[RATE];
	return t;
}

static double
best_s(enum job job)
{
	double best = INFINITY;

	for (int run = 0; run < N_RUNS; run++) {
		double t = once(job);

		if (t < best)
			best = t;
	}
	return best;
}

int
main(void)
{
	double t_mc, t_br, t_send, t_depay, t_recv;

	for (uint32_t i = 0; i < RATE * CH; i++)
		frames[i] = (float)(0.5 * sin(2 * 3.14159265358979323846 * 997.0 * (i / CH) /
					      RATE));
	t_send = best_s(JOB_SEND); /* also fills `packets` for the others */
	t_mc = best_s(JOB_MEMCPY);
	t_depay = best_s(JOB_DEPAY);
	t_recv = best_s(JOB_RECEIVE);
	t_br = best_s(JOB_BRIDGE);

	printf("48 kHz stereo L24, 1 ms packets (1000 per second), cable chunks of %u frames;\n"
	       "one second of audio per run, best of %d\n", CHUNK, N_RUNS);
	printf("  %-44s %10s %10s %10s %10s\n", "routine", "us/s audio", "% of core",
	       "x memcpy", "x bridge");
#define ROW(name, t) \
	printf("  %-44s %10.1f %10.4f %10.1f %10.3f\n", name, (t) * 1e6, (t) * 100.0, (t) / t_mc, \
	       (t) / t_br)
	ROW("memcpy of frames in + packets out", t_mc);
	ROW("send: packetizer (encode L24, headers)", t_send);
	ROW("depacketize: parse + check + decode", t_depay);
	ROW("receive: jitter push + pull (drift loop on)", t_recv);
	ROW("lc_bridge push + pull (forwarding route)", t_br);
#undef ROW

	/* One network minute, as test_jitter runs hours of it. */
	{
		struct jsim_cfg c = {
			.fmt = fmt, .out_hz = RATE, .target_ms = LC_JITTER_TARGET_DEFAULT_MS,
			.offset_ppm = 200, .seconds = 60, .settle_s = 10, .loss = 0.01,
			.burst = 0.001, .burst_max = 5, .dup = 0.005, .held = 0.001, .delay_ms = 6,
			.jitter_ms = 5, .pull_ms_lo = 1, .pull_ms_hi = 5, .seed = 21,
		};
		double t0 = now_s();
		struct jsim_result r = jsim_run(&c);

		printf("\nsimulated network, 60 s at +200 ppm, 1 %% loss + bursts, +-5 ms jitter, "
		       "target %u ms (%.1f s of CPU):\n", c.target_ms, now_s() - t0);
		printf("  fill error max %.3f ms after 10 s; sent %llu, dropped %llu (lost %llu), "
		       "held %llu (late %llu), dup %llu (%llu), concealed %llu frames\n",
		       r.max_fill_err_ms, (unsigned long long)r.sent, (unsigned long long)r.dropped,
		       (unsigned long long)r.st.packets_lost, (unsigned long long)r.held,
		       (unsigned long long)r.st.packets_late, (unsigned long long)r.duplicated,
		       (unsigned long long)r.st.packets_duplicate,
		       (unsigned long long)r.st.frames_concealed);
	}
	return 0;
}
