/* SPDX-License-Identifier: MIT */
/*
 * lc_install.h — what test_wine_install.c does to a Wine prefix around the setup: a
 * fresh prefix per test, the setup and uninstaller run silently and waited for, the
 * registry and the file tree captured in a form that diffs, file checks.  Failures
 * are Criterion assertions in the calling test.
 *
 * Paths named "rel" are relative to the prefix (e.g. "drive_c/windows/system32/x.dll").
 */
#ifndef LC_INSTALL_H
#define LC_INSTALL_H

#include <stdbool.h>


/* LC_WINEPREFIX-<name>, removed and made again, reporting Windows version `windows`
 * (winecfg's names: "win10", "win7"); every later lc_wine call uses it. */
void lc_install_fresh_prefix(const char *name, const char *windows);
/* Ends the prefix's Wine session and deletes the prefix (about 700 MB). */
void lc_install_remove_prefix(void);

/* Runs SETUP.exe /S [extra] (extra may be NULL: one argument such as /D=…); asserts exit
 * 0; returns the seconds it took. */
double lc_install_run_setup(const char *setup_exe, const char *extra);
/* Runs <windows_dir>\uninstall.exe with the space-separated args, then waits for the
 * copy it re-launches from %TEMP% to finish (the folder gone and that process ended);
 * returns the seconds from start to finish; then lc_install_restart(). */
double lc_install_run_uninstall(const char *windows_dir, const char *args);

/* "The next start of Windows": wineboot -r carries out the renames and deletions
 * queued for it (PendingFileRenameOperations), as Windows does at boot. */
void lc_install_restart(void);

/* The registry (HKLM and HKCU exported by `reg export`) flattened to sorted lines
 * "[KEY]" and "[KEY] "name"=data" (continuations joined).  Kept as the artifact
 * <name>.reg.txt; returns the text (free() it). */
char *lc_install_registry(const char *name);
/* Whether a line of `text` starts with `line` (case-insensitive, as the registry). */
bool lc_install_has_line(const char *text, const char *line);

struct lc_install_snapshot {
	char registry[4096]; /* the flattened registry */
	char files[4096];    /* every path under drive_c, sorted */
};
struct lc_install_snapshot lc_install_snapshot(const char *name);
/* Diffs two snapshots; fails the test printing the differences when there are any. */
void lc_install_expect_no_difference(const struct lc_install_snapshot *before,
				     const struct lc_install_snapshot *after);

bool lc_install_exists(const char *path);
bool lc_install_exists_in_prefix(const char *rel);
/* Expects prefix/dir/name to be a non-empty file. */
void lc_install_expect_file(const char *dir, const char *name);
/* Expects prefix/rel to hold exactly the bytes of build_file. */
void lc_install_expect_same_file(const char *rel, const char *build_file);
/* Appends bytes to prefix/rel, so that it differs from the build's file. */
void lc_install_spoil(const char *rel);

/* The file's text with CRs dropped, or NULL; free() it. */
char *lc_install_read_text(const char *path);
/* Polls `path` until it contains `text`; false after timeout_s. */
bool lc_install_wait_for_text(const char *path, const char *text, double timeout_s);

#endif /* LC_INSTALL_H */
