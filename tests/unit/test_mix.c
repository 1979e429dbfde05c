/* SPDX-License-Identifier: MIT */
/* test_mix.c — the pull mixer: exact sums, silence, gains, meters, hostile slots. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lc_mix.h"
#include "lc_result.h"

#define CH 2u
#define RING 1024u

static uint8_t *mem;
static struct lc_shm shm;
static struct lc_slot w[2], rd;
static struct lc_ring ring[2];
static float a[RING * CH], b[RING * CH]; /* what writer 0 and writer 1 wrote */

static void
setup(void)
{
	struct lc_shm_config cfg = { .n_cables = 1 };
	cfg.cables[0] = (struct lc_shm_cable_config){ "mix", 48000, CH, RING };
	uint64_t size = lc_shm_size_for(&cfg);
	mem = aligned_alloc(64, (size_t)size);
	const struct lc_clock clk = { 0, 48000 };
	cr_assert_eq(lc_shm_init(&shm, mem, size, &cfg, &clk, 1), LC_OK);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 10 + i, 5, NULL, &w[i]), i);
		cr_assert_eq(lc_shm_writer_ring(&shm, &w[i], &ring[i]), LC_OK);
	}
	cr_assert_eq(lc_shm_claim(&shm, LC_SLOT_READER, 0, 20, 5, NULL, &rd), 0);
	srand(1234);
	for (uint32_t i = 0; i < RING * CH; i++) {
		a[i] = (float)rand() / (float)RAND_MAX - 0.5f;
		b[i] = (float)rand() / (float)RAND_MAX - 0.5f;
	}
}

static void
teardown(void)
{
	free(mem);
}

TestSuite(mix, .init = setup, .fini = teardown);

/* Writer i writes n frames of its signal at now (so at now + lead, the ring's policy). */
static uint64_t
put(int i, uint64_t now, uint32_t n)
{
	uint64_t pos;
	cr_assert_eq(lc_ring_write(&ring[i], now, i ? b : a, n, &pos), (int)n);
	return pos;
}

Test(mix, two_writers_sum_exactly)
{
	uint64_t p0 = put(0, 1000, 400), p1 = put(1, 1000, 400);
	cr_assert_eq(p0, p1);
	float out[400 * CH];
	struct lc_mix_stats st;
	cr_assert_eq(lc_mix_read(&shm, &rd, 0, p0, 400, out, &st), 400);
	cr_assert_eq(st.n_writers, 2);
	cr_assert_eq(st.n_attempts, 1);
	for (uint32_t i = 0; i < 400 * CH; i++)
		cr_assert_eq(out[i], a[i] + b[i], "sample %u", i);
}

Test(mix, silence_where_nobody_wrote)
{
	uint64_t p0 = put(0, 1000, 100);    /* [p0, p0+100) */
	uint64_t p1 = put(1, 1000, 50);     /* [p0, p0+50) */
	float out[200 * CH];
	cr_assert_eq(lc_mix_read(&shm, &rd, 0, p0 - 50, 200, out, NULL), 200);
	for (uint32_t f = 0; f < 200; f++)
		for (uint32_t c = 0; c < CH; c++) {
			float v = out[f * CH + c];
			int64_t k = (int64_t)f - 50; /* index into what was written */
			float want = 0.0f;
			if (k >= 0 && k < 100)
				want += a[k * CH + c];
			if (k >= 0 && k < 50)
				want = a[k * CH + c] + b[k * CH + c];
			cr_assert_eq(v, want, "frame %u", f);
		}
	cr_assert_eq(p1, p0);
}

Test(mix, no_writers_is_silence)
{
	lc_shm_release(&shm, &w[0]);
	lc_shm_release(&shm, &w[1]);
	float out[64 * CH];
	memset(out, 0x55, sizeof out);
	struct lc_mix_stats st;
	cr_assert_eq(lc_mix_read(&shm, &rd, 0, 0, 64, out, &st), 64);
	cr_assert_eq(st.n_writers, 0);
	for (uint32_t i = 0; i < 64 * CH; i++)
		cr_assert_eq(out[i], 0.0f);
}

Test(mix, a_released_writer_is_no_longer_heard)
{
	uint64_t p = put(0, 1000, 100);
	put(1, 1000, 100);
	lc_shm_release(&shm, &w[1]);
	float out[100 * CH];
	cr_assert_eq(lc_mix_read(&shm, &rd, 0, p, 100, out, NULL), 100);
	for (uint32_t i = 0; i < 100 * CH; i++)
		cr_assert_eq(out[i], a[i]);
}

Test(mix, writer_cable_and_reader_volumes_and_mutes_multiply)
{
	uint64_t p = put(0, 1000, 100);
	put(1, 1000, 100);
	float out[100 * CH];
	cr_assert_eq(lc_shm_set_volume(&shm, LC_SLOT_WRITER, 0, 0, 0.5f, 0), LC_OK);
	cr_assert_eq(lc_shm_set_volume(&shm, LC_SLOT_WRITER, 0, 1, 1.0f, 1), LC_OK);
	cr_assert_eq(lc_mix_read(&shm, &rd, 0, p, 100, out, NULL), 100);
	for (uint32_t i = 0; i < 100 * CH; i++)
		cr_assert_eq(out[i], 0.5f * a[i]);
	cr_assert_eq(lc_shm_cable_set_volume(&shm, 0, 0.5f, 0), LC_OK);
	cr_assert_eq(lc_shm_set_volume(&shm, LC_SLOT_READER, 0, 0, 4.0f, 0), LC_OK);
	cr_assert_eq(lc_mix_read(&shm, &rd, 0, p, 100, out, NULL), 100);
	for (uint32_t i = 0; i < 100 * CH; i++)
		cr_assert_eq(out[i], 0.5f * a[i] * 2.0f); /* powers of two: exact */
	cr_assert_eq(lc_shm_cable_set_volume(&shm, 0, 0.5f, 1), LC_OK);
	cr_assert_eq(lc_mix_read(&shm, &rd, 0, p, 100, out, NULL), 100);
	for (uint32_t i = 0; i < 100 * CH; i++)
		cr_assert_eq(out[i], 0.0f);
	/* anonymous reads ignore the reader's volume */
	cr_assert_eq(lc_shm_cable_set_volume(&shm, 0, 1.0f, 0), LC_OK);
	cr_assert_eq(lc_mix_read(&shm, NULL, 0, p, 100, out, NULL), 100);
	for (uint32_t i = 0; i < 100 * CH; i++)
		cr_assert_eq(out[i], 0.5f * a[i]);
}

Test(mix, the_readers_meter_sees_what_it_got)
{
	for (uint32_t i = 0; i < RING * CH; i++)
		a[i] = b[i] = 0.25f;
	a[10 * CH + 1] = 0.9f; /* channel 1 of frame 10: 0.9 + 0.25 = 1.15, over full scale */
	b[20 * CH] = -0.5f;    /* channel 0 of frame 20: 0.25 - 0.5 */
	uint64_t p = put(0, 1000, 100);
	put(1, 1000, 100);
	float out[100 * CH];
	cr_assert_eq(lc_mix_read(&shm, &rd, 0, p, 100, out, NULL), 100);
	struct lc_shm_meter *m = &lc_shm_reader_at(&shm, 0, 0)->meter;
	cr_assert_float_eq(lc_meter_level(m, 0, p + 100, 48000), 0.5f, 0);
	cr_assert_float_eq(lc_meter_level(m, 1, p + 100, 48000), 1.15f, 1e-6);
	struct lc_meter_counts c;
	lc_meter_read_counts(m, &c);
	cr_assert_eq(c.frames, 100);
	cr_assert_eq(c.clipped, 1);
	/* writers' meters hold what each played */
	struct lc_meter_counts wc;
	lc_meter_read_counts(&lc_shm_writer_at(&shm, 0, 0)->meter, &wc);
	cr_assert_eq(wc.frames, 100);
	cr_assert_float_eq(lc_meter_level(&lc_shm_writer_at(&shm, 0, 0)->meter, 1, p + 100, 48000),
			   0.9f, 0);
}

Test(mix, hostile_writer_slots_are_left_out_and_counted)
{
	uint64_t p = put(0, 1000, 100);
	put(1, 1000, 100);
	uint64_t before = atomic_load(&shm.n_corrupt);
	struct lc_shm_writer *w1 = lc_shm_writer_at(&shm, 0, 1);
	atomic_store(&w1->ring.end, UINT64_MAX / 2); /* window wider than the ring */
	struct lc_shm_writer *w5 = lc_shm_writer_at(&shm, 0, 5);
	atomic_store(&w5->head.state, 0xffu); /* no such kind */
	float out[100 * CH];
	struct lc_mix_stats st;
	cr_assert_eq(lc_mix_read(&shm, &rd, 0, p, 100, out, &st), 100);
	cr_assert_eq(st.n_writers, 2);
	cr_assert_eq(st.n_excluded, 1);
	cr_assert_eq(st.n_corrupt, 2);
	cr_assert_eq(atomic_load(&shm.n_corrupt), before + 2);
	for (uint32_t i = 0; i < 100 * CH; i++)
		cr_assert_eq(out[i], a[i]);
	/* a NaN volume silences that writer, counted */
	atomic_store(&lc_shm_writer_at(&shm, 0, 0)->head.volume, 0x7fc00000u);
	cr_assert_eq(lc_mix_read(&shm, &rd, 0, p, 100, out, &st), 100);
	for (uint32_t i = 0; i < 100 * CH; i++)
		cr_assert_eq(out[i], 0.0f);
}

Test(mix, a_header_corrupted_after_open_fails_with_silence)
{
	uint64_t p = put(0, 1000, 100);
	((struct lc_shm_root *)(void *)mem)->header.n_cables = 5;
	float out[100 * CH];
	cr_assert_eq(lc_mix_read(&shm, &rd, 0, p, 100, out, NULL), LC_E_CORRUPT);
	for (uint32_t i = 0; i < 100 * CH; i++)
		cr_assert_eq(out[i], 0.0f);
}

Test(mix, a_reader_slot_that_is_not_ours_is_refused)
{
	float out[10 * CH];
	struct lc_slot stale = rd;
	lc_shm_release(&shm, &rd);
	cr_assert_eq(lc_mix_read(&shm, &stale, 0, 0, 10, out, NULL), LC_E_STATE);
	cr_assert_eq(lc_mix_read(&shm, &w[0], 0, 0, 10, out, NULL), LC_E_INVALID);
	cr_assert_eq(lc_mix_read(&shm, NULL, 1, 0, 10, out, NULL), LC_E_INVALID);
	cr_assert_eq(lc_mix_read(&shm, NULL, 0, 0, LC_RING_MAX_FRAMES + 1, out, NULL), LC_E_INVALID);
}

Test(mix, the_horizon_is_a_quarter_ring_behind_now)
{
	cr_assert_eq(lc_mix_horizon(&shm, 0, 10000), 10000 - RING / 4);
	cr_assert_eq(lc_mix_horizon(&shm, 0, 10), 0);
}

/* A second section (another generation of the configuration) with one writer on cable
 * 0, sharing the timeline; rate and channels as given. */
struct peer {
	uint8_t *mem;
	struct lc_shm shm;
	struct lc_slot w;
	struct lc_ring ring;
};

static void
peer_make(struct peer *p, uint32_t rate_hz, uint32_t channels, uint64_t epoch)
{
	struct lc_shm_config cfg = { .n_cables = 1 };
	cfg.cables[0] = (struct lc_shm_cable_config){ "peer", rate_hz, channels, RING };
	uint64_t size = lc_shm_size_for(&cfg);
	p->mem = aligned_alloc(64, (size_t)size);
	const struct lc_clock clk = { epoch, 48000 };
	cr_assert_eq(lc_shm_init(&p->shm, p->mem, size, &cfg, &clk, 2), LC_OK);
	cr_assert_eq(lc_shm_claim(&p->shm, LC_SLOT_WRITER, 0, 30, 5, NULL, &p->w), 0);
	cr_assert_eq(lc_shm_writer_ring(&p->shm, &p->w, &p->ring), LC_OK);
}

Test(mix, a_compatible_peer_generation_is_heard_and_others_are_not)
{
	struct peer same, other_rate, other_channels, other_epoch;
	peer_make(&same, 48000, CH, 0);
	peer_make(&other_rate, 44100, CH, 0);
	peer_make(&other_channels, 48000, CH + 1, 0);
	peer_make(&other_epoch, 48000, CH, 7);
	uint64_t p = put(0, 1000, 100);
	uint64_t q;
	cr_assert_eq(lc_ring_write(&same.ring, 1000, b, 100, &q), 100);
	cr_assert_eq(q, p, "both generations share the timeline");
	cr_assert(lc_mix_peer_compatible(&shm, &same.shm, 0));
	cr_assert(!lc_mix_peer_compatible(&shm, &other_rate.shm, 0));
	cr_assert(!lc_mix_peer_compatible(&shm, &other_channels.shm, 0));
	cr_assert(!lc_mix_peer_compatible(&shm, &other_epoch.shm, 0));
	cr_assert(!lc_mix_peer_compatible(&shm, &same.shm, 1), "no cable 1");

	/* Incompatible peers write too: they must add nothing. */
	float junk[RING * (CH + 1)];
	for (uint32_t i = 0; i < RING * (CH + 1); i++)
		junk[i] = 0.25f;
	cr_assert_eq(lc_ring_write(&other_rate.ring, 1000, junk, 100, &q), 100);
	cr_assert_eq(lc_ring_write(&other_channels.ring, 1000, junk, 100, &q), 100);
	cr_assert_eq(lc_ring_write(&other_epoch.ring, 1000, junk, 100, &q), 100);

	struct lc_shm *peers[] = { &other_rate.shm, &same.shm, &other_channels.shm };
	float out[100 * CH];
	struct lc_mix_stats st;
	cr_assert_eq(lc_mix_read_peers(&shm, &rd, 0, peers, 3, p, 100, out, &st), 100);
	cr_assert_eq(st.n_writers, 3, "2 writers of our own section and the peer's one");
	for (uint32_t i = 0; i < 100 * CH; i++)
		cr_assert_eq(out[i], a[i] + b[i], "sample %u: %f != %f + %f", i, out[i], a[i], b[i]);

	/* The peer's writer is heard from the other side too. */
	struct lc_shm *back[] = { &shm };
	cr_assert_eq(lc_mix_read_peers(&same.shm, NULL, 0, back, 1, p, 100, out, &st), 100);
	for (uint32_t i = 0; i < 100 * CH; i++)
		cr_assert_eq(out[i], b[i] + a[i]);

	struct lc_shm *epoch_peer[] = { &other_epoch.shm };
	cr_assert_eq(lc_mix_read_peers(&shm, NULL, 0, epoch_peer, 1, p, 100, out, &st), 100);
	cr_assert_eq(st.n_writers, 2);

	struct lc_shm *too_many[LC_MIX_MAX_PEERS + 1] = { 0 };
	cr_assert_eq(lc_mix_read_peers(&shm, NULL, 0, too_many, LC_MIX_MAX_PEERS + 1, p, 100, out,
				       NULL), LC_E_INVALID);
	cr_assert_eq(lc_mix_read_peers(&shm, NULL, 0, NULL, 1, p, 100, out, NULL), LC_E_INVALID);
	free(same.mem);
	free(other_rate.mem);
	free(other_channels.mem);
	free(other_epoch.mem);
}
