#!/bin/sh
# Runs inside the run-guest VM for tests/e2e/guest-e2e: loads the DRM
# driver, starts a compositor with a client, waits for its "presented"
# notification and takes screendumps (PNG in /mnt/out).  Prints KEY=VALUE
# result lines for the host side, which checks them and the images.
#   e2e-guest.sh BUILD DRIVER CASE
#   DRIVER: bochs | virtio | guestkms (build/kms/guestkms.ko) | none
#   CASE:   shm | foot | click | key | pacing | sigterm | weston
set -u
build=$1 driver=$2 case=$3
guestwl=$build/compositor/guestwl
out=/mnt/out
fail() { echo "E2E-FAIL: $*"; exit 1; }

case $driver in
bochs) modprobe bochs || fail "modprobe bochs" ;;
virtio) modprobe virtio-gpu || fail "modprobe virtio-gpu" ;;
guestkms)
	for dep in $(modinfo -F depends "$build/kms/guestkms.ko" | tr , ' '); do
		modprobe "$dep" || fail "modprobe $dep"
	done
	insmod "$build/kms/guestkms.ko" || fail "insmod guestkms.ko"
	;;
none) ;;
*) fail "unknown driver $driver" ;;
esac
udevadm settle --timeout=30 2>/dev/null
card=$(ls -d /sys/class/drm/card[0-9] 2>/dev/null | head -n 1)
[ -n "$card" ] || fail "no DRM card"
echo "E2E driver=$(basename "$(readlink "$card/device/driver")")"

fifo=/run/e2e.fifo
mkfifo $fifo
exec 4<>$fifo

# start_compositor CLIENT...: guestwl in kiosk mode, waits for "presented".
start_compositor() {
	"$guestwl" --backend=drm --kiosk --notify-fd 3 -- "$@" 3>$fifo 2>/run/guestwl.log &
	gpid=$!
	t0=$(date +%s%N)
	while IFS= read -r line <&4; do
		case $line in presented*) break ;; esac
	done
	t1=$(date +%s%N)
	echo "E2E presented_ms=$(((t1 - t0) / 1000000))"
}

stop_compositor() {
	kill -TERM "$gpid"
	# A compositor that does not exit within 60 s is a failure: dump its
	# stacks and kill it.
	(sleep 60 && kill -0 "$gpid" 2>/dev/null && echo "E2E-FAIL: guestwl ignored SIGTERM" &&
		gdb -batch -p "$gpid" -ex "thread apply all bt" 2>&1 | grep '^#' &&
		kill -KILL "$gpid") &
	watchdog=$!
	wait "$gpid"
	echo "E2E guestwl_status=$?"
	kill "$watchdog" 2>/dev/null
	sed 's/^/guestwl-log: /' /run/guestwl.log
}

# wait_change BEFORE NAME: screendumps until one differs from BEFORE.
wait_change() {
	i=0
	while [ $i -lt 40 ]; do
		guest-ctl screendump "$2" >/dev/null || fail "screendump"
		cmp -s "$out/$1.png" "$out/$2.png" || { echo "E2E changed=$2"; return 0; }
		i=$((i + 1))
	done
	echo "E2E changed=none"
}

qmp_events() {
	guest-ctl qmp "{\"execute\": \"input-send-event\", \"arguments\": {\"events\": [$1]}}" \
		>/dev/null || fail "qmp input-send-event"
}

key() {
	qmp_events "{\"type\": \"key\", \"data\": {\"down\": true, \"key\": {\"type\": \"qcode\", \"data\": \"$1\"}}}"
	qmp_events "{\"type\": \"key\", \"data\": {\"down\": false, \"key\": {\"type\": \"qcode\", \"data\": \"$1\"}}}"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

case $case in
shm)
	start_compositor weston-simple-shm
	guest-ctl screendump shm >/dev/null || fail "screendump"
	stop_compositor
	;;
foot)
	start_compositor foot
	guest-ctl screendump foot >/dev/null || fail "screendump"
	stop_compositor
	;;
click)
	start_compositor weston-clickdot
	qmp_events '{"type": "abs", "data": {"axis": "x", "value": 20000}}, {"type": "abs", "data": {"axis": "y", "value": 12000}}'
	guest-ctl screendump before >/dev/null
	qmp_events '{"type": "btn", "data": {"down": true, "button": "left"}}'
	qmp_events '{"type": "btn", "data": {"down": false, "button": "left"}}'
	wait_change before after
	stop_compositor
	;;
key)
	start_compositor foot
	guest-ctl screendump before >/dev/null
	for k in g u e s t w l; do key $k; done
	wait_change before after
	stop_compositor
	;;
pacing)
	start_compositor weston-simple-shm
	stats=/sys/kernel/debug/dri/0/guestkms_stats
	flips() { [ -r $stats ] && awk '$1 == "flips" { print $2 }' $stats || echo 0; }
	f0=$(flips) t0=$(date +%s%N)
	sleep 10 # the measurement window
	f1=$(flips) t1=$(date +%s%N)
	echo "E2E kms_flips=$((f1 - f0)) window_ms=$(((t1 - t0) / 1000000))"
	stop_compositor
	;;
idle)
	start_compositor foot
	# let foot finish starting up, then count guestwl's CPU over 5 s
	guest-ctl screendump idle >/dev/null
	c0=$(cpu_ticks "$gpid") t0=$(date +%s%N)
	sleep 5
	c1=$(cpu_ticks "$gpid") t1=$(date +%s%N)
	echo "E2E idle_ticks=$((c1 - c0)) idle_ms=$(((t1 - t0) / 1000000)) hz=$(getconf CLK_TCK)"
	stop_compositor
	;;
sigterm)
	start_compositor weston-simple-shm
	stop_compositor
	python3 -c 'import fcntl, struct
fd = open("/dev/tty1", "rb")
print("E2E kd_mode=%d" % struct.unpack("i", fcntl.ioctl(fd, 0x4B3B, b"\0" * 4))[0])'
	;;
*)
	fail "unknown case $case"
	;;
esac
echo "E2E done"
