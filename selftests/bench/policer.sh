#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B5: policer cost on one napi_macvlan router.  Comparators, each on its own
# topology: none, igtb on the router's ingress device, tc clsact ingress
# matchall + police on the same device, the same on the lower (the NIC).
#   (a) overhead: policer far above the offered rate, pktgen at full speed
#   (b) drop cost: every packet non-conforming (1 packet/s), full speed
#   (c) accuracy: policer at three packet rates, offered about 2x
# Packet-rate policing everywhere, so accuracy is in packets.
#   policer.sh [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

quick=${1:-}
if [ "$quick" = --quick ]; then
	reps=${REPS:-1}
	acc_rates=${ACC_RATES:-"5000"}
else
	reps=${REPS:-5}
	acc_rates=${ACC_RATES:-"2000 5000 15000"}
fi
base=40
comps="none igtb tc_dev tc_lower"

# police C COMP PPS BURST: (re)configure topology C's policer
police()
{
	local c=$1 comp=$2 pps=$3 burst=$4 r=${T_R1[$1]}
	case $comp in
	igtb)
		"$VRCTL" rate set dev i1 netns "$r" ingress pps "$pps" \
			pburst "$burst" >/dev/null ;;
	# matchall has one filter per priority and refuses to change it
	# (EEXIST from "tc filter replace"): delete, then add
	tc_dev)
		ip netns exec "$r" tc filter del dev i1 ingress pref 1 \
			2>/dev/null
		ip netns exec "$r" tc filter add dev i1 ingress pref 1 \
			handle 1 matchall action police pkts_rate "$pps" \
			pkts_burst "$burst" conform-exceed drop/ok ;;
	tc_lower)
		tc filter del dev "nic$c" ingress pref 1 2>/dev/null
		tc filter add dev "nic$c" ingress pref 1 handle 1 matchall \
			action police pkts_rate "$pps" pkts_burst "$burst" \
			conform-exceed drop/ok ;;
	esac
}

topos=()
c=$base
for comp in $comps; do
	c=$((c + 1))
	chain_setup nmv 1 "$c" || { echo "# setup $comp failed"; continue; }
	case $comp in
	tc_dev) ip netns exec "${T_R1[$c]}" tc qdisc add dev i1 clsact; T_TC[$c]=1 ;;
	tc_lower) tc qdisc add dev "nic$c" clsact; T_TC[$c]=1 ;;
	esac
	topos+=("$c:$comp")
done
for t in "${topos[@]}"; do
	warm "${t%%:*}"
done

for rep in $(seq 1 "$reps"); do
	for phase in overhead drop; do
		for t in "${topos[@]}"; do
			IFS=: read -r c comp <<< "$t"
			if [ $phase = overhead ]; then
				police "$c" "$comp" 10000000 100000
			else
				[ "$comp" = none ] && continue
				police "$c" "$comp" 1 1
			fi
			flood "$c" 0
			EXTRA=$phase measure B5 "$comp" "$phase" 0 "$rep"
		done
	done
	for rate in $acc_rates; do
		for t in "${topos[@]}"; do
			IFS=: read -r c comp <<< "$t"
			[ "$comp" = none ] && continue
			# the default burst rule of README: 10 ms of the rate,
			# at least 10 packets (a 10-packet burst measured the
			# host's scheduling, not the policer, under load)
			burst=$((rate / 100))
			[ "$burst" -ge 10 ] || burst=10
			police "$c" "$comp" "$rate" "$burst"
			flood "$c" $((rate * 2))
			EXTRA=accuracy measure B5 "$comp" "accuracy" "$rate" "$rep"
		done
	done
done
bench_cleanup
