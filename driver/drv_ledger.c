/* SPDX-License-Identifier: MIT */
/* drv_ledger.c — what a playback stream wrote, for its position and rewinds (drv_ledger.h). */
#include <stdlib.h>

#include "drv_ledger.h"
#include "lc_result.h"

#define FIRST_CAP 64

int drv_ledger_init(struct drv_ledger *ledger)
{
	ledger->segs = calloc(FIRST_CAP, sizeof(*ledger->segs));
	ledger->cap = FIRST_CAP;
	drv_ledger_clear(ledger);
	return ledger->segs ? 0 : LC_E_NO_MEMORY;
}

void drv_ledger_free(struct drv_ledger *ledger)
{
	free(ledger->segs);
	ledger->segs = NULL;
}

void drv_ledger_clear(struct drv_ledger *ledger)
{
	ledger->head = ledger->tail = 0;
	ledger->bytes_written = 0;
}

bool drv_ledger_append(struct drv_ledger *ledger, const struct drv_ledger_seg *seg)
{
	if (ledger->tail - ledger->head == ledger->cap) {
		uint64_t cap = ledger->cap * 2;
		struct drv_ledger_seg *segs = malloc(cap * sizeof(*segs));
		if (!segs)
			return false;
		for (uint64_t n = ledger->head; n < ledger->tail; n++)
			segs[n & (cap - 1)] = *drv_ledger_at(ledger, n);
		free(ledger->segs);
		ledger->segs = segs;
		ledger->cap = cap;
	}
	struct drv_ledger_seg *at = drv_ledger_at(ledger, ledger->tail++);
	*at = *seg;
	at->bytes_before = ledger->bytes_written;
	ledger->bytes_written += seg->bytes;
	return true;
}

void drv_ledger_add_tail_bytes(struct drv_ledger *ledger, uint64_t seq, uint32_t bytes)
{
	if (!bytes || ledger->tail == ledger->head)
		return;
	struct drv_ledger_seg *last = drv_ledger_at(ledger, ledger->tail - 1);
	if (last->seq != seq)
		return;
	last->bytes += bytes;
	ledger->bytes_written += bytes;
}

void drv_ledger_prune(struct drv_ledger *ledger, uint64_t now)
{
	while (ledger->tail - ledger->head >= 2 && drv_ledger_at(ledger, ledger->head + 1)->pos <= now)
		ledger->head++;
}

uint64_t drv_ledger_find(const struct drv_ledger *ledger, uint64_t now)
{
	uint64_t n = ledger->head;
	while (n < ledger->tail && now >= drv_ledger_at(ledger, n)->pos + drv_ledger_at(ledger, n)->frames)
		n++;
	return n;
}

uint32_t drv_ledger_seg_bytes_at(const struct drv_ledger_seg *seg, uint64_t now)
{
	if (now <= seg->pos)
		return 0;
	if (now >= seg->pos + seg->frames)
		return seg->bytes;
	return (uint32_t)((now - seg->pos) * seg->bytes / seg->frames);
}

uint64_t drv_ledger_played_bytes(const struct drv_ledger *ledger, uint64_t now)
{
	uint64_t n = drv_ledger_find(ledger, now);
	if (n == ledger->tail)
		return ledger->bytes_written;
	const struct drv_ledger_seg *seg = drv_ledger_at(ledger, n);
	return seg->bytes_before + drv_ledger_seg_bytes_at(seg, now);
}

void drv_ledger_cut(struct drv_ledger *ledger, uint64_t n, uint64_t cut_pos, uint32_t heard)
{
	if (n == ledger->tail)
		return;
	struct drv_ledger_seg *seg = drv_ledger_at(ledger, n);
	ledger->bytes_written = seg->bytes_before + heard;
	if (heard > 0) {
		seg->frames = (uint32_t)(cut_pos - seg->pos);
		seg->bytes = heard;
		n++;
	}
	ledger->tail = n;
}
