#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Puts together the runtime of a 64-bit GTK 3 program built against the
# dependency prefixes of build.sh, as one relocatable folder that an
# installer ships as it is:
#
#   DEST/bin/            the programs given with --exe, and every DLL they
#                        import, followed recursively (objdump -p) through the
#                        prefixes of `build.sh x86_64 gtk3` and the mingw-w64
#                        toolchain, stopping at Windows' own DLLs; GLib's
#                        gspawn helpers. DLLs and programs are stripped.
#   DEST/share/glib-2.0/schemas/   every installed GSettings schema (GTK's
#                        file chooser, colour chooser … abort without theirs),
#                        compiled by the build machine's glib-compile-schemas.
#   DEST/share/icons/    Adwaita's index.theme and its symbolic icons as
#                        pre-rendered .symbolic.png at 16, 24 and 32 px (100 %
#                        and 200 % scale; no SVG loader ships), from Debian's
#                        adwaita-icon-theme; hicolor's index.theme (the
#                        fallback theme GTK looks for).
#
# GTK finds share/ relative to the directory of its DLL (bin/..), so the
# folder works wherever it is copied. gdk-pixbuf is built with all of its
# loaders inside its DLL (recipes/gdk-pixbuf.sh), so no loaders.cache is
# needed; input methods are built into GTK likewise.
#
# usage: collect-gtk-runtime.sh [--exe PROGRAM.exe]... DEST
#   No --exe: the DLLs that libgtk-3-0.dll needs (the runtime alone).
#   DEST is created; existing files in it are overwritten, others left.
# env: LC_CACHE as for build.sh. The GTK prefixes must be built already
#      (build.sh x86_64), or this builds them (which needs root).
set -euo pipefail

script=$(readlink -f "${BASH_SOURCE[0]}")
here=${script%/*}
host=x86_64-w64-mingw32
# Windows' own DLLs: whatever Wine's 64-bit PE directory has (Debian's
# wine64), plus the API-set names, which are no files on Windows either. A
# DLL that the prefixes or the toolchain have is shipped even if Wine has
# one of that name.
wine_pe=/usr/lib/x86_64-linux-gnu/wine/x86_64-windows
adwaita=/usr/share/icons/Adwaita
hicolor=/usr/share/icons/hicolor

die() {
    echo "collect-gtk-runtime.sh: $*" >&2
    exit 1
}
usage() {
    echo "usage: collect-gtk-runtime.sh [--exe PROGRAM.exe]... DEST" >&2
    exit 2
}

exes=()
while (($#)); do
    case $1 in
    --exe)
        (($# >= 2)) || usage
        [[ -f $2 ]] || die "no such program: $2"
        exes+=("$(readlink -f "$2")")
        shift 2
        ;;
    -*) usage ;;
    *) break ;;
    esac
done
(($# == 1)) || usage
dest=$(realpath -m "$1")

for tool in "$host-objdump" "$host-strip" glib-compile-schemas; do
    command -v "$tool" >/dev/null || die "$tool not found"
done
[[ -d $wine_pe ]] || die "$wine_pe not found (apt-get install wine64): it tells Windows' DLLs apart"
[[ -f $adwaita/index.theme ]] || die "$adwaita not found (apt-get install adwaita-icon-theme)"

# The prefixes of gtk3 and of everything below it, from build.sh (cached:
# instant), and the toolchain's runtime DLLs (libstdc++, libgcc,
# winpthread), in case a library needs them.
# Its progress lines are shown only when it fails.
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT
pc_path=$("$here/build.sh" x86_64 gtk3 2>"$build_log") || {
    cat "$build_log" >&2
    die "build.sh x86_64 gtk3 failed"
}
IFS=: read -ra pc_dirs <<<"$pc_path"
search=()
for d in "${pc_dirs[@]}"; do
    search+=("${d%/lib/pkgconfig}/bin")
done
gcc_dir=$(dirname "$("$host-gcc" -print-libgcc-file-name)")
search+=("$gcc_dir" "/usr/$host/lib")

# The lower-cased names of Windows' DLLs (all files: some are .drv, like
# winspool.drv, which GTK imports).
declare -A system_dll=()
while IFS= read -r f; do
    system_dll[${f,,}]=1
done < <(find "$wine_pe" -maxdepth 1 -type f -printf '%f\n')

# Path of the DLL named $1 in the search dirs (case-insensitively), or
# nothing.
find_dll() {
    local d f
    for d in "${search[@]}"; do
        f=$(find "$d" -maxdepth 1 -iname "$1" -print -quit 2>/dev/null)
        if [[ -n $f ]]; then
            echo "$f"
            return
        fi
    done
}

imports_of() {
    "$host-objdump" -p "$1" | sed -n 's/^\s*DLL Name: //p'
}

mkdir -p "$dest/bin"
declare -A seen=()
todo=("${exes[@]}")
if ((${#exes[@]} == 0)); then
    gtk_dll=$(find_dll libgtk-3-0.dll)
    [[ -n $gtk_dll ]] || die "libgtk-3-0.dll not found in the gtk3 prefixes"
    todo=("$gtk_dll")
    seen[libgtk-3-0.dll]=1
fi
# GLib's g_spawn* on Windows starts its programs through these helpers.
for f in gspawn-win64-helper.exe gspawn-win64-helper-console.exe; do
    p=$(find_dll "$f")
    [[ -n $p ]] || die "$f not found in the glib prefix"
    todo+=("$p")
done
for f in "${exes[@]}"; do
    seen[${f##*/}]=1
done

missing=()
while ((${#todo[@]})); do
    file=${todo[0]}
    todo=("${todo[@]:1}")
    cp -f "$file" "$dest/bin/"
    # strip writes the time into the PE header; the file's own mtime keeps
    # a collection of the same files byte-identical.
    SOURCE_DATE_EPOCH=$(stat -c %Y "$file") \
        "$host-strip" --strip-unneeded "$dest/bin/${file##*/}"
    while IFS= read -r dll; do
        key=${dll,,}
        [[ -z ${seen[$key]:-} ]] || continue
        seen[$key]=1
        # Ours first: Wine's directory also has a few DLLs that Windows
        # does not (zlib1.dll).
        p=$(find_dll "$dll")
        if [[ -n $p ]]; then
            todo+=("$p")
        elif [[ -z ${system_dll[$key]:-} && $key != api-ms-win-* && $key != ext-ms-* ]]; then
            missing+=("$dll (imported by ${file##*/})")
        fi
    done < <(imports_of "$file")
done
((${#missing[@]} == 0)) || die "not found: ${missing[*]}"

# gdk-pixbuf loader modules would need a loaders.cache written by running
# gdk-pixbuf-query-loaders.exe; the recipe builds them into the DLL instead.
for d in "${pc_dirs[@]}"; do
    if compgen -G "${d%/pkgconfig}/gdk-pixbuf-2.0/*/loaders/*.dll" >/dev/null; then
        die "gdk-pixbuf has loader modules (${d%/pkgconfig}/gdk-pixbuf-2.0): build them in (builtin_loaders=all)"
    fi
done

# GSettings schemas, compiled for GLib's registry-less lookup in
# share/glib-2.0/schemas (relative to the DLLs).
schemas=$dest/share/glib-2.0/schemas
mkdir -p "$schemas"
for d in "${pc_dirs[@]}"; do
    for f in "${d%/lib/pkgconfig}"/share/glib-2.0/schemas/*.gschema.xml; do
        [[ -e $f ]] && cp -f "$f" "$schemas/"
    done
done
glib-compile-schemas --strict "$schemas"

# Icons: GTK 3 asks for symbolic icons (pan-down-symbolic for menus and
# combo boxes, window-close-symbolic …) from the icon theme, and falls back
# to hicolor. The whole symbolic set is ~0.7 MB at three sizes, so all of
# it ships rather than a guess at which names GTK and the panel use.
mkdir -p "$dest/share/icons/Adwaita" "$dest/share/icons/hicolor"
cp -f "$adwaita/index.theme" "$dest/share/icons/Adwaita/"
cp -f "$hicolor/index.theme" "$dest/share/icons/hicolor/"
(
    cd "$adwaita"
    find 16x16 24x24 32x32 -name '*.symbolic.png' -print0 |
        xargs -0 cp -f --parents -t "$dest/share/icons/Adwaita/"
)

dlls=$(find "$dest/bin" -maxdepth 1 -iname '*.dll' | wc -l)
echo "collect-gtk-runtime.sh: $dest: $dlls DLLs, $(du -sh "$dest" | cut -f1)" >&2
