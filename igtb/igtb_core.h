/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interface between the policer core (igtb_core.c) and the generic
 * netlink family (igtb_netlink.c).
 */
#ifndef _IGTB_CORE_H
#define _IGTB_CORE_H

#include <linux/cache.h>
#include <linux/netlink.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

#include <napi_macvlan_compat.h>

#include "igtb.h"

/*
 * The policer keeps time in units of 1/16 ns relative to the profile's
 * creation, so per-packet costs of small packets at high rates keep their
 * fraction of a nanosecond, and a u64 lasts 2^60 ns (36 years) per profile.
 */
#define IGTB_TIME_SHIFT		4

/* Accepted ranges, see README.md. */
#define IGTB_RATE_MIN		8000ULL			/* bits/s */
#define IGTB_RATE_MAX		400000000000ULL		/* 400 Gbit/s */
#define IGTB_PKT_RATE_MIN	1ULL			/* packets/s */
#define IGTB_PKT_RATE_MAX	1000000000ULL		/* 10^9 packets/s */
#define IGTB_PKT_BURST_MAX	1000000000U
#define IGTB_OVERHEAD_MAX	1024U
/* A burst may take at most this long to refill. */
#define IGTB_BURST_TIME_MAX_NS	(86400ULL * NSEC_PER_SEC)

/* Shaper backlog bound when none is given, and the largest accepted. */
#define IGTB_DEFAULT_LATENCY_US	50000U
#define IGTB_LATENCY_MAX_US	10000000U

/* Default bursts: the larger of 10 ms of rate and 10 packets/frames. */
#define IGTB_DEFAULT_BURST_MS	10
#define IGTB_DEFAULT_BURST_PKTS	10

/* A profile as the user configures it; GET reports the effective values. */
struct igtb_config {
	u64	rate;		/* bits/s, 0: no byte bucket */
	u64	pkt_rate;	/* packets/s, 0: no packet bucket */
	u32	burst;		/* bytes */
	u32	pkt_burst;	/* packets */
	u32	overhead;	/* bytes added to each packet */
	u32	action;		/* enum igtb_action */
	u32	mark;
	u32	latency_us;	/* shape: backlog bound */
	bool	egress;		/* which profile of the device */
};

struct igtb_stats {
	u64	conform_packets;
	u64	conform_bytes;
	u64	exceed_packets;
	u64	exceed_bytes;
	u64	delayed_packets;
	u64	delay_ns;
};

struct igtb_pcpu_stats {
	u64_stats_t		conform_packets;
	u64_stats_t		conform_bytes;
	u64_stats_t		exceed_packets;
	u64_stats_t		exceed_bytes;
	u64_stats_t		delayed_packets;
	u64_stats_t		delay_ns;
	struct u64_stats_sync	syncp;
};

/*
 * One bucket in fixed point: a packet of n units (bytes or packets) costs
 * (n * mult) >> shift policer time units; tol is the burst tolerance in the
 * same units.
 */
struct igtb_bucket {
	u64	mult;
	u64	tol;
	u32	shift;
};

struct igtb_profile {
	/* read-only after publication */
	struct igtb_config	cfg;
	struct igtb_bucket	byte;
	struct igtb_bucket	pkt;
	u64			epoch_ns;	/* ktime_get_ns() at creation */
	u8			has_byte;
	u8			has_pkt;
	/* release: set just before call_rcu, freed with the profile */
	struct igtb_pcpu_stats __percpu *dead_stats;
	struct rcu_head		rcu;
	/*
	 * Theoretical arrival times, written with cmpxchg by every conforming
	 * packet on any CPU: kept on their own cache line, away from the
	 * read-only fields above.
	 */
	struct igtb_tat_pair	tat ____cacheline_aligned_in_smp;
};

int igtb_core_init(void);
void igtb_core_exit(void);

int igtb_config_complete(struct igtb_config *cfg, unsigned int mtu,
			 struct netlink_ext_ack *extack);
struct igtb_profile *igtb_profile_create(const struct igtb_config *cfg);
void igtb_slot_replace(struct igtb_slot *slot, struct igtb_profile *prof);
void igtb_slot_stats(const struct igtb_slot *slot, struct igtb_stats *st);
void igtb_account(struct igtb_slot *slot, bool ok, u32 segs, u64 len);
void igtb_account_delay(struct igtb_slot *slot, u64 delay_ns);
u64 igtb_skb_len(const struct sk_buff *skb, u32 *segs);
bool igtb_shape_take(struct igtb_profile *prof, u64 len, u32 segs,
		     u64 *wait_ns);
u64 igtb_shape_wait(struct igtb_profile *prof, u64 len, u32 segs);
u64 igtb_shape_slack(const struct igtb_profile *prof, u64 len, u32 segs);

#endif /* _IGTB_CORE_H */
