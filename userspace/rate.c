// SPDX-License-Identifier: GPL-2.0
/*
 * `vrctl rate`: the ingress policer profile and the egress profile (shape
 * or police) of existing devices, both igtb (generic netlink), set and
 * enforced by the host where the tenant cannot reach them.  The old egress
 * tbf root qdisc (in the tenant's namespace, where its root deletes it)
 * stays behind the explicit `tbf` option.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/gen_stats.h>
#include <linux/genetlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "rate.h"
#include "units.h"

/* The backlog bound when no latency is given, like tc's usual 50ms. */
#define RATE_DEFAULT_LATENCY_MS	50
#define RATE_MAX_LATENCY_MS	10000

int rate_parse_key(struct vr_args *a, bool *egress_ctx, struct vr_ingress *in,
		   struct vr_egress *eg)
{
	const char *k = a->argv[0], *v, *why;
	uint64_t n;

	if (!strcmp(k, "ingress")) {
		*egress_ctx = false;
		return 1;
	}
	if (!strcmp(k, "egress")) {
		*egress_ctx = true;
		eg->set = true;
		return 1;
	}
	if (*egress_ctx && (!strcmp(k, "police") || !strcmp(k, "tbf"))) {
		if (!strcmp(k, "police"))
			eg->police = true;
		else
			eg->tbf = true;
		return 1;
	}
	if (strcmp(k, "rate") && strcmp(k, "burst") && strcmp(k, "pps") &&
	    strcmp(k, "pburst") && strcmp(k, "latency"))
		return 0;
	v = vr_arg_value(a, k);
	if (!v)
		return -1;
	if (!strcmp(k, "rate")) {
		if (units_parse_rate(v, *egress_ctx ? &eg->rate : &in->rate,
				     &why))
			goto bad;
	} else if (!strcmp(k, "burst")) {
		if (units_parse_size(v, *egress_ctx ? &eg->burst : &in->burst,
				     &why))
			goto bad;
	} else if (!strcmp(k, "latency")) {
		if (!*egress_ctx) {
			vr_err(VR_USAGE, "latency applies to egress only");
			return -1;
		}
		if (units_parse_u64(v, RATE_MAX_LATENCY_MS, &n, &why))
			goto bad;
		if (!n) {
			why = "must be at least 1";
			goto bad;
		}
		eg->latency_ms = n;
	} else if (!strcmp(k, "pps")) {
		if (units_parse_u64(v, UINT64_MAX, &n, &why))
			goto bad;
		if (!n) {
			why = "must be at least 1";
			goto bad;
		}
		*(*egress_ctx ? &eg->pps : &in->pps) = n;
	} else {
		if (units_parse_u64(v, UINT32_MAX, &n, &why))
			goto bad;
		if (!n) {
			why = "must be at least 1";
			goto bad;
		}
		*(*egress_ctx ? &eg->pburst : &in->pburst) = n;
	}
	if (!*egress_ctx)
		in->set = true;
	return 1;
bad:
	vr_err(VR_USAGE, "%s \"%s\": %s", k, v, why);
	return -1;
}

int rate_check(const struct vr_ingress *in, const struct vr_egress *eg)
{
	if (in->set && !in->rate && !in->pps)
		return vr_err(VR_USAGE, "ingress needs rate or pps");
	if (in->burst && !in->rate)
		return vr_err(VR_USAGE, "burst without rate");
	if (in->pburst && !in->pps)
		return vr_err(VR_USAGE, "pburst without pps");
	if (eg->set && !eg->rate && !eg->burst && !eg->pps)
		return vr_err(VR_USAGE,
			      "egress needs rate and burst, or pps (or both)");
	if (eg->set && (!eg->rate != !eg->burst))
		return vr_err(VR_USAGE, "egress needs both rate and burst");
	if (eg->pburst && !eg->pps)
		return vr_err(VR_USAGE, "egress: pburst without pps");
	if (eg->tbf && eg->pps)
		return vr_err(VR_USAGE, "egress: tbf has no packet rate (pps)");
	if (eg->set && eg->tbf && eg->rate / 8 > UINT32_MAX * 1000ULL)
		return vr_err(VR_USAGE, "egress rate too large for tbf");
	if (eg->police && eg->tbf)
		return vr_err(VR_USAGE, "egress: police and tbf exclude each other");
	if (eg->police && eg->latency_ms)
		return vr_err(VR_USAGE,
			      "egress: latency bounds the shaper's backlog; police has none");
	return VR_OK;
}

/* ---- igtb ---- */

/*
 * A request about one device (in the context's namespace), for the egress
 * profile when @egress; NULL when igtb is not loaded.
 */
static struct nlmsghdr *igtb_dev_msg(char *buf, struct vr_ctx *c, int cmd,
				     const char *ifname, bool egress)
{
	struct nlmsghdr *nlh;

	if (!c->igtb_fam)
		return NULL;
	nlh = igtb_msg(buf, c->igtb_fam, cmd, 0);
	mnl_attr_put_strz(nlh, IGTB_A_IFNAME, ifname);
	mnl_attr_put_u32(nlh, IGTB_A_NETNS_FD, c->ns.fd);
	if (egress)
		mnl_attr_put_u32(nlh, IGTB_A_DIR, IGTB_DIR_EGRESS);
	return nlh;
}

static int igtb_no_family(void)
{
	snprintf(nl_extack, sizeof(nl_extack),
		 "generic netlink family \"igtb\" not found (is igtb.ko loaded?)");
	return -ENOENT;
}

/* The egress profile: shape (or police) with the host's igtb. */
static int igtb_set_egress(struct vr_ctx *c, const char *ifname,
			   const struct vr_egress *eg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = igtb_dev_msg(buf, c, IGTB_CMD_SET, ifname, true);
	if (!nlh)
		return igtb_no_family();
	if (eg->rate) {
		mnl_attr_put_u64(nlh, IGTB_A_RATE, eg->rate);
		mnl_attr_put_u32(nlh, IGTB_A_BURST, eg->burst);
	}
	if (eg->pps)
		mnl_attr_put_u64(nlh, IGTB_A_PKT_RATE, eg->pps);
	if (eg->pburst)
		mnl_attr_put_u32(nlh, IGTB_A_PKT_BURST, eg->pburst);
	if (eg->police) {
		mnl_attr_put_u32(nlh, IGTB_A_ACTION, IGTB_ACTION_DROP);
	} else {
		mnl_attr_put_u32(nlh, IGTB_A_ACTION, IGTB_ACTION_SHAPE);
		mnl_attr_put_u32(nlh, IGTB_A_LATENCY,
				 (eg->latency_ms ? eg->latency_ms :
				  RATE_DEFAULT_LATENCY_MS) * 1000);
	}
	return nl_talk(&c->gnl, nlh, NULL, NULL);
}

static int igtb_get_dir(struct vr_ctx *c, const char *ifname, bool egress,
			struct vr_igtb *p);
static int igtb_del_dir(struct vr_ctx *c, const char *ifname, bool egress);

int igtb_set(struct vr_ctx *c, const char *ifname,
	     const struct vr_ingress *in)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = igtb_dev_msg(buf, c, IGTB_CMD_SET, ifname, false);
	if (!nlh)
		return igtb_no_family();
	if (in->rate)
		mnl_attr_put_u64(nlh, IGTB_A_RATE, in->rate);
	if (in->burst)
		mnl_attr_put_u32(nlh, IGTB_A_BURST, in->burst);
	if (in->pps)
		mnl_attr_put_u64(nlh, IGTB_A_PKT_RATE, in->pps);
	if (in->pburst)
		mnl_attr_put_u32(nlh, IGTB_A_PKT_BURST, in->pburst);
	return nl_talk(&c->gnl, nlh, NULL, NULL);
}

static int igtb_get_cb(const struct nlmsghdr *nlh, void *data)
{
	igtb_parse(nlh, data);
	return MNL_CB_OK;
}

static int igtb_get_dir(struct vr_ctx *c, const char *ifname, bool egress,
			struct vr_igtb *p)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	memset(p, 0, sizeof(*p));
	nlh = igtb_dev_msg(buf, c, IGTB_CMD_GET, ifname, egress);
	if (!nlh)
		return -ENOENT;
	return nl_talk(&c->gnl, nlh, igtb_get_cb, p);
}

int igtb_get(struct vr_ctx *c, const char *ifname, struct vr_igtb *p)
{
	return igtb_get_dir(c, ifname, false, p);
}

static int igtb_del_dir(struct vr_ctx *c, const char *ifname, bool egress)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = igtb_dev_msg(buf, c, IGTB_CMD_DEL, ifname, egress);
	if (!nlh)
		return -ENOENT;
	return nl_talk(&c->gnl, nlh, NULL, NULL);
}

int igtb_del(struct vr_ctx *c, const char *ifname)
{
	return igtb_del_dir(c, ifname, false);
}

/* ---- egress: igtb's egress profile, or a tbf behind `tbf` ---- */

/*
 * One egress limit at a time: setting the profile removes a tbf that
 * vrctl set before (and the other way round), so moving a device from the
 * old shaper to the new one leaves nothing of the old.
 */
int egress_set(struct vr_ctx *c, const char *ifname, int ifindex,
	       const struct vr_egress *eg)
{
	int err;

	if (eg->tbf) {
		err = tbf_set(c, ifindex, eg);
		if (!err && c->igtb_fam) {
			err = igtb_del_dir(c, ifname, true);
			if (err == -ENOENT)
				err = 0;
		}
		return err;
	}
	err = igtb_set_egress(c, ifname, eg);
	if (!err) {
		err = tbf_del(c, ifindex);
		if (err == -ENOENT)
			err = 0;
	}
	return err;
}

int egress_get(struct vr_ctx *c, const char *ifname, int ifindex,
	       struct vr_tbf *t)
{
	struct vr_igtb p;
	int err;

	err = igtb_get_dir(c, ifname, true, &p);
	if (!err && p.present) {
		memset(t, 0, sizeof(*t));
		t->present = true;
		t->kind = p.action == IGTB_ACTION_SHAPE ? VR_EGRESS_SHAPE :
							  VR_EGRESS_POLICE;
		t->rate = p.rate;
		t->burst = p.burst;
		t->pkt_rate = p.pkt_rate;
		t->pkt_burst = p.pkt_burst;
		t->latency_us = p.latency_us;
		t->drops = p.stats[IGTB_STATS_EXCEED_PACKETS];
		t->delayed = p.stats[IGTB_STATS_DELAYED_PACKETS];
		t->delay_ns = p.stats[IGTB_STATS_DELAY_NS];
		t->conform = p.stats[IGTB_STATS_CONFORM_PACKETS];
		return 0;
	}
	if (err && err != -ENOENT && err != -ENODATA)
		return err;
	err = tbf_get(c, ifindex, t);
	if (!err && t->present)
		t->kind = VR_EGRESS_TBF;
	return err;
}

int egress_del(struct vr_ctx *c, const char *ifname, int ifindex)
{
	int err = igtb_del_dir(c, ifname, true);

	if (err != -ENOENT)
		return err;
	return tbf_del(c, ifindex);
}

/* ---- tbf ---- */

static struct nlmsghdr *tbf_msg(char *buf, int type, int flags, int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct tcmsg *tcm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = TC_H_ROOT;
	return nlh;
}

/*
 * tbf needs TCA_TBF_PARMS; with an Ethernet link layer no rate table is
 * needed, TCA_TBF_BURST gives the bucket in bytes (the kernel converts it to
 * time), the 32-bit rate field is capped and TCA_TBF_RATE64 carries larger
 * rates, and limit (bytes queued) is rate x latency + burst as tc computes.
 */
int tbf_set(struct vr_ctx *c, int ifindex, const struct vr_egress *eg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint64_t Bps = eg->rate / 8, limit;
	struct tc_tbf_qopt q;
	struct nlmsghdr *nlh;
	struct nlattr *opt;
	unsigned int lat = eg->latency_ms ? eg->latency_ms :
				RATE_DEFAULT_LATENCY_MS;

	if (!Bps)
		Bps = 1;
	memset(&q, 0, sizeof(q));
	q.rate.rate = Bps > UINT32_MAX ? UINT32_MAX : Bps;
	q.rate.linklayer = TC_LINKLAYER_ETHERNET;
	limit = Bps * lat / 1000 + eg->burst;
	q.limit = limit > UINT32_MAX ? UINT32_MAX : limit;
	nlh = tbf_msg(buf, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_REPLACE,
		      ifindex);
	mnl_attr_put_strz(nlh, TCA_KIND, "tbf");
	opt = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put(nlh, TCA_TBF_PARMS, sizeof(q), &q);
	if (Bps > UINT32_MAX)
		mnl_attr_put_u64(nlh, TCA_TBF_RATE64, Bps);
	mnl_attr_put_u32(nlh, TCA_TBF_BURST, eg->burst);
	mnl_attr_nest_end(nlh, opt);
	return nl_talk(&c->rt, nlh, NULL, NULL);
}

struct tbf_get_ctx {
	int ifindex;
	struct vr_tbf *t;
};

static int tbf_get_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct tcmsg *tcm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[TCA_MAX + 1], *o[TCA_TBF_MAX + 1];
	const struct nlattr *s2[TCA_STATS_MAX + 1];
	struct tbf_get_ctx *g = data;
	struct vr_tbf *t = g->t;
	struct tc_tbf_qopt q;
	struct gnet_stats_queue sq;
	uint64_t Bps;

	if (nlh->nlmsg_type != RTM_NEWQDISC || tcm->tcm_ifindex != g->ifindex ||
	    tcm->tcm_parent != TC_H_ROOT)
		return MNL_CB_OK;
	nl_parse_msg(nlh, sizeof(*tcm), tb, TCA_MAX);
	if (!tb[TCA_KIND] || strcmp(mnl_attr_get_str(tb[TCA_KIND]), "tbf"))
		return MNL_CB_OK;
	nl_parse_nest(tb[TCA_OPTIONS], o, TCA_TBF_MAX);
	if (!o[TCA_TBF_PARMS] ||
	    mnl_attr_get_payload_len(o[TCA_TBF_PARMS]) < sizeof(q))
		return MNL_CB_OK;
	memcpy(&q, mnl_attr_get_payload(o[TCA_TBF_PARMS]), sizeof(q));
	Bps = q.rate.rate;
	if (o[TCA_TBF_RATE64])
		Bps = nl_get_u64(o[TCA_TBF_RATE64]);
	t->present = true;
	t->rate = Bps * 8;
	t->limit = q.limit;
	/* buffer is in 64 ns ticks (PSCHED_SHIFT); back to bytes at rate. */
	t->burst = (uint32_t)((double)q.buffer * 64 * Bps / 1e9 + 0.5);
	nl_parse_nest(tb[TCA_STATS2], s2, TCA_STATS_MAX);
	if (s2[TCA_STATS_QUEUE] &&
	    mnl_attr_get_payload_len(s2[TCA_STATS_QUEUE]) >= sizeof(sq)) {
		memcpy(&sq, mnl_attr_get_payload(s2[TCA_STATS_QUEUE]),
		       sizeof(sq));
		t->drops = sq.drops;
		t->overlimits = sq.overlimits;
		t->qlen = sq.qlen;
		t->backlog = sq.backlog;
	}
	return MNL_CB_OK;
}

int tbf_get(struct vr_ctx *c, int ifindex, struct vr_tbf *t)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct tbf_get_ctx g = { ifindex, t };
	struct nlmsghdr *nlh;

	memset(t, 0, sizeof(*t));
	nlh = tbf_msg(buf, RTM_GETQDISC, NLM_F_DUMP, 0);
	return nl_talk(&c->rt, nlh, tbf_get_cb, &g);
}

int tbf_del(struct vr_ctx *c, int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct vr_tbf t = { .present = false };
	int err;

	/* Only remove a root qdisc that is ours to remove: a tbf. */
	err = tbf_get(c, ifindex, &t);
	if (err)
		return err;
	if (!t.present)
		return -ENOENT;
	return nl_talk(&c->rt, tbf_msg(buf, RTM_DELQDISC, 0, ifindex), NULL,
		       NULL);
}

/* ---- output ---- */

void rate_json(struct json *j, const struct vr_igtb *p,
	       const struct vr_tbf *t)
{
	if (p && p->present) {
		json_obj_open(j, "ingress");
		json_u64(j, "rate", p->rate);
		json_u64(j, "burst", p->burst);
		json_u64(j, "pps", p->pkt_rate);
		json_u64(j, "pburst", p->pkt_burst);
		json_u64(j, "conform_packets",
			 p->stats[IGTB_STATS_CONFORM_PACKETS]);
		json_u64(j, "conform_bytes", p->stats[IGTB_STATS_CONFORM_BYTES]);
		json_u64(j, "exceed_packets",
			 p->stats[IGTB_STATS_EXCEED_PACKETS]);
		json_u64(j, "exceed_bytes", p->stats[IGTB_STATS_EXCEED_BYTES]);
		json_obj_close(j);
	} else {
		json_put_null(j, "ingress");
	}
	if (t && t->present) {
		json_obj_open(j, "egress");
		json_u64(j, "rate", t->rate);
		json_u64(j, "burst", t->burst);
		json_str(j, "action", t->kind == VR_EGRESS_SHAPE ? "shape" :
			 t->kind == VR_EGRESS_POLICE ? "police" : "tbf");
		if (t->kind != VR_EGRESS_TBF) {
			json_u64(j, "pps", t->pkt_rate);
			json_u64(j, "pburst", t->pkt_burst);
		}
		if (t->kind == VR_EGRESS_SHAPE)
			json_u64(j, "latency_us", t->latency_us);
		if (t->kind == VR_EGRESS_TBF)
			json_u64(j, "limit", t->limit);
		json_u64(j, "drops", t->drops);
		if (t->kind == VR_EGRESS_TBF)
			json_u64(j, "overlimits", t->overlimits);
		else
			json_u64(j, "conform_packets", t->conform);
		if (t->kind == VR_EGRESS_SHAPE) {
			json_u64(j, "delayed_packets", t->delayed);
			json_u64(j, "delay_ns", t->delay_ns);
		}
		json_obj_close(j);
	} else {
		json_put_null(j, "egress");
	}
}

/* " [rate R burst B] [pps N pburst N]": an igtb profile's buckets */
static void buckets_text(uint64_t rate, uint32_t burst, uint64_t pps,
			 uint32_t pburst)
{
	char r[32], b[32];

	if (rate)
		printf(" rate %s burst %s", units_fmt_rate(rate, r, sizeof(r)),
		       units_fmt_size(burst, b, sizeof(b)));
	if (pps)
		printf(" pps %llu pburst %u", (unsigned long long)pps, pburst);
}

/* "    egress shape|police [rate R burst B] [pps N pburst N] ..." */
static void egress_text(const struct vr_tbf *t)
{
	printf("    egress %s",
	       t->kind == VR_EGRESS_POLICE ? "police" : "shape");
	buckets_text(t->rate, t->burst, t->pkt_rate, t->pkt_burst);
	if (t->kind == VR_EGRESS_SHAPE)
		printf(" latency %ums delayed %llu pkts (mean %llu us)",
		       t->latency_us / 1000,
		       (unsigned long long)t->delayed,
		       (unsigned long long)(t->delayed ?
				t->delay_ns / t->delayed / 1000 : 0));
	printf(" dropped %llu\n", (unsigned long long)t->drops);
}

void rate_text(const struct vr_igtb *p, const struct vr_tbf *t)
{
	char r[32], b[32], l[32];

	if (p && p->present) {
		printf("    ingress");
		buckets_text(p->rate, p->burst, p->pkt_rate, p->pkt_burst);
		printf(" exceeded %llu pkts\n",
		       (unsigned long long)p->stats[IGTB_STATS_EXCEED_PACKETS]);
	} else {
		printf("    ingress none\n");
	}
	if (t && t->present && t->kind == VR_EGRESS_TBF)
		printf("    egress tbf rate %s burst %s limit %s dropped %llu\n",
		       units_fmt_rate(t->rate, r, sizeof(r)),
		       units_fmt_size(t->burst, b, sizeof(b)),
		       units_fmt_size(t->limit, l, sizeof(l)),
		       (unsigned long long)t->drops);
	else if (t && t->present)
		egress_text(t);
	else
		printf("    egress none\n");
}

/* ---- vrctl rate set|show|del ---- */

struct rate_cmd {
	const char *dev;
	const char *ns_kind, *ns_arg;
	struct vr_ingress in;
	struct vr_egress eg;
	bool only_in, only_eg;
};

static int rate_parse(const char *verb, int argc, char **argv,
		      struct rate_cmd *r)
{
	struct vr_args a = { argc, argv };
	bool egress_ctx = false;
	int ret;

	memset(r, 0, sizeof(*r));
	for (; a.argc > 0; a.argc--, a.argv++) {
		const char *k = a.argv[0];

		ret = ns_parse_key(&a, &r->ns_kind, &r->ns_arg);
		if (ret < 0)
			return VR_USAGE;
		if (ret)
			continue;
		if (!strcmp(k, "dev")) {
			r->dev = vr_arg_value(&a, k);
			if (!r->dev)
				return VR_USAGE;
			continue;
		}
		if (!strcmp(verb, "set")) {
			ret = rate_parse_key(&a, &egress_ctx, &r->in, &r->eg);
			if (ret < 0)
				return VR_USAGE;
			if (ret)
				continue;
		} else if (!strcmp(verb, "del") && !strcmp(k, "ingress")) {
			r->only_in = true;
			continue;
		} else if (!strcmp(verb, "del") && !strcmp(k, "egress")) {
			r->only_eg = true;
			continue;
		}
		return vr_err(VR_USAGE, "rate %s: unknown argument \"%s\"",
			      verb, k);
	}
	if (strcmp(verb, "show") && !r->dev)
		return vr_err(VR_USAGE, "rate %s: dev is required", verb);
	if (r->dev && (!*r->dev || strlen(r->dev) >= IFNAMSIZ))
		return vr_err(VR_USAGE, "dev \"%s\": not a valid name", r->dev);
	if (!strcmp(verb, "set")) {
		if (!r->in.set && !r->eg.set)
			return vr_err(VR_USAGE,
				      "rate set: nothing to set (rate, pps or egress)");
		if (rate_check(&r->in, &r->eg))
			return VR_USAGE;
	}
	return VR_OK;
}

/* One device's profile and shaper; listing, a device gone since the dump
 * is skipped. */
static int rate_show_dev(struct vr_ctx *c, struct json *j,
			 const struct vr_link *l, bool listing)
{
	struct vr_igtb p = { .present = false };
	struct vr_tbf t = { .present = false };
	char owner[VR_OWNER_MAX];
	int err;

	err = igtb_get(c, l->name, &p);
	if (listing && err == -ENODEV)
		return VR_OK;
	if (err && err != -ENOENT && err != -ENODATA)
		return nl_kerr(err, "dev %s: get ingress profile", l->name);
	err = egress_get(c, l->name, l->ifindex, &t);
	if (listing && err == -ENODEV)
		return VR_OK;
	if (err)
		return nl_kerr(err, "dev %s: get egress profile", l->name);
	vr_owner(l->alias, owner, sizeof(owner));
	if (vr_opts.json) {
		json_obj_open(j, NULL);
		json_str(j, "ifname", l->name);
		json_str(j, "netns", c->ns.label);
		json_str(j, "owner", owner[0] ? owner : NULL);
		rate_json(j, &p, &t);
		json_obj_close(j);
	} else {
		printf("%s (netns %s, owner %s)\n", l->name, c->ns.label,
		       owner[0] ? owner : "none");
		rate_text(&p, &t);
	}
	return VR_OK;
}

/* vr_walk(): the napi_macvlan devices of one namespace. */
static int rate_show_ns(struct vr_ctx *c, struct vr_link *v, int n,
			void *data)
{
	int i, ret = VR_OK;

	for (i = 0; i < n && !ret; i++)
		ret = rate_show_dev(c, data, &v[i], true);
	return ret;
}

/* `rate show`: one device of one namespace (ours unless one is named), or
 * every napi_macvlan device of the namespace named or of all of them. */
static int rate_show(const struct rate_cmd *r)
{
	struct json j;
	struct vr_ctx c;
	struct vr_link l;
	struct vr_ns ns;
	int ret, ifindex, hits, err;

	json_init(&j, stdout);
	if (vr_opts.json)
		json_arr_open(&j, NULL);
	if (r->dev) {
		ret = ns_open(r->ns_kind, r->ns_arg, &ns);
		if (!ret) {
			ret = ctx_open(&c, &ns);
			if (!ret)
				ret = ctx_ifindex(&c, r->dev, &ifindex);
			if (!ret && (err = nl_link_get(&c.rt, r->dev, &l)))
				ret = nl_kerr(err, "dev %s: look up", r->dev);
			if (!ret)
				ret = rate_show_dev(&c, &j, &l, false);
			ctx_close(&c);
		}
	} else {
		ret = vr_walk(r->ns_kind, r->ns_arg, NULL, rate_show_ns, &j,
			      &hits);
	}
	if (vr_opts.json) {
		json_arr_close(&j);
		json_end(&j);
	}
	return ret;
}

int cmd_rate(int argc, char **argv)
{
	const char *verb = argc > 0 ? argv[0] : "show";
	struct rate_cmd r;
	struct vr_ctx c;
	struct vr_ns ns;
	int ret, ifindex, err;

	if (strcmp(verb, "set") && strcmp(verb, "show") && strcmp(verb, "del"))
		return vr_err(VR_USAGE, "rate: unknown command \"%s\" (set, show, del)",
			      verb);
	ret = rate_parse(verb, argc - 1, argv + 1, &r);
	if (ret)
		return ret;
	if (!strcmp(verb, "show"))
		return rate_show(&r);
	ret = ns_open(r.ns_kind, r.ns_arg, &ns);
	if (ret)
		return ret;
	ret = ctx_open(&c, &ns);
	if (ret)
		goto out;
	ret = ctx_ifindex(&c, r.dev, &ifindex);
	if (ret)
		goto out;
	if (!strcmp(verb, "set")) {
		/* Ingress first: it is a single replace and cannot leave a
		 * half-applied state; egress second. */
		if (r.in.set && (err = igtb_set(&c, r.dev, &r.in))) {
			ret = nl_kerr(err, "dev %s: set ingress profile",
				      r.dev);
			goto out;
		}
		if (r.eg.set &&
		    (err = egress_set(&c, r.dev, ifindex, &r.eg))) {
			ret = nl_kerr(err, "dev %s: set egress %s%s", r.dev,
				      r.eg.tbf ? "tbf" : "profile",
				      r.in.set ? " (ingress was applied)" : "");
			goto out;
		}
	} else {
		if (!r.only_eg && (err = igtb_del(&c, r.dev)) &&
		    !(err == -ENOENT && !r.only_in)) {
			ret = nl_kerr(err, "dev %s: delete ingress profile",
				      r.dev);
			goto out;
		}
		if (!r.only_in && (err = egress_del(&c, r.dev, ifindex)) &&
		    !(err == -ENOENT && !r.only_eg)) {
			ret = err == -ENOENT ?
				vr_err(VR_USAGE, "dev %s: no egress profile",
				       r.dev) :
				nl_kerr(err, "dev %s: delete egress profile",
					r.dev);
			goto out;
		}
	}
out:
	ctx_close(&c);
	return ret;
}
