/* SPDX-License-Identifier: MIT */
/* drv_result.h — the one translation of core results into MMRESULT, and names for
 * traces.  Only the message entry points speak MMRESULT (docs/style.md, "Errors"). */
#ifndef DRV_RESULT_H
#define DRV_RESULT_H

#include <windows.h>
#include <mmsystem.h>

/* The driver's own result beside the core's (lc_result.h, all > -64): the device id is
 * beyond the cables of the generation an open landed on (settings changed meanwhile). */
#define DRV_E_BAD_DEVICE (-64)

/* LC_OK → MMSYSERR_NOERROR, LC_E_FORMAT → WAVERR_BADFORMAT, LC_E_NO_SLOT →
 * MMSYSERR_ALLOCATED, LC_E_NO_MEMORY → MMSYSERR_NOMEM, LC_E_INVALID →
 * MMSYSERR_INVALPARAM, DRV_E_BAD_DEVICE → MMSYSERR_BADDEVICEID, anything else →
 * MMSYSERR_ERROR. */
DWORD drv_result_to_mm(int lc_result);

/* "MMSYSERR_NOERROR", "WAVERR_BADFORMAT", …; for counts (GETNUMDEVS) the number. */
const char *drv_result_mm_name(DWORD result);

#endif /* DRV_RESULT_H */
