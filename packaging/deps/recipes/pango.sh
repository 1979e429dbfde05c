# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# Pango with its Win32 font backend and pangocairo (libpango-1.0-0.dll,
# libpangowin32-1.0-0.dll, libpangocairo-1.0-0.dll): GTK's text layout.
# No fontconfig and so no pangoft2 (optional on Windows; GTK's Win32
# backend does not use it). GTK 3 runtime.
LC_DEP_SOURCE=pango1.0=1.50.12+ds-1
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=(glib harfbuzz fribidi cairo)

lc_dep_build() {
    # The tests and examples are built unconditionally (no option): dozens
    # of programs nobody runs here.
    lc_sed meson.build "/^subdir('\(examples\|tests\)')$/d"
    lc_meson_build -Ddefault_library=shared \
        -Dgtk_doc=false -Dintrospection=disabled -Dinstall-tests=false \
        -Dfontconfig=disabled -Dfreetype=disabled -Dsysprof=disabled \
        -Dlibthai=disabled -Dcairo=enabled -Dxft=disabled
}
