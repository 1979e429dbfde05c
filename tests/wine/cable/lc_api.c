/* SPDX-License-Identifier: MIT */
/*
 * lc_api.exe — the documented winmm semantics of the LoopCable driver, checked from an
 * ordinary winmm client (linked with -lwinmm; it runs unmodified on Windows) that opens
 * "LoopCable 1" for output and input in one process.
 *
 *   lc_api.exe [GROUP ...]     (no GROUP: all of them, in this order)
 *     caps formats headers callbacks pause reset loops getpos record controls driver
 *
 * Prints one line per check, "ok NAME" or "FAIL NAME: got X want Y", then
 * "lc_api: N checks, M failed"; the exit code is M (at most 255).
 *
 * Where something must happen, the program waits for it (callback, event, flag) with a
 * generous bound; where something must NOT happen (a buffer returning while paused), it
 * watches for a fixed time.  What was played is verified on the cable itself: an
 * in-process recorder on LoopCable 1 (which carries s16 48 kHz stereo bit-exact) hears a
 * counter signal whose every frame is distinct, so a lost, repeated or extra frame shows.
 *
 * The "driver" group is not a winmm client: it calls wodMessage/widMessage of the
 * loaded loopcable.dll directly, because winmm (ours, and Windows' in part) screens bad
 * input before the driver sees it, and the driver must still answer it right.
 *
 * Longer than docs/style.md's ~600 lines on purpose: one group per winmm area, each a
 * straight script of checks that reads top to bottom; splitting would only scatter the
 * shared helpers (check reporting, callback log, recorder) across files.
 */
#include "cable_client.h"

#include <mmddk.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The default stream: s16 48 kHz stereo, the cable's own format (no conversion). */
#define RATE 48000
#define BLOCK 4
#define BYTES_PER_MS (RATE / 1000 * BLOCK)
#define MS_BYTES(ms) ((DWORD)((ms) * BYTES_PER_MS))
#define INSTANCE ((DWORD_PTR)0x1A5C0DE5u)
/* Bounds: generous, this machine is shared (two cores, other engineers' builds). */
#define LONG_WAIT_MS 4000.0

/* ---- reporting ----------------------------------------------------------------------- */

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

/* A check name built with printf: a few rotating buffers, enough for one check call. */
static const char *nm(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));

static const char *nm(const char *fmt, ...)
{
	static char names[8][160];
	static int next;
	char *name = names[next++ % 8];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(name, sizeof(names[0]), fmt, ap);
	va_end(ap);
	return name;
}

static const char *mm_name(MMRESULT r)
{
	static char other[4][24];
	static int next;
	switch (r) {
	case MMSYSERR_NOERROR: return "MMSYSERR_NOERROR";
	case MMSYSERR_ERROR: return "MMSYSERR_ERROR";
	case MMSYSERR_BADDEVICEID: return "MMSYSERR_BADDEVICEID";
	case MMSYSERR_ALLOCATED: return "MMSYSERR_ALLOCATED";
	case MMSYSERR_INVALHANDLE: return "MMSYSERR_INVALHANDLE";
	case MMSYSERR_NODRIVER: return "MMSYSERR_NODRIVER";
	case MMSYSERR_NOMEM: return "MMSYSERR_NOMEM";
	case MMSYSERR_NOTSUPPORTED: return "MMSYSERR_NOTSUPPORTED";
	case MMSYSERR_INVALFLAG: return "MMSYSERR_INVALFLAG";
	case MMSYSERR_INVALPARAM: return "MMSYSERR_INVALPARAM";
	case WAVERR_BADFORMAT: return "WAVERR_BADFORMAT";
	case WAVERR_STILLPLAYING: return "WAVERR_STILLPLAYING";
	case WAVERR_UNPREPARED: return "WAVERR_UNPREPARED";
	case WAVERR_SYNC: return "WAVERR_SYNC";
	}
	char *s = other[next++ % 4];
	snprintf(s, sizeof(other[0]), "%u", r);
	return s;
}

static const char *whdr_name(DWORD flags)
{
	static char texts[4][96];
	static int next;
	char *s = texts[next++ % 4];
	static const struct { DWORD bit; const char *name; } bits[] = {
		{ WHDR_DONE, "DONE" }, { WHDR_PREPARED, "PREPARED" }, { WHDR_BEGINLOOP, "BEGINLOOP" },
		{ WHDR_ENDLOOP, "ENDLOOP" }, { WHDR_INQUEUE, "INQUEUE" },
	};
	s[0] = '\0';
	for (size_t i = 0; i < ARRAYSIZE(bits); i++) {
		if (flags & bits[i].bit) {
			strcat(s, s[0] ? "|" : "");
			strcat(s, bits[i].name);
			flags &= ~bits[i].bit;
		}
	}
	if (flags)
		sprintf(s + strlen(s), "%s0x%lx", s[0] ? "|" : "", (unsigned long)flags);
	if (!s[0])
		strcpy(s, "0");
	return s;
}

static bool check_mm(const char *name, MMRESULT got, MMRESULT want)
{
	return check(got == want, name, "got %s want %s", mm_name(got), mm_name(want));
}

static bool check_eq(const char *name, unsigned long long got, unsigned long long want)
{
	return check(got == want, name, "got %llu want %llu", got, want);
}

static bool check_flags(const char *name, DWORD got, DWORD want)
{
	return check(got == want, name, "got %s want %s", whdr_name(got), whdr_name(want));
}

static bool check_range(const char *name, double got, double lo, double hi, const char *unit)
{
	return check(got >= lo && got <= hi, name, "got %.1f %s want %.1f..%.1f %s", got, unit, lo,
		     hi, unit);
}

/* ---- time, devices, formats ---------------------------------------------------------- */

static double now_ms(void)
{
	return (double)client_now_us() / 1000.0;
}

static UINT out_id, in_id; /* "LoopCable 1" */

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
		     "got out %d in %d want both devices named \"LoopCable 1\"", (int)out_id,
		     (int)in_id);
}

enum tag_kind { T_PCM, T_FLOAT, T_EXT };
static const char *const tag_names[] = { "pcm", "float", "ext" };
static const char *const sample_names[] = { "u8", "s16", "s24", "s24_32", "s32", "f32" };

static const GUID subtype_pcm = { 0x00000001, 0x0000, 0x0010,
				  { 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71 } };
static const GUID subtype_float = { 0x00000003, 0x0000, 0x0010,
				    { 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71 } };

static void make_fmt(WAVEFORMATEXTENSIBLE *f, enum tag_kind tag, enum sample_kind s, DWORD rate,
		     WORD channels, DWORD mask)
{
	memset(f, 0, sizeof(*f));
	WORD bytes = (WORD)client_sample_bytes(s);
	f->Format.wFormatTag = tag == T_PCM ? WAVE_FORMAT_PCM
			       : tag == T_FLOAT ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_EXTENSIBLE;
	f->Format.nChannels = channels;
	f->Format.nSamplesPerSec = rate;
	f->Format.wBitsPerSample = (WORD)(bytes * 8);
	f->Format.nBlockAlign = (WORD)(bytes * channels);
	f->Format.nAvgBytesPerSec = rate * bytes * channels;
	if (tag == T_EXT) {
		f->Format.cbSize = sizeof(*f) - sizeof(WAVEFORMATEX);
		f->Samples.wValidBitsPerSample = (WORD)(s == S_S24_32 ? 24 : bytes * 8);
		f->dwChannelMask = mask;
		f->SubFormat = s == S_F32 ? subtype_float : subtype_pcm;
	}
}

static WAVEFORMATEXTENSIBLE fmt_default; /* s16 48 kHz stereo, plain PCM */

static MMRESULT query_out(const WAVEFORMATEX *wfx)
{
	HWAVEOUT h = (HWAVEOUT)(UINT_PTR)0xdeadf00d;
	return waveOutOpen(&h, out_id, wfx, 0, 0, WAVE_FORMAT_QUERY);
}

static MMRESULT query_in(const WAVEFORMATEX *wfx)
{
	HWAVEIN h = (HWAVEIN)(UINT_PTR)0xdeadf00d;
	return waveInOpen(&h, in_id, wfx, 0, 0, WAVE_FORMAT_QUERY);
}

/* ---- callbacks: one log for every kind ----------------------------------------------- */

struct cb_entry {
	UINT msg;
	HANDLE device;
	DWORD_PTR instance, param1;
	DWORD thread_id;
	DWORD flags; /* the header's dwFlags when WOM_DONE / WIM_DATA arrived */
	bool in_call; /* arrived while the main thread was inside an open/close call */
	double at_ms;
};

#define LOG_MAX 1024
static struct cb_entry cb_log[LOG_MAX];
static LONG cb_n;
static SRWLOCK cb_lock = SRWLOCK_INIT;
static volatile LONG in_call;
static DWORD main_tid;
static HANDLE wake; /* set on every logged callback */
/* Called after logging a WOM_DONE / WIM_DATA from a CALLBACK_FUNCTION (on the driver's
 * thread): what a client does from inside its callback. */
static void (*done_hook)(HANDLE device, WAVEHDR *hdr);

static void log_reset(void)
{
	AcquireSRWLockExclusive(&cb_lock);
	cb_n = 0;
	ReleaseSRWLockExclusive(&cb_lock);
	done_hook = NULL;
}

static void log_add(UINT msg, HANDLE device, DWORD_PTR instance, DWORD_PTR param1)
{
	struct cb_entry e = { msg, device, instance, param1, GetCurrentThreadId(), 0,
			      in_call != 0, now_ms() };
	if ((msg == WOM_DONE || msg == WIM_DATA) && param1)
		e.flags = ((volatile WAVEHDR *)param1)->dwFlags;
	AcquireSRWLockExclusive(&cb_lock);
	if (cb_n < LOG_MAX)
		cb_log[cb_n] = e;
	cb_n++;
	ReleaseSRWLockExclusive(&cb_lock);
	SetEvent(wake);
}

/* A copy of the log; returns the number of entries. */
static LONG log_get(struct cb_entry *out, LONG max)
{
	AcquireSRWLockShared(&cb_lock);
	LONG n = cb_n < LOG_MAX ? cb_n : LOG_MAX;
	if (n > max)
		n = max;
	if (out)
		memcpy(out, cb_log, (size_t)n * sizeof(*out));
	LONG total = cb_n;
	ReleaseSRWLockShared(&cb_lock);
	return out ? n : total;
}

static LONG log_count_msg(UINT msg)
{
	static struct cb_entry copy[LOG_MAX];
	LONG n = log_get(copy, LOG_MAX), k = 0;
	for (LONG i = 0; i < n; i++)
		k += copy[i].msg == msg;
	return k;
}

static void CALLBACK function_cb(HANDLE device, UINT msg, DWORD_PTR instance, DWORD_PTR param1,
				 DWORD_PTR param2)
{
	(void)param2;
	log_add(msg, device, instance, param1);
	if ((msg == WOM_DONE || msg == WIM_DATA) && done_hook)
		done_hook(device, (WAVEHDR *)param1);
}

static bool is_mm_msg(UINT msg)
{
	return msg >= MM_WOM_OPEN && msg <= MM_WIM_DATA;
}

static LRESULT CALLBACK window_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
	if (is_mm_msg(msg)) {
		log_add(msg, (HANDLE)wparam, 0, (DWORD_PTR)lparam);
		return 0;
	}
	return DefWindowProcW(hwnd, msg, wparam, lparam);
}

static HWND make_window(void)
{
	static bool registered;
	if (!registered) {
		WNDCLASSW wc = { .lpfnWndProc = window_proc, .hInstance = GetModuleHandleW(NULL),
				 .lpszClassName = L"lc_api" };
		RegisterClassW(&wc);
		registered = true;
	}
	return CreateWindowW(L"lc_api", L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
			     GetModuleHandleW(NULL), NULL);
}

/* Delivers posted callbacks: window messages and thread messages (hwnd NULL). */
static void pump_messages(void)
{
	MSG msg;
	while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
		if (!msg.hwnd && is_mm_msg(msg.message))
			log_add(msg.message, (HANDLE)msg.wParam, 0, (DWORD_PTR)msg.lParam);
		else
			DispatchMessageW(&msg);
	}
}

typedef bool (*cond_fn)(const void *arg);

/* Waits until cond(arg) holds or timeout_ms pass, delivering callbacks meanwhile.
 * Woken by callbacks; re-checks at least every 5 ms (flags, positions). */
static bool wait_cond(cond_fn cond, const void *arg, double timeout_ms)
{
	double end = now_ms() + timeout_ms;
	for (;;) {
		pump_messages();
		if (cond(arg))
			return true;
		double left = end - now_ms();
		if (left <= 0)
			return false;
		MsgWaitForMultipleObjects(1, &wake, FALSE, left < 5 ? (DWORD)left + 1 : 5,
					  QS_ALLINPUT);
	}
}

struct hdr_set {
	WAVEHDR *h;
	int n;
};

static bool all_done(const void *arg)
{
	const struct hdr_set *set = arg;
	for (int i = 0; i < set->n; i++)
		if (!(((volatile WAVEHDR *)&set->h[i])->dwFlags & WHDR_DONE))
			return false;
	return true;
}

static bool wait_done(WAVEHDR *h, int n, double timeout_ms)
{
	struct hdr_set set = { h, n };
	return wait_cond(all_done, &set, timeout_ms);
}

static bool log_reached(const void *arg)
{
	return log_get(NULL, 0) >= *(const LONG *)arg;
}

static bool wait_log(LONG n, double timeout_ms)
{
	return wait_cond(log_reached, &n, timeout_ms);
}

struct logged_arg {
	UINT msg;
	const void *param1;
};

static bool is_logged(const void *arg)
{
	const struct logged_arg *want = arg;
	struct cb_entry e[LOG_MAX];
	LONG n = log_get(e, LOG_MAX);
	for (LONG i = 0; i < n; i++)
		if (e[i].msg == want->msg && e[i].param1 == (DWORD_PTR)want->param1)
			return true;
	return false;
}

/* Waits until the callback `msg` for header `hdr` has arrived.  WHDR_DONE is set
 * before the callback is made (as on Windows), so a test that saw the flag must wait
 * for the callback before it clears the log, or the callback lands in the next
 * check's log. */
static bool wait_logged(UINT msg, const WAVEHDR *hdr, double timeout_ms)
{
	struct logged_arg want = { msg, hdr };
	return wait_cond(is_logged, &want, timeout_ms);
}

static bool time_passed(const void *arg)
{
	return now_ms() >= *(const double *)arg;
}

/* Lets `ms` pass while delivering callbacks (for checks that something does NOT happen). */
static void watch(double ms)
{
	double until = now_ms() + ms;
	wait_cond(time_passed, &until, ms + 1000);
}

/* ---- buffers and streams ------------------------------------------------------------- */

static void hdr_init(WAVEHDR *h, DWORD bytes)
{
	memset(h, 0, sizeof(*h));
	h->lpData = calloc(1, bytes ? bytes : 1);
	h->dwBufferLength = bytes;
}

static void hdrs_init(WAVEHDR *h, int n, DWORD bytes)
{
	for (int i = 0; i < n; i++)
		hdr_init(&h[i], bytes);
}

static void hdrs_free(WAVEHDR *h, int n)
{
	for (int i = 0; i < n; i++)
		free(h[i].lpData);
}

/* s16 stereo frames first, first+1, … on both channels: every frame distinct and never 0,
 * so a recording shows exactly which frames were heard. */
static void fill_counter(WAVEHDR *h, int first)
{
	int16_t *s = (int16_t *)h->lpData;
	for (DWORD i = 0; i < h->dwBufferLength / BLOCK; i++)
		s[2 * i] = s[2 * i + 1] = (int16_t)(first + (int)i);
}

static HWAVEOUT open_out_cb(const char *name, const WAVEFORMATEX *wfx, DWORD_PTR callback,
			    DWORD flags)
{
	HWAVEOUT h = NULL;
	InterlockedExchange(&in_call, 1);
	MMRESULT r = waveOutOpen(&h, out_id, wfx, callback, INSTANCE, flags);
	InterlockedExchange(&in_call, 0);
	return check_mm(name, r, MMSYSERR_NOERROR) ? h : NULL;
}

static HWAVEOUT open_out(const char *name)
{
	return open_out_cb(name, &fmt_default.Format, (DWORD_PTR)function_cb, CALLBACK_FUNCTION);
}

static HWAVEIN open_in_cb(const char *name, const WAVEFORMATEX *wfx, DWORD_PTR callback,
			  DWORD flags)
{
	HWAVEIN h = NULL;
	InterlockedExchange(&in_call, 1);
	MMRESULT r = waveInOpen(&h, in_id, wfx, callback, INSTANCE, flags);
	InterlockedExchange(&in_call, 0);
	return check_mm(name, r, MMSYSERR_NOERROR) ? h : NULL;
}

static void prepare_out(HWAVEOUT h, WAVEHDR *hdr, int n)
{
	for (int i = 0; i < n; i++)
		waveOutPrepareHeader(h, &hdr[i], sizeof(WAVEHDR));
}

/* Writes n headers; returns how many were accepted. */
static int write_out(HWAVEOUT h, WAVEHDR *hdr, int n)
{
	int ok = 0;
	for (int i = 0; i < n; i++)
		ok += waveOutWrite(h, &hdr[i], sizeof(WAVEHDR)) == MMSYSERR_NOERROR;
	return ok;
}

/* Cleanup, not a check: reset, unprepare, close. */
static void close_out(HWAVEOUT h, WAVEHDR *hdr, int n)
{
	if (!h)
		return;
	waveOutReset(h);
	for (int i = 0; i < n; i++)
		waveOutUnprepareHeader(h, &hdr[i], sizeof(WAVEHDR));
	InterlockedExchange(&in_call, 1);
	waveOutClose(h);
	InterlockedExchange(&in_call, 0);
}

static void close_in(HWAVEIN h, WAVEHDR *hdr, int n)
{
	if (!h)
		return;
	waveInReset(h);
	for (int i = 0; i < n; i++)
		waveInUnprepareHeader(h, &hdr[i], sizeof(WAVEHDR));
	InterlockedExchange(&in_call, 1);
	waveInClose(h);
	InterlockedExchange(&in_call, 0);
}

static DWORD pos_of(HWAVEOUT h, UINT type)
{
	MMTIME t = { .wType = type };
	if (waveOutGetPosition(h, &t, sizeof(t)) != MMSYSERR_NOERROR)
		return 0xFFFFFFFFu;
	return t.u.cb;
}

static DWORD in_pos_of(HWAVEIN h)
{
	MMTIME t = { .wType = TIME_BYTES };
	if (waveInGetPosition(h, &t, sizeof(t)) != MMSYSERR_NOERROR || t.wType != TIME_BYTES)
		return 0xFFFFFFFFu;
	return t.u.cb;
}

struct pos_target {
	HWAVEOUT h;
	DWORD bytes;
};

static bool pos_reached(const void *arg)
{
	const struct pos_target *t = arg;
	DWORD pos = pos_of(t->h, TIME_BYTES);
	return pos != 0xFFFFFFFFu && pos >= t->bytes;
}

/* Checks the WOM_DONE / WIM_DATA entries of the log: exactly `want` in that order, each
 * once, with the right instance (function callbacks) and header flags at arrival. */
static void check_done_order(const char *prefix_in, UINT msg, WAVEHDR *want, int n, bool function)
{
	static struct cb_entry copy[LOG_MAX];
	char prefix[160]; /* nm() below reuses the caller's buffer */
	snprintf(prefix, sizeof(prefix), "%s", prefix_in);
	/* The headers' WHDR_DONE is set before their callbacks are made: wait for the
	 * last one to have arrived (it comes last when the order is right). */
	if (n > 0)
		wait_logged(msg, &want[n - 1], LONG_WAIT_MS);
	LONG got = log_get(copy, LOG_MAX);
	int k = 0, bad_order = -1, bad_instance = 0, bad_flags = 0;
	for (LONG i = 0; i < got; i++) {
		if (copy[i].msg != msg)
			continue;
		if (k < n && copy[i].param1 != (DWORD_PTR)&want[k] && bad_order < 0)
			bad_order = k;
		if (function && copy[i].instance != INSTANCE)
			bad_instance++;
		if ((copy[i].flags & (WHDR_DONE | WHDR_INQUEUE)) != WHDR_DONE)
			bad_flags++;
		k++;
	}
	check(k == n, nm("%s.one_per_header", prefix), "got %d callbacks want %d", k, n);
	check(bad_order < 0, nm("%s.in_queue_order", prefix), "got header #%d out of order",
	      bad_order);
	if (function)
		check(bad_instance == 0, nm("%s.dwinstance", prefix),
		      "got %d callbacks with a wrong dwInstance", bad_instance);
	check(bad_flags == 0, nm("%s.done_flag_set_before_callback", prefix),
	      "got %d callbacks whose header lacked WHDR_DONE or still had INQUEUE", bad_flags);
}

/* ---- the in-process recorder (what the cable carried) -------------------------------- */

#define REC_BUFS 16
#define REC_BUF_MS 20

struct recorder {
	HWAVEIN h;
	HANDLE event, thread;
	volatile LONG stop;
	WAVEHDR hdr[REC_BUFS];
	int next;
	int16_t *data; /* stereo frames */
	size_t bytes, cap;
	int requeue_failures;
	int starved; /* times every buffer was back at once: frames may be lost (our fault) */
};

/* Takes the returned buffers in queue order; re-queues them unless stopping. */
static void rec_take(struct recorder *r, bool requeue)
{
	for (int taken = 0;;) {
		WAVEHDR *h = &r->hdr[r->next];
		DWORD flags = ((volatile WAVEHDR *)h)->dwFlags;
		if (!(flags & WHDR_DONE) || (flags & WHDR_INQUEUE))
			return;
		MemoryBarrier();
		if (r->bytes + h->dwBytesRecorded > r->cap) {
			r->cap = (r->bytes + h->dwBytesRecorded) * 2;
			r->data = realloc(r->data, r->cap);
		}
		memcpy((char *)r->data + r->bytes, h->lpData, h->dwBytesRecorded);
		r->bytes += h->dwBytesRecorded;
		h->dwFlags &= ~WHDR_DONE;
		if (requeue && waveInAddBuffer(r->h, h, sizeof(*h)) != MMSYSERR_NOERROR)
			r->requeue_failures++;
		r->next = (r->next + 1) % REC_BUFS;
		if (requeue && ++taken == REC_BUFS)
			r->starved++;
	}
}

static DWORD WINAPI rec_main(void *arg)
{
	struct recorder *r = arg;
	while (!r->stop) {
		WaitForSingleObject(r->event, 10);
		rec_take(r, true);
	}
	return 0;
}

static bool rec_start(struct recorder *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->event = CreateEventW(NULL, FALSE, FALSE, NULL);
	if (waveInOpen(&r->h, in_id, &fmt_default.Format, (DWORD_PTR)r->event, 0, CALLBACK_EVENT)
	    != MMSYSERR_NOERROR) {
		check(false, name, "got waveInOpen failing want a recorder on LoopCable 1");
		r->h = NULL;
		return false;
	}
	for (int i = 0; i < REC_BUFS; i++) {
		hdr_init(&r->hdr[i], MS_BYTES(REC_BUF_MS));
		waveInPrepareHeader(r->h, &r->hdr[i], sizeof(WAVEHDR));
		waveInAddBuffer(r->h, &r->hdr[i], sizeof(WAVEHDR));
	}
	waveInStart(r->h);
	r->thread = CreateThread(NULL, 0, rec_main, r, 0, NULL);
	SetThreadPriority(r->thread, THREAD_PRIORITY_HIGHEST);
	return true;
}

static void rec_stop(struct recorder *r)
{
	if (!r->h)
		return;
	r->stop = 1;
	SetEvent(r->event);
	WaitForSingleObject(r->thread, INFINITE);
	CloseHandle(r->thread);
	waveInReset(r->h);
	rec_take(r, false);
	for (int i = 0; i < REC_BUFS; i++)
		waveInUnprepareHeader(r->h, &r->hdr[i], sizeof(WAVEHDR));
	waveInClose(r->h);
	hdrs_free(r->hdr, REC_BUFS);
	CloseHandle(r->event);
	r->h = NULL;
}

/* The left samples of the recorded frames that are not silent; *lr_differ counts frames
 * whose right sample differs from the left. */
static int16_t *rec_signal(const struct recorder *r, size_t *n, size_t *lr_differ)
{
	size_t frames = r->bytes / BLOCK;
	int16_t *out = malloc((frames ? frames : 1) * sizeof(*out));
	*n = *lr_differ = 0;
	for (size_t i = 0; i < frames; i++) {
		int16_t left = r->data[2 * i], right = r->data[2 * i + 1];
		if (left == 0 && right == 0)
			continue;
		*lr_differ += left != right;
		out[(*n)++] = left;
	}
	return out;
}

/* The recording's signal must be exactly `want` (n_want frames). */
static void check_heard(const char *name, const struct recorder *r, const int16_t *want,
			size_t n_want)
{
	size_t n, lr_differ, first_bad = SIZE_MAX;
	int16_t *got = rec_signal(r, &n, &lr_differ);
	for (size_t i = 0; i < n && i < n_want && first_bad == SIZE_MAX; i++)
		if (got[i] != want[i])
			first_bad = i;
	if (first_bad == SIZE_MAX && n != n_want)
		first_bad = n < n_want ? n : n_want;
	check(first_bad == SIZE_MAX && lr_differ == 0 && r->requeue_failures == 0, name,
	      "got %zu signal frames want %zu; first difference at frame %zu (got %d want %d); "
	      "%zu frames with L != R; %d re-queue failures; recorder starved %d times (if > 0, "
	      "this test's recorder thread was too late: not a driver fault)",
	      n, n_want, first_bad, first_bad < n ? got[first_bad] : 0,
	      first_bad < n_want ? want[first_bad] : 0, lr_differ, r->requeue_failures, r->starved);
	free(got);
}

/* want[] = `iterations` times first..first+frames-1. */
static int16_t *counter_run(int first, size_t frames, int iterations, size_t *n)
{
	*n = frames * (size_t)iterations;
	int16_t *want = malloc(*n * sizeof(*want));
	for (size_t i = 0; i < *n; i++)
		want[i] = (int16_t)(first + (int)(i % frames));
	return want;
}

/* ---- group: caps ---------------------------------------------------------------------- */

/* Standard format bit i: rate index i/4, (i%4)&1 stereo, (i%4)&2 16-bit. */
static const DWORD standard_rates[] = { 11025, 22050, 44100, 48000, 96000 };

static void check_claimed_formats(const char *name, DWORD formats, bool output)
{
	int claimed = 0, failed = -1;
	for (int bit = 0; bit < 20; bit++) {
		if (!(formats & (1u << bit)))
			continue;
		claimed++;
		WAVEFORMATEXTENSIBLE f;
		make_fmt(&f, T_PCM, (bit % 4) & 2 ? S_S16 : S_U8, standard_rates[bit / 4],
			 (bit % 4) & 1 ? 2 : 1, 0);
		MMRESULT r = output ? query_out(&f.Format) : query_in(&f.Format);
		if (r != MMSYSERR_NOERROR && failed < 0)
			failed = bit;
	}
	check(claimed > 0 && failed < 0, name,
	      "got %d standard formats claimed (0x%05lx), bit %d's format not opening; want every "
	      "claimed format to open and at least one claimed", claimed, (unsigned long)formats,
	      failed);
}

static void group_caps(void)
{
	check_eq("caps.out_num_devs", waveOutGetNumDevs(), 2);
	check_eq("caps.in_num_devs", waveInGetNumDevs(), 2);

	for (UINT d = 0; d < 2; d++) {
		WCHAR want[32];
		char want_a[32];
		_snwprintf(want, 32, L"LoopCable %u", d + 1);
		snprintf(want_a, 32, "LoopCable %u", d + 1);
		WAVEOUTCAPSW oc;
		WAVEOUTCAPSA oca;
		WAVEINCAPSW ic;
		WAVEINCAPSA ica;
		memset(&oc, 0, sizeof(oc));
		memset(&ic, 0, sizeof(ic));
		memset(&oca, 0, sizeof(oca));
		memset(&ica, 0, sizeof(ica));
		check_mm(nm("caps.out%u_getdevcaps", d), waveOutGetDevCapsW(d, &oc, sizeof(oc)),
			 MMSYSERR_NOERROR);
		check(!wcscmp(oc.szPname, want), nm("caps.out%u_name", d), "got \"%ls\" want \"%ls\"",
		      oc.szPname, want);
		check_mm(nm("caps.out%u_getdevcaps_a", d), waveOutGetDevCapsA(d, &oca, sizeof(oca)),
			 MMSYSERR_NOERROR);
		check(!strcmp(oca.szPname, want_a), nm("caps.out%u_name_a", d),
		      "got \"%s\" want \"%s\"", oca.szPname, want_a);
		check_mm(nm("caps.in%u_getdevcaps", d), waveInGetDevCapsW(d, &ic, sizeof(ic)),
			 MMSYSERR_NOERROR);
		check(!wcscmp(ic.szPname, want), nm("caps.in%u_name", d), "got \"%ls\" want \"%ls\"",
		      ic.szPname, want);
		check_mm(nm("caps.in%u_getdevcaps_a", d), waveInGetDevCapsA(d, &ica, sizeof(ica)),
			 MMSYSERR_NOERROR);
		check(!strcmp(ica.szPname, want_a), nm("caps.in%u_name_a", d),
		      "got \"%s\" want \"%s\"", ica.szPname, want_a);
		check_eq(nm("caps.out%u_channels", d), oc.wChannels, 2);
		check_eq(nm("caps.in%u_channels", d), ic.wChannels, 2);
	}

	/* Short sizes: exactly `size` bytes written, the rest untouched. */
	WAVEOUTCAPSW full_out;
	WAVEINCAPSW full_in;
	waveOutGetDevCapsW(0, &full_out, sizeof(full_out));
	waveInGetDevCapsW(0, &full_in, sizeof(full_in));
	static const UINT sizes[] = { 2, 16, 73 };
	for (size_t i = 0; i < ARRAYSIZE(sizes); i++) {
		UINT size = sizes[i];
		BYTE buf[sizeof(WAVEOUTCAPSW) + 16];
		memset(buf, 0xAB, sizeof(buf));
		MMRESULT r = waveOutGetDevCapsW(0, (WAVEOUTCAPSW *)buf, size);
		size_t beyond = size;
		while (beyond < sizeof(buf) && buf[beyond] == 0xAB)
			beyond++;
		check(r == MMSYSERR_NOERROR && !memcmp(buf, &full_out, size) && beyond == sizeof(buf),
		      nm("caps.out_short_size_%u", size),
		      "got %s, prefix %s, byte %zu changed; want the first %u bytes only",
		      mm_name(r), memcmp(buf, &full_out, size) ? "wrong" : "right", beyond, size);
		memset(buf, 0xAB, sizeof(buf));
		r = waveInGetDevCapsW(0, (WAVEINCAPSW *)buf, size);
		beyond = size;
		while (beyond < sizeof(buf) && buf[beyond] == 0xAB)
			beyond++;
		check(r == MMSYSERR_NOERROR && !memcmp(buf, &full_in, size) && beyond == sizeof(buf),
		      nm("caps.in_short_size_%u", size),
		      "got %s, prefix %s, byte %zu changed; want the first %u bytes only",
		      mm_name(r), memcmp(buf, &full_in, size) ? "wrong" : "right", beyond, size);
	}

	WAVEOUTCAPSW oc;
	WAVEINCAPSW ic;
	check_mm("caps.out_id_2_baddeviceid", waveOutGetDevCapsW(2, &oc, sizeof(oc)),
		 MMSYSERR_BADDEVICEID);
	check_mm("caps.out_id_99_baddeviceid", waveOutGetDevCapsW(99, &oc, sizeof(oc)),
		 MMSYSERR_BADDEVICEID);
	check_mm("caps.in_id_2_baddeviceid", waveInGetDevCapsW(2, &ic, sizeof(ic)),
		 MMSYSERR_BADDEVICEID);
	check_mm("caps.out_null_invalparam", waveOutGetDevCapsW(0, NULL, sizeof(oc)),
		 MMSYSERR_INVALPARAM);
	check_mm("caps.out_null_a_invalparam", waveOutGetDevCapsA(0, NULL, sizeof(WAVEOUTCAPSA)),
		 MMSYSERR_INVALPARAM);
	check_mm("caps.in_null_invalparam", waveInGetDevCapsW(0, NULL, sizeof(ic)),
		 MMSYSERR_INVALPARAM);
	WAVEFORMATEXTENSIBLE f = fmt_default;
	check_mm("caps.out_open_id_2_baddeviceid",
		 waveOutOpen(NULL, 2, &f.Format, 0, 0, WAVE_FORMAT_QUERY), MMSYSERR_BADDEVICEID);

	/* Flags are honest: every claim is backed by behaviour, and what is not supported is
	 * not claimed. */
	DWORD support = full_out.dwSupport;
	HWAVEOUT h = open_out_cb("caps.open_for_flags", &fmt_default.Format, 0, CALLBACK_NULL);
	if (h) {
		DWORD value;
		MMRESULT pitch = waveOutGetPitch(h, &value);
		MMRESULT rate = waveOutGetPlaybackRate(h, &value);
		MMRESULT volume = waveOutSetVolume(h, 0xFFFFFFFFu);
		check((support & WAVECAPS_PITCH) ? pitch == MMSYSERR_NOERROR
						  : pitch == MMSYSERR_NOTSUPPORTED,
		      "caps.pitch_claim_matches", "got WAVECAPS_PITCH %s and GetPitch %s",
		      (support & WAVECAPS_PITCH) ? "claimed" : "not claimed", mm_name(pitch));
		check((support & WAVECAPS_PLAYBACKRATE) ? rate == MMSYSERR_NOERROR
							 : rate == MMSYSERR_NOTSUPPORTED,
		      "caps.playbackrate_claim_matches",
		      "got WAVECAPS_PLAYBACKRATE %s and GetPlaybackRate %s",
		      (support & WAVECAPS_PLAYBACKRATE) ? "claimed" : "not claimed", mm_name(rate));
		check((support & WAVECAPS_VOLUME) ? volume == MMSYSERR_NOERROR
						   : volume == MMSYSERR_NOTSUPPORTED,
		      "caps.volume_claim_matches", "got WAVECAPS_VOLUME %s and SetVolume %s",
		      (support & WAVECAPS_VOLUME) ? "claimed" : "not claimed", mm_name(volume));
		close_out(h, NULL, 0);
	}
	/* A driver calling back from another thread is not synchronous. */
	check(!(support & WAVECAPS_SYNC), "caps.not_sync", "got WAVECAPS_SYNC claimed want not");
	check(!(support & WAVECAPS_LRVOLUME) || (support & WAVECAPS_VOLUME),
	      "caps.lrvolume_needs_volume", "got LRVOLUME without VOLUME");
	check_claimed_formats("caps.out_claimed_formats_open", full_out.dwFormats, true);
	check_claimed_formats("caps.in_claimed_formats_open", full_in.dwFormats, false);

	/* Device interface strings: sizes agree with the strings, stable, distinct. */
	WCHAR names[4][256];
	int n_names = 0;
	for (int dir = 0; dir < 2; dir++) {
		for (UINT d = 0; d < 2; d++) {
			ULONG size = 0;
			MMRESULT r = dir ? waveInMessage((HWAVEIN)(UINT_PTR)d, DRV_QUERYDEVICEINTERFACESIZE,
							 (DWORD_PTR)&size, 0)
					 : waveOutMessage((HWAVEOUT)(UINT_PTR)d, DRV_QUERYDEVICEINTERFACESIZE,
							  (DWORD_PTR)&size, 0);
			WCHAR *name = names[n_names++];
			name[0] = 0;
			MMRESULT r2 = MMSYSERR_ERROR;
			if (r == MMSYSERR_NOERROR && size <= sizeof(names[0]))
				r2 = dir ? waveInMessage((HWAVEIN)(UINT_PTR)d, DRV_QUERYDEVICEINTERFACE,
							 (DWORD_PTR)name, size)
					 : waveOutMessage((HWAVEOUT)(UINT_PTR)d, DRV_QUERYDEVICEINTERFACE,
							  (DWORD_PTR)name, size);
			check(r == MMSYSERR_NOERROR && r2 == MMSYSERR_NOERROR
			      && (wcslen(name) + 1) * sizeof(WCHAR) == size,
			      nm("caps.%s%u_device_interface", dir ? "in" : "out", d),
			      "got %s/%s, size %lu for \"%ls\"", mm_name(r), mm_name(r2),
			      (unsigned long)size, name);
		}
	}
	bool distinct = true;
	for (int i = 0; i < n_names; i++)
		for (int j = i + 1; j < n_names; j++)
			distinct &= wcscmp(names[i], names[j]) != 0;
	check(distinct, "caps.device_interfaces_distinct", "got two equal interface strings");
	WCHAR again[256] = L"";
	ULONG size = sizeof(again);
	waveOutMessage((HWAVEOUT)(UINT_PTR)0, DRV_QUERYDEVICEINTERFACESIZE, (DWORD_PTR)&size, 0);
	if (size <= sizeof(again))
		waveOutMessage((HWAVEOUT)(UINT_PTR)0, DRV_QUERYDEVICEINTERFACE, (DWORD_PTR)again, size);
	check(!wcscmp(again, names[0]), "caps.device_interface_stable",
	      "got \"%ls\" then \"%ls\"", names[0], again);
}

/* ---- group: formats ------------------------------------------------------------------- */

struct bad_format {
	const char *name;
	WAVEFORMATEXTENSIBLE f;
};

static void check_bad_formats(void)
{
	static struct bad_format bad[16];
	int n = 0;
	WAVEFORMATEXTENSIBLE base;
	make_fmt(&base, T_PCM, S_S16, RATE, 2, 0);

	bad[n] = (struct bad_format){ "zero_channels", base };
	bad[n].f.Format.nChannels = 0;
	bad[n].f.Format.nBlockAlign = 0;
	bad[n++].f.Format.nAvgBytesPerSec = 0;
	bad[n] = (struct bad_format){ "rate_1000", base };
	bad[n].f.Format.nSamplesPerSec = 1000;
	bad[n++].f.Format.nAvgBytesPerSec = 1000 * 4;
	bad[n] = (struct bad_format){ "rate_400000", base };
	bad[n].f.Format.nSamplesPerSec = 400000;
	bad[n++].f.Format.nAvgBytesPerSec = 400000 * 4;
	bad[n] = (struct bad_format){ "bits_12", base };
	bad[n++].f.Format.wBitsPerSample = 12;
	bad[n] = (struct bad_format){ "block_align_3", base };
	bad[n].f.Format.nBlockAlign = 3;
	bad[n++].f.Format.nAvgBytesPerSec = RATE * 3;
	bad[n] = (struct bad_format){ "channels_33", base };
	bad[n].f.Format.nChannels = 33;
	bad[n].f.Format.nBlockAlign = 66;
	bad[n++].f.Format.nAvgBytesPerSec = RATE * 66;
	bad[n] = (struct bad_format){ "tag_adpcm", base };
	bad[n++].f.Format.wFormatTag = 2; /* WAVE_FORMAT_ADPCM */
	bad[n] = (struct bad_format){ "tag_mulaw", base };
	bad[n].f.Format.wFormatTag = WAVE_FORMAT_MULAW;
	bad[n].f.Format.wBitsPerSample = 8;
	bad[n].f.Format.nBlockAlign = 2;
	bad[n++].f.Format.nAvgBytesPerSec = RATE * 2;
	int float_64 = n;
	bad[n] = (struct bad_format){ "float_64", base };
	bad[n].f.Format.wFormatTag = WAVE_FORMAT_IEEE_FLOAT;
	bad[n].f.Format.wBitsPerSample = 64;
	bad[n].f.Format.nBlockAlign = 16;
	bad[n++].f.Format.nAvgBytesPerSec = RATE * 16;

	make_fmt(&base, T_EXT, S_S16, RATE, 2, 3);
	bad[n] = (struct bad_format){ "ext_cbsize_0", base };
	bad[n++].f.Format.cbSize = 0;
	bad[n] = (struct bad_format){ "ext_cbsize_21", base };
	bad[n++].f.Format.cbSize = 21;
	bad[n] = (struct bad_format){ "ext_subformat_alaw", base };
	bad[n++].f.SubFormat.Data1 = 6; /* KSDATAFORMAT_SUBTYPE_ALAW */
	bad[n] = (struct bad_format){ "ext_valid_bits_20_of_16", base };
	bad[n++].f.Samples.wValidBitsPerSample = 20;
	make_fmt(&base, T_EXT, S_F32, RATE, 2, 3);
	bad[n] = (struct bad_format){ "ext_float_64", base };
	bad[n].f.Format.wBitsPerSample = 64;
	bad[n].f.Samples.wValidBitsPerSample = 64;
	bad[n].f.Format.nBlockAlign = 16;
	bad[n++].f.Format.nAvgBytesPerSec = RATE * 16;

	for (int i = 0; i < n; i++) {
		check_mm(nm("formats.out_rejects_%s", bad[i].name), query_out(&bad[i].f.Format),
			 WAVERR_BADFORMAT);
		check_mm(nm("formats.in_rejects_%s", bad[i].name), query_in(&bad[i].f.Format),
			 WAVERR_BADFORMAT);
	}
	/* Without QUERY too: a real open fails the same way and leaves nothing open. */
	HWAVEOUT h = NULL;
	check_mm("formats.out_open_rejects_float_64",
		 waveOutOpen(&h, out_id, &bad[float_64].f.Format, 0, 0, CALLBACK_NULL), WAVERR_BADFORMAT);
	check_mm("formats.out_null_format_invalparam",
		 waveOutOpen(&h, out_id, NULL, 0, 0, CALLBACK_NULL), MMSYSERR_INVALPARAM);
}

static void check_query_semantics(void)
{
	/* The handle variable is untouched, no callback of any kind fires. */
	HWAVEOUT h = (HWAVEOUT)(UINT_PTR)0xdeadf00d;
	log_reset();
	MMRESULT r = waveOutOpen(&h, out_id, &fmt_default.Format, (DWORD_PTR)function_cb, INSTANCE,
				 CALLBACK_FUNCTION | WAVE_FORMAT_QUERY);
	check_mm("formats.query_out_noerror", r, MMSYSERR_NOERROR);
	check(h == (HWAVEOUT)(UINT_PTR)0xdeadf00d, "formats.query_out_leaves_handle",
	      "got %p want 0xdeadf00d", (void *)h);
	HWAVEIN hi = (HWAVEIN)(UINT_PTR)0xdeadf00d;
	r = waveInOpen(&hi, in_id, &fmt_default.Format, (DWORD_PTR)function_cb, INSTANCE,
		       CALLBACK_FUNCTION | WAVE_FORMAT_QUERY);
	check_mm("formats.query_in_noerror", r, MMSYSERR_NOERROR);
	check(hi == (HWAVEIN)(UINT_PTR)0xdeadf00d, "formats.query_in_leaves_handle",
	      "got %p want 0xdeadf00d", (void *)hi);
	HANDLE event = CreateEventW(NULL, FALSE, FALSE, NULL);
	r = waveOutOpen(&h, out_id, &fmt_default.Format, (DWORD_PTR)event, 0,
			CALLBACK_EVENT | WAVE_FORMAT_QUERY);
	HWND window = make_window();
	MMRESULT r2 = waveOutOpen(&h, out_id, &fmt_default.Format, (DWORD_PTR)window, 0,
				  CALLBACK_WINDOW | WAVE_FORMAT_QUERY);
	watch(50);
	check(r == MMSYSERR_NOERROR && r2 == MMSYSERR_NOERROR && log_get(NULL, 0) == 0
	      && WaitForSingleObject(event, 0) == WAIT_TIMEOUT,
	      "formats.query_fires_no_callback",
	      "got %s/%s, %ld callbacks logged, event %s", mm_name(r), mm_name(r2),
	      (long)log_get(NULL, 0),
	      WaitForSingleObject(event, 0) == WAIT_TIMEOUT ? "not set" : "set");
	DestroyWindow(window);
	CloseHandle(event);
	check_mm("formats.query_null_handle_ok",
		 waveOutOpen(NULL, out_id, &fmt_default.Format, 0, 0, WAVE_FORMAT_QUERY),
		 MMSYSERR_NOERROR);

	/* Opens nothing: far more queries than a cable has slots (32), then real opens. */
	int failed = 0;
	for (int i = 0; i < 100; i++) {
		failed += query_out(&fmt_default.Format) != MMSYSERR_NOERROR;
		failed += query_in(&fmt_default.Format) != MMSYSERR_NOERROR;
	}
	HWAVEOUT ho = NULL;
	HWAVEIN hin = NULL;
	MMRESULT ro = waveOutOpen(&ho, out_id, &fmt_default.Format, 0, 0, CALLBACK_NULL);
	MMRESULT ri = waveInOpen(&hin, in_id, &fmt_default.Format, 0, 0, CALLBACK_NULL);
	check(failed == 0 && ro == MMSYSERR_NOERROR && ri == MMSYSERR_NOERROR,
	      "formats.query_opens_nothing", "got %d failed queries, then open out %s in %s",
	      failed, mm_name(ro), mm_name(ri));
	if (ro == MMSYSERR_NOERROR)
		waveOutClose(ho);
	if (ri == MMSYSERR_NOERROR)
		waveInClose(hin);
}

static void check_format_matrix(void)
{
	static const DWORD rates[] = { 8000, 11025, 16000, 22050, 32000, 44100, 48000,
				       88200, 96000, 176400, 192000, 352800, 384000 };
	static const struct { enum tag_kind tag; enum sample_kind s; } combos[] = {
		{ T_PCM, S_U8 }, { T_PCM, S_S16 }, { T_PCM, S_S24 }, { T_PCM, S_S32 },
		{ T_FLOAT, S_F32 },
		{ T_EXT, S_U8 }, { T_EXT, S_S16 }, { T_EXT, S_S24 }, { T_EXT, S_S24_32 },
		{ T_EXT, S_S32 }, { T_EXT, S_F32 },
	};
	for (size_t c = 0; c < ARRAYSIZE(combos); c++) {
		for (int dir = 0; dir < 2; dir++) {
			int tried = 0, failed = 0;
			char first_bad[96] = "";
			for (WORD ch = 1; ch <= 8; ch++) {
				for (size_t r = 0; r < ARRAYSIZE(rates); r++) {
					/* EXTENSIBLE: both "no particular layout" and the first
					 * `ch` speakers. */
					for (int masked = 0; masked <= (combos[c].tag == T_EXT); masked++) {
						WAVEFORMATEXTENSIBLE f;
						make_fmt(&f, combos[c].tag, combos[c].s, rates[r], ch,
							 masked ? (1u << ch) - 1 : 0);
						MMRESULT res = dir ? query_in(&f.Format) : query_out(&f.Format);
						tried++;
						if (res != MMSYSERR_NOERROR && !failed++)
							snprintf(first_bad, sizeof(first_bad),
								 "%u ch %lu Hz mask %d: %s", ch,
								 (unsigned long)rates[r], masked,
								 mm_name(res));
					}
				}
			}
			check(failed == 0,
			      nm("formats.%s_accepts_%s_%s", dir ? "in" : "out", tag_names[combos[c].tag],
				 sample_names[combos[c].s]),
			      "got %d of %d formats rejected, first %s", failed, tried, first_bad);
		}
	}
}

/* Opens, plays 50 ms and records 50 ms in a format that needs conversion/resampling. */
static void check_real_open(const char *name, enum tag_kind tag, enum sample_kind s, DWORD rate,
			    WORD channels, DWORD mask)
{
	WAVEFORMATEXTENSIBLE f;
	make_fmt(&f, tag, s, rate, channels, mask);
	DWORD bytes = rate / 20 * f.Format.nBlockAlign;
	HANDLE event = CreateEventW(NULL, FALSE, FALSE, NULL);
	WAVEHDR hdr;
	hdr_init(&hdr, bytes);
	HWAVEOUT h = open_out_cb(nm("formats.open_out_%s", name), &f.Format, (DWORD_PTR)event,
				 CALLBACK_EVENT);
	if (h) {
		prepare_out(h, &hdr, 1);
		double t0 = now_ms();
		write_out(h, &hdr, 1);
		bool done = wait_done(&hdr, 1, LONG_WAIT_MS);
		double took = now_ms() - t0;
		DWORD pos = pos_of(h, TIME_BYTES);
		check(done && took >= 40 && pos == bytes, nm("formats.play_%s", name),
		      "got done %d after %.1f ms, position %lu bytes; want done after >= 40 ms, "
		      "position %lu", done, took, (unsigned long)pos, (unsigned long)bytes);
		close_out(h, &hdr, 1);
	}
	hdrs_free(&hdr, 1);
	hdr_init(&hdr, bytes);
	HWAVEIN hi = open_in_cb(nm("formats.open_in_%s", name), &f.Format, (DWORD_PTR)event,
				CALLBACK_EVENT);
	if (hi) {
		waveInPrepareHeader(hi, &hdr, sizeof(hdr));
		waveInAddBuffer(hi, &hdr, sizeof(hdr));
		double t0 = now_ms();
		waveInStart(hi);
		bool done = wait_done(&hdr, 1, LONG_WAIT_MS);
		double took = now_ms() - t0;
		check(done && took >= 40 && hdr.dwBytesRecorded == bytes, nm("formats.record_%s", name),
		      "got done %d after %.1f ms with %lu bytes; want done after >= 40 ms with %lu",
		      done, took, (unsigned long)hdr.dwBytesRecorded, (unsigned long)bytes);
		close_in(hi, &hdr, 1);
	}
	hdrs_free(&hdr, 1);
	CloseHandle(event);
}

/* A format structure ending exactly at an inaccessible page: the driver must read no
 * byte beyond the structure its tag (and cbSize) describe.  A crash here ends the
 * program: the summary line is then missing. */
static void check_format_at_page_end(void)
{
	SYSTEM_INFO si;
	GetSystemInfo(&si);
	BYTE *pages = VirtualAlloc(NULL, 2 * si.dwPageSize, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
	DWORD old;
	if (!pages || !VirtualProtect(pages + si.dwPageSize, si.dwPageSize, PAGE_NOACCESS, &old)) {
		check(false, "formats.page_end_setup", "got no guard page");
		return;
	}
	BYTE *end = pages + si.dwPageSize;
	WAVEFORMATEXTENSIBLE f;
	make_fmt(&f, T_PCM, S_S16, 22050, 1, 0);
	memcpy(end - sizeof(PCMWAVEFORMAT), &f, sizeof(PCMWAVEFORMAT));
	const WAVEFORMATEX *pcm16 = (const WAVEFORMATEX *)(end - sizeof(PCMWAVEFORMAT));
	check_mm("formats.pcmwaveformat_16_bytes_query", query_out(pcm16), MMSYSERR_NOERROR);
	HWAVEOUT h = NULL;
	MMRESULT r = waveOutOpen(&h, out_id, pcm16, 0, 0, CALLBACK_NULL);
	check_mm("formats.pcmwaveformat_16_bytes_open", r, MMSYSERR_NOERROR);
	if (r == MMSYSERR_NOERROR)
		waveOutClose(h);
	make_fmt(&f, T_EXT, S_F32, 44100, 6, 0x3F);
	memcpy(end - sizeof(f), &f, sizeof(f));
	check_mm("formats.extensible_40_bytes_query", query_in((const WAVEFORMATEX *)(end - sizeof(f))),
		 MMSYSERR_NOERROR);
	VirtualFree(pages, 0, MEM_RELEASE);
}

static void group_formats(void)
{
	check_query_semantics();
	check_bad_formats();
	check_format_matrix();
	WAVEFORMATEXTENSIBLE f;
	make_fmt(&f, T_EXT, S_S16, RATE, 2, 0);
	check_mm("formats.ext_mask_0_stereo_query_out", query_out(&f.Format), MMSYSERR_NOERROR);
	make_fmt(&f, T_EXT, S_F32, RATE, 6, 0);
	check_mm("formats.ext_mask_0_6ch_query_in", query_in(&f.Format), MMSYSERR_NOERROR);
	check_real_open("ext_s16_mask0_48k_2ch", T_EXT, S_S16, 48000, 2, 0);
	check_real_open("ext_f32_44k1_6ch", T_EXT, S_F32, 44100, 6, 0x3F);
	check_real_open("pcm_u8_8k_1ch", T_PCM, S_U8, 8000, 1, 0);
	check_real_open("pcm_s24_96k_2ch", T_PCM, S_S24, 96000, 2, 0);
	check_real_open("ext_s24_32_192k_2ch", T_EXT, S_S24_32, 192000, 2, 3);
	check_real_open("pcm_s32_384k_1ch", T_PCM, S_S32, 384000, 1, 0);
	check_real_open("float_f32_22k05_8ch", T_FLOAT, S_F32, 22050, 8, 0);
	check_format_at_page_end();
}

/* ---- group: headers ------------------------------------------------------------------- */

/* Every waveOut call on a handle that is closed answers MMSYSERR_INVALHANDLE. */
static void check_closed_out(HWAVEOUT h, WAVEHDR *hdr)
{
	MMTIME t = { .wType = TIME_BYTES };
	DWORD value;
	UINT id;
	const struct { const char *name; MMRESULT r; } calls[] = {
		{ "write", waveOutWrite(h, hdr, sizeof(*hdr)) },
		{ "prepare", waveOutPrepareHeader(h, hdr, sizeof(*hdr)) },
		{ "unprepare", waveOutUnprepareHeader(h, hdr, sizeof(*hdr)) },
		{ "pause", waveOutPause(h) },
		{ "restart", waveOutRestart(h) },
		{ "reset", waveOutReset(h) },
		{ "breakloop", waveOutBreakLoop(h) },
		{ "getposition", waveOutGetPosition(h, &t, sizeof(t)) },
		{ "getvolume", waveOutGetVolume(h, &value) },
		{ "setvolume", waveOutSetVolume(h, 0) },
		{ "getpitch", waveOutGetPitch(h, &value) },
		{ "getid", waveOutGetID(h, &id) },
		{ "close", waveOutClose(h) },
	};
	for (size_t i = 0; i < ARRAYSIZE(calls); i++)
		check_mm(nm("headers.closed_out_%s", calls[i].name), calls[i].r, MMSYSERR_INVALHANDLE);
}

static void check_closed_in(HWAVEIN h, WAVEHDR *hdr)
{
	MMTIME t = { .wType = TIME_BYTES };
	UINT id;
	const struct { const char *name; MMRESULT r; } calls[] = {
		{ "addbuffer", waveInAddBuffer(h, hdr, sizeof(*hdr)) },
		{ "prepare", waveInPrepareHeader(h, hdr, sizeof(*hdr)) },
		{ "unprepare", waveInUnprepareHeader(h, hdr, sizeof(*hdr)) },
		{ "start", waveInStart(h) },
		{ "stop", waveInStop(h) },
		{ "reset", waveInReset(h) },
		{ "getposition", waveInGetPosition(h, &t, sizeof(t)) },
		{ "getid", waveInGetID(h, &id) },
		{ "close", waveInClose(h) },
	};
	for (size_t i = 0; i < ARRAYSIZE(calls); i++)
		check_mm(nm("headers.closed_in_%s", calls[i].name), calls[i].r, MMSYSERR_INVALHANDLE);
}

static void headers_out(void)
{
	WAVEHDR hdr, empty, nodata;
	hdr_init(&hdr, MS_BYTES(300));
	hdr_init(&empty, 0);
	hdr_init(&nodata, 400);
	free(nodata.lpData);
	nodata.lpData = NULL;
	log_reset();
	HWAVEOUT h = open_out("headers.open_out");
	if (!h)
		return;

	check_mm("headers.write_unprepared", waveOutWrite(h, &hdr, sizeof(hdr)), WAVERR_UNPREPARED);
	check_mm("headers.prepare", waveOutPrepareHeader(h, &hdr, sizeof(hdr)), MMSYSERR_NOERROR);
	check_flags("headers.flags_after_prepare", hdr.dwFlags, WHDR_PREPARED);
	check_mm("headers.prepare_twice", waveOutPrepareHeader(h, &hdr, sizeof(hdr)), MMSYSERR_NOERROR);
	check_flags("headers.flags_after_prepare_twice", hdr.dwFlags, WHDR_PREPARED);
	check_mm("headers.write", waveOutWrite(h, &hdr, sizeof(hdr)), MMSYSERR_NOERROR);
	check_flags("headers.flags_after_write", hdr.dwFlags, WHDR_PREPARED | WHDR_INQUEUE);
	check_mm("headers.write_again_while_queued", waveOutWrite(h, &hdr, sizeof(hdr)),
		 WAVERR_STILLPLAYING);
	check_mm("headers.unprepare_while_queued", waveOutUnprepareHeader(h, &hdr, sizeof(hdr)),
		 WAVERR_STILLPLAYING);
	check_flags("headers.flags_still_queued", hdr.dwFlags, WHDR_PREPARED | WHDR_INQUEUE);
	check_mm("headers.close_while_queued", waveOutClose(h), WAVERR_STILLPLAYING);
	MMTIME t = { .wType = TIME_BYTES };
	check_mm("headers.handle_alive_after_failed_close", waveOutGetPosition(h, &t, sizeof(t)),
		 MMSYSERR_NOERROR);
	check(wait_done(&hdr, 1, LONG_WAIT_MS), "headers.buffer_returns", "got no WHDR_DONE within "
	      "%.0f ms", LONG_WAIT_MS);
	check_flags("headers.flags_when_done", hdr.dwFlags, WHDR_DONE | WHDR_PREPARED);
	check_eq("headers.one_wom_done", (unsigned long long)log_count_msg(WOM_DONE), 1);

	/* Written again once done: WHDR_DONE goes, INQUEUE comes. */
	check_mm("headers.write_after_done", waveOutWrite(h, &hdr, sizeof(hdr)), MMSYSERR_NOERROR);
	check_flags("headers.flags_after_rewrite", hdr.dwFlags, WHDR_PREPARED | WHDR_INQUEUE);
	check_mm("headers.reset", waveOutReset(h), MMSYSERR_NOERROR);
	check_mm("headers.unprepare", waveOutUnprepareHeader(h, &hdr, sizeof(hdr)), MMSYSERR_NOERROR);
	check(!(hdr.dwFlags & (WHDR_PREPARED | WHDR_INQUEUE)), "headers.flags_after_unprepare",
	      "got %s want neither PREPARED nor INQUEUE", whdr_name(hdr.dwFlags));
	check_mm("headers.unprepare_twice", waveOutUnprepareHeader(h, &hdr, sizeof(hdr)),
		 MMSYSERR_NOERROR);

	check_mm("headers.prepare_null", waveOutPrepareHeader(h, NULL, sizeof(WAVEHDR)),
		 MMSYSERR_INVALPARAM);
	check_mm("headers.write_null", waveOutWrite(h, NULL, sizeof(WAVEHDR)), MMSYSERR_INVALPARAM);
	check_mm("headers.unprepare_null", waveOutUnprepareHeader(h, NULL, sizeof(WAVEHDR)),
		 MMSYSERR_INVALPARAM);
	check_mm("headers.prepare_short_cbwh", waveOutPrepareHeader(h, &hdr, sizeof(WAVEHDR) - 1),
		 MMSYSERR_INVALPARAM);
	check_mm("headers.prepare_cbwh_0", waveOutPrepareHeader(h, &hdr, 0), MMSYSERR_INVALPARAM);
	waveOutPrepareHeader(h, &hdr, sizeof(hdr));
	check_mm("headers.write_short_cbwh", waveOutWrite(h, &hdr, sizeof(WAVEHDR) - 1),
		 MMSYSERR_INVALPARAM);
	check_mm("headers.unprepare_short_cbwh", waveOutUnprepareHeader(h, &hdr, sizeof(WAVEHDR) - 1),
		 MMSYSERR_INVALPARAM);
	check_mm("headers.prepare_null_data", waveOutPrepareHeader(h, &nodata, sizeof(nodata)),
		 MMSYSERR_INVALPARAM);

	/* A zero-length buffer is played (nothing) and returned. */
	check_mm("headers.prepare_empty", waveOutPrepareHeader(h, &empty, sizeof(empty)),
		 MMSYSERR_NOERROR);
	check_mm("headers.write_empty", waveOutWrite(h, &empty, sizeof(empty)), MMSYSERR_NOERROR);
	check(wait_done(&empty, 1, LONG_WAIT_MS), "headers.empty_buffer_returns",
	      "got flags %s want DONE", whdr_name(empty.dwFlags));

	check_mm("headers.unknown_message_out", waveOutMessage(h, DRV_USER + 0x77, 0, 0),
		 MMSYSERR_NOTSUPPORTED);
	waveOutUnprepareHeader(h, &hdr, sizeof(hdr));
	waveOutUnprepareHeader(h, &empty, sizeof(empty));
	InterlockedExchange(&in_call, 1);
	check_mm("headers.close", waveOutClose(h), MMSYSERR_NOERROR);
	InterlockedExchange(&in_call, 0);
	check_closed_out(h, &hdr);
	hdrs_free(&hdr, 1);
	hdrs_free(&empty, 1);
}

static void headers_in(void)
{
	WAVEHDR hdr;
	hdr_init(&hdr, MS_BYTES(100));
	HWAVEIN h = open_in_cb("headers.open_in", &fmt_default.Format, 0, CALLBACK_NULL);
	if (!h)
		return;
	check_mm("headers.in_add_unprepared", waveInAddBuffer(h, &hdr, sizeof(hdr)),
		 WAVERR_UNPREPARED);
	check_mm("headers.in_prepare", waveInPrepareHeader(h, &hdr, sizeof(hdr)), MMSYSERR_NOERROR);
	check_mm("headers.in_prepare_twice", waveInPrepareHeader(h, &hdr, sizeof(hdr)),
		 MMSYSERR_NOERROR);
	check_flags("headers.in_flags_after_prepare", hdr.dwFlags, WHDR_PREPARED);
	check_mm("headers.in_add", waveInAddBuffer(h, &hdr, sizeof(hdr)), MMSYSERR_NOERROR);
	check_flags("headers.in_flags_after_add", hdr.dwFlags, WHDR_PREPARED | WHDR_INQUEUE);
	check_mm("headers.in_add_again_while_queued", waveInAddBuffer(h, &hdr, sizeof(hdr)),
		 WAVERR_STILLPLAYING);
	check_mm("headers.in_unprepare_while_queued", waveInUnprepareHeader(h, &hdr, sizeof(hdr)),
		 WAVERR_STILLPLAYING);
	check_mm("headers.in_close_while_queued", waveInClose(h), WAVERR_STILLPLAYING);
	check_mm("headers.in_add_null", waveInAddBuffer(h, NULL, sizeof(WAVEHDR)), MMSYSERR_INVALPARAM);
	check_mm("headers.in_add_short_cbwh", waveInAddBuffer(h, &hdr, sizeof(WAVEHDR) - 1),
		 MMSYSERR_INVALPARAM);
	check_mm("headers.in_reset", waveInReset(h), MMSYSERR_NOERROR);
	check_flags("headers.in_flags_after_reset", hdr.dwFlags, WHDR_DONE | WHDR_PREPARED);
	check_eq("headers.in_reset_unstarted_recorded_nothing", hdr.dwBytesRecorded, 0);
	check_mm("headers.unknown_message_in", waveInMessage(h, DRV_USER + 0x77, 0, 0),
		 MMSYSERR_NOTSUPPORTED);
	check_mm("headers.in_unprepare", waveInUnprepareHeader(h, &hdr, sizeof(hdr)),
		 MMSYSERR_NOERROR);
	check_mm("headers.in_close", waveInClose(h), MMSYSERR_NOERROR);
	check_closed_in(h, &hdr);
	hdrs_free(&hdr, 1);
}

static void group_headers(void)
{
	headers_out();
	headers_in();
}

/* ---- group: callbacks ----------------------------------------------------------------- */

static const char *const kind_names[] = { "none", "function", "event", "window", "thread" };

/* The dwCallback and CALLBACK_* flag of `kind` (not CB_NONE), for waveOutOpen and
 * waveInOpen alike. */
static DWORD_PTR callback_target(enum callback_kind kind, HANDLE event, HWND window, DWORD *flags)
{
	switch (kind) {
	case CB_FUNCTION: *flags = CALLBACK_FUNCTION; return (DWORD_PTR)function_cb;
	case CB_EVENT: *flags = CALLBACK_EVENT; return (DWORD_PTR)event;
	case CB_WINDOW: *flags = CALLBACK_WINDOW; return (DWORD_PTR)window;
	default: *flags = CALLBACK_THREAD; return (DWORD_PTR)main_tid;
	}
}

/* Opens with `kind`, plays 4 x 20 ms, closes; checks every callback. */
static void callbacks_out(enum callback_kind kind)
{
	const char *k = kind_names[kind];
	HANDLE event = CreateEventW(NULL, FALSE, FALSE, NULL);
	HWND window = kind == CB_WINDOW ? make_window() : NULL;
	DWORD flags;
	DWORD_PTR target = callback_target(kind, event, window, &flags);
	WAVEHDR hdr[4];
	hdrs_init(hdr, 4, MS_BYTES(20));
	log_reset();
	HWAVEOUT h = open_out_cb(nm("callbacks.out_%s.open", k), &fmt_default.Format, target, flags);
	if (!h)
		goto out;
	struct cb_entry e[LOG_MAX];
	if (kind == CB_EVENT) {
		check(WaitForSingleObject(event, 1000) == WAIT_OBJECT_0, "callbacks.out_event.open_sets",
		      "got no event for WOM_OPEN");
	} else {
		if (kind != CB_FUNCTION)
			wait_log(1, LONG_WAIT_MS);
		LONG n = log_get(e, LOG_MAX);
		check(n >= 1 && e[0].msg == WOM_OPEN && e[0].device == (HANDLE)h,
		      nm("callbacks.out_%s.wom_open", k), "got %ld callbacks, first msg 0x%x device %p; "
		      "want WOM_OPEN for %p", (long)n, n ? e[0].msg : 0, n ? e[0].device : NULL,
		      (void *)h);
		if (kind == CB_FUNCTION)
			check(n >= 1 && e[0].in_call && e[0].thread_id == main_tid
			      && e[0].instance == INSTANCE, "callbacks.out_function.wom_open_synchronous",
			      "got in_call %d thread %lu (main %lu) instance %#llx", n ? e[0].in_call : 0,
			      n ? e[0].thread_id : 0, main_tid,
			      n ? (unsigned long long)e[0].instance : 0ull);
	}
	prepare_out(h, hdr, 4);
	double t0 = now_ms();
	write_out(h, hdr, 4);
	bool done;
	if (kind == CB_EVENT) {
		/* Only the event wakes us: if it is not set on WOM_DONE, this times out. */
		double end = t0 + LONG_WAIT_MS;
		struct hdr_set set = { hdr, 4 };
		while (!(done = all_done(&set)) && now_ms() < end)
			if (WaitForSingleObject(event, (DWORD)(end - now_ms()) + 1) != WAIT_OBJECT_0)
				break;
		done = all_done(&set);
		check(done, "callbacks.out_event.done_sets", "got %s: not every buffer signalled",
		      whdr_name(hdr[3].dwFlags));
	} else {
		done = wait_log(5, LONG_WAIT_MS);
		check(done, nm("callbacks.out_%s.wom_done_arrive", k), "got %ld callbacks want 5",
		      (long)log_get(NULL, 0));
		check_done_order(nm("callbacks.out_%s.wom_done", k), WOM_DONE, hdr, 4,
				 kind == CB_FUNCTION);
		LONG n = log_get(e, LOG_MAX);
		check_range(nm("callbacks.out_%s.last_done_after_playing", k),
			    n >= 5 ? e[4].at_ms - t0 : -1, 75, LONG_WAIT_MS, "ms");
	}
	for (int i = 0; i < 4; i++)
		waveOutUnprepareHeader(h, &hdr[i], sizeof(WAVEHDR));
	InterlockedExchange(&in_call, 1);
	MMRESULT r = waveOutClose(h);
	InterlockedExchange(&in_call, 0);
	check_mm(nm("callbacks.out_%s.close", k), r, MMSYSERR_NOERROR);
	if (kind == CB_EVENT) {
		check(WaitForSingleObject(event, 1000) == WAIT_OBJECT_0, "callbacks.out_event.close_sets",
		      "got no event for WOM_CLOSE");
	} else {
		if (kind != CB_FUNCTION)
			wait_log(6, LONG_WAIT_MS);
		watch(50); /* duplicates would show now */
		LONG n = log_get(e, LOG_MAX);
		bool ok = n == 6 && e[5].msg == WOM_CLOSE && e[5].device == (HANDLE)h;
		if (kind == CB_FUNCTION)
			ok = ok && e[5].in_call && e[5].thread_id == main_tid;
		check(ok, nm("callbacks.out_%s.wom_close%s", k, kind == CB_FUNCTION ? "_synchronous" : ""),
		      "got %ld callbacks, last msg 0x%x in_call %d thread %lu; want 6, the last "
		      "WOM_CLOSE%s", (long)n, n ? e[n - 1].msg : 0, n ? e[n - 1].in_call : 0,
		      n ? e[n - 1].thread_id : 0,
		      kind == CB_FUNCTION ? " inside waveOutClose on its thread" : "");
	}
out:
	hdrs_free(hdr, 4);
	if (window)
		DestroyWindow(window);
	CloseHandle(event);
}

/* Opens with `kind`, records 3 x 20 ms, closes. */
static void callbacks_in(enum callback_kind kind)
{
	const char *k = kind_names[kind];
	HANDLE event = CreateEventW(NULL, FALSE, FALSE, NULL);
	HWND window = kind == CB_WINDOW ? make_window() : NULL;
	DWORD flags;
	DWORD_PTR target = callback_target(kind, event, window, &flags);
	WAVEHDR hdr[3];
	hdrs_init(hdr, 3, MS_BYTES(20));
	log_reset();
	HWAVEIN h = open_in_cb(nm("callbacks.in_%s.open", k), &fmt_default.Format, target, flags);
	if (!h)
		goto out;
	struct cb_entry e[LOG_MAX];
	if (kind == CB_EVENT) {
		check(WaitForSingleObject(event, 1000) == WAIT_OBJECT_0, "callbacks.in_event.open_sets",
		      "got no event for WIM_OPEN");
	} else {
		if (kind != CB_FUNCTION)
			wait_log(1, LONG_WAIT_MS);
		LONG n = log_get(e, LOG_MAX);
		bool ok = n >= 1 && e[0].msg == WIM_OPEN && e[0].device == (HANDLE)h;
		if (kind == CB_FUNCTION)
			ok = ok && e[0].in_call && e[0].thread_id == main_tid && e[0].instance == INSTANCE;
		check(ok, nm("callbacks.in_%s.wim_open", k), "got %ld callbacks, first msg 0x%x",
		      (long)n, n ? e[0].msg : 0);
	}
	for (int i = 0; i < 3; i++) {
		waveInPrepareHeader(h, &hdr[i], sizeof(WAVEHDR));
		waveInAddBuffer(h, &hdr[i], sizeof(WAVEHDR));
	}
	waveInStart(h);
	if (kind == CB_EVENT) {
		double end = now_ms() + LONG_WAIT_MS;
		struct hdr_set set = { hdr, 3 };
		while (!all_done(&set) && now_ms() < end)
			if (WaitForSingleObject(event, (DWORD)(end - now_ms()) + 1) != WAIT_OBJECT_0)
				break;
		check(all_done(&set), "callbacks.in_event.data_sets", "got not every buffer signalled");
	} else {
		check(wait_log(4, LONG_WAIT_MS), nm("callbacks.in_%s.wim_data_arrive", k),
		      "got %ld callbacks want 4", (long)log_get(NULL, 0));
		check_done_order(nm("callbacks.in_%s.wim_data", k), WIM_DATA, hdr, 3,
				 kind == CB_FUNCTION);
	}
	bool full = true;
	for (int i = 0; i < 3; i++)
		full &= hdr[i].dwBytesRecorded == hdr[i].dwBufferLength;
	check(full, nm("callbacks.in_%s.buffers_full", k), "got a buffer returned short");
	waveInReset(h);
	for (int i = 0; i < 3; i++)
		waveInUnprepareHeader(h, &hdr[i], sizeof(WAVEHDR));
	InterlockedExchange(&in_call, 1);
	MMRESULT r = waveInClose(h);
	InterlockedExchange(&in_call, 0);
	check_mm(nm("callbacks.in_%s.close", k), r, MMSYSERR_NOERROR);
	if (kind == CB_EVENT) {
		check(WaitForSingleObject(event, 1000) == WAIT_OBJECT_0, "callbacks.in_event.close_sets",
		      "got no event for WIM_CLOSE");
	} else {
		if (kind != CB_FUNCTION)
			wait_log(5, LONG_WAIT_MS);
		watch(50);
		LONG n = log_get(e, LOG_MAX);
		bool ok = n == 5 && e[4].msg == WIM_CLOSE && e[4].device == (HANDLE)h;
		if (kind == CB_FUNCTION)
			ok = ok && e[4].in_call && e[4].thread_id == main_tid;
		check(ok, nm("callbacks.in_%s.wim_close", k), "got %ld callbacks, last msg 0x%x; want 5, "
		      "the last WIM_CLOSE", (long)n, n ? e[n - 1].msg : 0);
	}
out:
	hdrs_free(hdr, 3);
	if (window)
		DestroyWindow(window);
	CloseHandle(event);
}

/* Clients that keep a stream going from inside their callback. */
static volatile LONG requeue_left, requeue_failures;

static void rewrite_hook(HANDLE device, WAVEHDR *hdr)
{
	if (InterlockedDecrement(&requeue_left) >= 0
	    && waveOutWrite((HWAVEOUT)device, hdr, sizeof(*hdr)) != MMSYSERR_NOERROR)
		InterlockedIncrement(&requeue_failures);
}

static void readd_hook(HANDLE device, WAVEHDR *hdr)
{
	if (InterlockedDecrement(&requeue_left) >= 0
	    && waveInAddBuffer((HWAVEIN)device, hdr, sizeof(*hdr)) != MMSYSERR_NOERROR)
		InterlockedIncrement(&requeue_failures);
}

static void reset_hook(HANDLE device, WAVEHDR *hdr)
{
	(void)hdr;
	if (InterlockedDecrement(&requeue_left) == 0
	    && waveOutReset((HWAVEOUT)device) != MMSYSERR_NOERROR)
		InterlockedIncrement(&requeue_failures);
}

#define REQUEUES 40

static void callbacks_requeue(void)
{
	WAVEHDR hdr[4];
	hdrs_init(hdr, 4, MS_BYTES(10));
	log_reset();
	HWAVEOUT h = open_out("callbacks.write_from_done.open");
	if (h) {
		prepare_out(h, hdr, 2);
		requeue_left = REQUEUES;
		requeue_failures = 0;
		done_hook = rewrite_hook;
		double t0 = now_ms();
		write_out(h, hdr, 2);
		bool ok = wait_log(1 + 2 + REQUEUES, LONG_WAIT_MS);
		double took = now_ms() - t0;
		watch(30);
		done_hook = NULL;
		LONG n = log_get(NULL, 0);
		check(ok && requeue_failures == 0 && n == 1 + 2 + REQUEUES,
		      "callbacks.write_from_done_keeps_playing",
		      "got %ld WOM_DONE, %ld writes failing inside the callback; want %d, 0",
		      (long)(n - 1), (long)requeue_failures, 2 + REQUEUES);
		check_range("callbacks.write_from_done_real_time", took, 0.9 * 10 * (2 + REQUEUES),
			    LONG_WAIT_MS, "ms");
		check_eq("callbacks.write_from_done_position", pos_of(h, TIME_BYTES),
			 (unsigned long long)MS_BYTES(10) * (2 + REQUEUES));
		close_out(h, hdr, 2);
	}

	/* waveOutReset from inside the first WOM_DONE: the other buffers come back once. */
	log_reset();
	for (int i = 0; i < 4; i++) {
		free(hdr[i].lpData);
		hdr_init(&hdr[i], MS_BYTES(50));
	}
	h = open_out("callbacks.reset_from_done.open");
	if (h) {
		prepare_out(h, hdr, 4);
		requeue_left = 1;
		requeue_failures = 0;
		done_hook = reset_hook;
		write_out(h, hdr, 4);
		bool ok = wait_done(hdr, 4, LONG_WAIT_MS);
		watch(250);
		done_hook = NULL;
		/* From the first WOM_DONE to the last: far less than the 150 ms the other three
		 * would take to play. */
		struct cb_entry e[8];
		LONG n = log_get(e, 8);
		double spread = n >= 5 ? e[4].at_ms - e[1].at_ms : -1;
		check(ok && requeue_failures == 0 && spread >= 0 && spread < 100,
		      "callbacks.reset_from_done_returns_rest",
		      "got all done %d, %ld callbacks, the last %.1f ms after the first, reset failing "
		      "%ld times; want all back at once (< 100 ms)", ok, (long)n, spread,
		      (long)requeue_failures);
		check_done_order("callbacks.reset_from_done", WOM_DONE, hdr, 4, true);
		close_out(h, hdr, 4);
	}

	/* waveInAddBuffer from inside WIM_DATA. */
	log_reset();
	for (int i = 0; i < 4; i++) {
		free(hdr[i].lpData);
		hdr_init(&hdr[i], MS_BYTES(10));
	}
	HWAVEIN hi = open_in_cb("callbacks.add_from_data.open", &fmt_default.Format,
				(DWORD_PTR)function_cb, CALLBACK_FUNCTION);
	if (hi) {
		for (int i = 0; i < 2; i++) {
			waveInPrepareHeader(hi, &hdr[i], sizeof(WAVEHDR));
			waveInAddBuffer(hi, &hdr[i], sizeof(WAVEHDR));
		}
		requeue_left = REQUEUES;
		requeue_failures = 0;
		done_hook = readd_hook;
		double t0 = now_ms();
		waveInStart(hi);
		bool ok = wait_log(1 + 2 + REQUEUES, LONG_WAIT_MS);
		double took = now_ms() - t0;
		watch(30);
		done_hook = NULL;
		LONG n = log_get(NULL, 0);
		check(ok && requeue_failures == 0 && n == 1 + 2 + REQUEUES,
		      "callbacks.add_from_data_keeps_recording",
		      "got %ld WIM_DATA, %ld adds failing inside the callback; want %d, 0",
		      (long)(n - 1), (long)requeue_failures, 2 + REQUEUES);
		check_range("callbacks.add_from_data_real_time", took, 0.9 * 10 * (2 + REQUEUES),
			    LONG_WAIT_MS, "ms");
		close_in(hi, hdr, 2);
	}
	hdrs_free(hdr, 4);
}

static void group_callbacks(void)
{
	static const enum callback_kind kinds[] = { CB_FUNCTION, CB_WINDOW, CB_THREAD, CB_EVENT };
	for (size_t i = 0; i < ARRAYSIZE(kinds); i++) {
		callbacks_out(kinds[i]);
		callbacks_in(kinds[i]);
	}
	callbacks_requeue();
}

/* ---- group: pause --------------------------------------------------------------------- */

static void group_pause(void)
{
	/* b[N2] is written while paused mid-stream. */
	enum { N1 = 4, N2 = 10, NB = N2 + 1 };
	WAVEHDR a[N1], b[NB];
	hdrs_init(a, N1, MS_BYTES(50));
	hdrs_init(b, NB, MS_BYTES(50));
	for (int i = 0; i < N1; i++)
		fill_counter(&a[i], 1 + i * 2400);
	for (int i = 0; i < NB; i++)
		fill_counter(&b[i], 1 + (N1 + i) * 2400);
	struct recorder rec;
	if (!rec_start(&rec, "pause.recorder"))
		goto out;
	log_reset();
	HWAVEOUT h = open_out("pause.open");
	if (!h)
		goto out_rec;
	prepare_out(h, a, N1);
	prepare_out(h, b, NB);

	/* Start paused, queue everything, restart (what many players do). */
	check_mm("pause.pause_before_write", waveOutPause(h), MMSYSERR_NOERROR);
	check_eq("pause.writes_queue_while_paused", (unsigned long long)write_out(h, a, N1), N1);
	watch(300);
	check_eq("pause.nothing_returns_while_paused", (unsigned long long)log_count_msg(WOM_DONE), 0);
	check_eq("pause.position_zero_while_paused", pos_of(h, TIME_BYTES), 0);
	double t_restart = now_ms();
	check_mm("pause.restart", waveOutRestart(h), MMSYSERR_NOERROR);
	bool done = wait_done(a, N1, LONG_WAIT_MS);
	double took = now_ms() - t_restart;
	check(done && took >= 0.9 * 200, "pause.restart_plays_queued",
	      "got all done %d after %.1f ms want done after >= 180 ms (200 ms queued)", done, took);
	check_done_order("pause.start_paused", WOM_DONE, a, N1, true);
	check_eq("pause.position_after_start_paused", pos_of(h, TIME_BYTES), MS_BYTES(200));

	/* Pause mid-stream: the position freezes, nothing unplayed returns, writes queue
	 * behind the rest; restart goes on from the same frame. */
	log_reset();
	DWORD base = MS_BYTES(200);
	double t0 = now_ms();
	write_out(h, b, N2);
	struct pos_target target = { h, base + MS_BYTES(150) };
	wait_cond(pos_reached, &target, LONG_WAIT_MS);
	check_mm("pause.pause_mid_stream", waveOutPause(h), MMSYSERR_NOERROR);
	check_mm("pause.pause_twice", waveOutPause(h), MMSYSERR_NOERROR);
	DWORD p1 = pos_of(h, TIME_BYTES);
	watch(300);
	DWORD p2 = pos_of(h, TIME_BYTES);
	check(p1 == p2 && p1 >= base + MS_BYTES(150), "pause.position_frozen",
	      "got %lu then %lu 300 ms later want equal (>= %lu)", (unsigned long)p1,
	      (unsigned long)p2, (unsigned long)(base + MS_BYTES(150)));
	check_mm("pause.write_while_paused_mid_stream", waveOutWrite(h, &b[N2], sizeof(WAVEHDR)),
		 MMSYSERR_NOERROR);
	DWORD returned = 0;
	int n_returned = 0;
	for (int i = 0; i < N2; i++)
		if (b[i].dwFlags & WHDR_DONE) {
			returned += b[i].dwBufferLength;
			n_returned++;
		}
	check(base + returned <= p1 && n_returned < N2, "pause.only_played_buffers_return",
	      "got %d buffers (%lu bytes) back at paused position %lu", n_returned,
	      (unsigned long)returned, (unsigned long)(p1 - base));
	double t_r = now_ms();
	check_mm("pause.restart_mid_stream", waveOutRestart(h), MMSYSERR_NOERROR);
	check_mm("pause.restart_twice", waveOutRestart(h), MMSYSERR_NOERROR);
	target.bytes = p1 + MS_BYTES(50);
	bool moved = wait_cond(pos_reached, &target, LONG_WAIT_MS);
	DWORD p3 = pos_of(h, TIME_BYTES);
	double since = now_ms() - t_r;
	check(moved && p3 - p1 <= (since + 2) * BYTES_PER_MS, "pause.restart_continues",
	      "got %lu bytes %.1f ms after restart (from %lu); want more, at most wall clock",
	      (unsigned long)p3, since, (unsigned long)p1);
	done = wait_done(b, NB, LONG_WAIT_MS);
	took = now_ms() - t0;
	check(done && took >= 550 + 300 - 30, "pause.pause_delays_the_end",
	      "got done %d after %.1f ms want >= 820 ms (550 ms audio + 300 ms paused)", done, took);
	check_done_order("pause.mid_stream", WOM_DONE, b, NB, true);
	check_eq("pause.exact_position_at_end", pos_of(h, TIME_BYTES), MS_BYTES(750));
	for (int i = 0; i < NB; i++)
		waveOutUnprepareHeader(h, &b[i], sizeof(WAVEHDR));
	close_out(h, a, N1);
out_rec:
	rec_stop(&rec);
	if (h) {
		size_t n;
		int16_t *want = counter_run(1, (N1 + NB) * 2400, 1, &n);
		check_heard("pause.heard_every_frame_once_in_order", &rec, want, n);
		free(want);
	}
	free(rec.data);
out:
	hdrs_free(a, N1);
	hdrs_free(b, NB);
}

/* ---- group: reset --------------------------------------------------------------------- */

static void group_reset(void)
{
	enum { N = 4 };
	WAVEHDR hdr[N], more[2];
	hdrs_init(hdr, N, MS_BYTES(200));
	hdrs_init(more, 2, MS_BYTES(50));
	for (int i = 0; i < N; i++)
		fill_counter(&hdr[i], 1 + i * 9600);
	struct recorder rec;
	if (!rec_start(&rec, "reset.recorder"))
		goto out;
	log_reset();
	HWAVEOUT h = open_out("reset.open");
	if (!h)
		goto out_rec;
	prepare_out(h, hdr, N);
	prepare_out(h, more, 2);
	check_mm("reset.with_nothing_queued", waveOutReset(h), MMSYSERR_NOERROR);
	write_out(h, hdr, N);
	struct pos_target target = { h, MS_BYTES(100) };
	wait_cond(pos_reached, &target, LONG_WAIT_MS);
	DWORD before = pos_of(h, TIME_BYTES);
	check_mm("reset.reset", waveOutReset(h), MMSYSERR_NOERROR);
	int bad = -1;
	for (int i = 0; i < N; i++)
		if (hdr[i].dwFlags != (WHDR_DONE | WHDR_PREPARED) && bad < 0)
			bad = i;
	check(bad < 0, "reset.all_buffers_done", "got header %d flags %s want DONE|PREPARED", bad,
	      bad >= 0 ? whdr_name(hdr[bad].dwFlags) : "");
	check(wait_log(1 + N, LONG_WAIT_MS), "reset.all_buffers_called_back",
	      "got %ld callbacks want %d", (long)log_get(NULL, 0), 1 + N);
	check_done_order("reset", WOM_DONE, hdr, N, true);
	check_eq("reset.position_bytes_zero", pos_of(h, TIME_BYTES), 0);
	check_eq("reset.position_samples_zero", pos_of(h, TIME_SAMPLES), 0);
	watch(300);
	check_eq("reset.no_late_callbacks", (unsigned long long)log_get(NULL, 0), 1 + N);
	check_eq("reset.position_stays_zero", pos_of(h, TIME_BYTES), 0);

	/* Still a working stream, counting from 0. */
	log_reset();
	write_out(h, more, 2);
	bool done = wait_done(more, 2, LONG_WAIT_MS);
	check(done, "reset.plays_after_reset", "got flags %s want DONE", whdr_name(more[1].dwFlags));
	check_eq("reset.position_counts_from_zero", pos_of(h, TIME_BYTES), MS_BYTES(100));
	for (int i = 0; i < 2; i++)
		waveOutUnprepareHeader(h, &more[i], sizeof(WAVEHDR));
	close_out(h, hdr, N);
out_rec:
	rec_stop(&rec);
	if (h) {
		/* What was heard: the counter from 1 up to about where the reset came, then
		 * silence (the "more" buffers are silent). */
		size_t n, lr;
		int16_t *got = rec_signal(&rec, &n, &lr);
		size_t prefix = 0;
		while (prefix < n && got[prefix] == (int16_t)(1 + prefix))
			prefix++;
		double heard_ms = n / 48.0;
		check(prefix == n && lr == 0 && n >= before / BLOCK,
		      "reset.heard_a_prefix_up_to_reset",
		      "got %zu frames, in order up to %zu, %zu with L != R; want >= %lu in order",
		      n, prefix, lr, (unsigned long)(before / BLOCK));
		check_range("reset.silent_right_after_reset", heard_ms - before / (double)BYTES_PER_MS,
			    0, 60, "ms heard past the position before reset");
		free(got);
	}
	free(rec.data);
out:
	hdrs_free(hdr, N);
	hdrs_free(more, 2);
}

/* ---- group: loops --------------------------------------------------------------------- */

static void group_loops(void)
{
	WAVEHDR loop, ab[3], brk;
	hdr_init(&loop, MS_BYTES(100));
	fill_counter(&loop, 1);
	hdrs_init(ab, 3, MS_BYTES(50));
	fill_counter(&ab[0], 10001);
	fill_counter(&ab[1], 20001);
	fill_counter(&ab[2], 30001);
	hdr_init(&brk, MS_BYTES(100));
	fill_counter(&brk, 1);
	struct recorder rec;
	size_t n_want;
	int16_t *want;
	HWAVEOUT h = NULL;

	/* One header, BEGINLOOP|ENDLOOP, dwLoops 3: played 3 times, returned once. */
	if (rec_start(&rec, "loops.recorder")) {
		log_reset();
		h = open_out("loops.open");
		if (h) {
			loop.dwFlags = WHDR_BEGINLOOP | WHDR_ENDLOOP;
			check_mm("loops.prepare_keeps_loop_flags",
				 waveOutPrepareHeader(h, &loop, sizeof(loop)), MMSYSERR_NOERROR);
			check_flags("loops.flags_after_prepare", loop.dwFlags,
				    WHDR_BEGINLOOP | WHDR_ENDLOOP | WHDR_PREPARED);
			loop.dwLoops = 3;
			double t0 = now_ms();
			check_mm("loops.write", waveOutWrite(h, &loop, sizeof(loop)), MMSYSERR_NOERROR);
			double mid = t0 + 200;
			wait_cond(time_passed, &mid, LONG_WAIT_MS);
			DWORD pos_mid = pos_of(h, TIME_BYTES);
			double at_mid = now_ms() - t0;
			bool done = wait_done(&loop, 1, LONG_WAIT_MS);
			double took = now_ms() - t0;
			check(done && took >= 3 * 100 - 10, "loops.three_iterations_take_3x",
			      "got done %d after %.1f ms want >= 290 ms (3 x 100 ms)", done, took);
			check_range("loops.three_iterations_not_longer", took, 0, 300 + 1000, "ms");
			watch(150);
			check_eq("loops.returned_once", (unsigned long long)log_count_msg(WOM_DONE), 1);
			check_flags("loops.flags_when_done", loop.dwFlags,
				    WHDR_DONE | WHDR_PREPARED | WHDR_BEGINLOOP | WHDR_ENDLOOP);
			/* The position is what was played: three times the buffer. */
			check(pos_mid + MS_BYTES(100) >= MS_BYTES(at_mid) && pos_mid <= MS_BYTES(at_mid + 2),
			      "loops.position_tracks_wall_clock_in_loop",
			      "got %lu bytes %.1f ms after the write want within one buffer (%lu) of "
			      "%lu", (unsigned long)pos_mid, at_mid, (unsigned long)MS_BYTES(100),
			      (unsigned long)MS_BYTES(at_mid));
			check_eq("loops.position_counts_every_iteration", pos_of(h, TIME_BYTES),
				 3ull * MS_BYTES(100));
			close_out(h, &loop, 1);
		}
		rec_stop(&rec);
		if (h) {
			want = counter_run(1, 4800, 3, &n_want);
			check_heard("loops.heard_three_times", &rec, want, n_want);
			free(want);
		}
		free(rec.data);
	}

	/* A loop over two headers (A BEGINLOOP, B ENDLOOP, dwLoops 2 on A), then C:
	 * heard A B A B C; returned A, B, C once each. */
	if (rec_start(&rec, "loops.recorder_2")) {
		log_reset();
		h = open_out("loops.open_2");
		if (h) {
			ab[0].dwFlags = WHDR_BEGINLOOP;
			ab[1].dwFlags = WHDR_ENDLOOP;
			prepare_out(h, ab, 3);
			ab[0].dwLoops = 2;
			double t0 = now_ms();
			write_out(h, ab, 3);
			bool done = wait_done(ab, 3, LONG_WAIT_MS);
			double took = now_ms() - t0;
			check(done && took >= 250 - 10 && took <= 250 + 1000, "loops.two_header_loop_time",
			      "got done %d after %.1f ms want 240..1250 ms (A B A B C, 50 ms each)", done,
			      took);
			watch(100);
			check_done_order("loops.two_header_loop", WOM_DONE, ab, 3, true);
			close_out(h, ab, 3);
		}
		rec_stop(&rec);
		if (h) {
			n_want = 5 * 2400;
			want = malloc(n_want * sizeof(*want));
			static const int order[] = { 10001, 20001, 10001, 20001, 30001 };
			for (size_t i = 0; i < n_want; i++)
				want[i] = (int16_t)(order[i / 2400] + (int)(i % 2400));
			check_heard("loops.heard_a_b_a_b_c", &rec, want, n_want);
			free(want);
		}
		free(rec.data);
	}

	/* BREAKLOOP: the iteration playing is played to its end, then the loop is over
	 * ("The blocks making up the loop are played to the end before the loop is
	 * terminated", waveOutBreakLoop docs). */
	if (rec_start(&rec, "loops.recorder_3")) {
		log_reset();
		h = open_out("loops.open_3");
		if (h) {
			brk.dwFlags = WHDR_BEGINLOOP | WHDR_ENDLOOP;
			prepare_out(h, &brk, 1);
			brk.dwLoops = 30;
			double t0 = now_ms();
			write_out(h, &brk, 1);
			double at = t0 + 250; /* mid third iteration */
			wait_cond(time_passed, &at, LONG_WAIT_MS);
			double t_break = now_ms();
			check_mm("loops.breakloop", waveOutBreakLoop(h), MMSYSERR_NOERROR);
			bool done = wait_done(&brk, 1, LONG_WAIT_MS);
			double t_done = now_ms();
			check(done && t_done - t0 < 1500, "loops.breakloop_ends_early",
			      "got done %d after %.1f ms want well before 3000 ms (30 x 100 ms)", done,
			      t_done - t0);
			check_range("loops.breakloop_ends_with_current_iteration", t_done - t_break, 0,
				    100 + 60, "ms from BREAKLOOP to WOM_DONE (iteration: 100 ms)");
			check_mm("loops.breakloop_without_loop", waveOutBreakLoop(h), MMSYSERR_NOERROR);
			close_out(h, &brk, 1);
			/* Iterations heard: whole ones, up to the one playing at the break. */
			rec_stop(&rec);
			size_t n, lr;
			int16_t *got = rec_signal(&rec, &n, &lr);
			/* Near an iteration boundary the driver's "now" may differ from ours by
			 * a little: then either neighbour is right. */
			double in = t_break - t0;
			int playing = (int)(in / 100) + 1;
			double phase = in - (playing - 1) * 100.0;
			int lo = playing - (phase < 15), hi = playing + (phase > 85);
			want = counter_run(1, 4800, n ? (int)(n / 4800) : 1, &n_want);
			bool whole = n > 0 && n % 4800 == 0 && n_want == n && lr == 0
				     && !memcmp(got, want, n * sizeof(*got));
			int k = (int)(n / 4800);
			check(whole && k >= lo && k <= hi,
			      "loops.breakloop_heard_whole_iterations_to_current",
			      "got %zu frames (%.2f iterations, whole: %d) want %d..%d iterations (the "
			      "one playing at the break, %.1f ms in)", n, n / 4800.0, whole, lo, hi, in);
			free(want);
			free(got);
		} else {
			rec_stop(&rec);
		}
		free(rec.data);
	}

	/* Pausing inside a loop only delays it: every iteration is still heard, whole. */
	if (rec_start(&rec, "loops.recorder_4")) {
		log_reset();
		h = open_out("loops.open_4");
		if (h) {
			loop.dwFlags = WHDR_BEGINLOOP | WHDR_ENDLOOP;
			prepare_out(h, &loop, 1);
			loop.dwLoops = 5;
			double t0 = now_ms();
			write_out(h, &loop, 1);
			double at = t0 + 150; /* mid second iteration */
			wait_cond(time_passed, &at, LONG_WAIT_MS);
			waveOutPause(h);
			watch(100);
			waveOutRestart(h);
			bool done = wait_done(&loop, 1, LONG_WAIT_MS);
			double took = now_ms() - t0;
			check(done && took >= 500 + 100 - 20, "loops.pause_inside_loop_delays_it",
			      "got done %d after %.1f ms want >= 580 ms (5 x 100 ms + 100 ms paused)",
			      done, took);
			close_out(h, &loop, 1);
		}
		rec_stop(&rec);
		if (h) {
			want = counter_run(1, 4800, 5, &n_want);
			check_heard("loops.pause_inside_loop_heard_five_times", &rec, want, n_want);
			free(want);
		}
		free(rec.data);
	}
	hdrs_free(&loop, 1);
	hdrs_free(ab, 3);
	hdrs_free(&brk, 1);
}

/* ---- group: getpos -------------------------------------------------------------------- */

static DWORD mmtime_bytes(const MMTIME *t)
{
	switch (t->wType) {
	case TIME_BYTES: return t->u.cb;
	case TIME_SAMPLES: return t->u.sample * BLOCK;
	}
	return 0xFFFFFFFFu;
}

static void getpos_exact(HWAVEOUT h, DWORD bytes, const char *when)
{
	static const struct { UINT type; const char *name; } types[] = {
		{ TIME_BYTES, "bytes" }, { TIME_SAMPLES, "samples" },
	};
	for (size_t i = 0; i < ARRAYSIZE(types); i++) {
		MMTIME t = { .wType = types[i].type };
		MMRESULT r = waveOutGetPosition(h, &t, sizeof(t));
		check(r == MMSYSERR_NOERROR && t.wType == types[i].type && mmtime_bytes(&t) == bytes,
		      nm("getpos.%s_%s", when, types[i].name),
		      "got %s type %u = %lu bytes want type %u = %lu bytes", mm_name(r), t.wType,
		      (unsigned long)mmtime_bytes(&t), types[i].type, (unsigned long)bytes);
	}
	/* Every other type comes back in bytes, wType rewritten, as Windows' own wave
	 * drivers answer: TIME_MS and TIME_SMPTE too. */
	static const struct { UINT type; const char *name; } others[] = {
		{ TIME_MS, "ms" }, { TIME_SMPTE, "smpte" }, { TIME_MIDI, "midi" },
		{ TIME_TICKS, "ticks" }, { 0x77, "unknown_type" },
	};
	for (size_t i = 0; i < ARRAYSIZE(others); i++) {
		MMTIME t = { .wType = others[i].type };
		MMRESULT r = waveOutGetPosition(h, &t, sizeof(t));
		check(r == MMSYSERR_NOERROR && t.wType == TIME_BYTES && t.u.cb == bytes,
		      nm("getpos.%s_%s_as_bytes", when, others[i].name),
		      "got %s type %u = %lu want TIME_BYTES = %lu", mm_name(r), t.wType,
		      (unsigned long)t.u.cb, (unsigned long)bytes);
	}
}

static void group_getpos(void)
{
	enum { N = 5 };
	WAVEHDR hdr[N];
	hdrs_init(hdr, N, MS_BYTES(100));
	log_reset();
	HWAVEOUT h = open_out("getpos.open");
	if (!h)
		goto out;
	prepare_out(h, hdr, N);
	getpos_exact(h, 0, "at_open");

	MMTIME t = { .wType = TIME_BYTES };
	check_mm("getpos.short_mmtime_error", waveOutGetPosition(h, &t, sizeof(t) - 1), MMSYSERR_ERROR);
	check_mm("getpos.mmtime_4_error", waveOutGetPosition(h, &t, 4), MMSYSERR_ERROR);
	check_mm("getpos.larger_mmtime_ok", waveOutGetPosition(h, &t, sizeof(t) + 1), MMSYSERR_NOERROR);
	check_mm("getpos.null_invalparam", waveOutGetPosition(h, NULL, sizeof(t)), MMSYSERR_INVALPARAM);

	/* During playback: every type monotonic; bytes within one buffer of the wall clock
	 * and never ahead of it. */
	double t0 = now_ms();
	write_out(h, hdr, N);
	DWORD last[2] = { 0, 0 };
	static const UINT types[2] = { TIME_BYTES, TIME_SAMPLES };
	int samples = 0, backwards = -1, early = 0, late = 0;
	double worst_early = 0, worst_late = 0;
	struct hdr_set set = { hdr, N };
	while (!all_done(&set) && now_ms() - t0 < LONG_WAIT_MS) {
		for (int k = 0; k < 2; k++) {
			double before = now_ms() - t0;
			DWORD p = pos_of(h, types[k]);
			double after = now_ms() - t0;
			if (p < last[k] && backwards < 0)
				backwards = k;
			last[k] = p;
			DWORD bytes = types[k] == TIME_BYTES ? p : p * BLOCK;
			double wall_lo = before * BYTES_PER_MS, wall_hi = (after + 2) * BYTES_PER_MS;
			if (wall_lo > MS_BYTES(100 * N))
				wall_lo = MS_BYTES(100 * N);
			if (bytes > wall_hi) {
				early++;
				if (bytes - wall_hi > worst_early)
					worst_early = bytes - wall_hi;
			}
			if (bytes + MS_BYTES(100) < wall_lo) {
				late++;
				if (wall_lo - bytes > worst_late)
					worst_late = wall_lo - bytes;
			}
			samples++;
		}
		Sleep(7);
	}
	check(backwards < 0, "getpos.monotonic_during_playback",
	      "got type %u going backwards", backwards >= 0 ? types[backwards] : 0);
	check(early == 0, "getpos.never_ahead_of_wall_clock",
	      "got %d of %d readings ahead, worst by %.0f bytes", early, samples, worst_early);
	check(late == 0, "getpos.within_one_buffer_of_wall_clock",
	      "got %d of %d readings more than one buffer behind, worst by %.0f bytes", late,
	      samples, worst_late);
	check(all_done(&set), "getpos.all_returned", "got the last buffer %s",
	      whdr_name(hdr[N - 1].dwFlags));
	/* WOM_DONE comes once the buffer has been played, not before, and not much later. */
	struct cb_entry e[LOG_MAX];
	LONG n = log_get(e, LOG_MAX);
	int k = 0, early_done = -1, late_done = -1;
	double early_by = 0, late_by = 0;
	for (LONG i = 0; i < n; i++) {
		if (e[i].msg != WOM_DONE)
			continue;
		double end = 100.0 * ++k;
		if (e[i].at_ms - t0 < end - 1 && early_done < 0) {
			early_done = k - 1;
			early_by = end - (e[i].at_ms - t0);
		}
		if (e[i].at_ms - t0 > end + 200 && late_done < 0) {
			late_done = k - 1;
			late_by = e[i].at_ms - t0 - end;
		}
	}
	check(k == N && early_done < 0, "getpos.wom_done_not_before_buffer_played",
	      "got %d WOM_DONE, buffer %d back %.1f ms before its last frame played", k,
	      early_done, early_by);
	check(k == N && late_done < 0, "getpos.wom_done_within_200ms_of_buffer_end",
	      "got %d WOM_DONE, buffer %d back %.1f ms after its last frame played", k, late_done,
	      late_by);
	getpos_exact(h, MS_BYTES(100 * N), "at_end");
	close_out(h, hdr, N);

	/* Bytes count exactly, even a buffer that does not hold whole frames. */
	WAVEHDR odd[2];
	hdr_init(&odd[0], 4801);
	hdr_init(&odd[1], 4800);
	h = open_out("getpos.open_odd");
	if (h) {
		prepare_out(h, odd, 2);
		write_out(h, odd, 2);
		check(wait_done(odd, 2, LONG_WAIT_MS), "getpos.odd_buffer_returns", "got %s",
		      whdr_name(odd[0].dwFlags));
		check_eq("getpos.counts_partial_frame_bytes", pos_of(h, TIME_BYTES), 9601);
		close_out(h, odd, 2);
	}
	hdrs_free(odd, 2);

	/* A resampled stream (44.1 kHz on a 48 kHz cable): exact in its own units. */
	WAVEFORMATEXTENSIBLE f;
	make_fmt(&f, T_PCM, S_S16, 44100, 2, 0);
	WAVEHDR rs[3];
	hdrs_init(rs, 3, 4410 * 4);
	h = open_out_cb("getpos.open_44k1", &f.Format, (DWORD_PTR)function_cb, CALLBACK_FUNCTION);
	if (h) {
		prepare_out(h, rs, 3);
		double start = now_ms();
		write_out(h, rs, 3);
		DWORD prev = 0;
		bool mono = true, behind = true;
		while (!wait_done(rs, 3, 10) && now_ms() - start < LONG_WAIT_MS) {
			double before = now_ms() - start;
			DWORD p = pos_of(h, TIME_BYTES);
			mono &= p >= prev;
			behind &= p <= (now_ms() - start + 2) * 44.1 * 4 && p + 4410 * 4 >= before * 44.1 * 4;
			prev = p;
		}
		check(mono, "getpos.resampled_monotonic", "got the position going backwards");
		check(behind, "getpos.resampled_within_one_buffer", "got a reading off the wall clock "
		      "by more than one buffer");
		check_eq("getpos.resampled_exact_at_end", pos_of(h, TIME_BYTES), 3 * 4410 * 4);
		close_out(h, rs, 3);
	}
	hdrs_free(rs, 3);
out:
	hdrs_free(hdr, N);
}

/* ---- group: record -------------------------------------------------------------------- */

static bool all_zero(const WAVEHDR *h)
{
	for (DWORD i = 0; i < h->dwBytesRecorded; i++)
		if (h->lpData[i])
			return false;
	return true;
}

struct in_target {
	HWAVEIN h;
	DWORD bytes;
};

static bool in_pos_reached(const void *arg)
{
	const struct in_target *t = arg;
	DWORD p = in_pos_of(t->h);
	return p != 0xFFFFFFFFu && p >= t->bytes;
}

static void group_record(void)
{
	enum { N = 10 };
	WAVEHDR one, four[4], many[N], big[2];
	hdr_init(&one, MS_BYTES(100));
	memset(one.lpData, 0x55, one.dwBufferLength);
	hdrs_init(four, 4, MS_BYTES(50));
	hdrs_init(many, N, MS_BYTES(50));
	hdr_init(&big[0], MS_BYTES(500));
	hdr_init(&big[1], MS_BYTES(100));
	log_reset();
	HWAVEIN h = open_in_cb("record.open", &fmt_default.Format, (DWORD_PTR)function_cb,
			       CALLBACK_FUNCTION);
	if (!h)
		goto out;
	check_eq("record.position_zero_at_open", in_pos_of(h), 0);

	/* Nobody plays: silence, in real time. */
	waveInPrepareHeader(h, &one, sizeof(one));
	waveInAddBuffer(h, &one, sizeof(one));
	watch(100);
	check_flags("record.nothing_before_start", one.dwFlags, WHDR_PREPARED | WHDR_INQUEUE);
	double t0 = now_ms();
	check_mm("record.start", waveInStart(h), MMSYSERR_NOERROR);
	check_mm("record.start_twice", waveInStart(h), MMSYSERR_NOERROR);
	bool done = wait_done(&one, 1, LONG_WAIT_MS);
	double took = now_ms() - t0;
	check(done && took >= 90, "record.buffer_takes_real_time",
	      "got done %d after %.1f ms want a 100 ms buffer back after >= 90 ms", done, took);
	check_range("record.buffer_returns_promptly", took, 0, 100 + 1000, "ms");
	check_eq("record.buffer_full", one.dwBytesRecorded, one.dwBufferLength);
	check(all_zero(&one), "record.silence_when_nobody_plays", "got non-zero samples");
	check_flags("record.flags_when_done", one.dwFlags, WHDR_DONE | WHDR_PREPARED);
	DWORD p = in_pos_of(h);
	check(p >= MS_BYTES(100) && p != 0xFFFFFFFFu, "record.position_after_one_buffer",
	      "got %lu want >= %lu", (unsigned long)p, (unsigned long)MS_BYTES(100));

	/* Four buffers come back in order, in real time. */
	wait_logged(WIM_DATA, &one, LONG_WAIT_MS);
	log_reset();
	for (int i = 0; i < 4; i++)
		waveInPrepareHeader(h, &four[i], sizeof(WAVEHDR));
	t0 = now_ms();
	for (int i = 0; i < 4; i++)
		waveInAddBuffer(h, &four[i], sizeof(WAVEHDR));
	done = wait_done(four, 4, LONG_WAIT_MS);
	took = now_ms() - t0;
	check(done && took >= 0.9 * 200, "record.four_buffers_real_time",
	      "got done %d after %.1f ms want >= 180 ms (4 x 50 ms)", done, took);
	check_done_order("record.four", WIM_DATA, four, 4, true);

	/* The position advances with the wall clock while recording. */
	for (int i = 0; i < N; i++) {
		waveInPrepareHeader(h, &many[i], sizeof(WAVEHDR));
		waveInAddBuffer(h, &many[i], sizeof(WAVEHDR));
	}
	DWORD p0 = in_pos_of(h), prev = p0;
	double s0 = now_ms();
	bool mono = true;
	while (now_ms() - s0 < 300) {
		DWORD q = in_pos_of(h);
		mono &= q >= prev && q != 0xFFFFFFFFu;
		prev = q;
		Sleep(10);
	}
	double span = now_ms() - s0;
	check(mono, "record.position_monotonic", "got the position going backwards");
	check_range("record.position_tracks_wall_clock", (prev - p0) / (double)BYTES_PER_MS,
		    span - 50, span + 10, "ms advanced");

	/* Reset returns every buffer; the position goes back to 0. */
	check_mm("record.reset", waveInReset(h), MMSYSERR_NOERROR);
	int bad = -1;
	for (int i = 0; i < N; i++)
		if ((many[i].dwFlags & (WHDR_DONE | WHDR_INQUEUE)) != WHDR_DONE && bad < 0)
			bad = i;
	check(bad < 0, "record.reset_returns_all", "got buffer %d %s", bad,
	      bad >= 0 ? whdr_name(many[bad].dwFlags) : "");
	check_eq("record.reset_position_zero", in_pos_of(h), 0);
	check(many[0].dwBytesRecorded > 0 && many[N - 1].dwBytesRecorded == 0,
	      "record.reset_returns_recorded_and_empty", "got %lu bytes in the first, %lu in the last",
	      (unsigned long)many[0].dwBytesRecorded, (unsigned long)many[N - 1].dwBytesRecorded);

	/* Stop returns the partly filled buffer and keeps the empty one queued. */
	waveInPrepareHeader(h, &big[0], sizeof(WAVEHDR));
	waveInPrepareHeader(h, &big[1], sizeof(WAVEHDR));
	waveInAddBuffer(h, &big[0], sizeof(WAVEHDR));
	waveInAddBuffer(h, &big[1], sizeof(WAVEHDR));
	t0 = now_ms();
	waveInStart(h);
	struct in_target target = { h, MS_BYTES(150) };
	wait_cond(in_pos_reached, &target, LONG_WAIT_MS);
	check_mm("record.stop", waveInStop(h), MMSYSERR_NOERROR);
	double stopped_at = now_ms() - t0;
	check(wait_done(&big[0], 1, 1000), "record.stop_returns_current_buffer",
	      "got flags %s want DONE", whdr_name(big[0].dwFlags));
	DWORD got = big[0].dwBytesRecorded;
	check(got > 0 && got < big[0].dwBufferLength && got % BLOCK == 0,
	      "record.stop_partial_whole_frames", "got %lu of %lu bytes", (unsigned long)got,
	      (unsigned long)big[0].dwBufferLength);
	check_range("record.stop_recorded_until_stop", got / (double)BYTES_PER_MS, 140,
		    stopped_at + 10, "ms recorded");
	check_flags("record.stop_keeps_empty_buffer_queued", big[1].dwFlags,
		    WHDR_PREPARED | WHDR_INQUEUE);
	check_mm("record.stop_twice", waveInStop(h), MMSYSERR_NOERROR);
	DWORD ps = in_pos_of(h);
	MMTIME ts = { .wType = TIME_SAMPLES }, tm = { .wType = TIME_MS };
	MMRESULT rs = waveInGetPosition(h, &ts, sizeof(ts));
	MMRESULT rm = waveInGetPosition(h, &tm, sizeof(tm));
	check(rs == MMSYSERR_NOERROR && rm == MMSYSERR_NOERROR && ts.wType == TIME_SAMPLES
	      && tm.wType == TIME_BYTES && ts.u.sample == ps / BLOCK && tm.u.cb == ps,
	      "record.position_types_agree", "got %lu bytes, %s %lu samples, %s type %u = %lu "
	      "(TIME_MS is answered in bytes)", (unsigned long)ps, mm_name(rs),
	      (unsigned long)ts.u.sample, mm_name(rm), tm.wType, (unsigned long)tm.u.cb);
	check_mm("record.short_mmtime_error", waveInGetPosition(h, &ts, sizeof(ts) - 1),
		 MMSYSERR_ERROR);
	watch(150);
	check_eq("record.stopped_position_frozen", in_pos_of(h), ps);
	check_flags("record.stopped_buffer_stays_queued", big[1].dwFlags,
		    WHDR_PREPARED | WHDR_INQUEUE);
	t0 = now_ms();
	waveInStart(h);
	done = wait_done(&big[1], 1, LONG_WAIT_MS);
	took = now_ms() - t0;
	check(done && took >= 90 && big[1].dwBytesRecorded == big[1].dwBufferLength,
	      "record.start_after_stop_continues",
	      "got done %d after %.1f ms with %lu bytes want a full buffer after >= 90 ms", done,
	      took, (unsigned long)big[1].dwBytesRecorded);
	waveInReset(h);
	for (int i = 0; i < 4; i++)
		waveInUnprepareHeader(h, &four[i], sizeof(WAVEHDR));
	for (int i = 0; i < N; i++)
		waveInUnprepareHeader(h, &many[i], sizeof(WAVEHDR));
	waveInUnprepareHeader(h, &one, sizeof(WAVEHDR));
	close_in(h, big, 2);
out:
	hdrs_free(&one, 1);
	hdrs_free(four, 4);
	hdrs_free(many, N);
	hdrs_free(big, 2);
}

/* ---- group: controls (volume, pitch, playback rate) ----------------------------------- */

/* Plays 200 ms of constant 16384 (-6 dBFS) at `volume` while recording the cable: the
 * first non-silent frame's (left, right), how many non-silent frames were heard and how
 * many of them differ from the first.  False if the buffer did not come back. */
static bool play_level(const char *open_name, DWORD volume, int16_t *left, int16_t *right,
		       size_t *n_heard, size_t *n_other)
{
	WAVEHDR hdr;
	hdr_init(&hdr, MS_BYTES(200));
	int16_t *s = (int16_t *)hdr.lpData;
	for (DWORD i = 0; i < hdr.dwBufferLength / 2; i++)
		s[i] = 16384;
	struct recorder rec;
	bool ok = false;
	if (!rec_start(&rec, "controls.recorder"))
		goto out;
	HWAVEOUT h = open_out(open_name);
	if (h) {
		waveOutSetVolume(h, volume);
		prepare_out(h, &hdr, 1);
		write_out(h, &hdr, 1);
		ok = wait_done(&hdr, 1, LONG_WAIT_MS);
		close_out(h, &hdr, 1);
	}
	rec_stop(&rec);
	*n_heard = *n_other = 0;
	*left = *right = 0;
	size_t frames = rec.bytes / BLOCK;
	for (size_t i = 0; i < frames; i++) {
		int16_t l = rec.data[2 * i], r = rec.data[2 * i + 1];
		if (!l && !r)
			continue;
		if (!*n_heard) {
			*left = l;
			*right = r;
		}
		if (l != *left || r != *right)
			(*n_other)++;
		(*n_heard)++;
	}
	free(rec.data);
out:
	hdrs_free(&hdr, 1);
	return ok;
}

static void group_controls(void)
{
	WAVEOUTCAPSW caps;
	waveOutGetDevCapsW(out_id, &caps, sizeof(caps));
	HWAVEOUT h = open_out("controls.open");
	HWAVEOUT h2 = open_out("controls.open_second");
	if (!h || !h2)
		goto out;
	DWORD v = 0, v2 = 0;
	check_mm("controls.getvolume_null", waveOutGetVolume(h, NULL), MMSYSERR_INVALPARAM);
	static const DWORD values[] = { 0x12345678, 0, 0xFFFFFFFF, 0x0000FFFF, 0x80004000 };
	for (size_t i = 0; i < ARRAYSIZE(values); i++) {
		MMRESULT rs = waveOutSetVolume(h, values[i]);
		MMRESULT rg = waveOutGetVolume(h, &v);
		check(rs == MMSYSERR_NOERROR && rg == MMSYSERR_NOERROR && v == values[i],
		      nm("controls.volume_roundtrip_%08lx", (unsigned long)values[i]),
		      "got %s/%s 0x%08lx", mm_name(rs), mm_name(rg), (unsigned long)v);
	}
	waveOutSetVolume(h, 0x11111111);
	waveOutSetVolume(h2, 0x22222222);
	waveOutGetVolume(h, &v);
	waveOutGetVolume(h2, &v2);
	check(v == 0x11111111 && v2 == 0x22222222, "controls.volume_per_handle",
	      "got 0x%08lx and 0x%08lx want 0x11111111 and 0x22222222", (unsigned long)v,
	      (unsigned long)v2);

	/* By device id (the cable's own volume; cable 2, restored after). */
	MMRESULT rs = waveOutSetVolume((HWAVEOUT)(UINT_PTR)1, 0x80008000);
	MMRESULT rg = waveOutGetVolume((HWAVEOUT)(UINT_PTR)1, &v);
	check(rs == MMSYSERR_NOERROR && rg == MMSYSERR_NOERROR && v == 0x80008000,
	      "controls.volume_by_device_id", "got %s/%s 0x%08lx want 0x80008000", mm_name(rs),
	      mm_name(rg), (unsigned long)v);
	waveOutSetVolume((HWAVEOUT)(UINT_PTR)1, 0xFFFFFFFF);

	DWORD value = 0;
	check_mm("controls.getpitch_notsupported", waveOutGetPitch(h, &value), MMSYSERR_NOTSUPPORTED);
	check_mm("controls.setpitch_notsupported", waveOutSetPitch(h, 0x00010000),
		 MMSYSERR_NOTSUPPORTED);
	check_mm("controls.getplaybackrate_notsupported", waveOutGetPlaybackRate(h, &value),
		 MMSYSERR_NOTSUPPORTED);
	check_mm("controls.setplaybackrate_notsupported", waveOutSetPlaybackRate(h, 0x00010000),
		 MMSYSERR_NOTSUPPORTED);
	close_out(h, NULL, 0);
	close_out(h2, NULL, 0);
	h = h2 = NULL;

	/* The volume is applied to what the cable carries: low word left (or both channels
	 * without WAVECAPS_LRVOLUME), high word right. */
	int16_t l, r;
	size_t heard, other;
	bool lr = (caps.dwSupport & WAVECAPS_LRVOLUME) != 0;
	bool ok = play_level("controls.open_level_half", 0x40008000, &l, &r, &heard, &other);
	int16_t want_r = lr ? 4096 : 8192;
	check(ok && heard == 9600 && other == 0 && l == 8192 && r == want_r,
	      "controls.volume_applies_to_audio",
	      "got %zu frames heard (%zu differing), L %d R %d; want 9600 frames of L 8192 R %d "
	      "(16384 at volume 0x40008000, LRVOLUME %s)", heard, other, l, r, want_r,
	      lr ? "claimed" : "not claimed");
	ok = play_level("controls.open_level_zero", 0, &l, &r, &heard, &other);
	check(ok && heard == 0, "controls.volume_zero_is_silent", "got %zu frames heard (L %d R %d)",
	      heard, l, r);
out:
	if (h)
		close_out(h, NULL, 0);
	if (h2)
		close_out(h2, NULL, 0);
}

/* ---- group: driver (wodMessage / widMessage directly) --------------------------------- */

typedef DWORD(APIENTRY *driver_message_fn)(UINT, UINT, DWORD_PTR, DWORD_PTR, DWORD_PTR);

static void group_driver(void)
{
	HMODULE dll = GetModuleHandleW(L"loopcable.dll");
	/* Through void (*)(void): a FARPROC converts to any function pointer type. */
	driver_message_fn wod = NULL, wid = NULL;
	if (dll) {
		wod = (driver_message_fn)(void (*)(void))GetProcAddress(dll, "wodMessage");
		wid = (driver_message_fn)(void (*)(void))GetProcAddress(dll, "widMessage");
	}
	if (!check(wod && wid, "driver.loaded_by_winmm", "got module %p wod %p wid %p", (void *)dll,
		   (void *)(UINT_PTR)wod, (void *)(UINT_PTR)wid))
		return;
	WAVEOUTCAPSW caps;
	check_eq("driver.getnumdevs", wod(0, WODM_GETNUMDEVS, 0, 0, 0), 2);
	check_mm("driver.getdevcaps_bad_id", wod(5, WODM_GETDEVCAPS, 0, (DWORD_PTR)&caps, sizeof(caps)),
		 MMSYSERR_BADDEVICEID);
	check_mm("driver.getdevcaps_null", wod(0, WODM_GETDEVCAPS, 0, 0, sizeof(caps)),
		 MMSYSERR_INVALPARAM);
	check_mm("driver.in_getdevcaps_bad_id",
		 wid(5, WIDM_GETDEVCAPS, 0, (DWORD_PTR)&caps, sizeof(WAVEINCAPSW)), MMSYSERR_BADDEVICEID);
	check_mm("driver.unknown_message_out", wod(0, 0x7777, 0, 0, 0), MMSYSERR_NOTSUPPORTED);
	check_mm("driver.unknown_message_in", wid(0, 0x7777, 0, 0, 0), MMSYSERR_NOTSUPPORTED);

	WAVEFORMATEXTENSIBLE bad;
	make_fmt(&bad, T_EXT, S_S16, RATE, 2, 3);
	bad.Format.cbSize = 0;
	WAVEOPENDESC desc = { .lpFormat = (WAVEFORMAT *)&fmt_default.Format };
	WAVEOPENDESC bad_desc = { .lpFormat = (WAVEFORMAT *)&bad.Format };
	WAVEOPENDESC no_format = { .lpFormat = NULL };
	DWORD_PTR user = 0xabcdef;
	check_mm("driver.open_query", wod(0, WODM_OPEN, (DWORD_PTR)&user, (DWORD_PTR)&desc,
					 WAVE_FORMAT_QUERY), MMSYSERR_NOERROR);
	check_eq("driver.open_query_leaves_instance", user, 0xabcdef);
	check_mm("driver.open_query_bad_format", wod(0, WODM_OPEN, (DWORD_PTR)&user,
						    (DWORD_PTR)&bad_desc, WAVE_FORMAT_QUERY),
		 WAVERR_BADFORMAT);
	check_mm("driver.open_bad_format", wod(0, WODM_OPEN, (DWORD_PTR)&user, (DWORD_PTR)&bad_desc,
					      CALLBACK_NULL), WAVERR_BADFORMAT);
	check_mm("driver.open_bad_device", wod(7, WODM_OPEN, (DWORD_PTR)&user, (DWORD_PTR)&desc,
					      CALLBACK_NULL), MMSYSERR_BADDEVICEID);
	check_mm("driver.open_null_desc", wod(0, WODM_OPEN, (DWORD_PTR)&user, 0, CALLBACK_NULL),
		 MMSYSERR_INVALPARAM);
	check_mm("driver.open_null_format", wod(0, WODM_OPEN, (DWORD_PTR)&user,
					       (DWORD_PTR)&no_format, CALLBACK_NULL),
		 MMSYSERR_INVALPARAM);
	check_mm("driver.in_open_null_desc", wid(0, WIDM_OPEN, (DWORD_PTR)&user, 0, CALLBACK_NULL),
		 MMSYSERR_INVALPARAM);

	/* Header rules, enforced by the driver itself. */
	DWORD_PTR out = 0;
	MMRESULT r = wod(0, WODM_OPEN, (DWORD_PTR)&out, (DWORD_PTR)&desc, CALLBACK_NULL);
	if (!check(r == MMSYSERR_NOERROR && out != 0, "driver.open", "got %s instance %#llx",
		   mm_name(r), (unsigned long long)out))
		return;
	WAVEHDR hdr, nodata;
	hdr_init(&hdr, MS_BYTES(300));
	memset(&nodata, 0, sizeof(nodata));
	nodata.dwBufferLength = 100;
	check_mm("driver.write_unprepared", wod(0, WODM_WRITE, out, (DWORD_PTR)&hdr, sizeof(hdr)),
		 WAVERR_UNPREPARED);
	check_mm("driver.write_null", wod(0, WODM_WRITE, out, 0, sizeof(hdr)), MMSYSERR_INVALPARAM);
	check_mm("driver.prepare_null_data",
		 wod(0, WODM_PREPARE, out, (DWORD_PTR)&nodata, sizeof(nodata)), MMSYSERR_INVALPARAM);
	check_mm("driver.prepare_short", wod(0, WODM_PREPARE, out, (DWORD_PTR)&hdr, sizeof(hdr) - 1),
		 MMSYSERR_INVALPARAM);
	check_mm("driver.prepare", wod(0, WODM_PREPARE, out, (DWORD_PTR)&hdr, sizeof(hdr)),
		 MMSYSERR_NOERROR);
	check_mm("driver.prepare_twice", wod(0, WODM_PREPARE, out, (DWORD_PTR)&hdr, sizeof(hdr)),
		 MMSYSERR_NOERROR);
	check_flags("driver.flags_after_prepare", hdr.dwFlags, WHDR_PREPARED);
	check_mm("driver.write_short", wod(0, WODM_WRITE, out, (DWORD_PTR)&hdr, sizeof(hdr) - 1),
		 MMSYSERR_INVALPARAM);
	check_mm("driver.write", wod(0, WODM_WRITE, out, (DWORD_PTR)&hdr, sizeof(hdr)),
		 MMSYSERR_NOERROR);
	check_flags("driver.flags_after_write", hdr.dwFlags, WHDR_PREPARED | WHDR_INQUEUE);
	check_mm("driver.write_again", wod(0, WODM_WRITE, out, (DWORD_PTR)&hdr, sizeof(hdr)),
		 WAVERR_STILLPLAYING);
	check_mm("driver.unprepare_queued", wod(0, WODM_UNPREPARE, out, (DWORD_PTR)&hdr, sizeof(hdr)),
		 WAVERR_STILLPLAYING);
	check_mm("driver.close_queued", wod(0, WODM_CLOSE, out, 0, 0), WAVERR_STILLPLAYING);
	MMTIME t = { .wType = TIME_BYTES };
	check_mm("driver.getpos_null", wod(0, WODM_GETPOS, out, 0, sizeof(t)), MMSYSERR_INVALPARAM);
	check_mm("driver.getpos_short", wod(0, WODM_GETPOS, out, (DWORD_PTR)&t, sizeof(t) - 1),
		 MMSYSERR_ERROR);
	check_mm("driver.getvolume_null", wod(0, WODM_GETVOLUME, out, 0, 0), MMSYSERR_INVALPARAM);
	check_mm("driver.reset", wod(0, WODM_RESET, out, 0, 0), MMSYSERR_NOERROR);
	check_flags("driver.flags_after_reset", hdr.dwFlags, WHDR_DONE | WHDR_PREPARED);
	check_mm("driver.unprepare", wod(0, WODM_UNPREPARE, out, (DWORD_PTR)&hdr, sizeof(hdr)),
		 MMSYSERR_NOERROR);
	check_mm("driver.out_instance_is_not_an_in_instance", wid(0, WIDM_START, out, 0, 0),
		 MMSYSERR_INVALHANDLE);
	check_mm("driver.close", wod(0, WODM_CLOSE, out, 0, 0), MMSYSERR_NOERROR);

	DWORD_PTR in = 0;
	r = wid(0, WIDM_OPEN, (DWORD_PTR)&in, (DWORD_PTR)&desc, CALLBACK_NULL);
	if (check(r == MMSYSERR_NOERROR && in != 0, "driver.in_open", "got %s", mm_name(r))) {
		hdr.dwFlags = 0;
		check_mm("driver.in_add_unprepared", wid(0, WIDM_ADDBUFFER, in, (DWORD_PTR)&hdr,
							 sizeof(hdr)), WAVERR_UNPREPARED);
		check_mm("driver.in_add_null", wid(0, WIDM_ADDBUFFER, in, 0, sizeof(hdr)),
			 MMSYSERR_INVALPARAM);
		wid(0, WIDM_PREPARE, in, (DWORD_PTR)&hdr, sizeof(hdr));
		check_mm("driver.in_add_short", wid(0, WIDM_ADDBUFFER, in, (DWORD_PTR)&hdr,
						    sizeof(hdr) - 1), MMSYSERR_INVALPARAM);
		check_mm("driver.in_add", wid(0, WIDM_ADDBUFFER, in, (DWORD_PTR)&hdr, sizeof(hdr)),
			 MMSYSERR_NOERROR);
		check_mm("driver.in_add_again", wid(0, WIDM_ADDBUFFER, in, (DWORD_PTR)&hdr,
						    sizeof(hdr)), WAVERR_STILLPLAYING);
		check_mm("driver.in_unprepare_queued", wid(0, WIDM_UNPREPARE, in, (DWORD_PTR)&hdr,
							   sizeof(hdr)), WAVERR_STILLPLAYING);
		check_mm("driver.in_close_queued", wid(0, WIDM_CLOSE, in, 0, 0), WAVERR_STILLPLAYING);
		check_mm("driver.in_getpos_short", wid(0, WIDM_GETPOS, in, (DWORD_PTR)&t, 4),
			 MMSYSERR_ERROR);
		check_mm("driver.in_reset", wid(0, WIDM_RESET, in, 0, 0), MMSYSERR_NOERROR);
		wid(0, WIDM_UNPREPARE, in, (DWORD_PTR)&hdr, sizeof(hdr));
		check_mm("driver.in_close", wid(0, WIDM_CLOSE, in, 0, 0), MMSYSERR_NOERROR);
	}

	/* Instances of closed opens, and junk: MMSYSERR_INVALHANDLE for every message that
	 * needs an open, never a crash.  (Nothing is opened in between: a new open could
	 * reuse the address.) */
	static const UINT out_msgs[] = { WODM_CLOSE, WODM_WRITE, WODM_PAUSE, WODM_RESTART, WODM_RESET,
					 WODM_BREAKLOOP, WODM_GETPOS, WODM_PREPARE, WODM_UNPREPARE,
					 WODM_GETPITCH, WODM_SETPITCH, WODM_GETPLAYBACKRATE,
					 WODM_SETPLAYBACKRATE, WODM_GETVOLUME, WODM_SETVOLUME };
	static const UINT in_msgs[] = { WIDM_CLOSE, WIDM_ADDBUFFER, WIDM_START, WIDM_STOP,
					WIDM_RESET, WIDM_GETPOS, WIDM_PREPARE, WIDM_UNPREPARE };
	const DWORD_PTR junk[] = { out, (DWORD_PTR)0xdeadbeef, 1 };
	const DWORD_PTR junk_in[] = { in, (DWORD_PTR)0xdeadbeef, 1 };
	static const char *const junk_names[] = { "closed", "junk", "one" };
	DWORD scratch[8] = { 0 };
	WAVEHDR spare;
	hdr_init(&spare, 64);
	for (size_t j = 0; j < ARRAYSIZE(junk); j++) {
		int bad = 0;
		UINT first = 0;
		MMRESULT first_r = 0;
		for (size_t i = 0; i < ARRAYSIZE(out_msgs); i++) {
			DWORD_PTR p1 = out_msgs[i] == WODM_WRITE || out_msgs[i] == WODM_PREPARE
					       || out_msgs[i] == WODM_UNPREPARE
				       ? (DWORD_PTR)&spare : (DWORD_PTR)scratch;
			MMRESULT res = wod(0, out_msgs[i], junk[j], p1, sizeof(WAVEHDR));
			if (res != MMSYSERR_INVALHANDLE && !bad++) {
				first = out_msgs[i];
				first_r = res;
			}
		}
		check(bad == 0, nm("driver.%s_out_instance_invalhandle", junk_names[j]),
		      "got %d messages answered otherwise, first %u = %s", bad, first, mm_name(first_r));
		bad = 0;
		for (size_t i = 0; i < ARRAYSIZE(in_msgs); i++) {
			DWORD_PTR p1 = in_msgs[i] == WIDM_ADDBUFFER || in_msgs[i] == WIDM_PREPARE
					       || in_msgs[i] == WIDM_UNPREPARE
				       ? (DWORD_PTR)&spare : (DWORD_PTR)scratch;
			MMRESULT res = wid(0, in_msgs[i], junk_in[j], p1, sizeof(WAVEHDR));
			if (res != MMSYSERR_INVALHANDLE && !bad++) {
				first = in_msgs[i];
				first_r = res;
			}
		}
		check(bad == 0, nm("driver.%s_in_instance_invalhandle", junk_names[j]),
		      "got %d messages answered otherwise, first %u = %s", bad, first, mm_name(first_r));
	}
	hdrs_free(&spare, 1);
	hdrs_free(&hdr, 1);
}

/* ---- main ----------------------------------------------------------------------------- */

static const struct {
	const char *name;
	void (*run)(void);
} groups[] = {
	{ "caps", group_caps },       { "formats", group_formats }, { "headers", group_headers },
	{ "callbacks", group_callbacks }, { "pause", group_pause }, { "reset", group_reset },
	{ "loops", group_loops },     { "getpos", group_getpos },   { "record", group_record },
	{ "controls", group_controls }, { "driver", group_driver },
};

int main(int argc, char **argv)
{
	main_tid = GetCurrentThreadId();
	wake = CreateEventW(NULL, FALSE, FALSE, NULL);
	MSG msg;
	PeekMessageW(&msg, NULL, 0, 0, PM_NOREMOVE); /* a queue for CALLBACK_THREAD */
	make_fmt(&fmt_default, T_PCM, S_S16, RATE, 2, 0);
	for (int i = 1; i < argc; i++) {
		bool known = false;
		for (size_t g = 0; g < ARRAYSIZE(groups); g++)
			known |= !strcmp(argv[i], groups[g].name);
		if (!known) {
			fprintf(stderr, "unknown group %s\n", argv[i]);
			return 100;
		}
	}
	if (find_devices()) {
		for (size_t g = 0; g < ARRAYSIZE(groups); g++) {
			bool run = argc == 1;
			for (int i = 1; i < argc; i++)
				run |= !strcmp(argv[i], groups[g].name);
			if (run)
				groups[g].run();
		}
	}
	printf("lc_api: %d checks, %d failed\n", n_checks, n_failed);
	fflush(stdout);
	return n_failed > 255 ? 255 : n_failed;
}
