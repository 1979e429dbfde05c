/* SPDX-License-Identifier: MIT */
/* drv_panel.c — panel window registration and event posting (drv_panel.h). */
#include <windows.h>
#include <mmsystem.h>
#include <mmddk.h>
#include <stdbool.h>

#include "drv_notify.h"
#include "drv_panel.h"
#include "drv_reaper.h"
#include "drv_shm.h"
#include "drv_trace.h"
#include "lc_event.h"
#include "lc_result.h"

#define REPEAT_MS 250
/* Registrations racing with settings changes: how often one moves on. */
#define REGISTER_TRIES 4

/* This process's registrations, to undo them at DRV_CLOSE.  Each holds a reference to
 * the generation its slot is in. */
struct registration {
	DWORD_PTR driver_id;
	HWND hwnd;
	struct lc_shm *shm;
	struct lc_slot slot;
};
static SRWLOCK reg_lock = SRWLOCK_INIT;
static struct registration regs[LC_PANEL_SLOTS];
static uint32_t n_regs;

/* Whether hwnd is a window of process pid.  Safe on any value (a handle from shared
 * memory): GetWindowThreadProcessId answers 0 for what is no window. */
static bool owned_by(HWND hwnd, DWORD pid)
{
	DWORD owner = 0;
	return GetWindowThreadProcessId(hwnd, &owner) != 0 && owner == pid && pid != 0;
}

/* Removes entry i (reg_lock held); its reference is handed to the caller. */
static struct lc_shm *drop_locked(uint32_t i)
{
	struct lc_shm *shm = regs[i].shm;
	lc_shm_panel_unregister(shm, &regs[i].slot);
	regs[i] = regs[--n_regs];
	return shm;
}

/*
 * Registers hwnd in the current generation.  A window registered before, in an older
 * generation (the panel answers LC_EVENT_CONFIG_CHANGED by registering again), moves:
 * it must hear the new generation's events, and nothing of the old one's.
 */
static int try_register(DWORD_PTR driver_id, HWND hwnd)
{
	struct lc_shm *shm = drv_shm_acquire();
	if (!shm)
		return LC_E_NO_MEMORY;
	struct lc_shm *stale[LC_PANEL_SLOTS];
	uint32_t n_stale = 0;
	bool already = false;
	AcquireSRWLockExclusive(&reg_lock);
	for (uint32_t i = 0; i < n_regs;) {
		if (regs[i].hwnd == hwnd && regs[i].shm == shm) {
			already = true;
			i++;
		} else if (regs[i].hwnd == hwnd) {
			stale[n_stale++] = drop_locked(i);
		} else {
			i++;
		}
	}
	int result = already ? 0 : LC_E_NO_SLOT;
	if (!already && n_regs < LC_PANEL_SLOTS) {
		struct registration *r = &regs[n_regs];
		result = lc_shm_panel_register(shm, (uint64_t)(UINT_PTR)hwnd, drv_shm_pid(),
					       drv_shm_start_time(), &r->slot);
		/* Registered in a generation just replaced: its CONFIG_CHANGED may be gone
		 * already, so the panel would never move on.  Ask it to register again. */
		if (result >= 0 && !drv_shm_is_current(shm)) {
			lc_shm_panel_unregister(shm, &r->slot);
			result = LC_E_STATE;
		}
		if (result >= 0) {
			r->driver_id = driver_id;
			r->hwnd = hwnd;
			r->shm = shm;
			shm = NULL; /* the registration keeps the reference */
			n_regs++;
		}
	}
	ReleaseSRWLockExclusive(&reg_lock);
	drv_shm_release(shm);
	for (uint32_t i = 0; i < n_stale; i++)
		drv_shm_release(stale[i]);
	return result;
}

static LRESULT register_window(DWORD_PTR driver_id, HWND hwnd)
{
	/* Only our own windows: events go to a window only if the registering process
	 * owns it (drv_panel_post), so another's would never hear anything. */
	if (!hwnd || !owned_by(hwnd, GetCurrentProcessId())) {
		DRV_TRACE("panel window %p refused: not a window of this process", (void *)hwnd);
		return 0;
	}
	int result = LC_E_STATE;
	for (int attempt = 0; attempt < REGISTER_TRIES && result == LC_E_STATE; attempt++)
		result = try_register(driver_id, hwnd);
	/* The panel's process reaps dead clients like any client process does. */
	if (result >= 0)
		drv_reaper_start();
	DRV_TRACE("panel window %p registered: %s", (void *)hwnd, lc_result_str(result));
	return result >= 0;
}

/* Unregisters entries matching hwnd (or every one of driver_id when hwnd is NULL). */
static LRESULT unregister(DWORD_PTR driver_id, HWND hwnd)
{
	struct lc_shm *dropped[LC_PANEL_SLOTS];
	uint32_t n_dropped = 0;
	AcquireSRWLockExclusive(&reg_lock);
	for (uint32_t i = 0; i < n_regs;) {
		if (hwnd ? regs[i].hwnd == hwnd : regs[i].driver_id == driver_id)
			dropped[n_dropped++] = drop_locked(i);
		else
			i++;
	}
	ReleaseSRWLockExclusive(&reg_lock);
	for (uint32_t i = 0; i < n_dropped; i++)
		drv_shm_release(dropped[i]);
	return n_dropped != 0;
}

LRESULT drv_panel_message(DWORD_PTR driver_id, UINT msg, LPARAM param1)
{
	switch (msg) {
	case LC_DRV_REGISTER_WINDOW:
		return register_window(driver_id, (HWND)param1);
	case LC_DRV_UNREGISTER_WINDOW:
		return param1 ? unregister(driver_id, (HWND)param1) : 0;
	default:
		return 0;
	}
}

void drv_panel_close(DWORD_PTR driver_id)
{
	unregister(driver_id, NULL);
}

void drv_panel_post(struct lc_shm *shm, uint32_t packed)
{
	uint32_t seq = lc_shm_event_post(shm, packed);
	struct lc_panel_target targets[LC_PANEL_SLOTS];
	int n = lc_shm_panel_targets(shm, targets, LC_PANEL_SLOTS);
	for (int i = 0; i < n; i++) {
		/* Any process can write a panel slot: a window the slot's process does not
		 * own (or a handle too wide for this process) was named by someone else, and
		 * we are not its messenger. */
		HWND hwnd = (HWND)(UINT_PTR)targets[i].hwnd;
		if ((uint64_t)(UINT_PTR)hwnd != targets[i].hwnd || !owned_by(hwnd, targets[i].pid))
			continue;
		struct drv_callback cb = { (DWORD_PTR)hwnd, 0, CALLBACK_WINDOW, NULL };
		drv_notify_client(&cb, LC_WM_DRIVER_EVENT, lc_event_with_seq(packed, seq));
	}
}

bool drv_panel_due(uint64_t *last, uint64_t now_ticks)
{
	LARGE_INTEGER hz;
	QueryPerformanceFrequency(&hz);
	uint64_t gap = (uint64_t)hz.QuadPart * REPEAT_MS / 1000;
	if (*last && now_ticks - *last < gap)
		return false;
	*last = now_ticks;
	return true;
}
