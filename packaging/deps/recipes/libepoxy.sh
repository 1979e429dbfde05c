# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# libepoxy (libepoxy-0.dll): GL function loading, which GTK 3 requires even
# on Windows (WGL). GTK 3 runtime.
# The archive mirror lacks 1.5.10-1's Debian tarball (and trixie's 1.5.10-2
# .dsc): the upstream tarball alone, SHA256-checked; Debian's packaging
# carries no patch to the library.
LC_DEP_SOURCE=libepoxy=1.5.10-1
LC_DEP_UNPACK=orig
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=()

lc_dep_build() {
    lc_meson_build -Ddefault_library=shared \
        -Ddocs=false -Dtests=false -Dglx=no -Degl=no -Dx11=false
}
