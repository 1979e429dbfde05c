#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tests/bench.sh — LoopCable's figures, each a ratio against a baseline measured in the
# same run (this machine is shared and noisy: absolute times mean little).
#
#   core (native, optimized build):  bench_conv  s16<->float vs memcpy and libsamplerate
#                                    bench_mix   2 writers mixed -> s16 reader, same
#                                    bench_bridge  a forwarding route vs memcpy and
#                                                libsamplerate; drift loop over sim. hours
#   driver (under Wine):             lc_bench latency   added latency through a cable
#                                    lc_bench load      32 players + 32 recorders: CPU
#   router (under Wine + PulseAudio): bench/bench_route.sh  a route's added latency,
#                                    the router's CPU (1 and 8 routes), a long run's
#                                    underruns (LC_BENCH_ROUTE_MINUTES, default 10)
#   network (under Wine, 127.0.0.1):  bench/bench_net.sh  a send route's latency to the
#                                    wire, a send + receive round trip, the router's
#                                    CPU with one send and one receive stream
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
bash packaging/bootstrap.sh >/dev/null
bash packaging/build.sh bench win64 >/dev/null

echo "== core: conversion (build/bench, release)"
build/bench/tests/bench/bench_conv
echo
echo "== core: mixing"
build/bench/tests/bench/bench_mix
echo
echo "== core: forwarding bridge (drift-compensated resampling)"
build/bench/tests/bench/bench_bridge
echo

# A private prefix without the driver log (the tests' prefix enables it).
export WINEPREFIX=$repo/build/bench-prefix WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winealsa.drv,winepulse.drv,wineoss.drv=;winmm=n"
unset DISPLAY
wine=/usr/lib/wine/wine64
if [ ! -f "$WINEPREFIX/.loopcable-ready" ]; then
	"$wine" wineboot -u </dev/null >/dev/null 2>&1
	"$wine" reg add 'HKCU\Software\Wine\Drivers' /v Graphics /d null /f </dev/null >/dev/null 2>&1
	/usr/lib/wine/wineserver -k || true
	touch "$WINEPREFIX/.loopcable-ready"
fi
# A server lingering from a run just before makes this exit 2: that one serves.
/usr/lib/wine/wineserver -p30 </dev/null >/dev/null 2>&1 || true
"$wine" wineboot </dev/null >/dev/null 2>&1
"$wine" reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\Drivers32' /v wave /t REG_SZ \
	/d "$repo/build/win64/driver/loopcable.dll" /f </dev/null >/dev/null 2>&1
bench=build/win64/tests/wine/lc_bench.exe
echo "== driver: added latency (a click from a player to a recorder, same process)"
"$wine" "$bench" latency --rate 48000 | tr -d '\r'
"$wine" "$bench" latency --rate 44100 | tr -d '\r'
echo
echo "== driver: load (one process; CPU as a share of one core = process time / wall time)"
"$wine" "$bench" load --seconds 10 | tr -d '\r'
"$wine" "$bench" load --seconds 10 --callback event | tr -d '\r'
echo
echo "== router: routes to a PulseAudio null sink (tests/bench/bench_route.sh)"
bash tests/bench/bench_route.sh --minutes "${LC_BENCH_ROUTE_MINUTES:-10}"
echo
echo "== router: network routes on 127.0.0.1 (tests/bench/bench_net.sh)"
bash tests/bench/bench_net.sh
