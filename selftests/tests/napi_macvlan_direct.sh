#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Direct local delivery ("local direct"): a chain of routers on one lower
# passes a frame from router to router up each receiver's stack in the
# sender's context, with no ring and no backlog in between, up to the
# depth bound (module parameter local_depth), past it through the ring.
# Loops (A -> B -> A until the TTL runs out), a qdisc on the sender and
# teardown under traffic finish without a kernel warning.
#
# The traffic: pktgen on veth $G, whose peer $W (GRO on, so veth hands it
# over in NAPI, not through the backlog) is the lower of every device.  A
# chain of N routers R1..RN and a sink: R1 gets the flood from $W (the
# rx_handler path, rx_direct), then N local hops R1 -> R2 -> ... -> RN ->
# sink, each a napi_macvlan device to another on $W.
. "$(dirname "$0")/../lib.sh"

TRACING=/sys/kernel/tracing
PROBE=nmv_direct_backlog_$$
COUNT=${NMV_FLOOD_COUNT:-1000}
G=g$$
W=w$$
NMV_KO=$KO_DIR/napi_macvlan/napi_macvlan.ko

# --- topology ----------------------------------------------------------------

lower_create()
{
	ip link add "$G" type veth peer name "$W"
	ethtool -K "$G" tso off >/dev/null
	ethtool -K "$W" gro on >/dev/null
	sysctl -qw "net.ipv6.conf.$G.disable_ipv6=1"
	sysctl -qw "net.ipv6.conf.$W.disable_ipv6=1"
	ip link set "$G" up
	ip link set "$W" up
	trap cleanup EXIT
}

# on the way out of a case, whatever it left behind; a case that changed
# the bound gets the default one back
cleanup()
{
	pktgen_stop
	kprobe_cleanup
	stack_end
	ip link del "$G" 2>/dev/null || true
	if [ -n "${RELOADED:-}" ]; then
		ns_cleanup_all
		rmmod napi_macvlan 2>/dev/null || true
		insmod "$NMV_KO" 2>/dev/null || true
	fi
}

# ns_prep NS: no IPv6 and no redirects (nothing but the flood crosses the
# hops), forwarding on
ns_prep()
{
	ip netns exec "$1" sh -c '
		sysctl -qw net.ipv6.conf.default.disable_ipv6=1
		sysctl -qw net.ipv4.conf.all.send_redirects=0
		sysctl -qw net.ipv4.conf.default.send_redirects=0
		sysctl -qw net.ipv4.ip_forward=1'
}

# mkdev NAME NS ADDR [ip-link OPTIONS]: napi_macvlan NAME on $W in NS
# (made ready with ns_prep)
mkdev()
{
	local name=$1 ns=$2 addr=$3
	shift 3
	nmv_ip link add link "$W" name "$name" type napi_macvlan "$@"
	ip link set "$name" netns "$ns"
	ip -n "$ns" addr add "$addr" dev "$name"
	ip -n "$ns" link set "$name" up
}

# chain N LOCAL: routers R1..RN (namespaces ${RNS[1..N]}), router i with
# in$i (10.70.<i-1>.2) and out$i (10.70.<i>.1), the sink snk
# (10.70.<N>.2) in $SNK; every device "local LOCAL".  Static neighbours:
# no ARP during the measurement.  The sink has no route back: it stays
# silent.
chain()
{
	local n=$1 local=$2 i next_ns next_dev

	lower_create
	RNS=()
	for i in $(seq 1 "$n"); do
		ns_create NSX
		RNS[i]=$NSX
		ns_prep "$NSX"
		mkdev "in$i" "$NSX" "10.70.$((i - 1)).2/24" local "$local"
		mkdev "out$i" "$NSX" "10.70.$i.1/24" local "$local"
	done
	ns_create SNK
	ns_prep "$SNK"
	mkdev snk "$SNK" "10.70.$n.2/24" local "$local"
	for i in $(seq 1 "$n"); do
		if [ "$i" -lt "$n" ]; then
			next_ns=${RNS[i + 1]}
			next_dev=in$((i + 1))
			ip -n "${RNS[i]}" route add "10.70.$n.0/24" \
				via "10.70.$i.2"
		else
			next_ns=$SNK
			next_dev=snk
		fi
		ip -n "${RNS[i]}" neigh replace "10.70.$i.2" dev "out$i" \
			lladdr "$(nmv_mac "$next_ns" "$next_dev")" nud permanent
	done
	CHAIN_N=$n
}

# the receiving device of local hop i (1..N): in<i+1>, or the sink; hop 0
# is R1's in1, where the flood enters from the lower (rx_direct)
hop_ns()
{
	if [ "$1" -lt "$CHAIN_N" ]; then echo "${RNS[$1 + 1]}"; else echo "$SNK"; fi
}

hop_dev()
{
	if [ "$1" -lt "$CHAIN_N" ]; then echo "in$(($1 + 1))"; else echo snk; fi
}

# hop_stats NS DEV: rx_local_direct rx_ring rx_ring_full rx_local_deep
# rx_direct
hop_stats()
{
	ip netns exec "$1" ethtool -S "$2" | awk '
		{ v[$1] = $2 }
		END {
			print v["rx_local_direct:"] + 0, v["rx_ring:"] + 0,
			      v["rx_ring_full:"] + 0, v["rx_local_deep:"] + 0,
			      v["rx_direct:"] + 0
		}'
}

# snapshot: the counters of every hop into HOP0[i]
snapshot()
{
	local i

	for i in $(seq 0 "$CHAIN_N"); do
		HOP0[i]=$(hop_stats "$(hop_ns "$i")" "$(hop_dev "$i")")
	done
}

# hop_delta I: what hop I counted since snapshot
hop_delta()
{
	local a b

	read -r -a a <<< "${HOP0[$1]}"
	read -r -a b <<< "$(hop_stats "$(hop_ns "$1")" "$(hop_dev "$1")")"
	echo $((b[0] - a[0])) $((b[1] - a[1])) $((b[2] - a[2])) \
		$((b[3] - a[3])) $((b[4] - a[4]))
}

# entered: how much of the flood R1 got from the lower since snapshot
# (veth may drop some on the way in; the chain must lose none of it)
entered()
{
	local d

	read -r -a d <<< "$(hop_delta 0)"
	echo "${d[4]}"
	check_range "the flood entered the chain" $((COUNT / 2)) "$COUNT" \
		"${d[4]}" >&2
}

# flood [COUNT]: COUNT packets from pktgen to the sink through the chain
flood()
{
	pktgen_setup "$G" "10.70.$CHAIN_N.2" "$(nmv_mac "${RNS[1]}" in1)" \
		"${1:-$COUNT}" 64
	echo "src_min 10.69.0.9" > "/proc/net/pktgen/$G"
	echo "src_max 10.69.0.9" > "/proc/net/pktgen/$G"
	pktgen_run
}

# --- module parameter ----------------------------------------------------------

# reload_nmv [PARAM=VALUE]: load napi_macvlan again (no device may exist)
reload_nmv()
{
	rmmod napi_macvlan 2>/dev/null || {
		skip "napi_macvlan.ko is in use"
		return $KSFT_SKIP
	}
	RELOADED=1
	trap cleanup EXIT
	insmod "$NMV_KO" "$@"
}

depth_param()
{
	cat /sys/module/napi_macvlan/parameters/local_depth
}

# --- backlog probe (as in napi_macvlan_nobacklog.sh) ----------------------------

kprobe_setup()
{
	local fn

	[ -w "$TRACING/kprobe_events" ] || {
		skip "tracefs kprobe_events not available"
		return $KSFT_SKIP
	}
	for fn in enqueue_to_backlog netif_rx_internal; do
		if echo "p:$PROBE $fn" >> "$TRACING/kprobe_events" 2>/dev/null
		then
			echo 1 > "$TRACING/events/kprobes/$PROBE/enable"
			return 0
		fi
	done
	skip "neither enqueue_to_backlog nor netif_rx_internal can be kprobed"
	return $KSFT_SKIP
}

kprobe_cleanup()
{
	[ -e "$TRACING/events/kprobes/$PROBE/enable" ] || return 0
	echo 0 > "$TRACING/events/kprobes/$PROBE/enable"
	echo "-:$PROBE" >> "$TRACING/kprobe_events"
}

kprobe_hits()
{
	awk -v p="$PROBE" '$1 == p { print $2 }' "$TRACING/kprobe_profile"
}

# --- checks --------------------------------------------------------------------

# check_inline N [stack]: a flood through a chain of N routers in direct
# mode crosses every local hop in the sender's context: each hop counts
# the whole flood as rx_local_direct and nothing in its ring, and nothing
# enters the backlog.  With "stack", also measure the stack it uses.
check_inline()
{
	local n=$1 i d h0 h1 h2 in rc=0

	require_module pktgen || return
	kprobe_setup || return
	chain "$n" direct
	snapshot
	h0=$(kprobe_hits)
	sleep 1
	h1=$(kprobe_hits)
	[ "${2:-}" != stack ] || stack_begin
	flood
	h2=$(kprobe_hits)
	stack_check "$n" || rc=1
	in=$(entered) || rc=1
	echo "entered the chain: $in of $COUNT"
	for i in $(seq 1 "$n"); do
		read -r -a d <<< "$(hop_delta "$i")"
		echo "hop $i ($(hop_dev "$i")): direct ${d[0]} ring ${d[1]} ring_full ${d[2]} deep ${d[3]}"
		check_eq "hop $i delivered the flood directly" "$in" \
			"${d[0]}" || rc=1
		check_eq "hop $i used no ring" "0 0 0" \
			"${d[1]} ${d[2]} ${d[3]}" || rc=1
	done
	echo "backlog hits: idle second $((h1 - h0)), flood $((h2 - h1))"
	check_range "the flood caused no backlog enqueue" 0 \
		$(((h1 - h0) * 5 + 5)) $((h2 - h1)) || rc=1
	return $rc
}

in_vm_or_skip()
{
	in_vm || { skip "needs the selftest VM (pktgen, module reload)"; return $KSFT_SKIP; }
}

# --- cases ---------------------------------------------------------------------

test_chain2_direct()
{
	in_vm_or_skip || return
	nmv_have_plugin || { skip "iproute2 plugin not built"; return $KSFT_SKIP; }
	check_inline 2
}

# The same chain with the default "local ring": the counters tell the
# paths apart (every hop counts the flood in its ring, none directly).
test_chain2_ring()
{
	local i d rc=0

	in_vm_or_skip || return
	nmv_have_plugin || { skip "iproute2 plugin not built"; return $KSFT_SKIP; }
	require_module pktgen || return
	chain 2 ring
	check_eq "ip -d link shows local ring" 1 \
		"$(nmv_ip -n "${RNS[1]}" -d link show in1 | grep -c 'local ring')"
	snapshot
	flood
	for i in 1 2; do
		read -r -a d <<< "$(hop_delta "$i")"
		echo "hop $i: direct ${d[0]} ring ${d[1]} ring_full ${d[2]} deep ${d[3]}"
		check_eq "hop $i: nothing direct in ring mode" 0 "${d[0]}" ||
			rc=1
		check_range "hop $i: the flood went through the ring" 1 \
			"$COUNT" "${d[1]}" || rc=1
	done
	return $rc
}

# With the bound at its maximum (8) a chain of 8 routers is inline end to
# end.
test_chain8_direct()
{
	local rc

	in_vm_or_skip || return
	nmv_have_plugin || { skip "iproute2 plugin not built"; return $KSFT_SKIP; }
	reload_nmv local_depth=8 || return
	check_eq "bound set" 8 "$(depth_param)"
	check_inline 8 stack
}

# Stack use of the chain, from two kprobe events that record the stack
# pointer ($stack): one at every __napi_poll() (where the lower's NAPI
# starts the chain) and one at every direct hop
# (napi_macvlan_local_receive()).  A kprobe costs one trap per hit, unlike
# the function tracer's stack tracer, which hooks every call (with it this
# case hung under TCG in 4 of about 12 runs).
STKPOLL=nmv_stk_poll_$$
STKHOP=nmv_stk_hop_$$

# stack_begin: arm the events on an empty trace buffer.  The poll event
# goes on __napi_poll(), or where a kernel inlined it (the 6.1 debug
# build), on both of its callers: net_rx_action() and
# napi_threaded_poll().
stack_begin()
{
	local fn n=0

	echo "p:$STKHOP napi_macvlan:napi_macvlan_local_receive sp=\$stack" \
		>> "$TRACING/kprobe_events" || {
		fail "no kprobe event on napi_macvlan_local_receive: stack not measured"
		return 1
	}
	if echo "p:$STKPOLL __napi_poll sp=\$stack" \
		>> "$TRACING/kprobe_events" 2>/dev/null; then
		STKPOLLS=$STKPOLL
	else
		STKPOLLS=
		for fn in net_rx_action napi_threaded_poll; do
			n=$((n + 1))
			echo "p:${STKPOLL}_$n $fn sp=\$stack" \
				>> "$TRACING/kprobe_events" 2>/dev/null &&
				STKPOLLS="$STKPOLLS ${STKPOLL}_$n"
		done
	fi
	[ -n "$STKPOLLS" ] ||
		echo "no kprobe on __napi_poll or its callers: per hop only"
	echo > "$TRACING/trace"
	for fn in $STKPOLLS $STKHOP; do
		echo 1 > "$TRACING/events/kprobes/$fn/enable"
	done
	STACK=1
}

stack_end()
{
	local e

	for e in $STKHOP ${STKPOLLS:-}; do
		[ -e "$TRACING/events/kprobes/$e/enable" ] || continue
		echo 0 > "$TRACING/events/kprobes/$e/enable"
		echo "-:$e" >> "$TRACING/kprobe_events"
	done
}

# stack_check N: every packet crossed N direct hops in one call chain; per
# hop and from the NAPI poll to the last hop (the sink), in bytes; the
# whole chain, with one more hop's worth for the sink's own stack, fits
# in 3/4 of the kernel stack (16 KB, 32 KB with KASAN)
stack_check()
{
	local e res size rc=0

	[ -n "${STACK:-}" ] || return 0
	STACK=
	# disabled, not removed: removing a kprobe event clears the buffer
	for e in $STKHOP $STKPOLLS; do
		echo 0 > "$TRACING/events/kprobes/$e/enable"
	done
	# per CPU, in order: a poll event starts a chain; each hop event goes
	# deeper than the one before, or (shallower) starts the next packet
	res=$(python3 -c '
import re, sys
n = int(sys.argv[1]); poll = {}; hops = {}; chains = []
pat = re.compile(r"\[(\d+)\].*?\s(\S+): \(.*sp=(0x[0-9a-f]+)")
for line in open(sys.argv[2]):
    m = pat.search(line)
    if not m:
        continue
    cpu, ev, sp = m.group(1), m.group(2), int(m.group(3), 16)
    if ev.startswith("nmv_stk_poll"):
        if hops.get(cpu):
            chains.append((poll.get(cpu), hops[cpu]))
        poll[cpu] = sp
        hops[cpu] = []
        continue
    h = hops.setdefault(cpu, [])
    if h and sp >= h[-1]:
        chains.append((poll.get(cpu), h))
        h = hops[cpu] = []
    h.append(sp)
for cpu in hops:
    if hops[cpu]:
        chains.append((poll.get(cpu), hops[cpu]))
full = [c for c in chains if len(c[1]) == n and c[0] and c[0] > c[1][0]]
if not full:
    print(0, 0, 0, len(chains))
    sys.exit()
per = max((c[1][0] - c[1][-1]) // (n - 1) for c in full)
deep = max(c[0] - c[1][-1] for c in full)
print(len(full), per, deep, len(chains))
' "$1" "$TRACING/trace")
	echo > "$TRACING/trace"
	stack_end
	read -r -a res <<< "$res"
	size=16384
	grep -q ' kasan_' /proc/kallsyms && size=32768
	echo "stack: ${res[0]} of ${res[3]} chains crossed all $1 hops inline; per hop ${res[1]} bytes; NAPI poll to the last hop ${res[2]} bytes (kernel stack $size)"
	check_range "packets seen crossing all $1 hops in one call chain" 1 \
		"$COUNT" "${res[0]}" || rc=1
	check_range "bytes per hop measured" 1 4096 "${res[1]}" || rc=1
	check_range "the chain plus one hop fits in 3/4 of the stack" 1 \
		$((size * 3 / 4)) $((res[2] + res[1])) || rc=1
	return $rc
}

# With the default bound (4) the fifth local hop of a chain of 8 takes the
# ring (counted as rx_local_deep); the ring's NAPI starts again at depth
# 0, so the hops after it are direct again.
test_depth_fallback()
{
	local i d bound in after rc=0

	in_vm_or_skip || return
	nmv_have_plugin || { skip "iproute2 plugin not built"; return $KSFT_SKIP; }
	require_module pktgen || return
	bound=$(depth_param)
	check_eq "default bound" 4 "$bound"
	chain 8 direct
	snapshot
	flood
	in=$(entered) || rc=1
	echo "entered the chain: $in of $COUNT"
	for i in $(seq 1 8); do
		read -r -a d <<< "$(hop_delta "$i")"
		echo "hop $i: direct ${d[0]} ring ${d[1]} ring_full ${d[2]} deep ${d[3]}"
		if [ "$i" -le "$bound" ]; then
			check_eq "hop $i (within the bound) direct" "$in" \
				"${d[0]}" || rc=1
			check_eq "hop $i no ring" "0 0" "${d[1]} ${d[3]}" || rc=1
		elif [ "$i" -eq $((bound + 1)) ]; then
			check_eq "hop $i: past the bound, counted deep" \
				"$in" "${d[3]}" || rc=1
			check_eq "hop $i: ring took all of it" "$in" \
				$((d[1] + d[2])) || rc=1
			check_eq "hop $i: nothing direct" 0 "${d[0]}" || rc=1
			after=${d[1]}
		else
			check_eq "hop $i (after the ring) direct" "$after" \
				"${d[0]}" || rc=1
			check_eq "hop $i no ring" "0 0" "${d[1]} ${d[3]}" || rc=1
		fi
	done
	check_range "the ring delivered most" $((in / 2)) "$in" \
		"${after:-0}" || rc=1
	return $rc
}

# `local` through ip (plugin) and vrctl: set, shown, bad values refused.
test_attribute()
{
	local d

	nmv_have_plugin || { skip "iproute2 plugin not built"; return $KSFT_SKIP; }
	[ -x "$VRCTL" ] || { skip "vrctl not built"; return $KSFT_SKIP; }
	ns_create N
	ip -n "$N" link add lw type dummy
	ip -n "$N" link set lw up
	check_ok "ip link add ... local direct" nmv_ip -n "$N" link add \
		link lw name nm0 type napi_macvlan local direct
	check_eq "ip -d link shows local direct" 1 \
		"$(nmv_ip -n "$N" -d link show nm0 | grep -c 'local direct')"
	d=$(nmv_ip -n "$N" -d -j link show nm0)
	check_eq "ip -j: local" direct "$(echo "$d" | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[0]["linkinfo"]["info_data"]["local"])')"
	check_ok "ip link set ... local ring" nmv_ip -n "$N" link set nm0 \
		type napi_macvlan local ring
	check_eq "ip -d link shows local ring" 1 \
		"$(nmv_ip -n "$N" -d link show nm0 | grep -c 'local ring')"
	check_fail "local bogus refused" nmv_ip -n "$N" link add link lw \
		name nm1 type napi_macvlan local bogus 2>/dev/null
	check_fail "no half-made device" ip -n "$N" link show nm1 2>/dev/null
	check_ok "vrctl link set local direct" "$VRCTL" link set dev nm0 \
		netns "$N" local direct
	check_eq "vrctl's change shows" 1 \
		"$(nmv_ip -n "$N" -d link show nm0 | grep -c 'local direct')"
	ip link add "$W" type dummy
	trap 'ip link del "$W" 2>/dev/null || true' EXIT
	check_ok "vrctl router add ... local direct" "$VRCTL" router add rl \
		netns "$N" link "$W" local direct
	check_eq "vrctl router show -j: local" direct \
		"$("$VRCTL" -j router show rl netns "$N" | python3 -c '
import json, sys
def devs(o):
    if isinstance(o, dict):
        if "ringsize" in o:
            yield o
        for v in o.values():
            yield from devs(v)
    elif isinstance(o, list):
        for v in o:
            yield from devs(v)
print(" ".join(d["local"] for d in devs(json.load(sys.stdin))))')"
	check_fail "vrctl: local bogus refused" "$VRCTL" link set dev nm0 \
		netns "$N" local bogus 2>/dev/null
}

# Loops, a qdisc on the sender and teardown are in
# napi_macvlan_direct_faults.sh, which runs with these helpers.
[ -z "${NMV_DIRECT_LIB:-}" ] || return 0

ktap_plan 5
run_test "chain of 2 routers: every hop direct, no ring, no backlog" \
	test_chain2_direct
run_test "chain of 2 routers in ring mode: every hop through the ring" \
	test_chain2_ring
run_test "chain of 8 routers, bound 8: every hop direct; stack use" \
	test_chain8_direct
run_test "chain of 8 routers, default bound: the hop past it takes the ring" \
	test_depth_fallback
run_test "local attribute through ip and vrctl" test_attribute
ktap_finish
