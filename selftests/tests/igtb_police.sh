#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# igtb data path: exact bursts, profile replacement and deletion under
# traffic, concurrent updates while traffic flows.

. "$(dirname "$0")/../lib.sh"
. "$TOP/selftests/tools/igtb_lib.sh"

# After idle, exactly BURST passes and the next packet is dropped.  The
# rates are the minimum ones, so the time the 21 packets take earns no
# token worth counting (one 1000-byte frame takes 1 s at 8 kbit/s).
test_burst_exact()
{
	local cfg out cp ep

	require_module pktgen || return
	igtb_sink_topo
	igtb_co_start
	for cfg in "rate 8000 burst 20000" "pps 1 pburst 20" \
		   "rate 8000 burst 20000 pps 1 pburst 30" \
		   "rate 8000 burst 30000 pps 1 pburst 20"; do
		igtb_co set dev nm0 netns-fd "/run/netns/$SINK" $cfg
		igtb_pktgen 21 1000 >/dev/null
		out=$(igtb_co get dev nm0 netns-fd "/run/netns/$SINK")
		echo "$cfg: $out"
		cp=$(igtb_field "$out" conform_packets)
		ep=$(igtb_field "$out" exceed_packets)
		check_eq "$cfg: conforming" 20 "$cp"
		check_eq "$cfg: exceeding" 1 "$ep"
		check_eq "$cfg: conforming bytes (L2 length)" 20000 "$(igtb_field "$out" conform_bytes)"
		igtb_co del dev nm0 netns-fd "/run/netns/$SINK"
		# counters live with the device: start the next from a new one
		ip -n "$SINK" link del nm0
		ip -n "$LOW" link add link vlow name nm0 type napi_macvlan
		ip -n "$LOW" link set nm0 netns "$SINK"
		ip -n "$SINK" link set nm0 up
		IGTB_MAC=$(nsrun "$SINK" cat /sys/class/net/nm0/address)
	done
}

# Offered 2000 pps of 1000 bytes (16 Mbit/s), below every profile: while
# the profile is replaced 20 times no packet may exceed, and the counters
# go on from where they were.  The bursts absorb 1 s of offered load: pktgen
# catches up in bursts when the (TCG, shared) VM stalls.
test_replace_under_traffic()
{
	local out cp ep sent i

	require_module pktgen || return
	igtb_sink_topo
	igtb_nl set dev nm0 netns-fd "/run/netns/$SINK" rate 40mbit burst 2000000
	igtb_pktgen_bg 8000 1000 2000
	for i in $(seq 10); do
		echo "set dev nm0 netns-fd /run/netns/$SINK rate 50mbit burst 2000000 pps 4000 pburst 2000"
		echo "sleep 0.1"
		echo "set dev nm0 netns-fd /run/netns/$SINK rate 40mbit burst 2000000"
		echo "sleep 0.1"
	done | igtb_nl batch > /tmp/igtb-replace.$$ &
	local upd=$!
	# keep replacing while packets flow
	while kill -0 "$upd" 2>/dev/null; do sleep 0.1; done
	igtb_pktgen_wait
	out=$(igtb_nl get dev nm0 netns-fd "/run/netns/$SINK")
	echo "$out"
	sent=$(igtb_pktgen_sent)
	check_eq "updates" 20 "$(grep -c '^status ok' /tmp/igtb-replace.$$)"
	rm -f /tmp/igtb-replace.$$
	cp=$(igtb_field "$out" conform_packets)
	ep=$(igtb_field "$out" exceed_packets)
	check_eq "exceeding packets" 0 "$ep"
	check_eq "conforming packets (counters not reset)" "$sent" "$cp"
}

# Deleting a profile takes effect at once: nothing is policed after DEL.
test_delete_under_traffic()
{
	local p1 p2 sent rx

	require_module pktgen || return
	igtb_sink_topo
	igtb_co_start
	igtb_co set dev nm0 netns-fd "/run/netns/$SINK" rate 1mbit
	igtb_pktgen_bg 12000 1000 3000
	wait_counter_ge 20000 100 ethtool_stat "$SINK" nm0 rx_policed ||
		fail "nothing policed before the delete"
	igtb_co del dev nm0 netns-fd "/run/netns/$SINK"
	p1=$(ethtool_stat "$SINK" nm0 rx_policed)
	igtb_pktgen_wait
	p2=$(ethtool_stat "$SINK" nm0 rx_policed)
	sent=$(igtb_pktgen_sent)
	rx=$(link_stat "$SINK" nm0 rx_packets)
	echo "policed at delete $p1, at end $p2; sent $sent, received $rx"
	check_eq "packets policed after the delete" "$p1" "$p2"
	check_eq "every packet delivered or policed" "$sent" $((rx + p2))
}

# Four processes set and delete profiles on two devices while traffic
# flows: only ENOENT (someone else deleted first) may happen.
test_concurrent_updates()
{
	local i out before pids=()

	require_module pktgen || return
	igtb_sink_topo
	ip -n "$LOW" link add link vlow name nm1 type napi_macvlan
	ip -n "$LOW" link set nm1 netns "$SINK"
	ip -n "$SINK" link set nm1 up
	before=$(igtb_objects)
	# 80 Mbit/s, above every profile, until the updates are done (count 0:
	# a loaded host may take any time for the 600 cycles)
	igtb_pktgen_bg 0 500 20000
	for i in 0 1 2 3; do
		local dev=nm$((i % 2))
		igtb_nl cycle 150 dev "$dev" netns-fd "/run/netns/$SINK" \
			rate $(((i + 1) * 10))mbit pps $(((i + 1) * 1000)) \
			> "/tmp/igtb-cc.$$.$i" 2>&1 &
		pids+=($!)
	done
	for i in 0 1 2 3; do
		wait "${pids[$i]}" || { cat "/tmp/igtb-cc.$$.$i"; fail "updater $i failed"; }
		cat "/tmp/igtb-cc.$$.$i"
		grep -q "^cycles 150 del_enoent" "/tmp/igtb-cc.$$.$i" || fail "updater $i"
		rm -f "/tmp/igtb-cc.$$.$i"
	done
	kill -0 "$IGTB_PKTGEN_PID" 2>/dev/null ||
		fail "the traffic generator died during the updates"
	pktgen_stop
	igtb_pktgen_wait || true
	echo "nm0 received $(link_stat "$SINK" nm0 rx_packets), policed $(ethtool_stat "$SINK" nm0 rx_policed)"
	# whichever process deleted last, no profile is left; all are freed
	out=$(igtb_nl batch <<-EOF
	get dev nm0 netns-fd /run/netns/$SINK
	get dev nm1 netns-fd /run/netns/$SINK
	EOF
	)
	echo "$out"
	check_eq "profiles left" 2 "$(printf '%s\n' "$out" | grep -c 'ENOENT: device has no igtb profile')"
	busywait 10000 test "$(igtb_objects)" -le "$before" ||
		fail "igtb objects: $before before, $(igtb_objects) after"
	[ "$(link_stat "$SINK" nm0 rx_packets)" -gt 0 ] ||
		fail "no traffic went through nm0 during the updates"
	[ "$(ethtool_stat "$SINK" nm0 rx_policed)" -gt 0 ] ||
		fail "no packet policed: the profiles never met the traffic"
}

# igtb_seen N: nm0's profile has counted N packets, conforming or not
igtb_seen()
{
	local out

	out=$(igtb_co get dev nm0 netns-fd "/run/netns/$SINK")
	[ $(($(igtb_field "$out" conform_packets) + $(igtb_field "$out" exceed_packets))) -ge "$1" ]
}

# One UDP GSO super-packet of 21 segments (1442 bytes on the wire each)
# reaches nm0 whole over the veth.  With a full bucket of 15140 bytes, the
# first 10 segments fit and the rest does not: igtb splits the packet, the
# 10 go up and 11 are dropped, counted per segment.  (Passing it whole
# because its first segment fits would overdraw the bucket by 16 kB.)
test_gso_split()
{
	local out rx0 rx1

	igtb_sink_topo
	# nothing else may take tokens: no IPv6 chatter, no ARP
	sysctl -qw "net.ipv6.conf.$IGTB_SRC.disable_ipv6=1"
	ip addr add 10.9.0.1/24 dev "$IGTB_SRC"
	ip neigh replace 10.9.0.2 lladdr "$IGTB_MAC" dev "$IGTB_SRC"
	# the sink's ICMP port-unreachable must not ARP (the reply is policed)
	ip -n "$SINK" neigh replace 10.9.0.1 dev nm0 \
		lladdr "$(cat "/sys/class/net/$IGTB_SRC/address")"
	ethtool -K "$IGTB_SRC" tx-udp-segmentation on >/dev/null 2>&1 || true
	igtb_co_start
	igtb_co set dev nm0 netns-fd "/run/netns/$SINK" rate 8000 burst 15140
	rx0=$(link_stat "$SINK" nm0 rx_packets)
	python3 - <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_UDP, 103, 1400)	# UDP_SEGMENT
s.sendto(b"g" * 1400 * 21, ("10.9.0.2", 9))
PY
	# the packet is counted as a whole or per segment: wait for all 21
	busywait 5000 igtb_seen 21 || fail "the 21 segments were not all counted"
	out=$(igtb_co get dev nm0 netns-fd "/run/netns/$SINK")
	echo "$out"
	rx1=$(link_stat "$SINK" nm0 rx_packets)
	check_eq "conforming segments" 10 "$(igtb_field "$out" conform_packets)"
	check_eq "conforming bytes" 14420 "$(igtb_field "$out" conform_bytes)"
	check_eq "exceeding segments" 11 "$(igtb_field "$out" exceed_packets)"
	check_eq "segments delivered on nm0" 10 $((rx1 - rx0))
	check_eq "rx_policed" 11 "$(ethtool_stat "$SINK" nm0 rx_policed)"
}

ktap_plan 5
run_test "burst after idle: exactly the burst passes, the next is dropped" test_burst_exact
run_test "profile replaced under traffic: nothing dropped, counters kept" test_replace_under_traffic
run_test "profile deleted under traffic: unlimited at once" test_delete_under_traffic
run_test "concurrent set/del from 4 processes while traffic flows" test_concurrent_updates
run_test "a GSO packet larger than the burst left: its segments that fit pass" test_gso_split
ktap_finish
