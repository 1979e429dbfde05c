/* SPDX-License-Identifier: MIT */
/*
 * lc_gens.h — which older generations of the section to look at, and what was found
 * about each: the one policy the driver (drv_shm_win32.c) and the tools (lc_status.c)
 * follow generations by.
 *
 * Owns: the reach (the LC_GENS_LOOKBACK generations before the published one), what is
 * remembered per generation number, which numbers to open next, and which older
 * generation stands in for a published one that is gone.  Does not own: opening a
 * section by its number (each caller's OS code), what "has clients" means to a caller
 * (the driver mixes the writers of its peers, the tools list every client), which
 * sections a caller keeps mapped.
 *
 * Why looking is remembered: an older generation only loses clients (opens use the
 * published one; an open that raced with a publish moves on), and nobody makes an
 * older section again.  So a generation found gone or empty stays so, and is never
 * opened again — opening it would keep it alive for nothing.  One found with clients
 * need not be opened again to learn that; the caller that keeps it mapped reports when
 * it empties.
 *
 * The published generation itself is never remembered: a section whose publisher
 * exited before anyone else mapped it is gone for a moment, and is made again (from the
 * same settings) by the next process that follows — until then the newest older
 * generation with clients stands in for it (lc_gens_stand_in).
 *
 *   generation:  published-16 … published-2  published-1 | published | newer
 *                \________ within reach: remembered _____/  never       not yet
 *
 * Numbers: generations count from 1; 0 is "none".  No locking: the caller serializes.
 */
#ifndef LC_GENS_H
#define LC_GENS_H

#include <stdbool.h>
#include <stdint.h>

/* How many generations before the published one are still looked at. */
#define LC_GENS_LOOKBACK 16u

enum lc_gen_state {
	LC_GEN_UNKNOWN = 0, /* not looked at yet, or could not tell (being formatted): look */
	LC_GEN_LIVE,        /* has clients (the caller's meaning) */
	LC_GEN_EMPTY,       /* exists without clients: final */
	LC_GEN_GONE,        /* no section by that number: final */
};

struct lc_gens {
	uint32_t published;                /* the window hangs from it; 0: none yet */
	uint8_t state[LC_GENS_LOOKBACK];   /* state[i]: generation published - 1 - i */
};

/* Nothing published, nothing known. */
void
lc_gens_init(struct lc_gens *gens);

/* Hangs the window from `published` (the directory's generation).  What is known about
 * generations still within reach is kept; a number that was published before enters
 * the reach unknown.  A number below the previous one (the counter wrapped) forgets
 * everything. */
void
lc_gens_follow(struct lc_gens *gens, uint32_t published);

/* Whether `number` is one of the LC_GENS_LOOKBACK generations before the published one. */
bool
lc_gens_in_reach(const struct lc_gens *gens, uint32_t number);

/* What is known about `number`; LC_GEN_UNKNOWN outside the reach too. */
enum lc_gen_state
lc_gens_state(const struct lc_gens *gens, uint32_t number);

/* Records what opening `number` found.  LC_GEN_UNKNOWN: could not tell, look again.
 * Ignored outside the reach, and for a number already found gone or empty (final). */
void
lc_gens_found(struct lc_gens *gens, uint32_t number, enum lc_gen_state state);

/* The generations within reach in `state`, newest first, at most cap.
 * lc_gens_select(g, LC_GEN_UNKNOWN, …) are those to open next (skip those already
 * mapped); LC_GEN_LIVE those last seen with clients.  @return how many. */
uint32_t
lc_gens_select(const struct lc_gens *gens, enum lc_gen_state state, uint32_t *out,
	       uint32_t cap);

/* Which generation to show the cables of when the published one cannot be opened
 * (gone with its publisher, or being formatted): the newest within reach last seen
 * with clients.  @return its number, or 0 when none is known to have clients. */
uint32_t
lc_gens_stand_in(const struct lc_gens *gens);

#endif /* LC_GENS_H */
