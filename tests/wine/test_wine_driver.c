/* SPDX-License-Identifier: MIT */
/*
 * test_wine_driver.c — the built driver DLL, loaded by a real Windows program under
 * Wine (drv_smoke.exe, see there), answers the installable-driver lifecycle correctly;
 * and the DLL exports exactly the plain names winmm looks up.
 *
 * Also: the driver log stays whole when two threads trace at once (drv_log_flood.exe).
 *
 * Environment (set by tests/wine/meson.build): LC_DRIVER_DLL, LC_DRV_SMOKE_EXE,
 * LC_LOG_FLOOD_EXE, LC_OBJDUMP, LC_TMPDIR, LC_WINE, LC_WINEPREFIX.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_wine.h"

/* The drv_smoke.exe summary for a driver that passes every check. */
#define SMOKE_ALL_PASSED "drv_smoke: 29 checks, 0 failed"

Test(driver_exports, plain_names_in_the_export_table)
{
	char command[8192];
	snprintf(command, sizeof(command), "'%s' -p '%s'", lc_wine_env("LC_OBJDUMP"),
		 lc_wine_env("LC_DRIVER_DLL"));
	FILE *pipe = popen(command, "r");
	cr_assert_not_null(pipe);

	/* objdump -p lists exports as "[ n] +base[ n] 0000 Name" rows after the
	 * "[Ordinal/Name Pointer] Table" line. */
	char line[1024];
	int in_table = 0, found = 0, n_exports = 0;
	const char *wanted[] = { "DriverProc", "wodMessage", "widMessage" };
	while (fgets(line, sizeof(line), pipe)) {
		if (strstr(line, "[Ordinal/Name Pointer] Table")) {
			in_table = 1;
			continue;
		}
		if (!in_table)
			continue;
		if (line[0] == '\n' || !strchr(line, '[')) {
			in_table = 0;
			continue;
		}
		char *name = strrchr(line, ' ');
		cr_assert_not_null(name);
		name++;
		name[strcspn(name, "\r\n")] = '\0';
		n_exports++;
		cr_expect(strchr(name, '@') == NULL, "decorated export %s", name);
		for (size_t i = 0; i < 3; i++)
			if (strcmp(name, wanted[i]) == 0)
				found |= 1 << i;
	}
	cr_assert_eq(pclose(pipe), 0, "%s failed", command);
	cr_assert_eq(found, 7, "missing exports (bitmask of DriverProc/wodMessage/widMessage: %d)",
		     found);
	cr_assert_eq(n_exports, 3, "unexpected exports: %d", n_exports);
}

Test(driver_lifecycle, answers_load_enable_open_close_through_winmm, .timeout = 120)
{
	LC_WINE_SKIP_IF_ABSENT();
	lc_wine_prepare();

	const char *argv[] = { lc_wine_env("LC_DRV_SMOKE_EXE"), lc_wine_env("LC_DRIVER_DLL"), NULL };
	struct lc_wine_result run = lc_wine_run(argv, NULL, 60000);
	cr_log_info("drv_smoke output:\n%s", run.output);
	cr_expect(!run.timed_out, "drv_smoke timed out");
	cr_expect(strstr(run.output, "FAIL") == NULL, "a check failed:\n%s", run.output);
	cr_expect(strstr(run.output, SMOKE_ALL_PASSED) != NULL,
		  "no '" SMOKE_ALL_PASSED "' summary — did the program run?\n%s", run.output);
	cr_expect_eq(run.exit_code, 0, "exit code %d", run.exit_code);
	free(run.output);
}

/* ---- the driver log: two threads of one process tracing at once ---- */

/* Whether `line` (without its CR LF) is one whole trace line as drv_trace.c writes it:
 * "HH:MM:SS.mmm <pid> <tid> <level> <text>", level padded to 5, text without control
 * characters.  *tid gets the thread id. */
static bool is_whole_line(const char *line, size_t len, unsigned long *tid)
{
	char copy[1100];
	if (len < 30 || len >= sizeof(copy))
		return false;
	memcpy(copy, line, len);
	copy[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)copy[i] < 0x20)
			return false;
	unsigned h, m, s, ms;
	unsigned long pid;
	char level[8];
	int text_at = 0;
	if (sscanf(copy, "%2u:%2u:%2u.%3u %lu %lu %7s %n", &h, &m, &s, &ms, &pid, tid, level,
		   &text_at) != 7 || text_at == 0)
		return false;
	if (copy[2] != ':' || copy[5] != ':' || copy[8] != '.' || copy[12] != ' ')
		return false;
	if (h > 23 || m > 59 || s > 59 || ms > 999 || pid == 0 || *tid == 0)
		return false;
	return strcmp(level, "trace") == 0 || strcmp(level, "warn") == 0 ||
	       strcmp(level, "err") == 0;
}

static bool contains(const char *p, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(p + i, needle, n) == 0)
			return true;
	return false;
}

Test(driver_log, two_threads_tracing_at_once_leave_only_whole_lines, .timeout = 240)
{
	LC_WINE_SKIP_IF_ABSENT();
	cr_assert_eq(lc_wine_install_driver(), 0, "could not install the driver (Logging=1)");

	/* A LOCALAPPDATA of this test's own: no other program writes this log. */
	char dir[4096], dir_win[4200], log_path[4200], command[8400];
	snprintf(dir, sizeof(dir), "%s/log-flood", lc_wine_env("LC_TMPDIR"));
	snprintf(command, sizeof(command), "rm -rf '%s' && mkdir -p '%s'", dir, dir);
	cr_assert_eq(system(command), 0, "%s", command);
	snprintf(dir_win, sizeof(dir_win), "Z:%s", dir);
	for (char *p = dir_win; *p; p++)
		if (*p == '/')
			*p = '\\';
	snprintf(log_path, sizeof(log_path), "%s/LoopCable/driver.log", dir);

	const long n_calls = 20000;
	const char *argv[] = { lc_wine_env("LC_LOG_FLOOD_EXE"), lc_wine_env("LC_DRIVER_DLL"),
			       dir_win, "20000", NULL };
	struct lc_wine_result run = lc_wine_run(argv, NULL, 180000);
	cr_log_info("drv_log_flood output:\n%s", run.output);
	cr_assert(!run.timed_out, "drv_log_flood timed out");
	cr_assert_eq(run.exit_code, 0, "exit code %d:\n%s", run.exit_code, run.output);
	cr_assert(strstr(run.output, "drv_log_flood: ok"), "did not finish:\n%s", run.output);
	unsigned long tid_a = 0, tid_b = 0;
	const char *t = strstr(run.output, "thread A=");
	cr_assert(t && sscanf(t, "thread A=%lu B=%lu", &tid_a, &tid_b) == 2, "%s", run.output);

	FILE *f = fopen(log_path, "rb");
	cr_assert_not_null(f, "no log at %s", log_path);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = malloc((size_t)size + 1);
	cr_assert_eq(fread(text, 1, (size_t)size, f), (size_t)size);
	text[size] = '\0';
	fclose(f);

	/* Lines end in CR LF; anything else between two of them is a garbled line. */
	size_t n_lines = 0, n_bad = 0, n_a = 0, n_b = 0;
	const char *first_bad = NULL;
	for (const char *p = text; p < text + size;) {
		const char *end = strstr(p, "\r\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		unsigned long tid = 0;
		n_lines++;
		if (!end || !is_whole_line(p, len, &tid)) {
			n_bad++;
			if (!first_bad)
				first_bad = p;
		} else if (contains(p, len, "WODM_GETNUMDEVS")) {
			n_a += tid == tid_a;
			n_b += tid == tid_b;
		}
		p += len + (end ? 2 : 0);
	}
	cr_log_info("driver.log: %zu lines, %zu garbled; WODM_GETNUMDEVS lines: %zu of thread "
		    "A, %zu of thread B (%ld calls each)",
		    n_lines, n_bad, n_a, n_b, n_calls);
	cr_expect_eq(n_bad, 0, "%zu of %zu lines garbled, the first: \"%.120s\"", n_bad, n_lines,
		     first_bad ? first_bad : "");
	cr_expect_eq(n_a, (size_t)n_calls, "thread A: %zu lines for %ld calls", n_a, n_calls);
	cr_expect_eq(n_b, (size_t)n_calls, "thread B: %zu lines for %ld calls", n_b, n_calls);
	free(text);
	free(run.output);
}
