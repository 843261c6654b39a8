/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * napi_macvlan: macvlan-style virtual device whose packets never go through
 * the per-CPU backlog queue.  Link attributes (IFLA_INFO_DATA) and extended
 * statistics (IFLA_INFO_XSTATS), shared by the driver, vrctl and the iproute2
 * link plugin.
 */
#ifndef _UAPI_LINUX_NAPI_MACVLAN_H
#define _UAPI_LINUX_NAPI_MACVLAN_H

#include <linux/types.h>

#define NAPI_MACVLAN_KIND	"napi_macvlan"

/* Same values and meaning as enum macvlan_mode in <linux/if_link.h>. */
enum napi_macvlan_mode {
	NAPI_MACVLAN_MODE_PRIVATE	= 1,	/* no traffic to other devices */
	NAPI_MACVLAN_MODE_VEPA		= 2,	/* everything goes to the lower */
	NAPI_MACVLAN_MODE_BRIDGE	= 4,	/* local traffic switched in-host */
	NAPI_MACVLAN_MODE_PASSTHRU	= 8,	/* one device owns the lower */
};

/* IFLA_NAPI_MACVLAN_FLAGS bits */
#define NAPI_MACVLAN_F_SPOOFCHK	(1U << 0) /* drop TX whose source MAC != own */
#define NAPI_MACVLAN_F_MACLOCK	(1U << 1) /* MAC changes need init-ns admin */
#define NAPI_MACVLAN_F_ALL	(NAPI_MACVLAN_F_SPOOFCHK | NAPI_MACVLAN_F_MACLOCK)

/*
 * IFLA_NAPI_MACVLAN_LOCAL: how frames from another device on the same lower
 * reach this one.  RING: through this device's ring and NAPI (its own
 * context, a queue in between).  DIRECT: up this device's stack in the
 * sender's context, no queue, when that is safe (README "Local delivery").
 */
enum napi_macvlan_local {
	NAPI_MACVLAN_LOCAL_RING		= 0,
	NAPI_MACVLAN_LOCAL_DIRECT	= 1,
};

/*
 * IFLA_NAPI_MACVLAN_RXMODE: where a frame from the lower for this device
 * goes up the stack after its MAC lookup and igtb check, which always run
 * in the lower's NAPI poll.
 */
enum napi_macvlan_rxmode {
	NAPI_MACVLAN_RXMODE_DIRECT	= 0,	/* right there, in the lower's NAPI */
	NAPI_MACVLAN_RXMODE_THREAD	= 1,	/* into the device's ring, served by
						 * its own NAPI kernel thread
						 * (napi/<dev>-<id>), which the
						 * operator places in a cgroup
						 */
};

#define NAPI_MACVLAN_RING_MIN		16
#define NAPI_MACVLAN_RING_DEFAULT	256
#define NAPI_MACVLAN_RING_MAX		16384

enum {
	IFLA_NAPI_MACVLAN_UNSPEC,
	IFLA_NAPI_MACVLAN_MODE,		/* u32, enum napi_macvlan_mode */
	IFLA_NAPI_MACVLAN_RING_SIZE,	/* u32, entries of the local-traffic ring */
	IFLA_NAPI_MACVLAN_FLAGS,	/* u32, NAPI_MACVLAN_F_* */
	IFLA_NAPI_MACVLAN_LOCAL,	/* u32, enum napi_macvlan_local */
	IFLA_NAPI_MACVLAN_RXMODE,	/* u32, enum napi_macvlan_rxmode */
	IFLA_NAPI_MACVLAN_THREAD_PID,	/* u32, read-only: pid of the NAPI
					 * thread in rxmode thread, in the
					 * reader's pid namespace; 0 if none
					 * or not visible there
					 */
	__IFLA_NAPI_MACVLAN_MAX,
};

#define IFLA_NAPI_MACVLAN_MAX (__IFLA_NAPI_MACVLAN_MAX - 1)

/*
 * Per-drop-location counters, nested in IFLA_LINKINFO/IFLA_INFO_XSTATS of
 * RTM_NEWLINK replies, all u64.  The same names appear in `ethtool -S`.
 */
enum {
	NAPI_MACVLAN_XSTATS_UNSPEC,
	NAPI_MACVLAN_XSTATS_PAD,
	NAPI_MACVLAN_XSTATS_RX_DIRECT,	 /* delivered in the lower's NAPI context */
	NAPI_MACVLAN_XSTATS_RX_RING,	 /* delivered through this device's ring */
	NAPI_MACVLAN_XSTATS_RX_RING_FULL, /* dropped: ring full at enqueue */
	NAPI_MACVLAN_XSTATS_RX_POLICED,	 /* dropped: igtb non-conforming */
	NAPI_MACVLAN_XSTATS_RX_FILTERED, /* dropped: mode / multicast filter */
	NAPI_MACVLAN_XSTATS_RX_NOMEM,	 /* dropped: clone/alloc failure */
	NAPI_MACVLAN_XSTATS_TX_SPOOFED,	 /* dropped: spoofed source MAC */
	NAPI_MACVLAN_XSTATS_TX_DROPPED,	 /* dropped: lower refused the packet */
	NAPI_MACVLAN_XSTATS_TX_SHAPED,	 /* egress profile: frames delayed */
	NAPI_MACVLAN_XSTATS_TX_SHAPE_DELAY_US, /* their total delay, us */
	NAPI_MACVLAN_XSTATS_TX_POLICED,	 /* dropped: egress profile (police,
					  * or shape beyond its latency)
					  */
	NAPI_MACVLAN_XSTATS_RX_LOCAL_DIRECT, /* delivered in a local sender's context */
	NAPI_MACVLAN_XSTATS_RX_LOCAL_DEEP, /* local direct too deeply nested: ring */
	NAPI_MACVLAN_XSTATS_RX_BC_QUEUE_FULL, /* port-wide (the lower's, the
					       * same on each of its devices):
					       * broadcast/multicast frames
					       * dropped, broadcast queue full
					       */
	NAPI_MACVLAN_XSTATS_RX_BC_NOMEM, /* port-wide: their clone failed */
	NAPI_MACVLAN_XSTATS_RX_BC_CTL,	 /* port-wide: broadcast/multicast
					  * control frames (ARP, DHCP, IPv6
					  * ND, DHCPv6) queued in their own
					  * queue
					  */
	NAPI_MACVLAN_XSTATS_RX_BC_CTL_QUEUE_FULL, /* port-wide: control frames
						   * dropped, their queue full
						   */
	__NAPI_MACVLAN_XSTATS_MAX,
};

#define NAPI_MACVLAN_XSTATS_MAX (__NAPI_MACVLAN_XSTATS_MAX - 1)

#endif /* _UAPI_LINUX_NAPI_MACVLAN_H */
