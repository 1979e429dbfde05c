/* SPDX-License-Identifier: MIT */
/*
 * rt_cable.c — a route's cable side through winmm (rt_cable.h).
 */
#include <windows.h>
#include <mmsystem.h>
#include <mmreg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "drv_caps.h"
#include "lc_result.h"
#include "rt_cable.h"

/* KSDATAFORMAT_SUBTYPE_IEEE_FLOAT, spelled out to need no ksmedia GUID library. */
static const GUID subtype_float = {0x00000003, 0x0000, 0x0010,
				   {0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71}};

#define MAX_CHUNKS 16

struct rt_cable {
	bool recorder;
	HWAVEIN in;
	HWAVEOUT out;
	HANDLE done;   /* the driver's CALLBACK_EVENT */
	HANDLE thread;
	atomic_bool stop;
	atomic_bool failed;
	_Atomic uint64_t frames;
	uint32_t frame_bytes, n_chunks;
	rt_cable_move_fn move;
	void *ctx;
	WAVEHDR headers[MAX_CHUNKS];
	float *memory;
};

/* The winmm device id of cable `cable` in the direction, asked of every device. */
static bool find_device(uint32_t cable, bool recorder, UINT *id)
{
	UINT n = recorder ? waveInGetNumDevs() : waveOutGetNumDevs();
	for (UINT i = 0; i < n; i++) {
		DWORD answer = recorder
			? waveInMessage((HWAVEIN)(UINT_PTR)i, LC_WAVE_QUERY_CABLE, 0, 0)
			: waveOutMessage((HWAVEOUT)(UINT_PTR)i, LC_WAVE_QUERY_CABLE, 0, 0);
		if (LC_WAVE_CABLE_OF(answer) == cable) {
			*id = i;
			return true;
		}
	}
	return false;
}

static void make_format(WAVEFORMATEXTENSIBLE *fmt, uint32_t rate_hz, uint32_t channels)
{
	memset(fmt, 0, sizeof(*fmt));
	fmt->Format.wFormatTag = WAVE_FORMAT_EXTENSIBLE;
	fmt->Format.nChannels = (WORD)channels;
	fmt->Format.nSamplesPerSec = rate_hz;
	fmt->Format.wBitsPerSample = 32;
	fmt->Format.nBlockAlign = (WORD)(4 * channels);
	fmt->Format.nAvgBytesPerSec = rate_hz * 4 * channels;
	fmt->Format.cbSize = sizeof(*fmt) - sizeof(WAVEFORMATEX);
	fmt->Samples.wValidBitsPerSample = 32;
	fmt->dwChannelMask = 0; /* the default layout for the count, as the cable has */
	fmt->SubFormat = subtype_float;
}

/* A recorder's buffer came back full: its frames go to the route, the buffer back
 * to the driver.  A player's buffer was played: the route refills it. */
static bool cycle(struct rt_cable *c, WAVEHDR *h)
{
	MMRESULT r;
	if (c->recorder) {
		/* dwBytesRecorded is the driver's, never beyond the buffer (drv_wid.c); clamp
		 * anyway: a count we did not check is not used. */
		uint32_t bytes = h->dwBytesRecorded <= h->dwBufferLength ? h->dwBytesRecorded : 0;
		uint32_t n = bytes / c->frame_bytes;
		c->move(c->ctx, (float *)h->lpData, n);
		atomic_fetch_add(&c->frames, n);
		h->dwBytesRecorded = 0;
		r = waveInAddBuffer(c->in, h, sizeof(*h));
	} else {
		uint32_t n = h->dwBufferLength / c->frame_bytes;
		c->move(c->ctx, (float *)h->lpData, n);
		atomic_fetch_add(&c->frames, n);
		r = waveOutWrite(c->out, h, sizeof(*h));
	}
	return r == MMSYSERR_NOERROR;
}

static DWORD WINAPI run(void *arg)
{
	struct rt_cable *c = arg;
	uint32_t next = 0; /* buffers come back in the order they went (winmm's rule) */
	while (!atomic_load(&c->stop)) {
		WaitForSingleObject(c->done, 100);
		while (!atomic_load(&c->stop) &&
		       (*(volatile DWORD *)&c->headers[next].dwFlags & WHDR_DONE)) {
			if (!cycle(c, &c->headers[next])) {
				atomic_store(&c->failed, true);
				return 0;
			}
			next = (next + 1) % c->n_chunks;
		}
	}
	return 0;
}

static void release(struct rt_cable *c)
{
	if (c->in) {
		waveInReset(c->in);
		for (uint32_t i = 0; i < c->n_chunks; i++)
			waveInUnprepareHeader(c->in, &c->headers[i], sizeof(WAVEHDR));
		waveInClose(c->in);
	}
	if (c->out) {
		waveOutReset(c->out);
		for (uint32_t i = 0; i < c->n_chunks; i++)
			waveOutUnprepareHeader(c->out, &c->headers[i], sizeof(WAVEHDR));
		waveOutClose(c->out);
	}
	if (c->done)
		CloseHandle(c->done);
	free(c->memory);
	free(c);
}

int rt_cable_open(struct rt_cable **out, uint32_t cable, bool recorder, uint32_t rate_hz,
		  uint32_t channels, uint32_t chunk_frames, uint32_t n_chunks,
		  rt_cable_move_fn move, void *ctx, const char **why)
{
	WAVEFORMATEXTENSIBLE fmt;
	UINT id;
	MMRESULT r;
	struct rt_cable *c;

	*out = NULL;
	if (n_chunks < 2 || n_chunks > MAX_CHUNKS || chunk_frames == 0 || channels == 0) {
		*why = "bad buffer plan";
		return LC_E_INVALID;
	}
	if (!find_device(cable, recorder, &id)) {
		*why = "the cable has no device (fewer cables configured?)";
		return LC_E_INVALID;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		*why = "out of memory";
		return LC_E_NO_MEMORY;
	}
	c->recorder = recorder;
	c->move = move;
	c->ctx = ctx;
	c->n_chunks = n_chunks;
	c->frame_bytes = 4 * channels;
	c->memory = calloc((size_t)n_chunks * chunk_frames, c->frame_bytes);
	c->done = CreateEventW(NULL, FALSE, FALSE, NULL);
	if (!c->memory || !c->done) {
		release(c);
		*why = "out of memory";
		return LC_E_NO_MEMORY;
	}
	make_format(&fmt, rate_hz, channels);
	r = recorder ? waveInOpen(&c->in, id, &fmt.Format, (DWORD_PTR)c->done, 0, CALLBACK_EVENT)
		     : waveOutOpen(&c->out, id, &fmt.Format, (DWORD_PTR)c->done, 0, CALLBACK_EVENT);
	if (r != MMSYSERR_NOERROR) {
		c->in = NULL;
		c->out = NULL;
		release(c);
		*why = "the cable refused to open (all its slots taken?)";
		return LC_E_STATE;
	}
	for (uint32_t i = 0; i < n_chunks; i++) {
		WAVEHDR *h = &c->headers[i];
		h->lpData = (char *)(c->memory + (size_t)i * chunk_frames * channels);
		h->dwBufferLength = chunk_frames * c->frame_bytes;
		r = recorder ? waveInPrepareHeader(c->in, h, sizeof(*h))
			     : waveOutPrepareHeader(c->out, h, sizeof(*h));
		if (r == MMSYSERR_NOERROR)
			r = recorder ? waveInAddBuffer(c->in, h, sizeof(*h))
				     : waveOutWrite(c->out, h, sizeof(*h)); /* silence first */
		if (r != MMSYSERR_NOERROR) {
			release(c);
			*why = "the cable refused a buffer";
			return LC_E_STATE;
		}
	}
	if (recorder && waveInStart(c->in) != MMSYSERR_NOERROR) {
		release(c);
		*why = "the cable refused to start";
		return LC_E_STATE;
	}
	c->thread = CreateThread(NULL, 0, run, c, 0, NULL);
	if (!c->thread) {
		release(c);
		*why = "no thread";
		return LC_E_NO_MEMORY;
	}
	/* Moves audio; a late wake-up is a gap in the cable. */
	SetThreadPriority(c->thread, THREAD_PRIORITY_TIME_CRITICAL);
	*out = c;
	return 0;
}

void rt_cable_close(struct rt_cable *c)
{
	if (!c)
		return;
	atomic_store(&c->stop, true);
	SetEvent(c->done);
	WaitForSingleObject(c->thread, INFINITE);
	CloseHandle(c->thread);
	release(c);
}

bool rt_cable_failed(const struct rt_cable *c)
{
	return atomic_load(&((struct rt_cable *)c)->failed);
}

uint64_t rt_cable_frames(const struct rt_cable *c)
{
	return atomic_load(&((struct rt_cable *)c)->frames);
}
