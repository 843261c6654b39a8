// SPDX-License-Identifier: GPL-2.0
/* ethtool: driver info, link settings of the lower, per-drop counters. */
#include <linux/ethtool.h>

#include "napi_macvlan.h"

/* indexed by NAPI_MACVLAN_XS(NAPI_MACVLAN_XSTATS_*) */
static const char napi_macvlan_xstats_names[][ETH_GSTRING_LEN] = {
	"rx_direct",
	"rx_ring",
	"rx_ring_full",
	"rx_policed",
	"rx_filtered",
	"rx_nomem",
	"tx_spoofed",
	"tx_dropped",
	"tx_shaped",
	"tx_shape_delay_us",
	"tx_policed",
	"rx_local_direct",
	"rx_local_deep",
	"rx_bc_queue_full",
	"rx_bc_nomem",
	"rx_bc_ctl",
	"rx_bc_ctl_queue_full",
};

static_assert(ARRAY_SIZE(napi_macvlan_xstats_names) ==
	      NAPI_MACVLAN_NUM_XSTATS);

static void napi_macvlan_get_drvinfo(struct net_device *dev,
				     struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->version, "1.0", sizeof(info->version));
}

static int napi_macvlan_get_link_ksettings(struct net_device *dev,
					   struct ethtool_link_ksettings *cmd)
{
	const struct napi_macvlan_dev *vlan = netdev_priv(dev);

	return __ethtool_get_link_ksettings(vlan->lowerdev, cmd);
}

static int napi_macvlan_get_sset_count(struct net_device *dev, int sset)
{
	if (sset == ETH_SS_STATS)
		return NAPI_MACVLAN_NUM_XSTATS;
	return -EOPNOTSUPP;
}

static void napi_macvlan_get_strings(struct net_device *dev, u32 sset,
				     u8 *data)
{
	if (sset == ETH_SS_STATS)
		memcpy(data, napi_macvlan_xstats_names,
		       sizeof(napi_macvlan_xstats_names));
}

static void napi_macvlan_get_ethtool_stats(struct net_device *dev,
					   struct ethtool_stats *stats,
					   u64 *data)
{
	napi_macvlan_xstats_sum(netdev_priv(dev), data);
}

const struct ethtool_ops napi_macvlan_ethtool_ops = {
	.get_drvinfo		= napi_macvlan_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= napi_macvlan_get_link_ksettings,
	.get_sset_count		= napi_macvlan_get_sset_count,
	.get_strings		= napi_macvlan_get_strings,
	.get_ethtool_stats	= napi_macvlan_get_ethtool_stats,
};
