#!/bin/sh
# SPDX-License-Identifier: MIT
# Full-screen A/B in one guest: guestwl --kiosk with the probe redrawing
# the whole screen, a switch (VAR, default GUESTWL_DRM_SCANOUT: direct
# scanout; GUESTWL_DRM_LATCH: latching) at 1 and at 0 alternating, ROUNDS
# rounds of an 8 s window each. Prints frames presented per second and the
# CPU per frame of the client, guestwl and the guest.
# Run it in a guest with guestkms loaded:
#   tests/guest/run-guest --device VGA --res 1280x800 --udev \
#       --insmod build/kms/guestkms.ko --smp 1 --timeout 900 -- \
#       sh tests/bench/fullscreen-ab.sh BUILD [ROUNDS [VAR]]
set -u
build=${1:?usage: fullscreen-ab.sh BUILD [ROUNDS [VAR]]} rounds=${2:-4}
var=${3:-GUESTWL_DRM_SCANOUT}
case $var in GUESTWL_*) ;; *) echo "VAR must be a GUESTWL_ variable" >&2; exit 2 ;; esac
probe=$build/tests/bench/headless-bench-client
case $rounds in '' | *[!0-9]*) echo "ROUNDS must be a number" >&2; exit 2 ;; esac
[ -x "$probe" ] || { echo "$probe not built" >&2; exit 2; }
udevadm settle --timeout=30 2>/dev/null
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/run/xdg}
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
# time on a CPU, all threads, ns; whole guest busy jiffies
run_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s }'; }
guest_busy() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6 }' /proc/stat; }
hz=$(getconf CLK_TCK)
one() { # LABEL VALUE
	env "$var=$2" GUESTWL_DRM_STATS=1 "$build/compositor/guestwl" --kiosk -- \
		"$probe" --windows 1 --size "$(cat /sys/class/drm/card0-*/modes | head -n 1)" \
		>/run/probe.out 2>/run/comp.log &
	g=$!
	sleep 5 # the probe starts and settles
	app=$(for p in $(pgrep -P $g); do
		[ "$(cat /proc/"$p"/comm)" = guestwl ] || echo "$p"; done | head -n 1)
	p0=$(grep -c presented /run/probe.out) k0=$(run_ns "$app") c0=$(run_ns $g)
	b0=$(guest_busy) t0=$(date +%s%N)
	sleep 8 # the window
	p1=$(grep -c presented /run/probe.out) k1=$(run_ns "$app") c1=$(run_ns $g)
	b1=$(guest_busy) t1=$(date +%s%N)
	kill -TERM $g
	wait $g
	# how the frames missed a vblank (docs/drm-backend.md, statistics)
	sed -n 's/^.*CRTC [0-9]*: vblanks between flips/  vblanks between flips/p' /run/comp.log
	n=$((p1 - p0))
	[ $n -gt 0 ] || { echo "$1: no frames presented"; return; }
	awk -v l="$1" -v n=$n -v ms=$(((t1 - t0) / 1000000)) -v k=$((k1 - k0)) \
		-v c=$((c1 - c0)) -v b=$((b1 - b0)) -v hz="$hz" 'BEGIN {
		printf "%s: %.1f fps, per frame: client %.2f ms, guestwl %.2f ms, guest %.2f ms\n",
			l, n * 1000 / ms, k / n / 1e6, c / n / 1e6, b * 1000 / hz / n }'
}
i=0
while [ $i -lt "$rounds" ]; do
	one "$var=1" 1
	one "$var=0" 0
	i=$((i + 1))
done
