#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A real container runtime on the napi-macvlan CNI plugin: Debian 12's
# podman 4.3 with its CNI backend and the README's Podman network (vrnet,
# host-local IPAM, an ingress profile and an egress shaper) on a lower
# device of the VM's initial namespace, whose veth peer sits in a namespace
# standing for the gateway.  Nothing is downloaded: the image is imported
# from a rootfs of static busybox.
#
# The VM's root is the host's, read-only.  The test runs in a mount
# namespace of its own (its mounts go when it ends) with a writable overlay
# on /var/lib (libcni's cache and host-local's leases live in /var/lib/cni),
# vfs storage and podman's state under /tmp, set through CONTAINERS_CONF and
# CONTAINERS_STORAGE_CONF; the podman binary is copied to tmpfs once
# (executing it over 9p costs seconds per command under TCG).
# Needs igtb.ko and napi_macvlan.ko loaded.

if [ -e /run/napi-vm ] && [ -z "${CNI_PODMAN_MNTNS:-}" ]; then
	CNI_PODMAN_MNTNS=1 exec unshare --mount --propagation private \
		bash "$0" "$@"
fi

. "$(dirname "$0")/../lib.sh"

PLUGIN=$TOP/userspace/napi-macvlan
CNI_BIN=/usr/lib/cni
W=/tmp/cni-podman.$$
PODMAN=$W/bin/podman
LOWER=pmlow$$
GWNS=pmgw-$$			# not $PREFIX-*: it outlives the cases
NET=vrnet
LEASES=/var/lib/cni/networks/$NET
MAC1=02:42:0a:58:05:32
IP2=10.88.5.77

export CONTAINERS_CONF=$W/containers.conf
export CONTAINERS_STORAGE_CONF=$W/storage.conf

pm() { "$PODMAN" "$@"; }

require_podman()
{
	in_vm || { skip "not in the selftest VM"; return $KSFT_SKIP; }
	command -v podman >/dev/null ||
		{ skip "podman not installed (make deps)"; return $KSFT_SKIP; }
	[ -x "$PLUGIN" ] || { skip "$PLUGIN not built (make userspace)"; return $KSFT_SKIP; }
	[ -x "$CNI_BIN/host-local" ] || {
		skip "$CNI_BIN/host-local missing (containernetworking-plugins)"
		return $KSFT_SKIP
	}
	[ -x /bin/busybox ] || { skip "/bin/busybox missing (busybox-static)"; return $KSFT_SKIP; }
}

# ready: setup (case 1) went through
ready()
{
	require_podman || return
	[ -e "$W/ready" ] || { skip "no podman setup (case 1 failed)"; return $KSFT_SKIP; }
}

# The README's Podman network, on $LOWER, written where podman reads it.
write_network()
{
	cat > "$W/net.d/20-$NET.conflist" <<-EOF
	{
	  "cniVersion": "1.0.0",
	  "name": "$NET",
	  "plugins": [
	    {
	      "type": "napi-macvlan",
	      "master": "$LOWER",
	      "ingress": { "rate": "100mbit", "burst": "1mb" },
	      "egress": { "rate": "50mbit", "burst": "256k" },
	      "ipam": {
	        "type": "host-local",
	        "ranges": [[{ "subnet": "10.88.5.0/24", "gateway": "10.88.5.1" }]],
	        "routes": [{ "dst": "0.0.0.0/0" }]
	      }
	    }
	  ]
	}
	EOF
}

# sandbox CTR: the path of the container's network namespace (asked once:
# every podman command costs seconds under TCG; reload keeps the namespace)
sandbox()
{
	[ -s "$W/sandbox.$1" ] ||
		pm inspect -f '{{.NetworkSettings.SandboxKey}}' "$1" > "$W/sandbox.$1"
	cat "$W/sandbox.$1"
}
# in_sandbox CTR CMD...: CMD (the VM's, e.g. iproute2) in CTR's namespace
in_sandbox() { nsenter --net="$(sandbox "$1")" "${@:2}"; }
# ctr_net CTR FIELD: IPAddress, MacAddress ... of CTR on $NET
ctr_net() { pm inspect -f "{{(index .NetworkSettings.Networks \"$NET\").$2}}" "$1"; }
# ctr_mac CTR: the MAC address of eth0 in CTR (nsenter does not switch
# /sys: ask iproute2)
ctr_mac() { in_sandbox "$1" ip -br link show dev eth0 | awk '{ print $3 }'; }
# ctr_ping CTR ADDR: one ping from inside CTR
ctr_ping() { pm exec "$1" ping -c 1 -W 5 "$2" >/dev/null; }
# leases: addresses host-local holds for $NET
leases() { ls "$LEASES" 2>/dev/null | grep -c '^10\.' || true; }
# profiles DIR: igtb profiles of direction DIR (ingress, egress) in all
# namespaces
profiles() { python3 "$TOP/selftests/tools/igtb_nl.py" dump | grep -c " dir $1 " || true; }
# nmv_devices: napi_macvlan devices in every namespace a name or a process
# holds (sysfs links no upper device of another namespace to $LOWER)
nmv_devices()
{
	local f id n=0 seen=" "

	for f in /run/netns/* /proc/[0-9]*/ns/net; do
		id=$(stat -L -c %i "$f" 2>/dev/null) || continue
		case $seen in *" $id "*) continue ;; esac
		seen="$seen$id "
		n=$((n + $(nsenter --net="$f" ip -o link show type napi_macvlan 2>/dev/null | wc -l)))
	done
	echo "$n"
}

# run_ctr NAME [PODMAN_RUN_OPTS...]: a container on $NET that sleeps
run_ctr()
{
	local name=$1
	shift
	pm run -d --name "$name" --network "$NET" --cap-add NET_RAW "$@" \
		localhost/nmv-busybox sleep 3600 >/dev/null
}

test_setup()
{
	local r=$W/rootfs a
	require_podman || return
	mkdir -p "$W"/{bin,net.d,graph,run,tmp,varlib} "$r"/{bin,etc,proc,sys,dev,tmp}
	# A writable /var/lib for libcni's cache and host-local's leases.
	mount -t tmpfs tmpfs "$W/varlib"
	mkdir -p "$W/varlib/upper" "$W/varlib/work"
	mount -t overlay overlay \
		-o "lowerdir=/var/lib,upperdir=$W/varlib/upper,workdir=$W/varlib/work" \
		/var/lib
	cp /usr/bin/podman "$PODMAN"
	cat > "$CONTAINERS_CONF" <<-EOF
	[engine]
	cgroup_manager = "cgroupfs"
	events_logger = "none"
	runtime = "crun"
	tmp_dir = "$W/tmp"
	[network]
	network_backend = "cni"
	network_config_dir = "$W/net.d"
	cni_plugin_dirs = ["$TOP/userspace", "$CNI_BIN"]
	EOF
	cat > "$CONTAINERS_STORAGE_CONF" <<-EOF
	[storage]
	driver = "vfs"
	runroot = "$W/run"
	graphroot = "$W/graph"
	EOF
	# The lower in the initial namespace, its peer the gateway.
	ip netns add "$GWNS"
	ip link add "$LOWER" type veth peer name gw0 netns "$GWNS"
	ip link set "$LOWER" up
	ip -n "$GWNS" link set lo up
	ip -n "$GWNS" link set gw0 up
	ip -n "$GWNS" addr add 10.88.5.1/24 dev gw0
	write_network
	cp /bin/busybox "$r/bin/busybox"
	for a in sh ip ping sleep cat; do
		ln -s busybox "$r/bin/$a"
	done
	tar -C "$r" -cf "$W/rootfs.tar" .
	pm import -q "$W/rootfs.tar" localhost/nmv-busybox
	pm network ls --format '{{.Name}} {{.Driver}}' | tee "$W/nets"
	grep -qx "$NET napi-macvlan" "$W/nets" || fail "podman does not list $NET"
	touch "$W/ready"
}

test_run()
{
	local id sb out want
	ready || return
	run_ctr c1 --mac-address "$MAC1"
	id=$(pm inspect -f '{{.Id}}' c1)
	sb=$(sandbox c1)
	echo "c1 $id in $sb"
	in_sandbox c1 ip -d addr show dev eth0
	check_eq "address from host-local" 10.88.5.2 "$(ctr_net c1 IPAddress)"
	check_eq "lease" 1 "$(leases)"
	[ -e "$LEASES/10.88.5.2" ] || fail "host-local holds no lease for 10.88.5.2"
	pm exec c1 ip -4 addr show dev eth0 | tee "$W/out"
	grep -q "inet 10.88.5.2/24" "$W/out" || fail "the container does not see its address"
	in_sandbox c1 ip -d link show dev eth0 | grep -q '^ *napi_macvlan' ||
		fail "eth0 in the container is not a napi_macvlan"
	in_sandbox c1 ip -d link show dev eth0 | grep -q "alias cni:$id:eth0" ||
		fail "eth0 does not carry the alias cni:$id:eth0"
	out=$("$VRCTL" -j rate show dev eth0 path "$sb")
	echo "$out"
	want='"ingress":{"rate":100000000,"burst":1048576,'
	printf '%s' "$out" | grep -qF "$want" || fail "no 100mbit/1mb ingress profile"
	want='"egress":{"rate":50000000,"burst":262144,'
	printf '%s' "$out" | grep -qF "$want" || fail "no 50mbit/256k egress shaper"
}

test_mac()
{
	ready || return
	check_eq "MAC of eth0" "$MAC1" "$(ctr_mac c1)"
	check_eq "MAC podman reports" "$MAC1" "$(ctr_net c1 MacAddress)"
	run_ctr c2 --ip "$IP2"
	check_eq "--ip through host-local" "$IP2" "$(ctr_net c2 IPAddress)"
	[ "$(ctr_mac c2)" != "$MAC1" ] ||
		fail "c2 got c1's MAC"
	check_eq "leases" 2 "$(leases)"
}

test_ping()
{
	ready || return
	check_ok "c1 -> the gateway on the lower" ctr_ping c1 10.88.5.1
	check_ok "the gateway -> c1" nmv_ping "$GWNS" 10.88.5.2
	check_ok "c1 -> c2" ctr_ping c1 "$IP2"
	check_ok "c2 -> c1" ctr_ping c2 10.88.5.2
}

test_reload()
{
	local before
	ready || return
	before=$(in_sandbox c1 ip -o link show dev eth0 | cut -d: -f1)
	pm network reload c1 >/dev/null
	in_sandbox c1 ip -d addr show dev eth0
	[ "$(in_sandbox c1 ip -o link show dev eth0 | cut -d: -f1)" != "$before" ] ||
		fail "reload did not make a new device (ifindex $before)"
	check_eq "address after reload" 10.88.5.2 "$(ctr_net c1 IPAddress)"
	check_eq "MAC after reload" "$MAC1" "$(ctr_mac c1)"
	check_eq "leases after reload" 2 "$(leases)"
	check_eq "napi_macvlan devices" 2 "$(nmv_devices)"
	check_eq "igtb ingress profiles" 2 "$(profiles ingress)"
	check_eq "igtb egress profiles" 2 "$(profiles egress)"
	check_ok "c1 -> the gateway after reload" ctr_ping c1 10.88.5.1
	check_ok "c2 -> c1 after reload" ctr_ping c2 10.88.5.2
}

test_teardown()
{
	ready || return
	pm rm -f -t 0 c1 c2 >/dev/null
	check_eq "containers" "" "$(pm ps -aq)"
	check_eq "napi_macvlan devices" 0 "$(nmv_devices)"
	check_eq "leases" 0 "$(leases)"
	check_eq "igtb ingress profiles" 0 "$(profiles ingress)"
	check_eq "igtb egress profiles" 0 "$(profiles egress)"
	check_eq "podman's namespaces" 0 "$(ls /run/netns | grep -c '^netns-' || true)"
	pm network rm "$NET" >/dev/null
	[ ! -e "$W/net.d/20-$NET.conflist" ] || fail "network rm left the config"
	pm network ls --format '{{.Name}}' | grep -qx "$NET" && fail "$NET still listed"
	return 0
}

cleanup()
{
	[ -x "$PODMAN" ] && pm rm -f -a -t 0 >/dev/null 2>&1
	ip netns del "$GWNS" 2>/dev/null
	ip link del "$LOWER" 2>/dev/null
	mountpoint -q /var/lib && umount /var/lib
	mountpoint -q "$W/varlib" && umount "$W/varlib"
	rm -rf "$W"
}
trap cleanup EXIT

ktap_plan 6
run_test "podman (CNI backend) sees the napi-macvlan network; image imported offline" test_setup
run_test "run: host-local address, napi_macvlan eth0 with its profile and shaper" test_run
run_test "--mac-address and --ip are honoured" test_mac
run_test "ping the gateway on the lower and between containers" test_ping
run_test "network reload: new device, same address and MAC, nothing leaked" test_reload
run_test "rm -f and network rm leave no device, lease, profile or netns" test_teardown
ktap_print "podman cases took ${SECONDS}s"
ktap_finish
