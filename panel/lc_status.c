/* SPDX-License-Identifier: MIT */
/* lc_status.c — reading the shared section for tools (lc_status.h). */
#include <windows.h>
#include <stdio.h>
#include <string.h>

#include "drv_regkeys.h"
#include "lc_clock.h"
#include "lc_fmt.h"
#include "lc_result.h"
#include "lc_status.h"

/* The mapping stays open once found: re-validating it at display rate is cheap, and
 * holding it keeps the section (and its timeline) alive while the tool looks. */
static struct lc_shm shm;
static HANDLE mapping;
static bool attached;

static int attach(void)
{
	if (attached)
		return 0;
	mapping = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, DRV_SECTION_NAME);
	if (!mapping)
		return LC_E_STATE;
	void *view = MapViewOfFile(mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, 0);
	MEMORY_BASIC_INFORMATION region;
	int result = view && VirtualQuery(view, &region, sizeof(region))
		? lc_shm_open(&shm, view, region.RegionSize) : LC_E_NO_MEMORY;
	if (result != 0) {
		if (view)
			UnmapViewOfFile(view);
		CloseHandle(mapping);
		return result;
	}
	attached = true;
	return 0;
}

static void read_client(uint32_t cable, enum lc_slot_kind kind, uint32_t index,
			const struct lc_slot_info *info, uint64_t now, struct lc_status_cable *out)
{
	struct lc_status_client *c = &out->clients[out->n_clients++];
	c->kind = kind;
	c->slot = index;
	c->pid = info->pid;
	c->fmt = info->fmt;
	c->volume = info->volume;
	c->mute = info->mute;
	c->counts = info->counts;
	struct lc_shm_meter *meter = kind == LC_SLOT_WRITER
		? &lc_shm_writer_at(&shm, cable, index)->meter
		: &lc_shm_reader_at(&shm, cable, index)->meter;
	for (uint32_t ch = 0; ch < out->n_channels; ch++) {
		c->peak[ch] = lc_meter_level(meter, ch, now, out->rate_hz);
		if (kind == LC_SLOT_WRITER && c->peak[ch] > out->peak[ch])
			out->peak[ch] = c->peak[ch];
	}
}

int lc_status_read(struct lc_status *status)
{
	memset(status, 0, sizeof(*status));
	int result = attach();
	if (result == LC_E_STATE)
		return 0;
	if (result != 0)
		return result;
	if (lc_shm_verify(&shm) != 0)
		return LC_E_CORRUPT;
	status->running = true;
	status->n_cables = shm.n_cables;
	status->event_seq = lc_shm_event_seq(&shm);
	LARGE_INTEGER ticks;
	QueryPerformanceCounter(&ticks);
	for (uint32_t c = 0; c < shm.n_cables; c++) {
		struct lc_status_cable *out = &status->cables[c];
		const struct lc_shm_cable_desc *desc = &shm.cables[c];
		memcpy(out->name, desc->name, LC_NAME_BYTES);
		out->rate_hz = desc->rate_hz;
		out->n_channels = desc->n_channels;
		out->ring_frames = desc->ring_frames;
		struct lc_shm_cable *cable = lc_shm_cable_at(&shm, c);
		/* The effective gain: 0 while muted. */
		out->volume = lc_shm_gain(&shm, &cable->ctl.volume, &cable->ctl.mute);
		out->mute = atomic_load_explicit(&cable->ctl.mute, memory_order_relaxed) != 0;
		uint64_t now = lc_clock_frame_at(&shm.clock, (uint64_t)ticks.QuadPart, desc->rate_hz);
		for (int k = LC_SLOT_WRITER; k <= LC_SLOT_READER; k++) {
			uint32_t n = k == LC_SLOT_WRITER ? LC_WRITER_SLOTS : LC_READER_SLOTS;
			for (uint32_t i = 0; i < n; i++) {
				struct lc_slot_info info;
				if (lc_shm_slot_info(&shm, k, c, i, &info) == 0
				    && info.state == LC_SLOT_ACTIVE)
					read_client(c, k, i, &info, now, out);
			}
		}
	}
	return 0;
}

int lc_status_set_volume(uint32_t cable, int kind, int slot, float volume, bool mute)
{
	int result = attach();
	if (result != 0)
		return result;
	if (slot < 0)
		return lc_shm_cable_set_volume(&shm, cable, volume, mute);
	return lc_shm_set_volume(&shm, kind, cable, (uint32_t)slot, volume, mute);
}

void lc_status_format_name(const struct lc_shm_fmt *fmt, char *out, int size)
{
	snprintf(out, (size_t)size, "%s %u Hz %u ch", lc_fmt_sample_name((enum lc_fmt_sample)fmt->sample),
		 fmt->rate_hz, fmt->n_channels);
}
