/* SPDX-License-Identifier: MIT */
/*
 * lc_harden.exe — what a winmm client may do to a driver that the driver must survive:
 * take its own lock in a callback, reuse or free a header the moment it is done, close
 * a handle another thread is using, change a header after submitting it.  An ordinary
 * winmm program on "LoopCable 1" (the test winmm loads loopcable.dll), except the
 * "handles" case, which calls the loaded driver's wodMessage/widMessage itself: the
 * race it provokes is inside the driver, and winmm's own handle table would hide it.
 *
 *   lc_harden.exe lock SRC ACTION        SRC out|in: the stream whose callback takes
 *                                        the program's lock; ACTION open-out,
 *                                        close-out, open-in, close-in on another stream
 *   lc_harden.exe reset200 DIR KIND ABUSE
 *                                        200 queued headers reset; DIR out|in; KIND
 *                                        null|function|event|window|thread; ABUSE
 *                                        none|scribble|free|readd (what the client
 *                                        does to a header once it is DONE)
 *   lc_harden.exe close-race DIR KIND    reset + close while completions are in flight
 *   lc_harden.exe handles DIR            calls racing a close of their handle
 *   lc_harden.exe fields NAME            header fields changed after submit: out-grow
 *                                        out-shrink out-loops out-flags in-recorded
 *                                        in-grow loop-spin
 *
 * Prints "ok NAME" / "FAIL NAME: ..." per check and "lc_harden: N checks, M failed";
 * the exit code is M (at most 255).  Every step runs under a watchdog: a step that
 * does not finish within its bound prints "HANG <step>" and the process ends with
 * code 3, so a deadlock fails its test instead of blocking the suite.  A crash prints
 * "CRASH <code> at <address> during <step>" and ends with code 4.
 */
#include "cable_client.h"

#include <mmddk.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The cable's own format: s16 48 kHz stereo. */
#define RATE 48000
#define BLOCK 4
#define MS_BYTES(ms) ((DWORD)((ms) * (RATE / 1000) * BLOCK))
#define INSTANCE ((DWORD_PTR)0x4A4D3D5u)
#define N_RESET 200
#define STEP_MS 10000

/* ---- reporting, watchdog, crashes ------------------------------------------------------ */

static int n_checks, n_failed;

static bool check(bool ok, const char *name, const char *fail_fmt, ...)
	__attribute__((format(gnu_printf, 3, 4)));

static bool check(bool ok, const char *name, const char *fail_fmt, ...)
{
	n_checks++;
	if (ok) {
		printf("ok %s\n", name);
	} else {
		n_failed++;
		printf("FAIL %s: ", name);
		va_list ap;
		va_start(ap, fail_fmt);
		vprintf(fail_fmt, ap);
		va_end(ap);
		putchar('\n');
	}
	fflush(stdout);
	return ok;
}

static bool check_mm(const char *name, MMRESULT got, MMRESULT want)
{
	return check(got == want, name, "got %u want %u", got, want);
}

static double now_ms(void)
{
	return (double)client_now_us() / 1000.0;
}

static const char *volatile step_name = "start";
static volatile LONG64 step_deadline; /* ms; 0: disarmed */

/* Names the step under way and bounds it (ms; 0 disarms). */
static void step(const char *name, DWORD bound_ms)
{
	step_name = name;
	InterlockedExchange64(&step_deadline, bound_ms ? (LONG64)now_ms() + bound_ms : 0);
}

/* The last words of a hung or crashed process, written past the C runtime: a thread
 * stuck or crashed inside printf may hold its lock. */
static void last_words(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));

static void last_words(const char *fmt, ...)
{
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(text, sizeof(text) - 64, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n > (int)sizeof(text) - 64)
		n = (int)sizeof(text) - 64;
	n += snprintf(text + n, 64, "lc_harden: %d checks, %d failed\n", n_checks, n_failed + 1);
	DWORD written;
	WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), text, (DWORD)n, &written, NULL);
}

static DWORD WINAPI watchdog_main(void *arg)
{
	(void)arg;
	for (;;) {
		Sleep(50);
		LONG64 deadline = InterlockedCompareExchange64(&step_deadline, 0, 0);
		if (deadline && (LONG64)now_ms() > deadline) {
			last_words("HANG %s\n", step_name);
			/* Not ExitProcess: DLL detach code could wait on the deadlock too. */
			TerminateProcess(GetCurrentProcess(), 3);
		}
	}
	return 0;
}

static LONG WINAPI crash_filter(EXCEPTION_POINTERS *info)
{
	void *at = info->ExceptionRecord->ExceptionAddress;
	HMODULE module = NULL;
	char path[MAX_PATH] = "?";
	if (GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS
			       | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, at, &module))
		GetModuleFileNameA(module, path, sizeof(path));
	const char *base = strrchr(path, '\\');
	last_words("CRASH 0x%08lx at %p (%s+0x%llx) during %s\n",
		   (unsigned long)info->ExceptionRecord->ExceptionCode, at, base ? base + 1 : path,
		   (unsigned long long)((BYTE *)at - (BYTE *)module), step_name);
	TerminateProcess(GetCurrentProcess(), 4);
	return EXCEPTION_EXECUTE_HANDLER;
}

/* ---- devices, headers -------------------------------------------------------------------- */

static UINT out_id, in_id;
static WAVEFORMATEX fmt = { WAVE_FORMAT_PCM, 2, RATE, RATE * BLOCK, BLOCK, 16, 0 };
static SYSTEM_INFO sys;

static bool find_devices(void)
{
	out_id = in_id = (UINT)-1;
	for (UINT i = 0; i < waveOutGetNumDevs(); i++) {
		WAVEOUTCAPSW caps;
		if (waveOutGetDevCapsW(i, &caps, sizeof(caps)) == MMSYSERR_NOERROR
		    && !wcscmp(caps.szPname, L"LoopCable 1"))
			out_id = i;
	}
	for (UINT i = 0; i < waveInGetNumDevs(); i++) {
		WAVEINCAPSW caps;
		if (waveInGetDevCapsW(i, &caps, sizeof(caps)) == MMSYSERR_NOERROR
		    && !wcscmp(caps.szPname, L"LoopCable 1"))
			in_id = i;
	}
	return check(out_id != (UINT)-1 && in_id != (UINT)-1, "setup.loopcable_1_found",
		     "got out %d in %d", (int)out_id, (int)in_id);
}

/* `bytes` whose last byte is followed by a PAGE_NOACCESS page: reading or writing one
 * byte past the end crashes the process. */
static BYTE *guarded_alloc(DWORD bytes)
{
	SIZE_T page = sys.dwPageSize;
	SIZE_T body = (bytes + page - 1) / page * page;
	BYTE *base = VirtualAlloc(NULL, body + page, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
	DWORD old;
	if (!base || !VirtualProtect(base + body, page, PAGE_NOACCESS, &old)) {
		printf("FAIL setup.guarded_alloc: %lu\n", GetLastError());
		ExitProcess(5);
	}
	return base + body - bytes;
}

static void guarded_free(BYTE *data, DWORD bytes)
{
	SIZE_T page = sys.dwPageSize;
	SIZE_T body = (bytes + page - 1) / page * page;
	VirtualFree(data + bytes - body, 0, MEM_RELEASE);
}

/* A header and its data on pages of their own, so that the client can free it alone. */
static WAVEHDR *page_hdr(DWORD bytes)
{
	WAVEHDR *h = VirtualAlloc(NULL, sizeof(WAVEHDR) + bytes, MEM_RESERVE | MEM_COMMIT,
				  PAGE_READWRITE);
	if (!h) {
		printf("FAIL setup.page_hdr: %lu\n", GetLastError());
		ExitProcess(5);
	}
	h->lpData = (LPSTR)(h + 1);
	h->dwBufferLength = bytes;
	return h;
}

/* An address that faults: what a scribbling client leaves in lpNext. */
static WAVEHDR *poison;

static void make_poison(void)
{
	poison = VirtualAlloc(NULL, sys.dwPageSize, MEM_RESERVE, PAGE_NOACCESS);
}

/* ---- callbacks: one log for every kind ---------------------------------------------------- */

enum kind { K_NULL, K_FUNCTION, K_EVENT, K_WINDOW, K_THREAD };
static const char *const kind_names[] = { "null", "function", "event", "window", "thread" };

#define LOG_MAX 4096
static struct { UINT msg; DWORD_PTR param1; } cb_log[LOG_MAX];
static volatile LONG cb_n;
static SRWLOCK cb_lock = SRWLOCK_INIT;
static HANDLE cb_event, wake;
static HWND cb_window;
static DWORD main_tid;
/* On WOM_DONE / WIM_DATA of a CALLBACK_FUNCTION, after logging: what the client does
 * from inside its callback. */
static void (*done_hook)(WAVEHDR *hdr);

static void log_reset(void)
{
	AcquireSRWLockExclusive(&cb_lock);
	cb_n = 0;
	ReleaseSRWLockExclusive(&cb_lock);
}

static void log_add(UINT msg, DWORD_PTR param1)
{
	AcquireSRWLockExclusive(&cb_lock);
	if (cb_n < LOG_MAX) {
		cb_log[cb_n].msg = msg;
		cb_log[cb_n].param1 = param1;
	}
	cb_n++;
	ReleaseSRWLockExclusive(&cb_lock);
	SetEvent(wake);
}

static void CALLBACK function_cb(HANDLE device, UINT msg, DWORD_PTR instance, DWORD_PTR param1,
				 DWORD_PTR param2)
{
	(void)device; (void)instance; (void)param2;
	log_add(msg, param1);
	if ((msg == WOM_DONE || msg == WIM_DATA) && done_hook)
		done_hook((WAVEHDR *)param1);
}

static bool is_mm_msg(UINT msg)
{
	return msg >= MM_WOM_OPEN && msg <= MM_WIM_DATA;
}

static LRESULT CALLBACK window_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
	if (is_mm_msg(msg)) {
		log_add(msg, (DWORD_PTR)lparam);
		return 0;
	}
	return DefWindowProcW(hwnd, msg, wparam, lparam);
}

static void pump_messages(void)
{
	MSG msg;
	while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
		if (!msg.hwnd && is_mm_msg(msg.message))
			log_add(msg.message, (DWORD_PTR)msg.lParam);
		else
			DispatchMessageW(&msg);
	}
}

/* Delivers posted callbacks for `ms`. */
static void watch(double ms)
{
	double end = now_ms() + ms;
	for (double left = ms; left > 0; left = end - now_ms()) {
		pump_messages();
		MsgWaitForMultipleObjects(1, &wake, FALSE, (DWORD)left + 1, QS_ALLINPUT);
	}
	pump_messages();
}

static DWORD_PTR kind_target(enum kind k, DWORD *flags)
{
	static const DWORD kind_flags[] = { CALLBACK_NULL, CALLBACK_FUNCTION, CALLBACK_EVENT,
					    CALLBACK_WINDOW, CALLBACK_THREAD };
	*flags = kind_flags[k];
	switch (k) {
	case K_FUNCTION: return (DWORD_PTR)function_cb;
	case K_EVENT: return (DWORD_PTR)cb_event;
	case K_WINDOW: return (DWORD_PTR)cb_window;
	case K_THREAD: return main_tid;
	default: return 0;
	}
}

static bool kind_carries_messages(enum kind k)
{
	return k == K_FUNCTION || k == K_WINDOW || k == K_THREAD;
}

/* One direction's calls, so that every case is written once for both. */
struct dir {
	bool out;
	const char *name;
	UINT open_msg, close_msg, done_msg;
};
static const struct dir dir_out = { true, "out", WOM_OPEN, WOM_CLOSE, WOM_DONE };
static const struct dir dir_in = { false, "in", WIM_OPEN, WIM_CLOSE, WIM_DATA };

static MMRESULT d_open(const struct dir *d, HANDLE *h, DWORD_PTR callback, DWORD flags)
{
	if (d->out)
		return waveOutOpen((HWAVEOUT *)h, out_id, &fmt, callback, INSTANCE, flags);
	return waveInOpen((HWAVEIN *)h, in_id, &fmt, callback, INSTANCE, flags);
}

static MMRESULT d_close(const struct dir *d, HANDLE h)
{
	return d->out ? waveOutClose(h) : waveInClose(h);
}

static MMRESULT d_prepare(const struct dir *d, HANDLE h, WAVEHDR *hdr)
{
	return d->out ? waveOutPrepareHeader(h, hdr, sizeof(*hdr))
		      : waveInPrepareHeader(h, hdr, sizeof(*hdr));
}

static MMRESULT d_unprepare(const struct dir *d, HANDLE h, WAVEHDR *hdr)
{
	return d->out ? waveOutUnprepareHeader(h, hdr, sizeof(*hdr))
		      : waveInUnprepareHeader(h, hdr, sizeof(*hdr));
}

static MMRESULT d_queue(const struct dir *d, HANDLE h, WAVEHDR *hdr)
{
	return d->out ? waveOutWrite(h, hdr, sizeof(*hdr)) : waveInAddBuffer(h, hdr, sizeof(*hdr));
}

static MMRESULT d_reset(const struct dir *d, HANDLE h)
{
	return d->out ? waveOutReset(h) : waveInReset(h);
}

static const struct dir *parse_dir(const char *s)
{
	if (s && !strcmp(s, "out"))
		return &dir_out;
	if (s && !strcmp(s, "in"))
		return &dir_in;
	return NULL;
}

static int parse_kind(const char *s)
{
	for (int k = 0; s && k < (int)ARRAYSIZE(kind_names); k++)
		if (!strcmp(s, kind_names[k]))
			return k;
	return -1;
}

/* ---- case 1: a callback that takes the program's lock ------------------------------------- */

static CRITICAL_SECTION app_lock;
static HANDLE in_locking_callback;

static void CALLBACK locking_cb(HANDLE device, UINT msg, DWORD_PTR instance, DWORD_PTR param1,
				DWORD_PTR param2)
{
	(void)device; (void)instance; (void)param1; (void)param2;
	if (msg == WOM_DONE || msg == WIM_DATA) {
		SetEvent(in_locking_callback);
		/* What many programs do: their callback updates state under their lock. */
		EnterCriticalSection(&app_lock);
		LeaveCriticalSection(&app_lock);
	}
}

/*
 * The program holds its lock while stream A's buffer completes, so the pump waits in
 * A's callback for that lock; then, still holding it, the program opens or closes
 * another stream B.  That call must return: the pump's callback holds none of the
 * driver's locks that an open or close needs.
 */
static int case_lock(int argc, char **argv)
{
	const struct dir *src = argc > 0 ? parse_dir(argv[0]) : NULL;
	const char *action = argc > 1 ? argv[1] : "";
	bool opening = !strcmp(action, "open-out") || !strcmp(action, "open-in");
	bool closing = !strcmp(action, "close-out") || !strcmp(action, "close-in");
	const struct dir *b_dir = strstr(action, "-out") ? &dir_out : &dir_in;
	if (!src || !(opening || closing)) {
		fprintf(stderr, "usage: lock out|in open-out|close-out|open-in|close-in\n");
		return 100;
	}
	InitializeCriticalSection(&app_lock);
	in_locking_callback = CreateEventW(NULL, TRUE, FALSE, NULL);

	HANDLE b = NULL;
	step("open stream B before the test", STEP_MS);
	if (!opening && !check_mm("lock.open_b_first", d_open(b_dir, &b, 0, CALLBACK_NULL),
				  MMSYSERR_NOERROR))
		return 1;

	HANDLE a = NULL;
	step("open stream A", STEP_MS);
	if (!check_mm("lock.open_a", d_open(src, &a, (DWORD_PTR)locking_cb, CALLBACK_FUNCTION),
		      MMSYSERR_NOERROR))
		return 1;
	WAVEHDR hdr = { 0 };
	hdr.lpData = calloc(1, MS_BYTES(20));
	hdr.dwBufferLength = MS_BYTES(20);
	d_prepare(src, a, &hdr);

	EnterCriticalSection(&app_lock);
	step("stream A's buffer under way", STEP_MS);
	if (src->out) {
		check_mm("lock.write_a", waveOutWrite(a, &hdr, sizeof(hdr)), MMSYSERR_NOERROR);
	} else {
		check_mm("lock.add_a", waveInAddBuffer(a, &hdr, sizeof(hdr)), MMSYSERR_NOERROR);
		check_mm("lock.start_a", waveInStart(a), MMSYSERR_NOERROR);
	}
	DWORD waited = WaitForSingleObject(in_locking_callback, 3000);
	check(waited == WAIT_OBJECT_0, "lock.pump_in_a_callback",
	      "stream A's buffer was not returned within 3 s");
	/* Well past the moment the callback asked for the lock. */
	Sleep(100);

	char what[128];
	snprintf(what, sizeof(what), "%s of stream B while the pump waits in stream A's (%s) "
		 "callback for the program's lock", action, src->name);
	step(what, STEP_MS);
	double t0 = now_ms();
	MMRESULT r = opening ? d_open(b_dir, &b, 0, CALLBACK_NULL) : d_close(b_dir, b);
	double took = now_ms() - t0;
	check_mm("lock.b_call_answers", r, MMSYSERR_NOERROR);
	check(took < 2000, "lock.b_call_returns_promptly", "took %.0f ms", took);
	LeaveCriticalSection(&app_lock);

	step("cleanup", STEP_MS);
	if (opening && r == MMSYSERR_NOERROR)
		check_mm("lock.close_b", d_close(b_dir, b), MMSYSERR_NOERROR);
	d_reset(src, a);
	d_unprepare(src, a, &hdr);
	check_mm("lock.close_a", d_close(src, a), MMSYSERR_NOERROR);
	step("done", 0);
	free(hdr.lpData);
	return 0;
}

/* ---- case 2a: 200 headers reset, and what the client does with a done one ----------------- */

enum abuse { A_NONE, A_SCRIBBLE, A_FREE, A_READD };
static const char *const abuse_names[] = { "none", "scribble", "free", "readd" };

static struct {
	const struct dir *d;
	HANDLE h;
	WAVEHDR *hdr[N_RESET];
	volatile LONG freed[N_RESET], readded[N_RESET];
	enum abuse abuse;
	volatile LONG running, stop;
} rs;

static int hdr_index(DWORD_PTR p)
{
	for (int i = 0; i < N_RESET; i++)
		if ((DWORD_PTR)rs.hdr[i] == p)
			return i;
	return -1;
}

/* Does to every header that is DONE what the client does once it owns it again.
 * Returns how many were touched. */
static int abuse_done(void)
{
	int touched = 0;
	/* Last first: a driver walking the headers in order reaches those last. */
	for (int i = N_RESET - 1; i >= 0; i--) {
		if (rs.freed[i])
			continue;
		volatile WAVEHDR *h = rs.hdr[i];
		if (!(h->dwFlags & WHDR_DONE) || (h->dwFlags & WHDR_INQUEUE))
			continue;
		switch (rs.abuse) {
		case A_SCRIBBLE:
			/* The client's memory again: it keeps its own list in these fields. */
			h->lpNext = poison;
			h->reserved = (DWORD_PTR)poison + 8;
			touched++;
			break;
		case A_FREE:
			InterlockedExchange(&rs.freed[i], 1);
			VirtualFree(rs.hdr[i], 0, MEM_RELEASE);
			touched++;
			break;
		case A_READD:
			if (!rs.readded[i] && d_queue(rs.d, rs.h, rs.hdr[i]) == MMSYSERR_NOERROR) {
				InterlockedExchange(&rs.readded[i], 1);
				touched++;
			}
			break;
		case A_NONE:
			break;
		}
	}
	return touched;
}

/* A polling client spins on the flags; an event client wakes on its event. */
static DWORD WINAPI abuser_main(void *arg)
{
	bool event = arg != NULL;
	InterlockedExchange(&rs.running, 1);
	while (!rs.stop) {
		if (event)
			WaitForSingleObject(cb_event, 1);
		abuse_done();
	}
	return 0;
}

static void function_abuse_hook(WAVEHDR *hdr)
{
	(void)hdr;
	abuse_done();
}

/* The log, as header indices: OPEN first, then DONE in submit order (each first
 * completion; a re-added header completes once more), CLOSE last, nothing after. */
static void check_message_log(const char *prefix, const struct dir *d, const LONG *extra)
{
	static struct { UINT msg; DWORD_PTR param1; } copy[LOG_MAX];
	AcquireSRWLockShared(&cb_lock);
	LONG n = cb_n < LOG_MAX ? cb_n : LOG_MAX;
	memcpy(copy, cb_log, (size_t)n * sizeof(copy[0]));
	ReleaseSRWLockShared(&cb_lock);

	char name[128];
	int count[N_RESET] = { 0 }, unknown = 0, out_of_order = 0, first_bad = -1, next_first = 0;
	int opens = 0, closes = 0, after_close = 0;
	LONG close_at = -1;
	for (LONG i = 0; i < n; i++) {
		if (close_at >= 0)
			after_close++;
		if (copy[i].msg == d->open_msg) {
			opens++;
		} else if (copy[i].msg == d->close_msg) {
			closes++;
			if (close_at < 0)
				close_at = i;
		} else if (copy[i].msg == d->done_msg) {
			int k = hdr_index(copy[i].param1);
			if (k < 0) {
				unknown++;
				continue;
			}
			if (count[k]++ == 0) {
				if (k != next_first && !out_of_order++)
					first_bad = k;
				next_first = k + 1;
			}
		}
	}
	snprintf(name, sizeof(name), "%s.open_first", prefix);
	check(n > 0 && copy[0].msg == d->open_msg && opens == 1, name,
	      "%d OPEN messages, first message %u", opens, n > 0 ? copy[0].msg : 0);
	int lost = 0, twice = 0, first_lost = -1, first_twice = -1;
	for (int i = 0; i < N_RESET; i++) {
		int want = 1 + (extra ? (int)extra[i] : 0);
		if (count[i] < want && !lost++)
			first_lost = i;
		if (count[i] > want && !twice++)
			first_twice = i;
	}
	snprintf(name, sizeof(name), "%s.every_header_returned", prefix);
	check(lost == 0, name, "%d headers without their DONE message, first #%d", lost, first_lost);
	snprintf(name, sizeof(name), "%s.no_header_returned_twice", prefix);
	check(twice == 0 && unknown == 0, name, "%d headers returned too often (first #%d), "
	      "%d DONE messages for unknown headers", twice, first_twice, unknown);
	snprintf(name, sizeof(name), "%s.returned_in_submit_order", prefix);
	check(out_of_order == 0, name, "%d out of order, first #%d", out_of_order, first_bad);
	snprintf(name, sizeof(name), "%s.close_last", prefix);
	check(closes == 1 && after_close == 0, name, "%d CLOSE messages, %d messages after CLOSE",
	      closes, after_close);
}

static void check_flags_returned(const char *prefix)
{
	int bad = 0, first = -1;
	DWORD first_flags = 0;
	for (int i = 0; i < N_RESET; i++) {
		if (rs.freed[i])
			continue;
		DWORD f = rs.hdr[i]->dwFlags;
		if ((!(f & WHDR_DONE) || (f & WHDR_INQUEUE)) && !bad++) {
			first = i;
			first_flags = f;
		}
	}
	char name[128];
	snprintf(name, sizeof(name), "%s.flags_done", prefix);
	check(bad == 0, name, "%d headers not DONE (or still INQUEUE), first #%d flags 0x%lx", bad,
	      first, (unsigned long)first_flags);
}

static int case_reset200(int argc, char **argv)
{
	const struct dir *d = argc > 0 ? parse_dir(argv[0]) : NULL;
	int k = argc > 1 ? parse_kind(argv[1]) : -1;
	int a = -1;
	for (int i = 0; argc > 2 && i < (int)ARRAYSIZE(abuse_names); i++)
		if (!strcmp(argv[2], abuse_names[i]))
			a = i;
	if (!d || k < 0 || a < 0 || (a != A_NONE && (k == K_WINDOW || k == K_THREAD))) {
		fprintf(stderr, "usage: reset200 out|in KIND none|scribble|free|readd\n");
		return 100;
	}
	enum kind kind = (enum kind)k;
	/* The polling and event clients race the driver: a few rounds make the race hit. */
	int rounds = kind == K_NULL || kind == K_EVENT ? 20 : 1;
	for (int round = 0; round < rounds; round++) {
		char prefix[64];
		snprintf(prefix, sizeof(prefix), "reset200.%s.%s.%s.%d", d->name, kind_names[kind],
			 abuse_names[a], round);
		memset(&rs, 0, sizeof(rs));
		rs.d = d;
		rs.abuse = (enum abuse)a;
		log_reset();
		done_hook = NULL;
		step("open", STEP_MS);
		DWORD flags;
		DWORD_PTR target = kind_target(kind, &flags);
		if (!check_mm(prefix, d_open(d, &rs.h, target, flags), MMSYSERR_NOERROR))
			return 1;
		/* Nothing plays: every header is still queued when the reset comes. */
		if (d->out)
			waveOutPause(rs.h);
		step("queue 200 headers", STEP_MS);
		int queued = 0;
		for (int i = 0; i < N_RESET; i++) {
			rs.hdr[i] = page_hdr(MS_BYTES(10));
			d_prepare(d, rs.h, rs.hdr[i]);
			queued += d_queue(d, rs.h, rs.hdr[i]) == MMSYSERR_NOERROR;
		}
		char name[128];
		snprintf(name, sizeof(name), "%s.queued", prefix);
		check(queued == N_RESET, name, "%d of %d accepted", queued, N_RESET);

		HANDLE abuser = NULL;
		if (rs.abuse != A_NONE) {
			if (kind == K_NULL || kind == K_EVENT)
				abuser = CreateThread(NULL, 0, abuser_main,
						      kind == K_EVENT ? (void *)1 : NULL, 0, NULL);
			else if (kind == K_FUNCTION)
				done_hook = function_abuse_hook;
		}
		/* Under way before the reset: a thread takes a while to start. */
		while (abuser && !InterlockedCompareExchange(&rs.running, 0, 0))
			Sleep(1);
		step(d->out ? "waveOutReset of 200 headers" : "waveInReset of 200 headers", STEP_MS);
		snprintf(name, sizeof(name), "%s.reset", prefix);
		check_mm(name, d_reset(d, rs.h), MMSYSERR_NOERROR);
		step("after the reset", STEP_MS);
		/* The client goes on using what it got back for a moment. */
		Sleep(20);
		InterlockedExchange(&rs.stop, 1);
		if (abuser) {
			WaitForSingleObject(abuser, INFINITE);
			CloseHandle(abuser);
		}
		done_hook = NULL;
		watch(50);
		LONG readded = 0;
		for (int i = 0; i < N_RESET; i++)
			readded += rs.readded[i];
		if (readded) {
			/* They are queued again: return them. */
			snprintf(name, sizeof(name), "%s.second_reset", prefix);
			check_mm(name, d_reset(d, rs.h), MMSYSERR_NOERROR);
			watch(50);
		}
		check_flags_returned(prefix);
		for (int i = 0; i < N_RESET; i++)
			if (!rs.freed[i])
				d_unprepare(d, rs.h, rs.hdr[i]);
		step(d->out ? "waveOutClose" : "waveInClose", STEP_MS);
		snprintf(name, sizeof(name), "%s.close", prefix);
		check_mm(name, d_close(d, rs.h), MMSYSERR_NOERROR);
		watch(100);
		if (kind_carries_messages(kind))
			check_message_log(prefix, d, (const LONG *)rs.readded);
		for (int i = 0; i < N_RESET; i++)
			if (!rs.freed[i])
				VirtualFree(rs.hdr[i], 0, MEM_RELEASE);
	}
	step("done", 0);
	return 0;
}

/* ---- case 2b: completions in flight while the client resets and closes -------------------- */

static void slow_client_hook(WAVEHDR *hdr)
{
	(void)hdr;
	/* A client that does some work in its callback, on the driver's thread. */
	if (GetCurrentThreadId() != main_tid)
		Sleep(3);
}

static int case_close_race(int argc, char **argv)
{
	const struct dir *d = argc > 0 ? parse_dir(argv[0]) : NULL;
	int k = argc > 1 ? parse_kind(argv[1]) : -1;
	if (!d || k < 0 || !kind_carries_messages((enum kind)k)) {
		fprintf(stderr, "usage: close-race out|in function|window|thread\n");
		return 100;
	}
	enum kind kind = (enum kind)k;
	int rounds = kind == K_FUNCTION ? 5 : 60;
	for (int round = 0; round < rounds; round++) {
		char prefix[64], name[128];
		snprintf(prefix, sizeof(prefix), "close_race.%s.%s.%d", d->name, kind_names[kind],
			 round);
		memset(&rs, 0, sizeof(rs));
		log_reset();
		done_hook = kind == K_FUNCTION ? slow_client_hook : NULL;
		step("open and queue", STEP_MS);
		DWORD flags;
		DWORD_PTR target = kind_target(kind, &flags);
		if (!check_mm(prefix, d_open(d, &rs.h, target, flags), MMSYSERR_NOERROR))
			return 1;
		/* Short buffers (1/3 ms): every pump sweep completes several. */
		for (int i = 0; i < N_RESET; i++) {
			rs.hdr[i] = page_hdr(16 * BLOCK);
			d_prepare(d, rs.h, rs.hdr[i]);
			d_queue(d, rs.h, rs.hdr[i]);
		}
		if (!d->out)
			waveInStart(rs.h);
		/* Reset and close as soon as completions flow: some are then on their way. */
		step("waiting for the first completions", STEP_MS);
		double end = now_ms() + 3000;
		while (InterlockedCompareExchange(&cb_n, 0, 0) < 6 && now_ms() < end) {
			pump_messages();
			MsgWaitForMultipleObjects(1, &wake, FALSE, 5, QS_ALLINPUT);
		}
		step(d->out ? "waveOutReset + waveOutClose with completions in flight"
			    : "waveInReset + waveInClose with completions in flight", STEP_MS);
		snprintf(name, sizeof(name), "%s.reset", prefix);
		check_mm(name, d_reset(d, rs.h), MMSYSERR_NOERROR);
		snprintf(name, sizeof(name), "%s.close", prefix);
		MMRESULT r = d_close(d, rs.h);
		check_mm(name, r, MMSYSERR_NOERROR);
		step("late messages", STEP_MS);
		watch(100);
		done_hook = NULL;
		check_message_log(prefix, d, NULL);
		check_flags_returned(prefix);
		for (int i = 0; i < N_RESET; i++)
			VirtualFree(rs.hdr[i], 0, MEM_RELEASE);
	}
	step("done", 0);
	return 0;
}

/* ---- case 3: a handle closed while other threads use it ----------------------------------- */

typedef DWORD(APIENTRY *driver_message_fn)(UINT, UINT, DWORD_PTR, DWORD_PTR, DWORD_PTR);

#define HAMMER_HDRS 4

static struct {
	driver_message_fn msg;
	bool out;
	DWORD_PTR user;
	WAVEHDR hdr[HAMMER_HDRS];
	volatile LONG closing;        /* the closer has retried a while: stop queueing */
	volatile LONG closed;         /* set once CLOSE has answered NOERROR */
	volatile LONG n_after_close;  /* calls made after `closed`, all threads */
	volatile LONG bad;            /* wrong answers */
	char first_bad[160];
	volatile LONG calls;
} hm;

static void hammer_result(const char *what, bool closed_before, MMRESULT r)
{
	bool ok;
	if (closed_before)
		ok = r == MMSYSERR_INVALHANDLE;
	else
		ok = r == MMSYSERR_NOERROR || r == MMSYSERR_INVALHANDLE || r == WAVERR_STILLPLAYING;
	if (!ok && InterlockedIncrement(&hm.bad) == 1)
		snprintf(hm.first_bad, sizeof(hm.first_bad), "%s %s close returned: %u", what,
			 closed_before ? "after" : "before", r);
	InterlockedIncrement(&hm.calls);
}

/* One kind of call in a loop until a while after the close. */
static DWORD WINAPI hammer_main(void *arg)
{
	int role = (int)(INT_PTR)arg;
	UINT getpos = hm.out ? WODM_GETPOS : WIDM_GETPOS;
	UINT queue = hm.out ? WODM_WRITE : WIDM_ADDBUFFER;
	UINT reset = hm.out ? WODM_RESET : WIDM_RESET;
	int after = 0, next_hdr = 0;
	while (after < 20) {
		bool closed = InterlockedCompareExchange(&hm.closed, 0, 0) != 0;
		MMRESULT r;
		if (role == 0) {
			MMTIME t = { .wType = TIME_BYTES };
			r = hm.msg(0, getpos, hm.user, (DWORD_PTR)&t, sizeof(t));
			hammer_result("GETPOS", closed, r);
		} else if (role == 1) {
			WAVEHDR *h = &hm.hdr[next_hdr++ % HAMMER_HDRS];
			if (!closed && ((((volatile WAVEHDR *)h)->dwFlags & WHDR_INQUEUE) || hm.closing))
				continue;
			r = hm.msg(0, queue, hm.user, (DWORD_PTR)h, sizeof(*h));
			hammer_result(hm.out ? "WRITE" : "ADDBUFFER", closed, r);
		} else {
			r = hm.msg(0, reset, hm.user, 0, 0);
			hammer_result("RESET", closed, r);
			if (!hm.out && !closed)
				hm.msg(0, WIDM_START, hm.user, 0, 0);
		}
		if (closed) {
			after++;
			InterlockedIncrement(&hm.n_after_close);
		}
	}
	return 0;
}

static int case_handles(int argc, char **argv)
{
	const struct dir *d = argc > 0 ? parse_dir(argv[0]) : NULL;
	if (!d) {
		fprintf(stderr, "usage: handles out|in\n");
		return 100;
	}
	HMODULE dll = GetModuleHandleW(L"loopcable.dll");
	driver_message_fn msg = NULL;
	if (dll)
		msg = (driver_message_fn)(void (*)(void))GetProcAddress(
			dll, d->out ? "wodMessage" : "widMessage");
	if (!check(msg != NULL, "handles.driver_loaded_by_winmm", "module %p", (void *)dll))
		return 1;
	UINT open_msg = d->out ? WODM_OPEN : WIDM_OPEN, close_msg = d->out ? WODM_CLOSE : WIDM_CLOSE;
	UINT prepare = d->out ? WODM_PREPARE : WIDM_PREPARE;
	UINT reset = d->out ? WODM_RESET : WIDM_RESET;
	UINT local_id = d->out ? out_id : in_id;
	WAVEOPENDESC desc = { .lpFormat = (WAVEFORMAT *)&fmt };
	int rounds = 200, lost_rounds = 0, bad_close = 0, rounds_done = 0;
	MMRESULT bad_close_r = 0;
	char name[128];
	for (int round = 0; round < rounds; round++) {
		memset(&hm, 0, sizeof(hm));
		hm.msg = msg;
		hm.out = d->out;
		step("open through the driver's export", STEP_MS);
		MMRESULT r = msg(local_id, open_msg, (DWORD_PTR)&hm.user, (DWORD_PTR)&desc, CALLBACK_NULL);
		if (!check_mm("handles.open", r, MMSYSERR_NOERROR))
			return 1;
		/* Zero-length buffers: nothing is heard, so a closed stream is freed at once
		 * (no drain), and they come back within a pump sweep. */
		for (int i = 0; i < HAMMER_HDRS; i++)
			msg(local_id, prepare, hm.user, (DWORD_PTR)&hm.hdr[i], sizeof(WAVEHDR));
		if (!d->out)
			msg(local_id, WIDM_START, hm.user, 0, 0);
		HANDLE threads[3];
		for (int t = 0; t < 3; t++)
			threads[t] = CreateThread(NULL, 0, hammer_main, (void *)(INT_PTR)t, 0, NULL);
		step("close racing GETPOS, WRITE/ADDBUFFER and RESET on the same handle", STEP_MS);
		Sleep((DWORD)(round % 3));
		int attempts = 0;
		do {
			r = msg(local_id, close_msg, hm.user, 0, 0);
			if (r == WAVERR_STILLPLAYING)
				msg(local_id, reset, hm.user, 0, 0);
			/* Let the close win eventually (a correct driver refuses it while a
			 * buffer is queued). */
			if (++attempts == 20)
				InterlockedExchange(&hm.closing, 1);
		} while (r == WAVERR_STILLPLAYING);
		if (r != MMSYSERR_NOERROR && !bad_close++)
			bad_close_r = r;
		InterlockedExchange(&hm.closed, 1);
		/* Reuse the heap the stream lived in, as a busy program would. */
		void *spray[64];
		for (int i = 0; i < 64; i++) {
			size_t size = 64u << (i % 6);
			spray[i] = malloc(size);
			if (spray[i])
				memset(spray[i], 0xA5, size);
		}
		step("calls after the close", STEP_MS);
		WaitForMultipleObjects(3, threads, TRUE, INFINITE);
		for (int t = 0; t < 3; t++)
			CloseHandle(threads[t]);
		for (int i = 0; i < 64; i++)
			free(spray[i]);
		/* A buffer accepted by a stream whose close succeeded never comes back. */
		for (int i = 0; i < HAMMER_HDRS; i++)
			if (hm.hdr[i].dwFlags & WHDR_INQUEUE) {
				lost_rounds++;
				break;
			}
		if (hm.bad) {
			snprintf(name, sizeof(name), "handles.%s.round_%d_answers", d->name, round);
			check(false, name, "%ld wrong answers of %ld calls, first: %s", (long)hm.bad,
			      (long)hm.calls, hm.first_bad);
		}
		rounds_done++;
	}
	snprintf(name, sizeof(name), "handles.%s.close_answers", d->name);
	check(bad_close == 0, name, "%d closes failed, first %u", bad_close, bad_close_r);
	snprintf(name, sizeof(name), "handles.%s.no_buffer_kept_by_a_closed_stream", d->name);
	check(lost_rounds == 0, name, "%d of %d rounds left a header INQUEUE after the close",
	      lost_rounds, rounds_done);
	snprintf(name, sizeof(name), "handles.%s.rounds", d->name);
	check(rounds_done == rounds, name, "%d of %d rounds", rounds_done, rounds);
	step("done", 0);
	return 0;
}

/* ---- case 4: header fields changed after submit -------------------------------------------- */

static bool wait_flag(volatile WAVEHDR *h, DWORD flag, double ms)
{
	double end = now_ms() + ms;
	while (!(h->dwFlags & flag)) {
		if (now_ms() > end)
			return false;
		watch(2);
	}
	return true;
}

/* Plays a guarded buffer of `ms`, then changes its length to `new_length`. */
static void fields_out_length(const char *prefix, DWORD ms, DWORD new_length)
{
	char name[128];
	HWAVEOUT h;
	DWORD bytes = MS_BYTES(ms);
	step("open", STEP_MS);
	if (!check_mm(prefix, waveOutOpen(&h, out_id, &fmt, 0, 0, CALLBACK_NULL), MMSYSERR_NOERROR))
		return;
	WAVEHDR hdr = { .lpData = (LPSTR)guarded_alloc(bytes), .dwBufferLength = bytes };
	waveOutPrepareHeader(h, &hdr, sizeof(hdr));
	step("a header whose length changes after waveOutWrite", STEP_MS);
	double t0 = now_ms();
	snprintf(name, sizeof(name), "%s.write", prefix);
	check_mm(name, waveOutWrite(h, &hdr, sizeof(hdr)), MMSYSERR_NOERROR);
	((volatile WAVEHDR *)&hdr)->dwBufferLength = new_length;
	bool done = wait_flag(&hdr, WHDR_DONE, ms + 3000);
	double took = now_ms() - t0;
	snprintf(name, sizeof(name), "%s.returned", prefix);
	check(done, name, "not DONE within %u ms", (unsigned)ms + 3000);
	/* What was submitted plays, no more and no less. */
	snprintf(name, sizeof(name), "%s.played_as_submitted", prefix);
	check(!done || took >= ms * 0.8, name, "DONE after %.0f ms, the buffer lasts %u ms", took,
	      (unsigned)ms);
	MMTIME t = { .wType = TIME_BYTES };
	waveOutGetPosition(h, &t, sizeof(t));
	snprintf(name, sizeof(name), "%s.position_as_submitted", prefix);
	check(!done || t.u.cb == bytes, name, "position %lu bytes, %lu submitted",
	      (unsigned long)t.u.cb, (unsigned long)bytes);
	step("reset and close", STEP_MS);
	waveOutReset(h);
	hdr.dwBufferLength = bytes;
	waveOutUnprepareHeader(h, &hdr, sizeof(hdr));
	snprintf(name, sizeof(name), "%s.close", prefix);
	check_mm(name, waveOutClose(h), MMSYSERR_NOERROR);
	guarded_free((BYTE *)hdr.lpData, bytes);
}

/* A loop whose header changes after submit (count or flags): it must play as submitted. */
static void fields_out_loop(const char *prefix, bool change_count)
{
	char name[128];
	HWAVEOUT h;
	step("open", STEP_MS);
	if (!check_mm(prefix, waveOutOpen(&h, out_id, &fmt, 0, 0, CALLBACK_NULL), MMSYSERR_NOERROR))
		return;
	/* change_count: the loop starts after the first buffer, on the pump, which reads
	 * dwLoops then.  Else the loop runs from waveOutWrite on, and its end is
	 * unflagged while it repeats. */
	DWORD first_ms = change_count ? 300 : 20;
	WAVEHDR hdr[3] = {
		{ .dwBufferLength = MS_BYTES(first_ms) },
		{ .dwBufferLength = MS_BYTES(50), .dwFlags = WHDR_BEGINLOOP | WHDR_ENDLOOP,
		  .dwLoops = change_count ? 1 : 4 },
		{ .dwBufferLength = MS_BYTES(20) },
	};
	for (int i = 0; i < 3; i++) {
		hdr[i].lpData = (LPSTR)guarded_alloc(hdr[i].dwBufferLength);
		waveOutPrepareHeader(h, &hdr[i], sizeof(hdr[i]));
	}
	step("a loop changed after waveOutWrite", STEP_MS);
	int queued = 0;
	for (int i = 0; i < 3; i++)
		queued += waveOutWrite(h, &hdr[i], sizeof(hdr[i])) == MMSYSERR_NOERROR;
	snprintf(name, sizeof(name), "%s.queued", prefix);
	check(queued == 3, name, "%d of 3", queued);
	volatile WAVEHDR *loop = &hdr[1];
	if (change_count)
		loop->dwLoops = 0xFFFFFFFF;
	else
		loop->dwFlags &= ~(DWORD)(WHDR_BEGINLOOP | WHDR_ENDLOOP);
	/* As submitted: 300 + 50 + 20 ms, or 20 + 4 x 50 + 20 ms. */
	bool done = wait_flag(&hdr[2], WHDR_DONE, 3000);
	snprintf(name, sizeof(name), "%s.loop_played_as_submitted", prefix);
	check(done && (hdr[1].dwFlags & WHDR_DONE), name,
	      "not all DONE within 3 s: loop header flags 0x%lx, last 0x%lx",
	      (unsigned long)hdr[1].dwFlags, (unsigned long)hdr[2].dwFlags);
	step("reset and close after a changed loop", STEP_MS);
	snprintf(name, sizeof(name), "%s.reset", prefix);
	check_mm(name, waveOutReset(h), MMSYSERR_NOERROR);
	for (int i = 0; i < 3; i++)
		waveOutUnprepareHeader(h, &hdr[i], sizeof(hdr[i]));
	snprintf(name, sizeof(name), "%s.close", prefix);
	check_mm(name, waveOutClose(h), MMSYSERR_NOERROR);
	for (int i = 0; i < 3; i++)
		guarded_free((BYTE *)hdr[i].lpData, hdr[i].dwBufferLength);
}

/* Records into a guarded buffer whose fields change after waveInAddBuffer. */
static void fields_in(const char *prefix, bool grow)
{
	char name[128];
	HWAVEIN h;
	DWORD bytes = MS_BYTES(100);
	step("open", STEP_MS);
	if (!check_mm(prefix, waveInOpen(&h, in_id, &fmt, 0, 0, CALLBACK_NULL), MMSYSERR_NOERROR))
		return;
	BYTE *data = guarded_alloc(bytes);
	WAVEHDR hdr = { .lpData = (LPSTR)data, .dwBufferLength = bytes };
	waveInPrepareHeader(h, &hdr, sizeof(hdr));
	step("a buffer whose fields change after waveInAddBuffer", STEP_MS);
	snprintf(name, sizeof(name), "%s.add", prefix);
	check_mm(name, waveInAddBuffer(h, &hdr, sizeof(hdr)), MMSYSERR_NOERROR);
	volatile WAVEHDR *v = &hdr;
	if (grow)
		v->dwBufferLength = bytes + 65536;
	else
		v->dwBytesRecorded = bytes + 8192;
	snprintf(name, sizeof(name), "%s.start", prefix);
	check_mm(name, waveInStart(h), MMSYSERR_NOERROR);
	bool done = wait_flag(&hdr, WHDR_DONE, 3000);
	snprintf(name, sizeof(name), "%s.returned", prefix);
	check(done, name, "not DONE within 3 s (flags 0x%lx)", (unsigned long)hdr.dwFlags);
	snprintf(name, sizeof(name), "%s.recorded_within_the_buffer", prefix);
	check(!done || hdr.dwBytesRecorded <= bytes, name, "dwBytesRecorded %lu, buffer %lu",
	      (unsigned long)hdr.dwBytesRecorded, (unsigned long)bytes);
	step("reset and close", STEP_MS);
	waveInReset(h);
	hdr.dwBufferLength = bytes;
	waveInUnprepareHeader(h, &hdr, sizeof(hdr));
	snprintf(name, sizeof(name), "%s.close", prefix);
	check_mm(name, waveInClose(h), MMSYSERR_NOERROR);
	guarded_free(data, bytes);
}

/* A looped header shorter than one block, looping "forever": nothing to play, so
 * nothing may take time. */
static void fields_loop_spin(void)
{
	HWAVEOUT h;
	step("open", STEP_MS);
	if (!check_mm("loop_spin.open", waveOutOpen(&h, out_id, &fmt, 0, 0, CALLBACK_NULL),
		      MMSYSERR_NOERROR))
		return;
	BYTE *data = guarded_alloc(2);
	WAVEHDR hdr = { .lpData = (LPSTR)data, .dwBufferLength = 2,
			.dwFlags = WHDR_BEGINLOOP | WHDR_ENDLOOP, .dwLoops = 0xFFFFFFFF };
	waveOutPrepareHeader(h, &hdr, sizeof(hdr));
	step("waveOutWrite of a 2-byte header looping 0xFFFFFFFF times (4-byte blocks)", STEP_MS);
	double t0 = now_ms();
	MMRESULT r = waveOutWrite(h, &hdr, sizeof(hdr));
	double took = now_ms() - t0;
	check_mm("loop_spin.write", r, MMSYSERR_NOERROR);
	check(took < 1000, "loop_spin.write_returns_within_1s", "took %.0f ms", took);
	step("waveOutReset after a 2-byte infinite loop", STEP_MS);
	check_mm("loop_spin.reset", waveOutReset(h), MMSYSERR_NOERROR);
	check(wait_flag(&hdr, WHDR_DONE, 1000), "loop_spin.returned", "flags 0x%lx",
	      (unsigned long)hdr.dwFlags);
	waveOutUnprepareHeader(h, &hdr, sizeof(hdr));
	step("waveOutClose after a 2-byte infinite loop", STEP_MS);
	check_mm("loop_spin.close", waveOutClose(h), MMSYSERR_NOERROR);
	guarded_free(data, 2);
}

static int case_fields(int argc, char **argv)
{
	const char *what = argc > 0 ? argv[0] : "";
	if (!strcmp(what, "out-grow"))
		fields_out_length("fields.out_grow", 1000, MS_BYTES(1000) + (1u << 20));
	else if (!strcmp(what, "out-shrink"))
		fields_out_length("fields.out_shrink", 1000, BLOCK);
	else if (!strcmp(what, "out-loops"))
		fields_out_loop("fields.out_loops", true);
	else if (!strcmp(what, "out-flags"))
		fields_out_loop("fields.out_flags", false);
	else if (!strcmp(what, "in-recorded"))
		fields_in("fields.in_recorded", false);
	else if (!strcmp(what, "in-grow"))
		fields_in("fields.in_grow", true);
	else if (!strcmp(what, "loop-spin"))
		fields_loop_spin();
	else {
		fprintf(stderr, "usage: fields out-grow|out-shrink|out-loops|out-flags|in-recorded|"
			"in-grow|loop-spin\n");
		return 100;
	}
	step("done", 0);
	return 0;
}

/* ---- main -------------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	SetUnhandledExceptionFilter(crash_filter);
	/* No error dialog or debugger for a crash: the filter reports it. */
	SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
	GetSystemInfo(&sys);
	make_poison();
	main_tid = GetCurrentThreadId();
	wake = CreateEventW(NULL, FALSE, FALSE, NULL);
	cb_event = CreateEventW(NULL, FALSE, FALSE, NULL);
	MSG m;
	PeekMessageW(&m, NULL, 0, 0, PM_NOREMOVE); /* a queue for CALLBACK_THREAD */
	WNDCLASSW wc = { .lpfnWndProc = window_proc, .hInstance = GetModuleHandleW(NULL),
			 .lpszClassName = L"lc_harden" };
	RegisterClassW(&wc);
	cb_window = CreateWindowW(L"lc_harden", L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
				  wc.hInstance, NULL);
	CloseHandle(CreateThread(NULL, 0, watchdog_main, NULL, 0, NULL));

	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} cases[] = {
		{ "lock", case_lock }, { "reset200", case_reset200 }, { "close-race", case_close_race },
		{ "handles", case_handles }, { "fields", case_fields },
	};
	int rc = 100;
	step("finding the devices", STEP_MS);
	if (argc >= 2 && find_devices()) {
		for (size_t i = 0; i < ARRAYSIZE(cases); i++)
			if (!strcmp(argv[1], cases[i].name))
				rc = cases[i].run(argc - 2, argv + 2);
	}
	if (rc == 100 && n_checks > 0) {
		fprintf(stderr, "unknown case %s (see the head of lc_harden.c)\n",
			argc >= 2 ? argv[1] : "(none)");
		return 100;
	}
	step("exit", STEP_MS);
	printf("lc_harden: %d checks, %d failed\n", n_checks, n_failed);
	fflush(stdout);
	return n_failed > 255 ? 255 : n_failed;
}
