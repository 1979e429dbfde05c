/* SPDX-License-Identifier: MIT */
/* drv_notify.c — client callbacks (drv_notify.h). */
#include "drv_notify.h"

#include <mmddk.h>

/* Exported by winmm (libwinmm.a) but declared in no mingw header (docs/wine.md). */
BOOL WINAPI DriverCallback(DWORD_PTR callback, DWORD flags, HDRVR device, DWORD msg,
			   DWORD_PTR user, DWORD_PTR param1, DWORD_PTR param2);

void drv_notify_client(const struct drv_callback *cb, UINT msg, DWORD_PTR param1)
{
	/* DriverCallback wants the DCB_* kind, which is the CALLBACK_* kind shifted down:
	 * passing the open flags unchanged silently does nothing (docs/wine.md). */
	DWORD kind = HIWORD(cb->open_flags & CALLBACK_TYPEMASK);
	if (kind == DCB_NULL || !cb->callback)
		return;
	DriverCallback(cb->callback, kind, (HDRVR)cb->device, msg, cb->instance, param1, 0);
}
