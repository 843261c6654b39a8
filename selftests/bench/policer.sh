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
#   (d) the policer's own time per packet, both verdicts: the
#       function_graph tracer on the function that holds the
#       whole policer, __igtb_police() for igtb and tcf_classify() (matchall
#       + police action) for tc; 0.3 s of the full-speed flood, median
# The drop phase also runs "floor": no policer and the router's ingress
# device down, so napi_macvlan drops every frame where igtb would, minus
# the policer: the end-to-end drop cost of a policer is taken above it.
# Packet-rate policing everywhere, so accuracy is in packets.
#   policer.sh [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

quick=${1:-}
comps="none igtb tc_dev tc_lower"
if [ "$quick" = --quick ]; then
	reps=${REPS:-1}
	acc_rates=${ACC_RATES:-"5000"}
	if [ "$BENCH_COST" = 1 ]; then
		# bench-quick (cost mode, ~5 min in all): igtb against tc
		# police on the same device, the baselines, no accuracy
		# phase; tc_lower and accuracy in the full run
		comps=${B5_COMPS:-"none igtb tc_dev"}
		acc_rates=${ACC_RATES:-}
	fi
elif [ "$BENCH_COST" = 1 ]; then
	reps=${REPS:-2}
	acc_rates=${ACC_RATES:-"5000"}
else
	reps=${REPS:-5}
	acc_rates=${ACC_RATES:-"2000 5000 15000"}
fi
C=41

# police COMP PPS BURST: make COMP topology C's only policer (none: no
# policer and no clsact qdisc).  Only what the previous call put in place
# is removed (every command is a process, seconds of TCG each).
P_CUR=unknown
police()
{
	local comp=$1 pps=$2 burst=$3 r=${T_R1[$C]}

	case $P_CUR in igtb|unknown)
		"$VRCTL" rate del dev i1 netns "$r" ingress >/dev/null 2>&1 ;; esac
	case $P_CUR in tc_dev|unknown)
		ip netns exec "$r" tc qdisc del dev i1 clsact 2>/dev/null ;; esac
	case $P_CUR in tc_lower|unknown)
		tc qdisc del dev "nic$C" clsact 2>/dev/null ;; esac
	T_TC[$C]=
	if [ "$comp" = floor ]; then
		ip -n "$r" link set i1 down
	elif [ "$P_CUR" = floor ] || [ "$P_CUR" = unknown ]; then
		ip -n "$r" link set i1 up
	fi
	P_CUR=$comp
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

# fn_time COMP PHASE REP [FN]: (d) for the policer in place, one CSV row;
# the median duration goes in the cpu1_ns_per_pkt column.  Only CPU1 (the
# router's) is traced.  COMP "clock" times ktime_get(), which both
# policers call once per packet: what the tracer adds to a call and the
# clock read itself, to be taken off the policers' times.
fn_time()
{
	local comp=$1 phase=$2 rep=$3 fn=tcf_classify
	[ "$comp" = igtb ] && fn=__igtb_police
	[ "$comp" = clock ] && fn=ktime_get
	echo 2 > $TRACEFS/tracing_cpumask
	echo 0 > $TRACEFS/tracing_on
	echo nop > $TRACEFS/current_tracer
	# only FN patched (an empty filter would hook every kernel function)
	echo "$fn" > $TRACEFS/set_ftrace_filter || return 0
	echo "$fn" > $TRACEFS/set_graph_function
	echo 1 > $TRACEFS/max_graph_depth
	echo function_graph > $TRACEFS/current_tracer
	echo > $TRACEFS/trace
	(echo start > $PG/pgctrl) &
	sleep 0.5
	echo 1 > $TRACEFS/tracing_on
	sleep 0.3
	echo 0 > $TRACEFS/tracing_on
	echo stop > $PG/pgctrl
	wait
	awk -v fn="$fn" 'index($0, fn) { for (i = 2; i <= NF; i++) if ($i == "us" &&
		$(i - 1) ~ /^[0-9.]+$/) { print $(i - 1) * 1000; break } }' $TRACEFS/trace |
		sort -n | awk -v comp="$comp" -v ph="fn_$phase" -v rep="$rep" -v fn="$fn" '
		{ v[n++] = $1 }
		END {
			if (n == 0) { print "# B5 " comp ": no " fn " in the trace"; exit }
			printf "CSV,B5,%s,%s,0,%s,NA,NA,NA,NA,NA,%.0f,NA,NA,0,0,0,0,0,0,fn=%s;calls=%d;p10_ns=%.0f;p90_ns=%.0f\n",
				comp, ph, rep, v[int(n / 2)], fn, n, v[int(n / 10)], v[int(n * 9 / 10)]
		}'
	echo nop > $TRACEFS/current_tracer
	echo > $TRACEFS/set_graph_function
	echo > $TRACEFS/set_ftrace_filter
}

tracefs_mount
chain_setup nmv 1 "$C" || exit 1
warm "$C"
# progress (run.sh stamps each line with the host's time)
echo "# setup done"

for rep in $(seq 1 "$reps"); do
	for phase in overhead drop; do
		for comp in $comps floor; do
			if [ $phase = overhead ]; then
				[ "$comp" = floor ] && continue
				police "$comp" 10000000 100000
			else
				[ "$comp" = none ] && continue
				police "$comp" 1 1
			fi
			flood "$C" 0
			EXTRA=$phase measure B5 "$comp" "$phase" 0 "$rep"
			# (d) takes a minute: full run only; cost mode measures
			# the policers end to end in instructions instead
			{ [ "$quick" = --quick ] || [ "$BENCH_COST" = 1 ]; } && continue
			case $comp in
			igtb) fn_time igtb "$phase" "$rep"
			      fn_time clock "$phase" "$rep" ;;
			tc_*) fn_time "$comp" "$phase" "$rep" ;;
			esac
		done
	done
	police none
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
