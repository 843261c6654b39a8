#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-debug`: build (once per machine, see build.sh) a 6.1 kernel
# with KASAN, lockdep, DEBUG_ATOMIC_SLEEP and kmemleak, build our modules
# against it outside the tree, and run the VM selftests on it.  Prints the
# build and run times, each test file's time, and ends with one line
# "N passed, N failed, N skipped".  Any KASAN/lockdep/WARN line in the
# guest's dmesg fails the run (selftests/vm/run.sh), so does a kmemleak
# report involving our modules (selftests/debug/guest.sh).
#
#   selftests/debug/check.sh [TESTFILE...]
#
# Environment:
#   NMV_DEBUG_TESTS    test names to run instead of all, e.g.
#                      "napi_macvlan_basic igtb_police"
#   NMV_DEBUG_CACHE    kernel cache (default /var/cache/napi-macvlan/debug-kernel)
#   NMV_DEBUG_TIMEOUT  whole VM run, seconds (default 7200)
#   NMV_DEBUG_MEM      VM memory, MB (default 3072: KASAN's shadow)
#   TEST_TIMEOUT       per test file, seconds (default 3600)
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
logdir=$top/build/check-debug
mkdir -p "$logdir"

tests=("$@")
if [ ${#tests[@]} -eq 0 ] && [ -n "${NMV_DEBUG_TESTS:-}" ]; then
	for n in $NMV_DEBUG_TESTS; do
		tests+=("$top/selftests/tests/${n%.sh}.sh")
	done
fi

t0=$(date +%s)
"$top/selftests/debug/build.sh" 2>&1 | tee "$logdir/build.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "check-debug: build failed"; exit 1; }
kver=$(sed -n 's/^kver=//p' "$logdir/build.log")
kodir=$(sed -n 's/^ko_dir=//p' "$logdir/build.log")
t1=$(date +%s)
echo "== build: $((t1 - t0))s (kernel $kver, modules in $kodir)"

echo "== VM selftests on $kver"
# pci=noacpi: under TCG the KASAN+lockdep kernel evaluates qemu's ACPI _PRT
# too slowly (AE_AML_LOOP_TIMEOUT, RCU stalls, virtio gets no IRQ); the
# BIOS IRQ routing table works.
VM_APPEND="pci=noacpi ${VM_APPEND:-}" \
	"$top/selftests/vm/run.sh" -k "$kver" -m "${NMV_DEBUG_MEM:-3072}" -c 2 \
	-t "${NMV_DEBUG_TIMEOUT:-7200}" \
	env NMV_KO_DIR="$kodir" TEST_TIMEOUT="${TEST_TIMEOUT:-3600}" \
	"$top/selftests/debug/guest.sh" "${tests[@]}" 2>&1 | tee "$logdir/vm.log"
rc=${PIPESTATUS[0]}
t2=$(date +%s)

pass=0
fail=0
skip=0
summary=$(grep -a '^vm-summary:' "$logdir/vm.log" | tail -n 1)
if [ -n "$summary" ]; then
	read -r pass fail skip < <(echo "$summary" |
		sed -E 's/.* ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/')
fi
grep -aq '^ok - kmemleak' "$logdir/vm.log" && pass=$((pass + 1))
grep -aq '^not ok - kmemleak' "$logdir/vm.log" && fail=$((fail + 1))
case $rc in
0) ;;
90) fail=$((fail + 1)); echo "not ok - guest kernel logged no KASAN/lockdep/WARN splat" ;;
91) fail=$((fail + 1)); echo "not ok - VM returned a result (panic or timeout)" ;;
*) [ -z "$summary" ] && { fail=$((fail + 1)); echo "not ok - VM selftests: runner exited $rc"; } ;;
esac

echo
echo "== per test file (debug kernel):"
grep -a '^# debug-time:' "$logdir/vm.log" | sed 's/^# debug-time: /  /'
echo "== build $((t1 - t0))s, VM run $((t2 - t1))s, total $((t2 - t0))s"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
