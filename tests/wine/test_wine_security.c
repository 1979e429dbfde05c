/* SPDX-License-Identifier: MIT */
/*
 * test_wine_security.c — the shared sections against a hostile process of the session
 * (driver/drv_security.h, shared/lc_ring.h, driver/drv_panel.h).
 *
 * cable/lc_scribble.exe plays the hostile process: it maps the sections by name, as
 * any process that may use a cable can, and writes into live slots while the ordinary
 * clients lc_play.exe and lc_rec.exe run; or it reads the sections' descriptors.  Wine
 * does not enforce integrity levels, so what is checked there is the descriptor the
 * driver gives the sections, not the access Windows would grant with it.
 *
 * Own prefix (LC_WINEPREFIX): AllowLowIntegrity is changed here.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_wavfile.h"
#include "lc_wine.h"

static const char *const client_env[] = { LC_WINE_CLIENT_ENV, NULL };

static void set_allow_low(const char *value)
{
	cr_assert_eq(lc_wine_reg_add("HKLM\\Software\\LoopCable", "AllowLowIntegrity", "REG_DWORD",
				     value),
		     0, "could not set AllowLowIntegrity");
}

static void setup(void)
{
	LC_WINE_SKIP_IF_ABSENT();
	cr_assert_eq(lc_wine_install_driver(), 0, "could not install the driver in the prefix");
	set_allow_low("0");
}

TestSuite(security, .init = setup, .timeout = 180);

static void expect_ok(struct lc_wine_result *r, const char *who)
{
	cr_log_info("%s output:\n%s", who, r->output);
	cr_assert(!r->timed_out, "%s timed out:\n%s", who, r->output);
	cr_assert_eq(r->exit_code, 0, "%s exit code %d:\n%s", who, r->exit_code, r->output);
	cr_assert(strstr(r->output, ": ok"), "%s did not finish:\n%s", who, r->output);
}

/* Clients under attack may fail, but only as a program can: an answer it did not
 * expect (exit 1), never a hang, a crash or a buffer that never comes back. */
static void expect_clean(struct lc_wine_result *r, const char *who)
{
	cr_log_info("%s output:\n%s", who, r->output);
	cr_assert(!r->timed_out, "%s hung:\n%s", who, r->output);
	cr_assert(r->exit_code == 0 || r->exit_code == 1, "%s crashed (exit %d):\n%s", who,
		  r->exit_code, r->output);
	cr_assert(!strstr(r->output, "FAIL timeout"), "%s waited for its buffers in vain:\n%s",
		  who, r->output);
}

/* The number after `key` in output, or -1. */
static long number_after(const char *output, const char *key)
{
	const char *at = strstr(output, key);
	return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* The largest amplitude of a tone at hz over 50 ms windows of channel 0. */
static double loudest(const char *path, double hz)
{
	struct lc_wavfile w;
	cr_assert(lc_wavfile_read(path, &w), "cannot read %s", path);
	double best = 0;
	for (size_t at = 0; at + 2400 < w.frames; at += 1200) {
		double amp = lc_wavfile_tone_amplitude(&w, 0, at, 2400, hz);
		if (amp > best)
			best = amp;
	}
	lc_wavfile_free(&w);
	return best;
}

/* Checks the descriptor lines of lc_scribble.exe dacl: both sections, each with
 * `want_label`, granting Everyone map read/write and nobody more. */
static void check_descriptors(const char *output, const char *want_label)
{
	int n_sections = 0;
	for (const char *line = strstr(output, "section="); line;
	     line = strstr(line + 1, "section=")) {
		char name[128], label[16];
		int aces, forbidden, everyone_rw, no_write_up, no_read_up;
		cr_assert_eq(sscanf(line,
				    "section=%127s aces=%d forbidden=%d everyone_rw=%d label=%15s "
				    "no_write_up=%d no_read_up=%d",
				    name, &aces, &forbidden, &everyone_rw, label, &no_write_up,
				    &no_read_up),
			     7, "unreadable: %s", line);
		cr_expect_eq(forbidden, 0, "%s grants DAC, owner, delete or generic rights:\n%s",
			     name, output);
		cr_expect_eq(everyone_rw, 1, "%s: clients cannot map it:\n%s", name, output);
		cr_expect_str_eq(label, want_label, "%s:\n%s", name, output);
		cr_expect_eq(no_write_up, 1, "%s:\n%s", name, output);
		cr_expect_eq(no_read_up, 1, "%s:\n%s", name, output);
		n_sections++;
	}
	cr_assert_eq(n_sections, 2, "want the directory and a generation:\n%s", output);
}

Test(security, sections_grant_map_rights_only_and_keep_low_integrity_out)
{
	const char *argv[] = { lc_wine_env("LC_SCRIBBLE_EXE"), "dacl", NULL };
	struct lc_wine_result r = lc_wine_run(argv, client_env, 60000);
	expect_ok(&r, "lc_scribble dacl");
	check_descriptors(r.output, "medium");
	free(r.output);
}

Test(security, allow_low_integrity_labels_the_sections_low)
{
	set_allow_low("1");
	const char *argv[] = { lc_wine_env("LC_SCRIBBLE_EXE"), "dacl", NULL };
	struct lc_wine_result r = lc_wine_run(argv, client_env, 60000);
	set_allow_low("0");
	expect_ok(&r, "lc_scribble dacl");
	check_descriptors(r.output, "low");
	free(r.output);
}

/* A recorder, a player of a 1 kHz sine and a scribbler, all at once. */
static void run_under_attack(const char *wav, const char *const *scribble, double play_s,
			     struct lc_wine_result *rec_out, struct lc_wine_result *play_out,
			     struct lc_wine_result *scribble_out)
{
	char rec_s[16], play_str[16];
	snprintf(rec_s, sizeof(rec_s), "%.1f", play_s + 1.5);
	snprintf(play_str, sizeof(play_str), "%.1f", play_s);
	const char *rec[] = { lc_wine_env("LC_REC_EXE"), "--seconds", rec_s, "--out", wav, NULL };
	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--signal", "sine:1000:-12",
			       "--seconds", play_str, NULL };
	struct lc_wine_proc r, p, s;
	lc_wine_start(&r, rec, client_env);
	lc_wine_sleep_ms(400);
	lc_wine_start(&s, scribble, client_env);
	lc_wine_start(&p, play, client_env);
	*play_out = lc_wine_wait(&p, 60000);
	*scribble_out = lc_wine_wait(&s, 30000);
	*rec_out = lc_wine_wait(&r, 60000);
}

Test(security, a_ring_window_far_ahead_of_now_does_not_stall_the_player)
{
	const char *wav = lc_wine_artifact("security-ahead.wav");
	const char *scribble[] = { lc_wine_env("LC_SCRIBBLE_EXE"), "ahead", "0.3", NULL };
	struct lc_wine_result rec, play, scr;
	run_under_attack(wav, scribble, 2.0, &rec, &play, &scr);
	expect_ok(&scr, "lc_scribble ahead");
	cr_assert_gt(number_after(scr.output, "hits="), 0, "%s", scr.output);
	expect_ok(&play, "lc_play");
	expect_ok(&rec, "lc_rec");
	/* The writer repaired its window and went on: the tone is heard. */
	double amp = loudest(wav, 1000), want = pow(10, -12 / 20.0);
	cr_expect(fabs(amp - want) < 0.05 * want, "1 kHz at %f, want %f", amp, want);
	free(rec.output);
	free(play.output);
	free(scr.output);
}

Test(security, clients_survive_a_scribbler_and_new_clients_work_after_it)
{
	const char *wav = lc_wine_artifact("security-fuzz.wav");
	const char *scribble[] = { lc_wine_env("LC_SCRIBBLE_EXE"), "fuzz", "1.5", "20261205",
				   NULL };
	struct lc_wine_result rec, play, scr;
	run_under_attack(wav, scribble, 3.0, &rec, &play, &scr);
	expect_ok(&scr, "lc_scribble fuzz");
	cr_assert_gt(number_after(scr.output, "reader_hits="), 0,
		     "the scribbler found no live reader:\n%s", scr.output);
	expect_clean(&play, "lc_play");
	expect_clean(&rec, "lc_rec");

	/* What the scribbler left behind keeps no one out of the cable. */
	const char *wav2 = lc_wine_artifact("security-after.wav");
	const char *rec2[] = { lc_wine_env("LC_REC_EXE"), "--seconds", "2", "--out", wav2, NULL };
	const char *play2[] = { lc_wine_env("LC_PLAY_EXE"), "--signal", "sine:1000:-12",
				"--seconds", "1", NULL };
	struct lc_wine_proc r2, p2;
	lc_wine_start(&r2, rec2, client_env);
	lc_wine_sleep_ms(400);
	lc_wine_start(&p2, play2, client_env);
	struct lc_wine_result play_after = lc_wine_wait(&p2, 60000);
	struct lc_wine_result rec_after = lc_wine_wait(&r2, 60000);
	expect_ok(&play_after, "lc_play after");
	expect_ok(&rec_after, "lc_rec after");
	double amp = loudest(wav2, 1000), want = pow(10, -12 / 20.0);
	cr_expect(fabs(amp - want) < 0.05 * want, "1 kHz at %f, want %f", amp, want);
	free(rec.output);
	free(play.output);
	free(scr.output);
	free(play_after.output);
	free(rec_after.output);
}

Test(security, a_window_of_another_process_named_in_a_panel_slot_receives_nothing)
{
	const char *panel[] = { lc_wine_env("LC_EVENTS_EXE"), "5", NULL };
	const char *victim[] = { lc_wine_env("LC_SCRIBBLE_EXE"), "victim", "5", NULL };
	const char *steal[] = { lc_wine_env("LC_SCRIBBLE_EXE"), "steal", "3.5", NULL };
	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--seconds", "0.3", NULL };
	struct lc_wine_proc pn, v, s;
	lc_wine_start(&pn, panel, client_env);
	lc_wine_start(&v, victim, client_env);
	lc_wine_sleep_ms(500);
	lc_wine_start(&s, steal, client_env);
	lc_wine_sleep_ms(1500);
	/* Opening and closing a device posts events to every registered window. */
	struct lc_wine_result p = lc_wine_run(play, client_env, 60000);
	struct lc_wine_result stolen = lc_wine_wait(&s, 30000);
	struct lc_wine_result bystander = lc_wine_wait(&v, 30000);
	struct lc_wine_result events = lc_wine_wait(&pn, 30000);
	expect_ok(&p, "lc_play");
	expect_ok(&stolen, "lc_scribble steal");
	cr_assert_geq(number_after(stolen.output, "stolen slot="), 0, "%s", stolen.output);
	cr_expect_eq(number_after(stolen.output, "driver_register="), 0,
		     "the driver registered a window of another process:\n%s", stolen.output);
	expect_ok(&events, "lc_events");
	/* The events were posted: the panel that registered its own window heard them. */
	cr_assert(strstr(events.output, "id=client_opened"), "the panel heard nothing:\n%s",
		  events.output);
	expect_ok(&bystander, "lc_scribble victim");
	cr_expect_eq(number_after(bystander.output, "victim: events="), 0,
		     "a window another process named got events:\n%s", bystander.output);
	free(p.output);
	free(stolen.output);
	free(bystander.output);
	free(events.output);
}
