/* SPDX-License-Identifier: MIT */
/*
 * test_wine_panel.c — the GTK control panel under Wine on a real (virtual) X display:
 * it connects to the driver, shows a player within a second of its start (asserted
 * through the panel's own --dump of what it shows, and a screenshot that must not be
 * blank, kept as an artifact), and forgets it after it stops.
 *
 * Settings changed in the panel's own widgets (its --test-settings presses Apply) are
 * what a new winmm client sees; the window is checked at 200 % scale too.
 *
 * The Routes page lists the routes of the registry (docs/forwarding.md) with the
 * router's state, and follows changes made to the registry while it runs.  The panel
 * opens on the view used last: the routes test leaves no routes and the Cables view
 * behind (a `reg import` in every test's set-up made the next panel window get no HWND
 * under Wine, two runs of two, so the other tests are left as they were).
 *
 * Environment (tests/wine/meson.build): LC_PANEL_EXE (in a folder with its GTK
 * runtime), LC_PLAY_EXE, LC_SETTINGS_EXE, LC_DRIVER_DLL, LC_WINE, LC_WINEPREFIX (a
 * prefix of its own: this one draws), LC_TMPDIR.  Needs Xvfb and ImageMagick.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lc_pulse.h"
#include "lc_wine.h"
#include "lc_xvfb.h"

static char display[16];

/* The registry keys of the routes and of the panel's own state (drv_regkeys.h,
 * lc_main_window.h), as .reg files and `reg` name them. */
#define ROUTES_KEY "HKEY_CURRENT_USER\\Software\\LoopCable\\Routes"
#define PANEL_KEY "HKEY_CURRENT_USER\\Software\\LoopCable\\Panel"

/* Imports `body` (the keys and values of a .reg file) into the prefix's registry. */
static void reg_import(const char *name, const char *body)
{
	const char *path = lc_wine_artifact(name);
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "cannot write %s", path);
	fprintf(f, "Windows Registry Editor Version 5.00\r\n\r\n%s", body);
	fclose(f);
	/* Wine maps the Unix root to drive Z:. */
	char windows_path[4200];
	snprintf(windows_path, sizeof(windows_path), "Z:%s", path);
	for (char *c = windows_path; *c; c++)
		if (*c == '/')
			*c = '\\';
	const char *argv[] = { "reg", "import", windows_path, NULL };
	struct lc_wine_result r = lc_wine_run(argv, NULL, 60000);
	cr_assert_eq(r.exit_code, 0, "reg import %s: exit %d\n%s", path, r.exit_code, r.output);
	free(r.output);
}

static void teardown(void)
{
	lc_xvfb_stop();
	/* The sound cards of the test with a real router, if it ran. */
	lc_pulse_stop();
}

static void setup(void)
{
	if (!lc_wine_available())
		cr_skip_test("%s is absent", lc_wine_env("LC_WINE"));
	if (system("command -v Xvfb >/dev/null && command -v import >/dev/null") != 0)
		cr_skip_test("Xvfb or ImageMagick's import is missing");
	/* A session left from a run just before is bound to its (gone) display. */
	lc_wine_shutdown();
	const char *started = lc_xvfb_start(2048, 1536); /* room for the window at 200 % */
	cr_assert_not_null(started);
	snprintf(display, sizeof(display), "%s", started);
	cr_assert_eq(lc_wine_install_driver(), 0);
}

TestSuite(panel, .init = setup, .fini = teardown, .timeout = 180);

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	static char text[65536];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	/* The panel writes Windows text (CRLF): compare lines without the CRs. */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		if (text[i] != '\r')
			text[kept++] = text[i];
	text[kept] = '\0';
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
		lc_wine_sleep_ms(20);
	}
}

/* Waits until the panel is linked to the driver; if it never is, fails with what the
 * panel printed and showed. */
static void expect_linked(struct lc_wine_proc *panel, const char *dump)
{
	if (wait_for_dump(dump, "linked=1", 1, 60) >= 0)
		return;
	const char *shown = read_file(dump);
	char *copy = strdup(shown ? shown : "(no dump)");
	lc_wine_kill(panel);
	struct lc_wine_result out = lc_wine_wait(panel, 10000);
	cr_assert_fail("the panel never connected to the driver:\n%s\npanel output:\n%s", copy,
		 out.output);
}

/*
 * Starts the panel and waits until it is linked to the driver.  Now and then, on the
 * fresh Xvfb display each test starts, Wine gives GTK no native window (the handle is
 * NULL, the driver refuses it with "IsWindow: 0", and GDK floods "UpdateLayeredWindow
 * failed with code 87"; docs/wine.md): such a panel is started once more, and said so.
 */
static void start_linked(struct lc_wine_proc *panel, const char *const argv[],
			 const char *const env[], const char *dump)
{
	unlink(dump);
	lc_wine_start(panel, argv, env);
	if (wait_for_dump(dump, "linked=1", 1, 15) >= 0)
		return;
	const char *shown = read_file(dump);
	if (shown && strstr(shown, "(IsWindow: 0)")) {
		fprintf(stderr, "the panel got no window from Wine; started once more\n");
		lc_wine_kill(panel);
		free(lc_wine_wait(panel, 10000).output);
		unlink(dump);
		lc_wine_start(panel, argv, env);
	}
	expect_linked(panel, dump);
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

/* Screenshot of the whole display into `png`; asserts it is not blank. */
static void screenshot(const char *png)
{
	char command[4500];
	snprintf(command, sizeof(command), "import -display %s -window root '%s'", display, png);
	cr_expect_eq(system(command), 0, "screenshot failed");
	double spread = picture_spread(png);
	cr_log_info("screenshot %s, pixel spread %.3f", png, spread);
	cr_expect(spread > 0.05, "the screenshot is blank (spread %.3f)", spread);
}

Test(panel, shows_a_player_within_a_second_and_forgets_it_after)
{
	const char *dump = lc_wine_artifact("panel-dump.txt");
	unlink(dump);
	const char *panel[] = { lc_wine_env("LC_PANEL_EXE"), "--dump", dump, "--quit-after", "20", NULL };
	struct lc_wine_proc p;
	start_linked(&p, panel, NULL, dump);

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
	lc_wine_sleep_ms(500);
	screenshot(lc_wine_artifact("panel.png"));

	struct lc_wine_result pr = lc_wine_wait(&player, 60000);
	cr_expect(strstr(pr.output, "lc_play: ok"), "%s", pr.output);
	double gone = wait_for_dump(dump, "kind=player", 0, 5);
	cr_expect(gone >= 0 && gone <= 1.0, "the player was still shown %.3f s after it ended", gone);

	lc_wine_kill(&p);
	struct lc_wine_result panel_out = lc_wine_wait(&p, 10000);
	free(panel_out.output);
	free(pr.output);
}

static const char *const client_env[] = { LC_WINE_CLIENT_ENV, NULL };

/* lc_settings.exe (the test's stand-in for a client): its output, which must say ok. */
static char *settings(const char *a1, const char *a2)
{
	const char *argv[] = { lc_wine_env("LC_SETTINGS_EXE"), a1, a2, NULL };
	struct lc_wine_result r = lc_wine_run(argv, client_env, 60000);
	cr_assert_eq(r.exit_code, 0, "lc_settings %s: exit %d\n%s", a1, r.exit_code, r.output);
	return r.output;
}


/* The number after "key=" in the dump, or -1. */
static long dump_value(const char *dump, const char *key)
{
	const char *text = read_file(dump);
	const char *at = text ? strstr(text, key) : NULL;
	return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

Test(panel, the_cable_count_set_in_the_panel_is_what_new_clients_see)
{
	free(settings("set", "cables=2"));
	const char *dump = lc_wine_artifact("panel-settings-dump.txt");
	unlink(dump);
	const char *panel[] = { lc_wine_env("LC_PANEL_EXE"), "--dump", dump, "--test-settings",
				"cables=3,name3=From the panel,channels3=4", "--quit-after", "40",
				NULL };
	struct lc_wine_proc p;
	start_linked(&p, panel, NULL, dump);
	/* The panel applies, hears config_changed, registers again and shows 3 cables. */
	double shown = wait_for_dump(dump, "cables=3\n", 1, 60);
	cr_assert(shown >= 0, "the panel never showed 3 cables:\n%s",
		  read_file(dump) ? read_file(dump) : "(no dump)");
	long applied = dump_value(dump, "applied=");
	cr_expect_gt(applied, 0, "the apply failed:\n%s", read_file(dump));
	cr_expect(wait_for_dump(dump, "cable 3 name=\"From the panel\" rate=48000 channels=4", 1, 5)
		  >= 0, "%s", read_file(dump));
	cr_expect(wait_for_dump(dump, "linked=1", 1, 5) >= 0, "%s", read_file(dump));

	/* A winmm client started now sees what the panel set. */
	char *devices = settings("devices", NULL);
	cr_expect(strstr(devices, "out=3 in=3"), "want 3 devices:\n%s", devices);
	cr_expect(strstr(devices, "out 3 name=\"From the panel\" channels=4"), "%s", devices);
	free(devices);
	screenshot(lc_wine_artifact("panel-settings.png"));

	/* Someone else changes the settings: the running panel follows. */
	free(settings("set", "cables=2"));
	cr_expect(wait_for_dump(dump, "cables=2\n", 1, 5) >= 0,
		  "the panel did not follow a change made elsewhere:\n%s", read_file(dump));
	lc_wine_kill(&p);
	struct lc_wine_result out = lc_wine_wait(&p, 10000);
	free(out.output);
}

Test(panel, shows_its_clients_at_200_percent_scale)
{
	free(settings("set", "cables=2"));
	const char *dump = lc_wine_artifact("panel-200-dump.txt");
	unlink(dump);
	const char *panel[] = { lc_wine_env("LC_PANEL_EXE"), "--dump", dump, "--quit-after", "20",
				NULL };
	const char *scaled[] = { "GDK_SCALE=2", NULL };
	struct lc_wine_proc p;
	start_linked(&p, panel, scaled, dump);
	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--seconds", "3", "--signal",
			       "sine:1000:-6", NULL };
	struct lc_wine_proc player;
	lc_wine_start(&player, play, client_env);
	cr_expect(wait_for_dump(dump, "process=\"lc_play.exe\"", 1, 10) >= 0,
		  "no player with its process name:\n%s", read_file(dump));
	lc_wine_sleep_ms(500);
	screenshot(lc_wine_artifact("panel-200.png"));
	struct lc_wine_result pr = lc_wine_wait(&player, 60000);
	free(pr.output);
	lc_wine_kill(&p);
	struct lc_wine_result out = lc_wine_wait(&p, 10000);
	free(out.output);
}

/* Two routes, none left from before, and a key that holds no valid route (skipped:
 * lc_routes_reg.h); the panel opens on the Routes view, as if it had been left there. */
#define TWO_ROUTES_REG \
	"[-" ROUTES_KEY "]\r\n\r\n" \
	"[" ROUTES_KEY "\\1]\r\n" \
	"\"Cable\"=dword:00000001\r\n" \
	"\"Direction\"=\"listen\"\r\n" \
	"\"HostApi\"=\"Windows WASAPI\"\r\n" \
	"\"Device\"=\"Speakers (Test \\\"A\\\")\"\r\n" \
	"\"LatencyMs\"=dword:00000014\r\n" \
	"\"Enabled\"=dword:00000001\r\n\r\n" \
	"[" ROUTES_KEY "\\2]\r\n" \
	"\"Cable\"=dword:00000002\r\n" \
	"\"Direction\"=\"feed\"\r\n" \
	"\"HostApi\"=\"\"\r\n" \
	"\"Device\"=\"\"\r\n" \
	"\"LatencyMs\"=dword:0000002d\r\n" \
	"\"Enabled\"=dword:00000000\r\n\r\n" \
	"[" ROUTES_KEY "\\7]\r\n" \
	"\"Cable\"=dword:00000001\r\n" \
	"\"Direction\"=\"sideways\"\r\n\r\n" \
	"[" PANEL_KEY "]\r\n\"View\"=\"routes\"\r\n"

/* What the routes tests change, put back: no routes, the Cables view. */
static void forget_routes(void)
{
	reg_import("panel-routes-reset.reg", "[-" ROUTES_KEY "]\r\n\r\n"
					     "[" PANEL_KEY "]\r\n\"View\"=\"cables\"\r\n");
}

/* Pixels of the screenshot within 10 % of `colour`, or -1. */
static long count_colour(const char *png, const char *colour)
{
	char command[4500];
	snprintf(command, sizeof(command),
		 "convert '%s' -fuzz 10%% -fill black +opaque '%s' -fill white -opaque '%s' "
		 "-format '%%[fx:round(mean*w*h)]' info:",
		 png, colour, colour);
	FILE *p = popen(command, "r");
	long n = -1;
	if (p) {
		if (fscanf(p, "%ld", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

/* Pixels that differ between two screenshots, or -1. */
static long count_changed(const char *a, const char *b)
{
	char command[9000];
	/* compare prints the count to stderr and exits 1 when the pictures differ. */
	snprintf(command, sizeof(command), "compare -metric AE '%s' '%s' null: 2>&1", a, b);
	FILE *p = popen(command, "r");
	double n = -1;
	if (p) {
		if (fscanf(p, "%lf", &n) != 1)
			n = -1;
		pclose(p);
	}
	return (long)n;
}

/* The switch of an enabled route is drawn in Adwaita's selected colour. */
#define SWITCH_ON_COLOUR "#3584e4"

/* Two cables, the two routes of TWO_ROUTES_REG, and the panel started on them with its
 * dump in LC_TMPDIR/dump_name (the path returned stays valid for the test). */
static const char *start_panel_on_two_routes(struct lc_wine_proc *p, const char *dump_name)
{
	static char dump[4096];
	free(settings("set", "cables=2"));
	reg_import("panel-routes.reg", TWO_ROUTES_REG);
	snprintf(dump, sizeof(dump), "%s", lc_wine_artifact(dump_name));
	unlink(dump);
	const char *panel[] = { lc_wine_env("LC_PANEL_EXE"), "--dump", dump, "--quit-after", "60",
				NULL };
	start_linked(p, panel, NULL, dump);
	return dump;
}

Test(panel, lists_the_routes_of_the_registry_and_follows_their_changes)
{
	struct lc_wine_proc p;
	const char *dump = start_panel_on_two_routes(&p, "panel-routes-dump.txt");
	cr_assert(wait_for_dump(dump, "routes=2\n", 1, 10) >= 0, "want 2 routes:\n%s",
		  read_file(dump));
	const char *route1 = "route id=1 cable=1 dir=listen "
			     "device=\"WASAPI:Speakers (Test \\\"A\\\")\" "
			     "latency_ms=20 enabled=1 reported=0 state=\"not running\" fill_ms=0.0 "
			     "target_ms=0.0 ratio_ppm=0.0 underruns=0 overruns=0 restarts=0\n";
	const char *route2 = "route id=2 cable=2 dir=feed device=\"default\" latency_ms=45 "
			     "enabled=0 reported=0 state=\"not running\"";
	const char *text = read_file(dump);
	cr_expect(strstr(text, route1), "want\n%s in\n%s", route1, text);
	cr_expect(strstr(text, route2), "want\n%s in\n%s", route2, text);
	cr_expect(strstr(text, "router=0 pid=0 heartbeat=0\n"), "want no router:\n%s", text);
	cr_expect(!strstr(text, "route id=7"), "the invalid key was listed:\n%s", text);

	/* Drawn: the page, with one switch on (route 1).  Then route 1 is removed behind
	 * the panel's back; the page follows and its switch is gone from the picture. */
	lc_wine_sleep_ms(1000);
	const char *both = strdup(lc_wine_artifact("panel-routes.png"));
	screenshot(both);
	long on_before = count_colour(both, SWITCH_ON_COLOUR);
	const char *argv[] = { "reg", "delete", ROUTES_KEY "\\1", "/f", NULL };
	struct lc_wine_result del = lc_wine_run(argv, NULL, 60000);
	cr_assert_eq(del.exit_code, 0, "reg delete: %s", del.output);
	free(del.output);
	cr_expect(wait_for_dump(dump, "routes=1\n", 1, 5) >= 0,
		  "the panel did not follow a route removed elsewhere:\n%s", read_file(dump));
	text = read_file(dump);
	cr_expect(!strstr(text, "route id=1 ") && strstr(text, route2), "%s", text);
	lc_wine_sleep_ms(1000);
	const char *one = strdup(lc_wine_artifact("panel-routes-1.png"));
	screenshot(one);
	long on_after = count_colour(one, SWITCH_ON_COLOUR);
	long changed = count_changed(both, one);
	cr_log_info("switch-on pixels %ld -> %ld, %ld pixels changed", on_before, on_after,
		    changed);
	/* A switch is about 48 x 26 pixels; a row of text some thousand pixels. */
	cr_expect(on_before - on_after >= 300, "the enabled switch of route 1 was not drawn, or "
		  "not taken away (%ld -> %ld pixels of %s)", on_before, on_after,
		  SWITCH_ON_COLOUR);
	cr_expect(changed >= 1000, "the page did not change when route 1 went (%ld pixels)",
		  changed);
	free((void *)both);
	free((void *)one);
	lc_wine_kill(&p);
	struct lc_wine_result out = lc_wine_wait(&p, 10000);
	free(out.output);
	forget_routes();
}

/* Adwaita's colour of error text (a route in error). */
#define ERROR_COLOUR "#cc0000"

Test(panel, shows_what_a_running_router_reports)
{
	struct lc_wine_proc p;
	const char *dump = start_panel_on_two_routes(&p, "panel-router-dump.txt");
	cr_assert(wait_for_dump(dump, "routes=2\n", 1, 10) >= 0, "%s", read_file(dump));

	const char *stand_in[] = { lc_wine_env("LC_ROUTER_STAND_IN_EXE"), "8", NULL };
	struct lc_wine_proc router;
	lc_wine_start(&router, stand_in, NULL);
	cr_assert(wait_for_dump(dump, "router=1 pid=", 1, 10) >= 0, "the router was not seen:\n%s",
		  read_file(dump));
	const char *running = "route id=1 cable=1 dir=listen "
			      "device=\"WASAPI:Speakers (Test \\\"A\\\")\" "
			      "latency_ms=20 enabled=1 reported=1 state=\"running\" fill_ms=19.5 "
			      "target_ms=20.0 ratio_ppm=12.3 underruns=1 overruns=2 restarts=3\n";
	const char *error = "route id=2 cable=2 dir=feed device=\"default\" latency_ms=45 "
			    "enabled=0 reported=1 state=\"error\"";
	cr_expect(wait_for_dump(dump, running, 1, 2) >= 0, "want\n%s in\n%s", running,
		  read_file(dump));
	cr_expect(wait_for_dump(dump, error, 1, 2) >= 0, "want\n%s in\n%s", error, read_file(dump));
	cr_expect(dump_value(dump, "router=1 pid=") > 0, "%s", read_file(dump));
	lc_wine_sleep_ms(1000);
	cr_expect(dump_value(dump, "heartbeat=") > 0, "the router's heartbeat is not shown:\n%s",
		  read_file(dump));
	const char *with_router = strdup(lc_wine_artifact("panel-routes-router.png"));
	screenshot(with_router);
	long red_with = count_colour(with_router, ERROR_COLOUR);

	/* The router ends: its section goes, the page says so. */
	struct lc_wine_result rr = lc_wine_wait(&router, 30000);
	cr_expect_eq(rr.exit_code, 0, "%s", rr.output);
	free(rr.output);
	cr_expect(wait_for_dump(dump, "router=0 pid=0", 1, 3) >= 0, "%s", read_file(dump));
	cr_expect(wait_for_dump(dump, "route id=2 cable=2 dir=feed device=\"default\" "
				"latency_ms=45 enabled=0 reported=0 state=\"not running\"", 1, 3)
		  >= 0,
		  "%s", read_file(dump));
	lc_wine_sleep_ms(1000);
	const char *without = strdup(lc_wine_artifact("panel-routes-no-router.png"));
	screenshot(without);
	long red_without = count_colour(without, ERROR_COLOUR);
	cr_log_info("error-red pixels %ld with the router, %ld without", red_with, red_without);
	cr_expect(red_with >= 50 && red_without < red_with / 4,
		  "route 2's error is not shown in red, or stays (%ld -> %ld pixels of %s)",
		  red_with, red_without, ERROR_COLOUR);
	free((void *)with_router);
	free((void *)without);
	lc_wine_kill(&p);
	struct lc_wine_result out = lc_wine_wait(&p, 10000);
	free(out.output);
	forget_routes();
}

/* The panel and the router it starts as in tests/wine/meson.build: the test winmm
 * beside them for the cables, Wine's PulseAudio driver for the sound cards. */
static const char *const routing_env[] = { "WINEDLLOVERRIDES=mscoree,mshtml=;winmm=n", NULL };

/* Appends a line to the panel's --test-routes file: the panel enters it on the Routes
 * page at its next refresh. */
static void enter(const char *steps, const char *step)
{
	FILE *f = fopen(steps, "a");
	cr_assert_not_null(f, "cannot write %s", steps);
	fprintf(f, "%s\n", step);
	fclose(f);
}

/* A number after `key` in the line of the dump that starts with `line`, or -1. */
static double route_value(const char *dump, const char *line, const char *key)
{
	const char *text = read_file(dump);
	const char *at = text ? strstr(text, line) : NULL;
	const char *end = at ? strchr(at, '\n') : NULL;
	const char *value = at ? strstr(at, key) : NULL;
	return value && value < end ? strtod(value + strlen(key), NULL) : -1;
}

Test(panel, runs_a_route_through_the_real_router_from_its_own_buttons, .timeout = 240)
{
	lc_pulse_start();
	forget_routes();
	free(settings("set", "cables=2"));
	static char steps[4096], dump[4096];
	snprintf(steps, sizeof(steps), "%s", lc_wine_artifact("panel-steps.txt"));
	snprintf(dump, sizeof(dump), "%s", lc_wine_artifact("panel-real-router-dump.txt"));
	unlink(dump);
	fclose(fopen(steps, "w"));
	const char *panel[] = { lc_wine_env("LC_PANEL_EXE"), "--dump", dump, "--test-routes", steps,
				"--quit-after", "150", NULL };
	struct lc_wine_proc p;
	start_linked(&p, panel, routing_env, dump);
	cr_assert(wait_for_dump(dump, "router=0 pid=0", 1, 5) >= 0, "a router before the test:\n%s",
		  read_file(dump));

	/* Start router: lc_router.exe from the panel's folder. */
	enter(steps, "start-router");
	cr_assert(wait_for_dump(dump, "outcome=\"The router was started\"", 1, 10) >= 0, "%s",
		  read_file(dump));
	cr_assert(wait_for_dump(dump, "router=1 pid=", 1, 20) >= 0, "the router was not seen:\n%s",
		  read_file(dump));

	/* Add: cable 1 to the Speakers card as the device list names it. */
	enter(steps, "add 1 listen 20 WASAPI:Speakers");
	cr_expect(wait_for_dump(dump, "outcome=\"Route 1 added", 1, 20) >= 0, "%s", read_file(dump));
	const char *line = "route id=1 cable=1 dir=listen device=\"WASAPI:Speakers\" latency_ms=20 ";
	const char *running = "route id=1 cable=1 dir=listen device=\"WASAPI:Speakers\" "
			      "latency_ms=20 enabled=1 reported=1 state=\"running\"";
	cr_assert(wait_for_dump(dump, running, 1, 20) >= 0, "the route never ran:\n%s",
		  read_file(dump));
	/* Live: the router's FIFO near its 20 ms target, shown at display rate. */
	lc_wine_sleep_ms(2000);
	double target = route_value(dump, line, "target_ms=");
	double fill = route_value(dump, line, "fill_ms=");
	cr_expect(target == 20.0 && fill > 5.0 && fill < 60.0,
		  "fill %.1f ms of target %.1f ms:\n%s", fill, target, read_file(dump));
	const char *on = strdup(lc_wine_artifact("panel-real-router.png"));
	screenshot(on);

	/* Its switch: the router takes the route down. */
	enter(steps, "disable 1");
	const char *disabled = "route id=1 cable=1 dir=listen device=\"WASAPI:Speakers\" "
			       "latency_ms=20 enabled=0 reported=1 state=\"disabled\"";
	cr_expect(wait_for_dump(dump, disabled, 1, 10) >= 0, "%s", read_file(dump));
	lc_wine_sleep_ms(1000);
	const char *off = strdup(lc_wine_artifact("panel-real-router-off.png"));
	screenshot(off);
	long on_pixels = count_colour(on, SWITCH_ON_COLOUR);
	long off_pixels = count_colour(off, SWITCH_ON_COLOUR);
	cr_log_info("switch-on pixels %ld running, %ld disabled", on_pixels, off_pixels);
	cr_expect(on_pixels - off_pixels >= 300, "the switch was not drawn on, then off (%ld -> %ld "
		  "pixels of %s)", on_pixels, off_pixels, SWITCH_ON_COLOUR);

	/* Remove: gone from the registry, the page and the router. */
	enter(steps, "remove 1");
	cr_expect(wait_for_dump(dump, "outcome=\"Route 1 removed\"", 1, 10) >= 0, "%s",
		  read_file(dump));
	cr_expect(wait_for_dump(dump, "routes=0\n", 1, 10) >= 0, "%s", read_file(dump));
	const char *query[] = { "reg", "query", ROUTES_KEY "\\1", NULL };
	struct lc_wine_result q = lc_wine_run(query, NULL, 60000);
	cr_expect_neq(q.exit_code, 0, "route 1 is still in the registry:\n%s", q.output);
	free(q.output);

	/* A step for a route that is not there is refused, and says so. */
	enter(steps, "remove 9");
	/* WM_CLOSE (taskkill without /f) ends the router cleanly; its section goes. */
	const char *close_router[] = { "taskkill", "/im", "lc_router.exe", NULL };
	free(lc_wine_run(close_router, NULL, 60000).output);
	cr_expect(wait_for_dump(dump, "router=0 pid=0", 1, 10) >= 0,
		  "the router did not end at WM_CLOSE:\n%s", read_file(dump));
	/* The installer's log-on entry: a second panel started with --start-router starts
	 * the router (no window) and exits at once, leaving this panel alone. */
	const char *log_on[] = { lc_wine_env("LC_PANEL_EXE"), "--start-router", NULL };
	struct lc_wine_result started = lc_wine_run(log_on, routing_env, 60000);
	cr_expect_eq(started.exit_code, 0, "--start-router: exit %d\n%s", started.exit_code,
		     started.output);
	free(started.output);
	cr_expect(wait_for_dump(dump, "router=1 pid=", 1, 20) >= 0,
		  "--start-router started no router:\n%s", read_file(dump));
	free(lc_wine_run(close_router, NULL, 60000).output);
	cr_expect(wait_for_dump(dump, "router=0 pid=0", 1, 10) >= 0, "%s", read_file(dump));
	free((void *)on);
	free((void *)off);
	lc_wine_kill(&p);
	struct lc_wine_result out = lc_wine_wait(&p, 10000);
	cr_expect(strstr(out.output, "Test step refused: remove 9"), "%s", out.output);
	free(out.output);
	forget_routes();
}

/* A receive route from the network, fed by GStreamer on 127.0.0.1, opened on the Routes
 * view (docs/network.md). */
#define NETWORK_PORT 5050
#define NETWORK_ROUTE_REG \
	"[-" ROUTES_KEY "]\r\n\r\n" \
	"[" ROUTES_KEY "\\1]\r\n" \
	"\"Cable\"=dword:00000002\r\n" \
	"\"Direction\"=\"feed\"\r\n" \
	"\"HostApi\"=\"RTP\"\r\n" \
	"\"Device\"=\"rtp://127.0.0.1:5050\"\r\n" \
	"\"LatencyMs\"=dword:00000014\r\n" \
	"\"Enabled\"=dword:00000001\r\n\r\n" \
	"[" PANEL_KEY "]\r\n\"View\"=\"routes\"\r\n"

Test(panel, shows_a_network_route_with_its_packets_losses_and_fill, .timeout = 240)
{
	if (system("command -v gst-launch-1.0 >/dev/null 2>&1") != 0)
		cr_skip_test("gst-launch-1.0 is not installed (packaging/bootstrap.sh installs it)");
	lc_pulse_start();
	free(settings("set", "cables=2"));
	reg_import("panel-network-route.reg", NETWORK_ROUTE_REG);
	/* GStreamer sends a live tone, 1 ms packets (one 1 ms buffer at a time). */
	cr_assert_eq(lc_pulse_sh("timeout -s INT 90 gst-launch-1.0 -q audiotestsrc is-live=true "
				 "samplesperbuffer=48 freq=1000 volume=0.5 ! "
				 "audio/x-raw,rate=48000,channels=2 ! audioconvert ! rtpL24pay pt=96 "
				 "min-ptime=1000000 max-ptime=1000000 ! udpsink host=127.0.0.1 "
				 "port=%d >/dev/null 2>&1 &", NETWORK_PORT), 0);
	static char steps[4096], dump[4096];
	snprintf(steps, sizeof(steps), "%s", lc_wine_artifact("panel-network-steps.txt"));
	snprintf(dump, sizeof(dump), "%s", lc_wine_artifact("panel-network-dump.txt"));
	unlink(dump);
	fclose(fopen(steps, "w"));
	const char *panel[] = { lc_wine_env("LC_PANEL_EXE"), "--dump", dump, "--test-routes", steps,
				"--quit-after", "150", NULL };
	struct lc_wine_proc p;
	start_linked(&p, panel, routing_env, dump);
	const char *line = "route id=1 cable=2 dir=feed device=\"rtp://127.0.0.1:5050\" latency_ms=20 ";
	cr_assert(wait_for_dump(dump, line, 1, 10) >= 0, "the network route is not listed:\n%s",
		  read_file(dump));
	enter(steps, "start-router");
	const char *running = "route id=1 cable=2 dir=feed device=\"rtp://127.0.0.1:5050\" "
			      "latency_ms=20 enabled=1 reported=1 state=\"running\"";
	cr_assert(wait_for_dump(dump, running, 1, 30) >= 0, "the route never played:\n%s",
		  read_file(dump));
	/* Live: packets counting up, none lost or late on the loopback, the jitter buffer
	 * near its 20 ms target. */
	lc_wine_sleep_ms(3000);
	double packets = route_value(dump, line, "packets=");
	double lost = route_value(dump, line, "lost=");
	double late = route_value(dump, line, "late=");
	double fill = route_value(dump, line, "fill_ms=");
	double target = route_value(dump, line, "target_ms=");
	cr_expect(packets > 1000, "packets %.0f:\n%s", packets, read_file(dump));
	lc_wine_sleep_ms(1000);
	double later = route_value(dump, line, "packets=");
	cr_expect(later >= packets + 500, "packets not counting: %.0f then %.0f", packets, later);
	cr_expect(lost == 0 && late == 0, "lost %.0f late %.0f:\n%s", lost, late, read_file(dump));
	cr_expect(target == 20.0 && fill > 5.0 && fill < 60.0,
		  "fill %.1f ms of target %.1f ms:\n%s", fill, target, read_file(dump));
	screenshot(lc_wine_artifact("panel-network-route.png"));
	const char *close_router[] = { "taskkill", "/im", "lc_router.exe", NULL };
	free(lc_wine_run(close_router, NULL, 60000).output);
	cr_expect(wait_for_dump(dump, "router=0 pid=0", 1, 10) >= 0, "%s", read_file(dump));
	lc_pulse_sh("pkill -INT -f 'gst-launch-1.0.*port=%d' ; true", NETWORK_PORT);
	lc_wine_kill(&p);
	free(lc_wine_wait(&p, 10000).output);
	forget_routes();
}
