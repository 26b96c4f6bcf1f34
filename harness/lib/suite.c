/* CUnit suites from tables: see suite.h. */
#include "args.h"
#include "suite.h"

int suite_add_tests(CU_pSuite suite, const suite_test *tests, size_t n, const char *const *keys, const char *only) {
        for (size_t i = 0; i < n; i++)
                if ((!keys || !only || args_list_has(only, keys[i])) && !CU_add_test(suite, tests[i].name, tests[i].func))
                        return -1;
        return 0;
}

int suite_add(const char *name, const suite_test *tests, size_t n) {
        CU_pSuite suite = CU_add_suite(name, NULL, NULL);

        return suite ? suite_add_tests(suite, tests, n, NULL, NULL) : -1;
}
