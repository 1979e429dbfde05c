# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# cairo with its Win32 surface and font backends, FreeType (no fontconfig),
# PNG and cairo-gobject (libcairo-2.dll, libcairo-gobject-2.dll): GTK's
# drawing. Autotools (the 1.16 tarball has no meson build). GTK 3 runtime.
LC_DEP_SOURCE=cairo=1.16.0-7
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=(zlib libpng pixman freetype glib)

lc_dep_build() {
    # Debian's patches edit configure.ac and Makefile.am files (its build
    # runs autoreconf); the shipped configure and Makefile.in files are
    # what this build uses, so mark them up to date, or make would try to
    # regenerate them with automake. The edits are not needed here: the
    # export list (Windows uses cairo's own cairo.def) and the maintainer
    # mode / perf utilities of Debian's build.
    find . \( -name Makefile.in -o -name configure -o -name aclocal.m4 \
        -o -name config.h.in \) -exec touch {} +
    # configure adds -D_FORTIFY_SOURCE=2 to the warning flags it finds
    # accepted; with mingw-w64 that needs libssp's __*_chk functions at link
    # time, which nothing here links.
    # shellcheck disable=SC2016 # a literal shell variable
    lc_sed configure 's/^MAYBE_WARN="$MAYBE_WARN -Wp,-D_FORTIFY_SOURCE=2"$/:/'
    # The tests, boilerplate and perf programs (built whenever PNG is on)
    # and the docs: only the library and util/ (cairo-gobject) are needed.
    # shellcheck disable=SC2016 # a literal make variable
    lc_sed Makefile.in 's/^SUBDIRS = src doc util $(am__append_1)$/SUBDIRS = src util/'
    # zlib (script, PDF, PS surfaces) is looked for with the compiler alone
    # (AC_CHECK_LIB), not with pkg-config. -static-libgcc: cairo needs
    # libgcc's __popcountdi2 and __udivmodti4, which would otherwise come
    # from libgcc_s_seh-1.dll, one more DLL to ship; it goes in CC because
    # cairo's libtool (2.4.6) drops it from LDFLAGS when linking the DLL.
    ./configure --host="$LC_HOST" --prefix="$LC_PREFIX" \
        --enable-shared --disable-static \
        --enable-win32 --enable-win32-font --enable-ft --disable-fc \
        --enable-png --enable-gobject --disable-xlib --disable-xcb \
        --disable-quartz --disable-trace --disable-interpreter \
        --disable-symbol-lookup --disable-valgrind --disable-gtk-doc \
        CC="$LC_HOST-gcc -static-libgcc" CFLAGS=-O2 \
        CPPFLAGS="$(pkg-config --cflags zlib)" LDFLAGS="$(pkg-config --libs-only-L zlib)"
    make -j"$LC_JOBS"
    make install
}
