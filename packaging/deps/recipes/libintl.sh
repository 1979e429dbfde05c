# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# libintl (libintl-8.dll) from GNU gettext's runtime: GLib cannot be built
# without a gettext API (its last resort, the proxy-libintl subproject, is a
# download), and GLib's gi18n.h makes every library above it include
# <libintl.h>. Debian has no mingw gettext, so this builds only the intl/
# library of Debian's gettext source. No message catalogs are shipped
# (GLib and GTK are built without NLS): every lookup returns its msgid.
# GTK 3 runtime.
LC_DEP_SOURCE=gettext=0.21-12
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=()

lc_dep_build() {
    cd gettext-runtime || return
    # Debian's patches touch configure.ac and intl/Makefile.am, so make
    # regenerates the build files with the build machine's autoconf and
    # automake first (as Debian's own build does).
    # No iconv on Windows here (no libiconv recipe): catalogs would have to
    # be UTF-8 already, which is what GLib asks for anyway.
    ./configure --host="$LC_HOST" --prefix="$LC_PREFIX" \
        --enable-shared --disable-static --enable-threads=windows \
        --disable-java --disable-csharp --disable-libasprintf --disable-c++ \
        --disable-openmp --without-libiconv-prefix am_cv_func_iconv=no \
        CFLAGS=-O2
    make -C intl -j"$LC_JOBS"
    make -C intl install
    # gettext installs no .pc; this one lets users of the libraries whose
    # .pc says -lintl find it (lc_meson_build adds its -L to those).
    mkdir -p "$LC_PREFIX/lib/pkgconfig"
    cat >"$LC_PREFIX/lib/pkgconfig/intl.pc" <<EOF
prefix=$LC_PREFIX
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: intl
Description: GNU gettext runtime library (libintl)
Version: 0.21
Libs: -L\${libdir} -lintl
Cflags: -I\${includedir}
EOF
}
