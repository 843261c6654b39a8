#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# igtb accuracy: over a 10 s window of offered load well above the policed
# rate, the conforming traffic is the configured rate (plus the burst)
# within 3%.
#
# The byte-rate cases use a burst of 1 s of the rate (included in the
# expected count): a policer can only pass what is offered, and a TCG VM on
# a busy host stalls now and then (no packet offered for 10-100 ms); the
# burst carries the tokens of such a gap over to the packets after it.

. "$(dirname "$0")/../lib.sh"
. "$TOP/selftests/tools/igtb_lib.sh"

IGTB_SIZE=1000		# L2 frame size of the test traffic
IGTB_WINDOW_S=10

# Offered load of pktgen in this VM (packets/s), measured once.
igtb_offered_pps()
{
	local us

	us=$(igtb_pktgen 60000 $IGTB_SIZE)
	echo $((60000 * 1000000 / us))
}

# igtb_window NAME EXPECT_FN CONFIG...: police a 10 s pktgen run with
# CONFIG and compare the conforming bytes with what EXPECT_FN prints for
# the elapsed microseconds.
igtb_window()
{
	local name=$1 expect_fn=$2 count us out got want lo hi
	shift 2

	igtb_sink_topo
	igtb_co_start
	count=$((IGTB_OFFERED * IGTB_WINDOW_S))
	igtb_co set dev nm0 netns-fd "/run/netns/$SINK" "$@"
	us=$(igtb_pktgen "$count" $IGTB_SIZE)
	out=$(igtb_co get dev nm0 netns-fd "/run/netns/$SINK")
	echo "$name: $* over $us us: $out"
	got=$(igtb_field "$out" conform_bytes)
	want=$($expect_fn "$us")
	lo=$((want * 97 / 100))
	hi=$((want * 103 / 100))
	echo "$name: expected $want conforming bytes, got $got"
	[ "$(igtb_field "$out" exceed_packets)" -gt 0 ] ||
		fail "$name: offered load did not exceed the rate"
	check_range "$name: conforming bytes" "$lo" "$hi" "$got"
}

# bytes expected from a byte rate R (bit/s) and burst B over US microseconds
igtb_expect_bytes() { echo $((IGTB_B + IGTB_R * $1 / 8000000)); }
# ... from a packet rate P and packet burst Q
igtb_expect_pkts() { echo $(((IGTB_Q + IGTB_P * $1 / 1000000) * IGTB_SIZE)); }
igtb_expect_both()
{
	local a b
	a=$(igtb_expect_bytes "$1")
	b=$(igtb_expect_pkts "$1")
	echo $((a < b ? a : b))
}

test_byte_rate()
{
	require_module pktgen || return
	IGTB_R=$1
	IGTB_B=$2
	igtb_window "rate $1" igtb_expect_bytes rate "$1" burst "$2"
}

test_byte_rate_max()
{
	local r

	require_module pktgen || return
	# half of what pktgen offers
	r=$((IGTB_OFFERED * IGTB_SIZE * 8 / 2))
	IGTB_R=$r
	IGTB_B=$((r / 8))
	echo "pktgen offers $IGTB_OFFERED pps of $IGTB_SIZE bytes; policing at $r bit/s"
	igtb_window "rate $r" igtb_expect_bytes rate "$r" burst "$IGTB_B"
}

test_pkt_rate()
{
	require_module pktgen || return
	IGTB_P=2000
	IGTB_Q=400
	igtb_window "pps 2000" igtb_expect_pkts pps 2000 pburst 400
}

# 12 Mbit/s = 1500 frames/s binds before 2000 packets/s.
test_both_rates()
{
	require_module pktgen || return
	IGTB_R=12000000
	IGTB_B=200000
	IGTB_P=2000
	IGTB_Q=400
	igtb_window "rate+pps" igtb_expect_both rate 12000000 burst 200000 \
		pps 2000 pburst 400
}

ktap_plan 5
if in_vm && modprobe pktgen 2>/dev/null; then
	igtb_sink_topo >/dev/null 2>&1
	IGTB_OFFERED=$(igtb_offered_pps)
	ns_cleanup_all
	echo "# pktgen offers $IGTB_OFFERED pps"
fi
run_test "10 s at 10 Mbit/s within 3%" test_byte_rate 10000000 1250000
run_test "10 s at 80 Mbit/s within 3%" test_byte_rate 80000000 10000000
run_test "10 s at half of pktgen's rate within 3%" test_byte_rate_max
run_test "10 s at 2000 packets/s, burst 400, within 3%" test_pkt_rate
run_test "10 s with byte and packet rate within 3% of the smaller" test_both_rates
ktap_finish
