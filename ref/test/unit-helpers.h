/* Small helpers shared by the unit tests. */
#ifndef NC_UNIT_HELPERS_H
#define NC_UNIT_HELPERS_H

#include <stdbool.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "alloc-util.h"
#include "config-internal.h"

/* One test of a suite: its name in CUnit's report and its function. */
typedef struct nc_test_case {
        const char *name;
        CU_TestFunc func;
} nc_test_case;

/* Registers the suite `name` with its `n` tests (each file's one suite);
 * a registration failure is left in CU_get_error(), which main() checks. */
void nc_test_add_suite(const char *name, const nc_test_case *tests, size_t n);

/* Loads a JSON config; returns NULL (and fills `error`) when refused. */
nc_config *load_json(const char *json, nc_mode mode, nc_error *error);
/* Returns the load error's message, or "" when the config loaded. */
const char *load_error(const char *json, nc_mode mode);
bool contains(const char *haystack, const char *needle);
/* The env built from "NAME=VALUE" strings, NULL-terminated. */
nc_env *env_of(const char *const *assignments);
/* argv joined by '|' for compact assertions; caller frees. */
char *join_argv(const nc_strv *argv);
/* Runs argv[0] (found on PATH) with `argv`, its stderr on /dev/null, and
 * waits for it: its exit status (0-255), with its stdout in *ret_out
 * (NUL-terminated, the caller's; may be NULL: not kept); -1 when it could
 * not be run or did not exit. The oracles' way to ask a tool. */
int run_tool(const char *const *argv, char **ret_out);

#endif
