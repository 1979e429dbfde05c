/* SPDX-License-Identifier: MIT */
/*
 * fuzz_shm.c — libFuzzer target: hostile bytes in the shared-memory section.
 *
 * Input byte 0 picks the mode:
 *   even: the rest is a raw section image, opened as it is (header and config checks);
 *   odd:  a valid section is built from a small config the input picks, then the input
 *         is a stream of patches (offset, value) applied before open, and between the
 *         operations that follow (ring writes and reads, mixes, slot claims, releases,
 *         reclaims, panel and event calls, meter reads) — the "another process rewrites
 *         bytes after open" case.
 * Errors are fine; ASan/UBSan reports or reads outside the section are not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lc_event.h"
#include "lc_mix.h"
#include "lc_result.h"

#include "fuzz_input.h"

#define MAX_SECTION (256u * 1024u)

static _Alignas(64) uint8_t section[MAX_SECTION];
static float scratch[1024 * LC_MAX_CHANNELS];

/* One patch: 4 bytes of offset, 1 byte of width, up to 8 bytes of value.  Half of the
 * offsets land in the root and the first cable's slots, where the fields are dense. */
static void
patch(struct input *in, uint64_t size)
{
	uint32_t off = take(in, 4), width = 1u << (take(in, 1) & 3);
	uint64_t span = (off & 0x80000000u) ? size : 4224 + 18496;
	off = (uint32_t)((off & 0x7fffffffu) % (span < size ? span : size));
	if (off + width > size)
		return;
	uint64_t v = take(in, 4) | ((uint64_t)take(in, 4) << 32);
	memcpy(section + off, &v, width);
}

static void
exercise(struct lc_shm *shm, struct input *in, uint64_t size)
{
	struct lc_slot w, r, p;
	struct lc_ring ring;
	struct lc_owner owners[LC_SHM_MAX_OWNERS];
	uint64_t hwnds[LC_PANEL_SLOTS];
	uint32_t cable = take(in, 1) % shm->n_cables;
	int have_w = lc_shm_claim(shm, LC_SLOT_WRITER, cable, 10, 5, NULL, &w) >= 0 &&
		     lc_shm_writer_ring(shm, &w, &ring) == LC_OK;
	int have_r = lc_shm_claim(shm, LC_SLOT_READER, cable, 11, 5, NULL, &r) >= 0;
	int have_p = lc_shm_panel_register(shm, 0x1234, 12, 5, &p) >= 0;

	for (int round = 0; round < 8 && in->n; round++) {
		uint32_t op = take(in, 1);
		uint64_t now = take(in, 4);
		uint32_t n = take(in, 2) % 1024;
		const struct lc_shm_cable_desc *d = &shm->cables[cable];
		for (uint32_t i = 0; i < (op >> 4); i++)
			patch(in, size);
		switch (op & 7) {
		case 0:
			if (have_w) {
				for (uint32_t i = 0; i < n * d->n_channels; i++)
					scratch[i] = (float)i / 512.0f - 1.0f;
				lc_ring_write(&ring, now, scratch, n, NULL);
			}
			break;
		case 1:
			if (have_w)
				lc_ring_retract(&ring, now);
			break;
		case 2:
			lc_mix_read(shm, have_r ? &r : NULL, cable, now, n, scratch, NULL);
			break;
		case 3: {
			struct lc_ring view;
			if (lc_shm_ring_view(shm, cable, take(in, 1) % LC_WRITER_SLOTS, &view) == LC_OK)
				lc_ring_read(&view, now, n, scratch, NULL);
			break;
		}
		case 4: {
			struct lc_slot_info info;
			for (uint32_t i = 0; i < LC_WRITER_SLOTS; i++) {
				lc_shm_slot_info(shm, LC_SLOT_WRITER, cable, i, &info);
				lc_shm_slot_info(shm, LC_SLOT_READER, cable, i, &info);
				lc_meter_level(&lc_shm_writer_at(shm, cable, i)->meter, i, now,
					       d->rate_hz);
			}
			break;
		}
		case 5: {
			int k = lc_shm_owners(shm, owners, LC_SHM_MAX_OWNERS);
			if (k > 0)
				lc_shm_reclaim(shm, owners, (uint32_t)k / 2);
			break;
		}
		case 6: {
			uint32_t packed;
			lc_shm_panel_list(shm, hwnds, LC_PANEL_SLOTS);
			uint32_t seq = lc_shm_event_post(shm, lc_event_pack(op, cable, n, op >> 6));
			lc_shm_event_get(shm, seq - (n & 127), &packed);
			struct lc_event ev;
			lc_event_unpack(now, &ev);
			break;
		}
		default: {
			float vol;
			memcpy(&vol, &now, sizeof vol);
			struct lc_shm_fmt fmt = { op, n, (uint32_t)now, 2, 16, 16, 3, 4 };
			lc_shm_set_volume(shm, LC_SLOT_WRITER, cable, n % LC_WRITER_SLOTS, vol, op & 1);
			lc_shm_cable_set_volume(shm, cable, vol, (op >> 1) & 1);
			if (have_w)
				lc_shm_set_format(shm, &w, &fmt);
			lc_shm_verify(shm);
			lc_clock_frame_at(&shm->clock, now, d->rate_hz);
			lc_clock_ticks_at(&shm->clock, now, d->rate_hz);
			break;
		}
		}
	}
	if (have_w)
		lc_shm_release(shm, &w);
	if (have_r)
		lc_shm_release(shm, &r);
	if (have_p)
		lc_shm_panel_unregister(shm, &p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct lc_shm shm;

	if (size < 1)
		return 0;
	uint32_t mode = take(&in, 1);
	if (!(mode & 1)) {
		size_t n = in.n < MAX_SECTION ? in.n : MAX_SECTION;
		memset(section, 0, sizeof(struct lc_shm_root));
		memcpy(section, in.p, n);
		if (lc_shm_open(&shm, section, n) == LC_OK)
			exercise(&shm, &in, n);
		return 0;
	}

	static const uint32_t rates[] = { 8000, 44100, 48000, 384000 };
	struct lc_shm_config cfg = { .n_cables = 1 + ((mode >> 1) & 1) };
	for (uint32_t i = 0; i < cfg.n_cables; i++) {
		uint32_t b = take(&in, 1);
		cfg.cables[i] = (struct lc_shm_cable_config){ "fuzz", rates[b & 3], 1 + ((b >> 2) & 1),
							      256u << ((b >> 3) & 1) };
	}
	uint64_t bytes = lc_shm_size_for(&cfg);
	struct lc_clock clk = { take(&in, 4), 1 + take(&in, 4) };
	if (bytes == 0 || bytes > MAX_SECTION ||
	    lc_shm_init(&shm, section, bytes, &cfg, &clk, 1) != LC_OK)
		return 0;
	uint32_t n_before = take(&in, 1) & 7;
	for (uint32_t i = 0; i < n_before; i++)
		patch(&in, bytes);
	if (lc_shm_open(&shm, section, bytes) == LC_OK)
		exercise(&shm, &in, bytes);
	return 0;
}
