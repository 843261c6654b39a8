#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Benchmarks (make bench / make bench-quick): for each scenario, boot the
# test VM and run it inside (guest.sh); then collect the CSV rows of every
# scenario in the results folder and write results.md, summary.json and
# PNG charts (report.py, gnuplot).
#
#   selftests/bench/run.sh [--quick] [--cost] [SCENARIO...]  (B1 .. B7, B2f, B2fo, B2l, B8, B9, B9c, B9s, B10)
#   selftests/bench/run.sh [--quick] [--cost] --report   (rebuild the report)
#
# --cost: cost mode.  The VM has one vCPU under QEMU's icount (guest time
# counts instructions: figures repeat whatever the host load); only the
# scenarios that can run on one CPU (B1 B2 B2f B4 B5 B10 ...; B3 is then
# b9.sh with the upstream comparators).  report: cost_report.py.
#
# Results: selftests/bench/results/ (full run) or results/quick/ (--quick);
# cost mode results/cost/ and results/cost-quick/; or BENCH_RESULTS=DIR.  Per scenario S: raw-S.log (the guest's output),
# dmesg-S.log, info-S.txt (date, commit, host load, VM time and status).
# A scenario run again replaces its own files and keeps the others', so
# `run.sh B5` re-measures B5 and the report still covers the rest;
# results.csv and the report are rebuilt from every raw-*.log present.
# One boot per scenario: a VM that hangs or times out costs one scenario.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
quick=
cost=
report_only=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=--quick; shift ;;
	--cost) cost=--cost; shift ;;
	--report) report_only=1; shift ;;
	*) break ;;
	esac
done
if [ -n "$cost" ]; then
	if [ -n "$quick" ]; then
		# about 5 min of VM on an idle host; B2f (the fan-in: five
		# routers per comparator, and its bridge/vethgro rows fall into
		# a backlog collapse in some runs only) is in the full cost run
		scens=${*:-B1 B2 B5}
		out=${BENCH_RESULTS:-$here/results/cost-quick}
		vm_timeout=${BENCH_TIMEOUT:-2700}
	else
		scens=${*:-B2f B1 B2 B5}
		out=${BENCH_RESULTS:-$here/results/cost}
		vm_timeout=${BENCH_TIMEOUT:-3600}
	fi
	for s in $scens; do
		case $s in
		# B4: full speed only, per level (scale.sh)
		B4) ;;
		B1|B2|B2f|B2fo|B2l|B3|B5|B8|B9|B9c|B10) ;;
		*) echo "bench: $s needs two CPUs at once: not in cost mode (B1 B2 B2f B2fo B2l B3 B4 B5 B8 B9 B9c B10)" >&2
		   exit 2 ;;
		esac
	done
elif [ -n "$quick" ]; then
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
	B[1-7]|B2f|B2fo|B9|B9c) ;;
	B9s) [ -z "$cost" ] || { echo "bench: B9s needs several vCPUs: not in cost mode (BENCH_CPUS=C, C >= 3)" >&2; exit 2; } ;;
	B2l) [ -n "$cost" ] || { echo "bench: B2l runs in cost mode only (--cost, MODE=cost)" >&2; exit 2; } ;;
	B10) [ -n "$cost" ] || { echo "bench: B10 runs in cost mode only (--cost, MODE=cost)" >&2; exit 2; } ;;
	B8) [ -n "$cost" ] || { echo "bench: B8 runs in cost mode only (--cost, MODE=cost)" >&2; exit 2; } ;;
	*) echo "bench: unknown scenario '$s' (B1 .. B7, B2f, B2fo, B2l, B8, B9, B9c, B9s, B10)" >&2; exit 2 ;;
	esac
done

# merge: results.csv and info.txt from every scenario present, then the report
merge()
{
	local cols s rows

	cols=$(. "$here/bench_lib.sh"; echo "$BENCH_COLUMNS")
	echo "$cols" > "$out/results.csv"
	for s in B1 B2 B2f B2fo B2l B3 B4 B5 B6 B7 B8 B9 B9c B9s B10; do
		[ -e "$out/raw-$s.log" ] || continue
		sed -n 's/^CSV,//p' "$out/raw-$s.log" >> "$out/results.csv"
		[ -e "$out/info-$s.txt" ] && sed "s/^/${s}_/" "$out/info-$s.txt" >> "$out/info.txt"
	done
	rows=$(($(wc -l < "$out/results.csv") - 1))
	if [ "$rows" -eq 0 ]; then
		echo "bench: no measurement came back; see $out/raw-*.log" >&2
		return 1
	fi
	if [ -n "$cost" ]; then
		python3 "$here/cost_report.py" "$out" || return 1
	else
		python3 "$here/report.py" "$out" || return 1
	fi
	echo "bench: $rows rows in all; $out/results.md"
}

host_info()
{
	{
		echo "host_kernel=$(uname -r)"
		echo "host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
		echo "host_cpus=$(nproc)"
		echo "quick=$([ -n "$quick" ] && echo yes || echo no)"
		echo "instrument=$([ -n "$cost" ] && echo "icount (QEMU -icount shift=0,sleep=off, 1 vCPU)" || echo "tcg wall clock (2 vCPUs)")"
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

# split_run A+B+C: the output of one boot that ran scenarios A B C into
# raw-A.log ... (the lines before the first scenario go to each), and
# info-A.txt ... (the boot's info, with the scenarios it shared)
split_run()
{
	local all=$1 x
	for x in ${all//+/ }; do
		awk -v s="$x" '/^# ---- / { cur = $3 } cur == "" || cur == s' \
			"$out/raw-$all.log" > "$out/raw-$x.log"
		{ cat "$out/info-$all.txt"; echo "one_boot=${all//+/ }"; } > "$out/info-$x.txt"
		[ -e "$out/dmesg-$all.log" ] && cp "$out/dmesg-$all.log" "$out/dmesg-$x.log"
	done
	rm -f "$out/raw-$all.log" "$out/info-$all.txt" "$out/dmesg-$all.log"
	mv "$out/timing-$all.log" "$out/timing.log"
}

# Cost mode boots one VM for all its scenarios (BENCH_ONE_BOOT=0: one per
# scenario), then splits the guest's output at its "# ---- S" lines.
one_boot=${BENCH_ONE_BOOT:-$([ -n "$cost" ] && echo 1 || echo 0)}
runs=$scens
[ "$one_boot" = 1 ] && runs=$(echo $scens | tr ' ' +)

# the scenario knobs set on the host go to the guest (FANIN_N, FANIN_COMPS,
# FANIN_MULT, B9_*, B2L_*, B10_*, REPS, BENCH_COST_DUR, PG_PERIOD_NS: see the scenario files)
genv=()
while IFS= read -r v; do
	genv+=("$v")
done < <(env | grep -E '^(FANIN_[A-Z_]+|B9_[A-Z_]+|B2L_[A-Z_]+|B8_[A-Z_]+|B10_[A-Z0-9_]+|REPS|BENCH_COST_DUR|PG_PERIOD_NS)=')
# B4's levels and comparators (scale.sh)
while IFS= read -r v; do
	genv+=("$v")
done < <(env | grep -E '^(IFS_LEVELS|ROUTE_LEVELS|B4_[A-Z_]+)=')

# stamp T0: the guest's progress lines (INFO,kernel: booted; "# ...";
# CSV rows; the power-off) as they arrive, each prefixed with the host's
# wall seconds and QEMU's CPU seconds (user + sys; with one vCPU, about
# what the wall time would be on an idle host) since T0 (timing-S.log:
# where bench-quick's wall time goes, setup against measurement).  Other
# lines cost no process, so a chatty console is not held up.
# our_qemu: the QEMU started by this script (timeout gives it its own
# process group, and other VMs may run beside it)
our_qemu()
{
	local p q
	for p in $(pgrep -x qemu-system-x86); do
		q=$p
		while [ -n "$q" ] && [ "$q" -gt 1 ]; do
			q=$(ps -o ppid= "$q" | tr -d ' ')
			[ "$q" = $$ ] && { echo "$p"; return; }
		done
	done
}
stamp()
{
	local t0=$1 pid='' line cpu tck st
	tck=$(getconf CLK_TCK)
	while IFS= read -r line; do
		case $line in
		'#'*|CSV,*|INFO,kernel,*|*'reboot: '*) ;;
		*) continue ;;
		esac
		[ -n "$pid" ] || pid=$(our_qemu)
		cpu=NA
		if [ -n "$pid" ] && read -r -a st < "/proc/$pid/stat" 2>/dev/null; then
			cpu=$(((st[13] + st[14]) * 10 / tck))
			cpu=$((cpu / 10)).$((cpu % 10))
		fi
		echo "$((EPOCHSECONDS - t0)) $cpu ${line:0:100}"
	done
}

status=0
for s in $runs; do
	echo "bench: $s: VM run (host load $(load)); output in $out"
	start=$(date +%s)
	rm -rf "${vmout:?}/$s"
	mkdir -p "$vmout/$s"
	{
		echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
		echo "git=$(git_state)"
		echo "host_load_before=$(load)"
	} > "$out/info-$s.txt"
	if [ -n "$cost" ]; then
		vmopt="--icount"
	else
		vmopt="-c ${BENCH_CPUS:-2}"
	fi
	VM_OUT=$vmout/$s "$top/selftests/vm/run.sh" $vmopt -m 2048 -t "$vm_timeout" \
		env "${genv[@]}" bash "$here/guest.sh" $quick $cost ${s//+/ } 2>&1 |
		tee "$out/raw-$s.log" | stamp "$start" > "$out/timing-$s.log"
	rc=${PIPESTATUS[0]}
	end=$(date +%s)
	# the guest's own copy is complete even when the console lost lines
	[ -s "$vmout/$s/output" ] && cp "$vmout/$s/output" "$out/raw-$s.log"
	rm -f "$out/dmesg-$s.log"
	[ -s "$vmout/$s/dmesg" ] && cp "$vmout/$s/dmesg" "$out/dmesg-$s.log"
	{
		echo "host_load_after=$(load)"
		echo "vm_seconds=$((end - start))"
		echo "vm_cpu_seconds=$(awk '$2 != "NA" { c = $2 } END { print c }' "$out/timing-$s.log")"
		echo "vm_status=$rc"
		sed -n 's/^INFO,\([^,]*\),\(.*\)$/guest_\1=\2/p' "$out/raw-$s.log" |
			grep -v '^guest_columns='
	} >> "$out/info-$s.txt"
	if [ "$s" != "${s//+/}" ]; then
		# one boot, several scenarios: raw-S.log and info-S.txt each
		split_run "$s"
		s=${s//+/ }
	fi
	n=$(cat $(for x in $s; do echo "$out/raw-$x.log"; done) | grep -c '^CSV,')
	echo "bench: $s: $n rows in $((end - start)) s (VM status $rc)"
	if [ "$rc" -ne 0 ] || [ "$n" -eq 0 ]; then
		echo "bench: $s: WARNING: VM status $rc, $n rows (see raw-$s.log, dmesg-$s.log)" >&2
		tail -n 15 "$out/raw-${s##* }.log" >&2
		status=1
	fi
done

merge || exit 1
exit "$status"
