#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# demo.sh — the README's main job: set up this machine, build LoopCable for Windows
# (64- and 32-bit driver), and show the driver working under Wine.
#
# What it shows today: a Windows program loads the built driver through winmm
# (OpenDriver / SendDriverMessage / CloseDriver) and checks every lifecycle answer.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

bash packaging/bootstrap.sh
bash packaging/build.sh win64 win32

export WINEPREFIX=$repo/build/demo-prefix WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winealsa.drv,winepulse.drv,wineoss.drv="
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
# Start the server and Wine's services detached from our output (PLATFORM.md).
"$server" -p30 </dev/null >/dev/null 2>&1
"$wine" wineboot </dev/null >/dev/null 2>&1

echo "[demo] 64-bit driver: build/win64/driver/loopcable.dll"
"$wine" build/win64/tests/wine/drv_smoke.exe "$repo/build/win64/driver/loopcable.dll"
echo "[demo] 32-bit driver: build/win32/driver/loopcable.dll exports:"
i686-w64-mingw32-objdump -p build/win32/driver/loopcable.dll \
	| sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' | sed 1d
echo "[demo] the driver loads and answers the winmm lifecycle; cables come with the wave devices."
