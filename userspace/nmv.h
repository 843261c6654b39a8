/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VRCTL_NMV_H
#define VRCTL_NMV_H

#include <stdbool.h>
#include <stdint.h>

/* "private", "vepa", "bridge", "passthru"; NULL for an unknown mode. */
const char *nmv_mode_name(uint32_t mode);
int nmv_mode_parse(const char *s, uint32_t *mode);
/* "ring", "direct" (IFLA_NAPI_MACVLAN_LOCAL); NULL for an unknown value. */
const char *nmv_local_name(uint32_t local);
int nmv_local_parse(const char *s, uint32_t *local);
/* "direct", "thread"; NULL for an unknown RX mode. */
const char *nmv_rxmode_name(uint32_t rxmode);
int nmv_rxmode_parse(const char *s, uint32_t *rxmode);
/* "rx_ring_full" etc. for NAPI_MACVLAN_XSTATS_*; NULL for unknown ids. */
const char *nmv_xstat_name(int id);
/* A ring size: decimal, within NAPI_MACVLAN_RING_MIN..MAX. */
int nmv_ring_parse(const char *s, uint32_t *out);
/* A device name the kernel would take (dev_valid_name()). */
bool ifname_ok(const char *name);

#endif /* VRCTL_NMV_H */
