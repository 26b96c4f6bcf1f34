/* The conformance report: one line per fixture saying what was identical
 * to the golden, and for what differed, where. */
#ifndef NC_HARNESS_REPORT_H
#define NC_HARNESS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "nixcontainer.h"

typedef enum report_status { REPORT_PASS, REPORT_FAIL, REPORT_SKIP, REPORT_INFO } report_status;

typedef struct report_entry {
        char *fixture;
        char *side;    /* "library", "cli", "original", ... */
        char *check;   /* "env-file", "argv", ... */
        report_status status;
        char *message; /* why it failed or was skipped */
} report_entry;

typedef struct report_table {
        report_entry *entries;
        size_t n;
        size_t capacity;
} report_table;

void report_pass(report_table *t, const char *fixture, const char *side, const char *check);
void report_fail(report_table *t, const char *fixture, const char *side, const char *check, const char *format, ...)
        __attribute__((format(printf, 5, 6)));
void report_skip(report_table *t, const char *fixture, const char *side, const char *check, const char *format, ...)
        __attribute__((format(printf, 5, 6)));

/* A line shown under the fixture without a verdict ("original argv: ..."). */
void report_info(report_table *t, const char *fixture, const char *side, const char *check, const char *format, ...)
        __attribute__((format(printf, 5, 6)));

/* Compare and, on a difference, record a failure that shows the first
 * differing line (text) or argument (argv). Return true when identical. */
bool report_compare_text(report_table *t, const char *fixture, const char *side, const char *check,
                         const char *what, const char *expected, size_t expected_len, const char *actual,
                         size_t actual_len);
bool report_compare_argv(report_table *t, const char *fixture, const char *side, const char *check,
                         const char *what, const nc_strv *expected, const nc_strv *actual);

/* CU_ASSERT_TRUE for one check of one fixture: CUnit's failure line names
 * them ("kitchen-sink: cli/argv differs (see its report line)"), not the
 * variable the test kept its verdict in. */
#define REPORT_ASSERT(ok, fixture, side, check) report_assert((ok), (fixture), (side), (check), __FILE__, __LINE__)
void report_assert(bool ok, const char *fixture, const char *side, const char *check, const char *file,
                   unsigned line);

/* Prints one line per fixture and a closing "N passed, N failed" line. */
void report_print(const report_table *t, FILE *out);
/* The same under another name ("namespace tier"); a fixture with nothing
 * but skipped checks is shown as SKIPPED. */
void report_print_titled(const report_table *t, FILE *out, const char *title);
void report_free(report_table *t);

#endif
