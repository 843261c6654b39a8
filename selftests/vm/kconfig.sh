#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configure a kernel source tree for the VM selftests: allnoconfig, then
# selftests/vm/kernel.config (and any further fragments) on top, then
# check that every option asked for came out with that value
# (merge_config.sh only warns when a dependency is missing).
#
#   selftests/vm/kconfig.sh [--check] TREE [FRAGMENT...]
#
# --check only compares TREE/.config with the fragments.
#
# Then build it (make -C TREE -j$(nproc)) and run the suite on it:
#   make check KDIR=TREE VMLINUZ=TREE/arch/x86/boot/bzImage
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
check_only=0
[ "${1:-}" = --check ] && { check_only=1; shift; }
[ $# -ge 1 ] && [ -f "$1/Makefile" ] || {
	echo "usage: $0 KERNEL_SOURCE_TREE [FRAGMENT...]" >&2
	exit 2
}
tree=$(cd "$1" && pwd)
shift
frags=("$top/selftests/vm/kernel.config" "$@")

if [ $check_only -eq 0 ]; then
	empty=$(mktemp)
	trap 'rm -f "$empty"' EXIT
	# -n: allnoconfig as the base, the fragments on top.
	(cd "$tree" && scripts/kconfig/merge_config.sh -n "$empty" "${frags[@]}" >/dev/null &&
		make -s olddefconfig)
fi

bad=0
while IFS= read -r line; do
	case $line in CONFIG_*=*) ;; *) continue ;; esac
	opt=${line%%=*}
	want=${line#*=}
	have=$(grep -E "^$opt=" "$tree/.config" | cut -d= -f2- || true)
	if [ "$want" = n ]; then
		[ -z "$have" ] && continue
	elif [ "$have" = "$want" ]; then
		continue
	fi
	echo "kconfig.sh: $opt: asked ${want}, got ${have:-unset}" >&2
	bad=1
done < <(cat "${frags[@]}")
[ $bad -eq 0 ] || { echo "kconfig.sh: the fragment does not apply to $tree" >&2; exit 1; }
echo "kconfig.sh: $tree matches the fragments ($(make -s -C "$tree" kernelversion))"
