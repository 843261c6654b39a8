// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink helpers for vrctl.  Every socket is bound to a namespace when it
 * is created (the kernel keeps a socket's namespace for its whole life), so
 * entering a namespace is confined to nl_open() and never outlives it.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/genetlink.h>
#include <linux/rtnetlink.h>

#include "vrctl.h"
#include "nl.h"
#include "cni.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

char nl_extack[512];

/* Large enough for a dump message carrying many links. */
#define NL_RCVBUF 65536

/* ---- sockets ---- */

int vr_nl_opened;
char nl_call[64];

/* Note which call failed (for nl_kerr) and return -errno. */
static int nl_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static int nl_fail(const char *fmt, ...)
{
	int err = errno ? errno : EIO;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(nl_call, sizeof(nl_call), fmt, ap);
	va_end(ap);
	return -err;
}

/* Whether fds a and b are the same namespace (same nsfs inode). */
static bool nl_same_ns(int a, int b)
{
	struct stat sa, sb;

	return !fstat(a, &sa) && !fstat(b, &sb) && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

int nl_open(struct vr_nl *nl, int bus, int nsfd)
{
	const char *bus_name = bus == NETLINK_ROUTE ? "NETLINK_ROUTE" :
			       bus == NETLINK_GENERIC ? "NETLINK_GENERIC" :
			       "netlink";
	int self = -1, one = 1, err = 0;

	vr_nl_opened++;
	nl_call[0] = '\0';
	nl->sock = NULL;
	nl->seq = (unsigned int)getpid() << 8;
	if (nsfd >= 0) {
		self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (self < 0)
			return nl_fail("open /proc/self/ns/net");
		/*
		 * Already there: no setns(), which needs CAP_SYS_ADMIN over
		 * the namespace even to enter our own (a container's root in
		 * its user namespace lacks it).
		 */
		if (nl_same_ns(self, nsfd)) {
			close(self);
			self = -1;
		} else if (setns(nsfd, CLONE_NEWNET)) {
			err = nl_fail("setns");
			close(self);
			return err;
		}
	}
	errno = 0;
	nl->sock = mnl_socket_open(bus);
	if (!nl->sock)
		err = nl_fail("socket(%s)", bus_name);
	else if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID))
		err = nl_fail("bind(%s)", bus_name);
	if (self >= 0) {
		/* Going back cannot fail for a namespace we were just in. */
		if (setns(self, CLONE_NEWNET) && !err)
			err = nl_fail("setns back to our namespace");
		close(self);
	}
	if (err) {
		if (nl->sock)
			mnl_socket_close(nl->sock);
		nl->sock = NULL;
		return err;
	}
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	return 0;
}

void nl_close(struct vr_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

static void nl_take_extack(const struct nlmsghdr *nlh, size_t off)
{
	const struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (off > nlh->nlmsg_len - NLMSG_HDRLEN)
		return;
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING)) {
			snprintf(nl_extack, sizeof(nl_extack), "%s",
				 mnl_attr_get_str(a));
			/* The kernel's messages have no trailing newline
			 * but some carry one; keep output on one line. */
			nl_extack[strcspn(nl_extack, "\n")] = '\0';
		}
	}
}

static int nl_error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off;

	(void)data;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	nl_take_extack(nlh, off);
	if (e->error) {
		errno = -e->error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int nl_done_cb(const struct nlmsghdr *nlh, void *data)
{
	int err = 0;

	(void)data;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	nl_take_extack(nlh, sizeof(int));
	if (err < 0) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int nl_noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

int nl_talk(struct vr_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_NOOP]	= nl_noop_cb,
		[NLMSG_ERROR]	= nl_error_cb,
		[NLMSG_DONE]	= nl_done_cb,
		[NLMSG_OVERRUN]	= nl_noop_cb,
	};
	char *buf;
	ssize_t len;
	int ret;

	nl_extack[0] = '\0';
	nl_call[0] = '\0';
	nlh->nlmsg_seq = ++nl->seq;
	nlh->nlmsg_pid = 0;
	/* NLM_F_DUMP shares bits with NLM_F_EXCL/REPLACE of new requests. */
	if ((nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP ||
	    (nlh->nlmsg_flags & NLM_F_CREATE))
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return nl_fail("sendmsg");
	buf = malloc(NL_RCVBUF);
	if (!buf)
		return -ENOMEM;
	do {
		len = mnl_socket_recvfrom(nl->sock, buf, NL_RCVBUF);
		if (len < 0) {
			ret = nl_fail("recvmsg");
			goto out;
		}
		ret = mnl_cb_run2(buf, len, nlh->nlmsg_seq, nl->portid, cb,
				  data, ctl, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	ret = ret < 0 ? (errno ? -errno : -EIO) : 0;
out:
	free(buf);
	return ret;
}

int nl_kerr(int err, const char *fmt, ...)
{
	char step[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(step, sizeof(step), fmt, ap);
	va_end(ap);
	if (nl_call[0])
		return vr_err(VR_KERNEL, "%s: %s: %s", step, nl_call,
			      strerror(-err));
	if (nl_extack[0])
		return vr_err(VR_KERNEL, "%s: %s: %s", step, strerror(-err),
			      nl_extack);
	return vr_err(VR_KERNEL, "%s: %s", step, strerror(-err));
}

/* ---- attributes ---- */

struct nl_tb {
	const struct nlattr **tb;
	int max;
};

static int nl_tb_cb(const struct nlattr *a, void *data)
{
	struct nl_tb *t = data;
	int type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

int nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		  int max)
{
	struct nl_tb t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (!nest)
		return 0;
	return mnl_attr_parse_nested(nest, nl_tb_cb, &t) < 0 ? -EINVAL : 0;
}

int nl_parse_msg(const struct nlmsghdr *nlh, size_t hdrlen,
		 const struct nlattr **tb, int max)
{
	struct nl_tb t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	return mnl_attr_parse(nlh, hdrlen, nl_tb_cb, &t) < 0 ? -EINVAL : 0;
}

uint64_t nl_get_u64(const struct nlattr *a)
{
	uint64_t v = 0;

	if (!a)
		return 0;
	if (mnl_attr_get_payload_len(a) >= 8)
		memcpy(&v, mnl_attr_get_payload(a), 8);
	else if (mnl_attr_get_payload_len(a) >= 4)
		v = mnl_attr_get_u32(a);
	return v;
}

/* ---- links ---- */

static uint32_t nl_u32(const struct nlattr *a)
{
	return mnl_attr_get_payload_len(a) >= 4 ? mnl_attr_get_u32(a) : 0;
}

static void nl_link_info(const struct nlattr *linkinfo, struct vr_link *l)
{
	const struct nlattr *li[IFLA_INFO_MAX + 1];
	const struct nlattr *d[IFLA_NAPI_MACVLAN_MAX + 1];
	const struct nlattr *x[NAPI_MACVLAN_XSTATS_MAX + 1];
	int i;

	nl_parse_nest(linkinfo, li, IFLA_INFO_MAX);
	if (li[IFLA_INFO_KIND])
		snprintf(l->kind, sizeof(l->kind), "%.*s",
			 (int)mnl_attr_get_payload_len(li[IFLA_INFO_KIND]),
			 (const char *)mnl_attr_get_payload(li[IFLA_INFO_KIND]));
	if (strcmp(l->kind, NAPI_MACVLAN_KIND))
		return;
	nl_parse_nest(li[IFLA_INFO_DATA], d, IFLA_NAPI_MACVLAN_MAX);
	if (d[IFLA_NAPI_MACVLAN_MODE]) {
		l->has_mode = true;
		l->mode = nl_u32(d[IFLA_NAPI_MACVLAN_MODE]);
	}
	if (d[IFLA_NAPI_MACVLAN_RING_SIZE]) {
		l->has_ring = true;
		l->ring = nl_u32(d[IFLA_NAPI_MACVLAN_RING_SIZE]);
	}
	if (d[IFLA_NAPI_MACVLAN_FLAGS]) {
		l->has_flags = true;
		l->flags = nl_u32(d[IFLA_NAPI_MACVLAN_FLAGS]);
	}
	if (d[IFLA_NAPI_MACVLAN_LOCAL]) {
		l->has_local = true;
		l->local = nl_u32(d[IFLA_NAPI_MACVLAN_LOCAL]);
	}
	if (d[IFLA_NAPI_MACVLAN_RXMODE]) {
		l->has_rxmode = true;
		l->rxmode = nl_u32(d[IFLA_NAPI_MACVLAN_RXMODE]);
	}
	if (d[IFLA_NAPI_MACVLAN_THREAD_PID])
		l->thread_pid = nl_u32(d[IFLA_NAPI_MACVLAN_THREAD_PID]);
	if (li[IFLA_INFO_XSTATS]) {
		l->has_xstats = true;
		nl_parse_nest(li[IFLA_INFO_XSTATS], x, NAPI_MACVLAN_XSTATS_MAX);
		for (i = 0; i <= NAPI_MACVLAN_XSTATS_MAX; i++)
			l->xstats[i] = nl_get_u64(x[i]);
	}
}

static void nl_link_fill(const struct nlmsghdr *nlh, struct vr_link *l)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1];

	memset(l, 0, sizeof(*l));
	l->ifindex = ifm->ifi_index;
	l->ifflags = ifm->ifi_flags;
	l->lower_nsid = -1;
	nl_parse_msg(nlh, sizeof(*ifm), tb, IFLA_MAX);
	if (tb[IFLA_IFNAME])
		snprintf(l->name, sizeof(l->name), "%s",
			 mnl_attr_get_str(tb[IFLA_IFNAME]));
	if (tb[IFLA_IFALIAS])
		snprintf(l->alias, sizeof(l->alias), "%.*s",
			 (int)mnl_attr_get_payload_len(tb[IFLA_IFALIAS]),
			 (const char *)mnl_attr_get_payload(tb[IFLA_IFALIAS]));
	if (tb[IFLA_MTU])
		l->mtu = nl_u32(tb[IFLA_MTU]);
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6)
		memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
	if (tb[IFLA_LINK])
		l->lower_ifindex = nl_u32(tb[IFLA_LINK]);
	if (tb[IFLA_LINK_NETNSID])
		l->lower_nsid = (int)nl_u32(tb[IFLA_LINK_NETNSID]);
	if (tb[IFLA_STATS64] && mnl_attr_get_payload_len(tb[IFLA_STATS64]) >=
	    sizeof(l->stats)) {
		l->has_stats = true;
		memcpy(&l->stats, mnl_attr_get_payload(tb[IFLA_STATS64]),
		       sizeof(l->stats));
	}
	if (tb[IFLA_LINKINFO])
		nl_link_info(tb[IFLA_LINKINFO], l);
}

struct nl_links_ctx {
	struct vr_link *v;
	int n;
	int err;
};

static int nl_links_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_links_ctx *c = data;
	struct vr_link *nv;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	nv = realloc(c->v, (c->n + 1) * sizeof(*nv));
	if (!nv) {
		c->err = -ENOMEM;
		return MNL_CB_OK;
	}
	c->v = nv;
	nl_link_fill(nlh, &nv[c->n++]);
	return MNL_CB_OK;
}

int nl_links(struct vr_nl *nl, struct vr_link **out, int *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl_links_ctx c = { NULL, 0, 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;
	int err;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	err = nl_talk(nl, nlh, nl_links_cb, &c);
	if (!err)
		err = c.err;
	if (err) {
		free(c.v);
		return err;
	}
	*out = c.v;
	*n = c.n;
	return 0;
}

static int nl_link_one_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type == RTM_NEWLINK)
		nl_link_fill(nlh, data);
	return MNL_CB_OK;
}

int nl_link_get(struct vr_nl *nl, const char *name, struct vr_link *l)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	memset(l, 0, sizeof(*l));
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nl_talk(nl, nlh, nl_link_one_cb, l);
}

int nl_link_del(struct vr_nl *nl, int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_DELLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return nl_talk(nl, nlh, NULL, NULL);
}

const char *nl_router_of(const struct vr_link *l)
{
	size_t n = strlen(VR_ALIAS_PREFIX);

	if (strcmp(l->kind, NAPI_MACVLAN_KIND) ||
	    strncmp(l->alias, VR_ALIAS_PREFIX, n) || !l->alias[n])
		return NULL;
	return l->alias + n;
}

void vr_owner(const char *alias, char *out, size_t len)
{
	size_t n = strlen(CNI_ALIAS_PREFIX);
	const char *colon;

	out[0] = '\0';
	if (!strncmp(alias, VR_ALIAS_PREFIX, strlen(VR_ALIAS_PREFIX)) &&
	    alias[strlen(VR_ALIAS_PREFIX)]) {
		snprintf(out, len, "%s", alias);
	} else if (!strncmp(alias, CNI_ALIAS_PREFIX, n) && alias[n]) {
		/* Interface names cannot hold ':', container ids do not:
		 * the last ':' ends the container id. */
		colon = strrchr(alias + n, ':');
		snprintf(out, len, "%.*s",
			 (int)(colon && colon > alias + n ? colon - alias :
			       (ptrdiff_t)strlen(alias)), alias);
	}
}

/* ---- igtb ---- */

struct igtb_fam_ctx {
	uint16_t id;
	uint32_t grp;
};

static int igtb_fam_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *g[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct igtb_fam_ctx *c = data;
	const struct nlattr *a;

	nl_parse_msg(nlh, sizeof(struct genlmsghdr), tb, CTRL_ATTR_MAX);
	if (tb[CTRL_ATTR_FAMILY_ID])
		c->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return MNL_CB_OK;
	mnl_attr_for_each_nested(a, tb[CTRL_ATTR_MCAST_GROUPS]) {
		nl_parse_nest(a, g, CTRL_ATTR_MCAST_GRP_MAX);
		if (g[CTRL_ATTR_MCAST_GRP_NAME] && g[CTRL_ATTR_MCAST_GRP_ID] &&
		    !strcmp(mnl_attr_get_str(g[CTRL_ATTR_MCAST_GRP_NAME]),
			    IGTB_MCGRP_CONFIG))
			c->grp = mnl_attr_get_u32(g[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return MNL_CB_OK;
}

int igtb_family(struct vr_nl *gnl, uint16_t *id, uint32_t *grp)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct igtb_fam_ctx c = { 0, 0 };
	struct nlmsghdr *nlh;
	int err;

	nlh = igtb_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, IGTB_GENL_NAME);
	err = nl_talk(gnl, nlh, igtb_fam_cb, &c);
	if (err)
		return err;
	if (!c.id)
		return -ENOENT;
	*id = c.id;
	if (grp)
		*grp = c.grp;
	return 0;
}

struct nlmsghdr *igtb_msg(char *buf, uint16_t family, uint8_t cmd,
			  uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = family == GENL_ID_CTRL ? 1 : IGTB_GENL_VERSION;
	return nlh;
}

int igtb_parse(const struct nlmsghdr *nlh, struct vr_igtb *p)
{
	const struct nlattr *tb[IGTB_A_MAX + 1], *st[IGTB_STATS_MAX + 1];
	int i;

	memset(p, 0, sizeof(*p));
	p->nsid = -1;
	if (nl_parse_msg(nlh, sizeof(struct genlmsghdr), tb, IGTB_A_MAX))
		return -EINVAL;
	p->present = true;
	if (tb[IGTB_A_IFINDEX])
		p->ifindex = nl_u32(tb[IGTB_A_IFINDEX]);
	if (tb[IGTB_A_IFNAME])
		snprintf(p->ifname, sizeof(p->ifname), "%s",
			 mnl_attr_get_str(tb[IGTB_A_IFNAME]));
	if (tb[IGTB_A_NETNS_ID])
		p->nsid = (int32_t)nl_u32(tb[IGTB_A_NETNS_ID]);
	p->rate = nl_get_u64(tb[IGTB_A_RATE]);
	p->pkt_rate = nl_get_u64(tb[IGTB_A_PKT_RATE]);
	if (tb[IGTB_A_BURST])
		p->burst = nl_u32(tb[IGTB_A_BURST]);
	if (tb[IGTB_A_PKT_BURST])
		p->pkt_burst = nl_u32(tb[IGTB_A_PKT_BURST]);
	if (tb[IGTB_A_OVERHEAD])
		p->overhead = nl_u32(tb[IGTB_A_OVERHEAD]);
	if (tb[IGTB_A_ACTION])
		p->action = nl_u32(tb[IGTB_A_ACTION]);
	if (tb[IGTB_A_MARK])
		p->mark = nl_u32(tb[IGTB_A_MARK]);
	if (tb[IGTB_A_LATENCY])
		p->latency_us = nl_u32(tb[IGTB_A_LATENCY]);
	if (tb[IGTB_A_DIR])
		p->dir = nl_u32(tb[IGTB_A_DIR]);
	nl_parse_nest(tb[IGTB_A_STATS], st, IGTB_STATS_MAX);
	for (i = 0; i <= IGTB_STATS_MAX; i++)
		p->stats[i] = nl_get_u64(st[i]);
	return 0;
}

int nl_nmv_create(struct vr_nl *nl, const struct nl_nmv_new *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *li, *data;
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, IFLA_LINK, n->lower);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, n->ifname);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, n->nsfd);
	if (n->mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, n->mac);
	if (n->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, n->mtu);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, NAPI_MACVLAN_KIND);
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	if (n->has_mode)
		mnl_attr_put_u32(nlh, IFLA_NAPI_MACVLAN_MODE, n->mode);
	if (n->has_ring)
		mnl_attr_put_u32(nlh, IFLA_NAPI_MACVLAN_RING_SIZE, n->ring);
	if (n->has_rxmode)
		mnl_attr_put_u32(nlh, IFLA_NAPI_MACVLAN_RXMODE, n->rxmode);
	mnl_attr_put_u32(nlh, IFLA_NAPI_MACVLAN_FLAGS, n->flags);
	if (n->has_local)
		mnl_attr_put_u32(nlh, IFLA_NAPI_MACVLAN_LOCAL, n->local);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	return nl_talk(nl, nlh, NULL, NULL);
}

int nl_nmv_change(struct vr_nl *nl, const struct nl_nmv_change *ch)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *li, *data;
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ch->ifindex;
	if (ch->has_mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, ch->mac);
	/* the kernel checks all of INFO_DATA before changing any of it */
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, NAPI_MACVLAN_KIND);
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	if (ch->has_mode)
		mnl_attr_put_u32(nlh, IFLA_NAPI_MACVLAN_MODE, ch->mode);
	if (ch->has_ring)
		mnl_attr_put_u32(nlh, IFLA_NAPI_MACVLAN_RING_SIZE, ch->ring);
	if (ch->has_flags)
		mnl_attr_put_u32(nlh, IFLA_NAPI_MACVLAN_FLAGS, ch->flags);
	if (ch->has_local)
		mnl_attr_put_u32(nlh, IFLA_NAPI_MACVLAN_LOCAL, ch->local);
	if (ch->has_rxmode)
		mnl_attr_put_u32(nlh, IFLA_NAPI_MACVLAN_RXMODE, ch->rxmode);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, li);
	return nl_talk(nl, nlh, NULL, NULL);
}

int nl_link_set(struct vr_nl *nl, int ifindex, const char *alias, bool up)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	if (up) {
		ifm->ifi_flags = IFF_UP;
		ifm->ifi_change = IFF_UP;
	}
	if (alias)
		mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
	return nl_talk(nl, nlh, NULL, NULL);
}

/* The value after keyword @key (a->argv[0]); moves @a onto it. */
const char *vr_arg_value(struct vr_args *a, const char *key)
{
	if (a->argc < 2) {
		vr_err(VR_USAGE, "\"%s\" needs a value", key);
		return NULL;
	}
	a->argc--;
	a->argv++;
	return a->argv[0];
}
