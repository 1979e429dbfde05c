/* SPDX-License-Identifier: MIT */
/*
 * stress_cable.c — writers, readers, a panel and a reaper on threads, one cable in heap
 * memory, a timeline driven by the real monotonic clock.  Exit 0 and a one-line summary
 * when every mixed sample was exactly what the writers wrote and every counter agrees
 * with what the threads did; exit 1 otherwise.
 *
 * Usage: stress_cable [seconds]   (or LC_STRESS_SECONDS; default 10)
 *
 * Why the mix can be checked exactly: writer w writes at frame f, channel c the value
 * v(w, f, c) * 64^w with v in 1..63, so a sum of the 4 writers is an integer below 2^24
 * (exact in float32) whose 6-bit fields decode back to each writer's contribution.  A
 * field must be 0 (nobody wrote, underflow gap, retracted, writer left out after tearing)
 * or v(w, f, c): a torn or misplaced frame (f read from the slot of f +- ring length,
 * a stale take) fails the check with probability 62/63 per field.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lc_event.h"
#include "lc_mix.h"
#include "lc_result.h"

#define N_WRITERS 4
#define N_READERS 4
#define CH 2u
#define RING 2048u /* small: guard = 512 frames (10.7 ms), so lagging readers do tear */
#define MAX_CHUNK 512u

static struct lc_shm shm;
static uint64_t t0_ns;
static double seconds = 10.0;
static atomic_int stop;
static atomic_int failures;
static _Atomic uint64_t seen[N_WRITERS]; /* nonzero fields observed per writer */
static _Atomic uint64_t fields;          /* fields checked */
static _Atomic uint64_t frames_verified, torn_retries, lag_skips;
static _Atomic uint64_t n_underflows, n_overflows, n_retracts, n_rehomes, n_reclaimed;

/* Counts a failure; prints the first few. */
#define FAIL(...)                                                      \
	do {                                                           \
		if (atomic_fetch_add(&failures, 1) < 10) {             \
			fprintf(stderr, "stress_cable: " __VA_ARGS__); \
			fputc('\n', stderr);                           \
		}                                                      \
	} while (0)

static uint64_t
mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t
now_frame(void)
{
	return lc_clock_frame_at(&shm.clock, mono_ns(), 48000);
}

static void
sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	nanosleep(&ts, NULL);
}

static uint32_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 16);
}

static uint32_t
v_of(uint32_t w, uint64_t f, uint32_t c)
{
	uint64_t h = (f * 2 + c) * UINT64_C(0x9E3779B97F4A7C15) + w * UINT64_C(0xD1B54A32D192ED03);
	h ^= h >> 29;
	return 1 + (uint32_t)(h % 63);
}

struct writer_tally {
	uint64_t frames, underflows, underflow_frames, overflows, overflow_frames;
};

/* The meter of a slot must agree with what its owner did since claiming it. */
static void
check_tally(const struct lc_slot *slot, const struct writer_tally *t, uint32_t w)
{
	struct lc_meter_counts c;
	lc_meter_read_counts(&lc_shm_writer_at(&shm, 0, slot->index)->meter, &c);
	if (c.frames != t->frames || c.underflows != t->underflows ||
	    c.underflow_frames != t->underflow_frames || c.overflows != t->overflows ||
	    c.overflow_frames != t->overflow_frames)
		FAIL("writer %u meter (%llu %llu %llu %llu %llu) != tally (%llu %llu %llu %llu %llu)",
		     w, (unsigned long long)c.frames, (unsigned long long)c.underflows,
		     (unsigned long long)c.underflow_frames, (unsigned long long)c.overflows,
		     (unsigned long long)c.overflow_frames, (unsigned long long)t->frames,
		     (unsigned long long)t->underflows, (unsigned long long)t->underflow_frames,
		     (unsigned long long)t->overflows, (unsigned long long)t->overflow_frames);
}

static int
claim_writer(uint32_t w, uint64_t start, struct lc_slot *slot, struct lc_ring *ring)
{
	if (lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 1000 + w, start, NULL, slot) < 0 ||
	    lc_shm_writer_ring(&shm, slot, ring) != LC_OK) {
		FAIL("writer %u cannot claim a slot", w);
		return -1;
	}
	return 0;
}

static void *
writer_main(void *arg)
{
	uint32_t w = (uint32_t)(uintptr_t)arg;
	uint64_t s = 0x1234567u + w * 7919u, start = 1;
	static _Thread_local float buf[(MAX_CHUNK + 64) * CH];
	struct lc_slot slot;
	struct lc_ring ring;
	struct writer_tally t = { 0 };
	int primed = 0;
	uint64_t last_end = 0;

	if (claim_writer(w, start, &slot, &ring))
		return NULL;
	while (!atomic_load(&stop)) {
		uint64_t now = now_frame();
		uint32_t room = lc_ring_writable(&ring, now);
		uint64_t cur = lc_ring_cursor(&ring, now);
		uint32_t n = 1 + rnd(&s) % MAX_CHUNK;
		if (rnd(&s) % 40 != 0 && n > room) /* now and then, ask for too much */
			n = room ? room : 1;
		for (uint32_t i = 0; i < n; i++)
			for (uint32_t c = 0; c < CH; c++)
				buf[i * CH + c] = (float)(v_of(w, cur + i, c) << (6 * w));
		uint64_t pos;
		int got = lc_ring_write(&ring, now, buf, n, &pos);
		uint32_t want = n < room ? n : room;
		if (got != (int)want || pos != cur)
			FAIL("writer %u: write %d at %llu, expected %u at %llu", w, got,
			     (unsigned long long)pos, want, (unsigned long long)cur);
		if (primed && last_end < now) {
			t.underflows++;
			t.underflow_frames += pos - last_end;
			atomic_fetch_add(&n_underflows, 1);
		}
		if (got < (int)n) {
			t.overflows++;
			t.overflow_frames += n - (uint32_t)(got < 0 ? 0 : got);
			atomic_fetch_add(&n_overflows, 1);
		}
		if (got > 0) {
			t.frames += (uint64_t)got;
			primed = 1;
			last_end = pos + (uint64_t)got;
		}
		uint32_t dice = rnd(&s) % 1000;
		if (dice < 5) { /* pause: take back what is ahead of now */
			if (lc_ring_retract(&ring, now) < 0)
				FAIL("writer %u lost its slot", w);
			primed = 0;
			atomic_fetch_add(&n_retracts, 1);
		} else if (dice < 8) { /* stall longer than the 32 ms written ahead: late */
			sleep_us(40000);
		} else if (dice < 10) { /* close and reopen: maybe another slot */
			lc_ring_retract(&ring, now);
			check_tally(&slot, &t, w);
			if (lc_shm_release(&shm, &slot) != LC_OK)
				FAIL("writer %u: release failed", w);
			memset(&t, 0, sizeof t);
			primed = 0;
			if (claim_writer(w, ++start, &slot, &ring))
				return NULL;
			atomic_fetch_add(&n_rehomes, 1);
		}
		sleep_us(500 + rnd(&s) % 1500);
	}
	check_tally(&slot, &t, w);
	lc_shm_release(&shm, &slot);
	return NULL;
}

static void
verify(const float *out, uint64_t from, uint32_t n)
{
	uint64_t local_seen[N_WRITERS] = { 0 };
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t c = 0; c < CH; c++) {
			float x = out[i * CH + c];
			uint32_t u = (uint32_t)x;
			if (!(x >= 0.0f && x < 16777216.0f) || (float)u != x) {
				FAIL("frame %llu ch %u: %g is not a sum of fields",
				     (unsigned long long)(from + i), c, x);
				return;
			}
			for (uint32_t w = 0; w < N_WRITERS; w++) {
				uint32_t v = (u >> (6 * w)) & 63u;
				if (v && v != v_of(w, from + i, c)) {
					FAIL("frame %llu ch %u writer %u: %u != %u (torn?)",
					     (unsigned long long)(from + i), c, w, v,
					     v_of(w, from + i, c));
					return;
				}
				local_seen[w] += v != 0;
			}
		}
	for (uint32_t w = 0; w < N_WRITERS; w++)
		atomic_fetch_add(&seen[w], local_seen[w]);
	atomic_fetch_add(&fields, (uint64_t)n * CH * N_WRITERS);
	atomic_fetch_add(&frames_verified, n);
}

static void *
reader_main(void *arg)
{
	uint32_t r = (uint32_t)(uintptr_t)arg;
	uint64_t s = 0xabcdefu + r * 104729u, frames = 0, lost = 0, lost_events = 0;
	static _Thread_local float out[1024 * CH];
	struct lc_slot slot;
	if (lc_shm_claim(&shm, LC_SLOT_READER, 0, 2000 + r, 1, NULL, &slot) < 0) {
		FAIL("reader %u cannot claim", r);
		return NULL;
	}
	struct lc_shm_meter *m = &lc_shm_reader_at(&shm, 0, slot.index)->meter;
	uint64_t last = now_frame();
	while (!atomic_load(&stop) && r == N_READERS - 1) {
		/* The hunter reads the frames writers are overwriting right now (below the
		 * horizon): whatever it gets must still be exact or silence. */
		uint64_t horizon = lc_mix_horizon(&shm, 0, now_frame());
		uint64_t from = horizon > 512 ? horizon - 512 : 0;
		struct lc_mix_stats st;
		int got = lc_mix_read(&shm, &slot, 0, from, 1024, out, &st);
		if (got != 1024) {
			FAIL("hunter: mix returned %s", lc_result_str(got));
		} else {
			verify(out, from, 1024);
			frames += 1024;
			if (st.n_attempts > 1)
				atomic_fetch_add(&torn_retries, st.n_attempts - 1);
		}
		sleep_us(100);
	}
	while (!atomic_load(&stop)) {
		uint64_t now = now_frame();
		uint64_t horizon = lc_mix_horizon(&shm, 0, now);
		if (last < horizon) { /* we slept too long: those frames are gone */
			lc_meter_count_overflow(m, horizon - last);
			lost += horizon - last;
			lost_events++;
			atomic_fetch_add(&lag_skips, 1);
			last = horizon;
		}
		while (last < now) {
			uint32_t n = now - last < 1024 ? (uint32_t)(now - last) : 1024;
			struct lc_mix_stats st;
			int got = lc_mix_read(&shm, &slot, 0, last, n, out, &st);
			if (got != (int)n) {
				FAIL("reader %u: mix returned %s", r, lc_result_str(got));
				break;
			}
			if (st.n_attempts > 1)
				atomic_fetch_add(&torn_retries, st.n_attempts - 1);
			verify(out, last, n);
			frames += n;
			last += n;
		}
		/* now and then lag to the edge of the horizon, where writers overwrite what
		 * we copy: the torn-read path */
		sleep_us(rnd(&s) % 50 ? 300 + rnd(&s) % 3000 : 9000 + rnd(&s) % 4000);
	}
	struct lc_meter_counts c;
	lc_meter_read_counts(m, &c);
	if (c.frames != frames || c.overflows != lost_events || c.overflow_frames != lost)
		FAIL("reader %u meter disagrees: frames %llu/%llu lost %llu/%llu", r,
		     (unsigned long long)c.frames, (unsigned long long)frames,
		     (unsigned long long)c.overflow_frames, (unsigned long long)lost);
	lc_shm_release(&shm, &slot);
	return NULL;
}

/* A panel reading everything at display rate, and a reaper freeing a "dead" process's
 * slots while the live ones keep going. */
static void *
panel_main(void *arg)
{
	(void)arg;
	struct lc_slot win, ghost;
	struct lc_owner owners[LC_SHM_MAX_OWNERS];
	uint64_t hwnds[LC_PANEL_SLOTS];
	uint32_t ev;
	while (!atomic_load(&stop)) {
		if (lc_shm_panel_register(&shm, 0xC0FFEE, 3000, 1, &win) < 0)
			FAIL("panel cannot register");
		/* a client of a process that is about to die: claimed, never released */
		if (lc_shm_claim(&shm, LC_SLOT_WRITER, 0, 9999, 1, NULL, &ghost) < 0)
			FAIL("ghost cannot claim");
		lc_shm_event_post(&shm, lc_event_pack(LC_EVENT_CLIENT_OPENED, 0, ghost.index,
						      LC_EVENT_KIND_WRITER));
		for (uint32_t i = 0; i < LC_WRITER_SLOTS; i++) {
			struct lc_slot_info info;
			lc_shm_slot_info(&shm, LC_SLOT_WRITER, 0, i, &info);
			for (uint32_t c = 0; c < CH; c++)
				(void)lc_meter_level(&lc_shm_writer_at(&shm, 0, i)->meter, c,
						     now_frame(), 48000);
		}
		lc_shm_cable_set_volume(&shm, 0, 1.0f, 0);
		int n_owners = lc_shm_owners(&shm, owners, LC_SHM_MAX_OWNERS);
		if (n_owners < 0)
			FAIL("owners: %s", lc_result_str(n_owners));
		const struct lc_owner dead = { 9999, 0, 1 };
		int freed = lc_shm_reclaim(&shm, &dead, 1);
		if (freed != 1)
			FAIL("reaper freed %d slots of the dead process, expected 1", freed);
		atomic_fetch_add(&n_reclaimed, (uint64_t)(freed > 0 ? freed : 0));
		if (lc_shm_panel_list(&shm, hwnds, LC_PANEL_SLOTS) != 1)
			FAIL("panel list");
		lc_shm_event_get(&shm, lc_shm_event_seq(&shm), &ev);
		if (lc_shm_panel_unregister(&shm, &win) != LC_OK)
			FAIL("panel unregister");
		sleep_us(16000); /* ~60 Hz */
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	const char *env = getenv("LC_STRESS_SECONDS");
	if (argc > 1)
		seconds = atof(argv[1]);
	else if (env)
		seconds = atof(env);
	if (!(seconds > 0.0))
		seconds = 10.0;

	struct lc_shm_config cfg = { .n_cables = 1 };
	cfg.cables[0] = (struct lc_shm_cable_config){ "stress", 48000, CH, RING };
	uint64_t size = lc_shm_size_for(&cfg);
	void *mem = aligned_alloc(64, (size_t)size);
	t0_ns = mono_ns();
	struct lc_clock clk = { t0_ns, 1000000000u };
	if (!mem || lc_shm_init(&shm, mem, size, &cfg, &clk, 1) != LC_OK) {
		fprintf(stderr, "stress_cable: cannot set up the section\n");
		return 1;
	}
	pthread_t th[N_WRITERS + N_READERS + 1];
	int n = 0;
	for (uintptr_t i = 0; i < N_WRITERS; i++)
		pthread_create(&th[n++], NULL, writer_main, (void *)i);
	for (uintptr_t i = 0; i < N_READERS; i++)
		pthread_create(&th[n++], NULL, reader_main, (void *)i);
	pthread_create(&th[n++], NULL, panel_main, NULL);
	sleep_us((long)(seconds * 1e6));
	atomic_store(&stop, 1);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);

	uint64_t all = atomic_load(&fields), heard = 0;
	for (int w = 0; w < N_WRITERS; w++) {
		heard += atomic_load(&seen[w]);
		if (atomic_load(&seen[w]) == 0)
			FAIL("no reader ever heard writer %d", w);
	}
	if (atomic_load(&frames_verified) < (uint64_t)(seconds * 48000) * N_READERS / 2)
		FAIL("readers verified only %llu frames",
		     (unsigned long long)atomic_load(&frames_verified));
	if (atomic_load(&shm.n_corrupt) != 0)
		FAIL("%llu validation failures in a clean run",
		     (unsigned long long)atomic_load(&shm.n_corrupt));
	int bad = atomic_load(&failures);
	printf("stress_cable: %s in %.1f s: %d writers, %d readers; %llu frames verified "
	       "(%.0f%% of fields audible), %llu torn-read retries, %llu reader lag skips, "
	       "%llu underflows, %llu overflows, %llu retracts, %llu reopens, %llu slots "
	       "reclaimed; %d failures\n",
	       bad ? "FAIL" : "OK", seconds, N_WRITERS, N_READERS,
	       (unsigned long long)atomic_load(&frames_verified),
	       all ? 100.0 * (double)heard / (double)all : 0.0,
	       (unsigned long long)atomic_load(&torn_retries),
	       (unsigned long long)atomic_load(&lag_skips),
	       (unsigned long long)atomic_load(&n_underflows),
	       (unsigned long long)atomic_load(&n_overflows),
	       (unsigned long long)atomic_load(&n_retracts),
	       (unsigned long long)atomic_load(&n_rehomes),
	       (unsigned long long)atomic_load(&n_reclaimed), bad);
	free(mem);
	return bad ? 1 : 0;
}
