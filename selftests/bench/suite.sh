#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: the measurements the README's benchmark table stands on, in
# one command, into results/suite/ (BENCH_RESULTS=DIR elsewhere).
#
#   selftests/bench/suite.sh
#
# Two stages:
#   1. wall clock on 2 vCPUs (plain TCG), alone on the host: B3 in b9.sh's
#      shape (macvlan, bridge + veth, napi_macvlan direct and thread), 3
#      repeats (median [min, max]): isolation needs two CPUs at once.
#      Results: tcg-b3/ (report.py).
#   2. cost mode (one vCPU under icount: figures are instructions and do
#      not depend on the host's load): B1 B2 B2f B2fo B3 B4 B5 B8, one VM
#      per scenario, BENCH_JOBS of them at once (default: the host's CPUs,
#      at most 4), longest first.  Results: cost/ (cost_report.py), each
#      scenario's run.sh output in cost/run-S.log.
# Stage 1 runs first and alone because its figures do depend on the load.
# Then results.md: the wall time of each stage and scenario, and both
# reports, every section under the name of the instrument that produced it.
#
# Other benchmarks run by name: make bench MODE=cost SCENARIOS="B10 B2l B9
# B9c", make bench MODE=tcg (the 2-vCPU wall-clock B1 .. B6, 5 repeats).
# Exit status 1 when any scenario's VM failed or returned no row (the
# report is still written from what came back).
set -u

here=$(cd "$(dirname "$0")" && pwd)
out=${BENCH_RESULTS:-$here/results/suite}
jobs=${BENCH_JOBS:-$(nproc)}
[ "$jobs" -gt 4 ] && jobs=4
[ "$jobs" -ge 1 ] || jobs=1
# longest first (QEMU CPU seconds in the first run, 2026-12-06: B2fo 846,
# B8 615, B3 585, B4 430, B2f 368, B2 326, B5 255, B1 142), so the lanes
# end together
cost_scens=${SUITE_COST:-"B2fo B8 B3 B4 B2f B2 B5 B1"}
tcg=${SUITE_TCG:-1}

# the commit, before the old results (tracked files) are removed
git=$(git -C "$here" describe --always 2>/dev/null) || git=unknown
[ -n "$(git -C "$here" status --porcelain --untracked-files=no -- . \
	':(exclude)results' 2>/dev/null)" ] && git=$git-dirty
rm -rf "${out:?}"
mkdir -p "$out/cost"
load() { cut -d' ' -f1-3 /proc/loadavg; }
t0=$EPOCHSECONDS
status=0
{
	echo "started=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "git=$git"
	echo "host_cpus=$(nproc)"
	echo "load_before=$(load)"
	echo "other_vms_at_start=$(pgrep -c -x qemu-system-x86)"
	echo "cost_jobs=$jobs"
} > "$out/wall.txt"

# stage 1: 2 vCPUs, wall clock, alone
if [ "$tcg" = 1 ]; then
	echo "suite: stage 1: B3 on 2 vCPUs, wall clock, 3 repeats (host load $(load))"
	t=$EPOCHSECONDS
	B9_SCEN=B3 B9_MODES="macvlan bridge direct thread" REPS=3 \
		BENCH_RESULTS=$out/tcg-b3 "$here/run.sh" B9 || status=1
	echo "tcg_b3_seconds=$((EPOCHSECONDS - t))" >> "$out/wall.txt"
fi

# stage 2: cost mode, $jobs VMs at once, each pulling the next scenario
queue=$out/cost/.queue
printf '%s\n' $cost_scens > "$queue"
pop()
{
	(
		flock 9
		head -n 1 "$queue"
		sed -i 1d "$queue"
	) 9> "$queue.lock"
}
lane()
{
	local n=$1 s t rc=0

	while s=$(pop) && [ -n "$s" ]; do
		t=$EPOCHSECONDS
		echo "suite: lane $n: $s (cost mode; host load $(load))"
		BENCH_RESULTS=$out/cost/run-$s "$here/run.sh" --cost "$s" \
			> "$out/cost/run-$s.log" 2>&1 || rc=1
		echo "suite: lane $n: $s done in $((EPOCHSECONDS - t)) s"
		echo "cost_${s}_seconds=$((EPOCHSECONDS - t)) lane=$n" >> "$out/cost/lanes.txt"
	done
	return $rc
}
echo "suite: stage 2: cost mode, $cost_scens, $jobs at once"
t=$EPOCHSECONDS
pids=()
for n in $(seq 1 "$jobs"); do
	lane "$n" &
	pids+=($!)
done
for p in "${pids[@]}"; do
	wait "$p" || status=1
done
rm -f "$queue" "$queue.lock"
echo "cost_seconds=$((EPOCHSECONDS - t))" >> "$out/wall.txt"
cat "$out/cost/lanes.txt" >> "$out/wall.txt"

# one cost report over every scenario's files (each run's own report is
# the same rows again: not kept)
for s in $cost_scens; do
	for f in raw info dmesg timing; do
		ext=log
		[ $f = info ] && ext=txt
		[ -e "$out/cost/run-$s/$f-$s.$ext" ] && mv "$out/cost/run-$s/$f-$s.$ext" "$out/cost/"
	done
	rm -rf "${out:?}/cost/run-$s"
done
BENCH_RESULTS=$out/cost "$here/run.sh" --cost --report > "$out/cost/report.log" 2>&1 || status=1
{
	echo "load_after=$(load)"
	echo "wall_seconds=$((EPOCHSECONDS - t0))"
	echo "status=$status"
} >> "$out/wall.txt"
python3 "$here/suite_report.py" "$out" || status=1
echo "suite: $((EPOCHSECONDS - t0)) s in all; $out/results.md"
exit "$status"
