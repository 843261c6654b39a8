// SPDX-License-Identifier: GPL-2.0
/*
 * Finding devices and namespaces without a kernel module: who owns a
 * device by its alias, how namespaces are found and named, and that a
 * failed system call is named in the message (setns, not "socket").
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "ktap.h"

#include "../vrctl.h"
#include "../nl.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct {
	const char *alias, *owner;
} owner_cases[] = {
	{ "vrctl:r1", "vrctl:r1" },
	{ "vrctl:web.1", "vrctl:web.1" },
	{ "vrctl:", "" },
	{ "cni:c1:eth0", "cni:c1" },
	{ "cni:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef:eth0",
	  "cni:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" },
	{ "cni:a.b-c_d:net1", "cni:a.b-c_d" },
	{ "cni:c1", "cni:c1" },
	{ "cni:", "" },
	{ "", "" },
	{ "uplink to the core", "" },
	{ "vrctlr1", "" },
};

/* Run vrctl_main on a command line, capture stderr into err. */
static int run_vrctl(const char *cmdline, char *err, size_t len)
{
	char line[512], *argv[32], *save = NULL, *t;
	char path[] = "/tmp/vrctl_ns_XXXXXX";
	int argc = 0, fd, saved, rc;
	ssize_t n;

	snprintf(line, sizeof(line), "%s", cmdline);
	for (t = strtok_r(line, " ", &save); t && argc < 31;
	     t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	unlink(path);
	fflush(stdout);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	rc = vrctl_main(argc, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, err, len - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(fd);
	return rc;
}

static void ns_all_cases(void)
{
	struct stat self;
	struct vr_ns *v;
	int i, k, n, dup = 0;
	bool ok;

	ok = !stat("/proc/self/ns/net", &self) && !ns_all(&v, &n) && n >= 1;
	ktap_case(ok && v[0].dev == self.st_dev && v[0].ino == self.st_ino &&
		  !strcmp(v[0].label, "(self)"),
		  "netns: ns_all finds our own namespace first, as (self)");
	for (i = 0; ok && i < n; i++)
		for (k = i + 1; k < n; k++)
			if (v[i].dev == v[k].dev && v[i].ino == v[k].ino)
				dup++;
	if (dup)
		ktap_diag("%d namespaces listed twice", dup);
	ktap_case(ok && !dup, "netns: ns_all lists each namespace once (%d)",
		  ok ? n : 0);
	for (i = 0; ok && i < n; i++)
		ns_close(&v[i]);
	if (ok)
		free(v);
}

static void ns_open_cases(void)
{
	char tmp[] = "/tmp/vrctl_notns_XXXXXX", cmd[256], err[512];
	int fd, rc;

	fd = mkstemp(tmp);
	close(fd);
	snprintf(cmd, sizeof(cmd), "vrctl stats path %s", tmp);
	rc = run_vrctl(cmd, err, sizeof(err));
	if (rc != VR_USAGE || !strstr(err, "not a network namespace"))
		ktap_diag("exit %d: %s", rc, err);
	ktap_case(rc == VR_USAGE && strstr(err, "not a network namespace"),
		  "netns: a file that is no namespace is refused as such");
	unlink(tmp);
	rc = run_vrctl("vrctl -j rate show path /nonexistent/ns", err,
		       sizeof(err));
	if (rc != VR_USAGE || !strstr(err, "open /nonexistent/ns"))
		ktap_diag("exit %d: %s", rc, err);
	ktap_case(rc == VR_USAGE && strstr(err, "open /nonexistent/ns"),
		  "netns: a missing path names the open that failed");
}

/* setns() on what is no namespace fails: nl_open says it was setns. */
static void nl_open_cases(void)
{
	char tmp[] = "/tmp/vrctl_notns_XXXXXX";
	struct vr_nl nl;
	int fd, err;

	fd = mkstemp(tmp);
	unlink(tmp);
	err = nl_open(&nl, NETLINK_ROUTE, fd);
	close(fd);
	if (!err)
		nl_close(&nl);
	if (err != -EINVAL || strcmp(nl_call, "setns"))
		ktap_diag("nl_open: %d, call \"%s\"", err, nl_call);
	ktap_case(err == -EINVAL && !strcmp(nl_call, "setns"),
		  "nl: a failed setns is reported as setns");
}

/*
 * In a user namespace of our own (a container's root), setns() into our
 * network namespace is refused (EPERM: it belongs to the initial user
 * namespace); a socket there needs none, so vrctl must not call it.
 */
static void userns_case(void)
{
	int status, fd, rc;
	struct vr_nl nl;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		if (unshare(CLONE_NEWUSER))
			_exit(77);
		fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			_exit(3);
		rc = nl_open(&nl, NETLINK_ROUTE, fd);
		if (rc) {
			printf("# nl_open in a user namespace: %s: %s\n",
			       nl_call, strerror(-rc));
			_exit(1);
		}
		nl_close(&nl);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		ktap_case(false, "nl: in a user namespace, a socket in our own netns needs no setns");
		return;
	}
	if (WEXITSTATUS(status) == 77) {
		ktap_case(true, "nl: in a user namespace, a socket in our own netns needs no setns # SKIP unshare(CLONE_NEWUSER) not allowed here");
		return;
	}
	ktap_case(WEXITSTATUS(status) == 0,
		  "nl: in a user namespace, a socket in our own netns needs no setns");
}

int netns_tests(bool count_only)
{
	char out[VR_OWNER_MAX];
	int i;

	if (count_only)
		return N(owner_cases) + 2 + 2 + 1 + 1;
	for (i = 0; i < N(owner_cases); i++) {
		vr_owner(owner_cases[i].alias, out, sizeof(out));
		if (strcmp(out, owner_cases[i].owner))
			ktap_diag("got \"%s\"", out);
		ktap_case(!strcmp(out, owner_cases[i].owner),
			  "owner: alias \"%s\" is \"%s\"", owner_cases[i].alias,
			  owner_cases[i].owner);
	}
	ns_all_cases();
	ns_open_cases();
	nl_open_cases();
	userns_case();
	return 0;
}
