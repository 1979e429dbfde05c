/* SPDX-License-Identifier: MIT */
/* drv_shm_win32.c — the named section and the clock (drv_shm.h). */
#include <windows.h>
#include <sddl.h>

#include "drv_shm.h"
#include "drv_regkeys.h"
#include "drv_trace.h"
#include "lc_result.h"

/* Everyone may read and write, low-integrity processes (sandboxed browsers, UWP
 * hosts) included: any program that can open a sound device can use a cable. */
#define SECTION_SDDL L"D:(A;;GA;;;WD)S:(ML;;NW;;;LW)"

/* How long an opener waits for a creator that is still formatting the section. */
#define OPEN_WAIT_MS 2000

static INIT_ONCE attach_once = INIT_ONCE_STATIC_INIT;
static int attach_result = LC_E_STATE;
static struct lc_shm shm;
static struct drv_config config;
static HANDLE mapping;
static uint32_t own_pid;
static uint64_t own_start_time;

static uint32_t ring_frames_for(uint32_t rate_hz, uint32_t ring_ms)
{
	uint64_t want = (uint64_t)rate_hz * ring_ms / 1000;
	uint32_t frames = LC_RING_MIN_FRAMES;
	while (frames < want && frames < LC_RING_MAX_FRAMES)
		frames <<= 1;
	return frames;
}

static void shm_config_from(const struct drv_config *in, struct lc_shm_config *out)
{
	out->n_cables = in->n_cables;
	for (uint32_t i = 0; i < in->n_cables; i++) {
		memcpy(out->cables[i].name, in->cables[i].name, LC_NAME_BYTES);
		out->cables[i].rate_hz = in->cables[i].rate_hz;
		out->cables[i].n_channels = in->cables[i].n_channels;
		out->cables[i].ring_frames = ring_frames_for(in->cables[i].rate_hz, in->ring_ms);
	}
}

static uint64_t query_start_time(void)
{
	FILETIME created, exited, kernel, user;
	if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user))
		return 1; /* never 0: 0 means "unpublished" to the core */
	return ((uint64_t)created.dwHighDateTime << 32) | created.dwLowDateTime;
}

static int map_section(uint64_t size, int *created)
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, FALSE };
	PSECURITY_DESCRIPTOR sd = NULL;
	if (ConvertStringSecurityDescriptorToSecurityDescriptorW(SECTION_SDDL, SDDL_REVISION_1,
								 &sd, NULL))
		sa.lpSecurityDescriptor = sd;
	mapping = CreateFileMappingW(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE,
				     (DWORD)(size >> 32), (DWORD)size, DRV_SECTION_NAME);
	DWORD error = GetLastError();
	if (sd)
		LocalFree(sd);
	if (!mapping) {
		DRV_ERR("CreateFileMapping failed: %lu", error);
		return LC_E_NO_MEMORY;
	}
	*created = error != ERROR_ALREADY_EXISTS;
	return 0;
}

static BOOL CALLBACK attach(PINIT_ONCE once, PVOID param, PVOID *context)
{
	(void)once; (void)param; (void)context;
	drv_config_read(&config);
	drv_trace_init(config.logging != 0);
	own_pid = GetCurrentProcessId();
	own_start_time = query_start_time();

	struct lc_shm_config shm_config;
	shm_config_from(&config, &shm_config);
	uint64_t size = lc_shm_size_for(&shm_config);
	int created = 0;
	attach_result = size ? map_section(size, &created) : LC_E_INVALID;
	if (attach_result)
		return TRUE;

	/* Size 0 maps the whole section, whichever process sized it. */
	void *view = MapViewOfFile(mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, 0);
	MEMORY_BASIC_INFORMATION info;
	if (!view || !VirtualQuery(view, &info, sizeof(info))) {
		DRV_ERR("MapViewOfFile failed: %lu", GetLastError());
		attach_result = LC_E_NO_MEMORY;
		return TRUE;
	}
	if (created) {
		LARGE_INTEGER now, hz;
		QueryPerformanceCounter(&now);
		QueryPerformanceFrequency(&hz);
		struct lc_clock clock = { (uint64_t)now.QuadPart, (uint64_t)hz.QuadPart };
		attach_result = lc_shm_init(&shm, view, info.RegionSize, &shm_config, &clock, 1);
	} else {
		DWORD waited = 0;
		while ((attach_result = lc_shm_open(&shm, view, info.RegionSize)) == LC_E_STATE
		       && waited < OPEN_WAIT_MS) {
			Sleep(1);
			waited++;
		}
	}
	DRV_TRACE("section %s: %s, %u cables, %llu bytes", created ? "created" : "opened",
		  lc_result_str(attach_result), shm.n_cables,
		  (unsigned long long)shm.section_bytes);
	return TRUE;
}

int drv_shm_attach(void)
{
	InitOnceExecuteOnce(&attach_once, attach, NULL, NULL);
	return attach_result;
}

struct lc_shm *drv_shm_get(void)
{
	return drv_shm_attach() == 0 ? &shm : NULL;
}

const struct drv_config *drv_shm_config(void)
{
	return &config;
}

uint64_t drv_shm_now_ticks(void)
{
	LARGE_INTEGER now;
	QueryPerformanceCounter(&now);
	return (uint64_t)now.QuadPart;
}

uint64_t drv_shm_frame_at(uint32_t cable, uint64_t ticks)
{
	return lc_clock_frame_at(&shm.clock, ticks, shm.cables[cable].rate_hz);
}

uint32_t drv_shm_pid(void)
{
	return own_pid;
}

uint64_t drv_shm_start_time(void)
{
	return own_start_time;
}
