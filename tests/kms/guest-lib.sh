# SPDX-License-Identifier: MIT
# Shared by run-in-guest.sh and peers-in-guest.sh (sourced, POSIX sh).
# Needs $ko (guestkms.ko) and optionally $param (module parameters).
pass=0 fail=0

ok() { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# Loads guestkms.ko after its dependencies (drm, drm_kms_helper, ... come
# from the distribution) and waits for its device node.
load() {
	for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do
		modprobe "$dep" || return 1
	done
	# shellcheck disable=SC2086 # $param is a list of name=value words
	insmod "$ko" ${param:-} || return 1
	w=0
	while [ ! -e /dev/dri/card0 ] && [ $w -lt 100 ]; do
		sleep 0.05; w=$((w + 1))
	done
	[ -e /dev/dri/card0 ]
}

# Makes sure no in-tree driver holds the display, then loads guestkms.
setup_guestkms() {
	for m in bochs cirrus bochs_drm cirrus_qemu; do
		if grep -q "^$m " /proc/modules; then
			rmmod "$m" || { echo "FAIL setup: in-tree $m is loaded and cannot be removed"; exit 1; }
		fi
	done
	echo 0 >/sys/class/graphics/fbcon/cursor_blink 2>/dev/null
	if load; then
		ok load
	else
		bad load "cannot load $ko"
		echo "$pass passed, $fail failed"
		exit 1
	fi
}

dmesg_clean() {
	if dmesg | grep -E 'WARNING:|Oops|BUG:|Call Trace|general protection|KASAN|UBSAN' >/tmp/kms-bad.log; then
		bad "$1" "kernel log: $(head -n 3 /tmp/kms-bad.log | tr '\n' ' ')"
		return 1
	fi
	ok "$1"
}
