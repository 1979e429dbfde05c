/* SPDX-License-Identifier: MIT */
/*
 * rt_route.c — one running route (rt_route.h).
 */
#include <windows.h>
#include <portaudio.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_bridge.h"
#include "lc_chmap.h"
#include "lc_devices.h"
#include "lc_result.h"
#include "rt_cable.h"
#include "lc_rtp_url.h"
#include "rt_log.h"
#include "rt_net.h"
#include "rt_route.h"

/* The cable side moves buffers of at most 5 ms (fewer for short latency targets): the
 * bridge's fill swings by one buffer, which must stay well inside the target.  A player
 * keeps PLAYER_CHUNKS queued: that much may its thread be late before the cable plays a
 * gap (the driver counts an underflow) — three were not enough under Wine on a loaded
 * machine (docs/forwarding.md); it is also latency the feed route adds.  A recorder's
 * extra buffers add no latency: each comes back as soon as it is full. */
#define CHUNK_MS_MAX 5u
#define RECORDER_CHUNKS 8u
#define PLAYER_CHUNKS 5u
/* A side that has not moved for this long has stopped (a device unplugged, a cable
 * whose driver stopped answering). */
#define STALL_MS 1500u
/* The PortAudio callback works through its buffer in pieces of this many frames. */
#define SCRATCH_FRAMES 4096u

struct rt_route {
	struct lc_route cfg;
	uint32_t state;
	char text[LC_ROUTER_TEXT_BYTES];
	uint64_t restarts;
	/* A network route (host API "RTP"): the endpoint, parsed at each start. */
	bool network;
	struct lc_rtp_endpoint ep;

	/* While running. */
	bool running;
	uint32_t cable_rate, cable_channels;
	struct lc_device device;
	uint32_t device_rate, device_channels;
	PaStream *stream;
	struct lc_bridge *bridge;
	struct rt_cable *cable;
	struct rt_net *net;  /* a network route's socket side, instead of the stream */
	struct lc_chmap map; /* device side <-> cable channels */
	float *scratch;      /* SCRATCH_FRAMES of cable channels, the callback's only */
	_Atomic uint64_t device_frames;
	/* Set once the device runs at its rate (start_device): until then its callback
	 * neither pulls from nor pushes into the bridge. */
	atomic_bool warm;
	uint64_t seen_device_frames, seen_cable_frames;
	uint64_t device_moved_ms, cable_moved_ms;
	/* Counters of earlier runs, so that a restart does not reset what users see. */
	uint64_t underruns_before, overruns_before, frames_before;
	struct lc_route_status net_before; /* the network counters, likewise */
};

static void bridge_push(void *bridge, float *frames, uint32_t n)
{
	lc_bridge_push(bridge, frames, n);
}

static void bridge_pull(void *bridge, float *frames, uint32_t n)
{
	lc_bridge_pull(bridge, frames, n);
}

static int on_audio(const void *input, void *output, unsigned long frames,
		    const PaStreamCallbackTimeInfo *time, PaStreamCallbackFlags flags, void *arg)
{
	struct rt_route *r = arg;
	(void)time;
	(void)flags;
	atomic_fetch_add(&r->device_frames, frames);
	if (!atomic_load(&r->warm)) {
		if (output)
			memset(output, 0, frames * r->device_channels * sizeof(float));
		return paContinue;
	}
	for (unsigned long done = 0; done < frames;) {
		uint32_t n = frames - done < SCRATCH_FRAMES ? (uint32_t)(frames - done) : SCRATCH_FRAMES;
		if (r->cfg.dir == LC_ROUTE_TO_DEVICE) {
			float *out = (float *)output + done * r->device_channels;
			lc_bridge_pull(r->bridge, r->scratch, n);
			lc_chmap_process(&r->map, out, r->scratch, n);
		} else {
			const float *in = (const float *)input + done * r->device_channels;
			lc_chmap_process(&r->map, r->scratch, in, n);
			lc_bridge_push(r->bridge, r->scratch, n);
		}
		done += n;
	}
	return paContinue;
}

struct rt_route *rt_route_new(const struct lc_route *cfg)
{
	struct rt_route *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->cfg = *cfg;
	r->network = strcmp(cfg->host_api, LC_RTP_URL_HOST_API) == 0;
	r->state = cfg->enabled ? LC_ROUTE_STATE_WAITING : LC_ROUTE_STATE_DISABLED;
	snprintf(r->text, sizeof(r->text), "%s", cfg->enabled ? "not started yet" : "disabled");
	return r;
}

/* %LOCALAPPDATA%\LoopCable\route<id>.sdp: where a send route describes its stream. */
static bool sdp_path(const struct rt_route *r, wchar_t *path, size_t chars)
{
	wchar_t base[MAX_PATH];
	DWORD n = GetEnvironmentVariableW(L"LOCALAPPDATA", base, MAX_PATH);
	if (n == 0 || n >= MAX_PATH)
		return false;
	if (swprintf(path, chars, L"%ls\\LoopCable", base) < 0)
		return false;
	CreateDirectoryW(path, NULL);
	return swprintf(path, chars, L"%ls\\LoopCable\\route%u.sdp", base, r->cfg.id) >= 0;
}

void rt_route_free(struct rt_route *r)
{
	wchar_t path[MAX_PATH];
	if (!r)
		return;
	rt_route_stop(r, LC_ROUTE_STATE_DISABLED, "removed");
	/* The description of a stream that no route sends any more would mislead. */
	if (r->network && r->cfg.dir == LC_ROUTE_TO_DEVICE && sdp_path(r, path, MAX_PATH))
		DeleteFileW(path);
	free(r);
}

const struct lc_route *rt_route_config(const struct rt_route *r)
{
	return &r->cfg;
}

bool rt_route_running(const struct rt_route *r)
{
	return r->running;
}

static void set_state(struct rt_route *r, uint32_t state, const char *text)
{
	r->state = state;
	snprintf(r->text, sizeof(r->text), "%s", text);
}

static int open_device(struct rt_route *r)
{
	bool out = r->cfg.dir == LC_ROUTE_TO_DEVICE;
	const PaDeviceInfo *info = Pa_GetDeviceInfo(r->device.index);
	PaStreamParameters p = {0};
	uint32_t max = out ? r->device.max_outputs : r->device.max_inputs;
	PaError err;

	if (!info)
		return paInvalidDevice;
	r->device_rate = r->device.default_rate_hz ? r->device.default_rate_hz : r->cable_rate;
	r->device_channels = r->cable_channels <= max ? r->cable_channels : max;
	p.device = r->device.index;
	p.channelCount = (int)r->device_channels;
	p.sampleFormat = paFloat32;
	p.suggestedLatency = out ? info->defaultLowOutputLatency : info->defaultLowInputLatency;
	err = Pa_OpenStream(&r->stream, out ? NULL : &p, out ? &p : NULL, r->device_rate,
			    paFramesPerBufferUnspecified, paClipOff, on_audio, r);
	if (err != paNoError) {
		r->stream = NULL;
		return err;
	}
	if (out)
		lc_chmap_init(&r->map, r->cable_channels, 0, r->device_channels, 0);
	else
		lc_chmap_init(&r->map, r->device_channels, 0, r->cable_channels, 0);
	return paNoError;
}

/*
 * Starts the device and waits until it runs at its rate: a device may take seconds to
 * come up to speed (Wine's shared-mode devices consume at two thirds of their rate for
 * the first second or two, docs/forwarding.md), and what it does not take in that time
 * would otherwise be a fill-level step for the controller to work off.  WARM_WINDOW_MS
 * windows are watched until one moves at least 95 % of the rate (at most WARM_MAX_MS).
 */
#define WARM_WINDOW_MS 250u
#define WARM_MAX_MS 4000u

static int start_device(struct rt_route *r)
{
	PaError err = Pa_StartStream(r->stream);
	if (err != paNoError) {
		snprintf(r->text, sizeof(r->text), "the device refused to start: %s",
			 Pa_GetErrorText(err));
		return LC_E_STATE;
	}
	uint64_t want = (uint64_t)r->device_rate * WARM_WINDOW_MS / 1000 * 95 / 100;
	uint64_t before = atomic_load(&r->device_frames);
	for (uint32_t waited = 0; waited < WARM_MAX_MS; waited += WARM_WINDOW_MS) {
		Sleep(WARM_WINDOW_MS);
		uint64_t now = atomic_load(&r->device_frames);
		if (now - before >= want)
			return 0;
		before = now;
	}
	if (atomic_load(&r->device_frames) == 0) {
		snprintf(r->text, sizeof(r->text), "the device started but does not run");
		return LC_E_STATE;
	}
	return 0; /* slow but running: the controller takes it from here */
}

static int start_cable(struct rt_route *r, const char **why)
{
	bool listen = r->cfg.dir == LC_ROUTE_TO_DEVICE;
	uint32_t chunk_ms = r->cfg.latency_ms / 3;
	chunk_ms = chunk_ms < 1 ? 1 : chunk_ms > CHUNK_MS_MAX ? CHUNK_MS_MAX : chunk_ms;
	rt_cable_move_fn move = listen ? bridge_push : r->net ? rt_net_pull : bridge_pull;
	void *ctx = !listen && r->net ? (void *)r->net : (void *)r->bridge;
	return rt_cable_open(&r->cable, r->cfg.cable, listen, r->cable_rate, r->cable_channels,
			     r->cable_rate * chunk_ms / 1000,
			     listen ? RECORDER_CHUNKS : PLAYER_CHUNKS, move, ctx, why);
}

static int make_bridge(struct rt_route *r, uint32_t in_hz, uint32_t out_hz)
{
	struct lc_bridge_config bc = {0};
	bc.channels = r->cable_channels;
	bc.in_hz = in_hz;
	bc.out_hz = out_hz;
	bc.target_frames = (uint32_t)((uint64_t)r->cfg.latency_ms * bc.in_hz / 1000);
	/* Room for the target twice over plus half a second: a side that stalls and then
	 * delivers its backlog at once is trimmed by the bridge, not dropped at the door
	 * (an overrun loses the newest audio and keeps the stale). */
	bc.capacity_frames = 2 * bc.target_frames + bc.in_hz / 2 + SCRATCH_FRAMES;
	bc.quality = LC_BRIDGE_QUALITY_DEFAULT;
	return lc_bridge_create(&r->bridge, &bc);
}

/*
 * A network route: send = cable recorder -> bridge -> packet clock (rt_net); receive =
 * rt_net's jitter buffer -> cable player.  The network side first, so that a refused
 * address or port is the state users see, then the cable.
 */
static int start_network(struct rt_route *r)
{
	bool send = r->cfg.dir == LC_ROUTE_TO_DEVICE;
	const char *why = NULL;
	char text[LC_ROUTER_TEXT_BYTES];
	wchar_t path[MAX_PATH];
	char name[64];
	int rc;

	if (lc_rtp_url_parse(r->cfg.device, &r->ep, &why) != 0) {
		set_state(r, LC_ROUTE_STATE_ERROR, why);
		return LC_E_INVALID;
	}
	r->device_rate = r->ep.fmt.rate_hz;
	r->device_channels = r->ep.fmt.channels;
	if (send) {
		if (make_bridge(r, r->cable_rate, r->device_rate) != 0) {
			rt_route_stop(r, LC_ROUTE_STATE_ERROR, "could not make the route's buffer");
			return LC_E_NO_MEMORY;
		}
		snprintf(name, sizeof(name), "LoopCable %u", r->cfg.cable);
		rc = rt_net_open_sender(&r->net, &r->ep, r->cable_channels, r->bridge,
					sdp_path(r, path, MAX_PATH) ? path : NULL, name, text, sizeof(text));
	} else {
		rc = rt_net_open_receiver(&r->net, &r->ep, r->cable_rate, r->cable_channels,
					  r->cfg.latency_ms, text, sizeof(text));
	}
	if (rc != 0) {
		rt_route_stop(r, LC_ROUTE_STATE_WAITING, text);
		return rc;
	}
	rc = start_cable(r, &why);
	if (rc != 0) {
		rt_route_stop(r, LC_ROUTE_STATE_WAITING, why ? why : "the cable refused to open");
		return rc;
	}
	r->running = true;
	r->device_moved_ms = r->cable_moved_ms = GetTickCount64();
	set_state(r, LC_ROUTE_STATE_STARTING, send ? "starting" : "waiting for the stream");
	RT_LOG("route %u started: cable %u (%u Hz, %u ch) %s %s (%u Hz, %u ch), target %u ms",
	       r->cfg.id, r->cfg.cable, r->cable_rate, r->cable_channels, send ? "->" : "<-",
	       r->cfg.device, r->device_rate, r->device_channels, r->cfg.latency_ms);
	return 0;
}

int rt_route_start(struct rt_route *r, uint32_t cable_rate_hz, uint32_t cable_channels)
{
	bool listen = r->cfg.dir == LC_ROUTE_TO_DEVICE;
	const char *why = NULL;
	char text[LC_ROUTER_TEXT_BYTES];
	PaError err;

	if (r->running || !r->cfg.enabled)
		return 0;
	r->cable_rate = cable_rate_hz;
	r->cable_channels = cable_channels;
	if (r->network)
		return start_network(r);
	if (lc_devices_find(r->cfg.host_api, r->cfg.device, r->cfg.dir, &r->device) != 0) {
		set_state(r, LC_ROUTE_STATE_WAITING, "waiting for its device to appear");
		return LC_E_INVALID;
	}
	r->scratch = malloc((size_t)SCRATCH_FRAMES * cable_channels * sizeof(float));
	if (!r->scratch) {
		set_state(r, LC_ROUTE_STATE_ERROR, "out of memory");
		return LC_E_NO_MEMORY;
	}
	err = open_device(r);
	if (err != paNoError) {
		snprintf(text, sizeof(text), "the device refused to open: %s", Pa_GetErrorText(err));
		rt_route_stop(r, LC_ROUTE_STATE_WAITING, text);
		return LC_E_STATE;
	}
	if (make_bridge(r, listen ? cable_rate_hz : r->device_rate,
			listen ? r->device_rate : cable_rate_hz) != 0) {
		rt_route_stop(r, LC_ROUTE_STATE_ERROR, "could not make the route's buffer");
		return LC_E_NO_MEMORY;
	}
	/* The device first, up to speed, then the cable; the device's audio joins the
	 * bridge last, so that neither side's start-up counts as fill. */
	int rc = start_device(r);
	if (rc == 0)
		rc = start_cable(r, &why);
	if (rc == 0)
		atomic_store(&r->warm, true);
	if (rc != 0) {
		snprintf(text, sizeof(text), "%s", why ? why : r->text);
		rt_route_stop(r, LC_ROUTE_STATE_WAITING, text);
		return rc;
	}
	r->running = true;
	r->device_moved_ms = r->cable_moved_ms = GetTickCount64();
	set_state(r, LC_ROUTE_STATE_STARTING, "starting");
	/* The device's own latency as its host API reports it: with the FIFO's target and
	 * the cable's chunk, what the route adds (docs/forwarding.md, "Measured"). */
	const PaStreamInfo *info = Pa_GetStreamInfo(r->stream);
	double device_ms = info ? 1000.0 * (listen ? info->outputLatency : info->inputLatency) : 0;
	RT_LOG("route %u started: cable %u (%u Hz, %u ch) %s %s:%s (%u Hz, %u ch, latency %.1f ms), "
	       "target %u ms",
	       r->cfg.id, r->cfg.cable, cable_rate_hz, cable_channels, listen ? "->" : "<-",
	       r->device.host_api, r->device.name, r->device_rate, r->device_channels, device_ms,
	       r->cfg.latency_ms);
	return 0;
}

void rt_route_stop(struct rt_route *r, uint32_t state, const char *text)
{
	if (r->stream) {
		Pa_AbortStream(r->stream);
		Pa_CloseStream(r->stream);
		r->stream = NULL;
	}
	/* The cable before the network side: a receive route's cable thread pulls from
	 * the jitter buffer rt_net owns.  The bridge, which both sides use, last. */
	rt_cable_close(r->cable);
	r->cable = NULL;
	if (r->net) {
		struct lc_route_status st = {0};
		rt_net_status(r->net, &st);
		r->net_before.packets += st.packets;
		r->net_before.packets_lost += st.packets_lost;
		r->net_before.packets_late += st.packets_late;
		r->net_before.packets_dropped += st.packets_dropped;
		r->net_before.frames_concealed += st.frames_concealed;
		r->underruns_before += st.underruns;
		r->frames_before += st.frames;
		rt_net_close(r->net);
		r->net = NULL;
	}
	if (r->bridge) {
		struct lc_bridge_stats st;
		lc_bridge_stats(r->bridge, &st);
		r->underruns_before += st.underruns;
		r->overruns_before += st.overruns;
		r->frames_before += st.frames_out;
		lc_bridge_destroy(r->bridge);
		r->bridge = NULL;
	}
	free(r->scratch);
	r->scratch = NULL;
	if (r->running)
		RT_LOG("route %u stopped: %s", r->cfg.id, text);
	r->running = false;
	atomic_store(&r->warm, false);
	atomic_store(&r->device_frames, 0);
	r->seen_device_frames = r->seen_cable_frames = 0;
	set_state(r, state, text);
}

bool rt_route_check(struct rt_route *r, uint64_t now_ms)
{
	const char *trouble = NULL;
	if (!r->running)
		return true;
	uint64_t device = r->net ? rt_net_progress(r->net) : atomic_load(&r->device_frames);
	uint64_t cable = rt_cable_frames(r->cable);
	if (device != r->seen_device_frames) {
		r->seen_device_frames = device;
		r->device_moved_ms = now_ms;
	}
	if (cable != r->seen_cable_frames) {
		r->seen_cable_frames = cable;
		r->cable_moved_ms = now_ms;
	}
	if (now_ms - r->device_moved_ms > STALL_MS)
		trouble = r->net ? "the network side stopped" : "the device stopped (unplugged?)";
	else if (now_ms - r->cable_moved_ms > STALL_MS)
		trouble = "the cable stopped";
	if (!trouble && rt_cable_failed(r->cable))
		trouble = "the cable refused a buffer";
	else if (!trouble && r->net && rt_net_failed(r->net))
		trouble = "the socket failed";
	else if (!trouble && r->stream && Pa_IsStreamActive(r->stream) != 1)
		trouble = "the device stopped (unplugged?)";
	if (trouble) {
		r->restarts++;
		rt_route_stop(r, LC_ROUTE_STATE_WAITING, trouble);
		return false;
	}
	bool flowing, primed_before = r->state == LC_ROUTE_STATE_RUNNING;
	if (r->bridge) {
		struct lc_bridge_stats st;
		lc_bridge_stats(r->bridge, &st);
		flowing = st.state == LC_BRIDGE_RUNNING;
	} else {
		flowing = rt_net_playing(r->net);
	}
	if (flowing && !primed_before)
		set_state(r, LC_ROUTE_STATE_RUNNING, "running");
	else if (!flowing && primed_before)
		set_state(r, LC_ROUTE_STATE_STARTING,
			  r->bridge ? "refilling after a gap" : "waiting for the stream");
	return true;
}

void rt_route_cable_format(const struct rt_route *r, uint32_t *rate_hz, uint32_t *channels)
{
	*rate_hz = r->running ? r->cable_rate : 0;
	*channels = r->running ? r->cable_channels : 0;
}

static int32_t clamp32(double v)
{
	return v > 2e9 ? 2000000000 : v < -2e9 ? -2000000000 : (int32_t)v;
}

void rt_route_status(const struct rt_route *r, struct lc_route_status *st)
{
	memset(st, 0, sizeof(*st));
	st->id = r->cfg.id;
	st->cable = r->cfg.cable;
	st->dir = r->cfg.dir;
	st->state = r->state;
	st->latency_ms = r->cfg.latency_ms;
	st->restarts = r->restarts;
	st->underruns = r->underruns_before;
	st->overruns = r->overruns_before;
	st->frames = r->frames_before;
	snprintf(st->text, sizeof(st->text), "%s", r->text);
	st->packets = r->net_before.packets;
	st->packets_lost = r->net_before.packets_lost;
	st->packets_late = r->net_before.packets_late;
	st->packets_dropped = r->net_before.packets_dropped;
	st->frames_concealed = r->net_before.frames_concealed;
	if (r->network) {
		snprintf(st->host_api, sizeof(st->host_api), "%s", LC_RTP_URL_HOST_API);
		snprintf(st->device, sizeof(st->device), "%s", r->cfg.device);
	}
	if (!r->running)
		return;
	st->device_rate_hz = r->device_rate;
	st->device_channels = r->device_channels;
	st->cable_rate_hz = r->cable_rate;
	st->cable_channels = r->cable_channels;
	if (r->net) {
		struct lc_route_status now = {0};
		rt_net_status(r->net, &now);
		st->packets += now.packets;
		st->packets_lost += now.packets_lost;
		st->packets_late += now.packets_late;
		st->packets_dropped += now.packets_dropped;
		st->frames_concealed += now.frames_concealed;
		st->jitter_us = now.jitter_us;
		st->ssrc = now.ssrc;
		if (!r->bridge) { /* receive: the jitter buffer is the route's FIFO */
			st->fill_us = now.fill_us;
			st->target_us = now.target_us;
			st->ratio_ppb = now.ratio_ppb;
			st->underruns += now.underruns;
			st->frames += now.frames;
			return;
		}
	}
	struct lc_bridge_stats bs;
	lc_bridge_stats(r->bridge, &bs);
	uint32_t in_hz = r->cfg.dir == LC_ROUTE_TO_DEVICE ? r->cable_rate : r->device_rate;
	st->fill_us = clamp32(bs.fill_frames * 1e6 / in_hz);
	st->target_us = clamp32(bs.target_frames * 1e6 / in_hz);
	st->ratio_ppb = clamp32(bs.ratio_ppm * 1000.0);
	st->underruns += bs.underruns;
	st->overruns += bs.overruns;
	st->frames += bs.frames_out;
	if (!r->network) {
		snprintf(st->host_api, sizeof(st->host_api), "%s", r->device.host_api);
		snprintf(st->device, sizeof(st->device), "%s", r->device.name);
	}
}
