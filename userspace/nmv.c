// SPDX-License-Identifier: GPL-2.0
/*
 * Names and value checks of the napi_macvlan link attributes, shared by
 * vrctl and the iproute2 plugin so both spell modes and counters alike.
 */
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/napi_macvlan.h>

#include "nmv.h"

static const struct {
	const char *name;
	uint32_t mode;
} nmv_modes[] = {
	{ "private",	NAPI_MACVLAN_MODE_PRIVATE },
	{ "vepa",	NAPI_MACVLAN_MODE_VEPA },
	{ "bridge",	NAPI_MACVLAN_MODE_BRIDGE },
	{ "passthru",	NAPI_MACVLAN_MODE_PASSTHRU },
};

const char *nmv_mode_name(uint32_t mode)
{
	size_t i;

	for (i = 0; i < sizeof(nmv_modes) / sizeof(nmv_modes[0]); i++)
		if (nmv_modes[i].mode == mode)
			return nmv_modes[i].name;
	return NULL;
}

int nmv_mode_parse(const char *s, uint32_t *mode)
{
	size_t i;

	for (i = 0; i < sizeof(nmv_modes) / sizeof(nmv_modes[0]); i++)
		if (!strcmp(nmv_modes[i].name, s)) {
			*mode = nmv_modes[i].mode;
			return 0;
		}
	return -1;
}

static const char *const nmv_rxmodes[] = {
	[NAPI_MACVLAN_RXMODE_DIRECT]	= "direct",
	[NAPI_MACVLAN_RXMODE_THREAD]	= "thread",
};

const char *nmv_rxmode_name(uint32_t rxmode)
{
	if (rxmode >= sizeof(nmv_rxmodes) / sizeof(nmv_rxmodes[0]))
		return NULL;
	return nmv_rxmodes[rxmode];
}

int nmv_rxmode_parse(const char *s, uint32_t *rxmode)
{
	uint32_t i;

	for (i = 0; i < sizeof(nmv_rxmodes) / sizeof(nmv_rxmodes[0]); i++)
		if (!strcmp(nmv_rxmodes[i], s)) {
			*rxmode = i;
			return 0;
		}
	return -1;
}

static const char *const nmv_xstats_names[NAPI_MACVLAN_XSTATS_MAX + 1] = {
	[NAPI_MACVLAN_XSTATS_RX_DIRECT]		= "rx_direct",
	[NAPI_MACVLAN_XSTATS_RX_RING]		= "rx_ring",
	[NAPI_MACVLAN_XSTATS_RX_RING_FULL]	= "rx_ring_full",
	[NAPI_MACVLAN_XSTATS_RX_POLICED]	= "rx_policed",
	[NAPI_MACVLAN_XSTATS_RX_FILTERED]	= "rx_filtered",
	[NAPI_MACVLAN_XSTATS_RX_NOMEM]		= "rx_nomem",
	[NAPI_MACVLAN_XSTATS_TX_SPOOFED]	= "tx_spoofed",
	[NAPI_MACVLAN_XSTATS_TX_DROPPED]	= "tx_dropped",
	[NAPI_MACVLAN_XSTATS_TX_SHAPED]		= "tx_shaped",
	[NAPI_MACVLAN_XSTATS_TX_SHAPE_DELAY_US]	= "tx_shape_delay_us",
	[NAPI_MACVLAN_XSTATS_TX_POLICED]	= "tx_policed",
	[NAPI_MACVLAN_XSTATS_RX_LOCAL_DIRECT]	= "rx_local_direct",
	[NAPI_MACVLAN_XSTATS_RX_LOCAL_DEEP]	= "rx_local_deep",
	[NAPI_MACVLAN_XSTATS_RX_BC_QUEUE_FULL]	= "rx_bc_queue_full",
	[NAPI_MACVLAN_XSTATS_RX_BC_NOMEM]	= "rx_bc_nomem",
	[NAPI_MACVLAN_XSTATS_RX_BC_CTL]		= "rx_bc_ctl",
	[NAPI_MACVLAN_XSTATS_RX_BC_CTL_QUEUE_FULL] = "rx_bc_ctl_queue_full",
};

static const char *const nmv_local_names[] = {
	[NAPI_MACVLAN_LOCAL_RING]	= "ring",
	[NAPI_MACVLAN_LOCAL_DIRECT]	= "direct",
};

const char *nmv_local_name(uint32_t local)
{
	if (local >= sizeof(nmv_local_names) / sizeof(nmv_local_names[0]))
		return NULL;
	return nmv_local_names[local];
}

int nmv_local_parse(const char *s, uint32_t *local)
{
	uint32_t i;

	for (i = 0; i < sizeof(nmv_local_names) / sizeof(nmv_local_names[0]);
	     i++)
		if (!strcmp(nmv_local_names[i], s)) {
			*local = i;
			return 0;
		}
	return -1;
}

const char *nmv_xstat_name(int id)
{
	if (id < 0 || id > NAPI_MACVLAN_XSTATS_MAX)
		return NULL;
	return nmv_xstats_names[id];
}

int nmv_ring_parse(const char *s, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < NAPI_MACVLAN_RING_MIN ||
	    v > NAPI_MACVLAN_RING_MAX)
		return -1;
	*out = v;
	return 0;
}

/* What the kernel's dev_valid_name() accepts; false for NULL. */
bool ifname_ok(const char *name)
{
	size_t i, n = name ? strlen(name) : 0;

	if (!n || n >= IFNAMSIZ || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (i = 0; i < n; i++)
		if (name[i] == '/' || name[i] == ':' ||
		    isspace((unsigned char)name[i]))
			return false;
	return true;
}
