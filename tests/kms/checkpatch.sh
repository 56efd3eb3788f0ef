#!/bin/sh
# SPDX-License-Identifier: MIT
# checkpatch.pl --strict on kms/ (the kernel driver), with the script taken
# from Debian's linux-source package. Skips (77) without the tarball.
#   checkpatch.sh KMS_DIR CACHE_DIR
set -eu
kms=$1 cache=$2
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
if [ ! -x "$cache/scripts/checkpatch.pl" ]; then
	if [ -z "$tarball" ]; then
		echo "no /usr/src/linux-source-*.tar.xz (apt-get install linux-source): skipping"
		exit 77
	fi
	top=$(basename "$tarball" .tar.xz)
	mkdir -p "$cache"
	tar -C "$cache" --strip-components=1 -xJf "$tarball" \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
fi
set -- "$kms"/*.c "$kms"/*.h
[ -e "$1" ] || { echo "no sources in $kms"; exit 1; }
perl "$cache/scripts/checkpatch.pl" --no-tree --strict --show-types \
	--ignore FILE_PATH_CHANGES -f "$@"
