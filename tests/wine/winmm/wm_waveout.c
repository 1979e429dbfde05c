/* SPDX-License-Identifier: MIT */
/*
 * wm_waveout.c — the waveOut* exports of the test winmm: one line each over
 * wm_wave.c, plus the WAVEOUTCAPS copies (short sizes, A/W, the mapper's name).
 *
 * waveOutGetErrorTextA/W are not here: winmm.def forwards them to Wine's winmm.
 */
#include "wm_wave.h"

#include <mmddk.h>
#include <mmreg.h>
#include <string.h>

/* Name of WAVE_MAPPER in Windows (msacm32's mapper). */
#define WM_MAPPER_NAME L"Microsoft Sound Mapper"

static MMRESULT get_caps_w(UINT_PTR id, WAVEOUTCAPSW *caps)
{
	bool is_mapper;
	MMRESULT result = wm_wave_device_caps(WM_OUT, id, caps, sizeof(*caps), &is_mapper);
	if (result == MMSYSERR_NOERROR && is_mapper) {
		caps->wMid = MM_MICROSOFT;
		caps->wPid = MM_WAVE_MAPPER;
		wcscpy(caps->szPname, WM_MAPPER_NAME);
	}
	return result;
}

UINT WINAPI waveOutGetNumDevs(void)
{
	return wm_drivers_count(WM_OUT);
}

MMRESULT WINAPI waveOutGetDevCapsW(UINT_PTR id, LPWAVEOUTCAPSW caps, UINT size)
{
	if (!caps)
		return MMSYSERR_INVALPARAM;
	WAVEOUTCAPSW full;
	MMRESULT result = get_caps_w(id, &full);
	if (result == MMSYSERR_NOERROR)
		memcpy(caps, &full, min(size, sizeof(full)));
	return result;
}

MMRESULT WINAPI waveOutGetDevCapsA(UINT_PTR id, LPWAVEOUTCAPSA caps, UINT size)
{
	if (!caps)
		return MMSYSERR_INVALPARAM;
	WAVEOUTCAPSW wide;
	MMRESULT result = get_caps_w(id, &wide);
	if (result != MMSYSERR_NOERROR)
		return result;
	WAVEOUTCAPSA narrow = {
		.wMid = wide.wMid,
		.wPid = wide.wPid,
		.vDriverVersion = wide.vDriverVersion,
		.dwFormats = wide.dwFormats,
		.wChannels = wide.wChannels,
		.wReserved1 = wide.wReserved1,
		.dwSupport = wide.dwSupport,
	};
	WideCharToMultiByte(CP_ACP, 0, wide.szPname, -1, narrow.szPname, sizeof(narrow.szPname),
			    NULL, NULL);
	narrow.szPname[sizeof(narrow.szPname) - 1] = '\0';
	memcpy(caps, &narrow, min(size, sizeof(narrow)));
	return MMSYSERR_NOERROR;
}

MMRESULT WINAPI waveOutOpen(LPHWAVEOUT out, UINT id, LPCWAVEFORMATEX format, DWORD_PTR callback,
			    DWORD_PTR instance, DWORD flags)
{
	return wm_wave_open(WM_OUT, (HANDLE *)out, id, format, callback, instance, flags);
}

MMRESULT WINAPI waveOutClose(HWAVEOUT hwo)
{
	return wm_wave_close(WM_OUT, hwo);
}

MMRESULT WINAPI waveOutPrepareHeader(HWAVEOUT hwo, LPWAVEHDR header, UINT size)
{
	return wm_wave_prepare(WM_OUT, hwo, header, size);
}

MMRESULT WINAPI waveOutUnprepareHeader(HWAVEOUT hwo, LPWAVEHDR header, UINT size)
{
	return wm_wave_unprepare(WM_OUT, hwo, header, size);
}

MMRESULT WINAPI waveOutWrite(HWAVEOUT hwo, LPWAVEHDR header, UINT size)
{
	return wm_wave_queue(WM_OUT, hwo, header, size);
}

MMRESULT WINAPI waveOutPause(HWAVEOUT hwo)
{
	return wm_wave_send(WM_OUT, hwo, WODM_PAUSE, 0, 0);
}

MMRESULT WINAPI waveOutRestart(HWAVEOUT hwo)
{
	return wm_wave_send(WM_OUT, hwo, WODM_RESTART, 0, 0);
}

MMRESULT WINAPI waveOutReset(HWAVEOUT hwo)
{
	return wm_wave_send(WM_OUT, hwo, WODM_RESET, 0, 0);
}

MMRESULT WINAPI waveOutBreakLoop(HWAVEOUT hwo)
{
	return wm_wave_send(WM_OUT, hwo, WODM_BREAKLOOP, 0, 0);
}

MMRESULT WINAPI waveOutGetPosition(HWAVEOUT hwo, LPMMTIME time, UINT size)
{
	/* The size goes to the driver: it answers MMSYSERR_ERROR for a short MMTIME. */
	return wm_wave_send_pointer(WM_OUT, hwo, WODM_GETPOS, time, size);
}

MMRESULT WINAPI waveOutGetPitch(HWAVEOUT hwo, LPDWORD pitch)
{
	return wm_wave_send_pointer(WM_OUT, hwo, WODM_GETPITCH, pitch, 0);
}

MMRESULT WINAPI waveOutSetPitch(HWAVEOUT hwo, DWORD pitch)
{
	return wm_wave_send(WM_OUT, hwo, WODM_SETPITCH, pitch, 0);
}

MMRESULT WINAPI waveOutGetPlaybackRate(HWAVEOUT hwo, LPDWORD rate)
{
	return wm_wave_send_pointer(WM_OUT, hwo, WODM_GETPLAYBACKRATE, rate, 0);
}

MMRESULT WINAPI waveOutSetPlaybackRate(HWAVEOUT hwo, DWORD rate)
{
	return wm_wave_send(WM_OUT, hwo, WODM_SETPLAYBACKRATE, rate, 0);
}

/* Volume: `hwo` may also be a device id or WAVE_MAPPER (dwUser 0 then). */
MMRESULT WINAPI waveOutGetVolume(HWAVEOUT hwo, LPDWORD volume)
{
	if (!volume)
		return MMSYSERR_INVALPARAM;
	return wm_wave_send_device(WM_OUT, hwo, WODM_GETVOLUME, (DWORD_PTR)volume, 0);
}

MMRESULT WINAPI waveOutSetVolume(HWAVEOUT hwo, DWORD volume)
{
	return wm_wave_send_device(WM_OUT, hwo, WODM_SETVOLUME, volume, 0);
}

MMRESULT WINAPI waveOutGetID(HWAVEOUT hwo, LPUINT id)
{
	return wm_wave_get_id(WM_OUT, hwo, id);
}

MMRESULT WINAPI waveOutMessage(HWAVEOUT hwo, UINT msg, DWORD_PTR param1, DWORD_PTR param2)
{
	return wm_wave_message(WM_OUT, hwo, msg, param1, param2);
}
