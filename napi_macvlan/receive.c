// SPDX-License-Identifier: GPL-2.0
/*
 * Receive from the lower device: runs as the lower's rx_handler, inside
 * the lower's NAPI poll, under rcu_read_lock().  Unicast is not queued,
 * except for a device in rxmode thread: after lookup and policing, its
 * frames go into its ring for its NAPI thread (napi_macvlan_ring_push()).
 * Broadcast and multicast frames go through the port's bounded queue and
 * its NAPI instance (bcast.c), which runs napi_macvlan_rx_multicast().
 */
#include "napi_macvlan.h"

void napi_macvlan_count_rx(struct napi_macvlan_dev *vlan, unsigned int len,
			   bool multicast, int xstat)
{
	struct napi_macvlan_pcpu_stats *s = this_cpu_ptr(vlan->pcpu_stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->rx_packets);
	u64_stats_add(&s->rx_bytes, len);
	if (multicast)
		u64_stats_inc(&s->rx_multicast);
	u64_stats_inc(&s->xstats[NAPI_MACVLAN_XS(xstat)]);
	u64_stats_update_end(&s->syncp);
}

/* one event at one drop (or delivery) location */
void napi_macvlan_count(struct napi_macvlan_dev *vlan, int xstat)
{
	struct napi_macvlan_pcpu_stats *s = this_cpu_ptr(vlan->pcpu_stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->xstats[NAPI_MACVLAN_XS(xstat)]);
	u64_stats_update_end(&s->syncp);
}

/*
 * Hand one copy of a broadcast/multicast frame from the outside to @vlan.
 *
 * The copy goes up @vlan's stack right here with netif_receive_skb_core():
 * we run in the port's broadcast NAPI poll (bcast.c), a NAPI context like
 * the one a unicast frame gets from the lower, with no work item and no
 * extra softirq, and, unlike netif_receive_skb(), the copy can never be
 * steered by RPS into enqueue_to_backlog().  Policing runs before the
 * clone, so a policed tenant costs one token-bucket check and nothing else.
 */
static void napi_macvlan_deliver_mc(struct napi_macvlan_dev *vlan,
				    struct sk_buff *skb,
				    const struct ethhdr *eth)
{
	unsigned int len = skb->len + ETH_HLEN;
	struct sk_buff *nskb;

	if (!test_bit(napi_macvlan_mc_hash(eth->h_dest), vlan->mc_filter)) {
		napi_macvlan_count(vlan, NAPI_MACVLAN_XSTATS_RX_FILTERED);
		return;
	}
	if (!igtb_conforms(&vlan->igtb, skb)) {
		napi_macvlan_count(vlan, NAPI_MACVLAN_XSTATS_RX_POLICED);
		return;
	}
	nskb = skb_clone(skb, GFP_ATOMIC);
	if (unlikely(!nskb)) {
		napi_macvlan_count(vlan, NAPI_MACVLAN_XSTATS_RX_NOMEM);
		return;
	}
	nskb->dev = vlan->dev;
	if (ether_addr_equal_64bits(eth->h_dest, vlan->dev->broadcast))
		nskb->pkt_type = PACKET_BROADCAST;
	else
		nskb->pkt_type = PACKET_MULTICAST;
	if (napi_macvlan_rx_threaded(vlan)) {
		napi_macvlan_ring_push(vlan, nskb);
		return;
	}
	napi_macvlan_count_rx(vlan, len, true,
			      NAPI_MACVLAN_XSTATS_RX_DIRECT);
	netif_receive_skb_core(nskb);
}

/*
 * Which devices see a multicast frame that arrived from the outside, by
 * the mode of the local device that sent it (@src, NULL when the sender is
 * not local), as macvlan does: a frame reflected by an external VEPA
 * switch must not reach devices that already saw it or that must stay
 * isolated (private).
 */
static u32 napi_macvlan_mc_modes(const struct napi_macvlan_dev *src)
{
	if (!src)
		return NAPI_MACVLAN_MODE_PRIVATE | NAPI_MACVLAN_MODE_VEPA |
		       NAPI_MACVLAN_MODE_BRIDGE | NAPI_MACVLAN_MODE_PASSTHRU;
	if (READ_ONCE(src->mode) == NAPI_MACVLAN_MODE_VEPA)
		return NAPI_MACVLAN_MODE_VEPA | NAPI_MACVLAN_MODE_BRIDGE;
	/* bridge-mode senders flooded their bridge peers on transmit */
	return NAPI_MACVLAN_MODE_VEPA;
}

/*
 * Deliver a queued broadcast/multicast frame to the devices that see it.
 * From the port's broadcast NAPI poll, under rcu_read_lock(); @skb stays
 * the caller's.
 */
void napi_macvlan_rx_multicast(struct napi_macvlan_port *port,
			       struct sk_buff *skb)
{
	const struct ethhdr *eth = eth_hdr(skb);
	struct napi_macvlan_dev *src, *vlan;
	u32 modes, src_mode;

	src = napi_macvlan_hash_lookup(port, eth->h_source);
	if (src) {
		src_mode = READ_ONCE(src->mode);
		/*
		 * A private (or passthru) sender's own frame came back: only
		 * the sender itself may see it, as with macvlan.
		 */
		if (src_mode != NAPI_MACVLAN_MODE_VEPA &&
		    src_mode != NAPI_MACVLAN_MODE_BRIDGE) {
			napi_macvlan_deliver_mc(src, skb, eth);
			return;
		}
	}

	modes = napi_macvlan_mc_modes(src);
	list_for_each_entry_rcu(vlan, &port->vlans, list) {
		if (vlan == src || !(READ_ONCE(vlan->mode) & modes) ||
		    !(vlan->dev->flags & IFF_UP))
			continue;
		napi_macvlan_deliver_mc(vlan, skb, eth);
	}
}

/*
 * Police each segment of @segs on its own: those that conform go to
 * @deliver (which consumes them), the others are dropped and counted.
 * Returns true when @deliver took at least one.
 */
bool napi_macvlan_police_segs(struct napi_macvlan_dev *vlan,
			      struct sk_buff *segs,
			      napi_macvlan_deliver_t deliver)
{
	struct sk_buff *seg, *next;
	bool any = false;

	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		if (!igtb_conforms(&vlan->igtb, seg)) {
			napi_macvlan_count(vlan, NAPI_MACVLAN_XSTATS_RX_POLICED);
			kfree_skb(seg);
			continue;
		}
		any |= deliver(vlan, seg);
	}
	return any;
}

/* one conforming segment of a split GRO packet goes up the stack */
static bool napi_macvlan_rx_seg(struct napi_macvlan_dev *vlan,
				struct sk_buff *seg)
{
	__skb_pull(seg, skb_network_offset(seg));
	seg->dev = vlan->dev;
	seg->pkt_type = PACKET_HOST;
	if (napi_macvlan_rx_threaded(vlan)) {
		napi_macvlan_ring_push(vlan, seg);
		return true;
	}
	napi_macvlan_count_rx(vlan, seg->len + ETH_HLEN, false,
			      NAPI_MACVLAN_XSTATS_RX_DIRECT);
	netif_receive_skb_core(seg);
	return true;
}

/*
 * A GRO packet from the outside whose segments do not all conform: police
 * the segments one by one, as they were on the wire, and deliver those
 * that fit.  Dropping the whole super-packet would turn one decision into
 * the loss of up to 45 segments in a row, which TCP recovers from only by
 * timeout; passing it whole would let one packet overdraw the bucket by
 * 64 KB.  Only packets that meet the limit pay for the segmentation, and
 * the segments go up in this NAPI context like the multicast copies do.
 */
static void napi_macvlan_rx_split(struct napi_macvlan_dev *vlan,
				  struct sk_buff *skb)
{
	struct sk_buff *segs;

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb))
		goto nomem;
	/* the TCP/UDP checksum setup writes to the headers: make them ours */
	if (unlikely(skb_cow_head(skb, 0))) {
		kfree_skb(skb);
		goto nomem;
	}
	/* segmentation starts at the MAC header, which eth_type_trans() pulled */
	__skb_push(skb, skb->mac_len);
	segs = __skb_gso_segment(skb, NETIF_F_SG | NETIF_F_HW_CSUM, false);
	if (IS_ERR(segs)) {
		kfree_skb(skb);
		goto nomem;
	}
	/* NULL: nothing was split, the packet is policed whole */
	if (segs)
		consume_skb(skb);
	else
		segs = skb;
	napi_macvlan_police_segs(vlan, segs, napi_macvlan_rx_seg);
	return;

nomem:
	napi_macvlan_count(vlan, NAPI_MACVLAN_XSTATS_RX_NOMEM);
}

/* called under rcu_read_lock() from __netif_receive_skb_core() */
rx_handler_result_t napi_macvlan_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	const struct ethhdr *eth = eth_hdr(skb);
	struct napi_macvlan_port *port;
	struct napi_macvlan_dev *vlan;
	unsigned int len;

	/* dev_loopback_xmit() frames carry no L2 header */
	if (unlikely(skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;

	port = rcu_dereference(skb->dev->rx_handler_data);
	if (is_multicast_ether_addr(eth->h_dest)) {
		/* one clone (or one drop) per frame, the copies come later */
		if (skb->protocol != htons(ETH_P_PAUSE))
			napi_macvlan_bc_enqueue(port, skb);
		/* the lower itself gets the original, like with macvlan */
		return RX_HANDLER_PASS;
	}

	if (READ_ONCE(port->passthru))
		vlan = list_first_or_null_rcu(&port->vlans,
					      struct napi_macvlan_dev, list);
	else
		vlan = napi_macvlan_hash_lookup(port, eth->h_dest);
	if (!vlan)
		return RX_HANDLER_PASS;
	if (unlikely(!(vlan->dev->flags & IFF_UP))) {
		/* passthru device down: the frame belongs to nobody */
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}

	/* the policer is the very first work spent on the packet */
	switch (igtb_police(&vlan->igtb, skb, true)) {
	case IGTB_PASS:
		break;
	case IGTB_SPLIT:
		napi_macvlan_rx_split(vlan, skb);
		return RX_HANDLER_CONSUMED;
	default:
		napi_macvlan_count(vlan, NAPI_MACVLAN_XSTATS_RX_POLICED);
		kfree_skb(skb);
		return RX_HANDLER_CONSUMED;
	}

	len = skb->len + ETH_HLEN;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb)) {
		napi_macvlan_count(vlan, NAPI_MACVLAN_XSTATS_RX_NOMEM);
		return RX_HANDLER_CONSUMED;
	}
	*pskb = skb;
	skb->dev = vlan->dev;
	skb->pkt_type = PACKET_HOST;
	if (napi_macvlan_rx_threaded(vlan)) {
		napi_macvlan_ring_push(vlan, skb);
		return RX_HANDLER_CONSUMED;
	}
	napi_macvlan_count_rx(vlan, len, false, NAPI_MACVLAN_XSTATS_RX_DIRECT);
	/* __netif_receive_skb_core() goes round again with skb->dev = us */
	return RX_HANDLER_ANOTHER;
}
