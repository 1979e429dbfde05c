/* SPDX-License-Identifier: MIT */
/*
 * lc_router_status.c — publishing and reading the router's route states.
 *
 * A sequence lock per slot: the router is the only writer (one thread), readers are in
 * other processes and may see a torn copy, which the counter check rejects; what passes
 * is validated field by field anyway, because any process that can open the section
 * can write into it.
 */
#include "lc_router_status.h"

#include <string.h>

#include "lc_result.h"
#include "lc_shm_layout.h"

void
lc_router_status_init(struct lc_router_layout *base, uint32_t pid, uint64_t start_time)
{
	memset(base, 0, sizeof(*base));
	base->header.abi_version = LC_ROUTER_ABI_VERSION;
	base->header.size = (uint32_t)sizeof(*base);
	base->header.n_slots = LC_ROUTE_MAX;
	base->header.pid = pid;
	base->header.start_time = start_time;
	/* The magic last: a reader that sees it sees the rest. */
	atomic_thread_fence(memory_order_release);
	base->header.magic = LC_ROUTER_MAGIC;
}

void
lc_router_status_publish(struct lc_router_layout *base, uint32_t slot,
			 const struct lc_route_status *st, int state_changed)
{
	struct lc_router_slot *s;
	uint32_t seq;

	if (slot >= LC_ROUTE_MAX)
		return;
	s = &base->slots[slot];
	seq = atomic_load_explicit(&s->seq, memory_order_relaxed);
	atomic_store_explicit(&s->seq, seq | 1u, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	if (st) {
		s->st = *st;
		s->used = 1;
	} else {
		memset(&s->st, 0, sizeof(s->st));
		s->used = 0;
	}
	atomic_store_explicit(&s->seq, (seq | 1u) + 1u, memory_order_release);
	if (state_changed)
		atomic_fetch_add_explicit(&base->header.changes, 1, memory_order_release);
}

void
lc_router_status_beat(struct lc_router_layout *base)
{
	atomic_fetch_add_explicit(&base->header.heartbeat, 1, memory_order_relaxed);
}

int
lc_router_status_check(const struct lc_router_layout *base, uint64_t mapped_bytes)
{
	if (base == NULL || mapped_bytes < sizeof(struct lc_router_header))
		return LC_E_CORRUPT;
	if (base->header.magic != LC_ROUTER_MAGIC)
		return LC_E_CORRUPT;
	if (base->header.abi_version != LC_ROUTER_ABI_VERSION)
		return LC_E_VERSION;
	if (mapped_bytes < sizeof(*base) || base->header.size != sizeof(*base) ||
	    base->header.n_slots != LC_ROUTE_MAX)
		return LC_E_CORRUPT;
	return 0;
}

static int
status_ok(const struct lc_route_status *st)
{
	return st->id <= LC_ROUTE_ID_MAX && st->cable >= 1 && st->cable <= LC_MAX_CABLES &&
	       (st->dir == LC_ROUTE_TO_DEVICE || st->dir == LC_ROUTE_FROM_DEVICE) &&
	       st->state < LC_ROUTE_STATE_COUNT && st->latency_ms <= LC_ROUTE_LATENCY_MAX_MS &&
	       st->device_channels <= 64 && st->cable_channels <= 64 &&
	       lc_route_field_ok(st->host_api, sizeof(st->host_api)) &&
	       lc_route_field_ok(st->device, sizeof(st->device)) && lc_route_field_ok(st->text, sizeof(st->text));
}

int
lc_router_status_read(const struct lc_router_layout *base, uint32_t slot,
		      struct lc_route_status *st)
{
	const struct lc_router_slot *s;

	if (slot >= LC_ROUTE_MAX)
		return LC_E_INVALID;
	s = &base->slots[slot];
	for (int attempt = 0; attempt < 64; attempt++) {
		uint32_t before = atomic_load_explicit(&s->seq, memory_order_acquire), after;
		uint32_t used;
		if (before & 1u)
			continue;
		used = s->used;
		memcpy(st, &s->st, sizeof(*st));
		atomic_thread_fence(memory_order_acquire);
		after = atomic_load_explicit(&s->seq, memory_order_relaxed);
		if (after != before)
			continue;
		if (!used)
			return 0;
		return status_ok(st) ? 1 : LC_E_CORRUPT;
	}
	return LC_E_STATE;
}

const char *
lc_route_state_name(uint32_t state)
{
	switch (state) {
	case LC_ROUTE_STATE_DISABLED: return "disabled";
	case LC_ROUTE_STATE_WAITING: return "waiting"; /* the text says for what */
	case LC_ROUTE_STATE_STARTING: return "starting";
	case LC_ROUTE_STATE_RUNNING: return "running";
	case LC_ROUTE_STATE_ERROR: return "error";
	default: return "?";
	}
}
