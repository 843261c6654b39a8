/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrctl: shared declarations of the front end and the subcommand groups.
 */
#ifndef VRCTL_H
#define VRCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* set by the Makefile from packaging/version.sh */
#ifndef VRCTL_VERSION
#define VRCTL_VERSION "0.0~unknown"
#endif

/* Exit codes, also documented in vrctl.8. */
enum {
	VR_OK		= 0,
	VR_USAGE	= 1,	/* bad usage or input, nothing was changed */
	VR_KERNEL	= 2,	/* the kernel refused; its extack is printed */
};

/* Device alias marking a device as part of router NAME: "vrctl:NAME". */
#define VR_ALIAS_PREFIX "vrctl:"
#define VR_NAME_MAX 64

struct vr_opts {
	bool json;
	bool stats;
};
extern struct vr_opts vr_opts;

/* Print "vrctl: <msg>" to stderr and return code. */
int vr_err(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Argument cursor shared by the parsers. */
struct vr_args {
	int argc;
	char **argv;
};

/* Next value for key, or NULL after printing "KEY needs a value". */
const char *vr_arg_value(struct vr_args *a, const char *key);

/* main() without exit, for the unit tests. */
int vrctl_main(int argc, char **argv);
/* How many netlink sockets were opened: unit tests check it stays 0 when
 * arguments are malformed (nothing may be touched before parsing is done). */
extern int vr_nl_opened;

/* ---- rate limits (rate.c), shared with router.c ---- */

struct vr_ingress {
	bool set;
	uint64_t rate;		/* bit/s, 0: none */
	uint32_t burst;		/* bytes, 0: kernel default */
	uint64_t pps;		/* packets/s, 0: none */
	uint32_t pburst;	/* packets, 0: kernel default */
};

struct vr_egress {
	bool set;
	uint64_t rate;		/* bit/s */
	uint32_t burst;		/* bytes */
	uint64_t pps;		/* packets/s, 0: no packet bucket */
	uint32_t pburst;	/* packets, 0: the kernel's default */
	uint32_t latency_ms;	/* backlog bound (shape, tbf) */
	bool police;		/* igtb police: drop, no backlog */
	bool tbf;		/* the old tbf qdisc in the device's namespace */
};

/*
 * Try to consume one rate-related key at a->argv[0] ("ingress", "egress",
 * "rate", "burst", "pps", "pburst", "latency").  *egress_ctx tracks which
 * direction rate/burst refer to.  Returns 1 if consumed, 0 if the key is not
 * a rate key, -1 (message printed) on a bad value.
 */
int rate_parse_key(struct vr_args *a, bool *egress_ctx, struct vr_ingress *in,
		   struct vr_egress *eg);
/* Cross-checks after all keys: egress needs rate and burst, etc. */
int rate_check(const struct vr_ingress *in, const struct vr_egress *eg);

int cmd_router(int argc, char **argv);
int cmd_rate(int argc, char **argv);
int cmd_stats(int argc, char **argv);
struct vr_link;
void stats_link_text(const struct vr_link *l);
struct json;
void stats_link_json(struct json *j, const struct vr_link *l);
/* The NAPI thread (rxmode thread): pid, cgroup, CPUs, CPU time. */
void stats_thread_text(const struct vr_link *l);
void stats_thread_json(struct json *j, const struct vr_link *l);
int cmd_monitor(int argc, char **argv);
int cmd_link(int argc, char **argv);
void vr_usage(FILE *f);

#endif /* VRCTL_H */
