#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# In-VM driver of the benchmarks: load the modules, describe the machine,
# run the scenarios (CSV rows on stdout), unload.
#   guest.sh [--quick] [--cost] [SCENARIO...]   (B1 .. B7, B2f, B2fo, B2l, B9, B9c, B9s, B10; default all)
# --cost: the VM runs under icount with one vCPU (run.sh --cost)
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
quick=
[ "${1:-}" = --quick ] && { quick=--quick; export BENCH_QUICK=1; shift; }
[ "${1:-}" = --cost ] && { export BENCH_COST=1; shift; }
scens=${*:-B1 B2 B5 B3 B4 B6 B7}

echo "INFO,kernel,$(uname -r)"
echo "INFO,cpus,$(nproc)"
echo "INFO,cpu_model,$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1 | tr ',' ' ')"
echo "INFO,mem_mb,$(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo)"
echo "INFO,quick,${quick:-no}"
echo "INFO,instrument,$([ "${BENCH_COST:-0}" = 1 ] && echo icount || echo tcg)"
echo "INFO,clocksource,$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
insmod "$top/igtb/igtb.ko" || exit 1
insmod "$top/napi_macvlan/napi_macvlan.ko" || exit 1
modprobe pktgen; modprobe macvlan; modprobe ipvlan; modprobe veth; modprobe bridge
modprobe act_police; modprobe cls_matchall; modprobe sch_ingress
echo "INFO,columns,$(. "$here/bench_lib.sh"; echo "$BENCH_COLUMNS")"
# the host load while the VM ran is reported by the host side
for s in $scens; do
	echo "# ---- $s $(date +%T)"
	case $s in
	B1|B2) bash "$here/chain.sh" "$s" $quick ;;
	B2f) bash "$here/fanin.sh" $quick ;;
	# fan-in at overload, open-loop generator (cost mode)
	B2fo) bash "$here/fanin.sh" --overload $quick ;;
	# latency under load through a chain (cost mode)
	B2l) bash "$here/chain_lat.sh" $quick ;;
	# rxmode thread against direct, ring-drop cost (cost mode)
	B9c) bash "$here/thread_cost.sh" $quick ;;
	# router B beside a flooded, cgroup-capped router A, per rxmode
	B9) bash "$here/b9.sh" $quick ;;
	# N routers spread over cores behind one NIC (needs BENCH_CPUS >= 3)
	B9s) bash "$here/b9s.sh" $quick ;;
	# cost mode: B9's shape (A flooded, B beside it, one CPU) with the
	# upstream comparators; the 2-vCPU form is isolation.sh
	B3) if [ "${BENCH_COST:-0}" = 1 ]; then
		B9_SCEN=B3 B9_MODES=${B9_MODES:-"macvlan bridge direct thread"} \
			bash "$here/b9.sh" $quick
	    else
		bash "$here/isolation.sh" $quick
	    fi ;;
	B4) bash "$here/scale.sh" $quick ;;
	B5) bash "$here/policer.sh" $quick ;;
	B6) bash "$here/setup_time.sh" $quick ;;
	# CNI plugin against macvlan/bridge + bandwidth (issue #8)
	B7) bash "$here/cni.sh" $quick ;;
	# broadcast storm (issue #19), cost mode only
	B8) bash "$here/broadcast.sh" $quick ;;
	# egress shaper vs tbf vs fq pacing (issue #18), cost mode only
	B10) bash "$here/egress.sh" $quick ;;
	esac
done
echo "# ---- end $(date +%T)"
rmmod napi_macvlan && rmmod igtb
