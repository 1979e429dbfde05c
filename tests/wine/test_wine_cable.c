/* SPDX-License-Identifier: MIT */
/*
 * test_wine_cable.c — cables across real processes: ordinary winmm programs
 * (cable/lc_play.exe, cable/lc_rec.exe, linked with -lwinmm) run under Wine, each a
 * separate process, with the test winmm (winmm/) loading loopcable.dll from Drivers32
 * as Windows' winmm does.  Real shared memory, threads and timers.
 *
 * Environment (tests/wine/meson.build): LC_DRIVER_DLL, LC_PLAY_EXE, LC_REC_EXE, LC_WINE,
 * LC_WINEPREFIX, LC_TMPDIR (where recordings go; kept as artifacts).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lc_wavfile.h"
#include "lc_wine.h"

static const char *const client_env[] = { LC_WINE_CLIENT_ENV, NULL };

static void setup(void)
{
	LC_WINE_SKIP_IF_ABSENT();
	cr_assert_eq(lc_wine_install_driver(), 0, "could not install the driver in the prefix");
}

TestSuite(cable, .init = setup, .timeout = 120);

static void expect_client_ok(struct lc_wine_result *r, const char *who)
{
	cr_log_info("%s output:\n%s", who, r->output);
	cr_assert(!r->timed_out, "%s timed out:\n%s", who, r->output);
	cr_assert_eq(r->exit_code, 0, "%s exit code %d:\n%s", who, r->exit_code, r->output);
	cr_assert(strstr(r->output, ": ok"), "%s did not finish:\n%s", who, r->output);
}

/* Runs recorders and players as concurrent processes: the recorders first (they must
 * hear the players from their first frame), then the players; waits for everyone.
 * Each argv is NULL-terminated; results in the same order. */
static void run_clients(const char *const *const *recorders, int n_rec,
			const char *const *const *players, int n_play, struct lc_wine_result *rec_out,
			struct lc_wine_result *play_out)
{
	struct lc_wine_proc rec[4], play[4];
	for (int i = 0; i < n_rec; i++)
		lc_wine_start(&rec[i], recorders[i], client_env);
	lc_wine_sleep_ms(400);
	for (int i = 0; i < n_play; i++)
		lc_wine_start(&play[i], players[i], client_env);
	for (int i = 0; i < n_play; i++)
		play_out[i] = lc_wine_wait(&play[i], 60000);
	for (int i = 0; i < n_rec; i++)
		rec_out[i] = lc_wine_wait(&rec[i], 60000);
}

static struct lc_wine_result run_recorder_and_players(const char *const *rec,
						      const char *const *play1,
						      const char *const *play2,
						      struct lc_wine_result *players)
{
	const char *const *players_argv[2] = { play1, play2 };
	struct lc_wine_result recorded;
	run_clients(&rec, 1, players_argv, play2 ? 2 : 1, &recorded, players);
	return recorded;
}

/* Reads a recording and returns the frame where the signal starts (first sample above
 * threshold on channel 0). */
static size_t read_recording(const char *path, struct lc_wavfile *wav, double threshold)
{
	cr_assert(lc_wavfile_read(path, wav), "cannot read %s", path);
	size_t start = lc_wavfile_first_above(wav, 0, threshold);
	cr_assert(start != SIZE_MAX, "%s is silent", path);
	return start;
}

Test(cable, s16_stereo_48k_is_bit_exact_between_processes)
{
	const char *wav = lc_wine_artifact("bitexact.wav");
	const char *rec[] = { lc_wine_env("LC_REC_EXE"), "--seconds", "2.5", "--out", wav, NULL };
	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--signal", "noise:7", "--seconds", "1",
			       NULL };
	struct lc_wine_result players[2];
	struct lc_wine_result r = run_recorder_and_players(rec, play, NULL, players);
	expect_client_ok(&players[0], "lc_play");
	expect_client_ok(&r, "lc_rec");

	/* The same noise, generated here, must appear sample for sample. */
	struct lc_wavfile got;
	cr_assert(lc_wavfile_read(wav, &got), "cannot read %s", wav);
	cr_assert_eq(got.bits, 16);
	uint32_t state = 7;
	size_t n = 48000 * 2;
	int16_t *want = malloc(n * sizeof(*want));
	for (size_t i = 0; i < n; i++) {
		state = state * 1664525u + 1013904223u;
		want[i] = (int16_t)(uint16_t)(state >> 8);
	}
	const int16_t *have = (const int16_t *)got.raw;
	size_t have_n = got.raw_bytes / 2;
	size_t start = 0;
	while (start < have_n && have[start] == 0)
		start++;
	cr_assert(start % 2 == 0, "the recording starts mid-frame");
	cr_assert(start + n <= have_n, "recording too short: signal at %zu of %zu samples", start,
		  have_n);
	size_t mismatches = 0, first_bad = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		if (have[start + i] != want[i]) {
			mismatches++;
			if (first_bad == SIZE_MAX)
				first_bad = i;
		}
	}
	cr_expect_eq(mismatches, 0, "%zu of %zu samples differ, first at %zu (frame %zu)",
		     mismatches, n, first_bad, first_bad / 2);
	for (size_t i = start + n; i < have_n; i++)
		cr_expect_eq(have[i], 0, "not silent after the signal at sample %zu", i);
	free(want);
	lc_wavfile_free(&got);
	free(players[0].output);
	free(r.output);
}

Test(cable, two_players_are_mixed_and_two_recorders_hear_the_same)
{
	const char *wav_a = lc_wine_artifact("mix_a.wav"), *wav_b = lc_wine_artifact("mix_b.wav");
	const char *rec_a[] = { lc_wine_env("LC_REC_EXE"), "--seconds", "2.5", "--out", wav_a, NULL };
	const char *rec_b[] = { lc_wine_env("LC_REC_EXE"), "--seconds", "2.5", "--buffer-ms", "25",
				"--callback", "function", "--out", wav_b, NULL };
	const char *play_a[] = { lc_wine_env("LC_PLAY_EXE"), "--signal", "sine:440:-12", "--seconds",
				 "1.5", NULL };
	const char *play_b[] = { lc_wine_env("LC_PLAY_EXE"), "--signal", "sine:1000:-12", "--seconds",
				 "1.5", "--format", "f32", NULL };
	const char *const *recs[] = { rec_a, rec_b }, *const *plays[] = { play_a, play_b };
	struct lc_wine_result rr[2], pr[2];
	run_clients(recs, 2, plays, 2, rr, pr);
	for (int i = 0; i < 2; i++) {
		expect_client_ok(&pr[i], "lc_play");
		expect_client_ok(&rr[i], "lc_rec");
	}

	struct lc_wavfile a, b;
	size_t start_a = read_recording(wav_a, &a, 0.01);
	size_t start_b = read_recording(wav_b, &b, 0.01);
	/* The middle second, after both players surely started. */
	size_t from = start_a + 12000, n = 48000;
	double amp = pow(10, -12 / 20.0);
	for (uint32_t ch = 0; ch < 2; ch++) {
		double a440 = lc_wavfile_tone_amplitude(&a, ch, from, n, 440);
		double a1000 = lc_wavfile_tone_amplitude(&a, ch, from, n, 1000);
		cr_expect(fabs(a440 - amp) < 0.02 * amp, "440 Hz at %f, want %f", a440, amp);
		cr_expect(fabs(a1000 - amp) < 0.02 * amp, "1 kHz at %f, want %f", a1000, amp);
	}
	/* Both recorders got the same mix, sample for sample, whatever their buffers. */
	size_t common = a.frames - start_a < b.frames - start_b ? a.frames - start_a : b.frames - start_b;
	cr_assert(common > 60000, "only %zu common frames", common);
	size_t differ = 0;
	for (size_t f = 0; f < common; f++)
		for (uint32_t ch = 0; ch < 2; ch++)
			differ += lc_wavfile_at(&a, start_a + f, ch) != lc_wavfile_at(&b, start_b + f, ch);
	cr_expect_eq(differ, 0, "%zu samples differ between the two recordings", differ);
	cr_expect(strstr(rr[1].output, "wrong_instance=0") != NULL);
	lc_wavfile_free(&a);
	lc_wavfile_free(&b);
}

/* A player and a recorder in different formats: frequency and level survive, no
 * clicks or gaps (the second difference of a clean sine stays small). */
static void check_converted_tone(const char *name, const char *const *play_args,
				 const char *const *rec_args, double hz, double want_amp,
				 uint32_t rec_channels)
{
	const char *wav = lc_wine_artifact(name);
	/* 8 buffers of 10 ms on both sides: these cases check conversion, and a client
	 * thread that Wine wakes 40 ms late (seen once in a CI run of the format matrix,
	 * a gap in u8 8 kHz -> s24 96 kHz) must not read as a conversion fault. */
	const char *rec[24] = { lc_wine_env("LC_REC_EXE"), "--seconds", "2", "--buffers", "8",
				"--out", wav };
	int n = 7;
	for (int i = 0; rec_args[i]; i++)
		rec[n++] = rec_args[i];
	rec[n] = NULL;
	const char *play[24] = { lc_wine_env("LC_PLAY_EXE"), "--seconds", "1", "--buffers", "8" };
	n = 5;
	for (int i = 0; play_args[i]; i++)
		play[n++] = play_args[i];
	play[n] = NULL;
	struct lc_wine_result player;
	struct lc_wine_result recorded = run_recorder_and_players(rec, play, NULL, &player);
	expect_client_ok(&player, "lc_play");
	expect_client_ok(&recorded, "lc_rec");

	struct lc_wavfile w;
	size_t start = read_recording(wav, &w, want_amp / 4);
	cr_assert_eq(w.channels, rec_channels);
	/* Skip the resampler's and the tone's first 50 ms, measure the next 800 ms. */
	size_t from = start + w.rate_hz / 20, len = w.rate_hz * 8 / 10;
	cr_assert(from + len <= w.frames, "recording too short");
	for (uint32_t ch = 0; ch < w.channels; ch++) {
		double got_hz = lc_wavfile_frequency(&w, ch, from, len);
		double amp = lc_wavfile_tone_amplitude(&w, ch, from, len, hz);
		double kink = lc_wavfile_max_kink(&w, ch, from, len, amp);
		double clean = pow(2 * 3.14159265358979 * hz / w.rate_hz, 2);
		cr_expect(fabs(got_hz - hz) < 0.5, "%s ch %u: %f Hz, want %f", name, ch, got_hz, hz);
		cr_expect(fabs(amp - want_amp) < 0.03 * want_amp, "%s ch %u: level %f, want %f", name,
			  ch, amp, want_amp);
		cr_expect(kink < clean * 1.5 + 0.02, "%s ch %u: a click or gap (kink %f, clean %f)",
			  name, ch, kink, clean);
	}
	lc_wavfile_free(&w);
}

Test(cable, f32_stereo_48k_to_s16_mono_44k1)
{
	const char *play[] = { "--format", "f32", "--signal", "sine:1000:-6", NULL };
	const char *rec[] = { "--format", "s16", "--rate", "44100", "--channels", "1", NULL };
	/* Both channels carry the same tone: the stereo -> mono average keeps its level. */
	check_converted_tone("f32_to_s16_44k1_mono.wav", play, rec, 1000, pow(10, -6 / 20.0), 1);
}

Test(cable, u8_8k_mono_to_s24_96k_stereo)
{
	const char *play[] = { "--format", "u8", "--rate", "8000", "--channels", "1", "--signal",
			       "sine:440:-6", NULL };
	const char *rec[] = { "--format", "s24", "--rate", "96000", NULL };
	check_converted_tone("u8_8k_to_s24_96k.wav", play, rec, 440, pow(10, -6 / 20.0), 2);
}

Test(cable, extensible_5_1_to_stereo)
{
	const char *play[] = { "--channels", "6", "--mask", "3F", "--signal", "sine:1000:-12", NULL };
	const char *rec[] = { NULL };
	/* ITU downmix: L = FL + C/sqrt2 + BL/sqrt2 (LFE dropped), every input the same tone. */
	check_converted_tone("ext51_to_stereo.wav", play, rec, 1000,
			     pow(10, -12 / 20.0) * (1 + 2 / sqrt(2)), 2);
}

Test(cable, every_callback_kind_reports_open_done_close)
{
	const char *kinds[] = { "function", "window", "thread", "event", "none" };
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--seconds", "0.3", "--callback",
				       kinds[i], NULL };
		struct lc_wine_result r = lc_wine_run(play, client_env, 60000);
		expect_client_ok(&r, kinds[i]);
		/* 0.3 s in 10 ms buffers: 30 buffers, each returned once. */
		cr_expect(strstr(r.output, "returned=30"), "%s:\n%s", kinds[i], r.output);
		if (i < 3)
			cr_expect(strstr(r.output, "callbacks open=1 done=30 close=1 wrong_instance=0"),
				  "%s callbacks:\n%s", kinds[i], r.output);
		free(r.output);
	}
}

Test(cable, writes_queue_while_paused_and_play_after_restart)
{
	const char *wav = lc_wine_artifact("paused_start.wav");
	const char *rec[] = { lc_wine_env("LC_REC_EXE"), "--seconds", "2", "--out", wav, NULL };
	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--start-paused", "--buffers", "8",
			       "--seconds", "1", "--signal", "sine:1000:-6", NULL };
	struct lc_wine_result player;
	struct lc_wine_result recorded = run_recorder_and_players(rec, play, NULL, &player);
	expect_client_ok(&player, "lc_play");
	expect_client_ok(&recorded, "lc_rec");
	struct lc_wavfile w;
	size_t start = read_recording(wav, &w, 0.1);
	double amp = lc_wavfile_tone_amplitude(&w, 0, start + 2400, 40000, 1000);
	cr_expect(fabs(amp - 0.5) < 0.02, "level %f", amp);
	cr_expect(lc_wavfile_max_kink(&w, 0, start + 10, 40000, amp) < 0.05, "click or gap");
	lc_wavfile_free(&w);
}

/* Writer slots in use on cable 1, as lc_cli status --json reports them. */
static int cable1_writers(void)
{
	const char *argv[] = { lc_wine_env("LC_CLI_EXE"), "status", "--json", NULL };
	struct lc_wine_result r = lc_wine_run(argv, client_env, 30000);
	int n = 0;
	const char *cable2 = strstr(r.output, "\"index\": 2");
	for (const char *at = r.output; (at = strstr(at, "\"kind\": \"writer\"")); at++)
		if (!cable2 || at < cable2)
			n++;
	free(r.output);
	return n;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

Test(cable, a_killed_player_is_reclaimed_and_the_others_hear_no_gap)
{
	const char *wav = lc_wine_artifact("killed.wav");
	const char *rec[] = { lc_wine_env("LC_REC_EXE"), "--seconds", "3.5", "--out", wav, NULL };
	const char *survivor[] = { lc_wine_env("LC_PLAY_EXE"), "--signal", "sine:440:-12",
				   "--seconds", "2.5", NULL };
	const char *victim[] = { lc_wine_env("LC_PLAY_EXE"), "--signal", "sine:1000:-12",
				 "--seconds", "20", NULL };
	struct lc_wine_proc r, s, v;
	lc_wine_start(&r, rec, client_env);
	lc_wine_sleep_ms(400);
	lc_wine_start(&s, survivor, client_env);
	lc_wine_start(&v, victim, client_env);
	lc_wine_sleep_ms(1000);
	cr_assert_eq(cable1_writers(), 2, "both players should be on cable 1");

	lc_wine_kill(&v);
	double killed_at = now_s();
	double reclaimed_after = -1;
	while (now_s() - killed_at < 5) {
		if (cable1_writers() == 1) {
			reclaimed_after = now_s() - killed_at;
			break;
		}
		lc_wine_sleep_ms(20);
	}
	struct lc_wine_result vr = lc_wine_wait(&v, 1000);
	free(vr.output);
	cr_log_info("killed player's slot reclaimed after %.3f s", reclaimed_after);
	cr_expect(reclaimed_after >= 0 && reclaimed_after <= 1.0,
		  "the killed player's slot was reclaimed after %.3f s (want <= 1 s)", reclaimed_after);

	struct lc_wine_result sr = lc_wine_wait(&s, 60000), rr = lc_wine_wait(&r, 60000);
	expect_client_ok(&sr, "surviving lc_play");
	expect_client_ok(&rr, "lc_rec");

	/* The survivor's tone stays at its level in every 50 ms window of its 2.5 s,
	 * from the first window where it is fully there (the two players start in
	 * either order). */
	struct lc_wavfile w;
	size_t start = read_recording(wav, &w, 0.05);
	double want = pow(10, -12 / 20.0);
	size_t from = start, worst_at;
	while (from + 2400 < w.frames && lc_wavfile_tone_amplitude(&w, 0, from, 2400, 440) < 0.9 * want)
		from += 240;
	cr_assert(from < start + 48000, "the survivor's tone never came");
	double worst = lc_wavfile_tone_worst(&w, 0, from + 2400, from + 48000 * 24 / 10, 2400, 440,
					     want, &worst_at);
	cr_expect(fabs(worst - want) < 0.05 * want,
		  "the survivor's level dropped to %f (want %f) at %.3f s: a gap", worst, want,
		  (double)(worst_at - from) / 48000);
	lc_wavfile_free(&w);
	free(sr.output);
	free(rr.output);
}

/* The value after `key` on the first line of `output` that also contains `match`. */
static long long value_on_line(const char *output, const char *match, const char *key)
{
	for (const char *line = output; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[512];
		snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) - 1 ? len : sizeof(buf) - 1), line);
		const char *at;
		if (strstr(buf, match) && (at = strstr(buf, key)))
			return strtoll(at + strlen(key), NULL, 10);
	}
	return -1;
}

Test(cable, a_panel_window_gets_open_and_close_events_within_100_ms)
{
	const char *panel[] = { lc_wine_env("LC_EVENTS_EXE"), "3", NULL };
	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--seconds", "0.3", NULL };
	struct lc_wine_proc p;
	lc_wine_start(&p, panel, client_env);
	lc_wine_sleep_ms(800);
	struct lc_wine_result player = lc_wine_run(play, client_env, 60000);
	expect_client_ok(&player, "lc_play");
	struct lc_wine_result events = lc_wine_wait(&p, 60000);
	cr_log_info("lc_events output:\n%s", events.output);
	cr_assert_eq(events.exit_code, 0, "lc_events:\n%s", events.output);
	cr_assert(strstr(events.output, "registered=1"), "%s", events.output);

	long long open_us = value_on_line(player.output, "open_us=", "open_us=");
	long long close_us = value_on_line(player.output, "close_us=", "close_us=");
	long long opened_at = value_on_line(events.output, "id=client_opened cable=0", "at_us=");
	long long closed_at = value_on_line(events.output, "id=client_closed cable=0", "at_us=");
	cr_assert(opened_at > 0 && closed_at > 0, "events missing:\n%s", events.output);
	cr_expect(strstr(events.output, "kind=writer"), "%s", events.output);
	/* Posted inside waveOutOpen/waveOutClose, so they may arrive just before those
	 * return; never more than 100 ms after. */
	cr_expect(opened_at - open_us < 100000, "client_opened %lld us after the open",
		  opened_at - open_us);
	cr_expect(closed_at - close_us < 100000, "client_closed %lld us after the close",
		  closed_at - close_us);
	free(player.output);
	free(events.output);
}

Test(cable, a_killed_panel_does_not_break_the_driver)
{
	const char *panel[] = { lc_wine_env("LC_EVENTS_EXE"), "30", NULL };
	struct lc_wine_proc p;
	lc_wine_start(&p, panel, client_env);
	lc_wine_sleep_ms(800);
	lc_wine_kill(&p);
	struct lc_wine_result killed = lc_wine_wait(&p, 5000);
	free(killed.output);
	/* Its window is gone but its slot may still be registered: every event for it
	 * must be dropped quietly while players come and go. */
	for (int i = 0; i < 3; i++) {
		const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--seconds", "0.2", NULL };
		struct lc_wine_result r = lc_wine_run(play, client_env, 60000);
		expect_client_ok(&r, "lc_play after a killed panel");
		free(r.output);
	}
}

/* "Z:\work\…" for a Unix path: what Windows programs and the registry get. */
static char *windows_path(const char *unix_path)
{
	static char paths[4][4096];
	static int next;
	char *p = paths[next++ % 4];
	snprintf(p, 4096, "Z:%s", unix_path);
	for (char *c = p; *c; c++)
		if (*c == '/')
			*c = '\\';
	return p;
}

Test(cable, the_applet_and_drv_configure_open_the_panel)
{
	cr_assert_eq(lc_wine_reg_add("HKLM\\Software\\LoopCable", "PanelPath", "REG_SZ",
				     windows_path(lc_wine_env("LC_LAUNCH_PROBE_EXE"))), 0);
	const char *argv[] = { lc_wine_env("LC_LAUNCH_TEST_EXE"), windows_path(lc_wine_env("LC_CPL")),
			       windows_path(lc_wine_env("LC_DRIVER_DLL")),
			       windows_path(lc_wine_artifact("launch-marker.txt")), NULL };
	struct lc_wine_result r = lc_wine_run(argv, client_env, 60000);
	lc_wine_reg_add("HKLM\\Software\\LoopCable", "PanelPath", "REG_SZ", "");
	cr_log_info("lc_launch_test output:\n%s", r.output);
	cr_expect(strstr(r.output, "FAIL") == NULL, "%s", r.output);
	cr_expect(strstr(r.output, "lc_launch_test: 16 checks, 0 failed"), "%s", r.output);
	cr_expect_eq(r.exit_code, 0);
	free(r.output);
}

/* A pause is not an underflow: no event, no counter (it was counted before the fix
 * that forgets the last written frame on a rewind). */
Test(cable, pausing_mid_stream_reports_no_underflow)
{
	const char *panel[] = { lc_wine_env("LC_EVENTS_EXE"), "3", NULL };
	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--seconds", "1", "--buffers", "8",
			       "--pause-at-ms", "300", "--pause-ms", "200", NULL };
	struct lc_wine_proc p;
	lc_wine_start(&p, panel, client_env);
	lc_wine_sleep_ms(800);
	struct lc_wine_result player = lc_wine_run(play, client_env, 60000);
	expect_client_ok(&player, "lc_play with a pause");
	struct lc_wine_result events = lc_wine_wait(&p, 60000);
	cr_assert(strstr(events.output, "id=client_opened"), "%s", events.output);
	cr_expect(strstr(events.output, "id=underflow") == NULL, "a pause was reported as an underflow:\n%s",
		  events.output);
	free(player.output);
	free(events.output);
}
