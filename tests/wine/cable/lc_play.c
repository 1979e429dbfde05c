/* SPDX-License-Identifier: MIT */
/*
 * lc_play.exe — plays a signal into a wave output device with the plain winmm API.
 *
 *   lc_play.exe [common options] [--signal SIGNAL] [--start-paused]
 *     SIGNAL: sine:HZ:DBFS   a sine on every channel (default sine:1000:-6)
 *             noise:SEED     uniform integer codes (every code reachable): bit-exact tests
 *             wav:PATH       a WAV file (its format replaces --format/--rate/--channels)
 *     --start-paused: pause, queue every buffer, then restart (as some players start)
 *     --pause-at-ms T --pause-ms P: T ms after the first write, pause for P ms
 *
 * Prints frames=, buffers=, done=, pos_bytes=, and callbacks open=/done=/close=; exits 0
 * only if every call answered as documented and every buffer came back.
 */
#include "cable_client.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct signal {
	enum { SIG_SINE, SIG_NOISE, SIG_WAV } kind;
	double hz, amplitude;
	uint32_t seed;
	uint8_t *wav;
	uint32_t wav_bytes;
};

static uint32_t lcg(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state;
}

/* Fills frames [first, first + n) of the signal into dst; returns bytes filled. */
static uint32_t render(struct signal *sig, const struct client_options *opt, uint64_t first,
		       uint32_t n, uint8_t *dst)
{
	uint32_t sample_bytes = client_sample_bytes(opt->sample);
	uint32_t block = sample_bytes * opt->channels;
	if (sig->kind == SIG_WAV) {
		uint64_t at = first * block;
		if (at >= sig->wav_bytes)
			return 0;
		uint32_t take = n * block;
		if (take > sig->wav_bytes - at)
			take = (uint32_t)(sig->wav_bytes - at);
		memcpy(dst, sig->wav + at, take);
		return take;
	}
	for (uint32_t f = 0; f < n; f++) {
		for (uint32_t c = 0; c < opt->channels; c++) {
			uint8_t *out = dst + f * block + c * sample_bytes;
			if (sig->kind == SIG_SINE) {
				double t = (double)(first + f) / opt->rate_hz;
				client_encode(opt->sample, out, sig->amplitude * sin(2 * 3.14159265358979323846 * sig->hz * t));
			} else {
				uint32_t code = lcg(&sig->seed) >> 8;
				memcpy(out, &code, sample_bytes);
				if (opt->sample == S_S24_32)
					memcpy(out, &(uint32_t){ code << 8 }, 4);
				if (opt->sample == S_F32)
					client_encode(S_F32, out, ((int32_t)(code << 8) >> 8) / 8388608.0);
			}
		}
	}
	return n * block;
}

static void parse_signal(const char *text, struct signal *sig, struct client_options *opt)
{
	memset(sig, 0, sizeof(*sig));
	if (sscanf(text, "sine:%lf:%lf", &sig->hz, &sig->amplitude) == 2) {
		sig->kind = SIG_SINE;
		sig->amplitude = pow(10.0, sig->amplitude / 20.0);
	} else if (sscanf(text, "noise:%u", &sig->seed) == 1) {
		sig->kind = SIG_NOISE;
	} else if (strncmp(text, "wav:", 4) == 0) {
		WAVEFORMATEXTENSIBLE wfx;
		void *data;
		if (!client_wav_read(text + 4, &wfx, &data, &sig->wav_bytes)) {
			fprintf(stderr, "cannot read %s\n", text + 4);
			exit(102);
		}
		sig->kind = SIG_WAV;
		sig->wav = data;
		opt->rate_hz = wfx.Format.nSamplesPerSec;
		opt->channels = wfx.Format.nChannels;
		opt->sample = wfx.Format.wBitsPerSample == 8 ? S_U8
			      : wfx.Format.wBitsPerSample == 16 ? S_S16
			      : wfx.Format.wBitsPerSample == 24 ? S_S24
			      : wfx.Format.wFormatTag == WAVE_FORMAT_IEEE_FLOAT ? S_F32 : S_S32;
		opt->seconds = (double)sig->wav_bytes / wfx.Format.nBlockAlign / opt->rate_hz;
	} else {
		fprintf(stderr, "bad --signal %s\n", text);
		exit(100);
	}
}

int main(int argc, char **argv)
{
	struct client_options opt;
	client_parse_common(argc, argv, &opt);
	struct signal sig;
	parse_signal("sine:1000:-6", &sig, &opt);
	bool start_paused = false;
	long pause_at_ms = -1, pause_ms = 0;
	for (int i = 1; i < argc; i++) {
		if (!argv[i])
			continue;
		if (!strcmp(argv[i], "--signal") && i + 1 < argc)
			parse_signal(argv[++i], &sig, &opt);
		else if (!strcmp(argv[i], "--start-paused"))
			start_paused = true;
		else if (!strcmp(argv[i], "--pause-at-ms") && i + 1 < argc)
			pause_at_ms = atol(argv[++i]);
		else if (!strcmp(argv[i], "--pause-ms") && i + 1 < argc)
			pause_ms = atol(argv[++i]);
		else {
			fprintf(stderr, "unknown argument %s\n", argv[i]);
			return 100;
		}
	}

	WAVEFORMATEXTENSIBLE wfx;
	client_build_format(&opt, &wfx);
	UINT device = client_device_id(opt.device, true);
	struct client_callbacks cbs;
	DWORD_PTR callback;
	DWORD flags;
	client_callbacks_init(&cbs, opt.callback, &callback, &flags);

	HWAVEOUT wave;
	if (!client_check("waveOutOpen", waveOutOpen(&wave, device, &wfx.Format, callback,
						     CLIENT_INSTANCE, flags), MMSYSERR_NOERROR))
		return 1;
	uint64_t open_us = client_now_us();

	uint32_t block = wfx.Format.nBlockAlign;
	uint32_t buffer_frames = opt.rate_hz * opt.buffer_ms / 1000;
	uint64_t total_frames = (uint64_t)(opt.seconds * opt.rate_hz);
	WAVEHDR *hdrs = calloc(opt.n_buffers, sizeof(*hdrs));
	for (uint32_t i = 0; i < opt.n_buffers; i++) {
		hdrs[i].lpData = malloc(buffer_frames * block);
		hdrs[i].dwBufferLength = buffer_frames * block;
		client_check("waveOutPrepareHeader",
			     waveOutPrepareHeader(wave, &hdrs[i], sizeof(WAVEHDR)), MMSYSERR_NOERROR);
	}
	if (start_paused)
		client_check("waveOutPause", waveOutPause(wave), MMSYSERR_NOERROR);

	uint64_t next_frame = 0, n_written = 0, n_returned = 0;
	bool *busy = calloc(opt.n_buffers, sizeof(bool));
	uint64_t first_write_us = 0;
	uint64_t deadline_us = client_now_us() + (uint64_t)(opt.seconds * 1e6) + 10000000;
	for (;;) {
		for (uint32_t i = 0; i < opt.n_buffers; i++) {
			if (busy[i] && (hdrs[i].dwFlags & WHDR_DONE)) {
				busy[i] = false;
				n_returned++;
			}
			if (busy[i] || next_frame >= total_frames)
				continue;
			uint32_t n = buffer_frames;
			if (total_frames - next_frame < n)
				n = (uint32_t)(total_frames - next_frame);
			uint32_t bytes = render(&sig, &opt, next_frame, n, (uint8_t *)hdrs[i].lpData);
			if (bytes == 0) {
				total_frames = next_frame;
				continue;
			}
			hdrs[i].dwBufferLength = bytes;
			next_frame += n;
			if (!first_write_us)
				first_write_us = client_now_us();
			if (client_check("waveOutWrite", waveOutWrite(wave, &hdrs[i], sizeof(WAVEHDR)),
					 MMSYSERR_NOERROR)) {
				busy[i] = true;
				n_written++;
				if (hdrs[i].dwFlags != (WHDR_PREPARED | WHDR_INQUEUE)
				    && !(hdrs[i].dwFlags & WHDR_DONE))
					client_check("flags after write", hdrs[i].dwFlags,
						     WHDR_PREPARED | WHDR_INQUEUE);
			}
		}
		if (start_paused && n_written > 0) {
			/* Everything queued while paused, nothing may have come back. */
			client_check("no buffer done while paused", (MMRESULT)n_returned, 0);
			Sleep(30);
			client_check("no buffer done while paused", (MMRESULT)n_returned, 0);
			client_check("waveOutRestart", waveOutRestart(wave), MMSYSERR_NOERROR);
			start_paused = false;
		}
		if (pause_at_ms >= 0 && first_write_us
		    && client_now_us() >= first_write_us + (uint64_t)pause_at_ms * 1000) {
			client_check("waveOutPause", waveOutPause(wave), MMSYSERR_NOERROR);
			Sleep((DWORD)pause_ms);
			client_check("waveOutRestart", waveOutRestart(wave), MMSYSERR_NOERROR);
			pause_at_ms = -1;
		}
		if (next_frame >= total_frames && n_returned == n_written)
			break;
		if (client_now_us() > deadline_us) {
			printf("FAIL timeout: %llu of %llu buffers returned\n",
			       (unsigned long long)n_returned, (unsigned long long)n_written);
			client_failures++;
			break;
		}
		client_callbacks_wait(&cbs, 20);
	}

	MMTIME pos = { .wType = TIME_BYTES };
	client_check("waveOutGetPosition", waveOutGetPosition(wave, &pos, sizeof(pos)),
		     MMSYSERR_NOERROR);
	for (uint32_t i = 0; i < opt.n_buffers; i++)
		client_check("waveOutUnprepareHeader",
			     waveOutUnprepareHeader(wave, &hdrs[i], sizeof(WAVEHDR)), MMSYSERR_NOERROR);
	client_check("waveOutClose", waveOutClose(wave), MMSYSERR_NOERROR);
	uint64_t close_us = client_now_us();
	client_callbacks_free(&cbs);

	printf("frames=%llu\n", (unsigned long long)next_frame);
	printf("buffers=%llu\n", (unsigned long long)n_written);
	printf("returned=%llu\n", (unsigned long long)n_returned);
	printf("pos_bytes=%lu\n", (unsigned long)pos.u.cb);
	printf("expected_bytes=%llu\n", (unsigned long long)(next_frame * block));
	printf("first_write_us=%llu\n", (unsigned long long)first_write_us);
	printf("open_us=%llu\nclose_us=%llu\n", (unsigned long long)open_us,
	       (unsigned long long)close_us);
	printf("callbacks open=%ld done=%ld close=%ld wrong_instance=%ld\n", cbs.n_open,
	       cbs.n_done, cbs.n_close, cbs.n_wrong_instance);
	printf("lc_play: %s\n", client_failures ? "FAILED" : "ok");
	return client_failures ? 1 : 0;
}
