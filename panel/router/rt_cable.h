/* SPDX-License-Identifier: MIT */
/*
 * rt_cable.h — a route's cable side: the cable opened through winmm like any program
 * opens it, as a recorder (listen routes: the whole mix) or as a player (feed routes:
 * mixed with the cable's other players).
 *
 * Being an ordinary winmm client is what makes the router a cable client like any
 * other: it gets the driver's formats, pacing and slot bookkeeping, and when the
 * router is killed its slots are reclaimed like any dead client's.  The format is
 * float32 at the cable's own rate and channel count, so the driver converts nothing.
 *
 * Buffers go round on their own thread, woken by the driver's CALLBACK_EVENT (winmm
 * forbids waveIn/waveOut calls inside a callback function; an event has no such rule).
 * A recorder hands what it records to the route; a player asks the route for audio.
 */
#ifndef RT_CABLE_H
#define RT_CABLE_H

#include <stdbool.h>
#include <stdint.h>

struct rt_cable;

/* What a route does with the cable's audio: a recorder hands each recorded buffer to
 * it (n frames, read only), a player has each buffer filled by it (exactly n frames).
 * Called on the cable's thread with no lock of ours held. */
typedef void (*rt_cable_move_fn)(void *ctx, float *frames, uint32_t n);

/*
 * Opens cable `cable` (1-based) through winmm.
 * @param recorder  true: record; false: play
 * @param move, ctx  where recorded audio goes / played audio comes from
 * @param chunk_frames, n_chunks  buffer size and count
 * @param why       on failure, static text for the route's state
 * @return 0, LC_E_INVALID (no such cable device), LC_E_STATE (winmm refused; *why).
 */
int
rt_cable_open(struct rt_cable **out, uint32_t cable, bool recorder, uint32_t rate_hz,
	      uint32_t channels, uint32_t chunk_frames, uint32_t n_chunks, rt_cable_move_fn move, void *ctx,
	      const char **why);

/* Stops the thread, resets and closes the device, frees everything.  NULL: no-op. */
void
rt_cable_close(struct rt_cable *c);

/* true once winmm has refused a buffer (the device went away): the route restarts. */
bool
rt_cable_failed(const struct rt_cable *c);

/* Frames moved so far (recorded or played); the router's watchdog watches it. */
uint64_t
rt_cable_frames(const struct rt_cable *c);

#endif /* RT_CABLE_H */
