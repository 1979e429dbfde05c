# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# HarfBuzz (libharfbuzz-0.dll): text shaping for pango. C++, linked with
# static libstdc++/libgcc (lc_meson_cross), so no toolchain DLLs ship.
# GTK 3 runtime.
LC_DEP_SOURCE=harfbuzz=6.0.0+dfsg-3
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=(glib freetype)

lc_dep_build() {
    # cairo off: it is only for the hb-view utility, and cairo's own
    # dependencies would make a cycle through freetype.
    lc_meson_build -Ddefault_library=shared \
        -Dglib=enabled -Dfreetype=enabled -Dgobject=disabled -Dcairo=disabled \
        -Dchafa=disabled -Dicu=disabled -Dgraphite=disabled -Dgraphite2=disabled \
        -Dgdi=disabled -Ddirectwrite=disabled -Dintrospection=disabled \
        -Dtests=disabled -Ddocs=disabled -Dbenchmark=disabled
}
