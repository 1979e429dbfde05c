# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# FreeType (libfreetype-6.dll): harfbuzz's font functions and cairo's FT
# font backend. No harfbuzz here (that would be a cycle: harfbuzz needs
# FreeType), no brotli/bzip2 (WOFF2 and .bz2 fonts are not needed).
# GTK 3 runtime.
LC_DEP_SOURCE=freetype=2.12.1+dfsg-5+deb12u4
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=(zlib libpng)

lc_dep_build() {
    lc_meson_build -Ddefault_library=shared \
        -Dbrotli=disabled -Dbzip2=disabled -Dharfbuzz=disabled \
        -Dpng=enabled -Dzlib=system -Dtests=disabled
}
