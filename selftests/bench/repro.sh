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
	start=$(date +%s)
	BENCH_RESULTS=$base/$r "$here/run.sh" --quick --cost "$@" || exit 1
	echo "bench-repro: $r took $(($(date +%s) - start)) s"
	echo "wall_seconds=$(($(date +%s) - start))" > "$base/$r/wall.txt"
done
python3 "$here/cost_report.py" --compare "$base/run1" "$base/run2" "$base/repro.md"
