/* SPDX-License-Identifier: MIT */
/* drv_shm_win32.c — the directory, the generations' sections and the clock (drv_shm.h). */
#include <windows.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>

#include "drv_panel.h"
#include "drv_regkeys.h"
#include "drv_shm.h"
#include "drv_trace.h"
#include "lc_event.h"
#include "lc_mix.h"
#include "lc_result.h"

/* Everyone may read and write, low-integrity processes (sandboxed browsers, UWP
 * hosts) included: any program that can open a sound device can use a cable. */
#define SECTION_SDDL L"D:(A;;GA;;;WD)S:(ML;;NW;;;LW)"

/* How long an opener waits for a creator that is still formatting a section. */
#define OPEN_WAIT_MS 2000
/* Concurrent appliers: how often one retries after another published first. */
#define APPLY_TRIES 4
/* Older generations of which empty ones are remembered (never looked at again). */
#define EMPTY_MEMO 8

/* One attached generation.  shm comes first: a struct lc_shm * handed out is one. */
struct generation {
	struct lc_shm shm;
	HANDLE mapping;
	void *view;
	uint32_t number;
	LONG refs;  /* references handed out, + 1 while current, + 1 while a peer */
	bool peer;  /* holds the peer reference (scan_peers_locked) */
	struct generation *next;
};

static INIT_ONCE attach_once = INIT_ONCE_STATIC_INIT;
static int attach_result = LC_E_STATE;
static HANDLE directory_mapping;
static struct lc_shm_directory *directory;
/* gens_lock guards the list, current and every refs field. */
static SRWLOCK gens_lock = SRWLOCK_INIT;
static struct generation *gens;
static struct generation *current;
static uint32_t own_pid;
static uint64_t own_start_time;
static uint32_t empty_memo[EMPTY_MEMO];
static uint32_t empty_memo_next;

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

/* CreateFileMapping with the everyone-may-use descriptor; *created tells whether the
 * name was new.  Size is ignored when it exists: the creator sized it. */
static HANDLE create_mapping(const wchar_t *name, uint64_t size, bool *created)
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, FALSE };
	PSECURITY_DESCRIPTOR sd = NULL;
	if (ConvertStringSecurityDescriptorToSecurityDescriptorW(SECTION_SDDL, SDDL_REVISION_1,
								 &sd, NULL))
		sa.lpSecurityDescriptor = sd;
	HANDLE mapping = CreateFileMappingW(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE,
					    (DWORD)(size >> 32), (DWORD)size, name);
	DWORD error = GetLastError();
	if (sd)
		LocalFree(sd);
	if (!mapping)
		DRV_ERR("CreateFileMapping failed: %lu", error);
	*created = error != ERROR_ALREADY_EXISTS;
	return mapping;
}

/* The timeline epoch every generation shares, stamped once by whoever comes first. */
static struct lc_clock shared_clock(void)
{
	uint64_t epoch = atomic_load_explicit(&directory->epoch_ticks, memory_order_acquire);
	if (!epoch) {
		LARGE_INTEGER now, hz;
		QueryPerformanceCounter(&now);
		QueryPerformanceFrequency(&hz);
		atomic_store_explicit(&directory->tick_hz, (uint64_t)hz.QuadPart, memory_order_relaxed);
		uint64_t expected = 0;
		uint64_t mine = (uint64_t)now.QuadPart ? (uint64_t)now.QuadPart : 1;
		atomic_compare_exchange_strong_explicit(&directory->epoch_ticks, &expected, mine,
							memory_order_acq_rel, memory_order_acquire);
		epoch = expected ? expected : mine;
	}
	struct lc_clock clock = { epoch,
				  atomic_load_explicit(&directory->tick_hz, memory_order_relaxed) };
	return clock;
}

static void unmap(struct generation *gen)
{
	if (gen->view)
		UnmapViewOfFile(gen->view);
	if (gen->mapping)
		CloseHandle(gen->mapping);
	free(gen);
}

static struct generation *open_view(struct generation *gen, bool created,
				     const struct lc_shm_config *shm_config);

/* Maps an older generation that some process still holds; never creates one.  NULL
 * when it is gone (or fails validation). */
static struct generation *map_existing_generation(uint32_t number)
{
	wchar_t name[DRV_SECTION_NAME_CHARS];
	_snwprintf(name, DRV_SECTION_NAME_CHARS, DRV_SECTION_NAME_FMT, number);
	name[DRV_SECTION_NAME_CHARS - 1] = L'\0';
	HANDLE mapping = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, name);
	if (!mapping)
		return NULL;
	struct generation *gen = calloc(1, sizeof(*gen));
	if (!gen) {
		CloseHandle(mapping);
		return NULL;
	}
	gen->mapping = mapping;
	gen->number = number;
	return open_view(gen, false, NULL);
}

/* Maps generation `number`, creating it from the registry settings if no process holds
 * it (also after every holder exited: the directory outlives nothing).  NULL on failure. */
static struct generation *map_generation(uint32_t number)
{
	struct drv_config config;
	drv_config_read(&config);
	struct lc_shm_config shm_config;
	shm_config_from(&config, &shm_config);
	uint64_t size = lc_shm_size_for(&shm_config);
	wchar_t name[DRV_SECTION_NAME_CHARS];
	_snwprintf(name, DRV_SECTION_NAME_CHARS, DRV_SECTION_NAME_FMT, number);
	name[DRV_SECTION_NAME_CHARS - 1] = L'\0';

	struct generation *gen = calloc(1, sizeof(*gen));
	bool created = false;
	if (!gen || !size || !(gen->mapping = create_mapping(name, size, &created))) {
		if (gen)
			unmap(gen);
		return NULL;
	}
	gen->number = number;
	return open_view(gen, created, &shm_config);
}

/* Maps gen->mapping and formats (created) or validates the section.  Frees gen and
 * returns NULL on failure. */
static struct generation *open_view(struct generation *gen, bool created,
				     const struct lc_shm_config *shm_config)
{
	/* Size 0 maps the whole section, whichever process sized it. */
	gen->view = MapViewOfFile(gen->mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, 0);
	MEMORY_BASIC_INFORMATION info;
	int result = LC_E_NO_MEMORY;
	if (gen->view && VirtualQuery(gen->view, &info, sizeof(info))) {
		if (created) {
			struct lc_clock clock = shared_clock();
			result = lc_shm_init(&gen->shm, gen->view, info.RegionSize, shm_config,
					     &clock, gen->number);
		} else {
			DWORD waited = 0;
			while ((result = lc_shm_open(&gen->shm, gen->view, info.RegionSize))
				       == LC_E_STATE
			       && waited < OPEN_WAIT_MS) {
				Sleep(1);
				waited++;
			}
			/* The name promised this generation: anything else is not ours. */
			if (result == 0 && gen->shm.config_generation != gen->number)
				result = LC_E_CORRUPT;
		}
	}
	DRV_TRACE("generation %u %s: %s, %u cables, %llu bytes", gen->number,
		  created ? "created" : "opened", lc_result_str(result), gen->shm.n_cables,
		  (unsigned long long)gen->shm.section_bytes);
	if (result != 0) {
		unmap(gen);
		return NULL;
	}
	return gen;
}

static struct generation *find_locked(uint32_t number)
{
	for (struct generation *g = gens; g; g = g->next)
		if (g->number == number)
			return g;
	return NULL;
}

static void put_locked(struct generation *gen)
{
	if (--gen->refs > 0)
		return;
	for (struct generation **link = &gens; *link; link = &(*link)->next) {
		if (*link == gen) {
			*link = gen->next;
			break;
		}
	}
	DRV_TRACE("generation %u unmapped", gen->number);
	unmap(gen);
}

/* Makes `gen` (already in the list or new) the current generation. */
static void make_current_locked(struct generation *gen)
{
	if (gen == current)
		return;
	if (!find_locked(gen->number)) {
		gen->next = gens;
		gens = gen;
	}
	gen->refs++;
	struct generation *old = current;
	current = gen;
	if (old)
		put_locked(old);
}

static bool memo_has(uint32_t number)
{
	for (uint32_t i = 0; i < EMPTY_MEMO; i++)
		if (empty_memo[i] == number)
			return true;
	return false;
}

/* Whether any slot of the section is taken (writer, reader or panel, any state). */
static bool has_owners(struct generation *gen)
{
	struct lc_owner one[1];
	int n = lc_shm_owners(&gen->shm, one, 1);
	return n != 0; /* LC_E_TOO_SMALL: more than one */
}

/*
 * Peers: the older generations that still have clients somewhere.  A cable that kept
 * its rate and channels across a change is one cable in every generation
 * (lc_mix_read_peers), so a reader must see writers that opened before or after it.
 * Old generations only lose clients (opens use the current one), so one that is found
 * empty is let go and remembered as such: looking again would keep it alive.
 */
static void scan_peers_locked(void)
{
	if (!current)
		return;
	for (struct generation *g = gens; g;) {
		struct generation *next = g->next;
		if (g != current && g->peer && !has_owners(g)) {
			g->peer = false;
			empty_memo[empty_memo_next++ % EMPTY_MEMO] = g->number;
			put_locked(g);
		}
		g = next;
	}
	for (uint32_t back = 1; back <= LC_MIX_MAX_PEERS && back < current->number; back++) {
		uint32_t number = current->number - back;
		if (find_locked(number) || memo_has(number))
			continue;
		struct generation *gen = map_existing_generation(number);
		if (!gen)
			continue;
		if (!has_owners(gen)) {
			empty_memo[empty_memo_next++ % EMPTY_MEMO] = number;
			unmap(gen);
			continue;
		}
		gen->peer = true;
		gen->refs = 1;
		gen->next = gens;
		gens = gen;
	}
}

/*
 * Follows the directory.  Generation 0 means none was published (a fresh session):
 * generation 1 is created and published.  A generation that cannot be mapped leaves
 * the current one in place, so a damaged newer section never takes cables away.
 */
static void follow_directory_locked(void)
{
	uint32_t number = atomic_load_explicit(&directory->generation, memory_order_acquire);
	if (current && current->number == number)
		return;
	struct generation *gen = find_locked(number ? number : 1);
	if (!gen)
		gen = map_generation(number ? number : 1);
	if (!gen)
		return;
	if (!number) {
		uint32_t expected = 0;
		if (!atomic_compare_exchange_strong_explicit(&directory->generation, &expected, 1,
							     memory_order_acq_rel,
							     memory_order_acquire)
		    && expected != 1) {
			/* Someone published another generation meanwhile: follow that. */
			if (!find_locked(1))
				unmap(gen);
			follow_directory_locked();
			return;
		}
	}
	make_current_locked(gen);
	scan_peers_locked();
	/* Logging is a setting too: follow it with the generation. */
	struct drv_config config;
	drv_config_read(&config);
	drv_trace_init(config.logging != 0);
}

static BOOL CALLBACK attach(PINIT_ONCE once, PVOID param, PVOID *context)
{
	(void)once; (void)param; (void)context;
	struct drv_config config;
	drv_config_read(&config);
	drv_trace_init(config.logging != 0);
	own_pid = GetCurrentProcessId();
	own_start_time = query_start_time();

	bool created;
	directory_mapping = create_mapping(DRV_DIRECTORY_NAME, sizeof(struct lc_shm_directory),
					   &created);
	if (directory_mapping)
		directory = MapViewOfFile(directory_mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0,
					  sizeof(struct lc_shm_directory));
	if (!directory) {
		DRV_ERR("directory not mapped: %lu", GetLastError());
		attach_result = LC_E_NO_MEMORY;
		return TRUE;
	}
	AcquireSRWLockExclusive(&gens_lock);
	follow_directory_locked();
	attach_result = current ? 0 : LC_E_NO_MEMORY;
	ReleaseSRWLockExclusive(&gens_lock);
	return TRUE;
}

int drv_shm_attach(void)
{
	InitOnceExecuteOnce(&attach_once, attach, NULL, NULL);
	return attach_result;
}

struct lc_shm *drv_shm_acquire(void)
{
	if (drv_shm_attach() != 0)
		return NULL;
	AcquireSRWLockExclusive(&gens_lock);
	follow_directory_locked();
	struct generation *gen = current;
	if (gen)
		gen->refs++;
	ReleaseSRWLockExclusive(&gens_lock);
	return gen ? &gen->shm : NULL;
}

void drv_shm_release(struct lc_shm *shm)
{
	if (!shm)
		return;
	AcquireSRWLockExclusive(&gens_lock);
	put_locked((struct generation *)shm);
	ReleaseSRWLockExclusive(&gens_lock);
}

int drv_shm_acquire_all(struct lc_shm **out, int cap)
{
	int n = 0;
	if (drv_shm_attach() != 0)
		return 0;
	AcquireSRWLockExclusive(&gens_lock);
	follow_directory_locked();
	scan_peers_locked();
	if (current && n < cap) {
		current->refs++;
		out[n++] = &current->shm;
	}
	for (struct generation *g = gens; g && n < cap; g = g->next) {
		if (g != current) {
			g->refs++;
			out[n++] = &g->shm;
		}
	}
	ReleaseSRWLockExclusive(&gens_lock);
	return n;
}

int drv_shm_peers(const struct lc_shm *own, uint32_t cable, struct lc_shm **out, int cap)
{
	int n = 0;
	AcquireSRWLockExclusive(&gens_lock);
	for (struct generation *g = gens; g && n < cap; g = g->next) {
		if (&g->shm != own && lc_mix_peer_compatible(own, &g->shm, cable)) {
			g->refs++;
			out[n++] = &g->shm;
		}
	}
	ReleaseSRWLockExclusive(&gens_lock);
	return n;
}

uint32_t drv_shm_apply_config(void)
{
	if (drv_shm_attach() != 0)
		return 0;
	uint32_t published = 0;
	struct generation *old = NULL;
	AcquireSRWLockExclusive(&gens_lock);
	for (int attempt = 0; attempt < APPLY_TRIES && !published; attempt++) {
		follow_directory_locked();
		uint32_t number = atomic_load_explicit(&directory->generation, memory_order_acquire);
		uint32_t next = number + 1 ? number + 1 : 1;
		/* If another process is creating `next` right now, this maps its section and
		 * the compare-exchange below decides which of us publishes it. */
		struct generation *gen = find_locked(next);
		if (!gen && !(gen = map_generation(next)))
			break;
		/* The cables' volumes and mutes are the user's, not the settings': they
		 * carry over (before anyone can use the new generation). */
		for (uint32_t c = 0; current && c < gen->shm.n_cables && c < current->shm.n_cables; c++)
			lc_shm_cable_copy_volume(&gen->shm, c, &current->shm, c);
		uint32_t expected = number;
		if (atomic_compare_exchange_strong_explicit(&directory->generation, &expected, next,
							    memory_order_acq_rel,
							    memory_order_acquire)) {
			old = current;
			if (old)
				old->refs++; /* kept for the retire event below */
			make_current_locked(gen);
			published = next;
		} else if (!find_locked(next)) {
			unmap(gen);
		}
	}
	if (published) {
		struct drv_config config;
		drv_config_read(&config);
		drv_trace_init(config.logging != 0);
	}
	ReleaseSRWLockExclusive(&gens_lock);
	if (old) {
		/* Outside the lock: posting calls DriverCallback. */
		lc_shm_retire(&old->shm);
		drv_panel_post(&old->shm, lc_event_pack(LC_EVENT_CONFIG_CHANGED, LC_EVENT_NO_INDEX,
							LC_EVENT_NO_INDEX, LC_EVENT_KIND_NONE));
		drv_shm_release(&old->shm);
	}
	DRV_TRACE("settings applied: generation %u", published);
	return published;
}

uint64_t drv_shm_now_ticks(void)
{
	LARGE_INTEGER now;
	QueryPerformanceCounter(&now);
	return (uint64_t)now.QuadPart;
}

uint64_t drv_shm_frame_at(const struct lc_shm *shm, uint32_t cable, uint64_t ticks)
{
	return lc_clock_frame_at(&shm->clock, ticks, shm->cables[cable].rate_hz);
}

uint32_t drv_shm_pid(void)
{
	return own_pid;
}

uint64_t drv_shm_start_time(void)
{
	return own_start_time;
}
