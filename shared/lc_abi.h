/* SPDX-License-Identifier: MIT */
/*
 * lc_abi.h — the rules every byte shared between processes follows.
 *
 * The shared-memory section is mapped by 32-bit and 64-bit processes at once, so
 * everything in it uses fixed-width types only (no pointers, long, size_t or bool),
 * and the layout is pinned by static asserts in lc_shm_layout.h.  This header holds
 * the assert helpers and the checks that make cross-process atomics sound.
 */
#ifndef LC_ABI_H
#define LC_ABI_H

#include <stdint.h>
#include <stdatomic.h>
#include <stddef.h>

#define LC_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)

/* Offsets are checked with this so a layout change that moves a field in only one
 * bitness fails to compile instead of silently corrupting a shared cable. */
#define LC_ASSERT_OFFSET(type, field, off) \
	LC_STATIC_ASSERT(offsetof(type, field) == (off), #type "." #field " moved")
#define LC_ASSERT_SIZE(type, size) \
	LC_STATIC_ASSERT(sizeof(type) == (size), "sizeof(" #type ") changed")

/*
 * A lock-based atomic would use a process-local lock and so would not be atomic
 * across processes: every atomic type in the section must be always lock-free, on
 * i686 too (where 64-bit atomics use cmpxchg8b).
 */
LC_STATIC_ASSERT(ATOMIC_INT_LOCK_FREE == 2, "32-bit atomics must be lock-free");
LC_STATIC_ASSERT(ATOMIC_LLONG_LOCK_FREE == 2, "64-bit atomics must be lock-free");

#endif /* LC_ABI_H */
