/* SPDX-License-Identifier: MIT */
/* lc_pulse.c — a private PulseAudio daemon for the forwarding tests (lc_pulse.h). */
#include "lc_pulse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

static char pulse_dir[4096];

const char *lc_pulse_dir(void)
{
	return pulse_dir;
}

static int run(const char *command)
{
	int status = system(command);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int lc_pulse_sh(const char *fmt, ...)
{
	char body[8192], command[8192 + 3 * sizeof pulse_dir + 64];
	va_list args;
	va_start(args, fmt);
	vsnprintf(body, sizeof body, fmt, args);
	va_end(args);
	/* HOME too: the tools keep a cookie and state there, not in the user's home. */
	snprintf(command, sizeof command, "export HOME='%s' XDG_RUNTIME_DIR='%s/run' "
		 "PULSE_SERVER='unix:%s/native'; %s", pulse_dir, pulse_dir, pulse_dir, body);
	return run(command);
}

static void fail(const char *what)
{
	fprintf(stderr, "lc_pulse: %s (see %s/pulse.log)\n", what, pulse_dir);
	exit(2);
}

void lc_pulse_start(void)
{
	const char *tmp = getenv("LC_TMPDIR");
	if (!tmp || !*tmp)
		fail("LC_TMPDIR is not set");
	snprintf(pulse_dir, sizeof pulse_dir, "%s/pulse", tmp);
	char command[16384];
	snprintf(command, sizeof command, "rm -rf '%s' && mkdir -p '%s/run' && chmod 700 '%s/run'",
		 pulse_dir, pulse_dir, pulse_dir);
	if (run(command) != 0)
		fail("cannot make the daemon's folder");
	if (lc_pulse_sh("pulseaudio -n --daemonize=yes --exit-idle-time=-1 --disallow-exit "
			"--use-pid-file=yes --log-target=file:%s/pulse.log "
			"--load='module-native-protocol-unix auth-anonymous=1 socket=%s/native' "
			"--load='module-null-sink sink_name=out rate=48000 "
			"sink_properties=device.description=Speakers' "
			"--load='module-null-sink sink_name=inbus rate=48000 "
			"sink_properties=device.description=LineIn' 2>>'%s/pulse.log'",
			pulse_dir, pulse_dir, pulse_dir) != 0)
		fail("pulseaudio did not start");
	if (lc_pulse_sh("pactl set-default-sink out && pactl set-default-source inbus.monitor") != 0)
		fail("pactl could not set the default devices");
	char server[4200], runtime[4200];
	snprintf(server, sizeof server, "unix:%s/native", pulse_dir);
	snprintf(runtime, sizeof runtime, "%s/run", pulse_dir);
	setenv("PULSE_SERVER", server, 1);
	setenv("XDG_RUNTIME_DIR", runtime, 1);
}

void lc_pulse_stop(void)
{
	if (pulse_dir[0])
		lc_pulse_sh("kill $(cat '%s/run/pulse/pid' 2>/dev/null) 2>/dev/null; true", pulse_dir);
}
