#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# build.sh TREE… — configure (once) and build LoopCable's build directories.
# Trees: native (clang + ASan/UBSan, fuzzers), tsan (clang + ThreadSanitizer),
# win64 (x86_64-w64-mingw32), win32 (i686-w64-mingw32), bench (optimized, native,
# no sanitizers), setup (the win64 and win32 trees, then the installer
# build/setup/LoopCable-<version>-setup.exe, docs/installer.md).  Expects
# packaging/bootstrap.sh to have run.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
LC_CACHE=${LOOPCABLE_CACHE:-/var/cache/loopcable}

# setup DIR [meson setup args…]: configure once; set up again when the arguments
# change (a dependency recipe changed, so its cache path did; another compiler).
setup() {
	local dir=$1; shift
	local stamp="$dir/.lc-setup-args"
	local wanted="CC=${CC:-} $*"
	if [ -f "$dir/build.ninja" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
		return
	fi
	# A fresh tree, not --reconfigure: that keeps the compiler the tree was first
	# set up with, whatever CC says now.  The Wine prefix inside is kept.
	if [ -d "$dir/wineprefix" ]; then
		mv "$dir/wineprefix" "$dir.wineprefix.keep"
	fi
	rm -rf "$dir"
	meson setup "$dir" "$@" >/dev/null
	if [ -d "$dir.wineprefix.keep" ]; then
		mv "$dir.wineprefix.keep" "$dir/wineprefix"
	fi
	printf '%s' "$wanted" > "$stamp"
}

cross_setup() {
	local dir=$1 arch=$2
	local pc_file="$LC_CACHE/pkg-config-path.$arch"
	[ -f "$pc_file" ] || { echo "build.sh: $pc_file missing: run packaging/bootstrap.sh" >&2; exit 1; }
	setup "$dir" --cross-file "packaging/cross/$arch-w64-mingw32.ini" -Dwerror=true \
		-Dpkg_config_path="$(cat "$pc_file")"
}

# The setup: made in the win64 tree (packaging/meson.build, target `setup`) from its
# programs and the win32 tree's driver, then copied to build/setup/.
build_setup() {
	bash "$repo/packaging/build.sh" win64
	local version
	version=$(meson introspect --projectinfo build/win64 \
		| python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')
	echo "[build] build/setup"
	if ! ninja -C build/win64 setup > build/win64/ninja-setup.log 2>&1; then
		tail -n 60 build/win64/ninja-setup.log
		echo "build.sh: building the setup failed (full log: build/win64/ninja-setup.log)" >&2
		exit 1
	fi
	mkdir -p build/setup
	cp "build/win64/packaging/LoopCable-$version-setup.exe" build/setup/
	echo "[build] build/setup/LoopCable-$version-setup.exe" \
		"($(stat -c %s "build/setup/LoopCable-$version-setup.exe") bytes)"
}

for tree in "$@"; do
	dir=build/$tree
	if [ "$tree" = setup ]; then
		build_setup
		continue
	fi
	case $tree in
	# clang for the native trees: libFuzzer, and sanitizers that run under Criterion.
	native) CC=clang setup "$dir" -Dwerror=true -Db_sanitize=address,undefined \
			-Db_lundef=false -Dfuzzers=enabled ;;
	tsan) CC=clang setup "$dir" -Dwerror=true -Db_sanitize=thread -Db_lundef=false \
			-Dfuzzers=disabled ;;
	bench) CC=gcc setup "$dir" -Dbuildtype=release -Db_ndebug=true -Dfuzzers=disabled ;;
	# The win64 tree's setup takes the win32 tree's driver (packaging/meson.build), and
	# meson 1.0 builds what tests depend on by default: the win32 tree comes first.
	win64)
		bash "$repo/packaging/build.sh" win32
		cross_setup "$dir" x86_64 ;;
	win32) cross_setup "$dir" i686 ;;
	*) echo "build.sh: unknown tree '$tree'" >&2; exit 2 ;;
	esac
	# One build at a time: the machine has two cores.
	echo "[build] $dir"
	if ! ninja -C "$dir" > "$dir/ninja.log" 2>&1; then
		tail -n 60 "$dir/ninja.log"
		echo "build.sh: building $dir failed (full log: $dir/ninja.log)" >&2
		exit 1
	fi
done
