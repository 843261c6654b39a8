/* SPDX-License-Identifier: GPL-2.0 */
/*
 * igtb kernel API, used by devices that carry an ingress policer
 * (napi_macvlan).  The policer core and the generic netlink family live in
 * igtb.ko; a device embeds a struct igtb_slot in its private data and calls
 * igtb_conforms() as the first work on every received packet.
 */
#ifndef _IGTB_H
#define _IGTB_H

#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>

struct igtb_profile;
struct igtb_pcpu_stats;

/*
 * Per-device attachment point.  @profile is written under RTNL by the
 * netlink family and read under RCU (softirq) by the data path.  @stats
 * outlive profile replacement, so replacing a profile keeps the counters.
 */
struct igtb_slot {
	struct igtb_profile __rcu	*profile;
	struct igtb_pcpu_stats __percpu	*stats;
};

/*
 * The egress side of a device: a slot for the egress profile and the
 * shaper's backlog.  The backlog belongs to the device, not to a profile,
 * so replacing or deleting the profile loses no frame (see igtb_egress.c).
 * @xmit sends one released frame on (BH disabled, under RCU-bh); the
 * driver's transmit path after its egress check.
 */
struct igtb_egress {
	struct igtb_slot	slot;
	struct sk_buff_head	backlog;	/* its lock: see igtb_egress.c */
	u64			backlog_bytes;	/* under backlog.lock */
	u32			backlog_segs;	/* under backlog.lock */
	bool			releasing;	/* under backlog.lock */
	struct hrtimer		timer;
	void			(*xmit)(struct igtb_egress *eg,
					struct sk_buff *skb);
};

/*
 * A driver whose devices carry a slot.  The netlink family only touches
 * devices whose rtnl_link_ops match a registered driver.  @from_host
 * tells whether the task making the current request is the host's for
 * @dev (called under RTNL, in the requester's task): only then may it
 * read, set or delete the device's profile.  The driver knows what "the
 * host" is (for napi_macvlan: the lower's side, see main.c).
 */
struct igtb_driver {
	const struct rtnl_link_ops	*link_ops;
	struct igtb_slot		*(*slot)(struct net_device *dev,
						 bool egress);
	bool				(*from_host)(struct net_device *dev);
	struct list_head		list;
};

/*
 * What the device does with a packet: let it go on, drop it and count it
 * as policed, or (GSO/GRO packets only, when the caller allows it) split
 * it into its segments and police each with igtb_conforms().
 */
enum igtb_verdict {
	IGTB_PASS,
	IGTB_DROP,
	IGTB_SPLIT,
};

/* igtb_core.c */
int igtb_slot_init(struct igtb_slot *slot);
void igtb_slot_release(struct igtb_slot *slot);
enum igtb_verdict __igtb_police(struct igtb_slot *slot,
				struct igtb_profile *prof,
				struct sk_buff *skb, bool may_split);

/* igtb_egress.c */
int igtb_egress_init(struct igtb_egress *eg,
		     void (*xmit)(struct igtb_egress *eg, struct sk_buff *skb));
void igtb_egress_flush(struct igtb_egress *eg);
void igtb_egress_release(struct igtb_egress *eg);
bool __igtb_egress(struct igtb_egress *eg, struct igtb_profile *prof,
		   struct sk_buff *skb);
void igtb_egress_counters(const struct igtb_egress *eg, u64 *delayed,
			  u64 *delay_ns, u64 *dropped);

/* igtb_netlink.c */
int igtb_register_driver(struct igtb_driver *drv);
void igtb_unregister_driver(struct igtb_driver *drv);

/**
 * igtb_police - police one received packet
 * @slot: the receiving device's slot
 * @skb: the packet, skb->data at the network header or the MAC header
 * @may_split: the caller can segment a GSO/GRO packet
 *
 * Must run under rcu_read_lock() or with bottom halves disabled: any RX
 * context, and any TX context (pktgen calls ndo_start_xmit with only BH
 * disabled, without rcu_read_lock_bh()).  A GSO/GRO packet
 * passes whole only when all its segments conform.  When they do not and
 * @may_split is set, nothing is charged and the verdict is IGTB_SPLIT: the
 * caller segments the packet and polices each segment, so the segments
 * that fit go on and only the rest is dropped, as if a NIC without GRO had
 * delivered them.  Without @may_split the packet conforms when its first
 * segment does and the rest is charged as debt.
 */
static inline enum igtb_verdict igtb_police(struct igtb_slot *slot,
					    struct sk_buff *skb,
					    bool may_split)
{
	struct igtb_profile *prof;

	prof = rcu_dereference_check(slot->profile, rcu_read_lock_bh_held());

	return prof ? __igtb_police(slot, prof, skb, may_split) : IGTB_PASS;
}

/**
 * igtb_conforms - police one packet that is never split
 * @slot: the receiving device's slot
 * @skb: the packet
 *
 * Returns true when the packet may go on (no profile, conforming, or
 * marked); false when the caller must drop it and count it as policed.
 */
static inline bool igtb_conforms(struct igtb_slot *slot, struct sk_buff *skb)
{
	return igtb_police(slot, skb, false) == IGTB_PASS;
}

/**
 * igtb_egress - apply the egress profile to one frame about to leave
 * @eg: the sending device's egress side
 * @skb: the frame, skb->data at the MAC header
 *
 * Called by the driver's ndo_start_xmit (BH disabled) before the frame
 * goes anywhere.  Returns false when the frame may go on now (no profile
 * and no backlog, or it conforms); true when igtb took it: dropped and
 * counted, or queued and later handed to @eg->xmit.
 */
static inline bool igtb_egress(struct igtb_egress *eg, struct sk_buff *skb)
{
	struct igtb_profile *prof;

	prof = rcu_dereference_check(eg->slot.profile, rcu_read_lock_bh_held());
	if (likely(!prof && skb_queue_empty_lockless(&eg->backlog)))
		return false;
	return __igtb_egress(eg, prof, skb);
}

#endif /* _IGTB_H */
