#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B4: scalability of one router: 2, 8, 64, 512 interfaces on the ingress
# lower (extra interfaces up, idle), then 10 .. 10,000 routes in the
# router, on a topology of its own (interfaces brought up and down, routes
# added and deleted).  Offered: full speed (0) and a fixed rate below
# capacity (loss).
#   scale.sh [--quick]
# Cost mode (BENCH_COST=1, run.sh --cost): full speed only, napi_macvlan
# and macvlan (bridge) at the same levels, and `gen` (the generator and
# the NIC alone); guest time per forwarded packet is the whole path's
# instruction count.  IFS_LEVELS, ROUTE_LEVELS, REPS, RATES, B4_COMPS
# override the defaults (IFS_LEVELS= or ROUTE_LEVELS= empty: no such
# sweep, cost mode).  B4_ROUTE_HIT=ADDR (one of the routes, e.g.
# 172.16.0.9, present from 10 routes on): the routes sweep floods ADDR
# instead of 10.C.2.3, so the FIB lookup walks down to that route's leaf,
# and every route goes via 10.C.2.3 (the sink's MAC nobody owns, as the
# flood's usual destination: the rest of the path is the same); param
# routes_hit.
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

quick=${1:-}
if [ "${BENCH_COST:-0}" = 1 ]; then
	# one vCPU under icount: each frame is received in the softirq right
	# after pktgen's transmit, the CPU never idles, and pktgen's elapsed
	# guest time per forwarded packet is the whole path's instructions.
	# Loss at a fixed rate below capacity needs a generator that does not
	# share the router's CPU: the wall-clock form only.
	ifs=${IFS_LEVELS-"2 8 64 512"}
	routes=${ROUTE_LEVELS-"10 100 1000 10000"}
	rates=${RATES:-"0"}
	reps=${REPS:-2}
	comps=${B4_COMPS:-"nmv macvlan"}
	if [ "$quick" = --quick ]; then
		ifs=${IFS_LEVELS-"2 64"}
		routes=${ROUTE_LEVELS-"10 1000"}
		reps=${REPS:-1}
	fi
elif [ "$quick" = --quick ]; then
	ifs=${IFS_LEVELS:-"2 64"}
	routes=${ROUTE_LEVELS:-"10 1000"}
	rates=${RATES:-"0"}
	reps=${REPS:-1}
	comps=${B4_COMPS:-${B4_COMP:-nmv}}
else
	ifs=${IFS_LEVELS:-"2 8 64 512"}
	routes=${ROUTE_LEVELS:-"10 100 1000 10000"}
	rates=${RATES:-"0 5000"}
	reps=${REPS:-5}
	comps=${B4_COMPS:-${B4_COMP:-nmv}}
fi
hit=${B4_ROUTE_HIT:-}
rparam=routes
[ -n "$hit" ] && rparam=routes_hit

# make_ifs C N: N - 2 more interfaces x3 .. xN of topology C's kind
# (napi_macvlan, or macvlan in bridge mode) on its ingress lower, in
# router 1, down (no IPv6: 510 interfaces doing DAD and MLD would send
# during the measurements)
make_ifs()
{
	local c=$1 n=$2 r=${T_R1[$1]} i kind
	case ${T_KIND[$c]} in
	nmv) kind=napi_macvlan ;;
	macvlan) kind="macvlan mode bridge" ;;
	*) echo "# B4: no extra interfaces of kind ${T_KIND[$c]}" >&2; return 1 ;;
	esac
	ip netns exec "$r" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	for i in $(seq 3 "$n"); do
		echo "link add link nic$c name x$i type $kind"
		echo "link set x$i netns $r"
	done | ip -batch -
}

# ifs_up C N: interfaces x3 .. xN of topology C's router 1 up, the others
# down (a napi_macvlan or macvlan interface is in its lower's address hash
# while it is up), and wait until linkwatch has set every one of them
# running (operstate).  UP_NOW[C]: how many are up now.
declare -A UP_NOW
ifs_up()
{
	local c=$1 n=$2 up=${UP_NOW[$1]:-2} i
	{
		for i in $(seq $((up + 1)) "$n"); do echo "link set x$i up"; done
		for i in $(seq $((n + 1)) "$up"); do echo "link set x$i down"; done
	} | ip -n "${T_R1[$c]}" -batch - || return 1
	UP_NOW[$c]=$n
	busywait 60000 ifs_running "${T_R1[$c]}" "$n"
}

# ifs_running NS N: exactly N of the router's interfaces are up and running
ifs_running()
{
	[ "$(ip -n "$1" -o link show up | grep -c '^[0-9]*: [iox][0-9]*[@:].*state UP')" -eq "$2" ]
}

# routes_to C N: exactly N /32 routes (via the sink, or with B4_ROUTE_HIT
# via 10.C.2.3) in router 1, plus its
# connected ones; route i is 172.16.0.0 + i, so the first N are kept
routes_to()
{
	local c=$1 want=$2 r=${T_R1[$1]} have gw=10.$1.2.2
	# B4_ROUTE_HIT: via the flood's usual destination (a MAC nobody owns)
	[ -n "$hit" ] && gw=10.$c.2.3
	have=$(ip -n "$r" route show | grep -c '^172\.')
	awk -v a="$have" -v b="$want" -v gw="$gw" '
	function dst(i) {
		return sprintf("172.%d.%d.%d/32", 16 + int(i / 65536), int(i / 256) % 256, i % 256)
	}
	BEGIN {
		for (i = a; i < b; i++)
			printf "route add %s via %s\n", dst(i), gw
		for (i = b; i < a; i++)
			printf "route del %s\n", dst(i)
	}' | ip -n "$r" -batch - || return 1
	[ "$(ip -n "$r" route show | grep -c '^172\.')" -eq "$want" ]
}

# order REP LEVELS: the levels smallest first in odd repeats, largest first
# in even ones, so that no level is always the one measured right after a
# large change (510 interfaces up or down, 10,000 routes added)
order()
{
	if [ $(($1 % 2)) -eq 1 ]; then
		echo "$2"
	else
		echo "$2" | tr ' ' '\n' | sort -rn | tr '\n' ' '
	fi
}

# Each repeat goes through every level (order above): the levels of one
# repeat are minutes apart, not a whole run, and report.py takes the ratio
# to the smallest level per repeat.  Per comparator two topologies: C for
# the interfaces, C + 1 for the routes; at each level every comparator is
# measured in turn.
topos=()
c=81
for comp in $comps; do
	if chain_setup "$comp" 1 $c && chain_setup "$comp" 1 $((c + 1)); then
		topos+=("$comp:$c:$((c + 1))")
	else
		echo "# setup of $comp failed"
	fi
	c=$((c + 2))
done
[ ${#topos[@]} -gt 0 ] || exit 1
# cost mode: `gen`, the generator and the NIC alone (frames to a MAC
# nobody owns, dropped on receive), as B1's
gen=
if [ "${BENCH_COST:-0}" = 1 ] && chain_setup nonvirt 1 80; then
	T_MAC[80]=$BOGUS_MAC
	T_KIND[80]=gen
	gen=80
fi
max=0
for n in $ifs; do [ "$n" -gt "$max" ] && max=$n; done
for t in "${topos[@]}"; do
	IFS=: read -r comp ci cr <<< "$t"
	warm "$ci"
	warm "$cr"
	make_ifs "$ci" "$max" || echo "# $comp: could not create $max interfaces"
done
if [ "${BENCH_COST:-0}" = 1 ]; then
	# the first run after the setup lost frames at the NIC that no later
	# run lost (chain.sh): one run thrown away
	IFS=: read -r _ ci _ <<< "${topos[0]}"
	flood "$ci" 0
	measure warmup x x 0 0 > /dev/null
fi
for rep in $(seq 1 "$reps"); do
	if [ -n "$gen" ]; then
		flood $gen 0
		measure B4 gen gen 0 "$rep"
	fi
	for n in $(order "$rep" "$ifs"); do
		for t in "${topos[@]}"; do
			IFS=: read -r comp ci cr <<< "$t"
			ifs_up "$ci" "$n" || { echo "# $comp: could not bring $n interfaces up"; continue; }
			for rate in $rates; do
				flood "$ci" "$rate"
				EXTRA=rate=$rate measure B4 "$comp" interfaces "$n" "$rep"
			done
		done
	done
done
for rep in $(seq 1 "$reps"); do
	for n in $(order "$rep" "$routes"); do
		for t in "${topos[@]}"; do
			IFS=: read -r comp ci cr <<< "$t"
			routes_to "$cr" "$n" || { echo "# $comp: could not set $n routes"; continue; }
			for rate in $rates; do
				flood "$cr" "$rate"
				[ -z "$hit" ] || echo "dst $hit" > "$PG/${T_GEN[$cr]}"
				EXTRA="rate=$rate${hit:+;dst=$hit}" measure B4 "$comp" "$rparam" "$n" "$rep"
			done
		done
	done
done
bench_cleanup
