#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B5: policer cost on one napi_macvlan router.  Comparators: none, igtb on
# the router's ingress device, tc clsact ingress matchall + police on the
# same device, the same on the lower (the NIC).  All on one topology, the
# policer under test put in place before each measurement (and every other
# removed, clsact included): comparators built as separate topologies
# differed by +-20% in CPU per packet with no policer at all, more than
# the cost being measured.
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
C=41
comps="none igtb tc_dev tc_lower"

# police COMP PPS BURST: make COMP topology C's only policer (none: no
# policer and no clsact qdisc)
police()
{
	local comp=$1 pps=$2 burst=$3 r=${T_R1[$C]}

	"$VRCTL" rate del dev i1 netns "$r" ingress >/dev/null 2>&1
	ip netns exec "$r" tc qdisc del dev i1 clsact 2>/dev/null
	tc qdisc del dev "nic$C" clsact 2>/dev/null
	T_TC[$C]=
	case $comp in
	igtb)
		"$VRCTL" rate set dev i1 netns "$r" ingress pps "$pps" \
			pburst "$burst" >/dev/null ;;
	tc_dev)
		ip netns exec "$r" tc qdisc add dev i1 clsact
		ip netns exec "$r" tc filter add dev i1 ingress pref 1 \
			handle 1 matchall action police pkts_rate "$pps" \
			pkts_burst "$burst" conform-exceed drop/ok
		T_TC[$C]=1 ;;
	tc_lower)
		tc qdisc add dev "nic$C" clsact
		tc filter add dev "nic$C" ingress pref 1 handle 1 matchall \
			action police pkts_rate "$pps" pkts_burst "$burst" \
			conform-exceed drop/ok
		T_TC[$C]=1 ;;
	esac
}

chain_setup nmv 1 "$C" || exit 1
warm "$C"

for rep in $(seq 1 "$reps"); do
	for phase in overhead drop; do
		for comp in $comps; do
			if [ $phase = overhead ]; then
				police "$comp" 10000000 100000
			else
				[ "$comp" = none ] && continue
				police "$comp" 1 1
			fi
			flood "$C" 0
			EXTRA=$phase measure B5 "$comp" "$phase" 0 "$rep"
		done
	done
	for rate in $acc_rates; do
		for comp in $comps; do
			[ "$comp" = none ] && continue
			# the default burst rule of README: 10 ms of the rate,
			# at least 10 packets (a 10-packet burst measured the
			# host's scheduling, not the policer, under load)
			burst=$((rate / 100))
			[ "$burst" -ge 10 ] || burst=10
			police "$comp" "$rate" "$burst"
			flood "$C" $((rate * 2))
			EXTRA=accuracy measure B5 "$comp" "accuracy" "$rate" "$rep"
		done
	done
done
bench_cleanup
