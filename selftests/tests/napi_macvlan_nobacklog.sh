#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# No backlog queue: a pktgen flood through a chain of two routers on one
# lower (local bridge-mode traffic between the routers) must not hit
# enqueue_to_backlog() with napi_macvlan, while the same flood with
# upstream macvlan does.  And ring-full drops are counted exactly.
. "$(dirname "$0")/../lib.sh"

TRACING=/sys/kernel/tracing
PROBE=nmv_backlog_$$
COUNT=${NMV_FLOOD_COUNT:-3000}

# kprobe_setup: count calls of enqueue_to_backlog (or, if this kernel
# inlined it, of netif_rx_internal: every netif_rx goes through it)
kprobe_setup()
{
	local fn

	[ -d "$TRACING/events" ] ||
		mount -t tracefs nodev "$TRACING" 2>/dev/null || true
	[ -w "$TRACING/kprobe_events" ] || {
		skip "tracefs kprobe_events not available"
		return $KSFT_SKIP
	}
	for fn in enqueue_to_backlog netif_rx_internal; do
		if echo "p:$PROBE $fn" >> "$TRACING/kprobe_events" 2>/dev/null
		then
			echo "probing $fn"
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

# chain TYPE: pktgen device g$$ (init netns) -> veth -> lower w$$ (init
# netns) -> R1 (ra on the lower) -> R2 (rb) -> sink; R1->R2->sink is local
# traffic on the lower.  TYPE is napi_macvlan or macvlan (bridge mode).
chain()
{
	local type=$1 extra=

	[ "$type" = macvlan ] && extra="mode bridge"
	ns_create R1 R2 SNK
	G=g$$
	W=w$$
	ip link add "$G" type veth peer name "$W"
	# veth hands frames to a GRO-enabled peer through its own NAPI (no
	# backlog) only for non-TSO senders: keep the veth out of the count
	ethtool -K "$G" tso off >/dev/null
	ethtool -K "$W" gro on >/dev/null
	sysctl -qw "net.ipv6.conf.$G.disable_ipv6=1"
	sysctl -qw "net.ipv6.conf.$W.disable_ipv6=1"
	ip link set "$G" up
	ip link set "$W" up
	mkdev ra1 "$R1" 10.51.0.1/24 "$type" $extra
	mkdev ra2 "$R1" 10.52.0.1/24 "$type" $extra
	mkdev rb1 "$R2" 10.52.0.2/24 "$type" $extra
	mkdev rb2 "$R2" 10.53.0.2/24 "$type" $extra
	mkdev s0 "$SNK" 10.53.0.3/24 "$type" $extra
	ip netns exec "$R1" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$R2" sysctl -qw net.ipv4.ip_forward=1
	ip -n "$R1" route add 10.53.0.0/24 via 10.52.0.2
	# static neighbours: no ARP broadcast during the measurement
	ip -n "$R1" neigh replace 10.52.0.2 dev ra2 \
		lladdr "$(nmv_mac "$R2" rb1)" nud permanent
	ip -n "$R2" neigh replace 10.53.0.3 dev rb2 \
		lladdr "$(nmv_mac "$SNK" s0)" nud permanent
	# the sink has no route back: it stays silent
}

mkdev()
{
	local name=$1 ns=$2 addr=$3 type=$4
	shift 4
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	nmv_ip link add link "$W" name "$name" type "$type" "$@"
	ip link set "$name" netns "$ns"
	ip -n "$ns" addr add "$addr" dev "$name"
	ip -n "$ns" link set "$name" up
}

chain_cleanup()
{
	ip link del "$G" 2>/dev/null || true
}

# flood: COUNT packets from pktgen to the sink through both routers
flood()
{
	pktgen_setup "$G" 10.53.0.3 "$(nmv_mac "$R1" ra1)" "$COUNT" 64
	echo "src_min 10.51.0.9" > "/proc/net/pktgen/$G"
	echo "src_max 10.51.0.9" > "/proc/net/pktgen/$G"
	pktgen_run
}

# measure TYPE: print "hits_idle hits_flood delivered"
measure()
{
	local type=$1 h0 h1 h2 d0 d1

	chain "$type"
	h0=$(kprobe_hits)
	sleep 1
	h1=$(kprobe_hits)
	d0=$(link_stat "$SNK" s0 rx_packets)
	flood
	h2=$(kprobe_hits)
	d1=$(link_stat "$SNK" s0 rx_packets)
	chain_cleanup
	ns_cleanup_all
	echo "$((h1 - h0)) $((h2 - h1)) $((d1 - d0))"
}

test_no_backlog()
{
	local nmv mv idle flood deliv rc=0

	in_vm || { skip "needs the selftest VM (pktgen, kprobes)"; return $KSFT_SKIP; }
	require_module pktgen || return
	require_module macvlan || return
	kprobe_setup || return
	trap 'kprobe_cleanup; chain_cleanup' EXIT

	nmv=$(measure napi_macvlan | tail -n1)
	read -r idle flood deliv <<< "$nmv"
	echo "napi_macvlan: idle-second hits $idle, flood hits $flood, delivered $deliv of $COUNT"
	check_range "napi_macvlan delivered the flood" $((COUNT * 9 / 10)) \
		$((COUNT + 10)) "$deliv" || rc=1
	# unrelated hits (timers, other CPUs' work) are few; the flood would
	# cause two per packet if it went through the backlog
	check_range "napi_macvlan flood caused no backlog hits" 0 \
		$((idle * 5 + 5)) "$flood" || rc=1

	mv=$(measure macvlan | tail -n1)
	read -r idle flood deliv <<< "$mv"
	echo "macvlan: idle-second hits $idle, flood hits $flood, delivered $deliv of $COUNT"
	check_range "macvlan flood hits the backlog (probe works)" \
		"$deliv" 100000000 "$flood" || rc=1
	check_range "macvlan delivered part of the flood" 1 $((COUNT + 10)) \
		"$deliv" || rc=1
	return $rc
}

# One sender floods one receiver whose NAPI thread can hardly run (idle
# scheduling class, on the sender's CPU): the ring overflows, and every
# packet is either delivered through the ring or counted as rx_ring_full.
test_ring_full_exact()
{
	local pid ring full tx0 tx1 pol opts=

	in_vm || { skip "needs the selftest VM (pktgen)"; return $KSFT_SKIP; }
	require_module pktgen || return
	require_cmd chrt || return
	ns_create RCV
	W=w$$
	G=m$$
	ip link add "$W" type dummy
	ip link set "$W" up
	nmv_have_plugin && opts="ringsize 16"
	nmv_ip link add link "$W" name "$G" type napi_macvlan $opts
	sysctl -qw "net.ipv6.conf.$G.disable_ipv6=1"
	ip link set "$G" up
	trap 'ip link del "$W" 2>/dev/null || true' EXIT
	mkdev rcv0 "$RCV" 10.60.0.2/24 napi_macvlan $opts
	echo 1 > "/sys/class/net/$G/threaded" 2>/dev/null || true
	ip netns exec "$RCV" sh -c 'echo 1 > /sys/class/net/rcv0/threaded' || {
		skip "threaded NAPI not available"
		return $KSFT_SKIP
	}
	pid=$(ps -e -o pid=,comm= | awk '$2 ~ /^napi\/rcv0-/ { print $1 }')
	[ -n "$pid" ] || fail "no NAPI thread for rcv0" || return
	taskset -p 1 "$pid" >/dev/null
	chrt -i -p 0 "$pid"

	tx0=$(link_stat "$G" tx_packets)
	pktgen_setup "$G" 10.60.0.2 "$(nmv_mac "$RCV" rcv0)" "$COUNT" 64
	pktgen_run
	tx1=$(link_stat "$G" tx_packets)
	# let the receiver drain what the ring still holds
	busywait 10000 ring_settled "$COUNT"
	ring=$(ethtool_stat "$RCV" rcv0 rx_ring)
	full=$(ethtool_stat "$RCV" rcv0 rx_ring_full)
	pol=$(ethtool_stat "$RCV" rcv0 rx_policed)
	echo "offered $((tx1 - tx0)), delivered $ring, ring full $full, policed $pol"
	check_eq "sender offered the whole flood" "$COUNT" $((tx1 - tx0))
	check_range "the ring overflowed" 1 "$COUNT" "$full"
	check_eq "offered - delivered == rx_ring_full" $((COUNT - ring)) "$full"
	check_eq "rx_dropped includes ring drops" "$full" \
		"$(link_stat "$RCV" rcv0 rx_dropped)"
}

ring_settled()
{
	[ $(($(ethtool_stat "$RCV" rcv0 rx_ring) +
	     $(ethtool_stat "$RCV" rcv0 rx_ring_full))) -ge "$1" ]
}

ktap_plan 2
run_test "pktgen flood through two routers never hits the backlog" \
	test_no_backlog
run_test "ring-full drops are counted exactly" test_ring_full_exact
ktap_finish
