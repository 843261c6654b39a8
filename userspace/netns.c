// SPDX-License-Identifier: GPL-2.0
/*
 * Network namespaces for vrctl: resolving what the user named (netns NAME,
 * pid PID, path PATH), finding every namespace for show/del/stats, and the
 * per-namespace set of sockets the subcommands work with, and the walk over
 * every napi_macvlan device of every namespace that the listings share.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/nsfs.h>

#include "vrctl.h"
#include "nl.h"

/* ---- namespaces ---- */

/* Take fd into ns; -1 (errno set, fd closed) unless it is a network
 * namespace. */
static int ns_fill(struct vr_ns *ns, int fd, const char *label)
{
	struct stat st;
	int type;

	if (fstat(fd, &st)) {
		close(fd);
		return -1;
	}
	/* A file under /run/netns that is no longer a mount of one, or any
	 * path given: setns() would say only EINVAL. */
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type != CLONE_NEWNET) {
		close(fd);
		errno = type < 0 && errno != ENOTTY ? errno : EINVAL;
		return -1;
	}
	ns->fd = fd;
	ns->dev = st.st_dev;
	ns->ino = st.st_ino;
	snprintf(ns->label, sizeof(ns->label), "%s", label);
	return 0;
}

int ns_open(const char *kind, const char *arg, struct vr_ns *ns)
{
	char path[PATH_MAX];
	char *end;
	int fd;

	if (!kind) {
		snprintf(path, sizeof(path), "/proc/self/ns/net");
		arg = "";
	} else if (!strcmp(kind, "netns")) {
		if (!*arg || strchr(arg, '/') || !strcmp(arg, ".") ||
		    !strcmp(arg, ".."))
			return vr_err(VR_USAGE, "netns \"%s\": not a valid name",
				      arg);
		snprintf(path, sizeof(path), "/run/netns/%s", arg);
	} else if (!strcmp(kind, "pid")) {
		long pid;

		errno = 0;
		pid = strtol(arg, &end, 10);
		if (!*arg || *end || errno || pid <= 0 || pid > 4194304)
			return vr_err(VR_USAGE, "pid \"%s\": not a process id",
				      arg);
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", pid);
	} else if (!strcmp(kind, "path")) {
		snprintf(path, sizeof(path), "%s", arg);
	} else {
		return vr_err(VR_USAGE, "unknown namespace kind \"%s\"", kind);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vr_err(VR_USAGE, "%s %s: open %s: %s",
			      kind ? kind : "netns", arg, path, strerror(errno));
	if (ns_fill(ns, fd, kind ? arg : "(self)"))
		return vr_err(VR_USAGE, "%s %s: %s: %s",
			      kind ? kind : "netns", arg, path,
			      errno == EINVAL ? "not a network namespace" :
			      strerror(errno));
	if (kind && !strcmp(kind, "pid"))
		snprintf(ns->label, sizeof(ns->label), "pid:%s", arg);
	return VR_OK;
}

void ns_close(struct vr_ns *ns)
{
	if (ns->fd >= 0)
		close(ns->fd);
	ns->fd = -1;
}

static int ns_add(struct vr_ns **v, int *n, int fd, const char *label)
{
	struct vr_ns ns, *nv;
	int i;

	if (ns_fill(&ns, fd, label))
		return 0;
	for (i = 0; i < *n; i++)
		if ((*v)[i].dev == ns.dev && (*v)[i].ino == ns.ino) {
			close(fd);
			return 0;
		}
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv) {
		close(fd);
		return -ENOMEM;
	}
	*v = nv;
	nv[(*n)++] = ns;
	return 0;
}

int ns_all(struct vr_ns **out, int *n)
{
	char path[PATH_MAX], label[128];
	struct dirent *de;
	DIR *d;
	int fd;

	*out = NULL;
	*n = 0;
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && ns_add(out, n, fd, "(self)"))
		return -ENOMEM;
	d = opendir("/run/netns");
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && ns_add(out, n, fd, de->d_name))
			break;
	}
	if (d)
		closedir(d);
	d = opendir("/proc");
	while (d && (de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		snprintf(label, sizeof(label), "pid:%.100s", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && ns_add(out, n, fd, label))
			break;
	}
	if (d)
		closedir(d);
	return 0;
}

int ns_select(const char *kind, const char *arg, struct vr_ns **v, int *n)
{
	int ret;

	if (!kind) {
		if (ns_all(v, n))
			return vr_err(VR_KERNEL, "out of memory");
		return VR_OK;
	}
	*v = calloc(1, sizeof(**v));
	if (!*v)
		return vr_err(VR_KERNEL, "out of memory");
	ret = ns_open(kind, arg, *v);
	if (ret) {
		free(*v);
		*v = NULL;
		return ret;
	}
	*n = 1;
	return VR_OK;
}

/* ---- per-namespace context ---- */

int ns_parse_key(struct vr_args *a, const char **kind, const char **arg)
{
	const char *k = a->argv[0], *v;

	if (strcmp(k, "netns") && strcmp(k, "pid") && strcmp(k, "path"))
		return 0;
	if (*kind) {
		vr_err(VR_USAGE, "only one of netns, pid, path may be given");
		return -1;
	}
	v = vr_arg_value(a, k);
	if (!v)
		return -1;
	*kind = k;
	*arg = v;
	return 1;
}

int ctx_open(struct vr_ctx *c, struct vr_ns *ns)
{
	int err;

	memset(c, 0, sizeof(*c));
	c->ns = *ns;
	ns->fd = -1;
	err = nl_open(&c->rt, NETLINK_ROUTE, c->ns.fd);
	if (err)
		return nl_kerr(err, "netns %s", c->ns.label);
	err = nl_open(&c->gnl, NETLINK_GENERIC, -1);
	if (err)
		return nl_kerr(err, "generic netlink");
	if (igtb_family(&c->gnl, &c->igtb_fam, NULL))
		c->igtb_fam = 0;
	return VR_OK;
}

void ctx_close(struct vr_ctx *c)
{
	nl_close(&c->rt);
	nl_close(&c->gnl);
	ns_close(&c->ns);
}

int ctx_ifindex(struct vr_ctx *c, const char *name, int *ifindex)
{
	struct vr_link l;
	int err;

	err = nl_link_get(&c->rt, name, &l);
	if (err == -ENODEV || (!err && !l.ifindex))
		return vr_err(VR_USAGE, "dev %s: no such device in netns %s",
			      name, c->ns.label);
	if (err)
		return nl_kerr(err, "dev %s: look up", name);
	*ifindex = l.ifindex;
	return VR_OK;
}

/* ---- every napi_macvlan device ---- */

/* Devices of one owner follow each other, in ifindex order. */
static int vr_walk_cmp(const void *a, const void *b)
{
	const struct vr_link *x = a, *y = b;
	char ox[VR_OWNER_MAX], oy[VR_OWNER_MAX];
	int r;

	vr_owner(x->alias, ox, sizeof(ox));
	vr_owner(y->alias, oy, sizeof(oy));
	r = strcmp(ox, oy);
	return r ? r : x->ifindex - y->ifindex;
}

/* One namespace: its napi_macvlan devices (named dev) to fn.  *ns_err
 * tells a failure to enter or list the namespace from one of fn's. */
static int vr_walk_ns(struct vr_ns *ns, const char *dev, vr_walk_fn fn,
		      void *data, int *hits, bool *ns_err)
{
	struct vr_link *v = NULL;
	struct vr_ctx c;
	int i, k, n = 0, ret, err;

	*ns_err = true;
	ret = ctx_open(&c, ns);
	if (ret)
		goto out;
	err = nl_links(&c.rt, &v, &n);
	if (err) {
		ret = nl_kerr(err, "netns %s: list devices", c.ns.label);
		goto out;
	}
	*ns_err = false;
	for (i = 0, k = 0; i < n; i++)
		if (!strcmp(v[i].kind, NAPI_MACVLAN_KIND) &&
		    (!dev || !strcmp(v[i].name, dev)))
			v[k++] = v[i];
	if (!k)
		goto out;
	qsort(v, k, sizeof(*v), vr_walk_cmp);
	*hits += k;
	ret = fn(&c, v, k, data);
out:
	free(v);
	ctx_close(&c);
	return ret;
}

int vr_walk(const char *kind, const char *arg, const char *dev,
	    vr_walk_fn fn, void *data, int *hits)
{
	struct vr_ns *v;
	int i, n, ret, bad = VR_OK;
	bool ns_err;

	*hits = 0;
	ret = ns_select(kind, arg, &v, &n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		ret = vr_walk_ns(&v[i], dev, fn, data, hits, &ns_err);
		/*
		 * Looking everywhere, a namespace we may not enter (or whose
		 * devices we may not list) is reported and the rest still
		 * shown; the exit code says the view is incomplete.  A
		 * subcommand's own failure stops the walk.
		 */
		if (ret && ns_err && !kind) {
			bad = VR_KERNEL;
			continue;
		}
		if (ret)
			break;
	}
	for (i++; i < n; i++)
		ns_close(&v[i]);
	free(v);
	return ret ? ret : bad;
}
