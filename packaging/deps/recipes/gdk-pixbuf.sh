# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# gdk-pixbuf (libgdk_pixbuf-2.0-0.dll): image loading for GTK (icons).
# Every loader built into the DLL (builtin_loaders=all): no loader modules,
# so no loaders.cache to generate (that would mean running
# gdk-pixbuf-query-loaders.exe under Wine). No JPEG or TIFF (no recipes for
# their libraries; GTK's icons are PNG). GTK 3 runtime.
LC_DEP_SOURCE=gdk-pixbuf=2.42.10+dfsg-1+deb12u4
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=(glib libpng)

lc_dep_build() {
    lc_meson_build -Ddefault_library=shared \
        -Dpng=enabled -Djpeg=disabled -Dtiff=disabled -Dbuiltin_loaders=all \
        -Dgtk_doc=false -Ddocs=false -Dintrospection=disabled -Dman=false \
        -Dtests=false -Dinstalled_tests=false -Drelocatable=true
}
