/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * igtb: device-level token-bucket policer (ingress) and shaper or policer
 * (egress), generic netlink API.
 * The YAML description is kmod/netlink/igtb.yaml.
 */
#ifndef _UAPI_LINUX_IGTB_H
#define _UAPI_LINUX_IGTB_H

#include <linux/types.h>

#define IGTB_GENL_NAME		"igtb"
#define IGTB_GENL_VERSION	1
#define IGTB_MCGRP_CONFIG	"config"

enum igtb_cmd {
	IGTB_CMD_UNSPEC,
	IGTB_CMD_SET,	/* create or replace a profile; also a notification */
	IGTB_CMD_GET,	/* one profile (doit) or all (dumpit), with statistics */
	IGTB_CMD_DEL,	/* remove a profile; also a notification */
	__IGTB_CMD_MAX,
};

#define IGTB_CMD_MAX (__IGTB_CMD_MAX - 1)

enum igtb_action {
	IGTB_ACTION_DROP,	/* default: non-conforming packets are dropped */
	IGTB_ACTION_MARK,	/* non-conforming packets get skb->mark = IGTB_A_MARK */
	IGTB_ACTION_SHAPE,	/* egress only, its default: delay, drop beyond latency */
};

/* IGTB_A_DIR: which of a device's two profiles a request is about */
enum igtb_dir {
	IGTB_DIR_INGRESS,	/* default: received frames, policed */
	IGTB_DIR_EGRESS,	/* sent frames, shaped or policed */
};

enum {
	IGTB_A_UNSPEC,
	IGTB_A_PAD,
	IGTB_A_IFINDEX,		/* u32 */
	IGTB_A_IFNAME,		/* string */
	IGTB_A_NETNS_FD,	/* u32, fd of the device's network namespace */
	IGTB_A_NETNS_ID,	/* s32, nsid as seen from the caller's namespace */
	IGTB_A_NETNS_PID,	/* u32, a process in the device's namespace */
	IGTB_A_RATE,		/* u64, bits per second; 0 or absent: no byte bucket */
	IGTB_A_BURST,		/* u32, bytes */
	IGTB_A_PKT_RATE,	/* u64, packets per second; 0 or absent: none */
	IGTB_A_PKT_BURST,	/* u32, packets */
	IGTB_A_OVERHEAD,	/* u32, bytes added to each packet's L2 length */
	IGTB_A_ACTION,		/* u32, enum igtb_action */
	IGTB_A_MARK,		/* u32, for IGTB_ACTION_MARK */
	IGTB_A_STATS,		/* nest, IGTB_STATS_* */
	IGTB_A_DIR,		/* u32, enum igtb_dir; absent: ingress */
	IGTB_A_LATENCY,		/* u32, us: shape's backlog bound (egress) */
	__IGTB_A_MAX,
};

#define IGTB_A_MAX (__IGTB_A_MAX - 1)

enum {
	IGTB_STATS_UNSPEC,
	IGTB_STATS_PAD,
	IGTB_STATS_CONFORM_PACKETS,	/* u64 */
	IGTB_STATS_CONFORM_BYTES,	/* u64 */
	IGTB_STATS_EXCEED_PACKETS,	/* u64, dropped (or marked) */
	IGTB_STATS_EXCEED_BYTES,	/* u64 */
	IGTB_STATS_DELAYED_PACKETS,	/* u64, shape: frames that waited */
	IGTB_STATS_DELAY_NS,		/* u64, shape: total time they waited */
	__IGTB_STATS_MAX,
};

#define IGTB_STATS_MAX (__IGTB_STATS_MAX - 1)

#endif /* _UAPI_LINUX_IGTB_H */
