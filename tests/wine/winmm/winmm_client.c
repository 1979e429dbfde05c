/* SPDX-License-Identifier: MIT */
/*
 * winmm_client.exe SCENARIO — an ordinary winmm client (linked with -lwinmm, knowing
 * nothing of the test winmm or of any driver) that exercises the waveOut/waveIn API
 * and checks what the documentation and Windows promise a client: callbacks, header
 * flags, error codes.  Scenarios:
 *
 *   enum     device counts, caps A/W, short caps sizes, bad ids, the mapper's caps,
 *            device-id messages, a few forwarded exports (timeGetTime, error texts)
 *   play     CALLBACK_FUNCTION playback: open, prepare, write (and write again from
 *            inside WOM_DONE), position, pause/queue/restart, reset, volume, pitch,
 *            rate, breakloop, messages, unprepare, close, then the closed handle
 *   event    CALLBACK_EVENT playback the way real clients start (pause, write all,
 *            restart, poll WHDR_DONE) on a driver that prepares headers itself;
 *            CALLBACK_NULL playback
 *   mapper   WAVE_MAPPER, WAVE_FORMAT_QUERY, WAVE_MAPPED, open errors, handle reuse
 *            and a table that must not leak over thousands of failed opens
 *   record   waveIn with CALLBACK_FUNCTION and CALLBACK_EVENT: add, start, data,
 *            stop, reset, bad headers, handles of the wrong direction
 *   bad      junk, forged, closed and NULL handles on every call; bad headers and
 *            pointers on a valid handle
 *   threads  8 threads race to the first call, then open/write/close in parallel
 *   caps     GetDevCaps with an open handle (direct and mapped) in place of the id
 *
 * What it prints: "info …" lines (values the native suite checks), "ok …"/"FAIL …"
 * per check, and "winmm_client SCENARIO: N checks, M failed"; the exit code is M.
 * The devices are whatever winmm offers; the suite registers two recording drivers
 * (recdrv.c) whose devices the scenarios use by id: out 0 mono only, out 1 stereo,
 * out 2 up to 8 channels (and the same for in).
 *
 * Longer than our usual ~400 lines on purpose: one program, one function per scenario,
 * reads top to bottom as the list of what a real client does.
 */
#include <windows.h>
#include <mmsystem.h>
#include <mmddk.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A driver-private message (DRVM_USER + 7): recdrv answers param1 + param2. */
#define SUM_MSG (DRVM_USER + 7)
#define N_HDR 3
#define HDR_BYTES 4800

static int n_checks, n_failed;

static void check(const char *what, long long got, long long want)
{
	n_checks++;
	if (got == want) {
		printf("ok %s\n", what);
	} else {
		n_failed++;
		printf("FAIL %s: got %lld (%#llx), want %lld (%#llx)\n", what, got,
		       (unsigned long long)got, want, (unsigned long long)want);
	}
}

static void check_true(const char *what, int cond)
{
	check(what, cond != 0, 1);
}

static WAVEFORMATEX make_format(WORD channels, DWORD rate, WORD bits)
{
	WAVEFORMATEX f = { WAVE_FORMAT_PCM, channels, rate, 0, 0, bits, 0 };
	f.nBlockAlign = (WORD)(channels * bits / 8);
	f.nAvgBytesPerSec = rate * f.nBlockAlign;
	return f;
}

static unsigned long long hv(const void *handle)
{
	return (unsigned long long)(UINT_PTR)handle;
}

/* ---- enum ---- */

static void enum_out(void)
{
	UINT n = waveOutGetNumDevs();
	printf("info out_devices=%u\n", n);
	for (UINT id = 0; id < n; id++) {
		WAVEOUTCAPSW w;
		WAVEOUTCAPSA a;
		char converted[MAXPNAMELEN];
		check("waveOutGetDevCapsW", waveOutGetDevCapsW(id, &w, sizeof(w)),
		      MMSYSERR_NOERROR);
		check("waveOutGetDevCapsA", waveOutGetDevCapsA(id, &a, sizeof(a)),
		      MMSYSERR_NOERROR);
		printf("info out %u W '%ls' channels=%u formats=%#lx support=%#lx\n", id, w.szPname,
		       w.wChannels, (unsigned long)w.dwFormats, (unsigned long)w.dwSupport);
		printf("info out %u A '%s'\n", id, a.szPname);
		WideCharToMultiByte(CP_ACP, 0, w.szPname, -1, converted, sizeof(converted), NULL,
				    NULL);
		check_true("caps A name is the W name converted",
			   strcmp(converted, a.szPname) == 0);
		check_true("caps A fields equal W fields",
			   a.wMid == w.wMid && a.wPid == w.wPid && a.dwFormats == w.dwFormats &&
				   a.wChannels == w.wChannels && a.dwSupport == w.dwSupport &&
				   a.vDriverVersion == w.vDriverVersion);
	}
	WAVEOUTCAPSW full, w;
	WAVEOUTCAPSA a;
	if (n == 0)
		return;
	waveOutGetDevCapsW(0, &full, sizeof(full));
	/* Short sizes: exactly the first bytes are written, nothing after. */
	memset(&a, 0xCC, sizeof(a));
	check("waveOutGetDevCapsA size 4", waveOutGetDevCapsA(0, &a, 4), MMSYSERR_NOERROR);
	check_true("caps A size 4: wMid/wPid written", a.wMid == full.wMid && a.wPid == full.wPid);
	check_true("caps A size 4: nothing beyond",
		   ((BYTE *)&a)[4] == 0xCC && ((BYTE *)&a)[sizeof(a) - 1] == 0xCC);
	UINT name6 = offsetof(WAVEOUTCAPSW, szPname) + 6 * sizeof(WCHAR);
	memset(&w, 0xCC, sizeof(w));
	check("waveOutGetDevCapsW short", waveOutGetDevCapsW(0, &w, name6), MMSYSERR_NOERROR);
	check_true("caps W short: 6 name chars", memcmp(w.szPname, full.szPname, 12) == 0);
	check_true("caps W short: nothing beyond", ((BYTE *)&w)[name6] == 0xCC);
	memset(&w, 0xCC, sizeof(w));
	check("waveOutGetDevCapsW size 0", waveOutGetDevCapsW(0, &w, 0), MMSYSERR_NOERROR);
	check_true("caps W size 0: nothing written", ((BYTE *)&w)[0] == 0xCC);
	check("waveOutGetDevCapsA NULL", waveOutGetDevCapsA(0, NULL, sizeof(a)),
	      MMSYSERR_INVALPARAM);
	check("waveOutGetDevCapsW NULL", waveOutGetDevCapsW(0, NULL, sizeof(w)),
	      MMSYSERR_INVALPARAM);
	check("waveOutGetDevCapsW id=count", waveOutGetDevCapsW(n, &w, sizeof(w)),
	      MMSYSERR_BADDEVICEID);
	check("waveOutGetDevCapsA id=count", waveOutGetDevCapsA(n, &a, sizeof(a)),
	      MMSYSERR_BADDEVICEID);
	check("waveOutGetDevCapsW id=1000", waveOutGetDevCapsW(1000, &w, sizeof(w)),
	      MMSYSERR_BADDEVICEID);
	check("waveOutGetDevCapsW WAVE_MAPPER", waveOutGetDevCapsW(WAVE_MAPPER, &w, sizeof(w)),
	      MMSYSERR_NOERROR);
	printf("info out mapper W '%ls' channels=%u\n", w.szPname, w.wChannels);
	check("waveOutGetDevCapsA WAVE_MAPPER", waveOutGetDevCapsA(WAVE_MAPPER, &a, sizeof(a)),
	      MMSYSERR_NOERROR);
	printf("info out mapper A '%s'\n", a.szPname);
}

static void enum_in(void)
{
	UINT n = waveInGetNumDevs();
	printf("info in_devices=%u\n", n);
	for (UINT id = 0; id < n; id++) {
		WAVEINCAPSW w;
		WAVEINCAPSA a;
		check("waveInGetDevCapsW", waveInGetDevCapsW(id, &w, sizeof(w)), MMSYSERR_NOERROR);
		check("waveInGetDevCapsA", waveInGetDevCapsA(id, &a, sizeof(a)), MMSYSERR_NOERROR);
		printf("info in %u W '%ls' channels=%u\n", id, w.szPname, w.wChannels);
		printf("info in %u A '%s'\n", id, a.szPname);
	}
	WAVEINCAPSA a;
	WAVEINCAPSW w;
	memset(&a, 0xCC, sizeof(a));
	check("waveInGetDevCapsA size 6", waveInGetDevCapsA(0, &a, 6), MMSYSERR_NOERROR);
	check_true("caps in A size 6: nothing beyond", ((BYTE *)&a)[6] == 0xCC);
	check("waveInGetDevCapsW NULL", waveInGetDevCapsW(0, NULL, sizeof(w)), MMSYSERR_INVALPARAM);
	check("waveInGetDevCapsA NULL", waveInGetDevCapsA(0, NULL, sizeof(a)), MMSYSERR_INVALPARAM);
	check("waveInGetDevCapsW id=count", waveInGetDevCapsW(n, &w, sizeof(w)),
	      MMSYSERR_BADDEVICEID);
	check("waveInGetDevCapsW WAVE_MAPPER", waveInGetDevCapsW(WAVE_MAPPER, &w, sizeof(w)),
	      MMSYSERR_NOERROR);
	printf("info in mapper W '%ls'\n", w.szPname);
}

static void enum_messages(void)
{
	ULONG size = 0;
	WCHAR name[64];
	check("waveOutMessage(id 1, DRV_QUERYDEVICEINTERFACESIZE)",
	      waveOutMessage((HWAVEOUT)(UINT_PTR)1, DRV_QUERYDEVICEINTERFACESIZE, (DWORD_PTR)&size,
			     0),
	      MMSYSERR_NOERROR);
	check("waveOutMessage(id 1, DRV_QUERYDEVICEINTERFACE)",
	      waveOutMessage((HWAVEOUT)(UINT_PTR)1, DRV_QUERYDEVICEINTERFACE, (DWORD_PTR)name,
			     sizeof(name)),
	      MMSYSERR_NOERROR);
	printf("info out 1 interface '%ls' size=%lu\n", name, size);
	check("waveInMessage(id 2, DRV_QUERYDEVICEINTERFACE)",
	      waveInMessage((HWAVEIN)(UINT_PTR)2, DRV_QUERYDEVICEINTERFACE, (DWORD_PTR)name,
			    sizeof(name)),
	      MMSYSERR_NOERROR);
	printf("info in 2 interface '%ls'\n", name);
	check("waveOutMessage(id 0, DRV_QUERYMAPPABLE)",
	      waveOutMessage((HWAVEOUT)(UINT_PTR)0, DRV_QUERYMAPPABLE, 0, 0), MMSYSERR_NOERROR);
	DWORD preferred = 99, status = 99;
	check("waveOutMessage(WAVE_MAPPER, DRVM_MAPPER_PREFERRED_GET)",
	      waveOutMessage((HWAVEOUT)(UINT_PTR)WAVE_MAPPER, DRVM_MAPPER_PREFERRED_GET,
			     (DWORD_PTR)&preferred, (DWORD_PTR)&status),
	      MMSYSERR_NOERROR);
	check("preferred device", preferred, 0);
	check("waveOutMessage(id 99) is no device",
	      waveOutMessage((HWAVEOUT)(UINT_PTR)99, DRV_QUERYMAPPABLE, 0, 0),
	      MMSYSERR_INVALHANDLE);
}

/* Exports the test winmm forwards to Wine's own winmm. */
static void enum_forwarded(void)
{
	DWORD t0 = timeGetTime();
	Sleep(30);
	DWORD elapsed = timeGetTime() - t0;
	check_true("timeGetTime advances", elapsed >= 20 && elapsed < 5000);
	char text[MAXERRORLENGTH] = "";
	check("waveOutGetErrorTextA", waveOutGetErrorTextA(WAVERR_BADFORMAT, text, sizeof(text)),
	      MMSYSERR_NOERROR);
	printf("info error text WAVERR_BADFORMAT '%s'\n", text);
	check_true("error text not empty", text[0] != '\0');
	WCHAR wtext[MAXERRORLENGTH] = L"";
	check("waveInGetErrorTextW",
	      waveInGetErrorTextW(MMSYSERR_INVALHANDLE, wtext, MAXERRORLENGTH), MMSYSERR_NOERROR);
	check_true("wide error text not empty", wtext[0] != L'\0');
	TIMECAPS tc = { 0 };
	check("timeGetDevCaps", timeGetDevCaps(&tc, sizeof(tc)), MMSYSERR_NOERROR);
	check_true("timer period range", tc.wPeriodMin >= 1 && tc.wPeriodMax >= tc.wPeriodMin);
}

static void scenario_enum(void)
{
	enum_out();
	enum_in();
	enum_messages();
	enum_forwarded();
}

/* ---- play (CALLBACK_FUNCTION) ---- */

static struct {
	DWORD main_thread;
	HWAVEOUT hwo;
	int n_open, n_close, n_open_on_main, n_close_on_main, n_done;
	DWORD_PTR instance;
	WAVEHDR *done[16];
	WAVEHDR *write_from_callback; /* written from inside the first WOM_DONE */
	MMRESULT nested_write, nested_pos;
} play;

static void CALLBACK out_callback(HWAVEOUT hwo, UINT msg, DWORD_PTR instance, DWORD_PTR p1,
				  DWORD_PTR p2)
{
	(void)p2;
	play.hwo = hwo;
	play.instance = instance;
	bool on_main = GetCurrentThreadId() == play.main_thread;
	if (msg == WOM_OPEN) {
		play.n_open++;
		play.n_open_on_main += on_main;
	} else if (msg == WOM_CLOSE) {
		play.n_close++;
		play.n_close_on_main += on_main;
	} else if (msg == WOM_DONE && play.n_done < 16) {
		play.done[play.n_done++] = (WAVEHDR *)p1;
		if (play.write_from_callback) {
			/* A client calling winmm from its callback: must not deadlock. */
			WAVEHDR *h = play.write_from_callback;
			play.write_from_callback = NULL;
			MMTIME t = { .wType = TIME_BYTES };
			play.nested_pos = waveOutGetPosition(hwo, &t, sizeof(t));
			play.nested_write = waveOutWrite(hwo, h, sizeof(*h));
		}
	}
}

static DWORD position(HWAVEOUT hwo, UINT type, UINT *type_out)
{
	MMTIME t = { .wType = type };
	MMRESULT rc = waveOutGetPosition(hwo, &t, sizeof(t));
	if (type_out)
		*type_out = t.wType;
	return rc == MMSYSERR_NOERROR ? t.u.cb : (DWORD)-1;
}

static void play_transport(HWAVEOUT hwo, WAVEHDR *h)
{
	check("waveOutPause", waveOutPause(hwo), MMSYSERR_NOERROR);
	play.n_done = 0;
	check("write while paused", waveOutWrite(hwo, &h[0], sizeof(h[0])), MMSYSERR_NOERROR);
	check("paused write flags", h[0].dwFlags, WHDR_PREPARED | WHDR_INQUEUE);
	check("write queued header again", waveOutWrite(hwo, &h[0], sizeof(h[0])),
	      WAVERR_STILLPLAYING);
	check("unprepare queued header", waveOutUnprepareHeader(hwo, &h[0], sizeof(h[0])),
	      WAVERR_STILLPLAYING);
	check("prepare queued header (no-op)", waveOutPrepareHeader(hwo, &h[0], sizeof(h[0])),
	      MMSYSERR_NOERROR);
	check("queued flags unchanged", h[0].dwFlags, WHDR_PREPARED | WHDR_INQUEUE);
	check("second write while paused", waveOutWrite(hwo, &h[1], sizeof(h[1])),
	      MMSYSERR_NOERROR);
	check("close with queued headers", waveOutClose(hwo), WAVERR_STILLPLAYING);
	UINT id = 99;
	check("handle still valid after refused close", waveOutGetID(hwo, &id), MMSYSERR_NOERROR);
	check("no WOM_DONE while paused", play.n_done, 0);
	check("waveOutRestart", waveOutRestart(hwo), MMSYSERR_NOERROR);
	check("WOM_DONE after restart", play.n_done, 2);
	check_true("WOM_DONE in queue order", play.done[0] == &h[0] && play.done[1] == &h[1]);
	check("flags after restart", h[1].dwFlags, WHDR_PREPARED | WHDR_DONE);
	check("position after restart", position(hwo, TIME_BYTES, NULL), 4 * HDR_BYTES);

	check("pause again", waveOutPause(hwo), MMSYSERR_NOERROR);
	check("write before reset", waveOutWrite(hwo, &h[2], sizeof(h[2])), MMSYSERR_NOERROR);
	check("waveOutReset", waveOutReset(hwo), MMSYSERR_NOERROR);
	check("reset returns the header", h[2].dwFlags, WHDR_PREPARED | WHDR_DONE);
	check("position after reset", position(hwo, TIME_BYTES, NULL), 0);
	check("waveOutBreakLoop", waveOutBreakLoop(hwo), MMSYSERR_NOERROR);
}

static void play_controls(HWAVEOUT hwo)
{
	DWORD v = 0;
	check("waveOutSetVolume(handle)", waveOutSetVolume(hwo, 0x12345678), MMSYSERR_NOERROR);
	check("waveOutGetVolume(handle)", waveOutGetVolume(hwo, &v), MMSYSERR_NOERROR);
	check("volume", v, 0x12345678);
	v = 0;
	check("waveOutGetVolume(device id 1)", waveOutGetVolume((HWAVEOUT)(UINT_PTR)1, &v),
	      MMSYSERR_NOERROR);
	check("volume of device 1", v, 0x12345678);
	check("waveOutSetVolume(device id 0)", waveOutSetVolume((HWAVEOUT)(UINT_PTR)0, 0x1111),
	      MMSYSERR_NOERROR);
	check("waveOutGetVolume(device id 0)", waveOutGetVolume((HWAVEOUT)(UINT_PTR)0, &v),
	      MMSYSERR_NOERROR);
	check("volume of device 0", v, 0x1111);
	check("waveOutGetVolume(NULL)", waveOutGetVolume(hwo, NULL), MMSYSERR_INVALPARAM);
	DWORD pitch = 0;
	check("waveOutSetPitch", waveOutSetPitch(hwo, 0x8000), MMSYSERR_NOERROR);
	check("waveOutGetPitch", waveOutGetPitch(hwo, &pitch), MMSYSERR_NOERROR);
	check("pitch", pitch, 0x8000);
	check("waveOutGetPitch(NULL)", waveOutGetPitch(hwo, NULL), MMSYSERR_INVALPARAM);
	DWORD rate;
	check("waveOutGetPlaybackRate", waveOutGetPlaybackRate(hwo, &rate), MMSYSERR_NOTSUPPORTED);
	check("waveOutSetPlaybackRate", waveOutSetPlaybackRate(hwo, 0x8000), MMSYSERR_NOTSUPPORTED);
	check("waveOutMessage(handle, private message)", waveOutMessage(hwo, SUM_MSG, 20, 22), 42);
	check("waveOutMessage(handle, WODM_PAUSE) refused", waveOutMessage(hwo, 10, 0, 0),
	      MMSYSERR_INVALPARAM);
}

static void scenario_play(void)
{
	static char data[N_HDR][HDR_BYTES];
	WAVEFORMATEX fmt = make_format(2, 48000, 16);
	HWAVEOUT hwo = NULL;
	play.main_thread = GetCurrentThreadId();
	check("waveOutOpen(1, CALLBACK_FUNCTION)",
	      waveOutOpen(&hwo, 1, &fmt, (DWORD_PTR)out_callback, 0x5EED, CALLBACK_FUNCTION),
	      MMSYSERR_NOERROR);
	printf("info handle %#llx\n", hv(hwo));
	check("WOM_OPEN once, on the opening thread", play.n_open * 10 + play.n_open_on_main, 11);
	check_true("WOM_OPEN carries the handle and instance",
		   play.hwo == hwo && play.instance == 0x5EED);
	UINT id = 99;
	check("waveOutGetID", waveOutGetID(hwo, &id), MMSYSERR_NOERROR);
	check("device id", id, 1);

	WAVEHDR h[N_HDR];
	for (int i = 0; i < N_HDR; i++) {
		h[i] = (WAVEHDR){ .lpData = data[i], .dwBufferLength = HDR_BYTES };
		check("waveOutPrepareHeader", waveOutPrepareHeader(hwo, &h[i], sizeof(h[i])),
		      MMSYSERR_NOERROR);
		check("prepared flags", h[i].dwFlags, WHDR_PREPARED);
	}
	check("prepare twice is a no-op", waveOutPrepareHeader(hwo, &h[0], sizeof(h[0])),
	      MMSYSERR_NOERROR);

	play.write_from_callback = &h[1];
	check("waveOutWrite", waveOutWrite(hwo, &h[0], sizeof(h[0])), MMSYSERR_NOERROR);
	check("write from inside WOM_DONE", play.nested_write, MMSYSERR_NOERROR);
	check("position from inside WOM_DONE", play.nested_pos, MMSYSERR_NOERROR);
	check("WOM_DONE count", play.n_done, 2);
	check_true("WOM_DONE order", play.done[0] == &h[0] && play.done[1] == &h[1]);
	check("done flags", h[0].dwFlags, WHDR_PREPARED | WHDR_DONE);
	UINT type;
	check("position bytes", position(hwo, TIME_BYTES, NULL), 2 * HDR_BYTES);
	check("position samples", position(hwo, TIME_SAMPLES, NULL), 2 * HDR_BYTES / 4);
	check("position TIME_MIDI answered in bytes", position(hwo, TIME_MIDI, &type),
	      2 * HDR_BYTES);
	check("TIME_MIDI rewritten", type, TIME_BYTES);
	MMTIME t = { .wType = TIME_BYTES };
	check("short MMTIME (driver's answer)", waveOutGetPosition(hwo, &t, sizeof(t) - 1),
	      MMSYSERR_ERROR);
	check("NULL MMTIME", waveOutGetPosition(hwo, NULL, sizeof(t)), MMSYSERR_INVALPARAM);

	play_transport(hwo, h);
	play_controls(hwo);

	for (int i = 0; i < N_HDR; i++) {
		check("waveOutUnprepareHeader", waveOutUnprepareHeader(hwo, &h[i], sizeof(h[i])),
		      MMSYSERR_NOERROR);
		check("unprepared flags", h[i].dwFlags & WHDR_PREPARED, 0);
	}
	check("unprepare twice is a no-op", waveOutUnprepareHeader(hwo, &h[0], sizeof(h[0])),
	      MMSYSERR_NOERROR);
	check("waveOutClose", waveOutClose(hwo), MMSYSERR_NOERROR);
	check("WOM_CLOSE once, on the closing thread", play.n_close * 10 + play.n_close_on_main,
	      11);
	check("closed: waveOutWrite", waveOutWrite(hwo, &h[0], sizeof(h[0])), MMSYSERR_INVALHANDLE);
	check("closed: waveOutClose", waveOutClose(hwo), MMSYSERR_INVALHANDLE);
	check("closed: waveOutGetID", waveOutGetID(hwo, &id), MMSYSERR_INVALHANDLE);
	check("closed: waveOutReset", waveOutReset(hwo), MMSYSERR_INVALHANDLE);
}

/* ---- event ---- */

static bool wait_done(WAVEHDR *h, int n, HANDLE event)
{
	for (int tries = 0; tries < 200; tries++) {
		int done = 0;
		for (int i = 0; i < n; i++)
			done += (h[i].dwFlags & WHDR_DONE) != 0;
		if (done == n)
			return true;
		WaitForSingleObject(event, 10);
	}
	return false;
}

static void scenario_event(void)
{
	static char data[N_HDR][HDR_BYTES];
	HANDLE event = CreateEventW(NULL, FALSE, FALSE, NULL);
	WAVEFORMATEX fmt = make_format(6, 48000, 16);
	HWAVEOUT hwo = NULL;
	check("waveOutOpen(2, 6 channels, CALLBACK_EVENT)",
	      waveOutOpen(&hwo, 2, &fmt, (DWORD_PTR)event, 0, CALLBACK_EVENT), MMSYSERR_NOERROR);
	check("WOM_OPEN sets the event", WaitForSingleObject(event, 2000), WAIT_OBJECT_0);
	WAVEHDR h[N_HDR];
	check("waveOutPause first", waveOutPause(hwo), MMSYSERR_NOERROR);
	for (int i = 0; i < N_HDR; i++) {
		h[i] = (WAVEHDR){ .lpData = data[i], .dwBufferLength = HDR_BYTES - 12 * i };
		check("prepare (by the driver)", waveOutPrepareHeader(hwo, &h[i], sizeof(h[i])),
		      MMSYSERR_NOERROR);
		check("write while paused", waveOutWrite(hwo, &h[i], sizeof(h[i])),
		      MMSYSERR_NOERROR);
		check("queued flags", h[i].dwFlags, WHDR_PREPARED | WHDR_INQUEUE);
	}
	check("no event while paused", WaitForSingleObject(event, 50), WAIT_TIMEOUT);
	check("waveOutRestart", waveOutRestart(hwo), MMSYSERR_NOERROR);
	check_true("all headers WHDR_DONE", wait_done(h, N_HDR, event));
	check("position", position(hwo, TIME_BYTES, NULL), 3 * HDR_BYTES - 36);
	check("position in ms", position(hwo, TIME_MS, NULL),
	      (3 * HDR_BYTES - 36) * 1000 / fmt.nAvgBytesPerSec);
	for (int i = 0; i < N_HDR; i++) {
		check("unprepare (by the driver)", waveOutUnprepareHeader(hwo, &h[i], sizeof(h[i])),
		      MMSYSERR_NOERROR);
		check("flags after unprepare", h[i].dwFlags, WHDR_DONE);
	}
	ResetEvent(event);
	check("waveOutClose", waveOutClose(hwo), MMSYSERR_NOERROR);
	check("WOM_CLOSE sets the event", WaitForSingleObject(event, 2000), WAIT_OBJECT_0);

	/* CALLBACK_NULL: only the flags tell. */
	WAVEFORMATEX mono = make_format(1, 8000, 8);
	check("waveOutOpen(0, mono, CALLBACK_NULL)",
	      waveOutOpen(&hwo, 0, &mono, 0, 0, CALLBACK_NULL), MMSYSERR_NOERROR);
	h[0] = (WAVEHDR){ .lpData = data[0], .dwBufferLength = 800 };
	check("prepare", waveOutPrepareHeader(hwo, &h[0], sizeof(h[0])), MMSYSERR_NOERROR);
	check("write", waveOutWrite(hwo, &h[0], sizeof(h[0])), MMSYSERR_NOERROR);
	check_true("done", wait_done(h, 1, event));
	check("unprepare", waveOutUnprepareHeader(hwo, &h[0], sizeof(h[0])), MMSYSERR_NOERROR);
	check("close", waveOutClose(hwo), MMSYSERR_NOERROR);
	CloseHandle(event);
}

/* ---- mapper and open errors ---- */

static UINT id_of(HWAVEOUT hwo)
{
	UINT id = 99;
	return waveOutGetID(hwo, &id) == MMSYSERR_NOERROR ? id : 99;
}

static void mapper_queries(void)
{
	HANDLE event = CreateEventW(NULL, FALSE, FALSE, NULL);
	WAVEFORMATEX mono = make_format(1, 44100, 16), six = make_format(6, 44100, 16);
	HWAVEOUT sentinel = (HWAVEOUT)(UINT_PTR)0xDEADF00D, h = sentinel;
	check("query mono on 0",
	      waveOutOpen(&h, 0, &mono, (DWORD_PTR)event, 0, CALLBACK_EVENT | WAVE_FORMAT_QUERY),
	      MMSYSERR_NOERROR);
	check_true("query leaves the handle untouched", h == sentinel);
	check("query makes no callback", WaitForSingleObject(event, 50), WAIT_TIMEOUT);
	check("query 6 channels on 0", waveOutOpen(&h, 0, &six, 0, 0, WAVE_FORMAT_QUERY),
	      WAVERR_BADFORMAT);
	check_true("failed query leaves the handle untouched", h == sentinel);
	check("query 6 channels on WAVE_MAPPER",
	      waveOutOpen(&h, WAVE_MAPPER, &six, 0, 0, WAVE_FORMAT_QUERY), MMSYSERR_NOERROR);
	check_true("mapper query leaves the handle untouched", h == sentinel);
	check("query with NULL handle pointer",
	      waveOutOpen(NULL, 1, &mono, 0, 0, WAVE_FORMAT_QUERY), MMSYSERR_NOERROR);
	CloseHandle(event);
}

static void mapper_errors(void)
{
	WAVEFORMATEX stereo = make_format(2, 44100, 16), s24 = make_format(2, 44100, 24);
	HWAVEOUT h = NULL;
	check("mapper, format nobody takes", waveOutOpen(&h, WAVE_MAPPER, &s24, 0, 0, 0),
	      WAVERR_BADFORMAT);
	check("device 99", waveOutOpen(&h, 99, &stereo, 0, 0, 0), MMSYSERR_BADDEVICEID);
	check("NULL handle pointer", waveOutOpen(NULL, 1, &stereo, 0, 0, 0), MMSYSERR_INVALPARAM);
	check("NULL format", waveOutOpen(&h, 1, NULL, 0, 0, 0), MMSYSERR_INVALPARAM);
	check("WAVE_MAPPED with WAVE_MAPPER",
	      waveOutOpen(&h, WAVE_MAPPER, &stereo, 0, 0, WAVE_MAPPED), MMSYSERR_INVALPARAM);
	check("CALLBACK_WINDOW with a junk window",
	      waveOutOpen(&h, 1, &stereo, 0x1234567, 0, CALLBACK_WINDOW), MMSYSERR_INVALPARAM);
	check("WAVE_MAPPED on device 1", waveOutOpen(&h, 1, &stereo, 0, 0, WAVE_MAPPED),
	      MMSYSERR_NOERROR);
	check("WAVE_MAPPED open's id", id_of(h), 1);
	check("close", waveOutClose(h), MMSYSERR_NOERROR);
}

/* A failed open must give its handle back: more failures than table slots. */
static void mapper_no_leak(void)
{
	WAVEFORMATEX stereo = make_format(2, 44100, 16);
	int failures = 0, wrong = 0;
	HWAVEOUT h;
	for (int i = 0; i < 5000; i++)
		failures += waveOutOpen(&h, 0, &stereo, 0, 0, 0) == WAVERR_BADFORMAT;
	check("5000 failed opens", failures, 5000);
	HWAVEOUT first = NULL, previous = NULL;
	for (int i = 0; i < 5000; i++) {
		if (waveOutOpen(&h, 1, &stereo, 0, 0, 0) != MMSYSERR_NOERROR ||
		    waveOutClose(h) != MMSYSERR_NOERROR || h == previous)
			wrong++;
		if (!first)
			first = h;
		previous = h;
	}
	check("5000 open/close pairs, each a new handle value", wrong, 0);
	check("a closed handle stays invalid", waveOutClose(first), MMSYSERR_INVALHANDLE);
}

static void scenario_mapper(void)
{
	WAVEFORMATEX stereo = make_format(2, 44100, 16), six = make_format(6, 44100, 16);
	HWAVEOUT h = NULL;
	check("mapper stereo", waveOutOpen(&h, WAVE_MAPPER, &stereo, 0, 0, 0), MMSYSERR_NOERROR);
	check("mapper skipped the mono-only device 0", id_of(h), 1);
	printf("info mapper stereo handle %#llx\n", hv(h));
	check("close", waveOutClose(h), MMSYSERR_NOERROR);
	check("mapper 6 channels", waveOutOpen(&h, WAVE_MAPPER, &six, 0, 0, 0), MMSYSERR_NOERROR);
	check("mapper went on to the second driver", id_of(h), 2);
	check("close", waveOutClose(h), MMSYSERR_NOERROR);
	HWAVEIN hwi = NULL;
	UINT id = 99;
	check("waveIn mapper stereo", waveInOpen(&hwi, WAVE_MAPPER, &stereo, 0, 0, 0),
	      MMSYSERR_NOERROR);
	check("waveInGetID", waveInGetID(hwi, &id), MMSYSERR_NOERROR);
	check("waveIn mapper id", id, 1);
	check("waveInClose", waveInClose(hwi), MMSYSERR_NOERROR);
	mapper_queries();
	mapper_errors();
	mapper_no_leak();
}

/* ---- record ---- */

static struct {
	DWORD main_thread;
	int n_open, n_close, n_data, n_on_main;
	WAVEHDR *data[8];
	MMRESULT nested_pos;
} rec;

static void CALLBACK in_callback(HWAVEIN hwi, UINT msg, DWORD_PTR instance, DWORD_PTR p1,
				 DWORD_PTR p2)
{
	(void)instance;
	(void)p2;
	rec.n_on_main += GetCurrentThreadId() == rec.main_thread;
	if (msg == WIM_OPEN)
		rec.n_open++;
	else if (msg == WIM_CLOSE)
		rec.n_close++;
	else if (msg == WIM_DATA && rec.n_data < 8) {
		MMTIME t = { .wType = TIME_BYTES };
		rec.data[rec.n_data++] = (WAVEHDR *)p1;
		rec.nested_pos = waveInGetPosition(hwi, &t, sizeof(t));
	}
}

static bool pattern_ok(const WAVEHDR *h, unsigned first)
{
	for (DWORD i = 0; i < h->dwBytesRecorded; i++)
		if ((BYTE)h->lpData[i] != (BYTE)(first + i))
			return false;
	return true;
}

static void record_function(void)
{
	static char data[2][64];
	WAVEFORMATEX fmt = make_format(2, 48000, 16);
	HWAVEIN hwi = NULL;
	rec.main_thread = GetCurrentThreadId();
	check("waveInOpen(1, CALLBACK_FUNCTION)",
	      waveInOpen(&hwi, 1, &fmt, (DWORD_PTR)in_callback, 7, CALLBACK_FUNCTION),
	      MMSYSERR_NOERROR);
	printf("info in handle %#llx\n", hv(hwi));
	check("WIM_OPEN", rec.n_open, 1);
	WAVEHDR h[2];
	for (int i = 0; i < 2; i++) {
		h[i] = (WAVEHDR){ .lpData = data[i], .dwBufferLength = 64 };
		check("waveInPrepareHeader", waveInPrepareHeader(hwi, &h[i], sizeof(h[i])),
		      MMSYSERR_NOERROR);
		check("waveInAddBuffer", waveInAddBuffer(hwi, &h[i], sizeof(h[i])),
		      MMSYSERR_NOERROR);
		check("queued flags", h[i].dwFlags, WHDR_PREPARED | WHDR_INQUEUE);
	}
	check("no data before start", rec.n_data, 0);
	check("waveInStart", waveInStart(hwi), MMSYSERR_NOERROR);
	check("WIM_DATA twice", rec.n_data, 2);
	check_true("WIM_DATA in order", rec.data[0] == &h[0] && rec.data[1] == &h[1]);
	check("position from inside WIM_DATA", rec.nested_pos, MMSYSERR_NOERROR);
	check("bytes recorded", h[0].dwBytesRecorded + h[1].dwBytesRecorded, 128);
	check_true("recorded data is the driver's pattern",
		   pattern_ok(&h[0], 0) && pattern_ok(&h[1], 64));
	check("flags", h[1].dwFlags, WHDR_PREPARED | WHDR_DONE);
	MMTIME t = { .wType = TIME_BYTES };
	check("waveInGetPosition", waveInGetPosition(hwi, &t, sizeof(t)), MMSYSERR_NOERROR);
	check("position", t.u.cb, 128);
	check("waveInStop", waveInStop(hwi), MMSYSERR_NOERROR);
	check("add while stopped", waveInAddBuffer(hwi, &h[0], sizeof(h[0])), MMSYSERR_NOERROR);
	check("unprepare queued", waveInUnprepareHeader(hwi, &h[0], sizeof(h[0])),
	      WAVERR_STILLPLAYING);
	check("close with a queued buffer", waveInClose(hwi), WAVERR_STILLPLAYING);
	check("waveInReset", waveInReset(hwi), MMSYSERR_NOERROR);
	check("reset returns it empty", h[0].dwBytesRecorded * 100 + (h[0].dwFlags & WHDR_DONE), 1);
	check("WIM_DATA after reset", rec.n_data, 3);
	WAVEHDR unprepared = { .lpData = data[0], .dwBufferLength = 64 };
	check("add unprepared", waveInAddBuffer(hwi, &unprepared, sizeof(unprepared)),
	      WAVERR_UNPREPARED);
	check("add NULL", waveInAddBuffer(hwi, NULL, sizeof(WAVEHDR)), MMSYSERR_INVALPARAM);
	check("add short size", waveInAddBuffer(hwi, &h[1], sizeof(WAVEHDR) - 1),
	      MMSYSERR_INVALPARAM);
	check("waveInMessage(handle, private)", waveInMessage(hwi, SUM_MSG, 1, 2), 3);
	for (int i = 0; i < 2; i++)
		check("waveInUnprepareHeader", waveInUnprepareHeader(hwi, &h[i], sizeof(h[i])),
		      MMSYSERR_NOERROR);
	check("waveInClose", waveInClose(hwi), MMSYSERR_NOERROR);
	check("WIM_CLOSE", rec.n_close, 1);
	check("every callback on the calling thread", rec.n_on_main, 5);
}

static void record_event_and_directions(void)
{
	static char data[256];
	HANDLE event = CreateEventW(NULL, FALSE, FALSE, NULL);
	WAVEFORMATEX fmt = make_format(1, 16000, 16);
	HWAVEIN hwi = NULL;
	check("waveInOpen(2, CALLBACK_EVENT)",
	      waveInOpen(&hwi, 2, &fmt, (DWORD_PTR)event, 0, CALLBACK_EVENT), MMSYSERR_NOERROR);
	WAVEHDR h = { .lpData = data, .dwBufferLength = sizeof(data) };
	check("prepare (by the driver)", waveInPrepareHeader(hwi, &h, sizeof(h)), MMSYSERR_NOERROR);
	check("start", waveInStart(hwi), MMSYSERR_NOERROR);
	check("add while started", waveInAddBuffer(hwi, &h, sizeof(h)), MMSYSERR_NOERROR);
	check_true("filled", wait_done(&h, 1, event) && h.dwBytesRecorded == sizeof(data));

	HWAVEOUT hwo = NULL;
	WAVEFORMATEX mono = make_format(1, 8000, 8);
	check("waveOutOpen(0)", waveOutOpen(&hwo, 0, &mono, 0, 0, 0), MMSYSERR_NOERROR);
	check("waveInStart(an output handle)", waveInStart((HWAVEIN)hwo), MMSYSERR_INVALHANDLE);
	check("waveInClose(an output handle)", waveInClose((HWAVEIN)hwo), MMSYSERR_INVALHANDLE);
	check("waveOutPause(an input handle)", waveOutPause((HWAVEOUT)hwi), MMSYSERR_INVALHANDLE);
	check("waveOutClose(an input handle)", waveOutClose((HWAVEOUT)hwi), MMSYSERR_INVALHANDLE);
	check("waveOutClose", waveOutClose(hwo), MMSYSERR_NOERROR);
	check("stop", waveInStop(hwi), MMSYSERR_NOERROR);
	check("unprepare (by the driver)", waveInUnprepareHeader(hwi, &h, sizeof(h)),
	      MMSYSERR_NOERROR);
	check("waveInClose", waveInClose(hwi), MMSYSERR_NOERROR);
	CloseHandle(event);
}

static void scenario_record(void)
{
	record_function();
	record_event_and_directions();
}

/* ---- bad handles and arguments ---- */

static void bad_out_handle(const char *what, HWAVEOUT h)
{
	char data[16];
	WAVEHDR hdr = { .lpData = data, .dwBufferLength = sizeof(data), .dwFlags = WHDR_PREPARED };
	MMTIME t = { .wType = TIME_BYTES };
	DWORD d;
	UINT id;
	MMRESULT r[] = {
		waveOutClose(h),
		waveOutPrepareHeader(h, &hdr, sizeof(hdr)),
		waveOutUnprepareHeader(h, &hdr, sizeof(hdr)),
		waveOutWrite(h, &hdr, sizeof(hdr)),
		waveOutPause(h),
		waveOutRestart(h),
		waveOutReset(h),
		waveOutBreakLoop(h),
		waveOutGetPosition(h, &t, sizeof(t)),
		waveOutGetPitch(h, &d),
		waveOutSetPitch(h, 0x10000),
		waveOutGetPlaybackRate(h, &d),
		waveOutSetPlaybackRate(h, 0x10000),
		waveOutGetID(h, &id),
	};
	int wrong = 0;
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		wrong += r[i] != MMSYSERR_INVALHANDLE;
	char line[128];
	snprintf(line, sizeof(line), "every waveOut call on %s is MMSYSERR_INVALHANDLE", what);
	check(line, wrong, 0);
	check_true("the header was not touched", hdr.dwFlags == WHDR_PREPARED);
}

static void bad_in_handle(const char *what, HWAVEIN h)
{
	char data[16];
	WAVEHDR hdr = { .lpData = data, .dwBufferLength = sizeof(data), .dwFlags = WHDR_PREPARED };
	MMTIME t = { .wType = TIME_BYTES };
	UINT id;
	MMRESULT r[] = {
		waveInClose(h),
		waveInPrepareHeader(h, &hdr, sizeof(hdr)),
		waveInUnprepareHeader(h, &hdr, sizeof(hdr)),
		waveInAddBuffer(h, &hdr, sizeof(hdr)),
		waveInStart(h),
		waveInStop(h),
		waveInReset(h),
		waveInGetPosition(h, &t, sizeof(t)),
		waveInGetID(h, &id),
	};
	int wrong = 0;
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		wrong += r[i] != MMSYSERR_INVALHANDLE;
	char line[128];
	snprintf(line, sizeof(line), "every waveIn call on %s is MMSYSERR_INVALHANDLE", what);
	check(line, wrong, 0);
}

static void bad_headers(void)
{
	char data[16];
	WAVEFORMATEX fmt = make_format(2, 48000, 16);
	HWAVEOUT hwo = NULL;
	check("waveOutOpen(1)", waveOutOpen(&hwo, 1, &fmt, 0, 0, CALLBACK_NULL), MMSYSERR_NOERROR);
	WAVEHDR hdr = { .lpData = data, .dwBufferLength = sizeof(data) };
	UINT small = sizeof(WAVEHDR) - 1;
	check("prepare NULL", waveOutPrepareHeader(hwo, NULL, sizeof(hdr)), MMSYSERR_INVALPARAM);
	check("prepare short size", waveOutPrepareHeader(hwo, &hdr, small), MMSYSERR_INVALPARAM);
	check("unprepare NULL", waveOutUnprepareHeader(hwo, NULL, sizeof(hdr)),
	      MMSYSERR_INVALPARAM);
	check("unprepare short size", waveOutUnprepareHeader(hwo, &hdr, small),
	      MMSYSERR_INVALPARAM);
	check("write NULL", waveOutWrite(hwo, NULL, sizeof(hdr)), MMSYSERR_INVALPARAM);
	check("write short size", waveOutWrite(hwo, &hdr, small), MMSYSERR_INVALPARAM);
	check("write unprepared", waveOutWrite(hwo, &hdr, sizeof(hdr)), WAVERR_UNPREPARED);
	check("unprepare unprepared (no-op)", waveOutUnprepareHeader(hwo, &hdr, sizeof(hdr)),
	      MMSYSERR_NOERROR);
	check("GetPosition NULL", waveOutGetPosition(hwo, NULL, sizeof(MMTIME)),
	      MMSYSERR_INVALPARAM);
	check("GetID NULL", waveOutGetID(hwo, NULL), MMSYSERR_INVALPARAM);
	check("GetPlaybackRate NULL", waveOutGetPlaybackRate(hwo, NULL), MMSYSERR_INVALPARAM);
	check_true("the header was not touched", hdr.dwFlags == 0);
	check("waveOutClose", waveOutClose(hwo), MMSYSERR_NOERROR);
	bad_out_handle("the closed handle", hwo);
	check("waveOutGetVolume(closed handle)", waveOutGetVolume(hwo, &(DWORD){ 0 }),
	      MMSYSERR_INVALHANDLE);
	check("waveOutMessage(closed handle)", waveOutMessage(hwo, SUM_MSG, 1, 2),
	      MMSYSERR_INVALHANDLE);
}

static void scenario_bad(void)
{
	bad_out_handle("NULL", NULL);
	bad_out_handle("0x12345678", (HWAVEOUT)(UINT_PTR)0x12345678);
	bad_out_handle("a pointer-like value", (HWAVEOUT)&n_checks);
	bad_out_handle("device id 1", (HWAVEOUT)(UINT_PTR)1);
	bad_out_handle("WAVE_MAPPER", (HWAVEOUT)(UINT_PTR)WAVE_MAPPER);
	/* The layout of a real handle (generation 1, slot 1), never opened. */
	bad_out_handle("a forged handle 0x2001", (HWAVEOUT)(UINT_PTR)0x2001);
	bad_in_handle("NULL", NULL);
	bad_in_handle("0x12345678", (HWAVEIN)(UINT_PTR)0x12345678);
	bad_in_handle("a forged handle 0x3001", (HWAVEIN)(UINT_PTR)0x3001);
	DWORD v;
	check("waveOutGetVolume(junk)", waveOutGetVolume((HWAVEOUT)(UINT_PTR)0x12345678, &v),
	      MMSYSERR_INVALHANDLE);
	check("waveOutSetVolume(junk)", waveOutSetVolume((HWAVEOUT)(UINT_PTR)0x12345678, 0),
	      MMSYSERR_INVALHANDLE);
	/* (NULL and small values are device ids to the *Message functions.) */
	check("waveOutMessage(junk)", waveOutMessage((HWAVEOUT)(UINT_PTR)0x12345678, SUM_MSG, 1, 2),
	      MMSYSERR_INVALHANDLE);
	check("waveInMessage(junk)", waveInMessage((HWAVEIN)(UINT_PTR)0x3001, SUM_MSG, 1, 2),
	      MMSYSERR_INVALHANDLE);
	bad_headers();
}

/* ---- threads ---- */

#define N_THREADS 8
#define N_ROUNDS 25

static HANDLE gate;
static LONG thread_failures;

static DWORD WINAPI thread_main(void *arg)
{
	UINT t = (UINT)(UINT_PTR)arg;
	char data[256];
	WaitForSingleObject(gate, INFINITE);
	if (waveOutGetNumDevs() != 3)
		InterlockedIncrement(&thread_failures);
	HANDLE event = CreateEventW(NULL, FALSE, FALSE, NULL);
	WAVEFORMATEX fmt = make_format(1, 8000, 16);
	for (int round = 0; round < N_ROUNDS; round++) {
		HWAVEOUT hwo;
		WAVEHDR h = { .lpData = data, .dwBufferLength = sizeof(data) };
		bool ok = waveOutOpen(&hwo, t % 3, &fmt, (DWORD_PTR)event, 0, CALLBACK_EVENT) ==
				  MMSYSERR_NOERROR &&
			  waveOutPrepareHeader(hwo, &h, sizeof(h)) == MMSYSERR_NOERROR &&
			  waveOutWrite(hwo, &h, sizeof(h)) == MMSYSERR_NOERROR &&
			  wait_done(&h, 1, event) &&
			  waveOutUnprepareHeader(hwo, &h, sizeof(h)) == MMSYSERR_NOERROR &&
			  waveOutClose(hwo) == MMSYSERR_NOERROR;
		if (!ok)
			InterlockedIncrement(&thread_failures);
	}
	CloseHandle(event);
	return 0;
}

static void scenario_threads(void)
{
	HANDLE threads[N_THREADS];
	gate = CreateEventW(NULL, TRUE, FALSE, NULL);
	for (UINT i = 0; i < N_THREADS; i++)
		threads[i] = CreateThread(NULL, 0, thread_main, (void *)(UINT_PTR)i, 0, NULL);
	SetEvent(gate);
	check("threads finished", WaitForMultipleObjects(N_THREADS, threads, TRUE, 60000),
	      WAIT_OBJECT_0);
	check("failed rounds", thread_failures, 0);
	for (int i = 0; i < N_THREADS; i++)
		CloseHandle(threads[i]);
}

/* ---- caps: GetDevCaps with a handle in place of the device id ---- */

static void scenario_caps(void)
{
	WAVEFORMATEX stereo = make_format(2, 48000, 16), six = make_format(6, 48000, 16);
	HWAVEOUT hwo = NULL, mapped = NULL;
	HWAVEIN hwi = NULL;
	WAVEOUTCAPSW out_id, out_handle;
	WAVEOUTCAPSA out_a;
	WAVEINCAPSW in_id, in_handle;
	WAVEINCAPSA in_a;
	check("waveOutOpen(1)", waveOutOpen(&hwo, 1, &stereo, 0, 0, CALLBACK_NULL),
	      MMSYSERR_NOERROR);
	check("waveOutGetDevCapsW(1)", waveOutGetDevCapsW(1, &out_id, sizeof(out_id)),
	      MMSYSERR_NOERROR);
	memset(&out_handle, 0xCC, sizeof(out_handle));
	check("waveOutGetDevCapsW(handle)",
	      waveOutGetDevCapsW((UINT_PTR)hwo, &out_handle, sizeof(out_handle)), MMSYSERR_NOERROR);
	check_true("caps by handle are device 1's",
		   memcmp(&out_id, &out_handle, sizeof(out_id)) == 0);
	check("waveOutGetDevCapsA(handle)", waveOutGetDevCapsA((UINT_PTR)hwo, &out_a, sizeof(out_a)),
	      MMSYSERR_NOERROR);
	printf("info out handle caps A '%s' channels=%u\n", out_a.szPname, out_a.wChannels);
	check("waveInGetDevCapsW(out handle)",
	      waveInGetDevCapsW((UINT_PTR)hwo, &in_handle, sizeof(in_handle)), MMSYSERR_BADDEVICEID);

	/* Through the mapper, six channels open global device 2 (B's device 0). */
	check("waveOutOpen(WAVE_MAPPER, 6 channels)",
	      waveOutOpen(&mapped, WAVE_MAPPER, &six, 0, 0, CALLBACK_NULL), MMSYSERR_NOERROR);
	check("waveOutGetDevCapsW(2)", waveOutGetDevCapsW(2, &out_id, sizeof(out_id)),
	      MMSYSERR_NOERROR);
	check("waveOutGetDevCapsW(mapped handle)",
	      waveOutGetDevCapsW((UINT_PTR)mapped, &out_handle, sizeof(out_handle)),
	      MMSYSERR_NOERROR);
	printf("info mapped handle caps W '%ls' channels=%u\n", out_handle.szPname,
	       out_handle.wChannels);
	check_true("caps by mapped handle are the opened device's",
		   memcmp(&out_id, &out_handle, sizeof(out_id)) == 0);
	check("waveOutClose(mapped)", waveOutClose(mapped), MMSYSERR_NOERROR);
	check("waveOutClose", waveOutClose(hwo), MMSYSERR_NOERROR);
	check("waveOutGetDevCapsW(closed handle)",
	      waveOutGetDevCapsW((UINT_PTR)hwo, &out_handle, sizeof(out_handle)),
	      MMSYSERR_BADDEVICEID);

	check("waveInOpen(1)", waveInOpen(&hwi, 1, &stereo, 0, 0, CALLBACK_NULL), MMSYSERR_NOERROR);
	check("waveInGetDevCapsW(1)", waveInGetDevCapsW(1, &in_id, sizeof(in_id)),
	      MMSYSERR_NOERROR);
	memset(&in_handle, 0xCC, sizeof(in_handle));
	check("waveInGetDevCapsW(handle)",
	      waveInGetDevCapsW((UINT_PTR)hwi, &in_handle, sizeof(in_handle)), MMSYSERR_NOERROR);
	check_true("in caps by handle are device 1's", memcmp(&in_id, &in_handle, sizeof(in_id)) == 0);
	check("waveInGetDevCapsA(handle)", waveInGetDevCapsA((UINT_PTR)hwi, &in_a, sizeof(in_a)),
	      MMSYSERR_NOERROR);
	printf("info in handle caps A '%s'\n", in_a.szPname);
	check("waveOutGetDevCapsW(in handle)",
	      waveOutGetDevCapsW((UINT_PTR)hwi, &out_handle, sizeof(out_handle)),
	      MMSYSERR_BADDEVICEID);
	check("waveInClose", waveInClose(hwi), MMSYSERR_NOERROR);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} scenarios[] = {
		{ "enum", scenario_enum },	 { "play", scenario_play },
		{ "event", scenario_event },	 { "mapper", scenario_mapper },
		{ "record", scenario_record },	 { "bad", scenario_bad },
		{ "threads", scenario_threads }, { "caps", scenario_caps },
	};
	setvbuf(stdout, NULL, _IONBF, 0);
	for (size_t i = 0; argc == 2 && i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		if (strcmp(argv[1], scenarios[i].name) != 0)
			continue;
		scenarios[i].run();
		printf("winmm_client %s: %d checks, %d failed\n", argv[1], n_checks, n_failed);
		return n_failed;
	}
	fprintf(stderr, "usage: winmm_client.exe enum|play|event|mapper|record|bad|threads|caps\n");
	return 100;
}
