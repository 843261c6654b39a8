// SPDX-License-Identifier: GPL-2.0
/*
 * Broadcast and multicast frames from the outside: the port's bounded
 * queue and its own NAPI instance.
 *
 * Each such frame costs one stack traversal per device of the lower.  Done
 * inline in the lower's NAPI poll, a poll of 64 storm frames carries 64 x N
 * traversals, the lower's ring overflows meanwhile and the unicast of every
 * tenant is lost at the NIC together with the storm.  So the lower's
 * rx_handler only queues one clone per frame (or drops it there, once,
 * when the queue is full: the storm loses first, before any copy was
 * made), and @bc_napi delivers the copies, at most NAPI_MACVLAN_BC_WEIGHT
 * frames per poll.  net_rx_action() then alternates the lower's NAPI and
 * ours, so the storm gets a bounded share of each softirq round and the
 * lower keeps draining its ring.
 *
 * No netif_rx(): the copies go up from @bc_napi with
 * netif_receive_skb_core() (napi_macvlan_rx_multicast()), as unicast does
 * from the lower's poll; the shared per-CPU backlog is never used.  The
 * queue is a ptr_ring: producers are the lower's rx_handler, which may run
 * on several CPUs at once (RSS, RPS), under the ring's producer lock, taken
 * only for broadcast/multicast frames (unicast never touches it); the one
 * consumer is @bc_napi, without a lock.
 *
 * The NAPI instance lives on a dummy net_device of the port's own: the
 * lower is not ours to add NAPI instances to, and the port outlives every
 * one of its devices.
 */
#include "napi_macvlan.h"

static void napi_macvlan_bc_free_skb(void *ptr)
{
	kfree_skb(ptr);
}

/*
 * Schedule @bc_napi after a produce; see napi_macvlan_ring_notify() for the
 * ordering (pairs with smp_store_mb() in napi_macvlan_bc_poll()).
 */
static void napi_macvlan_bc_notify(struct napi_macvlan_port *port)
{
	/* publish the queue entry before reading the flag */
	smp_mb();
	if (!READ_ONCE(port->bc_masked) &&
	    napi_schedule_prep(&port->bc_napi)) {
		WRITE_ONCE(port->bc_masked, true);
		__napi_schedule(&port->bc_napi);
	}
}

/*
 * From the lower's rx_handler (BH disabled, RCU): queue a clone of @skb,
 * whose original goes on up the lower's own stack.  A full queue drops the
 * frame before it is cloned; both drops are port-wide (no device was
 * chosen yet), shown in every device's `ethtool -S` and, as with macvlan's
 * bc_queue, in the lower's rx_dropped.
 */
void napi_macvlan_bc_enqueue(struct napi_macvlan_port *port,
			     struct sk_buff *skb)
{
	struct ptr_ring *r = &port->bc_ring;
	struct sk_buff *nskb;

	spin_lock(&r->producer_lock);
	if (__ptr_ring_full(r)) {
		spin_unlock(&r->producer_lock);
		atomic_long_inc(&port->bc_queue_full);
		dev_core_stats_rx_dropped_inc(port->dev);
		return;
	}
	nskb = skb_clone(skb, GFP_ATOMIC);
	if (unlikely(!nskb)) {
		spin_unlock(&r->producer_lock);
		atomic_long_inc(&port->bc_nomem);
		dev_core_stats_rx_dropped_inc(port->dev);
		return;
	}
	/* cannot fail: the slot was free and we hold the producer lock */
	__ptr_ring_produce(r, nskb);
	spin_unlock(&r->producer_lock);
	napi_macvlan_bc_notify(port);
}

static int napi_macvlan_bc_poll(struct napi_struct *napi, int budget)
{
	struct napi_macvlan_port *port =
		container_of(napi, struct napi_macvlan_port, bc_napi);
	struct sk_buff *skb;
	int done = 0;

	/* port->vlans and each device's config are read under RCU */
	rcu_read_lock();
	while (done < budget) {
		/* NAPI makes us the only consumer: no consumer_lock */
		skb = __ptr_ring_consume(&port->bc_ring);
		if (!skb)
			break;
		napi_macvlan_rx_multicast(port, skb);
		consume_skb(skb);
		done++;
	}
	rcu_read_unlock();

	if (done < budget && napi_complete_done(napi, done)) {
		/* see napi_macvlan_poll() in ring.c */
		smp_store_mb(port->bc_masked, false);
		if (unlikely(!__ptr_ring_empty(&port->bc_ring)) &&
		    napi_schedule_prep(napi)) {
			WRITE_ONCE(port->bc_masked, true);
			__napi_schedule(napi);
		}
	}
	return done;
}

/* Port creation, under RTNL, before the rx_handler is registered. */
int napi_macvlan_bc_init(struct napi_macvlan_port *port)
{
	int err;

	atomic_long_set(&port->bc_queue_full, 0);
	atomic_long_set(&port->bc_nomem, 0);
	err = ptr_ring_init(&port->bc_ring, NAPI_MACVLAN_BC_QUEUE_LEN,
			    GFP_KERNEL);
	if (err)
		return err;
	port->bc_napi_dev = nmv_alloc_dummy_netdev();
	if (!port->bc_napi_dev) {
		ptr_ring_cleanup(&port->bc_ring, NULL);
		return -ENOMEM;
	}
	netif_napi_add_weight(port->bc_napi_dev, &port->bc_napi,
			      napi_macvlan_bc_poll, NAPI_MACVLAN_BC_WEIGHT);
	port->bc_masked = false;
	napi_enable(&port->bc_napi);
	return 0;
}

/*
 * Port destruction, under RTNL, after netdev_rx_handler_unregister() (its
 * synchronize_net(): no producer is left).  napi_disable() waits for a
 * running poll; what is still queued is freed.
 */
void napi_macvlan_bc_destroy(struct napi_macvlan_port *port)
{
	napi_disable(&port->bc_napi);
	netif_napi_del(&port->bc_napi);
	ptr_ring_cleanup(&port->bc_ring, napi_macvlan_bc_free_skb);
	nmv_free_dummy_netdev(port->bc_napi_dev);
	port->bc_napi_dev = NULL;
}

/* The port-wide counters, for a device's xstats (RTNL or RCU). */
void napi_macvlan_bc_xstats(const struct napi_macvlan_port *port, u64 *out)
{
	out[NAPI_MACVLAN_XS(NAPI_MACVLAN_XSTATS_RX_BC_QUEUE_FULL)] =
		atomic_long_read(&port->bc_queue_full);
	out[NAPI_MACVLAN_XS(NAPI_MACVLAN_XSTATS_RX_BC_NOMEM)] =
		atomic_long_read(&port->bc_nomem);
}
