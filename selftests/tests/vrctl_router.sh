#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vrctl: router add/del/show, rate set/show/del, stats, monitor, rollback on
# failure, argument errors, and the iproute2 link plugin.  Needs igtb.ko and
# napi_macvlan.ko loaded (selftests/run.sh does that).

. "$(dirname "$0")/../lib.sh"

# The distribution python directly: a pyenv shim costs seconds under TCG.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# A container C with a virtual router between two "uplinks": veth pairs
# whose init-namespace ends (LOWER1, LOWER2) carry the napi_macvlans and
# whose other ends live in peer namespaces P1 and P2.
setup_topo()
{
	ns_create C P1 P2
	L1=${PREFIX}l1
	L2=${PREFIX}l2
	veth_create "$L1" "" p1 "$P1"
	veth_create "$L2" "" p2 "$P2"
	ip -n "$P1" addr add 10.1.0.2/24 dev p1
	ip -n "$P2" addr add 10.2.0.2/24 dev p2
	ip -n "$P1" route add default via 10.1.0.1
	ip -n "$P2" route add default via 10.2.0.1
}

cleanup_topo()
{
	ip link del "$L1" 2>/dev/null || true
	ip link del "$L2" 2>/dev/null || true
}

# napi_macvlan devices in namespace $1 (count; "" = the current one)
nmv_count()
{
	ip ${1:+-n "$1"} -o link show type napi_macvlan | wc -l
}

# json_get EXPR...: evaluate python expressions on stdin's JSON (as "j"),
# print the results on one line separated by spaces (one python start-up:
# that is what costs time under TCG)
json_get()
{
	"$PY" -c 'import json, sys
j = json.load(sys.stdin)
print(" ".join(str(eval(e)) for e in sys.argv[1:]))' "$@"
}

igtb_profiles()
{
	# profiles of every namespace (the dump covers all)
	"$PY" "$TOP/selftests/tools/igtb_nl.py" dump 2>/dev/null | grep -c . || true
}

test_plugin_roundtrip()
{
	local d

	ns_create N
	ip -n "$N" link add lw type dummy
	ip -n "$N" link set lw up
	check_ok "plugin add" ip -n "$N" link show lw >/dev/null
	IP_LIB_DIR=$TOP/userspace check_ok "ip link add with plugin options" \
		ip -n "$N" link add link lw name nm0 type napi_macvlan \
		mode private ringsize 512 spoofchk on maclock on
	d=$(IP_LIB_DIR=$TOP/userspace ip -n "$N" -d -j link show nm0)
	check_eq "mode ringsize spoofchk maclock" "private 512 True True" \
		"$(echo "$d" | json_get 'j[0]["linkinfo"]["info_data"]["mode"]' \
			'j[0]["linkinfo"]["info_data"]["ringsize"]' \
			'j[0]["linkinfo"]["info_data"]["spoofchk"]' \
			'j[0]["linkinfo"]["info_data"]["maclock"]')"
	# text output carries the same
	IP_LIB_DIR=$TOP/userspace ip -n "$N" -d link show nm0 |
		grep -q "napi_macvlan mode private ringsize 512 spoofchk on maclock on" ||
		fail "text output: $(IP_LIB_DIR=$TOP/userspace ip -n "$N" -d link show nm0)"
	IP_LIB_DIR=$TOP/userspace check_ok "change mode" \
		ip -n "$N" link set nm0 type napi_macvlan mode bridge spoofchk off
	# -s -d also prints the per-drop counters, valid JSON
	d=$(IP_LIB_DIR=$TOP/userspace ip -n "$N" -s -d -j link show nm0)
	check_eq "mode, spoofchk after change; xstats" "bridge False 0" \
		"$(echo "$d" | json_get 'j[0]["linkinfo"]["info_data"]["mode"]' \
			'j[0]["linkinfo"]["info_data"]["spoofchk"]' \
			'j[0]["linkinfo"]["info_xstats"]["napi_macvlan_xstats"]["rx_ring_full"]')"
	IP_LIB_DIR=$TOP/userspace check_fail "bad mode rejected" \
		ip -n "$N" link add link lw name nm1 type napi_macvlan mode nope
	IP_LIB_DIR=$TOP/userspace check_fail "bad ringsize rejected" \
		ip -n "$N" link add link lw name nm1 type napi_macvlan ringsize 3
}

test_add_forward_del()
{
	local rc=0 j

	setup_topo
	check_ok "router add" "$VRCTL" router add r1 netns "$C" link "$L1" link "$L2" \
		names eth0,eth1 mode bridge rate 100mbit burst 64k || rc=1
	if [ $rc -eq 0 ]; then
		check_eq "devices in C" 2 "$(nmv_count "$C")" || rc=1
		check_eq "nothing left in init ns" 0 "$(nmv_count "")" || rc=1
		ip -n "$C" addr add 10.1.0.1/24 dev eth0
		ip -n "$C" addr add 10.2.0.1/24 dev eth1
		ip netns exec "$C" sysctl -qw net.ipv4.ip_forward=1
		check_ok "forward P1 -> C -> P2" \
			nmv_ping "$P1" 10.2.0.2 3 || rc=1
		j=$("$VRCTL" -j stats netns "$C")
		check_eq "eth0 rx_direct and policer conform counted the pings" "True True" \
			"$(echo "$j" | json_get '[d for d in j if d["ifname"]=="eth0"][0]["xstats"]["rx_direct"] >= 3' \
				'[d for d in j if d["ifname"]=="eth0"][0]["ingress"]["conform_packets"] >= 3')" || rc=1
		check_ok "router del" "$VRCTL" router del r1 netns "$C" || rc=1
		check_eq "no device left in C" 0 "$(nmv_count "$C")" || rc=1
		check_eq "router show empty" "[]" "$("$VRCTL" -j router show netns "$C")" || rc=1
		check_fail "second del fails" "$VRCTL" router del r1 netns "$C" || rc=1
	fi
	cleanup_topo
	return $rc
}

# router show -j against ip -j link / ethtool
test_show_matches_kernel()
{
	local rc=0 s l

	setup_topo
	"$VRCTL" router add r2 netns "$C" link "$L1" link "$L2" mode private \
		ringsize 128 mac 02:00:00:00:01:01,02:00:00:00:01:02 spoofchk off \
		egress rate 50mbit burst 32k || rc=1
	if [ $rc -eq 0 ]; then
		s=$("$VRCTL" -j router show r2 netns "$C")
		echo "$s" | "$PY" -m json.tool >/dev/null || fail "show -j is not JSON: $s" || rc=1
		l=$(IP_LIB_DIR=$TOP/userspace ip -n "$C" -d -j link show)
		SHOW="$s" LINKS="$l" "$PY" - <<'PY' || rc=1
import json, os, sys
show = json.loads(os.environ["SHOW"])
links = {l["ifname"]: l for l in json.loads(os.environ["LINKS"])}
assert len(show) == 1 and show[0]["router"] == "r2", show
devs = show[0]["devices"]
assert [d["ifname"] for d in devs] == ["eth0", "eth1"], devs
for d, mac in zip(devs, ["02:00:00:00:01:01", "02:00:00:00:01:02"]):
    k = links[d["ifname"]]
    info = k["linkinfo"]["info_data"]
    checks = [("ifindex", d["ifindex"], k["ifindex"]),
              ("address", d["address"], k["address"]),
              ("address given", d["address"], mac),
              ("mtu", d["mtu"], k["mtu"]),
              ("ifalias", "vrctl:r2", k.get("ifalias")),
              ("up", d["up"], "UP" in k["flags"]),
              ("mode", d["mode"], info["mode"]),
              ("mode given", d["mode"], "private"),
              ("ringsize", d["ringsize"], info["ringsize"]),
              ("spoofchk", d["spoofchk"], info["spoofchk"]),
              ("maclock", d["maclock"], info["maclock"]),
              ("egress rate", d["egress"]["rate"], 50000000),
              ("ingress", d["ingress"], None)]
    for name, a, b in checks:
        if a != b:
            print("FAIL: %s %s: vrctl %r, kernel %r" % (d["ifname"], name, a, b))
            sys.exit(1)
PY
		check_eq "link name" "$L1" "$(echo "$s" | json_get 'j[0]["devices"][0]["link"]')" || rc=1
		# without a namespace, show finds the router in the container's
		"$VRCTL" router show | grep -q "^router r2 netns $C\$" ||
			fail "router show without netns: $("$VRCTL" router show)" || rc=1
		check_eq "driver" napi_macvlan \
			"$(ip netns exec "$C" ethtool -i eth0 | awk '/^driver:/ {print $2}')" || rc=1
		# the egress limit is the host's igtb profile (dir egress, rate,
		# action shape in igtb_nl.py's field order), not a qdisc in
		# the container
		check_eq "egress profile (igtb, from the host)" "1 50000000 2" \
			"$(python3 "$TOP/selftests/tools/igtb_nl.py" get dev eth0 \
				netns-fd "/run/netns/$C" dir egress |
				awk '{ for (i = 1; i < NF; i++) if ($i == "dir" || $i == "action" || $i == "rate") printf "%s ", $(i + 1) }' |
				sed 's/egress/1/; s/shape/2/; s/ $//')" || rc=1
		ip netns exec "$C" tc -j qdisc show dev eth0 | grep -q '"kind":"tbf"' &&
			fail "a tbf on eth0: the egress limit must not live in the container" && rc=1
	fi
	cleanup_topo
	return $rc
}

test_rate_set_show_del()
{
	local rc=0 j

	setup_topo
	"$VRCTL" router add r3 netns "$C" link "$L1" || rc=1
	if [ $rc -eq 0 ]; then
		check_eq "no profile yet" None \
			"$("$VRCTL" -j rate show dev eth0 netns "$C" | json_get 'j[0]["ingress"]')" || rc=1
		check_ok "rate set" "$VRCTL" rate set dev eth0 netns "$C" \
			rate 10mbit burst 32k pps 5000 pburst 64 || rc=1
		j=$("$VRCTL" -j rate show dev eth0 netns "$C")
		check_eq "rate burst pps pburst" "10000000 32768 5000 64" \
			"$(echo "$j" | json_get 'j[0]["ingress"]["rate"]' 'j[0]["ingress"]["burst"]' \
				'j[0]["ingress"]["pps"]' 'j[0]["ingress"]["pburst"]')" || rc=1
		check_ok "rate set 10mbps" "$VRCTL" rate set dev eth0 netns "$C" rate 10mbps || rc=1
		check_ok "egress set" "$VRCTL" rate set dev eth0 netns "$C" egress rate 1gbit burst 1m || rc=1
		check_eq "10mbps is bytes/s; egress rate" "80000000 1000000000" \
			"$("$VRCTL" -j rate show dev eth0 netns "$C" |
				json_get 'j[0]["ingress"]["rate"]' 'j[0]["egress"]["rate"]')" || rc=1
		check_eq "egress shapes by default, 50 ms" "shape 50000" \
			"$("$VRCTL" -j rate show dev eth0 netns "$C" |
				json_get 'j[0]["egress"]["action"]' 'j[0]["egress"]["latency_us"]')" || rc=1
		check_ok "egress police" "$VRCTL" rate set dev eth0 netns "$C" egress rate 2mbit burst 64k police || rc=1
		check_eq "egress police" "police 2000000" \
			"$("$VRCTL" -j rate show dev eth0 netns "$C" |
				json_get 'j[0]["egress"]["action"]' 'j[0]["egress"]["rate"]')" || rc=1
		check_ok "egress tbf (explicit)" "$VRCTL" rate set dev eth0 netns "$C" egress rate 3mbit burst 64k tbf || rc=1
		ip netns exec "$C" tc -j qdisc show dev eth0 | grep -q '"kind":"tbf"' ||
			fail "egress ... tbf set no tbf" || rc=1
		check_ok "egress profile back" "$VRCTL" rate set dev eth0 netns "$C" egress rate 1gbit burst 1m || rc=1
		ip netns exec "$C" tc -j qdisc show dev eth0 | grep -q '"kind":"tbf"' &&
			fail "the profile replaced the tbf but the tbf stayed" && rc=1
		check_ok "rate del" "$VRCTL" rate del dev eth0 netns "$C" || rc=1
		check_eq "ingress and egress gone" "None None" \
			"$("$VRCTL" -j rate show dev eth0 netns "$C" |
				json_get 'j[0]["ingress"]' 'j[0]["egress"]')" || rc=1
	fi
	cleanup_topo
	return $rc
}

# The kernel refuses a value: exit 2 and its extack message is shown.
test_kernel_refusal_exit2()
{
	local rc=0 out code

	setup_topo
	"$VRCTL" router add r4 netns "$C" link "$L1" || rc=1
	if [ $rc -eq 0 ]; then
		out=$("$VRCTL" rate set dev eth0 netns "$C" rate 1gbit burst 100 2>&1) && code=0 || code=$?
		echo "$out"
		check_eq "exit code" 2 "$code" || rc=1
		echo "$out" | grep -q "set ingress profile: .*: ." ||
			fail "no extack text: $out" || rc=1
	fi
	cleanup_topo
	return $rc
}

# A name clash in the container at the second device: all is undone.
test_rollback_on_failure()
{
	local rc=0 out code before

	setup_topo
	ip -n "$C" link add eth1 type dummy
	before=$(igtb_profiles)
	out=$("$VRCTL" router add r5 netns "$C" link "$L1" link "$L2" rate 10mbit \
		egress rate 10mbit burst 64k 2>&1) && code=0 || code=$?
	echo "$out"
	check_eq "exit code" 2 "$code" || rc=1
	echo "$out" | grep -q "create eth1 on $L2" || fail "step not named: $out" || rc=1
	check_eq "no napi_macvlan left in C" 0 "$(nmv_count "$C")" || rc=1
	check_eq "no napi_macvlan left in init ns" 0 "$(nmv_count "")" || rc=1
	check_eq "no profile left" "$before" "$(igtb_profiles)" || rc=1
	ip -n "$C" -d link show eth1 | grep -q dummy ||
		fail "pre-existing eth1 was removed or replaced" || rc=1
	check_eq "router not shown" "[]" "$("$VRCTL" -j router show netns "$C")" || rc=1
	cleanup_topo
	return $rc
}

# Malformed arguments: message, exit 1, and nothing created anywhere.
test_bad_arguments()
{
	local rc=0 out code args before_c before_i
	local -a cases

	setup_topo
	cases=(
		"router add"
		"router add r6"
		"router add r6 netns $C"
		"router add bad/name netns $C link $L1"
		"router add r6 netns $C link $L1 mode fast"
		"router add r6 netns $C link $L1 rate 10foo"
		"router add r6 netns $C link $L1 rate -5mbit"
		"router add r6 netns $C link $L1 rate 99999999999999999999999tbit"
		"router add r6 netns $C link $L1 burst 64k"
		"router add r6 netns $C link $L1 egress rate 1mbit"
		"router add r6 netns $C link $L1 ringsize 3"
		"router add r6 netns $C link $L1 link $L2 names eth0"
		"router add r6 netns $C link $L1 mac 01:00:00:00:00:01"
		"router add r6 netns $C link $L1 spoofchk maybe"
		"router add r6 netns $C link nosuchdev0"
		"router add r6 netns nosuchns$$ link $L1"
		"router add r6 netns $C pid 1 link $L1"
		"router add r6 netns $C link $L1 frobnicate 1"
		"router add r6 netns $C link $L1 rate"
		"rate set dev eth0 netns $C"
		"rate set netns $C rate 1mbit"
		"rate set dev eth0 netns $C rate 1.5bit"
		"stats bogus"
		"monitor count 0"
		"frob"
		"-x router show"
	)
	before_c=$(ip -n "$C" -o link | wc -l)
	before_i=$(ip -o link | wc -l)
	for args in "${cases[@]}"; do
		# shellcheck disable=SC2086
		out=$("$VRCTL" $args 2>&1 >/dev/null) && code=0 || code=$?
		if [ "$code" != 1 ] || [ -z "$out" ]; then
			fail "'vrctl $args': exit $code, message '$out'"
			rc=1
		fi
	done
	check_eq "links in C unchanged" "$before_c" "$(ip -n "$C" -o link | wc -l)" || rc=1
	check_eq "links in init ns unchanged" "$before_i" "$(ip -o link | wc -l)" || rc=1
	cleanup_topo
	return $rc
}

test_monitor()
{
	local rc=0 log

	require_igtb_config_group || return
	setup_topo
	"$VRCTL" router add r7 netns "$C" link "$L1" || rc=1
	if [ $rc -eq 0 ]; then
		log=$(mktemp)
		"$VRCTL" -j monitor count 1 >"$log" 2>"$log.err" &
		busywait 5000 grep -q monitoring "$log.err" || fail "monitor did not start" || rc=1
		"$VRCTL" rate set dev eth0 netns "$C" rate 20mbit || rc=1
		busywait 5000 grep -q '"event":"set"' "$log" || fail "no event: $(cat "$log" "$log.err")" || rc=1
		wait
		grep '"rate":20000000' "$log" >/dev/null || fail "event without the rate: $(cat "$log")" || rc=1
		rm -f "$log" "$log.err"
	fi
	cleanup_topo
	return $rc
}

ktap_plan 8
run_test "plugin: ip link options round-trip" test_plugin_roundtrip
run_test "router add, forward through it, router del" test_add_forward_del
run_test "router show -j matches ip -j link and ethtool" test_show_matches_kernel
run_test "rate set/show/del ingress and egress" test_rate_set_show_del
run_test "kernel refusal exits 2 with extack" test_kernel_refusal_exit2
run_test "failure mid-way rolls back everything" test_rollback_on_failure
run_test "malformed arguments exit 1 and change nothing" test_bad_arguments
run_test "monitor reports profile changes" test_monitor
ktap_finish
