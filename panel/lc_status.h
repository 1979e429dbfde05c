/* SPDX-License-Identifier: MIT */
/*
 * lc_status.h — what the cables are doing, read from the shared section for tools
 * outside the audio path (lc_cli, the control panel).
 *
 * A snapshot copies, per cable, its configuration and every active client (slot,
 * process, format, counters, levels now) — also those that opened before the last
 * settings change, on an older generation of the section (drv_shm.h).  Which older
 * generations are looked at is lc_gens.h's policy, shared with the driver.  Nothing
 * here writes audio state; volume and mute are the only things a tool changes
 * (lc_status_set_volume).
 *
 * The cables shown are the published generation's.  Its section exists only while
 * some process maps it: for a moment after its publisher left (before the processes
 * still playing have followed) it may not, and then the newest older generation that
 * has clients stands in (config_generation says which).  Every live client is listed
 * whatever state the generations are in; "not running" means no generation within
 * reach has any.
 */
#ifndef LC_STATUS_H
#define LC_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include "lc_mix.h"
#include "lc_shm.h"

struct lc_status_client {
	uint32_t kind;  /* LC_SLOT_WRITER (player) or LC_SLOT_READER (recorder) */
	uint32_t slot;
	/* The settings generation the client opened on: older than lc_status's when it
	 * opened before a settings change (it is still on this cable: same format). */
	uint32_t generation;
	uint32_t pid;
	char process[64];      /* executable's file name (UTF-8), "" if unknown */
	uint32_t buffer_bytes; /* size of the client's latest buffer, 0 before the first */
	/* Player: audio written ahead of the cable's "now" in ms (what a recorder waits
	 * for it at most).  Recorder: -1. */
	float ahead_ms;
	struct lc_shm_fmt fmt;
	float volume;
	uint32_t mute;
	struct lc_meter_counts counts;
	float peak[LC_MAX_CHANNELS]; /* in the cable's layout, decayed to now */
};

/* A cable's clients: those of the generation shown and of older ones still open; at
 * most this many are listed (four generations' worth of every slot). */
#define LC_STATUS_MAX_CLIENTS ((1 + LC_MIX_MAX_PEERS) * (LC_WRITER_SLOTS + LC_READER_SLOTS))

struct lc_status_cable {
	char name[LC_NAME_BYTES];
	uint32_t rate_hz, n_channels, ring_frames;
	float volume;
	uint32_t mute;
	uint32_t n_clients;
	struct lc_status_client clients[LC_STATUS_MAX_CLIENTS];
	float peak[LC_MAX_CHANNELS]; /* the loudest writer per channel */
};

struct lc_status {
	bool running; /* false: no section to show (no process has the driver loaded, or
		       * the published one is gone and no older one has clients) */
	uint32_t config_generation; /* which published settings the cables below show */
	uint32_t n_cables;
	/* Clients that opened before a settings change on a cable that is gone or has
	 * another format now: they go on, on their own, until they close. */
	uint32_t n_detached;
	uint32_t event_seq;
	struct lc_status_cable cables[LC_MAX_CABLES];
};

/* Reads everything.  @return 0 (running or not), or an lc_result if the section
 * exists but fails validation. */
int lc_status_read(struct lc_status *status);

/* Sets a cable's volume (0..LC_GAIN_MAX, linear) and mute, in every generation that
 * has the cable. */
int lc_status_set_cable_volume(uint32_t cable, float volume, bool mute);

/* "s16 48000 Hz 2 ch" */
void lc_status_format_name(const struct lc_shm_fmt *fmt, char *out, int size);

#endif /* LC_STATUS_H */
