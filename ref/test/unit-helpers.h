/* Small helpers shared by the unit tests. */
#ifndef NC_UNIT_HELPERS_H
#define NC_UNIT_HELPERS_H

#include <stdbool.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "alloc-util.h"
#include "config-internal.h"
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
/* What a case's output must be: it starts with `starts` (NULL: with
 * anything), has each of `present` and none of `absent` (each list ends
 * at its first NULL). */
typedef struct text_expect {
        const char *starts;
        const char *present[4];
        const char *absent[2];
} text_expect;
/* Asserts `expect` of `text` (NULL: an output that has nothing), naming
 * the case `what` in a failure. */
void assert_text(const char *what, const char *text, const text_expect *expect);
/* argv joined by '|' for compact assertions; caller frees. */
char *join_argv(const nc_strv *argv);
/* Runs argv[0] (found on PATH) with `argv`, its stderr on /dev/null, and
 * waits for it: its exit status (0-255), with its stdout in *ret_out
 * (NUL-terminated, the caller's; may be NULL: not kept); -1 when it could
 * not be run or did not exit. The oracles' way to ask a tool. */
int run_tool(const char *const *argv, char **ret_out);
/* The unit tier's scratch folder, made by main() (harness/lib/tier.h:
 * removed at the end and on SIGINT, SIGTERM and SIGHUP, and by the next
 * run after a SIGKILL): where a test writes its files. */
void unit_scratch_set(const char *dir);
/* "SCRATCH/NAME.XXXXXX", a template for mkstemp() in that folder, to be
 * freed with free(); NULL when out of memory. */
char *unit_temp_template(const char *name);

#endif
