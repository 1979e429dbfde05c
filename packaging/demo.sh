#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# demo.sh — the README's main job: set up this machine, build LoopCable for Windows
# (64- and 32-bit driver) and its setup, install the setup into a Wine prefix, and show
# a cable of the installed product working: one process plays into "LoopCable 1" while
# another records from it; the recordings are written as WAV files and measured (level,
# frequency, delay).  Then the cable is forwarded to a sound card by the routing app
# (lc_router.exe): the "sound card" is a PulseAudio null sink that Wine plays to
# (docs/wine.md), and what reaches it is recorded and measured too; then LoopCable 1 is
# sent to the network as RTP and GStreamer receives it on 127.0.0.1 (docs/network.md).
# The setup is left in build/setup/ (docs/installer.md).
#
# The players and recorders are ordinary winmm programs (tests/wine/cable/); Wine's
# winmm does not load wave drivers, so they run on the test winmm that loads what
# Drivers32 names — the installed loopcable.dll — exactly as Windows' winmm does
# (tests/wine/winmm/).  The router and lc_cli that open cables run beside that winmm
# too, as build-tree copies; the installed lc_cli.exe shows the status.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

bash packaging/bootstrap.sh
bash packaging/build.sh setup
version=$(meson introspect --projectinfo build/win64 \
	| python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')
setup=$repo/build/setup/LoopCable-$version-setup.exe

out=$repo/build/demo
bin=$repo/build/win64/tests/wine
mkdir -p "$out"
export WINEPREFIX=$repo/build/demo-prefix WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winealsa.drv,winepulse.drv,wineoss.drv=;winmm=n"
unset DISPLAY
wine=/usr/lib/wine/wine64
server=/usr/lib/wine/wineserver
if [ ! -f "$WINEPREFIX/.loopcable-ready" ]; then
	echo "[demo] creating the Wine prefix $WINEPREFIX"
	"$wine" wineboot -u </dev/null >/dev/null 2>&1
	"$wine" reg add 'HKCU\Software\Wine\Drivers' /v Graphics /d null /f </dev/null >/dev/null 2>&1
	"$server" -k || true
	touch "$WINEPREFIX/.loopcable-ready"
fi
# Start the server and Wine's services detached from our output (docs/wine.md).  A
# server still lingering from a run just before makes this one exit 2: that one serves.
"$server" -p30 </dev/null >/dev/null 2>&1 || true
"$wine" wineboot </dev/null >/dev/null 2>&1
# The setup wants Windows 10 or later; Wine 8 reports Windows 7 unless told.  (Not
# with winmm=n: winecfg imports winmm, and no test winmm sits beside it.)
WINEDLLOVERRIDES="mscoree,mshtml=" "$wine" winecfg -v win10 </dev/null >/dev/null 2>&1
# Earlier demos registered the build tree's driver by hand as "wave"; the setup would
# take that for another driver's value and leave it loaded beside its own.
drivers32='HKLM\Software\Microsoft\Windows NT\CurrentVersion\Drivers32'
if "$wine" reg query "$drivers32" /v wave </dev/null 2>/dev/null | grep -q 'build/win64/driver'; then
	"$wine" reg delete "$drivers32" /v wave /f </dev/null >/dev/null 2>&1
fi
echo "[demo] installing $(basename "$setup") ($(stat -c %s "$setup") bytes) silently into the prefix"
start=$(date +%s.%N)
WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d;winealsa.drv,winepulse.drv,wineoss.drv=" \
	"$wine" "$setup" /S </dev/null
printf '[demo] installed in %.1f s: ' "$(echo "$(date +%s.%N) - $start" | bc)"
"$wine" reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\LoopCable' \
	/v DisplayVersion </dev/null | tr -d '\r' | sed -n 's/.*REG_SZ *//p'
"$wine" reg query "$drivers32" </dev/null | tr -d '\r' | grep -i loopcable
installed_cli='C:\Program Files\LoopCable\bin\lc_cli.exe'
[ -f "$WINEPREFIX/drive_c/windows/system32/loopcable.dll" ] \
	|| { echo "[demo] the setup did not install the driver"; exit 1; }
[ ! -e "$bin/loopcable.dll" ] || { echo "[demo] $bin/loopcable.dll would shadow the installed driver"; exit 1; }

value() { sed -n "s/^$1=\([0-9]*\).*/\1/p" "$2"; }

# play_and_record NAME SENT.wav [TONE_HZ]: records LoopCable 1 while SENT.wav plays.
play_and_record() {
	local name=$1 sent=$2 tone=${3:-}
	local seconds
	seconds=$(soxi -D "$sent")
	echo
	echo "[demo] $name: lc_play.exe plays $(basename "$sent") into LoopCable 1;" \
		"lc_rec.exe records LoopCable 1 (s16, 48 kHz, stereo) in another process"
	"$wine" "$bin/lc_rec.exe" --seconds "$(echo "$seconds + 1" | bc)" --out "$out/$name-recorded.wav" \
		</dev/null >"$out/$name-rec.log" 2>&1 &
	local rec_pid=$!
	sleep 0.5
	"$wine" "$bin/lc_play.exe" --signal "wav:$sent" </dev/null >"$out/$name-play.log" 2>&1
	wait "$rec_pid"
	grep -q 'lc_play: ok' "$out/$name-play.log" || { cat "$out/$name-play.log"; exit 1; }
	grep -q 'lc_rec: ok' "$out/$name-rec.log" || { cat "$out/$name-rec.log"; exit 1; }
	"$bin/lc_measure" "$sent" "$out/$name-recorded.wav" \
		"$(value first_write_us "$out/$name-play.log")" "$(value start_us "$out/$name-rec.log")" $tone
}

sox -n -r 48000 -c 2 -b 16 "$out/tone-sent.wav" synth 1.0 sine 1000 gain -6
play_and_record tone "$out/tone-sent.wav" 1000
espeak-ng -w "$out/phrase-sent.wav" \
	"This is LoopCable one. What one program plays here, another program hears there."
play_and_record phrase "$out/phrase-sent.wav"

echo
echo "[demo] what the driver saw (the installed lc_cli status, while a player and a recorder run):"
"$wine" "$bin/lc_rec.exe" --seconds 1.2 </dev/null >/dev/null 2>&1 &
rec_pid=$!
"$wine" "$bin/lc_play.exe" --seconds 1 --format f32 --rate 44100 </dev/null >/dev/null 2>&1 &
play_pid=$!
sleep 0.7
# The installed lc_cli runs on Wine's own winmm (status reads the shared section).
WINEDLLOVERRIDES="mscoree,mshtml=;winealsa.drv,winepulse.drv,wineoss.drv=" \
	"$wine" "$installed_cli" status </dev/null | tr -d '\r'
wait "$play_pid" "$rec_pid"

echo
echo "[demo] settings applied live: a third cable, published while a player runs on LoopCable 1"
"$wine" "$bin/lc_settings.exe" set cables=2 </dev/null >/dev/null 2>&1
"$wine" "$bin/lc_play.exe" --seconds 3 </dev/null >"$out/live-play.log" 2>&1 &
play_pid=$!
sleep 0.7
"$wine" "$bin/lc_settings.exe" set cables=3 "name3=Demo cable" </dev/null | tr -d '\r'
"$wine" "$bin/lc_settings.exe" devices </dev/null | tr -d '\r' | grep '^out'
# Taken right after the change: the player must be listed whether or not it has
# followed the new generation yet (lc_status.h).
status=$("$wine" "$bin/lc_cli.exe" status </dev/null | tr -d '\r') || true
echo "$status"
grep -q 'lc_play.exe' <<<"$status" || { echo "[demo] lc_cli status did not list the running player"; exit 1; }
wait "$play_pid"
grep -q 'lc_play: ok' "$out/live-play.log" || { cat "$out/live-play.log"; exit 1; }
echo "the player that was running played to its end (lc_play: ok); back to 2 cables:"
"$wine" "$bin/lc_settings.exe" set cables=2 </dev/null | tr -d '\r'

echo
echo "[demo] forwarding: a route from LoopCable 1 to the sound card, run by lc_router.exe"
# The sound card: a PulseAudio daemon of our own with a null sink "Speakers".
pulse=$out/pulse
rm -rf "$pulse"
mkdir -p "$pulse/run"
chmod 700 "$pulse/run"
export PULSE_SERVER=unix:$pulse/native XDG_RUNTIME_DIR=$pulse/run
HOME=$pulse pulseaudio -n --daemonize=yes --exit-idle-time=-1 --disallow-exit --use-pid-file=yes \
	--log-target=file:"$pulse/pulse.log" \
	--load="module-native-protocol-unix auth-anonymous=1 socket=$pulse/native" \
	--load="module-null-sink sink_name=out rate=48000 sink_properties=device.description=Speakers" \
	</dev/null >/dev/null 2>&1
HOME=$pulse pactl set-default-sink out
stop_pulse() { kill "$(cat "$pulse/run/pulse/pid" 2>/dev/null)" 2>/dev/null || true; }
trap stop_pulse EXIT
# The router and lc_cli see the cables through the test winmm beside them and the
# sound card through Wine's PulseAudio driver (so not disabled for them).
route_env=(env WINEDLLOVERRIDES="mscoree,mshtml=;winmm=n")
"${route_env[@]}" "$wine" "$bin/lc_cli.exe" route remove 1 </dev/null >/dev/null 2>&1 || true
# The router the setup started (it runs one per session) would hold the session's
# router mutex: this demo starts its own, beside the test winmm.
"$wine" taskkill /f /im lc_router.exe </dev/null >/dev/null 2>&1 || true
echo "devices a route can use (lc_cli devices; LoopCable's own are never listed):"
"${route_env[@]}" "$wine" "$bin/lc_cli.exe" devices </dev/null | tr -d '\r'
"${route_env[@]}" "$wine" "$bin/lc_cli.exe" route add --cable 1 --to WASAPI:Speakers </dev/null | tr -d '\r'
"${route_env[@]}" "$wine" "$bin/lc_router.exe" </dev/null >"$out/router.log" 2>&1 &
router_pid=$!
"$wine" "$bin/lc_play.exe" --signal sine:1000:-6 --seconds 9 </dev/null >"$out/route-play.log" 2>&1 &
play_pid=$!
for _ in $(seq 40); do
	"${route_env[@]}" "$wine" "$bin/lc_cli.exe" routes --json </dev/null | grep -q '"state": "running"' && break
	sleep 0.25
done
sleep 3 # the drift controller's first seconds (docs/forwarding.md)
timeout 4 parec -d out.monitor --rate=48000 --channels=2 --format=float32le --file-format=wav \
	"$out/route-speakers.wav" || true
"${route_env[@]}" "$wine" "$bin/lc_cli.exe" routes </dev/null | tr -d '\r'
echo "what reached the sound card (parec of the sink), against what lc_play.exe played:"
"$bin/lc_measure" "$out/tone-sent.wav" "$out/route-speakers.wav" - - 1000
wait "$play_pid"
kill "$router_pid" 2>/dev/null || true
wait "$router_pid" 2>/dev/null || true
"${route_env[@]}" "$wine" "$bin/lc_cli.exe" route remove 1 </dev/null >/dev/null 2>&1 || true
stop_pulse

echo
echo "[demo] a network cable: LoopCable 1 sent as RTP (L24, 1 ms packets) to 127.0.0.1:5004,"
echo "       received there by GStreamer as another machine would (docs/network.md)"
# No sound card is needed: the router runs with Wine's audio drivers off, as the players.
"$wine" "$bin/lc_cli.exe" route add --cable 1 --to rtp://127.0.0.1:5004 </dev/null | tr -d '\r'
"$wine" "$bin/lc_router.exe" </dev/null >"$out/router-net.log" 2>&1 &
router_pid=$!
"$wine" "$bin/lc_play.exe" --signal sine:1000:-6 --seconds 10 </dev/null >"$out/net-play.log" 2>&1 &
play_pid=$!
for _ in $(seq 40); do
	"$wine" "$bin/lc_cli.exe" routes --json </dev/null | grep -q '"state": "running"' && break
	sleep 0.25
done
sleep 2
rm -f "$out/network-gstreamer.wav" "$out/network-gstreamer-all.wav"
# GStreamer's first run on a machine scans its plugins for seconds: done before the
# five seconds it listens.
gst-inspect-1.0 udpsrc </dev/null >/dev/null 2>&1 || true
timeout -k 5 -s INT 5 gst-launch-1.0 -q -e udpsrc address=127.0.0.1 port=5004 \
	caps="application/x-rtp,media=audio,clock-rate=48000,encoding-name=L24,channels=2,payload=96" \
	! rtpjitterbuffer latency=20 ! rtpL24depay ! audioconvert ! audio/x-raw,format=F32LE \
	! wavenc ! filesink location="$out/network-gstreamer-all.wav" </dev/null >/dev/null 2>&1 || true
# Without GStreamer's start (its jitter buffer fills first, in silence).
[ -s "$out/network-gstreamer-all.wav" ] \
	&& sox "$out/network-gstreamer-all.wav" "$out/network-gstreamer.wav" trim 0.5
"$wine" "$bin/lc_cli.exe" routes </dev/null | tr -d '\r'
sdp=$(find "$WINEPREFIX/drive_c/users" -path '*AppData/Local/LoopCable/route*.sdp' | head -n 1)
echo "the SDP file the route wrote for receivers ($sdp):"
sed 's/^/  /' "$sdp"
echo "what GStreamer received, against what lc_play.exe played:"
[ -s "$out/network-gstreamer.wav" ] || { echo "[demo] GStreamer received nothing"; exit 1; }
"$bin/lc_measure" "$out/tone-sent.wav" "$out/network-gstreamer.wav" - - 1000
wait "$play_pid"
kill "$router_pid" 2>/dev/null || true
wait "$router_pid" 2>/dev/null || true
"$wine" "$bin/lc_cli.exe" route remove 1 </dev/null >/dev/null 2>&1 || true

echo
echo "[demo] recordings are in $out (*-recorded.wav, route-speakers.wav, network-gstreamer.wav); listen with: play $out/phrase-recorded.wav"
echo "[demo] the setup is $setup; LoopCable stays installed in $WINEPREFIX" \
	"(uninstall: WINEPREFIX=$WINEPREFIX $wine 'C:\\Program Files\\LoopCable\\uninstall.exe' /S)"
