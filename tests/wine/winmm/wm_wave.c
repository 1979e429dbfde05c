/* SPDX-License-Identifier: MIT */
/*
 * wm_wave.c — what winmm itself does around each wave call before and after the
 * driver (wm_wave.h): handle checks, header flags, WAVE_MAPPER, WAVE_FORMAT_QUERY.
 *
 * Not here: loading drivers (wm_drivers.c), the handle table (wm_handles.c), caps
 * conversion (wm_waveout.c, wm_wavein.c).
 *
 * Where Windows' behaviour is pinned by Wine's conformance tests (dlls/winmm/tests/
 * wave.c, run on Windows), this follows them: preparing a prepared header is a no-op
 * that succeeds, unpreparing an unprepared one too; a prepare keeps only the loop
 * flags of dwFlags; WAVE_FORMAT_QUERY leaves *phwo untouched.
 */
#include "wm_wave.h"

#include <mmddk.h>
#include <string.h>

#include "wm_handles.h"

struct dir_msgs {
	UINT open, close, prepare, unprepare, queue;
};

static const struct dir_msgs msgs[2] = {
	[WM_OUT] = { WODM_OPEN, WODM_CLOSE, WODM_PREPARE, WODM_UNPREPARE, WODM_WRITE },
	[WM_IN] = { WIDM_OPEN, WIDM_CLOSE, WIDM_PREPARE, WIDM_UNPREPARE, WIDM_ADDBUFFER },
};
static const UINT getdevcaps_msg[2] = { [WM_OUT] = WODM_GETDEVCAPS, [WM_IN] = WIDM_GETDEVCAPS };

static DWORD send_open(const struct wm_open *open, UINT msg, DWORD_PTR param1, DWORD_PTR param2)
{
	return open->device->message(open->device->local_id, msg, open->user, param1, param2);
}

/* Whether a UINT_PTR id survives the cast to UINT (no 64-bit junk). */
static bool fits_uint(UINT_PTR id)
{
	return (UINT_PTR)(UINT)id == id;
}

bool wm_wave_is_mapper(UINT_PTR id)
{
	return id == (UINT_PTR)WAVE_MAPPER || id == (UINT_PTR)-1;
}

MMRESULT wm_wave_device_caps(enum wm_dir dir, UINT_PTR id, void *caps_w, UINT size_w,
			     bool *is_mapper)
{
	/* "uDeviceID: a device identifier or a handle of an open device" (the
	 * GetDevCaps documentation): a handle asks the device it opened, with its
	 * dwUser, as any message through a handle.  No handle value is a device id. */
	struct wm_open open;
	*is_mapper = false;
	if (wm_handles_lookup((HANDLE)id, dir, &open)) {
		memset(caps_w, 0, size_w);
		return send_open(&open, getdevcaps_msg[dir], (DWORD_PTR)caps_w, size_w);
	}
	*is_mapper = wm_wave_is_mapper(id);
	if (*is_mapper) {
		/* No mapper driver is loaded: the mapper opens device 0 first, so it
		 * describes itself with device 0's capabilities. */
		if (wm_drivers_count(dir) == 0)
			return MMSYSERR_NODRIVER;
		id = 0;
	}
	const struct wm_device *device = fits_uint(id) ? wm_drivers_device(dir, (UINT)id) : NULL;
	if (!device)
		return MMSYSERR_BADDEVICEID;
	memset(caps_w, 0, size_w);
	return device->message(device->local_id, getdevcaps_msg[dir], 0, (DWORD_PTR)caps_w, size_w);
}

/* winmm's check of the callback before anything is opened. */
static MMRESULT check_callback(DWORD_PTR callback, DWORD flags)
{
	if ((flags & CALLBACK_TYPEMASK) == CALLBACK_WINDOW && callback && !IsWindow((HWND)callback))
		return MMSYSERR_INVALPARAM;
	return MMSYSERR_NOERROR;
}

/* One *ODM_OPEN to the device with global id `id`; on success *user is the
 * driver's instance. */
static MMRESULT open_device(enum wm_dir dir, UINT id, WAVEOPENDESC *desc, DWORD flags,
			    DWORD_PTR *user)
{
	const struct wm_device *device = wm_drivers_device(dir, id);
	if (!device)
		return MMSYSERR_BADDEVICEID;
	*user = 0;
	return device->message(device->local_id, msgs[dir].open, (DWORD_PTR)user, (DWORD_PTR)desc,
			       flags);
}

MMRESULT wm_wave_open(enum wm_dir dir, HANDLE *out, UINT id, const WAVEFORMATEX *format,
		      DWORD_PTR callback, DWORD_PTR instance, DWORD flags)
{
	bool query = (flags & WAVE_FORMAT_QUERY) != 0;
	if (!out && !query)
		return MMSYSERR_INVALPARAM;
	if (!format)
		return MMSYSERR_INVALPARAM;
	MMRESULT result = check_callback(callback, flags);
	if (result != MMSYSERR_NOERROR)
		return result;
	bool mapper = id == WAVE_MAPPER;
	if (mapper && (flags & WAVE_MAPPED))
		return MMSYSERR_INVALPARAM;
	UINT count = wm_drivers_count(dir);
	if (mapper && count == 0)
		return MMSYSERR_NODRIVER;
	if (!mapper && id >= count)
		return MMSYSERR_BADDEVICEID;

	/* The driver calls back with desc.hWave during the open (WOM_OPEN), so the
	 * handle exists first; it is released again unless the open succeeds. */
	HANDLE handle = wm_handles_reserve(dir);
	if (!handle)
		return MMSYSERR_NOMEM;
	WAVEOPENDESC desc = {
		.hWave = (HWAVE)handle,
		.lpFormat = (WAVEFORMAT *)format,
		.dwCallback = callback,
		.dwInstance = instance,
		/* Without a mapper driver WAVE_MAPPED opens the named device itself;
		 * it still learns which device the mapping is for. */
		.uMappedDeviceID = (flags & WAVE_MAPPED) ? id : (UINT)-1,
		.dnDevNode = 0,
	};
	DWORD_PTR user = 0;
	UINT opened = id;
	if (mapper) {
		/* No mapper driver: try each device in order, like Wine's winmm did
		 * for drivers without one; the last device's answer is the result. */
		for (opened = 0; opened < count; opened++) {
			result = open_device(dir, opened, &desc, flags, &user);
			if (result == MMSYSERR_NOERROR)
				break;
		}
	} else {
		result = open_device(dir, id, &desc, flags, &user);
	}

	if (result != MMSYSERR_NOERROR || query) {
		wm_handles_release(handle);
		return result;
	}
	struct wm_open open = { wm_drivers_device(dir, opened), opened, user };
	wm_handles_publish(handle, &open);
	*out = handle;
	return MMSYSERR_NOERROR;
}

MMRESULT wm_wave_close(enum wm_dir dir, HANDLE handle)
{
	struct wm_open open;
	if (!wm_handles_begin_close(handle, dir, &open))
		return MMSYSERR_INVALHANDLE;
	MMRESULT result = send_open(&open, msgs[dir].close, 0, 0);
	/* WAVERR_STILLPLAYING: buffers are queued and the open goes on.  Any other
	 * answer ends the handle (as Wine's winmm did over drivers). */
	wm_handles_end_close(handle, result != WAVERR_STILLPLAYING);
	return result;
}

MMRESULT wm_wave_prepare(enum wm_dir dir, HANDLE handle, WAVEHDR *header, UINT size)
{
	struct wm_open open;
	if (!wm_handles_lookup(handle, dir, &open))
		return MMSYSERR_INVALHANDLE;
	if (!header || size < sizeof(WAVEHDR))
		return MMSYSERR_INVALPARAM;
	if (header->dwFlags & WHDR_PREPARED)
		return MMSYSERR_NOERROR;
	/* A stale WHDR_DONE or WHDR_INQUEUE of an unprepared header means nothing;
	 * the loop flags are the caller's request and stay. */
	header->dwFlags &= WHDR_BEGINLOOP | WHDR_ENDLOOP;
	MMRESULT result = send_open(&open, msgs[dir].prepare, (DWORD_PTR)header, size);
	if (result == MMSYSERR_NOTSUPPORTED) {
		header->dwFlags |= WHDR_PREPARED;
		result = MMSYSERR_NOERROR;
	}
	return result;
}

MMRESULT wm_wave_unprepare(enum wm_dir dir, HANDLE handle, WAVEHDR *header, UINT size)
{
	struct wm_open open;
	if (!wm_handles_lookup(handle, dir, &open))
		return MMSYSERR_INVALHANDLE;
	if (!header || size < sizeof(WAVEHDR))
		return MMSYSERR_INVALPARAM;
	if (!(header->dwFlags & WHDR_PREPARED))
		return MMSYSERR_NOERROR;
	if (header->dwFlags & WHDR_INQUEUE)
		return WAVERR_STILLPLAYING;
	MMRESULT result = send_open(&open, msgs[dir].unprepare, (DWORD_PTR)header, size);
	if (result == MMSYSERR_NOTSUPPORTED) {
		header->dwFlags &= ~WHDR_PREPARED;
		result = MMSYSERR_NOERROR;
	}
	return result;
}

MMRESULT wm_wave_queue(enum wm_dir dir, HANDLE handle, WAVEHDR *header, UINT size)
{
	struct wm_open open;
	if (!wm_handles_lookup(handle, dir, &open))
		return MMSYSERR_INVALHANDLE;
	if (!header || size < sizeof(WAVEHDR))
		return MMSYSERR_INVALPARAM;
	if (!(header->dwFlags & WHDR_PREPARED))
		return WAVERR_UNPREPARED;
	if (header->dwFlags & WHDR_INQUEUE)
		return WAVERR_STILLPLAYING;
	header->dwFlags &= ~WHDR_DONE;
	return send_open(&open, msgs[dir].queue, (DWORD_PTR)header, size);
}

MMRESULT wm_wave_send(enum wm_dir dir, HANDLE handle, UINT msg, DWORD_PTR param1, DWORD_PTR param2)
{
	struct wm_open open;
	if (!wm_handles_lookup(handle, dir, &open))
		return MMSYSERR_INVALHANDLE;
	return send_open(&open, msg, param1, param2);
}

MMRESULT wm_wave_send_pointer(enum wm_dir dir, HANDLE handle, UINT msg, void *pointer,
			      DWORD_PTR param2)
{
	struct wm_open open;
	if (!wm_handles_lookup(handle, dir, &open))
		return MMSYSERR_INVALHANDLE;
	if (!pointer)
		return MMSYSERR_INVALPARAM;
	return send_open(&open, msg, (DWORD_PTR)pointer, param2);
}

/* The device a device id names (WAVE_MAPPER: device 0, the mapper's first
 * choice), or NULL. */
static const struct wm_device *device_of_id(enum wm_dir dir, UINT_PTR id)
{
	if (wm_wave_is_mapper(id))
		id = 0;
	return fits_uint(id) ? wm_drivers_device(dir, (UINT)id) : NULL;
}

MMRESULT wm_wave_send_device(enum wm_dir dir, HANDLE handle, UINT msg, DWORD_PTR param1,
			     DWORD_PTR param2)
{
	struct wm_open open;
	if (wm_handles_lookup(handle, dir, &open))
		return send_open(&open, msg, param1, param2);
	const struct wm_device *device = device_of_id(dir, (UINT_PTR)handle);
	if (!device)
		return MMSYSERR_INVALHANDLE;
	return device->message(device->local_id, msg, 0, param1, param2);
}

MMRESULT wm_wave_get_id(enum wm_dir dir, HANDLE handle, UINT *id)
{
	struct wm_open open;
	if (!id)
		return MMSYSERR_INVALPARAM;
	if (!wm_handles_lookup(handle, dir, &open))
		return MMSYSERR_INVALHANDLE;
	*id = open.id;
	return MMSYSERR_NOERROR;
}

/* DRVM_MAPPER_PREFERRED_GET / CONSOLEVOICECOM_GET to WAVE_MAPPER: the device the
 * mapper tries first (0), no status flags. */
static MMRESULT mapper_message(enum wm_dir dir, UINT msg, DWORD_PTR param1, DWORD_PTR param2)
{
	if (msg != DRVM_MAPPER_PREFERRED_GET && msg != DRVM_MAPPER_CONSOLEVOICECOM_GET)
		return MMSYSERR_NOTSUPPORTED;
	if (!param1 || !param2)
		return MMSYSERR_INVALPARAM;
	if (wm_drivers_count(dir) == 0)
		return MMSYSERR_NODRIVER;
	*(DWORD *)param1 = 0;
	*(DWORD *)param2 = 0;
	return MMSYSERR_NOERROR;
}

MMRESULT wm_wave_message(enum wm_dir dir, HANDLE handle, UINT msg, DWORD_PTR param1,
			 DWORD_PTR param2)
{
	struct wm_open open;
	if (wm_handles_lookup(handle, dir, &open)) {
		/* Through a handle only driver-private ranges pass: the standard
		 * messages have their own functions (Wine's winmm over drivers). */
		if (msg < DRVM_IOCTL || (msg >= DRVM_IOCTL_LAST && msg < DRVM_MAPPER))
			return MMSYSERR_INVALPARAM;
		return send_open(&open, msg, param1, param2);
	}
	if (wm_wave_is_mapper((UINT_PTR)handle))
		return mapper_message(dir, msg, param1, param2);
	const struct wm_device *device = device_of_id(dir, (UINT_PTR)handle);
	if (!device)
		return MMSYSERR_INVALHANDLE;
	/* A device id: winmm answers whether it may be mapped; everything else
	 * (DRV_QUERYDEVICEINTERFACE[SIZE], DRV_QUERYFUNCTIONINSTANCEID[SIZE],
	 * private messages) is the driver's, with dwUser 0. */
	if (msg == DRV_QUERYMAPPABLE)
		return MMSYSERR_NOERROR;
	return device->message(device->local_id, msg, 0, param1, param2);
}
