#!/bin/sh
# Runs inside the run-guest VM for tests/e2e/guest-e2e: loads the DRM
# driver, starts a compositor with a client, waits for its "presented"
# notification and takes screendumps (PNG in /mnt/out).  Prints KEY=VALUE
# result lines for the host side, which checks them and the images.
#   e2e-guest.sh BUILD DRIVER CASE
#   DRIVER: bochs | virtio | guestkms (build/kms/guestkms.ko) | none
#   CASE:   shm | foot | click | key | pacing | idle | cursor | sigterm | weston |
#           fault-busy | fault-einval | fault-noevents | unplug | scanout
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
# The DRM driver's name (card0/device/driver is virtio-pci for virtio-gpu).
echo "E2E driver=$(awk '{ print $1; exit }' /sys/kernel/debug/dri/0/name)"

fifo=/run/e2e.fifo
mkfifo $fifo
exec 4<>$fifo

# start_guestwl ARGS...: guestwl --backend=drm --mode 800x600 ARGS (shell
# options, -- and the client), waits for its "presented" line.
start_guestwl() {
	"$guestwl" --backend=drm --mode 800x600 --notify-fd 3 "$@" 3>$fifo 2>/run/guestwl.log &
	gpid=$!
	input=
	while IFS= read -r line <&4; do
		case $line in
		presented*) break ;;
		input-*) input=$line ;;
		esac
	done
}

# start_compositor CLIENT...: guestwl in kiosk mode, waits for "presented".
start_compositor() {
	t0=$(date +%s%N)
	start_guestwl --kiosk -- "$@"
	t1=$(date +%s%N)
	echo "E2E presented_ms=$(((t1 - t0) / 1000000))"
}

# pointer_to X Y: the tablet's absolute position (0..32767), going away
# first: the tablet reports nothing for the position it already has.
pointer_to() {
	qmp_events '{"type": "abs", "data": {"axis": "x", "value": 20000}}, {"type": "abs", "data": {"axis": "y", "value": 20000}}'
	qmp_events "{\"type\": \"abs\", \"data\": {\"axis\": \"x\", \"value\": $1}}, {\"type\": \"abs\", \"data\": {\"axis\": \"y\", \"value\": $2}}"
}

# wait_input: guestwl opens the input devices after the first client frame
# (or 5 s after start): wait for its "input-ready" line.
wait_input() {
	while [ -z "$input" ] && IFS= read -r line <&4; do
		case $line in input-*) input=$line ;; esac
	done
	[ "$input" = input-ready ] || fail "guestwl: $input"
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

# wait_log TEXT: until guestwl's log has a line with TEXT (60 s at most).
wait_log() {
	i=0
	while ! grep -q -e "$1" /run/guestwl.log; do
		i=$((i + 1))
		[ $i -lt 600 ] || { sed 's/^/guestwl-log: /' /run/guestwl.log; fail "no \"$1\" in the log"; }
		sleep 0.1 # the log line is the event; nothing to wait on but the file
	done
	echo "E2E logged=yes"
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

# wait_stable NAME: screendumps until two in a row are the same.
wait_stable() {
	i=0
	while [ $i -lt 20 ]; do
		cp "$out/$1.png" /run/prev.png
		guest-ctl screendump "$1" >/dev/null || fail "screendump"
		cmp -s /run/prev.png "$out/$1.png" && return 0
		i=$((i + 1))
	done
	fail "the screen never settled"
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
# Voluntary context switches of all the process' threads: one per wakeup.
wakeups() { cat /proc/$1/task/*/status | awk '/^voluntary_ctxt_switches/ { n += $2 } END { print n }'; }

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
	wait_input
	qmp_events '{"type": "abs", "data": {"axis": "x", "value": 20000}}, {"type": "abs", "data": {"axis": "y", "value": 12000}}'
	guest-ctl screendump before >/dev/null
	qmp_events '{"type": "btn", "data": {"down": true, "button": "left"}}'
	qmp_events '{"type": "btn", "data": {"down": false, "button": "left"}}'
	wait_change before after
	stop_compositor
	;;
key)
	start_compositor foot
	wait_input
	guest-ctl screendump before >/dev/null
	for k in g u e s t w l; do key $k; done
	wait_change before after
	stop_compositor
	;;
pacing)
	export GUESTWL_DRM_STATS=1 # commit-to-flip vblank counts
	start_compositor weston-simple-shm
	wait_input # libinput's set-up stays out of the window
	stats=/sys/kernel/debug/dri/0/guestkms_stats
	# flips and vblanks from one read of the file: read apart (a fork
	# each, 0.1 s under TCG) the two windows differ by a few vblanks
	kstat() { awk '$1 == "flips" { f = $2 } $1 == "vblanks" { v = $2 }
		END { print f + 0, v + 0 }' $stats 2>/dev/null || echo 0 0; }
	# whole guest: busy and total jiffies
	gcpu() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }
	set -- $(kstat)
	f0=$1 v0=$2 t0=$(date +%s%N)
	set -- $(gcpu)
	b0=$1 a0=$2
	sleep 10 # the measurement window
	set -- $(kstat)
	f1=$1 v1=$2 t1=$(date +%s%N)
	set -- $(gcpu)
	echo "E2E kms_flips=$((f1 - f0)) kms_vblanks=$((v1 - v0))" \
		"window_ms=$(((t1 - t0) / 1000000)) guest_busy=$(($1 - b0)) guest_total=$(($2 - a0))"
	stop_compositor
	;;
idle)
	start_compositor foot
	wait_input
	# let foot finish starting up (the screen stops changing), then count
	# guestwl's CPU over 5 s
	guest-ctl screendump idle >/dev/null || fail "screendump"
	wait_stable idle
	c0=$(cpu_ticks "$gpid") w0=$(wakeups "$gpid") t0=$(date +%s%N)
	sleep 5
	c1=$(cpu_ticks "$gpid") w1=$(wakeups "$gpid") t1=$(date +%s%N)
	echo "E2E idle_ticks=$((c1 - c0)) idle_ms=$(((t1 - t0) / 1000000)) hz=$(getconf CLK_TCK)" \
		"idle_wakeups=$((w1 - w0))"
	stop_compositor
	;;
cursor)
	# No client: the built-in arrow over the background, moved with the
	# tablet; once on the cursor plane, then drawn in software.
	for mode in plane software; do
		[ $mode = software ] && export GUESTWL_DRM_NO_CURSOR_PLANE=1
		"$guestwl" --backend=drm --kiosk --mode 800x600 --show-cursor --notify-fd 3 -- sleep 1000 3>$fifo \
			2>/run/guestwl.log &
		gpid=$!
		input=
		wait_input # no client: 5 s after start
		stats=/sys/kernel/debug/dri/0/guestkms_stats
		c0=$(awk '$1 == "cursor_updates" { print $2 }' $stats)
		for v in 4096 6144 8192 10240 12288 14336 16384 18432 20480 22528 24576; do
			qmp_events "{\"type\": \"abs\", \"data\": {\"axis\": \"x\", \"value\": $v}}, {\"type\": \"abs\", \"data\": {\"axis\": \"y\", \"value\": $v}}"
			guest-ctl screendump cursor-$mode >/dev/null || fail "screendump"
		done
		wait_stable cursor-$mode
		c1=$(awk '$1 == "cursor_updates" { print $2 }' $stats)
		echo "E2E ${mode}_cursor_updates=$((c1 - c0))"
		stop_compositor
		frames=$(sed -n 's/.* \([0-9]*\) frames, .*/\1/p' /run/guestwl.log)
		echo "E2E ${mode}_frames=$frames"
	done
	;;
weston)
	# Peer check: weston 10's drm-backend (pixman, desktop shell) on the
	# same driver; weston-simple-shm's white frame must reach the screen.
	printf '[core]\nidle-time=0\n[shell]\nstartup-animation=none\n' >/run/weston.ini
	weston --backend=drm-backend.so --use-pixman --tty=1 --continue-without-input --socket=wayland-0 \
		--config=/run/weston.ini --log=/run/weston.log &
	wpid=$!
	t0=$(date +%s)
	while [ ! -S "$XDG_RUNTIME_DIR/wayland-0" ]; do
		kill -0 $wpid 2>/dev/null || { cat /run/weston.log; fail "weston exited"; }
		[ $(($(date +%s) - t0)) -lt 120 ] || { cat /run/weston.log; fail "weston: no socket"; }
		sleep 0.1 # weston has no readiness notification
	done
	echo "E2E weston_socket_s=$(($(date +%s) - t0))"
	WAYLAND_DISPLAY=wayland-0 weston-simple-shm >/run/client.log 2>&1 &
	cpid=$!
	i=0 white=0
	while [ $(($(date +%s) - t0)) -lt 200 ] && [ "$white" -lt 15000 ]; do
		guest-ctl screendump weston >/dev/null || fail "screendump"
		white=$("$(dirname "$0")/count-white" "$out/weston.png") || fail "count-white"
		i=$((i + 1))
		echo "weston: screendump $i: $white white pixels"
	done
	echo "E2E weston_white=$white screendumps=$i"
	kill $cpid
	kill -TERM $wpid
	wait $wpid
	echo "E2E weston_status=$?"
	sed 's/^/weston-log: /' /run/weston.log | tail -30
	;;
fault-busy | fault-einval | fault-noevents | fault-overlay)
	# The recovery paths, with tests/e2e/drm-fault.c preloaded into guestwl:
	# commits failing with EBUSY or EINVAL, a driver that stops sending
	# page-flip events. The client must keep animating on screen.
	# weston-simple-shm's window is on guestkms' overlay plane, so a
	# refused commit is blamed on the overlay first (fault-overlay); for
	# the primary's damage clips, fault-einval turns the overlay off.
	kind=${case#fault-}
	[ $kind = einval ] && export GUESTWL_DRM_OVERLAY=0
	[ $kind = overlay ] && kind=einval
	LD_PRELOAD=$build/tests/e2e/libdrm-fault.so GUESTWL_FAULT=$kind start_compositor \
		weston-simple-shm
	case $case in
	fault-busy) want='drm-fault: done' ;;
	fault-einval) want='refused FB_DAMAGE_CLIPS: sending none' ;;
	fault-overlay) want='refused the overlay plane: compositing' ;;
	fault-noevents) want='no page-flip event within 2000 ms: presenting by timer' ;;
	esac
	wait_log "$want"
	# the screen keeps changing after the fault
	guest-ctl screendump before >/dev/null || fail "screendump"
	wait_change before after
	kill -0 "$gpid" 2>/dev/null || fail "guestwl died after the fault"
	stop_compositor
	echo "E2E fault_injected=$(grep -c '^drm-fault: ' /run/guestwl.log)" \
		"commit_failed=$(grep -c 'commit failed' /run/guestwl.log)"
	;;
unplug)
	# The device goes away under guestwl (the driver is unbound, as a
	# hot-unplug does): it must log it, keep running and exit cleanly.
	start_compositor weston-simple-shm
	dev=$(basename "$(readlink -f /sys/class/drm/card0/device)")
	drv=$(basename "$(readlink -f /sys/class/drm/card0/device/driver)")
	echo "$dev" >"/sys/bus/pci/drivers/$drv/unbind" || fail "unbind $dev from $drv"
	wait_log 'was removed: its outputs are gone'
	kill -0 "$gpid" 2>/dev/null || fail "guestwl died when the device went away"
	stop_compositor
	echo "E2E kernel_warnings=$(dmesg | grep -c -E 'BUG:|Oops|WARNING:|Call Trace')"
	dmesg | grep -A20 -E 'BUG:|Oops|WARNING:' | sed 's/^/dmesg: /' | head -40
	;;
scanout)
	# A fullscreen shm client (the bench probe: an x^y pattern and a moving
	# white bar), shown by direct scanout on guestkms with the arrow on the
	# cursor plane over it; then composited (GUESTWL_DRM_SCANOUT=0). The
	# probe only draws into buffers guestwl released, so frames keep coming
	# only if the releases do.
	stats=/sys/kernel/debug/dri/0/guestkms_stats
	kstat() { awk -v k="$1" '$1 == k { print $2 }' $stats; }
	for mode in direct composited; do
		[ $mode = composited ] && export GUESTWL_DRM_SCANOUT=0
		start_guestwl --kiosk --show-cursor -- "$build/tests/bench/headless-bench-client" \
			--windows 1 --size 800x600 >/dev/null
		wait_input
		pointer_to 12288 8192
		f0=$(kstat flips) t0=$(date +%s%N)
		sleep 2 # the window frames are counted in
		f1=$(kstat flips) t1=$(date +%s%N)
		guest-ctl screendump scanout-$mode >/dev/null || fail "screendump"
		echo "E2E ${mode}_flips=$((f1 - f0)) ${mode}_ms=$(((t1 - t0) / 1000000))"
		stop_compositor
		frames=$(sed -n 's/.* \([0-9]*\) frames, .*/\1/p' /run/guestwl.log)
		direct=$(sed -n 's/.* \([0-9]*\) of the frames scanned out.*/\1/p' /run/guestwl.log)
		echo "E2E ${mode}_frames=$frames ${mode}_scanouts=${direct:-0}"
	done
	;;
overlay)
	# Desktop mode, two still probe windows of 300x200 at 40,40 (black) and
	# 72,72 (the pattern, on top): the top one goes on guestkms' overlay
	# plane. A click on the lower one raises it: the overlay moves to it,
	# and what the other one shows of itself has to be composited again
	# (nothing else redraws it: neither window changes). The same with
	# GUESTWL_DRM_OVERLAY=0 (all composited) for comparison. Animated
	# windows on the plane: the shm and pacing cases (kiosk).
	for mode in plane composited; do
		[ $mode = composited ] && export GUESTWL_DRM_OVERLAY=0
		GUESTWL_DEBUG=1 start_guestwl --desktop -- "$build/tests/bench/headless-bench-client" \
			--windows 2 --size 300x200 --still >/dev/null
		wait_input
		pointer_to 2048 2731 # 50,50: on the lower window only
		guest-ctl screendump overlay-$mode-top >/dev/null || fail "screendump"
		wait_stable overlay-$mode-top
		qmp_events '{"type": "btn", "data": {"down": true, "button": "left"}}'
		qmp_events '{"type": "btn", "data": {"down": false, "button": "left"}}'
		# the second focus on it: the first was when it was mapped
		i=0
		while [ "$(grep -c 'focus on the window at 40,40' /run/guestwl.log)" -lt 2 ]; do
			i=$((i + 1))
			[ $i -lt 600 ] || fail "the click did not raise the window"
			sleep 0.1 # the log line is the event; nothing to wait on but the file
		done
		guest-ctl screendump overlay-$mode-raised >/dev/null || fail "screendump"
		wait_stable overlay-$mode-raised
		stop_compositor
		ov=$(sed -n 's/.* \([0-9]*\) of the frames showed .*/\1/p' /run/guestwl.log)
		moves=$(sed -n 's/.*overlay plane at \([0-9]*,[0-9]*\) .*/\1/p' /run/guestwl.log |
			tail -n 2 | tr '\n' /)
		echo "E2E ${mode}_overlays=${ov:-0} ${mode}_moves=$moves"
	done
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
