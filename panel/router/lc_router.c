/* SPDX-License-Identifier: MIT */
/*
 * lc_router.exe — LoopCable's routing app: runs the user's forwarding routes.
 *
 *   lc_router [--quiet]
 *
 * One per user session (a named mutex; a second one says so and exits with 3).  It
 * reads the routes from HKCU (lc_routes_reg.h) and keeps every enabled one running:
 * changes in the registry are picked up at once (RegNotifyChangeKeyValue), changed
 * cable settings restart the routes on that cable, a route whose device is gone waits
 * and is retried every RETRY_MS.  Each route's state is published in the router's own
 * section (lc_router_status.h) for lc_cli and the panel.
 *
 * Ends cleanly on Ctrl-C / Ctrl-Break / console close, WM_CLOSE to its hidden window
 * (class LC_ROUTER_WINDOW_CLASS) and log-off (WM_ENDSESSION): routes stopped, cable
 * slots released.  Killed, its slots are reclaimed like any dead client's.
 * Exit codes: 0 ended, 1 could not start, 3 another router runs.
 */
#include <windows.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "drv_config.h"
#include "drv_regkeys.h"
#include "lc_devices.h"
#include "lc_result.h"
#include "lc_router_status.h"
#include "lc_routes_reg.h"
#include "rt_log.h"
#include "rt_net.h"
#include "rt_route.h"

#define LC_ROUTER_WINDOW_CLASS L"LoopCableRouter"
#define PASS_MS 200u
#define RETRY_MS 2000u

static atomic_bool quit;
static HANDLE wake; /* set to end the main loop's wait early */

struct slot {
	struct rt_route *route; /* NULL: free */
	uint64_t next_try_ms;
	uint32_t published_state;
	char published_text[LC_ROUTER_TEXT_BYTES];
};

static struct slot slots[LC_ROUTE_MAX];
static struct lc_router_layout *section;

static BOOL WINAPI on_console(DWORD event)
{
	(void)event;
	atomic_store(&quit, true);
	SetEvent(wake);
	return TRUE;
}

static LRESULT CALLBACK on_window(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
	if (msg == WM_CLOSE || (msg == WM_ENDSESSION && wp) || msg == WM_QUERYENDSESSION) {
		atomic_store(&quit, true);
		SetEvent(wake);
		return msg == WM_QUERYENDSESSION ? TRUE : 0;
	}
	return DefWindowProcW(hwnd, msg, wp, lp);
}

static HWND make_window(void)
{
	WNDCLASSW wc = {0};
	wc.lpfnWndProc = on_window;
	wc.hInstance = GetModuleHandleW(NULL);
	wc.lpszClassName = LC_ROUTER_WINDOW_CLASS;
	RegisterClassW(&wc);
	/* A top-level window (not message-only): WM_CLOSE from other processes and the
	 * session's end messages reach only those. */
	return CreateWindowExW(0, LC_ROUTER_WINDOW_CLASS, L"LoopCable router", 0, 0, 0, 0, 0,
			       NULL, NULL, wc.hInstance, NULL);
}

static uint64_t creation_time(void)
{
	FILETIME created, exited, kernel, user;
	if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user))
		return 0;
	return ((uint64_t)created.dwHighDateTime << 32) | created.dwLowDateTime;
}

static bool same_settings(const struct lc_route *a, const struct lc_route *b)
{
	return a->cable == b->cable && a->dir == b->dir && a->latency_ms == b->latency_ms &&
	       a->enabled == b->enabled && strcmp(a->host_api, b->host_api) == 0 &&
	       strcmp(a->device, b->device) == 0;
}

/* Brings the slots in line with the registry: new routes get a free slot, changed ones
 * are made again, removed ones stop. */
static void reload(void)
{
	struct lc_route routes[LC_ROUTE_MAX];
	uint32_t n = lc_routes_load(routes, LC_ROUTE_MAX);
	bool keep[LC_ROUTE_MAX] = {0};
	RT_LOG("routes reloaded: %u", n);
	for (uint32_t i = 0; i < n; i++) {
		int found = -1;
		for (int s = 0; s < LC_ROUTE_MAX; s++)
			if (slots[s].route && rt_route_config(slots[s].route)->id == routes[i].id)
				found = s;
		if (found >= 0 && same_settings(rt_route_config(slots[found].route), &routes[i])) {
			keep[found] = true;
			continue;
		}
		if (found >= 0) {
			rt_route_free(slots[found].route);
			slots[found].route = NULL;
		} else {
			for (int s = 0; s < LC_ROUTE_MAX && found < 0; s++)
				if (!slots[s].route && !keep[s])
					found = s;
		}
		if (found < 0)
			break;
		slots[found].route = rt_route_new(&routes[i]);
		slots[found].next_try_ms = 0;
		keep[found] = slots[found].route != NULL;
	}
	for (int s = 0; s < LC_ROUTE_MAX; s++) {
		if (slots[s].route && !keep[s]) {
			rt_route_free(slots[s].route);
			slots[s].route = NULL;
		}
		if (!slots[s].route)
			lc_router_status_publish(section, (uint32_t)s, NULL, 1);
	}
}

static bool any_running(void)
{
	for (int s = 0; s < LC_ROUTE_MAX; s++)
		if (slots[s].route && rt_route_running(slots[s].route))
			return true;
	return false;
}

/* The settings of the route's cable, or NULL when fewer cables are configured now. */
static const struct drv_cable_config *route_cable(const struct drv_config *config,
						  const struct lc_route *cfg)
{
	if (cfg->cable < 1 || cfg->cable > config->n_cables)
		return NULL;
	return &config->cables[cfg->cable - 1];
}

/* One pass: watchdog, restarts on cable changes, retries, publishing. */
static void pass(const struct drv_config *config, bool *device_list_stale)
{
	uint64_t now = GetTickCount64();
	for (int s = 0; s < LC_ROUTE_MAX; s++) {
		struct slot *slot = &slots[s];
		struct rt_route *r = slot->route;
		if (!r)
			continue;
		const struct lc_route *cfg = rt_route_config(r);
		if (!rt_route_check(r, now)) {
			*device_list_stale = true;
			slot->next_try_ms = now + RETRY_MS;
		}
		const struct drv_cable_config *cable = route_cable(config, cfg);
		if (rt_route_running(r)) {
			uint32_t rate, channels;
			rt_route_cable_format(r, &rate, &channels);
			if (!cable) {
				rt_route_stop(r, LC_ROUTE_STATE_WAITING,
					      "the cable is not configured (fewer cables set)");
			} else if (cable->rate_hz != rate || cable->n_channels != channels) {
				/* New cable settings: start again at once in the new format. */
				rt_route_stop(r, LC_ROUTE_STATE_WAITING, "the cable's format changed");
				slot->next_try_ms = 0;
			}
		}
		if (cfg->enabled && !rt_route_running(r) && now >= slot->next_try_ms) {
			if (!cable) {
				rt_route_stop(r, LC_ROUTE_STATE_WAITING,
					      "the cable is not configured (fewer cables set)");
			} else {
				/* PortAudio lists devices once, at initialization: a device that
				 * came back is seen only by a fresh list, which can be taken only
				 * while no stream is open (docs/forwarding.md). */
				if (*device_list_stale && !any_running()) {
					lc_devices_open();
					*device_list_stale = false;
				}
				if (rt_route_start(r, cable->rate_hz, cable->n_channels) != 0)
					*device_list_stale = true;
			}
			slot->next_try_ms = now + RETRY_MS;
		}
		struct lc_route_status st;
		rt_route_status(r, &st);
		bool changed = st.state != slot->published_state ||
			       strcmp(st.text, slot->published_text) != 0;
		lc_router_status_publish(section, (uint32_t)s, &st, changed);
		slot->published_state = st.state;
		memcpy(slot->published_text, st.text, sizeof(st.text));
	}
	lc_router_status_beat(section);
}

static void arm_watch(HKEY key, HANDLE event)
{
	if (key)
		RegNotifyChangeKeyValue(key, TRUE, REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET,
					event, TRUE);
}

int main(int argc, char **argv)
{
	bool quiet = argc > 1 && strcmp(argv[1], "--quiet") == 0;
	struct drv_config config;
	HANDLE instance, mapping, changed;
	HKEY routes_key, settings_key = NULL;

	instance = CreateMutexW(NULL, FALSE, DRV_ROUTER_MUTEX_NAME);
	if (!instance || GetLastError() == ERROR_ALREADY_EXISTS) {
		fprintf(stderr, "lc_router: a LoopCable router is already running in this session; "
				"this one exits.\n");
		return 3;
	}
	mapping = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
				     sizeof(struct lc_router_layout), DRV_ROUTER_SECTION_NAME);
	section = mapping ? MapViewOfFile(mapping, FILE_MAP_WRITE, 0, 0, 0) : NULL;
	wake = CreateEventW(NULL, FALSE, FALSE, NULL);
	changed = CreateEventW(NULL, FALSE, FALSE, NULL);
	if (!section || !wake || !changed) {
		fprintf(stderr, "lc_router: could not create its status section (error %lu).\n",
			GetLastError());
		return 1;
	}
	lc_router_status_init(section, GetCurrentProcessId(), creation_time());

	drv_config_read(&config);
	drv_trace_set_file_name(L"router.log");
	drv_trace_init(config.logging != 0);
	RT_LOG("router started");
	SetConsoleCtrlHandler(on_console, TRUE);
	HWND window = make_window();
	/* Without sound devices (PortAudio did not start) network routes still run;
	 * device routes wait, and the device list is taken again while none runs. */
	if (lc_devices_open() != 0) {
		fprintf(stderr, "lc_router: PortAudio did not start; routes to sound devices wait.\n");
		RT_LOG("PortAudio did not start");
	}
	if (rt_net_startup() != 0) {
		fprintf(stderr, "lc_router: Winsock did not start.\n");
		return 1;
	}
	if (!quiet)
		printf("lc_router: running (pid %lu); Ctrl-C ends it.\n", GetCurrentProcessId());
	fflush(stdout);

	/* Routes and the cable settings, each watched for changes. */
	routes_key = lc_routes_open_watch();
	RegOpenKeyExW(HKEY_LOCAL_MACHINE, DRV_REG_ROOT, 0, KEY_NOTIFY | DRV_REG_VIEW, &settings_key);
	arm_watch(routes_key, changed);
	arm_watch(settings_key, changed);
	reload();
	bool device_list_stale = false;
	while (!atomic_load(&quit)) {
		HANDLE waits[2] = {changed, wake};
		DWORD w = MsgWaitForMultipleObjects(2, waits, FALSE, PASS_MS, QS_ALLINPUT);
		if (w == WAIT_OBJECT_0) {
			arm_watch(routes_key, changed);
			arm_watch(settings_key, changed);
			drv_config_read(&config);
			reload();
		}
		MSG msg;
		while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
			if (msg.message == WM_QUIT)
				atomic_store(&quit, true);
			DispatchMessageW(&msg);
		}
		pass(&config, &device_list_stale);
	}
	RT_LOG("router ending");
	for (int s = 0; s < LC_ROUTE_MAX; s++) {
		rt_route_free(slots[s].route);
		slots[s].route = NULL;
	}
	lc_devices_close();
	rt_net_cleanup();
	if (window)
		DestroyWindow(window);
	if (!quiet)
		printf("lc_router: ended.\n");
	return 0;
}
