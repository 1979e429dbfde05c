/* SPDX-License-Identifier: MIT */
/*
 * test_wine_driver.c — the built driver DLL, loaded by a real Windows program under
 * Wine (drv_smoke.exe, see there), answers the installable-driver lifecycle correctly;
 * and the DLL exports exactly the plain names winmm looks up.
 *
 * Environment (set by tests/wine/meson.build): LC_DRIVER_DLL, LC_DRV_SMOKE_EXE,
 * LC_OBJDUMP, LC_WINE, LC_WINEPREFIX.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_wine.h"

/* The drv_smoke.exe summary for a driver that passes every check. */
#define SMOKE_ALL_PASSED "drv_smoke: 26 checks, 0 failed"

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
