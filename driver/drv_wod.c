/* SPDX-License-Identifier: MIT */
/*
 * drv_wod.c — wodMessage: the playback ("wave out") side of every cable.
 *
 * This build exposes no playback device yet: the cables arrive with the wave
 * device work (the core in shared/ and the pump in driver/).  Until then the
 * answers are the honest ones for a driver with zero devices.
 */
#include <windows.h>
#include <mmsystem.h>
#include <mmddk.h>

DWORD APIENTRY wodMessage(UINT device_id, UINT msg, DWORD_PTR user,
			  DWORD_PTR param1, DWORD_PTR param2)
{
	(void)device_id; (void)user; (void)param1; (void)param2;
	switch (msg) {
	case DRVM_INIT:
	case DRVM_EXIT:
		return MMSYSERR_NOERROR;
	case WODM_GETNUMDEVS:
		return 0;
	case WODM_GETDEVCAPS:
	case WODM_OPEN:
		return MMSYSERR_BADDEVICEID;
	default:
		return MMSYSERR_NOTSUPPORTED;
	}
}
