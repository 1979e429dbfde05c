/* SPDX-License-Identifier: MIT */
/*
 * lc_settings.exe — changes LoopCable's settings as the control panel does, and lists
 * the devices as any winmm client sees them.
 *
 *   lc_settings.exe set KEY=VALUE …   keys: cables, ring_ms, logging, nameK, rateK,
 *                                     channelsK (K = 1 … cables)
 *     Writes the registry (drv_config_write) and asks the driver to publish the
 *     settings (LC_DRV_APPLY_CONFIG through OpenDriver on the Drivers32 alias "wave"):
 *     prints generation=N; exits 0 only if both worked.
 *   lc_settings.exe devices
 *     Prints out=N in=N, then "out K name="…" channels=C" (and "in K …") per device.
 */
#include <windows.h>
#include <mmsystem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drv_config.h"
#include "drv_panel.h"

static int set(int argc, char **argv)
{
	struct drv_config config;
	drv_config_read(&config);
	for (int i = 2; i < argc; i++) {
		const char *why;
		if (!drv_config_set(&config, argv[i], &why)) {
			fprintf(stderr, "bad setting %s: %s\n", argv[i], why);
			return 2;
		}
	}
	long error = drv_config_write(&config);
	if (error) {
		printf("FAIL drv_config_write: %ld\n", error);
		return 1;
	}
	HDRVR driver = OpenDriver(L"wave", L"Drivers32", 0);
	if (!driver) {
		printf("FAIL OpenDriver\n");
		return 1;
	}
	LRESULT generation = SendDriverMessage(driver, LC_DRV_APPLY_CONFIG, 0, 0);
	CloseDriver(driver, 0, 0);
	printf("generation=%ld\n", (long)generation);
	return generation > 0 ? 0 : 1;
}

static void print_name(const char *dir, UINT id, const WCHAR *name, WORD channels)
{
	char utf8[64];
	WideCharToMultiByte(CP_UTF8, 0, name, -1, utf8, sizeof(utf8), NULL, NULL);
	printf("%s %u name=\"%s\" channels=%u\n", dir, id + 1, utf8, channels);
}

static int devices(void)
{
	UINT n_out = waveOutGetNumDevs(), n_in = waveInGetNumDevs();
	printf("out=%u in=%u\n", n_out, n_in);
	int failures = 0;
	for (UINT i = 0; i < n_out; i++) {
		WAVEOUTCAPSW caps;
		if (waveOutGetDevCapsW(i, &caps, sizeof(caps)) == MMSYSERR_NOERROR)
			print_name("out", i, caps.szPname, caps.wChannels);
		else
			failures++;
	}
	for (UINT i = 0; i < n_in; i++) {
		WAVEINCAPSW caps;
		if (waveInGetDevCapsW(i, &caps, sizeof(caps)) == MMSYSERR_NOERROR)
			print_name("in", i, caps.szPname, caps.wChannels);
		else
			failures++;
	}
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "set"))
		return set(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "devices"))
		return devices();
	fprintf(stderr, "usage: lc_settings.exe set KEY=VALUE … | devices\n");
	return 2;
}
