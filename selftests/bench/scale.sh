#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B4: scalability of one napi_macvlan router: 2, 8, 64, 512 interfaces on
# the ingress lower (extra interfaces up, idle), then 10 .. 10,000 routes
# in the router.  Levels are reached by adding to the same topology, so the
# repeats of a level run one after the other.  Offered: full speed (0) and
# a fixed rate below capacity (loss).
#   scale.sh [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

quick=${1:-}
if [ "$quick" = --quick ]; then
	ifs=${IFS_LEVELS:-"2 64"}
	routes=${ROUTE_LEVELS:-"10 1000"}
	rates=${RATES:-"0"}
	reps=${REPS:-1}
else
	ifs=${IFS_LEVELS:-"2 8 64 512"}
	routes=${ROUTE_LEVELS:-"10 100 1000 10000"}
	rates=${RATES:-"0 5000"}
	reps=${REPS:-5}
fi
comp=${B4_COMP:-nmv}

# grow_ifs C N: give router 1 of topology C N interfaces in all (2 exist)
grow_ifs()
{
	local c=$1 want=$2 r=${T_R1[$1]} have i
	have=$(ip -n "$r" -o link show | grep -c '^[0-9]*: [iox]')
	[ "$have" -ge "$want" ] && return 0
	{
		for i in $(seq $((have + 1)) "$want"); do
			echo "link add link nic$c name x$i type napi_macvlan"
			echo "link set x$i netns $r"
		done
	} | ip -batch - || return 1
	ip -n "$r" -o link show | awk -F': ' '$2 ~ /^x/ { print "link set " $2 " up" }' |
		cut -d@ -f1 | ip -n "$r" -batch -
}

# grow_routes C N: N /32 routes in router 1 (via the sink)
grow_routes()
{
	local c=$1 want=$2 r=${T_R1[$1]} have
	have=$(ip -n "$r" route show | grep -c '^172\.')
	[ "$have" -ge "$want" ] && return 0
	awk -v a="$have" -v b="$want" -v gw="10.$c.2.2" 'BEGIN {
		for (i = a; i < b; i++)
			printf "route add 172.%d.%d.%d/32 via %s\n", 16 + int(i / 65536), int(i / 256) % 256, i % 256, gw
	}' | ip -n "$r" -batch -
}

ci=81
cr=82
chain_setup "$comp" 1 $ci || exit 1
chain_setup "$comp" 1 $cr || exit 1
warm $ci
warm $cr
for n in $ifs; do
	grow_ifs $ci "$n" || echo "# could not create $n interfaces"
	for rep in $(seq 1 "$reps"); do
		for rate in $rates; do
			flood $ci "$rate"
			EXTRA=rate=$rate measure B4 "$comp" interfaces "$n" "$rep"
		done
	done
done
for n in $routes; do
	grow_routes $cr "$n" || echo "# could not add $n routes"
	for rep in $(seq 1 "$reps"); do
		for rate in $rates; do
			flood $cr "$rate"
			EXTRA=rate=$rate measure B4 "$comp" routes "$n" "$rep"
		done
	done
done
bench_cleanup
