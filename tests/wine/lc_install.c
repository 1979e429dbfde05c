/* SPDX-License-Identifier: MIT */
/* lc_install.c — a Wine prefix around the setup, for test_wine_install.c (lc_install.h). */
#define _GNU_SOURCE /* strcasestr */
#include "lc_install.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lc_wine.h"

/* The setup and uninstaller also run without Wine's menu builder: it would mirror the
 * Start-menu entries into the host's desktop files, outside the prefix. */
static const char *const setup_env[] = {
	"WINEDLLOVERRIDES=mscoree,mshtml=;winemenubuilder.exe=d;winealsa.drv,winepulse.drv,"
	"wineoss.drv=",
	NULL };

static char prefix[4096];

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* system() with the command printed when it fails. */
static void shell(const char *command)
{
	int rc = system(command);
	cr_assert_eq(rc, 0, "failed (%d): %s", rc, command);
}

void lc_install_fresh_prefix(const char *name, const char *windows)
{
	snprintf(prefix, sizeof(prefix), "%s-%s", lc_wine_env("LC_WINEPREFIX"), name);
	setenv("LC_WINEPREFIX", prefix, 1);
	/* A session left in it by an earlier run goes with it. */
	if (lc_install_exists(prefix))
		lc_wine_shutdown();
	char command[8400];
	snprintf(command, sizeof(command), "rm -rf '%s' '%s.lock'", prefix, prefix);
	shell(command);
	double t0 = now_s();
	lc_wine_prepare();
	const char *version[] = { "winecfg", "-v", windows, NULL };
	struct lc_wine_result r = lc_wine_run(version, NULL, 60000);
	cr_assert_eq(r.exit_code, 0, "winecfg -v %s: exit %d\n%s", windows, r.exit_code, r.output);
	free(r.output);
	cr_log_info("fresh prefix %s (%s) in %.1f s", prefix, windows, now_s() - t0);
}

void lc_install_remove_prefix(void)
{
	lc_wine_shutdown();
	char command[8400];
	snprintf(command, sizeof(command), "rm -rf '%s' '%s.lock'", prefix, prefix);
	shell(command);
}

double lc_install_run_setup(const char *setup_exe, const char *extra)
{
	const char *argv[] = { setup_exe, "/S", extra, NULL };
	double t0 = now_s();
	struct lc_wine_result r = lc_wine_run(argv, setup_env, 300000);
	double took = now_s() - t0;
	cr_assert_eq(r.exit_code, 0, "%s /S %s: exit %d\n%s", setup_exe, extra ? extra : "",
		     r.exit_code, r.output);
	free(r.output);
	return took;
}

/* C:\a\b → <prefix>/drive_c/a/b */
static void unix_path(const char *windows, char *out, size_t size)
{
	cr_assert(strncasecmp(windows, "C:\\", 3) == 0, "not on C: %s", windows);
	snprintf(out, size, "%s/drive_c/%s", prefix, windows + 3);
	for (char *c = out; *c; c++)
		if (*c == '\\')
			*c = '/';
}

/* Whether a process of the re-launched uninstaller runs: NSIS copies it to
 * %TEMP%\~nsu*.tmp\ and runs it from there. */
static bool uninstaller_running(void)
{
	return system("pgrep -f '[~]nsu' >/dev/null") == 0;
}

double lc_install_run_uninstall(const char *windows_dir, const char *args)
{
	char exe[1024], folder[4400], copy[256];
	snprintf(exe, sizeof(exe), "%s\\uninstall.exe", windows_dir);
	unix_path(windows_dir, folder, sizeof(folder));
	snprintf(copy, sizeof(copy), "%s", args);
	const char *argv[8] = { exe };
	int n = 1;
	for (char *word = strtok(copy, " "); word && n < 7; word = strtok(NULL, " "))
		argv[n++] = word;
	argv[n] = NULL;
	double t0 = now_s();
	struct lc_wine_result r = lc_wine_run(argv, setup_env, 120000);
	cr_assert_eq(r.exit_code, 0, "%s %s: exit %d\n%s", exe, args, r.exit_code, r.output);
	free(r.output);
	while ((lc_install_exists(folder) || uninstaller_running()) && now_s() - t0 < 120)
		lc_wine_sleep_ms(100);
	cr_assert(!lc_install_exists(folder), "%s is still there 120 s after %s %s", folder, exe,
		  args);
	cr_assert(!uninstaller_running(), "the uninstaller still runs after 120 s");
	double took = now_s() - t0;
	lc_install_restart();
	return took;
}

void lc_install_restart(void)
{
	const char *restart[] = { "wineboot", "-r", NULL };
	struct lc_wine_result r = lc_wine_run(restart, NULL, 120000);
	cr_assert_eq(r.exit_code, 0, "wineboot -r: exit %d\n%s", r.exit_code, r.output);
	free(r.output);
}

/* Exports one root key to an artifact file, flattened and sorted into `out`. */
static void export_flat(const char *root, const char *name, const char *out)
{
	char reg_path[4200], windows[4300];
	snprintf(reg_path, sizeof(reg_path), "%s", lc_wine_artifact(name));
	snprintf(windows, sizeof(windows), "Z:%s", reg_path);
	for (char *c = windows; *c; c++)
		if (*c == '/')
			*c = '\\';
	const char *argv[] = { "reg", "export", root, windows, "/y", NULL };
	struct lc_wine_result r = lc_wine_run(argv, NULL, 120000);
	cr_assert_eq(r.exit_code, 0, "reg export %s: exit %d\n%s", root, r.exit_code, r.output);
	free(r.output);
	/* One line per key and per value, prefixed with its key; "\"-continued data
	 * joined; sorted, so that diff shows what changed and nothing else. */
	char command[9000];
	snprintf(command, sizeof(command),
		 "iconv -f UTF-16 -t UTF-8 '%s' | tr -d '\\r' | awk '"
		 "/^\\[/ { key = $0; print key; next } "
		 "/^$/ || /^Windows Registry/ { next } "
		 "{ line = $0; while (line ~ /\\\\$/ && (getline more) > 0) { "
		 "sub(/\\\\$/, \"\", line); sub(/^ +/, \"\", more); line = line more } "
		 "print key \" \" line }' | LC_ALL=C sort >> '%s'",
		 reg_path, out);
	shell(command);
	unlink(reg_path);
}

char *lc_install_registry(const char *name)
{
	char out[4200], part[256];
	snprintf(out, sizeof(out), "%s", lc_wine_artifact(name));
	strcat(out, ".reg.txt");
	unlink(out);
	snprintf(part, sizeof(part), "%s-hklm.reg", name);
	export_flat("HKLM", part, out);
	snprintf(part, sizeof(part), "%s-hkcu.reg", name);
	export_flat("HKCU", part, out);
	char *text = lc_install_read_text(out);
	cr_assert_not_null(text, "cannot read %s", out);
	return text;
}

bool lc_install_has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *at = text; at && *at;) {
		if (strncasecmp(at, line, n) == 0)
			return true;
		at = strchr(at, '\n');
		if (at)
			at++;
	}
	return false;
}

struct lc_install_snapshot lc_install_snapshot(const char *name)
{
	struct lc_install_snapshot s;
	free(lc_install_registry(name));
	snprintf(s.registry, sizeof(s.registry), "%s.reg.txt", lc_wine_artifact(name));
	snprintf(s.files, sizeof(s.files), "%s.files.txt", lc_wine_artifact(name));
	char command[9000];
	snprintf(command, sizeof(command),
		 "cd '%s' && find drive_c -mindepth 1 | LC_ALL=C sort > '%s'", prefix, s.files);
	shell(command);
	return s;
}

/* What Wine itself writes the first time a program of the prefix does something,
 * whoever the program is — never the setup's doing, and on Windows there from the
 * start (docs/installer.md, "Testing"):
 *   HKCU\Console                          console defaults, when the first console opens
 *   HKCU\Software\Wine\Temporary System Parameters   user32's settings on a desktop
 *   …\DeviceClasses\{e6f07b5f-…}          the monitor, registered again by the X11
 *                                         driver when the first window opens
 *   users\<user>\Temp\~nsuN.tmp           the folder NSIS's uninstaller copies itself
 *                                         to; the copy is deleted at the next start, the
 *                                         (empty) folder stays under Wine */
static const char *const ignored[] = {
	"^\\[HKEY_CURRENT_USER\\\\Console\\]",
	"^\\[HKEY_CURRENT_USER\\\\Software\\\\Wine\\\\Temporary System Parameters",
	"\\\\DeviceClasses\\\\\\{e6f07b5f-ee97-4a90-b076-33f57bf4eaa7\\}",
	"^drive_c/users/[^/]*/Temp/~nsu[0-9]*\\.tmp$",
	NULL };

/* `path` without the lines matching `ignored`, as path.cmp (the name returned). */
static const char *filtered(const char *path, char *out, size_t size)
{
	char patterns[4200], command[13000];
	snprintf(patterns, sizeof(patterns), "%s", lc_wine_artifact("install-ignored.txt"));
	FILE *f = fopen(patterns, "w");
	cr_assert_not_null(f, "cannot write %s", patterns);
	for (int i = 0; ignored[i]; i++)
		fprintf(f, "%s\n", ignored[i]);
	fclose(f);
	snprintf(out, size, "%s.cmp", path);
	snprintf(command, sizeof(command), "grep -viE -f '%s' '%s' > '%s'; [ $? -le 1 ]", patterns,
		 path, out);
	shell(command);
	return out;
}

/* diff -U0 of two files (case-insensitive, as the registry; the lines above left out)
 * into a string (free() it); "" when they are the same. */
static char *diff(const char *a, const char *b)
{
	char a_cmp[4300], b_cmp[4300], command[9000];
	snprintf(command, sizeof(command), "diff -i -U0 '%s' '%s' | grep -v '^@@'",
		 filtered(a, a_cmp, sizeof(a_cmp)), filtered(b, b_cmp, sizeof(b_cmp)));
	FILE *p = popen(command, "r");
	cr_assert_not_null(p);
	size_t cap = 1 << 16, len = 0;
	char *text = malloc(cap);
	size_t got;
	while ((got = fread(text + len, 1, cap - len - 1, p)) > 0) {
		len += got;
		if (cap - len < 1024)
			text = realloc(text, cap *= 2);
	}
	text[len] = '\0';
	pclose(p);
	return text;
}

void lc_install_expect_no_difference(const struct lc_install_snapshot *before,
				     const struct lc_install_snapshot *after)
{
	char *reg = diff(before->registry, after->registry);
	char *files = diff(before->files, after->files);
	printf("install: leftover diff: registry %zu bytes, files %zu bytes\n", strlen(reg),
	       strlen(files));
	cr_expect(reg[0] == '\0', "the registry differs from before the install:\n%s", reg);
	cr_expect(files[0] == '\0', "the files differ from before the install:\n%s", files);
	free(reg);
	free(files);
}

bool lc_install_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

bool lc_install_exists_in_prefix(const char *rel)
{
	char path[8400];
	snprintf(path, sizeof(path), "%s/%s", prefix, rel);
	return lc_install_exists(path);
}

void lc_install_expect_file(const char *dir, const char *name)
{
	char path[8400];
	snprintf(path, sizeof(path), "%s/%s/%s", prefix, dir, name);
	struct stat st;
	cr_expect(stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0,
		  "not installed: %s", path);
}

void lc_install_expect_same_file(const char *rel, const char *build_file)
{
	char command[9000];
	snprintf(command, sizeof(command), "cmp -s '%s/%s' '%s'", prefix, rel, build_file);
	cr_expect(system(command) == 0, "%s/%s is not %s", prefix, rel, build_file);
}

void lc_install_spoil(const char *rel)
{
	char path[8400];
	snprintf(path, sizeof(path), "%s/%s", prefix, rel);
	FILE *f = fopen(path, "ab");
	cr_assert_not_null(f, "cannot open %s", path);
	fputs("not the build's file", f);
	fclose(f);
}

char *lc_install_read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0, got;
	char *text = malloc(cap);
	while ((got = fread(text + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (cap - len < 1024)
			text = realloc(text, cap *= 2);
	}
	fclose(f);
	size_t kept = 0;
	for (size_t i = 0; i < len; i++)
		if (text[i] != '\r')
			text[kept++] = text[i];
	text[kept] = '\0';
	return text;
}

bool lc_install_wait_for_text(const char *path, const char *text, double timeout_s)
{
	double t0 = now_s();
	for (;;) {
		char *shown = lc_install_read_text(path);
		bool has = shown && strstr(shown, text);
		free(shown);
		if (has)
			return true;
		if (now_s() - t0 > timeout_s)
			return false;
		lc_wine_sleep_ms(50);
	}
}
