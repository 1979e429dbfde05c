/* SPDX-License-Identifier: MIT */
/*
 * test_wine_panel.c — the GTK control panel under Wine on a real (virtual) X display:
 * it connects to the driver, shows a player within a second of its start (asserted
 * through the panel's own --dump of what it shows, and a screenshot that must not be
 * blank, kept as an artifact), and forgets it after it stops.
 *
 * Environment (tests/wine/meson.build): LC_PANEL_EXE (in a folder with its GTK
 * runtime), LC_PLAY_EXE, LC_DRIVER_DLL, LC_WINE, LC_WINEPREFIX (a prefix of its own:
 * this one draws), LC_TMPDIR.  Needs Xvfb and ImageMagick's import.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lc_wine.h"

static pid_t xvfb_pid;
static char display[16];

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };
	nanosleep(&ts, NULL);
}

/* Starts Xvfb on a free display (it writes the number it took to a pipe). */
static void start_xvfb(void)
{
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	xvfb_pid = fork();
	cr_assert(xvfb_pid >= 0);
	if (xvfb_pid == 0) {
		char fd_arg[16];
		snprintf(fd_arg, sizeof(fd_arg), "%d", fds[1]);
		close(fds[0]);
		freopen("/dev/null", "w", stderr);
		execlp("Xvfb", "Xvfb", "-displayfd", fd_arg, "-screen", "0", "1024x768x24", "-nolisten",
		       "tcp", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char number[16] = "";
	ssize_t got = read(fds[0], number, sizeof(number) - 1);
	close(fds[0]);
	cr_assert(got > 0, "Xvfb did not start");
	number[strcspn(number, "\n")] = '\0';
	snprintf(display, sizeof(display), ":%s", number);
	setenv("LC_WINE_DISPLAY", display, 1);
}

static void stop_xvfb(void)
{
	if (xvfb_pid > 0) {
		kill(xvfb_pid, SIGTERM);
		waitpid(xvfb_pid, NULL, 0);
	}
}

static void setup(void)
{
	if (!lc_wine_available())
		cr_skip_test("%s is absent", lc_wine_env("LC_WINE"));
	if (system("command -v Xvfb >/dev/null && command -v import >/dev/null") != 0)
		cr_skip_test("Xvfb or ImageMagick's import is missing");
	start_xvfb();
	cr_assert_eq(lc_wine_install_driver(), 0);
}

TestSuite(panel, .init = setup, .fini = stop_xvfb, .timeout = 180);

static char *artifact(const char *name)
{
	static char paths[4][4096];
	static int next;
	char *p = paths[next++ % 4];
	snprintf(p, 4096, "%s/%s", lc_wine_env("LC_TMPDIR"), name);
	return p;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	static char text[65536];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return text;
}

/* Polls the panel's dump until it contains `want` (or lacks it, for present=0). */
static double wait_for_dump(const char *dump, const char *want, int present, double timeout_s)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		const char *text = read_file(dump);
		int has = text && strstr(text, want) != NULL;
		clock_gettime(CLOCK_MONOTONIC, &t);
		double elapsed = (t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9;
		if (has == present)
			return elapsed;
		if (elapsed > timeout_s)
			return -1;
		sleep_ms(20);
	}
}

/* Standard deviation of the screenshot's pixels: a blank or single-colour window is 0. */
static double picture_spread(const char *png)
{
	char command[4500];
	snprintf(command, sizeof(command), "identify -format '%%[fx:standard_deviation]' '%s'", png);
	FILE *p = popen(command, "r");
	double spread = -1;
	if (p) {
		if (fscanf(p, "%lf", &spread) != 1)
			spread = -1;
		pclose(p);
	}
	return spread;
}

Test(panel, shows_a_player_within_a_second_and_forgets_it_after)
{
	const char *dump = artifact("panel-dump.txt");
	unlink(dump);
	const char *panel[] = { lc_wine_env("LC_PANEL_EXE"), "--dump", dump, "--quit-after", "20", NULL };
	struct lc_wine_proc p;
	lc_wine_start(&p, panel, NULL);
	cr_assert(wait_for_dump(dump, "linked=1", 1, 60) >= 0, "the panel never connected:\n%s",
		  read_file(dump) ? read_file(dump) : "(no dump)");

	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--seconds", "3", "--signal", "sine:1000:-6",
			       NULL };
	const char *env[] = { LC_WINE_CLIENT_ENV, NULL };
	struct lc_wine_proc player;
	lc_wine_start(&player, play, env);
	double shown = wait_for_dump(dump, "kind=player", 1, 10);
	cr_log_info("the player showed in the panel after %.3f s (from starting its process)", shown);
	cr_expect(shown >= 0 && shown <= 1.0 + 1.0,
		  "the player showed after %.3f s (1 s budget, plus up to 1 s to start a Wine process)",
		  shown);

	/* The screenshot while it plays: non-blank, kept for people to look at. */
	sleep_ms(500);
	const char *png = artifact("panel.png");
	char command[4500];
	snprintf(command, sizeof(command), "import -display %s -window root '%s'", display, png);
	cr_expect_eq(system(command), 0, "screenshot failed");
	double spread = picture_spread(png);
	cr_log_info("screenshot %s, pixel spread %.3f", png, spread);
	cr_expect(spread > 0.05, "the screenshot is blank (spread %.3f)", spread);

	struct lc_wine_result pr = lc_wine_wait(&player, 60000);
	cr_expect(strstr(pr.output, "lc_play: ok"), "%s", pr.output);
	double gone = wait_for_dump(dump, "kind=player", 0, 5);
	cr_expect(gone >= 0 && gone <= 1.0, "the player was still shown %.3f s after it ended", gone);

	lc_wine_kill(&p);
	struct lc_wine_result panel_out = lc_wine_wait(&p, 10000);
	free(panel_out.output);
	free(pr.output);
}
