/* SPDX-License-Identifier: MIT */
/*
 * lc_scribble.exe — a hostile process of the session (tests/wine/test_wine_security.c).
 * It maps LoopCable's sections by name, as any process that may use a cable can, and
 * writes into them what it likes; or it checks who may open them.
 *
 *   lc_scribble.exe dacl
 *     Loads the driver (waveOutGetNumDevs), then reads the descriptor of the directory
 *     and of the current generation (GetSecurityInfo on a handle to each) and prints,
 *     per section: "section=NAME aces=N forbidden=N everyone_rw=0|1 label=none|low|
 *     medium|other no_write_up=0|1 no_read_up=0|1".  forbidden counts allow entries
 *     granting GENERIC_ALL, GENERIC_WRITE, WRITE_DAC, WRITE_OWNER or DELETE to anyone.
 *   lc_scribble.exe ahead SECONDS
 *     For SECONDS, moves the window of every live writer ring, consistently, 2^30
 *     frames ahead of now.  Prints "ahead: hits=N" (ring windows written).
 *   lc_scribble.exe fuzz SECONDS SEED
 *     For SECONDS, writes random and adversarial values into live writer and reader
 *     slots (format, volume, meter, ring window, samples; in the last fifth of the
 *     time a reader's state and owner words too), panel slots and the event log; its
 *     last word on every live writer is a window far ahead.  A writer keeps its
 *     ownership words: that last word must find it live.
 *     Prints "fuzz: writes=N writer_hits=N reader_hits=N".
 *   lc_scribble.exe victim SECONDS
 *     A bystander: creates a window (class lc_scribble_victim), never registers it,
 *     and prints "victim: events=N" — the LC_WM_DRIVER_EVENT messages it received.
 *   lc_scribble.exe steal SECONDS
 *     Writes the victim's window into a free panel slot under its own process id (no
 *     driver involved: straight into the section), keeps it there SECONDS.  Prints
 *     "stolen slot=K"; then asks the driver to register the victim's window too
 *     (LC_DRV_REGISTER_WINDOW) and prints its answer, "driver_register=0|1".
 */
#include <windows.h>
#include <mmsystem.h>
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drv_panel.h"
#include "drv_regkeys.h"
#include "lc_shm.h"

#define VICTIM_CLASS "lc_scribble_victim"
#define FAR_AHEAD (UINT64_C(1) << 30)

static struct lc_shm shm;
static uint32_t generation;

static uint64_t now_ms(void)
{
	return GetTickCount64();
}

/* Maps the directory and the generation it names (waiting up to 5 s for them). */
static bool map_current(void)
{
	uint64_t deadline = now_ms() + 5000;
	do {
		HANDLE dir_mapping = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE,
						      DRV_DIRECTORY_NAME);
		struct lc_shm_directory *dir = dir_mapping
			? MapViewOfFile(dir_mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, sizeof(*dir))
			: NULL;
		generation = dir ? atomic_load(&dir->generation) : 0;
		if (generation) {
			wchar_t name[DRV_SECTION_NAME_CHARS];
			drv_section_name(generation, name);
			HANDLE mapping = OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, name);
			void *view = mapping ? MapViewOfFile(mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0,
							     0, 0)
					     : NULL;
			MEMORY_BASIC_INFORMATION info;
			if (view && VirtualQuery(view, &info, sizeof(info))
			    && lc_shm_open(&shm, view, info.RegionSize) == 0)
				return true;
		}
		Sleep(20);
	} while (now_ms() < deadline);
	printf("FAIL no section to map (generation %u)\n", generation);
	return false;
}

static uint64_t now_frame(uint32_t cable)
{
	LARGE_INTEGER now;
	QueryPerformanceCounter(&now);
	return lc_clock_frame_at(&shm.clock, (uint64_t)now.QuadPart, shm.cables[cable].rate_hz);
}

/* --- who may open the sections ----------------------------------------------------------- */

static void print_descriptor(const wchar_t *name)
{
	HANDLE h = OpenFileMappingW(READ_CONTROL, FALSE, name);
	PACL dacl = NULL, sacl = NULL;
	PSECURITY_DESCRIPTOR sd = NULL;
	DWORD error = h ? GetSecurityInfo(h, SE_KERNEL_OBJECT,
					  DACL_SECURITY_INFORMATION | LABEL_SECURITY_INFORMATION,
					  NULL, NULL, &dacl, &sacl, &sd)
			: GetLastError();
	if (error != ERROR_SUCCESS) {
		printf("FAIL descriptor of %ls: %lu\n", name, error);
		if (h)
			CloseHandle(h);
		return;
	}
	const DWORD bad = GENERIC_ALL | GENERIC_WRITE | WRITE_DAC | WRITE_OWNER | DELETE;
	const DWORD rw = SECTION_MAP_READ | SECTION_MAP_WRITE;
	int n_aces = 0, forbidden = dacl ? 0 : 1, everyone_rw = 0;
	for (DWORD i = 0; dacl && i < dacl->AceCount; i++) {
		ACE_HEADER *ace;
		if (!GetAce(dacl, i, (void **)&ace))
			continue;
		n_aces++;
		if (ace->AceType != ACCESS_ALLOWED_ACE_TYPE)
			continue;
		ACCESS_ALLOWED_ACE *allow = (ACCESS_ALLOWED_ACE *)ace;
		PSID sid = &allow->SidStart;
		wchar_t *text = NULL;
		ConvertSidToStringSidW(sid, &text);
		printf("  allow %ls mask=%#lx\n", text ? text : L"?", (unsigned long)allow->Mask);
		if (allow->Mask & bad)
			forbidden++;
		if (text && !wcscmp(text, L"S-1-1-0") && (allow->Mask & rw) == rw)
			everyone_rw = 1;
		LocalFree(text);
	}
	const char *label = "none";
	int no_write_up = 0, no_read_up = 0;
	for (DWORD i = 0; sacl && i < sacl->AceCount; i++) {
		ACE_HEADER *ace;
		if (!GetAce(sacl, i, (void **)&ace) || ace->AceType != SYSTEM_MANDATORY_LABEL_ACE_TYPE)
			continue;
		SYSTEM_MANDATORY_LABEL_ACE *ml = (SYSTEM_MANDATORY_LABEL_ACE *)ace;
		DWORD rid = *GetSidSubAuthority(&ml->SidStart, 0);
		label = rid == SECURITY_MANDATORY_LOW_RID	   ? "low"
			: rid == SECURITY_MANDATORY_MEDIUM_RID ? "medium"
							       : "other";
		no_write_up = (ml->Mask & SYSTEM_MANDATORY_LABEL_NO_WRITE_UP) != 0;
		no_read_up = (ml->Mask & SYSTEM_MANDATORY_LABEL_NO_READ_UP) != 0;
	}
	printf("section=%ls aces=%d forbidden=%d everyone_rw=%d label=%s no_write_up=%d "
	       "no_read_up=%d\n",
	       name, n_aces, forbidden, everyone_rw, label, no_write_up, no_read_up);
	LocalFree(sd);
	CloseHandle(h);
}

static int dacl(void)
{
	printf("devices=%u\n", waveOutGetNumDevs());
	if (!map_current())
		return 1;
	wchar_t name[DRV_SECTION_NAME_CHARS];
	drv_section_name(generation, name);
	print_descriptor(DRV_DIRECTORY_NAME);
	print_descriptor(name);
	printf("lc_scribble: ok\n");
	return 0;
}

/* --- writing into live slots ------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible from the seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static bool live(const _Atomic uint64_t *state)
{
	return LC_SLOT_KIND(atomic_load(state)) == LC_SLOT_ACTIVE;
}

/* A consistent window, far beyond anything the timeline allows. */
static void far_ahead(struct lc_shm_ring_ctl *ring, uint32_t cable)
{
	uint64_t end = now_frame(cable) + FAR_AHEAD;
	atomic_store(&ring->start, end - 16);
	atomic_store(&ring->end, end);
	atomic_store(&ring->flags, 1);
}

static int ahead(double seconds)
{
	if (!map_current())
		return 1;
	unsigned hits = 0;
	/* Wait for a writer first (the player may not have opened yet), then SECONDS. */
	uint64_t give_up = now_ms() + 5000, end = 0;
	while (now_ms() < (end ? end : give_up)) {
		for (uint32_t c = 0; c < shm.n_cables; c++)
			for (uint32_t i = 0; i < LC_WRITER_SLOTS; i++) {
				struct lc_shm_writer *w = lc_shm_writer_at(&shm, c, i);
				if (live(&w->head.state)) {
					far_ahead(&w->ring, c);
					hits++;
				}
			}
		if (hits && !end)
			end = now_ms() + (uint64_t)(seconds * 1000);
		Sleep(1);
	}
	printf("ahead: hits=%u\n", hits);
	printf("lc_scribble: %s\n", hits ? "ok" : "FAILED");
	return hits ? 0 : 1;
}

static uint32_t nasty_float_bits(void)
{
	static const uint32_t values[] = {
		0x7fc00000u, /* NaN */
		0xffc00001u, /* negative NaN */
		0x7f800000u, /* +inf */
		0xff800000u, /* -inf */
		0x7f7fffffu, /* FLT_MAX */
		0xbf800000u, /* -1 */
		0x00000001u, /* denormal */
		0x41200000u, /* 10 */
	};
	return (rnd() & 1) ? values[rnd() % ARRAYSIZE(values)] : (uint32_t)rnd();
}

static uint64_t nasty_u64(uint32_t cable)
{
	switch (rnd() % 6) {
	case 0: return 0;
	case 1: return UINT64_MAX;
	case 2: return LC_RING_MAX_POS - 1 - (rnd() & 0xff);
	case 3: return now_frame(cable) + (rnd() & 0xffff);
	case 4: return now_frame(cable) - (rnd() & 0xffff);
	default: return rnd();
	}
}

/* Ownership words (state, owner start time and generation) only when `owners`: the
 * client then loses its slot (other processes' reapers take it for dead), and nothing
 * more of it is live to scribble on. */
static void scribble_head(struct lc_shm_slot_head *h, bool owners)
{
	switch (rnd() % (owners ? 7 : 4)) {
	case 0: atomic_store(&h->fmt_seq, (uint32_t)rnd()); break;
	case 1: atomic_store(&h->fmt[rnd() % LC_SHM_FMT_FIELDS], (uint32_t)rnd()); break;
	case 2: atomic_store(&h->volume, nasty_float_bits()); break;
	case 3: atomic_store(&h->mute, (uint32_t)rnd()); break;
	case 4: /* the state word: garbage, free, another owner */
		atomic_store(&h->state, rnd() % 2 ? rnd() : LC_SLOT_WORD(rnd(), rnd(), rnd() % 3));
		break;
	case 5: atomic_store(&h->owner_start, rnd()); break;
	default: atomic_store(&h->owner_gen, (uint32_t)rnd()); break;
	}
}

static void scribble_meter(struct lc_shm_meter *m)
{
	if (rnd() % 2)
		atomic_store(&m->peak[rnd() % LC_MAX_CHANNELS], nasty_float_bits());
	else
		atomic_store(&((_Atomic uint64_t *)(void *)m)[rnd() % 8], rnd()); /* counters */
}

static void scribble_ring(struct lc_shm_ring_ctl *ring, uint32_t cable)
{
	uint32_t n = shm.cables[cable].ring_frames;
	uint64_t v = nasty_u64(cable);
	switch (rnd() % 6) {
	case 0: far_ahead(ring, cable); break;
	case 1: atomic_store(&ring->start, v); break;
	case 2: atomic_store(&ring->end, v); break;
	case 3: /* wider than the ring */
		atomic_store(&ring->start, v > n ? v - 2 * (uint64_t)n : 0);
		atomic_store(&ring->end, v);
		break;
	case 4: atomic_store(&ring->seq, rnd()); break;
	default: atomic_store(&ring->flags, (uint32_t)rnd()); break;
	}
}

static void scribble_samples(uint32_t cable, uint32_t index)
{
	const struct lc_shm_cable_desc *d = &shm.cables[cable];
	float *ring = (float *)(void *)(shm.base + d->ring_offset + index * d->ring_stride_bytes);
	uint64_t n = d->ring_stride_bytes / sizeof(float);
	uint64_t at = rnd() % n;
	for (uint64_t k = 0; k < 64 && at + k < n; k++) {
		uint32_t bits = nasty_float_bits();
		memcpy(&ring[at + k], &bits, sizeof(bits));
	}
}

static HWND some_window(void)
{
	switch (rnd() % 4) {
	case 0: return GetDesktopWindow();
	case 1: return FindWindowA(VICTIM_CLASS, NULL);
	default: return (HWND)(UINT_PTR)rnd();
	}
}

static void scribble_panels(void)
{
	struct lc_shm_root *root = (struct lc_shm_root *)(void *)shm.base;
	struct lc_shm_panel_slot *p = &root->panels[rnd() % LC_PANEL_SLOTS];
	if (rnd() % 2) {
		atomic_store(&p->hwnd, (uint64_t)(UINT_PTR)some_window());
		atomic_store(&p->state, LC_SLOT_WORD(rnd() % 2 ? GetCurrentProcessId() : rnd(), rnd(),
						     LC_SLOT_ACTIVE));
	} else {
		atomic_store(&root->events[rnd() % LC_EVENT_LOG], rnd());
	}
}

static int fuzz(double seconds, uint64_t seed)
{
	rng_state = seed ? seed : 1;
	if (!map_current())
		return 1;
	unsigned writes = 0, writer_hits = 0, reader_hits = 0;
	/* Wait for both clients, then scribble for SECONDS. */
	uint64_t give_up = now_ms() + 5000, end = 0;
	while (now_ms() < (end ? end : give_up)) {
		/* The last fifth of the time, ownership too. */
		bool owners = end && now_ms() + (uint64_t)(seconds * 200) >= end;
		for (uint32_t c = 0; c < shm.n_cables; c++) {
			for (uint32_t i = 0; i < LC_WRITER_SLOTS; i++) {
				struct lc_shm_writer *w = lc_shm_writer_at(&shm, c, i);
				if (!live(&w->head.state))
					continue;
				if (!end)
					end = now_ms() + (uint64_t)(seconds * 1000);
				writer_hits++;
				switch (rnd() % 4) {
				case 0: scribble_head(&w->head, false); break;
				case 1: scribble_meter(&w->meter); break;
				case 2: scribble_samples(c, i); break;
				default: scribble_ring(&w->ring, c); break;
				}
				writes++;
			}
			for (uint32_t i = 0; i < LC_READER_SLOTS; i++) {
				struct lc_shm_reader *r = lc_shm_reader_at(&shm, c, i);
				if (!live(&r->head.state))
					continue;
				reader_hits++;
				if (rnd() % 2)
					scribble_head(&r->head, owners);
				else
					scribble_meter(&r->meter);
				writes++;
			}
		}
		if (end) {
			scribble_panels();
			writes++;
		}
		Sleep(1);
	}
	/* The worst state to leave behind: every live writer far ahead of now. */
	for (uint32_t c = 0; c < shm.n_cables; c++)
		for (uint32_t i = 0; i < LC_WRITER_SLOTS; i++) {
			struct lc_shm_writer *w = lc_shm_writer_at(&shm, c, i);
			if (live(&w->head.state))
				far_ahead(&w->ring, c);
		}
	printf("fuzz: writes=%u writer_hits=%u reader_hits=%u\n", writes, writer_hits, reader_hits);
	printf("lc_scribble: %s\n", writer_hits ? "ok" : "FAILED");
	return writer_hits ? 0 : 1;
}

/* --- windows of other processes ---------------------------------------------------------- */

static int n_victim_events;

static LRESULT CALLBACK victim_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
	if (msg == LC_WM_DRIVER_EVENT) {
		n_victim_events++;
		printf("victim: got event %#lx\n", (unsigned long)lparam);
		fflush(stdout);
		return 0;
	}
	return DefWindowProcA(hwnd, msg, wparam, lparam);
}

static int victim(double seconds)
{
	WNDCLASSA wc = { .lpfnWndProc = victim_proc, .hInstance = GetModuleHandleA(NULL),
			 .lpszClassName = VICTIM_CLASS };
	RegisterClassA(&wc);
	HWND hwnd = CreateWindowA(VICTIM_CLASS, "bystander", WS_OVERLAPPEDWINDOW, 0, 0, 100, 100,
				  NULL, NULL, wc.hInstance, NULL);
	if (!hwnd) {
		printf("FAIL window\n");
		return 1;
	}
	printf("victim hwnd=%p\n", (void *)hwnd);
	fflush(stdout);
	uint64_t end = now_ms() + (uint64_t)(seconds * 1000);
	while (now_ms() < end) {
		MsgWaitForMultipleObjects(0, NULL, FALSE, 20, QS_ALLINPUT);
		MSG msg;
		while (PeekMessageA(&msg, NULL, 0, 0, PM_REMOVE))
			DispatchMessageA(&msg);
	}
	DestroyWindow(hwnd);
	printf("victim: events=%d\n", n_victim_events);
	printf("lc_scribble: ok\n");
	return 0;
}

static int steal(double seconds)
{
	HWND target = NULL;
	for (uint64_t give_up = now_ms() + 5000; !target && now_ms() < give_up; Sleep(20))
		target = FindWindowA(VICTIM_CLASS, NULL);
	/* Makes sure the sections exist (a panel or a client may not have run yet). */
	waveOutGetNumDevs();
	if (!target || !map_current()) {
		printf("FAIL victim window %p\n", (void *)target);
		return 1;
	}
	FILETIME created, exited, kernel, user;
	GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user);
	uint64_t start = ((uint64_t)created.dwHighDateTime << 32) | created.dwLowDateTime;
	struct lc_slot slot;
	int index = lc_shm_panel_register(&shm, (uint64_t)(UINT_PTR)target, GetCurrentProcessId(),
					  start, &slot);
	printf("stolen slot=%d hwnd=%p\n", index, (void *)target);
	/* And through the front door: the driver must refuse a window of another process. */
	HDRVR driver = OpenDriver(L"wave", L"Drivers32", 0);
	LRESULT via_driver = driver ? SendDriverMessage(driver, LC_DRV_REGISTER_WINDOW,
							(LPARAM)target, 0)
				    : -1;
	printf("driver_register=%ld\n", (long)via_driver);
	if (index < 0)
		return 1;
	Sleep((DWORD)(seconds * 1000));
	lc_shm_panel_unregister(&shm, &slot);
	if (driver)
		CloseDriver(driver, 0, 0);
	printf("lc_scribble: ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	const char *mode = argc > 1 ? argv[1] : "";
	double seconds = argc > 2 ? atof(argv[2]) : 1;
	if (!strcmp(mode, "dacl"))
		return dacl();
	if (!strcmp(mode, "ahead"))
		return ahead(seconds);
	if (!strcmp(mode, "fuzz"))
		return fuzz(seconds, argc > 3 ? strtoull(argv[3], NULL, 10) : 1);
	if (!strcmp(mode, "victim"))
		return victim(seconds);
	if (!strcmp(mode, "steal"))
		return steal(seconds);
	fprintf(stderr, "usage: lc_scribble.exe dacl | ahead S | fuzz S SEED | victim S | steal S\n");
	return 100;
}
