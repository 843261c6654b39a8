#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks (make bench / make bench-quick): boot the test VM, run the
# scenarios side by side inside it (guest.sh), collect the CSV, write
# results.md, summary.json and PNG charts (report.py, gnuplot).
#
#   selftests/bench/run.sh [--quick] [SCENARIO...]     (B1 B2 B3 B4 B5 B6)
#
# Results: selftests/bench/results/ (full run) or results/quick/ (--quick),
# or BENCH_RESULTS=DIR.  Raw guest output: raw.log; rows: results.csv.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
quick=
[ "${1:-}" = --quick ] && { quick=--quick; shift; }
if [ -n "$quick" ]; then
	scens=${*:-B1 B2 B5}
	out=${BENCH_RESULTS:-$here/results/quick}
	vm_timeout=${BENCH_TIMEOUT:-2400}
else
	scens=${*:-B1 B2 B5 B3 B4 B6}
	out=${BENCH_RESULTS:-$here/results}
	vm_timeout=${BENCH_TIMEOUT:-10800}
fi

for f in "$top/igtb/igtb.ko" "$top/napi_macvlan/napi_macvlan.ko" "$top/userspace/vrctl"; do
	[ -e "$f" ] || { echo "bench: $f missing: run 'make' first" >&2; exit 2; }
done

mkdir -p "$out"
vmout=$(mktemp -d /tmp/napi-bench.XXXXXX)
trap 'rm -rf "$vmout"' EXIT

{
	echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
	echo "host_kernel=$(uname -r)"
	echo "host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "host_cpus=$(nproc)"
	echo "host_load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "git=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)"
	echo "scenarios=$scens"
	echo "quick=$([ -n "$quick" ] && echo yes || echo no)"
} > "$out/info.txt"

echo "bench: VM run of $scens (load $(cut -d' ' -f1-3 /proc/loadavg)); output in $out"
start=$(date +%s)
VM_OUT=$vmout "$top/selftests/vm/run.sh" -c 2 -m 2048 -t "$vm_timeout" \
	bash "$here/guest.sh" $quick $scens > "$out/raw.log" 2>&1
rc=$?
end=$(date +%s)
# the guest's own copy is complete even when the console lost lines
[ -s "$vmout/output" ] && cp "$vmout/output" "$out/raw.log"
[ -s "$vmout/dmesg" ] && cp "$vmout/dmesg" "$out/dmesg.log"
{
	echo "host_load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "vm_seconds=$((end - start))"
	echo "vm_status=$rc"
	sed -n 's/^INFO,\([^,]*\),\(.*\)$/guest_\1=\2/p' "$out/raw.log" | grep -v '^guest_columns='
} >> "$out/info.txt"

cols=$(sed -n 's/^INFO,columns,//p' "$out/raw.log" | head -1)
[ -n "$cols" ] || cols=$(. "$here/bench_lib.sh"; echo "$BENCH_COLUMNS")
{
	echo "$cols"
	sed -n 's/^CSV,//p' "$out/raw.log"
} > "$out/results.csv"
rows=$(($(wc -l < "$out/results.csv") - 1))
echo "bench: $rows rows in $((end - start)) s (VM status $rc)"
if [ "$rows" -eq 0 ]; then
	echo "bench: no measurement came back; see $out/raw.log" >&2
	tail -n 30 "$out/raw.log" >&2
	exit 1
fi
python3 "$here/report.py" "$out" || exit 1
echo "bench: $out/results.md"
[ "$rc" -eq 0 ] || echo "bench: WARNING: the VM run ended with status $rc (see raw.log, dmesg.log)" >&2
exit "$rc"
