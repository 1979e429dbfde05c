/* SPDX-License-Identifier: MIT */
/* drv_pump.c — the per-process pump thread (drv_pump.h). */
#include <windows.h>

#include "drv_pump.h"
#include "drv_reaper.h"
#include "drv_shm.h"
#include "drv_trace.h"
#include "lc_result.h"

/* mingw's headers lack it; Wine and Windows 10 1803+ accept it (PLATFORM.md). */
#ifndef CREATE_WAITABLE_TIMER_HIGH_RESOLUTION
#define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x00000002
#endif

/* The longest the pump sleeps: the reaper's period bounds how long a dead client's
 * slots survive (DESIGN.md decision 10: within a second). */
#define MAX_SLEEP_MS 50
#define REAP_PERIOD_MS 250
/* Deadlines are rounded up to this grid, so that many streams due at nearby moments
 * share one wake-up: under Wine every wake and timer is a server round trip. */
#define WAKE_GRID_US 2000

static CRITICAL_SECTION sweep_lock; /* the list, list_gen, deferred; recursive */
static INIT_ONCE init_once = INIT_ONCE_STATIC_INIT;
static struct drv_pump_item *items;
static struct drv_pump_item *deferred; /* removed on the pump thread, freed after sweep */
static uint32_t list_gen;
static HANDLE thread, wake_event, timer;
static DWORD thread_id;
static volatile LONG stopping;
/* When the pump will next wake on its own (ticks); 0 while it sweeps, so that work
 * added during a sweep always pokes it.  See drv_pump_poke_before(). */
static volatile LONG64 next_wake;

static BOOL CALLBACK init_pump(PINIT_ONCE once, PVOID param, PVOID *context)
{
	(void)once; (void)param; (void)context;
	InitializeCriticalSection(&sweep_lock);
	return TRUE;
}

/* Sleeps until `deadline` ticks (or MAX_SLEEP_MS) or a poke. */
static void wait_until(uint64_t deadline, uint64_t now, uint64_t tick_hz)
{
	LONGLONG wait_100ns = (LONGLONG)MAX_SLEEP_MS * 10000;
	if (deadline != DRV_PUMP_IDLE) {
		uint64_t ticks = deadline > now ? deadline - now : 0;
		LONGLONG want = (LONGLONG)(ticks * 10000000 / tick_hz);
		if (want < wait_100ns)
			wait_100ns = want;
	}
	if (wait_100ns <= 0)
		return;
	LARGE_INTEGER due = { .QuadPart = -wait_100ns };
	HANDLE handles[2] = { wake_event, timer };
	if (timer && SetWaitableTimer(timer, &due, 0, NULL, NULL, FALSE))
		WaitForMultipleObjects(2, handles, FALSE, INFINITE);
	else
		WaitForSingleObject(wake_event, (DWORD)(wait_100ns / 10000) + 1);
}

/* One pass over all items.  A service may add or remove items (a client opening or
 * closing from its callback): then the walk restarts, skipping items this sweep has
 * already serviced, and never touches an item pointer it held across the change. */
static uint64_t sweep(uint32_t sweep_id)
{
	uint64_t next = DRV_PUMP_IDLE;
	EnterCriticalSection(&sweep_lock);
	struct drv_pump_item *item = items;
	while (item) {
		if (item->sweep == sweep_id) {
			item = item->next;
			continue;
		}
		item->sweep = sweep_id;
		uint32_t gen = list_gen;
		uint64_t due = item->ops->service(item, drv_shm_now_ticks());
		if (due < next)
			next = due;
		item = gen == list_gen ? item->next : items;
	}
	while (deferred) {
		struct drv_pump_item *done = deferred;
		deferred = done->next;
		done->ops->release(done);
	}
	LeaveCriticalSection(&sweep_lock);
	return next;
}

static DWORD WINAPI pump_main(void *param)
{
	(void)param;
	LARGE_INTEGER hz;
	QueryPerformanceFrequency(&hz);
	uint64_t last_reap = 0, reap_ticks = (uint64_t)hz.QuadPart * REAP_PERIOD_MS / 1000;
	uint32_t sweep_id = 0;
	uint64_t grid = (uint64_t)hz.QuadPart * WAKE_GRID_US / 1000000;
	while (!stopping) {
		InterlockedExchange64(&next_wake, 0);
		uint64_t next = sweep(++sweep_id);
		uint64_t now = drv_shm_now_ticks();
		if (now - last_reap >= reap_ticks) {
			drv_reaper_run();
			last_reap = now;
		}
		if (next != DRV_PUMP_IDLE && grid)
			next = (next + grid - 1) / grid * grid;
		uint64_t latest = now + (uint64_t)hz.QuadPart * MAX_SLEEP_MS / 1000;
		InterlockedExchange64(&next_wake, (LONG64)(next < latest ? next : latest));
		wait_until(next, drv_shm_now_ticks(), (uint64_t)hz.QuadPart);
	}
	return 0;
}

static int start_thread(void)
{
	if (thread)
		return 0;
	wake_event = CreateEventW(NULL, FALSE, FALSE, NULL);
	timer = CreateWaitableTimerExW(NULL, NULL, CREATE_WAITABLE_TIMER_HIGH_RESOLUTION,
				       TIMER_ALL_ACCESS);
	if (!timer)
		timer = CreateWaitableTimerW(NULL, FALSE, NULL);
	stopping = 0;
	thread = wake_event ? CreateThread(NULL, 0, pump_main, NULL, 0, &thread_id) : NULL;
	if (!thread) {
		DRV_ERR("pump thread not started: %lu", GetLastError());
		return LC_E_NO_MEMORY;
	}
	/* Audio deadlines are a few milliseconds apart. */
	SetThreadPriority(thread, THREAD_PRIORITY_TIME_CRITICAL);
	return 0;
}

int drv_pump_start(void)
{
	InitOnceExecuteOnce(&init_once, init_pump, NULL, NULL);
	EnterCriticalSection(&sweep_lock);
	int result = start_thread();
	LeaveCriticalSection(&sweep_lock);
	return result;
}

int drv_pump_add(struct drv_pump_item *item)
{
	InitOnceExecuteOnce(&init_once, init_pump, NULL, NULL);
	EnterCriticalSection(&sweep_lock);
	int result = start_thread();
	if (result == 0) {
		item->sweep = 0;
		item->next = items;
		items = item;
		list_gen++;
	}
	LeaveCriticalSection(&sweep_lock);
	drv_pump_poke();
	return result;
}

bool drv_pump_remove(struct drv_pump_item *item)
{
	EnterCriticalSection(&sweep_lock);
	for (struct drv_pump_item **link = &items; *link; link = &(*link)->next) {
		if (*link == item) {
			*link = item->next;
			list_gen++;
			break;
		}
	}
	bool on_pump = GetCurrentThreadId() == thread_id;
	if (on_pump) {
		item->next = deferred;
		deferred = item;
	}
	LeaveCriticalSection(&sweep_lock);
	return !on_pump;
}

void drv_pump_poke(void)
{
	if (wake_event)
		SetEvent(wake_event);
}

void drv_pump_poke_before(uint64_t ticks)
{
	/* A full barrier on both sides (Interlocked): either the pump publishes its wake
	 * time after seeing our work, or we see 0 / an earlier time and poke. */
	if ((uint64_t)InterlockedCompareExchange64(&next_wake, 0, 0) > ticks)
		drv_pump_poke();
}

void drv_pump_shutdown(void)
{
	if (!thread)
		return;
	stopping = 1;
	drv_pump_poke();
	WaitForSingleObject(thread, INFINITE);
	/* Items still listed are closed streams draining their tail (drv_wod.c): the
	 * code they need is about to go away, so they end now. */
	EnterCriticalSection(&sweep_lock);
	while (items) {
		struct drv_pump_item *item = items;
		items = item->next;
		item->ops->release(item);
	}
	LeaveCriticalSection(&sweep_lock);
	CloseHandle(thread);
	CloseHandle(wake_event);
	if (timer)
		CloseHandle(timer);
	thread = wake_event = timer = NULL;
	thread_id = 0;
}
