#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tear napi_macvlan down under a pktgen flood that crosses the direct path
# and two rings: delete a device, its namespace, its (VLAN) lower, unload
# the module; and the same under a broadcast storm that keeps the port's
# broadcast queue full (frames queued, its NAPI scheduled).  No WARN/oops
# (the VM runner checks dmesg), no device left, the lower stays deletable
# (no leaked reference).
. "$(dirname "$0")/../lib.sh"

G=g$$
W=w$$

# topo LOWER: pktgen device $G -> veth -> $W (GRO, so veth uses NAPI) ->
# VLAN $W.10 when LOWER is "vlan"; R1 (ra1, ra2) -> R2 (rb1, rb2) -> SNK
topo()
{
	local lower=$W

	ns_create R1 R2 SNK
	ip link add "$G" type veth peer name "$W"
	ethtool -K "$G" tso off >/dev/null
	ethtool -K "$W" gro on >/dev/null
	ip link set "$G" up
	ip link set "$W" up
	if [ "$1" = vlan ]; then
		lower=$W.10
		ip link add link "$W" name "$lower" type vlan id 10
		ip link set "$lower" up
	fi
	LOWER=$lower
	mkdev ra1 "$R1" 10.51.0.1/24
	mkdev ra2 "$R1" 10.52.0.1/24
	mkdev rb1 "$R2" 10.52.0.2/24
	mkdev rb2 "$R2" 10.53.0.2/24
	mkdev s0 "$SNK" 10.53.0.3/24
	ip netns exec "$R1" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$R2" sysctl -qw net.ipv4.ip_forward=1
	ip -n "$R1" route add 10.53.0.0/24 via 10.52.0.2
	ip -n "$R1" neigh replace 10.52.0.2 dev ra2 \
		lladdr "$(nmv_mac "$R2" rb1)" nud permanent
	ip -n "$R2" neigh replace 10.53.0.3 dev rb2 \
		lladdr "$(nmv_mac "$SNK" s0)" nud permanent
	trap 'pktgen_stop; ip link del "$G" 2>/dev/null || true' EXIT
}

mkdev()
{
	ip link add link "$LOWER" name "$1" type napi_macvlan
	ip link set "$1" netns "$2"
	ip -n "$2" addr add "$3" dev "$1"
	ip -n "$2" link set "$1" up
}

# flood_start [VLAN]: endless pktgen flood towards the sink, in background
flood_start()
{
	PG_DEV=$G
	pktgen_setup "$G" 10.53.0.3 "$(nmv_mac "$R1" ra1)" 0 64
	echo "src_min 10.51.0.9" > "/proc/net/pktgen/$G"
	echo "src_max 10.51.0.9" > "/proc/net/pktgen/$G"
	[ -z "$1" ] || echo "vlan_id $1" > "/proc/net/pktgen/$G"
	pktgen_run &
	FLOOD=$!
	check_ok "flood reaches the sink" wait_counter_ge 20000 200 \
		link_stat "$SNK" s0 rx_packets
	check_range "flood crosses the rings" 1 100000000 \
		"$(ethtool_stat "$SNK" s0 rx_ring)"
}

# flood_stop: after some more flooding of what is left (the flood's or
# storm's frames counted by pktgen on its device PG_DEV)
flood_stop()
{
	local sent

	sent=$(pktgen_field "$PG_DEV" pkts-sofar)
	check_ok "pktgen went on after the teardown" wait_counter_ge 20000 \
		$((${sent:-0} + 500)) pktgen_field "$PG_DEV" pkts-sofar
	pktgen_stop
	wait "$FLOOD" 2>/dev/null || true
}

# how many of the topology's devices exist, in any namespace (by name:
# after an unload the kind would no longer show)
count_devices()
{
	local ns n

	n=$(ip -o link show | grep -cE ': (ra1|ra2|rb1|rb2|s0)@' || true)
	for ns in $(ip netns list | awk '{print $1}'); do
		n=$((n + $(ip -n "$ns" -o link show |
			grep -cE ': (ra1|ra2|rb1|rb2|s0)@' || true)))
	done
	echo "$n"
}

lower_deletable()
{
	check_ok "lower deleted" timeout 20 ip link del "$G"
	check_fail "lower gone" ip link show "$W" 2>/dev/null
}

test_delete_lower()
{
	in_vm || { skip "needs the selftest VM (pktgen)"; return $KSFT_SKIP; }
	require_module pktgen || return
	require_module 8021q || return
	topo vlan
	flood_start 10
	check_ok "delete the VLAN lower under traffic" ip link del "$LOWER"
	flood_stop
	check_eq "every device went with its lower" 0 "$(count_devices)"
	lower_deletable
}

test_delete_device_and_netns()
{
	in_vm || { skip "needs the selftest VM (pktgen)"; return $KSFT_SKIP; }
	require_module pktgen || return
	topo
	flood_start
	check_ok "delete a ring receiver under traffic" \
		ip -n "$R2" link del rb1
	check_ok "delete a namespace under traffic" ip netns del "$R2"
	check_ok "delete the first router's namespace" ip netns del "$R1"
	flood_stop
	check_eq "only the sink's device is left" 1 "$(count_devices)"
	ip netns del "$SNK"
	check_eq "no device left" 0 "$(count_devices)"
	lower_deletable
}

# unload_under START WHAT: napi_macvlan unloaded while START (flood_start,
# storm_start) runs, then loaded again
unload_under()
{
	local rc=0

	in_vm || { skip "needs the selftest VM (pktgen)"; return $KSFT_SKIP; }
	require_module pktgen || return
	topo
	"$1"
	check_ok "unload napi_macvlan under $2" rmmod napi_macvlan || rc=1
	flood_stop
	check_eq "unload removed every device" 0 "$(count_devices)" || rc=1
	check_ok "reload napi_macvlan" insmod "$KO_DIR/napi_macvlan/napi_macvlan.ko"
	lower_deletable
	return $rc
}

test_module_unload()
{
	unload_under flood_start traffic || return
	check_ok "usable after reload" ip link add "$W" type dummy
	check_ok "create after reload" ip link add link "$W" name nmr$$ \
		type napi_macvlan
	ip link del "$W"
}

# storm_start [VLAN]: endless broadcast storm (MPLS in ff:ff:ff:ff:ff:ff
# frames, VLAN-tagged when VLAN is given) on the lower, in background: the
# port's broadcast queue holds frames when the teardown comes.  Injected
# into W's receive path in bursts larger than the queue (lib.sh's
# nmv_storm_setup, unpaced); W's own 802.1Q code passes tagged frames up
# to the VLAN lower.  pktgen stays on W, which the cases do not delete
# until pktgen has stopped.
storm_start()
{
	PG_DEV=$W
	nmv_storm_setup "$W" 0 ${1:+"vlan_id $1"}
	pktgen_run &
	FLOOD=$!
	check_ok "the storm overflows the broadcast queue" wait_counter_ge \
		30000 $((NMV_BC_BURST - NMV_BC_QUEUE)) ethtool_stat "$SNK" s0 \
		rx_bc_queue_full
}

test_storm_delete()
{
	in_vm || { skip "needs the selftest VM (pktgen)"; return $KSFT_SKIP; }
	require_module pktgen || return
	require_module 8021q || return
	topo vlan
	storm_start 10
	check_ok "delete a namespace under a storm" ip netns del "$R2"
	check_ok "delete the VLAN lower under a storm" ip link del "$LOWER"
	flood_stop
	check_eq "every device went with its lower" 0 "$(count_devices)"
	lower_deletable
}

test_storm_unload()
{
	unload_under storm_start "a storm"
}

ktap_plan 5
run_test "delete the VLAN lower under a flood" test_delete_lower
run_test "delete a device and namespaces under a flood" \
	test_delete_device_and_netns
run_test "unload the module under a flood, reload" test_module_unload
run_test "delete a namespace and the lower under a broadcast storm" \
	test_storm_delete
run_test "unload the module under a broadcast storm, reload" \
	test_storm_unload
ktap_finish
