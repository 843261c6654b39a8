#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Limits only the host changes.  Two tenants attack their own device: an
# unprivileged user-namespace root (`unshare -Urn`) and a rootful container
# (root in its own network namespace but in the initial user namespace,
# Docker's default capabilities plus NET_ADMIN: CAP_NET_ADMIN in the
# initial user namespace, no CAP_SYS_ADMIN).  Neither may set, delete or
# read the igtb profiles (ingress and egress; igtb_egress.sh shows that
# the egress one cannot be bypassed either), change a locked MAC (rtnetlink or SIOCSIFHWADDR),
# change the mode, lift maclock or spoofchk, or make a new device on the
# host's lower (stacked or by link-netnsid); the container may not get into
# the host's namespace either.  Every refusal is checked against the state,
# and every case is run inverted: the host does the same through its
# documented path (vrctl / igtb_nl.py from the host) and must succeed, so
# the case fails when the rule is too loose or too strict.
. "$(dirname "$0")/../lib.sh"

IGTB_NL=$TOP/selftests/tools/igtb_nl.py
VRCTL=$TOP/userspace/vrctl
A_MAC=02:00:00:00:0a:01
X_MAC=02:00:00:00:0a:99

_tenants=()
tenant_cleanup()
{
	local pid
	for pid in "${_tenants[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	_tenants=()
}

# topo ACTOR: lower l0 in namespace L (veth, peer in P); the host makes a0
# on it (private, maclock and spoofchk on) and gives it to the tenant.
# Sets NSPATH (the tenant's namespace file) and ACTOR for `tenant`.
topo()
{
	local pid own

	ACTOR=$1
	ns_create L P
	veth_create l0 "$L" eth0 "$P"
	if [ "$ACTOR" = userns ]; then
		unshare -Urn sleep 600 </dev/null >/dev/null 2>&1 &
		pid=$!
		_tenants+=("$pid")
		trap tenant_cleanup EXIT
		own=$(readlink /proc/self/ns/user)
		busywait 5000 bash -c "[ \"\$(readlink /proc/$pid/ns/user)\" != '$own' ]" ||
			fail "tenant namespace did not appear" || return
		NSPATH=/proc/$pid/ns/net
		TPID=$pid
	else
		ns_create C
		NSPATH=/run/netns/$C
	fi
	nmv_ip -n "$L" link add link l0 name a0 address $A_MAC \
		type napi_macvlan mode private maclock on spoofchk on
	ip -n "$L" link set a0 netns "$NSPATH"
	nsenter --net="$NSPATH" ip link set a0 up
	if [ "$ACTOR" = rootful ]; then
		# the actor is what it claims: NET_ADMIN (12), no SYS_ADMIN (21)
		local eff
		# shellcheck disable=SC2016
		eff=$(tenant awk '/^CapEff/ { print $2 }' /proc/self/status)
		check_eq "container has CAP_NET_ADMIN" 1 \
			$(((0x$eff >> 12) & 1)) || return
		check_eq "container lacks CAP_SYS_ADMIN" 0 \
			$(((0x$eff >> 21) & 1)) || return
	fi
}

# tenant CMD...: run CMD as the tenant
tenant()
{
	if [ "$ACTOR" = userns ]; then
		nsenter -t "$TPID" -U -n "$@"
	else
		nsenter --net="$NSPATH" setpriv --inh-caps -sys_admin \
			--bounding-set -sys_admin -- "$@"
	fi
}

# refused WHAT CMD...: CMD run by the tenant must fail with EPERM/EACCES
refused()
{
	local what=$1 err
	shift
	if err=$(tenant "$@" 2>&1); then
		fail "tenant ($ACTOR) could $what: $err"
		return 1
	fi
	echo "tenant ($ACTOR) $what: $err"
	case $err in
	*"Operation not permitted"*|*"Permission denied"*|*"host's"*|*"needs the host"*|*"lower device's network namespace"*) ;;
	*) fail "$what refused but not for lack of permission: $err"; return 1 ;;
	esac
}

# info FIELD: a0's napi_macvlan attribute, as the host reads it
info()
{
	nsenter --net="$NSPATH" env IP_LIB_DIR="$TOP/userspace" \
		ip -d -j link show a0 | jq -r ".[0].linkinfo.info_data.$1"
}

mac_of()
{
	nsenter --net="$NSPATH" ip -j link show "$1" | jq -r '.[0].address'
}

igtb_rate()
{
	python3 "$IGTB_NL" get dev a0 netns-fd "$NSPATH" --field rate \
		2>/dev/null || true
}

# SIOCSIFHWADDR on DEV with MAC, through the ioctl rather than rtnetlink
SIOCSIFHWADDR_PY='
import fcntl, socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
mac = bytes.fromhex(sys.argv[2].replace(":", ""))
fcntl.ioctl(s, 0x8924, struct.pack("16sH14s8x", sys.argv[1].encode(), 1, mac))
'

test_igtb()
{
	local rate dump

	topo "$1" || return
	check_ok "host sets a profile" \
		python3 "$IGTB_NL" set dev a0 netns-fd "$NSPATH" rate 10mbit
	rate=$(igtb_rate)
	[ -n "$rate" ] || fail "host cannot read the profile back" || return
	refused "igtb set" python3 "$IGTB_NL" set dev a0 rate 10gbit
	refused "igtb del" python3 "$IGTB_NL" del dev a0
	refused "igtb get" python3 "$IGTB_NL" get dev a0
	# a dump shows only what the requester may GET: nothing, or refused
	dump=$(tenant python3 "$IGTB_NL" dump 2>&1) || true
	echo "tenant ($1) igtb dump: $dump"
	case $dump in
	*a0*) fail "tenant's dump shows a0: $dump"; return 1 ;;
	esac
	check_eq "profile after the tenant's attempts" "$rate" "$(igtb_rate)"
	# inverted: the host may
	check_ok "host replaces the profile" \
		python3 "$IGTB_NL" set dev a0 netns-fd "$NSPATH" rate 20mbit
	check_eq "profile after the host's set" 20000000 "$(igtb_rate)"
	check_ok "host deletes the profile" \
		python3 "$IGTB_NL" del dev a0 netns-fd "$NSPATH"
	check_eq "profile after the host's del" "" "$(igtb_rate)"
}

egress_rate()
{
	python3 "$IGTB_NL" get dev a0 netns-fd "$NSPATH" dir egress \
		--field rate 2>/dev/null || true
}

# the egress profile (shaper) likewise: set, del and get with dir egress
test_igtb_egress()
{
	local rate

	topo "$1" || return
	check_ok "host sets an egress profile" \
		python3 "$IGTB_NL" set dev a0 netns-fd "$NSPATH" dir egress \
		rate 10mbit burst 15000
	rate=$(egress_rate)
	check_eq "host reads the egress profile" 10000000 "$rate" || return
	refused "igtb egress set" python3 "$IGTB_NL" set dev a0 dir egress rate 10gbit
	refused "igtb egress police" python3 "$IGTB_NL" set dev a0 dir egress rate 10gbit action drop
	refused "igtb egress del" python3 "$IGTB_NL" del dev a0 dir egress
	refused "igtb egress get" python3 "$IGTB_NL" get dev a0 dir egress
	check_eq "egress profile after the tenant's attempts" "$rate" "$(egress_rate)"
	# inverted: the host may
	check_ok "host replaces the egress profile" \
		python3 "$IGTB_NL" set dev a0 netns-fd "$NSPATH" dir egress \
		rate 20mbit burst 15000
	check_eq "egress profile after the host's set" 20000000 "$(egress_rate)"
	check_ok "host deletes the egress profile" \
		python3 "$IGTB_NL" del dev a0 netns-fd "$NSPATH" dir egress
	check_eq "egress profile after the host's del" "" "$(egress_rate)"
}

test_maclock()
{
	topo "$1" || return
	refused "change its locked MAC (rtnetlink)" \
		ip link set a0 address 02:00:00:00:0a:02
	refused "change its locked MAC (SIOCSIFHWADDR)" \
		python3 -c "$SIOCSIFHWADDR_PY" a0 02:00:00:00:0a:02
	check_eq "MAC after the tenant's attempts" $A_MAC "$(mac_of a0)"
	# inverted: the host changes the locked MAC with vrctl
	check_ok "host changes the locked MAC" \
		"$VRCTL" link set dev a0 path "$NSPATH" mac 02:00:00:00:0a:03
	check_eq "MAC after the host's change" 02:00:00:00:0a:03 "$(mac_of a0)"
}

test_flags()
{
	local opts

	topo "$1" || return
	for opts in "mode bridge" "mode vepa" "maclock off" "spoofchk off" \
		    "maclock off spoofchk off"; do
		# shellcheck disable=SC2086
		refused "set '$opts'" env IP_LIB_DIR="$TOP/userspace" \
			ip link set a0 type napi_macvlan $opts
	done
	check_eq "mode after the tenant's attempts" private "$(info mode)"
	check_eq "maclock after the tenant's attempts" true "$(info maclock)"
	check_eq "spoofchk after the tenant's attempts" true "$(info spoofchk)"
	# inverted: the host, from the initial namespace...
	check_ok "host lifts the flags and changes the mode" \
		"$VRCTL" link set dev a0 path "$NSPATH" mode bridge maclock off \
		spoofchk off
	check_eq "mode after the host's change" bridge "$(info mode)"
	check_eq "maclock after the host's change" false "$(info maclock)"
	check_eq "spoofchk after the host's change" false "$(info spoofchk)"
	# ...and from the lower's namespace
	check_ok "host (lower's namespace) sets the mode and maclock" \
		ip netns exec "$L" "$VRCTL" link set dev a0 path "$NSPATH" \
		mode vepa maclock on
	check_eq "mode after the change from the lower's namespace" vepa \
		"$(info mode)"
	check_eq "maclock after the change from the lower's namespace" true \
		"$(info maclock)"
}

# the tenant makes a second device on the host's lower: stacked on its own,
# or (after deleting its own) naming the lower by link-netnsid
test_newlink()
{
	local id hid n0 idx

	topo "$1" || return
	# the lower's ifindex, which the tenant sees as its device's link;
	# `link ifN` passes it to the kernel without a lookup by name
	idx=$(ip -n "$L" -j link show l0 | jq -r '.[0].ifindex')
	n0=$(ip -n "$L" -o link show type napi_macvlan | wc -l)
	refused "stack a napi_macvlan on its device" \
		ip link add link a0 name x1 address $X_MAC type napi_macvlan
	id=$(tenant ip -j link show a0 | jq -r '.[0].link_netnsid')
	echo "the tenant sees its lower at link-netnsid $id"
	[ "$id" != null ] || fail "tenant sees no link-netnsid" || return
	check_ok "tenant deletes its own device" tenant ip link del a0
	refused "make a device on the host's lower by link-netnsid" \
		ip link add link "if$idx" link-netnsid "$id" name x0 \
		address $X_MAC type napi_macvlan
	check_fail "no x0 in the tenant's namespace" \
		nsenter --net="$NSPATH" ip link show x0 2>/dev/null
	check_fail "no x1 in the tenant's namespace" \
		nsenter --net="$NSPATH" ip link show x1 2>/dev/null
	check_eq "napi_macvlan devices in the lower's namespace" "$n0" \
		"$(ip -n "$L" -o link show type napi_macvlan | wc -l)"
	# inverted: the host, from the initial namespace, names the same
	# lower by its link-netnsid and gets the device
	ip netns set "$L" auto 2>/dev/null ||
		ip netns set "$L" $((RANDOM % 1000 + 1000)) 2>/dev/null || true
	hid=$(ip -j netns list-id | jq -r --arg n "$L" '.[] | select(.name == $n) | .nsid')
	[ -n "$hid" ] || fail "no nsid for $L in the initial namespace" || return
	check_ok "host makes a device on the lower by link-netnsid" \
		ip link add link "if$idx" link-netnsid "$hid" name x0 address $X_MAC \
		type napi_macvlan
	check_eq "x0's MAC" $X_MAC "$(mac_of_host x0)"
	ip link del x0
}

mac_of_host()
{
	ip -j link show "$1" | jq -r '.[0].address'
}

# the rootful container tries to become the host: into the initial network
# namespace, a new one, or a user namespace of its own
test_escape()
{
	topo rootful || return
	refused "enter the host's network namespace" \
		nsenter --net=/proc/1/ns/net true
	refused "unshare a network namespace" unshare -n true
	# a user namespace of its own costs it the initial one's capabilities
	if tenant unshare -Ur true 2>/dev/null; then
		refused "change its mode from a user namespace" \
			unshare -Ur env IP_LIB_DIR="$TOP/userspace" \
			ip link set a0 type napi_macvlan mode bridge
		refused "change its MAC from a user namespace" \
			unshare -Ur ip link set a0 address 02:00:00:00:0a:02
	else
		echo "unshare -U not permitted here; that way is closed too"
	fi
	check_eq "mode after the attempts" private "$(info mode)"
	check_eq "MAC after the attempts" $A_MAC "$(mac_of a0)"
	# inverted: with CAP_SYS_ADMIN (--privileged: host root, out of
	# scope) the container enters the host's namespace and may
	check_ok "a privileged container acts from the host's namespace" \
		nsenter --net="$NSPATH" nsenter --net=/proc/1/ns/net \
		"$VRCTL" link set dev a0 path "$NSPATH" mode bridge
	check_eq "mode after the privileged container's change" bridge \
		"$(info mode)"
}

if ! nmv_have_plugin || [ ! -x "$VRCTL" ]; then
	ktap_plan 1
	run_test "host-only limits" bash -c \
		'echo "SKIP: userspace not built (make userspace)"; exit 4'
	ktap_finish
fi
for c in setpriv unshare nsenter jq; do
	require_cmd "$c" >/dev/null || {
		ktap_plan 1
		run_test "host-only limits" bash -c "echo 'SKIP: $c missing'; exit 4"
		ktap_finish
	}
done
actors=(rootful)
unshare -Urn true 2>/dev/null && actors+=(userns)

ktap_plan $((5 * ${#actors[@]} + 1))
for a in "${actors[@]}"; do
	run_test "$a: igtb profile is the host's (set, del, get, dump)" test_igtb "$a"
	run_test "$a: igtb egress profile is the host's (set, del, get)" test_igtb_egress "$a"
	run_test "$a: locked MAC is the host's (rtnetlink, ioctl)" test_maclock "$a"
	run_test "$a: mode, maclock, spoofchk are the host's" test_flags "$a"
	run_test "$a: no new device on the host's lower" test_newlink "$a"
done
run_test "rootful: container cannot become the host (setns, unshare)" test_escape
ktap_finish
