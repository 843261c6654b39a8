// SPDX-License-Identifier: GPL-2.0
/*
 * The iproute2 plugin's option parser and printer, driven the way ip 6.1
 * drives it, with ip's print helpers replaced by stubs that record output.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <linux/napi_macvlan.h>

#include "ktap.h"
#include "../link_napi_macvlan.h"

static char printed[1024];

static void rec(const char *fmt, ...)
{
	size_t n = strlen(printed);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(printed + n, sizeof(printed) - n, fmt, ap);
	va_end(ap);
}

int print_color_string(enum output_type t, int color, const char *key,
		       const char *fmt, const char *value)
{
	(void)t; (void)color; (void)fmt;
	rec("%s=%s ", key, value);
	return 0;
}

int print_color_uint(enum output_type t, int color, const char *key,
		     const char *fmt, unsigned int value)
{
	(void)t; (void)color; (void)fmt;
	rec("%s=%u ", key, value);
	return 0;
}

int print_color_u64(enum output_type t, int color, const char *key,
		    const char *fmt, uint64_t value)
{
	(void)t; (void)color; (void)fmt;
	rec("%s=%llu ", key, (unsigned long long)value);
	return 0;
}

int print_color_on_off(enum output_type t, int color, const char *key,
		       const char *fmt, bool value)
{
	(void)t; (void)color; (void)fmt;
	rec("%s=%s ", key, value ? "on" : "off");
	return 0;
}

void open_json_object(const char *str)
{
	rec("{%s ", str);
}

void close_json_object(void)
{
	rec("} ");
}

struct req {
	struct nlmsghdr n;
	struct ifinfomsg i;
	char buf[1024];
};

static const struct {
	const char *args;
	int ok;
	const char *expect;	/* attributes as printed back */
} plugin_cases[] = {
	{ "", 1, "" },
	{ "mode private ringsize 512 spoofchk on maclock on", 1,
	  "mode=private ringsize=512 spoofchk=on maclock=on " },
	{ "mode bridge", 1, "mode=bridge " },
	{ "mode vepa", 1, "mode=vepa " },
	{ "mode passthru", 1, "mode=passthru " },
	{ "ringsize 16", 1, "ringsize=16 " },
	{ "ringsize 16384", 1, "ringsize=16384 " },
	{ "spoofchk on", 1, "spoofchk=on maclock=off " },
	{ "maclock on", 1, "spoofchk=off maclock=on " },
	{ "mode fast", 0, NULL },
	{ "mode", 0, NULL },
	{ "ringsize 15", 0, NULL },
	{ "ringsize 16385", 0, NULL },
	{ "ringsize 1k", 0, NULL },
	{ "ringsize -16", 0, NULL },
	{ "spoofchk yes", 0, NULL },
	{ "local direct", 1, "local=direct " },
	{ "local ring", 1, "local=ring " },
	{ "local fast", 0, NULL },
	{ "local", 0, NULL },
	{ "bogus 1", 0, NULL },
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int plugin_tests(bool count_only)
{
	struct rtattr *tb[IFLA_NAPI_MACVLAN_MAX + 1], *rta;
	char line[256], *argv[16], *save, *t;
	struct req r;
	int i, argc, rc, len, ok, saved, devnull;

	if (count_only)
		return N(plugin_cases) + 2;
	for (i = 0; i < N(plugin_cases); i++) {
		memset(&r, 0, sizeof(r));
		r.n.nlmsg_len = NLMSG_LENGTH(sizeof(r.i));
		snprintf(line, sizeof(line), "%s", plugin_cases[i].args);
		argc = 0;
		save = NULL;
		for (t = strtok_r(line, " ", &save); t;
		     t = strtok_r(NULL, " ", &save))
			argv[argc++] = t;
		argv[argc] = NULL;
		/* ip prints help/errors to stderr: keep the log readable. */
		fflush(stderr);
		saved = dup(2);
		devnull = open("/dev/null", O_WRONLY);
		dup2(devnull, 2);
		rc = napi_macvlan_link_util.parse_opt(&napi_macvlan_link_util,
						      argc, argv, &r.n);
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		close(devnull);
		ok = (rc == 0) == plugin_cases[i].ok;
		if (ok && rc == 0) {
			memset(tb, 0, sizeof(tb));
			len = r.n.nlmsg_len - NLMSG_LENGTH(sizeof(r.i));
			for (rta = (struct rtattr *)r.buf; RTA_OK(rta, len);
			     rta = RTA_NEXT(rta, len))
				if (rta->rta_type <= IFLA_NAPI_MACVLAN_MAX)
					tb[rta->rta_type] = rta;
			printed[0] = '\0';
			napi_macvlan_link_util.print_opt(&napi_macvlan_link_util,
							 stdout, tb);
			if (strcmp(printed, plugin_cases[i].expect)) {
				ktap_diag("printed \"%s\"", printed);
				ok = 0;
			}
		}
		ktap_case(ok, "plugin: \"%s\" %s", plugin_cases[i].args,
			  plugin_cases[i].ok ? "round-trips" : "is rejected");
	}
	ok = !strcmp(napi_macvlan_link_util.id, "napi_macvlan") &&
	     napi_macvlan_link_util.maxattr == IFLA_NAPI_MACVLAN_MAX;
	ktap_case(ok, "plugin: link_util id and maxattr");
	{
		/* IFLA_INFO_XSTATS holding two u64 counters */
		uint64_t buf[8] = { 0 };
		struct rtattr *hdr = (struct rtattr *)buf, *x;
		uint64_t v;

		hdr->rta_type = IFLA_INFO_XSTATS;
		hdr->rta_len = RTA_LENGTH(2 * RTA_LENGTH(8));
		x = RTA_DATA(hdr);
		x->rta_type = NAPI_MACVLAN_XSTATS_RX_RING_FULL;
		x->rta_len = RTA_LENGTH(8);
		v = 7;
		memcpy(RTA_DATA(x), &v, 8);
		x = (struct rtattr *)((char *)x + RTA_LENGTH(8));
		x->rta_type = NAPI_MACVLAN_XSTATS_TX_SPOOFED;
		x->rta_len = RTA_LENGTH(8);
		v = 3;
		memcpy(RTA_DATA(x), &v, 8);
		printed[0] = '\0';
		napi_macvlan_link_util.print_xstats(&napi_macvlan_link_util,
						    stdout, hdr);
		ok = !strcmp(printed,
			     "{napi_macvlan_xstats rx_ring_full=7 tx_spoofed=3 } ");
		if (!ok)
			ktap_diag("printed \"%s\"", printed);
		ktap_case(ok, "plugin: xstats printed by name");
	}
	return 0;
}
