/* SPDX-License-Identifier: MIT */
/*
 * cli_settings.c — lc_cli set KEY=VALUE …: the cables' settings, with the panel's
 * validation (drv_config_set, drv_config_write), published live like the panel's Apply
 * (LC_DRV_APPLY_CONFIG through the driver).  All assignments are checked before
 * anything is written; one bad one changes nothing.
 */
#include <windows.h>
#include <mmsystem.h>

#include "drv_config.h"
#include "drv_panel.h"
#include "lc_cli.h"

int cli_set(int argc, char **argv)
{
	struct drv_config config;
	const char *why;

	if (argc < 3) {
		fprintf(stderr, "usage: lc_cli set KEY=VALUE …  (cables=N ring_ms=MS logging=0|1 "
				"nameK=TEXT rateK=HZ channelsK=N, K = cable number)\n");
		return CLI_USAGE;
	}
	drv_config_read(&config);
	for (int i = 2; i < argc; i++) {
		if (!drv_config_set(&config, argv[i], &why)) {
			fprintf(stderr, "lc_cli: %s: %s; nothing changed\n", argv[i], why);
			return CLI_USAGE;
		}
	}
	long error = drv_config_write(&config);
	if (error == ERROR_INVALID_PARAMETER) {
		fprintf(stderr, "lc_cli: these settings together need a shared section beyond its "
				"limit (fewer channels, a lower rate or shorter rings); nothing changed\n");
		return CLI_USAGE;
	}
	if (error) {
		fprintf(stderr, "lc_cli: the registry refused the settings (error %ld; writing "
				"HKLM needs an administrator)\n", error);
		return CLI_REFUSED;
	}
	/* Published through the driver as the panel's Apply does; with no driver loaded
	 * anywhere the next client reads them anyway. */
	HDRVR driver = OpenDriver(L"wave", L"Drivers32", 0);
	LRESULT generation = driver ? SendDriverMessage(driver, LC_DRV_APPLY_CONFIG, 0, 0) : 0;
	if (driver)
		CloseDriver(driver, 0, 0);
	if (generation > 0)
		printf("settings stored and applied (generation %ld)\n", (long)generation);
	else
		printf("settings stored; they apply when a program next opens a cable\n");
	return CLI_OK;
}
