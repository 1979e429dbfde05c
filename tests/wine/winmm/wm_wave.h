/* SPDX-License-Identifier: MIT */
/*
 * wm_wave.h — the wave API logic shared by waveOut* and waveIn* (wm_wave.c); the
 * exports themselves are thin wrappers in wm_waveout.c and wm_wavein.c.
 *
 * Every function validates its handle first (MMSYSERR_INVALHANDLE for anything
 * that is not a live open of that direction), then its arguments, then calls the
 * driver with the open's dwUser — without holding any lock, because drivers make
 * client callbacks from inside these calls and clients call the API from there.
 */
#ifndef WM_WAVE_H
#define WM_WAVE_H

#include <stdbool.h>

#include "wm_drivers.h"

/* Whether a device-id argument means WAVE_MAPPER ((UINT)-1, or (UINT_PTR)-1 as
 * some 64-bit programs pass it). */
bool wm_wave_is_mapper(UINT_PTR id);

/* *_GETDEVCAPS of device `id` (or of the mapper: device 0's caps, *is_mapper set; or
 * of the device an open handle `id` of this direction stands for — for a handle opened
 * through WAVE_MAPPER, the device it opened, as Wine's mapper answers) into the zeroed
 * Unicode caps structure `caps_w` of `size_w` bytes. */
MMRESULT wm_wave_device_caps(enum wm_dir dir, UINT_PTR id, void *caps_w, UINT size_w,
			     bool *is_mapper);

/* waveOutOpen/waveInOpen. */
MMRESULT wm_wave_open(enum wm_dir dir, HANDLE *out, UINT id, const WAVEFORMATEX *format,
		      DWORD_PTR callback, DWORD_PTR instance, DWORD flags);

/* waveOutClose/waveInClose. */
MMRESULT wm_wave_close(enum wm_dir dir, HANDLE handle);

/* Prepare/UnprepareHeader, with winmm's own handling when the driver answers
 * MMSYSERR_NOTSUPPORTED. */
MMRESULT wm_wave_prepare(enum wm_dir dir, HANDLE handle, WAVEHDR *header, UINT size);
MMRESULT wm_wave_unprepare(enum wm_dir dir, HANDLE handle, WAVEHDR *header, UINT size);

/* waveOutWrite/waveInAddBuffer. */
MMRESULT wm_wave_queue(enum wm_dir dir, HANDLE handle, WAVEHDR *header, UINT size);

/* A message to the driver of an open handle, with its dwUser. */
MMRESULT wm_wave_send(enum wm_dir dir, HANDLE handle, UINT msg, DWORD_PTR param1, DWORD_PTR param2);

/* As wm_wave_send with a result pointer as param1: MMSYSERR_INVALPARAM when it is
 * NULL (checked after the handle). */
MMRESULT wm_wave_send_pointer(enum wm_dir dir, HANDLE handle, UINT msg, void *pointer,
			      DWORD_PTR param2);

/* As wm_wave_send, but `handle` may also be a device id or WAVE_MAPPER (the
 * volume functions): then the device gets the message with dwUser 0. */
MMRESULT wm_wave_send_device(enum wm_dir dir, HANDLE handle, UINT msg, DWORD_PTR param1,
			     DWORD_PTR param2);

/* waveOutGetID/waveInGetID. */
MMRESULT wm_wave_get_id(enum wm_dir dir, HANDLE handle, UINT *id);

/* waveOutMessage/waveInMessage. */
MMRESULT wm_wave_message(enum wm_dir dir, HANDLE handle, UINT msg, DWORD_PTR param1,
			 DWORD_PTR param2);

#endif /* WM_WAVE_H */
