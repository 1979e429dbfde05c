/* SPDX-License-Identifier: MIT */
/* test_ring.c — the writer ring: policy table rows, wrap-around, retract, torn reads. */
#include <criterion/criterion.h>
#include <string.h>

#include "lc_meter.h"
#include "lc_result.h"
#include "lc_ring.h"

#define N 256u /* frames; lead = 32 (N / 8 < 10 ms), guard = 64 */
#define CH 2u

static struct lc_shm_ring_ctl ctl;
static struct lc_shm_meter meter;
static float store[N * CH];
static struct lc_ring ring;

static void
setup(void)
{
	memset(&ctl, 0, sizeof ctl);
	memset(store, 0x7f, sizeof store); /* garbage: must never be read as valid */
	lc_meter_reset(&meter);
	cr_assert_eq(lc_ring_view_init(&ring, &ctl, store, N, CH, 48000), LC_OK);
	ring.meter = &meter;
	cr_assert_eq(ring.lead_frames, 32);
	cr_assert_eq(ring.guard_frames, 64);
}

TestSuite(ring, .init = setup);

/* The value frame f, channel c carries in these tests: exact in float32. */
static float
sig(uint64_t f, uint32_t c)
{
	return (float)((f % 100000) * 2 + c + 1);
}

static void
fill(float *buf, uint64_t pos, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t c = 0; c < CH; c++)
			buf[i * CH + c] = sig(pos + i, c);
}

/* Writes n frames of sig() at the cursor; returns the position used. */
static uint64_t
write_sig(uint64_t now, uint32_t n, int expect)
{
	float buf[N * CH];
	uint64_t cur = lc_ring_cursor(&ring, now);
	fill(buf, cur, n);
	uint64_t pos = 0;
	cr_assert_eq(lc_ring_write(&ring, now, buf, n, &pos), expect);
	cr_assert_eq(pos, cur);
	return pos;
}

static void
assert_frames(const float *buf, uint64_t from, uint64_t lo, uint64_t hi, uint64_t to)
{
	for (uint64_t f = from; f < to; f++)
		for (uint32_t c = 0; c < CH; c++) {
			float want = (f >= lo && f < hi) ? sig(f, c) : 0.0f;
			cr_assert_eq(buf[(f - from) * CH + c], want, "frame %llu ch %u: %g != %g",
				     (unsigned long long)f, c, buf[(f - from) * CH + c], want);
		}
}

static struct lc_meter_counts
counts(void)
{
	struct lc_meter_counts c;
	lc_meter_read_counts(&meter, &c);
	return c;
}

Test(ring, view_rejects_bad_geometry)
{
	struct lc_ring r;
	cr_assert_eq(lc_ring_view_init(&r, &ctl, store, 300, 2, 48000), LC_E_INVALID);
	cr_assert_eq(lc_ring_view_init(&r, &ctl, store, 128, 2, 48000), LC_E_INVALID);
	cr_assert_eq(lc_ring_view_init(&r, &ctl, store, N, 0, 48000), LC_E_INVALID);
	cr_assert_eq(lc_ring_view_init(&r, &ctl, store, N, 33, 48000), LC_E_INVALID);
	cr_assert_eq(lc_ring_view_init(&r, &ctl, store, N, 2, 0), LC_E_INVALID);
	cr_assert_eq(lc_ring_view_init(&r, NULL, store, N, 2, 48000), LC_E_INVALID);
}

Test(ring, first_write_goes_lead_frames_ahead_of_now)
{
	uint64_t pos = write_sig(1000, 10, 10);
	cr_assert_eq(pos, 1032);
	float out[40 * CH];
	struct lc_ring_span v;
	cr_assert_eq(lc_ring_read(&ring, 1020, 40, out, &v), 10);
	cr_assert_eq(v.from, 1032);
	cr_assert_eq(v.to, 1042);
	assert_frames(out, 1020, 1032, 1042, 1060);
	cr_assert_eq(counts().underflows, 0);
	cr_assert_eq(counts().frames, 10);
}

Test(ring, writes_on_time_are_contiguous)
{
	write_sig(1000, 10, 10);
	cr_assert_eq(write_sig(1040, 20, 20), 1042); /* end 1042 >= now 1040: continue */
	float out[30 * CH];
	cr_assert_eq(lc_ring_read(&ring, 1032, 30, out, NULL), 30);
	assert_frames(out, 1032, 1032, 1062, 1062);
}

Test(ring, a_write_across_the_end_of_storage_is_two_copies)
{
	uint64_t pos = write_sig(200, 100, 100); /* frames 232..331: slots 232..255, 0..75 */
	cr_assert_eq(pos, 232);
	cr_assert_eq(store[(232 & (N - 1)) * CH], sig(232, 0));
	cr_assert_eq(store[255 * CH + 1], sig(255, 1));
	cr_assert_eq(store[0], sig(256, 0)); /* second copy starts at slot 0 */
	cr_assert_eq(store[75 * CH + 1], sig(331, 1));
	float out[100 * CH];
	cr_assert_eq(lc_ring_read(&ring, 232, 100, out, NULL), 100);
	assert_frames(out, 232, 232, 332, 332);
}

Test(ring, old_frames_fall_out_as_the_window_moves)
{
	uint64_t now = 1000;
	write_sig(now, 100, 100); /* 1032..1131 */
	for (int i = 0; i < 10; i++) {
		now += 100;
		write_sig(now, 100, 100);
	}
	/* end = 2132, so start = 2132 - N */
	cr_assert_eq(atomic_load(&ctl.end), 2132);
	cr_assert_eq(atomic_load(&ctl.start), 2132 - N);
	float out[N * CH];
	struct lc_ring_span v;
	cr_assert_eq(lc_ring_read(&ring, 2132 - N - 10, N, out, &v), N - 10);
	cr_assert_eq(v.from, 2132 - N);
	assert_frames(out, 2132 - N - 10, 2132 - N, 2132, 2132 - 10);
}

Test(ring, retract_takes_back_and_unprimes)
{
	write_sig(1000, 50, 50); /* 1032..1081 */
	uint64_t seq = atomic_load(&ctl.seq);
	cr_assert_eq(lc_ring_retract(&ring, 1052), 30);
	cr_assert_eq(atomic_load(&ctl.seq), seq + 1);
	float out[50 * CH];
	struct lc_ring_span v;
	cr_assert_eq(lc_ring_read(&ring, 1032, 50, out, &v), 20);
	cr_assert_eq(v.to, 1052);
	assert_frames(out, 1032, 1032, 1052, 1082);
	/* unprimed: continues at max(end, now + lead) = 1052, no underflow counted */
	cr_assert_eq(write_sig(1000, 10, 10), 1052);
	/* retracting at now after time passed: next write starts now + lead, uncounted */
	cr_assert_eq(lc_ring_retract(&ring, 1055), 7);
	cr_assert_eq(write_sig(1200, 10, 10), 1232);
	cr_assert_eq(counts().underflows, 0);
	cr_assert_eq(lc_ring_retract(&ring, 5000), 0); /* nothing beyond the end */
}

Test(ring, retract_before_start_empties)
{
	write_sig(1000, 50, 50);
	cr_assert_eq(lc_ring_retract(&ring, 0), 50);
	float out[50 * CH];
	cr_assert_eq(lc_ring_read(&ring, 1032, 50, out, NULL), 0);
	assert_frames(out, 1032, 0, 0, 1082);
}

Test(ring, late_write_is_an_underflow_with_silence_in_the_gap)
{
	write_sig(1000, 10, 10); /* end 1042 */
	cr_assert_eq(write_sig(1100, 10, 10), 1132); /* late: now + lead */
	struct lc_meter_counts c = counts();
	cr_assert_eq(c.underflows, 1);
	cr_assert_eq(c.underflow_frames, 90);
	float out[100 * CH];
	struct lc_ring_span v;
	cr_assert_eq(lc_ring_read(&ring, 1042, 100, out, &v), 100);
	for (uint32_t i = 0; i < 90 * CH; i++)
		cr_assert_eq(out[i], 0.0f, "gap sample %u", i);
	assert_frames(out + 90 * CH, 1132, 1132, 1142, 1142);
}

Test(ring, a_gap_longer_than_the_ring_restarts_the_window)
{
	write_sig(1000, 10, 10);
	cr_assert_eq(write_sig(5000, 10, 10), 5032);
	cr_assert_eq(counts().underflow_frames, 5032 - 1042);
	cr_assert_eq(atomic_load(&ctl.start), 5032);
	float out[10 * CH];
	cr_assert_eq(lc_ring_read(&ring, 1032, 10, out, NULL), 0); /* the old take is gone */
	cr_assert_eq(lc_ring_read(&ring, 5032, 10, out, NULL), 10);
	assert_frames(out, 5032, 5032, 5042, 5042);
}

Test(ring, too_far_ahead_is_an_overflow_and_the_rest_is_refused)
{
	/* limit = now + N - guard = 1192; cursor 1032 -> 160 frames fit */
	cr_assert_eq(lc_ring_writable(&ring, 1000), 160);
	write_sig(1000, 200, 160);
	struct lc_meter_counts c = counts();
	cr_assert_eq(c.overflows, 1);
	cr_assert_eq(c.overflow_frames, 40);
	cr_assert_eq(lc_ring_writable(&ring, 1000), 0);
	write_sig(1000, 5, 0);
	cr_assert_eq(counts().overflows, 2);
	/* time passes, room appears exactly as now advances */
	cr_assert_eq(lc_ring_writable(&ring, 1050), 50);
	write_sig(1050, 50, 50);
	cr_assert_eq(counts().overflows, 2);
	cr_assert_eq(counts().frames, 210);
}

Test(ring, silence_writes_are_valid_zeroes)
{
	uint64_t pos;
	cr_assert_eq(lc_ring_write(&ring, 1000, NULL, 20, &pos), 20);
	float out[20 * CH];
	cr_assert_eq(lc_ring_read(&ring, pos, 20, out, NULL), 20);
	for (uint32_t i = 0; i < 20 * CH; i++)
		cr_assert_eq(out[i], 0.0f);
}

Test(ring, overwrite_during_a_read_is_detected)
{
	write_sig(1000, 100, 100); /* window 1032..1131 */
	struct lc_ring_region rg;
	cr_assert_eq(lc_ring_read_begin(&ring, 1032, 100, &rg), 100);
	cr_assert_eq(rg.n1, 100);
	/* the writer runs N frames further while the reader "copies" */
	write_sig(1100, 50, 50);  /* 1132..1181 */
	write_sig(1150, 100, 100); /* 1182..1281: start = 1282 - 256 = 1026 */
	write_sig(1250, 50, 50);  /* end 1332: start 1076, frames 1032..1075 overwritten */
	cr_assert_eq(lc_ring_read_end(&ring, &rg), 1132 - 1076);
	cr_assert_eq(rg.lo, 1076);
}

Test(ring, retract_during_a_read_is_detected)
{
	write_sig(1000, 100, 100);
	struct lc_ring_region rg;
	cr_assert_eq(lc_ring_read_begin(&ring, 1040, 50, &rg), 50);
	lc_ring_retract(&ring, 1060);
	write_sig(1000, 40, 40); /* rewrites 1060.. with another take */
	cr_assert_eq(lc_ring_read_end(&ring, &rg), LC_E_STATE);
	/* a fresh read sees the consistent new state */
	float out[50 * CH];
	cr_assert_eq(lc_ring_read(&ring, 1040, 50, out, NULL), 50);
}

Test(ring, regions_split_at_the_end_of_storage)
{
	write_sig(200, 100, 100); /* 232..331 */
	struct lc_ring_region rg;
	cr_assert_eq(lc_ring_read_begin(&ring, 240, 80, &rg), 80);
	cr_assert_eq(rg.n1, 16); /* slots 240..255 */
	cr_assert_eq(rg.n2, 64); /* slots 0..63 */
	cr_assert_eq(rg.data1[0], sig(240, 0));
	cr_assert_eq(rg.data2[0], sig(256, 0));
	cr_assert_eq(lc_ring_read_end(&ring, &rg), 80);
}

Test(ring, add_sums_with_gain_into_the_valid_part_only)
{
	write_sig(1000, 10, 10); /* 1032..1041 */
	float acc[20 * CH];
	for (uint32_t i = 0; i < 20 * CH; i++)
		acc[i] = 1.0f;
	struct lc_ring_span v;
	cr_assert_eq(lc_ring_add(&ring, 1027, 20, 0.5f, acc, &v), 10);
	cr_assert_eq(v.from, 1032);
	for (uint64_t f = 1027; f < 1047; f++)
		for (uint32_t c = 0; c < CH; c++) {
			float want = 1.0f + ((f >= 1032 && f < 1042) ? 0.5f * sig(f, c) : 0.0f);
			cr_assert_eq(acc[(f - 1027) * CH + c], want);
		}
}

Test(ring, a_lost_slot_refuses_writes_and_retracts)
{
	_Atomic uint64_t state = 42;
	ring.owner_state = &state;
	ring.owner_word = 42;
	write_sig(1000, 10, 10);
	atomic_store(&state, 43); /* reclaimed by someone */
	float buf[CH] = { 0 };
	cr_assert_eq(lc_ring_write(&ring, 1000, buf, 1, NULL), LC_E_STATE);
	cr_assert_eq(lc_ring_retract(&ring, 0), LC_E_STATE);
}

Test(ring, an_inconsistent_window_is_refused_and_repaired_by_the_writer)
{
	write_sig(1000, 10, 10);
	atomic_store(&ctl.start, 0);
	atomic_store(&ctl.end, 100000); /* wider than the ring */
	float out[10 * CH];
	cr_assert_eq(lc_ring_read(&ring, 99990, 10, out, NULL), LC_E_CORRUPT);
	for (uint32_t i = 0; i < 10 * CH; i++)
		cr_assert_eq(out[i], 0.0f);
	cr_assert_eq(lc_ring_add(&ring, 99990, 10, 1.0f, out, NULL), LC_E_CORRUPT);
	atomic_store(&ctl.end, UINT64_MAX); /* beyond any timeline */
	atomic_store(&ctl.start, UINT64_MAX - 5);
	cr_assert_eq(lc_ring_read(&ring, 0, 10, out, NULL), LC_E_CORRUPT);
	float buf[CH] = { 1, 2 };
	cr_assert_eq(lc_ring_write(&ring, 2000, buf, 1, NULL), LC_E_CORRUPT);
	cr_assert_eq(atomic_load(&ctl.end), 0); /* reset */
	cr_assert_eq(write_sig(2000, 10, 10), 2032);
}

/* Another process can move a window, consistently, far ahead of "now": the writer
 * would otherwise wait for the timeline to get there. */
Test(ring, a_window_beyond_the_timeline_is_repaired_by_the_writer)
{
	write_sig(1000, 10, 10);
	uint64_t far = UINT64_C(1) << 40;
	atomic_store(&ctl.start, far - 10);
	atomic_store(&ctl.end, far);
	uint64_t seq = atomic_load(&ctl.seq);
	/* as for an empty ring: cursor now + lead, room up to now + N - guard */
	cr_assert_eq(lc_ring_cursor(&ring, 2000), 2032);
	cr_assert_eq(lc_ring_writable(&ring, 2000), 160);
	cr_assert_eq(write_sig(2000, 10, 10), 2032);
	cr_assert_gt(atomic_load(&ctl.seq), seq, "readers must see the window replaced");
	cr_assert_eq(atomic_load(&ctl.start), 2032);
	cr_assert_eq(atomic_load(&ctl.end), 2042);
	float out[10 * CH];
	cr_assert_eq(lc_ring_read(&ring, 2032, 10, out, NULL), 10);
	assert_frames(out, 2032, 2032, 2042, 2042);
	cr_assert_eq(counts().underflows, 0);
	cr_assert_eq(counts().overflows, 0);

	/* unprimed too (flags are as writable as the rest) */
	atomic_store(&ctl.start, far - 10);
	atomic_store(&ctl.end, far);
	atomic_store(&ctl.flags, 0);
	cr_assert_eq(lc_ring_cursor(&ring, 3000), 3032);
	cr_assert_eq(write_sig(3000, 10, 10), 3032);

	/* a window the writer itself can have left (up to 2N ahead of an older "now")
	 * stays: its frames are still to be heard */
	atomic_store(&ctl.start, 3000 + 2 * N - 10);
	atomic_store(&ctl.end, 3000 + 2 * N);
	atomic_store(&ctl.flags, LC_RING_PRIMED);
	cr_assert_eq(lc_ring_cursor(&ring, 3000), 3000 + 2 * N);
	cr_assert_eq(lc_ring_writable(&ring, 3000), 0);
}

Test(ring, reset_empties_and_positions_beyond_the_timeline_are_invalid)
{
	write_sig(1000, 10, 10);
	lc_ring_reset(&ring);
	float out[10 * CH];
	cr_assert_eq(lc_ring_read(&ring, 1032, 10, out, NULL), 0);
	cr_assert_eq(lc_ring_read(&ring, LC_RING_MAX_POS, 10, out, NULL), LC_E_INVALID);
	cr_assert_eq(lc_ring_write(&ring, LC_RING_MAX_POS, out, 1, NULL), LC_E_INVALID);
	cr_assert_eq(write_sig(3000, 5, 5), 3032);
}

Test(ring, writes_update_the_writers_levels)
{
	float buf[4 * CH] = { 0.1f, -0.5f, 0.25f, 0.0f, -0.3f, 0.2f, 0.0f, 0.0f };
	cr_assert_eq(lc_ring_write(&ring, 1000, buf, 4, NULL), 4);
	cr_assert_float_eq(lc_meter_level(&meter, 0, 1036, 48000), 0.3f, 0);
	cr_assert_float_eq(lc_meter_level(&meter, 1, 1036, 48000), 0.5f, 0);
}

/* The real kernels (AVX2 on a CPU that has it): blocks of 8, tails, both wrap halves. */
Test(ring, store_and_add_match_the_scalar_definition_for_odd_lengths)
{
	float buf[N * CH], acc[N * CH], want[N * CH];
	for (uint32_t n = 1; n <= 157; n += 13) { /* 160 frames are writable */
		lc_ring_reset(&ring);
		uint64_t pos;
		for (uint32_t i = 0; i < n * CH; i++)
			buf[i] = (float)i * 0.37f - 11.0f;
		/* now chosen so that the frames straddle the end of the storage */
		cr_assert_eq(lc_ring_write(&ring, 220 - 32 + (n & 7), buf, n, &pos), (int)n);
		uint32_t span = n + 6;
		for (uint32_t i = 0; i < span * CH; i++)
			acc[i] = 3.0f;
		/* + 3: the gap the first write after a reset fills is valid silence */
		cr_assert_eq(lc_ring_store(&ring, pos - 3, span, 0.75f, acc, NULL), (int)n + 3);
		for (uint32_t i = 0; i < span * CH; i++) {
			int64_t k = (int64_t)i - 3 * CH;
			want[i] = (k >= 0 && k < (int64_t)(n * CH)) ? 0.75f * buf[k] : 0.0f;
			cr_assert_eq(acc[i], want[i], "store n %u sample %u", n, i);
		}
		cr_assert_eq(lc_ring_add(&ring, pos - 3, span, -2.0f, acc, NULL), (int)n + 3);
		for (uint32_t i = 0; i < span * CH; i++) {
			int64_t k = (int64_t)i - 3 * CH;
			float w = want[i] + ((k >= 0 && k < (int64_t)(n * CH)) ? -2.0f * buf[k] : 0.0f);
			cr_assert_eq(acc[i], w, "add n %u sample %u", n, i);
		}
	}
}

Test(ring, store_of_an_empty_range_is_silence)
{
	float acc[8 * CH];
	for (uint32_t i = 0; i < 8 * CH; i++)
		acc[i] = 5.0f;
	cr_assert_eq(lc_ring_store(&ring, 100, 8, 1.0f, acc, NULL), 0);
	for (uint32_t i = 0; i < 8 * CH; i++)
		cr_assert_eq(acc[i], 0.0f);
}
