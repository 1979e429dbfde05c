/* SPDX-License-Identifier: MIT */
/*
 * test_wine_sound.c — a program's system sounds reach a cable: cable/lc_sound.exe calls
 * PlaySound / sndPlaySound (the test winmm plays them through the loaded wave drivers,
 * WAVE_MAPPER = LoopCable 1 here) while cable/lc_rec.exe records LoopCable 1 in another
 * process; the tone of the WAV file played must be in the recording, whole, at its
 * level, and nothing after it.
 *
 * Environment (tests/wine/meson.build): LC_DRIVER_DLL, LC_SOUND_EXE, LC_REC_EXE, LC_WINE,
 * LC_WINEPREFIX, LC_TMPDIR (the WAV played and the recordings; kept as artifacts).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lc_wavfile.h"
#include "lc_wine.h"

#define RATE 48000
#define TONE_HZ 1000.0
#define TONE_AMP 0.5 /* -6 dBFS */
#define TONE_FRAMES RATE /* one second */

static const char *const client_env[] = { LC_WINE_CLIENT_ENV, NULL };

static void put16(FILE *f, unsigned v)
{
	fputc((int)(v & 0xFF), f);
	fputc((int)((v >> 8) & 0xFF), f);
}

static void put32(FILE *f, unsigned long v)
{
	put16(f, (unsigned)(v & 0xFFFF));
	put16(f, (unsigned)(v >> 16));
}

/* LC_TMPDIR/sound/tone.wav: one second of TONE_HZ at TONE_AMP, s16 stereo 48 kHz. */
static const char *sound_dir(void)
{
	static char dir[4096];
	char path[4200];
	snprintf(dir, sizeof(dir), "%s/sound", lc_wine_env("LC_TMPDIR"));
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/tone.wav", dir);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "cannot write %s", path);
	unsigned long data_bytes = TONE_FRAMES * 4ul;
	fputs("RIFF", f);
	put32(f, 36 + data_bytes);
	fputs("WAVEfmt ", f);
	put32(f, 16);
	put16(f, 1);
	put16(f, 2);
	put32(f, RATE);
	put32(f, RATE * 4ul);
	put16(f, 4);
	put16(f, 16);
	fputs("data", f);
	put32(f, data_bytes);
	const double step = 2 * 3.14159265358979 * TONE_HZ / RATE;
	for (long i = 0; i < TONE_FRAMES; i++) {
		long v = lround(TONE_AMP * 32767 * sin(step * (double)i));
		put16(f, (unsigned)(v & 0xFFFF));
		put16(f, (unsigned)(v & 0xFFFF));
	}
	fclose(f);
	return dir;
}

static char *windows_path(const char *unix_path)
{
	static char out[8400];
	snprintf(out, sizeof(out), "Z:%s", unix_path);
	for (char *p = out; *p; p++)
		if (*p == '/')
			*p = '\\';
	return out;
}

static void setup(void)
{
	LC_WINE_SKIP_IF_ABSENT();
	cr_assert_eq(lc_wine_install_driver(), 0, "could not install the driver in the prefix");
}

TestSuite(sound, .init = setup, .timeout = 120);

static void expect_client_ok(struct lc_wine_result *r, const char *who)
{
	cr_log_info("%s output:\n%s", who, r->output);
	cr_assert(!r->timed_out, "%s timed out:\n%s", who, r->output);
	cr_expect(strstr(r->output, ": ok"), "%s did not finish well:\n%s", who, r->output);
	cr_expect_eq(r->exit_code, 0, "%s exit code %d:\n%s", who, r->exit_code, r->output);
}

static long value_of(const char *output, const char *key)
{
	const char *at = strstr(output, key);
	cr_assert_not_null(at, "no %s in:\n%s", key, output);
	return strtol(at + strlen(key), NULL, 10);
}

/* Records LoopCable 1 while `lc_sound.exe DIR mode` runs; *client gets its result. */
static void record_sound(const char *mode, const char *wav, struct lc_wine_result *client)
{
	const char *dir_win = windows_path(sound_dir());
	const char *rec[] = { lc_wine_env("LC_REC_EXE"), "--seconds", "2.5", "--out", wav, NULL };
	const char *play[] = { lc_wine_env("LC_SOUND_EXE"), dir_win, mode, NULL };
	struct lc_wine_proc rec_proc;
	lc_wine_start(&rec_proc, rec, client_env);
	lc_wine_sleep_ms(400);
	*client = lc_wine_run(play, client_env, 60000);
	struct lc_wine_result recorded = lc_wine_wait(&rec_proc, 60000);
	expect_client_ok(client, "lc_sound");
	cr_log_info("lc_rec output:\n%s", recorded.output);
	cr_assert(!recorded.timed_out && recorded.exit_code == 0 &&
			  strstr(recorded.output, ": ok"),
		  "lc_rec failed:\n%s", recorded.output);
	free(recorded.output);
}

/* The whole tone once: its frequency and level, no gap, and silence after it. */
static void expect_the_tone(const char *wav, const char *mode)
{
	struct lc_wavfile w;
	cr_assert(lc_wavfile_read(wav, &w), "cannot read %s", wav);
	size_t start = lc_wavfile_first_above(&w, 0, TONE_AMP / 4);
	cr_assert(start != SIZE_MAX, "%s: the recording is silent: PlaySound did not reach "
				     "LoopCable 1", mode);
	cr_assert_eq(w.rate_hz, RATE);
	size_t from = start + RATE / 20, len = RATE * 8 / 10;
	cr_assert(from + len <= w.frames, "%s: recording too short", mode);
	for (uint32_t ch = 0; ch < w.channels; ch++) {
		double hz = lc_wavfile_frequency(&w, ch, from, len);
		double amp = lc_wavfile_tone_amplitude(&w, ch, from, len, TONE_HZ);
		cr_expect(fabs(hz - TONE_HZ) < 0.5, "%s ch %u: %f Hz", mode, ch, hz);
		cr_expect(fabs(amp - TONE_AMP) < 0.02, "%s ch %u: level %f", mode, ch, amp);
	}
	size_t at = 0;
	double worst = lc_wavfile_tone_worst(&w, 0, start + 480, start + TONE_FRAMES - 480, 2400,
					     TONE_HZ, TONE_AMP, &at);
	cr_expect(fabs(worst - TONE_AMP) < 0.05, "%s: a gap or cut: level %f at frame %zu", mode,
		  worst, at - start);
	/* Played once: after its second, silence (as long as the recording lasts). */
	size_t after = start + TONE_FRAMES + RATE / 20;
	size_t quiet = w.frames > after ? w.frames - after : 0;
	if (quiet > RATE / 2)
		quiet = RATE / 2;
	cr_expect_geq(quiet, RATE / 10, "%s: the recording ends too soon after the tone", mode);
	if (quiet > 0) {
		double rest = lc_wavfile_tone_amplitude(&w, 0, after, quiet, TONE_HZ);
		cr_expect(rest < 0.01, "%s: the tone goes on after its end (%f)", mode, rest);
	}
	lc_wavfile_free(&w);
}

static void check_sync_mode(const char *mode)
{
	char name[64];
	snprintf(name, sizeof(name), "playsound_%s.wav", mode);
	const char *wav = lc_wine_artifact(name);
	struct lc_wine_result client;
	record_sound(mode, wav, &client);
	cr_expect_eq(value_of(client.output, "result="), 1, "%s:\n%s", mode, client.output);
	/* SND_SYNC returns once the sound is played (the driver returns the buffer
	 * when its last part is in the cable, a ring's length at most before it is
	 * heard), not at once. */
	long elapsed = value_of(client.output, "elapsed_ms=");
	cr_expect(elapsed >= 700 && elapsed < 5000, "%s returned after %ld ms", mode, elapsed);
	expect_the_tone(wav, mode);
	free(client.output);
}

Test(sound, playsound_filename_sync_plays_the_file_into_loopcable_1)
{
	check_sync_mode("file");
}

Test(sound, playsound_memory_sync_plays_the_image)
{
	check_sync_mode("memory");
}

Test(sound, sndplaysound_finds_the_file)
{
	check_sync_mode("snd");
}

Test(sound, a_system_sound_alias_id_plays_its_registered_file)
{
	char tone[4200];
	snprintf(tone, sizeof(tone), "%s/tone.wav", sound_dir());
	const char *argv[] = { "reg", "add",
			       "HKCU\\AppEvents\\Schemes\\Apps\\.Default\\SystemAsterisk\\.Current",
			       "/ve", "/t", "REG_SZ", "/d", windows_path(tone), "/f", NULL };
	struct lc_wine_result reg = lc_wine_run(argv, NULL, 30000);
	cr_assert_eq(reg.exit_code, 0, "reg add failed:\n%s", reg.output);
	free(reg.output);
	check_sync_mode("alias_id");
}

Test(sound, playsound_async_returns_at_once_and_null_stops_it)
{
	const char *wav = lc_wine_artifact("playsound_async.wav");
	struct lc_wine_result client;
	record_sound("async", wav, &client);
	long elapsed = value_of(client.output, "elapsed_ms=");
	cr_expect(elapsed < 300, "SND_ASYNC returned after %ld ms", elapsed);
	struct lc_wavfile w;
	cr_assert(lc_wavfile_read(wav, &w), "cannot read %s", wav);
	size_t start = lc_wavfile_first_above(&w, 0, TONE_AMP / 4);
	cr_assert(start != SIZE_MAX, "the recording is silent");
	cr_assert(start + RATE <= w.frames, "recording too short");
	double playing = lc_wavfile_tone_amplitude(&w, 0, start + RATE / 20, RATE / 10, TONE_HZ);
	cr_expect(fabs(playing - TONE_AMP) < 0.02, "level while playing %f", playing);
	/* Stopped about 300 ms after the call (plus what the driver had written ahead):
	 * silent well before the file's one second would end. */
	double after = lc_wavfile_tone_amplitude(&w, 0, start + RATE * 7 / 10, RATE / 4, TONE_HZ);
	cr_expect(after < 0.01, "still playing after the stop (%f)", after);
	lc_wavfile_free(&w);
	free(client.output);
}

Test(sound, a_missing_file_with_snd_nodefault_fails_quietly)
{
	const char *argv[] = { lc_wine_env("LC_SOUND_EXE"), windows_path(sound_dir()), "missing",
			       NULL };
	struct lc_wine_result client = lc_wine_run(argv, client_env, 60000);
	expect_client_ok(&client, "lc_sound");
	cr_expect_eq(value_of(client.output, "result="), 0);
	cr_expect_lt(value_of(client.output, "elapsed_ms="), 500);
	free(client.output);
}
