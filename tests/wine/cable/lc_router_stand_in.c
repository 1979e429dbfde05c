/* SPDX-License-Identifier: MIT */
/*
 * lc_router_stand_in.exe — publishes a router's status section as lc_router.exe does
 * (shared/lc_router_status.h), with made-up states, so that what the panel shows of a
 * running router is tested without sound devices (test_wine_panel.c).
 *
 *   lc_router_stand_in.exe SECONDS
 *     Creates the section under DRV_ROUTER_SECTION_NAME with its own pid and creation
 *     time, publishes route 1 running (fill 19.5 ms of 20 ms, +12.3 ppm, 1 underrun,
 *     2 overruns, 3 restarts) and route 2 in error, prints "pid=N" and keeps the
 *     section (beating) for SECONDS, then exits: the section goes with it.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drv_regkeys.h"
#include "lc_router_status.h"

static struct lc_route_status status(uint32_t id, uint32_t cable, uint32_t dir,
				     uint32_t state, const char *text)
{
	struct lc_route_status st;
	memset(&st, 0, sizeof(st));
	st.id = id;
	st.cable = cable;
	st.dir = dir;
	st.state = state;
	st.latency_ms = 20;
	snprintf(st.text, sizeof(st.text), "%s", text);
	return st;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 10;
	HANDLE mapping = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
					    sizeof(struct lc_router_layout),
					    DRV_ROUTER_SECTION_NAME);
	if (!mapping || GetLastError() == ERROR_ALREADY_EXISTS) {
		printf("lc_router_stand_in: the section exists or cannot be made (%lu)\n",
		       GetLastError());
		return 1;
	}
	struct lc_router_layout *base = MapViewOfFile(mapping, FILE_MAP_ALL_ACCESS, 0, 0, 0);
	FILETIME created, exited, kernel, user;
	if (!base || !GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user)) {
		printf("lc_router_stand_in: cannot map the section (%lu)\n", GetLastError());
		return 1;
	}
	lc_router_status_init(base, GetCurrentProcessId(),
			      ((uint64_t)created.dwHighDateTime << 32) | created.dwLowDateTime);
	struct lc_route_status one = status(1, 1, LC_ROUTE_TO_DEVICE, LC_ROUTE_STATE_RUNNING,
					    "WASAPI:Speakers, 48000 Hz 2 ch");
	one.fill_us = 19500;
	one.target_us = 20000;
	one.ratio_ppb = 12300;
	one.underruns = 1;
	one.overruns = 2;
	one.restarts = 3;
	struct lc_route_status two = status(2, 2, LC_ROUTE_FROM_DEVICE, LC_ROUTE_STATE_ERROR,
					    "the device refused 48000 Hz");
	/* Slots need not follow the route ids: readers match by id. */
	lc_router_status_publish(base, 3, &one, 1);
	lc_router_status_publish(base, 0, &two, 1);
	printf("pid=%lu\n", GetCurrentProcessId());
	fflush(stdout);
	for (DWORD waited = 0; waited < seconds * 1000; waited += 50) {
		lc_router_status_beat(base);
		Sleep(50);
	}
	UnmapViewOfFile(base);
	CloseHandle(mapping);
	return 0;
}
