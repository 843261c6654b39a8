# SPDX-License-Identifier: GPL-2.0
# Helpers of the igtb selftests (sourced after ../lib.sh).
#
# Python starts slowly in the test VM (1-3 s under TCG): tests batch their
# netlink requests with `igtb_nl batch` where they can.

IGTB_NL_PY=$TOP/selftests/tools/igtb_nl.py

# igtb_nl ARGS...: the netlink client (exit 0 ok, 2 kernel error)
igtb_nl()
{
	python3 "$IGTB_NL_PY" "$@"
}

# igtb_objects: profiles + stat blocks igtb.ko has alive (debug counter)
igtb_objects()
{
	cat /sys/module/igtb/parameters/objects
}

# igtb_field LINE KEY: the value after KEY in a get/dump output line
igtb_field()
{
	printf '%s\n' "$1" | awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'
}

# igtb_stat NS DEV KEY: one field of `get` for DEV in NS (by netns fd)
igtb_stat()
{
	igtb_nl get dev "$2" netns-fd "/run/netns/$1" --field "$3"
}

# igtb_sink_topo: pktgen source in the init namespace -> veth -> lower in
# namespace LOW -> napi_macvlan nm0 in namespace SINK (10.9.0.2/24).
# Sets LOW, SINK, IGTB_SRC (the init-namespace veth), IGTB_MAC (nm0's MAC).
# Deleting LOW (done by ns_cleanup_all) removes the veth pair.
igtb_sink_topo()
{
	ns_create LOW SINK
	IGTB_SRC=igs$RANDOM
	ip link add "$IGTB_SRC" type veth peer name vlow netns "$LOW"
	ip link set "$IGTB_SRC" up
	ip -n "$LOW" link set vlow up
	ip -n "$LOW" link add link vlow name nm0 type napi_macvlan
	ip -n "$LOW" link set nm0 netns "$SINK"
	ip -n "$SINK" link set nm0 up
	ip -n "$SINK" addr add 10.9.0.2/24 dev nm0
	IGTB_MAC=$(nsrun "$SINK" cat /sys/class/net/nm0/address)
}

# igtb_pktgen COUNT SIZE [RATE_PPS]: send COUNT frames of SIZE bytes (L2,
# without FCS) to nm0 and wait until done; prints the elapsed microseconds
# pktgen reports.
igtb_pktgen()
{
	pktgen_setup "$IGTB_SRC" 10.9.0.2 "$IGTB_MAC" "$1" "$2" "${3:-0}" >/dev/null
	pktgen_run
	sed -n 's/^Result: OK: \([0-9]*\)(.*/\1/p' "/proc/net/pktgen/$IGTB_SRC"
}

# igtb_pktgen_bg COUNT SIZE [RATE_PPS]: start sending in the background
# (pktgen_wait waits for the end).
igtb_pktgen_bg()
{
	pktgen_setup "$IGTB_SRC" 10.9.0.2 "$IGTB_MAC" "$1" "$2" "${3:-0}" >/dev/null
	pktgen_run &
	IGTB_PKTGEN_PID=$!
}

igtb_pktgen_wait()
{
	wait "$IGTB_PKTGEN_PID"
}

# igtb_pktgen_sent: packets the last run sent
igtb_pktgen_sent()
{
	sed -n 's/^Result: OK: .* \([0-9]*\) (.*/\1/p' "/proc/net/pktgen/$IGTB_SRC"
}

# A netlink client that stays up for the whole case, so that requests cost
# no python start: igtb_co_start once, then igtb_co ARGS... like igtb_nl
# (prints the output, returns 0 or prints "error: ..." to stderr and
# returns 2).  Stopped with the case's subshell.
igtb_co_start()
{
	coproc IGTB_CO { exec python3 -u "$IGTB_NL_PY" batch; }
}

igtb_co()
{
	local line

	echo "$*" >&"${IGTB_CO[1]}"
	while IFS= read -r line <&"${IGTB_CO[0]}"; do
		case $line in
		"status ok")
			return 0
			;;
		"status "*)
			echo "error: ${line#status }" >&2
			return 2
			;;
		*)
			printf '%s\n' "$line"
			;;
		esac
	done
	echo "error: the netlink client exited" >&2
	return 2
}
