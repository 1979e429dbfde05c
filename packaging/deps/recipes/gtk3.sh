# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# GTK 3 with the Win32 backend only (libgtk-3-0.dll, libgdk-3-0.dll): the
# LoopCable panel's toolkit. Input methods built in (no immodules.cache to
# generate). Its runtime (DLLs, schemas, icons) is put together by
# ../collect-gtk-runtime.sh. Panel only, so x86_64 only.
LC_DEP_SOURCE=gtk+3.0=3.24.38-2~deb12u3
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=(glib libintl cairo pango harfbuzz fribidi gdk-pixbuf libepoxy atk)

lc_dep_build() {
    # glib-compile-resources converts GTK's PNG resources with the build
    # machine's gdk-pixbuf-pixdata (Debian's libgdk-pixbuf2.0-bin).
    # print_backends stays 'auto', which is none on Windows: GTK prints
    # through the Win32 print dialog there (its 'file' backend does not link
    # on Windows).
    lc_meson_build -Ddefault_library=shared \
        -Dx11_backend=false -Dwayland_backend=false -Dbroadway_backend=false \
        -Dwin32_backend=true -Dquartz_backend=false -Dxinerama=no \
        -Dcloudproviders=false -Dprofiler=false -Dtracker3=false \
        -Dcolord=no -Dgtk_doc=false -Dman=false \
        -Dintrospection=false -Ddemos=false -Dexamples=false -Dtests=false \
        -Dinstalled_tests=false -Dbuiltin_immodules=yes
}
