/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ingress profiles (igtb) and egress profiles (igtb, or a tbf root qdisc
 * behind the explicit `tbf` option) of one
 * device: the netlink operations and their output, shared by router.c,
 * rate.c and stats.c.
 */
#ifndef VRCTL_RATE_H
#define VRCTL_RATE_H

#include "vrctl.h"
#include "nl.h"
#include "json.h"

/* The egress limit of a device: igtb's egress profile, or a tbf qdisc. */
enum vr_egress_kind {
	VR_EGRESS_SHAPE = 1,	/* igtb, action shape */
	VR_EGRESS_POLICE,	/* igtb, action drop (or mark) */
	VR_EGRESS_TBF,		/* tbf root qdisc (vrctl ... tbf) */
};

struct vr_tbf {
	bool present;
	enum vr_egress_kind kind;
	uint32_t latency_us;	/* shape */
	uint64_t delayed, delay_ns, conform;	/* igtb */
	uint64_t rate;		/* bit/s */
	uint32_t burst;		/* bytes */
	uint64_t pkt_rate;	/* packets/s (igtb) */
	uint32_t pkt_burst;	/* packets (igtb) */
	uint32_t limit;		/* bytes */
	uint64_t drops, overlimits;
	uint32_t qlen, backlog;
};

/* All return 0 or -errno (nl_extack holds the kernel's message). */
int igtb_set(struct vr_ctx *c, const char *ifname,
	     const struct vr_ingress *in);
int igtb_get(struct vr_ctx *c, const char *ifname, struct vr_igtb *p);
int igtb_del(struct vr_ctx *c, const char *ifname);
int tbf_set(struct vr_ctx *c, int ifindex, const struct vr_egress *eg);
int tbf_get(struct vr_ctx *c, int ifindex, struct vr_tbf *t);
int tbf_del(struct vr_ctx *c, int ifindex);
/* The egress limit whichever it is: igtb's egress profile (set: unless
 * eg->tbf) or else a tbf. */
int egress_set(struct vr_ctx *c, const char *ifname, int ifindex,
	       const struct vr_egress *eg);
int egress_get(struct vr_ctx *c, const char *ifname, int ifindex,
	       struct vr_tbf *t);
int egress_del(struct vr_ctx *c, const char *ifname, int ifindex);

/* "ingress": {...} or null, "egress": {...} or null */
void rate_json(struct json *j, const struct vr_igtb *p,
	       const struct vr_tbf *t);
/* Two indented lines, "    ingress ..." / "    egress ...". */
void rate_text(const struct vr_igtb *p, const struct vr_tbf *t);

#endif /* VRCTL_RATE_H */
