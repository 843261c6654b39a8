// SPDX-License-Identifier: GPL-2.0
/*
 * igtb policer core: a lockless GCRA (virtual scheduling) token bucket.
 *
 * Each bucket is one word, the theoretical arrival time (TAT) of the next
 * packet.  A packet arriving at @now conforms when
 *	max(TAT, now) + cost - now <= tolerance
 * and then moves TAT to max(TAT, now) + cost.  TAT <= now means a full
 * bucket.  The test reads the shared word once and the commit is one
 * cmpxchg, so concurrent RX on several CPUs needs no lock, and a
 * non-conforming packet writes nothing shared at all.  With both a byte and
 * a packet bucket the two TATs are one 16-byte pair committed with one
 * double-word cmpxchg.
 */

#include <linux/etherdevice.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/timekeeping.h>
#include <linux/udp.h>
#include <net/netlink.h>

#include <linux/igtb.h>

#include "igtb_core.h"

static struct kmem_cache *igtb_profile_cache __read_mostly;

/*
 * Profiles and per-CPU stat blocks alive, for leak checks in tests:
 * /sys/module/igtb/parameters/objects.
 */
static atomic_t igtb_objects = ATOMIC_INIT(0);

static int igtb_objects_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&igtb_objects));
}

static const struct kernel_param_ops igtb_objects_ops = {
	.get = igtb_objects_get,
};
module_param_cb(objects, &igtb_objects_ops, NULL, 0444);
MODULE_PARM_DESC(objects, "igtb profiles and stat blocks alive (debug)");

/* Policer time units per second, times 8 for byte rates given in bits/s. */
#define IGTB_UNITS_PER_SEC	((u64)NSEC_PER_SEC << IGTB_TIME_SHIFT)

static u64 igtb_cost(const struct igtb_bucket *b, u64 n)
{
	return mul_u64_u64_shr(n, b->mult, b->shift);
}

/*
 * Fixed point cost per unit: mult / 2^shift = units_per_sec / rate, with
 * mult in [2^31, 2^32) where the rate allows (relative error below 2^-31).
 * Rates below 4 packets/s need more than 32 bits at shift 0, hence u64.
 * Each step at most doubles a quotient below 2^31, so the 128/64 division
 * never overflows.
 */
static void igtb_bucket_init(struct igtb_bucket *b, u64 units_per_sec,
			     u64 rate, u32 burst)
{
	u32 shift = 0;
	u64 mult = div64_u64(units_per_sec, rate);

	while (mult < BIT_ULL(31) && shift < 63) {
		shift++;
		mult = mul_u64_u64_div_u64(units_per_sec, BIT_ULL(shift), rate);
	}
	b->mult = mult;
	b->shift = shift;
	b->tol = igtb_cost(b, burst);
}

/* A burst must refill within IGTB_BURST_TIME_MAX_NS: burst / rate <= max. */
#define IGTB_BURST_TIME_MAX_S	div_u64(IGTB_BURST_TIME_MAX_NS, NSEC_PER_SEC)

static int igtb_complete_bytes(struct igtb_config *cfg, u64 frame,
			       struct netlink_ext_ack *extack)
{
	if (cfg->rate < IGTB_RATE_MIN || cfg->rate > IGTB_RATE_MAX) {
		NL_SET_ERR_MSG(extack, "rate out of range: 8000 bit/s to 400 Gbit/s");
		return -ERANGE;
	}
	if (!cfg->burst) {
		u64 b = max(div_u64(cfg->rate, 8 * 1000 / IGTB_DEFAULT_BURST_MS),
			    IGTB_DEFAULT_BURST_PKTS * frame);

		cfg->burst = min_t(u64, b, U32_MAX);
	} else if (cfg->burst < frame) {
		NL_SET_ERR_MSG(extack,
			       "burst smaller than one full-size frame (MTU + 14 bytes + overhead) lets no such frame conform");
		return -EINVAL;
	}
	if ((u64)cfg->burst * 8 > IGTB_BURST_TIME_MAX_S * cfg->rate) {
		NL_SET_ERR_MSG(extack,
			       "burst takes longer than one day to refill at this rate");
		return -ERANGE;
	}
	return 0;
}

static int igtb_complete_pkts(struct igtb_config *cfg,
			      struct netlink_ext_ack *extack)
{
	if (cfg->pkt_rate < IGTB_PKT_RATE_MIN ||
	    cfg->pkt_rate > IGTB_PKT_RATE_MAX) {
		NL_SET_ERR_MSG(extack,
			       "packet rate out of range: 1 to 10^9 packets/s");
		return -ERANGE;
	}
	if (!cfg->pkt_burst)
		cfg->pkt_burst = max_t(u64, IGTB_DEFAULT_BURST_PKTS,
				       div_u64(cfg->pkt_rate,
					       1000 / IGTB_DEFAULT_BURST_MS));
	if ((u64)cfg->pkt_burst > IGTB_BURST_TIME_MAX_S * cfg->pkt_rate) {
		NL_SET_ERR_MSG(extack,
			       "packet burst takes longer than one day to refill at this packet rate");
		return -ERANGE;
	}
	return 0;
}

/*
 * Check @cfg for a device of @mtu and fill in the default bursts; @cfg's
 * bursts are 0 when not given.
 */
int igtb_config_complete(struct igtb_config *cfg, unsigned int mtu,
			 struct netlink_ext_ack *extack)
{
	u64 frame = (u64)mtu + ETH_HLEN + cfg->overhead;
	int err;

	if (!cfg->rate && !cfg->pkt_rate) {
		NL_SET_ERR_MSG(extack,
			       "no rate given: need a byte rate, a packet rate or both");
		return -EINVAL;
	}
	if (cfg->rate) {
		err = igtb_complete_bytes(cfg, frame, extack);
		if (err)
			return err;
	} else if (cfg->burst) {
		NL_SET_ERR_MSG(extack, "burst given without a byte rate");
		return -EINVAL;
	}
	if (cfg->pkt_rate) {
		err = igtb_complete_pkts(cfg, extack);
		if (err)
			return err;
	} else if (cfg->pkt_burst) {
		NL_SET_ERR_MSG(extack, "packet burst given without a packet rate");
		return -EINVAL;
	}
	if (cfg->action != IGTB_ACTION_MARK && cfg->mark) {
		NL_SET_ERR_MSG(extack, "mark given but the action is not mark");
		return -EINVAL;
	}
	if (cfg->action == IGTB_ACTION_SHAPE && !cfg->egress) {
		NL_SET_ERR_MSG(extack,
			       "shape is an egress action: an ingress profile drops or marks");
		return -EINVAL;
	}
	if (cfg->action != IGTB_ACTION_SHAPE && cfg->latency_us) {
		NL_SET_ERR_MSG(extack, "latency given but the action is not shape");
		return -EINVAL;
	}
	if (cfg->action == IGTB_ACTION_SHAPE && !cfg->latency_us)
		cfg->latency_us = IGTB_DEFAULT_LATENCY_US;
	return 0;
}

struct igtb_profile *igtb_profile_create(const struct igtb_config *cfg)
{
	struct igtb_profile *prof;

	prof = kmem_cache_zalloc(igtb_profile_cache, GFP_KERNEL);
	if (!prof)
		return NULL;
	atomic_inc(&igtb_objects);
	prof->cfg = *cfg;
	if (cfg->rate) {
		prof->has_byte = 1;
		igtb_bucket_init(&prof->byte, 8 * IGTB_UNITS_PER_SEC, cfg->rate,
				 cfg->burst);
	}
	if (cfg->pkt_rate) {
		prof->has_pkt = 1;
		igtb_bucket_init(&prof->pkt, IGTB_UNITS_PER_SEC, cfg->pkt_rate,
				 cfg->pkt_burst);
	}
	/* TATs of 0 (zeroed): both buckets start full */
	prof->epoch_ns = ktime_get_ns();
	return prof;
}

static void igtb_profile_free_rcu(struct rcu_head *head)
{
	struct igtb_profile *prof = container_of(head, struct igtb_profile, rcu);

	if (prof->dead_stats) {
		free_percpu(prof->dead_stats);
		atomic_dec(&igtb_objects);
	}
	kmem_cache_free(igtb_profile_cache, prof);
	atomic_dec(&igtb_objects);
}

/*
 * Publish @prof (may be NULL) on @slot; caller holds RTNL, which serializes
 * all writers of slot->profile.  Readers still using the old profile finish
 * within a grace period, then it is freed.
 */
void igtb_slot_replace(struct igtb_slot *slot, struct igtb_profile *prof)
{
	struct igtb_profile *old;

	old = rcu_replace_pointer(slot->profile, prof, lockdep_rtnl_is_held());
	if (old)
		call_rcu(&old->rcu, igtb_profile_free_rcu);
}

int igtb_slot_init(struct igtb_slot *slot)
{
	RCU_INIT_POINTER(slot->profile, NULL);
	slot->stats = netdev_alloc_pcpu_stats(struct igtb_pcpu_stats);
	if (!slot->stats)
		return -ENOMEM;
	atomic_inc(&igtb_objects);
	return 0;
}
EXPORT_SYMBOL_GPL(igtb_slot_init);

/**
 * igtb_slot_release - free a slot's profile and statistics
 * @slot: a slot set up by igtb_slot_init(), of a device being destroyed
 *
 * Process context.  The device must be unreachable by the netlink family
 * (unregistered, or RTNL held); RX readers may still be running, so both the
 * profile and the stats are freed after a grace period.
 */
void igtb_slot_release(struct igtb_slot *slot)
{
	struct igtb_pcpu_stats __percpu *stats = slot->stats;
	struct igtb_profile *prof;

	/* no writer left: the device is gone from the netlink family's view */
	prof = rcu_replace_pointer(slot->profile, NULL, true);
	slot->stats = NULL;
	if (!stats) {
		if (prof)
			call_rcu(&prof->rcu, igtb_profile_free_rcu);
		return;
	}
	if (!prof) {
		/* an empty profile only carries the stats through call_rcu */
		prof = kmem_cache_zalloc(igtb_profile_cache, GFP_KERNEL);
		if (!prof) {
			synchronize_rcu();
			free_percpu(stats);
			atomic_dec(&igtb_objects);
			return;
		}
		atomic_inc(&igtb_objects);
	}
	prof->dead_stats = stats;
	call_rcu(&prof->rcu, igtb_profile_free_rcu);
}
EXPORT_SYMBOL_GPL(igtb_slot_release);

void igtb_slot_stats(const struct igtb_slot *slot, struct igtb_stats *st)
{
	int cpu;

	memset(st, 0, sizeof(*st));
	if (!slot->stats)
		return;
	for_each_possible_cpu(cpu) {
		const struct igtb_pcpu_stats *s = per_cpu_ptr(slot->stats, cpu);
		u64 cp, cb, ep, eb, dp, dn;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			cp = u64_stats_read(&s->conform_packets);
			cb = u64_stats_read(&s->conform_bytes);
			ep = u64_stats_read(&s->exceed_packets);
			eb = u64_stats_read(&s->exceed_bytes);
			dp = u64_stats_read(&s->delayed_packets);
			dn = u64_stats_read(&s->delay_ns);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		st->conform_packets += cp;
		st->conform_bytes += cb;
		st->exceed_packets += ep;
		st->exceed_bytes += eb;
		st->delayed_packets += dp;
		st->delay_ns += dn;
	}
}

/*
 * L2 length of @skb as it was on the wire: skb->data may be past the MAC
 * header.  A GSO/GRO packet counts as its segments, each with its own
 * headers (when the transport header is known).
 */
u64 igtb_skb_len(const struct sk_buff *skb, u32 *segs)
{
	const struct skb_shared_info *shinfo;
	u64 len = skb->len;
	u32 hdr, n;

	if (skb_mac_header_was_set(skb) && skb_mac_offset(skb) < 0)
		len -= skb_mac_offset(skb);
	*segs = 1;
	if (likely(!skb_is_gso(skb)))
		return len;

	shinfo = skb_shinfo(skb);
	n = max_t(u32, shinfo->gso_segs, 1);
	*segs = n;
	if (n == 1 || !skb_mac_header_was_set(skb) ||
	    !skb_transport_header_was_set(skb) ||
	    skb_transport_header(skb) <= skb_network_header(skb))
		return len;

	hdr = skb_transport_header(skb) - skb_mac_header(skb);
	if (shinfo->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) {
		const struct tcphdr *th;
		struct tcphdr _th;

		th = skb_header_pointer(skb, skb_transport_offset(skb),
					sizeof(_th), &_th);
		if (th)
			hdr += __tcp_hdrlen(th);
	} else if (shinfo->gso_type & SKB_GSO_UDP_L4) {
		hdr += sizeof(struct udphdr);
	}
	return len + (u64)(n - 1) * hdr;
}

/*
 * One bucket.  @first is what must fit within the tolerance: the whole
 * cost, or for a GSO packet that may not be split the cost of its first
 * segment, the rest left as debt (TAT beyond the tolerance), so that
 * super-packets larger than the burst still pass at the long-term rate.
 */
static bool igtb_gcra(u64 *tatp, u64 now, u64 cost, u64 first, u64 tol)
{
	u64 old = READ_ONCE(*tatp);

	for (;;) {
		u64 tat = max(old, now);
		u64 prev;

		if (tat + first - now > tol)
			return false;
		prev = cmpxchg64(tatp, old, tat + cost);
		if (likely(prev == old))
			return true;
		old = prev;
	}
}

/* Both buckets: the packet conforms only if both allow it. */
static bool igtb_gcra_pair(struct igtb_profile *prof, u64 now, u64 cb,
			   u64 fb, u64 cp, u64 fp)
{
	struct igtb_tat_pair *p = &prof->tat;
	struct igtb_tat_pair old, new;

	if (!igtb_has_cmpxchg_pair()) {
		u64 o, prev;

		if (!igtb_gcra(&p->bytes, now, cb, fb, prof->byte.tol))
			return false;
		if (igtb_gcra(&p->pkts, now, cp, fp, prof->pkt.tol))
			return true;
		/* give the byte bucket its cost back */
		o = READ_ONCE(p->bytes);
		while ((prev = cmpxchg64(&p->bytes, o, o - cb)) != o)
			o = prev;
		return false;
	}

	for (;;) {
		u64 tb, tp;

		/* a torn read only makes the cmpxchg below fail */
		old.bytes = READ_ONCE(p->bytes);
		old.pkts = READ_ONCE(p->pkts);
		tb = max(old.bytes, now);
		tp = max(old.pkts, now);
		if (tb + fb - now > prof->byte.tol ||
		    tp + fp - now > prof->pkt.tol)
			return false;
		new.bytes = tb + cb;
		new.pkts = tp + cp;
		if (likely(igtb_cmpxchg_pair(p, &old, &new)))
			return true;
	}
}

/* the profile's clock, in the buckets' fixed point */
static u64 igtb_now(const struct igtb_profile *prof)
{
	u64 now = ktime_get_ns() - prof->epoch_ns;

	/* the profile was published after its epoch was read: now >= 0 */
	if (unlikely((s64)now < 0))
		now = 0;
	return now << IGTB_TIME_SHIFT;
}

/* @whole: every segment of a GSO packet must fit, not just the first */
static bool igtb_gcra_run(struct igtb_profile *prof, u64 len, u32 segs,
			  bool whole)
{
	u64 cb = 0, fb = 0, cp = 0, fp = 0;
	u64 now = igtb_now(prof);

	if (prof->has_byte) {
		cb = igtb_cost(&prof->byte, len);
		fb = segs > 1 && !whole ? div_u64(cb, segs) : cb;
	}
	if (prof->has_pkt) {
		cp = igtb_cost(&prof->pkt, segs);
		fp = segs > 1 && !whole ? igtb_cost(&prof->pkt, 1) : cp;
	}
	if (prof->has_byte && prof->has_pkt)
		return igtb_gcra_pair(prof, now, cb, fb, cp, fp);
	if (prof->has_byte)
		return igtb_gcra(&prof->tat.bytes, now, cb, fb, prof->byte.tol);
	return igtb_gcra(&prof->tat.pkts, now, cp, fp, prof->pkt.tol);
}

/*
 * Would the first segment of a GSO packet conform now?  A read, nothing
 * charged: it only decides whether splitting the packet can pass anything,
 * so that under overload a super-packet is dropped whole, before any
 * segmentation work is spent on it.  A race with another CPU only moves
 * the decision to the per-segment checks.
 */
static bool igtb_first_fits(struct igtb_profile *prof, u64 len, u32 segs)
{
	u64 now = igtb_now(prof);

	if (prof->has_byte &&
	    max(READ_ONCE(prof->tat.bytes), now) - now +
	    div_u64(igtb_cost(&prof->byte, len), segs) > prof->byte.tol)
		return false;
	return !prof->has_pkt ||
	       max(READ_ONCE(prof->tat.pkts), now) - now +
	       igtb_cost(&prof->pkt, 1) <= prof->pkt.tol;
}

/*
 * Splitting needs the segmentation to be able to start: on the receive
 * path skb_gso_segment() refuses (and warns about) packets whose checksum
 * was never looked at.
 */
static bool igtb_splittable(const struct sk_buff *skb)
{
	return skb->ip_summed != CHECKSUM_NONE;
}

/* Count one packet (@segs segments, @len bytes) that passed or not. */
void igtb_account(struct igtb_slot *slot, bool ok, u32 segs, u64 len)
{
	struct igtb_pcpu_stats *st = this_cpu_ptr(slot->stats);

	u64_stats_update_begin(&st->syncp);
	if (ok) {
		u64_stats_add(&st->conform_packets, segs);
		u64_stats_add(&st->conform_bytes, len);
	} else {
		u64_stats_add(&st->exceed_packets, segs);
		u64_stats_add(&st->exceed_bytes, len);
	}
	u64_stats_update_end(&st->syncp);
}

/* Count one frame that waited @delay_ns in a shaper's backlog. */
void igtb_account_delay(struct igtb_slot *slot, u64 delay_ns)
{
	struct igtb_pcpu_stats *st = this_cpu_ptr(slot->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->delayed_packets);
	u64_stats_add(&st->delay_ns, delay_ns);
	u64_stats_update_end(&st->syncp);
}

/* Time in ns until a TAT of @tat lets a cost of @first through. */
static u64 igtb_wait_one(u64 tat, u64 now, u64 first, u64 tol)
{
	u64 need = max(tat, now) + first - now;

	if (need <= tol)
		return 0;
	/* round up: a timer early by a fraction of a ns only re-arms */
	return ((need - tol) >> IGTB_TIME_SHIFT) + 1;
}

/*
 * The shaper's GCRA: the same buckets as the policer, but a frame that
 * does not conform yet is not refused, the caller learns how long until it
 * does.  A frame costlier than the burst needs a full bucket and leaves the
 * rest as debt (first = min(cost, tolerance)), so it can never wait
 * forever.  Returns true when the frame was charged and may leave now.
 */
bool igtb_shape_take(struct igtb_profile *prof, u64 len, u32 segs,
		     u64 *wait_ns)
{
	u64 cb = 0, fb = 0, cp = 0, fp = 0, w = 0;
	u64 now = igtb_now(prof);
	bool ok;

	if (prof->has_byte) {
		cb = igtb_cost(&prof->byte, len);
		fb = min(cb, prof->byte.tol);
	}
	if (prof->has_pkt) {
		cp = igtb_cost(&prof->pkt, segs);
		fp = min(cp, prof->pkt.tol);
	}
	if (prof->has_byte && prof->has_pkt)
		ok = igtb_gcra_pair(prof, now, cb, fb, cp, fp);
	else if (prof->has_byte)
		ok = igtb_gcra(&prof->tat.bytes, now, cb, fb, prof->byte.tol);
	else
		ok = igtb_gcra(&prof->tat.pkts, now, cp, fp, prof->pkt.tol);
	if (ok)
		return true;
	if (prof->has_byte)
		w = igtb_wait_one(READ_ONCE(prof->tat.bytes), now, fb,
				  prof->byte.tol);
	if (prof->has_pkt)
		w = max(w, igtb_wait_one(READ_ONCE(prof->tat.pkts), now, fp,
					 prof->pkt.tol));
	/* another CPU refilled nothing: at least try again soon */
	*wait_ns = max_t(u64, w, 1);
	return false;
}

/*
 * How long a frame would wait if @len bytes and @segs packets (it and the
 * backlog ahead of it) had to conform first: the shaper's latency check.
 * A read, nothing charged.
 */
u64 igtb_shape_wait(struct igtb_profile *prof, u64 len, u32 segs)
{
	u64 now = igtb_now(prof), w = 0;

	if (prof->has_byte)
		w = igtb_wait_one(READ_ONCE(prof->tat.bytes), now,
				  igtb_cost(&prof->byte, len), prof->byte.tol);
	if (prof->has_pkt)
		w = max(w, igtb_wait_one(READ_ONCE(prof->tat.pkts), now,
					 igtb_cost(&prof->pkt, segs),
					 prof->pkt.tol));
	return w;
}

/*
 * How much later than a backlogged frame's conformance time the shaper's
 * timer may fire (its hrtimer slack).  Over the profile the timer would
 * otherwise release one frame per expiry; fired late it releases every
 * frame that conforms by then at once, which is what makes a shaper at its
 * limit cost less per frame than one timer interrupt each.  Releasing late
 * must not waste rate: the credit that accrues meanwhile has to fit in the
 * bucket beside the frame's own cost, so the slack is at most half of the
 * tolerance that frame leaves (a bucket barely larger than a frame gets
 * none), and at most an eighth of the backlog bound, which the latency
 * check includes.  Frames still leave only as the buckets allow them, so
 * the output stays within rate x window + burst.
 */
u64 igtb_shape_slack(const struct igtb_profile *prof, u64 len, u32 segs)
{
	u64 s = (u64)prof->cfg.latency_us * NSEC_PER_USEC / 8;
	u64 first;

	if (prof->has_byte) {
		first = min(igtb_cost(&prof->byte, len), prof->byte.tol);
		s = min(s, (prof->byte.tol - first) >> (IGTB_TIME_SHIFT + 1));
	}
	if (prof->has_pkt) {
		first = min(igtb_cost(&prof->pkt, segs), prof->pkt.tol);
		s = min(s, (prof->pkt.tol - first) >> (IGTB_TIME_SHIFT + 1));
	}
	return s;
}

/* Called through igtb_police() with a profile, under RCU, BH disabled. */
enum igtb_verdict __igtb_police(struct igtb_slot *slot,
				struct igtb_profile *prof,
				struct sk_buff *skb, bool may_split)
{
	u32 segs;
	u64 len = igtb_skb_len(skb, &segs);
	bool whole, ok;

	len += (u64)prof->cfg.overhead * segs;
	whole = may_split && segs > 1 && igtb_splittable(skb);
	ok = igtb_gcra_run(prof, len, segs, whole);
	/* nothing charged: each segment comes back on its own */
	if (!ok && whole && igtb_first_fits(prof, len, segs))
		return IGTB_SPLIT;

	igtb_account(slot, ok, segs, len);
	if (likely(ok))
		return IGTB_PASS;
	if (prof->cfg.action == IGTB_ACTION_MARK) {
		skb->mark = prof->cfg.mark;
		return IGTB_PASS;
	}
	return IGTB_DROP;
}
EXPORT_SYMBOL_GPL(__igtb_police);

int igtb_core_init(void)
{
	/* cache-line aligned: the TAT pair needs 16 bytes for cmpxchg16b */
	igtb_profile_cache = kmem_cache_create("igtb_profile",
					       sizeof(struct igtb_profile),
					       __alignof__(struct igtb_profile),
					       SLAB_HWCACHE_ALIGN, NULL);
	return igtb_profile_cache ? 0 : -ENOMEM;
}

void igtb_core_exit(void)
{
	/* igtb_profile_free_rcu() callbacks use the cache */
	rcu_barrier();
	kmem_cache_destroy(igtb_profile_cache);
}
