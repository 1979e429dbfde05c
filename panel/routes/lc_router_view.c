/* SPDX-License-Identifier: MIT */
/*
 * lc_router_view.c — reading the router's section (lc_router_view.h).
 */
#include <windows.h>
#include <string.h>

#include "drv_regkeys.h"
#include "lc_result.h"
#include "lc_router_view.h"

/* The process `pid` still runs and is the one created at `start_time`. */
static bool alive(uint32_t pid, uint64_t start_time)
{
	HANDLE p = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, FALSE, pid);
	FILETIME created, exited, kernel, user;
	bool yes = false;
	if (!p)
		return false;
	if (WaitForSingleObject(p, 0) == WAIT_TIMEOUT &&
	    GetProcessTimes(p, &created, &exited, &kernel, &user))
		yes = (((uint64_t)created.dwHighDateTime << 32) | created.dwLowDateTime) == start_time;
	CloseHandle(p);
	return yes;
}

int lc_router_view_read(struct lc_router_view *view)
{
	MEMORY_BASIC_INFORMATION info;
	const struct lc_router_layout *base;
	HANDLE mapping;
	int result;

	memset(view, 0, sizeof(*view));
	mapping = OpenFileMappingW(FILE_MAP_READ, FALSE, DRV_ROUTER_SECTION_NAME);
	if (!mapping)
		return 0;
	base = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
	CloseHandle(mapping);
	if (!base)
		return 0;
	if (!VirtualQuery(base, &info, sizeof(info))) {
		UnmapViewOfFile(base);
		return 0;
	}
	result = lc_router_status_check(base, info.RegionSize);
	if (result == 0 && alive(base->header.pid, base->header.start_time)) {
		view->running = true;
		view->pid = base->header.pid;
		view->heartbeat = atomic_load(&base->header.heartbeat);
		view->changes = atomic_load(&base->header.changes);
		for (uint32_t s = 0; s < LC_ROUTE_MAX; s++)
			if (lc_router_status_read(base, s, &view->routes[view->n_routes]) == 1)
				view->n_routes++;
	}
	UnmapViewOfFile(base);
	return result;
}

const struct lc_route_status *lc_router_view_find(const struct lc_router_view *view, uint32_t id)
{
	for (uint32_t i = 0; i < view->n_routes; i++)
		if (view->routes[i].id == id)
			return &view->routes[i];
	return NULL;
}
