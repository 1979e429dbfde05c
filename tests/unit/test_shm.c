/* SPDX-License-Identifier: MIT */
/* test_shm.c — section geometry, validation of every field, slots, reclaim, panels,
 * events, volumes, and operations on a section corrupted after open. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_event.h"
#include "lc_result.h"
#include "lc_shm.h"

static struct lc_shm_config cfg;
static uint8_t *mem;
static uint64_t size;
static struct lc_shm shm;
static const struct lc_clock clk = { 1000, 10000000 };

static void
setup(void)
{
	memset(&cfg, 0, sizeof cfg);
	cfg.n_cables = 2;
	for (uint32_t i = 0; i < 2; i++) {
		snprintf(cfg.cables[i].name, LC_NAME_BYTES, "Cable %u", i + 1);
		cfg.cables[i].rate_hz = 48000;
		cfg.cables[i].n_channels = 2 + i;
		cfg.cables[i].ring_frames = 1024;
	}
	size = lc_shm_size_for(&cfg);
	cr_assert_gt(size, 0);
	mem = aligned_alloc(64, (size_t)size);
	cr_assert_not_null(mem);
	cr_assert_eq(lc_shm_init(&shm, mem, size, &cfg, &clk, 7), LC_OK);
}

static void
teardown(void)
{
	free(mem);
}

TestSuite(shm, .init = setup, .fini = teardown);

static struct lc_shm_root *
root(void)
{
	return (struct lc_shm_root *)(void *)mem;
}

static int
reopen(void)
{
	struct lc_shm other;
	return lc_shm_open(&other, mem, size);
}

/* --- geometry ------------------------------------------------------------------------ */

Test(shm, default_config_is_two_stereo_48k_cables_within_16_mib)
{
	struct lc_shm_config d;
	lc_shm_config_default(&d);
	cr_assert_eq(d.n_cables, 2);
	cr_assert_str_eq(d.cables[0].name, "LoopCable 1");
	cr_assert_str_eq(d.cables[1].name, "LoopCable 2");
	uint64_t bytes = lc_shm_size_for(&d);
	/* root + 2 x (cable block + 32 rings of 16384 frames x 2 ch x 4 bytes) */
	cr_assert_eq(bytes, 4224 + 2 * (18496 + 32 * 16384 * 2 * 4));
	cr_assert_leq(bytes, 16u << 20);
}

Test(shm, geometry_is_laid_out_back_to_back)
{
	cr_assert_eq(shm.cables[0].cable_offset, sizeof(struct lc_shm_root));
	cr_assert_eq(shm.cables[0].ring_offset, shm.cables[0].cable_offset + 18496);
	cr_assert_eq(shm.cables[0].ring_stride_bytes, 1024 * 2 * 4);
	cr_assert_eq(shm.cables[1].cable_offset,
		     shm.cables[0].cable_offset + shm.cables[0].cable_bytes);
	cr_assert_eq(shm.cables[1].ring_stride_bytes, 1024 * 3 * 4);
	cr_assert_eq(size, shm.cables[1].cable_offset + shm.cables[1].cable_bytes);
	cr_assert_eq(shm.cables[1].cable_offset % 64, 0);
}

Test(shm, config_check_rejects_each_out_of_range_field)
{
	struct lc_shm_config c;
	struct {
		uint32_t *field;
		uint32_t value;
	} bad[] = {
		{ &c.n_cables, 0 },
		{ &c.n_cables, 33 },
		{ &c.cables[0].rate_hz, 7999 },
		{ &c.cables[0].rate_hz, 384001 },
		{ &c.cables[1].n_channels, 0 },
		{ &c.cables[1].n_channels, 33 },
		{ &c.cables[0].ring_frames, 1000 },
		{ &c.cables[0].ring_frames, 128 },
		{ &c.cables[0].ring_frames, 1u << 21 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		c = cfg;
		*bad[i].field = bad[i].value;
		cr_assert_eq(lc_shm_config_check(&c), LC_E_INVALID, "case %zu", i);
		cr_assert_eq(lc_shm_size_for(&c), 0, "case %zu", i);
	}
	c = cfg;
	memset(c.cables[1].name, 'x', LC_NAME_BYTES); /* no NUL */
	cr_assert_eq(lc_shm_config_check(&c), LC_E_INVALID);
	c = cfg;
	c.n_cables = 32; /* 32 cables x 32 rings x 2^20 frames x 32 ch: far beyond 256 MiB */
	for (uint32_t i = 0; i < 32; i++)
		c.cables[i] = (struct lc_shm_cable_config){ "big", 48000, 32, 1u << 20 };
	cr_assert_eq(lc_shm_config_check(&c), LC_E_INVALID);
	cr_assert_eq(lc_shm_config_check(NULL), LC_E_INVALID);
}

#ifdef LC_SOURCE_ROOT
/* Compiles a probe with a 32-bit (and a 64-bit) Windows compiler: every offset assert in
 * lc_shm_layout.h must hold there too.  A deliberately wrong assert must fail, so the
 * check cannot pass by not compiling anything. */
static int
compile_probe(const char *cc, const char *extra)
{
	char path[] = "/tmp/lc_layout_probeXXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	FILE *f = fdopen(fd, "w");
	fprintf(f, "#include \"lc_shm_layout.h\"\n#include \"lc_event.h\"\n%s\n", extra);
	fclose(f);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s -std=c11 -fsyntax-only -I%s/shared -x c %s 2>/dev/null", cc,
		 LC_SOURCE_ROOT, path);
	int rc = system(cmd);
	remove(path);
	return rc;
}

static int
have(const char *cc)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", cc);
	return system(cmd) == 0;
}

Test(shm, layout_is_identical_for_32_and_64_bit_windows_compilers)
{
	const char *ccs[] = { "i686-w64-mingw32-gcc -msse2", "x86_64-w64-mingw32-gcc",
			      "clang --target=i686-w64-mingw32" };
	const char *bins[] = { "i686-w64-mingw32-gcc", "x86_64-w64-mingw32-gcc", "clang" };
	int checked = 0;
	for (int i = 0; i < 3; i++) {
		if (!have(bins[i]))
			continue;
		cr_assert_eq(compile_probe(ccs[i], ""), 0, "%s rejects the layout", ccs[i]);
		cr_assert_neq(compile_probe(ccs[i], "LC_ASSERT_OFFSET(struct lc_shm_cable, "
						    "readers, 10305);"),
			      0, "%s accepted a wrong offset: the probe checks nothing", ccs[i]);
		checked++;
	}
	if (!checked)
		cr_skip_test("no mingw-w64 or clang i686 target compiler installed");
}
#endif

/* --- open / validate ------------------------------------------------------------------- */

Test(shm, open_sees_what_init_wrote)
{
	struct lc_shm o;
	cr_assert_eq(lc_shm_open(&o, mem, size), LC_OK);
	cr_assert_eq(o.n_cables, 2);
	cr_assert_eq(o.config_generation, 7);
	cr_assert_eq(o.clock.epoch_ticks, 1000);
	cr_assert_eq(o.clock.tick_hz, 10000000);
	cr_assert_str_eq(o.cables[1].name, "Cable 2");
	cr_assert_eq(o.cables[1].n_channels, 3);
	cr_assert_eq(memcmp(o.cables, shm.cables, sizeof o.cables), 0);
	cr_assert_eq(lc_shm_open(&o, mem, size + 4096), LC_OK); /* page-rounded mapping */
}

Test(shm, init_checks_its_arguments)
{
	struct lc_clock bad = { 0, 0 };
	struct lc_shm s;
	cr_assert_eq(lc_shm_init(&s, mem, size - 1, &cfg, &clk, 1), LC_E_TOO_SMALL);
	cr_assert_eq(lc_shm_init(&s, mem, size, &cfg, &bad, 1), LC_E_INVALID);
	cr_assert_eq(lc_shm_init(&s, NULL, size, &cfg, &clk, 1), LC_E_INVALID);
	cr_assert_eq(lc_shm_init(&s, mem + 8, size - 64, &cfg, &clk, 1), LC_E_INVALID);
	cr_assert_eq(lc_shm_open(&s, mem + 8, size - 8), LC_E_INVALID);
}

Test(shm, a_section_still_being_initialized_is_busy)
{
	atomic_store(&root()->header.magic, 0);
	cr_assert_eq(reopen(), LC_E_STATE);
}

Test(shm, open_rejects_bad_magic_version_and_short_mappings)
{
	struct lc_shm o;
	cr_assert_eq(lc_shm_open(&o, mem, sizeof(struct lc_shm_root) - 1), LC_E_TOO_SMALL);
	cr_assert_eq(lc_shm_open(&o, mem, size - 1), LC_E_TOO_SMALL);
	root()->header.abi_version = LC_SHM_ABI_VERSION + 1;
	cr_assert_eq(reopen(), LC_E_VERSION);
	root()->header.abi_version = LC_SHM_ABI_VERSION;
	atomic_store(&root()->header.magic, LC_SHM_MAGIC ^ 1);
	cr_assert_eq(reopen(), LC_E_CORRUPT);
}

/* Each row corrupts one field; open must say LC_E_CORRUPT. */
struct corruption {
	const char *what;
	uint64_t offset; /* from the section base */
	uint32_t bytes;  /* 4 or 8 */
	uint64_t value;
};

static uint64_t
desc_off(uint32_t cable, size_t field)
{
	return offsetof(struct lc_shm_root, cables) + cable * sizeof(struct lc_shm_cable_desc) +
	       field;
}

Test(shm, open_rejects_every_kind_of_corrupt_header_or_config)
{
	const struct corruption rows[] = {
		{ "section bytes", offsetof(struct lc_shm_header, section_bytes), 8, 4096 },
		{ "section bytes +64", offsetof(struct lc_shm_header, section_bytes), 8, 0 },
		{ "root bytes", offsetof(struct lc_shm_header, root_bytes), 4, 4096 },
		{ "tick hz 0", offsetof(struct lc_shm_header, tick_hz), 8, 0 },
		{ "tick hz huge", offsetof(struct lc_shm_header, tick_hz), 8, UINT64_MAX },
		{ "no cables", offsetof(struct lc_shm_header, n_cables), 4, 0 },
		{ "33 cables", offsetof(struct lc_shm_header, n_cables), 4, 33 },
		{ "3 cables", offsetof(struct lc_shm_header, n_cables), 4, 3 },
		{ "cables offset", offsetof(struct lc_shm_header, cables_offset), 8, 64 },
		{ "rate", desc_off(1, offsetof(struct lc_shm_cable_desc, rate_hz)), 4, 400000 },
		{ "channels 0", desc_off(0, offsetof(struct lc_shm_cable_desc, n_channels)), 4, 0 },
		{ "channels", desc_off(0, offsetof(struct lc_shm_cable_desc, n_channels)), 4, 8 },
		{ "ring length", desc_off(0, offsetof(struct lc_shm_cable_desc, ring_frames)), 4,
		  1000 },
		{ "ring length pow2", desc_off(1, offsetof(struct lc_shm_cable_desc, ring_frames)), 4,
		  2048 },
		{ "cable offset", desc_off(1, offsetof(struct lc_shm_cable_desc, cable_offset)), 8,
		  4224 },
		{ "cable offset far", desc_off(0, offsetof(struct lc_shm_cable_desc, cable_offset)),
		  8, UINT64_C(1) << 40 },
		{ "ring offset", desc_off(0, offsetof(struct lc_shm_cable_desc, ring_offset)), 8,
		  4224 + 64 },
		{ "ring stride", desc_off(1, offsetof(struct lc_shm_cable_desc, ring_stride_bytes)),
		  8, 4 },
		{ "cable bytes", desc_off(0, offsetof(struct lc_shm_cable_desc, cable_bytes)), 8,
		  UINT64_MAX },
		{ "desc padding", desc_off(0, offsetof(struct lc_shm_cable_desc, reserved0)), 4, 1 },
		{ "name not terminated", desc_off(0, 0), 8, UINT64_C(0x4141414141414141) },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		uint8_t saved[8];
		memcpy(saved, mem + rows[i].offset, 8);
		if (rows[i].bytes == 4) {
			uint32_t v = (uint32_t)rows[i].value;
			memcpy(mem + rows[i].offset, &v, 4);
		} else {
			memcpy(mem + rows[i].offset, &rows[i].value, 8);
		}
		if (strcmp(rows[i].what, "name not terminated") == 0)
			memset(mem + desc_off(0, 0), 'A', LC_NAME_BYTES);
		if (strcmp(rows[i].what, "section bytes +64") == 0) {
			uint64_t v = size + 64;
			memcpy(mem + rows[i].offset, &v, 8);
		}
		int rc = reopen();
		cr_assert(rc == LC_E_CORRUPT || (rc == LC_E_TOO_SMALL && i == 1), "%s: %s",
			  rows[i].what, lc_result_str(rc));
		if (strcmp(rows[i].what, "name not terminated") == 0)
			memcpy(mem + desc_off(0, 0), shm.cables[0].name, LC_NAME_BYTES);
		memcpy(mem + rows[i].offset, saved, 8);
		cr_assert_eq(reopen(), LC_OK, "%s not restored", rows[i].what);
	}
}

/* --- slots ----------------------------------------------------------------------------- */

static const struct lc_shm_fmt fmt_s16 = { 1, 1, 44100, 2, 16, 16, 3, 4 };

Test(shm, claims_take_free_slots_in_order_until_none_is_left)
{
	struct lc_slot s;
	for (uint32_t i = 0; i < LC_WRITER_SLOTS; i++)
		cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 1, 100 + i, 5, &fmt_s16, &s), (int)i);
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 1, 999, 5, NULL, &s), LC_E_NO_SLOT);
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_READER, 1, 999, 5, NULL, &s), 0);
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 999, 5, NULL, &s), 0);
}

Test(shm, claim_checks_its_arguments)
{
	struct lc_slot s;
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 2, 1, 5, NULL, &s), LC_E_INVALID);
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 0, 5, NULL, &s), LC_E_INVALID);
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 1, 0, NULL, &s), LC_E_INVALID);
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_PANEL, 0, 1, 5, NULL, &s), LC_E_INVALID);
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 1, 5, NULL, NULL), LC_E_INVALID);
}

Test(shm, a_claimed_slot_records_owner_format_and_defaults)
{
	struct lc_slot s;
	struct lc_slot_info info;
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_READER, 0, 4242, 0xABCDEF, &fmt_s16, &s), 0);
	cr_assert_eq(LC_SLOT_KIND(s.word), LC_SLOT_ACTIVE);
	cr_assert_eq(LC_SLOT_PID(s.word), 4242);
	cr_assert_eq(lc_shm_slot_info(&shm, LC_SLOT_READER, 0, 0, &info), LC_OK);
	cr_assert_eq(info.state, LC_SLOT_ACTIVE);
	cr_assert_eq(info.pid, 4242);
	cr_assert_eq(info.start_time, 0xABCDEF);
	cr_assert_eq(memcmp(&info.fmt, &fmt_s16, sizeof fmt_s16), 0);
	cr_assert_eq(info.volume, 1.0f);
	cr_assert_eq(info.mute, 0);
	struct lc_shm_fmt f2 = fmt_s16;
	f2.rate_hz = 96000;
	cr_assert_eq(lc_shm_set_format(&shm, &s, &f2), LC_OK);
	cr_assert_eq(lc_shm_slot_info(&shm, LC_SLOT_READER, 0, 0, &info), LC_OK);
	cr_assert_eq(info.fmt.rate_hz, 96000);
	cr_assert_eq(lc_shm_slot_info(&shm, LC_SLOT_READER, 0, 1, &info), LC_OK);
	cr_assert_eq(info.state, LC_SLOT_FREE);
}

Test(shm, release_frees_and_a_stale_handle_cannot_release_the_next_owner)
{
	struct lc_slot a, b;
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 10, 5, NULL, &a), 0);
	cr_assert_eq(lc_shm_slot_check(&shm, &a), LC_OK);
	cr_assert_eq(lc_shm_release(&shm, &a), LC_OK);
	cr_assert_eq(lc_shm_slot_check(&shm, &a), LC_E_STATE);
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 10, 5, NULL, &b), 0);
	cr_assert_eq(LC_SLOT_GEN(b.word), LC_SLOT_GEN(a.word) + 1);
	cr_assert_eq(lc_shm_release(&shm, &a), LC_E_STATE); /* same pid, older generation */
	cr_assert_eq(lc_shm_set_format(&shm, &a, &fmt_s16), LC_E_STATE);
	cr_assert_eq(lc_shm_slot_check(&shm, &b), LC_OK);
}

Test(shm, a_new_claim_starts_with_an_empty_ring)
{
	struct lc_slot s;
	struct lc_ring r;
	float buf[2 * 10] = { 0.5f };
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 10, 5, NULL, &s), 0);
	cr_assert_eq(lc_shm_writer_ring(&shm, &s, &r), LC_OK);
	cr_assert_eq(lc_ring_write(&r, 100, buf, 10, NULL), 10);
	cr_assert_eq(lc_shm_release(&shm, &s), LC_OK);
	cr_assert_eq(lc_ring_write(&r, 100, buf, 10, NULL), LC_E_STATE); /* not ours */
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 11, 5, NULL, &s), 0);
	cr_assert_eq(lc_shm_writer_ring(&shm, &s, &r), LC_OK);
	cr_assert_eq(atomic_load(&r.ctl->end), 0);
	struct lc_slot_info info;
	cr_assert_eq(lc_shm_slot_info(&shm, LC_SLOT_WRITER, 0, 0, &info), LC_OK);
	cr_assert_eq(info.counts.frames, 0);
}

/* --- reclaim --------------------------------------------------------------------------- */

Test(shm, reclaim_frees_exactly_the_dead_owners)
{
	struct lc_slot s;
	lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 100, 5, NULL, &s);
	lc_shm_claim(&shm, LC_SLOT_READER, 1, 100, 5, NULL, &s);
	lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 200, 6, NULL, &s);
	lc_shm_panel_register(&shm, 0x1234, 300, 7, &s);
	struct lc_owner owners[8];
	cr_assert_eq(lc_shm_owners(&shm, owners, 8), 3);
	cr_assert_eq(lc_shm_owners(&shm, owners, 2), LC_E_TOO_SMALL);

	const struct lc_owner dead[] = { { 100, 0, 5 }, { 200, 0, 99 } /* pid reused */ };
	cr_assert_eq(lc_shm_reclaim(&shm, dead, 2), 2);
	struct lc_slot_info info;
	lc_shm_slot_info(&shm, LC_SLOT_WRITER, 0, 0, &info);
	cr_assert_eq(info.state, LC_SLOT_FREE);
	lc_shm_slot_info(&shm, LC_SLOT_WRITER, 0, 1, &info);
	cr_assert_eq(info.pid, 200);
	cr_assert_eq(lc_shm_reclaim(&shm, dead, 2), 0); /* idempotent */

	const struct lc_owner gone[] = { { 200, 0, 6 }, { 300, 0, 7 } };
	cr_assert_eq(lc_shm_reclaim(&shm, gone, 2), 2);
	cr_assert_eq(lc_shm_owners(&shm, owners, 8), 0);
}

Test(shm, reclaim_never_frees_the_next_owner_of_a_reused_pid)
{
	struct lc_slot a, b;
	lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 100, 5, NULL, &a);
	lc_shm_release(&shm, &a);
	lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 100, 9, NULL, &b); /* same pid, new process */
	const struct lc_owner dead = { 100, 0, 5 };
	cr_assert_eq(lc_shm_reclaim(&shm, &dead, 1), 0);
	cr_assert_eq(lc_shm_slot_check(&shm, &b), LC_OK);
}

Test(shm, a_dead_entry_without_start_time_never_frees_a_published_claim)
{
	/* {pid, 0} says "pid P was gone when asked"; by the time of the reclaim a new
	 * process may have that pid and a slot: its published start time protects it. */
	struct lc_slot live;
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 100, 9, NULL, &live), 0);
	struct lc_slot panel;
	cr_assert_geq(lc_shm_panel_register(&shm, 0x1234, 100, 9, &panel), 0);
	const struct lc_owner gone = { 100, 0, 0 };
	cr_assert_eq(lc_shm_reclaim(&shm, &gone, 1), 0);
	cr_assert_eq(lc_shm_slot_check(&shm, &live), LC_OK);
	cr_assert_eq(lc_shm_slot_check(&shm, &panel), LC_OK);
	const struct lc_owner dead = { 100, 0, 9 };
	cr_assert_eq(lc_shm_reclaim(&shm, &dead, 1), 2);
}

Test(shm, an_unpublished_claim_is_reclaimed_only_when_the_pid_is_gone)
{
	struct lc_shm_writer *w = lc_shm_writer_at(&shm, 0, 3);
	/* a process that died between the claim CAS and publishing its start time */
	atomic_store(&w->head.state, LC_SLOT_WORD(555, 9, LC_SLOT_CLAIMING));
	atomic_store(&w->head.owner_gen, 8);
	atomic_store(&w->head.owner_start, 77);
	struct lc_owner o[4];
	cr_assert_eq(lc_shm_owners(&shm, o, 4), 1);
	cr_assert_eq(o[0].pid, 555);
	cr_assert_eq(o[0].start_time, 0);
	const struct lc_owner stale = { 555, 0, 77 }, gone = { 555, 0, 0 };
	cr_assert_eq(lc_shm_reclaim(&shm, &stale, 1), 0);
	cr_assert_eq(lc_shm_reclaim(&shm, &gone, 1), 1);
	cr_assert_eq(LC_SLOT_KIND(atomic_load(&w->head.state)), LC_SLOT_FREE);
	cr_assert_eq(LC_SLOT_GEN(atomic_load(&w->head.state)), 9);
}

/* --- panels and events ---------------------------------------------------------------- */

Test(shm, panel_windows_register_list_and_unregister)
{
	struct lc_slot p[LC_PANEL_SLOTS];
	uint64_t hwnds[LC_PANEL_SLOTS];
	for (uint32_t i = 0; i < LC_PANEL_SLOTS; i++)
		cr_assert_eq(lc_shm_panel_register(&shm, 0x10000 + i, 50, 5, &p[i]), (int)i);
	struct lc_slot extra;
	cr_assert_eq(lc_shm_panel_register(&shm, 0x99, 50, 5, &extra), LC_E_NO_SLOT);
	cr_assert_eq(lc_shm_panel_register(&shm, 0, 50, 5, &extra), LC_E_INVALID);
	cr_assert_eq(lc_shm_panel_list(&shm, hwnds, LC_PANEL_SLOTS), (int)LC_PANEL_SLOTS);
	cr_assert_eq(lc_shm_panel_unregister(&shm, &p[3]), LC_OK);
	cr_assert_eq(lc_shm_panel_list(&shm, hwnds, LC_PANEL_SLOTS), (int)LC_PANEL_SLOTS - 1);
	for (uint32_t i = 0; i < LC_PANEL_SLOTS - 1; i++)
		cr_assert_neq(hwnds[i], 0x10003);
	cr_assert_eq(lc_shm_panel_list(&shm, hwnds, 2), 2);
	cr_assert_eq(lc_shm_panel_unregister(&shm, &p[3]), LC_E_STATE);
	struct lc_slot w;
	lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 1, 5, NULL, &w);
	cr_assert_eq(lc_shm_panel_unregister(&shm, &w), LC_E_INVALID);
}

Test(shm, events_are_numbered_and_logged_with_their_sequence_bits)
{
	cr_assert_eq(lc_shm_event_seq(&shm), 0);
	uint32_t ev = lc_event_pack(LC_EVENT_CLIENT_OPENED, 1, 5, LC_EVENT_KIND_WRITER);
	uint32_t seq = lc_shm_event_post(&shm, ev);
	cr_assert_eq(seq, 1);
	uint32_t got;
	cr_assert_eq(lc_shm_event_get(&shm, 1, &got), LC_OK);
	cr_assert_eq(got, lc_event_with_seq(ev, 1));
	struct lc_event e;
	cr_assert(lc_event_unpack(got, &e));
	cr_assert_eq(e.id, LC_EVENT_CLIENT_OPENED);
	cr_assert_eq(e.cable, 1);
	cr_assert_eq(e.slot, 5);
	cr_assert_eq(e.kind, LC_EVENT_KIND_WRITER);
	cr_assert_eq(e.seq6, 1);
	for (uint32_t i = 0; i < LC_EVENT_LOG; i++)
		lc_shm_event_post(&shm, ev);
	cr_assert_eq(lc_shm_event_seq(&shm), LC_EVENT_LOG + 1);
	cr_assert_eq(lc_shm_event_get(&shm, 1, &got), LC_E_STATE); /* overwritten */
	cr_assert_eq(lc_shm_event_get(&shm, 2, &got), LC_OK);
	cr_assert_eq(lc_shm_event_get(&shm, LC_EVENT_LOG + 2, &got), LC_E_STATE); /* future */
}

Test(shm, event_unpack_rejects_out_of_range_fields)
{
	struct lc_event e;
	cr_assert(!lc_event_unpack(0, &e));
	cr_assert(!lc_event_unpack(lc_event_pack(LC_EVENT_COUNT, 0, 0, 1), &e));
	cr_assert(!lc_event_unpack(lc_event_pack(LC_EVENT_UNDERFLOW, 32, 0, 1), &e));
	cr_assert(!lc_event_unpack(lc_event_pack(LC_EVENT_UNDERFLOW, 0, 16, LC_EVENT_KIND_PANEL),
				   &e));
	cr_assert(!lc_event_unpack(lc_event_pack(LC_EVENT_UNDERFLOW, 0, 0, LC_EVENT_KIND_NONE), &e));
	cr_assert(lc_event_unpack(lc_event_pack(LC_EVENT_CONFIG_CHANGED, LC_EVENT_NO_INDEX,
						LC_EVENT_NO_INDEX, LC_EVENT_KIND_NONE),
				  &e));
	cr_assert(lc_event_unpack(lc_event_pack(LC_EVENT_OVERFLOW, 31, 31, LC_EVENT_KIND_READER),
				  &e));
}

/* --- volume and the retire flag --------------------------------------------------------- */

Test(shm, writers_and_clients_are_told_apart_from_panels_and_junk)
{
	cr_assert(!lc_shm_has_writers(&shm));
	cr_assert(!lc_shm_has_clients(&shm));
	struct lc_slot p, r, w;
	cr_assert_geq(lc_shm_panel_register(&shm, 0x1234, 10, 5, &p), 0);
	cr_assert(!lc_shm_has_clients(&shm), "a panel is not a client");
	cr_assert_geq(lc_shm_claim(&shm, LC_SLOT_READER, 1, 10, 5, NULL, &r), 0);
	cr_assert(lc_shm_has_clients(&shm));
	cr_assert(!lc_shm_has_writers(&shm));
	cr_assert_geq(lc_shm_claim(&shm, LC_SLOT_WRITER, 1, 10, 5, NULL, &w), 0);
	cr_assert(lc_shm_has_writers(&shm));
	cr_assert_eq(lc_shm_release(&shm, &w), LC_OK);
	cr_assert_eq(lc_shm_release(&shm, &r), LC_OK);
	cr_assert(!lc_shm_has_clients(&shm));
	/* A hostile state word is nobody's slot. */
	atomic_store(&lc_shm_writer_at(&shm, 0, 3)->head.state, LC_SLOT_WORD(9, 1, 7));
	cr_assert(!lc_shm_has_writers(&shm));
}

Test(shm, a_cable_volume_is_copied_into_another_section_and_junk_is_not)
{
	uint8_t *mem2 = aligned_alloc(64, (size_t)size);
	struct lc_shm next;
	cr_assert_eq(lc_shm_init(&next, mem2, size, &cfg, &clk, 8), LC_OK);
	cr_assert_eq(lc_shm_cable_set_volume(&shm, 1, 0.5f, 1), LC_OK);
	cr_assert_eq(lc_shm_cable_copy_volume(&next, 0, &shm, 1), LC_OK);
	struct lc_shm_cable *c = lc_shm_cable_at(&next, 0);
	cr_assert_eq(atomic_load(&c->ctl.mute), 1);
	cr_assert_eq(lc_shm_cable_set_volume(&next, 0, 1.0f, 0), LC_OK);
	cr_assert_eq(lc_shm_cable_set_volume(&shm, 1, 0.5f, 0), LC_OK);
	cr_assert_eq(lc_shm_cable_copy_volume(&next, 0, &shm, 1), LC_OK);
	cr_assert_eq(lc_shm_gain(&next, &c->ctl.volume, &c->ctl.mute), 0.5f);

	/* Junk in the source: refused, counted, the destination keeps its value. */
	struct lc_shm_cable *src = lc_shm_cable_at(&shm, 1);
	uint64_t before = atomic_load(&shm.n_corrupt);
	atomic_store(&src->ctl.volume, 0x7fc00000u); /* NaN */
	cr_assert_eq(lc_shm_cable_copy_volume(&next, 0, &shm, 1), LC_E_CORRUPT);
	atomic_store(&src->ctl.volume, 0x3f800000u);
	atomic_store(&src->ctl.mute, 7);
	cr_assert_eq(lc_shm_cable_copy_volume(&next, 0, &shm, 1), LC_E_CORRUPT);
	cr_assert_eq(atomic_load(&shm.n_corrupt), before + 2);
	cr_assert_eq(lc_shm_gain(&next, &c->ctl.volume, &c->ctl.mute), 0.5f);
	/* Too loud is clamped, as a reader would clamp it. */
	atomic_store(&src->ctl.mute, 0);
	atomic_store(&src->ctl.volume, 0x7f800000u); /* +Inf */
	cr_assert_eq(lc_shm_cable_copy_volume(&next, 0, &shm, 1), LC_OK);
	cr_assert_eq(lc_shm_gain(&next, &c->ctl.volume, &c->ctl.mute), LC_GAIN_MAX);
	cr_assert_eq(lc_shm_cable_copy_volume(&next, 0, &shm, 9), LC_E_INVALID);
	cr_assert_eq(lc_shm_cable_copy_volume(&next, 9, &shm, 0), LC_E_INVALID);
	free(mem2);
}

Test(shm, gains_follow_volume_and_mute_and_hostile_values_are_silent)
{
	struct lc_shm_cable *c = lc_shm_cable_at(&shm, 0);
	cr_assert_eq(lc_shm_gain(&shm, &c->ctl.volume, &c->ctl.mute), 1.0f);
	cr_assert_eq(lc_shm_cable_set_volume(&shm, 0, 0.25f, 0), LC_OK);
	cr_assert_eq(lc_shm_gain(&shm, &c->ctl.volume, &c->ctl.mute), 0.25f);
	cr_assert_eq(lc_shm_cable_set_volume(&shm, 0, 0.25f, 1), LC_OK);
	cr_assert_eq(lc_shm_gain(&shm, &c->ctl.volume, &c->ctl.mute), 0.0f);
	cr_assert_eq(lc_shm_cable_set_volume(&shm, 0, -1.0f, 0), LC_E_INVALID);
	cr_assert_eq(lc_shm_cable_set_volume(&shm, 0, 17.0f, 0), LC_E_INVALID);
	cr_assert_eq(lc_shm_cable_set_volume(&shm, 0, 1.0f, 2), LC_E_INVALID);
	cr_assert_eq(lc_shm_cable_set_volume(&shm, 2, 1.0f, 0), LC_E_INVALID);
	cr_assert_eq(lc_shm_set_volume(&shm, LC_SLOT_WRITER, 0, 4, 2.0f, 0), LC_OK);
	cr_assert_eq(lc_shm_set_volume(&shm, LC_SLOT_PANEL, 0, 0, 2.0f, 0), LC_E_INVALID);

	uint64_t before = atomic_load(&shm.n_corrupt);
	atomic_store(&c->ctl.mute, 0);
	atomic_store(&c->ctl.volume, 0x7fc00000u); /* NaN */
	cr_assert_eq(lc_shm_gain(&shm, &c->ctl.volume, &c->ctl.mute), 0.0f);
	atomic_store(&c->ctl.volume, 0x7f800000u); /* +Inf: clamped */
	cr_assert_eq(lc_shm_gain(&shm, &c->ctl.volume, &c->ctl.mute), LC_GAIN_MAX);
	atomic_store(&c->ctl.volume, 0x3f800000u);
	atomic_store(&c->ctl.mute, 7);
	cr_assert_eq(lc_shm_gain(&shm, &c->ctl.volume, &c->ctl.mute), 0.0f);
	cr_assert_eq(atomic_load(&shm.n_corrupt), before + 2);
	cr_assert_eq(atomic_load(&root()->header.corrupt_events), before + 2);
}

Test(shm, retire_is_seen_by_every_opener)
{
	struct lc_shm o;
	lc_shm_open(&o, mem, size);
	cr_assert(!lc_shm_is_retired(&o));
	lc_shm_retire(&shm);
	cr_assert(lc_shm_is_retired(&o));
}

/* --- corrupted after open ---------------------------------------------------------------- */

Test(shm, operations_on_a_header_corrupted_after_open_fail_cleanly)
{
	struct lc_slot s, p;
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 10, 5, NULL, &s), 0);
	cr_assert_eq(lc_shm_panel_register(&shm, 0x77, 10, 5, &p), 0);
	root()->cables[1].ring_frames = 1u << 20; /* the geometry others would trust */
	uint64_t before = atomic_load(&shm.n_corrupt);
	cr_assert_eq(lc_shm_verify(&shm), LC_E_CORRUPT);
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 1, 10, 5, NULL, &s), LC_E_CORRUPT);
	cr_assert_eq(lc_shm_release(&shm, &s), LC_E_CORRUPT);
	cr_assert_eq(lc_shm_reclaim(&shm, NULL, 0), LC_E_CORRUPT);
	uint64_t h[4];
	cr_assert_eq(lc_shm_panel_list(&shm, h, 4), LC_E_CORRUPT);
	cr_assert_eq(atomic_load(&shm.n_corrupt), before + 5);
	root()->cables[1].ring_frames = 1024;
	atomic_store(&root()->header.magic, 0);
	cr_assert_eq(lc_shm_verify(&shm), LC_E_CORRUPT);
	atomic_store(&root()->header.magic, LC_SHM_MAGIC);
	root()->header.section_bytes = size * 2;
	cr_assert_eq(lc_shm_verify(&shm), LC_E_CORRUPT);
	root()->header.section_bytes = size;
	cr_assert_eq(lc_shm_verify(&shm), LC_OK);
	/* valid on its own (a fresh open accepts it), but not the section we opened */
	root()->cables[0].rate_hz = 44100;
	cr_assert_eq(reopen(), LC_OK);
	cr_assert_eq(lc_shm_verify(&shm), LC_E_CORRUPT);
}

Test(shm, a_garbage_slot_state_is_skipped_and_counted)
{
	struct lc_shm_writer *w = lc_shm_writer_at(&shm, 0, 0);
	atomic_store(&w->head.state, UINT64_C(0xdeadbeefcafef00d)); /* kind 0x0d */
	uint64_t before = atomic_load(&shm.n_corrupt);
	struct lc_slot s;
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 10, 5, NULL, &s), 1);
	struct lc_slot_info info;
	cr_assert_eq(lc_shm_slot_info(&shm, LC_SLOT_WRITER, 0, 0, &info), LC_E_CORRUPT);
	struct lc_owner o[4];
	cr_assert_eq(lc_shm_owners(&shm, o, 4), 1);
	cr_assert_eq(lc_shm_reclaim(&shm, o, 1), 1);
	cr_assert_geq(atomic_load(&shm.n_corrupt), before + 4);
	cr_assert_eq(atomic_load(&w->head.state), UINT64_C(0xdeadbeefcafef00d)); /* untouched */
}

Test(shm, a_format_being_rewritten_forever_reads_as_busy)
{
	struct lc_slot s;
	struct lc_slot_info info;
	lc_shm_claim(&shm, LC_SLOT_READER, 0, 10, 5, &fmt_s16, &s);
	atomic_store(&lc_shm_reader_at(&shm, 0, 0)->head.fmt_seq, 3); /* odd: writer died */
	cr_assert_eq(lc_shm_slot_info(&shm, LC_SLOT_READER, 0, 0, &info), LC_E_STATE);
	cr_assert_eq(lc_shm_set_format(&shm, &s, &fmt_s16), LC_OK); /* the owner recovers it */
	cr_assert_eq(lc_shm_slot_info(&shm, LC_SLOT_READER, 0, 0, &info), LC_OK);
}

Test(shm, addresses_out_of_range_are_null)
{
	cr_assert_null(lc_shm_cable_at(&shm, 2));
	cr_assert_null(lc_shm_writer_at(&shm, 0, LC_WRITER_SLOTS));
	cr_assert_null(lc_shm_reader_at(&shm, 5, 0));
	struct lc_ring r;
	cr_assert_eq(lc_shm_ring_view(&shm, 0, 32, &r), LC_E_INVALID);
	cr_assert_eq(lc_shm_ring_view(&shm, 1, 31, &r), LC_OK);
	cr_assert_eq((uint8_t *)r.data + r.n_frames * r.n_channels * sizeof(float), mem + size);
}
