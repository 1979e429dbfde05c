/* SPDX-License-Identifier: MIT */
/* lc_gens.c — the policy for following older generations (lc_gens.h). */
#include <string.h>

#include "lc_gens.h"

void
lc_gens_init(struct lc_gens *gens)
{
	memset(gens, 0, sizeof(*gens));
}

bool
lc_gens_in_reach(const struct lc_gens *gens, uint32_t number)
{
	return number != 0 && number < gens->published
	       && gens->published - number <= LC_GENS_LOOKBACK;
}

enum lc_gen_state
lc_gens_state(const struct lc_gens *gens, uint32_t number)
{
	if (!lc_gens_in_reach(gens, number))
		return LC_GEN_UNKNOWN;
	return (enum lc_gen_state)gens->state[gens->published - 1 - number];
}

void
lc_gens_follow(struct lc_gens *gens, uint32_t published)
{
	if (published == gens->published)
		return;
	struct lc_gens next = { .published = published };
	/* A wrapped counter: the old numbers mean other sections now. */
	if (published > gens->published) {
		for (uint32_t i = 0; i < LC_GENS_LOOKBACK; i++) {
			uint32_t back = i + 1;
			if (back < published)
				next.state[i] = (uint8_t)lc_gens_state(gens, published - back);
		}
	}
	*gens = next;
}

void
lc_gens_found(struct lc_gens *gens, uint32_t number, enum lc_gen_state state)
{
	if (!lc_gens_in_reach(gens, number) || state > LC_GEN_GONE)
		return;
	uint8_t *at = &gens->state[gens->published - 1 - number];
	if (*at == LC_GEN_EMPTY || *at == LC_GEN_GONE)
		return;
	*at = (uint8_t)state;
}

uint32_t
lc_gens_select(const struct lc_gens *gens, enum lc_gen_state state, uint32_t *out,
	       uint32_t cap)
{
	uint32_t n = 0;
	for (uint32_t back = 1; back <= LC_GENS_LOOKBACK && back < gens->published && n < cap;
	     back++)
		if (gens->state[back - 1] == state)
			out[n++] = gens->published - back;
	return n;
}

uint32_t
lc_gens_stand_in(const struct lc_gens *gens)
{
	uint32_t number;
	return lc_gens_select(gens, LC_GEN_LIVE, &number, 1) ? number : 0;
}
