#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B2f: fan-in.  N ingress NICs (N = 2, 4), each with its own router R1..RN;
# every Rk forwards over one shared lower ("lan") to one shared router RS,
# which forwards to the sink.  RS's ingress queue (the backlog for macvlan
# and bridge + veth, the peer veth's ring for NAPI veth, napi_macvlan's
# ring) is filled by N routers and drained by one: where a queue in the
# middle of the path overflows, the work the feeding routers spent on the
# dropped packets is wasted.
#
# The NICs poll like hardware: NAPI in softirq (not threaded) with
# interrupt deferral (napi_defer_hard_irqs + gro_flush_timeout on the
# veth), so a poll takes up to a full budget of frames from the NIC ring
# instead of one per transmit.  (Threaded NICs hid the overflow: each NIC
# thread drained RS's queue right after its own poll.)
#
# Comparators (FANIN_COMPS): macvlan (bridge mode), bridge (bridge + a veth
# per router interface), vethgro (the same with NAPI veth: GRO on at both
# ends, so veth queues into the peer's ring instead of the backlog), nmv
# (napi_macvlan).  "nmvdirect" (napi_macvlan with direct local delivery,
# `local direct`) is accepted where the kernel module and ip know it.
#
# Drops per location: nic (generator veth tx_dropped: NIC ring full), ring
# (napi_macvlan rx_ring_full), backlog (softnet_stat), other (what the NICs
# accepted minus what was delivered and the drops above: a NAPI veth's
# full ring, qdisc, anything else).
#
# --overload (scenario B2fo, cost mode): an open-loop generator instead
# (pg_paced: a fixed rate in bursts every 500 us from a SCHED_FIFO pktgen,
# whatever the routers do), at FANIN_MULT (a list, default "2") x the
# fan-in's capacity.
# The capacity is measured first in the same boot, per N: what macvlan's
# fan-in delivers with the closed-loop generator at full speed (every frame
# the NICs accept is delivered there, nothing is dropped past the NICs: the
# most this one CPU forwards through the topology).  The offered rate is
# then the same for every comparator.  Comparators (FANIN_COMPS, default
# "gen macvlan bridge vethgro nmv nmvdirect"): `gen` is the generators and
# the NICs alone (frames dropped on receive), the fixed cost of offering
# the load.  Extra columns: the rate asked, offered per NIC, every pktgen
# device's fewest and most frames, the shared router's path counters
# (napi_macvlan: rx_local_direct, rx_ring, rx_local_deep, rx_ring_full of
# RS's lan device), veth tx_dropped (a NAPI veth's ring or the backlog
# full), softnet time_squeeze.
#   fanin.sh [--overload] [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

overload=
[ "${1:-}" = --overload ] && { overload=1; shift; }
quick=${1:-}
comps=${FANIN_COMPS:-"macvlan bridge vethgro nmv"}
[ -n "$overload" ] && comps=${FANIN_COMPS:-"macvlan bridge vethgro nmv nmvdirect"}
ns_list=${FANIN_N:-"2 4"}
[ "$quick" = --quick ] && ns_list=${FANIN_N:-"4"}
[ -n "$overload" ] && ns_list=${FANIN_N:-"4 2"}
reps=${REPS:-1}
[ "$quick" = --quick ] || [ -n "$overload" ] || reps=${REPS:-2}
MULT=${FANIN_MULT:-2}
scen=B2f
[ -n "$overload" ] && scen=B2fo
# the egress NIC: "veth" (onicC <-> sink in namespace S, NAPI, 256-entry
# ring, received on this CPU) or "dummy" (onicC frees every frame it is
# given and counts it: a wire that is never the bottleneck).  At overload
# the veth sink is a queue of its own: with napi_macvlan direct, N NIC
# polls of 64 frames each reach it in one softirq round before its NAPI
# runs, and it overflowed (see NOTES-cost.md), so B2fo uses the dummy.
SINK=${FANIN_SINK:-veth}
[ -n "$overload" ] && SINK=${FANIN_SINK:-dummy}
# interrupt deferral of the NICs: polls every 50 us at most, up to two
# empty polls before the "interrupt" is re-enabled
DEFER_NS=${FANIN_DEFER_NS:-50000}
DEFER_IRQS=${FANIN_DEFER_IRQS:-2}

declare -A F_GENS F_MACS F_SRCS F_S F_ONIC F_NS F_KIND F_RS F_NADDR

# fan_vif COMP LOWER NAME NS: one router interface (vif_add, plus the
# NAPI veth variant and napi_macvlan's direct local delivery)
fan_vif()
{
	local comp=$1 lower=$2 name=$3 ns=$4 br h
	case $comp in
	vethgro)
		br=br_$lower
		if [ ! -e "/sys/class/net/$br" ]; then
			ip link add "$br" type bridge
			ip link set "$lower" master "$br"
			ip link set "$br" up
		fi
		h=v$RANDOM$RANDOM
		ip link add "$h" type veth peer name "$name"
		# TSO off at both ends as well: veth hands a forwarded
		# frame (no socket) from a TSO-capable device to the
		# backlog, not to the peer's NAPI ring
		# (veth_skb_is_eligible_for_gro)
		ethtool -K "$h" gro on tso off gso off >/dev/null
		ethtool -K "$name" gro on tso off gso off >/dev/null
		ip link set "$h" master "$br"
		ip link set "$h" up
		ip link set "$name" netns "$ns"
		ip -n "$ns" link set "$name" up
		;;
	nmvdirect)
		# the option needs the iproute2 plugin (nmv_ip)
		nmv_ip link add link "$lower" name "$name" type napi_macvlan local direct || return 1
		ip link set "$name" netns "$ns"
		ip -n "$ns" link set "$name" up
		;;
	*)
		vif_add "$comp" "$lower" "$name" "$ns" ;;
	esac
}

# hw_nic NIC: softirq NAPI with interrupt deferral on NIC (init namespace)
hw_nic()
{
	echo "$DEFER_NS" > "/sys/class/net/$1/gro_flush_timeout"
	echo "$DEFER_IRQS" > "/sys/class/net/$1/napi_defer_hard_irqs"
}

# fan_sink C P: the egress NIC onicC (SINK), sink address P.2.2 (veth)
fan_sink()
{
	if [ "$SINK" = dummy ]; then
		ip link add "onic$1" type dummy
		ip link set "onic$1" up
		S=
	else
		mk_sink "onic$1" "$2"
	fi
}

# fan_setup COMP N C: topology C.  Ingress k: genC_k -> nicC_k (10.C.2k.0/24
# with k = 1..N: genC_k .2, Rk .1); lan: lanC (veth, peer lanpC idle),
# 10.C.100.0/24 (RS .1, Rk .10+k); RS -> onicC -> sink (10.C.2.0/24).
# Flood to 10.C.2.3 (a MAC nobody owns, the sink drops it).  Static
# neighbours everywhere: no ARP during the flood.
fan_setup()
{
	local comp=$1 n=$2 c=$3 k r rs gen nic mac p=10.$c nsl gens="" macs="" srcs=""

	if [ "$comp" = gen ]; then
		# generators and NICs alone: the frames (to a MAC nobody
		# owns) are dropped on receive
		fan_sink "$c" "$p"
		for k in $(seq 1 "$n"); do
			mk_nic "gen${c}_$k" "nic${c}_$k"
			hw_nic "nic${c}_$k"
			gens="$gens gen${c}_$k"
			macs="$macs $BOGUS_MAC"
			srcs="$srcs $p.$((2 * k + 20)).2"
		done
		F_RS[$c]=
		F_NADDR[$c]=0
		F_GENS[$c]=$gens
		F_MACS[$c]=$macs
		F_SRCS[$c]=$srcs
		F_S[$c]=$S
		F_NS[$c]=
		F_KIND[$c]=$comp
		return 0
	fi
	ns_create R
	rs=$R
	router_sysctls "$rs"
	nsl=$rs
	fan_sink "$c" "$p"
	ip link add "lan$c" type veth peer name "lanp$c"
	ip link set "lan$c" up
	ip link set "lanp$c" up
	fan_vif "$comp" "lan$c" i0 "$rs" || return 1
	fan_vif "$comp" "onic$c" o0 "$rs" || return 1
	ip -n "$rs" addr add "$p.100.1/24" dev i0
	ip -n "$rs" addr add "$p.2.1/24" dev o0
	ip -n "$rs" neigh add "$p.2.3" lladdr $BOGUS_MAC dev o0 nud permanent
	mac=$(nmv_mac "$rs" i0)
	for k in $(seq 1 "$n"); do
		ns_create R
		r=$R
		router_sysctls "$r"
		nsl="$nsl $r"
		gen=gen${c}_$k
		nic=nic${c}_$k
		mk_nic "$gen" "$nic"
		hw_nic "$nic"
		fan_vif "$comp" "$nic" i1 "$r" || return 1
		fan_vif "$comp" "lan$c" o1 "$r" || return 1
		ip -n "$r" addr add "$p.$((2 * k + 20)).1/24" dev i1
		ip -n "$r" addr add "$p.100.$((10 + k))/24" dev o1
		ip -n "$r" route add "$p.2.0/24" via "$p.100.1"
		ip -n "$r" neigh add "$p.100.1" lladdr "$mac" dev o1 nud permanent
		gens="$gens $gen"
		macs="$macs $(nmv_mac "$r" i1)"
		srcs="$srcs $p.$((2 * k + 20)).2"
	done
	F_RS[$c]=$rs
	F_NADDR[$c]=$n
	F_GENS[$c]=$gens
	F_MACS[$c]=$macs
	F_SRCS[$c]=$srcs
	F_S[$c]=$S
	F_NS[$c]=$nsl
	F_KIND[$c]=$comp
}

# fan_flood C [RATE]: every generator of topology C on kpktgend_0: at full
# speed, or (RATE, pps in all) open loop at RATE / N each (pg_paced).
# "delay 1": with delay 0 and several devices on one thread, pktgen fed
# only the last device added (next_tx never advances, so one device is
# always "next").
fan_flood()
{
	local c=$1 rate=${2:-0} g gens macs srcs i=0
	read -r -a gens <<< "${F_GENS[$c]}"
	read -r -a macs <<< "${F_MACS[$c]}"
	read -r -a srcs <<< "${F_SRCS[$c]}"
	pg_reset
	for g in "${gens[@]}"; do
		if [ "$rate" -gt 0 ]; then
			pg_paced "$g" "${macs[$i]}" $((rate / ${#gens[@]})) \
				"${srcs[$i]}" "10.$c.2.3" || return 1
		else
			pg_add "$g" "${macs[$i]}" 0 "${srcs[$i]}" "10.$c.2.3"
			echo "delay 1" > "$PG/$g"
		fi
		i=$((i + 1))
	done
	[ "$rate" -gt 0 ] && pg_sched fifo
	S=${F_S[$c]}
	ONIC=onic$c
	SINK_TXDEV=
	[ "$SINK" = dummy ] && SINK_TXDEV=onic$c
	ONIC_NS=
	GENS="${F_GENS[$c]}"
	TOPO_NS=${F_NS[$c]}
	TOPO_KIND=${F_KIND[$c]}
	[ "$TOPO_KIND" = nmvdirect ] && TOPO_KIND=nmv
	TOPO_TC=
	PING_DST=10.$c.2.2
	OFFERED=${PG_ASKED:-0}
}

# fan_learn C: RS pings every Rk on the lan, so the lan's bridge (bridge,
# vethgro) knows every router's MAC: with static neighbours nothing else
# is ever sent towards a router, and an unknown destination is flooded to
# every port (each frame copied to all routers).  Before every run: guest
# time runs fast while the VM waits on the host, past the bridge's ageing.
fan_learn()
{
	local c=$1 k
	for k in $(seq 1 "${F_NADDR[$c]}"); do
		ip netns exec "${F_RS[$c]}" ping -n -q -c 1 -W 1 "10.$c.100.$((10 + k))" >/dev/null 2>&1 ||
			echo "# B2f: RS of topology $c does not reach router $k"
	done
}

# per-generator sent counts of the last run, "n1:n2:..."
fan_sent()
{
	local g out="" sent us err
	for g in $GENS; do
		read -r sent us err <<< "$(pg_result "$g")"
		out="$out${out:+:}$sent"
	done
	echo "$out"
}

# fan_counters C: "rs_direct rs_ring rs_deep rs_full veth_drop squeeze
# proc0 proc1 sink_drop" (RS's lan device's napi_macvlan path counters;
# tx_dropped of every veth in the init namespace and of the routers'
# devices; softnet time_squeeze; frames the stack received on CPU0 and on
# CPU1: softnet's processed, which says on which CPU the NICs' polls ran;
# tx_dropped of the egress NIC onicC: with the veth sink, its NAPI ring
# was full)
fan_counters()
{
	local c=$1 rs=${F_RS[$1]} ns v x sq=0 d=0 s p i=0 pc=(0 0)
	if [ -n "$rs" ] && [ "${F_KIND[$c]#nmv}" != "${F_KIND[$c]}" ]; then
		s=$(ip netns exec "$rs" ethtool -S i0 | awk '
			$1 == "rx_local_direct:" { d = $2 } $1 == "rx_ring:" { r = $2 }
			$1 == "rx_local_deep:" { p = $2 } $1 == "rx_ring_full:" { f = $2 }
			END { print d + 0, r + 0, p + 0, f + 0 }')
	else
		s="0 0 0 0"
	fi
	for v in /sys/class/net/v*/statistics/tx_dropped; do
		[ -e "$v" ] || continue
		read -r x < "$v"
		d=$((d + x))
	done
	for ns in ${F_NS[$c]}; do
		x=$(ip netns exec "$ns" sh -c 'cat /sys/class/net/[io][0-9]/statistics/tx_dropped 2>/dev/null' |
			awk '{ s += $1 } END { print s + 0 }')
		d=$((d + x))
	done
	while read -r p _ x _; do
		sq=$((sq + 16#$x))
		[ $i -lt 2 ] && pc[i]=$((16#$p))
		i=$((i + 1))
	done < /proc/net/softnet_stat
	read -r x < "/sys/class/net/onic$c/statistics/tx_dropped"
	echo "$s $d $sq ${pc[0]} ${pc[1]} $x"
}

# fan_deltas "A" "B" NAME...: ";NAME=delta" for the named fan_counters
# fields, A and B being its output before and after a run
fan_deltas()
{
	local a b all=(rs_direct rs_ring rs_deep rs_full veth_drop squeeze proc_cpu0
		   proc_cpu1 sink_drop) i n
	read -r -a a <<< "$1"
	read -r -a b <<< "$2"
	shift 2
	for n in "$@"; do
		for i in "${!all[@]}"; do
			[ "${all[i]}" = "$n" ] && printf ';%s=%d' "$n" $((b[i] - a[i]))
		done
	done
}

topos=()
c=60
for n in $ns_list; do
	for comp in $comps; do
		c=$((c + 1))
		if fan_setup "$comp" "$n" "$c"; then
			topos+=("$c:$comp:$n")
		else
			echo "# $scen: setup of $comp (N=$n) failed: left out"
		fi
	done
done

# the capacity of the fan-in at N: macvlan's delivered pps with the
# closed-loop generator (full speed), this boot
declare -A CAP
if [ -n "$overload" ]; then
	# the first run after the setup loses frames at the NIC that no
	# later run loses (chain.sh): one run thrown away
	IFS=: read -r c comp n <<< "${topos[0]}"
	fan_flood "$c"
	measure warmup x x 0 0 > /dev/null
	for t in "${topos[@]}"; do
		IFS=: read -r c comp n <<< "$t"
		[ "$comp" = macvlan ] || continue
		fan_learn "$c"
		fan_flood "$c"
		row=$(measure B2fo capacity "N=$n" 0 1)
		echo "$row;gen_sent=$(fan_sent)"
		CAP[$n]=$(echo "$row" | cut -d, -f9)
		echo "# B2fo: N=$n capacity (macvlan, closed loop) ${CAP[$n]} pps; offered $MULT x that"
	done
fi

mults=1
[ -n "$overload" ] && mults=$MULT
for rep in $(seq 1 "$reps"); do
    for m in $mults; do
	for t in "${topos[@]}"; do
		IFS=: read -r c comp n <<< "$t"
		[ "$comp" = gen ] || fan_learn "$c"
		if [ -n "$overload" ]; then
			[ -n "${CAP[$n]:-}" ] || { echo "# B2fo: no capacity for N=$n (no macvlan row)"; continue; }
			fan_flood "$c" "$(awk -v c="${CAP[$n]}" -v m="$m" 'BEGIN { printf "%d", c * m }')" ||
				{ echo "# B2fo: generator setup failed for $comp N=$n"; continue; }
			ctr0=$(fan_counters "$c")
			row=$(measure B2fo "$comp" "N=$n/x$m" "$m" "$rep")
			ctr1=$(fan_counters "$c")
			read -r offn pmin pmax <<< "$(pg_offered $GENS)"
			echo "$row;offered_nic=$offn;pgdev_min=$pmin;pgdev_max=$pmax;pgdevs=$(echo $PG_DEVS | wc -w)$(
				fan_deltas "$ctr0" "$ctr1" rs_direct rs_ring rs_deep rs_full veth_drop squeeze proc_cpu0 proc_cpu1)"
		else
			fan_flood "$c"
			ctr0=$(fan_counters "$c")
			row=$(measure B2f "$comp" "N=$n" 0 "$rep")
			ctr1=$(fan_counters "$c")
			echo "$row;gen_sent=$(fan_sent)$(
				fan_deltas "$ctr0" "$ctr1" rs_direct rs_ring rs_deep rs_full veth_drop sink_drop)"
		fi
	done
    done
done
bench_cleanup
