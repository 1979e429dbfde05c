/* SPDX-License-Identifier: MIT */
/*
 * lc_mix.c — the pull mixer (contract in lc_mix.h).
 */
#include "lc_mix.h"

#include <string.h>

#include "lc_result.h"

void
lc_mix_scale(float *buf, size_t n_samples, float gain)
{
	for (size_t i = 0; i < n_samples; i++)
		buf[i] *= gain;
}

uint64_t
lc_mix_horizon(const struct lc_shm *shm, uint32_t cable, uint64_t now)
{
	if (cable >= shm->n_cables)
		return now;
	/* Writers keep guard = ring / 4 frames behind now untouched (lc_ring.h). */
	uint64_t guard = shm->cables[cable].ring_frames / 4;
	return now > guard ? now - guard : 0;
}

struct mix_source {
	struct lc_ring ring;
	struct lc_shm *shm; /* the section the writer is in (counts its corruption) */
	float gain;
	uint8_t flags; /* SRC_* */
};

enum {
	SRC_TORN = 1,        /* tore in this pass */
	SRC_TORE_BEFORE = 2, /* tore in an earlier pass */
	SRC_SKIP = 4,        /* tore twice: left out of this read */
	SRC_CORRUPT = 8,     /* failed validation: left out of this read */
};

bool
lc_mix_peer_compatible(const struct lc_shm *a, const struct lc_shm *b, uint32_t cable)
{
	return a && b && cable < a->n_cables && cable < b->n_cables &&
	       a->clock.epoch_ticks == b->clock.epoch_ticks &&
	       a->clock.tick_hz == b->clock.tick_hz &&
	       a->cables[cable].rate_hz == b->cables[cable].rate_hz &&
	       a->cables[cable].n_channels == b->cables[cable].n_channels;
}

/* The writers of one section to mix: ACTIVE (acquire: pairs with the claim's release,
 * so the ring reset and volume are visible) and audible.  Returns how many were added
 * at src[0..]. */
static uint32_t
gather(struct lc_shm *shm, uint32_t cable, struct mix_source *src, struct lc_mix_stats *st)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < LC_WRITER_SLOTS; i++) {
		struct lc_shm_writer *w = lc_shm_writer_at(shm, cable, i);
		uint64_t s = atomic_load_explicit(&w->head.state, memory_order_acquire);
		if (LC_SLOT_KIND(s) > LC_SLOT_ACTIVE) {
			lc_shm_count_corrupt(shm);
			st->n_corrupt++;
			continue;
		}
		if (LC_SLOT_KIND(s) != LC_SLOT_ACTIVE)
			continue;
		float g = lc_shm_gain(shm, &w->head.volume, &w->head.mute);
		if (g == 0.0f || lc_shm_ring_view(shm, cable, i, &src[n].ring) != LC_OK)
			continue;
		src[n].shm = shm;
		src[n].gain = g;
		src[n].flags = 0;
		n++;
	}
	st->n_writers += n;
	return n;
}

/* One pass over the sources: the first one stores, the others add.  Marks those that
 * tore (SRC_TORN) and returns whether any did. */
static bool
sum_once(struct mix_source *src, uint32_t n_src, uint64_t from, uint32_t n_frames,
	 float *out, size_t n_samples, struct lc_mix_stats *st)
{
	bool torn = false;
	int filled = 0;

	for (uint32_t k = 0; k < n_src; k++) {
		src[k].flags &= (uint8_t)~SRC_TORN;
		if (src[k].flags & (SRC_SKIP | SRC_CORRUPT))
			continue;
		int rc = filled ? lc_ring_add(&src[k].ring, from, n_frames, src[k].gain, out, NULL)
				: lc_ring_store(&src[k].ring, from, n_frames, src[k].gain, out, NULL);
		if (rc == LC_E_CORRUPT) {
			/* Nothing was written; leave this writer out from now on. */
			src[k].flags |= SRC_CORRUPT;
			lc_shm_count_corrupt(src[k].shm);
			st->n_corrupt++;
			continue;
		}
		filled = 1;
		if (rc == LC_E_STATE) {
			src[k].flags |= SRC_TORN;
			torn = true;
		}
	}
	if (!filled)
		memset(out, 0, n_samples * sizeof(float));
	return torn;
}

int
lc_mix_read(struct lc_shm *shm, const struct lc_slot *reader, uint32_t cable, uint64_t from,
	    uint32_t n_frames, float *out, struct lc_mix_stats *stats)
{
	return lc_mix_read_peers(shm, reader, cable, NULL, 0, from, n_frames, out, stats);
}

int
lc_mix_read_peers(struct lc_shm *shm, const struct lc_slot *reader, uint32_t cable,
		  struct lc_shm *const *peers, uint32_t n_peers, uint64_t from, uint32_t n_frames,
		  float *out, struct lc_mix_stats *stats)
{
	struct mix_source src[LC_WRITER_SLOTS * (1 + LC_MIX_MAX_PEERS)];
	struct lc_mix_stats st = { 0, 0, 0, 0 };
	struct lc_shm_reader *rd = NULL;
	int rc = LC_E_INVALID;

	if (!shm || !out || cable >= shm->n_cables || n_frames > LC_RING_MAX_FRAMES ||
	    from >= LC_RING_MAX_POS || n_peers > LC_MIX_MAX_PEERS || (n_peers && !peers))
		goto out;
	const struct lc_shm_cable_desc *d = &shm->cables[cable];
	size_t n_samples = (size_t)n_frames * d->n_channels;
	if (reader) {
		if (reader->kind != LC_SLOT_READER || reader->cable != cable)
			goto out;
		rc = lc_shm_slot_check(shm, reader);
		if (rc != LC_OK) {
			memset(out, 0, n_samples * sizeof(float));
			goto out;
		}
		rd = lc_shm_reader_at(shm, cable, reader->index);
	}
	rc = lc_shm_verify(shm);
	if (rc != LC_OK) {
		memset(out, 0, n_samples * sizeof(float));
		goto out;
	}

	uint32_t n_src = gather(shm, cable, src, &st);
	/* A peer that is not the same cable (or fails its own checks) adds nothing: its
	 * frames would have another rate or layout. */
	for (uint32_t p = 0; p < n_peers; p++) {
		if (peers[p] && peers[p] != shm && lc_mix_peer_compatible(shm, peers[p], cable) &&
		    lc_shm_verify(peers[p]) == LC_OK)
			n_src += gather(peers[p], cable, src + n_src, &st);
	}
	rc = LC_E_STATE;
	for (uint32_t attempt = 0; attempt < LC_MIX_TRIES; attempt++) {
		st.n_attempts++;
		if (!sum_once(src, n_src, from, n_frames, out, n_samples, &st)) {
			rc = (int)n_frames;
			break;
		}
		for (uint32_t k = 0; k < n_src; k++) {
			if (!(src[k].flags & SRC_TORN))
				continue;
			if (src[k].flags & SRC_TORE_BEFORE)
				src[k].flags |= SRC_SKIP; /* tore twice: not this read */
			src[k].flags |= SRC_TORE_BEFORE;
		}
	}
	for (uint32_t k = 0; k < n_src; k++)
		st.n_excluded += (src[k].flags & (SRC_SKIP | SRC_CORRUPT)) != 0;
	if (rc < 0) {
		memset(out, 0, n_samples * sizeof(float));
		goto out;
	}

	struct lc_shm_cable *c = lc_shm_cable_at(shm, cable);
	float gain = lc_shm_gain(shm, &c->ctl.volume, &c->ctl.mute);
	if (rd)
		gain *= lc_shm_gain(shm, &rd->head.volume, &rd->head.mute);
	if (gain != 1.0f)
		lc_mix_scale(out, n_samples, gain);
	if (rd)
		lc_meter_update(&rd->meter, out, n_frames, d->n_channels, from + n_frames,
				d->rate_hz);
out:
	if (stats)
		*stats = st;
	return rc;
}
