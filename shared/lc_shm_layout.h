/* SPDX-License-Identifier: MIT */
/*
 * lc_shm_layout.h — the bytes of the shared-memory section, drawn and pinned.
 *
 * Owns: every struct that lives in the section, its constants and the static asserts that
 * make the layout byte-identical in 32- and 64-bit processes (the asserts use absolute
 * offsets, so an i686 build that disagrees with an x86_64 build fails to compile).
 * Does not own: creating, validating or changing a section (lc_shm.h), the ring protocol
 * (lc_ring.h), the mixer (lc_mix.h), meter semantics (lc_meter.h), event packing
 * (lc_event.h).
 *
 * Rules: fixed-width fields only (no pointers, long, size_t, bool); every 64-bit field at
 * an 8-byte offset, padding spelled out; references are byte offsets from the section
 * base; every atomic is always lock-free (lc_abi.h).  Anything here may be rewritten by
 * another process at any time: readers re-validate what they use (lc_shm.h says how).
 *
 * Section (offsets from the base; cables follow each other, every block 64-byte aligned):
 *
 *   0      struct lc_shm_root            4224 bytes, fixed
 *            0     header                 128  magic, ABI, sizes, epoch, counters
 *            128   config: 32 cable descs 3072 name, rate, channels, ring, offsets
 *            3200  panel slots (16)        512  registered windows
 *            3712  event log (64)          512  recent packed events
 *   4224   cable 0: struct lc_shm_cable  18496 bytes
 *            0     ctl                      64  cable volume, mute
 *            64    writer slots (32)     10240  320 bytes each
 *            10304 reader slots (32)      8192  256 bytes each
 *          then 32 writer rings, ring_stride_bytes each (ring_frames * channels * 4)
 *   ...    cable 1 at cables[1].cable_offset, and so on
 *
 * Slot state word (writer, reader and panel slots):
 *
 *   63                 32 31                    8 7        0
 *   +--------------------+-----------------------+----------+
 *   | owner process id   | generation (24 bits)  |   kind   |
 *   +--------------------+-----------------------+----------+
 *
 *   kind      FREE ──claim (CAS)──► CLAIMING ──init done──► ACTIVE
 *              ▲                                              │
 *              └────── release by owner / reclaim if dead ────┘ (CLAIMING too)
 *
 *   Every claim increments the generation, so a CAS prepared against an older state word
 *   fails instead of freeing the next owner's slot (ABA).  The owner's process start
 *   time sits beside the word in owner_start and counts only while owner_gen equals the
 *   word's generation (it is published a few instructions after the claim).
 */
#ifndef LC_SHM_LAYOUT_H
#define LC_SHM_LAYOUT_H

#include "lc_abi.h"

#define LC_SHM_MAGIC UINT64_C(0x4C424143504F4F4C) /* "LOOPCABL" as little-endian bytes */
#define LC_SHM_ABI_VERSION 2u

#define LC_MAX_CABLES 32u
#define LC_MAX_CHANNELS 32u
#define LC_WRITER_SLOTS 32u
#define LC_READER_SLOTS 32u
#define LC_PANEL_SLOTS 16u
#define LC_EVENT_LOG 64u /* power of two */
#define LC_NAME_BYTES 32u /* 31 characters + NUL: MAXPNAMELEN */

#define LC_RATE_MIN_HZ 8000u
#define LC_RATE_MAX_HZ 384000u
#define LC_RING_MIN_FRAMES 256u
#define LC_RING_MAX_FRAMES (1u << 20)
/* A 32-bit process must still find room to map the whole section. */
#define LC_SHM_MAX_BYTES (UINT64_C(256) << 20)

/* Slot state word. */
#define LC_SLOT_FREE 0u
#define LC_SLOT_CLAIMING 1u
#define LC_SLOT_ACTIVE 2u
#define LC_SLOT_KIND(w) ((uint32_t)((w)&0xffu))
#define LC_SLOT_GEN(w) ((uint32_t)(((w) >> 8) & 0xffffffu))
#define LC_SLOT_PID(w) ((uint32_t)((w) >> 32))
#define LC_SLOT_WORD(pid, gen, kind) \
	(((uint64_t)(pid) << 32) | ((uint64_t)((gen)&0xffffffu) << 8) | (uint64_t)(kind))

/* Index of each field of lc_shm_slot_head.fmt: the client's format as plain numbers (the
 * values of struct lc_fmt in lc_fmt.h, copied by the driver; the core stores them only). */
enum lc_shm_fmt_field {
	LC_SHM_FMT_TAG = 0,      /* wFormatTag (or the sub-format's tag for EXTENSIBLE) */
	LC_SHM_FMT_SAMPLE,       /* enum lc_fmt_sample value */
	LC_SHM_FMT_RATE_HZ,      /* nSamplesPerSec */
	LC_SHM_FMT_CHANNELS,     /* nChannels */
	LC_SHM_FMT_BITS,         /* wBitsPerSample (container) */
	LC_SHM_FMT_VALID_BITS,   /* wValidBitsPerSample */
	LC_SHM_FMT_CHANNEL_MASK, /* dwChannelMask */
	LC_SHM_FMT_BLOCK_ALIGN,  /* nBlockAlign */
	LC_SHM_FMT_FIELDS
};

/* --- directory ------------------------------------------------------------------------ */

/*
 * The directory: a tiny section of its own that names the current section.  Settings
 * that change the geometry (cable count, rates, channels, ring length) cannot be applied
 * in place while clients run, so applying them creates a new section (generation + 1)
 * and publishes it here; streams opened before keep using the section they opened until
 * they close, everything opened after uses the new one.  The OS zero-fills a new
 * mapping, so all zeroes is the valid "no section published yet" state: there is nothing
 * to initialize and nothing to wait for.  generation is only a name: whatever section it
 * names is validated like any other (lc_shm_open) and must carry that generation.  Like
 * every shared byte it can be written by anyone who may use a cable: a hostile value
 * can make processes create or look for another section (never crash them); that is
 * within the trust model of lc_shm.h, which defends memory safety, not availability.
 */
struct lc_shm_directory {
	_Atomic uint32_t generation;   /* current section's config_generation; 0: none yet */
	_Atomic uint32_t settings_seq; /* + 1 on every apply (settings outside sections) */
	_Atomic uint64_t epoch_ticks; /* the timeline epoch all generations share; 0: none */
	_Atomic uint64_t tick_hz;     /* its counter frequency, with the epoch */
	uint8_t reserved[40];
};
LC_ASSERT_OFFSET(struct lc_shm_directory, settings_seq, 4);
LC_ASSERT_OFFSET(struct lc_shm_directory, epoch_ticks, 8);
LC_ASSERT_OFFSET(struct lc_shm_directory, tick_hz, 16);
LC_ASSERT_SIZE(struct lc_shm_directory, 64);

/* --- root ------------------------------------------------------------------------- */

struct lc_shm_header {
	_Atomic uint64_t magic;          /* stored last by init, release; 0 = initializing */
	uint32_t abi_version;            /* LC_SHM_ABI_VERSION */
	uint32_t root_bytes;             /* sizeof(struct lc_shm_root) */
	uint64_t section_bytes;          /* lc_shm_size_for(config) */
	uint64_t epoch_ticks;            /* performance-counter value of timeline frame 0 */
	uint64_t tick_hz;                /* performance-counter frequency */
	uint32_t config_generation;      /* which configuration this section holds */
	uint32_t n_cables;               /* 1..LC_MAX_CABLES */
	uint64_t cables_offset;          /* offset of cable 0 (== sizeof root) */
	_Atomic uint32_t event_seq;      /* last event posted (lc_shm_event_post) */
	_Atomic uint32_t retired;        /* 1: a newer section replaces this one */
	_Atomic uint64_t corrupt_events; /* validation failures seen by any process */
	uint8_t reserved[56];
};
LC_ASSERT_OFFSET(struct lc_shm_header, magic, 0);
LC_ASSERT_OFFSET(struct lc_shm_header, abi_version, 8);
LC_ASSERT_OFFSET(struct lc_shm_header, root_bytes, 12);
LC_ASSERT_OFFSET(struct lc_shm_header, section_bytes, 16);
LC_ASSERT_OFFSET(struct lc_shm_header, epoch_ticks, 24);
LC_ASSERT_OFFSET(struct lc_shm_header, tick_hz, 32);
LC_ASSERT_OFFSET(struct lc_shm_header, config_generation, 40);
LC_ASSERT_OFFSET(struct lc_shm_header, n_cables, 44);
LC_ASSERT_OFFSET(struct lc_shm_header, cables_offset, 48);
LC_ASSERT_OFFSET(struct lc_shm_header, event_seq, 56);
LC_ASSERT_OFFSET(struct lc_shm_header, retired, 60);
LC_ASSERT_OFFSET(struct lc_shm_header, corrupt_events, 64);
LC_ASSERT_SIZE(struct lc_shm_header, 128);

/* One cable of the configuration.  Immutable after init: a change that alters the
 * geometry makes a new section (config_generation + 1) and retires this one. */
struct lc_shm_cable_desc {
	char name[LC_NAME_BYTES];   /* NUL-terminated, NUL-padded */
	uint32_t rate_hz;           /* LC_RATE_MIN_HZ..LC_RATE_MAX_HZ */
	uint32_t n_channels;        /* 1..LC_MAX_CHANNELS */
	uint32_t ring_frames;       /* power of two, LC_RING_MIN_FRAMES..LC_RING_MAX_FRAMES */
	uint32_t reserved0;
	uint64_t cable_offset;      /* struct lc_shm_cable */
	uint64_t ring_offset;       /* writer 0's ring; writer i at + i * ring_stride_bytes */
	uint64_t ring_stride_bytes; /* ring_frames * n_channels * sizeof(float) */
	uint64_t cable_bytes;       /* struct lc_shm_cable + LC_WRITER_SLOTS rings */
	uint8_t reserved[16];
};
LC_ASSERT_OFFSET(struct lc_shm_cable_desc, rate_hz, 32);
LC_ASSERT_OFFSET(struct lc_shm_cable_desc, n_channels, 36);
LC_ASSERT_OFFSET(struct lc_shm_cable_desc, ring_frames, 40);
LC_ASSERT_OFFSET(struct lc_shm_cable_desc, cable_offset, 48);
LC_ASSERT_OFFSET(struct lc_shm_cable_desc, ring_offset, 56);
LC_ASSERT_OFFSET(struct lc_shm_cable_desc, ring_stride_bytes, 64);
LC_ASSERT_OFFSET(struct lc_shm_cable_desc, cable_bytes, 72);
LC_ASSERT_SIZE(struct lc_shm_cable_desc, 96);

/* A registered panel window (DCB_WINDOW target).  hwnd is the HWND as an integer: 32-bit
 * processes zero-extend it, and window handles are valid across bitnesses. */
struct lc_shm_panel_slot {
	_Atomic uint64_t state;       /* slot state word */
	_Atomic uint64_t owner_start; /* process start time (FILETIME), see owner_gen */
	_Atomic uint32_t owner_gen;   /* generation whose owner_start is published */
	uint32_t reserved0;
	_Atomic uint64_t hwnd;
};
LC_ASSERT_OFFSET(struct lc_shm_panel_slot, owner_start, 8);
LC_ASSERT_OFFSET(struct lc_shm_panel_slot, owner_gen, 16);
LC_ASSERT_OFFSET(struct lc_shm_panel_slot, hwnd, 24);
LC_ASSERT_SIZE(struct lc_shm_panel_slot, 32);

struct lc_shm_root {
	struct lc_shm_header header;
	struct lc_shm_cable_desc cables[LC_MAX_CABLES];
	struct lc_shm_panel_slot panels[LC_PANEL_SLOTS];
	/* Entry seq & (LC_EVENT_LOG - 1): (uint64_t)seq << 32 | packed event (lc_event.h). */
	_Atomic uint64_t events[LC_EVENT_LOG];
};
LC_ASSERT_OFFSET(struct lc_shm_root, cables, 128);
LC_ASSERT_OFFSET(struct lc_shm_root, panels, 3200);
LC_ASSERT_OFFSET(struct lc_shm_root, events, 3712);
LC_ASSERT_SIZE(struct lc_shm_root, 4224);

/* --- per cable ---------------------------------------------------------------------- */

/* Identity, format, volume: the part writer and reader slots share. */
struct lc_shm_slot_head {
	_Atomic uint64_t state;                   /* slot state word */
	_Atomic uint64_t owner_start;             /* see owner_gen */
	_Atomic uint32_t owner_gen;               /* generation whose owner_start is set */
	_Atomic uint32_t fmt_seq;                 /* seqlock over fmt: odd while written */
	_Atomic uint32_t fmt[LC_SHM_FMT_FIELDS];  /* enum lc_shm_fmt_field */
	_Atomic uint32_t volume;                  /* float bits, 0..LC_GAIN_MAX; linear */
	_Atomic uint32_t mute;                    /* 0 or 1 */
};
LC_ASSERT_OFFSET(struct lc_shm_slot_head, owner_start, 8);
LC_ASSERT_OFFSET(struct lc_shm_slot_head, owner_gen, 16);
LC_ASSERT_OFFSET(struct lc_shm_slot_head, fmt_seq, 20);
LC_ASSERT_OFFSET(struct lc_shm_slot_head, fmt, 24);
LC_ASSERT_OFFSET(struct lc_shm_slot_head, volume, 56);
LC_ASSERT_OFFSET(struct lc_shm_slot_head, mute, 60);
LC_ASSERT_SIZE(struct lc_shm_slot_head, 64);

/* A writer ring's published window, lc_ring.h: frames [start, end) are valid. */
struct lc_shm_ring_ctl {
	_Atomic uint64_t start; /* oldest valid frame; only grows, except on reset */
	_Atomic uint64_t end;   /* one past the newest valid frame: the writer's cursor */
	_Atomic uint64_t seq;   /* + 1 on every retract/reset */
	_Atomic uint32_t flags; /* LC_RING_PRIMED: the cursor continues at end */
	uint8_t reserved[36];
};
LC_ASSERT_OFFSET(struct lc_shm_ring_ctl, end, 8);
LC_ASSERT_OFFSET(struct lc_shm_ring_ctl, seq, 16);
LC_ASSERT_OFFSET(struct lc_shm_ring_ctl, flags, 24);
LC_ASSERT_SIZE(struct lc_shm_ring_ctl, 64);

/* Counters and levels of one slot, lc_meter.h.  Written only by the slot's owner. */
struct lc_shm_meter {
	_Atomic uint64_t frames;           /* frames written (writer) or read (reader) */
	_Atomic uint64_t underflows;       /* events */
	_Atomic uint64_t underflow_frames; /* silence inserted */
	_Atomic uint64_t overflows;        /* events */
	_Atomic uint64_t overflow_frames;  /* frames refused (writer) or lost (reader) */
	_Atomic uint64_t clipped;          /* samples beyond full scale */
	_Atomic uint64_t peak_pos;         /* timeline frame at which peak[] was last set */
	_Atomic uint64_t buffer_bytes;     /* size of the client's latest buffer (panels) */
	_Atomic uint32_t peak[LC_MAX_CHANNELS]; /* float bits: |sample| max, held/decaying */
};
LC_ASSERT_OFFSET(struct lc_shm_meter, underflows, 8);
LC_ASSERT_OFFSET(struct lc_shm_meter, clipped, 40);
LC_ASSERT_OFFSET(struct lc_shm_meter, peak_pos, 48);
LC_ASSERT_OFFSET(struct lc_shm_meter, buffer_bytes, 56);
LC_ASSERT_OFFSET(struct lc_shm_meter, peak, 64);
LC_ASSERT_SIZE(struct lc_shm_meter, 192);

struct lc_shm_writer {
	struct lc_shm_slot_head head;
	struct lc_shm_ring_ctl ring;
	struct lc_shm_meter meter;
};
LC_ASSERT_OFFSET(struct lc_shm_writer, ring, 64);
LC_ASSERT_OFFSET(struct lc_shm_writer, meter, 128);
LC_ASSERT_SIZE(struct lc_shm_writer, 320);

struct lc_shm_reader {
	struct lc_shm_slot_head head;
	struct lc_shm_meter meter;
};
LC_ASSERT_OFFSET(struct lc_shm_reader, meter, 64);
LC_ASSERT_SIZE(struct lc_shm_reader, 256);

struct lc_shm_cable_ctl {
	_Atomic uint32_t volume; /* float bits, 0..LC_GAIN_MAX */
	_Atomic uint32_t mute;   /* 0 or 1 */
	uint8_t reserved[56];
};
LC_ASSERT_SIZE(struct lc_shm_cable_ctl, 64);

struct lc_shm_cable {
	struct lc_shm_cable_ctl ctl;
	struct lc_shm_writer writers[LC_WRITER_SLOTS];
	struct lc_shm_reader readers[LC_READER_SLOTS];
	/* followed by LC_WRITER_SLOTS rings of float32, see lc_shm_cable_desc */
};
LC_ASSERT_OFFSET(struct lc_shm_cable, writers, 64);
LC_ASSERT_OFFSET(struct lc_shm_cable, readers, 10304);
LC_ASSERT_SIZE(struct lc_shm_cable, 18496);

LC_STATIC_ASSERT(sizeof(float) == 4, "rings hold IEEE float32");
LC_STATIC_ASSERT(sizeof(_Atomic uint32_t) == 4 && sizeof(_Atomic uint64_t) == 8,
		 "atomics must have their plain size");
LC_STATIC_ASSERT(_Alignof(_Atomic uint64_t) == 8, "64-bit atomics need 8-byte alignment");
LC_STATIC_ASSERT((LC_EVENT_LOG & (LC_EVENT_LOG - 1)) == 0, "event log is a power of two");

#endif /* LC_SHM_LAYOUT_H */
