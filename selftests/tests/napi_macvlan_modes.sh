#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# napi_macvlan modes between two containers A and B on one lower, with an
# outside host H on the lower's veth peer: bridge connects A and B (through
# the receiver's ring), private isolates them even behind a hairpin switch,
# vepa sends their traffic to the lower.  Also the multicast filter, the
# spoof check and a broadcast storm against the port's bounded queue.
. "$(dirname "$0")/../lib.sh"

SENDFRAME=$TOP/selftests/tools/nmv_sendframe.py
CTLFRAMES=$TOP/selftests/tools/nmv_ctlframes.py

# topo MODE [OPTIONS...]: namespaces L (holds the lower l0), H (outside
# host, eth0 = l0's peer), A and B (containers with a0, b0 on l0).
topo()
{
	local mode=$1
	shift
	ns_create L H A B
	veth_create l0 "$L" eth0 "$H"
	ip -n "$H" addr add 10.20.0.254/24 dev eth0
	ip -n "$H" addr add fd00:20::fe/64 dev eth0 nodad
	add_dev a0 "$A" 1 "$mode" "$@"
	add_dev b0 "$B" 2 "$mode" "$@"
}

add_dev()
{
	local name=$1 ns=$2 n=$3 mode=$4
	shift 4
	if nmv_have_plugin; then
		nmv_ip -n "$L" link add link l0 name "$name" type napi_macvlan \
			mode "$mode" "$@"
	else
		# without the plugin only the default (bridge) is possible
		[ "$mode" = bridge ] || return 1
		ip -n "$L" link add link l0 name "$name" type napi_macvlan
	fi
	ip -n "$L" link set "$name" netns "$ns"
	ip -n "$ns" addr add "10.20.0.$n/24" dev "$name"
	ip -n "$ns" addr add "fd00:20::$n/64" dev "$name" nodad
	ip -n "$ns" link set "$name" up
}

need_plugin()
{
	nmv_have_plugin && return 0
	skip "userspace/link_napi_macvlan.so not built (make userspace): cannot set the mode"
	return $KSFT_SKIP
}

# H's eth0 becomes a port of a bridge that sends frames back where they
# came from (an external VEPA-capable switch)
hairpin_switch()
{
	ip -n "$H" addr flush dev eth0
	ip -n "$H" link add br0 type bridge
	ip -n "$H" link set eth0 master br0
	ip -n "$H" link set dev eth0 type bridge_slave hairpin on
	ip -n "$H" link set br0 up
	ip -n "$H" addr add 10.20.0.254/24 dev br0
	busywait 10000 bash -c \
		"ip -n $H -j link show br0 | grep -q '\"operstate\":\"UP\"'"
}

test_bridge()
{
	local ring0

	topo bridge
	ring0=$(ethtool_stat "$B" b0 rx_ring)
	check_ok "A -> B IPv4" nmv_ping "$A" 10.20.0.2
	check_ok "A -> B IPv6" nmv_ping "$A" fd00:20::2
	check_ok "B -> A IPv4" nmv_ping "$B" 10.20.0.1
	check_range "B received through its ring" $((ring0 + 2)) 1000000 \
		"$(ethtool_stat "$B" b0 rx_ring)"
	check_ok "A -> outside IPv4" nmv_ping "$A" 10.20.0.254
	check_ok "A -> outside IPv6" nmv_ping "$A" fd00:20::fe
	check_range "A received directly from the lower" 1 1000000 \
		"$(ethtool_stat "$A" a0 rx_direct)"
}

test_private()
{
	need_plugin || return
	topo private
	check_ok "A -> outside" nmv_ping "$A" 10.20.0.254
	check_ok "B -> outside" nmv_ping "$B" 10.20.0.254
	check_fail "A -> B IPv4 isolated" nmv_ping "$A" 10.20.0.2
	check_fail "A -> B IPv6 isolated" nmv_ping "$A" fd00:20::2
	hairpin_switch
	check_ok "outside -> A through the switch" nmv_ping "$H" 10.20.0.1
	check_fail "A -> B isolated behind a hairpin switch" \
		nmv_ping "$A" 10.20.0.2
	check_eq "nothing went through B's ring" 0 \
		"$(ethtool_stat "$B" b0 rx_ring)"
}

test_vepa()
{
	local rx0 rx1

	need_plugin || return
	topo vepa
	check_ok "A -> outside" nmv_ping "$A" 10.20.0.254
	rx0=$(link_stat "$H" eth0 rx_packets)
	check_fail "A -> B without a hairpin switch" nmv_ping "$A" 10.20.0.2
	rx1=$(link_stat "$H" eth0 rx_packets)
	check_range "A's frames for B went to the lower" $((rx0 + 1)) \
		1000000 "$rx1"
	hairpin_switch
	check_ok "A -> B IPv4 reflected by the switch" nmv_ping "$A" 10.20.0.2
	check_ok "A -> B IPv6 reflected by the switch" nmv_ping "$A" fd00:20::2
	check_eq "nothing went through B's ring" 0 \
		"$(ethtool_stat "$B" b0 rx_ring)"
}

test_multicast()
{
	local f0 d0 m0

	need_plugin || return
	topo private
	d0=$(ethtool_stat "$A" a0 rx_direct)
	m0=$(ethtool_stat "$B" b0 rx_direct)
	ip netns exec "$H" "$SENDFRAME" eth0 ff:ff:ff:ff:ff:ff own 10
	check_ok "A got the broadcasts" wait_counter_ge 5000 $((d0 + 10)) \
		ethtool_stat "$A" a0 rx_direct
	check_ok "B got the broadcasts" wait_counter_ge 5000 $((m0 + 10)) \
		ethtool_stat "$B" b0 rx_direct

	f0=$(ethtool_stat "$A" a0 rx_filtered)
	ip netns exec "$H" "$SENDFRAME" eth0 01:00:5e:01:02:03 own 20
	check_ok "unjoined group filtered" wait_counter_ge 5000 $((f0 + 20)) \
		ethtool_stat "$A" a0 rx_filtered

	ip -n "$B" maddr add 01:00:5e:01:02:04 dev b0
	m0=$(ethtool_stat "$B" b0 rx_direct)
	ip netns exec "$H" "$SENDFRAME" eth0 01:00:5e:01:02:04 own 20
	check_ok "joined group delivered" wait_counter_ge 5000 $((m0 + 20)) \
		ethtool_stat "$B" b0 rx_direct

	ip -n "$A" link set a0 allmulticast on
	f0=$(ethtool_stat "$A" a0 rx_filtered)
	d0=$(ethtool_stat "$A" a0 rx_direct)
	ip netns exec "$H" "$SENDFRAME" eth0 01:00:5e:01:02:03 own 20
	check_ok "allmulti delivers every group" wait_counter_ge 5000 \
		$((d0 + 20)) ethtool_stat "$A" a0 rx_direct
	check_eq "allmulti filters nothing" "$f0" \
		"$(ethtool_stat "$A" a0 rx_filtered)"
}

# frames_to_tgt: frames H's eth0 received for SPOOF_DST (tc flower, added
# by test_spoofchk): only the case's own frames, none of the containers'
# IPv6 chatter, which rx_packets counted too (11 in the window once, 6.6)
SPOOF_DST=02:00:00:00:99:99
frames_to_tgt()
{
	tc -n "$H" -s -j filter show dev eth0 ingress |
		jq '[.[].options.actions[]?.stats.packets // 0] | add // 0'
}

test_spoofchk()
{
	need_plugin || return
	topo bridge spoofchk on
	tc -n "$H" qdisc add dev eth0 clsact
	tc -n "$H" filter add dev eth0 ingress protocol all flower \
		dst_mac "$SPOOF_DST" action pass
	ip netns exec "$A" "$SENDFRAME" a0 "$SPOOF_DST" 02:00:00:00:66:66 10
	check_eq "forged frames counted" 10 "$(ethtool_stat "$A" a0 tx_spoofed)"
	ip netns exec "$A" "$SENDFRAME" a0 "$SPOOF_DST" own 10
	check_ok "own frames leave" wait_counter_ge 5000 10 frames_to_tgt
	# the own frames went the same way after the forged ones: any forged
	# frame that left has arrived by now
	check_eq "forged frames did not leave" 10 "$(frames_to_tgt)"
	check_eq "own frames not counted as forged" 10 \
		"$(ethtool_stat "$A" a0 tx_spoofed)"
	check_ok "tx_dropped in link stats" bash -c \
		"[ \$(ip netns exec $A cat /sys/class/net/a0/statistics/tx_dropped) -ge 10 ]"
}

# storm_accounted NS DEV: copies DEV got + frames the port's queues dropped
storm_accounted()
{
	ip netns exec "$1" ethtool -S "$2" | awk '$1 == "rx_direct:" ||
		$1 == "rx_bc_queue_full:" || $1 == "rx_bc_nomem:" ||
		$1 == "rx_bc_ctl_queue_full:" { n += $2 }
		END { print n + 0 }'
}

# bcast_topo G W N: the lower W, a veth whose peer G (10.21.0.254) stands
# for the outside, and N napi_macvlan devices s0..s(N-1) on W, up in
# namespace S, s0 with 10.21.0.1.  No IPv6 on G, W or in S: nothing but
# what a test sends reaches W.  G and W go at exit, pktgen stops.
bcast_topo()
{
	local g=$1 w=$2 n=$3 i

	ns_create S
	ip link add "$g" type veth peer name "$w"
	trap "pktgen_stop; ip link del '$g' 2>/dev/null || true" EXIT
	sysctl -qw "net.ipv6.conf.$g.disable_ipv6=1"
	sysctl -qw "net.ipv6.conf.$w.disable_ipv6=1"
	ip netns exec "$S" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip netns exec "$S" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	ethtool -K "$g" tso off >/dev/null
	ethtool -K "$w" gro on >/dev/null
	ip addr add 10.21.0.254/24 dev "$g"
	ip link set "$g" up
	ip link set "$w" up
	for i in $(seq 0 $((n - 1))); do
		ip link add link "$w" name "s$i" type napi_macvlan
		ip link set "s$i" netns "$S"
		ip -n "$S" link set "s$i" up
	done
	ip -n "$S" addr add 10.21.0.1/24 dev s0
}

# A broadcast storm on the lower W (8 devices) overflows the port's
# broadcast queue: each storm frame is dropped once (rx_bc_queue_full,
# port-wide, also in the lower's rx_dropped) or delivered to every device,
# never to some of them; unicast to a device still gets through meanwhile.
# The storm is injected into W's receive path in bursts larger than the
# queue (lib.sh's nmv_storm_setup); the pings to s0 come through the veth
# G -> W.

test_bcast_storm()
{
	local g=g$$ w=w$$ i sent err full full1 nomem d1 drop0 n=8 got excess

	in_vm || { skip "needs the selftest VM (pktgen)"; return $KSFT_SKIP; }
	require_module pktgen || return
	bcast_topo "$g" "$w" "$n"
	ip neigh replace 10.21.0.1 dev "$g" lladdr "$(nmv_mac "$S" s0)" \
		nud permanent
	ip -n "$S" neigh replace 10.21.0.254 dev s0 \
		lladdr "$(nmv_mac "" "$g")" nud permanent
	drop0=$(link_stat "" "$w" rx_dropped)

	# 20 bursts a second
	nmv_storm_setup "$w" 20
	pktgen_run &
	check_ok "the storm overflows the broadcast queue" \
		wait_counter_ge 30000 1 ethtool_stat "$S" s1 rx_bc_queue_full
	got=$(busybox ping -4 -c 20 -i 0.2 -W 5 10.21.0.1 2>/dev/null |
		sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
	# at least one: the storm is not flow controlled and takes the CPU
	# the pings need; B8 measures the share in cost mode
	check_range "unicast to s0 arrives during the storm" 1 20 "${got:-0}"
	check_ok "the queue keeps dropping" wait_counter_ge 10000 \
		$(($(ethtool_stat "$S" s1 rx_bc_queue_full) + 1)) \
		ethtool_stat "$S" s1 rx_bc_queue_full
	pktgen_stop
	wait || true

	# pktgen's pkts-sofar counts the frames W received; its errors are
	# the originals the host stack dropped after the rx_handler (no MPLS)
	sent=$(pktgen_field "$w" pkts-sofar)
	err=$(pktgen_field "$w" errors)
	echo "pktgen injected $sent, the host stack dropped $err"
	check_range "bursts of $NMV_BC_BURST were injected" \
		$((NMV_BC_BURST * 2)) 1000000000 "${sent:-0}"
	# the queue drains: each frame W received ends as copies or a drop
	check_ok "every frame accounted for" wait_counter_ge 10000 \
		"$sent" storm_accounted "$S" s$((n - 1))
	d1=$(ethtool_stat "$S" s1 rx_direct)
	full=$(ethtool_stat "$S" s1 rx_bc_queue_full)
	nomem=$(ethtool_stat "$S" s1 rx_bc_nomem)
	echo "each device got $d1, the queue dropped $full, no memory $nomem"
	excess=$((NMV_BC_BURST - NMV_BC_QUEUE))
	check_range "each burst overflowed the queue by $excess" \
		$((sent / NMV_BC_BURST * excess)) 1000000000 "$full"
	for i in $(seq 2 $((n - 2))); do
		check_eq "s$i got what s1 got (drops are per frame)" "$d1" \
			"$(ethtool_stat "$S" "s$i" rx_direct)"
		full1=$(ethtool_stat "$S" "s$i" rx_bc_queue_full)
		check_eq "s$i shows the port-wide drops" "$full" "$full1"
	done
	check_eq "each frame the NIC took was delivered or dropped once" \
		"$sent" $((d1 + full + nomem))
	check_eq "s$((n - 1)) got what s1 got" "$d1" \
		"$(ethtool_stat "$S" s$((n - 1)) rx_direct)"
	check_range "the lower's rx_dropped counts the queue's drops" \
		$((drop0 + full + nomem)) 1000000000 \
		"$(link_stat "" "$w" rx_dropped)"
	check_eq "no copy was filtered" 0 "$(ethtool_stat "$S" s1 rx_filtered)"
	ip link del "$g"
	check_fail "devices went with the lower" ip -n "$S" link show s1 \
		2>/dev/null
}

# Control frames (ARP, DHCP, IPv6 ND, DHCPv6) have a queue of their own
# beside the port's broadcast queue.  1: which frames go there (3 of each
# kind from the lower's veth peer G; rx_bc_ctl counts them).  2: a storm of
# DHCP-port frames overflows only that queue (rx_bc_ctl_queue_full), the
# bulk queue loses nothing.  3: during a storm that overflows the bulk
# queue, every ARP request to s0 is answered and no control frame is lost.
test_bcast_control()
{
	local g=g$$ w=w$$ i kind want ctl0 got0 n=4 sent bulk0 full0 acc0
	local ctlq0 excess bursts replies

	in_vm || { skip "needs the selftest VM (pktgen)"; return $KSFT_SKIP; }
	require_module pktgen || return
	bcast_topo "$g" "$w" "$n"
	# every multicast group: the filter is not under test
	for i in $(seq 0 $((n - 1))); do
		ip -n "$S" link set "s$i" allmulticast on
	done
	# only s0 answers for its address (by default every device of the
	# namespace would: one request, four replies)
	ip netns exec "$S" sysctl -qw net.ipv4.conf.all.arp_ignore=1

	for kind in arp dhcp dhcps ns ra dhcp6 udp mdns frag echo6 hbh6; do
		ctl0=$(ethtool_stat "$S" s1 rx_bc_ctl)
		got0=$(ethtool_stat "$S" s1 rx_direct)
		python3 "$CTLFRAMES" send "$g" "$kind" 3
		check_ok "$kind: s1 got the 3 frames" wait_counter_ge 10000 \
			$((got0 + 3)) ethtool_stat "$S" s1 rx_direct
		case $kind in
		arp|dhcp|dhcps|ns|ra|dhcp6) want=3 ;;
		*) want=0 ;;
		esac
		check_eq "$kind: frames queued as control frames" "$want" \
			$(($(ethtool_stat "$S" s1 rx_bc_ctl) - ctl0))
	done
	check_eq "no frame dropped so far" 0 \
		$(($(ethtool_stat "$S" s1 rx_bc_queue_full) + \
		   $(ethtool_stat "$S" s1 rx_bc_ctl_queue_full)))

	# 2: DHCP-port broadcasts, 10 bursts a second, each burst larger
	# than the control queue
	ctl0=$(ethtool_stat "$S" s1 rx_bc_ctl)
	acc0=$(storm_accounted "$S" s1)
	nmv_burst_setup "$w" 10 "udp_dst_min 68" "udp_dst_max 68"
	pktgen_run &
	excess=$((NMV_BC_BURST - NMV_BC_CTL_QUEUE))
	check_ok "a DHCP-port storm overflows the control queue" \
		wait_counter_ge 30000 "$excess" \
		ethtool_stat "$S" s1 rx_bc_ctl_queue_full
	pktgen_stop
	wait || true
	sent=$(pktgen_field "$w" pkts-sofar)
	echo "pktgen injected $sent DHCP-port frames"
	check_ok "every frame accounted for" wait_counter_ge 10000 \
		$((acc0 + sent)) storm_accounted "$S" s1
	check_eq "the bulk queue lost nothing" 0 \
		"$(ethtool_stat "$S" s1 rx_bc_queue_full)"
	full0=$(ethtool_stat "$S" s1 rx_bc_ctl_queue_full)
	bursts=$((sent / NMV_BC_BURST))
	check_range "each burst overflowed the control queue by $excess" \
		$((bursts * excess)) 1000000000 "$full0"
	check_eq "each frame was queued or dropped as a control frame" \
		"$sent" $(($(ethtool_stat "$S" s1 rx_bc_ctl) - ctl0 + full0))

	# 3: the MPLS storm of test_bcast_storm, 10 bursts a second; ARP
	# requests from G to s0 meanwhile
	bulk0=$(ethtool_stat "$S" s1 rx_bc_queue_full)
	ctlq0=$(ethtool_stat "$S" s1 rx_bc_ctl)
	nmv_storm_setup "$w" 10
	pktgen_run &
	check_ok "the storm overflows the bulk queue" wait_counter_ge 30000 \
		$((bulk0 + NMV_BC_BURST - NMV_BC_QUEUE)) \
		ethtool_stat "$S" s1 rx_bc_queue_full
	bulk0=$(ethtool_stat "$S" s1 rx_bc_queue_full)
	replies=$(python3 "$CTLFRAMES" arping "$g" 10.21.0.254 10.21.0.1 \
		  50 0.02)
	check_range "the bulk queue dropped meanwhile" $((bulk0 + 1)) \
		1000000000 "$(ethtool_stat "$S" s1 rx_bc_queue_full)"
	pktgen_stop
	wait || true
	check_eq "every ARP request was answered during the storm" 50 \
		"${replies:-0}"
	check_range "the ARP requests went through the control queue" 50 \
		1000000000 $(($(ethtool_stat "$S" s1 rx_bc_ctl) - ctlq0))
	check_eq "no control frame was dropped" "$full0" \
		"$(ethtool_stat "$S" s1 rx_bc_ctl_queue_full)"
	ip link del "$g"
}

ktap_plan 7
run_test "bridge mode connects containers through the ring" test_bridge
run_test "private mode isolates containers, even with hairpin" test_private
run_test "vepa mode sends local traffic to the lower" test_vepa
run_test "broadcast, multicast filter and allmulti" test_multicast
run_test "spoofchk drops frames with a forged source MAC" test_spoofchk
run_test "broadcast storm: bounded queue, drops once per frame" \
	test_bcast_storm
run_test "control frames: own queue, not lost in a storm" \
	test_bcast_control
ktap_finish
