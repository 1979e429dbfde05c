# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# GNU FriBidi (libfribidi-0.dll): bidirectional text for pango and GTK.
# GTK 3 runtime.
LC_DEP_SOURCE=fribidi=1.0.8-2.1
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=()

lc_dep_build() {
    # No option turns off its bin/ and test/ programs; they are small.
    lc_meson_build -Ddefault_library=shared -Ddocs=false
}
