/* SPDX-License-Identifier: MIT */
/*
 * lc_shm.c — section geometry, init/open/validate, slots, panels, events, volumes.
 *
 * Longer than our usual 400 lines because slots, panels and events share one claim/
 * reclaim protocol and one snapshot; splitting them would spread that protocol over
 * files.  The contract and the trust model are in lc_shm.h.
 */
#include "lc_shm.h"

#include <string.h>

#include "lc_event.h"
#include "lc_result.h"

/* --- geometry ----------------------------------------------------------------------- */

static int
name_ok(const char *name)
{
	return memchr(name, '\0', LC_NAME_BYTES) != NULL;
}

static int
cable_config_ok(const struct lc_shm_cable_config *c)
{
	return name_ok(c->name) && c->rate_hz >= LC_RATE_MIN_HZ && c->rate_hz <= LC_RATE_MAX_HZ &&
	       c->n_channels >= 1 && c->n_channels <= LC_MAX_CHANNELS &&
	       c->ring_frames >= LC_RING_MIN_FRAMES && c->ring_frames <= LC_RING_MAX_FRAMES &&
	       (c->ring_frames & (c->ring_frames - 1)) == 0;
}

/* Lays cfg out (fields already checked): fills descs, returns the section size.  Every
 * term is bounded (32 cables x 32 rings x 2^20 frames x 32 channels x 4 < 2^43). */
static uint64_t
layout(const struct lc_shm_config *cfg, struct lc_shm_cable_desc *descs)
{
	uint64_t off = sizeof(struct lc_shm_root);

	for (uint32_t i = 0; i < cfg->n_cables; i++) {
		const struct lc_shm_cable_config *c = &cfg->cables[i];
		struct lc_shm_cable_desc *d = &descs[i];
		memset(d, 0, sizeof *d);
		const char *nul = memchr(c->name, '\0', LC_NAME_BYTES);
		memcpy(d->name, c->name, (size_t)(nul - c->name)); /* name_ok(): nul found */
		d->rate_hz = c->rate_hz;
		d->n_channels = c->n_channels;
		d->ring_frames = c->ring_frames;
		d->cable_offset = off;
		d->ring_offset = off + sizeof(struct lc_shm_cable);
		/* ring_frames >= 256 makes the stride a multiple of 64: rings stay aligned. */
		d->ring_stride_bytes = (uint64_t)c->ring_frames * c->n_channels * sizeof(float);
		d->cable_bytes = sizeof(struct lc_shm_cable) + LC_WRITER_SLOTS * d->ring_stride_bytes;
		off += d->cable_bytes;
	}
	return off;
}

int
lc_shm_config_check(const struct lc_shm_config *cfg)
{
	struct lc_shm_cable_desc descs[LC_MAX_CABLES];

	if (!cfg || cfg->n_cables < 1 || cfg->n_cables > LC_MAX_CABLES)
		return LC_E_INVALID;
	for (uint32_t i = 0; i < cfg->n_cables; i++)
		if (!cable_config_ok(&cfg->cables[i]))
			return LC_E_INVALID;
	return layout(cfg, descs) <= LC_SHM_MAX_BYTES ? LC_OK : LC_E_INVALID;
}

uint64_t
lc_shm_size_for(const struct lc_shm_config *cfg)
{
	struct lc_shm_cable_desc descs[LC_MAX_CABLES];

	if (lc_shm_config_check(cfg) != LC_OK)
		return 0;
	return layout(cfg, descs);
}

void
lc_shm_config_default(struct lc_shm_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->n_cables = LC_SHM_DEFAULT_CABLES;
	for (uint32_t i = 0; i < LC_SHM_DEFAULT_CABLES; i++) {
		struct lc_shm_cable_config *c = &cfg->cables[i];
		memcpy(c->name, "LoopCable 1", sizeof "LoopCable 1");
		c->name[10] = (char)('1' + i);
		c->rate_hz = LC_SHM_DEFAULT_RATE_HZ;
		c->n_channels = LC_SHM_DEFAULT_CHANNELS;
		c->ring_frames = LC_SHM_DEFAULT_RING_FRAMES;
	}
}

/* --- init, open, verify --------------------------------------------------------------- */

static struct lc_shm_root *
root_of(const struct lc_shm *shm)
{
	return (struct lc_shm_root *)(void *)shm->base;
}

void
lc_shm_count_corrupt(struct lc_shm *shm)
{
	atomic_fetch_add_explicit(&shm->n_corrupt, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&root_of(shm)->header.corrupt_events, 1, memory_order_relaxed);
}

static uint32_t
float_bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	return u;
}

int
lc_shm_init(struct lc_shm *shm, void *base, uint64_t mapped_bytes,
	    const struct lc_shm_config *cfg, const struct lc_clock *clock,
	    uint32_t config_generation)
{
	struct lc_shm_cable_desc descs[LC_MAX_CABLES];

	if (!shm || !base || ((uintptr_t)base & 63) != 0 || lc_shm_config_check(cfg) != LC_OK ||
	    lc_clock_check(clock) != LC_OK)
		return LC_E_INVALID;
	uint64_t size = layout(cfg, descs);
	if (mapped_bytes < size)
		return LC_E_TOO_SMALL;

	/* Zero is every slot's FREE word, every ring's empty window, every counter.  The
	 * rings' samples are left as they are: nothing reads a frame outside a window a
	 * writer published, and touching them would commit every page of a section that
	 * may be hundreds of megabytes (the OS zero-fills a new one anyway). */
	memset(base, 0, sizeof(struct lc_shm_root));
	for (uint32_t i = 0; i < cfg->n_cables; i++)
		memset((uint8_t *)base + descs[i].cable_offset, 0, sizeof(struct lc_shm_cable));
	struct lc_shm_root *root = base;
	struct lc_shm_header *h = &root->header;
	h->abi_version = LC_SHM_ABI_VERSION;
	h->root_bytes = sizeof(struct lc_shm_root);
	h->section_bytes = size;
	h->epoch_ticks = clock->epoch_ticks;
	h->tick_hz = clock->tick_hz;
	h->config_generation = config_generation;
	h->n_cables = cfg->n_cables;
	h->cables_offset = sizeof(struct lc_shm_root);
	memcpy(root->cables, descs, cfg->n_cables * sizeof descs[0]);
	for (uint32_t i = 0; i < cfg->n_cables; i++) {
		struct lc_shm_cable *c = (void *)((uint8_t *)base + descs[i].cable_offset);
		atomic_store_explicit(&c->ctl.volume, float_bits(1.0f), memory_order_relaxed);
	}
	/* release: pairs with lc_shm_open's acquire load; the section is complete. */
	atomic_store_explicit(&h->magic, LC_SHM_MAGIC, memory_order_release);
	return lc_shm_open(shm, base, mapped_bytes);
}

int
lc_shm_open(struct lc_shm *shm, void *base, uint64_t mapped_bytes)
{
	struct lc_shm_config cfg;
	struct lc_shm_cable_desc stored[LC_MAX_CABLES];

	/* 64-byte aligned (a mapped view is page-aligned): the blocks are laid out on cache
	 * lines and a misaligned 64-bit atomic is not atomic on i686. */
	if (!shm || !base || ((uintptr_t)base & 63) != 0)
		return LC_E_INVALID;
	if (mapped_bytes < sizeof(struct lc_shm_root))
		return LC_E_TOO_SMALL;
	struct lc_shm_root *root = base;
	struct lc_shm_header *h = &root->header;
	/* acquire: pairs with lc_shm_init's release store of the magic. */
	uint64_t magic = atomic_load_explicit(&h->magic, memory_order_acquire);
	if (magic == 0)
		return LC_E_STATE;
	if (magic != LC_SHM_MAGIC)
		return LC_E_CORRUPT;
	if (h->abi_version != LC_SHM_ABI_VERSION)
		return LC_E_VERSION;

	/* Every shared field is read once, into locals, and only the locals are checked
	 * and used: a concurrent rewrite cannot slip between check and use. */
	uint64_t section_bytes = h->section_bytes;
	struct lc_clock clock = { h->epoch_ticks, h->tick_hz };
	uint32_t generation = h->config_generation;
	memset(&cfg, 0, sizeof cfg);
	cfg.n_cables = h->n_cables;
	if (h->root_bytes != sizeof(struct lc_shm_root) ||
	    h->cables_offset != sizeof(struct lc_shm_root) || lc_clock_check(&clock) != LC_OK ||
	    cfg.n_cables < 1 || cfg.n_cables > LC_MAX_CABLES)
		return LC_E_CORRUPT;
	memcpy(stored, root->cables, cfg.n_cables * sizeof stored[0]);
	for (uint32_t i = 0; i < cfg.n_cables; i++) {
		memcpy(cfg.cables[i].name, stored[i].name, LC_NAME_BYTES);
		cfg.cables[i].rate_hz = stored[i].rate_hz;
		cfg.cables[i].n_channels = stored[i].n_channels;
		cfg.cables[i].ring_frames = stored[i].ring_frames;
	}
	if (lc_shm_config_check(&cfg) != LC_OK)
		return LC_E_CORRUPT;
	memset(shm, 0, sizeof *shm);
	uint64_t size = layout(&cfg, shm->cables);
	for (uint32_t i = 0; i < cfg.n_cables; i++)
		if (memcmp(&stored[i], &shm->cables[i], sizeof stored[i]) != 0)
			return LC_E_CORRUPT; /* an offset, stride, length or padding is off */
	if (section_bytes != size)
		return LC_E_CORRUPT;
	if (mapped_bytes < size)
		return LC_E_TOO_SMALL;

	shm->base = base;
	shm->mapped_bytes = mapped_bytes;
	shm->section_bytes = size;
	shm->clock = clock;
	shm->config_generation = generation;
	shm->n_cables = cfg.n_cables;
	return LC_OK;
}

int
lc_shm_verify(struct lc_shm *shm)
{
	struct lc_shm_root *root = root_of(shm);
	const struct lc_shm_header *h = &root->header;

	if (atomic_load_explicit(&h->magic, memory_order_relaxed) != LC_SHM_MAGIC ||
	    h->abi_version != LC_SHM_ABI_VERSION || h->root_bytes != sizeof(struct lc_shm_root) ||
	    h->section_bytes != shm->section_bytes || h->epoch_ticks != shm->clock.epoch_ticks ||
	    h->tick_hz != shm->clock.tick_hz || h->config_generation != shm->config_generation ||
	    h->n_cables != shm->n_cables || h->cables_offset != sizeof(struct lc_shm_root) ||
	    memcmp(root->cables, shm->cables, shm->n_cables * sizeof shm->cables[0]) != 0) {
		lc_shm_count_corrupt(shm);
		return LC_E_CORRUPT;
	}
	return LC_OK;
}

void
lc_shm_retire(struct lc_shm *shm)
{
	atomic_store_explicit(&root_of(shm)->header.retired, 1, memory_order_release);
}

int
lc_shm_is_retired(const struct lc_shm *shm)
{
	return atomic_load_explicit(&root_of(shm)->header.retired, memory_order_acquire) != 0;
}

/* --- addresses from the snapshot ------------------------------------------------------- */

struct lc_shm_cable *
lc_shm_cable_at(const struct lc_shm *shm, uint32_t cable)
{
	if (cable >= shm->n_cables)
		return NULL;
	return (struct lc_shm_cable *)(void *)(shm->base + shm->cables[cable].cable_offset);
}

struct lc_shm_writer *
lc_shm_writer_at(const struct lc_shm *shm, uint32_t cable, uint32_t index)
{
	struct lc_shm_cable *c = lc_shm_cable_at(shm, cable);
	return c && index < LC_WRITER_SLOTS ? &c->writers[index] : NULL;
}

struct lc_shm_reader *
lc_shm_reader_at(const struct lc_shm *shm, uint32_t cable, uint32_t index)
{
	struct lc_shm_cable *c = lc_shm_cable_at(shm, cable);
	return c && index < LC_READER_SLOTS ? &c->readers[index] : NULL;
}

int
lc_shm_ring_view(const struct lc_shm *shm, uint32_t cable, uint32_t index, struct lc_ring *out)
{
	struct lc_shm_writer *w = lc_shm_writer_at(shm, cable, index);
	if (!w || !out)
		return LC_E_INVALID;
	const struct lc_shm_cable_desc *d = &shm->cables[cable];
	float *data = (float *)(void *)(shm->base + d->ring_offset + index * d->ring_stride_bytes);
	return lc_ring_view_init(out, &w->ring, data, d->ring_frames, d->n_channels, d->rate_hz);
}

/* The parts of a slot the life cycle touches, whatever its kind. */
struct slot_ref {
	_Atomic uint64_t *state;
	_Atomic uint64_t *owner_start;
	_Atomic uint32_t *owner_gen;
	struct lc_shm_slot_head *head; /* NULL for panel slots */
	struct lc_shm_meter *meter;    /* NULL for panel slots */
	struct lc_shm_writer *writer;  /* writers only */
};

static int
slot_ref(const struct lc_shm *shm, uint32_t kind, uint32_t cable, uint32_t index,
	 struct slot_ref *r)
{
	memset(r, 0, sizeof *r);
	if (kind == LC_SLOT_PANEL) {
		if (index >= LC_PANEL_SLOTS)
			return LC_E_INVALID;
		struct lc_shm_panel_slot *p = &root_of(shm)->panels[index];
		r->state = &p->state;
		r->owner_start = &p->owner_start;
		r->owner_gen = &p->owner_gen;
		return LC_OK;
	}
	if (kind == LC_SLOT_WRITER) {
		struct lc_shm_writer *w = lc_shm_writer_at(shm, cable, index);
		if (!w)
			return LC_E_INVALID;
		r->head = &w->head;
		r->meter = &w->meter;
		r->writer = w;
	} else if (kind == LC_SLOT_READER) {
		struct lc_shm_reader *rd = lc_shm_reader_at(shm, cable, index);
		if (!rd)
			return LC_E_INVALID;
		r->head = &rd->head;
		r->meter = &rd->meter;
	} else {
		return LC_E_INVALID;
	}
	r->state = &r->head->state;
	r->owner_start = &r->head->owner_start;
	r->owner_gen = &r->head->owner_gen;
	return LC_OK;
}

static uint32_t
n_slots(uint32_t kind)
{
	return kind == LC_SLOT_WRITER ? LC_WRITER_SLOTS
	       : kind == LC_SLOT_READER ? LC_READER_SLOTS
					: LC_PANEL_SLOTS;
}

/* --- slot life cycle ------------------------------------------------------------------- */

LC_STATIC_ASSERT(sizeof(struct lc_shm_fmt) == LC_SHM_FMT_FIELDS * sizeof(uint32_t),
		 "lc_shm_fmt mirrors enum lc_shm_fmt_field");

/* Seqlock writer over head->fmt (owner only).  The count is forced odd first, so even a
 * hostile odd value leaves readers retrying rather than accepting a half-written format. */
static void
write_fmt(struct lc_shm_slot_head *head, const struct lc_shm_fmt *fmt)
{
	uint32_t v[LC_SHM_FMT_FIELDS] = { 0 };
	if (fmt)
		memcpy(v, fmt, sizeof v);
	uint32_t seq = (atomic_load_explicit(&head->fmt_seq, memory_order_relaxed) + 1) | 1u;
	atomic_store_explicit(&head->fmt_seq, seq, memory_order_relaxed);
	/* release fence: a reader that sees any field below also sees the odd count. */
	atomic_thread_fence(memory_order_release);
	for (uint32_t i = 0; i < LC_SHM_FMT_FIELDS; i++)
		atomic_store_explicit(&head->fmt[i], v[i], memory_order_relaxed);
	/* release: the fields before the even count. */
	atomic_store_explicit(&head->fmt_seq, seq + 1, memory_order_release);
}

static int
read_fmt(const struct lc_shm_slot_head *head, struct lc_shm_fmt *fmt)
{
	uint32_t v[LC_SHM_FMT_FIELDS];

	for (int attempt = 0; attempt < 4; attempt++) {
		uint32_t s1 = atomic_load_explicit(&head->fmt_seq, memory_order_acquire);
		if (s1 & 1u)
			continue;
		for (uint32_t i = 0; i < LC_SHM_FMT_FIELDS; i++)
			v[i] = atomic_load_explicit(&head->fmt[i], memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire); /* pairs with write_fmt's fence */
		if (atomic_load_explicit(&head->fmt_seq, memory_order_relaxed) == s1) {
			memcpy(fmt, v, sizeof v);
			return LC_OK;
		}
	}
	return LC_E_STATE;
}

static int
claim_kind(struct lc_shm *shm, uint32_t kind, uint32_t cable, uint32_t pid, uint64_t start_time,
	   const struct lc_shm_fmt *fmt, uint64_t hwnd, struct lc_slot *out)
{
	struct slot_ref r;

	if (!out || pid == 0 || start_time == 0 || slot_ref(shm, kind, cable, 0, &r) != LC_OK)
		return LC_E_INVALID;
	if (lc_shm_verify(shm) != LC_OK)
		return LC_E_CORRUPT;
	for (uint32_t i = 0; i < n_slots(kind); i++) {
		slot_ref(shm, kind, cable, i, &r);
		uint64_t s = atomic_load_explicit(r.state, memory_order_relaxed);
		if (LC_SLOT_KIND(s) != LC_SLOT_FREE) {
			if (LC_SLOT_KIND(s) > LC_SLOT_ACTIVE)
				lc_shm_count_corrupt(shm);
			continue;
		}
		uint32_t gen = (LC_SLOT_GEN(s) + 1) & 0xffffffu;
		/* acq_rel: acquire sees the last owner's writes, release publishes the claim. */
		if (!atomic_compare_exchange_strong_explicit(r.state, &s,
							     LC_SLOT_WORD(pid, gen, LC_SLOT_CLAIMING),
							     memory_order_acq_rel, memory_order_relaxed))
			continue;
		/* release fence: a reclaimer that reads the owner fields below and then the
		 * state again is guaranteed to see this claim (read_owner). */
		atomic_thread_fence(memory_order_release);
		atomic_store_explicit(r.owner_start, start_time, memory_order_relaxed);
		/* release: pairs with read_owner's acquire; owner_start is set for gen. */
		atomic_store_explicit(r.owner_gen, gen, memory_order_release);
		if (r.head) {
			write_fmt(r.head, fmt);
			atomic_store_explicit(&r.head->volume, float_bits(1.0f), memory_order_relaxed);
			atomic_store_explicit(&r.head->mute, 0, memory_order_relaxed);
			lc_meter_reset(r.meter);
		}
		if (r.writer) {
			struct lc_ring ring;
			if (lc_shm_ring_view(shm, cable, i, &ring) == LC_OK)
				lc_ring_reset(&ring);
		}
		if (kind == LC_SLOT_PANEL)
			atomic_store_explicit(&root_of(shm)->panels[i].hwnd, hwnd,
					      memory_order_relaxed);
		/* release: everything above is visible to whoever sees ACTIVE (the mixer,
		 * the panel list).  A CAS, not a store: if the slot was taken from us
		 * meanwhile, we must not overwrite the new state. */
		uint64_t claiming = LC_SLOT_WORD(pid, gen, LC_SLOT_CLAIMING);
		uint64_t active = LC_SLOT_WORD(pid, gen, LC_SLOT_ACTIVE);
		if (!atomic_compare_exchange_strong_explicit(r.state, &claiming, active,
							     memory_order_release,
							     memory_order_relaxed))
			return LC_E_STATE;
		*out = (struct lc_slot){ kind, cable, i, 0, active };
		return (int)i;
	}
	return LC_E_NO_SLOT;
}

int
lc_shm_claim(struct lc_shm *shm, enum lc_slot_kind kind, uint32_t cable, uint32_t pid,
	     uint64_t start_time, const struct lc_shm_fmt *fmt, struct lc_slot *out)
{
	if (!shm || (kind != LC_SLOT_WRITER && kind != LC_SLOT_READER))
		return LC_E_INVALID;
	return claim_kind(shm, kind, cable, pid, start_time, fmt, 0, out);
}

int
lc_shm_slot_check(const struct lc_shm *shm, const struct lc_slot *slot)
{
	struct slot_ref r;

	if (!shm || !slot || slot_ref(shm, slot->kind, slot->cable, slot->index, &r) != LC_OK)
		return LC_E_INVALID;
	return atomic_load_explicit(r.state, memory_order_relaxed) == slot->word ? LC_OK
										: LC_E_STATE;
}

int
lc_shm_release(struct lc_shm *shm, const struct lc_slot *slot)
{
	struct slot_ref r;

	if (!shm || !slot || slot_ref(shm, slot->kind, slot->cable, slot->index, &r) != LC_OK)
		return LC_E_INVALID;
	if (lc_shm_verify(shm) != LC_OK)
		return LC_E_CORRUPT;
	uint64_t expected = slot->word;
	/* release: our last writes (ring, meter) happen before the next claimer's acquire. */
	if (!atomic_compare_exchange_strong_explicit(
		    r.state, &expected, LC_SLOT_WORD(0, LC_SLOT_GEN(slot->word), LC_SLOT_FREE),
		    memory_order_release, memory_order_relaxed))
		return LC_E_STATE;
	return LC_OK;
}

int
lc_shm_set_format(struct lc_shm *shm, const struct lc_slot *slot, const struct lc_shm_fmt *fmt)
{
	struct slot_ref r;

	if (!shm || !slot || slot_ref(shm, slot->kind, slot->cable, slot->index, &r) != LC_OK ||
	    !r.head)
		return LC_E_INVALID;
	if (atomic_load_explicit(r.state, memory_order_relaxed) != slot->word)
		return LC_E_STATE;
	write_fmt(r.head, fmt);
	return LC_OK;
}

int
lc_shm_writer_ring(const struct lc_shm *shm, const struct lc_slot *slot, struct lc_ring *out)
{
	if (!shm || !slot || slot->kind != LC_SLOT_WRITER)
		return LC_E_INVALID;
	int rc = lc_shm_ring_view(shm, slot->cable, slot->index, out);
	if (rc != LC_OK)
		return rc;
	struct lc_shm_writer *w = lc_shm_writer_at(shm, slot->cable, slot->index);
	out->meter = &w->meter;
	out->owner_state = &w->head.state;
	out->owner_word = slot->word;
	return LC_OK;
}

/*
 * Reads who owns a slot, consistently: 1 (occupied, *word and *owner set), 0 (free, or
 * changing hands right now), LC_E_CORRUPT (a state word no claim can produce).  The
 * acquire fence pairs with claim_kind's release fence: if the owner fields read came
 * from a newer claim, the second state load sees that claim and the read is discarded.
 */
static int
read_owner(const struct slot_ref *r, uint64_t *word, struct lc_owner *owner)
{
	uint64_t s1 = atomic_load_explicit(r->state, memory_order_acquire);
	if (LC_SLOT_KIND(s1) == LC_SLOT_FREE)
		return 0;
	if (LC_SLOT_KIND(s1) > LC_SLOT_ACTIVE)
		return LC_E_CORRUPT;
	uint32_t gen = atomic_load_explicit(r->owner_gen, memory_order_acquire);
	uint64_t start = atomic_load_explicit(r->owner_start, memory_order_relaxed);
	atomic_thread_fence(memory_order_acquire);
	if (atomic_load_explicit(r->state, memory_order_relaxed) != s1)
		return 0;
	*word = s1;
	owner->pid = LC_SLOT_PID(s1);
	owner->reserved = 0;
	owner->start_time = gen == LC_SLOT_GEN(s1) ? start : 0;
	return 1;
}

/* Slots numbered across kinds: per cable writers then readers, then the panels. */
static uint32_t
n_all_slots(const struct lc_shm *shm)
{
	return shm->n_cables * (LC_WRITER_SLOTS + LC_READER_SLOTS) + LC_PANEL_SLOTS;
}

static void
slot_by_number(const struct lc_shm *shm, uint32_t n, struct slot_ref *r)
{
	const uint32_t per_cable = LC_WRITER_SLOTS + LC_READER_SLOTS;

	if (n >= shm->n_cables * per_cable) {
		slot_ref(shm, LC_SLOT_PANEL, 0, n - shm->n_cables * per_cable, r);
		return;
	}
	uint32_t k = n % per_cable;
	if (k < LC_WRITER_SLOTS)
		slot_ref(shm, LC_SLOT_WRITER, n / per_cable, k, r);
	else
		slot_ref(shm, LC_SLOT_READER, n / per_cable, k - LC_WRITER_SLOTS, r);
}

int
lc_shm_owners(struct lc_shm *shm, struct lc_owner *out, uint32_t cap)
{
	struct slot_ref r;
	struct lc_owner o;
	uint64_t word;
	uint32_t n_out = 0;
	int rc = LC_OK;

	if (!shm || (!out && cap))
		return LC_E_INVALID;
	for (uint32_t n = 0; n < n_all_slots(shm); n++) {
		slot_by_number(shm, n, &r);
		int got = read_owner(&r, &word, &o);
		if (got < 0)
			lc_shm_count_corrupt(shm);
		if (got <= 0)
			continue;
		uint32_t j = 0;
		while (j < n_out && (out[j].pid != o.pid || out[j].start_time != o.start_time))
			j++;
		if (j < n_out)
			continue;
		if (n_out == cap) {
			rc = LC_E_TOO_SMALL;
			continue;
		}
		out[n_out++] = o;
	}
	return rc < 0 ? rc : (int)n_out;
}

static int
owner_is_dead(const struct lc_owner *o, const struct lc_owner *dead, uint32_t n_dead)
{
	for (uint32_t i = 0; i < n_dead; i++) {
		if (dead[i].pid == 0 || dead[i].pid != o->pid)
			continue;
		/* The start time must match, a pid alone never: between the OS saying "no
		 * process P" and this pass, a new process may have got P and claimed a slot.
		 * Start 0 is a claim whose start time is not published (its claimer died
		 * mid-claim), and matches only such slots: a published one keeps its owner. */
		if (dead[i].start_time == o->start_time)
			return 1;
	}
	return 0;
}

int
lc_shm_reclaim(struct lc_shm *shm, const struct lc_owner *dead, uint32_t n_dead)
{
	struct slot_ref r;
	struct lc_owner o;
	uint64_t word;
	int freed = 0;

	if (!shm || (!dead && n_dead))
		return LC_E_INVALID;
	if (lc_shm_verify(shm) != LC_OK)
		return LC_E_CORRUPT;
	for (uint32_t n = 0; n < n_all_slots(shm); n++) {
		slot_by_number(shm, n, &r);
		int got = read_owner(&r, &word, &o);
		if (got < 0)
			lc_shm_count_corrupt(shm);
		if (got <= 0 || !owner_is_dead(&o, dead, n_dead))
			continue;
		/* From exactly the word we examined: if the slot changed hands since, the
		 * generation differs and the CAS fails.  acq_rel as in a claim. */
		if (atomic_compare_exchange_strong_explicit(
			    r.state, &word, LC_SLOT_WORD(0, LC_SLOT_GEN(word), LC_SLOT_FREE),
			    memory_order_acq_rel, memory_order_relaxed))
			freed++;
	}
	return freed;
}

int
lc_shm_slot_info(struct lc_shm *shm, enum lc_slot_kind kind, uint32_t cable, uint32_t index,
		 struct lc_slot_info *info)
{
	struct slot_ref r;
	struct lc_owner o = { 0, 0, 0 };
	uint64_t word = 0;

	if (!shm || !info || slot_ref(shm, kind, cable, index, &r) != LC_OK)
		return LC_E_INVALID;
	memset(info, 0, sizeof *info);
	int got = read_owner(&r, &word, &o);
	if (got < 0) {
		lc_shm_count_corrupt(shm);
		return LC_E_CORRUPT;
	}
	if (got == 0) {
		uint64_t s = atomic_load_explicit(r.state, memory_order_relaxed);
		return LC_SLOT_KIND(s) == LC_SLOT_FREE ? LC_OK : LC_E_STATE;
	}
	info->state = LC_SLOT_KIND(word);
	info->pid = o.pid;
	info->start_time = o.start_time;
	if (r.head) {
		if (read_fmt(r.head, &info->fmt) != LC_OK)
			return LC_E_STATE;
		uint32_t bits = atomic_load_explicit(&r.head->volume, memory_order_relaxed);
		memcpy(&info->volume, &bits, sizeof bits);
		info->mute = atomic_load_explicit(&r.head->mute, memory_order_relaxed);
		lc_meter_read_counts(r.meter, &info->counts);
	}
	atomic_thread_fence(memory_order_acquire);
	return atomic_load_explicit(r.state, memory_order_relaxed) == word ? LC_OK : LC_E_STATE;
}

/* --- panels ------------------------------------------------------------------------------ */

int
lc_shm_panel_register(struct lc_shm *shm, uint64_t hwnd, uint32_t pid, uint64_t start_time,
		      struct lc_slot *out)
{
	if (!shm || hwnd == 0)
		return LC_E_INVALID;
	return claim_kind(shm, LC_SLOT_PANEL, 0, pid, start_time, NULL, hwnd, out);
}

int
lc_shm_panel_unregister(struct lc_shm *shm, const struct lc_slot *slot)
{
	if (!slot || slot->kind != LC_SLOT_PANEL)
		return LC_E_INVALID;
	return lc_shm_release(shm, slot);
}

int
lc_shm_panel_targets(struct lc_shm *shm, struct lc_panel_target *out, uint32_t cap)
{
	uint32_t n = 0;

	if (!shm || (!out && cap))
		return LC_E_INVALID;
	if (lc_shm_verify(shm) != LC_OK)
		return LC_E_CORRUPT;
	for (uint32_t i = 0; i < LC_PANEL_SLOTS && n < cap; i++) {
		struct lc_shm_panel_slot *p = &root_of(shm)->panels[i];
		/* acquire: pairs with the claim's release of ACTIVE; hwnd is set. */
		uint64_t s = atomic_load_explicit(&p->state, memory_order_acquire);
		if (LC_SLOT_KIND(s) != LC_SLOT_ACTIVE)
			continue;
		uint64_t hwnd = atomic_load_explicit(&p->hwnd, memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
		/* The same state word after reading hwnd: hwnd and pid belong together. */
		if (hwnd != 0 && atomic_load_explicit(&p->state, memory_order_relaxed) == s)
			out[n++] = (struct lc_panel_target){ hwnd, LC_SLOT_PID(s), 0 };
	}
	return (int)n;
}

int
lc_shm_panel_list(struct lc_shm *shm, uint64_t *hwnds, uint32_t cap)
{
	struct lc_panel_target targets[LC_PANEL_SLOTS];

	if (!shm || (!hwnds && cap))
		return LC_E_INVALID;
	int n = lc_shm_panel_targets(shm, targets, cap < LC_PANEL_SLOTS ? cap : LC_PANEL_SLOTS);
	for (int i = 0; i < n; i++)
		hwnds[i] = targets[i].hwnd;
	return n;
}

/* --- events ------------------------------------------------------------------------------ */

uint32_t
lc_shm_event_post(struct lc_shm *shm, uint32_t packed)
{
	struct lc_shm_root *root = root_of(shm);
	/* relaxed: the number only has to be unique; the entry carries it. */
	uint32_t seq = atomic_fetch_add_explicit(&root->header.event_seq, 1, memory_order_relaxed) + 1;
	/* release: pairs with lc_shm_event_get's acquire (one 64-bit word: no tearing). */
	atomic_store_explicit(&root->events[seq & (LC_EVENT_LOG - 1)],
			      ((uint64_t)seq << 32) | lc_event_with_seq(packed, seq),
			      memory_order_release);
	return seq;
}

uint32_t
lc_shm_event_seq(const struct lc_shm *shm)
{
	return atomic_load_explicit(&root_of(shm)->header.event_seq, memory_order_relaxed);
}

int
lc_shm_event_get(const struct lc_shm *shm, uint32_t seq, uint32_t *packed)
{
	uint64_t v = atomic_load_explicit(&root_of(shm)->events[seq & (LC_EVENT_LOG - 1)],
					  memory_order_acquire);
	if ((uint32_t)(v >> 32) != seq)
		return LC_E_STATE;
	*packed = (uint32_t)v;
	return LC_OK;
}

/* --- volume ------------------------------------------------------------------------------ */

static int
volume_ok(float volume, uint32_t mute)
{
	return volume >= 0.0f && volume <= LC_GAIN_MAX && mute <= 1; /* NaN fails */
}

int
lc_shm_set_volume(struct lc_shm *shm, enum lc_slot_kind kind, uint32_t cable, uint32_t index,
		  float volume, uint32_t mute)
{
	struct slot_ref r;

	if (!shm || slot_ref(shm, kind, cable, index, &r) != LC_OK || !r.head ||
	    !volume_ok(volume, mute))
		return LC_E_INVALID;
	atomic_store_explicit(&r.head->volume, float_bits(volume), memory_order_relaxed);
	atomic_store_explicit(&r.head->mute, mute, memory_order_relaxed);
	return LC_OK;
}

int
lc_shm_cable_set_volume(struct lc_shm *shm, uint32_t cable, float volume, uint32_t mute)
{
	struct lc_shm_cable *c = shm ? lc_shm_cable_at(shm, cable) : NULL;

	if (!c || !volume_ok(volume, mute))
		return LC_E_INVALID;
	atomic_store_explicit(&c->ctl.volume, float_bits(volume), memory_order_relaxed);
	atomic_store_explicit(&c->ctl.mute, mute, memory_order_relaxed);
	return LC_OK;
}

static bool
taken(const _Atomic uint64_t *state)
{
	uint64_t s = atomic_load_explicit(state, memory_order_acquire);
	/* A hostile kind is nobody's slot. */
	return LC_SLOT_KIND(s) == LC_SLOT_CLAIMING || LC_SLOT_KIND(s) == LC_SLOT_ACTIVE;
}

bool
lc_shm_has_writers(const struct lc_shm *shm)
{
	for (uint32_t c = 0; c < shm->n_cables; c++)
		for (uint32_t i = 0; i < LC_WRITER_SLOTS; i++)
			if (taken(&lc_shm_writer_at(shm, c, i)->head.state))
				return true;
	return false;
}

bool
lc_shm_has_clients(const struct lc_shm *shm)
{
	if (lc_shm_has_writers(shm))
		return true;
	for (uint32_t c = 0; c < shm->n_cables; c++)
		for (uint32_t i = 0; i < LC_READER_SLOTS; i++)
			if (taken(&lc_shm_reader_at(shm, c, i)->head.state))
				return true;
	return false;
}

int
lc_shm_cable_copy_volume(struct lc_shm *dst, uint32_t dst_cable, struct lc_shm *src,
			 uint32_t src_cable)
{
	struct lc_shm_cable *from = src ? lc_shm_cable_at(src, src_cable) : NULL;

	if (!from)
		return LC_E_INVALID;
	uint32_t m = atomic_load_explicit(&from->ctl.mute, memory_order_relaxed);
	uint32_t bits = atomic_load_explicit(&from->ctl.volume, memory_order_relaxed);
	float v;

	memcpy(&v, &bits, sizeof v);
	if (m > 1 || !(v >= 0.0f)) {
		lc_shm_count_corrupt(src);
		return LC_E_CORRUPT;
	}
	return lc_shm_cable_set_volume(dst, dst_cable, v > LC_GAIN_MAX ? LC_GAIN_MAX : v, m);
}

float
lc_shm_gain(struct lc_shm *shm, const _Atomic uint32_t *volume, const _Atomic uint32_t *mute)
{
	uint32_t m = atomic_load_explicit(mute, memory_order_relaxed);
	uint32_t bits = atomic_load_explicit(volume, memory_order_relaxed);
	float v;

	memcpy(&v, &bits, sizeof v);
	if (m > 1 || !(v >= 0.0f)) {
		lc_shm_count_corrupt(shm);
		return 0.0f;
	}
	if (m)
		return 0.0f;
	return v > LC_GAIN_MAX ? LC_GAIN_MAX : v;
}
