/* SPDX-License-Identifier: MIT */
/*
 * test_wine_net.c — network routes end to end, in real time, against an RTP peer that
 * is not ours: GStreamer (gst-launch-1.0, native Linux) on 127.0.0.1 only
 * (docs/network.md, "Interoperability").
 *
 *   send:     lc_play -> LoopCable 1 -> send route -> RTP L24 -> GStreamer -> WAV
 *   receive:  GStreamer -> RTP L24 -> receive route -> LoopCable 2 -> lc_rec -> WAV
 *   SDP:      the SDP file the send route writes, opened by GStreamer's sdpdemux
 *   ours:     LoopCable 1 -> send route -> receive route made from that SDP -> LoopCable 2
 *
 * The router and lc_cli run beside the test winmm (they see the cables) with a private
 * PulseAudio daemon as in the route tests (PortAudio starts; no sound card is used).
 * Environment (tests/wine/meson.build): LC_DRIVER_DLL, LC_ROUTER_EXE, LC_CLI_EXE,
 * LC_PLAY_EXE, LC_REC_EXE, LC_WINE, LC_WINEPREFIX, LC_TMPDIR.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lc_pulse.h"
#include "lc_wavfile.h"
#include "lc_wine.h"

#define TONE_HZ 1000.0
/* lc_play's -6 dBFS; GStreamer's volume=0.5 is -6.02 dBFS. */
#define TONE_DBFS -6.0
#define GST_TONE_DBFS -6.0206
/* Ports of this suite; only 127.0.0.1 is ever a destination. */
#define PORT_SEND 5004
#define PORT_RECEIVE 5006
#define PORT_SDP 5008
#define PORT_OURS 5010
#define SETTLE_MS 3000
#define ATTEMPTS 4

static const char *const route_env[] = {"WINEDLLOVERRIDES=mscoree,mshtml=;winmm=n", NULL};
static const char *const client_env[] = {LC_WINE_CLIENT_ENV, NULL};

static void setup(void)
{
	LC_WINE_SKIP_IF_ABSENT();
	if (system("command -v gst-launch-1.0 >/dev/null 2>&1") != 0)
		cr_skip_test("gst-launch-1.0 is not installed (packaging/bootstrap.sh installs it)");
	/* GStreamer's first run on a machine scans its plugins for seconds: not inside a
	 * timed recording. */
	cr_assert_eq(system("gst-inspect-1.0 sdpdemux >/dev/null 2>&1"), 0,
		     "GStreamer has no sdpdemux (gstreamer1.0-plugins-bad)");
	cr_assert_eq(lc_wine_install_driver(), 0, "could not prepare the prefix");
	lc_pulse_start();
	lc_pulse_sh("WINEPREFIX='%s' WINEDEBUG=-all '%s' reg delete 'HKCU\\Software\\LoopCable\\Routes' /f "
		    ">/dev/null 2>&1; true", lc_wine_env("LC_WINEPREFIX"), lc_wine_env("LC_WINE"));
}

static void teardown(void)
{
	if (!lc_wine_available())
		return;
	lc_pulse_sh("pkill -INT -f 'gst-launch-1.0.*udpsink host=127.0.0.1' ; true");
	lc_wine_shutdown();
	lc_pulse_stop();
}

TestSuite(net, .init = setup, .fini = teardown, .timeout = 240);

static struct lc_wine_result cli_args(const char *const args[])
{
	const char *argv[16] = {lc_wine_env("LC_CLI_EXE")};
	for (int i = 0; i < 14 && args[i]; i++)
		argv[i + 1] = args[i];
	return lc_wine_run(argv, route_env, 60000);
}
#define cli(...) cli_args((const char *const[]){__VA_ARGS__, NULL})

static void cli_ok_args(const char *const args[])
{
	struct lc_wine_result r = cli_args(args);
	cr_assert_eq(r.exit_code, 0, "lc_cli %s %s %s %s %s failed:\n%s", args[0], args[1],
		     args[2] ? args[2] : "", args[2] && args[3] ? args[3] : "",
		     args[2] && args[3] && args[4] ? args[4] : "", r.output);
	free(r.output);
}
#define cli_ok(...) cli_ok_args((const char *const[]){__VA_ARGS__, NULL})

static void start_router(struct lc_wine_proc *router)
{
	const char *argv[] = {lc_wine_env("LC_ROUTER_EXE"), NULL};
	lc_wine_start(router, argv, route_env);
}

static void end(struct lc_wine_proc *p)
{
	lc_wine_kill(p);
	free(lc_wine_wait(p, 5000).output);
}

static void start_tone(struct lc_wine_proc *player, const char *seconds)
{
	const char *play[] = {lc_wine_env("LC_PLAY_EXE"), "--device", "LoopCable 1", "--seconds",
			      seconds, "--signal", "sine:1000:-6", NULL};
	lc_wine_start(player, play, client_env);
}

/* The JSON object of route `id` in `lc_cli routes --json` (free it), or NULL. */
static char *route_json(int id)
{
	char want[32];
	snprintf(want, sizeof want, "\"id\": %d, ", id);
	struct lc_wine_result r = cli("routes", "--json");
	const char *at = strstr(r.output, want);
	char *out = NULL;
	if (at) {
		const char *close = strchr(at, '}');
		size_t n = close ? (size_t)(close - at) : strlen(at);
		out = strndup(at, n);
	}
	free(r.output);
	return out;
}

/* A number field of route `id`'s JSON, or -1. */
static double route_field(int id, const char *field)
{
	char *json = route_json(id), key[64];
	double v = -1;
	snprintf(key, sizeof key, "\"%s\": ", field);
	const char *at = json ? strstr(json, key) : NULL;
	if (at)
		v = strtod(at + strlen(key), NULL);
	free(json);
	return v;
}

static bool wait_state(int id, const char *state, int timeout_ms, char **last)
{
	char quoted[64];
	snprintf(quoted, sizeof quoted, "\"state\": \"%s\"", state);
	*last = NULL;
	for (int waited = 0; waited <= timeout_ms; waited += 250) {
		free(*last);
		*last = route_json(id);
		if (*last && strstr(*last, quoted))
			return true;
		lc_wine_sleep_ms(250);
	}
	return false;
}

/* What `lc_cli routes` says, with a failed check. */
static char diag[16384];

static void take_diag(void)
{
	struct lc_wine_result r = cli("routes");
	snprintf(diag, sizeof diag, "%s", r.output);
	free(r.output);
}

/* Frequency, level within 0.1 dB (20 ms windows averaged), no 20 ms window off by
 * 0.5 dB (a gap or a cut), no click: as the route tests judge a tone. */
static bool tone_clean(const char *path, double want_dbfs, const char *what, char *why, size_t bytes)
{
	struct lc_wavfile w;
	take_diag();
	if (!lc_wavfile_read(path, &w)) {
		snprintf(why, bytes, "%s: no WAV at %s\n%s", what, path, diag);
		return false;
	}
	size_t from = w.rate_hz / 2;
	if (w.frames < from + w.rate_hz * 2) {
		snprintf(why, bytes, "%s: only %zu frames\n%s", what, w.frames, diag);
		lc_wavfile_free(&w);
		return false;
	}
	size_t n = w.frames - from, win = w.rate_hz / 50;
	double want = pow(10.0, want_dbfs / 20.0);
	bool clean = true;
	for (uint32_t ch = 0; ch < w.channels && ch < 2 && clean; ch++) {
		double hz = lc_wavfile_frequency(&w, ch, from, n), amp = 0;
		size_t windows = 0, at = 0;
		for (size_t at0 = from; at0 + win <= w.frames; at0 += win, windows++)
			amp += lc_wavfile_tone_amplitude(&w, ch, at0, win, TONE_HZ);
		amp = windows ? amp / windows : 0;
		double worst = lc_wavfile_tone_worst(&w, ch, from, w.frames, win, TONE_HZ, want, &at);
		double kink = lc_wavfile_max_kink(&w, ch, from, n, want);
		clean = false;
		/* The receive side's drift correction may move the pitch by up to 1000 ppm. */
		if (!(fabs(hz - TONE_HZ) <= TONE_HZ * 1e-3 + 0.2))
			snprintf(why, bytes, "%s ch%u: %.3f Hz", what, ch, hz);
		else if (!(fabs(20 * log10(amp / want)) < 0.1))
			snprintf(why, bytes, "%s ch%u: level %.3f dB off", what, ch, 20 * log10(amp / want));
		else if (!(fabs(20 * log10(worst / want)) < 0.5))
			snprintf(why, bytes, "%s ch%u: a 20 ms window at %.3f s is %.2f dB off (gap or cut)",
				 what, ch, (double)at / w.rate_hz, 20 * log10(worst / want));
		else if (!(kink < 0.15))
			snprintf(why, bytes, "%s ch%u: a click (kink %.3f)", what, ch, kink);
		else
			clean = true;
	}
	if (clean)
		fprintf(stderr, "%s: %.0f s of tone clean\n", what, (double)n / w.rate_hz);
	lc_wavfile_free(&w);
	if (!clean) {
		size_t used = strlen(why);
		snprintf(why + used, bytes - used, "\n%s", diag);
	}
	return clean;
}

/* GStreamer receives L24 stereo 48 kHz RTP on 127.0.0.1:port for `seconds` into a
 * float WAV (SIGINT then, and -e: the WAV is finished). */
static const char *gst_receive(const char *name, int port, int seconds)
{
	const char *path = lc_wine_artifact(name);
	unlink(path);
	lc_pulse_sh("timeout -k 5 -s INT %d gst-launch-1.0 -q -e udpsrc address=127.0.0.1 port=%d "
		    "caps='application/x-rtp,media=audio,clock-rate=48000,encoding-name=L24,"
		    "channels=2,payload=96' ! rtpjitterbuffer latency=20 ! rtpL24depay ! audioconvert "
		    "! audio/x-raw,format=F32LE ! wavenc ! filesink location='%s' >/dev/null 2>&1; true",
		    seconds, port, path);
	return path;
}

/* GStreamer sends a live 1 kHz tone at -6.02 dBFS, L24 stereo 48 kHz, 1 ms packets, to
 * 127.0.0.1:port for `seconds` (in the background).  One 1 ms buffer at a time: by
 * default audiotestsrc makes 21 ms buffers, which leave as bursts of 21 packets, not
 * the paced stream an AES67 sender sends. */
static void gst_send(int port, int seconds)
{
	cr_assert_eq(lc_pulse_sh("timeout -s INT %d gst-launch-1.0 -q audiotestsrc is-live=true "
				 "samplesperbuffer=48 freq=1000 volume=0.5 ! audio/x-raw,rate=48000,channels=2 ! audioconvert "
				 "! rtpL24pay pt=96 min-ptime=1000000 max-ptime=1000000 ! udpsink "
				 "host=127.0.0.1 port=%d >/dev/null 2>&1 &", seconds, port), 0);
}

static const char *record_cable_2(const char *name)
{
	const char *wav = lc_wine_artifact(name);
	struct lc_wine_proc rec;
	const char *argv[] = {lc_wine_env("LC_REC_EXE"), "--device", "LoopCable 2", "--format",
			      "f32", "--seconds", "10.5", "--out", wav, NULL};
	lc_wine_start(&rec, argv, client_env);
	struct lc_wine_result r = lc_wine_wait(&rec, 30000);
	cr_assert_eq(r.exit_code, 0, "lc_rec failed:\n%s", r.output);
	free(r.output);
	return wav;
}

/* The SDP file route `id` writes: %LOCALAPPDATA%\LoopCable\route<id>.sdp in the prefix. */
static const char *sdp_file(int id)
{
	static char path[4096];
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "find '%s/drive_c/users' -path '*AppData/Local/LoopCable/route%d.sdp' "
		 "2>/dev/null | head -n 1", lc_wine_env("LC_WINEPREFIX"), id);
	FILE *f = popen(cmd, "r");
	path[0] = '\0';
	if (f) {
		if (!fgets(path, sizeof path, f))
			path[0] = '\0';
		pclose(f);
	}
	path[strcspn(path, "\n")] = '\0';
	return path;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *text = calloc(1, 65536);
	if (text)
		fread(text, 1, 65535, f);
	fclose(f);
	return text;
}

/* One recorded window of the tone: records it, returns the WAV's path. */
struct window {
	const char *(*record)(const struct window *w);
	const char *name; /* the WAV's artifact name */
	int port;         /* gst_window: the port GStreamer listens on */
	const char *sdp;  /* sdp_window: the SDP file sdpdemux opens */
};

static const char *gst_window(const struct window *w)
{
	return gst_receive(w->name, w->port, 12);
}

static const char *cable_2_window(const struct window *w)
{
	return record_cable_2(w->name);
}

static const char *sdp_window(const struct window *w)
{
	const char *wav = lc_wine_artifact(w->name);
	unlink(wav);
	lc_pulse_sh("timeout -k 5 -s INT 12 gst-launch-1.0 -q -e filesrc location='%s' ! sdpdemux "
		    "latency=20 ! rtpL24depay ! audioconvert ! audio/x-raw,format=F32LE ! wavenc "
		    "! filesink location='%s' >/dev/null 2>&1; true", w->sdp, wav);
	return wav;
}

/* Real time under Wine on a loaded machine has its hiccups (docs/wine.md): the tone
 * must be clean in one of ATTEMPTS windows; every unclean one is reported, and a route
 * that is really broken fails them all. */
static void expect_a_clean_window(const struct window *w, double dbfs, const char *what)
{
	static char why[20000];
	for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
		if (tone_clean(w->record(w), dbfs, what, why, sizeof why))
			return;
		fprintf(stderr, "attempt %d of %d not clean: %s\n", attempt + 1, ATTEMPTS, why);
	}
	cr_expect_fail("no clean 10 s in %d attempts; the last: %s", ATTEMPTS, why);
}

Test(net, a_player_on_cable_1_is_received_by_gstreamer_through_a_send_route)
{
	struct lc_wine_proc router, player;
	char *last, to[64];
	snprintf(to, sizeof to, "rtp://127.0.0.1:%d", PORT_SEND);
	cli_ok("route", "add", "--cable", "1", "--to", to, "--format", "L24", "--ptime", "1");
	start_router(&router);
	start_tone(&player, "90");
	bool running = wait_state(1, "running", 10000, &last);
	cr_assert(running, "the send route never ran:\n%s", last);
	free(last);
	lc_wine_sleep_ms(SETTLE_MS);
	const struct window w = {gst_window, "net_send.wav", PORT_SEND, NULL};
	expect_a_clean_window(&w, TONE_DBFS, "GStreamer from the send route");
	/* 1 ms packets: about a thousand a second since the start, none refused. */
	double packets = route_field(1, "packets"), lost = route_field(1, "packets_lost");
	cr_expect_gt(packets, 10000, "packets sent: %.0f", packets);
	cr_expect_eq(lost, 0, "sends refused: %.0f", lost);
	end(&router);
	end(&player);
}

Test(net, gstreamer_feeds_cable_2_through_a_receive_route)
{
	struct lc_wine_proc router;
	char *last, from[64];
	snprintf(from, sizeof from, "rtp://127.0.0.1:%d", PORT_RECEIVE);
	cli_ok("route", "add", "--cable", "2", "--from", from);
	start_router(&router);
	gst_send(PORT_RECEIVE, 90);
	bool running = wait_state(1, "running", 10000, &last);
	cr_assert(running, "the receive route never played:\n%s", last);
	free(last);
	lc_wine_sleep_ms(SETTLE_MS);
	const struct window w = {cable_2_window, "net_receive.wav", 0, NULL};
	expect_a_clean_window(&w, GST_TONE_DBFS, "LoopCable 2 from GStreamer");
	double packets = route_field(1, "packets"), lost = route_field(1, "packets_lost");
	cr_expect_gt(packets, 10000, "packets received: %.0f", packets);
	cr_expect_eq(lost, 0, "packets lost on the loopback: %.0f", lost);
	end(&router);
	lc_pulse_sh("pkill -INT -f 'gst-launch-1.0.*udpsink host=127.0.0.1' ; true");
}

Test(net, the_sdp_file_of_a_send_route_plays_in_gstreamers_sdpdemux)
{
	struct lc_wine_proc router, player;
	char *last, to[64];
	snprintf(to, sizeof to, "rtp://127.0.0.1:%d", PORT_SDP);
	cli_ok("route", "add", "--cable", "1", "--to", to);
	start_router(&router);
	start_tone(&player, "90");
	bool running = wait_state(1, "running", 10000, &last);
	cr_assert(running, "the send route never ran:\n%s", last);
	free(last);
	const char *sdp = sdp_file(1);
	cr_assert(sdp[0], "no route1.sdp under %s/drive_c/users", lc_wine_env("LC_WINEPREFIX"));
	char *text = read_text(sdp);
	cr_assert_not_null(text);
	cr_expect(strstr(text, "a=rtpmap:96 L24/48000/2"), "the SDP:\n%s", text);
	cr_expect(strstr(text, "c=IN IP4 127.0.0.1"), "the SDP:\n%s", text);
	fprintf(stderr, "the send route's SDP:\n%s", text);
	free(text);
	lc_wine_sleep_ms(SETTLE_MS);
	const struct window w = {sdp_window, "net_sdp.wav", 0, sdp};
	expect_a_clean_window(&w, TONE_DBFS, "sdpdemux from the SDP file");
	end(&router);
	end(&player);
}

Test(net, cable_1_reaches_cable_2_through_our_own_sdp_file)
{
	struct lc_wine_proc router, player;
	char *last, to[64];
	snprintf(to, sizeof to, "rtp://127.0.0.1:%d", PORT_OURS);
	cli_ok("route", "add", "--cable", "1", "--to", to);
	start_router(&router);
	start_tone(&player, "90");
	bool running = wait_state(1, "running", 10000, &last);
	cr_assert(running, "the send route never ran:\n%s", last);
	free(last);
	const char *sdp = sdp_file(1);
	cr_assert(sdp[0], "no route1.sdp");
	/* The file as a Windows path for lc_cli: Z: is the root under Wine. */
	char windows_path[4200];
	snprintf(windows_path, sizeof windows_path, "Z:%s", sdp);
	for (char *c = windows_path; *c; c++)
		if (*c == '/')
			*c = '\\';
	cli_ok("route", "add", "--cable", "2", "--from-sdp", windows_path);
	running = wait_state(2, "running", 10000, &last);
	cr_assert(running, "the receive route never played:\n%s", last);
	free(last);
	lc_wine_sleep_ms(SETTLE_MS);
	const struct window w = {cable_2_window, "net_ours.wav", 0, NULL};
	expect_a_clean_window(&w, TONE_DBFS, "LoopCable 2 from LoopCable 1 over RTP");
	cr_expect_eq(route_field(2, "packets_lost"), 0, "packets lost on the loopback");
	end(&router);
	end(&player);
}

Test(net, a_receive_route_binds_only_its_address_and_says_when_the_port_is_taken)
{
	struct lc_wine_proc router;
	char *last, from[64];
	/* GStreamer holds the port first: the route waits and says why. */
	snprintf(from, sizeof from, "rtp://127.0.0.1:%d", PORT_RECEIVE);
	cr_assert_eq(lc_pulse_sh("timeout -s INT 60 gst-launch-1.0 -q udpsrc address=127.0.0.1 port=%d "
				 "! fakesink >/dev/null 2>&1 &", PORT_RECEIVE), 0);
	lc_wine_sleep_ms(1500);
	cli_ok("route", "add", "--cable", "2", "--from", from);
	start_router(&router);
	bool waiting = wait_state(1, "waiting", 10000, &last);
	cr_expect(waiting && last && strstr(last, "in use"), "not refused as in use:\n%s", last);
	free(last);
	lc_pulse_sh("pkill -INT -f 'gst-launch-1.0.*udpsrc address=127.0.0.1 port=%d' ; true", PORT_RECEIVE);
	/* Freed: the next retry binds it. */
	waiting = wait_state(1, "starting", 10000, &last);
	cr_expect(waiting, "the route did not bind the freed port:\n%s", last);
	free(last);
	/* Bound to 127.0.0.1 only: on Linux (Wine's sockets) /proc/net/udp lists the local
	 * address; 0100007F:PORT is 127.0.0.1, 00000000:PORT would be every interface. */
	char cmd[256];
	snprintf(cmd, sizeof cmd, "grep -qi ' 0100007F:%04X ' /proc/net/udp", PORT_RECEIVE);
	cr_expect_eq(system(cmd), 0, "not bound to 127.0.0.1:%d", PORT_RECEIVE);
	snprintf(cmd, sizeof cmd, "grep -qi ' 00000000:%04X ' /proc/net/udp", PORT_RECEIVE);
	cr_expect_neq(system(cmd), 0, "bound to every interface");
	end(&router);
}
