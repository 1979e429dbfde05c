#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tests/bench/bench_route.sh [--minutes M] — the router's figures under Wine, with a
# private PulseAudio daemon's null sink as the sound card (docs/wine.md, "Sound cards
# for the forwarding tests").  Called by tests/bench.sh after it built build/win64 and
# prepared the bench prefix ($WINEPREFIX, the driver registered there).
#
#   latency   a click's round trip lc_play -> LoopCable 1 -> listen route -> Speakers
#             -> its monitor -> feed route -> LoopCable 2 -> lc_rec, against the same
#             two programs on one cable (the baseline, same run, same method): what two
#             routes at their default 20 ms targets add, PulseAudio's monitor included
#   cpu       the router's process time / wall time with 1 and with 8 listen routes
#             (a player on each cable), as a share of one core
#   long run  one listen route for M minutes (default 10) with a player: the router's
#             underrun, overrun and restart counters at the end
#
# Wine's audio is not real time on a loaded machine (docs/wine.md): run it on a quiet one.
set -euo pipefail

minutes=10
if [ "${1:-}" = "--minutes" ]; then
	minutes=$2
fi
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
programs=$repo/build/win64/tests/wine
wine=/usr/lib/wine/wine64
work=$repo/build/bench-route
rm -rf "$work"
mkdir -p "$work/pulse/run"
chmod 700 "$work/pulse/run"

# The daemon, and every later program (Wine's PulseAudio driver included) on it.
export HOME_PULSE=$work/pulse
export PULSE_SERVER=unix:$work/pulse/native XDG_RUNTIME_DIR=$work/pulse/run
pulse() { HOME=$HOME_PULSE "$@"; }
pulse pulseaudio -n --daemonize=yes --exit-idle-time=-1 --disallow-exit --use-pid-file=yes \
	--log-target="file:$work/pulse/pulse.log" \
	--load="module-native-protocol-unix auth-anonymous=1 socket=$work/pulse/native" \
	--load="module-null-sink sink_name=out rate=48000 sink_properties=device.description=Speakers"
pulse pactl set-default-sink out
stop() {
	/usr/lib/wine/wineserver -k 2>/dev/null || true
	kill "$(cat "$work/pulse/run/pulse/pid" 2>/dev/null)" 2>/dev/null || true
}
trap stop EXIT

# The router and lc_cli beside the test winmm, with Wine's PulseAudio driver; the
# players and recorders on the test winmm only.
router_env=(env "WINEDLLOVERRIDES=mscoree,mshtml=;winmm=n")
client_env=(env "WINEDLLOVERRIDES=mscoree,mshtml=;winealsa.drv,winepulse.drv,wineoss.drv=;winmm=n")
cli() { "${router_env[@]}" "$wine" "$programs/lc_cli.exe" "$@" | tr -d '\r'; }
no_routes() { "$wine" reg delete 'HKCU\Software\LoopCable\Routes' /f >/dev/null 2>&1 || true; }
start_router() {
	"${router_env[@]}" "$wine" "$programs/lc_router.exe" >"$work/router.out" 2>&1 &
	router_pid=$!
}
end_router() {
	kill "$router_pid" 2>/dev/null || true
	wait "$router_pid" 2>/dev/null || true
	pkill -f 'lc_router.exe' 2>/dev/null || true
	sleep 1
}

# --- latency: a click's round trip, median of 5, through the cable alone and through
# a listen and a feed route.
sox -n -r 48000 -c 2 -b 16 "$work/click.wav" synth 0.01 sine 1000 gain -6 pad 0.3 0.7
# shellcheck source=tests/bench/click.sh
source "$repo/tests/bench/click.sh"
no_routes
cli set cables=2 logging=0 >/dev/null
base=$(round_trip "LoopCable 2" "LoopCable 2")
cli route add --cable 1 --to WASAPI:Speakers >/dev/null
cli route add --cable 2 --from "WASAPI:Monitor of Speakers" >/dev/null
start_router
sleep 8
routed=$(round_trip "LoopCable 1" "LoopCable 2")
end_router
echo "latency: click round trip through the cable alone ${base} ms (baseline); through a listen"
echo "  and a feed route (20 ms targets) and PulseAudio's monitor ${routed} ms:" \
	"added $(echo "$routed - $base" | bc) ms"

# --- CPU of the router with N routes, each cable with a player.
router_cpu() { # N SECONDS
	local n=$1 seconds=$2 players=()
	no_routes
	cli set cables=$((n > 2 ? n : 2)) >/dev/null
	for c in $(seq 1 "$n"); do
		cli route add --cable "$c" --to WASAPI:Speakers >/dev/null
		"${client_env[@]}" "$wine" "$programs/lc_play.exe" --device "LoopCable $c" \
			--seconds $((seconds + 15)) --signal "sine:$((200 * c)):-24" >/dev/null 2>&1 &
		players+=($!)
	done
	start_router
	sleep 8
	local pid ticks0 ticks1 t0 t1
	pid=$(pgrep -f 'lc_router.exe' | head -1)
	ticks0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	t0=$(date +%s.%N)
	sleep "$seconds"
	ticks1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	t1=$(date +%s.%N)
	local running
	running=$(cli routes | grep -c '^ *running\b' || true)
	echo "cpu: $n route(s), $running running: router $(echo "scale=1; 100 * ($ticks1 - $ticks0) / \
$(getconf CLK_TCK) / ($t1 - $t0)" | bc) % of one core"
	end_router
	kill "${players[@]}" 2>/dev/null || true
	wait "${players[@]}" 2>/dev/null || true
}
router_cpu 1 20
router_cpu 8 20

# --- the long run: one route, one player, M minutes.
no_routes
cli set cables=2 >/dev/null
cli route add --cable 1 --to WASAPI:Speakers >/dev/null
"${client_env[@]}" "$wine" "$programs/lc_play.exe" --device "LoopCable 1" \
	--seconds $((minutes * 60 + 30)) --signal "sine:1000:-12" >"$work/long-play.out" 2>&1 &
player=$!
start_router
sleep 10
cli routes --json | grep -o '"frames".*"restarts": [0-9]*' | sed 's/^/long run start: /'
sleep $((minutes * 60))
cli routes --json | grep -o '"frames".*"restarts": [0-9]*' | sed "s/^/long run after $minutes min: /"
end_router
kill "$player" 2>/dev/null || true
wait "$player" 2>/dev/null || true
no_routes
