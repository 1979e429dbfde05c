/* SPDX-License-Identifier: MIT */
/*
 * lc_events.exe SECONDS — a minimal panel: opens the driver the way the control panel
 * does (OpenDriver on the Drivers32 "wave" entry), registers a top-level window for
 * events (LC_DRV_REGISTER_WINDOW), and prints every LC_WM_DRIVER_EVENT it receives
 * for SECONDS, with the performance-counter time it arrived:
 *
 *   registered=1
 *   event at_us=123 id=client_opened cable=0 slot=0 kind=writer seq=1
 *   lc_events: ok (N events)
 */
#include "cable_client.h"

#include <stdio.h>
#include <stdlib.h>

#include "drv_panel.h"
#include "lc_event.h"

static const char *const id_names[] = {
	"none", "client_opened", "client_closed", "format_changed", "underflow", "overflow",
	"config_changed", "volume_changed",
};
static const char *const kind_names[] = { "none", "writer", "reader", "panel" };
static int n_events;

static LRESULT CALLBACK window_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
	if (msg == LC_WM_DRIVER_EVENT) {
		struct lc_event ev;
		if (!lc_event_unpack((uint32_t)lparam, &ev)) {
			printf("FAIL malformed event %#lx\n", (unsigned long)lparam);
			client_failures++;
			return 0;
		}
		n_events++;
		printf("event at_us=%llu id=%s cable=%d slot=%d kind=%s seq=%u\n",
		       (unsigned long long)client_now_us(), id_names[ev.id],
		       ev.cable == LC_EVENT_NO_INDEX ? -1 : (int)ev.cable,
		       ev.slot == LC_EVENT_NO_INDEX ? -1 : (int)ev.slot, kind_names[ev.kind], ev.seq6);
		fflush(stdout);
		return 0;
	}
	return DefWindowProcA(hwnd, msg, wparam, lparam);
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 3;
	WNDCLASSA wc = { .lpfnWndProc = window_proc, .hInstance = GetModuleHandleA(NULL),
			 .lpszClassName = "lc_events" };
	RegisterClassA(&wc);
	/* A top-level window, like the panel's (never shown). */
	HWND hwnd = CreateWindowA("lc_events", "LoopCable events", WS_OVERLAPPEDWINDOW, 0, 0, 100,
				  100, NULL, NULL, wc.hInstance, NULL);
	HDRVR driver = OpenDriver(L"wave", L"Drivers32", 0);
	if (!hwnd || !driver) {
		printf("FAIL window %p driver %p\n", (void *)hwnd, (void *)driver);
		return 1;
	}
	LRESULT registered = SendDriverMessage(driver, LC_DRV_REGISTER_WINDOW, (LPARAM)hwnd, 0);
	printf("registered=%ld\n", (long)registered);
	fflush(stdout);
	if (!registered)
		client_failures++;

	uint64_t end = client_now_us() + (uint64_t)(seconds * 1e6);
	while (client_now_us() < end) {
		MsgWaitForMultipleObjects(0, NULL, FALSE, 20, QS_ALLINPUT);
		MSG msg;
		while (PeekMessageA(&msg, NULL, 0, 0, PM_REMOVE))
			DispatchMessageA(&msg);
	}
	if (!SendDriverMessage(driver, LC_DRV_UNREGISTER_WINDOW, (LPARAM)hwnd, 0)) {
		printf("FAIL unregister\n");
		client_failures++;
	}
	CloseDriver(driver, 0, 0);
	DestroyWindow(hwnd);
	printf("lc_events: %s (%d events)\n", client_failures ? "FAILED" : "ok", n_events);
	return client_failures ? 1 : 0;
}
