/* SPDX-License-Identifier: MIT */
/* lc_wine.c — spawn Windows programs under Wine for the native suites (lc_wine.h). */
#include "lc_wine.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WINE_DLL_OVERRIDES "mscoree,mshtml=;winealsa.drv,winepulse.drv,wineoss.drv="

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "lc_wine: %s: %s\n", what, detail);
	exit(2);
}

const char *lc_wine_env(const char *name)
{
	const char *value = getenv(name);
	if (!value || !*value)
		die("environment variable not set (run through meson test)", name);
	return value;
}

bool lc_wine_available(void)
{
	return access(lc_wine_env("LC_WINE"), X_OK) == 0;
}

/* The wineserver sits next to the loader (/usr/lib/wine/{wine64,wineserver}). */
static void wineserver_path(char *out, size_t size)
{
	const char *wine = lc_wine_env("LC_WINE");
	const char *slash = strrchr(wine, '/');
	int dir_len = slash ? (int)(slash - wine) : 0;
	snprintf(out, size, "%.*s%swineserver", dir_len, wine, slash ? "/" : "");
}

static void set_wine_env(void)
{
	setenv("WINEPREFIX", lc_wine_env("LC_WINEPREFIX"), 1);
	setenv("WINEDEBUG", "-all", 1);
	setenv("WINEDLLOVERRIDES", WINE_DLL_OVERRIDES, 1);
	/* Headless unless a suite that must draw gave an X display (lc_wine.h). */
	const char *display = getenv("LC_WINE_DISPLAY");
	if (display && *display)
		setenv("DISPLAY", display, 1);
	else
		unsetenv("DISPLAY");
}

/* GTK drew nothing under Xvfb until the prefix had a gtk.css naming a font that
 * exists (Tahoma is missing in a bare prefix; docs/wine.md). */
static void write_gtk_css(const char *prefix)
{
	struct passwd *user = getpwuid(getuid());
	char dir[4096], path[4200];
	snprintf(dir, sizeof(dir), "%s/drive_c/users/%s/AppData/Local/gtk-3.0", prefix,
		 user ? user->pw_name : "root");
	char mkdir_cmd[4300];
	snprintf(mkdir_cmd, sizeof(mkdir_cmd), "mkdir -p '%s'", dir);
	if (system(mkdir_cmd) != 0)
		die("cannot create", dir);
	snprintf(path, sizeof(path), "%s/gtk.css", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		die("cannot write", path);
	fputs("* { font-family: \"DejaVu Sans\"; }\n", f);
	fclose(f);
}

/* Run a helper command with all output discarded; returns its exit status. */
static int run_quiet(const char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0)
		die("fork", strerror(errno));
	if (pid == 0) {
		int null_fd = open("/dev/null", O_RDWR);
		dup2(null_fd, 0);
		dup2(null_fd, 1);
		dup2(null_fd, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void lc_wine_prepare(void)
{
	set_wine_env();
	const char *prefix = lc_wine_env("LC_WINEPREFIX");
	const char *wine = lc_wine_env("LC_WINE");
	char server[4096], lock_path[4096], marker[4096];
	wineserver_path(server, sizeof(server));
	snprintf(lock_path, sizeof(lock_path), "%s.lock", prefix);
	snprintf(marker, sizeof(marker), "%s/.loopcable-ready", prefix);

	int lock_fd = open(lock_path, O_CREAT | O_RDWR, 0644);
	if (lock_fd < 0 || flock(lock_fd, LOCK_EX) != 0)
		die("lock", lock_path);

	if (access(marker, F_OK) != 0) {
		const char *boot[] = { wine, "wineboot", "-u", NULL };
		const char *display = getenv("LC_WINE_DISPLAY");
		bool draws = display && *display;
		const char *graphics[] = { wine, "reg", "add", "HKCU\\Software\\Wine\\Drivers",
					   "/v", "Graphics", "/d", draws ? "x11" : "null", "/f", NULL };
		const char *kill_server[] = { server, "-k", NULL };
		if (run_quiet(boot) != 0)
			die("wineboot -u failed for prefix", prefix);
		if (run_quiet(graphics) != 0)
			die("could not set the graphics driver in prefix", prefix);
		if (draws)
			write_gtk_css(prefix);
		/* The graphics driver is chosen when the wineserver starts. */
		run_quiet(kill_server);
		int fd = open(marker, O_CREAT | O_WRONLY, 0644);
		if (fd >= 0)
			close(fd);
	}

	/* A persistent server started here, with /dev/null as its stdio, keeps later
	 * piped runs fast and stops meson waiting for a daemon that holds its pipe
	 * (docs/wine.md).  -p30: it leaves by itself 30 s after the last client. */
	const char *persist[] = { server, "-p30", NULL };
	run_quiet(persist);
	/* The first program of a fresh server starts Wine's own services (explorer,
	 * services, rpcss…), which live as long as the server: start them here, with
	 * /dev/null as stdio, so they never hold a test's output pipe open. */
	const char *warm_up[] = { wine, "wineboot", NULL };
	run_quiet(warm_up);
	flock(lock_fd, LOCK_UN);
	close(lock_fd);
}

void lc_wine_shutdown(void)
{
	set_wine_env();
	char server[4096];
	wineserver_path(server, sizeof(server));
	const char *kill_server[] = { server, "-k", NULL };
	const char *wait_server[] = { server, "-w", NULL };
	run_quiet(kill_server);
	run_quiet(wait_server);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void lc_wine_start(struct lc_wine_proc *proc, const char *const argv[],
		   const char *const extra_env[])
{
	int pipe_fds[2];
	set_wine_env();
	if (pipe(pipe_fds) != 0)
		die("pipe", strerror(errno));

	pid_t pid = fork();
	if (pid < 0)
		die("fork", strerror(errno));
	if (pid == 0) {
		close(pipe_fds[0]);
		dup2(pipe_fds[1], 1);
		dup2(pipe_fds[1], 2);
		int null_fd = open("/dev/null", O_RDONLY);
		dup2(null_fd, 0);
		/* Own process group, so a timeout can kill the program and its children. */
		setpgid(0, 0);
		for (size_t i = 0; extra_env && extra_env[i]; i++) {
			const char *eq = strchr(extra_env[i], '=');
			if (!eq)
				_exit(126);
			char name[256];
			snprintf(name, sizeof(name), "%.*s", (int)(eq - extra_env[i]), extra_env[i]);
			setenv(name, eq + 1, 1);
		}
		size_t n = 0;
		while (argv[n])
			n++;
		const char **full = calloc(n + 2, sizeof(*full));
		full[0] = lc_wine_env("LC_WINE");
		memcpy(full + 1, argv, n * sizeof(*full));
		execv(full[0], (char *const *)full);
		_exit(127);
	}
	close(pipe_fds[1]);
	/* The parent sets the group too, so lc_wine_kill works even right after start. */
	setpgid(pid, pid);
	proc->pid = pid;
	proc->fd = pipe_fds[0];
}

void lc_wine_kill(struct lc_wine_proc *proc)
{
	kill(-proc->pid, SIGKILL);
}

struct lc_wine_result lc_wine_wait(struct lc_wine_proc *proc, int timeout_ms)
{
	struct lc_wine_result result = { .exit_code = -1 };
	pid_t pid = proc->pid;
	size_t cap = 4096, len = 0;
	result.output = malloc(cap);
	long long deadline = now_ms() + timeout_ms;
	int status = 0;
	bool exited = false;
	for (;;) {
		long long left = deadline - now_ms();
		if (left <= 0) {
			result.timed_out = true;
			kill(-pid, SIGKILL);
			break;
		}
		/* Stop at the program's exit, not at EOF: a process it started (or a Wine
		 * service) may inherit the pipe and keep it open long after. */
		if (!exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = true;
		struct pollfd pfd = { .fd = proc->fd, .events = POLLIN };
		int ready = poll(&pfd, 1, exited ? 0 : (int)(left < 20 ? left : 20));
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready == 0 && exited)
			break;
		if (ready <= 0)
			continue;
		if (len + 1024 > cap) {
			cap *= 2;
			result.output = realloc(result.output, cap);
		}
		ssize_t got = read(proc->fd, result.output + len, cap - len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	result.output[len] = '\0';
	close(proc->fd);

	while (!exited && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!result.timed_out && WIFEXITED(status))
		result.exit_code = WEXITSTATUS(status);
	return result;
}

struct lc_wine_result lc_wine_run(const char *const argv[], const char *const extra_env[],
				  int timeout_ms)
{
	struct lc_wine_proc proc;
	lc_wine_start(&proc, argv, extra_env);
	return lc_wine_wait(&proc, timeout_ms);
}

int lc_wine_reg_add(const char *key, const char *value, const char *type, const char *data)
{
	const char *argv[] = { "reg", "add", key, "/v", value, "/t", type, "/d", data, "/f", NULL };
	struct lc_wine_result r = lc_wine_run(argv, NULL, 30000);
	if (r.exit_code != 0)
		fprintf(stderr, "lc_wine: reg add %s /v %s failed:\n%s", key, value, r.output);
	free(r.output);
	return r.exit_code;
}

int lc_wine_install_driver(void)
{
	lc_wine_prepare();
	int code = lc_wine_reg_add("HKLM\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Drivers32",
				   "wave", "REG_SZ", lc_wine_env("LC_DRIVER_DLL"));
	if (code == 0)
		code = lc_wine_reg_add("HKLM\\Software\\LoopCable", "Logging", "REG_DWORD", "1");
	return code;
}

const char *lc_wine_artifact(const char *name)
{
	static char paths[4][4096];
	static int next;
	char *p = paths[next++ % 4];
	snprintf(p, sizeof(paths[0]), "%s/%s", lc_wine_env("LC_TMPDIR"), name);
	return p;
}

void lc_wine_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
