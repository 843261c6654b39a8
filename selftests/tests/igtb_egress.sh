#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# igtb egress profiles, enforced in napi_macvlan's transmit path:
# - accuracy: the shaped output rate (bytes and packets, to the lower and
#   to a local receiver) is the profile's within 1%, measured from the
#   capture's timestamps over the steady state (offered load: 2x);
# - burstiness: in every window of the capture on the lower,
#   bytes <= rate x window + burst + one frame;
# - police: nothing waits, the excess is dropped and counted;
# - a TCP flow through a router shaped on its output reaches >= 95% of the
#   rate without a shaper drop (the flow's window, 64 KB, fits the latency);
# - replacing and deleting the profile under traffic loses no frame;
# - deleting a device whose shaper holds frames frees them (no leak, no
#   warning);
# - a tenant (user-namespace root, and a rootful container: CAP_NET_ADMIN
#   in the initial user namespace) cannot get past the profile: deleting
#   the qdisc, an AF_PACKET socket with PACKET_QDISC_BYPASS; each run also
#   without a profile, where the same sender must exceed the rate by far.
#
# Rates are 5-20 Mbit/s: what a TCG VM on a loaded host sustains easily.
. "$(dirname "$0")/../lib.sh"
. "$TOP/selftests/tools/igtb_lib.sh"

VRCTL=$TOP/userspace/vrctl
SIZE=1000		# L2 bytes of pktgen's frames
RATE=5000000		# bit/s
BURST=30000		# bytes: 48 ms of rate, what a stalled TCG timer needs
PPS=400
OFFER_S=6		# seconds of offered load at twice the rate

# topo: lower e0 (init namespace, veth, peer r0 in namespace RCV); nm0 and
# nm1 (bridge mode) on e0 in the init namespace (pktgen only works there).
# Sets E0, NM0, NM1, R0MAC, NM1MAC.
topo()
{
	ns_create RCV
	E0=ee$RANDOM
	NM0=en$RANDOM
	NM1=el$RANDOM
	ip link add "$E0" type veth peer name r0 netns "$RCV"
	# no IPv6 on the sending side: its MLD reports and ND probes would
	# reach r0 and be counted with pktgen's frames
	sysctl -qw "net.ipv6.conf.$E0.disable_ipv6=1"
	ip link set "$E0" up
	ip -n "$RCV" link set r0 up
	nmv_add "$E0" "$NM0" "" mode bridge
	nmv_add "$E0" "$NM1" "" mode bridge
	sysctl -qw "net.ipv6.conf.$NM0.disable_ipv6=1" \
		"net.ipv6.conf.$NM1.disable_ipv6=1"
	R0MAC=$(nmv_mac "$RCV" r0)
	NM1MAC=$(nmv_mac "$NM1")
}

# Python costs 10-40 s per start in a TCG VM on a loaded host: the cases
# use vrctl (C) for byte-rate profiles, ethtool for the counters and awk
# over `tcpdump -r` for the captures.

# eg_set rate R burst B [police] [latency MS]: nm0's egress profile
eg_set()
{
	"$VRCTL" rate set dev "$NM0" egress "$@"
}

# eg_counters: nm0's shaper counters, "key value" pairs
eg_counters()
{
	ethtool -S "$NM0" | awk '$1 ~ /^tx_(shaped|shape_delay_us|policed):$/ { sub(":", "", $1); printf "%s %s ", $1, $2 }'
}

# capture_start DEV DIR: pcap of DEV's frames from nm0 in $CAP (DEV in
# this namespace; tcpdump itself is the background job, so that
# capture_stop's SIGINT reaches it and not a waiting subshell)
capture_start()
{
	local dev=$1 dir=$2 mac

	mac=$(nmv_mac "$NM0")
	CAP=$(mktemp /tmp/egress.XXXXXX)
	tcpdump -i "$dev" -Q "$dir" -n -s 64 -B 16384 \
		--time-stamp-precision=nano -w "$CAP" "ether src $mac" \
		2>"$CAP.err" &
	CAP_PID=$!
	busywait 20000 grep -q listening "$CAP.err" ||
		fail "tcpdump did not start: $(cat "$CAP.err")"
}

capture_stop()
{
	kill -INT "$CAP_PID"
	wait "$CAP_PID" || true
	cat "$CAP.err"
}

# analyse RATE [pps]: of the captured frames of at least SIZE bytes,
# "packets N rate R excess E frame F": R, the rate (bit/s, or packets/s)
# from the first frame 1 s into the capture to the last, (amount after
# that first frame) / time; E, the largest amount(i..j) - RATE x (t_j -
# t_i) over every window of frames i..j (bytes, or packets); F, the
# largest frame.  One pass: E = max_j (S_j - r t_j - min_{i<=j} (S_{i-1} -
# r t_i)).
analyse()
{
	tcpdump -r "$CAP" -n -e -tt --time-stamp-precision=nano 2>/dev/null |
		awk -v rate="$1" -v pps="${2:-}" -v min=$SIZE '
		{
			len = 0
			for (i = 1; i < NF; i++)
				if ($i == "length") { len = $(i + 1) + 0; break }
			if (len < min) next
			split($1, t, ".")
			if (n == 0) s0 = t[1]
			ns = (t[1] - s0) * 1e9 + t[2]
			a = pps ? 1 : len
			per = pps ? rate / 1e9 : rate / 8e9
			b = sum - per * ns
			if (n == 0 || b < low) low = b
			sum += a
			e = sum - per * ns - low
			if (e > exc) exc = e
			if (len > frame) frame = len
			if (n == 0) first = ns
			if (!started && ns >= first + 1e9) { started = 1; t1 = ns; base = sum }
			last = ns
			n++
		}
		END {
			r = 0
			if (started && last > t1)
				r = (sum - base) / ((last - t1) / 1e9) * (pps ? 1 : 8)
			printf "packets %d rate %d excess %d frame %d\n", n, r, exc, frame
		}'
}

# within_1pct WHAT WANT GOT
within_1pct()
{
	check_range "$1" $(($2 * 99 / 100)) $(($2 * 101 / 100)) "$3"
}

# shaped_run DST_MAC COUNT PPS: pktgen COUNT frames of SIZE out of nm0
shaped_run()
{
	pktgen_setup "$NM0" 10.9.0.2 "$1" "$2" $SIZE "$3" >/dev/null
	pktgen_run
}

# offer DST_MAC PPS: PPS frames/s for OFFER_S seconds, then wait for the
# backlog to drain
offer()
{
	shaped_run "$1" $(($2 * OFFER_S)) "$2"
	drain
}

# drain: wait until nm0's shaper has released or dropped everything (its
# tx_packets stand still for 0.3 s)
drain()
{
	local a b

	b=$(cat "/sys/class/net/$NM0/statistics/tx_packets")
	for _ in $(seq 1 100); do
		sleep 0.3
		a=$b
		b=$(cat "/sys/class/net/$NM0/statistics/tx_packets")
		[ "$a" != "$b" ] || return 0
	done
	fail "nm0 still sending after 30 s"
}

test_bytes_lower()
{
	local out rate excess frame prof delayed

	require_module pktgen || return
	require_cmd tcpdump || return
	topo
	eg_set rate $RATE burst $BURST
	capture_start "$E0" out
	offer "$R0MAC" $((RATE / 8 / SIZE * 2))
	capture_stop
	out=$(analyse $RATE)
	prof=$(eg_counters)
	echo "to the lower: $out"
	echo "profile: $prof"
	rate=$(igtb_field "$out" rate)
	excess=$(igtb_field "$out" excess)
	frame=$(igtb_field "$out" frame)
	within_1pct "output rate to the lower" $RATE "$rate" || return
	check_range "burst bound: excess over rate x window" 0 \
		$((BURST + frame)) "$excess" || return
	delayed=$(igtb_field "$prof" tx_shaped)
	[ "$delayed" -gt 0 ] || fail "no frame was delayed" || return
	[ "$(igtb_field "$prof" tx_policed)" -gt 0 ] ||
		fail "2x the rate, but the 50 ms backlog never overflowed" ||
		return
	# the mean wait stays within the 50 ms bound (+ 20 ms for a timer
	# that a loaded TCG host runs late)
	check_range "mean wait (us)" 1 70000 \
		$(($(igtb_field "$prof" tx_shape_delay_us) / delayed))
}

test_bytes_local()
{
	local out rate

	require_module pktgen || return
	require_cmd tcpdump || return
	topo
	eg_set rate $RATE burst $BURST
	capture_start "$NM1" in
	offer "$NM1MAC" $((RATE / 8 / SIZE * 2))
	capture_stop
	out=$(analyse $RATE)
	echo "to a local receiver: $out"
	rate=$(igtb_field "$out" rate)
	within_1pct "output rate to a local receiver" $RATE "$rate"
}

test_pkts()
{
	local dst dev dir out rate excess

	require_module pktgen || return
	require_cmd tcpdump || return
	topo
	if [ "$1" = lower ]; then
		dst=$R0MAC dev=$E0 dir=out
	else
		dst=$NM1MAC dev=$NM1 dir=in
	fi
	# the lower case through vrctl, the local one through the raw
	# genl request: both spellings of a packet-rate egress profile
	if [ "$1" = lower ]; then
		eg_set pps $PPS pburst 20 || {
			fail "vrctl rate set ... egress pps"; return; }
		"$VRCTL" rate show dev "$NM0" | grep -q "egress shape pps $PPS pburst 20 " || {
			"$VRCTL" rate show dev "$NM0"
			fail "vrctl rate show: no packet-rate egress profile"
			return
		}
	else
		igtb_nl set dev "$NM0" dir egress pps $PPS pburst 20
	fi
	capture_start "$dev" "$dir"
	offer "$dst" $((PPS * 2))
	capture_stop
	out=$(analyse $PPS pps)
	echo "$PPS packets/s: $out"
	rate=$(igtb_field "$out" rate)
	excess=$(igtb_field "$out" excess)
	within_1pct "output packet rate" $PPS "$rate" || return
	[ "$dir" = in ] ||
		check_range "packet burst bound" 0 21 "$excess"
}

test_police()
{
	local out excess frame

	require_module pktgen || return
	require_cmd tcpdump || return
	topo
	check_ok "police profile" eg_set rate $RATE burst $BURST police
	capture_start "$E0" out
	offer "$R0MAC" $((RATE / 8 / SIZE * 2))
	capture_stop
	out=$(analyse $RATE)
	echo "policed: $out; $(eg_counters)"
	excess=$(igtb_field "$out" excess)
	frame=$(igtb_field "$out" frame)
	check_range "police: burst bound" 0 $((BURST + frame)) "$excess" ||
		return
	check_eq "police delays nothing" 0 "$(ethtool_stat "$NM0" tx_shaped)" ||
		return
	[ "$(ethtool_stat "$NM0" tx_policed)" -gt $((RATE / 8 / SIZE * OFFER_S / 2)) ] ||
		fail "police: 2x the rate but few drops"
}

# replace and delete the profile while frames wait: not one is lost
test_replace_under_traffic()
{
	local before after sent

	require_module pktgen || return
	topo
	eg_set rate $RATE burst $BURST latency 1000
	before=$(link_stat "$RCV" r0 rx_packets)
	# 4 Mbit/s offered: below the rate, but pktgen's clumps wait; the
	# profile is replaced (shape, police, shape) and deleted meanwhile
	pktgen_setup "$NM0" 10.9.0.2 "$R0MAC" 3000 $SIZE 500 >/dev/null
	pktgen_run &
	for _ in 1 2 3 4 5; do
		echo "set rate 6mbit burst $BURST dir egress dev $NM0"
		echo "sleep 0.3"
		echo "set rate 5mbit burst $BURST latency 1000000 dir egress dev $NM0"
		echo "sleep 0.3"
		echo "set rate 5mbit burst $BURST action drop dir egress dev $NM0"
		echo "sleep 0.1"
		echo "set rate 5mbit burst $BURST latency 1000000 dir egress dev $NM0"
		echo "sleep 0.3"
	done | igtb_nl batch | sort | uniq -c
	"$VRCTL" rate del dev "$NM0" egress
	wait
	sent=$(sed -n 's/^Result: OK: .* \([0-9]*\) (.*/\1/p' "/proc/net/pktgen/$NM0")
	wait_counter_ge 20000 $((before + sent)) link_stat "$RCV" r0 rx_packets || true
	after=$(link_stat "$RCV" r0 rx_packets)
	echo "sent $sent, received $((after - before))"
	check_eq "frames received" "$sent" $((after - before))
}

# a device deleted with frames in its backlog frees them
test_delete_with_backlog()
{
	local objs q

	require_module pktgen || return
	fault_dmesg_begin
	objs=$(igtb_objects)
	topo
	eg_set rate 1mbit burst 3000 latency 5000
	shaped_run "$R0MAC" 1000 0
	q=$(ethtool_stat "$NM0" tx_shaped)
	echo "released so far $q, queued $(cat /sys/class/net/"$NM0"/statistics/tx_packets) sent"
	ip link del "$NM0"
	ip link del "$NM1"
	busywait 10000 bash -c "[ \"\$(cat /sys/module/igtb/parameters/objects)\" = $objs ]" ||
		fail "igtb objects: $objs before, $(igtb_objects) after" || return
	fault_dmesg_check "delete with backlog"
}

test_tcp()
{
	local bps drops out

	require_cmd iperf3 || return
	ns_create SRC DST RTR LOW
	ip -n "$SRC" link add vs type veth peer name va netns "$LOW"
	ip -n "$DST" link add vd type veth peer name vb netns "$LOW"
	ip -n "$LOW" link set va up
	ip -n "$LOW" link set vb up
	ip -n "$LOW" link add link va name nma type napi_macvlan
	ip -n "$LOW" link add link vb name nmb type napi_macvlan
	ip -n "$LOW" link set nma netns "$RTR"
	ip -n "$LOW" link set nmb netns "$RTR"
	ip -n "$SRC" addr add 10.1.0.1/24 dev vs
	ip -n "$SRC" link set vs up
	ip -n "$SRC" route add default via 10.1.0.254
	ip -n "$DST" addr add 10.2.0.1/24 dev vd
	ip -n "$DST" link set vd up
	ip -n "$DST" route add default via 10.2.0.254
	ip -n "$RTR" addr add 10.1.0.254/24 dev nma
	ip -n "$RTR" addr add 10.2.0.254/24 dev nmb
	ip -n "$RTR" link set nma up
	ip -n "$RTR" link set nmb up
	ip netns exec "$RTR" sysctl -qw net.ipv4.ip_forward=1
	busywait 10000 ip netns exec "$SRC" ping -c1 -W1 10.2.0.1 >/dev/null ||
		fail "no route through the router" || return
	ip netns exec "$DST" iperf3 -s -D
	busywait 10000 ip netns exec "$DST" sh -c 'ss -ltn | grep -q :5201' ||
		fail "iperf3 server did not start" || return
	check_ok "egress profile on the router's output" \
		"$VRCTL" rate set dev nmb netns "$RTR" egress \
		rate 10mbit burst 30000 latency 100
	bps=$(ip netns exec "$SRC" iperf3 -c 10.2.0.1 -t 10 -w 64K -f k |
		awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Kbits/sec") print $i * 1000 }')
	out=$(ip netns exec "$RTR" ethtool -S nmb | tr -s ' \n' ' ')
	echo "TCP through a 10 Mbit/s shaper: $bps bit/s payload; $out"
	drops=$(ethtool_stat "$RTR" nmb tx_policed)
	check_eq "shaper drops" 0 "$drops" || return
	# payload vs L2: 1448 of 1514 bytes per segment
	check_range "TCP payload rate" $((10000000 * 95 / 100 * 1448 / 1514)) \
		10000000 "${bps%.*}"
}

# --- tenants ------------------------------------------------------------

# BLAST_PY IFNAME DST_MAC SECONDS: AF_PACKET sender of 1000-byte frames
# from IFNAME's own MAC for SECONDS, then as long again through a second
# socket with PACKET_QDISC_BYPASS (one python start: they are slow)
# shellcheck disable=SC2016
BLAST_PY='
import fcntl, socket, struct, sys, time
ifn, dst, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
# SIOCGIFHWADDR: /sys is the host'"'"'s view after nsenter --net
q = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
src = fcntl.ioctl(q, 0x8927, struct.pack("256s", ifn.encode()))[18:24]
f = bytes.fromhex(dst.replace(":", "")) + src + b"\x88\xb5" + bytes(986)
for bypass in (0, 1):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    if bypass:
        s.setsockopt(263, 20, 1)  # SOL_PACKET, PACKET_QDISC_BYPASS
    s.bind((ifn, 0))
    n = 0
    end = time.monotonic() + secs
    while time.monotonic() < end:
        for _ in range(64):
            try:
                s.send(f)
                n += 1
            except OSError:
                pass
    print("bypass %d: sent %d" % (bypass, n), end="; ")
'

_tenants=()
tenant_cleanup()
{
	local pid
	for pid in "${_tenants[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	_tenants=()
}

# tenant_topo ACTOR: lower l0 in L (peer eth0 in P); a0 on it given to the
# tenant (userns: unshare -Urn; rootful: a namespace, NET_ADMIN, no
# SYS_ADMIN).  Sets NSPATH, ACTOR, TPID, PMAC.
tenant_topo()
{
	local own

	ACTOR=$1
	ns_create L P
	veth_create l0 "$L" eth0 "$P"
	if [ "$ACTOR" = userns ]; then
		unshare -Urn sleep 600 </dev/null >/dev/null 2>&1 &
		TPID=$!
		_tenants+=("$TPID")
		trap tenant_cleanup EXIT
		own=$(readlink /proc/self/ns/user)
		busywait 5000 bash -c "[ \"\$(readlink /proc/$TPID/ns/user)\" != '$own' ]" ||
			fail "tenant namespace did not appear" || return
		NSPATH=/proc/$TPID/ns/net
	else
		ns_create C
		NSPATH=/run/netns/$C
	fi
	ip -n "$L" link add link l0 name a0 type napi_macvlan
	ip -n "$L" link set a0 netns "$NSPATH"
	nsenter --net="$NSPATH" ip link set a0 up
	PMAC=$(nmv_mac "$P" eth0)
}

tenant()
{
	if [ "$ACTOR" = userns ]; then
		nsenter -t "$TPID" -U -n "$@"
	else
		nsenter --net="$NSPATH" setpriv --inh-caps -sys_admin \
			--bounding-set -sys_admin -- "$@"
	fi
}

# blast: the tenant sends for 3 s through an AF_PACKET socket after
# deleting its qdiscs, then for 3 s with PACKET_QDISC_BYPASS; prints the
# bytes that reached the lower's peer
blast()
{
	local before after out

	tenant tc qdisc replace dev a0 root pfifo limit 1000 >/dev/null 2>&1 || true
	tenant tc qdisc del dev a0 root >/dev/null 2>&1 || true
	before=$(link_stat "$P" eth0 rx_bytes)
	out=$(tenant python3 -c "$BLAST_PY" a0 "$PMAC" 3)
	sleep 0.5
	after=$(link_stat "$P" eth0 rx_bytes)
	echo "tenant ($ACTOR) tc qdisc del, then PACKET_QDISC_BYPASS: $out" >&2
	echo $((after - before))
}

# 6 s at 5 Mbit/s, the burst, 50 ms of backlog, and 10% for the sender's
# start and end not being the measurement's
TENANT_BOUND=$(((5000000 / 8 * 605 / 100 + BURST) * 110 / 100))

# test_tenant ACTOR: with the host's 5 Mbit/s profile on its device, the
# tenant's qdisc deletion and QDISC_BYPASS sender get no more than the
# profile to the lower; the profile is still the host's afterwards
test_tenant()
{
	local got out

	tenant_topo "$1" || return
	check_ok "host sets the egress profile" \
		"$VRCTL" rate set dev a0 path "$NSPATH" egress \
		rate 5mbit burst $BURST
	got=$(blast)
	echo "$got bytes reached the lower (bound $TENANT_BOUND)"
	check_range "bytes past the profile" 0 "$TENANT_BOUND" "$got" || return
	out=$("$VRCTL" rate show dev a0 path "$NSPATH" | grep egress)
	echo "$out"
	case $out in
	*"egress shape rate 5Mbit"*) ;;
	*) fail "the profile is not in place: $out"; return 1 ;;
	esac
	[ "$(echo "$out" | awk '{ print $NF }')" -gt 0 ] ||
		fail "the profile dropped nothing"
}

# inverted: the same sender without a profile must get far more through
test_tenant_inverted()
{
	local got

	tenant_topo "$1" || return
	got=$(blast)
	echo "$got bytes reached the lower without a profile"
	[ "$got" -gt $((TENANT_BOUND * 3)) ] ||
		fail "without a profile the sender got only $got bytes through: the assertion could not fail"
}

ktap_plan 12
run_test "bytes to the lower within 1%, burst bound, wait bound" test_bytes_lower
run_test "bytes to a local receiver within 1%" test_bytes_local
run_test "packets to the lower within 1%, burst bound" test_pkts lower
run_test "packets to a local receiver within 1%" test_pkts local
run_test "police: no wait, excess dropped, burst bound" test_police
run_test "replace and delete under traffic lose nothing" test_replace_under_traffic
run_test "device deleted with a backlog frees it" test_delete_with_backlog
run_test "TCP through a shaped router: >= 95%, no shaper drop" test_tcp
for a in rootful userns; do
	run_test "$a: qdisc del + QDISC_BYPASS cannot pass the egress profile" test_tenant "$a"
	run_test "$a: the same without a profile passes (inverted)" test_tenant_inverted "$a"
done
ktap_finish
