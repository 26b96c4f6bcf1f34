/* CUnit suites from tables, for the unit tests (ref/test) and the tiers
 * that run CUnit tests of their own: a suite's tests are rows of
 * { name, function }, registered by one loop. */
#ifndef HARNESS_SUITE_H
#define HARNESS_SUITE_H

#include <stddef.h>

#include <CUnit/CUnit.h>

/* One test: its name in CUnit's report and its function. */
typedef struct suite_test {
        const char *name;
        CU_TestFunc func;
} suite_test;

/* Registers the suite `name` with its `n` tests. Returns 0, or -1 when
 * CUnit refused (CU_get_error() says why; the tests registered before it
 * stay). */
int suite_add(const char *name, const suite_test *tests, size_t n);

/* Adds to `suite` those of the `n` tests whose key is in `only`, a
 * comma-separated list (keys[i] is tests[i]'s; with keys or only NULL,
 * every test): the conformance suite's per-fixture tests, filtered by
 * --cli-checks. Returns 0, or -1 when CUnit refused (CU_get_error() says
 * why). */
int suite_add_tests(CU_pSuite suite, const suite_test *tests, size_t n, const char *const *keys, const char *only);

#endif
