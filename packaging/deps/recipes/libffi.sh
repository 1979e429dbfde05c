# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# libffi (libffi-8.dll): GObject's closures call through it. GTK 3 runtime.
LC_DEP_SOURCE=libffi=3.4.4-1
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=()

lc_dep_build() {
    ./configure --host="$LC_HOST" --prefix="$LC_PREFIX" \
        --enable-shared --disable-static --disable-docs \
        --disable-multi-os-directory CFLAGS=-O2
    make -j"$LC_JOBS"
    make install
}
