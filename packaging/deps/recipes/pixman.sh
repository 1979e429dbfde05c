# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# pixman (libpixman-1-0.dll): cairo's image compositing. GTK 3 runtime.
# The archive mirror lacks 0.42.2-1's .diff.gz (and trixie's 0.44.0-3's
# .dsc), so this is bookworm's upstream tarball alone (SHA256-checked
# against the Sources index); Debian's diff patches no code that a Windows
# build uses.
LC_DEP_SOURCE=pixman=0.42.2-1
LC_DEP_UNPACK=orig
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=()

lc_dep_build() {
    lc_meson_build -Ddefault_library=shared \
        -Dtests=disabled -Dgtk=disabled -Dlibpng=disabled -Dopenmp=disabled
}
