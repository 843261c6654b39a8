/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parts of iproute2 6.1's plugin ABI that link_napi_macvlan.so uses,
 * declared here because the iproute2 source is not installed.  Layouts and
 * values must match ip/ip_common.h, include/json_print.h and include/color.h
 * of iproute2 6.1; the functions are exported by /usr/sbin/ip (-rdynamic).
 */
#ifndef VRCTL_LINK_NAPI_MACVLAN_H
#define VRCTL_LINK_NAPI_MACVLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

struct link_util {
	struct link_util *next;
	const char *id;
	int maxattr;
	int (*parse_opt)(struct link_util *lu, int argc, char **argv,
			 struct nlmsghdr *n);
	void (*print_opt)(struct link_util *lu, FILE *f, struct rtattr *tb[]);
	void (*print_xstats)(struct link_util *lu, FILE *f,
			     struct rtattr *xstats);
	void (*print_help)(struct link_util *lu, int argc, char **argv,
			   FILE *f);
	int (*parse_ifla_xstats)(struct link_util *lu, int argc, char **argv);
	int (*print_ifla_xstats)(struct nlmsghdr *n, void *arg);
};

enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

/* enum color_attr of iproute2: only the last value is used. */
#define COLOR_NONE 6

int print_color_string(enum output_type t, int color, const char *key,
		       const char *fmt, const char *value);
int print_color_uint(enum output_type t, int color, const char *key,
		     const char *fmt, unsigned int value);
int print_color_u64(enum output_type t, int color, const char *key,
		    const char *fmt, uint64_t value);
int print_color_on_off(enum output_type t, int color, const char *key,
		       const char *fmt, bool value);
void open_json_object(const char *str);
void close_json_object(void);

extern struct link_util napi_macvlan_link_util;

#endif /* VRCTL_LINK_NAPI_MACVLAN_H */
