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
 * Control frames have a queue of their own: ARP, DHCP (UDP to port 67 or
 * 68), IPv6 neighbour discovery (ICMPv6 133-137) and DHCPv6 (UDP to 546 or
 * 547), what a router or host needs to keep its addresses and neighbours.
 * A storm of anything else fills only the bulk queue, and @bc_napi takes
 * the two queues in turn, one frame each: while both hold frames, every
 * other frame delivered is a control frame, and a storm of control frames
 * still leaves the bulk queue half of each poll.  Frames of the two
 * classes may be reordered against each other, never within a class.
 *
 * The NAPI instance lives on a dummy net_device of the port's own: the
 * lower is not ours to add NAPI instances to, and the port outlives every
 * one of its devices.
 */
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ndisc.h>

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

static bool napi_macvlan_bc_udp_to(const struct sk_buff *skb,
				   unsigned int off, u16 port1, u16 port2)
{
	struct udphdr buf;
	const struct udphdr *uh;

	uh = skb_header_pointer(skb, off, sizeof(buf), &buf);
	return uh && (uh->dest == htons(port1) || uh->dest == htons(port2));
}

/*
 * Is @skb (at the lower's rx_handler: data at the network header) a control
 * frame?  Read with skb_header_pointer(): nothing is pulled, the original
 * goes on up the lower's stack.  No IPv6 extension header is walked (ND
 * and DHCPv6 carry none), and only an IPv4 first fragment has a port.
 */
static bool napi_macvlan_bc_is_control(const struct sk_buff *skb)
{
	unsigned int nh = skb_network_offset(skb);
	union {
		struct iphdr ip;
		struct ipv6hdr ip6;
		struct icmp6hdr icmp6;
	} buf;
	const struct ipv6hdr *ip6h;
	const struct icmp6hdr *ih;
	const struct iphdr *iph;

	switch (skb->protocol) {
	case htons(ETH_P_ARP):
		return true;
	case htons(ETH_P_IP):
		iph = skb_header_pointer(skb, nh, sizeof(buf.ip), &buf.ip);
		if (!iph || iph->ihl < 5 || iph->protocol != IPPROTO_UDP ||
		    (iph->frag_off & htons(IP_OFFSET)))
			return false;
		return napi_macvlan_bc_udp_to(skb, nh + iph->ihl * 4, 67, 68);
	case htons(ETH_P_IPV6):
		ip6h = skb_header_pointer(skb, nh, sizeof(buf.ip6), &buf.ip6);
		if (!ip6h)
			return false;
		nh += sizeof(*ip6h);
		if (ip6h->nexthdr == IPPROTO_UDP)
			return napi_macvlan_bc_udp_to(skb, nh, 546, 547);
		if (ip6h->nexthdr != IPPROTO_ICMPV6)
			return false;
		ih = skb_header_pointer(skb, nh, sizeof(buf.icmp6),
					&buf.icmp6);
		return ih && ih->icmp6_type >= NDISC_ROUTER_SOLICITATION &&
		       ih->icmp6_type <= NDISC_REDIRECT;
	default:
		return false;
	}
}

/*
 * From the lower's rx_handler (BH disabled, RCU): queue a clone of @skb,
 * whose original goes on up the lower's own stack, in the control or the
 * bulk queue.  A full queue drops the frame before it is cloned; the drops
 * are port-wide (no device was chosen yet), shown in every device's
 * `ethtool -S` and, as with macvlan's bc_queue, in the lower's rx_dropped.
 */
void napi_macvlan_bc_enqueue(struct napi_macvlan_port *port,
			     struct sk_buff *skb)
{
	bool ctl = napi_macvlan_bc_is_control(skb);
	struct ptr_ring *r = ctl ? &port->bc_ctl_ring : &port->bc_ring;
	struct sk_buff *nskb;

	spin_lock(&r->producer_lock);
	if (__ptr_ring_full(r)) {
		spin_unlock(&r->producer_lock);
		atomic_long_inc(ctl ? &port->bc_ctl_full :
				&port->bc_queue_full);
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
	if (ctl)
		atomic_long_inc(&port->bc_ctl);
	napi_macvlan_bc_notify(port);
}

/*
 * The next frame to deliver, from the queue whose turn it is, else from the
 * other one.  NAPI makes us the only consumer: no consumer_lock.
 */
static struct sk_buff *napi_macvlan_bc_next(struct napi_macvlan_port *port,
					    bool *ctl_turn)
{
	struct ptr_ring *first = &port->bc_ctl_ring;
	struct ptr_ring *second = &port->bc_ring;
	struct sk_buff *skb;

	if (!*ctl_turn)
		swap(first, second);
	*ctl_turn = !*ctl_turn;
	skb = __ptr_ring_consume(first);
	return skb ?: __ptr_ring_consume(second);
}

static bool napi_macvlan_bc_empty(struct napi_macvlan_port *port)
{
	return __ptr_ring_empty(&port->bc_ctl_ring) &&
	       __ptr_ring_empty(&port->bc_ring);
}

static int napi_macvlan_bc_poll(struct napi_struct *napi, int budget)
{
	struct napi_macvlan_port *port =
		container_of(napi, struct napi_macvlan_port, bc_napi);
	struct sk_buff *skb;
	bool ctl_turn = true;
	int done = 0;

	/* port->vlans and each device's config are read under RCU */
	rcu_read_lock();
	while (done < budget) {
		skb = napi_macvlan_bc_next(port, &ctl_turn);
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
		if (unlikely(!napi_macvlan_bc_empty(port)) &&
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
	atomic_long_set(&port->bc_ctl, 0);
	atomic_long_set(&port->bc_ctl_full, 0);
	err = ptr_ring_init(&port->bc_ring, NAPI_MACVLAN_BC_QUEUE_LEN,
			    GFP_KERNEL);
	if (err)
		return err;
	err = ptr_ring_init(&port->bc_ctl_ring, NAPI_MACVLAN_BC_CTL_QUEUE_LEN,
			    GFP_KERNEL);
	if (err)
		goto err_ring;
	port->bc_napi_dev = nmv_alloc_dummy_netdev();
	if (!port->bc_napi_dev) {
		err = -ENOMEM;
		goto err_ctl_ring;
	}
	netif_napi_add_weight(port->bc_napi_dev, &port->bc_napi,
			      napi_macvlan_bc_poll, NAPI_MACVLAN_BC_WEIGHT);
	port->bc_masked = false;
	napi_enable(&port->bc_napi);
	return 0;

err_ctl_ring:
	ptr_ring_cleanup(&port->bc_ctl_ring, NULL);
err_ring:
	ptr_ring_cleanup(&port->bc_ring, NULL);
	return err;
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
	ptr_ring_cleanup(&port->bc_ctl_ring, napi_macvlan_bc_free_skb);
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
	out[NAPI_MACVLAN_XS(NAPI_MACVLAN_XSTATS_RX_BC_CTL)] =
		atomic_long_read(&port->bc_ctl);
	out[NAPI_MACVLAN_XS(NAPI_MACVLAN_XSTATS_RX_BC_CTL_QUEUE_FULL)] =
		atomic_long_read(&port->bc_ctl_full);
}
