#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Faults under a pktgen flood through napi_macvlan devices that carry an
# igtb profile (so every packet goes through the policer): namespace moves,
# MTU changes, link flaps, ~1000 profile updates a second, deleting the
# container namespace and the lower, unloading igtb and napi_macvlan.
# After each: no WARN/BUG/oops in the kernel log, no device left, igtb's
# object count and unreclaimable slab back near their baselines
# (selftests/lib.sh, faults/teardown helpers).
# Deleting the lower/namespaces and unloading napi_macvlan without profiles
# are covered by napi_macvlan_teardown.sh.
. "$(dirname "$0")/../lib.sh"
. "$TOP/selftests/tools/igtb_lib.sh"

G=fg$$
W=fw$$
FLAP_PY=$TOP/selftests/tools/igtb_flap.py

# The flood's profile: a TCG flood (20-200k pps of 64 bytes) exceeds the
# packet rate, part of it conforms: both sides of the policer work.
PROFILE="rate 20mbit burst 200000 pps 2000 pburst 200"

trap 'pktgen_stop; ip link del "$G" 2>/dev/null; fault_modules_loaded' EXIT

# Baselines of a case, taken before it builds anything
fault_begin()
{
	in_vm || { skip "needs the selftest VM (pktgen)"; return $KSFT_SKIP; }
	require_module pktgen || return
	require_module 8021q || return
	[ -d /sys/module/igtb ] && [ -d /sys/module/napi_macvlan ] || {
		skip "igtb.ko and napi_macvlan.ko not loaded"
		return $KSFT_SKIP
	}
	# an endless flood must not outlive a failed case
	trap 'pktgen_stop; ip link del "$G" 2>/dev/null || true' EXIT
	T0=$(date +%s)
	fault_dmesg_begin
	B_LINKS=$(fault_links)
	B_OBJ=$(fault_igtb_objects)
	B_SLAB=$(fault_slab_measure)
	B_NETNS=$(fault_netns_objects)
}

# stamp WHAT: seconds since the case began (where the time goes under TCG)
stamp()
{
	echo "+$(($(date +%s) - T0)) s: $*"
}

links_back()
{
	[ "$(fault_links)" -le "$B_LINKS" ]
}

objects_back()
{
	[ "$(fault_igtb_objects)" = "$B_OBJ" ]
}

# fault_end: after the case removed what it built
fault_end()
{
	stamp "fault done"
	ns_cleanup_all
	ip link del "$G" 2>/dev/null || true
	busywait 20000 links_back ||
		fail "devices: $B_LINKS before, $(fault_links) after"
	busywait 20000 objects_back ||
		fail "igtb objects: $B_OBJ before, $(fault_igtb_objects) after"
	stamp "devices and objects back"
	fault_netns_freed "$B_NETNS" 60000
	fault_slab_settle "$B_SLAB" 60000
	fault_dmesg_check "$1"
	echo "$1: $(($(date +%s) - T0)) s"
}

# topo: pktgen device $G -> veth -> $W (GRO: veth uses NAPI) -> VLAN 10
# ($LOWER, the lower of every device) -> napi_macvlan fd0 in namespace C
# (10.61.0.2/24) with the profile; namespace O is the other place to be.
topo()
{
	ns_create C O
	ip link add "$G" type veth peer name "$W"
	ethtool -K "$G" tso off >/dev/null
	ethtool -K "$W" gro on >/dev/null
	ip link set "$G" up
	ip link set "$W" up
	LOWER=$W.10
	ip link add link "$W" name "$LOWER" type vlan id 10
	ip link set "$LOWER" up
	mkdev fd0 "$C" 10.61.0.2/24
	check_ok "profile on fd0" igtb_nl set dev fd0 netns-fd "/run/netns/$C" \
		$PROFILE
}

mkdev()
{
	ip link add link "$LOWER" name "$1" type napi_macvlan
	ip link set "$1" netns "$2"
	ip -n "$2" addr add "$3" dev "$1"
	ip -n "$2" link set "$1" up
}

# seen NS DEV: packets that reached DEV's policer (passed or policed)
seen()
{
	echo $(($(link_stat "$1" "$2" rx_packets) + $(ethtool_stat "$1" "$2" rx_policed)))
}

# flood_start: endless pktgen flood of 64-byte frames to fd0's MAC
flood_start()
{
	# rate-limited: an unlimited pktgen thread starves the control plane
	# of the 2 TCG vCPUs for minutes
	pktgen_setup "$G" 10.61.0.2 "$(nmv_mac "$C" fd0)" 0 64 30000 >/dev/null
	echo "vlan_id 10" > "/proc/net/pktgen/$G"
	# not on the case's stdout: run_test would wait for the end of it
	pktgen_run >/dev/null 2>&1 &
	FLOOD=$!
	stamp "topology ready"
	check_ok "flood reaches fd0" wait_counter_ge 30000 5000 seen "$C" fd0
	check_ok "flood is policed" wait_counter_ge 20000 1 \
		ethtool_stat "$C" fd0 rx_policed
	stamp "flood flows"
}

flood_stop()
{
	pktgen_stop
	wait "$FLOOD" 2>/dev/null || true
	echo "pktgen sent $(link_stat "" "$G" tx_packets) frames"
}

# flows_again NS DEV: the flood still reaches DEV (in NS) after a fault
flows_again()
{
	local n

	n=$(seen "$1" "$2")
	check_ok "flood reaches $2 again" wait_counter_ge 30000 $((n + 1000)) \
		seen "$1" "$2"
}

test_netns_move()
{
	local i rate

	fault_begin || return
	topo
	flood_start
	for i in 1 2 3 4 5; do
		check_ok "move to O ($i)" ip -n "$C" link set fd0 netns "$O"
		ip -n "$O" link set fd0 up
		check_ok "move back to C ($i)" ip -n "$O" link set fd0 netns "$C"
		ip -n "$C" addr add 10.61.0.2/24 dev fd0
		ip -n "$C" link set fd0 up
	done
	flows_again "$C" fd0
	rate=$(igtb_nl get dev fd0 netns-fd "/run/netns/$C" --field rate)
	check_eq "profile moved with the device" 20000000 "$rate"
	flood_stop
	fault_end "netns move"
}

mtu()
{
	ip ${1:+-n "$1"} -o link show "$2" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p'
}

test_mtu()
{
	local m

	fault_begin || return
	topo
	flood_start
	check_ok "device MTU down" ip -n "$C" link set fd0 mtu 600
	check_ok "device MTU up" ip -n "$C" link set fd0 mtu 1500
	check_fail "device MTU above the lower's" \
		ip -n "$C" link set fd0 mtu 1600 2>/dev/null
	# lower below the device: the device follows the lower down
	check_ok "lower MTU below the device's" ip link set "$LOWER" mtu 1000
	m=$(mtu "$C" fd0)
	check_range "device MTU follows the lower" 68 1000 "$m"
	for m in 700 1400 576 1500; do
		check_ok "lower MTU $m" ip link set "$W" mtu "$m"
		ip link set "$LOWER" mtu "$m"
		ip -n "$C" link set fd0 mtu "$m"
		check_eq "device MTU $m" "$m" "$(mtu "$C" fd0)"
	done
	flows_again "$C" fd0
	flood_stop
	fault_end "MTU changes"
}

test_link_flap()
{
	local i

	fault_begin || return
	topo
	flood_start
	for i in $(seq 10); do
		ip -n "$C" link set fd0 down
		ip -n "$C" link set fd0 up
		ip link set "$LOWER" down
		ip link set "$LOWER" up
	done
	# (not the veth under the VLAN: pktgen stops for good when its
	# device loses the carrier)
	# a device whose lower went down is down too until the lower is back
	check_ok "device operational again" busywait 10000 \
		sh -c "ip -n '$C' link show fd0 | grep -q 'state UP'"
	flows_again "$C" fd0
	flood_stop
	fault_end "link flaps"
}

test_profile_updates()
{
	local out got p0 n

	fault_begin || return
	topo
	flood_start
	p0=$(ethtool_stat "$C" fd0 rx_policed)
	out=$(python3 "$FLAP_PY" 5 1000 dev fd0 netns-fd "/run/netns/$C") ||
		fail "igtb_flap.py: $out"
	echo "$out"
	# The rate achieved is a diagnostic: TCG may not reach 1000/s.
	n=$(echo "$out" | sed -n 's/^updates \([0-9]*\) .*/\1/p')
	check_range "updates made" 100 100000000 "${n:-0}"
	got=$(igtb_nl get dev fd0 netns-fd "/run/netns/$C")
	echo "in place: $got"
	check_eq "last profile is the one in place" \
		"7000000 77777 777 77" \
		"$(igtb_field "$got" rate) $(igtb_field "$got" burst) $(igtb_field "$got" pkt_rate) $(igtb_field "$got" pkt_burst)"
	# 777 packets/s against the flood: the last profile polices
	check_ok "the last profile polices" wait_counter_ge 20000 \
		$(($(ethtool_stat "$C" fd0 rx_policed) + 1000)) \
		ethtool_stat "$C" fd0 rx_policed
	echo "policed during the updates: $(($(ethtool_stat "$C" fd0 rx_policed) - p0))"
	flood_stop
	fault_end "profile updates"
}

# Delete the container namespace (its device carries a profile), then the
# lower (under another profile-bearing device), under the flood.
test_delete_netns_and_lower()
{
	fault_begin || return
	topo
	mkdev fd1 "$O" 10.61.0.3/24
	igtb_nl set dev fd1 netns-fd "/run/netns/$O" pps 1000
	flood_start
	check_ok "delete the container namespace" ip netns del "$C"
	check_ok "delete the lower" ip link del "$LOWER"
	busywait 10000 sh -c "! ip -n '$O' link show fd1 2>/dev/null" ||
		fail "fd1 outlived its lower"
	flood_stop
	fault_end "delete namespace and lower"
}

# rmmod igtb must be refused while napi_macvlan (which calls igtb's
# symbols) is loaded; rmmod napi_macvlan under the flood removes every
# device and frees every profile; then igtb unloads, both load again.
test_unload()
{
	local out

	fault_begin || return
	topo
	mkdev fd1 "$O" 10.61.0.3/24
	igtb_nl set dev fd1 netns-fd "/run/netns/$O" pps 1000
	flood_start
	if out=$(rmmod igtb 2>&1); then
		fail "rmmod igtb succeeded with napi_macvlan loaded"
	fi
	echo "rmmod igtb: $out"
	case $out in
	*"in use"*|*busy*) ;;
	*) fail "rmmod igtb: not refused as in use: $out" ;;
	esac
	flows_again "$C" fd0
	check_eq "profile kept" 20000000 \
		"$(igtb_nl get dev fd0 netns-fd "/run/netns/$C" --field rate)"
	check_ok "unload napi_macvlan under the flood" rmmod napi_macvlan
	flood_stop
	check_fail "fd0 gone" ip -n "$C" link show fd0 2>/dev/null
	check_fail "fd1 gone" ip -n "$O" link show fd1 2>/dev/null
	busywait 10000 objects_back ||
		fail "igtb objects after the unload: $B_OBJ before, $(fault_igtb_objects) after"
	check_ok "unload igtb" rmmod igtb
	check_ok "reload igtb" insmod "$KO_DIR/igtb/igtb.ko"
	check_ok "reload napi_macvlan" insmod "$KO_DIR/napi_macvlan/napi_macvlan.ko"
	check_eq "igtb objects after reload" 0 "$(fault_igtb_objects)"
	B_OBJ=0
	check_ok "create after reload" mkdev fd0 "$C" 10.61.0.2/24
	check_ok "profile after reload" igtb_nl set dev fd0 \
		netns-fd "/run/netns/$C" $PROFILE
	flood_start
	flood_stop
	fault_end "unload and reload"
}

ktap_plan 6
run_test "move the device between namespaces under a flood" test_netns_move
run_test "MTU changes of the device and the lower under a flood" test_mtu
run_test "link down/up of the device and the lower under a flood" test_link_flap
run_test "1000 profile updates a second under a flood" test_profile_updates
run_test "delete the container namespace and the lower under a flood" \
	test_delete_netns_and_lower
fault_modules_loaded
run_test "rmmod igtb refused, rmmod napi_macvlan under a flood, reload" \
	test_unload
fault_modules_loaded
ktap_finish
