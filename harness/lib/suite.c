/* CUnit suites from tables: see suite.h. */
#include "suite.h"

int suite_add(const char *name, const suite_test *tests, size_t n) {
        CU_pSuite suite = CU_add_suite(name, NULL, NULL);

        if (!suite)
                return -1;
        for (size_t i = 0; i < n; i++)
                if (!CU_add_test(suite, tests[i].name, tests[i].func))
                        return -1;
        return 0;
}
