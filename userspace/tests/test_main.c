// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of vrctl: units, JSON output, argument parsing (no netlink
 * before parsing is complete) and the iproute2 plugin's option parser.
 * Prints KTAP; exits 1 if any case failed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ktap.h"

static int ktap_n, ktap_failed;

void ktap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

void ktap_case(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", ok ? "" : "not ", ++ktap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	if (!ok)
		ktap_failed++;
}

int main(void)
{
	int (*const groups[])(bool) = {
		units_tests, json_tests, args_tests, plugin_tests,
		netns_tests,
	};
	size_t i;
	int n = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		n += groups[i](true);
	printf("1..%d\n", n);
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		groups[i](false);
	printf("# Totals: pass:%d fail:%d skip:0\n", ktap_n - ktap_failed,
	       ktap_failed);
	if (ktap_n != n) {
		printf("# planned %d cases but ran %d\n", n, ktap_n);
		return 1;
	}
	return ktap_failed ? 1 : 0;
}
