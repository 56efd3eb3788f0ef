#!/bin/sh
# Runs inside the guest for tools/demo: start guestwl on the DRM device with
# the demo client, wait until the client's first frame is presented, take the
# screendump.  Usage: demo-guest.sh BUILD WxH DISPLAY "CLIENT ARGS"
set -u
build=$1 res=$2 display=$3 client=$4
guestwl=$build/compositor/guestwl
card=$(ls -d /sys/class/drm/card[0-9] 2>/dev/null | head -n 1)
drv=$(basename "$(readlink "$card/device/driver" 2>/dev/null)" 2>/dev/null)
if [ -z "${drv:-}" ]; then
	echo "demo: no DRM driver bound (guestkms not built?): using the in-tree bochs"
	modprobe bochs
	udevadm settle --timeout=30 2>/dev/null
	card=$(ls -d /sys/class/drm/card[0-9] 2>/dev/null | head -n 1)
	drv=$(basename "$(readlink "$card/device/driver" 2>/dev/null)" 2>/dev/null)
fi
echo "demo: DRM driver: ${drv:-none}"

fifo=/run/guestwl-demo.fifo
mkfifo "$fifo"
# Held open read-write: guestwl's later notifications never hit a closed pipe.
exec 4<>"$fifo"
w=${res%x*} h=${res#*x}
# shellcheck disable=SC2086
"$guestwl" --backend=drm --kiosk --mode "${w}x${h}" --notify-fd 3 -- $client 3>"$fifo" &
pid=$!
# guestwl writes "presented ..." once the client's frame is on screen; the
# watchdog ends the wait if guestwl dies first.
(while kill -0 $pid 2>/dev/null; do sleep 1; done; echo "exited" >"$fifo") &
watcher=$!
shown=""
while IFS= read -r line <&4; do
	case $line in
	presented*) shown=${line#presented }; break ;;
	exited) break ;;
	esac
done
kill $watcher 2>/dev/null
if [ -n "$shown" ]; then
	echo "demo: $shown is on screen"
	guest-ctl screendump demo
else
	echo "demo: guestwl exited before the client's frame was shown" >&2
fi
if [ "$display" != none ] && [ -n "$shown" ]; then
	echo "demo: running; quit the client or close QEMU to stop"
	wait $pid
else
	kill $pid 2>/dev/null
	wait $pid
fi
[ -n "$shown" ]
