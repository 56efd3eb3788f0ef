#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs inside the guest (run-guest --udev): other compositors on guestkms.
#   weston: drm-backend, pixman renderer, kiosk shell, as root, showing
#           weston-simple-shm.
#   cage:   wlroots with WLR_RENDERER=pixman as an unprivileged user through
#           seatd (wlroots needs PRIME), showing weston-simple-shm.
# Pass: the screendump shows the client's 250x250 window.
#
#   peers-in-guest.sh --ko KO --kmstest KMSTEST --peer weston|cage
set -u

ko= kmstest= peer=
while [ $# -gt 0 ]; do
	case "$1" in
	--ko) ko=$2; shift 2 ;;
	--kmstest) kmstest=$2; shift 2 ;;
	--peer) peer=$2; shift 2 ;;
	*) echo "peers-in-guest: unknown argument $1" >&2; exit 2 ;;
	esac
done
case "$peer" in weston|cage) ;; *) echo "usage: $0 --ko KO --kmstest BIN --peer weston|cage" >&2; exit 2 ;; esac
[ -f "$ko" ] || { echo "peers-in-guest: $ko not built"; exit 77; }
out=${GUEST_OUT:-/mnt/out}
. "$(dirname "$0")/guest-lib.sh"
pids=

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
}
trap cleanup EXIT

# Polls (at most $2 tries, one per second) until the command succeeds.
retry() {
	n=$1; shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		n=$((n - 1))
		sleep 1
	done
	return 1
}

shot() { guest-ctl screendump "$1" >/dev/null; }
# The compositor has drawn once the screen differs from the console.
changed_from() { shot "$peer-$2" && ! cmp -s "$out/$1.png" "$out/$peer-$2.png"; }
window_shown() {
	shot "$peer-client" &&
		"$kmstest" --find-window "$out/$peer-client.png" 250x250 "$out/$peer-before.png"
}

setup_guestkms
# A static console: no blinking cursor, so any change is the compositor's.
printf '\033[?25l' >/dev/tty1 2>/dev/null

rm -f /run/seatd.sock
seatd -u nobody >/tmp/seatd.log 2>&1 &
pids="$pids $!"
retry 30 test -S /run/seatd.sock || { bad seatd "no /run/seatd.sock: $(tail -n 3 /tmp/seatd.log)"; exit 1; }
export LIBSEAT_BACKEND=seatd

shot "$peer-console" || { bad screendump "guest-ctl screendump failed"; exit 1; }

if [ "$peer" = weston ]; then
	rundir=/run/user/0
	printf '[shell]\nbackground-color=0xff000000\n' >/tmp/weston.ini
	XDG_RUNTIME_DIR=$rundir weston --backend=drm-backend.so --use-pixman --tty=1 \
		--continue-without-input --shell=kiosk-shell.so --socket=kmstest-0 \
		--config=/tmp/weston.ini --log=/tmp/peer.log &
	pids="$pids $!"
	sock=kmstest-0
	runas() { "$@"; }
else
	rundir=/run/user/65534
	mkdir -p -m 0700 $rundir && chown nobody:nogroup $rundir
	runas() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	runas env -u WAYLAND_DISPLAY -u DISPLAY XDG_RUNTIME_DIR=$rundir WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
		WLR_DRM_DEVICES=/dev/dri/card0 WLR_BACKENDS=drm,libinput cage -- sleep 600 \
		>/tmp/peer.log 2>&1 &
	pids="$pids $!"
	sock=wayland-0
fi

if ! retry 60 test -S "$rundir/$sock"; then
	bad "$peer-start" "no Wayland socket $rundir/$sock: $(tail -n 5 /tmp/peer.log | tr '\n' ' ')"
	echo "$pass passed, $fail failed"; exit 1
fi
ok "$peer-start"
if retry 30 changed_from "$peer-console" before; then
	ok "$peer-draws"
else
	bad "$peer-draws" "the screen still shows the console"
fi

runas env XDG_RUNTIME_DIR=$rundir WAYLAND_DISPLAY=$sock weston-simple-shm >/tmp/client.log 2>&1 &
pids="$pids $!"
if retry 30 window_shown; then
	ok "$peer-simple-shm"
else
	bad "$peer-simple-shm" "no 250x250 window on screen ($(tail -n 3 /tmp/client.log | tr '\n' ' '))"
	tail -n 20 /tmp/peer.log
fi
cleanup
pids=
cp /tmp/peer.log "$out/$peer.log" 2>/dev/null
dmesg >"$out/$peer-dmesg.txt"
dmesg_clean "dmesg-after-$peer"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
