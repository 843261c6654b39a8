#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench-repro: bench-quick in cost mode twice, back to back, then every
# cost ratio of the two runs side by side (cost_report.py --compare):
# results/cost-quick/run1, run2 and repro.md.  Exit status 1 when a ratio
# differs by more than 3% between the runs.
#   selftests/bench/repro.sh [SCENARIO...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
base=${BENCH_RESULTS:-$here/results/cost-quick}
for r in run1 run2; do
	# a fresh folder: run.sh's report covers every raw-*.log present
	rm -rf "${base:?}/$r"
	mkdir -p "$base/$r"
	start=$(date +%s)
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	vms0=$(pgrep -c -x qemu-system-x86)
	BENCH_RESULTS=$base/$r "$here/run.sh" --quick --cost "$@" || exit 1
	echo "bench-repro: $r took $(($(date +%s) - start)) s"
	{
		echo "started=$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%SZ)"
		echo "wall_seconds=$(($(date +%s) - start))"
		# VM CPU time: about the wall time on an idle host
		echo "vm_cpu_seconds=$(sed -n 's/^.*_vm_cpu_seconds=//p' "$base/$r/info.txt" | head -1)"
		echo "load_before=$load0"
		echo "other_vms_at_start=$vms0"
		echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
	} > "$base/$r/wall.txt"
done
python3 "$here/cost_report.py" --compare "$base/run1" "$base/run2" "$base/repro.md"
