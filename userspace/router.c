// SPDX-License-Identifier: GPL-2.0
/*
 * `vrctl router add|del|show`.  A router is the set of napi_macvlan devices
 * whose ifalias is "vrctl:NAME": the kernel holds all state, so there is
 * nothing to get out of sync.  `add` is all or nothing: every step is
 * undone in reverse order when a later one fails.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include <linux/net_namespace.h>

#include "router.h"
#include "nl.h"
#include "nmv.h"
#include "rate.h"
#include "json.h"
#include "units.h"

int router_name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (!n || n > VR_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("_.-", name[i]))
			return 0;
	return 1;
}

int mac_parse(const char *s, unsigned char mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[i * 3]) ||
		    !isxdigit((unsigned char)s[i * 3 + 1]))
			return -1;
		mac[i] = b[i];
	}
	/* A device address must be unicast and not all zero. */
	if ((mac[0] & 1) || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] |
			      mac[5]))
		return -1;
	return 0;
}

/* Split "a,b,c" into at most VR_MAX_LINKS items passed to fn. */
static int router_list(const char *key, const char *v,
		       int (*fn)(struct router_spec *s, const char *item),
		       struct router_spec *s)
{
	char buf[1024], *save = NULL, *item;

	if (strlen(v) >= sizeof(buf) || !*v || v[strlen(v) - 1] == ',' ||
	    v[0] == ',' || strstr(v, ",,"))
		return vr_err(VR_USAGE, "%s \"%s\": not a comma-separated list",
			      key, v);
	strcpy(buf, v);
	for (item = strtok_r(buf, ",", &save); item;
	     item = strtok_r(NULL, ",", &save))
		if (fn(s, item))
			return VR_USAGE;
	return VR_OK;
}

static int router_add_name(struct router_spec *s, const char *item)
{
	int i;

	if (!ifname_ok(item))
		return vr_err(VR_USAGE, "names: \"%s\" is not a valid interface name",
			      item);
	for (i = 0; i < s->nnames; i++)
		if (!strcmp(s->ifnames[i], item))
			return vr_err(VR_USAGE, "names: \"%s\" given twice",
				      item);
	if (s->nnames >= VR_MAX_LINKS)
		return vr_err(VR_USAGE, "names: more than %d", VR_MAX_LINKS);
	snprintf(s->ifnames[s->nnames++], IFNAMSIZ, "%s", item);
	return VR_OK;
}

static int router_add_mac(struct router_spec *s, const char *item)
{
	if (s->nmacs >= VR_MAX_LINKS)
		return vr_err(VR_USAGE, "mac: more than %d", VR_MAX_LINKS);
	if (mac_parse(item, s->macs[s->nmacs]))
		return vr_err(VR_USAGE,
			      "mac \"%s\": not a unicast address like 02:00:00:00:00:01",
			      item);
	s->nmacs++;
	return VR_OK;
}

static int router_on_off(const char *key, const char *v, uint32_t bit,
			 uint32_t *flags)
{
	if (!strcmp(v, "on"))
		*flags |= bit;
	else if (!strcmp(v, "off"))
		*flags &= ~bit;
	else
		return vr_err(VR_USAGE, "%s \"%s\": expected on or off", key, v);
	return VR_OK;
}

int router_parse_add(int argc, char **argv, struct router_spec *s)
{
	struct vr_args a = { argc, argv };
	bool egress_ctx = false;
	const char *k, *v;
	int i, ret;

	memset(s, 0, sizeof(*s));
	s->flags = NAPI_MACVLAN_F_SPOOFCHK | NAPI_MACVLAN_F_MACLOCK;
	if (a.argc < 1)
		return vr_err(VR_USAGE, "router add: NAME is required");
	s->name = a.argv[0];
	if (!router_name_ok(s->name))
		return vr_err(VR_USAGE,
			      "router name \"%s\": use 1..%d of [A-Za-z0-9_.-]",
			      s->name, VR_NAME_MAX);
	for (a.argc--, a.argv++; a.argc > 0; a.argc--, a.argv++) {
		k = a.argv[0];
		ret = ns_parse_key(&a, &s->ns_kind, &s->ns_arg);
		if (ret < 0)
			return VR_USAGE;
		if (ret)
			continue;
		ret = rate_parse_key(&a, &egress_ctx, &s->in, &s->eg);
		if (ret < 0)
			return VR_USAGE;
		if (ret)
			continue;
		ret = place_parse_key(&a, &s->place);
		if (ret < 0)
			return VR_USAGE;
		if (ret)
			continue;
		if (strcmp(k, "link") && strcmp(k, "names") &&
		    strcmp(k, "mac") && strcmp(k, "mode") &&
		    strcmp(k, "ringsize") && strcmp(k, "spoofchk") &&
		    strcmp(k, "maclock") && strcmp(k, "local") &&
		    strcmp(k, "rxmode"))
			return vr_err(VR_USAGE,
				      "router add: unknown argument \"%s\"", k);
		v = vr_arg_value(&a, k);
		if (!v)
			return VR_USAGE;
		if (!strcmp(k, "link")) {
			if (!ifname_ok(v))
				return vr_err(VR_USAGE,
					      "link \"%s\": not a valid interface name",
					      v);
			if (s->nlinks >= VR_MAX_LINKS)
				return vr_err(VR_USAGE, "more than %d links",
					      VR_MAX_LINKS);
			s->lowers[s->nlinks++] = v;
		} else if (!strcmp(k, "names")) {
			if (s->nnames)
				return vr_err(VR_USAGE, "names given twice");
			if (router_list(k, v, router_add_name, s))
				return VR_USAGE;
		} else if (!strcmp(k, "mac")) {
			if (s->nmacs)
				return vr_err(VR_USAGE, "mac given twice");
			if (router_list(k, v, router_add_mac, s))
				return VR_USAGE;
		} else if (!strcmp(k, "mode")) {
			if (nmv_mode_parse(v, &s->mode))
				return vr_err(VR_USAGE,
					      "mode \"%s\": expected bridge, private, vepa or passthru",
					      v);
			s->has_mode = true;
		} else if (!strcmp(k, "ringsize")) {
			if (nmv_ring_parse(v, &s->ring))
				return vr_err(VR_USAGE,
					      "ringsize \"%s\": expected %d..%d",
					      v, NAPI_MACVLAN_RING_MIN,
					      NAPI_MACVLAN_RING_MAX);
			s->has_ring = true;
		} else if (!strcmp(k, "local")) {
			if (nmv_local_parse(v, &s->local))
				return vr_err(VR_USAGE,
					      "local \"%s\": expected ring or direct",
					      v);
			s->has_local = true;
		} else if (!strcmp(k, "rxmode")) {
			if (nmv_rxmode_parse(v, &s->rxmode))
				return vr_err(VR_USAGE,
					      "rxmode \"%s\": expected direct or thread",
					      v);
			s->has_rxmode = true;
		} else if (!strcmp(k, "spoofchk")) {
			if (router_on_off(k, v, NAPI_MACVLAN_F_SPOOFCHK,
					  &s->flags))
				return VR_USAGE;
		} else if (router_on_off(k, v, NAPI_MACVLAN_F_MACLOCK,
					 &s->flags)) {
			return VR_USAGE;
		}
	}
	if (!s->ns_kind)
		return vr_err(VR_USAGE,
			      "router add: the container namespace (netns, pid or path) is required");
	if (!s->nlinks)
		return vr_err(VR_USAGE, "router add: at least one link is required");
	if (s->nnames && s->nnames != s->nlinks)
		return vr_err(VR_USAGE, "names: %d given for %d links",
			      s->nnames, s->nlinks);
	if (s->nmacs && s->nmacs != s->nlinks)
		return vr_err(VR_USAGE, "mac: %d given for %d links", s->nmacs,
			      s->nlinks);
	for (i = 0; !s->nnames && i < s->nlinks; i++)
		snprintf(s->ifnames[i], IFNAMSIZ, "eth%d", i);
	if (rate_check(&s->in, &s->eg))
		return VR_USAGE;
	if (place_any(&s->place) &&
	    (!s->has_rxmode || s->rxmode != NAPI_MACVLAN_RXMODE_THREAD))
		return vr_err(VR_USAGE,
			      "cpus and cgroup place the routers' NAPI threads: they need rxmode thread");
	return VR_OK;
}

/* ---- add ---- */

struct router_made {
	int ifindex[VR_MAX_LINKS];
	bool profile[VR_MAX_LINKS];
	int n;
};

static void router_rollback(struct vr_ctx *c, const struct router_spec *s,
			    struct router_made *m)
{
	int i, err, left = 0;

	for (i = m->n - 1; i >= 0; i--) {
		if (m->profile[i])
			igtb_del(c, s->ifnames[i]);
		/* Deleting the device also drops its qdisc and profile. */
		err = nl_link_del(&c->rt, m->ifindex[i]);
		if (err && err != -ENODEV) {
			left++;
			vr_err(VR_KERNEL, "rollback: delete %s: %s",
			       s->ifnames[i], strerror(-err));
		}
	}
	if (!left && m->n)
		fprintf(stderr, "vrctl: rolled back %d device(s)\n", m->n);
}

/* the i-th device, born in the container's namespace */
static int router_create(struct vr_nl *rt0, struct vr_ctx *c,
			 const struct router_spec *s, int i, int lower)
{
	struct nl_nmv_new n = {
		.ifname = s->ifnames[i],
		.lower = lower,
		.nsfd = c->ns.fd,
		.mac = s->nmacs ? s->macs[i] : NULL,
		.has_mode = s->has_mode,
		.has_ring = s->has_ring,
		.has_local = s->has_local,
		.mode = s->mode,
		.ring = s->ring,
		.local = s->local,
		.has_rxmode = s->has_rxmode,
		.rxmode = s->rxmode,
		.flags = s->flags,
	};

	return nl_nmv_create(rt0, &n);
}

/* Place device @ifname's NAPI thread (its pid from a fresh look-up). */
static int router_place_dev(struct vr_ctx *c, const char *router,
			    const char *ifname, const struct vr_place *p)
{
	static bool noted;
	struct vr_link l;
	int err;

	err = nl_link_get(&c->rt, ifname, &l);
	if (err)
		return nl_kerr(err, "router %s: look up %s", router, ifname);
	err = place_thread(ifname, l.thread_pid, p);
	if (!err && !noted && place_cpu_max_ignored(p)) {
		noted = true;
		fprintf(stderr,
			"vrctl: note: router %s: cgroup %s has a cpu.max (or a parent has) that Linux 6.18 and newer do not apply to kernel threads: its NAPI threads are charged to it but not capped (cpu.weight still sets their share of a busy CPU)\n",
			router, p->cgroup);
	}
	return err;
}

static int router_exists(struct vr_ctx *c, const char *name, bool *found)
{
	struct vr_link *v;
	int i, n, err;

	*found = false;
	err = nl_links(&c->rt, &v, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		const char *r = nl_router_of(&v[i]);

		if (r && !strcmp(r, name))
			*found = true;
	}
	free(v);
	return 0;
}

static int router_add(int argc, char **argv)
{
	char alias[VR_NAME_MAX + sizeof(VR_ALIAS_PREFIX)];
	int lower[VR_MAX_LINKS], i, err, ret;
	struct router_made m = { .n = 0 };
	struct router_spec s;
	struct vr_ns ns, self;
	struct vr_ctx c;
	struct vr_nl rt0;
	struct vr_link l;
	bool found;

	ret = router_parse_add(argc, argv, &s);
	if (ret)
		return ret;
	ret = place_check(&s.place);
	if (ret)
		return ret;
	ret = ns_open(s.ns_kind, s.ns_arg, &ns);
	if (ret)
		return ret;
	ret = ns_open(NULL, NULL, &self);
	if (ret) {
		ns_close(&ns);
		return ret;
	}
	if (self.dev == ns.dev && self.ino == ns.ino) {
		ns_close(&ns);
		ns_close(&self);
		return vr_err(VR_USAGE, "%s %s is vrctl's own namespace, not a container's",
			      s.ns_kind, s.ns_arg);
	}
	ns_close(&self);
	ret = ctx_open(&c, &ns);
	if (ret)
		goto out_ctx;
	err = nl_open(&rt0, NETLINK_ROUTE, -1);
	if (err) {
		ret = nl_kerr(err, "router add %s: our namespace", s.name);
		goto out_ctx;
	}
	/* Checks that change nothing come first. */
	for (i = 0; i < s.nlinks; i++) {
		err = nl_link_get(&rt0, s.lowers[i], &l);
		if (err == -ENODEV || (!err && !l.ifindex)) {
			ret = vr_err(VR_USAGE, "link %s: no such device",
				     s.lowers[i]);
			goto out;
		}
		if (err) {
			ret = nl_kerr(err, "link %s: look up", s.lowers[i]);
			goto out;
		}
		lower[i] = l.ifindex;
	}
	err = router_exists(&c, s.name, &found);
	if (err) {
		ret = nl_kerr(err, "netns %s: list devices", c.ns.label);
		goto out;
	}
	if (found) {
		ret = vr_err(VR_USAGE, "router %s already exists in netns %s",
			     s.name, c.ns.label);
		goto out;
	}
	if (s.in.set && !c.igtb_fam) {
		ret = vr_err(VR_KERNEL,
			     "ingress profile: generic netlink family \"igtb\" not found (is igtb.ko loaded?)");
		goto out;
	}
	snprintf(alias, sizeof(alias), VR_ALIAS_PREFIX "%s", s.name);

	for (i = 0; i < s.nlinks; i++) {
		err = router_create(&rt0, &c, &s, i, lower[i]);
		if (err) {
			ret = nl_kerr(err, "router add %s: create %s on %s in netns %s",
				      s.name, s.ifnames[i], s.lowers[i],
				      c.ns.label);
			goto fail;
		}
		err = nl_link_get(&c.rt, s.ifnames[i], &l);
		if (err || !l.ifindex) {
			ret = nl_kerr(err ? err : -ENODEV,
				      "router add %s: find %s in netns %s",
				      s.name, s.ifnames[i], c.ns.label);
			/* Created but not found by name: renamed meanwhile by
			 * someone in the container; nothing safe to delete. */
			goto fail;
		}
		m.ifindex[m.n++] = l.ifindex;
		err = nl_link_set(&c.rt, l.ifindex, alias, false);
		if (err) {
			ret = nl_kerr(err, "router add %s: set alias of %s",
				      s.name, s.ifnames[i]);
			goto fail;
		}
		if (s.eg.set &&
		    (err = egress_set(&c, l.name, l.ifindex, &s.eg))) {
			ret = nl_kerr(err, "router add %s: egress profile on %s",
				      s.name, s.ifnames[i]);
			goto fail;
		}
		if (s.in.set && (err = igtb_set(&c, s.ifnames[i], &s.in))) {
			ret = nl_kerr(err, "router add %s: ingress profile on %s",
				      s.name, s.ifnames[i]);
			goto fail;
		}
		m.profile[m.n - 1] = s.in.set;
		/* the thread exists from creation: place it before traffic */
		if (place_any(&s.place)) {
			ret = router_place_dev(&c, s.name, s.ifnames[i],
					       &s.place);
			if (ret)
				goto fail;
		}
	}
	/* Up last, so no packet flows before the limits are in place. */
	for (i = 0; i < m.n; i++) {
		err = nl_link_set(&c.rt, m.ifindex[i], NULL, true);
		if (err) {
			ret = nl_kerr(err, "router add %s: set %s up", s.name,
				      s.ifnames[i]);
			goto fail;
		}
	}
	ret = VR_OK;
	goto out;
fail:
	router_rollback(&c, &s, &m);
out:
	nl_close(&rt0);
out_ctx:
	ctx_close(&c);
	return ret;
}

/* ---- set: the RX mode and the threads' placement of a router ---- */

struct router_set {
	const char *name;
	const char *ns_kind, *ns_arg;
	bool has_rxmode;
	uint32_t rxmode;
	struct vr_place place;
	int hits;
};

static int router_parse_set(int argc, char **argv, struct router_set *rs)
{
	struct vr_args a = { argc, argv };
	const char *v;
	int ret;

	memset(rs, 0, sizeof(*rs));
	if (a.argc < 1 || !router_name_ok(a.argv[0]))
		return vr_err(VR_USAGE, "router set: NAME is required");
	rs->name = a.argv[0];
	for (a.argc--, a.argv++; a.argc > 0; a.argc--, a.argv++) {
		ret = ns_parse_key(&a, &rs->ns_kind, &rs->ns_arg);
		if (!ret)
			ret = place_parse_key(&a, &rs->place);
		if (ret < 0)
			return VR_USAGE;
		if (ret)
			continue;
		if (strcmp(a.argv[0], "rxmode"))
			return vr_err(VR_USAGE,
				      "router set: unknown argument \"%s\" (rxmode, cpus, cgroup)",
				      a.argv[0]);
		v = vr_arg_value(&a, "rxmode");
		if (!v)
			return VR_USAGE;
		if (nmv_rxmode_parse(v, &rs->rxmode))
			return vr_err(VR_USAGE,
				      "rxmode \"%s\": expected direct or thread",
				      v);
		rs->has_rxmode = true;
	}
	if (!rs->has_rxmode && !place_any(&rs->place))
		return vr_err(VR_USAGE,
			      "router set: nothing to change (rxmode, cpus, cgroup)");
	if (place_any(&rs->place) && rs->has_rxmode &&
	    rs->rxmode != NAPI_MACVLAN_RXMODE_THREAD)
		return vr_err(VR_USAGE,
			      "cpus and cgroup place the routers' NAPI threads: they need rxmode thread");
	return place_check(&rs->place);
}

/*
 * vr_walk(): the devices of router rs->name in one namespace: the new RX
 * mode first (to thread: the thread exists afterwards), then the threads'
 * placement.  A device in rxmode direct has no thread to place.
 */
static int router_set_ns(struct vr_ctx *c, struct vr_link *v, int n,
			 void *data)
{
	struct router_set *rs = data;
	const char *r;
	int i, err, ret;

	for (i = 0; i < n; i++) {
		struct nl_nmv_change ch = {
			.ifindex = v[i].ifindex,
			.has_rxmode = true,
			.rxmode = rs->rxmode,
		};

		r = nl_router_of(&v[i]);
		if (!r || strcmp(r, rs->name))
			continue;
		rs->hits++;
		if (rs->has_rxmode) {
			err = nl_nmv_change(&c->rt, &ch);
			if (err)
				return nl_kerr(err, "router set %s: rxmode of %s",
					       r, v[i].name);
		} else if (place_any(&rs->place) &&
			   v[i].rxmode != NAPI_MACVLAN_RXMODE_THREAD) {
			return vr_err(VR_USAGE,
				      "router set %s: %s is in rxmode direct: no thread to place (add rxmode thread)",
				      r, v[i].name);
		}
		if (place_any(&rs->place)) {
			ret = router_place_dev(c, r, v[i].name, &rs->place);
			if (ret)
				return ret;
		}
	}
	return VR_OK;
}

static int router_set(int argc, char **argv)
{
	struct router_set rs;
	int ret, hits;

	ret = router_parse_set(argc, argv, &rs);
	if (ret)
		return ret;
	ret = vr_walk(rs.ns_kind, rs.ns_arg, NULL, router_set_ns, &rs, &hits);
	if (!ret && !rs.hits)
		return vr_err(VR_USAGE, "router %s not found", rs.name);
	return ret;
}

/* ---- del and show ---- */

struct router_sel {
	const char *name;
	const char *ns_kind, *ns_arg;
};

static int router_parse_sel(const char *verb, int argc, char **argv,
			    struct router_sel *sel)
{
	struct vr_args a = { argc, argv };
	int ret;

	memset(sel, 0, sizeof(*sel));
	for (; a.argc > 0; a.argc--, a.argv++) {
		ret = ns_parse_key(&a, &sel->ns_kind, &sel->ns_arg);
		if (ret < 0)
			return VR_USAGE;
		if (ret)
			continue;
		if (!sel->name && router_name_ok(a.argv[0]) &&
		    strcmp(a.argv[0], "dev")) {
			sel->name = a.argv[0];
			continue;
		}
		return vr_err(VR_USAGE, "router %s: unexpected argument \"%s\"",
			      verb, a.argv[0]);
	}
	if (!strcmp(verb, "del") && !sel->name)
		return vr_err(VR_USAGE, "router del: NAME is required");
	return VR_OK;
}

/*
 * The nsid of our own namespace as seen from the container, to tell
 * whether a device's IFLA_LINK_NETNSID points back to us (-1 if none).
 */
static int router_self_nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NETNSA_MAX + 1];

	nl_parse_msg(nlh, sizeof(struct rtgenmsg), tb, NETNSA_MAX);
	if (tb[NETNSA_NSID])
		*(int *)data = (int)mnl_attr_get_u32(tb[NETNSA_NSID]);
	return MNL_CB_OK;
}

static int router_self_nsid(struct vr_ctx *c, int selffd)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;
	int nsid = -1;

	nlh->nlmsg_type = RTM_GETNSID;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, selffd);
	if (nl_talk(&c->rt, nlh, router_self_nsid_cb, &nsid))
		return -1;
	return nsid;
}

static void router_lower_name(struct vr_ctx *c, struct vr_nl *rt0,
			      int self_nsid, const struct vr_link *l,
			      char *out, size_t len)
{
	struct vr_link *v = NULL;
	struct vr_nl *where = NULL;
	int i, n = 0;

	snprintf(out, len, "if%d", l->lower_ifindex);
	if (l->lower_nsid < 0)
		where = &c->rt;
	else if (self_nsid >= 0 && l->lower_nsid == self_nsid)
		where = rt0;
	if (!where || !where->sock || nl_links(where, &v, &n))
		return;
	for (i = 0; i < n; i++)
		if (v[i].ifindex == l->lower_ifindex)
			snprintf(out, len, "%s", v[i].name);
	free(v);
}

static void router_dev_json(struct json *j, const struct vr_link *l,
			    const char *lower, const struct vr_igtb *p,
			    const struct vr_tbf *t)
{
	char mac[18];
	int i;

	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", l->mac[0],
		 l->mac[1], l->mac[2], l->mac[3], l->mac[4], l->mac[5]);
	json_obj_open(j, NULL);
	json_str(j, "ifname", l->name);
	json_u64(j, "ifindex", l->ifindex);
	json_str(j, "address", mac);
	json_u64(j, "mtu", l->mtu);
	json_bool(j, "up", l->ifflags & IFF_UP);
	json_str(j, "link", lower);
	json_u64(j, "link_ifindex", l->lower_ifindex);
	json_str(j, "mode", l->has_mode ? nmv_mode_name(l->mode) : NULL);
	json_u64(j, "ringsize", l->ring);
	json_str(j, "local", l->has_local ? nmv_local_name(l->local) : NULL);
	json_bool(j, "spoofchk", l->flags & NAPI_MACVLAN_F_SPOOFCHK);
	json_bool(j, "maclock", l->flags & NAPI_MACVLAN_F_MACLOCK);
	json_str(j, "rxmode", l->has_rxmode ? nmv_rxmode_name(l->rxmode) : NULL);
	stats_thread_json(j, l);
	rate_json(j, p, t);
	json_obj_open(j, "stats");
	stats_link_json(j, l);
	for (i = 0; i <= NAPI_MACVLAN_XSTATS_MAX; i++)
		if (nmv_xstat_name(i))
			json_u64(j, nmv_xstat_name(i), l->xstats[i]);
	json_obj_close(j);
	json_obj_close(j);
}

static void router_dev_text(const struct vr_link *l, const char *lower,
			    const struct vr_igtb *p, const struct vr_tbf *t)
{
	const char *mode = l->has_mode ? nmv_mode_name(l->mode) : NULL;
	const char *local = l->has_local ? nmv_local_name(l->local) : NULL;

	printf("  %d: %s@%s: <%s> mtu %u mode %s ringsize %u local %s spoofchk %s maclock %s\n",
	       l->ifindex, l->name, lower, l->ifflags & IFF_UP ? "UP" : "DOWN",
	       l->mtu, mode ? mode : "?", l->ring, local ? local : "?",
	       l->flags & NAPI_MACVLAN_F_SPOOFCHK ? "on" : "off",
	       l->flags & NAPI_MACVLAN_F_MACLOCK ? "on" : "off");
	printf("    link/ether %02x:%02x:%02x:%02x:%02x:%02x\n", l->mac[0],
	       l->mac[1], l->mac[2], l->mac[3], l->mac[4], l->mac[5]);
	if (l->has_rxmode)
		printf("    rxmode %s\n", nmv_rxmode_name(l->rxmode) ?
		       nmv_rxmode_name(l->rxmode) : "?");
	stats_thread_text(l);
	rate_text(p, t);
	if (vr_opts.stats) {
		stats_link_text(l);
	}
}

struct router_walk {
	const struct router_sel *sel;
	bool del;
	struct json *j;
	int hits;		/* devices shown or deleted */
};

/* Delete the devices of router sel->name in one namespace. */
static int router_del_ns(struct vr_ctx *c, struct vr_link *v, int n,
			 struct router_walk *w)
{
	const char *r;
	int i, err;

	for (i = 0; i < n; i++) {
		r = nl_router_of(&v[i]);
		if (!r || strcmp(r, w->sel->name))
			continue;
		w->hits++;
		igtb_del(c, v[i].name);
		err = nl_link_del(&c->rt, v[i].ifindex);
		if (err && err != -ENODEV)
			return nl_kerr(err, "router del %s: delete %s", r,
				       v[i].name);
	}
	return VR_OK;
}

/* The header of one owner's devices. */
static void router_group_open(struct vr_ctx *c, const char *r,
			      const char *owner, struct json *j)
{
	if (vr_opts.json) {
		json_obj_open(j, NULL);
		json_str(j, "router", r);
		json_str(j, "owner", owner[0] ? owner : NULL);
		json_str(j, "netns", c->ns.label);
		json_arr_open(j, "devices");
	} else if (r) {
		printf("router %s netns %s\n", r, c->ns.label);
	} else {
		printf("owner %s netns %s\n", owner[0] ? owner : "none",
		       c->ns.label);
	}
}

/*
 * vr_walk(): show the napi_macvlan devices of one namespace grouped by
 * owner (v is sorted by it): vrctl's routers, the CNI plugin's containers,
 * and devices nobody marked; only router sel->name's if one is named.
 */
static int router_ns(struct vr_ctx *c, struct vr_link *v, int n, void *data)
{
	char lower[IFNAMSIZ + 16], owner[VR_OWNER_MAX], last[VR_OWNER_MAX];
	struct router_walk *w = data;
	struct vr_nl rt0 = { 0 };
	bool open_group = false;
	int i, self_nsid = -1;
	struct vr_ns self;
	const char *r;

	if (w->del)
		return router_del_ns(c, v, n, w);
	if (!ns_open(NULL, NULL, &self)) {
		self_nsid = router_self_nsid(c, self.fd);
		ns_close(&self);
	}
	/* Only to name lowers in our namespace: without it they show as
	 * ifN. */
	if (nl_open(&rt0, NETLINK_ROUTE, -1))
		rt0.sock = NULL;
	for (i = 0; i < n; i++) {
		struct vr_igtb p = { .present = false };
		struct vr_tbf t = { .present = false };

		r = nl_router_of(&v[i]);
		if (w->sel->name && (!r || strcmp(r, w->sel->name)))
			continue;
		w->hits++;
		router_lower_name(c, &rt0, self_nsid, &v[i], lower,
				  sizeof(lower));
		if (igtb_get(c, v[i].name, &p))
			p.present = false;
		if (egress_get(c, v[i].name, v[i].ifindex, &t))
			t.present = false;
		vr_owner(v[i].alias, owner, sizeof(owner));
		if (!open_group || strcmp(last, owner)) {
			if (open_group && vr_opts.json) {
				json_arr_close(w->j);
				json_obj_close(w->j);
			}
			snprintf(last, sizeof(last), "%s", owner);
			open_group = true;
			router_group_open(c, r, owner, w->j);
		}
		if (vr_opts.json)
			router_dev_json(w->j, &v[i], lower, &p, &t);
		else
			router_dev_text(&v[i], lower, &p, &t);
	}
	if (open_group && vr_opts.json) {
		json_arr_close(w->j);
		json_obj_close(w->j);
	}
	nl_close(&rt0);
	return VR_OK;
}

static int router_del_show(bool del, int argc, char **argv)
{
	struct router_sel sel;
	struct json j;
	struct router_walk w = { &sel, del, &j, 0 };
	int ret, hits;

	ret = router_parse_sel(del ? "del" : "show", argc, argv, &sel);
	if (ret)
		return ret;
	json_init(&j, stdout);
	if (!del && vr_opts.json)
		json_arr_open(&j, NULL);
	ret = vr_walk(sel.ns_kind, sel.ns_arg, NULL, router_ns, &w, &hits);
	if (!del && vr_opts.json) {
		json_arr_close(&j);
		json_end(&j);
	}
	if (!ret && sel.name && !w.hits)
		return vr_err(VR_USAGE, "router %s not found", sel.name);
	return ret;
}

int cmd_router(int argc, char **argv)
{
	if (argc < 1 || !strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return router_del_show(false, argc ? argc - 1 : 0, argv + 1);
	if (!strcmp(argv[0], "add"))
		return router_add(argc - 1, argv + 1);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return router_del_show(true, argc - 1, argv + 1);
	if (!strcmp(argv[0], "set"))
		return router_set(argc - 1, argv + 1);
	return vr_err(VR_USAGE, "router: unknown command \"%s\" (add, set, del, show)",
		      argv[0]);
}
