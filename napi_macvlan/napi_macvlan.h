/* SPDX-License-Identifier: GPL-2.0 */
/*
 * napi_macvlan: a macvlan-style virtual device whose packets never pass
 * through the per-CPU backlog queue (netif_rx / enqueue_to_backlog).
 *
 * Packets from the outside are handed over inside the lower device's NAPI
 * poll (rx_handler, no queue).  Packets between two devices on the same
 * lower go through a bounded ring owned by the receiving device and drained
 * by the receiver's own NAPI instance, so an overloaded receiver drops at
 * enqueue, before any stack work was spent on the packet, and only its own
 * traffic suffers; or, for a receiver set to "local direct", straight up
 * the receiver's stack in the sender's context when that is safe (local.c).
 */
#ifndef _NAPI_MACVLAN_H
#define _NAPI_MACVLAN_H

#include <linux/etherdevice.h>
#include <linux/if_link.h>
#include <linux/netdevice.h>
#include <linux/ptr_ring.h>
#include <linux/rculist.h>
#include <linux/u64_stats_sync.h>
#include <net/rtnetlink.h>

#include <linux/napi_macvlan.h>
#include <napi_macvlan_compat.h>
#include <igtb.h>

#define NAPI_MACVLAN_HASH_BITS		8
#define NAPI_MACVLAN_HASH_SIZE		BIT(NAPI_MACVLAN_HASH_BITS)
#define NAPI_MACVLAN_MC_FILTER_BITS	8
#define NAPI_MACVLAN_MC_FILTER_SZ	BIT(NAPI_MACVLAN_MC_FILTER_BITS)
/*
 * the port's broadcast queues (bcast.c): frames of the bulk queue and of
 * the control queue (ARP, DHCP, IPv6 ND, DHCPv6), and frames per NAPI poll
 */
#define NAPI_MACVLAN_BC_QUEUE_LEN	1000
#define NAPI_MACVLAN_BC_CTL_QUEUE_LEN	256
#define NAPI_MACVLAN_BC_WEIGHT		16

/* xstats are stored by id, starting at the first real counter */
#define NAPI_MACVLAN_XSTATS_FIRST	NAPI_MACVLAN_XSTATS_RX_DIRECT
#define NAPI_MACVLAN_NUM_XSTATS		(__NAPI_MACVLAN_XSTATS_MAX - \
					 NAPI_MACVLAN_XSTATS_FIRST)
#define NAPI_MACVLAN_XS(id)		((id) - NAPI_MACVLAN_XSTATS_FIRST)

/*
 * Per-CPU counters.  Writers run with BH disabled (rx_handler, NAPI poll,
 * ndo_start_xmit), so the writers of one CPU never nest; @syncp only
 * matters to 32-bit readers.
 */
struct napi_macvlan_pcpu_stats {
	u64_stats_t		rx_packets;
	u64_stats_t		rx_bytes;
	u64_stats_t		rx_multicast;
	u64_stats_t		tx_packets;
	u64_stats_t		tx_bytes;
	u64_stats_t		xstats[NAPI_MACVLAN_NUM_XSTATS];
	struct u64_stats_sync	syncp;
};

/*
 * One per lower device, hanging off lower->rx_handler_data.  @vlans and
 * @hash are written under RTNL and read under RCU by the data path.
 */
struct napi_macvlan_port {
	struct net_device	*dev;		/* the lower device */
	struct list_head	vlans;		/* all devices, RCU */
	struct hlist_head	hash[NAPI_MACVLAN_HASH_SIZE]; /* up devices */
	unsigned int		count;		/* devices, RTNL */
	bool			passthru;	/* RTNL; RCU readers see it
						 * before any device is up
						 */

	/*
	 * Broadcast/multicast frames from the outside (bcast.c): the
	 * lower's rx_handler (producers, on any CPU, under a ring's
	 * producer spinlock) queues one clone per frame, control frames
	 * in @bc_ctl_ring, the others in @bc_ring; @bc_napi (the one
	 * consumer of both, lockless) delivers the copies.  @bc_masked is
	 * true while @bc_napi is scheduled, like
	 * napi_macvlan_dev.rx_notify_masked.
	 */
	struct ptr_ring		bc_ring;
	struct ptr_ring		bc_ctl_ring;
	struct napi_struct	bc_napi;
	struct net_device	*bc_napi_dev;	/* dummy, holds @bc_napi */
	bool			bc_masked;
	atomic_long_t		bc_queue_full;	/* drops: @bc_ring full */
	atomic_long_t		bc_nomem;	/* drops: clone failed */
	atomic_long_t		bc_ctl;		/* control frames queued */
	atomic_long_t		bc_ctl_full;	/* drops: @bc_ctl_ring full */
	struct rcu_head		rcu;
};

struct napi_macvlan_dev {
	struct net_device		*dev;
	struct net_device		*lowerdev;
	struct napi_macvlan_port	*port;
	netdevice_tracker		dev_tracker;
	struct list_head		list;	/* port->vlans, RCU */
	struct hlist_node		hlist;	/* port->hash while up, RCU */

	/* read locklessly by the data path, written under RTNL */
	u32				mode;
	u32				flags;
	u32				ring_size;
	u32				local;	/* enum napi_macvlan_local */
	u32				rxmode;	/* enum napi_macvlan_rxmode */

	/* the NAPI thread while in rxmode thread, see thread.c; RTNL */
	struct pid			*thread_pid;
	/* turns threading back on when it was turned off behind our back */
	struct work_struct		thread_work;

	/*
	 * Local-traffic ring: many producers (senders' ndo_start_xmit, under
	 * the ring's producer spinlock), one consumer (this device's NAPI
	 * poll, lockless).  @rx_notify_masked is true while the NAPI is
	 * scheduled; producers skip napi_schedule_prep() then.
	 */
	struct ptr_ring			ring;
	struct napi_struct		napi;
	bool				rx_notify_masked;

	/* multicast filter, see napi_macvlan_set_rx_mode() */
	DECLARE_BITMAP(mc_filter, NAPI_MACVLAN_MC_FILTER_SZ);

	netdev_features_t		set_features;
	struct napi_macvlan_pcpu_stats __percpu *pcpu_stats;
	struct igtb_slot		igtb;
	struct igtb_egress		egress;	/* egress profile, shaper */
};

/* frames for @v from the lower go through its ring to its NAPI thread */
static inline bool napi_macvlan_rx_threaded(const struct napi_macvlan_dev *v)
{
	return READ_ONCE(v->rxmode) == NAPI_MACVLAN_RXMODE_THREAD;
}

static inline bool napi_macvlan_is_passthru(const struct napi_macvlan_dev *v)
{
	return v->mode == NAPI_MACVLAN_MODE_PASSTHRU;
}

/* main.c */
extern struct rtnl_link_ops napi_macvlan_link_ops;
bool napi_macvlan_owns_lower(const struct net_device *lower);
bool napi_macvlan_from_host(const struct napi_macvlan_dev *vlan);

/* device.c */
void napi_macvlan_setup(struct net_device *dev);
bool napi_macvlan_addr_busy(const struct napi_macvlan_port *port,
			    const unsigned char *addr);
void napi_macvlan_inherit_lower(struct net_device *dev);

/* port.c */
bool napi_macvlan_is_port(const struct net_device *lower);
struct napi_macvlan_port *napi_macvlan_port_get_rtnl(const struct net_device *l);
int napi_macvlan_port_create(struct net_device *lower,
			     struct napi_macvlan_port **portp);
void napi_macvlan_port_destroy(struct napi_macvlan_port *port);
struct napi_macvlan_dev *
napi_macvlan_hash_lookup(const struct napi_macvlan_port *port,
			 const unsigned char *addr);
void napi_macvlan_hash_add(struct napi_macvlan_dev *vlan);
void napi_macvlan_hash_del(struct napi_macvlan_dev *vlan, bool sync);
unsigned int napi_macvlan_mc_hash(const unsigned char *addr);

/* hands one frame (or segment) to @vlan, consumes it; true if delivered */
typedef bool (*napi_macvlan_deliver_t)(struct napi_macvlan_dev *vlan,
				       struct sk_buff *skb);

/* receive.c */
rx_handler_result_t napi_macvlan_handle_frame(struct sk_buff **pskb);
void napi_macvlan_rx_multicast(struct napi_macvlan_port *port,
			       struct sk_buff *skb);
void napi_macvlan_count_rx(struct napi_macvlan_dev *vlan, unsigned int len,
			   bool multicast, int xstat);
void napi_macvlan_count(struct napi_macvlan_dev *vlan, int xstat);
bool napi_macvlan_police_segs(struct napi_macvlan_dev *vlan,
			      struct sk_buff *segs,
			      napi_macvlan_deliver_t deliver);

/* bcast.c */
int napi_macvlan_bc_init(struct napi_macvlan_port *port);
void napi_macvlan_bc_destroy(struct napi_macvlan_port *port);
void napi_macvlan_bc_enqueue(struct napi_macvlan_port *port,
			     struct sk_buff *skb);
void napi_macvlan_bc_xstats(const struct napi_macvlan_port *port, u64 *out);

/* ring.c */
int napi_macvlan_ring_init(struct napi_macvlan_dev *vlan);
void napi_macvlan_ring_free(struct napi_macvlan_dev *vlan);
int napi_macvlan_ring_resize(struct napi_macvlan_dev *vlan, u32 size);
void napi_macvlan_ring_open(struct napi_macvlan_dev *vlan);
void napi_macvlan_ring_stop(struct napi_macvlan_dev *vlan);
void napi_macvlan_ring_napi_add(struct napi_macvlan_dev *vlan);
bool napi_macvlan_local_police(struct napi_macvlan_dev *rcv,
			       struct sk_buff *skb,
			       napi_macvlan_deliver_t deliver);
bool napi_macvlan_ring_enqueue(struct napi_macvlan_dev *rcv,
			       struct sk_buff *skb);
void napi_macvlan_ring_push(struct napi_macvlan_dev *rcv, struct sk_buff *skb);

/* thread.c */
int napi_macvlan_set_rxmode(struct napi_macvlan_dev *vlan, u32 rxmode);
void napi_macvlan_thread_release(struct napi_macvlan_dev *vlan);
u32 napi_macvlan_thread_pid(const struct napi_macvlan_dev *vlan);
void napi_macvlan_thread_work(struct work_struct *work);
bool napi_macvlan_thread_lost(struct napi_macvlan_dev *vlan);

/* local.c */
bool napi_macvlan_local_src_ok(const struct napi_macvlan_dev *src,
			       const struct sk_buff *skb);
bool napi_macvlan_local_xmit(struct napi_macvlan_dev *rcv,
			     struct sk_buff *skb, bool src_ok);

/* send.c */
netdev_tx_t napi_macvlan_start_xmit(struct sk_buff *skb,
				    struct net_device *dev);
void napi_macvlan_egress_xmit(struct igtb_egress *eg, struct sk_buff *skb);

/* ethtool.c */
extern const struct ethtool_ops napi_macvlan_ethtool_ops;
void napi_macvlan_xstats_sum(const struct napi_macvlan_dev *vlan, u64 *out);

#endif /* _NAPI_MACVLAN_H */
