# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# zlib, as zlib1.dll (the name every Windows zlib DLL has): used by GLib's
# GIO, libpng, freetype and cairo. Part of the panel's GTK 3 runtime only.
LC_DEP_SOURCE=zlib=1:1.2.13.dfsg-1
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=()

lc_dep_build() {
    # zlib's configure refuses mingw ("Please use win32/Makefile.gcc"), and
    # Debian's dfsg tarball has no win32/ dir, which its CMake build needs
    # too (win32/zlib1.rc). The library is 15 C files: compile them into the
    # DLL here. With no .def file and no dllexport, ld exports every global
    # symbol, the ZEXTERN API among them.
    local src=(adler32 compress crc32 deflate gzclose gzlib gzread gzwrite
        infback inffast inflate inftrees trees uncompr zutil)
    "$LC_HOST-gcc" -O2 -shared -o zlib1.dll "${src[@]/%/.c}" \
        -Wl,--out-implib,libz.dll.a
    install -D -m 644 zlib1.dll "$LC_PREFIX/bin/zlib1.dll"
    install -D -m 644 libz.dll.a "$LC_PREFIX/lib/libz.dll.a"
    install -D -m 644 -t "$LC_PREFIX/include" zlib.h zconf.h
    # The .pc that configure would have written.
    mkdir -p "$LC_PREFIX/lib/pkgconfig"
    # shellcheck disable=SC2016 # literal .pc variables
    sed -e "s|@prefix@|$LC_PREFIX|" -e 's|@exec_prefix@|${prefix}|' \
        -e 's|@libdir@|${exec_prefix}/lib|' -e 's|@sharedlibdir@|${libdir}|' \
        -e 's|@includedir@|${prefix}/include|' \
        -e "s|@VERSION@|$(sed -n 's/^#define ZLIB_VERSION "\(.*\)"/\1/p' zlib.h)|" \
        zlib.pc.in >"$LC_PREFIX/lib/pkgconfig/zlib.pc"
}
