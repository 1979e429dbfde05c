#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Builds LoopCable's Windows dependencies (static libraries for the driver,
# DLLs for the GTK 3 stack of the panel; .pc files for both) from Debian's
# source packages with mingw-w64, one recipe per library (recipes/<name>.sh;
# README.md says how to write one), into a cache outside the clone. Each
# result lives in $LC_CACHE/deps/ARCH/<name>-<key>, where the key hashes
# everything that shapes it, so an unchanged recipe costs nothing.
# How meson consumes the results is not here: see packaging/cross/.
#
# usage: build.sh [--pkg-config-path-file FILE] x86_64|i686 [RECIPE...]
#   No RECIPE: every recipe built for ARCH (a recipe may limit itself with
#   LC_DEP_ARCHES, as the GTK stack does to x86_64). Dependencies of the named
#   recipes are built too; naming a recipe not built for ARCH is an error.
#   Progress goes to stderr; the PKG_CONFIG path (the lib/pkgconfig dirs of
#   every recipe handled, colon-separated) goes to stdout, or to FILE.
# env: LC_CACHE (default ${LOOPCABLE_CACHE:-/var/cache/loopcable}),
#      LC_JOBS (make -j, default nproc), LC_KEEP_WORK=1 keeps a failed
#      build's work tree for inspection.
set -euo pipefail

script=$(readlink -f "${BASH_SOURCE[0]}")
recipes_dir=${script%/*}/recipes
LC_CACHE=${LC_CACHE:-${LOOPCABLE_CACHE:-/var/cache/loopcable}}
LC_JOBS=${LC_JOBS:-$(nproc)}

die() {
    echo "build.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: build.sh [--pkg-config-path-file FILE] x86_64|i686 [RECIPE...]" >&2
    exit 2
}

pc_path_file=
args=()
while (($#)); do
    case $1 in
    --pkg-config-path-file)
        (($# >= 2)) || usage
        pc_path_file=$2
        shift 2
        ;;
    -*) usage ;;
    *)
        args+=("$1")
        shift
        ;;
    esac
done
((${#args[@]} >= 1)) || usage
arch=${args[0]}
case $arch in
x86_64 | i686) ;;
*) usage ;;
esac
host=$arch-w64-mingw32
requested=("${args[@]:1}")

# The toolchain is part of every key. gcc's own version line ("12-win32")
# names the thread model chosen by update-alternatives but not Debian's
# rebuilds, so the dpkg versions of the compiler and of the mingw-w64
# headers/CRT go in as well.
cc=$(command -v "$host-gcc") || die "$host-gcc not found (apt-get install gcc-mingw-w64-${arch//_/-})"
cc_pkg=$(dpkg -S "$(readlink -f "$cc")" | cut -d: -f1)
toolchain_id="$("$cc" --version | sed -n 1p)
$(dpkg-query -W -f='${Package} ${Version}\n' "$cc_pkg" mingw-w64-common "mingw-w64-${arch//_/-}-dev")"

# Prints the recipe's LC_DEP_SOURCE, its LC_DEP_UNPACK, its LC_DEP_ARCHES
# on one line (empty: every arch), then its LC_DEP_DEPENDS one a line.
# Sourced in a subshell so that no recipe's variables or functions leak into
# this script or into another recipe.
recipe_info() {
    (
        LC_DEP_SOURCE=
        LC_DEP_UNPACK=dsc
        LC_DEP_ARCHES=()
        LC_DEP_DEPENDS=()
        # shellcheck source=/dev/null
        source "$1"
        [[ -n $LC_DEP_SOURCE ]] || die "$1: LC_DEP_SOURCE is not set"
        declare -F lc_dep_build >/dev/null || die "$1: lc_dep_build is not defined"
        case $LC_DEP_UNPACK in
        dsc | orig | orig+debian) ;;
        *) die "$1: LC_DEP_UNPACK must be dsc, orig or orig+debian" ;;
        esac
        printf '%s\n' "$LC_DEP_SOURCE" "$LC_DEP_UNPACK" "${LC_DEP_ARCHES[*]}" "${LC_DEP_DEPENDS[@]}"
    )
}

declare -A source_of=() unpack_of=() arches_of=() deps_of=() visit_state=()
# Reads a recipe's variables into source_of, arches_of and deps_of, once.
load_recipe() {
    local name=$1 info
    local -a lines
    [[ -z ${source_of[$name]:-} ]] || return 0
    [[ $name =~ ^[a-z0-9][a-z0-9.+_-]*$ ]] || die "bad recipe name '$name'"
    [[ -f $recipes_dir/$name.sh ]] || die "no recipe '$name' in $recipes_dir"
    info=$(recipe_info "$recipes_dir/$name.sh")
    mapfile -t lines <<<"$info"
    source_of[$name]=${lines[0]}
    unpack_of[$name]=${lines[1]}
    arches_of[$name]=${lines[2]:-}
    deps_of[$name]=${lines[*]:3}
}

# True when recipe $1 is built for $arch.
for_this_arch() {
    [[ -z ${arches_of[$1]} || " ${arches_of[$1]} " == *" $arch "* ]]
}

if ((${#requested[@]} == 0)); then
    skipped=()
    for f in "$recipes_dir"/*.sh; do
        f=${f##*/}
        load_recipe "${f%.sh}"
        if for_this_arch "${f%.sh}"; then
            requested+=("${f%.sh}")
        else
            skipped+=("${f%.sh}")
        fi
    done
    ((${#skipped[@]} == 0)) || echo "$arch: not built for $arch (LC_DEP_ARCHES): ${skipped[*]}" >&2
fi

# Depth-first walk: appends each recipe to `order` after its dependencies.
order=()
visit() {
    local name=$1 needed_by=${2:-} dep
    local -a deps
    case ${visit_state[$name]:-} in
    visited) return ;;
    on_path) die "dependency cycle through recipe '$name'" ;;
    esac
    load_recipe "$name"
    for_this_arch "$name" ||
        die "recipe '$name'${needed_by:+ (needed by $needed_by)} is not built for $arch (LC_DEP_ARCHES: ${arches_of[$name]})"
    visit_state[$name]=on_path
    read -ra deps <<<"${deps_of[$name]}"
    for dep in "${deps[@]}"; do
        visit "$dep" "$name"
    done
    visit_state[$name]=visited
    order+=("$name")
}
for name in "${requested[@]}"; do
    visit "$name"
done

# A dependency's key is part of its dependents' keys, so rebuilding glib
# rebuilds everything above it.
declare -A key=()
for name in "${order[@]}"; do
    read -ra deps <<<"${deps_of[$name]}"
    key[$name]=$(
        {
            cat "$recipes_dir/$name.sh" "$script"
            printf '%s\n' "$toolchain_id"
            for dep in "${deps[@]}"; do
                printf '%s %s\n' "$dep" "${key[$dep]}"
            done
        } | sha256sum | cut -c1-16
    )
done

prefix_of() {
    echo "$LC_CACHE/deps/$arch/$1-${key[$1]}"
}

# Prints the colon-separated prefixes of the given recipes and of everything
# they depend on, dependencies after their dependents.
prefixes_of() {
    local -A seen=()
    local -a dirs=()
    local name
    local -a todo=("$@") more
    while ((${#todo[@]})); do
        name=${todo[0]}
        todo=("${todo[@]:1}")
        [[ -z ${seen[$name]:-} ]] || continue
        seen[$name]=1
        dirs+=("$(prefix_of "$name")")
        read -ra more <<<"${deps_of[$name]}"
        todo+=("${more[@]}")
    done
    local IFS=:
    echo "${dirs[*]}"
}

# Prints the colon-separated lib/pkgconfig dirs of the given recipes and of
# everything they depend on (a .pc's Requires needs the whole closure).
pc_path_of() {
    local prefixes
    local -a dirs
    prefixes=$(prefixes_of "$@")
    IFS=: read -ra dirs <<<"$prefixes"
    ((${#dirs[@]})) || return 0
    dirs=("${dirs[@]/%//lib/pkgconfig}")
    local IFS=:
    echo "${dirs[*]}"
}

# apt-get source needs deb-src entries: the same archives, suites, components
# and key as the binary ones. Rewritten (and the lists refreshed) only when
# they differ or no Sources list was ever fetched.
ensure_deb_src() {
    local file=/etc/apt/sources.list.d/loopcable-src.sources want
    local uri
    uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources | head -n1)
    want="# Written by LoopCable's packaging/deps/build.sh: Debian source packages
# of the Windows dependencies (apt-get source). Mirrors debian.sources.
$(sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources)

# trixie, for the few sources whose bookworm files are missing from the
# archive (pixman, libepoxy, at-spi2-core). Every recipe pins its version,
# so a name never moves to this suite unless its recipe says so.
Types: deb-src
URIs: $uri
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
    if [[ ! -f $file || $(<"$file") != "$want" ]] ||
        ! compgen -G '/var/lib/apt/lists/*_Sources*' >/dev/null; then
        printf '%s\n' "$want" >"$file"
        apt-get update -qq
    fi
}

# Makes the source tree of recipe $1 in the current (empty) dir.
# LC_DEP_UNPACK=dsc: `apt-get source` (dpkg-source -x: Debian's patches
# applied). The archive mirror lacks a few files of some source packages
# (docs/wine.md); for those a recipe says what to unpack instead, from the
# files that are there, each checked against the SHA256 of apt's Sources
# index by apt-helper: `orig`, the upstream tarball(s) alone; `orig+debian`,
# plus the Debian tarball and its debian/patches/series applied in order.
# Runs left of `||` (no errexit), hence the explicit returns.
fetch_source() {
    local name=$1 uri file _size hash dir comp patch opt
    local -a files=()
    if [[ ${unpack_of[$name]} == dsc ]]; then
        apt-get source "${source_of[$name]}"
        return
    fi
    while read -r uri file _size hash; do
        case $file in
        *.orig.tar.* | *.orig-*.tar.*) ;;
        *.debian.tar.*) [[ ${unpack_of[$name]} == orig+debian ]] || continue ;;
        *) continue ;;
        esac
        /usr/lib/apt/apt-helper download-file "${uri//\'/}" "$PWD/$file" "$hash" || return 1
        files+=("$file")
    done < <(apt-get source --print-uris "${source_of[$name]}" | grep "^'")
    # Named as dpkg-source names it: <source>-<upstream version>.
    file=$(printf '%s\n' "${files[@]}" | grep '\.orig\.tar\.') ||
        die "$name: no .orig tarball for ${source_of[$name]}"
    dir=${file%%.orig.tar.*}
    dir=${dir/_/-}
    mkdir "$dir" || return 1
    tar -xf "$file" -C "$dir" --strip-components=1 || return 1
    for file in "${files[@]}"; do
        case $file in
        *.orig-*.tar.*)
            comp=${file##*.orig-}
            comp=${comp%%.tar.*}
            mkdir -p "$dir/$comp"
            tar -xf "$file" -C "$dir/$comp" --strip-components=1 || return 1
            ;;
        *.debian.tar.*)
            tar -xf "$file" -C "$dir" || return 1
            [[ -f $dir/debian/patches/series ]] || continue
            while read -r patch opt; do
                [[ -n $patch && $patch != \#* ]] || continue
                echo "applying debian/patches/$patch"
                patch -d "$dir" "${opt:--p1}" --no-backup-if-mismatch -s <"$dir/debian/patches/$patch" || return 1
            done <"$dir/debian/patches/series"
            ;;
        esac
    done
    rm -f "${files[@]}"
}

lock_fd=
take_lock() {
    [[ -z $lock_fd ]] || return 0
    mkdir -p "$LC_CACHE"
    exec {lock_fd}>"$LC_CACHE/lock"
    if ! flock -n "$lock_fd"; then
        echo "waiting for another build.sh (lock $LC_CACHE/lock)" >&2
        flock "$lock_fd"
    fi
}

# Offered to recipes (exported into their bash): `sed -i` on one file that
# fails when it changed nothing, so a patch that stopped applying to a new
# upstream version fails the build instead of being silently skipped.
# usage: lc_sed FILE SED-ARGS...
lc_sed() {
    local file=$1 before
    shift
    before=$(sha256sum <"$file")
    sed -i "$@" "$file"
    if [[ $(sha256sum <"$file") == "$before" ]]; then
        echo "lc_sed: 'sed $*' changed nothing in $file" >&2
        return 1
    fi
}
export -f lc_sed

# Offered to recipes: writes a meson cross file for LC_HOST to FILE (default
# lc-cross.ini). Host dependencies are found through pkg-config in the
# prefixes of the recipe's dependencies only (LC_DEP_PREFIXES); their
# include/ and lib/ dirs are also on the compiler's search path, as in a
# single-prefix install, for the checks that use no pkg-config (meson's
# `dependency('intl')` looks for libintl.h and -lintl with the compiler).
# GLib's code generators are the build machine's (Debian's
# libglib2.0-dev-bin, the same GLib release as the glib recipe): no
# exe_wrapper, so nothing is run under Wine during a build.
# usage: lc_meson_cross [FILE]
lc_meson_cross() {
    local file=${1:-lc-cross.ini} cpu_family cpu p tool
    # The recipe's own (still empty) pkgconfig dir is always there: with an
    # empty list meson would leave pkg-config to its default path, the build
    # machine's .pc files (libepoxy would find Linux's gl.pc).
    local inc='' lib='' pcdirs="'$LC_PREFIX/lib/pkgconfig', "
    local -a prefixes
    case $LC_HOST in
    x86_64-*) cpu_family=x86_64 cpu=x86_64 ;;
    i686-*) cpu_family=x86 cpu=i686 ;;
    *) echo "lc_meson_cross: unknown host $LC_HOST" >&2; return 1 ;;
    esac
    IFS=: read -ra prefixes <<<"${LC_DEP_PREFIXES:-}"
    for p in "${prefixes[@]}"; do
        inc+="'-I$p/include', "
        lib+="'-L$p/lib', "
        pcdirs+="'$p/lib/pkgconfig', "
    done
    {
        echo "[binaries]"
        for tool in c:gcc cpp:g++ ar:ar strip:strip windres:windres objdump:objdump; do
            echo "${tool%%:*} = '$LC_HOST-${tool#*:}'"
        done
        # meson < 1.3 reads 'pkgconfig', newer ones 'pkg-config'.
        echo "pkgconfig = 'pkg-config'"
        echo "pkg-config = 'pkg-config'"
        for tool in glib-compile-resources glib-compile-schemas glib-genmarshal glib-mkenums gdbus-codegen; do
            echo "$tool = '/usr/bin/$tool'"
        done
        echo "[host_machine]"
        echo "system = 'windows'"
        echo "cpu_family = '$cpu_family'"
        echo "cpu = '$cpu'"
        echo "endian = 'little'"
        echo "[properties]"
        echo "pkg_config_libdir = [${pcdirs%, }]"
        echo "[built-in options]"
        echo "c_args = [${inc%, }]"
        echo "cpp_args = [${inc%, }]"
        # No toolchain DLLs to ship: gcc links DLLs against libgcc_s's DLL
        # when they need one of its helpers (__emutls_get_address for
        # pixman's TLS, __popcountdi2 …), and C++ ones (harfbuzz, pango's
        # DirectWrite part) against libstdc++'s.
        echo "c_link_args = [${lib}'-static-libgcc']"
        echo "cpp_link_args = [${lib}'-static-libgcc', '-static-libstdc++']"
    } >"$file"
}
export -f lc_meson_cross

# Offered to recipes: configures (lc_meson_cross; prefix LC_PREFIX, libdir
# lib, -O2 without debug info, no subproject fallbacks), builds with LC_JOBS
# jobs and installs the meson project in the current dir, in lc-build/.
# Extra arguments go to `meson setup`. The build machine's pkg-config
# environment is cleared for meson, so that `native: true` dependencies are
# not looked up in the Windows prefixes.
# Then the .pc files it installed are made to work outside the cross
# file's one-prefix view: meson finds libintl with the compiler alone
# (`dependency('intl')`) and writes a bare -lintl into them, which a user
# of the .pc (cairo's libtool, the panel) cannot resolve, libintl being in
# a prefix of its own; its -L (from the libintl recipe's intl.pc) is added.
# usage: lc_meson_build [MESON-SETUP-ARGS...]
lc_meson_build() {
    local pc intl_l
    lc_meson_cross lc-cross.ini
    env -u PKG_CONFIG_PATH -u PKG_CONFIG_LIBDIR \
        meson setup lc-build --cross-file lc-cross.ini --prefix "$LC_PREFIX" \
        --libdir lib -Doptimization=2 -Ddebug=false --wrap-mode nofallback "$@"
    env -u PKG_CONFIG_PATH -u PKG_CONFIG_LIBDIR meson compile -C lc-build -j "$LC_JOBS"
    env -u PKG_CONFIG_PATH -u PKG_CONFIG_LIBDIR meson install -C lc-build
    for pc in "$LC_PREFIX"/lib/pkgconfig/*.pc; do
        if [[ ! -f $pc ]] || ! grep -q -- ' -lintl\b' "$pc"; then
            continue
        fi
        intl_l=$(pkg-config --libs-only-L intl) || {
            echo "lc_meson_build: ${pc##*/} has -lintl, but no intl.pc is among the dependencies" >&2
            return 1
        }
        lc_sed "$pc" "s| -lintl\b| $intl_l -lintl|g"
    done
}
export -f lc_meson_build

work=
cleanup() {
    [[ -z $work || ${LC_KEEP_WORK:-} == 1 ]] || rm -rf "$work"
}
trap cleanup EXIT
# Interrupted: exit, so that the EXIT trap removes the work tree.
trap "exit 130" INT
trap "exit 143" TERM

build_failed() {
    echo "$arch $1: FAILED; last 40 lines of $2:" >&2
    tail -n 40 "$2" >&2
    [[ ${LC_KEEP_WORK:-} != 1 ]] || echo "$arch $1: work tree kept in $work" >&2
    exit 1
}

# Builds one recipe into its prefix; the output of the fetch and of the build
# goes to a log kept in the cache.
build_one() {
    local name=$1 prefix log srcdir deps_pc deps_prefixes start=$SECONDS
    local -a deps
    prefix=$(prefix_of "$name")
    log=$LC_CACHE/logs/$arch/$name-${key[$name]}.log
    work=$LC_CACHE/work/$arch/$name-${key[$name]}
    echo "$arch $name: building (log: $log)" >&2
    # Leftovers of an interrupted run (no .done): start over.
    rm -rf "$prefix" "$work"
    mkdir -p "$prefix" "$work" "${log%/*}"
    (cd "$work" && fetch_source "$name") >"$log" 2>&1 ||
        build_failed "$name" "$log"
    srcdir=$(find "$work" -mindepth 1 -maxdepth 1 -type d)
    read -ra deps <<<"${deps_of[$name]}"
    deps_pc=$(pc_path_of "${deps[@]}")
    deps_prefixes=$(prefixes_of "${deps[@]}")
    # A fresh bash, so the recipe sees none of this script's state but the
    # exported helpers, and runs under its own `set -e` (a subshell's would be off here, on the left
    # of `||`). Variables of the caller's environment that would change the
    # result without changing the key are dropped, and so is the lock: a
    # daemon that a build starts (a wineserver) must not keep it held.
    # shellcheck disable=SC2016 # expanded by that bash
    env -u CC -u CXX -u CFLAGS -u CXXFLAGS -u CPPFLAGS -u LDFLAGS -u LIBS \
        -u MAKEFLAGS -u MFLAGS -u PKG_CONFIG -u PKG_CONFIG_SYSROOT_DIR \
        LC_HOST="$host" LC_PREFIX="$prefix" LC_JOBS="$LC_JOBS" LC_DEP_PREFIXES="$deps_prefixes" \
        PKG_CONFIG_PATH="$deps_pc" PKG_CONFIG_LIBDIR="$deps_pc" \
        bash -c 'set -euo pipefail; source "$1"; cd "$2"; lc_dep_build' \
        lc_dep_build "$recipes_dir/$name.sh" "$srcdir" >>"$log" 2>&1 {lock_fd}>&- ||
        build_failed "$name" "$log"
    # Last, so that an interrupted build is never taken for a finished one.
    printf 'source: %s\nbuilt: %s\n' "${srcdir##*/}" "$(date -u +%FT%TZ)" >"$prefix/.done"
    rm -rf "$work"
    echo "$arch $name: built in $((SECONDS - start)) s ($prefix)" >&2
}

for name in "${order[@]}"; do
    # Checked again under the lock: another build.sh may have just built it.
    if [[ ! -f $(prefix_of "$name")/.done ]]; then
        take_lock
        if [[ ! -f $(prefix_of "$name")/.done ]]; then
            ensure_deb_src
            build_one "$name"
            continue
        fi
    fi
    echo "$arch $name: cached ($(prefix_of "$name"))" >&2
done

pc_path=$(pc_path_of "${order[@]}")
if [[ -n $pc_path_file ]]; then
    printf '%s\n' "$pc_path" >"$pc_path_file"
else
    printf '%s\n' "$pc_path"
fi
