// SPDX-License-Identifier: GPL-2.0
/*
 * napi_macvlan module: rtnl_link_ops (link kind "napi_macvlan"), netlink
 * attributes and xstats, the lower-device notifier, module init/exit.
 */
#include <linux/capability.h>
#include <linux/if_arp.h>
#include <linux/module.h>
#include <linux/nsproxy.h>

#include "napi_macvlan.h"

/*
 * Who may change what the host set up.  A tenant is hostile even when it
 * is root with CAP_NET_ADMIN in the initial user namespace: a rootful
 * Docker or Podman container with --cap-add NET_ADMIN shares that user
 * namespace, so a capability check alone lets it lift its own limits.
 * What the tenant cannot do without CAP_SYS_ADMIN (setns() and
 * unshare(CLONE_NEWNET) need it) is run a task in the network namespace
 * of its device's lower, the host's side of the physical link, nor in
 * the initial namespace.  So a request counts as the host's when the
 * task that makes it is in one of these two.
 *
 * The task, not the netlink socket: changelink and ndo_set_mac_address
 * see no socket, and rtnetlink, generic netlink and the SIOCSIFHWADDR
 * ioctl all run in the sender's task (netlink_unicast_kernel() calls the
 * family's input in the sender's context).  An operator may thus open a
 * socket inside a container's namespace and send from the host (vrctl
 * does), and a socket of the host's that leaks into a container does not
 * make its requests the host's.  Kernel threads act for nobody in
 * particular (bonding's fail_over_mac sets a slave's MAC from a
 * workqueue, in init_net, with every capability): never the host.
 */
static bool napi_macvlan_requester_in(const struct net *net)
{
	const struct nsproxy *nsp = current->nsproxy;

	if (current->flags & PF_KTHREAD || !nsp)
		return false;
	return net_eq(nsp->net_ns, net);
}

/*
 * Whoever owns @lower: acting in its namespace with CAP_NET_ADMIN over
 * it, or the initial namespace's root, the host of every namespace (no
 * container gets a task there without CAP_SYS_ADMIN).  Making a device on
 * a lower and sizing its ring need no more: a user-namespace root that
 * owns a lower may make devices on it anyway.
 */
bool napi_macvlan_owns_lower(const struct net_device *lower)
{
	struct net *net = dev_net(lower);

	if (napi_macvlan_requester_in(&init_net) && capable(CAP_NET_ADMIN))
		return true;
	return napi_macvlan_requester_in(net) &&
	       ns_capable(net->user_ns, CAP_NET_ADMIN);
}

/*
 * The host: mode, flags, a locked MAC and the igtb profile are the
 * operator's protections, so always ask for CAP_NET_ADMIN in the initial
 * user namespace (a user-namespace root never lifts them, even on a lower
 * of its own), from the lower's namespace or the initial one.
 */
bool napi_macvlan_from_host(const struct napi_macvlan_dev *vlan)
{
	return (napi_macvlan_requester_in(&init_net) ||
		napi_macvlan_requester_in(dev_net(vlan->lowerdev))) &&
	       capable(CAP_NET_ADMIN);
}

static const struct nla_policy napi_macvlan_policy[IFLA_NAPI_MACVLAN_MAX + 1] = {
	[IFLA_NAPI_MACVLAN_MODE]	=
		NLA_POLICY_RANGE(NLA_U32, NAPI_MACVLAN_MODE_PRIVATE,
				 NAPI_MACVLAN_MODE_PASSTHRU),
	[IFLA_NAPI_MACVLAN_RING_SIZE]	=
		NLA_POLICY_RANGE(NLA_U32, NAPI_MACVLAN_RING_MIN,
				 NAPI_MACVLAN_RING_MAX),
	[IFLA_NAPI_MACVLAN_FLAGS]	=
		NLA_POLICY_MASK(NLA_U32, NAPI_MACVLAN_F_ALL),
	[IFLA_NAPI_MACVLAN_LOCAL]	=
		NLA_POLICY_MAX(NLA_U32, NAPI_MACVLAN_LOCAL_DIRECT),
	[IFLA_NAPI_MACVLAN_RXMODE]	=
		NLA_POLICY_MAX(NLA_U32, NAPI_MACVLAN_RXMODE_THREAD),
	/* read-only: the kernel reports it */
	[IFLA_NAPI_MACVLAN_THREAD_PID]	= { .type = NLA_REJECT },
};

static bool napi_macvlan_mode_valid(u32 mode)
{
	switch (mode) {
	case NAPI_MACVLAN_MODE_PRIVATE:
	case NAPI_MACVLAN_MODE_VEPA:
	case NAPI_MACVLAN_MODE_BRIDGE:
	case NAPI_MACVLAN_MODE_PASSTHRU:
		return true;
	}
	return false;
}

static int napi_macvlan_validate(struct nlattr *tb[], struct nlattr *data[],
				 struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "MAC address must be 6 bytes");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "MAC address must be unicast and non-zero");
			return -EADDRNOTAVAIL;
		}
	}
	if (data && data[IFLA_NAPI_MACVLAN_MODE] &&
	    !napi_macvlan_mode_valid(nla_get_u32(data[IFLA_NAPI_MACVLAN_MODE]))) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NAPI_MACVLAN_MODE],
				    "mode must be private (1), vepa (2), bridge (4) or passthru (8)");
		return -EINVAL;
	}
	return 0;
}

/* after register_netdevice(): the NAPI exists, its thread can be made */
static int napi_macvlan_newlink_rxmode(struct napi_macvlan_dev *vlan,
				       struct nlattr **data,
				       struct netlink_ext_ack *extack)
{
	int err;

	if (!data || !data[IFLA_NAPI_MACVLAN_RXMODE])
		return 0;
	err = napi_macvlan_set_rxmode(vlan,
				      nla_get_u32(data[IFLA_NAPI_MACVLAN_RXMODE]));
	if (err)
		NL_SET_ERR_MSG(extack, "cannot start the device's NAPI thread");
	return err;
}

static int napi_macvlan_newlink(struct net_device *dev,
				struct rtnl_newlink_params *params,
				struct netlink_ext_ack *extack)
{
	struct net *link_net = rtnl_newlink_link_net(params);
	struct napi_macvlan_dev *vlan = netdev_priv(dev);
	struct nlattr **data = params->data;
	struct nlattr **tb = params->tb;
	struct napi_macvlan_port *port;
	struct net_device *lower;
	int err;

	if (!tb[IFLA_LINK]) {
		NL_SET_ERR_MSG(extack, "napi_macvlan needs a lower device (link)");
		return -EINVAL;
	}
	lower = __dev_get_by_index(link_net, nla_get_u32(tb[IFLA_LINK]));
	if (!lower) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK],
				    "lower device not found");
		return -ENODEV;
	}
	/*
	 * Stack on the real lower, so receive never nests through us.  The
	 * real lower may live in the host's namespace: a tenant must not get a
	 * second device there with a mode, flags, MAC and no igtb profile of
	 * its own choosing (that would escape every limit), neither by
	 * stacking on its own device nor by naming the host's lower with
	 * IFLA_LINK_NETNSID.  So only whoever owns the real lower makes
	 * devices on it.
	 */
	if (lower->rtnl_link_ops == &napi_macvlan_link_ops)
		lower = ((struct napi_macvlan_dev *)netdev_priv(lower))->lowerdev;
	if (!napi_macvlan_owns_lower(lower)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK],
				    "a napi_macvlan can only be made from its lower device's network namespace, with CAP_NET_ADMIN over it");
		return -EPERM;
	}
	if (lower->type != ARPHRD_ETHER || (lower->flags & IFF_LOOPBACK)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK],
				    "lower device must be an Ethernet device");
		return -EINVAL;
	}

	vlan->dev = dev;
	vlan->lowerdev = lower;
	vlan->mode = NAPI_MACVLAN_MODE_BRIDGE;
	vlan->ring_size = NAPI_MACVLAN_RING_DEFAULT;
	if (data && data[IFLA_NAPI_MACVLAN_MODE])
		vlan->mode = nla_get_u32(data[IFLA_NAPI_MACVLAN_MODE]);
	if (data && data[IFLA_NAPI_MACVLAN_RING_SIZE])
		vlan->ring_size = nla_get_u32(data[IFLA_NAPI_MACVLAN_RING_SIZE]);
	if (data && data[IFLA_NAPI_MACVLAN_FLAGS])
		vlan->flags = nla_get_u32(data[IFLA_NAPI_MACVLAN_FLAGS]);
	vlan->local = NAPI_MACVLAN_LOCAL_RING;
	if (data && data[IFLA_NAPI_MACVLAN_LOCAL])
		vlan->local = nla_get_u32(data[IFLA_NAPI_MACVLAN_LOCAL]);
	INIT_LIST_HEAD(&vlan->list);
	INIT_HLIST_NODE(&vlan->hlist);

	if (!tb[IFLA_MTU]) {
		dev->mtu = lower->mtu;
	} else if (dev->mtu > lower->mtu) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_MTU],
				    "MTU larger than the lower device's");
		return -EINVAL;
	}

	if (napi_macvlan_is_port(lower)) {
		port = napi_macvlan_port_get_rtnl(lower);
	} else {
		err = napi_macvlan_port_create(lower, &port);
		if (err) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK],
					    "lower device is already in use by another rx handler (bridge, bond, macvlan...)");
			return err;
		}
	}
	vlan->port = port;

	if (napi_macvlan_is_passthru(vlan) && port->count) {
		NL_SET_ERR_MSG(extack,
			       "passthru needs a lower without other napi_macvlan devices");
		err = -EBUSY;
		goto err_port;
	}
	if (port->passthru) {
		NL_SET_ERR_MSG(extack,
			       "lower device is owned by a passthru napi_macvlan");
		err = -EBUSY;
		goto err_port;
	}

	if (napi_macvlan_is_passthru(vlan))
		eth_hw_addr_inherit(dev, lower);
	else if (!tb[IFLA_ADDRESS])
		eth_hw_addr_random(dev);

	err = register_netdevice(dev);
	if (err)
		goto err_port;

	err = napi_macvlan_newlink_rxmode(vlan, data, extack);
	if (err) {
		unregister_netdevice(dev);
		return err;
	}

	err = netdev_upper_dev_link(lower, dev, extack);
	if (err) {
		/* ndo_uninit drops the port if we were its only device */
		unregister_netdevice(dev);
		return err;
	}
	list_add_tail_rcu(&vlan->list, &port->vlans);
	if (napi_macvlan_is_passthru(vlan))
		WRITE_ONCE(port->passthru, true);
	netif_stacked_transfer_operstate(lower, dev);
	linkwatch_fire_event(dev);
	return 0;

err_port:
	/*
	 * A failed register_netdevice() may already have run ndo_uninit and
	 * dropped the port: only touch it while the lower still points at it.
	 */
	if (napi_macvlan_is_port(lower) &&
	    !napi_macvlan_port_get_rtnl(lower)->count)
		napi_macvlan_port_destroy(napi_macvlan_port_get_rtnl(lower));
	return err;
}

NAPI_MACVLAN_NEWLINK(napi_macvlan_newlink)

static void napi_macvlan_dellink(struct net_device *dev,
				 struct list_head *head)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);

	/* readers may still walk past us until unregister's grace period */
	list_del_rcu(&vlan->list);
	if (napi_macvlan_is_passthru(vlan))
		WRITE_ONCE(vlan->port->passthru, false);
	unregister_netdevice_queue(dev, head);
	netdev_upper_dev_unlink(vlan->lowerdev, dev);
}

static int napi_macvlan_changelink(struct net_device *dev,
				   struct nlattr *tb[], struct nlattr *data[],
				   struct netlink_ext_ack *extack)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);
	u32 mode = vlan->mode, flags = vlan->flags, size = vlan->ring_size;
	u32 local = vlan->local;
	u32 rxmode = vlan->rxmode, old_rxmode;
	int err;

	if (!data)
		return 0;
	if (data[IFLA_NAPI_MACVLAN_MODE])
		mode = nla_get_u32(data[IFLA_NAPI_MACVLAN_MODE]);
	if (data[IFLA_NAPI_MACVLAN_FLAGS])
		flags = nla_get_u32(data[IFLA_NAPI_MACVLAN_FLAGS]);
	if (data[IFLA_NAPI_MACVLAN_RING_SIZE])
		size = nla_get_u32(data[IFLA_NAPI_MACVLAN_RING_SIZE]);
	if (data[IFLA_NAPI_MACVLAN_LOCAL])
		local = nla_get_u32(data[IFLA_NAPI_MACVLAN_LOCAL]);
	if (data[IFLA_NAPI_MACVLAN_RXMODE])
		rxmode = nla_get_u32(data[IFLA_NAPI_MACVLAN_RXMODE]);

	/*
	 * Check everything first: a rejected request changes nothing.  Only
	 * the host lifts what the host set (napi_macvlan_from_host()).
	 */
	if (mode != vlan->mode && !napi_macvlan_from_host(vlan)) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NAPI_MACVLAN_MODE],
				    "changing the mode needs the host: CAP_NET_ADMIN in the initial user namespace, acting from the lower device's network namespace");
		return -EPERM;
	}
	if (mode != vlan->mode &&
	    (mode == NAPI_MACVLAN_MODE_PASSTHRU ||
	     vlan->mode == NAPI_MACVLAN_MODE_PASSTHRU)) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NAPI_MACVLAN_MODE],
				    "cannot change to or from passthru mode");
		return -EINVAL;
	}
	if (flags != vlan->flags && !napi_macvlan_from_host(vlan)) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NAPI_MACVLAN_FLAGS],
				    "changing the flags needs the host: CAP_NET_ADMIN in the initial user namespace, acting from the lower device's network namespace");
		return -EPERM;
	}
	/*
	 * Direct local delivery makes local senders run this device's stack
	 * on their CPU time: the host's choice, like the profile that bounds
	 * how much of it they run.
	 */
	if (local != vlan->local && !napi_macvlan_from_host(vlan)) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NAPI_MACVLAN_LOCAL],
				    "changing the local delivery needs the host: CAP_NET_ADMIN in the initial user namespace, acting from the lower device's network namespace");
		return -EPERM;
	}
	/* rxmode direct would take the router's work out of its cgroup */
	if (rxmode != vlan->rxmode && !napi_macvlan_from_host(vlan)) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NAPI_MACVLAN_RXMODE],
				    "changing the rxmode needs the host: CAP_NET_ADMIN in the initial user namespace, acting from the lower device's network namespace");
		return -EPERM;
	}
	if (size != vlan->ring_size &&
	    !napi_macvlan_owns_lower(vlan->lowerdev)) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NAPI_MACVLAN_RING_SIZE],
				    "changing the ring size needs CAP_NET_ADMIN over the lower device's network namespace, acting from it");
		return -EPERM;
	}
	if (size != vlan->ring_size && netif_running(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_NAPI_MACVLAN_RING_SIZE],
				    "ring size can only change while the device is down");
		return -EBUSY;
	}
	/*
	 * The two steps that can fail (a thread, a ring to allocate).  A new
	 * rxmode is taken back if the ring fails: back to direct cannot fail,
	 * back to thread finds the thread still there (RTNL held throughout;
	 * 6.17+ may need to make it again and reports if it cannot).
	 */
	old_rxmode = vlan->rxmode;
	if (rxmode != old_rxmode) {
		err = napi_macvlan_set_rxmode(vlan, rxmode);
		if (err) {
			NL_SET_ERR_MSG_ATTR(extack,
					    data[IFLA_NAPI_MACVLAN_RXMODE],
					    "cannot start the device's NAPI thread");
			return err;
		}
	}
	if (size != vlan->ring_size) {
		err = napi_macvlan_ring_resize(vlan, size);
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot allocate the new ring");
			if (rxmode != old_rxmode &&
			    napi_macvlan_set_rxmode(vlan, old_rxmode))
				netdev_warn(dev, "rxmode left at %u\n", rxmode);
			return err;
		}
	}
	/* the data path reads these with READ_ONCE() */
	WRITE_ONCE(vlan->mode, mode);
	WRITE_ONCE(vlan->flags, flags);
	WRITE_ONCE(vlan->local, local);
	return 0;
}

static size_t napi_macvlan_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(u32)) +	/* MODE */
	       nla_total_size(sizeof(u32)) +	/* RING_SIZE */
	       nla_total_size(sizeof(u32)) +	/* FLAGS */
	       nla_total_size(sizeof(u32)) +	/* LOCAL */
	       nla_total_size(sizeof(u32)) +	/* RXMODE */
	       nla_total_size(sizeof(u32));	/* THREAD_PID */
}

static int napi_macvlan_fill_info(struct sk_buff *skb,
				  const struct net_device *dev)
{
	const struct napi_macvlan_dev *vlan = netdev_priv(dev);

	if (nla_put_u32(skb, IFLA_NAPI_MACVLAN_MODE, vlan->mode) ||
	    nla_put_u32(skb, IFLA_NAPI_MACVLAN_RING_SIZE, vlan->ring_size) ||
	    nla_put_u32(skb, IFLA_NAPI_MACVLAN_FLAGS, vlan->flags) ||
	    nla_put_u32(skb, IFLA_NAPI_MACVLAN_LOCAL, vlan->local) ||
	    nla_put_u32(skb, IFLA_NAPI_MACVLAN_RXMODE, vlan->rxmode) ||
	    nla_put_u32(skb, IFLA_NAPI_MACVLAN_THREAD_PID,
			napi_macvlan_thread_pid(vlan)))
		return -EMSGSIZE;
	return 0;
}

static size_t napi_macvlan_get_xstats_size(const struct net_device *dev)
{
	return nla_total_size(0) +
	       NAPI_MACVLAN_NUM_XSTATS * nla_total_size_64bit(sizeof(u64));
}

static int napi_macvlan_fill_xstats(struct sk_buff *skb,
				    const struct net_device *dev)
{
	u64 xs[NAPI_MACVLAN_NUM_XSTATS];
	struct nlattr *nest;
	int i;

	napi_macvlan_xstats_sum(netdev_priv(dev), xs);
	nest = nla_nest_start(skb, IFLA_INFO_XSTATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < NAPI_MACVLAN_NUM_XSTATS; i++) {
		if (nla_put_u64_64bit(skb, NAPI_MACVLAN_XSTATS_FIRST + i,
				      xs[i], NAPI_MACVLAN_XSTATS_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static struct net *napi_macvlan_get_link_net(const struct net_device *dev)
{
	const struct napi_macvlan_dev *vlan = netdev_priv(dev);

	return dev_net(vlan->lowerdev);
}

struct rtnl_link_ops napi_macvlan_link_ops = {
	.kind			= NAPI_MACVLAN_KIND,
	.priv_size		= sizeof(struct napi_macvlan_dev),
	.setup			= napi_macvlan_setup,
	.maxtype		= IFLA_NAPI_MACVLAN_MAX,
	.policy			= napi_macvlan_policy,
	.validate		= napi_macvlan_validate,
	.newlink		= NAPI_MACVLAN_NEWLINK_OP(napi_macvlan_newlink),
	.changelink		= napi_macvlan_changelink,
	.dellink		= napi_macvlan_dellink,
	.get_size		= napi_macvlan_get_size,
	.fill_info		= napi_macvlan_fill_info,
	.get_xstats_size	= napi_macvlan_get_xstats_size,
	.fill_xstats		= napi_macvlan_fill_xstats,
	.get_link_net		= napi_macvlan_get_link_net,
};

/* lower-device events, under RTNL */
static int napi_macvlan_device_event(struct notifier_block *unused,
				     unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct napi_macvlan_dev *vlan, *next;
	struct napi_macvlan_port *port;
	LIST_HEAD(list_kill);

	if (!napi_macvlan_is_port(dev))
		return NOTIFY_DONE;
	port = napi_macvlan_port_get_rtnl(dev);

	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		list_for_each_entry(vlan, &port->vlans, list)
			netif_stacked_transfer_operstate(dev, vlan->dev);
		break;
	case NETDEV_FEAT_CHANGE:
		list_for_each_entry(vlan, &port->vlans, list) {
			napi_macvlan_inherit_lower(vlan->dev);
			netdev_update_features(vlan->dev);
		}
		break;
	case NETDEV_CHANGEMTU:
		list_for_each_entry(vlan, &port->vlans, list) {
			if (vlan->dev->mtu > dev->mtu)
				dev_set_mtu(vlan->dev, dev->mtu);
		}
		break;
	case NETDEV_CHANGEADDR:
		/* a passthru device carries the lower's address */
		list_for_each_entry(vlan, &port->vlans, list) {
			if (!napi_macvlan_is_passthru(vlan) ||
			    ether_addr_equal(vlan->dev->dev_addr, dev->dev_addr))
				continue;
			eth_hw_addr_set(vlan->dev, dev->dev_addr);
			call_netdevice_notifiers(NETDEV_CHANGEADDR, vlan->dev);
		}
		break;
	case NETDEV_UNREGISTER:
		/* a netns move of the lower keeps its devices */
		if (dev->reg_state != NETREG_UNREGISTERING)
			break;
		list_for_each_entry_safe(vlan, next, &port->vlans, list)
			napi_macvlan_dellink(vlan->dev, &list_kill);
		/* may free @port (last device's ndo_uninit) */
		unregister_netdevice_many(&list_kill);
		break;
	case NETDEV_PRE_TYPE_CHANGE:
		/* we only know how to sit on Ethernet */
		return NOTIFY_BAD;
	case NETDEV_NOTIFY_PEERS:
	case NETDEV_BONDING_FAILOVER:
	case NETDEV_RESEND_IGMP:
		list_for_each_entry(vlan, &port->vlans, list)
			call_netdevice_notifiers(event, vlan->dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block napi_macvlan_notifier = {
	.notifier_call = napi_macvlan_device_event,
};

static struct igtb_slot *napi_macvlan_igtb_slot(struct net_device *dev,
						bool egress)
{
	struct napi_macvlan_dev *vlan = netdev_priv(dev);

	return egress ? &vlan->egress.slot : &vlan->igtb;
}

static bool napi_macvlan_igtb_from_host(struct net_device *dev)
{
	return napi_macvlan_from_host(netdev_priv(dev));
}

static struct igtb_driver napi_macvlan_igtb_driver = {
	.link_ops	= &napi_macvlan_link_ops,
	.slot		= napi_macvlan_igtb_slot,
	.from_host	= napi_macvlan_igtb_from_host,
};

static int __init napi_macvlan_module_init(void)
{
	int err;

	err = register_netdevice_notifier(&napi_macvlan_notifier);
	if (err)
		return err;
	err = rtnl_link_register(&napi_macvlan_link_ops);
	if (err)
		goto err_notifier;
	err = igtb_register_driver(&napi_macvlan_igtb_driver);
	if (err)
		goto err_link;
	return 0;

err_link:
	rtnl_link_unregister(&napi_macvlan_link_ops);
err_notifier:
	unregister_netdevice_notifier(&napi_macvlan_notifier);
	return err;
}

static void __exit napi_macvlan_module_exit(void)
{
	igtb_unregister_driver(&napi_macvlan_igtb_driver);
	/* deletes every device of ours in every netns */
	rtnl_link_unregister(&napi_macvlan_link_ops);
	unregister_netdevice_notifier(&napi_macvlan_notifier);
}

module_init(napi_macvlan_module_init);
module_exit(napi_macvlan_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("macvlan-style device that bypasses the backlog queue");
MODULE_ALIAS_RTNL_LINK(NAPI_MACVLAN_KIND);
/* from packaging/version.sh, set by napi_macvlan/Kbuild */
MODULE_VERSION(NMV_VERSION);
