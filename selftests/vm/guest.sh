#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Stage 2, inside the VM on the host's (read-only) root: set up a minimal
# system, run the command the host left in /tmp/.vmout/cmd, save its exit
# code and the kernel log, power off.
out=/tmp/.vmout
# Debian's own tools first (a /usr/local python3 may be a slow pyenv shim).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:/usr/local/sbin:/usr/local/bin
export HOME=/tmp TERM=dumb LANG=C.UTF-8

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs shm /dev/shm
# devtmpfs has no /dev/fd: bash's <(...) and /dev/stdin need them.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
# Writable places some tools expect on a read-only root.
for d in /var/tmp /var/lib/misc /var/log /var/cache; do
	mount -t tmpfs tmpfs "$d" 2>/dev/null
done
# Those may hide this tree (a clone under /var/tmp): mount it again, as
# stage 1 did under /tmp.
if [ -n "${vmtop:-}" ] && [ ! -e "$vmtop/selftests/vm/guest.sh" ]; then
	mkdir -p "$vmtop"
	mount --bind /run/.vmtop "$vmtop" ||
		echo "vm-guest: cannot mount the tree at $vmtop"
fi
mkdir -p /run/netns /run/lock
touch /run/napi-vm
hostname vm
ip link set lo up
# An oops must end the run (the host sees no exit code and fails), not hang.
sysctl -qw kernel.panic_on_oops=1 kernel.panic=-1
dmesg -n 4

cd "$(cat $out/cwd)" 2>/dev/null || cd /
bash $out/cmd 2>&1 | tee $out/output
echo "${PIPESTATUS[0]}" > $out/rc
dmesg > $out/dmesg
sync
umount $out
/bin/busybox poweroff -f
echo o > /proc/sysrq-trigger
