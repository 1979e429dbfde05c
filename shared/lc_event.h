/* SPDX-License-Identifier: MIT */
/*
 * lc_event.h — panel events and their packing into one 32-bit dwParam1.
 *
 * Owns: event ids and the bit layout.  Does not own: posting (the driver's drv_notify.c
 * calls DriverCallback with DCB_WINDOW, which delivers only (msg, device handle,
 * dwParam1) — Wine dlls/winmm/driver.c, docs/wine.md), the event log and its sequence
 * (lc_shm_event_post, lc_shm.h), or the counters and levels a panel then reads from
 * shared memory at display rate (lc_meter.h).
 *
 * dwParam1:
 *
 *   31        24 23        16 15         8 7    6 5          0
 *   +-----------+------------+------------+------+------------+
 *   | event id  | cable      | slot index | kind | seq & 63   |
 *   +-----------+------------+------------+------+------------+
 *     lc_event_id  0..31 or     0..31 or    enum    low bits of the event log number
 *                  0xff: none   0xff: none  lc_event_kind
 *
 * The 6 sequence bits equal the event log's index (LC_EVENT_LOG = 64): a panel that sees
 * a jump knows it missed posts (Wine has no posted-message quota, Windows drops beyond
 * 10 000) and reads the missing ones with lc_shm_event_get().  A posted dwParam1 comes
 * from another process: check it with lc_event_unpack() before using its indices.
 */
#ifndef LC_EVENT_H
#define LC_EVENT_H

#include <stdint.h>

#include "lc_abi.h"
#include "lc_shm_layout.h"

enum lc_event_id {
	LC_EVENT_NONE = 0,
	LC_EVENT_CLIENT_OPENED,   /* a slot was claimed (cable, slot, kind) */
	LC_EVENT_CLIENT_CLOSED,   /* a slot was released or reclaimed */
	LC_EVENT_FORMAT_CHANGED,  /* the slot's stored client format changed */
	LC_EVENT_UNDERFLOW,       /* a writer was late / a reader had no buffer */
	LC_EVENT_OVERFLOW,        /* a writer was too far ahead / a reader fell behind */
	LC_EVENT_CONFIG_CHANGED,  /* a newer section replaces this one (reopen) */
	LC_EVENT_VOLUME_CHANGED,  /* a slot's or the cable's volume/mute changed */
	LC_EVENT_COUNT
};

enum lc_event_kind {
	LC_EVENT_KIND_NONE = 0, /* cable- or section-wide */
	LC_EVENT_KIND_WRITER = 1,
	LC_EVENT_KIND_READER = 2,
	LC_EVENT_KIND_PANEL = 3
};

#define LC_EVENT_NO_INDEX 0xffu

struct lc_event {
	uint32_t id;    /* enum lc_event_id */
	uint32_t cable; /* 0..LC_MAX_CABLES-1 or LC_EVENT_NO_INDEX */
	uint32_t slot;  /* 0..31 or LC_EVENT_NO_INDEX */
	uint32_t kind;  /* enum lc_event_kind */
	uint32_t seq6;  /* event log number & 63 */
};

LC_STATIC_ASSERT(LC_EVENT_LOG == 64, "seq6 holds exactly the event log index");
LC_STATIC_ASSERT(LC_EVENT_COUNT <= 256 && LC_MAX_CABLES < 255 && LC_WRITER_SLOTS < 255 &&
			 LC_READER_SLOTS < 255 && LC_PANEL_SLOTS < 255,
		 "each field fits its byte, with 0xff left for none");

/* Packs an event (sequence bits 0; lc_shm_event_post fills them).  Out-of-range fields
 * are masked to their width; use the documented values. */
static inline uint32_t
lc_event_pack(uint32_t id, uint32_t cable, uint32_t slot, uint32_t kind)
{
	return ((id & 0xffu) << 24) | ((cable & 0xffu) << 16) | ((slot & 0xffu) << 8) |
	       ((kind & 3u) << 6);
}

/* packed with the low six bits of seq: what the driver posts as dwParam1. */
static inline uint32_t
lc_event_with_seq(uint32_t packed, uint32_t seq)
{
	return (packed & ~0x3fu) | (seq & 0x3fu);
}

/*
 * Unpacks a dwParam1 from anywhere.  @return 1 if every field is in range (id known,
 * cable and slot in range or "none", slot given only with a kind), else 0.
 */
static inline int
lc_event_unpack(uint32_t param, struct lc_event *ev)
{
	ev->id = param >> 24;
	ev->cable = (param >> 16) & 0xffu;
	ev->slot = (param >> 8) & 0xffu;
	ev->kind = (param >> 6) & 3u;
	ev->seq6 = param & 0x3fu;
	uint32_t n_slots = ev->kind == LC_EVENT_KIND_WRITER   ? LC_WRITER_SLOTS
			   : ev->kind == LC_EVENT_KIND_READER ? LC_READER_SLOTS
			   : ev->kind == LC_EVENT_KIND_PANEL  ? LC_PANEL_SLOTS
							      : 0;
	if (ev->id == LC_EVENT_NONE || ev->id >= LC_EVENT_COUNT)
		return 0;
	if (ev->cable != LC_EVENT_NO_INDEX && ev->cable >= LC_MAX_CABLES)
		return 0;
	if (ev->slot != LC_EVENT_NO_INDEX && ev->slot >= n_slots)
		return 0;
	return 1;
}

#endif /* LC_EVENT_H */
