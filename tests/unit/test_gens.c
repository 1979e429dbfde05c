/* SPDX-License-Identifier: MIT */
/* test_gens.c — the reach, what is remembered, what to open next, the stand-in. */
#include <criterion/criterion.h>
#include <string.h>

#include "lc_gens.h"

static struct lc_gens gens;

static void
setup(void)
{
	memset(&gens, 0xa5, sizeof gens);
	lc_gens_init(&gens);
}

TestSuite(gens, .init = setup);

static uint32_t
to_look(uint32_t *out, uint32_t cap)
{
	return lc_gens_select(&gens, LC_GEN_UNKNOWN, out, cap);
}

Test(gens, nothing_published_means_nothing_to_look_at)
{
	uint32_t out[LC_GENS_LOOKBACK];
	cr_expect_eq(to_look(out, LC_GENS_LOOKBACK), 0);
	lc_gens_follow(&gens, 1);
	cr_expect_eq(to_look(out, LC_GENS_LOOKBACK), 0, "generation 0 is none: nothing before 1");
	cr_expect_eq(lc_gens_stand_in(&gens), 0);
	cr_expect(!lc_gens_in_reach(&gens, 0));
	cr_expect(!lc_gens_in_reach(&gens, 1), "the published one is never in the reach");
}

Test(gens, the_reach_is_the_lookback_before_the_published_one_newest_first)
{
	lc_gens_follow(&gens, 40);
	uint32_t out[LC_GENS_LOOKBACK + 4];
	uint32_t n = to_look(out, LC_GENS_LOOKBACK + 4);
	cr_assert_eq(n, LC_GENS_LOOKBACK);
	for (uint32_t i = 0; i < n; i++)
		cr_expect_eq(out[i], 39 - i);
	cr_expect(lc_gens_in_reach(&gens, 40 - LC_GENS_LOOKBACK));
	cr_expect(!lc_gens_in_reach(&gens, 40 - LC_GENS_LOOKBACK - 1));
	cr_expect(!lc_gens_in_reach(&gens, 41));
	cr_expect_eq(to_look(out, 3), 3, "cap respected");
	cr_expect_eq(out[2], 37);
}

Test(gens, a_wrapped_counter_forgets_everything)
{
	lc_gens_follow(&gens, UINT32_MAX);
	lc_gens_found(&gens, UINT32_MAX - 1, LC_GEN_GONE);
	lc_gens_follow(&gens, 3);
	cr_expect_eq(lc_gens_state(&gens, 2), LC_GEN_UNKNOWN);
	uint32_t out[LC_GENS_LOOKBACK];
	cr_assert_eq(to_look(out, LC_GENS_LOOKBACK), 2);
	cr_expect_eq(out[0], 2);
	cr_expect_eq(out[1], 1);
}

Test(gens, gone_and_empty_are_never_looked_at_again)
{
	lc_gens_follow(&gens, 10);
	lc_gens_found(&gens, 9, LC_GEN_GONE);
	lc_gens_found(&gens, 8, LC_GEN_EMPTY);
	lc_gens_found(&gens, 7, LC_GEN_LIVE);
	uint32_t out[LC_GENS_LOOKBACK];
	uint32_t n = to_look(out, LC_GENS_LOOKBACK);
	cr_assert_eq(n, 6, "10 - 1 ... 1 but 9, 8, 7");
	cr_expect_eq(out[0], 6);
	/* Final: an old generation gains no clients and is not made again. */
	lc_gens_found(&gens, 9, LC_GEN_LIVE);
	lc_gens_found(&gens, 8, LC_GEN_UNKNOWN);
	cr_expect_eq(lc_gens_state(&gens, 9), LC_GEN_GONE);
	cr_expect_eq(lc_gens_state(&gens, 8), LC_GEN_EMPTY);
	/* A live one empties (its holder reports it) or could not be told (look again). */
	lc_gens_found(&gens, 7, LC_GEN_EMPTY);
	cr_expect_eq(lc_gens_state(&gens, 7), LC_GEN_EMPTY);
	lc_gens_found(&gens, 6, LC_GEN_LIVE);
	lc_gens_found(&gens, 6, LC_GEN_UNKNOWN);
	cr_expect_eq(lc_gens_state(&gens, 6), LC_GEN_UNKNOWN);
}

Test(gens, the_published_generation_is_never_remembered)
{
	lc_gens_follow(&gens, 5);
	lc_gens_found(&gens, 5, LC_GEN_GONE);
	lc_gens_found(&gens, 6, LC_GEN_GONE);
	cr_expect_eq(lc_gens_state(&gens, 5), LC_GEN_UNKNOWN);
	/* When the next one is published, 5 enters the reach to be looked at. */
	lc_gens_follow(&gens, 6);
	uint32_t out[LC_GENS_LOOKBACK];
	cr_assert_gt(to_look(out, LC_GENS_LOOKBACK), 0);
	cr_expect_eq(out[0], 5);
	lc_gens_found(&gens, 1, (enum lc_gen_state)77);
	cr_expect_eq(lc_gens_state(&gens, 1), LC_GEN_UNKNOWN, "a state that is none is ignored");
}

Test(gens, what_is_known_moves_with_the_window_and_falls_out_of_reach)
{
	lc_gens_follow(&gens, 20);
	lc_gens_found(&gens, 19, LC_GEN_LIVE);
	lc_gens_found(&gens, 18, LC_GEN_EMPTY);
	lc_gens_found(&gens, 5, LC_GEN_GONE);
	lc_gens_follow(&gens, 23);
	cr_expect_eq(lc_gens_state(&gens, 19), LC_GEN_LIVE);
	cr_expect_eq(lc_gens_state(&gens, 18), LC_GEN_EMPTY);
	cr_expect_eq(lc_gens_state(&gens, 20), LC_GEN_UNKNOWN);
	cr_expect(!lc_gens_in_reach(&gens, 5));
	lc_gens_follow(&gens, 30);
	cr_expect_eq(lc_gens_state(&gens, 19), LC_GEN_LIVE);
	lc_gens_follow(&gens, 36);
	cr_expect(!lc_gens_in_reach(&gens, 19));
	cr_expect_eq(lc_gens_state(&gens, 19), LC_GEN_UNKNOWN);
	lc_gens_follow(&gens, 20 + LC_GENS_LOOKBACK + 3);
	uint32_t out[LC_GENS_LOOKBACK];
	cr_expect_eq(to_look(out, LC_GENS_LOOKBACK), LC_GENS_LOOKBACK,
		     "none of what was known is within reach any more");
}

/* The defect this module was made for: a publisher exited before anyone followed,
 * the published section is gone, and a player still plays on the one before. */
Test(gens, an_older_generation_with_clients_stands_in_for_a_gone_published_one)
{
	lc_gens_follow(&gens, 1);
	lc_gens_follow(&gens, 2);
	uint32_t out[LC_GENS_LOOKBACK];
	cr_assert_eq(to_look(out, LC_GENS_LOOKBACK), 1);
	cr_assert_eq(out[0], 1, "the generation the player opened on is looked at");
	lc_gens_found(&gens, 1, LC_GEN_LIVE);
	cr_expect_eq(lc_gens_stand_in(&gens), 1);
	/* Newest with clients first, empty ones skipped. */
	lc_gens_follow(&gens, 6);
	lc_gens_found(&gens, 5, LC_GEN_EMPTY);
	lc_gens_found(&gens, 4, LC_GEN_LIVE);
	lc_gens_found(&gens, 3, LC_GEN_GONE);
	cr_expect_eq(lc_gens_stand_in(&gens), 4);
	uint32_t live[LC_GENS_LOOKBACK];
	cr_assert_eq(lc_gens_select(&gens, LC_GEN_LIVE, live, LC_GENS_LOOKBACK), 2);
	cr_expect_eq(live[0], 4);
	cr_expect_eq(live[1], 1);
	lc_gens_found(&gens, 4, LC_GEN_EMPTY);
	lc_gens_found(&gens, 1, LC_GEN_EMPTY);
	cr_expect_eq(lc_gens_stand_in(&gens), 0, "nobody plays: nothing stands in");
}
