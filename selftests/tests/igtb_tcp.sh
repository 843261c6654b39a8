#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TCP through a router namespace whose ingress napi_macvlan is policed at
# 20 Mbit/s, with the burst README gives for TCP (2 x rate x RTT + 64 KiB):
# iperf3 reaches at least 85% of the rate.  The sink's side adds 5 ms of
# netem delay: a VM's sub-millisecond RTT is not a path TCP is policed on
# (README, "Choosing the burst", says why and what to use there).

. "$(dirname "$0")/../lib.sh"
. "$TOP/selftests/tools/igtb_lib.sh"

IGTB_TCP_RATE=20000000

# igtb_iperf NS SECONDS: TCP payload bit/s received from NS to 10.2.0.1
igtb_iperf()
{
	ip netns exec "$1" iperf3 -c 10.2.0.1 -t "$2" -J |
		python3 -c 'import json, sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]))'
}

test_tcp_reaches_85_percent()
{
	local out bps want rtt_us burst

	require_cmd iperf3 || return
	require_module sch_netem || return
	ns_create SRC DST RTR LOW
	# SRC vs -- va (LOW) <napi_macvlan nma in RTR>, the same for DST
	ip -n "$SRC" link add vs type veth peer name va netns "$LOW"
	ip -n "$DST" link add vd type veth peer name vb netns "$LOW"
	ip -n "$LOW" link set va up
	ip -n "$LOW" link set vb up
	ip -n "$LOW" link add link va name nma type napi_macvlan
	ip -n "$LOW" link add link vb name nmb type napi_macvlan
	ip -n "$LOW" link set nma netns "$RTR"
	ip -n "$LOW" link set nmb netns "$RTR"
	ip -n "$SRC" addr add 10.1.0.1/24 dev vs
	ip -n "$SRC" link set vs up
	ip -n "$SRC" route add default via 10.1.0.254
	ip -n "$DST" addr add 10.2.0.1/24 dev vd
	ip -n "$DST" link set vd up
	ip -n "$DST" route add default via 10.2.0.254
	ip -n "$RTR" addr add 10.1.0.254/24 dev nma
	ip -n "$RTR" addr add 10.2.0.254/24 dev nmb
	ip -n "$RTR" link set nma up
	ip -n "$RTR" link set nmb up
	ip netns exec "$RTR" sysctl -qw net.ipv4.ip_forward=1
	busywait 10000 ip netns exec "$SRC" ping -c1 -W1 10.2.0.1 >/dev/null ||
		fail "no route through the router"

	ip netns exec "$DST" iperf3 -s -D
	busywait 10000 ip netns exec "$DST" sh -c 'ss -ltn | grep -q :5201' ||
		fail "iperf3 server did not start"
	# unpoliced, the VM must carry well more than the rate
	bps=$(igtb_iperf "$SRC" 4)
	echo "unpoliced: $bps bit/s"
	if [ "$bps" -lt $((IGTB_TCP_RATE * 2)) ]; then
		skip "TCP without policing reaches only $bps bit/s in this VM"
		return $KSFT_SKIP
	fi

	ip netns exec "$DST" tc qdisc add dev vd root netem delay 5ms limit 10000
	rtt_us=$(ip netns exec "$SRC" ping -c 5 -i 0.2 10.2.0.1 |
		 sed -n 's|^rtt.* = [0-9.]*/\([0-9.]*\)/.*|\1|p' |
		 awk '{ printf "%d", $1 * 1000 }')
	[ -n "$rtt_us" ] || fail "no RTT measured"
	# README's rule for TCP: 2 x rate x RTT + 64 KiB
	burst=$((2 * IGTB_TCP_RATE / 8 * rtt_us / 1000000 + 65536))
	echo "RTT $rtt_us us: burst $burst bytes"

	igtb_co_start
	igtb_co set dev nma netns-fd "/run/netns/$RTR" rate $IGTB_TCP_RATE burst "$burst"
	bps=$(igtb_iperf "$SRC" 8)
	want=$((IGTB_TCP_RATE * 85 / 100))
	igtb_co get dev nma netns-fd "/run/netns/$RTR"
	echo "policed: iperf3 received $bps bit/s of TCP payload; need $want"
	check_range "TCP goodput" "$want" "$IGTB_TCP_RATE" "$bps"
}

ktap_plan 1
run_test "iperf3 through a router policed at 20 Mbit/s reaches 85%" test_tcp_reaches_85_percent
ktap_finish
