/* SPDX-License-Identifier: MIT */
/* drv_result.h — the one translation of core results into MMRESULT, and names for
 * traces.  Only the message entry points speak MMRESULT (STYLE.md, errors). */
#ifndef DRV_RESULT_H
#define DRV_RESULT_H

#include <windows.h>
#include <mmsystem.h>

/* LC_OK → MMSYSERR_NOERROR, LC_E_FORMAT → WAVERR_BADFORMAT, LC_E_NO_SLOT →
 * MMSYSERR_ALLOCATED, LC_E_NO_MEMORY → MMSYSERR_NOMEM, LC_E_INVALID →
 * MMSYSERR_INVALPARAM, anything else → MMSYSERR_ERROR. */
DWORD drv_result_to_mm(int lc_result);

/* "MMSYSERR_NOERROR", "WAVERR_BADFORMAT", …; for counts (GETNUMDEVS) the number. */
const char *drv_result_mm_name(DWORD result);

#endif /* DRV_RESULT_H */
