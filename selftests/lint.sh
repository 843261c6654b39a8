#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make lint`: checkpatch --strict on the kernel sources, sparse on the
# modules, cppcheck on vrctl.  Exits non-zero on any finding.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${KDIR:=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)}"
checkpatch=/usr/src/linux-source-6.1/scripts/checkpatch.pl
rc=0

echo "== checkpatch --strict"
# cp IGNORES FILE...: checkpatch on files that exist.  Out of tree there is
# no kernel tree to check paths against.
cp()
{
	local ignore=$1 f files=()
	shift
	for f in "$@"; do
		case $f in *.mod.c) continue ;; esac
		[ -f "$top/$f" ] && files+=("$f")
	done
	[ ${#files[@]} -gt 0 ] || return 0
	(cd "$top" && $checkpatch --no-tree --strict --quiet --show-types \
		--ignore "FILE_PATH_CHANGES$ignore" -f "${files[@]}") || rc=1
}
shopt -s nullglob
cd "$top"
cp "" igtb/*.[ch] napi_macvlan/*.[ch] selftests/harness/*.c
# uapi headers cannot use BIT(): it is not part of the uapi.
cp ",BIT_MACRO" kmod/include/uapi/linux/*.h
# The compat header exists to switch on the kernel version.
cp ",LINUX_VERSION_CODE,CONSTANT_COMPARISON" kmod/include/*.h
cd - >/dev/null

echo "== sparse (C=1)"
log=$(mktemp)
flock "$top/.build.lock" make -s -C "$KDIR" M="$top" C=2 modules >"$log" 2>&1 || rc=1
if grep -E 'warning:|error:' "$log" | grep -v 'Skipping BTF'; then
	rc=1
fi
rm -f "$log"

echo "== cppcheck (vrctl)"
cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	--inline-suppr -I "$top/kmod/include/uapi" "$top/userspace"/*.c || rc=1

[ $rc -eq 0 ] && echo "lint: clean"
exit $rc
