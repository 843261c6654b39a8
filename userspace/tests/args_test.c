// SPDX-License-Identifier: GPL-2.0
/*
 * Argument parsing: good command lines parse to the expected spec;
 * malformed ones exit 1 with a message and open no netlink socket at all,
 * so they cannot have changed anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ktap.h"
#include <linux/napi_macvlan.h>

#include "../router.h"
#include "../vrctl.h"

#define MAXARGS 40

/* Split a command line on spaces into argv (in place). */
static int split(char *line, char **argv)
{
	int n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(line, " ", &save); t && n < MAXARGS - 1;
	     t = strtok_r(NULL, " ", &save))
		argv[n++] = t;
	argv[n] = NULL;
	return n;
}

/* Malformed: exit code 1, a message on stderr, no netlink socket opened. */
static const char *const bad_cases[] = {
	"frob",
	"-x router show",
	"router frob",
	"router add",
	"router add r1",
	"router add r1 netns c1",
	"router add r1 link eth0",
	"router add bad/name netns c1 link eth0",
	"router add 0123456789012345678901234567890123456789012345678901234567890123456789 netns c1 link eth0",
	"router add r1 netns c1 pid 1 link eth0",
	"router add r1 netns c1 link eth0 mode fast",
	"router add r1 netns c1 link eth0 mode",
	"router add r1 netns c1 link eth0 rate 10foo",
	"router add r1 netns c1 link eth0 rate -5mbit",
	"router add r1 netns c1 link eth0 rate 0",
	"router add r1 netns c1 link eth0 burst 64k",
	"router add r1 netns c1 link eth0 pburst 10",
	"router add r1 netns c1 link eth0 pps 0",
	"router add r1 netns c1 link eth0 pps 1k",
	"router add r1 netns c1 link eth0 rate 1mbit burst 5t",
	"router add r1 netns c1 link eth0 egress rate 1mbit",
	"router add r1 netns c1 link eth0 egress burst 10k",
	"router add r1 netns c1 link eth0 egress pps 0",
	"router add r1 netns c1 link eth0 egress pburst 10",
	"router add r1 netns c1 link eth0 egress pps 100 pburst 0",
	"router add r1 netns c1 link eth0 egress rate 1mbit pps 100",
	"router add r1 netns c1 link eth0 latency 10",
	"router add r1 netns c1 link eth0 egress rate 1mbit burst 10k latency 0",
	"router add r1 netns c1 link eth0 ringsize 3",
	"router add r1 netns c1 link eth0 ringsize 99999",
	"router add r1 netns c1 link eth0 local fast",
	"router add r1 netns c1 link eth0 local",
	"router add r1 netns c1 link eth0 link eth1 names eth0",
	"router add r1 netns c1 link eth0 link eth1 names a,a",
	"router add r1 netns c1 link eth0 names a,",
	"router add r1 netns c1 link eth0 names a/b",
	"router add r1 netns c1 link eth0 names 01234567890123456",
	"router add r1 netns c1 link eth0 mac 01:00:00:00:00:01",
	"router add r1 netns c1 link eth0 mac 00:00:00:00:00:00",
	"router add r1 netns c1 link eth0 mac 02:00:00:00:00",
	"router add r1 netns c1 link eth0 mac 02:00:00:00:00:0g",
	"router add r1 netns c1 link eth0 spoofchk maybe",
	"router add r1 netns c1 link eth0 maclock",
	"router add r1 netns c1 link bad/dev",
	"router add r1 netns c1 link eth0 frobnicate 1",
	"router add r1 netns ../etc link eth0",
	"router add r1 pid 0 link eth0",
	"router add r1 pid abc link eth0",
	"router add r1 netns vrctl-test-no-such-ns link eth0",
	"router add r1 path /nonexistent/ns link eth0",
	"router add r1 path /proc/self/ns/net link eth0",
	"router add r1 netns c1 link eth0 rxmode fast",
	"router add r1 netns c1 link eth0 cpus 1",
	"router add r1 netns c1 link eth0 rxmode direct cgroup /a",
	"router add r1 netns c1 link eth0 rxmode thread cpus 1-",
	"router add r1 netns c1 link eth0 rxmode thread cpus 3-1",
	"router add r1 netns c1 link eth0 rxmode thread cpus 1,,2",
	"router add r1 netns c1 link eth0 rxmode thread cpus 99999",
	"router add r1 netns c1 link eth0 rxmode thread cpus 1 cpus 2",
	"router add r1 netns c1 link eth0 rxmode thread cgroup relative/x",
	"router add r1 netns c1 link eth0 rxmode thread cgroup /a/../b",
	"router add r1 netns c1 link eth0 rxmode thread cgroup /vrctl-test-no-such-cgroup",
	"router set",
	"router set r1",
	"router set r1 netns c1",
	"router set r1 rxmode fast",
	"router set r1 cpus x",
	"router set r1 rxmode direct cpus 1",
	"router set r1 bogus 1",
	"link set dev a0 netns c1 rxmode fast",
	"router del",
	"router del r1 r2",
	"router del r1 netns",
	"router show r1 bogus/arg",
	"rate frob dev eth0",
	"rate set dev eth0",
	"rate set rate 1mbit",
	"rate set dev eth0 rate 1.5bit",
	"rate set dev eth0 egress rate 1mbit",
	"rate set dev eth0 police",
	"rate set dev eth0 egress rate 1mbit burst 10k police tbf",
	"rate set dev eth0 egress rate 1mbit burst 10k police latency 5",
	"rate set dev eth0 egress pps 100 tbf",
	"rate set dev eth0 egress",
	"rate set dev 01234567890123456 rate 1mbit",
	"rate del",
	"rate del dev eth0 bogus",
	"rate show dev eth0 rate 1mbit",
	"stats bogus",
	"stats dev",
	"monitor count 0",
	"monitor count x",
	"monitor bogus",
	"link",
	"link frob dev a0",
	"link set",
	"link set dev a0",
	"link set mode private",
	"link set dev a0 netns c1",
	"link set dev a0 netns c1 mode fast",
	"link set dev a0 netns c1 maclock maybe",
	"link set dev a0 netns c1 spoofchk",
	"link set dev a0 netns c1 ringsize 3",
	"link set dev a0 netns c1 local 1",
	"link set dev a0 netns c1 mac 01:00:00:00:00:01",
	"link set dev a/0 netns c1 mode private",
	"link set dev a0 netns c1 pid 1 mode private",
	"link set dev a0 netns c1 rate 1mbit",
	"link set dev a0 netns vrctl-test-no-such-ns mode private",
};

static const struct {
	const char *line;
	const char *names;	/* expected ifnames, comma separated */
	uint32_t flags;
	uint64_t rate, erate, pps;
	uint32_t burst, eburst;
	uint64_t epps;
	uint32_t epburst;
} good_cases[] = {
	{ "r1 netns c1 link eth0", "eth0",
	  NAPI_MACVLAN_F_SPOOFCHK | NAPI_MACVLAN_F_MACLOCK, 0, 0, 0, 0, 0, 0, 0 },
	{ "r1 netns c1 link v1 link v2", "eth0,eth1",
	  NAPI_MACVLAN_F_SPOOFCHK | NAPI_MACVLAN_F_MACLOCK, 0, 0, 0, 0, 0, 0, 0 },
	{ "r1 pid 1 link v1 link v2 names up0,up1 spoofchk off", "up0,up1",
	  NAPI_MACVLAN_F_MACLOCK, 0, 0, 0, 0, 0, 0, 0 },
	{ "r.1_x-y path /x link v1 maclock off rate 10mbps burst 64k", "eth0",
	  NAPI_MACVLAN_F_SPOOFCHK, 80000000, 0, 0, 65536, 0, 0, 0 },
	{ "r1 netns c1 link v1 egress rate 1gbit burst 1m ingress rate 5mbit pps 100",
	  "eth0", NAPI_MACVLAN_F_SPOOFCHK | NAPI_MACVLAN_F_MACLOCK, 5000000,
	  1000000000, 100, 0, 1048576, 0, 0 },
	{ "r1 netns c1 link v1 egress pps 1000 pburst 20", "eth0",
	  NAPI_MACVLAN_F_SPOOFCHK | NAPI_MACVLAN_F_MACLOCK, 0, 0, 0, 0, 0,
	  1000, 20 },
	{ "r1 netns c1 link v1 egress rate 2mbit burst 8k pps 500 police",
	  "eth0", NAPI_MACVLAN_F_SPOOFCHK | NAPI_MACVLAN_F_MACLOCK, 0,
	  2000000, 0, 0, 8192, 500, 0 },
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int args_tests(bool count_only)
{
	char line[512], *argv[MAXARGS], names[256], errpath[] = "/tmp/vrctl_err_XXXXXX";
	struct router_spec s;
	int i, k, argc, rc, fd, saved, ok;
	off_t errlen;

	if (count_only)
		return N(bad_cases) + N(good_cases);
	for (i = 0; i < N(bad_cases); i++) {
		snprintf(line, sizeof(line), "vrctl %s", bad_cases[i]);
		argc = split(line, argv);
		strcpy(errpath, "/tmp/vrctl_err_XXXXXX");
		fd = mkstemp(errpath);
		fflush(stderr);
		saved = dup(2);
		dup2(fd, 2);
		vr_nl_opened = 0;
		rc = vrctl_main(argc, argv);
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		errlen = lseek(fd, 0, SEEK_END);
		close(fd);
		unlink(errpath);
		ok = rc == VR_USAGE && errlen > 0 && vr_nl_opened == 0;
		if (!ok)
			ktap_diag("exit %d, %lld bytes of message, %d netlink sockets",
				  rc, (long long)errlen, vr_nl_opened);
		ktap_case(ok, "args: \"%s\" is rejected before any netlink",
			  bad_cases[i]);
	}
	for (i = 0; i < N(good_cases); i++) {
		snprintf(line, sizeof(line), "%s", good_cases[i].line);
		argc = split(line, argv);
		vr_nl_opened = 0;
		rc = router_parse_add(argc, argv, &s);
		names[0] = '\0';
		for (k = 0; !rc && k < s.nlinks; k++)
			snprintf(names + strlen(names),
				 sizeof(names) - strlen(names), "%s%s",
				 k ? "," : "", s.ifnames[k]);
		ok = rc == 0 && !strcmp(names, good_cases[i].names) &&
		     s.flags == good_cases[i].flags &&
		     s.in.rate == good_cases[i].rate &&
		     s.in.burst == good_cases[i].burst &&
		     s.in.pps == good_cases[i].pps &&
		     s.eg.rate == good_cases[i].erate &&
		     s.eg.burst == good_cases[i].eburst &&
		     s.eg.pps == good_cases[i].epps &&
		     s.eg.pburst == good_cases[i].epburst &&
		     s.eg.set == !!(good_cases[i].erate || good_cases[i].epps) &&
		     vr_nl_opened == 0;
		if (!ok)
			ktap_diag("rc %d names %s flags %u rate %llu burst %u egress %llu/%u pps %llu/%u",
				  rc, names, s.flags,
				  (unsigned long long)s.in.rate, s.in.burst,
				  (unsigned long long)s.eg.rate, s.eg.burst,
				  (unsigned long long)s.eg.pps, s.eg.pburst);
		ktap_case(ok, "args: router add %s parses", good_cases[i].line);
	}
	return 0;
}
