#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# B6: setup time.  For K = 1, 10, 100 containers (namespaces made before,
# not timed): `vrctl router add` (two napi_macvlan interfaces moved into the
# container, up, igtb ingress profile on the first) then `vrctl router del`,
# against the same with ip and tc commands (napi_macvlan created with ip,
# policer as tc clsact + matchall police), written as an operator who
# knows iproute2 would: one `ip -batch` in the host, one `ip -n NS -batch`
# and one `tc -n NS -batch` in the container, three programs per container
# (each ip or tc run costs about a second under TCG; the first version,
# eight commands through `ip netns exec`, took 8-9 s per container).
# Wall time of the whole batch.
#   setup_time.sh [--quick]
. "$(dirname "$0")/../lib.sh" >/dev/null
. "$(dirname "$0")/bench_lib.sh"

quick=${1:-}
if [ "$quick" = --quick ]; then
	ks=${KS:-"1 10"}
	reps=${REPS:-1}
else
	ks=${KS:-"1 10 100"}
	reps=${REPS:-5}
fi

ip link add b6l0 type dummy
ip link add b6l1 type dummy
ip link set b6l0 up
ip link set b6l1 up
now() { date +%s%N; }

vr_add()
{
	"$VRCTL" router add "c$1" netns "$2" link b6l0 link b6l1 \
		names eth0,eth1 ingress rate 100mbit burst 64k >/dev/null
}

vr_del()
{
	"$VRCTL" router del "c$1" netns "$2" >/dev/null
}

ip_add()
{
	local i=$1 ns=$2
	printf '%s\n' "link add link b6l0 name c${i}a type napi_macvlan" \
		"link add link b6l1 name c${i}b type napi_macvlan" \
		"link set c${i}a netns $ns name eth0" \
		"link set c${i}b netns $ns name eth1" | ip -batch - &&
	printf '%s\n' "link set eth0 up" "link set eth1 up" |
		ip -n "$ns" -batch - &&
	printf '%s\n' "qdisc add dev eth0 clsact" \
		"filter add dev eth0 ingress matchall action police rate 100mbit burst 64k conform-exceed drop/ok" |
		tc -n "$ns" -batch -
}

ip_del()
{
	printf '%s\n' "link del eth0" "link del eth1" | ip -n "$2" -batch -
}

for k in $ks; do
	nss=()
	for i in $(seq 1 "$k"); do
		ns_create C
		nss+=("$C")
	done
	for rep in $(seq 1 "$reps"); do
		for tool in vrctl ip_tc; do
			# a failed command would make a short, false time: no row
			bad=0
			t0=$(now)
			for i in $(seq 1 "$k"); do
				if [ $tool = vrctl ]; then vr_add "$i" "${nss[$((i - 1))]}"
				else ip_add "$i" "${nss[$((i - 1))]}"; fi || bad=1
			done
			t1=$(now)
			for i in $(seq 1 "$k"); do
				if [ $tool = vrctl ]; then vr_del "$i" "${nss[$((i - 1))]}"
				else ip_del "$i" "${nss[$((i - 1))]}"; fi || bad=1
			done
			t2=$(now)
			if [ $bad = 1 ]; then
				echo "# B6 $tool, $k containers, repeat $rep: a command failed, no row"
				continue
			fi
			# columns: x = K; tput_pps = containers/s for add; extra del
			awk -v t=$tool -v k="$k" -v rep="$rep" -v a=$((t1 - t0)) -v d=$((t2 - t1)) 'BEGIN {
				printf "CSV,B6,%s,containers,%s,%s,NA,NA,%.2f,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,add_ms=%.1f;del_ms=%.1f\n",
					t, k, rep, k * 1e9 / a, a / 1e6, d / 1e6
			}'
		done
	done
	for ns in "${nss[@]}"; do ip netns del "$ns"; done
	_ns_list=()
done
ip link del b6l0
ip link del b6l1
