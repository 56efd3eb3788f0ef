#!/bin/sh
# SPDX-License-Identifier: MIT
# Full-screen A/B in one guest: guestwl --kiosk with the probe redrawing
# the whole screen, a switch (VAR, default GUESTWL_DRM_SCANOUT: direct
# scanout; GUESTWL_DRM_LATCH: latching) at 1 and at 0 alternating, ROUNDS
# rounds of an 8 s window each. VAR may instead be a second build
# directory: then BUILD's guestwl and that one's alternate. Prints frames
# presented per second and the CPU per frame of the client, guestwl and the
# guest, and under run-guest QEMU's CPU time on the host a frame (`host`:
# what the whole guest cost, without the time the host ran other work).
# CLIENT weston-simple-shm or weston-simple-damage runs that client instead
# of the probe, its frames counted as guestkms' page flips.
# Run it in a guest with guestkms loaded:
#   tests/guest/run-guest --device VGA --res 1280x800 --udev \
#       --insmod build/kms/guestkms.ko --smp 1 --timeout 900 -- \
#       sh tests/bench/fullscreen-ab.sh BUILD [ROUNDS [VAR [CLIENT]]]
set -u
build=${1:?usage: fullscreen-ab.sh BUILD [ROUNDS [VAR [CLIENT]]]} rounds=${2:-4}
var=${3:-GUESTWL_DRM_SCANOUT} client=${4:-probe}
# A runs BUILD's guestwl with VAR=1; B runs it with VAR=0, or the other
# build's guestwl (VAR a directory; GUESTWL_AB is then only a label)
bin_a=$build/compositor/guestwl
case $var in
GUESTWL_*) bin_b=$bin_a label_a="$var=1" label_b="$var=0" ;;
*)
	[ -x "$var/compositor/guestwl" ] ||
		{ echo "VAR must be a GUESTWL_ variable or a build directory" >&2; exit 2; }
	bin_b=$var/compositor/guestwl label_a="A $build" label_b="B $var" var=GUESTWL_AB
	;;
esac
case $client in probe | weston-simple-shm | weston-simple-damage) ;;
*) echo "CLIENT must be probe, weston-simple-shm or weston-simple-damage" >&2; exit 2 ;;
esac
probe=$build/tests/bench/headless-bench-client
case $rounds in '' | *[!0-9]*) echo "ROUNDS must be a number" >&2; exit 2 ;; esac
[ -x "$probe" ] || { echo "$probe not built" >&2; exit 2; }
udevadm settle --timeout=30 2>/dev/null
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/run/xdg}
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
# time on a CPU, all threads, ns
run_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f", s }'; }
ncpu=$(grep -c '^cpu[0-9]' /proc/stat)
# One end of the window, sets et (ms, boot clock), ei (ms every CPU was
# idle, the kernel's exact idle clock: the whole guest is busy for the
# rest), ep (frames: the probe's presentations, or guestkms' page flips)
# and eh (host ns), one right after the other; builtins only but the
# probe's grep
edge() {
	read -r et ei </proc/uptime
	# seconds with two decimals to ms ("1" before the decimals: no octal)
	et=$((${et%.*} * 1000 + 1${et#*.} * 10 - 1000))
	ei=$((${ei%.*} * 1000 + 1${ei#*.} * 10 - 1000))
	if [ "$client" = probe ]; then
		ep=$(grep -c presented /run/probe.out)
	else
		while read -r k v; do [ "$k" = flips ] && ep=$v; done \
			</sys/kernel/debug/dri/0/guestkms_stats
	fi
	host_ns
	eh=$hns
}
# voluntary context switches of a process's main thread: its sleeps
sleeps() { while read -r k v; do [ "$k" = voluntary_ctxt_switches: ] && echo "$v"; done \
	</proc/"$1"/status; }
# QEMU's CPU time on the host, through run-guest's control port (no fork:
# the window must not hold the script's own work)
host=0
if [ -c /dev/ttyS1 ]; then
	exec 3<>/dev/ttyS1
	stty raw -echo <&3
	host=1
fi
host_ns() { # sets hns
	hns=0
	[ $host = 1 ] || return 0
	printf 'REQ host-cpu -\n' >&3
	IFS= read -r hns <&3
	case $hns in
	"OK "*[0-9]) hns=${hns#OK } ;;
	*) # an older harness: go on without the host figure
		echo "fullscreen-ab: no host CPU time (${hns#ERR }): leaving it out" >&2
		hns=0 host=0
		;;
	esac
}
one() { # LABEL VALUE GUESTWL
	label=$1 value=$2 bin=$3
	if [ "$client" = probe ]; then
		set -- "$probe" --windows 1 --size "$(cat /sys/class/drm/card0-*/modes | head -n 1)"
	else
		set -- "$client"
	fi
	env "$var=$value" GUESTWL_DRM_STATS=1 "$bin" --kiosk -- "$@" \
		>/run/probe.out 2>/run/comp.log &
	g=$!
	sleep 5 # the probe starts and settles
	app=$(for p in $(pgrep -P $g); do
		[ "$(cat /proc/"$p"/comm)" = guestwl ] || echo "$p"; done | head -n 1)
	k0=$(run_ns "$app") c0=$(run_ns $g) w0=$(sleeps $g)
	edge
	t0=$et p0=$ep h0=$eh i0=$ei
	sleep 8 # the window
	edge
	t1=$et p1=$ep h1=$eh i1=$ei
	k1=$(run_ns "$app") c1=$(run_ns $g) w1=$(sleeps $g)
	kill -TERM $g
	wait $g
	# how the frames missed a vblank (docs/drm-backend.md, statistics)
	sed -n 's/^.*CRTC [0-9]*: vblanks between flips/  vblanks between flips/p' /run/comp.log
	n=$((p1 - p0))
	[ $n -gt 0 ] || { echo "$label: no frames presented"; return; }
	awk -v l="$label" -v n=$n -v ms=$((t1 - t0)) -v k=$((k1 - k0)) \
		-v c=$((c1 - c0)) -v b=$((ncpu * (t1 - t0) - (i1 - i0))) -v w=$((w1 - w0)) \
		-v h=$((h1 - h0)) -v host=$host 'BEGIN {
		printf "%s: %.1f fps, per frame: client %.2f ms, guestwl %.2f ms, guest %.2f ms, guestwl sleeps %.2f",
			l, n * 1000 / ms, k / n / 1e6, c / n / 1e6, b / n, w / n
		if (host) printf ", host %.2f ms", h / n / 1e6
		printf "\n" }'
}
i=0
while [ $i -lt "$rounds" ]; do
	one "$label_a" 1 "$bin_a"
	one "$label_b" 0 "$bin_b"
	i=$((i + 1))
done
