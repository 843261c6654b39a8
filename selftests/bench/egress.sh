#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B10: the egress limit of a router (issue 18): igtb's egress shaper
# against tbf and fq pacing, on one napi_macvlan router (bench_lib.sh's
# chain_setup nmv 1: genC -> nicC -> i1 | router R | o1 -> onicC -> sink).
# The limit under test is the only one on R's egress device o1:
#   none    no limit (the floor)
#   shape   igtb egress shape (vrctl rate set ... egress rate R burst B
#           latency 50): per-device backlog, soft hrtimer
#   police  igtb egress police (... police): drop, no queue
#   tbf     tc qdisc tbf rate R burst B latency 50ms on o1
#   fq      tc qdisc fq maxrate R on o1 (flow_limit = 50 ms of the rate,
#           quantum and initial_quantum = B): per-flow pacing, not EDT;
#           with the one flow of this stream, fq's per-flow maxrate is
#           the device's rate.
#   edt     earliest-departure-time pacing: edt_pace.bpf.c at clsact
#           egress on o1 (built here with clang -target bpf, loaded by
#           tc) stamps skb->tstamp from a per-device virtual clock, a
#           token bucket in EDT form (burst B: the clock lags now by at
#           most B / R; a frame due more than 50 ms ahead is dropped
#           there), and fq, o1's root qdisc, holds each frame until its
#           tstamp (horizon 2 x 50 ms, flow_limit 50 ms + B of frames).
#
# (1) cost per packet, cost mode (icount, one vCPU): a fixed-rate stream
#     (pktgen, PG_K devices on one SCHED_FIFO thread, each sending every
#     PG_K / PPS s: bursts of PG_K frames, the thread sleeping on an
#     hrtimer in between, so the CPU idles and nothing throttles the
#     generator), three regimes: "conform" (the limit at 2x the offered
#     bytes: everything passes) and "over" (the limit at half the offered
#     bytes: half is delayed and dropped), and "drop" (64 kbit/s: all
#     but 0.7% dropped, for the cost of a dropped frame).  What the whole path costs is
#     measured with a SCHED_IDLE soaker (egress_helper soak) that takes
#     every instruction the rest leaves: busy = window - iterations x (ns
#     per iteration of an idle run), per offered and per forwarded frame.
# (2) output burstiness under CPU clustering: the ingress NIC's NAPI runs
#     in its thread (threaded NAPI, SCHED_OTHER) and a SCHED_FIFO hog
#     takes HOG_ON of every HOG_PERIOD us, so the router forwards in
#     clusters; a capture on the lower (onicC, -Q out) gives the departure
#     times in guest time; excess = the largest bytes(i..j) - rate x (t_j -
#     t_i) over every window of frames, against burst + one frame.
#     "smooth": the same without the hog.
#   egress.sh [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

quick=${1:-}
[ "$BENCH_COST" = 1 ] || { echo "# B10: cost mode only (one vCPU under icount)"; exit 0; }
if [ "$quick" = --quick ]; then
	reps=${REPS:-1}
	dur=${B10_DUR:-0.5}
else
	reps=${REPS:-2}
	dur=${B10_DUR:-1}
fi
C=43
PG_K=${PG_K:-10}
PPS=${B10_PPS:-20000}		# (1): offered frames/s
LAT_MS=50
COMPS=${B10_COMPS:-"none shape police tbf fq edt"}
# (2): offered frames/s (the limit: the bytes of 1.2x that), its burst,
# the hog
PPS2=${B10_PPS2:-10000}
BURST2=1514
HOG_ON=${B10_HOG_ON:-6000}
HOG_PERIOD=10000
HELPER=/tmp/b10_egress_helper

# frame length on o1 and on the wire: pktgen's pkt_size (6.1 counts no
# FCS in it; the capture's frame column shows it)
FLEN=$PKT_SIZE

cc -O2 -o "$HELPER" "$(dirname "$0")/egress_helper.c" || {
	echo "# B10: cannot build egress_helper"; exit 1; }

# edt_obj RATE BURST: the edt program for RATE bit/s and BURST bytes (one
# object per pair, built once), its path on stdout
edt_obj()
{
	local o=/tmp/b10_edt_$1_$2.o

	[ -s "$o" ] || clang -O2 -g -target bpf -I"/usr/include/$(gcc -print-multiarch)" \
		-DRATE=$(($1 / 8)) -DBURST="$2" -DLAT_NS=$((LAT_MS * 1000000)) \
		-c "$(dirname "$0")/edt_pace.bpf.c" -o "$o" >&2 || return 1
	echo "$o"
}

tracefs_mount
chain_setup nmv 1 "$C" || exit 1
R=${T_R1[$C]}
warm "$C"
use_topo "$C"

# limit COMP RATE BURST: make COMP o1's only egress limit (RATE bit/s,
# BURST bytes; the fq flow limit and the latency bound: LAT_MS of RATE)
limit()
{
	local comp=$1 rate=$2 burst=$3 flim obj

	"$VRCTL" rate del dev o1 netns "$R" egress >/dev/null 2>&1
	ip netns exec "$R" tc qdisc del dev o1 root 2>/dev/null
	ip netns exec "$R" tc qdisc del dev o1 clsact 2>/dev/null
	flim=$((rate / 8 * LAT_MS / 1000 / FLEN))
	[ "$flim" -ge 1 ] || flim=1
	case $comp in
	shape)
		"$VRCTL" rate set dev o1 netns "$R" egress rate "${rate}bit" \
			burst "$burst" latency "$LAT_MS" >/dev/null ;;
	police)
		"$VRCTL" rate set dev o1 netns "$R" egress rate "${rate}bit" \
			burst "$burst" police >/dev/null ;;
	tbf)
		ip netns exec "$R" tc qdisc add dev o1 root tbf rate "${rate}bit" \
			burst "$burst" latency "${LAT_MS}ms" ;;
	fq)
		ip netns exec "$R" tc qdisc add dev o1 root fq maxrate "${rate}bit" \
			flow_limit "$flim" quantum "$burst" initial_quantum "$burst" ;;
	edt)
		obj=$(edt_obj "$rate" "$burst") || {
			echo "# B10: cannot build edt_pace.bpf.c"; return 1; }
		ip netns exec "$R" tc qdisc add dev o1 root fq \
			flow_limit $((flim + burst / FLEN + 16)) \
			horizon "$((2 * LAT_MS))ms" &&
		ip netns exec "$R" tc qdisc add dev o1 clsact &&
		ip netns exec "$R" tc filter add dev o1 egress bpf direct-action \
			obj "$obj" sec tc || {
			echo "# B10: cannot load edt_pace (tc $comp)"; return 1; }
		;;
	esac
}

# eg_counters: "shaped delay_us policed qdisc_dropped" of o1
eg_counters()
{
	{
		ip netns exec "$R" ethtool -S o1
		ip netns exec "$R" tc -s qdisc show dev o1
	} | awk '$1 == "tx_shaped:" { s = $2 } $1 == "tx_shape_delay_us:" { d = $2 }
		 $1 == "tx_policed:" { p = $2 }
		 /dropped/ { for (i = 1; i < NF; i++) if ($i ~ /^\(?dropped$/) { v = $(i + 1); sub(",", "", v); q += v } }
		 END { print s + 0, d + 0, p + 0, q + 0 }'
}

# gen_fixed PPS: pktgen offers PPS frames/s to topology C from PG_K
# pktgen devices genC@0.. on kpktgend_0 (SCHED_FIFO 50), each sending
# every PG_K / PPS s
gen_fixed()
{
	local pps=$1 k dev delay pid

	pg_reset
	delay=$((PG_K * 1000000000 / pps))
	GENDEVS=
	for k in $(seq 0 $((PG_K - 1))); do
		dev=${T_GEN[$C]}@$k
		echo "add_device $dev" > $PG/kpktgend_0
		{
			echo "count 0"
			echo "pkt_size $PKT_SIZE"
			echo "delay $delay"
			echo "clone_skb 0"
			echo "burst 1"
			echo "dst $FLOOD_DST"
			echo "src_min $FLOOD_SRC"
			echo "src_max $FLOOD_SRC"
			echo "dst_mac ${T_MAC[$C]}"
			echo "udp_src_min 9"
			echo "udp_dst_min 9"
		} | while read -r line; do echo "$line" > "$PG/$dev"; done
		GENDEVS="$GENDEVS $dev"
	done
	# every namespace has its own pktgen threads: all of CPU0's
	for pid in $(pgrep -x kpktgend_0); do
		chrt -f -p 50 "$pid" >/dev/null
	done
	OFFERED=$pps
}

# gen_totals: "sent errors elapsed_us min_dev max_dev" over GENDEVS (the
# per-device counts: a generator feeding only some devices shows here)
gen_totals()
{
	local d s us e t=0 te=0 umax=0 mn='' mx=0
	for d in $GENDEVS; do
		read -r s us e <<< "$(pg_result "$d")"
		t=$((t + s)); te=$((te + e))
		[ "$us" -gt "$umax" ] && umax=$us
		[ -z "$mn" ] || [ "$s" -lt "$mn" ] && mn=$s
		[ "$s" -gt "$mx" ] && mx=$s
	done
	echo "$t $te $umax ${mn:-0} $mx"
}

# soak SECONDS: the soaker alone on the CPU (SCHED_IDLE), with the
# offered, NIC-received and forwarded counters around its window
soak()
{
	chrt -i 0 "$HELPER" soak "$1" \
		"/sys/class/net/${T_GEN[$C]}/statistics/tx_packets" \
		"/sys/class/net/nic$C/statistics/rx_packets" \
		"/sys/class/net/onic$C/statistics/tx_packets"
}

# calibrate: ns per soaker iteration with no traffic (the background
# the VM has anyway is in it, and so is taken off every measurement)
calibrate()
{
	local t n
	read -r t n _ <<< "$(soak "$dur")"
	NSPI=$(awk -v t="$t" -v n="$n" 'BEGIN { printf "%.6f", t / n }')
	echo "# B10 calibration: $n iterations in $t ns: $NSPI ns per iteration"
}

# irq_counts: "timer_irqs hrtimer_softirqs net_tx_softirqs forwarded"
# (CPU0; forwarded: onicC's tx_packets), for the events per frame
irq_counts()
{
	{
		cat /proc/interrupts /proc/softirqs
		echo "FWD: $(sys_stat "onic$C" tx_packets)"
	} | awk '$1 == "LOC:" { l = $2 } $1 == "HRTIMER:" { h = $2 }
		 $1 == "NET_TX:" { t = $2 } $1 == "FWD:" { f = $2 }
		 END { print l + 0, h + 0, t + 0, f + 0 }'
}

# cost_run COMP REGIME RATE REP: one measurement of (1), one CSV row
cost_run()
{
	local comp=$1 regime=$2 rate=$3 rep=$4 a b out pid g i0 i1

	a=$(eg_counters)
	i0=$(irq_counts)
	(echo start > $PG/pgctrl) &
	pid=$!
	# the backlog of a queueing limit reaches its bound (50 ms) first
	sleep 0.3
	out=$(soak "$dur")
	echo stop > $PG/pgctrl
	wait "$pid"
	sleep 0.2
	i1=$(irq_counts)
	b=$(eg_counters)
	g=$(gen_totals)
	awk -v comp="$comp" -v regime="$regime" -v rate="$rate" -v rep="$rep" \
	    -v off="$OFFERED" -v out="$out" -v a="$a" -v b="$b" -v g="$g" \
	    -v nspi="$NSPI" -v flen="$FLEN" -v i0="$i0" -v i1="$i1" 'BEGIN {
		split(out, o, " "); split(a, A, " "); split(b, B, " "); split(g, G, " ")
		split(i0, I, " "); split(i1, J, " ")
		f = J[4] - I[4]; if (f < 1) f = 1
		t = o[1]; n = o[2]
		sent = o[4] - o[3]; nic = o[6] - o[5]; fwd = o[8] - o[7]
		busy = t - n * nspi
		us = (G[3] > 0 ? G[3] : 1)
		printf "CSV,B10,%s,%s,%s,%s,%s,%.0f,%.0f,%.4f,%.2f,%.1f,NA,NA,%d,0,%d,0,%d,0,", \
			comp, regime, rate, rep, off, G[1] * 1e6 / us, fwd * 1e9 / t,
			(sent > 0 ? fwd / sent : 0), 100 * busy / t,
			(sent > 0 ? busy / sent : 0), G[2], B[3] - A[3], B[4] - A[4]
		printf "instr=icount;ns_sent=%.1f;ns_fwd=%.1f;win_ns=%d;iters=%d;ns_per_iter=%s;win_sent=%d;win_nic=%d;win_fwd=%d;shaped=%d;delay_us=%d;gen_sent=%d;gen_min=%d;gen_max=%d;flen=%d", \
			(sent > 0 ? busy / sent : 0), (fwd > 0 ? busy / fwd : 0), t, n, nspi,
			sent, nic, fwd, B[1] - A[1], B[2] - A[2], G[1], G[4], G[5], flen
		# whole run (warm-up included): events per forwarded frame
		printf ";run_fwd=%d;timer_irq_per_fwd=%.3f;hrtimer_sirq_per_fwd=%.3f;net_tx_sirq_per_fwd=%.3f\n", \
			f, (J[1] - I[1]) / f, (J[2] - I[2]) / f, (J[3] - I[3]) / f
	}'
}

# --- (1) cost ------------------------------------------------------------------

# the limits: bytes of 2x the offered frames (conform), of half (over),
# 64 kbit/s (drop: all but 0.7% dropped, the cost of a dropped frame)
burst=6000
gen_fixed "$PPS"
for rep in $(seq 1 "$reps"); do
	limit none
	calibrate
	for regime in conform over drop; do
		case $regime in
		conform) rate=$((PPS * 2 * FLEN * 8)) ;;
		over) rate=$((PPS / 2 * FLEN * 8)) ;;
		drop) rate=64000 ;;
		esac
		for comp in $COMPS; do
			limit "$comp" "$rate" "$burst" || continue
			cost_run "$comp" "$regime" "$rate" "$rep"
		done
	done
done
limit none

# --- (2) burstiness under CPU clustering -----------------------------------------

# capture_start: pcap of what o1 sends, on the lower, in $CAP
capture_start()
{
	CAP=$(mktemp /tmp/b10.XXXXXX)
	tcpdump -i "onic$C" -Q out -n -s 64 -B 16384 \
		--time-stamp-precision=nano -w "$CAP" udp >/dev/null 2>"$CAP.err" &
	CAP_PID=$!
	# guest time runs ahead while the VM waits on the host's files (9p):
	# a long bound, in guest time
	busywait 600000 grep -q listening "$CAP.err" || {
		echo "# B10: tcpdump did not start: $(cat "$CAP.err")"
		kill "$CAP_PID"; wait "$CAP_PID"; return 1; }
}

capture_stop()
{
	kill -INT "$CAP_PID"
	wait "$CAP_PID"
}

# excess RATE: "frames N rate R excess E frame F wait W" of the capture:
# R (bit/s) from the first to the last frame; E, the largest bytes(i..j)
# - RATE x (t_j - t_i) over every window of frames i..j (one pass: E =
# max_j (S_j - r t_j - min_{i<=j} (S_{i-1} - r t_i))); F, the largest
# frame; W, the largest gap between frames (us)
excess()
{
	tcpdump -r "$CAP" -n -e -tt --time-stamp-precision=nano 2>/dev/null |
		awk -v rate="$1" '
		{
			len = 0
			for (i = 1; i < NF; i++)
				if ($i == "length") { len = $(i + 1) + 0; break }
			split($1, t, ".")
			if (n == 0) s0 = t[1]
			ns = (t[1] - s0) * 1e9 + t[2]
			per = rate / 8e9
			b = sum - per * ns
			if (n == 0 || b < low) low = b
			sum += len
			e = sum - per * ns - low
			if (e > exc) exc = e
			if (len > frame) frame = len
			if (n > 0 && ns - last > gap) gap = ns - last
			if (n == 0) first = ns
			last = ns
			n++
		}
		END {
			r = (last > first ? (sum - frame) * 8e9 / (last - first) : 0)
			printf "frames %d rate %.0f excess %.0f frame %d gap_us %.0f\n", n, r, exc, frame, gap / 1000
		}'
}

# burst_run COMP MODE RATE REP: one measurement of (2), one CSV row
burst_run()
{
	local comp=$1 mode=$2 rate=$3 rep=$4 a b pid x fr rt ex fl gap g

	capture_start || return 0
	a=$(eg_counters)
	(echo start > $PG/pgctrl) &
	pid=$!
	if [ "$mode" = cluster ]; then
		chrt -f 10 "$HELPER" hog "$HOG_ON" "$HOG_PERIOD" "$dur"
	else
		sleep "$dur"
	fi
	echo stop > $PG/pgctrl
	wait "$pid"
	# what the backlog still holds leaves (bounded by 50 ms)
	sleep 0.3
	b=$(eg_counters)
	capture_stop
	g=$(gen_totals)
	read -r x fr x rt x ex x fl x gap <<< "$(excess "$rate")"
	rm -f "$CAP" "$CAP.err"
	awk -v comp="$comp" -v mode="$mode" -v rate="$rate" -v rep="$rep" \
	    -v off="$OFFERED" -v a="$a" -v b="$b" -v g="$g" -v fr="$fr" \
	    -v rt="$rt" -v ex="$ex" -v fl="$fl" -v gap="$gap" -v burst="$BURST2" \
	    -v hog="$HOG_ON/$HOG_PERIOD" 'BEGIN {
		split(a, A, " "); split(b, B, " "); split(g, G, " ")
		us = (G[3] > 0 ? G[3] : 1)
		printf "CSV,B10,%s,burst_%s,%s,%s,%s,%.0f,%.0f,%.4f,NA,NA,NA,NA,%d,0,%d,0,%d,0,", \
			comp, mode, rate, rep, off, G[1] * 1e6 / us, fr * 1e6 / us,
			(G[1] > 0 ? fr / G[1] : 0), G[2], B[3] - A[3], B[4] - A[4]
		printf "instr=icount;excess=%d;burst=%d;frame=%d;bound=%d;holds=%s;out_bps=%d;frames=%d;max_gap_us=%d;shaped=%d;delay_us=%d;hog_us=%s;gen_sent=%d;gen_min=%d;gen_max=%d\n", \
			ex, burst, fl, burst + fl, (ex <= burst + fl ? "yes" : "no"), rt, fr, gap,
			B[1] - A[1], B[2] - A[2], hog, G[1], G[4], G[5]
	}'
}

# the NIC's NAPI in its own thread (SCHED_OTHER), so the hog holds it off
nsrun "" sh -c "echo 1 > /sys/class/net/nic$C/threaded"
rate2=$((PPS2 * 12 / 10 * FLEN * 8))
gen_fixed "$PPS2"
for rep in $(seq 1 "$reps"); do
	for mode in smooth cluster; do
		for comp in $COMPS; do
			limit "$comp" "$rate2" "$BURST2" || continue
			burst_run "$comp" "$mode" "$rate2" "$rep"
		done
	done
done
limit none
bench_cleanup
