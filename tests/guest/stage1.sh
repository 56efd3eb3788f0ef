#!/bin/sh
# First stage (busybox, in the initramfs): mount the host root read-only over
# virtio-9p under a tmpfs overlay and switch to it.
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sys /sys
$bb mount -t devtmpfs dev /dev
fail() {
	echo "guest stage1: $*" >/dev/console
	$bb sleep 1
	echo o >/proc/sysrq-trigger
	exec $bb sleep 1000
}
for m in /mods/*; do
	$bb insmod "$m" || fail "insmod $m failed"
done
$bb mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose host /lower ||
	fail "cannot mount the host root over 9p"
$bb mount -t tmpfs -o mode=0755 upper /upper
$bb mkdir -p /upper/u /upper/w
$bb mount -t overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w,index=off,metacopy=off \
	overlay /newroot || fail "cannot mount the overlay"
$bb mkdir -p /newroot/mnt/out
$bb mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out /newroot/mnt/out ||
	fail "cannot mount the out share"
$bb cp /stage2.sh /upper/u/.guestwl-stage2.sh
$bb mount --move /dev /newroot/dev
$bb umount /proc /sys
exec $bb switch_root /newroot /bin/sh /.guestwl-stage2.sh
