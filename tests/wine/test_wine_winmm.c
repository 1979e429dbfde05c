/* SPDX-License-Identifier: MIT */
/*
 * test_wine_winmm.c — the test-only winmm.dll (winmm/README.md) under Wine: an
 * unmodified client (winmm/winmm_client.c) runs one scenario per test against two
 * recording drivers (winmm/recdrv.c) registered in Drivers32, with `winmm=n`; each
 * test asserts on the client's own checks and output AND on the drivers' message log
 * (what winmm sent, in which order, with which dwUser).
 *
 * Registry: wave = recdrv_a.dll, wave1 = a DLL that does not exist, wave2 =
 * recdrv_b.dll, wave9 = Wine's midimap.dll (a driver that loads but has no wave
 * entry points); both misfits must be skipped, so the global ids are out 0,1 = A 0,1
 * and out 2 = B 0 (likewise in).  This suite has its own prefix (LC_WINEPREFIX from
 * winmm/meson.build) because it owns Drivers32 there.
 *
 * Environment (tests/wine/meson.build): LC_WINE, LC_WINEPREFIX, LC_PE_OBJDUMP,
 * LC_TEST_WINMM_DLL, LC_WBWINMM_DLL, LC_WINE_WINMM_DLL, LC_RECDRV_A_DLL,
 * LC_RECDRV_B_DLL, LC_WINMM_CLIENT_EXE.
 *
 * Over ~600 lines: the log helpers serve only these tests, and each test's expected
 * message list is easiest to check beside the scenario it mirrors.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "lc_wine.h"

/* extra_env replaces WINEDLLOVERRIDES wholly: LC_WINE_CLIENT_ENV is the full value. */
#define OVERRIDES LC_WINE_CLIENT_ENV
#define DRIVERS32 "HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Drivers32"

/* Values of mmsystem.h as the drivers log them; this suite is a Linux program.
 * Expected message lists spell results as numbers: 8 = MMSYSERR_NOTSUPPORTED,
 * 33 = WAVERR_STILLPLAYING, 1 = MMSYSERR_ERROR. */
#define MM_NOERROR 0
#define MM_BADFORMAT 32
#define MM_SIZEOF_WAVEOUTCAPSW 84 /* packed (pshpack1) */
#define MM_SIZEOF_WAVEINCAPSW 80
#define MM_CALLBACK_FUNCTION 0x30000
#define MM_CALLBACK_EVENT 0x50000
#define MM_WAVE_FORMAT_QUERY 0x1
#define MM_WAVE_MAPPED 0x4

/* ---- paths, registration, running ---- */

/* Wine maps the Unix root to drive Z:. */
static void windows_path(const char *unix_path, char *out, size_t size)
{
	snprintf(out, size, "Z:%s", unix_path);
	for (char *p = out; *p; p++)
		if (*p == '/')
			*p = '\\';
}

/* A .reg value string: backslashes doubled. */
static void reg_escape(const char *in, char *out, size_t size)
{
	size_t n = 0;
	for (; *in && n + 2 < size; in++) {
		if (*in == '\\')
			out[n++] = '\\';
		out[n++] = *in;
	}
	out[n] = '\0';
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *text = malloc((size_t)size + 1);
	size_t got = fread(text, 1, (size_t)size, f);
	text[got] = '\0';
	fclose(f);
	return text;
}

/* The values of Drivers32 as "name=value;…" in the order `reg query` lists them. */
static void query_drivers32(char *out, size_t size)
{
	const char *argv[] = { "reg", "query", DRIVERS32, NULL };
	struct lc_wine_result run = lc_wine_run(argv, NULL, 60000);
	size_t len = 0;
	out[0] = '\0';
	/* Rows look like "    wave    REG_SZ    Z:\\…\\recdrv_a.dll". */
	for (char *save = NULL, *l = strtok_r(run.output, "\r\n", &save); l;
	     l = strtok_r(NULL, "\r\n", &save)) {
		char name[64], type[32], value[4096];
		if (sscanf(l, " %63s %31s %4095[^\r\n]", name, type, value) == 3 &&
		    strcmp(type, "REG_SZ") == 0 && len < size)
			len += (size_t)snprintf(out + len, size - len, "%s=%s;", name, value);
	}
	free(run.output);
}

/* Drivers32 exactly as this suite wants it (the key is recreated, so no other
 * wave value survives), checked by every test and imported when it differs: under
 * a lock, because Criterion runs the tests in parallel, and only when needed, so
 * no client ever reads a key being rewritten. */
static void register_drivers(void)
{
	char a[4096], b[4096], a_reg[8192], b_reg[8192], text[20000], wanted[10000], got[10000];
	windows_path(lc_wine_env("LC_RECDRV_A_DLL"), a, sizeof(a));
	windows_path(lc_wine_env("LC_RECDRV_B_DLL"), b, sizeof(b));
	snprintf(wanted, sizeof(wanted),
		 "wave=%s;wave1=lc_no_such_driver.dll;wave2=%s;wave9=midimap.dll;", a, b);
	reg_escape(a, a_reg, sizeof(a_reg));
	reg_escape(b, b_reg, sizeof(b_reg));
	snprintf(text, sizeof(text),
		 "Windows Registry Editor Version 5.00\r\n\r\n"
		 "[-" DRIVERS32 "]\r\n\r\n"
		 "[" DRIVERS32 "]\r\n"
		 "\"wave\"=\"%s\"\r\n"
		 "\"wave1\"=\"lc_no_such_driver.dll\"\r\n"
		 "\"wave2\"=\"%s\"\r\n"
		 "\"wave9\"=\"midimap.dll\"\r\n",
		 a_reg, b_reg);

	const char *prefix = lc_wine_env("LC_WINEPREFIX");
	char lock_path[4096], reg_file[4096], reg_file_win[4200];
	snprintf(lock_path, sizeof(lock_path), "%s.drivers32.lock", prefix);
	snprintf(reg_file, sizeof(reg_file), "%s/loopcable-drivers32.reg", prefix);
	int lock_fd = open(lock_path, O_CREAT | O_RDWR, 0644);
	cr_assert(lock_fd >= 0 && flock(lock_fd, LOCK_EX) == 0, "lock %s", lock_path);
	query_drivers32(got, sizeof(got));
	if (strcmp(got, wanted) != 0) {
		FILE *f = fopen(reg_file, "wb");
		cr_assert_not_null(f, "cannot write %s", reg_file);
		fputs(text, f);
		fclose(f);
		windows_path(reg_file, reg_file_win, sizeof(reg_file_win));
		const char *argv[] = { "reg", "import", reg_file_win, NULL };
		struct lc_wine_result run = lc_wine_run(argv, NULL, 60000);
		cr_assert_eq(run.exit_code, 0, "reg import failed:\n%s", run.output);
		free(run.output);
		query_drivers32(got, sizeof(got));
		cr_assert_str_eq(got, wanted, "Drivers32 after the import");
	}
	flock(lock_fd, LOCK_UN);
	close(lock_fd);
}

static void skip_without_wine(void)
{
	if (!lc_wine_available())
		cr_skip_test("%s is absent: 32-bit Wine (wine32) is not installed, so the 32-bit "
			     "test winmm is checked statically only (exports)",
			     lc_wine_env("LC_WINE"));
	if (!*lc_wine_env("LC_WBWINMM_DLL"))
		cr_skip_test("no Wine winmm.dll of this bitness to copy as wbwinmm.dll");
}

struct scenario {
	struct lc_wine_result run;
	char **lines; /* the drivers' log, one entry per line */
	size_t n_lines;
};

static void log_path(const char *name, char *out, size_t size)
{
	char exe[4096];
	snprintf(exe, sizeof(exe), "%s", lc_wine_env("LC_WINMM_CLIENT_EXE"));
	snprintf(out, size, "%s/recdrv-%s.log", dirname(exe), name);
}

/* Runs `winmm_client.exe name`; checks that the client ran every check and all
 * passed: exactly `n_expected` of them, so a scenario that skipped a block (a loop
 * over no devices) fails here too. */
static struct scenario run_scenario_env(const char *name, int n_expected, const char *more_env)
{
	skip_without_wine();
	lc_wine_prepare();
	register_drivers();

	char log_unix[4096], log_win[4200], log_env[4300];
	log_path(name, log_unix, sizeof(log_unix));
	unlink(log_unix);
	windows_path(log_unix, log_win, sizeof(log_win));
	snprintf(log_env, sizeof(log_env), "RECDRV_LOG=%s", log_win);
	const char *env[] = { log_env, OVERRIDES, more_env, NULL };
	const char *argv[] = { lc_wine_env("LC_WINMM_CLIENT_EXE"), name, NULL };
	struct scenario s = { .run = lc_wine_run(argv, env, 120000) };

	cr_log_info("winmm_client %s output:\n%s", name, s.run.output);
	cr_assert(!s.run.timed_out, "winmm_client %s timed out:\n%s", name, s.run.output);
	cr_expect(strstr(s.run.output, "FAIL") == NULL, "a client check failed:\n%s", s.run.output);
	char summary[64];
	snprintf(summary, sizeof(summary), "winmm_client %s: ", name);
	const char *line = strstr(s.run.output, summary);
	int n_checks = -1, n_failed = -1;
	cr_assert_not_null(line, "no summary line — did the program run?\n%s", s.run.output);
	cr_assert_eq(sscanf(line + strlen(summary), "%d checks, %d failed", &n_checks, &n_failed),
		     2);
	cr_expect_eq(n_failed, 0);
	cr_expect_eq(n_checks, n_expected, "%d checks ran, the client has %d", n_checks,
		     n_expected);
	cr_expect_eq(s.run.exit_code, 0, "exit code %d", s.run.exit_code);

	char *text = read_file(log_unix);
	cr_assert_not_null(text, "the drivers wrote no log %s", log_unix);
	size_t cap = 1024;
	s.lines = malloc(cap * sizeof(*s.lines));
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		if (s.n_lines == cap)
			s.lines = realloc(s.lines, (cap *= 2) * sizeof(*s.lines));
		s.lines[s.n_lines++] = l;
	}
	return s;
}

static struct scenario run_scenario(const char *name, int n_expected)
{
	return run_scenario_env(name, n_expected, NULL);
}

/* ---- reading log lines: "A wod WODM_OPEN dev=1 user=0xa0001 … -> 0 inst=…" ---- */

/* Whether `line` starts with "TAG KIND MSG " (e.g. "A wod WODM_OPEN"). */
static bool is(const char *line, const char *tag_kind_msg)
{
	size_t n = strlen(tag_kind_msg);
	return strncmp(line, tag_kind_msg, n) == 0 && line[n] == ' ';
}

/* The number after "key=" (hex or decimal as logged); `missing` if absent. */
static unsigned long long field(const char *line, const char *key, unsigned long long missing)
{
	char pattern[32];
	snprintf(pattern, sizeof(pattern), " %s=", key);
	const char *at = strstr(line, pattern);
	return at ? strtoull(at + strlen(pattern), NULL, 0) : missing;
}

static long long result_of(const char *line)
{
	const char *at = strstr(line, " -> ");
	return at ? strtoll(at + 4, NULL, 10) : -1000;
}

/* The message name: third word. */
static void msg_of(const char *line, char *out, size_t size)
{
	const char *p = strchr(line, ' ');
	p = p ? strchr(p + 1, ' ') : NULL;
	snprintf(out, size, "%s", p ? p + 1 : "");
	out[strcspn(out, " ")] = '\0';
}

static size_t count(const struct scenario *s, const char *tag_kind_msg, long long result)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_lines; i++)
		n += is(s->lines[i], tag_kind_msg) &&
		     (result == -1 || result_of(s->lines[i]) == result);
	return n;
}

/* First line at or after `from` starting with tag_kind_msg and containing `also`
 * (NULL: anything); returns its index or n_lines. */
static size_t find(const struct scenario *s, size_t from, const char *tag_kind_msg,
		   const char *also)
{
	for (size_t i = from; i < s->n_lines; i++)
		if (is(s->lines[i], tag_kind_msg) && (!also || strstr(s->lines[i], also)))
			return i;
	return s->n_lines;
}

/* The messages of one open (lines of `tag_kind` with user=inst), after its OPEN,
 * as "MSG=result MSG=result …". */
static void messages_of(const struct scenario *s, const char *tag_kind, unsigned long long inst,
			char *out, size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < s->n_lines && len + 64 < size; i++) {
		if (strncmp(s->lines[i], tag_kind, strlen(tag_kind)) != 0 ||
		    field(s->lines[i], "user", 0) != inst)
			continue;
		char msg[48];
		msg_of(s->lines[i], msg, sizeof(msg));
		len += (size_t)snprintf(out + len, size - len, "%s%s=%lld", len ? " " : "", msg,
					result_of(s->lines[i]));
	}
}

static unsigned long long info_value(const struct scenario *s, const char *prefix)
{
	const char *at = strstr(s->run.output, prefix);
	cr_assert_not_null(at, "client printed no '%s'", prefix);
	return strtoull(at + strlen(prefix), NULL, 0);
}

static void expect_output(const struct scenario *s, const char *text)
{
	cr_expect(strstr(s->run.output, text) != NULL, "client output lacks \"%s\"", text);
}

/* The load sequence: both drivers, in registry order, each exactly once, and
 * nothing of the missing wave1 in between. */
static void expect_loaded_once(const struct scenario *s)
{
	static const char *const expected[] = {
		"A DriverProc DRV_LOAD", "A DriverProc DRV_ENABLE", "A DriverProc DRV_OPEN",
		"A wod DRVM_INIT",	 "A wod WODM_GETNUMDEVS",   "A wid DRVM_INIT",
		"A wid WIDM_GETNUMDEVS", "B DriverProc DRV_LOAD",   "B DriverProc DRV_ENABLE",
		"B DriverProc DRV_OPEN", "B wod DRVM_INIT",	    "B wod WODM_GETNUMDEVS",
		"B wid DRVM_INIT",	 "B wid WIDM_GETNUMDEVS",
	};
	static const long long results[] = { 1, 1, 1, 0, 2, 0, 2, 1, 1, 1, 0, 1, 0, 1 };
	size_t n = sizeof(expected) / sizeof(expected[0]);
	cr_assert_geq(s->n_lines, n, "log too short");
	for (size_t i = 0; i < n; i++) {
		cr_expect(is(s->lines[i], expected[i]), "log line %zu: want \"%s…\", got \"%s\"", i,
			  expected[i], s->lines[i]);
		cr_expect_eq(result_of(s->lines[i]), results[i], "%s", s->lines[i]);
		cr_expect_eq(count(s, expected[i], -1), 1, "\"%s\" more than once", expected[i]);
		if (strstr(expected[i], " wod ") || strstr(expected[i], " wid "))
			cr_expect(field(s->lines[i], "dev", 9) == 0 &&
					  field(s->lines[i], "user", 9) == 0,
				  "load messages go to device 0 with dwUser 0: %s", s->lines[i]);
	}
	for (size_t i = 0; i < s->n_lines; i++)
		cr_expect(strstr(s->lines[i], "DriverProc") == NULL || i < n,
			  "driver lifecycle message after loading: %s", s->lines[i]);
}

/* ---- the static check (both bitnesses) ---- */

/* The names in an `objdump -p` export table, and forwarders as "name=target". */
static size_t exports_of(const char *dll, char names[][96], size_t max)
{
	char command[8192], line[1024];
	snprintf(command, sizeof(command), "'%s' -p '%s'", lc_wine_env("LC_PE_OBJDUMP"), dll);
	FILE *pipe = popen(command, "r");
	cr_assert_not_null(pipe);
	size_t n = 0;
	bool in_table = false;
	while (fgets(line, sizeof(line), pipe)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strstr(line, "[Ordinal/Name Pointer] Table")) {
			in_table = true;
			continue;
		}
		if (!in_table)
			continue;
		if (!strchr(line, '[')) {
			in_table = false;
			continue;
		}
		const char *name = strrchr(line, ' ');
		cr_assert(name && n < max);
		snprintf(names[n++], 96, "%s", name + 1);
	}
	cr_assert_eq(pclose(pipe), 0, "%s failed", command);
	return n;
}

Test(winmm_exports, every_wine_winmm_export_is_ours_or_forwarded_to_wbwinmm)
{
	static char ours[400][96], wine[400][96];
	size_t n_ours = exports_of(lc_wine_env("LC_TEST_WINMM_DLL"), ours, 400);
	size_t n_wine = exports_of(lc_wine_env("LC_WINE_WINMM_DLL"), wine, 400);
	cr_expect_eq(n_ours, n_wine, "%zu exports, Wine's winmm has %zu", n_ours, n_wine);
	cr_assert_geq(n_wine, 180);
	size_t n_wave = 0;
	for (size_t i = 0; i < n_wine; i++) {
		bool found = false;
		for (size_t j = 0; j < n_ours && !found; j++)
			found = strcmp(ours[j], wine[i]) == 0;
		cr_expect(found, "%s is not exported", wine[i]);
		n_wave += strncmp(wine[i], "wave", 4) == 0;
	}
	for (size_t j = 0; j < n_ours; j++)
		cr_expect(strchr(ours[j], '@') == NULL, "decorated export %s", ours[j]);

	/* objdump lists each forwarder as "Forwarder RVA -- wbwinmm.Name". */
	char command[8192], line[1024];
	snprintf(command, sizeof(command), "'%s' -p '%s'", lc_wine_env("LC_PE_OBJDUMP"),
		 lc_wine_env("LC_TEST_WINMM_DLL"));
	FILE *pipe = popen(command, "r");
	size_t n_forwarded = 0, n_timegettime = 0;
	while (fgets(line, sizeof(line), pipe)) {
		n_forwarded += strstr(line, "Forwarder RVA -- wbwinmm.") != NULL;
		n_timegettime += strstr(line, "wbwinmm.timeGetTime") != NULL;
	}
	pclose(pipe);
	/* All but the 35 waveOut/waveIn functions we implement (the 4 GetErrorText
	 * are forwarded too) and the 5 of system sounds (PlaySound, PlaySoundA/W,
	 * sndPlaySoundA/W; PlaySoundA's ordinal 2 is ours too). */
	cr_expect_eq(n_wave, 39);
	cr_expect_eq(n_forwarded, n_wine - 35 - 5, "%zu forwarders", n_forwarded);
	cr_expect_eq(n_timegettime, 1);
}

/* ---- the scenarios ---- */

Test(winmm_wine, enum_loads_both_drivers_once_and_maps_global_ids, .timeout = 240)
{
	/* The test winmm traces what it skips through OutputDebugString. */
	struct scenario s = run_scenario_env("enum", 53, "WINEDEBUG=-all,warn+debugstr");
	expect_loaded_once(&s);
	expect_output(&s, "wave9: no wodMessage and no widMessage: skipped");
	expect_output(&s, "info out_devices=3");
	expect_output(&s, "info in_devices=3");
	expect_output(&s, "info out 0 W 'RecDrv A out 0' channels=1");
	expect_output(&s, "info out 1 W 'RecDrv A out 1' channels=2");
	expect_output(&s, "info out 2 W 'RecDrv B out 0' channels=8");
	expect_output(&s, "info out 2 A 'RecDrv B out 0'");
	expect_output(&s, "info in 2 W 'RecDrv B in 0'");
	expect_output(&s, "info in 1 A 'RecDrv A in 1'");
	expect_output(&s, "info out mapper W 'Microsoft Sound Mapper' channels=1");
	expect_output(&s, "info out mapper A 'Microsoft Sound Mapper'");
	expect_output(&s, "info out 1 interface 'recdrv-A-out-1' size=30");
	expect_output(&s, "info in 2 interface 'recdrv-B-in-0'");

	/* Caps: global id 2 is B's device 0; winmm always asks with full-size
	 * Unicode caps and dwUser 0, whatever size the client passed. */
	cr_expect_neq(find(&s, 14, "B wod WODM_GETDEVCAPS", " dev=0 "), s.n_lines);
	cr_expect_neq(find(&s, 14, "B wid WIDM_GETDEVCAPS", " dev=0 "), s.n_lines);
	cr_expect_eq(find(&s, 14, "A wod WODM_GETDEVCAPS", " dev=2 "), s.n_lines,
		     "global id 2 reached driver A");
	size_t n_caps = 0;
	for (size_t i = 14; i < s.n_lines; i++) {
		const char *l = s.lines[i];
		bool wod = strstr(l, " wod WODM_GETDEVCAPS ") != NULL;
		if (!wod && !strstr(l, " wid WIDM_GETDEVCAPS "))
			continue;
		n_caps++;
		cr_expect_eq(field(l, "p2", 0),
			     wod ? MM_SIZEOF_WAVEOUTCAPSW : MM_SIZEOF_WAVEINCAPSW, "%s", l);
		cr_expect_eq(field(l, "user", 9), 0, "%s", l);
		cr_expect_eq(result_of(l), MM_NOERROR, "%s", l);
	}
	cr_expect_geq(n_caps, 16);
	/* Device-id messages reach the driver with dwUser 0; bad ids never do. */
	cr_expect_neq(find(&s, 14, "A wod DRV_QUERYDEVICEINTERFACESIZE", " dev=1 user=0 "),
		      s.n_lines);
	cr_expect_neq(find(&s, 14, "B wid DRV_QUERYDEVICEINTERFACE", " dev=0 user=0 "), s.n_lines);
	cr_expect_eq(count(&s, "A wod MSG_0x805", -1) + count(&s, "B wod MSG_0x805", -1), 0,
		     "DRV_QUERYMAPPABLE is answered by winmm");
}

Test(winmm_wine, play_with_callback_function_passes_the_open_dwuser, .timeout = 240)
{
	struct scenario s = run_scenario("play", 76);
	expect_loaded_once(&s);
	unsigned long long handle = info_value(&s, "info handle ");
	size_t open = find(&s, 14, "A wod WODM_OPEN", " dev=1 ");
	cr_assert_neq(open, s.n_lines, "no WODM_OPEN to device 1");
	const char *l = s.lines[open];
	unsigned long long inst = field(l, "inst", 0);
	cr_expect_eq(result_of(l), MM_NOERROR, "%s", l);
	cr_expect_neq(field(l, "user", 0), 0, "dwUser points at winmm's slot: %s", l);
	cr_expect_eq(field(l, "p2", 0), MM_CALLBACK_FUNCTION, "open flags as dwParam2: %s", l);
	cr_expect_eq(field(l, "hwave", 0), handle, "WAVEOPENDESC.hWave is the client's handle: %s",
		     l);
	cr_expect_eq(field(l, "cbinst", 0), 0x5EED, "%s", l);
	cr_expect_eq(field(l, "mapped", 0), 0xFFFFFFFFull, "%s", l);
	cr_expect_neq(field(l, "cb", 0), 0, "%s", l);
	cr_expect_eq(strstr(l, "fmt=1/2/48000/16") != NULL, 1, "%s", l);
	cr_expect(open > 0 && is(s.lines[open - 1], "A cb WOM_OPEN") &&
			  field(s.lines[open - 1], "hwave", 0) == handle,
		  "WOM_OPEN made during the open, with the handle");

	/* Every later message of this open carries the instance the driver stored;
	 * the calls winmm answers itself (bad or no-op calls) never arrive. */
	char got[4096];
	messages_of(&s, "A wod", inst, got, sizeof(got));
	cr_expect_str_eq(got,
			 "WODM_PREPARE=8 WODM_PREPARE=8 WODM_PREPARE=8 "
			 "WODM_GETPOS=0 WODM_WRITE=0 WODM_WRITE=0 "
			 "WODM_GETPOS=0 WODM_GETPOS=0 WODM_GETPOS=0 WODM_GETPOS=1 "
			 "WODM_PAUSE=0 WODM_WRITE=0 WODM_WRITE=0 WODM_CLOSE=33 WODM_RESTART=0 "
			 "WODM_GETPOS=0 WODM_PAUSE=0 WODM_WRITE=0 WODM_RESET=0 WODM_GETPOS=0 "
			 "WODM_BREAKLOOP=0 WODM_SETVOLUME=0 WODM_GETVOLUME=0 WODM_SETPITCH=0 "
			 "WODM_GETPITCH=0 WODM_GETPLAYBACKRATE=8 WODM_SETPLAYBACKRATE=8 "
			 "RECDRV_MSG_SUM=42 WODM_UNPREPARE=8 WODM_UNPREPARE=8 WODM_UNPREPARE=8 "
			 "WODM_CLOSE=0");
	/* Volume by device id: dwUser 0 and the device's own id. */
	cr_expect_neq(find(&s, open, "A wod WODM_GETVOLUME", " dev=1 user=0 "), s.n_lines);
	cr_expect_neq(find(&s, open, "A wod WODM_SETVOLUME", " dev=0 user=0 "), s.n_lines);
	cr_expect_neq(find(&s, open, "A wod WODM_GETVOLUME", " dev=0 user=0 "), s.n_lines);
	/* One WOM_DONE per write, same headers; WOM_CLOSE last. */
	cr_expect_eq(count(&s, "A cb WOM_DONE", -1), 5);
	cr_expect_eq(count(&s, "A wod WODM_WRITE", MM_NOERROR), 5);
	for (size_t i = 0; i < s.n_lines; i++)
		if (is(s.lines[i], "A wod WODM_WRITE")) {
			char p1[48];
			snprintf(p1, sizeof(p1), " p1=%#llx", field(s.lines[i], "p1", 0));
			cr_expect_neq(find(&s, 0, "A cb WOM_DONE", p1), s.n_lines,
				      "no WOM_DONE for %s", s.lines[i]);
		}
	cr_expect(is(s.lines[s.n_lines - 1], "A wod WODM_CLOSE") &&
			  is(s.lines[s.n_lines - 2], "A cb WOM_CLOSE"),
		  "the log ends with WOM_CLOSE and WODM_CLOSE");
}

Test(winmm_wine, play_with_callback_event_on_the_second_driver, .timeout = 240)
{
	struct scenario s = run_scenario("event", 31);
	expect_loaded_once(&s);
	size_t open = find(&s, 14, "B wod WODM_OPEN", " dev=0 ");
	cr_assert_neq(open, s.n_lines, "global id 2 did not open B's device 0");
	const char *l = s.lines[open];
	cr_expect_eq(field(l, "p2", 0), MM_CALLBACK_EVENT, "%s", l);
	cr_expect(strstr(l, "fmt=1/6/48000/16") != NULL, "%s", l);
	char got[2048];
	messages_of(&s, "B wod", field(l, "inst", 0), got, sizeof(got));
	/* B prepares headers itself: its answers (0) reach the client. */
	cr_expect_str_eq(got, "WODM_PAUSE=0 WODM_PREPARE=0 WODM_WRITE=0 WODM_PREPARE=0 "
			      "WODM_WRITE=0 WODM_PREPARE=0 WODM_WRITE=0 WODM_RESTART=0 "
			      "WODM_GETPOS=0 WODM_GETPOS=0 WODM_UNPREPARE=0 WODM_UNPREPARE=0 "
			      "WODM_UNPREPARE=0 WODM_CLOSE=0");
	size_t null_open = find(&s, open, "A wod WODM_OPEN", " dev=0 ");
	cr_assert_neq(null_open, s.n_lines);
	cr_expect_eq(field(s.lines[null_open], "p2", 9), 0, "CALLBACK_NULL: %s",
		     s.lines[null_open]);
	messages_of(&s, "A wod", field(s.lines[null_open], "inst", 0), got, sizeof(got));
	cr_expect_str_eq(got, "WODM_PREPARE=8 WODM_WRITE=0 WODM_UNPREPARE=8 WODM_CLOSE=0");
}

Test(winmm_wine, mapper_tries_devices_in_order_and_query_opens_nothing, .timeout = 240)
{
	struct scenario s = run_scenario("mapper", 30);
	expect_loaded_once(&s);
	/* Stereo through WAVE_MAPPER: A's mono device 0 refuses, device 1 takes it,
	 * both asked with the one handle the client then gets. */
	unsigned long long handle = info_value(&s, "info mapper stereo handle ");
	size_t first = find(&s, 14, "A wod WODM_OPEN", NULL);
	cr_assert_lt(first + 1, s.n_lines);
	cr_expect(strstr(s.lines[first], " dev=0 ") && result_of(s.lines[first]) == MM_BADFORMAT,
		  "%s", s.lines[first]);
	size_t second = find(&s, first + 1, "A wod WODM_OPEN", NULL);
	cr_assert_neq(second, s.n_lines);
	cr_expect(strstr(s.lines[second], " dev=1 ") && result_of(s.lines[second]) == MM_NOERROR,
		  "%s", s.lines[second]);
	cr_expect_eq(field(s.lines[first], "hwave", 0), handle);
	cr_expect_eq(field(s.lines[second], "hwave", 0), handle);
	/* Six channels: A 0, A 1, then B 0. */
	size_t b_open = find(&s, second, "B wod WODM_OPEN", NULL);
	cr_assert_neq(b_open, s.n_lines);
	cr_expect_eq(result_of(s.lines[b_open]), MM_NOERROR);
	/* (the driver logs WOM_OPEN before the OPEN that made it) */
	cr_expect(is(s.lines[b_open - 1], "B cb WOM_OPEN") &&
			  result_of(s.lines[b_open - 2]) == MM_BADFORMAT &&
			  strstr(s.lines[b_open - 2], "A wod WODM_OPEN dev=1 ") &&
			  result_of(s.lines[b_open - 3]) == MM_BADFORMAT &&
			  strstr(s.lines[b_open - 3], "A wod WODM_OPEN dev=0 "),
		  "the mapper asked A's devices first");
	/* waveIn through the mapper the same way. */
	size_t in0 = find(&s, 14, "A wid WIDM_OPEN", " dev=0 ");
	cr_expect(in0 < s.n_lines && result_of(s.lines[in0]) == MM_BADFORMAT);
	cr_expect_neq(find(&s, in0, "A wid WIDM_OPEN", " dev=1 "), s.n_lines);

	/* WAVE_FORMAT_QUERY: passed to the driver, no instance, no callback. */
	char flags[32];
	snprintf(flags, sizeof(flags), " p2=%#x ", MM_CALLBACK_EVENT | MM_WAVE_FORMAT_QUERY);
	size_t query = find(&s, 14, "A wod WODM_OPEN", flags);
	cr_assert_neq(query, s.n_lines, "no query open in the log");
	cr_expect_eq(result_of(s.lines[query]), MM_NOERROR);
	cr_expect_eq(field(s.lines[query], "inst", 9), 0);
	cr_expect(!is(s.lines[query - 1], "A cb WOM_OPEN"), "a query made a callback");
	size_t opened = 0,
	       callbacks = count(&s, "A cb WOM_OPEN", -1) + count(&s, "B cb WOM_OPEN", -1);
	for (size_t i = 14; i < s.n_lines; i++)
		opened += strstr(s.lines[i], " WODM_OPEN ") &&
			  result_of(s.lines[i]) == MM_NOERROR &&
			  !(field(s.lines[i], "p2", 0) & MM_WAVE_FORMAT_QUERY);
	cr_expect_eq(callbacks, opened, "one WOM_OPEN per real open, none per query");
	/* WAVE_MAPPED reaches the driver with the device it maps to. */
	snprintf(flags, sizeof(flags), " p2=%#x ", MM_WAVE_MAPPED);
	size_t mapped = find(&s, 14, "A wod WODM_OPEN", flags);
	cr_assert_neq(mapped, s.n_lines);
	cr_expect_eq(field(s.lines[mapped], "mapped", 0), 1, "%s", s.lines[mapped]);
	/* Thousands of failed opens and open/close pairs, each with a fresh handle. */
	cr_expect_geq(count(&s, "A wod WODM_OPEN", MM_BADFORMAT), 5000);
	cr_expect_geq(count(&s, "A wod WODM_CLOSE", MM_NOERROR), 5000);
}

Test(winmm_wine, record_passes_buffers_and_the_open_dwuser, .timeout = 240)
{
	struct scenario s = run_scenario("record", 48);
	expect_loaded_once(&s);
	unsigned long long handle = info_value(&s, "info in handle ");
	size_t open = find(&s, 14, "A wid WIDM_OPEN", " dev=1 ");
	cr_assert_neq(open, s.n_lines);
	cr_expect_eq(field(s.lines[open], "hwave", 0), handle);
	cr_expect_eq(field(s.lines[open], "cbinst", 0), 7);
	char got[2048];
	messages_of(&s, "A wid", field(s.lines[open], "inst", 0), got, sizeof(got));
	/* GETPOS from inside each WIM_DATA comes before the call that made it. */
	cr_expect_str_eq(got, "WIDM_PREPARE=8 WIDM_ADDBUFFER=0 WIDM_PREPARE=8 WIDM_ADDBUFFER=0 "
			      "WIDM_GETPOS=0 WIDM_GETPOS=0 WIDM_START=0 WIDM_GETPOS=0 WIDM_STOP=0 "
			      "WIDM_ADDBUFFER=0 WIDM_CLOSE=33 WIDM_GETPOS=0 WIDM_RESET=0 "
			      "RECDRV_MSG_SUM=3 WIDM_UNPREPARE=8 WIDM_UNPREPARE=8 WIDM_CLOSE=0");
	cr_expect_eq(count(&s, "A cb WIM_DATA", -1), 3);
	size_t b_open = find(&s, 14, "B wid WIDM_OPEN", " dev=0 ");
	cr_assert_neq(b_open, s.n_lines);
	messages_of(&s, "B wid", field(s.lines[b_open], "inst", 0), got, sizeof(got));
	cr_expect_str_eq(got, "WIDM_PREPARE=0 WIDM_START=0 WIDM_ADDBUFFER=0 WIDM_STOP=0 "
			      "WIDM_UNPREPARE=0 WIDM_CLOSE=0");
	/* Handles of the wrong direction never reached a driver. */
	size_t out_open = find(&s, 14, "A wod WODM_OPEN", " dev=0 ");
	cr_assert_neq(out_open, s.n_lines);
	messages_of(&s, "A wod", field(s.lines[out_open], "inst", 0), got, sizeof(got));
	cr_expect_str_eq(got, "WODM_CLOSE=0");
}

Test(winmm_wine, bad_handles_and_headers_never_reach_a_driver, .timeout = 240)
{
	struct scenario s = run_scenario("bad", 37);
	expect_loaded_once(&s);
	/* After loading: the one valid open and its close, with their callbacks. */
	cr_expect_eq(s.n_lines, 14 + 4, "unexpected driver calls (%zu lines)", s.n_lines);
	for (size_t i = 14; i < s.n_lines; i++)
		cr_expect(is(s.lines[i], "A cb WOM_OPEN") || is(s.lines[i], "A wod WODM_OPEN") ||
				  is(s.lines[i], "A cb WOM_CLOSE") ||
				  is(s.lines[i], "A wod WODM_CLOSE"),
			  "unexpected: %s", s.lines[i]);
}

Test(winmm_wine, threads_load_once_and_keep_their_opens_apart, .timeout = 240)
{
	struct scenario s = run_scenario("threads", 2);
	expect_loaded_once(&s);
	size_t n_open = 0;
	for (size_t i = 14; i < s.n_lines; i++) {
		const char *l = s.lines[i];
		if (!strstr(l, " wod WODM_OPEN "))
			continue;
		n_open++;
		char kind[8], got[512];
		snprintf(kind, sizeof(kind), "%c wod", l[0]);
		messages_of(&s, kind, field(l, "inst", 0), got, sizeof(got));
		/* A leaves PREPARE to winmm (8), B answers it (0). */
		cr_expect_str_eq(
			got,
			l[0] == 'A' ? "WODM_PREPARE=8 WODM_WRITE=0 WODM_UNPREPARE=8 WODM_CLOSE=0"
				    : "WODM_PREPARE=0 WODM_WRITE=0 WODM_UNPREPARE=0 WODM_CLOSE=0",
			"open %s", l);
	}
	cr_expect_eq(n_open, 8 * 25);
}

Test(winmm_wine, getdevcaps_takes_an_open_handle_for_the_device_id, .timeout = 240)
{
	struct scenario s = run_scenario("caps", 20);
	expect_loaded_once(&s);
	expect_output(&s, "info out handle caps A 'RecDrv A out 1' channels=2");
	expect_output(&s, "info mapped handle caps W 'RecDrv B out 0' channels=8");
	expect_output(&s, "info in handle caps A 'RecDrv A in 1'");
	/* Asked through the handle: the opened device, with the open's dwUser. */
	const char *opens[][2] = { { "A wod WODM_OPEN", "A wod WODM_GETDEVCAPS" },
				   { "B wod WODM_OPEN", "B wod WODM_GETDEVCAPS" },
				   { "A wid WIDM_OPEN", "A wid WIDM_GETDEVCAPS" } };
	const char *devs[] = { " dev=1 ", " dev=0 ", " dev=1 " };
	for (size_t i = 0; i < 3; i++) {
		size_t open = find(&s, 14, opens[i][0], devs[i]);
		cr_assert_neq(open, s.n_lines, "no %s%s", opens[i][0], devs[i]);
		char user[64];
		snprintf(user, sizeof(user), "%suser=%#llx ", devs[i],
			 field(s.lines[open], "inst", 0));
		size_t caps = find(&s, open, opens[i][1], user);
		cr_expect_neq(caps, s.n_lines, "no %s%s after %s", opens[i][1], user,
			      s.lines[open]);
		if (caps < s.n_lines)
			cr_expect_eq(result_of(s.lines[caps]), MM_NOERROR, "%s", s.lines[caps]);
	}
}
