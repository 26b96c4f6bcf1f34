/* Small helpers shared by the unit tests. */
#ifndef NC_UNIT_HELPERS_H
#define NC_UNIT_HELPERS_H

#include <stdbool.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "alloc-util.h"
#include "nixcontainer.h"
#include "suite.h" /* harness/lib: each file's one suite; main() checks CU_get_error() */

/* Loads a JSON config; returns NULL (and fills `error`) when refused. */
nc_config *load_json(const char *json, nc_mode mode, nc_error *error);
/* Returns the load error's message, or "" when the config loaded. */
const char *load_error(const char *json, nc_mode mode);
bool contains(const char *haystack, const char *needle);
/* The env built from "NAME=VALUE" strings, NULL-terminated. */
nc_env *env_of(const char *const *assignments);
/* A CUnit assertion of a case of a table: a failure says "WHAT: PROBLEM
 * \"DETAIL\"" (the case, and what is wrong with it). */
void assert_case(bool ok, const char *what, const char *problem, const char *detail);
/* Asserts that `text` (NULL: has nothing) has each of the first
 * `n_present` items of `present` and none of `absent`, stopping at a NULL
 * item: the cases of a table say what an output must and must not have. */
void assert_fragments(const char *what, const char *text, const char *const *present, size_t n_present,
                      const char *const *absent, size_t n_absent);
/* argv joined by '|' for compact assertions; caller frees. */
char *join_argv(const nc_strv *argv);

#endif
