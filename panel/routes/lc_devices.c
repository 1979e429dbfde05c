/* SPDX-License-Identifier: MIT */
/*
 * lc_devices.c — routable devices through PortAudio (lc_devices.h).
 */
#include <windows.h>
#include <mmsystem.h>
#include <portaudio.h>
#include <string.h>

#include "drv_caps.h"
#include "lc_devices.h"
#include "lc_result.h"
#include "lc_shm_layout.h"

/* LoopCable's winmm devices, both directions, as UTF-8 names. */
static char own_names[2 * LC_MAX_CABLES][MAXPNAMELEN * 3];
static uint32_t n_own;
static bool pa_up;

static void add_own(const WCHAR *name)
{
	if (n_own < 2 * LC_MAX_CABLES &&
	    WideCharToMultiByte(CP_UTF8, 0, name, -1, own_names[n_own], sizeof(own_names[0]), NULL,
				NULL) > 0)
		n_own++;
}

/* Asks every winmm device whether it is a cable (drv_caps.h, LC_WAVE_QUERY_CABLE). */
static void collect_own_devices(void)
{
	n_own = 0;
	for (UINT i = 0, n = waveOutGetNumDevs(); i < n; i++) {
		WAVEOUTCAPSW caps;
		DWORD answer = waveOutMessage((HWAVEOUT)(UINT_PTR)i, LC_WAVE_QUERY_CABLE, 0, 0);
		if (LC_WAVE_CABLE_OF(answer) && waveOutGetDevCapsW(i, &caps, sizeof(caps)) == 0)
			add_own(caps.szPname);
	}
	for (UINT i = 0, n = waveInGetNumDevs(); i < n; i++) {
		WAVEINCAPSW caps;
		DWORD answer = waveInMessage((HWAVEIN)(UINT_PTR)i, LC_WAVE_QUERY_CABLE, 0, 0);
		if (LC_WAVE_CABLE_OF(answer) && waveInGetDevCapsW(i, &caps, sizeof(caps)) == 0)
			add_own(caps.szPname);
	}
}

bool lc_devices_is_loopcable(const char *name)
{
	for (uint32_t i = 0; i < n_own; i++) {
		/* MME names are szPname (<= 31 characters): a prefix of a longer name. */
		size_t n = strlen(own_names[i]);
		if (n > 0 && strncmp(name, own_names[i], n) == 0)
			return true;
	}
	return false;
}

int lc_devices_open(void)
{
	if (pa_up)
		lc_devices_close();
	collect_own_devices();
	if (Pa_Initialize() != paNoError)
		return LC_E_STATE;
	pa_up = true;
	return 0;
}

void lc_devices_close(void)
{
	if (pa_up)
		Pa_Terminate();
	pa_up = false;
}

/* Mappers follow the system default, which may be a cable: never routable. */
static bool is_mapper(const char *name)
{
	return strncmp(name, "Microsoft Sound Mapper", 22) == 0 ||
	       strcmp(name, "Primary Sound Driver") == 0 ||
	       strcmp(name, "Primary Sound Capture Driver") == 0;
}

static bool describe(PaDeviceIndex index, struct lc_device *out)
{
	const PaDeviceInfo *info = Pa_GetDeviceInfo(index);
	const PaHostApiInfo *api = info ? Pa_GetHostApiInfo(info->hostApi) : NULL;
	if (!info || !api || !info->name || !api->name)
		return false;
	if (is_mapper(info->name) || lc_devices_is_loopcable(info->name))
		return false;
	memset(out, 0, sizeof(*out));
	out->index = index;
	strncpy(out->host_api, api->name, sizeof(out->host_api) - 1);
	strncpy(out->name, info->name, sizeof(out->name) - 1);
	out->max_inputs = info->maxInputChannels > 0 ? (uint32_t)info->maxInputChannels : 0;
	out->max_outputs = info->maxOutputChannels > 0 ? (uint32_t)info->maxOutputChannels : 0;
	out->default_rate_hz = info->defaultSampleRate > 0 ? (uint32_t)info->defaultSampleRate : 0;
	out->default_input = api->defaultInputDevice == index;
	out->default_output = api->defaultOutputDevice == index;
	return true;
}

/* WASAPI first (docs/forwarding.md: shared mode, the system mixer's own path). */
static int api_rank(const char *host_api)
{
	return strcmp(host_api, "Windows WASAPI") == 0 ? 0 : 1;
}

uint32_t lc_devices_list(struct lc_device *out, uint32_t cap)
{
	uint32_t n = 0;
	int count = pa_up ? Pa_GetDeviceCount() : 0;
	for (int rank = 0; rank < 2; rank++)
		for (int i = 0; i < count && n < cap; i++)
			if (describe(i, &out[n]) && api_rank(out[n].host_api) == rank)
				n++;
	return n;
}

static bool usable(const struct lc_device *d, uint32_t dir)
{
	return dir == LC_ROUTE_TO_DEVICE ? d->max_outputs > 0 : d->max_inputs > 0;
}

int lc_devices_find(const char *host_api, const char *device, uint32_t dir, struct lc_device *out)
{
	struct lc_device all[256];
	uint32_t n = lc_devices_list(all, 256);
	for (uint32_t i = 0; i < n; i++) {
		const struct lc_device *d = &all[i];
		if (!usable(d, dir) || (host_api[0] && strcmp(d->host_api, host_api) != 0))
			continue;
		bool match = device[0] ? strcmp(d->name, device) == 0
				       : (dir == LC_ROUTE_TO_DEVICE ? d->default_output
								    : d->default_input);
		if (match) {
			*out = *d;
			return 0;
		}
	}
	return LC_E_INVALID;
}
