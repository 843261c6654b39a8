#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks (make bench / make bench-quick): for each scenario, boot the
# test VM and run it inside (guest.sh); then collect the CSV rows of every
# scenario in the results folder and write results.md, summary.json and
# PNG charts (report.py, gnuplot).
#
#   selftests/bench/run.sh [--quick] [SCENARIO...]  (B1 B2 B3 B4 B5 B6 B7)
#   selftests/bench/run.sh [--quick] --report     (rebuild the report only)
#
# Results: selftests/bench/results/ (full run) or results/quick/ (--quick),
# or BENCH_RESULTS=DIR.  Per scenario S: raw-S.log (the guest's output),
# dmesg-S.log, info-S.txt (date, commit, host load, VM time and status).
# A scenario run again replaces its own files and keeps the others', so
# `run.sh B5` re-measures B5 and the report still covers the rest;
# results.csv and the report are rebuilt from every raw-*.log present.
# One boot per scenario: a VM that hangs or times out costs one scenario.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
quick=
[ "${1:-}" = --quick ] && { quick=--quick; shift; }
report_only=
[ "${1:-}" = --report ] && { report_only=1; shift; }
if [ -n "$quick" ]; then
	scens=${*:-B1 B2 B5}
	out=${BENCH_RESULTS:-$here/results/quick}
	vm_timeout=${BENCH_TIMEOUT:-1200}
else
	scens=${*:-B1 B2 B3 B4 B5 B6}
	out=${BENCH_RESULTS:-$here/results}
	vm_timeout=${BENCH_TIMEOUT:-5400}
fi
for s in $scens; do
	case $s in
	B[1-7]) ;;
	*) echo "bench: unknown scenario '$s' (B1 .. B7)" >&2; exit 2 ;;
	esac
done

# merge: results.csv and info.txt from every scenario present, then the report
merge()
{
	local cols s rows

	cols=$(. "$here/bench_lib.sh"; echo "$BENCH_COLUMNS")
	echo "$cols" > "$out/results.csv"
	for s in B1 B2 B3 B4 B5 B6 B7; do
		[ -e "$out/raw-$s.log" ] || continue
		sed -n 's/^CSV,//p' "$out/raw-$s.log" >> "$out/results.csv"
		[ -e "$out/info-$s.txt" ] && sed "s/^/${s}_/" "$out/info-$s.txt" >> "$out/info.txt"
	done
	rows=$(($(wc -l < "$out/results.csv") - 1))
	if [ "$rows" -eq 0 ]; then
		echo "bench: no measurement came back; see $out/raw-*.log" >&2
		return 1
	fi
	python3 "$here/report.py" "$out" || return 1
	echo "bench: $rows rows in all; $out/results.md"
}

host_info()
{
	{
		echo "host_kernel=$(uname -r)"
		echo "host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
		echo "host_cpus=$(nproc)"
		echo "quick=$([ -n "$quick" ] && echo yes || echo no)"
	} > "$out/info.txt"
}

if [ -n "$report_only" ]; then
	[ -d "$out" ] || { echo "bench: no results in $out" >&2; exit 2; }
	host_info
	merge
	exit
fi

for f in "$top/igtb/igtb.ko" "$top/napi_macvlan/napi_macvlan.ko" "$top/userspace/vrctl"; do
	[ -e "$f" ] || { echo "bench: $f missing: run 'make' first" >&2; exit 2; }
done

# The guest's TSC is the clocksource: without tsc=reliable the 6.1 guest
# finds the TCG vCPUs' TSCs "unsynchronized" and falls back to the HPET,
# where every ktime_get() is an emulated MMIO read costing microseconds.
# Policers (igtb, tc police) and pktgen read the clock per packet, so with
# the HPET the benchmarks measured mostly the emulated timer.  QEMU's TSC
# comes from one host clock for all vCPUs: it is synchronized.
export VM_APPEND="${VM_APPEND:-}tsc=reliable "

mkdir -p "$out"
# files of the one-boot layout used before per-scenario runs
rm -f "$out/raw.log" "$out/dmesg.log"
vmout=$(mktemp -d /tmp/napi-bench.XXXXXX)
trap 'rm -rf "$vmout"' EXIT

load() { cut -d' ' -f1-3 /proc/loadavg; }

# git_state: the commit, "-dirty" if tracked files outside the results
# differ from it (this script rewrites the results' info.txt itself)
git_state()
{
	local d

	d=$(git -C "$top" describe --always 2>/dev/null) || { echo unknown; return; }
	[ -n "$(git -C "$top" status --porcelain --untracked-files=no -- . \
		':(exclude)selftests/bench/results' 2>/dev/null)" ] && d=$d-dirty
	echo "$d"
}

host_info

status=0
for s in $scens; do
	echo "bench: $s: VM run (host load $(load)); output in $out"
	start=$(date +%s)
	rm -rf "${vmout:?}/$s"
	mkdir -p "$vmout/$s"
	{
		echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
		echo "git=$(git_state)"
		echo "host_load_before=$(load)"
	} > "$out/info-$s.txt"
	VM_OUT=$vmout/$s "$top/selftests/vm/run.sh" -c 2 -m 2048 -t "$vm_timeout" \
		bash "$here/guest.sh" $quick "$s" > "$out/raw-$s.log" 2>&1
	rc=$?
	end=$(date +%s)
	# the guest's own copy is complete even when the console lost lines
	[ -s "$vmout/$s/output" ] && cp "$vmout/$s/output" "$out/raw-$s.log"
	rm -f "$out/dmesg-$s.log"
	[ -s "$vmout/$s/dmesg" ] && cp "$vmout/$s/dmesg" "$out/dmesg-$s.log"
	{
		echo "host_load_after=$(load)"
		echo "vm_seconds=$((end - start))"
		echo "vm_status=$rc"
		sed -n 's/^INFO,\([^,]*\),\(.*\)$/guest_\1=\2/p' "$out/raw-$s.log" |
			grep -v '^guest_columns='
	} >> "$out/info-$s.txt"
	n=$(grep -c '^CSV,' "$out/raw-$s.log")
	echo "bench: $s: $n rows in $((end - start)) s (VM status $rc)"
	if [ "$rc" -ne 0 ] || [ "$n" -eq 0 ]; then
		echo "bench: $s: WARNING: VM status $rc, $n rows (see raw-$s.log, dmesg-$s.log)" >&2
		tail -n 15 "$out/raw-$s.log" >&2
		status=1
	fi
done

merge || exit 1
exit "$status"
