/* SPDX-License-Identifier: MIT */
/*
 * lc_router_status.h — the router's live state, in a small named section of its own.
 *
 * The router (panel/router/) publishes one status per route; the CLI and the panel read
 * them at display rate.  The section belongs to the router process: it exists exactly
 * while a router runs, so "is a router running" is "does the section open and is its pid
 * alive" — a killed router leaves nothing stale behind.  It is separate from the cable
 * section (lc_shm_layout.h) because its life is the router's, not the cables'.
 *
 * Owns: the layout (fixed-size types, the same for 32- and 64-bit processes), writing
 * (the router only, one thread) and validated reading.  Each status is guarded by a
 * sequence counter (odd while being written); a reader copies, checks the counter did
 * not move, and validates every field before use, as with anything in shared memory.
 */
#ifndef LC_ROUTER_STATUS_H
#define LC_ROUTER_STATUS_H

#include <stdatomic.h>
#include <stdint.h>

#include "lc_abi.h"
#include "lc_route.h"

#define LC_ROUTER_MAGIC 0x4352434cu /* "LCRC" */
#define LC_ROUTER_ABI_VERSION 2u /* 2: network counters */
#define LC_ROUTER_TEXT_BYTES 96

enum lc_route_state {
	LC_ROUTE_STATE_DISABLED = 0, /* configured off */
	LC_ROUTE_STATE_WAITING = 1,  /* its device or cable is not there; retried */
	LC_ROUTE_STATE_STARTING = 2, /* opened, filling its FIFO to the target */
	LC_ROUTE_STATE_RUNNING = 3,
	LC_ROUTE_STATE_ERROR = 4,    /* the text says what; retried like WAITING */
	LC_ROUTE_STATE_COUNT
};

/* One route's state as readers get it (plain values, validated). */
struct lc_route_status {
	uint32_t id, cable, dir, state, latency_ms;
	uint32_t device_rate_hz, device_channels; /* of the open device stream, 0 if none */
	uint32_t cable_rate_hz, cable_channels;
	int32_t fill_us;      /* filtered FIFO fill, microseconds */
	int32_t target_us;
	int32_t ratio_ppb;    /* resampling correction, parts per billion */
	uint64_t frames;      /* frames delivered to the consumer side */
	uint64_t underruns, overruns, restarts;
	/* Network routes (host_api LC_RTP_URL_HOST_API), 0 for device routes.  Send: packets
	 * sent, and packets the socket refused in `packets_lost`.  Receive: lc_jitter_stats'
	 * counters; `packets_dropped` = duplicate + malformed + foreign. */
	uint64_t packets, packets_lost, packets_late, packets_dropped;
	uint64_t frames_concealed;
	uint32_t jitter_us;   /* receive: RFC 3550 interarrival jitter */
	uint32_t ssrc;        /* the stream's synchronisation source (sent or followed) */
	char host_api[LC_ROUTE_HOST_API_BYTES]; /* of the device in use ("" if none) */
	char device[LC_ROUTE_DEVICE_BYTES];
	char text[LC_ROUTER_TEXT_BYTES];   /* the state in words, or the error */
};

struct lc_router_slot {
	_Atomic uint32_t seq; /* even: stable; odd: being written; 0: never used */
	uint32_t used;        /* 1 while a configured route occupies the slot */
	struct lc_route_status st;
};

struct lc_router_header {
	uint32_t magic;
	uint32_t abi_version;
	uint32_t size;        /* bytes of the whole section */
	uint32_t n_slots;     /* LC_ROUTE_MAX */
	uint32_t pid;         /* the router's process */
	uint32_t reserved;
	uint64_t start_time;  /* its creation time (FILETIME), pid reuse check */
	_Atomic uint64_t heartbeat;  /* incremented every pass of the router's loop */
	_Atomic uint32_t changes;    /* incremented on every state change (not on counters) */
	uint32_t reserved2;
};

struct lc_router_layout {
	struct lc_router_header header;
	struct lc_router_slot slots[LC_ROUTE_MAX];
};

LC_ASSERT_OFFSET(struct lc_route_status, frames, 48);
LC_ASSERT_OFFSET(struct lc_route_status, packets, 80);
LC_ASSERT_OFFSET(struct lc_route_status, host_api, 128);
LC_ASSERT_SIZE(struct lc_route_status, 384);
LC_ASSERT_OFFSET(struct lc_router_slot, st, 8);
LC_ASSERT_SIZE(struct lc_router_slot, 392);
LC_ASSERT_OFFSET(struct lc_router_header, start_time, 24);
LC_ASSERT_OFFSET(struct lc_router_header, heartbeat, 32);
LC_ASSERT_SIZE(struct lc_router_header, 48);
LC_ASSERT_SIZE(struct lc_router_layout, 48 + LC_ROUTE_MAX * 392);

/* Router side.  init() writes a fresh header into `base` (>= sizeof layout bytes). */
void
lc_router_status_init(struct lc_router_layout *base, uint32_t pid, uint64_t start_time);

/* Publishes route slot `slot`'s state (slot < LC_ROUTE_MAX); `st == NULL` frees it.
 * `state_changed` bumps the header's change counter (readers redraw lists on it). */
void
lc_router_status_publish(struct lc_router_layout *base, uint32_t slot,
			 const struct lc_route_status *st, int state_changed);

void
lc_router_status_beat(struct lc_router_layout *base);

/* Reader side.  @return 0 if `base` of `mapped_bytes` holds a router section of this
 * ABI, else LC_E_VERSION (another ABI) or LC_E_CORRUPT. */
int
lc_router_status_check(const struct lc_router_layout *base, uint64_t mapped_bytes);

/*
 * Copies slot `slot` into *st.  @return 1 if it holds a route, 0 if free, LC_E_STATE if
 * it kept changing (try again later), LC_E_CORRUPT if the copy fails validation.
 */
int
lc_router_status_read(const struct lc_router_layout *base, uint32_t slot,
		      struct lc_route_status *st);

/* "running", "waiting for its device", … for people. */
const char *
lc_route_state_name(uint32_t state);

#endif /* LC_ROUTER_STATUS_H */
