/* SPDX-License-Identifier: MIT */
/* drv_shm_win32.c — the directory, the generations' sections and the clock (drv_shm.h). */
#include <windows.h>
#include <winternl.h>
#include <stdio.h>
#include <stdlib.h>

#include "drv_panel.h"
#include "drv_regkeys.h"
#include "drv_security.h"
#include "drv_shm.h"
#include "drv_trace.h"
#include "lc_event.h"
#include "lc_gens.h"
#include "lc_mix.h"
#include "lc_result.h"

/* How long an opener waits for a creator that is still formatting a section. */
#define OPEN_WAIT_MS 2000
/* After a generation could not be mapped, how long before trying it again (every
 * GETNUMDEVS would otherwise pay for the attempt). */
#define RETRY_MS 1000
/* Concurrent appliers: how often one retries after another published first. */
#define APPLY_TRIES 4
/* How long a process whose leaving would take the published generation with it waits,
 * at DRV_FREE, for a process with clients on an older generation to take it up (each
 * follows at its next reaper pass, ~250 ms): see hand_over_published. */
#define HANDOVER_MS 2000

/*
 * One attached generation.  shm comes first: a struct lc_shm * handed out is one.
 *
 * References: taken with InterlockedIncrement under gens_lock, shared or exclusive;
 * dropped only under the exclusive lock (put_locked), so a count that reaches 0 there
 * cannot be raised again meanwhile.
 */
struct generation {
	struct lc_shm shm;
	HANDLE mapping;
	void *view;
	uint32_t number;
	volatile LONG refs; /* handed out, + 1 while current, + 1 while a peer */
	bool peer;          /* holds the peer reference */
	struct generation *next;
};

static SRWLOCK attach_lock = SRWLOCK_INIT;
static HANDLE directory_mapping;
static struct lc_shm_directory *directory;
static uint32_t own_pid;
static uint64_t own_start_time;

static SRWLOCK gens_lock = SRWLOCK_INIT;
static struct generation *gens;
static struct generation *current;
/* What is known of the generations before the current one (lc_gens.h); written under
 * gens_lock exclusive, read under it shared. */
static struct lc_gens tracker;
/* Guarded by gens_lock (exclusive). */
static uint32_t failed_number;
static uint64_t failed_until_ms;
static _Atomic uint32_t settings_seen;

static uint64_t query_start_time(void)
{
	FILETIME created, exited, kernel, user;
	if (!GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user))
		return 1; /* never 0: 0 means "unpublished" to the core */
	return ((uint64_t)created.dwHighDateTime << 32) | created.dwLowDateTime;
}

/* Opens or creates a section with LoopCable's descriptor (drv_security.h); *created
 * tells whether the name was new.  Size is ignored when it exists: the creator sized it. */
static HANDLE create_mapping(const wchar_t *name, uint64_t size, bool *created)
{
	return drv_security_create_section(name, size, created);
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

/* Maps gen->mapping and formats (shm_config given: the name was new) or validates the
 * section.  Frees gen and returns NULL on failure. */
static struct generation *open_view(struct generation *gen, const struct lc_shm_config *shm_config)
{
	/* Size 0 maps the whole section, whichever process sized it. */
	gen->view = MapViewOfFile(gen->mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, 0);
	MEMORY_BASIC_INFORMATION info;
	int result = LC_E_NO_MEMORY;
	if (gen->view && VirtualQuery(gen->view, &info, sizeof(info))) {
		if (shm_config) {
			struct lc_clock clock = shared_clock();
			result = lc_shm_init(&gen->shm, gen->view, info.RegionSize, shm_config,
					     &clock, gen->number);
		} else {
			/* The creator may still be formatting it: wait, with a real deadline
			 * (Sleep(1) can last a whole 15.6 ms timer tick). */
			uint64_t deadline = GetTickCount64() + OPEN_WAIT_MS;
			while ((result = lc_shm_open(&gen->shm, gen->view, info.RegionSize))
				       == LC_E_STATE
			       && GetTickCount64() < deadline)
				Sleep(1);
			/* The name promised this generation: anything else is not ours. */
			if (result == 0 && gen->shm.config_generation != gen->number)
				result = LC_E_CORRUPT;
		}
	}
	DRV_TRACE("generation %u %s: %s, %u cables, %llu bytes", gen->number,
		  shm_config ? "created" : "opened", lc_result_str(result), gen->shm.n_cables,
		  (unsigned long long)gen->shm.section_bytes);
	if (result != 0) {
		unmap(gen);
		return NULL;
	}
	return gen;
}

/* Maps a generation that some process holds; never creates one.  NULL when it is gone
 * (or fails validation). */
static struct generation *map_existing(uint32_t number)
{
	wchar_t name[DRV_SECTION_NAME_CHARS];
	drv_section_name(number, name);
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
	return open_view(gen, NULL);
}

/* The settings a new section is made of: the registry's, or the defaults when the
 * registry asks for something that cannot be made (edited by hand: too large). */
static void settings_for_new_section(struct lc_shm_config *out)
{
	struct drv_config config;
	drv_config_read(&config);
	drv_config_to_shm(&config, out);
	if (!lc_shm_size_for(out)) {
		DRV_ERR("the registry settings do not fit one section: using the defaults");
		lc_shm_config_default(out);
	}
}

/* Maps generation `number`: the existing section if any process holds it, else a new
 * one made from the registry settings (also when every holder exited: the name names
 * nothing then).  *created tells which.  Called without gens_lock: it may take long. */
static struct generation *map_generation(uint32_t number, bool *created)
{
	*created = false;
	struct generation *gen = map_existing(number);
	if (gen)
		return gen;
	struct lc_shm_config shm_config;
	settings_for_new_section(&shm_config);
	wchar_t name[DRV_SECTION_NAME_CHARS];
	drv_section_name(number, name);
	gen = calloc(1, sizeof(*gen));
	if (!gen || !(gen->mapping = create_mapping(name, lc_shm_size_for(&shm_config), created))) {
		free(gen);
		return NULL;
	}
	gen->number = number;
	/* Lost a race to another creator: open theirs. */
	return open_view(gen, *created ? &shm_config : NULL);
}

static struct generation *find_locked(uint32_t number)
{
	for (struct generation *g = gens; g; g = g->next)
		if (g->number == number)
			return g;
	return NULL;
}

/* Whether an older generation can be a peer: within reach (the tracker hangs from the
 * current generation) and with writers left. */
static bool peer_worthy_locked(struct generation *gen)
{
	return current && gen != current && lc_gens_in_reach(&tracker, gen->number)
	       && lc_shm_has_writers(&gen->shm);
}

/* What an older generation let go holds now, for the tracker: one with readers only is
 * no peer, but it is not empty either (and gains no writers: not looked at again). */
static enum lc_gen_state state_of(const struct generation *gen)
{
	return lc_shm_has_clients(&gen->shm) ? LC_GEN_LIVE : LC_GEN_EMPTY;
}

/* Drops a reference.  The last one unmaps, unless other processes still have writers
 * there that our readers must hear: then it stays, as a peer. */
static void put_locked(struct generation *gen)
{
	if (InterlockedDecrement(&gen->refs) > 0)
		return;
	if (!gen->peer && peer_worthy_locked(gen)) {
		gen->peer = true;
		gen->refs = 1;
		return;
	}
	for (struct generation **link = &gens; *link; link = &(*link)->next) {
		if (*link == gen) {
			*link = gen->next;
			break;
		}
	}
	lc_gens_found(&tracker, gen->number, state_of(gen));
	DRV_TRACE("generation %u unmapped", gen->number);
	unmap(gen);
}

static void insert_locked(struct generation *gen)
{
	gen->next = gens;
	gens = gen;
}

/* Makes `gen` (in the list) the current generation; a peer's reference becomes the
 * current one's. */
static void make_current_locked(struct generation *gen)
{
	if (gen == current)
		return;
	if (gen->peer)
		gen->peer = false;
	else
		InterlockedIncrement(&gen->refs);
	struct generation *old = current;
	current = gen;
	lc_gens_follow(&tracker, gen->number);
	if (old)
		put_locked(old);
}

/* Logging is a setting too, and changes without a new generation: follow it. */
static void follow_settings(void)
{
	uint32_t seq = atomic_load_explicit(&directory->settings_seq, memory_order_acquire);
	if (atomic_exchange_explicit(&settings_seen, seq, memory_order_acq_rel) != seq) {
		struct drv_config config;
		drv_config_read(&config);
		drv_trace_init(config.logging != 0);
	}
}

/* Peers: older generations that still have writers somewhere (drv_shm.h).  Which ones
 * to open, and that one found gone or empty is never opened again, is lc_gens.h's
 * policy, the tools' too. */
static void scan_peers(void)
{
	uint32_t want[LC_GENS_LOOKBACK];
	uint32_t n_want = 0;
	AcquireSRWLockExclusive(&gens_lock);
	for (struct generation *g = gens; g;) {
		struct generation *next = g->next;
		if (g->peer && !peer_worthy_locked(g)) {
			g->peer = false;
			put_locked(g);
		}
		g = next;
	}
	uint32_t n_peers = 0;
	for (struct generation *g = gens; g; g = g->next)
		n_peers += g != current;
	uint32_t unknown[LC_GENS_LOOKBACK];
	uint32_t n_unknown = current ? lc_gens_select(&tracker, LC_GEN_UNKNOWN, unknown,
						      LC_GENS_LOOKBACK) : 0;
	for (uint32_t i = 0; i < n_unknown && n_peers + n_want < LC_MIX_MAX_PEERS; i++)
		if (!find_locked(unknown[i]))
			want[n_want++] = unknown[i];
	ReleaseSRWLockExclusive(&gens_lock);

	for (uint32_t i = 0; i < n_want; i++) {
		struct generation *gen = map_existing(want[i]);
		AcquireSRWLockExclusive(&gens_lock);
		if (gen && !find_locked(want[i]) && peer_worthy_locked(gen)) {
			gen->peer = true;
			gen->refs = 1;
			insert_locked(gen);
			lc_gens_found(&tracker, want[i], LC_GEN_LIVE);
			gen = NULL;
		} else if (!find_locked(want[i])) {
			lc_gens_found(&tracker, want[i], gen ? state_of(gen) : LC_GEN_GONE);
		}
		ReleaseSRWLockExclusive(&gens_lock);
		if (gen)
			unmap(gen);
	}
}

/*
 * Follows the directory.  Generation 0 means none was published (a fresh session):
 * generation 1 is created and published.  A generation that cannot be mapped leaves
 * the current one in place (and is retried after RETRY_MS), so a damaged newer section
 * never takes cables away.  Sections are mapped and formatted without gens_lock: the
 * pump's readers take it every few milliseconds.
 */
static void follow_directory(void)
{
	for (int attempt = 0; attempt < APPLY_TRIES; attempt++) {
		uint32_t number = atomic_load_explicit(&directory->generation, memory_order_acquire);
		uint32_t wanted = number ? number : 1;
		AcquireSRWLockShared(&gens_lock);
		bool done = current && current->number == wanted;
		bool backoff = wanted == failed_number && GetTickCount64() < failed_until_ms;
		ReleaseSRWLockShared(&gens_lock);
		if (done || backoff)
			return;

		AcquireSRWLockExclusive(&gens_lock);
		struct generation *held = number ? find_locked(wanted) : NULL;
		if (held)
			make_current_locked(held);
		ReleaseSRWLockExclusive(&gens_lock);
		if (held)
			break;

		bool created;
		struct generation *gen = map_generation(wanted, &created);
		if (!gen) {
			AcquireSRWLockExclusive(&gens_lock);
			failed_number = wanted;
			failed_until_ms = GetTickCount64() + RETRY_MS;
			ReleaseSRWLockExclusive(&gens_lock);
			return;
		}
		if (!number) {
			uint32_t expected = 0;
			if (!atomic_compare_exchange_strong_explicit(&directory->generation, &expected, 1,
								     memory_order_acq_rel,
								     memory_order_acquire)
			    && expected != 1) {
				/* Someone published another generation meanwhile: follow that. */
				unmap(gen);
				continue;
			}
		}
		AcquireSRWLockExclusive(&gens_lock);
		struct generation *existing = find_locked(wanted);
		if (!existing) {
			insert_locked(gen);
			/* Made anew although the directory named it: its applier exited before
			 * anyone else mapped it.  The cables' volumes are the user's: keep them. */
			for (uint32_t c = 0; created && current && c < gen->shm.n_cables
					     && c < current->shm.n_cables; c++)
				lc_shm_cable_copy_volume(&gen->shm, c, &current->shm, c);
		}
		make_current_locked(existing ? existing : gen);
		ReleaseSRWLockExclusive(&gens_lock);
		if (existing)
			unmap(gen);
		break;
	}
	scan_peers();
}

static bool attach_locked(void)
{
	if (directory)
		return true;
	own_pid = GetCurrentProcessId();
	own_start_time = query_start_time();
	bool created;
	HANDLE mapping = create_mapping(DRV_DIRECTORY_NAME, sizeof(struct lc_shm_directory),
					&created);
	struct lc_shm_directory *view = mapping
		? MapViewOfFile(mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0,
				sizeof(struct lc_shm_directory))
		: NULL;
	if (!view) {
		DRV_ERR("directory not mapped: %lu", GetLastError());
		if (mapping)
			CloseHandle(mapping);
		return false;
	}
	directory_mapping = mapping;
	directory = view;
	return true;
}

int drv_shm_attach(void)
{
	/* Not INIT_ONCE: a failed attach (no memory for the section right now) must be
	 * tried again by the next call, not remembered for the process's lifetime. */
	AcquireSRWLockShared(&attach_lock);
	bool attached = directory != NULL;
	ReleaseSRWLockShared(&attach_lock);
	if (!attached) {
		AcquireSRWLockExclusive(&attach_lock);
		if (!directory) {
			struct drv_config config;
			drv_config_read(&config);
			drv_trace_init(config.logging != 0);
		}
		attached = attach_locked();
		ReleaseSRWLockExclusive(&attach_lock);
		if (!attached)
			return LC_E_NO_MEMORY;
	}
	follow_directory();
	follow_settings();
	AcquireSRWLockShared(&gens_lock);
	bool ok = current != NULL;
	ReleaseSRWLockShared(&gens_lock);
	return ok ? 0 : LC_E_NO_MEMORY;
}

struct lc_shm *drv_shm_acquire(void)
{
	return drv_shm_attach() == 0 ? drv_shm_acquire_attached() : NULL;
}

void drv_shm_release(struct lc_shm *shm)
{
	if (!shm)
		return;
	AcquireSRWLockExclusive(&gens_lock);
	put_locked((struct generation *)shm);
	ReleaseSRWLockExclusive(&gens_lock);
}

bool drv_shm_is_current(const struct lc_shm *shm)
{
	/* Pairs with the publisher's compare-exchange: a claim made before this load is
	 * seen by anyone who saw the newer generation published. */
	atomic_thread_fence(memory_order_seq_cst);
	return atomic_load_explicit(&directory->generation, memory_order_seq_cst)
	       == shm->config_generation;
}

int drv_shm_acquire_all(struct lc_shm **out, int cap)
{
	if (drv_shm_attach() != 0)
		return 0;
	/* The reaper's pass (every ~250 ms) is also when older generations are looked for
	 * and let go. */
	scan_peers();
	int n = 0;
	AcquireSRWLockShared(&gens_lock);
	for (struct generation *g = gens; g && n < cap; g = g->next) {
		InterlockedIncrement(&g->refs);
		out[n++] = &g->shm;
	}
	ReleaseSRWLockShared(&gens_lock);
	return n;
}

int drv_shm_peers(const struct lc_shm *own, uint32_t cable, struct lc_shm **out, int cap)
{
	int n = 0;
	AcquireSRWLockShared(&gens_lock);
	for (struct generation *g = gens; g && n < cap; g = g->next) {
		if (&g->shm != own && lc_mix_peer_compatible(own, &g->shm, cable)) {
			InterlockedIncrement(&g->refs);
			out[n++] = &g->shm;
		}
	}
	ReleaseSRWLockShared(&gens_lock);
	return n;
}

/* Whether a and b describe the same cables (then nothing needs a new generation). */
static bool same_layout(const struct lc_shm *shm, const struct lc_shm_config *config)
{
	if (shm->n_cables != config->n_cables)
		return false;
	for (uint32_t c = 0; c < config->n_cables; c++) {
		const struct lc_shm_cable_desc *d = &shm->cables[c];
		const struct lc_shm_cable_config *k = &config->cables[c];
		if (d->rate_hz != k->rate_hz || d->n_channels != k->n_channels
		    || d->ring_frames != k->ring_frames || strcmp(d->name, k->name) != 0)
			return false;
	}
	return true;
}

uint32_t drv_shm_apply_config(void)
{
	if (drv_shm_attach() != 0)
		return 0;
	struct lc_shm_config wanted;
	settings_for_new_section(&wanted);
	/* Settings that do not change a section (logging) are announced without one. */
	atomic_fetch_add_explicit(&directory->settings_seq, 1, memory_order_acq_rel);
	follow_settings();
	uint32_t published = 0;
	struct lc_shm *old = NULL;
	for (int attempt = 0; attempt < APPLY_TRIES && !published; attempt++) {
		struct lc_shm *base = drv_shm_acquire();
		if (!base)
			break;
		if (same_layout(base, &wanted) && drv_shm_is_current(base)) {
			/* Nothing a section holds changed: panels still hear of it (logging). */
			published = base->config_generation;
			drv_panel_post(base, lc_event_pack(LC_EVENT_CONFIG_CHANGED, LC_EVENT_NO_INDEX,
							   LC_EVENT_NO_INDEX, LC_EVENT_KIND_NONE));
			drv_shm_release(base);
			break;
		}
		uint32_t number = base->config_generation;
		uint32_t next = number + 1 ? number + 1 : 1;
		bool created;
		struct generation *gen = map_generation(next, &created);
		if (!gen) {
			drv_shm_release(base);
			break;
		}
		/* The cables' volumes and mutes are the user's, not the settings': they carry
		 * over before anyone can use the new generation. */
		for (uint32_t c = 0; created && c < gen->shm.n_cables && c < base->n_cables; c++)
			lc_shm_cable_copy_volume(&gen->shm, c, base, c);
		uint32_t expected = number;
		if (atomic_compare_exchange_strong_explicit(&directory->generation, &expected, next,
							    memory_order_seq_cst,
							    memory_order_seq_cst)) {
			AcquireSRWLockExclusive(&gens_lock);
			struct generation *existing = find_locked(next);
			if (!existing)
				insert_locked(gen);
			make_current_locked(existing ? existing : gen);
			ReleaseSRWLockExclusive(&gens_lock);
			if (existing)
				unmap(gen);
			old = base; /* keeps its reference for the retire event below */
			published = next;
		} else {
			/* Another process published first: build on theirs. */
			unmap(gen);
			drv_shm_release(base);
		}
	}
	if (old) {
		lc_shm_retire(old);
		drv_panel_post(old, lc_event_pack(LC_EVENT_CONFIG_CHANGED, LC_EVENT_NO_INDEX,
						  LC_EVENT_NO_INDEX, LC_EVENT_KIND_NONE));
		drv_shm_release(old);
		DRV_TRACE("settings applied: generation %u", published);
		scan_peers();
	} else if (!published) {
		DRV_ERR("settings not applied: no section for them");
	}
	return published;
}

/* How many handles to the section exist, in every process; 0 when that cannot be told
 * (then nobody waits for it).  NtQueryObject is resolved at run time: the driver links
 * no ntdll import library. */
static ULONG handle_count(HANDLE mapping)
{
	typedef NTSTATUS(NTAPI * query_object_fn)(HANDLE, OBJECT_INFORMATION_CLASS, PVOID, ULONG,
						  PULONG);
	HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
	query_object_fn query = ntdll ? (query_object_fn)(void (*)(void))GetProcAddress(
						ntdll, "NtQueryObject")
				      : NULL;
	PUBLIC_OBJECT_BASIC_INFORMATION info;
	if (!query || query(mapping, ObjectBasicInformation, &info, sizeof(info), NULL) < 0)
		return 0;
	return info.HandleCount;
}

/* Whether some process has clients on a generation before the current one: it follows
 * the current one at its next reaper pass.  Looks at every older generation within
 * reach not known to be gone or empty (clients of any kind: a recorder follows too). */
static bool followers_expected(void)
{
	uint32_t look[2 * LC_GENS_LOOKBACK];
	AcquireSRWLockShared(&gens_lock);
	uint32_t n = lc_gens_select(&tracker, LC_GEN_UNKNOWN, look, LC_GENS_LOOKBACK);
	n += lc_gens_select(&tracker, LC_GEN_LIVE, look + n, LC_GENS_LOOKBACK);
	ReleaseSRWLockShared(&gens_lock);
	bool expected = false;
	for (uint32_t i = 0; i < n && !expected; i++) {
		struct generation *gen = map_existing(look[i]);
		if (gen) {
			expected = lc_shm_has_clients(&gen->shm);
			unmap(gen);
		}
	}
	return expected;
}

/*
 * A section dies with its last handle.  A process that published a generation and
 * leaves at once (lc_settings.exe, a script's settings tool) would take it with it
 * before the processes still playing on older generations follow: for a moment the
 * published generation would not exist, and tools would look at nothing.  So the last
 * holder of the published generation waits, bounded, until another process holds it —
 * only when some process with clients will follow, which it does within a reaper pass.
 * (If it cannot wait — killed — the next process to follow makes the generation again
 * from the registry: drv_shm.h.)
 */
static void hand_over_published(void)
{
	AcquireSRWLockShared(&gens_lock);
	HANDLE mapping = current ? current->mapping : NULL;
	uint32_t number = current ? current->number : 0;
	ReleaseSRWLockShared(&gens_lock);
	if (!mapping || !directory
	    || atomic_load_explicit(&directory->generation, memory_order_acquire) != number
	    || handle_count(mapping) != 1 || !followers_expected())
		return;
	uint64_t start = GetTickCount64();
	while (handle_count(mapping) == 1
	       && atomic_load_explicit(&directory->generation, memory_order_acquire) == number
	       && GetTickCount64() - start < HANDOVER_MS)
		Sleep(5);
	DRV_TRACE("generation %u handed over after %llu ms (%lu handles)", number,
		  (unsigned long long)(GetTickCount64() - start), handle_count(mapping));
}

void drv_shm_detach(void)
{
	/* The pump has stopped: nothing else of this process uses the sections now. */
	hand_over_published();
	AcquireSRWLockExclusive(&gens_lock);
	/* Generations only this module's bookkeeping holds go; one a stream or a panel
	 * registration still holds (a client that never closed) stays mapped rather than
	 * pulled from under it. */
	struct generation **link = &gens;
	while (*link) {
		struct generation *g = *link;
		LONG internal = (g == current) + g->peer;
		if (g->refs <= internal) {
			*link = g->next;
			unmap(g);
		} else {
			link = &g->next;
		}
	}
	current = NULL;
	lc_gens_init(&tracker);
	ReleaseSRWLockExclusive(&gens_lock);
	AcquireSRWLockExclusive(&attach_lock);
	if (directory) {
		UnmapViewOfFile(directory);
		CloseHandle(directory_mapping);
		directory = NULL;
		directory_mapping = NULL;
	}
	ReleaseSRWLockExclusive(&attach_lock);
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

struct lc_shm *drv_shm_acquire_attached(void)
{
	AcquireSRWLockShared(&gens_lock);
	struct generation *gen = current;
	if (gen)
		InterlockedIncrement(&gen->refs);
	ReleaseSRWLockShared(&gens_lock);
	return gen ? &gen->shm : NULL;
}
