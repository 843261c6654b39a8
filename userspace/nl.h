/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink plumbing: sockets opened inside a network namespace, requests
 * that report the kernel's extack message, attribute tables, dumps of
 * napi_macvlan links, and the igtb generic netlink family.
 */
#ifndef VRCTL_NL_H
#define VRCTL_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/napi_macvlan.h>
#include <linux/igtb.h>

/* ---- network namespaces ---- */

struct vr_ns {
	int fd;			/* O_RDONLY fd of the namespace */
	char label[128];	/* how the user named it */
	unsigned long long dev, ino;	/* identity, for de-duplication */
};

/*
 * Open "netns NAME" (/run/netns/NAME), "pid PID" (/proc/PID/ns/net),
 * "path PATH", or the caller's own namespace when kind is NULL.
 * Returns VR_OK or VR_USAGE with a message printed.
 */
int ns_open(const char *kind, const char *arg, struct vr_ns *ns);
void ns_close(struct vr_ns *ns);
/* All namespaces we can see: ours, those in /run/netns, every process's
 * (each once, by nsfs inode; one that vanishes while we look is skipped).
 * 0 or -ENOMEM. */
int ns_all(struct vr_ns **out, int *n);
/* The one namespace kind/arg names, or every one (ns_all) when kind is
 * NULL.  *v is malloc'ed.  VR_OK or an exit code with a message printed. */
int ns_select(const char *kind, const char *arg, struct vr_ns **v, int *n);

/* ---- sockets and requests ---- */

struct vr_nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
};

/* A NETLINK_ROUTE or NETLINK_GENERIC socket living in namespace nsfd (-1:
 * the caller's).  Returns 0 or -errno, with the call that failed (setns,
 * socket, bind) in nl_call. */
int nl_open(struct vr_nl *nl, int bus, int nsfd);
void nl_close(struct vr_nl *nl);

/*
 * Send nlh (seq/portid filled in) and process replies until the ACK, the
 * error or NLMSG_DONE, calling cb for data messages.  Returns 0 or -errno;
 * the kernel's extack text (or "") is in nl_extack afterwards.
 */
int nl_talk(struct vr_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
extern char nl_extack[512];
/*
 * The system call that failed, e.g. "setns" or "sendmsg", or "" when the
 * error came in the kernel's answer to a request.  Set by nl_open() and
 * nl_talk().
 */
extern char nl_call[64];

/* "STEP: CALL: strerror" when a call failed, else "STEP: strerror: extack";
 * exit code VR_KERNEL. */
int nl_kerr(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* tb[0..max] from a nest or from the payload after a fixed header. */
int nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		  int max);
int nl_parse_msg(const struct nlmsghdr *nlh, size_t hdrlen,
		 const struct nlattr **tb, int max);
uint64_t nl_get_u64(const struct nlattr *a);

/* ---- links ---- */

struct vr_link {
	int ifindex;
	char name[IFNAMSIZ];
	char alias[256];
	char kind[32];
	unsigned int ifflags;
	unsigned int mtu;
	unsigned char mac[6];
	int lower_ifindex;		/* IFLA_LINK */
	int lower_nsid;			/* IFLA_LINK_NETNSID, -1 if none */
	bool has_mode, has_ring, has_flags, has_local, has_rxmode;
	uint32_t mode, ring, flags, local, rxmode;
	uint32_t thread_pid;		/* NAPI thread (rxmode thread), 0: none */
	bool has_xstats;
	uint64_t xstats[NAPI_MACVLAN_XSTATS_MAX + 1];
	bool has_stats;
	struct rtnl_link_stats64 stats;
};

/* Dump every link of nl's namespace.  *out is malloc'ed. */
int nl_links(struct vr_nl *nl, struct vr_link **out, int *n);
/* One link by name; -ENODEV if absent. */
int nl_link_get(struct vr_nl *nl, const char *name, struct vr_link *l);
int nl_link_del(struct vr_nl *nl, int ifindex);

/* A napi_macvlan device to create on @lower (an ifindex of the socket's
 * namespace), born in namespace @nsfd so it never exists in ours. */
struct nl_nmv_new {
	const char		*ifname;
	int			lower;
	int			nsfd;
	const unsigned char	*mac;		/* NULL: random */
	uint32_t		mtu;		/* 0: the lower's */
	bool			has_mode, has_ring, has_local, has_rxmode;
	uint32_t		mode, ring, flags, local, rxmode;
};

int nl_nmv_create(struct vr_nl *nl, const struct nl_nmv_new *n);

/* What to change on an existing napi_macvlan device, in one request. */
struct nl_nmv_change {
	int			ifindex;
	bool			has_mode, has_ring, has_flags, has_mac;
	bool			has_local, has_rxmode;
	uint32_t		mode, ring, flags, local, rxmode;
	unsigned char		mac[6];
};

int nl_nmv_change(struct vr_nl *nl, const struct nl_nmv_change *ch);
/* Set @alias (when not NULL) and/or IFF_UP on @ifindex. */
int nl_link_set(struct vr_nl *nl, int ifindex, const char *alias, bool up);
/* Router name from an alias "vrctl:NAME", or NULL. */
const char *nl_router_of(const struct vr_link *l);
/*
 * Who made a device, from its alias: "vrctl:ROUTER" for vrctl's routers,
 * "cni:CONTAINERID" for the CNI plugin's (its alias is
 * "cni:CONTAINERID:IFNAME"), "" for any other (made by hand, say).
 */
#define VR_OWNER_MAX 256
void vr_owner(const char *alias, char *out, size_t len);

/* ---- igtb ---- */

struct vr_igtb {
	bool present;
	uint64_t rate, pkt_rate;
	uint32_t burst, pkt_burst, overhead, action, mark, latency_us, dir;
	uint64_t stats[IGTB_STATS_MAX + 1];
	uint32_t ifindex;
	int32_t nsid;
	char ifname[IFNAMSIZ];
};

/* Resolve the family (and optionally the "config" group).  0 or -errno. */
int igtb_family(struct vr_nl *gnl, uint16_t *id, uint32_t *grp);
struct nlmsghdr *igtb_msg(char *buf, uint16_t family, uint8_t cmd,
			  uint16_t flags);
/* Parse an igtb message (GET reply or notification). */
int igtb_parse(const struct nlmsghdr *nlh, struct vr_igtb *p);


/* ---- per-namespace context used by the subcommands ---- */

struct vr_ctx {
	struct vr_ns ns;	/* the target namespace */
	struct vr_nl rt;	/* rtnetlink socket inside ns */
	struct vr_nl gnl;	/* generic netlink socket in our namespace */
	uint16_t igtb_fam;	/* 0 if igtb is not loaded */
};

/* Consume "netns X" / "pid X" / "path X" at a->argv[0]: 1 if consumed,
 * 0 if not such a key, -1 on a missing value or a second namespace. */
struct vr_args;
int ns_parse_key(struct vr_args *a, const char **kind, const char **arg);
/* Open the sockets for namespace ns (ownership of ns->fd moves to ctx).
 * Returns VR_OK or VR_KERNEL with a message. */
int ctx_open(struct vr_ctx *c, struct vr_ns *ns);
void ctx_close(struct vr_ctx *c);
/* ifindex of name inside the ctx namespace, or a VR_USAGE message. */
int ctx_ifindex(struct vr_ctx *c, const char *name, int *ifindex);

/*
 * Called by vr_walk() once per namespace with its napi_macvlan devices,
 * sorted so that the devices of one owner (vr_owner()) follow each other.
 * Returns VR_OK to go on, or an exit code (message printed) to stop.
 */
typedef int (*vr_walk_fn)(struct vr_ctx *c, struct vr_link *v, int n,
			  void *data);
/*
 * Every napi_macvlan device (only those named dev, unless NULL) of the
 * namespace kind/arg, or of every namespace when kind is NULL: whoever made
 * it (vrctl, the CNI plugin, ip link).  Looking everywhere, a namespace
 * that cannot be entered is reported and skipped, and the result is then
 * VR_KERNEL.  *hits counts the devices found.
 */
int vr_walk(const char *kind, const char *arg, const char *dev,
	    vr_walk_fn fn, void *data, int *hits);

#endif /* VRCTL_NL_H */
