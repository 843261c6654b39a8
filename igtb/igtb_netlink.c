// SPDX-License-Identifier: GPL-2.0
/*
 * igtb generic netlink family: SET / GET / DEL of a device's profile,
 * notifications on the "config" group, and the list of drivers whose
 * devices carry an igtb slot.
 *
 * Locking: every operation runs under RTNL, which keeps the device (found
 * by ifindex or name) alive and serializes all writers of slot->profile.
 * The driver list is written under igtb_drivers_lock and read under RCU.
 */

#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/netlink.h>

#include <linux/igtb.h>

#include "igtb_core.h"

static LIST_HEAD(igtb_drivers);		/* RCU readers, writers take the mutex */
static DEFINE_MUTEX(igtb_drivers_lock);

int igtb_register_driver(struct igtb_driver *drv)
{
	mutex_lock(&igtb_drivers_lock);
	list_add_tail_rcu(&drv->list, &igtb_drivers);
	mutex_unlock(&igtb_drivers_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(igtb_register_driver);

void igtb_unregister_driver(struct igtb_driver *drv)
{
	mutex_lock(&igtb_drivers_lock);
	list_del_rcu(&drv->list);
	mutex_unlock(&igtb_drivers_lock);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(igtb_unregister_driver);

/*
 * The slot of @dev, or NULL when no registered driver owns @dev.  When
 * @from_host is given, it tells whether the requesting task is the host's
 * for @dev: profiles are the host's, a tenant with CAP_NET_ADMIN in the
 * initial user namespace (a rootful container) must not see or change
 * them.  Asking the driver under RCU keeps its module around for the call.
 */
static struct igtb_slot *igtb_dev_slot(struct net_device *dev, bool egress,
				       bool *from_host)
{
	struct igtb_slot *slot = NULL;
	struct igtb_driver *drv;

	if (!dev->rtnl_link_ops)
		return NULL;
	rcu_read_lock();
	list_for_each_entry_rcu(drv, &igtb_drivers, list) {
		if (drv->link_ops == dev->rtnl_link_ops) {
			slot = drv->slot(dev, egress);
			if (from_host)
				*from_host = drv->from_host(dev);
			break;
		}
	}
	rcu_read_unlock();
	return slot;
}

static struct netlink_range_validation igtb_rate_range = {
	.max = IGTB_RATE_MAX,
};

static struct netlink_range_validation igtb_pkt_rate_range = {
	.max = IGTB_PKT_RATE_MAX,
};

static struct netlink_range_validation igtb_latency_range = {
	.min = 1,
	.max = IGTB_LATENCY_MAX_US,
};

static struct netlink_range_validation igtb_pkt_burst_range = {
	.max = IGTB_PKT_BURST_MAX,
};

static const struct nla_policy igtb_policy[IGTB_A_MAX + 1] = {
	[IGTB_A_PAD]		= { .type = NLA_REJECT },
	[IGTB_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[IGTB_A_IFNAME]		= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[IGTB_A_NETNS_FD]	= { .type = NLA_U32 },
	[IGTB_A_NETNS_ID]	= NLA_POLICY_MIN(NLA_S32, 0),
	[IGTB_A_NETNS_PID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[IGTB_A_RATE]		= NLA_POLICY_FULL_RANGE(NLA_U64, &igtb_rate_range),
	[IGTB_A_BURST]		= { .type = NLA_U32 },
	[IGTB_A_PKT_RATE]	= NLA_POLICY_FULL_RANGE(NLA_U64, &igtb_pkt_rate_range),
	[IGTB_A_PKT_BURST]	= NLA_POLICY_FULL_RANGE(NLA_U32, &igtb_pkt_burst_range),
	[IGTB_A_OVERHEAD]	= NLA_POLICY_MAX(NLA_U32, IGTB_OVERHEAD_MAX),
	[IGTB_A_ACTION]		= NLA_POLICY_MAX(NLA_U32, IGTB_ACTION_SHAPE),
	[IGTB_A_MARK]		= { .type = NLA_U32 },
	[IGTB_A_STATS]		= { .type = NLA_REJECT },
	[IGTB_A_DIR]		= NLA_POLICY_MAX(NLA_U32, IGTB_DIR_EGRESS),
	[IGTB_A_LATENCY]	= NLA_POLICY_FULL_RANGE(NLA_U32, &igtb_latency_range),
};

static struct genl_family igtb_family;

enum igtb_mcgrp {
	IGTB_MCGRP_CONFIG_IDX,
};

/*
 * Notifications are only sent in init_net, where binding needs
 * CAP_NET_ADMIN in the initial user namespace, like every operation.
 * A kernel that cannot ask that gets no group (napi_macvlan_compat.h).
 */
#if IGTB_HAVE_MCAST_CAP
static const struct genl_multicast_group igtb_mcgrps[] = {
	[IGTB_MCGRP_CONFIG_IDX] = {
		.name = IGTB_MCGRP_CONFIG,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};
#endif

/*
 * The namespace given by at most one of the netns attributes, else
 * @caller; returned with a reference.
 */
static struct net *igtb_attr_net(struct net *caller, struct nlattr **tb,
				 struct netlink_ext_ack *extack)
{
	struct net *net;

	if (!!tb[IGTB_A_NETNS_FD] + !!tb[IGTB_A_NETNS_ID] +
	    !!tb[IGTB_A_NETNS_PID] > 1) {
		NL_SET_ERR_MSG(extack, "give at most one of netns fd, netns id and netns pid");
		return ERR_PTR(-EINVAL);
	}
	if (tb[IGTB_A_NETNS_FD]) {
		net = get_net_ns_by_fd(nla_get_u32(tb[IGTB_A_NETNS_FD]));
		if (IS_ERR(net))
			NL_SET_ERR_MSG_ATTR(extack, tb[IGTB_A_NETNS_FD],
					    "netns fd is not an open network namespace file");
		return net;
	}
	if (tb[IGTB_A_NETNS_PID]) {
		net = get_net_ns_by_pid(nla_get_u32(tb[IGTB_A_NETNS_PID]));
		if (IS_ERR(net))
			NL_SET_ERR_MSG_ATTR(extack, tb[IGTB_A_NETNS_PID],
					    "no process with this pid");
		return net;
	}
	if (tb[IGTB_A_NETNS_ID]) {
		net = get_net_ns_by_id(caller, nla_get_s32(tb[IGTB_A_NETNS_ID]));
		if (!net) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IGTB_A_NETNS_ID],
					    "no network namespace with this nsid");
			return ERR_PTR(-EINVAL);
		}
		return net;
	}
	return get_net(caller);
}

/* Which profile a request names: the egress one, or the ingress one. */
static bool igtb_attr_egress(struct nlattr **tb)
{
	return tb[IGTB_A_DIR] &&
	       nla_get_u32(tb[IGTB_A_DIR]) == IGTB_DIR_EGRESS;
}

/*
 * The napi_macvlan device named in @tb and its slot for the direction in
 * @tb; caller holds RTNL.
 */
static struct net_device *igtb_attr_dev(struct net *net, struct nlattr **tb,
					struct igtb_slot **slot,
					struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	bool from_host;

	if (tb[IGTB_A_IFINDEX] && tb[IGTB_A_IFNAME]) {
		NL_SET_ERR_MSG(extack, "ifindex and ifname both given");
		return ERR_PTR(-EINVAL);
	}
	if (tb[IGTB_A_IFINDEX]) {
		dev = __dev_get_by_index(net, nla_get_u32(tb[IGTB_A_IFINDEX]));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IGTB_A_IFINDEX],
					    "no device with this ifindex in the namespace");
			return ERR_PTR(-ENODEV);
		}
	} else if (tb[IGTB_A_IFNAME]) {
		dev = __dev_get_by_name(net, nla_data(tb[IGTB_A_IFNAME]));
		if (!dev) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IGTB_A_IFNAME],
					    "no device with this name in the namespace");
			return ERR_PTR(-ENODEV);
		}
	} else {
		NL_SET_ERR_MSG(extack, "no device given: need ifindex or ifname");
		return ERR_PTR(-EINVAL);
	}
	*slot = igtb_dev_slot(dev, igtb_attr_egress(tb), &from_host);
	if (!*slot) {
		NL_SET_ERR_MSG(extack, "device is not a napi_macvlan");
		return ERR_PTR(-EOPNOTSUPP);
	}
	if (!from_host) {
		NL_SET_ERR_MSG(extack,
			       "igtb profiles are the host's: ask from the initial network namespace or the lower device's");
		return ERR_PTR(-EPERM);
	}
	return dev;
}

static int igtb_put_stats(struct sk_buff *msg, const struct igtb_slot *slot,
			  bool egress)
{
	struct igtb_stats st;
	struct nlattr *nest;

	igtb_slot_stats(slot, &st);
	nest = nla_nest_start(msg, IGTB_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(msg, IGTB_STATS_CONFORM_PACKETS,
			      st.conform_packets, IGTB_STATS_PAD) ||
	    nla_put_u64_64bit(msg, IGTB_STATS_CONFORM_BYTES,
			      st.conform_bytes, IGTB_STATS_PAD) ||
	    nla_put_u64_64bit(msg, IGTB_STATS_EXCEED_PACKETS,
			      st.exceed_packets, IGTB_STATS_PAD) ||
	    nla_put_u64_64bit(msg, IGTB_STATS_EXCEED_BYTES,
			      st.exceed_bytes, IGTB_STATS_PAD) ||
	    (egress &&
	     (nla_put_u64_64bit(msg, IGTB_STATS_DELAYED_PACKETS,
				st.delayed_packets, IGTB_STATS_PAD) ||
	      nla_put_u64_64bit(msg, IGTB_STATS_DELAY_NS,
				st.delay_ns, IGTB_STATS_PAD)))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int igtb_put_config(struct sk_buff *msg, const struct igtb_config *cfg)
{
	if (cfg->rate &&
	    (nla_put_u64_64bit(msg, IGTB_A_RATE, cfg->rate, IGTB_A_PAD) ||
	     nla_put_u32(msg, IGTB_A_BURST, cfg->burst)))
		return -EMSGSIZE;
	if (cfg->pkt_rate &&
	    (nla_put_u64_64bit(msg, IGTB_A_PKT_RATE, cfg->pkt_rate, IGTB_A_PAD) ||
	     nla_put_u32(msg, IGTB_A_PKT_BURST, cfg->pkt_burst)))
		return -EMSGSIZE;
	if (nla_put_u32(msg, IGTB_A_OVERHEAD, cfg->overhead) ||
	    nla_put_u32(msg, IGTB_A_ACTION, cfg->action))
		return -EMSGSIZE;
	if (cfg->action == IGTB_ACTION_MARK &&
	    nla_put_u32(msg, IGTB_A_MARK, cfg->mark))
		return -EMSGSIZE;
	if (cfg->action == IGTB_ACTION_SHAPE &&
	    nla_put_u32(msg, IGTB_A_LATENCY, cfg->latency_us))
		return -EMSGSIZE;
	return 0;
}

/*
 * One message about @dev.  @ref is the namespace the reader sees nsids
 * from; IGTB_A_NETNS_ID is present when the device lives elsewhere.
 */
static int igtb_fill(struct sk_buff *msg, u32 portid, u32 seq, int flags,
		     u8 cmd, struct net *ref, struct net_device *dev,
		     const struct igtb_slot *slot, bool egress)
{
	const struct igtb_profile *prof = rtnl_dereference(slot->profile);
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &igtb_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(msg, IGTB_A_IFINDEX, dev->ifindex) ||
	    nla_put_string(msg, IGTB_A_IFNAME, dev->name) ||
	    nla_put_u32(msg, IGTB_A_DIR,
			egress ? IGTB_DIR_EGRESS : IGTB_DIR_INGRESS))
		goto err;
	if (!net_eq(ref, dev_net(dev)) &&
	    nla_put_s32(msg, IGTB_A_NETNS_ID,
			peernet2id_alloc(ref, dev_net(dev), GFP_KERNEL)))
		goto err;
	if (prof && igtb_put_config(msg, &prof->cfg))
		goto err;
	if (igtb_put_stats(msg, slot, egress))
		goto err;
	genlmsg_end(msg, hdr);
	return 0;
err:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/* Tell init_net's privileged listeners about a change; RTNL held. */
static void igtb_notify(u8 cmd, struct net_device *dev,
			const struct igtb_slot *slot, bool egress)
{
	struct sk_buff *msg;

	if (!IGTB_HAVE_MCAST_CAP ||
	    !genl_has_listeners(&igtb_family, &init_net, IGTB_MCGRP_CONFIG_IDX))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (igtb_fill(msg, 0, 0, 0, cmd, &init_net, dev, slot, egress)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&igtb_family, &init_net, msg, 0,
				IGTB_MCGRP_CONFIG_IDX, GFP_KERNEL);
}

static int igtb_parse_config(struct genl_info *info, struct igtb_config *cfg)
{
	struct nlattr **tb = info->attrs;

	memset(cfg, 0, sizeof(*cfg));
	if (tb[IGTB_A_RATE])
		cfg->rate = nla_get_u64(tb[IGTB_A_RATE]);
	if (tb[IGTB_A_BURST]) {
		cfg->burst = nla_get_u32(tb[IGTB_A_BURST]);
		if (!cfg->burst) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[IGTB_A_BURST],
					    "burst smaller than one full-size frame (MTU + 14 bytes + overhead) lets no such frame conform");
			return -EINVAL;
		}
	}
	if (tb[IGTB_A_PKT_RATE])
		cfg->pkt_rate = nla_get_u64(tb[IGTB_A_PKT_RATE]);
	if (tb[IGTB_A_PKT_BURST]) {
		cfg->pkt_burst = nla_get_u32(tb[IGTB_A_PKT_BURST]);
		if (!cfg->pkt_burst) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[IGTB_A_PKT_BURST],
					    "packet burst must be at least 1");
			return -EINVAL;
		}
	}
	if (tb[IGTB_A_OVERHEAD])
		cfg->overhead = nla_get_u32(tb[IGTB_A_OVERHEAD]);
	if (tb[IGTB_A_ACTION])
		cfg->action = nla_get_u32(tb[IGTB_A_ACTION]);
	if (tb[IGTB_A_MARK])
		cfg->mark = nla_get_u32(tb[IGTB_A_MARK]);
	cfg->egress = igtb_attr_egress(tb);
	/* an egress profile shapes unless told otherwise */
	if (cfg->egress && !tb[IGTB_A_ACTION])
		cfg->action = IGTB_ACTION_SHAPE;
	if (tb[IGTB_A_LATENCY])
		cfg->latency_us = nla_get_u32(tb[IGTB_A_LATENCY]);
	return 0;
}

static int igtb_cmd_set(struct sk_buff *skb, struct genl_info *info)
{
	struct igtb_profile *prof;
	struct igtb_config cfg;
	struct net_device *dev;
	struct igtb_slot *slot;
	struct net *net;
	int err;

	err = igtb_parse_config(info, &cfg);
	if (err)
		return err;
	net = igtb_attr_net(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(net))
		return PTR_ERR(net);

	rtnl_lock();
	dev = igtb_attr_dev(net, info->attrs, &slot, info->extack);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out;
	}
	err = igtb_config_complete(&cfg, dev->mtu, info->extack);
	if (err)
		goto out;
	prof = igtb_profile_create(&cfg);
	if (!prof) {
		err = -ENOMEM;
		goto out;
	}
	igtb_slot_replace(slot, prof);
	igtb_notify(IGTB_CMD_SET, dev, slot, cfg.egress);
out:
	rtnl_unlock();
	put_net(net);
	return err;
}

static int igtb_cmd_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct igtb_slot *slot;
	struct net *net;
	int err = 0;

	net = igtb_attr_net(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(net))
		return PTR_ERR(net);

	rtnl_lock();
	dev = igtb_attr_dev(net, info->attrs, &slot, info->extack);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto out;
	}
	if (!rtnl_dereference(slot->profile)) {
		NL_SET_ERR_MSG(info->extack, "device has no igtb profile");
		err = -ENOENT;
		goto out;
	}
	igtb_notify(IGTB_CMD_DEL, dev, slot, igtb_attr_egress(info->attrs));
	igtb_slot_replace(slot, NULL);
out:
	rtnl_unlock();
	put_net(net);
	return err;
}

static int igtb_cmd_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct igtb_slot *slot;
	struct sk_buff *msg;
	struct net *net;
	int err;

	net = igtb_attr_net(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(net))
		return PTR_ERR(net);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		put_net(net);
		return -ENOMEM;
	}

	rtnl_lock();
	dev = igtb_attr_dev(net, info->attrs, &slot, info->extack);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
		goto err;
	}
	if (!rtnl_dereference(slot->profile)) {
		NL_SET_ERR_MSG(info->extack, "device has no igtb profile");
		err = -ENOENT;
		goto err;
	}
	err = igtb_fill(msg, info->snd_portid, info->snd_seq, 0, IGTB_CMD_GET,
			genl_info_net(info), dev, slot,
			igtb_attr_egress(info->attrs));
	if (err)
		goto err;
	rtnl_unlock();
	put_net(net);
	return genlmsg_reply(msg, info);
err:
	rtnl_unlock();
	put_net(net);
	nlmsg_free(msg);
	return err;
}

/*
 * Dump state in cb->args: [0] namespaces done, [1] devices done in the
 * current one, [2] the namespace filter (a struct net *, with a reference)
 * or 0 for all namespaces, [3] set once the request was checked.  The
 * check runs in the first dumpit call rather than in .start, because 6.1
 * gives .start no extack to explain a rejection with.
 */
static int igtb_dump_check(struct netlink_callback *cb)
{
	struct nlattr **tb = igtb_dump_attrs(cb);
	struct net *net;

	cb->args[3] = 1;
	if (tb[IGTB_A_IFINDEX] || tb[IGTB_A_IFNAME]) {
		NL_SET_ERR_MSG(cb->extack, "a dump takes no device; use GET without NLM_F_DUMP");
		return -EINVAL;
	}
	if (!tb[IGTB_A_NETNS_FD] && !tb[IGTB_A_NETNS_ID] && !tb[IGTB_A_NETNS_PID])
		return 0;
	net = igtb_attr_net(sock_net(cb->skb->sk), tb, cb->extack);
	if (IS_ERR(net))
		return PTR_ERR(net);
	cb->args[2] = (long)net;
	return 0;
}

static int igtb_dump_done(struct netlink_callback *cb)
{
	struct net *net = (struct net *)cb->args[2];

	if (net)
		put_net(net);
	return 0;
}

/* Dump @net's devices with a profile from the cb->args[1]th on. */
static int igtb_dump_net(struct sk_buff *msg, struct netlink_callback *cb,
			 struct net *net)
{
	struct net_device *dev;
	long idx = 0;
	int err;

	/* two entries per device: its ingress, then its egress profile */
	for_each_netdev(net, dev) {
		int egress;

		for (egress = 0; egress < 2; egress++) {
			struct igtb_slot *slot;
			bool from_host;

			if (idx++ < cb->args[1])
				continue;
			/* a dump shows only what the requester could GET */
			slot = igtb_dev_slot(dev, egress, &from_host);
			if (slot && from_host &&
			    rtnl_dereference(slot->profile)) {
				err = igtb_fill(msg, NETLINK_CB(cb->skb).portid,
						cb->nlh->nlmsg_seq, NLM_F_MULTI,
						IGTB_CMD_GET,
						sock_net(cb->skb->sk), dev,
						slot, egress);
				if (err)
					return err;
			}
			cb->args[1] = idx;
		}
	}
	return 0;
}

static int igtb_dump(struct sk_buff *msg, struct netlink_callback *cb)
{
	struct net *filter, *net;
	long nidx = 0;
	int err = 0;

	if (!cb->args[3]) {
		err = igtb_dump_check(cb);
		if (err)
			return err;
	}
	filter = (struct net *)cb->args[2];
	rtnl_lock();
	if (filter) {
		err = igtb_dump_net(msg, cb, filter);
		goto out;
	}
	/* net_rwsem keeps the list of namespaces stable; it nests in RTNL */
	down_read(&net_rwsem);
	for_each_net(net) {
		if (nidx++ < cb->args[0])
			continue;
		err = igtb_dump_net(msg, cb, net);
		if (err)
			break;
		cb->args[0] = nidx;
		cb->args[1] = 0;
	}
	up_read(&net_rwsem);
out:
	rtnl_unlock();
	/* a full message: more to come in the next call */
	if (err == -EMSGSIZE && msg->len)
		return msg->len;
	return err ? err : msg->len;
}

static const struct genl_ops igtb_ops[] = {
	{
		.cmd	= IGTB_CMD_SET,
		.doit	= igtb_cmd_set,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= IGTB_CMD_GET,
		.doit	= igtb_cmd_get,
		.dumpit	= igtb_dump,
		.done	= igtb_dump_done,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= IGTB_CMD_DEL,
		.doit	= igtb_cmd_del,
		.flags	= GENL_ADMIN_PERM,
	},
};

static struct genl_family igtb_family __ro_after_init = {
	.name		= IGTB_GENL_NAME,
	.version	= IGTB_GENL_VERSION,
	.maxattr	= IGTB_A_MAX,
	.policy		= igtb_policy,
	.netnsok	= true,
	/* every op takes RTNL itself; no need for genl_mutex */
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= igtb_ops,
	.n_ops		= ARRAY_SIZE(igtb_ops),
	.resv_start_op	= IGTB_CMD_DEL + 1,
#if IGTB_HAVE_MCAST_CAP
	.mcgrps		= igtb_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(igtb_mcgrps),
#endif
};

/*
 * A device with a profile is being destroyed (not just moved to another
 * namespace): drop the profile now and tell the listeners.
 */
static int igtb_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct igtb_slot *slot;
	int egress;

	if (event != NETDEV_UNREGISTER || dev->reg_state != NETREG_UNREGISTERING)
		return NOTIFY_DONE;
	for (egress = 0; egress < 2; egress++) {
		slot = igtb_dev_slot(dev, egress, NULL);
		if (!slot || !rtnl_dereference(slot->profile))
			continue;
		igtb_notify(IGTB_CMD_DEL, dev, slot, egress);
		igtb_slot_replace(slot, NULL);
	}
	return NOTIFY_DONE;
}

static struct notifier_block igtb_netdev_nb = {
	.notifier_call = igtb_netdev_event,
};

static int __init igtb_init(void)
{
	int err;

	err = igtb_core_init();
	if (err)
		return err;
	err = register_netdevice_notifier(&igtb_netdev_nb);
	if (err)
		goto err_core;
	err = genl_register_family(&igtb_family);
	if (err)
		goto err_notifier;
	return 0;

err_notifier:
	unregister_netdevice_notifier(&igtb_netdev_nb);
err_core:
	igtb_core_exit();
	return err;
}

static void __exit igtb_exit(void)
{
	genl_unregister_family(&igtb_family);
	unregister_netdevice_notifier(&igtb_netdev_nb);
	igtb_core_exit();
}

module_init(igtb_init);
module_exit(igtb_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Device-level token-bucket policer and egress shaper (igtb)");
MODULE_ALIAS_GENL_FAMILY(IGTB_GENL_NAME);
/* from packaging/version.sh, set by igtb/Kbuild */
MODULE_VERSION(IGTB_VERSION);
