#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# igtb generic netlink API: set/get/del, namespaces, dump, notifications,
# permissions, bad input, set/delete cycles.

. "$(dirname "$0")/../lib.sh"
. "$TOP/selftests/tools/igtb_lib.sh"

test_set_get_del()
{
	local out

	igtb_sink_topo
	igtb_co_start
	check_ok "set" igtb_co set dev nm0 netns-fd "/run/netns/$SINK" rate 10mbit
	out=$(igtb_co get dev nm0 netns-fd "/run/netns/$SINK")
	echo "$out"
	check_eq "rate" 10000000 "$(igtb_field "$out" rate)"
	# default burst: max(10 ms of 10 Mbit/s = 12500, 10 * (1500 + 14))
	check_eq "default burst" 15140 "$(igtb_field "$out" burst)"
	check_eq "no packet rate" "" "$(igtb_field "$out" pkt_rate)"
	check_ok "replace" igtb_co set dev nm0 netns-fd "/run/netns/$SINK" \
		rate 1gbit pps 100000
	out=$(igtb_co get dev nm0 netns-fd "/run/netns/$SINK")
	echo "$out"
	# 10 ms of 1 Gbit/s = 1250000 bytes; 10 ms of 100000 pps = 1000
	check_eq "default burst at 1gbit" 1250000 "$(igtb_field "$out" burst)"
	check_eq "default packet burst" 1000 "$(igtb_field "$out" pkt_burst)"
	check_ok "del" igtb_co del dev nm0 netns-fd "/run/netns/$SINK"
	out=$(igtb_co get dev nm0 netns-fd "/run/netns/$SINK" 2>&1) && fail "get after del succeeded"
	echo "$out"
	case $out in
	*"ENOENT: device has no igtb profile"*) ;;
	*) fail "get after del: unexpected '$out'" ;;
	esac
}

# One profile set through each way of naming the namespace, read back
# through the others; a dump lists devices of every namespace unless given
# a namespace.
test_netns_addressing_and_dump()
{
	local pid nsid out n

	igtb_sink_topo
	local sink1=$SINK
	igtb_sink_topo
	local sink2=$SINK
	ip netns exec "$sink1" sleep 60 &
	pid=$!
	ip netns set "$sink1" 77 2>/dev/null || true
	nsid=$(ip netns list | sed -n "s/^$sink1 (id: \([0-9]*\))/\1/p")
	echo "nsid of $sink1: $nsid"
	out=$(igtb_nl batch <<-EOF
	set dev nm0 netns-pid $pid rate 2mbit
	get dev nm0 netns-id $nsid --field rate
	set dev nm0 netns-fd /run/netns/$sink2 pps 3000
	get dev nm0 netns-fd /run/netns/$sink2 --field pkt_rate
	dump
	dump netns-fd /run/netns/$sink2
	raw set ifname=nm0 netns_pid=$pid netns_id=$nsid rate=1000000
	EOF
	)
	kill "$pid" 2>/dev/null || true
	echo "$out"
	n=$(printf '%s\n' "$out" | grep -c '^status ok') || true
	check_eq "requests that succeeded" 6 "$n"
	check_eq "rate via pid, read via nsid" 2000000 "$(printf '%s\n' "$out" | sed -n 2p)"
	check_eq "pps via fd" 3000 "$(printf '%s\n' "$out" | sed -n 5p)"
	n=$(printf '%s\n' "$out" | grep -c '^ifname nm0') || true
	# 2 from the full dump, 1 from the filtered one
	check_eq "dump lines" 3 "$n"
	printf '%s\n' "$out" | grep -q "^ifname nm0 .*pkt_rate 3000.*" ||
		fail "filtered dump lacks sink2's profile"
	printf '%s\n' "$out" | tail -n 1 | grep -q "EINVAL: give at most one of netns fd, netns id and netns pid" ||
		fail "two netns attributes not rejected"
}

# Table: request, expected errno, part of the extack message.
test_bad_input_rejected()
{
	local out fails=0 i=0 line exp msg got

	igtb_sink_topo
	local ns=/run/netns/$SINK
	local idx
	idx=$(nsrun "$SINK" cat /sys/class/net/nm0/ifindex)
	local table=(
		"raw set rate=1000000|EINVAL|no device given"
		"raw set ifindex=$idx ifname=nm0 netns_fd=@NS rate=1000000|EINVAL|ifindex and ifname both given"
		"set ifindex 99999 netns-fd $ns rate 1mbit|ENODEV|no device with this ifindex"
		"set dev nosuchdev netns-fd $ns rate 1mbit|ENODEV|no device with this name"
		"set dev $IGTB_SRC rate 1mbit|EOPNOTSUPP|device is not a napi_macvlan"
		"set dev lo rate 1mbit|EOPNOTSUPP|device is not a napi_macvlan"
		"set dev nm0 netns-fd $ns rate 1mbit burst 1000|EINVAL|burst smaller than one full-size frame"
		"set dev nm0 netns-fd $ns rate 1mbit burst 0|EINVAL|burst smaller than one full-size frame"
		"set dev nm0 netns-fd $ns rate 0 pps 0|EINVAL|no rate given"
		"set dev nm0 netns-fd $ns|EINVAL|no rate given"
		"set dev nm0 netns-fd $ns rate 7999|ERANGE|rate out of range"
		"set dev nm0 netns-fd $ns rate 400000000001|ERANGE|out of range"
		"set dev nm0 netns-fd $ns pps 1000000001|ERANGE|out of range"
		"set dev nm0 netns-fd $ns pps 100 pburst 0|EINVAL|packet burst must be at least 1"
		"set dev nm0 netns-fd $ns burst 20000|EINVAL|no rate given"
		"set dev nm0 netns-fd $ns rate 1mbit pburst 10|EINVAL|packet burst given without a packet rate"
		"set dev nm0 netns-fd $ns rate 8000 burst 4000000000|ERANGE|longer than one day"
		"set dev nm0 netns-fd $ns rate 1mbit overhead 100000|ERANGE|out of range"
		"set dev nm0 netns-fd $ns rate 1mbit action 7|ERANGE|out of range"
		"set dev nm0 netns-fd $ns rate 1mbit mark 5|EINVAL|mark given but the action is not mark"
		"set dev nm0 netns-fd 9999 rate 1mbit|EBADF|netns fd"
		"set dev nm0 netns-fd /proc/self/stat rate 1mbit|EINVAL|netns fd"
		"set dev nm0 netns-id 12345 rate 1mbit|EINVAL|no network namespace with this nsid"
		"set dev nm0 netns-pid 999999 rate 1mbit|ESRCH|no process with this pid"
		"raw set ifname=nm0 netns_fd=@NS rate=1000000 stats=|EINVAL|"
		"raw set ifname=nm0 netns_fd=@NS 99:u32:1 rate=1000000|EINVAL|"
		"get dev nm0 netns-fd $ns|ENOENT|device has no igtb profile"
		"del dev nm0 netns-fd $ns|ENOENT|device has no igtb profile"
		"raw dump ifname=nm0|EINVAL|a dump takes no device"
	)
	local cmds=() exps=()
	for line in "${table[@]}"; do
		cmds+=("${line%%|*}")
		exps+=("${line#*|}")
	done
	# raw attributes take a number: the batch's own fd for the namespace
	exec {nsfd}<"$ns"
	out=$(for c in "${cmds[@]}"; do echo "${c//@NS/$nsfd}"; done |
		igtb_nl batch)
	exec {nsfd}<&-
	# no process substitution: the VM has no /dev/fd
	mapfile -t got <<< "$(printf '%s\n' "$out" | grep '^status')"
	for i in "${!cmds[@]}"; do
		exp=${exps[$i]%%|*}
		msg=${exps[$i]#*|}
		line=${got[$i]:-missing}
		echo "${cmds[$i]} -> $line"
		case $line in
		"status $exp: "*"$msg"*) ;;
		*) echo "  expected $exp: $msg"; fails=$((fails + 1)) ;;
		esac
		# every rejection says why, except the policy's generic ones
		[ -n "$msg" ] && [ "$line" = "status $exp: " ] &&
			fails=$((fails + 1))
	done
	[ "$fails" -eq 0 ] || fail "$fails of ${#cmds[@]} bad requests not rejected as expected"
}

# Every operation needs CAP_NET_ADMIN in the initial user namespace: a
# container's root gets EPERM, also for reads, and cannot listen.
test_container_root_eperm()
{
	local out cmd

	require_cmd unshare || return
	igtb_sink_topo
	check_ok "admin can set" igtb_nl set dev nm0 netns-fd "/run/netns/$SINK" rate 1mbit
	for cmd in "get dev lo" "dump" "set dev lo rate 1mbit" "del dev lo"; do
		out=$(unshare -Urn python3 "$IGTB_NL_PY" $cmd 2>&1) &&
			fail "container root could '$cmd'"
		echo "unshare -Urn $cmd: $out"
		case $out in
		"error: Operation not permitted"*) ;;
		*) fail "'$cmd' in a container: expected EPERM, got '$out'" ;;
		esac
	done
	# a user namespace in the initial network namespace may not listen
	# (a kernel without GENL_MCAST_CAP_NET_ADMIN gets no group at all)
	python3 "$IGTB_NL_PY" groups | grep -qx config || return 0
	out=$(unshare -Ur python3 "$IGTB_NL_PY" monitor --count 1 --timeout 2 2>&1) &&
		fail "unprivileged listener could bind the config group"
	echo "unshare -Ur monitor: $out"
	case $out in
	*"Operation not permitted"*) ;;
	*) fail "monitor in a user namespace: expected EPERM, got '$out'" ;;
	esac
}

# set, replace, del and destroying a device with a profile each notify.
test_notifications()
{
	local log=/tmp/igtb-mon.$$ out

	require_igtb_config_group || return
	igtb_sink_topo
	igtb_nl monitor --count 5 --timeout 60 > "$log" 2>&1 &
	local mon=$!
	busywait 30000 grep -q listening "$log" || fail "monitor did not start"
	igtb_nl batch >/dev/null <<-EOF
	set dev nm0 netns-fd /run/netns/$SINK rate 1mbit
	set dev nm0 netns-fd /run/netns/$SINK rate 2mbit pps 100
	del dev nm0 netns-fd /run/netns/$SINK
	set dev nm0 netns-fd /run/netns/$SINK pps 500
	EOF
	ip -n "$SINK" link del nm0
	wait "$mon" || { cat "$log"; fail "monitor saw fewer than 5 messages"; }
	out=$(cat "$log")
	echo "$out"
	printf '%s\n' "$out" | sed -n 2p | grep -q "^set ifname nm0 ifindex [0-9]* netns_id [0-9]* dir ingress rate 1000000 burst 15140" ||
		fail "first notification"
	printf '%s\n' "$out" | sed -n 3p | grep -q "^set .*rate 2000000 .*pkt_rate 100 " ||
		fail "replace notification"
	printf '%s\n' "$out" | sed -n 4p | grep -q "^del ifname nm0 .*rate 2000000" ||
		fail "del notification"
	printf '%s\n' "$out" | sed -n 6p | grep -q "^del ifname nm0 .*pkt_rate 500" ||
		fail "no del notification when the device was destroyed"
	rm -f "$log"
}

# 10,000 set/delete cycles: no warning (the VM runner checks the kernel
# log) and no profile or stat block left behind.  What is checked is igtb's
# own object counter; MemFree is only printed.
test_set_delete_cycles_no_leak()
{
	local before after out

	igtb_sink_topo
	before=$(igtb_objects)
	grep MemFree /proc/meminfo
	out=$(igtb_nl cycle 10000 dev nm0 netns-fd "/run/netns/$SINK" rate 10mbit pps 1000)
	echo "$out"
	check_eq "cycles" "cycles 10000 del_enoent 0" "$out"
	# freed after an RCU grace period
	busywait 10000 test "$(igtb_objects)" -le "$before" ||
		fail "igtb objects: $before before, $(igtb_objects) after"
	grep MemFree /proc/meminfo
	ip netns del "$SINK"
	ip netns del "$LOW"
	# the device's stat block goes with it
	busywait 10000 test "$(igtb_objects)" -le $((before - 1)) ||
		fail "stat block of a deleted device not freed: $(igtb_objects) objects"
}

ktap_plan 6
run_test "set, get (default bursts reported), replace, del" test_set_get_del
run_test "namespace by pid, fd and nsid; dump all and per namespace" test_netns_addressing_and_dump
run_test "bad attributes rejected with errno and extack message" test_bad_input_rejected
run_test "container root gets EPERM for every operation and the group" test_container_root_eperm
run_test "notifications for set, replace, del, device destruction" test_notifications
run_test "10000 set/delete cycles leave no object behind" test_set_delete_cycles_no_leak
ktap_finish
