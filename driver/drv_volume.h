/* SPDX-License-Identifier: MIT */
/*
 * drv_volume.h — WODM_GETVOLUME / WODM_SETVOLUME: a player's own gain (by handle) or a
 * cable's (by device id, dwUser 0).
 *
 * Volume words: low word left, high word right, 0xFFFF full.  We have one gain per
 * client (WAVECAPS_VOLUME without LRVOLUME), so the low word counts (waveOutSetVolume
 * docs); a client's word is kept to be read back unchanged.  A cable's volume is the
 * cable's in the current generation and every older one that still has it.
 */
#ifndef DRV_VOLUME_H
#define DRV_VOLUME_H

#include "drv_stream.h"

/* `stream`: the open stream asked about (a reference held), or NULL: by device. */
DWORD drv_volume_set(struct drv_stream *stream, UINT device, DWORD word);
DWORD drv_volume_get(struct drv_stream *stream, UINT device, DWORD *word);

#endif /* DRV_VOLUME_H */
