#!/bin/sh
# In-guest half of tests/bench/guest-bench: guestwl and weston 10 (drm
# backend, pixman, kiosk shell, no start-up animation) on the same KMS
# device, same clients.  Prints "BENCH key=value ..." lines.
#   guest-bench.sh BUILD WxH SECONDS
set -u
build=$1 res=$2 secs=$3
guestwl=$build/compositor/guestwl
w=${res%x*} h=${res#*x}
out=/mnt/out
stats=/sys/kernel/debug/dri/0/guestkms_stats
[ -r $stats ] || { echo "BENCH-FAIL: guestkms is not loaded"; exit 1; }
flips() { awk '$1 == "flips" { print $2 }' $stats; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# whole guest: busy and total jiffies
guest_cpu() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }
hz=$(getconf CLK_TCK)

cat >/run/weston.ini <<INI
[core]
backend=drm-backend.so
shell=kiosk-shell.so
idle-time=0
[shell]
startup-animation=none
[output]
name=Virtual-1
mode=${w}x${h}
INI

# start COMP CLIENT...: sets $cpid (compositor pid)
start() {
	comp=$1
	shift
	if [ "$comp" = guestwl ]; then
		"$guestwl" --backend=drm --kiosk --mode "${w}x${h}" -- "$@" >/run/comp.log 2>&1 &
		cpid=$!
	else
		weston --config=/run/weston.ini --use-pixman >/run/comp.log 2>&1 &
		cpid=$!
		# weston 10 has no app argument: start the client once the socket is up
		i=0
		while [ ! -S "$XDG_RUNTIME_DIR/wayland-0" ] && [ $i -lt 600 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		WAYLAND_DISPLAY=wayland-0 "$@" >/run/client.log 2>&1 &
		clpid=$!
	fi
}

stop() {
	[ "$comp" = weston ] && kill "$clpid" 2>/dev/null
	kill -TERM "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
	rm -f "$XDG_RUNTIME_DIR"/wayland-0*
}

# Until a screendump shows more than a flat screen (PNG over 12 KB): the
# same measurement for both compositors.
wait_visible() {
	i=0
	while [ $i -lt 200 ]; do
		guest-ctl screendump "vis-$1" >/dev/null
		[ "$(stat -c %s "$out/vis-$1.png")" -gt 12000 ] && return 0
		i=$((i + 1))
	done
	return 1
}

measure() { # NAME COMP CLIENT...
	name=$1
	shift
	t0=$(now_ms)
	start "$@"
	if [ "$name" = idle ]; then
		sleep 8 # foot starts; nothing moves afterwards
	elif ! wait_visible "$comp-$name"; then
		echo "BENCH-FAIL: $2 $name never visible"
		sed 's/^/comp-log: /' /run/comp.log | tail -20
		stop
		return
	fi
	vis=$(($(now_ms) - t0))
	sleep 2 # settle
	f0=$(flips) c0=$(ticks "$cpid") set -- $(guest_cpu)
	b0=$1 a0=$2 t0=$(now_ms)
	sleep "$secs"
	f1=$(flips) c1=$(ticks "$cpid") set -- $(guest_cpu)
	b1=$1 a1=$2 t1=$(now_ms)
	stop
	echo "BENCH comp=$comp client=$name visible_ms=$vis flips=$((f1 - f0))" \
		"ms=$((t1 - t0)) comp_ticks=$((c1 - c0)) guest_busy=$((b1 - b0))" \
		"guest_total=$((a1 - a0)) hz=$hz"
}

for comp in weston guestwl; do
	measure shm $comp weston-simple-shm
	measure damage $comp weston-simple-damage
	measure fullscreen $comp weston-simple-damage --width="$w" --height="$h" \
		--rotating-transform
	measure idle $comp foot
done
echo "BENCH done"
