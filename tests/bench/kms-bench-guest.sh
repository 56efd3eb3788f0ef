#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs inside the guest (run-guest --inbox): kms-bench on guestkms, then on
# the in-tree bochs on the same device, and prints both with ratios.
#   kms-bench-guest.sh --ko KO --bench KMS_BENCH [--seconds S]
set -u
ko= bench= secs=2
while [ $# -gt 0 ]; do
	case "$1" in
	--ko) ko=$2; shift 2 ;;
	--bench) bench=$2; shift 2 ;;
	--seconds) secs=$2; shift 2 ;;
	*) echo "kms-bench-guest: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -f "$ko" ] && [ -x "$bench" ] || { echo "usage: $0 --ko KO --bench BIN" >&2; exit 2; }
. "$(dirname "$0")/../kms/guest-lib.sh"

setup_guestkms
"$bench" --driver guestkms --seconds "$secs" | tee /tmp/guestkms.txt || exit 1
rmmod guestkms || { echo "cannot unload guestkms"; exit 1; }
modprobe bochs || { echo "cannot load the in-tree bochs (run-guest --inbox?)"; exit 1; }
w=0
while [ ! -e /dev/dri/card0 ] && [ $w -lt 100 ]; do sleep 0.05; w=$((w + 1)); done
"$bench" --driver bochs-drm --seconds "$secs" | tee /tmp/bochs.txt || exit 1
rmmod bochs

echo
echo "kms-bench: guestkms vs in-tree bochs ($GUEST_DEVICE, $GUEST_RES)"
awk '
	FNR == NR && /^RESULT/ { g[$2] = $3; u[$2] = $4; order[n++] = $2; next }
	/^RESULT/ { b[$2] = $3 }
	END {
		printf "%-32s %14s %14s %10s  %s\n", "figure", "guestkms", "bochs", "ratio", "unit"
		for (i = 0; i < n; i++) {
			k = order[i]
			r = "-"
			if (g[k] != "n/a" && b[k] != "n/a" && b[k] + 0 != 0)
				r = sprintf("%.2f", g[k] / b[k])
			printf "%-32s %14s %14s %10s  %s\n", k, g[k], b[k], r, u[k]
		}
	}' /tmp/guestkms.txt /tmp/bochs.txt
