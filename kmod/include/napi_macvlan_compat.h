/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between kernel versions that napi_macvlan and igtb care about.
 * Tested on 6.1 (Debian 12); each block names the version that changed.
 * Add to this file in small, commented blocks.
 */
#ifndef _NAPI_MACVLAN_COMPAT_H
#define _NAPI_MACVLAN_COMPAT_H

#include <linux/atomic.h>
#include <linux/types.h>
#include <linux/version.h>

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

#endif /* _NAPI_MACVLAN_COMPAT_H */
