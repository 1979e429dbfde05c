/* SPDX-License-Identifier: MIT */
/*
 * lc_cli.exe — LoopCable from the command line.
 *
 *   lc_cli status [--json]   every cable and who uses it: writers (players) and
 *                            readers (recorders) with process id, format, frames,
 *                            underflows/overflows, clipped samples and peak levels
 *
 * It reads the same shared section the driver maps (driver/drv_regkeys.h,
 * DRV_SECTION_NAME) and validates it like any client (lc_shm_open); when no process
 * has a cable open there is no section, and it says so.  Exit codes: 0 done,
 * 1 nothing to show (no section), 2 usage, 3 the section failed validation.
 */
#include <windows.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "drv_regkeys.h"
#include "lc_clock.h"
#include "lc_fmt.h"
#include "lc_meter.h"
#include "lc_result.h"
#include "lc_shm.h"

static const char *kind_name(enum lc_slot_kind kind)
{
	return kind == LC_SLOT_WRITER ? "writer" : "reader";
}

/* One occupied slot as text or a JSON object. */
static void print_slot(struct lc_shm *shm, enum lc_slot_kind kind, uint32_t cable, uint32_t index,
		       const struct lc_slot_info *info, uint64_t now, bool json, bool *first)
{
	const char *sample = lc_fmt_sample_name((enum lc_fmt_sample)info->fmt.sample);
	struct lc_shm_meter *meter = kind == LC_SLOT_WRITER
		? &lc_shm_writer_at(shm, cable, index)->meter
		: &lc_shm_reader_at(shm, cable, index)->meter;
	uint32_t n_ch = info->fmt.n_channels <= LC_MAX_CHANNELS ? info->fmt.n_channels : 0;
	uint32_t rate = shm->cables[cable].rate_hz;
	if (json) {
		printf("%s\n        {\"kind\": \"%s\", \"slot\": %u, \"pid\": %u, \"format\": \"%s\", "
		       "\"rate_hz\": %u, \"channels\": %u, \"volume\": %.3f, \"mute\": %u, "
		       "\"frames\": %llu, \"underflows\": %llu, \"overflows\": %llu, "
		       "\"clipped\": %llu, \"peaks\": [",
		       *first ? "" : ",", kind_name(kind), index, info->pid, sample,
		       info->fmt.rate_hz, info->fmt.n_channels, info->volume, info->mute,
		       (unsigned long long)info->counts.frames,
		       (unsigned long long)info->counts.underflows,
		       (unsigned long long)info->counts.overflows,
		       (unsigned long long)info->counts.clipped);
		/* Peaks are in the cable's layout for writers and readers alike. */
		for (uint32_t c = 0; c < shm->cables[cable].n_channels; c++)
			printf("%s%.4f", c ? ", " : "", lc_meter_level(meter, c, now, rate));
		printf("]}");
	} else {
		printf("    %s %2u  pid %-6u %s %u Hz %u ch  frames %llu  underflows %llu  "
		       "overflows %llu  clipped %llu\n",
		       kind_name(kind), index, info->pid, sample, info->fmt.rate_hz, n_ch,
		       (unsigned long long)info->counts.frames,
		       (unsigned long long)info->counts.underflows,
		       (unsigned long long)info->counts.overflows,
		       (unsigned long long)info->counts.clipped);
	}
	*first = false;
}

static int status(bool json)
{
	HANDLE mapping = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, DRV_SECTION_NAME);
	if (!mapping) {
		if (json)
			printf("{\"running\": false, \"cables\": []}\n");
		else
			printf("LoopCable: no cable is in use (no process has the driver loaded)\n");
		return 1;
	}
	void *view = MapViewOfFile(mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, 0);
	MEMORY_BASIC_INFORMATION region;
	static struct lc_shm shm;
	int result = view && VirtualQuery(view, &region, sizeof(region))
		? lc_shm_open(&shm, view, region.RegionSize) : LC_E_NO_MEMORY;
	if (result != 0) {
		fprintf(stderr, "lc_cli: the LoopCable section is unusable: %s\n", lc_result_str(result));
		return 3;
	}
	LARGE_INTEGER now_ticks;
	QueryPerformanceCounter(&now_ticks);

	if (json)
		printf("{\"running\": true, \"cables\": [");
	for (uint32_t c = 0; c < shm.n_cables; c++) {
		const struct lc_shm_cable_desc *desc = &shm.cables[c];
		uint64_t now = lc_clock_frame_at(&shm.clock, (uint64_t)now_ticks.QuadPart, desc->rate_hz);
		if (json)
			printf("%s\n    {\"index\": %u, \"name\": \"%s\", \"rate_hz\": %u, "
			       "\"channels\": %u, \"ring_frames\": %u, \"clients\": [",
			       c ? "," : "", c + 1, desc->name, desc->rate_hz, desc->n_channels,
			       desc->ring_frames);
		else
			printf("%s: %u Hz, %u channels\n", desc->name, desc->rate_hz, desc->n_channels);
		bool first = true;
		for (int k = LC_SLOT_WRITER; k <= LC_SLOT_READER; k++) {
			uint32_t n = k == LC_SLOT_WRITER ? LC_WRITER_SLOTS : LC_READER_SLOTS;
			for (uint32_t i = 0; i < n; i++) {
				struct lc_slot_info info;
				if (lc_shm_slot_info(&shm, k, c, i, &info) == 0
				    && info.state == LC_SLOT_ACTIVE)
					print_slot(&shm, k, c, i, &info, now, json, &first);
			}
		}
		if (json)
			printf("%s]}", first ? "" : "\n    ");
		else if (first)
			printf("    (no clients)\n");
	}
	if (json)
		printf("\n]}\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "status") == 0) {
		bool json = argc == 3 && strcmp(argv[2], "--json") == 0;
		if (argc == 2 || json)
			return status(json);
	}
	fprintf(stderr, "usage: lc_cli status [--json]\n");
	return 2;
}
