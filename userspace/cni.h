/* SPDX-License-Identifier: GPL-2.0 */
/*
 * napi-macvlan CNI plugin: what the JSON side (cni.c, cni_conf.c, cni_ipam.c,
 * built on jansson) and the netlink side (cni_net.c, built on vrctl's nl.c
 * and rate.c) share.  It includes neither jansson nor vrctl's json.h,
 * whose json_* names would mix.
 */
#ifndef VRCTL_CNI_H
#define VRCTL_CNI_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "vrctl.h"
#include "place.h"

/* Error codes of the CNI spec 1.0.0 ("Error" section), and ours (>= 100). */
enum {
	CNI_ERR_VERSION		= 1,	/* incompatible CNI version */
	CNI_ERR_UNSUPPORTED	= 2,	/* unsupported field in config */
	CNI_ERR_CONTAINER	= 3,	/* container unknown or gone */
	CNI_ERR_ENV		= 4,	/* invalid necessary environment */
	CNI_ERR_IO		= 5,	/* I/O failure */
	CNI_ERR_DECODE		= 6,	/* failed to decode content */
	CNI_ERR_CONFIG		= 7,	/* invalid network config */
	CNI_ERR_AGAIN		= 11,	/* try again later */
	CNI_ERR_KERNEL		= 100,	/* the kernel refused a request */
	CNI_ERR_CHECK		= 101,	/* CHECK found a difference */
	CNI_ERR_IPAM		= 102,	/* the IPAM plugin could not be run */
	CNI_ERR_EXISTS		= 103,	/* CNI_IFNAME already in the container */
};

#define CNI_ALIAS_PREFIX "cni:"
#define CNI_ALIAS_MAX 256	/* IFALIASZ */

/* Where the device's MAC address comes from; a later source wins, as in
 * the reference macvlan plugin: the config's "mac", then CNI_ARGS MAC=,
 * then the mac capability (runtimeConfig.mac). */
enum cni_mac_from {
	CNI_MAC_RANDOM,			/* none given: the kernel picks one */
	CNI_MAC_CONF,
	CNI_MAC_ARGS,
	CNI_MAC_RUNTIME,
};

/* The plugin's own keys of the network configuration, checked. */
struct cni_conf {
	char version[16];		/* cniVersion */
	char master[IFNAMSIZ];
	bool has_mode, has_ring, has_local;
	uint32_t mode, ring, flags, mtu;	/* mtu 0: the master's */
	uint32_t local;			/* enum napi_macvlan_local */
	enum cni_mac_from mac_from;
	unsigned char mac[6];		/* when mac_from != CNI_MAC_RANDOM */
	struct vr_ingress in;
	struct vr_egress eg;
	char ipam_type[64];		/* "" when no ipam */
	/*
	 * rxmode thread: where the device's NAPI thread goes, from the keys
	 * "cpus" and "cgroup", else the cgroupPath capability (the pod's
	 * cgroup: the thread goes into its leaf child CNI_THREAD_CGROUP).
	 */
	bool has_rxmode;
	uint32_t rxmode;
	struct vr_place place;
	char cgroup[PATH_MAX];		/* place.cgroup points here */
	bool cgroup_from_runtime;
};

/* the leaf cgroup made under the pod's cgroup (cgroupPath capability) */
#define CNI_THREAD_CGROUP "napi-macvlan"


/* An address or a route as the IPAM result gives it. */
struct cni_ip {
	int family;			/* AF_INET, AF_INET6 */
	unsigned char addr[16];
	int prefix;
	bool has_gw;
	unsigned char gw[16];
};

#define CNI_MAX_IPS 16
#define CNI_MAX_ROUTES 64

struct cni_net {
	struct cni_ip ips[CNI_MAX_IPS];
	int nips;
	struct cni_ip routes[CNI_MAX_ROUTES];	/* addr/prefix = destination */
	int nroutes;
};

/* What the ADD made, for the result. */
struct cni_link {
	int ifindex;
	unsigned char mac[6];
};

/* The last error message of the netlink side (vr_err() lands here too). */
extern char cni_msg[512];

/* ---- cni_net.c: all return 0 or a CNI error code, cni_msg set ---- */
struct cni_ns;
/* Open the container's namespace by path; CNI_ERR_CONTAINER if it is gone. */
int cni_ns_open(const char *path, struct cni_ns **out);
void cni_ns_close(struct cni_ns *ns);
/* Create the device inside the namespace, named ifname, marked with alias,
 * with the limits of conf in place; down and without addresses. */
int cni_net_create(struct cni_ns *ns, const struct cni_conf *conf,
		   const char *ifname, const char *alias, struct cni_link *l);
/* Addresses, up, routes. */
int cni_net_configure(struct cni_ns *ns, int ifindex,
		      const struct cni_net *net);
/* Delete the device ifname if it carries alias; 0 when there is none. */
int cni_net_delete(struct cni_ns *ns, const char *ifname, const char *alias);
/* After DEL: remove the leaf cgroup made under the pod's (if empty). */
void cni_net_thread_cgroup_del(const struct cni_conf *conf);
/* Everything ADD made is still there as made; mac (NULL: not checked) is
 * the address prevResult gave the interface. */
int cni_net_check(struct cni_ns *ns, const struct cni_conf *conf,
		  const char *ifname, const char *alias,
		  const struct cni_net *net, const unsigned char *mac);
/* The master exists in our namespace: its ifindex. */
int cni_net_master_ok(const char *master, int *ifindex);

/* ---- cni_conf.c: pure parsers (unit tested) ---- */
/* "10.1.2.3/24", "fd00::1/64" */
int cni_parse_cidr(const char *s, struct cni_ip *ip);
int cni_parse_addr(const char *s, int family, unsigned char *out);
/* "02:42:0a:58:05:32" (or with '-'): a unicast, non-zero Ethernet address;
 * else -1 with *why saying what is wrong with it. */
int cni_parse_mac(const char *s, unsigned char *mac, const char **why);
void cni_fmt_mac(const unsigned char *m, char *buf, size_t len);
bool cni_version_ok(const char *v);
/* cniVersion a >= b (both supported) */
int cni_version_cmp(const char *a, const char *b);
/* The alias of a container's interface. */
int cni_alias(const char *containerid, const char *ifname, char *out,
	      size_t len);

#endif /* VRCTL_CNI_H */
