// SPDX-License-Identifier: GPL-2.0
/*
 * `vrctl stats`: where packets of napi_macvlan devices were dropped (every
 * device in every namespace, whoever made it), one counter per location, from all sources at once: the igtb policer,
 * napi_macvlan's own counters (IFLA_INFO_XSTATS), the device's rtnl
 * counters and the egress qdisc.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rate.h"
#include "nmv.h"
#include "place.h"

struct stats_sel {
	const char *dev;
	const char *ns_kind, *ns_arg;
};

/* The rtnl counters of one link, into the open JSON object. */
void stats_link_json(struct json *j, const struct vr_link *l)
{
	json_u64(j, "rx_packets", l->stats.rx_packets);
	json_u64(j, "rx_bytes", l->stats.rx_bytes);
	json_u64(j, "rx_dropped", l->stats.rx_dropped);
	json_u64(j, "tx_packets", l->stats.tx_packets);
	json_u64(j, "tx_bytes", l->stats.tx_bytes);
	json_u64(j, "tx_dropped", l->stats.tx_dropped);
}

/* The RX/TX block of one link, aligned like `ip -s link`. */
void stats_link_text(const struct vr_link *l)
{
	printf("    RX: %12s %12s %12s\n", "bytes", "packets", "dropped");
	printf("        %12llu %12llu %12llu\n",
	       (unsigned long long)l->stats.rx_bytes,
	       (unsigned long long)l->stats.rx_packets,
	       (unsigned long long)l->stats.rx_dropped);
	printf("    TX: %12s %12s %12s\n", "bytes", "packets", "dropped");
	printf("        %12llu %12llu %12llu\n",
	       (unsigned long long)l->stats.tx_bytes,
	       (unsigned long long)l->stats.tx_packets,
	       (unsigned long long)l->stats.tx_dropped);
}

/*
 * The NAPI thread of a device in rxmode thread: where it runs and the CPU
 * time it used (all of the router's receive work on that device), into
 * the open JSON object as "thread" (null without a thread).
 */
void stats_thread_json(struct json *j, const struct vr_link *l)
{
	char cg[4096], cpus[256];
	uint64_t ns;

	if (!l->thread_pid ||
	    place_thread_where(l->thread_pid, cg, sizeof(cg), cpus,
			       sizeof(cpus)) ||
	    place_thread_cpu_ns(l->thread_pid, &ns)) {
		json_put_null(j, "thread");
		return;
	}
	json_obj_open(j, "thread");
	json_u64(j, "pid", l->thread_pid);
	json_str(j, "cgroup", cg);
	json_str(j, "cpus", cpus);
	json_u64(j, "cpu_ns", ns);
	json_obj_close(j);
}

void stats_thread_text(const struct vr_link *l)
{
	char cg[4096], cpus[256];
	uint64_t ns;

	if (!l->thread_pid ||
	    place_thread_where(l->thread_pid, cg, sizeof(cg), cpus,
			       sizeof(cpus)) ||
	    place_thread_cpu_ns(l->thread_pid, &ns))
		return;
	printf("    thread: pid %u cgroup %s cpus %s cpu %llu.%03llus\n",
	       l->thread_pid, cg, cpus,
	       (unsigned long long)(ns / 1000000000ULL),
	       (unsigned long long)(ns / 1000000ULL % 1000));
}

static void stats_json(struct json *j, struct vr_ctx *c,
		       const struct vr_link *l, const struct vr_igtb *p,
		       const struct vr_tbf *t)
{
	const char *r = nl_router_of(l);
	char owner[VR_OWNER_MAX];
	int i;

	vr_owner(l->alias, owner, sizeof(owner));
	json_obj_open(j, NULL);
	json_str(j, "ifname", l->name);
	json_str(j, "netns", c->ns.label);
	json_str(j, "router", r);
	json_str(j, "owner", owner[0] ? owner : NULL);
	json_obj_open(j, "rtnl");
	stats_link_json(j, l);
	json_obj_close(j);
	stats_thread_json(j, l);
	json_obj_open(j, "xstats");
	for (i = 0; i <= NAPI_MACVLAN_XSTATS_MAX; i++)
		if (nmv_xstat_name(i))
			json_u64(j, nmv_xstat_name(i), l->xstats[i]);
	json_obj_close(j);
	if (p->present) {
		json_obj_open(j, "ingress");
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
	if (t->present) {
		json_obj_open(j, "egress");
		json_u64(j, "drops", t->drops);
		if (t->kind == VR_EGRESS_TBF) {
			json_u64(j, "overlimits", t->overlimits);
			json_u64(j, "qlen", t->qlen);
			json_u64(j, "backlog", t->backlog);
		} else {
			json_u64(j, "conform_packets", t->conform);
			json_u64(j, "delayed_packets", t->delayed);
			json_u64(j, "delay_ns", t->delay_ns);
		}
		json_obj_close(j);
	} else {
		json_put_null(j, "egress");
	}
	json_obj_close(j);
}

/* Aligned like `ip -s link`: a header row, then values in 12 columns. */
static void stats_text(struct vr_ctx *c, const struct vr_link *l,
		       const struct vr_igtb *p, const struct vr_tbf *t)
{
	static const int rx[] = {
		NAPI_MACVLAN_XSTATS_RX_DIRECT, NAPI_MACVLAN_XSTATS_RX_RING,
		NAPI_MACVLAN_XSTATS_RX_RING_FULL, NAPI_MACVLAN_XSTATS_RX_POLICED,
		NAPI_MACVLAN_XSTATS_RX_FILTERED, NAPI_MACVLAN_XSTATS_RX_NOMEM,
	};
	char owner[VR_OWNER_MAX];
	size_t i;

	vr_owner(l->alias, owner, sizeof(owner));
	printf("%d: %s (netns %s, owner %s)\n", l->ifindex, l->name,
	       c->ns.label, owner[0] ? owner : "none");
	stats_link_text(l);
	stats_thread_text(l);
	printf("    RX path:");
	for (i = 0; i < sizeof(rx) / sizeof(rx[0]); i++)
		printf(" %12s", nmv_xstat_name(rx[i]));
	printf("\n            ");
	for (i = 0; i < sizeof(rx) / sizeof(rx[0]); i++)
		printf(" %12llu", (unsigned long long)l->xstats[rx[i]]);
	printf("\n    local:   %16s %16s\n", "rx_local_direct", "rx_local_deep");
	printf("             %16llu %16llu",
	       (unsigned long long)l->xstats[NAPI_MACVLAN_XSTATS_RX_LOCAL_DIRECT],
	       (unsigned long long)l->xstats[NAPI_MACVLAN_XSTATS_RX_LOCAL_DEEP]);
	printf("\n    TX path: %12s %12s %12s %12s %12s\n", "tx_spoofed",
	       "tx_dropped", "tx_shaped", "tx_policed",
	       t->kind == VR_EGRESS_TBF ? "qdisc_drops" : "");
	printf("             %12llu %12llu %12llu %12llu",
	       (unsigned long long)l->xstats[NAPI_MACVLAN_XSTATS_TX_SPOOFED],
	       (unsigned long long)l->xstats[NAPI_MACVLAN_XSTATS_TX_DROPPED],
	       (unsigned long long)l->xstats[NAPI_MACVLAN_XSTATS_TX_SHAPED],
	       (unsigned long long)l->xstats[NAPI_MACVLAN_XSTATS_TX_POLICED]);
	if (t->kind == VR_EGRESS_TBF)
		printf(" %12llu", (unsigned long long)t->drops);
	printf("\n");
	printf("    policer: %12s %12s\n", "conform", "exceed");
	if (p->present)
		printf("             %12llu %12llu\n",
		       (unsigned long long)p->stats[IGTB_STATS_CONFORM_PACKETS],
		       (unsigned long long)p->stats[IGTB_STATS_EXCEED_PACKETS]);
	else
		printf("             %12s %12s\n", "-", "-");
}

static int stats_ns(struct vr_ctx *c, struct vr_link *v, int n, void *data)
{
	struct json *j = data;
	int i;

	for (i = 0; i < n; i++) {
		struct vr_igtb p = { .present = false };
		struct vr_tbf t = { .present = false };

		if (igtb_get(c, v[i].name, &p))
			p.present = false;
		if (egress_get(c, v[i].name, v[i].ifindex, &t))
			t.present = false;
		if (vr_opts.json)
			stats_json(j, c, &v[i], &p, &t);
		else
			stats_text(c, &v[i], &p, &t);
	}
	return VR_OK;
}

int cmd_stats(int argc, char **argv)
{
	struct vr_args a = { argc, argv };
	struct stats_sel sel = { NULL, NULL, NULL };
	struct json j;
	int ret, hits = 0;

	for (; a.argc > 0; a.argc--, a.argv++) {
		ret = ns_parse_key(&a, &sel.ns_kind, &sel.ns_arg);
		if (ret < 0)
			return VR_USAGE;
		if (ret)
			continue;
		if (!strcmp(a.argv[0], "dev")) {
			sel.dev = vr_arg_value(&a, "dev");
			if (!sel.dev)
				return VR_USAGE;
			continue;
		}
		return vr_err(VR_USAGE, "stats: unknown argument \"%s\"",
			      a.argv[0]);
	}
	json_init(&j, stdout);
	if (vr_opts.json)
		json_arr_open(&j, NULL);
	ret = vr_walk(sel.ns_kind, sel.ns_arg, sel.dev, stats_ns, &j, &hits);
	if (vr_opts.json) {
		json_arr_close(&j);
		json_end(&j);
	}
	if (!ret && sel.dev && !hits)
		return vr_err(VR_USAGE, "dev %s: no napi_macvlan device of that name",
			      sel.dev);
	return ret;
}
