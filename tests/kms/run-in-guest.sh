#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs inside the guest (tests/guest/run-guest): loads guestkms.ko, runs
# kmstest, modetest and drm_info on it, checks the kernel log, refuses
# rmmod while the device is open, and loads/unloads the module 50 times
# checking for leaks.
#
#   run-in-guest.sh --ko build/kms/guestkms.ko --kmstest build/tests/kms/kmstest
#                   [--mode WxH] [--loops N] [--only kmstest,modetest,...]
#                   [--param cirrus_bpp=16] [--run SUBTEST,...]
set -u

ko= kmstest= mode= loops=50 only= param= run=
while [ $# -gt 0 ]; do
	case "$1" in
	--ko) ko=$2; shift 2 ;;
	--kmstest) kmstest=$2; shift 2 ;;
	--mode) mode=$2; shift 2 ;;
	--loops) loops=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	--param) param=$2; shift 2 ;;
	--run) run=$2; shift 2 ;;
	*) echo "run-in-guest: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$ko" ] && [ -n "$kmstest" ] || { echo "usage: $0 --ko KO --kmstest BIN" >&2; exit 2; }
[ -f "$ko" ] || { echo "run-in-guest: $ko not built"; exit 77; }
out=${GUEST_OUT:-/mnt/out}
. "$(dirname "$0")/guest-lib.sh"

want() { [ -z "$only" ] || case ",$only," in *,"$1",*) return 0 ;; *) return 1 ;; esac; }

setup_guestkms

if want kmstest; then
	set -- --driver guestkms --outdir "$out"
	[ -n "$mode" ] && set -- "$@" --mode "$mode"
	[ -n "$run" ] && set -- "$@" --run "$run"
	if "$kmstest" "$@"; then ok kmstest; else bad kmstest "see the subtests above"; fi
fi

if want modetest; then
	if modetest -M guestkms >/tmp/modetest.txt 2>&1 && grep -q '^Connectors:' /tmp/modetest.txt; then
		conn=$(awk '/^Connectors:/ { getline; getline; print $1; exit }' /tmp/modetest.txt)
		res=${mode:-$(awk '/^Connectors:/ { f = 1 } f && /^  #0 / { print $2; exit }' /tmp/modetest.txt)}
		# modetest sets the mode, draws its test pattern and waits for a
		# key; stdin is /dev/null, so it returns at once.
		if modetest -M guestkms -s "$conn:$res" </dev/null >/tmp/modetest-s.txt 2>&1 &&
		   guest-ctl screendump guestkms-modetest >/dev/null; then
			ok "modetest"
		else
			bad modetest "modetest -s $conn:$res: $(tail -n 3 /tmp/modetest-s.txt | tr '\n' ' ')"
		fi
	else
		bad modetest "modetest -M guestkms: $(tail -n 3 /tmp/modetest.txt | tr '\n' ' ')"
	fi
fi

if want drm_info; then
	if drm_info /dev/dri/card0 >/tmp/drm_info.txt 2>&1 && grep -q guestkms /tmp/drm_info.txt; then
		ok drm_info
	else
		bad drm_info "$(tail -n 3 /tmp/drm_info.txt | tr '\n' ' ')"
	fi
fi

if want rmmod-busy; then
	# A client holding the device: rmmod must refuse, not crash.
	exec 3<>/dev/dri/card0
	if rmmod guestkms 2>/tmp/rmmod.txt; then
		bad rmmod-busy "rmmod succeeded while /dev/dri/card0 was open"
		exec 3>&-
		load
	else
		exec 3>&-
		ok rmmod-busy
	fi
fi

dmesg_clean dmesg-after-tests

slab_kib() {
	awk 'NR > 2 { s += $3 * $4 } END { printf "%d\n", s / 1024 }' /proc/slabinfo
}
memavail_kib() {
	awk '/^MemAvailable:/ { print $2 }' /proc/meminfo
}
# Precisely accounted kernel memory a driver could leak besides slab:
# vmalloc'd pages, per-CPU areas, shmem (GEM objects).
kmem_kib() {
	awk '/^(VmallocUsed|Percpu|Shmem):/ { s += $2 } END { print s }' /proc/meminfo
}

if want load-loop; then
	if rmmod guestkms; then
		# Warm-up: one-time allocations, lazily freed memory of the tests.
		for w in 1 2 3; do load && rmmod guestkms; done
		sync; echo 3 >/proc/sys/vm/drop_caches
		m0=$(memavail_kib) s0=$(slab_kib) k0=$(kmem_kib)
		i=0 err= trend=$m0 falling=0 samples=0
		while [ $i -lt "$loops" ]; do
			load || { err="load $i failed"; break; }
			rmmod guestkms || { err="rmmod $i failed"; break; }
			i=$((i + 1))
			if [ $((i % 10)) -eq 0 ]; then
				# A leak falls at every sample; noise does not.
				sync; echo 3 >/proc/sys/vm/drop_caches
				m=$(memavail_kib)
				echo "# after $i cycles: MemAvailable $m KiB, slab $(slab_kib) KiB"
				[ $((trend - m)) -gt 512 ] && falling=$((falling + 1))
				samples=$((samples + 1)) trend=$m
			fi
		done
		sync; echo 3 >/proc/sys/vm/drop_caches
		m1=$(memavail_kib) s1=$(slab_kib) k1=$(kmem_kib)
		echo "# load/unload x$i: MemAvailable $m0 -> $m1 KiB, slab $s0 -> $s1 KiB, vmalloc+percpu+shmem $k0 -> $k1 KiB"
		if [ -n "$err" ]; then
			bad load-loop "$err"
		# MemAvailable moves by up to 20 MiB either way between runs
		# under TCG; a leak is a drop of more than 8 MiB that shows at
		# every 10-cycle sample (> 512 KiB each). Slab, vmalloc, per-CPU
		# and shmem are precise.
		elif { [ $((m0 - m1)) -gt 8192 ] && [ "$falling" -eq "$samples" ]; } ||
		     [ $((s1 - s0)) -gt 1024 ] || [ $((k1 - k0)) -gt 256 ]; then
			bad load-loop "leak: MemAvailable -$((m0 - m1)) KiB, slab +$((s1 - s0)) KiB, vmalloc+percpu+shmem +$((k1 - k0)) KiB after $i cycles"
		else
			ok load-loop
		fi
	else
		bad load-loop "rmmod guestkms failed"
	fi
	dmesg_clean dmesg-after-load-loop
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
