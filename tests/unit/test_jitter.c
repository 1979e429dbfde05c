/* SPDX-License-Identifier: MIT */
/*
 * test_jitter.c — the receive side of a network cable.  An hour of a simulated network
 * per case (jitter_sim.h): 1 % loss plus bursts, reordering by +-5 ms of jitter,
 * duplicates, packets held back beyond the buffer, a sender clock off by +-200 ppm.
 * The fill holds its target within 2 ms, every dropped, late and duplicated packet is
 * counted exactly (against the simulator's own tally), concealment covers exactly the
 * frames of the packets that never came in time, and the tone is continuous everywhere
 * but at concealed holes.  Then deterministic cases: reordering inside the window,
 * duplicates, late packets, sequence and timestamp wrap, SSRC changes, sender restarts,
 * stray packets, malformed ones, underrun and priming again, bad configurations.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jitter_sim.h"
#include "lc_jitter.h"
#include "lc_result.h"
#include "lc_rtp.h"

static struct jsim_cfg
network_hour(double offset_ppm, uint64_t seed)
{
	return (struct jsim_cfg){
		.fmt = { LC_RTP_L24, 48000, 2, 96, 1000 },
		.out_hz = 48000,
		.target_ms = LC_JITTER_TARGET_DEFAULT_MS,
		.conceal = LC_JITTER_CONCEAL_SILENCE,
		.offset_ppm = offset_ppm,
		.seconds = 3600,
		.settle_s = 10,
		.loss = 0.01,
		.burst = 0.001,
		.burst_max = 5,
		.dup = 0.005,
		.held = 0.001,
		.delay_ms = 6,
		.jitter_ms = 5,
		.pull_ms_lo = 1,
		.pull_ms_hi = 5,
		.seed = seed,
	};
}

static void
check_network(const struct jsim_cfg *c, const struct jsim_result *r)
{
	const struct lc_jitter_stats *st = &r->st;
	uint32_t fpp = lc_rtp_ptime_frames(c->fmt.rate_hz, c->fmt.ptime_us);

	cr_log_info("%+.0f ppm, %u Hz -> %u Hz, %u ch: sent %llu dropped %llu held %llu dup %llu | "
		    "received %llu lost %llu late %llu duplicate %llu foreign %llu malformed %llu "
		    "concealed %llu frames in %llu holes, skipped %llu, underruns %llu "
		    "resyncs %llu restarts %llu | fill err max %.3f ms, offset %.1f ppm, "
		    "jitter %.2f frames, "
		    "bad samples %llu in %llu runs, clean residual max %.5f, channel err %.2g",
		    c->offset_ppm, c->fmt.rate_hz, c->out_hz, c->fmt.channels,
		    (unsigned long long)r->sent, (unsigned long long)r->dropped,
		    (unsigned long long)r->held, (unsigned long long)r->duplicated,
		    (unsigned long long)st->packets_received,
		    (unsigned long long)st->packets_lost, (unsigned long long)st->packets_late,
		    (unsigned long long)st->packets_duplicate,
		    (unsigned long long)st->packets_foreign,
		    (unsigned long long)st->packets_malformed,
		    (unsigned long long)st->frames_concealed,
		    (unsigned long long)st->conceal_events,
		    (unsigned long long)st->frames_skipped, (unsigned long long)st->underruns,
		    (unsigned long long)st->resyncs, (unsigned long long)st->restarts,
		    r->max_fill_err_ms, st->offset_ppm, st->jitter_frames,
		    (unsigned long long)r->bad_samples, (unsigned long long)r->bad_runs,
		    r->max_residual_clean, r->max_channel_err);
	cr_assert_eq(r->create_err, 0);
	/* Every packet accounted for, exactly. */
	cr_expect_eq(st->packets_received + st->packets_lost, r->sent);
	cr_expect_eq(st->packets_lost, r->dropped);
	cr_expect_eq(st->packets_late, r->held);
	cr_expect_eq(st->packets_duplicate, r->duplicated);
	cr_expect_eq(st->packets_foreign, 0);
	cr_expect_eq(st->packets_malformed, 0);
	cr_expect_eq(st->frames_concealed, (r->dropped + r->held) * fpp,
		     "concealed frames != frames of dropped and held-back packets");
	cr_expect_leq(st->conceal_events, r->dropped + r->held);
	/* One underrun: the end, when the sender stopped.  Nothing else re-primed. */
	cr_expect_eq(st->underruns, 1);
	cr_expect_eq(st->resyncs, 0);
	cr_expect_eq(st->restarts, 0);
	cr_expect_eq(r->running_pulls, r->checked_pulls, "left RUNNING after settling");
	cr_expect_leq(r->max_fill_err_ms, 2.0, "fill error %.3f ms", r->max_fill_err_ms);
	cr_expect_leq(fabs(st->offset_ppm - c->offset_ppm), 40.0, "offset estimate %.1f ppm",
		      st->offset_ppm);
	/* The tone: off only where a hole was concealed (a hole's cut, repeats and return
	 * lie within SIM_RUN_GAP_MS of each other, so holes never make more runs than
	 * there are holes).  How exact it is elsewhere is the clean network's test: here a
	 * 1 ms fade-in after a hole longer than the run gap leaves residuals of ~0.003,
	 * between that test's bound and this one's. */
	cr_expect_leq(r->bad_runs, st->conceal_events, "%llu runs off the tone for %llu holes",
		      (unsigned long long)r->bad_runs, (unsigned long long)st->conceal_events);
	cr_expect_gt(r->bad_runs, 0, "holes must show: the check must be able to fail");
	cr_expect_lt(r->max_channel_err, 1e-5);
}

Test(jitter, hour_plus_200ppm_loss_bursts_reorder_dups_silence)
{
	struct jsim_cfg c = network_hour(+200, 11);
	struct jsim_result r = jsim_run(&c);

	check_network(&c, &r);
}

Test(jitter, hour_minus_200ppm_loss_bursts_reorder_dups_repeat_fade_44k1_mono)
{
	struct jsim_cfg c = network_hour(-200, 12);
	struct jsim_result r;

	c.fmt = (struct lc_rtp_format){ LC_RTP_L16, 44100, 1, 97, 1000 };
	c.conceal = LC_JITTER_CONCEAL_REPEAT_FADE;
	r = jsim_run(&c);
	check_network(&c, &r);
}

/* No loss: reordering, duplicates and drift alone leave the tone untouched. */
Test(jitter, ten_minutes_clean_network_is_bit_continuous)
{
	struct jsim_cfg c = network_hour(+200, 13);
	struct jsim_result r;

	c.seconds = 600;
	c.loss = c.burst = c.held = 0;
	r = jsim_run(&c);
	cr_assert_eq(r.create_err, 0);
	cr_expect_eq(r.st.frames_concealed, 0);
	cr_expect_eq(r.st.packets_lost, 0);
	cr_expect_eq(r.st.packets_duplicate, r.duplicated);
	cr_expect_gt(r.duplicated, 0);
	cr_expect_eq(r.bad_samples, 0, "%llu samples off the tone",
		     (unsigned long long)r.bad_samples);
	cr_expect_leq(r.max_fill_err_ms, 2.0, "fill error %.3f ms", r.max_fill_err_ms);
	cr_expect_lt(r.max_residual_clean, 0.002, "%.5f", r.max_residual_clean);
	cr_log_info("clean network, 10 min: fill err max %.3f ms, residual max %.6f, dup %llu",
		    r.max_fill_err_ms, r.max_residual_clean, (unsigned long long)r.duplicated);
}

/* --- deterministic cases: 48 kHz stereo L24, 1 ms packets, consumer at 48 kHz */

#define FPP 48

struct det {
	struct lc_jitter *j;
	struct lc_rtp_format fmt;
	uint8_t pkt[LC_RTP_MAX_PACKET_BYTES];
	float out[4800 * 2];
};

static struct det *
det_new(uint32_t target_ms)
{
	struct det *d = calloc(1, sizeof(*d));
	struct lc_jitter_config cfg = { { LC_RTP_L24, 48000, 2, 96, 1000 }, 48000, target_ms,
					LC_JITTER_CONCEAL_SILENCE, 5 };

	d->fmt = cfg.fmt;
	cr_assert_eq(lc_jitter_create(&d->j, &cfg), 0);
	return d;
}

static void
det_free(struct det *d)
{
	lc_jitter_destroy(d->j);
	free(d);
}

/* A packet of a constant value v: seq, ts, ssrc as given. */
static int
send_pkt(struct det *d, uint32_t ssrc, uint16_t seq, uint32_t ts, float v)
{
	struct lc_rtp_header h = { .payload_type = 96, .seq = seq, .timestamp = ts, .ssrc = ssrc };
	float f[FPP * 2];

	for (int i = 0; i < FPP * 2; i++)
		f[i] = v;
	lc_rtp_write_header(d->pkt, sizeof d->pkt, &h);
	lc_rtp_encode(LC_RTP_L24, 2, f, FPP, d->pkt + 12);
	return lc_jitter_push(d->j, d->pkt, 12 + FPP * 6, 0);
}

static struct lc_jitter_stats
stats(struct det *d)
{
	struct lc_jitter_stats st;

	lc_jitter_stats(d->j, &st);
	return st;
}

Test(jitter, bad_configs)
{
	struct lc_jitter *j = (struct lc_jitter *)1;
	struct lc_jitter_config cfg = { { LC_RTP_L24, 48000, 2, 96, 1000 }, 48000, 20, 0, 5 };

	cr_expect_eq(lc_jitter_create(NULL, &cfg), LC_E_INVALID);
	cr_expect_eq(lc_jitter_create(&j, NULL), LC_E_INVALID);
	cr_expect_null(j);
	cfg.target_ms = 0;
	cr_expect_eq(lc_jitter_create(&j, &cfg), LC_E_INVALID);
	cfg.target_ms = 501;
	cr_expect_eq(lc_jitter_create(&j, &cfg), LC_E_INVALID);
	cfg.target_ms = 20;
	cfg.conceal = 2;
	cr_expect_eq(lc_jitter_create(&j, &cfg), LC_E_INVALID);
	cfg.conceal = 0;
	cfg.fmt.channels = 9;
	cr_expect_eq(lc_jitter_create(&j, &cfg), LC_E_FORMAT);
	cfg.fmt.channels = 2;
	cfg.quality = 11;
	cr_expect_eq(lc_jitter_create(&j, &cfg), LC_E_INVALID);
	cfg.quality = 5;
	cr_assert_eq(lc_jitter_create(&j, &cfg), 0);
	/* 20 ms at 48 kHz plus speexdsp's ~40 frames. */
	cr_expect_geq(lc_jitter_latency_frames(j), 960 + 30);
	cr_expect_leq(lc_jitter_latency_frames(j), 960 + 60);
	lc_jitter_destroy(j);
	lc_jitter_destroy(NULL);
}

Test(jitter, silence_until_primed_then_runs)
{
	struct det *d = det_new(5);
	struct lc_jitter_stats st;

	lc_jitter_pull(d->j, d->out, 48);
	cr_expect_eq(d->out[0], 0.0f);
	for (uint32_t k = 0; k < 5; k++)
		cr_assert_eq(send_pkt(d, 1, (uint16_t)k, 1000 + k * FPP, 0.25f), 0);
	lc_jitter_pull(d->j, d->out, 48);
	cr_expect_eq(stats(d).state, LC_JITTER_PRIMING, "5 ms is not target + half a pull");
	for (uint32_t k = 5; k < 40; k++) {
		send_pkt(d, 1, (uint16_t)k, 1000 + k * FPP, 0.25f);
		lc_jitter_pull(d->j, d->out, 48);
	}
	st = stats(d);
	cr_expect_eq(st.state, LC_JITTER_RUNNING);
	cr_expect_eq(st.have_stream, 1);
	cr_expect_eq(st.ssrc, 1);
	cr_expect_eq(st.packets_received, 40);
	cr_expect_eq(st.underruns, 0);
	cr_expect_eq(st.frames_concealed, 0);
	/* Through the resampler's settled filter a constant stays that constant. */
	cr_expect_float_eq(d->out[47 * 2], 0.25f, 1e-2);
	det_free(d);
}

/* Runs n packets (from k0) in the given order of offsets, one pull of 1 ms per packet. */
static void
run_order(struct det *d, uint32_t k0, const int *order, uint32_t n, uint16_t seq0, uint32_t ts0)
{
	for (uint32_t i = 0; i < n; i++) {
		uint32_t k = k0 + (uint32_t)order[i];

		send_pkt(d, 7, (uint16_t)(seq0 + k), ts0 + k * FPP, 0.25f);
		lc_jitter_pull(d->j, d->out, FPP);
	}
}

Test(jitter, reorder_duplicates_late_and_wrap)
{
	struct det *d = det_new(10);
	/* Starts 30 packets before both wraps (seq 0xffe2, ts 2^32 - 30 * 48). */
	uint16_t seq0 = 0xffe2;
	uint32_t ts0 = 0u - 30u * FPP;
	int inorder[200], swapped[] = { 1, 0, 3, 2, 5, 4, 7, 6 };
	struct lc_jitter_stats st;

	for (int i = 0; i < 200; i++)
		inorder[i] = i;
	run_order(d, 0, inorder, 40, seq0, ts0);
	run_order(d, 40, swapped, 8, seq0, ts0);
	/* Duplicates: one just sent, one long played. */
	send_pkt(d, 7, (uint16_t)(seq0 + 47), ts0 + 47 * FPP, 0.25f);
	send_pkt(d, 7, (uint16_t)(seq0 + 3), ts0 + 3 * FPP, 0.25f);
	/* 48 goes missing for now, 49 .. 70 arrive, then 48 (15 ms behind the frontier). */
	run_order(d, 49, inorder, 22, seq0, ts0);
	send_pkt(d, 7, (uint16_t)(seq0 + 48), ts0 + 48 * FPP, 0.25f);
	run_order(d, 71, inorder, 30, seq0, ts0);
	st = stats(d);
	cr_expect_eq(st.packets_received, 101);
	cr_expect_eq(st.packets_duplicate, 2);
	cr_expect_eq(st.packets_late, 1);
	cr_expect_eq(st.packets_lost, 0, "a late packet arrived: not lost (RFC 3550)");
	cr_expect_eq(st.frames_concealed, FPP);
	cr_expect_eq(st.conceal_events, 1);
	cr_expect_eq(st.underruns, 0);
	cr_expect_eq(st.restarts, 0);
	cr_expect_eq(st.resyncs, 0);
	det_free(d);
}

Test(jitter, loss_counted_by_seq)
{
	struct det *d = det_new(10);
	struct lc_jitter_stats st;

	for (uint32_t k = 0; k < 100; k++) {
		if (k != 50 && k != 51 && k != 70)
			send_pkt(d, 3, (uint16_t)k, k * FPP, 0.25f);
		lc_jitter_pull(d->j, d->out, FPP);
	}
	st = stats(d);
	cr_expect_eq(st.packets_lost, 3);
	cr_expect_eq(st.frames_concealed, 3 * FPP);
	cr_expect_eq(st.conceal_events, 2);
	det_free(d);
}

Test(jitter, malformed_and_foreign_payload_type)
{
	struct det *d = det_new(10);
	uint8_t junk[40] = { 0x40 };
	struct lc_jitter_stats st;

	cr_expect_eq(lc_jitter_push(d->j, junk, sizeof junk, 0), LC_E_CORRUPT);
	cr_expect_eq(lc_jitter_push(d->j, junk, 3, 0), LC_E_CORRUPT);
	junk[0] = 0x80;
	junk[1] = 96;
	cr_expect_eq(lc_jitter_push(d->j, junk, 12 + 7, 0), LC_E_CORRUPT, "not whole frames");
	junk[1] = 0x80 | 11;
	cr_expect_eq(lc_jitter_push(d->j, junk, 12 + 6, 0), 0);
	cr_expect_eq(lc_jitter_push(NULL, junk, 12, 0), LC_E_INVALID);
	st = stats(d);
	cr_expect_eq(st.packets_malformed, 3);
	cr_expect_eq(st.packets_foreign, 1);
	cr_expect_eq(st.have_stream, 0);
	det_free(d);
}

Test(jitter, ssrc_change_followed_stray_ignored)
{
	struct det *d = det_new(10);
	struct lc_jitter_stats st;
	uint32_t k;

	for (k = 0; k < 50; k++) {
		send_pkt(d, 1, (uint16_t)k, k * FPP, 0.25f);
		if (k == 20 || k == 30) /* a stray packet of another source */
			send_pkt(d, 99, 5000, 777777, 0.5f);
		lc_jitter_pull(d->j, d->out, FPP);
	}
	st = stats(d);
	cr_expect_eq(st.ssrc, 1);
	cr_expect_eq(st.packets_foreign, 2);
	cr_expect_eq(st.restarts, 0);
	/* The sender restarts with a new SSRC, seq and timestamp. */
	for (uint32_t i = 0; i < 60; i++) {
		send_pkt(d, 2, (uint16_t)(9000 + i), 123456789u + i * FPP, -0.25f);
		lc_jitter_pull(d->j, d->out, FPP);
	}
	st = stats(d);
	cr_expect_eq(st.ssrc, 2);
	cr_expect_eq(st.restarts, 1);
	cr_expect_eq(st.packets_foreign, 2 + LC_JITTER_SWITCH_PACKETS - 1);
	cr_expect_eq(st.state, LC_JITTER_RUNNING);
	cr_expect_float_eq(d->out[10], -0.25f, 1e-3, "playing the new stream");
	/* The old stream's loss accounting closed without counting the switch as loss. */
	cr_expect_eq(st.packets_lost, 0);
	det_free(d);
}

Test(jitter, sender_restart_same_ssrc_timestamp_jump)
{
	struct det *d = det_new(10);
	struct lc_jitter_stats st;

	for (uint32_t k = 0; k < 50; k++) {
		send_pkt(d, 5, (uint16_t)k, k * FPP, 0.25f);
		lc_jitter_pull(d->j, d->out, FPP);
	}
	/* One corrupt-looking packet far ahead: ignored. */
	send_pkt(d, 5, 50, 0x40000000u, 0.5f);
	for (uint32_t k = 50; k < 60; k++) {
		send_pkt(d, 5, (uint16_t)k, k * FPP, 0.25f);
		lc_jitter_pull(d->j, d->out, FPP);
	}
	st = stats(d);
	cr_expect_eq(st.restarts, 0);
	cr_expect_eq(st.packets_foreign, 1);
	cr_expect_eq(st.packets_duplicate, 0, "the far packet was never taken in");
	/* Restarted: timestamps far away, sequence numbers too. */
	for (uint32_t i = 0; i < 60; i++) {
		send_pkt(d, 5, (uint16_t)(30000 + i), 0x90000000u + i * FPP, -0.25f);
		lc_jitter_pull(d->j, d->out, FPP);
	}
	st = stats(d);
	cr_expect_eq(st.restarts, 1);
	cr_expect_eq(st.state, LC_JITTER_RUNNING);
	cr_expect_float_eq(d->out[10], -0.25f, 1e-3);
	det_free(d);
}

Test(jitter, underrun_then_primes_again)
{
	struct det *d = det_new(10);
	struct lc_jitter_stats st;
	uint32_t k;

	for (k = 0; k < 40; k++) {
		send_pkt(d, 1, (uint16_t)k, k * FPP, 0.25f);
		lc_jitter_pull(d->j, d->out, FPP);
	}
	/* The sender stalls for 50 ms: the buffer runs dry once. */
	for (int i = 0; i < 50; i++)
		lc_jitter_pull(d->j, d->out, FPP);
	st = stats(d);
	cr_expect_eq(st.underruns, 1);
	cr_expect_eq(st.state, LC_JITTER_PRIMING);
	cr_expect_eq(st.frames_concealed, 0, "running dry is not a hole");
	for (; k < 100; k++) {
		send_pkt(d, 1, (uint16_t)k, k * FPP, 0.25f);
		lc_jitter_pull(d->j, d->out, FPP);
	}
	st = stats(d);
	cr_expect_eq(st.state, LC_JITTER_RUNNING);
	cr_expect_eq(st.resyncs, 1);
	cr_expect_eq(st.underruns, 1);
	cr_expect_eq(st.packets_lost, 0);
	det_free(d);
}

/* A 1 kHz tone (one period per packet) with packet 60 lost: the longest run of
 * near-zero output shows whether the hole was filled (a sine at 0.5 stays below 0.05
 * for about 3 samples around each zero crossing; a silent hole is 48 long). */
static uint32_t
longest_quiet_run(uint32_t conceal)
{
	struct lc_jitter_config cfg = { { LC_RTP_L24, 48000, 1, 96, 1000 }, 48000, 10, conceal,
					5 };
	struct lc_jitter *j = NULL;
	uint8_t pkt[12 + FPP * 3];
	float f[FPP], out[FPP];
	uint32_t run = 0, longest = 0;
	struct lc_jitter_stats st;

	cr_assert_eq(lc_jitter_create(&j, &cfg), 0);
	for (int i = 0; i < FPP; i++)
		f[i] = (float)(0.5 * sin(2 * 3.14159265358979323846 * i / FPP));
	for (uint32_t k = 0; k < 100; k++) {
		struct lc_rtp_header h = { .payload_type = 96, .seq = (uint16_t)k,
					   .timestamp = k * FPP, .ssrc = 1 };

		lc_rtp_write_header(pkt, sizeof pkt, &h);
		lc_rtp_encode(LC_RTP_L24, 1, f, FPP, pkt + 12);
		if (k != 60)
			lc_jitter_push(j, pkt, sizeof pkt, 0);
		lc_jitter_pull(j, out, FPP);
		for (int i = 0; k >= 40 && i < FPP; i++) {
			run = fabsf(out[i]) < 0.05f ? run + 1 : 0;
			if (run > longest)
				longest = run;
		}
	}
	lc_jitter_stats(j, &st);
	cr_expect_eq(st.frames_concealed, FPP);
	cr_expect_eq(st.conceal_events, 1);
	lc_jitter_destroy(j);
	return longest;
}

Test(jitter, repeat_fade_fills_the_hole_silence_does_not)
{
	uint32_t repeat = longest_quiet_run(LC_JITTER_CONCEAL_REPEAT_FADE);
	uint32_t silence = longest_quiet_run(LC_JITTER_CONCEAL_SILENCE);

	cr_expect_leq(repeat, 8, "repeat-fade left %u quiet samples in a row", repeat);
	cr_expect_geq(silence, 40, "silence left only %u quiet samples in a row", silence);
}
