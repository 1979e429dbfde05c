/* SPDX-License-Identifier: MIT */
/*
 * lc_rec.exe — records from a wave input device with the plain winmm API.
 *
 *   lc_rec.exe [common options] --out PATH.wav
 *
 * Prints frames=, buffers=, start_us= (performance counter at waveInStart, so that
 * another program's timestamps can be compared: the counter has one origin for all
 * processes), callbacks open=/done=/close=; writes what it recorded as a WAV file.
 * Exits 0 only if every call answered as documented.
 */
#include "cable_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct client_options opt;
	client_parse_common(argc, argv, &opt);
	const char *out_path = NULL;
	for (int i = 1; i < argc; i++) {
		if (!argv[i])
			continue;
		if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			out_path = argv[++i];
		} else {
			fprintf(stderr, "unknown argument %s\n", argv[i]);
			return 100;
		}
	}

	WAVEFORMATEXTENSIBLE wfx;
	client_build_format(&opt, &wfx);
	UINT device = client_device_id(opt.device, false);
	struct client_callbacks cbs;
	DWORD_PTR callback;
	DWORD flags;
	client_callbacks_init(&cbs, opt.callback, &callback, &flags);

	HWAVEIN wave;
	if (!client_check("waveInOpen", waveInOpen(&wave, device, &wfx.Format, callback,
						   CLIENT_INSTANCE, flags), MMSYSERR_NOERROR))
		return 1;

	uint32_t block = wfx.Format.nBlockAlign;
	uint32_t buffer_bytes = opt.rate_hz * opt.buffer_ms / 1000 * block;
	uint64_t want_bytes = (uint64_t)(opt.seconds * opt.rate_hz) * block;
	uint8_t *recording = malloc(want_bytes + buffer_bytes);
	uint64_t have_bytes = 0, n_returned = 0;
	WAVEHDR *hdrs = calloc(opt.n_buffers, sizeof(*hdrs));
	for (uint32_t i = 0; i < opt.n_buffers; i++) {
		hdrs[i].lpData = malloc(buffer_bytes);
		hdrs[i].dwBufferLength = buffer_bytes;
		client_check("waveInPrepareHeader",
			     waveInPrepareHeader(wave, &hdrs[i], sizeof(WAVEHDR)), MMSYSERR_NOERROR);
		client_check("waveInAddBuffer", waveInAddBuffer(wave, &hdrs[i], sizeof(WAVEHDR)),
			     MMSYSERR_NOERROR);
	}
	uint64_t start_us = client_now_us();
	client_check("waveInStart", waveInStart(wave), MMSYSERR_NOERROR);

	uint64_t deadline_us = start_us + (uint64_t)(opt.seconds * 1e6) + 10000000;
	while (have_bytes < want_bytes) {
		for (uint32_t i = 0; i < opt.n_buffers; i++) {
			if (!(hdrs[i].dwFlags & WHDR_DONE))
				continue;
			n_returned++;
			uint32_t got = hdrs[i].dwBytesRecorded;
			if (got > want_bytes - have_bytes)
				got = (uint32_t)(want_bytes - have_bytes);
			memcpy(recording + have_bytes, hdrs[i].lpData, got);
			have_bytes += got;
			hdrs[i].dwFlags &= ~WHDR_DONE;
			client_check("waveInAddBuffer", waveInAddBuffer(wave, &hdrs[i], sizeof(WAVEHDR)),
				     MMSYSERR_NOERROR);
		}
		if (client_now_us() > deadline_us) {
			printf("FAIL timeout: %llu of %llu bytes recorded\n",
			       (unsigned long long)have_bytes, (unsigned long long)want_bytes);
			client_failures++;
			break;
		}
		if (have_bytes < want_bytes)
			client_callbacks_wait(&cbs, 20);
	}
	MMTIME pos = { .wType = TIME_BYTES };
	client_check("waveInGetPosition", waveInGetPosition(wave, &pos, sizeof(pos)),
		     MMSYSERR_NOERROR);
	client_check("waveInReset", waveInReset(wave), MMSYSERR_NOERROR);
	for (uint32_t i = 0; i < opt.n_buffers; i++) {
		if (!(hdrs[i].dwFlags & WHDR_DONE) || (hdrs[i].dwFlags & WHDR_INQUEUE))
			client_check("buffer returned by reset", hdrs[i].dwFlags & (WHDR_DONE | WHDR_INQUEUE),
				     WHDR_DONE);
		client_check("waveInUnprepareHeader",
			     waveInUnprepareHeader(wave, &hdrs[i], sizeof(WAVEHDR)), MMSYSERR_NOERROR);
	}
	client_check("waveInClose", waveInClose(wave), MMSYSERR_NOERROR);
	client_callbacks_free(&cbs);
	if (out_path && !client_wav_write(out_path, &wfx, recording, (uint32_t)have_bytes)) {
		printf("FAIL cannot write %s\n", out_path);
		client_failures++;
	}

	printf("frames=%llu\n", (unsigned long long)(have_bytes / block));
	printf("buffers=%llu\n", (unsigned long long)n_returned);
	printf("pos_bytes=%lu\n", (unsigned long)pos.u.cb);
	printf("start_us=%llu\n", (unsigned long long)start_us);
	printf("callbacks open=%ld done=%ld close=%ld wrong_instance=%ld\n", cbs.n_open,
	       cbs.n_done, cbs.n_close, cbs.n_wrong_instance);
	printf("lc_rec: %s\n", client_failures ? "FAILED" : "ok");
	return client_failures ? 1 : 0;
}
