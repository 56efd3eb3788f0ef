#!/bin/sh
# SPDX-License-Identifier: MIT
# Host side of the kms suite: boots a guest with one display device and runs
# a script from tests/kms in it. Exits 77 (skip) when guestkms.ko or the
# harness is missing.
#
#   guest-test.sh RUN_GUEST KO OUTDIR [run-guest options...] -- SCRIPT [ARGS...]
set -u
run_guest=$1 ko=$2 outdir=$3
shift 3
if [ ! -f "$ko" ]; then
	echo "guestkms.ko was not built ($ko): skipping"
	exit 77
fi
if [ ! -x "$run_guest" ] || ! command -v qemu-system-x86_64 >/dev/null; then
	echo "no guest harness or QEMU: skipping"
	exit 77
fi
rm -rf "$outdir"
mkdir -p "$outdir"
exec "$run_guest" --out "$outdir" "$@"
