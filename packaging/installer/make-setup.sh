#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# make-setup.sh — builds LoopCable-<version>-setup.exe with makensis (loopcable.nsi).
# Run by meson (packaging/meson.build, target `setup`), normally through
# `packaging/build.sh setup`.
#
#   make-setup.sh --version V --out SETUP.exe --panel loopcable-panel.exe
#                 --driver64 DLL --driver32 DLL --cpl loopcable.cpl
#                 --devnode lc_devnode.exe --router lc_router.exe --cli lc_cli.exe
#
# It lays out what the setup installs in SETUP.exe.stage/ (app/ = the install folder,
# the panel's GTK runtime as packaging/deps/collect-gtk-runtime.sh lays it out, plus
# the driver DLLs of both bitnesses), writes the lists of files to install and to
# remove (files.nsh, unfiles.nsh: the uninstaller removes exactly what the setup put
# there, never a folder's whole contents), and runs makensis with -DVERSION.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

declare -A arg
while [ $# -gt 0 ]; do
	case $1 in
	--version|--out|--panel|--driver64|--driver32|--cpl|--devnode|--router|--cli)
		arg[${1#--}]=$2; shift 2 ;;
	*) echo "make-setup.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
for name in version out panel driver64 driver32 cpl devnode router cli; do
	[ -n "${arg[$name]:-}" ] || { echo "make-setup.sh: --$name is missing" >&2; exit 2; }
done
if [ ! -f "${arg[driver32]}" ]; then
	echo "make-setup.sh: the 32-bit driver ${arg[driver32]} is missing:" \
		"build it first (bash packaging/build.sh win32)" >&2
	exit 1
fi

# VIProductVersion wants four numbers: 0.1.0 → 0.1.0.0.
version=${arg[version]}
IFS=. read -r -a parts <<<"${version%%[-+]*}"
while [ "${#parts[@]}" -lt 4 ]; do parts+=(0); done
version4=$(IFS=.; echo "${parts[*]:0:4}")

out=$(realpath -m "${arg[out]}")
stage=$out.stage
rm -rf "$stage"
mkdir -p "$stage/app" "$stage/x64" "$stage/x86"
bash "$repo/packaging/collect-panel-runtime.sh" "$stage/app" "${arg[panel]}" "$stage/runtime.stamp" \
	"${arg[router]}" "${arg[cli]}" "${arg[devnode]}"
cp "${arg[cpl]}" "$stage/app/bin/loopcable.cpl"
# Windows text: CRLF, so that Notepad on any Windows shows the lines.
sed 's/$/\r/' "$here/licence.txt" > "$stage/app/licence.txt"
sed 's/$/\r/' "$repo/README.md" > "$stage/app/readme.txt"
cp "${arg[driver64]}" "$stage/x64/loopcable.dll"
cp "${arg[driver32]}" "$stage/x86/loopcable.dll"

# files.nsh: SetOutPath + File per folder of app/; unfiles.nsh: Delete per file, then
# RMDir per folder, deepest first (RMDir without /r leaves a folder the user filled).
(
	cd "$stage/app"
	win() { printf '%s' "$1" | tr / '\\'; }
	{
		find . -type d | sort | while read -r dir; do
			rel=${dir#.}; rel=${rel#/}
			printf 'SetOutPath "$INSTDIR%s"\n' "${rel:+\\$(win "$rel")}"
			find "$dir" -maxdepth 1 -type f | sort | while read -r file; do
				printf 'File "%s"\n' "$stage/app/${file#./}"
			done
		done
	} > "$stage/files.nsh"
	{
		find . -type f | sort | while read -r file; do
			printf 'Delete /REBOOTOK "$INSTDIR\\%s"\n' "$(win "${file#./}")"
		done
		find . -mindepth 1 -type d | sort -r | while read -r dir; do
			printf 'RMDir /REBOOTOK "$INSTDIR\\%s"\n' "$(win "${dir#./}")"
		done
	} > "$stage/unfiles.nsh"
)

makensis -V2 -DVERSION="$version" -DVERSION4="$version4" -DSTAGE="$stage" \
	-DOUTFILE="$out" "$here/loopcable.nsi"
echo "make-setup.sh: $out ($(stat -c %s "$out") bytes)"
