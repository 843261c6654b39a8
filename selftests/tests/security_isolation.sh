#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tenant isolation.  A tenant is root in its own user namespace with its
# own network namespace (`unshare -Urn`), so it has CAP_NET_ADMIN over its
# namespace but not in the initial user namespace; the operator moves a
# napi_macvlan into it.  The tenant must not: read or change igtb profiles,
# change a locked MAC, lift the lock, spoof check or mode, escape them by
# stacking a device of its own on the lower, send frames with a foreign
# source MAC, or see another private tenant's unicast or broadcast.
. "$(dirname "$0")/../lib.sh"

IGTB_NL=$TOP/selftests/tools/igtb_nl.py
SENDFRAME=$TOP/selftests/tools/nmv_sendframe.py
RAWCOUNT=$TOP/selftests/fuzz/nmv_rawcount.py

P_MAC=02:00:00:00:0f:01		# the outside host on the lower's peer
A_MAC=02:00:00:00:0a:01
B_MAC=02:00:00:00:0b:01
SPOOF_MAC=02:00:00:00:00:99
BCAST=ff:ff:ff:ff:ff:ff

# SECURITY_SELFCHECK=1 inverts every case (the "tenant" acts as the
# operator, spoof check and MAC lock off, bridge instead of private mode):
# then every case must fail, which shows that each one can.  Since only the
# host may change limits, an "operator" inside the tenant's namespace is
# refused too, so the igtb, MAC lock and flag cases no longer invert here:
# security_hostonly.sh runs each of them inverted through the host path.
SELFCHECK=${SECURITY_SELFCHECK:-0}
inv()
{
	if [ "$SELFCHECK" = 1 ]; then echo "$2"; else echo "$1"; fi
}

_tenants=()
_stops=()

# tenant_start VAR: a process in a new user + network namespace (root in
# it, mapped to root outside); its pid goes to VAR
tenant_start()
{
	local pid own
	unshare -Urn sleep 600 </dev/null >/dev/null 2>&1 &
	pid=$!
	_tenants+=("$pid")
	own=$(readlink /proc/self/ns/net)
	busywait 5000 bash -c "[ \"\$(readlink /proc/$pid/ns/net)\" != '$own' ] &&
		[ \"\$(readlink /proc/$pid/ns/user)\" != \"\$(readlink /proc/self/ns/user)\" ]" ||
		fail "tenant namespace did not appear" || return
	printf -v "$1" '%s' "$pid"
}

tenant_cleanup()
{
	local pid
	for pid in "${_tenants[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	# listeners still running (a case that failed early)
	[ ${#_stops[@]} -eq 0 ] || touch "${_stops[@]}"
	_tenants=()
	_stops=()
_stops=()
}

# tenant PID CMD...: run CMD as the tenant (its user and network namespace)
tenant()
{
	local pid=$1
	shift
	if [ "$SELFCHECK" = 1 ]; then
		nsenter -t "$pid" -n "$@"
	else
		nsenter -t "$pid" -U -n "$@"
	fi
}

# admin_in PID CMD...: the operator (init user namespace root) acting in
# the tenant's network namespace
admin_in()
{
	local pid=$1
	shift
	nsenter -t "$pid" -n "$@"
}

# topo: namespace L holds the lower l0, namespace P the outside host on
# l0's veth peer (eth0, MAC $P_MAC)
topo()
{
	ns_create L P
	veth_create l0 "$L" eth0 "$P"
	ip -n "$P" link set eth0 address $P_MAC
}

need_plugin()
{
	nmv_have_plugin && return 0
	skip "userspace/link_napi_macvlan.so not built (make userspace)"
	return $KSFT_SKIP
}

# give_tenant PID NAME MAC [ip-link napi_macvlan OPTIONS...]: the operator
# makes NAME on l0 and moves it into the tenant's namespace, up
give_tenant()
{
	local pid=$1 name=$2 mac=$3
	shift 3
	nmv_ip -n "$L" link add link l0 name "$name" address "$mac" \
		type napi_macvlan "$@"
	ip -n "$L" link set "$name" netns "$pid"
	admin_in "$pid" ip link set lo up
	admin_in "$pid" ip link set "$name" up
}

# tenant_stat PID DEV NAME: one `ethtool -S` counter of DEV
tenant_stat()
{
	admin_in "$1" ethtool -S "$2" |
		awk -v k="$3:" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }'
}

# info PID DEV FIELD: a napi_macvlan attribute as the plugin shows it
info()
{
	admin_in "$1" env IP_LIB_DIR="$TOP/userspace" ip -d -j link show "$2" |
		jq -r ".[0].linkinfo.info_data.$3"
}

mac_of()
{
	admin_in "$1" ip -j link show "$2" | jq -r '.[0].address'
}

# listen VAR WHERE... -- IFNAME FILTERS...: start nmv_rawcount.py in the
# background (WHERE is a command prefix: "ip netns exec NS" or "admin_in
# PID") and wait until it receives; its output file goes to VAR
listen()
{
	local var=$1 out where=()
	shift
	while [ "$1" != "--" ]; do where+=("$1"); shift; done
	shift
	out=$(mktemp)
	_stops+=("$out.stop")
	"${where[@]}" python3 "$RAWCOUNT" "$1" 300 "${@:2}" stop="$out.stop" \
		>"$out" 2>&1 </dev/null &
	# python starts slowly under TCG
	busywait 60000 grep -q ready "$out" ||
		fail "listener did not start: $(cat "$out")" || return
	printf -v "$var" '%s' "$out"
}

# heard FILE: after the frames were sent, give them 2 s to arrive (the
# listener ends by itself once it has its want=N), stop the listener and
# print its count
heard()
{
	busywait 2000 grep -q '^count' "$1" || touch "$1.stop"
	busywait 60000 grep -q '^count' "$1" || {
		echo "listener: $(cat "$1")" >&2
		echo -1
		return
	}
	sed -n 's/^count //p' "$1"
	rm -f "$1" "$1.stop"
}

# --- igtb -----------------------------------------------------------------

test_igtb_eperm()
{
	local T rate err what

	topo
	tenant_start T
	trap tenant_cleanup EXIT
	give_tenant "$T" a0 $A_MAC
	check_ok "operator sets a profile in the tenant's namespace" \
		python3 "$IGTB_NL" set dev a0 netns-pid "$T" rate 10mbit
	rate=$(python3 "$IGTB_NL" get dev a0 netns-pid "$T" --field rate)
	[ -n "$rate" ] || fail "operator cannot read the profile back" || return

	for what in "get dev a0" "set dev a0 rate 1gbit" "del dev a0" "dump"; do
		# shellcheck disable=SC2086
		if err=$(tenant "$T" python3 "$IGTB_NL" $what 2>&1); then
			fail "tenant could run igtb '$what': $err"
			return 1
		fi
		echo "tenant igtb $what: $err"
		case $err in
		*"Operation not permitted"*) ;;
		*) fail "tenant igtb '$what' failed but not with EPERM: $err"
		   return 1 ;;
		esac
	done
	check_eq "profile after the tenant's attempts" "$rate" \
		"$(python3 "$IGTB_NL" get dev a0 netns-pid "$T" --field rate)"
}

# --- MAC lock, flags, mode ----------------------------------------------------

test_maclock_on()
{
	local T err

	need_plugin || return
	topo
	tenant_start T
	trap tenant_cleanup EXIT
	give_tenant "$T" a0 $A_MAC maclock on spoofchk on
	check_eq "maclock set by the operator" true "$(info "$T" a0 maclock)"
	if err=$(tenant "$T" ip link set a0 address 02:00:00:00:0a:02 2>&1); then
		fail "tenant changed its locked MAC"
		return 1
	fi
	echo "tenant: $err"
	case $err in
	*"Operation not permitted"*) ;;
	*) fail "MAC change refused but not with EPERM: $err"; return 1 ;;
	esac
	check_eq "MAC after the tenant's attempt" $A_MAC "$(mac_of "$T" a0)"
	# the lock is a permission check: the operator still may, from the
	# host (security_hostonly.sh: not from inside the namespace)
	check_ok "operator changes the locked MAC" \
		"$TOP/userspace/vrctl" link set dev a0 pid "$T" mac 02:00:00:00:0a:03
	check_eq "MAC after the operator's change" 02:00:00:00:0a:03 \
		"$(mac_of "$T" a0)"
}

test_maclock_off()
{
	local T

	need_plugin || return
	topo
	tenant_start T
	trap tenant_cleanup EXIT
	give_tenant "$T" a0 $A_MAC maclock "$(inv off on)" spoofchk on
	# (the self-check inverts the lock here, not the tenant)
	check_ok "tenant changes its unlocked MAC" \
		nsenter -t "$T" -U -n ip link set a0 address 02:00:00:00:0a:02
	check_eq "MAC after the tenant's change" 02:00:00:00:0a:02 \
		"$(mac_of "$T" a0)"
}

test_flags_locked()
{
	local T err opts

	need_plugin || return
	topo
	tenant_start T
	trap tenant_cleanup EXIT
	give_tenant "$T" a0 $A_MAC mode private maclock on spoofchk on
	for opts in "maclock off spoofchk on" "spoofchk off maclock on" \
		    "maclock off spoofchk off" "mode bridge" "mode vepa" \
		    "local direct"; do
		# shellcheck disable=SC2086
		if err=$(tenant "$T" env IP_LIB_DIR="$TOP/userspace" \
			 ip link set a0 type napi_macvlan $opts 2>&1); then
			fail "tenant could set '$opts'"
			return 1
		fi
		echo "tenant '$opts': $err"
		# iproute2 prints the extack message instead of strerror
		case $err in
		*"Operation not permitted"*) ;;
		*"needs the host: CAP_NET_ADMIN in the initial user namespace"*) ;;
		*) fail "'$opts' refused but not with EPERM: $err"; return 1 ;;
		esac
	done
	check_eq "mode after the tenant's attempts" private "$(info "$T" a0 mode)"
	check_eq "maclock after the tenant's attempts" true "$(info "$T" a0 maclock)"
	check_eq "spoofchk after the tenant's attempts" true "$(info "$T" a0 spoofchk)"
	# unchanged values are no change: the tenant may repeat them
	check_ok "tenant repeats its current settings" \
		tenant "$T" env IP_LIB_DIR="$TOP/userspace" \
		ip link set a0 type napi_macvlan mode private maclock on spoofchk on
}

# A new napi_macvlan whose link is the tenant's own napi_macvlan is stacked
# on the real lower (outside the tenant's namespace): made by the tenant,
# it would come with the mode, flags and MAC the tenant likes.
test_stack_escape()
{
	local T err

	topo
	tenant_start T
	trap tenant_cleanup EXIT
	give_tenant "$T" a0 $A_MAC mode private maclock on spoofchk on
	if err=$(tenant "$T" ip link add link a0 name x0 address $P_MAC \
		 type napi_macvlan 2>&1); then
		echo "tenant made x0: mode $(info "$T" x0 mode)" \
			"spoofchk $(info "$T" x0 spoofchk)" \
			"maclock $(info "$T" x0 maclock) MAC $(mac_of "$T" x0)"
		fail "tenant created a napi_macvlan on its device's lower"
		return 1
	fi
	echo "tenant: $err"
	check_fail "no x0 in the tenant's namespace" \
		admin_in "$T" ip link show x0 2>/dev/null
}

# --- spoof check ----------------------------------------------------------------

test_spoofchk()
{
	local T spoofed0 lst_spoof lst_own n

	need_plugin || return
	topo
	tenant_start T
	trap tenant_cleanup EXIT
	give_tenant "$T" a0 $A_MAC spoofchk "$(inv on off)" maclock on
	spoofed0=$(tenant_stat "$T" a0 tx_spoofed)
	listen lst_spoof ip netns exec "$P" -- eth0 src=$SPOOF_MAC type=0x88b5
	listen lst_own ip netns exec "$P" -- eth0 src=$A_MAC type=0x88b5 want=10
	check_ok "tenant sends 10 spoofed frames" \
		tenant "$T" python3 "$SENDFRAME" a0 $P_MAC $SPOOF_MAC 10
	check_ok "tenant sends 10 frames from its own MAC" \
		tenant "$T" python3 "$SENDFRAME" a0 $P_MAC $A_MAC 10
	check_eq "frames from its own MAC reach the outside host" 10 \
		"$(heard "$lst_own")"
	n=$(heard "$lst_spoof")
	check_eq "spoofed frames reaching the outside host" 0 "$n"
	check_eq "tx_spoofed counted the spoofed frames" $((spoofed0 + 10)) \
		"$(tenant_stat "$T" a0 tx_spoofed)"
}

# --- private mode ----------------------------------------------------------------

# two private tenants A and B on l0
private_topo()
{
	topo
	tenant_start A
	tenant_start B
	trap tenant_cleanup EXIT
	give_tenant "$A" a0 $A_MAC mode "$(inv private bridge)"
	give_tenant "$B" b0 $B_MAC mode "$(inv private bridge)"
}

test_private_unicast()
{
	local lst_b lst_p

	need_plugin || return
	private_topo
	# the listener on b0 works: the outside host reaches B
	listen lst_b admin_in "$B" -- b0 src=$P_MAC type=0x88b5 want=5
	check_ok "outside host sends to B" \
		ip netns exec "$P" python3 "$SENDFRAME" eth0 $B_MAC $P_MAC 5
	check_eq "B receives the outside host's unicast" 5 "$(heard "$lst_b")"

	listen lst_b admin_in "$B" -- b0 src=$A_MAC type=0x88b5
	listen lst_p ip netns exec "$P" -- eth0 src=$A_MAC type=0x88b5 want=10
	check_ok "tenant A sends 10 frames to B's MAC" \
		tenant "$A" python3 "$SENDFRAME" a0 $B_MAC $A_MAC 10
	check_eq "A's frames went to the lower, not to B" 10 "$(heard "$lst_p")"
	check_eq "B receives A's unicast" 0 "$(heard "$lst_b")"
}

test_private_broadcast()
{
	local lst_b lst_a lst_p

	need_plugin || return
	private_topo
	# the listeners work: an outside broadcast reaches both tenants
	listen lst_a admin_in "$A" -- a0 src=$P_MAC dst=$BCAST type=0x88b5 want=5
	listen lst_b admin_in "$B" -- b0 src=$P_MAC dst=$BCAST type=0x88b5 want=5
	check_ok "outside host broadcasts" \
		ip netns exec "$P" python3 "$SENDFRAME" eth0 $BCAST $P_MAC 5
	check_eq "A receives the outside broadcast" 5 "$(heard "$lst_a")"
	check_eq "B receives the outside broadcast" 5 "$(heard "$lst_b")"

	listen lst_b admin_in "$B" -- b0 src=$A_MAC dst=$BCAST
	listen lst_p ip netns exec "$P" -- eth0 src=$A_MAC dst=$BCAST type=0x88b5 want=10
	check_ok "tenant A broadcasts 10 frames" \
		tenant "$A" python3 "$SENDFRAME" a0 $BCAST $A_MAC 10
	check_eq "A's broadcast reaches the outside host" 10 "$(heard "$lst_p")"
	check_eq "B receives A's broadcast" 0 "$(heard "$lst_b")"
}

if ! unshare -Urn true 2>/dev/null; then
	ktap_plan 1
	run_test "tenant isolation" bash -c \
		'echo "SKIP: unshare -Urn does not work here (user namespaces off?)"; exit 4'
	ktap_finish
fi

ktap_plan 8
run_test "tenant cannot read or change igtb profiles (EPERM)" test_igtb_eperm
run_test "tenant cannot change its MAC under maclock" test_maclock_on
run_test "tenant can change its MAC without maclock" test_maclock_off
run_test "tenant cannot lift maclock, spoofchk or its mode" test_flags_locked
run_test "tenant cannot stack a napi_macvlan on its device's lower" test_stack_escape
run_test "spoofchk drops and counts frames with a foreign source MAC" test_spoofchk
run_test "private tenant receives no other tenant's unicast" test_private_unicast
run_test "private tenant sees no other tenant's broadcast" test_private_broadcast
ktap_finish
