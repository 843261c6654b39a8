// SPDX-License-Identifier: GPL-2.0
/* Table-driven tests of units.c: every suffix, limits, garbage. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ktap.h"
#include "../units.h"

static const struct {
	const char *in;
	int ok;
	uint64_t bps;
} rate_cases[] = {
	{ "1", 1, 1 },				/* bare number: bit/s, as tc */
	{ "1000", 1, 1000 },
	{ "100bit", 1, 100 },
	{ "100kbit", 1, 100000 },
	{ "100Kbit", 1, 100000 },		/* suffixes ignore case */
	{ "2kibit", 1, 2048 },
	{ "100mbit", 1, 100000000 },
	{ "1mibit", 1, 1048576 },
	{ "1gbit", 1, 1000000000 },
	{ "1gibit", 1, 1073741824 },
	{ "1tbit", 1, 1000000000000ULL },
	{ "1tibit", 1, 1099511627776ULL },
	{ "1bps", 1, 8 },			/* bytes per second */
	{ "10mbps", 1, 80000000 },
	{ "10MBps", 1, 80000000 },
	{ "1kbps", 1, 8000 },
	{ "1kibps", 1, 8192 },
	{ "1mibps", 1, 8388608 },
	{ "1gbps", 1, 8000000000ULL },
	{ "1gibps", 1, 8589934592ULL },
	{ "1tbps", 1, 8000000000000ULL },
	{ "1tibps", 1, 8796093022208ULL },
	{ "1.5mbit", 1, 1500000 },
	{ ".5kbit", 1, 500 },
	{ "18446744073bit", 1, 18446744073ULL },
	{ "18000000tbit", 1, 18000000000000000000ULL },
	{ "19000000tbit", 0, 0 },		/* > 2^64-1 */
	{ "99999999999999999999999999tbit", 0, 0 },
	{ "1.5bit", 0, 0 },			/* not whole bits */
	{ "0", 0, 0 },
	{ "0mbit", 0, 0 },
	{ "", 0, 0 },
	{ "mbit", 0, 0 },
	{ "-5mbit", 0, 0 },
	{ "+5mbit", 0, 0 },
	{ " 5mbit", 0, 0 },
	{ "5 mbit", 0, 0 },
	{ "5mbit ", 0, 0 },
	{ "0x10", 0, 0 },
	{ "1e3", 0, 0 },
	{ "inf", 0, 0 },
	{ "nan", 0, 0 },
	{ "5mb", 0, 0 },			/* a size suffix, not a rate */
	{ "5m", 0, 0 },
	{ "5mbitt", 0, 0 },
	{ "1..5mbit", 0, 0 },
};

static const struct {
	const char *in;
	int ok;
	uint32_t bytes;
} size_cases[] = {
	{ "1500", 1, 1500 },			/* bare: bytes */
	{ "1500b", 1, 1500 },
	{ "64k", 1, 65536 },			/* k = 1024, as tc */
	{ "64kb", 1, 65536 },
	{ "64K", 1, 65536 },
	{ "1m", 1, 1048576 },
	{ "1mb", 1, 1048576 },
	{ "1g", 1, 1073741824 },
	{ "1gb", 1, 1073741824 },
	{ "8kbit", 1, 1024 },			/* 1024-step bits */
	{ "1mbit", 1, 131072 },
	{ "1gbit", 1, 134217728 },
	{ "1.5k", 1, 1536 },
	{ "4294967295", 1, 4294967295U },
	{ "4294967296", 0, 0 },
	{ "4g", 0, 0 },
	{ "0", 0, 0 },
	{ "1.5", 0, 0 },
	{ "", 0, 0 },
	{ "k", 0, 0 },
	{ "-1k", 0, 0 },
	{ "64kib", 0, 0 },
	{ "64 k", 0, 0 },
	{ "1t", 0, 0 },
	{ "10mbps", 0, 0 },			/* a rate suffix, not a size */
};

static const struct {
	const char *in;
	uint64_t max;
	int ok;
	uint64_t v;
} count_cases[] = {
	{ "0", 10, 1, 0 },
	{ "10", 10, 1, 10 },
	{ "11", 10, 0, 0 },
	{ "18446744073709551615", UINT64_MAX, 1, UINT64_MAX },
	{ "18446744073709551616", UINT64_MAX, 0, 0 },
	{ "1k", UINT64_MAX, 0, 0 },
	{ "-1", UINT64_MAX, 0, 0 },
	{ "", UINT64_MAX, 0, 0 },
	{ " 1", UINT64_MAX, 0, 0 },
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int units_tests(bool count_only)
{
	const char *why;
	uint64_t r;
	uint32_t b;
	char buf[32];
	int i, ok;

	if (count_only)
		return N(rate_cases) + N(size_cases) + N(count_cases) + 2;
	for (i = 0; i < N(rate_cases); i++) {
		r = 0;
		why = NULL;
		ok = units_parse_rate(rate_cases[i].in, &r, &why) == 0;
		if (!ok && !why)
			ktap_diag("no reason given");
		ktap_case(ok == rate_cases[i].ok &&
			  (!ok || r == rate_cases[i].bps) && (ok || why),
			  "units: rate \"%s\" %s %llu", rate_cases[i].in,
			  rate_cases[i].ok ? "=" : "rejected",
			  (unsigned long long)rate_cases[i].bps);
	}
	for (i = 0; i < N(size_cases); i++) {
		b = 0;
		why = NULL;
		ok = units_parse_size(size_cases[i].in, &b, &why) == 0;
		ktap_case(ok == size_cases[i].ok &&
			  (!ok || b == size_cases[i].bytes) && (ok || why),
			  "units: size \"%s\" %s %u", size_cases[i].in,
			  size_cases[i].ok ? "=" : "rejected",
			  size_cases[i].bytes);
	}
	for (i = 0; i < N(count_cases); i++) {
		r = 0;
		why = NULL;
		ok = units_parse_u64(count_cases[i].in, count_cases[i].max, &r,
				     &why) == 0;
		ktap_case(ok == count_cases[i].ok &&
			  (!ok || r == count_cases[i].v) && (ok || why),
			  "units: count \"%s\" (max %llu) %s",
			  count_cases[i].in,
			  (unsigned long long)count_cases[i].max,
			  count_cases[i].ok ? "accepted" : "rejected");
	}
	/* What we print parses back to the same value. */
	units_fmt_rate(100000000, buf, sizeof(buf));
	ok = !units_parse_rate(buf, &r, &why) && r == 100000000;
	ktap_case(ok, "units: formatted rate \"%s\" parses back", buf);
	units_fmt_size(65536, buf, sizeof(buf));
	ok = !units_parse_size(buf, &b, &why) && b == 65536;
	ktap_case(ok, "units: formatted size \"%s\" parses back", buf);
	return 0;
}
