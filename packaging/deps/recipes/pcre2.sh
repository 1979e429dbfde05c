# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# PCRE2, 8-bit code units only (libpcre2-8-0.dll): GLib's GRegex. GTK 3
# runtime.
# bookworm-security's 10.42-1+deb12u2 lacks its .diff.gz on the archive
# mirror; 10.42-1 is complete.
LC_DEP_SOURCE=pcre2=10.42-1
LC_DEP_ARCHES=(x86_64)
LC_DEP_DEPENDS=()

lc_dep_build() {
    ./configure --host="$LC_HOST" --prefix="$LC_PREFIX" \
        --enable-shared --disable-static \
        --enable-pcre2-8 --disable-pcre2-16 --disable-pcre2-32 --enable-unicode \
        --disable-pcre2grep-libz --disable-pcre2grep-libbz2 CFLAGS=-O2
    # The library alone: pcre2grep and pcre2test are not needed.
    make -j"$LC_JOBS" libpcre2-8.la libpcre2-posix.la
    make install-libLTLIBRARIES install-includeHEADERS \
        install-nodist_includeHEADERS install-pkgconfigDATA
}
