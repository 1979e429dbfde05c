/* SPDX-License-Identifier: MIT */
/*
 * lc_ring.c — writer ring: policy, publication and torn-free reads (contract and memory
 * orders in lc_ring.h).
 */
#include "lc_ring.h"

#include <string.h>

#include "lc_meter.h"
#include "lc_result.h"

/*
 * The payload is a seqlock's data: plain loads race with plain stores by design and the
 * control words decide what counts.  ThreadSanitizer would report those races, so under
 * TSan (and only there) the payload loops run inside its documented ignore annotations;
 * the atomics that carry the protocol remain fully checked.
 */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LC_RING_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define LC_RING_TSAN 1
#endif

#ifdef LC_RING_TSAN
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
void AnnotateIgnoreWritesBegin(const char *file, int line);
void AnnotateIgnoreWritesEnd(const char *file, int line);
#define LC_RING_PAYLOAD_BEGIN()                                 \
	do {                                                    \
		AnnotateIgnoreReadsBegin(__FILE__, __LINE__);   \
		AnnotateIgnoreWritesBegin(__FILE__, __LINE__);  \
	} while (0)
#define LC_RING_PAYLOAD_END()                                   \
	do {                                                    \
		AnnotateIgnoreWritesEnd(__FILE__, __LINE__);    \
		AnnotateIgnoreReadsEnd(__FILE__, __LINE__);     \
	} while (0)
#else
#define LC_RING_PAYLOAD_BEGIN() ((void)0)
#define LC_RING_PAYLOAD_END() ((void)0)
#endif

static uint64_t
max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

int
lc_ring_view_init(struct lc_ring *ring, struct lc_shm_ring_ctl *ctl, float *data,
		  uint32_t n_frames, uint32_t n_channels, uint32_t rate_hz)
{
	if (!ring || !ctl || !data || n_frames < LC_RING_MIN_FRAMES ||
	    n_frames > LC_RING_MAX_FRAMES || (n_frames & (n_frames - 1)) != 0 ||
	    n_channels == 0 || n_channels > LC_MAX_CHANNELS || rate_hz == 0 ||
	    rate_hz > LC_RATE_MAX_HZ)
		return LC_E_INVALID;
	memset(ring, 0, sizeof *ring);
	ring->ctl = ctl;
	ring->data = data;
	ring->n_frames = n_frames;
	ring->mask = n_frames - 1;
	ring->n_channels = n_channels;
	ring->rate_hz = rate_hz;
	ring->lead_frames = rate_hz / 100 < n_frames / 8 ? rate_hz / 100 : n_frames / 8;
	ring->guard_frames = n_frames / 4;
	return LC_OK;
}

static int
owned(const struct lc_ring *ring)
{
	/* Relaxed: ownership only ever goes away (reclaim), and a write that races a
	 * reclaim is harmless to everyone but the writer itself. */
	return !ring->owner_state ||
	       atomic_load_explicit(ring->owner_state, memory_order_relaxed) == ring->owner_word;
}

/* Whether end lies where no write of ours can have put it (lc_ring.h, "a window
 * beyond the timeline"): a write at "now" ends at most N - guard frames ahead, and
 * the slack of another N keeps a writer that passes a "now" a little older than that
 * of its last write (the driver converts between the two) from doubting its own
 * window.  now < LC_RING_MAX_POS and n_frames <= 2^20: no overflow. */
static int
beyond_timeline(const struct lc_ring *ring, uint64_t now, uint64_t end)
{
	return end > now + 2 * (uint64_t)ring->n_frames;
}

/* The cursor a write at now would use; *late is set for the underflow row. */
static uint64_t
plan_cursor(const struct lc_ring *ring, uint64_t now, uint64_t end, int *late)
{
	uint32_t flags = atomic_load_explicit(&ring->ctl->flags, memory_order_relaxed);
	uint64_t lead = ring->lead_frames < ring->n_frames / 8 ? ring->lead_frames
							       : ring->n_frames / 8;

	*late = 0;
	/* The window the writer will repair (lc_ring_write): as if reset. */
	if (beyond_timeline(ring, now, end))
		return now + lead;
	if (!(flags & LC_RING_PRIMED))
		return max_u64(end, now + lead);
	if (end >= now)
		return end;
	*late = 1;
	return now + lead;
}

static uint64_t
limit_for(const struct lc_ring *ring, uint64_t now)
{
	uint32_t guard = ring->guard_frames < ring->n_frames ? ring->guard_frames : 0;
	return now + ring->n_frames - guard;
}

uint64_t
lc_ring_cursor(const struct lc_ring *ring, uint64_t now)
{
	int late;
	uint64_t end = atomic_load_explicit(&ring->ctl->end, memory_order_relaxed);
	return plan_cursor(ring, now, end, &late);
}

uint32_t
lc_ring_writable(const struct lc_ring *ring, uint64_t now)
{
	uint64_t cur = lc_ring_cursor(ring, now);
	uint64_t limit = limit_for(ring, now);
	return cur >= limit ? 0 : (uint32_t)min_u64(limit - cur, UINT32_MAX);
}

/* Frames [pos, pos + n) from src, or zeroes; n <= n_frames.  A wrap is two copies. */
static void
payload_store(const struct lc_ring *ring, uint64_t pos, const float *src, uint32_t n)
{
	size_t ch = ring->n_channels;
	uint32_t first = (uint32_t)(pos & ring->mask);
	uint32_t n1 = n < ring->n_frames - first ? n : ring->n_frames - first;
	float *d1 = ring->data + first * ch;

	LC_RING_PAYLOAD_BEGIN();
	if (src) {
		memcpy(d1, src, n1 * ch * sizeof(float));
		memcpy(ring->data, src + n1 * ch, (n - n1) * ch * sizeof(float));
	} else {
		memset(d1, 0, n1 * ch * sizeof(float));
		memset(ring->data, 0, (n - n1) * ch * sizeof(float));
	}
	LC_RING_PAYLOAD_END();
}

/* Copies a region out (a wrap is two copies). */
static void
payload_load(const struct lc_ring *ring, const struct lc_ring_region *rg, float *dst)
{
	size_t ch = ring->n_channels;

	LC_RING_PAYLOAD_BEGIN();
	memcpy(dst, rg->data1, rg->n1 * ch * sizeof(float));
	memcpy(dst + rg->n1 * ch, rg->data2, rg->n2 * ch * sizeof(float));
	LC_RING_PAYLOAD_END();
}

/* The mixer's inner loops: independent lanes, no aliasing, so they vectorize.  Written
 * as fixed blocks of 8 plus a tail because gcc -O2 ("very cheap" vectorizer cost model)
 * only vectorizes a loop whose trip count it knows.  clang must not vectorize the block
 * loop itself: its loop vectorizer takes the unrolled block as eight stride-8 accesses
 * and builds 8 x 8 transposes out of shuffles, blends and stack spills (clang 14: the
 * "mix" of bench_mix took 7300 ns instead of 1400 ns at 4096 frames).  With that loop
 * left alone, its SLP vectorizer turns each block into one or two vector operations,
 * as gcc does.  The AVX2 copies are the same C compiled per function for wider vectors
 * and picked when the CPU has AVX2 (as lc_conv does).  "avx2" does not imply FMA, so no
 * contraction: both paths give bit-identical sums. */
#if defined(__clang__)
#define LC_RING_BLOCK_LOOP _Pragma("clang loop vectorize(disable)")
#else
#define LC_RING_BLOCK_LOOP
#endif
#define LC_RING_MIX_KERNELS(suffix, attr)                                               \
	attr static void add_scaled_##suffix(float *restrict acc,                       \
					     const float *restrict src, size_t n,       \
					     float gain)                                \
	{                                                                               \
		size_t i = 0;                                                           \
		LC_RING_BLOCK_LOOP                                                      \
		for (; i + 8 <= n; i += 8)                                              \
			for (size_t j = 0; j < 8; j++)                                  \
				acc[i + j] += gain * src[i + j];                        \
		for (; i < n; i++)                                                      \
			acc[i] += gain * src[i];                                        \
	}                                                                               \
	attr static void store_scaled_##suffix(float *restrict acc,                     \
					       const float *restrict src, size_t n,     \
					       float gain)                              \
	{                                                                               \
		size_t i = 0;                                                           \
		LC_RING_BLOCK_LOOP                                                      \
		for (; i + 8 <= n; i += 8)                                              \
			for (size_t j = 0; j < 8; j++)                                  \
				acc[i + j] = gain * src[i + j];                         \
		for (; i < n; i++)                                                      \
			acc[i] = gain * src[i];                                         \
	}

LC_RING_MIX_KERNELS(c, )

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define LC_RING_HAVE_AVX2 1
LC_RING_MIX_KERNELS(avx2, __attribute__((target("avx2"))))
#endif

static void
mix_kernel(float *restrict acc, const float *restrict src, size_t n, float gain, int store)
{
#ifdef LC_RING_HAVE_AVX2
	if (__builtin_cpu_supports("avx2")) {
		if (store)
			store_scaled_avx2(acc, src, n, gain);
		else
			add_scaled_avx2(acc, src, n, gain);
		return;
	}
#endif
	if (store)
		store_scaled_c(acc, src, n, gain);
	else
		add_scaled_c(acc, src, n, gain);
}

static void
payload_add(const struct lc_ring *ring, const struct lc_ring_region *rg, float gain, float *acc,
	    int store)
{
	size_t ch = ring->n_channels;

	LC_RING_PAYLOAD_BEGIN();
	mix_kernel(acc, rg->data1, rg->n1 * ch, gain, store);
	mix_kernel(acc + rg->n1 * ch, rg->data2, rg->n2 * ch, gain, store);
	LC_RING_PAYLOAD_END();
}

void
lc_ring_reset(const struct lc_ring *ring)
{
	struct lc_shm_ring_ctl *ctl = ring->ctl;

	atomic_store_explicit(&ctl->end, 0, memory_order_relaxed);
	atomic_store_explicit(&ctl->start, 0, memory_order_relaxed);
	/* release: a reader that sees the new seq sees the emptied window. */
	atomic_fetch_add_explicit(&ctl->seq, 1, memory_order_release);
	/* release fence: later payload stores are ordered after the seq change. */
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&ctl->flags, 0, memory_order_relaxed);
}

int
lc_ring_write(const struct lc_ring *ring, uint64_t now, const float *src, uint32_t n_frames,
	      uint64_t *pos)
{
	struct lc_shm_ring_ctl *ctl = ring->ctl;
	int late;

	if (!owned(ring))
		return LC_E_STATE;
	if (now >= LC_RING_MAX_POS)
		return LC_E_INVALID;
	/* Relaxed loads: the writer is the only thread that stores these. */
	uint64_t start = atomic_load_explicit(&ctl->start, memory_order_relaxed);
	uint64_t end = atomic_load_explicit(&ctl->end, memory_order_relaxed);
	if (end >= LC_RING_MAX_POS || start > end || end - start > ring->n_frames) {
		lc_ring_reset(ring);
		return LC_E_CORRUPT;
	}
	if (beyond_timeline(ring, now, end)) {
		/* Consistent but out of reach: left as it is, the cursor would wait there
		 * for as long as the timeline takes to get there.  Start afresh, as the
		 * cursor already said (plan_cursor), and write. */
		lc_ring_reset(ring);
		start = end = 0;
	}
	uint64_t cur = plan_cursor(ring, now, end, &late);
	uint64_t limit = limit_for(ring, now);
	uint32_t n_ok = cur >= limit ? 0 : (uint32_t)min_u64(n_frames, limit - cur);

	if (ring->meter && late)
		lc_meter_count_underflow(ring->meter, cur - end);
	if (ring->meter && n_ok < n_frames)
		lc_meter_count_overflow(ring->meter, n_frames - n_ok);
	if (pos)
		*pos = cur;
	if (n_ok == 0)
		return 0;

	uint64_t new_end = cur + n_ok;
	if (cur - end >= ring->n_frames) {
		/* Nothing old survives: restart the window at the cursor.  start > end for a
		 * moment, which readers take as empty. */
		atomic_store_explicit(&ctl->start, cur, memory_order_relaxed);
		atomic_thread_fence(memory_order_release); /* start before the overwrite */
	} else {
		uint64_t new_start = new_end > ring->n_frames
					     ? max_u64(start, new_end - ring->n_frames)
					     : start;
		if (new_start != start) {
			atomic_store_explicit(&ctl->start, new_start, memory_order_relaxed);
			atomic_thread_fence(memory_order_release); /* as above */
		}
		if (cur > end)
			payload_store(ring, end, NULL, (uint32_t)(cur - end)); /* the gap */
	}
	payload_store(ring, cur, src, n_ok);
	/* release: pairs with the readers' acquire load of end; data first. */
	atomic_store_explicit(&ctl->end, new_end, memory_order_release);
	atomic_store_explicit(&ctl->flags, LC_RING_PRIMED, memory_order_relaxed);

	if (ring->meter) {
		if (src)
			lc_meter_update(ring->meter, src, n_ok, ring->n_channels, new_end,
					ring->rate_hz);
		else
			lc_meter_add_frames(ring->meter, n_ok);
	}
	return (int)n_ok;
}

int
lc_ring_retract(const struct lc_ring *ring, uint64_t pos)
{
	struct lc_shm_ring_ctl *ctl = ring->ctl;

	if (!owned(ring))
		return LC_E_STATE;
	atomic_store_explicit(&ctl->flags, 0, memory_order_relaxed);
	uint64_t start = atomic_load_explicit(&ctl->start, memory_order_relaxed);
	uint64_t end = atomic_load_explicit(&ctl->end, memory_order_relaxed);
	if (pos >= end)
		return 0;
	uint64_t new_end = pos > start ? pos : start;
	if (new_end > end)
		new_end = end;
	atomic_store_explicit(&ctl->end, new_end, memory_order_relaxed);
	/* release: a reader that sees the new seq sees the shorter window. */
	atomic_fetch_add_explicit(&ctl->seq, 1, memory_order_release);
	/* release fence: the rewrite that follows is ordered after the seq change. */
	atomic_thread_fence(memory_order_release);
	return (int)min_u64(end - new_end, INT32_MAX);
}

int
lc_ring_read_begin(const struct lc_ring *ring, uint64_t from, uint32_t n_frames,
		   struct lc_ring_region *rg)
{
	const struct lc_shm_ring_ctl *ctl = ring->ctl;

	memset(rg, 0, sizeof *rg);
	rg->lo = rg->hi = from;
	if (from >= LC_RING_MAX_POS)
		return LC_E_INVALID;
	/* acquire on seq: later loads see at least the window of that retract/reset.
	 * acquire on end: pairs with the writer's release store; frames below are visible. */
	rg->seq = atomic_load_explicit(&ctl->seq, memory_order_acquire);
	uint64_t end = atomic_load_explicit(&ctl->end, memory_order_acquire);
	uint64_t start = atomic_load_explicit(&ctl->start, memory_order_relaxed);
	if (end >= LC_RING_MAX_POS)
		return LC_E_CORRUPT;
	if (start > end)
		start = end; /* a window restart in progress: empty */
	if (end - start > ring->n_frames)
		return LC_E_CORRUPT;
	uint64_t lo = max_u64(from, start), hi = min_u64(from + n_frames, end);
	if (lo >= hi)
		return 0;
	size_t ch = ring->n_channels;
	uint32_t first = (uint32_t)(lo & ring->mask);
	uint32_t n = (uint32_t)(hi - lo); /* <= n_frames: end - start <= ring length */
	rg->lo = lo;
	rg->hi = hi;
	rg->n1 = n < ring->n_frames - first ? n : ring->n_frames - first;
	rg->n2 = n - rg->n1;
	rg->data1 = ring->data + first * ch;
	rg->data2 = ring->data;
	return (int)n;
}

int
lc_ring_read_end(const struct lc_ring *ring, struct lc_ring_region *rg)
{
	/* acquire fence: pairs with the writer's release fences (lc_ring.h): if anything
	 * consumed came from a later store, the reloads below see the change. */
	atomic_thread_fence(memory_order_acquire);
	uint64_t seq = atomic_load_explicit(&ring->ctl->seq, memory_order_relaxed);
	uint64_t start = atomic_load_explicit(&ring->ctl->start, memory_order_relaxed);
	if (seq != rg->seq)
		return LC_E_STATE;
	if (start > rg->lo)
		rg->lo = min_u64(start, rg->hi);
	return (int)(rg->hi - rg->lo);
}

static void
zero_frames(const struct lc_ring *ring, float *dst, uint64_t n)
{
	memset(dst, 0, (size_t)n * ring->n_channels * sizeof(float));
}

int
lc_ring_read(const struct lc_ring *ring, uint64_t from, uint32_t n_frames, float *dst,
	     struct lc_ring_span *valid)
{
	struct lc_ring_region rg;
	size_t ch = ring->n_channels;
	int rc = LC_E_STATE;

	if (valid)
		*valid = (struct lc_ring_span){ from, from };
	for (uint32_t attempt = 0; attempt < LC_RING_TRIES; attempt++) {
		rc = lc_ring_read_begin(ring, from, n_frames, &rg);
		if (rc <= 0)
			break;
		uint64_t lo0 = rg.lo;
		payload_load(ring, &rg, dst + (lo0 - from) * ch);
		rc = lc_ring_read_end(ring, &rg);
		if (rc == LC_E_STATE)
			continue; /* retracted or reset while copying: copy again */
		/* [from, rg.lo) includes what was overwritten while copying. */
		zero_frames(ring, dst, rg.lo - from);
		zero_frames(ring, dst + (rg.hi - from) * ch, from + n_frames - rg.hi);
		if (valid)
			*valid = (struct lc_ring_span){ rg.lo, rg.hi };
		return rc;
	}
	zero_frames(ring, dst, n_frames);
	return rc;
}

static int
add_or_store(const struct lc_ring *ring, uint64_t from, uint32_t n_frames, float gain,
	     float *acc, struct lc_ring_span *valid, int store)
{
	struct lc_ring_region rg;
	size_t ch = ring->n_channels;

	int rc = lc_ring_read_begin(ring, from, n_frames, &rg);
	if (valid)
		*valid = (struct lc_ring_span){ rg.lo, rg.hi };
	if (store && rc >= 0) {
		/* everything outside [lo, hi) is silence */
		zero_frames(ring, acc, rg.lo - from);
		zero_frames(ring, acc + (rg.hi - from) * ch, from + n_frames - rg.hi);
	}
	if (rc <= 0)
		return rc;
	uint64_t lo0 = rg.lo;
	payload_add(ring, &rg, gain, acc + (lo0 - from) * ch, store);
	rc = lc_ring_read_end(ring, &rg);
	if (rc < 0 || rg.lo != lo0)
		return LC_E_STATE; /* part of what was added may be torn */
	return rc;
}

int
lc_ring_add(const struct lc_ring *ring, uint64_t from, uint32_t n_frames, float gain,
	    float *acc, struct lc_ring_span *valid)
{
	return add_or_store(ring, from, n_frames, gain, acc, valid, 0);
}

int
lc_ring_store(const struct lc_ring *ring, uint64_t from, uint32_t n_frames, float gain,
	      float *acc, struct lc_ring_span *valid)
{
	return add_or_store(ring, from, n_frames, gain, acc, valid, 1);
}
