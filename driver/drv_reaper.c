/* SPDX-License-Identifier: MIT */
/* drv_reaper.c — reclaim slots of dead processes (drv_reaper.h). */
#include <windows.h>
#include <string.h>

#include "drv_panel.h"
#include "drv_reaper.h"
#include "drv_shm.h"
#include "drv_trace.h"
#include "lc_event.h"

static uint64_t filetime_u64(FILETIME t)
{
	return ((uint64_t)t.dwHighDateTime << 32) | t.dwLowDateTime;
}

/* Whether `owner` is dead.  A pid that opens but has another creation time is a new
 * process that reused the id: the owner is dead.  start_time 0 (claim in progress)
 * is only judged dead when no process has that id at all. */
static bool owner_is_dead(struct lc_owner *owner)
{
	HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, owner->pid);
	if (!process) {
		/* Access denied means it exists (another user's process): alive. */
		if (GetLastError() != ERROR_INVALID_PARAMETER)
			return false;
		owner->start_time = 0;
		return true;
	}
	FILETIME created, exited, kernel, user;
	DWORD exit_code = STILL_ACTIVE;
	bool dead = false;
	if (GetProcessTimes(process, &created, &exited, &kernel, &user)
	    && owner->start_time != 0 && filetime_u64(created) != owner->start_time)
		dead = true;
	if (GetExitCodeProcess(process, &exit_code) && exit_code != STILL_ACTIVE
	    && owner->start_time != 0)
		dead = true;
	CloseHandle(process);
	return dead;
}

/* Owners found dead in the previous pass (pump thread only). */
static struct lc_owner suspects[LC_SHM_MAX_OWNERS];
static uint32_t n_suspects;

static bool was_suspect(const struct lc_owner *owner)
{
	for (uint32_t i = 0; i < n_suspects; i++)
		if (suspects[i].pid == owner->pid && suspects[i].start_time == owner->start_time)
			return true;
	return false;
}

int drv_reaper_run(void)
{
	struct lc_shm *shm = drv_shm_get();
	if (!shm)
		return 0;
	static struct lc_owner owners[LC_SHM_MAX_OWNERS]; /* pump thread only */
	int n = lc_shm_owners(shm, owners, LC_SHM_MAX_OWNERS);
	if (n < 0)
		return 0;
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
	int freed = n_dead ? lc_shm_reclaim(shm, owners, n_dead) : 0;
	if (freed > 0) {
		DRV_TRACE("reclaimed %d slots of %u dead processes", freed, n_dead);
		/* Which slots is not known here: panels re-read the section. */
		drv_panel_post(lc_event_pack(LC_EVENT_CLIENT_CLOSED, LC_EVENT_NO_INDEX,
					     LC_EVENT_NO_INDEX, LC_EVENT_KIND_NONE));
	}
	return freed;
}
