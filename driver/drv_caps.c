/* SPDX-License-Identifier: MIT */
/* drv_caps.c — device counts, capabilities and identity strings (drv_caps.h). */
#include <windows.h>
#include <mmsystem.h>
#include <mmddk.h>
#include <stdio.h>
#include <string.h>

#include "drv_caps.h"
#include "drv_result.h"
#include "drv_shm.h"

/* Every standard format bit: the driver converts any rate, width and channel count,
 * so all of them open (WAVE_FORMAT_1M08 … WAVE_FORMAT_96S16). */
#define ALL_STANDARD_FORMATS 0x000FFFFFu
/* Manufacturer/product ids for drivers without registered ones (mmreg.h). */
#define MID_UNMAPPED 0xFFFF
#define PID_UNMAPPED 0xFFFF
#define DRIVER_VERSION 0x0100

DWORD drv_caps_num_devs(void)
{
	struct lc_shm *shm = drv_shm_acquire();
	DWORD n = shm ? shm->n_cables : 0;
	drv_shm_release(shm);
	return n;
}

DWORD drv_caps_query_cable(UINT device)
{
	DWORD n = drv_caps_num_devs();
	return device < n ? LC_WAVE_CABLE_TAG | (device + 1) : MMSYSERR_BADDEVICEID;
}

/* The device's name and channel count in the current generation (the one an open
 * would use).  false: no such device. */
static bool device_info(UINT device, WCHAR name[MAXPNAMELEN], WORD *channels)
{
	struct lc_shm *shm = drv_shm_acquire();
	if (!shm || device >= shm->n_cables) {
		drv_shm_release(shm);
		return false;
	}
	/* The snapshot's names were validated at open: NUL-terminated UTF-8.  Cut to
	 * MAXPNAMELEN - 1 units, as szPname holds. */
	if (!MultiByteToWideChar(CP_UTF8, 0, shm->cables[device].name, -1, name, MAXPNAMELEN)) {
		_snwprintf(name, MAXPNAMELEN, L"LoopCable %u", device + 1);
	}
	name[MAXPNAMELEN - 1] = L'\0';
	*channels = (WORD)shm->cables[device].n_channels;
	drv_shm_release(shm);
	return true;
}

DWORD drv_caps_wave_out(UINT device, WAVEOUTCAPSW *caps, DWORD_PTR size)
{
	WAVEOUTCAPSW full = { 0 };
	if (!caps)
		return MMSYSERR_INVALPARAM;
	if (!device_info(device, full.szPname, &full.wChannels))
		return MMSYSERR_BADDEVICEID;
	full.wMid = MID_UNMAPPED;
	full.wPid = PID_UNMAPPED;
	full.vDriverVersion = DRIVER_VERSION;
	full.dwFormats = ALL_STANDARD_FORMATS;
	/* One gain per client; positions are sample-accurate (the cable timeline). */
	full.dwSupport = WAVECAPS_VOLUME | WAVECAPS_SAMPLEACCURATE;
	memcpy(caps, &full, size < sizeof(full) ? size : sizeof(full));
	return MMSYSERR_NOERROR;
}

DWORD drv_caps_wave_in(UINT device, WAVEINCAPSW *caps, DWORD_PTR size)
{
	WAVEINCAPSW full = { 0 };
	if (!caps)
		return MMSYSERR_INVALPARAM;
	if (!device_info(device, full.szPname, &full.wChannels))
		return MMSYSERR_BADDEVICEID;
	full.wMid = MID_UNMAPPED;
	full.wPid = PID_UNMAPPED;
	full.vDriverVersion = DRIVER_VERSION;
	full.dwFormats = ALL_STANDARD_FORMATS;
	memcpy(caps, &full, size < sizeof(full) ? size : sizeof(full));
	return MMSYSERR_NOERROR;
}

DWORD drv_caps_query_string(enum drv_stream_dir dir, UINT device, UINT msg, DWORD_PTR param1,
			    DWORD_PTR param2)
{
	if (device >= drv_caps_num_devs())
		return MMSYSERR_BADDEVICEID;
	WCHAR text[96];
	const WCHAR *side = dir == DRV_STREAM_OUT ? L"render" : L"capture";
	if (msg == DRV_QUERYDEVICEINTERFACE || msg == DRV_QUERYDEVICEINTERFACESIZE)
		_snwprintf(text, ARRAYSIZE(text), L"\\\\?\\SWD#LoopCable#Cable%u#%ls", device + 1, side);
	else
		_snwprintf(text, ARRAYSIZE(text), L"LoopCable\\Cable%u\\%ls", device + 1, side);
	text[ARRAYSIZE(text) - 1] = L'\0';
	ULONG bytes = (ULONG)((wcslen(text) + 1) * sizeof(WCHAR));

	switch (msg) {
	case DRV_QUERYDEVICEINTERFACESIZE:
	case DRV_QUERYFUNCTIONINSTANCEIDSIZE:
		if (!param1)
			return MMSYSERR_INVALPARAM;
		*(ULONG *)param1 = bytes;
		return MMSYSERR_NOERROR;
	default:
		if (!param1 || param2 < bytes)
			return MMSYSERR_INVALPARAM;
		memcpy((void *)param1, text, bytes);
		return MMSYSERR_NOERROR;
	}
}

const char *drv_caps_msg_name(UINT msg)
{
	static const struct { UINT msg; const char *name; } names[] = {
		{ DRVM_INIT, "DRVM_INIT" }, { DRVM_EXIT, "DRVM_EXIT" },
		{ DRVM_ENABLE, "DRVM_ENABLE" }, { DRVM_DISABLE, "DRVM_DISABLE" },
		{ WODM_GETNUMDEVS, "WODM_GETNUMDEVS" }, { WODM_GETDEVCAPS, "WODM_GETDEVCAPS" },
		{ WODM_OPEN, "WODM_OPEN" }, { WODM_CLOSE, "WODM_CLOSE" },
		{ WODM_PREPARE, "WODM_PREPARE" }, { WODM_UNPREPARE, "WODM_UNPREPARE" },
		{ WODM_WRITE, "WODM_WRITE" }, { WODM_PAUSE, "WODM_PAUSE" },
		{ WODM_RESTART, "WODM_RESTART" }, { WODM_RESET, "WODM_RESET" },
		{ WODM_GETPOS, "WODM_GETPOS" }, { WODM_GETPITCH, "WODM_GETPITCH" },
		{ WODM_SETPITCH, "WODM_SETPITCH" }, { WODM_GETVOLUME, "WODM_GETVOLUME" },
		{ WODM_SETVOLUME, "WODM_SETVOLUME" }, { WODM_GETPLAYBACKRATE, "WODM_GETPLAYBACKRATE" },
		{ WODM_SETPLAYBACKRATE, "WODM_SETPLAYBACKRATE" }, { WODM_BREAKLOOP, "WODM_BREAKLOOP" },
		{ WIDM_GETNUMDEVS, "WIDM_GETNUMDEVS" }, { WIDM_GETDEVCAPS, "WIDM_GETDEVCAPS" },
		{ WIDM_OPEN, "WIDM_OPEN" }, { WIDM_CLOSE, "WIDM_CLOSE" },
		{ WIDM_PREPARE, "WIDM_PREPARE" }, { WIDM_UNPREPARE, "WIDM_UNPREPARE" },
		{ WIDM_ADDBUFFER, "WIDM_ADDBUFFER" }, { WIDM_START, "WIDM_START" },
		{ WIDM_STOP, "WIDM_STOP" }, { WIDM_RESET, "WIDM_RESET" },
		{ WIDM_GETPOS, "WIDM_GETPOS" },
		{ DRV_QUERYDEVICEINTERFACESIZE, "DRV_QUERYDEVICEINTERFACESIZE" },
		{ DRV_QUERYDEVICEINTERFACE, "DRV_QUERYDEVICEINTERFACE" },
		{ DRV_QUERYFUNCTIONINSTANCEIDSIZE, "DRV_QUERYFUNCTIONINSTANCEIDSIZE" },
		{ DRV_QUERYFUNCTIONINSTANCEID, "DRV_QUERYFUNCTIONINSTANCEID" },
	};
	for (size_t i = 0; i < ARRAYSIZE(names); i++)
		if (names[i].msg == msg)
			return names[i].name;
	return "(unknown message)";
}

const char *drv_caps_answer_name(UINT msg, DWORD answer, char buf[16])
{
	if (msg != WODM_GETNUMDEVS && msg != WIDM_GETNUMDEVS)
		return drv_result_mm_name(answer);
	_snprintf(buf, 16, "%lu devices", (unsigned long)answer);
	buf[15] = '\0';
	return buf;
}
