# SPDX-License-Identifier: MIT
# shellcheck shell=bash disable=SC2034 # LC_DEP_* are read by build.sh
# speexdsp: the resampler behind shared/lc_resample (speex_resampler_*, with
# a variable ratio through speex_resampler_set_rate_frac). Library only.
LC_DEP_SOURCE=speexdsp=1.2.1-1
LC_DEP_DEPENDS=()

lc_dep_build() {
    # --enable-sse compiles the SSE/SSE2 resampler kernels and adds -msse
    # -msse2 to all of the library. x86-64 has SSE2 by definition; for i686
    # it makes SSE2 the floor, which Windows 8 and later require anyway. gcc's
    # i686 mingw target realigns the stack when SSE is on, so the kernels are
    # safe on threads that Windows starts with a 4-byte-aligned stack.
    ./configure --host="$LC_HOST" --prefix="$LC_PREFIX" \
        --enable-static --disable-shared --disable-examples --enable-sse
    make -j"$LC_JOBS" V=1
    make install
}
