/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a napi_macvlan device's NAPI thread runs (rxmode thread): its CPUs
 * and its cgroup v2.  Shared by vrctl and the CNI plugin.
 */
#ifndef VRCTL_PLACE_H
#define VRCTL_PLACE_H

#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>

struct vr_place {
	bool has_cpus;
	cpu_set_t cpus;
	const char *cgroup;		/* as given, NULL: leave it */
	char cgdir[PATH_MAX];		/* the cgroup's directory */
};

/* A CPU list like taskset -c: "0", "0-3", "1,3-5".  0 or -1. */
int place_cpus_parse(const char *s, cpu_set_t *set);
/*
 * The directory of cgroup v2 @path: a path in the hierarchy as in
 * /proc/PID/cgroup ("/routers/a", "/" for the root), or the directory
 * itself under the cgroup2 mount ("/sys/fs/cgroup/routers/a").  It must
 * exist.  VR_OK, or VR_USAGE with a message.
 */
int place_cgroup_dir(const char *path, char *out, size_t len);
/* "cpus" / "cgroup" at a->argv[0]: 1 consumed, 0 not ours, -1 bad value. */
struct vr_args;
int place_parse_key(struct vr_args *a, struct vr_place *p);
/* Resolve p->cgroup into p->cgdir.  VR_OK or VR_USAGE. */
int place_check(struct vr_place *p);
static inline bool place_any(const struct vr_place *p)
{
	return p->has_cpus || p->cgroup;
}
/*
 * Put device @dev's NAPI thread @pid (as the kernel reported it) where @p
 * says: first into the cgroup (cgroup.procs), then its affinity (the
 * cgroup's cpuset may narrow what is allowed).  Checks that @pid still is
 * a NAPI thread of @dev first.  VR_OK, or VR_KERNEL with a message.
 */
int place_thread(const char *dev, uint32_t pid, const struct vr_place *p);
/*
 * True when @p puts a thread under a cpu.max (its cgroup's or an
 * ancestor's) that this kernel does not apply to kernel threads (6.18+).
 */
bool place_cpu_max_ignored(const struct vr_place *p);
/* CPU time the thread ran, in ns (/proc/PID/schedstat); 0 or -1. */
int place_thread_cpu_ns(uint32_t pid, uint64_t *ns);
/* Its cgroup v2 path ("/routers/a") and CPU list; 0 or -1. */
int place_thread_where(uint32_t pid, char *cg, size_t cglen, char *cpus,
		       size_t cpuslen);

#endif /* VRCTL_PLACE_H */
