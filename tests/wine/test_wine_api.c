/* SPDX-License-Identifier: MIT */
/*
 * test_wine_api.c — the driver's documented winmm semantics, checked by an ordinary
 * winmm client (cable/lc_api.exe, linked with -lwinmm) under Wine, through the test
 * winmm (winmm/) that loads loopcable.dll from Drivers32 as Windows' winmm does.
 *
 * One test per group of lc_api.exe, so that a failure names its area; each asserts the
 * program's exit code, its summary line ("lc_api: N checks, 0 failed", with at least the
 * number of checks the group has today: a run that silently skipped some must not pass)
 * and that no "FAIL" line was printed.  The FAIL lines are the message; the whole output is logged.
 *
 * The groups share LoopCable 1 (they record what they play), so they run one at a time
 * (meson passes --jobs 1; the test itself is not parallel with other Wine suites).
 *
 * Environment (tests/wine/meson.build): LC_DRIVER_DLL, LC_API_EXE, LC_WINE, LC_WINEPREFIX.
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

TestSuite(api, .init = setup, .timeout = 180);

/* The FAIL lines of an output, for the assertion message. */
static char *fail_lines(const char *output)
{
	size_t cap = strlen(output) + 1, len = 0;
	char *out = malloc(cap);
	out[0] = '\0';
	for (const char *line = output; *line;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) + 1 : strlen(line);
		if (!strncmp(line, "FAIL ", 5)) {
			memcpy(out + len, line, n);
			len += n;
			out[len] = '\0';
		}
		line += n;
	}
	return out;
}

static void run_group(const char *group, int min_checks)
{
	const char *argv[] = { lc_wine_env("LC_API_EXE"), group, NULL };
	struct lc_wine_result r = lc_wine_run(argv, client_env, 150000);
	cr_log_info("lc_api.exe %s:\n%s", group, r.output);
	cr_assert(!r.timed_out, "lc_api.exe %s timed out:\n%s", group, r.output);

	const char *summary = strstr(r.output, "lc_api: ");
	int checks = -1, failed = -1;
	if (summary)
		sscanf(summary, "lc_api: %d checks, %d failed", &checks, &failed);
	char *fails = fail_lines(r.output);
	cr_assert(summary && checks >= 0 && failed >= 0,
		  "lc_api.exe %s printed no summary line (crashed?), exit code %d:\n%s", group,
		  r.exit_code, r.output);
	cr_expect_geq(checks, min_checks, "lc_api.exe %s ran %d checks, expected at least %d",
		      group, checks, min_checks);
	cr_expect_eq(failed, 0, "lc_api.exe %s: %d of %d checks failed:\n%s", group, failed, checks,
		     fails);
	if (failed == 0) {
		/* A summary that disagrees with the lines above it, or with the exit code. */
		cr_expect_eq(fails[0], '\0', "lc_api.exe %s printed FAIL lines:\n%s", group, fails);
		cr_expect_eq(r.exit_code, 0, "lc_api.exe %s exit code %d", group, r.exit_code);
	} else {
		cr_expect_eq(r.exit_code, failed > 255 ? 255 : failed,
			     "lc_api.exe %s exit code %d does not match %d failed checks", group,
			     r.exit_code, failed);
	}
	free(fails);
	free(r.output);
}

Test(api, caps) { run_group("caps", 50); }
Test(api, formats) { run_group("formats", 93); }
Test(api, headers) { run_group("headers", 76); }
Test(api, callbacks) { run_group("callbacks", 82); }
Test(api, pause) { run_group("pause", 28); }
Test(api, reset) { run_group("reset", 18); }
Test(api, loops) { run_group("loops", 28); }
Test(api, getpos) { run_group("getpos", 33); }
Test(api, record) { run_group("record", 34); }
Test(api, controls) { run_group("controls", 19); }
Test(api, driver) { run_group("driver", 55); }
