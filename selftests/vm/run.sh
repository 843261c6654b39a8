#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the installed Debian kernel under qemu and run a command inside as
# root, with the host's root filesystem visible read-only (built modules,
# vrctl, ip, tc ... at the same paths) and tmpfs on /tmp and /run.  This
# tree is exported on its own too, so a clone under /tmp works.
#
# Another kernel: VMLINUZ=PATH/bzImage with KDIR=its build tree (the
# modules are built against KDIR).  Without /lib/modules/KVER on the host,
# the tree's modules_install output is mounted on the guest's /lib/modules
# (configure the tree with selftests/vm/kconfig.sh).
#
#   selftests/vm/run.sh [-t TIMEOUT_S] [-c CPUS] [-m MEM_MB] [-k KVER]
#                       [--icount] [--allow-warn] [--keep] CMD [ARGS...]
#
# --icount: TCG with -icount shift=0,sleep=off and one vCPU (QEMU 7.2 hung
# bringing up a second vCPU with icount): guest time counts instructions
# (1 ns per instruction), so durations measured in the guest repeat
# whatever the host load (selftests/bench cost mode).
#
# Exit status: CMD's status when it fails; 0 when it succeeded and the
# guest kernel logged no warning; 90 when the kernel logged a WARN, BUG,
# oops or refcount error; 91 when no result came back (panic, timeout).
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
timeout=900
cpus=2
mem=2048
kver=
allow_warn=0
keep=0
icount=0

while [ $# -gt 0 ]; do
	case $1 in
	-t) timeout=$2; shift 2 ;;
	-c) cpus=$2; shift 2 ;;
	-m) mem=$2; shift 2 ;;
	-k) kver=$2; shift 2 ;;
	--allow-warn) allow_warn=1; shift ;;
	--keep) keep=1; shift ;;
	--icount) icount=1; shift ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: $0 [options] CMD [ARGS...]" >&2; exit 2; }

# The kernel to boot: the one the modules are built against.
if [ -z "$kver" ]; then
	kdir=${KDIR:-$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)}
	kver=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' \
		"$kdir/include/generated/utsrelease.h" 2>/dev/null)
fi
kernel=${VMLINUZ:-/boot/vmlinuz-$kver}
if [ -z "$kver" ] || [ ! -r "$kernel" ]; then
	echo "run.sh: no bootable kernel for '$kver' ($kernel; run 'make deps'," \
	     "or give VMLINUZ and KDIR)" >&2
	exit 2
fi

cache=$top/build/vm
mkdir -p "$cache"

# The guest's /lib/modules/KVER: the host's, or for a kernel that is not
# installed here, KDIR's modules_install output (modules.builtin lets the
# tests' `modprobe veth` succeed for built-in drivers).
moddir=/lib/modules/$kver
vmmods=
if [ ! -s "$moddir/modules.builtin" ]; then
	kdir=${kdir:-${KDIR:-}}
	modroot=$cache/modroot-$kver
	if [ -z "$kdir" ] || [ ! -s "$kdir/modules.builtin" ]; then
		echo "run.sh: $kernel is not installed and KDIR has no built tree" \
		     "(modules.builtin) to take /lib/modules/$kver from" >&2
		exit 2
	fi
	if [ ! -s "$modroot/lib/modules/$kver/modules.dep" ] ||
	   [ "$kdir/modules.builtin" -nt "$modroot/lib/modules/$kver/modules.dep" ]; then
		rm -rf "$modroot"
		make -s -C "$kdir" INSTALL_MOD_PATH="$modroot" modules_install >/dev/null || {
			echo "run.sh: modules_install from $kdir failed" >&2
			exit 2
		}
	fi
	moddir=$modroot/lib/modules/$kver
	vmmods="vmmods=$modroot/lib/modules "
fi

# Tiny initramfs: static busybox, the virtio/9p modules, stage-1 init.
initrd=$cache/initramfs-$kver.cpio.gz
if [ ! -s "$initrd" ] || [ "$top/selftests/vm/init" -nt "$initrd" ] ||
   [ "$0" -nt "$initrd" ] || [ "$kernel" -nt "$initrd" ]; then
	stage=$(mktemp -d)
	mkdir -p "$stage"/{bin,dev,proc,sys,modules,newroot}
	cp /bin/busybox "$stage/bin/busybox"
	cp "$top/selftests/vm/init" "$stage/init"
	for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev \
		 virtio_pci netfs fscache 9pnet 9pnet_virtio 9p; do
		# Built in, or not configured in a kernel with 9p built in (the
		# selftests/debug kernel has no virtio_pci_legacy_dev): nothing
		# to load.
		builtin=$moddir/modules.builtin
		grep -q "/$m.ko\$" "$builtin" 2>/dev/null && continue
		f=$(find "$moddir/kernel" -name "$m.ko" -print -quit 2>/dev/null)
		[ -z "$f" ] && grep -q "/9p.ko\$" "$builtin" 2>/dev/null && continue
		[ -n "$f" ] || { echo "run.sh: module $m missing" >&2; exit 2; }
		cp "$f" "$stage/modules/"
	done
	(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) > "$initrd.tmp.$$" &&
		mv "$initrd.tmp.$$" "$initrd"
	rm -rf "$stage"
fi

# KVM: /dev/kvm may exist without working (these machines: MSR 0x10a
# aborts).  Probe once per host kernel and cache the answer.
accel="-accel tcg -cpu max"
probe=$cache/kvm-$(uname -r)
if [ -w /dev/kvm ] && [ ! -e "$probe" ]; then
	if (timeout 60 qemu-system-x86_64 -accel kvm -cpu host -m 256 -nodefaults \
		-no-reboot -display none -kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 rdinit=/bin/busybox -- poweroff -f" \
		-serial null </dev/null >/dev/null 2>&1) 2>/dev/null; then
		echo ok > "$probe"
	else
		echo bad > "$probe"
	fi
fi
[ "$(cat "$probe" 2>/dev/null)" = ok ] && accel="-accel kvm -cpu host"
if [ $icount -eq 1 ]; then
	accel="-accel tcg -cpu max -icount shift=0,sleep=off"
	cpus=1
fi

out=$(mktemp -d /tmp/napi-vm.XXXXXX)
pwd > "$out/cwd"
printf '%q ' "$@" > "$out/cmd"
echo >> "$out/cmd"

timeout --kill-after=10 "$timeout" qemu-system-x86_64 $accel \
	-m "$mem" -smp "$cpus" -nodefaults -no-reboot -display none \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 quiet loglevel=4 panic=-1 ${VM_APPEND:-}${vmmods}vmtop=$top vminit=$top/selftests/vm/guest.sh" \
	-chardev stdio,id=con,signal=off -serial chardev:con \
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=root,mount_tag=root \
	-fsdev local,id=top,path="$top",security_model=none,readonly=on \
	-device virtio-9p-pci,fsdev=top,mount_tag=top \
	-fsdev local,id=out,path="$out",security_model=none \
	-device virtio-9p-pci,fsdev=out,mount_tag=out \
	-device virtio-rng-pci \
	</dev/null
qrc=$?

status=0
if [ ! -s "$out/rc" ]; then
	if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
		echo "run.sh: VM timed out after ${timeout}s" >&2
	else
		echo "run.sh: VM gave no result (qemu exit $qrc; panic?)" >&2
	fi
	status=91
else
	status=$(cat "$out/rc")
	# A kernel warning fails the run even when the command passed.
	pat='WARNING:|BUG:|Oops|Call Trace|refcount_t|general protection|UBSAN|KASAN|kmemleak'
	# kmemleak's banner and scan summary are not findings: the debug
	# suite (selftests/debug/guest.sh) reads the leak report itself.
	benign='kmemleak: (Kernel memory leak detector initialized|[0-9]+ new suspected memory leaks)'
	if grep -Ev "$benign" "$out/dmesg" | grep -Eq "$pat"; then
		echo "run.sh: the guest kernel logged a warning:" >&2
		grep -Ev "$benign" "$out/dmesg" | grep -E -B2 -A20 "$pat" | head -n 80 >&2
		[ $allow_warn -eq 1 ] || status=90
	fi
fi

if [ $keep -eq 1 ] || [ -n "${VM_OUT:-}" ]; then
	[ -n "${VM_OUT:-}" ] && { mkdir -p "$VM_OUT"; cp -a "$out/." "$VM_OUT/"; }
	[ $keep -eq 1 ] && echo "run.sh: results kept in $out" >&2
	[ $keep -eq 1 ] || rm -rf "$out"
else
	rm -rf "$out"
fi
exit "$status"
