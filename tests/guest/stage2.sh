#!/bin/sh
# Second stage (the host's own /bin/sh, as PID 1 in the overlaid root): set up
# a minimal system, run the job from /mnt/out/.guest/cmd, report its status
# on the console and power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs -o mode=0755 run /run
# /tmp stays the overlaid host /tmp, so build trees there are visible.
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 shm /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
hostname guest
ip link set lo up 2>/dev/null
mkdir -p -m 0700 /run/user/0
mkdir -p /run/guestwl-harness
export XDG_RUNTIME_DIR=/run/user/0

. /mnt/out/.guest/env
export GUEST_DEVICE GUEST_RES GUEST_HARNESS
export PATH="$GUEST_HARNESS/bin:$PATH"
stty -F /dev/ttyS1 raw -echo 2>/dev/null

if [ "$GUEST_UDEV" = 1 ]; then
	udevd=/lib/systemd/systemd-udevd
	[ -x "$udevd" ] || udevd=/usr/lib/systemd/systemd-udevd
	$udevd --daemon >/dev/null 2>&1
	udevadm trigger --action=add >/dev/null 2>&1
	udevadm settle --timeout=60 >/dev/null 2>&1
fi

echo "@@GUESTWL-START@@"
sh /mnt/out/.guest/cmd </dev/null
rc=$?
echo "$rc" >/mnt/out/.guest/rc
sync
echo "@@GUESTWL-EXIT $rc@@"
echo o >/proc/sysrq-trigger
sleep 1000
