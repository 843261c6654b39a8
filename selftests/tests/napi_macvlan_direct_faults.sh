#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Direct local delivery under faults: loops (A -> B -> A until the TTL runs
# out), a qdisc on the sender, teardown under traffic.  Each finishes with
# no kernel warning and no "Dead loop" from the core.  The helpers are
# napi_macvlan_direct.sh's.
NMV_DIRECT_LIB=1
. "$(dirname "$0")/napi_macvlan_direct.sh"

# loop_topo [tbf]: A (a0, 10.71.0.1) and B (b0, 10.71.0.2) each route
# 10.99.0.0/24 to the other, so a packet bounces A -> B -> A until its TTL
# runs out; with tbf, a0 gets a tbf qdisc: A's frames then take B's ring
# (a sender with a qdisc never delivers directly), B's come back to A
# directly and A sends them on through its qdisc.
loop_topo()
{
	lower_create
	ns_create A B
	ns_prep "$A"
	ns_prep "$B"
	mkdev a0 "$A" 10.71.0.1/24 local direct
	mkdev b0 "$B" 10.71.0.2/24 local direct
	ip -n "$A" route add 10.99.0.0/24 via 10.71.0.2
	ip -n "$B" route add 10.99.0.0/24 via 10.71.0.1
	ip -n "$A" neigh replace 10.71.0.2 dev a0 \
		lladdr "$(nmv_mac "$B" b0)" nud permanent
	ip -n "$B" neigh replace 10.71.0.1 dev b0 \
		lladdr "$(nmv_mac "$A" a0)" nud permanent
	if [ "$1" = tbf ]; then
		ip -n "$A" link set a0 txqueuelen 1000
		tc -n "$A" qdisc add dev a0 root tbf rate 200mbit \
			burst 256k latency 100ms
	fi
}

loop_flood()
{
	pktgen_setup "$G" 10.99.0.1 "$(nmv_mac "$A" a0)" "$1" 64
	# from nowhere routable: the time-exceeded errors go nowhere
	echo "src_min 10.72.0.9" > "/proc/net/pktgen/$G"
	echo "src_max 10.72.0.9" > "/proc/net/pktgen/$G"
	timeout 300 bash -c 'echo start > /proc/net/pktgen/pgctrl'
}

# loop_check KIND: the loop finished, went direct, hit the bound, and the
# kernel logged no warning nor "Dead loop"
loop_check()
{
	local a b hops full rc=0 n=300

	fault_dmesg_begin
	loop_topo "$1"
	check_ok "pktgen finished the loop flood" loop_flood "$n" || rc=1
	# what is still in a ring or a qdisc drains
	busywait 10000 loop_quiet || true
	read -r -a a <<< "$(hop_stats "$A" a0)"
	read -r -a b <<< "$(hop_stats "$B" b0)"
	echo "a0: from the lower ${a[4]} direct ${a[0]} ring ${a[1]} ring_full ${a[2]} deep ${a[3]}"
	echo "b0: direct ${b[0]} ring ${b[1]} ring_full ${b[2]} deep ${b[3]}"
	# pktgen sends with TTL 32: 31 forwards, local hops all
	hops=$((a[0] + a[1] + a[2] + b[0] + b[1] + b[2]))
	full=$((a[2] + b[2]))
	check_range "packets entered the loop" 1 "$n" "${a[4]}" || rc=1
	if [ "$full" -eq 0 ]; then
		check_eq "each packet bounced until its TTL ran out" \
			$((a[4] * 31)) "$hops" || rc=1
	else
		check_range "packets bounced until their TTL ran out" \
			"${a[4]}" $((a[4] * 31)) "$hops" || rc=1
	fi
	check_range "a0 got the bounce back directly" 1 $((n * 31)) \
		"${a[0]}" || rc=1
	if [ "$1" = tbf ]; then
		check_eq "b0 got nothing directly from a0 with its qdisc" 0 \
			"${b[0]}" || rc=1
		check_range "b0 got the bounce through its ring" 1 \
			$((n * 31)) "${b[1]}" || rc=1
	else
		check_range "b0 got the bounce directly" 1 $((n * 31)) \
			"${b[0]}" || rc=1
		check_range "the depth bound sent some through the ring" 1 \
			$((n * 31)) $((a[3] + b[3])) || rc=1
	fi
	fault_dmesg_check "$1 loop" || rc=1
	if dmesg | grep -q 'Dead loop'; then
		fail "the core dropped a packet as a dead loop" || rc=1
	fi
	return $rc
}

loop_quiet()
{
	local x y

	x=$(hop_stats "$A" a0)
	sleep 0.5
	y=$(hop_stats "$A" a0)
	[ "$x" = "$y" ]
}

test_loop_ttl()
{
	in_vm_or_skip || return
	nmv_have_plugin || { skip "iproute2 plugin not built"; return $KSFT_SKIP; }
	require_module pktgen || return
	loop_check plain
}

test_loop_tbf()
{
	in_vm_or_skip || return
	nmv_have_plugin || { skip "iproute2 plugin not built"; return $KSFT_SKIP; }
	require_module pktgen || return
	require_module sch_tbf || return
	loop_check tbf
	check_range "the qdisc on a0 sent packets" 1 100000000 \
		"$(tc -n "$A" -s qdisc show dev a0 |
		   awk '/Sent/ { print $4; exit }')"
}

# Delete a receiver, move one to another namespace, unload the module,
# all under an endless flood crossing the direct path.
test_teardown()
{
	local rc=0

	in_vm_or_skip || return
	nmv_have_plugin || { skip "iproute2 plugin not built"; return $KSFT_SKIP; }
	require_module pktgen || return
	fault_dmesg_begin
	chain 3 direct
	ns_create SPARE
	pktgen_setup "$G" 10.70.3.2 "$(nmv_mac "${RNS[1]}" in1)" 0 64
	echo "src_min 10.69.0.9" > "/proc/net/pktgen/$G"
	echo "src_max 10.69.0.9" > "/proc/net/pktgen/$G"
	pktgen_run &
	FLOOD=$!
	check_ok "flood crosses the direct hops" wait_counter_ge 30000 200 \
		ethtool_stat "$SNK" snk rx_local_direct || rc=1
	check_ok "move a direct receiver to another namespace under traffic" \
		ip -n "${RNS[3]}" link set in3 netns "$SPARE" || rc=1
	check_ok "delete a direct receiver under traffic" \
		ip -n "${RNS[2]}" link del in2 || rc=1
	check_ok "bring the moved receiver up again" \
		ip -n "$SPARE" link set in3 up || rc=1
	check_ok "unload napi_macvlan under traffic" rmmod napi_macvlan ||
		rc=1
	pktgen_stop
	wait "$FLOOD" 2>/dev/null || true
	RELOADED=1
	check_ok "reload napi_macvlan" insmod "$NMV_KO" || rc=1
	RELOADED=
	check_ok "lower deletable (no reference left)" timeout 20 \
		ip link del "$G" || rc=1
	fault_dmesg_check "teardown" || rc=1
	return $rc
}

ktap_plan 3
run_test "loop A -> B -> A until the TTL runs out: no warning" test_loop_ttl
run_test "loop with tbf on the sender: ring one way, direct back, no warning" \
	test_loop_tbf
run_test "delete, move a receiver and unload under a direct flood" \
	test_teardown
ktap_finish
