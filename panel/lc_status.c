/* SPDX-License-Identifier: MIT */
/* lc_status.c — reading the shared sections for tools (lc_status.h). */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "drv_regkeys.h"
#include "lc_clock.h"
#include "lc_fmt.h"
#include "lc_gens.h"
#include "lc_mix.h"
#include "lc_result.h"
#include "lc_status.h"

/* One mapped generation (drv_shm.h). */
struct view {
	HANDLE mapping;
	void *base;
	struct lc_shm shm;
};

/* The mappings stay open once found: re-validating them at display rate is cheap, and
 * holding the published section keeps it (and its timeline) alive while the tool looks.
 * The directory names the published generation; when it moves on, the tool follows at
 * its next read.  Older generations that still have clients are mapped beside it, as
 * the driver's readers mix them; which ones to open, and that one found gone or empty
 * is never opened again, is lc_gens.h's policy, the driver's too.  When the published
 * section cannot be opened (its publisher left before anyone else mapped it, or it is
 * being formatted), the newest older generation with clients stands in: every client
 * still playing or recording is shown, whatever state the generations are in. */
static HANDLE directory_mapping;
static struct lc_shm_directory *directory;
static struct view published;
static struct view peers[LC_GENS_LOOKBACK];
static struct lc_gens tracker;

static int open_directory(void)
{
	if (directory)
		return 0;
	directory_mapping = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE,
					     DRV_DIRECTORY_NAME);
	if (!directory_mapping)
		return LC_E_STATE;
	directory = MapViewOfFile(directory_mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0,
				  sizeof(*directory));
	if (!directory) {
		CloseHandle(directory_mapping);
		directory_mapping = NULL;
		return LC_E_NO_MEMORY;
	}
	return 0;
}

static void close_view(struct view *v)
{
	if (v->base)
		UnmapViewOfFile(v->base);
	if (v->mapping)
		CloseHandle(v->mapping);
	memset(v, 0, sizeof(*v));
}

/* Maps an existing generation into *out.  LC_E_STATE: it does not exist; LC_E_NO_SLOT:
 * it exists but is still being formatted. */
static int open_view(uint32_t generation, struct view *out)
{
	wchar_t name[DRV_SECTION_NAME_CHARS];
	drv_section_name(generation, name);
	struct view v = { 0 };
	v.mapping = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, name);
	if (!v.mapping)
		return LC_E_STATE;
	v.base = MapViewOfFile(v.mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, 0);
	MEMORY_BASIC_INFORMATION region;
	int result = v.base && VirtualQuery(v.base, &region, sizeof(region))
		? lc_shm_open(&v.shm, v.base, region.RegionSize) : LC_E_NO_MEMORY;
	if (result == LC_E_STATE)
		result = LC_E_NO_SLOT; /* its creator is still formatting it: not "gone" */
	if (result == 0 && v.shm.config_generation != generation)
		result = LC_E_CORRUPT;
	if (result != 0) {
		close_view(&v);
		return result;
	}
	*out = v;
	return 0;
}

static struct view *find_peer(uint32_t generation)
{
	for (uint32_t i = 0; i < LC_GENS_LOOKBACK; i++)
		if (peers[i].base && peers[i].shm.config_generation == generation)
			return &peers[i];
	return NULL;
}

static struct view *free_peer(void)
{
	for (uint32_t i = 0; i < LC_GENS_LOOKBACK; i++)
		if (!peers[i].base)
			return &peers[i];
	return NULL;
}

/* Keeps every older generation within reach that has clients mapped, and tells the
 * tracker what each one holds now. */
static void follow_peers(void)
{
	for (uint32_t i = 0; i < LC_GENS_LOOKBACK; i++) {
		struct view *p = &peers[i];
		if (!p->base)
			continue;
		uint32_t g = p->shm.config_generation;
		bool live = lc_shm_has_clients(&p->shm);
		lc_gens_found(&tracker, g, live ? LC_GEN_LIVE : LC_GEN_EMPTY);
		if (!live || !lc_gens_in_reach(&tracker, g))
			close_view(p);
	}
	uint32_t look[LC_GENS_LOOKBACK];
	uint32_t n = lc_gens_select(&tracker, LC_GEN_UNKNOWN, look, LC_GENS_LOOKBACK);
	for (uint32_t i = 0; i < n; i++) {
		struct view *slot = free_peer();
		if (!slot)
			break;
		int result = open_view(look[i], slot);
		if (result == LC_E_NO_SLOT)
			continue; /* being formatted: look again next time */
		enum lc_gen_state found = result == LC_E_STATE ? LC_GEN_GONE
					  : result != 0 || !lc_shm_has_clients(&slot->shm)
					  ? LC_GEN_EMPTY : LC_GEN_LIVE;
		lc_gens_found(&tracker, look[i], found);
		if (found != LC_GEN_LIVE)
			close_view(slot);
	}
}

/* The generation whose cables a read shows: the published one, or the one standing in
 * for it; NULL when there is none. */
static struct view *base_view(void)
{
	return published.base ? &published : find_peer(lc_gens_stand_in(&tracker));
}

/* LC_E_STATE: nothing to show (nobody has the driver loaded, or the published
 * generation is gone and no older one has clients). */
static int attach(void)
{
	int result = open_directory();
	if (result != 0)
		return result;
	uint32_t generation = atomic_load_explicit(&directory->generation, memory_order_acquire);
	if (!generation)
		return LC_E_STATE;
	lc_gens_follow(&tracker, generation);
	if (published.base && published.shm.config_generation != generation) {
		/* Older now: it stays mapped while it has clients (follow_peers decides). */
		struct view *slot = free_peer();
		if (slot && lc_gens_in_reach(&tracker, published.shm.config_generation)) {
			*slot = published;
			memset(&published, 0, sizeof(published));
		} else {
			close_view(&published);
		}
	}
	if (!published.base) {
		result = open_view(generation, &published);
		/* Gone or being formatted: an older generation stands in (base_view). */
		if (result != 0 && result != LC_E_STATE && result != LC_E_NO_SLOT)
			return result;
	}
	follow_peers();
	return base_view() ? 0 : LC_E_STATE;
}

/* Executable names by (pid, start time): asked of the OS once per process, not at
 * display rate. */
#define NAME_CACHE 64
static struct {
	uint32_t pid;
	uint64_t start_time;
	char name[64];
} name_cache[NAME_CACHE];
static uint32_t name_cache_next;

static void process_name(uint32_t pid, uint64_t start_time, char out[64])
{
	for (uint32_t i = 0; i < NAME_CACHE; i++) {
		if (name_cache[i].pid == pid && name_cache[i].start_time == start_time) {
			memcpy(out, name_cache[i].name, 64);
			return;
		}
	}
	out[0] = '\0';
	HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
	if (!process)
		return; /* not cached: it may be a process we may not look at yet */
	wchar_t path[MAX_PATH];
	DWORD size = MAX_PATH;
	if (QueryFullProcessImageNameW(process, 0, path, &size)) {
		const wchar_t *base = wcsrchr(path, L'\\');
		base = base ? base + 1 : path;
		if (!WideCharToMultiByte(CP_UTF8, 0, base, -1, out, 64, NULL, NULL))
			out[0] = '\0';
	}
	CloseHandle(process);
	uint32_t slot = name_cache_next++ % NAME_CACHE;
	name_cache[slot].pid = pid;
	name_cache[slot].start_time = start_time;
	memcpy(name_cache[slot].name, out, 64);
}

static void read_client(struct lc_shm *shm, uint32_t cable, enum lc_slot_kind kind,
			uint32_t index, const struct lc_slot_info *info, uint64_t now,
			struct lc_status_cable *out)
{
	if (out->n_clients >= LC_STATUS_MAX_CLIENTS)
		return;
	struct lc_status_client *c = &out->clients[out->n_clients++];
	c->kind = kind;
	c->slot = index;
	c->generation = shm->config_generation;
	c->pid = info->pid;
	process_name(info->pid, info->start_time, c->process);
	c->buffer_bytes = info->counts.buffer_bytes > UINT32_MAX
		? UINT32_MAX : (uint32_t)info->counts.buffer_bytes;
	c->ahead_ms = -1;
	if (kind == LC_SLOT_WRITER) {
		/* How far the writer's cursor is ahead of now; a value beyond the ring is
		 * not a position a live writer can have (stale or damaged): shown as 0. */
		uint64_t end = atomic_load_explicit(&lc_shm_writer_at(shm, cable, index)->ring.end,
						    memory_order_relaxed);
		uint32_t ring = shm->cables[cable].ring_frames;
		uint64_t ahead = end > now && end - now <= ring ? end - now : 0;
		c->ahead_ms = (float)((double)ahead * 1000.0 / out->rate_hz);
	}
	c->fmt = info->fmt;
	c->volume = info->volume;
	c->mute = info->mute;
	c->counts = info->counts;
	struct lc_shm_meter *meter = kind == LC_SLOT_WRITER
		? &lc_shm_writer_at(shm, cable, index)->meter
		: &lc_shm_reader_at(shm, cable, index)->meter;
	for (uint32_t ch = 0; ch < out->n_channels; ch++) {
		c->peak[ch] = lc_meter_level(meter, ch, now, out->rate_hz);
		if (kind == LC_SLOT_WRITER && c->peak[ch] > out->peak[ch])
			out->peak[ch] = c->peak[ch];
	}
}

/* Every active client of `cable` in shm. */
static void read_clients(struct lc_shm *shm, uint32_t cable, uint64_t ticks,
			 struct lc_status_cable *out)
{
	uint64_t now = lc_clock_frame_at(&shm->clock, ticks, shm->cables[cable].rate_hz);
	for (int k = LC_SLOT_WRITER; k <= LC_SLOT_READER; k++) {
		uint32_t n = k == LC_SLOT_WRITER ? LC_WRITER_SLOTS : LC_READER_SLOTS;
		for (uint32_t i = 0; i < n; i++) {
			struct lc_slot_info info;
			if (lc_shm_slot_info(shm, k, cable, i, &info) == 0
			    && info.state == LC_SLOT_ACTIVE)
				read_client(shm, cable, k, i, &info, now, out);
		}
	}
}

/* Clients of a peer's cables that are not one of base's cables any more (removed, or
 * another rate or channel count). */
static uint32_t count_detached(struct lc_shm *base, struct lc_shm *peer)
{
	uint32_t n = 0;
	for (uint32_t c = 0; c < peer->n_cables; c++) {
		if (lc_mix_peer_compatible(base, peer, c))
			continue;
		for (int k = LC_SLOT_WRITER; k <= LC_SLOT_READER; k++) {
			uint32_t slots = k == LC_SLOT_WRITER ? LC_WRITER_SLOTS : LC_READER_SLOTS;
			for (uint32_t i = 0; i < slots; i++) {
				struct lc_slot_info info;
				n += lc_shm_slot_info(peer, k, c, i, &info) == 0
				     && info.state == LC_SLOT_ACTIVE;
			}
		}
	}
	return n;
}

int lc_status_read(struct lc_status *status)
{
	memset(status, 0, sizeof(*status));
	int result = attach();
	if (result == LC_E_STATE)
		return 0;
	if (result != 0)
		return result;
	struct view *base = base_view();
	struct lc_shm *shm = &base->shm;
	if (lc_shm_verify(shm) != 0)
		return LC_E_CORRUPT;
	status->running = true;
	status->config_generation = shm->config_generation;
	status->n_cables = shm->n_cables;
	status->event_seq = lc_shm_event_seq(shm);
	LARGE_INTEGER ticks;
	QueryPerformanceCounter(&ticks);
	for (uint32_t c = 0; c < shm->n_cables; c++) {
		struct lc_status_cable *out = &status->cables[c];
		const struct lc_shm_cable_desc *desc = &shm->cables[c];
		memcpy(out->name, desc->name, LC_NAME_BYTES);
		out->rate_hz = desc->rate_hz;
		out->n_channels = desc->n_channels;
		out->ring_frames = desc->ring_frames;
		struct lc_shm_cable *cable = lc_shm_cable_at(shm, c);
		/* The effective gain: 0 while muted. */
		out->volume = lc_shm_gain(shm, &cable->ctl.volume, &cable->ctl.mute);
		out->mute = atomic_load_explicit(&cable->ctl.mute, memory_order_relaxed) != 0;
		read_clients(shm, c, (uint64_t)ticks.QuadPart, out);
		for (uint32_t p = 0; p < LC_GENS_LOOKBACK; p++) {
			if (peers[p].base && &peers[p] != base
			    && lc_mix_peer_compatible(shm, &peers[p].shm, c)
			    && lc_shm_verify(&peers[p].shm) == 0)
				read_clients(&peers[p].shm, c, (uint64_t)ticks.QuadPart, out);
		}
	}
	for (uint32_t p = 0; p < LC_GENS_LOOKBACK; p++)
		if (peers[p].base && &peers[p] != base && lc_shm_verify(&peers[p].shm) == 0)
			status->n_detached += count_detached(shm, &peers[p].shm);
	return 0;
}

int lc_status_set_cable_volume(uint32_t cable, float volume, bool mute)
{
	int result = attach();
	if (result != 0)
		return result;
	/* A cable's volume is the cable's in every generation that has it, so readers
	 * opened before a settings change follow too. */
	struct view *base = base_view();
	result = lc_shm_cable_set_volume(&base->shm, cable, volume, mute);
	for (uint32_t p = 0; p < LC_GENS_LOOKBACK && result == 0; p++)
		if (peers[p].base && &peers[p] != base
		    && lc_mix_peer_compatible(&base->shm, &peers[p].shm, cable))
			lc_shm_cable_set_volume(&peers[p].shm, cable, volume, mute);
	return result;
}

void lc_status_format_name(const struct lc_shm_fmt *fmt, char *out, int size)
{
	snprintf(out, (size_t)size, "%s %u Hz %u ch", lc_fmt_sample_name((enum lc_fmt_sample)fmt->sample),
		 fmt->rate_hz, fmt->n_channels);
}
