// SPDX-License-Identifier: GPL-2.0
/*
 * B10's "edt" comparator: earliest-departure-time pacing of one device's
 * egress, a token bucket in EDT form.  Attached at clsact egress
 * (tc filter ... egress bpf direct-action obj edt_pace.o sec tc) under an
 * fq root qdisc, which holds each frame until its skb->tstamp.
 *
 * The per-device virtual clock vt (CLOCK_MONOTONIC ns, what fq compares
 * tstamp with) is the time at which the bucket would be empty: the bucket
 * holds (now - vt) x RATE bytes, at most BURST.  For a frame of len bytes:
 *
 *	vt = max(vt, now - BURST / RATE)	the bucket is full at most
 *	vt += len / RATE			take len bytes from it
 *	tstamp = max(now, vt)			leave when they were there
 *
 * so after idle BURST bytes leave at once, then frames leave at RATE: in
 * any window, bytes sent <= RATE x window + BURST, as with tbf.  A frame
 * whose departure is more than LAT_NS ahead of now (tbf's latency, igtb's
 * latency bound) is dropped and takes nothing from the bucket.
 *
 * RATE (bytes/s), BURST (bytes) and LAT_NS come from -D at build time
 * (egress.sh builds one object per rate).
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#ifndef RATE
#error "build with -DRATE=bytes_per_second"
#endif
#ifndef BURST
#define BURST 1514
#endif
#ifndef LAT_NS
#define LAT_NS 50000000ULL
#endif

#define NSEC_PER_SEC 1000000000ULL

struct edt_clock {
	struct bpf_spin_lock lock;
	__u64 vt;
};

/*
 * One entry: the device's clock.  An array value is shared by every CPU,
 * so read-modify-write needs the lock: on the bench's one vCPU a plain
 * load/store would be race-free only because nothing else runs the
 * program at the same time (tc egress runs with BH off, not preemptible
 * by itself on that CPU).  An atomic add alone cannot do the clamp to
 * now - BURST / RATE nor leave the clock untouched on a drop (that would
 * take a cmpxchg loop); bpf_spin_lock keeps the three steps one critical
 * section for a few instructions when uncontended (irqs off + a spin).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct edt_clock);
} edt_clock SEC(".maps");

SEC("tc")
int edt_pace(struct __sk_buff *skb)
{
	__u64 now = bpf_ktime_get_ns();
	__u64 cost = (__u64)skb->len * NSEC_PER_SEC / RATE;
	__u64 floor = now - (__u64)BURST * NSEC_PER_SEC / RATE;
	struct edt_clock *c;
	__u32 key = 0;
	__u64 vt;

	c = bpf_map_lookup_elem(&edt_clock, &key);
	if (!c)
		return TC_ACT_OK;

	bpf_spin_lock(&c->lock);
	vt = c->vt;
	if ((__s64)(vt - floor) < 0)
		vt = floor;
	vt += cost;
	if ((__s64)(vt - now) > (__s64)LAT_NS) {
		bpf_spin_unlock(&c->lock);
		return TC_ACT_SHOT;
	}
	c->vt = vt;
	bpf_spin_unlock(&c->lock);

	skb->tstamp = (__s64)(vt - now) > 0 ? vt : now;
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
