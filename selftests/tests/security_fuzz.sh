#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Netlink fuzzing of the igtb generic netlink family and of napi_macvlan
# links (selftests/fuzz/nlfuzz): 100,000+ random and mutated messages in a
# namespace of their own, then: every error reply was a sane errno, no
# napi_macvlan device is left in any namespace, kmalloc slab usage is back
# near its baseline, and the kernel logged no warning.  The seed comes from
# the date and is printed; NLFUZZ_SEED=N reproduces a run, NLFUZZ_COUNT=N
# changes its length.
. "$(dirname "$0")/../lib.sh"

NLFUZZ=$TOP/selftests/fuzz/nlfuzz
COUNT=${NLFUZZ_COUNT:-100000}
TENANT_COUNT=${NLFUZZ_TENANT_COUNT:-10000}

need_fuzzer()
{
	[ -x "$NLFUZZ" ] && return 0
	skip "$NLFUZZ not built (make -C selftests/fuzz)"
	return $KSFT_SKIP
}

# napi_macvlan devices in the initial namespace and in every named one
nmv_count_all()
{
	local n ns total

	total=$(ip -d -j link show | grep -o '"info_kind":"napi_macvlan"' | wc -l)
	for ns in $(ip netns list | awk '{print $1}'); do
		n=$(ip -n "$ns" -d -j link show |
			grep -o '"info_kind":"napi_macvlan"' | wc -l)
		total=$((total + n))
	done
	echo "$total"
}

# active objects of the generic kmalloc caches the netlink paths use,
# after flushing their per-CPU slabs (whose free objects SLUB counts as
# active)
kmalloc_active()
{
	slab_flush 'kmalloc-*'
	awk '$1 ~ /^kmalloc-(cg-)?(32|64|96|128|192|256|512|1k|2k|4k)$/ { s += $2 }
	     END { print s + 0 }' /proc/slabinfo
}

# kernel warnings logged after line $1 of dmesg
new_kernel_warnings()
{
	dmesg | tail -n +"$(($1 + 1))" |
		grep -E 'WARNING:|BUG:|Oops|general protection|refcount_t|KASAN|UBSAN|kmemleak|Slab cache still has objects' || true
}

# wait until a deleted namespace is really gone: cleanup_net() runs from a
# work queue; the veth peer PEER left in the initial namespace goes with it
settle()
{
	busywait 60000 bash -c "! ip link show $1 >/dev/null 2>&1" ||
		fail "namespace not dismantled after 60 s" || return
	sync
	echo 2 > /proc/sys/vm/drop_caches
}

# fuzz_summary FILE: the fuzzer's output without progress lines
fuzz_summary()
{
	grep -v '^nlfuzz: [0-9]* messages' "$1" || true
}

# Two fuzzers at once in one namespace, one on rtnetlink (creating,
# changing and deleting napi_macvlan devices) and one on igtb (setting,
# reading and deleting profiles of those devices), so igtb requests race
# with device creation and deletion.  Split 3:7, because an rtnetlink
# request costs ~3x an igtb one under TCG (device changes wait for RCU),
# so both finish at about the same time.
test_fuzz_root()
{
	local seed=${NLFUZZ_SEED:-$(date +%s)} dmesg0 kmalloc0 kmalloc1 \
		nmv0 rc_r rc_i out limit t0 out_r out_i n_r n_i

	need_fuzzer || return
	n_r=$((COUNT * 3 / 10))
	n_i=$((COUNT - n_r))
	echo "seed $seed (rtnl, $n_r messages) and $((seed + 1)) (igtb, $n_i)" \
		"(reproduce: NLFUZZ_SEED=$seed)"
	dmesg0=$(dmesg | wc -l)
	nmv0=$(nmv_count_all)
	# a first namespace and device cycle, so one-time allocations
	# (per-cpu caches, sysfs, module state) are not counted as growth
	ns_create W
	veth_create fz0 "$W" fzw0 ""
	ip netns del "$W"
	settle fzw0 || return
	kmalloc0=$(kmalloc_active)

	ns_create F
	veth_create fz0 "$F" fzp0 ""
	out_r=$(mktemp)
	out_i=$(mktemp)
	t0=$(date +%s)
	ip netns exec "$F" "$NLFUZZ" --family igtb --seed $((seed + 1)) \
		--count "$n_i" --lower fz0 > "$out_i" 2>&1 &
	set +e
	ip netns exec "$F" "$NLFUZZ" --family rtnl --seed "$seed" \
		--count "$n_r" --lower fz0 > "$out_r" 2>&1
	rc_r=$?
	wait $!
	rc_i=$?
	set -e
	echo "both fuzzers done in $(($(date +%s) - t0)) s"
	fuzz_summary "$out_r"
	fuzz_summary "$out_i"
	[ "$rc_r" -eq 0 ] || fail "rtnl fuzzer exited $rc_r (seed $seed)" ||
		return
	[ "$rc_i" -eq 0 ] ||
		fail "igtb fuzzer exited $rc_i (seed $((seed + 1)))" || return
	grep -q "total $n_r messages" "$out_r" &&
		grep -q "total $n_i messages" "$out_i" ||
		fail "the fuzzers did not send $COUNT messages" || return

	check_eq "napi_macvlan devices in all namespaces after the run" \
		"$nmv0" "$(nmv_count_all)"
	ip netns del "$F"
	settle fzp0 || return
	check_eq "napi_macvlan devices after deleting the namespace" \
		"$nmv0" "$(nmv_count_all)"

	# Tolerance: these caches are shared by the whole kernel, so some
	# objects come and go on their own (a few hundred to ~1000 in our
	# TCG runs before kmalloc_active flushed the per-CPU slabs; +1
	# after); a leak in a path the fuzzers took tens of thousands of
	# times (igtb SET, device create/delete) would exceed it.
	kmalloc1=$(kmalloc_active)
	limit=$((kmalloc0 / 50 + 1000))
	echo "kmalloc active objects: before $kmalloc0 after $kmalloc1 (limit +$limit)"
	check_range "kmalloc objects back near baseline" 0 \
		$((kmalloc0 + limit)) "$kmalloc1"
	out=$(new_kernel_warnings "$dmesg0")
	[ -z "$out" ] || fail "kernel warnings: $out"
}

# The same fuzzer as a tenant: root in its own user namespace, in its own
# network namespace.  Every igtb request must get EPERM (GENL_ADMIN_PERM
# checks the initial user namespace); rtnetlink acts on the tenant's own
# devices only.
test_fuzz_tenant()
{
	local seed=${NLFUZZ_SEED:-$(date +%s)} out rc igtb_sent igtb_eperm

	need_fuzzer || return
	require_cmd unshare || return
	echo "seed $seed count $TENANT_COUNT"
	set +e
	out=$(unshare -Urn "$NLFUZZ" --seed "$seed" --count "$TENANT_COUNT" \
		--new-netns 2>&1)
	rc=$?
	set -e
	printf '%s\n' "$out" | grep -v "^nlfuzz: [0-9]* messages"
	[ "$rc" -eq 0 ] || fail "nlfuzz as a tenant exited $rc (seed $seed)" ||
		return
	igtb_sent=$(printf '%s\n' "$out" | sed -n 's/^nlfuzz: igtb: sent \([0-9]*\) accepted \([0-9]*\) .*/\1 \2/p')
	igtb_eperm=$(printf '%s\n' "$out" | awk '$2 == "igtb:" && $3 == "EPERM" { print $4 }')
	set -- $igtb_sent
	[ "${1:-0}" -gt 0 ] || fail "no igtb request was sent" || return
	check_eq "igtb requests accepted from a tenant" 0 "$2"
	# the rest is refused before the permission check: unknown command
	# (EOPNOTSUPP), non-zero genlmsghdr.reserved (EINVAL)
	check_range "igtb requests refused with EPERM" $(($1 * 8 / 10)) "$1" \
		"${igtb_eperm:-0}"
}

ktap_plan 2
run_test "fuzz: $COUNT igtb and napi_macvlan netlink messages as root" test_fuzz_root
run_test "fuzz: $TENANT_COUNT netlink messages as a user-namespace tenant" test_fuzz_tenant
ktap_finish
