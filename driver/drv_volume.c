/* SPDX-License-Identifier: MIT */
/* drv_volume.c — a player's and a cable's volume (drv_volume.h). */
#include <windows.h>
#include <mmsystem.h>

#include "drv_panel.h"
#include "drv_result.h"
#include "drv_shm.h"
#include "drv_volume.h"
#include "lc_event.h"
#include "lc_mix.h"

DWORD drv_volume_set(struct drv_stream *s, UINT device, DWORD word)
{
	float gain = (float)LOWORD(word) / 65535.0f;
	if (s) {
		if (!drv_stream_lock(s))
			return MMSYSERR_INVALHANDLE;
		s->volume_word = word;
		drv_stream_unlock(s);
		int result = lc_shm_set_volume(s->shm, LC_SLOT_WRITER, s->cable, s->slot.index,
					       gain, 0);
		if (result == 0)
			drv_panel_post(s->shm, lc_event_pack(LC_EVENT_VOLUME_CHANGED, s->cable,
							     s->slot.index, LC_EVENT_KIND_WRITER));
		return drv_result_to_mm(result);
	}
	/* By device: the cable of the current generation (the one new opens get). */
	struct lc_shm *shm = drv_shm_acquire();
	if (!shm)
		return MMSYSERR_NODRIVER;
	if (device >= shm->n_cables) {
		drv_shm_release(shm);
		return MMSYSERR_BADDEVICEID;
	}
	int result = lc_shm_cable_set_volume(shm, device, gain, 0);
	if (result == 0)
		drv_panel_post(shm, lc_event_pack(LC_EVENT_VOLUME_CHANGED, device, LC_EVENT_NO_INDEX,
						  LC_EVENT_KIND_NONE));
	/* The same cable in older generations (readers opened before a settings change)
	 * follows too. */
	struct lc_shm *peers[LC_MIX_MAX_PEERS];
	int n_peers = drv_shm_peers(shm, device, peers, LC_MIX_MAX_PEERS);
	for (int i = 0; i < n_peers; i++) {
		if (result == 0)
			lc_shm_cable_set_volume(peers[i], device, gain, 0);
		drv_shm_release(peers[i]);
	}
	drv_shm_release(shm);
	return drv_result_to_mm(result);
}

DWORD drv_volume_get(struct drv_stream *s, UINT device, DWORD *word)
{
	if (!word)
		return MMSYSERR_INVALPARAM;
	if (s) {
		if (!drv_stream_lock(s))
			return MMSYSERR_INVALHANDLE;
		*word = s->volume_word;
		drv_stream_unlock(s);
		return MMSYSERR_NOERROR;
	}
	struct lc_shm *shm = drv_shm_acquire();
	if (!shm)
		return MMSYSERR_NODRIVER;
	DWORD answer = MMSYSERR_BADDEVICEID;
	if (device < shm->n_cables) {
		struct lc_shm_cable *cable = lc_shm_cable_at(shm, device);
		float gain = lc_shm_gain(shm, &cable->ctl.volume, &cable->ctl.mute);
		DWORD level = gain >= 1.0f ? 0xFFFF : (DWORD)(gain * 65535.0f + 0.5f);
		*word = level | (level << 16);
		answer = MMSYSERR_NOERROR;
	}
	drv_shm_release(shm);
	return answer;
}
