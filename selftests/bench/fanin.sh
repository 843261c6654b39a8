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
#   fanin.sh [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

quick=${1:-}
comps=${FANIN_COMPS:-"macvlan bridge vethgro nmv"}
ns_list=${FANIN_N:-"2 4"}
[ "$quick" = --quick ] && ns_list=${FANIN_N:-"4"}
reps=${REPS:-1}
[ "$quick" = --quick ] || reps=${REPS:-2}
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
		ip link add link "$lower" name "$name" type napi_macvlan local direct || return 1
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

# fan_setup COMP N C: topology C.  Ingress k: genC_k -> nicC_k (10.C.2k.0/24
# with k = 1..N: genC_k .2, Rk .1); lan: lanC (veth, peer lanpC idle),
# 10.C.100.0/24 (RS .1, Rk .10+k); RS -> onicC -> sink (10.C.2.0/24).
# Flood to 10.C.2.3 (a MAC nobody owns, the sink drops it).  Static
# neighbours everywhere: no ARP during the flood.
fan_setup()
{
	local comp=$1 n=$2 c=$3 k r rs gen nic mac p=10.$c nsl gens="" macs="" srcs=""

	ns_create R
	rs=$R
	router_sysctls "$rs"
	nsl=$rs
	mk_sink "onic$c" "$p"
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

# fan_flood C: every generator of topology C at full speed on kpktgend_0.
# "delay 1": with delay 0 and several devices on one thread, pktgen fed
# only the last device added (next_tx never advances, so one device is
# always "next").
fan_flood()
{
	local c=$1 g gens macs srcs i=0
	read -r -a gens <<< "${F_GENS[$c]}"
	read -r -a macs <<< "${F_MACS[$c]}"
	read -r -a srcs <<< "${F_SRCS[$c]}"
	pg_reset
	for g in "${gens[@]}"; do
		pg_add "$g" "${macs[$i]}" 0 "${srcs[$i]}" "10.$c.2.3"
		echo "delay 1" > "$PG/$g"
		i=$((i + 1))
	done
	S=${F_S[$c]}
	ONIC=onic$c
	ONIC_NS=
	GENS="${F_GENS[$c]}"
	TOPO_NS=${F_NS[$c]}
	TOPO_KIND=${F_KIND[$c]}
	[ "$TOPO_KIND" = nmvdirect ] && TOPO_KIND=nmv
	TOPO_TC=
	PING_DST=10.$c.2.2
	OFFERED=0
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

topos=()
c=60
for n in $ns_list; do
	for comp in $comps; do
		c=$((c + 1))
		if fan_setup "$comp" "$n" "$c"; then
			topos+=("$c:$comp:$n")
		else
			echo "# B2f: setup of $comp (N=$n) failed: left out"
		fi
	done
done
for rep in $(seq 1 "$reps"); do
	for t in "${topos[@]}"; do
		IFS=: read -r c comp n <<< "$t"
		fan_learn "$c"
		fan_flood "$c"
		row=$(measure B2f "$comp" "N=$n" 0 "$rep")
		echo "$row;gen_sent=$(fan_sent)"
	done
done
bench_cleanup
