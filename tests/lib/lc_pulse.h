/* SPDX-License-Identifier: MIT */
/*
 * lc_pulse.h — native test helper: a private PulseAudio daemon whose null sinks are the
 * "real" sound cards of the forwarding tests (docs/wine.md, "Sound cards for the
 * forwarding tests").
 *
 * The daemon lives in LC_TMPDIR/pulse and has two null sinks at 48 kHz:
 *   out    "Speakers", the default output
 *   inbus  "LineIn", whose monitor is the default input (play into it with paplay)
 * lc_pulse_start points this process's environment (PULSE_SERVER, XDG_RUNTIME_DIR) at
 * it, so Wine's programs started afterwards, with Wine's PulseAudio driver enabled, see
 * these two devices and nothing of the host's sound.
 */
#ifndef LC_PULSE_H
#define LC_PULSE_H

/* Starts the daemon (one at a time per LC_TMPDIR).  Failures end the program with a
 * message naming the daemon's log. */
void lc_pulse_start(void);

/* Stops it. */
void lc_pulse_stop(void);

/* Runs a shell command (printf format) with the daemon's environment: pactl, paplay,
 * parec reach it.  @return the command's exit status, -1 if it did not exit. */
int lc_pulse_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The daemon's folder (its log is pulse.log there). */
const char *lc_pulse_dir(void);

#endif /* LC_PULSE_H */
