#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B9s: routers spread over cores behind one single-queue NIC (issue 17).
# N napi_macvlan routers (vrctl router add, each with i1 on the NIC nic98
# and o1 on the egress NIC onic98, a firewall as B9's: conntrack,
# masquerade, B9S_RULES rules), flooded all at once, open loop, one
# stream per router at B9S_MULT (1.5) x one router's capacity.
#  - `direct`: every router forwards in the NIC's NAPI poll, on the NIC's
#    CPU: N routers share one CPU whatever the host has.
#  - `thread`: router k's NAPI thread on CPU 2 + (k - 1) mod (C - 2)
#    (`vrctl router add ... rxmode thread cpus K`): the NIC's CPU only
#    looks the frame up, polices it and puts it in the router's ring.
# Rows: `capacity` (one router, direct, closed loop: the reference for the
# offered rates), then per N (B9S_N, default 1 .. C-2) and mode the
# aggregate delivered pps, the frames dropped at the NIC (the generator's
# veth refused them) and at the routers' rings, and every CPU's busy share
# over the run (/proc/stat: cpuK_pct=).  report.py gives the ratios:
# thread / direct delivered at each N, and thread(N) / thread(1).
#
# CPUs: the generator (pktgen's kpktgend_0, SCHED_FIFO bursts) on CPU0,
# the NIC's NAPI thread on CPU1 (bench_lib's model), routers on CPUs 2 ..
# C-1.  So it needs C >= 3 vCPUs, and a host with C free cores for the
# figures to mean anything: each vCPU is a host thread (KVM, or TCG on an
# idle host).  Written for such a host: on the 2-core development host it
# only ran functionally (C = 3, two vCPUs sharing a host core).  Not in
# cost mode: icount runs one vCPU, and this is about parallelism.
#   BENCH_CPUS=C make bench SCENARIOS=B9s
#   B9S_N="1 2 4"  B9S_MULT=1.5  B9S_RULES=64  REPS=1
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

quick=${1:-}
reps=${REPS:-1}
NCPU=$(nproc)
MULT=${B9S_MULT:-1.5}
RULES=${B9S_RULES:-64}
SCEN=B9s

if [ "$BENCH_COST" = 1 ]; then
	echo "# $SCEN: needs several vCPUs; cost mode has one: not run"
	exit 0
fi
if [ "$NCPU" -lt 3 ]; then
	echo "# $SCEN: needs 3 or more vCPUs (generator, NIC, routers), the VM has $NCPU: not run (BENCH_CPUS=C)"
	exit 0
fi
LEVELS=${B9S_N:-$(seq 1 $((NCPU - 2)))}
[ "$quick" = --quick ] && LEVELS=${B9S_N:-"1 $((NCPU - 2))"}
NMAX=0
for n in $LEVELS; do [ "$n" -gt "$NMAX" ] && NMAX=$n; done
fw=0
command -v nft >/dev/null && fw=1

# --- topology: generator gen98 -> NIC nic98 -> routers 1..NMAX -> onic98 --
c=98
p=10.$c
declare -a RNS RMAC
mk_sink "onic$c" "$p"
mk_nic "gen$c" "nic$c"
ip addr add "$p.1.2/24" dev "gen$c"

# router_cpu K: the CPU of router K's thread
router_cpu()
{
	echo $((2 + ($1 - 1) % (NCPU - 2)))
}

for k in $(seq 1 "$NMAX"); do
	ns_create RK
	RNS[$k]=$RK
	router_sysctls "$RK"
	ip netns exec "$RK" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	"$VRCTL" router add "s$k" netns "$RK" link "nic$c" link "onic$c" \
		names i1,o1 rxmode thread cpus "$(router_cpu "$k")" ||
		{ echo "# $SCEN: router $k not made: not run"; exit 0; }
	ip -n "$RK" addr add "$p.1.$((10 + k))/24" dev i1
	ip -n "$RK" addr add "$p.2.$((10 + k))/24" dev o1
	ip -n "$RK" neigh add "$p.2.3" lladdr $BOGUS_MAC dev o1 nud permanent
	[ "$fw" = 1 ] && { router_firewall "$RK" "$RULES" || fw=0; }
	RMAC[$k]=$(nmv_mac "$RK" i1)
	busywait 8000 ip netns exec "$RK" ping -n -q -c 1 -W 1 "$p.2.2" >/dev/null 2>&1 || true
done
T_S[$c]=$S
T_ONIC[$c]=onic$c
T_ONICNS[$c]=
T_GEN[$c]=gen$c
T_RNSL[$c]="${RNS[*]}"
T_KIND[$c]=nmv
T_TC[$c]=
use_topo "$c"
echo "# $SCEN: $NCPU vCPUs, routers 1..$NMAX, levels $LEVELS, firewall ($RULES rules, conntrack, masquerade): $([ "$fw" = 1 ] && echo yes || echo no)"
"$VRCTL" router show s1 netns "${RNS[1]}" | sed "s/^/# $SCEN: /"

# set_mode MODE: every router
set_mode()
{
	local k
	for k in $(seq 1 "$NMAX"); do
		if [ "$1" = thread ]; then
			"$VRCTL" router set "s$k" netns "${RNS[$k]}" rxmode thread \
				cpus "$(router_cpu "$k")"
		else
			"$VRCTL" router set "s$k" netns "${RNS[$k]}" rxmode direct
		fi || { echo "# $SCEN: vrctl router set s$k rxmode $1 failed"; return 1; }
	done
}

# cpu_ticks: "busy total" per CPU, all on one line
cpu_ticks()
{
	awk '$1 ~ /^cpu[0-9]+$/ { printf "%d %d ", $2 + $3 + $4 + $7 + $8,
		$2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat
}

# delivered NS...: o1's tx_packets summed over the routers NS
delivered()
{
	local ns v t=0
	for ns in "$@"; do
		v=$(ip netns exec "$ns" cat /sys/class/net/o1/statistics/tx_packets)
		t=$((t + v))
	done
	echo "$t"
}

# row MODE PARAM N X REP: one measurement of the streams configured (N
# routers' worth), appends every CPU's busy share and the frames the
# routers' o1 sent
row()
{
	local mode=$1 param=$2 n=$3 x=$4 rep=$5 t0 t1 d0 d1 r ns=()
	local k
	for k in $(seq 1 "$n"); do ns+=("${RNS[$k]}"); done
	d0=$(delivered "${ns[@]}")
	t0=$(cpu_ticks)
	r=$(measure "$SCEN" "$mode" "$param" "$x" "$rep")
	t1=$(cpu_ticks)
	d1=$(delivered "${ns[@]}")
	echo "$r" | awk -v t0="$t0" -v t1="$t1" -v d=$((d1 - d0)) -v fw="$fw" '{
		na = split(t0, A, " "); split(t1, B, " ")
		s = ""
		for (i = 1; i < na; i += 2) {
			tot = B[i + 1] - A[i + 1]
			s = s sprintf(";cpu%d_pct=%.1f", (i - 1) / 2,
				tot > 0 ? 100 * (B[i] - A[i]) / tot : 0)
		}
		printf "%s;o1_tx=%d;fw=%s%s\n", $0, d, fw, s
	}'
}

# field ROW COL: column COL (1-based, CSV) of a row
field()
{
	echo "$1" | cut -d, -f"$2"
}

pg_reset || exit 0
# capacity: router 1 alone, direct, closed loop at full speed
set_mode direct || exit 0
pg_add "gen$c@c" "${RMAC[1]}" 0 "$p.1.2" "$p.2.3"
PG_DEVS="gen$c@c"
OFFERED=0
cap=0
for rep in $(seq 1 "$reps"); do
	r=$(row direct capacity 1 1 "$rep")
	echo "$r"
	# column 9: pps the sink received while the generator ran
	v=$(field "$r" 9)
	v=${v%.*}
	[ "${v:-0}" -gt "$cap" ] && cap=$v
done
[ "$cap" -gt 0 ] || { echo "# $SCEN: router 1 forwarded nothing: not run"; exit 0; }
each=$(awk -v c="$cap" -v m="$MULT" 'BEGIN { printf "%d", c * m }')
echo "# $SCEN: one router's capacity (direct, closed loop) $cap pps; each router offered $each pps"

for n in $LEVELS; do
	for mode in direct thread; do
		set_mode "$mode" || exit 0
		pg_reset || exit 0
		for k in $(seq 1 "$n"); do
			pg_paced "gen$c" "${RMAC[$k]}" "$each" "$p.1.2" "$p.2.3" "r$k" || exit 0
		done
		pg_sched fifo
		OFFERED=$((each * n))
		for rep in $(seq 1 "$reps"); do
			row "$mode" "N=$n" "$n" "$MULT" "$rep"
		done
	done
done

pg_reset
