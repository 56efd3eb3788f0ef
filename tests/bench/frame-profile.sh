#!/bin/sh
# SPDX-License-Identifier: MIT
# In-guest profile of one compositor's frames (docs/drm-backend.md, "What a
# frame of weston-simple-damage costs under TCG"):
#   frame-profile.sh BUILD trace|perf|hold|vblank guestwl|weston guestkms|bochs CLIENT SECONDS OUT
# trace: raw_syscalls and sched_switch tracepoints of the compositor's pid
#        (tests/bench/frame-profile-summary.py OUT/trace.txt $(cat OUT/trace.pid)
#        sums them up)
# perf:  perf record -e cpu-clock, report by DSO and symbol (perf from
#        Debian's linux-perf; under --icount the samples count instructions)
# hold:  keep the stack running for SECONDS after writing OUT/kallsyms,
#        OUT/maps.COMM.PID of the compositor and the client, then OUT/ready
#        (for tests/bench/tcg-epochs, which profiles QEMU from the host)
# Run it with the harness, one vCPU, e.g.:
#   tests/guest/run-guest --device VGA --res 1280x800 --udev --smp 1 \
#     --insmod build/kms/guestkms.ko --out /tmp/prof -- \
#     tests/bench/frame-profile.sh build trace guestwl guestkms weston-simple-damage 3 /mnt/out
set -u
usage() { echo "usage: frame-profile.sh BUILD trace|perf|hold|vblank guestwl|weston guestkms|bochs CLIENT SECONDS OUT" >&2; exit 2; }
[ $# -eq 7 ] || usage
build=$1 mode=$2 comp=$3 drv=$4 client=$5 secs=$6 out=$7
case $mode in trace | perf | hold | vblank) ;; *) usage ;; esac
case $comp in guestwl | weston) ;; *) usage ;; esac
case $drv in guestkms | bochs) ;; *) usage ;; esac
case $secs in '' | *[!0-9]*) usage ;; esac
tr=/sys/kernel/tracing
[ -d $tr/events ] || tr=/sys/kernel/debug/tracing
if [ "$drv" = bochs ]; then
	rmmod guestkms 2>/dev/null
	modprobe bochs || { echo "frame-profile: cannot load bochs" >&2; exit 1; }
fi
i=0
while [ ! -e /dev/dri/card0 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
udevadm settle --timeout=30 2>/dev/null
if [ "$client" = probe ]; then
	set -- "$build/tests/bench/headless-bench-client" --windows 1 \
		--size "$(cat /sys/class/drm/card0-*/modes | head -n 1)"
else
	set -- "$client"
fi
if [ "$comp" = guestwl ]; then
	"$build/compositor/guestwl" --backend=drm --kiosk -- "$@" >/run/client.log 2>/run/comp.log &
	cpid=$!
else
	# weston looks a relative --config up in XDG_CONFIG_DIRS: absolute
	weston --config="$(cd "$(dirname "$0")" && pwd)/weston-bench.ini" --use-pixman --tty=1 --socket=wayland-0 >/run/comp.log 2>&1 &
	cpid=$!
	i=0
	while [ ! -S "$XDG_RUNTIME_DIR/wayland-0" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
	WAYLAND_DISPLAY=wayland-0 "$@" >/run/client.log 2>&1 &
	clpid=$!
fi
sleep 5 # the client starts and settles
kill -0 "$cpid" 2>/dev/null || { echo "frame-profile: $comp exited" >&2; tail /run/comp.log >&2; exit 1; }
if [ "$mode" = trace ]; then
	echo 0 >$tr/tracing_on
	echo >$tr/trace
	echo 16384 >$tr/buffer_size_kb
	echo "common_pid == $cpid" >$tr/events/raw_syscalls/filter
	echo "prev_pid == $cpid || next_pid == $cpid" >$tr/events/sched/sched_switch/filter
	echo 1 >$tr/events/raw_syscalls/enable
	echo 1 >$tr/events/sched/sched_switch/enable
	echo 1 >$tr/tracing_on
	sleep "$secs"
	echo 0 >$tr/tracing_on
	echo 0 >$tr/events/enable
	cat $tr/trace >"$out/trace.txt"
	echo "$cpid" >"$out/trace.pid"
	echo "frame-profile: $out/trace.txt, pid $cpid (also in $out/trace.pid)"
elif [ "$mode" = vblank ]; then
	echo 0 >$tr/tracing_on
	echo >$tr/trace
	echo 16384 >$tr/buffer_size_kb
	echo 1 >$tr/events/sched/sched_switch/enable
	echo 1 >$tr/events/drm/drm_vblank_event/enable
	echo 1 >$tr/events/drm/drm_vblank_event_delivered/enable
	stats=$(ls /sys/kernel/debug/dri/*/guestkms_stats 2>/dev/null | head -n 1)
	[ -z "$stats" ] || cat "$stats" >/run/stats.0
	echo 1 >$tr/tracing_on
	sleep "$secs"
	echo 0 >$tr/tracing_on
	[ -z "$stats" ] || cat "$stats" >/run/stats.1
	echo 0 >$tr/events/enable
	cat $tr/trace >"$out/vblank.txt"
	# guestkms' own time composing into VRAM, the bulk of its commit workers'
	[ -z "$stats" ] || awk '$1 == "commits" || $1 == "compose_ns" {
		d[$1] = (FILENAME ~ /1$/) ? d[$1] + $2 : d[$1] - $2 }
		END { if (d["commits"] > 0) printf "guestkms: %d commits, %.2f ms composing a commit\n",
			d["commits"], d["compose_ns"] / d["commits"] / 1e6 }' \
		/run/stats.0 /run/stats.1 | tee "$out/compose.txt"
	echo "frame-profile: $out/vblank.txt (tests/bench/vblank-misses.py sums it up)"
elif [ "$mode" = hold ]; then
	echo 0 >/proc/sys/kernel/kptr_restrict
	cat /proc/kallsyms >"$out/kallsyms"
	[ "$comp" = guestwl ] && clpid=$(pgrep -P "$cpid" | while read -r p; do
		[ "$(cat /proc/"$p"/comm)" = guestwl ] || echo "$p"; done | head -n 1)
	for p in $cpid ${clpid:-}; do
		cat /proc/"$p"/maps >"$out/maps.$(cat /proc/"$p"/comm).$p"
	done
	echo "$cpid" >"$out/ready"
	sleep "$secs"
else
	echo 0 >/proc/sys/kernel/kptr_restrict
	echo -1 >/proc/sys/kernel/perf_event_paranoid
	perf record -q -e cpu-clock -F 4000 -p "$cpid" -o /run/perf.data -- sleep "$secs"
	perf report -i /run/perf.data --no-children --sort dso --stdio 2>/dev/null |
		grep -v '^#' | grep -v '^$' >"$out/perf-dso.txt"
	perf report -i /run/perf.data --no-children --sort dso,sym --stdio 2>/dev/null |
		grep -v '^#' | grep -v '^$' | head -100 >"$out/perf-sym.txt"
	echo "frame-profile: $out/perf-dso.txt, $out/perf-sym.txt"
fi
kill -TERM "$cpid"
wait "$cpid" 2>/dev/null
exit 0
