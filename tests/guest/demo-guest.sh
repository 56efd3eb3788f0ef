#!/bin/sh
# Runs inside the guest for tools/demo: start guestwl on the DRM device with
# the demo client, wait until the client's first frame is presented, take the
# screendump.  Usage: demo-guest.sh BUILD WxH DISPLAY "CLIENT ARGS"
set -u
build=$1 res=$2 display=$3 client=$4
guestwl=$build/compositor/guestwl
card=$(ls -d /sys/class/drm/card[0-9] 2>/dev/null | head -n 1)
drv=$(basename "$(readlink "$card/device/driver" 2>/dev/null)" 2>/dev/null)
echo "demo: DRM driver: ${drv:-none}"

if [ -x "$guestwl" ] && "$guestwl" --help 2>&1 | grep -q -- '--notify-fd'; then
	fifo=/run/guestwl-demo.fifo
	mkfifo "$fifo"
	# shellcheck disable=SC2086
	"$guestwl" --backend=drm --kiosk --notify-fd 3 -- $client 3>"$fifo" &
	pid=$!
	# guestwl writes "presented ..." once the client's frame is on screen.
	if grep -m 1 -q '^presented' "$fifo"; then
		guest-ctl screendump demo
	else
		echo "demo: guestwl exited before the client's frame was shown" >&2
	fi
	if [ "$display" != none ]; then
		echo "demo: running; quit the client or close QEMU to stop"
		wait $pid
	else
		kill $pid 2>/dev/null
		wait $pid
	fi
	exit 0
fi

# Placeholder until guestwl's DRM backend lands: a known pattern on the card.
echo "demo: guestwl's DRM backend is not built yet: showing a test pattern"
if [ -z "${drv:-}" ]; then
	echo "demo: no DRM driver bound (guestkms not built?): using the in-tree bochs"
	modprobe bochs
fi
w=${res%x*} h=${res#*x}
"$build/tests/guest/drm-pattern" "${w}x${h}" demo
