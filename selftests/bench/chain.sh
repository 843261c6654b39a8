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
if [ "${BENCH_COST:-0}" = 1 ]; then
	# cost mode (one vCPU, icount): pktgen at full speed, each frame
	# received in the softirq right after its transmit, so the CPU time
	# per packet is the whole path's instruction count.  "gen": the
	# generator and the NIC alone (frames to a MAC nobody owns, dropped
	# on receive), the part of every comparator's cost that is not the
	# router's.
	rates=${RATES:-"0"}
	reps=${REPS:-1}
	[ "$quick" = --quick ] || reps=${REPS:-2}
	if [ "$scen" = B1 ]; then
		comps="gen nonvirt bridge macvlan nmv"
	else
		# nmvdirect: the hops between routers delivered in the
		# sender's softirq (`local direct`), not through the ring
		comps=${B2_COMPS:-"bridge macvlan nmv nmvdirect"}
		# bench-quick (~5 min in all): 2 routers, nmv against macvlan
		[ "$quick" = --quick ] && lens="2" comps=${B2_COMPS:-"macvlan nmv"}
	fi
elif [ "$quick" = --quick ]; then
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
		# progress (run.sh stamps each line with the host's time)
		echo "# setup $comp routers=$n"
		if [ "$comp" = gen ] && chain_setup nonvirt "$n" "$c"; then
			T_MAC[$c]=$BOGUS_MAC
			T_KIND[$c]=gen
			topos+=("$c:$comp:$n")
		elif [ "$comp" != gen ] && chain_setup "$comp" "$n" "$c"; then
			topos+=("$c:$comp:$n")
		else
			echo "# setup of $comp (routers=$n) failed"
		fi
	done
done
for t in "${topos[@]}"; do
	warm "${t%%:*}"
done
echo "# setup done"
if [ "${BENCH_COST:-0}" = 1 ]; then
	# the first run after the setup lost frames at the NIC that no later
	# run lost: one run thrown away
	flood "${topos[0]%%:*}" 0
	measure warmup x x 0 0 > /dev/null
fi
for rep in $(seq 1 "$reps"); do
	for rate in $rates; do
		for t in "${topos[@]}"; do
			IFS=: read -r c comp n <<< "$t"
			flood "$c" "$rate"
			measure "$scen" "$comp" "routers=$n" "$rate" "$rep"
		done
	done
done

# Where the packets went: one more overload run per comparator with
# kprobes counting enqueue_to_backlog() (the per-CPU backlog, which
# napi_macvlan must never use) and napi_macvlan_ring_enqueue() (its own
# per-device ring); counts per packet that reached the sink, scenario
# "${scen}p" (report.py: "queues used per packet").  Full run only: in
# bench-quick, make check's napi_macvlan_nobacklog test stands for it.
if [ "$quick" = --quick ] || [ "${BENCH_COST:-0}" = 1 ]; then
	echo "# queues per packet (kprobes): full run only, not in cost mode"
elif tracefs_mount && echo 0 > $TRACEFS/tracing_on &&
   echo 'p:nmvb/backlog enqueue_to_backlog' >> $TRACEFS/kprobe_events &&
   echo 'p:nmvb/ring napi_macvlan_ring_enqueue' >> $TRACEFS/kprobe_events &&
   echo 1 > $TRACEFS/events/nmvb/enable; then
	for t in "${topos[@]}"; do
		IFS=: read -r c comp n <<< "$t"
		flood "$c" 0
		declare -A h0 h1
		while read -r ev hit _; do h0[$ev]=$hit; done < $TRACEFS/kprobe_profile
		s0=$(link_stat "$S" sink rx_packets)
		measure "$scen" "$comp" "routers=$n" 0 1 > /dev/null
		s1=$(link_stat "$S" sink rx_packets)
		while read -r ev hit _; do h1[$ev]=$hit; done < $TRACEFS/kprobe_profile
		awk -v s="$scen" -v comp="$comp" -v n="$n" -v pk=$((s1 - s0)) \
		    -v b=$((h1[backlog] - h0[backlog])) -v r=$((h1[ring] - h0[ring])) 'BEGIN {
			printf "CSV,%sp,%s,routers=%s,0,1,NA,NA,NA,NA,NA,NA,NA,NA,0,0,0,0,0,0,sink_pkts=%d;backlog_enq=%d;ring_enq=%d;backlog_per_pkt=%.3f;ring_per_pkt=%.3f\n",
				s, comp, n, pk, b, r, (pk > 0 ? b / pk : 0), (pk > 0 ? r / pk : 0)
		}'
	done
	echo 0 > $TRACEFS/events/nmvb/enable
	echo > $TRACEFS/kprobe_events
else
	echo "# kprobes on enqueue_to_backlog/napi_macvlan_ring_enqueue unavailable"
fi
bench_cleanup
