// SPDX-License-Identifier: GPL-2.0
/*
 * Local delivery: a frame sent by one device to another device on the same
 * lower is put into the receiver's bounded ring and picked up by the
 * receiver's own NAPI instance.
 *
 * Why drop at enqueue rather than stop the sender's queue when the ring is
 * full: one sender talks to many receivers (and to the outside) through a
 * single TX queue.  Stopping it because one receiver is slow would block
 * the sender's traffic to every other tenant, head-of-line blocking across
 * tenants, which is exactly the isolation failure this driver exists to
 * avoid.  Dropping costs the receiver's packet and nobody else's, before
 * any receive work was spent on it; the drop is counted on the receiver
 * (rx_ring_full) because its overload caused it.
 */
#include "napi_macvlan.h"

static void napi_macvlan_ring_free_skb(void *ptr)
{
	kfree_skb(ptr);
}

int napi_macvlan_ring_init(struct napi_macvlan_dev *vlan)
{
	return ptr_ring_init(&vlan->ring, vlan->ring_size, GFP_KERNEL);
}

/* After unregister's synchronize_net(): no producer can reach the ring. */
void napi_macvlan_ring_free(struct napi_macvlan_dev *vlan)
{
	ptr_ring_cleanup(&vlan->ring, napi_macvlan_ring_free_skb);
}

/*
 * Only while the device is down (NAPI disabled, so no lockless consumer);
 * ptr_ring_resize() takes both ring locks against concurrent producers.
 */
int napi_macvlan_ring_resize(struct napi_macvlan_dev *vlan, u32 size)
{
	int err;

	ASSERT_RTNL();
	err = ptr_ring_resize(&vlan->ring, size, GFP_KERNEL,
			      napi_macvlan_ring_free_skb);
	if (!err)
		vlan->ring_size = size;
	return err;
}

/*
 * Schedule the receiver's NAPI after a produce.  The ring write must be
 * visible before we read rx_notify_masked: otherwise the poll could see an
 * empty ring, clear the flag and complete, while we still saw the old
 * "masked" value and skipped scheduling, and the frame would sit in the
 * ring with nobody coming.  Pairs with smp_store_mb() in the poll.
 */
static void napi_macvlan_ring_notify(struct napi_macvlan_dev *rcv)
{
	/* publish the ring entry before reading the flag, see above */
	smp_mb();
	if (!READ_ONCE(rcv->rx_notify_masked) &&
	    napi_schedule_prep(&rcv->napi)) {
		WRITE_ONCE(rcv->rx_notify_masked, true);
		__napi_schedule(&rcv->napi);
	}
}

/*
 * A frame from the lower for a device in rxmode thread (receive.c): looked
 * up and policed in the lower's NAPI poll, which spends nothing more on it.
 * @skb already belongs to @rcv (dev, pkt_type set) and starts at the
 * network header, like the frames of the local senders.  A full ring drops
 * it here, before any of the receiver's stack work was spent on it; the
 * receiver's NAPI thread does the rest.  Consumes @skb.
 */
void napi_macvlan_ring_push(struct napi_macvlan_dev *rcv, struct sk_buff *skb)
{
	/* producer_lock: the lower's NAPI and local senders may share it */
	if (unlikely(ptr_ring_produce(&rcv->ring, skb))) {
		napi_macvlan_count(rcv, NAPI_MACVLAN_XSTATS_RX_RING_FULL);
		kfree_skb(skb);
		return;
	}
	napi_macvlan_ring_notify(rcv);
}

static bool napi_macvlan_ring_produce(struct napi_macvlan_dev *rcv,
				      struct sk_buff *skb)
{
	/*
	 * Cross the hop like dev_forward_skb() does, without its netif_rx():
	 * scrub (fully when crossing a netns), check the receiver's MTU,
	 * eth_type_trans() with the receiver.  Frees @skb on failure and
	 * counts it in the receiver's core rx_dropped.
	 */
	if (__dev_forward_skb(rcv->dev, skb))
		return false;

	/* producer_lock: senders on several CPUs may fill one ring */
	if (unlikely(ptr_ring_produce(&rcv->ring, skb))) {
		napi_macvlan_count(rcv, NAPI_MACVLAN_XSTATS_RX_RING_FULL);
		kfree_skb(skb);
		return false;
	}
	napi_macvlan_ring_notify(rcv);
	return true;
}

/*
 * A GSO packet from a local sender whose segments do not all conform: the
 * segments that fit go to @deliver (the ring or, see local.c, the
 * receiver's stack), the rest is dropped (see napi_macvlan_rx_split() for
 * why).  @skb starts at the MAC header here.
 */
static bool napi_macvlan_local_split(struct napi_macvlan_dev *rcv,
				     struct sk_buff *skb,
				     napi_macvlan_deliver_t deliver)
{
	struct sk_buff *segs;

	segs = skb_gso_segment(skb, NETIF_F_SG | NETIF_F_HW_CSUM);
	if (IS_ERR(segs)) {
		napi_macvlan_count(rcv, NAPI_MACVLAN_XSTATS_RX_NOMEM);
		kfree_skb(skb);
		return false;
	}
	/* NULL: nothing was split, the packet is policed whole */
	if (segs)
		consume_skb(skb);
	else
		segs = skb;
	return napi_macvlan_police_segs(rcv, segs, deliver);
}

/*
 * Police a frame from a local sender against @rcv's profile and hand what
 * conforms to @deliver.  Called by the sender with BH disabled and under
 * RCU (ndo_start_xmit).  Consumes @skb.  Returns true when @skb (or a
 * segment of it) was delivered.
 */
bool napi_macvlan_local_police(struct napi_macvlan_dev *rcv,
			       struct sk_buff *skb,
			       napi_macvlan_deliver_t deliver)
{
	/* the policer is the very first work spent on the packet */
	switch (igtb_police(&rcv->igtb, skb, true)) {
	case IGTB_PASS:
		return deliver(rcv, skb);
	case IGTB_SPLIT:
		return napi_macvlan_local_split(rcv, skb, deliver);
	default:
		napi_macvlan_count(rcv, NAPI_MACVLAN_XSTATS_RX_POLICED);
		kfree_skb(skb);
		return false;
	}
}

/* Same, into @rcv's ring.  Returns true when something was queued. */
bool napi_macvlan_ring_enqueue(struct napi_macvlan_dev *rcv,
			       struct sk_buff *skb)
{
	return napi_macvlan_local_police(rcv, skb, napi_macvlan_ring_produce);
}

static int napi_macvlan_poll(struct napi_struct *napi, int budget)
{
	struct napi_macvlan_dev *vlan =
		container_of(napi, struct napi_macvlan_dev, napi);
	struct sk_buff *skb;
	int done = 0;

	if (unlikely(napi_macvlan_thread_lost(vlan))) {
		/* the ring stays masked until the thread is back */
		napi_complete_done(napi, 0);
		return 0;
	}

	while (done < budget) {
		/* NAPI makes us the only consumer: no consumer_lock */
		skb = __ptr_ring_consume(&vlan->ring);
		if (!skb)
			break;
		napi_macvlan_count_rx(vlan, skb->len + ETH_HLEN,
				      skb->pkt_type == PACKET_BROADCAST ||
				      skb->pkt_type == PACKET_MULTICAST,
				      NAPI_MACVLAN_XSTATS_RX_RING);
		napi_gro_receive(napi, skb);
		done++;
	}

	if (done < budget && napi_complete_done(napi, done)) {
		/*
		 * Unmask before looking at the ring again (pairs with the
		 * smp_mb() in napi_macvlan_ring_notify()): a producer that
		 * published after our last consume either sees the flag
		 * cleared and schedules, or we see its entry here.
		 */
		smp_store_mb(vlan->rx_notify_masked, false);
		if (unlikely(!__ptr_ring_empty(&vlan->ring)) &&
		    napi_schedule_prep(napi)) {
			WRITE_ONCE(vlan->rx_notify_masked, true);
			__napi_schedule(napi);
		}
	}
	return done;
}

/* ndo_open: NAPI is still disabled, so we are the only consumer here. */
void napi_macvlan_ring_open(struct napi_macvlan_dev *vlan)
{
	struct sk_buff *skb;

	/* frames that raced with the last ndo_stop are stale now */
	while ((skb = __ptr_ring_consume(&vlan->ring)))
		kfree_skb(skb);
	WRITE_ONCE(vlan->rx_notify_masked, false);
	napi_enable(&vlan->napi);
	/* a producer may have published while NAPI was disabled */
	local_bh_disable();
	napi_macvlan_ring_notify(vlan);
	local_bh_enable();
}

void napi_macvlan_ring_stop(struct napi_macvlan_dev *vlan)
{
	napi_disable(&vlan->napi);
}

void napi_macvlan_ring_napi_add(struct napi_macvlan_dev *vlan)
{
	netif_napi_add(vlan->dev, &vlan->napi, napi_macvlan_poll);
}
