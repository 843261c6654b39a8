/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VRCTL_JSON_H
#define VRCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * A streaming JSON printer: objects and arrays nest up to JSON_DEPTH levels;
 * the printer inserts commas.  A NULL key means "array element" (or the top
 * level value).  Output is compact, one document per line.
 */
#define JSON_DEPTH 16

struct json {
	FILE *f;
	int depth;
	bool first[JSON_DEPTH];
};

void json_init(struct json *j, FILE *f);
void json_obj_open(struct json *j, const char *key);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_s64(struct json *j, const char *key, int64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_put_null(struct json *j, const char *key);
/* Ends the document with a newline; returns -1 if nesting was unbalanced. */
int json_end(struct json *j);

#endif /* VRCTL_JSON_H */
