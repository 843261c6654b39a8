// SPDX-License-Identifier: GPL-2.0
/*
 * Placement of a router's NAPI threads (rxmode thread), done from user
 * space: the driver reports each device's thread pid
 * (IFLA_NAPI_MACVLAN_THREAD_PID), we write it to the cgroup's
 * cgroup.procs and set its affinity.  The kernel checks that we may (cgroup
 * delegation: write access to cgroup.procs of the source and destination's
 * common ancestor; CAP_SYS_NICE for another user's task), exactly as for
 * any task an operator moves, and the placement can be changed at any time
 * by doing it again.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "vrctl.h"
#include "place.h"

int place_cpus_parse(const char *s, cpu_set_t *set)
{
	unsigned long a, b;
	char *end;

	CPU_ZERO(set);
	if (!*s)
		return -1;
	for (;;) {
		if (!isdigit((unsigned char)*s))
			return -1;
		errno = 0;
		a = strtoul(s, &end, 10);
		b = a;
		if (!errno && *end == '-') {
			s = end + 1;
			if (!isdigit((unsigned char)*s))
				return -1;
			b = strtoul(s, &end, 10);
		}
		if (errno || a > b || b >= CPU_SETSIZE)
			return -1;
		for (; a <= b; a++)
			CPU_SET(a, set);
		if (!*end)
			return 0;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

/* Where cgroup2 is mounted in our mount namespace (first such mount). */
static int place_cgroup2_mount(char *out, size_t len)
{
	char line[4096], mnt[PATH_MAX], *sep;
	FILE *f = fopen("/proc/self/mountinfo", "r");
	int ret = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		sep = strstr(line, " - ");
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8))
			continue;
		/* fields: id parent major:minor root mountpoint ... */
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		snprintf(out, len, "%s", mnt);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

int place_cgroup_dir(const char *path, char *out, size_t len)
{
	char mnt[PATH_MAX], procs[PATH_MAX + 16];
	size_t n;

	if (path[0] != '/' || strstr(path, "/../") ||
	    (strlen(path) >= 3 && !strcmp(path + strlen(path) - 3, "/..")))
		return vr_err(VR_USAGE,
			      "cgroup \"%s\": an absolute cgroup v2 path without \"..\", like /routers/a",
			      path);
	if (place_cgroup2_mount(mnt, sizeof(mnt)))
		return vr_err(VR_USAGE, "cgroup \"%s\": no cgroup v2 is mounted",
			      path);
	n = strlen(mnt);
	if (!strncmp(path, mnt, n) && (path[n] == '/' || !path[n]))
		snprintf(out, len, "%s", path);
	else if (snprintf(out, len, "%s%s", mnt, path) >= (int)len)
		return vr_err(VR_USAGE, "cgroup \"%s\": path too long", path);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", out);
	if (access(procs, F_OK))
		return vr_err(VR_USAGE,
			      "cgroup \"%s\": %s is not a cgroup v2 directory (create it first)",
			      path, out);
	return VR_OK;
}

int place_parse_key(struct vr_args *a, struct vr_place *p)
{
	const char *k = a->argv[0], *v;

	if (strcmp(k, "cpus") && strcmp(k, "cgroup"))
		return 0;
	v = vr_arg_value(a, k);
	if (!v)
		return -1;
	if (!strcmp(k, "cpus")) {
		if (p->has_cpus) {
			vr_err(VR_USAGE, "cpus given twice");
			return -1;
		}
		if (place_cpus_parse(v, &p->cpus)) {
			vr_err(VR_USAGE,
			       "cpus \"%s\": expected a CPU list like 1 or 0-3 or 1,3-5",
			       v);
			return -1;
		}
		p->has_cpus = true;
		return 1;
	}
	if (p->cgroup) {
		vr_err(VR_USAGE, "cgroup given twice");
		return -1;
	}
	p->cgroup = v;
	return 1;
}

int place_check(struct vr_place *p)
{
	if (!p->cgroup)
		return VR_OK;
	return place_cgroup_dir(p->cgroup, p->cgdir, sizeof(p->cgdir));
}

static int place_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* /proc/PID/comm is "napi/DEV-ID" (truncated to 15 characters) */
static bool place_is_napi_thread(const char *dev, uint32_t pid)
{
	char path[64], comm[64], want[64];

	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	if (place_read(path, comm, sizeof(comm)))
		return false;
	comm[strcspn(comm, "\n")] = '\0';
	snprintf(want, sizeof(want), "napi/%s-", dev);
	/* TASK_COMM_LEN 16: the kernel keeps 15 characters of the name */
	return !strncmp(comm, want, strlen(want) < 15 ? strlen(want) : 15);
}

int place_thread(const char *dev, uint32_t pid, const struct vr_place *p)
{
	char path[PATH_MAX + 16], num[16];
	int fd, n, tries;

	if (!pid)
		return vr_err(VR_KERNEL,
			      "%s: no NAPI thread to place (rxmode direct, or threaded NAPI turned off)",
			      dev);
	if (!place_is_napi_thread(dev, pid))
		return vr_err(VR_KERNEL,
			      "%s: pid %u is not the device's NAPI thread (is vrctl in the host's pid namespace?)",
			      dev, pid);
	if (p->cgroup) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", p->cgdir);
		n = snprintf(num, sizeof(num), "%u", pid);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return vr_err(VR_KERNEL,
				      "%s: move NAPI thread %u to cgroup %s: open %s: %s",
				      dev, pid, p->cgroup, path, strerror(errno));
		/*
		 * A kthread refuses to move (EINVAL) until it has run for
		 * the first time (cgroup_kthread_ready()): a thread made a
		 * moment ago may not have been scheduled yet.  Give it 2 s.
		 */
		for (tries = 0; write(fd, num, n) != n; tries++) {
			if (errno != EINVAL || tries >= 100) {
				int err = errno;

				close(fd);
				return vr_err(VR_KERNEL,
					      "%s: move NAPI thread %u to cgroup %s: write %s: %s",
					      dev, pid, p->cgroup, path,
					      strerror(err));
			}
			usleep(20000);
		}
		close(fd);
	}
	if (p->has_cpus && sched_setaffinity(pid, sizeof(p->cpus), &p->cpus))
		return vr_err(VR_KERNEL,
			      "%s: NAPI thread %u: sched_setaffinity: %s%s", dev,
			      pid, strerror(errno),
			      errno == EINVAL ?
			      " (no allowed CPU in the list: offline, or outside the cgroup's cpuset)" : "");
	return VR_OK;
}

/*
 * Linux 6.18 throttles a cgroup's tasks when they return to user space
 * (CFS's task based throttle model; task_throttle_setup_work() skips
 * kernel threads): a NAPI thread is charged to its cgroup, but a cpu.max
 * there or above no longer caps it.
 */
static bool place_kthreads_throttled(void)
{
	unsigned int maj, min;
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u", &maj, &min) != 2)
		return true;
	return maj < 6 || (maj == 6 && min < 18);
}

bool place_cpu_max_ignored(const struct vr_place *p)
{
	char dir[PATH_MAX], mnt[PATH_MAX], path[PATH_MAX + 16], buf[64];
	char *slash;

	if (!p->cgroup || place_kthreads_throttled() ||
	    place_cgroup2_mount(mnt, sizeof(mnt)))
		return false;
	snprintf(dir, sizeof(dir), "%s", p->cgdir);
	/* from the cgroup up to, not including, the root (no cpu.max) */
	while (strlen(dir) > strlen(mnt)) {
		snprintf(path, sizeof(path), "%s/cpu.max", dir);
		if (!place_read(path, buf, sizeof(buf)) &&
		    strncmp(buf, "max ", 4))
			return true;
		slash = strrchr(dir, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	return false;
}

/*
 * CPU time from /proc/PID/stat's utime + stime (fields 14 and 15, clock
 * ticks), for kernels without CONFIG_SCHED_INFO (no schedstat file).
 */
static int place_thread_cpu_ticks(uint32_t pid, uint64_t *ns)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	long hz = sysconf(_SC_CLK_TCK);

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	if (hz <= 0 || place_read(path, buf, sizeof(buf)))
		return -1;
	/* the command name may hold spaces and parentheses: skip to its end */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return -1;
	*ns = (ut + st) * (1000000000ULL / (unsigned long long)hz);
	return 0;
}

int place_thread_cpu_ns(uint32_t pid, uint64_t *ns)
{
	char path[64], buf[128];
	unsigned long long v;

	snprintf(path, sizeof(path), "/proc/%u/schedstat", pid);
	if (place_read(path, buf, sizeof(buf)) ||
	    sscanf(buf, "%llu", &v) != 1)
		return place_thread_cpu_ticks(pid, ns);
	*ns = v;
	return 0;
}

int place_thread_where(uint32_t pid, char *cg, size_t cglen, char *cpus,
		       size_t cpuslen)
{
	char path[64], buf[4096], *l;

	snprintf(path, sizeof(path), "/proc/%u/cgroup", pid);
	if (place_read(path, buf, sizeof(buf)))
		return -1;
	/* the cgroup v2 line, "0::/path" */
	if (!strncmp(buf, "0::", 3)) {
		l = buf + 3;
	} else {
		l = strstr(buf, "\n0::");
		if (!l)
			return -1;
		l += 4;
	}
	l[strcspn(l, "\n")] = '\0';
	snprintf(cg, cglen, "%s", l);
	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	if (place_read(path, buf, sizeof(buf)))
		return -1;
	l = strstr(buf, "Cpus_allowed_list:");
	if (!l)
		return -1;
	l += strlen("Cpus_allowed_list:");
	l += strspn(l, " \t");
	l[strcspn(l, "\n")] = '\0';
	snprintf(cpus, cpuslen, "%s", l);
	return 0;
}
