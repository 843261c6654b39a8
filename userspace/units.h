/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VRCTL_UNITS_H
#define VRCTL_UNITS_H

#include <stddef.h>
#include <stdint.h>

/*
 * The one place where vrctl turns text into numbers.  All return 0 or -1
 * with a message for the user in *why (static text).
 *
 * Rates are spelled as tc spells them (iproute2 6.1 get_rate64): a decimal
 * number, optionally with a fraction, and a case-insensitive suffix
 * bit kbit mbit gbit tbit (10^3 steps), kibit mibit gibit tibit (2^10 steps),
 * bps kbps mbps gbps tbps (bytes/s, 10^3 steps: x8), kibps mibps gibps tibps;
 * no suffix means bits per second.  The result must be a whole number of
 * bits per second in 1..2^64-1.
 *
 * Sizes as tc's get_size: no suffix or "b" means bytes; k kb m mb g gb are
 * 1024 steps; kbit mbit gbit are 1024-step bits (/8).  Whole bytes,
 * 1..2^32-1.
 *
 * Counts (pps, pburst, ring sizes): plain decimal integers, no suffix.
 */
int units_parse_rate(const char *s, uint64_t *bps, const char **why);
int units_parse_size(const char *s, uint32_t *bytes, const char **why);
int units_parse_u64(const char *s, uint64_t max, uint64_t *out,
		    const char **why);

/* Human output in the same spelling: "100Mbit", "1.5Gbit", "64Kb" ... */
char *units_fmt_rate(uint64_t bps, char *buf, size_t len);
char *units_fmt_size(uint64_t bytes, char *buf, size_t len);

#endif /* VRCTL_UNITS_H */
