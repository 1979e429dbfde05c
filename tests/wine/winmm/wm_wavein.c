/* SPDX-License-Identifier: MIT */
/*
 * wm_wavein.c — the waveIn* exports of the test winmm: one line each over
 * wm_wave.c, plus the WAVEINCAPS copies (short sizes, A/W, the mapper's name).
 *
 * waveInGetErrorTextA/W are not here: winmm.def forwards them to Wine's winmm.
 */
#include "wm_wave.h"

#include <mmddk.h>
#include <mmreg.h>
#include <string.h>

/* Name of WAVE_MAPPER in Windows (msacm32's mapper). */
#define WM_MAPPER_NAME L"Microsoft Sound Mapper"

static MMRESULT get_caps_w(UINT_PTR id, WAVEINCAPSW *caps)
{
	bool is_mapper;
	MMRESULT result = wm_wave_device_caps(WM_IN, id, caps, sizeof(*caps), &is_mapper);
	if (result == MMSYSERR_NOERROR && is_mapper) {
		caps->wMid = MM_MICROSOFT;
		caps->wPid = MM_WAVE_MAPPER;
		wcscpy(caps->szPname, WM_MAPPER_NAME);
	}
	return result;
}

UINT WINAPI waveInGetNumDevs(void)
{
	return wm_drivers_count(WM_IN);
}

MMRESULT WINAPI waveInGetDevCapsW(UINT_PTR id, LPWAVEINCAPSW caps, UINT size)
{
	if (!caps)
		return MMSYSERR_INVALPARAM;
	WAVEINCAPSW full;
	MMRESULT result = get_caps_w(id, &full);
	if (result == MMSYSERR_NOERROR)
		memcpy(caps, &full, min(size, sizeof(full)));
	return result;
}

MMRESULT WINAPI waveInGetDevCapsA(UINT_PTR id, LPWAVEINCAPSA caps, UINT size)
{
	if (!caps)
		return MMSYSERR_INVALPARAM;
	WAVEINCAPSW wide;
	MMRESULT result = get_caps_w(id, &wide);
	if (result != MMSYSERR_NOERROR)
		return result;
	WAVEINCAPSA narrow = {
		.wMid = wide.wMid,
		.wPid = wide.wPid,
		.vDriverVersion = wide.vDriverVersion,
		.dwFormats = wide.dwFormats,
		.wChannels = wide.wChannels,
		.wReserved1 = wide.wReserved1,
	};
	WideCharToMultiByte(CP_ACP, 0, wide.szPname, -1, narrow.szPname, sizeof(narrow.szPname),
			    NULL, NULL);
	narrow.szPname[sizeof(narrow.szPname) - 1] = '\0';
	memcpy(caps, &narrow, min(size, sizeof(narrow)));
	return MMSYSERR_NOERROR;
}

MMRESULT WINAPI waveInOpen(LPHWAVEIN out, UINT id, LPCWAVEFORMATEX format, DWORD_PTR callback,
			   DWORD_PTR instance, DWORD flags)
{
	return wm_wave_open(WM_IN, (HANDLE *)out, id, format, callback, instance, flags);
}

MMRESULT WINAPI waveInClose(HWAVEIN hwi)
{
	return wm_wave_close(WM_IN, hwi);
}

MMRESULT WINAPI waveInPrepareHeader(HWAVEIN hwi, LPWAVEHDR header, UINT size)
{
	return wm_wave_prepare(WM_IN, hwi, header, size);
}

MMRESULT WINAPI waveInUnprepareHeader(HWAVEIN hwi, LPWAVEHDR header, UINT size)
{
	return wm_wave_unprepare(WM_IN, hwi, header, size);
}

MMRESULT WINAPI waveInAddBuffer(HWAVEIN hwi, LPWAVEHDR header, UINT size)
{
	return wm_wave_queue(WM_IN, hwi, header, size);
}

MMRESULT WINAPI waveInStart(HWAVEIN hwi)
{
	return wm_wave_send(WM_IN, hwi, WIDM_START, 0, 0);
}

MMRESULT WINAPI waveInStop(HWAVEIN hwi)
{
	return wm_wave_send(WM_IN, hwi, WIDM_STOP, 0, 0);
}

MMRESULT WINAPI waveInReset(HWAVEIN hwi)
{
	return wm_wave_send(WM_IN, hwi, WIDM_RESET, 0, 0);
}

MMRESULT WINAPI waveInGetPosition(HWAVEIN hwi, LPMMTIME time, UINT size)
{
	/* The size goes to the driver: it answers MMSYSERR_ERROR for a short MMTIME. */
	return wm_wave_send_pointer(WM_IN, hwi, WIDM_GETPOS, time, size);
}

MMRESULT WINAPI waveInGetID(HWAVEIN hwi, LPUINT id)
{
	return wm_wave_get_id(WM_IN, hwi, id);
}

MMRESULT WINAPI waveInMessage(HWAVEIN hwi, UINT msg, DWORD_PTR param1, DWORD_PTR param2)
{
	return wm_wave_message(WM_IN, hwi, msg, param1, param2);
}
