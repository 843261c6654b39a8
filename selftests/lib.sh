# SPDX-License-Identifier: GPL-2.0
# Test library for napi_macvlan / igtb / vrctl selftests.
#
# A test program sources this file, defines one shell function per test
# case, and runs them with run_test; it prints KTAP on stdout:
#
#	. "$(dirname "$0")/../lib.sh"
#	test_ping() { ...; check_ok "ping" ip netns exec "$NS1" ping -c1 -W2 10.0.0.2; }
#	ktap_plan 1
#	run_test "ping between namespaces" test_ping
#	ktap_finish
#
# A test case function returns 0 for pass, $KSFT_SKIP (4) for skip (after
# printing the reason with skip "why"), anything else for fail.  It runs in a
# subshell with errexit and its output is indented as KTAP diagnostics.
# Namespaces made with ns_create are deleted after each case.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

: "${TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
VRCTL=${VRCTL:-$TOP/userspace/vrctl}
# where igtb/igtb.ko and napi_macvlan/napi_macvlan.ko are (make check-debug
# builds them for the debug kernel outside the tree)
KO_DIR=${NMV_KO_DIR:-$TOP}
PREFIX=${PREFIX:-t$$}

_ktap_n=0
_ktap_pass=0
_ktap_fail=0
_ktap_skip=0
_ktap_planned=0
_ns_list=()

echo "TAP version 13"

ktap_plan()
{
	_ktap_planned=$1
	echo "1..$1"
}

ktap_print()
{
	echo "# $*"
}

ktap_result()
{
	local status=$1 name=$2 reason=$3

	_ktap_n=$((_ktap_n + 1))
	case $status in
	pass)
		_ktap_pass=$((_ktap_pass + 1))
		echo "ok $_ktap_n $name"
		;;
	skip)
		_ktap_skip=$((_ktap_skip + 1))
		echo "ok $_ktap_n $name # SKIP ${reason:-no reason given}"
		;;
	*)
		_ktap_fail=$((_ktap_fail + 1))
		echo "not ok $_ktap_n $name${reason:+ # $reason}"
		;;
	esac
}

# ktap_finish: print the totals and exit non-zero if anything failed or the
# plan does not match what ran.
ktap_finish()
{
	echo "# Totals: pass:$_ktap_pass fail:$_ktap_fail skip:$_ktap_skip"
	if [ "$_ktap_planned" -ne "$_ktap_n" ]; then
		echo "# planned $_ktap_planned tests but ran $_ktap_n"
		exit $KSFT_FAIL
	fi
	[ "$_ktap_fail" -eq 0 ] || exit $KSFT_FAIL
	exit $KSFT_PASS
}

# skip REASON: print the reason of a skip; the case then returns $KSFT_SKIP.
skip()
{
	echo "SKIP: $*"
}

# fail MESSAGE: print why a case fails and return 1 (use: fail "x" || return).
fail()
{
	echo "FAIL: $*"
	return 1
}

# run_test NAME FUNCTION [ARGS...]: run one case in a subshell with errexit,
# indent its output, record ok / not ok / skip, clean its namespaces.
# NMV_ONLY=REGEX (extended) runs only the cases whose name matches it; the
# others are reported skipped.
run_test()
{
	local name=$1 rc out reason
	shift

	if [ -n "${NMV_ONLY:-}" ] && ! [[ $name =~ $NMV_ONLY ]]; then
		ktap_result skip "$name" "not selected by NMV_ONLY"
		return 0
	fi

	out=$(
		set -eE
		# status 4 is a skip's (after skip()) or a failure's: run_test
		# tells them apart by the SKIP line
		trap 'e=$?; [ "$e" = "$KSFT_SKIP" ] && s=EXIT4 || s=FAIL
			echo "$s: line $LINENO: $BASH_COMMAND (exit $e)"' ERR
		"$@" 2>&1
	)
	rc=$?
	ns_cleanup_all
	# a skip is status 4 after skip(); status 4 without it is a command
	# that failed with 4 under errexit: a failure
	reason=$(printf '%s\n' "$out" | sed -n 's/^SKIP: //p' | tail -n1)
	if [ "$rc" = "$KSFT_SKIP" ] && [ -z "$reason" ]; then
		rc=1
		out=$(printf '%s\n' "$out" | sed 's/^EXIT4: /FAIL: /')
	else
		out=$(printf '%s\n' "$out" | sed '/^EXIT4: /d')
	fi
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
	case $rc in
	0)
		ktap_result pass "$name"
		;;
	"$KSFT_SKIP")
		ktap_result skip "$name" "$reason"
		;;
	*)
		reason=$(printf '%s\n' "$out" | sed -n 's/^FAIL: //p' | tail -n1)
		ktap_result fail "$name" "${reason:-exit $rc}"
		;;
	esac
	return 0
}

# --- conditions ----------------------------------------------------------

# check_ok DESCRIPTION CMD...: run CMD, fail the case with DESCRIPTION if it
# does not succeed.
check_ok()
{
	local what=$1
	shift
	"$@" || fail "$what: '$*' failed"
}

# check_fail DESCRIPTION CMD...: CMD must fail.
check_fail()
{
	local what=$1
	shift
	if "$@"; then
		fail "$what: '$*' succeeded but must fail"
		return 1
	fi
	return 0
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq()
{
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# check_range DESCRIPTION LOW HIGH VALUE: LOW <= VALUE <= HIGH (integers)
check_range()
{
	if [ "$4" -lt "$2" ] || [ "$4" -gt "$3" ]; then
		fail "$1: $4 not within [$2, $3]"
		return 1
	fi
}

# busywait TIMEOUT_MS CMD...: run CMD until it succeeds or TIMEOUT_MS passes,
# BUSYWAIT_INTERVAL seconds apart (0.05; more for a CMD that costs much).
busywait()
{
	local timeout=$1 start now
	shift

	start=$(date +%s%3N)
	while true; do
		"$@" && return 0
		now=$(date +%s%3N)
		[ $((now - start)) -gt "$timeout" ] && return 1
		sleep "${BUSYWAIT_INTERVAL:-0.05}"
	done
}

# until_counter_ge VALUE CMD...: CMD prints a number >= VALUE
until_counter_ge()
{
	local want=$1 v
	shift
	v=$("$@") || return 1
	[ "${v:-0}" -ge "$want" ]
}

# wait_counter_ge TIMEOUT_MS VALUE CMD...
wait_counter_ge()
{
	local timeout=$1 want=$2
	shift 2
	busywait "$timeout" until_counter_ge "$want" "$@"
}

# --- namespaces and links ------------------------------------------------

# ns_create VAR...: make a namespace per VAR with a unique name, bring up
# its loopback, store the name in VAR; all are removed after the case.
ns_create()
{
	local var name
	for var in "$@"; do
		name="${PREFIX}-${var,,}-$RANDOM"
		ip netns add "$name" || return 1
		ip -n "$name" link set lo up
		_ns_list+=("$name")
		printf -v "$var" '%s' "$name"
	done
}

ns_cleanup_all()
{
	local ns
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		case $ns in "$PREFIX"-*) ip netns del "$ns" 2>/dev/null ;; esac
	done
	_ns_list=()
}

# veth_create A NS_A B NS_B: a veth pair, A in NS_A and B in NS_B (an empty
# NS means the current namespace), both up.
veth_create()
{
	local a=$1 nsa=$2 b=$3 nsb=$4
	ip link add "$a" type veth peer name "$b" || return 1
	if [ -n "$nsa" ]; then ip link set "$a" netns "$nsa"; fi
	if [ -n "$nsb" ]; then ip link set "$b" netns "$nsb"; fi
	ip ${nsa:+-n "$nsa"} link set "$a" up
	ip ${nsb:+-n "$nsb"} link set "$b" up
}

# nsrun NS CMD...: run CMD in NS (the current one when NS is empty)
nsrun()
{
	local ns=$1
	shift
	if [ -n "$ns" ]; then
		ip netns exec "$ns" "$@"
	else
		"$@"
	fi
}

# ethtool_stat [NS] DEV NAME: print one `ethtool -S` counter (0 if absent)
ethtool_stat()
{
	local ns=
	[ $# -eq 3 ] && { ns=$1; shift; }
	nsrun "$ns" ethtool -S "$1" 2>/dev/null |
		awk -v k="$2:" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }'
}

# link_stat [NS] DEV FIELD: one field of /sys/class/net/DEV/statistics
link_stat()
{
	local ns=
	[ $# -eq 3 ] && { ns=$1; shift; }
	nsrun "$ns" cat "/sys/class/net/$1/statistics/$2"
}

# wait_ipv6_dad NS DEV: wait until DEV has no tentative IPv6 address
wait_ipv6_dad()
{
	busywait 5000 _no_tentative "$1" "$2"
}

_no_tentative()
{
	! nsrun "$1" ip -6 addr show dev "$2" | grep -q tentative
}

# require_module NAME: modprobe a kernel module or skip the case
require_module()
{
	modprobe "$1" 2>/dev/null || {
		skip "kernel module $1 not available"
		return $KSFT_SKIP
	}
}

# require_igtb_config_group: skip the case on a kernel where igtb offers no
# notification group (no GENL_MCAST_CAP_NET_ADMIN: napi_macvlan_compat.h)
require_igtb_config_group()
{
	python3 "$TOP/selftests/tools/igtb_nl.py" groups | grep -qx config || {
		skip "igtb has no config group: this kernel lacks GENL_MCAST_CAP_NET_ADMIN"
		return $KSFT_SKIP
	}
}

# require_cmd NAME: skip the case when a command is missing
require_cmd()
{
	command -v "$1" >/dev/null 2>&1 || {
		skip "command $1 not installed"
		return $KSFT_SKIP
	}
}

# in_vm: true inside the selftest VM (modules can be loaded there)
in_vm()
{
	[ -e /run/napi-vm ]
}

# kernel_ge MAJOR MINOR: true when the running kernel is MAJOR.MINOR or newer
kernel_ge()
{
	local v maj min

	v=$(uname -r)
	maj=${v%%.*}
	v=${v#*.}
	min=${v%%[!0-9]*}
	[ "$maj" -gt "$1" ] || { [ "$maj" -eq "$1" ] && [ "$min" -ge "$2" ]; }
}

# --- traffic ---------------------------------------------------------------

# pktgen_thread_empty THREAD: pktgen thread THREAD holds no device
pktgen_thread_empty()
{
	awk '/^(Running|Stopped):/ { if (NF > 1) busy = 1 } END { exit busy }' \
		"/proc/net/pktgen/$1"
}

# pktgen_setup DEV DST_IP DST_MAC COUNT SIZE [RATE_PPS [COMMAND...]]:
# configure pktgen on kpktgend_0 to send COUNT packets of SIZE bytes out of
# DEV (current namespace; pktgen only works in the initial one), RATE_PPS 0
# for as fast as it can; each COMMAND ("xmit_mode netif_receive", "burst
# 64") is written after the defaults.  pktgen_run starts it and returns
# when done.
pktgen_setup()
{
	local dev=$1 dst=$2 mac=$3 count=$4 size=$5 rate=${6:-0}
	local pg=/proc/net/pktgen cmd

	shift $(($# < 6 ? $# : 6))

	modprobe pktgen || return 1
	# pktgen's thread removes them later (T_REMDEVALL): wait until it has,
	# or it may also remove the device added next.  Asked only when there
	# is something to remove, so no request is left pending.
	if ! pktgen_thread_empty kpktgend_0; then
		echo "rem_device_all" > $pg/kpktgend_0
		busywait 20000 pktgen_thread_empty kpktgend_0 || {
			echo "# pktgen: kpktgend_0 still has devices after rem_device_all" >&2
			return 1
		}
	fi
	echo "add_device $dev" > $pg/kpktgend_0
	{
		echo "count $count"
		echo "pkt_size $size"
		echo "delay 0"
		echo "dst $dst"
		echo "dst_mac $mac"
		echo "clone_skb 0"
		echo "burst 1"
		[ "$rate" -gt 0 ] && echo "ratep $rate"
		for cmd in "$@"; do echo "$cmd"; done
	} | while read -r line; do echo "$line" > "$pg/$dev"; done
}

pktgen_run()
{
	echo start > /proc/net/pktgen/pgctrl
}

pktgen_stop()
{
	echo stop > /proc/net/pktgen/pgctrl 2>/dev/null || true
}

# pktgen_field DEV FIELD: pktgen's "pkts-sofar" or "errors" of DEV
pktgen_field()
{
	sed -n "s/.*$2: *\([0-9]*\).*/\1/p" "/proc/net/pktgen/$1" | head -n1
}

# --- napi_macvlan helpers (area: napi_macvlan) -----------------------------

# NMV_BC_QUEUE: the port's broadcast queue (NAPI_MACVLAN_BC_QUEUE_LEN);
# NMV_BC_CTL_QUEUE: its control queue (NAPI_MACVLAN_BC_CTL_QUEUE_LEN);
# NMV_BC_BURST: the frames of one storm burst, more than either holds
NMV_BC_QUEUE=1000
NMV_BC_CTL_QUEUE=256
NMV_BC_BURST=1500

# nmv_burst_setup DEV RATE [COMMAND...]: configure pktgen to inject endless
# broadcast frames (IPv4 UDP to 255.255.255.255, ff:ff:ff:ff:ff:ff) into
# DEV's receive path (xmit_mode netif_receive), RATE bursts a second (0:
# unpaced), each burst NMV_BC_BURST frames in one BH-disabled section like
# a NIC's NAPI poll: the queue's NAPI cannot run within a burst, so each
# burst overflows a queue by NMV_BC_BURST minus its length whatever the
# CPU's speed.  (A storm through a veth overflowed it only where the CPU
# could not keep up: not on CI's host.)  Each COMMAND ("vlan_id 10",
# "udp_dst_min 68") is written after these; pktgen_run starts it.
nmv_burst_setup()
{
	local dev=$1 rate=$2

	shift 2
	pktgen_setup "$dev" 255.255.255.255 ff:ff:ff:ff:ff:ff 0 64 "$rate" \
		"xmit_mode netif_receive" "burst $NMV_BC_BURST" "$@"
}

# nmv_storm_setup DEV RATE [COMMAND...]: nmv_burst_setup's bursts as MPLS
# frames, for the port's bulk broadcast queue (overflowed by
# NMV_BC_BURST - NMV_BC_QUEUE per burst).  MPLS: nothing in the host stack
# pulls the headers of the frame pktgen reuses for a whole burst.
nmv_storm_setup()
{
	local dev=$1 rate=$2

	shift 2
	nmv_burst_setup "$dev" "$rate" "mpls 0001000a" "$@"
}

# nmv_ip ARGS...: ip with the napi_macvlan link plugin (mode/ringsize/...)
nmv_ip()
{
	IP_LIB_DIR=$TOP/userspace ip "$@"
}

# nmv_have_plugin: true when `ip ... type napi_macvlan OPTIONS` can work
nmv_have_plugin()
{
	[ -e "$TOP/userspace/link_napi_macvlan.so" ]
}

# nmv_add LOWER NAME NS [ip-link OPTIONS...]: create napi_macvlan NAME on
# LOWER (current namespace), move it into NS (if not empty), bring it up.
nmv_add()
{
	local lower=$1 name=$2 ns=$3
	shift 3
	nmv_ip link add link "$lower" name "$name" type napi_macvlan "$@" ||
		return 1
	[ -z "$ns" ] || ip link set "$name" netns "$ns" || return 1
	ip ${ns:+-n "$ns"} link set "$name" up
}

# nmv_mac [NS] DEV: print the MAC address of DEV
nmv_mac()
{
	local ns=
	[ $# -eq 2 ] && { ns=$1; shift; }
	nsrun "$ns" cat "/sys/class/net/$1/address"
}

# nmv_ping NS ADDR [COUNT]: ping ADDR from NS (busybox ping: iputils-ping is
# not installed everywhere); IPv6 is picked by the address.
nmv_ping()
{
	local ns=$1 addr=$2 count=${3:-1} fam=-4
	case $addr in *:*) fam=-6 ;; esac
	nsrun "$ns" busybox ping "$fam" -c "$count" -W 5 "$addr" >/dev/null
}

# --- faults/teardown helpers (area: faults, fault_*.sh) ---------------------
# Leak checks after a fault: kernel log, devices, slab, igtb objects.

# fault_dmesg_begin: note where the kernel log stands (each case checks
# what comes after).  The log is not cleared: the VM runner scans all of
# it at the end, and a clear here used to erase what earlier cases logged.
fault_dmesg_begin()
{
	FAULT_DMESG_T=$(dmesg | tail -n 1 | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p')
}

# fault_dmesg_after: the kernel log since fault_dmesg_begin
fault_dmesg_after()
{
	dmesg | awk -v t="${FAULT_DMESG_T:-}" '
		{ s = $0; sub(/^\[ */, "", s); split(s, a, "]") }
		t == "" || a[1] + 0 > t + 0'
}

# fault_dmesg_check WHAT: fail when the kernel logged a warning, BUG, oops
# or refcount error since fault_dmesg_begin (the VM runner would fail the
# whole run later; this names the case)
fault_dmesg_check()
{
	local bad

	bad=$(fault_dmesg_after |
		grep -E 'WARNING|BUG|Oops|Call Trace|refcount' | head -n 20)
	[ -z "$bad" ] || { printf '%s\n' "$bad"; fail "$1: kernel log"; }
}

# fault_links: network devices in the initial and every named namespace.
# Under TCG an `ip -n` costs about a second and starting python about six:
# with many namespaces one python process enters them all.
fault_links()
{
	local ns n all

	all=$(ip netns list 2>/dev/null | awk '{print $1}')
	if [ "$(printf '%s\n' "$all" | grep -c .)" -gt 8 ]; then
		python3 - <<-'EOF'
		import ctypes, os, socket
		libc = ctypes.CDLL(None, use_errno=True)
		n = len(socket.if_nameindex())
		for ns in os.listdir("/run/netns"):
		    fd = os.open(os.path.join("/run/netns", ns), os.O_RDONLY)
		    if libc.setns(fd, 0x40000000) == 0:	# CLONE_NEWNET
		        n += len(socket.if_nameindex())
		    os.close(fd)
		print(n)
		EOF
		return
	fi
	n=$(ip -o link show | wc -l)
	for ns in $all; do
		n=$((n + $(ip -n "$ns" -o link show | wc -l)))
	done
	echo "$n"
}

# fault_slab_kb: unreclaimable slab, kB (/proc/meminfo SUnreclaim: what
# leaked skbs, devices, namespaces and profiles would sit in; the
# reclaimable part is dentries and inodes of /proc and /sys)
fault_slab_kb()
{
	awk '$1 == "SUnreclaim:" { print $2 }' /proc/meminfo
}

# fault_slab_shrink: give back what the kernel keeps without needing it:
# page cache, dentries and inodes, then the empty slabs SLUB holds on its
# per-CPU and per-node partial lists, where objects freed on one CPU keep
# slabs another CPU took alive.  (The larger part of the 2.3 MiB spread
# between fault_churn rounds that once failed CI was struct net waiting
# to be freed: see fault_netns_freed.)
fault_slab_shrink()
{
	sync
	echo 3 > /proc/sys/vm/drop_caches
	slab_flush '*'
}

# slab_flush GLOB: shrink the slab caches whose names match GLOB: their
# per-CPU slabs go back to the node lists, so /proc/slabinfo's active
# count is exact (SLUB counts the free objects of per-CPU slabs as
# active), and empty slabs are freed
slab_flush()
{
	local f

	for f in /sys/kernel/slab/$1/shrink; do
		echo 1 2>/dev/null > "$f" || true
	done
}

# fault_slab_measure: SUnreclaim, kB, after fault_slab_shrink
fault_slab_measure()
{
	fault_slab_shrink
	fault_slab_kb
}

# fault_slab_active CACHE: active objects of one /proc/slabinfo cache (0
# when it does not exist or is merged into another)
fault_slab_active()
{
	awk -v c="$1" '$1 == c { print $2; f = 1 } END { if (!f) print 0 }' \
		/proc/slabinfo
}

# fault_slab_save FILE: the size of every slab cache, kB, for
# fault_slab_growth
fault_slab_save()
{
	awk 'NR > 2 { printf "%s %d\n", $1, $3 * $4 / 1024 }' /proc/slabinfo \
		> "$1"
}

# fault_slab_growth FILE: the ten caches that grew most since
# fault_slab_save FILE (where a leak would be)
fault_slab_growth()
{
	awk 'NR == FNR { was[$1] = $2; next }
	     FNR > 2 { kb = int($3 * $4 / 1024); d = kb - was[$1]
		       if (d > 0) printf "%8d kB %s (%d kB before)\n", d, $1, was[$1] }' \
		"$1" /proc/slabinfo | sort -rn | head -n 10
}

# Tolerance of "slab back near its baseline": 5% or 2 MiB, whichever is
# more (the caches of sockets, routes and kernfs nodes that stay warm
# after the first use).  A leak this check is for is larger: a round of
# fault_churn leaking its namespaces or devices would leave tens of MiB.
FAULT_SLAB_TOL_KB=${FAULT_SLAB_TOL_KB:-2048}

_fault_slab_near()
{
	local base=$1 tol now

	tol=$((base / 20))
	[ "$tol" -ge "$FAULT_SLAB_TOL_KB" ] || tol=$FAULT_SLAB_TOL_KB
	now=$(fault_slab_measure)
	[ "$now" -le $((base + tol)) ]
}

# fault_slab_settle BASE_KB [TIMEOUT_MS] [SAVED]: wait (RCU callbacks,
# the netns cleanup work) until unreclaimable slab, measured with
# fault_slab_measure once a second, is back near BASE_KB; fail with the
# numbers (and the caches that grew since fault_slab_save SAVED) otherwise
fault_slab_settle()
{
	local base=$1 timeout=${2:-30000} saved=${3:-}

	if BUSYWAIT_INTERVAL=1 busywait "$timeout" _fault_slab_near "$base"; then
		echo "slab: SUnreclaim $base kB before, $(fault_slab_kb) kB after"
		return 0
	fi
	[ -z "$saved" ] || fault_slab_growth "$saved"
	fail "slab not back near baseline: SUnreclaim $base kB before, $(fault_slab_kb) kB after (tolerance max(5%, $FAULT_SLAB_TOL_KB kB))"
}

# fault_netns_objects: struct net allocated, the namespaces the kernel
# is still tearing down included ("-" without a net_namespace slab cache)
fault_netns_objects()
{
	[ -e /sys/kernel/slab/net_namespace ] || { echo -; return; }
	slab_flush net_namespace
	fault_slab_active net_namespace
}

# fault_netns_freed BASE [TIMEOUT_MS]: wait until no more than BASE + 1
# struct net are allocated; fail with the count otherwise.  The kernel
# frees a namespace only in the cleanup run after the one that tore it
# down (net_complete_free(), after an extra rcu_barrier()): the last
# batch stays allocated until another namespace goes.  So this deletes
# one namespace of its own every few seconds, whose struct net is the
# "+ 1" left on that list.
fault_netns_freed()
{
	local base=$1 timeout=${2:-60000} start now kick=0 ns=nsflush$$

	[ "$base" != - ] || {
		echo "no net_namespace slab cache (merged?): not checked"
		return 0
	}
	start=$(date +%s%3N)
	while true; do
		[ "$(fault_netns_objects)" -le $((base + 1)) ] && return 0
		now=$(date +%s%3N)
		if [ $((now - start)) -gt "$timeout" ]; then
			fail "namespaces not freed: $base struct net before, $(fault_netns_objects) after (1 more is expected)"
			return 1
		fi
		if [ $((now - kick)) -gt 3000 ]; then
			ip netns add "$ns" && ip netns del "$ns"
			kick=$now
		fi
		sleep 0.2
	done
}

# fault_modref MODULE: the "Used by" count of a loaded module (lsmod)
fault_modref()
{
	lsmod | awk -v m="$1" '$1 == m { print $3; f = 1 } END { if (!f) print "-" }'
}

# fault_igtb_objects: igtb's debug count of live profiles and stat blocks
fault_igtb_objects()
{
	cat /sys/module/igtb/parameters/objects 2>/dev/null || echo "-"
}

# fault_modules_loaded: reload igtb.ko and napi_macvlan.ko if a case left
# them unloaded (so later cases and selftests/run.sh find them)
fault_modules_loaded()
{
	local m

	for m in igtb napi_macvlan; do
		[ -d "/sys/module/$m" ] || insmod "$KO_DIR/$m/$m.ko"
	done
}
