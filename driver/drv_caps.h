/* SPDX-License-Identifier: MIT */
/*
 * drv_caps.h — what the devices say about themselves: counts, capabilities (names
 * "LoopCable N" ≤ 31 characters), and the device-interface / function-instance
 * strings some clients (Chromium) ask for.  Both directions: one device per cable.
 */
#ifndef DRV_CAPS_H
#define DRV_CAPS_H

#include <windows.h>
#include <mmsystem.h>

#include "drv_stream.h"

/* Cables in the section (0 if it could not be attached). */
DWORD drv_caps_num_devs(void);

/* *_GETDEVCAPS: fills at most `size` bytes of caps (short sizes honoured). */
DWORD drv_caps_wave_out(UINT device, WAVEOUTCAPSW *caps, DWORD_PTR size);
DWORD drv_caps_wave_in(UINT device, WAVEINCAPSW *caps, DWORD_PTR size);

/* DRV_QUERYDEVICEINTERFACE(SIZE), DRV_QUERYFUNCTIONINSTANCEID(SIZE): stable strings. */
DWORD drv_caps_query_string(enum drv_stream_dir dir, UINT device, UINT msg, DWORD_PTR param1,
			    DWORD_PTR param2);

/*
 * A private message, sent with waveOutMessage/waveInMessage to a device id (not a
 * handle): "which cable is this device?".  The router uses it to find the winmm device
 * of a cable and to keep LoopCable's own devices out of its device list.  The answer
 * carries a tag so another driver's answer to the same number cannot pass for ours.
 */
#define LC_WAVE_QUERY_CABLE (DRV_USER + 0x4C10)
#define LC_WAVE_CABLE_TAG 0x4C430000u /* "LC" << 16 | 1-based cable number */
#define LC_WAVE_CABLE_OF(answer) \
	(((answer) & 0xFFFF0000u) == LC_WAVE_CABLE_TAG ? (answer) & 0xFFFFu : 0u)

/* LC_WAVE_QUERY_CABLE: the tagged cable number, or MMSYSERR_BADDEVICEID. */
DWORD drv_caps_query_cable(UINT device);

/* "WODM_WRITE", "WIDM_START", … for traces. */
const char *drv_caps_msg_name(UINT msg);

/* What a message answered, for the log: *_GETNUMDEVS answers a count (written into
 * buf), every other message an MMRESULT (its name). */
const char *drv_caps_answer_name(UINT msg, DWORD answer, char buf[16]);

#endif /* DRV_CAPS_H */
