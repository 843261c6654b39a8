/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VRCTL_ROUTER_H
#define VRCTL_ROUTER_H

#include <net/if.h>
#include "vrctl.h"
#include "place.h"

#define VR_MAX_LINKS 16

/* Everything `router add` was asked to do, checked before any netlink. */
struct router_spec {
	const char *name;
	const char *ns_kind, *ns_arg;
	const char *lowers[VR_MAX_LINKS];
	int nlinks;
	char ifnames[VR_MAX_LINKS][IFNAMSIZ];
	int nnames;
	unsigned char macs[VR_MAX_LINKS][6];
	int nmacs;
	bool has_mode, has_ring, has_local, has_rxmode;
	uint32_t mode, ring, flags, local, rxmode;
	struct vr_place place;		/* of the NAPI threads, rxmode thread */
	struct vr_ingress in;
	struct vr_egress eg;
};

/* Pure parsers, exposed for the unit tests. */
int router_parse_add(int argc, char **argv, struct router_spec *s);
int router_name_ok(const char *name);
int mac_parse(const char *s, unsigned char mac[6]);

#endif /* VRCTL_ROUTER_H */
