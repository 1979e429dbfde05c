/* SPDX-License-Identifier: MIT */
/*
 * drv_wid.c — widMessage: the recording ("wave in") side of every cable.
 *
 * Like drv_wod.c, this build exposes no recording device yet; the answers are
 * those of a driver with zero devices.
 */
#include <windows.h>
#include <mmsystem.h>
#include <mmddk.h>

DWORD APIENTRY widMessage(UINT device_id, UINT msg, DWORD_PTR user,
			  DWORD_PTR param1, DWORD_PTR param2)
{
	(void)device_id; (void)user; (void)param1; (void)param2;
	switch (msg) {
	case DRVM_INIT:
	case DRVM_EXIT:
		return MMSYSERR_NOERROR;
	case WIDM_GETNUMDEVS:
		return 0;
	case WIDM_GETDEVCAPS:
	case WIDM_OPEN:
		return MMSYSERR_BADDEVICEID;
	default:
		return MMSYSERR_NOTSUPPORTED;
	}
}
