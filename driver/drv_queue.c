/* SPDX-License-Identifier: MIT */
/* drv_queue.c — a stream's queue of submitted buffers (drv_queue.h). */
#include <stdlib.h>

#include "drv_queue.h"
#include "lc_result.h"

#define FIRST_CAP 16

int drv_queue_init(struct drv_queue *q)
{
	q->entries = calloc(FIRST_CAP, sizeof(*q->entries));
	q->cap = FIRST_CAP;
	q->done = q->sent = q->head = q->tail = 0;
	return q->entries ? 0 : LC_E_NO_MEMORY;
}

void drv_queue_free(struct drv_queue *q)
{
	free(q->entries);
	q->entries = NULL;
}

int drv_queue_push(struct drv_queue *q, const struct drv_queue_entry *entry)
{
	if (q->tail - q->sent == q->cap) {
		/* Grow, keeping every entry still needed at its sequence number. */
		uint64_t cap = q->cap * 2;
		struct drv_queue_entry *grown = calloc(cap, sizeof(*grown));
		if (!grown)
			return LC_E_NO_MEMORY;
		for (uint64_t seq = q->sent; seq < q->tail; seq++)
			grown[seq & (cap - 1)] = *drv_queue_at(q, seq);
		free(q->entries);
		q->entries = grown;
		q->cap = cap;
	}
	*drv_queue_at(q, q->tail++) = *entry;
	return 0;
}

struct drv_queue_entry drv_queue_entry_from(WAVEHDR *hdr)
{
	/* Each field once, through a volatile view: the compiler must not read the
	 * client's memory again later in place of the copy. */
	const volatile WAVEHDR *v = hdr;
	return (struct drv_queue_entry){
		.hdr = hdr,
		.data = (BYTE *)v->lpData,
		.length = v->dwBufferLength,
		.flags = v->dwFlags,
		.loops = v->dwLoops,
	};
}
