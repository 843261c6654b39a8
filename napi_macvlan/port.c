// SPDX-License-Identifier: GPL-2.0
/*
 * The port: per-lower state reached from the lower's rx_handler_data, and
 * the destination-MAC hash of its devices that are up.
 */
#include <linux/hash.h>
#include <linux/slab.h>

#include "napi_macvlan.h"

/*
 * A lower is ours when its rx_handler is ours: no priv_flags bit is free
 * for an out-of-tree driver, and the rx_handler slot is exclusive anyway.
 */
bool napi_macvlan_is_port(const struct net_device *lower)
{
	return rcu_access_pointer(lower->rx_handler) ==
	       napi_macvlan_handle_frame;
}

struct napi_macvlan_port *napi_macvlan_port_get_rtnl(const struct net_device *l)
{
	return rtnl_dereference(l->rx_handler_data);
}

static u32 napi_macvlan_addr_hash(const unsigned char *addr)
{
	u64 v = ether_addr_to_u64(addr);

	return hash_64(v, NAPI_MACVLAN_HASH_BITS);
}

unsigned int napi_macvlan_mc_hash(const unsigned char *addr)
{
	return hash_64(ether_addr_to_u64(addr), NAPI_MACVLAN_MC_FILTER_BITS);
}

int napi_macvlan_port_create(struct net_device *lower,
			     struct napi_macvlan_port **portp)
{
	struct napi_macvlan_port *port;
	unsigned int i;
	int err;

	ASSERT_RTNL();
	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return -ENOMEM;
	port->dev = lower;
	INIT_LIST_HEAD(&port->vlans);
	for (i = 0; i < NAPI_MACVLAN_HASH_SIZE; i++)
		INIT_HLIST_HEAD(&port->hash[i]);

	err = napi_macvlan_bc_init(port);
	if (err) {
		kfree(port);
		return err;
	}
	err = netdev_rx_handler_register(lower, napi_macvlan_handle_frame,
					 port);
	if (err) {
		napi_macvlan_bc_destroy(port);
		kfree(port);
		return err;
	}
	*portp = port;
	return 0;
}

/* Called under RTNL once the last device of @port is gone. */
void napi_macvlan_port_destroy(struct napi_macvlan_port *port)
{
	struct net_device *lower = port->dev;

	ASSERT_RTNL();
	/* waits for rx_handler readers before clearing rx_handler_data */
	netdev_rx_handler_unregister(lower);
	/* no producer is left: stop the broadcast NAPI, free its queue */
	napi_macvlan_bc_destroy(port);
	/* readers that fetched @port under RCU may still walk it */
	kfree_rcu(port, rcu);
}

/* Caller holds rcu_read_lock() (any RX or TX context) or RTNL. */
struct napi_macvlan_dev *
napi_macvlan_hash_lookup(const struct napi_macvlan_port *port,
			 const unsigned char *addr)
{
	u32 idx = napi_macvlan_addr_hash(addr);
	struct napi_macvlan_dev *vlan;

	hlist_for_each_entry_rcu(vlan, &port->hash[idx], hlist,
				 lockdep_rtnl_is_held()) {
		if (ether_addr_equal_64bits(vlan->dev->dev_addr, addr))
			return vlan;
	}
	return NULL;
}

void napi_macvlan_hash_add(struct napi_macvlan_dev *vlan)
{
	u32 idx = napi_macvlan_addr_hash(vlan->dev->dev_addr);

	ASSERT_RTNL();
	hlist_add_head_rcu(&vlan->hlist, &vlan->port->hash[idx]);
}

/*
 * @sync: wait until no reader can still hold @vlan from the hash.  Skipped
 * while the device is dismantled, unregister_netdevice_many() waits then.
 */
void napi_macvlan_hash_del(struct napi_macvlan_dev *vlan, bool sync)
{
	ASSERT_RTNL();
	hlist_del_init_rcu(&vlan->hlist);
	if (sync)
		synchronize_net();
}
