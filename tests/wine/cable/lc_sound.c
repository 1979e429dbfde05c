/* SPDX-License-Identifier: MIT */
/*
 * lc_sound.exe DIR MODE — a program's system sounds: plays DIR\tone.wav (made by the
 * native suite) with PlaySound / sndPlaySound from DIR as its current folder, the way
 * a program does, knowing nothing of cables.  Modes:
 *
 *   file      PlaySoundW(L"tone.wav", NULL, SND_FILENAME | SND_SYNC)
 *   memory    the file read into memory, PlaySoundW(image, NULL, SND_MEMORY | SND_SYNC)
 *   snd       sndPlaySoundA("tone.wav", SND_SYNC) (an alias first, then the file)
 *   alias_id  PlaySoundW(SND_ALIAS_SYSTEMASTERISK, NULL, SND_ALIAS_ID | SND_SYNC)
 *             (the suite registers SystemAsterisk as tone.wav)
 *   async     PlaySoundW(L"tone.wav", NULL, SND_FILENAME | SND_ASYNC), 300 ms later
 *             PlaySoundW(NULL, NULL, 0) stops it
 *   missing   PlaySoundW(L"no_such.wav", …, SND_FILENAME | SND_SYNC | SND_NODEFAULT) is
 *             FALSE; with SND_NOSTOP while an async sound plays, FALSE too
 *
 * Prints "result=R elapsed_ms=T" for the call that plays (T: how long it took to
 * return) and "lc_sound: ok" when every call answered as documented; exit code 0 then.
 */
#include <windows.h>
#include <mmsystem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int n_failed;

static void expect(const char *what, int got, int want)
{
	if (got != want) {
		n_failed++;
		printf("FAIL %s: got %d, want %d\n", what, got, want);
	}
}

static DWORD ms_since(LARGE_INTEGER t0)
{
	LARGE_INTEGER now, freq;
	QueryPerformanceCounter(&now);
	QueryPerformanceFrequency(&freq);
	return (DWORD)((now.QuadPart - t0.QuadPart) * 1000 / freq.QuadPart);
}

static void *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	void *bytes = malloc((size_t)size);
	if (bytes && fread(bytes, 1, (size_t)size, f) != (size_t)size) {
		free(bytes);
		bytes = NULL;
	}
	fclose(f);
	return bytes;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc != 3 || !SetCurrentDirectoryA(argv[1])) {
		fprintf(stderr, "usage: lc_sound.exe DIR file|memory|snd|alias_id|async|missing\n");
		return 100;
	}
	const char *mode = argv[2];
	LARGE_INTEGER t0;
	QueryPerformanceCounter(&t0);
	BOOL r;
	if (!strcmp(mode, "file")) {
		r = PlaySoundW(L"tone.wav", NULL, SND_FILENAME | SND_SYNC);
	} else if (!strcmp(mode, "memory")) {
		void *image = read_all("tone.wav");
		if (!image) {
			printf("cannot read tone.wav\n");
			return 1;
		}
		QueryPerformanceCounter(&t0);
		r = PlaySoundW((LPCWSTR)image, NULL, SND_MEMORY | SND_SYNC);
		free(image);
	} else if (!strcmp(mode, "snd")) {
		r = sndPlaySoundA("tone.wav", SND_SYNC);
	} else if (!strcmp(mode, "alias_id")) {
		r = PlaySoundW((LPCWSTR)(UINT_PTR)SND_ALIAS_SYSTEMASTERISK, NULL, SND_ALIAS_ID | SND_SYNC);
	} else if (!strcmp(mode, "async")) {
		r = PlaySoundW(L"tone.wav", NULL, SND_FILENAME | SND_ASYNC);
		printf("result=%d elapsed_ms=%lu\n", r, (unsigned long)ms_since(t0));
		Sleep(150);
		expect("SND_NOSTOP while a sound plays",
		       PlaySoundW(L"tone.wav", NULL, SND_FILENAME | SND_ASYNC | SND_NOSTOP), FALSE);
		Sleep(150);
		expect("PlaySound(NULL) stops", PlaySoundW(NULL, NULL, 0), TRUE);
		expect("async PlaySound", r, TRUE);
		printf("stopped_ms=%lu\n", (unsigned long)ms_since(t0));
		printf("lc_sound: %s\n", n_failed ? "failed" : "ok");
		return n_failed;
	} else if (!strcmp(mode, "missing")) {
		r = PlaySoundW(L"no_such.wav", NULL, SND_FILENAME | SND_SYNC | SND_NODEFAULT);
		printf("result=%d elapsed_ms=%lu\n", r, (unsigned long)ms_since(t0));
		expect("a missing file with SND_NODEFAULT", r, FALSE);
		printf("lc_sound: %s\n", n_failed ? "failed" : "ok");
		return n_failed;
	} else {
		fprintf(stderr, "unknown mode %s\n", mode);
		return 100;
	}
	printf("result=%d elapsed_ms=%lu\n", r, (unsigned long)ms_since(t0));
	expect(mode, r, TRUE);
	printf("lc_sound: %s\n", n_failed ? "failed" : "ok");
	return n_failed;
}
