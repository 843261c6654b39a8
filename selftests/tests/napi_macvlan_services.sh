#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# napi_macvlan carrying real services: a DHCP exchange (dnsmasq outside,
# busybox udhcpc in a container), and a container acting as a router
# between two lowers.
. "$(dirname "$0")/../lib.sh"

UDHCPC_SCRIPT=$TOP/selftests/tools/nmv_udhcpc.sh

test_dhcp()
{
	local dir pid addr rc=0

	require_cmd dnsmasq || return
	ns_create L S C
	veth_create l0 "$L" eth0 "$S"
	ip -n "$S" addr add 10.30.0.1/24 dev eth0
	ip -n "$L" link add link l0 name c0 type napi_macvlan
	ip -n "$L" link set c0 netns "$C"
	ip -n "$C" link set c0 up

	dir=$(mktemp -d)
	ip netns exec "$S" dnsmasq --no-daemon --conf-file=/dev/null \
		--user=root --port=0 --interface=eth0 --bind-interfaces \
		--dhcp-range=10.30.0.100,10.30.0.150,255.255.255.0,1h \
		--dhcp-option=option:router,10.30.0.1 \
		--dhcp-leasefile="$dir/leases" --pid-file="$dir/pid" \
		>"$dir/log" 2>&1 &
	pid=$!
	check_ok "dnsmasq listens" busywait 10000 bash -c \
		"ip netns exec $S ss -lun | grep -q ':67 '" || rc=1

	check_ok "udhcpc got a lease" ip netns exec "$C" busybox udhcpc \
		-i c0 -n -q -f -t 5 -T 2 -s "$UDHCPC_SCRIPT" || rc=1
	addr=$(ip -n "$C" -4 -o addr show dev c0 | awk '{print $4}')
	case $addr in
	10.30.0.1[0-4][0-9]/24 | 10.30.0.150/24) ;;
	*) fail "leased address '$addr' not in the pool" || rc=1 ;;
	esac
	check_ok "lease recorded by the server" grep -q \
		"$(nmv_mac "$C" c0)" "$dir/leases" || rc=1
	check_ok "default route from the lease" bash -c \
		"ip -n $C route show default | grep -q 'via 10.30.0.1'" || rc=1
	check_ok "leased address works" nmv_ping "$C" 10.30.0.1 || rc=1

	kill "$pid"
	wait "$pid" 2>/dev/null || true
	[ $rc -ne 0 ] && cat "$dir/log"
	rm -rf "$dir"
	return $rc
}

test_router()
{
	local fwd0

	ns_create L SRC SNK R
	veth_create l1 "$L" src0 "$SRC"
	veth_create l2 "$L" snk0 "$SNK"
	ip -n "$L" link add link l1 name r1 type napi_macvlan
	ip -n "$L" link add link l2 name r2 type napi_macvlan
	ip -n "$L" link set r1 netns "$R"
	ip -n "$L" link set r2 netns "$R"
	ip -n "$R" addr add 10.41.0.1/24 dev r1
	ip -n "$R" addr add fd00:41::1/64 dev r1 nodad
	ip -n "$R" addr add 10.42.0.1/24 dev r2
	ip -n "$R" addr add fd00:42::1/64 dev r2 nodad
	ip -n "$R" link set r1 up
	ip -n "$R" link set r2 up
	ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$R" sysctl -qw net.ipv6.conf.all.forwarding=1

	ip -n "$SRC" addr add 10.41.0.2/24 dev src0
	ip -n "$SRC" addr add fd00:41::2/64 dev src0 nodad
	ip -n "$SRC" route add default via 10.41.0.1
	ip -n "$SRC" -6 route add default via fd00:41::1
	ip -n "$SNK" addr add 10.42.0.2/24 dev snk0
	ip -n "$SNK" addr add fd00:42::2/64 dev snk0 nodad
	ip -n "$SNK" route add default via 10.42.0.1
	ip -n "$SNK" -6 route add default via fd00:42::1

	fwd0=$(link_stat "$R" r2 tx_packets)
	check_ok "source reaches sink through the router (IPv4)" \
		nmv_ping "$SRC" 10.42.0.2 3
	check_ok "source reaches sink through the router (IPv6)" \
		nmv_ping "$SRC" fd00:42::2 3
	check_range "router forwarded out of r2" $((fwd0 + 6)) 1000000 \
		"$(link_stat "$R" r2 tx_packets)"
	check_range "router received on r1 directly" 6 1000000 \
		"$(ethtool_stat "$R" r1 rx_direct)"
	ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=0
	check_fail "no forwarding, no path" nmv_ping "$SRC" 10.42.0.2
}

ktap_plan 2
run_test "DHCP lease over napi_macvlan (dnsmasq, udhcpc)" test_dhcp
run_test "container routes between two lowers" test_router
ktap_finish
