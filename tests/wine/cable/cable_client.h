/* SPDX-License-Identifier: MIT */
/*
 * cable_client.h — what the test clients lc_play.exe and lc_rec.exe share.  They are
 * ordinary winmm programs (they only call the documented waveOut / waveIn API, linked
 * with -lwinmm) and would run unmodified on Windows.
 *
 * Common options:
 *   --device N|NAME     winmm device id or name ("LoopCable 1"; default: "LoopCable 1")
 *   --format F          u8 s16 s24 s24_32 s32 f32                       (s16)
 *   --rate HZ --channels N --mask HEX                                    (48000, 2, 0)
 *   --wfx ex|pcm        WAVEFORMATEXTENSIBLE (default) or plain WAVEFORMATEX
 *   --buffer-ms MS --buffers N                                           (10, 4)
 *   --callback none|function|event|window|thread                         (event)
 *   --seconds S         how long to play / record
 * Each program prints "key=value" result lines and exits 0 only if every winmm call
 * it made answered as documented.
 */
#ifndef CABLE_CLIENT_H
#define CABLE_CLIENT_H

#include <windows.h>
#include <mmsystem.h>
#include <mmreg.h>
#include <ks.h>
#include <ksmedia.h>
#include <stdbool.h>
#include <stdint.h>

enum sample_kind { S_U8, S_S16, S_S24, S_S24_32, S_S32, S_F32 };

enum callback_kind { CB_NONE, CB_FUNCTION, CB_EVENT, CB_WINDOW, CB_THREAD };

struct client_options {
	const char *device;
	enum sample_kind sample;
	uint32_t rate_hz, channels, mask;
	bool plain_wfx;
	uint32_t buffer_ms, n_buffers;
	enum callback_kind callback;
	double seconds;
};

/* Parses the common options out of argv; the rest are left for the caller (argv
 * entries consumed are set to NULL).  Exits with a usage message on errors. */
void client_parse_common(int argc, char **argv, struct client_options *opt);

/* Bytes per sample of the container. */
uint32_t client_sample_bytes(enum sample_kind s);

/* Builds the format the options describe. */
void client_build_format(const struct client_options *opt, WAVEFORMATEXTENSIBLE *wfx);

/* Resolves --device to a winmm id (output or input side). */
UINT client_device_id(const char *device, bool output);

/* Encodes one sample value (-1.0 .. 1.0 full scale) into the client format, rounding
 * and saturating like the driver's reference conversion. */
void client_encode(enum sample_kind s, void *dst, double value);
double client_decode(enum sample_kind s, const void *src);

/* Callback plumbing: one shared state, whatever the kind. */
struct client_callbacks {
	enum callback_kind kind;
	HANDLE event;            /* CB_FUNCTION signals it; CB_EVENT is it */
	HWND window;             /* CB_WINDOW */
	DWORD thread_id;         /* CB_THREAD */
	volatile LONG n_open, n_done, n_close;
	volatile LONG n_wrong_instance;
};

/* Prepares the callback target; returns (dwCallback, fdwOpen flags) for waveXOpen. */
void client_callbacks_init(struct client_callbacks *cb, enum callback_kind kind,
			   DWORD_PTR *callback, DWORD *flags);
/* Waits up to timeout_ms for "something may have happened" (a callback, a message,
 * or simply time passing for CB_NONE), dispatching window/thread messages. */
void client_callbacks_wait(struct client_callbacks *cb, DWORD timeout_ms);
void client_callbacks_free(struct client_callbacks *cb);

/* dwInstance the programs pass: checked in every callback. */
#define CLIENT_INSTANCE ((DWORD_PTR)0x10C0CAB1Eu)

/* Prints "name=MMSYSERR_…" on failure and counts it.  Returns result == want. */
bool client_check(const char *what, MMRESULT result, MMRESULT want);
extern int client_failures;

/* 16-byte-header WAV files (PCM, IEEE float, or EXTENSIBLE when needed). */
bool client_wav_write(const char *path, const WAVEFORMATEXTENSIBLE *wfx, const void *data,
		      uint32_t bytes);
/* Reads a WAV file's format and data (malloc'd). */
bool client_wav_read(const char *path, WAVEFORMATEXTENSIBLE *wfx, void **data, uint32_t *bytes);

/* The performance counter in microseconds (same origin in every process under Wine). */
uint64_t client_now_us(void);

#endif /* CABLE_CLIENT_H */
