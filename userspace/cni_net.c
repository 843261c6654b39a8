// SPDX-License-Identifier: GPL-2.0
/*
 * napi-macvlan CNI plugin, netlink side: the container's device, its
 * addresses and routes, its ingress profile and egress shaper.  Built on
 * vrctl's nl.c (sockets bound to a namespace, extack), netns.c and rate.c
 * (igtb, both directions), so the plugin and vrctl configure a device the same way.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "cni.h"
#include "nl.h"
#include "rate.h"

char cni_msg[512];

/* What vrctl's front end defines for nl.c, netns.c and rate.c. */
struct vr_opts vr_opts;

int vr_err(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cni_msg, sizeof(cni_msg), fmt, ap);
	va_end(ap);
	return code;
}

/* cni_msg = "STEP: strerror[: extack]", returns code. */
static int cni_kerr(int code, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int cni_kerr(int code, int err, const char *fmt, ...)
{
	char step[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(step, sizeof(step), fmt, ap);
	va_end(ap);
	if (nl_extack[0])
		snprintf(cni_msg, sizeof(cni_msg), "%.200s: %s: %.250s", step,
			 strerror(-err), nl_extack);
	else
		snprintf(cni_msg, sizeof(cni_msg), "%s: %s", step,
			 strerror(-err));
	return code;
}

struct cni_ns {
	struct vr_ctx c;
};

int cni_ns_open(const char *path, struct cni_ns **out)
{
	struct cni_ns *ns;
	struct vr_ns n;

	*out = NULL;
	if (access(path, F_OK)) {
		snprintf(cni_msg, sizeof(cni_msg), "netns %s: %s", path,
			 strerror(errno));
		return CNI_ERR_CONTAINER;
	}
	if (ns_open("path", path, &n))
		return CNI_ERR_CONTAINER;
	ns = calloc(1, sizeof(*ns));
	if (!ns) {
		ns_close(&n);
		snprintf(cni_msg, sizeof(cni_msg), "out of memory");
		return CNI_ERR_IO;
	}
	if (ctx_open(&ns->c, &n)) {
		ctx_close(&ns->c);
		free(ns);
		/* setns() refuses what is not a network namespace. */
		return CNI_ERR_CONTAINER;
	}
	*out = ns;
	return 0;
}

void cni_ns_close(struct cni_ns *ns)
{
	if (!ns)
		return;
	ctx_close(&ns->c);
	free(ns);
}

int cni_net_master_ok(const char *master, int *ifindex)
{
	struct vr_nl rt0;
	struct vr_link l;
	int err;

	err = nl_open(&rt0, NETLINK_ROUTE, -1);
	if (err)
		return cni_kerr(CNI_ERR_IO, err, "rtnetlink socket");
	err = nl_link_get(&rt0, master, &l);
	nl_close(&rt0);
	if (err == -ENODEV || (!err && !l.ifindex)) {
		snprintf(cni_msg, sizeof(cni_msg), "master %s: no such device",
			 master);
		return CNI_ERR_CONFIG;
	}
	if (err)
		return cni_kerr(CNI_ERR_KERNEL, err, "master %s: look up",
				master);
	*ifindex = l.ifindex;
	return 0;
}

/* the device, born in the container's namespace */
static int cni_create(struct vr_nl *rt0, struct cni_ns *ns,
		      const struct cni_conf *conf, const char *ifname,
		      int lower)
{
	struct nl_nmv_new n = {
		.ifname = ifname,
		.lower = lower,
		.nsfd = ns->c.ns.fd,
		.mtu = conf->mtu,
		.has_mode = conf->has_mode,
		.has_ring = conf->has_ring,
		.has_local = conf->has_local,
		.mode = conf->mode,
		.ring = conf->ring,
		.local = conf->local,
		.has_rxmode = conf->has_rxmode,
		.rxmode = conf->rxmode,
		.flags = conf->flags,
		.mac = conf->mac_from != CNI_MAC_RANDOM ? conf->mac : NULL,
	};

	return nl_nmv_create(rt0, &n);
}

/*
 * Where the NAPI thread goes.  The pod's cgroup (cgroupPath) has children
 * with controllers enabled, so cgroup v2 takes no task into it ("no
 * internal processes"): the thread goes into a leaf child of it, made
 * here, whose usage counts against the pod's limits.
 */
static int cni_thread_place(const struct cni_conf *conf, const char *ifname,
			    uint32_t pid)
{
	struct vr_place p = conf->place;
	char leaf[PATH_MAX + sizeof(CNI_THREAD_CGROUP) + 1];

	if (place_check(&p))
		return CNI_ERR_CONFIG;
	if (conf->cgroup_from_runtime) {
		if (snprintf(leaf, sizeof(leaf), "%s/" CNI_THREAD_CGROUP,
			     p.cgdir) >= (int)sizeof(p.cgdir))
			return vr_err(CNI_ERR_CONFIG, "cgroup path too long");
		if (mkdir(leaf, 0755) && errno != EEXIST)
			return vr_err(CNI_ERR_IO, "mkdir %s: %s", leaf,
				      strerror(errno));
		memcpy(p.cgdir, leaf, strlen(leaf) + 1);
	}
	if (place_thread(ifname, pid, &p))
		return CNI_ERR_KERNEL;
	return 0;
}

void cni_net_thread_cgroup_del(const struct cni_conf *conf)
{
	char dir[PATH_MAX], leaf[PATH_MAX + sizeof(CNI_THREAD_CGROUP) + 1];
	int i;

	if (!conf->cgroup_from_runtime ||
	    place_cgroup_dir(conf->cgroup, dir, sizeof(dir)))
		return;
	snprintf(leaf, sizeof(leaf), "%s/" CNI_THREAD_CGROUP, dir);
	/* the deleted device's thread may take a moment to exit */
	for (i = 0; i < 50 && rmdir(leaf) && errno == EBUSY; i++)
		usleep(20000);
}

int cni_net_create(struct cni_ns *ns, const struct cni_conf *conf,
		   const char *ifname, const char *alias, struct cni_link *out)
{
	struct vr_link l;
	struct vr_nl rt0;
	int lower, err, ret;

	ret = cni_net_master_ok(conf->master, &lower);
	if (ret)
		return ret;
	err = nl_link_get(&ns->c.rt, ifname, &l);
	if (!err && l.ifindex) {
		snprintf(cni_msg, sizeof(cni_msg),
			 "%s already exists in the container", ifname);
		return CNI_ERR_EXISTS;
	}
	if (err && err != -ENODEV)
		return cni_kerr(CNI_ERR_KERNEL, err, "look up %s", ifname);
	if (conf->in.set && !ns->c.igtb_fam) {
		snprintf(cni_msg, sizeof(cni_msg),
			 "ingress profile: generic netlink family \"igtb\" not found (is igtb.ko loaded?)");
		return CNI_ERR_KERNEL;
	}
	err = nl_open(&rt0, NETLINK_ROUTE, -1);
	if (err)
		return cni_kerr(CNI_ERR_IO, err, "rtnetlink socket");
	err = cni_create(&rt0, ns, conf, ifname, lower);
	nl_close(&rt0);
	/* rtnetlink's answer for a link kind no module registered. */
	if (err == -EOPNOTSUPP) {
		snprintf(cni_msg, sizeof(cni_msg),
			 "create napi_macvlan %s on %s: the kernel has no napi_macvlan link type (is napi_macvlan.ko loaded?)",
			 ifname, conf->master);
		return CNI_ERR_KERNEL;
	}
	if (err)
		return cni_kerr(CNI_ERR_KERNEL, err,
				"create napi_macvlan %s on %s", ifname,
				conf->master);
	err = nl_link_get(&ns->c.rt, ifname, &l);
	if (err || !l.ifindex)
		/* Renamed meanwhile by someone in the container: nothing
		 * that is safe to delete. */
		return cni_kerr(CNI_ERR_KERNEL, err ? err : -ENODEV,
				"find %s after creating it", ifname);
	out->ifindex = l.ifindex;
	memcpy(out->mac, l.mac, 6);
	ret = CNI_ERR_KERNEL;
	err = nl_link_set(&ns->c.rt, l.ifindex, alias, false);
	if (err) {
		cni_kerr(ret, err, "set the alias of %s", ifname);
		goto fail;
	}
	if (conf->eg.set &&
	    (err = egress_set(&ns->c, l.name, l.ifindex, &conf->eg))) {
		cni_kerr(ret, err, "egress profile on %s", ifname);
		goto fail;
	}
	if (conf->in.set && (err = igtb_set(&ns->c, ifname, &conf->in))) {
		cni_kerr(ret, err, "ingress profile on %s", ifname);
		goto fail;
	}
	/* the thread exists from creation: placed before the device is up */
	if (place_any(&conf->place)) {
		ret = cni_thread_place(conf, ifname, l.thread_pid);
		if (ret)
			goto fail;
	}
	return 0;
fail:
	/* Deleting the device drops its qdisc and its profile too. */
	nl_link_del(&ns->c.rt, l.ifindex);
	return ret;
}

static int cni_addr(struct cni_ns *ns, int ifindex, const struct cni_ip *ip)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int alen = ip->family == AF_INET ? 4 : 16;
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = ip->family;
	ifa->ifa_prefixlen = ip->prefix;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, ip->addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, ip->addr);
	if (ip->family == AF_INET6)
		/* The address is the IPAM's to hand out: no DAD wait before
		 * the container can use it. */
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	return nl_talk(&ns->c.rt, nlh, NULL, NULL);
}

static int cni_route(struct cni_ns *ns, int ifindex, const struct cni_ip *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int alen = r->family == AF_INET ? 4 : 16;
	struct rtmsg *rtm;

	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = r->family;
	rtm->rtm_dst_len = r->prefix;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = r->has_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	if (r->prefix)
		mnl_attr_put(nlh, RTA_DST, alen, r->addr);
	if (r->has_gw)
		mnl_attr_put(nlh, RTA_GATEWAY, alen, r->gw);
	mnl_attr_put_u32(nlh, RTA_OIF, ifindex);
	return nl_talk(&ns->c.rt, nlh, NULL, NULL);
}

static const char *cni_ntop(const struct cni_ip *ip, const unsigned char *a,
			    char *buf, size_t len)
{
	if (!inet_ntop(ip->family, a, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

int cni_net_configure(struct cni_ns *ns, int ifindex,
		      const struct cni_net *net)
{
	char a[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];
	int i, err;

	for (i = 0; i < net->nips; i++) {
		err = cni_addr(ns, ifindex, &net->ips[i]);
		if (err)
			return cni_kerr(CNI_ERR_KERNEL, err, "add address %s/%d",
					cni_ntop(&net->ips[i],
						 net->ips[i].addr, a,
						 sizeof(a)),
					net->ips[i].prefix);
	}
	/* Up after the limits and addresses are in place, before the
	 * routes: the kernel adds the prefix routes only on an up device,
	 * and a gateway must be reachable through one of them. */
	err = nl_link_set(&ns->c.rt, ifindex, NULL, true);
	/* The kernel refuses an address already on the master (its own or
	 * another napi_macvlan's) only when the device goes up. */
	if (err == -EADDRINUSE)
		return cni_kerr(CNI_ERR_KERNEL, err,
				"set the device up (its MAC address is already in use on the master)");
	if (err)
		return cni_kerr(CNI_ERR_KERNEL, err, "set the device up");
	for (i = 0; i < net->nroutes; i++) {
		const struct cni_ip *r = &net->routes[i];

		err = cni_route(ns, ifindex, r);
		if (err)
			return cni_kerr(CNI_ERR_KERNEL, err,
					"add route %s/%d via %s",
					cni_ntop(r, r->addr, a, sizeof(a)),
					r->prefix,
					r->has_gw ? cni_ntop(r, r->gw, g,
							     sizeof(g)) :
						    "(link)");
	}
	return 0;
}

int cni_net_delete(struct cni_ns *ns, const char *ifname, const char *alias)
{
	struct vr_link *v = NULL;
	int i, n = 0, err, ret = 0;

	(void)ifname;
	err = nl_links(&ns->c.rt, &v, &n);
	if (err)
		return cni_kerr(CNI_ERR_KERNEL, err, "list devices");
	/* By the alias, not the name: the container may have renamed it. */
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].kind, NAPI_MACVLAN_KIND) ||
		    strcmp(v[i].alias, alias))
			continue;
		igtb_del(&ns->c, v[i].name);
		err = nl_link_del(&ns->c.rt, v[i].ifindex);
		if (err && err != -ENODEV) {
			ret = cni_kerr(CNI_ERR_KERNEL, err, "delete %s",
				       v[i].name);
			break;
		}
	}
	free(v);
	return ret;
}

/* ---- CHECK ---- */

struct cni_dump {
	int ifindex;
	const struct cni_ip *want;
	bool found;
};

static int cni_addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1], *a;
	struct cni_dump *d = data;
	int alen = d->want->family == AF_INET ? 4 : 16;

	if (nlh->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != d->ifindex ||
	    ifa->ifa_family != d->want->family ||
	    ifa->ifa_prefixlen != d->want->prefix)
		return MNL_CB_OK;
	nl_parse_msg(nlh, sizeof(*ifa), tb, IFA_MAX);
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (a && mnl_attr_get_payload_len(a) == (unsigned int)alen &&
	    !memcmp(mnl_attr_get_payload(a), d->want->addr, alen))
		d->found = true;
	return MNL_CB_OK;
}

static int cni_route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1];
	struct cni_dump *d = data;
	const struct cni_ip *r = d->want;
	int alen = r->family == AF_INET ? 4 : 16;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_family != r->family ||
	    rtm->rtm_dst_len != r->prefix)
		return MNL_CB_OK;
	nl_parse_msg(nlh, sizeof(*rtm), tb, RTA_MAX);
	if (!tb[RTA_OIF] || (int)mnl_attr_get_u32(tb[RTA_OIF]) != d->ifindex)
		return MNL_CB_OK;
	if (r->prefix && (!tb[RTA_DST] ||
			  memcmp(mnl_attr_get_payload(tb[RTA_DST]), r->addr,
				 alen)))
		return MNL_CB_OK;
	if (r->has_gw && (!tb[RTA_GATEWAY] ||
			  memcmp(mnl_attr_get_payload(tb[RTA_GATEWAY]), r->gw,
				 alen)))
		return MNL_CB_OK;
	d->found = true;
	return MNL_CB_OK;
}

static int cni_dump(struct cni_ns *ns, int type, int ifindex,
		    const struct cni_ip *want, bool *found)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct cni_dump d = { ifindex, want, false };
	int err;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	if (type == RTM_GETADDR) {
		struct ifaddrmsg *ifa;

		ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = want->family;
		err = nl_talk(&ns->c.rt, nlh, cni_addr_cb, &d);
	} else {
		struct rtmsg *rtm;

		rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
		rtm->rtm_family = want->family;
		err = nl_talk(&ns->c.rt, nlh, cni_route_cb, &d);
	}
	*found = d.found;
	return err;
}

#define CHECK_FAIL(...) do {						\
		snprintf(cni_msg, sizeof(cni_msg), __VA_ARGS__);	\
		return CNI_ERR_CHECK;					\
	} while (0)

static int cni_check_rate(struct cni_ns *ns, const struct cni_conf *conf,
			  const char *ifname, int ifindex)
{
	struct vr_igtb p;
	struct vr_tbf t;
	int err;

	err = igtb_get(&ns->c, ifname, &p);
	if (err && err != -ENOENT && err != -ENODATA && err != -ENODEV)
		return cni_kerr(CNI_ERR_KERNEL, err, "get the ingress profile of %s",
				ifname);
	if (err)
		p.present = false;
	if (conf->in.set && !p.present)
		CHECK_FAIL("%s: the ingress profile is missing", ifname);
	if (!conf->in.set && p.present)
		CHECK_FAIL("%s: has an ingress profile the config does not have",
			   ifname);
	if (conf->in.set && (p.rate != conf->in.rate ||
			     p.pkt_rate != conf->in.pps ||
			     (conf->in.burst && p.burst != conf->in.burst) ||
			     (conf->in.pburst &&
			      p.pkt_burst != conf->in.pburst)))
		CHECK_FAIL("%s: the ingress profile differs from the config",
			   ifname);
	err = egress_get(&ns->c, ifname, ifindex, &t);
	if (err)
		return cni_kerr(CNI_ERR_KERNEL, err, "get the qdisc of %s",
				ifname);
	if (conf->eg.set && !t.present)
		CHECK_FAIL("%s: the egress profile is missing", ifname);
	if (conf->eg.set && (t.rate / 8 != conf->eg.rate / 8 ||
			     t.pkt_rate != conf->eg.pps))
		CHECK_FAIL("%s: the egress rate differs from the config",
			   ifname);
	return 0;
}

int cni_net_check(struct cni_ns *ns, const struct cni_conf *conf,
		  const char *ifname, const char *alias,
		  const struct cni_net *net, const unsigned char *mac)
{
	char a[INET6_ADDRSTRLEN], m1[18], m2[18];
	struct vr_link l;
	bool found;
	int err, ret, i;

	err = nl_link_get(&ns->c.rt, ifname, &l);
	if (err == -ENODEV || (!err && !l.ifindex))
		CHECK_FAIL("%s: no such device in the container", ifname);
	if (err)
		return cni_kerr(CNI_ERR_KERNEL, err, "look up %s", ifname);
	if (strcmp(l.kind, NAPI_MACVLAN_KIND))
		CHECK_FAIL("%s: is a %s device, not napi_macvlan", ifname,
			   l.kind[0] ? l.kind : "(kindless)");
	if (strcmp(l.alias, alias))
		CHECK_FAIL("%s: alias \"%s\", expected \"%s\"", ifname, l.alias,
			   alias);
	if (!(l.ifflags & IFF_UP))
		CHECK_FAIL("%s: is down", ifname);
	if (mac && memcmp(l.mac, mac, 6)) {
		cni_fmt_mac(l.mac, m1, sizeof(m1));
		cni_fmt_mac(mac, m2, sizeof(m2));
		CHECK_FAIL("%s: MAC address %s, prevResult says %s", ifname,
			   m1, m2);
	}
	if (conf->mtu && l.mtu != conf->mtu)
		CHECK_FAIL("%s: mtu %u, the config says %u", ifname, l.mtu,
			   conf->mtu);
	if (conf->has_mode && l.has_mode && l.mode != conf->mode)
		CHECK_FAIL("%s: mode differs from the config", ifname);
	ret = cni_net_master_ok(conf->master, &i);
	if (ret)
		return ret;
	ret = cni_check_rate(ns, conf, ifname, l.ifindex);
	if (ret)
		return ret;
	for (i = 0; i < net->nips; i++) {
		err = cni_dump(ns, RTM_GETADDR, l.ifindex, &net->ips[i],
			       &found);
		if (err)
			return cni_kerr(CNI_ERR_KERNEL, err, "list addresses");
		if (!found)
			CHECK_FAIL("%s: address %s/%d is missing", ifname,
				   cni_ntop(&net->ips[i], net->ips[i].addr, a,
					    sizeof(a)),
				   net->ips[i].prefix);
	}
	for (i = 0; i < net->nroutes; i++) {
		err = cni_dump(ns, RTM_GETROUTE, l.ifindex, &net->routes[i],
			       &found);
		if (err)
			return cni_kerr(CNI_ERR_KERNEL, err, "list routes");
		if (!found)
			CHECK_FAIL("%s: route to %s/%d is missing", ifname,
				   cni_ntop(&net->routes[i],
					    net->routes[i].addr, a, sizeof(a)),
				   net->routes[i].prefix);
	}
	return 0;
}
