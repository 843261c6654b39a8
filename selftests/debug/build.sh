#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once per machine) a debug kernel from Debian's linux-source-6.1
# with KASAN, lockdep, DEBUG_ATOMIC_SLEEP and kmemleak, install it like a
# distribution kernel (/boot/vmlinuz-KVER, /lib/modules/KVER without a
# `build` link, so the normal build never picks it), and build our modules
# against it in a copy outside the tree.
#
#   selftests/debug/build.sh        prints "kver=KVER" and "ko_dir=DIR" last
#
# Cache: $NMV_DEBUG_CACHE (default /var/cache/napi-macvlan/debug-kernel)/KEY,
# KEY = hash of debug.config + the linux-source-6.1 package version: a
# changed fragment or source package builds a new kernel, an unchanged one
# never rebuilds.  Our modules are rebuilt (incrementally) every time.
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
# The VM kernel fragment (what the tests use) plus the debug options.
frags=("$top/selftests/vm/kernel.config" "$top/selftests/debug/debug.config")
tarball=/usr/src/linux-source-6.1.tar.xz
cache=${NMV_DEBUG_CACHE:-/var/cache/napi-macvlan/debug-kernel}

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) || {
	echo "build.sh: linux-source-6.1 is not installed (apt-get install linux-source-6.1)" >&2
	exit 2
}
[ -r "$tarball" ] || { echo "build.sh: $tarball missing" >&2; exit 2; }
key=$( { cat "${frags[@]}"; echo "$srcver"; } | sha256sum | cut -c1-16)
dir=$cache/$key
ksrc=$dir/linux
mkdir -p "$dir"

# One builder at a time per cache entry.
exec 9>"$dir/.lock"
flock 9

if [ ! -e "$dir/kernel.done" ]; then
	t0=$(date +%s)
	echo "build.sh: building the debug kernel in $ksrc (log: $dir/build.log)"
	rm -rf "$ksrc"
	mkdir -p "$ksrc"
	tar -xf "$tarball" --strip-components=1 -C "$ksrc"
	cd "$ksrc"
	"$top/selftests/vm/kconfig.sh" "$ksrc" "$top/selftests/debug/debug.config" \
		> "$dir/build.log" 2>&1 || {
		cat "$dir/build.log" >&2
		echo "build.sh: the fragment does not apply (dependencies missing)" >&2
		exit 1
	}
	nice -n 10 make -j"${NMV_DEBUG_JOBS:-2}" >> "$dir/build.log" 2>&1 || {
		tail -n 30 "$dir/build.log" >&2
		echo "build.sh: kernel build failed, see $dir/build.log" >&2
		exit 1
	}
	kver=$(make -s kernelrelease)
	echo "$kver" > "$dir/kver"
	t1=$(date +%s)
	echo "build.sh: kernel $kver built in $((t1 - t0))s," \
		"bzImage $(stat -c %s arch/x86/boot/bzImage) bytes," \
		"vmlinux $(stat -c %s vmlinux) bytes"
	echo "$((t1 - t0))" > "$dir/build-seconds"
	touch "$dir/kernel.done"
fi

kver=$(cat "$dir/kver")
# Install like a distribution kernel; modules.builtin lets the guest's
# `modprobe veth` succeed for built-in drivers.  No build/source links:
# the top Makefile and the VM runner pick the newest /lib/modules/*/build.
if ! cmp -s "$ksrc/arch/x86/boot/bzImage" "/boot/vmlinuz-$kver" ||
   [ ! -s "/lib/modules/$kver/modules.builtin" ]; then
	install -m 644 "$ksrc/arch/x86/boot/bzImage" "/boot/vmlinuz-$kver"
	make -C "$ksrc" -s modules_install >> "$dir/build.log" 2>&1
	rm -f "/lib/modules/$kver/build" "/lib/modules/$kver/source"
fi

# Our modules, built from a copy: Kbuild M= writes objects in place.
mods=$dir/modules
mkdir -p "$mods"
rsync -a --delete --exclude='*.mod.c' --include='*/' --include='Kbuild' --include='Kbuild.include' --include='Makefile' \
	--include='*.[ch]' --exclude='*' --prune-empty-dirs \
	"$top/Kbuild" "$top/kmod" "$top/igtb" "$top/napi_macvlan" "$mods/"
mkdir -p "$mods/selftests"
rsync -a --delete --exclude='*.mod.c' --include='Kbuild' --include='*.[ch]' --exclude='*' \
	"$top/selftests/harness/" "$mods/selftests/harness/"
make -s -C "$ksrc" M="$mods" modules >> "$dir/modules.log" 2>&1 || {
	tail -n 30 "$dir/modules.log" >&2
	echo "build.sh: our modules do not build against $kver" >&2
	exit 1
}
make -s -C "$ksrc" M="$mods/selftests/harness" modules >> "$dir/modules.log" 2>&1 || {
	tail -n 30 "$dir/modules.log" >&2
	exit 1
}
# The guest mounts tmpfs over /var/cache: put the .ko files where it
# sees them (outside the repo, next to the kernel they belong to).
kodir=/lib/modules/$kver/nmv
for m in igtb/igtb napi_macvlan/napi_macvlan \
	 selftests/harness/nmv_harness_warn; do
	install -D -m 644 "$mods/$m.ko" "$kodir/$m.ko"
done
echo "kver=$kver"
echo "ko_dir=$kodir"
