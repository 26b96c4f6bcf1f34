/* String vectors, beyond nixcontainer.h's nc_strv_push and nc_strv_clear. */
#ifndef HARNESS_STRV_H
#define HARNESS_STRV_H

#include <stdbool.h>
#include <stddef.h>

#include "nixcontainer.h"

/* Ends `v` with a NULL item that is not counted, as execve() wants an
 * environment or argv (the vector stays usable and nc_strv_clear() frees it). */
int strv_null_terminate(nc_strv *v);
/* Whether `s` is an item of `v`. */
bool strv_contains(const nc_strv *v, const char *s);
/* Appends `s` unless it is there already; returns 0 or -ENOMEM. */
int strv_push_unique(nc_strv *v, const char *s);

/* Appends "NAME=VALUE"; returns 0 or -ENOMEM. */
int strv_push_assignment(nc_strv *v, const char *name, const char *value);

/* Splits NUL-terminated records into a vector. */
int split_nul(const char *data, size_t len, nc_strv *ret);

/* Splits `s` on runs of spaces, tabs and newlines, as bash splits an
 * unquoted $VAR with the default IFS (no quoting, no empty words):
 * "valgrind -q build/nixcontainer", an interfaces list. Appends to *ret. */
int split_words(const char *s, nc_strv *ret);

#endif
