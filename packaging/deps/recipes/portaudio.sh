# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# PortAudio 19.6: the sound-card side of cable forwarding, linked statically
# into the driver. Host APIs MME, DirectSound and WASAPI; WDM-KS and ASIO off
# (ASIO needs Steinberg's SDK; kernel streaming past the Windows mixer is not
# needed for forwarding).
# Its CMake build turns WASAPI off under mingw, so this uses autotools (the
# shipped configure; no autoreconf needed) with the edits below.
LC_DEP_SOURCE=portaudio19=19.6.0-1.2
LC_DEP_DEPENDS=()

lc_dep_build() {
    local wasapi=src/hostapi/wasapi/pa_win_wasapi.c

    # Take the branch that includes the toolchain's own WASAPI headers, as MSVC
    # does: mingw-w64 has them all. The other branch works around an old
    # mingw that had none.
    lc_sed "$wasapi" 's/^#if defined(_MSC_VER) && (_MSC_VER >= 1400)$/#if (defined(_MSC_VER) \&\& (_MSC_VER >= 1400)) || defined(__MINGW64_VERSION_MAJOR)/'
    # ... and do not let configure put the copies of those headers bundled for
    # that old mingw (src/hostapi/wasapi/mingw-include) ahead of the real ones.
    # shellcheck disable=SC2016 # a literal make variable
    lc_sed configure 's| -I\\$(top_srcdir)/src/hostapi/wasapi/mingw-include||'
    # That branch spells two headers the Windows SDK way; Linux file names are
    # case-sensitive and mingw-w64's are lower case. Forwarding headers in a
    # private include dir stand in for them.
    mkdir lc-include
    echo '#include <avrt.h>' >lc-include/Avrt.h
    echo '#include <audioclient.h>' >lc-include/Audioclient.h
    # PKEY_Device_FriendlyName: the SDK's functiondiscoverykeys.h includes
    # functiondiscoverykeys_devpkey.h, mingw-w64 10's does not, and both use
    # the same include guard, so the second cannot be added after the first.
    # Include the one that has the key instead; it sits inside the INITGUID
    # block, so the key is defined in this object, not only declared.
    lc_sed "$wasapi" '0,/#include <functiondiscoverykeys.h>/s//#include <functiondiscoverykeys_devpkey.h>/'

    ./configure --host="$LC_HOST" --prefix="$LC_PREFIX" \
        --enable-static --disable-shared \
        --with-winapi=wmme,directx,wasapi \
        CFLAGS="-g -O2 -I$PWD/lc-include"
    # The default target also builds the tests and examples; install needs
    # only the library.
    make -j"$LC_JOBS" lib/libportaudio.la
    make install
}
