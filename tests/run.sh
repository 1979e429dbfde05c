#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tests/run.sh — the README's test command: set up (packaging/bootstrap.sh), build
# every build directory and run every test.  Exit status non-zero if any test failed.
#
#   build/native  clang + ASan/UBSan: core unit suites, fuzzers (short runs)
#   build/tsan    clang + ThreadSanitizer: the multi-threaded stress suite
#   build/win64   x86_64 Windows: driver, Windows test programs, Wine integration suites
#   build/win32   i686 Windows: 32-bit driver; runtime suites need 32-bit Wine
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
export LC_CACHE=${LOOPCABLE_CACHE:-/var/cache/loopcable}

bash packaging/bootstrap.sh

bash packaging/build.sh native tsan win64 win32

# Criterion prints [SKIP] lines and reasons only when verbose.
export CRITERION_VERBOSITY_LEVEL=1
failed=0
run() {
	local dir=$1; shift
	echo "[tests] meson test -C $dir $*"
	meson test -C "$dir" --print-errorlogs "$@" || failed=1
}
run build/native --no-suite stress
run build/tsan --suite stress
run build/win64
run build/win32

python3 tests/summary.py build/native build/tsan build/win64 build/win32 || failed=1
exit "$failed"
