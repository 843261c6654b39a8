#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B3: isolation.  Two routers A and B, each with its own NIC, whose NAPI
# threads (and so all forwarding work) share CPU1.  B is offered a fixed
# rate, A 0 .. overload; B's throughput is reported against B alone.
# A's generator is kpktgend_0 (CPU0) at full speed; B's is kpktgend_1.  B
# needs its own generator thread: with both devices on kpktgend_0, A's
# flood took the generator's time and B was sent half its rate (the first
# run of this scenario: B's router forwarded everything it was sent, yet
# "B kept 0.47 of solo").  kpktgend_1 runs on CPU1, the routers' CPU: at
# B's rate it sleeps between packets (hrtimer) and costs a few percent of
# CPU1, in the solo run as well as beside A.  The rates pktgen really
# sent are in the rows (A in extra).
#   isolation.sh [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

quick=${1:-}
B_RATE=${B_RATE:-4000}
if [ "$quick" = --quick ]; then
	comps="bridge nmv"
	a_rates=${RATES:-"0 200000"}
	reps=${REPS:-1}
else
	comps="nonvirt bridge macvlan nmv"
	a_rates=${RATES:-"0 10000 200000"}
	reps=${REPS:-5}
fi
base=60

# measure_ab SCEN COMP A_RATE REP CA CB
measure_ab()
{
	local comp=$2 arate=$3 rep=$4 ca=$5 cb=$6 sa0 sb0 sa1 sb1 bl0 bl1 c0 c1
	local ra rb sa sb ua ub ea eb nd0 nd1 rg0=0 rg1=0 rg=NA x

	# ring-full drops of both routers (napi_macvlan only)
	TOPO_NS="${T_RNSL[$ca]} ${T_RNSL[$cb]}"

	pg_reset
	pg_add "${T_GEN[$cb]}" "${T_MAC[$cb]}" "$B_RATE" "10.$cb.1.2" "10.$cb.2.3" 1
	[ "$arate" = 0 ] || pg_add "${T_GEN[$ca]}" "${T_MAC[$ca]}" "$arate" \
		"10.$ca.1.2" "10.$ca.2.3"
	sa0=$(link_stat "${T_S[$ca]}" sink rx_packets)
	sb0=$(link_stat "${T_S[$cb]}" sink rx_packets)
	nd0=$(( $(link_stat "${T_GEN[$ca]}" tx_dropped) + $(link_stat "${T_GEN[$cb]}" tx_dropped) ))
	bl0=$(backlog_drops)
	[ "$comp" = nmv ] && read -r rg0 x <<< "$(nmv_drops)"
	c0=($(cpu1_ticks))
	(echo start > $PG/pgctrl) &
	sleep "$BENCH_DUR"
	echo stop > $PG/pgctrl
	wait
	c1=($(cpu1_ticks))
	sleep 0.3
	sa1=$(link_stat "${T_S[$ca]}" sink rx_packets)
	sb1=$(link_stat "${T_S[$cb]}" sink rx_packets)
	bl1=$(backlog_drops)
	[ "$comp" = nmv ] && read -r rg1 x <<< "$(nmv_drops)" && rg=$((rg1 - rg0))
	nd1=$(( $(link_stat "${T_GEN[$ca]}" tx_dropped) + $(link_stat "${T_GEN[$cb]}" tx_dropped) ))
	read -r sb ub eb <<< "$(pg_result "${T_GEN[$cb]}")"
	if [ "$arate" = 0 ]; then
		sa=0 ua=1 ea=0
	else
		read -r sa ua ea <<< "$(pg_result "${T_GEN[$ca]}")"
	fi
	awk -v comp="$comp" -v ar="$arate" -v rep="$rep" -v sa="$sa" -v ua="$ua" \
	    -v ea="$ea" -v sb="$sb" -v ub="$ub" -v eb="$eb" -v ra=$((sa1 - sa0)) \
	    -v rb=$((sb1 - sb0)) -v bl=$((bl1 - bl0)) -v nd=$((nd1 - nd0)) -v rg="$rg" \
	    -v busy=$((c1[0] - c0[0])) -v tot=$((c1[1] - c0[1])) 'BEGIN {
		if (ua <= 0) ua = 1
		if (ub <= 0) ub = 1
		# row about router B; A in extra
		printf "CSV,B3,%s,A_rate,%s,%s,%.0f,%.0f,%.0f,%.4f,%.1f,%.0f,NA,NA,%d,%s,NA,%d,NA,NA,A_sent_pps=%.0f;A_tput_pps=%.0f\n",
			comp, ar, rep, (sb + eb) * 1e6 / ub, sb * 1e6 / ub,
			rb * 1e6 / ub, (sb > 0 ? rb / sb : 0),
			(tot > 0 ? 100 * busy / tot : 0),
			(sa + sb > 0 ? busy * 1e7 / (sa + sb) : 0), nd, rg, bl,
			sa * 1e6 / ua, (ar == 0 ? 0 : ra * 1e6 / ua)
	}'
}

pairs=()
c=$base
for comp in $comps; do
	ca=$((c + 1))
	cb=$((c + 2))
	c=$cb
	chain_setup "$comp" 1 "$ca" && chain_setup "$comp" 1 "$cb" ||
		{ echo "# setup $comp failed"; continue; }
	warm "$ca"
	warm "$cb"
	pairs+=("$comp:$ca:$cb")
done
for rep in $(seq 1 "$reps"); do
	for arate in $a_rates; do
		for p in "${pairs[@]}"; do
			IFS=: read -r comp ca cb <<< "$p"
			measure_ab B3 "$comp" "$arate" "$rep" "$ca" "$cb"
		done
	done
done
bench_cleanup
