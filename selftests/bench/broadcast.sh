#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B8 (cost mode): broadcast storm.  One lower (the NAPI veth "NIC" nicC,
# fed by pktgen on its peer genC) carries B8_DEVS router devices (default
# 8: router B and B8_DEVS - 1 neighbours, each in its own namespace), so
# every broadcast is copied to each.  Router B forwards a fixed-rate
# unicast stream (B8_RATE pps, open loop: pg_paced) from the lower to a
# dummy egress (a wire that is never the bottleneck); a storm generator on
# the same lower sends, in equal parts, broadcast frames (ff:ff:ff:ff:ff:ff,
# IPv4 UDP to 255.255.255.255 port 9) and mDNS-like multicast frames
# (01:00:5e:00:00:fb, UDP to 224.0.0.251 port 5353) at B8_STORM rates (a
# list, pps, storm frames on the wire).  Every router device joins
# 224.0.0.251 (`ip addr ... autojoin`: what a host running an mDNS
# responder does), so the multicast frames pass every device's filter and
# reach each stack, where UDP drops them (no listener).  pktgen cannot
# build ARP frames (its payload is always IPv4/UDP): the broadcast frames
# are IPv4, which costs each stack an IP receive and a UDP lookup, about
# what arp_rcv() spends on a request for an address it does not own.
#
# DHCP: dnsmasq (--no-daemon, --no-ping) listens on genC, the storm's
# side; after each measurement, with the stream and the storm running
# again, router B runs B8_DHCP lease exchanges one after the other
# (busybox udhcpc, asking for the same address again: -r; broadcast
# replies: -B, so the server's OFFER and ACK take the broadcast path the
# storm floods, unless B8_DHCP_BCAST=0; one DISCOVER, 1 s of guest time
# for an answer: -t 1 -T 1).  The script is /bin/true: B's static addresses stay.  The client
# runs on B8_DHCP_IF: d1 (default), a second device of B's comparator on
# the same lower, in B's namespace, with its own MAC (ipvlan: the lower's)
# and no address, so it receives none of B's unicast stream, only
# broadcasts (the storm's half and the replies; it is not joined to
# 224.0.0.251, so its multicast filter keeps the mDNS half out); or i1,
# B's ingress (busybox udhcpc attaches no filter to its raw socket and
# reads B's 40k pps stream too: NOTES-cost).
# d1 is one more receiver of the storm's broadcast half (its copies are
# in the udp column, its drops in upper and ring), so the copies column
# (storm frames x B8_DEVS) undercounts by half a storm; dhcp_if says
# which device ran the client, dhcp_rx_drop is its rx_dropped (plus
# napi_macvlan's rx_ring_full) over the exchanges, dhcp_s the guest
# seconds per exchange, dhcp_replies_seen the server's replies (OFFER,
# ACK) that reached the client's device (tcpdump -p, kernel filter udp
# dst port 68), dhcp_lower_drop the lower's rx_dropped meanwhile
# (macvlan's bc_queue, napi_macvlan's broadcast queue).
#
# Comparators (B8_COMPS): macvlan (bridge mode, bc_queue_len default,
# 1000), macvlan10k (bcqueuelen 10000), ipvlan (l2), nmv (napi_macvlan,
# default settings).  ipvlan cannot be a transit router (it demultiplexes
# received unicast by destination IP: NOTES.md), so its B delivers 0;
# its storm cost, drops and DHCP are still measured.
#
# Per comparator, in one boot: "solo" (the stream alone) and one row per
# storm rate.  Reported: B's delivered pps (fraction of solo: cost_report),
# busy guest time (the SCHED_IDLE spinner of measure(): instructions), the
# storm frames offered per class, and where they ended: refused by the
# NIC's ring (pktgen errors of the storm devices), dropped on the lower
# (its rx_dropped: macvlan's bc_queue full, ipvlan's multicast backlog
# full), the per-CPU backlog (softnet_stat), the upper devices' rx_dropped
# (macvlan/ipvlan: netif_rx refused a copy), napi_macvlan's rx_ring_full,
# rx_filtered and rx_nomem, and the copies that reached the routers' UDP
# and were discarded there (Udp InErrors + NoPorts + IgnoredMulti,
# summed over the routers' namespaces).  DHCP extras: the OFFERs dnsmasq
# logged during the exchanges (dhcp_offers) and the multicast/broadcast
# frames B's device received meanwhile (dhcp_b_mcast_rx: the OFFERs and
# ACKs that reached it, and the storm's copies when there is one);
# B8_DEBUG=1 prints each exchange's guest time and udhcpc's last words
# and, at the end, dnsmasq's log, as "#" lines.
#   broadcast.sh [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

quick=${1:-}
comps=${B8_COMPS:-"macvlan macvlan10k ipvlan nmv"}
ndevs=${B8_DEVS:-8}
rate=${B8_RATE:-40000}
storms=${B8_STORM:-"10000 30000"}
[ "$quick" = --quick ] && storms=${B8_STORM:-"10000"}
ndhcp=${B8_DHCP:-2}
dif=${B8_DHCP_IF:-d1}
# B8_DHCP_BCAST=0: no -B, the server unicasts its replies to the client's
# MAC (what dnsmasq does for a client that does not set the broadcast flag)
dflag=-B
[ "${B8_DHCP_BCAST:-1}" = 0 ] && dflag=
case $dif in
d1|i1) ;;
*) echo "# B8: B8_DHCP_IF=$dif: d1 or i1" >&2; exit 2 ;;
esac
reps=${REPS:-1}
DEFER_NS=${B8_DEFER_NS:-50000}
DEFER_IRQS=${B8_DEFER_IRQS:-2}
UDHCPC=$(command -v busybox)
DNSMASQ=$(command -v dnsmasq || echo /usr/sbin/dnsmasq)
b8dir=$(mktemp -d /tmp/b8.XXXXXX)

declare -A B_NS B_MAC B_NSL B_KIND B_MADDR

# b8_vif COMP LOWER NAME NS: one router device
b8_vif()
{
	local comp=$1 lower=$2 name=$3 ns=$4
	case $comp in
	macvlan10k)
		ip link add link "$lower" name "$name" type macvlan mode bridge \
			bcqueuelen 10000 || return 1
		ip link set "$name" netns "$ns"
		ip -n "$ns" link set "$name" up
		;;
	*)
		vif_add "$comp" "$lower" "$name" "$ns" ;;
	esac
}

# b8_join NS DEV: DEV joins 224.0.0.251 (autojoin).  ipvlan refuses a
# second device with the same address on one lower (ipvlan_addr_busy), so
# there the others take the link-layer address only (`ip maddr`): their
# copies pass the device's filter and die in IP's route input (not a
# member) instead of UDP; B8_JOINS counts the devices joined that way.
B8_MADDR=0
b8_join()
{
	ip -n "$1" addr add 224.0.0.251/32 dev "$2" autojoin 2>/dev/null && return 0
	B8_MADDR=$((B8_MADDR + 1))
	ip -n "$1" maddr add 01:00:5e:00:00:fb dev "$2"
}

# b8_setup COMP C: topology C (10.C.1.0/24 on the lower: genC .2, B .1,
# neighbour k .10+k; B -> onicC, a dummy, 10.C.2.0/24; the stream goes to
# 10.C.2.3, a static neighbour)
b8_setup()
{
	local comp=$1 c=$2 p=10.$2 k r b nsl
	ns_create R
	b=$R
	router_sysctls "$b"
	nsl=$b
	mk_nic "gen$c" "nic$c"
	echo "$DEFER_NS" > "/sys/class/net/nic$c/gro_flush_timeout"
	echo "$DEFER_IRQS" > "/sys/class/net/nic$c/napi_defer_hard_irqs"
	ip addr add "$p.1.2/24" dev "gen$c"
	ip link add "onic$c" type dummy
	ip link set "onic$c" up
	b8_vif "$comp" "nic$c" i1 "$b" || return 1
	b8_vif "$comp" "onic$c" o1 "$b" || return 1
	ip -n "$b" addr add "$p.1.1/24" dev i1
	b8_join "$b" i1 || return 1
	if [ "$dif" = d1 ]; then
		b8_vif "$comp" "nic$c" d1 "$b" || return 1
	fi
	ip -n "$b" addr add "$p.2.1/24" dev o1
	ip -n "$b" neigh add "$p.2.3" lladdr $BOGUS_MAC dev o1 nud permanent
	for k in $(seq 2 "$ndevs"); do
		ns_create R
		r=$R
		nsl="$nsl $r"
		b8_vif "$comp" "nic$c" "i$k" "$r" || return 1
		ip -n "$r" addr add "$p.1.$((10 + k))/24" dev "i$k"
		b8_join "$r" "i$k" || return 1
	done
	"$DNSMASQ" --no-daemon --conf-file=/dev/null --user=root --port=0 \
		--interface="gen$c" --bind-interfaces --no-ping \
		--dhcp-range="$p.1.100,$p.1.200,255.255.255.0,2m" \
		--dhcp-leasefile="$b8dir/leases$c" --pid-file="$b8dir/pid$c" \
		> "$b8dir/log$c" 2>&1 &
	B_NS[$c]=$b
	B_NSL[$c]=$nsl
	B_MAC[$c]=$(nmv_mac "$b" i1)
	B_KIND[$c]=$comp
	B_MADDR[$c]=$B8_MADDR
	B8_MADDR=0
}

# b8_storm_devs GEN LABEL DSTMAC RATE SRC DST UDPPORT: RATE pps of storm
# frames from GEN, paced like pg_paced (one pktgen device GEN@LABELk per
# frame per period)
b8_storm_devs()
{
	local gen=$1 lbl=$2 mac=$3 r=$4 src=$5 dst=$6 port=$7 k n
	n=$(( (r * PG_PERIOD_NS + 500000000) / 1000000000 ))
	[ "$n" -ge 1 ] || n=1
	for k in $(seq 1 "$n"); do
		pg_add "$gen@$lbl$k" "$mac" 0 "$src" "$dst" || return 1
		echo "delay $PG_PERIOD_NS" > "$PG/$gen@$lbl$k"
		echo "udp_src_min $port" > "$PG/$gen@$lbl$k"
		echo "udp_src_max $port" > "$PG/$gen@$lbl$k"
		echo "udp_dst_min $port" > "$PG/$gen@$lbl$k"
		echo "udp_dst_max $port" > "$PG/$gen@$lbl$k"
		PG_DEVS="$PG_DEVS $gen@$lbl$k"
		STORM_DEVS="$STORM_DEVS $gen@$lbl$k"
	done
	STORM_ASKED=$((STORM_ASKED + n * 1000000000 / PG_PERIOD_NS))
}

# b8_flood C STORM: B's stream (pg_paced) and STORM pps of storm (half
# broadcast, half mDNS multicast), all on kpktgend_0, FIFO
b8_flood()
{
	local c=$1 st=$2
	pg_reset
	STORM_DEVS=
	STORM_ASKED=0
	pg_paced "gen$c" "${B_MAC[$c]}" "$rate" "10.$c.1.2" "10.$c.2.3" || return 1
	if [ "$st" -gt 0 ]; then
		b8_storm_devs "gen$c" b ff:ff:ff:ff:ff:ff $((st / 2)) "10.$c.1.50" \
			255.255.255.255 9 || return 1
		b8_storm_devs "gen$c" m 01:00:5e:00:00:fb $((st / 2)) "10.$c.1.51" \
			224.0.0.251 5353 || return 1
	fi
	pg_sched fifo
	S=
	ONIC=onic$c
	SINK_TXDEV=onic$c
	ONIC_NS=
	GENS=gen$c
	TOPO_NS=${B_NSL[$c]}
	TOPO_KIND=${B_KIND[$c]}
	TOPO_TC=
	OFFERED=${PG_ASKED:-0}
}

# b8_counters C: "lower_rx_dropped upper_rx_dropped nmv_ring_full
# nmv_filtered nmv_nomem udp_discarded"
b8_counters()
{
	local c=$1 ns low
	read -r low < "/sys/class/net/nic$c/statistics/rx_dropped"
	for ns in ${B_NSL[$c]}; do
		ip netns exec "$ns" sh -c '
			for d in /sys/class/net/i[0-9]* /sys/class/net/d1; do
				[ -e "$d" ] || continue
				n=${d##*/}
				echo "drop $(cat $d/statistics/rx_dropped)"
				ethtool -S "$n" 2>/dev/null
			done
			cat /proc/net/snmp' 2>/dev/null
	done | awk -v low="$low" '
		$1 == "drop" { d += $2 }
		$1 == "rx_ring_full:" { f += $2 }
		$1 == "rx_filtered:" { fl += $2 }
		$1 == "rx_nomem:" { nm += $2 }
		$1 == "Udp:" && $2 ~ /^[A-Za-z]/ { for (i = 2; i <= NF; i++) col[$i] = i; next }
		$1 == "Udp:" { u += $(col["NoPorts"]) + $(col["InErrors"]) + $(col["IgnoredMulti"]) }
		END { print low + 0, d + 0, f + 0, fl + 0, nm + 0, u + 0 }'
}

# b8_storm_result: "offered refused" over the storm's pktgen devices
b8_storm_result()
{
	local d sent us err o=0 e=0
	for d in $STORM_DEVS; do
		read -r sent us err <<< "$(pg_result "$d")"
		o=$((o + sent + err))
		e=$((e + err))
	done
	echo "$o $e"
}

# b8_dhcp C: with the stream and the storm running, B8_DHCP lease
# exchanges by router B on B8_DHCP_IF; prints "succeeded attempted
# offers rx_multicast rx_dropped guest_seconds_per_exchange replies_seen
# lower_drop ctl ctl_drop srv_err" (ctl, ctl_drop: napi_macvlan's control
# queue, rx_bc_ctl and rx_bc_ctl_queue_full over the exchanges; 0 for the
# others; srv_err: frames the NIC's ring refused from genC over the
# exchanges other than pktgen's, i.e. genC's tx_dropped less every pktgen
# device's errors: dnsmasq's replies lost before any router device saw
# them (veth_xmit() drops them silently: the socket is not told)
b8_dhcp_ctr()
{
	ip netns exec "${B_NS[$c]}" sh -c "cat /sys/class/net/$dif/statistics/multicast \
		/sys/class/net/$dif/statistics/rx_dropped; ethtool -S $dif 2>/dev/null" |
		awk 'NR <= 2 { v[NR] = $1 } $1 == "rx_ring_full:" { f = $2 }
			$1 == "rx_bc_ctl:" { q = $2 } $1 == "rx_bc_ctl_queue_full:" { d = $2 }
			END { print v[1] + 0, v[2] + f, q + 0, d + 0 }'
}

b8_dhcp()
{
	local c=$1 i ok=0 pid m0 m1 d0 d1 o0 o1 t0 ts ts0 l0 l1 tp rep q0 q1 x0 x1 e0 e1 x
	o0=$(grep -c DHCPOFFER "$b8dir/log$c")
	read -r e0 < "/sys/class/net/gen$c/statistics/tx_dropped"
	read -r m0 d0 q0 x0 <<< "$(b8_dhcp_ctr)"
	read -r l0 < "/sys/class/net/nic$c/statistics/rx_dropped"
	# the server's replies that reach the client's device: tcpdump with
	# a kernel filter (its socket sees only these), not promiscuous
	ip netns exec "${B_NS[$c]}" tcpdump -i "$dif" -n -l -p \
		udp dst port 68 > "$b8dir/tcpd$c" 2> "$b8dir/tcpd$c.err" &
	tp=$!
	busywait 20000 grep -q listening "$b8dir/tcpd$c.err"
	(echo start > $PG/pgctrl) &
	pid=$!
	: > "$b8dir/dhcp$c"
	ts0=$EPOCHREALTIME
	for i in $(seq 1 "$ndhcp"); do
		t0=$EPOCHREALTIME
		ip netns exec "${B_NS[$c]}" "$UDHCPC" udhcpc -i "$dif" -f -q -n $dflag \
			-t 1 -T 1 -r "10.$c.1.150" -s /bin/true > "$b8dir/udhcpc$c" 2>&1 &&
			ok=$((ok + 1))
		echo "attempt $i: $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }') s guest: $(tail -n 2 "$b8dir/udhcpc$c" | tr '\n' ' ')" >> "$b8dir/dhcp$c"
	done
	ts=$(awk -v a="$ts0" -v b="$EPOCHREALTIME" -v n="$ndhcp" 'BEGIN { printf "%.3f", (b - a) / n }')
	echo stop > $PG/pgctrl
	wait "$pid"
	read -r m1 d1 q1 x1 <<< "$(b8_dhcp_ctr)"
	read -r l1 < "/sys/class/net/nic$c/statistics/rx_dropped"
	read -r e1 < "/sys/class/net/gen$c/statistics/tx_dropped"
	for i in ${PG_DEVS:-$GENS}; do
		read -r _ _ x <<< "$(pg_result "$i")"
		e1=$((e1 - x))
	done
	kill -INT "$tp" 2>/dev/null
	wait "$tp"
	rep=$(grep -c Reply "$b8dir/tcpd$c")
	o1=$(grep -c DHCPOFFER "$b8dir/log$c")
	echo "$ok $ndhcp $((o1 - o0)) $((m1 - m0)) $((d1 - d0)) $ts $rep $((l1 - l0)) $((q1 - q0)) $((x1 - x0)) $((e1 - e0))"
}

topos=()
c=80
for comp in $comps; do
	c=$((c + 1))
	if b8_setup "$comp" "$c"; then
		topos+=("$c:$comp")
	else
		echo "# B8: setup of $comp failed: left out"
	fi
done

# dnsmasq up on every lower, and one lease each, before any measurement
for t in "${topos[@]}"; do
	IFS=: read -r c comp <<< "$t"
	busywait 20000 sh -c "ss -lun | grep -q '%gen$c:67 '" ||
		echo "# B8: dnsmasq on gen$c does not listen: $(cat "$b8dir/log$c")"
	ip netns exec "${B_NS[$c]}" "$UDHCPC" udhcpc -i "$dif" -f -q -n $dflag -t 5 -T 1 \
		-r "10.$c.1.150" -s /bin/true > /dev/null 2>&1 ||
		echo "# B8: $comp: no lease without a storm"
done

# the first run after the setup loses frames at the NIC that later runs
# do not (chain.sh): one run thrown away
IFS=: read -r c comp <<< "${topos[0]}"
b8_flood "$c" 0
measure warmup x x 0 0 > /dev/null

for rep in $(seq 1 "$reps"); do
	for st in 0 $storms; do
		for t in "${topos[@]}"; do
			IFS=: read -r c comp <<< "$t"
			b8_flood "$c" "$st" || { echo "# B8: generator setup failed: $comp $st"; continue; }
			a=($(b8_counters "$c"))
			row=$(measure B8 "$comp" "storm=$st" "$st" "$rep")
			b=($(b8_counters "$c"))
			read -r so se <<< "$(b8_storm_result)"
			read -r dok dn doff dmc ddrop dsec drep dlow dctl dctlx dsrv <<< "$(b8_dhcp "$c")"
			echo "$row;devs=$ndevs;rate=$rate;storm_asked=$STORM_ASKED;storm_sent=$so;storm_nic=$se$(
				printf ';lower_drop=%d;upper_drop=%d;nmv_ring_full=%d;nmv_filtered=%d;nmv_nomem=%d;udp_discard=%d' \
				$((b[0] - a[0])) $((b[1] - a[1])) $((b[2] - a[2])) $((b[3] - a[3])) \
				$((b[4] - a[4])) $((b[5] - a[5])));dhcp_ok=$dok;dhcp_n=$dn;dhcp_offers=$doff;dhcp_b_mcast_rx=$dmc;dhcp_if=$dif;dhcp_bcast=${B8_DHCP_BCAST:-1};dhcp_rx_drop=$ddrop;dhcp_s=$dsec;dhcp_replies_seen=$drep;dhcp_lower_drop=$dlow;dhcp_ctl=$dctl;dhcp_ctl_drop=$dctlx;dhcp_srv_err=$dsrv;maddr_only=${B_MADDR[$c]}"
			[ "${B8_DEBUG:-0}" = 1 ] && sed "s/^/# B8 dhcp $comp: /" "$b8dir/dhcp$c"
			[ "${B8_DEBUG:-0}" = 1 ] && cat "$b8dir/tcpd$c" "$b8dir/tcpd$c.err" |
				cut -c1-150 | sed "s/^/# B8 tcpdump $comp: /"
		done
	done
done
bench_cleanup
for t in "${topos[@]}"; do
	IFS=: read -r c comp <<< "$t"
	[ -e "$b8dir/pid$c" ] && kill "$(cat "$b8dir/pid$c")" 2>/dev/null
done
[ "${B8_DEBUG:-0}" = 1 ] && for t in "${topos[@]}"; do
	IFS=: read -r c comp <<< "$t"
	tail -n 30 "$b8dir/log$c" | sed "s/^/# B8 dnsmasq $comp: /"
done
rm -rf "$b8dir"
