#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The in-VM half of selftests/deb/check.sh: with the packages installed on
# the host (the VM sees its root read-only), load the DKMS-built modules
# with modprobe and use the installed ip plugin and vrctl.
#
#   guest.sh VERSION

. "$(dirname "$0")/../lib.sh"

VERSION=$1
KVER=$(uname -r)
DKMS_DIR=/lib/modules/$KVER/updates/dkms
# the installed programs, never the tree's
VRCTL=/usr/sbin/vrctl
unset IP_LIB_DIR

# build_id FILE.ko / sys_build_id MODULE: the GNU build ID of a module file
# and of the loaded module
build_id()
{
	readelf -n "$1" | sed -n 's/^ *Build ID: //p'
}

sys_build_id()
{
	# note header: namesz, descsz, type (4 bytes each), "GNU\0", then the ID
	od -An -v -tx1 -j16 "/sys/module/$1/notes/.note.gnu.build-id" | tr -d ' \n'
}

test_modprobe()
{
	local m

	[ ! -d /sys/module/napi_macvlan ] || fail "napi_macvlan already loaded" || return
	modprobe napi_macvlan
	for m in igtb napi_macvlan; do
		check_eq "modinfo -n $m" "$DKMS_DIR/$m.ko" "$(modinfo -n $m)" || return
		check_eq "$m version" "$VERSION" "$(cat /sys/module/$m/version)" || return
		check_eq "loaded $m is the DKMS build" "$(build_id "$DKMS_DIR/$m.ko")" \
			"$(sys_build_id $m)" || return
		# and not the tree's own build (the other tests' modules)
		if [ -e "$TOP/$m/$m.ko" ] &&
		   [ "$(build_id "$TOP/$m/$m.ko")" = "$(sys_build_id $m)" ]; then
			fail "$m: the tree's build was loaded" || return
		fi
	done
}

test_plugin()
{
	local d

	ns_create N
	veth_create "${PREFIX}lo" "" peer "$N"
	# "mode private" is parsed by the installed link_napi_macvlan.so:
	# without it ip refuses the option
	check_ok "ip link add ... mode private" ip link add link "${PREFIX}lo" \
		name "${PREFIX}nm" type napi_macvlan mode private || return
	d=$(ip -d link show "${PREFIX}nm")
	echo "$d" | grep -q 'napi_macvlan mode private' ||
		fail "ip -d link show: no 'mode private': $d" || return
	ip link del "${PREFIX}nm"
	ip link del "${PREFIX}lo"
}

test_vrctl()
{
	local out

	ns_create C P
	veth_create "${PREFIX}l1" "" p1 "$P"
	check_eq "vrctl --version" "vrctl $VERSION" "$("$VRCTL" --version)" || return
	check_ok "vrctl router add" "$VRCTL" router add r1 netns "$C" \
		link "${PREFIX}l1" names eth0 mode private rate 10mbit || return
	out=$(ip -n "$C" -d link show eth0)
	echo "$out" | grep -q 'napi_macvlan mode private' ||
		fail "router's eth0 is no private napi_macvlan: $out" || return
	out=$("$VRCTL" -j rate show dev eth0 netns "$C")
	echo "$out" | grep -q 10000000 ||
		fail "rate show: no 10mbit ingress profile: $out" || return
	check_ok "vrctl router del" "$VRCTL" router del r1 netns "$C" || return
	ip link del "${PREFIX}l1"
}

test_rmmod()
{
	rmmod napi_macvlan
	rmmod igtb
}

ktap_plan 4
run_test "modprobe loads the DKMS-built modules from updates/dkms" test_modprobe
run_test "installed ip plugin: ip link add ... type napi_macvlan mode private" test_plugin
run_test "installed vrctl sets up and removes a router" test_vrctl
run_test "DKMS-built modules unload" test_rmmod
ktap_finish
