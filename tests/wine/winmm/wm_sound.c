/* SPDX-License-Identifier: MIT */
/*
 * wm_sound.c — PlaySoundA/W and sndPlaySoundA/W of the test winmm, played through the
 * loaded wave drivers (waveOutOpen(WAVE_MAPPER), mapped as wm_wave.c maps it), so that
 * a program's sounds reach a cable as they do on Windows, where PlaySound plays on the
 * preferred device.  Wine's PlaySound would play on Wine's own devices instead.
 *
 * What a sound can be:
 *   SND_FILENAME   a WAV file, found as SearchPath finds it (program folder, current
 *                  folder, system folders, PATH);
 *   SND_MEMORY     a WAV image in memory (its RIFF header gives its size);
 *   SND_RESOURCE   a "WAVE" resource of hmod;
 *   SND_ALIAS      a registered sound: the file named by
 *                  HKCU\AppEvents\Schemes\Apps\.Default\<alias>\.Current;
 *   SND_ALIAS_ID   the same by id (SND_ALIAS_SYSTEMASTERISK, …);
 *   none of these  an alias first, then a file (what Windows does).
 * Not found: the default sound (alias ".Default") instead, unless SND_NODEFAULT.
 *
 * When: SND_SYNC (0) returns after the sound; SND_ASYNC once it plays; SND_LOOP
 * (async only) repeats it until stopped; SND_NOSTOP fails while a sound plays.  One
 * sound at a time per process: a new one stops the current one; a NULL sound or
 * SND_PURGE only stops it.  The sound plays on a thread of its own in both modes, so
 * a stop from another thread ends a synchronous one too.
 *
 * Not the same as Windows: no format conversion (there is no mapper driver), so a WAV
 * in a format no device takes is not played and PlaySound returns FALSE.
 */
#include <windows.h>
#include <mmsystem.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Largest WAV we load: a system sound is small, and this bounds a bogus RIFF size. */
#define WM_SOUND_MAX_BYTES (64u << 20)

struct sound {
	LONG refs;	      /* `current` holds one, a synchronous caller another */
	BYTE *image;	      /* our copy of the WAV */
	union {		      /* the fmt chunk, aligned, cbSize clamped to what is there */
		WAVEFORMATEX wfx;
		BYTE bytes[256];
	} format;
	const BYTE *data;     /* into image */
	DWORD data_bytes;     /* whole frames */
	bool loop;
	HANDLE stop;	      /* manual reset: set to end the sound */
	HANDLE started;	      /* set once open_result is known */
	MMRESULT open_result;
	HANDLE thread;
};

/* Guards `current`; held while a sound is stopped and the next one started, never
 * while a sound plays (the player threads never take it). */
static SRWLOCK sound_lock = SRWLOCK_INIT;
static struct sound *current;

static DWORD le32(const BYTE *p)
{
	return (DWORD)p[0] | (DWORD)p[1] << 8 | (DWORD)p[2] << 16 | (DWORD)p[3] << 24;
}

static void put_sound(struct sound *s)
{
	if (InterlockedDecrement(&s->refs) != 0)
		return;
	if (s->thread)
		CloseHandle(s->thread);
	if (s->stop)
		CloseHandle(s->stop);
	if (s->started)
		CloseHandle(s->started);
	free(s->image);
	free(s);
}

/* The "fmt " and "data" chunks of a RIFF WAVE image; false if it is not one we can
 * play.  A chunk longer than the image is cut to what is there. */
static bool parse_wav(struct sound *s, DWORD size)
{
	const BYTE *b = s->image;
	if (size < 12 || memcmp(b, "RIFF", 4) != 0 || memcmp(b + 8, "WAVE", 4) != 0)
		return false;
	DWORD end = le32(b + 4) < size - 8 ? le32(b + 4) + 8 : size;
	if (end < 12)
		return false;
	const BYTE *fmt = NULL;
	DWORD fmt_bytes = 0;
	for (DWORD at = 12; end - at >= 8;) {
		DWORD body = at + 8, n = le32(b + at + 4);
		if (n > end - body)
			n = end - body;
		if (memcmp(b + at, "fmt ", 4) == 0) {
			fmt = b + body;
			fmt_bytes = n;
		} else if (memcmp(b + at, "data", 4) == 0 && !s->data) {
			s->data = b + body;
			s->data_bytes = n;
		}
		if (end - body - n <= (n & 1))
			break;
		at = body + n + (n & 1); /* chunks are word-aligned */
	}
	if (!fmt || fmt_bytes < 16 || !s->data)
		return false;
	/* PCMWAVEFORMAT (16 bytes) has no cbSize: it stays 0. */
	memcpy(s->format.bytes, fmt, min(fmt_bytes, sizeof(s->format.bytes)));
	DWORD extra = fmt_bytes > sizeof(WAVEFORMATEX) ? fmt_bytes - sizeof(WAVEFORMATEX) : 0;
	extra = min(extra, sizeof(s->format.bytes) - sizeof(WAVEFORMATEX));
	if (fmt_bytes < sizeof(WAVEFORMATEX) || (DWORD)s->format.wfx.cbSize > extra)
		s->format.wfx.cbSize = (WORD)extra;
	DWORD block = s->format.wfx.nBlockAlign;
	if (block == 0)
		return false;
	s->data_bytes -= s->data_bytes % block;
	return s->data_bytes > 0;
}

/* Copies `size` bytes into a new sound. */
static struct sound *sound_from_bytes(const void *bytes, DWORD size)
{
	struct sound *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->refs = 1;
	s->image = malloc(size ? size : 1);
	if (s->image) {
		memcpy(s->image, bytes, size);
		if (parse_wav(s, size))
			return s;
	}
	put_sound(s);
	return NULL;
}

static struct sound *sound_from_file(const WCHAR *name)
{
	WCHAR path[MAX_PATH];
	DWORD n = SearchPathW(NULL, name, NULL, MAX_PATH, path, NULL);
	if (n == 0 || n >= MAX_PATH)
		return NULL;
	HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
				  OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
	if (file == INVALID_HANDLE_VALUE)
		return NULL;
	struct sound *s = NULL;
	LARGE_INTEGER size;
	BYTE *bytes = NULL;
	DWORD got = 0;
	if (GetFileSizeEx(file, &size) && size.QuadPart <= WM_SOUND_MAX_BYTES &&
	    (bytes = malloc((size_t)size.QuadPart + 1)) &&
	    ReadFile(file, bytes, (DWORD)size.QuadPart, &got, NULL))
		s = sound_from_bytes(bytes, got);
	free(bytes);
	CloseHandle(file);
	return s;
}

/* A WAV image in memory: its size is in its RIFF header. */
static struct sound *sound_from_memory(const BYTE *image)
{
	if (!image || memcmp(image, "RIFF", 4) != 0)
		return NULL;
	DWORD size = le32(image + 4);
	if (size > WM_SOUND_MAX_BYTES)
		return NULL;
	return sound_from_bytes(image, size + 8);
}

static struct sound *sound_from_resource(HMODULE module, const WCHAR *name)
{
	HRSRC found = FindResourceW(module, name, L"WAVE");
	HGLOBAL loaded = found ? LoadResource(module, found) : NULL;
	const void *bytes = loaded ? LockResource(loaded) : NULL;
	return bytes ? sound_from_bytes(bytes, SizeofResource(module, found)) : NULL;
}

static struct sound *sound_from_alias(const WCHAR *alias)
{
	/* The system-sound alias names its own event key but one: "SystemDefault" is
	 * the ".Default" event. */
	if (!_wcsicmp(alias, L"SystemDefault"))
		alias = L".Default";
	WCHAR key[300], path[MAX_PATH];
	DWORD bytes = sizeof(path);
	if (wcslen(alias) > 200)
		return NULL;
	wcscpy(key, L"AppEvents\\Schemes\\Apps\\.Default\\");
	wcscat(key, alias);
	wcscat(key, L"\\.Current");
	/* RRF_RT_REG_SZ takes a REG_EXPAND_SZ too (%SystemRoot%\Media\…) and expands it
	 * (asking for RRF_RT_REG_EXPAND_SZ without RRF_NOEXPAND is an invalid call). */
	if (RegGetValueW(HKEY_CURRENT_USER, key, NULL, RRF_RT_REG_SZ, NULL, path, &bytes)
		    != ERROR_SUCCESS || !path[0])
		return NULL;
	return sound_from_file(path);
}

/* SND_ALIAS_ID values (sndAlias('S', x) in mmsystem.h) and the aliases they stand for. */
static const WCHAR *alias_of_id(UINT_PTR id)
{
	static const struct {
		UINT_PTR id;
		const WCHAR *alias;
	} ids[] = {
		{ SND_ALIAS_SYSTEMASTERISK, L"SystemAsterisk" },
		{ SND_ALIAS_SYSTEMQUESTION, L"SystemQuestion" },
		{ SND_ALIAS_SYSTEMHAND, L"SystemHand" },
		{ SND_ALIAS_SYSTEMEXIT, L"SystemExit" },
		{ SND_ALIAS_SYSTEMSTART, L"SystemStart" },
		{ SND_ALIAS_SYSTEMWELCOME, L"SystemWelcome" },
		{ SND_ALIAS_SYSTEMEXCLAMATION, L"SystemExclamation" },
		{ SND_ALIAS_SYSTEMDEFAULT, L".Default" },
	};
	for (size_t i = 0; i < ARRAYSIZE(ids); i++)
		if (ids[i].id == id)
			return ids[i].alias;
	return NULL;
}

static struct sound *find_sound(const WCHAR *sound, HMODULE module, DWORD flags)
{
	if ((flags & SND_RESOURCE) == SND_RESOURCE)
		return sound_from_resource(module, sound);
	if (flags & SND_MEMORY)
		return sound_from_memory((const BYTE *)sound);
	if ((flags & SND_ALIAS_ID) == SND_ALIAS_ID) {
		const WCHAR *alias = alias_of_id((UINT_PTR)sound);
		return alias ? sound_from_alias(alias) : NULL;
	}
	if (flags & SND_ALIAS)
		return sound_from_alias(sound);
	if (flags & SND_FILENAME)
		return sound_from_file(sound);
	struct sound *s = sound_from_alias(sound);
	return s ? s : sound_from_file(sound);
}

/* The sound's own thread: open, write, wait for the end or a stop, close. */
static DWORD WINAPI play_thread(void *arg)
{
	struct sound *s = arg;
	HANDLE done = CreateEventW(NULL, FALSE, FALSE, NULL);
	HWAVEOUT hwo = NULL;
	s->open_result = done ? waveOutOpen(&hwo, WAVE_MAPPER, &s->format.wfx, (DWORD_PTR)done, 0,
					    CALLBACK_EVENT)
			      : MMSYSERR_NOMEM;
	SetEvent(s->started);
	if (s->open_result != MMSYSERR_NOERROR) {
		if (done)
			CloseHandle(done);
		return 0;
	}
	WAVEHDR header = { .lpData = (LPSTR)s->data, .dwBufferLength = s->data_bytes };
	HANDLE waits[2] = { s->stop, done };
	bool stopped = waveOutPrepareHeader(hwo, &header, sizeof(header)) != MMSYSERR_NOERROR;
	while (!stopped) {
		if (waveOutWrite(hwo, &header, sizeof(header)) != MMSYSERR_NOERROR)
			break;
		/* The event is set for every callback: WHDR_DONE says which was ours. */
		while (!stopped && !(header.dwFlags & WHDR_DONE))
			stopped = WaitForMultipleObjects(2, waits, FALSE, INFINITE) == WAIT_OBJECT_0;
		if (!s->loop)
			break;
		stopped = stopped || WaitForSingleObject(s->stop, 0) == WAIT_OBJECT_0;
	}
	waveOutReset(hwo);
	waveOutUnprepareHeader(hwo, &header, sizeof(header));
	waveOutClose(hwo);
	CloseHandle(done);
	return 0;
}

/* Caller holds sound_lock: ends the current sound, if any, and waits for its thread. */
static void stop_current_locked(void)
{
	struct sound *s = current;
	current = NULL;
	if (!s)
		return;
	SetEvent(s->stop);
	WaitForSingleObject(s->thread, INFINITE);
	put_sound(s);
}

static bool is_playing_locked(void)
{
	return current && WaitForSingleObject(current->thread, 0) == WAIT_TIMEOUT;
}

static BOOL play_sound(const WCHAR *sound, HMODULE module, DWORD flags)
{
	if (!sound || (flags & SND_PURGE)) {
		AcquireSRWLockExclusive(&sound_lock);
		stop_current_locked();
		ReleaseSRWLockExclusive(&sound_lock);
		return TRUE;
	}
	AcquireSRWLockShared(&sound_lock);
	bool busy = (flags & SND_NOSTOP) && is_playing_locked();
	ReleaseSRWLockShared(&sound_lock);
	if (busy)
		return FALSE;

	/* Found before the current sound stops: a sound that is not there leaves the
	 * playing one alone only with SND_NODEFAULT (Windows plays the default then). */
	struct sound *s = find_sound(sound, module, flags);
	if (!s && !(flags & SND_NODEFAULT))
		s = sound_from_alias(L".Default");
	if (!s)
		return FALSE;
	s->loop = (flags & SND_ASYNC) && (flags & SND_LOOP);
	s->stop = CreateEventW(NULL, TRUE, FALSE, NULL);
	s->started = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (!s->stop || !s->started) {
		put_sound(s);
		return FALSE;
	}

	AcquireSRWLockExclusive(&sound_lock);
	if ((flags & SND_NOSTOP) && is_playing_locked()) {
		ReleaseSRWLockExclusive(&sound_lock);
		put_sound(s);
		return FALSE;
	}
	stop_current_locked();
	s->refs = 2; /* current's and ours */
	s->thread = CreateThread(NULL, 0, play_thread, s, 0, NULL);
	if (!s->thread) {
		ReleaseSRWLockExclusive(&sound_lock);
		s->refs = 1;
		put_sound(s);
		return FALSE;
	}
	current = s;
	ReleaseSRWLockExclusive(&sound_lock);

	WaitForSingleObject(s->started, INFINITE);
	BOOL ok = s->open_result == MMSYSERR_NOERROR;
	if (!(flags & SND_ASYNC))
		WaitForSingleObject(s->thread, INFINITE);
	put_sound(s);
	return ok;
}

BOOL WINAPI PlaySoundW(LPCWSTR sound, HMODULE module, DWORD flags)
{
	return play_sound(sound, module, flags);
}

/* Whether `sound` is a string to convert (not an image, an id or a resource number). */
static bool is_string(const void *sound, DWORD flags)
{
	if (!sound || (flags & SND_MEMORY) || (flags & SND_ALIAS_ID) == SND_ALIAS_ID)
		return false;
	return !((flags & SND_RESOURCE) == SND_RESOURCE && IS_INTRESOURCE(sound));
}

BOOL WINAPI PlaySoundA(LPCSTR sound, HMODULE module, DWORD flags)
{
	if (!is_string(sound, flags))
		return play_sound((const WCHAR *)sound, module, flags);
	int n = MultiByteToWideChar(CP_ACP, 0, sound, -1, NULL, 0);
	WCHAR *wide = n > 0 ? malloc((size_t)n * sizeof(WCHAR)) : NULL;
	if (!wide)
		return FALSE;
	MultiByteToWideChar(CP_ACP, 0, sound, -1, wide, n);
	BOOL ok = play_sound(wide, module, flags);
	free(wide);
	return ok;
}

/* sndPlaySound: an alias or a file (or an image with SND_MEMORY), the flags it knows. */
#define WM_SND_PLAYSOUND_FLAGS (SND_ASYNC | SND_LOOP | SND_MEMORY | SND_NODEFAULT | SND_NOSTOP)

BOOL WINAPI sndPlaySoundW(LPCWSTR sound, UINT flags)
{
	return play_sound(sound, NULL, flags & WM_SND_PLAYSOUND_FLAGS);
}

BOOL WINAPI sndPlaySoundA(LPCSTR sound, UINT flags)
{
	return PlaySoundA(sound, NULL, flags & WM_SND_PLAYSOUND_FLAGS);
}
