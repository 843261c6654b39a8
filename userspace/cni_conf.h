/* SPDX-License-Identifier: GPL-2.0 */
/* napi-macvlan CNI plugin: the JSON side (jansson). */
#ifndef VRCTL_CNI_CONF_H
#define VRCTL_CNI_CONF_H

#include <jansson.h>
#include "cni.h"

/*
 * The plugin's keys of a network configuration (see README "CNI plugin"):
 * returns 0 or a CNI error code with the reason in why.
 */
int cni_conf_parse(json_t *root, struct cni_conf *c, char *why, size_t len);

/*
 * CNI_ARGS ("K1=V1;K2=V2", the spec's convention): MAC= sets the device's
 * address unless runtimeConfig.mac did; IP= and GATEWAY= are the IPAM
 * plugin's (it reads them itself); any other key is an error unless
 * IgnoreUnknown=1 (or true) is among them, as in the reference plugins.
 * 0 or CNI_ERR_ENV with the reason in why.
 */
int cni_args_parse(const char *args, struct cni_conf *c, char *why,
		   size_t len);

/*
 * Addresses and routes of a result (IPAM's, or prevResult): the ips that
 * belong to interface index ifidx (or name no interface), the routes with
 * the gateway of their family's address when they name none.
 */
int cni_net_from_result(json_t *res, int ifidx, struct cni_net *net,
			char *why, size_t len);

/*
 * Run IPAM plugin type with command cmd (ADD, DEL, CHECK) as the spec's
 * delegation: the same environment, conf on stdin.  0 with *out the parsed
 * stdout (NULL when empty), or a CNI error code with *err the plugin's own
 * error object when it gave one (else the reason in why).
 */
int cni_ipam_exec(const char *type, const char *cmd, const char *conf,
		  size_t conflen, json_t **out, json_t **err, char *why,
		  size_t len);

#endif /* VRCTL_CNI_CONF_H */
