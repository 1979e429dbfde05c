/* SPDX-License-Identifier: MIT */
/*
 * drv_security.h — who may open LoopCable's named sections (the directory and every
 * generation, drv_shm.h), and making them with that descriptor.
 *
 * Every process of the logon session that can open a sound device must reach the
 * cables, so the DACL grants Everyone the rights a client needs and nothing more:
 * map for reading and writing, query, read the descriptor.  Nobody is granted
 * WRITE_DAC, WRITE_OWNER or DELETE; an OWNER RIGHTS entry with the same rights takes
 * away the rights the owner would otherwise have implicitly (READ_CONTROL and
 * WRITE_DAC), so not even the creating user's other processes can rewrite the DACL
 * to lock later clients out.
 *
 * Integrity: sections are labelled Medium, no-write-up and no-read-up, so a
 * low-integrity (sandboxed) process can neither open them nor listen to the cables.
 * AllowLowIntegrity (drv_regkeys.h) labels them Low instead: low-integrity processes
 * then use cables like any other, and can also do what any client can (write any
 * byte of the section: the core's trust model, lc_shm.h).  The label is part of a
 * section from its creation: a change reaches the next generation created, and the
 * directory once every LoopCable client of the session has exited.
 *
 * AppContainer processes (UWP apps, and sandboxes built on AppContainers) are not
 * reached either way: their "Local\" names resolve in a namespace of their own, and
 * winmm's waveOut/waveIn API is for desktop programs.
 *
 * Not here: the section names (drv_regkeys.h), mapping and following generations
 * (drv_shm_win32.c).
 */
#ifndef DRV_SECURITY_H
#define DRV_SECURITY_H

#include <windows.h>
#include <stdbool.h>
#include <stdint.h>

/* The descriptor as SDDL (static storage).  The rights granted, 0x20007, are
 * SECTION_QUERY | SECTION_MAP_WRITE | SECTION_MAP_READ | READ_CONTROL. */
const wchar_t *drv_security_sddl(bool allow_low_integrity);

/*
 * Opens the section `name`, or creates it (`bytes` long, with the descriptor for the
 * AllowLowIntegrity setting in the registry) when no process holds it.  *created tells
 * which; a section that exists keeps the size and descriptor its creator gave it.
 * @return the handle (FILE_MAP_READ | FILE_MAP_WRITE at least), or NULL (logged).
 */
HANDLE drv_security_create_section(const wchar_t *name, uint64_t bytes, bool *created);

#endif /* DRV_SECURITY_H */
