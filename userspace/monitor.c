// SPDX-License-Identifier: GPL-2.0
/*
 * `vrctl monitor`: print igtb profile changes as the kernel announces them
 * on the "config" multicast group, one line (or one JSON object) each.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "rate.h"
#include "units.h"

struct monitor_ctx {
	uint16_t fam;
	uint64_t left;		/* events still to print, 0: forever */
	struct json j;
};

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct monitor_ctx *m = data;
	const char *what;
	struct vr_igtb p;
	char r[32], b[32];

	if (nlh->nlmsg_type != m->fam)
		return MNL_CB_OK;
	what = g->cmd == IGTB_CMD_SET ? "set" :
	       g->cmd == IGTB_CMD_DEL ? "del" : "unknown";
	if (igtb_parse(nlh, &p))
		return MNL_CB_OK;
	if (vr_opts.json) {
		json_init(&m->j, stdout);
		json_obj_open(&m->j, NULL);
		json_str(&m->j, "event", what);
		json_s64(&m->j, "nsid", p.nsid);
		json_u64(&m->j, "ifindex", p.ifindex);
		json_str(&m->j, "ifname", p.ifname);
		json_u64(&m->j, "rate", p.rate);
		json_u64(&m->j, "burst", p.burst);
		json_u64(&m->j, "pps", p.pkt_rate);
		json_u64(&m->j, "pburst", p.pkt_burst);
		json_obj_close(&m->j);
		json_end(&m->j);
	} else {
		printf("%s nsid %d ifindex %u %s", what, p.nsid, p.ifindex,
		       p.ifname);
		if (p.rate)
			printf(" rate %s burst %s",
			       units_fmt_rate(p.rate, r, sizeof(r)),
			       units_fmt_size(p.burst, b, sizeof(b)));
		if (p.pkt_rate)
			printf(" pps %llu pburst %u",
			       (unsigned long long)p.pkt_rate, p.pkt_burst);
		printf("\n");
		fflush(stdout);
	}
	if (m->left && !--m->left)
		return MNL_CB_STOP;
	return MNL_CB_OK;
}

int cmd_monitor(int argc, char **argv)
{
	struct monitor_ctx m = { 0, 0, { 0 } };
	struct vr_args a = { argc, argv };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	const char *v, *why;
	struct vr_nl gnl;
	uint32_t grp = 0;
	ssize_t len;
	int err, ret;

	for (; a.argc > 0; a.argc--, a.argv++) {
		if (strcmp(a.argv[0], "count"))
			return vr_err(VR_USAGE, "monitor: unknown argument \"%s\"",
				      a.argv[0]);
		v = vr_arg_value(&a, "count");
		if (!v)
			return VR_USAGE;
		if (units_parse_u64(v, UINT64_MAX, &m.left, &why) || !m.left)
			return vr_err(VR_USAGE, "count \"%s\": %s", v,
				      m.left ? why : "must be at least 1");
	}
	err = nl_open(&gnl, NETLINK_GENERIC, -1);
	if (err)
		return nl_kerr(err, "generic netlink");
	err = igtb_family(&gnl, &m.fam, &grp);
	if (err && err != -ENOENT) {
		nl_close(&gnl);
		return nl_kerr(err, "look up generic netlink family \"%s\"",
			       IGTB_GENL_NAME);
	}
	if (err) {
		nl_close(&gnl);
		return vr_err(VR_KERNEL,
			      "igtb family \"%s\" not found (is igtb.ko loaded?)",
			      IGTB_GENL_NAME);
	}
	if (!grp) {
		/* igtb offers no group where only anyone could join it */
		nl_close(&gnl);
		return vr_err(VR_KERNEL,
			      "igtb has no \"%s\" group: this kernel cannot restrict it to CAP_NET_ADMIN (no GENL_MCAST_CAP_NET_ADMIN)",
			      IGTB_MCGRP_CONFIG);
	}
	if (mnl_socket_setsockopt(gnl.sock, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp))) {
		err = -errno;
		nl_close(&gnl);
		return vr_err(VR_KERNEL,
			      "join igtb group \"%s\": setsockopt(NETLINK_ADD_MEMBERSHIP): %s",
			      IGTB_MCGRP_CONFIG, strerror(-err));
	}
	/* Tell a waiting script we are listening. */
	fprintf(stderr, "vrctl: monitoring igtb\n");
	for (;;) {
		len = mnl_socket_recvfrom(gnl.sock, buf, sizeof(buf));
		if (len < 0) {
			if (errno == ENOBUFS) {
				vr_err(VR_KERNEL, "events lost (ENOBUFS)");
				continue;
			}
			ret = vr_err(VR_KERNEL, "recvmsg: %s", strerror(errno));
			break;
		}
		ret = mnl_cb_run(buf, len, 0, 0, monitor_cb, &m);
		if (ret == MNL_CB_STOP) {
			ret = VR_OK;
			break;
		}
		if (ret < 0) {
			ret = vr_err(VR_KERNEL, "bad message: %s",
				     strerror(errno));
			break;
		}
	}
	nl_close(&gnl);
	return ret;
}
