/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between kernel versions that napi_macvlan and igtb care about.
 * The code is written against the newest API; each block below gives older
 * kernels what it uses and names the kernel (and upstream commit title)
 * that changed it.  Compiled and run on 6.1 (Debian 12), 6.6, 6.12 and
 * 6.18 (README, "Tested kernels").  Where a distribution may backport an
 * API, test for the API itself (#ifdef, kmod/Kbuild.include), not the
 * version.
 * Add to this file in small, commented blocks.
 */
#ifndef _NAPI_MACVLAN_COMPAT_H
#define _NAPI_MACVLAN_COMPAT_H

#include <linux/atomic.h>
#include <linux/netdevice.h>
#include <linux/types.h>
#include <linux/version.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "napi_macvlan and igtb need Linux 6.1 or newer"
#endif

/*
 * igtb: double-word compare-and-exchange of the policer's two theoretical
 * arrival times, so a packet checked against a byte and a packet bucket
 * commits both with one atomic operation.  6.1 has cmpxchg_double() (removed
 * in 6.8); 6.5 added try_cmpxchg128().  igtb_has_cmpxchg_pair() is false
 * where neither exists; igtb then uses two cmpxchg with rollback.
 * @p must be 16-byte aligned.
 */
struct igtb_tat_pair {
	u64 bytes;	/* TAT of the byte bucket */
	u64 pkts;	/* TAT of the packet bucket */
} __aligned(16);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#ifdef system_has_cmpxchg128
#define igtb_has_cmpxchg_pair()	system_has_cmpxchg128()
static inline bool igtb_cmpxchg_pair(struct igtb_tat_pair *p,
				     const struct igtb_tat_pair *old,
				     const struct igtb_tat_pair *new)
{
	u128 o = (u128)old->pkts << 64 | old->bytes;
	u128 n = (u128)new->pkts << 64 | new->bytes;

	/* little-endian layout: bytes is the low half */
	BUILD_BUG_ON(IS_ENABLED(CONFIG_CPU_BIG_ENDIAN));
	return try_cmpxchg128((u128 *)p, &o, n);
}
#else
#define igtb_has_cmpxchg_pair()	false
static inline bool igtb_cmpxchg_pair(struct igtb_tat_pair *p,
				     const struct igtb_tat_pair *old,
				     const struct igtb_tat_pair *new)
{
	return false;
}
#endif
#else /* < 6.8 */
#ifdef system_has_cmpxchg_double
#define igtb_has_cmpxchg_pair()	system_has_cmpxchg_double()
static inline bool igtb_cmpxchg_pair(struct igtb_tat_pair *p,
				     const struct igtb_tat_pair *old,
				     const struct igtb_tat_pair *new)
{
	return cmpxchg_double(&p->bytes, &p->pkts, old->bytes, old->pkts,
			      new->bytes, new->pkts);
}
#else
#define igtb_has_cmpxchg_pair()	false
static inline bool igtb_cmpxchg_pair(struct igtb_tat_pair *p,
				     const struct igtb_tat_pair *old,
				     const struct igtb_tat_pair *new)
{
	return false;
}
#endif
#endif

/*
 * 6.5 ("net: move gso declarations and functions to their own files")
 * moved skb_gso_segment() and __skb_gso_segment() to <net/gso.h>.
 */
#ifdef NMV_HAVE_NET_GSO_H	/* kmod/Kbuild.include */
#include <net/gso.h>
#endif

/*
 * 6.15 moved netdev_lockdep_set_classes() to <net/netdev_lock.h>, with the
 * netdev instance lock.  napi_macvlan does not opt in to that lock (no
 * queue or shaper ops); netif_napi_add() and napi_enable() take it
 * themselves, and register_netdevice() calls ndo_init without it.
 */
#ifdef NMV_HAVE_NET_NETDEV_LOCK_H
#include <net/netdev_lock.h>
#endif

/*
 * 6.12 ("netdev_features: convert NETIF_F_LLTX to dev->lltx") made
 * lockless TX a private flag, no longer a feature bit that
 * ndo_fix_features must keep.  macvlan, ipvlan and veth set dev->lltx in
 * setup/init on 6.12; before, they put NETIF_F_LLTX in dev->features.
 * NAPI_MACVLAN_F_LLTX is the feature bit on old kernels and 0 on new ones.
 */
#ifdef NETIF_F_LLTX
#define NAPI_MACVLAN_F_LLTX	NETIF_F_LLTX
static inline void napi_macvlan_set_lltx(struct net_device *dev)
{
	dev->features |= NETIF_F_LLTX;
}
#else
#define NAPI_MACVLAN_F_LLTX	0
static inline void napi_macvlan_set_lltx(struct net_device *dev)
{
	dev->lltx = true;
}
#endif

/*
 * 6.15 ("rtnetlink: Pack newlink() params into struct") passes newlink()
 * its namespaces and attributes in struct rtnl_newlink_params; the lower
 * device is looked up in rtnl_newlink_link_net() (IFLA_LINK_NETNSID's
 * namespace, else the requester's), as macvlan does.  Older kernels pass
 * that namespace as the first argument: NAPI_MACVLAN_NEWLINK(fn) gives
 * them a wrapper with the old signature around the new-style @fn.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 15, 0)
struct rtnl_newlink_params {
	struct net *link_net;	/* where IFLA_LINK is looked up */
	struct nlattr **tb;
	struct nlattr **data;
};

static inline struct net *
rtnl_newlink_link_net(struct rtnl_newlink_params *params)
{
	return params->link_net;
}

#define NAPI_MACVLAN_NEWLINK(fn)					\
static int fn##_compat(struct net *link_net, struct net_device *dev,	\
		       struct nlattr *tb[], struct nlattr *data[],	\
		       struct netlink_ext_ack *extack)			\
{									\
	struct rtnl_newlink_params params = {				\
		.link_net = link_net, .tb = tb, .data = data,		\
	};								\
	return fn(dev, &params, extack);				\
}

#define NAPI_MACVLAN_NEWLINK_OP(fn)	fn##_compat
#else
#define NAPI_MACVLAN_NEWLINK(fn)
#define NAPI_MACVLAN_NEWLINK_OP(fn)	fn
#endif

/*
 * 6.16 ("net: core: Convert dev_set_mac_address() to struct
 * sockaddr_storage"): dev_set_mac_address() and so ndo_set_mac_address
 * take a struct sockaddr_storage.  Before, the ndo got a struct sockaddr,
 * whose sa_data is at the same offset as __data, so reading the address
 * through a sockaddr_storage pointer stays within the caller's object.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 16, 0)
static inline int
napi_macvlan_set_lower_mac(struct net_device *lower,
			   struct sockaddr_storage *ss,
			   struct netlink_ext_ack *extack)
{
	return dev_set_mac_address(lower, (struct sockaddr *)ss, extack);
}
#else
static inline int
napi_macvlan_set_lower_mac(struct net_device *lower,
			   struct sockaddr_storage *ss,
			   struct netlink_ext_ack *extack)
{
	return dev_set_mac_address(lower, ss, extack);
}
#endif

/*
 * 6.6 ("genetlink: add struct genl_info to struct genl_dumpit_info"):
 * a dump's attributes are in genl_info_dump(cb)->attrs; 6.1 has them in
 * genl_dumpit_info(cb)->attrs.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define igtb_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
#define igtb_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/*
 * GENL_MCAST_CAP_NET_ADMIN ("genetlink: add CAP_NET_ADMIN test for
 * multicast bind", 6.7, backported to some stable kernels: Debian's 6.1
 * has it, 6.6.57 does not) makes binding to a multicast group need
 * CAP_NET_ADMIN.  Without it any process in init_net could read every
 * tenant's profile from igtb's notifications, so igtb then offers no
 * group at all: `vrctl monitor` says why, everything else works.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define IGTB_HAVE_MCAST_CAP	1
#else
#define IGTB_HAVE_MCAST_CAP	0
#endif

/*
 * The core's transmit nesting limit: in <linux/netdevice.h> on 6.1, 6.6 and
 * 6.18, but only in the private net/core/dev.h on 6.12.  It is 8 in all.
 */
#ifndef XMIT_RECURSION_LIMIT
#define XMIT_RECURSION_LIMIT	8
#endif

/*
 * 6.17 ("net: define an enum for the napi threaded state") made the second
 * argument of dev_set_threaded() an enum netdev_napi_threaded (DISABLED 0,
 * ENABLED 1); before it is a bool.  Since 6.15 dev_set_threaded() takes
 * the netdev instance lock itself; under RTNL only, as before.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
static inline int napi_macvlan_set_threaded(struct net_device *dev, bool on)
{
	return dev_set_threaded(dev, on ? NETDEV_NAPI_THREADED_ENABLED :
					  NETDEV_NAPI_THREADED_DISABLED);
}
#else
static inline int napi_macvlan_set_threaded(struct net_device *dev, bool on)
{
	return dev_set_threaded(dev, on);
}
#endif

/*
 * 6.13 ("hrtimers: Introduce hrtimer_setup() to replace hrtimer_init()")
 * sets the callback together with the clock and mode; hrtimer_init() is
 * gone by 6.18.  The macro keeps this shim's name apart from a distribution
 * backport of the real one.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
#include <linux/hrtimer.h>
#define hrtimer_setup nmv_hrtimer_setup
static inline void
nmv_hrtimer_setup(struct hrtimer *timer,
		  enum hrtimer_restart (*function)(struct hrtimer *),
		  clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

/*
 * napi_macvlan: a NAPI instance that belongs to no real device (the port's
 * broadcast queue) hangs off a dummy net_device.  6.10 added
 * alloc_netdev_dummy() ("net: create a dummy net_device allocator") and
 * later kernels no longer export init_dummy_netdev(); 6.1-6.9 have only
 * init_dummy_netdev() on caller-provided memory.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
#include <linux/slab.h>

static inline struct net_device *nmv_alloc_dummy_netdev(void)
{
	struct net_device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);

	if (dev)
		init_dummy_netdev(dev);
	return dev;
}

static inline void nmv_free_dummy_netdev(struct net_device *dev)
{
	kfree(dev);
}
#else
static inline struct net_device *nmv_alloc_dummy_netdev(void)
{
	return alloc_netdev_dummy(0);
}

static inline void nmv_free_dummy_netdev(struct net_device *dev)
{
	free_netdev(dev);
}
#endif

#endif /* _NAPI_MACVLAN_COMPAT_H */
