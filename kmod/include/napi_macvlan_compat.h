/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between kernel versions that napi_macvlan and igtb care about.
 * Tested on 6.1 (Debian 12); each block names the version that changed.
 * Add to this file in small, commented blocks.
 */
#ifndef _NAPI_MACVLAN_COMPAT_H
#define _NAPI_MACVLAN_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "napi_macvlan and igtb need Linux 6.1 or newer"
#endif

#endif /* _NAPI_MACVLAN_COMPAT_H */
