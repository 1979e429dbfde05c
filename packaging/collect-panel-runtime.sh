#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# collect-panel-runtime.sh DEST PANEL.exe STAMP [PROGRAM.exe…] — the panel and its GTK
# runtime in DEST (bin/, share/), as packaging/deps/collect-gtk-runtime.sh lays it out,
# with the programs the panel starts (the router) beside it in bin/; then touches STAMP
# (meson's record that it ran).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dest=$1 exe=$2 stamp=$3
shift 3
bash "$here/deps/collect-gtk-runtime.sh" --exe "$exe" "$dest" >/dev/null
for program in "$@"; do
	cp "$program" "$dest/bin/"
done
touch "$stamp"
