#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B9c: the cost-mode parts of B9 (router threads, issue 17), one vCPU under
# icount.  One napi_macvlan router (B1's topology: NIC nicC -> i1 -> R ->
# o1 -> onicC -> sink), its devices in rxmode direct (the default: the
# router runs in the NIC's softirq) or rxmode thread (the NIC's softirq does
# the lookup, police and ring enqueue; the router runs in the device's
# NAPI thread).
#
#  - fwd: per forwarded packet, thread against direct.  The open-loop
#    generator (pg_paced) at B9_FRAC (0.5) x direct's capacity, so nothing
#    is dropped and the CPU has idle time: busy guest time (pktgen's elapsed
#    minus the nohz idle time) per forwarded packet.  `gen` (the generator
#    and the NIC alone, frames to a MAC nobody owns dropped on receive) at
#    the same rate is the part that is not the router's.  Capacity: what
#    direct delivers with the closed-loop generator at full speed (row
#    `capacity`), this boot.
#  - drop: the NIC-side cost of a frame dropped at a full thread-mode ring.
#    The same rate, the router's NAPI thread capped in a cgroup at cpu.max
#    B9_CAP ("1000 100000": 1%), so its ring is full and nearly every frame
#    is dropped there after the lookup and the police check, in the NIC's
#    softirq.  Busy time per offered frame, against gen's and against a
#    forwarded frame's.  `pgen` (pktgen into a dummy device) is the
#    generator alone: gen - pgen is the NIC's receive and the stack's drop,
#    the NIC-side part of both.
#   thread_cost.sh [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

quick=${1:-}
reps=${REPS:-2}
[ "$quick" = --quick ] && reps=${REPS:-1}
FRAC=${B9_FRAC:-0.5}
CAPMAX=${B9_CAP:-"1000 100000"}
CG=/sys/fs/cgroup
CGB=$CG/bench-b9

if [ "${BENCH_COST:-0}" != 1 ]; then
	echo "# B9c: cost mode only (run.sh --cost)"
	exit 0
fi

# thread_pid NS DEV: DEV's NAPI thread (rxmode thread), as ip -d shows it
thread_pid()
{
	nmv_ip -n "$1" -d -j link show "$2" |
		sed -n 's/.*"thread_pid":\([0-9]*\).*/\1/p'
}

topos=()
c=90
for comp in ${B9_COMPS:-pgen gen direct thread}; do
	c=$((c + 1))
	if [ "$comp" = pgen ]; then
		# the generator alone: pktgen into a dummy device, which
		# frees every frame (gen - pgen = the NIC's receive and
		# the stack's drop of a frame for nobody)
		chain_setup nonvirt 1 "$c" || { echo "# B9c: setup of pgen failed"; continue; }
		ip link add "pgd$c" type dummy
		ip link set "pgd$c" up
		T_GEN[$c]=pgd$c
		T_MAC[$c]=$BOGUS_MAC
		T_KIND[$c]=gen
	elif [ "$comp" = gen ]; then
		chain_setup nonvirt 1 "$c" || { echo "# B9c: setup of gen failed"; continue; }
		T_MAC[$c]=$BOGUS_MAC
		T_KIND[$c]=gen
	else
		chain_setup nmv 1 "$c" || { echo "# B9c: setup of $comp failed"; continue; }
		if [ "$comp" = thread ]; then
			# from the host: inside the router's namespace the
			# change is refused (a tenant cannot leave its thread)
			"$VRCTL" link set dev i1 netns "${T_R1[$c]}" rxmode thread &&
			"$VRCTL" link set dev o1 netns "${T_R1[$c]}" rxmode thread || {
				echo "# B9c: rxmode thread refused: left out"
				continue
			}
			TPID=$(thread_pid "${T_R1[$c]}" i1)
			echo "# B9c: i1's NAPI thread: pid ${TPID:-none} ($(cat "/proc/${TPID:-0}/comm" 2>/dev/null))"
			TC=$c
		fi
	fi
	topos+=("$c:$comp")
done
for t in "${topos[@]}"; do
	case ${t#*:} in gen|pgen) ;; *) warm "${t%%:*}" ;; esac
done

# the first run after the setup loses frames no later run loses: thrown away
flood "${topos[0]%%:*}" 0
measure warmup x x 0 0 > /dev/null

cap=
for t in "${topos[@]}"; do
	IFS=: read -r c comp <<< "$t"
	[ "$comp" = direct ] || continue
	flood "$c" 0
	row=$(measure B9c capacity fwd 0 1)
	echo "$row"
	cap=$(echo "$row" | cut -d, -f9)
done
[ -n "$cap" ] || { echo "# B9c: no capacity measured"; exit 0; }
rate=$(awk -v c="$cap" -v f="$FRAC" 'BEGIN { printf "%d", c * f }')
echo "# B9c: direct's capacity $cap pps (closed loop); fixed rate $FRAC x = $rate pps"

# paced C: topology C at the fixed rate, open loop
paced()
{
	use_topo "$1"
	pg_reset
	pg_paced "${T_GEN[$1]}" "${T_MAC[$1]}" "$rate" "$FLOOD_SRC" "$FLOOD_DST"
	pg_sched fifo
	OFFERED=$PG_ASKED
}

# ring C: "rx_ring rx_ring_full" of i1 in topology C
ring()
{
	ip netns exec "${T_R1[$1]}" ethtool -S i1 2>/dev/null |
		awk '$1 == "rx_ring:" { r = $2 } $1 == "rx_ring_full:" { f = $2 }
		     END { print r + 0, f + 0 }'
}

# run C COMP PHASE REP: one paced measurement with the thread's CPU time
run()
{
	local c=$1 comp=$2 phase=$3 rep=$4 a b t0=0 t1=0 row offn pmin pmax
	paced "$c"
	a=($(ring "$c"))
	[ "$comp" = thread ] && t0=$(awk '{ print $14 + $15 }' "/proc/$TPID/stat")
	row=$(measure B9c "$comp" "$phase" "$FRAC" "$rep")
	[ "$comp" = thread ] && t1=$(awk '{ print $14 + $15 }' "/proc/$TPID/stat")
	b=($(ring "$c"))
	read -r offn pmin pmax <<< "$(pg_offered $GENS)"
	echo "$row;pgdev_min=$pmin;pgdev_max=$pmax;pgdevs=$(echo $PG_DEVS | wc -w);rx_ring=$((b[0] - a[0]));rx_ring_full=$((b[1] - a[1]));thread_ticks=$((t1 - t0))"
}

for rep in $(seq 1 "$reps"); do
	for t in "${topos[@]}"; do
		IFS=: read -r c comp <<< "$t"
		run "$c" "$comp" fwd "$rep"
	done
done

# drop: the thread capped (cgroup v2 cpu.max)
if [ -z "${TC:-}" ] || [ -z "${TPID:-}" ]; then
	echo "# B9c: no thread-mode router: drop phase left out"
else
	[ -e "$CG/cgroup.controllers" ] || mount -t cgroup2 none "$CG"
	if grep -qw cpu "$CG/cgroup.controllers" 2>/dev/null &&
	   echo +cpu > "$CG/cgroup.subtree_control" &&
	   mkdir -p "$CGB" && echo "$CAPMAX" > "$CGB/cpu.max" &&
	   echo "$TPID" > "$CGB/cgroup.procs"; then
		echo "# B9c: thread $TPID in $CGB, cpu.max $(cat "$CGB/cpu.max")"
		for rep in $(seq 1 "$reps"); do
			run "$TC" thread drop "$rep"
		done
		echo "$TPID" > "$CG/cgroup.procs"
	else
		echo "# B9c: no cgroup v2 cpu controller: drop phase left out"
	fi
fi
bench_cleanup
