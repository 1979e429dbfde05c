/* SPDX-License-Identifier: MIT */
/*
 * recdrv.c — a recording wave driver: the stand-in the test winmm's suite loads
 * instead of LoopCable's driver.  It answers like a real driver, simply and
 * synchronously, and logs every call it receives, so the suite can check what winmm
 * sent (test_wine_winmm.c).
 *
 * Built twice from this file (meson.build), so the suite sees two drivers:
 *   recdrv_a.dll  tag A: 2 outputs, 2 inputs; leaves PREPARE/UNPREPARE to winmm
 *                 (answers MMSYSERR_NOTSUPPORTED, as many real drivers do)
 *   recdrv_b.dll  tag B: 1 output, 1 input; prepares headers itself
 * Device k of a driver accepts PCM 8/16-bit with 1 … RECDRV_CHANNELS_BASE + k
 * channels (A: out/in 0 mono only, 1 up to stereo; B: up to 8), else
 * WAVERR_BADFORMAT — so WAVE_MAPPER has devices to skip.
 *
 * Behaviour (all synchronous, in the caller's thread, callbacks outside the lock):
 *   output  WRITE completes at once (WOM_DONE) unless paused; PAUSE queues later
 *           writes; RESTART completes the queue in order; RESET returns it and
 *           zeroes the position; CLOSE with queued headers is WAVERR_STILLPLAYING.
 *   input   ADDBUFFER queues; START fills every queued buffer (and later ones at
 *           once) with bytes 0, 1, 2 … continuing across buffers, WIM_DATA each;
 *           STOP stops filling; RESET returns the queue empty.
 *   GETPOS  bytes done; TIME_SAMPLES/TIME_MS converted, other types answered in
 *           TIME_BYTES; an MMTIME shorter than sizeof(MMTIME) is MMSYSERR_ERROR.
 *   volume per device (by handle or by id), pitch per open, playback rate
 *   MMSYSERR_NOTSUPPORTED; DRV_QUERYDEVICEINTERFACE[SIZE] "recdrv-<tag>-<dir>-<k>";
 *   RECDRV_MSG_SUM (DRVM_USER + 7) returns param1 + param2.
 * Every per-open message checks dwUser against the instances it handed out at OPEN
 * (MMSYSERR_INVALHANDLE otherwise).
 *
 * The log: the file named by the environment variable RECDRV_LOG (a Windows path),
 * appended to, one line per call, written when the call returns — so callbacks the
 * call made ("cb" lines) come before it:
 *   A DriverProc DRV_OPEN id=0 p1=0 p2=0 -> 1
 *   A cb WOM_OPEN hwave=0x2000 cbinst=0x5eed p1=0
 *   A wod WODM_OPEN dev=1 user=<&dwUser> p1=<WAVEOPENDESC*> p2=0x30000 -> 0 inst=0xa0001
 *         hwave=0x2000 cb=… cbinst=0x5eed mapped=0xffffffff fmt=<tag/ch/rate/bits>
 *   A wod WODM_WRITE dev=1 user=0xa0001 p1=<WAVEHDR*> p2=0x30 -> 0
 * (numbers in hex with 0x, except dev, results and zero; one line each in the file).
 * This file is longer than our usual ~400 lines: a whole driver in one place is
 * easier to read next to the log it writes.
 */
#include <windows.h>
#include <mmsystem.h>
#include <mmddk.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#ifndef RECDRV_TAG
#error "RECDRV_TAG (and the other RECDRV_* settings) come from meson.build"
#endif

#define RECDRV_MSG_SUM (DRVM_USER + 7)
#define RECDRV_MAX_OPENS 64
#define RECDRV_PITCH_NORMAL 0x10000u

/* Declared in no mingw header (docs/wine.md). */
BOOL WINAPI DriverCallback(DWORD_PTR callback, DWORD flags, HDRVR device, DWORD msg, DWORD_PTR user,
			   DWORD_PTR param1, DWORD_PTR param2);

enum dir { DIR_OUT, DIR_IN };

struct instance {
	bool used;
	DWORD_PTR id; /* what the driver stored in *dwUser */
	enum dir dir;
	UINT dev;
	HWAVE hwave;
	DWORD_PTR callback, cb_instance;
	DWORD flags;
	WORD block_align;
	DWORD avg_bytes;
	bool paused;  /* output */
	bool started; /* input */
	WAVEHDR *first, *last;
	DWORD bytes; /* played / recorded */
	DWORD pitch;
};

/* What a callback needs, copied under the lock and used after it. */
struct notify {
	DWORD_PTR callback, cb_instance;
	DWORD type; /* DCB_* */
	HWAVE hwave;
};

static SRWLOCK lock = SRWLOCK_INIT;
static struct instance instances[RECDRV_MAX_OPENS];
static DWORD_PTR n_opened;
static DWORD volume[2][8];
static BYTE next_sample;
static HANDLE log_file = INVALID_HANDLE_VALUE;
/* Wine 8 does not append atomically: two threads (or recdrv_a and recdrv_b, each
 * with its own file handle) appending at once overwrite each other's lines.  One
 * mutex per process, named so both DLLs share it, keeps every line whole. */
static HANDLE log_mutex;
static INIT_ONCE log_once = INIT_ONCE_STATIC_INIT;

static const UINT n_devices[2] = { RECDRV_N_OUT, RECDRV_N_IN };

/* ---- the log ---- */

static BOOL CALLBACK open_log(PINIT_ONCE once, PVOID param, PVOID *context)
{
	(void)once;
	(void)param;
	(void)context;
	char path[MAX_PATH];
	DWORD len = GetEnvironmentVariableA("RECDRV_LOG", path, sizeof(path));
	if (len == 0 || len >= sizeof(path))
		return TRUE;
	char mutex_name[64];
	snprintf(mutex_name, sizeof(mutex_name), "recdrv-log-%lu", GetCurrentProcessId());
	log_mutex = CreateMutexA(NULL, FALSE, mutex_name);
	if (log_mutex)
		log_file = CreateFileA(path, FILE_APPEND_DATA,
				       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
				       OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
	return TRUE;
}

static void log_line(const char *format, ...) __attribute__((format(printf, 1, 2)));

static void log_line(const char *format, ...)
{
	InitOnceExecuteOnce(&log_once, open_log, NULL, NULL);
	if (log_file == INVALID_HANDLE_VALUE)
		return;
	char line[512];
	int len = snprintf(line, sizeof(line), "%s ", RECDRV_TAG);
	va_list args;
	va_start(args, format);
	len += vsnprintf(line + len, sizeof(line) - (size_t)len - 1, format, args);
	va_end(args);
	if (len > (int)sizeof(line) - 2)
		len = (int)sizeof(line) - 2;
	line[len++] = '\n';
	DWORD written;
	WaitForSingleObject(log_mutex, INFINITE);
	WriteFile(log_file, line, (DWORD)len, &written, NULL);
	ReleaseMutex(log_mutex);
}

struct msg_name {
	UINT msg;
	const char *name;
};

/* clang-format off */
#define NAME(m) { m, #m }
/* clang-format on */
/* Message numbers overlap between DriverProc, wod/widMessage and callbacks
 * (DRV_OPEN == WODM_GETNUMDEVS): one table each. */
static const struct msg_name driver_names[] = {
	NAME(DRV_LOAD),		  NAME(DRV_ENABLE),    NAME(DRV_OPEN),
	NAME(DRV_CLOSE),	  NAME(DRV_DISABLE),   NAME(DRV_FREE),
	NAME(DRV_QUERYCONFIGURE), NAME(DRV_CONFIGURE), { 0, NULL },
};
static const struct msg_name device_names[] = {
	NAME(DRVM_INIT),
	NAME(DRVM_EXIT),
	NAME(WODM_GETNUMDEVS),
	NAME(WODM_GETDEVCAPS),
	NAME(WODM_OPEN),
	NAME(WODM_CLOSE),
	NAME(WODM_PREPARE),
	NAME(WODM_UNPREPARE),
	NAME(WODM_WRITE),
	NAME(WODM_PAUSE),
	NAME(WODM_RESTART),
	NAME(WODM_RESET),
	NAME(WODM_GETPOS),
	NAME(WODM_GETPITCH),
	NAME(WODM_SETPITCH),
	NAME(WODM_GETVOLUME),
	NAME(WODM_SETVOLUME),
	NAME(WODM_GETPLAYBACKRATE),
	NAME(WODM_SETPLAYBACKRATE),
	NAME(WODM_BREAKLOOP),
	NAME(WIDM_GETNUMDEVS),
	NAME(WIDM_GETDEVCAPS),
	NAME(WIDM_OPEN),
	NAME(WIDM_CLOSE),
	NAME(WIDM_PREPARE),
	NAME(WIDM_UNPREPARE),
	NAME(WIDM_ADDBUFFER),
	NAME(WIDM_START),
	NAME(WIDM_STOP),
	NAME(WIDM_RESET),
	NAME(WIDM_GETPOS),
	NAME(DRV_QUERYDEVICEINTERFACESIZE),
	NAME(DRV_QUERYDEVICEINTERFACE),
	NAME(RECDRV_MSG_SUM),
	{ 0, NULL },
};
static const struct msg_name callback_names[] = {
	NAME(WOM_OPEN),	 NAME(WOM_CLOSE), NAME(WOM_DONE), NAME(WIM_OPEN),
	NAME(WIM_CLOSE), NAME(WIM_DATA),  { 0, NULL },
};
#undef NAME

/* The name of `msg` in `table`, or MSG_0x… in `buf`. */
static const char *msg_name(const struct msg_name *table, UINT msg, char *buf, size_t size)
{
	for (; table->name; table++)
		if (table->msg == msg)
			return table->name;
	snprintf(buf, size, "MSG_%#x", msg);
	return buf;
}

/* ---- instances and callbacks (caller holds the lock where noted) ---- */

static struct instance *find_locked(DWORD_PTR id, enum dir dir)
{
	for (int i = 0; i < RECDRV_MAX_OPENS; i++)
		if (instances[i].used && instances[i].id == id && instances[i].dir == dir)
			return &instances[i];
	return NULL;
}

static struct notify notify_of(const struct instance *inst)
{
	return (struct notify){ inst->callback, inst->cb_instance,
				HIWORD(inst->flags & CALLBACK_TYPEMASK), inst->hwave };
}

static void notify(const struct notify *to, UINT msg, DWORD_PTR param1)
{
	char buf[32];
	log_line("cb %s hwave=%#llx cbinst=%#llx p1=%#llx",
		 msg_name(callback_names, msg, buf, sizeof(buf)),
		 (unsigned long long)(UINT_PTR)to->hwave, (unsigned long long)to->cb_instance,
		 (unsigned long long)param1);
	DriverCallback(to->callback, to->type, (HDRVR)to->hwave, msg, to->cb_instance, param1, 0);
}

/* Detach the queue (caller holds the lock); the caller finishes it unlocked. */
static WAVEHDR *detach_locked(struct instance *inst)
{
	WAVEHDR *chain = inst->first;
	inst->first = inst->last = NULL;
	return chain;
}

/* Mark each header of a detached chain done and call back, in queue order. */
static void finish_chain(const struct notify *to, WAVEHDR *chain, UINT msg)
{
	while (chain) {
		WAVEHDR *next = chain->lpNext;
		chain->dwFlags &= ~WHDR_INQUEUE;
		chain->dwFlags |= WHDR_DONE;
		notify(to, msg, (DWORD_PTR)chain);
		chain = next;
	}
}

/* ---- messages of both directions ---- */

static DWORD get_caps(enum dir dir, UINT dev, void *caps, DWORD_PTR size)
{
	if (!caps)
		return MMSYSERR_INVALPARAM;
	WAVEOUTCAPSW out = { .wMid = 0xFF,
			     .wPid = (WORD)(dir * 16 + dev),
			     .vDriverVersion = 0x0102,
			     .dwFormats = WAVE_FORMAT_4M16 | WAVE_FORMAT_4S16 | WAVE_FORMAT_4M08,
			     .wChannels = (WORD)(RECDRV_CHANNELS_BASE + dev),
			     .dwSupport = WAVECAPS_VOLUME | WAVECAPS_LRVOLUME };
	_snwprintf(out.szPname, MAXPNAMELEN - 1, L"RecDrv %hs %ls %u", RECDRV_TAG,
		   dir == DIR_OUT ? L"out" : L"in", dev);
	if (dir == DIR_IN) {
		WAVEINCAPSW in = { out.wMid, out.wPid,	    out.vDriverVersion,
				   { 0 },    out.dwFormats, out.wChannels,
				   0 };
		memcpy(in.szPname, out.szPname, sizeof(in.szPname));
		memcpy(caps, &in, min(size, sizeof(in)));
	} else {
		memcpy(caps, &out, min(size, sizeof(out)));
	}
	return MMSYSERR_NOERROR;
}

static bool format_ok(const WAVEFORMATEX *f, UINT dev)
{
	return f && f->wFormatTag == WAVE_FORMAT_PCM &&
	       (f->wBitsPerSample == 8 || f->wBitsPerSample == 16) && f->nChannels >= 1 &&
	       f->nChannels <= RECDRV_CHANNELS_BASE + dev && f->nSamplesPerSec >= 8000 &&
	       f->nSamplesPerSec <= 192000 &&
	       f->nBlockAlign == f->nChannels * f->wBitsPerSample / 8;
}

static DWORD open_dev(enum dir dir, UINT dev, DWORD_PTR *user, const WAVEOPENDESC *desc,
		      DWORD flags, DWORD_PTR *inst_id)
{
	if (!user || !desc)
		return MMSYSERR_INVALPARAM;
	const WAVEFORMATEX *f = (const WAVEFORMATEX *)desc->lpFormat;
	if (!format_ok(f, dev))
		return WAVERR_BADFORMAT;
	if (flags & WAVE_FORMAT_QUERY)
		return MMSYSERR_NOERROR;
	struct instance *inst = NULL;
	AcquireSRWLockExclusive(&lock);
	for (int i = 0; i < RECDRV_MAX_OPENS && !inst; i++)
		if (!instances[i].used)
			inst = &instances[i];
	if (inst)
		*inst = (struct instance){ .used = true,
					   .id = RECDRV_INSTANCE_BASE + ++n_opened,
					   .dir = dir,
					   .dev = dev,
					   .hwave = desc->hWave,
					   .callback = desc->dwCallback,
					   .cb_instance = desc->dwInstance,
					   .flags = flags,
					   .block_align = f->nBlockAlign,
					   .avg_bytes = f->nAvgBytesPerSec,
					   .pitch = RECDRV_PITCH_NORMAL };
	struct notify to = inst ? notify_of(inst) : (struct notify){ 0 };
	DWORD_PTR id = inst ? inst->id : 0;
	ReleaseSRWLockExclusive(&lock);
	if (!inst)
		return MMSYSERR_ALLOCATED;
	*user = *inst_id = id;
	notify(&to, dir == DIR_OUT ? WOM_OPEN : WIM_OPEN, 0);
	return MMSYSERR_NOERROR;
}

static DWORD close_dev(struct instance *inst)
{
	if (inst->first) {
		ReleaseSRWLockExclusive(&lock);
		return WAVERR_STILLPLAYING;
	}
	struct notify to = notify_of(inst);
	enum dir dir = inst->dir;
	inst->used = false;
	ReleaseSRWLockExclusive(&lock);
	notify(&to, dir == DIR_OUT ? WOM_CLOSE : WIM_CLOSE, 0);
	return MMSYSERR_NOERROR;
}

static DWORD prepare(WAVEHDR *hdr, bool unprepare)
{
	if (!RECDRV_OWN_PREPARE)
		return MMSYSERR_NOTSUPPORTED;
	if (!hdr)
		return MMSYSERR_INVALPARAM;
	if (unprepare) {
		if (hdr->dwFlags & WHDR_INQUEUE)
			return WAVERR_STILLPLAYING;
		hdr->dwFlags &= ~WHDR_PREPARED;
	} else {
		hdr->dwFlags |= WHDR_PREPARED;
	}
	return MMSYSERR_NOERROR;
}

/* Fill every queued input buffer (caller holds the lock). */
static void fill_locked(struct instance *inst)
{
	for (WAVEHDR *h = inst->first; h; h = h->lpNext) {
		for (DWORD i = 0; i < h->dwBufferLength; i++)
			h->lpData[i] = (char)next_sample++;
		h->dwBytesRecorded = h->dwBufferLength;
		inst->bytes += h->dwBufferLength;
	}
}

/* WRITE/ADDBUFFER; releases the lock. */
static DWORD queue(struct instance *inst, WAVEHDR *hdr)
{
	if (!hdr) {
		ReleaseSRWLockExclusive(&lock);
		return MMSYSERR_INVALPARAM;
	}
	if (!(hdr->dwFlags & WHDR_PREPARED) || (hdr->dwFlags & WHDR_INQUEUE)) {
		ReleaseSRWLockExclusive(&lock);
		return (hdr->dwFlags & WHDR_INQUEUE) ? WAVERR_STILLPLAYING : WAVERR_UNPREPARED;
	}
	hdr->dwFlags = (hdr->dwFlags | WHDR_INQUEUE) & ~WHDR_DONE;
	hdr->lpNext = NULL;
	if (inst->dir == DIR_IN)
		hdr->dwBytesRecorded = 0;
	if (inst->last)
		inst->last->lpNext = hdr;
	else
		inst->first = hdr;
	inst->last = hdr;
	WAVEHDR *done = NULL;
	if (inst->dir == DIR_OUT && !inst->paused) {
		for (WAVEHDR *h = inst->first; h; h = h->lpNext)
			inst->bytes += h->dwBufferLength;
		done = detach_locked(inst);
	} else if (inst->dir == DIR_IN && inst->started) {
		fill_locked(inst);
		done = detach_locked(inst);
	}
	struct notify to = notify_of(inst);
	enum dir dir = inst->dir;
	ReleaseSRWLockExclusive(&lock);
	finish_chain(&to, done, dir == DIR_OUT ? WOM_DONE : WIM_DATA);
	return MMSYSERR_NOERROR;
}

/* PAUSE/RESTART/RESET and START/STOP/RESET; releases the lock. */
static DWORD transport(struct instance *inst, UINT msg)
{
	WAVEHDR *done = NULL;
	switch (msg) {
	case WODM_PAUSE:
		inst->paused = true;
		break;
	case WODM_RESTART:
		inst->paused = false;
		for (WAVEHDR *h = inst->first; h; h = h->lpNext)
			inst->bytes += h->dwBufferLength;
		done = detach_locked(inst);
		break;
	case WIDM_START:
		inst->started = true;
		fill_locked(inst);
		done = detach_locked(inst);
		break;
	case WIDM_STOP:
		inst->started = false;
		break;
	case WODM_RESET:
	case WIDM_RESET:
		inst->paused = inst->started = false;
		inst->bytes = 0;
		done = detach_locked(inst);
		break;
	}
	struct notify to = notify_of(inst);
	enum dir dir = inst->dir;
	ReleaseSRWLockExclusive(&lock);
	finish_chain(&to, done, dir == DIR_OUT ? WOM_DONE : WIM_DATA);
	return MMSYSERR_NOERROR;
}

static DWORD get_pos(const struct instance *inst, MMTIME *time, DWORD_PTR size)
{
	if (!time)
		return MMSYSERR_INVALPARAM;
	if (size < sizeof(MMTIME))
		return MMSYSERR_ERROR;
	switch (time->wType) {
	case TIME_SAMPLES:
		time->u.sample = inst->bytes / inst->block_align;
		break;
	case TIME_MS:
		time->u.ms = (DWORD)((ULONGLONG)inst->bytes * 1000 / inst->avg_bytes);
		break;
	default:
		time->wType = TIME_BYTES;
		time->u.cb = inst->bytes;
		break;
	}
	return MMSYSERR_NOERROR;
}

static DWORD device_interface(enum dir dir, UINT dev, UINT msg, DWORD_PTR p1, DWORD_PTR p2)
{
	wchar_t name[64];
	int len = _snwprintf(name, 63, L"recdrv-%hs-%ls-%u", RECDRV_TAG,
			     dir == DIR_OUT ? L"out" : L"in", dev);
	name[63] = L'\0';
	DWORD bytes = (DWORD)(len + 1) * sizeof(wchar_t);
	if (!p1)
		return MMSYSERR_INVALPARAM;
	if (msg == DRV_QUERYDEVICEINTERFACESIZE) {
		*(ULONG *)p1 = bytes;
		return MMSYSERR_NOERROR;
	}
	if (p2 < bytes)
		return MMSYSERR_INVALPARAM;
	memcpy((void *)p1, name, bytes);
	return MMSYSERR_NOERROR;
}

/* Messages that need the open named by dwUser (lock taken here; every branch
 * releases it, the transport/queue/close helpers themselves). */
static DWORD instance_message(enum dir dir, UINT msg, DWORD_PTR user, DWORD_PTR p1, DWORD_PTR p2)
{
	AcquireSRWLockExclusive(&lock);
	struct instance *inst = find_locked(user, dir);
	if (!inst) {
		ReleaseSRWLockExclusive(&lock);
		return MMSYSERR_INVALHANDLE;
	}
	DWORD result = MMSYSERR_NOERROR;
	switch (msg) {
	case WODM_CLOSE:
	case WIDM_CLOSE:
		return close_dev(inst);
	case WODM_WRITE:
	case WIDM_ADDBUFFER:
		return queue(inst, (WAVEHDR *)p1);
	case WODM_PAUSE:
	case WODM_RESTART:
	case WODM_RESET:
	case WIDM_START:
	case WIDM_STOP:
	case WIDM_RESET:
		return transport(inst, msg);
	case WODM_GETPOS:
	case WIDM_GETPOS:
		result = get_pos(inst, (MMTIME *)p1, p2);
		break;
	case WODM_GETPITCH:
		if (p1)
			*(DWORD *)p1 = inst->pitch;
		result = p1 ? MMSYSERR_NOERROR : MMSYSERR_INVALPARAM;
		break;
	case WODM_SETPITCH:
		inst->pitch = (DWORD)p1;
		break;
	case WODM_BREAKLOOP:
		break;
	case RECDRV_MSG_SUM:
		result = (DWORD)(p1 + p2);
		break;
	default:
		result = MMSYSERR_NOTSUPPORTED;
		break;
	}
	ReleaseSRWLockExclusive(&lock);
	return result;
}

static DWORD volume_message(enum dir dir, UINT dev, UINT msg, DWORD_PTR user, DWORD_PTR p1)
{
	AcquireSRWLockExclusive(&lock);
	DWORD result = MMSYSERR_NOERROR;
	if (user && !find_locked(user, dir))
		result = MMSYSERR_INVALHANDLE;
	else if (msg == WODM_SETVOLUME)
		volume[dir][dev] = (DWORD)p1;
	else if (p1)
		*(DWORD *)p1 = volume[dir][dev];
	else
		result = MMSYSERR_INVALPARAM;
	ReleaseSRWLockExclusive(&lock);
	return result;
}

static DWORD message(enum dir dir, UINT dev, UINT msg, DWORD_PTR user, DWORD_PTR p1, DWORD_PTR p2,
		     DWORD_PTR *inst_id)
{
	bool out = dir == DIR_OUT;
	bool wod_only = msg >= WODM_GETNUMDEVS && msg <= WODM_BREAKLOOP;
	bool wid_only = msg >= WIDM_GETNUMDEVS && msg <= WIDM_GETPOS;
	if ((out && wid_only) || (!out && wod_only))
		return MMSYSERR_NOTSUPPORTED;
	switch (msg) {
	case DRVM_INIT:
	case DRVM_EXIT:
		return MMSYSERR_NOERROR;
	case WODM_GETNUMDEVS:
	case WIDM_GETNUMDEVS:
		return n_devices[dir];
	}
	if (dev >= n_devices[dir])
		return MMSYSERR_BADDEVICEID;
	switch (msg) {
	case WODM_GETDEVCAPS:
	case WIDM_GETDEVCAPS:
		return get_caps(dir, dev, (void *)p1, p2);
	case WODM_OPEN:
	case WIDM_OPEN:
		return open_dev(dir, dev, (DWORD_PTR *)user, (const WAVEOPENDESC *)p1, (DWORD)p2,
				inst_id);
	case WODM_PREPARE:
	case WIDM_PREPARE:
	case WODM_UNPREPARE:
	case WIDM_UNPREPARE: {
		AcquireSRWLockShared(&lock);
		bool known = find_locked(user, dir) != NULL;
		ReleaseSRWLockShared(&lock);
		if (!known)
			return MMSYSERR_INVALHANDLE;
		return prepare((WAVEHDR *)p1, msg == WODM_UNPREPARE || msg == WIDM_UNPREPARE);
	}
	case WODM_GETVOLUME:
	case WODM_SETVOLUME:
		return out ? volume_message(dir, dev, msg, user, p1) : MMSYSERR_NOTSUPPORTED;
	case WODM_GETPLAYBACKRATE:
	case WODM_SETPLAYBACKRATE:
		return MMSYSERR_NOTSUPPORTED;
	case DRV_QUERYDEVICEINTERFACESIZE:
	case DRV_QUERYDEVICEINTERFACE:
		return device_interface(dir, dev, msg, p1, p2);
	default:
		return instance_message(dir, msg, user, p1, p2);
	}
}

static DWORD logged_message(enum dir dir, UINT dev, UINT msg, DWORD_PTR user, DWORD_PTR p1,
			    DWORD_PTR p2)
{
	DWORD_PTR inst_id = 0;
	DWORD result = message(dir, dev, msg, user, p1, p2, &inst_id);
	char buf[32], open_info[160] = "";
	if ((msg == WODM_OPEN || msg == WIDM_OPEN) && p1) {
		const WAVEOPENDESC *d = (const WAVEOPENDESC *)p1;
		const WAVEFORMATEX *f = (const WAVEFORMATEX *)d->lpFormat;
		snprintf(
			open_info, sizeof(open_info),
			" inst=%#llx hwave=%#llx cb=%#llx cbinst=%#llx mapped=%#x fmt=%u/%u/%lu/%u",
			(unsigned long long)inst_id, (unsigned long long)(UINT_PTR)d->hWave,
			(unsigned long long)d->dwCallback, (unsigned long long)d->dwInstance,
			d->uMappedDeviceID, f ? f->wFormatTag : 0, f ? f->nChannels : 0,
			f ? (unsigned long)f->nSamplesPerSec : 0UL, f ? f->wBitsPerSample : 0);
	}
	log_line("%s %s dev=%u user=%#llx p1=%#llx p2=%#llx -> %lu%s",
		 dir == DIR_OUT ? "wod" : "wid", msg_name(device_names, msg, buf, sizeof(buf)), dev,
		 (unsigned long long)user, (unsigned long long)p1, (unsigned long long)p2,
		 (unsigned long)result, open_info);
	return result;
}

DWORD APIENTRY wodMessage(UINT dev, UINT msg, DWORD_PTR user, DWORD_PTR p1, DWORD_PTR p2)
{
	return logged_message(DIR_OUT, dev, msg, user, p1, p2);
}

DWORD APIENTRY widMessage(UINT dev, UINT msg, DWORD_PTR user, DWORD_PTR p1, DWORD_PTR p2)
{
	return logged_message(DIR_IN, dev, msg, user, p1, p2);
}

LRESULT CALLBACK DriverProc(DWORD_PTR id, HDRVR hdrvr, UINT msg, LPARAM p1, LPARAM p2)
{
	LRESULT result;
	switch (msg) {
	case DRV_LOAD:
	case DRV_FREE:
	case DRV_ENABLE:
	case DRV_DISABLE:
	case DRV_OPEN:
	case DRV_CLOSE:
		result = 1;
		break;
	case DRV_QUERYCONFIGURE:
		result = 0;
		break;
	default:
		result = DefDriverProc(id, hdrvr, msg, p1, p2);
		break;
	}
	char buf[32];
	log_line("DriverProc %s id=%#llx p1=%#llx p2=%#llx -> %lld",
		 msg_name(driver_names, msg, buf, sizeof(buf)), (unsigned long long)id,
		 (unsigned long long)p1, (unsigned long long)p2, (long long)result);
	return result;
}
