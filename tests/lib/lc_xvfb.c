/* SPDX-License-Identifier: MIT */
/* lc_xvfb.c — a virtual X display for the drawing suites (lc_xvfb.h). */
#include "lc_xvfb.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lc_wine.h"

static pid_t xvfb_pid;
static char display[16];

static void fail(const char *what)
{
	fprintf(stderr, "lc_xvfb: %s\n", what);
	exit(2);
}

const char *lc_xvfb_start(int width, int height)
{
	if (system("command -v Xvfb >/dev/null") != 0)
		return NULL;
	int fds[2];
	if (pipe(fds) != 0)
		fail("no pipe");
	xvfb_pid = fork();
	if (xvfb_pid < 0)
		fail("cannot fork");
	if (xvfb_pid == 0) {
		char fd_arg[16], screen[32];
		snprintf(fd_arg, sizeof(fd_arg), "%d", fds[1]);
		snprintf(screen, sizeof(screen), "%dx%dx24", width, height);
		close(fds[0]);
		/* Not the test's output: meson would wait for Xvfb to close it. */
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(126);
		/* -displayfd: Xvfb takes a free display and writes its number to the pipe. */
		execlp("Xvfb", "Xvfb", "-displayfd", fd_arg, "-screen", "0", screen, "-nolisten",
		       "tcp", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char number[16] = "";
	ssize_t got = read(fds[0], number, sizeof(number) - 1);
	close(fds[0]);
	if (got <= 0)
		fail("Xvfb did not start");
	number[strcspn(number, "\n")] = '\0';
	snprintf(display, sizeof(display), ":%s", number);
	setenv("LC_WINE_DISPLAY", display, 1);
	return display;
}

void lc_xvfb_stop(void)
{
	if (xvfb_pid <= 0)
		return;
	lc_wine_shutdown();
	kill(xvfb_pid, SIGTERM);
	waitpid(xvfb_pid, NULL, 0);
	xvfb_pid = 0;
}
