#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vrctl for operators: `stats`, `rate show` and `router show` list every
# napi_macvlan device of every namespace, whoever made it: the CNI plugin
# (owner cni:CONTAINERID, in a namespace under /run/netns as podman keeps
# them), `ip link` by hand (in a namespace only a process holds), and vrctl
# itself.  Errors name the system call that failed.  Needs igtb.ko and
# napi_macvlan.ko loaded (selftests/run.sh does that).

. "$(dirname "$0")/../lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
PLUGIN=$TOP/userspace/napi-macvlan
HOLDER=

# json_get EXPR...: evaluate python expressions on stdin's JSON (as "j")
json_get()
{
	"$PY" -c 'import json, sys
j = json.load(sys.stdin)
print(" ".join(str(eval(e)) for e in sys.argv[1:]))' "$@"
}

# The lower L (a veth end in the init namespace, its peer in P); C1, a
# container namespace under /run/netns where the CNI plugin puts eth0 (with
# an ingress profile) for container id $CID; a namespace held only by the
# process $HOLDER (no name anywhere) where hand0 is moved, made with
# `ip link` by hand; and R, where vrctl makes router $RT.
setup()
{
	ns_create P C1 R
	L=${PREFIX}l
	CID=ctr$RANDOM
	RT=rt$RANDOM
	veth_create "$L" "" p "$P"
	printf '{"cniVersion":"1.0.0","name":"lst","type":"napi-macvlan","master":"%s","ingress":{"rate":"10mbit","burst":"64k"}}' "$L" |
		env -i PATH="$PATH" CNI_COMMAND=ADD CNI_CONTAINERID="$CID" \
			CNI_NETNS="/run/netns/$C1" CNI_IFNAME=eth0 \
			CNI_PATH=/nonexistent "$PLUGIN" >/dev/null || return 1
	unshare -n sleep 600 &
	HOLDER=$!
	busywait 5000 holder_unshared || return 1
	ip link add link "$L" name hand0 type napi_macvlan || return 1
	ip link set hand0 netns "$HOLDER" || return 1
	"$VRCTL" router add "$RT" netns "$R" link "$L" names vr0 || return 1
}

# the holder has left our namespace (unshare ran before sleep)
holder_unshared()
{
	[ "$(readlink "/proc/$HOLDER/ns/net")" != "$(readlink /proc/self/ns/net)" ]
}

cleanup()
{
	[ -z "$HOLDER" ] || kill "$HOLDER" 2>/dev/null || true
	wait 2>/dev/null || true
	ip link del "$L" 2>/dev/null || true
}

# vrctl -j stats / rate show / router show from no namespace at all show
# the CNI device with its owner and profile and the hand-made one
test_every_device_listed()
{
	local rc=0 stats rate show

	setup || { cleanup; return 1; }
	"$VRCTL" rate set dev hand0 pid "$HOLDER" rate 5mbit burst 32k || rc=1
	stats=$("$VRCTL" -j stats) || rc=1
	rate=$("$VRCTL" -j rate show) || rc=1
	show=$("$VRCTL" -j router show) || rc=1
	STATS="$stats" RATE="$rate" SHOW="$show" C1="$C1" R="$R" CID="$CID" \
		RT="$RT" HOLDER="$HOLDER" "$PY" - <<'PY' || rc=1
import json, os, sys
e = os.environ
stats, rate, show = (json.loads(e[k]) for k in ("STATS", "RATE", "SHOW"))
cni, hand = "cni:" + e["CID"], "pid:" + e["HOLDER"]
bad = []

def one(rows, what, netns, ifname):
    m = [r for r in rows if r["netns"] == netns and r["ifname"] == ifname]
    if len(m) != 1:
        bad.append("%s: %d rows for %s in %s" % (what, len(m), ifname, netns))
        return None
    return m[0]

def expect(what, got, want):
    if got != want:
        bad.append("%s: %r, expected %r" % (what, got, want))

s = one(stats, "stats", e["C1"], "eth0")
if s:
    expect("stats owner of the CNI device", s["owner"], cni)
    expect("stats router of the CNI device", s["router"], None)
    expect("stats ingress of the CNI device", s["ingress"] is not None, True)
s = one(stats, "stats", hand, "hand0")
if s:
    expect("stats owner of hand0", s["owner"], None)
    expect("stats rx_policed of hand0", s["xstats"]["rx_policed"], 0)
s = one(stats, "stats", e["R"], "vr0")
if s:
    expect("stats owner of vr0", s["owner"], "vrctl:" + e["RT"])
r = one(rate, "rate show", e["C1"], "eth0")
if r:
    expect("rate show owner of the CNI device", r["owner"], cni)
    expect("rate show CNI profile", (r["ingress"] or {}).get("rate"), 10000000)
r = one(rate, "rate show", hand, "hand0")
if r:
    expect("rate show owner of hand0", r["owner"], None)
    expect("rate show hand0 profile", (r["ingress"] or {}).get("rate"), 5000000)
    expect("rate show hand0 egress", r["egress"], None)
groups = {(g["netns"], g["owner"]): g for g in show}
g = groups.get((e["C1"], cni))
if not g:
    bad.append("router show: no group for %s in %s: %s" % (cni, e["C1"], show))
else:
    expect("router show CNI group router", g["router"], None)
    expect("router show CNI devices", [d["ifname"] for d in g["devices"]], ["eth0"])
    expect("router show CNI profile", g["devices"][0]["ingress"]["rate"], 10000000)
g = groups.get((hand, None))
if not g:
    bad.append("router show: no group for hand0's namespace %s: %s" % (hand, show))
else:
    expect("router show hand0", [d["ifname"] for d in g["devices"]], ["hand0"])
g = groups.get((e["R"], "vrctl:" + e["RT"]))
if not g:
    bad.append("router show: no group for router %s" % e["RT"])
else:
    expect("router show router name", g["router"], e["RT"])
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
	cleanup
	return $rc
}

# the text forms say the same
test_text_forms()
{
	local rc=0 out

	setup || { cleanup; return 1; }
	out=$("$VRCTL" stats)
	echo "$out" | grep -q "eth0 (netns $C1, owner cni:$CID)" ||
		fail "stats: no CNI eth0: $out" || rc=1
	echo "$out" | grep -q "hand0 (netns pid:$HOLDER, owner none)" ||
		fail "stats: no hand0: $out" || rc=1
	out=$("$VRCTL" rate show)
	echo "$out" | grep -A1 "^eth0 (netns $C1, owner cni:$CID)" |
		grep -q "ingress rate 10Mbit" ||
		fail "rate show: no CNI eth0 with its profile: $out" || rc=1
	echo "$out" | grep -q "^hand0 (netns pid:$HOLDER, owner none)" ||
		fail "rate show: no hand0: $out" || rc=1
	out=$("$VRCTL" router show)
	echo "$out" | grep -A1 "^owner cni:$CID netns $C1\$" | grep -q ": eth0@$L:" ||
		fail "router show: no CNI group: $out" || rc=1
	echo "$out" | grep -A1 "^owner none netns pid:$HOLDER\$" | grep -q ": hand0@" ||
		fail "router show: no hand0: $out" || rc=1
	echo "$out" | grep -q "^router $RT netns $R\$" ||
		fail "router show: no router $RT: $out" || rc=1
	cleanup
	return $rc
}

# the per-device and per-namespace forms still show just what they name;
# a router name still selects only vrctl's router
test_per_device_forms()
{
	local rc=0

	setup || { cleanup; return 1; }
	check_eq "rate show dev eth0 netns C1" "1 eth0 cni:$CID 10000000" \
		"$("$VRCTL" -j rate show dev eth0 netns "$C1" |
			json_get 'len(j)' 'j[0]["ifname"]' 'j[0]["owner"]' \
				'j[0]["ingress"]["rate"]')" || rc=1
	check_eq "rate show netns C1" "1 eth0" \
		"$("$VRCTL" -j rate show netns "$C1" | json_get 'len(j)' 'j[0]["ifname"]')" || rc=1
	check_eq "stats pid HOLDER" "1 hand0" \
		"$("$VRCTL" -j stats pid "$HOLDER" | json_get 'len(j)' 'j[0]["ifname"]')" || rc=1
	check_eq "stats dev hand0 (every namespace)" "1 pid:$HOLDER" \
		"$("$VRCTL" -j stats dev hand0 | json_get 'len(j)' 'j[0]["netns"]')" || rc=1
	check_eq "router show NAME" "1 $RT vr0" \
		"$("$VRCTL" -j router show "$RT" | json_get 'len(j)' 'j[0]["router"]' \
			'j[0]["devices"][0]["ifname"]')" || rc=1
	check_fail "router del of a CNI container id" "$VRCTL" router del "$CID" || rc=1
	check_eq "the CNI device is still there" 1 \
		"$(ip -n "$C1" -o link show type napi_macvlan | wc -l)" || rc=1
	cleanup
	return $rc
}

# A file under /run/netns that is not a namespace (left by a crash) is
# skipped when listing, and refused when named
test_stale_netns_file()
{
	local rc=0 stale out code

	setup || { cleanup; return 1; }
	stale=${PREFIX}-stale
	touch "/run/netns/$stale"
	out=$("$VRCTL" -j stats 2>&1) && code=0 || code=$?
	check_eq "stats exit with a stale file" 0 "$code" || rc=1
	echo "$out" | grep -q '"ifname":"eth0"' || fail "eth0 not listed: $out" || rc=1
	out=$("$VRCTL" stats netns "$stale" 2>&1) && code=0 || code=$?
	check_eq "stats netns STALE exit" 1 "$code" || rc=1
	echo "$out" | grep -q "not a network namespace" ||
		fail "message: $out" || rc=1
	rm -f "/run/netns/$stale"
	cleanup
	return $rc
}

# In a user namespace (a container's root), setns() into another network
# namespace is refused: the message says setns, not "socket"; listing
# still shows our own namespace and reports the ones it cannot enter.
test_setns_named()
{
	local rc=0 out code

	require_cmd unshare || return
	setup || { cleanup; return 1; }
	out=$(unshare -Ur "$VRCTL" rate del dev eth0 netns "$C1" 2>&1) && code=0 || code=$?
	echo "$out"
	check_eq "exit code" 2 "$code" || rc=1
	echo "$out" | grep -q "netns $C1: setns: Operation not permitted" ||
		fail "setns not named: $out" || rc=1
	echo "$out" | grep -q "socket" && { fail "blames a socket: $out"; rc=1; }
	out=$(unshare -Ur "$VRCTL" -j stats 2>/dev/null) && code=0 || code=$?
	check_eq "listing in a user namespace: incomplete, exit 2" 2 "$code" || rc=1
	check_eq "listing in a user namespace: valid JSON of our namespace" "True" \
		"$(echo "$out" | json_get 'all(d["netns"] == "(self)" for d in j)')" || rc=1
	out=$(unshare -Ur "$VRCTL" stats 2>&1 >/dev/null) || true
	echo "$out" | grep -q "netns $C1: setns: Operation not permitted" ||
		fail "listing: the namespace not entered is not reported: $out" || rc=1
	cleanup
	return $rc
}

ktap_plan 5
run_test "stats, rate show, router show -j list CNI, hand-made and vrctl devices" test_every_device_listed
run_test "text forms list them with their owners" test_text_forms
run_test "per-device and per-namespace forms unchanged" test_per_device_forms
run_test "a stale /run/netns file is skipped when listing" test_stale_netns_file
run_test "in a user namespace the error names setns" test_setns_named
ktap_finish
