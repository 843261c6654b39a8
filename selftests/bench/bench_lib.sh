# SPDX-License-Identifier: GPL-2.0
# In-VM helpers of the benchmarks (sourced after ../lib.sh).
#
# Model (see README.md): CPU0 runs the generator (pktgen, kpktgend_0), CPU1
# is "the router's core".  The ingress NIC is a veth "nicN" whose NAPI is
# enabled (GRO on, peer TSO off) and threaded, the NAPI thread pinned to
# CPU1: pktgen start_xmit()s on the peer "genN" in the init namespace, the
# frame lands in the NIC's 256-entry ring (full ring = a NIC-side drop,
# counted as genN tx_dropped) and is received by the NIC's NAPI poll on
# CPU1, exactly as a real NIC's.  The egress NIC "onic" is a veth whose peer
# "sink" (namespace S, also NAPI, so the sink does not use the backlog)
# counts what was forwarded: the flood goes to 10.2.0.3, whose neighbour is
# a MAC nobody owns, so the sink drops it in ip_rcv() at minimal cost.
#
# Every measurement prints one CSV row (prefix "CSV,"), columns in
# BENCH_COLUMNS.

BENCH_COLUMNS="scenario,comparator,param,x,rep,offered_pps,sent_pps,tput_pps,ratio_sink_sent,cpu1_busy_pct,cpu1_ns_per_pkt,lat_avg_us,lat_loss_pct,drop_nic,drop_ring,drop_policed,drop_backlog,drop_qdisc,drop_sink_nic,extra"

BENCH_DUR=${BENCH_DUR:-3}
[ "${BENCH_QUICK:-}" = 1 ] && BENCH_DUR=2
# Cost mode (run.sh --cost): one vCPU under QEMU's icount, guest time
# counts instructions.  Everything (generator, NICs' NAPI in softirq,
# routers) runs on CPU0; the cost of a packet is guest time per packet.
# Figures repeat within a fraction of a percent, so runs are short: 1 s
# of guest time (0.5 s in bench-quick), 50-100k packets at full speed.
BENCH_COST=${BENCH_COST:-0}
RCPU=1
if [ "$BENCH_COST" = 1 ]; then
	RCPU=0
	BENCH_DUR=${BENCH_COST_DUR:-1}
	[ "${BENCH_QUICK:-}" = 1 ] && BENCH_DUR=${BENCH_COST_DUR:-0.5}
fi
PKT_SIZE=${PKT_SIZE:-64}
BOGUS_MAC=02:00:00:00:00:99
PG=/proc/net/pktgen
TRACEFS=/sys/kernel/tracing

csv()
{
	local IFS=,
	echo "CSV,$*"
}

# tracefs_mount: tracefs at $TRACEFS (kprobe counts, function_graph)
tracefs_mount()
{
	[ -e $TRACEFS/trace ] || mount -t tracefs nodev $TRACEFS
}

# --- NIC emulation -----------------------------------------------------------

# pin_napi DEV: make DEV's NAPI threaded and move its thread(s) to CPU1
pin_napi()
{
	local ns=$1 dev=$2 pid
	# cost mode: one CPU, NAPI in softirq right after each transmit
	[ "$BENCH_COST" = 1 ] && return 0
	nsrun "$ns" sh -c "echo 1 > /sys/class/net/$dev/threaded"
	for pid in $(pgrep "^napi/$dev-"); do
		taskset -pc 1 "$pid" >/dev/null
	done
}

# mk_nic GEN NIC [NS]: veth GEN (init ns, generator) <-> NIC (namespace NS,
# default init), NIC in NAPI mode with its poll threaded on CPU1.  (Moving
# a veth whose NAPI is threaded to another namespace hung the 6.1 guest:
# NIC is moved first, and nic_unthread runs before any move or deletion.)
mk_nic()
{
	local gen=$1 nic=$2 ns=${3:-}
	ip link add "$gen" type veth peer name "$nic"
	[ -z "$ns" ] || ip link set "$nic" netns "$ns"
	ethtool -K "$gen" tso off gso off >/dev/null 2>&1
	nsrun "$ns" ethtool -K "$nic" gro on >/dev/null 2>&1
	ip link set "$gen" up
	ip ${ns:+-n "$ns"} link set "$nic" up
	pin_napi "$ns" "$nic"
}

# nic_unthread_all: threaded NAPI off on every device of every namespace
nic_unthread_all()
{
	local ns f
	for ns in "" $(ip netns list | awk '{print $1}'); do
		nsrun "$ns" sh -c 'for f in /sys/class/net/*/threaded; do
			[ "$(cat $f 2>/dev/null)" = 1 ] && echo 0 > $f; done; true' 2>/dev/null
	done
}

# mk_sink ONIC: egress NIC ONIC (init ns) <-> "sink" in namespace S
# (10.2.0.2/24), in NAPI mode (softirq on the CPU that transmits: CPU1)
mk_sink()
{
	local onic=$1 p=$2
	ns_create S
	ip link add "$onic" type veth peer name sink netns "$S"
	ethtool -K "$onic" tso off gso off >/dev/null 2>&1
	ip netns exec "$S" ethtool -K sink gro on >/dev/null 2>&1
	ip link set "$onic" up
	ip -n "$S" link set sink up
	ip -n "$S" addr add "$p.2.2/24" dev sink
	ip -n "$S" route add default via "$p.2.1"
}

router_sysctls()
{
	ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.conf.all.accept_redirects=0 \
		net.ipv4.conf.all.send_redirects=0 \
		net.ipv4.conf.default.send_redirects=0
}

# router_firewall NS RULES: nftables in NS as a container router's
# (napi_macvlan_thread.sh's router_firewall): conntrack, masquerade out
# of o1, RULES rules every packet of a new flow walks
router_firewall()
{
	local i
	{
		echo "table inet vr {"
		echo " chain vrforward { type filter hook forward priority 0;"
		echo "  ct state established,related accept"
		for i in $(seq 1 "$2"); do
			echo "  ip saddr 192.0.2.$i udp dport $((1000 + i)) drop"
		done
		echo " }"
		echo " chain vrpost { type nat hook postrouting priority 100;"
		echo "  oifname o1 masquerade"
		echo " }"
		echo "}"
	} | ip netns exec "$1" nft -f -
}

# --- counters ----------------------------------------------------------------

backlog_drops()
{
	local s=0 l
	while read -r _ l _; do
		s=$((s + 16#$l))
	done < /proc/net/softnet_stat
	echo $s
}

# qdisc drops over all namespaces
qdisc_drops()
{
	local ns
	{
		tc -s qdisc show 2>/dev/null
		tc -s filter show dev "${POLICE_DEV:-lo}" ingress 2>/dev/null
		[ -n "${POLICE_NS:-}" ] && ip netns exec "$POLICE_NS" \
			tc -s filter show dev "${POLICE_NSDEV:-lo}" ingress 2>/dev/null
	} | awk '/dropped/ { for (i = 1; i < NF; i++) if ($i ~ /^\(?dropped$/) { v = $(i + 1); sub(",", "", v); s += v } } END { print s + 0 }'
}

# nmv_drops: "rx_ring_full rx_policed" summed over the napi_macvlan devices
# i* and o* of the current topology's routers (one process per namespace;
# B4's hundreds of idle x* interfaces would cost an ethtool run each)
nmv_drops()
{
	local ns
	for ns in $TOPO_NS; do
		ip netns exec "$ns" sh -c 'for d in /sys/class/net/[io][0-9]*; do
			ethtool -S "${d##*/}" 2>/dev/null; done'
	done | awk '$1 == "rx_ring_full:" { r += $2 } $1 == "rx_policed:" { p += $2 }
		    END { print r + 0, p + 0 }'
}

cpu1_ticks()
{
	awk -v c="cpu$RCPU" '$1 == c { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8, $5 }' /proc/stat
}

# dev_stats NS DEV: "rx_packets tx_dropped" of DEV in NS (one process: ip -j)
dev_stats()
{
	ip ${1:+-n "$1"} -j -s link show dev "$2" |
		sed -n 's/.*"rx":{"bytes":[0-9]*,"packets":\([0-9]*\).*"tx":{"bytes":[0-9]*,"packets":[0-9]*,"errors":[0-9]*,"dropped":\([0-9]*\).*/\1 \2/p'
}

# sysfs counter of an init-namespace device, without forking
sys_stat()
{
	local v
	read -r v < "/sys/class/net/$1/statistics/$2"
	echo "$v"
}

# snapshot: print all counters as one line (kept cheap: under TCG every
# process costs tens of milliseconds)
snapshot()
{
	local sinkrx odrop gdrop=0 g ring=0 pol=0 tcd=0 x
	if [ -n "${SINK_TXDEV:-}" ]; then
		# the egress is a dummy device: what it transmitted
		read -r sinkrx < "/sys/class/net/$SINK_TXDEV/statistics/tx_packets"
	else
		read -r sinkrx x <<< "$(dev_stats "$S" sink)"
	fi
	for g in $GENS; do
		read -r x < "/sys/class/net/$g/statistics/tx_dropped"
		gdrop=$((gdrop + x))
	done
	read -r x odrop <<< "$(dev_stats "${ONIC_NS:-}" "$ONIC")"
	if [ "$TOPO_KIND" = nmv ] || [ "$TOPO_KIND" = nmvdirect ]; then
		read -r ring pol <<< "$(nmv_drops)"
	fi
	[ -n "$TOPO_TC" ] && tcd=$(qdisc_drops)
	echo "$sinkrx $gdrop $ring $pol $(backlog_drops) $tcd $odrop"
}

# --- pktgen ------------------------------------------------------------------

# pg_add GEN DSTMAC RATE SRCIP DSTIP [THREAD]: (re)configure GEN on
# kpktgend_THREAD (default 0, on CPU0), flood to DSTIP; RATE 0 = as fast
# as possible.
pg_add()
{
	local dev=$1 mac=$2 rate=$3 src=$4 dst=$5 thr=${6:-0}
	echo "add_device $dev" > "$PG/kpktgend_$thr"
	{
		echo "count 0"
		echo "pkt_size $PKT_SIZE"
		echo "delay 0"
		echo "clone_skb 0"
		echo "burst 1"
		echo "dst $dst"
		echo "src_min $src"
		echo "src_max $src"
		echo "dst_mac $mac"
		echo "udp_src_min 9"
		echo "udp_dst_min 9"
		[ "$rate" -gt 0 ] && echo "ratep $rate"
	} | while read -r line; do echo "$line" > "$PG/$dev"; done
}

# pg_reset: remove every pktgen device and wait until each thread has
# (rem_device_all only asks the thread, which removes them later: a device
# added before that could be removed with them; as lib.sh's pktgen_setup).
# Also puts kpktgend_* back to SCHED_OTHER (pg_paced makes them FIFO).
pg_reset()
{
	local t
	modprobe pktgen
	for t in $PG/kpktgend_*; do
		t=${t##*/}
		pktgen_thread_empty "$t" && continue
		echo "rem_device_all" > "$PG/$t"
		busywait 20000 pktgen_thread_empty "$t" || {
			echo "# pktgen: $t still has devices after rem_device_all" >&2
			return 1
		}
	done
	pg_sched other
	PG_DEVS=
	PG_ASKED=
}

# pg_sched fifo|other: scheduling class of every kpktgend thread.  FIFO
# only for paced (open-loop) runs, where the thread sleeps between bursts;
# at full speed a FIFO pktgen would starve ksoftirqd and the routers.
pg_sched()
{
	local pid
	for pid in $(pgrep '^kpktgend_'); do
		if [ "$1" = fifo ]; then
			chrt -f -p 50 "$pid"
		else
			chrt -o -p 0 "$pid"
		fi
	done
}

# --- open-loop generator -----------------------------------------------------
#
# pg_paced GEN DSTMAC RATE SRCIP DSTIP [LABEL]: offer RATE pps on GEN
# whatever the receivers do, in bursts every PG_PERIOD_NS (500 us) of
# guest time (LABEL tells apart streams sharing GEN: devices GEN@LABELk).
#
# pktgen cannot send a burst on a veth (`burst` needs IFF_TX_SKB_SHARING,
# which veth clears), and a per-packet delay under 100 us busy-waits: with
# the thread FIFO so that the softirq work cannot slow it, that busy-wait
# starves ksoftirqd on one CPU.  So the burst is made of K = RATE x period
# pktgen devices on the same veth (GEN@1 .. GEN@K, pktgen's "dev@label"
# form), each sending one frame per period (`delay` = period: pktgen
# sleeps on an hrtimer between them, and catches up back to back if it
# was held up, since next_tx advances by the delay from the scheduled
# time, not from the send).  RATE is rounded to a multiple of 1/period
# (2000 pps); PG_ASKED gets the rate asked after rounding, PG_DEVS the
# pktgen devices (pg_offered and measure read every one's own counts).
# Call pg_sched fifo once all are added.  The cost of the generator is
# then fixed per offered packet (pktgen looks through its device list
# for the next one due: K entries per frame); B2fo's `gen` row measures
# it.
PG_PERIOD_NS=${PG_PERIOD_NS:-500000}
pg_paced()
{
	local gen=$1 mac=$2 rate=$3 src=$4 dst=$5 lbl=${6:-} k n
	n=$(( (rate * PG_PERIOD_NS + 500000000) / 1000000000 ))
	[ "$n" -ge 1 ] || n=1
	for k in $(seq 1 "$n"); do
		pg_add "$gen@$lbl$k" "$mac" 0 "$src" "$dst" || return 1
		echo "delay $PG_PERIOD_NS" > "$PG/$gen@$lbl$k" || return 1
		PG_DEVS="${PG_DEVS:-} $gen@$lbl$k"
	done
	PG_ASKED=$(( ${PG_ASKED:-0} + n * 1000000000 / PG_PERIOD_NS ))
}

# pg_offered GEN...: after a run, "pps_1:pps_2:..." offered per generator
# netdev (sent + refused by a full NIC ring, summed over its GEN@k pktgen
# devices), then the fewest and most frames any one pktgen device offered
# ("min max"): every device must have sent its share (a device that sent
# none is how one-thread pktgen failed before)
pg_offered()
{
	local g d out="" sent us err tot umax mn="" mx=0
	for g in "$@"; do
		tot=0 umax=1
		for d in $PG_DEVS; do
			[ "${d%@*}" = "$g" ] || continue
			read -r sent us err <<< "$(pg_result "$d")"
			tot=$((tot + sent + err))
			[ "$us" -gt "$umax" ] && umax=$us
			[ -z "$mn" ] || [ $((sent + err)) -lt "$mn" ] && mn=$((sent + err))
			[ $((sent + err)) -gt "$mx" ] && mx=$((sent + err))
		done
		out="$out${out:+:}$((tot * 1000000 / umax))"
	done
	echo "$out ${mn:-0} $mx"
}

# pg_result DEV: "sent usec errors" of DEV's last run
pg_result()
{
	awk '/^Result: OK:/ { split($3, a, "("); us = a[1]; n = $5 }
	     /pkts-sofar:/ { s = $2; e = $4 }
	     END { print s + 0, us + 0, e + 0 }' "$PG/$1"
}

# --- one measurement --------------------------------------------------------

# measure SCEN COMP PARAM X REP: run the configured pktgen devices (GENS) for
# BENCH_DUR s with ping (from init ns to 10.2.0.2 through the router) on
# CPU0, print one CSV row.  Globals: S, ONIC, GENS, OFFERED (label).
measure()
{
	local scen=$1 comp=$2 param=$3 x=$4 rep=$5
	local a b c0 c1 pid pingout sent us err lat loss
	local sent_t=0 us_max=0 err_t=0 g spid= s0=0 s1=0 w0=0 w1=0 rxstop

	# open loop in cost mode: the CPU is not always busy, and /proc/stat
	# cannot say how much (under icount it showed a CPU running pktgen
	# flat out 68% idle).  A SCHED_IDLE spinner takes whatever the
	# packet work leaves; its own run time (schedstat, ns) is the idle
	# time, and busy = the window's guest time - the spinner's.
	if [ "$BENCH_COST" = 1 ] && [ -n "${PG_ASKED:-}" ]; then
		chrt -i 0 bash -c 'while :; do :; done' &
		spid=$!
	fi
	a=($(snapshot))
	c0=($(cpu1_ticks))
	if [ -n "$spid" ]; then
		read -r s0 _ < "/proc/$spid/schedstat"
		w0=$EPOCHREALTIME
	fi
	(echo start > $PG/pgctrl) &
	pid=$!
	if [ "$BENCH_COST" = 1 ]; then
		# no ping: its process would be counted in the cost
		sleep "$BENCH_DUR"
		pingout=
	else
		pingout=$(taskset -c 0 ping -n -q -i 0.1 -w "$BENCH_DUR" -W 1 "$PING_DST" 2>&1)
	fi
	echo stop > $PG/pgctrl
	wait "$pid"
	# open loop: what the sink had at the stop.  The queues full at the
	# stop (the backlog, rings, the NICs' rings) drain after it and would
	# add up to a few thousand frames to a rate over ~1 s of guest time.
	rxstop=-1
	if [ -n "$spid" ]; then
		if [ -n "${SINK_TXDEV:-}" ]; then
			read -r rxstop < "/sys/class/net/$SINK_TXDEV/statistics/tx_packets"
		else
			read -r rxstop _ <<< "$(dev_stats "$S" sink)"
		fi
	fi
	c1=($(cpu1_ticks))
	# the queues drain (1000 backlog + a few rings: some 10 ms of guest
	# time even at overload; the spinner's time costs wall time)
	if [ -n "$spid" ]; then sleep 0.1; else sleep 0.3; fi
	if [ -n "$spid" ]; then
		# the window ends after the queues drained: their work is in
		w1=$EPOCHREALTIME
		read -r s1 _ < "/proc/$spid/schedstat"
		{ kill "$spid"; wait "$spid"; } 2>/dev/null
	fi
	b=($(snapshot))
	for g in ${PG_DEVS:-$GENS}; do
		read -r sent us err <<< "$(pg_result "$g")"
		sent_t=$((sent_t + sent))
		err_t=$((err_t + err))
		[ "$us" -gt "$us_max" ] && us_max=$us
	done
	lat=$(printf '%s\n' "$pingout" | sed -n 's|^rtt [^=]*= [0-9.]*/\([0-9.]*\)/.*|\1|p')
	lat=$(awk -v l="${lat:-0}" 'BEGIN { printf "%.0f", l * 1000 }')
	loss=$(printf '%s\n' "$pingout" | sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p')
	[ -n "$lat" ] && [ "$lat" != 0 ] || lat=NA
	awk -v scen="$scen" -v comp="$comp" -v param="$param" -v x="$x" \
	    -v rep="$rep" -v off="${OFFERED:-0}" -v sent="$sent_t" -v us="$us_max" \
	    -v err="$err_t" -v lat="$lat" -v loss="${loss:-NA}" \
	    -v a="${a[*]} ${c0[*]}" -v b="${b[*]} ${c1[*]}" -v extra="${EXTRA:-}" \
	    -v cost="$BENCH_COST" -v paced="${PG_ASKED:-0}" \
	    -v spin=$((s1 - s0)) -v w0="$w0" -v w1="$w1" -v rxstop="$rxstop" 'BEGIN {
		split(a, A, " "); split(b, B, " ")
		if (us <= 0) us = 1
		rx = B[1] - A[1]
		# the rate: frames delivered while the generator ran
		rxr = (rxstop >= 0 ? rxstop - A[1] : rx)
		busy = B[8] - A[8]; tot = B[9] - A[9]
		bp = (tot > 0 ? 100 * busy / tot : 0)
		# USER_HZ is 100: a tick is 10 ms
		# router-CPU time per packet the NIC received
		nsp = (sent > 0 ? busy * 1e7 / sent : 0)
		if (cost == 1) {
			# icount: the elapsed time of pktgen is instructions.  At
			# full speed (offered 0) pktgen never sleeps, so the one
			# CPU was busy all along; at a fixed rate take the busy
			# share of /proc/stat (tick-sampled: coarse, and the
			# 6.1 guest under icount under-counts it)
			bf = (tot > 0 ? busy / tot : 1)
			if (off == 0) bf = 1
			el = us * 1000 * bf
			if (paced > 0) {
				# open loop (pg_paced): busy guest time of
				# the window (start .. queues drained) =
				# window - what the idle spinner ran
				win = (w1 - w0) * 1e9
				el = win - spin
				if (el < 0) el = 0
				extra = extra (extra == "" ? "" : ";") \
					sprintf("asked=%d;busy_pct=%.1f;win_us=%d;el_us=%d;statidle_pct=%.1f;rx_run=%d;rx_all=%d", paced,
						(win > 0 ? 100 * el / win : 0), win / 1000, us,
						100 * (B[10] - A[10]) * 1e7 / (us * 1000), rxr, rx)
			}
			nsp = (sent > 0 ? el / sent : 0)
			extra = extra (extra == "" ? "" : ";") "instr=icount" \
				sprintf(";ns_sent=%.1f;ns_fwd=%.1f", nsp, (rx > 0 ? el / rx : 0))
		} else {
			extra = extra (extra == "" ? "" : ";") "instr=tcg"
		}
		printf "CSV,%s,%s,%s,%s,%s,%s,%.0f,%.0f,%.4f,%.1f,%.0f,%s,%s,%d,%d,%d,%d,%d,%d,%s\n",
			scen, comp, param, x, rep, (sent + err) * 1e6 / us, sent * 1e6 / us,
			rxr * 1e6 / us, (sent > 0 ? rxr / sent : 0), bp, nsp, lat, loss,
			B[2] - A[2], B[3] - A[3], B[4] - A[4], B[5] - A[5],
			B[6] - A[6], B[7] - A[7], extra
	}'
}

# --- topologies ---------------------------------------------------------------
#
# Every comparator gets its own topology, all built once and kept for the
# whole scenario: measurements are interleaved, and nothing is torn down in
# between (deleting or moving a veth whose NAPI is threaded hung the 6.1
# guest, so the VM is simply powered off at the end).
#
# chain_setup COMP N C: topology number C (1..99): N routers R1..RN in a
# chain between nicC (fed by genC) and onicC (sink).  Addresses: segment 0
# 10.C.1.0/24 (genC .2, R1 .1), segments k = 1..N-1 10.C.(10+k).0/24 (Rk .1,
# Rk+1 .2), last 10.C.2.0/24 (RN .1, sink .2); the flood goes to 10.C.2.3.
# All routers' ingress-side interfaces hang on nicC (traffic between routers
# crosses the same lower); RN's egress on onicC.
# COMP: nonvirt (N=1: R owns nicC and onicC), macvlan (bridge mode), ipvlan
# (l2), nmv (napi_macvlan), nmvdirect (napi_macvlan, local direct), bridge
# (bridge + a veth per interface).
# Records T_GEN[C] T_S[C] T_ONIC[C] T_ONICNS[C] T_MAC[C] T_R1[C] T_RN[C].
declare -A T_GEN T_S T_ONIC T_ONICNS T_MAC T_R1 T_RN T_RNSL T_KIND T_TC

# vif_add COMP LOWER NAME NS: one router interface of kind COMP on LOWER
vif_add()
{
	local comp=$1 lower=$2 name=$3 ns=$4 br h
	case $comp in
	macvlan)
		ip link add link "$lower" name "$name" type macvlan mode bridge ;;
	ipvlan)
		ip link add link "$lower" name "$name" type ipvlan mode l2 ;;
	nmv)
		ip link add link "$lower" name "$name" type napi_macvlan ;;
	nmvdirect)
		nmv_ip link add link "$lower" name "$name" type napi_macvlan \
			local direct ;;
	bridge)
		br=br_$lower
		if [ ! -e "/sys/class/net/$br" ]; then
			ip link add "$br" type bridge
			ip link set "$lower" master "$br"
			ip link set "$br" up
		fi
		h=v$RANDOM$RANDOM
		ip link add "$h" type veth peer name "$name"
		ip link set "$h" master "$br"
		ip link set "$h" up
		;;
	esac
	ip link set "$name" netns "$ns"
	ip -n "$ns" link set "$name" up
}

chain_setup()
{
	local comp=$1 n=$2 c=$3 k r
	local gen=gen$c nic=nic$c onic=onic$c p=10.$c
	local rns=()

	for k in $(seq 1 "$n"); do
		ns_create R
		rns+=("$R")
		router_sysctls "$R"
	done
	mk_sink "$onic" "$p"
	T_S[$c]=$S
	T_ONIC[$c]=$onic
	T_ONICNS[$c]=
	T_GEN[$c]=$gen
	T_R1[$c]=${rns[0]}
	T_RN[$c]=${rns[$((n - 1))]}
	T_RNSL[$c]="${rns[*]}"
	T_KIND[$c]=$comp
	T_TC[$c]=
	if [ "$comp" = nonvirt ]; then
		r=${rns[0]}
		mk_nic "$gen" "$nic" "$r"
		ip link set "$onic" netns "$r"
		ip -n "$r" link set "$onic" up
		T_ONICNS[$c]=$r
	else
		mk_nic "$gen" "$nic"
	fi
	ip addr add "$p.1.2/24" dev "$gen"
	ip route add "$p.2.0/24" via "$p.1.1"
	if [ "$comp" = nonvirt ]; then
		ip -n "$r" addr add "$p.1.1/24" dev "$nic"
		ip -n "$r" addr add "$p.2.1/24" dev "$onic"
		ip -n "$r" neigh add "$p.2.3" lladdr $BOGUS_MAC dev "$onic" nud permanent
		T_MAC[$c]=$(nmv_mac "$r" "$nic")
		return 0
	fi
	for k in $(seq 1 "$n"); do
		r=${rns[$((k - 1))]}
		vif_add "$comp" "$nic" "i$k" "$r"
		if [ "$k" -eq 1 ]; then
			ip -n "$r" addr add "$p.1.1/24" dev "i$k"
		else
			ip -n "$r" addr add "$p.$((9 + k)).2/24" dev "i$k"
			ip -n "$r" route add "$p.1.0/24" via "$p.$((9 + k)).1"
		fi
		if [ "$k" -eq "$n" ]; then
			vif_add "$comp" "$onic" "o$k" "$r"
			ip -n "$r" addr add "$p.2.1/24" dev "o$k"
			ip -n "$r" neigh add "$p.2.3" lladdr $BOGUS_MAC dev "o$k" nud permanent
		else
			vif_add "$comp" "$nic" "o$k" "$r"
			ip -n "$r" addr add "$p.$((10 + k)).1/24" dev "o$k"
			ip -n "$r" route add "$p.2.0/24" via "$p.$((10 + k)).2"
		fi
	done
	T_MAC[$c]=$(nmv_mac "${rns[0]}" i1)
}

# use_topo C: point the measurement globals at topology C
use_topo()
{
	local c=$1
	S=${T_S[$c]}
	ONIC=${T_ONIC[$c]}
	ONIC_NS=${T_ONICNS[$c]}
	GENS=${T_GEN[$c]}
	TOPO_NS=${T_RNSL[$c]}
	TOPO_KIND=${T_KIND[$c]}
	TOPO_TC=${T_TC[$c]}
	POLICE_DEV=nic$c
	POLICE_NS=${T_R1[$c]}
	POLICE_NSDEV=i1
	PING_DST=10.$c.2.2
	FLOOD_DST=10.$c.2.3
	FLOOD_SRC=10.$c.1.2
}

# warm C: resolve neighbours with pings through topology C
warm()
{
	busywait 8000 ping -n -q -c 1 -W 1 "10.$1.2.2" >/dev/null 2>&1 || true
}

# flood C RATE: configure pktgen for topology C alone
flood()
{
	use_topo "$1"
	pg_reset
	pg_add "${T_GEN[$1]}" "${T_MAC[$1]}" "$2" "$FLOOD_SRC" "$FLOOD_DST"
	OFFERED=$2
}

# bench_cleanup: stop pktgen; the VM is powered off after the run
bench_cleanup()
{
	pg_reset 2>/dev/null || true
}
