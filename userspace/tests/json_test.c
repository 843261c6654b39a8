// SPDX-License-Identifier: GPL-2.0
/* json.c output must be valid JSON: checked with python3's json parser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ktap.h"
#include "../json.h"

typedef void (*json_case_fn)(struct json *j);

static void j_empty_array(struct json *j)
{
	json_arr_open(j, NULL);
	json_arr_close(j);
}

static void j_router_like(struct json *j)
{
	int i;

	json_arr_open(j, NULL);
	for (i = 0; i < 2; i++) {
		json_obj_open(j, NULL);
		json_str(j, "router", "r1");
		json_arr_open(j, "devices");
		json_obj_open(j, NULL);
		json_str(j, "ifname", "eth0");
		json_u64(j, "ifindex", 2);
		json_bool(j, "up", true);
		json_put_null(j, "ingress");
		json_obj_open(j, "egress");
		json_u64(j, "rate", 18446744073709551615ULL);
		json_s64(j, "nsid", -1);
		json_obj_close(j);
		json_obj_close(j);
		json_arr_close(j);
		json_obj_close(j);
	}
	json_arr_close(j);
}

static void j_escapes(struct json *j)
{
	json_obj_open(j, NULL);
	json_str(j, "quote\"key", "back\\slash \"quoted\"\n\t\r\x01\x1f end");
	json_str(j, "utf8", "caf\xc3\xa9");
	json_str(j, "null_string", NULL);
	json_obj_close(j);
}

static void j_nested_empty(struct json *j)
{
	json_obj_open(j, NULL);
	json_obj_open(j, "a");
	json_arr_open(j, "b");
	json_arr_open(j, NULL);
	json_arr_close(j);
	json_obj_open(j, NULL);
	json_obj_close(j);
	json_arr_close(j);
	json_obj_close(j);
	json_obj_close(j);
}

static const struct {
	const char *name;
	json_case_fn fn;
	const char *expect;	/* exact output, or NULL to only validate */
} json_cases[] = {
	{ "empty array", j_empty_array, "[]\n" },
	{ "routers with devices", j_router_like, NULL },
	{ "string escapes", j_escapes, NULL },
	{ "nested empty containers", j_nested_empty,
	  "{\"a\":{\"b\":[[],{}]}}\n" },
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

int json_tests(bool count_only)
{
	char path[] = "/tmp/vrctl_json_XXXXXX", cmd[256], out[4096];
	struct json j;
	size_t len;
	FILE *f;
	int i, fd, ok;

	if (count_only)
		return N(json_cases);
	for (i = 0; i < N(json_cases); i++) {
		strcpy(path, "/tmp/vrctl_json_XXXXXX");
		fd = mkstemp(path);
		f = fd >= 0 ? fdopen(fd, "w+") : NULL;
		if (!f) {
			ktap_case(false, "json: %s # cannot create temp file",
				  json_cases[i].name);
			continue;
		}
		json_init(&j, f);
		json_cases[i].fn(&j);
		ok = json_end(&j) == 0;
		rewind(f);
		len = fread(out, 1, sizeof(out) - 1, f);
		out[len] = '\0';
		fclose(f);
		snprintf(cmd, sizeof(cmd), "%s -m json.tool %s >/dev/null 2>&1",
			 access("/usr/bin/python3", X_OK) ? "python3" :
			 "/usr/bin/python3", path);
		if (system(cmd) != 0) {
			ktap_diag("invalid JSON: %s", out);
			ok = 0;
		}
		if (json_cases[i].expect && strcmp(out, json_cases[i].expect)) {
			ktap_diag("got %s", out);
			ok = 0;
		}
		unlink(path);
		ktap_case(ok, "json: %s is valid", json_cases[i].name);
	}
	return 0;
}
