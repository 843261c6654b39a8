#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B4: scalability of one napi_macvlan router: 2, 8, 64, 512 interfaces on
# the ingress lower (extra interfaces up, idle), then 10 .. 10,000 routes
# in the router, on the same topology (interfaces brought up and down,
# routes added and deleted).  Offered: full speed (0) and a fixed rate
# below capacity (loss).
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

# make_ifs C N: N - 2 more napi_macvlan interfaces x3 .. xN on topology C's
# ingress lower, in router 1, down (no IPv6: 510 interfaces doing DAD and
# MLD would send during the measurements)
make_ifs()
{
	local c=$1 n=$2 r=${T_R1[$1]} i
	ip netns exec "$r" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	for i in $(seq 3 "$n"); do
		echo "link add link nic$c name x$i type napi_macvlan"
		echo "link set x$i netns $r"
	done | ip -batch -
}

# ifs_up C N: interfaces x3 .. xN of router 1 up, the others down (a
# napi_macvlan interface is in its lower's address hash while it is up),
# and wait until linkwatch has set every one of them running (operstate)
UP_NOW=2
ifs_up()
{
	local c=$1 n=$2 i
	{
		for i in $(seq $((UP_NOW + 1)) "$n"); do echo "link set x$i up"; done
		for i in $(seq $((n + 1)) "$UP_NOW"); do echo "link set x$i down"; done
	} | ip -n "${T_R1[$c]}" -batch - || return 1
	UP_NOW=$n
	busywait 60000 ifs_running "${T_R1[$c]}" "$n"
}

# ifs_running NS N: exactly N of the router's interfaces are up and running
ifs_running()
{
	[ "$(ip -n "$1" -o link show up | grep -c '^[0-9]*: [iox][0-9]*[@:].*state UP')" -eq "$2" ]
}

# routes_to C N: exactly N /32 routes (via the sink) in router 1, plus its
# connected ones; route i is 172.16.0.0 + i, so the first N are kept
routes_to()
{
	local c=$1 want=$2 r=${T_R1[$1]} have
	have=$(ip -n "$r" route show | grep -c '^172\.')
	awk -v a="$have" -v b="$want" -v gw="10.$c.2.2" '
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
# to the smallest level per repeat.
ci=81
cr=82
chain_setup "$comp" 1 $ci || exit 1
chain_setup "$comp" 1 $cr || exit 1
warm $ci
warm $cr
max=0
for n in $ifs; do [ "$n" -gt "$max" ] && max=$n; done
make_ifs $ci "$max" || echo "# could not create $max interfaces"
for rep in $(seq 1 "$reps"); do
	for n in $(order "$rep" "$ifs"); do
		ifs_up $ci "$n" || { echo "# could not bring $n interfaces up"; continue; }
		for rate in $rates; do
			flood $ci "$rate"
			EXTRA=rate=$rate measure B4 "$comp" interfaces "$n" "$rep"
		done
	done
done
for rep in $(seq 1 "$reps"); do
	for n in $(order "$rep" "$routes"); do
		routes_to $cr "$n" || { echo "# could not set $n routes"; continue; }
		for rate in $rates; do
			flood $cr "$rate"
			EXTRA=rate=$rate measure B4 "$comp" routes "$n" "$rep"
		done
	done
done
bench_cleanup
