/* A tier's results as a CI system reads them: JUnit XML and TAP (version
 * 13), one test case per fixture and check (or per CUnit test), a failure
 * carrying its first difference. tier.sh writes the same files for the
 * tiers in bash. */
#ifndef HARNESS_RESULTS_H
#define HARNESS_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

typedef struct result_case {
        char *classname; /* the fixture, or the CUnit suite */
        char *name;      /* "cli/argv", or the CUnit test */
        report_status status; /* REPORT_PASS, REPORT_FAIL or REPORT_SKIP */
        char *message;   /* why it failed or was skipped; NULL for a pass */
} result_case;

typedef struct result_list {
        result_case *cases;
        size_t n;
        size_t capacity;
} result_list;

/* Adds every verdict of the report (its passes, failures and skips; not
 * its info lines). Returns 0 or -ENOMEM. */
int results_add_report(result_list *r, const report_table *t);
/* Adds every test CUnit ran, after CU_basic_run_tests(): failed with its
 * failure records ("FILE:LINE: CONDITION"), or passed. Returns 0 or -ENOMEM. */
int results_add_cunit(result_list *r);

/* Writes JUnit XML to `junit_path` and TAP to `tap_path` (either may be
 * NULL), the suite named `label` ("conformance (fixtures, 26.05)").
 * Returns 0 or the -errno of writing. */
int results_write(const result_list *r, const char *label, const char *junit_path, const char *tap_path);
/* The files $NC_REPORTS_DIR asks for, when it is set: DIR/FILE.xml and
 * DIR/FILE.tap, FILE being `label` with every run of other characters
 * than letters, digits, '.', '@' and '_' made one '-' ("conformance-
 * fixtures-invalid-21.05"). Returns 0 or the -errno of writing. */
int results_write_env(const result_list *r, const char *label);
void results_free(result_list *r);

/* What a tier that keeps a report does at its end: the report's verdicts
 * (and, with `cunit`, every CUnit test too) written to `junit_path` and
 * `tap_path` (--junit, --tap; either may be NULL) and where
 * $NC_REPORTS_DIR says. Returns 0, or -errno with a message on stderr. */
int results_write_all(const report_table *t, bool cunit, const char *label, const char *junit_path,
                      const char *tap_path);

#endif
