// SPDX-License-Identifier: GPL-2.0
/*
 * napi-macvlan CNI plugin: the network configuration, results and the
 * small textual checks (addresses, versions, aliases).  Values with units
 * go through vrctl's units.c, so "rate": "100mbit" means what it means to
 * vrctl and tc; bare numbers are bit/s (rates) and bytes (sizes).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/napi_macvlan.h>

#include "cni_conf.h"
#include "nmv.h"
#include "units.h"

static const char *const cni_versions[] = { "0.3.0", "0.3.1", "0.4.0",
					    "1.0.0", NULL };

bool cni_version_ok(const char *v)
{
	int i;

	for (i = 0; cni_versions[i]; i++)
		if (!strcmp(v, cni_versions[i]))
			return true;
	return false;
}

static int cni_version_idx(const char *v)
{
	int i;

	for (i = 0; cni_versions[i]; i++)
		if (!strcmp(v, cni_versions[i]))
			return i;
	return -1;
}

int cni_version_cmp(const char *a, const char *b)
{
	return cni_version_idx(a) - cni_version_idx(b);
}

int cni_alias(const char *containerid, const char *ifname, char *out,
	      size_t len)
{
	int n = snprintf(out, len, CNI_ALIAS_PREFIX "%s:%s", containerid,
			 ifname);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int cni_parse_addr(const char *s, int family, unsigned char *out)
{
	return inet_pton(family, s, out) == 1 ? 0 : -1;
}

int cni_parse_cidr(const char *s, struct cni_ip *ip)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long p;

	memset(ip, 0, sizeof(*ip));
	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash || !isdigit((unsigned char)slash[1]))
		return -1;
	*slash = '\0';
	p = strtol(slash + 1, &end, 10);
	if (*end)
		return -1;
	ip->family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	if (cni_parse_addr(buf, ip->family, ip->addr))
		return -1;
	if (p < 0 || p > (ip->family == AF_INET ? 32 : 128))
		return -1;
	ip->prefix = p;
	return 0;
}

static int cni_hex(char c)
{
	return isdigit((unsigned char)c) ? c - '0' :
	       tolower((unsigned char)c) - 'a' + 10;
}

int cni_parse_mac(const char *s, unsigned char *mac, const char **why)
{
	char sep = 0;
	int i;

	*why = "expected six pairs of hex digits like 02:42:0a:58:05:32";
	for (i = 0; i < 6; i++, s += 3) {
		if (!isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1]))
			return -1;
		if (i < 5) {
			/* one separator, ':' or '-', used throughout */
			if (s[2] != ':' && s[2] != '-')
				return -1;
			if (sep && s[2] != sep)
				return -1;
			sep = s[2];
		} else if (s[2]) {
			return -1;
		}
		mac[i] = cni_hex(s[0]) << 4 | cni_hex(s[1]);
	}
	if (mac[0] & 1) {
		*why = "a multicast address (the first octet is odd) cannot be a device's";
		return -1;
	}
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5])) {
		*why = "the all-zero address cannot be a device's";
		return -1;
	}
	*why = NULL;
	return 0;
}

void cni_fmt_mac(const unsigned char *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
}

/* ---- configuration ---- */

#define WHY(...) do { snprintf(why, len, __VA_ARGS__); return CNI_ERR_CONFIG; } while (0)

/* A rate: "100mbit" (tc's spelling) or a number of bit/s. */
static int cni_rate(json_t *v, const char *key, uint64_t *out, char *why,
		    size_t len)
{
	const char *w;

	if (json_is_string(v)) {
		if (units_parse_rate(json_string_value(v), out, &w))
			WHY("%s \"%s\": %s", key, json_string_value(v), w);
		return 0;
	}
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		*out = json_integer_value(v);
		return 0;
	}
	WHY("%s: expected a rate like \"100mbit\" or a number of bit/s", key);
}

/* A size: "64k" (tc's spelling) or a number of bytes. */
static int cni_size(json_t *v, const char *key, uint32_t *out, char *why,
		    size_t len)
{
	const char *w;

	if (json_is_string(v)) {
		if (units_parse_size(json_string_value(v), out, &w))
			WHY("%s \"%s\": %s", key, json_string_value(v), w);
		return 0;
	}
	if (json_is_integer(v) && json_integer_value(v) > 0 &&
	    json_integer_value(v) <= UINT32_MAX) {
		*out = json_integer_value(v);
		return 0;
	}
	WHY("%s: expected a size like \"64k\" or a number of bytes", key);
}

static int cni_count(json_t *v, const char *key, uint64_t max, uint64_t *out,
		     char *why, size_t len)
{
	if (json_is_integer(v) && json_integer_value(v) > 0 &&
	    (uint64_t)json_integer_value(v) <= max) {
		*out = json_integer_value(v);
		return 0;
	}
	WHY("%s: expected a whole number from 1 to %llu", key,
	    (unsigned long long)max);
}

static int cni_keys_known(json_t *o, const char *what,
			  const char *const *keys, char *why, size_t len)
{
	const char *k;
	json_t *v;
	int i;

	json_object_foreach(o, k, v) {
		for (i = 0; keys[i]; i++)
			if (!strcmp(keys[i], k))
				break;
		if (!keys[i])
			WHY("%s: unknown key \"%s\"", what, k);
	}
	return 0;
}

static int cni_ingress(json_t *o, struct vr_ingress *in, char *why,
		       size_t len)
{
	static const char *const keys[] = { "rate", "burst", "pps", "pburst",
					     NULL };
	uint64_t n;
	json_t *v;
	int ret;

	if (!json_is_object(o))
		WHY("ingress: expected an object");
	ret = cni_keys_known(o, "ingress", keys, why, len);
	if (ret)
		return ret;
	if ((v = json_object_get(o, "rate")) &&
	    (ret = cni_rate(v, "ingress.rate", &in->rate, why, len)))
		return ret;
	if ((v = json_object_get(o, "burst")) &&
	    (ret = cni_size(v, "ingress.burst", &in->burst, why, len)))
		return ret;
	if ((v = json_object_get(o, "pps")) &&
	    (ret = cni_count(v, "ingress.pps", UINT64_MAX >> 1, &in->pps, why,
			     len)))
		return ret;
	if ((v = json_object_get(o, "pburst"))) {
		ret = cni_count(v, "ingress.pburst", UINT32_MAX, &n, why, len);
		if (ret)
			return ret;
		in->pburst = n;
	}
	in->set = true;
	return 0;
}

static int cni_egress(json_t *o, struct vr_egress *eg, char *why, size_t len)
{
	static const char *const keys[] = { "rate", "burst", "pps", "pburst",
					    "latency", "action", NULL };
	uint64_t n;
	json_t *v;
	int ret;

	if (!json_is_object(o))
		WHY("egress: expected an object");
	ret = cni_keys_known(o, "egress", keys, why, len);
	if (ret)
		return ret;
	if ((v = json_object_get(o, "rate")) &&
	    (ret = cni_rate(v, "egress.rate", &eg->rate, why, len)))
		return ret;
	if ((v = json_object_get(o, "burst")) &&
	    (ret = cni_size(v, "egress.burst", &eg->burst, why, len)))
		return ret;
	if ((v = json_object_get(o, "pps")) &&
	    (ret = cni_count(v, "egress.pps", UINT64_MAX >> 1, &eg->pps, why,
			     len)))
		return ret;
	if ((v = json_object_get(o, "pburst"))) {
		ret = cni_count(v, "egress.pburst", UINT32_MAX, &n, why, len);
		if (ret)
			return ret;
		eg->pburst = n;
	}
	if ((v = json_object_get(o, "latency"))) {
		ret = cni_count(v, "egress.latency", 10000, &n, why, len);
		if (ret)
			return ret;
		eg->latency_ms = n;
	}
	/* shape (igtb, the default), police (igtb) or tbf (the old qdisc) */
	if ((v = json_object_get(o, "action"))) {
		const char *a = json_is_string(v) ? json_string_value(v) : "";

		if (!strcmp(a, "police"))
			eg->police = true;
		else if (!strcmp(a, "tbf"))
			eg->tbf = true;
		else if (strcmp(a, "shape"))
			WHY("egress.action: expected \"shape\", \"police\" or \"tbf\"");
	}
	eg->set = true;
	return 0;
}

/* A rate and burst of the bandwidth capability: bit/s and bits. */
static int cni_bw_pair(json_t *bw, const char *rk, const char *bk,
		       uint64_t *rate, uint32_t *burst, bool *set, char *why,
		       size_t len)
{
	json_t *r = json_object_get(bw, rk), *b = json_object_get(bw, bk);
	json_int_t rv = 0, bv = 0;

	if ((r && !json_is_integer(r)) || (b && !json_is_integer(b)))
		WHY("runtimeConfig.bandwidth: %s and %s are integers", rk, bk);
	if (r)
		rv = json_integer_value(r);
	if (b)
		bv = json_integer_value(b);
	if (rv < 0 || bv < 0)
		WHY("runtimeConfig.bandwidth: %s and %s must not be negative",
		    rk, bk);
	/* The bandwidth plugin's rule: both or neither. */
	if (!rv != !bv)
		WHY("runtimeConfig.bandwidth: if %s is set, %s must be set too",
		    rv ? rk : bk, rv ? bk : rk);
	if (!rv)
		return 0;
	*rate = rv;
	/* bits to bytes, rounded up, within what igtb and tbf take */
	*burst = (uint64_t)(bv + 7) / 8 > UINT32_MAX ? UINT32_MAX :
		 (uint32_t)((bv + 7) / 8);
	*set = true;
	return 0;
}

static int cni_bandwidth(json_t *root, struct cni_conf *c, char *why,
			 size_t len)
{
	json_t *rc = json_object_get(root, "runtimeConfig"), *bw;
	bool iset = false, eset = false;
	uint64_t ir = 0, er = 0;
	uint32_t ib = 0, eb = 0;
	int ret;

	if (!rc)
		return 0;
	if (!json_is_object(rc))
		WHY("runtimeConfig: expected an object");
	bw = json_object_get(rc, "bandwidth");
	if (!bw)
		return 0;
	if (!json_is_object(bw))
		WHY("runtimeConfig.bandwidth: expected an object");
	ret = cni_bw_pair(bw, "ingressRate", "ingressBurst", &ir, &ib, &iset,
			  why, len);
	if (ret)
		return ret;
	ret = cni_bw_pair(bw, "egressRate", "egressBurst", &er, &eb, &eset,
			  why, len);
	if (ret)
		return ret;
	/* The runtime's values win over the static ones of the config. */
	if (iset) {
		c->in.set = true;
		c->in.rate = ir;
		c->in.burst = ib;
	}
	if (eset) {
		c->eg.set = true;
		c->eg.rate = er;
		c->eg.burst = eb;
	}
	return 0;
}

/* The device's address from source from (named what in errors), a later
 * source over an earlier one. */
static int cni_mac_set(struct cni_conf *c, const char *text,
		       enum cni_mac_from from, const char *what, int code,
		       char *why, size_t len)
{
	unsigned char mac[6];
	const char *w;

	if (cni_parse_mac(text, mac, &w)) {
		snprintf(why, len, "%s \"%.40s\": %s", what, text, w);
		return code;
	}
	/* The kernel gives a passthru device the master's address and
	 * would drop ours without a word. */
	if (c->has_mode && c->mode == NAPI_MACVLAN_MODE_PASSTHRU) {
		snprintf(why, len,
			 "%s: a passthru device takes the master's address, it cannot have its own",
			 what);
		return code;
	}
	if (from >= c->mac_from) {
		memcpy(c->mac, mac, sizeof(mac));
		c->mac_from = from;
	}
	return 0;
}

/* The static "mac" key and the mac capability (runtimeConfig.mac). */
static int cni_mac(json_t *root, struct cni_conf *c, char *why, size_t len)
{
	json_t *rc = json_object_get(root, "runtimeConfig");
	json_t *v = json_object_get(root, "mac");
	int ret;

	if (v) {
		if (!json_is_string(v))
			WHY("mac: expected a string like \"02:42:0a:58:05:32\"");
		ret = cni_mac_set(c, json_string_value(v), CNI_MAC_CONF, "mac",
				  CNI_ERR_CONFIG, why, len);
		if (ret)
			return ret;
	}
	v = json_is_object(rc) ? json_object_get(rc, "mac") : NULL;
	if (!v)
		return 0;
	if (!json_is_string(v))
		WHY("runtimeConfig.mac: expected a string like \"02:42:0a:58:05:32\"");
	return cni_mac_set(c, json_string_value(v), CNI_MAC_RUNTIME,
			   "runtimeConfig.mac", CNI_ERR_CONFIG, why, len);
}

/*
 * rxmode, and with rxmode thread the placement of the device's NAPI
 * thread: "cpus" (a list like taskset -c), "cgroup" (a cgroup v2 path),
 * or, without "cgroup", the pod's cgroup from the cgroupPath capability
 * (runtimeConfig.cgroupPath, CNI CONVENTIONS).  Only the syntax here: the
 * cgroup must exist when ADD runs.
 */
static int cni_thread(json_t *root, struct cni_conf *c, char *why, size_t len)
{
	json_t *rc = json_object_get(root, "runtimeConfig");
	json_t *v = json_object_get(root, "rxmode");
	const char *s;

	if (v && (!json_is_string(v) ||
		  nmv_rxmode_parse(json_string_value(v), &c->rxmode)))
		WHY("rxmode: expected \"direct\" or \"thread\"");
	c->has_rxmode = v;
	v = json_object_get(root, "cpus");
	if (v) {
		if (!json_is_string(v) ||
		    place_cpus_parse(json_string_value(v), &c->place.cpus))
			WHY("cpus: expected a CPU list like \"1\" or \"0-3\" or \"1,3-5\"");
		c->place.has_cpus = true;
	}
	v = json_object_get(root, "cgroup");
	if (!v && json_is_object(rc)) {
		v = json_object_get(rc, "cgroupPath");
		c->cgroup_from_runtime = v;
	}
	if (v) {
		s = json_string_value(v);
		if (!s || s[0] != '/' || strlen(s) >= sizeof(c->cgroup))
			WHY("%s: expected an absolute cgroup v2 path like \"/routers/a\"",
			    c->cgroup_from_runtime ? "runtimeConfig.cgroupPath" :
			    "cgroup");
		snprintf(c->cgroup, sizeof(c->cgroup), "%s", s);
		c->place.cgroup = c->cgroup;
	}
	/* a runtime passes cgroupPath to every network: it only counts here */
	if (c->cgroup_from_runtime &&
	    (!c->has_rxmode || c->rxmode != NAPI_MACVLAN_RXMODE_THREAD)) {
		c->place.cgroup = NULL;
		c->cgroup_from_runtime = false;
	}
	if (place_any(&c->place) &&
	    (!c->has_rxmode || c->rxmode != NAPI_MACVLAN_RXMODE_THREAD))
		WHY("cpus and cgroup place the device's NAPI thread: they need \"rxmode\": \"thread\"");
	return 0;
}

int cni_args_parse(const char *args, struct cni_conf *c, char *why,
		   size_t len)
{
	static const char *const theirs[] = { "IP", "GATEWAY", NULL };
	char buf[4096], *save = NULL, *pair, *eq, *mac = NULL;
	bool ignore = false;
	char unknown[64] = "";
	int i;

	if (!args || !*args)
		return 0;
	if (strlen(args) >= sizeof(buf)) {
		snprintf(why, len, "CNI_ARGS: longer than %zu bytes",
			 sizeof(buf) - 1);
		return CNI_ERR_ENV;
	}
	strcpy(buf, args);
	for (pair = strtok_r(buf, ";", &save); pair;
	     pair = strtok_r(NULL, ";", &save)) {
		eq = strchr(pair, '=');
		if (!eq || eq == pair || strchr(eq + 1, '=')) {
			snprintf(why, len,
				 "CNI_ARGS: \"%.60s\" is not KEY=VALUE", pair);
			return CNI_ERR_ENV;
		}
		*eq = '\0';
		if (!strcmp(pair, "IgnoreUnknown")) {
			if (!strcasecmp(eq + 1, "1") ||
			    !strcasecmp(eq + 1, "true")) {
				ignore = true;
			} else if (strcmp(eq + 1, "0") &&
				   strcasecmp(eq + 1, "false")) {
				snprintf(why, len,
					 "CNI_ARGS: IgnoreUnknown=%.20s: expected 1, true, 0 or false",
					 eq + 1);
				return CNI_ERR_ENV;
			}
			continue;
		}
		if (!strcmp(pair, "MAC")) {
			mac = eq + 1;
			continue;
		}
		for (i = 0; theirs[i] && strcmp(pair, theirs[i]); i++)
			;
		if (!theirs[i] && !unknown[0])
			snprintf(unknown, sizeof(unknown), "%s", pair);
	}
	if (unknown[0] && !ignore) {
		snprintf(why, len,
			 "CNI_ARGS: unknown key \"%s\" (add IgnoreUnknown=1 to pass keys for other plugins)",
			 unknown);
		return CNI_ERR_ENV;
	}
	/* An empty MAC= is no MAC, as in the reference plugins. */
	if (mac && *mac)
		return cni_mac_set(c, mac, CNI_MAC_ARGS, "CNI_ARGS MAC",
				   CNI_ERR_ENV, why, len);
	return 0;
}

static int cni_bool(json_t *root, const char *key, uint32_t bit,
		    uint32_t *flags, char *why, size_t len)
{
	json_t *v = json_object_get(root, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		WHY("%s: expected true or false", key);
	if (json_is_true(v))
		*flags |= bit;
	else
		*flags &= ~bit;
	return 0;
}

int cni_conf_parse(json_t *root, struct cni_conf *c, char *why, size_t len)
{
	json_t *v, *ipam;
	const char *s;
	int ret;

	memset(c, 0, sizeof(*c));
	snprintf(c->version, sizeof(c->version), "1.0.0");
	c->flags = NAPI_MACVLAN_F_SPOOFCHK | NAPI_MACVLAN_F_MACLOCK;
	c->has_mode = true;
	c->mode = NAPI_MACVLAN_MODE_BRIDGE;
	if (!json_is_object(root))
		WHY("the network configuration is not a JSON object");
	v = json_object_get(root, "cniVersion");
	if (!json_is_string(v))
		WHY("cniVersion: missing or not a string");
	s = json_string_value(v);
	if (!cni_version_ok(s)) {
		snprintf(why, len,
			 "cniVersion \"%s\" is not supported (0.3.0, 0.3.1, 0.4.0, 1.0.0)",
			 s);
		return CNI_ERR_VERSION;
	}
	snprintf(c->version, sizeof(c->version), "%s", s);
	v = json_object_get(root, "type");
	if (v && (!json_is_string(v) ||
		  strcmp(json_string_value(v), "napi-macvlan")))
		WHY("type: expected \"napi-macvlan\"");
	v = json_object_get(root, "master");
	if (!json_is_string(v) || !ifname_ok(json_string_value(v)))
		WHY("master: the name of an interface of the host is required");
	snprintf(c->master, sizeof(c->master), "%s", json_string_value(v));
	v = json_object_get(root, "mode");
	if (v && (!json_is_string(v) ||
		  nmv_mode_parse(json_string_value(v), &c->mode)))
		WHY("mode: expected \"bridge\", \"private\", \"vepa\" or \"passthru\"");
	v = json_object_get(root, "mtu");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 0 ||
		  (json_integer_value(v) && json_integer_value(v) < 68) ||
		  json_integer_value(v) > 65535))
		WHY("mtu: expected 68..65535 (0: the master's)");
	if (v)
		c->mtu = json_integer_value(v);
	v = json_object_get(root, "ringsize");
	if (v) {
		if (!json_is_integer(v) ||
		    json_integer_value(v) < NAPI_MACVLAN_RING_MIN ||
		    json_integer_value(v) > NAPI_MACVLAN_RING_MAX)
			WHY("ringsize: expected %d..%d", NAPI_MACVLAN_RING_MIN,
			    NAPI_MACVLAN_RING_MAX);
		c->has_ring = true;
		c->ring = json_integer_value(v);
	}
	v = json_object_get(root, "local");
	if (v) {
		if (!json_is_string(v) ||
		    nmv_local_parse(json_string_value(v), &c->local))
			WHY("local: expected \"ring\" or \"direct\"");
		c->has_local = true;
	}
	ret = cni_bool(root, "spoofchk", NAPI_MACVLAN_F_SPOOFCHK, &c->flags,
		       why, len);
	if (!ret)
		ret = cni_bool(root, "maclock", NAPI_MACVLAN_F_MACLOCK,
			       &c->flags, why, len);
	if (ret)
		return ret;
	if ((v = json_object_get(root, "ingress")) &&
	    (ret = cni_ingress(v, &c->in, why, len)))
		return ret;
	if ((v = json_object_get(root, "egress")) &&
	    (ret = cni_egress(v, &c->eg, why, len)))
		return ret;
	ret = cni_bandwidth(root, c, why, len);
	if (ret)
		return ret;
	ret = cni_mac(root, c, why, len);
	if (!ret)
		ret = cni_thread(root, c, why, len);
	if (ret)
		return ret;
	if (rate_check(&c->in, &c->eg))
		WHY("%s", cni_msg);
	ipam = json_object_get(root, "ipam");
	if (ipam) {
		if (!json_is_object(ipam))
			WHY("ipam: expected an object");
		v = json_object_get(ipam, "type");
		if (v) {
			s = json_string_value(v);
			if (!s || !*s || strchr(s, '/') || s[0] == '.' ||
			    strlen(s) >= sizeof(c->ipam_type))
				WHY("ipam.type: expected the name of a plugin in CNI_PATH");
			snprintf(c->ipam_type, sizeof(c->ipam_type), "%s", s);
		}
	}
	return 0;
}

/* ---- results ---- */

#undef WHY
#define WHY(...) do { snprintf(why, len, __VA_ARGS__); return CNI_ERR_DECODE; } while (0)

int cni_net_from_result(json_t *res, int ifidx, struct cni_net *net,
			char *why, size_t len)
{
	json_t *ips = json_object_get(res, "ips");
	json_t *routes = json_object_get(res, "routes");
	bool has4 = false, has6 = false;
	unsigned char gw4[16] = { 0 }, gw6[16] = { 0 };
	size_t i;
	json_t *e;

	memset(net, 0, sizeof(*net));
	json_array_foreach(ips, i, e) {
		json_t *a = json_object_get(e, "address");
		json_t *g = json_object_get(e, "gateway");
		json_t *itf = json_object_get(e, "interface");
		struct cni_ip *ip;

		if (itf && json_is_integer(itf) &&
		    json_integer_value(itf) != ifidx)
			continue;
		if (net->nips >= CNI_MAX_IPS)
			WHY("more than %d addresses", CNI_MAX_IPS);
		ip = &net->ips[net->nips];
		if (!json_is_string(a) ||
		    cni_parse_cidr(json_string_value(a), ip))
			WHY("ips[%zu].address: not an address/prefix", i);
		if (g) {
			if (!json_is_string(g) ||
			    cni_parse_addr(json_string_value(g), ip->family,
					   ip->gw))
				WHY("ips[%zu].gateway: not an address of the same family",
				    i);
			ip->has_gw = true;
			if (ip->family == AF_INET && !has4) {
				memcpy(gw4, ip->gw, 16);
				has4 = true;
			} else if (ip->family == AF_INET6 && !has6) {
				memcpy(gw6, ip->gw, 16);
				has6 = true;
			}
		}
		net->nips++;
	}
	json_array_foreach(routes, i, e) {
		json_t *d = json_object_get(e, "dst");
		json_t *g = json_object_get(e, "gw");
		struct cni_ip *r;

		if (net->nroutes >= CNI_MAX_ROUTES)
			WHY("more than %d routes", CNI_MAX_ROUTES);
		r = &net->routes[net->nroutes];
		if (!json_is_string(d) ||
		    cni_parse_cidr(json_string_value(d), r))
			WHY("routes[%zu].dst: not an address/prefix", i);
		if (g) {
			if (!json_is_string(g) ||
			    cni_parse_addr(json_string_value(g), r->family,
					   r->gw))
				WHY("routes[%zu].gw: not an address of the same family",
				    i);
			r->has_gw = true;
		} else if (r->family == AF_INET && has4) {
			/* As the reference plugins do: the gateway of the
			 * family's address. */
			memcpy(r->gw, gw4, 16);
			r->has_gw = true;
		} else if (r->family == AF_INET6 && has6) {
			memcpy(r->gw, gw6, 16);
			r->has_gw = true;
		}
		net->nroutes++;
	}
	return 0;
}
