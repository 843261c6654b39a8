// SPDX-License-Identifier: GPL-2.0
/*
 * iproute2 link plugin for the napi_macvlan link kind:
 *
 *   ip link add link eth0 name mv0 type napi_macvlan \
 *	[mode {private|vepa|bridge|passthru}] [ringsize N] \
 *	[spoofchk {on|off}] [maclock {on|off}] [local {ring|direct}] \
 *	[rxmode {direct|thread}]
 *   ip -d [-s] [-j] link show mv0	(rxmode thread: also the NAPI
 *					 thread's pid, "thread_pid")
 *
 * `ip` looks for "<kind>_link_util" in $IP_LIB_DIR/link_<kind>.so (Debian's
 * default directory is /usr/lib/x86_64-linux-gnu/ip).  The iproute2 source is
 * not a build dependency, so the few pieces of its ABI this plugin touches are
 * declared here; they match iproute2 6.1 (ip/ip_common.h, include/
 * json_print.h, include/color.h).  Output goes through ip's own exported
 * print_color_*() helpers so `ip -j` stays valid JSON; attributes are written
 * by a local helper, so parsing depends on nothing inside ip.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/napi_macvlan.h>

#include "link_napi_macvlan.h"
#include "nmv.h"

/* Room iproute2 6.1 reserves for attributes after the ifinfomsg (iplink_req). */
#define NMV_REQ_BUF	1024

static int nmv_addattr32(struct nlmsghdr *n, int type, uint32_t val)
{
	size_t len = RTA_LENGTH(sizeof(val));
	struct rtattr *rta;

	if (NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(len) >
	    NLMSG_LENGTH(sizeof(struct ifinfomsg)) + NMV_REQ_BUF) {
		fprintf(stderr, "napi_macvlan: netlink request too long\n");
		return -1;
	}
	rta = (struct rtattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
	rta->rta_type = type;
	rta->rta_len = len;
	memcpy(RTA_DATA(rta), &val, sizeof(val));
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(len);
	return 0;
}

static void nmv_explain(FILE *f)
{
	fprintf(f,
		"Usage: ... napi_macvlan [ mode MODE ] [ ringsize ENTRIES ]\n"
		"                        [ spoofchk { on | off } ] [ maclock { on | off } ]\n"
		"                        [ local { ring | direct } ]\n"
		"                        [ rxmode { direct | thread } ]\n"
		"\n"
		"MODE: private | vepa | bridge | passthru\n"
		"ENTRIES: %u..%u (default %u)\n"
		"local: how frames from devices on the same lower arrive (default ring)\n"
		"rxmode thread: frames go up in the device's own NAPI thread\n",
		(unsigned int)NAPI_MACVLAN_RING_MIN,
		(unsigned int)NAPI_MACVLAN_RING_MAX,
		(unsigned int)NAPI_MACVLAN_RING_DEFAULT);
}

static int nmv_on_off(const char *opt, const char *val, bool *out)
{
	if (!strcmp(val, "on")) {
		*out = true;
		return 0;
	}
	if (!strcmp(val, "off")) {
		*out = false;
		return 0;
	}
	fprintf(stderr, "napi_macvlan: \"%s\" expects on or off, not \"%s\"\n",
		opt, val);
	return -1;
}

/*
 * Parse the options after "type napi_macvlan" into IFLA_INFO_DATA (ip has
 * opened the nest).  IFLA_NAPI_MACVLAN_FLAGS carries both flags in one u32,
 * so when only one of spoofchk/maclock is given the other one is sent as
 * off (the driver default); with neither, no flags attribute is sent.
 */
static int nmv_parse_opt(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n)
{
	bool spoofchk = false, maclock = false, flags_set = false;
	uint32_t mode, ring, flags, local, rxmode;

	(void)lu;
	while (argc > 0) {
		const char *opt = *argv;

		if (!strcmp(opt, "help")) {
			nmv_explain(stdout);
			return -1;
		}
		if (argc < 2) {
			fprintf(stderr, "napi_macvlan: \"%s\" needs a value\n",
				opt);
			nmv_explain(stderr);
			return -1;
		}
		if (!strcmp(opt, "mode")) {
			if (nmv_mode_parse(argv[1], &mode)) {
				fprintf(stderr, "napi_macvlan: unknown mode \"%s\"\n",
					argv[1]);
				nmv_explain(stderr);
				return -1;
			}
			if (nmv_addattr32(n, IFLA_NAPI_MACVLAN_MODE, mode))
				return -1;
		} else if (!strcmp(opt, "ringsize")) {
			if (nmv_ring_parse(argv[1], &ring)) {
				fprintf(stderr,
					"napi_macvlan: ringsize \"%s\" is not a number in %u..%u\n",
					argv[1],
					(unsigned int)NAPI_MACVLAN_RING_MIN,
					(unsigned int)NAPI_MACVLAN_RING_MAX);
				return -1;
			}
			if (nmv_addattr32(n, IFLA_NAPI_MACVLAN_RING_SIZE, ring))
				return -1;
		} else if (!strcmp(opt, "local")) {
			if (nmv_local_parse(argv[1], &local)) {
				fprintf(stderr,
					"napi_macvlan: local \"%s\": expected ring or direct\n",
					argv[1]);
				return -1;
			}
			if (nmv_addattr32(n, IFLA_NAPI_MACVLAN_LOCAL, local))
				return -1;
		} else if (!strcmp(opt, "rxmode")) {
			if (nmv_rxmode_parse(argv[1], &rxmode)) {
				fprintf(stderr,
					"napi_macvlan: rxmode \"%s\": expected direct or thread\n",
					argv[1]);
				return -1;
			}
			if (nmv_addattr32(n, IFLA_NAPI_MACVLAN_RXMODE, rxmode))
				return -1;
		} else if (!strcmp(opt, "spoofchk")) {
			if (nmv_on_off(opt, argv[1], &spoofchk))
				return -1;
			flags_set = true;
		} else if (!strcmp(opt, "maclock")) {
			if (nmv_on_off(opt, argv[1], &maclock))
				return -1;
			flags_set = true;
		} else {
			fprintf(stderr, "napi_macvlan: unknown option \"%s\"\n",
				opt);
			nmv_explain(stderr);
			return -1;
		}
		argc -= 2;
		argv += 2;
	}
	if (flags_set) {
		flags = (spoofchk ? NAPI_MACVLAN_F_SPOOFCHK : 0) |
			(maclock ? NAPI_MACVLAN_F_MACLOCK : 0);
		if (nmv_addattr32(n, IFLA_NAPI_MACVLAN_FLAGS, flags))
			return -1;
	}
	return 0;
}

static uint32_t nmv_get_u32(const struct rtattr *rta, bool *ok)
{
	uint32_t v = 0;

	*ok = rta && RTA_PAYLOAD(rta) >= sizeof(v);
	if (*ok)
		memcpy(&v, RTA_DATA(rta), sizeof(v));
	return v;
}

static void nmv_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	uint32_t v;
	bool ok;

	(void)lu;
	(void)f;
	if (!tb)
		return;
	v = nmv_get_u32(tb[IFLA_NAPI_MACVLAN_MODE], &ok);
	if (ok) {
		const char *name = nmv_mode_name(v);
		char buf[16];

		if (!name) {
			snprintf(buf, sizeof(buf), "%u", v);
			name = buf;
		}
		print_color_string(PRINT_ANY, COLOR_NONE, "mode", "mode %s ",
				   name);
	}
	v = nmv_get_u32(tb[IFLA_NAPI_MACVLAN_RING_SIZE], &ok);
	if (ok)
		print_color_uint(PRINT_ANY, COLOR_NONE, "ringsize",
				 "ringsize %u ", v);
	v = nmv_get_u32(tb[IFLA_NAPI_MACVLAN_FLAGS], &ok);
	if (ok) {
		print_color_on_off(PRINT_ANY, COLOR_NONE, "spoofchk",
				   "spoofchk %s ", v & NAPI_MACVLAN_F_SPOOFCHK);
		print_color_on_off(PRINT_ANY, COLOR_NONE, "maclock",
				   "maclock %s ", v & NAPI_MACVLAN_F_MACLOCK);
	}
	v = nmv_get_u32(tb[IFLA_NAPI_MACVLAN_LOCAL], &ok);
	if (ok) {
		const char *name = nmv_local_name(v);

		print_color_string(PRINT_ANY, COLOR_NONE, "local", "local %s ",
				   name);
	}
	v = nmv_get_u32(tb[IFLA_NAPI_MACVLAN_RXMODE], &ok);
	if (ok) {
		const char *name = nmv_rxmode_name(v);
		char buf[16];

		if (!name) {
			snprintf(buf, sizeof(buf), "%u", v);
			name = buf;
		}
		print_color_string(PRINT_ANY, COLOR_NONE, "rxmode",
				   "rxmode %s ", name);
	}
	v = nmv_get_u32(tb[IFLA_NAPI_MACVLAN_THREAD_PID], &ok);
	if (ok && v)
		print_color_uint(PRINT_ANY, COLOR_NONE, "thread_pid",
				 "thread_pid %u ", v);
}

/* `ip -s -d link show`: the per-drop-location counters. */
static void nmv_print_xstats(struct link_util *lu, FILE *f,
			     struct rtattr *xstats)
{
	struct rtattr *rta;
	int len, id;
	uint64_t v;

	(void)lu;
	(void)f;
	if (!xstats)
		return;
	open_json_object("napi_macvlan_xstats");
	len = RTA_PAYLOAD(xstats);
	for (rta = RTA_DATA(xstats); RTA_OK(rta, len);
	     rta = RTA_NEXT(rta, len)) {
		char fmt[64];

		id = rta->rta_type;
		if (!nmv_xstat_name(id) || RTA_PAYLOAD(rta) < sizeof(v))
			continue;
		memcpy(&v, RTA_DATA(rta), sizeof(v));
		snprintf(fmt, sizeof(fmt), "%s %%llu ", nmv_xstat_name(id));
		print_color_u64(PRINT_ANY, COLOR_NONE, nmv_xstat_name(id), fmt,
				v);
	}
	close_json_object();
}

static void nmv_print_help(struct link_util *lu, int argc, char **argv,
			   FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	nmv_explain(f);
}

__attribute__((visibility("default")))
struct link_util napi_macvlan_link_util = {
	.id		= NAPI_MACVLAN_KIND,
	.maxattr	= IFLA_NAPI_MACVLAN_MAX,
	.parse_opt	= nmv_parse_opt,
	.print_opt	= nmv_print_opt,
	.print_xstats	= nmv_print_xstats,
	.print_help	= nmv_print_help,
};
