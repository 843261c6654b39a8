#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: host unit tests, the VM harness self-test, and every VM
# selftest in one boot, and before those the .deb packages (make deb,
# install, DKMS, VM, purge: selftests/deb/check.sh; not with a TESTS list).
# Ends with one line "N passed, N failed, N skipped"
# and fails when any test failed or none passed.
#
#   selftests/check.sh [--host-only | --vm-only] [TESTFILE...]
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
vm=$top/selftests/vm/run.sh
: "${KDIR:=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)}"
mode=all
case ${1:-} in
--host-only) mode=host; shift ;;
--vm-only) mode=vm; shift ;;
esac

pass=0
fail=0
skip=0
failed=()
logdir=$top/build/check
mkdir -p "$logdir"

record()
{
	case $1 in
	pass) pass=$((pass + 1)); echo "ok - $2" ;;
	skip) skip=$((skip + 1)); echo "ok - $2 # SKIP $3" ;;
	*) fail=$((fail + 1)); failed+=("$2"); echo "not ok - $2${3:+ # $3}" ;;
	esac
}

# count_ktap LOG: add a KTAP log's ok / not ok / SKIP lines to the totals;
# sets $counted to the number of cases found.
count_ktap()
{
	local p s f
	p=$(grep -Ec '^ok [0-9]+ ' "$1")
	s=$(grep -Ec '^ok [0-9]+ .*# SKIP' "$1")
	f=$(grep -Ec '^not ok [0-9]+ ' "$1")
	pass=$((pass + p - s))
	skip=$((skip + s))
	fail=$((fail + f))
	[ "$f" -gt 0 ] && grep -E '^not ok [0-9]+ ' "$1" | sed 's/^/  /' >> "$logdir/failed"
	counted=$((p + f))
}

# run_ktap NAME LOG CMD...: run a step that prints KTAP and count its
# cases; NAME fails when CMD exits non-zero with no failed case, or when
# no case ran at all.
run_ktap()
{
	local name=$1 log=$2 rc
	shift 2
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	count_ktap "$log"
	if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$log"; then
		record fail "$name" "${1##*/} exited $rc"
	elif [ "$counted" -eq 0 ]; then
		record fail "$name" "no test case ran"
	fi
}

: > "$logdir/failed"
start=$(date +%s)

if [ "$mode" != vm ]; then
	echo "== host unit tests"
	if [ -f "$top/userspace/Makefile" ]; then
		run_ktap "host unit tests" "$logdir/host.log" \
			make -s -C "$top/userspace" test
	else
		record fail "host unit tests" "userspace/Makefile missing"
	fi
fi

if [ "$mode" != vm ]; then
	echo "== lint: checkpatch --strict, sparse, cppcheck"
	if "$top/selftests/lint.sh" >"$logdir/lint.log" 2>&1; then
		record pass "lint: checkpatch --strict, sparse and cppcheck are clean"
	else
		cat "$logdir/lint.log"
		record fail "lint: checkpatch --strict, sparse and cppcheck are clean" \
			"see build/check/lint.log"
	fi
fi

# The packages (make deb, install, DKMS, VM, purge) before the VM
# selftests: selftests/deb/check.sh purges them on any exit, so the
# selftests never meet the DKMS-built modules.  Not with a TESTS subset.
if [ "$mode" != host ] && [ $# -eq 0 ]; then
	echo "== packages: make deb, install, DKMS build, VM, purge"
	run_ktap "packages" "$logdir/deb.log" "$top/selftests/deb/check.sh"
fi

if [ "$mode" != host ]; then
	echo "== VM harness self-test: a guest WARN must fail the run"
	if [ -f "$top/selftests/harness/nmv_harness_warn.ko" ]; then
		"$vm" -t 300 -c 1 "$top/selftests/harness/warn.sh" >"$logdir/harness.log" 2>&1
		rc=$?
		if [ "$rc" -eq 90 ] && grep -q 'nmv_harness_warn: warning requested' "$logdir/harness.log"; then
			record pass "harness reports a guest kernel WARN as a failure"
		else
			record fail "harness reports a guest kernel WARN as a failure" \
				"runner exit $rc, expected 90 (see build/check/harness.log)"
		fi
	else
		record fail "harness reports a guest kernel WARN as a failure" \
			"test module not built (make selftests)"
	fi

	echo "== VM selftests"
	"$vm" -t "${VM_TIMEOUT:-4500}" -c 2 env NMV_ONLY="${NMV_ONLY:-}" \
		"$top/selftests/run.sh" "$@" 2>&1 | tee "$logdir/vm.log"
	rc=${PIPESTATUS[0]}
	summary=$(grep -a '^vm-summary:' "$logdir/vm.log" | tail -n 1)
	if [ -n "$summary" ]; then
		read -r vp vf vs < <(echo "$summary" |
			sed -E 's/.* ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/')
		pass=$((pass + vp))
		fail=$((fail + vf))
		skip=$((skip + vs))
		grep -a -E '^(not ok [0-9]+ |not ok - )' "$logdir/vm.log" | sed 's/^/  /' >> "$logdir/failed"
	fi
	case $rc in
	0) ;;
	90) record fail "guest kernel logged no warning" "WARN/BUG/oops in dmesg (see above)" ;;
	91) record fail "VM returned a result" "no result: panic or timeout" ;;
	*) [ -z "$summary" ] && record fail "VM selftests" "runner exited $rc without a summary" ;;
	esac
fi

echo
echo "== $(( $(date +%s) - start ))s"
if [ -s "$logdir/failed" ] || [ ${#failed[@]} -gt 0 ]; then
	echo "failed:"
	cat "$logdir/failed"
	[ ${#failed[@]} -gt 0 ] && printf '  %s\n' "${failed[@]}"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
