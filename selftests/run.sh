#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In-VM test runner: load igtb.ko and napi_macvlan.ko, run each test program
# (default: every selftests/tests/*.sh), unload the modules, and print
#   vm-summary: N passed, N failed, N skipped
# Test cases are counted from the programs' KTAP lines; a program that dies,
# times out or exits non-zero without a "not ok" line counts as one failure.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
# the modules to test (make check-debug points this at its own build)
kodir=${NMV_KO_DIR:-$top}
per_test_timeout=${TEST_TIMEOUT:-1500}
pass=0
fail=0
skip=0
failed=()

if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=("$top"/selftests/tests/*.sh)
fi

result()
{
	case $1 in
	pass) pass=$((pass + 1)); echo "ok - $2" ;;
	skip) skip=$((skip + 1)); echo "ok - $2 # SKIP $3" ;;
	*) fail=$((fail + 1)); failed+=("$2"); echo "not ok - $2 # $3" ;;
	esac
}

if ! in_vm_check=$(cat /run/napi-vm 2>&1); then
	echo "run.sh: not inside the selftest VM ($in_vm_check); use selftests/vm/run.sh" >&2
	exit 2
fi

echo "# kernel $(uname -r), $(nproc) CPUs"
loaded=1
for m in igtb napi_macvlan; do
	if ! out=$(insmod "$kodir/$m/$m.ko" 2>&1); then
		result fail "load $m.ko" "$out"
		loaded=0
	fi
done
[ $loaded -eq 1 ] && result pass "load igtb.ko and napi_macvlan.ko"

for t in "${tests[@]}"; do
	name=${t#"$top"/}
	echo "# ---- $name"
	log=$(mktemp)
	timeout --kill-after=10 "$per_test_timeout" bash "$t" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	p=$(grep -Ec '^ok [0-9]+ ' "$log")
	s=$(grep -Ec '^ok [0-9]+ .*# SKIP' "$log")
	f=$(grep -Ec '^not ok [0-9]+ ' "$log")
	pass=$((pass + p - s))
	skip=$((skip + s))
	fail=$((fail + f))
	[ "$f" -gt 0 ] && failed+=("$name ($f)")
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		result fail "$name" "timed out after ${per_test_timeout}s"
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		result fail "$name" "exited $rc without a failed case"
	elif [ $((p + f)) -eq 0 ]; then
		result fail "$name" "ran no test case"
	elif plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n 1) &&
	     [ -n "$plan" ] && [ "$plan" -ne $((p + f)) ]; then
		result fail "$name" "planned $plan cases, ran $((p + f))"
	fi
	rm -f "$log"
	# Tests must leave nothing behind for the next one.
	left=$(ip netns list 2>/dev/null | wc -l)
	if [ "$left" -ne 0 ]; then
		result fail "$name leaves no namespace" "$left left: $(ip netns list | tr '\n' ' ')"
		ip -all netns delete 2>/dev/null
	fi
done

# Unload: must succeed and must not WARN (the host scans dmesg after).
if [ $loaded -eq 1 ]; then
	if out=$( (rmmod napi_macvlan && rmmod igtb) 2>&1); then
		result pass "unload napi_macvlan.ko and igtb.ko"
	else
		result fail "unload napi_macvlan.ko and igtb.ko" "$out"
	fi
fi

[ ${#failed[@]} -gt 0 ] && printf '# failed: %s\n' "${failed[@]}"
echo "vm-summary: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
