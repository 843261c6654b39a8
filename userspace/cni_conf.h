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
