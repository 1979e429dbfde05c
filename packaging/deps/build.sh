#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Builds LoopCable's Windows dependencies as static libraries (.a + .pc) from
# Debian's source packages with mingw-w64, one recipe per library
# (recipes/<name>.sh; README.md says how to write one), into a cache outside
# the clone. Each result lives in $LC_CACHE/deps/ARCH/<name>-<key>, where the
# key hashes everything that shapes it, so an unchanged recipe costs nothing.
# How meson consumes the results is not here: see packaging/cross/.
#
# usage: build.sh [--pkg-config-path-file FILE] x86_64|i686 [RECIPE...]
#   No RECIPE: every recipe. Dependencies of the named recipes are built too.
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
if ((${#requested[@]} == 0)); then
    for f in "$recipes_dir"/*.sh; do
        f=${f##*/}
        requested+=("${f%.sh}")
    done
fi

# The toolchain is part of every key. gcc's own version line ("12-win32")
# names the thread model chosen by update-alternatives but not Debian's
# rebuilds, so the dpkg versions of the compiler and of the mingw-w64
# headers/CRT go in as well.
cc=$(command -v "$host-gcc") || die "$host-gcc not found (apt-get install gcc-mingw-w64-${arch//_/-})"
cc_pkg=$(dpkg -S "$(readlink -f "$cc")" | cut -d: -f1)
toolchain_id="$("$cc" --version | sed -n 1p)
$(dpkg-query -W -f='${Package} ${Version}\n' "$cc_pkg" mingw-w64-common "mingw-w64-${arch//_/-}-dev")"

# Prints the recipe's LC_DEP_SOURCE, then its LC_DEP_DEPENDS one a line.
# Sourced in a subshell so that no recipe's variables or functions leak into
# this script or into another recipe.
recipe_info() {
    (
        LC_DEP_SOURCE=
        LC_DEP_DEPENDS=()
        # shellcheck source=/dev/null
        source "$1"
        [[ -n $LC_DEP_SOURCE ]] || die "$1: LC_DEP_SOURCE is not set"
        declare -F lc_dep_build >/dev/null || die "$1: lc_dep_build is not defined"
        printf '%s\n' "$LC_DEP_SOURCE" "${LC_DEP_DEPENDS[@]}"
    )
}

# Depth-first walk: appends each recipe to `order` after its dependencies.
declare -A source_of=() deps_of=() visit_state=()
order=()
visit() {
    local name=$1 dep info
    local -a lines deps
    [[ $name =~ ^[a-z0-9][a-z0-9.+_-]*$ ]] || die "bad recipe name '$name'"
    case ${visit_state[$name]:-} in
    visited) return ;;
    on_path) die "dependency cycle through recipe '$name'" ;;
    esac
    [[ -f $recipes_dir/$name.sh ]] || die "no recipe '$name' in $recipes_dir"
    visit_state[$name]=on_path
    info=$(recipe_info "$recipes_dir/$name.sh")
    mapfile -t lines <<<"$info"
    source_of[$name]=${lines[0]}
    deps_of[$name]=${lines[*]:1}
    read -ra deps <<<"${deps_of[$name]}"
    for dep in "${deps[@]}"; do
        visit "$dep"
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

# Prints the colon-separated lib/pkgconfig dirs of the given recipes and of
# everything they depend on (a .pc's Requires needs the whole closure).
pc_path_of() {
    local -A seen=()
    local -a dirs=()
    local name
    local -a todo=("$@") more
    while ((${#todo[@]})); do
        name=${todo[0]}
        todo=("${todo[@]:1}")
        [[ -z ${seen[$name]:-} ]] || continue
        seen[$name]=1
        dirs+=("$(prefix_of "$name")/lib/pkgconfig")
        read -ra more <<<"${deps_of[$name]}"
        todo+=("${more[@]}")
    done
    local IFS=:
    echo "${dirs[*]}"
}

# apt-get source needs deb-src entries: the same archives, suites, components
# and key as the binary ones. Rewritten (and the lists refreshed) only when
# they differ or no Sources list was ever fetched.
ensure_deb_src() {
    local file=/etc/apt/sources.list.d/loopcable-src.sources want
    want="# Written by LoopCable's packaging/deps/build.sh: Debian source packages
# of the Windows dependencies (apt-get source). Mirrors debian.sources.
$(sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources)"
    if [[ ! -f $file || $(<"$file") != "$want" ]] ||
        ! compgen -G '/var/lib/apt/lists/*_Sources*' >/dev/null; then
        printf '%s\n' "$want" >"$file"
        apt-get update -qq
    fi
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
    local name=$1 prefix log srcdir deps_pc start=$SECONDS
    local -a deps
    prefix=$(prefix_of "$name")
    log=$LC_CACHE/logs/$arch/$name-${key[$name]}.log
    work=$LC_CACHE/work/$arch/$name-${key[$name]}
    echo "$arch $name: building (log: $log)" >&2
    # Leftovers of an interrupted run (no .done): start over.
    rm -rf "$prefix" "$work"
    mkdir -p "$prefix" "$work" "${log%/*}"
    (cd "$work" && apt-get source "${source_of[$name]}") >"$log" 2>&1 ||
        build_failed "$name" "$log"
    srcdir=$(find "$work" -mindepth 1 -maxdepth 1 -type d)
    read -ra deps <<<"${deps_of[$name]}"
    deps_pc=$(pc_path_of "${deps[@]}")
    # A fresh bash, so the recipe sees none of this script's state but the
    # exported helpers, and runs under its own `set -e` (a subshell's would be off here, on the left
    # of `||`). Variables of the caller's environment that would change the
    # result without changing the key are dropped, and so is the lock: a
    # daemon that a build starts (a wineserver) must not keep it held.
    # shellcheck disable=SC2016 # expanded by that bash
    env -u CC -u CXX -u CFLAGS -u CXXFLAGS -u CPPFLAGS -u LDFLAGS -u LIBS \
        -u MAKEFLAGS -u MFLAGS -u PKG_CONFIG -u PKG_CONFIG_SYSROOT_DIR \
        LC_HOST="$host" LC_PREFIX="$prefix" LC_JOBS="$LC_JOBS" \
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
