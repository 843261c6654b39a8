#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B7: the CNI plugin against the stock plugins, driven as a runtime drives
# them (CNI_* environment, configuration on stdin, host-local IPAM from
# containernetworking-plugins, leases under /tmp):
#   nmv        napi-macvlan with the bandwidth capability (igtb ingress
#              policer, tbf egress shaper on the container's device)
#   macvlan_bw macvlan, then bandwidth chained with prevResult (what the
#              issue names as today's setup)
#   bridge_bw  bridge (container veth on a Linux bridge), then bandwidth
#              (the chain the bandwidth plugin is made for: it shapes the
#              host-side veth, ingress through an ifb)
# (a) setup time: ADD of K containers, then DEL of all (wall time of the
#     batch, every plugin process included);
# (b) ingress accuracy: pktgen offers 2.4x the rate (1000-byte frames, 5 s)
#     at one container's address; packets the container received against
#     rate x time + burst (burst: 1 s of the rate).  A shaper (bandwidth's
#     tbf) also delivers its queue after the flood, up to its limit (burst
#     + 25 ms of the rate): counted, as the container does receive it.
# A chain that fails to set up is reported as a row with extra=error=...
#   cni.sh [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

PLUGIN=$TOP/userspace/napi-macvlan
CNI_BIN=/usr/lib/cni
quick=${1:-}
if [ "$quick" = --quick ]; then
	ks=${KS:-"5"}
	reps=${REPS:-1}
	rates=${RATES:-"10000000"}
else
	ks=${KS:-"5 20"}
	reps=${REPS:-3}
	rates=${RATES:-"10000000 50000000"}
fi
WIN_S=5
FRAME=1000
IPAMDIR=/tmp/b7-ipam

[ -x "$PLUGIN" ] || { echo "# B7: $PLUGIN not built" >&2; exit 0; }
[ -x "$CNI_BIN/host-local" ] || { echo "# B7: $CNI_BIN/host-local missing" >&2; exit 0; }

now() { date +%s%N; }

# one master per comparator: its veth peer in the init namespace is the
# generator (napi_macvlan and macvlan cannot share a lower)
ip link add b7g0 type veth peer name b7m0
ip link add b7g1 type veth peer name b7m1
ip link add b7g2 type veth peer name b7m2
ip link add b7br type bridge
ip link set b7m2 master b7br
for d in b7g0 b7m0 b7g1 b7m1 b7g2 b7m2 b7br; do
	ip link set "$d" up
	ethtool -K "$d" tso off gso off gro off >/dev/null 2>&1
done

# ipam NAME SUBNET
ipam()
{
	printf '{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"%s"}]]}' \
		"$IPAMDIR" "$2"
}

# bw RATE: the runtimeConfig a runtime passes for the bandwidth capability
bw()
{
	printf '"capabilities":{"bandwidth":true},"runtimeConfig":{"bandwidth":{"ingressRate":%s,"ingressBurst":%s,"egressRate":%s,"egressBurst":%s}}' \
		"$1" "$1" "$1" "$1"
}

# run PLUGIN CMD CID NS: one plugin call, config on stdin
run()
{
	env -i PATH="$PATH" CNI_COMMAND="$2" CNI_CONTAINERID="$3" \
		CNI_NETNS="/run/netns/$4" CNI_IFNAME=eth0 CNI_PATH="$CNI_BIN" "$1"
}

# with_prev CONF RESULT
with_prev()
{
	printf '%s,"prevResult":%s}' "${1%\}}" "$(printf '%s' "$2" | tr -d ' \n\t')"
}

# add COMPARATOR CID NS RATE: ADD as libcni does for the conflist (each
# plugin in turn, the previous result passed on); prints the last result
add()
{
	local c=$1 cid=$2 ns=$3 rate=$4 r conf
	case $c in
	nmv)
		conf=$(printf '{"cniVersion":"1.0.0","name":"b7nmv","type":"napi-macvlan","master":"b7m0",%s,"ipam":%s}' \
			"$(bw "$rate")" "$(ipam b7nmv 10.71.0.0/16)")
		run "$PLUGIN" ADD "$cid" "$ns" <<< "$conf"
		return
		;;
	macvlan_bw)
		conf=$(printf '{"cniVersion":"1.0.0","name":"b7mv","type":"macvlan","master":"b7m1","mode":"bridge","ipam":%s}' \
			"$(ipam b7mv 10.72.0.0/16)")
		r=$(run "$CNI_BIN/macvlan" ADD "$cid" "$ns" <<< "$conf") || { echo "$r"; return 1; }
		;;
	bridge_bw)
		conf=$(printf '{"cniVersion":"1.0.0","name":"b7br","type":"bridge","bridge":"b7br","ipam":%s}' \
			"$(ipam b7br 10.73.0.0/16)")
		r=$(run "$CNI_BIN/bridge" ADD "$cid" "$ns" <<< "$conf") || { echo "$r"; return 1; }
		;;
	esac
	conf=$(printf '{"cniVersion":"1.0.0","name":"b7%s","type":"bandwidth",%s}' "$c" "$(bw "$rate")")
	run "$CNI_BIN/bandwidth" ADD "$cid" "$ns" <<< "$(with_prev "$conf" "$r")"
}

# del COMPARATOR CID NS: DEL in the reverse order
del()
{
	local c=$1 cid=$2 ns=$3 conf
	case $c in
	nmv)
		conf=$(printf '{"cniVersion":"1.0.0","name":"b7nmv","type":"napi-macvlan","master":"b7m0","ipam":%s}' \
			"$(ipam b7nmv 10.71.0.0/16)")
		run "$PLUGIN" DEL "$cid" "$ns" <<< "$conf"
		return
		;;
	esac
	run "$CNI_BIN/bandwidth" DEL "$cid" "$ns" <<< \
		"{\"cniVersion\":\"1.0.0\",\"name\":\"b7$c\",\"type\":\"bandwidth\"}" || true
	case $c in
	macvlan_bw)
		run "$CNI_BIN/macvlan" DEL "$cid" "$ns" <<< \
			"$(printf '{"cniVersion":"1.0.0","name":"b7mv","type":"macvlan","master":"b7m1","ipam":%s}' "$(ipam b7mv 10.72.0.0/16)")"
		;;
	bridge_bw)
		run "$CNI_BIN/bridge" DEL "$cid" "$ns" <<< \
			"$(printf '{"cniVersion":"1.0.0","name":"b7br","type":"bridge","bridge":"b7br","ipam":%s}' "$(ipam b7br 10.73.0.0/16)")"
		;;
	esac
}

row()
{
	# scenario,comparator,param,x,rep, then 14 measurement columns, extra
	echo "CSV,B7,$1,$2,$3,$4,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,$5"
}

# err TEXT: a plugin's error message, fit for the extra column
err()
{
	printf '%s' "$1" | tr -d '\n' |
		sed 's/.*"msg": *"\(\([^"\\]\|\\.\)*\)".*/\1/' |
		tr -d ',;=\\"' | cut -c1-120
}

# ---- (a) setup time ----
for k in $ks; do
	nss=()
	for i in $(seq 1 "$k"); do
		ns_create C
		nss+=("$C")
	done
	for rep in $(seq 1 "$reps"); do
		for c in nmv macvlan_bw bridge_bw; do
			fails=0 msg=
			t0=$(now)
			for i in $(seq 1 "$k"); do
				if ! out=$(add $c "b7c$i" "${nss[$((i - 1))]}" 10000000); then
					fails=$((fails + 1))
					msg=$(err "$out")
				fi
			done
			t1=$(now)
			for i in $(seq 1 "$k"); do
				del $c "b7c$i" "${nss[$((i - 1))]}" >/dev/null 2>&1
			done
			t2=$(now)
			row "$c" setup "$k" "$rep" "add_ms=$(((t1 - t0) / 1000000));del_ms=$(((t2 - t1) / 1000000));failed_adds=$fails${msg:+;error=$msg}"
		done
	done
	for ns in "${nss[@]}"; do ip netns del "$ns"; done
	_ns_list=()
done

# ---- (b) ingress accuracy ----
# rx_packets of eth0 in namespace $1
rxp() { ip netns exec "$1" cat /sys/class/net/eth0/statistics/rx_packets; }

modprobe pktgen
for rate in $rates; do
	for rep in $(seq 1 "$reps"); do
		for c in nmv macvlan_bw bridge_bw; do
			ns_create C
			case $c in
			nmv) gen=b7g0 ;;
			macvlan_bw) gen=b7g1 ;;
			*) gen=b7g2 ;;
			esac
			if ! out=$(add $c b7acc "$C" "$rate" 2>&1); then
				row "$c" accuracy "$rate" "$rep" "error=$(err "$out")"
				del $c b7acc "$C" >/dev/null 2>&1
				ip netns del "$C"
				_ns_list=()
				continue
			fi
			addr=$(ip -n "$C" -4 -o addr show dev eth0 | awk '{ sub("/.*", "", $4); print $4 }')
			mac=$(ip netns exec "$C" cat /sys/class/net/eth0/address)
			pps=$((rate * 24 / 10 / 8 / FRAME))
			before=$(rxp "$C")
			pktgen_setup "$gen" "$addr" "$mac" $((pps * WIN_S)) $FRAME "$pps" >/dev/null
			pktgen_run
			us=$(sed -n 's/^Result: OK: \([0-9]*\)(.*/\1/p' "$PG/$gen")
			# a shaper's queue drains after the flood: wait until the
			# count stops moving
			prev=-1
			got=$(rxp "$C")
			while [ "$got" != "$prev" ]; do
				prev=$got
				sleep 0.5
				got=$(rxp "$C")
			done
			got=$(((got - before) * FRAME))
			want=$((rate / 8 + rate * us / 8000000))
			row "$c" accuracy "$rate" "$rep" "$(awk -v g="$got" -v w="$want" -v us="$us" 'BEGIN {
				printf "expected_bytes=%d;got_bytes=%d;error_pct=%.2f;window_us=%d", w, g, (g - w) * 100 / w, us }')"
			del $c b7acc "$C" >/dev/null 2>&1
			ip netns del "$C"
			_ns_list=()
		done
	done
done
pg_reset 2>/dev/null
ip link del b7g0
ip link del b7g1
ip link del b7g2
ip link del b7br
rm -rf "$IPAMDIR"
