#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tests/bench/bench_net.sh — the network routes' figures under Wine, on 127.0.0.1 only.
# Called by tests/bench.sh after it built build/win64 and prepared the bench prefix
# ($WINEPREFIX, the driver registered there); needs gst-launch-1.0 and python3.
#
#   latency   a click from lc_play into LoopCable 1 through a send route (ptime 1 ms,
#             default 20 ms target) until its first sample is due on the wire
#             (tests/bench/rtp_click.py stamps packets with CLOCK_MONOTONIC_RAW, the
#             clock behind Wine's QueryPerformanceCounter, docs/wine.md), median of 5;
#             and the round trip lc_play -> LoopCable 1 -> send route -> receive route ->
#             LoopCable 2 -> lc_rec, against the same two programs on one cable (the
#             baseline, same run, same method)
#   cpu       the router's process time / wall time with one send route (a player on
#             the cable) and with one receive route (GStreamer sending), as a share of
#             one core, against the router with no route
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
programs=$repo/build/win64/tests/wine
wine=/usr/lib/wine/wine64
work=$repo/build/bench-net
rm -rf "$work"
mkdir -p "$work"
# No sound device is used: every program runs with Wine's audio drivers off.
client_env=(env "WINEDLLOVERRIDES=mscoree,mshtml=;winealsa.drv,winepulse.drv,wineoss.drv=;winmm=n")
cli() { "${client_env[@]}" "$wine" "$programs/lc_cli.exe" "$@" | tr -d '\r'; }
no_routes() { "$wine" reg delete 'HKCU\Software\LoopCable\Routes' /f >/dev/null 2>&1 || true; }
router_pid=
start_router() {
	"${client_env[@]}" "$wine" "$programs/lc_router.exe" >"$work/router.out" 2>&1 &
	router_pid=$!
}
end_router() {
	kill "$router_pid" 2>/dev/null || true
	wait "$router_pid" 2>/dev/null || true
	pkill -f 'lc_router.exe' 2>/dev/null || true
	sleep 1
}
stop() {
	pkill -INT -f 'gst-launch-1.0.*udpsink host=127.0.0.1' 2>/dev/null || true
	/usr/lib/wine/wineserver -k 2>/dev/null || true
}
trap stop EXIT

sox -n -r 48000 -c 2 -b 16 "$work/click.wav" synth 0.01 sine 1000 gain -6 pad 0.3 0.7
# shellcheck source=tests/bench/click.sh
source "$repo/tests/bench/click.sh"
click_at_us=300000 # the pad before the click

cli set cables=2 logging=0 >/dev/null

# --- player -> wire, at the default 20 ms target and at 5 ms
wire_latency() { # TARGET_MS -> prints the median, the samples on stderr
	no_routes
	cli route add --cable 1 --to rtp://127.0.0.1:5030 --latency "$1" >/dev/null
	start_router
	sleep 6
	local delays=()
	for _ in 1 2 3 4 5; do
		python3 "$repo/tests/bench/rtp_click.py" 5030 6 >"$work/click.out" 2>/dev/null &
		local listener=$!
		sleep 0.5
		"${client_env[@]}" "$wine" "$programs/lc_play.exe" --device "LoopCable 1" \
			--signal "wav:$work/click.wav" >"$work/play.out" 2>&1
		wait "$listener" || true
		local first onset
		first=$(tr -d '\r' <"$work/play.out" | sed -n 's/^first_write_us=\([0-9]*\).*/\1/p')
		onset=$(sed -n 's/^onset_us=\([0-9]*\)/\1/p' "$work/click.out")
		if [ -n "$first" ] && [ -n "$onset" ]; then
			delays+=("$(echo "scale=2; ($onset - $first - $click_at_us) / 1000" | bc)")
		fi
	done
	cli routes | grep -E '^ +fill' | sed 's/^ */  route: /' >&2 || true
	end_router
	echo "  samples: ${delays[*]}" >&2
	printf '%s\n' "${delays[@]}" | grep . | median
}
wire5=$(wire_latency 5)
echo "latency: player -> wire through a send route (ptime 1 ms, 5 ms target): ${wire5} ms"
wire=$(wire_latency 20)
echo "latency: player -> wire through a send route (ptime 1 ms, 20 ms target): ${wire} ms"
start_router

# --- round trip through a send and a receive route, against the cable alone
base=$(round_trip "LoopCable 2" "LoopCable 2")
cli route add --cable 2 --from rtp://127.0.0.1:5030 >/dev/null
sleep 6
both=$(round_trip "LoopCable 1" "LoopCable 2")
end_router
echo "latency: click round trip through the cable alone ${base} ms (baseline); LoopCable 1 ->"
echo "  send route -> RTP -> receive route -> LoopCable 2 (20 ms targets) ${both} ms:" \
	"added $(echo "$both - $base" | bc) ms, of which player -> wire ${wire} ms"

# --- CPU
router_cpu() { # WHAT SECONDS
	sleep 6
	local pid ticks0 ticks1 t0 t1
	pid=$(pgrep -f 'lc_router.exe' | head -1)
	ticks0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	t0=$(date +%s.%N)
	sleep "$2"
	ticks1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
	t1=$(date +%s.%N)
	echo "cpu: $1: router $(echo "scale=2; 100 * ($ticks1 - $ticks0) / \
$(getconf CLK_TCK) / ($t1 - $t0)" | bc) % of one core"
	cli routes | grep -E '^ +(running|packets|sent)' | sed 's/^ */  /' || true
}
no_routes
start_router
router_cpu "no route (baseline)" 20
end_router

cli route add --cable 1 --to rtp://127.0.0.1:5032 >/dev/null
"${client_env[@]}" "$wine" "$programs/lc_play.exe" --device "LoopCable 1" --seconds 45 \
	--signal "sine:1000:-12" >/dev/null 2>&1 &
player=$!
start_router
router_cpu "one send route (48 kHz stereo L24, 1 ms packets), a player" 20
end_router
kill "$player" 2>/dev/null || true
wait "$player" 2>/dev/null || true

no_routes
cli route add --cable 2 --from rtp://127.0.0.1:5034 >/dev/null
timeout -s INT 45 gst-launch-1.0 -q audiotestsrc is-live=true samplesperbuffer=48 freq=1000 \
	volume=0.5 ! audio/x-raw,rate=48000,channels=2 ! audioconvert ! rtpL24pay pt=96 \
	min-ptime=1000000 max-ptime=1000000 ! udpsink host=127.0.0.1 port=5034 >/dev/null 2>&1 &
start_router
router_cpu "one receive route (GStreamer sending 48 kHz stereo L24, 1 ms packets)" 20
end_router
no_routes
