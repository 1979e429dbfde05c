/* SPDX-License-Identifier: MIT */
/*
 * lc_bench.exe — the driver's figures, measured through the plain winmm API.
 *
 *   lc_bench.exe latency [--rate HZ] [--clicks N]
 *       One process records "LoopCable 1" and plays clicks into it.  For each click:
 *       added latency = (when the recording's timeline holds the click) - (when the
 *       buffer holding it was written).  The recorder's start time pins its timeline,
 *       so neither client's buffering enters the figure: it is the cable's own delay.
 *       Prints min / median / max in milliseconds; the player runs at --rate (48000:
 *       no resampling; 44100: through the resampler).
 *
 *   lc_bench.exe load [--players N] [--recorders N] [--seconds S] [--buffer-ms MS]
 *                     [--callback none|event]
 *       N players and N recorders (48 kHz stereo s16, 4 buffers each) on LoopCable 1,
 *       in this one process, for S seconds.  Prints the process's CPU time (user +
 *       kernel, GetProcessTimes) as a ratio of the wall time — i.e. percent of one core
 *       — and how many buffers came back compared with real time.  The clients only
 *       hand the same buffers back; with --callback none (the default) they poll every
 *       2 ms, so nearly all the CPU is the driver's; with event, each buffer also
 *       costs the client a wake-up (an event set and waited for).
 */
#include "cable_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int latency(uint32_t rate, int n_clicks)
{
	struct client_options opt = { .sample = S_S16, .rate_hz = 48000, .channels = 2 };
	WAVEFORMATEXTENSIBLE rec_fmt, play_fmt;
	client_build_format(&opt, &rec_fmt);
	opt.rate_hz = rate;
	client_build_format(&opt, &play_fmt);
	UINT out_id = client_device_id("LoopCable 1", true), in_id = client_device_id("LoopCable 1", false);
	HANDLE event = CreateEventA(NULL, FALSE, FALSE, NULL);
	HWAVEIN in;
	HWAVEOUT out;
	if (!client_check("waveInOpen", waveInOpen(&in, in_id, &rec_fmt.Format, (DWORD_PTR)event, 0,
						   CALLBACK_EVENT), MMSYSERR_NOERROR)
	    || !client_check("waveOutOpen", waveOutOpen(&out, out_id, &play_fmt.Format, (DWORD_PTR)event,
						      0, CALLBACK_EVENT), MMSYSERR_NOERROR))
		return 1;

	/* Record into one long buffer set: 10 ms buffers, re-queued. */
	const uint32_t rec_block = 4, rec_frames = 480, n_rec = 8;
	uint32_t total_frames = 48000 * (n_clicks / 10 + 2);
	int16_t *recording = calloc(total_frames, rec_block);
	WAVEHDR rec[8];
	for (uint32_t i = 0; i < n_rec; i++) {
		rec[i] = (WAVEHDR){ .lpData = malloc(rec_frames * rec_block),
				    .dwBufferLength = rec_frames * rec_block };
		waveInPrepareHeader(in, &rec[i], sizeof(WAVEHDR));
		waveInAddBuffer(in, &rec[i], sizeof(WAVEHDR));
	}
	/* A click: one full-scale frame at the start of a 5 ms buffer. */
	uint32_t click_frames = rate / 200;
	WAVEHDR click = { .lpData = calloc(click_frames, 4), .dwBufferLength = click_frames * 4 };
	((int16_t *)click.lpData)[0] = ((int16_t *)click.lpData)[1] = 30000;
	waveOutPrepareHeader(out, &click, sizeof(WAVEHDR));

	double *written_us = calloc(n_clicks, sizeof(double));
	uint64_t rec_start = client_now_us();
	waveInStart(in);
	uint32_t have = 0, next_rec = 0;
	int clicks = 0;
	uint64_t next_click = rec_start + 200000;
	while (have < total_frames) {
		if (clicks < n_clicks && client_now_us() >= next_click && (click.dwFlags & WHDR_DONE || clicks == 0)) {
			/* Random phase against the recorder's buffers and the pump. */
			next_click = client_now_us() + 90000 + rand() % 20000;
			written_us[clicks++] = (double)client_now_us();
			waveOutWrite(out, &click, sizeof(WAVEHDR));
		}
		WaitForSingleObject(event, 1);
		while (rec[next_rec].dwFlags & WHDR_DONE) {
			WAVEHDR *h = &rec[next_rec];
			uint32_t n = h->dwBytesRecorded / rec_block;
			if (n > total_frames - have)
				n = total_frames - have;
			memcpy(recording + have * 2, h->lpData, n * rec_block);
			have += n;
			h->dwFlags &= ~WHDR_DONE;
			waveInAddBuffer(in, h, sizeof(WAVEHDR));
			next_rec = (next_rec + 1) % n_rec;
		}
	}
	waveInReset(in);
	while (!(click.dwFlags & WHDR_DONE))
		Sleep(1);

	/* Onsets in the recording, in order (resampling spreads a click: take the first
	 * sample above half its height). */
	double *lat_ms = calloc(n_clicks, sizeof(double));
	int found = 0;
	for (uint32_t f = 0; f < have && found < clicks; f++) {
		if (abs(recording[f * 2]) > 8000) {
			double heard_us = rec_start + 1e6 * f / 48000.0;
			lat_ms[found] = (heard_us - written_us[found]) / 1000.0;
			found++;
			f += 48000 / 50; /* past this click's ringing */
		}
	}
	if (found != clicks) {
		printf("FAIL found %d of %d clicks\n", found, clicks);
		return 1;
	}
	qsort(lat_ms, found, sizeof(double), compare_double);
	printf("latency player %u Hz -> recorder 48000 Hz, %d clicks: min %.3f ms, median %.3f ms, "
	       "max %.3f ms (target <= 1 ms)\n", rate, found, lat_ms[0], lat_ms[found / 2],
	       lat_ms[found - 1]);
	waveOutUnprepareHeader(out, &click, sizeof(WAVEHDR));
	for (uint32_t i = 0; i < n_rec; i++)
		waveInUnprepareHeader(in, &rec[i], sizeof(WAVEHDR));
	waveOutClose(out);
	waveInClose(in);
	return 0;
}

static double filetime_s(FILETIME t)
{
	return (((uint64_t)t.dwHighDateTime << 32) | t.dwLowDateTime) / 1e7;
}

static double cpu_s(void)
{
	FILETIME created, exited, kernel, user;
	GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user);
	return filetime_s(kernel) + filetime_s(user);
}

static int load(int n_players, int n_recorders, double seconds, uint32_t buffer_ms, bool use_event)
{
	struct client_options opt = { .sample = S_S16, .rate_hz = 48000, .channels = 2 };
	WAVEFORMATEXTENSIBLE fmt;
	client_build_format(&opt, &fmt);
	UINT out_id = client_device_id("LoopCable 1", true), in_id = client_device_id("LoopCable 1", false);
	const int n_buf = 4;
	uint32_t bytes = 48000 * buffer_ms / 1000 * 4;
	HANDLE event = CreateEventA(NULL, FALSE, FALSE, NULL);
	DWORD_PTR callback = use_event ? (DWORD_PTR)event : 0;
	DWORD callback_flags = use_event ? CALLBACK_EVENT : CALLBACK_NULL;
	HWAVEOUT *outs = calloc(n_players, sizeof(*outs));
	HWAVEIN *ins = calloc(n_recorders, sizeof(*ins));
	WAVEHDR *out_hdrs = calloc((size_t)n_players * n_buf, sizeof(WAVEHDR));
	WAVEHDR *in_hdrs = calloc((size_t)n_recorders * n_buf, sizeof(WAVEHDR));
	char *tone = malloc(bytes);
	for (uint32_t i = 0; i < bytes / 2; i++)
		((int16_t *)tone)[i] = (int16_t)((i * 37) % 2000 - 1000);

	for (int p = 0; p < n_players; p++) {
		if (!client_check("waveOutOpen", waveOutOpen(&outs[p], out_id, &fmt.Format,
							   callback, 0, callback_flags), MMSYSERR_NOERROR))
			return 1;
		for (int b = 0; b < n_buf; b++) {
			WAVEHDR *h = &out_hdrs[p * n_buf + b];
			*h = (WAVEHDR){ .lpData = tone, .dwBufferLength = bytes };
			waveOutPrepareHeader(outs[p], h, sizeof(WAVEHDR));
		}
	}
	for (int r = 0; r < n_recorders; r++) {
		if (!client_check("waveInOpen", waveInOpen(&ins[r], in_id, &fmt.Format, callback, 0,
							 callback_flags), MMSYSERR_NOERROR))
			return 1;
		for (int b = 0; b < n_buf; b++) {
			WAVEHDR *h = &in_hdrs[r * n_buf + b];
			*h = (WAVEHDR){ .lpData = malloc(bytes), .dwBufferLength = bytes };
			waveInPrepareHeader(ins[r], h, sizeof(WAVEHDR));
			waveInAddBuffer(ins[r], h, sizeof(WAVEHDR));
		}
		waveInStart(ins[r]);
	}
	for (int i = 0; i < n_players * n_buf; i++)
		waveOutWrite(outs[i / n_buf], &out_hdrs[i], sizeof(WAVEHDR));

	double cpu0 = cpu_s();
	uint64_t t0 = client_now_us(), end = t0 + (uint64_t)(seconds * 1e6);
	uint64_t n_out = 0, n_in = 0;
	while (client_now_us() < end) {
		if (use_event)
			WaitForSingleObject(event, 5);
		else
			Sleep(2);
		for (int i = 0; i < n_players * n_buf; i++) {
			if (out_hdrs[i].dwFlags & WHDR_DONE) {
				n_out++;
				waveOutWrite(outs[i / n_buf], &out_hdrs[i], sizeof(WAVEHDR));
			}
		}
		for (int i = 0; i < n_recorders * n_buf; i++) {
			if (in_hdrs[i].dwFlags & WHDR_DONE) {
				n_in++;
				in_hdrs[i].dwFlags &= ~WHDR_DONE;
				waveInAddBuffer(ins[i / n_buf], &in_hdrs[i], sizeof(WAVEHDR));
			}
		}
	}
	double wall = (client_now_us() - t0) / 1e6, cpu = cpu_s() - cpu0;
	/* Each player should have returned seconds / buffer duration buffers. */
	double expected = seconds * 1000.0 / buffer_ms;
	printf("load: %d players + %d recorders, 48 kHz stereo s16, %u ms buffers, callback %s, %.1f s: "
	       "CPU %.3f s of %.3f s wall = %.2f%% of one core (target < 5%%); buffers returned: "
	       "players %.1f%%, recorders %.1f%% of real time\n",
	       n_players, n_recorders, buffer_ms, use_event ? "event" : "none (polling)", wall, cpu,
	       wall, 100 * cpu / wall,
	       n_players ? 100.0 * n_out / (n_players * expected) : 0,
	       n_recorders ? 100.0 * n_in / (n_recorders * expected) : 0);
	for (int p = 0; p < n_players; p++)
		waveOutReset(outs[p]);
	for (int r = 0; r < n_recorders; r++)
		waveInReset(ins[r]);
	for (int i = 0; i < n_players * n_buf; i++)
		waveOutUnprepareHeader(outs[i / n_buf], &out_hdrs[i], sizeof(WAVEHDR));
	for (int i = 0; i < n_recorders * n_buf; i++)
		waveInUnprepareHeader(ins[i / n_buf], &in_hdrs[i], sizeof(WAVEHDR));
	for (int p = 0; p < n_players; p++)
		waveOutClose(outs[p]);
	for (int r = 0; r < n_recorders; r++)
		waveInClose(ins[r]);
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t rate = 48000, buffer_ms = 10;
	int clicks = 20, players = 32, recorders = 32;
	double seconds = 10;
	bool use_event = false;
	for (int i = 2; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--rate")) rate = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--clicks")) clicks = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--players")) players = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--recorders")) recorders = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--seconds")) seconds = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--buffer-ms")) buffer_ms = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--callback")) use_event = !strcmp(argv[i + 1], "event");
	}
	if (argc >= 2 && !strcmp(argv[1], "latency"))
		return latency(rate, clicks);
	if (argc >= 2 && !strcmp(argv[1], "load"))
		return load(players, recorders, seconds, buffer_ms, use_event);
	fprintf(stderr, "usage: lc_bench.exe latency|load [options] (see the source's header)\n");
	return 2;
}
