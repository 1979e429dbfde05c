/* SPDX-License-Identifier: MIT */
/*
 * lc_devices.h — the real sound devices a route can use, through PortAudio.
 *
 * LoopCable's own devices are never listed and never matched: a route could otherwise
 * forward a cable into itself.  They appear only under PortAudio's MME host API (they
 * are winmm devices); each winmm device is asked LC_WAVE_QUERY_CABLE (drv_caps.h) and
 * the ones that answer as a cable are left out by name.
 *
 * PortAudio enumerates devices once, at Pa_Initialize: lc_devices_open() takes a fresh
 * list (streams of the previous one must be closed first).  Used by one thread.
 */
#ifndef LC_DEVICES_H
#define LC_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

#include "lc_route.h"

struct lc_device {
	int index;                            /* PaDeviceIndex, valid until lc_devices_close */
	char host_api[LC_ROUTE_HOST_API_BYTES]; /* PortAudio's full name */
	char name[LC_ROUTE_DEVICE_BYTES];     /* UTF-8 */
	uint32_t max_inputs, max_outputs;     /* channels */
	uint32_t default_rate_hz;
	bool default_input, default_output;   /* the host API's default of that direction */
};

/* Initializes PortAudio and takes the device list.  @return 0 or LC_E_STATE. */
int
lc_devices_open(void);

/* Terminates PortAudio (every stream must be closed). */
void
lc_devices_close(void);

/* The routable devices, in PortAudio's order (WASAPI ones first).  @return count. */
uint32_t
lc_devices_list(struct lc_device *out, uint32_t cap);

/*
 * The device a route names, for its direction (LC_ROUTE_TO_DEVICE needs outputs):
 * host_api "" matches any host API, WASAPI first; device "" is the default device of
 * the direction (WASAPI's default when WASAPI is there, else PortAudio's).
 * @return 0, or LC_E_INVALID when no routable device matches.
 */
int
lc_devices_find(const char *host_api, const char *device, uint32_t dir, struct lc_device *out);

/* true if `name` is one of LoopCable's own devices (as taken at lc_devices_open). */
bool
lc_devices_is_loopcable(const char *name);

#endif /* LC_DEVICES_H */
