#!/bin/sh
# In-guest half of tests/bench/guest-bench: guestwl and weston 10 (drm
# backend, pixman, kiosk shell, no start-up animation) on guestkms with the
# same clients, and weston on the in-tree bochs driver (the issue's
# reference stack; REFERENCE bochs or cirrus, "none" to skip), alternating workload by
# workload.  Prints "BENCH key=value ..." lines.
#   guest-bench.sh BUILD WxH SECONDS [REFERENCE [GUESTWL-OPTIONS [GUESTWL-ENV [ROUNDS]]]]
# ROUNDS (default 1): the shm, damage and fullscreen workloads run that many
# times, each round all stacks in turn; BENCH lines carry round=N.
set -u
build=$1 res=$2 secs=$3 reference=${4:-none} gwl_opts=${5:-} gwl_env=${6:-} rounds=${7:-1}
guestwl=$build/compositor/guestwl
probe=$build/tests/bench/headless-bench-client
ko=$build/kms/guestkms.ko
w=${res%x*} h=${res#*x}
stats=/sys/kernel/debug/dri/0/guestkms_stats
[ -r $stats ] || { echo "BENCH-FAIL: guestkms is not loaded"; exit 1; }
[ -x "$probe" ] || { echo "BENCH-FAIL: $probe not built"; exit 1; }
udevadm settle --timeout=30 2>/dev/null
tr=/sys/kernel/tracing
[ -d $tr/events/drm ] || tr=/sys/kernel/debug/tracing
event=$tr/events/drm/drm_vblank_event_delivered/enable

# use_driver guestkms|bochs|cirrus: the module that drives the display.
driver=guestkms
wait_card() {
	i=0
	while [ ! -e /dev/dri/card0 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	udevadm settle --timeout=30 2>/dev/null
	[ -e /dev/dri/card0 ]
}
use_driver() {
	[ "$1" = "$driver" ] && return 0
	rmmod "$driver" || { echo "BENCH-FAIL: cannot unload $driver"; exit 1; }
	if [ "$1" = guestkms ]; then insmod "$ko"; else modprobe "$1"; fi ||
		{ echo "BENCH-FAIL: cannot load $1"; exit 1; }
	driver=$1
	wait_card || { echo "BENCH-FAIL: no /dev/dri/card0 with $1"; exit 1; }
}

# Frames: guestkms counts its page flips (snap, below); for any driver, the
# flip events delivered to user space (tracepoint drm_vblank_event_delivered).
events_start() {
	echo 0 >$tr/tracing_on && echo >$tr/trace && echo 1 >$event && echo 1 >$tr/tracing_on
}
events_stop() {
	echo 0 >$tr/tracing_on
	echo 0 >$event
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# The window's start or end, read with builtins only: a fork takes 0.1-0.5
# s in a busy TCG guest, and forks inside the window would slow the very
# frames it counts (with the clock read by `date` after six forks, a window
# once counted 80 flips a second on a 75 Hz mode; with those forks inside
# it, the full-screen probe lost about a frame a second). Sets snap_ms
# (boot clock, /proc/uptime), snap_flips (guestkms' page flips),
# snap_events (flip events traced: the ring buffer's entries),
# snap_cticks and snap_cns (the compositor's CPU ticks and ns, all
# threads), snap_kns and snap_knv (the client's ns and involuntary context
# switches), snap_busy and snap_total (the guest's jiffies: the busy ones
# are counted by the scheduler tick, 250 Hz here, which only samples a
# frame's 2 ms of work), snap_idle_ms (every CPU's idle time, the
# kernel's exact nohz clock) and snap_task_ns (every CPU's time in tasks
# other than idle, /proc/schedstat's rq_cpu_time).
snap() {
	read -r _up _id </proc/uptime
	# seconds with two decimals to ms ("1" before the decimals: no octal)
	snap_ms=$((${_up%.*} * 1000 + 1${_up#*.} * 10 - 1000))
	snap_idle_ms=$((${_id%.*} * 1000 + 1${_id#*.} * 10 - 1000))
	snap_task_ns=0
	[ -r /proc/schedstat ] && while read -r _k _ _ _ _ _ _ _rq _; do
		case $_k in cpu[0-9]*) snap_task_ns=$((snap_task_ns + _rq)) ;; esac
	done </proc/schedstat
	snap_flips=0
	if [ "$driver" = guestkms ]; then
		while read -r _k _v; do
			[ "$_k" = flips ] && snap_flips=$_v
		done <$stats
	fi
	snap_events=0
	for _f in $tr/per_cpu/cpu*/stats; do
		while read -r _k _v; do
			[ "$_k" = entries: ] && snap_events=$((snap_events + _v))
		done <"$_f"
	done
	snap_cticks=0
	if read -r _l <"/proc/$cpid/stat" 2>/dev/null; then
		set -- $_l
		snap_cticks=$((${14:-0} + ${15:-0}))
	fi
	task_ns "$cpid"
	snap_cns=$_ns
	task_ns "${app:-0}"
	snap_kns=$_ns
	task_nvcsw "${app:-0}"
	snap_knv=$_nv
	read -r _ _u _n _s _i _w _q _sq _st _ </proc/stat
	snap_total=$((_u + _n + _s + _i + _w + _q + _sq + _st))
	snap_busy=$((snap_total - _i - _w))
	return 0
}
# Time on a CPU in ns, all threads of a process (the scheduler's clock;
# utime+stime has the tick's resolution), into _ns; builtins only.
task_ns() {
	_ns=0
	for _f in /proc/"$1"/task/*/schedstat; do
		read -r _a _ <"$_f" 2>/dev/null && _ns=$((_ns + _a))
	done
	return 0
}
# Involuntary context switches (preemptions), all threads, into _nv.
task_nvcsw() {
	_nv=0
	for _f in /proc/"$1"/task/*/status; do
		[ -r "$_f" ] || continue
		while read -r _k _v; do
			[ "$_k" = nonvoluntary_ctxt_switches: ] && _nv=$((_nv + _v))
		done <"$_f"
	done
	return 0
}
# Every process: "PID COMM NS" (main thread's time on a CPU); builtins only,
# so taking it costs no fork.
tasks() {
	for d in /proc/[0-9]*; do
		read -r ns _ <"$d/schedstat" 2>/dev/null && read -r comm <"$d/comm" 2>/dev/null &&
			echo "${d#/proc/} $comm $ns"
	done
}
# The processes that ran more than 1 % of the window (idle: who is busy).
busy_tasks() { # BEFORE AFTER WINDOW_MS
	awk -v w="$3" -v l="$label" 'NR == FNR { a[$1] = $3; next }
		{ d = ($3 - a[$1]) / 1e6; if (d > w / 100)
			printf "BENCH-TASK comp=%s client=idle comm=%s ms=%.0f\n", l, $2, d }' "$1" "$2"
}
hz=$(getconf CLK_TCK)
ncpu=$(grep -c "^cpu[0-9]" /proc/stat)

{
	cat "$(dirname "$0")/weston-bench.ini"
	printf '[output]\nname=Virtual-1\nmode=%s\n' "${w}x${h}"
} >/run/weston.ini

# A fresh fifo for each run: the client's stdout (the probe's lines).
fifo=/run/bench.fifo
nfifo=/run/notify.fifo
newfifo() {
	exec 4<&- 5<&-
	rm -f $fifo $nfifo
	mkfifo $fifo $nfifo
	exec 4<>$fifo 5<>$nfifo
}

# guestwl opens its input devices after the client's first frame: keep
# libinput's set-up out of the measurements (weston does it before its
# socket exists, so it is never in them).
wait_input() {
	[ "$comp" = guestwl ] || return 0
	while IFS= read -r nline <&5; do
		case $nline in input-*) return 0 ;; esac
	done
}

# start COMP CLIENT...: the compositor ($cpid) with the client, whose
# stdout goes to the fifo; t_start is when the compositor was started.
start() {
	comp=$1
	label=$comp
	[ "$driver" = guestkms ] || label=$comp-$driver
	shift
	rm -f "$XDG_RUNTIME_DIR"/wayland-0*
	newfifo
	t_ns=$(date +%s%N)
	t_start=$((t_ns / 1000000))
	if [ "$comp" = guestwl ]; then
		# shellcheck disable=SC2086 # options split on spaces
		env $gwl_env "$guestwl" --backend=drm --kiosk --mode "${w}x${h}" --notify-fd 3 $gwl_opts \
			-- "$@" >$fifo \
			3>$nfifo 2>/run/comp.log &
		cpid=$!
		clpid=
	else
		weston --config=/run/weston.ini --use-pixman --tty=1 --socket=wayland-0 \
			>/run/comp.log 2>&1 &
		cpid=$!
		# weston 10 has no app argument and no readiness notification:
		# start the client as soon as the socket exists (50 ms polls).
		i=0
		while [ ! -S "$XDG_RUNTIME_DIR/wayland-0" ] && [ $i -lt 1200 ]; do
			sleep 0.05
			i=$((i + 1))
		done
		WAYLAND_DISPLAY=wayland-0 "$@" >$fifo 2>/run/client.log &
		clpid=$!
	fi
}

stop() {
	[ -n "$clpid" ] && kill "$clpid" 2>/dev/null
	kill -TERM "$cpid" 2>/dev/null
	wait "$cpid" 2>/dev/null
	[ -n "$clpid" ] && wait "$clpid" 2>/dev/null
}

# Launch to visible: compositor start until the page flip that put the
# probe client's first frame (a 250x250 window) on screen: the time
# wp_presentation "presented" reports for it, which the probe prints on
# CLOCK_REALTIME (--timestamps); the same measure for both compositors.
# seen_ms is when this script read that line (the client and the shell
# had to run first).
launch_once() {
	start "$1" "$probe" --windows 1 --size 250x250 --timestamps
	# a compositor that dies ends the wait
	(while kill -0 "$cpid" 2>/dev/null; do sleep 1; done; echo exited >$fifo) &
	watcher=$!
	while IFS= read -r line <&4; do
		case $line in presented* | exited) break ;; esac
	done
	seen=$(($(now_ms) - t_start))
	kill $watcher 2>/dev/null
	if [ "$line" = exited ]; then
		echo "BENCH-FAIL: $label exited before the probe was presented"
		sed "s/^/comp-log: /" /run/comp.log | tail -20
		return 1
	fi
	vis=$(((${line#presented } - t_ns) / 1000000))
	[ "$2" = last ] && guest-ctl screendump "launch-$label" >/dev/null
	stop
	[ "$2" = last ] && [ "$1" = guestwl ] && grep -h ' Hz on CRTC' /run/comp.log
	return 0
}

# Three launches, the median reported: the first of a guest reads the
# binaries and libraries over 9p (cold), the others find them cached, and
# which stack runs first would otherwise decide the figure.
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
launch() {
	vs= ss=
	for run in 1 2 last; do
		launch_once "$1" $run || return
		vs="$vs $vis" ss="$ss $seen"
	done
	echo "BENCH comp=$label client=launch visible_ms=$(median3 $vs)" \
		"seen_ms=$(median3 $ss) visible_all=$(echo $vs | tr ' ' ,)"
}

# The probe's frames presented between two times (ms since boot, snap's
# clock): its "presented NS" lines (--timestamps --boottime), which a reader
# copies from the fifo meanwhile.
presented_between() {
	awk -v a="$1" -v b="$2" '$1 == "presented" && $2 / 1e6 >= a && $2 / 1e6 < b { n++ }
		END { print n + 0 }' /run/presented.log
}

measure() { # NAME COMP CLIENT...
	name=$1
	shift
	start "$@"
	cat <&4 >/run/presented.log &
	reader=$!
	wait_input
	if [ "$name" = idle ]; then
		sleep 8 # foot starts; nothing moves afterwards (BENCH-TASK shows what did)
	else
		sleep 4 # the client starts and settles
	fi
	# the client: weston's is ours, guestwl's is its child (the other
	# child is guestwl's own VT-restoring helper)
	app=$clpid
	[ -n "$app" ] || app=$(for p in $(pgrep -P "$cpid"); do
		[ "$(cat /proc/$p/comm 2>/dev/null)" = guestwl ] || echo "$p"
	done | head -n 1)
	events_start || { echo "BENCH-FAIL: no drm tracepoints in $tr"; exit 1; }
	[ "$name" = idle ] && tasks >/run/tasks0
	snap
	f0=$snap_flips s0=$snap_ms e0=$snap_events c0=$snap_cticks n0=$snap_cns
	k0=$snap_kns v0=$snap_knv b0=$snap_busy a0=$snap_total
	i0=$snap_idle_ms t0=$snap_task_ns
	sleep "$secs"
	snap
	f1=$snap_flips s1=$snap_ms e1=$snap_events c1=$snap_cticks n1=$snap_cns
	k1=$snap_kns v1=$snap_knv b1=$snap_busy a1=$snap_total
	i1=$snap_idle_ms t1=$snap_task_ns
	[ "$name" = idle ] && tasks >/run/tasks1 && busy_tasks /run/tasks0 /run/tasks1 $((s1 - s0))
	events_stop
	ev=$((e1 - e0))
	fr=
	[ "$name" = fullscreen ] && fr=$(presented_between "$s0" "$s1")
	[ "$driver" = guestkms ] || f0=0 f1=$ev
	alive=1
	kill -0 "$cpid" 2>/dev/null || alive=0
	stop
	kill $reader 2>/dev/null
	[ $alive = 1 ] || { echo "BENCH-FAIL: $label died during $name"; sed "s/^/comp-log: /" /run/comp.log | tail -20; }
	echo "BENCH comp=$label client=$name round=${round:-1} flips=$((f1 - f0)) events=$ev${fr:+ frames=$fr}" \
		"ms=$((s1 - s0)) comp_ticks=$((c1 - c0)) comp_ns=$((n1 - n0))" \
		"client_ns=$((k1 - k0)) client_nvcsw=$((v1 - v0))" \
		"guest_busy=$((b1 - b0))" \
		"guest_total=$((a1 - a0)) hz=$hz" \
		"guest_idle_ms=$((i1 - i0)) guest_task_ns=$((t1 - t0)) ncpu=$ncpu"
}

# Each workload: weston and guestwl on guestkms, then weston on the
# reference driver.
each() {
	use_driver guestkms
	for comp in weston guestwl; do "$@"; done
	[ "$reference" = none ] && return
	use_driver "$reference"
	comp=weston
	"$@"
}
each eval 'launch $comp'
for round in $(seq "$rounds"); do
	each eval 'measure shm $comp weston-simple-shm'
	each eval 'measure damage $comp weston-simple-damage'
	each eval 'measure fullscreen $comp "$probe" --windows 1 --size "$res" --timestamps --boottime'
done
round=1
# foot runs dash: an interactive bash runs root's ~/.bashrc, which can be
# anything (on one dev machine a pyenv set-up that kept the guest busy for
# 10 s, longer than the settling time, and counted as "idle").
each eval 'measure idle $comp foot sh'
use_driver guestkms
echo "BENCH done"
