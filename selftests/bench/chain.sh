#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B1 (one router) and B2 (chains of 2 and 4 routers): offered-load sweep
# into overload, every comparator set up in turn in the same boot, repeats
# interleaved (rep r of every comparator before rep r+1).
#   chain.sh B1|B2 [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

scen=$1
quick=${2:-}
if [ "$scen" = B1 ]; then
	comps="nonvirt bridge macvlan ipvlan nmv"
	lens="1"
else
	comps="bridge macvlan nmv"
	lens="2 4"
fi
if [ "$quick" = --quick ]; then
	rates=${RATES:-"40000 0"}
	reps=${REPS:-2}
	[ "$scen" = B2 ] && lens="2"
else
	rates=${RATES:-"20000 40000 60000 80000 120000 0"}
	reps=${REPS:-5}
fi

for n in $lens; do
	for rep in $(seq 1 "$reps"); do
		for comp in $comps; do
			bench_cleanup
			chain_setup "$comp" "$n" || { echo "# setup $comp failed"; continue; }
			warm
			for rate in $rates; do
				pg_reset
				pg_add gen0 "$ROUTER_MAC" "$rate"
				OFFERED=$rate
				measure "$scen" "$comp" "routers=$n" "$rate" "$rep"
			done
		done
	done
done
bench_cleanup
