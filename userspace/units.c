// SPDX-License-Identifier: GPL-2.0
/*
 * Unit parsing and printing, compatible with how tc reads "rate" and "burst"
 * so that the same strings mean the same thing in both tools.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "units.h"

struct units_suffix {
	const char *name;
	double scale;
};

static const struct units_suffix units_rate_sfx[] = {
	{ "bit",	1. },
	{ "kibit",	1024. },
	{ "kbit",	1000. },
	{ "mibit",	1024. * 1024. },
	{ "mbit",	1000000. },
	{ "gibit",	1024. * 1024. * 1024. },
	{ "gbit",	1000000000. },
	{ "tibit",	1024. * 1024. * 1024. * 1024. },
	{ "tbit",	1000000000000. },
	{ "bps",	8. },
	{ "kibps",	8. * 1024. },
	{ "kbps",	8000. },
	{ "mibps",	8. * 1024. * 1024. },
	{ "mbps",	8000000. },
	{ "gibps",	8. * 1024. * 1024. * 1024. },
	{ "gbps",	8000000000. },
	{ "tibps",	8. * 1024. * 1024. * 1024. * 1024. },
	{ "tbps",	8000000000000. },
	{ NULL, 0 }
};

static const struct units_suffix units_size_sfx[] = {
	{ "b",		1. },
	{ "kbit",	1024. / 8. },
	{ "mbit",	1024. * 1024. / 8. },
	{ "gbit",	1024. * 1024. * 1024. / 8. },
	{ "k",		1024. },
	{ "kb",		1024. },
	{ "m",		1024. * 1024. },
	{ "mb",		1024. * 1024. },
	{ "g",		1024. * 1024. * 1024. },
	{ "gb",		1024. * 1024. * 1024. },
	{ NULL, 0 }
};

/*
 * Split "12.5mbit" into 12.5 and the suffix.  Only plain decimal notation is
 * accepted: strtod alone would also take "0x10", "1e3", "inf", "nan" and
 * leading blanks, none of which tc users mean.
 */
static int units_number(const char *s, double *val, const char **sfx,
			const char **why)
{
	const char *p = s;
	int digits = 0;

	while (isdigit((unsigned char)*p)) {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			digits++;
		}
	}
	if (!digits) {
		*why = "not a number";
		return -1;
	}
	errno = 0;
	*val = strtod(s, NULL);
	if (errno || !isfinite(*val)) {
		*why = "number out of range";
		return -1;
	}
	*sfx = p;
	return 0;
}

static int units_scale(const char *s, const struct units_suffix *tab,
		       double dflt, double max, double *out, const char **why)
{
	const char *sfx;
	double v, scale = dflt;

	if (units_number(s, &v, &sfx, why))
		return -1;
	if (*sfx) {
		for (; tab->name; tab++)
			if (!strcasecmp(tab->name, sfx))
				break;
		if (!tab->name) {
			*why = "unknown unit suffix";
			return -1;
		}
		scale = tab->scale;
	}
	v *= scale;
	if (v != floor(v)) {
		*why = "not a whole number of the base unit";
		return -1;
	}
	if (v < 1) {
		*why = "must be at least 1";
		return -1;
	}
	if (v > max) {
		*why = "too large";
		return -1;
	}
	*out = v;
	return 0;
}

int units_parse_rate(const char *s, uint64_t *bps, const char **why)
{
	double v;

	/* 2^64 itself is representable in a double and would wrap. */
	if (units_scale(s, units_rate_sfx, 1., 18446744073709549568.0, &v,
			why))
		return -1;
	*bps = (uint64_t)v;
	return 0;
}

int units_parse_size(const char *s, uint32_t *bytes, const char **why)
{
	double v;

	if (units_scale(s, units_size_sfx, 1., 4294967295.0, &v, why))
		return -1;
	*bytes = (uint32_t)v;
	return 0;
}

int units_parse_u64(const char *s, uint64_t max, uint64_t *out,
		    const char **why)
{
	unsigned long long v;
	const char *p;
	char *end;

	for (p = s; *p; p++)
		if (!isdigit((unsigned char)*p)) {
			*why = "not a decimal integer";
			return -1;
		}
	if (p == s) {
		*why = "not a decimal integer";
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || v > max) {
		*why = "too large";
		return -1;
	}
	*out = v;
	return 0;
}

static char *units_fmt(uint64_t v, const char *const *names, double step,
		       char *buf, size_t len)
{
	double d = v;
	int i = 0;

	while (names[i + 1] && d >= step) {
		d /= step;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%llu%s", (unsigned long long)v, names[0]);
	else
		snprintf(buf, len, "%.4g%s", d, names[i]);
	return buf;
}

char *units_fmt_rate(uint64_t bps, char *buf, size_t len)
{
	static const char *const names[] = {
		"bit", "Kbit", "Mbit", "Gbit", "Tbit", NULL
	};

	return units_fmt(bps, names, 1000., buf, len);
}

char *units_fmt_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const names[] = { "b", "Kb", "Mb", "Gb", NULL };

	return units_fmt(bytes, names, 1024., buf, len);
}
