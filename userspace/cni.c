// SPDX-License-Identifier: GPL-2.0
/*
 * napi-macvlan: a CNI plugin (spec 1.0.0; also 0.3.0, 0.3.1, 0.4.0) that
 * gives a container a napi_macvlan device on a master interface of the
 * host, with igtb ingress and egress profiles (set by the host), addresses
 * from any IPAM plugin.
 *
 * Protocol (spec "Execution Protocol"): CNI_COMMAND ADD|DEL|CHECK|VERSION,
 * CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH in the environment, the
 * network configuration on stdin; a result or an error object on stdout,
 * exit status 0 on success only.
 *
 * The device carries the alias "cni:CONTAINERID:IFNAME": DEL and CHECK find
 * it by that identity, and DEL never removes a device it did not make.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "cni_conf.h"
#include "nmv.h"

#define CNI_IN_MAX (1 << 20)

static const char *cni_out_version = "1.0.0";

/* Print the spec's error object and return the exit status. */
static int cni_error(int code, const char *msg, const char *details)
{
	json_t *e = json_object();

	json_object_set_new(e, "cniVersion", json_string(cni_out_version));
	json_object_set_new(e, "code", json_integer(code));
	json_object_set_new(e, "msg", json_string(msg));
	if (details && *details)
		json_object_set_new(e, "details", json_string(details));
	json_dumpf(e, stdout, JSON_COMPACT);
	fputc('\n', stdout);
	json_decref(e);
	fprintf(stderr, "napi-macvlan: %s%s%s\n", msg,
		details && *details ? ": " : "", details ? details : "");
	return 1;
}

/* An error object of a delegated plugin: passed on as it is. */
static int cni_error_obj(json_t *e)
{
	json_dumpf(e, stdout, JSON_COMPACT);
	fputc('\n', stdout);
	json_decref(e);
	return 1;
}

static int cni_version(void)
{
	printf("{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\"]}\n");
	return 0;
}

static char *cni_read_stdin(size_t *len)
{
	char *buf = malloc(CNI_IN_MAX + 1);
	size_t n = 0;
	ssize_t r;

	if (!buf)
		return NULL;
	while (n < CNI_IN_MAX && (r = read(0, buf + n, CNI_IN_MAX - n)) > 0)
		n += r;
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* The spec's container id: [a-zA-Z0-9][a-zA-Z0-9_.\-]* */
static bool cni_cid_ok(const char *s)
{
	if (!s || !isalnum((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

struct cni_req {
	const char *cmd, *cid, *netns, *ifname;
	char alias[CNI_ALIAS_MAX];
	json_t *root;
	char *text;
	size_t len;
	struct cni_conf conf;
};

/* ---- ADD ---- */

/* The result: our interface, and IPAM's ips (now on it), routes, dns. */
static json_t *cni_result(struct cni_req *r, const struct cni_link *l,
			  json_t *ipam)
{
	bool v1 = cni_version_cmp(r->conf.version, "1.0.0") >= 0;
	json_t *res = json_object(), *itfs = json_array(), *itf, *ips, *ip;
	char mac[18];
	size_t i;

	json_object_set_new(res, "cniVersion", json_string(r->conf.version));
	itf = json_object();
	cni_fmt_mac(l->mac, mac, sizeof(mac));
	json_object_set_new(itf, "name", json_string(r->ifname));
	json_object_set_new(itf, "mac", json_string(mac));
	json_object_set_new(itf, "sandbox", json_string(r->netns));
	json_array_append_new(itfs, itf);
	json_object_set_new(res, "interfaces", itfs);
	ips = json_array();
	json_array_foreach(ipam ? json_object_get(ipam, "ips") : NULL, i, ip) {
		json_t *c = json_deep_copy(ip);
		const char *a = json_string_value(json_object_get(c, "address"));

		json_object_set_new(c, "interface", json_integer(0));
		/* 0.3.x/0.4.0 name the family, 1.0.0 dropped the key. */
		if (v1)
			json_object_del(c, "version");
		else if (!json_object_get(c, "version"))
			json_object_set_new(c, "version",
					    json_string(a && strchr(a, ':') ?
							"6" : "4"));
		json_array_append_new(ips, c);
	}
	json_object_set_new(res, "ips", ips);
	if (ipam && json_is_array(json_object_get(ipam, "routes")))
		json_object_set(res, "routes", json_object_get(ipam, "routes"));
	if (ipam && json_is_object(json_object_get(ipam, "dns")))
		json_object_set(res, "dns", json_object_get(ipam, "dns"));
	else
		json_object_set_new(res, "dns", json_object());
	return res;
}

static int cni_add(struct cni_req *r)
{
	json_t *ipam = NULL, *ierr = NULL, *res;
	struct cni_link link = { 0 };
	struct cni_net net = { .nips = 0 };
	struct cni_ns *ns;
	char why[512];
	int ret;

	ret = cni_ns_open(r->netns, &ns);
	if (ret)
		return cni_error(ret, "cannot open the container's network namespace",
				 cni_msg);
	ret = cni_net_create(ns, &r->conf, r->ifname, r->alias, &link);
	if (ret) {
		cni_ns_close(ns);
		return cni_error(ret, "cannot create the napi_macvlan device",
				 cni_msg);
	}
	if (r->conf.ipam_type[0]) {
		ret = cni_ipam_exec(r->conf.ipam_type, "ADD", r->text, r->len,
				    &ipam, &ierr, why, sizeof(why));
		if (ret)
			goto fail_link;
		ret = cni_net_from_result(ipam, 0, &net, why, sizeof(why));
		if (ret)
			goto fail_ipam;
	}
	ret = cni_net_configure(ns, link.ifindex, &net);
	if (ret) {
		snprintf(why, sizeof(why), "%s", cni_msg);
		goto fail_ipam;
	}
	cni_ns_close(ns);
	res = cni_result(r, &link, ipam);
	json_dumpf(res, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(res);
	json_decref(ipam);
	return 0;
fail_ipam:
	/* All or nothing: give the lease back, then the device. */
	if (r->conf.ipam_type[0]) {
		json_t *o = NULL, *e = NULL;
		char w2[256];

		cni_ipam_exec(r->conf.ipam_type, "DEL", r->text, r->len, &o,
			      &e, w2, sizeof(w2));
		json_decref(o);
		json_decref(e);
	}
fail_link:
	json_decref(ipam);
	cni_net_delete(ns, r->ifname, r->alias);
	cni_ns_close(ns);
	if (ierr)
		return cni_error_obj(ierr);
	return cni_error(ret, "ADD failed (undone)", why);
}

/* ---- DEL: as much as can be undone, never an error for what is gone ---- */

static int cni_del(struct cni_req *r)
{
	json_t *o = NULL, *e = NULL;
	struct cni_ns *ns;
	char why[512];
	int ret;

	if (r->conf.ipam_type[0]) {
		ret = cni_ipam_exec(r->conf.ipam_type, "DEL", r->text, r->len,
				    &o, &e, why, sizeof(why));
		json_decref(o);
		if (ret) {
			if (e)
				return cni_error_obj(e);
			return cni_error(ret, "IPAM DEL failed", why);
		}
	}
	if (!r->netns || !*r->netns || cni_ns_open(r->netns, &ns)) {
		/* A namespace already gone took the device with it. */
		cni_net_thread_cgroup_del(&r->conf);
		return 0;
	}
	ret = cni_net_delete(ns, r->ifname, r->alias);
	cni_ns_close(ns);
	if (ret)
		return cni_error(ret, "cannot delete the napi_macvlan device",
				 cni_msg);
	/* the pod's cgroup can go once the thread left our leaf in it */
	cni_net_thread_cgroup_del(&r->conf);
	return 0;
}

/* ---- CHECK ---- */

static int cni_check(struct cni_req *r)
{
	json_t *prev = json_object_get(r->root, "prevResult"), *itfs, *e;
	json_t *o = NULL, *err = NULL;
	unsigned char mac[6];
	bool has_mac = false;
	struct cni_net net;
	struct cni_ns *ns;
	int ret, idx = -1;
	char why[512];
	size_t i;

	if (cni_version_cmp(r->conf.version, "0.4.0") < 0)
		return cni_error(CNI_ERR_VERSION,
				 "CHECK needs cniVersion 0.4.0 or later",
				 r->conf.version);
	if (!json_is_object(prev))
		return cni_error(CNI_ERR_CONFIG, "CHECK needs prevResult", NULL);
	itfs = json_object_get(prev, "interfaces");
	json_array_foreach(itfs, i, e) {
		const char *n = json_string_value(json_object_get(e, "name"));
		const char *sb = json_string_value(json_object_get(e,
								  "sandbox"));

		if (n && !strcmp(n, r->ifname) && sb && *sb) {
			idx = i;
			break;
		}
	}
	if (idx < 0)
		return cni_error(CNI_ERR_CHECK,
				 "prevResult names no interface CNI_IFNAME in a sandbox",
				 r->ifname);
	ret = cni_net_from_result(prev, idx, &net, why, sizeof(why));
	if (ret)
		return cni_error(ret, "bad prevResult", why);
	e = json_object_get(json_array_get(itfs, idx), "mac");
	if (e) {
		const char *w;

		if (!json_is_string(e) ||
		    cni_parse_mac(json_string_value(e), mac, &w))
			return cni_error(CNI_ERR_DECODE, "bad prevResult",
					 "interfaces[].mac: not a device's MAC address");
		has_mac = true;
	}
	if (r->conf.ipam_type[0]) {
		ret = cni_ipam_exec(r->conf.ipam_type, "CHECK", r->text,
				    r->len, &o, &err, why, sizeof(why));
		json_decref(o);
		if (ret) {
			if (err)
				return cni_error_obj(err);
			return cni_error(ret, "IPAM CHECK failed", why);
		}
	}
	ret = cni_ns_open(r->netns, &ns);
	if (ret)
		return cni_error(ret, "cannot open the container's network namespace",
				 cni_msg);
	ret = cni_net_check(ns, &r->conf, r->ifname, r->alias, &net,
			    has_mac ? mac : NULL);
	cni_ns_close(ns);
	if (ret)
		return cni_error(ret, "CHECK failed", cni_msg);
	return 0;
}

int main(void)
{
	struct cni_req r = { .root = NULL };
	json_error_t jerr;
	char why[512];
	int ret;

	r.cmd = getenv("CNI_COMMAND");
	if (!r.cmd || !*r.cmd)
		return cni_error(CNI_ERR_ENV, "CNI_COMMAND is not set",
				 "expected ADD, DEL, CHECK or VERSION");
	if (!strcmp(r.cmd, "VERSION"))
		return cni_version();
	if (strcmp(r.cmd, "ADD") && strcmp(r.cmd, "DEL") &&
	    strcmp(r.cmd, "CHECK"))
		return cni_error(CNI_ERR_ENV, "unknown CNI_COMMAND", r.cmd);
	r.text = cni_read_stdin(&r.len);
	if (!r.text)
		return cni_error(CNI_ERR_IO, "cannot read the configuration",
				 "out of memory");
	r.root = json_loadb(r.text, r.len, 0, &jerr);
	if (!r.root) {
		ret = cni_error(CNI_ERR_DECODE,
				"the configuration on stdin is not JSON",
				jerr.text);
		goto out;
	}
	/* Errors are reported in the configuration's version when it
	 * names one we speak. */
	if (json_is_string(json_object_get(r.root, "cniVersion")) &&
	    cni_version_ok(json_string_value(json_object_get(r.root,
							     "cniVersion"))))
		cni_out_version = json_string_value(json_object_get(r.root,
								    "cniVersion"));
	ret = cni_conf_parse(r.root, &r.conf, why, sizeof(why));
	if (ret) {
		ret = cni_error(ret, "invalid network configuration", why);
		goto out;
	}
	/* DEL takes the device away whatever its address. */
	if (strcmp(r.cmd, "DEL")) {
		ret = cni_args_parse(getenv("CNI_ARGS"), &r.conf, why,
				     sizeof(why));
		if (ret) {
			ret = cni_error(ret, "invalid CNI_ARGS", why);
			goto out;
		}
	}
	r.cid = getenv("CNI_CONTAINERID");
	r.netns = getenv("CNI_NETNS");
	r.ifname = getenv("CNI_IFNAME");
	if (!cni_cid_ok(r.cid)) {
		ret = cni_error(CNI_ERR_ENV, "CNI_CONTAINERID is missing or invalid",
				r.cid);
		goto out;
	}
	if (!ifname_ok(r.ifname)) {
		ret = cni_error(CNI_ERR_ENV, "CNI_IFNAME is missing or invalid",
				r.ifname);
		goto out;
	}
	/* DEL may come after the namespace is gone, without CNI_NETNS. */
	if (strcmp(r.cmd, "DEL") && (!r.netns || !*r.netns)) {
		ret = cni_error(CNI_ERR_ENV, "CNI_NETNS is not set", NULL);
		goto out;
	}
	if (cni_alias(r.cid, r.ifname, r.alias, sizeof(r.alias))) {
		ret = cni_error(CNI_ERR_ENV, "CNI_CONTAINERID is too long",
				"at most 250 characters with CNI_IFNAME");
		goto out;
	}
	if (!strcmp(r.cmd, "ADD"))
		ret = cni_add(&r);
	else if (!strcmp(r.cmd, "DEL"))
		ret = cni_del(&r);
	else
		ret = cni_check(&r);
out:
	fflush(stdout);
	json_decref(r.root);
	free(r.text);
	return ret;
}
