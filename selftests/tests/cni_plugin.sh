#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The napi-macvlan CNI plugin driven as a runtime drives it: CNI_* in the
# environment, the network configuration on stdin, with Debian's host-local
# IPAM plugin (containernetworking-plugins) doing the addresses.  The
# plugin runs in a namespace HOST standing for the runtime's, whose
# master up0 is one end of a veth pair; the other end stays in the init
# namespace for pktgen.  Needs igtb.ko and napi_macvlan.ko loaded.

. "$(dirname "$0")/../lib.sh"

PLUGIN=$TOP/userspace/napi-macvlan
CNI_BIN=/usr/lib/cni
VRCTL=$TOP/userspace/vrctl

require_cni()
{
	[ -x "$PLUGIN" ] || { skip "$PLUGIN not built (make userspace)"; return $KSFT_SKIP; }
	[ -x "$CNI_BIN/host-local" ] || {
		skip "$CNI_BIN/host-local missing (containernetworking-plugins)"
		return $KSFT_SKIP
	}
}

# cni_topo: namespaces HOST (the runtime's, with the master up0), C1, C2 (the
# containers); G is master's peer in the init namespace; host-local keeps
# its leases in IPAMDIR.
cni_topo()
{
	require_cni || return
	ns_create HOST C1 C2
	G=cng$RANDOM
	ip link add "$G" type veth peer name up0 netns "$HOST"
	ip link set "$G" up
	ip -n "$HOST" link set up0 up
	IPAMDIR=/tmp/cni-ipam-$HOST
	rm -rf "$IPAMDIR"
}

# conf [EXTRA_JSON_MEMBERS] [IPAM_EXTRA]: a network configuration
conf()
{
	printf '{"cniVersion":"1.0.0","name":"cnitest","type":"napi-macvlan","master":"up0"%s,"ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"10.77.0.0/24","gateway":"10.77.0.1"}]]%s}}' \
		"${1:+,$1}" "$IPAMDIR" "${2:+,$2}"
}

# cni CMD CID NETNS [IFNAME]: run the plugin in HOST (in the current
# namespace with CNI_DIRECT=1: cheaper, for what fails before netlink),
# config on stdin, CNI_ARGS passed on
cni()
{
	local in_host=(ip netns exec "$HOST")

	[ -n "${CNI_DIRECT:-}" ] && in_host=()
	"${in_host[@]}" env -i PATH="$PATH" CNI_COMMAND="$1" \
		CNI_CONTAINERID="$2" CNI_NETNS="$3" CNI_IFNAME="${4:-eth0}" \
		CNI_ARGS="${CNI_ARGS:-}" CNI_PATH=/nonexistent:$CNI_BIN "$PLUGIN"
}

# compact JSON text on one line
squash() { tr -d ' \n\t'; }

# jfield JSON KEY: the first scalar value of KEY (strings without quotes)
jfield()
{
	printf '%s' "$1" | squash | grep -o "\"$2\":[^,}]*" | head -n1 |
		sed 's/^"[^"]*"://; s/^"//; s/"$//'
}

# leases: addresses host-local has handed out
leases()
{
	ls "$IPAMDIR/cnitest" 2>/dev/null | grep -c '^10\.' || true
}

# with_prev CONF RESULT: CONF with prevResult RESULT, as a runtime gives CHECK
with_prev()
{
	printf '%s,"prevResult":%s}' "${1%\}}" "$(printf '%s' "$2" | squash)"
}

nmv_in() { ip -n "$1" -o link show type napi_macvlan | wc -l; }

ingress_json() { "$VRCTL" -j rate show dev "${2:-eth0}" path "/run/netns/$1"; }

test_version()
{
	local out
	require_cni || return
	out=$(echo '{"cniVersion":"1.0.0"}' | env -i CNI_COMMAND=VERSION "$PLUGIN")
	echo "$out"
	check_eq "cniVersion" 1.0.0 "$(jfield "$out" cniVersion)"
	for v in 0.3.0 0.3.1 0.4.0 1.0.0; do
		printf '%s' "$out" | grep -q "\"$v\"" || fail "$v not in supportedVersions"
	done
}

test_add()
{
	local out mac alias ip rate
	cni_topo || return
	out=$(conf '"ingress":{"rate":"10mbit","burst":"64k"},"egress":{"rate":20000000,"burst":32768}' |
		cni ADD c1 "/run/netns/$C1")
	echo "$out"
	ip=$(jfield "$out" address)
	check_eq "address from host-local" 10.77.0.2/24 "$ip"
	check_eq "gateway" 10.77.0.1 "$(jfield "$out" gateway)"
	check_eq "sandbox" "/run/netns/$C1" "$(jfield "$out" sandbox)"
	check_eq "interface index of the address" 0 "$(jfield "$out" interface)"
	mac=$(nmv_mac "$C1" eth0)
	check_eq "mac in the result" "$mac" "$(jfield "$out" mac)"
	ip -n "$C1" -d link show eth0 | grep -q napi_macvlan || fail "eth0 is not a napi_macvlan"
	ip -n "$C1" link show eth0 | grep -q 'state UP\|,UP' || fail "eth0 is not up"
	alias=$(ip -n "$C1" -d link show eth0 | sed -n 's/^ *alias //p')
	check_eq "alias" "cni:c1:eth0" "$alias"
	ip -n "$C1" addr show dev eth0 | grep -q "inet 10.77.0.2/24" ||
		fail "address not on eth0"
	out=$(ingress_json "$C1")
	echo "$out"
	rate=$(printf '%s' "$out" | grep -o '"ingress":{"rate":[0-9]*' | grep -o '[0-9]*$')
	check_eq "ingress rate (igtb)" 10000000 "$rate"
	rate=$(printf '%s' "$out" | grep -o '"egress":{"rate":[0-9]*' | grep -o '[0-9]*$')
	check_eq "egress rate (tbf)" 20000000 "$rate"
	check_eq "leases" 1 "$(leases)"
	check_eq "nothing in the host namespace" 0 "$(nmv_in "$HOST")"
}

test_check()
{
	local c out
	cni_topo || return
	c=$(conf '"ingress":{"rate":"10mbit","burst":"64k"}')
	out=$(printf '%s' "$c" | cni ADD c1 "/run/netns/$C1")
	c=$(with_prev "$c" "$out")
	check_ok "CHECK after ADD" cni CHECK c1 "/run/netns/$C1" <<< "$c"
	ip -n "$C1" addr flush dev eth0
	out=$(cni CHECK c1 "/run/netns/$C1" <<< "$c") && fail "CHECK passed without the address"
	echo "$out"
	check_eq "error code" 101 "$(jfield "$out" code)"
	ip -n "$C1" addr add 10.77.0.2/24 dev eth0
	check_ok "CHECK with the address back" cni CHECK c1 "/run/netns/$C1" <<< "$c"
	"$VRCTL" rate del dev eth0 path "/run/netns/$C1" ingress
	out=$(cni CHECK c1 "/run/netns/$C1" <<< "$c") && fail "CHECK passed without the profile"
	echo "$out"
	printf '%s' "$out" | grep -q "ingress profile is missing" ||
		fail "CHECK did not name the profile"
	out=$(cni CHECK c1 "/run/netns/$C1" <<< "${c/1.0.0/0.3.1}") &&
		fail "CHECK accepted cniVersion 0.3.1"
	check_eq "CHECK with 0.3.1" 1 "$(jfield "$out" code)"
}

test_del()
{
	local c
	cni_topo || return
	c=$(conf '"ingress":{"rate":"10mbit"}')
	cni ADD c1 "/run/netns/$C1" <<< "$c" >/dev/null
	cni ADD c2 "/run/netns/$C2" <<< "$c" >/dev/null
	check_eq "leases after two ADDs" 2 "$(leases)"
	check_ok "DEL" cni DEL c1 "/run/netns/$C1" <<< "$c"
	check_eq "devices in C1 after DEL" 0 "$(nmv_in "$C1")"
	check_eq "leases after DEL" 1 "$(leases)"
	check_ok "DEL again" cni DEL c1 "/run/netns/$C1" <<< "$c"
	# A DEL for another container's id leaves C2's device alone.
	check_ok "DEL of an unknown id" cni DEL c9 "/run/netns/$C2" <<< "$c"
	check_eq "C2 untouched" 1 "$(nmv_in "$C2")"
	ip netns del "$C2"
	check_ok "DEL after the netns is gone" cni DEL c2 "/run/netns/$C2" <<< "$c"
	check_ok "DEL without CNI_NETNS" cni DEL c2 "" <<< "$c"
	check_eq "leases after the last DEL" 0 "$(leases)"
}

test_ping()
{
	local c
	cni_topo || return
	c=$(conf)
	cni ADD c1 "/run/netns/$C1" <<< "$c" >/dev/null
	cni ADD c2 "/run/netns/$C2" <<< "$c" >/dev/null
	check_ok "C1 -> C2" nmv_ping "$C1" 10.77.0.3
	check_ok "C2 -> C1" nmv_ping "$C2" 10.77.0.2
}

test_failed_add()
{
	local c out
	cni_topo || return
	# host-local hands out an address, then the route cannot be added:
	# the lease and the device must go again.
	c=$(conf "" '"routes":[{"dst":"10.78.0.0/16","gw":"10.250.0.1"}]')
	out=$(cni ADD c1 "/run/netns/$C1" <<< "$c") && fail "ADD with an unreachable gateway passed"
	echo "$out"
	check_eq "error code" 100 "$(jfield "$out" code)"
	check_eq "devices left in C1" 0 "$(nmv_in "$C1")"
	check_eq "leases left" 0 "$(leases)"
	# An IPAM plugin that does not exist.
	c=$(conf)
	out=$(cni ADD c1 "/run/netns/$C1" <<< "${c/host-local/no-such-ipam}") &&
		fail "ADD with a missing IPAM plugin passed"
	echo "$out"
	check_eq "devices left in C1" 0 "$(nmv_in "$C1")"
	# CNI_IFNAME taken in the container: nothing of it is touched.
	ip -n "$C1" link add eth0 type dummy
	out=$(cni ADD c1 "/run/netns/$C1" <<< "$c") && fail "ADD over an existing eth0 passed"
	echo "$out"
	ip -n "$C1" link show eth0 >/dev/null || fail "the existing eth0 was removed"
	check_eq "leases left" 0 "$(leases)"
}

# expect_code CODE CMD CID NETNS CONF: the plugin fails with CODE
expect_code()
{
	local want=$1 out
	shift
	out=$(cni "$1" "$2" "$3" <<< "$4") && fail "passed: $4"
	echo "$out"
	check_eq "error code" "$want" "$(jfield "$out" code)"
	printf '%s' "$out" | grep -q '"msg"' || fail "no msg in the error"
}

test_errors()
{
	local c
	cni_topo || return
	CNI_DIRECT=1
	c=$(conf)
	expect_code 1 ADD c1 "/run/netns/$C1" "${c/1.0.0/0.2.0}"
	expect_code 7 ADD c1 "/run/netns/$C1" "${c/\"master\":\"up0\"/\"mtu\":1500}"
	expect_code 7 ADD c1 "/run/netns/$C1" "$(conf '"ingress":{"rate":"fast"}')"
	expect_code 7 ADD c1 "/run/netns/$C1" "$(conf '"ingress":{"rate":1000,"bogus":1}')"
	expect_code 7 ADD c1 "/run/netns/$C1" "$(conf '"runtimeConfig":{"bandwidth":{"egressRate":1000000}}')"
	expect_code 7 ADD c1 "/run/netns/$C1" "${c/\"master\":\"up0\"/\"master\":\"nosuchdev\"}"
	expect_code 6 ADD c1 "/run/netns/$C1" "not json"
	expect_code 4 ADD "" "/run/netns/$C1" "$c"
	expect_code 4 ADD "bad/id" "/run/netns/$C1" "$c"
	expect_code 4 ADD c1 "" "$c"
	expect_code 3 ADD c1 "/run/netns/no-such-netns" "$c"
	check_eq "devices in C1" 0 "$(nmv_in "$C1")"
	check_eq "leases" 0 "$(leases)"
}

# The bandwidth capability (Kubernetes' pod annotations): ingressRate and
# ingressBurst (bits) become the igtb profile; over a 5 s pktgen flood the
# conforming bytes are rate x time + burst within 3% (the burst is 1 s of
# the rate, as in igtb_accuracy.sh: it carries a TCG stall's tokens over).
test_bandwidth()
{
	local c out us want got lo hi mac
	require_module pktgen || return
	cni_topo || return
	c=$(conf '"capabilities":{"bandwidth":true},"runtimeConfig":{"bandwidth":{"ingressRate":10000000,"ingressBurst":10000000,"egressRate":5000000,"egressBurst":400000}}')
	out=$(cni ADD c1 "/run/netns/$C1" <<< "$c")
	out=$(ingress_json "$C1")
	echo "$out"
	printf '%s' "$out" | grep -q '"egress":{"rate":5000000,"burst":50000' ||
		fail "egress tbf is not 5 Mbit/s, burst 50000 bytes"
	mac=$(nmv_mac "$C1" eth0)
	# 3000 frames/s of 1000 bytes (24 Mbit/s) for 5 s against 10 Mbit/s
	pktgen_setup "$G" 10.77.0.2 "$mac" 15000 1000 3000 >/dev/null
	pktgen_run
	us=$(sed -n 's/^Result: OK: \([0-9]*\)(.*/\1/p' "/proc/net/pktgen/$G")
	out=$(ingress_json "$C1")
	echo "$out"
	got=$(printf '%s' "$out" | grep -o '"conform_bytes":[0-9]*' | grep -o '[0-9]*$')
	want=$((1250000 + 10000000 * us / 8000000))
	lo=$((want * 97 / 100))
	hi=$((want * 103 / 100))
	echo "over $us us: expected $want conforming bytes, got $got"
	printf '%s' "$out" | grep -q '"exceed_packets":0,' &&
		fail "the offered load did not exceed the rate"
	check_range "conforming bytes" "$lo" "$hi" "$got"
}

# The device's MAC address as the reference macvlan plugin takes it: the
# mac capability (runtimeConfig.mac) and CNI_ARGS MAC= (Podman's
# --mac-address); CHECK compares it with prevResult's.
test_mac()
{
	local c out
	cni_topo || return
	c=$(conf '"capabilities":{"mac":true},"runtimeConfig":{"mac":"02:42:0a:58:05:32"}')
	out=$(cni ADD c1 "/run/netns/$C1" <<< "$c")
	echo "$out"
	check_eq "runtimeConfig.mac on eth0" 02:42:0a:58:05:32 "$(nmv_mac "$C1" eth0)"
	check_eq "mac in the result" 02:42:0a:58:05:32 "$(jfield "$out" mac)"
	check_ok "CHECK with the MAC" cni CHECK c1 "/run/netns/$C1" <<< "$(with_prev "$c" "$out")"
	out=$(cni CHECK c1 "/run/netns/$C1" <<< "$(with_prev "$c" "${out/05:32/05:39}")") &&
		fail "CHECK passed with another MAC in prevResult"
	echo "$out"
	printf '%s' "$out" | grep -q "MAC address 02:42:0a:58:05:32, prevResult says 02:42:0a:58:05:39" ||
		fail "CHECK did not name the MAC"
	out=$(CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAME=web;MAC=02:42:0A:58:05:33" \
		cni ADD c2 "/run/netns/$C2" <<< "$(conf)")
	check_eq "CNI_ARGS MAC= on eth0" 02:42:0a:58:05:33 "$(nmv_mac "$C2" eth0)"
	check_eq "leases" 2 "$(leases)"
}

# A bad MAC is refused before anything is made; one already in use on the
# master is refused when the device goes up, and the ADD is undone.
# (host-local refuses CNI_ARGS keys it does not know, MAC= among them,
# without IgnoreUnknown=1: runtimes always pass it.)
test_mac_errors()
{
	local c out
	cni_topo || return
	c=$(conf)
	expect_code 7 ADD c1 "/run/netns/$C1" "$(conf '"runtimeConfig":{"mac":"01:00:5e:00:00:01"}')"
	expect_code 7 ADD c1 "/run/netns/$C1" "$(conf '"mac":"02:42:0a:58:05"')"
	CNI_ARGS="MAC=02:42:0a:58:05:zz" expect_code 4 ADD c1 "/run/netns/$C1" "$c"
	CNI_ARGS="K8S_POD_NAME=web" expect_code 4 ADD c1 "/run/netns/$C1" "$c"
	check_eq "devices in C1" 0 "$(nmv_in "$C1")"
	check_eq "leases" 0 "$(leases)"
	CNI_ARGS="IgnoreUnknown=1;MAC=02:42:0a:58:05:40" cni ADD c1 "/run/netns/$C1" <<< "$c" >/dev/null
	out=$(CNI_ARGS="IgnoreUnknown=1;MAC=02:42:0a:58:05:40" cni ADD c2 "/run/netns/$C2" <<< "$c") &&
		fail "a second device with the same MAC on the master was made"
	echo "$out"
	check_eq "error code" 100 "$(jfield "$out" code)"
	printf '%s' "$out" | grep -q "MAC address is already in use" || fail "the error does not say the MAC is in use"
	check_eq "devices in C2" 0 "$(nmv_in "$C2")"
	check_eq "leases (c1's)" 1 "$(leases)"
	# The master's own address cannot be a device's either.
	out=$(CNI_ARGS="IgnoreUnknown=1;MAC=$(nmv_mac "$HOST" up0)" cni ADD c2 "/run/netns/$C2" <<< "$c") &&
		fail "a device with the master's MAC was made"
	check_eq "devices in C2" 0 "$(nmv_in "$C2")"
	check_eq "leases (c1's)" 1 "$(leases)"
}

# Without napi_macvlan.ko the kernel says "Unknown device type"; the plugin
# says which module to load.
test_no_module()
{
	local c out modprobe_path
	cni_topo || return
	# The kernel would load an installed napi_macvlan.ko (a DKMS build,
	# say) for the request instead of failing it: no module loading
	# while the module is out.
	modprobe_path=$(cat /proc/sys/kernel/modprobe)
	rmmod napi_macvlan 2>/dev/null || { skip "napi_macvlan.ko is in use"; return $KSFT_SKIP; }
	echo /bin/true > /proc/sys/kernel/modprobe
	c=$(conf)
	out=$(cni ADD c1 "/run/netns/$C1" <<< "$c") || true
	echo "$modprobe_path" > /proc/sys/kernel/modprobe
	insmod "$KO_DIR/napi_macvlan/napi_macvlan.ko"
	echo "$out"
	check_eq "error code" 100 "$(jfield "$out" code)"
	printf '%s' "$out" | grep -q "is napi_macvlan.ko loaded?" || fail "no hint to load napi_macvlan.ko"
	check_eq "leases" 0 "$(leases)"
	check_eq "devices in C1" 0 "$(nmv_in "$C1")"
}

ktap_plan 11
run_test "VERSION lists 0.3.0 0.3.1 0.4.0 1.0.0" test_version
run_test "ADD: host-local address on a policed, shaped napi_macvlan" test_add
run_test "CHECK passes, fails without the address or the profile" test_check
run_test "DEL removes device and lease, twice, with the netns gone" test_del
run_test "two containers ping each other" test_ping
run_test "a failed ADD leaves no device and no lease" test_failed_add
run_test "bad config and environment give the spec's error codes" test_errors
run_test "bandwidth capability: ingressRate policed within 3%" test_bandwidth
run_test "mac capability and CNI_ARGS MAC= set the MAC; CHECK compares it" test_mac
run_test "bad or taken MAC: clear error, no device, no lease" test_mac_errors
run_test "without napi_macvlan.ko: a hint to load it, nothing left" test_no_module
# Whatever test_no_module did, the next test program needs the module.
in_vm && ! grep -q "^napi_macvlan " /proc/modules &&
	insmod "$KO_DIR/napi_macvlan/napi_macvlan.ko"
ktap_finish
