#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B1 (one router) and B2 (chains of 2 and 4 routers): offered-load sweep
# into overload.  Every comparator's topology is built first, in the same
# boot; then each repeat measures every (comparator, rate) in turn.
#   chain.sh B1|B2 [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

scen=$1
quick=${2:-}
if [ "$scen" = B1 ]; then
	comps="nonvirt bridge macvlan ipvlan nmv"
	lens="1"
	base=10
else
	comps="bridge macvlan nmv"
	lens="2 4"
	base=20
fi
if [ "$quick" = --quick ]; then
	# bench-quick: overload only, 1 repeat; ipvlan, which cannot be a
	# transit router (README.md), is left out
	rates=${RATES:-"0"}
	reps=${REPS:-1}
	[ "$scen" = B1 ] && comps="nonvirt bridge macvlan nmv"
	[ "$scen" = B2 ] && lens="2"
else
	rates=${RATES:-"10000 20000 40000 0"}
	reps=${REPS:-5}
	[ "$scen" = B2 ] && rates=${RATES:-"10000 20000 0"}
fi

topos=()
c=$base
for n in $lens; do
	for comp in $comps; do
		c=$((c + 1))
		if chain_setup "$comp" "$n" "$c"; then
			topos+=("$c:$comp:$n")
		else
			echo "# setup of $comp (routers=$n) failed"
		fi
	done
done
for t in "${topos[@]}"; do
	warm "${t%%:*}"
done
for rep in $(seq 1 "$reps"); do
	for rate in $rates; do
		for t in "${topos[@]}"; do
			IFS=: read -r c comp n <<< "$t"
			flood "$c" "$rate"
			measure "$scen" "$comp" "routers=$n" "$rate" "$rep"
		done
	done
done
bench_cleanup
