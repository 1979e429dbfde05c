/* SPDX-License-Identifier: MIT */
/* cable_client.c — shared parts of the test clients (cable_client.h). */
#include "cable_client.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int client_failures;

/* KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT, spelled out: mingw's ksmedia.h only
 * declares them, and ksguid's definitions would need INITGUID games. */
static const GUID subtype_pcm = { 0x00000001, 0x0000, 0x0010,
				  { 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71 } };
static const GUID subtype_float = { 0x00000003, 0x0000, 0x0010,
				    { 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71 } };

static void usage(const char *bad)
{
	fprintf(stderr, "bad or missing option: %s (see cable_client.h)\n", bad);
	exit(100);
}

static const char *const sample_names[] = { "u8", "s16", "s24", "s24_32", "s32", "f32" };
static const char *const callback_names[] = { "none", "function", "event", "window", "thread" };

static int find_name(const char *const *names, int n, const char *want)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], want) == 0)
			return i;
	usage(want);
	return 0;
}

void client_parse_common(int argc, char **argv, struct client_options *opt)
{
	*opt = (struct client_options){ .device = "LoopCable 1", .sample = S_S16,
					.rate_hz = 48000, .channels = 2, .buffer_ms = 10,
					.n_buffers = 4, .callback = CB_EVENT, .seconds = 1.0 };
	for (int i = 1; i < argc; i++) {
		if (!argv[i] || strncmp(argv[i], "--", 2) != 0)
			continue;
		const char *name = argv[i] + 2;
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;
		bool taken = true;
		if (!strcmp(name, "device") && value) opt->device = value;
		else if (!strcmp(name, "format") && value) opt->sample = find_name(sample_names, 6, value);
		else if (!strcmp(name, "rate") && value) opt->rate_hz = strtoul(value, NULL, 0);
		else if (!strcmp(name, "channels") && value) opt->channels = strtoul(value, NULL, 0);
		else if (!strcmp(name, "mask") && value) opt->mask = strtoul(value, NULL, 16);
		else if (!strcmp(name, "wfx") && value) opt->plain_wfx = !strcmp(value, "pcm");
		else if (!strcmp(name, "buffer-ms") && value) opt->buffer_ms = strtoul(value, NULL, 0);
		else if (!strcmp(name, "buffers") && value) opt->n_buffers = strtoul(value, NULL, 0);
		else if (!strcmp(name, "callback") && value) opt->callback = find_name(callback_names, 5, value);
		else if (!strcmp(name, "seconds") && value) opt->seconds = atof(value);
		else taken = false;
		if (taken) {
			argv[i] = argv[i + 1] = NULL;
			i++;
		}
	}
	if (!opt->channels || !opt->rate_hz || !opt->buffer_ms || !opt->n_buffers)
		usage("a zero value");
}

uint32_t client_sample_bytes(enum sample_kind s)
{
	static const uint32_t bytes[] = { 1, 2, 3, 4, 4, 4 };
	return bytes[s];
}

void client_build_format(const struct client_options *opt, WAVEFORMATEXTENSIBLE *wfx)
{
	memset(wfx, 0, sizeof(*wfx));
	uint32_t bytes = client_sample_bytes(opt->sample);
	WAVEFORMATEX *ex = &wfx->Format;
	ex->nChannels = (WORD)opt->channels;
	ex->nSamplesPerSec = opt->rate_hz;
	ex->wBitsPerSample = (WORD)(bytes * 8);
	ex->nBlockAlign = (WORD)(bytes * opt->channels);
	ex->nAvgBytesPerSec = ex->nBlockAlign * opt->rate_hz;
	if (opt->plain_wfx) {
		ex->wFormatTag = opt->sample == S_F32 ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM;
		return;
	}
	ex->wFormatTag = WAVE_FORMAT_EXTENSIBLE;
	ex->cbSize = sizeof(*wfx) - sizeof(WAVEFORMATEX);
	wfx->Samples.wValidBitsPerSample = (WORD)(opt->sample == S_S24_32 ? 24 : bytes * 8);
	wfx->dwChannelMask = opt->mask;
	wfx->SubFormat = opt->sample == S_F32 ? subtype_float : subtype_pcm;
}

UINT client_device_id(const char *device, bool output)
{
	char *end;
	unsigned long id = strtoul(device, &end, 0);
	if (*device && !*end)
		return (UINT)id;
	UINT n = output ? waveOutGetNumDevs() : waveInGetNumDevs();
	for (UINT i = 0; i < n; i++) {
		char name[MAXPNAMELEN] = "";
		if (output) {
			WAVEOUTCAPSA caps;
			if (waveOutGetDevCapsA(i, &caps, sizeof(caps)) == MMSYSERR_NOERROR)
				strcpy(name, caps.szPname);
		} else {
			WAVEINCAPSA caps;
			if (waveInGetDevCapsA(i, &caps, sizeof(caps)) == MMSYSERR_NOERROR)
				strcpy(name, caps.szPname);
		}
		if (strcmp(name, device) == 0)
			return i;
	}
	fprintf(stderr, "no %s device named \"%s\" among %u\n", output ? "output" : "input",
		device, n);
	exit(101);
}

static int32_t round_clamp(double v, double scale, int64_t lo, int64_t hi)
{
	if (v != v)
		return 0;
	double x = nearbyint(v * scale);
	if (x < (double)lo)
		return (int32_t)lo;
	if (x > (double)hi)
		return (int32_t)hi;
	return (int32_t)x;
}

void client_encode(enum sample_kind s, void *dst, double value)
{
	uint8_t *b = dst;
	int32_t v;
	switch (s) {
	case S_U8:
		b[0] = (uint8_t)(round_clamp(value, 128.0, -128, 127) + 128);
		break;
	case S_S16:
		v = round_clamp(value, 32768.0, -32768, 32767);
		memcpy(dst, &(int16_t){ (int16_t)v }, 2);
		break;
	case S_S24:
		v = round_clamp(value, 8388608.0, -8388608, 8388607);
		b[0] = (uint8_t)v;
		b[1] = (uint8_t)(v >> 8);
		b[2] = (uint8_t)(v >> 16);
		break;
	case S_S24_32:
		v = round_clamp(value, 8388608.0, -8388608, 8388607);
		v = (int32_t)((uint32_t)v << 8);
		memcpy(dst, &v, 4);
		break;
	case S_S32:
		v = round_clamp(value, 2147483648.0, INT32_MIN, INT32_MAX);
		memcpy(dst, &v, 4);
		break;
	case S_F32:
		memcpy(dst, &(float){ (float)value }, 4);
		break;
	}
}

double client_decode(enum sample_kind s, const void *src)
{
	const uint8_t *b = src;
	int32_t v;
	float f;
	int16_t h;
	switch (s) {
	case S_U8: return ((int)b[0] - 128) / 128.0;
	case S_S16: memcpy(&h, src, 2); return h / 32768.0;
	case S_S24:
		v = (int32_t)((uint32_t)b[0] << 8 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 24) >> 8;
		return v / 8388608.0;
	case S_S24_32: memcpy(&v, src, 4); return (v >> 8) / 8388608.0;
	case S_S32: memcpy(&v, src, 4); return v / 2147483648.0;
	case S_F32: memcpy(&f, src, 4); return f;
	}
	return 0;
}

/* --- callbacks ------------------------------------------------------------------- */

static struct client_callbacks *the_callbacks; /* for the window procedure */

static void count(struct client_callbacks *cb, UINT msg)
{
	switch (msg) {
	/* WOM_* equal MM_WOM_* (the window/thread message ids): one switch serves all. */
	case WOM_OPEN: case WIM_OPEN:
		InterlockedIncrement(&cb->n_open);
		break;
	case WOM_DONE: case WIM_DATA:
		InterlockedIncrement(&cb->n_done);
		break;
	case WOM_CLOSE: case WIM_CLOSE:
		InterlockedIncrement(&cb->n_close);
		break;
	}
}

static void CALLBACK function_callback(HANDLE device, UINT msg, DWORD_PTR instance,
				       DWORD_PTR param1, DWORD_PTR param2)
{
	(void)device; (void)param1; (void)param2;
	struct client_callbacks *cb = the_callbacks;
	if (instance != CLIENT_INSTANCE)
		InterlockedIncrement(&cb->n_wrong_instance);
	count(cb, msg);
	SetEvent(cb->event);
}

static LRESULT CALLBACK window_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
	if (msg >= MM_WOM_OPEN && msg <= MM_WIM_DATA) {
		count(the_callbacks, msg);
		return 0;
	}
	return DefWindowProcA(hwnd, msg, wparam, lparam);
}

void client_callbacks_init(struct client_callbacks *cb, enum callback_kind kind,
			   DWORD_PTR *callback, DWORD *flags)
{
	memset(cb, 0, sizeof(*cb));
	the_callbacks = cb;
	cb->kind = kind;
	cb->event = CreateEventA(NULL, FALSE, FALSE, NULL);
	switch (kind) {
	case CB_NONE:
		*callback = 0;
		*flags = CALLBACK_NULL;
		break;
	case CB_FUNCTION:
		*callback = (DWORD_PTR)function_callback;
		*flags = CALLBACK_FUNCTION;
		break;
	case CB_EVENT:
		*callback = (DWORD_PTR)cb->event;
		*flags = CALLBACK_EVENT;
		break;
	case CB_WINDOW: {
		WNDCLASSA wc = { .lpfnWndProc = window_proc, .hInstance = GetModuleHandleA(NULL),
				 .lpszClassName = "lc_test_client" };
		RegisterClassA(&wc);
		cb->window = CreateWindowA("lc_test_client", "", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
					   wc.hInstance, NULL);
		*callback = (DWORD_PTR)cb->window;
		*flags = CALLBACK_WINDOW;
		break;
	}
	case CB_THREAD: {
		MSG msg;
		/* A thread gets a message queue on its first message call. */
		PeekMessageA(&msg, NULL, 0, 0, PM_NOREMOVE);
		cb->thread_id = GetCurrentThreadId();
		*callback = cb->thread_id;
		*flags = CALLBACK_THREAD;
		break;
	}
	}
}

void client_callbacks_wait(struct client_callbacks *cb, DWORD timeout_ms)
{
	MSG msg;
	switch (cb->kind) {
	case CB_NONE:
		Sleep(1);
		break;
	case CB_FUNCTION:
	case CB_EVENT:
		WaitForSingleObject(cb->event, timeout_ms);
		break;
	case CB_WINDOW:
	case CB_THREAD:
		MsgWaitForMultipleObjects(0, NULL, FALSE, timeout_ms, QS_ALLINPUT);
		while (PeekMessageA(&msg, NULL, 0, 0, PM_REMOVE)) {
			if (cb->kind == CB_THREAD && !msg.hwnd)
				count(cb, msg.message);
			else
				DispatchMessageA(&msg);
		}
		break;
	}
}

void client_callbacks_free(struct client_callbacks *cb)
{
	/* Late window/thread messages (WOM_CLOSE is posted) are counted here. */
	if (cb->kind == CB_WINDOW || cb->kind == CB_THREAD)
		client_callbacks_wait(cb, 50);
	if (cb->window)
		DestroyWindow(cb->window);
	CloseHandle(cb->event);
}

bool client_check(const char *what, MMRESULT result, MMRESULT want)
{
	if (result == want)
		return true;
	client_failures++;
	printf("FAIL %s: result %u, want %u\n", what, result, want);
	return false;
}

/* --- WAV files ----------------------------------------------------------------------- */

bool client_wav_write(const char *path, const WAVEFORMATEXTENSIBLE *wfx, const void *data,
		      uint32_t bytes)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	bool extensible = wfx->Format.wFormatTag == WAVE_FORMAT_EXTENSIBLE;
	uint32_t fmt_bytes = extensible ? sizeof(WAVEFORMATEXTENSIBLE) : 16;
	uint32_t riff = 4 + 8 + fmt_bytes + 8 + bytes;
	fwrite("RIFF", 1, 4, f);
	fwrite(&riff, 4, 1, f);
	fwrite("WAVEfmt ", 1, 8, f);
	fwrite(&fmt_bytes, 4, 1, f);
	fwrite(wfx, 1, fmt_bytes, f);
	fwrite("data", 1, 4, f);
	fwrite(&bytes, 4, 1, f);
	fwrite(data, 1, bytes, f);
	return fclose(f) == 0;
}

bool client_wav_read(const char *path, WAVEFORMATEXTENSIBLE *wfx, void **data, uint32_t *bytes)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	char id[4];
	uint32_t size;
	bool ok = fread(id, 1, 4, f) == 4 && !memcmp(id, "RIFF", 4) && fread(&size, 4, 1, f) == 1
		  && fread(id, 1, 4, f) == 4 && !memcmp(id, "WAVE", 4);
	bool have_fmt = false;
	*data = NULL;
	while (ok && fread(id, 1, 4, f) == 4 && fread(&size, 4, 1, f) == 1) {
		if (!memcmp(id, "fmt ", 4)) {
			memset(wfx, 0, sizeof(*wfx));
			uint32_t take = size < sizeof(*wfx) ? size : sizeof(*wfx);
			ok = fread(wfx, 1, take, f) == take && fseek(f, (long)(size - take), SEEK_CUR) == 0;
			have_fmt = true;
		} else if (!memcmp(id, "data", 4)) {
			*data = malloc(size ? size : 1);
			ok = *data && fread(*data, 1, size, f) == size;
			*bytes = size;
			break;
		} else {
			ok = fseek(f, (long)(size + (size & 1)), SEEK_CUR) == 0;
		}
	}
	fclose(f);
	return ok && have_fmt && *data;
}

uint64_t client_now_us(void)
{
	LARGE_INTEGER now, hz;
	QueryPerformanceCounter(&now);
	QueryPerformanceFrequency(&hz);
	return (uint64_t)(now.QuadPart / hz.QuadPart * 1000000
			  + now.QuadPart % hz.QuadPart * 1000000 / hz.QuadPart);
}
