#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the debug-kernel VM (started by selftests/debug/check.sh): run the
# selftests through selftests/run.sh, print each test file's run time, then
# ask kmemleak for leaks and fail when a leak involves our modules.
#
#   selftests/debug/guest.sh [TESTFILE...]      (NMV_KO_DIR: our modules)
#
# kmemleak policy: a leak report fails the run when its backtrace names
# napi_macvlan, igtb or nmv_, or holds an unsymbolized address in the module
# area (0xffffffffa0000000 and up, no KASLR): the debug kernel has every
# driver built in, so the only modules ever loaded are ours, and once
# selftests/run.sh has unloaded them their frames print as bare addresses.
# Other reports (the core kernel's own, often false positives) are printed
# for information only.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
kml=/sys/kernel/debug/kmemleak

if [ ! -w "$kml" ]; then
	echo "guest.sh: $kml missing: not the debug kernel, or kmemleak disabled" >&2
	exit 2
fi
# Forget what boot left behind; only leaks made by the tests count.
echo clear > "$kml"

echo "# debug kernel $(uname -r): KASAN, lockdep, DEBUG_ATOMIC_SLEEP, kmemleak"
echo "# $(nproc) CPUs online; $(dmesg | grep -m1 -E "smp: Brought up|SMP disabled|Allowing [0-9]+ .*CPUs")"
cur=
t=$SECONDS
"$top/selftests/run.sh" "$@" 2>&1 | while IFS= read -r line; do
	case $line in
	"# ---- "*|"ok - unload "*|"not ok - unload "*|vm-summary:*)
		[ -n "$cur" ] && echo "# debug-time: $cur $((SECONDS - t))s"
		cur=
		case $line in "# ---- "*) cur=${line#"# ---- "}; t=$SECONDS ;; esac
		;;
	esac
	printf '%s\n' "$line"
done
rc=${PIPESTATUS[0]}

# Objects younger than 5 s are never reported, and an object is reported
# only when it stayed unreferenced and unchanged across two scans.
sleep 6
echo scan > "$kml"
sleep 1
echo scan > "$kml"
report=$(cat "$kml")
total=$(printf '%s\n' "$report" | grep -c '^unreferenced object')
ours=$(printf '%s\n' "$report" | awk '
	/^unreferenced object/ { if (blk != "" && hit) print blk; blk = ""; hit = 0 }
	{ blk = blk $0 "\n" }
	/napi_macvlan|igtb|nmv_|\[<ffffffff[a-f][0-9a-f]{7}>\] 0x/ { hit = 1 }
	END { if (blk != "" && hit) print blk }')
nours=$(printf '%s\n' "$ours" | grep -c '^unreferenced object')

if [ "$nours" -gt 0 ]; then
	echo "not ok - kmemleak: no leak from our modules # $nours of $total leak reports are ours"
	printf '%s\n' "$ours" | head -n 200
	rc=1
else
	echo "ok - kmemleak: no leak from our modules ($total reports from the core kernel)"
	if [ "$total" -gt 0 ]; then
		echo "# kmemleak reports not involving our modules (information):"
		printf '%s\n' "$report" | head -n 60 | sed 's/^/#   /'
	fi
fi
exit "$rc"
