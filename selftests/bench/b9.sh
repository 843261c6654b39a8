#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B9: isolation between router threads (issue 17).  Two napi_macvlan
# routers A and B, each in its own namespace with two devices (i1 on the
# NIC nicC, o1 on the egress NIC onicC: both routers on the same two
# lowers, B9c's topology with a second router beside the first), made by
# `vrctl router add ... rxmode thread cpus CPU cgroup /b9a` (B: /b9b).
# cgroup b9a has cpu.max B9_ACAP ("20000 100000": 20%; "max 100000": no
# cap) and, with B9_AWEIGHT, that cpu.weight (1..10000; b9b keeps the
# default 100: Linux 6.18 and newer do not apply cpu.max to kernel
# threads, cpu.weight they do), b9b none.  Both
# routers run a firewall (B9_FW=1 and nft present: conntrack, masquerade,
# B9_RULES (64) rules every packet of a new flow walks, as
# napi_macvlan_thread.sh's router_firewall), so that forwarding, not the
# generator, is what A's flood saturates.
#
# Rows (comparator = mode, param = row kind; x = A's rate / capacity;
# B9_AMULT may list several, "2 1.5"):
#  - capacity: A alone, direct, closed-loop pktgen at full speed: what A
#    forwards (this boot's reference for the rates).
#  - gen: A's flood rate to a MAC nobody owns, alone (the generator and
#    the NIC's receive of A's flood: CPU no router mode can save).
#  - per mode (direct, thread; both routers switched with `vrctl router
#    set`, placement kept): `solo` = B's stream alone (B9_BFRAC, 0.3 x
#    capacity), `flood` = A flooded (B9_AMULT, 2 x capacity) and B's
#    stream at once.  Each stream goes to its own router's MAC; both open
#    loop (pg_paced, bursts every 500 us), on separate pktgen devices
#    (gen@aK, gen@bK), whose per-device counts are in the row.
# Appended to measure()'s row: per router offered / delivered pps (o1's
# tx), what reached i1 (rx), NIC drops (its pktgen devices' errors: the
# veth refused the frame), rx_ring_full; each cgroup's usage_usec over
# the flood as a share of one CPU (cg_a_pct, cg_b_pct); busy_run_pct =
# busy guest time / the generator's run.  In direct mode both routers run
# in the NIC's softirq: nothing is charged to their cgroups.
#
# Cost mode (run.sh --cost): one vCPU under icount: generator, NIC,
# routers share CPU0 (the thesis's B3 setting, "two routers share a
# CPU"), guest ns = instructions.  Without --cost: the 2-vCPU form (plain
# TCG or KVM; needs an idle host; run 2026-12-06 as B3, results/tcg-b3):
# the generator on CPU0, the NIC's NAPI thread
# (bench_lib's model) and the routers' threads on CPU1 (B9_NIC_CPU=0 puts
# the NIC's poll on CPU0: then direct mode's routers run there too);
# busy = CPU1's /proc/stat share, and measure() pings, as B3 does.
#
# Upstream comparators (B9_MODES also takes them; cost-mode B3 runs them:
# B9_SCEN=B3 labels the rows): `macvlan` (bridge mode) and `bridge`
# (bridge + a veth per router interface, no GRO on the veths, so every
# frame goes through the per-CPU backlog twice: bridge -> router, router
# -> bridge), each on its own NIC, egress NIC and pair of routers (a lower
# takes one rx_handler), with the same addresses, firewall and rates
# (direct's capacity), and a `capacity` row each (A alone, closed loop: x
# in the comparator's own terms).  ipvlan does not fit: it hands a unicast
# frame to the device that owns its destination IP (ipvlan_addr_lookup)
# and a router's transit frames to the lower (NOTES.md).  Per router the
# row adds where its frames were lost past the NIC: in_drop (bridge: the
# veth into the router refused the frame, its peer's tx_dropped: the
# backlog was full), out_drop (o1's tx_dropped: bridge + veth's second
# backlog pass, or the egress NIC for the others), other (offered - NIC -
# ring - in - out - delivered).  The bridges forward by static fdb entries
# (each router's i1 MAC on its port, the sink's MAC nobody owns on the
# egress NIC): a learnt entry can age out while guest time runs ahead of
# the host (B2f), and the MAC nobody owns would be flooded to every
# router.
#   b9.sh [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

quick=${1:-}
reps=${REPS:-2}
[ "$quick" = --quick ] && reps=${REPS:-1}
AMULT=${B9_AMULT:-2}
BFRAC=${B9_BFRAC:-0.3}
CAPMAX=${B9_ACAP:-"20000 100000"}
RULES=${B9_RULES:-64}
FW=${B9_FW:-1}
NICCPU=${B9_NIC_CPU:-$RCPU}
SCEN=${B9_SCEN:-B9}
MODES=${B9_MODES:-direct thread}
CG=/sys/fs/cgroup
B_MAC2=02:00:00:00:00:98

# cgroups: b9a capped, b9b not
[ -e "$CG/cgroup.controllers" ] || mount -t cgroup2 none "$CG"
if ! grep -qw cpu "$CG/cgroup.controllers" 2>/dev/null ||
   ! echo +cpu > "$CG/cgroup.subtree_control" ||
   ! mkdir -p "$CG/b9a" "$CG/b9b" ||
   ! echo "$CAPMAX" > "$CG/b9a/cpu.max"; then
	echo "# $SCEN: no cgroup v2 cpu controller: not run"
	exit 0
fi
if [ -n "${B9_AWEIGHT:-}" ] && ! echo "$B9_AWEIGHT" > "$CG/b9a/cpu.weight"; then
	echo "# $SCEN: cpu.weight \"$B9_AWEIGHT\" refused: not run"
	exit 1
fi
cgs="b9a cpu.max $(cat "$CG/b9a/cpu.max") cpu.weight $(cat "$CG/b9a/cpu.weight"); b9b cpu.max $(cat "$CG/b9b/cpu.max") cpu.weight $(cat "$CG/b9b/cpu.weight")"
echo "# $SCEN: cgroups $cgs"
echo "INFO,${SCEN,,}_cgroups,$cgs"

# b9_firewall NS: conntrack, masquerade, RULES rules per new-flow packet
b9_firewall()
{
	router_firewall "$1" "$RULES"
}

# --- topologies: per comparator, one NIC, one egress NIC, routers A and B --
fw=0
[ "$FW" = 1 ] && command -v nft >/dev/null && fw=1
# bench_lib's T_* (use_topo) and, per topology, the routers, their i1
# MACs and (bridge) their ports
declare -A T_RA T_RB T_MACA T_MACB T_PORTA T_PORTB

# b9_port NS: the init-namespace peer of NS's veth i1 (bridge's port)
b9_port()
{
	local idx
	idx=$(ip netns exec "$1" cat /sys/class/net/i1/iflink)
	grep -lx "$idx" /sys/class/net/*/ifindex | sed -n 's|^/sys/class/net/\([^/]*\)/ifindex$|\1|p' | head -n 1
}

# b9_topo COMP C: topology C (addresses 10.C.*) for COMP: nmv (routers
# made by vrctl, thread mode in cgroups b9a / b9b), macvlan or bridge
b9_topo()
{
	local comp=$1 c=$2 p=10.$2 r n ns h cg dst pid
	ns_create RA RB
	for ns in "$RA" "$RB"; do
		router_sysctls "$ns"
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	done
	mk_sink "onic$c" "$p"
	mk_nic "gen$c" "nic$c"
	if [ "$BENCH_COST" != 1 ] && [ "$NICCPU" != "$RCPU" ]; then
		# 2 vCPUs: the NIC's poll elsewhere than the routers
		for pid in $(pgrep "^napi/nic$c-"); do taskset -pc "$NICCPU" "$pid" >/dev/null; done
	fi
	ip addr add "$p.1.2/24" dev "gen$c"
	for r in A:"$RA":1:b9a:3 B:"$RB":11:b9b:4; do
		IFS=: read -r n ns h cg dst <<< "$r"
		if [ "$comp" = nmv ]; then
			"$VRCTL" router add "b9${n,,}" netns "$ns" link "nic$c" link "onic$c" \
				names i1,o1 rxmode thread cpus "$RCPU" cgroup "/$cg"
		else
			vif_add "$comp" "nic$c" i1 "$ns" && vif_add "$comp" "onic$c" o1 "$ns"
		fi || { echo "# $SCEN: router $n ($comp) not made"; return 1; }
		ip -n "$ns" addr add "$p.1.$h/24" dev i1
		ip -n "$ns" addr add "$p.2.$h/24" dev o1
		ip -n "$ns" neigh add "$p.2.$dst" lladdr $BOGUS_MAC dev o1 nud permanent
		[ "$fw" = 1 ] && { b9_firewall "$ns" || fw=0; }
	done
	T_RA[$c]=$RA
	T_RB[$c]=$RB
	T_S[$c]=$S
	T_ONIC[$c]=onic$c
	T_ONICNS[$c]=
	T_GEN[$c]=gen$c
	T_RNSL[$c]="$RA $RB"
	T_KIND[$c]=$comp
	T_TC[$c]=
	T_MACA[$c]=$(nmv_mac "$RA" i1)
	T_MACB[$c]=$(nmv_mac "$RB" i1)
	T_PORTA[$c]=
	T_PORTB[$c]=
	if [ "$comp" = bridge ]; then
		T_PORTA[$c]=$(b9_port "$RA")
		T_PORTB[$c]=$(b9_port "$RB")
		bridge fdb replace "${T_MACA[$c]}" dev "${T_PORTA[$c]}" master static &&
		bridge fdb replace "${T_MACB[$c]}" dev "${T_PORTB[$c]}" master static &&
		bridge fdb replace $BOGUS_MAC dev "onic$c" master static || return 1
	fi
	for ns in "$RA" "$RB"; do
		busywait 8000 ip netns exec "$ns" ping -n -q -c 1 -W 1 "$p.2.2" >/dev/null 2>&1 || true
	done
}

# the topology of a mode: direct and thread share napi_macvlan's
topo_of()
{
	case $1 in
	direct|thread) echo 95 ;;
	macvlan) echo 96 ;;
	bridge) echo 97 ;;
	*) return 1 ;;
	esac
}

# use_b9 MODE: point the globals (and measure()'s) at MODE's topology
use_b9()
{
	c=$(topo_of "$1") || return 1
	[ -n "${T_RA[$c]:-}" ] || return 1
	use_topo "$c"
	p=10.$c
	gen=gen$c
	RA=${T_RA[$c]}
	RB=${T_RB[$c]}
	MAC_A=${T_MACA[$c]}
	MAC_B=${T_MACB[$c]}
	PORT_A=${T_PORTA[$c]}
	PORT_B=${T_PORTB[$c]}
}

# every topology the modes need (napi_macvlan's also for the capacity)
topos=
[ -n "${B9_CAPACITY:-}" ] || topos=95
for mode in $MODES; do
	c=$(topo_of "$mode") || { echo "# $SCEN: unknown mode $mode"; exit 0; }
	case " $topos " in *" $c "*) ;; *) topos="$topos $c" ;; esac
done
for c in $topos; do
	case $c in 95) comp=nmv ;; 96) comp=macvlan ;; 97) comp=bridge ;; esac
	b9_topo "$comp" "$c" || { echo "# $SCEN: $comp topology failed: not run"; exit 0; }
	if [ "$c" = 95 ]; then
		"$VRCTL" router show b9a netns "${T_RA[$c]}" | sed "s/^/# $SCEN: /"
		"$VRCTL" router show b9b netns "${T_RB[$c]}" | sed "s/^/# $SCEN: /"
	fi
done
echo "# $SCEN: firewall ($RULES rules, conntrack, masquerade): $([ "$fw" = 1 ] && echo yes || echo no)"

# set_mode MODE: both routers (the thread's placement is kept; given
# again so that a kernel that stops the thread on `direct` gets it back);
# the upstream comparators have no mode
set_mode()
{
	local n ns
	[ "$TOPO_KIND" = nmv ] || return 0
	for n in a b; do
		ns=$RA
		[ "$n" = b ] && ns=$RB
		if [ "$1" = thread ]; then
			"$VRCTL" router set "b9$n" netns "$ns" rxmode thread cpus "$RCPU" cgroup "/b9$n"
		else
			"$VRCTL" router set "b9$n" netns "$ns" rxmode direct
		fi || { echo "# $SCEN: vrctl router set b9$n rxmode $1 failed"; return 1; }
	done
}

# rstat NS [PORT]: "rx_ring rx_ring_full i1_rx o1_tx o1_tx_dropped
# port_tx_dropped" of a router (PORT: the bridge's veth into its i1)
rstat()
{
	local pd=0
	[ -n "${2:-}" ] && read -r pd < "/sys/class/net/$2/statistics/tx_dropped"
	ip netns exec "$1" sh -c 'ethtool -S i1; echo "i1_rx: $(cat /sys/class/net/i1/statistics/rx_packets)";
		echo "o1_tx: $(cat /sys/class/net/o1/statistics/tx_packets)";
		echo "o1_txdrop: $(cat /sys/class/net/o1/statistics/tx_dropped)"' 2>/dev/null |
		awk -v pd="$pd" '$1 == "rx_ring:" { r = $2 } $1 == "rx_ring_full:" { f = $2 }
		     $1 == "i1_rx:" { i = $2 } $1 == "o1_tx:" { o = $2 } $1 == "o1_txdrop:" { d = $2 }
		     END { print r + 0, f + 0, i + 0, o + 0, d + 0, pd + 0 }'
}

cg_usage()
{
	awk '$1 == "usage_usec" { print $2 }' "$CG/$1/cpu.stat"
}

# stream TAG: "offered_frames sent errors us devmin devmax" over the
# pktgen devices gen@TAG*
stream()
{
	local d s us e o=0 st=0 et=0 um=0 mn="" mx=0
	for d in $PG_DEVS; do
		case $d in "$gen@$1"*) ;; *) continue ;; esac
		read -r s us e <<< "$(pg_result "$d")"
		o=$((o + s + e)); st=$((st + s)); et=$((et + e))
		[ "$us" -gt "$um" ] && um=$us
		[ -z "$mn" ] || [ $((s + e)) -lt "$mn" ] && mn=$((s + e))
		[ $((s + e)) -gt "$mx" ] && mx=$((s + e))
	done
	echo "$o $st $et $um ${mn:-0} $mx"
}

# paced_add TAG MAC RATE DST: an open-loop stream on devices gen@TAG1..
# (both streams share one generator veth)
paced_add()
{
	pg_paced "$gen" "$2" "$3" "$p.1.2" "$4" "$1"
}

# row MODE KIND REP: one measurement of the streams configured
row()
{
	local mode=$1 kind=$2 rep=$3 a0 a1 b0 b1 ca0 ca1 cb0 cb1 r sa sb
	a0=($(rstat "$RA" "$PORT_A")); b0=($(rstat "$RB" "$PORT_B"))
	ca0=$(cg_usage b9a); cb0=$(cg_usage b9b)
	r=$(measure "$SCEN" "$mode" "$kind" "${x:-0}" "$rep")
	ca1=$(cg_usage b9a); cb1=$(cg_usage b9b)
	a1=($(rstat "$RA" "$PORT_A")); b1=($(rstat "$RB" "$PORT_B"))
	sa=($(stream a)); sb=($(stream b))
	echo "$r" | awk -v sa="${sa[*]}" -v sb="${sb[*]}" \
	    -v a="${a0[*]} ${a1[*]}" -v b="${b0[*]} ${b1[*]}" \
	    -v cga=$((ca1 - ca0)) -v cgb=$((cb1 - cb0)) -v cost="$BENCH_COST" '{
		split(sa, SA, " "); split(sb, SB, " "); split(a, A, " "); split(b, B, " ")
		# the run: the longer of the two streams
		us = (SA[4] > SB[4] ? SA[4] : SB[4]); if (us <= 0) us = 1
		ua = (SA[4] > 0 ? SA[4] : us); ub = (SB[4] > 0 ? SB[4] : us)
		n = split($0, F, ","); ex = F[n]
		busy = "NA"
		if (cost == 1 && match(ex, /busy_pct=[0-9.]+/)) {
			bp = substr(ex, RSTART + 9, RLENGTH - 9)
			match(ex, /win_us=[0-9]+/); win = substr(ex, RSTART + 7, RLENGTH - 7)
			busy = sprintf("%.1f", bp * win / us)
		} else if (cost != 1) {
			busy = F[11]
		}
		printf "%s;a_off_pps=%.0f;a_pps=%.0f;a_rx_pps=%.0f;a_nic_drop=%d;a_ring=%d;a_ring_full=%d;a_devs=%d-%d", $0,
			SA[1] * 1e6 / ua, (A[10] - A[4]) * 1e6 / ua, (A[9] - A[3]) * 1e6 / ua,
			SA[3], A[7] - A[1], A[8] - A[2], SA[5], SA[6]
		printf ";b_off_pps=%.0f;b_pps=%.0f;b_rx_pps=%.0f;b_nic_drop=%d;b_ring=%d;b_ring_full=%d;b_devs=%d-%d",
			SB[1] * 1e6 / ub, (B[10] - B[4]) * 1e6 / ub, (B[9] - B[3]) * 1e6 / ub,
			SB[3], B[7] - B[1], B[8] - B[2], SB[5], SB[6]
		# frames lost past the NIC, per router (counts over the run)
		printf ";a_in_drop=%d;a_out_drop=%d;a_other=%d;b_in_drop=%d;b_out_drop=%d;b_other=%d",
			A[12] - A[6], A[11] - A[5],
			SA[1] - SA[3] - (A[8] - A[2]) - (A[12] - A[6]) - (A[11] - A[5]) - (A[10] - A[4]),
			B[12] - B[6], B[11] - B[5],
			SB[1] - SB[3] - (B[8] - B[2]) - (B[12] - B[6]) - (B[11] - B[5]) - (B[10] - B[4])
		printf ";cg_a_pct=%.1f;cg_b_pct=%.1f;run_us=%d;busy_run_pct=%s;fw=%s\n",
			100 * cga / us, 100 * cgb / us, us, busy, "'"$fw"'"
	}'
}

# closed: A alone at full speed (closed loop) on the current topology
closed()
{
	pg_reset
	pg_add "$gen@a1" "$MAC_A" 0 "$p.1.2" "$p.2.3"
	PG_DEVS="$gen@a1"
	OFFERED=0
	x=1
}

# --- capacity: A alone, napi_macvlan direct, closed loop ---------------------
# B9_CAPACITY=PPS: take A's capacity from an earlier boot (no capacity
# rows); B9_MODES (direct thread), B9_GEN=0 (no gen rows): a shorter run
cap=${B9_CAPACITY:-}
if [ -z "$cap" ]; then
	use_b9 direct && set_mode direct || exit 0
	closed
	row direct warmup 0 > /dev/null
fi
for t in $([ -n "$cap" ] || echo 1 2); do
	closed
	r=$(row direct capacity "$t")
	echo "$r"
	cap=$(echo "$r" | sed -n 's/.*;a_pps=\([0-9]*\).*/\1/p')
done
[ -n "$cap" ] && [ "$cap" -gt 0 ] || { echo "# $SCEN: no capacity measured"; exit 0; }
brate=$(awk -v c="$cap" -v f="$BFRAC" 'BEGIN { printf "%d", c * f }')
echo "# $SCEN: A's capacity (napi_macvlan direct, closed loop) $cap pps: A offered $AMULT x, B $BFRAC x = $brate pps"

# streams KIND: configure the open-loop streams of a row kind
streams()
{
	pg_reset
	case $1 in
	gen) paced_add a "$B_MAC2" "$arate" "$p.2.3" ;;
	solo) paced_add b "$MAC_B" "$brate" "$p.2.4" ;;
	flood) paced_add a "$MAC_A" "$arate" "$p.2.3" &&
	       paced_add b "$MAC_B" "$brate" "$p.2.4" ;;
	esac || return 1
	OFFERED=$PG_ASKED
	pg_sched fifo
}

# amult X: A's rate for X x capacity, in arate and x
amult()
{
	x=$1
	arate=$(awk -v c="$cap" -v f="$x" 'BEGIN { printf "%d", c * f }')
}

# the first open-loop run after the setup is thrown away (and the gen
# rows run) on the first mode's topology
use_b9 "${MODES%% *}" && set_mode "${MODES%% *}" || exit 0
amult "${AMULT%% *}"
streams flood && row "${MODES%% *}" warmup 0 > /dev/null
for rep in $(seq 1 "$reps"); do
	use_b9 "${MODES%% *}"
	for m in $([ "${B9_GEN:-1}" = 0 ] || echo "$AMULT"); do
		amult "$m"
		streams gen && row none gen "$rep"
	done
	for mode in $MODES; do
		use_b9 "$mode" && set_mode "$mode" || continue
		# an upstream comparator's own capacity (A alone, closed
		# loop): what x is in its terms (the rates are direct's)
		if [ "$TOPO_KIND" != nmv ] && [ "$rep" = 1 ]; then
			closed && row "$mode" capacity 1
		fi
		x=0
		streams solo && row "$mode" solo "$rep"
		for m in $AMULT; do
			amult "$m"
			streams flood && row "$mode" flood "$rep"
		done
	done
done
bench_cleanup
