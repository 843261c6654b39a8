// SPDX-License-Identifier: GPL-2.0
/*
 * vrctl: set up and inspect the rate-controlled virtual routers of
 * containers (napi_macvlan devices + igtb ingress policer + igtb egress
 * shaper).  This file is only the front end: global options and a table of
 * subcommand groups, each implemented in its own file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vrctl.h"

struct vr_opts vr_opts;

int vr_err(int code, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("vrctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

void vr_usage(FILE *f)
{
	fputs(
"Usage: vrctl [ -j ] [ -s ] OBJECT COMMAND [ ARGS ]\n"
"       vrctl help | --version\n"
"\n"
"  vrctl router add NAME NS link LOWER [ link LOWER ... ]\n"
"               [ names IF[,IF...] ] [ mac MAC[,MAC...] ] [ mode MODE ]\n"
"               [ ringsize N ] [ local ring|direct ] [ spoofchk on|off ]\n"
"               [ maclock on|off ]\n"
"               [ ingress ] [ rate RATE ] [ burst SIZE ] [ pps N ] [ pburst N ]\n"
"               [ egress [ rate RATE burst SIZE ] [ pps N [ pburst N ] ]\n"
"                        [ latency MS | police | tbf ] ]\n"
"               [ rxmode direct|thread [ cpus CPUS ] [ cgroup CGROUP ] ]\n"
"  vrctl router set NAME [ NS ] [ rxmode direct|thread ] [ cpus CPUS ]\n"
"               [ cgroup CGROUP ]\n"
"  vrctl router del NAME [ NS ]\n"
"  vrctl router show [ NAME ] [ NS ]\n"
"  vrctl rate set dev IF [ NS ] [ ingress ] [ rate RATE ] [ burst SIZE ]\n"
"               [ pps N ] [ pburst N ] [ egress [ rate RATE burst SIZE ]\n"
"               [ pps N [ pburst N ] ] [ latency MS | police | tbf ] ]\n"
"  vrctl rate show [ dev IF ] [ NS ]\n"
"  vrctl rate del dev IF [ NS ] [ ingress | egress ]\n"
"  vrctl link set dev IF [ NS ] [ mode MODE ] [ ringsize N ] [ mac MAC ]\n"
"               [ local ring|direct ] [ rxmode direct|thread ]\n"
"               [ spoofchk on|off ] [ maclock on|off ]\n"
"  vrctl stats [ dev IF ] [ NS ]\n"
"  vrctl monitor [ count N ]\n"
"\n"
"NS   := netns NAME | pid PID | path PATH   (default: every namespace for\n"
"        router show/del, rate show and stats, which list every napi_macvlan\n"
"        device with its owner; vrctl's own for rate set/del; required for add)\n"
"MODE := bridge | private | vepa | passthru\n"
"CPUS := a CPU list like taskset -c: 1 | 0-3 | 1,3-5\n"
"CGROUP := a cgroup v2 path like /routers/a (or its directory under the\n"
"        cgroup2 mount); the routers' NAPI threads are moved there\n"
"RATE := NUMBER[bit|kbit|mbit|gbit|tbit|kibit|mibit|gibit|tibit|\n"
"                bps|kbps|mbps|gbps|tbps|kibps|mibps|gibps|tibps]\n"
"        (as tc: no suffix = bit/s, *bps = bytes/s)\n"
"SIZE := NUMBER[b|k|kb|m|mb|g|gb|kbit|mbit|gbit]   (as tc: k = 1024 bytes)\n"
"\n"
"Exit status: 0 success, 1 bad usage or input (nothing changed),\n"
"             2 the kernel refused or a system call failed (the message\n"
"               names it).\n", f);
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	vr_usage(stdout);
	return VR_OK;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} vr_cmds[] = {
	{ "router",	cmd_router },
	{ "rate",	cmd_rate },
	{ "link",	cmd_link },
	{ "stats",	cmd_stats },
	{ "monitor",	cmd_monitor },
	{ "help",	cmd_help },
};

int vrctl_main(int argc, char **argv)
{
	size_t i;

	argc--;
	argv++;
	while (argc > 0 && argv[0][0] == '-') {
		if (!strcmp(argv[0], "-j") || !strcmp(argv[0], "-json") ||
		    !strcmp(argv[0], "--json")) {
			vr_opts.json = true;
		} else if (!strcmp(argv[0], "-s") ||
			   !strcmp(argv[0], "--stats")) {
			vr_opts.stats = true;
		} else if (!strcmp(argv[0], "-V") ||
			   !strcmp(argv[0], "--version")) {
			printf("vrctl %s\n", VRCTL_VERSION);
			return VR_OK;
		} else if (!strcmp(argv[0], "-h") ||
			   !strcmp(argv[0], "--help")) {
			vr_usage(stdout);
			return VR_OK;
		} else {
			vr_usage(stderr);
			return vr_err(VR_USAGE, "unknown option \"%s\"",
				      argv[0]);
		}
		argc--;
		argv++;
	}
	if (argc < 1) {
		vr_usage(stderr);
		return VR_USAGE;
	}
	for (i = 0; i < sizeof(vr_cmds) / sizeof(vr_cmds[0]); i++)
		if (!strcmp(argv[0], vr_cmds[i].name))
			return vr_cmds[i].fn(argc - 1, argv + 1);
	vr_usage(stderr);
	return vr_err(VR_USAGE, "unknown object \"%s\"", argv[0]);
}

#ifndef VRCTL_NO_MAIN
int main(int argc, char **argv)
{
	return vrctl_main(argc, argv);
}
#endif
