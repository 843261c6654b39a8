// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: spoof check, the host's egress profile (igtb_egress.c: police,
 * or shape with a per-device backlog), local switching between bridge-mode
 * devices (into the receiver's ring or up its stack, see local.c),
 * everything else to the lower device.  Lockless (NETIF_F_LLTX, no qdisc
 * of our own unless the admin adds one) unless frames wait in the
 * shaper's backlog.
 */
#include "napi_macvlan.h"

static void napi_macvlan_count_tx(struct napi_macvlan_dev *vlan,
				  unsigned int len)
{
	struct napi_macvlan_pcpu_stats *s = this_cpu_ptr(vlan->pcpu_stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->tx_packets);
	u64_stats_add(&s->tx_bytes, len);
	u64_stats_update_end(&s->syncp);
}

/*
 * A multicast frame from a bridge-mode device reaches the other bridge-mode
 * devices of the port directly (each through its own ring, so a slow one
 * only loses its own copy, or up its stack here, see local.c); the
 * original then goes to the lower.
 */
static void napi_macvlan_flood_local(struct napi_macvlan_dev *src,
				     struct sk_buff *skb)
{
	const struct ethhdr *eth = (const struct ethhdr *)skb->data;
	unsigned int hash = napi_macvlan_mc_hash(eth->h_dest);
	bool src_ok = napi_macvlan_local_src_ok(src, skb);
	struct napi_macvlan_dev *vlan;
	struct sk_buff *nskb;

	list_for_each_entry_rcu(vlan, &src->port->vlans, list) {
		if (vlan == src ||
		    READ_ONCE(vlan->mode) != NAPI_MACVLAN_MODE_BRIDGE ||
		    !(vlan->dev->flags & IFF_UP))
			continue;
		if (!test_bit(hash, vlan->mc_filter)) {
			napi_macvlan_count(vlan,
					   NAPI_MACVLAN_XSTATS_RX_FILTERED);
			continue;
		}
		nskb = skb_clone(skb, GFP_ATOMIC);
		if (unlikely(!nskb)) {
			napi_macvlan_count(vlan, NAPI_MACVLAN_XSTATS_RX_NOMEM);
			continue;
		}
		napi_macvlan_local_xmit(vlan, nskb, src_ok);
	}
}

/*
 * A frame that may leave: to a local receiver or to the lower.  BH
 * disabled, under rcu_read_lock_bh(): from ndo_start_xmit, or from the
 * egress shaper's timer releasing a frame it held back.
 */
static void napi_macvlan_xmit_out(struct napi_macvlan_dev *vlan,
				  struct sk_buff *skb)
{
	unsigned int len = skb->len;
	const struct ethhdr *eth = (const struct ethhdr *)skb->data;
	struct napi_macvlan_dev *dest;
	int ret;

	if (READ_ONCE(vlan->mode) == NAPI_MACVLAN_MODE_BRIDGE) {
		if (is_multicast_ether_addr(eth->h_dest)) {
			napi_macvlan_flood_local(vlan, skb);
		} else {
			dest = napi_macvlan_hash_lookup(vlan->port,
							eth->h_dest);
			if (dest && dest != vlan &&
			    READ_ONCE(dest->mode) == NAPI_MACVLAN_MODE_BRIDGE) {
				/*
				 * Counted as sent even if the receiver then
				 * drops it: that drop is the receiver's.
				 */
				napi_macvlan_count_tx(vlan, len);
				napi_macvlan_local_xmit(dest, skb,
							napi_macvlan_local_src_ok(vlan, skb));
				return;
			}
		}
	}

	skb->dev = vlan->lowerdev;
	ret = dev_queue_xmit(skb);
	if (likely(ret == NET_XMIT_SUCCESS || ret == NET_XMIT_CN)) {
		napi_macvlan_count_tx(vlan, len);
		return;
	}
	napi_macvlan_count(vlan, NAPI_MACVLAN_XSTATS_TX_DROPPED);
}

/* igtb's egress shaper releases a frame it held back */
void napi_macvlan_egress_xmit(struct igtb_egress *eg, struct sk_buff *skb)
{
	napi_macvlan_xmit_out(container_of(eg, struct napi_macvlan_dev,
					   egress), skb);
}

/* ndo_start_xmit, BH disabled, under rcu_read_lock_bh() */
netdev_tx_t napi_macvlan_start_xmit(struct sk_buff *skb,
				    struct net_device *dev)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);
	const struct ethhdr *eth;

	if (unlikely(skb->len < ETH_HLEN))
		goto drop;
	eth = (const struct ethhdr *)skb->data;

	if ((READ_ONCE(vlan->flags) & NAPI_MACVLAN_F_SPOOFCHK) &&
	    unlikely(!ether_addr_equal_64bits(eth->h_source,
					      dev->dev_addr))) {
		napi_macvlan_count(vlan, NAPI_MACVLAN_XSTATS_TX_SPOOFED);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}

	/*
	 * The host's egress profile, before the frame goes anywhere (local
	 * receiver or lower): no qdisc a tenant could delete or bypass.
	 */
	if (igtb_egress(&vlan->egress, skb))
		return NETDEV_TX_OK;
	napi_macvlan_xmit_out(vlan, skb);
	return NETDEV_TX_OK;

drop:
	napi_macvlan_count(vlan, NAPI_MACVLAN_XSTATS_TX_DROPPED);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}
