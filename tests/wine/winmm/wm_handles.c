/* SPDX-License-Identifier: MIT */
/*
 * wm_handles.c — the table of live wave handles (wm_handles.h).
 *
 * A handle value is a number, never a pointer, so a junk value can be decoded and
 * checked without touching memory it names:
 *
 *   bit  31..28   27 ........ 13   12    11 ........ 0
 *        0000     generation       dir   slot
 *                 (1..0x7FFF)      0=out
 *                                  1=in
 *
 * Every value is >= 0x2000, so no handle equals a device id (< 256) or WAVE_MAPPER.
 * The generation changes each time a slot is reused: a closed handle stays invalid
 * until its slot has been reused 32767 times.
 */
#include "wm_handles.h"

#define WM_N_SLOTS 4096
#define WM_SLOT_MASK 0xFFFu
#define WM_DIR_SHIFT 12
#define WM_GEN_SHIFT 13
#define WM_GEN_MAX 0x7FFFu

enum slot_state { SLOT_FREE, SLOT_RESERVED, SLOT_OPEN, SLOT_CLOSING };

struct slot {
	enum slot_state state;
	unsigned generation;
	struct wm_open open;
};

static SRWLOCK table_lock = SRWLOCK_INIT;
static struct slot slots[WM_N_SLOTS];
/* Where the next search for a free slot starts: spreads reuse over the table. */
static unsigned next_slot;

static HANDLE encode(unsigned slot, enum wm_dir dir, unsigned generation)
{
	UINT_PTR value =
		((UINT_PTR)generation << WM_GEN_SHIFT) | ((UINT_PTR)dir << WM_DIR_SHIFT) | slot;
	return (HANDLE)value;
}

/* The slot a value names if its fields are in range and it matches the slot's
 * current generation and direction, whatever the slot's state; NULL otherwise.
 * Caller holds table_lock. */
static struct slot *decode_locked(HANDLE handle, enum wm_dir dir)
{
	UINT_PTR value = (UINT_PTR)handle;
	if (value >> (WM_GEN_SHIFT + 15))
		return NULL;
	unsigned generation = (unsigned)(value >> WM_GEN_SHIFT);
	unsigned slot = (unsigned)(value & WM_SLOT_MASK);
	if (generation == 0 || (enum wm_dir)((value >> WM_DIR_SHIFT) & 1) != dir)
		return NULL;
	if (slots[slot].generation != generation)
		return NULL;
	return &slots[slot];
}

static enum wm_dir dir_of(HANDLE handle)
{
	return (enum wm_dir)(((UINT_PTR)handle >> WM_DIR_SHIFT) & 1);
}

HANDLE wm_handles_reserve(enum wm_dir dir)
{
	HANDLE handle = NULL;
	AcquireSRWLockExclusive(&table_lock);
	for (unsigned n = 0; n < WM_N_SLOTS; n++) {
		unsigned i = (next_slot + n) % WM_N_SLOTS;
		if (slots[i].state != SLOT_FREE)
			continue;
		slots[i].generation = slots[i].generation % WM_GEN_MAX + 1;
		slots[i].state = SLOT_RESERVED;
		slots[i].open = (struct wm_open){ 0 };
		next_slot = (i + 1) % WM_N_SLOTS;
		handle = encode(i, dir, slots[i].generation);
		break;
	}
	ReleaseSRWLockExclusive(&table_lock);
	return handle;
}

void wm_handles_publish(HANDLE handle, const struct wm_open *open)
{
	AcquireSRWLockExclusive(&table_lock);
	struct slot *slot = decode_locked(handle, dir_of(handle));
	if (slot && slot->state == SLOT_RESERVED) {
		slot->open = *open;
		slot->state = SLOT_OPEN;
	}
	ReleaseSRWLockExclusive(&table_lock);
}

void wm_handles_release(HANDLE handle)
{
	AcquireSRWLockExclusive(&table_lock);
	struct slot *slot = decode_locked(handle, dir_of(handle));
	if (slot && slot->state == SLOT_RESERVED)
		slot->state = SLOT_FREE;
	ReleaseSRWLockExclusive(&table_lock);
}

bool wm_handles_lookup(HANDLE handle, enum wm_dir dir, struct wm_open *out)
{
	bool found = false;
	AcquireSRWLockShared(&table_lock);
	struct slot *slot = decode_locked(handle, dir);
	if (slot && slot->state == SLOT_OPEN) {
		*out = slot->open;
		found = true;
	}
	ReleaseSRWLockShared(&table_lock);
	return found;
}

bool wm_handles_begin_close(HANDLE handle, enum wm_dir dir, struct wm_open *out)
{
	bool found = false;
	AcquireSRWLockExclusive(&table_lock);
	struct slot *slot = decode_locked(handle, dir);
	if (slot && slot->state == SLOT_OPEN) {
		*out = slot->open;
		slot->state = SLOT_CLOSING;
		found = true;
	}
	ReleaseSRWLockExclusive(&table_lock);
	return found;
}

void wm_handles_end_close(HANDLE handle, bool closed)
{
	AcquireSRWLockExclusive(&table_lock);
	struct slot *slot = decode_locked(handle, dir_of(handle));
	if (slot && slot->state == SLOT_CLOSING)
		slot->state = closed ? SLOT_FREE : SLOT_OPEN;
	ReleaseSRWLockExclusive(&table_lock);
}
