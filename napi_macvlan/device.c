// SPDX-License-Identifier: GPL-2.0
/*
 * net_device_ops: setup, init/uninit, open/stop, MAC, MTU, features,
 * receive filters and statistics.
 */
#include <linux/if_arp.h>
#include <linux/if_vlan.h>

#include "napi_macvlan.h"

/* offloads that are always safe: the lower's xmit path falls back */
#define NAPI_MACVLAN_ALWAYS_ON \
	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_GSO_SOFTWARE | \
	 NETIF_F_GSO_ROBUST | NETIF_F_GSO_ENCAP_ALL)

/* offloads we advertise only when the lower has them */
#define NAPI_MACVLAN_FEATURES \
	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_HIGHDMA | NETIF_F_FRAGLIST | \
	 NETIF_F_GSO | NETIF_F_TSO | NETIF_F_TSO_ECN | NETIF_F_TSO6 | \
	 NETIF_F_LRO | NETIF_F_GRO | NETIF_F_RXCSUM | \
	 NETIF_F_HW_VLAN_CTAG_FILTER | NETIF_F_HW_VLAN_STAG_FILTER)

/*
 * dev_uc_sync()/dev_mc_sync() take our addr_list_lock and then the
 * lower's; a class of our own keeps lockdep from seeing a recursion when
 * the lower is a device of the same type class (VLAN, macvlan).
 */
static struct lock_class_key napi_macvlan_addr_lock_key;

/* Take over what depends on the lower: features, TSO limits, headroom. */
void napi_macvlan_inherit_lower(struct net_device *dev)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);
	struct net_device *lower = vlan->lowerdev;

	netif_inherit_tso_max(dev, lower);
	dev->hard_header_len = lower->hard_header_len;
	dev->needed_headroom = lower->needed_headroom;
	dev->needed_tailroom = lower->needed_tailroom;
}

static int napi_macvlan_init(struct net_device *dev)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);
	struct net_device *lower = vlan->lowerdev;
	int err;

	dev->features = (lower->features & NAPI_MACVLAN_FEATURES) |
			NAPI_MACVLAN_ALWAYS_ON;
	napi_macvlan_set_lltx(dev);
	dev->hw_features = NAPI_MACVLAN_FEATURES;
	dev->vlan_features = (lower->vlan_features & NAPI_MACVLAN_FEATURES) |
			     NAPI_MACVLAN_ALWAYS_ON;
	dev->hw_enc_features |= dev->features;
	napi_macvlan_inherit_lower(dev);
	netdev_lockdep_set_classes(dev);
	lockdep_set_class(&dev->addr_list_lock, &napi_macvlan_addr_lock_key);

	vlan->pcpu_stats =
		netdev_alloc_pcpu_stats(struct napi_macvlan_pcpu_stats);
	if (!vlan->pcpu_stats)
		return -ENOMEM;
	err = napi_macvlan_ring_init(vlan);
	if (err)
		goto err_stats;
	err = igtb_slot_init(&vlan->igtb);
	if (err)
		goto err_ring;
	err = igtb_egress_init(&vlan->egress, napi_macvlan_egress_xmit);
	if (err)
		goto err_igtb;
	napi_macvlan_ring_napi_add(vlan);

	vlan->port->count++;
	netdev_hold(lower, &vlan->dev_tracker, GFP_KERNEL);
	return 0;

err_igtb:
	igtb_egress_release(&vlan->egress);
	igtb_slot_release(&vlan->igtb);
err_ring:
	napi_macvlan_ring_free(vlan);
err_stats:
	free_percpu(vlan->pcpu_stats);
	return err;
}

/*
 * Runs after unregister_netdevice_many()'s synchronize_net() (or on a
 * failed register_netdevice()): no RX path, sender or policer user can
 * reach the device any more.
 */
static void napi_macvlan_uninit(struct net_device *dev)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);
	struct napi_macvlan_port *port = vlan->port;

	netif_napi_del(&vlan->napi);
	napi_macvlan_thread_release(vlan);
	igtb_slot_release(&vlan->igtb);
	igtb_egress_release(&vlan->egress);
	napi_macvlan_ring_free(vlan);
	free_percpu(vlan->pcpu_stats);
	vlan->pcpu_stats = NULL;

	if (!--port->count)
		napi_macvlan_port_destroy(port);
	netdev_put(vlan->lowerdev, &vlan->dev_tracker);
}

bool napi_macvlan_addr_busy(const struct napi_macvlan_port *port,
			    const unsigned char *addr)
{
	if (!port->passthru &&
	    ether_addr_equal_64bits(port->dev->dev_addr, addr))
		return true;
	return napi_macvlan_hash_lookup(port, addr);
}

static int napi_macvlan_open(struct net_device *dev)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);
	struct net_device *lower = vlan->lowerdev;
	int err;

	if (napi_macvlan_is_passthru(vlan)) {
		/* the device owns the lower: everything arriving is ours */
		err = dev_set_promiscuity(lower, 1);
		if (err)
			return err;
		goto out;
	}

	if (napi_macvlan_addr_busy(vlan->port, dev->dev_addr))
		return -EADDRINUSE;
	/* make the lower's unicast filter let our address in */
	err = dev_uc_add(lower, dev->dev_addr);
	if (err)
		return err;
	if (dev->flags & IFF_ALLMULTI) {
		err = dev_set_allmulti(lower, 1);
		if (err)
			goto err_uc;
	}
	if (dev->flags & IFF_PROMISC) {
		err = dev_set_promiscuity(lower, 1);
		if (err)
			goto err_allmulti;
	}
	napi_macvlan_hash_add(vlan);
out:
	napi_macvlan_ring_open(vlan);
	return 0;

err_allmulti:
	if (dev->flags & IFF_ALLMULTI)
		dev_set_allmulti(lower, -1);
err_uc:
	dev_uc_del(lower, dev->dev_addr);
	return err;
}

static int napi_macvlan_stop(struct net_device *dev)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);
	struct net_device *lower = vlan->lowerdev;

	/* senders must not find us once the NAPI is gone */
	if (!hlist_unhashed(&vlan->hlist))
		napi_macvlan_hash_del(vlan, !dev->dismantle);
	napi_macvlan_ring_stop(vlan);
	/* no sender is left (dev_deactivate): the shaper's backlog goes */
	igtb_egress_flush(&vlan->egress);

	dev_uc_unsync(lower, dev);
	dev_mc_unsync(lower, dev);
	if (napi_macvlan_is_passthru(vlan)) {
		dev_set_promiscuity(lower, -1);
		return 0;
	}
	if (dev->flags & IFF_ALLMULTI)
		dev_set_allmulti(lower, -1);
	if (dev->flags & IFF_PROMISC)
		dev_set_promiscuity(lower, -1);
	dev_uc_del(lower, dev->dev_addr);
	return 0;
}

static int napi_macvlan_set_mac_address(struct net_device *dev, void *p)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);
	struct net_device *lower = vlan->lowerdev;
	struct sockaddr_storage *addr = p;
	int err;

	if (!is_valid_ether_addr(addr->__data))
		return -EADDRNOTAVAIL;
	/*
	 * A tenant must not lift the address its operator gave it: under
	 * the lock only the host changes it (rtnetlink, SIOCSIFHWADDR, or a
	 * bond enslaving us, all in the requester's task).
	 */
	if ((READ_ONCE(vlan->flags) & NAPI_MACVLAN_F_MACLOCK) &&
	    !napi_macvlan_from_host(vlan))
		return -EPERM;
	if (ether_addr_equal(dev->dev_addr, addr->__data))
		return 0;

	if (napi_macvlan_is_passthru(vlan)) {
		/* the lower's NETDEV_CHANGEADDR brings it back to us */
		return napi_macvlan_set_lower_mac(lower, addr, NULL);
	}
	if (!(dev->flags & IFF_UP)) {
		eth_hw_addr_set(dev, addr->__data);
		return 0;
	}
	if (napi_macvlan_addr_busy(vlan->port, addr->__data))
		return -EADDRINUSE;
	err = dev_uc_add(lower, addr->__data);
	if (err)
		return err;
	dev_uc_del(lower, dev->dev_addr);
	napi_macvlan_hash_del(vlan, false);
	eth_hw_addr_set(dev, addr->__data);
	napi_macvlan_hash_add(vlan);
	return 0;
}

static int napi_macvlan_change_mtu(struct net_device *dev, int new_mtu)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);

	if (new_mtu > vlan->lowerdev->mtu)
		return -EINVAL;
	dev->mtu = new_mtu;
	return 0;
}

static netdev_features_t napi_macvlan_fix_features(struct net_device *dev,
						   netdev_features_t features)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);
	netdev_features_t lower = vlan->lowerdev->features;

	/* what the user wants, limited to what the lower can do */
	features &= (lower & NAPI_MACVLAN_FEATURES) | NAPI_MACVLAN_ALWAYS_ON |
		    ~NAPI_MACVLAN_FEATURES;
	features |= NAPI_MACVLAN_ALWAYS_ON | NAPI_MACVLAN_F_LLTX;
	return features;
}

static void napi_macvlan_change_rx_flags(struct net_device *dev, int change)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);
	struct net_device *lower = vlan->lowerdev;

	/* open/stop account for the flags while the device is down */
	if (!(dev->flags & IFF_UP) || napi_macvlan_is_passthru(vlan))
		return;
	if (change & IFF_ALLMULTI)
		dev_set_allmulti(lower, dev->flags & IFF_ALLMULTI ? 1 : -1);
	if (change & IFF_PROMISC)
		dev_set_promiscuity(lower, dev->flags & IFF_PROMISC ? 1 : -1);
}

/*
 * Called with our addr_list_lock held.  The filter is rebuilt aside and
 * copied in one go; the RX path tests bits without a lock, a reader racing
 * with the copy may see one frame filtered by the old or the new filter,
 * which is harmless.
 */
static void napi_macvlan_set_rx_mode(struct net_device *dev)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);
	DECLARE_BITMAP(filter, NAPI_MACVLAN_MC_FILTER_SZ);
	struct netdev_hw_addr *ha;

	dev_uc_sync(vlan->lowerdev, dev);
	dev_mc_sync(vlan->lowerdev, dev);

	if (dev->flags & (IFF_PROMISC | IFF_ALLMULTI)) {
		bitmap_fill(filter, NAPI_MACVLAN_MC_FILTER_SZ);
	} else {
		bitmap_zero(filter, NAPI_MACVLAN_MC_FILTER_SZ);
		__set_bit(napi_macvlan_mc_hash(dev->broadcast), filter);
		netdev_for_each_mc_addr(ha, dev)
			__set_bit(napi_macvlan_mc_hash(ha->addr), filter);
	}
	bitmap_copy(vlan->mc_filter, filter, NAPI_MACVLAN_MC_FILTER_SZ);
}

/* the egress profile's counters live in igtb: show them with ours */
static void napi_macvlan_egress_xstats(const struct napi_macvlan_dev *vlan,
				       u64 *out)
{
	u64 delayed, delay_ns, dropped;

	igtb_egress_counters(&vlan->egress, &delayed, &delay_ns, &dropped);
	out[NAPI_MACVLAN_XS(NAPI_MACVLAN_XSTATS_TX_SHAPED)] = delayed;
	out[NAPI_MACVLAN_XS(NAPI_MACVLAN_XSTATS_TX_SHAPE_DELAY_US)] =
		div_u64(delay_ns, NSEC_PER_USEC);
	out[NAPI_MACVLAN_XS(NAPI_MACVLAN_XSTATS_TX_POLICED)] = dropped;
}

void napi_macvlan_xstats_sum(const struct napi_macvlan_dev *vlan, u64 *out)
{
	const struct napi_macvlan_pcpu_stats *s;
	u64 tmp[NAPI_MACVLAN_NUM_XSTATS];
	unsigned int start, i;
	int cpu;

	memset(out, 0, sizeof(u64) * NAPI_MACVLAN_NUM_XSTATS);
	if (!vlan->pcpu_stats)
		return;
	for_each_possible_cpu(cpu) {
		s = per_cpu_ptr(vlan->pcpu_stats, cpu);
		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < NAPI_MACVLAN_NUM_XSTATS; i++)
				tmp[i] = u64_stats_read(&s->xstats[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < NAPI_MACVLAN_NUM_XSTATS; i++)
			out[i] += tmp[i];
	}
	napi_macvlan_egress_xstats(vlan, out);
	napi_macvlan_bc_xstats(vlan->port, out);
}

static void napi_macvlan_get_stats64(struct net_device *dev,
				     struct rtnl_link_stats64 *stats)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);
	u64 rx_p, rx_b, rx_m, tx_p, tx_b;
	u64 xs[NAPI_MACVLAN_NUM_XSTATS];
	unsigned int start;
	int cpu;

	if (!vlan->pcpu_stats)
		return;
	for_each_possible_cpu(cpu) {
		const struct napi_macvlan_pcpu_stats *s =
			per_cpu_ptr(vlan->pcpu_stats, cpu);

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			rx_p = u64_stats_read(&s->rx_packets);
			rx_b = u64_stats_read(&s->rx_bytes);
			rx_m = u64_stats_read(&s->rx_multicast);
			tx_p = u64_stats_read(&s->tx_packets);
			tx_b = u64_stats_read(&s->tx_bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		stats->rx_packets += rx_p;
		stats->rx_bytes += rx_b;
		stats->multicast += rx_m;
		stats->tx_packets += tx_p;
		stats->tx_bytes += tx_b;
	}
	napi_macvlan_xstats_sum(vlan, xs);
	stats->rx_dropped +=
		xs[NAPI_MACVLAN_XS(NAPI_MACVLAN_XSTATS_RX_RING_FULL)] +
		xs[NAPI_MACVLAN_XS(NAPI_MACVLAN_XSTATS_RX_POLICED)] +
		xs[NAPI_MACVLAN_XS(NAPI_MACVLAN_XSTATS_RX_NOMEM)];
	stats->tx_dropped +=
		xs[NAPI_MACVLAN_XS(NAPI_MACVLAN_XSTATS_TX_SPOOFED)] +
		xs[NAPI_MACVLAN_XS(NAPI_MACVLAN_XSTATS_TX_DROPPED)] +
		xs[NAPI_MACVLAN_XS(NAPI_MACVLAN_XSTATS_TX_POLICED)];
}

/* VLANs on top of us need the lower's VLAN filter to let them in */
static int napi_macvlan_vlan_rx_add_vid(struct net_device *dev,
					__be16 proto, u16 vid)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);

	return vlan_vid_add(vlan->lowerdev, proto, vid);
}

static int napi_macvlan_vlan_rx_kill_vid(struct net_device *dev,
					 __be16 proto, u16 vid)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);

	vlan_vid_del(vlan->lowerdev, proto, vid);
	return 0;
}

static int napi_macvlan_get_iflink(const struct net_device *dev)
{
	const struct napi_macvlan_dev *vlan = netdev_priv(dev);

	return vlan->lowerdev->ifindex;
}

static const struct net_device_ops napi_macvlan_netdev_ops = {
	.ndo_init		= napi_macvlan_init,
	.ndo_uninit		= napi_macvlan_uninit,
	.ndo_open		= napi_macvlan_open,
	.ndo_stop		= napi_macvlan_stop,
	.ndo_start_xmit		= napi_macvlan_start_xmit,
	.ndo_change_mtu		= napi_macvlan_change_mtu,
	.ndo_fix_features	= napi_macvlan_fix_features,
	.ndo_change_rx_flags	= napi_macvlan_change_rx_flags,
	.ndo_set_mac_address	= napi_macvlan_set_mac_address,
	.ndo_set_rx_mode	= napi_macvlan_set_rx_mode,
	.ndo_get_stats64	= napi_macvlan_get_stats64,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_get_iflink		= napi_macvlan_get_iflink,
	.ndo_vlan_rx_add_vid	= napi_macvlan_vlan_rx_add_vid,
	.ndo_vlan_rx_kill_vid	= napi_macvlan_vlan_rx_kill_vid,
};

/*
 * After the last reference is gone, without RTNL: a thread_work queued
 * before ndo_uninit may still be waiting for RTNL (it finds the device
 * unregistered and does nothing).
 */
static void napi_macvlan_destructor(struct net_device *dev)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);

	flush_work(&vlan->thread_work);
}

void napi_macvlan_setup(struct net_device *dev)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);

	ether_setup(dev);
	/* the lower's MTU is checked in newlink and ndo_change_mtu */
	dev->max_mtu = ETH_MAX_MTU;
	/* local delivery consumes the skb: pktgen may not reuse it */
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->priv_flags |= IFF_UNICAST_FLT | IFF_NO_QUEUE;
	netif_keep_dst(dev);
	dev->netdev_ops = &napi_macvlan_netdev_ops;
	dev->ethtool_ops = &napi_macvlan_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = napi_macvlan_destructor;
	INIT_WORK(&vlan->thread_work, napi_macvlan_thread_work);
	dev->rtnl_link_ops = &napi_macvlan_link_ops;
}
