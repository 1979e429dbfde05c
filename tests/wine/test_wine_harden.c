/* SPDX-License-Identifier: MIT */
/*
 * test_wine_harden.c — the driver survives what winmm clients do to it (cable/
 * lc_harden.exe, see its head for each case):
 *   lock        a callback that takes the program's lock while the program, holding
 *               it, opens or closes another stream (no deadlock);
 *   reset200    200 queued headers reset (more than one batch) while the client
 *               reuses, scribbles on or frees each header the moment it is DONE;
 *               messages in order for every callback kind that carries them;
 *   close_race  reset + close while completions are in flight: no DONE lost, none
 *               after CLOSE;
 *   handles     a handle closed while other threads call the driver with it;
 *   fields      header fields changed after submit, buffers followed by a guard page.
 *
 * Each test asserts that lc_harden.exe printed no HANG (its watchdog ends a step
 * after 10 s) and no CRASH line, printed its summary with 0 failed checks and at
 * least the number of checks the case has today, and exited 0.
 *
 * The cases share LoopCable 1, so they run one at a time (meson passes --jobs 1).
 *
 * Environment (tests/wine/meson.build): LC_DRIVER_DLL, LC_HARDEN_EXE, LC_WINE,
 * LC_WINEPREFIX.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_wine.h"

static const char *const client_env[] = { LC_WINE_CLIENT_ENV, NULL };

static void setup(void)
{
	LC_WINE_SKIP_IF_ABSENT();
	cr_assert_eq(lc_wine_install_driver(), 0, "could not install the driver in the prefix");
}

TestSuite(harden, .init = setup, .timeout = 240);

/* The first line of `output` starting with `prefix`, copied (empty if none). */
static char *line_with(const char *output, const char *prefix)
{
	for (const char *line = output; *line;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		if (!strncmp(line, prefix, strlen(prefix))) {
			char *copy = malloc(n + 1);
			memcpy(copy, line, n);
			copy[n] = '\0';
			return copy;
		}
		line += n + (end != NULL);
	}
	return calloc(1, 1);
}

/* The FAIL lines of an output, for the assertion message. */
static char *fail_lines(const char *output)
{
	size_t len = 0;
	char *out = calloc(1, strlen(output) + 1);
	for (const char *line = output; *line;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) + 1 : strlen(line);
		if (!strncmp(line, "FAIL ", 5)) {
			memcpy(out + len, line, n);
			len += n;
		}
		line += n;
	}
	return out;
}

static void run_case(int min_checks, const char *a1, const char *a2, const char *a3,
		     const char *a4)
{
	const char *argv[] = { lc_wine_env("LC_HARDEN_EXE"), a1, a2, a3, a4, NULL };
	char what[128];
	snprintf(what, sizeof(what), "lc_harden.exe %s %s %s %s", a1, a2 ? a2 : "", a3 ? a3 : "",
		 a4 ? a4 : "");
	struct lc_wine_result r = lc_wine_run(argv, client_env, 200000);
	cr_log_info("%s:\n%s", what, r.output);
	cr_assert(!r.timed_out, "%s timed out (the watchdog did not end it):\n%s", what, r.output);

	char *hang = line_with(r.output, "HANG ");
	char *crash = line_with(r.output, "CRASH ");
	char *fails = fail_lines(r.output);
	cr_expect(!hang[0], "%s: a step did not finish within its bound: %s\n%s", what, hang, fails);
	cr_expect(!crash[0], "%s crashed: %s\n%s", what, crash, fails);
	const char *summary = strstr(r.output, "lc_harden: ");
	int checks = -1, failed = -1;
	if (summary)
		sscanf(summary, "lc_harden: %d checks, %d failed", &checks, &failed);
	cr_expect(summary && checks >= 0 && failed >= 0,
		  "%s printed no summary line, exit code %d:\n%s", what, r.exit_code, r.output);
	if (!hang[0] && !crash[0]) {
		cr_expect_geq(checks, min_checks, "%s ran %d checks, expected at least %d", what,
			      checks, min_checks);
		cr_expect_eq(failed, 0, "%s: %d of %d checks failed:\n%s", what, failed, checks, fails);
	}
	cr_expect_eq(r.exit_code, 0, "%s exit code %d", what, r.exit_code);
	free(hang);
	free(crash);
	free(fails);
	free(r.output);
}

/* 1. Client callbacks run under no driver lock that open/close need. */
Test(harden, lock_out_callback_open_out) { run_case(8, "lock", "out", "open-out", NULL); }
Test(harden, lock_out_callback_close_out) { run_case(8, "lock", "out", "close-out", NULL); }
Test(harden, lock_out_callback_open_in) { run_case(8, "lock", "out", "open-in", NULL); }
Test(harden, lock_out_callback_close_in) { run_case(8, "lock", "out", "close-in", NULL); }
Test(harden, lock_in_callback_open_out) { run_case(8, "lock", "in", "open-out", NULL); }
Test(harden, lock_in_callback_close_in) { run_case(8, "lock", "in", "close-in", NULL); }

/* 2. Completion order and ownership: 200 headers through one reset. */
Test(harden, reset200_out_null_scribble) { run_case(101, "reset200", "out", "null", "scribble"); }
Test(harden, reset200_out_null_free) { run_case(101, "reset200", "out", "null", "free"); }
Test(harden, reset200_out_event_free) { run_case(101, "reset200", "out", "event", "free"); }
Test(harden, reset200_out_event_readd) { run_case(101, "reset200", "out", "event", "readd"); }
Test(harden, reset200_out_function_scribble)
{
	run_case(11, "reset200", "out", "function", "scribble");
}
Test(harden, reset200_out_function_readd) { run_case(11, "reset200", "out", "function", "readd"); }
Test(harden, reset200_out_window) { run_case(11, "reset200", "out", "window", "none"); }
Test(harden, reset200_out_thread) { run_case(11, "reset200", "out", "thread", "none"); }
Test(harden, reset200_in_null_scribble) { run_case(101, "reset200", "in", "null", "scribble"); }
Test(harden, reset200_in_null_free) { run_case(101, "reset200", "in", "null", "free"); }
Test(harden, reset200_in_event_free) { run_case(101, "reset200", "in", "event", "free"); }
Test(harden, reset200_in_event_readd) { run_case(101, "reset200", "in", "event", "readd"); }
Test(harden, reset200_in_function_scribble) { run_case(11, "reset200", "in", "function", "scribble"); }
Test(harden, reset200_in_function_readd) { run_case(11, "reset200", "in", "function", "readd"); }
Test(harden, reset200_in_window) { run_case(11, "reset200", "in", "window", "none"); }
Test(harden, reset200_in_thread) { run_case(11, "reset200", "in", "thread", "none"); }

/* 2. Completions in flight when the client resets and closes. */
Test(harden, close_race_out_function) { run_case(46, "close-race", "out", "function", NULL); }
Test(harden, close_race_out_window) { run_case(541, "close-race", "out", "window", NULL); }
Test(harden, close_race_out_thread) { run_case(541, "close-race", "out", "thread", NULL); }
Test(harden, close_race_in_function) { run_case(46, "close-race", "in", "function", NULL); }
Test(harden, close_race_in_window) { run_case(541, "close-race", "in", "window", NULL); }
Test(harden, close_race_in_thread) { run_case(541, "close-race", "in", "thread", NULL); }

/* 3. A handle is not freed under a caller. */
Test(harden, handles_out) { run_case(205, "handles", "out", NULL, NULL); }
Test(harden, handles_in) { run_case(205, "handles", "in", NULL, NULL); }

/* 4. Header fields the client changes after submit are not trusted. */
Test(harden, fields_out_grow) { run_case(7, "fields", "out-grow", NULL, NULL); }
Test(harden, fields_out_shrink) { run_case(7, "fields", "out-shrink", NULL, NULL); }
Test(harden, fields_out_loops) { run_case(6, "fields", "out-loops", NULL, NULL); }
Test(harden, fields_out_flags) { run_case(6, "fields", "out-flags", NULL, NULL); }
Test(harden, fields_in_recorded) { run_case(7, "fields", "in-recorded", NULL, NULL); }
Test(harden, fields_in_grow) { run_case(7, "fields", "in-grow", NULL, NULL); }
Test(harden, fields_loop_spin) { run_case(7, "fields", "loop-spin", NULL, NULL); }
