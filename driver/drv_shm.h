/* SPDX-License-Identifier: MIT */
/*
 * drv_shm.h — this process's attachments to the LoopCable sections (docs/architecture.md decision
 * 1), the clock, and publishing new settings.
 *
 * A small directory mapping names the current generation (lc_shm_layout.h,
 * struct lc_shm_directory); each generation is a section of its own.  The first process
 * to need a generation that no process holds creates it from the registry settings
 * (drv_config.h); later ones open and validate it (lc_shm_open).  Applying new settings
 * (drv_shm_apply_config) creates generation + 1 and publishes it: every process moves to
 * it the next time it asks for the current section, while a stream keeps the generation
 * it opened on until it closes.  That is what makes a change of cable count, rate or
 * channels live: nothing is restarted, nothing that plays is cut.  A cable whose rate
 * and channel count stayed the same is still one cable: readers mix the writers of
 * every generation that has it (drv_shm_peers; the older ones still in use are found
 * by name and kept mapped while they have clients).
 *
 * A section lives as long as some process maps it.  If the process that published a
 * generation exits before any other process followed, the next process to need that
 * generation makes it again from the registry as it is then (which the publisher had
 * just written, so it is the same unless the registry changed meanwhile).
 *
 * References: whoever keeps a struct lc_shm * beyond one call holds a reference
 * (drv_shm_acquire / drv_shm_release).  A generation that is no longer current is
 * unmapped when its last reference goes.
 */
#ifndef DRV_SHM_H
#define DRV_SHM_H

#include <stdbool.h>
#include <stdint.h>

#include "drv_config.h"
#include "lc_shm.h"

/* Attach to the current generation (idempotent, thread-safe).
 * @return 0 or an lc_result. */
int drv_shm_attach(void);

/* The current generation, with a reference; NULL if no section can be attached. */
struct lc_shm *drv_shm_acquire(void);

/* The generation this process is on, with a reference, without attaching or following
 * anything (no section is created or mapped): NULL if the process has not attached.
 * For questions that must have no side effects (WAVE_FORMAT_QUERY). */
struct lc_shm *drv_shm_acquire_attached(void);

/* Drops a reference from drv_shm_acquire/drv_shm_acquire_all (NULL is ignored). */
void drv_shm_release(struct lc_shm *shm);

/* Whether shm is still the published generation.  A slot claimed (or a window
 * registered) in a generation that stopped being current while it was claimed must
 * move to the new one: scanners may already have judged the old one empty. */
bool drv_shm_is_current(const struct lc_shm *shm);

/* DRV_FREE, after the pump stopped: unmaps what nothing holds any more and the
 * directory, so unloading the DLL leaks no section. */
void drv_shm_detach(void);

/* Every generation this process has attached (the current one first), each with a
 * reference, at most cap.  @return how many. */
int drv_shm_acquire_all(struct lc_shm **out, int cap);

/* The other attached generations in which `cable` is the same cable as in `own`
 * (lc_mix_peer_compatible), each with a reference, at most cap: the peers a reader
 * mixes (lc_mix_read_peers).  @return how many. */
int drv_shm_peers(const struct lc_shm *own, uint32_t cable, struct lc_shm **out, int cap);

/*
 * Reads the registry settings and publishes them as a new generation, which becomes
 * current for every process; the previous one is marked retired and its registered
 * panel windows get LC_EVENT_CONFIG_CHANGED.  Settings that change no section (the
 * same cables; logging) make no generation: processes re-read them, panels are told.
 * @return the generation now current, or 0 (the section could not be created;
 *         nothing changed).
 */
uint32_t drv_shm_apply_config(void);

/* QueryPerformanceCounter now. */
uint64_t drv_shm_now_ticks(void);

/* The cable's timeline frame at ticks, on that section's clock. */
uint64_t drv_shm_frame_at(const struct lc_shm *shm, uint32_t cable, uint64_t ticks);

/* This process as a slot owner (pid + creation time). */
uint32_t drv_shm_pid(void);
uint64_t drv_shm_start_time(void);

#endif /* DRV_SHM_H */
