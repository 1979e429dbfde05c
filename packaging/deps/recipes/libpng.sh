# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# libpng (libpng16-16.dll): cairo, freetype and gdk-pixbuf's PNG loader
# (GTK's icons). GTK 3 runtime.
# bookworm-security's 1.6.39-2+deb12u6 lacks its Debian tarball on the
# archive mirror; +deb12u5 is complete.
LC_DEP_SOURCE=libpng1.6=1.6.39-2+deb12u5
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=(zlib)

lc_dep_build() {
    # configure looks for zlib with the compiler alone (AC_CHECK_LIB), not
    # with pkg-config.
    ./configure --host="$LC_HOST" --prefix="$LC_PREFIX" \
        --enable-shared --disable-static --disable-tools \
        CFLAGS=-O2 CPPFLAGS="$(pkg-config --cflags zlib)" \
        LDFLAGS="$(pkg-config --libs-only-L zlib)"
    make -j"$LC_JOBS"
    make install
}
