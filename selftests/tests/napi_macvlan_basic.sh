#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# napi_macvlan: create, delete, netns moves, link attributes, MTU, lower
# deletion, tenant restrictions (user namespace root must not lift them).
. "$(dirname "$0")/../lib.sh"

# a lower in the init netns whose peer sits in namespace $1 as "peer"
mk_lower()
{
	veth_create "$1" "" peer "$2"
}

test_create_delete()
{
	ns_create A
	mk_lower l0 "$A"
	check_ok "create with defaults" \
		ip link add link l0 name nm0 type napi_macvlan
	check_eq "driver name" "driver: napi_macvlan" \
		"$(ethtool -i nm0 | grep ^driver:)"
	check_eq "kind" "napi_macvlan" \
		"$(ip -d -j link show nm0 | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[0]["linkinfo"]["info_kind"])')"
	check_eq "link is the lower" "$(cat /sys/class/net/l0/ifindex)" \
		"$(cat /sys/class/net/nm0/iflink)"
	check_ok "ethtool -S names" bash -c \
		"ethtool -S nm0 | sed 1d | awk '{print \$1}' | tr '\n' ' ' | grep -qx 'rx_direct: rx_ring: rx_ring_full: rx_policed: rx_filtered: rx_nomem: tx_spoofed: tx_dropped: tx_shaped: tx_shape_delay_us: tx_policed: rx_local_direct: rx_local_deep: rx_bc_queue_full: rx_bc_nomem: rx_bc_ctl: rx_bc_ctl_queue_full: '"
	check_ok "up" ip link set nm0 up
	check_ok "delete" ip link del nm0
	check_fail "device gone" ip link show nm0 2>/dev/null
	check_ok "lower has no rx handler left: a bridge can take it" \
		ip link add br0 type bridge
	check_ok "enslave the lower" ip link set l0 master br0
	ip link del br0
	ip link del l0
}

test_attributes()
{
	local j

	nmv_have_plugin || {
		skip "userspace/link_napi_macvlan.so not built (make userspace)"
		return $KSFT_SKIP
	}
	mk_lower l1 ""
	ip link set l1 up
	check_ok "create with attributes" nmv_ip link add link l1 name nm1 \
		type napi_macvlan mode private ringsize 512 spoofchk on maclock on
	j=$(nmv_ip -d -j link show nm1)
	check_eq "attrs" "private 512 True True" "$(echo "$j" | python3 -c '
import json, sys
d = json.load(sys.stdin)[0]["linkinfo"]["info_data"]
print(d["mode"], d["ringsize"], d["spoofchk"], d["maclock"])')"
	check_ok "defaults" nmv_ip link add link l1 name nm2 type napi_macvlan
	check_ok "default attrs shown" bash -c \
		"IP_LIB_DIR=$TOP/userspace ip -d link show nm2 | grep -q 'mode bridge ringsize 256 spoofchk off maclock off'"
	check_fail "ring size below 16 rejected" nmv_ip link add link l1 \
		name nm3 type napi_macvlan ringsize 8 2>/dev/null
	check_fail "ring size above 16384 rejected" nmv_ip link add link l1 \
		name nm3 type napi_macvlan ringsize 16385 2>/dev/null
	check_ok "change ring size while down" nmv_ip link set nm2 \
		type napi_macvlan ringsize 64
	check_ok "ring size changed" bash -c \
		"IP_LIB_DIR=$TOP/userspace ip -d link show nm2 | grep -q 'ringsize 64 '"
	ip link set nm2 up
	check_fail "change ring size while up rejected" nmv_ip link set nm2 \
		type napi_macvlan ringsize 128 2>/dev/null
	check_ok "change mode" nmv_ip link set nm2 type napi_macvlan mode vepa
	check_ok "mode changed" bash -c \
		"IP_LIB_DIR=$TOP/userspace ip -d link show nm2 | grep -q 'mode vepa '"
	check_fail "passthru next to other devices rejected" nmv_ip link add \
		link l1 name nm3 type napi_macvlan mode passthru 2>/dev/null
	check_fail "change to passthru rejected" nmv_ip link set nm2 \
		type napi_macvlan mode passthru 2>/dev/null
	ip link del l1
	check_fail "lower deletion removed nm1" ip link show nm1 2>/dev/null
}

test_passthru()
{
	mk_lower l2 ""
	ip link set l2 up
	nmv_have_plugin || {
		skip "userspace/link_napi_macvlan.so not built (make userspace)"
		return $KSFT_SKIP
	}
	check_ok "passthru create" nmv_ip link add link l2 name nm4 \
		type napi_macvlan mode passthru
	check_eq "passthru takes the lower's MAC" "$(nmv_mac l2)" \
		"$(nmv_mac nm4)"
	check_fail "second device on a passthru lower rejected" \
		ip link add link l2 name nm5 type napi_macvlan 2>/dev/null
	ip link set nm4 up
	check_ok "lower promiscuous" bash -c \
		"ip -d link show l2 | grep -q 'promiscuity [1-9]'"
	ip link set nm4 down
	check_ok "lower not promiscuous" bash -c \
		"ip -d link show l2 | grep -q 'promiscuity 0'"
	ip link del l2
}

test_netns_move()
{
	ns_create A B C
	mk_lower l3 "$A"
	ip -n "$A" addr add 10.11.0.1/24 dev peer
	ip -n "$A" addr add fd00:11::1/64 dev peer nodad
	check_ok "create" ip link add link l3 name nm6 type napi_macvlan
	ip link set l3 up
	ip link set nm6 netns "$B"
	ip -n "$B" addr add 10.11.0.2/24 dev nm6
	ip -n "$B" link set nm6 up
	check_ok "ping from B" nmv_ping "$B" 10.11.0.1
	check_ok "move B -> C" ip -n "$B" link set nm6 netns "$C"
	ip -n "$C" addr add 10.11.0.2/24 dev nm6
	ip -n "$C" link set nm6 up
	check_ok "ping from C" nmv_ping "$C" 10.11.0.1
	ip -n "$C" addr add fd00:11::2/64 dev nm6 nodad
	check_ok "IPv6 ping from C" nmv_ping "$C" fd00:11::1
	check_ok "delete the namespace holding the device" ip netns del "$C"
	check_fail "device gone with its namespace" \
		bash -c "ip -all netns exec ip link show nm6 2>/dev/null | grep -q nm6"
	check_ok "lower still usable" ip link add link l3 name nm7 \
		type napi_macvlan
	ip link del l3
	check_fail "lower deletion removed nm7" ip link show nm7 2>/dev/null
}

test_mtu()
{
	mk_lower l4 ""
	ip link set l4 mtu 1400
	check_ok "create" ip link add link l4 name nm8 type napi_macvlan
	check_eq "MTU inherited" 1400 "$(cat /sys/class/net/nm8/mtu)"
	check_fail "MTU above the lower's rejected" ip link set nm8 mtu 1500 \
		2>/dev/null
	check_ok "lower MTU up" ip link set l4 mtu 9000
	check_ok "MTU up to the lower's" ip link set nm8 mtu 9000
	check_ok "lower MTU down" ip link set l4 mtu 1280
	check_eq "MTU clamped by the lower" 1280 "$(cat /sys/class/net/nm8/mtu)"
	check_fail "create with MTU above the lower's" ip link add link l4 \
		name nm9 mtu 1500 type napi_macvlan 2>/dev/null
	ip link del l4
}

# The tenant: root of its own user namespace, owning the netns that holds
# the device.  It may manage its link, but not lift the operator's limits.
test_tenant_restrictions()
{
	local pid rc=0

	nmv_have_plugin || {
		skip "userspace/link_napi_macvlan.so not built (make userspace)"
		return $KSFT_SKIP
	}
	require_cmd unshare || return
	mk_lower l5 ""
	nmv_ip link add link l5 name nm10 type napi_macvlan mode private \
		spoofchk on maclock on
	nmv_ip link add link l5 name nm11 type napi_macvlan
	unshare -U -r -n sleep 60 &
	pid=$!
	busywait 5000 test -e "/proc/$pid/ns/net"
	busywait 5000 bash -c "[ \"\$(readlink /proc/$pid/ns/user)\" != \"\$(readlink /proc/self/ns/user)\" ]"
	ip link set nm10 netns "$pid"
	ip link set nm11 netns "$pid"
	tenant() { nsenter -t "$pid" -U -n --preserve-credentials "$@"; }
	check_ok "tenant may bring its link up" tenant ip link set nm10 up ||
		rc=1
	check_fail "tenant may not change a locked MAC" \
		tenant ip link set nm10 address 02:00:00:00:00:10 2>/dev/null ||
		rc=1
	check_ok "tenant may change an unlocked MAC" \
		tenant ip link set nm11 address 02:00:00:00:00:11 || rc=1
	check_fail "tenant may not change the mode" tenant env \
		IP_LIB_DIR="$TOP/userspace" ip link set nm10 type napi_macvlan \
		mode bridge 2>/dev/null || rc=1
	check_fail "tenant may not clear spoofchk" tenant env \
		IP_LIB_DIR="$TOP/userspace" ip link set nm10 type napi_macvlan \
		spoofchk off 2>/dev/null || rc=1
	# from the host: vrctl's socket is in the tenant's namespace, the
	# request comes from ours (`nsenter -n ip link set` would be refused)
	check_ok "init-ns admin may change a locked MAC" "$TOP/userspace/vrctl" \
		link set dev nm10 pid "$pid" mac 02:00:00:00:00:12 || rc=1
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	ip link del l5
	return $rc
}

# Many devices on one lower: hash lookup finds the right one, bulk
# deletion through the lower's unregister is clean.
test_many_devices()
{
	local n=${NMV_MANY:-200} i batch

	ns_create A B
	veth_create l6 "$B" peer "$A"
	ip -n "$A" addr add 10.12.0.1/16 dev peer
	# no IPv6: n devices soliciting routers at each other is a storm
	ip netns exec "$B" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	# answer ARP only on the device that holds the address
	ip netns exec "$B" sysctl -qw net.ipv4.conf.all.arp_ignore=1
	batch=$(mktemp)
	for i in $(seq 1 "$n"); do
		printf 'link add link l6 name nmm%d address 02:00:00:00:%02x:%02x type napi_macvlan\n' \
			"$i" $((i / 256)) $((i % 256))
		printf 'link set nmm%d up\n' "$i"
	done > "$batch"
	check_ok "create $n devices" ip -n "$B" -batch "$batch"
	rm -f "$batch"
	check_eq "all there" "$n" \
		"$(ip -n "$B" -o link show type napi_macvlan | grep -c 'nmm[0-9]*@l6')"
	ip -n "$B" addr add 10.12.1.1/16 dev nmm1
	ip -n "$B" addr add 10.12.1.2/16 dev "nmm$n"
	check_ok "first device reachable" nmv_ping "$A" 10.12.1.1
	check_ok "last device reachable" nmv_ping "$A" 10.12.1.2
	check_range "last device got unicast" 1 1000 $(($(link_stat "$B" \
		"nmm$n" rx_packets) - $(link_stat "$B" "nmm$n" multicast)))
	check_eq "its neighbour got only broadcasts" 0 \
		$(($(link_stat "$B" "nmm$((n - 1))" rx_packets) -
		   $(link_stat "$B" "nmm$((n - 1))" multicast)))
	check_ok "delete the lower with all devices" ip -n "$B" link del l6
	check_eq "all gone" 0 \
		"$(ip -n "$B" -o link show type napi_macvlan | wc -l)"
}

ktap_plan 7
run_test "create, show, delete with defaults" test_create_delete
run_test "link attributes round-trip and are validated" test_attributes
run_test "passthru owns the lower" test_passthru
run_test "move between namespaces, delete namespace and lower" test_netns_move
run_test "MTU limited and clamped by the lower" test_mtu
run_test "tenant in a user namespace cannot lift restrictions" \
	test_tenant_restrictions
run_test "hundreds of devices on one lower" test_many_devices
ktap_finish
