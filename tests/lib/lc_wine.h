/* SPDX-License-Identifier: MIT */
/*
 * lc_wine.h — native test helper: run Windows programs under Wine, as separate
 * processes, the way real winmm clients run.
 *
 * Configuration comes from the environment that meson's test() sets:
 *   LC_WINE        the Wine loader (wine64, or wine for 32-bit programs)
 *   LC_WINEPREFIX  the private prefix of this build directory (created on first use)
 * Every program runs with WINEDEBUG=-all and the Mono/Gecko installers and host audio
 * drivers disabled (docs/wine.md), headless (Graphics=null) — unless LC_WINE_DISPLAY
 * names an X display (the panel's suite, under Xvfb): then the prefix is made with
 * the X11 driver and a gtk.css, and programs get DISPLAY.
 */
#ifndef LC_WINE_H
#define LC_WINE_H

#include <stdbool.h>

struct lc_wine_result {
	int exit_code;   /* the program's exit code; -1 if it crashed or timed out */
	bool timed_out;
	char *output;    /* stdout and stderr interleaved, NUL-terminated; free() it */
};

/* Whether the loader in LC_WINE exists.  32-bit suites use it to report clearly that
 * 32-bit Wine is absent instead of passing falsely (a 32-bit exe under wine64 alone
 * exits 0 and prints nothing). */
bool lc_wine_available(void);

/* For Criterion suites (the macro needs <criterion/criterion.h>): skip the calling
 * test, saying why, when the Wine loader of this bitness is missing. */
#define LC_WINE_SKIP_IF_ABSENT()                                                          \
	do {                                                                              \
		if (!lc_wine_available())                                                 \
			cr_skip_test("%s is absent: 32-bit Wine (wine32) is not installed, " \
				     "so this bitness is checked statically only (exports)", \
				     lc_wine_env("LC_WINE"));                               \
	} while (0)

/* Create the prefix if needed (serialised with a lock file, so parallel tests are
 * safe) and start a persistent wineserver detached from our pipes.  Aborts the test
 * with a message on failure. */
void lc_wine_prepare(void);

/* Ends the prefix's Wine session (wineserver -k, then waits for it): every program,
 * Wine's own services with them.  A suite that starts an X server per test calls it
 * before stopping that server: Wine's desktop process (explorer) is bound to the
 * display it started on, and a later test's windows could not be created on a
 * desktop whose display is gone. */
void lc_wine_shutdown(void);

/* Run `LC_WINE argv[0] argv[1] …` (argv NULL-terminated; argv[0] is the .exe path)
 * with extra environment entries `extra_env` ("NAME=value", NULL-terminated, may be
 * NULL), killing it after timeout_ms.  Returns the result; never NULL output. */
struct lc_wine_result lc_wine_run(const char *const argv[], const char *const extra_env[],
				  int timeout_ms);

/* A program started with lc_wine_start, running concurrently with the test. */
struct lc_wine_proc {
	int pid;
	int fd; /* its stdout+stderr */
};

/* Starts a program (as lc_wine_run) without waiting for it. */
void lc_wine_start(struct lc_wine_proc *proc, const char *const argv[],
		   const char *const extra_env[]);

/* Collects a started program's output and exit code, killing it after timeout_ms. */
struct lc_wine_result lc_wine_wait(struct lc_wine_proc *proc, int timeout_ms);

/* SIGKILL to the program: under Wine, as abrupt as TerminateProcess. */
void lc_wine_kill(struct lc_wine_proc *proc);

/* The DLL overrides of winmm clients: our test winmm (beside the programs) instead
 * of Wine's, which never loads wave drivers. */
#define LC_WINE_CLIENT_ENV "WINEDLLOVERRIDES=mscoree,mshtml=;winealsa.drv,winepulse.drv,wineoss.drv=;winmm=n"

/* `wine reg add KEY /v VALUE /t TYPE /d DATA /f` in the prefix.  Returns its exit code. */
int lc_wine_reg_add(const char *key, const char *value, const char *type, const char *data);

/* The driver suites' set-up: the prefix ready (lc_wine_prepare), LC_DRIVER_DLL
 * registered as Drivers32 "wave" as the installer does, the driver log on (its lines
 * help when a test fails).  Returns 0 or the exit code of the step that failed. */
int lc_wine_install_driver(void);

/* LC_TMPDIR/name: where a test leaves an artifact (recordings, dumps, screenshots).
 * The string stays valid for the next three calls. */
const char *lc_wine_artifact(const char *name);

/* Sleeps ms milliseconds (the tests' pacing between processes). */
void lc_wine_sleep_ms(long ms);

/* Environment value or abort with a message naming the variable. */
const char *lc_wine_env(const char *name);

#endif /* LC_WINE_H */
