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
files=$(cd "$top" && ls igtb/*.[ch] napi_macvlan/*.[ch] kmod/include/*.h \
	kmod/include/uapi/linux/*.h selftests/harness/*.c 2>/dev/null)
# Out-of-tree: no kernel tree to check file paths against.
(cd "$top" && $checkpatch --no-tree --strict --quiet --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $files) || rc=1

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
