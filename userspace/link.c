// SPDX-License-Identifier: GPL-2.0
/*
 * `vrctl link set`: change a napi_macvlan device's mode, flags, ring size,
 * local delivery or MAC from the host.  The kernel takes these only from the host (a task
 * in the initial network namespace or the lower device's one, see
 * napi_macvlan/main.c), so `ip -n NS link set ...`, which enters the
 * container's namespace, is refused.  vrctl opens its rtnetlink socket
 * inside the container's namespace and goes back before it sends
 * (nl_open()): the device is found there, the request comes from the host.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/napi_macvlan.h>

#include "vrctl.h"
#include "nl.h"
#include "nmv.h"
#include "router.h"

struct link_cmd {
	const char *dev;
	const char *ns_kind, *ns_arg;
	struct nl_nmv_change ch;
	uint32_t set_flags, clear_flags;
};

static int link_on_off(const char *key, const char *v, uint32_t bit,
		       struct link_cmd *l)
{
	if (!strcmp(v, "on")) {
		l->set_flags |= bit;
		l->clear_flags &= ~bit;
	} else if (!strcmp(v, "off")) {
		l->clear_flags |= bit;
		l->set_flags &= ~bit;
	} else {
		return vr_err(VR_USAGE, "%s \"%s\": expected on or off", key, v);
	}
	return VR_OK;
}

static int link_parse(int argc, char **argv, struct link_cmd *l)
{
	struct vr_args a = { argc, argv };
	const char *k, *v;
	int ret;

	memset(l, 0, sizeof(*l));
	for (; a.argc > 0; a.argc--, a.argv++) {
		k = a.argv[0];
		ret = ns_parse_key(&a, &l->ns_kind, &l->ns_arg);
		if (ret < 0)
			return VR_USAGE;
		if (ret)
			continue;
		if (strcmp(k, "dev") && strcmp(k, "mode") &&
		    strcmp(k, "ringsize") && strcmp(k, "spoofchk") &&
		    strcmp(k, "maclock") && strcmp(k, "mac") &&
		    strcmp(k, "local") && strcmp(k, "rxmode"))
			return vr_err(VR_USAGE,
				      "link set: unknown argument \"%s\"", k);
		v = vr_arg_value(&a, k);
		if (!v)
			return VR_USAGE;
		if (!strcmp(k, "dev")) {
			if (!ifname_ok(v))
				return vr_err(VR_USAGE,
					      "dev \"%s\": not a valid interface name",
					      v);
			l->dev = v;
		} else if (!strcmp(k, "mode")) {
			if (nmv_mode_parse(v, &l->ch.mode))
				return vr_err(VR_USAGE,
					      "mode \"%s\": expected bridge, private, vepa or passthru",
					      v);
			l->ch.has_mode = true;
		} else if (!strcmp(k, "ringsize")) {
			if (nmv_ring_parse(v, &l->ch.ring))
				return vr_err(VR_USAGE,
					      "ringsize \"%s\": expected %d..%d",
					      v, NAPI_MACVLAN_RING_MIN,
					      NAPI_MACVLAN_RING_MAX);
			l->ch.has_ring = true;
		} else if (!strcmp(k, "local")) {
			if (nmv_local_parse(v, &l->ch.local))
				return vr_err(VR_USAGE,
					      "local \"%s\": expected ring or direct",
					      v);
			l->ch.has_local = true;
		} else if (!strcmp(k, "rxmode")) {
			if (nmv_rxmode_parse(v, &l->ch.rxmode))
				return vr_err(VR_USAGE,
					      "rxmode \"%s\": expected direct or thread",
					      v);
			l->ch.has_rxmode = true;
		} else if (!strcmp(k, "mac")) {
			if (mac_parse(v, l->ch.mac))
				return vr_err(VR_USAGE,
					      "mac \"%s\": not a unicast address like 02:00:00:00:00:01",
					      v);
			l->ch.has_mac = true;
		} else if (link_on_off(k, v, !strcmp(k, "spoofchk") ?
				       NAPI_MACVLAN_F_SPOOFCHK :
				       NAPI_MACVLAN_F_MACLOCK, l)) {
			return VR_USAGE;
		}
	}
	if (!l->dev)
		return vr_err(VR_USAGE, "link set: dev IF is required");
	if (!l->ch.has_mode && !l->ch.has_ring && !l->ch.has_mac &&
	    !l->ch.has_local && !l->ch.has_rxmode && !l->set_flags &&
	    !l->clear_flags)
		return vr_err(VR_USAGE,
			      "link set: nothing to change (mode, ringsize, local, rxmode, spoofchk, maclock, mac)");
	return VR_OK;
}

static int link_set(struct vr_ctx *c, struct link_cmd *l)
{
	struct vr_link cur;
	int err;

	err = nl_link_get(&c->rt, l->dev, &cur);
	if (err == -ENODEV || (!err && !cur.ifindex))
		return vr_err(VR_USAGE, "dev %s: no such device in netns %s",
			      l->dev, c->ns.label);
	if (err)
		return nl_kerr(err, "dev %s: look up", l->dev);
	if (strcmp(cur.kind, NAPI_MACVLAN_KIND))
		return vr_err(VR_USAGE, "dev %s: not a napi_macvlan device",
			      l->dev);
	l->ch.ifindex = cur.ifindex;
	/* one flag word in the kernel: change only the bits named */
	if (l->set_flags || l->clear_flags) {
		l->ch.has_flags = true;
		l->ch.flags = ((cur.has_flags ? cur.flags : 0) |
			       l->set_flags) & ~l->clear_flags;
	}
	err = nl_nmv_change(&c->rt, &l->ch);
	if (err)
		return nl_kerr(err, "dev %s: link set", l->dev);
	return VR_OK;
}

int cmd_link(int argc, char **argv)
{
	struct link_cmd l;
	struct vr_ctx c;
	struct vr_ns ns;
	int ret;

	if (argc < 1 || strcmp(argv[0], "set"))
		return vr_err(VR_USAGE, "link: unknown command \"%s\" (set)",
			      argc < 1 ? "" : argv[0]);
	ret = link_parse(argc - 1, argv + 1, &l);
	if (ret)
		return ret;
	ret = ns_open(l.ns_kind, l.ns_arg, &ns);
	if (ret)
		return ret;
	ret = ctx_open(&c, &ns);
	if (!ret)
		ret = link_set(&c, &l);
	ctx_close(&c);
	return ret;
}
