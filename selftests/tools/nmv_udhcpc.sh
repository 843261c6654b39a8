#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2154 # udhcpc passes interface, ip, subnet, router
# busybox udhcpc script for the napi_macvlan selftests: apply a lease with
# ip(8).  udhcpc passes the event as $1 and the lease in the environment.
case $1 in
deconfig)
	ip addr flush dev "$interface"
	ip link set "$interface" up
	;;
bound|renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/$subnet" dev "$interface"
	if [ -n "$router" ]; then
		ip route replace default via "${router%% *}" dev "$interface"
	fi
	;;
esac
exit 0
