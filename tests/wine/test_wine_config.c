/* SPDX-License-Identifier: MIT */
/*
 * test_wine_config.c — settings applied live (drv_shm.h): the cable count, names and
 * formats change while clients play and record, without restarting anything.
 *
 * lc_settings.exe changes the settings as the panel does (registry + LC_DRV_APPLY_CONFIG)
 * and lists the devices as any winmm client sees them; lc_play/lc_rec are the ordinary
 * clients of test_wine_cable.c.  Own prefix (LC_WINEPREFIX): the settings changed here
 * must not leak into the other suites.
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

static void expect_ok(struct lc_wine_result *r, const char *who)
{
	cr_log_info("%s output:\n%s", who, r->output);
	cr_assert(!r->timed_out, "%s timed out:\n%s", who, r->output);
	cr_assert_eq(r->exit_code, 0, "%s exit code %d:\n%s", who, r->exit_code, r->output);
}

/* lc_settings.exe with up to 5 arguments; returns its output (caller frees). */
static char *settings5(const char *a1, const char *a2, const char *a3, const char *a4,
		       const char *a5)
{
	const char *argv[] = { lc_wine_env("LC_SETTINGS_EXE"), a1, a2, a3, a4, a5, NULL };
	struct lc_wine_result r = lc_wine_run(argv, client_env, 60000);
	expect_ok(&r, "lc_settings");
	return r.output;
}

static char *settings(const char *a1, const char *a2, const char *a3, const char *a4)
{
	return settings5(a1, a2, a3, a4, NULL);
}

static void setup(void)
{
	LC_WINE_SKIP_IF_ABSENT();
	cr_assert_eq(lc_wine_install_driver(), 0, "could not install the driver in the prefix");
	/* A run before may have left other settings in this prefix. */
	free(settings5("set", "cables=2", "name1=LoopCable 1", "name2=LoopCable 2", "channels2=2"));
}

TestSuite(config, .init = setup, .timeout = 180);

/* The largest amplitude of a tone at hz over 50 ms windows of channel 0. */
static double loudest(const struct lc_wavfile *w, double hz)
{
	double best = 0;
	for (size_t at = 0; at + 2400 < w->frames; at += 1200) {
		double amp = lc_wavfile_tone_amplitude(w, 0, at, 2400, hz);
		if (amp > best)
			best = amp;
	}
	return best;
}

Test(config, a_third_cable_appears_live_and_clients_before_and_after_still_meet)
{
	char *before = settings("devices", NULL, NULL, NULL);
	cr_assert(strstr(before, "out=2 in=2"), "want 2 devices before:\n%s", before);
	free(before);

	/* A recorder and a player on cable 1, running through the change. */
	const char *wav = lc_wine_artifact("config-live.wav");
	const char *rec[] = { lc_wine_env("LC_REC_EXE"), "--seconds", "6", "--out", wav, NULL };
	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--signal", "sine:1000:-12",
			       "--seconds", "5", NULL };
	const char *panel[] = { lc_wine_env("LC_EVENTS_EXE"), "8", NULL };
	/* And a player on cable 2, whose format the change alters: it goes on, detached. */
	const char *play2[] = { lc_wine_env("LC_PLAY_EXE"), "--device", "LoopCable 2", "--seconds",
				"4", NULL };
	struct lc_wine_proc r, p, p2, e;
	lc_wine_start(&e, panel, client_env);
	lc_wine_start(&r, rec, client_env);
	lc_wine_sleep_ms(400);
	lc_wine_start(&p, play, client_env);
	lc_wine_start(&p2, play2, client_env);
	lc_wine_sleep_ms(1200);

	char *applied = settings5("set", "cables=3", "name3=Studio", "channels3=6", "channels2=1");
	cr_assert(strstr(applied, "generation="), "%s", applied);
	free(applied);

	/* Cable 1 kept its format, so it is still one cable: a recorder and a player
	 * opened after the change hear, and are heard by, those opened before. */
	const char *wav_after = lc_wine_artifact("config-after.wav");
	const char *rec_after[] = { lc_wine_env("LC_REC_EXE"), "--seconds", "1.5", "--out",
				    wav_after, NULL };
	const char *play_after[] = { lc_wine_env("LC_PLAY_EXE"), "--signal", "sine:440:-12",
				     "--seconds", "1", NULL };
	struct lc_wine_proc ra, pa;
	lc_wine_start(&ra, rec_after, client_env);
	lc_wine_sleep_ms(200);
	lc_wine_start(&pa, play_after, client_env);
	lc_wine_sleep_ms(400);
	/* What a panel shows now: both players on cable 1, one per generation. */
	const char *cli[] = { lc_wine_env("LC_CLI_EXE"), "status", "--json", NULL };
	struct lc_wine_result status = lc_wine_run(cli, client_env, 30000);
	expect_ok(&status, "lc_cli status");
	int writers = 0;
	const char *cable2 = strstr(status.output, "\"index\": 2");
	for (const char *at = status.output; (at = strstr(at, "\"kind\": \"writer\"")); at++)
		writers += !cable2 || at < cable2;
	cr_expect_eq(writers, 2, "want the players of both generations on cable 1:\n%s",
		     status.output);
	cr_expect(strstr(status.output, "\"process\": \"lc_play.exe\""), "%s", status.output);
	cr_expect(strstr(status.output, "\"buffer_bytes\": 1920"), "10 ms s16 stereo buffers:\n%s",
		  status.output);
	cr_expect(strstr(status.output, "\"detached_clients\": 1"),
		  "the player on cable 2 (now mono) should be reported detached:\n%s", status.output);
	free(status.output);
	struct lc_wine_result par = lc_wine_wait(&pa, 60000), rar = lc_wine_wait(&ra, 60000);
	expect_ok(&par, "lc_play (opened after the change)");
	expect_ok(&rar, "lc_rec (opened after the change)");

	/* A process started now sees the third cable, with its name and channel count. */
	char *after = settings("devices", NULL, NULL, NULL);
	cr_expect(strstr(after, "out=3 in=3"), "want 3 devices after the change:\n%s", after);
	cr_expect(strstr(after, "out 3 name=\"Studio\" channels=6"), "%s", after);
	cr_expect(strstr(after, "in 3 name=\"Studio\" channels=6"), "%s", after);
	cr_expect(strstr(after, "out 1 name=\"LoopCable 1\" channels=2"), "%s", after);
	cr_expect(strstr(after, "out 2 name=\"LoopCable 2\" channels=1"), "%s", after);
	free(after);

	/* ... and the new cable carries sound between new processes. */
	const char *wav3 = lc_wine_artifact("config-studio.wav");
	const char *rec3[] = { lc_wine_env("LC_REC_EXE"), "--device", "Studio", "--seconds", "1.5",
			       "--out", wav3, NULL };
	const char *play3[] = { lc_wine_env("LC_PLAY_EXE"), "--device", "Studio", "--signal",
				"sine:440:-6", "--seconds", "0.8", NULL };
	struct lc_wine_proc r3, p3;
	lc_wine_start(&r3, rec3, client_env);
	lc_wine_sleep_ms(300);
	lc_wine_start(&p3, play3, client_env);
	struct lc_wine_result pr3 = lc_wine_wait(&p3, 60000), rr3 = lc_wine_wait(&r3, 60000);
	expect_ok(&pr3, "lc_play on Studio");
	expect_ok(&rr3, "lc_rec on Studio");

	struct lc_wine_result pr = lc_wine_wait(&p, 60000), rr = lc_wine_wait(&r, 60000);
	struct lc_wine_result pr2 = lc_wine_wait(&p2, 60000);
	expect_ok(&pr2, "lc_play on cable 2 (its format changed under it)");
	free(pr2.output);
	struct lc_wine_result er = lc_wine_wait(&e, 60000);
	expect_ok(&pr, "lc_play (opened before the change)");
	expect_ok(&rr, "lc_rec (opened before the change)");
	expect_ok(&er, "lc_events");
	cr_expect(strstr(er.output, "id=config_changed"),
		  "the registered window got no config_changed event:\n%s", er.output);

	/* The tone recorded across the change: at its level in every 50 ms window. */
	double want = pow(10, -12 / 20.0);
	struct lc_wavfile w;
	cr_assert(lc_wavfile_read(wav, &w), "cannot read %s", wav);
	size_t start = lc_wavfile_first_above(&w, 0, 0.05);
	cr_assert(start != SIZE_MAX, "%s is silent", wav);
	size_t worst_at;
	double worst = lc_wavfile_tone_worst(&w, 0, start + 2400, start + 48000 * 48 / 10, 2400,
					     1000, want, &worst_at);
	cr_expect(fabs(worst - want) < 0.05 * want,
		  "the tone dropped to %f (want %f) at %.3f s of the recording: interrupted",
		  worst, want, (double)(worst_at - start) / 48000);
	double heard_new = loudest(&w, 440);
	cr_log_info("recorder opened before the change: its player's tone %.4f at worst "
		    "(want %.4f), the player opened after it %.4f", worst, want, heard_new);
	cr_expect(fabs(heard_new - want) < 0.05 * want,
		  "the recorder opened before the change heard the new player at %f (want %f)",
		  heard_new, want);
	lc_wavfile_free(&w);

	struct lc_wavfile wa;
	cr_assert(lc_wavfile_read(wav_after, &wa), "cannot read %s", wav_after);
	double heard_old = loudest(&wa, 1000), heard_own = loudest(&wa, 440);
	cr_log_info("recorder opened after the change: the old player %.4f, the new one %.4f",
		    heard_old, heard_own);
	cr_expect(fabs(heard_old - want) < 0.05 * want,
		  "the recorder opened after the change heard the old player at %f (want %f)",
		  heard_old, want);
	cr_expect(fabs(heard_own - want) < 0.05 * want,
		  "the recorder opened after the change heard the new player at %f (want %f)",
		  heard_own, want);
	lc_wavfile_free(&wa);

	struct lc_wavfile w3;
	cr_assert(lc_wavfile_read(wav3, &w3), "cannot read %s", wav3);
	double amp3 = loudest(&w3, 440), leak = loudest(&w3, 1000);
	cr_log_info("new cable: tone %.4f (want 0.5), cable 1's tone in it %.4f", amp3, leak);
	cr_expect(fabs(amp3 - 0.5) < 0.03, "the new cable's tone is at %f (want 0.5)", amp3);
	/* Cable 1's tone would be at 0.25; a 50 ms window around the 440 Hz onset leaks a
	 * few thousandths into 1 kHz by itself. */
	cr_expect(leak < 0.05, "cable 1's tone leaked into the new cable (%f)", leak);
	lc_wavfile_free(&w3);

	free(pr.output);
	free(rr.output);
	free(er.output);
	free(par.output);
	free(rar.output);
	free(pr3.output);
	free(rr3.output);
	free(settings("set", "cables=2", "channels2=2", NULL));
	char *restored = settings("devices", NULL, NULL, NULL);
	cr_expect(strstr(restored, "out=2 in=2"), "want 2 devices again:\n%s", restored);
	free(restored);
}

Test(config, bad_settings_are_refused_and_change_nothing)
{
	const char *argv[] = { lc_wine_env("LC_SETTINGS_EXE"), "set", "cables=0", NULL };
	struct lc_wine_result r = lc_wine_run(argv, client_env, 60000);
	cr_expect_neq(r.exit_code, 0, "cables=0 was accepted:\n%s", r.output);
	/* Refused by drv_config_set's ranges, before anything is written. */
	cr_expect(strstr(r.output, "cables must be 1 to 32"), "want the range in words:\n%s",
		  r.output);
	free(r.output);
	const char *big[] = { lc_wine_env("LC_SETTINGS_EXE"), "set", "rate1=1000000", NULL };
	r = lc_wine_run(big, client_env, 60000);
	cr_expect_neq(r.exit_code, 0, "a 1 MHz cable was accepted:\n%s", r.output);
	free(r.output);
	/* Every value in range, but together beyond what one section may be (2 cables of
	 * 8 channels at 384 kHz with 250 ms rings: 2 x 32 rings of 4 MiB). */
	const char *huge[] = { lc_wine_env("LC_SETTINGS_EXE"), "set", "rate1=384000", "channels1=8",
			       "rate2=384000", "channels2=8", NULL };
	r = lc_wine_run(huge, client_env, 60000);
	cr_expect_neq(r.exit_code, 0, "a section beyond 256 MiB was accepted:\n%s", r.output);
	cr_expect(strstr(r.output, "drv_config_write: 87"), "want ERROR_INVALID_PARAMETER:\n%s",
		  r.output);
	free(r.output);
	char *now = settings("devices", NULL, NULL, NULL);
	cr_expect(strstr(now, "out=2 in=2"), "%s", now);
	cr_expect(strstr(now, "out 1 name=\"LoopCable 1\" channels=2"), "%s", now);
	free(now);
}

/* The generation lc_settings printed. */
static long generation_of(const char *output)
{
	const char *at = strstr(output, "generation=");
	return at ? strtol(at + strlen("generation="), NULL, 10) : -1;
}

Test(config, settings_that_change_no_cable_make_no_new_generation)
{
	/* A player keeps the sections alive between the lc_settings runs: it follows a
	 * newly published generation at its next reaper pass (250 ms), so each change is
	 * given that long.  (A generation whose applier exits before anyone follows is
	 * made again from the registry by the next process: drv_shm.h.) */
	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--seconds", "5", NULL };
	struct lc_wine_proc p;
	lc_wine_start(&p, play, client_env);
	lc_wine_sleep_ms(300);
	char *first = settings("set", "cables=3", NULL, NULL);
	lc_wine_sleep_ms(600);
	/* Off, then on again: the suites keep the driver's log on (lc_wine.c). */
	char *logging_off = settings("set", "logging=0", NULL, NULL);
	char *logging_on = settings("set", "logging=1", NULL, NULL);
	char *same = settings("set", "cables=3", NULL, NULL);
	long g = generation_of(first);
	cr_expect_gt(g, 0, "%s", first);
	cr_expect_eq(generation_of(logging_on), g, "logging made a generation:\n%s", logging_on);
	cr_expect_eq(generation_of(logging_off), g, "%s", logging_off);
	cr_expect_eq(generation_of(same), g, "the same cables made a generation:\n%s", same);
	char *fewer = settings("set", "cables=2", NULL, NULL);
	cr_expect_eq(generation_of(fewer), g + 1, "%s", fewer);
	free(first);
	free(logging_on);
	free(logging_off);
	free(same);
	free(fewer);
	struct lc_wine_result pr = lc_wine_wait(&p, 60000);
	expect_ok(&pr, "lc_play");
	free(pr.output);
}

/*
 * The sequence of the README's demo, many times: a player runs; lc_settings publishes
 * a generation and exits at once; lc_cli status right then.  The status must list the
 * player every time — whether or not the player has followed the new generation yet —
 * and show the generation just published: a publisher that exits first must not take
 * its generation with it.
 */
#define STATUS_ROUNDS 20

Test(config, status_right_after_a_change_lists_the_running_player, .timeout = 600)
{
	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--seconds", "1.5", NULL };
	const char *cli[] = { lc_wine_env("LC_CLI_EXE"), "status", "--json", NULL };
	int listed = 0, published = 0;
	for (int round = 0; round < STATUS_ROUNDS; round++) {
		struct lc_wine_proc p;
		lc_wine_start(&p, play, client_env);
		lc_wine_sleep_ms(500);
		/* Every round changes the cable count, so every round publishes. */
		char *applied = settings("set", round % 2 ? "cables=2" : "cables=3", NULL, NULL);
		struct lc_wine_result status = lc_wine_run(cli, client_env, 30000);
		long g = generation_of(applied);
		char want_generation[48];
		snprintf(want_generation, sizeof(want_generation), "\"generation\": %ld,", g);
		bool has_player = strstr(status.output, "\"kind\": \"writer\"")
				  && strstr(status.output, "\"process\": \"lc_play.exe\"");
		bool shows_new = g > 0 && strstr(status.output, want_generation) == status.output
				 + strlen("{\"running\": true, ");
		if (!has_player || status.exit_code != 0)
			cr_log_error("round %d: the player is missing (exit %d) after %s%s", round,
				     status.exit_code, applied, status.output);
		else if (!shows_new)
			cr_log_error("round %d: status does not show the published %s%s", round,
				     applied, status.output);
		listed += has_player && status.exit_code == 0;
		published += has_player && status.exit_code == 0 && shows_new;
		free(applied);
		free(status.output);
		struct lc_wine_result pr = lc_wine_wait(&p, 60000);
		expect_ok(&pr, "lc_play");
		free(pr.output);
	}
	cr_log_info("player listed in %d of %d rounds, with the new generation in %d", listed,
		    STATUS_ROUNDS, published);
	cr_expect_eq(listed, STATUS_ROUNDS, "the running player was missing from %d of %d statuses",
		     STATUS_ROUNDS - listed, STATUS_ROUNDS);
	cr_expect_eq(published, STATUS_ROUNDS,
		     "the generation just published was not shown in %d of %d statuses",
		     STATUS_ROUNDS - published, STATUS_ROUNDS);
	free(settings("set", "cables=2", NULL, NULL));
}
