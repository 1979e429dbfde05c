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

static bool set_value(struct drv_config *config, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq)
		return false;
	char key[32];
	size_t len = (size_t)(eq - arg);
	if (len >= sizeof(key))
		return false;
	memcpy(key, arg, len);
	key[len] = '\0';
	const char *value = eq + 1;
	unsigned long number = strtoul(value, NULL, 10);
	unsigned k = 0;
	if (!strcmp(key, "cables"))
		config->n_cables = (uint32_t)number;
	else if (!strcmp(key, "ring_ms"))
		config->ring_ms = (uint32_t)number;
	else if (!strcmp(key, "logging"))
		config->logging = (uint32_t)number;
	else if (sscanf(key, "name%u", &k) == 1 && k >= 1 && k <= LC_MAX_CABLES)
		snprintf(config->cables[k - 1].name, LC_NAME_BYTES, "%s", value);
	else if (sscanf(key, "rate%u", &k) == 1 && k >= 1 && k <= LC_MAX_CABLES)
		config->cables[k - 1].rate_hz = (uint32_t)number;
	else if (sscanf(key, "channels%u", &k) == 1 && k >= 1 && k <= LC_MAX_CABLES)
		config->cables[k - 1].n_channels = (uint32_t)number;
	else
		return false;
	return true;
}

static int set(int argc, char **argv)
{
	struct drv_config config;
	drv_config_read(&config);
	for (int i = 2; i < argc; i++) {
		if (!set_value(&config, argv[i])) {
			fprintf(stderr, "bad setting %s\n", argv[i]);
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
