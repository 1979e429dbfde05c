#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bootstrap.sh — make this Debian 12 machine able to build and test LoopCable.
# Used by both README commands (packaging/demo.sh, tests/run.sh); run as root.
# Idempotent and cached: a second run installs and builds nothing.
#
#   1. Debian packages (apt-get), only those missing;
#   2. one attempt at 32-bit Wine (wine32, i386), remembered in the cache;
#   3. the Windows dependencies from Debian's source packages, for x86_64 and i686
#      (packaging/deps/build.sh, cached under $LC_CACHE by a hash of each recipe).
#
# Output: $LC_CACHE/pkg-config-path.{x86_64,i686} (PKG_CONFIG path of the Windows
# dependency builds, for meson's -Dpkg_config_path).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export LC_CACHE=${LOOPCABLE_CACHE:-/var/cache/loopcable}
mkdir -p "$LC_CACHE"

log() { printf '[bootstrap] %s\n' "$*"; }

# Build tools, the Windows cross toolchains, Wine, test and audio tools (PulseAudio: the
# software sound cards the forwarding tests route to, docs/wine.md; GStreamer: the RTP
# peer of the network tests, docs/network.md), the native
# GLib tools and icon themes the GTK stack's build and runtime folder need, and the
# native libraries the core's tests and benchmarks compare against.
packages=(
	build-essential clang libclang-rt-14-dev pkg-config meson ninja-build
	gcc-mingw-w64-x86-64 gcc-mingw-w64-i686 g++-mingw-w64-x86-64 binutils-mingw-w64 mingw-w64-tools
	autoconf automake libtool make dpkg-dev ca-certificates
	wine wine64 xvfb xauth x11-utils imagemagick fonts-dejavu-core sox libsox-fmt-base espeak-ng
	pulseaudio pulseaudio-utils
	gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
	bc nsis python3
	libglib2.0-dev-bin libglib2.0-bin libgdk-pixbuf2.0-bin adwaita-icon-theme hicolor-icon-theme
	libcriterion-dev libspeexdsp-dev libsamplerate0-dev
)

missing_packages() {
	local pkg
	for pkg in "${packages[@]}"; do
		dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' \
			|| printf '%s\n' "$pkg"
	done
}

install_packages() {
	local missing
	mapfile -t missing < <(missing_packages)
	if [ "${#missing[@]}" -eq 0 ]; then
		log "Debian packages: all ${#packages[@]} present"
		return
	fi
	log "Debian packages: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# docs/wine.md: wine32 needs the i386 architecture, and on this archive the i386
# security lists have not matched the amd64 ones.  A failed attempt must not leave
# i386 enabled, or every later apt-get update fails.  One attempt per cache.
try_wine32() {
	local status_file=$LC_CACHE/wine32.status
	if [ -x /usr/lib/wine/wine ]; then
		echo installed > "$status_file"
		log "32-bit Wine: present"
		return
	fi
	if [ -f "$status_file" ]; then
		log "32-bit Wine: absent (installing it failed before: $(cat "$status_file")); 32-bit runtime tests will be reported as skipped"
		return
	fi
	log "32-bit Wine: trying to install wine32 (i386)"
	export DEBIAN_FRONTEND=noninteractive
	dpkg --add-architecture i386
	if apt-get update -q >"$LC_CACHE/wine32.log" 2>&1 \
		&& apt-get install -y -q --no-install-recommends wine32 >>"$LC_CACHE/wine32.log" 2>&1; then
		echo installed > "$status_file"
		log "32-bit Wine: installed"
		return
	fi
	echo "apt-get failed on $(date -u +%F), see $LC_CACHE/wine32.log" > "$status_file"
	dpkg --remove-architecture i386 || true
	apt-get update -q >/dev/null 2>&1 || true
	log "32-bit Wine: could not be installed (see $LC_CACHE/wine32.log); i386 removed again;" \
		"32-bit runtime tests will be reported as skipped"
}

build_windows_deps() {
	local arch
	for arch in x86_64 i686; do
		bash "$repo/packaging/deps/build.sh" "$arch" \
			--pkg-config-path-file "$LC_CACHE/pkg-config-path.$arch"
	done
}

if [ "$(id -u)" -ne 0 ]; then
	echo "bootstrap.sh: run as root (it installs Debian packages)" >&2
	exit 1
fi
install_packages
try_wine32
build_windows_deps
log "done"
