/* SPDX-License-Identifier: GPL-2.0 */
/* Tiny KTAP reporter for the host unit tests. */
#ifndef VRCTL_KTAP_H
#define VRCTL_KTAP_H

#include <stdbool.h>

void ktap_case(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Diagnostic line ("# ...") explaining the next result. */
void ktap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Each test file registers one function that returns its case count when
 * called with count_only, and otherwise runs the cases. */
int units_tests(bool count_only);
int json_tests(bool count_only);
int args_tests(bool count_only);
int plugin_tests(bool count_only);
int netns_tests(bool count_only);

#endif
