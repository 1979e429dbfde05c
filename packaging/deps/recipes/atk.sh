# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# ATK (libatk-1.0-0.dll), the real one: since 2.46 its source lives in
# at-spi2-core, built here with atk_only (no AT-SPI/D-Bus parts, which
# Windows has no use for). GTK 3 runtime.
# Bookworm's 2.46.0-5 files are all missing from the archive mirror, and
# trixie's .dsc too: trixie's upstream and Debian tarballs, SHA256-checked,
# with Debian's patch series applied (build.sh, LC_DEP_UNPACK).
LC_DEP_SOURCE=at-spi2-core=2.56.2-1+deb13u2
LC_DEP_UNPACK=orig+debian
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=(glib libintl)

lc_dep_build() {
    # libxml2 is looked up even with atk_only, though only the AT-SPI
    # registry uses it: require it only when that is built.
    lc_sed meson.build "s/^libxml_dep = dependency('libxml-2.0', version: libxml_req_version)$/libxml_dep = dependency('libxml-2.0', version: libxml_req_version, required: not get_option('atk_only'))/"
    lc_meson_build -Ddefault_library=shared \
        -Datk_only=true -Dintrospection=disabled -Ddocs=false -Dx11=disabled
}
