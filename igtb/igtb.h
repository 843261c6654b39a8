/* SPDX-License-Identifier: GPL-2.0 */
/*
 * igtb kernel API, used by devices that carry an ingress policer
 * (napi_macvlan).  The policer core and the generic netlink family live in
 * igtb.ko; a device embeds a struct igtb_slot in its private data and calls
 * igtb_conforms() as the first work on every received packet.
 */
#ifndef _IGTB_H
#define _IGTB_H

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
 * A driver whose devices carry a slot.  The netlink family only touches
 * devices whose rtnl_link_ops match a registered driver.
 */
struct igtb_driver {
	const struct rtnl_link_ops	*link_ops;
	struct igtb_slot		*(*slot)(struct net_device *dev);
	struct list_head		list;
};

/* igtb_core.c */
int igtb_slot_init(struct igtb_slot *slot);
void igtb_slot_release(struct igtb_slot *slot);
bool __igtb_conforms(struct igtb_slot *slot, struct igtb_profile *prof,
		     struct sk_buff *skb);

/* igtb_netlink.c */
int igtb_register_driver(struct igtb_driver *drv);
void igtb_unregister_driver(struct igtb_driver *drv);

/**
 * igtb_conforms - police one received packet
 * @slot: the receiving device's slot
 * @skb: the packet, skb->data at the network header or the MAC header
 *
 * Must run under rcu_read_lock() (any RX context is).  Returns true when the
 * packet may go on (no profile, conforming, or marked); false when the caller
 * must drop it and count it as policed.
 */
static inline bool igtb_conforms(struct igtb_slot *slot, struct sk_buff *skb)
{
	struct igtb_profile *prof = rcu_dereference(slot->profile);

	return !prof || __igtb_conforms(slot, prof, skb);
}

#endif /* _IGTB_H */
