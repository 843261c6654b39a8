// SPDX-License-Identifier: GPL-2.0
/*
 * Local delivery between two devices on the same lower: a frame one device
 * sends to another goes either into the receiver's ring (ring.c, the
 * receiver's own NAPI context picks it up later) or, for a receiver set to
 * "local direct", up the receiver's stack right here, in the sender's
 * context, with no queue in between: run to completion, so an overloaded
 * chain of routers drops where the work enters it (the NIC, the first
 * ring, the policer) instead of after a router already spent its work.
 *
 * Both paths police first, split GSO packets the same way and cross the
 * hop with __dev_forward_skb(); they differ only in who runs the
 * receiver's stack and when.
 *
 * Why netif_receive_skb_core() in the sender's context is legal.  We run
 * in ndo_start_xmit, under rcu_read_lock_bh(): BH disabled, either in a
 * softirq (NAPI poll of a lower or of a ring, net_tx_action for a qdisc)
 * or in a task that disabled BH (pktgen, a tun/tap writer forwarding, a
 * qdisc run from dev_queue_xmit()).  The receive path needs BH disabled
 * and interrupts enabled, not a softirq as such: tun hands frames to
 * netif_receive_skb() from its writer's task inside local_bh_disable()
 * the same way.  netif_receive_skb_core() rather than netif_receive_skb():
 * the latter may be steered by RPS into enqueue_to_backlog(), which is
 * the queue this driver exists to avoid; no GRO either, there is no NAPI
 * instance of ours in this context and a local sender's GSO packet is
 * already one big packet.  veth and loopback queue instead (their own
 * NAPI, the backlog) because they cannot know what the sender holds and
 * how deep it is nested; the checks below are what we know instead.
 *
 * Safe means:
 *  - Nesting is bounded.  The receiver's stack may forward to a third
 *    device of ours and nest again, and so on along a chain of routers
 *    (or round a loop A -> B -> A until the TTL runs out).  A per-CPU
 *    depth counts the direct deliveries this CPU is inside of; at
 *    napi_macvlan_local_depth the next hop takes the ring, whose NAPI
 *    starts again at depth 0.  Our own counter rather than the core's
 *    dev_xmit_recursion(): the core only counts transmissions on the
 *    no-qdisc path of __dev_queue_xmit(), so a sender with a qdisc (tbf)
 *    or pktgen would nest unseen; and the core drops (with a "Dead loop"
 *    message) past XMIT_RECURSION_LIMIT, where we want the ring instead.
 *    We also stop while the core's level is above our bound, so that a
 *    receiver transmitting through stacked devices (VLAN, bond) keeps
 *    room below the core's limit.
 *  - No lock the sender holds is needed by the receiver.  We are LLTX and
 *    without a qdisc have no queue of our own, so the sender holds no TX
 *    lock of ours: a receiver transmitting back to the sender re-enters
 *    our xmit, which takes no lock.  A qdisc does hold one: its root lock
 *    is released around ndo_start_xmit (sch_direct_xmit()), but on the
 *    bypass path of a work-conserving qdisc (fifo, fq_codel, sfq, ...) a
 *    contended sender still holds the qdisc's busylock there, and a frame
 *    coming back to that qdisc would spin on it.  So a sender with a qdisc
 *    of its own (tbf, ...) takes the ring, and so does a sender with an
 *    upper device (VLAN, macvlan, bond, bridge, VRF master), which may
 *    call us from its own qdisc run.  Then there is what the sending
 *    protocol holds: a TCP socket's spinlock while it sends from softirq
 *    (an ACK, a retransmit timer; an ICMP error coming back to it would
 *    take that lock again), a bridge's multicast_lock while it sends a
 *    query out of a port.  So a frame a socket sent (skb->sk set) takes
 *    the ring, and so does any frame from or to a device with an
 *    rx_handler (a bridge, bond or team port: their receive path takes the
 *    locks their transmit path holds).  What is left, forwarded frames
 *    between plain devices without a qdisc, is sent from the forwarding
 *    path, which holds nothing but RCU.  ICMP errors the forwarding path
 *    sends carry the per-CPU ICMP socket (skb->sk) and take the ring; that
 *    socket's lock is a trylock anyway.  Lockdep (the debug kernel) is
 *    what checks this.
 *  - The receiver is up.  Senders find receivers in the port's hash,
 *    which holds only devices that are up, or walk the port's list
 *    checking IFF_UP (floods), like the RX path; we also check
 *    netif_running(), which dev_close() clears before ndo_stop, so a
 *    receiver going down, being deleted or moving to another namespace
 *    (both close it first) gets the ring, as it does today.  A sender that
 *    found it just before that delivers like the rx_handler does to a
 *    device closing under it: unregister_netdevice_many() and
 *    dev_change_net_namespace() wait (synchronize_net()) for every such
 *    reader before they tear anything down.
 */
#include <linux/moduleparam.h>
#include <net/sch_generic.h>

#include "napi_macvlan.h"

/*
 * The depth bound, from the stack measured with a chain of 8 routers,
 * all hops direct, fed from a veth's NAPI (x86_64;
 * selftests/tests/napi_macvlan_direct.sh, "stack use"):
 *   - Debian 12's 6.1 kernel (16 KB task and IRQ stacks): 544 bytes per
 *     direct hop with the stack tracer, 496 between successive hops with
 *     kprobe events on the stack pointer (our xmit, __dev_forward_skb(),
 *     the receiver's ip_rcv() .. ip_forward() .. neigh output ..
 *     __dev_queue_xmit(), our xmit again), no netfilter rules; 1.5 KB
 *     below the first hop, 4480 bytes from __napi_poll() to the eighth
 *     hop, 6920 bytes deepest in all with the sink's delivery;
 *   - the 6.1 debug kernel (KASAN, lockdep; 32 KB stacks): 1152 bytes per
 *     hop, 11176 bytes from the NAPI entry to the eighth hop.
 * Real paths cost more per hop (netfilter, conntrack, tunnels: say 1 KB),
 * a NIC driver's poll and an interrupt nested on the IRQ stack more below,
 * a TCP receiver more above, a KASAN kernel 2.3x per hop.  Four hops keep
 * the worst of that (4 x 1 KB + 3 KB + 3 KB, about 10 KB) well within
 * 16 KB; eight (about 14 KB) would not.  Four also leaves the core
 * room below XMIT_RECURSION_LIMIT for stacked devices.
 */
#define NAPI_MACVLAN_LOCAL_DEPTH	4

static unsigned int local_depth = NAPI_MACVLAN_LOCAL_DEPTH;
module_param(local_depth, uint, 0444);
MODULE_PARM_DESC(local_depth,
		 "direct local deliveries one packet may nest (1-8, default 4); deeper ones take the ring");

static DEFINE_PER_CPU(unsigned int, napi_macvlan_local_nest);

/* the bound in use: the parameter, within what the core allows */
static unsigned int napi_macvlan_local_bound(void)
{
	return clamp_t(unsigned int, READ_ONCE(local_depth), 1,
		       XMIT_RECURSION_LIMIT);
}

/*
 * What the sender side must meet for any of its copies of a frame to go
 * direct (see the top of this file).  Checked on the original frame: a
 * flood's clones have no socket.
 */
bool napi_macvlan_local_src_ok(const struct napi_macvlan_dev *src,
			       const struct sk_buff *skb)
{
	const struct net_device *dev = src->dev;

	if (skb->sk || rcu_access_pointer(dev->rx_handler))
		return false;
	/* RTNL changes these; a stale answer only picks the ring once */
	if (!list_empty(&dev->adj_list.upper))
		return false;
	/* noqueue is the only qdisc without an enqueue */
	return !rcu_dereference_bh(dev->qdisc)->enqueue;
}

/*
 * May a frame go up @rcv's stack in the sender's context?  Everything
 * about the receiver is decided here (another mode that needs the
 * receiver's own context adds its check here).
 */
static bool napi_macvlan_local_direct_ok(const struct napi_macvlan_dev *rcv)
{
	return READ_ONCE(rcv->local) == NAPI_MACVLAN_LOCAL_DIRECT &&
	       !napi_macvlan_rx_threaded(rcv) &&
	       netif_running(rcv->dev) &&
	       !rcu_access_pointer(rcv->dev->rx_handler);
}

/* true while another direct hop fits within the bound on this CPU */
static bool napi_macvlan_local_nest_ok(void)
{
	unsigned int bound = napi_macvlan_local_bound();

	return this_cpu_read(napi_macvlan_local_nest) < bound &&
	       dev_recursion_level() <= bound;
}

/* one conforming frame or segment goes up @rcv's stack, here and now */
static bool napi_macvlan_local_receive(struct napi_macvlan_dev *rcv,
				       struct sk_buff *skb)
{
	/* the same crossing as napi_macvlan_ring_produce() */
	if (__dev_forward_skb(rcv->dev, skb))
		return false;
	napi_macvlan_count_rx(rcv, skb->len + ETH_HLEN,
			      skb->pkt_type == PACKET_BROADCAST ||
			      skb->pkt_type == PACKET_MULTICAST,
			      NAPI_MACVLAN_XSTATS_RX_LOCAL_DIRECT);
	/*
	 * BH is disabled, so this CPU's counter is ours until we are back
	 * (on PREEMPT_RT, BH-disabled sections of one CPU do not interleave
	 * either).
	 */
	this_cpu_inc(napi_macvlan_local_nest);
	netif_receive_skb_core(skb);
	this_cpu_dec(napi_macvlan_local_nest);
	return true;
}

/*
 * Deliver a frame from a local sender to @rcv: directly when @rcv asks
 * for it and it is safe (@src_ok from napi_macvlan_local_src_ok() on the
 * frame as sent), otherwise through @rcv's ring.  Called by the sender
 * with BH disabled and under RCU (ndo_start_xmit).  Consumes @skb.
 */
bool napi_macvlan_local_xmit(struct napi_macvlan_dev *rcv,
			     struct sk_buff *skb, bool src_ok)
{
	if (!src_ok || !napi_macvlan_local_direct_ok(rcv))
		return napi_macvlan_ring_enqueue(rcv, skb);
	if (!napi_macvlan_local_nest_ok()) {
		napi_macvlan_count(rcv, NAPI_MACVLAN_XSTATS_RX_LOCAL_DEEP);
		return napi_macvlan_ring_enqueue(rcv, skb);
	}
	return napi_macvlan_local_police(rcv, skb, napi_macvlan_local_receive);
}
