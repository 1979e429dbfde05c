/* SPDX-License-Identifier: MIT */
/* drv_pump.c — the per-process pump thread (drv_pump.h). */
#include <windows.h>

#include "drv_pump.h"
#include "drv_shm.h"
#include "drv_trace.h"
#include "lc_result.h"

/* mingw's headers lack it; Wine and Windows 10 1803+ accept it (docs/wine.md). */
#ifndef CREATE_WAITABLE_TIMER_HIGH_RESOLUTION
#define CREATE_WAITABLE_TIMER_HIGH_RESOLUTION 0x00000002
#endif

/* The longest the pump sleeps with nothing due: a safety net for a lost poke. */
#define MAX_SLEEP_MS 50
/* Deadlines are rounded up to this grid, so that many streams due at nearby moments
 * share one wake-up: under Wine every wake and timer is a server round trip. */
#define WAKE_GRID_US 2000

static SRWLOCK list_lock = SRWLOCK_INIT; /* items, list_gen, the thread's start */
static struct drv_pump_item *items;
static uint32_t list_gen; /* bumped by every unlink: a held `next` may be stale */
static HANDLE thread, wake_event, timer;
static volatile LONG stopping;
/* When the pump will next wake on its own (ticks); 0 while it sweeps, so that work
 * added during a sweep always pokes it.  See drv_pump_poke_before(). */
static volatile LONG64 next_wake;

void drv_pump_item_init(struct drv_pump_item *item, const struct drv_pump_ops *ops)
{
	item->ops = ops;
	item->refs = 1;
	item->next = NULL;
	item->sweep = 0;
	item->listed = false;
}

void drv_pump_item_hold(struct drv_pump_item *item)
{
	InterlockedIncrement(&item->refs);
}

void drv_pump_item_drop(struct drv_pump_item *item)
{
	if (InterlockedDecrement(&item->refs) == 0)
		item->ops->release(item);
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

/* The next item this sweep has not serviced, from `from` on; NULL at the end.
 * Under the list lock. */
static struct drv_pump_item *next_unserviced(struct drv_pump_item *from, uint32_t sweep_id)
{
	while (from && from->sweep == sweep_id)
		from = from->next;
	return from;
}

/* One pass over all items, each serviced with the list lock left and a reference
 * held.  The list may change meanwhile (opens, closes, from callbacks too): a walk
 * whose saved `next` may be stale starts again from the head, skipping the items this
 * sweep has already serviced. */
static uint64_t sweep(uint32_t sweep_id)
{
	uint64_t next = DRV_PUMP_IDLE;
	AcquireSRWLockExclusive(&list_lock);
	struct drv_pump_item *item = next_unserviced(items, sweep_id);
	while (item) {
		item->sweep = sweep_id;
		InterlockedIncrement(&item->refs);
		ReleaseSRWLockExclusive(&list_lock);

		uint64_t due = item->ops->service(item, drv_shm_now_ticks());
		if (due < next)
			next = due;

		AcquireSRWLockExclusive(&list_lock);
		uint32_t gen = list_gen;
		struct drv_pump_item *after = item->listed ? item->next : items;
		ReleaseSRWLockExclusive(&list_lock);
		drv_pump_item_drop(item);
		AcquireSRWLockExclusive(&list_lock);
		item = next_unserviced(gen == list_gen ? after : items, sweep_id);
	}
	ReleaseSRWLockExclusive(&list_lock);
	return next;
}

static DWORD WINAPI pump_main(void *param)
{
	(void)param;
	LARGE_INTEGER hz;
	QueryPerformanceFrequency(&hz);
	uint32_t sweep_id = 0;
	uint64_t grid = (uint64_t)hz.QuadPart * WAKE_GRID_US / 1000000;
	while (!stopping) {
		InterlockedExchange64(&next_wake, 0);
		if (++sweep_id == 0)
			sweep_id = 1; /* 0 marks an item no sweep has serviced */
		uint64_t next = sweep(sweep_id);
		uint64_t now = drv_shm_now_ticks();
		if (next != DRV_PUMP_IDLE && grid)
			next = (next + grid - 1) / grid * grid;
		uint64_t latest = now + (uint64_t)hz.QuadPart * MAX_SLEEP_MS / 1000;
		InterlockedExchange64(&next_wake, (LONG64)(next < latest ? next : latest));
		wait_until(next, drv_shm_now_ticks(), (uint64_t)hz.QuadPart);
	}
	return 0;
}

static void close_handles(void)
{
	if (thread)
		CloseHandle(thread);
	if (wake_event)
		CloseHandle(wake_event);
	if (timer)
		CloseHandle(timer);
	thread = wake_event = timer = NULL;
}

/* Under the list lock. */
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
	thread = wake_event ? CreateThread(NULL, 0, pump_main, NULL, 0, NULL) : NULL;
	if (!thread) {
		DRV_ERR("pump thread not started: %lu", GetLastError());
		close_handles();
		return LC_E_NO_MEMORY;
	}
	/* Audio deadlines are a few milliseconds apart. */
	SetThreadPriority(thread, THREAD_PRIORITY_TIME_CRITICAL);
	return 0;
}

int drv_pump_add(struct drv_pump_item *item)
{
	AcquireSRWLockExclusive(&list_lock);
	int result = start_thread();
	if (result == 0) {
		InterlockedIncrement(&item->refs);
		item->sweep = 0;
		item->next = items;
		item->listed = true;
		items = item;
	}
	ReleaseSRWLockExclusive(&list_lock);
	drv_pump_poke();
	return result;
}

void drv_pump_remove(struct drv_pump_item *item)
{
	bool was_listed = false;
	AcquireSRWLockExclusive(&list_lock);
	for (struct drv_pump_item **link = &items; *link; link = &(*link)->next) {
		if (*link == item) {
			*link = item->next;
			item->listed = false;
			list_gen++;
			was_listed = true;
			break;
		}
	}
	ReleaseSRWLockExclusive(&list_lock);
	if (was_listed)
		drv_pump_item_drop(item);
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
	AcquireSRWLockExclusive(&list_lock);
	HANDLE running = thread;
	ReleaseSRWLockExclusive(&list_lock);
	if (!running)
		return;
	stopping = 1;
	drv_pump_poke();
	WaitForSingleObject(running, INFINITE);
	/* Items still listed are closed streams draining their tail (drv_wod.c) or
	 * streams drv_stream_free_all() let go: the code they need is about to go away,
	 * so they end now. */
	for (;;) {
		AcquireSRWLockExclusive(&list_lock);
		struct drv_pump_item *item = items;
		ReleaseSRWLockExclusive(&list_lock);
		if (!item)
			break;
		drv_pump_remove(item);
	}
	AcquireSRWLockExclusive(&list_lock);
	close_handles();
	ReleaseSRWLockExclusive(&list_lock);
}
