#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The VM environment the other tests rely on: modules loaded, namespaces,
# veth traffic, the tools they call.
. "$(dirname "$0")/../lib.sh"

test_modules_loaded()
{
	local m
	for m in igtb napi_macvlan; do
		[ -d "/sys/module/$m" ] || fail "module $m is not loaded"
	done
}

test_veth_ping()
{
	ns_create A B
	veth_create va "$A" vb "$B"
	ip -n "$A" addr add 10.99.0.1/24 dev va
	ip -n "$B" addr add 10.99.0.2/24 dev vb
	check_ok "ping across a veth pair" \
		ip netns exec "$A" ping -c 1 -W 2 10.99.0.2 >/dev/null
}

test_namespaces_removed()
{
	local before
	ns_create C
	before=$(ip netns list | grep -c "^$C")
	check_eq "namespace created" 1 "$before"
	ns_cleanup_all
	check_eq "namespace removed" 0 "$(ip netns list | grep -c "^$C" || true)"
}

test_tools_present()
{
	local t
	for t in ip tc ethtool iperf3 dnsmasq python3 busybox; do
		command -v "$t" >/dev/null || fail "$t not found"
	done
}

ktap_plan 4
run_test "igtb and napi_macvlan modules are loaded" test_modules_loaded
run_test "ping across a veth pair between two namespaces" test_veth_ping
run_test "test namespaces are removed after a case" test_namespaces_removed
run_test "tools used by the tests are installed" test_tools_present
ktap_finish
