# SPDX-License-Identifier: MIT
#
# tests/bench/click.sh — sourced by the router benchmarks: a click's round trip from
# lc_play on one cable to lc_rec on another, the median of 5, timed by lc_measure from
# the programs' own clocks.  Uses the caller's $wine, $programs, $work (holding
# click.wav) and client_env (the command prefix the Windows programs run with).

median() { sort -n | awk '{ d[NR] = $1 } END { print d[int((NR + 1) / 2)] }'; }

round_trip() { # PLAY_DEVICE REC_DEVICE -> the median delay in ms
	local delays=()
	for _ in 1 2 3 4 5; do
		"${client_env[@]}" "$wine" "$programs/lc_rec.exe" --device "$2" --seconds 1.6 \
			--out "$work/click-rec.wav" >"$work/rec.out" 2>&1 &
		local rec=$!
		sleep 0.3
		"${client_env[@]}" "$wine" "$programs/lc_play.exe" --device "$1" \
			--signal "wav:$work/click.wav" >"$work/play.out" 2>&1
		wait "$rec" || true
		local first start
		first=$(tr -d '\r' <"$work/play.out" | sed -n 's/^first_write_us=\([0-9]*\).*/\1/p')
		start=$(tr -d '\r' <"$work/rec.out" | sed -n 's/^start_us=\([0-9]*\).*/\1/p')
		delays+=("$("$programs/lc_measure" "$work/click.wav" "$work/click-rec.wav" \
			"$first" "$start" | sed -n 's/^delay: *\([-0-9.]*\) ms.*/\1/p')")
	done
	printf '%s\n' "${delays[@]}" | grep . | median
}
