/* SPDX-License-Identifier: MIT */
/* drv_reaper.c — reclaim slots of dead processes (drv_reaper.h). */
#include <windows.h>
#include <string.h>

#include "drv_panel.h"
#include "drv_reaper.h"
#include "drv_shm.h"
#include "drv_trace.h"
#include "lc_event.h"
#include "lc_result.h"

/* The reaper's period bounds how long a dead client's slots survive
 * (docs/architecture.md decision 10: within a second, two sightings). */
#define REAP_PERIOD_MS 250

static uint64_t filetime_u64(FILETIME t)
{
	return ((uint64_t)t.dwHighDateTime << 32) | t.dwLowDateTime;
}

/* Whether `owner`, as lc_shm_owners listed it, is dead.  It goes to lc_shm_reclaim
 * unchanged: the core matches pid and start time together, so a pid that a new
 * process got since it was asked about is never freed with the old owner's slots.
 *   - no process has the pid: dead.  A listed start time 0 (a claim whose start time
 *     was never published: its claimer died mid-claim) then frees only such claims;
 *   - a process with another creation time has it: the pid was reused, dead;
 *   - the process exited (someone still holds a handle to it): dead.
 * start_time 0 while a process has the pid is a claim in progress, or the claimer
 * died and the pid was reused: no way to tell which, so alive. */
static bool owner_is_dead(const struct lc_owner *owner)
{
	HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, owner->pid);
	if (!process) {
		/* Access denied means it exists (another user's process): alive. */
		return GetLastError() == ERROR_INVALID_PARAMETER;
	}
	FILETIME created, exited, kernel, user;
	DWORD exit_code = STILL_ACTIVE;
	bool dead = false;
	if (owner->start_time != 0) {
		if (GetProcessTimes(process, &created, &exited, &kernel, &user)
		    && filetime_u64(created) != owner->start_time)
			dead = true;
		if (GetExitCodeProcess(process, &exit_code) && exit_code != STILL_ACTIVE)
			dead = true;
	}
	CloseHandle(process);
	return dead;
}

/* Owners found dead in the previous pass (reaper thread only). */
static struct lc_owner suspects[LC_SHM_MAX_OWNERS];
static uint32_t n_suspects;

/* Seen dead in the previous pass as this very owner: same pid and same start time
 * (0 only pairs with 0), so that a pid reused in between starts its own count. */
static bool was_suspect(const struct lc_owner *owner)
{
	for (uint32_t i = 0; i < n_suspects; i++)
		if (suspects[i].pid == owner->pid && suspects[i].start_time == owner->start_time)
			return true;
	return false;
}

/* Every distinct owner over all attached generations: a process that died may hold
 * slots in several of them. */
static int list_owners(struct lc_shm **shms, int n_shms, struct lc_owner *out, uint32_t cap)
{
	static struct lc_owner some[LC_SHM_MAX_OWNERS]; /* reaper thread only */
	uint32_t n = 0;
	for (int g = 0; g < n_shms; g++) {
		int found = lc_shm_owners(shms[g], some, LC_SHM_MAX_OWNERS);
		for (int i = 0; i < found; i++) {
			bool seen = false;
			for (uint32_t j = 0; j < n && !seen; j++)
				seen = out[j].pid == some[i].pid && out[j].start_time == some[i].start_time;
			if (!seen && n < cap)
				out[n++] = some[i];
		}
	}
	return (int)n;
}

int drv_reaper_run(void)
{
	struct lc_shm *shms[DRV_REAPER_GENERATIONS];
	int n_shms = drv_shm_acquire_all(shms, DRV_REAPER_GENERATIONS);
	static struct lc_owner owners[LC_SHM_MAX_OWNERS]; /* reaper thread only */
	int n = list_owners(shms, n_shms, owners, LC_SHM_MAX_OWNERS);
	/* A dead owner is freed the second time it is seen dead, a pass (250 ms) later:
	 * what its writers put ahead of "now" before dying is still heard by readers
	 * that lag a few milliseconds, and a closed stream that was draining its tail
	 * when the process exited gets its drain time. */
	uint32_t n_dead = 0, n_new_suspects = 0;
	static struct lc_owner next_suspects[LC_SHM_MAX_OWNERS];
	for (int i = 0; i < n; i++) {
		if (owners[i].pid == drv_shm_pid() || !owner_is_dead(&owners[i]))
			continue;
		if (was_suspect(&owners[i]))
			owners[n_dead++] = owners[i];
		else
			next_suspects[n_new_suspects++] = owners[i];
	}
	memcpy(suspects, next_suspects, n_new_suspects * sizeof(*suspects));
	n_suspects = n_new_suspects;
	int total = 0;
	for (int g = 0; g < n_shms; g++) {
		int freed = n_dead ? lc_shm_reclaim(shms[g], owners, n_dead) : 0;
		if (freed > 0) {
			DRV_TRACE("reclaimed %d slots of %u dead processes", freed, n_dead);
			/* Which slots is not known here: panels re-read the section. */
			drv_panel_post(shms[g], lc_event_pack(LC_EVENT_CLIENT_CLOSED, LC_EVENT_NO_INDEX,
							      LC_EVENT_NO_INDEX, LC_EVENT_KIND_NONE));
			total += freed;
		}
		drv_shm_release(shms[g]);
	}
	return total;
}

static SRWLOCK thread_lock = SRWLOCK_INIT;
static HANDLE thread, stop_event;

static DWORD WINAPI reaper_main(void *param)
{
	(void)param;
	while (WaitForSingleObject(stop_event, REAP_PERIOD_MS) == WAIT_TIMEOUT)
		drv_reaper_run();
	return 0;
}

int drv_reaper_start(void)
{
	int result = 0;
	AcquireSRWLockExclusive(&thread_lock);
	if (!thread) {
		stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
		thread = stop_event ? CreateThread(NULL, 0, reaper_main, NULL, 0, NULL) : NULL;
		if (thread) {
			SetThreadPriority(thread, THREAD_PRIORITY_BELOW_NORMAL);
		} else {
			DRV_ERR("reaper thread not started: %lu", GetLastError());
			if (stop_event)
				CloseHandle(stop_event);
			stop_event = NULL;
			result = LC_E_NO_MEMORY;
		}
	}
	ReleaseSRWLockExclusive(&thread_lock);
	return result;
}

void drv_reaper_stop(void)
{
	AcquireSRWLockExclusive(&thread_lock);
	if (thread) {
		SetEvent(stop_event);
		WaitForSingleObject(thread, INFINITE);
		CloseHandle(thread);
		CloseHandle(stop_event);
		thread = stop_event = NULL;
	}
	ReleaseSRWLockExclusive(&thread_lock);
}
