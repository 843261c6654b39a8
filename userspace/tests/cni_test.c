// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the napi-macvlan CNI plugin's configuration parser:
 * units, the bandwidth capability's bits, defaults, what is refused and
 * with which CNI error code, results' addresses and routes.  A binary of
 * its own, linked with the plugin's objects and jansson.  Prints KTAP;
 * exits 1 if any case failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/napi_macvlan.h>

#include "../cni_conf.h"

static int n, failed;

static void tcase(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void tcase(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", ok ? "" : "not ", ++n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	if (!ok)
		failed++;
}

#define HEAD "{\"cniVersion\":\"1.0.0\",\"type\":\"napi-macvlan\",\"master\":\"eth0\""

static const struct {
	const char *json;
	int code;
} bad[] = {
	{ "[1]", CNI_ERR_CONFIG },
	{ "{\"type\":\"napi-macvlan\",\"master\":\"eth0\"}", CNI_ERR_CONFIG },
	{ "{\"cniVersion\":\"0.2.0\",\"master\":\"eth0\"}", CNI_ERR_VERSION },
	{ "{\"cniVersion\":\"2.0.0\",\"master\":\"eth0\"}", CNI_ERR_VERSION },
	{ "{\"cniVersion\":\"1.0.0\"}", CNI_ERR_CONFIG },
	{ "{\"cniVersion\":\"1.0.0\",\"master\":\"a/b\"}", CNI_ERR_CONFIG },
	{ "{\"cniVersion\":\"1.0.0\",\"master\":\"0123456789abcdef\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"type\":\"macvlan\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"mode\":\"l2\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"mtu\":67}", CNI_ERR_CONFIG },
	{ HEAD ",\"mtu\":\"1500\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"spoofchk\":\"on\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"local\":\"fast\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"local\":1}", CNI_ERR_CONFIG },
	{ HEAD ",\"ingress\":{\"rate\":\"fast\"}}", CNI_ERR_CONFIG },
	{ HEAD ",\"ingress\":{\"rate\":0}}", CNI_ERR_CONFIG },
	{ HEAD ",\"ingress\":{\"rate\":-5}}", CNI_ERR_CONFIG },
	{ HEAD ",\"ingress\":{\"burst\":\"64k\"}}", CNI_ERR_CONFIG },
	{ HEAD ",\"ingress\":{\"rate\":1000,\"bogus\":1}}", CNI_ERR_CONFIG },
	{ HEAD ",\"ingress\":{}}", CNI_ERR_CONFIG },
	{ HEAD ",\"egress\":{\"rate\":\"10mbit\"}}", CNI_ERR_CONFIG },
	{ HEAD ",\"egress\":{\"rate\":\"10mbit\",\"burst\":\"1k\",\"pburst\":5}}", CNI_ERR_CONFIG },
	{ HEAD ",\"egress\":{\"pps\":1000,\"action\":\"tbf\"}}", CNI_ERR_CONFIG },
	{ HEAD ",\"egress\":{\"pps\":0}}", CNI_ERR_CONFIG },
	{ HEAD ",\"egress\":{\"rate\":\"10mbit\",\"burst\":\"1k\",\"action\":\"slow\"}}", CNI_ERR_CONFIG },
	{ HEAD ",\"egress\":{\"rate\":\"10mbit\",\"burst\":\"1k\",\"action\":\"police\",\"latency\":5}}", CNI_ERR_CONFIG },
	{ HEAD ",\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":1000}}}", CNI_ERR_CONFIG },
	{ HEAD ",\"runtimeConfig\":{\"bandwidth\":{\"egressBurst\":1000}}}", CNI_ERR_CONFIG },
	{ HEAD ",\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":\"1m\",\"ingressBurst\":8}}}", CNI_ERR_CONFIG },
	{ HEAD ",\"ipam\":{\"type\":\"../x\"}}", CNI_ERR_CONFIG },
	{ HEAD ",\"ipam\":{\"type\":\"/bin/sh\"}}", CNI_ERR_CONFIG },
	{ HEAD ",\"ipam\":\"host-local\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"mac\":\"02:42:0a:58:05\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"mac\":\"01:00:5e:00:00:01\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"mac\":2}", CNI_ERR_CONFIG },
	{ HEAD ",\"mode\":\"passthru\",\"mac\":\"02:42:0a:58:05:32\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"runtimeConfig\":{\"mac\":\"ff:ff:ff:ff:ff:ff\"}}", CNI_ERR_CONFIG },
	{ HEAD ",\"runtimeConfig\":{\"mac\":[]}}", CNI_ERR_CONFIG },
	{ HEAD ",\"rxmode\":\"fast\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"rxmode\":1}", CNI_ERR_CONFIG },
	{ HEAD ",\"cpus\":\"1\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"rxmode\":\"direct\",\"cgroup\":\"/a\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"rxmode\":\"thread\",\"cpus\":\"1-\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"rxmode\":\"thread\",\"cpus\":1}", CNI_ERR_CONFIG },
	{ HEAD ",\"rxmode\":\"thread\",\"cgroup\":\"a/b\"}", CNI_ERR_CONFIG },
	{ HEAD ",\"rxmode\":\"thread\",\"runtimeConfig\":{\"cgroupPath\":\"kubepods.slice\"}}", CNI_ERR_CONFIG },
};

/* CNI_ARGS and whether they pass (code 0) or fail with CNI_ERR_ENV. */
static const struct {
	const char *args;
	int code;
} args[] = {
	{ "", 0 },
	{ "IgnoreUnknown=1;K8S_POD_NAME=web;MAC=02:42:0a:58:05:33", 0 },
	{ "IgnoreUnknown=true;K8S_POD_NAMESPACE=default", 0 },
	{ "IP=10.88.5.9/24;GATEWAY=10.88.5.1", 0 },
	{ "MAC=02:42:0a:58:05:33;", 0 },
	{ "IgnoreUnknown=1;MAC=", 0 },
	{ "K8S_POD_NAME=web", CNI_ERR_ENV },
	{ "IgnoreUnknown=0;K8S_POD_NAME=web", CNI_ERR_ENV },
	{ "IgnoreUnknown=maybe", CNI_ERR_ENV },
	{ "MAC", CNI_ERR_ENV },
	{ "=02:42:0a:58:05:33", CNI_ERR_ENV },
	{ "MAC=02:42:0a:58:05:33=", CNI_ERR_ENV },
	{ "IgnoreUnknown=1;MAC=zz:42:0a:58:05:33", CNI_ERR_ENV },
	{ "MAC=03:42:0a:58:05:33", CNI_ERR_ENV },
};

static const struct {
	const char *s;
	bool ok;
} macs[] = {
	{ "02:42:0a:58:05:32", true },
	{ "02:42:0A:58:05:3F", true },
	{ "02-42-0a-58-05-32", true },
	{ "00:16:3e:00:00:01", true },
	{ "", false },
	{ "02:42:0a:58:05", false },
	{ "02:42:0a:58:05:32:01", false },
	{ "02:42:0a:58:05:32:", false },
	{ "2:42:a:58:5:32", false },
	{ "02:42-0a:58:05:32", false },
	{ "02.42.0a.58.05.32", false },
	{ "02:42:0a:58:05:3g", false },
	{ "0242.0a58.0532", false },
	{ "01:00:5e:00:00:01", false },
	{ "ff:ff:ff:ff:ff:ff", false },
	{ "00:00:00:00:00:00", false },
};

static int parse(const char *text, struct cni_conf *c, char *why, size_t len)
{
	json_error_t e;
	json_t *root = json_loads(text, 0, &e);
	int ret;

	if (!root) {
		snprintf(why, len, "%s", e.text);
		return -1;
	}
	ret = cni_conf_parse(root, c, why, len);
	json_decref(root);
	return ret;
}

static void conf_tests(void)
{
	struct cni_conf c;
	char why[512];
	size_t i;
	int ret;

	ret = parse(HEAD "}", &c, why, sizeof(why));
	tcase(!ret && c.has_mode && c.mode == NAPI_MACVLAN_MODE_BRIDGE &&
	      c.flags == (NAPI_MACVLAN_F_SPOOFCHK | NAPI_MACVLAN_F_MACLOCK) &&
	      !c.in.set && !c.eg.set && !c.mtu && !c.ipam_type[0] &&
	      !strcmp(c.version, "1.0.0") && !strcmp(c.master, "eth0"),
	      "defaults: bridge, spoofchk+maclock, no limits, no ipam");
	ret = parse("{\"cniVersion\":\"0.3.1\",\"master\":\"eth0\",\"mode\":\"vepa\",\"mtu\":1400,\"maclock\":false,\"ipam\":{\"type\":\"host-local\"}}",
		    &c, why, sizeof(why));
	tcase(!ret && c.mode == NAPI_MACVLAN_MODE_VEPA && c.mtu == 1400 &&
	      c.flags == NAPI_MACVLAN_F_SPOOFCHK &&
	      !strcmp(c.ipam_type, "host-local") &&
	      !strcmp(c.version, "0.3.1"),
	      "mode, mtu, maclock, ipam type, cniVersion 0.3.1");
	ret = parse(HEAD ",\"local\":\"direct\"}", &c, why, sizeof(why));
	tcase(!ret && c.has_local && c.local == NAPI_MACVLAN_LOCAL_DIRECT,
	      "local direct");
	ret = parse(HEAD ",\"ingress\":{\"rate\":\"10mbit\",\"burst\":\"64k\",\"pps\":1000,\"pburst\":50},\"egress\":{\"rate\":5000000,\"burst\":32768,\"latency\":20}}",
		    &c, why, sizeof(why));
	tcase(!ret && c.in.set && c.in.rate == 10000000 && c.in.burst == 65536 &&
	      c.in.pps == 1000 && c.in.pburst == 50 && c.eg.set &&
	      c.eg.rate == 5000000 && c.eg.burst == 32768 &&
	      c.eg.latency_ms == 20,
	      "ingress and egress: tc spellings and numbers (bit/s, bytes)");
	ret = parse(HEAD ",\"egress\":{\"rate\":5000000,\"burst\":32768,\"action\":\"police\"}}",
		    &c, why, sizeof(why));
	tcase(!ret && c.eg.set && c.eg.police && !c.eg.tbf,
	      "egress action police");
	ret = parse(HEAD ",\"egress\":{\"rate\":5000000,\"burst\":32768,\"action\":\"tbf\"}}",
		    &c, why, sizeof(why));
	tcase(!ret && c.eg.set && c.eg.tbf && !c.eg.police,
	      "egress action tbf");
	ret = parse(HEAD ",\"egress\":{\"pps\":1000,\"pburst\":20}}",
		    &c, why, sizeof(why));
	tcase(!ret && c.eg.set && c.eg.pps == 1000 && c.eg.pburst == 20 &&
	      !c.eg.rate && !c.eg.tbf,
	      "egress packet rate only (shape)");
	ret = parse(HEAD ",\"ingress\":{\"rate\":\"1gbit\"},\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":10000000,\"ingressBurst\":80001,\"egressRate\":2000000,\"egressBurst\":16000}}}",
		    &c, why, sizeof(why));
	tcase(!ret && c.in.rate == 10000000 && c.in.burst == 10001 &&
	      c.eg.set && c.eg.rate == 2000000 && c.eg.burst == 2000,
	      "bandwidth capability: bits to bytes (rounded up), overrides ingress");
	ret = parse(HEAD ",\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":1000000,\"ingressBurst\":4294967295}}}",
		    &c, why, sizeof(why));
	tcase(!ret && c.in.burst == 536870912,
	      "bandwidth capability: containerd's 2^32-1 bits burst");
	ret = parse(HEAD ",\"runtimeConfig\":{\"bandwidth\":{\"ingressRate\":1000000,\"ingressBurst\":68719476736}}}",
		    &c, why, sizeof(why));
	tcase(!ret && c.in.burst == UINT32_MAX,
	      "bandwidth capability: a burst past 2^32 bytes is capped");
	ret = parse(HEAD ",\"runtimeConfig\":{\"portMappings\":[]}}", &c, why,
		    sizeof(why));
	tcase(!ret && !c.in.set && !c.eg.set,
	      "runtimeConfig without bandwidth: no limits");
	ret = parse(HEAD ",\"rxmode\":\"thread\",\"cpus\":\"1,3-4\",\"cgroup\":\"/routers/a\",\"runtimeConfig\":{\"cgroupPath\":\"/pod1\"}}",
		    &c, why, sizeof(why));
	tcase(!ret && c.has_rxmode && c.rxmode == NAPI_MACVLAN_RXMODE_THREAD &&
	      c.place.has_cpus && CPU_ISSET(1, &c.place.cpus) &&
	      !CPU_ISSET(2, &c.place.cpus) && CPU_ISSET(4, &c.place.cpus) &&
	      c.place.cgroup && !strcmp(c.place.cgroup, "/routers/a") &&
	      !c.cgroup_from_runtime,
	      "rxmode thread, cpus, cgroup (the key wins over cgroupPath)");
	ret = parse(HEAD ",\"rxmode\":\"thread\",\"runtimeConfig\":{\"cgroupPath\":\"/kubepods/pod1\"}}",
		    &c, why, sizeof(why));
	tcase(!ret && c.place.cgroup && c.cgroup_from_runtime &&
	      !strcmp(c.place.cgroup, "/kubepods/pod1"),
	      "cgroupPath capability: the pod's cgroup");
	ret = parse(HEAD ",\"runtimeConfig\":{\"cgroupPath\":\"/kubepods/pod1\"}}",
		    &c, why, sizeof(why));
	tcase(!ret && !c.place.cgroup && !c.has_rxmode,
	      "cgroupPath without rxmode thread: ignored");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		ret = parse(bad[i].json, &c, why, sizeof(why));
		tcase(ret == bad[i].code && why[0],
		      "refused with code %d: %s", bad[i].code, bad[i].json);
		if (ret != bad[i].code)
			printf("# got %d: %s\n", ret, why);
	}
}

static void mac_tests(void)
{
	static const unsigned char m32[6] = { 2, 0x42, 10, 0x58, 5, 0x32 };
	static const unsigned char m33[6] = { 2, 0x42, 10, 0x58, 5, 0x33 };
	static const unsigned char m34[6] = { 2, 0x42, 10, 0x58, 5, 0x34 };
	unsigned char mac[6];
	struct cni_conf c;
	const char *w;
	char why[512];
	size_t i;
	int ret;

	for (i = 0; i < sizeof(macs) / sizeof(macs[0]); i++) {
		w = NULL;
		ret = cni_parse_mac(macs[i].s, mac, &w);
		tcase(macs[i].ok ? !ret && !w : ret && w && *w,
		      "mac \"%s\" %s", macs[i].s,
		      macs[i].ok ? "accepted" : "refused");
	}
	cni_parse_mac("02:42:0A:58:05:3F", mac, &w);
	cni_fmt_mac(mac, why, sizeof(why));
	tcase(!strcmp(why, "02:42:0a:58:05:3f"), "mac printed back in lower case");

	ret = parse(HEAD "}", &c, why, sizeof(why));
	tcase(!ret && c.mac_from == CNI_MAC_RANDOM, "no mac: the kernel's");
	ret = parse(HEAD ",\"mac\":\"02:42:0a:58:05:32\"}", &c, why, sizeof(why));
	tcase(!ret && c.mac_from == CNI_MAC_CONF && !memcmp(c.mac, m32, 6),
	      "the config's mac");
	ret = cni_args_parse("IgnoreUnknown=1;MAC=02:42:0a:58:05:33", &c, why,
			     sizeof(why));
	tcase(!ret && c.mac_from == CNI_MAC_ARGS && !memcmp(c.mac, m33, 6),
	      "CNI_ARGS MAC= over the config's mac");
	ret = parse(HEAD ",\"mac\":\"02:42:0a:58:05:32\",\"capabilities\":{\"mac\":true},\"runtimeConfig\":{\"mac\":\"02:42:0a:58:05:34\"}}",
		    &c, why, sizeof(why));
	tcase(!ret && c.mac_from == CNI_MAC_RUNTIME && !memcmp(c.mac, m34, 6),
	      "runtimeConfig.mac over the config's mac");
	ret = cni_args_parse("MAC=02:42:0a:58:05:33", &c, why, sizeof(why));
	tcase(!ret && c.mac_from == CNI_MAC_RUNTIME && !memcmp(c.mac, m34, 6),
	      "runtimeConfig.mac over CNI_ARGS MAC=");
	ret = parse(HEAD ",\"mode\":\"passthru\"}", &c, why, sizeof(why));
	tcase(!ret && cni_args_parse("MAC=02:42:0a:58:05:33", &c, why,
				     sizeof(why)) == CNI_ERR_ENV &&
	      strstr(why, "passthru"), "CNI_ARGS MAC= refused for passthru");
	for (i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
		parse(HEAD "}", &c, why, sizeof(why));
		why[0] = '\0';
		ret = cni_args_parse(args[i].args, &c, why, sizeof(why));
		tcase(ret == args[i].code && (!ret || why[0]),
		      "CNI_ARGS \"%s\" %s", args[i].args,
		      args[i].code ? "refused" : "accepted");
		if (ret != args[i].code)
			printf("# got %d: %s\n", ret, why);
	}
}

static void misc_tests(void)
{
	struct cni_ip ip;
	char alias[CNI_ALIAS_MAX], big[300];
	unsigned char want[16];

	tcase(!cni_parse_cidr("10.1.2.3/24", &ip) && ip.family == AF_INET &&
	      ip.prefix == 24 && ip.addr[0] == 10 && ip.addr[3] == 3,
	      "cidr 10.1.2.3/24");
	inet_pton(AF_INET6, "fd00::5", want);
	tcase(!cni_parse_cidr("fd00::5/64", &ip) && ip.family == AF_INET6 &&
	      ip.prefix == 64 && !memcmp(ip.addr, want, 16), "cidr fd00::5/64");
	tcase(cni_parse_cidr("10.1.2.3", &ip) && cni_parse_cidr("10.1.2.3/33", &ip) &&
	      cni_parse_cidr("10.1.2/24", &ip) && cni_parse_cidr("fd00::/129", &ip) &&
	      cni_parse_cidr("10.1.2.3/2x", &ip) && cni_parse_cidr("10.1.2.3/-1", &ip),
	      "bad cidrs refused");
	tcase(cni_version_ok("0.3.0") && cni_version_ok("0.3.1") &&
	      cni_version_ok("0.4.0") && cni_version_ok("1.0.0") &&
	      !cni_version_ok("0.2.0") && !cni_version_ok("1.1.0") &&
	      cni_version_cmp("0.3.1", "0.4.0") < 0 &&
	      cni_version_cmp("1.0.0", "0.4.0") > 0,
	      "versions");
	tcase(!cni_alias("abc", "eth0", alias, sizeof(alias)) &&
	      !strcmp(alias, "cni:abc:eth0"), "alias cni:ID:IFNAME");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	tcase(cni_alias(big, "eth0", alias, sizeof(alias)) != 0,
	      "an alias past 255 bytes is refused");
}

static void result_tests(void)
{
	const char *res = "{\"ips\":[{\"address\":\"10.0.0.2/24\",\"gateway\":\"10.0.0.1\",\"interface\":0},"
			  "{\"address\":\"10.9.0.2/24\",\"interface\":1},"
			  "{\"address\":\"fd00::2/64\",\"gateway\":\"fd00::1\"}],"
			  "\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"10.8.0.0/16\",\"gw\":\"10.0.0.9\"},"
			  "{\"dst\":\"::/0\"}]}";
	struct cni_net net;
	char why[256];
	json_t *j = json_loads(res, 0, NULL);
	int ret;

	ret = cni_net_from_result(j, 0, &net, why, sizeof(why));
	tcase(!ret && net.nips == 2 && net.ips[0].family == AF_INET &&
	      net.ips[1].family == AF_INET6,
	      "result: the ips of interface 0 (and those naming none)");
	tcase(!ret && net.nroutes == 3 && net.routes[0].has_gw &&
	      net.routes[0].gw[3] == 1 && net.routes[1].gw[3] == 9 &&
	      net.routes[2].has_gw && net.routes[2].gw[15] == 1,
	      "result: routes without gw take their family's gateway");
	json_decref(j);
	j = json_loads("{\"ips\":[{\"address\":\"10.0.0.300/24\"}]}", 0, NULL);
	tcase(cni_net_from_result(j, 0, &net, why, sizeof(why)) ==
	      CNI_ERR_DECODE, "result: a bad address is refused");
	json_decref(j);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	conf_tests();
	mac_tests();
	misc_tests();
	result_tests();
	/* the plan at the end (TAP allows it): no count to keep in step */
	printf("1..%d\n", n);
	printf("# Totals: pass:%d fail:%d skip:0\n", n - failed, failed);
	return failed ? 1 : 0;
}
