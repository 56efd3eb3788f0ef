#!/bin/sh
# kbuild.sh KDIR SRCDIR WORKDIR OUTPUT: build kms/ out of tree with Kbuild.
set -eu
kdir=$1 src=$2 work=$3 out=$4
mkdir -p "$work"
# Copy only what changed so Kbuild's own dependency tracking keeps working.
for f in "$src"/Kbuild "$src"/*.c "$src"/*.h; do
	[ -e "$f" ] || continue
	cmp -s "$f" "$work/$(basename "$f")" 2>/dev/null || cp "$f" "$work/"
done
# Drop files deleted from the source tree.
for f in "$work"/*.c "$work"/*.h; do
	[ -e "$f" ] || continue
	[ -e "$src/$(basename "$f")" ] || rm -f "$f"
done
# Module BTF needs the kernel's vmlinux, which a headers-only tree lacks:
# Kbuild would skip it anyway and print "Skipping BTF generation" for it.
make -s -C "$kdir" M="$work" W=1 CONFIG_DEBUG_INFO_BTF_MODULES= modules
cp "$work/guestkms.ko" "$out"
