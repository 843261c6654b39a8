#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B2l: latency under load through a 1:1 chain of routers (B2's topology,
# chain_setup: 2 and 4 routers on one lower), cost mode (one vCPU, icount):
# macvlan (bridge), nmv (napi_macvlan, ring between routers) and nmvdirect
# (napi_macvlan, `local direct`), side by side in one boot.
#
# Load: the open-loop generator (pg_paced: a fixed rate in bursts every
# 500 us of guest time, kpktgend_0 SCHED_FIFO) at B2L_MULT (default "0.8
# 1.25") x the chain's capacity; the capacity is measured first in this
# boot, per chain length: what macvlan's chain delivers with the
# closed-loop generator at full speed.  The offered rate is then the same
# for every comparator.  The ingress NIC polls like hardware (softirq NAPI
# with interrupt deferral, as B2fo's: a poll takes up to 64 frames from
# the NIC ring), so that under overload the queues fill where they would:
# the NIC ring (256), and between routers macvlan's per-CPU backlog
# (netdev_max_backlog 1000) or napi_macvlan's ring (256); direct has none.
#
# Instrument (lat_capture.py): the one-way latency of the load's own frames,
# from pktgen (which writes CLOCK_REALTIME into each frame's payload when it
# builds it) to the last router's transmit on the egress NIC (a packet
# socket on onicC, the kernel's receive-side stamp of the tap's copy).
# Under icount both are guest time, i.e. instructions: the figures repeat
# like the cost figures do, whatever the host load.  Why this and not
# ping: a probe process and its wake-ups on the one CPU would be part of
# what is measured, and a probe frame every 100 ms gives a handful of
# samples; the load's own frames give thousands, at the load's own
# position in the queues.  Why at the egress NIC's transmit and not at the
# sink's receive: the sink veth's own ring and NAPI are not the chain's.
# The capture's own cost is kept small (a BPF filter keeps 1 frame in
# B2L_SAMPLE, default 16, by pktgen's sequence number; nothing is read
# until the run is over, so no process wakes up) and measured: at the
# first multiplier and the chain lengths B2L_NOCAP_N (default the first)
# every comparator also runs without the capture (rows "/nocap"), and the
# report gives the cost per delivered frame of both.
#
# Rows: scenario B2l, param "routers=N/xM" (M the multiplier), extra
# columns lat_n, lat_mean_ns, lat_p50_ns, lat_p90_ns, lat_p99_ns,
# lat_max_ns, lat_min_ns, lat_drops (frames the capture socket could not
# keep: must be 0), lat_neg (negative samples: must be 0).
#   chain_lat.sh [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
quick=${1:-}
comps=${B2L_COMPS:-"macvlan nmv nmvdirect"}
lens=${B2L_N:-"2 4"}
[ "$quick" = --quick ] && lens=${B2L_N:-"2"}
mults=${B2L_MULT:-"0.8 1.25"}
SAMPLE=${B2L_SAMPLE:-16}
# chain lengths with the runs without the capture (its cost): the first
nocap_n=${B2L_NOCAP_N-${lens%% *}}
reps=${REPS:-1}
# NIC interrupt deferral, as B2fo (fanin.sh)
DEFER_NS=${B2L_DEFER_NS:-50000}
DEFER_IRQS=${B2L_DEFER_IRQS:-2}

if [ "$BENCH_COST" != 1 ]; then
	echo "# B2l: cost mode only (run.sh --cost)"
	exit 0
fi

# lat_flood C RATE: topology C's generator, open loop at RATE pps
lat_flood()
{
	use_topo "$1"
	pg_reset || return 1
	pg_paced "${T_GEN[$1]}" "${T_MAC[$1]}" "$2" "$FLOOD_SRC" "$FLOOD_DST" || return 1
	pg_sched fifo
	OFFERED=$PG_ASKED
}

# cap_start DEV: the capture on DEV, bound and waiting; cap_stop: read it,
# its figures in LT as ";lat_KEY=VALUE..." (not in a subshell: it waits
# for the capture process)
cap_start()
{
	CAPDIR=$(mktemp -d)
	mkfifo "$CAPDIR/in"
	python3 "$here/lat_capture.py" "$1" "$SAMPLE" < "$CAPDIR/in" > "$CAPDIR/out" 2>&1 &
	CAPPID=$!
	exec 7> "$CAPDIR/in"
	# no timeout in guest time: under icount the guest clock jumps while
	# python loads over 9p from a busy host (a 60 s busywait expired in a
	# boot at host load 7.7); the capture either says ready or exits
	while ! grep -q '^ready' "$CAPDIR/out"; do
		kill -0 "$CAPPID" 2>/dev/null && { sleep 0.05; continue; }
		echo "# B2l: capture on $1 did not start: $(cat "$CAPDIR/out")"
		exec 7>&-
		wait "$CAPPID"
		rm -rf "$CAPDIR"
		return 1
	done
}

cap_stop()
{
	echo go >&7
	exec 7>&-
	wait "$CAPPID"
	LT=$(sed -n 's/^n=/lat_n=/p' "$CAPDIR/out" | sed 's/ / lat_/g' | tr ' ' '\n' |
		sed 's/^/;/' | tr -d '\n')
	[ -n "$LT" ] || sed 's/^/# B2l: capture: /' "$CAPDIR/out"
	rm -rf "$CAPDIR"
}

topos=()
c=40
for n in $lens; do
	for comp in $comps; do
		c=$((c + 1))
		if chain_setup "$comp" "$n" "$c"; then
			echo "$DEFER_NS" > "/sys/class/net/nic$c/gro_flush_timeout"
			echo "$DEFER_IRQS" > "/sys/class/net/nic$c/napi_defer_hard_irqs"
			topos+=("$c:$comp:$n")
		else
			echo "# B2l: setup of $comp (routers=$n) failed: left out"
		fi
	done
done
for t in "${topos[@]}"; do
	warm "${t%%:*}"
done

# the first run after the setup loses frames at the NIC that no later run
# loses (chain.sh): one run thrown away
flood "${topos[0]%%:*}" 0
measure warmup x x 0 0 > /dev/null

# capacity per chain length: macvlan's delivered pps, closed loop
declare -A CAP
for t in "${topos[@]}"; do
	IFS=: read -r c comp n <<< "$t"
	[ "$comp" = macvlan ] || continue
	flood "$c" 0
	row=$(measure B2l capacity "routers=$n" 0 1)
	echo "$row"
	CAP[$n]=$(echo "$row" | cut -d, -f9)
	echo "# B2l: routers=$n capacity (macvlan, closed loop) ${CAP[$n]} pps; offered $mults x that"
done

first=${mults%% *}
for rep in $(seq 1 "$reps"); do
	for m in $mults; do
		for t in "${topos[@]}"; do
			IFS=: read -r c comp n <<< "$t"
			[ -n "${CAP[$n]:-}" ] || { echo "# B2l: no capacity for routers=$n (no macvlan row)"; continue; }
			rate=$(awk -v c="${CAP[$n]}" -v m="$m" 'BEGIN { printf "%d", c * m }')
			caps=cap
			[ "$m" = "$first" ] && [ "$rep" = 1 ] &&
				[[ " $nocap_n " == *" $n "* ]] && caps="nocap cap"
			for cp in $caps; do
				lat_flood "$c" "$rate" ||
					{ echo "# B2l: generator setup failed for $comp routers=$n"; continue; }
				LT=
				if [ "$cp" = cap ]; then
					cap_start "$ONIC" || continue
				fi
				p="routers=$n/x$m"
				[ "$cp" = nocap ] && p="$p/nocap"
				row=$(measure B2l "$comp" "$p" "$m" "$rep")
				[ "$cp" = cap ] && cap_stop
				read -r offn pmin pmax <<< "$(pg_offered $GENS)"
				echo "$row;offered_nic=$offn;pgdev_min=$pmin;pgdev_max=$pmax;pgdevs=$(echo $PG_DEVS | wc -w);sample=$SAMPLE$LT"
			done
		done
	done
done
bench_cleanup
