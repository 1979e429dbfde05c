/* SPDX-License-Identifier: MIT */
/*
 * test_wine_install.c — the setup (packaging/installer/, docs/installer.md) installed
 * into a fresh Wine prefix per test, as a user would run it:
 *
 *   - everything it promises is there, in both registry views; a player and a recorder
 *     use LoopCable 1 through the *installed* driver; the installed panel and lc_cli see
 *     the cable; the uninstaller leaves the registry and the files exactly as they were
 *     (flattened exports and file lists, diffed and printed when they differ);
 *   - an upgrade keeps the user's setting and route and puts the new version's files in
 *     place — a driver in use at the next start of Windows (wineboot -r); /KEEPSETTINGS
 *     keeps them past an uninstall;
 *   - another driver's wave values are left alone and the next name free in both views
 *     is taken;
 *   - Windows older than 10 is refused and nothing is installed.
 *
 * The clients (lc_play.exe, lc_rec.exe) run from the build tree beside the test winmm,
 * which loads whatever Drivers32 names — "loopcable.dll", found in the system folder
 * because no copy sits beside them (checked) — so before the install they find no cable.
 *
 * Environment (tests/wine/meson.build): LC_SETUP_EXE, LC_SETUP_UPGRADE_EXE (the same
 * files at a higher version), LC_SETUP_VERSION, LC_DRIVER_DLL, LC_DRIVER32_DLL,
 * LC_PLAY_EXE, LC_REC_EXE, LC_CLI_EXE (beside the test winmm), LC_WINE, LC_WINEPREFIX
 * (the stem: each test uses LC_WINEPREFIX-<name>), LC_TMPDIR.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lc_install.h"
#include "lc_xvfb.h"
#include "lc_wavfile.h"
#include "lc_wine.h"

static const char *const client_env[] = { LC_WINE_CLIENT_ENV, NULL };

/* .fini: an Xvfb left running would hold meson's output pipe open. */
TestSuite(install, .fini = lc_xvfb_stop, .timeout = 420);

#define DRIVERS32 "Software\\Microsoft\\Windows NT\\CurrentVersion\\Drivers32"
#define HKLM "[HKEY_LOCAL_MACHINE\\"
#define UNINST HKLM "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\LoopCable] "
#define SETTINGS HKLM "Software\\LoopCable] "
#define WOW_DRIVERS32 HKLM "Software\\Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion\\" \
	"Drivers32] "
#define MEDIA_CLASS HKLM "System\\CurrentControlSet\\Control\\Class\\" \
	"{4d36e96c-e325-11ce-bfc1-08002be10318}"
#define MEDIA_NODE HKLM "System\\CurrentControlSet\\Enum\\ROOT\\MEDIA\\"
#define SYS32_DLL "drive_c/windows/system32/loopcable.dll"
#define WOW64_DLL "drive_c/windows/syswow64/loopcable.dll"
#define START_MENU "drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/LoopCable"

/* Plays a tone into LoopCable 1 while another process records it; the recording must
 * hold the tone (frequency and level). */
static void play_and_record(const char *name)
{
	const char *wav = lc_wine_artifact(name);
	unlink(wav);
	const char *rec[] = { lc_wine_env("LC_REC_EXE"), "--seconds", "2.5", "--out", wav, NULL };
	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--signal", "sine:1000:-6", "--seconds",
			       "1", NULL };
	struct lc_wine_proc r;
	lc_wine_start(&r, rec, client_env);
	lc_wine_sleep_ms(400);
	struct lc_wine_result p = lc_wine_run(play, client_env, 60000);
	struct lc_wine_result got = lc_wine_wait(&r, 60000);
	cr_assert(p.exit_code == 0 && strstr(p.output, "lc_play: ok"), "lc_play exit %d:\n%s",
		  p.exit_code, p.output);
	cr_assert(got.exit_code == 0 && strstr(got.output, "lc_rec: ok"), "lc_rec exit %d:\n%s",
		  got.exit_code, got.output);
	struct lc_wavfile w;
	cr_assert(lc_wavfile_read(wav, &w), "cannot read %s", wav);
	size_t start = lc_wavfile_first_above(&w, 0, 0.1);
	cr_assert_lt(start + w.rate_hz / 2, w.frames, "the recording holds no tone (%s)", wav);
	size_t from = start + w.rate_hz / 10, n = w.rate_hz / 2;
	double hz = lc_wavfile_frequency(&w, 0, from, n);
	double amp = lc_wavfile_tone_amplitude(&w, 0, from, n, 1000);
	cr_log_info("%s: tone from frame %zu, %.1f Hz, amplitude %.3f", name, start, hz, amp);
	cr_expect(hz > 995 && hz < 1005, "recorded %.1f Hz, played 1000 Hz", hz);
	cr_expect(amp > 0.45 && amp < 0.55, "recorded amplitude %.3f, played 0.501 (-6 dBFS)", amp);
	lc_wavfile_free(&w);
	free(p.output);
	free(got.output);
}

/* Before the install no LoopCable device exists for the clients: what they use later
 * is the installed driver, not one beside them. */
static void expect_no_cable_yet(void)
{
	char beside[4200];
	snprintf(beside, sizeof(beside), "%s", lc_wine_env("LC_PLAY_EXE"));
	*strrchr(beside, '/') = '\0';
	strcat(beside, "/loopcable.dll");
	cr_assert(!lc_install_exists(beside),
		  "%s exists: the clients would not use the installed driver", beside);
	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--seconds", "0.2", NULL };
	struct lc_wine_result p = lc_wine_run(play, client_env, 60000);
	cr_assert_neq(p.exit_code, 0, "lc_play found a cable before the install:\n%s", p.output);
	free(p.output);
}

Test(install, install_play_record_panel_and_uninstall_without_a_trace)
{
	/* Before the prefix is made: the panel draws (lc_wine.h). */
	bool draws = lc_xvfb_start(1280, 1024) != NULL;
	lc_install_fresh_prefix("full", "win10");
	expect_no_cable_yet();
	struct lc_install_snapshot before = lc_install_snapshot("full-before");

	/* A folder of the user's choice, in a folder that exists (the setup does not
	 * remove parents it had to create, docs/installer.md; NSIS takes /D= unquoted, and
	 * Wine would quote a path with spaces). */
	const char *dir = "C:\\LoopCable";
	double took = lc_install_run_setup(lc_wine_env("LC_SETUP_EXE"), "/D=C:\\LoopCable");
	cr_log_info("silent install: %.1f s", took);
	printf("install: silent install took %.1f s\n", took);

	/* Every file, byte for byte where the build has it. */
	lc_install_expect_same_file(SYS32_DLL, lc_wine_env("LC_DRIVER_DLL"));
	lc_install_expect_same_file(WOW64_DLL, lc_wine_env("LC_DRIVER32_DLL"));
	static const char *const installed[] = {
		"bin/loopcable-panel.exe", "bin/lc_router.exe", "bin/lc_cli.exe",
		"bin/lc_devnode.exe", "bin/loopcable.cpl", "bin/libgtk-3-0.dll",
		"share/glib-2.0/schemas/gschemas.compiled",
		"licence.txt", "readme.txt", "uninstall.exe",
		NULL };
	for (int i = 0; installed[i]; i++)
		lc_install_expect_file("drive_c/LoopCable", installed[i]);
	lc_install_expect_file(START_MENU, "LoopCable.lnk");
	lc_install_expect_file(START_MENU, "LoopCable readme.lnk");

	/* Every value, in both views. */
	char *reg = lc_install_registry("full-installed");
	char version[128];
	snprintf(version, sizeof(version), UNINST "\"DisplayVersion\"=\"%s\"",
		 lc_wine_env("LC_SETUP_VERSION"));
	const char *const want[] = {
		HKLM DRIVERS32 "] \"wave\"=\"loopcable.dll\"",
		WOW_DRIVERS32 "\"wave\"=\"loopcable.dll\"",
		SETTINGS "\"Cables\"=dword:00000002",
		SETTINGS "\"SampleRate\"=dword:0000bb80",
		SETTINGS "\"Channels\"=dword:00000002",
		SETTINGS "\"RingMs\"=dword:000000fa",
		SETTINGS "\"Logging\"=dword:00000000",
		SETTINGS "\"AllowLowIntegrity\"=dword:00000000",
		SETTINGS "\"PanelPath\"=\"C:\\\\LoopCable\\\\bin\\\\loopcable-panel.exe\"",
		HKLM "Software\\Microsoft\\Windows\\CurrentVersion\\Control Panel\\Cpls] "
		     "\"LoopCable\"=\"C:\\\\LoopCable\\\\bin\\\\loopcable.cpl\"",
		HKLM "Software\\Microsoft\\Windows\\CurrentVersion\\Run] \"LoopCable Router\"="
		     "\"\\\"C:\\\\LoopCable\\\\bin\\\\loopcable-panel.exe\\\" --start-router\"",
		UNINST "\"DisplayName\"=\"LoopCable\"",
		version,
		UNINST "\"Publisher\"=\"The LoopCable authors\"",
		UNINST "\"EstimatedSize\"=dword:",
		UNINST "\"DisplayIcon\"=\"C:\\\\LoopCable\\\\bin\\\\loopcable-panel.exe,0\"",
		UNINST "\"UninstallString\"=\"\\\"C:\\\\LoopCable\\\\uninstall.exe\\\"\"",
		UNINST "\"QuietUninstallString\"=\"\\\"C:\\\\LoopCable\\\\uninstall.exe\\\" /S\"",
		UNINST "\"DriverAlias\"=\"wave\"",
		/* The device node (Wine's SetupAPI keeps it as Windows does). */
		MEDIA_NODE "0000] \"DeviceDesc\"=\"LoopCable\"",
		MEDIA_NODE "0000] \"Driver\"="
		     "\"{4D36E96C-E325-11CE-BFC1-08002BE10318}\\\\0000\"",
		MEDIA_CLASS "\\0000\\Drivers] \"SubClasses\"=\"wave\"",
		MEDIA_CLASS "\\0000\\Drivers\\wave\\loopcable.dll] \"Alias\"=\"wave\"",
		MEDIA_CLASS "\\0000\\Drivers\\wave\\loopcable.dll] \"Driver\"=\"loopcable.dll\"",
		NULL };
	for (int i = 0; want[i]; i++)
		cr_expect(lc_install_has_line(reg, want[i]),
			  "not in the registry after the install: %s", want[i]);
	/* Settings live in the 64-bit view only (drv_regkeys.h, DRV_REG_VIEW). */
	cr_expect(!lc_install_has_line(reg, HKLM "Software\\Wow6432Node\\LoopCable]"),
		  "settings were written to the 32-bit view");
	free(reg);

	/* The installed driver carries a cable from one process to another. */
	play_and_record("install-recorded.wav");

	/* The installed tools see it: lc_cli status while a player runs, and the panel. */
	char cli[512];
	snprintf(cli, sizeof(cli), "%s\\bin\\lc_cli.exe", dir);
	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--signal", "sine:440:-12", "--seconds",
			       "6", NULL };
	struct lc_wine_proc player;
	lc_wine_start(&player, play, client_env);
	lc_wine_sleep_ms(1500);
	const char *status[] = { cli, "status", NULL };
	struct lc_wine_result st = lc_wine_run(status, NULL, 60000);
	cr_log_info("installed lc_cli status:\n%s", st.output);
	cr_expect(strstr(st.output, "LoopCable 1") && strstr(st.output, "lc_play.exe"),
		  "the installed lc_cli does not show the player on LoopCable 1:\n%s", st.output);
	free(st.output);
	if (draws) {
		char panel[512];
		snprintf(panel, sizeof(panel), "%s\\bin\\loopcable-panel.exe", dir);
		const char *dump = lc_wine_artifact("install-panel-dump.txt");
		unlink(dump);
		const char *argv[] = { panel, "--dump", dump, "--quit-after", "40", NULL };
		struct lc_wine_proc p;
		lc_wine_start(&p, argv, NULL);
		bool seen = lc_install_wait_for_text(dump, "kind=player", 60);
		char *shown = lc_install_read_text(dump);
		cr_expect(seen, "the installed panel never showed the player:\n%s", shown);
		cr_expect(shown && strstr(shown, "cable 1 name=\"LoopCable 1\""), "%s", shown);
		free(shown);
		lc_wine_kill(&p);
		free(lc_wine_wait(&p, 10000).output);
	} else {
		cr_log_warn("no Xvfb: the installed panel was not started (lc_cli status only)");
	}
	free(lc_wine_wait(&player, 60000).output);

	took = lc_install_run_uninstall(dir, "/S");
	cr_log_info("silent uninstall: %.1f s", took);
	printf("install: silent uninstall took %.1f s\n", took);
	struct lc_install_snapshot after = lc_install_snapshot("full-after");
	lc_install_expect_no_difference(&before, &after);
	lc_xvfb_stop();
	lc_install_remove_prefix();
}

Test(install, upgrade_keeps_settings_and_routes_and_replaces_the_files)
{
	lc_install_fresh_prefix("upgrade", "win10");
	lc_install_run_setup(lc_wine_env("LC_SETUP_EXE"), NULL);

	/* The user changes a setting (lc_cli set, as the panel's Apply) and adds a route.
	 * The route is written as lc_cli route add writes it (drv_regkeys.h): the CLI
	 * first checks the device with PortAudio, which has no sound devices in a prefix
	 * with Wine's audio drivers off. */
	const char *set[] = { lc_wine_env("LC_CLI_EXE"), "set", "cables=3", "name3=Kept", NULL };
	struct lc_wine_result r = lc_wine_run(set, client_env, 60000);
	cr_assert_eq(r.exit_code, 0, "lc_cli set: exit %d\n%s", r.exit_code, r.output);
	free(r.output);
	const char *key = "HKCU\\Software\\LoopCable\\Routes\\1";
	cr_assert_eq(lc_wine_reg_add(key, "Cable", "REG_DWORD", "2"), 0);
	cr_assert_eq(lc_wine_reg_add(key, "Direction", "REG_SZ", "listen"), 0);
	cr_assert_eq(lc_wine_reg_add(key, "HostApi", "REG_SZ", ""), 0);
	cr_assert_eq(lc_wine_reg_add(key, "Device", "REG_SZ", ""), 0);
	cr_assert_eq(lc_wine_reg_add(key, "LatencyMs", "REG_DWORD", "60"), 0);
	cr_assert_eq(lc_wine_reg_add(key, "Enabled", "REG_DWORD", "1"), 0);
	/* Version A's files, made different from the build's so B's are recognisable. */
	lc_install_spoil(SYS32_DLL);
	lc_install_spoil(WOW64_DLL);
	lc_install_spoil("drive_c/Program Files/LoopCable/bin/lc_cli.exe");

	/* B is installed while a player has A's 64-bit driver loaded: that file cannot be
	 * replaced now, so it waits beside it for the next start of Windows. */
	const char *play[] = { lc_wine_env("LC_PLAY_EXE"), "--seconds", "6", NULL };
	struct lc_wine_proc player;
	lc_wine_start(&player, play, client_env);
	lc_wine_sleep_ms(1500);
	lc_install_run_setup(lc_wine_env("LC_SETUP_UPGRADE_EXE"), NULL);
	char *reg = lc_install_registry("upgrade-in-use");
	cr_expect(lc_install_exists_in_prefix(SYS32_DLL ".new"),
		  "no new driver waits beside the one in use");
	cr_expect(lc_install_has_line(reg, HKLM "System\\CurrentControlSet\\Control\\"
					   "Session Manager] \"PendingFileRenameOperations\""),
		  "nothing is queued for the next start");
	free(reg);
	r = lc_wine_wait(&player, 60000);
	cr_expect(strstr(r.output, "lc_play: ok"), "the player using the old driver did not play "
		  "to its end:\n%s", r.output);
	free(r.output);
	lc_install_restart();
	cr_expect(!lc_install_exists_in_prefix(SYS32_DLL ".new"),
		  "the new driver is still waiting after the restart");

	reg = lc_install_registry("upgrade-installed");
	const char *const want[] = {
		UNINST "\"DisplayVersion\"=\"99.0.0\"",
		SETTINGS "\"Cables\"=dword:00000003",
		HKLM "Software\\LoopCable\\Cable3] \"Name\"=\"Kept\"",
		"[HKEY_CURRENT_USER\\Software\\LoopCable\\Routes\\1] \"Cable\"=dword:00000002",
		"[HKEY_CURRENT_USER\\Software\\LoopCable\\Routes\\1] \"LatencyMs\"=dword:0000003c",
		HKLM DRIVERS32 "] \"wave\"=\"loopcable.dll\"",
		UNINST "\"DriverAlias\"=\"wave\"",
		NULL };
	for (int i = 0; want[i]; i++)
		cr_expect(lc_install_has_line(reg, want[i]),
			  "not in the registry after the upgrade: %s", want[i]);
	/* One name and one device node, not a second of each. */
	cr_expect(!lc_install_has_line(reg, HKLM DRIVERS32 "] \"wave1\""),
		  "a second Drivers32 value");
	cr_expect(!lc_install_has_line(reg, MEDIA_NODE "0001]"), "a second device node");
	free(reg);
	lc_install_expect_same_file(SYS32_DLL, lc_wine_env("LC_DRIVER_DLL"));
	lc_install_expect_same_file(WOW64_DLL, lc_wine_env("LC_DRIVER32_DLL"));
	lc_install_expect_same_file("drive_c/Program Files/LoopCable/bin/lc_cli.exe",
				    lc_wine_env("LC_CLI_EXE"));
	play_and_record("upgrade-recorded.wav");

	/* /KEEPSETTINGS: the product goes, the user's settings and routes stay. */
	lc_install_run_uninstall("C:\\Program Files\\LoopCable", "/S /KEEPSETTINGS");
	reg = lc_install_registry("upgrade-kept");
	cr_expect(lc_install_has_line(reg, SETTINGS "\"Cables\"=dword:00000003"),
		  "setting not kept");
	cr_expect(lc_install_has_line(reg, "[HKEY_CURRENT_USER\\Software\\LoopCable\\Routes\\1] "
					   "\"Cable\"=dword:00000002"), "route not kept");
	cr_expect(!lc_install_has_line(reg, SETTINGS "\"PanelPath\""), "PanelPath left behind");
	cr_expect(!lc_install_has_line(reg, HKLM DRIVERS32 "] \"wave\""), "Drivers32 left behind");
	cr_expect(!lc_install_has_line(reg, UNINST), "the uninstall entry left behind");
	free(reg);
	lc_install_remove_prefix();
}

Test(install, takes_the_next_free_wave_name_and_leaves_other_drivers_alone)
{
	lc_install_fresh_prefix("foreign", "win10");
	/* Another driver holds "wave" in the 64-bit view, another "wave1" in the 32-bit
	 * view: the first name free in both is wave2. */
	cr_assert_eq(lc_wine_reg_add("HKLM\\" DRIVERS32, "wave", "REG_SZ", "other64.drv"), 0);
	cr_assert_eq(lc_wine_reg_add("HKLM\\Software\\Wow6432Node\\Microsoft\\Windows NT\\"
				     "CurrentVersion\\Drivers32",
				     "wave1", "REG_SZ", "other32.drv"), 0);
	struct lc_install_snapshot before = lc_install_snapshot("foreign-before");

	lc_install_run_setup(lc_wine_env("LC_SETUP_EXE"), NULL);
	char *reg = lc_install_registry("foreign-installed");
	const char *wow = WOW_DRIVERS32;
	char want32[512];
	snprintf(want32, sizeof(want32), "%s\"wave2\"=\"loopcable.dll\"", wow);
	cr_expect(lc_install_has_line(reg, HKLM DRIVERS32 "] \"wave2\"=\"loopcable.dll\""),
		  "64-bit view: not wave2");
	cr_expect(lc_install_has_line(reg, want32), "32-bit view: not wave2");
	cr_expect(lc_install_has_line(reg, HKLM DRIVERS32 "] \"wave\"=\"other64.drv\""),
		  "the other driver's 64-bit value changed");
	snprintf(want32, sizeof(want32), "%s\"wave1\"=\"other32.drv\"", wow);
	cr_expect(lc_install_has_line(reg, want32), "the other driver's 32-bit value changed");
	cr_expect(lc_install_has_line(reg, UNINST "\"DriverAlias\"=\"wave2\""),
		  "alias not remembered");
	free(reg);
	/* The test winmm loads every wave alias: LoopCable is found under wave2. */
	play_and_record("foreign-recorded.wav");

	lc_install_run_uninstall("C:\\Program Files\\LoopCable", "/S");
	struct lc_install_snapshot after = lc_install_snapshot("foreign-after");
	lc_install_expect_no_difference(&before, &after);
	lc_install_remove_prefix();
}

Test(install, refuses_windows_older_than_10)
{
	lc_install_fresh_prefix("win7", "win7");
	const char *setup[] = { lc_wine_env("LC_SETUP_EXE"), "/S", NULL };
	struct lc_wine_result r = lc_wine_run(setup, NULL, 120000);
	cr_expect_eq(r.exit_code, 2, "the setup on Windows 7 exited %d (2: refused)\n%s",
		     r.exit_code, r.output);
	free(r.output);
	cr_expect(!lc_install_exists_in_prefix("drive_c/Program Files/LoopCable"),
		  "the refused setup installed files");
	char *reg = lc_install_registry("win7");
	cr_expect(!lc_install_has_line(reg, UNINST), "the refused setup registered itself");
	free(reg);
	lc_install_remove_prefix();
}
