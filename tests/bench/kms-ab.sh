#!/bin/sh
# SPDX-License-Identifier: MIT
# Two guestkms builds A/B in one guest: loads KO_A and KO_B in turn,
# ROUNDS rounds, and runs `frame-profile.sh BUILD vblank guestwl guestkms
# CLIENT SECONDS` on each; prints per round guestkms' composing time and
# tests/bench/vblank-misses.py's summary (vblanks missed, ms on the CPU a
# vblank per task). Traces land in OUT/a-N and OUT/b-N.
# Run it with the harness, one vCPU, e.g.:
#   tests/guest/run-guest --device VGA --res 1280x800 --udev --smp 1 \
#     --insmod /tmp/a.ko --timeout 1500 --out /tmp/ab -- \
#     sh tests/bench/kms-ab.sh build /tmp/a.ko /tmp/b.ko weston-simple-shm 3 6 /mnt/out
set -u
usage() { echo "usage: kms-ab.sh BUILD KO_A KO_B CLIENT ROUNDS SECONDS OUT" >&2; exit 2; }
[ $# -eq 7 ] || usage
build=$1 ko_a=$2 ko_b=$3 client=$4 rounds=$5 secs=$6 out=$7
case $rounds in '' | *[!0-9]*) usage ;; esac
case $secs in '' | *[!0-9]*) usage ;; esac
[ "$rounds" -ge 1 ] && [ "$secs" -ge 1 ] || usage
for ko in "$ko_a" "$ko_b"; do
	[ -r "$ko" ] || { echo "kms-ab: cannot read $ko" >&2; exit 2; }
done
here=$(dirname "$0")

load() { # KO
	rmmod guestkms 2>/dev/null
	insmod "$1" || { echo "kms-ab: insmod $1 failed" >&2; exit 1; }
	udevadm settle --timeout=30 2>/dev/null
}

r=1
while [ "$r" -le "$rounds" ]; do
	for side in a b; do
		if [ $side = a ]; then load "$ko_a"; else load "$ko_b"; fi
		dir=$out/$side-$r
		mkdir -p "$dir"
		if ! sh "$here/frame-profile.sh" "$build" vblank guestwl guestkms "$client" \
			"$secs" "$dir" >"$dir/log" 2>&1; then
			echo "kms-ab: round $r $side failed, see $dir/log" >&2
			exit 1
		fi
		echo "round $r $side: $(grep -h '^guestkms:' "$dir/log")"
		python3 "$here/vblank-misses.py" "$dir/vblank.txt" | head -n 2 | sed 's/^/  /'
	done
	r=$((r + 1))
done
