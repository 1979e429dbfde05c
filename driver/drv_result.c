/* SPDX-License-Identifier: MIT */
/* drv_result.c — core results to MMRESULT (drv_result.h). */
#include "drv_result.h"

#include "lc_result.h"

DWORD drv_result_to_mm(int lc_result)
{
	if (lc_result >= 0)
		return MMSYSERR_NOERROR;
	switch (lc_result) {
	case LC_E_FORMAT: return WAVERR_BADFORMAT;
	case LC_E_NO_SLOT: return MMSYSERR_ALLOCATED;
	case LC_E_NO_MEMORY: return MMSYSERR_NOMEM;
	case LC_E_INVALID: return MMSYSERR_INVALPARAM;
	case DRV_E_BAD_DEVICE: return MMSYSERR_BADDEVICEID;
	default: return MMSYSERR_ERROR;
	}
}

const char *drv_result_mm_name(DWORD result)
{
	switch (result) {
	case MMSYSERR_NOERROR: return "MMSYSERR_NOERROR";
	case MMSYSERR_ERROR: return "MMSYSERR_ERROR";
	case MMSYSERR_BADDEVICEID: return "MMSYSERR_BADDEVICEID";
	case MMSYSERR_NOTENABLED: return "MMSYSERR_NOTENABLED";
	case MMSYSERR_ALLOCATED: return "MMSYSERR_ALLOCATED";
	case MMSYSERR_INVALHANDLE: return "MMSYSERR_INVALHANDLE";
	case MMSYSERR_NODRIVER: return "MMSYSERR_NODRIVER";
	case MMSYSERR_NOMEM: return "MMSYSERR_NOMEM";
	case MMSYSERR_NOTSUPPORTED: return "MMSYSERR_NOTSUPPORTED";
	case MMSYSERR_INVALFLAG: return "MMSYSERR_INVALFLAG";
	case MMSYSERR_INVALPARAM: return "MMSYSERR_INVALPARAM";
	case WAVERR_BADFORMAT: return "WAVERR_BADFORMAT";
	case WAVERR_STILLPLAYING: return "WAVERR_STILLPLAYING";
	case WAVERR_UNPREPARED: return "WAVERR_UNPREPARED";
	case WAVERR_SYNC: return "WAVERR_SYNC";
	default: return "(count or other)";
	}
}
