#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo` (runs inside the VM): an RFC 2544-style bench with two virtual
# routers, each a container holding two napi_macvlan interfaces, set up with
# vrctl; router A gets an ingress rate profile, both get the same offered
# load; prints per-router results.
#
#   gen0 (pktgen) ==veth== nic0 [forwarding host: lower 1]
#                           |-- napi_macvlan in0 @ router A (container RA)
#                           |-- napi_macvlan in0 @ router B (container RB)
#   sink0 [ns SINK] ==veth== nic1 [forwarding host: lower 2]
#                           |-- napi_macvlan out0 @ router A, router B
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
vrctl=$top/userspace/vrctl
: "${DEMO_SECONDS:=5}"		# traffic duration
: "${DEMO_OFFER_MBIT:=40}"	# offered load per router
: "${DEMO_RATE_A:=10mbit}"	# router A's ingress profile
: "${DEMO_PKT:=512}"		# pktgen packet size (bytes, without FCS)

die() { echo "demo: $*" >&2; exit 1; }

[ -e /run/napi-vm ] || die "run me inside the VM: make demo"
if [ ! -d /sys/module/napi_macvlan ]; then
	insmod "$top/igtb/igtb.ko" && insmod "$top/napi_macvlan/napi_macvlan.ko" ||
		die "cannot load the modules"
fi
modprobe pktgen || die "pktgen missing"

cleanup()
{
	echo stop > /proc/net/pktgen/pgctrl 2>/dev/null
	$vrctl router del ra netns RA >/dev/null 2>&1
	$vrctl router del rb netns RB >/dev/null 2>&1
	for ns in RA RB SINK; do ip netns del $ns 2>/dev/null; done
	ip link del gen0 2>/dev/null
	ip link del nic1 2>/dev/null
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@" || die "failed: $*"; }

step "topology: two lower links on the forwarding host, a sink, two containers"
for ns in RA RB SINK; do run ip netns add $ns; done
run ip link add gen0 type veth peer name nic0
run ip link add nic1 type veth peer name sink0 netns SINK
for d in gen0 nic0 nic1; do ip link set $d up; done
ip -n SINK link set sink0 up
ip -n SINK addr add 10.2.0.100/24 dev sink0
ip -n SINK addr add 10.9.0.1/32 dev lo
ip -n SINK addr add 10.9.0.2/32 dev lo
ip -n SINK route add 10.1.0.0/24 via 10.2.0.1

step "virtual routers with vrctl (router A policed at $DEMO_RATE_A)"
run $vrctl router add ra netns RA link nic0 link nic1 names in0,out0 rate "$DEMO_RATE_A"
run $vrctl router add rb netns RB link nic0 link nic1 names in0,out0
ip -n RA addr add 10.1.0.2/24 dev in0
ip -n RA addr add 10.2.0.1/24 dev out0
ip -n RB addr add 10.1.0.3/24 dev in0
ip -n RB addr add 10.2.0.2/24 dev out0
for ns in RA RB; do
	ip netns exec $ns sysctl -qw net.ipv4.ip_forward=1
	ip -n $ns route add 10.9.0.0/24 via 10.2.0.100
	ip netns exec $ns ping -c 1 -W 2 10.2.0.100 >/dev/null ||
		die "router $ns cannot reach the sink"
done
run $vrctl router show

mac_a=$(ip -n RA -j link show in0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
mac_b=$(ip -n RB -j link show in0 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')

stat() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"; }
xstat() { ip netns exec "$1" ethtool -S "$2" | awk -v k="$3:" '$1 == k { print $2 }'; }

step "traffic: ${DEMO_OFFER_MBIT} Mbit/s of ${DEMO_PKT}-byte UDP to each router for ${DEMO_SECONDS} s"
pg=/proc/net/pktgen
pps=$((DEMO_OFFER_MBIT * 1000000 / 8 / DEMO_PKT))
count=$((pps * DEMO_SECONDS))
i=0
for r in a b; do
	mac=mac_$r
	dst=10.9.0.$((i + 1))
	echo "rem_device_all" > $pg/kpktgend_$i
	echo "add_device gen0@$i" > $pg/kpktgend_$i
	for l in "count $count" "pkt_size $DEMO_PKT" "delay 0" "ratep $pps" \
		 "dst $dst" "src_min 10.1.0.1" "src_max 10.1.0.1" "dst_mac ${!mac}" \
		 "clone_skb 0" "udp_dst_min 9" "udp_dst_max 9"; do
		echo "$l" > "$pg/gen0@$i"
	done
	i=$((i + 1))
done
for ns in RA RB; do eval "fwd0_$ns=$(stat $ns out0 tx_packets)"; done
start=$(date +%s%N)
echo start > $pg/pgctrl
end=$(date +%s%N)
secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')

step "results (offered for ${secs} s)"
printf '%-8s %10s %10s %10s %10s %10s %12s %10s\n' router offered forwarded policed \
	ring_full filtered "rate Mbit/s" profile
i=0
for ns in RA RB; do
	sent=$(awk '/pkts-sofar/ { print $2 }' "$pg/gen0@$i")
	fwd=$(( $(stat $ns out0 tx_packets) - fwd0_$ns ))
	pol=$(xstat $ns in0 rx_policed)
	full=$(xstat $ns in0 rx_ring_full)
	filt=$(xstat $ns in0 rx_filtered)
	mbit=$(awk -v n="$fwd" -v s="$DEMO_PKT" -v t="$secs" 'BEGIN { printf "%.2f", n * (s - 4) * 8 / t / 1e6 }')
	prof=-
	[ $ns = RA ] && prof=$DEMO_RATE_A
	printf '%-8s %10s %10s %10s %10s %10s %12s %10s\n' "$ns" "$sent" "$fwd" \
		"${pol:-0}" "${full:-0}" "${filt:-0}" "$mbit" "$prof"
	i=$((i + 1))
done
# softnet_stat is hex; bash reads it (Debian's default awk, mawk, cannot).
backlog=0
while read -r _ dropped _; do
	backlog=$((backlog + 16#$dropped))
done < /proc/net/softnet_stat
echo "(backlog drops on the host CPU, /proc/net/softnet_stat column 2: $backlog)"

step "drop counters of every stage (vrctl stats)"
$vrctl stats netns RA
$vrctl stats netns RB
echo
echo "demo: done"
