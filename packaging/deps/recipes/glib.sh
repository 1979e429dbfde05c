# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# GLib, GObject, GIO (libglib-2.0-0.dll …): the base of the GTK 3 stack.
# The build machine's GLib tools (glib-compile-resources, glib-mkenums, …
# from Debian's libglib2.0-dev-bin, 2.74.6 as here) serve every recipe above
# this one (lc_meson_cross). GTK 3 runtime.
LC_DEP_SOURCE=glib2.0=2.74.6-2+deb12u9
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=(zlib libffi pcre2 libintl)

lc_dep_build() {
    lc_meson_build -Ddefault_library=shared \
        -Dtests=false -Dinstalled_tests=false -Dman=false -Dgtk_doc=false \
        -Dnls=disabled -Dsysprof=disabled -Dlibelf=disabled -Dselinux=disabled \
        -Dlibmount=disabled -Dxattr=false -Ddtrace=false -Dsystemtap=false
}
